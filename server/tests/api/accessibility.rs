//! The duties of a public body's website: the accessibility statement the administration
//! edits, barrier feedback from anyone to the staff's answer by mail, the page in Leichte
//! Sprache, the privacy statement's starting text, and "Meine Daten".

use app::accounts::domain::Role;
use app::infra::entities::barrier_feedback;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};

use crate::helpers::{SIGNER, TestApp, cast, collecting, db_test, error_code, new_client};

const STATEMENT: &[(&str, &str)] = &[
    ("compliance", "partial"),
    ("non_accessible", "- PDF-Protokolle sind nicht getaggt."),
    ("method", "Selbstbewertung mit axe-core."),
    ("prepared_on", "2026-12-01"),
    ("reviewed_on", "06.12.2026"),
    (
        "contact",
        "Rathaus Kalletal, Zimmer 12, Telefon 05264 6440-0",
    ),
    (
        "enforcement",
        "Ombudsstelle für barrierefreie Informationstechnik NRW",
    ),
    ("due_days", "10"),
];

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let res = client.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

fn fields(body: &serde_json::Value) -> Vec<&str> {
    body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect()
}

db_test!(
    the_statement_has_every_part_and_the_administration_keeps_it_true,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        // Before anyone edits it, the statement says what Dorfplatz itself does not meet.
        let (status, html) = page(&app, &new_client(), "/barrierefreiheit").await;
        assert_eq!(status, 200);
        for part in [
            "Stand der Vereinbarkeit mit den Anforderungen",
            "teilweise mit den Anforderungen der BITV 2.0",
            "Nicht barrierefreie Inhalte",
            "PDF/UA",
            "Erstellung dieser Erklärung",
            "Barrieren melden",
            "Schlichtungsverfahren",
            "Ombudsstelle für barrierefreie Informationstechnik",
            "Barriere melden",
        ] {
            assert!(html.contains(part), "{part}");
        }
        // Every page links to it.
        let (_, start) = page(&app, &new_client(), "/").await;
        assert!(start.contains("href=\"/barrierefreiheit\""));
        assert!(start.contains("href=\"/leichte-sprache\""));

        let admin = app
            .client_for("admin@kalletal.example", &[Role::Admin])
            .await;
        let mut bad: Vec<(&str, &str)> = STATEMENT.to_vec();
        bad[0] = ("compliance", "meistens");
        bad[4] = ("reviewed_on", "30.11.2026");
        bad[5] = ("contact", "  ");
        let (status, body) = error_code(
            app.call_with(&admin, "save_accessibility_statement", &bad)
                .await,
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(fields(&body), ["compliance", "contact", "reviewed_on"]);
        assert!(
            body["fields"][2]["message"]
                .as_str()
                .unwrap()
                .contains("nicht vor der Erstellung")
        );

        let res = app
            .call_with(&admin, "save_accessibility_statement", STATEMENT)
            .await;
        assert_eq!(res.status(), 200);
        let (_, html) = page(&app, &new_client(), "/barrierefreiheit").await;
        assert!(html.contains("Rathaus Kalletal, Zimmer 12"));
        assert!(html.contains("am 01.12.2026 erstellt und zuletzt am 06.12.2026 überprüft"));
        assert!(html.contains("innerhalb von 10 Tagen"));
        assert!(!html.contains("PDF/UA"));
        assert!(
            app.audit_actions()
                .await
                .contains(&"accessibility.statement_saved".to_owned())
        );
    }
);

db_test!(
    anyone_reports_a_barrier_and_staff_answer_by_mail,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let visitor = new_client();
        // Only the description is required, and it is named where it is missing.
        let (status, body) = error_code(
            app.call_with(
                &visitor,
                "send_barrier_feedback",
                &[("description", "kurz"), ("email", "keine-adresse")],
            )
            .await,
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(fields(&body), ["email", "description"]);
        assert_eq!(app.count("barrier_feedback").await, 0);

        let res = app
            .call_with(
                &visitor,
                "send_barrier_feedback",
                &[
                    ("name", "Erika Brandt"),
                    ("email", "Erika@Example.org"),
                    ("page", "/petitions"),
                    (
                        "description",
                        "Die grauen Datumsangaben kann ich kaum lesen.",
                    ),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let anonymous = app
            .call_with(
                &visitor,
                "send_barrier_feedback",
                &[(
                    "description",
                    "Das PDF-Protokoll liest mein Bildschirmleser nicht vor.",
                )],
            )
            .await;
        assert_eq!(anonymous.status(), 200);

        let staff = app.client_for("kim@kalletal.example", &[Role::Staff]).await;
        let queue = app.json_of(&staff, "barrier_feedback_queue", &[]).await;
        let new = queue["new"].as_array().unwrap();
        assert_eq!(new.len(), 2);
        assert_eq!(new[0]["email"], "erika@example.org");
        assert_eq!(new[0]["name"], "Erika Brandt");
        assert_eq!(new[0]["overdue"], false);
        assert_eq!(new[1]["email"], serde_json::Value::Null);
        assert_eq!(queue["due_days"], 14);
        let id = new[0]["id"].as_i64().unwrap().to_string();
        let anonymous_id = new[1]["id"].as_i64().unwrap().to_string();

        // An empty answer changes nothing.
        let (status, body) = error_code(
            app.call_with(
                &staff,
                "barrier_feedback_step",
                &[("id", &id), ("step", "answer"), ("answer", " ")],
            )
            .await,
        )
        .await;
        assert_eq!((status, fields(&body)), (422, vec!["answer"]));
        assert!(app.mail_to("erika@example.org").await.is_empty());

        let res = app
            .call_with(
                &staff,
                "barrier_feedback_step",
                &[
                    ("id", &id),
                    ("step", "answer"),
                    ("answer", "Wir haben den Kontrast der Datumsangaben erhöht."),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let mails = app.mail_to("erika@example.org").await;
        assert_eq!(mails.len(), 1);
        assert_eq!(
            mails[0].subject,
            "Antwort auf Ihre Rückmeldung zur Barrierefreiheit"
        );
        assert!(
            mails[0]
                .text
                .contains("Wir haben den Kontrast der Datumsangaben erhöht.")
        );
        assert!(
            mails[0]
                .text
                .contains("Die grauen Datumsangaben kann ich kaum lesen.")
        );

        // Without an address the answer is only noted.
        let sent_before = app.deliver_mail().await.len();
        app.call_with(
            &staff,
            "barrier_feedback_step",
            &[
                ("id", &anonymous_id),
                ("step", "answer"),
                ("answer", "Getaggte PDF-Protokolle sind in Arbeit."),
            ],
        )
        .await;
        assert_eq!(app.deliver_mail().await.len(), sent_before);

        let queue = app.json_of(&staff, "barrier_feedback_queue", &[]).await;
        assert_eq!(queue["new"].as_array().unwrap().len(), 0);
        let answered = queue["answered"].as_array().unwrap();
        assert_eq!(answered.len(), 2);
        assert_eq!(answered[0]["answered_by"], "Test Person");
        assert!(answered[0]["answered_at"].is_string());

        // Closed, then reopened; a closed report cannot be answered.
        app.call_with(
            &staff,
            "barrier_feedback_step",
            &[("id", &id), ("step", "close")],
        )
        .await;
        let (status, body) = error_code(
            app.call_with(
                &staff,
                "barrier_feedback_step",
                &[("id", &id), ("step", "answer"), ("answer", "Noch etwas.")],
            )
            .await,
        )
        .await;
        assert_eq!((status, fields(&body)), (422, vec!["step"]));
        app.call_with(
            &staff,
            "barrier_feedback_step",
            &[("id", &id), ("step", "reopen")],
        )
        .await;
        let queue = app.json_of(&staff, "barrier_feedback_queue", &[]).await;
        assert_eq!(queue["new"][0]["id"].as_i64().unwrap().to_string(), id);

        let actions = app.audit_actions().await;
        for action in [
            "accessibility.feedback_received",
            "accessibility.feedback_viewed",
            "accessibility.feedback_answered",
            "accessibility.feedback_closed",
            "accessibility.feedback_reopened",
        ] {
            assert!(actions.contains(&action.to_owned()), "{action}");
        }
        // Residents do not see the queue.
        let resident = app.client_for("ida@kalletal.example", &[]).await;
        let (status, _) = error_code(
            app.call_with(&resident, "barrier_feedback_queue", &[])
                .await,
        )
        .await;
        assert_eq!(status, 403);
    }
);

db_test!(
    unanswered_feedback_is_overdue_after_the_set_days,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let now = chrono::Utc::now();
        for (days, status) in [(20, "new"), (3, "new"), (20, "answered")] {
            barrier_feedback::ActiveModel {
                description: Set(format!("Eine Barriere von vor {days} Tagen.")),
                status: Set(status.to_owned()),
                received_at: Set(now - chrono::TimeDelta::days(days)),
                ..Default::default()
            }
            .insert(&app.db)
            .await
            .unwrap();
        }
        let staff = app.client_for("kim@kalletal.example", &[Role::Staff]).await;
        let queue = app.json_of(&staff, "barrier_feedback_queue", &[]).await;
        let overdue: Vec<bool> = queue["new"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["overdue"].as_bool().unwrap())
            .collect();
        assert_eq!(overdue, [true, false]);
        assert_eq!(queue["answered"][0]["overdue"], false);
        let (_, html) = page(&app, &staff, "/staff/feedback").await;
        assert!(html.contains("überfällig: Antwort war bis"), "{html}");

        // With a longer deadline nothing is overdue.
        let admin = app
            .client_for("admin@kalletal.example", &[Role::Admin])
            .await;
        let mut longer: Vec<(&str, &str)> = STATEMENT.to_vec();
        longer[7] = ("due_days", "30");
        app.call_with(&admin, "save_accessibility_statement", &longer)
            .await;
        let queue = app.json_of(&staff, "barrier_feedback_queue", &[]).await;
        assert_eq!(queue["new"][0]["overdue"], false);

        // Closed reports go after two years, open ones never by themselves.
        let closed = barrier_feedback::ActiveModel {
            description: Set("Alt und erledigt.".into()),
            status: Set("closed".into()),
            received_at: Set(now - chrono::TimeDelta::days(800)),
            closed_at: Set(Some(now - chrono::TimeDelta::days(750))),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        let purged = app::accessibility::server::purge_closed(
            &app.db,
            app::accessibility::server::KEEP_CLOSED,
        )
        .await
        .unwrap();
        assert_eq!(purged, 1);
        assert!(
            barrier_feedback::Entity::find_by_id(closed.id)
                .one(&app.db)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(app.count("barrier_feedback").await, 3);
    }
);

db_test!(feedback_from_one_address_is_limited, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let visitor = new_client();
    let form = [(
        "description",
        "Der Knopf ist mit der Tastatur nicht erreichbar.",
    )];
    for _ in 0..5 {
        assert_eq!(
            app.call_with(&visitor, "send_barrier_feedback", &form)
                .await
                .status(),
            200
        );
    }
    let (status, body) = error_code(
        app.call_with(&visitor, "send_barrier_feedback", &form)
            .await,
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (429, Some("rate_limited")));
    assert_eq!(app.count("barrier_feedback").await, 5);
});

db_test!(
    the_page_in_leichte_sprache_and_the_privacy_template,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (status, html) = page(&app, &new_client(), "/leichte-sprache").await;
        assert_eq!(status, 200);
        for point in [
            "Was können Sie hier machen?",
            "Wie finden Sie sich zurecht?",
            "Was ist schwer auf der Internet-Seite?",
            "Was gibt es noch in Leichter Sprache?",
        ] {
            assert!(html.contains(point), "{point}");
        }
        let admin = app
            .client_for("admin@kalletal.example", &[Role::Admin])
            .await;
        let (status, body) = error_code(
            app.call_with(&admin, "save_easy_language", &[("text", "Zu kurz.")])
                .await,
        )
        .await;
        assert_eq!((status, fields(&body)), (422, vec!["text"]));
        let text = "## Was ist Dorfplatz?\n\nDorfplatz ist eine Internet-Seite.  \nSie gehört zur Gemeinde.";
        assert_eq!(
            app.call_with(&admin, "save_easy_language", &[("text", text)])
                .await
                .status(),
            200
        );
        let (_, html) = page(&app, &new_client(), "/leichte-sprache").await;
        assert!(html.contains("Sie gehört zur Gemeinde."));
        assert!(!html.contains("Wie finden Sie sich zurecht?"));

        // The privacy statement's starting text names this installation's law and periods.
        let staff = app.client_for("kim@kalletal.example", &[Role::Staff]).await;
        app.call_with(&staff, "update_municipality", crate::helpers::KALLETAL)
            .await;
        assert_eq!(
            app.call_with(&admin, "apply_privacy_template", &[])
                .await
                .status(),
            200
        );
        let (_, html) = page(&app, &new_client(), "/datenschutz").await;
        assert!(html.contains("§ 26 GO NRW"), "{html}");
        assert!(html.contains("bis 180 Tage nach Abschluss des Verfahrens"));
        assert!(html.contains("[Anschrift, Telefon, E-Mail-Adresse]"));
        let actions = app.audit_actions().await;
        assert!(actions.contains(&"settings.privacy_template_applied".to_owned()));
        assert!(actions.contains(&"accessibility.easy_language_saved".to_owned()));
    }
);

db_test!(
    my_data_holds_everything_about_the_account_and_nothing_of_others,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let c = cast(&app).await;
        let slug = collecting(&app, &c).await;
        // Ida (the initiator) proposes, comments, supports, follows and signs online with
        // her account's address; Kim's contributions are not hers.
        let ida = &c.initiator;
        let ida_email = "ida@kalletal.example";
        app.call_with(
            &c.staff,
            "save_proposal_lists",
            &[("topics", "Ortsentwicklung"), ("districts", "Varenholz")],
        )
        .await;
        let choices = app.json_of(ida, "proposal_choices", &[]).await;
        let topic = choices["topics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["active"] == true)
            .unwrap()["id"]
            .to_string();
        let topic = topic.as_str();
        let res = app
            .call_with(
                ida,
                "submit_proposal",
                &[
                    ("title", "Bücherschrank in Varenholz"),
                    (
                        "body",
                        "Ein offener Bücherschrank an der Bushaltestelle zum Tauschen.",
                    ),
                    ("topic", topic),
                ],
            )
            .await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        let proposal: i64 = res.json().await.unwrap();
        let p = proposal.to_string();
        app.call_with(
            ida,
            "edit_proposal",
            &[
                ("id", &p),
                ("title", "Offener Bücherschrank in Varenholz"),
                (
                    "body",
                    "Ein offener Bücherschrank an der Bushaltestelle zum Tauschen.",
                ),
                ("topic", topic),
            ],
        )
        .await;
        app.call_with(
            ida,
            "post_comment",
            &[
                ("kind", "proposal"),
                ("subject", &p),
                ("body", "Ich stelle gern Bücher hinein."),
            ],
        )
        .await;
        app.call_with(
            &c.staff,
            "post_comment",
            &[
                ("kind", "proposal"),
                ("subject", &p),
                ("body", "Kommentar der Verwaltung."),
            ],
        )
        .await;
        let signer: Vec<(&str, &str)> = SIGNER
            .iter()
            .map(|&(k, v)| if k == "email" { (k, ida_email) } else { (k, v) })
            .chain([("slug", slug.as_str())])
            .collect();
        assert_eq!(
            app.call_with(&new_client(), "sign_petition", &signer)
                .await
                .status(),
            200
        );
        let token = app.token_from_mail(ida_email, "/petitions/confirm").await;
        app.call_with(&new_client(), "confirm_signature", &[("token", &token)])
            .await;

        let res = ida.get(app.url("/account/data.json")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert!(
            res.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("meine-daten.json")
        );
        let data: serde_json::Value = res.json().await.unwrap();
        assert_eq!(data["account"]["email"], ida_email);
        assert_eq!(
            data["proposals"][0]["title"],
            "Offener Bücherschrank in Varenholz"
        );
        assert_eq!(
            data["proposals"][0]["earlier_versions"][0]["title"],
            "Bücherschrank in Varenholz"
        );
        let comments = data["comments"].as_array().unwrap();
        assert_eq!(comments.len(), 1);
        assert_eq!(comments[0]["body"], "Ich stelle gern Bücher hinein.");
        assert_eq!(data["sessions"].as_array().unwrap().len(), 1);
        let signatures = data["petition_signatures"].as_array().unwrap();
        assert_eq!(signatures.len(), 1);
        assert_eq!(
            signatures[0]["petition"],
            "Medizinisches Versorgungszentrum"
        );
        assert_eq!(signatures[0]["state"], "bestätigt");
        // What the signature says about a person stays with staff.
        let text = data.to_string();
        assert!(!text.contains("Lindenweg"));
        assert!(!text.contains("1980-05-17"));
        assert!(!text.contains("Kommentar der Verwaltung"));
        assert!(!text.contains("password"));

        let res = ida.get(app.url("/account/data.html")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let html = res.text().await.unwrap();
        assert!(html.contains("<h1>Meine Daten</h1>"));
        assert!(html.contains("<h2>Unterschriften für Bürgerbegehren"));
        assert!(html.contains("Offener Bücherschrank in Varenholz"));

        let exported = app
            .count("audit_log WHERE action = 'account.data_exported'")
            .await;
        assert_eq!(exported, 2);
        // Nobody else's data, and nothing without an account.
        let res = new_client()
            .get(app.url("/account/data.json"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
        let kim: serde_json::Value = c
            .staff
            .get(app.url("/account/data.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(kim["proposals"].as_array().unwrap().len(), 0);
        assert_eq!(kim["comments"][0]["body"], "Kommentar der Verwaltung.");
        assert_eq!(kim["petition_signatures"].as_array().unwrap().len(), 0);
        assert_eq!(kim["roles"][0]["role"], "staff");
    }
);

/// The first bytes of a WebM file (EBML header with DocType "webm") and some payload.
fn webm(payload: usize) -> Vec<u8> {
    let mut v = vec![
        0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84, b'w', b'e', b'b',
        b'm',
    ];
    v.extend((0..payload).map(|i| (i % 251) as u8));
    v
}

db_test!(
    administrators_upload_sign_language_videos_that_everyone_can_play,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        // Before any video, the page says so honestly and points to the alternatives.
        let (status, html) = page(&app, &new_client(), "/gebaerdensprache").await;
        assert_eq!(status, 200);
        assert!(html.contains("Noch keine Videos"));
        assert!(html.contains("href=\"/leichte-sprache\""));

        let admin = app
            .client_for("admin@kalletal.example", &[Role::Admin])
            .await;
        let upload = |client: &reqwest::Client,
                      topic: &str,
                      video: Vec<u8>,
                      captions: Option<&'static [u8]>| {
            let mut form = reqwest::multipart::Form::new()
                .text("topic", topic.to_owned())
                .text("title", "Was der Dorfplatz bietet")
                .text(
                    "transcript",
                    "Hallo. Auf dem Dorfplatz reden Sie bei Ihrer Gemeinde mit.",
                )
                .part(
                    "video",
                    reqwest::multipart::Part::bytes(video).file_name("dorfplatz.webm"),
                );
            if let Some(c) = captions {
                form = form.part(
                    "captions",
                    reqwest::multipart::Part::bytes(c).file_name("dorfplatz.vtt"),
                );
            }
            client
                .post(app.url("/admin/sign-language/videos"))
                .header("origin", app.url(""))
                .multipart(form)
                .send()
        };
        let location =
            |res: &reqwest::Response| res.headers()["location"].to_str().unwrap().to_owned();
        // Refusals name the problem; nothing is stored.
        for (topic, video, captions, problem) in [
            (
                "offer",
                b"<html>kein Video</html>".to_vec(),
                None,
                "not_video",
            ),
            ("films", webm(100), None, "topic"),
            (
                "offer",
                webm(100),
                Some(&b"1\n00:00:00,000 --> 00:00:01,000\nSRT"[..]),
                "captions",
            ),
            ("offer", Vec::new(), None, "empty"),
        ] {
            let res = upload(&admin, topic, video, captions).await.unwrap();
            assert_eq!(res.status(), 303);
            assert!(
                location(&res).contains(&format!("problem={problem}")),
                "{problem}: {}",
                location(&res)
            );
        }
        assert_eq!(app.count("sign_videos").await, 0);
        // Residents may not upload.
        let resident = app.client_for("ida@kalletal.example", &[]).await;
        let res = upload(&resident, "offer", webm(100), None).await.unwrap();
        assert_eq!(res.status(), 403);

        let video = webm(300_000);
        let res = upload(
            &admin,
            "offer",
            video.clone(),
            Some(b"WEBVTT\n\n00:00.000 --> 00:02.000\nHallo."),
        )
        .await
        .unwrap();
        assert_eq!(
            location(&res),
            "/admin/accessibility?notice=video_added#videos"
        );
        let videos = app.json_of(&new_client(), "sign_videos", &[]).await;
        let id = videos[0]["id"].as_i64().unwrap();
        assert_eq!(videos[0]["content_type"], "video/webm");
        assert_eq!(videos[0]["has_captions"], true);

        let (_, html) = page(&app, &new_client(), "/gebaerdensprache").await;
        assert!(
            html.contains(&format!("src=\"/media/sign/{id}\"")),
            "{html}"
        );
        assert!(html.contains("kind=\"captions\""));
        assert!(html.contains("Auf dem Dorfplatz reden Sie bei Ihrer Gemeinde mit."));
        assert!(html.contains("Was diese Website bietet"));

        // Players fetch parts of the file to seek.
        let res = new_client()
            .get(app.url(&format!("/media/sign/{id}")))
            .header("range", "bytes=100-199")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 206);
        assert_eq!(res.headers()["content-type"], "video/webm");
        assert_eq!(res.bytes().await.unwrap().as_ref(), &video[100..200]);
        let full = new_client()
            .get(app.url(&format!("/media/sign/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(full.bytes().await.unwrap().len(), video.len());
        let vtt = new_client()
            .get(app.url(&format!("/media/sign/{id}/captions.vtt")))
            .send()
            .await
            .unwrap();
        assert_eq!(vtt.headers()["content-type"], "text/vtt; charset=utf-8");
        assert!(vtt.text().await.unwrap().starts_with("WEBVTT"));

        // Removing it removes the file, audited.
        let res = app
            .call_with(&admin, "delete_sign_video", &[("id", &id.to_string())])
            .await;
        assert_eq!(res.status(), 200);
        let gone = new_client()
            .get(app.url(&format!("/media/sign/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(gone.status(), 404);
        let actions = app.audit_actions().await;
        assert!(actions.contains(&"accessibility.video_added".to_owned()));
        assert!(actions.contains(&"accessibility.video_removed".to_owned()));
    }
);

db_test!(
    staff_write_summaries_in_leichte_sprache_that_public_pages_show_and_list,
    |backend| async move {
        use app::infra::entities::proposal;
        let app = TestApp::spawn(backend).await;
        let c = cast(&app).await;
        // A petition still in draft: its summary is not public until it is published.
        let res = app
            .call_with(&c.initiator, "create_petition", crate::helpers::DRAFT)
            .await;
        assert_eq!(res.status(), 200);
        let petition = petition_id(&app, "medizinisches-versorgungszentrum").await;
        app.call_with(
            &c.staff,
            "save_proposal_lists",
            &[("topics", "Ortsentwicklung"), ("districts", "")],
        )
        .await;
        let choices = app.json_of(&c.initiator, "proposal_choices", &[]).await;
        let topic = choices["topics"][0]["id"].to_string();
        let proposal: i64 = app
            .call_with(
                &c.initiator,
                "submit_proposal",
                &[
                    ("title", "Bücherschrank in Varenholz"),
                    (
                        "body",
                        "Ein offener Bücherschrank an der Bushaltestelle zum Tauschen.",
                    ),
                    ("topic", &topic),
                ],
            )
            .await
            .json()
            .await
            .unwrap();
        let summary = "Im Ort soll ein Bücher-Schrank stehen.  \nDort können alle Bücher tauschen.";
        for (kind, id) in [("proposal", proposal), ("petition", petition)] {
            let res = app
                .call_with(
                    &c.staff,
                    "save_easy_summary",
                    &[("kind", kind), ("id", &id.to_string()), ("text", summary)],
                )
                .await;
            assert_eq!(res.status(), 200, "{kind}");
        }
        // Residents may not write one.
        let (status, _) = error_code(
            app.call_with(
                &c.initiator,
                "save_easy_summary",
                &[
                    ("kind", "proposal"),
                    ("id", &proposal.to_string()),
                    ("text", "Meins."),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(status, 403);

        let guest = new_client();
        let shown = app
            .json_of(
                &guest,
                "easy_summary",
                &[("kind", "proposal"), ("id", &proposal.to_string())],
            )
            .await;
        assert!(
            shown["html"]
                .as_str()
                .unwrap()
                .contains("Dort können alle Bücher tauschen.")
        );
        assert_eq!(shown["text"], serde_json::Value::Null);
        assert_eq!(shown["can_edit"], false);
        let (_, html) = page(&app, &guest, &format!("/proposals/{proposal}")).await;
        assert!(html.contains("In Leichter Sprache"), "{html}");
        // The draft petition's summary stays with staff; the list names only the proposal.
        let draft = app
            .json_of(
                &guest,
                "easy_summary",
                &[("kind", "petition"), ("id", &petition.to_string())],
            )
            .await;
        assert_eq!(draft["html"], serde_json::Value::Null);
        let (_, list) = page(&app, &guest, "/leichte-sprache").await;
        assert!(
            list.contains(&format!("href=\"/proposals/{proposal}#easy-summary\"")),
            "{list}"
        );
        assert!(!list.contains("/petitions/medizinisches-versorgungszentrum#easy-summary"));

        // Hidden by moderation: gone from the list too.
        proposal::Entity::update_many()
            .col_expr(
                proposal::Column::HiddenAt,
                sea_orm::sea_query::Expr::value(chrono::Utc::now()),
            )
            .exec(&app.db)
            .await
            .unwrap();
        let (_, list) = page(&app, &guest, "/leichte-sprache").await;
        assert!(!list.contains("#easy-summary"));

        // An empty text removes it; both steps are in the audit trail.
        app.call_with(
            &c.staff,
            "save_easy_summary",
            &[
                ("kind", "proposal"),
                ("id", &proposal.to_string()),
                ("text", ""),
            ],
        )
        .await;
        assert_eq!(app.count("easy_summaries").await, 1);
        let actions = app.audit_actions().await;
        assert!(actions.contains(&"accessibility.summary_saved".to_owned()));
        assert!(actions.contains(&"accessibility.summary_removed".to_owned()));
        let (status, body) = error_code(
            app.call_with(
                &c.staff,
                "save_easy_summary",
                &[("kind", "proposal"), ("id", "99999"), ("text", summary)],
            )
            .await,
        )
        .await;
        assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
    }
);

/// The id of a petition by its slug.
async fn petition_id(app: &TestApp, slug: &str) -> i64 {
    use app::infra::entities::petition;
    use sea_orm::{ColumnTrait, QueryFilter};
    petition::Entity::find()
        .filter(petition::Column::Slug.eq(slug))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

db_test!(
    the_demo_fills_every_page_of_the_duties,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        server::demo::seed(&app.db, &app.state.config)
            .await
            .unwrap();
        let guest = new_client();
        let (_, statement) = page(&app, &guest, "/barrierefreiheit").await;
        assert!(statement.contains("barrierefreiheit@kalletal.example"));
        assert!(!statement.contains("noch nicht hinterlegt"));
        let (_, privacy) = page(&app, &guest, "/datenschutz").await;
        assert!(privacy.contains("§ 26 GO NRW"));
        for gap in [
            "[Anschrift",
            "[Name oder Stelle",
            "[Frist",
            "[Mailserver",
            "[Betreiber",
            "[Rechenzentrum",
            "[Datenschutz-Aufsichtsbehörde",
            "eckigen Klammern",
        ] {
            assert!(
                !privacy.contains(gap),
                "a gap left in the demo's privacy statement: {gap}"
            );
        }
        let (_, easy) = page(&app, &guest, "/leichte-sprache").await;
        for group in ["Bürger-Begehren", "Vorschläge", "Sitzungen vom Beirat"] {
            assert!(easy.contains(&format!("<h3>{group}</h3>")), "{group}");
        }
        let (_, mvz) = page(&app, &guest, "/petitions/mvz-kalletal").await;
        assert!(mvz.contains("Darum soll die Gemeinde ein Ärzte-Haus gründen."));
        let staff = new_client();
        app.sign_in(&staff, "verwaltung@kalletal.example", "dorfplatz-demo")
            .await;
        let queue = app.json_of(&staff, "barrier_feedback_queue", &[]).await;
        assert_eq!(queue["new"].as_array().unwrap().len(), 2);
        assert_eq!(queue["new"][0]["overdue"], true);
        assert_eq!(queue["answered"].as_array().unwrap().len(), 1);
    }
);
