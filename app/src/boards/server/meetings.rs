//! Board sessions: planning, the agenda and its attachments, invitations with calendar
//! entries, answers and attendance, votes and their results, the minutes from draft to
//! publication, and the calendar feeds. Every change is checked against the session's status
//! and the caller's role on the board, written in one transaction and recorded in the audit
//! log.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
    sea_query::{Expr, OnConflict},
};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::boards::domain::{
    self, ItemResult, Majority, MeetingStatus, MinutesItem, MinutesSource, Slot, Votes,
};
use crate::boards::server::members::{self as boards, role_of};
use crate::boards::{
    AgendaMention, AttendanceRow, BoardReportRow, FileView, ItemEdit, ItemLink, ItemView,
    LinkChoice, SessionCard, SessionDetail, SessionList, SessionManage, SessionViewer,
};
use crate::comments::domain::SubjectKind;
use crate::comments::server::notify;
use crate::error::{AppError, FieldErrors};
use crate::infra::audit::{self, Entry};
use crate::infra::auth::SessionUser;
use crate::infra::db::begin_write;
use crate::infra::entities::{
    agenda_file, agenda_item, board, board_member, meeting, meeting_attendance, petition, proposal,
    user,
};
use crate::infra::ical::{self, CalEvent, Method};
use crate::infra::mail::{MailAttachment, Rendered, enqueue, templates};
use crate::infra::markdown;
use crate::infra::pdf;
use crate::infra::state::AppConfig;
use crate::site::server as site;
use crate::time::{berlin, from_berlin};

/// Attendance can be recorded from this long before the start (the chair may do it as the
/// session opens, not weeks ahead).
const ATTENDANCE_LEAD: TimeDelta = TimeDelta::hours(12);

fn status_of(m: &meeting::Model) -> MeetingStatus {
    MeetingStatus::parse(&m.status).unwrap_or(MeetingStatus::Planned)
}

fn place_of(m: &meeting::Model) -> String {
    let mut parts: Vec<&str> = [m.address.trim(), m.room.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if m.online_url.is_some() {
        parts.push(if parts.is_empty() {
            "online"
        } else {
            "auch online"
        });
    }
    parts.join(", ")
}

fn card(m: &meeting::Model, board_name: &str) -> SessionCard {
    SessionCard {
        id: m.id,
        board_id: m.board_id,
        board: board_name.to_owned(),
        title: m.title.clone(),
        starts: berlin(m.starts_at),
        ends: berlin(m.ends_at),
        place: place_of(m),
        status: status_of(m),
        public: m.public,
        cancel_reason: m.cancel_reason.clone(),
    }
}

fn when(m: &meeting::Model) -> String {
    domain::when_text(berlin(m.starts_at), berlin(m.ends_at))
}

async fn board_names<C: ConnectionTrait>(db: &C) -> Result<HashMap<i64, String>, AppError> {
    Ok(board::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect())
}

/// Which closed sessions a viewer sees: all (staff), those of their boards, or none.
enum ClosedScope {
    All,
    Boards(Vec<i64>),
}

async fn closed_scope<C: ConnectionTrait>(
    db: &C,
    viewer: Option<&SessionUser>,
) -> Result<ClosedScope, AppError> {
    Ok(match viewer {
        Some(u) if u.is_staff() => ClosedScope::All,
        Some(u) => ClosedScope::Boards(
            boards::boards_of(db, u.id)
                .await?
                .into_iter()
                .map(|(_, b)| b.id)
                .collect(),
        ),
        None => ClosedScope::Boards(Vec::new()),
    })
}

fn visibility(scope: &ClosedScope) -> Condition {
    match scope {
        ClosedScope::All => Condition::all(),
        ClosedScope::Boards(ids) => Condition::any()
            .add(meeting::Column::Public.eq(true))
            .add(meeting::Column::BoardId.is_in(ids.clone())),
    }
}

/// Upcoming (not yet ended, soonest first) and past (latest first) sessions of one board or
/// of all, as the viewer may see them.
pub async fn cards_of<C: ConnectionTrait>(
    db: &C,
    board_id: Option<i64>,
    include_closed: bool,
) -> Result<(Vec<SessionCard>, Vec<SessionCard>), AppError> {
    let scope = if include_closed {
        ClosedScope::All
    } else {
        ClosedScope::Boards(Vec::new())
    };
    cards_in(db, board_id, &scope).await
}

async fn cards_in<C: ConnectionTrait>(
    db: &C,
    board_id: Option<i64>,
    scope: &ClosedScope,
) -> Result<(Vec<SessionCard>, Vec<SessionCard>), AppError> {
    let mut q = meeting::Entity::find()
        .filter(meeting::Column::DeletedAt.is_null())
        .filter(visibility(scope));
    if let Some(id) = board_id {
        q = q.filter(meeting::Column::BoardId.eq(id));
    }
    let rows = q.order_by_asc(meeting::Column::StartsAt).all(db).await?;
    let names = board_names(db).await?;
    let now = Utc::now();
    let mut upcoming = Vec::new();
    let mut past = Vec::new();
    for m in rows {
        let c = card(&m, names.get(&m.board_id).map_or("", String::as_str));
        if m.ends_at >= now {
            upcoming.push(c);
        } else {
            past.push(c);
        }
    }
    past.reverse();
    Ok((upcoming, past))
}

/// The next sessions of a board.
pub async fn upcoming_of<C: ConnectionTrait>(
    db: &C,
    board_id: i64,
    include_closed: bool,
    limit: usize,
) -> Result<Vec<SessionCard>, AppError> {
    let (mut upcoming, _) = cards_of(db, Some(board_id), include_closed).await?;
    upcoming.truncate(limit);
    Ok(upcoming)
}

/// All boards' sessions (`/sessions`).
pub async fn list(
    db: &DatabaseConnection,
    viewer: Option<&SessionUser>,
) -> Result<SessionList, AppError> {
    let scope = closed_scope(db, viewer).await?;
    let (upcoming, past) = cards_in(db, None, &scope).await?;
    Ok(SessionList { upcoming, past })
}

/// A session that exists.
async fn find<C: ConnectionTrait>(db: &C, id: i64) -> Result<meeting::Model, AppError> {
    meeting::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|m| m.deleted_at.is_none())
        .ok_or(AppError::NotFound)
}

/// A session the viewer may see: public ones, closed ones for the board and staff.
async fn find_visible<C: ConnectionTrait>(
    db: &C,
    viewer: Option<&SessionUser>,
    id: i64,
) -> Result<(meeting::Model, bool), AppError> {
    let m = find(db, id).await?;
    let closed = boards::sees_closed(db, viewer, m.board_id).await?;
    if !m.public && !closed {
        return Err(AppError::NotFound);
    }
    Ok((m, closed))
}

/// A session the user manages.
async fn find_managed<C: ConnectionTrait>(
    db: &C,
    user: &SessionUser,
    id: i64,
) -> Result<meeting::Model, AppError> {
    let m = find(db, id).await?;
    boards::require_manager(db, user, m.board_id).await?;
    Ok(m)
}

async fn items_of<C: ConnectionTrait>(
    db: &C,
    meeting_id: i64,
) -> Result<Vec<(agenda_item::Model, String)>, AppError> {
    let rows = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .filter(agenda_item::Column::DeletedAt.is_null())
        .all(db)
        .await?;
    let slots: Vec<Slot> = rows
        .iter()
        .map(|i| Slot {
            id: i.id,
            parent: i.parent_id,
            position: i.position,
        })
        .collect();
    let mut by_id: HashMap<i64, agenda_item::Model> = rows.into_iter().map(|i| (i.id, i)).collect();
    Ok(domain::number(&slots)
        .into_iter()
        .filter_map(|(id, n)| by_id.remove(&id).map(|i| (i, n)))
        .collect())
}

async fn files_of<C: ConnectionTrait>(
    db: &C,
    item_ids: &[i64],
) -> Result<HashMap<i64, Vec<FileView>>, AppError> {
    let mut out: HashMap<i64, Vec<FileView>> = HashMap::new();
    for f in agenda_file::Entity::find()
        .filter(agenda_file::Column::ItemId.is_in(item_ids.to_vec()))
        .filter(agenda_file::Column::DeletedAt.is_null())
        .order_by_asc(agenda_file::Column::Id)
        .all(db)
        .await?
    {
        out.entry(f.item_id).or_default().push(FileView {
            id: f.id,
            href: format!("/files/{}", f.id),
            name: f.filename,
            content_type: f.content_type,
            size: f.size,
        });
    }
    Ok(out)
}

async fn link_of<C: ConnectionTrait>(
    db: &C,
    item: &agenda_item::Model,
) -> Result<Option<ItemLink>, AppError> {
    if let Some(id) = item.proposal_id
        && let Some(p) = proposal::Entity::find_by_id(id).one(db).await?
        && p.hidden_at.is_none()
    {
        return Ok(Some(ItemLink {
            kind: SubjectKind::Proposal.label().to_owned(),
            title: p.title,
            href: format!("/proposals/{id}"),
        }));
    }
    if let Some(id) = item.petition_id
        && let Some(p) = petition::Entity::find_by_id(id).one(db).await?
        && crate::petitions::server::procedure::visible_to_public(&p)
    {
        return Ok(Some(ItemLink {
            kind: SubjectKind::Petition.label().to_owned(),
            title: p.title,
            href: format!("/petitions/{}", p.slug),
        }));
    }
    Ok(None)
}

fn votes_of(i: &agenda_item::Model) -> Option<Votes> {
    match (i.votes_yes, i.votes_no, i.votes_abstain) {
        (Some(yes), Some(no), Some(abstain)) => Some(Votes {
            yes: yes.max(0) as u32,
            no: no.max(0) as u32,
            abstain: abstain.max(0) as u32,
        }),
        _ => None,
    }
}

/// Members serving on the session's day, with their attendance rows.
async fn attendance_of<C: ConnectionTrait>(
    db: &C,
    m: &meeting::Model,
) -> Result<
    Vec<(
        board_member::Model,
        user::Model,
        Option<meeting_attendance::Model>,
    )>,
    AppError,
> {
    let members = boards::members_on(db, m.board_id, berlin(m.starts_at).date()).await?;
    let rows: HashMap<i64, meeting_attendance::Model> = meeting_attendance::Entity::find()
        .filter(meeting_attendance::Column::MeetingId.eq(m.id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.member_id, a))
        .collect();
    Ok(members
        .into_iter()
        .map(|(mem, u)| {
            let a = rows.get(&mem.id).cloned();
            (mem, u, a)
        })
        .collect())
}

/// (voting members, voting members present — `None` before attendance was recorded).
fn vote_base(
    rows: &[(
        board_member::Model,
        user::Model,
        Option<meeting_attendance::Model>,
    )],
) -> (u32, Option<u32>) {
    let voting = rows.iter().filter(|(m, _, _)| role_of(m).votes()).count() as u32;
    let recorded = rows
        .iter()
        .any(|(_, _, a)| a.as_ref().and_then(|a| a.present).is_some());
    let present = rows
        .iter()
        .filter(|(m, _, a)| role_of(m).votes() && a.as_ref().and_then(|a| a.present) == Some(true))
        .count() as u32;
    (voting, recorded.then_some(present))
}

pub async fn detail(
    db: &DatabaseConnection,
    viewer: Option<&SessionUser>,
    id: i64,
) -> Result<SessionDetail, AppError> {
    let (m, sees_closed) = find_visible(db, viewer, id).await?;
    let b = boards::find(db, m.board_id).await?;
    let items = items_of(db, id).await?;
    let ids: Vec<i64> = items.iter().map(|(i, _)| i.id).collect();
    let mut files = files_of(db, &ids).await?;
    let mut views = Vec::with_capacity(items.len());
    for (i, number) in items {
        let visible = i.public || sees_closed;
        let link = if visible {
            link_of(db, &i).await?
        } else {
            None
        };
        views.push(ItemView {
            id: i.id,
            number,
            parent_id: i.parent_id,
            public: i.public,
            visible,
            description_html: if visible {
                markdown::to_safe_html(&i.description)
            } else {
                String::new()
            },
            // Notes are material for the minutes: public once the minutes are.
            notes_html: if sees_closed || (visible && status_of(&m) == MeetingStatus::Published) {
                markdown::to_safe_html(&i.notes)
            } else {
                String::new()
            },
            recommendation_html: if visible {
                markdown::to_safe_html(&i.recommendation)
            } else {
                String::new()
            },
            link,
            votes: if visible { votes_of(&i) } else { None },
            majority: if visible {
                i.majority.as_deref().and_then(Majority::parse)
            } else {
                None
            },
            result: if visible {
                i.result.as_deref().and_then(ItemResult::parse)
            } else {
                None
            },
            files: if visible {
                files.remove(&i.id).unwrap_or_default()
            } else {
                Vec::new()
            },
            title: i.title,
        });
    }
    let attendance = attendance_of(db, &m).await?;
    let (voting, present) = vote_base(&attendance);
    let mine = viewer.and_then(|v| attendance.iter().find(|(mem, _, _)| mem.user_id == v.id));
    let viewer_info = SessionViewer {
        signed_in: viewer.is_some(),
        member_id: mine.map(|(mem, _, _)| mem.id),
        response: mine.and_then(|(_, _, a)| a.as_ref().and_then(|a| a.response.clone())),
        can_manage: boards::can_manage(db, viewer, m.board_id).await?,
        sees_closed,
    };
    let status = status_of(&m);
    Ok(SessionDetail {
        card: card(&m, &b.name),
        address: m.address.clone(),
        room: m.room.clone(),
        online_url: m.online_url.clone(),
        items: views,
        quorum: m.quorum,
        present_voting: present.map(u64::from),
        voting_members: u64::from(voting),
        minutes_html: (status == MeetingStatus::Published)
            .then(|| markdown::to_safe_html(m.minutes.as_deref().unwrap_or_default())),
        viewer: viewer_info,
    })
}

/// The chair's view: the forms' current values, attendance and the minutes (a draft made
/// from the session while none are saved).
pub async fn manage(
    db: &DatabaseConnection,
    user: &SessionUser,
    id: i64,
) -> Result<SessionManage, AppError> {
    let m = find_managed(db, user, id).await?;
    let b = boards::find(db, m.board_id).await?;
    let items = items_of(db, id).await?;
    let ids: Vec<i64> = items.iter().map(|(i, _)| i.id).collect();
    let mut files = files_of(db, &ids).await?;
    let attendance = attendance_of(db, &m).await?;
    let (voting, present) = vote_base(&attendance);
    let minutes = match &m.minutes {
        Some(text) => text.clone(),
        None => domain::draft_minutes(&minutes_source(&m, &b, &items, &attendance)),
    };
    let proposals = proposal::Entity::find()
        .filter(proposal::Column::HiddenAt.is_null())
        .filter(proposal::Column::Status.is_not_in(["withdrawn"]))
        .order_by_desc(proposal::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|p| LinkChoice {
            id: p.id,
            title: p.title,
        })
        .collect();
    let petitions = petition::Entity::find()
        .filter(petition::Column::PublishedAt.is_not_null())
        .order_by_desc(petition::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|p| LinkChoice {
            id: p.id,
            title: p.title,
        })
        .collect();
    Ok(SessionManage {
        card: card(&m, &b.name),
        starts_input: berlin(m.starts_at).format("%Y-%m-%dT%H:%M").to_string(),
        ends_input: berlin(m.ends_at).format("%Y-%m-%dT%H:%M").to_string(),
        address: m.address.clone(),
        room: m.room.clone(),
        online_url: m.online_url.clone().unwrap_or_default(),
        items: items
            .into_iter()
            .map(|(i, number)| ItemEdit {
                id: i.id,
                number,
                parent_id: i.parent_id,
                public: i.public,
                proposal_id: i.proposal_id,
                petition_id: i.petition_id,
                votes: votes_of(&i),
                majority: i.majority.as_deref().and_then(Majority::parse),
                result: i.result.as_deref().and_then(ItemResult::parse),
                files: files.remove(&i.id).unwrap_or_default(),
                title: i.title,
                description: i.description,
                notes: i.notes,
                recommendation: i.recommendation,
            })
            .collect(),
        attendance: attendance
            .iter()
            .map(|(mem, u, a)| AttendanceRow {
                member_id: mem.id,
                name: u.public_name(),
                role: role_of(mem),
                response: a.as_ref().and_then(|a| a.response.clone()),
                present: a.as_ref().and_then(|a| a.present),
            })
            .collect(),
        voting_members: u64::from(voting),
        present_voting: u64::from(present.unwrap_or(0)),
        quorum: m.quorum,
        minutes_saved: m.minutes.is_some(),
        minutes_approved: m.minutes_approved_at.is_some(),
        minutes,
        proposals,
        petitions,
    })
}

fn minutes_source(
    m: &meeting::Model,
    b: &board::Model,
    items: &[(agenda_item::Model, String)],
    attendance: &[(
        board_member::Model,
        user::Model,
        Option<meeting_attendance::Model>,
    )],
) -> MinutesSource {
    // Published minutes are public: members appear by name only with their consent, the
    // others as a number.
    let names = |present: bool| {
        let rows: Vec<_> = attendance
            .iter()
            .filter(|(_, _, a)| a.as_ref().and_then(|a| a.present) == Some(present))
            .collect();
        let mut out: Vec<String> = rows
            .iter()
            .filter(|(mem, _, _)| mem.public_name)
            .map(|(mem, u, _)| match role_of(mem) {
                domain::Role::Member => u.public_name(),
                r => format!("{} ({})", u.public_name(), r.short_label()),
            })
            .collect();
        match rows.iter().filter(|(mem, _, _)| !mem.public_name).count() {
            0 => {}
            1 if out.is_empty() => out.push("ein Mitglied".into()),
            1 => out.push("ein weiteres Mitglied".into()),
            n if out.is_empty() => out.push(format!("{n} Mitglieder")),
            n => out.push(format!("{n} weitere Mitglieder")),
        }
        out
    };
    MinutesSource {
        board: b.name.clone(),
        title: m.title.clone(),
        when: when(m),
        place: place_of(m),
        present: names(true),
        absent: names(false),
        quorum: m.quorum,
        items: items
            .iter()
            .map(|(i, number)| MinutesItem {
                number: number.clone(),
                title: i.title.clone(),
                public: i.public,
                notes: i.notes.clone(),
                recommendation: i.recommendation.clone(),
                votes: votes_of(i),
                majority: i.majority.as_deref().and_then(Majority::parse),
                result: i.result.as_deref().and_then(ItemResult::parse),
            })
            .collect(),
    }
}

/// What the session form sends.
#[derive(Debug, Clone, Default)]
pub struct SessionInput {
    pub title: String,
    pub starts_at: String,
    pub ends_at: String,
    pub address: String,
    pub room: String,
    pub online_url: String,
    pub public: bool,
}

struct ParsedSession {
    title: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    address: String,
    room: String,
    online_url: Option<String>,
    public: bool,
}

fn parse_session(input: &SessionInput) -> Result<ParsedSession, AppError> {
    let mut errors = FieldErrors::new();
    let title = errors.check("title", domain::parse_title(&input.title));
    let starts = errors.check(
        "starts_at",
        domain::parse_local(&input.starts_at, "den Beginn"),
    );
    let ends = errors.check("ends_at", domain::parse_local(&input.ends_at, "das Ende"));
    if let (Some(s), Some(e)) = (starts, ends) {
        errors.check("ends_at", domain::check_span(s, e));
    }
    let starts_at = starts.and_then(|s| errors.check("starts_at", from_berlin(s)));
    let ends_at = ends.and_then(|e| errors.check("ends_at", from_berlin(e)));
    let address = errors.check(
        "address",
        domain::parse_text(&input.address, "Die Adresse").and_then(|a| {
            if a.chars().count() > 300 {
                Err("Die Adresse ist zu lang: höchstens 300 Zeichen.".into())
            } else {
                Ok(a)
            }
        }),
    );
    let room = errors.check(
        "room",
        domain::parse_text(&input.room, "Der Raum").and_then(|r| {
            if r.chars().count() > 200 {
                Err("Der Raum ist zu lang: höchstens 200 Zeichen.".into())
            } else {
                Ok(r)
            }
        }),
    );
    let online_url = errors.check("online_url", domain::parse_online_url(&input.online_url));
    if let (Some(a), Some(None)) = (&address, &online_url)
        && a.is_empty()
    {
        errors.add(
            "address",
            "Bitte geben Sie einen Ort an – eine Adresse oder einen Link zur Online-Sitzung.",
        );
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
        ) => Ok(ParsedSession {
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

fn log(
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
    input: &SessionInput,
) -> Result<i64, AppError> {
    boards::find(db, board_id).await?;
    boards::require_manager(db, user, board_id).await?;
    let p = parse_session(input)?;
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
    input: &SessionInput,
) -> Result<(), AppError> {
    let m = find_managed(db, user, id).await?;
    if !status_of(&m).editable() {
        return Err(AppError::field("title", not_editable(status_of(&m))));
    }
    let p = parse_session(input)?;
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
async fn bump_sequence<C: ConnectionTrait>(tx: &C, id: i64) -> Result<(), AppError> {
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
async fn unapprove<C: ConnectionTrait>(tx: &C, id: i64) -> Result<(), AppError> {
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

fn changed_meanwhile(field: &str) -> AppError {
    AppError::field(
        field,
        "Die Sitzung wurde inzwischen geändert. Bitte laden Sie die Seite neu.",
    )
}

fn not_editable(status: MeetingStatus) -> String {
    match status {
        MeetingStatus::Cancelled => {
            "Die Sitzung ist abgesagt; sie kann nicht mehr geändert werden.".into()
        }
        MeetingStatus::Published => {
            "Das Protokoll ist veröffentlicht; die Sitzung kann nicht mehr geändert werden.".into()
        }
        _ => "Die Sitzung kann in diesem Stand nicht geändert werden.".into(),
    }
}

/// Deletes a session that was never announced (a mistake); announced ones are cancelled.
pub async fn delete(db: &DatabaseConnection, user: &SessionUser, id: i64) -> Result<i64, AppError> {
    let m = find_managed(db, user, id).await?;
    if status_of(&m) != MeetingStatus::Planned {
        return Err(AppError::field(
            "delete",
            "Nur Sitzungen, zu denen noch nicht eingeladen wurde, können gelöscht werden. Bitte sagen Sie die Sitzung stattdessen ab.",
        ));
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

enum Letter<'a> {
    Invitation,
    Changed,
    Cancelled(&'a str),
}

async fn session_text<C: ConnectionTrait>(
    db: &C,
    config: &AppConfig,
    m: &meeting::Model,
) -> Result<templates::SessionText, AppError> {
    let b = boards::find(db, m.board_id).await?;
    Ok(templates::SessionText {
        board: b.name,
        title: m.title.clone(),
        when: when(m),
        place: place_of(m),
        agenda: items_of(db, m.id)
            .await?
            .into_iter()
            .map(|(i, n)| {
                let closed = if i.public { "" } else { " (nichtöffentlich)" };
                format!("TOP {n}: {}{closed}", i.title)
            })
            .collect(),
        link: config.link(&format!("/sessions/{}", m.id)),
    })
}

fn calendar_event(config: &AppConfig, m: &meeting::Model, board: &str) -> CalEvent {
    let link = config.link(&format!("/sessions/{}", m.id));
    let mut description = format!("{board}\n{link}");
    if let Some(url) = &m.online_url {
        description.push_str(&format!("\nOnline: {url}"));
    }
    if let Some(reason) = &m.cancel_reason {
        description = format!("Abgesagt: {reason}\n{description}");
    }
    CalEvent {
        uid: format!(
            "session-{}@{}",
            m.id,
            config.public_url.host_str().unwrap_or("dorfplatz")
        ),
        sequence: m.sequence,
        title: format!("{} – {}", m.title, board),
        description,
        location: place_of(m),
        url: link,
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        cancelled: status_of(m) == MeetingStatus::Cancelled,
        tentative: status_of(m) == MeetingStatus::Planned,
        organizer: mail_address(&config.mail_from).to_owned(),
        created: m.created_at,
        modified: m.updated_at,
    }
}

/// `user@host` of `Name <user@host>`.
fn mail_address(from: &str) -> &str {
    match (from.rfind('<'), from.rfind('>')) {
        (Some(a), Some(b)) if a < b => &from[a + 1..b],
        _ => from.trim(),
    }
}

fn ics_attachment(calendar: String) -> MailAttachment {
    use base64::Engine;
    MailAttachment {
        filename: "sitzung.ics".into(),
        content_type: "text/calendar; charset=utf-8; method=".to_owned()
            + if calendar.contains("METHOD:CANCEL") {
                "CANCEL"
            } else {
                "PUBLISH"
            },
        content_base64: base64::engine::general_purpose::STANDARD.encode(calendar),
    }
}

/// Emails every member serving on the session's day (in the caller's transaction).
async fn mail_members<C: ConnectionTrait>(
    tx: &C,
    config: &AppConfig,
    m: &meeting::Model,
    letter: Letter<'_>,
) -> Result<(), AppError> {
    let municipality = site::municipality_name(tx).await?;
    let text = session_text(tx, config, m).await?;
    let event = calendar_event(config, m, &text.board);
    let method = match letter {
        Letter::Cancelled(_) => Method::Cancel,
        _ => Method::Publish,
    };
    let calendar = ical::calendar(&text.board, &[event], method);
    for (_, u, _) in attendance_of(tx, m).await? {
        let Some(email) = u.email.as_deref().filter(|_| u.deleted_at.is_none()) else {
            continue;
        };
        let name = u.public_name();
        let mut mail: Rendered = match letter {
            Letter::Invitation => templates::session_invitation(&municipality, &name, &text),
            Letter::Changed => templates::session_changed(&municipality, &name, &text),
            Letter::Cancelled(reason) => {
                templates::session_cancelled(&municipality, &name, &text, reason)
            }
        };
        mail.attachments.push(ics_attachment(calendar.clone()));
        enqueue(tx, email, mail).await?;
    }
    Ok(())
}

/// Emails the followers of the board who are not members (members hear as members).
async fn mail_followers<C: ConnectionTrait>(
    tx: &C,
    config: &AppConfig,
    m: &meeting::Model,
    headline: &str,
) -> Result<(), AppError> {
    if !m.public {
        return Ok(());
    }
    let municipality = site::municipality_name(tx).await?;
    let text = session_text(tx, config, m).await?;
    let members: Vec<i64> = attendance_of(tx, m)
        .await?
        .iter()
        .map(|(_, u, _)| u.id)
        .collect();
    let followers: Vec<i64> = notify::followers(tx, SubjectKind::Board, m.board_id)
        .await?
        .into_iter()
        .filter(|id| !members.contains(id))
        .collect();
    if followers.is_empty() {
        return Ok(());
    }
    let scope = notify::scope(SubjectKind::Board, m.board_id);
    for u in user::Entity::find()
        .filter(user::Column::Id.is_in(followers))
        .filter(user::Column::DeletedAt.is_null())
        .all(tx)
        .await?
    {
        let Some(email) = u.email.as_deref() else {
            continue;
        };
        let unsubscribe = notify::unsubscribe_link(config, u.id, &scope);
        enqueue(
            tx,
            email,
            templates::board_news(&municipality, headline, &text, Some(&unsubscribe)),
        )
        .await?;
    }
    Ok(())
}

/// The chair sends the invitation: every member gets the agenda and a calendar entry; the
/// followers of the board learn of the (public) session.
pub async fn invite(
    db: &DatabaseConnection,
    config: &AppConfig,
    user: &SessionUser,
    id: i64,
) -> Result<(), AppError> {
    let m = find_managed(db, user, id).await?;
    let status = status_of(&m);
    if !matches!(status, MeetingStatus::Planned | MeetingStatus::Invited) {
        return Err(AppError::field(
            "invite",
            "Zu dieser Sitzung kann nicht (mehr) eingeladen werden.",
        ));
    }
    if m.starts_at <= Utc::now() {
        return Err(AppError::field(
            "invite",
            "Die Sitzung hat schon begonnen; eine Einladung ist nicht mehr möglich.",
        ));
    }
    if items_of(db, id).await?.is_empty() {
        return Err(AppError::field(
            "invite",
            "Die Tagesordnung ist leer. Bitte legen Sie zuerst mindestens einen Tagesordnungspunkt an.",
        ));
    }
    let first = status == MeetingStatus::Planned;
    let now = Utc::now();
    let tx = begin_write(db).await?;
    // Conditional on the status read above: of two clicks at once, one invites first.
    let claimed = meeting::Entity::update_many()
        .col_expr(
            meeting::Column::Status,
            MeetingStatus::Invited.code().into(),
        )
        .col_expr(meeting::Column::InvitedAt, Some(now).into())
        .col_expr(meeting::Column::UpdatedAt, now.into())
        .filter(meeting::Column::Id.eq(id))
        .filter(meeting::Column::Status.eq(status.code()))
        .exec(&tx)
        .await?;
    if claimed.rows_affected == 0 {
        return Err(changed_meanwhile("invite"));
    }
    let m = find(&tx, id).await?;
    mail_members(&tx, config, &m, Letter::Invitation).await?;
    if first {
        mail_followers(&tx, config, &m, &format!("Neue Sitzung: {}", m.title)).await?;
    }
    audit::append(
        &tx,
        log(user, "session.invited", id, json!({ "first": first })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn cancel(
    db: &DatabaseConnection,
    config: &AppConfig,
    user: &SessionUser,
    id: i64,
    reason: &str,
) -> Result<(), AppError> {
    let m = find_managed(db, user, id).await?;
    let status = status_of(&m);
    if !status.cancellable() {
        return Err(AppError::field(
            "reason",
            "Nur eine Sitzung, die noch nicht stattgefunden hat, kann abgesagt werden.",
        ));
    }
    let reason = crate::comments::domain::parse_reason(
        reason,
        "Bitte geben Sie einen Grund für die Absage an.",
    )
    .map_err(|e| AppError::field("reason", e))?;
    let now = Utc::now();
    let tx = begin_write(db).await?;
    let claimed = meeting::Entity::update_many()
        .col_expr(
            meeting::Column::Status,
            MeetingStatus::Cancelled.code().into(),
        )
        .col_expr(meeting::Column::CancelReason, Some(reason.clone()).into())
        .col_expr(meeting::Column::UpdatedAt, now.into())
        .filter(meeting::Column::Id.eq(id))
        .filter(meeting::Column::Status.eq(status.code()))
        .exec(&tx)
        .await?;
    if claimed.rows_affected == 0 {
        return Err(changed_meanwhile("reason"));
    }
    bump_sequence(&tx, id).await?;
    let m = find(&tx, id).await?;
    if status == MeetingStatus::Invited {
        mail_members(&tx, config, &m, Letter::Cancelled(&reason)).await?;
        mail_followers(&tx, config, &m, &format!("Sitzung abgesagt: {}", m.title)).await?;
    }
    audit::append(
        &tx,
        log(user, "session.cancelled", id, json!({ "reason": reason })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A member answers the invitation: `attending` or `absent`.
pub async fn answer(
    db: &DatabaseConnection,
    user: &SessionUser,
    id: i64,
    response: &str,
) -> Result<(), AppError> {
    let (m, _) = find_visible(db, Some(user), id).await?;
    let response = match response {
        "attending" | "absent" => response,
        _ => {
            return Err(AppError::field(
                "response",
                "Bitte wählen Sie „Ich komme“ oder „Ich komme nicht“.",
            ));
        }
    };
    let Some(member) =
        boards::membership(db, user.id, m.board_id, berlin(m.starts_at).date()).await?
    else {
        return Err(AppError::field(
            "response",
            "Nur Mitglieder dieses Gremiums können auf die Einladung antworten.",
        ));
    };
    if !matches!(
        status_of(&m),
        MeetingStatus::Planned | MeetingStatus::Invited
    ) || m.starts_at <= Utc::now()
    {
        return Err(AppError::field(
            "response",
            "Auf diese Einladung kann nicht mehr geantwortet werden.",
        ));
    }
    let tx = begin_write(db).await?;
    meeting_attendance::Entity::insert(meeting_attendance::ActiveModel {
        meeting_id: Set(id),
        member_id: Set(member.id),
        response: Set(Some(response.to_owned())),
        responded_at: Set(Some(Utc::now())),
        present: Set(None),
    })
    .on_conflict(
        OnConflict::columns([
            meeting_attendance::Column::MeetingId,
            meeting_attendance::Column::MemberId,
        ])
        .update_columns([
            meeting_attendance::Column::Response,
            meeting_attendance::Column::RespondedAt,
        ])
        .to_owned(),
    )
    .exec_without_returning(&tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What the agenda item form sends.
#[derive(Debug, Clone, Default)]
pub struct ItemInput {
    pub title: String,
    pub description: String,
    pub public: bool,
    pub parent: String,
    pub proposal: String,
    pub petition: String,
}

struct ParsedItem {
    title: String,
    description: String,
    public: bool,
    parent: Option<i64>,
    proposal: Option<i64>,
    petition: Option<i64>,
}

async fn parse_item<C: ConnectionTrait>(
    db: &C,
    meeting_id: i64,
    item_id: Option<i64>,
    input: &ItemInput,
) -> Result<ParsedItem, AppError> {
    let mut errors = FieldErrors::new();
    let title = errors.check("title", domain::parse_item_title(&input.title));
    let description = errors.check(
        "description",
        domain::parse_text(&input.description, "Die Beschreibung"),
    );
    let id_of = |raw: &str| raw.trim().parse::<i64>().ok();
    let parent = match input.parent.trim() {
        "" => None,
        raw => {
            let found = match id_of(raw) {
                Some(pid) if Some(pid) != item_id => agenda_item::Entity::find_by_id(pid)
                    .one(db)
                    .await?
                    .filter(|p| {
                        p.meeting_id == meeting_id
                            && p.deleted_at.is_none()
                            && p.parent_id.is_none()
                    }),
                _ => None,
            };
            if found.is_none() {
                errors.add(
                    "parent",
                    "Bitte wählen Sie einen Hauptpunkt dieser Tagesordnung (oder keinen).",
                );
            }
            found
        }
    };
    // What is discussed under a closed point is closed too.
    let parent_closed = parent.as_ref().is_some_and(|p| !p.public);
    let parent = parent.map(|p| p.id);
    if parent.is_some()
        && let Some(id) = item_id
        && agenda_item::Entity::find()
            .filter(agenda_item::Column::ParentId.eq(id))
            .filter(agenda_item::Column::DeletedAt.is_null())
            .one(db)
            .await?
            .is_some()
    {
        errors.add(
            "parent",
            "Dieser Punkt hat Unterpunkte und kann daher selbst kein Unterpunkt werden.",
        );
    }
    let proposal = match input.proposal.trim() {
        "" => None,
        raw => {
            let found = match id_of(raw) {
                Some(pid) => proposal::Entity::find_by_id(pid)
                    .one(db)
                    .await?
                    .filter(|p| p.hidden_at.is_none()),
                None => None,
            };
            if found.is_none() {
                errors.add("proposal", "Diesen Vorschlag gibt es nicht.");
            }
            found.map(|p| p.id)
        }
    };
    let petition = match input.petition.trim() {
        "" => None,
        raw => {
            let found = match id_of(raw) {
                Some(pid) => petition::Entity::find_by_id(pid)
                    .one(db)
                    .await?
                    .filter(crate::petitions::server::procedure::visible_to_public),
                None => None,
            };
            if found.is_none() {
                errors.add("petition", "Dieses Bürgerbegehren gibt es nicht.");
            }
            found.map(|p| p.id)
        }
    };
    if proposal.is_some() && petition.is_some() {
        errors.add(
            "petition",
            "Ein Tagesordnungspunkt verweist auf einen Vorschlag oder ein Bürgerbegehren, nicht auf beides.",
        );
    }
    errors.into_result()?;
    match (title, description) {
        (Some(title), Some(description)) => Ok(ParsedItem {
            title,
            description,
            public: input.public && !parent_closed,
            parent,
            proposal,
            petition,
        }),
        _ => Err(AppError::Internal),
    }
}

fn editable_or(m: &meeting::Model, field: &str) -> Result<(), AppError> {
    let status = status_of(m);
    if status.editable() {
        Ok(())
    } else {
        Err(AppError::field(field, not_editable(status)))
    }
}

/// Adds an agenda item at the end (of the main points, or of its parent's sub-points).
pub async fn add_item(
    db: &DatabaseConnection,
    user: &SessionUser,
    meeting_id: i64,
    input: &ItemInput,
) -> Result<i64, AppError> {
    let m = find_managed(db, user, meeting_id).await?;
    editable_or(&m, "title")?;
    let p = parse_item(db, meeting_id, None, input).await?;
    let tx = begin_write(db).await?;
    let position = siblings(&tx, meeting_id, p.parent)
        .await?
        .iter()
        .map(|s| s.position)
        .max()
        .unwrap_or(0)
        + 1;
    let now = Utc::now();
    let row = agenda_item::ActiveModel {
        meeting_id: Set(meeting_id),
        parent_id: Set(p.parent),
        position: Set(position),
        title: Set(p.title.clone()),
        description: Set(p.description),
        public: Set(p.public),
        proposal_id: Set(p.proposal),
        petition_id: Set(p.petition),
        notes: Set(String::new()),
        recommendation: Set(String::new()),
        votes_yes: Set(None),
        votes_no: Set(None),
        votes_abstain: Set(None),
        majority: Set(None),
        result: Set(None),
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
            "agenda.item_added",
            meeting_id,
            json!({ "item": row.id, "title": p.title }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(row.id)
}

async fn siblings<C: ConnectionTrait>(
    db: &C,
    meeting_id: i64,
    parent: Option<i64>,
) -> Result<Vec<Slot>, AppError> {
    let mut q = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .filter(agenda_item::Column::DeletedAt.is_null());
    q = match parent {
        Some(p) => q.filter(agenda_item::Column::ParentId.eq(p)),
        None => q.filter(agenda_item::Column::ParentId.is_null()),
    };
    Ok(q.all(db)
        .await?
        .into_iter()
        .map(|i| Slot {
            id: i.id,
            parent: i.parent_id,
            position: i.position,
        })
        .collect())
}

/// Whether the user may attach files to the item now; its session for the way back. Checked
/// before an upload is read, so that nobody else can make the server take in megabytes.
pub async fn upload_target<C: ConnectionTrait>(
    db: &C,
    user: &SessionUser,
    item_id: i64,
) -> Result<i64, AppError> {
    let (_, m) = find_item_managed(db, user, item_id).await?;
    editable_or(&m, "file")?;
    Ok(m.id)
}

/// An item with its session, for a manager.
async fn find_item_managed<C: ConnectionTrait>(
    db: &C,
    user: &SessionUser,
    item_id: i64,
) -> Result<(agenda_item::Model, meeting::Model), AppError> {
    let item = agenda_item::Entity::find_by_id(item_id)
        .one(db)
        .await?
        .filter(|i| i.deleted_at.is_none())
        .ok_or(AppError::NotFound)?;
    let m = find_managed(db, user, item.meeting_id).await?;
    Ok((item, m))
}

/// Changes an item's text, visibility, parent or link. Returns the session.
pub async fn update_item(
    db: &DatabaseConnection,
    user: &SessionUser,
    item_id: i64,
    input: &ItemInput,
) -> Result<i64, AppError> {
    let (item, m) = find_item_managed(db, user, item_id).await?;
    editable_or(&m, "title")?;
    let p = parse_item(db, m.id, Some(item_id), input).await?;
    let tx = begin_write(db).await?;
    let moved = p.parent != item.parent_id;
    let position = if moved {
        siblings(&tx, m.id, p.parent)
            .await?
            .iter()
            .map(|s| s.position)
            .max()
            .unwrap_or(0)
            + 1
    } else {
        item.position
    };
    let mut row: agenda_item::ActiveModel = item.into();
    row.title = Set(p.title);
    row.description = Set(p.description);
    row.public = Set(p.public);
    row.parent_id = Set(p.parent);
    row.position = Set(position);
    row.proposal_id = Set(p.proposal);
    row.petition_id = Set(p.petition);
    row.updated_at = Set(Utc::now());
    row.update(&tx).await?;
    if !p.public {
        // Its sub-points close with it.
        agenda_item::Entity::update_many()
            .col_expr(agenda_item::Column::Public, false.into())
            .col_expr(agenda_item::Column::UpdatedAt, Utc::now().into())
            .filter(agenda_item::Column::ParentId.eq(item_id))
            .filter(agenda_item::Column::Public.eq(true))
            .exec(&tx)
            .await?;
    }
    audit::append(
        &tx,
        log(
            user,
            "agenda.item_updated",
            m.id,
            json!({ "item": item_id }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(m.id)
}

/// Moves an item one place up (`-1`) or down (`1`) among its siblings. Returns the session.
pub async fn move_item(
    db: &DatabaseConnection,
    user: &SessionUser,
    item_id: i64,
    step: i32,
) -> Result<i64, AppError> {
    let (item, m) = find_item_managed(db, user, item_id).await?;
    editable_or(&m, "move")?;
    let tx = begin_write(db).await?;
    let order = domain::move_among(&siblings(&tx, m.id, item.parent_id).await?, item_id, step);
    let now = Utc::now();
    for (id, position) in &order {
        agenda_item::Entity::update_many()
            .col_expr(agenda_item::Column::Position, (*position).into())
            .col_expr(agenda_item::Column::UpdatedAt, now.into())
            .filter(agenda_item::Column::Id.eq(*id))
            .exec(&tx)
            .await?;
    }
    if !order.is_empty() {
        audit::append(
            &tx,
            log(
                user,
                "agenda.item_moved",
                m.id,
                json!({ "item": item_id, "step": step }),
            ),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(m.id)
}

/// Removes an item and its sub-points (kept as tombstones for the OParl API). Returns the
/// session.
pub async fn delete_item(
    db: &DatabaseConnection,
    user: &SessionUser,
    item_id: i64,
) -> Result<i64, AppError> {
    let (_, m) = find_item_managed(db, user, item_id).await?;
    editable_or(&m, "delete")?;
    let now = Utc::now();
    let tx = begin_write(db).await?;
    agenda_item::Entity::update_many()
        .col_expr(agenda_item::Column::DeletedAt, Some(now).into())
        .col_expr(agenda_item::Column::UpdatedAt, now.into())
        .filter(
            Condition::any()
                .add(agenda_item::Column::Id.eq(item_id))
                .add(agenda_item::Column::ParentId.eq(item_id)),
        )
        .filter(agenda_item::Column::DeletedAt.is_null())
        .exec(&tx)
        .await?;
    audit::append(
        &tx,
        log(
            user,
            "agenda.item_deleted",
            m.id,
            json!({ "item": item_id }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(m.id)
}

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
                MeetingStatus::Planned => {
                    "Ergebnisse werden erst nach der Einladung zur Sitzung erfasst.".to_owned()
                }
                s => not_editable(s),
            },
        ));
    }
    let mut errors = FieldErrors::new();
    let notes = errors.check("notes", domain::parse_text(&input.notes, "Die Notizen"));
    let recommendation = errors.check(
        "recommendation",
        domain::parse_text(&input.recommendation, "Die Empfehlung"),
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
            errors.add("majority", "Bitte wählen Sie die erforderliche Mehrheit.");
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
            _ => errors.add(
                "votes_yes",
                "Bitte erfassen Sie zuerst die Anwesenheit und die Beschlussfähigkeit.",
            ),
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
                MeetingStatus::Planned => "Bitte laden Sie zuerst zur Sitzung ein.".to_owned(),
                s => not_editable(s),
            },
        ));
    }
    if Utc::now() < m.starts_at - ATTENDANCE_LEAD {
        return Err(AppError::field(
            "present",
            "Die Anwesenheit kann erst kurz vor der Sitzung erfasst werden.",
        ));
    }
    let attendance = attendance_of(db, &m).await?;
    if let Some(stranger) = present
        .iter()
        .find(|p| !attendance.iter().any(|(mem, _, _)| mem.id == **p))
    {
        tracing::info!(member = stranger, "attendance names a non-member");
        return Err(AppError::field(
            "present",
            "Die Liste enthält jemanden, der nicht Mitglied dieses Gremiums ist.",
        ));
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
            return Err(AppError::field(
                "quorum",
                "Bitte wählen Sie, ob der Beirat beschlussfähig war.",
            ));
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

fn minutes_stage(m: &meeting::Model, field: &str) -> Result<(), AppError> {
    match status_of(m) {
        MeetingStatus::Held => Ok(()),
        MeetingStatus::Published => Err(AppError::field(
            field,
            "Das Protokoll ist bereits veröffentlicht.",
        )),
        _ => Err(AppError::field(
            field,
            "Das Protokoll folgt, wenn die Sitzung stattgefunden hat (Anwesenheit erfassen).",
        )),
    }
}

/// Saves the minutes' text; a changed text needs approving again.
pub async fn save_minutes(
    db: &DatabaseConnection,
    user: &SessionUser,
    id: i64,
    text: &str,
) -> Result<(), AppError> {
    let m = find_managed(db, user, id).await?;
    minutes_stage(&m, "minutes")?;
    let text = domain::parse_minutes(text).map_err(|e| AppError::field("minutes", e))?;
    let tx = begin_write(db).await?;
    let mut row: meeting::ActiveModel = m.into();
    row.minutes = Set(Some(text));
    row.minutes_approved_at = Set(None);
    row.updated_at = Set(Utc::now());
    row.update(&tx).await?;
    audit::append(&tx, log(user, "minutes.saved", id, json!({}))).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn approve_minutes(
    db: &DatabaseConnection,
    user: &SessionUser,
    id: i64,
) -> Result<(), AppError> {
    let m = find_managed(db, user, id).await?;
    minutes_stage(&m, "approve")?;
    if m.minutes.is_none() {
        return Err(AppError::field(
            "approve",
            "Bitte speichern Sie das Protokoll zuerst.",
        ));
    }
    let tx = begin_write(db).await?;
    let mut row: meeting::ActiveModel = m.into();
    row.minutes_approved_at = Set(Some(Utc::now()));
    row.updated_at = Set(Utc::now());
    row.update(&tx).await?;
    audit::append(&tx, log(user, "minutes.approved", id, json!({}))).await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes the approved minutes: the session page shows them, the PDF is available, and the
/// members and the board's followers are told.
pub async fn publish_minutes(
    db: &DatabaseConnection,
    config: &AppConfig,
    user: &SessionUser,
    id: i64,
) -> Result<(), AppError> {
    let m = find_managed(db, user, id).await?;
    minutes_stage(&m, "publish")?;
    if m.minutes_approved_at.is_none() {
        return Err(AppError::field(
            "publish",
            "Bitte genehmigen Sie das Protokoll, bevor Sie es veröffentlichen.",
        ));
    }
    let now = Utc::now();
    let tx = begin_write(db).await?;
    let mut row: meeting::ActiveModel = m.into();
    row.status = Set(MeetingStatus::Published.code().to_owned());
    row.minutes_published_at = Set(Some(now));
    row.updated_at = Set(now);
    let m = row.update(&tx).await?;
    let headline = format!("Protokoll veröffentlicht: {}", m.title);
    let municipality = site::municipality_name(&tx).await?;
    let text = session_text(&tx, config, &m).await?;
    for (_, u, _) in attendance_of(&tx, &m).await? {
        if let Some(email) = u.email.as_deref().filter(|_| u.deleted_at.is_none()) {
            enqueue(
                &tx,
                email,
                templates::board_news(&municipality, &headline, &text, None),
            )
            .await?;
        }
    }
    mail_followers(&tx, config, &m, &headline).await?;
    audit::append(&tx, log(user, "minutes.published", id, json!({}))).await?;
    tx.commit().await?;
    Ok(())
}

/// The published minutes as a PDF; `NotFound` before publication.
pub async fn minutes_pdf(
    db: &DatabaseConnection,
    viewer: Option<&SessionUser>,
    id: i64,
) -> Result<Vec<u8>, AppError> {
    let (m, _) = find_visible(db, viewer, id).await?;
    if status_of(&m) != MeetingStatus::Published {
        return Err(AppError::NotFound);
    }
    let b = boards::find(db, m.board_id).await?;
    Ok(pdf::minutes(&pdf::MinutesPdf {
        municipality: site::municipality_name(db).await?,
        board: b.name,
        title: m.title.clone(),
        when: when(&m),
        markdown: m.minutes.clone().unwrap_or_default(),
    }))
}

/// `/sessions.ics`: every public session of every board (cancelled ones marked so).
pub async fn calendar_all(db: &DatabaseConnection, config: &AppConfig) -> Result<String, AppError> {
    let names = board_names(db).await?;
    let events: Vec<CalEvent> = meeting::Entity::find()
        .filter(meeting::Column::DeletedAt.is_null())
        .filter(meeting::Column::Public.eq(true))
        .order_by_asc(meeting::Column::StartsAt)
        .all(db)
        .await?
        .iter()
        .map(|m| calendar_event(config, m, names.get(&m.board_id).map_or("", String::as_str)))
        .collect();
    let municipality = site::municipality_name(db).await?;
    Ok(ical::calendar(
        &format!("Sitzungen – {municipality}"),
        &events,
        Method::Publish,
    ))
}

/// `/sessions/{id}.ics`: one session, as the viewer may see it.
pub async fn calendar_one(
    db: &DatabaseConnection,
    config: &AppConfig,
    viewer: Option<&SessionUser>,
    id: i64,
) -> Result<String, AppError> {
    let (m, _) = find_visible(db, viewer, id).await?;
    let b = boards::find(db, m.board_id).await?;
    Ok(ical::calendar(
        &b.name,
        &[calendar_event(config, &m, &b.name)],
        Method::Publish,
    ))
}

/// Where a proposal or petition stood on a public agenda.
pub async fn mentions<C: ConnectionTrait>(
    db: &C,
    kind: SubjectKind,
    id: i64,
) -> Result<Vec<AgendaMention>, AppError> {
    let column = match kind {
        SubjectKind::Proposal => agenda_item::Column::ProposalId,
        SubjectKind::Petition => agenda_item::Column::PetitionId,
        _ => return Ok(Vec::new()),
    };
    let items = agenda_item::Entity::find()
        .filter(column.eq(id))
        .filter(agenda_item::Column::Public.eq(true))
        .filter(agenda_item::Column::DeletedAt.is_null())
        .all(db)
        .await?;
    let names = board_names(db).await?;
    let mut out = Vec::new();
    for item in items {
        let Some(m) = meeting::Entity::find_by_id(item.meeting_id)
            .one(db)
            .await?
            .filter(|m| m.public && m.deleted_at.is_none())
        else {
            continue;
        };
        let number = items_of(db, m.id)
            .await?
            .into_iter()
            .find(|(i, _)| i.id == item.id)
            .map(|(_, n)| n)
            .unwrap_or_default();
        out.push(AgendaMention {
            session_id: m.id,
            session_title: m.title.clone(),
            board: names.get(&m.board_id).cloned().unwrap_or_default(),
            starts: berlin(m.starts_at),
            number,
            result: item.result.as_deref().and_then(ItemResult::parse),
        });
    }
    out.sort_by_key(|a| a.starts);
    Ok(out)
}

/// The path of a stored attachment.
pub fn file_path(files_dir: &Path, sha256: &str) -> PathBuf {
    files_dir.join(sha256)
}

/// Stores an attachment of an item (content-addressed: the same file twice is stored once).
pub async fn store_file(
    db: &DatabaseConnection,
    files_dir: &Path,
    user: &SessionUser,
    item_id: i64,
    filename: &str,
    bytes: &[u8],
) -> Result<i64, AppError> {
    let (_, m) = find_item_managed(db, user, item_id).await?;
    editable_or(&m, "file")?;
    let content_type =
        domain::check_attachment(bytes).map_err(|p| AppError::field("file", p.message()))?;
    let sha = hex::encode(Sha256::digest(bytes));
    let path = file_path(files_dir, &sha);
    if tokio::fs::metadata(&path).await.is_err() {
        tokio::fs::create_dir_all(files_dir).await.map_err(|e| {
            tracing::error!(error = %e, "creating the files directory");
            AppError::Internal
        })?;
        // Written under a temporary name and renamed, so a reader never sees half a file.
        let temp = files_dir.join(format!("{sha}.{}.part", crate::infra::tokens::generate()));
        tokio::fs::write(&temp, bytes).await.map_err(|e| {
            tracing::error!(error = %e, "writing an attachment");
            AppError::Internal
        })?;
        tokio::fs::rename(&temp, &path).await.map_err(|e| {
            tracing::error!(error = %e, "storing an attachment");
            AppError::Internal
        })?;
    }
    let now = Utc::now();
    let name = domain::clean_filename(filename);
    let tx = begin_write(db).await?;
    let row = agenda_file::ActiveModel {
        item_id: Set(item_id),
        filename: Set(name.clone()),
        content_type: Set(content_type.to_owned()),
        size: Set(bytes.len() as i64),
        sha256: Set(sha),
        uploaded_by: Set(Some(user.id)),
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
            "agenda.file_added",
            m.id,
            json!({ "item": item_id, "file": row.id, "name": name }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(m.id)
}

/// Removes an attachment (the stored content stays: another item may share it). Returns the
/// session.
pub async fn delete_file(
    db: &DatabaseConnection,
    user: &SessionUser,
    file_id: i64,
) -> Result<i64, AppError> {
    let f = agenda_file::Entity::find_by_id(file_id)
        .one(db)
        .await?
        .filter(|f| f.deleted_at.is_none())
        .ok_or(AppError::NotFound)?;
    let (_, m) = find_item_managed(db, user, f.item_id).await?;
    editable_or(&m, "file")?;
    let now = Utc::now();
    let tx = begin_write(db).await?;
    let mut row: agenda_file::ActiveModel = f.into();
    row.deleted_at = Set(Some(now));
    row.updated_at = Set(now);
    row.update(&tx).await?;
    audit::append(
        &tx,
        log(
            user,
            "agenda.file_removed",
            m.id,
            json!({ "file": file_id }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(m.id)
}

/// An attachment the viewer may download: of a public item of a public session, or any for
/// the board and staff.
pub async fn file_for(
    db: &DatabaseConnection,
    viewer: Option<&SessionUser>,
    file_id: i64,
) -> Result<agenda_file::Model, AppError> {
    let f = agenda_file::Entity::find_by_id(file_id)
        .one(db)
        .await?
        .filter(|f| f.deleted_at.is_none())
        .ok_or(AppError::NotFound)?;
    let item = agenda_item::Entity::find_by_id(f.item_id)
        .one(db)
        .await?
        .filter(|i| i.deleted_at.is_none())
        .ok_or(AppError::NotFound)?;
    let (_, sees_closed) = find_visible(db, viewer, item.meeting_id).await?;
    if !item.public && !sees_closed {
        return Err(AppError::NotFound);
    }
    Ok(f)
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
