//! Advisory boards: boards and members with their rights; a session from planning through
//! invitation (emails with calendar entries), answers, attendance, votes and minutes to
//! publication; calendars; attachments; bad input refused at its field with nothing
//! written; every server function refusing whoever may not.

use app::accounts::domain::Role;
use chrono::{TimeDelta, Utc};
use chrono_tz::Europe::Berlin;
use sea_orm::ConnectionTrait;

use crate::helpers::{TestApp, db_test, error_code, new_client};

/// The body of `path` for a browser (or calendar program) asking for `language`.
async fn text_in(app: &TestApp, path: &str, language: &str) -> String {
    reqwest::Client::new()
        .get(app.url(path))
        .header("accept-language", language)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// A `datetime-local` value `minutes` from now, in the municipality's time.
fn local_in(minutes: i64) -> String {
    (Utc::now() + TimeDelta::minutes(minutes))
        .with_timezone(&Berlin)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

struct Board {
    id: i64,
    staff: reqwest::Client,
    chair: reqwest::Client,
    member: reqwest::Client,
    resident: reqwest::Client,
    chair_member: i64,
    member_id: i64,
    quiet_member: i64,
}

async fn ok(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &str,
    form: &[(&str, &str)],
) -> serde_json::Value {
    let (code, body) = error_code(app.call_with(client, endpoint, form).await).await;
    assert_eq!(code, 200, "{endpoint}: {body}");
    body
}

/// A board with a chair, two voting members (one not named in public) and an advisory
/// member; a resident who is none of them.
async fn board(app: &TestApp) -> Board {
    let staff = app.client_for("kim@kalletal.example", &[Role::Staff]).await;
    let chair = app.client_for("renate@kalletal.example", &[]).await;
    let member = app.client_for("mehmet@kalletal.example", &[]).await;
    app.account_with_roles("lea@kalletal.example", &[]).await;
    app.account_with_roles("berater@kalletal.example", &[])
        .await;
    let resident = app.client_for("sabine@kalletal.example", &[]).await;
    let id = ok(
        app,
        &staff,
        "create_board",
        &[
            ("name", "Entwicklungsbeirat"),
            ("description", "Berät den Rat."),
            ("contact", "beirat@kalletal.example"),
            ("term_start", "2025-11-01"),
            ("term_end", "2030-10-31"),
        ],
    )
    .await
    .as_i64()
    .unwrap();
    // Names of their own, so that a test can tell who is named where.
    for (email, name) in [
        ("renate@kalletal.example", "Renate Vogt"),
        ("mehmet@kalletal.example", "Mehmet Yılmaz"),
        ("lea@kalletal.example", "Lea Hoffmann"),
        ("berater@kalletal.example", "Bernd Berater"),
    ] {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        app::infra::entities::user::Entity::update_many()
            .col_expr(
                app::infra::entities::user::Column::DisplayName,
                Expr::value(name),
            )
            .filter(app::infra::entities::user::Column::Email.eq(email))
            .exec(&app.db)
            .await
            .unwrap();
    }
    let board = id.to_string();
    let mut ids = Vec::new();
    for (email, role) in [
        ("renate@kalletal.example", "chair"),
        ("mehmet@kalletal.example", "member"),
        ("lea@kalletal.example", "member"),
        ("berater@kalletal.example", "advisory"),
    ] {
        ok(
            app,
            &staff,
            "add_board_member",
            &[
                ("board", &board),
                ("email", email),
                ("role", role),
                ("term_from", "2025-11-01"),
                ("term_to", ""),
            ],
        )
        .await;
        let detail = ok(app, &staff, "get_board", &[("id", &board)]).await;
        ids.push(
            detail["members"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["email"] == email)
                .unwrap()["id"]
                .as_i64()
                .unwrap(),
        );
    }
    for (client, member) in [(&chair, ids[0]), (&member, ids[1])] {
        ok(
            app,
            client,
            "set_name_consent",
            &[("member", &member.to_string()), ("consent", "1")],
        )
        .await;
    }
    Board {
        id,
        staff,
        chair,
        member,
        resident,
        chair_member: ids[0],
        member_id: ids[1],
        quiet_member: ids[2],
    }
}

async fn new_session(
    app: &TestApp,
    b: &Board,
    title: &str,
    starts_in_minutes: i64,
    public: bool,
) -> i64 {
    let board = b.id.to_string();
    let mut form = vec![
        ("board", board.as_str()),
        ("title", title),
        ("address", "Rathaus Hohenhausen"),
        ("room", "Sitzungssaal"),
    ];
    let (starts, ends) = (
        local_in(starts_in_minutes),
        local_in(starts_in_minutes + 120),
    );
    form.push(("starts_at", &starts));
    form.push(("ends_at", &ends));
    if public {
        form.push(("public", "on"));
    }
    ok(app, &b.chair, "create_session", &form)
        .await
        .as_i64()
        .unwrap()
}

/// Moves a session `days` into the past, two hours long (the forms take no past dates).
async fn held_days_ago(app: &TestApp, id: i64, days: i64) {
    use app::infra::entities::meeting;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let starts = Utc::now() - TimeDelta::days(days);
    meeting::Entity::update_many()
        .col_expr(meeting::Column::StartsAt, Expr::value(starts))
        .col_expr(
            meeting::Column::EndsAt,
            Expr::value(starts + TimeDelta::hours(2)),
        )
        .filter(meeting::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
}

fn field(body: &serde_json::Value, name: &str) -> String {
    body["fields"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["field"] == name))
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("no message for {name}: {body}"))
}

db_test!(
    boards_and_members_belong_to_those_who_run_them,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let b = board(&app).await;
        let board = b.id.to_string();

        // Only staff create boards.
        let (code, _) = error_code(
            app.call_with(&b.chair, "create_board", &[("name", "Jugendbeirat")])
                .await,
        )
        .await;
        assert_eq!(code, 403);
        let (code, _) =
            error_code(app.call("create_board", &[("name", "Jugendbeirat")]).await).await;
        assert_eq!(code, 401);
        let (code, body) = error_code(
            app.call_with(
                &b.staff,
                "create_board",
                &[
                    ("name", ""),
                    ("term_start", "2030-01-01"),
                    ("term_end", "2025-01-01"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(code, 422);
        assert_eq!(field(&body, "name"), "Bitte geben Sie einen Namen ein.");
        assert!(field(&body, "term_end").contains("nach ihrem Beginn"));
        assert_eq!(app.count("boards").await, 1);

        // The chair manages the board; a member and a resident may not.
        ok(
            &app,
            &b.chair,
            "update_board",
            &[
                ("id", &board),
                ("name", "Kommunaler Entwicklungsbeirat"),
                ("description", "Neu."),
                ("contact", ""),
            ],
        )
        .await;
        for client in [&b.member, &b.resident] {
            let (code, _) = error_code(
                app.call_with(client, "update_board", &[("id", &board), ("name", "X")])
                    .await,
            )
            .await;
            assert_eq!(code, 403);
            let (code, _) = error_code(
                app.call_with(
                    client,
                    "add_board_member",
                    &[
                        ("board", &board),
                        ("email", "sabine@kalletal.example"),
                        ("role", "member"),
                        ("term_from", "2025-11-01"),
                    ],
                )
                .await,
            )
            .await;
            assert_eq!(code, 403);
        }
        // Unknown accounts and overlapping terms are named at the email field; nothing is written.
        let before = app.count("board_members").await;
        let (code, body) = error_code(
            app.call_with(
                &b.chair,
                "add_board_member",
                &[
                    ("board", &board),
                    ("email", "niemand@kalletal.example"),
                    ("role", "member"),
                    ("term_from", "2025-11-01"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(code, 422);
        assert!(field(&body, "email").contains("kein Konto"));
        let (code, body) = error_code(
            app.call_with(
                &b.chair,
                "add_board_member",
                &[
                    ("board", &board),
                    ("email", "mehmet@kalletal.example"),
                    ("role", "deputy"),
                    ("term_from", "2026-01-01"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(code, 422);
        assert!(field(&body, "email").contains("bereits Mitglied"));
        let (_, body) = error_code(
            app.call_with(
                &b.chair,
                "add_board_member",
                &[
                    ("board", &board),
                    ("email", "sabine@kalletal.example"),
                    ("role", "boss"),
                    ("term_from", ""),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(field(&body, "role"), "Bitte wählen Sie eine Rolle.");
        assert!(field(&body, "term_from").contains("ab wann"));
        assert_eq!(app.count("board_members").await, before);

        // Being named is each member's own decision.
        let (code, _) = error_code(
            app.call_with(
                &b.chair,
                "set_name_consent",
                &[("member", &b.quiet_member.to_string()), ("consent", "1")],
            )
            .await,
        )
        .await;
        assert_eq!(code, 403);

        // The public sees the named members and a count of the others; no email addresses.
        let public = ok(&app, &new_client(), "get_board", &[("id", &board)]).await;
        let names: Vec<&str> = public["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Renate Vogt", "Mehmet Yılmaz"], "{public}");
        assert!(!public.to_string().contains("Lea Hoffmann"));
        assert_eq!(public["unnamed_members"], 2);
        assert_eq!(public["voting_members"], 3);
        assert!(!public.to_string().contains("@kalletal.example"));
        assert_eq!(public["can_manage"], false);
        // The board sees everyone; the chair also their addresses.
        let inside = ok(&app, &b.member, "get_board", &[("id", &board)]).await;
        assert_eq!(inside["members"].as_array().unwrap().len(), 4);
        assert!(!inside.to_string().contains("@kalletal.example"));
        let chair_view = ok(&app, &b.chair, "get_board", &[("id", &board)]).await;
        assert_eq!(chair_view["can_manage"], true);
        assert!(chair_view.to_string().contains("lea@kalletal.example"));

        // A membership that ended no longer counts, and a removed one is gone.
        ok(
            &app,
            &b.chair,
            "update_board_member",
            &[
                ("member", &b.member_id.to_string()),
                ("role", "member"),
                ("term_from", "2025-11-01"),
                ("term_to", "2026-01-31"),
            ],
        )
        .await;
        ok(
            &app,
            &b.chair,
            "remove_board_member",
            &[("member", &b.quiet_member.to_string())],
        )
        .await;
        let after = ok(&app, &new_client(), "get_board", &[("id", &board)]).await;
        assert_eq!(after["voting_members"], 1, "{after}");
        assert_eq!(after["unnamed_members"], 1);
        let (code, _) = error_code(
            app.call_with(
                &b.member,
                "remove_board_member",
                &[("member", &b.chair_member.to_string())],
            )
            .await,
        )
        .await;
        assert_eq!(code, 403);
    }
);

db_test!(
    a_session_runs_from_invitation_to_published_minutes,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let b = board(&app).await;
        ok(
            &app,
            &b.resident,
            "follow_subject",
            &[
                ("kind", "board"),
                ("subject", &b.id.to_string()),
                ("follow", "1"),
            ],
        )
        .await;

        // End before start: named at the end, nothing written.
        let board = b.id.to_string();
        let (code, body) = error_code(
            app.call_with(
                &b.chair,
                "create_session",
                &[
                    ("board", &board),
                    ("title", "5. Sitzung"),
                    ("starts_at", &local_in(60)),
                    ("ends_at", &local_in(30)),
                    ("address", "Rathaus"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(code, 422);
        assert_eq!(
            field(&body, "ends_at"),
            "Das Ende muss nach dem Beginn liegen."
        );
        assert_eq!(app.count("meetings").await, 0);
        let (code, _) = error_code(
            app.call_with(
                &b.member,
                "create_session",
                &[
                    ("board", &board),
                    ("title", "Geheim"),
                    ("starts_at", &local_in(60)),
                    ("ends_at", &local_in(90)),
                    ("address", "x"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(code, 403);

        let id = new_session(&app, &b, "5. Sitzung des Beirats", 60, true).await;
        let sid = id.to_string();
        // No invitation without an agenda.
        let (code, body) = error_code(
            app.call_with(&b.chair, "invite_session", &[("id", &sid)])
                .await,
        )
        .await;
        assert_eq!(code, 422);
        assert!(field(&body, "invite").contains("Tagesordnung ist leer"));

        ok(
            &app,
            &b.chair,
            "add_agenda_item",
            &[
                ("session", &sid),
                ("title", "Medizinische Versorgung"),
                ("description", "Bericht **der Verwaltung**"),
                ("public", "on"),
            ],
        )
        .await;
        ok(
            &app,
            &b.chair,
            "add_agenda_item",
            &[
                ("session", &sid),
                ("title", "Personalien"),
                ("description", "Vertrauliche Angelegenheit"),
                ("public", ""),
            ],
        )
        .await;
        let manage = ok(&app, &b.chair, "get_session_manage", &[("id", &sid)]).await;
        let items: Vec<i64> = manage["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect();
        assert_eq!(manage["items"][1]["number"], "2");
        // A sub-point, numbered under its parent; moving the main points renumbers them.
        ok(
            &app,
            &b.chair,
            "add_agenda_item",
            &[
                ("session", &sid),
                ("title", "Kinderarzt"),
                ("public", "on"),
                ("parent", &items[0].to_string()),
            ],
        )
        .await;
        ok(
            &app,
            &b.chair,
            "move_agenda_item",
            &[("item", &items[1].to_string()), ("direction", "up")],
        )
        .await;
        let manage = ok(&app, &b.chair, "get_session_manage", &[("id", &sid)]).await;
        let numbered: Vec<(String, String)> = manage["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["number"].as_str().unwrap().to_owned(),
                    i["title"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            numbered,
            [
                ("1".into(), "Personalien".into()),
                ("2".into(), "Medizinische Versorgung".into()),
                ("2.1".into(), "Kinderarzt".into())
            ]
        );
        let sub = manage["items"][2]["id"].as_i64().unwrap();
        let closed_item = manage["items"][0]["id"].as_i64().unwrap().to_string();
        // What is discussed under a closed point is closed too, whatever the box said.
        ok(
            &app,
            &b.chair,
            "add_agenda_item",
            &[
                ("session", &sid),
                ("title", "Bewerbung Geschäftsstelle"),
                ("description", "Unterlagen der Bewerberin"),
                ("public", "on"),
                ("parent", &closed_item),
            ],
        )
        .await;
        let manage = ok(&app, &b.chair, "get_session_manage", &[("id", &sid)]).await;
        assert_eq!(manage["items"][1]["number"], "1.1");
        assert_eq!(manage["items"][1]["public"], false);

        // The invitation: each member gets the agenda and a calendar entry, in the language
        // of their account (Lea reads English); the follower hears of it.
        app.db
            .execute_unprepared(
                "UPDATE users SET language = 'en' WHERE email = 'lea@kalletal.example'",
            )
            .await
            .unwrap();
        app.deliver_mail().await;
        ok(&app, &b.chair, "invite_session", &[("id", &sid)]).await;
        let mails = app.deliver_mail().await;
        let invitations: Vec<_> = mails
            .iter()
            .filter(|m| m.subject.starts_with("Einladung: 5. Sitzung des Beirats"))
            .collect();
        let mut to: Vec<&str> = invitations.iter().map(|m| m.to.as_str()).collect();
        to.sort();
        assert_eq!(
            to,
            [
                "berater@kalletal.example",
                "mehmet@kalletal.example",
                "renate@kalletal.example"
            ]
        );
        let english: Vec<_> = mails
            .iter()
            .filter(|m| m.to == "lea@kalletal.example")
            .collect();
        assert_eq!(english.len(), 1);
        assert!(
            english[0]
                .subject
                .starts_with("Invitation: 5. Sitzung des Beirats ("),
            "{}",
            english[0].subject
        );
        assert!(
            english[0]
                .text
                .contains("Agenda:\nItem 1: Personalien (closed to the public)"),
            "{}",
            english[0].text
        );
        assert!(invitations.iter().all(|m| m.attachments == ["sitzung.ics"]));
        assert_eq!(english[0].attachments, ["sitzung.ics"]);
        assert!(
            invitations[0]
                .text
                .contains("TOP 1: Personalien (nichtöffentlich)")
        );
        assert!(invitations[0].text.contains("TOP 2.1: Kinderarzt"));
        let news: Vec<_> = mails
            .iter()
            .filter(|m| m.to == "sabine@kalletal.example")
            .collect();
        assert_eq!(news.len(), 1);
        assert_eq!(
            news[0].subject,
            "Entwicklungsbeirat: Neue Sitzung: 5. Sitzung des Beirats"
        );
        assert!(news[0].text.contains("/unsubscribe?u="));

        // The public page: the closed item shows only its title.
        let public = ok(&app, &new_client(), "get_session", &[("id", &sid)]).await;
        assert_eq!(public["card"]["status"], "invited");
        let closed = &public["items"][0];
        assert_eq!(
            (closed["title"].as_str(), closed["visible"].as_bool()),
            (Some("Personalien"), Some(false))
        );
        assert!(!public.to_string().contains("Vertrauliche Angelegenheit"));
        assert!(!public.to_string().contains("Unterlagen der Bewerberin"));
        assert!(
            public["items"][2]["description_html"]
                .as_str()
                .unwrap()
                .contains("<strong>der Verwaltung</strong>")
        );
        let inside = ok(&app, &b.member, "get_session", &[("id", &sid)]).await;
        assert!(inside.to_string().contains("Vertrauliche Angelegenheit"));

        // Answers: members only.
        let (code, body) = error_code(
            app.call_with(
                &b.resident,
                "answer_invitation",
                &[("id", &sid), ("response", "attending")],
            )
            .await,
        )
        .await;
        assert_eq!(code, 422);
        assert!(field(&body, "response").contains("Nur Mitglieder"));
        ok(
            &app,
            &b.member,
            "answer_invitation",
            &[("id", &sid), ("response", "attending")],
        )
        .await;
        let mine = ok(&app, &b.member, "get_session", &[("id", &sid)]).await;
        assert_eq!(mine["viewer"]["response"], "attending");

        // Votes need the attendance first, and may not exceed the voting members present.
        let public_item = items[0].to_string();
        let (code, body) = error_code(
            app.call_with(
                &b.chair,
                "record_outcome",
                &[
                    ("item", &public_item),
                    ("votes_yes", "2"),
                    ("majority", "simple"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(code, 422);
        assert!(field(&body, "votes_yes").contains("zuerst die Anwesenheit"));
        // Present: the chair, Mehmet and the advisory member — two voting members of three.
        let present: Vec<i64> =
            ok(&app, &b.chair, "get_session_manage", &[("id", &sid)]).await["attendance"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|a| a["member_id"] != b.quiet_member)
                .map(|a| a["member_id"].as_i64().unwrap())
                .collect();
        assert_eq!(present.len(), 3);
        let present_form: Vec<(String, String)> = present
            .iter()
            .enumerate()
            .map(|(i, id)| (format!("present[{i}]"), id.to_string()))
            .collect();
        let mut form: Vec<(&str, &str)> = present_form
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        form.push(("id", &sid));
        form.push(("quorum", ""));
        let (code, body) =
            error_code(app.call_with(&b.member, "record_attendance", &form).await).await;
        assert_eq!(code, 403, "{body}");
        ok(&app, &b.chair, "record_attendance", &form).await;
        let manage = ok(&app, &b.chair, "get_session_manage", &[("id", &sid)]).await;
        assert_eq!(
            (
                manage["present_voting"].as_u64(),
                manage["voting_members"].as_u64()
            ),
            (Some(2), Some(3))
        );
        assert_eq!(manage["quorum"], true);
        assert_eq!(manage["card"]["status"], "held");

        let (code, body) = error_code(
            app.call_with(
                &b.chair,
                "record_outcome",
                &[
                    ("item", &public_item),
                    ("votes_yes", "2"),
                    ("votes_no", "1"),
                    ("majority", "simple"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(code, 422);
        assert!(
            field(&body, "votes_yes").contains("nur 2 stimmberechtigte"),
            "{body}"
        );
        let (_, body) = error_code(
            app.call_with(
                &b.chair,
                "record_outcome",
                &[
                    ("item", &public_item),
                    ("votes_yes", "zwei"),
                    ("majority", ""),
                ],
            )
            .await,
        )
        .await;
        assert!(field(&body, "votes_yes").contains("ganze Zahl"));
        assert!(field(&body, "majority").contains("Mehrheit"));
        ok(
            &app,
            &b.chair,
            "record_outcome",
            &[
                ("item", &public_item),
                ("notes", "Aussprache zum MVZ."),
                ("recommendation", "Der Beirat empfiehlt ein MVZ."),
                ("votes_yes", "2"),
                ("votes_no", "0"),
                ("votes_abstain", ""),
                ("majority", "simple"),
            ],
        )
        .await;
        // Absolute majority of three voting members needs two yes: one is not enough.
        ok(
            &app,
            &b.chair,
            "record_outcome",
            &[
                ("item", &sub.to_string()),
                ("votes_yes", "1"),
                ("votes_no", "0"),
                ("votes_abstain", "1"),
                ("majority", "absolute"),
            ],
        )
        .await;
        let manage = ok(&app, &b.chair, "get_session_manage", &[("id", &sid)]).await;
        let results: Vec<&str> = manage["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["result"].as_str().unwrap_or("-"))
            .collect();
        assert_eq!(results, ["-", "-", "adopted", "rejected"]);
        ok(
            &app,
            &b.chair,
            "record_outcome",
            &[
                ("item", &closed_item),
                ("notes", "Vertrauliche Aussprache über Frau Muster."),
            ],
        )
        .await;
        let manage = ok(&app, &b.chair, "get_session_manage", &[("id", &sid)]).await;

        // Minutes: a draft from the session, saved, approved, published.
        let draft = manage["minutes"].as_str().unwrap().to_owned();
        assert!(draft.contains("Der Beirat war beschlussfähig."), "{draft}");
        assert!(draft.contains("> Der Beirat empfiehlt ein MVZ."));
        assert!(draft.contains("Ergebnis: **Empfehlung abgelehnt**"));
        assert!(!draft.contains("Vertrauliche") && !draft.contains("Muster"));
        // Named with consent, the others as a number: Lea Hoffmann was excused, the advisory
        // member did not agree to be named.
        assert!(
            draft.contains("Anwesend: Renate Vogt (Vorsitz), Mehmet Yılmaz, ein weiteres Mitglied"),
            "{draft}"
        );
        assert!(draft.contains("Entschuldigt: ein Mitglied"), "{draft}");
        assert!(!draft.contains("Lea Hoffmann") && !draft.contains("Bernd Berater"));
        let (code, body) = error_code(
            app.call_with(&b.chair, "approve_minutes", &[("id", &sid)])
                .await,
        )
        .await;
        assert_eq!(
            (code, field(&body, "approve")),
            (422, "Bitte speichern Sie das Protokoll zuerst.".into())
        );
        ok(
            &app,
            &b.chair,
            "save_minutes",
            &[
                ("id", &sid),
                ("minutes", &format!("{draft}\nSitzungsende 21:00 Uhr.")),
            ],
        )
        .await;
        let (code, body) = error_code(
            app.call_with(&b.chair, "publish_minutes", &[("id", &sid)])
                .await,
        )
        .await;
        assert_eq!(code, 422);
        assert!(field(&body, "publish").contains("genehmigen"));
        ok(&app, &b.chair, "approve_minutes", &[("id", &sid)]).await;
        let pdf = new_client()
            .get(app.url(&format!("/sessions/{id}/minutes.pdf")))
            .send()
            .await
            .unwrap();
        assert_eq!(
            pdf.status(),
            404,
            "minutes are not public before publication"
        );
        app.deliver_mail().await;
        ok(&app, &b.chair, "publish_minutes", &[("id", &sid)]).await;
        let mails = app.deliver_mail().await;
        let published: Vec<&str> = mails
            .iter()
            .filter(|m| {
                m.subject == "Entwicklungsbeirat: Protokoll veröffentlicht: 5. Sitzung des Beirats"
            })
            .map(|m| m.to.as_str())
            .collect();
        assert_eq!(
            published.len(),
            4,
            "three members and the follower in German: {published:?}"
        );
        assert!(published.contains(&"sabine@kalletal.example"));
        assert!(mails.iter().any(|m| m.to == "lea@kalletal.example"
            && m.subject == "Entwicklungsbeirat: Minutes published: 5. Sitzung des Beirats"));
        let public = ok(&app, &new_client(), "get_session", &[("id", &sid)]).await;
        assert_eq!(public["card"]["status"], "published");
        assert!(
            public["minutes_html"]
                .as_str()
                .unwrap()
                .contains("Sitzungsende 21:00 Uhr.")
        );
        assert_eq!(public["items"][2]["result"], "adopted");
        let pdf = new_client()
            .get(app.url(&format!("/sessions/{id}/minutes.pdf")))
            .send()
            .await
            .unwrap();
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));

        // A published session is closed for changes.
        let (code, body) = error_code(
            app.call_with(
                &b.chair,
                "add_agenda_item",
                &[("session", &sid), ("title", "Nachtrag")],
            )
            .await,
        )
        .await;
        assert_eq!(code, 422);
        assert!(field(&body, "title").contains("Protokoll ist veröffentlicht"));
        let (code, _) = error_code(
            app.call_with(
                &b.chair,
                "save_minutes",
                &[("id", &sid), ("minutes", "neu")],
            )
            .await,
        )
        .await;
        assert_eq!(code, 422);

        // Every step is in the audit log, in order.
        let actions: Vec<String> = {
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
            app::infra::entities::audit_log::Entity::find()
                .filter(app::infra::entities::audit_log::Column::TargetType.eq("session"))
                .order_by_asc(app::infra::entities::audit_log::Column::Id)
                .all(&app.db)
                .await
                .unwrap()
                .into_iter()
                .map(|e| e.action)
                .collect()
        };
        assert_eq!(
            actions
                .iter()
                .filter(|a| !a.starts_with("agenda."))
                .cloned()
                .collect::<Vec<_>>(),
            [
                "session.created",
                "session.invited",
                "session.attendance_recorded",
                "minutes.saved",
                "minutes.approved",
                "minutes.published"
            ]
        );
    }
);

db_test!(
    calendars_follow_changes_and_cancellations,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let b = board(&app).await;
        let id = new_session(&app, &b, "Sommerfest-Planung", 60 * 24 * 3, true).await;
        let closed = new_session(&app, &b, "Interne Klausur", 60 * 24 * 4, false).await;
        let sid = id.to_string();
        ok(
            &app,
            &b.chair,
            "add_agenda_item",
            &[("session", &sid), ("title", "Programm"), ("public", "on")],
        )
        .await;
        ok(&app, &b.chair, "invite_session", &[("id", &sid)]).await;
        app.deliver_mail().await;

        let get = |path: String| {
            let client = new_client();
            async move { client.get(path).send().await.unwrap() }
        };
        let res = get(app.url(&format!("/sessions/{id}.ics"))).await;
        assert_eq!(
            res.headers()["content-type"],
            "text/calendar; charset=utf-8"
        );
        let ics = res.text().await.unwrap();
        assert!(ics.contains(&format!("UID:session-{id}@")), "{ics}");
        assert!(ics.contains("SEQUENCE:0"));
        assert!(ics.contains("DTSTART;TZID=Europe/Berlin:"));
        assert!(ics.contains("BEGIN:VTIMEZONE"));
        assert!(ics.contains("STATUS:CONFIRMED"));

        // All public sessions; the closed one only for the board.
        let all = get(app.url("/sessions.ics")).await.text().await.unwrap();
        assert!(all.contains("Sommerfest-Planung"));
        assert!(!all.contains("Interne Klausur"));
        assert_eq!(
            get(app.url(&format!("/sessions/{closed}.ics")))
                .await
                .status(),
            404
        );
        let (code, _) = error_code(
            app.call("get_session", &[("id", &closed.to_string())])
                .await,
        )
        .await;
        assert_eq!(code, 404);
        assert_eq!(
            ok(
                &app,
                &b.member,
                "get_session",
                &[("id", &closed.to_string())]
            )
            .await["card"]["public"],
            false
        );
        let list = ok(&app, &new_client(), "list_sessions", &[]).await;
        assert_eq!(list["upcoming"].as_array().unwrap().len(), 1);
        let list = ok(&app, &b.member, "list_sessions", &[]).await;
        assert_eq!(list["upcoming"].as_array().unwrap().len(), 2);

        // Moving the session bumps the sequence and tells the invited members.
        let (starts, ends) = (local_in(60 * 24 * 3 + 60), local_in(60 * 24 * 3 + 180));
        ok(
            &app,
            &b.chair,
            "update_session",
            &[
                ("id", &sid),
                ("title", "Sommerfest-Planung"),
                ("starts_at", &starts),
                ("ends_at", &ends),
                ("address", "Rathaus Hohenhausen"),
                ("room", "Sitzungssaal"),
                ("public", "on"),
            ],
        )
        .await;
        let ics = get(app.url(&format!("/sessions/{id}.ics")))
            .await
            .text()
            .await
            .unwrap();
        assert!(ics.contains("SEQUENCE:1"), "{ics}");
        let changed: Vec<_> = app
            .deliver_mail()
            .await
            .into_iter()
            .filter(|m| m.subject.starts_with("Geändert: Sommerfest-Planung"))
            .collect();
        assert_eq!(changed.len(), 4);
        assert_eq!(changed[0].attachments, ["sitzung.ics"]);

        // Cancelling needs a reason; then the calendar marks it cancelled.
        let (code, body) = error_code(
            app.call_with(&b.chair, "cancel_session", &[("id", &sid), ("reason", "")])
                .await,
        )
        .await;
        assert_eq!(code, 422);
        assert!(field(&body, "reason").contains("Grund"));
        let (code, _) = error_code(
            app.call_with(
                &b.member,
                "cancel_session",
                &[("id", &sid), ("reason", "Keine Lust mehr")],
            )
            .await,
        )
        .await;
        assert_eq!(code, 403);
        ok(
            &app,
            &b.chair,
            "cancel_session",
            &[("id", &sid), ("reason", "Der Saal ist nicht verfügbar.")],
        )
        .await;
        let ics = get(app.url(&format!("/sessions/{id}.ics")))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            ics.contains("STATUS:CANCELLED") && ics.contains("SEQUENCE:2"),
            "{ics}"
        );
        assert!(ics.contains("DESCRIPTION:Abgesagt: Der Saal"), "{ics}");
        // The calendar speaks the subscriber's language.
        let english = text_in(&app, &format!("/sessions/{id}.ics"), "en-GB,en;q=0.9").await;
        assert!(
            english.contains("DESCRIPTION:Cancelled: Der Saal"),
            "{english}"
        );
        let all = text_in(&app, "/sessions.ics", "en").await;
        assert!(all.contains("X-WR-CALNAME:Sessions – "), "{all}");
        let cancelled: Vec<_> = app
            .deliver_mail()
            .await
            .into_iter()
            .filter(|m| m.subject.starts_with("Abgesagt: Sommerfest-Planung"))
            .collect();
        assert_eq!(cancelled.len(), 4);
        assert!(cancelled[0].text.contains("Der Saal ist nicht verfügbar."));
        let public = ok(&app, &new_client(), "get_session", &[("id", &sid)]).await;
        assert_eq!(
            public["card"]["cancel_reason"],
            "Der Saal ist nicht verfügbar."
        );
        // Nothing more happens to a cancelled session.
        let (code, body) = error_code(
            app.call_with(
                &b.chair,
                "add_agenda_item",
                &[("session", &sid), ("title", "Nachtrag")],
            )
            .await,
        )
        .await;
        assert_eq!(code, 422);
        assert!(field(&body, "title").contains("abgesagt"));
        let (code, _) = error_code(
            app.call_with(&b.chair, "invite_session", &[("id", &sid)])
                .await,
        )
        .await;
        assert_eq!(code, 422);
        let (code, _) = error_code(
            app.call_with(
                &b.member,
                "answer_invitation",
                &[("id", &sid), ("response", "absent")],
            )
            .await,
        )
        .await;
        assert_eq!(code, 422);
    }
);

db_test!(
    attachments_are_pdfs_or_images_and_follow_the_item,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let b = board(&app).await;
        let id = new_session(&app, &b, "Haushalt", 60 * 24, true).await;
        let sid = id.to_string();
        ok(
            &app,
            &b.chair,
            "add_agenda_item",
            &[
                ("session", &sid),
                ("title", "Haushaltsplan"),
                ("public", "on"),
            ],
        )
        .await;
        ok(
            &app,
            &b.chair,
            "add_agenda_item",
            &[
                ("session", &sid),
                ("title", "Grundstücksangelegenheit"),
                ("public", ""),
            ],
        )
        .await;
        let manage = ok(&app, &b.chair, "get_session_manage", &[("id", &sid)]).await;
        let (public_item, closed_item) = (
            manage["items"][0]["id"].as_i64().unwrap(),
            manage["items"][1]["id"].as_i64().unwrap(),
        );

        let upload = |client: &reqwest::Client, item: i64, name: &str, bytes: Vec<u8>| {
            let form = reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
            );
            client
                .post(app.url(&format!("/sessions/items/{item}/files")))
                .header("origin", app.url(""))
                .multipart(form)
                .send()
        };
        let redirect_of = |res: &reqwest::Response| {
            res.headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_owned())
                .unwrap_or_default()
        };
        let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();

        let res = upload(
            &b.chair,
            public_item,
            "plan.html",
            b"<html><script>alert(1)</script>".to_vec(),
        )
        .await
        .unwrap();
        assert_eq!(res.status(), 303);
        assert!(
            redirect_of(&res).contains("problem=file_type"),
            "{}",
            redirect_of(&res)
        );
        let res = upload(
            &b.chair,
            public_item,
            "gross.pdf",
            [pdf.clone(), vec![b' '; 10 * 1024 * 1024]].concat(),
        )
        .await
        .unwrap();
        assert!(redirect_of(&res).contains("problem=file_too_large"));
        let res = upload(&b.member, public_item, "plan.pdf", pdf.clone())
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        let res = upload(&new_client(), public_item, "plan.pdf", pdf.clone())
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
        assert_eq!(app.count("agenda_files").await, 0);

        let res = upload(
            &b.chair,
            public_item,
            "Haushaltsplan 2027 (Entwurf).pdf",
            pdf.clone(),
        )
        .await
        .unwrap();
        assert!(
            redirect_of(&res).contains("notice=file_added"),
            "{}",
            redirect_of(&res)
        );
        upload(&b.chair, closed_item, "../../kaufvertrag.pdf", pdf.clone())
            .await
            .unwrap();
        let manage = ok(&app, &b.chair, "get_session_manage", &[("id", &sid)]).await;
        let public_file = manage["items"][0]["files"][0]["id"].as_i64().unwrap();
        let closed_file = &manage["items"][1]["files"][0];
        assert_eq!(closed_file["name"], "kaufvertrag.pdf");
        let closed_file = closed_file["id"].as_i64().unwrap();

        let res = new_client()
            .get(app.url(&format!("/files/{public_file}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        assert!(
            res.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("inline;")
        );
        assert_eq!(res.bytes().await.unwrap().as_ref(), pdf.as_slice());
        let res = new_client()
            .get(app.url(&format!("/files/{public_file}?download=1")))
            .send()
            .await
            .unwrap();
        assert!(
            res.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("filename*=UTF-8''Haushaltsplan%202027%20%28Entwurf%29.pdf")
        );
        // The closed item's file: the board only.
        assert_eq!(
            new_client()
                .get(app.url(&format!("/files/{closed_file}")))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        assert_eq!(
            b.resident
                .get(app.url(&format!("/files/{closed_file}")))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        assert_eq!(
            b.member
                .get(app.url(&format!("/files/{closed_file}")))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        let public = ok(&app, &new_client(), "get_session", &[("id", &sid)]).await;
        assert_eq!(
            public["items"][0]["files"][0]["name"],
            "Haushaltsplan 2027 (Entwurf).pdf"
        );
        assert!(public["items"][1]["files"].as_array().unwrap().is_empty());

        // Removing the file takes it off the page and out of reach.
        let (code, _) = error_code(
            app.call_with(
                &b.member,
                "delete_agenda_file",
                &[("file", &public_file.to_string())],
            )
            .await,
        )
        .await;
        assert_eq!(code, 403);
        ok(
            &app,
            &b.chair,
            "delete_agenda_file",
            &[("file", &public_file.to_string())],
        )
        .await;
        assert_eq!(
            new_client()
                .get(app.url(&format!("/files/{public_file}")))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        // The stored content stays while the closed item still holds the same file, and is
        // erased with the last attachment that uses it.
        let stored = {
            use sha2::Digest;
            app.state
                .config
                .files_dir
                .join(hex::encode(sha2::Sha256::digest(&pdf)))
        };
        assert!(stored.exists());
        ok(
            &app,
            &b.chair,
            "delete_agenda_file",
            &[("file", &closed_file.to_string())],
        )
        .await;
        assert!(!stored.exists(), "an unused attachment is erased");
    }
);

db_test!(
    every_board_function_refuses_guests_and_residents,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let b = board(&app).await;
        let id = new_session(&app, &b, "Rechte", 60, true).await;
        let sid = id.to_string();
        ok(
            &app,
            &b.chair,
            "add_agenda_item",
            &[("session", &sid), ("title", "Punkt"), ("public", "on")],
        )
        .await;
        let item =
            ok(&app, &b.chair, "get_session_manage", &[("id", &sid)]).await["items"][0]["id"]
                .as_i64()
                .unwrap()
                .to_string();
        let board = b.id.to_string();
        let member = b.member_id.to_string();
        let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
            ("update_board", vec![("id", &board), ("name", "X")]),
            (
                "add_board_member",
                vec![
                    ("board", &board),
                    ("email", "sabine@kalletal.example"),
                    ("role", "member"),
                    ("term_from", "2025-01-01"),
                ],
            ),
            (
                "update_board_member",
                vec![
                    ("member", &member),
                    ("role", "chair"),
                    ("term_from", "2025-01-01"),
                ],
            ),
            ("remove_board_member", vec![("member", &member)]),
            ("get_session_manage", vec![("id", &sid)]),
            ("create_session", vec![("board", &board), ("title", "X")]),
            ("update_session", vec![("id", &sid), ("title", "X")]),
            ("delete_session", vec![("id", &sid)]),
            ("invite_session", vec![("id", &sid)]),
            (
                "cancel_session",
                vec![("id", &sid), ("reason", "Einfach so.")],
            ),
            ("add_agenda_item", vec![("session", &sid), ("title", "X")]),
            ("update_agenda_item", vec![("item", &item), ("title", "X")]),
            (
                "move_agenda_item",
                vec![("item", &item), ("direction", "down")],
            ),
            ("delete_agenda_item", vec![("item", &item)]),
            ("record_outcome", vec![("item", &item), ("notes", "x")]),
            ("record_attendance", vec![("id", &sid)]),
            ("save_minutes", vec![("id", &sid), ("minutes", "x")]),
            ("approve_minutes", vec![("id", &sid)]),
            ("publish_minutes", vec![("id", &sid)]),
        ];
        for (endpoint, form) in &calls {
            let (code, _) = error_code(app.call(endpoint, form).await).await;
            assert_eq!(code, 401, "{endpoint} as a guest");
            for client in [&b.resident, &b.member] {
                let (code, body) = error_code(app.call_with(client, endpoint, form).await).await;
                assert_eq!(code, 403, "{endpoint}: {body}");
            }
        }
        let (code, _) = error_code(
            app.call(
                "answer_invitation",
                &[("id", &sid), ("response", "attending")],
            )
            .await,
        )
        .await;
        assert_eq!(code, 401);
        // Nothing changed.
        let manage = ok(&app, &b.chair, "get_session_manage", &[("id", &sid)]).await;
        assert_eq!(manage["card"]["title"], "Rechte");
        assert_eq!(manage["card"]["status"], "planned");
        assert_eq!(manage["items"].as_array().unwrap().len(), 1);
        assert_eq!(app.count("board_members").await, 4);
        let _ = b.staff;
    }
);

db_test!(the_demo_board_has_its_history, |backend| async move {
    let app = TestApp::spawn(backend).await;
    server::demo::seed(&app.db, &app.state.config)
        .await
        .unwrap();
    let boards = ok(&app, &new_client(), "list_boards", &[]).await;
    let board = &boards["boards"][0];
    assert_eq!(board["name"], "Kommunaler Entwicklungsbeirat");
    let id = board["id"].as_i64().unwrap().to_string();
    let detail = ok(&app, &new_client(), "get_board", &[("id", &id)]).await;
    let names: Vec<&str> = detail["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Renate Vogt", "Mehmet Yılmaz", "Thomas Brandt (Verwaltung)"]
    );
    assert_eq!(detail["unnamed_members"], 1);
    assert_eq!(detail["voting_members"], 3);
    let past: Vec<(&str, &str)> = detail["past"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["title"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        past,
        [
            ("2. Sitzung des Entwicklungsbeirats", "published"),
            ("1. Sitzung des Entwicklungsbeirats", "published")
        ]
    );
    assert_eq!(detail["upcoming"][0]["status"], "invited");

    // The second session: one recommendation rejected for want of an absolute majority,
    // one adopted; the minutes say who was excused.
    let second = detail["past"][0]["id"].as_i64().unwrap().to_string();
    let s = ok(&app, &new_client(), "get_session", &[("id", &second)]).await;
    let results: Vec<&str> = s["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["result"].as_str().unwrap())
        .collect();
    assert_eq!(results, ["rejected", "adopted"]);
    assert_eq!(s["items"][0]["link"]["title"], "Bürgerbus nach Lemgo");
    let minutes = s["minutes_html"].as_str().unwrap();
    assert!(minutes.contains("Entschuldigt: Mehmet Yılmaz"), "{minutes}");
    // The first: the closed item by title only; the page is rendered for readers without
    // JavaScript and names nobody who did not agree to it.
    let first = detail["past"][1]["id"].as_i64().unwrap();
    let html = reqwest::get(app.url(&format!("/sessions/{first}")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Personalangelegenheiten der Geschäftsstelle"));
    assert!(!html.contains("Vertraulich."));
    assert!(html.contains("Empfehlung beschlossen"));
    // The published minutes name only who agreed to it.
    assert!(!html.contains("Lea Hoffmann"), "{html}");
    assert!(html.contains("ein weiteres Mitglied"));
    let board_html = reqwest::get(app.url(&format!("/boards/{id}")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(board_html.contains("Renate Vogt"));
    assert!(!board_html.contains("Lea Hoffmann"));
    // The proposal on the agenda shows where it was discussed.
    let proposal = s["items"][1]["link"]["href"]
        .as_str()
        .unwrap()
        .trim_start_matches("/proposals/")
        .to_owned();
    let p = ok(&app, &new_client(), "get_proposal", &[("id", &proposal)]).await;
    assert_eq!(p["agenda"].as_array().unwrap().len(), 2, "{}", p["agenda"]);
    // Each mention numbers the item as its session's agenda does.
    for mention in p["agenda"].as_array().unwrap() {
        let session = mention["session_id"].to_string();
        let s = ok(&app, &new_client(), "get_session", &[("id", &session)]).await;
        let item = s["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["link"]["href"] == format!("/proposals/{proposal}").as_str())
            .expect("the proposal on the session's agenda");
        assert!(!item["number"].as_str().unwrap().is_empty(), "{item}");
        assert_eq!(mention["number"], item["number"], "{mention}");
    }
    // Nobody was emailed about the demo's history.
    let mails = app.deliver_mail().await;
    assert!(
        !mails.iter().any(|m| m.subject.contains("Sitzung")),
        "{:?}",
        mails.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
    // The staff report counts it.
    let staff = app.client_for("kim@kalletal.example", &[Role::Staff]).await;
    let report = ok(&app, &staff, "board_report", &[]).await;
    assert_eq!(report[0]["held"], 2);
    assert_eq!(report[0]["adopted"], 2);
    assert_eq!(report[0]["rejected"], 1);
    assert_eq!(report[0]["postponed"], 1);
    // 3 of 3 voting members, then 2 of 3.
    assert_eq!(report[0]["attendance_percent"], 83);
    let csv = staff
        .get(app.url("/staff/reports/boards.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("Kommunaler Entwicklungsbeirat;2;0;83;2;1;1"),
        "{csv}"
    );
    assert_eq!(
        new_client()
            .get(app.url("/staff/reports/boards.csv"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
});

db_test!(public_sessions_carry_a_discussion, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let b = board(&app).await;
    let open = new_session(&app, &b, "Bürgerversammlung", 60 * 24, true)
        .await
        .to_string();
    let closed = new_session(&app, &b, "Klausur", 60 * 24, false)
        .await
        .to_string();
    let body = "Bitte auch über den Radweg nach Talle sprechen.";
    let id = ok(
        &app,
        &b.resident,
        "post_comment",
        &[("kind", "session"), ("subject", &open), ("body", body)],
    )
    .await;
    assert!(id.as_i64().is_some());
    let thread = ok(
        &app,
        &new_client(),
        "get_thread",
        &[("kind", "session"), ("id", &open)],
    )
    .await;
    assert!(thread.to_string().contains(body), "{thread}");
    // A closed session has no public thread, not even for its members; a board is followed,
    // not discussed.
    for client in [&b.resident, &b.member] {
        let (code, _) = error_code(
            app.call_with(
                client,
                "post_comment",
                &[("kind", "session"), ("subject", &closed), ("body", body)],
            )
            .await,
        )
        .await;
        assert_eq!(code, 404);
    }
    let (code, _) = error_code(
        app.call_with(
            &b.resident,
            "post_comment",
            &[
                ("kind", "board"),
                ("subject", &b.id.to_string()),
                ("body", body),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(code, 404);
    // A cancelled session takes no new comments; the reason is said at the field.
    ok(
        &app,
        &b.chair,
        "add_agenda_item",
        &[("session", &open), ("title", "Radwege"), ("public", "on")],
    )
    .await;
    ok(
        &app,
        &b.chair,
        "cancel_session",
        &[("id", &open), ("reason", "Der Saal ist belegt.")],
    )
    .await;
    let (code, res) = error_code(
        app.call_with(
            &b.resident,
            "post_comment",
            &[("kind", "session"), ("subject", &open), ("body", body)],
        )
        .await,
    )
    .await;
    assert_eq!(code, 422);
    assert!(field(&res, "body").contains("abgesagt"), "{res}");
});

db_test!(
    the_calendar_feed_holds_a_year_back_and_answers_304_to_its_etag,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let b = board(&app).await;
        new_session(&app, &b, "Kommende Sitzung", 60 * 24 * 3, true).await;
        let last_year = new_session(&app, &b, "Sitzung vor elf Monaten", 60, true).await;
        let long_ago = new_session(&app, &b, "Sitzung vor zwei Jahren", 90, true).await;
        // Sessions held long ago, moved there in the database (the forms take no past dates).
        for (id, days) in [(last_year, 335), (long_ago, 730)] {
            held_days_ago(&app, id, days).await;
        }
        let client = new_client();
        let res = client.get(app.url("/sessions.ics")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let etag = res.headers()["etag"].to_str().unwrap().to_owned();
        assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");
        let ics = res.text().await.unwrap();
        assert!(ics.contains("Kommende Sitzung"), "{ics}");
        assert!(ics.contains("Sitzung vor elf Monaten"));
        assert!(!ics.contains("Sitzung vor zwei Jahren"));

        // A calendar program polling with what it has gets no body.
        let again = client
            .get(app.url("/sessions.ics"))
            .header("If-None-Match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304);
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
        assert!(again.text().await.unwrap().is_empty());

        // A change is a new body with a new tag.
        new_session(&app, &b, "Noch eine Sitzung", 60 * 24 * 5, true).await;
        let changed = client
            .get(app.url("/sessions.ics"))
            .header("If-None-Match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(changed.status(), 200);
        assert_ne!(changed.headers()["etag"].to_str().unwrap(), etag);
        assert!(changed.text().await.unwrap().contains("Noch eine Sitzung"));
    }
);

db_test!(
    past_sessions_come_in_pages_of_twenty,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let b = board(&app).await;
        new_session(&app, &b, "Kommende Sitzung", 60 * 24, true).await;
        // 25 sessions held on the 25 days before yesterday (moved there in the database).
        for day in 1..=25i64 {
            let id = new_session(&app, &b, &format!("Sitzung Nr. {day}"), 60, true).await;
            held_days_ago(&app, id, day + 1).await;
        }
        let titles = |list: &serde_json::Value, key: &str| -> Vec<String> {
            list[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["title"].as_str().unwrap().to_owned())
                .collect()
        };
        let first = ok(&app, &new_client(), "list_sessions", &[]).await;
        assert_eq!(titles(&first, "upcoming"), ["Kommende Sitzung"]);
        let past = titles(&first, "past");
        assert_eq!(past.len(), 20);
        // Latest first.
        assert_eq!(past[0], "Sitzung Nr. 1");
        assert_eq!(past[19], "Sitzung Nr. 20");
        assert_eq!(
            (first["page"].as_u64(), first["pages"].as_u64()),
            (Some(1), Some(2))
        );
        assert_eq!(first["past_total"], 25);
        let second = ok(&app, &new_client(), "list_sessions", &[("page", "2")]).await;
        assert_eq!(
            titles(&second, "past"),
            (21..=25)
                .map(|d| format!("Sitzung Nr. {d}"))
                .collect::<Vec<_>>()
        );
        assert_eq!(titles(&second, "upcoming"), ["Kommende Sitzung"]);

        // The page itself, as a browser without JavaScript gets it.
        let html = new_client()
            .get(app.url("/sessions?page=2"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("Sitzung Nr. 25"), "{html}");
        assert!(!html.contains("Sitzung Nr. 20<"));
        assert!(html.contains("href=\"/sessions?page=1#past\""));
        assert!(!html.contains("href=\"/sessions?page=3#past\""));
    }
);
