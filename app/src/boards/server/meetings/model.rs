//! What the other parts stand on: finding a session as the viewer may see or manage it, its
//! items, files and attendance, the cards of the session lists, and the small rules every
//! change shares (the audit entry, the calendar sequence, approval taken back).
use std::collections::HashMap;

use chrono::{TimeDelta, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};

use crate::boards::domain::{self, MeetingStatus, Slot, Votes};
use crate::boards::server::members::{self as boards, role_of};
use crate::boards::{FileView, ItemLink, MeetingCard, MeetingList};
use crate::error::AppError;
use crate::infra::auth::SessionUser;
use crate::infra::entities::{
    agenda_file, agenda_item, board, board_member, meeting, meeting_attendance, petition, proposal,
    user,
};
use crate::time::berlin;

/// Attendance can be recorded from this long before the start (the chair may do it as the
/// session opens, not weeks ahead).
pub(super) const ATTENDANCE_LEAD: TimeDelta = TimeDelta::hours(12);

pub(super) fn status_of(m: &meeting::Model) -> MeetingStatus {
    MeetingStatus::parse(&m.status).unwrap_or(MeetingStatus::Planned)
}

pub(super) fn place_of(m: &meeting::Model) -> String {
    place_in(m, "online", "auch online")
}

/// `place_of` in the page's language, for the pages.
fn place_title(m: &meeting::Model) -> String {
    place_in(
        m,
        &crate::i18n::t("board-place-online"),
        &crate::i18n::t("board-place-also-online"),
    )
}

pub(super) fn place_in(m: &meeting::Model, online: &str, also_online: &str) -> String {
    let mut parts: Vec<&str> = [m.address.trim(), m.room.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if m.online_url.is_some() {
        parts.push(if parts.is_empty() {
            online
        } else {
            also_online
        });
    }
    parts.join(", ")
}

pub(super) fn card(m: &meeting::Model, board_name: &str) -> MeetingCard {
    MeetingCard {
        id: m.id,
        board_id: m.board_id,
        board: board_name.to_owned(),
        title: m.title.clone(),
        starts: berlin(m.starts_at),
        ends: berlin(m.ends_at),
        place: place_title(m),
        status: status_of(m),
        public: m.public,
        cancel_reason: m.cancel_reason.clone(),
    }
}

pub(super) fn when(m: &meeting::Model) -> String {
    domain::when_text(berlin(m.starts_at), berlin(m.ends_at))
}

pub(super) async fn board_names<C: ConnectionTrait>(
    db: &C,
) -> Result<HashMap<i64, String>, AppError> {
    Ok(board::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect())
}

/// Which closed sessions a viewer sees: all (staff), those of their boards, or none.
pub(super) enum ClosedScope {
    All,
    Boards(Vec<i64>),
}

pub(super) async fn closed_scope<C: ConnectionTrait>(
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

pub(super) fn visibility(scope: &ClosedScope) -> Condition {
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
) -> Result<(Vec<MeetingCard>, Vec<MeetingCard>), AppError> {
    let (upcoming, past, _) =
        cards_in(db, board_id, &scope_of(include_closed), None, Past::All).await?;
    Ok((upcoming, past))
}

fn scope_of(include_closed: bool) -> ClosedScope {
    if include_closed {
        ClosedScope::All
    } else {
        ClosedScope::Boards(Vec::new())
    }
}

/// A page of past sessions on `/sessions`.
pub const PAST_PER_PAGE: u64 = 20;

/// Which past sessions to read: none, all, or one page of them.
#[derive(Debug, Clone, Copy)]
pub(super) enum Past {
    None,
    All,
    Page { page: u64, per_page: u64 },
}

/// The sessions the viewer may see, of one board or of all: the upcoming ones (not yet
/// ended, soonest first, at most `upcoming_limit`) and the past ones (latest first, all or
/// one page), with the number of all past ones. Queries only what it returns.
pub(super) async fn cards_in<C: ConnectionTrait>(
    db: &C,
    board_id: Option<i64>,
    scope: &ClosedScope,
    upcoming_limit: Option<u64>,
    past: Past,
) -> Result<(Vec<MeetingCard>, Vec<MeetingCard>, u64), AppError> {
    use sea_orm::{PaginatorTrait, QuerySelect};
    let now = Utc::now();
    let base = || {
        let q = meeting::Entity::find()
            .filter(meeting::Column::DeletedAt.is_null())
            .filter(visibility(scope));
        match board_id {
            Some(id) => q.filter(meeting::Column::BoardId.eq(id)),
            None => q,
        }
    };
    let upcoming_rows = base()
        .filter(meeting::Column::EndsAt.gte(now))
        .order_by_asc(meeting::Column::StartsAt)
        .order_by_asc(meeting::Column::Id)
        .limit(upcoming_limit)
        .all(db)
        .await?;
    let past_query = || {
        base()
            .filter(meeting::Column::EndsAt.lt(now))
            .order_by_desc(meeting::Column::StartsAt)
            .order_by_desc(meeting::Column::Id)
    };
    let (past_rows, past_total) = match past {
        Past::None => (Vec::new(), 0),
        Past::All => {
            let rows = past_query().all(db).await?;
            let n = rows.len() as u64;
            (rows, n)
        }
        Past::Page { page, per_page } => {
            let total = past_query().count(db).await?;
            let rows = past_query()
                .offset(page.saturating_sub(1).saturating_mul(per_page))
                .limit(per_page)
                .all(db)
                .await?;
            (rows, total)
        }
    };
    let names = board_names(db).await?;
    let cards = |rows: Vec<meeting::Model>| -> Vec<MeetingCard> {
        rows.iter()
            .map(|m| card(m, names.get(&m.board_id).map_or("", String::as_str)))
            .collect()
    };
    Ok((cards(upcoming_rows), cards(past_rows), past_total))
}

/// The next sessions of a board.
pub async fn upcoming_of<C: ConnectionTrait>(
    db: &C,
    board_id: i64,
    include_closed: bool,
    limit: usize,
) -> Result<Vec<MeetingCard>, AppError> {
    let (upcoming, _, _) = cards_in(
        db,
        Some(board_id),
        &scope_of(include_closed),
        Some(limit as u64),
        Past::None,
    )
    .await?;
    Ok(upcoming)
}

/// All boards' sessions (`/sessions`): every upcoming one and one page of the past ones.
pub async fn list(
    db: &DatabaseConnection,
    viewer: Option<&SessionUser>,
    page: u64,
) -> Result<MeetingList, AppError> {
    let scope = closed_scope(db, viewer).await?;
    let page = page.max(1);
    let (upcoming, past, past_total) = cards_in(
        db,
        None,
        &scope,
        None,
        Past::Page {
            page,
            per_page: PAST_PER_PAGE,
        },
    )
    .await?;
    Ok(MeetingList {
        upcoming,
        past,
        page,
        pages: past_total.div_ceil(PAST_PER_PAGE).max(1),
        past_total,
    })
}

/// A session that exists.
pub(super) async fn find<C: ConnectionTrait>(db: &C, id: i64) -> Result<meeting::Model, AppError> {
    meeting::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|m| m.deleted_at.is_none())
        .ok_or(AppError::NotFound)
}

/// A session the viewer may see: public ones, closed ones for the board and staff.
pub(super) async fn find_visible<C: ConnectionTrait>(
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
pub(super) async fn find_managed<C: ConnectionTrait>(
    db: &C,
    user: &SessionUser,
    id: i64,
) -> Result<meeting::Model, AppError> {
    let m = find(db, id).await?;
    boards::require_manager(db, user, m.board_id).await?;
    Ok(m)
}

pub(super) async fn items_of<C: ConnectionTrait>(
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

pub(super) async fn files_of<C: ConnectionTrait>(
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

pub(super) async fn link_of<C: ConnectionTrait>(
    db: &C,
    item: &agenda_item::Model,
) -> Result<Option<ItemLink>, AppError> {
    if let Some(id) = item.proposal_id
        && let Some(p) = proposal::Entity::find_by_id(id).one(db).await?
        && p.hidden_at.is_none()
    {
        return Ok(Some(ItemLink {
            kind: crate::i18n::t("board-link-proposal"),
            title: p.title,
            href: format!("/proposals/{id}"),
        }));
    }
    if let Some(id) = item.petition_id
        && let Some(p) = petition::Entity::find_by_id(id).one(db).await?
        && crate::petitions::server::procedure::visible_to_public(&p)
    {
        return Ok(Some(ItemLink {
            kind: crate::i18n::t("board-link-petition"),
            title: p.title,
            href: format!("/petitions/{}", p.slug),
        }));
    }
    Ok(None)
}

pub(super) fn votes_of(i: &agenda_item::Model) -> Option<Votes> {
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
pub(super) async fn attendance_of<C: ConnectionTrait>(
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
pub(super) fn vote_base(
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
