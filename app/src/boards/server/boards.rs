//! Boards and their members as staff and chairs manage them, and the board pages' read
//! model (which shows the board's sessions). Who serves and who may manage is in `members`.

use chrono::{NaiveDate, Utc};

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

use super::members::all_members;
pub use super::members::{
    boards_of, can_manage, find, members_on, membership, require_manager, role_of, sees_closed,
    serves_on,
};
use crate::accounts::domain::EmailAddress;
use crate::boards::domain::{self, Role};
use crate::boards::server::meetings;
use crate::boards::{BoardCard, BoardDetail, BoardList, MemberView};
use crate::comments::domain::SubjectKind;
use crate::comments::server::notify;
use crate::error::{AppError, FieldErrors};
use crate::i18n::t;
use crate::infra::audit::{self, Entry};
use crate::infra::auth::SessionUser;
use crate::infra::db::begin_write;
use crate::infra::entities::{board, board_member, user};
use crate::infra::markdown;
pub use crate::time::{berlin, from_berlin, today};

pub async fn list(
    db: &DatabaseConnection,
    viewer: Option<&SessionUser>,
) -> Result<BoardList, AppError> {
    let boards = board::Entity::find()
        .filter(board::Column::DeletedAt.is_null())
        .order_by_asc(board::Column::Name)
        .all(db)
        .await?;
    let day = today();
    let mut cards = Vec::with_capacity(boards.len());
    for b in boards {
        let members = members_on(db, b.id, day).await?.len() as u64;
        let closed = sees_closed(db, viewer, b.id).await?;
        let next_session = meetings::upcoming_of(db, b.id, closed, 1)
            .await?
            .into_iter()
            .next();
        cards.push(BoardCard {
            id: b.id,
            teaser: crate::text::first_words(&b.description, 200),
            name: b.name,
            members,
            next_session,
        });
    }
    Ok(BoardList {
        boards: cards,
        can_create: viewer.is_some_and(SessionUser::is_staff),
    })
}

pub async fn detail(
    db: &DatabaseConnection,
    viewer: Option<&SessionUser>,
    id: i64,
) -> Result<BoardDetail, AppError> {
    let b = find(db, id).await?;
    let day = today();
    let can_manage = can_manage(db, viewer, id).await?;
    let closed = sees_closed(db, viewer, id).await?;
    let all = all_members(db, id).await?;
    let mut members = Vec::new();
    let mut unnamed = 0;
    let mut voting = 0;
    for (m, u) in &all {
        let current = serves_on(m, day);
        if current && role_of(m).votes() {
            voting += 1;
        }
        // The public sees current members who agreed to be named; the board itself and
        // those who manage it see everyone, with past and future terms.
        if !(closed || can_manage) {
            if !current {
                continue;
            }
            if !m.public_name {
                unnamed += 1;
                continue;
            }
        }
        members.push(MemberView {
            id: m.id,
            name: u.public_name(),
            role: role_of(m),
            term_from: m.term_from,
            term_to: m.term_to,
            public_name: m.public_name,
            email: if can_manage { u.email.clone() } else { None },
            current,
        });
    }
    let following = match viewer {
        Some(u) => notify::is_following(db, u.id, SubjectKind::Board, id).await?,
        None => false,
    };
    let (upcoming, past) = meetings::cards_of(db, Some(id), closed).await?;
    Ok(BoardDetail {
        id,
        description_html: markdown::to_safe_html(&b.description),
        contact_html: markdown::to_safe_html(&b.contact),
        name: b.name,
        description: b.description,
        contact: b.contact,
        term_start: b.term_start,
        term_end: b.term_end,
        members,
        unnamed_members: unnamed,
        voting_members: voting,
        upcoming,
        past,
        own_member_ids: viewer.map_or_else(Vec::new, |v| {
            all.iter()
                .filter(|(m, _)| m.user_id == v.id)
                .map(|(m, _)| m.id)
                .collect()
        }),
        signed_in: viewer.is_some(),
        following,
        can_manage,
        is_staff: viewer.is_some_and(SessionUser::is_staff),
    })
}

/// What the board form sends.
#[derive(Debug, Clone, Default)]
pub struct BoardInput {
    pub name: String,
    pub description: String,
    pub contact: String,
    pub term_start: String,
    pub term_end: String,
}

struct ParsedBoard {
    name: String,
    description: String,
    contact: String,
    term_start: Option<NaiveDate>,
    term_end: Option<NaiveDate>,
}

fn parse_date(errors: &mut FieldErrors, field: &str, raw: &str) -> Option<Option<NaiveDate>> {
    match raw.trim() {
        "" => Some(None),
        t => match NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            Ok(d) => Some(Some(d)),
            Err(_) => {
                errors.add(field, crate::i18n::t("board-date-invalid"));
                None
            }
        },
    }
}

fn parse_board(input: &BoardInput) -> Result<ParsedBoard, AppError> {
    let mut errors = FieldErrors::new();
    let name = errors.check("name", domain::parse_name(&input.name));
    let description = errors.check(
        "description",
        domain::parse_text(&input.description, &t("board-what-description")),
    );
    let contact = errors.check(
        "contact",
        domain::parse_text(&input.contact, &t("board-what-contact")),
    );
    let term_start = parse_date(&mut errors, "term_start", &input.term_start);
    let term_end = parse_date(&mut errors, "term_end", &input.term_end);
    if let (Some(Some(s)), Some(Some(e))) = (term_start, term_end)
        && e < s
    {
        errors.add("term_end", t("board-term-end-before-start"));
    }
    if let (Some(None), Some(Some(_))) = (term_start, term_end) {
        errors.add("term_start", t("board-term-start-missing"));
    }
    errors.into_result()?;
    match (name, description, contact, term_start, term_end) {
        (Some(name), Some(description), Some(contact), Some(term_start), Some(term_end)) => {
            Ok(ParsedBoard {
                name,
                description,
                contact,
                term_start,
                term_end,
            })
        }
        _ => Err(AppError::Internal),
    }
}

pub async fn create(
    db: &DatabaseConnection,
    user: &SessionUser,
    input: &BoardInput,
) -> Result<i64, AppError> {
    if !user.is_staff() {
        return Err(AppError::Forbidden);
    }
    let p = parse_board(input)?;
    let now = Utc::now();
    let tx = begin_write(db).await?;
    let row = board::ActiveModel {
        name: Set(p.name.clone()),
        description: Set(p.description),
        contact: Set(p.contact),
        term_start: Set(p.term_start),
        term_end: Set(p.term_end),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::append(
        &tx,
        Entry {
            actor_id: Some(user.id),
            action: "board.created",
            target_type: "board",
            target_id: Some(row.id.to_string()),
            details: json!({ "name": p.name }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row.id)
}

pub async fn update(
    db: &DatabaseConnection,
    user: &SessionUser,
    id: i64,
    input: &BoardInput,
) -> Result<(), AppError> {
    let b = find(db, id).await?;
    require_manager(db, user, id).await?;
    let p = parse_board(input)?;
    let tx = begin_write(db).await?;
    let mut row: board::ActiveModel = b.into();
    row.name = Set(p.name.clone());
    row.description = Set(p.description);
    row.contact = Set(p.contact);
    row.term_start = Set(p.term_start);
    row.term_end = Set(p.term_end);
    row.updated_at = Set(Utc::now());
    row.update(&tx).await?;
    audit::append(
        &tx,
        Entry {
            actor_id: Some(user.id),
            action: "board.updated",
            target_type: "board",
            target_id: Some(id.to_string()),
            details: json!({ "name": p.name }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What the member form sends.
#[derive(Debug, Clone, Default)]
pub struct MemberInput {
    pub email: String,
    pub role: String,
    pub term_from: String,
    pub term_to: String,
}

struct ParsedMember {
    role: Role,
    term_from: NaiveDate,
    term_to: Option<NaiveDate>,
}

fn parse_member(errors: &mut FieldErrors, input: &MemberInput) -> Option<ParsedMember> {
    let role = match Role::parse(input.role.trim()) {
        Some(r) => Some(r),
        None => {
            errors.add("role", t("board-role-missing"));
            None
        }
    };
    let term_from = match parse_date(errors, "term_from", &input.term_from) {
        Some(Some(d)) => Some(d),
        Some(None) => {
            errors.add("term_from", t("board-term-from-missing"));
            None
        }
        None => None,
    };
    let term_to = parse_date(errors, "term_to", &input.term_to);
    if let (Some(from), Some(Some(to))) = (term_from, term_to)
        && to < from
    {
        errors.add("term_to", t("board-term-to-before-from"));
    }
    Some(ParsedMember {
        role: role?,
        term_from: term_from?,
        term_to: term_to?,
    })
}

pub async fn add_member(
    db: &DatabaseConnection,
    user: &SessionUser,
    board_id: i64,
    input: &MemberInput,
) -> Result<i64, AppError> {
    find(db, board_id).await?;
    require_manager(db, user, board_id).await?;
    let mut errors = FieldErrors::new();
    let email = errors.check("email", EmailAddress::parse(&input.email));
    let parsed = parse_member(&mut errors, input);
    let account = match &email {
        Some(e) => {
            let found = user::Entity::find()
                .filter(user::Column::Email.eq(e.as_str()))
                .filter(user::Column::DeletedAt.is_null())
                .one(db)
                .await?;
            match &found {
                None => errors.add("email", t("board-member-no-account")),
                // Whoever registered an address without confirming it may not be its owner.
                Some(u) if u.email_confirmed_at.is_none() => {
                    errors.add("email", t("board-member-unconfirmed"))
                }
                Some(_) => {}
            }
            found.filter(|u| u.email_confirmed_at.is_some())
        }
        None => None,
    };
    if let (Some(a), Some(p)) = (&account, &parsed) {
        let overlapping = board_member::Entity::find()
            .filter(board_member::Column::BoardId.eq(board_id))
            .filter(board_member::Column::UserId.eq(a.id))
            .filter(board_member::Column::DeletedAt.is_null())
            .all(db)
            .await?
            .into_iter()
            .any(|m| {
                m.term_to.is_none_or(|to| p.term_from <= to)
                    && p.term_to.is_none_or(|to| m.term_from <= to)
            });
        if overlapping {
            errors.add("email", t("board-member-overlap"));
        }
    }
    errors.into_result()?;
    let (Some(account), Some(p)) = (account, parsed) else {
        return Err(AppError::Internal);
    };
    let now = Utc::now();
    let tx = begin_write(db).await?;
    let row = board_member::ActiveModel {
        board_id: Set(board_id),
        user_id: Set(account.id),
        role: Set(p.role.code().to_owned()),
        term_from: Set(p.term_from),
        term_to: Set(p.term_to),
        // Being named in public is the member's own decision (see `set_name_consent`).
        public_name: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::append(
        &tx,
        Entry {
            actor_id: Some(user.id),
            action: "board.member_added",
            target_type: "board",
            target_id: Some(board_id.to_string()),
            details: json!({ "member": row.id, "user": account.id, "role": p.role.code() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row.id)
}

async fn find_member<C: ConnectionTrait>(
    db: &C,
    member_id: i64,
) -> Result<board_member::Model, AppError> {
    board_member::Entity::find_by_id(member_id)
        .one(db)
        .await?
        .filter(|m| m.deleted_at.is_none())
        .ok_or(AppError::NotFound)
}

/// Changes a membership's role and term. Returns the board.
pub async fn update_member(
    db: &DatabaseConnection,
    user: &SessionUser,
    member_id: i64,
    input: &MemberInput,
) -> Result<i64, AppError> {
    let m = find_member(db, member_id).await?;
    require_manager(db, user, m.board_id).await?;
    let mut errors = FieldErrors::new();
    let parsed = parse_member(&mut errors, input);
    errors.into_result()?;
    let p = parsed.ok_or(AppError::Internal)?;
    let board_id = m.board_id;
    let tx = begin_write(db).await?;
    let mut row: board_member::ActiveModel = m.into();
    row.role = Set(p.role.code().to_owned());
    row.term_from = Set(p.term_from);
    row.term_to = Set(p.term_to);
    row.updated_at = Set(Utc::now());
    row.update(&tx).await?;
    audit::append(
        &tx,
        Entry {
            actor_id: Some(user.id),
            action: "board.member_updated",
            target_type: "board",
            target_id: Some(board_id.to_string()),
            details: json!({ "member": member_id, "role": p.role.code() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(board_id)
}

/// Removes a membership entered by mistake (an ended term is recorded by its end date).
/// Returns the board.
pub async fn remove_member(
    db: &DatabaseConnection,
    user: &SessionUser,
    member_id: i64,
) -> Result<i64, AppError> {
    let m = find_member(db, member_id).await?;
    require_manager(db, user, m.board_id).await?;
    let board_id = m.board_id;
    let now = Utc::now();
    let tx = begin_write(db).await?;
    let mut row: board_member::ActiveModel = m.into();
    row.deleted_at = Set(Some(now));
    row.updated_at = Set(now);
    row.update(&tx).await?;
    audit::append(
        &tx,
        Entry {
            actor_id: Some(user.id),
            action: "board.member_removed",
            target_type: "board",
            target_id: Some(board_id.to_string()),
            details: json!({ "member": member_id }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(board_id)
}

/// A member decides whether their name is shown in public (pages and OParl). Returns the
/// board.
pub async fn set_name_consent(
    db: &DatabaseConnection,
    user: &SessionUser,
    member_id: i64,
    consent: bool,
) -> Result<i64, AppError> {
    let m = find_member(db, member_id).await?;
    if m.user_id != user.id {
        return Err(AppError::Forbidden);
    }
    let board_id = m.board_id;
    let tx = begin_write(db).await?;
    let mut row: board_member::ActiveModel = m.into();
    row.public_name = Set(consent);
    row.updated_at = Set(Utc::now());
    row.update(&tx).await?;
    audit::append(
        &tx,
        Entry {
            actor_id: Some(user.id),
            action: if consent {
                "board.name_public"
            } else {
                "board.name_withdrawn"
            },
            target_type: "board",
            target_id: Some(board_id.to_string()),
            details: json!({ "member": member_id }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(board_id)
}
