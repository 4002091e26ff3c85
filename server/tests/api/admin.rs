use app::accounts::domain::Role;

use crate::helpers::{TestApp, db_test, error_code, new_client};

/// Who may call a protected server function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Admin,
    Staff,
    AnyAccount,
}
use Who::*;

/// A server function's endpoint, a form that would otherwise be valid, and who may call it.
type Protected = (&'static str, &'static [(&'static str, &'static str)], Who);

/// Every protected server function.
const PROTECTED: &[Protected] = &[
    // (endpoint, form, who may call it)
    ("admin_users", &[("query", ""), ("page", "0")], Admin),
    (
        "admin_set_role",
        &[("user_id", "1"), ("role", "staff"), ("grant", "1")],
        Admin,
    ),
    ("site_settings", &[], Admin),
    (
        "update_municipality",
        &[
            ("state", "NW"),
            ("population", "14012"),
            ("eligible_citizens", "11520"),
            ("eligible_source", "Kommunalwahl 2025"),
            ("eligible_reference_date", "2025-09-14"),
        ],
        Staff,
    ),
    (
        "update_site_settings",
        &[
            ("municipality_name", "Gemeinde X"),
            ("impressum", "I"),
            ("privacy", "P"),
        ],
        Admin,
    ),
    ("accessibility_statement_form", &[], Admin),
    (
        "save_accessibility_statement",
        &[
            ("compliance", "full"),
            ("non_accessible", "keine"),
            ("method", "Selbstbewertung"),
            ("prepared_on", "2026-12-01"),
            ("reviewed_on", "2026-12-01"),
            ("contact", "Rathaus"),
            ("enforcement", "Ombudsstelle"),
            ("due_days", "14"),
        ],
        Admin,
    ),
    ("easy_language_form", &[], Admin),
    (
        "save_easy_language",
        &[("text", "Das ist ein Text in Leichter Sprache.")],
        Admin,
    ),
    ("apply_privacy_template", &[], Admin),
    ("delete_sign_video", &[("id", "1")], Admin),
    ("barrier_feedback_queue", &[], Staff),
    (
        "save_easy_summary",
        &[("kind", "proposal"), ("id", "1"), ("text", "Kurz.")],
        Staff,
    ),
    (
        "barrier_feedback_step",
        &[("id", "1"), ("step", "close")],
        Staff,
    ),
    (
        "change_password",
        &[
            ("current_password", "sicheres-passwort"),
            ("password", "neues-passwort-1"),
        ],
        AnyAccount,
    ),
    (
        "change_email",
        &[
            ("email", "neu@kalletal.example"),
            ("current_password", "sicheres-passwort"),
        ],
        AnyAccount,
    ),
    (
        "delete_account",
        &[("current_password", "sicheres-passwort")],
        AnyAccount,
    ),
    (
        "create_petition",
        &[
            ("title", "Freibad"),
            ("question", "Soll das Freibad bleiben?"),
            ("justification", "Weil."),
            ("kind", "initiating"),
        ],
        AnyAccount,
    ),
    (
        "take_step",
        &[("slug", "freibad"), ("step", "submit")],
        AnyAccount,
    ),
    (
        "receive_sheet",
        &[("slug", "freibad"), ("code", "ACDE-3579")],
        Staff,
    ),
    (
        "enter_paper_signature",
        &[("slug", "freibad"), ("sheet", "1"), ("line", "1")],
        Staff,
    ),
];

db_test!(
    protected_functions_refuse_anonymous_and_wrong_role_callers,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.account_with_roles("admin@kalletal.example", &[Role::Admin])
            .await;
        let anonymous = new_client();
        for (endpoint, form, _) in PROTECTED {
            let (status, body) = error_code(app.call_with(&anonymous, endpoint, form).await).await;
            assert_eq!(
                (status, body["code"].as_str()),
                (401, Some("unauthenticated")),
                "{endpoint}"
            );
        }
        // Staff and board members are not administrators.
        app.account_with_roles("staff@kalletal.example", &[Role::Staff, Role::BoardMember])
            .await;
        let staff = new_client();
        app.sign_in(&staff, "staff@kalletal.example", "sicheres-passwort")
            .await;
        for (endpoint, form, _) in PROTECTED.iter().filter(|p| p.2 == Admin) {
            let (status, body) = error_code(app.call_with(&staff, endpoint, form).await).await;
            assert_eq!(
                (status, body["code"].as_str()),
                (403, Some("forbidden")),
                "{endpoint}"
            );
        }
        // A resident is neither staff nor administrator.
        app.account_with_roles("ida@kalletal.example", &[]).await;
        let resident = new_client();
        app.call_with(
            &resident,
            "login",
            &[
                ("email", "ida@kalletal.example"),
                ("password", "sicheres-passwort"),
            ],
        )
        .await;
        for (endpoint, form, who) in PROTECTED.iter().filter(|p| p.2 != AnyAccount) {
            let (status, body) = error_code(app.call_with(&resident, endpoint, form).await).await;
            assert_eq!(
                (status, body["code"].as_str()),
                (403, Some("forbidden")),
                "{endpoint} {who:?}"
            );
        }
        // Nothing changed: the settings are the defaults, no role was granted.
        assert_eq!(app.count("site_settings").await, 0);
        assert_eq!(app.count("user_roles").await, 3);
        assert_eq!(
            app.count("audit_log WHERE action = 'municipality.updated'")
                .await,
            0
        );
    }
);

db_test!(
    an_admin_grants_and_revokes_roles_with_an_audit_trail,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.account_with_roles("admin@kalletal.example", &[Role::Admin])
            .await;
        app.account_with_roles("ida@kalletal.example", &[]).await;
        app.login("admin@kalletal.example", "sicheres-passwort")
            .await;

        let page: serde_json::Value = app
            .call("admin_users", &[("query", "ida"), ("page", "0")])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(page["total"], 1);
        let ida = page["users"][0]["id"].as_i64().unwrap().to_string();

        let res = app
            .call(
                "admin_set_role",
                &[("user_id", &ida), ("role", "staff"), ("grant", "1")],
            )
            .await;
        assert_eq!(res.status(), 200);
        let page: serde_json::Value = app
            .call("admin_users", &[("query", "ida"), ("page", "0")])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(page["users"][0]["roles"], serde_json::json!(["staff"]));

        let (status, body) = error_code(
            app.call(
                "admin_set_role",
                &[("user_id", &ida), ("role", "kaiser"), ("grant", "1")],
            )
            .await,
        )
        .await;
        assert_eq!(
            (status, body["fields"][0]["field"].as_str()),
            (422, Some("role"))
        );

        app.call(
            "admin_set_role",
            &[("user_id", &ida), ("role", "staff"), ("grant", "0")],
        )
        .await;
        assert_eq!(
            app.count("audit_log WHERE action = 'role.granted' AND details LIKE '%staff%'")
                .await,
            1
        );
        assert_eq!(
            app.count("audit_log WHERE action = 'role.revoked'").await,
            1
        );
        let verification = app::infra::audit::verify(&app.db, None).await.unwrap();
        assert_eq!(verification.first_broken, None);
        // The admin's own role (granted at creation), the admin's second factor switched on
        // at the first login, the grant and the revocation.
        assert_eq!(verification.checked, 4);

        // The last administrator cannot lose the role.
        let me = app.me().await["id"].as_i64().unwrap().to_string();
        let (status, _) = error_code(
            app.call(
                "admin_set_role",
                &[("user_id", &me), ("role", "admin"), ("grant", "0")],
            )
            .await,
        )
        .await;
        assert_eq!(status, 422);
    }
);

db_test!(
    tampering_with_the_audit_trail_is_detected,
    |backend| async move {
        use sea_orm::ConnectionTrait;
        let app = TestApp::spawn(backend).await;
        app.account_with_roles("admin@kalletal.example", &[Role::Admin])
            .await;
        app.account_with_roles("jonas@kalletal.example", &[Role::Staff, Role::BoardMember])
            .await;
        app.account_with_roles("kim@kalletal.example", &[Role::Staff])
            .await;
        assert_eq!(
            app::infra::audit::verify(&app.db, None)
                .await
                .unwrap()
                .first_broken,
            None
        );
        app.db
        .execute_unprepared("UPDATE audit_log SET details = '{\"role\":\"admin\",\"via\":\"cli\"}' WHERE id = 2")
        .await
        .unwrap();
        let v = app::infra::audit::verify(&app.db, None).await.unwrap();
        assert_eq!(v.first_broken.map(|b| b.0), Some(2));
        // Deleting an entry breaks the link of the next one.
        app.db
            .execute_unprepared("DELETE FROM audit_log WHERE id = 2")
            .await
            .unwrap();
        let v = app::infra::audit::verify(&app.db, None).await.unwrap();
        assert_eq!(v.first_broken.map(|b| b.0), Some(3));
    }
);

db_test!(
    admins_edit_the_municipality_name_and_legal_texts,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.account_with_roles("admin@kalletal.example", &[Role::Admin])
            .await;
        app.login("admin@kalletal.example", "sicheres-passwort")
            .await;
        let (status, body) = error_code(
            app.call(
                "update_site_settings",
                &[
                    ("municipality_name", " "),
                    ("impressum", ""),
                    ("privacy", "ok"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(body["fields"].as_array().unwrap().len(), 2);
        let res = app
            .call(
                "update_site_settings",
                &[
                    ("municipality_name", "Gemeinde Kalletal"),
                    ("impressum", "**Rathaus** <script>x()</script>"),
                    ("privacy", "Datenschutz-Text"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let html = app
            .client
            .get(app.url("/impressum"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("<strong>Rathaus</strong>"));
        assert!(!html.contains("<script>x()"));
        assert!(html.contains("Gemeinde Kalletal"));
        assert_eq!(
            app.count("audit_log WHERE action = 'settings.updated'")
                .await,
            1
        );
    }
);
