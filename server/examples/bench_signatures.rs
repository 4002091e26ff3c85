//! `make bench`: signatures accepted and confirmed per second, on SQLite and PostgreSQL, and
//! the cost of reading the tally of a petition with 1,000,000 signatures.
//!
//! Runs the real services (parsing excluded, database, outbox and counters included) with
//! many requests in flight, as a burst of signers would. PostgreSQL at 127.0.0.1:5432 (or
//! `TEST_POSTGRES_URL`); each run creates and drops its own database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::accounts::domain::{DisplayName, EmailAddress, NewPassword, Role};
use app::accounts::server as accounts;
use app::infra::AppConfig;
use app::infra::AppState;
use app::infra::auth::SessionUser;
use app::infra::mail::Mailer;
use app::petitions::Figures;
use app::petitions::draft::{Draft, DraftInput, RepresentativeInput, StepAction};
use app::petitions::rules::{State, german_date, rule_set};
use app::petitions::server::municipality;
use app::petitions::server::procedure as petitions;
use app::petitions::server::signatures;
use app::petitions::signer::{OnlineSignature, SignerInput};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use secrecy::SecretSlice;

const SIGNERS: usize = 4_000;
const IN_FLIGHT: usize = 32;
const MILLION: u64 = 1_000_000;

async fn state(db: DatabaseConnection) -> AppState {
    AppState {
        leptos_options: leptos::prelude::LeptosOptions::builder()
            .output_name("dorfplatz")
            .build(),
        db,
        config: Arc::new(AppConfig {
            public_url: url::Url::parse("http://127.0.0.1:3000").unwrap(),
            secret_key: SecretSlice::from(vec![7u8; 32]),
            mail_from: "Dorfplatz <bench@dorfplatz.example>".into(),
            trust_forwarded_for: false,
            files_dir: std::env::temp_dir().join("dorfplatz-bench-files"),
            staging_dir: std::env::temp_dir().join("dorfplatz-bench-staging"),
            signature_retention_days: 180,
        }),
        limits: Arc::new(app::infra::rate_limit::RateLimits::new(
            u32::MAX,
            &[7u8; 32],
        )),
        mailer: Mailer::memory(),
    }
}

async fn petition(app: &AppState) -> String {
    let db = &app.db;
    let today = german_date(chrono::Utc::now());
    municipality::update(
        db,
        None,
        &Figures {
            state: State::NordrheinWestfalen,
            population: Some(13_904),
            eligible_citizens: Some(11_387),
            eligible_source: "Bench".into(),
            eligible_reference_date: chrono::NaiveDate::from_ymd_opt(2025, 9, 14),
        },
    )
    .await
    .unwrap();
    let password = NewPassword::parse("bench-passwort").unwrap();
    let mut users = Vec::new();
    for (email, roles) in [
        ("staff@bench.example", vec![Role::Staff]),
        ("ini@bench.example", vec![]),
    ] {
        let id = accounts::create_confirmed(
            db,
            &EmailAddress::parse(email).unwrap(),
            &DisplayName::parse("Bench").unwrap(),
            &password,
            &roles,
        )
        .await
        .unwrap();
        users.push(SessionUser {
            id,
            session_id: 0,
            email: email.into(),
            display_name: "Bench".into(),
            roles,
            blocked: false,
            two_factor: false,
        });
    }
    let rules = rule_set(State::NordrheinWestfalen, today).unwrap();
    let draft = Draft::parse(
        &DraftInput {
            title: "Bench".into(),
            question: "Soll gemessen werden?".into(),
            justification: "Weil Zahlen zählen.".into(),
            kind: "initiating".into(),
            representatives: vec![RepresentativeInput {
                name: "Anna Bench".into(),
                address: "Weg 1, 32689 Kalletal".into(),
                email: String::new(),
            }],
            ..Default::default()
        },
        rules,
        today,
    )
    .unwrap();
    let slug = petitions::create_draft(db, users[1].id, &draft, rules, None)
        .await
        .unwrap();
    let base = "http://127.0.0.1:3000";
    petitions::take_step(
        db,
        base,
        Some(&users[1]),
        &slug,
        &StepAction::RequestCostEstimate,
    )
    .await
    .unwrap();
    petitions::take_step(
        db,
        base,
        Some(&users[0]),
        &slug,
        &StepAction::EnterCostEstimate {
            cost_estimate: "Keine.".into(),
        },
    )
    .await
    .unwrap();
    petitions::take_step(
        db,
        base,
        Some(&users[0]),
        &slug,
        &StepAction::ApprovePublication,
    )
    .await
    .unwrap();
    slug
}

/// Letters only, as names must be: the n-th person's family name.
fn family(n: usize) -> String {
    let mut s = String::from("Bench");
    let mut n = n;
    loop {
        s.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            return s;
        }
    }
}

async fn run_in_flight<F, Fut>(count: usize, f: F) -> Duration
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let f = Arc::new(f);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let start = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..IN_FLIGHT {
        let f = f.clone();
        let next = next.clone();
        workers.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= count {
                    break;
                }
                f(i).await;
            }
        }));
    }
    for w in workers {
        w.await.unwrap();
    }
    start.elapsed()
}

async fn bench(name: &str, url: &str) {
    let db = server::startup::connect_and_migrate(url).await.unwrap();
    // The audit chain is keyed; a benchmark has its own key.
    app::infra::audit::init_key(b"dorfplatz benchmark audit key");
    let app = state(db.clone()).await;
    let slug = petition(&app).await;
    let today = german_date(chrono::Utc::now());

    // 1. Signing: pending signature, confirmation mail in the outbox.
    let signed = {
        let app = app.clone();
        let slug = slug.clone();
        run_in_flight(SIGNERS, move |i| {
            let app = app.clone();
            let slug = slug.clone();
            async move {
                let s = OnlineSignature::parse(
                    &SignerInput {
                        family_name: family(i),
                        given_names: "Anna".into(),
                        birth_date: "1980-05-17".into(),
                        street: "Lindenweg".into(),
                        house_number: "3".into(),
                        postal_code: "32689".into(),
                        city: "Kalletal".into(),
                    },
                    // One mailbox per signer: an address gets few confirmation mails a day.
                    &format!("bench{i}@example.org"),
                    true,
                    false,
                    today,
                )
                .unwrap();
                signatures::sign(&app, &slug, &s).await.unwrap();
            }
        })
        .await
    };

    // 2. Confirming: the counters move, the receipt with the personal sheet (PDF) is queued.
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT body_text FROM outbox WHERE subject = 'Bitte bestätigen Sie Ihre Unterschrift'",
        ))
        .await
        .unwrap();
    let tokens: Vec<String> = rows
        .iter()
        .map(|r| {
            let text: String = r.try_get("", "body_text").unwrap();
            text.split("token=")
                .nth(1)
                .unwrap()
                .split_whitespace()
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(tokens.len(), SIGNERS);
    let tokens = Arc::new(tokens);
    let confirmed = {
        let app = app.clone();
        let tokens = tokens.clone();
        run_in_flight(SIGNERS, move |i| {
            let app = app.clone();
            let tokens = tokens.clone();
            async move {
                signatures::confirm(&app, &tokens[i]).await.unwrap();
            }
        })
        .await
    };
    let p = petitions::find_by_slug(&db, &slug).await.unwrap();
    let t = signatures::tally(&db, &p).await.unwrap();
    assert_eq!(t.confirmed, SIGNERS as u64);

    // 3. A million paper signatures, written in bulk, and their counters.
    let started = Instant::now();
    let fill = match db.get_database_backend() {
        DbBackend::Postgres => format!(
            "INSERT INTO signatures (petition_id, channel, status, family_name, given_names, birth_date, street, house_number, postal_code, city, identity_key, dedup_key, notify, created_at, counted_on)
             SELECT {id}, 'paper', 'unchecked', 'Name' || g, 'Anna', DATE '1970-01-01', 'Weg', '1', '32689', 'Kalletal', 'k' || g, 'k' || g, false, now(), DATE '2026-09-01' + (g % 60)
             FROM generate_series(1, {MILLION}) g",
            id = p.id
        ),
        _ => format!(
            "INSERT INTO signatures (petition_id, channel, status, family_name, given_names, birth_date, street, house_number, postal_code, city, identity_key, dedup_key, notify, created_at, counted_on)
             WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < {MILLION})
             SELECT {id}, 'paper', 'unchecked', 'Name' || x, 'Anna', '1970-01-01', 'Weg', '1', '32689', 'Kalletal', 'k' || x, 'k' || x, 0, '2026-11-30 00:00:00+00:00', date('2026-09-01', '+' || (x % 60) || ' days')
             FROM g",
            id = p.id
        ),
    };
    db.execute_unprepared(&fill).await.unwrap();
    db.execute_unprepared(&format!(
        "INSERT INTO petition_counts (petition_id, day, channel, shard, n)
         SELECT petition_id, counted_on, 'paper', 0, COUNT(*) FROM signatures WHERE petition_id = {} AND channel = 'paper' GROUP BY petition_id, counted_on",
        p.id
    ))
    .await
    .unwrap();
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("ANALYZE").await.unwrap();
    }
    let filled = started.elapsed();
    // Every status change leaves a delta row that the minute job folds (the bulk insert left
    // a million): the first read before that job scans them all, every read after it a few.
    let started = Instant::now();
    signatures::tally(&db, &p).await.unwrap();
    let unfolded = started.elapsed();
    let started = Instant::now();
    app::reports::server::compact_status_counts(&db)
        .await
        .unwrap();
    let folded_in = started.elapsed();

    let rounds = 200;
    let started = Instant::now();
    let mut t = signatures::tally(&db, &p).await.unwrap();
    for _ in 1..rounds {
        t = signatures::tally(&db, &p).await.unwrap();
    }
    let tally_each = started.elapsed() / rounds;
    assert_eq!(t.confirmed, MILLION + SIGNERS as u64);
    let started = Instant::now();
    let days = signatures::per_day(&db, p.id).await.unwrap();
    let per_day = started.elapsed();
    assert_eq!(
        days.iter().map(|d| d.count).sum::<u64>(),
        MILLION + SIGNERS as u64
    );
    let started = Instant::now();
    db.query_one_raw(Statement::from_string(
        db.get_database_backend(),
        format!(
            "SELECT COUNT(*) FROM signatures WHERE petition_id = {} AND status = 'unchecked'",
            p.id
        ),
    ))
    .await
    .unwrap();
    let scan = started.elapsed();

    let rate = |d: Duration| SIGNERS as f64 / d.as_secs_f64();
    println!("{name}:");
    println!(
        "  signing:    {SIGNERS} signatures, {IN_FLIGHT} in flight: {:>7.0} signatures/s",
        rate(signed)
    );
    println!(
        "  confirming: {SIGNERS} links, {IN_FLIGHT} in flight:      {:>7.0} confirmations/s (receipt PDF included)",
        rate(confirmed)
    );
    println!(
        "  1,000,000 more signatures written in bulk in {:.1} s",
        filled.as_secs_f64()
    );
    println!(
        "  tally before the minute job folded the million status deltas: {:.1} ms (folding: {:.1} s)",
        unfolded.as_secs_f64() * 1000.0,
        folded_in.as_secs_f64()
    );
    println!(
        "  tally of {} signatures: {:.2} ms per read (counters; average of {rounds})",
        t.confirmed,
        tally_each.as_secs_f64() * 1000.0
    );
    println!(
        "  signatures per day ({} days): {:.2} ms",
        days.len(),
        per_day.as_secs_f64() * 1000.0
    );
    println!(
        "  for comparison, COUNT(*) over the signatures: {:.1} ms",
        scan.as_secs_f64() * 1000.0
    );
    db.close().await.unwrap();
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    bench(
        "SQLite (file, WAL)",
        &format!("sqlite://{}/bench.db", dir.path().display()),
    )
    .await;

    support::with_postgres("dorfplatz_bench", |url| async move {
        bench("PostgreSQL", &url).await
    })
    .await;
}
