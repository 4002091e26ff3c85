//! Resident proposals: submitting with German messages at the fields, editing with versions,
//! one support per account, official answers with history and email, lists with search,
//! filters, sorting and pages, the Atom feed, the staff lists and the report — with every
//! server function refusing whoever may not.

use app::accounts::domain::Role;

use crate::helpers::{TestApp, db_test, error_code, new_client};

const BODY: &str =
    "Ein ehrenamtlich gefahrener Bürgerbus verbindet die Dörfer zweimal am Tag mit Lemgo.";

struct People {
    staff: reqwest::Client,
    anna: reqwest::Client,
    ben: reqwest::Client,
}

async fn people(app: &TestApp) -> People {
    let staff = app.client_for("kim@kalletal.example", &[Role::Staff]).await;
    let anna = app.client_for("anna@kalletal.example", &[]).await;
    let ben = app.client_for("ben@kalletal.example", &[]).await;
    let (code, body) = error_code(
        app.call_with(
            &staff,
            "save_proposal_lists",
            &[
                ("topics", "Gesundheitsversorgung\nMobilität\nUmwelt"),
                ("districts", "Hohenhausen\nTalle"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(code, 200, "{body}");
    People { staff, anna, ben }
}

async fn choices(app: &TestApp) -> (Vec<(i64, String)>, Vec<(i64, String)>) {
    let c: serde_json::Value = app
        .call("proposal_choices", &[])
        .await
        .json()
        .await
        .unwrap();
    let list = |key: &str| {
        c[key]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["active"] == true)
            .map(|x| {
                (
                    x["id"].as_i64().unwrap(),
                    x["name"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    (list("topics"), list("districts"))
}

async fn topic_id(app: &TestApp, name: &str) -> String {
    let (topics, _) = choices(app).await;
    topics
        .into_iter()
        .find(|(_, n)| n == name)
        .map(|(id, _)| id.to_string())
        .unwrap()
}

async fn submit(
    app: &TestApp,
    client: &reqwest::Client,
    title: &str,
    body: &str,
    topic: &str,
) -> (u16, serde_json::Value) {
    error_code(
        app.call_with(
            client,
            "submit_proposal",
            &[
                ("title", title),
                ("body", body),
                ("topic", topic),
                ("district", ""),
            ],
        )
        .await,
    )
    .await
}

async fn detail(app: &TestApp, client: &reqwest::Client, id: i64) -> serde_json::Value {
    let res = app
        .call_with(client, "get_proposal", &[("id", &id.to_string())])
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn fields(body: &serde_json::Value) -> Vec<String> {
    body["fields"]
        .as_array()
        .map(|f| {
            f.iter()
                .map(|x| x["field"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

db_test!(
    residents_submit_edit_and_support_proposals,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let p = people(&app).await;
        let mobility = topic_id(&app, "Mobilität").await;

        // Guests may not submit; bad input is named at its fields, nothing is written.
        let (code, _) = submit(&app, &new_client(), "Bürgerbus nach Lemgo", BODY, &mobility).await;
        assert_eq!(code, 401);
        let (code, body) = submit(&app, &p.anna, "Bus", "kurz", "").await;
        assert_eq!(code, 422);
        assert_eq!(fields(&body), ["title", "body", "topic"]);
        assert!(body.to_string().contains("mindestens 8 Zeichen"));
        let (code, body) = submit(&app, &p.anna, "Bürgerbus nach Lemgo", BODY, "99999").await;
        assert_eq!((code, fields(&body)), (422, vec!["topic".to_owned()]));
        assert!(body.to_string().contains("Dieses Thema gibt es nicht"));
        let oversized = "x".repeat(10_001);
        let (code, body) =
            submit(&app, &p.anna, "Bürgerbus nach Lemgo", &oversized, &mobility).await;
        assert_eq!((code, fields(&body)), (422, vec!["body".to_owned()]));
        assert_eq!(app.count("proposals").await, 0);

        let (code, id) = submit(&app, &p.anna, "Bürgerbus nach Lemgo", BODY, &mobility).await;
        assert_eq!(code, 200, "{id}");
        let id = id.as_i64().unwrap();
        let d = detail(&app, &p.anna, id).await;
        assert_eq!(d["card"]["status"], "submitted");
        assert_eq!(d["permissions"]["can_edit"], true);
        assert_eq!(d["edited"], false);

        // Only the author edits; the earlier text stays as a version.
        let edit = |client: reqwest::Client, title: &'static str| {
            let app = &app;
            let mobility = mobility.clone();
            async move {
                error_code(
                    app.call_with(
                        &client,
                        "edit_proposal",
                        &[
                            ("id", &id.to_string()),
                            ("title", title),
                            ("body", BODY),
                            ("topic", &mobility),
                        ],
                    )
                    .await,
                )
                .await
            }
        };
        assert_eq!(edit(p.ben.clone(), "Bürgerbus nach Detmold").await.0, 403);
        assert_eq!(
            edit(p.anna.clone(), "Bürgerbus nach Lemgo und Detmold")
                .await
                .0,
            200
        );
        assert_eq!(app.count("proposal_versions").await, 1);
        let d = detail(&app, &new_client(), id).await;
        assert_eq!(d["card"]["title"], "Bürgerbus nach Lemgo und Detmold");
        assert_eq!(d["edited"], true);
        assert_eq!(d["permissions"]["signed_in"], false);

        // One support per account, revocable.
        let support = |client: reqwest::Client, value: &'static str| {
            let app = &app;
            async move {
                error_code(
                    app.call_with(
                        &client,
                        "support_proposal",
                        &[
                            ("id", &id.to_string()),
                            ("support", value),
                            ("notify", "on"),
                        ],
                    )
                    .await,
                )
                .await
            }
        };
        assert_eq!(support(new_client(), "1").await.0, 401);
        assert_eq!(support(p.ben.clone(), "1").await.0, 200);
        let (code, body) = support(p.ben.clone(), "1").await;
        assert_eq!((code, fields(&body)), (422, vec!["support".to_owned()]));
        assert!(body.to_string().contains("bereits"));
        assert_eq!(support(p.anna.clone(), "1").await.0, 200);
        let d = detail(&app, &p.ben, id).await;
        assert_eq!(d["card"]["supports"], 2);
        assert_eq!(d["permissions"]["supported"], true);
        assert_eq!(support(p.anna.clone(), "0").await.0, 200);
        assert_eq!(support(p.anna.clone(), "0").await.0, 422);
        assert_eq!(detail(&app, &p.ben, id).await["card"]["supports"], 1);

        // A blocked account neither posts nor supports.
        {
            use app::infra::entities::user;
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
            user::Entity::update_many()
                .col_expr(user::Column::BlockedAt, Expr::value(chrono::Utc::now()))
                .filter(user::Column::Email.eq("anna@kalletal.example"))
                .exec(&app.db)
                .await
                .unwrap();
        }
        let (code, body) =
            submit(&app, &p.anna, "Noch ein Vorschlag zum Bus", BODY, &mobility).await;
        assert_eq!((code, body["code"].as_str()), (403, Some("blocked")));
        assert_eq!(support(p.anna.clone(), "1").await.0, 403);
        assert_eq!(app.count("proposals").await, 1);
    }
);

db_test!(
    staff_answer_publicly_and_author_and_supporters_hear_of_it,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let p = people(&app).await;
        let health = topic_id(&app, "Gesundheitsversorgung").await;
        let (_, id) = submit(&app, &p.anna, "Kinderarzt im MVZ", BODY, &health).await;
        let id = id.as_i64().unwrap().to_string();
        assert_eq!(
            app.call_with(
                &p.ben,
                "support_proposal",
                &[("id", &id), ("support", "1"), ("notify", "on")]
            )
            .await
            .status(),
            200
        );
        app.deliver_mail().await;
        let answer = |client: reqwest::Client, status: &'static str, text: &'static str| {
            let app = &app;
            let id = id.clone();
            async move {
                error_code(
                    app.call_with(
                        &client,
                        "answer_proposal",
                        &[("id", id.as_str()), ("status", status), ("answer", text)],
                    )
                    .await,
                )
                .await
            }
        };
        // Residents other than the author may not; the author may only withdraw.
        assert_eq!(
            answer(p.ben.clone(), "under_review", "Wir prüfen das gern.")
                .await
                .0,
            403
        );
        let (code, body) = answer(p.anna.clone(), "under_review", "").await;
        assert_eq!((code, fields(&body)), (422, vec!["status".to_owned()]));
        // Staff: only the steps that exist, and always with an answer.
        let (code, body) = answer(p.staff.clone(), "implemented", "Schon erledigt, danke.").await;
        assert_eq!((code, fields(&body)), (422, vec!["status".to_owned()]));
        let (code, body) = answer(p.staff.clone(), "under_review", "").await;
        assert_eq!((code, fields(&body)), (422, vec!["answer".to_owned()]));
        let (code, _) = answer(
            p.staff.clone(),
            "under_review",
            "Die Verwaltung fragt bei der **Kassenärztlichen Vereinigung** nach.<script>alert(1)</script>",
        )
        .await;
        assert_eq!(code, 200);

        let d = detail(&app, &p.anna, id.parse().unwrap()).await;
        assert_eq!(d["card"]["status"], "under_review");
        assert_eq!(
            d["permissions"]["can_edit"], false,
            "no edits after the first answer"
        );
        let history = d["history"].as_array().unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[1]["status"], "under_review");
        let html = history[1]["answer_html"].as_str().unwrap();
        assert!(
            html.contains("<strong>Kassenärztlichen Vereinigung</strong>"),
            "{html}"
        );
        assert!(!html.contains("<script"), "{html}");
        // Author and supporter get the answer by email; the staff member who wrote it not.
        let sent = app.deliver_mail().await;
        // (Kim's own mail about switching on the second factor aside.)
        let to: Vec<&str> = sent
            .iter()
            .filter(|m| !m.subject.starts_with("Zwei-Faktor"))
            .map(|m| m.to.as_str())
            .collect();
        assert!(
            to.contains(&"anna@kalletal.example") && to.contains(&"ben@kalletal.example"),
            "{to:?}"
        );
        assert!(!to.contains(&"kim@kalletal.example"));
        let mail = sent
            .iter()
            .find(|m| m.to == "ben@kalletal.example")
            .unwrap();
        assert!(mail.subject.contains("in Prüfung"), "{}", mail.subject);
        assert!(mail.text.contains(&format!("/proposals/{id}")));
        assert!(
            app.count("audit_log WHERE action = 'proposal.status_changed'")
                .await
                == 1
        );

        // The author withdraws while it is still open; then nothing moves any more.
        assert_eq!(answer(p.anna.clone(), "withdrawn", "").await.0, 200);
        assert_eq!(
            answer(p.staff.clone(), "recommended", "Der Beirat empfiehlt das.")
                .await
                .0,
            422
        );
    }
);

async fn list(app: &TestApp, query: &[(&str, &str)]) -> serde_json::Value {
    let form: Vec<(String, &str)> = query
        .iter()
        .map(|(k, v)| (format!("query[{k}]"), *v))
        .collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let res = app.call("list_proposals", &form).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn titles(l: &serde_json::Value) -> Vec<String> {
    l["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_owned())
        .collect()
}

db_test!(
    lists_search_filter_sort_page_and_feed,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let p = people(&app).await;
        let (health, mobility) = (
            topic_id(&app, "Gesundheitsversorgung").await,
            topic_id(&app, "Mobilität").await,
        );
        let mut ids = Vec::new();
        for (title, body, topic) in [
            ("Bürgerbus nach Lemgo", BODY, &mobility),
            (
                "Kinderarzt im MVZ",
                "Familien fahren für jede Vorsorge nach Lemgo oder Rinteln.",
                &health,
            ),
            (
                "Radweg nach Varenholz",
                "Ein sicherer Radweg entlang der Landstraße für Schulkinder.",
                &mobility,
            ),
            (
                "100% Ökostrom <b>für</b> & alle",
                "Alle Gebäude der Gemeinde beziehen Ökostrom, auch die Schulen.",
                &health,
            ),
        ] {
            let (code, id) = submit(&app, &p.anna, title, body, topic).await;
            assert_eq!(code, 200, "{id}");
            ids.push(id.as_i64().unwrap().to_string());
        }
        app.call_with(
            &p.ben,
            "support_proposal",
            &[("id", &ids[2]), ("support", "1")],
        )
        .await;
        app.call_with(
            &p.staff,
            "support_proposal",
            &[("id", &ids[2]), ("support", "1")],
        )
        .await;
        app.call_with(
            &p.ben,
            "support_proposal",
            &[("id", &ids[1]), ("support", "1")],
        )
        .await;

        // Newest first by default; most supported puts the Radweg (2) before the Kinderarzt (1).
        assert_eq!(
            titles(&list(&app, &[]).await)[0],
            "100% Ökostrom <b>für</b> & alle"
        );
        let sorted = titles(&list(&app, &[("sort", "most_supported")]).await);
        assert_eq!(&sorted[..2], ["Radweg nach Varenholz", "Kinderarzt im MVZ"]);
        // Every word must occur, in title or text, whatever the case.
        let found = titles(&list(&app, &[("q", "LEMGO")]).await);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            titles(&list(&app, &[("q", "lemgo vorsorge")]).await),
            ["Kinderarzt im MVZ"]
        );
        // LIKE's wildcards are plain characters.
        assert_eq!(titles(&list(&app, &[("q", "100%")]).await).len(), 1);
        assert!(titles(&list(&app, &[("q", "ö%o")]).await).is_empty());
        assert_eq!(
            titles(&list(&app, &[("q", "_")]).await).len(),
            4,
            "one-letter words are ignored"
        );
        let by_topic = list(&app, &[("topic", &mobility)]).await;
        assert_eq!(by_topic["total"], 2);
        let by_status = list(&app, &[("status", "recommended")]).await;
        assert_eq!(by_status["total"], 0);

        // Pages of twenty (from three accounts: each may post ten times in ten minutes).
        let cara = app.client_for("cara@kalletal.example", &[]).await;
        let dora = app.client_for("dora@kalletal.example", &[]).await;
        for i in 0..20 {
            submit(
                &app,
                [&p.ben, &cara, &dora][i % 3],
                &format!("Vorschlag Nummer {i:02}"),
                "Ein weiterer Vorschlag für die Gemeinde, mit genug Text.",
                &health,
            )
            .await;
        }
        let first = list(&app, &[]).await;
        assert_eq!(
            (first["total"].as_u64(), first["pages"].as_u64()),
            (Some(24), Some(2))
        );
        assert_eq!(first["items"].as_array().unwrap().len(), 20);
        let second = list(&app, &[("page", "2")]).await;
        assert_eq!(second["items"].as_array().unwrap().len(), 4);
        assert_eq!(titles(&second).last().unwrap(), "Bürgerbus nach Lemgo");

        // The page without JavaScript: the filter form and the cards.
        let html = reqwest::get(app.url("/proposals?q=lemgo"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains(">2 Vorschläge gefunden.<"), "{html}");
        assert!(html.contains("Kinderarzt im MVZ"), "{html}");
        assert!(!html.contains("Radweg nach Varenholz"));

        // The Atom feed: newest first, escaped, sanitized.
        let res = reqwest::get(app.url("/proposals/feed.atom")).await.unwrap();
        assert_eq!(
            res.headers()["content-type"],
            "application/atom+xml; charset=utf-8"
        );
        let feed = res.text().await.unwrap();
        assert!(feed.starts_with("<?xml"));
        assert!(
            feed.contains("<title>100% Ökostrom &lt;b&gt;für&lt;/b&gt; &amp; alle</title>"),
            "{feed}"
        );
        assert!(feed.contains(&format!("/proposals/{}</id>", ids[0])));
        assert_eq!(feed.matches("<entry>").count(), 24);
    }
);

db_test!(
    staff_keep_the_lists_and_read_the_report,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let p = people(&app).await;
        let health = topic_id(&app, "Gesundheitsversorgung").await;
        let (_, id) = submit(&app, &p.anna, "Kinderarzt im MVZ", BODY, &health).await;
        let id = id.as_i64().unwrap().to_string();
        app.call_with(
            &p.staff,
            "answer_proposal",
            &[
                ("id", &id),
                ("status", "under_review"),
                ("answer", "Wir prüfen das."),
            ],
        )
        .await;

        // Residents neither edit the lists nor see the report.
        for client in [&p.anna, &new_client()] {
            assert!(matches!(
                app.call_with(client, "save_proposal_lists", &[("topics", "X")])
                    .await
                    .status()
                    .as_u16(),
                401 | 403
            ));
            assert!(matches!(
                app.call_with(client, "proposal_report", &[])
                    .await
                    .status()
                    .as_u16(),
                401 | 403
            ));
            assert_eq!(
                client
                    .get(app.url("/staff/reports/proposals.csv"))
                    .send()
                    .await
                    .unwrap()
                    .status(),
                403
            );
        }
        // Bad lists are refused at their field.
        let (code, body) = error_code(
            app.call_with(
                &p.staff,
                "save_proposal_lists",
                &[("topics", "Umwelt\nUMWELT"), ("districts", "")],
            )
            .await,
        )
        .await;
        assert_eq!((code, fields(&body)), (422, vec!["topics".to_owned()]));
        // A topic struck from the list is no longer offered; its proposal keeps it.
        let (code, _) = error_code(
            app.call_with(
                &p.staff,
                "save_proposal_lists",
                &[
                    ("topics", "Mobilität\nUmwelt\nDigitales"),
                    ("districts", "Talle"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(code, 200);
        let (topics, districts) = choices(&app).await;
        let names: Vec<&str> = topics.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["Mobilität", "Umwelt", "Digitales"]);
        assert_eq!(districts.len(), 1);
        let d = detail(&app, &p.anna, id.parse().unwrap()).await;
        assert_eq!(d["card"]["topic"], "Gesundheitsversorgung");
        let (code, body) = submit(&app, &p.anna, "Noch ein Arzt bitte", BODY, &health).await;
        assert_eq!((code, fields(&body)), (422, vec!["topic".to_owned()]));

        // The report counts per topic and status, on the page and as CSV.
        let report: serde_json::Value = app
            .call_with(&p.staff, "proposal_report", &[])
            .await
            .json()
            .await
            .unwrap();
        let row = report
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["topic"] == "Gesundheitsversorgung")
            .unwrap();
        assert!(
            row["counts"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c[0] == "under_review" && c[1] == 1)
        );
        let csv = p
            .staff
            .get(app.url("/staff/reports/proposals.csv"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(csv.starts_with("\u{feff}thema;submitted;under_review;on_agenda;recommended;not_recommended;implemented;withdrawn;zusammen\n"), "{csv}");
        assert!(
            csv.contains("\nGesundheitsversorgung;0;1;0;0;0;0;0;1\n"),
            "{csv}"
        );
        assert!(csv.contains("\nUmwelt;0;0;0;0;0;0;0;0\n"));
        assert_eq!(
            app.count("audit_log WHERE action = 'topics.updated'").await,
            2
        );
    }
);
