//! `dorfplatz`: serves the site (default), migrates, manages accounts, seeds the demo.

use clap::Parser;
use server::{cli, settings::Settings};

// Server rendering allocates many small short-lived objects on both worker threads; glibc's
// malloc spent a fifth of the CPU time under load (perf, `make bench`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .init();
    let args = cli::Cli::parse();
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(err) => {
            eprintln!("Konfigurationsfehler: {err}");
            return std::process::ExitCode::from(2);
        }
    };
    match cli::run(args, settings).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("Fehler: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}
