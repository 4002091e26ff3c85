use crate::helpers::{TestApp, db_test};

db_test!(
    pages_render_in_german_with_security_headers,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let res = app.client.get(app.url("/")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let headers = res.headers().clone();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(csp.contains("'nonce-"), "{csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "same-origin");
        let html = res.text().await.unwrap();
        assert!(html.contains("<html lang=\"de\""));
        assert!(html.contains("Zum Inhalt springen"));
        assert!(
            html.contains("Meine Gemeinde"),
            "default municipality name in the header"
        );
        assert!(html.contains("href=\"/impressum\"") && html.contains("href=\"/datenschutz\""));

        let res = app
            .client
            .get(app.url("/gibt-es-nicht"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        assert!(res.text().await.unwrap().contains("Seite nicht gefunden"));

        // Protected pages send guests to the login, and back afterwards.
        let res = app
            .client
            .get(app.url("/account"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 302);
        assert_eq!(
            res.headers()["location"],
            "/login?notice=login_required&next=/account"
        );
    }
);

db_test!(residents_see_no_admin_pages, |backend| async move {
    let app = TestApp::spawn(backend).await;
    app.signed_in_resident("mia@kalletal.example").await;
    let res = app
        .client
        .get(app.url("/admin/users"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let html = res.text().await.unwrap();
    assert!(html.contains("Keine Berechtigung"));
    assert!(!html.contains("mia@kalletal.example</td>"));
});

db_test!(
    cross_site_posts_are_refused_and_write_nothing,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let form = [
            ("email", "nora@kalletal.example"),
            ("display_name", "Nora"),
            ("password", "sicheres-passwort"),
        ];
        let missing = app
            .client
            .post(app.url("/api/register"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 403);
        assert!(missing.text().await.unwrap().contains("Anfrage abgelehnt"));
        let foreign = app
            .client
            .post(app.url("/api/register"))
            .header("origin", "https://evil.example")
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(foreign.status(), 403);
        assert_eq!(app.count("users").await, 0);
    }
);

db_test!(
    the_health_check_reports_the_database,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let res = app.client.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.json::<serde_json::Value>().await.unwrap(),
            serde_json::json!({"status": "ok", "database": "ok"})
        );
        app.db.clone().close().await.unwrap();
        let res = app.client.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(res.status(), 503);
        assert_eq!(
            res.json::<serde_json::Value>().await.unwrap()["database"],
            "unreachable"
        );
    }
);

db_test!(
    a_server_function_called_with_bad_arguments_answers_with_an_error,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        // A number that is none, and a required argument missing: the answer is the
        // `request` error (server_fn answers arguments it cannot read with status 500), not
        // a dropped connection.
        for form in [&[("slug", "x"), ("after", "abc")][..], &[][..]] {
            let res = app.call("review_page", form).await;
            assert!(res.status().is_client_error() || res.status().is_server_error());
            let body: serde_json::Value = res.json().await.unwrap();
            assert_eq!(body["code"], "request", "{body}");
        }
    }
);
