//! Citizens' petitions over HTTP: the procedure, online signing with double opt-in, paper
//! signatures, the public figures and the printable documents.

use app::petitions::server::signatures;
use app::petitions::signer::{OnlineSignature, SignerInput};
use sea_orm::{ConnectionTrait, EntityTrait, Statement};

use crate::helpers::{
    DRAFT, KALLETAL, SIGNER, TestApp, cast, collecting, db_test, error_code, new_client, pdf_text,
    receive_sheet, sign, step, tally,
};

/// The signer form with one field changed; an empty consent means the box is not ticked.
fn with(field: &str, value: &'static str) -> Vec<(&'static str, &'static str)> {
    SIGNER
        .iter()
        .filter_map(|&(k, v)| match k == field {
            false => Some((k, v)),
            true if k == "consent" && value.is_empty() => None,
            true => Some((k, value)),
        })
        .collect()
}

/// Lets every confirmation link expire, as seven days would.
async fn expire_confirmation_links(app: &TestApp) {
    use app::infra::entities::signature;
    use sea_orm::{EntityTrait, sea_query::Expr};
    signature::Entity::update_many()
        .col_expr(
            signature::Column::ConfirmExpiresAt,
            Expr::value(chrono::Utc::now() - chrono::TimeDelta::days(1)),
        )
        .exec(&app.db)
        .await
        .unwrap();
}

db_test!(
    a_petition_runs_from_draft_to_referendum_in_public,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let c = cast(&app).await;
        let res = app.call_with(&c.initiator, "create_petition", DRAFT).await;
        assert_eq!(res.status(), 200);
        let slug = "medizinisches-versorgungszentrum";

        // A draft is private: the public gets 404, the initiator and staff see it.
        let (status, _) = error_code(
            app.call_with(&new_client(), "get_petition", &[("slug", slug)])
                .await,
        )
        .await;
        assert_eq!(status, 404);
        let own: serde_json::Value = app
            .call_with(&c.initiator, "get_petition", &[("slug", slug)])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(own["summary"]["stage"], "draft");
        assert_eq!(
            own["permissions"]["steps"],
            serde_json::json!(["request_cost_estimate", "withdraw"])
        );

        // Staff cannot publish before the cost estimate; a resident cannot act for the initiators.
        let (status, body) = step(&app, &c.staff, slug, &[("step", "approve_publication")]).await;
        assert_eq!(
            (status, body["fields"][0]["field"].as_str()),
            (422, Some("step"))
        );
        app.account_with_roles("eve@kalletal.example", &[]).await;
        let eve = new_client();
        app.call_with(
            &eve,
            "login",
            &[
                ("email", "eve@kalletal.example"),
                ("password", "sicheres-passwort"),
            ],
        )
        .await;
        assert_eq!(
            step(&app, &eve, slug, &[("step", "request_cost_estimate")])
                .await
                .0,
            404
        );
        assert_eq!(
            step(
                &app,
                &c.initiator,
                slug,
                &[("step", "enter_cost_estimate"), ("cost_estimate", "x")]
            )
            .await
            .0,
            403
        );

        assert_eq!(
            step(
                &app,
                &c.initiator,
                slug,
                &[("step", "request_cost_estimate")]
            )
            .await
            .0,
            200
        );
        let (status, body) = step(&app, &c.staff, slug, &[("step", "enter_cost_estimate")]).await;
        assert_eq!(
            (status, body["fields"][0]["field"].as_str()),
            (422, Some("cost_estimate"))
        );
        assert_eq!(
            step(
                &app,
                &c.staff,
                slug,
                &[
                    ("step", "enter_cost_estimate"),
                    ("cost_estimate", "Rund 350.000 € einmalig.")
                ]
            )
            .await
            .0,
            200
        );
        assert_eq!(
            step(&app, &c.staff, slug, &[("step", "approve_publication")])
                .await
                .0,
            200
        );

        // Published: everyone sees it, with the quorum fixed from the municipality's figures.
        let public: serde_json::Value = app
            .call_with(&new_client(), "get_petition", &[("slug", slug)])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(public["summary"]["stage"], "collecting");
        assert_eq!(public["summary"]["tally"]["required"], 1_037);
        assert!(
            public["required_explanation"]
                .as_str()
                .unwrap()
                .contains("9 % von 11.520")
        );
        let steps: Vec<&str> = public["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["step"].as_str().unwrap())
            .collect();
        assert_eq!(
            steps,
            vec!["approve_publication"],
            "the steps before publication stay private"
        );
        let news = app.mail_to("vertretung@kalletal.example").await;
        assert_eq!(news.len(), 1);
        assert!(
            news[0].subject.contains("Veröffentlicht"),
            "{}",
            news[0].subject
        );
        // Figures changed after publication do not move the goal.
        let mut more = KALLETAL.to_vec();
        more[2] = ("eligible_citizens", "20000");
        app.call_with(&c.staff, "update_municipality", &more).await;
        assert_eq!(tally(&app, slug).await["required"], 1_037);

        assert_eq!(
            step(&app, &c.staff, slug, &[("step", "submit")]).await.0,
            403
        );
        assert_eq!(
            step(&app, &c.initiator, slug, &[("step", "submit")])
                .await
                .0,
            200
        );
        let (status, body) = step(&app, &c.staff, slug, &[("step", "declare_inadmissible")]).await;
        assert_eq!(
            (status, body["fields"][0]["field"].as_str()),
            (422, Some("note"))
        );
        assert_eq!(
            step(&app, &c.staff, slug, &[("step", "declare_admissible")])
                .await
                .0,
            200
        );
        assert_eq!(
            step(
                &app,
                &c.staff,
                slug,
                &[
                    ("step", "schedule_referendum"),
                    ("referendum_on", "2027-03-07")
                ]
            )
            .await
            .0,
            200
        );
        assert_eq!(
            step(
                &app,
                &c.staff,
                slug,
                &[
                    ("step", "record_result"),
                    ("yes_votes", "4.211"),
                    ("no_votes", "1033"),
                    ("outcome", "accepted")
                ]
            )
            .await
            .0,
            200
        );
        let done: serde_json::Value = app
            .call_with(&new_client(), "get_petition", &[("slug", slug)])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(done["summary"]["stage"], "decided");
        assert_eq!(done["referendum_yes"], 4_211);
        assert_eq!(done["referendum_outcome"], "accepted");
        let steps: Vec<&str> = done["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["step"].as_str().unwrap())
            .collect();
        assert_eq!(
            steps,
            vec![
                "approve_publication",
                "submit",
                "declare_admissible",
                "schedule_referendum",
                "record_result"
            ]
        );
        // Each step is in the audit trail, and the representative heard of every public one.
        assert_eq!(
            app.count("audit_log WHERE action LIKE 'petition.%'").await,
            8
        );
        assert_eq!(app.mail_to("vertretung@kalletal.example").await.len(), 5);
        // The page shows it, rendered on the server.
        let html = reqwest::get(app.url(&format!("/petitions/{slug}")))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("Ja 4.211, Nein 1.033"), "{html}");
    }
);

db_test!(drafts_are_checked_field_by_field, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let c = cast(&app).await;
    let mut four = DRAFT.to_vec();
    four.extend_from_slice(&[
        ("representatives[2][name]", "C"),
        ("representatives[2][address]", "Weg 3, Kalletal"),
        ("representatives[3][name]", "D"),
        ("representatives[3][address]", "Weg 4, Kalletal"),
    ]);
    let (status, body) =
        error_code(app.call_with(&c.initiator, "create_petition", &four).await).await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (422, Some("representatives[3][name]"))
    );

    let mut late = DRAFT.to_vec();
    late[3] = ("kind", "cassatory");
    late.push(("council_meeting_on", "2020-01-15"));
    late.push(("council_published_on", "2020-01-20"));
    let (status, body) =
        error_code(app.call_with(&c.initiator, "create_petition", &late).await).await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (422, Some("council_meeting_on"))
    );
    assert!(
        body["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("abgelaufen")
    );

    let (status, body) =
        error_code(app.call_with(&new_client(), "create_petition", DRAFT).await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("unauthenticated"))
    );
    assert_eq!(app.count("petitions").await, 0);

    // A timely petition against a council decision gets its deadline.
    let today = app::petitions::rules::german_date(chrono::Utc::now());
    let meeting = (today - chrono::TimeDelta::days(10)).to_string();
    let published = (today - chrono::TimeDelta::days(7)).to_string();
    let mut timely = DRAFT.to_vec();
    timely[3] = ("kind", "cassatory");
    timely.push(("council_meeting_on", &meeting));
    timely.push(("council_published_on", &published));
    assert_eq!(
        app.call_with(&c.initiator, "create_petition", &timely)
            .await
            .status(),
        200
    );
    let d: serde_json::Value = app
        .call_with(
            &c.initiator,
            "get_petition",
            &[("slug", "medizinisches-versorgungszentrum")],
        )
        .await
        .json()
        .await
        .unwrap();
    let rules =
        app::petitions::rules::rule_set(app::petitions::rules::State::NordrheinWestfalen, today)
            .unwrap();
    let expected = rules
        .cassatory_deadline(
            app::petitions::rules::CouncilDecision {
                meeting_day: today - chrono::TimeDelta::days(10),
                published_on: Some(today - chrono::TimeDelta::days(7)),
            },
            None,
        )
        .unwrap();
    assert_eq!(d["summary"]["ends_on"], expected.to_string());
});

db_test!(
    an_online_signature_counts_once_confirmed_and_its_sheet_once_returned,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let c = cast(&app).await;
        let slug = collecting(&app, &c).await;

        assert_eq!(sign(&app, &slug, SIGNER).await.0, 200);
        let t = tally(&app, &slug).await;
        assert_eq!(
            (t["confirmed"].as_u64(), t["pending_confirmation"].as_u64()),
            (Some(0), Some(1))
        );

        // The same person again (other spelling of the same name, other mailbox): the answer
        // everybody gets; whether it counts is decided at confirmation (see trust.rs).
        let mut again = SIGNER.to_vec();
        again[0] = ("family_name", "MUELLER");
        again[7] = ("email", "other@example.org");
        assert_eq!(sign(&app, &slug, &again).await.0, 200);
        assert_eq!(app.count("signatures").await, 2);

        // Forged and real confirmation links.
        let (status, body) = error_code(
            app.call("confirm_signature", &[("token", "gefaelscht")])
                .await,
        )
        .await;
        assert_eq!((status, body["code"].as_str()), (422, Some("link_invalid")));
        let token = app
            .token_from_mail("anna@example.org", "/petitions/confirm")
            .await;
        let page = reqwest::get(app.url(&format!("/petitions/confirm?token={token}")))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Unterschrift bestätigen"),
            "the link only shows a button"
        );
        assert_eq!(tally(&app, &slug).await["confirmed"], 0);
        assert_eq!(
            app.call("confirm_signature", &[("token", &token)])
                .await
                .status(),
            200
        );
        let (status, _) =
            error_code(app.call("confirm_signature", &[("token", &token)]).await).await;
        assert_eq!(status, 422, "a link confirms once");
        let t = tally(&app, &slug).await;
        assert_eq!(t["confirmed"], 1);
        // NRW wants handwritten signatures: online support does not count toward the quorum.
        assert_eq!(
            (t["online"].as_u64(), t["counting"].as_u64()),
            (Some(1), Some(0))
        );
        assert_eq!(t["online_signatures_count"], false);

        // The receipt carries the personal sheet, pre-filled, with its code.
        let receipt = app
            .token_from_mail("anna@example.org", "/petitions/receipt")
            .await;
        let mails = app.mail_to("anna@example.org").await;
        assert_eq!(mails.last().unwrap().attachments.len(), 1);
        let res = reqwest::get(app.url(&format!("/petitions/receipt/sheet.pdf?token={receipt}")))
            .await
            .unwrap();
        assert_eq!(res.headers()["content-type"], "application/pdf");
        let text = pdf_text(&res.bytes().await.unwrap());
        assert!(
            text.contains("Müller") && text.contains("Anna Maria") && text.contains("17.05.1980"),
            "{text}"
        );
        assert!(text.contains("Soll die Gemeinde Kalletal ein kommunales MVZ gründen?"));
        assert!(text.contains("Rund 350.000 € einmalig."));
        assert!(text.contains("Anna Schulte"));
        let code = text
            .split("Bogencode: ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap()
            .to_owned();

        // Staff mark the returned sheet (typed in lower case without the hyphen).
        let typed = code.replace('-', "").to_lowercase();
        assert_eq!(receive_sheet(&app, &c.staff, &slug, &typed).await.0, 200);
        let t = tally(&app, &slug).await;
        assert_eq!(
            (
                t["online"].as_u64(),
                t["paper"].as_u64(),
                t["counting"].as_u64()
            ),
            (Some(0), Some(1), Some(1))
        );
        let (status, body) = receive_sheet(&app, &c.staff, &slug, &code).await;
        assert_eq!(status, 422);
        assert!(
            body["fields"][0]["message"]
                .as_str()
                .unwrap()
                .contains("bereits")
        );
        let (status, body) = receive_sheet(&app, &c.staff, &slug, "AAAA-AAAA").await;
        assert_eq!(
            (status, body["fields"][0]["field"].as_str()),
            (422, Some("code"))
        );

        // The page shows the figures, rendered on the server.
        let html = reqwest::get(app.url(&format!("/petitions/{slug}")))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("id=\"tally-counting\">1<"), "{html}");

        // Withdrawal until submission; the signature stops counting.
        let page = reqwest::get(app.url(&format!("/petitions/receipt?token={receipt}")))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Unterschrift zurückziehen"));
        assert_eq!(
            app.call("withdraw_signature", &[("token", &receipt)])
                .await
                .status(),
            200
        );
        let t = tally(&app, &slug).await;
        assert_eq!(
            (t["confirmed"].as_u64(), t["counting"].as_u64()),
            (Some(0), Some(0))
        );
        let (status, _) =
            error_code(app.call("withdraw_signature", &[("token", &receipt)]).await).await;
        assert_eq!(status, 422);
    }
);

db_test!(
    bad_signatures_get_a_message_at_their_field_and_nothing_is_written,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let c = cast(&app).await;
        let slug = collecting(&app, &c).await;
        let outbox_before = app.count("outbox").await;
        for (field, value) in [
            ("family_name", ""),
            ("given_names", ""),
            ("birth_date", ""),
            ("birth_date", "2090-01-01"),
            ("birth_date", "1850-01-01"),
            ("birth_date", "17.5.80x"),
            ("street", ""),
            ("house_number", ""),
            ("postal_code", "1234"),
            ("city", ""),
            ("email", "keine-adresse"),
            ("consent", ""),
        ] {
            let (status, body) = sign(&app, &slug, &with(field, value)).await;
            assert_eq!(status, 422, "{field}={value}");
            assert_eq!(body["fields"][0]["field"], field, "{field}={value}: {body}");
            assert!(!body["fields"][0]["message"].as_str().unwrap().is_empty());
        }
        assert_eq!(app.count("signatures").await, 0);
        assert_eq!(app.count("outbox").await, outbox_before);

        // Not in collection: unknown, draft (private), submitted.
        assert_eq!(sign(&app, "gibt-es-nicht", SIGNER).await.0, 404);
        let mut draft = DRAFT.to_vec();
        draft[0] = ("title", "Zweiter Entwurf");
        app.call_with(&c.initiator, "create_petition", &draft).await;
        assert_eq!(sign(&app, "zweiter-entwurf", SIGNER).await.0, 404);

        // An expired confirmation link does not confirm; the person may sign anew.
        assert_eq!(sign(&app, &slug, SIGNER).await.0, 200);
        let token = app
            .token_from_mail("anna@example.org", "/petitions/confirm")
            .await;
        expire_confirmation_links(&app).await;
        let (status, body) =
            error_code(app.call("confirm_signature", &[("token", &token)]).await).await;
        assert_eq!((status, body["code"].as_str()), (422, Some("link_invalid")));
        assert_eq!(
            sign(&app, &slug, SIGNER).await.0,
            200,
            "an unconfirmed signature blocks nothing"
        );
        assert_eq!(app.count("signatures").await, 2);
        // Unconfirmed signatures are deleted once their link has expired.
        assert_eq!(signatures::purge_unconfirmed(&app.db).await.unwrap(), 1);
        assert_eq!(app.count("signatures").await, 1);
        expire_confirmation_links(&app).await;
        assert_eq!(signatures::purge_unconfirmed(&app.db).await.unwrap(), 1);
        assert_eq!(app.count("signatures").await, 0);

        // After submission nobody can sign.
        assert_eq!(
            step(&app, &c.initiator, &slug, &[("step", "submit")])
                .await
                .0,
            200
        );
        let mut other = SIGNER.to_vec();
        other[0] = ("family_name", "Schulz");
        let (status, body) = sign(&app, &slug, &other).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (409, Some("not_collecting"))
        );
    }
);

db_test!(
    parallel_signing_keeps_one_signature_per_person,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let c = cast(&app).await;
        let slug = collecting(&app, &c).await;
        let today = app::petitions::rules::german_date(chrono::Utc::now());
        let signer = |family: String, email: String| {
            OnlineSignature::parse(
                &SignerInput {
                    family_name: family,
                    given_names: "Anna".into(),
                    birth_date: "1980-05-17".into(),
                    street: "Lindenweg".into(),
                    house_number: "3".into(),
                    postal_code: "32689".into(),
                    city: "Kalletal".into(),
                },
                &email,
                true,
                false,
                today,
            )
            .unwrap()
        };
        // 40 different people and the same person 20 times, all at once, each from a
        // mailbox of their own: every one gets the same answer and a confirmation mail.
        let mut tasks = Vec::new();
        for i in 0..60 {
            let state = app.state.clone();
            let slug = slug.clone();
            let family = if i % 3 == 0 {
                "Doppelt".to_owned()
            } else {
                format!(
                    "Person{}{}",
                    char::from(b'a' + (i % 26) as u8),
                    "x".repeat(i / 26)
                )
            };
            let s = signer(family, format!("signer{i}@example.org"));
            tasks.push(tokio::spawn(async move {
                signatures::sign(&state, &slug, &s).await
            }));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        assert_eq!(app.count("signatures").await, 60);
        let mails = app.deliver_mail().await;
        let tokens: Vec<String> = mails
            .iter()
            .filter(|m| m.subject == "Bitte bestätigen Sie Ihre Unterschrift")
            .filter_map(|m| {
                m.text
                    .split_whitespace()
                    .find_map(|w| w.split_once("/petitions/confirm?token="))
                    .map(|(_, t)| t.to_owned())
            })
            .collect();
        assert_eq!(tokens.len(), 60);

        // All confirm at once: one signature per person counts, the others are duplicates.
        let tasks: Vec<_> = tokens
            .into_iter()
            .map(|token| {
                let state = app.state.clone();
                tokio::spawn(async move { signatures::confirm(&state, &token).await })
            })
            .collect();
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        assert_eq!(app.count("signatures WHERE status = 'unchecked'").await, 41);
        assert_eq!(app.count("signatures WHERE status = 'duplicate'").await, 19);
        assert_eq!(tally(&app, &slug).await["confirmed"], 41);
    }
);

db_test!(
    paper_lines_are_entered_imported_and_reported,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let c = cast(&app).await;
        let slug = collecting(&app, &c).await;
        let line = |sheet: &'static str, line: &'static str, family: &'static str| {
            vec![
                ("slug", slug.as_str()),
                ("sheet", sheet),
                ("line", line),
                ("family_name", family),
                ("given_names", "Karl"),
                ("birth_date", "03.02.1961"),
                ("street", "Bergstraße"),
                ("house_number", "12 A"),
                ("postal_code", "32689"),
                ("city", "Kalletal"),
                ("signed_on", ""),
            ]
        };
        assert_eq!(
            app.call_with(&c.staff, "enter_paper_signature", &line("1", "1", "Becker"))
                .await
                .status(),
            200
        );
        let (status, body) = error_code(
            app.call_with(&c.staff, "enter_paper_signature", &line("1", "1", "Wagner"))
                .await,
        )
        .await;
        assert_eq!(
            (status, body["fields"][0]["field"].as_str()),
            (422, Some("line"))
        );
        // The same person on another line is kept as a duplicate and does not count.
        let res: serde_json::Value = app
            .call_with(&c.staff, "enter_paper_signature", &line("2", "5", "Becker"))
            .await
            .json()
            .await
            .unwrap();
        assert!(
            res["message"]
                .as_str()
                .unwrap()
                .contains("bereits unterschrieben (Blatt 1, Zeile 1)"),
            "{res}"
        );
        let (status, _) = error_code(
            app.call_with(
                &c.initiator,
                "enter_paper_signature",
                &line("3", "1", "Koch"),
            )
            .await,
        )
        .await;
        assert_eq!(status, 403);
        let t = tally(&app, &slug).await;
        assert_eq!(
            (t["paper"].as_u64(), t["counting"].as_u64()),
            (Some(1), Some(1))
        );

        let csv = "\u{feff}Blatt;Zeile;Familienname;Vornamen;Geburtsdatum;Straße;Hausnummer;PLZ;Ort;Unterschriftsdatum\n\
            3;1;Schröder;Eva Maria;14.07.1975;Mühlenweg;4;32689;Kalletal;\n\
            3;2;Becker;Karl;03.02.1961;Bergstraße;12a;32689;Kalletal;01.11.2026\n\
            3;3;Neumann;Jan;31.02.1990;Talstraße;1;32689;Kalletal;\n\
            3;4;Wolf;Ina;01.01.1970;Talstraße;1;32689\n\
            3;1;Klein;Ute;01.01.1970;Talstraße;2;32689;Kalletal;\n\
            \n\
            3;5;Richter;Ole;05.06.1999;Am Kirchplatz;7;32689;Kalletal;28.11.2026\n";
        let report =
            app::petitions::server::paper_import::import(&app.db, &slug, None, csv.as_bytes())
                .await
                .unwrap();
        use app::petitions::server::paper_import::LineResult::*;
        let kinds: Vec<(u64, &str)> = report
            .lines
            .iter()
            .map(|(n, r)| {
                (
                    *n,
                    match r {
                        Recorded { .. } => "recorded",
                        Duplicate { .. } => "duplicate",
                        Refused { .. } => "refused",
                    },
                )
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                (2, "recorded"),
                (3, "duplicate"),
                // An impossible date is recorded as written; the register check decides.
                (4, "recorded"),
                (5, "refused"),
                (6, "refused"),
                (8, "recorded")
            ]
        );
        assert_eq!(
            report.lines[2].1,
            Recorded {
                status: app::register::check::Status::Unchecked
            }
        );
        let Refused { reasons } = &report.lines[3].1 else {
            unreachable!()
        };
        assert!(reasons[0].contains("Spalten"), "{reasons:?}");
        let Refused { reasons } = &report.lines[4].1 else {
            unreachable!()
        };
        assert!(
            reasons[0].contains("Blatt 3, Zeile 1 ist bereits erfasst"),
            "{reasons:?}"
        );
        assert_eq!(tally(&app, &slug).await["paper"], 4);

        let err = app::petitions::server::paper_import::import(
            &app.db,
            &slug,
            None,
            "Name;Vorname\nA;B\n".as_bytes(),
        )
        .await
        .unwrap_err();
        assert!(
            err.field_message("file")
                .unwrap()
                .contains("Blatt;Zeile;Familienname")
        );
        let err = app::petitions::server::paper_import::import(&app.db, &slug, None, "".as_bytes())
            .await
            .unwrap_err();
        assert!(err.field_message("file").unwrap().contains("leer"));
    }
);

db_test!(
    lists_and_figures_are_public_only_for_published_petitions,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let c = cast(&app).await;
        let slug = collecting(&app, &c).await;
        let res = reqwest::get(app.url(&format!("/petitions/{slug}/list.pdf")))
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        let text = pdf_text(&res.bytes().await.unwrap());
        for needle in [
            "Unterschriftenliste zum Bürgerbegehren „Medizinisches Versorgungszentrum“",
            "Soll die Gemeinde Kalletal ein kommunales MVZ gründen?",
            "Die Hausärzte gehen in Rente.",
            "Kostenschätzung der Verwaltung: Rund 350.000 € einmalig.",
            "Anna Schulte, Hauptstraße 1, 32689 Kalletal; Bernd Vogt",
            "Familienname",
            "Geburtsdatum",
            "Unterschrift",
        ] {
            assert!(text.contains(needle), "{needle} missing in {text}");
        }

        let mut draft = DRAFT.to_vec();
        draft[0] = ("title", "Geheimer Entwurf");
        app.call_with(&c.initiator, "create_petition", &draft).await;
        for path in [
            "/petitions/geheimer-entwurf/list.pdf",
            "/petitions/geheimer-entwurf/tally.json",
            "/petitions/gibt-es-nicht/tally.json",
        ] {
            assert_eq!(
                reqwest::get(app.url(path)).await.unwrap().status(),
                404,
                "{path}"
            );
        }
        let html = reqwest::get(app.url("/petitions"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("Medizinisches Versorgungszentrum") && !html.contains("Geheimer Entwurf")
        );
        // The JSON has exactly the aggregate figures, never personal data.
        let t = tally(&app, &slug).await;
        let keys: Vec<&String> = t.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            vec![
                "as_of",
                "confirmed",
                "counting",
                "invalid",
                "invalid_by_reason",
                "needs_review",
                "online",
                "online_signatures_count",
                "paper",
                "pending",
                "pending_confirmation",
                "petition",
                "quorum_reached",
                "required",
                "stage",
                "valid",
                "valid_counting"
            ]
        );
    }
);

db_test!(
    a_collection_past_its_end_expires_and_takes_no_signatures,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let c = cast(&app).await;
        let slug = collecting(&app, &c).await;
        app.db
            .execute_raw(Statement::from_string(
                app.db.get_database_backend(),
                "UPDATE petitions SET end_date = '2026-01-01'",
            ))
            .await
            .unwrap();
        let (status, body) = sign(&app, &slug, SIGNER).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (409, Some("not_collecting"))
        );
        let n = app::petitions::server::procedure::expire_due(&app.db, "http://x")
            .await
            .unwrap();
        assert_eq!(n, 1);
        assert_eq!(tally(&app, &slug).await["stage"], "expired");
        assert_eq!(
            app::petitions::server::procedure::expire_due(&app.db, "http://x")
                .await
                .unwrap(),
            0
        );
    }
);

db_test!(
    the_demo_has_petitions_at_three_stages,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        server::demo::seed(&app.db, &app.state.config)
            .await
            .unwrap();
        // Threads on the first proposal (all three levels, a deleted and a hidden comment) and
        // on the collecting petition.
        let thread = |kind: &'static str, id: i64| {
            let app = &app;
            async move {
                let res = app
                    .call("get_thread", &[("kind", kind), ("id", &id.to_string())])
                    .await;
                assert_eq!(res.status(), 200);
                res.json::<serde_json::Value>().await.unwrap()
            }
        };
        let first = app::infra::entities::proposal::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|p| p.id)
            .min()
            .unwrap();
        let t = thread("proposal", first).await;
        let all: Vec<&serde_json::Value> = t["roots"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| {
                std::iter::once(&r["comment"]).chain(r["replies"].as_array().unwrap().iter())
            })
            .collect();
        assert_eq!(all.len(), 8);
        assert!(
            all.iter()
                .any(|c| c["depth"] == 2 && c["reply_to"].is_string())
        );
        assert!(all.iter().any(|c| c["deleted"] == true));
        assert!(all.iter().any(|c| c["hidden_reason"].is_string()));
        assert!(all.iter().any(|c| c["edited"] == true && c["likes"] == 1));
        let mvz_id = app::petitions::server::procedure::find_by_slug(&app.db, "mvz-kalletal")
            .await
            .unwrap()
            .id;
        assert_eq!(thread("petition", mvz_id).await["total"], 2);
        let mvz = tally(&app, "mvz-kalletal").await;
        assert_eq!(
            (
                mvz["stage"].as_str(),
                mvz["required"].as_u64(),
                mvz["counting"].as_u64()
            ),
            (Some("collecting"), Some(1_025), Some(50))
        );
        // The demo register is in use and every line was checked against it: most count,
        // some residents may not sign (children, non-EU citizens, second homes), and two
        // lines wait for a person.
        assert_eq!(app.count("residents").await, 13_904);
        let p = app::petitions::server::procedure::find_by_slug(&app.db, "mvz-kalletal")
            .await
            .unwrap();
        let counts = app::register::server::review::status_counts(&app.db, p.id)
            .await
            .unwrap();
        let count = |s: app::register::check::Status| {
            counts.iter().find(|c| c.status == s).map_or(0, |c| c.count)
        };
        use app::register::check::Status;
        assert_eq!(count(Status::NeedsReview), 2);
        assert_eq!(count(Status::Unchecked), 0);
        assert!(count(Status::Valid) > 25, "most count: {counts:?}");
        assert_eq!(counts.iter().map(|c| c.count).sum::<u64>(), 50);
        assert_eq!(
            tally(&app, "freibad-hohenhausen").await["stage"],
            "submitted"
        );
        assert_eq!(
            tally(&app, "dorfgemeinschaftshaus-talle").await["stage"],
            "decided"
        );
        let html = reqwest::get(app.url("/petitions/mvz-kalletal"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("Jetzt unterschreiben"));
        assert!(html.contains("<svg"), "the chart is rendered on the server");
    }
);

db_test!(
    a_handwritten_signature_takes_over_from_online_support,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let c = cast(&app).await;
        let slug = collecting(&app, &c).await;
        let paper = |family: &'static str, line: &'static str| {
            vec![
                ("slug", slug.as_str()),
                ("sheet", "7"),
                ("line", line),
                ("family_name", family),
                ("given_names", "Anna Maria"),
                ("birth_date", "17.05.1980"),
                ("street", "Lindenweg"),
                ("house_number", "3a"),
                ("postal_code", "32689"),
                ("city", "Kalletal"),
            ]
        };
        // Confirmed online support (does not count in NRW), then the same person on a list:
        // the handwritten signature counts, the online one is superseded.
        assert_eq!(sign(&app, &slug, SIGNER).await.0, 200);
        let token = app
            .token_from_mail("anna@example.org", "/petitions/confirm")
            .await;
        assert_eq!(
            app.call("confirm_signature", &[("token", &token)])
                .await
                .status(),
            200
        );
        let res: serde_json::Value = app
            .call_with(&c.staff, "enter_paper_signature", &paper("Müller", "1"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(res["duplicate"], false, "{res}");
        let t = tally(&app, &slug).await;
        assert_eq!(
            (
                t["online"].as_u64(),
                t["paper"].as_u64(),
                t["counting"].as_u64()
            ),
            (Some(0), Some(1), Some(1))
        );
        // Its personal sheet no longer counts on top.
        let code: String = {
            use app::infra::entities::signature;
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            signature::Entity::find()
                .filter(signature::Column::Channel.eq("online"))
                .one(&app.db)
                .await
                .unwrap()
                .unwrap()
                .sheet_code
                .unwrap()
        };
        let (status, body) = receive_sheet(&app, &c.staff, &slug, &code).await;
        assert_eq!(status, 422);
        assert!(
            body["fields"][0]["message"]
                .as_str()
                .unwrap()
                .contains("bereits unterschrieben")
        );
        // The same person once more on paper is a duplicate.
        let res: serde_json::Value = app
            .call_with(&c.staff, "enter_paper_signature", &paper("Mueller", "2"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(res["duplicate"], true, "{res}");
        assert_eq!(tally(&app, &slug).await["counting"], 1);

        // A pending (unconfirmed) online signature blocks nothing: the paper line counts, and
        // the link confirmed later records a duplicate for staff (the paper line counts on).
        let mut other = SIGNER.to_vec();
        other[0] = ("family_name", "Schulz");
        other[7] = ("email", "schulz@example.org");
        assert_eq!(sign(&app, &slug, &other).await.0, 200);
        let res: serde_json::Value = app
            .call_with(&c.staff, "enter_paper_signature", &paper("Schulz", "3"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(res["duplicate"], false);
        let t = tally(&app, &slug).await;
        assert_eq!(
            (t["pending_confirmation"].as_u64(), t["counting"].as_u64()),
            (Some(1), Some(2))
        );
        let token = app
            .token_from_mail("schulz@example.org", "/petitions/confirm")
            .await;
        assert_eq!(
            app.call("confirm_signature", &[("token", &token)])
                .await
                .status(),
            200
        );
        let t = tally(&app, &slug).await;
        assert_eq!(
            (t["pending_confirmation"].as_u64(), t["counting"].as_u64()),
            (Some(0), Some(2))
        );
        let schulz_online: String = {
            use app::infra::entities::signature;
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            signature::Entity::find()
                .filter(signature::Column::Channel.eq("online"))
                .filter(signature::Column::FamilyName.eq("Schulz"))
                .one(&app.db)
                .await
                .unwrap()
                .unwrap()
                .status
        };
        assert_eq!(schulz_online, "duplicate");

        // A petition titled like a fixed page gets another address.
        let mut draft = DRAFT.to_vec();
        draft[0] = ("title", "New");
        assert_eq!(
            app.call_with(&c.initiator, "create_petition", &draft)
                .await
                .status(),
            200
        );
        let own: serde_json::Value = app
            .call_with(&c.initiator, "get_petition", &[("slug", "new-2")])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(own["summary"]["title"], "New");
    }
);
