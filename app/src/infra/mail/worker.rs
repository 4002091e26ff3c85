//! Delivers the outbox. Each message is leased by one worker (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL, SQLite's single writer otherwise), so several instances never send the same
//! message; failures are retried with growing pauses, and a message is given up after
//! `MAX_ATTEMPTS` (kept in the table with its last error).

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, Statement, Value,
};

use super::Mailer;
use crate::infra::entities::outbox;

pub const MAX_ATTEMPTS: i32 = 10;
/// How long a lease lasts: a worker that crashes mid-send frees its message after this.
const LEASE: TimeDelta = TimeDelta::minutes(5);

/// Pause before the next try after `attempts` failed ones: 30 s, 1 min, 2 min … at most 1 h.
pub fn backoff(attempts: i32) -> TimeDelta {
    let exp = attempts.clamp(1, 8) - 1;
    let secs = 30i64 << exp;
    TimeDelta::seconds(secs.min(3600))
}

/// Runs forever: deliver what is due, then wait a second.
pub async fn run(db: DatabaseConnection, mailer: Mailer, from: String, worker_id: String) {
    loop {
        match deliver_due(&db, &mailer, &from, &worker_id, 50).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "mail worker could not read the outbox"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Delivers up to `max` due messages; returns how many were attempted.
pub async fn deliver_due(
    db: &DatabaseConnection,
    mailer: &Mailer,
    from: &str,
    worker_id: &str,
    max: usize,
) -> Result<usize, DbErr> {
    let mut attempted = 0;
    while attempted < max {
        let Some(row) = claim(db, worker_id).await? else {
            break;
        };
        attempted += 1;
        match mailer.deliver(from, &row).await {
            Ok(()) => mark_sent(db, &row, worker_id).await?,
            Err(err) => {
                tracing::warn!(id = row.id, attempt = row.attempts, error = %err, "mail delivery failed");
                mark_failed(db, &row, worker_id, &err).await?;
            }
        }
    }
    Ok(attempted)
}

/// The columns the claim returns, named rather than `RETURNING *`: once, right after the
/// migration that added `list_unsubscribe`, the SQLite driver's worker thread panicked
/// reading a 15th value against 14 columns it had for the statement. Named columns keep the
/// statement's shape whatever the table gains later.
const COLUMNS: &str = "id, recipient, subject, body_text, body_html, attachments, created_at, \
    attempts, next_attempt_at, locked_until, locked_by, sent_at, failed_at, last_error, \
    list_unsubscribe";

async fn claim(db: &DatabaseConnection, worker_id: &str) -> Result<Option<outbox::Model>, DbErr> {
    let now = Utc::now();
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => format!(
            "UPDATE outbox SET locked_until = $1, locked_by = $2, attempts = attempts + 1 \
             WHERE id = (SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL \
             AND next_attempt_at <= $3 AND (locked_until IS NULL OR locked_until < $3) \
             ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING {COLUMNS}"
        ),
        _ => format!(
            "UPDATE outbox SET locked_until = ?1, locked_by = ?2, attempts = attempts + 1 \
             WHERE id = (SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL \
             AND next_attempt_at <= ?3 AND (locked_until IS NULL OR locked_until < ?3) \
             ORDER BY id LIMIT 1) RETURNING {COLUMNS}"
        ),
    };
    let values: Vec<Value> = vec![(now + LEASE).into(), worker_id.into(), now.into()];
    outbox::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(backend, sql, values))
        .one(db)
        .await
}

/// Frees the messages leased by an earlier run of this worker (same `worker_id`), which
/// ended without finishing them: killed, or the machine went down. Called once at start,
/// when that run is known to be gone. A message it had handed to the mail server just
/// before it died goes out a second time, under the same `Message-ID`, which mail programs
/// and providers show once.
pub async fn release_leases_of(db: &DatabaseConnection, worker_id: &str) -> Result<u64, DbErr> {
    exec(
        db,
        "UPDATE outbox SET locked_until = NULL WHERE locked_by = {1} AND sent_at IS NULL \
         AND failed_at IS NULL AND locked_until IS NOT NULL",
        vec![worker_id.into()],
    )
    .await
}

/// Marks a message sent and takes out of the stored copy what a database dump must not
/// yield: the single-use links (their tokens) and the attachments (a personal sheet).
async fn mark_sent(
    db: &DatabaseConnection,
    row: &outbox::Model,
    worker_id: &str,
) -> Result<(), DbErr> {
    exec(
        db,
        "UPDATE outbox SET sent_at = {1}, locked_until = NULL, last_error = NULL, \
         body_text = {2}, body_html = {3}, attachments = {4} WHERE id = {5} AND locked_by = {6}",
        vec![
            Utc::now().into(),
            redact_links(&row.body_text).into(),
            redact_links(&row.body_html).into(),
            Option::<String>::None.into(),
            row.id.into(),
            worker_id.into(),
        ],
    )
    .await?;
    Ok(())
}

/// Every `token=…` in a message with its value removed.
pub fn redact_links(body: &str) -> String {
    const MARK: &str = "token=";
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at + MARK.len()]);
        out.push_str("[entfernt]");
        rest = &rest[at + MARK.len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

async fn mark_failed(
    db: &DatabaseConnection,
    row: &outbox::Model,
    worker_id: &str,
    error: &str,
) -> Result<(), DbErr> {
    let now = Utc::now();
    let error: String = error.chars().take(2000).collect();
    if row.attempts >= MAX_ATTEMPTS {
        exec(
            db,
            "UPDATE outbox SET failed_at = {1}, locked_until = NULL, last_error = {2} WHERE id = {3} AND locked_by = {4}",
            vec![now.into(), error.into(), row.id.into(), worker_id.into()],
        )
        .await?;
    } else {
        exec(
            db,
            "UPDATE outbox SET next_attempt_at = {1}, locked_until = NULL, last_error = {2} WHERE id = {3} AND locked_by = {4}",
            vec![(now + backoff(row.attempts)).into(), error.into(), row.id.into(), worker_id.into()],
        )
        .await?;
    }
    Ok(())
}

/// Runs a statement written with `{n}` placeholders on either database; the rows it changed.
async fn exec(db: &DatabaseConnection, sql: &str, values: Vec<Value>) -> Result<u64, DbErr> {
    let backend = db.get_database_backend();
    let mut sql = sql.to_owned();
    for n in 1..=values.len() {
        let placeholder = match backend {
            DbBackend::Postgres => format!("${n}"),
            _ => format!("?{n}"),
        };
        sql = sql.replace(&format!("{{{n}}}"), &placeholder);
    }
    Ok(db
        .execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?
        .rows_affected())
}

/// How long sent and given-up messages stay in the outbox: long enough to answer "did the
/// mail go out?", short enough that signers' addresses and receipts (with the personal
/// sheet) do not outlive their use.
pub const KEEP_DELIVERED: TimeDelta = TimeDelta::days(30);

/// Deletes messages sent or given up before `older_than` ago; returns how many.
pub async fn purge_delivered(db: &DatabaseConnection, older_than: TimeDelta) -> Result<u64, DbErr> {
    use sea_orm::{ColumnTrait, Condition, QueryFilter};
    let before = Utc::now() - older_than;
    let res = outbox::Entity::delete_many()
        .filter(
            Condition::any()
                .add(outbox::Column::SentAt.lt(before))
                .add(outbox::Column::FailedAt.lt(before)),
        )
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped_at_an_hour() {
        assert_eq!(backoff(1), TimeDelta::seconds(30));
        assert_eq!(backoff(2), TimeDelta::seconds(60));
        assert_eq!(backoff(3), TimeDelta::seconds(120));
        assert_eq!(backoff(8), TimeDelta::seconds(3600));
        assert_eq!(backoff(50), TimeDelta::seconds(3600));
    }

    #[test]
    fn a_sent_message_keeps_no_usable_link() {
        assert_eq!(
            redact_links(
                "Bitte hier: https://x.de/confirm?token=Ab-c_9 bestätigen.\n/receipt?token=Zz"
            ),
            "Bitte hier: https://x.de/confirm?token=[entfernt] bestätigen.\n/receipt?token=[entfernt]"
        );
        assert_eq!(
            redact_links("<a href=\"/r?token=abc&amp;x=1\">"),
            "<a href=\"/r?token=[entfernt]&amp;x=1\">"
        );
        assert_eq!(redact_links("ohne Link"), "ohne Link");
    }
}
