//! `make bench`: importing a synthetic register of 1,000,000 residents into SQLite and
//! PostgreSQL – rows per second and the peak memory of the process – and then checking
//! 100,000 paper signatures against it (validations per second).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

// The allocator of the `dorfplatz` binary, in which the check runs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::Instant;

use app::infra::entities::signature;
use app::petitions::server::procedure as petitions;
use app::register::check::SignedData;
use app::register::server::import as register;
use app::register::server::review;
use app::register::server::signature_check as validation;
use app::register::server::synthetic;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use server::demo;

const ROWS: u64 = 1_000_000;
const SIGNATURES: u64 = 100_000;

/// The j-th paper signature: a resident of the register, written as people write; every
/// tenth with a typing error in the family name, every twentieth without a date of birth,
/// every twenty-fifth by someone not in the register.
fn paper_signature(petition_id: i64, j: u64) -> signature::ActiveModel {
    let line = synthetic::register_line(j * 9);
    let f: Vec<&str> = line.split(';').collect();
    let r = app::register::record::parse(&f).unwrap();
    let mut s = SignedData {
        family_name: r.family_name,
        given_names: r.given_names.split_whitespace().next().unwrap().to_owned(),
        birth_date: Some(r.birth_date),
        street: r.street.replace("straße", "str."),
        house_number: r.house_number.to_uppercase(),
        postal_code: r.postal_code,
        city: r.city,
    };
    if j.is_multiple_of(10) {
        s.family_name = with_extra_letter(&s.family_name);
    } else if j % 20 == 1 {
        s.birth_date = None;
    } else if j % 25 == 2 {
        s.family_name = format!("Unbekannt{}", ["a", "b", "c"][(j % 3) as usize]);
    }
    signature::ActiveModel {
        petition_id: Set(petition_id),
        channel: Set("paper".into()),
        status: Set("unchecked".into()),
        identity_key: Set(format!("bench|{j}")),
        family_name: Set(s.family_name),
        given_names: Set(s.given_names),
        birth_date: Set(s.birth_date),
        street: Set(s.street),
        house_number: Set(s.house_number),
        postal_code: Set(s.postal_code),
        city: Set(s.city),
        sheet_number: Set(Some((1_000 + j / 10) as i32)),
        line_number: Set(Some((j % 10 + 1) as i32)),
        counted_on: Set(Some(chrono::Utc::now().date_naive())),
        created_at: Set(chrono::Utc::now()),
        notify: Set(false),
        manual: Set(false),
        ..Default::default()
    }
}

async fn bench_check(name: &str, db: &DatabaseConnection) {
    let p = petitions::find_by_slug(db, "mvz-kalletal").await.unwrap();
    let rows: Vec<signature::ActiveModel> =
        (0..SIGNATURES).map(|j| paper_signature(p.id, j)).collect();
    for chunk in rows.chunks(1_000) {
        signature::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await
            .unwrap();
    }
    let started = Instant::now();
    let checked = validation::check_petition(db, &p).await.unwrap();
    let took = started.elapsed();
    let counts = review::status_counts(db, p.id).await.unwrap();
    let summary: Vec<String> = counts
        .iter()
        .map(|c| format!("{} {}", c.status.code(), c.count))
        .collect();
    println!(
        "{name}: checked {checked} signatures against the register in {:.1} s = {:.0} validations/s ({}); peak memory so far {} MB",
        took.as_secs_f64(),
        checked as f64 / took.as_secs_f64(),
        summary.join(", "),
        support::peak_memory_mb()
    );
}

async fn bench(name: &str, url: &str, file: &std::path::Path) {
    let db = server::startup::connect_and_migrate(url).await.unwrap();
    // The audit chain is keyed; a benchmark has its own key.
    app::infra::audit::init_key(b"dorfplatz benchmark audit key");
    // The demo brings a petition in collection (and a small register the import replaces).
    demo::seed(&db, &support::config()).await.unwrap();
    let size = std::fs::metadata(file).unwrap().len();
    let started = Instant::now();
    let input = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(file).unwrap());
    let outcome = register::import(&db, None, "bench.csv", 0, input, None, |_| {})
        .await
        .unwrap();
    let took = started.elapsed();
    assert!(
        outcome.succeeded(),
        "{:?}",
        &outcome.bad[..outcome.bad.len().min(5)]
    );
    assert_eq!(outcome.rows, ROWS);
    println!(
        "{name}: {ROWS} residents ({} MB) in {:.1} s = {:.0} rows/s, {} eligible; peak memory of the process so far {} MB",
        size / 1_000_000,
        took.as_secs_f64(),
        ROWS as f64 / took.as_secs_f64(),
        outcome.eligible,
        support::peak_memory_mb()
    );
    bench_check(name, &db).await;
    db.close().await.unwrap();
}

#[tokio::main]
async fn main() {
    // The check logs where its time goes (reading, comparing, writing).
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            "app::register::server::signature_check=info",
        ))
        .init();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("melderegister.csv");
    server::synthetic::write_register(
        std::io::BufWriter::new(std::fs::File::create(&file).unwrap()),
        ROWS,
    )
    .unwrap();
    bench(
        "SQLite (file, WAL)",
        &format!("sqlite://{}/bench.db", dir.path().display()),
        &file,
    )
    .await;

    support::with_postgres("dorfplatz_bench_register", |url| async move {
        bench("PostgreSQL", &url, &file).await
    })
    .await;
}

/// The name with an "h" after its second letter ("Brhinkmann"): a typing error one edit away.
fn with_extra_letter(name: &str) -> String {
    let mut letters: Vec<char> = name.chars().collect();
    letters.insert(2.min(letters.len()), 'h');
    letters.into_iter().collect()
}
