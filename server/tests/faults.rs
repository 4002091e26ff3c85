//! Faults, tried for real: two `dorfplatz serve` processes on one PostgreSQL database, a
//! mail server of the test's own (plain SMTP, counting what arrives), and then
//! - one instance killed with SIGKILL in the middle of 1,000 online signings from 50
//!   clients, and started again: every signing answered with success exists exactly once,
//!   none more than once, and every signature's confirmation mail arrives as one message;
//! - the mail server down during a burst of signings and back: every mail arrives, once;
//! - PostgreSQL stopped and started under load: requests answer 503 meanwhile (never 500),
//!   `/healthz` says so, and both servers recover without a restart of their own;
//! - both instances starting at once run the background jobs, which do their work once
//!   (a petition past its deadline ends once).
//!
//! One test, its phases in order: stopping PostgreSQL must not meet another test's
//! database. Cargo runs this file's binary after the others, never beside them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

const SIGNINGS: usize = 1_000;
const CLIENTS: usize = 50;

fn admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

// ---------------------------------------------------------------------------------------
// A mail server that counts

/// One message as the test's mail server received it.
#[derive(Debug, Clone)]
struct Received {
    to: String,
    message_id: String,
}

/// Plain SMTP on a fixed port, enough for lettre: it can be taken down (the port refuses
/// connections) and brought back.
struct MailServer {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    accepting: Option<JoinHandle<()>>,
    /// Open connections (lettre keeps a pool) end at their next command while down.
    up: Arc<std::sync::atomic::AtomicBool>,
}

impl MailServer {
    async fn start() -> MailServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let up = Arc::new(std::sync::atomic::AtomicBool::new(true));
        let accepting = Some(tokio::spawn(accept(listener, received.clone(), up.clone())));
        MailServer {
            addr,
            received,
            accepting,
            up,
        }
    }

    fn down(&mut self) {
        self.up.store(false, std::sync::atomic::Ordering::SeqCst);
        if let Some(task) = self.accepting.take() {
            task.abort();
        }
    }

    async fn up(&mut self) {
        // The port was just released; binding it again may take a moment.
        let listener = loop {
            match TcpListener::bind(self.addr).await {
                Ok(l) => break l,
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        };
        self.up.store(true, std::sync::atomic::Ordering::SeqCst);
        self.accepting = Some(tokio::spawn(accept(
            listener,
            self.received.clone(),
            self.up.clone(),
        )));
    }

    /// What arrived for the test's signers (the demo's own mail left out).
    fn received(&self) -> Vec<Received> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.to.ends_with("@faults.example"))
            .cloned()
            .collect()
    }
}

async fn accept(
    listener: TcpListener,
    received: Arc<Mutex<Vec<Received>>>,
    up: Arc<std::sync::atomic::AtomicBool>,
) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let (received, up) = (received.clone(), up.clone());
        tokio::spawn(async move {
            let _ = session(stream, received, up).await;
        });
    }
}

async fn session(
    stream: tokio::net::TcpStream,
    received: Arc<Mutex<Vec<Received>>>,
    up: Arc<std::sync::atomic::AtomicBool>,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 faults.test ESMTP\r\n").await?;
    let mut to = String::new();
    while let Some(line) = lines.next_line().await? {
        if !up.load(std::sync::atomic::Ordering::SeqCst) {
            write.write_all(b"421 faults.test closing\r\n").await?;
            break;
        }
        let upper = line.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            write
                .write_all(b"250-faults.test\r\n250 8BITMIME\r\n")
                .await?;
        } else if upper.starts_with("RCPT TO:") {
            to = line[8..]
                .trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned();
            write.write_all(b"250 OK\r\n").await?;
        } else if upper == "DATA" {
            write.write_all(b"354 go ahead\r\n").await?;
            let mut message_id = String::new();
            while let Some(data) = lines.next_line().await? {
                if data == "." {
                    break;
                }
                if data.to_ascii_lowercase().starts_with("message-id:") {
                    message_id = data[11..].trim().to_owned();
                }
            }
            received.lock().unwrap().push(Received {
                to: to.clone(),
                message_id,
            });
            write.write_all(b"250 OK queued\r\n").await?;
        } else if upper == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            break;
        } else {
            // MAIL FROM, RSET, NOOP: fine.
            write.write_all(b"250 OK\r\n").await?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Instances

struct Instance {
    port: u16,
    child: Option<Child>,
    _data: tempfile::TempDir,
}

struct Setup {
    database_url: String,
    public_url: String,
    smtp_url: String,
}

impl Instance {
    fn command(setup: &Setup, port: u16, data: &std::path::Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dorfplatz"));
        cmd.args(args)
            .env("DATABASE_URL", &setup.database_url)
            .env("DORFPLATZ_DATA_DIR", data)
            // One key for both, as operators configure several instances.
            .env(
                "DORFPLATZ_SECRET_KEY",
                "faults-test-secret-key-of-32-characters!",
            )
            .env("PUBLIC_URL", &setup.public_url)
            .env("SMTP_URL", &setup.smtp_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", data)
            // Fifty clients are fifty addresses, as behind the town hall's proxy.
            .env("DORFPLATZ_TRUST_X_FORWARDED_FOR", "1")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    }

    fn start(setup: &Setup, port: u16) -> Instance {
        let data = tempfile::tempdir().unwrap();
        let child = Self::command(setup, port, data.path(), &["serve"])
            .spawn()
            .unwrap();
        Instance {
            port,
            child: Some(child),
            _data: data,
        }
    }

    /// The same instance again (same address, so the same name for its mail leases).
    fn restart(&mut self, setup: &Setup) {
        self.kill();
        let child = Self::command(setup, self.port, self._data.path(), &["serve"])
            .spawn()
            .unwrap();
        self.child = Some(child);
    }

    /// SIGKILL: no shutdown, no cleanup.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    async fn wait_healthy(&self) {
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            if let Ok(r) = client.get(self.url("/healthz")).send().await
                && r.status() == 200
            {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "instance on port {} did not become healthy",
                self.port
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

// ---------------------------------------------------------------------------------------
// Signing

/// How a signing was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Ok,
    Unavailable,
    /// No answer: the connection failed (the instance was killed, or not yet back).
    Lost,
    Other(u16),
}

fn email_of(n: usize) -> String {
    format!("signer{n}@faults.example")
}

/// The number in letters (names take no digits): 0 → "a", 27 → "bb".
fn letters(mut n: usize) -> String {
    let mut out = String::new();
    loop {
        out.insert(0, char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            return out;
        }
    }
}

async fn sign(client: &reqwest::Client, instance_url: &str, origin: &str, n: usize) -> Answer {
    let email = email_of(n);
    let family = format!("Fehler{}", letters(n));
    let forwarded = format!("10.{}.{}.{}", n / 65_536 % 256, n / 256 % 256, n % 256);
    let res = client
        .post(format!("{instance_url}/api/sign_petition"))
        .header("origin", origin)
        .header("accept", "application/json")
        .header("x-forwarded-for", forwarded)
        .form(&[
            ("slug", "mvz-kalletal"),
            ("family_name", family.as_str()),
            ("given_names", "Erika"),
            ("birth_date", "1970-03-14"),
            ("street", "Lange Straße"),
            ("house_number", "12"),
            ("postal_code", "32689"),
            ("city", "Kalletal"),
            ("email", email.as_str()),
            ("consent", "on"),
        ])
        .timeout(Duration::from_secs(30))
        .send()
        .await;
    match res {
        Ok(r) if r.status() == 200 => Answer::Ok,
        Ok(r) if r.status() == 503 => Answer::Unavailable,
        Ok(r) => Answer::Other(r.status().as_u16()),
        Err(_) => Answer::Lost,
    }
}

/// Signature rows per signer address.
async fn rows_per_email(db: &DatabaseConnection) -> BTreeMap<String, i64> {
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT email, COUNT(*) AS n FROM signatures WHERE email LIKE '%@faults.example' GROUP BY email",
    ))
    .await
    .unwrap()
    .into_iter()
    .map(|r| {
        (
            r.try_get::<String>("", "email").unwrap(),
            r.try_get::<i64>("", "n").unwrap(),
        )
    })
    .collect()
}

/// The `n` a counting query answers.
async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "n")
        .unwrap()
}

/// How often the MVZ petition was ended by its deadline.
const EXPIRED: &str = "SELECT COUNT(*) AS n FROM petition_events e \
    JOIN petitions p ON p.id = e.petition_id WHERE p.slug = 'mvz-kalletal' AND e.step = 'expire'";

/// Waits until the outbox has sent every message to these addresses (or gives up after
/// `limit`), then returns the distinct Message-IDs and the raw count per address.
async fn wait_for_mail(
    db: &DatabaseConnection,
    mail: &MailServer,
    emails: &BTreeSet<String>,
    limit: Duration,
) -> BTreeMap<String, (BTreeSet<String>, usize)> {
    let started = Instant::now();
    loop {
        let unsent = count(
            db,
            "SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL AND recipient LIKE '%@faults.example'",
        )
        .await;
        let got: BTreeSet<String> = mail.received().into_iter().map(|r| r.to).collect();
        if unsent == 0 && emails.iter().all(|e| got.contains(e)) {
            break;
        }
        assert!(
            started.elapsed() < limit,
            "mail still unsent after {limit:?}: {unsent} in the outbox"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let mut per: BTreeMap<String, (BTreeSet<String>, usize)> = BTreeMap::new();
    for r in mail.received() {
        let e = per.entry(r.to).or_default();
        e.0.insert(r.message_id);
        e.1 += 1;
    }
    per
}

/// `pg_ctlcluster <version> main <action>`; whether it succeeded.
fn pg_cluster(action: &str) -> bool {
    let Some(version) = std::fs::read_dir("/etc/postgresql")
        .ok()
        .and_then(|mut d| d.next())
        .and_then(Result::ok)
        .map(|e| e.file_name())
    else {
        return false;
    };
    Command::new("pg_ctlcluster")
        .args(["--skip-systemctl-redirect"])
        .arg(&version)
        .args(["main", action])
        .status()
        .is_ok_and(|s| s.success())
}

/// Starts PostgreSQL again should the test fail while it is stopped: the machine's other
/// users (the next test run, the browser tests) need it.
struct StartOnDrop;

impl Drop for StartOnDrop {
    fn drop(&mut self) {
        if Command::new("pg_isready")
            .args(["-q", "-h", "127.0.0.1", "-p", "5432"])
            .status()
            .map(|s| !s.success())
            .unwrap_or(true)
        {
            pg_cluster("start");
        }
    }
}

async fn pg_ready() {
    let started = Instant::now();
    while Command::new("pg_isready")
        .args(["-q", "-h", "127.0.0.1", "-p", "5432"])
        .status()
        .map(|s| !s.success())
        .unwrap_or(true)
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "PostgreSQL did not come back"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

// ---------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_is_lost_when_things_fail() {
    let name = format!("dorfplatz_faults_{}", std::process::id());
    let admin = Database::connect(format!("{}/postgres", admin_url()))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();
    admin.close().await.unwrap();
    let mut mail = MailServer::start().await;
    let (port_a, port_b) = (free_port(), free_port());
    let setup = Setup {
        database_url: format!("{}/{name}", admin_url()),
        public_url: format!("http://127.0.0.1:{port_a}"),
        smtp_url: format!("smtp://{}", mail.addr),
    };
    // The demo municipality, with the MVZ petition in collection.
    let seeded_dir = tempfile::tempdir().unwrap();
    let seeded = Instance::command(&setup, port_a, seeded_dir.path(), &["demo"])
        .status()
        .unwrap();
    assert!(seeded.success());
    let db = Database::connect(&setup.database_url).await.unwrap();

    let mut a = Instance::start(&setup, port_a);
    let mut b = Instance::start(&setup, port_b);
    a.wait_healthy().await;
    b.wait_healthy().await;

    // 1. 1,000 signings from 50 clients over both instances; A is killed in the middle.
    let answers: Arc<Mutex<BTreeMap<usize, Answer>>> = Arc::default();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let clients: Vec<JoinHandle<()>> = (0..CLIENTS)
        .map(|c| {
            let (answers, next) = (answers.clone(), next.clone());
            let urls = [a.url(""), b.url("")];
            let origin = setup.public_url.clone();
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                loop {
                    let n = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    if n >= SIGNINGS {
                        break;
                    }
                    let answer = sign(&client, &urls[(n + c) % 2], &origin, n).await;
                    answers.lock().unwrap().insert(n, answer);
                }
            })
        })
        .collect();
    while answers.lock().unwrap().len() < SIGNINGS * 2 / 5 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    a.kill();
    tokio::time::sleep(Duration::from_millis(500)).await;
    a.restart(&setup);
    a.wait_healthy().await;
    for c in clients {
        c.await.unwrap();
    }
    let answers = answers.lock().unwrap().clone();
    let ok: Vec<usize> = answers
        .iter()
        .filter(|(_, a)| **a == Answer::Ok)
        .map(|(n, _)| *n)
        .collect();
    let lost = answers.values().filter(|a| **a == Answer::Lost).count();
    let other: Vec<_> = answers
        .iter()
        .filter(|(_, a)| !matches!(a, Answer::Ok | Answer::Lost))
        .collect();
    assert!(
        other.is_empty(),
        "{} unexpected answers, the first: {:?}",
        other.len(),
        &other[..other.len().min(5)]
    );
    assert!(lost > 0, "the kill met no request: the test tried nothing");
    assert!(ok.len() >= SIGNINGS - lost);
    let rows = rows_per_email(&db).await;
    for n in &ok {
        assert_eq!(rows.get(&email_of(*n)), Some(&1), "signing {n} answered OK");
    }
    // What was not answered happened once or not at all.
    assert!(rows.values().all(|n| *n == 1), "a signing stored twice");
    let stored: BTreeSet<String> = rows.keys().cloned().collect();
    let mails = wait_for_mail(&db, &mail, &stored, Duration::from_secs(120)).await;
    let mut resent = 0;
    for email in &stored {
        let (ids, raw) = &mails[email];
        assert_eq!(ids.len(), 1, "{email}: {ids:?}");
        assert!(
            !ids.iter().next().unwrap().is_empty(),
            "{email}: no Message-ID"
        );
        resent += raw - 1;
    }
    assert_eq!(
        mails.len(),
        stored.len(),
        "mail to someone who did not sign"
    );
    // Only the message the killed instance was sending may go out twice (same Message-ID).
    assert!(resent <= 1, "{resent} messages went out twice");
    println!(
        "kill: {} signings answered OK, {lost} lost with the killed instance, {} stored, {} confirmation mails ({resent} sent twice under one Message-ID)",
        ok.len(),
        stored.len(),
        stored.len() + resent
    );

    // 2. The mail server is down during a burst of signings, and comes back.
    mail.down();
    let before = mail.received().len();
    let client = reqwest::Client::new();
    let mut burst = BTreeSet::new();
    for n in SIGNINGS..SIGNINGS + 100 {
        let url = if n % 2 == 0 { a.url("") } else { b.url("") };
        assert_eq!(sign(&client, &url, &setup.public_url, n).await, Answer::Ok);
        burst.insert(email_of(n));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        mail.received().len(),
        before,
        "mail arrived while the server was down"
    );
    mail.up().await;
    // The first retry waits 30 seconds.
    let mails = wait_for_mail(&db, &mail, &burst, Duration::from_secs(120)).await;
    for email in &burst {
        let (ids, raw) = &mails[email];
        assert_eq!((ids.len(), *raw), (1, 1), "{email}");
    }

    // 3. PostgreSQL stops under load and starts again.
    let running = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let statuses: Arc<Mutex<Vec<Answer>>> = Arc::default();
    let load: Vec<JoinHandle<()>> = (0..4)
        .map(|c| {
            let (running, statuses) = (running.clone(), statuses.clone());
            let url = if c % 2 == 0 { a.url("") } else { b.url("") };
            let origin = setup.public_url.clone();
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let mut n = 100_000 + c * 10_000;
                while running.load(std::sync::atomic::Ordering::SeqCst) {
                    let answer = sign(&client, &url, &origin, n).await;
                    statuses.lock().unwrap().push(answer);
                    n += 1;
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let _restart_guard = StartOnDrop;
    assert!(
        pg_cluster("stop"),
        "pg_ctlcluster stop (the test needs root)"
    );
    let health = reqwest::get(a.url("/healthz")).await.unwrap();
    assert_eq!(health.status(), 503);
    let body: serde_json::Value = health.json().await.unwrap();
    assert_eq!(body["database"], "unreachable");
    tokio::time::sleep(Duration::from_secs(12)).await;
    assert!(pg_cluster("start"));
    pg_ready().await;
    // Both recover on their own.
    a.wait_healthy().await;
    b.wait_healthy().await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    running.store(false, std::sync::atomic::Ordering::SeqCst);
    for l in load {
        l.await.unwrap();
    }
    let statuses = statuses.lock().unwrap().clone();
    assert!(statuses.contains(&Answer::Unavailable), "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| matches!(s, Answer::Ok | Answer::Unavailable)),
        "only 200 and 503 while the database restarts: {statuses:?}"
    );
    println!(
        "database stopped for 12 s: {} signings answered 200, {} answered 503",
        statuses.iter().filter(|s| **s == Answer::Ok).count(),
        statuses
            .iter()
            .filter(|s| **s == Answer::Unavailable)
            .count()
    );
    let client = reqwest::Client::new();
    for (i, url) in [a.url(""), b.url("")].iter().enumerate() {
        assert_eq!(
            sign(&client, url, &setup.public_url, 200_000 + i).await,
            Answer::Ok,
            "after the restart"
        );
    }
    let db = Database::connect(&setup.database_url).await.unwrap();

    // 4. Both instances start at once; a petition past its deadline ends once.
    a.kill();
    b.kill();
    db.execute_unprepared(
        "UPDATE petitions SET end_date = CURRENT_DATE - 1 WHERE slug = 'mvz-kalletal'",
    )
    .await
    .unwrap();
    a.restart(&setup);
    b.restart(&setup);
    a.wait_healthy().await;
    b.wait_healthy().await;
    let started = Instant::now();
    let expired = loop {
        let n = count(&db, EXPIRED).await;
        if n > 0 || started.elapsed() > Duration::from_secs(30) {
            break n;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    // Both instances ran their first tick by now; give the slower one a moment more.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let again = count(&db, EXPIRED).await;
    assert_eq!((expired, again), (1, 1));

    a.kill();
    b.kill();
    db.close().await.unwrap();
    let admin = Database::connect(format!("{}/postgres", admin_url()))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await
        .unwrap();
}
