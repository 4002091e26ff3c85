//! Nobody learns who signed: the signing form, the confirmation, the receipt and every mail a
//! signer gets are the same whether or not that person had signed before; duplicates are
//! decided at confirmation and recorded for staff only; an unconfirmed signature blocks
//! nobody; an address gets few confirmation mails a day.

use app::infra::entities::signature;
use app::infra::mail::SentMail;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::helpers::{SIGNER, TestApp, cast, cli, collecting, db_test, new_client, step, tally};

/// The signer form of the fixture's person under another family name (a spelling of the
/// same name, or another person) and mailbox.
fn signer(family: &'static str, email: &'static str) -> Vec<(&'static str, &'static str)> {
    SIGNER
        .iter()
        .map(|&(k, v)| match k {
            "family_name" => (k, family),
            "email" => (k, email),
            _ => (k, v),
        })
        .collect()
}

/// A server function's answer as the caller gets it: status and body, byte for byte.
async fn raw(app: &TestApp, endpoint: &str, form: &[(&str, &str)]) -> (u16, Vec<u8>) {
    let res = app.call_with(&new_client(), endpoint, form).await;
    (res.status().as_u16(), res.bytes().await.unwrap().to_vec())
}

async fn sign_raw(app: &TestApp, slug: &str, form: &[(&str, &str)]) -> (u16, Vec<u8>) {
    let mut all = vec![("slug", slug)];
    all.extend_from_slice(form);
    raw(app, "sign_petition", &all).await
}

/// `text` with whatever follows each `marker` up to a space, quote or tag blanked: the
/// single-use tokens and sheet codes that differ in every mail.
fn blank(text: &str, marker: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        out.push_str(&rest[..at + marker.len()]);
        rest = &rest[at + marker.len()..];
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '&' | ')' | ':'))
            .unwrap_or(rest.len());
        out.push('…');
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// What a reader of the mail sees, tokens and codes aside.
fn shape(m: &SentMail) -> (String, String, String, Vec<String>) {
    let plain = |t: &str| blank(&blank(t, "token="), "Bogencode ");
    (
        m.subject.clone(),
        plain(&m.text),
        plain(&m.html),
        m.attachments.clone(),
    )
}

/// Opens the confirmation link mailed to `email` and presses its button.
async fn confirm_by_mail(app: &TestApp, email: &str) -> (u16, Vec<u8>) {
    let token = app.token_from_mail(email, "/petitions/confirm").await;
    raw(app, "confirm_signature", &[("token", &token)]).await
}

async fn receipt_token(app: &TestApp, email: &str) -> String {
    app.token_from_mail(email, "/petitions/receipt").await
}

async fn last_mail(app: &TestApp, to: &str) -> SentMail {
    app.mail_to(to).await.pop().unwrap()
}

async fn status_of(app: &TestApp, email: &str) -> String {
    signature::Entity::find()
        .filter(signature::Column::Email.eq(email))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .status
}

db_test!(
    a_signer_learns_nothing_about_anyone_elses_signature,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let c = cast(&app).await;
        let slug = collecting(&app, &c).await;

        // Anna signs and confirms.
        assert_eq!(sign_raw(&app, &slug, SIGNER).await.0, 200);
        assert_eq!(confirm_by_mail(&app, "anna@example.org").await.0, 200);

        // A probe with Anna's data (her name spelled otherwise) and someone who never
        // signed get the same answer, byte for byte, and the same mail.
        let probe = sign_raw(&app, &slug, &signer("MUELLER", "probe@example.org")).await;
        let fresh = sign_raw(&app, &slug, &signer("Schulz", "schulz@example.org")).await;
        assert_eq!(probe.0, 200);
        assert_eq!(probe, fresh);
        let (probe_mail, fresh_mail) = (
            last_mail(&app, "probe@example.org").await,
            last_mail(&app, "schulz@example.org").await,
        );
        assert_eq!(probe_mail.subject, "Bitte bestätigen Sie Ihre Unterschrift");
        assert_eq!(shape(&probe_mail), shape(&fresh_mail));

        // Confirming: the same answer, the same receipt with a personal sheet, the same
        // receipt page.
        let probe = confirm_by_mail(&app, "probe@example.org").await;
        let fresh = confirm_by_mail(&app, "schulz@example.org").await;
        assert_eq!(probe.0, 200);
        assert_eq!(probe, fresh);
        let (probe_mail, fresh_mail) = (
            last_mail(&app, "probe@example.org").await,
            last_mail(&app, "schulz@example.org").await,
        );
        assert_eq!(probe_mail.subject, "Ihre Unterschrift ist bestätigt");
        assert_eq!(probe_mail.attachments.len(), 1, "the personal sheet");
        assert_eq!(shape(&probe_mail), shape(&fresh_mail));
        let probe_receipt = receipt_token(&app, "probe@example.org").await;
        let fresh_receipt = receipt_token(&app, "schulz@example.org").await;
        let probe = raw(&app, "get_receipt", &[("token", &probe_receipt)]).await;
        let fresh = raw(&app, "get_receipt", &[("token", &fresh_receipt)]).await;
        assert_eq!(probe.0, 200);
        assert_eq!(probe, fresh);
        for token in [&probe_receipt, &fresh_receipt] {
            let res = reqwest::get(app.url(&format!("/petitions/receipt/sheet.pdf?token={token}")))
                .await
                .unwrap();
            assert_eq!(res.headers()["content-type"], "application/pdf");
        }

        // Staff see what happened: the probe is a duplicate, Anna's signature counts.
        assert_eq!(status_of(&app, "anna@example.org").await, "unchecked");
        assert_eq!(status_of(&app, "probe@example.org").await, "duplicate");
        assert_eq!(status_of(&app, "schulz@example.org").await, "unchecked");
        assert_eq!(tally(&app, &slug).await["confirmed"], 2);

        // The probe can still withdraw "its" signature; Anna's keeps counting.
        assert_eq!(
            raw(&app, "withdraw_signature", &[("token", &probe_receipt)])
                .await
                .0,
            200
        );
        assert_eq!(tally(&app, &slug).await["confirmed"], 2);

        // A dump of the outbox holds no usable link and no personal sheet once sent.
        app.deliver_mail().await;
        assert!(app.count("outbox").await >= 7);
        assert_eq!(
            app.count(
                "outbox WHERE (body_text LIKE '%token=%' AND body_text NOT LIKE '%token=[entfernt]%') \
                 OR attachments IS NOT NULL"
            )
            .await,
            0
        );
    }
);

db_test!(
    an_unconfirmed_signature_blocks_nobody,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let c = cast(&app).await;
        let slug = collecting(&app, &c).await;

        // Someone signs in Anna's name and never confirms; Anna signs and confirms.
        assert_eq!(
            sign_raw(&app, &slug, &signer("Müller", "mallory@example.org"))
                .await
                .0,
            200
        );
        assert_eq!(sign_raw(&app, &slug, SIGNER).await.0, 200);
        assert_eq!(confirm_by_mail(&app, "anna@example.org").await.0, 200);
        assert_eq!(status_of(&app, "anna@example.org").await, "unchecked");
        assert_eq!(tally(&app, &slug).await["confirmed"], 1);

        // The other link, confirmed late, only adds a duplicate for staff.
        assert_eq!(confirm_by_mail(&app, "mallory@example.org").await.0, 200);
        assert_eq!(status_of(&app, "mallory@example.org").await, "duplicate");
        assert_eq!(tally(&app, &slug).await["confirmed"], 1);

        // The receipt link lives as long as the procedure.
        let receipt = receipt_token(&app, "anna@example.org").await;
        assert_eq!(
            raw(&app, "get_receipt", &[("token", &receipt)]).await.0,
            200
        );
        assert_eq!(
            step(&app, &c.initiator, &slug, &[("step", "withdraw")])
                .await
                .0,
            200
        );
        let (status, body) = raw(&app, "get_receipt", &[("token", &receipt)]).await;
        assert_eq!(status, 422);
        assert!(String::from_utf8_lossy(&body).contains("link_invalid"));
    }
);

db_test!(
    an_address_gets_few_confirmation_mails_and_no_answer_says_so,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let c = cast(&app).await;
        let slug = collecting(&app, &c).await;
        let mut answers = Vec::new();
        for family in ["Müller", "Schulz", "Meier", "Becker", "Wagner"] {
            answers.push(sign_raw(&app, &slug, &signer(family, "viel@example.org")).await);
        }
        assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
        assert_eq!(answers[0].0, 200);
        let mails = app.mail_to("viel@example.org").await;
        assert_eq!(
            mails.len() as u64,
            app::petitions::server::signatures::MAILS_PER_ADDRESS_AND_PETITION
        );
        assert_eq!(app.count("signatures").await, mails.len() as i64);
        // Another mailbox is not affected.
        assert_eq!(sign_raw(&app, &slug, SIGNER).await.0, 200);
        assert_eq!(app.mail_to("anna@example.org").await.len(), 1);
    }
);

/// Appends one entry in a transaction of its own, as every change does.
async fn append(db: &sea_orm::DatabaseConnection, n: usize) {
    use app::infra::audit::{Entry, append};
    let tx = app::infra::db::begin_write(db).await.unwrap();
    append(
        &tx,
        Entry {
            actor_id: None,
            action: "test.appended",
            target_type: "test",
            target_id: Some(n.to_string()),
            details: serde_json::json!({ "n": n }),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// The unkeyed SHA-256 of an audit entry, as the chain was before it had a key (and as
/// someone without the key would recompute it).
fn unkeyed_hash(
    prev: &str,
    at: chrono::DateTime<chrono::Utc>,
    actor: Option<i64>,
    action: &str,
    target_type: &str,
    target_id: &str,
    details: &str,
) -> String {
    use sha2::Digest;
    let mut bytes = Vec::new();
    for part in [
        prev.to_owned(),
        at.timestamp_micros().to_string(),
        actor.map(|a| a.to_string()).unwrap_or_default(),
        action.to_owned(),
        target_type.to_owned(),
        target_id.to_owned(),
        details.to_owned(),
    ] {
        bytes.extend_from_slice(&(part.len() as u64).to_be_bytes());
        bytes.extend_from_slice(part.as_bytes());
    }
    hex::encode(sha2::Sha256::digest(&bytes))
}

/// Writes an entry as the audit trail did before it was keyed.
async fn append_unkeyed(app: &TestApp, prev: &str, n: usize, hash: Option<&str>) -> String {
    use app::infra::entities::audit_log;
    use chrono::SubsecRound;
    use sea_orm::{ActiveValue::Set, EntityTrait};
    let at = chrono::Utc::now().trunc_subsecs(6);
    let (target, details) = (n.to_string(), format!("{{\"n\":{n}}}"));
    let hash = hash
        .map(str::to_owned)
        .unwrap_or_else(|| unkeyed_hash(prev, at, None, "test.legacy", "test", &target, &details));
    audit_log::Entity::insert(audit_log::ActiveModel {
        at: Set(at),
        actor_id: Set(None),
        action: Set("test.legacy".into()),
        target_type: Set("test".into()),
        target_id: Set(Some(target)),
        details: Set(details),
        prev_hash: Set(prev.to_owned()),
        hash: Set(hash.clone()),
        ..Default::default()
    })
    .exec(&app.db)
    .await
    .unwrap();
    hash
}

db_test!(
    a_trail_from_before_the_key_is_sealed_at_start,
    |backend| async move {
        use app::infra::audit;
        let app = TestApp::spawn(backend).await;
        let mut prev = audit::GENESIS.to_owned();
        for n in 0..3 {
            prev = append_unkeyed(&app, &prev, n, None).await;
        }
        // Unkeyed throughout: someone could have rewritten it all.
        let v = audit::verify(&app.db, None).await.unwrap();
        assert_eq!(v.checked, 3);
        assert_eq!(
            v.first_broken.map(|b| b.1),
            Some("kein Eintrag ist mit dem Schlüssel gesichert (anderer Schlüssel?)")
        );
        // The start seals it once; then it verifies, and a second start adds nothing.
        assert!(audit::seal_head(&app.db).await.unwrap());
        assert!(audit::seal_head(&app.db).await.unwrap());
        let v = audit::verify(&app.db, None).await.unwrap();
        assert_eq!((v.checked, v.first_broken), (4, None));
        assert_eq!(app.count("audit_log WHERE action = 'audit.keyed'").await, 1);
        // A head that fits neither the key nor the unkeyed hash is not sealed over.
        let foreign = "f".repeat(64);
        let head: String = {
            use app::infra::entities::audit_log;
            use sea_orm::{EntityTrait, QueryOrder};
            audit_log::Entity::find()
                .order_by_desc(audit_log::Column::Id)
                .one(&app.db)
                .await
                .unwrap()
                .unwrap()
                .hash
        };
        append_unkeyed(&app, &head, 9, Some(&foreign)).await;
        assert!(!audit::seal_head(&app.db).await.unwrap());
        assert_eq!(app.count("audit_log").await, 5);
    }
);

db_test!(
    the_audit_chain_holds_under_load_and_needs_its_key,
    |backend| async move {
        use app::infra::audit::{self, Anchor};
        use sea_orm::ConnectionTrait;
        let app = TestApp::spawn(backend).await;

        // Many writers at once: one chain, no fork, verify stays green.
        let tasks: Vec<_> = (0..40)
            .map(|n| {
                let db = app.db.clone();
                tokio::spawn(async move { append(&db, n).await })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        let v = audit::verify(&app.db, None).await.unwrap();
        assert_eq!((v.checked, v.first_broken), (40, None));

        // An anchor names the head; verify with it passes, with another hash it fails.
        let name = "Kalletal";
        let anchor = audit::anchor(&app.db, Some("archiv@kalletal.example"), name, false)
            .await
            .unwrap()
            .unwrap();
        let mail = last_mail(&app, "archiv@kalletal.example").await;
        assert!(mail.text.contains(&anchor.text()), "{}", mail.text);
        let (position, hash) = Anchor::parse(&anchor.text()).unwrap();
        let v = audit::verify(&app.db, Some((position, &hash)))
            .await
            .unwrap();
        assert_eq!(v.first_broken, None);
        let other = "0".repeat(64);
        let v = audit::verify(&app.db, Some((position, &other)))
            .await
            .unwrap();
        assert_eq!(v.first_broken.map(|b| b.0), Some(position));
        // The daily job does not anchor twice in a day.
        assert_eq!(
            audit::anchor(&app.db, None, name, true).await.unwrap(),
            None
        );
        // The same on the command line: `audit anchor` prints one, `verify --anchor` checks it.
        let dir = tempfile::tempdir().unwrap();
        let run = cli(&app, dir.path(), &["audit", "anchor"]);
        let out = String::from_utf8_lossy(&run.stdout).into_owned();
        assert!(run.status.success(), "{out}");
        let printed = out
            .split_whitespace()
            .find(|w| Anchor::parse(w).is_some())
            .unwrap_or_else(|| panic!("no anchor in {out}"))
            .to_owned();
        let run = cli(&app, dir.path(), &["audit", "verify", "--anchor", &printed]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let (position, _) = Anchor::parse(&printed).unwrap();
        let forged = format!("{position}:{other}");
        let run = cli(&app, dir.path(), &["audit", "verify", "--anchor", &forged]);
        assert!(!run.status.success());
        assert!(String::from_utf8_lossy(&run.stderr).contains("weicht vom Anker ab"));
        let run = cli(
            &app,
            dir.path(),
            &["audit", "verify", "--anchor", "12:zu-kurz"],
        );
        assert!(String::from_utf8_lossy(&run.stderr).contains("POSITION:HASH"));

        // Whoever edits a row and recomputes its hash without the key is found.
        let row = app
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                app.db.get_database_backend(),
                "SELECT id, at, prev_hash, target_id FROM audit_log \
                 WHERE action = 'test.appended' ORDER BY id LIMIT 1 OFFSET 5",
            ))
            .await
            .unwrap()
            .unwrap();
        let id: i64 = row.try_get("", "id").unwrap();
        let at: chrono::DateTime<chrono::Utc> = row.try_get("", "at").unwrap();
        let prev: String = row.try_get("", "prev_hash").unwrap();
        let target: String = row.try_get("", "target_id").unwrap();
        let details = r#"{"n":700}"#;
        let unkeyed = unkeyed_hash(&prev, at, None, "test.appended", "test", &target, details);
        app.db
            .execute_unprepared(&format!(
                "UPDATE audit_log SET details = '{details}', hash = '{unkeyed}' WHERE id = {id}"
            ))
            .await
            .unwrap();
        let v = audit::verify(&app.db, None).await.unwrap();
        assert_eq!(v.first_broken.map(|b| b.0), Some(id));

        // A second entry naming the same predecessor (a fork) is refused by the database.
        let fork = app
            .db
            .execute_unprepared(
                "INSERT INTO audit_log (at, action, target_type, details, prev_hash, hash) \
                 SELECT at, action, target_type, details, prev_hash, hash FROM audit_log \
                 WHERE id = 1",
            )
            .await;
        assert!(fork.is_err(), "a fork must not be written");
    }
);

#[test]
fn a_public_site_refuses_mail_files_and_demo_data() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_dorfplatz"))
            .args(args)
            .env("DATABASE_URL", "sqlite://:memory:")
            .env("DORFPLATZ_DATA_DIR", dir.path())
            .env("PUBLIC_URL", "https://beteiligung.kalletal.de")
            .env_remove("SMTP_URL")
            .output()
            .unwrap()
    };
    let demo = run(&["demo"]);
    assert!(!demo.status.success());
    assert!(String::from_utf8_lossy(&demo.stderr).contains("Demo-Daten"));
    let serve = run(&["serve"]);
    assert!(!serve.status.success());
    assert!(String::from_utf8_lossy(&serve.stderr).contains("SMTP_URL fehlt"));
}

db_test!(pages_and_answers_are_never_cached, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let page = reqwest::get(app.url("/")).await.unwrap();
    assert_eq!(page.headers()["cache-control"], "no-store");
    let api = app.call("me", &[]).await;
    assert_eq!(api.headers()["cache-control"], "no-store");
    // Over http (development) the browser is not told to insist on https.
    assert!(page.headers().get("strict-transport-security").is_none());
});
