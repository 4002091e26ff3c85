//! `make bench`: importing a synthetic register of 1,000,000 residents into SQLite and
//! PostgreSQL – rows per second and the peak memory of the process.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use app::server::register;
use sea_orm::{ConnectionTrait, Database};

const ROWS: u64 = 1_000_000;

fn peak_memory_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|kb| kb.parse::<u64>().ok())
            })
        })
        .map(|kb| kb / 1024)
        .unwrap_or(0)
}

async fn bench(name: &str, url: &str, file: &std::path::Path) {
    let db = server::startup::connect_and_migrate(url).await.unwrap();
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
        peak_memory_mb()
    );
    db.close().await.unwrap();
}

#[tokio::main]
async fn main() {
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

    let admin_url = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let name = format!("dorfplatz_bench_register_{}", std::process::id());
    let admin = Database::connect(format!("{admin_url}/postgres"))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();
    bench("PostgreSQL", &format!("{admin_url}/{name}"), &file).await;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await
        .unwrap();
}
