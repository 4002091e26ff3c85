//! Wiring: database, state, router, listener and background workers.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use app::infra::AppConfig;
use app::infra::AppState;
use app::infra::db;
use app::infra::mail::Mailer;
use app::infra::rate_limit::RateLimits;
use app::{App, shell};
use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use migrations::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;
use secrecy::ExposeSecret;
use tower_http::compression::CompressionLayer;

use crate::settings::Settings;

pub fn leptos_options(settings: &Settings) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("dorfplatz")
        .site_root(settings.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(settings.site_addr)
        .build()
}

/// Connects and brings the schema up to date.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, String> {
    let conn = db::connect(url)
        .await
        .map_err(|e| format!("Datenbank {}: {e}", without_password(url)))?;
    Migrator::up(&conn, None)
        .await
        .map_err(|e| format!("Migration: {e}"))?;
    // Stored HTML a migration left empty (see `infra::markdown::fill_missing`).
    let filled = app::infra::markdown::fill_missing(&conn)
        .await
        .map_err(|e| format!("Gespeichertes HTML: {e}"))?;
    if filled > 0 {
        tracing::info!(rows = filled, "stored HTML of Markdown texts filled");
    }
    Ok(conn)
}

/// Connects and migrates, sets the key of the audit chain and seals an unkeyed head of it:
/// what every command that works on the database starts with.
pub async fn open(settings: &Settings) -> Result<DatabaseConnection, String> {
    let db = connect_and_migrate(&settings.database_url).await?;
    if !app::infra::audit::init_key(settings.audit_key.expose_secret()) {
        return Err(
            "Ein anderer Schlüssel für das Audit-Protokoll ist bereits in Gebrauch.".into(),
        );
    }
    let fits = app::infra::audit::seal_head(&db)
        .await
        .map_err(|e| format!("Audit-Protokoll: {e}"))?;
    if !fits {
        tracing::error!(
            "the newest audit entry does not fit the audit key: another DORFPLATZ_AUDIT_KEY or \
             secret key than before, or an edit; `dorfplatz audit verify` names the entry"
        );
    }
    Ok(db)
}

/// A database address as it may appear in a message or a log line: without its password.
pub fn without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(_) => url.to_owned(),
        // Unparsable: show only the scheme, the rest may hold the password.
        Err(_) => format!("{}:…", url.split(':').next().unwrap_or_default()),
    }
}

/// Real SMTP, or `.eml` files in the data directory; the files (with every link in them)
/// are for development only and refused for a site served over https.
pub fn mailer(settings: &Settings) -> Result<Mailer, String> {
    match &settings.smtp_url {
        Some(url) => Mailer::smtp(url.expose_secret()),
        None if settings.public_url.scheme() == "https" => Err(
            "PUBLIC_URL beginnt mit https://, aber SMTP_URL fehlt: Im Betrieb geht Post über \
             SMTP; E-Mails als Dateien (mit allen Links darin) sind nur für Entwicklung und Tests."
                .into(),
        ),
        None => Ok(Mailer::files(settings.mail_dir())),
    }
}

pub fn app_config(settings: &Settings) -> AppConfig {
    AppConfig {
        public_url: settings.public_url.clone(),
        secret_key: settings.secret_key.clone(),
        mail_from: settings.mail_from.clone(),
        trust_forwarded_for: settings.trust_forwarded_for,
        files_dir: settings.data_dir.join("files"),
        staging_dir: settings.data_dir.join("staging"),
        signature_retention_days: settings.signature_retention_days,
    }
}

pub fn state(settings: &Settings, db: DatabaseConnection, mailer: Mailer) -> AppState {
    AppState {
        leptos_options: leptos_options(settings),
        db,
        config: Arc::new(app_config(settings)),
        limits: Arc::new(
            RateLimits::new(
                settings.rate_limit_per_ip,
                settings.secret_key.expose_secret(),
            )
            .with_public_reads(settings.public_reads_per_minute),
        ),
        mailer,
    }
}

/// The route table, generated once per process. Generating it runs the app with resource
/// loading suspended by a process-wide flag (leptos_server's `SuppressResourceLoad`); a
/// resource first polled meanwhile by another render never finishes. One server builds its
/// router once anyway, but the tests build one per test in parallel and saw such hangs.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(healthz))
        // Each feature's plain endpoints beside the pages (files, feeds, open data, uploads).
        .merge(app::petitions::server::routes::routes())
        .merge(app::reports::server::routes::routes())
        .merge(app::register::server::routes::routes())
        .merge(app::proposals::server::routes::routes())
        .merge(app::comments::server::routes::routes())
        .merge(app::boards::server::routes())
        .merge(app::admin::server::routes())
        .merge(app::accounts::server::export::routes())
        .merge(app::accessibility::routes::routes())
        .merge(app::i18n::server::routes())
        .leptos_routes_with_context(&state, routes, leptos::nonce::provide_nonce, move || {
            shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn(app::infra::http::client_errors))
        .layer(from_fn_with_state(
            state.clone(),
            app::infra::http::form_guard,
        ))
        // Inside the session layer, so that a member's calendar may show a closed session.
        .layer(from_fn_with_state(
            state.clone(),
            app::boards::server::routes::session_ics,
        ))
        .layer(from_fn_with_state(
            state.clone(),
            app::infra::auth::load_session,
        ))
        .layer(from_fn_with_state(
            state.clone(),
            app::infra::http::origin_check,
        ))
        .layer(from_fn_with_state(
            state.clone(),
            app::infra::http::public_read_limit,
        ))
        .layer(from_fn_with_state(
            state.clone(),
            app::infra::http::security_headers,
        ))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// `/healthz`: 200 while the database answers, 503 while it does not (a load balancer then
/// sends requests elsewhere). Answers within three seconds either way: a pool waiting for
/// a connection must not make the check itself hang.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let ping = tokio::time::timeout(Duration::from_secs(3), db::ping(&state.db)).await;
    match ping {
        Ok(Ok(())) => (
            StatusCode::OK,
            Json(serde_json::json!({"status": "ok", "database": "ok"})),
        ),
        Ok(Err(err)) => {
            tracing::error!(error = %err, "health check: database unreachable");
            unhealthy()
        }
        Err(_) => {
            tracing::error!("health check: the database did not answer within 3 s");
            unhealthy()
        }
    }
}

fn unhealthy() -> (StatusCode, Json<serde_json::Value>) {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(serde_json::json!({"status": "error", "database": "unreachable"})),
    )
}

/// Starts the background work of one instance: mail delivery, deadlines, deleting personal
/// data that is due, and rate-limit housekeeping.
///
/// `instance` names this instance the same way across restarts (host and address it
/// serves): the mail worker frees at start what its previous run had leased and could not
/// finish (it was killed), instead of leaving those messages for the lease to run out.
pub async fn spawn_workers(
    state: &AppState,
    instance: String,
    retention_days: u32,
    digest_check_seconds: u64,
    audit_anchor_mail: Option<String>,
) {
    match app::infra::mail::worker::release_leases_of(&state.db, &instance).await {
        Ok(0) => {}
        Ok(n) => tracing::warn!(
            messages = n,
            "mail this instance was sending when it stopped goes out again"
        ),
        Err(e) => tracing::warn!(error = %e, "freeing this instance's mail leases"),
    }
    tokio::spawn(app::infra::mail::worker::run(
        state.db.clone(),
        state.mailer.clone(),
        state.config.mail_from.clone(),
        instance,
    ));
    // Ends collections whose deadline passed and deletes signatures never confirmed. Every
    // instance may run it: the stage update is conditional, so a petition expires once.
    let expiring = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = app::petitions::server::procedure::expire_due(
                &expiring.db,
                &expiring.config.link(""),
            )
            .await
            {
                tracing::warn!(error = ?e, "expiring petitions");
            }
            if let Err(e) =
                app::petitions::server::signatures::purge_unconfirmed(&expiring.db).await
            {
                tracing::warn!(error = ?e, "purging unconfirmed signatures");
            }
            if let Err(e) = app::infra::mail::worker::purge_delivered(
                &expiring.db,
                app::infra::mail::worker::KEEP_DELIVERED,
            )
            .await
            {
                tracing::warn!(error = %e, "deleting delivered mail");
            }
            if let Err(e) = app::accessibility::server::purge_closed(
                &expiring.db,
                app::accessibility::server::KEEP_CLOSED,
            )
            .await
            {
                tracing::warn!(error = ?e, "deleting closed barrier feedback");
            }
            if retention_days > 0
                && let Err(e) = app::petitions::server::signatures::purge_after_retention(
                    &expiring.db,
                    chrono::TimeDelta::days(i64::from(retention_days)),
                )
                .await
            {
                tracing::warn!(error = ?e, "purging signatures after the retention period");
            }
        }
    });
    // Folds the status-count deltas every minute, so the public figures read a few rows
    // even after a register import re-checked a million signatures.
    let counts = state.db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            if let Err(e) = app::reports::server::compact_status_counts(&counts).await {
                tracing::warn!(error = ?e, "folding the status counts");
            }
        }
    });
    // Notification digests: at most one per person and hour, claimed per person in the
    // database so that several instances never send the same one.
    let digests = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(digest_check_seconds.max(1)));
        loop {
            tick.tick().await;
            if let Err(e) = app::comments::server::notify::send_digests(
                &digests.db,
                &digests.config,
                chrono::Utc::now(),
            )
            .await
            {
                tracing::warn!(error = ?e, "sending notification digests");
            }
        }
    });
    // The daily anchor of the audit trail, mailed away: each instance looks every hour, the
    // chain's lock and the last anchor's time make one of them send it.
    if let Some(to) = audit_anchor_mail {
        let db = state.db.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(3600));
            loop {
                tick.tick().await;
                let anchored = async {
                    let name = app::site::server::municipality_name(&db).await?;
                    app::infra::audit::anchor(&db, Some(&to), &name, true).await
                }
                .await;
                if let Err(e) = anchored {
                    tracing::warn!(error = ?e, "anchoring the audit trail");
                }
            }
        });
    }
    // Expired sessions, links, logins waiting for a code, recovered rate-limit counters and
    // accounts never confirmed: gone every ten minutes (idempotent in every instance).
    let swept = state.db.clone();
    let limits = state.limits.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            limits.public_reads().forget_idle();
            match app::accounts::server::housekeeping(&swept).await {
                Ok(s) => tracing::debug!(?s, "housekeeping"),
                Err(e) => tracing::warn!(error = ?e, "housekeeping"),
            }
        }
    });
}

/// Removes uploads left in the staging directory by an instance that stopped mid-upload.
/// Only files older than an hour go: another instance on the same data directory may be
/// reading an upload right now.
pub fn clear_staging(dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t < hour_ago);
        if old && let Err(e) = std::fs::remove_file(entry.path()) {
            tracing::warn!(error = %e, file = %entry.path().display(), "clearing the staging directory");
        }
    }
}

/// This instance's name: the host's name and the address it serves, the same after a
/// restart, different for two instances (on one host they need two ports).
fn instance_name(addr: std::net::SocketAddr) -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned());
    format!("{host}/{addr}")
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(settings: Settings) -> Result<(), String> {
    app::i18n::server::check()?;
    let mailer = mailer(&settings)?;
    let db = open(&settings).await?;
    let state = state(&settings, db, mailer);
    clear_staging(&state.config.staging_dir);
    // Bound before the workers start: holding the address proves that no earlier run of
    // this instance is still alive, so its mail leases may be freed.
    let listener = tokio::net::TcpListener::bind(settings.site_addr)
        .await
        .map_err(|e| format!("{}: {e}", settings.site_addr))?;
    spawn_workers(
        &state,
        instance_name(settings.site_addr),
        settings.signature_retention_days,
        settings.digest_check_seconds,
        settings.audit_anchor_mail.clone(),
    )
    .await;
    tracing::info!("Dorfplatz läuft auf http://{}", settings.site_addr);
    crate::serving::serve(
        listener,
        router(state),
        crate::serving::default_threads(),
        shutdown_signal(),
    )
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::without_password;

    #[test]
    fn a_database_password_never_shows() {
        assert_eq!(
            without_password("postgres://dorfplatz:geheim@db.kalletal.de/dorfplatz"),
            "postgres://dorfplatz:***@db.kalletal.de/dorfplatz"
        );
        assert_eq!(
            without_password("postgres://db.kalletal.de/dorfplatz"),
            "postgres://db.kalletal.de/dorfplatz"
        );
        assert_eq!(
            without_password("sqlite://./data/dorfplatz.db?mode=rwc"),
            "sqlite://./data/dorfplatz.db?mode=rwc"
        );
        assert!(!without_password("postgres://a:geheim@[::1").contains("geheim"));
    }
}
