//! Importing the resident register: atomic replacement, every bad line reported, encodings.

use app::register::server::import as register;
use server::synthetic;

use crate::helpers::{TestApp, db_test, import_register as import, register_file};

db_test!(
    a_register_is_replaced_only_by_a_faultless_import,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let first = import(&app, &register_file(2_500)).await.unwrap();
        assert!(first.succeeded());
        assert_eq!(first.rows, 2_500);
        assert_eq!(app.count("residents").await, 2_500);
        // Eligibility under NRW today: counted by the same rules, line by line.
        let today = app::petitions::rules::german_date(chrono::Utc::now());
        let nrw = app::petitions::rules::rule_set(
            app::petitions::rules::State::NordrheinWestfalen,
            today,
        )
        .unwrap();
        let expected = (0..2_500)
            .filter(|i| {
                let line = synthetic::register_line(*i);
                let fields: Vec<&str> = line.split(';').collect();
                nrw.check_eligibility(
                    &app::register::record::parse(&fields).unwrap().facts(),
                    today,
                )
                .is_ok()
            })
            .count() as u64;
        assert_eq!(first.eligible, expected);
        assert!(expected > 1_000 && expected < 2_500, "{expected}");

        // A file with bad lines changes nothing and names every bad line.
        let mut bad = String::from_utf8(register_file(20)).unwrap();
        bad.push_str("Neu;Nina;31.02.1990;Weg;1;32689;Kalletal;Talle;DE;01.01.2000;HW\n");
        bad.push_str(&synthetic::register_line(3));
        bad.push('\n');
        bad.push_str("Kurz;Zeile\n");
        bad.push_str(
            "Gast;Gerd;01.01.1970;Weg;2;32689;Kalletal;Talle;XYZ;01.01.2000;Zweitwohnung\n",
        );
        let failed = import(&app, bad.as_bytes()).await.unwrap();
        assert!(!failed.succeeded());
        assert_eq!(failed.bad_count, 4);
        let lines: Vec<u64> = failed.bad.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![22, 23, 24, 25]);
        assert!(failed.bad[0].1.contains("Geburtsdatum „31.02.1990“"));
        assert_eq!(failed.bad[1].1, "doppelt: dieselbe Person wie in Zeile 5");
        assert_eq!(failed.bad[2].1, "2 statt 11 Spalten");
        assert!(
            failed.bad[3].1.contains("Staatsangehörigkeit „XYZ“")
                && failed.bad[3].1.contains("Zweitwohnung")
        );
        assert_eq!(
            app.count("residents").await,
            2_500,
            "the previous register stays"
        );
        assert_eq!(
            app::register::server::signature_check::current_import(&app.db)
                .await
                .unwrap()
                .unwrap(),
            first.import_id
        );

        // Wrong header, empty file: refused, nothing changes.
        let err = import(&app, b"Name;Vorname\nA;B\n").await.unwrap_err();
        assert!(
            err.field_message("file")
                .unwrap()
                .contains("Familienname;Vornamen;Geburtsdatum")
        );
        let err = import(&app, b"").await.unwrap_err();
        assert!(err.field_message("file").unwrap().contains("leer"));
        assert_eq!(app.count("residents").await, 2_500);

        // A good file replaces the register.
        let second = import(&app, &register_file(10)).await.unwrap();
        assert!(second.succeeded());
        assert_eq!(app.count("residents").await, 10);
        assert_eq!(
            app::register::server::signature_check::current_import(&app.db)
                .await
                .unwrap()
                .unwrap(),
            second.import_id
        );
        assert_eq!(
            app.count("audit_log WHERE action = 'register.imported'")
                .await,
            2
        );
        assert_eq!(
            app.count("audit_log WHERE action = 'register.import_failed'")
                .await,
            3
        );

        assert_eq!(register::purge(&app.db, None).await.unwrap(), 10);
        assert_eq!(app.count("residents").await, 0);
        assert!(
            app::register::server::signature_check::current_import(&app.db)
                .await
                .unwrap()
                .is_none()
        );
    }
);

db_test!(windows_1252_files_are_detected, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let text = format!(
        "{}\nMüller;Jürgen;03.02.1961;Straße am Bach;12 a;32689;Kalletal;Lüdenhausen;DE;01.01.1990;HW\n",
        synthetic::HEADER
    );
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    let outcome = import(&app, &bytes).await.unwrap();
    assert_eq!(
        outcome.encoding,
        app::register::record::Encoding::Windows1252
    );
    assert!(outcome.succeeded(), "{:?}", outcome.bad);
    use app::infra::entities::resident;
    use sea_orm::EntityTrait;
    let r = resident::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            r.family_name.as_str(),
            r.street.as_str(),
            r.district.as_str()
        ),
        ("Müller", "Straße am Bach", "Lüdenhausen")
    );
    assert_eq!(
        r.family_key,
        app::petitions::matching::normalize_name("Mueller")
    );
    // Forced as UTF-8, the same bytes are refused with a hint, not a crash.
    let err = register::import(
        &app.db,
        None,
        "x.csv",
        0,
        &bytes[..],
        Some(app::register::record::Encoding::Utf8),
        |_| {},
    )
    .await
    .unwrap_err();
    assert!(err.field_message("file").unwrap().contains("Windows-1252"));
    assert_eq!(app.count("residents").await, 1);
});
