use app::accounts::domain::Role;

use crate::helpers::{TestApp, db_test, error_code};

const KALLETAL: &[(&str, &str)] = &[
    ("state", "NW"),
    ("population", "14.012"),
    ("eligible_citizens", "11520"),
    ("eligible_source", "Wahlberechtigte der Kommunalwahl 2025"),
    ("eligible_reference_date", "2025-09-14"),
];

fn with(field: &str, value: &'static str) -> Vec<(&'static str, &'static str)> {
    KALLETAL
        .iter()
        .map(|&(k, v)| (k, if k == field { value } else { v }))
        .collect()
}

db_test!(
    staff_enter_the_figures_and_everyone_sees_the_required_signatures,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let before: serde_json::Value = app.call("legal_frame", &[]).await.json().await.unwrap();
        assert_eq!(before["rule_set_id"], "NW-2011");
        assert!(before["requirement"].is_null());

        app.account_with_roles("kim@kalletal.example", &[Role::Staff])
            .await;
        app.login("kim@kalletal.example", "sicheres-passwort").await;
        let res = app.call("update_municipality", KALLETAL).await;
        assert_eq!(res.status(), 200);

        let frame: serde_json::Value = app.call("legal_frame", &[]).await.json().await.unwrap();
        assert_eq!(frame["municipality"]["population"], 14_012);
        assert_eq!(
            frame["municipality"]["eligible_reference_date"],
            "2025-09-14"
        );
        assert_eq!(frame["requirement"]["required"], 1_037);
        assert_eq!(
            frame["requirement"]["explanation"],
            "§ 26 Abs. 4 GO NRW: 9 % von 11.520 Bürgerinnen und Bürgern (Gemeinden bis 20.000 Einwohnern) = 1.037 Unterschriften"
        );

        // A date typed the German way is accepted as well.
        let res = app
            .call(
                "update_municipality",
                &with("eligible_reference_date", "01.09.2025"),
            )
            .await;
        assert_eq!(res.status(), 200);
        let frame: serde_json::Value = app.call("legal_frame", &[]).await.json().await.unwrap();
        assert_eq!(
            frame["municipality"]["eligible_reference_date"],
            "2025-09-01"
        );

        // Another state is another law: Baden-Württemberg asks 7 %.
        let res = app.call("update_municipality", &with("state", "BW")).await;
        assert_eq!(res.status(), 200);
        let frame: serde_json::Value = app.call("legal_frame", &[]).await.json().await.unwrap();
        assert_eq!(frame["rule_set_id"], "BW-2015");
        assert_eq!(frame["requirement"]["required"], 807);

        assert_eq!(
            app.count("audit_log WHERE action = 'municipality.updated'")
                .await,
            3
        );
    }
);

db_test!(
    bad_figures_are_named_at_their_field_and_nothing_is_saved,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.account_with_roles("kim@kalletal.example", &[Role::Staff])
            .await;
        app.login("kim@kalletal.example", "sicheres-passwort").await;
        let cases: &[(&str, &'static str, &str)] = &[
            ("state", "XX", "Bundesland"),
            ("population", "", "Einwohnerzahl ein"),
            ("population", "vierzehntausend", "ganze Zahl"),
            ("population", "14.0", "ganze Zahl"),
            (
                "eligible_citizens",
                "20000",
                "nicht mehr Bürgerinnen und Bürger",
            ),
            ("eligible_citizens", "0", "größer als 0"),
            ("eligible_source", "  ", "woher die Zahl stammt"),
            ("eligible_reference_date", "2999-01-01", "Zukunft"),
            ("eligible_reference_date", "14.09.2025x", "als Datum"),
        ];
        for &(field, value, message) in cases {
            let (status, body) =
                error_code(app.call("update_municipality", &with(field, value)).await).await;
            assert_eq!(status, 422, "{field}={value}");
            assert_eq!(body["fields"][0]["field"], field, "{field}={value}");
            let text = body["fields"][0]["message"].as_str().unwrap();
            assert!(text.contains(message), "{field}={value}: {text}");
        }
        assert_eq!(app.count("site_settings").await, 0);
    }
);

db_test!(the_demo_municipality_has_its_quorum, |backend| async move {
    let app = TestApp::spawn(backend).await;
    server::demo::seed(&app.db, &app.state.config)
        .await
        .unwrap();
    let frame: serde_json::Value = app.call("legal_frame", &[]).await.json().await.unwrap();
    assert_eq!(frame["municipality"]["name"], "Gemeinde Kalletal");
    // 9 % of 11,387 is 1,024.83: a petition needs 1,025 signatures.
    assert_eq!(frame["requirement"]["required"], 1_025);
    // The public page renders the figure on the server, readable without JavaScript.
    let html = reqwest::get(app.url("/petitions"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("1.025"), "{html}");
    assert!(html.contains("§ 26 Abs. 4 GO NRW: 9 % von 11.387"));
    // Seeding twice is refused.
    assert!(
        server::demo::seed(&app.db, &app.state.config)
            .await
            .is_err()
    );
});
