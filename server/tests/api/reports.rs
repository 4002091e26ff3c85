//! Tallies and reports: the staff dashboard, the CSV, XLSX and PDF check report, the public
//! figures, and the audit trail for admins — every route and command refusing strangers,
//! unknown petitions and unknown formats.

use std::io::Cursor;

use app::accounts::domain::Role;
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use sea_orm::ConnectionTrait;

use crate::helpers::{
    Cast, SIGNER, TestApp, cast, cli, collecting, db_test, error_code, new_client, pdf_text, sign,
    tally,
};
use crate::validation::{end_collection_yesterday, import_register, paper_csv, void_sheet};

/// `1.234` as the report prints it.
fn thousands(n: u64) -> String {
    app::petitions::rules::thousands(n)
}

/// A petition whose paper lines show every outcome (as in the validation tests), sheet 3
/// voided, plus one online signature still waiting for its email confirmation.
async fn checked_petition(app: &TestApp, c: &Cast) -> String {
    let slug = collecting(app, c).await;
    // An online signature waiting for its confirmation is no signature yet.
    assert_eq!(sign(app, &slug, SIGNER).await.0, 200);
    end_collection_yesterday(app, &slug).await;
    assert_eq!(void_sheet(app, &c.staff, &slug, "3").await.0, 200);
    import_register(app).await;
    let report =
        app::petitions::server::paper_import::import(&app.db, &slug, None, paper_csv().as_bytes())
            .await
            .unwrap();
    assert_eq!(report.refused(), 0, "{:?}", report.lines);
    slug
}

async fn report_json(app: &TestApp, client: &reqwest::Client, slug: &str) -> serde_json::Value {
    let res = app
        .call_with(client, "tally_report", &[("slug", slug)])
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn download(client: &reqwest::Client, url: &str) -> (u16, String, Vec<u8>) {
    let res = client.get(url).send().await.unwrap();
    let status = res.status().as_u16();
    let kind = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, res.bytes().await.unwrap().to_vec())
}

/// The number printed at the end of the line that starts with `label`.
fn pdf_figure(text: &str, label: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = line.trim().strip_prefix(label)?;
        // The label must end here ("gültig" is not "gültige …").
        rest.starts_with("  ")
            .then(|| rest.split_whitespace().last().map(str::to_owned))
            .flatten()
    })
}

db_test!(
    the_tally_is_the_same_on_the_dashboard_in_every_file_and_in_public,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let c = cast(&app).await;
        let slug = checked_petition(&app, &c).await;

        let r = report_json(&app, &c.staff, &slug).await;
        // Three valid lines, nine invalid (one per reason), two for staff to decide.
        assert_eq!(r["valid"], 3);
        assert_eq!(r["valid_counting"], 3);
        assert_eq!(r["invalid"], 9);
        assert_eq!(r["pending"], 2);
        assert_eq!(r["needs_review"], 2);
        assert_eq!(r["unchecked"], 0);
        assert_eq!(r["unconfirmed"], 1);
        let reasons: Vec<(String, u64)> = r["invalid_by_reason"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["status"].as_str().unwrap().to_owned(),
                    x["count"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(reasons.len(), 9);
        assert!(reasons.iter().all(|(_, n)| *n == 1), "{reasons:?}");
        assert!(r["required"].as_u64().unwrap() > 3);
        // The breakdowns add up to the total: 14 lines on paper, none given online yet.
        let total = |rows: &serde_json::Value| -> u64 {
            rows.as_array()
                .unwrap()
                .iter()
                .map(|row| {
                    row["valid"].as_u64().unwrap()
                        + row["invalid"].as_u64().unwrap()
                        + row["pending"].as_u64().unwrap()
                })
                .sum()
        };
        for breakdown in ["by_channel", "by_district", "by_day"] {
            assert_eq!(total(&r[breakdown]), 14, "{breakdown}");
        }
        assert_eq!(r["by_channel"].as_array().unwrap().len(), 1);
        assert_eq!(r["by_channel"][0]["key"], "paper");
        let district = |name: &str| {
            r["by_district"]
                .as_array()
                .unwrap()
                .iter()
                .find(|row| row["key"] == name)
                .cloned()
                .unwrap_or_else(|| panic!("{name} in {}", r["by_district"]))
        };
        // Hohenhausen: Hans Peter Lüdenscheidt-Brandt. Talle: one EU citizen valid, four
        // ineligible (too young, not a citizen, no main residence, moved in too recently).
        assert_eq!(
            (
                district("Hohenhausen")["valid"].as_u64(),
                district("Hohenhausen")["invalid"].as_u64()
            ),
            (Some(1), Some(0))
        );
        assert_eq!(
            (
                district("Talle")["valid"].as_u64(),
                district("Talle")["invalid"].as_u64()
            ),
            (Some(1), Some(4))
        );
        // Nobody matched: the stranger and the line without a family name.
        assert!(district("ohne Zuordnung")["invalid"].as_u64().unwrap() >= 2);

        // The dashboard page renders the same figures with charts and tables.
        let page = c
            .staff
            .get(app.url(&format!("/petitions/{slug}/report")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("<svg"), "charts are drawn on the server");
        assert!(
            page.contains(
                r#"data-key="valid"><th scope="row">gültig</th><td class="number">3</td>"#
            )
        );
        assert!(page.contains(r#"data-key="not_found"><th scope="row">nicht im Melderegister</th><td class="number">1</td>"#));

        // Public: tally.json and the petition page agree with the dashboard.
        let t = tally(&app, &slug).await;
        assert_eq!(t["valid"], 3);
        assert_eq!(t["valid_counting"], 3);
        assert_eq!(t["invalid"], 9);
        assert_eq!(t["invalid_by_reason"]["not_found"], 1);
        assert_eq!(t["invalid_by_reason"]["after_deadline"], 1);
        assert_eq!(t["pending"], 2);
        assert_eq!(t["needs_review"], 2);
        assert_eq!(t["pending_confirmation"], 1);
        assert_eq!(t["quorum_reached"], false);
        assert!(t["as_of"].as_str().unwrap().ends_with('Z'));
        for (key, value) in t.as_object().unwrap() {
            if !matches!(
                key.as_str(),
                "petition"
                    | "stage"
                    | "as_of"
                    | "online_signatures_count"
                    | "quorum_reached"
                    | "invalid_by_reason"
                    | "required"
            ) {
                assert!(value.is_u64(), "{key} is an integer: {value}");
            }
        }
        assert!(!t.to_string().contains("Lüdenscheidt"), "no personal data");
        let public = reqwest::get(app.url(&format!("/petitions/{slug}")))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            public.contains(r#"<dd id="tally-valid">3</dd>"#),
            "{public}"
        );
        assert!(public.contains(r#"<dd id="tally-invalid">9</dd>"#));
        assert!(public.contains(r#"<dd id="tally-undecided">2</dd>"#));

        // CSV: BOM, semicolons, the same figures.
        let base = app.url(&format!("/petitions/{slug}/report"));
        let (status, kind, csv) = download(&c.staff, &format!("{base}.csv")).await;
        assert_eq!((status, kind.as_str()), (200, "text/csv; charset=utf-8"));
        let csv = String::from_utf8(csv).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains("summe;valid;gültig;3;;;\n"), "{csv}");
        assert!(csv.contains("summe;invalid;ungültig;9;;;\n"));
        assert!(csv.contains("ungueltig_nach_grund;not_found;nicht im Melderegister;1;;;\n"));
        assert!(csv.contains("kanal;paper;"));
        assert!(csv.contains("ortsteil;Talle;Talle;5;1;4;0\n"));
        assert!(csv.contains("verfahren;quorum_erreicht;nein;"));

        // XLSX: a real reader opens it; one sheet per breakdown; numbers are numbers.
        let (status, kind, xlsx) = download(&c.staff, &format!("{base}.xlsx")).await;
        assert_eq!(status, 200);
        assert!(kind.starts_with("application/vnd.openxmlformats"));
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx)).unwrap();
        assert_eq!(
            book.sheet_names(),
            [
                "Übersicht",
                "Ungültig nach Grund",
                "Nach Kanal",
                "Nach Ortsteil",
                "Nach Tag"
            ]
        );
        let overview = book.worksheet_range("Übersicht").unwrap();
        let figure = |label: &str| {
            overview
                .rows()
                .find(|row| row.first() == Some(&Data::String(label.to_owned())))
                .and_then(|row| row.get(1).cloned())
        };
        assert_eq!(figure("gültig"), Some(Data::Float(3.0)));
        assert_eq!(figure("ungültig"), Some(Data::Float(9.0)));
        assert_eq!(figure("davon zur Prüfung"), Some(Data::Float(2.0)));
        let reasons = book.worksheet_range("Ungültig nach Grund").unwrap();
        assert!(reasons.rows().any(|row| row
            == [
                Data::String("not_found".into()),
                Data::String("nicht im Melderegister".into()),
                Data::Float(1.0)
            ]));
        let districts = book.worksheet_range("Nach Ortsteil").unwrap();
        assert!(districts.rows().any(|row| row
            == [
                Data::String("Talle".into()),
                Data::Float(5.0),
                Data::Float(1.0),
                Data::Float(4.0),
                Data::Float(0.0)
            ]));
        let days = book.worksheet_range("Nach Tag").unwrap();
        assert!(
            days.rows()
                .skip(1)
                .any(|row| matches!(row[0], Data::DateTime(_))),
            "days are dates"
        );

        // PDF: the check report reads back with the dashboard's figures.
        let (status, kind, pdf) = download(&c.staff, &format!("{base}.pdf")).await;
        assert_eq!((status, kind.as_str()), (200, "application/pdf"));
        let text = pdf_text(&pdf);
        assert!(
            text.contains("Prüfbericht über die Unterschriften"),
            "{text}"
        );
        assert!(text.contains("Gemeinde Kalletal"));
        assert!(text.contains("GO NRW"), "the rule applied: {text}");
        assert!(text.contains("Unterschrift, Name und Amtsbezeichnung"));
        for (label, key) in [
            ("Unterschriften insgesamt", "total"),
            ("gültig", "valid"),
            ("ungültig", "invalid"),
            ("noch nicht entschieden", "pending"),
            ("davon zur Prüfung", "needs_review"),
        ] {
            let want = match key {
                "total" => 14,
                other => r[other].as_u64().unwrap(),
            };
            assert_eq!(
                pdf_figure(&text, label),
                Some(thousands(want)),
                "{label} in {text}"
            );
        }
        assert_eq!(
            pdf_figure(&text, "nicht im Melderegister"),
            Some("1".into())
        );
        assert!(text.contains("nicht erreicht"));

        // Folding the trigger-kept deltas changes no figure.
        let before = app.count("petition_status_counts").await;
        let folded = app::reports::server::compact_status_counts(&app.db)
            .await
            .unwrap();
        assert_eq!(folded as i64, before);
        assert!(app.count("petition_status_counts").await < before);
        let after = tally(&app, &slug).await;
        for key in [
            "valid",
            "invalid",
            "pending",
            "needs_review",
            "pending_confirmation",
            "confirmed",
        ] {
            assert_eq!(after[key], t[key], "{key}");
        }
        assert_eq!(after["invalid_by_reason"], t["invalid_by_reason"]);

        // Every file that left is in the audit trail.
        assert_eq!(
            app.count("audit_log WHERE action = 'tally.exported'").await,
            3
        );
    }
);

db_test!(
    exports_refuse_strangers_unknown_petitions_and_unknown_formats,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let c = cast(&app).await;
        let slug = collecting(&app, &c).await;
        let guest = new_client();
        for ext in ["csv", "xlsx", "pdf"] {
            let url = app.url(&format!("/petitions/{slug}/report.{ext}"));
            for (who, client) in [("guest", &guest), ("resident", &c.initiator)] {
                let res = client.get(&url).send().await.unwrap();
                assert_eq!(res.status(), 403, "{who} {ext}");
                let body = res.text().await.unwrap();
                assert!(!body.contains("gültig"), "nothing leaked: {body}");
            }
            let (code, body) = error_code(
                c.staff
                    .get(app.url(&format!("/petitions/gibt-es-nicht/report.{ext}")))
                    .send()
                    .await
                    .unwrap(),
            )
            .await;
            assert_eq!((code, body["error"].as_str()), (404, Some("not_found")));
        }
        // A format that does not exist has no address.
        let res = c
            .staff
            .get(app.url(&format!("/petitions/{slug}/report.odt")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        // The dashboard's data: staff only.
        for client in [&guest, &c.initiator] {
            let res = app
                .call_with(client, "tally_report", &[("slug", slug.as_str())])
                .await;
            assert!(matches!(res.status().as_u16(), 401 | 403));
        }
        let (code, _) = error_code(
            app.call_with(&c.staff, "tally_report", &[("slug", "gibt-es-nicht")])
                .await,
        )
        .await;
        assert_eq!(code, 404);
        assert_eq!(
            app.count("audit_log WHERE action = 'tally.exported'").await,
            0
        );

        // The command line: a clear message for a wrong format or petition, no file.
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("bericht.odt");
        let run = cli(
            &app,
            dir.path(),
            &[
                "export",
                "tally",
                "--petition",
                &slug,
                "--format",
                "odt",
                "--output",
                out.to_str().unwrap(),
            ],
        );
        assert!(!run.status.success());
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(err.contains("Das Format „odt“ gibt es nicht"), "{err}");
        assert!(!out.exists());
        let out = dir.path().join("bericht.pdf");
        let run = cli(
            &app,
            dir.path(),
            &[
                "export",
                "tally",
                "--petition",
                "gibt-es-nicht",
                "--format",
                "pdf",
                "--output",
                out.to_str().unwrap(),
            ],
        );
        assert!(!run.status.success());
        assert!(
            String::from_utf8_lossy(&run.stderr)
                .contains("Kein Bürgerbegehren mit dem Kurznamen „gibt-es-nicht“")
        );
        assert!(!out.exists());
        // And the files themselves, each opening as what it claims to be.
        for (format, magic) in [
            ("csv", "\u{feff}bereich;".as_bytes()),
            ("xlsx", b"PK\x03\x04".as_slice()),
            ("pdf", b"%PDF".as_slice()),
        ] {
            let out = dir.path().join(format!("bericht.{format}"));
            let run = cli(
                &app,
                dir.path(),
                &[
                    "export",
                    "tally",
                    "--petition",
                    &slug,
                    "--format",
                    format,
                    "--output",
                    out.to_str().unwrap(),
                ],
            );
            assert!(
                run.status.success(),
                "{}",
                String::from_utf8_lossy(&run.stderr)
            );
            assert!(std::fs::read(&out).unwrap().starts_with(magic), "{format}");
        }
        assert_eq!(
            app.count("audit_log WHERE action = 'tally.exported'").await,
            3
        );
    }
);

async fn admin(app: &TestApp) -> reqwest::Client {
    app.client_for("ada@kalletal.example", &[Role::Admin]).await
}

async fn audit_page(
    app: &TestApp,
    client: &reqwest::Client,
    filter: &[(&str, &str)],
) -> (u16, serde_json::Value) {
    let form: Vec<(String, &str)> = filter
        .iter()
        .map(|(k, v)| (format!("filter[{k}]"), *v))
        .collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    error_code(app.call_with(client, "admin_audit", &form).await).await
}

db_test!(
    admins_browse_filter_export_and_verify_the_audit_trail,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let c = cast(&app).await;
        let _slug = collecting(&app, &c).await;
        let ada = admin(&app).await;
        let today = crate::validation::today().format("%Y-%m-%d").to_string();

        // Everything, newest first.
        let (code, all) = audit_page(&app, &ada, &[]).await;
        assert_eq!(code, 200, "{all}");
        let rows = all["rows"].as_array().unwrap();
        assert!(rows.len() >= 4, "{all}");
        let ids: Vec<i64> = rows.iter().map(|r| r["id"].as_i64().unwrap()).collect();
        assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
        assert!(
            all["actions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a == "petition.approve_publication")
        );

        // By action prefix, by person, by day.
        let (_, petition) = audit_page(&app, &ada, &[("action", "petition.")]).await;
        let rows = petition["rows"].as_array().unwrap();
        assert!(!rows.is_empty());
        assert!(
            rows.iter()
                .all(|r| r["action"].as_str().unwrap().starts_with("petition."))
        );
        let (_, by_kim) = audit_page(&app, &ada, &[("actor", "KIM@kalletal")]).await;
        let rows = by_kim["rows"].as_array().unwrap();
        assert!(!rows.is_empty());
        assert!(
            rows.iter().all(|r| r["actor"]
                .as_str()
                .unwrap()
                .contains("kim@kalletal.example")),
            "{by_kim}"
        );
        assert!(
            rows.iter()
                .any(|r| r["action"] == "petition.approve_publication")
        );
        let (_, today_only) = audit_page(&app, &ada, &[("from", &today), ("to", &today)]).await;
        assert_eq!(today_only["total"], all["total"]);
        let (_, tomorrow) = audit_page(&app, &ada, &[("from", "2099-01-01")]).await;
        assert_eq!(tomorrow["total"], 0);

        // Bad dates: a German message at the field.
        let (code, body) = audit_page(&app, &ada, &[("from", "gestern")]).await;
        assert_eq!(code, 422);
        assert_eq!(body["fields"][0]["field"], "from");
        assert!(body.to_string().contains("ist kein Datum"));
        let (code, body) =
            audit_page(&app, &ada, &[("from", "2026-11-30"), ("to", "2026-11-01")]).await;
        assert_eq!(code, 422);
        assert_eq!(body["fields"][0]["field"], "to");

        // Only admins: staff and residents neither browse nor download nor verify.
        for client in [&c.staff, &c.initiator, &new_client()] {
            assert!(matches!(audit_page(&app, client, &[]).await.0, 401 | 403));
            assert_eq!(
                client
                    .get(app.url("/admin/audit.csv"))
                    .send()
                    .await
                    .unwrap()
                    .status(),
                403
            );
            assert!(matches!(
                app.call_with(client, "admin_audit_verify", &[])
                    .await
                    .status()
                    .as_u16(),
                401 | 403
            ));
        }

        // The CSV: filtered like the page, oldest first, with both hashes.
        let (status, _, csv) = download(&ada, &app.url("/admin/audit.csv?action=petition.")).await;
        assert_eq!(status, 200);
        let csv = String::from_utf8(csv).unwrap();
        let mut lines = csv.lines();
        assert_eq!(
            lines.next().unwrap(),
            "\u{feff}nr;zeit;akteur;aktion;bedeutung;ziel;details;vorheriger_hash;hash"
        );
        let body: Vec<&str> = lines.collect();
        assert_eq!(body.len() as u64, petition["total"].as_u64().unwrap());
        assert!(body.iter().all(|l| l.contains(";petition.")));
        assert!(body[0].contains("Bürgerbegehren angelegt"), "{}", body[0]);
        // The download itself is recorded.
        assert_eq!(
            app.count("audit_log WHERE action = 'audit.exported'").await,
            1
        );

        // The chain holds; then someone edits history directly in the database.
        let ok: serde_json::Value = app
            .call_with(&ada, "admin_audit_verify", &[])
            .await
            .json()
            .await
            .unwrap();
        assert!(ok["first_broken"].is_null(), "{ok}");
        let dir = tempfile::tempdir().unwrap();
        let run = cli(&app, dir.path(), &["audit", "verify"]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let victim: i64 = ids[ids.len() / 2];
        app.db
            .execute_unprepared(&format!(
                "UPDATE audit_log SET details = '{{\"role\":\"admin\"}}' WHERE id = {victim}"
            ))
            .await
            .unwrap();
        let run = cli(&app, dir.path(), &["audit", "verify"]);
        assert!(!run.status.success());
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(err.contains(&format!("ab Eintrag {victim}:")), "{err}");
        let broken: serde_json::Value = app
            .call_with(&ada, "admin_audit_verify", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(broken["first_broken"][0], victim);

        // The command line export writes the same columns.
        let out = dir.path().join("protokoll.csv");
        let run = cli(
            &app,
            dir.path(),
            &[
                "audit",
                "export",
                "--output",
                out.to_str().unwrap(),
                "--action",
                "role.granted",
            ],
        );
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let file = std::fs::read_to_string(&out).unwrap();
        assert!(file.starts_with("\u{feff}nr;zeit;akteur;"));
        assert!(file.lines().skip(1).all(|l| l.contains(";role.granted;")));
        let run = cli(
            &app,
            dir.path(),
            &[
                "audit",
                "export",
                "--output",
                out.to_str().unwrap(),
                "--from",
                "30.02.2026",
            ],
        );
        assert!(!run.status.success());
        assert!(String::from_utf8_lossy(&run.stderr).contains("ist kein Datum"));
    }
);
