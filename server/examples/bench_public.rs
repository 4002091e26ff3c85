//! `make bench`: the anonymous public endpoints on a large history, on SQLite and PostgreSQL.
//! The demo plus 10,000 board sessions with 100,000 agenda items and 50,000 comments (1,000
//! of them on one proposal); the release server (`dorfplatz serve`, next to this example)
//! answers an OParl list page, a single OParl object, `/sessions.ics`, `/sessions` and the
//! proposal page with its 1,000 comments. Per route: the median of 50 requests from one
//! client, and the requests per second 50 clients get (wrk, 5 s), beside a static file of
//! the same server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use app::infra::entities::{agenda_item, board, comment, meeting, proposal, user};
use chrono::{Duration as Span, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryOrder,
    QuerySelect,
};

const SESSIONS: i64 = 10_000;
const ITEMS_PER_SESSION: i64 = 10;
const COMMENTS: i64 = 50_000;
const ON_ONE_PROPOSAL: i64 = 1_000;
const PORT: u16 = 3310;

/// The id after the highest of `column` (rows are written with their ids).
async fn next_id<E: EntityTrait>(db: &DatabaseConnection, column: E::Column) -> i64 {
    let highest: Option<Option<i64>> = E::find()
        .select_only()
        .column_as(column.max(), "highest")
        .into_tuple()
        .one(db)
        .await
        .unwrap();
    highest.flatten().map_or(1, |id| id + 1)
}

/// Ten years of sessions of the demo's boards, most of them past (a board meets monthly or
/// so); written directly, as the history would have grown.
async fn fill(db: &DatabaseConnection) -> i64 {
    let boards: Vec<i64> = board::Entity::find()
        .all(db)
        .await
        .unwrap()
        .iter()
        .map(|b| b.id)
        .collect();
    let proposals: Vec<i64> = proposal::Entity::find()
        .order_by_asc(proposal::Column::Id)
        .all(db)
        .await
        .unwrap()
        .iter()
        .map(|p| p.id)
        .collect();
    let authors: Vec<i64> = user::Entity::find()
        .all(db)
        .await
        .unwrap()
        .iter()
        .map(|u| u.id)
        .collect();
    let now = Utc::now();
    let first_meeting = next_id::<meeting::Entity>(db, meeting::Column::Id).await;
    let first_item = next_id::<agenda_item::Entity>(db, agenda_item::Column::Id).await;
    let mut meetings = Vec::new();
    let mut items = Vec::new();
    for k in 0..SESSIONS {
        let id = first_meeting + k;
        // From ten years ago to a few months ahead, about 8 hours apart.
        let starts = now - Span::days(3_650) + Span::hours(k * 9);
        let past = starts < now;
        meetings.push(meeting::ActiveModel {
            id: Set(id),
            board_id: Set(boards[k as usize % boards.len()]),
            title: Set(format!("Sitzung {k}")),
            starts_at: Set(starts),
            ends_at: Set(starts + Span::hours(2)),
            address: Set("Rathaus, Rintelner Straße 3, 32689 Kalletal".into()),
            room: Set("Ratssaal".into()),
            online_url: Set(None),
            // One in ten closed (as a session on personnel matters would be).
            public: Set(k % 10 != 3),
            status: Set(if past { "published" } else { "invited" }.into()),
            cancel_reason: Set(None),
            quorum: Set(past.then_some(true)),
            minutes: Set(past.then(|| format!("Protokoll der Sitzung {k}."))),
            minutes_html: Set(past.then(|| format!("<p>Protokoll der Sitzung {k}.</p>"))),
            minutes_approved_at: Set(past.then_some(starts + Span::days(7))),
            minutes_published_at: Set(past.then_some(starts + Span::days(8))),
            sequence: Set(0),
            invited_at: Set(Some(starts - Span::days(7))),
            created_by: Set(None),
            created_at: Set(starts - Span::days(14)),
            updated_at: Set(if past {
                starts + Span::days(8)
            } else {
                starts - Span::days(7)
            }),
            deleted_at: Set(None),
        });
        for position in 0..ITEMS_PER_SESSION {
            let item = first_item + k * ITEMS_PER_SESSION + position;
            items.push(agenda_item::ActiveModel {
                id: Set(item),
                meeting_id: Set(id),
                parent_id: Set(None),
                position: Set(position as i32 + 1),
                title: Set(format!("Tagesordnungspunkt {}", position + 1)),
                description: Set("Beratung und Empfehlung an den Rat.".into()),
                public: Set(position != 9),
                // Now and then a resident proposal is on the agenda (a proposal is discussed
                // in a session or two, not in thousands).
                proposal_id: Set((position == 0 && k % 1_000 == 0)
                    .then(|| proposals[(k / 1_000) as usize % proposals.len()])),
                petition_id: Set(None),
                notes: Set(String::new()),
                recommendation: Set(String::new()),
                votes_yes: Set(past.then_some(7)),
                votes_no: Set(past.then_some(1)),
                votes_abstain: Set(past.then_some(0)),
                majority: Set(past.then(|| "simple".into())),
                result: Set(past.then(|| "adopted".into())),
                created_at: Set(starts - Span::days(14)),
                updated_at: Set(starts - Span::days(14)),
                deleted_at: Set(None),
            });
        }
    }
    for chunk in meetings.chunks(500) {
        meeting::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await
            .unwrap();
    }
    for chunk in items.chunks(1_000) {
        agenda_item::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await
            .unwrap();
    }
    // Comments: 1,000 on the first proposal, the rest spread over the others.
    let first_comment = next_id::<comment::Entity>(db, comment::Column::Id).await;
    let mut rows = Vec::new();
    for k in 0..COMMENTS {
        let subject = if k < ON_ONE_PROPOSAL {
            proposals[0]
        } else {
            proposals[1 + k as usize % (proposals.len() - 1)]
        };
        let body = format!("Beitrag {k}: **Ja**, das sehe ich auch so.");
        rows.push(comment::ActiveModel {
            id: Set(first_comment + k),
            subject_type: Set("proposal".into()),
            subject_id: Set(subject),
            root_id: Set(None),
            parent_id: Set(None),
            reply_to_id: Set(None),
            depth: Set(0),
            author_id: Set(Some(authors[k as usize % authors.len()])),
            body_html: Set(Some(app::infra::markdown::to_safe_html(&body))),
            body: Set(body),
            likes: Set(k % 13),
            created_at: Set(now - Span::minutes(COMMENTS - k)),
            edited_at: Set(None),
            deleted_at: Set(None),
            hidden_at: Set(None),
            hidden_reason: Set(None),
            hidden_by: Set(None),
        });
    }
    for chunk in rows.chunks(1_000) {
        comment::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await
            .unwrap();
    }
    proposals[0]
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Requests per second of 50 connections for 5 s (wrk), if wrk is installed.
fn rate(url: &str) -> Option<f64> {
    let out = std::process::Command::new("wrk")
        .args(["-t2", "-c50", "-d5s", url])
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
}

async fn bench(name: &str, url: &str) {
    let db = server::startup::connect_and_migrate(url).await.unwrap();
    app::infra::audit::init_key(b"dorfplatz benchmark audit key");
    server::demo::seed(&db, &support::config()).await.unwrap();
    let started = Instant::now();
    let proposal = fill(&db).await;
    println!(
        "{name}: {SESSIONS} sessions, {} agenda items, {COMMENTS} comments written in {:.1} s",
        SESSIONS * ITEMS_PER_SESSION,
        started.elapsed().as_secs_f64()
    );
    // Ten years of history were not written in two seconds: PostgreSQL's autovacuum would
    // long since have analyzed the tables. Without it the planner takes the 100,000 items
    // for 11,000 and scans them for every page (measured: 22 ms of a 38 ms meeting page).
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        db.execute_unprepared("ANALYZE").await.unwrap();
    }
    drop(db);
    let bin = std::env::var("DORFPLATZ_BIN")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            // target/server-release/examples/bench_public -> target/server-release/dorfplatz
            let exe = std::env::current_exe().unwrap();
            exe.parent().unwrap().parent().unwrap().join("dorfplatz")
        });
    let data = tempfile::tempdir().unwrap();
    let site = format!("http://127.0.0.1:{PORT}");
    let mut child = std::process::Command::new(&bin)
        .arg("serve")
        .env("DATABASE_URL", url)
        .env("DORFPLATZ_DATA_DIR", data.path())
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{PORT}"))
        .env("PUBLIC_URL", &site)
        // The per-address limit would answer most of wrk's requests with 429.
        .env("DORFPLATZ_PUBLIC_READS_PER_MINUTE", "0")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if client
            .get(format!("{site}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let oparl = "/oparl/v1.1";
    // Lists page by key: the page after the object in the middle of each list.
    let middle_meetings = format!("{oparl}/body/1/meetings?after={}", SESSIONS / 2);
    let middle_items = format!(
        "{oparl}/body/1/agenda-items?after={}",
        SESSIONS * ITEMS_PER_SESSION / 2
    );
    let routes = [
        (
            "static file (pkg/dorfplatz.css)",
            "/pkg/dorfplatz.css".to_owned(),
        ),
        ("OParl meetings, middle page", middle_meetings),
        ("OParl agenda items, middle page", middle_items),
        ("OParl one meeting", format!("{oparl}/meeting/5000")),
        (
            "OParl one agenda item",
            format!("{oparl}/agenda-item/50000"),
        ),
        ("/sessions.ics", "/sessions.ics".to_owned()),
        ("/sessions (first page)", "/sessions".to_owned()),
        (
            "proposal page, 1,000 comments",
            format!("/proposals/{proposal}"),
        ),
    ];
    println!(
        "{:<34} {:>10} {:>10} {:>12}",
        "route", "bytes", "p50 (1)", "req/s (50)"
    );
    let mut static_rate = None;
    for (label, path) in routes {
        let url = format!("{site}{path}");
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..50 {
            let t = Instant::now();
            let response = client.get(&url).send().await.unwrap();
            assert!(
                response.status().is_success(),
                "{path} answered {}",
                response.status()
            );
            size = response.bytes().await.unwrap().len();
            times.push(t.elapsed());
        }
        let per_second = rate(&url);
        if static_rate.is_none() {
            static_rate = per_second;
        }
        let ratio = match (per_second, static_rate) {
            (Some(r), Some(s)) if s > 0.0 => format!("  ({:.2} of static)", r / s),
            _ => String::new(),
        };
        println!(
            "{label:<34} {size:>10} {:>7.2} ms {:>12}{ratio}",
            ms(median(times)),
            per_second.map_or("–".into(), |r| format!("{r:.0}")),
        );
    }
    child.kill().ok();
    child.wait().ok();
}

#[tokio::main]
async fn main() {
    println!(
        "Public endpoints on a long history: median of 50 requests from one client, requests per second of 50 clients"
    );
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("bench.db").display());
    bench("SQLite", &sqlite).await;
    support::with_postgres("dorfplatz_bench_public", |url| async move {
        bench("PostgreSQL", &url).await;
    })
    .await;
}
