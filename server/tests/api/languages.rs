//! The interface in German and English: the switch (a plain form), the cookie that keeps
//! the choice, the browser's Accept-Language, `<html lang>`, and the account's language.

use app::infra::entities::user;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::helpers::{TestApp, db_test, new_client};

async fn html(client: &reqwest::Client, app: &TestApp, path: &str, accept: Option<&str>) -> String {
    let (status, body) = fetch(client, app, path, accept).await;
    assert_eq!(status, 200, "{path}");
    body
}

async fn fetch(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    accept: Option<&str>,
) -> (u16, String) {
    let mut req = client.get(app.url(path));
    if let Some(accept) = accept {
        req = req.header("accept-language", accept);
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn switch(
    client: &reqwest::Client,
    app: &TestApp,
    lang: &str,
    next: &str,
) -> reqwest::Response {
    client
        .post(app.url("/language"))
        .header("origin", format!("http://{}", app.addr))
        .form(&[("lang", lang), ("next", next)])
        .send()
        .await
        .unwrap()
}

db_test!(
    the_language_follows_the_choice_then_the_browser,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let guest = new_client();

        // Without a choice: German, unless the browser asks for English.
        let page = html(&guest, &app, "/petitions", None).await;
        assert!(page.contains(r#"<html lang="de" dir="ltr""#));
        assert!(page.contains("<h1>Bürgerbegehren</h1>"));
        let page = html(&guest, &app, "/petitions", Some("en-GB,en;q=0.9,de;q=0.5")).await;
        assert!(page.contains(r#"<html lang="en" dir="ltr""#));
        assert!(
            page.contains("<h1>Citizens&#x27; petitions</h1>")
                || page.contains("<h1>Citizens' petitions</h1>")
        );
        assert!(page.contains("Skip to content"));
        assert!(!page.contains("Zum Inhalt springen"));
        // A page without an island loads no script file (neither the wasm's module nor the
        // texts); a page with one (the signing form) links the texts of its own language
        // for the browser, in a script that is cached for good (its name changes with the
        // texts) and holds no email texts.
        assert!(!page.contains("/pkg/dorfplatz.js"), "{page}");
        assert!(!page.contains("/i18n/"), "{page}");
        let (_, page) = fetch(
            &guest,
            &app,
            "/petitions/gibt-es-nicht/sign",
            Some("en-GB,en;q=0.9,de;q=0.5"),
        )
        .await;
        assert!(page.contains("/pkg/dorfplatz"), "{page}");
        let start = page
            .find(r#"<script defer src="/i18n/en-"#)
            .expect("messages script");
        let path = page[start..].split('"').nth(1).unwrap().to_owned();
        assert!(path.ends_with(".js"), "{path}");
        let res = guest.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        let script = res.text().await.unwrap();
        assert!(
            script.starts_with("self.dorfplatzMessages="),
            "{script:.80}"
        );
        // Only what the islands draw in the browser: the signing form's texts, not the
        // rest of the page (drawn on the server) nor the emails.
        assert!(script.contains("Please check the marked fields."));
        assert!(script.contains("Surname"));
        assert!(!script.contains("Skip to content"));
        assert!(!script.contains("Bitte prüfen Sie"));
        assert!(!script.contains("mail-footer"));
        // A page from before a release still gets texts, just not cached.
        let res = guest
            .get(app.url("/i18n/de-000000000000.js"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["cache-control"], "no-cache");
        assert!(res.text().await.unwrap().contains("Bitte prüfen Sie"));
        let (status, _) = fetch(&guest, &app, "/i18n/xx-1.js", None).await;
        assert_eq!(status, 404);

        // The switch keeps the choice in a cookie and leads back to the page; the choice beats
        // the browser's wish.
        let res = switch(&guest, &app, "en", "/petitions?x=1").await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/petitions?x=1");
        let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(cookie.starts_with("dorfplatz_lang=en;"), "{cookie}");
        assert!(cookie.contains("Max-Age=31536000"));
        let page = html(&guest, &app, "/", Some("de-DE")).await;
        assert!(page.contains(r#"<html lang="en""#));
        assert!(page.contains("Welcome to Dorfplatz"));
        // Errors the server names by code speak the page's language too.
        let (status, body) = fetch(&guest, &app, "/petitions/gibt-es-nicht", None).await;
        assert_eq!(status, 404);
        assert!(
            body.contains("This page or entry does not exist."),
            "{body}"
        );

        let res = switch(&guest, &app, "de", "/").await;
        assert_eq!(res.status(), 303);
        let page = html(&guest, &app, "/", Some("en")).await;
        assert!(page.contains(r#"<html lang="de""#));
        assert!(page.contains("Willkommen auf dem Dorfplatz"));

        // An unknown language changes nothing; a foreign `next` leads home, not away.
        let res = switch(&guest, &app, "xx", "/petitions").await;
        assert_eq!(res.status(), 303);
        assert!(res.headers().get("set-cookie").is_none());
        let res = switch(&guest, &app, "en", "//evil.example/").await;
        assert_eq!(res.headers()["location"], "/");
    }
);

db_test!(
    a_signed_in_account_keeps_its_language,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in_resident("anna@example.org").await;
        let language = || async {
            user::Entity::find()
                .filter(user::Column::Email.eq("anna@example.org"))
                .one(&app.db)
                .await
                .unwrap()
                .unwrap()
                .language
        };
        // Signed up in German (no browser wish): the account starts in German.
        assert_eq!(language().await.as_deref(), Some("de"));
        let res = switch(&app.client, &app, "en", "/account").await;
        assert_eq!(res.status(), 303);
        assert_eq!(language().await.as_deref(), Some("en"));
        let page = html(&app.client, &app, "/", None).await;
        assert!(page.contains("You are signed in as Anna Schmidt."));
    }
);

db_test!(
    account_mails_speak_the_accounts_language,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        // Signed up from an English browser: the confirmation mail is English, and so is a later
        // password reset asked for from a German browser (the account keeps its language).
        let res = app
            .client
            .post(app.url("/api/register"))
            .header("origin", format!("http://{}", app.addr))
            .header("accept", "application/json")
            .header("accept-language", "en-GB,en;q=0.8")
            .form(&[
                ("email", "mary@example.org"),
                ("display_name", "Mary Jones"),
                ("password", "sicheres-passwort"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let mails = app.mail_to("mary@example.org").await;
        let confirm = mails.last().unwrap();
        assert_eq!(confirm.subject, "Please confirm your email address");
        assert!(
            confirm.text.contains("Hello Mary Jones,"),
            "{}",
            confirm.text
        );

        let res = new_client()
            .post(app.url("/api/request_password_reset"))
            .header("origin", format!("http://{}", app.addr))
            .header("accept", "application/json")
            .header("accept-language", "de-DE")
            .form(&[("email", "mary@example.org")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let mails = app.mail_to("mary@example.org").await;
        assert!(
            mails.iter().any(|m| m.subject == "Reset your password"),
            "{:?}",
            mails.iter().map(|m| &m.subject).collect::<Vec<_>>()
        );
    }
);
