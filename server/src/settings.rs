//! Configuration, read once from the environment, validated, then passed down.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretSlice, SecretString};
use url::Url;

pub struct Settings {
    /// `DORFPLATZ_DATA_DIR` (default `./data`): SQLite file, secret key, mail files, uploads.
    pub data_dir: PathBuf,
    /// `DATABASE_URL` (default `sqlite://<data dir>/dorfplatz.db`), or `postgres://…`.
    pub database_url: String,
    /// `PUBLIC_URL` (default `http://<LEPTOS_SITE_ADDR>`): base of links in emails.
    pub public_url: Url,
    /// `SMTP_URL`; without it mail is written as `.eml` files under `<data dir>/mail/`.
    pub smtp_url: Option<SecretString>,
    /// `MAIL_FROM` (default `Dorfplatz <dorfplatz@localhost>`).
    pub mail_from: String,
    /// `LEPTOS_SITE_ADDR` (default `127.0.0.1:3000`).
    pub site_addr: SocketAddr,
    /// `LEPTOS_SITE_ROOT` (default `target/site`): the built stylesheet, wasm and assets.
    pub site_root: PathBuf,
    /// `DORFPLATZ_SECRET_KEY`, or `<data dir>/secret.key`, generated on first start.
    pub secret_key: SecretSlice<u8>,
    /// `DORFPLATZ_AUDIT_KEY`, else derived from the secret key: the key of the audit chain.
    pub audit_key: SecretSlice<u8>,
    /// `DORFPLATZ_AUDIT_ANCHOR_MAIL`: where the daily anchor of the audit trail is mailed.
    pub audit_anchor_mail: Option<String>,
    /// `DORFPLATZ_TRUST_X_FORWARDED_FOR=1` behind a reverse proxy that sets the header.
    pub trust_forwarded_for: bool,
    /// `DORFPLATZ_RATE_LIMIT_PER_IP` (default 30): login, registration and reset attempts
    /// one address may make at once before it is slowed to one per 20 seconds.
    pub rate_limit_per_ip: u32,
    /// `DORFPLATZ_PUBLIC_READS_PER_MINUTE` (default 600, 0 = no limit): requests one
    /// address may make per minute to OParl, the calendars, the tally JSON and the feed.
    pub public_reads_per_minute: u32,
    /// `DORFPLATZ_SIGNATURE_RETENTION_DAYS` (default 180): days after a procedure closes
    /// until its signatures' personal data are deleted automatically; 0 keeps them until
    /// `dorfplatz signatures purge`.
    pub signature_retention_days: u32,
    /// `DORFPLATZ_DIGEST_CHECK_SECONDS` (default 60): how often each instance looks for
    /// notification digests that are due. The hour between two digests to one person is
    /// fixed; this only decides how soon after a first reply its email leaves.
    pub digest_check_seconds: u64,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// A key given in the environment: at least 32 characters.
fn key_var(name: &str) -> Result<Option<SecretSlice<u8>>, String> {
    match var(name) {
        Some(k) if k.len() >= 32 => Ok(Some(SecretSlice::from(k.into_bytes()))),
        Some(_) => Err(format!("{name} muss mindestens 32 Zeichen lang sein")),
        None => Ok(None),
    }
}

impl Settings {
    pub fn from_env() -> Result<Self, String> {
        let data_dir = PathBuf::from(var("DORFPLATZ_DATA_DIR").unwrap_or_else(|| "./data".into()));
        std::fs::create_dir_all(&data_dir)
            .map_err(|e| format!("DORFPLATZ_DATA_DIR {}: {e}", data_dir.display()))?;
        let site_addr: SocketAddr = var("LEPTOS_SITE_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .map_err(|e| format!("LEPTOS_SITE_ADDR: {e}"))?;
        let database_url = var("DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}/dorfplatz.db", data_dir.display()));
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err("DATABASE_URL muss mit sqlite: oder postgres:// beginnen".into());
        }
        let public_url =
            Url::parse(&var("PUBLIC_URL").unwrap_or_else(|| format!("http://{site_addr}")))
                .map_err(|e| format!("PUBLIC_URL: {e}"))?;
        if !matches!(public_url.scheme(), "http" | "https") {
            return Err("PUBLIC_URL muss mit http:// oder https:// beginnen".into());
        }
        let mail_from =
            var("MAIL_FROM").unwrap_or_else(|| "Dorfplatz <dorfplatz@localhost>".into());
        if mail_from.parse::<app::infra::mail::Mailbox>().is_err() {
            return Err(format!(
                "MAIL_FROM ist keine gültige Absenderadresse: {mail_from}"
            ));
        }
        let secret_key = match key_var("DORFPLATZ_SECRET_KEY")? {
            Some(k) => k,
            None => SecretSlice::from(load_or_create_key(&data_dir.join("secret.key"))?),
        };
        // The audit chain's own key if given (kept apart from the database and its backups),
        // else one derived from the secret key for this purpose only.
        let audit_key = match key_var("DORFPLATZ_AUDIT_KEY")? {
            Some(k) => k,
            None => SecretSlice::from(app::infra::audit::derive_key(secret_key.expose_secret())),
        };
        let audit_anchor_mail = match var("DORFPLATZ_AUDIT_ANCHOR_MAIL") {
            Some(a) if a.parse::<app::infra::mail::Mailbox>().is_err() => {
                return Err(format!(
                    "DORFPLATZ_AUDIT_ANCHOR_MAIL ist keine gültige E-Mail-Adresse: {a}"
                ));
            }
            other => other,
        };
        let rate_limit_per_ip = match var("DORFPLATZ_RATE_LIMIT_PER_IP") {
            Some(v) => v
                .parse()
                .ok()
                .filter(|n| *n > 0)
                .ok_or("DORFPLATZ_RATE_LIMIT_PER_IP muss eine positive Zahl sein")?,
            None => app::infra::rate_limit::DEFAULT_PER_IP_BURST,
        };
        let public_reads_per_minute = match var("DORFPLATZ_PUBLIC_READS_PER_MINUTE") {
            Some(v) => v.parse().map_err(|_| {
                "DORFPLATZ_PUBLIC_READS_PER_MINUTE muss eine ganze Zahl sein (0 = keine Grenze)"
            })?,
            None => app::infra::rate_limit::DEFAULT_PUBLIC_READS_PER_MINUTE,
        };
        let signature_retention_days = match var("DORFPLATZ_SIGNATURE_RETENTION_DAYS") {
            Some(v) => v
                .parse()
                .map_err(|_| "DORFPLATZ_SIGNATURE_RETENTION_DAYS muss eine ganze Zahl sein (Tage, 0 = nie automatisch)")?,
            None => 180,
        };
        let digest_check_seconds =
            match var("DORFPLATZ_DIGEST_CHECK_SECONDS") {
                Some(v) => v.parse().ok().filter(|n| *n > 0).ok_or(
                    "DORFPLATZ_DIGEST_CHECK_SECONDS muss eine positive Zahl sein (Sekunden)",
                )?,
                None => 60,
            };
        Ok(Self {
            digest_check_seconds,
            public_reads_per_minute,
            rate_limit_per_ip,
            signature_retention_days,
            site_root: PathBuf::from(
                var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            ),
            smtp_url: var("SMTP_URL").map(SecretString::from),
            trust_forwarded_for: var("DORFPLATZ_TRUST_X_FORWARDED_FOR")
                .is_some_and(|v| v == "1" || v == "true"),
            data_dir,
            database_url,
            public_url,
            mail_from,
            site_addr,
            secret_key,
            audit_key,
            audit_anchor_mail,
        })
    }

    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }
}

/// Reads the key file, or creates one with 32 random bytes readable only by the owner.
fn load_or_create_key(path: &Path) -> Result<Vec<u8>, String> {
    if let Ok(existing) = std::fs::read_to_string(path) {
        let key = existing.trim().as_bytes().to_vec();
        if key.len() >= 32 {
            return Ok(key);
        }
        return Err(format!(
            "{} ist zu kurz (mindestens 32 Zeichen)",
            path.display()
        ));
    }
    let key = app::infra::tokens::generate();
    write_private(path, &key).map_err(|e| format!("{}: {e}", path.display()))?;
    tracing::info!(path = %path.display(), "new secret key generated");
    Ok(key.into_bytes())
}

fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(content.as_bytes())
}
