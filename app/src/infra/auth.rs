//! Sessions and the current user. The session lives in the database (any instance can serve
//! any request); the cookie carries a random token, the table its keyed hash.

use axum::body::Body;
use axum::extract::State;
use axum::http::{Request, header};
use axum::middleware::Next;
use axum::response::Response;
use chrono::{TimeDelta, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::accounts::domain::Role;
use crate::error::AppError;
use crate::infra::entities::{session, user, user_role};
use crate::infra::http::{Client, add_response_header, cookie, parts};
use crate::infra::state::{AppConfig, AppState};
use crate::infra::tokens;

pub const SESSION_LIFETIME: TimeDelta = TimeDelta::days(14);
/// A session unused this long ends: staff and administrators see personal data.
pub const STAFF_IDLE_TIMEOUT: TimeDelta = TimeDelta::hours(2);
pub const RESIDENT_IDLE_TIMEOUT: TimeDelta = TimeDelta::days(14);
/// `last_seen_at` is written at most this often (one write per request would be wasted).
const LAST_SEEN_GRANULARITY: TimeDelta = TimeDelta::minutes(5);
/// How long a correct password waits for its code.
pub const CHALLENGE_VALIDITY: TimeDelta = TimeDelta::minutes(10);

/// The signed-in account behind a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    pub id: i64,
    pub session_id: i64,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub blocked: bool,
    /// The second factor is switched on.
    pub two_factor: bool,
}

impl SessionUser {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Council staff; administrators may do everything staff may.
    pub fn is_staff(&self) -> bool {
        self.has_role(Role::Staff) || self.has_role(Role::Admin)
    }

    /// Staff and administrators without a second factor reach only the enrolment page.
    pub fn must_enrol(&self) -> bool {
        self.is_staff() && !self.two_factor
    }

    /// How long the session may lie unused.
    pub fn idle_timeout(&self) -> TimeDelta {
        if self.is_staff() {
            STAFF_IDLE_TIMEOUT
        } else {
            RESIDENT_IDLE_TIMEOUT
        }
    }
}

/// What the session middleware found, in the request's extensions.
#[derive(Debug, Clone)]
pub struct CurrentSession(pub Option<SessionUser>);

/// `__Host-` binds the cookie to this exact host over https (no subdomain can set it).
pub fn cookie_name(config: &AppConfig) -> &'static str {
    if config.cookie_secure() {
        "__Host-dorfplatz_session"
    } else {
        "dorfplatz_session"
    }
}

/// Resolves the session cookie once per request, so pages and server functions see the same
/// user without asking the database again.
pub async fn load_session(
    State(state): State<AppState>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let path = req.uri().path();
    let is_asset = path.starts_with("/pkg/") || path == "/favicon.ico" || path == "/healthz";
    let user = match (is_asset, cookie(req.headers(), cookie_name(&state.config))) {
        (false, Some(token)) => match lookup(&state, &token).await {
            Ok(user) => user,
            Err(err) => {
                tracing::error!(error = %err, "session lookup failed");
                None
            }
        },
        _ => None,
    };
    if let Some(u) = &user
        && u.must_enrol()
        && !enrolment_allows(req.uri().path())
    {
        return enrol_first(req.method(), req.uri().path());
    }
    req.extensions_mut().insert(CurrentSession(user));
    next.run(req).await
}

/// What a staff or admin account without a second factor may still reach: the enrolment
/// page and what it needs, logging out, and the site's layout data.
fn enrolment_allows(path: &str) -> bool {
    const OPEN: &[&str] = &[
        "/account/two-factor",
        "/api/layout",
        "/api/me",
        "/api/login",
        "/api/login_code",
        "/api/logout",
        "/api/two_factor",
        "/api/enable_two_factor",
    ];
    OPEN.contains(&path) || path.starts_with("/pkg/") || matches!(path, "/favicon.ico" | "/healthz")
}

/// Pages send the browser to the enrolment page; everything else answers 403.
fn enrol_first(method: &axum::http::Method, path: &str) -> Response {
    use axum::response::IntoResponse;
    if method == axum::http::Method::GET && !path.starts_with("/api/") {
        return (
            axum::http::StatusCode::SEE_OTHER,
            [(
                header::LOCATION,
                "/account/two-factor?notice=two_factor_required",
            )],
        )
            .into_response();
    }
    crate::infra::responses::server_fn_error(
        axum::http::StatusCode::FORBIDDEN,
        &AppError::TwoFactorRequired,
    )
}

async fn lookup(state: &AppState, token: &str) -> Result<Option<SessionUser>, DbErr> {
    let now = Utc::now();
    let hash = tokens::hash(state.config.secret(), token);
    let Some(s) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(hash))
        .filter(session::Column::ExpiresAt.gt(now))
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    let Some(user) = load_user(&state.db, s.user_id, s.id).await? else {
        return Ok(None);
    };
    if now - s.last_seen_at > user.idle_timeout() {
        session::Entity::delete_by_id(s.id).exec(&state.db).await?;
        return Ok(None);
    }
    if now - s.last_seen_at > LAST_SEEN_GRANULARITY {
        session::Entity::update_many()
            .col_expr(
                session::Column::LastSeenAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(session::Column::Id.eq(s.id))
            .exec(&state.db)
            .await?;
    }
    Ok(Some(user))
}

/// The user with roles, if the account exists, is confirmed and not deleted.
pub async fn load_user<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    session_id: i64,
) -> Result<Option<SessionUser>, DbErr> {
    let Some(u) = user::Entity::find_by_id(user_id).one(db).await? else {
        return Ok(None);
    };
    if u.deleted_at.is_some() || u.email_confirmed_at.is_none() {
        return Ok(None);
    }
    let mut roles: Vec<Role> = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| Role::parse(&r.role).ok())
        .collect();
    roles.sort();
    Ok(Some(SessionUser {
        id: u.id,
        session_id,
        email: u.email.unwrap_or_default(),
        display_name: u.display_name.unwrap_or_default(),
        roles,
        blocked: u.blocked_at.is_some(),
        two_factor: u.totp_enabled_at.is_some(),
    }))
}

/// The signed-in user of the current request, if any.
pub fn current_user() -> Option<SessionUser> {
    parts()
        .ok()
        .and_then(|p| p.extensions.get::<CurrentSession>().cloned())
        .and_then(|s| s.0)
}

pub fn require_user() -> Result<SessionUser, AppError> {
    current_user().ok_or(AppError::Unauthenticated)
}

/// The signed-in user if `allowed` admits them: 401 for guests, 403 for everyone else.
fn require(allowed: impl Fn(&SessionUser) -> bool) -> Result<SessionUser, AppError> {
    let user = require_user()?;
    if allowed(&user) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

pub fn require_role(role: Role) -> Result<SessionUser, AppError> {
    require(|u| u.has_role(role))
}

/// Council staff or administrators.
pub fn require_staff() -> Result<SessionUser, AppError> {
    require(SessionUser::is_staff)
}

/// Creates a session row (always a new id: a login never reuses a session) and returns the
/// raw token for the cookie.
pub async fn create_session<C: ConnectionTrait>(
    db: &C,
    config: &AppConfig,
    user_id: i64,
    client: &Client,
) -> Result<String, DbErr> {
    let token = tokens::generate();
    let now = Utc::now();
    session::Entity::insert(session::ActiveModel {
        token_hash: Set(tokens::hash(config.secret(), &token)),
        user_id: Set(user_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + SESSION_LIFETIME),
        user_agent: Set(client.user_agent.clone()),
        network: Set(Some(client.network())),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(token)
}

/// Ends every session of the account, except `keep` (the one making the change).
pub async fn end_sessions<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    keep: Option<i64>,
) -> Result<u64, DbErr> {
    let mut query = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        query = query.filter(session::Column::Id.ne(keep));
    }
    Ok(query.exec(db).await?.rows_affected)
}

/// The cookie of a login waiting for its code. Short-lived, and only for the code step.
pub fn challenge_cookie_name(config: &AppConfig) -> &'static str {
    if config.cookie_secure() {
        "__Host-dorfplatz_login"
    } else {
        "dorfplatz_login"
    }
}

pub fn set_challenge_cookie(config: &AppConfig, token: &str) {
    let cookie = config.cookie(
        challenge_cookie_name(config),
        token,
        CHALLENGE_VALIDITY.num_seconds(),
    );
    add_response_header(header::SET_COOKIE, &cookie);
}

pub fn clear_challenge_cookie(config: &AppConfig) {
    let cookie = config.cookie(challenge_cookie_name(config), "", 0);
    add_response_header(header::SET_COOKIE, &cookie);
}

/// The raw token of the login waiting for its code, from the request's cookie.
pub fn challenge_token(config: &AppConfig) -> Option<String> {
    parts()
        .ok()
        .and_then(|p| cookie(&p.headers, challenge_cookie_name(config)))
}

pub fn session_cookie(config: &AppConfig, token: &str) -> String {
    config.cookie(cookie_name(config), token, SESSION_LIFETIME.num_seconds())
}

pub fn set_session_cookie(config: &AppConfig, token: &str) {
    add_response_header(header::SET_COOKIE, &session_cookie(config, token));
}

pub fn clear_session_cookie(config: &AppConfig) {
    add_response_header(
        header::SET_COOKIE,
        &config.cookie(cookie_name(config), "", 0),
    );
}
