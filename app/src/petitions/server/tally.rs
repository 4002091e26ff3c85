//! What a petition's figures are: the counters, the per-status counts the database keeps by
//! trigger, and the signatures that started counting per day. Read by the petition page,
//! `tally.json` and the reports; never scans the signatures.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    AccessMode, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IsolationLevel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait, sea_query::Expr,
};

use crate::error::AppError;
use crate::infra::entities::signature::{
    channel::{ONLINE, PAPER},
    status,
};
use crate::infra::entities::{petition, petition_count, petition_status_count, signature};
use crate::petitions::rules;
use crate::petitions::view::{DayCount, Tally};
use crate::register::check::Status;
use crate::reports::{INVALID_REASONS, ReasonCount};

/// The aggregate figures of a petition: a few counter rows, the per-status counts the
/// database keeps by trigger, and the pending confirmations. All read in one read-only
/// snapshot, so the figures of a page or `tally.json` always fit together.
pub async fn tally(db: &DatabaseConnection, p: &petition::Model) -> Result<Tally, AppError> {
    let postgres = crate::infra::db::is_postgres(db);
    // SQLite reads inside a transaction from one snapshot anyway; PostgreSQL needs
    // REPEATABLE READ for two statements to see the same data.
    let tx = db
        .begin_with_config(
            postgres.then_some(IsolationLevel::RepeatableRead),
            postgres.then_some(AccessMode::ReadOnly),
        )
        .await?;
    let rows: Vec<(String, i64)> = petition_count::Entity::find()
        .select_only()
        .column(petition_count::Column::Channel)
        .column_as(Expr::cust("CAST(SUM(n) AS BIGINT)"), "total")
        .filter(petition_count::Column::PetitionId.eq(p.id))
        .group_by(petition_count::Column::Channel)
        .into_tuple()
        .all(&tx)
        .await?;
    let get = |c: &str| {
        rows.iter()
            .find(|(channel, _)| channel == c)
            .map(|(_, n)| u64::try_from(*n).unwrap_or(0))
            .unwrap_or(0)
    };
    let (online, paper) = (get(ONLINE), get(PAPER));
    let statuses: Vec<(String, String, i64)> = petition_status_count::Entity::find()
        .select_only()
        .column(petition_status_count::Column::Status)
        .column(petition_status_count::Column::Channel)
        .column_as(Expr::cust("CAST(SUM(n) AS BIGINT)"), "n")
        .filter(petition_status_count::Column::PetitionId.eq(p.id))
        .group_by(petition_status_count::Column::Status)
        .group_by(petition_status_count::Column::Channel)
        .into_tuple()
        .all(&tx)
        .await?;
    // A confirmation link that expired unused is no signature at all: the counts keep such
    // rows until they are deleted, so the pending ones are counted by their expiry (few,
    // and indexed by status).
    let pending_confirmation = signature::Entity::find()
        .filter(signature::Column::PetitionId.eq(p.id))
        .filter(signature::Column::Status.eq(status::PENDING_CONFIRMATION))
        .filter(signature::Column::ConfirmExpiresAt.gt(Utc::now()))
        .count(&tx)
        .await?;
    tx.commit().await?;
    let online_counts =
        rules::rule_set_by_id(&p.rule_set_id).is_some_and(|r| r.online_signatures_count);
    let mut by_status = std::collections::HashMap::<Status, u64>::new();
    let mut valid_counting = 0;
    for (code, channel, n) in statuses {
        let Some(s) = Status::parse(&code) else {
            continue;
        };
        let n = u64::try_from(n).unwrap_or(0);
        *by_status.entry(s).or_default() += n;
        if s == Status::Valid && (online_counts || channel != ONLINE) {
            valid_counting += n;
        }
    }
    let count = |s: Status| by_status.get(&s).copied().unwrap_or(0);
    let invalid_by_reason: Vec<ReasonCount> = INVALID_REASONS
        .into_iter()
        .map(|status| ReasonCount {
            status,
            count: count(status),
        })
        .collect();
    Ok(Tally {
        required: p.required.and_then(|r| u64::try_from(r).ok()),
        confirmed: online + paper,
        counting: if online_counts { online + paper } else { paper },
        online,
        paper,
        pending_confirmation,
        online_signatures_count: online_counts,
        valid: count(Status::Valid),
        valid_counting,
        invalid: invalid_by_reason.iter().map(|r| r.count).sum(),
        invalid_by_reason,
        pending: count(Status::NeedsReview) + count(Status::Unchecked),
        needs_review: count(Status::NeedsReview),
    })
}

/// Signatures that started counting per day (both channels), oldest first.
pub async fn per_day<C: ConnectionTrait>(
    db: &C,
    petition_id: i64,
) -> Result<Vec<DayCount>, AppError> {
    let rows: Vec<(NaiveDate, i64)> = petition_count::Entity::find()
        .select_only()
        .column(petition_count::Column::Day)
        .column_as(Expr::cust("CAST(SUM(n) AS BIGINT)"), "total")
        .filter(petition_count::Column::PetitionId.eq(petition_id))
        .group_by(petition_count::Column::Day)
        .order_by_asc(petition_count::Column::Day)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(day, n)| DayCount {
            day,
            count: u64::try_from(n).unwrap_or(0),
        })
        .collect())
}
