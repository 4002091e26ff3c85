//! Who sits on which board in which role and term, and who may manage a board or see its
//! closed sessions: the rules the boards, their meetings and OParl stand on.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::boards::domain::Role;
use crate::error::AppError;
use crate::infra::auth::SessionUser;
use crate::infra::entities::{board, board_member, user};
use crate::time::today;

/// Whether a membership holds on a day: not removed, and its term covers the day.
pub fn serves_on(m: &board_member::Model, day: NaiveDate) -> bool {
    m.deleted_at.is_none() && m.term_from <= day && m.term_to.is_none_or(|to| day <= to)
}

/// A board that exists (not deleted).
pub async fn find<C: ConnectionTrait>(db: &C, id: i64) -> Result<board::Model, AppError> {
    board::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|b| b.deleted_at.is_none())
        .ok_or(AppError::NotFound)
}

/// The board's memberships that hold on `day`, with their accounts, chair first.
pub async fn members_on<C: ConnectionTrait>(
    db: &C,
    board_id: i64,
    day: NaiveDate,
) -> Result<Vec<(board_member::Model, user::Model)>, AppError> {
    let all = all_members(db, board_id).await?;
    Ok(all.into_iter().filter(|(m, _)| serves_on(m, day)).collect())
}

/// Every membership that was not removed (past, current and future terms), with accounts.
pub(super) async fn all_members<C: ConnectionTrait>(
    db: &C,
    board_id: i64,
) -> Result<Vec<(board_member::Model, user::Model)>, AppError> {
    // No relations are declared between entities (they stay plain): accounts load apart.
    let members = board_member::Entity::find()
        .filter(board_member::Column::BoardId.eq(board_id))
        .filter(board_member::Column::DeletedAt.is_null())
        .order_by_asc(board_member::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = members.iter().map(|m| m.user_id).collect();
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let mut out: Vec<(board_member::Model, user::Model)> = members
        .into_iter()
        .filter_map(|m| {
            let u = users.iter().find(|u| u.id == m.user_id)?.clone();
            Some((m, u))
        })
        .collect();
    out.sort_by_key(|(m, u)| (role_rank(&m.role), u.public_name()));
    Ok(out)
}

fn role_rank(code: &str) -> usize {
    Role::ALL
        .iter()
        .position(|r| r.code() == code)
        .unwrap_or(Role::ALL.len())
}

pub fn role_of(m: &board_member::Model) -> Role {
    Role::parse(&m.role).unwrap_or(Role::Member)
}

/// The viewer's membership of a board on a day.
pub async fn membership<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    board_id: i64,
    day: NaiveDate,
) -> Result<Option<board_member::Model>, AppError> {
    let rows = board_member::Entity::find()
        .filter(board_member::Column::BoardId.eq(board_id))
        .filter(board_member::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    Ok(rows.into_iter().find(|m| serves_on(m, day)))
}

/// Staff manage every board; the chair and the deputy their own.
pub async fn can_manage<C: ConnectionTrait>(
    db: &C,
    viewer: Option<&SessionUser>,
    board_id: i64,
) -> Result<bool, AppError> {
    let Some(user) = viewer.filter(|u| !u.blocked) else {
        return Ok(false);
    };
    if user.is_staff() {
        return Ok(true);
    }
    Ok(membership(db, user.id, board_id, today())
        .await?
        .is_some_and(|m| role_of(&m).manages()))
}

pub async fn require_manager<C: ConnectionTrait>(
    db: &C,
    user: &SessionUser,
    board_id: i64,
) -> Result<(), AppError> {
    if can_manage(db, Some(user), board_id).await? {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Members (and staff) see closed sessions and closed agenda items.
pub async fn sees_closed<C: ConnectionTrait>(
    db: &C,
    viewer: Option<&SessionUser>,
    board_id: i64,
) -> Result<bool, AppError> {
    let Some(user) = viewer else {
        return Ok(false);
    };
    if user.is_staff() {
        return Ok(true);
    }
    Ok(membership(db, user.id, board_id, today()).await?.is_some())
}

/// The boards a user sits on today, for the account page and the header.
pub async fn boards_of<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
) -> Result<Vec<(board_member::Model, board::Model)>, AppError> {
    let day = today();
    let mut out = Vec::new();
    for m in board_member::Entity::find()
        .filter(board_member::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .filter(|m| serves_on(m, day))
    {
        if let Ok(b) = find(db, m.board_id).await {
            out.push((m, b));
        }
    }
    Ok(out)
}
