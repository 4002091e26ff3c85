//! Checking signatures against the register: every status from the fixed list, the review
//! queue, re-checking after a new register, the per-signature export, voided sheets, the web
//! upload and deleting personal data — with the rights checked on every route.

use app::infra::entities::{petition, signature};
use app::petitions::server::paper_import;
use app::register::check::Status;
use app::register::server::import as register;
use chrono::{Days, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use server::synthetic;

use crate::helpers::{TestApp, cast, collecting, db_test, error_code, new_client, step};

pub(crate) fn today() -> chrono::NaiveDate {
    app::petitions::rules::german_date(Utc::now())
}

fn d(date: chrono::NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

/// The synthetic register plus the people this test signs for.
fn register_file() -> String {
    let mut out = Vec::new();
    synthetic::write_register(&mut out, 3_000).unwrap();
    let mut text = String::from_utf8(out).unwrap();
    let newcomer_moved_in = d(today() - Days::new(3));
    for line in [
        "Lüdenscheidt-Brandt;Hans Peter;17.05.1980;Lange Straße;12a;32689;Kalletal;Hohenhausen;DE;01.01.2000;Hauptwohnung".to_owned(),
        "Jungblut;Lea;01.06.2014;Talweg;3;32689;Kalletal;Talle;DE;01.06.2014;HW".to_owned(),
        "Yıldırım;Emre;03.03.1985;Talweg;5;32689;Kalletal;Talle;TR;01.01.2010;HW".to_owned(),
        "Dvořák;Jana;12.12.1988;Talweg;6;32689;Kalletal;Talle;CZ;01.01.2015;HW".to_owned(),
        "Bäckermann;Jan;04.04.1975;Talweg;7;32689;Kalletal;Talle;DE;01.01.2010;NW".to_owned(),
        format!("Neuhaus;Nina;05.05.1990;Talweg;9;32689;Kalletal;Talle;DE;{newcomer_moved_in};HW"),
        "Schneidereit;Klaus;06.06.1966;Bergstraße;4;32689;Kalletal;Varenholz;DE;01.01.1990;HW".to_owned(),
        "Weißmann;Greta;07.07.1977;Mühlenweg;8;32689;Kalletal;Erder;DE;01.01.1990;HW".to_owned(),
        "Vogelsang;Ute Maria;08.08.1958;Lindenweg;2;32689;Kalletal;Brosen;DE;01.01.1990;HW".to_owned(),
        "Kranich;Otto;09.09.1949;Lindenweg;4;32689;Kalletal;Brosen;DE;01.01.1990;HW".to_owned(),
        // The online signer of the petition tests.
        "Müller;Anna Maria;17.05.1980;Lindenweg;3a;32689;Kalletal;Talle;DE;01.01.2000;HW".to_owned(),
    ] {
        text.push_str(&line);
        text.push('\n');
    }
    text
}

pub(crate) async fn import_register(app: &TestApp) -> register::ImportOutcome {
    let outcome = crate::helpers::import_register(app, register_file().as_bytes())
        .await
        .unwrap();
    assert!(outcome.succeeded(), "{:?}", outcome.bad);
    outcome
}

/// Paper lines with every kind of problem: (sheet, line, CSV fields, expected status).
fn paper_lines() -> Vec<(u32, u32, String, Status)> {
    let today = d(today());
    vec![
        // Spelled differently, first given name only, house number as "12 A": valid.
        (
            1,
            1,
            "LUEDENSCHEIDT-BRANDT;Hans;17.05.1980;Lange Str.;12 A;32689;Kalletal;".into(),
            Status::Valid,
        ),
        (
            1,
            2,
            "Jungblut;Lea;01.06.2014;Talweg;3;32689;Kalletal;".into(),
            Status::Underage,
        ),
        (
            1,
            3,
            "Yildirim;Emre;03.03.1985;Talweg;5;32689;Kalletal;".into(),
            Status::NotCitizen,
        ),
        // An EU citizen may sign.
        (
            1,
            4,
            "Dvorak;Jana;12.12.1988;Talweg;6;32689;Kalletal;".into(),
            Status::Valid,
        ),
        (
            1,
            5,
            "Bäckermann;Jan;04.04.1975;Talweg;7;32689;Kalletal;".into(),
            Status::NotMainResidence,
        ),
        (
            1,
            6,
            "Neuhaus;Nina;05.05.1990;Talweg;9;32689;Kalletal;".into(),
            Status::ResidenceTooShort,
        ),
        // A typing error in the family name: a person decides.
        (
            1,
            7,
            "Schnieder-Eit;Klaus;06.06.1966;Bergstraße;4;32689;Kalletal;".into(),
            Status::NeedsReview,
        ),
        // The date of birth unreadable, the rest points to one person: review, not invalid.
        (
            1,
            8,
            "Weißmann;Greta;3?.07.1977;Mühlenweg;8;32689;Kalletal;".into(),
            Status::NeedsReview,
        ),
        // The same person twice under two spellings: the earlier line counts.
        (
            2,
            1,
            "Vogelsang;Ute Maria;08.08.1958;Lindenweg;2;32689;Kalletal;".into(),
            Status::Valid,
        ),
        (
            4,
            1,
            "Vogelsang;Ute;08.08.1958;Lindenweg;2;32689;Kalletal;".into(),
            Status::Duplicate,
        ),
        (
            2,
            3,
            "Fremdling;Franz;01.01.1960;Hauptstraße;1;32689;Kalletal;".into(),
            Status::NotFound,
        ),
        (2, 4, ";Karl;;;;32689;Kalletal;".into(), Status::Incomplete),
        // Signed after the collection ended (the test ends it yesterday).
        (
            2,
            5,
            format!("Kranich;Otto;09.09.1949;Lindenweg;4;32689;Kalletal;{today}"),
            Status::AfterDeadline,
        ),
        // Sheet 3 lacks the petition text: every line on it is void.
        (
            3,
            1,
            "Kranich;Otto;09.09.1949;Lindenweg;4;32689;Kalletal;".into(),
            Status::InvalidSheet,
        ),
    ]
}

pub(crate) fn paper_csv() -> String {
    let mut csv = String::from(
        "Blatt;Zeile;Familienname;Vornamen;Geburtsdatum;Straße;Hausnummer;PLZ;Ort;Unterschriftsdatum\n",
    );
    for (sheet, line, fields, _) in paper_lines() {
        csv.push_str(&format!("{sheet};{line};{fields}\n"));
    }
    csv
}

async fn status_at(app: &TestApp, slug: &str, sheet: i32, line: i32) -> signature::Model {
    let p = app::petitions::server::procedure::find_by_slug(&app.db, slug)
        .await
        .unwrap();
    signature::Entity::find()
        .filter(signature::Column::PetitionId.eq(p.id))
        .filter(signature::Column::SheetNumber.eq(sheet))
        .filter(signature::Column::LineNumber.eq(line))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// Ends the collection yesterday, as if the initiators had set that end date.
pub(crate) async fn end_collection_yesterday(app: &TestApp, slug: &str) {
    petition::Entity::update_many()
        .col_expr(
            petition::Column::EndDate,
            Expr::value(today() - Days::new(1)),
        )
        .filter(petition::Column::Slug.eq(slug))
        .exec(&app.db)
        .await
        .unwrap();
}

pub(crate) async fn void_sheet(
    app: &TestApp,
    client: &reqwest::Client,
    slug: &str,
    sheet: &str,
) -> (u16, serde_json::Value) {
    error_code(
        app.call_with(
            client,
            "void_sheet",
            &[
                ("slug", slug),
                ("sheet", sheet),
                ("reason", "Begründung fehlt auf dem Blatt"),
            ],
        )
        .await,
    )
    .await
}

db_test!(every_signature_ends_with_its_status, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let c = cast(&app).await;
    let slug = collecting(&app, &c).await;
    end_collection_yesterday(&app, &slug).await;

    // Without a register the lines are recorded and wait.
    let report = paper_import::import(&app.db, &slug, None, "Blatt;Zeile;Familienname;Vornamen;Geburtsdatum;Straße;Hausnummer;PLZ;Ort;Unterschriftsdatum\n9;1;Kranich;Otto;09.09.1949;Lindenweg;4;32689;Kalletal;\n".as_bytes())
        .await
        .unwrap();
    assert_eq!(
        report.lines[0].1,
        paper_import::LineResult::Recorded {
            status: Status::Unchecked
        }
    );

    // A sheet is voided before its other lines are typed in; the resident may not do that.
    assert_eq!(void_sheet(&app, &c.initiator, &slug, "3").await.0, 403);
    let (code, _) = void_sheet(&app, &c.staff, &slug, "3").await;
    assert_eq!(code, 200);
    let (code, body) = void_sheet(&app, &c.staff, &slug, "3").await;
    assert_eq!(code, 422);
    assert!(body.to_string().contains("bereits als ungültig"), "{body}");

    let outcome = import_register(&app).await;
    assert_eq!(outcome.checked.petitions, 1);
    assert_eq!(outcome.checked.signatures, 1);
    // The waiting line is decided by the import.
    assert_eq!(status_at(&app, &slug, 9, 1).await.status, "valid");

    let report = paper_import::import(&app.db, &slug, None, paper_csv().as_bytes())
        .await
        .unwrap();
    assert_eq!(report.refused(), 0, "{:?}", report.lines);
    for (sheet, line, fields, want) in paper_lines() {
        let s = status_at(&app, &slug, sheet as i32, line as i32).await;
        // Sheet 9's Otto Kranich signed before the after-deadline line 2/5 and before 3/1:
        // the later ones keep their own reasons (after the deadline, void sheet).
        assert_eq!(
            s.status,
            want.code(),
            "Blatt {sheet}, Zeile {line}: {fields}"
        );
        assert!(!s.manual);
        if want != Status::Unchecked {
            assert!(s.decided_at.is_some());
        }
    }
    // Matched signatures carry the village for the tallies.
    assert_eq!(
        status_at(&app, &slug, 1, 1).await.district.as_deref(),
        Some("Hohenhausen")
    );
    // The unreadable date is kept as written.
    assert_eq!(
        status_at(&app, &slug, 1, 8)
            .await
            .birth_date_entered
            .as_deref(),
        Some("3?.07.1977")
    );

    // The review page shows the doubtful line beside its candidate, and logs the look.
    let res = app
        .call_with(&c.staff, "review_page", &[("slug", slug.as_str())])
        .await;
    assert_eq!(res.status(), 200);
    let page: serde_json::Value = res.json().await.unwrap();
    assert_eq!(page["waiting"], 2);
    let item = &page["item"];
    assert_eq!(item["place"], "Blatt 1, Zeile 7");
    let candidate = &item["candidates"][0];
    assert_eq!(candidate["family_name"], "Schneidereit");
    assert_eq!(candidate["comparison"]["family_name"], "near");
    assert_eq!(candidate["comparison"]["birth_date"], "exact");
    assert_eq!(candidate["outcome"], "valid");
    assert!(
        app.audit_actions()
            .await
            .contains(&"signature.viewed".to_owned())
    );
    // Residents see neither the page nor the register.
    assert_eq!(
        app.call_with(&c.initiator, "review_page", &[("slug", slug.as_str())])
            .await
            .status(),
        403
    );

    // The reviewer decides: this is Klaus Schneidereit.
    let signature_id = item["signature_id"].as_i64().unwrap().to_string();
    let person = format!("person:{}", candidate["resident_id"]);
    let decide = |client: reqwest::Client, decision: String| {
        let app = &app;
        let slug = slug.clone();
        let signature_id = signature_id.clone();
        async move {
            error_code(
                app.call_with(
                    &client,
                    "decide_signature",
                    &[
                        ("slug", slug.as_str()),
                        ("signature_id", signature_id.as_str()),
                        ("decision", decision.as_str()),
                    ],
                )
                .await,
            )
            .await
        }
    };
    assert_eq!(decide(c.initiator.clone(), person.clone()).await.0, 403);
    let (code, body) = decide(c.staff.clone(), "gültig".into()).await;
    assert_eq!(code, 422);
    assert!(body.to_string().contains("decision"), "{body}");
    let (code, _) = decide(c.staff.clone(), person.clone()).await;
    assert_eq!(code, 200);
    let decided = status_at(&app, &slug, 1, 7).await;
    assert_eq!((decided.status.as_str(), decided.manual), ("valid", true));
    assert!(decided.decided_by.is_some());
    // The other one does not count: the reviewer gives the reason.
    let other = status_at(&app, &slug, 1, 8).await;
    let (code, _) = error_code(
        app.call_with(
            &c.staff,
            "decide_signature",
            &[
                ("slug", slug.as_str()),
                ("signature_id", other.id.to_string().as_str()),
                ("decision", "incomplete"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(code, 200);
    assert!(
        app.audit_actions()
            .await
            .iter()
            .filter(|a| *a == "signature.reviewed")
            .count()
            == 2
    );

    // A new register import checks again and keeps what people decided.
    import_register(&app).await;
    assert_eq!(status_at(&app, &slug, 1, 7).await.status, "valid");
    assert_eq!(status_at(&app, &slug, 1, 8).await.status, "incomplete");
    assert_eq!(status_at(&app, &slug, 4, 1).await.status, "duplicate");
    assert_eq!(status_at(&app, &slug, 1, 1).await.status, "valid");

    // The first Ute line no longer counts once its sheet is voided: the second one, on
    // another sheet, is the person's signature now; restored, the first counts again.
    assert_eq!(void_sheet(&app, &c.staff, &slug, "2").await.0, 200);
    assert_eq!(status_at(&app, &slug, 2, 1).await.status, "invalid_sheet");
    assert_eq!(status_at(&app, &slug, 4, 1).await.status, "valid");
    let res = app
        .call_with(
            &c.staff,
            "restore_sheet",
            &[("slug", slug.as_str()), ("sheet", "2")],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(status_at(&app, &slug, 2, 1).await.status, "valid");
    assert_eq!(status_at(&app, &slug, 4, 1).await.status, "duplicate");

    // Once the council has decided, the figures stand: no more decisions.
    let (code, _) = step(&app, &c.initiator, &slug, &[("step", "submit")]).await;
    assert_eq!(code, 200);
    let (code, _) = step(&app, &c.staff, &slug, &[("step", "declare_admissible")]).await;
    assert_eq!(code, 200);
    let (code, body) = void_sheet(&app, &c.staff, &slug, "1").await;
    assert_eq!(code, 422);
    assert!(
        body.to_string().contains("abschließend entschieden"),
        "{body}"
    );
});

db_test!(
    counters_follow_signatures_with_a_register_in_use,
    |backend| async move {
        use crate::helpers::{SIGNER, receive_sheet, sign, tally};
        let app = TestApp::spawn(backend).await;
        let c = cast(&app).await;
        let slug = collecting(&app, &c).await;
        import_register(&app).await;
        // Confirmed online: checked at once, counted as online support.
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
        let online = signature::Entity::find()
            .filter(signature::Column::Channel.eq("online"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(online.status, "valid");
        let t = tally(&app, &slug).await;
        assert_eq!(
            (t["online"].as_u64(), t["paper"].as_u64()),
            (Some(1), Some(0))
        );
        // The personal sheet comes back signed: it moves to paper.
        let (code, body) =
            receive_sheet(&app, &c.staff, &slug, online.sheet_code.as_deref().unwrap()).await;
        assert_eq!(code, 200, "{body}");
        let t = tally(&app, &slug).await;
        assert_eq!(
            (t["online"].as_u64(), t["paper"].as_u64()),
            (Some(0), Some(1))
        );
        // Withdrawn: off the counters.
        let receipt = app
            .token_from_mail("anna@example.org", "/petitions/receipt")
            .await;
        assert_eq!(
            app.call("withdraw_signature", &[("token", &receipt)])
                .await
                .status(),
            200
        );
        let t = tally(&app, &slug).await;
        assert_eq!(
            (t["online"].as_u64(), t["paper"].as_u64()),
            (Some(0), Some(0))
        );

        // Online support of someone who then signs a list: the handwritten one counts instead.
        let otto = [
            ("family_name", "Kranich"),
            ("given_names", "Otto"),
            ("birth_date", "1949-09-09"),
            ("street", "Lindenweg"),
            ("house_number", "4"),
            ("postal_code", "32689"),
            ("city", "Kalletal"),
            ("email", "otto@example.org"),
            ("consent", "on"),
        ];
        assert_eq!(sign(&app, &slug, &otto).await.0, 200);
        let token = app
            .token_from_mail("otto@example.org", "/petitions/confirm")
            .await;
        assert_eq!(
            app.call("confirm_signature", &[("token", &token)])
                .await
                .status(),
            200
        );
        assert_eq!(tally(&app, &slug).await["online"], 1);
        let report = paper_import::import(
        &app.db,
        &slug,
        None,
        "Blatt;Zeile;Familienname;Vornamen;Geburtsdatum;Straße;Hausnummer;PLZ;Ort;Unterschriftsdatum\n5;1;Kranich;Otto;09.09.1949;Lindenweg;4;32689;Kalletal;\n".as_bytes(),
    )
    .await
    .unwrap();
        assert_eq!(
            report.lines[0].1,
            paper_import::LineResult::Recorded {
                status: Status::Valid
            }
        );
        let t = tally(&app, &slug).await;
        assert_eq!(
            (t["online"].as_u64(), t["paper"].as_u64()),
            (Some(0), Some(1))
        );
        let superseded = signature::Entity::find()
            .filter(signature::Column::Channel.eq("online"))
            .filter(signature::Column::FamilyName.eq("Kranich"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(superseded.status, "duplicate");
    }
);

db_test!(
    the_signature_export_lists_every_signature,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let c = cast(&app).await;
        let slug = collecting(&app, &c).await;
        end_collection_yesterday(&app, &slug).await;
        assert_eq!(void_sheet(&app, &c.staff, &slug, "3").await.0, 200);
        import_register(&app).await;
        paper_import::import(&app.db, &slug, None, paper_csv().as_bytes())
            .await
            .unwrap();
        // An online signature not yet confirmed keeps its status through every check.
        let res = app
            .call_with(
                &new_client(),
                "sign_petition",
                &[
                    ("slug", slug.as_str()),
                    ("family_name", "Kranich"),
                    ("given_names", "Otto"),
                    ("birth_date", "1949-09-09"),
                    ("street", "Lindenweg"),
                    ("house_number", "4"),
                    ("postal_code", "32689"),
                    ("city", "Kalletal"),
                    ("email", "otto@example.org"),
                    ("consent", "on"),
                ],
            )
            .await;
        // The collection ended yesterday: signing online is over.
        assert_eq!(res.status(), 409, "{:?}", res.text().await);

        let url = app.url(&format!("/petitions/{slug}/signatures.csv"));
        assert_eq!(c.initiator.get(&url).send().await.unwrap().status(), 403);
        assert_eq!(new_client().get(&url).send().await.unwrap().status(), 403);
        // A link or image on another site does not make a staff browser download the list,
        // nor record an export.
        for from in ["cross-site", "same-site"] {
            let res = c
                .staff
                .get(&url)
                .header("sec-fetch-site", from)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 403, "{from}");
            assert!(res.text().await.unwrap().contains("nur von dieser Website"));
        }
        assert!(
            !app.audit_actions()
                .await
                .contains(&"signatures.exported".to_owned())
        );
        let res = c
            .staff
            .get(&url)
            .header("sec-fetch-site", "same-origin")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let body = res.text().await.unwrap();
        assert!(body.starts_with('\u{feff}'), "byte order mark for Excel");
        let mut lines = body.trim_start_matches('\u{feff}').lines();
        assert_eq!(
            lines.next().unwrap(),
            "kanal;blatt;zeile;bogencode;familienname;vornamen;geburtsdatum;strasse;hausnummer;plz;ort;unterschrieben_am;ortsteil;status;entschieden_am;entschieden_durch"
        );
        let rows: Vec<Vec<&str>> = lines.map(|l| l.split(';').collect()).collect();
        assert_eq!(rows.len(), paper_lines().len());
        for ((sheet, line, _, want), row) in paper_lines().into_iter().zip(&rows) {
            assert_eq!(row[0], "paper");
            assert_eq!(
                (row[1], row[2]),
                (sheet.to_string().as_str(), line.to_string().as_str())
            );
            assert_eq!(row[13], want.code());
            assert!(row[14].ends_with('Z'), "time of decision: {row:?}");
            assert_eq!(row[15], "automatisch");
        }
        // The data as entered: the first line as the clerk typed it, the unreadable date too.
        assert_eq!(
            (rows[0][4], rows[0][5], rows[0][8]),
            ("LUEDENSCHEIDT-BRANDT", "Hans", "12 A")
        );
        assert_eq!(rows[7][6], "3?.07.1977");
        assert!(
            app.audit_actions()
                .await
                .contains(&"signatures.exported".to_owned())
        );
        // Compressed as browsers ask for it, the stream ends cleanly.
        let res = c
            .staff
            .get(&url)
            .header("accept-encoding", "br")
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["content-encoding"], "br");
        assert!(!res.bytes().await.unwrap().is_empty());

        // The command line writes the same file.
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("unterschriften.csv");
        let out_path = out.to_str().unwrap();
        let run = crate::helpers::cli(
            &app,
            dir.path(),
            &[
                "export",
                "signatures",
                "--petition",
                &slug,
                "--output",
                out_path,
            ],
        );
        assert!(run.status.success());
        assert_eq!(std::fs::read_to_string(&out).unwrap(), body);
        let other = dir.path().join("x.csv");
        let status = crate::helpers::cli(
            &app,
            dir.path(),
            &[
                "export",
                "signatures",
                "--petition",
                "gibt-es-nicht",
                "--output",
                other.to_str().unwrap(),
            ],
        );
        assert!(!status.status.success());
        assert!(String::from_utf8_lossy(&status.stderr).contains("Kein Bürgerbegehren"));
    }
);

db_test!(
    personal_data_of_a_closed_procedure_can_be_purged,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let c = cast(&app).await;
        let slug = collecting(&app, &c).await;
        end_collection_yesterday(&app, &slug).await;
        assert_eq!(void_sheet(&app, &c.staff, &slug, "3").await.0, 200);
        import_register(&app).await;
        paper_import::import(&app.db, &slug, None, paper_csv().as_bytes())
            .await
            .unwrap();
        let p = app::petitions::server::procedure::find_by_slug(&app.db, &slug)
            .await
            .unwrap();
        let err = app::petitions::server::signatures::purge_personal_data(&app.db, None, &p)
            .await
            .unwrap_err();
        assert!(
            err.field_message("petition")
                .unwrap()
                .contains("abgeschlossen")
        );

        let counts_before = app::register::server::review::status_counts(&app.db, p.id)
            .await
            .unwrap();
        // The initiators withdraw; after the retention period the data go, the counts stay.
        let (code, _) = step(&app, &c.initiator, &slug, &[("step", "withdraw")]).await;
        assert_eq!(code, 200);
        let purged = app::petitions::server::signatures::purge_after_retention(
            &app.db,
            chrono::TimeDelta::days(30),
        )
        .await
        .unwrap();
        assert_eq!(purged, 0, "not yet due");
        let purged = app::petitions::server::signatures::purge_after_retention(
            &app.db,
            chrono::TimeDelta::zero(),
        )
        .await
        .unwrap();
        assert_eq!(purged, 1);
        let rows = signature::Entity::find().all(&app.db).await.unwrap();
        assert!(rows.iter().all(|s| s.family_name.is_empty()
            && s.given_names.is_empty()
            && s.birth_date.is_none()
            && s.birth_date_entered.is_none()
            && s.street.is_empty()
            && s.match_key.is_none()));
        assert_eq!(
            app::register::server::review::status_counts(&app.db, p.id)
                .await
                .unwrap(),
            counts_before
        );
        assert!(
            app.audit_actions()
                .await
                .contains(&"signatures.purged".to_owned())
        );
    }
);

async fn upload(app: &TestApp, client: &reqwest::Client, bytes: Vec<u8>) -> reqwest::Response {
    let form = reqwest::multipart::Form::new().text("encoding", "").part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name("melderegister.csv"),
    );
    client
        .post(app.url("/staff/residents/import"))
        .header("origin", format!("http://{}", app.addr))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// Waits until there are `imports` imports and none is running; returns the overview.
async fn settled(app: &TestApp, client: &reqwest::Client, imports: usize) -> serde_json::Value {
    for _ in 0..400 {
        let res = app.call_with(client, "register_overview", &[]).await;
        assert_eq!(res.status(), 200);
        let o: serde_json::Value = res.json().await.unwrap();
        let list = o["imports"].as_array().unwrap();
        if list.len() == imports && list.iter().all(|i| i["status"] != "running") {
            return o;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import did not finish");
}

db_test!(staff_upload_the_register_on_the_web, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let c = cast(&app).await;
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    // Not signed in, or a resident: refused, nothing read.
    assert_eq!(
        upload(&app, &no_redirect, register_file().into_bytes())
            .await
            .status(),
        403
    );
    assert_eq!(
        upload(&app, &c.initiator, register_file().into_bytes())
            .await
            .status(),
        403
    );
    assert_eq!(
        app.call_with(&c.initiator, "register_overview", &[])
            .await
            .status(),
        403
    );
    assert_eq!(app.count("register_imports").await, 0);

    let res = upload(&app, &c.staff, register_file().into_bytes()).await;
    assert_eq!(res.status(), 303, "back to the staff page");
    assert_eq!(
        res.headers()["location"],
        "/staff/residents?notice=register_upload_started"
    );
    let o = settled(&app, &c.staff, 1).await;
    let first = &o["imports"][0];
    assert_eq!(first["status"], "completed", "{first}");
    assert_eq!(first["in_use"], true);
    assert_eq!(first["rows"], 3_011);
    assert_eq!(first["bytes_read"], first["bytes_total"]);

    // A file with a wrong header is refused with the reason; the register stays.
    upload(&app, &c.staff, b"Name;Vorname\nA;B\n".to_vec()).await;
    let o = settled(&app, &c.staff, 2).await;
    let failed = &o["imports"][0];
    assert_eq!(failed["status"], "failed");
    assert!(
        failed["report"][0]
            .as_str()
            .unwrap()
            .contains("Die Kopfzeile muss lauten")
    );
    assert_eq!(o["imports"][1]["in_use"], true);
    // An empty file is not even started.
    let res = upload(&app, &c.staff, Vec::new()).await;
    assert_eq!(res.headers()["location"], "/staff/residents?problem=empty");
    assert_eq!(app.count("residents").await, 3_011);

    // The municipality's number of eligible citizens now comes from the register.
    let frame: serde_json::Value = app.call("legal_frame", &[]).await.json().await.unwrap();
    assert!(
        frame["municipality"]["eligible_source"]
            .as_str()
            .unwrap()
            .starts_with("Melderegister"),
        "{frame}"
    );

    // Deleting the register needs the box ticked.
    let (code, _) = error_code(app.call_with(&c.staff, "purge_register", &[]).await).await;
    assert_eq!(code, 422);
    let res = app
        .call_with(&c.staff, "purge_register", &[("confirm", "on")])
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.count("residents").await, 0);
});

// A full check (after a register import) reads the register into memory; a line entered is
// checked with two indexed queries. Both must decide every line alike: 4,400 paper lines
// written as people write (typing errors, no date of birth, unknown people) against 5,000
// synthetic residents, checked line by line as entered and then all at once. The full
// check reads them in three batches, so on PostgreSQL two batches' writes overlap and a
// third waits for the first (`writes_in_flight`): nothing may be lost or written twice.
db_test!(
    the_full_check_decides_as_the_check_of_each_line,
    |backend| async move {
        const LINES: u64 = 4_400;
        let app = TestApp::spawn(backend).await;
        let c = cast(&app).await;
        let slug = collecting(&app, &c).await;
        let outcome = crate::helpers::import_register(&app, &crate::helpers::register_file(5_000))
            .await
            .unwrap();
        assert!(outcome.succeeded(), "{:?}", outcome.bad);
        let mut csv = String::from(
            "Blatt;Zeile;Familienname;Vornamen;Geburtsdatum;Straße;Hausnummer;PLZ;Ort;Unterschriftsdatum\n",
        );
        // Each line a different resident (7 and 5,000 share no divisor).
        for j in 0..LINES {
            let line = synthetic::register_line((j * 7) % 5_000);
            let f: Vec<&str> = line.split(';').collect();
            let (mut family, given, mut born) = (f[0].to_owned(), f[1], f[2].to_owned());
            let (street, number) = (f[3].replace("straße", "str."), f[4].to_uppercase());
            match j % 10 {
                // A letter too many in the family name.
                1 => {
                    let at = family
                        .char_indices()
                        .nth(2)
                        .map_or(family.len(), |(i, _)| i);
                    family.insert(at, 'h');
                }
                // No date of birth.
                2 => born.clear(),
                // Nobody of that name and birthday.
                3 => {
                    family = format!("Unbekannt{}", ["a", "b", "c"][(j % 3) as usize]);
                    // Before the synthetic register's first birthday (1930).
                    born = "15.06.1925".to_owned();
                }
                // One digit of the year wrong.
                4 => {
                    let last = if born.ends_with('1') { '2' } else { '1' };
                    born.pop();
                    born.push(last);
                }
                // Nobody of that name, and no date of birth: nothing identifies anyone.
                5 => {
                    family = "Niemandsland".to_owned();
                    born.clear();
                }
                _ => {}
            }
            let given = given.split_whitespace().next().unwrap();
            csv.push_str(&format!(
                "{};{};{family};{given};{born};{street};{number};{};{};\n",
                100 + j / 10,
                j % 10 + 1,
                f[5],
                f[6]
            ));
        }
        let report = paper_import::import(&app.db, &slug, None, csv.as_bytes())
            .await
            .unwrap();
        assert_eq!(report.recorded() as u64, LINES, "{:?}", &report.lines[..3]);
        let p = app::petitions::server::procedure::find_by_slug(&app.db, &slug)
            .await
            .unwrap();
        let decided = || async {
            let mut rows: Vec<(i64, String, Option<String>, Option<String>)> =
                signature::Entity::find()
                    .filter(signature::Column::PetitionId.eq(p.id))
                    .all(&app.db)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|s| (s.id, s.status, s.match_key, s.district))
                    .collect();
            rows.sort();
            rows
        };
        let line_by_line = decided().await;
        let mut statuses: std::collections::BTreeMap<&str, usize> = Default::default();
        for (_, status, _, _) in &line_by_line {
            *statuses.entry(status.as_str()).or_default() += 1;
        }
        // The mix the lines were written for.
        for status in ["valid", "needs_review", "not_found", "incomplete"] {
            assert!(
                statuses.get(status).is_some_and(|n| *n > 0),
                "{status}: {statuses:?}"
            );
        }
        let checked = app::register::server::signature_check::check_petition(&app.db, &p)
            .await
            .unwrap();
        assert_eq!(checked, LINES);
        assert_eq!(decided().await, line_by_line, "{statuses:?}");
    }
);
