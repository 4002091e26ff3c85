//! Attendance, votes and results, and the staff report of what the boards decided.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, sea_query::OnConflict,
};
use serde_json::json;

use crate::boards::BoardReportRow;
use crate::boards::domain::{self, ItemResult, Majority, MeetingStatus, Votes};
use crate::boards::server::members::role_of;
use crate::error::{AppError, FieldErrors};
use crate::i18n::t;
use crate::infra::audit::{self};
use crate::infra::auth::SessionUser;
use crate::infra::db::begin_write;
use crate::infra::entities::{agenda_item, board, meeting, meeting_attendance};

use super::*;

/// What the outcome form sends.
#[derive(Debug, Clone, Default)]
pub struct OutcomeInput {
    pub notes: String,
    pub recommendation: String,
    pub votes_yes: String,
    pub votes_no: String,
    pub votes_abstain: String,
    pub majority: String,
    /// Postponed without a vote.
    pub postpone: bool,
}

/// Records an item's notes, recommendation and vote; the result follows from the counts,
/// the majority rule and the recorded quorum. Returns the session.
pub async fn record_outcome(
    db: &DatabaseConnection,
    user: &SessionUser,
    item_id: i64,
    input: &OutcomeInput,
) -> Result<i64, AppError> {
    let (item, m) = find_item_managed(db, user, item_id).await?;
    if !status_of(&m).records_outcomes() {
        return Err(AppError::field(
            "notes",
            match status_of(&m) {
                MeetingStatus::Planned => t("board-outcome-before-invite"),
                s => not_editable(s),
            },
        ));
    }
    let mut errors = FieldErrors::new();
    let notes = errors.check(
        "notes",
        domain::parse_text(&input.notes, &t("board-what-notes")),
    );
    let recommendation = errors.check(
        "recommendation",
        domain::parse_text(&input.recommendation, &t("board-what-recommendation")),
    );
    let mut outcome: Option<(Option<Votes>, Option<Majority>, Option<ItemResult>)> = None;
    let nothing_voted = [&input.votes_yes, &input.votes_no, &input.votes_abstain]
        .iter()
        .all(|v| v.trim().is_empty());
    if input.postpone {
        outcome = Some((None, None, Some(ItemResult::Postponed)));
    } else if nothing_voted && input.majority.trim().is_empty() {
        // Notes only, no vote (yet).
        outcome = Some((None, None, None));
    } else {
        let attendance = attendance_of(db, &m).await?;
        let (voting, present) = vote_base(&attendance);
        let majority = Majority::parse(input.majority.trim());
        if majority.is_none() {
            errors.add("majority", t("board-majority-missing"));
        }
        match (present, m.quorum) {
            (Some(present), Some(quorum)) => {
                match domain::parse_votes(
                    &input.votes_yes,
                    &input.votes_no,
                    &input.votes_abstain,
                    present,
                ) {
                    Ok(votes) => {
                        if let Some(majority) = majority {
                            let result = domain::decide(votes, majority, voting, quorum);
                            outcome = Some((Some(votes), Some(majority), Some(result)));
                        }
                    }
                    Err(list) => {
                        for (field, message) in list {
                            errors.add(field, message);
                        }
                    }
                }
            }
            _ => errors.add("votes_yes", t("board-attendance-first")),
        }
    }
    errors.into_result()?;
    let (Some(notes), Some(recommendation), Some((votes, majority, result))) =
        (notes, recommendation, outcome)
    else {
        return Err(AppError::Internal);
    };
    let tx = begin_write(db).await?;
    let mut row: agenda_item::ActiveModel = item.into();
    row.notes = Set(notes);
    row.recommendation = Set(recommendation);
    row.votes_yes = Set(votes.map(|v| v.yes as i32));
    row.votes_no = Set(votes.map(|v| v.no as i32));
    row.votes_abstain = Set(votes.map(|v| v.abstain as i32));
    row.majority = Set(majority.map(|x| x.code().to_owned()));
    row.result = Set(result.map(|r| r.code().to_owned()));
    row.updated_at = Set(Utc::now());
    row.update(&tx).await?;
    unapprove(&tx, m.id).await?;
    audit::append(
        &tx,
        log(
            user,
            "agenda.outcome_recorded",
            m.id,
            json!({ "item": item_id, "votes": votes, "result": result.map(ItemResult::code) }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(m.id)
}

/// Records who was present (member ids) and whether the board had a quorum (`yes`, `no`, or
/// empty for "as the numbers say"); the session counts as held.
pub async fn record_attendance(
    db: &DatabaseConnection,
    user: &SessionUser,
    id: i64,
    present: &[i64],
    quorum: &str,
) -> Result<(), AppError> {
    let m = find_managed(db, user, id).await?;
    if !status_of(&m).records_outcomes() {
        return Err(AppError::field(
            "present",
            match status_of(&m) {
                MeetingStatus::Planned => t("board-invite-first"),
                s => not_editable(s),
            },
        ));
    }
    if Utc::now() < m.starts_at - ATTENDANCE_LEAD {
        return Err(AppError::field("present", t("board-attendance-too-early")));
    }
    let attendance = attendance_of(db, &m).await?;
    if let Some(stranger) = present
        .iter()
        .find(|p| !attendance.iter().any(|(mem, _, _)| mem.id == **p))
    {
        tracing::info!(member = stranger, "attendance names a non-member");
        return Err(AppError::field("present", t("board-attendance-not-member")));
    }
    let voting = attendance
        .iter()
        .filter(|(mem, _, _)| role_of(mem).votes())
        .count() as u32;
    let present_voting = attendance
        .iter()
        .filter(|(mem, _, _)| role_of(mem).votes() && present.contains(&mem.id))
        .count() as u32;
    let quorum = match quorum.trim() {
        "yes" => true,
        "no" => false,
        "" => domain::has_quorum(present_voting, voting),
        _ => {
            return Err(AppError::field("quorum", t("board-quorum-missing")));
        }
    };
    let tx = begin_write(db).await?;
    for (mem, _, _) in &attendance {
        meeting_attendance::Entity::insert(meeting_attendance::ActiveModel {
            meeting_id: Set(id),
            member_id: Set(mem.id),
            response: Set(None),
            responded_at: Set(None),
            present: Set(Some(present.contains(&mem.id))),
        })
        .on_conflict(
            OnConflict::columns([
                meeting_attendance::Column::MeetingId,
                meeting_attendance::Column::MemberId,
            ])
            .update_column(meeting_attendance::Column::Present)
            .to_owned(),
        )
        .exec_without_returning(&tx)
        .await?;
    }
    // Results recorded before a correction follow the corrected quorum.
    for (item, _) in items_of(&tx, id).await? {
        if let (Some(votes), Some(majority)) = (
            votes_of(&item),
            item.majority.as_deref().and_then(Majority::parse),
        ) {
            let result = domain::decide(votes, majority, voting, quorum);
            agenda_item::Entity::update_many()
                .col_expr(agenda_item::Column::Result, result.code().into())
                .filter(agenda_item::Column::Id.eq(item.id))
                .exec(&tx)
                .await?;
        }
    }
    unapprove(&tx, id).await?;
    let mut row: meeting::ActiveModel = m.into();
    row.quorum = Set(Some(quorum));
    row.status = Set(MeetingStatus::Held.code().to_owned());
    row.updated_at = Set(Utc::now());
    row.update(&tx).await?;
    audit::append(
        &tx,
        log(
            user,
            "session.attendance_recorded",
            id,
            json!({ "present": present_voting, "voting": voting, "quorum": quorum }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Per board: sessions held and cancelled, the attendance rate of voting members, and what
/// became of the recommendations (the staff report).
pub async fn report(db: &DatabaseConnection) -> Result<Vec<BoardReportRow>, AppError> {
    let boards = board::Entity::find()
        .filter(board::Column::DeletedAt.is_null())
        .order_by_asc(board::Column::Name)
        .all(db)
        .await?;
    let mut rows = Vec::with_capacity(boards.len());
    for b in boards {
        let sessions = meeting::Entity::find()
            .filter(meeting::Column::BoardId.eq(b.id))
            .filter(meeting::Column::DeletedAt.is_null())
            .all(db)
            .await?;
        let mut row = BoardReportRow {
            board: b.name.clone(),
            held: 0,
            cancelled: 0,
            attendance_percent: None,
            adopted: 0,
            rejected: 0,
            postponed: 0,
        };
        let (mut present_sum, mut voting_sum) = (0u64, 0u64);
        for m in &sessions {
            match status_of(m) {
                MeetingStatus::Held | MeetingStatus::Published => row.held += 1,
                MeetingStatus::Cancelled => {
                    row.cancelled += 1;
                    continue;
                }
                _ => continue,
            }
            let (voting, present) = vote_base(&attendance_of(db, m).await?);
            if let Some(present) = present {
                present_sum += u64::from(present);
                voting_sum += u64::from(voting);
            }
            for (item, _) in items_of(db, m.id).await? {
                match item.result.as_deref().and_then(ItemResult::parse) {
                    Some(ItemResult::Adopted) => row.adopted += 1,
                    Some(ItemResult::Rejected) => row.rejected += 1,
                    Some(ItemResult::Postponed) => row.postponed += 1,
                    None => {}
                }
            }
        }
        row.attendance_percent =
            (voting_sum > 0).then(|| (present_sum * 100 + voting_sum / 2) / voting_sum);
        rows.push(row);
    }
    Ok(rows)
}
