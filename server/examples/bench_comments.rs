//! `make bench`: a thread of 5,000 comments on one proposal, on SQLite and PostgreSQL – the
//! time to build its first page on the server (the data the page shows: 20 top-level
//! comments with all their replies, names, likes), in two shapes: 1,000 top-level comments
//! with four replies each, and one discussion with 4,999 replies under a single comment
//! (the worst case: one page carries them all). Median of 50 runs each, for a guest and for
//! a signed-in reader (whose likes are looked up too). Then the whole proposal page, as the
//! release server (`dorfplatz serve`, next to this example) renders it for a guest over HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use app::comments::domain::{Order, SubjectKind};
use app::comments::server as comments;
use app::infra::auth::SessionUser;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait, QueryOrder};
use server::demo;

const COMMENTS: i64 = 5_000;

/// Writes the thread directly (the posting limit is per person and minute, not the point).
async fn fill(db: &DatabaseConnection, proposal: i64, authors: &[i64], roots: i64) {
    use app::infra::entities::comment;
    let now = chrono::Utc::now();
    let per_root = COMMENTS / roots;
    let mut rows = Vec::new();
    let mut next_id = comment::Entity::find()
        .order_by_desc(comment::Column::Id)
        .one(db)
        .await
        .unwrap()
        .map_or(1, |c| c.id + 1);
    for r in 0..roots {
        let root = next_id;
        next_id += 1;
        let mut parent = None;
        for k in 0..per_root {
            let id = if k == 0 { root } else { next_id + k - 1 };
            let depth = k.min(2) as i16;
            let body = format!(
                "Beitrag {r}/{k}: **Ja**, das sehe ich auch so – und ein [Link](https://kalletal.de) dazu."
            );
            rows.push(comment::ActiveModel {
                id: Set(id),
                subject_type: Set("proposal".into()),
                subject_id: Set(proposal),
                root_id: Set((k > 0).then_some(root)),
                parent_id: Set(if k == 0 { None } else { parent }),
                reply_to_id: Set(if k == 0 { None } else { parent }),
                depth: Set(depth),
                author_id: Set(Some(authors[(r + k) as usize % authors.len()])),
                // Stored rendered, as the site does when a comment is saved.
                body_html: Set(Some(app::infra::markdown::to_safe_html(&body))),
                body: Set(body),
                likes: Set((r * 7 + k) % 13),
                created_at: Set(now),
                edited_at: Set(None),
                deleted_at: Set(None),
                hidden_at: Set(None),
                hidden_reason: Set(None),
                hidden_by: Set(None),
            });
            // Deeper than three levels, replies attach beside the third.
            if k < 2 {
                parent = Some(id);
            }
        }
        next_id += per_root - 1;
    }
    for chunk in rows.chunks(500) {
        comment::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await
            .unwrap();
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

async fn measure(
    db: &DatabaseConnection,
    viewer: Option<&SessionUser>,
    proposal: i64,
    focus: Option<(i64, u64)>,
) -> (Duration, usize) {
    let mut times = Vec::new();
    let mut shown = 0;
    for _ in 0..50 {
        let started = Instant::now();
        let t = comments::thread(
            db,
            viewer,
            SubjectKind::Proposal,
            proposal,
            comments::ThreadPage {
                order: Order::Newest,
                page: 1,
                focus,
            },
        )
        .await
        .unwrap();
        times.push(started.elapsed());
        shown = t.roots.iter().map(|r| 1 + r.replies.len()).sum();
        assert_eq!(t.total, COMMENTS as u64, "the thread holds every comment");
    }
    (median(times), shown)
}

/// The proposal page served by the release binary on this database: median of 20 requests.
async fn page_render(url: &str, proposal: i64) -> Option<(Duration, usize)> {
    let bin = std::env::var("DORFPLATZ_BIN")
        .map(std::path::PathBuf::from)
        .ok()
        .or_else(|| {
            // target/server-release/examples/bench_comments -> target/server-release/dorfplatz
            std::env::current_exe()
                .ok()
                .and_then(|e| e.parent()?.parent().map(|d| d.join("dorfplatz")))
        })?;
    if !bin.exists() {
        println!(
            "(no release server at {}: page timing skipped)",
            bin.display()
        );
        return None;
    }
    let data = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(&bin)
        .arg("serve")
        .env("DATABASE_URL", url)
        .env("DORFPLATZ_DATA_DIR", data.path())
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:3300")
        .env("PUBLIC_URL", "http://127.0.0.1:3300")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    for _ in 0..100 {
        if client
            .get("http://127.0.0.1:3300/healthz")
            .send()
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let page = format!("http://127.0.0.1:3300/proposals/{proposal}");
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..20 {
        let started = Instant::now();
        let body = client
            .get(&page)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        times.push(started.elapsed());
        size = body.len();
    }
    child.kill().ok();
    child.wait().ok();
    Some((median(times), size))
}

async fn bench(name: &str, url: &str) {
    use app::infra::entities::{proposal, user};
    for (shape, roots) in [
        ("1,000 × (1 + 4 replies)", 1_000),
        ("1 × (1 + 4,999 replies)", 1),
    ] {
        let db = server::startup::connect_and_migrate(url).await.unwrap();
        // The audit chain is keyed; a benchmark has its own key.
        app::infra::audit::init_key(b"dorfplatz benchmark audit key");
        // Fresh start for each shape: the demo's own threads are removed.
        use sea_orm::ConnectionTrait;
        db.execute_unprepared("DELETE FROM comments").await.ok();
        if server::demo::is_empty(&db).await.unwrap() {
            demo::seed(&db, &support::config()).await.unwrap();
            db.execute_unprepared("DELETE FROM comments").await.unwrap();
        }
        let proposal = proposal::Entity::find()
            .order_by_asc(proposal::Column::Id)
            .one(&db)
            .await
            .unwrap()
            .unwrap()
            .id;
        let users = user::Entity::find().all(&db).await.unwrap();
        let authors: Vec<i64> = users.iter().map(|u| u.id).collect();
        fill(&db, proposal, &authors, roots).await;
        let reader = SessionUser {
            id: authors[0],
            session_id: 0,
            email: String::new(),
            display_name: "Leserin".into(),
            roles: Vec::new(),
            blocked: false,
            two_factor: false,
        };
        let (guest, shown) = measure(&db, None, proposal, None).await;
        let (signed_in, _) = measure(&db, Some(&reader), proposal, None).await;
        println!(
            "{name:<10} {shape:<26} first page ({shown:>4} comments shown): guest {:>6.2} ms, signed in {:>6.2} ms",
            guest.as_secs_f64() * 1000.0,
            signed_in.as_secs_f64() * 1000.0
        );
        if let Some((took, size)) = page_render(url, proposal).await {
            println!(
                "{name:<10} {:<26} whole page over HTTP ({} KB): {:>6.2} ms",
                "",
                size / 1024,
                took.as_secs_f64() * 1000.0
            );
        }
        if roots == 1 {
            // The discussion on its own, at its last page of replies.
            let root = app::infra::entities::comment::Entity::find()
                .order_by_asc(app::infra::entities::comment::Column::Id)
                .one(&db)
                .await
                .unwrap()
                .unwrap()
                .id;
            let last = (COMMENTS as u64 - 1).div_ceil(app::comments::domain::REPLIES_PER_PAGE);
            let (alone, shown) = measure(&db, Some(&reader), proposal, Some((root, last))).await;
            println!(
                "{name:<10} {:<26} its last page of replies ({shown:>4} shown): signed in {:>6.2} ms",
                "  the discussion alone",
                alone.as_secs_f64() * 1000.0
            );
        }
    }
}

#[tokio::main]
async fn main() {
    println!(
        "A thread of {COMMENTS} comments: building its first page on the server (median of 50)"
    );
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("bench.db").display());
    bench("SQLite", &sqlite).await;
    support::with_postgres("dorfplatz_bench_comments", |url| async move {
        bench("PostgreSQL", &url).await;
    })
    .await;
}
