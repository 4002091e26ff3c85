//! Comment threads, moderation and notifications: threads three levels deep with likes,
//! edits and deletions that keep their shape; hostile input; the posting limit; reports,
//! the queue, hiding, restoring and blocking (audited); following with hourly digests and
//! one-click unsubscribe — with every server function refusing whoever may not.

use app::accounts::domain::Role;
use chrono::{TimeDelta, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

use crate::helpers::{TestApp, db_test, error_code, new_client, page_text};

const BODY: &str =
    "Ein ehrenamtlich gefahrener Bürgerbus verbindet die Dörfer zweimal am Tag mit Lemgo.";

struct People {
    staff: reqwest::Client,
    anna: reqwest::Client,
    ben: reqwest::Client,
    cara: reqwest::Client,
}

/// Staff, Anna (who proposes), Ben and Cara; and Anna's proposal.
async fn setup(app: &TestApp) -> (People, i64) {
    let staff = app.client_for("kim@kalletal.example", &[Role::Staff]).await;
    let anna = app.client_for("anna@kalletal.example", &[]).await;
    let ben = app.client_for("ben@kalletal.example", &[]).await;
    let cara = app.client_for("cara@kalletal.example", &[]).await;
    let (code, body) = error_code(
        app.call_with(
            &staff,
            "save_proposal_lists",
            &[("topics", "Mobilität"), ("districts", "Talle")],
        )
        .await,
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let topics: serde_json::Value = app
        .call("proposal_choices", &[])
        .await
        .json()
        .await
        .unwrap();
    let topic = topics["topics"][0]["id"].as_i64().unwrap().to_string();
    let (code, id) = error_code(
        app.call_with(
            &anna,
            "submit_proposal",
            &[
                ("title", "Bürgerbus nach Lemgo"),
                ("body", BODY),
                ("topic", &topic),
                ("district", ""),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(code, 200, "{id}");
    (
        People {
            staff,
            anna,
            ben,
            cara,
        },
        id.as_i64().unwrap(),
    )
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    proposal: i64,
    body: &str,
    follow: bool,
) -> (u16, serde_json::Value) {
    let id = proposal.to_string();
    let mut form = vec![("kind", "proposal"), ("subject", &id), ("body", body)];
    if follow {
        form.push(("follow", "on"));
    }
    error_code(app.call_with(client, "post_comment", &form).await).await
}

async fn reply(
    app: &TestApp,
    client: &reqwest::Client,
    parent: i64,
    body: &str,
) -> (u16, serde_json::Value) {
    error_code(
        app.call_with(
            client,
            "reply_comment",
            &[("parent", &parent.to_string()), ("body", body)],
        )
        .await,
    )
    .await
}

async fn thread(
    app: &TestApp,
    client: &reqwest::Client,
    proposal: i64,
    order: &str,
    page: u64,
) -> serde_json::Value {
    let res = app
        .call_with(
            client,
            "get_thread",
            &[
                ("kind", "proposal"),
                ("id", &proposal.to_string()),
                ("order", order),
                ("page", &page.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn call(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &str,
    form: &[(&str, &str)],
) -> (u16, serde_json::Value) {
    error_code(app.call_with(client, endpoint, form).await).await
}

fn field(body: &serde_json::Value) -> String {
    body["fields"][0]["field"].as_str().unwrap_or("").to_owned()
}

async fn comment_count(app: &TestApp, client: &reqwest::Client, proposal: i64) -> u64 {
    let d: serde_json::Value = app
        .call_with(client, "get_proposal", &[("id", &proposal.to_string())])
        .await
        .json()
        .await
        .unwrap();
    d["card"]["comments"].as_u64().unwrap()
}

db_test!(
    residents_discuss_in_threads_three_levels_deep,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (p, proposal) = setup(&app).await;

        // Guests read but do not write; bad input is named at the field, nothing written.
        let t = thread(&app, &new_client(), proposal, "", 1).await;
        assert_eq!(
            (t["total"].as_u64(), t["viewer"]["can_post"].as_bool()),
            (Some(0), Some(false))
        );
        assert_eq!(
            post(&app, &new_client(), proposal, "Hallo", false).await.0,
            401
        );
        let (code, body) = post(&app, &p.ben, proposal, "   ", false).await;
        assert_eq!((code, field(&body)), (422, "body".to_owned()));
        assert!(
            body.to_string()
                .contains("Bitte schreiben Sie einen Kommentar.")
        );
        let (code, body) = post(&app, &p.ben, proposal, &"x".repeat(5_001), false).await;
        assert_eq!((code, field(&body)), (422, "body".to_owned()));
        assert!(body.to_string().contains("höchstens 5000 Zeichen"));
        let (code, _) = error_code(
            app.call_with(
                &p.ben,
                "post_comment",
                &[("kind", "session"), ("subject", "1"), ("body", "Hallo")],
            )
            .await,
        )
        .await;
        assert_eq!(code, 404);
        assert_eq!(app.count("comments").await, 0);

        // A comment, a reply, a reply to the reply, and a reply to that, which attaches
        // beside it on the third level.
        let (code, root) = post(&app, &p.ben, proposal, "Gute Idee, **unbedingt**!", true).await;
        assert_eq!(code, 200, "{root}");
        let root = root.as_i64().unwrap();
        let r1 = reply(&app, &p.anna, root, "Danke! Fahren Sie mit?")
            .await
            .1
            .as_i64()
            .unwrap();
        let r2 = reply(&app, &p.ben, r1, "Ja, dienstags.")
            .await
            .1
            .as_i64()
            .unwrap();
        let r3 = reply(&app, &p.cara, r2, "Ich auch.")
            .await
            .1
            .as_i64()
            .unwrap();
        let t = thread(&app, &p.cara, proposal, "", 1).await;
        assert_eq!(t["total"], 4);
        let replies = t["roots"][0]["replies"].as_array().unwrap();
        let shape: Vec<(i64, u64)> = replies
            .iter()
            .map(|c| (c["id"].as_i64().unwrap(), c["depth"].as_u64().unwrap()))
            .collect();
        assert_eq!(shape, vec![(r1, 1), (r2, 2), (r3, 2)]);
        assert_eq!(replies[2]["reply_to"], "Test Person");
        assert_eq!(
            t["roots"][0]["comment"]["body_html"],
            "<p>Gute Idee, <strong>unbedingt</strong>!</p>\n"
        );
        assert_eq!(comment_count(&app, &p.cara, proposal).await, 4);

        // No HTML or script acts (typed HTML shows as text); links are marked as user content.
        let (code, hostile) = post(
            &app,
            &p.cara,
            proposal,
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[Fahrplan](https://kalletal.de) [x](javascript:alert(3)) ![Bild](https://tracker.example/p.gif)",
            false,
        )
        .await;
        assert_eq!(code, 200);
        let t = thread(&app, &p.cara, proposal, "newest", 1).await;
        assert_eq!(t["roots"][0]["comment"]["id"], hostile);
        let html = t["roots"][0]["comment"]["body_html"].as_str().unwrap();
        assert!(
            !html.contains("<script")
                && !html.contains("<img src")
                && !html.contains("href=\"javascript:"),
            "{html}"
        );
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "typed HTML is shown as text: {html}"
        );
        assert!(
            !html.contains("<img") && !html.contains("tracker.example"),
            "no foreign content is loaded: {html}"
        );
        assert!(html.contains("<a href=\"https://kalletal.de\" rel=\"nofollow ugc noopener noreferrer\">Fahrplan</a>"), "{html}");

        // Only the author edits; the earlier text is kept for moderators.
        let edit = |client: &reqwest::Client, id: i64, body: &str| {
            let (app, client, body) = (&app, client.clone(), body.to_owned());
            async move {
                call(
                    app,
                    &client,
                    "edit_comment",
                    &[("id", &id.to_string()), ("body", &body)],
                )
                .await
            }
        };
        assert_eq!(edit(&p.anna, root, "Übernommen").await.0, 403);
        assert_eq!(edit(&new_client(), root, "Übernommen").await.0, 401);
        let (code, body) = edit(&p.ben, root, "").await;
        assert_eq!((code, field(&body)), (422, "body".to_owned()));
        assert_eq!(
            edit(&p.ben, root, "Gute Idee, unbedingt! Am besten stündlich.")
                .await
                .0,
            200
        );
        assert_eq!(app.count("comment_versions").await, 1);
        let t = thread(&app, &p.ben, proposal, "oldest", 1).await;
        let c = &t["roots"][0]["comment"];
        assert_eq!(
            (c["edited"].as_bool(), c["can_edit"].as_bool()),
            (Some(true), Some(true))
        );
        assert_eq!(c["body"], "Gute Idee, unbedingt! Am besten stündlich.");
        // Nobody else gets the Markdown to edit.
        let t = thread(&app, &p.anna, proposal, "oldest", 1).await;
        assert_eq!(t["roots"][0]["comment"]["body"], serde_json::Value::Null);
        assert_eq!(t["roots"][0]["comment"]["can_edit"], false);

        // Likes: not one's own, one per account, revocable.
        let like = |client: &reqwest::Client, id: i64, value: &'static str| {
            let (app, client) = (&app, client.clone());
            async move {
                call(
                    app,
                    &client,
                    "like_comment",
                    &[("id", &id.to_string()), ("like", value)],
                )
                .await
            }
        };
        assert_eq!(like(&p.ben, root, "1").await.0, 422);
        assert_eq!(like(&new_client(), root, "1").await.0, 401);
        assert_eq!(like(&p.anna, root, "1").await.0, 200);
        assert_eq!(like(&p.anna, root, "1").await.0, 200);
        assert_eq!(like(&p.cara, r1, "1").await.0, 200);
        let t = thread(&app, &p.anna, proposal, "oldest", 1).await;
        assert_eq!(
            (
                t["roots"][0]["comment"]["likes"].as_u64(),
                t["roots"][0]["comment"]["liked"].as_bool()
            ),
            (Some(1), Some(true))
        );
        let t = thread(&app, &p.cara, proposal, "most_liked", 1).await;
        assert_eq!(t["roots"][0]["comment"]["id"], root);
        assert_eq!(t["roots"][0]["comment"]["liked"], false);
        assert_eq!(like(&p.anna, root, "0").await.0, 200);
        let t = thread(&app, &p.cara, proposal, "most_liked", 1).await;
        assert_eq!(t["roots"][0]["comment"]["likes"], 0);
        assert_eq!(
            t["roots"][0]["comment"]["id"], hostile,
            "ties: newest first"
        );

        // Deleting keeps the thread's shape; nobody answers a deleted comment.
        assert_eq!(
            call(
                &app,
                &p.anna,
                "delete_comment",
                &[("id", &root.to_string())]
            )
            .await
            .0,
            403
        );
        assert_eq!(
            call(&app, &p.ben, "delete_comment", &[("id", &root.to_string())])
                .await
                .0,
            200
        );
        let t = thread(&app, &p.cara, proposal, "oldest", 1).await;
        let c = &t["roots"][0]["comment"];
        assert_eq!(
            (
                c["deleted"].as_bool(),
                c["body_html"].as_str(),
                c["can_reply"].as_bool()
            ),
            (Some(true), Some(""), Some(false))
        );
        assert_eq!(t["roots"][0]["replies"].as_array().unwrap().len(), 3);
        assert_eq!(t["total"], 5);
        assert_eq!(
            app.count("comment_versions").await,
            0,
            "the deleted text goes with its versions"
        );
        let (code, body) = reply(&app, &p.cara, root, "Schade.").await;
        assert_eq!((code, field(&body)), (422, "body".to_owned()));
        assert!(body.to_string().contains("gelöscht oder ausgeblendet"));
        assert_eq!(edit(&p.ben, root, "Doch nicht gelöscht").await.0, 422);
        assert_eq!(comment_count(&app, &p.cara, proposal).await, 4);

        // The posting limit: ten contributions in ten minutes, then a message at the field.
        for n in 0..8 {
            assert_eq!(
                post(&app, &p.cara, proposal, &format!("Beitrag {n}"), false)
                    .await
                    .0,
                200,
                "post {n}"
            );
        }
        let (code, body) = post(&app, &p.cara, proposal, "Noch einer", false).await;
        assert_eq!((code, field(&body)), (422, "body".to_owned()), "{body}");
        assert!(body.to_string().contains("Bitte warten Sie"));
        assert_eq!(
            post(&app, &p.staff, proposal, "Die Verwaltung liest mit.", false)
                .await
                .0,
            200
        );
    }
);

db_test!(
    long_threads_are_paged_by_top_level_comment,
    |backend| async move {
        use app::infra::entities::comment;
        let app = TestApp::spawn(backend).await;
        let (p, proposal) = setup(&app).await;
        // Written directly: the posting limit is not what this test is about.
        let now = Utc::now();
        let rows = (0..45).map(|n| comment::ActiveModel {
            subject_type: Set("proposal".into()),
            subject_id: Set(proposal),
            root_id: Set(None),
            parent_id: Set(None),
            reply_to_id: Set(None),
            depth: Set(0),
            author_id: Set(None),
            body: Set(format!("Kommentar {n}")),
            likes: Set(n % 7),
            created_at: Set(now + TimeDelta::seconds(n)),
            edited_at: Set(None),
            deleted_at: Set(None),
            hidden_at: Set(None),
            hidden_reason: Set(None),
            hidden_by: Set(None),
            ..Default::default()
        });
        comment::Entity::insert_many(rows)
            .exec_without_returning(&app.db)
            .await
            .unwrap();
        let bodies = |t: &serde_json::Value| -> Vec<String> {
            t["roots"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    r["comment"]["body_html"]
                        .as_str()
                        .unwrap()
                        .trim()
                        .to_owned()
                })
                .collect()
        };
        let first = thread(&app, &p.anna, proposal, "newest", 1).await;
        assert_eq!(
            (first["pages"].as_u64(), first["total"].as_u64()),
            (Some(3), Some(45))
        );
        assert_eq!(bodies(&first)[0], "<p>Kommentar 44</p>");
        assert_eq!(bodies(&first).len(), 20);
        let last = thread(&app, &p.anna, proposal, "newest", 3).await;
        assert_eq!(
            bodies(&last),
            vec![
                "<p>Kommentar 4</p>",
                "<p>Kommentar 3</p>",
                "<p>Kommentar 2</p>",
                "<p>Kommentar 1</p>",
                "<p>Kommentar 0</p>"
            ]
        );
        // A page beyond the end shows the last one.
        assert_eq!(
            thread(&app, &p.anna, proposal, "newest", 99).await["page"],
            3
        );
        let oldest = thread(&app, &p.anna, proposal, "oldest", 2).await;
        assert_eq!(bodies(&oldest)[0], "<p>Kommentar 20</p>");
        let liked = thread(&app, &p.anna, proposal, "most_liked", 1).await;
        assert_eq!(
            bodies(&liked)[0],
            "<p>Kommentar 41</p>",
            "6 likes, newest of those"
        );

        // One discussion with 120 replies: the thread shows the first 50 and a way to the
        // rest; the discussion alone is paged by 50.
        let newest = thread(&app, &p.anna, proposal, "newest", 1).await;
        let root = newest["roots"][0]["comment"]["id"].as_i64().unwrap();
        let replies = (0..120).map(|n| comment::ActiveModel {
            subject_type: Set("proposal".into()),
            subject_id: Set(proposal),
            root_id: Set(Some(root)),
            parent_id: Set(Some(root)),
            reply_to_id: Set(Some(root)),
            depth: Set(1),
            author_id: Set(None),
            body: Set(format!("Antwort {n}")),
            likes: Set(0),
            created_at: Set(now + TimeDelta::seconds(100 + n)),
            edited_at: Set(None),
            deleted_at: Set(None),
            hidden_at: Set(None),
            hidden_reason: Set(None),
            hidden_by: Set(None),
            ..Default::default()
        });
        comment::Entity::insert_many(replies)
            .exec_without_returning(&app.db)
            .await
            .unwrap();
        let t = thread(&app, &p.anna, proposal, "newest", 1).await;
        let r = &t["roots"][0];
        assert_eq!(
            (
                r["replies"].as_array().unwrap().len(),
                r["replies_total"].as_u64(),
                r["replies_pages"].as_u64()
            ),
            (50, Some(120), Some(3))
        );
        assert_eq!(t["total"], 165);
        let focus = |rpage: &'static str, id: i64| {
            let (app, client) = (&app, p.anna.clone());
            async move {
                app.call_with(
                    &client,
                    "get_thread",
                    &[
                        ("kind", "proposal"),
                        ("id", &proposal.to_string()),
                        ("focus", &id.to_string()),
                        ("rpage", rpage),
                    ],
                )
                .await
            }
        };
        let alone: serde_json::Value = focus("3", root).await.json().await.unwrap();
        assert_eq!(alone["focus"], root);
        assert_eq!(alone["roots"].as_array().unwrap().len(), 1);
        let last = alone["roots"][0]["replies"].as_array().unwrap();
        assert_eq!(last.len(), 20);
        assert_eq!(last[0]["body_html"], "<p>Antwort 100</p>\n");
        // Only a top-level comment of this thread can be focused.
        let reply = last[0]["id"].as_i64().unwrap();
        assert_eq!(focus("1", reply).await.status(), 404);
    }
);

db_test!(
    moderators_hide_restore_and_block_and_it_is_audited,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (p, proposal) = setup(&app).await;
        let (_, c) = post(
            &app,
            &p.ben,
            proposal,
            "Das ist doch alles Quatsch, ihr Idioten.",
            false,
        )
        .await;
        let c = c.as_i64().unwrap();
        let cs = c.to_string();
        let report =
            |client: &reqwest::Client, target: &'static str, id: String, reason: &'static str| {
                let (app, client) = (&app, client.clone());
                async move {
                    call(
                        app,
                        &client,
                        "report_content",
                        &[("target", target), ("id", &id), ("reason", reason)],
                    )
                    .await
                }
            };
        // Reports: signed in, not one's own, with a reason, once.
        assert_eq!(
            report(&new_client(), "comment", cs.clone(), "Beleidigung")
                .await
                .0,
            401
        );
        assert_eq!(
            report(&p.ben, "comment", cs.clone(), "Beleidigung").await.0,
            422
        );
        let (code, body) = report(&p.anna, "comment", cs.clone(), "").await;
        assert_eq!((code, field(&body)), (422, "reason".to_owned()));
        assert_eq!(
            report(&p.anna, "comment", cs.clone(), "Beleidigung anderer")
                .await
                .0,
            200
        );
        let (code, body) = report(&p.anna, "comment", cs.clone(), "Beleidigung anderer").await;
        assert_eq!(code, 422);
        assert!(body.to_string().contains("bereits gemeldet"));
        assert_eq!(
            report(&p.cara, "comment", cs.clone(), "Beschimpfung")
                .await
                .0,
            200
        );
        // The author edits it meanwhile; moderators see the version.
        let (code, _) = call(
            &app,
            &p.ben,
            "edit_comment",
            &[("id", &cs), ("body", "Das ist doch alles Quatsch.")],
        )
        .await;
        assert_eq!(code, 200);

        // The queue: staff only.
        assert_eq!(
            call(&app, &new_client(), "moderation_queue", &[]).await.0,
            401
        );
        assert_eq!(call(&app, &p.anna, "moderation_queue", &[]).await.0, 403);
        let (code, q) = call(&app, &p.staff, "moderation_queue", &[]).await;
        assert_eq!(code, 200, "{q}");
        let item = &q["open"][0];
        assert_eq!(
            (
                item["id"].as_i64(),
                item["reports"].as_array().unwrap().len()
            ),
            (Some(c), 2)
        );
        assert_eq!(
            item["versions"][0]["body"],
            "Das ist doch alles Quatsch, ihr Idioten."
        );
        assert_eq!(
            item["context"],
            "Kommentar zu Vorschlag „Bürgerbus nach Lemgo“"
        );

        // Hiding: moderators only, with a public reason.
        let moderate = |client: &reqwest::Client,
                        target: &'static str,
                        id: String,
                        decision: &'static str,
                        reason: &'static str| {
            let (app, client) = (&app, client.clone());
            async move {
                call(
                    app,
                    &client,
                    "moderate_content",
                    &[
                        ("target", target),
                        ("id", &id),
                        ("decision", decision),
                        ("reason", reason),
                    ],
                )
                .await
            }
        };
        assert_eq!(
            moderate(&p.anna, "comment", cs.clone(), "hide", "Beleidigung")
                .await
                .0,
            403
        );
        assert_eq!(
            moderate(&new_client(), "comment", cs.clone(), "hide", "Beleidigung")
                .await
                .0,
            401
        );
        let (code, body) = moderate(&p.staff, "comment", cs.clone(), "hide", "").await;
        assert_eq!((code, field(&body)), (422, "reason".to_owned()));
        assert_eq!(
            moderate(
                &p.staff,
                "comment",
                cs.clone(),
                "hide",
                "Beleidigung anderer Teilnehmender"
            )
            .await
            .0,
            200
        );
        let t = thread(&app, &p.cara, proposal, "", 1).await;
        let shown = &t["roots"][0]["comment"];
        assert_eq!(shown["hidden_reason"], "Beleidigung anderer Teilnehmender");
        assert_eq!(shown["body_html"], "");
        assert_eq!(comment_count(&app, &p.cara, proposal).await, 0);
        let (code, body) = reply(&app, &p.cara, c, "Genau!").await;
        assert_eq!((code, field(&body)), (422, "body".to_owned()));
        let (_, q) = call(&app, &p.staff, "moderation_queue", &[]).await;
        assert_eq!(q["open"].as_array().unwrap().len(), 0);
        assert_eq!(q["hidden"][0]["id"], c);
        assert_eq!(
            q["hidden"][0]["text"], "Das ist doch alles Quatsch.",
            "moderators still read it"
        );
        // Restoring brings it back.
        assert_eq!(
            moderate(&p.staff, "comment", cs.clone(), "restore", "")
                .await
                .0,
            200
        );
        let t = thread(&app, &p.cara, proposal, "", 1).await;
        assert_eq!(
            t["roots"][0]["comment"]["hidden_reason"],
            serde_json::Value::Null
        );
        assert_eq!(comment_count(&app, &p.cara, proposal).await, 1);

        // A reported proposal: hidden, it shows the reason and takes no more comments.
        let ps = proposal.to_string();
        assert_eq!(
            report(&p.anna, "proposal", ps.clone(), "Eigener Vorschlag")
                .await
                .0,
            422
        );
        assert_eq!(
            report(&p.ben, "proposal", ps.clone(), "Doppelt eingereicht")
                .await
                .0,
            200
        );
        let (_, q) = call(&app, &p.staff, "moderation_queue", &[]).await;
        assert_eq!(q["open"][0]["target"], "proposal");
        assert_eq!(
            moderate(
                &p.staff,
                "proposal",
                ps.clone(),
                "hide",
                "Doppelt eingereicht, siehe Vorschlag 1"
            )
            .await
            .0,
            200
        );
        let d: serde_json::Value = app
            .call_with(&p.cara, "get_proposal", &[("id", &ps)])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            d["card"]["hidden_reason"],
            "Doppelt eingereicht, siehe Vorschlag 1"
        );
        assert_eq!(d["body_html"], "");
        let (code, body) = post(&app, &p.cara, proposal, "Und jetzt?", false).await;
        assert_eq!((code, field(&body)), (422, "body".to_owned()));
        assert_eq!(
            moderate(&p.staff, "proposal", ps.clone(), "restore", "")
                .await
                .0,
            200
        );
        assert_eq!(
            report(&p.cara, "proposal", ps.clone(), "Unsachlich formuliert")
                .await
                .0,
            200
        );
        assert_eq!(
            moderate(&p.staff, "proposal", ps.clone(), "dismiss", "")
                .await
                .0,
            200
        );
        let (_, q) = call(&app, &p.staff, "moderation_queue", &[]).await;
        assert_eq!(q["open"].as_array().unwrap().len(), 0);

        // Blocking: staff only, with a reason; a blocked account contributes nothing.
        let ben = app::infra::entities::user::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.email.as_deref() == Some("ben@kalletal.example"))
            .unwrap()
            .id
            .to_string();
        let block = |client: &reqwest::Client, value: &'static str, reason: &'static str| {
            let (app, client, ben) = (&app, client.clone(), ben.clone());
            async move {
                call(
                    app,
                    &client,
                    "block_account",
                    &[("user", &ben), ("block", value), ("reason", reason)],
                )
                .await
            }
        };
        assert_eq!(block(&p.anna, "1", "Beleidigungen").await.0, 403);
        let (code, body) = block(&p.staff, "1", "").await;
        assert_eq!((code, field(&body)), (422, "reason".to_owned()));
        assert_eq!(
            block(&p.staff, "1", "Wiederholte Beleidigungen").await.0,
            200
        );
        let (code, body) = post(&app, &p.ben, proposal, "Hallo?", false).await;
        assert_eq!((code, body["code"].as_str()), (403, Some("blocked")));
        assert_eq!(
            call(
                &app,
                &p.ben,
                "support_proposal",
                &[("id", &ps), ("support", "1")]
            )
            .await
            .0,
            403
        );
        let t = thread(&app, &p.ben, proposal, "", 1).await;
        assert_eq!(
            (
                t["viewer"]["blocked"].as_bool(),
                t["viewer"]["can_post"].as_bool()
            ),
            (Some(true), Some(false))
        );
        let (_, q) = call(&app, &p.staff, "moderation_queue", &[]).await;
        assert_eq!(q["blocked"][0]["name"], "Test Person");
        assert_eq!(block(&p.staff, "0", "").await.0, 200);
        assert_eq!(
            post(&app, &p.ben, proposal, "Entschuldigung.", false)
                .await
                .0,
            200
        );

        // Every moderation step is in the audit trail, with who and why.
        let entries = app::infra::entities::audit_log::Entity::find()
            .all(&app.db)
            .await
            .unwrap();
        let actions: Vec<&str> = entries
            .iter()
            .map(|e| e.action.as_str())
            .filter(|a| {
                !a.starts_with("topics.")
                    && !a.starts_with("districts.")
                    && !a.starts_with("role.")
                    && !a.starts_with("two_factor.")
            })
            .collect();
        assert_eq!(
            actions,
            vec![
                "comment.hidden",
                "comment.restored",
                "proposal.hidden",
                "proposal.restored",
                "report.dismissed",
                "account.blocked",
                "account.unblocked"
            ]
        );
        let hidden = entries
            .iter()
            .find(|e| e.action == "comment.hidden")
            .unwrap();
        assert!(
            hidden
                .details
                .to_string()
                .contains("Beleidigung anderer Teilnehmender"),
            "{:?}",
            hidden.details
        );
    }
);

db_test!(
    followers_get_at_most_one_digest_an_hour_and_unsubscribe_with_one_click,
    |backend| async move {
        use app::comments::server::notify::send_digests;
        let app = TestApp::spawn(backend).await;
        let (p, proposal) = setup(&app).await;
        // Anna follows her proposal; Ben follows by commenting; Cara does not. Ben reads
        // English: his digest comes in English, Anna's in German.
        app.db
            .execute_unprepared(
                "UPDATE users SET language = 'en' WHERE email = 'ben@kalletal.example'",
            )
            .await
            .unwrap();
        let (_, first) = post(&app, &p.ben, proposal, "Ich wäre dabei.", true).await;
        post(
            &app,
            &p.cara,
            proposal,
            "Gibt es schon einen Fahrplan?",
            false,
        )
        .await;
        reply(&app, &p.cara, first.as_i64().unwrap(), "Ich auch!").await;
        assert_eq!(app.count("notifications").await, 5, "Anna 3, Ben 2");
        // Nothing goes out until the digest job runs, and then one email per person.
        let now = Utc::now();
        assert_eq!(
            send_digests(&app.db, &app.state.config, now).await.unwrap(),
            2
        );
        let anna = app.mail_to("anna@kalletal.example").await;
        assert_eq!(anna.len(), 1);
        let mail = &anna[0];
        assert_eq!(mail.subject, "Neues zu Vorschlag „Bürgerbus nach Lemgo“");
        assert!(
            mail.text
                .contains("Neuer Kommentar von Test Person: „Ich wäre dabei.“"),
            "{}",
            mail.text
        );
        assert!(mail.text.contains("Gibt es schon einen Fahrplan?"));
        assert!(mail.text.contains("hat geantwortet: „Ich auch!“"));
        let one_click = mail.list_unsubscribe.clone().unwrap();
        assert!(
            one_click.contains("/unsubscribe/one-click?u="),
            "{one_click}"
        );
        let ben = app.mail_to("ben@kalletal.example").await;
        assert_eq!(ben.len(), 1);
        assert_eq!(ben[0].subject, "News about Proposal “Bürgerbus nach Lemgo”");
        assert!(
            ben[0]
                .text
                .contains("Test Person replied to your comment: “Ich auch!”"),
            "{}",
            ben[0].text
        );
        assert!(
            ben[0]
                .text
                .contains("No more of these emails, about anything:")
        );
        assert!(app.mail_to("cara@kalletal.example").await.is_empty());

        // A busy thread: more comments within the hour wait for the next digest.
        post(&app, &p.cara, proposal, "Und samstags?", false).await;
        post(&app, &p.cara, proposal, "Und sonntags?", false).await;
        assert_eq!(
            send_digests(&app.db, &app.state.config, now + TimeDelta::minutes(30))
                .await
                .unwrap(),
            0
        );
        assert_eq!(app.mail_to("anna@kalletal.example").await.len(), 1);
        assert_eq!(
            send_digests(&app.db, &app.state.config, now + TimeDelta::minutes(61))
                .await
                .unwrap(),
            2
        );
        let anna = app.mail_to("anna@kalletal.example").await;
        assert_eq!(anna.len(), 2);
        assert!(anna[1].text.contains("Und samstags?") && anna[1].text.contains("Und sonntags?"));

        // The unsubscribe link in the body: signed, one click, no sign-in.
        let link = anna[1]
            .text
            .split_whitespace()
            .find(|w| w.contains("/unsubscribe?u=") && w.contains("&s=proposal:"))
            .unwrap()
            .to_owned();
        let query = link.split_once('?').unwrap().1.to_owned();
        let params: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        let get = |k: &str| params.iter().find(|(n, _)| n == k).unwrap().1.clone();
        let (code, body) = call(
            &app,
            &new_client(),
            "unsubscribe",
            &[("u", &get("u")), ("s", &get("s")), ("t", "0000")],
        )
        .await;
        assert_eq!(
            (code, body["code"].as_str()),
            (422, Some("link_invalid")),
            "{body}"
        );
        // Opening the link (as a mail provider's link scanner would) changes nothing: the
        // page says what it is about and asks for a click.
        let (code, body) = call(
            &app,
            &new_client(),
            "unsubscribe_scope",
            &[("u", &get("u")), ("s", &get("s")), ("t", &get("t"))],
        )
        .await;
        assert_eq!(code, 200, "{body}");
        assert_eq!(body["title"], "Vorschlag „Bürgerbus nach Lemgo“");
        let t = thread(&app, &p.anna, proposal, "", 1).await;
        assert_eq!(t["viewer"]["following"], true);
        let (code, body) = call(
            &app,
            &new_client(),
            "unsubscribe",
            &[("u", &get("u")), ("s", &get("s")), ("t", &get("t"))],
        )
        .await;
        assert_eq!(code, 200, "{body}");
        assert_eq!(body["title"], "Vorschlag „Bürgerbus nach Lemgo“");
        let t = thread(&app, &p.anna, proposal, "", 1).await;
        assert_eq!(t["viewer"]["following"], false);
        // Official answers go to followers at once, with the link; Anna no longer follows.
        let (code, _) = call(
            &app,
            &p.staff,
            "answer_proposal",
            &[
                ("id", &proposal.to_string()),
                ("status", "under_review"),
                ("answer", "Die Verwaltung prüft den Bedarf."),
            ],
        )
        .await;
        assert_eq!(code, 200);
        assert_eq!(app.mail_to("anna@kalletal.example").await.len(), 2);
        let ben = app.mail_to("ben@kalletal.example").await;
        let news = ben.last().unwrap();
        // In Ben's language, whatever language the staff member works in.
        assert_eq!(
            news.subject,
            "Proposal “Bürgerbus nach Lemgo”: under review"
        );
        assert!(
            news.text
                .contains("The answer:\nDie Verwaltung prüft den Bedarf."),
            "{}",
            news.text
        );
        assert!(news.text.contains("/unsubscribe?u="));
        // The mail program's one-click POST (RFC 8058) ends Ben's emails too.
        let one_click = news.list_unsubscribe.clone().unwrap();
        let scanned = new_client().get(&one_click).send().await.unwrap();
        assert_eq!(scanned.status(), 405, "a GET changes nothing");
        let t = thread(&app, &p.ben, proposal, "", 1).await;
        assert_eq!(t["viewer"]["following"], true);
        let res = new_client()
            .post(&one_click)
            .form(&[("List-Unsubscribe", "One-Click")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let t = thread(&app, &p.ben, proposal, "", 1).await;
        assert_eq!(t["viewer"]["following"], false);

        // Following by hand: signed in only.
        let follow = |client: &reqwest::Client, value: &'static str| {
            let (app, client) = (&app, client.clone());
            async move {
                call(
                    app,
                    &client,
                    "follow_subject",
                    &[
                        ("kind", "proposal"),
                        ("subject", &proposal.to_string()),
                        ("follow", value),
                    ],
                )
                .await
                .0
            }
        };
        assert_eq!(follow(&new_client(), "1").await, 401);
        assert_eq!(follow(&p.cara, "1").await, 200);
        assert_eq!(
            thread(&app, &p.cara, proposal, "", 1).await["viewer"]["following"],
            true
        );
        assert_eq!(follow(&p.cara, "0").await, 200);
        assert_eq!(
            thread(&app, &p.cara, proposal, "", 1).await["viewer"]["following"],
            false
        );

        // The "nothing at all" link of a digest ends every follow at once.
        assert_eq!(follow(&p.cara, "1").await, 200);
        post(
            &app,
            &p.ben,
            proposal,
            "Noch eine Frage zum Fahrplan.",
            false,
        )
        .await;
        assert_eq!(
            send_digests(&app.db, &app.state.config, now + TimeDelta::hours(3))
                .await
                .unwrap(),
            1
        );
        let cara = app.mail_to("cara@kalletal.example").await;
        let all = cara
            .last()
            .unwrap()
            .text
            .split_whitespace()
            .find(|w| w.contains("/unsubscribe?u=") && w.contains("&s=all&"))
            .unwrap()
            .to_owned();
        let query = all.split_once('?').unwrap().1.to_owned();
        let params: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        let form: Vec<(&str, &str)> = params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let (code, body) = call(&app, &new_client(), "unsubscribe", &form).await;
        assert_eq!((code, body["title"].is_null()), (200, true), "{body}");
        // Sent notifications are kept a week, then the digest job deletes them.
        assert!(app.count("notifications").await > 0);
        send_digests(&app.db, &app.state.config, now + TimeDelta::days(8))
            .await
            .unwrap();
        assert_eq!(app.count("notifications").await, 0);
        assert_eq!(
            thread(&app, &p.cara, proposal, "", 1).await["viewer"]["following"],
            false
        );
    }
);

db_test!(
    upgrading_keeps_answer_emails_for_earlier_authors_and_supporters,
    |backend| async move {
        use migrations::{Migrator, MigratorTrait};
        use sea_orm::ConnectionTrait;
        // A database as the proposals release left it (six migrations), with a proposal,
        // a supporter who asked for email and one who did not.
        let test_db = crate::helpers::TestDb::new(backend).await;
        let db = app::infra::db::connect(&test_db.url).await.unwrap();
        Migrator::up(&db, Some(6)).await.unwrap();
        for sql in [
            "INSERT INTO users (id, email, display_name, created_at, updated_at) VALUES \
             (1, 'anna@x.example', 'Anna', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
             (2, 'ben@x.example', 'Ben', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
             (3, 'cara@x.example', 'Cara', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            "INSERT INTO topics (id, name, position, active) VALUES (1, 'Mobilität', 0, TRUE)",
            "INSERT INTO proposals (id, author_id, title, body, topic_id, status, search_text, \
             supports, comments, created_at, updated_at) VALUES (1, 1, 'Bürgerbus', 'Text', 1, \
             'submitted', 'x', 2, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            "INSERT INTO proposal_supports (proposal_id, user_id, notify, created_at) VALUES \
             (1, 2, TRUE, CURRENT_TIMESTAMP), (1, 3, FALSE, CURRENT_TIMESTAMP)",
        ] {
            db.execute_unprepared(sql).await.unwrap();
        }
        Migrator::up(&db, None).await.unwrap();
        let follows: Vec<i64> = app::comments::server::notify::followers(
            &db,
            app::comments::domain::SubjectKind::Proposal,
            1,
        )
        .await
        .unwrap();
        let mut follows = follows;
        follows.sort_unstable();
        assert_eq!(
            follows,
            vec![1, 2],
            "the author and the supporter who asked"
        );
    }
);

db_test!(
    the_html_of_a_text_is_stored_when_saved_and_filled_in_where_missing,
    |backend| async move {
        use app::infra::entities::{comment, proposal};
        let app = TestApp::spawn(backend).await;
        let (p, proposal_id) = setup(&app).await;
        let (code, id) = post(&app, &p.ben, proposal_id, "Das ist **wichtig**.", false).await;
        assert_eq!(code, 200, "{id}");
        let id = id.as_i64().unwrap();
        let stored = |app: &TestApp| {
            let db = app.db.clone();
            async move {
                comment::Entity::find_by_id(id)
                    .one(&db)
                    .await
                    .unwrap()
                    .unwrap()
                    .body_html
            }
        };
        assert_eq!(
            stored(&app).await.as_deref(),
            Some("<p>Das ist <strong>wichtig</strong>.</p>\n")
        );
        // An edit stores the new HTML with the new text.
        let (code, body) = call(
            &app,
            &p.ben,
            "edit_comment",
            &[("id", &id.to_string()), ("body", "Das ist *dringend*.")],
        )
        .await;
        assert_eq!(code, 200, "{body}");
        assert_eq!(
            stored(&app).await.as_deref(),
            Some("<p>Das ist <em>dringend</em>.</p>\n")
        );
        let t = thread(&app, &new_client(), proposal_id, "oldest", 1).await;
        assert_eq!(
            t["roots"][0]["comment"]["body_html"],
            "<p>Das ist <em>dringend</em>.</p>\n"
        );

        // Rows from before the column (or emptied for a new renderer) are filled at start.
        app.db
            .execute_unprepared("UPDATE comments SET body_html = NULL")
            .await
            .unwrap();
        app.db
            .execute_unprepared("UPDATE proposals SET body_html = NULL")
            .await
            .unwrap();
        // Until then the page renders them as before.
        let t = thread(&app, &new_client(), proposal_id, "oldest", 1).await;
        assert_eq!(
            t["roots"][0]["comment"]["body_html"],
            "<p>Das ist <em>dringend</em>.</p>\n"
        );
        assert_eq!(
            app::infra::markdown::fill_missing(&app.db).await.unwrap(),
            2
        );
        assert_eq!(
            stored(&app).await.as_deref(),
            Some("<p>Das ist <em>dringend</em>.</p>\n")
        );
        let p = proposal::Entity::find_by_id(proposal_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(p.body_html, Some(format!("<p>{BODY}</p>\n")));
        assert_eq!(
            app::infra::markdown::fill_missing(&app.db).await.unwrap(),
            0
        );
    }
);

db_test!(
    a_report_posted_without_javascript_comes_back_at_the_item_it_is_about,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (p, proposal) = setup(&app).await;
        // Cara's comment: Anna and Ben may both report it. In a fresh database it has the
        // proposal's number, the case where the two report forms could be mixed up.
        let (_, c) = post(&app, &p.cara, proposal, BODY, false).await;
        let c = c.as_i64().unwrap();
        assert_eq!(c, proposal, "both are the first of their kind");
        let page = app.url(&format!("/proposals/{proposal}"));
        // A report without a reason, posted as a plain form: back to the page, with the
        // message at the form it came from and the other form of the same action silent.
        let report = |client: &reqwest::Client, target: &str, id: i64| {
            client
                .post(app.url("/api/report_content"))
                .header("origin", format!("http://{}", app.addr))
                .header("referer", page.clone())
                .header("accept", "text/html")
                .form(&[("target", target), ("id", &id.to_string()), ("reason", "")])
                .send()
        };
        let comment_form = format!(r#"id="report-{c}-reason-error""#);
        let proposal_form = r#"id="report-reason-error""#;

        // Anna reports the comment (her own proposal she may not report).
        let res = report(&p.anna, "comment", c).await.unwrap();
        assert_eq!(res.status(), 302);
        let location = res.headers()["location"].to_str().unwrap().to_owned();
        let html = page_text(&p.anna, &location).await;
        assert!(html.contains(&comment_form), "{html}");
        assert!(!html.contains(proposal_form));

        // Ben reports the proposal: the comment's report form, shown to him too, stays silent.
        let res = report(&p.ben, "proposal", proposal).await.unwrap();
        assert_eq!(res.status(), 302);
        let location = res.headers()["location"].to_str().unwrap().to_owned();
        let html = page_text(&p.ben, &location).await;
        assert!(html.contains(proposal_form), "{html}");
        assert!(
            html.contains(&format!(r#"id="report-{c}-reason""#)),
            "the comment's form is shown"
        );
        assert!(!html.contains(&comment_form));
    }
);
