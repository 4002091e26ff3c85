//! The one state value shared by axum handlers and server functions.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::*;
use sea_orm::DatabaseConnection;
use secrecy::{ExposeSecret, SecretSlice};
use url::Url;

use crate::error::AppError;
use crate::infra::mail::Mailer;
use crate::infra::rate_limit::RateLimits;

/// Settings the services need, already validated by the server's `Settings`.
pub struct AppConfig {
    /// Base of every link in emails, e.g. `https://beteiligung.kalletal.de`.
    pub public_url: Url,
    /// Key for hashing tokens; generated into the data directory when not configured.
    pub secret_key: SecretSlice<u8>,
    /// `Name <address>` of outgoing mail.
    pub mail_from: String,
    /// Take the client address from the last `X-Forwarded-For` entry (behind a reverse proxy).
    pub trust_forwarded_for: bool,
    /// Where attachments of agenda items are stored (`<data>/files`). Several instances need
    /// it on a shared volume.
    pub files_dir: std::path::PathBuf,
    /// Where uploads wait while they are read (`<data>/staging`, emptied at start): personal
    /// data never lands in the system's shared temporary directory.
    pub staging_dir: std::path::PathBuf,
    /// Days after a procedure closes that its signatures are deleted (0 = never by itself);
    /// the privacy statement's starting text names it.
    pub signature_retention_days: u32,
}

impl AppConfig {
    /// Session cookies carry `Secure` (and the `__Host-` prefix) when served over https.
    pub fn cookie_secure(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    /// A `Set-Cookie` value as the site sets every cookie: for the whole site, out of reach
    /// of scripts, sent along when a link from elsewhere is followed, `Secure` over https.
    /// `max_age_secs` 0 deletes it.
    pub fn cookie(&self, name: &str, value: &str, max_age_secs: i64) -> String {
        let secure = if self.cookie_secure() { "; Secure" } else { "" };
        format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
    }

    pub fn secret(&self) -> &[u8] {
        self.secret_key.expose_secret()
    }

    /// An absolute link into the site for emails.
    pub fn link(&self, path_and_query: &str) -> String {
        let base = self.public_url.as_str().trim_end_matches('/');
        format!("{base}{path_and_query}")
    }

    /// The origin (`scheme://host[:port]`) browsers send in the `Origin` header.
    pub fn origin(&self) -> String {
        self.public_url.origin().ascii_serialization()
    }
}

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub config: Arc<AppConfig>,
    pub limits: Arc<RateLimits>,
    pub mailer: Mailer,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state inside a server function or a server-rendered component.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the reactive context");
        AppError::Internal
    })
}
