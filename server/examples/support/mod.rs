//! Shared by the benchmarks: the process's peak memory, and a throwaway PostgreSQL database.

// Not every benchmark uses every helper.
#![allow(dead_code)]

use sea_orm::{ConnectionTrait, Database};

/// The peak resident memory of this process so far (VmHWM), in MB.
pub fn peak_memory_mb() -> u64 {
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

/// Runs `bench` with the URL of a new PostgreSQL database (`TEST_POSTGRES_URL` or the local
/// server), dropped afterwards.
pub async fn with_postgres<F, Fut>(prefix: &str, bench: F)
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let admin_url = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let name = format!("{prefix}_{}", std::process::id());
    let admin = Database::connect(format!("{admin_url}/postgres"))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();
    bench(format!("{admin_url}/{name}")).await;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await
        .unwrap();
}

/// Settings for seeding the demo in a benchmark (links point at the default address).
pub fn config() -> app::infra::AppConfig {
    app::infra::AppConfig {
        public_url: url::Url::parse("http://127.0.0.1:3000").unwrap(),
        secret_key: secrecy::SecretSlice::from(vec![7u8; 32]),
        mail_from: "Dorfplatz <dorfplatz@localhost>".into(),
        trust_forwarded_for: false,
        files_dir: std::env::temp_dir().join("dorfplatz-bench-files"),
        staging_dir: std::env::temp_dir().join("dorfplatz-bench-staging"),
        signature_retention_days: 180,
    }
}
