//! The account's own sessions, as the account page lists them: which browser, from which
//! network, last seen when; each can be ended, or all at once ("Überall abmelden").

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::accounts::{SessionInfo, describe_browser};
use crate::error::AppError;
use crate::infra::auth::{SessionUser, end_sessions};
use crate::infra::entities::session;
use crate::infra::state::AppState;

/// The account's sessions that have not expired, the current one first.
pub async fn list(state: &AppState, me: &SessionUser) -> Result<Vec<SessionInfo>, AppError> {
    let now = chrono::Utc::now();
    let rows = session::Entity::find()
        .filter(session::Column::UserId.eq(me.id))
        .filter(session::Column::ExpiresAt.gt(now))
        .order_by_desc(session::Column::LastSeenAt)
        .all(&state.db)
        .await?;
    let mut out: Vec<SessionInfo> = rows
        .into_iter()
        .filter(|s| now - s.last_seen_at <= me.idle_timeout())
        .map(|s| SessionInfo {
            id: s.id,
            browser: describe_browser(s.user_agent.as_deref().unwrap_or_default()),
            network: s.network.unwrap_or_default(),
            signed_in_at: s.created_at,
            last_seen_at: s.last_seen_at,
            current: s.id == me.session_id,
        })
        .collect();
    out.sort_by_key(|s| !s.current);
    Ok(out)
}

/// Ends one of the account's own sessions (another account's id is simply not found).
pub async fn end(state: &AppState, me: &SessionUser, id: i64) -> Result<(), AppError> {
    let gone = session::Entity::delete_many()
        .filter(session::Column::Id.eq(id))
        .filter(session::Column::UserId.eq(me.id))
        .exec(&state.db)
        .await?
        .rows_affected;
    if gone == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Ends every session of the account, this one included.
pub async fn end_all(state: &AppState, me: &SessionUser) -> Result<u64, AppError> {
    Ok(end_sessions(&state.db, me.id, None).await?)
}
