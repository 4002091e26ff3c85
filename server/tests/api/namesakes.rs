//! Namesakes in the register: two residents with the same names and birthday (`01.01.` is
//! what registry offices enter for an unknown day) who live at different addresses are two
//! people — both are imported, both may sign, both count, and a signature that could be
//! either goes to a person with both as candidates.

use app::infra::entities::signature;
use app::petitions::server::paper_import;
use app::register::check::Status;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use server::synthetic;

use crate::helpers::{
    SIGNER, TestApp, cast, collecting, db_test, error_code, import_register as import, sign, tally,
};

const FIRST: &str =
    "Ahmadi;Ali;01.01.1990;Lange Straße;12a;32689;Kalletal;Hohenhausen;DE;01.01.2016;HW";
const SECOND: &str = "Ahmadi;Ali;01.01.1990;Talweg;3;32689;Kalletal;Talle;DE;01.06.2018;HW";

fn register_with(extra: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    synthetic::write_register(&mut out, 300).unwrap();
    for line in extra {
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out
}

/// The signer form for one of the two, with their own address and mailbox.
fn ali(
    street: &'static str,
    house: &'static str,
    email: &'static str,
) -> Vec<(&'static str, &'static str)> {
    SIGNER
        .iter()
        .map(|&(k, v)| match k {
            "family_name" => (k, "Ahmadi"),
            "given_names" => (k, "Ali"),
            "birth_date" => (k, "1990-01-01"),
            "street" => (k, street),
            "house_number" => (k, house),
            "email" => (k, email),
            _ => (k, v),
        })
        .collect()
}

async fn signatures(app: &TestApp) -> Vec<signature::Model> {
    signature::Entity::find()
        .filter(signature::Column::FamilyName.eq("Ahmadi"))
        .order_by_asc(signature::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

db_test!(namesakes_are_two_residents, |backend| async move {
    let app = TestApp::spawn(backend).await;

    // The register with both imports; the same person twice does not.
    let outcome = import(&app, &register_with(&[FIRST, SECOND]))
        .await
        .unwrap();
    assert!(outcome.succeeded(), "{:?}", outcome.bad);
    assert_eq!(outcome.rows, 302);
    assert_eq!(app.count("residents WHERE family_name = 'Ahmadi'").await, 2);
    // Line 1 is the header, the 300 synthetic residents follow: the namesakes are lines 302
    // and 303, the copies 304 (identical) and 305 (the same person, another nationality).
    let broken = register_with(&[
        FIRST,
        SECOND,
        FIRST,
        "Ahmadi;Ali;01.01.1990;Lange Str.;12 A;32689;Kalletal;Hohenhausen;DE,AF;01.01.2016;HW",
    ]);
    let failed = import(&app, &broken).await.unwrap();
    assert!(!failed.succeeded());
    assert_eq!(
        failed.bad,
        vec![
            (304, "doppelt: dieselbe Person wie in Zeile 302".to_owned()),
            (305, "doppelt: dieselbe Person wie in Zeile 302".to_owned()),
        ]
    );
    assert_eq!(
        app::register::server::signature_check::current_import(&app.db)
            .await
            .unwrap(),
        Some(outcome.import_id),
        "the register with the namesakes stays in use"
    );

    // Both sign online: neither is told the other already signed.
    let c = cast(&app).await;
    let slug = collecting(&app, &c).await;
    for (street, house, email) in [
        ("Lange Str.", "12 A", "ali.lange@example.org"),
        ("Talweg", "3", "ali.talweg@example.org"),
    ] {
        let (status, body) = sign(&app, &slug, &ali(street, house, email)).await;
        assert_eq!(status, 200, "{email}: {body}");
        let token = app.token_from_mail(email, "/petitions/confirm").await;
        let res = app.call("confirm_signature", &[("token", &token)]).await;
        assert_eq!(res.status(), 200, "{email}");
    }
    let online = signatures(&app).await;
    assert_eq!(
        online.iter().map(|s| s.status.as_str()).collect::<Vec<_>>(),
        ["valid", "valid"],
        "each namesake's signature is valid for themselves"
    );
    assert_ne!(online[0].match_key, online[1].match_key);
    assert_eq!(
        online
            .iter()
            .map(|s| s.district.as_deref())
            .collect::<Vec<_>>(),
        [Some("Hohenhausen"), Some("Talle")]
    );
    let t = tally(&app, &slug).await;
    assert_eq!(t["valid"], 2, "{t}");
    assert_eq!(t["invalid_by_reason"]["duplicate"], 0, "{t}");

    // On paper too: one line each, both count; a line without an address goes to review.
    let csv = "Blatt;Zeile;Familienname;Vornamen;Geburtsdatum;Straße;Hausnummer;PLZ;Ort;Unterschriftsdatum\n\
               1;1;Ahmadi;Ali;01.01.1990;Lange Straße;12a;32689;Kalletal;\n\
               1;2;Ahmadi;Ali;01.01.1990;Talweg;3;32689;Kalletal;\n\
               1;3;Ahmadi;Ali;01.01.1990;;;32689;Kalletal;\n";
    let report = paper_import::import(&app.db, &slug, None, csv.as_bytes())
        .await
        .unwrap();
    assert_eq!(report.refused(), 0, "{:?}", report.lines);
    let all = signatures(&app).await;
    let paper: Vec<&signature::Model> = all.iter().filter(|s| s.sheet_number.is_some()).collect();
    assert_eq!(
        paper.iter().map(|s| s.status.as_str()).collect::<Vec<_>>(),
        ["valid", "valid", "needs_review"]
    );
    // Each person's paper signature counts (paper counts in NRW); their online one is the
    // duplicate of their own, never of the namesake's.
    assert_eq!(paper[0].match_key, online[0].match_key);
    assert_eq!(paper[1].match_key, online[1].match_key);
    let t = tally(&app, &slug).await;
    assert_eq!(
        (
            t["valid_counting"].as_u64(),
            t["invalid_by_reason"]["duplicate"].as_u64(),
            t["pending"].as_u64()
        ),
        (Some(2), Some(2), Some(1)),
        "{t}"
    );

    // The reviewer sees both namesakes beside the line without an address.
    let res = app
        .call_with(&c.staff, "review_page", &[("slug", slug.as_str())])
        .await;
    assert_eq!(res.status(), 200);
    let page: serde_json::Value = res.json().await.unwrap();
    let item = &page["item"];
    assert_eq!(item["place"], "Blatt 1, Zeile 3");
    let shown: Vec<(&str, &str)> = item["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["street"].as_str().unwrap(),
                c["comparison"]["address"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(shown, [("Lange Straße", "missing"), ("Talweg", "missing")]);

    // It was the one from the Talweg, who signed on line 2 already: a duplicate of theirs.
    let talweg = &item["candidates"][1];
    let (status, body) = error_code(
        app.call_with(
            &c.staff,
            "decide_signature",
            &[
                ("slug", slug.as_str()),
                ("signature_id", item["signature_id"].to_string().as_str()),
                (
                    "decision",
                    format!("person:{}", talweg["resident_id"]).as_str(),
                ),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let all = signatures(&app).await;
    let decided = all.iter().find(|s| s.line_number == Some(3)).unwrap();
    assert_eq!(decided.match_key, online[1].match_key);
    let by_line = |line: i32| {
        all.iter()
            .find(|s| s.line_number == Some(line))
            .unwrap()
            .status
            .clone()
    };
    // The reviewer's "valid" counts for the person from the Talweg; their line 2 becomes the
    // duplicate. The namesake from the Lange Straße keeps their signature.
    assert_eq!(
        (by_line(1), by_line(2), by_line(3)),
        (
            "valid".to_owned(),
            "duplicate".to_owned(),
            "valid".to_owned()
        )
    );
    assert_eq!(Status::parse(&by_line(1)), Some(Status::Valid));
    let t = tally(&app, &slug).await;
    assert_eq!(t["valid_counting"], 2, "{t}");
});
