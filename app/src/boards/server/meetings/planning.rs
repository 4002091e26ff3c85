//! Planning a session: the form, creating, changing and deleting it.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, sea_query::Expr,
};
use serde_json::json;

use crate::boards::domain::{self, MeetingStatus};
use crate::boards::server::members::{self as boards};
use crate::error::{AppError, FieldErrors};
use crate::i18n::t;
use crate::infra::audit::{self, Entry};
use crate::infra::auth::SessionUser;
use crate::infra::db::begin_write;
use crate::infra::entities::meeting;
use crate::infra::state::AppConfig;
use crate::time::from_berlin;

use super::*;

/// What the session form sends.
#[derive(Debug, Clone, Default)]
pub struct MeetingInput {
    pub title: String,
    pub starts_at: String,
    pub ends_at: String,
    pub address: String,
    pub room: String,
    pub online_url: String,
    pub public: bool,
}

pub(super) struct ParsedMeeting {
    title: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    address: String,
    room: String,
    online_url: Option<String>,
    public: bool,
}

pub(super) fn parse_meeting(input: &MeetingInput) -> Result<ParsedMeeting, AppError> {
    let mut errors = FieldErrors::new();
    let title = errors.check("title", domain::parse_title(&input.title));
    let starts = errors.check(
        "starts_at",
        domain::parse_local(&input.starts_at, &t("board-what-starts")),
    );
    let ends = errors.check(
        "ends_at",
        domain::parse_local(&input.ends_at, &t("board-what-ends")),
    );
    if let (Some(s), Some(e)) = (starts, ends) {
        errors.check("ends_at", domain::check_span(s, e));
    }
    let starts_at = starts.and_then(|s| errors.check("starts_at", from_berlin(s)));
    let ends_at = ends.and_then(|e| errors.check("ends_at", from_berlin(e)));
    let address = errors.check(
        "address",
        domain::parse_text(&input.address, &t("board-what-address")).and_then(|a| {
            if a.chars().count() > 300 {
                Err(t("board-address-too-long"))
            } else {
                Ok(a)
            }
        }),
    );
    let room = errors.check(
        "room",
        domain::parse_text(&input.room, &t("board-what-room")).and_then(|r| {
            if r.chars().count() > 200 {
                Err(t("board-room-too-long"))
            } else {
                Ok(r)
            }
        }),
    );
    let online_url = errors.check("online_url", domain::parse_online_url(&input.online_url));
    if let (Some(a), Some(None)) = (&address, &online_url)
        && a.is_empty()
    {
        errors.add("address", t("board-place-missing"));
    }
    errors.into_result()?;
    match (title, starts_at, ends_at, address, room, online_url) {
        (
            Some(title),
            Some(starts_at),
            Some(ends_at),
            Some(address),
            Some(room),
            Some(online_url),
        ) => Ok(ParsedMeeting {
            title,
            starts_at,
            ends_at,
            address,
            room,
            online_url,
            public: input.public,
        }),
        _ => Err(AppError::Internal),
    }
}

pub(super) fn log(
    user: &SessionUser,
    action: &'static str,
    meeting_id: i64,
    details: serde_json::Value,
) -> Entry<'static> {
    Entry {
        actor_id: Some(user.id),
        action,
        target_type: "session",
        target_id: Some(meeting_id.to_string()),
        details,
    }
}

pub async fn create(
    db: &DatabaseConnection,
    user: &SessionUser,
    board_id: i64,
    input: &MeetingInput,
) -> Result<i64, AppError> {
    boards::find(db, board_id).await?;
    boards::require_manager(db, user, board_id).await?;
    let p = parse_meeting(input)?;
    let now = Utc::now();
    let tx = begin_write(db).await?;
    let row = meeting::ActiveModel {
        board_id: Set(board_id),
        title: Set(p.title.clone()),
        starts_at: Set(p.starts_at),
        ends_at: Set(p.ends_at),
        address: Set(p.address),
        room: Set(p.room),
        online_url: Set(p.online_url),
        public: Set(p.public),
        status: Set(MeetingStatus::Planned.code().to_owned()),
        cancel_reason: Set(None),
        quorum: Set(None),
        minutes: Set(None),
        minutes_approved_at: Set(None),
        minutes_published_at: Set(None),
        sequence: Set(0),
        invited_at: Set(None),
        created_by: Set(Some(user.id)),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::append(
        &tx,
        log(
            user,
            "session.created",
            row.id,
            json!({ "board": board_id, "title": p.title }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(row.id)
}

/// Changes title, time, place or visibility. A change a calendar shows bumps the iCalendar
/// `SEQUENCE`; invited members get the changed entry by email.
pub async fn update(
    db: &DatabaseConnection,
    config: &AppConfig,
    user: &SessionUser,
    id: i64,
    input: &MeetingInput,
) -> Result<(), AppError> {
    let m = find_managed(db, user, id).await?;
    if !status_of(&m).editable() {
        return Err(AppError::field("title", not_editable(status_of(&m))));
    }
    let p = parse_meeting(input)?;
    let calendar_changed = p.title != m.title
        || p.starts_at != m.starts_at
        || p.ends_at != m.ends_at
        || p.address != m.address
        || p.room != m.room
        || p.online_url != m.online_url;
    let tx = begin_write(db).await?;
    let mut row: meeting::ActiveModel = m.clone().into();
    row.title = Set(p.title);
    row.starts_at = Set(p.starts_at);
    row.ends_at = Set(p.ends_at);
    row.address = Set(p.address);
    row.room = Set(p.room);
    row.online_url = Set(p.online_url);
    row.public = Set(p.public);
    row.updated_at = Set(Utc::now());
    row.update(&tx).await?;
    if calendar_changed {
        bump_sequence(&tx, id).await?;
    }
    let updated = find(&tx, id).await?;
    audit::append(
        &tx,
        log(
            user,
            "session.updated",
            id,
            json!({ "calendar_changed": calendar_changed }),
        ),
    )
    .await?;
    if calendar_changed && status_of(&m) == MeetingStatus::Invited && updated.starts_at > Utc::now()
    {
        mail_members(&tx, config, &updated, Letter::Changed).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// One more `SEQUENCE` for calendars, counted in the database (two edits at once both count).
pub(super) async fn bump_sequence<C: ConnectionTrait>(tx: &C, id: i64) -> Result<(), AppError> {
    // In here only: its `max`/`min` would shadow the integers' own elsewhere in this file.
    use sea_orm::sea_query::ExprTrait;
    meeting::Entity::update_many()
        .col_expr(
            meeting::Column::Sequence,
            Expr::col(meeting::Column::Sequence).add(1),
        )
        .filter(meeting::Column::Id.eq(id))
        .exec(tx)
        .await?;
    Ok(())
}

/// Minutes approved before a change of what they record need approving again.
pub(super) async fn unapprove<C: ConnectionTrait>(tx: &C, id: i64) -> Result<(), AppError> {
    meeting::Entity::update_many()
        .col_expr(
            meeting::Column::MinutesApprovedAt,
            Option::<DateTime<Utc>>::None.into(),
        )
        .filter(meeting::Column::Id.eq(id))
        .exec(tx)
        .await?;
    Ok(())
}

pub(super) fn changed_meanwhile(field: &str) -> AppError {
    AppError::field(field, t("board-changed-meanwhile"))
}

pub(super) fn not_editable(status: MeetingStatus) -> String {
    match status {
        MeetingStatus::Cancelled => t("board-not-editable-cancelled"),
        MeetingStatus::Published => t("board-not-editable-published"),
        _ => t("board-not-editable"),
    }
}

/// Deletes a session that was never announced (a mistake); announced ones are cancelled.
pub async fn delete(db: &DatabaseConnection, user: &SessionUser, id: i64) -> Result<i64, AppError> {
    let m = find_managed(db, user, id).await?;
    if status_of(&m) != MeetingStatus::Planned {
        return Err(AppError::field("delete", t("board-delete-impossible")));
    }
    let board_id = m.board_id;
    let now = Utc::now();
    let tx = begin_write(db).await?;
    let mut row: meeting::ActiveModel = m.into();
    row.deleted_at = Set(Some(now));
    row.updated_at = Set(now);
    row.update(&tx).await?;
    audit::append(&tx, log(user, "session.deleted", id, json!({}))).await?;
    tx.commit().await?;
    Ok(board_id)
}
