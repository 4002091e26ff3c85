//! `make bench`: reports over a petition with 1,000,000 signatures on SQLite and PostgreSQL –
//! the public figures (`tally.json` and the petition page), the staff tally with every
//! breakdown, the CSV/XLSX/PDF check report, and the per-signature CSV export streamed
//! through to the end (rows per second, and the process's peak memory after 100,000 rows and
//! after all of them: the export must not grow with the count).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::Write;
use std::time::{Duration, Instant};

use app::petitions::server::export;
use app::petitions::server::procedure as petitions;
use app::petitions::server::signatures;
use app::reports::Format;
use app::reports::server as reports;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use server::demo;

const SIGNATURES: i64 = 1_000_000;

/// One million signatures generated inside the database (one statement): statuses in a
/// realistic mix, sixteen villages, ninety days, a tenth given online.
async fn fill(db: &DatabaseConnection, petition_id: i64) {
    let postgres = db.get_database_backend() == DbBackend::Postgres;
    let numbers = if postgres {
        format!("SELECT generate_series(0, {}) AS i", SIGNATURES - 1)
    } else {
        format!(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {}) SELECT i FROM n",
            SIGNATURES - 1
        )
    };
    let day = if postgres {
        "DATE '2026-09-01' + (i % 90)::int"
    } else {
        "date('2026-09-01', '+' || (i % 90) || ' days')"
    };
    let status = "CASE \
        WHEN i % 100 < 78 THEN 'valid' WHEN i % 100 < 83 THEN 'not_found' \
        WHEN i % 100 < 85 THEN 'underage' WHEN i % 100 < 86 THEN 'not_citizen' \
        WHEN i % 100 < 87 THEN 'not_main_residence' WHEN i % 100 < 88 THEN 'residence_too_short' \
        WHEN i % 100 < 91 THEN 'duplicate' WHEN i % 100 < 92 THEN 'incomplete' \
        WHEN i % 100 < 93 THEN 'invalid_sheet' WHEN i % 100 < 94 THEN 'after_deadline' \
        WHEN i % 100 < 96 THEN 'needs_review' WHEN i % 100 < 98 THEN 'unchecked' \
        ELSE 'withdrawn' END";
    let district = "CASE i % 16 \
        WHEN 0 THEN 'Hohenhausen' WHEN 1 THEN 'Talle' WHEN 2 THEN 'Varenholz' WHEN 3 THEN 'Erder' \
        WHEN 4 THEN 'Brosen' WHEN 5 THEN 'Lüdenhausen' WHEN 6 THEN 'Langenholzhausen' \
        WHEN 7 THEN 'Stemmen' WHEN 8 THEN 'Bavenhausen' WHEN 9 THEN 'Heidelbeck' \
        WHEN 10 THEN 'Kalldorf' WHEN 11 THEN 'Asendorf' WHEN 12 THEN 'Westorf' \
        WHEN 13 THEN 'Harkemissen' WHEN 14 THEN 'Bentorf' ELSE NULL END";
    let placeholder = if postgres { "$1" } else { "?" };
    let sql = format!(
        "INSERT INTO signatures (petition_id, channel, status, family_name, given_names, birth_date, \
         street, house_number, postal_code, city, identity_key, notify, sheet_number, line_number, \
         signed_on, counted_on, created_at, district, manual) \
         SELECT {petition_id}, CASE WHEN i % 10 = 0 THEN 'online' ELSE 'paper' END, {status}, \
         'Familie' || i, 'Vorname', NULL, 'Hauptstraße', '' || (i % 200), '32689', 'Kalletal', \
         'bench|' || i, {false_}, CASE WHEN i % 10 = 0 THEN NULL ELSE 100000 + i / 10 END, \
         CASE WHEN i % 10 = 0 THEN NULL ELSE i % 10 + 1 END, {day}, {day}, {placeholder}, {district}, {false_} \
         FROM ({numbers}) AS numbers",
        false_ = if postgres { "false" } else { "0" },
    );
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        sql,
        [chrono::Utc::now().into()],
    ))
    .await
    .unwrap();
    if postgres {
        db.execute_unprepared("VACUUM ANALYZE signatures")
            .await
            .unwrap();
    } else {
        db.execute_unprepared("ANALYZE").await.unwrap();
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1_000.0)
}

/// The median of five runs.
async fn median<F, Fut>(mut f: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        f().await;
        times.push(started.elapsed());
    }
    times.sort();
    times[2]
}

async fn bench(name: &str, url: &str) {
    let db = server::startup::connect_and_migrate(url).await.unwrap();
    // The audit chain is keyed; a benchmark has its own key.
    app::infra::audit::init_key(b"dorfplatz benchmark audit key");
    demo::seed(&db, &support::config()).await.unwrap();
    let p = petitions::find_by_slug(&db, "mvz-kalletal").await.unwrap();
    let started = Instant::now();
    fill(&db, p.id).await;
    println!(
        "{name}: {SIGNATURES} signatures generated in {:.1} s (the triggers append one count delta each)",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let folded = reports::compact_status_counts(&db).await.unwrap();
    println!(
        "{name}: {folded} count deltas folded in {:.1} s (the background job does this every minute)",
        started.elapsed().as_secs_f64()
    );

    let right_after = median(|| async {
        signatures::tally(&db, &p).await.unwrap();
    })
    .await;
    if db.get_database_backend() == DbBackend::Postgres {
        // What autovacuum does soon after: the folded rows' index entries go away.
        db.execute_unprepared("VACUUM ANALYZE petition_status_counts")
            .await
            .unwrap();
    }
    let public = median(|| async {
        signatures::tally(&db, &p).await.unwrap();
    })
    .await;
    let staff = median(|| async {
        reports::tally_report(&db, &p).await.unwrap();
    })
    .await;
    let report = reports::tally_report(&db, &p).await.unwrap();
    assert!(report.total() >= SIGNATURES as u64 * 9 / 10);
    let mut files = Vec::new();
    for format in Format::ALL {
        let started = Instant::now();
        let bytes = reports::render(&report, format).unwrap();
        files.push(format!(
            "{} {} ({} KB)",
            format.extension(),
            ms(started.elapsed()),
            bytes.len() / 1024
        ));
    }
    println!(
        "{name}: public figures (tally.json, petition page) {} right after folding, {} after vacuum; staff tally with all breakdowns {}; files: {}",
        ms(right_after),
        ms(public),
        ms(staff),
        files.join(", ")
    );

    // The per-signature export, page by page into a sink, as the download streams it.
    let before = support::peak_memory_mb();
    let started = Instant::now();
    let mut out = std::io::sink();
    let (mut after, mut rows, mut bytes) = (0i64, 0u64, 0u64);
    let mut peak_at_100k = 0;
    while let Some((page, last)) = export::signatures_page(&db, p.id, after).await.unwrap() {
        out.write_all(&page).unwrap();
        bytes += page.len() as u64;
        rows += page.iter().filter(|b| **b == b'\n').count() as u64;
        if peak_at_100k == 0 && rows >= 100_000 {
            peak_at_100k = support::peak_memory_mb();
        }
        if last == i64::MAX {
            break;
        }
        after = last;
    }
    let took = started.elapsed();
    println!(
        "{name}: signature export {} rows ({} MB) in {:.1} s = {:.0} rows/s; peak memory {} MB before, {} MB after 100,000 rows, {} MB after all",
        rows - 1,
        bytes / 1_000_000,
        took.as_secs_f64(),
        (rows - 1) as f64 / took.as_secs_f64(),
        before,
        peak_at_100k,
        support::peak_memory_mb()
    );
    db.close().await.unwrap();
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    bench(
        "SQLite (file, WAL)",
        &format!("sqlite://{}/bench.db", dir.path().display()),
    )
    .await;

    support::with_postgres("dorfplatz_bench_reports", |url| async move {
        bench("PostgreSQL", &url).await
    })
    .await;
}
