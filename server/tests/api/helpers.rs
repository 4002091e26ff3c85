//! Test helpers: fresh databases, a spawned app with the in-memory mailer, form posts, and
//! the fixtures most tests build on.

use std::net::SocketAddr;

use app::infra::AppState;
use app::infra::mail::{Mailer, SentMail, worker};
use app::infra::rate_limit::RateLimits;
use app::infra::tokens;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use secrecy::SecretSlice;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs the test body once per database backend, as two tests.
macro_rules! db_test {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                ($body)($crate::helpers::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                ($body)($crate::helpers::Backend::Postgres).await
            }
        }
    };
}
pub(crate) use db_test;

fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A database that exists for one test and is dropped after it.
pub struct TestDb {
    pub url: String,
    pg_name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}/test.db", dir.path().display());
                Self {
                    url,
                    pg_name: None,
                    _dir: Some(dir),
                }
            }
            Backend::Postgres => {
                let name = format!(
                    "dorfplatz_test_{}",
                    tokens::generate()
                        .to_lowercase()
                        .replace(['-', '_'], "")
                        .chars()
                        .take(16)
                        .collect::<String>()
                );
                let admin = Database::connect(format!("{}/postgres", postgres_admin_url()))
                    .await
                    .unwrap();
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .unwrap();
                admin.close().await.unwrap();
                Self {
                    url: format!("{}/{name}", postgres_admin_url()),
                    pg_name: Some(name),
                    _dir: None,
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = self.pg_name.take() {
            // Drop runs outside async; a short-lived runtime of its own does the cleanup.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    if let Ok(admin) =
                        Database::connect(format!("{}/postgres", postgres_admin_url())).await
                    {
                        let _ = admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                            ))
                            .await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub state: AppState,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    /// For running the `dorfplatz` binary against the test's database.
    pub database_url: String,
    /// The one-time password secrets of enrolled accounts (base32, as the enrolment page
    /// shows them) and the last time step used, by email address.
    pub totp_secrets: std::sync::Mutex<std::collections::HashMap<String, (String, u64)>>,
    /// The database lives as long as the first instance; a second instance borrows it.
    _test_db: Option<TestDb>,
    _dirs: tempfile::TempDir,
}

/// The body of a page fetched by `client` (whose cookies go along).
pub async fn page_text(client: &reqwest::Client, url: &str) -> String {
    client.get(url).send().await.unwrap().text().await.unwrap()
}

pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The audit key of the tests (the server derives its own from the secret key or takes
/// `DORFPLATZ_AUDIT_KEY`).
pub const TEST_AUDIT_KEY: &[u8] = b"dorfplatz test audit key, never used in production";

/// The test key as the command line takes it (`DORFPLATZ_AUDIT_KEY`).
pub fn test_audit_key() -> &'static str {
    std::str::from_utf8(TEST_AUDIT_KEY).unwrap()
}

/// Runs the `dorfplatz` binary on the app's database with `dir` as its data directory.
pub fn cli(app: &TestApp, dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_dorfplatz"))
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .env("DORFPLATZ_DATA_DIR", dir)
        .env("DORFPLATZ_AUDIT_KEY", test_audit_key())
        .output()
        .unwrap()
}

/// The limits of a test app: `burst` attempts at once per address, the defaults otherwise.
pub fn limits(burst: u32) -> RateLimits {
    RateLimits::new(burst, &[7u8; 32])
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with_burst(backend, app::infra::rate_limit::DEFAULT_PER_IP_BURST).await
    }

    /// An app whose per-address limits allow `burst` attempts at once.
    pub async fn spawn_with_burst(backend: Backend, burst: u32) -> Self {
        Self::spawn_with_limits(backend, limits(burst)).await
    }

    /// An app with these limits.
    pub async fn spawn_with_limits(backend: Backend, limits: RateLimits) -> Self {
        let test_db = TestDb::new(backend).await;
        let url = test_db.url.clone();
        Self::start(&url, Some(test_db), limits).await
    }

    /// A second server instance on the same database (as operators run several).
    pub async fn second_instance(&self, burst: u32) -> Self {
        Self::start(&self.database_url, None, limits(burst)).await
    }

    async fn start(url: &str, test_db: Option<TestDb>, limits: RateLimits) -> Self {
        let db = server::startup::connect_and_migrate(url).await.unwrap();
        // One key for every test of the process: the audit chain is keyed.
        app::infra::audit::init_key(TEST_AUDIT_KEY);
        let dirs = tempfile::tempdir().unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = AppState {
            leptos_options: leptos::prelude::LeptosOptions::builder()
                .output_name("dorfplatz")
                .site_root("target/site")
                .site_addr(addr)
                .build(),
            db: db.clone(),
            config: std::sync::Arc::new(app::infra::AppConfig {
                public_url: url::Url::parse(&format!("http://{addr}")).unwrap(),
                secret_key: SecretSlice::from(vec![7u8; 32]),
                mail_from: "Dorfplatz Test <test@dorfplatz.example>".into(),
                trust_forwarded_for: false,
                files_dir: dirs.path().join("files"),
                staging_dir: dirs.path().join("staging"),
                signature_retention_days: 180,
            }),
            limits: std::sync::Arc::new(limits),
            mailer: Mailer::memory(),
        };
        let router = server::startup::router(state.clone());
        // Served as in production: each connection on one of two single-threaded runtimes.
        tokio::spawn(server::serving::serve(
            listener,
            router,
            2,
            std::future::pending(),
        ));
        Self {
            addr,
            state,
            client: new_client(),
            db,
            database_url: url.to_owned(),
            totp_secrets: Default::default(),
            _test_db: test_db,
            _dirs: dirs,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Calls a server function the way the enhanced form does (JSON answer, real status).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.call_with(&self.client, endpoint, form).await
    }

    pub async fn call_with(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("origin", format!("http://{}", self.addr))
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Delivers the outbox through the in-memory mailer and returns everything sent so far.
    pub async fn deliver_mail(&self) -> Vec<SentMail> {
        worker::deliver_due(
            &self.db,
            &self.state.mailer,
            &self.state.config.mail_from,
            "test",
            1000,
        )
        .await
        .unwrap();
        self.state.mailer.sent()
    }

    pub async fn mail_to(&self, to: &str) -> Vec<SentMail> {
        self.deliver_mail()
            .await
            .into_iter()
            .filter(|m| m.to == to)
            .collect()
    }

    /// The token of the last link to `path` (e.g. `/confirm`) mailed to `to`.
    pub async fn token_from_mail(&self, to: &str, path: &str) -> String {
        let mails = self.mail_to(to).await;
        let needle = format!("{path}?token=");
        mails
            .iter()
            .rev()
            .find_map(|m| {
                m.text
                    .split_whitespace()
                    .find_map(|w| w.split_once(&needle).map(|(_, t)| t.to_owned()))
            })
            .unwrap_or_else(|| panic!("no {path} link mailed to {to}: {mails:#?}"))
    }

    pub async fn count(&self, table: &str) -> i64 {
        let backend = self.db.get_database_backend();
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    }

    /// Registers, confirms and logs in `email` on the app's own client.
    pub async fn signed_in_resident(&self, email: &str) {
        self.register(email, "Anna Schmidt", "sicheres-passwort")
            .await;
        let token = self.token_from_mail(email, "/confirm").await;
        assert_eq!(
            self.call("confirm_email", &[("token", &token)])
                .await
                .status(),
            200
        );
        self.login(email, "sicheres-passwort").await;
    }

    pub async fn register(&self, email: &str, name: &str, password: &str) -> reqwest::Response {
        self.call(
            "register",
            &[
                ("email", email),
                ("display_name", name),
                ("password", password),
            ],
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) {
        self.sign_in(&self.client, email, password).await;
    }

    /// Logs in on `client`, and answers the code step with a fresh one-time password when
    /// the account has a second factor.
    pub async fn sign_in(&self, client: &reqwest::Client, email: &str, password: &str) {
        let res = self
            .call_with(client, "login", &[("email", email), ("password", password)])
            .await;
        assert_eq!(res.status(), 200, "login of {email} failed");
        let step: serde_json::Value = res.json().await.unwrap();
        if step == "code_required" {
            let code = self.fresh_code(email).await;
            let res = self
                .call_with(client, "login_code", &[("code", &code)])
                .await;
            assert_eq!(
                res.status(),
                200,
                "code step of {email} failed: {:?}",
                res.text().await
            );
        } else {
            assert_eq!(step, "done", "login of {email}");
        }
        // Staff and administrators enrol at their first login, as the site makes them.
        let me = self.json_of(client, "me", &[]).await;
        let staff = me["roles"]
            .as_array()
            .is_some_and(|r| r.iter().any(|r| r == "staff" || r == "admin"));
        if staff && me["two_factor"] == false {
            self.enrol(client, email).await;
        }
    }

    /// Enrols the signed-in account of `client` in the second factor, computing the code
    /// from the secret the enrolment page shows, as a person's app would.
    pub async fn enrol(&self, client: &reqwest::Client, email: &str) {
        let view = self.json_of(client, "two_factor", &[]).await;
        let secret = view["setup"]["secret"]
            .as_str()
            .unwrap_or_else(|| panic!("no secret to enrol {email} with: {view}"))
            .to_owned();
        self.totp_secrets
            .lock()
            .unwrap()
            .insert(email.to_owned(), (secret, 0));
        let code = self.fresh_code(email).await;
        let res = self
            .call_with(client, "enable_two_factor", &[("code", &code)])
            .await;
        assert_eq!(
            res.status(),
            200,
            "enrolment of {email}: {:?}",
            res.text().await
        );
    }

    /// A one-time password of `email` for a time step not used before (waits for the
    /// next step when both the current and the next one are used up).
    pub async fn fresh_code(&self, email: &str) -> String {
        loop {
            let (secret, last) = self
                .totp_secrets
                .lock()
                .unwrap()
                .get(email)
                .cloned()
                .unwrap_or_else(|| panic!("{email} has not enrolled"));
            let now = chrono::Utc::now().timestamp() as u64 / 30;
            let step = now.max(last + 1);
            if step > now + 1 {
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                continue;
            }
            self.totp_secrets
                .lock()
                .unwrap()
                .insert(email.to_owned(), (secret.clone(), step));
            return totp_code(&secret, step * 30);
        }
    }

    /// Creates a confirmed account with roles directly (as the command line does).
    pub async fn account_with_roles(&self, email: &str, roles: &[app::accounts::domain::Role]) {
        use app::accounts::domain::{DisplayName, EmailAddress, NewPassword};
        app::accounts::server::create_confirmed(
            &self.db,
            &EmailAddress::parse(email).unwrap(),
            &DisplayName::parse("Test Person").unwrap(),
            &NewPassword::parse("sicheres-passwort").unwrap(),
            roles,
        )
        .await
        .unwrap();
    }

    /// A confirmed account with `roles`, signed in on a client of its own; staff and
    /// administrators enrolled in the second factor, as they must be.
    pub async fn client_for(
        &self,
        email: &str,
        roles: &[app::accounts::domain::Role],
    ) -> reqwest::Client {
        self.account_with_roles(email, roles).await;
        let client = new_client();
        self.sign_in(&client, email, "sicheres-passwort").await;
        client
    }

    pub async fn me(&self) -> serde_json::Value {
        self.call("me", &[]).await.json().await.unwrap()
    }

    /// The actions of the audit trail, oldest first.
    pub async fn audit_actions(&self) -> Vec<String> {
        use app::infra::entities::audit_log;
        use sea_orm::{EntityTrait, QueryOrder};
        audit_log::Entity::find()
            .order_by_asc(audit_log::Column::Id)
            .all(&self.db)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect()
    }

    /// Asks for a password reset of `email` and returns the token of the mailed link.
    pub async fn reset_link(&self, email: &str) -> String {
        self.call("request_password_reset", &[("email", email)])
            .await;
        self.token_from_mail(email, "/password-reset/new").await
    }

    /// Who `client` is signed in as (`null` for nobody).
    pub async fn me_of(&self, client: &reqwest::Client) -> serde_json::Value {
        self.json_of(client, "me", &[]).await
    }

    /// The JSON answer of a server function called by `client`.
    pub async fn json_of(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> serde_json::Value {
        self.call_with(client, endpoint, form)
            .await
            .json()
            .await
            .unwrap()
    }
}

/// The JSON error code of a failed server-function call.
pub async fn error_code(res: reqwest::Response) -> (u16, serde_json::Value) {
    let status = res.status().as_u16();
    let body: serde_json::Value = res.json().await.unwrap_or(serde_json::Value::Null);
    (status, body)
}

// ---------------------------------------------------------------------------------------
// Fixtures: the setup most tests repeat — the cast of a petition (staff and initiator), a
// petition in collection, signing, the public tally, a synthetic register and its import,
// and reading a PDF back.

/// The municipality as staff enter it: Kalletal in North Rhine-Westphalia.
pub const KALLETAL: &[(&str, &str)] = &[
    ("state", "NW"),
    ("population", "14012"),
    ("eligible_citizens", "11520"),
    ("eligible_source", "Wahlberechtigte der Kommunalwahl 2025"),
    ("eligible_reference_date", "2025-09-14"),
];

/// A petition draft with two representatives.
pub const DRAFT: &[(&str, &str)] = &[
    ("title", "Medizinisches Versorgungszentrum"),
    (
        "question",
        "Soll die Gemeinde Kalletal ein kommunales MVZ gründen?",
    ),
    ("justification", "Die Hausärzte gehen in Rente."),
    ("kind", "initiating"),
    ("representatives[0][name]", "Anna Schulte"),
    (
        "representatives[0][address]",
        "Hauptstraße 1, 32689 Kalletal",
    ),
    ("representatives[0][email]", "vertretung@kalletal.example"),
    ("representatives[1][name]", "Bernd Vogt"),
    ("representatives[1][address]", "Talweg 2, 32689 Kalletal"),
];

pub const SIGNER: &[(&str, &str)] = &[
    ("family_name", "Müller"),
    ("given_names", "Anna Maria"),
    ("birth_date", "1980-05-17"),
    ("street", "Lindenweg"),
    ("house_number", "3a"),
    ("postal_code", "32689"),
    ("city", "Kalletal"),
    ("email", "anna@example.org"),
    ("consent", "on"),
];

/// Staff (kim) and the initiator (ida) with their own sessions.
pub struct Cast {
    pub staff: reqwest::Client,
    pub initiator: reqwest::Client,
}

pub async fn cast(app: &TestApp) -> Cast {
    let staff = app
        .client_for(
            "kim@kalletal.example",
            &[app::accounts::domain::Role::Staff],
        )
        .await;
    let initiator = app.client_for("ida@kalletal.example", &[]).await;
    assert_eq!(
        app.call_with(&staff, "update_municipality", KALLETAL)
            .await
            .status(),
        200
    );
    Cast { staff, initiator }
}

pub async fn step(
    app: &TestApp,
    client: &reqwest::Client,
    slug: &str,
    form: &[(&str, &str)],
) -> (u16, serde_json::Value) {
    let mut all = vec![("slug", slug)];
    all.extend_from_slice(form);
    let res = app.call_with(client, "take_step", &all).await;
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(serde_json::Value::Null))
}

/// A petition in collection; returns its slug.
pub async fn collecting(app: &TestApp, c: &Cast) -> String {
    let res = app.call_with(&c.initiator, "create_petition", DRAFT).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let slug = "medizinisches-versorgungszentrum".to_owned();
    assert_eq!(
        step(
            app,
            &c.initiator,
            &slug,
            &[("step", "request_cost_estimate")]
        )
        .await
        .0,
        200
    );
    assert_eq!(
        step(
            app,
            &c.staff,
            &slug,
            &[
                ("step", "enter_cost_estimate"),
                ("cost_estimate", "Rund 350.000 € einmalig.")
            ]
        )
        .await
        .0,
        200
    );
    assert_eq!(
        step(app, &c.staff, &slug, &[("step", "approve_publication")])
            .await
            .0,
        200
    );
    slug
}

pub async fn tally(app: &TestApp, slug: &str) -> serde_json::Value {
    let res = reqwest::get(app.url(&format!("/petitions/{slug}/tally.json")))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

pub async fn sign(app: &TestApp, slug: &str, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
    let mut all = vec![("slug", slug)];
    all.extend_from_slice(form);
    error_code(app.call_with(&new_client(), "sign_petition", &all).await).await
}

/// Staff mark a returned personal sheet by its code.
pub async fn receive_sheet(
    app: &TestApp,
    staff: &reqwest::Client,
    slug: &str,
    code: &str,
) -> (u16, serde_json::Value) {
    error_code(
        app.call_with(staff, "receive_sheet", &[("slug", slug), ("code", code)])
            .await,
    )
    .await
}

/// A synthetic resident register of `n` lines (see `server::synthetic`).
pub fn register_file(n: u64) -> Vec<u8> {
    let mut out = Vec::new();
    server::synthetic::write_register(&mut out, n).unwrap();
    out
}

/// Imports a register file as staff would upload it.
pub async fn import_register(
    app: &TestApp,
    bytes: &[u8],
) -> Result<app::register::server::import::ImportOutcome, app::error::AppError> {
    app::register::server::import::import(
        &app.db,
        None,
        "melderegister.csv",
        0,
        bytes,
        None,
        |_| {},
    )
    .await
}

/// The text of a PDF as `pdftotext -layout` reads it back.
pub fn pdf_text(bytes: &[u8]) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pdftotext (poppler-utils) must be installed; `make test` installs it");
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout).unwrap()
}

/// The one-time password of a base32 secret at `time` (seconds), as an authenticator app
/// computes it (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps).
pub fn totp_code(secret_base32: &str, time: u64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret_base32).unwrap();
    totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_secret(secret)
        .build()
        .unwrap()
        .generate(time)
        .to_string()
}
