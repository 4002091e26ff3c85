use crate::helpers::{TestApp, db_test, error_code, new_client, page_text};

db_test!(
    registering_confirming_logging_in_and_out_works,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let res = app
            .register("eva@kalletal.example", "Eva Becker", "ein-langes-passwort")
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["location"], "/login?notice=registered");

        let mails = app.mail_to("eva@kalletal.example").await;
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].subject, "Bitte bestätigen Sie Ihre E-Mail-Adresse");
        assert!(mails[0].text.contains("Hallo Eva Becker"));
        assert!(mails[0].html.contains("<a href=\"http://"));

        // Before confirmation, login is refused with a clear reason.
        let (status, body) = error_code(
            app.call(
                "login",
                &[
                    ("email", "eva@kalletal.example"),
                    ("password", "ein-langes-passwort"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (422, Some("email_not_confirmed"))
        );

        let token = app
            .token_from_mail("eva@kalletal.example", "/confirm")
            .await;
        let res = app.call("confirm_email", &[("token", &token)]).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["location"], "/login?notice=confirmed");

        let res = app
            .call(
                "login",
                &[
                    ("email", "EVA@kalletal.example "),
                    ("password", "ein-langes-passwort"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(cookie.starts_with("dorfplatz_session="));
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        assert!(!cookie.contains("Secure"), "plain http must not set Secure");
        assert_eq!(app.me().await["display_name"], "Eva Becker");

        assert_eq!(app.call("logout", &[]).await.status(), 200);
        assert!(app.me().await.is_null());
        assert_eq!(app.count("sessions").await, 0);
    }
);

db_test!(
    bad_registration_input_gets_field_messages_and_writes_nothing,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let long_name = "x".repeat(500);
        let (status, body) =
            error_code(app.register("keine-adresse", &long_name, "kurz").await).await;
        assert_eq!(status, 422);
        assert_eq!(body["code"], "validation");
        let fields: Vec<&str> = body["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["email", "display_name", "password"]);
        assert!(
            body["fields"][2]["message"]
                .as_str()
                .unwrap()
                .contains("mindestens 10 Zeichen")
        );
        assert_eq!(app.count("users").await, 0);
        assert_eq!(app.count("outbox").await, 0);
    }
);

db_test!(
    registering_a_taken_address_reveals_nothing,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in_resident("anna@kalletal.example").await;
        let other = new_client();
        let res = app
            .call_with(
                &other,
                "register",
                &[
                    ("email", "anna@kalletal.example"),
                    ("display_name", "Jemand"),
                    ("password", "anderes-passwort"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["location"], "/login?notice=registered");
        assert_eq!(app.count("users").await, 1);
        let mails = app.mail_to("anna@kalletal.example").await;
        assert_eq!(mails.last().unwrap().subject, "Sie haben bereits ein Konto");
    }
);

db_test!(
    wrong_password_and_unknown_address_get_the_same_answer,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.account_with_roles("bernd@kalletal.example", &[]).await;
        let wrong = error_code(
            app.call(
                "login",
                &[
                    ("email", "bernd@kalletal.example"),
                    ("password", "falsches-passwort"),
                ],
            )
            .await,
        )
        .await;
        let unknown = error_code(
            app.call(
                "login",
                &[
                    ("email", "niemand@kalletal.example"),
                    ("password", "falsches-passwort"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(wrong, unknown);
        assert_eq!(wrong.0, 401);
        assert_eq!(wrong.1["code"], "invalid_credentials");
        assert_eq!(app.count("sessions").await, 0);
    }
);

db_test!(
    repeated_wrong_passwords_are_rate_limited,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.account_with_roles("carla@kalletal.example", &[]).await;
        for _ in 0..5 {
            let (status, _) = error_code(
                app.call(
                    "login",
                    &[
                        ("email", "carla@kalletal.example"),
                        ("password", "geraten-123"),
                    ],
                )
                .await,
            )
            .await;
            assert_eq!(status, 401);
        }
        let (status, body) = error_code(
            app.call(
                "login",
                &[
                    ("email", "carla@kalletal.example"),
                    ("password", "sicheres-passwort"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!((status, body["code"].as_str()), (429, Some("rate_limited")));
    }
);

db_test!(
    password_reset_works_once_and_ends_sessions,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in_resident("dora@kalletal.example").await;
        let anonymous = new_client();
        let res = app
            .call_with(
                &anonymous,
                "request_password_reset",
                &[("email", "dora@kalletal.example")],
            )
            .await;
        assert_eq!(res.status(), 200);
        // Unknown addresses get the very same answer, and no mail goes out.
        let res2 = app
            .call_with(
                &anonymous,
                "request_password_reset",
                &[("email", "unbekannt@kalletal.example")],
            )
            .await;
        assert_eq!(res2.status(), 200);
        assert_eq!(res.headers()["location"], res2.headers()["location"]);

        let token = app
            .token_from_mail("dora@kalletal.example", "/password-reset/new")
            .await;
        assert!(app.mail_to("unbekannt@kalletal.example").await.is_empty());
        let res = app
            .call_with(
                &anonymous,
                "reset_password",
                &[("token", &token), ("password", "ganz-neues-passwort")],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["location"], "/login?notice=password_reset");
        // The session opened before the reset is gone.
        assert!(app.me().await.is_null());

        let (status, body) = error_code(
            app.call_with(
                &anonymous,
                "reset_password",
                &[("token", &token), ("password", "noch-ein-passwort")],
            )
            .await,
        )
        .await;
        assert_eq!((status, body["code"].as_str()), (422, Some("link_invalid")));
        let (status, _) = error_code(
            app.call(
                "login",
                &[
                    ("email", "dora@kalletal.example"),
                    ("password", "sicheres-passwort"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(status, 401);
        app.login("dora@kalletal.example", "ganz-neues-passwort")
            .await;
    }
);

db_test!(
    forged_and_expired_links_are_rejected,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.register("emil@kalletal.example", "Emil", "sicheres-passwort")
            .await;
        let token = app
            .token_from_mail("emil@kalletal.example", "/confirm")
            .await;
        for forged in ["", "abc", &"x".repeat(500)] {
            let (status, body) =
                error_code(app.call("confirm_email", &[("token", forged)]).await).await;
            assert_eq!(
                (status, body["code"].as_str()),
                (422, Some("link_invalid")),
                "{forged:?}"
            );
        }
        app.db
            .execute_unprepared("UPDATE account_tokens SET expires_at = created_at")
            .await
            .unwrap();
        let (status, body) =
            error_code(app.call("confirm_email", &[("token", &token)]).await).await;
        assert_eq!((status, body["code"].as_str()), (422, Some("link_invalid")));
        let unconfirmed: i64 = app.count("users WHERE email_confirmed_at IS NULL").await;
        assert_eq!(unconfirmed, 1);
    }
);
use sea_orm::ConnectionTrait;

db_test!(
    changing_the_password_needs_the_current_one,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in_resident("fritz@kalletal.example").await;
        let (status, body) = error_code(
            app.call(
                "change_password",
                &[
                    ("current_password", "falsch-falsch"),
                    ("password", "neues-passwort-1"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(body["fields"][0]["field"], "current_password");
        let (status, body) = error_code(
            app.call(
                "change_password",
                &[
                    ("current_password", "sicheres-passwort"),
                    ("password", "kurz"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(
            (status, body["fields"][0]["field"].as_str()),
            (422, Some("password"))
        );
        let res = app
            .call(
                "change_password",
                &[
                    ("current_password", "sicheres-passwort"),
                    ("password", "neues-passwort-1"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            app.mail_to("fritz@kalletal.example")
                .await
                .last()
                .unwrap()
                .subject,
            "Ihr Passwort wurde geändert"
        );
        // This session stays; the new password works from elsewhere.
        assert_eq!(app.me().await["email"], "fritz@kalletal.example");
        let other = new_client();
        assert_eq!(
            app.call_with(
                &other,
                "login",
                &[
                    ("email", "fritz@kalletal.example"),
                    ("password", "neues-passwort-1")
                ]
            )
            .await
            .status(),
            200
        );
    }
);

db_test!(
    changing_the_address_takes_effect_after_confirmation,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in_resident("gina@kalletal.example").await;
        let res = app
            .call(
                "change_email",
                &[
                    ("email", "gina.neu@kalletal.example"),
                    ("current_password", "sicheres-passwort"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(app.me().await["email"], "gina@kalletal.example");
        assert_eq!(
            app.mail_to("gina@kalletal.example")
                .await
                .last()
                .unwrap()
                .subject,
            "Änderung Ihrer E-Mail-Adresse angefordert"
        );
        let token = app
            .token_from_mail("gina.neu@kalletal.example", "/confirm")
            .await;
        let res = app.call("confirm_email", &[("token", &token)]).await;
        assert_eq!(res.headers()["location"], "/account?notice=email_changed");
        assert_eq!(app.me().await["email"], "gina.neu@kalletal.example");
    }
);

db_test!(
    deleting_the_account_removes_personal_data,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in_resident("hans@kalletal.example").await;
        let (status, _) = error_code(
            app.call("delete_account", &[("current_password", "falsch-falsch")])
                .await,
        )
        .await;
        assert_eq!(status, 422);
        let res = app
            .call(
                "delete_account",
                &[("current_password", "sicheres-passwort")],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["location"], "/?notice=account_deleted");
        assert!(app.me().await.is_null());
        assert_eq!(app.count("users WHERE email IS NULL AND display_name IS NULL AND password_hash IS NULL AND deleted_at IS NOT NULL").await, 1);
        assert_eq!(app.count("sessions").await, 0);
        assert_eq!(
            app.count("audit_log WHERE action = 'account.deleted'")
                .await,
            1
        );
        let (status, _) = error_code(
            app.call(
                "login",
                &[
                    ("email", "hans@kalletal.example"),
                    ("password", "sicheres-passwort"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(status, 401);
        // The address is free again.
        assert_eq!(
            app.register("hans@kalletal.example", "Hans", "sicheres-passwort")
                .await
                .status(),
            200
        );
        assert_eq!(app.count("users").await, 2);
    }
);

db_test!(
    a_form_post_without_javascript_redirects_back_with_the_error,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let res = app
            .client
            .post(app.url("/api/register"))
            .header("origin", format!("http://{}", app.addr))
            .header("referer", app.url("/register"))
            .header("accept", "text/html,application/xhtml+xml")
            .form(&[
                ("email", "x"),
                ("display_name", "Xaver Überall"),
                ("password", "kurz-und-geheim"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 302);
        let set_cookie = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("dorfplatz_form="))
            .expect("the cookie the returned input is bound to")
            .to_owned();
        assert!(set_cookie.contains("HttpOnly"));
        let location = res.headers()["location"].to_str().unwrap().to_owned();
        assert!(
            location.starts_with(&app.url("/register?__path=")),
            "{location}"
        );
        assert!(location.contains("__err="));
        // The page it leads to shows the German message at the field.
        let html = page_text(&app.client, &location).await;
        assert!(
            html.contains("Bitte geben Sie eine gültige E-Mail-Adresse ein"),
            "{html}"
        );
        assert!(html.contains("aria-invalid=\"true\""));
        // What was typed comes back in the form, except the password; in the address it is
        // sealed, so neither the name nor the password can be read there (or in logs).
        assert!(location.contains("__input="), "{location}");
        assert!(!location.contains("Xaver") && !location.contains("geheim"));
        assert!(html.contains(r#"value="Xaver Überall""#), "{html}");
        assert!(html.contains(r#"value="x""#));
        assert!(!html.contains("kurz-und-geheim"));
        // Only the browser that typed it can open it: the address alone (from a log, a
        // shared computer's history or a link someone sends) shows nothing.
        let html = page_text(&new_client(), &location).await;
        assert!(html.contains("Bitte geben Sie eine gültige E-Mail-Adresse ein"));
        assert!(!html.contains("Xaver"));
        // The sealed input belongs to this form: under another form's path it shows nothing.
        let elsewhere = location.replace("__path=%2Fapi%2Fregister", "__path=%2Fapi%2Flogin");
        let html = page_text(&app.client, &elsewhere).await;
        assert!(!html.contains("Xaver"));
        assert_eq!(app.count("users").await, 0);
    }
);
