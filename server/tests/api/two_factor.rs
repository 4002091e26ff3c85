//! The second factor: staff reach only the enrolment page until they enrol; enrolment shows
//! the secret as QR code, text and URI and asks for one code; login asks for the code on a
//! second step; five wrong codes end the attempt; recovery codes work once; disabling,
//! resetting (admin page and command line) and using a recovery code are audited and mailed.

use app::accounts::domain::Role;
use sea_orm::ConnectionTrait;

use crate::helpers::{TestApp, cli, db_test, error_code, new_client, totp_code};

/// Logs in with the password only; returns the JSON answer of the first step.
async fn password_step(app: &TestApp, client: &reqwest::Client, email: &str) -> serde_json::Value {
    let res = app
        .call_with(
            client,
            "login",
            &[("email", email), ("password", "sicheres-passwort")],
        )
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

db_test!(
    staff_reach_only_the_enrolment_page_until_they_enrol,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.account_with_roles("kim@kalletal.example", &[Role::Staff])
            .await;
        let kim = new_client();
        assert_eq!(
            password_step(&app, &kim, "kim@kalletal.example").await,
            "done"
        );
        // Pages lead to the enrolment page, server functions answer 403.
        let page = kim.get(app.url("/staff/residents")).send().await.unwrap();
        assert_eq!(page.status(), 303);
        assert_eq!(
            page.headers()["location"],
            "/account/two-factor?notice=two_factor_required"
        );
        let (status, body) =
            error_code(app.call_with(&kim, "update_municipality", &[]).await).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (403, Some("two_factor_required"))
        );
        // Logging out stays open (another browser, so that Kim's session goes on here).
        let other = new_client();
        password_step(&app, &other, "kim@kalletal.example").await;
        assert_eq!(app.call_with(&other, "logout", &[]).await.status(), 200);
        assert!(app.me_of(&other).await.is_null());
        // The enrolment page itself opens and shows the secret three ways.
        let page = kim
            .get(app.url("/account/two-factor"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        let view = app.json_of(&kim, "two_factor", &[]).await;
        let secret = view["setup"]["secret"].as_str().unwrap().to_owned();
        assert!(
            html.contains(&format!("data-secret=\"{secret}\"")),
            "secret as text"
        );
        assert!(html.contains("<svg"), "QR code");
        assert!(html.contains("otpauth://totp/"), "URI");
        assert_eq!(view["required"], true);
        let uri = view["setup"]["uri"].as_str().unwrap();
        assert!(
            uri.contains(&format!("secret={secret}")) && uri.contains("kim%40kalletal.example")
        );

        // A wrong code switches nothing on; the right one does.
        let (status, body) = error_code(
            app.call_with(&kim, "enable_two_factor", &[("code", "000000")])
                .await,
        )
        .await;
        let now = chrono::Utc::now().timestamp() as u64;
        let wrong_is_right = (0..3).any(|i| totp_code(&secret, now + i * 30 - 30) == "000000");
        if !wrong_is_right {
            assert_eq!(
                (status, body["fields"][0]["field"].as_str()),
                (422, Some("code"))
            );
        }
        let (status, body) = error_code(
            app.call_with(&kim, "enable_two_factor", &[("code", "12a")])
                .await,
        )
        .await;
        assert_eq!(
            (status, body["fields"][0]["field"].as_str()),
            (422, Some("code"))
        );
        app.enrol(&kim, "kim@kalletal.example").await;
        let res = app.call_with(&kim, "update_municipality", &[]).await;
        assert_ne!(res.status(), 403, "staff work once enrolled");
        let page = kim.get(app.url("/staff/residents")).send().await.unwrap();
        assert_eq!(page.status(), 200);

        // Ten recovery codes, shown once on the page, stored only as hashes.
        let view = app.json_of(&kim, "two_factor", &[]).await;
        let codes: Vec<String> = view["fresh_recovery_codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(codes.len(), 10);
        assert_eq!(view["recovery_codes_left"], 10);
        assert!(view["setup"].is_null(), "no secret once enrolled");
        let page = kim
            .get(app.url("/account/two-factor"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains(&codes[0]));
        assert_eq!(app.count("recovery_codes").await, 10);
        let stored = app
            .db
            .query_all_raw(sea_orm::Statement::from_string(
                app.db.get_database_backend(),
                "SELECT code_hash FROM recovery_codes",
            ))
            .await
            .unwrap();
        for row in stored {
            let hash: String = row.try_get("", "code_hash").unwrap();
            assert!(!codes.iter().any(|c| hash.contains(&c.replace('-', ""))));
        }
        // Staff cannot switch it off; the mail told Kim it was switched on.
        let (status, body) = error_code(
            app.call_with(
                &kim,
                "disable_two_factor",
                &[("current_password", "sicheres-passwort")],
            )
            .await,
        )
        .await;
        assert_eq!(
            (status, body["fields"][0]["field"].as_str()),
            (422, Some("current_password"))
        );
        let mails = app.mail_to("kim@kalletal.example").await;
        assert!(
            mails
                .iter()
                .any(|m| m.subject == "Zwei-Faktor-Anmeldung eingeschaltet")
        );
        assert!(
            app.audit_actions()
                .await
                .contains(&"two_factor.enabled".to_owned())
        );
        // A deleted account keeps no recovery codes.
        let res = app
            .call_with(
                &kim,
                "delete_account",
                &[("current_password", "sicheres-passwort")],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(app.count("recovery_codes").await, 0);
    }
);

db_test!(
    login_asks_for_the_code_and_five_wrong_codes_end_the_attempt,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let first = app.client_for("kim@kalletal.example", &[Role::Staff]).await;
        let view = app.json_of(&first, "two_factor", &[]).await;
        let recovery: Vec<String> = view["fresh_recovery_codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect();

        // The password alone signs nobody in; the browser goes on to the code step.
        let kim = new_client();
        let res = app
            .call_with(
                &kim,
                "login",
                &[
                    ("email", "kim@kalletal.example"),
                    ("password", "sicheres-passwort"),
                    ("next", "/staff/residents"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()["location"],
            "/login/code?next=%2Fstaff%2Fresidents"
        );
        let cookies: Vec<String> = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        assert!(
            cookies
                .iter()
                .any(|c| c.starts_with("dorfplatz_login=") && c.contains("HttpOnly"))
        );
        assert!(
            !cookies
                .iter()
                .any(|c| c.starts_with("dorfplatz_session=") && !c.contains("Max-Age=0"))
        );
        assert_eq!(
            res.json::<serde_json::Value>().await.unwrap(),
            "code_required"
        );
        assert!(
            app.call_with(&kim, "me", &[])
                .await
                .json::<serde_json::Value>()
                .await
                .unwrap()
                .is_null()
        );
        let page = kim.get(app.url("/login/code")).send().await.unwrap();
        assert_eq!(page.status(), 200);
        assert!(
            page.text()
                .await
                .unwrap()
                .contains("autocomplete=\"one-time-code\"")
        );

        // Four wrong codes say how many tries are left; the fifth ends the attempt.
        for left in (1..=4).rev() {
            let (status, body) = error_code(
                app.call_with(&kim, "login_code", &[("code", "abcde-fghjk")])
                    .await,
            )
            .await;
            assert_eq!(status, 422);
            let message = body["fields"][0]["message"].as_str().unwrap();
            assert!(message.contains(&format!("Noch {left} ")), "{message}");
        }
        let (_, body) = error_code(
            app.call_with(&kim, "login_code", &[("code", "abcde-fghjk")])
                .await,
        )
        .await;
        assert!(
            body["fields"][0]["message"]
                .as_str()
                .unwrap()
                .contains("beendet")
        );
        // Even the right code does not help now: the password must come again.
        let code = app.fresh_code("kim@kalletal.example").await;
        let (status, body) =
            error_code(app.call_with(&kim, "login_code", &[("code", &code)]).await).await;
        assert_eq!(status, 422);
        assert!(
            body["fields"][0]["message"]
                .as_str()
                .unwrap()
                .contains("beendet")
        );
        assert_eq!(app.count("login_challenges").await, 0);

        // Password and the right code: signed in, on the page asked for, with a new session.
        password_step(&app, &kim, "kim@kalletal.example").await;
        let code = app.fresh_code("kim@kalletal.example").await;
        let res = app
            .call_with(
                &kim,
                "login_code",
                &[("code", &code), ("next", "/staff/residents")],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["location"], "/staff/residents");
        assert_eq!(app.me_of(&kim).await["email"], "kim@kalletal.example");
        // A code works once: the same code again, on a new attempt, is refused.
        let again = new_client();
        password_step(&app, &again, "kim@kalletal.example").await;
        let (status, _) = error_code(
            app.call_with(&again, "login_code", &[("code", &code)])
                .await,
        )
        .await;
        assert_eq!(status, 422, "a used code is refused");

        // A recovery code signs in once, is audited and mailed; the second use is refused.
        let (status, _) = error_code(
            app.call_with(&again, "login_code", &[("code", &recovery[0])])
                .await,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(app.me_of(&again).await["email"], "kim@kalletal.example");
        let third = new_client();
        password_step(&app, &third, "kim@kalletal.example").await;
        let (status, _) = error_code(
            app.call_with(&third, "login_code", &[("code", &recovery[0])])
                .await,
        )
        .await;
        assert_eq!(status, 422);
        let (status, _) = error_code(
            app.call_with(
                &third,
                "login_code",
                &[("code", &recovery[1].to_uppercase())],
            )
            .await,
        )
        .await;
        assert_eq!(status, 200, "recovery codes are read case-insensitively");
        let mails = app.mail_to("kim@kalletal.example").await;
        let used: Vec<_> = mails
            .iter()
            .filter(|m| m.subject == "Wiederherstellungscode verwendet")
            .collect();
        assert_eq!(used.len(), 2);
        assert!(used[1].text.contains("noch 8 unbenutzte Codes"));
        assert_eq!(
            app.audit_actions()
                .await
                .iter()
                .filter(|a| *a == "two_factor.recovery_code_used")
                .count(),
            2
        );
    }
);

db_test!(
    residents_may_enrol_and_switch_off_and_admins_reset,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let admin = app.client_for("ada@kalletal.example", &[Role::Admin]).await;
        let anna = app.client_for("anna@kalletal.example", &[]).await;
        app.enrol(&anna, "anna@kalletal.example").await;
        assert_eq!(app.me_of(&anna).await["two_factor"], true);
        // New recovery codes need the password and replace the old ones.
        let old = app.json_of(&anna, "two_factor", &[]).await;
        let (status, _) = error_code(
            app.call_with(
                &anna,
                "renew_recovery_codes",
                &[("current_password", "falsch-falsch")],
            )
            .await,
        )
        .await;
        assert_eq!(status, 422);
        let res = app
            .call_with(
                &anna,
                "renew_recovery_codes",
                &[("current_password", "sicheres-passwort")],
            )
            .await;
        assert_eq!(res.status(), 200);
        let new = app.json_of(&anna, "two_factor", &[]).await;
        assert_ne!(old["fresh_recovery_codes"], new["fresh_recovery_codes"]);
        assert_eq!(
            app.count("recovery_codes").await,
            20,
            "Ada's ten and Anna's ten"
        );
        // A resident may switch it off again; that is audited and mailed.
        let res = app
            .call_with(
                &anna,
                "disable_two_factor",
                &[("current_password", "sicheres-passwort")],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(app.me_of(&anna).await["two_factor"], false);
        let fresh = new_client();
        assert_eq!(
            password_step(&app, &fresh, "anna@kalletal.example").await,
            "done"
        );

        // An admin resets a staff member who lost phone and codes: the staff member's
        // sessions end, the reset is audited and mailed, and the next login enrols anew.
        let kim = app.client_for("kim@kalletal.example", &[Role::Staff]).await;
        let users = app
            .json_of(&admin, "admin_users", &[("query", "kim@"), ("page", "0")])
            .await;
        assert_eq!(users["users"][0]["two_factor"], true);
        let kim_id = users["users"][0]["id"].as_i64().unwrap().to_string();
        let (status, body) = error_code(
            app.call_with(&kim, "admin_reset_two_factor", &[("user_id", &kim_id)])
                .await,
        )
        .await;
        assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")));
        // An administrator does not reset their own second factor.
        let ada_id = app.me_of(&admin).await["id"].as_i64().unwrap().to_string();
        let (status, body) = error_code(
            app.call_with(&admin, "admin_reset_two_factor", &[("user_id", &ada_id)])
                .await,
        )
        .await;
        assert_eq!(
            (status, body["fields"][0]["field"].as_str()),
            (422, Some("user_id"))
        );
        let res = app
            .call_with(&admin, "admin_reset_two_factor", &[("user_id", &kim_id)])
            .await;
        assert_eq!(res.status(), 200);
        assert!(app.me_of(&kim).await.is_null(), "Kim's session ended");
        let kim = new_client();
        assert_eq!(
            password_step(&app, &kim, "kim@kalletal.example").await,
            "done"
        );
        let (status, body) =
            error_code(app.call_with(&kim, "update_municipality", &[]).await).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (403, Some("two_factor_required"))
        );
        let actions = app.audit_actions().await;
        assert!(actions.contains(&"two_factor.disabled".to_owned()));
        assert!(actions.contains(&"two_factor.reset".to_owned()));
        let subjects: Vec<String> = app
            .mail_to("kim@kalletal.example")
            .await
            .into_iter()
            .map(|m| m.subject)
            .collect();
        assert!(subjects.contains(&"Zwei-Faktor-Anmeldung zurückgesetzt".to_owned()));
        assert!(
            app.mail_to("anna@kalletal.example")
                .await
                .iter()
                .any(|m| m.subject == "Zwei-Faktor-Anmeldung ausgeschaltet")
        );

        // The command line resets too (the admin who lost both).
        app.enrol(&kim, "kim@kalletal.example").await;
        let dir = tempfile::tempdir().unwrap();
        let out = cli(
            &app,
            dir.path(),
            &["user", "reset-2fa", "--email", "kim@kalletal.example"],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("zurückgesetzt"));
        assert!(app.me_of(&kim).await.is_null());
        assert_eq!(
            app.audit_actions()
                .await
                .iter()
                .filter(|a| *a == "two_factor.reset")
                .count(),
            2
        );
    }
);
