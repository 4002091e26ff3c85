//! Account services: registration, confirmation, login, password and address changes,
//! deletion, roles. Server functions and the command line call these; they take parsed
//! domain types, so every caller gets the same checks.

pub mod export;
pub mod sessions;
pub mod two_factor;

use chrono::{TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use serde_json::json;

use crate::accounts::domain::{DisplayName, EmailAddress, NewPassword, Role};
use crate::admin::UserRow;
use crate::error::AppError;
use crate::infra::audit::{self, Entry};
use crate::infra::auth::{SessionUser, create_session, end_sessions};
use crate::infra::db::{begin_write, is_unique_violation};
use crate::infra::entities::{
    account_token, follow, login_challenge, notification, session, user, user_role,
};
use crate::infra::http::Client;
use crate::infra::mail::{enqueue, templates};
use crate::infra::passwords;
use crate::infra::rate_limit::{self, Bucket, Subject};
use crate::infra::state::AppState;
use crate::infra::tokens;
use crate::site::server as site;

pub const CONFIRM_VALIDITY: TimeDelta = TimeDelta::hours(24);
pub const RESET_VALIDITY: TimeDelta = TimeDelta::hours(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    ConfirmEmail,
    ChangeEmail,
    PasswordReset,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::ConfirmEmail => "confirm_email",
            Purpose::ChangeEmail => "change_email",
            Purpose::PasswordReset => "password_reset",
        }
    }
}

async fn find_by_email<C: ConnectionTrait>(
    db: &C,
    email: &EmailAddress,
) -> Result<Option<user::Model>, AppError> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .filter(user::Column::DeletedAt.is_null())
        .one(db)
        .await?)
}

/// Stores a new single-use token and returns the raw value for the link.
async fn issue_token<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    user_id: i64,
    purpose: Purpose,
    new_email: Option<&str>,
) -> Result<String, AppError> {
    let raw = tokens::generate();
    let now = Utc::now();
    let validity = match purpose {
        Purpose::PasswordReset => RESET_VALIDITY,
        _ => CONFIRM_VALIDITY,
    };
    account_token::Entity::insert(account_token::ActiveModel {
        token_hash: Set(tokens::hash(state.config.secret(), &raw)),
        purpose: Set(purpose.as_str().to_owned()),
        user_id: Set(user_id),
        new_email: Set(new_email.map(str::to_owned)),
        created_at: Set(now),
        expires_at: Set(now + validity),
        used_at: Set(None),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(raw)
}

/// An open token: unused, unexpired, for one of the purposes given. A used, expired,
/// unknown or forged token all give the same `LinkInvalid`.
async fn open_token<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    raw: &str,
    purposes: &[Purpose],
) -> Result<account_token::Model, AppError> {
    if raw.is_empty() || raw.len() > 100 {
        return Err(AppError::LinkInvalid);
    }
    let token = account_token::Entity::find()
        .filter(account_token::Column::TokenHash.eq(tokens::hash(state.config.secret(), raw)))
        .one(db)
        .await?
        .ok_or(AppError::LinkInvalid)?;
    if token.used_at.is_some()
        || token.expires_at <= Utc::now()
        || !purposes.iter().any(|p| p.as_str() == token.purpose)
    {
        return Err(AppError::LinkInvalid);
    }
    Ok(token)
}

/// Voids every open link of the account (after its address or password changed, a link
/// mailed before must not work any more).
async fn void_links<C: ConnectionTrait>(db: &C, user_id: i64) -> Result<(), AppError> {
    account_token::Entity::delete_many()
        .filter(account_token::Column::UserId.eq(user_id))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Refuses a password that is too easy to guess, at the field `field`; the municipality's
/// name, "dorfplatz" and the person's own address and name count as known words.
pub fn check_strength(
    municipality: &str,
    field: &str,
    password: &NewPassword,
    personal: &[&str],
) -> Result<(), AppError> {
    // "Gemeinde Kalletal": each word is tried on its own, and the whole.
    let mut context: Vec<&str> = municipality.split_whitespace().collect();
    context.push(municipality);
    context.extend_from_slice(personal);
    // The local part of an address is a word of its own ("anna.schmidt").
    let locals: Vec<&str> = personal
        .iter()
        .filter_map(|p| p.split_once('@').map(|(l, _)| l))
        .collect();
    context.extend(locals);
    match passwords::weakness(password.expose(), &context) {
        Some(why) => Err(AppError::field(field, why)),
        None => Ok(()),
    }
}

/// Consumes a token: valid only once, before it expires, for the purposes given.
async fn consume_token<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    raw: &str,
    purposes: &[Purpose],
) -> Result<account_token::Model, AppError> {
    let token = open_token(db, state, raw, purposes).await?;
    claim_token(db, &token).await?;
    Ok(token)
}

/// Marks an open token used. Conditional: of two concurrent uses only one wins.
async fn claim_token<C: ConnectionTrait>(
    db: &C,
    token: &account_token::Model,
) -> Result<(), AppError> {
    let res = account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, Expr::value(Utc::now()))
        .filter(account_token::Column::Id.eq(token.id))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::LinkInvalid);
    }
    Ok(())
}

/// Registers an account and mails the confirmation link. When the address already has an
/// account, that account's owner gets a notice instead: the answer is the same either way.
///
/// An address with an unconfirmed account is registered anew: the password and name given
/// now replace the old ones and the old links stop working, so whoever registered an
/// address that is not theirs first cannot take the account over once its owner confirms.
pub async fn register(
    state: &AppState,
    email: &EmailAddress,
    name: &DisplayName,
    password: &NewPassword,
) -> Result<(), AppError> {
    let municipality = site::municipality_name(&state.db).await?;
    check_strength(
        &municipality,
        "password",
        password,
        &[email.as_str(), name.as_str()],
    )?;
    let hash = passwords::hash(password.expose()).await?;
    // Counted before the write transaction: on SQLite a second connection would wait for it.
    let mail_allowed = state
        .limits
        .allow(&state.db, Bucket::Mail, Subject::Account(email.as_str()))
        .await?;
    let tx = begin_write(&state.db).await?;
    if let Some(existing) = find_by_email(&tx, email).await? {
        if existing.email_confirmed_at.is_none() {
            void_links(&tx, existing.id).await?;
            let mut active: user::ActiveModel = existing.clone().into();
            active.display_name = Set(Some(name.as_str().to_owned()));
            active.password_hash = Set(Some(hash));
            active.updated_at = Set(Utc::now());
            active.update(&tx).await?;
        }
        if mail_allowed {
            let mail = if existing.email_confirmed_at.is_some() {
                templates::already_registered(
                    crate::i18n::server::lang_for(existing.language.as_deref()),
                    &municipality,
                    &state.config.link("/login"),
                    &state.config.link("/password-reset"),
                )
            } else {
                let raw = issue_token(&tx, state, existing.id, Purpose::ConfirmEmail, None).await?;
                templates::confirm_registration(
                    crate::i18n::current_lang(),
                    &municipality,
                    name.as_str(),
                    &state.config.link(&format!("/confirm?token={raw}")),
                )
            };
            enqueue(&tx, email.as_str(), mail).await?;
        }
        tx.commit().await?;
        return Ok(());
    }
    let now = Utc::now();
    let inserted = user::ActiveModel {
        email: Set(Some(email.as_str().to_owned())),
        display_name: Set(Some(name.as_str().to_owned())),
        password_hash: Set(Some(hash)),
        email_confirmed_at: Set(None),
        blocked_at: Set(None),
        deleted_at: Set(None),
        // The account's emails keep the language it signed up in, until the switch changes it.
        language: Set(Some(crate::i18n::current_lang().code.to_owned())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await;
    let new_user = match inserted {
        Ok(u) => u,
        // A concurrent registration of the same address won the race: same answer.
        Err(err) if is_unique_violation(&err) => return Ok(()),
        Err(err) => return Err(err.into()),
    };
    let raw = issue_token(&tx, state, new_user.id, Purpose::ConfirmEmail, None).await?;
    enqueue(
        &tx,
        email.as_str(),
        templates::confirm_registration(
            crate::i18n::current_lang(),
            &municipality,
            name.as_str(),
            &state.config.link(&format!("/confirm?token={raw}")),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmed {
    Registration,
    EmailChange,
}

/// Confirms a registration or an address change. A changed address ends every session of
/// the account but `keep` (the browser that confirms, when it is signed in to it) and voids
/// its other links.
pub async fn confirm(
    state: &AppState,
    raw: &str,
    keep: Option<i64>,
) -> Result<Confirmed, AppError> {
    let tx = begin_write(&state.db).await?;
    let token = consume_token(
        &tx,
        state,
        raw,
        &[Purpose::ConfirmEmail, Purpose::ChangeEmail],
    )
    .await?;
    let u = user::Entity::find_by_id(token.user_id)
        .one(&tx)
        .await?
        .filter(|u| u.deleted_at.is_none())
        .ok_or(AppError::LinkInvalid)?;
    let now = Utc::now();
    let outcome = if token.purpose == Purpose::ChangeEmail.as_str() {
        let new_email = token.new_email.clone().ok_or(AppError::LinkInvalid)?;
        let mut active: user::ActiveModel = u.into();
        active.email = Set(Some(new_email));
        active.email_confirmed_at = Set(Some(now));
        active.updated_at = Set(now);
        match active.update(&tx).await {
            Ok(_) => {}
            // Taken by another account meanwhile.
            Err(err) if is_unique_violation(&err) => return Err(AppError::LinkInvalid),
            Err(err) => return Err(err.into()),
        }
        end_sessions(&tx, token.user_id, keep).await?;
        void_links(&tx, token.user_id).await?;
        Confirmed::EmailChange
    } else {
        if u.email_confirmed_at.is_none() {
            let mut active: user::ActiveModel = u.into();
            active.email_confirmed_at = Set(Some(now));
            active.updated_at = Set(now);
            active.update(&tx).await?;
        }
        Confirmed::Registration
    };
    tx.commit().await?;
    Ok(outcome)
}

/// What a right password leads to.
#[derive(Debug)]
pub enum LoginOutcome {
    /// Signed in: the raw session token.
    Session(String),
    /// The account has a second factor: the raw token of the login waiting for its code.
    Challenge(String),
}

/// Checks the credentials; opens a session, or a challenge when the account has a second
/// factor. Wrong passwords count against the account and the address.
pub async fn login(
    state: &AppState,
    client: &Client,
    email: &str,
    password: &str,
) -> Result<LoginOutcome, AppError> {
    state
        .limits
        .check(&state.db, Bucket::LoginAddress, Subject::Address(client.ip))
        .await?;
    // An unparseable address cannot belong to an account; still spend the hashing time.
    let email = EmailAddress::parse(email).ok();
    if let Some(e) = &email {
        state
            .limits
            .check_failures(
                &state.db,
                Bucket::LoginAccount,
                Subject::Account(e.as_str()),
            )
            .await?;
    }
    let account = match &email {
        Some(e) => find_by_email(&state.db, e).await?,
        None => None,
    };
    let ok = passwords::verify(
        account.as_ref().and_then(|a| a.password_hash.clone()),
        password,
    )
    .await?;
    let account = match (ok, account) {
        (true, Some(a)) => a,
        _ => {
            if let Some(e) = &email {
                login_failed(state, Some(client), e.as_str(), Bucket::LoginAccount).await?;
            }
            return Err(AppError::InvalidCredentials);
        }
    };
    if account.email_confirmed_at.is_none() {
        if let Some(e) = &email
            && state
                .limits
                .allow(&state.db, Bucket::Mail, Subject::Account(e.as_str()))
                .await?
        {
            let municipality = site::municipality_name(&state.db).await?;
            let tx = begin_write(&state.db).await?;
            let raw = issue_token(&tx, state, account.id, Purpose::ConfirmEmail, None).await?;
            enqueue(
                &tx,
                e.as_str(),
                templates::confirm_registration(
                    crate::i18n::server::lang_for(account.language.as_deref()),
                    &municipality,
                    account.display_name.as_deref().unwrap_or_default(),
                    &state.config.link(&format!("/confirm?token={raw}")),
                ),
            )
            .await?;
            tx.commit().await?;
        }
        return Err(AppError::EmailNotConfirmed);
    }
    if account.totp_enabled_at.is_some() {
        let raw = two_factor::start_challenge(state, account.id, client).await?;
        return Ok(LoginOutcome::Challenge(raw));
    }
    Ok(LoginOutcome::Session(
        create_session(&state.db, &state.config, account.id, client).await?,
    ))
}

/// Counts a wrong password (`LoginAccount`) or code (`Code`) against the account and logs
/// it at `warn` (the account as a hash, the address as the limits group it).
pub(crate) async fn login_failed(
    state: &AppState,
    client: Option<&Client>,
    email: &str,
    bucket: Bucket,
) -> Result<(), AppError> {
    let subject = Subject::Account(email);
    state.limits.allow(&state.db, bucket, subject).await?;
    tracing::warn!(
        account = %state.limits.account_tag(&subject),
        address = client.map(|c| rate_limit::address_key(c.ip)).unwrap_or_default(),
        what = if bucket == Bucket::Code { "code" } else { "password" },
        "login refused"
    );
    Ok(())
}

pub async fn logout(state: &AppState, session_id: i64) -> Result<(), AppError> {
    session::Entity::delete_by_id(session_id)
        .exec(&state.db)
        .await?;
    Ok(())
}

/// Mails a reset link if the address has an account. Says nothing about whether it has.
pub async fn request_password_reset(
    state: &AppState,
    client: &Client,
    email: &EmailAddress,
) -> Result<(), AppError> {
    state
        .limits
        .check(&state.db, Bucket::Reset, Subject::Address(client.ip))
        .await?;
    let Some(account) = find_by_email(&state.db, email).await? else {
        return Ok(());
    };
    if !state
        .limits
        .allow(&state.db, Bucket::Mail, Subject::Account(email.as_str()))
        .await?
    {
        return Ok(());
    }
    let municipality = site::municipality_name(&state.db).await?;
    let tx = begin_write(&state.db).await?;
    let raw = issue_token(&tx, state, account.id, Purpose::PasswordReset, None).await?;
    enqueue(
        &tx,
        email.as_str(),
        templates::password_reset(
            crate::i18n::server::lang_for(account.language.as_deref()),
            &municipality,
            &state
                .config
                .link(&format!("/password-reset/new?token={raw}")),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new password from a reset link. Every session and every other open link of the
/// account ends; the link also proves the address, so an unconfirmed account becomes
/// confirmed. The link is checked before the (expensive) hash, so a flood of forged links
/// costs nothing.
pub async fn reset_password(
    state: &AppState,
    raw: &str,
    password: &NewPassword,
) -> Result<(), AppError> {
    let token = open_token(&state.db, state, raw, &[Purpose::PasswordReset]).await?;
    let u = user::Entity::find_by_id(token.user_id)
        .one(&state.db)
        .await?
        .filter(|u| u.deleted_at.is_none())
        .ok_or(AppError::LinkInvalid)?;
    let municipality = site::municipality_name(&state.db).await?;
    check_strength(
        &municipality,
        "password",
        password,
        &[u.email.as_deref().unwrap_or_default()],
    )?;
    let hash = passwords::hash(password.expose()).await?;
    let tx = begin_write(&state.db).await?;
    claim_token(&tx, &token).await?;
    let now = Utc::now();
    let confirmed = u.email_confirmed_at.unwrap_or(now);
    let mut active: user::ActiveModel = u.into();
    active.password_hash = Set(Some(hash));
    active.email_confirmed_at = Set(Some(confirmed));
    active.updated_at = Set(now);
    active.update(&tx).await?;
    end_sessions(&tx, token.user_id, None).await?;
    void_links(&tx, token.user_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Asks for the current password before a change to the account; wrong guesses count
/// like wrong logins.
pub(crate) async fn check_current_password(
    state: &AppState,
    user: &SessionUser,
    current: &str,
) -> Result<user::Model, AppError> {
    state
        .limits
        .check_failures(
            &state.db,
            Bucket::LoginAccount,
            Subject::Account(&user.email),
        )
        .await?;
    let account = user::Entity::find_by_id(user.id)
        .one(&state.db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !passwords::verify(account.password_hash.clone(), current).await? {
        login_failed(state, None, &user.email, Bucket::LoginAccount).await?;
        return Err(AppError::field(
            "current_password",
            crate::i18n::t("account-error-current-password-wrong"),
        ));
    }
    Ok(account)
}

/// Changes the password; every other session and every open link of the account ends.
pub async fn change_password(
    state: &AppState,
    user: &SessionUser,
    current: &str,
    new: &NewPassword,
) -> Result<(), AppError> {
    let account = check_current_password(state, user, current).await?;
    let municipality = site::municipality_name(&state.db).await?;
    check_strength(
        &municipality,
        "password",
        new,
        &[user.email.as_str(), user.display_name.as_str()],
    )?;
    let hash = passwords::hash(new.expose()).await?;
    let tx = begin_write(&state.db).await?;
    let lang = crate::i18n::server::lang_for(account.language.as_deref());
    let mut active: user::ActiveModel = account.into();
    active.password_hash = Set(Some(hash));
    active.updated_at = Set(Utc::now());
    active.update(&tx).await?;
    end_sessions(&tx, user.id, Some(user.session_id)).await?;
    void_links(&tx, user.id).await?;
    enqueue(
        &tx,
        &user.email,
        templates::password_changed(lang, &municipality, &state.config.link("/password-reset")),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Starts an address change: the new address gets a confirmation link, the old one a notice.
/// Whether the new address is taken is not revealed (its owner is told instead).
pub async fn request_email_change(
    state: &AppState,
    user: &SessionUser,
    new_email: &EmailAddress,
    current: &str,
) -> Result<(), AppError> {
    check_current_password(state, user, current).await?;
    if new_email.as_str() == user.email {
        return Err(AppError::field(
            "email",
            crate::i18n::t("account-error-email-same"),
        ));
    }
    let municipality = site::municipality_name(&state.db).await?;
    let taken = find_by_email(&state.db, new_email).await?.is_some();
    let mail_allowed = state
        .limits
        .allow(
            &state.db,
            Bucket::Mail,
            Subject::Account(new_email.as_str()),
        )
        .await?;
    let tx = begin_write(&state.db).await?;
    if mail_allowed {
        let mail = if taken {
            templates::already_registered(
                crate::i18n::current_lang(),
                &municipality,
                &state.config.link("/login"),
                &state.config.link("/password-reset"),
            )
        } else {
            let raw = issue_token(
                &tx,
                state,
                user.id,
                Purpose::ChangeEmail,
                Some(new_email.as_str()),
            )
            .await?;
            templates::confirm_new_email(
                crate::i18n::current_lang(),
                &municipality,
                new_email.as_str(),
                &state.config.link(&format!("/confirm?token={raw}")),
            )
        };
        enqueue(&tx, new_email.as_str(), mail).await?;
    }
    enqueue(
        &tx,
        &user.email,
        templates::email_change_requested(
            crate::i18n::current_lang(),
            &municipality,
            new_email.as_str(),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes the account's personal data. The row stays (nulled) so that public contributions
/// keep an author, shown as "gelöschtes Konto".
pub async fn delete_account(
    state: &AppState,
    user: &SessionUser,
    current: &str,
) -> Result<(), AppError> {
    let account = check_current_password(state, user, current).await?;
    let municipality = site::municipality_name(&state.db).await?;
    let tx = begin_write(&state.db).await?;
    let now = Utc::now();
    let mut active: user::ActiveModel = account.into();
    active.email = Set(None);
    active.display_name = Set(None);
    active.password_hash = Set(None);
    active.deleted_at = Set(Some(now));
    active.updated_at = Set(now);
    active.update(&tx).await?;
    end_sessions(&tx, user.id, None).await?;
    // The second factor goes with the account: its recovery codes are personal data too.
    two_factor::switch_off(&tx, user.id).await?;
    account_token::Entity::delete_many()
        .filter(account_token::Column::UserId.eq(user.id))
        .exec(&tx)
        .await?;
    user_role::Entity::delete_many()
        .filter(user_role::Column::UserId.eq(user.id))
        .exec(&tx)
        .await?;
    // Contributions stay under "gelöschtes Konto"; nothing more is sent to this person.
    follow::Entity::delete_many()
        .filter(follow::Column::UserId.eq(user.id))
        .exec(&tx)
        .await?;
    notification::Entity::delete_many()
        .filter(notification::Column::UserId.eq(user.id))
        .exec(&tx)
        .await?;
    enqueue(
        &tx,
        &user.email,
        templates::account_deleted(crate::i18n::current_lang(), &municipality),
    )
    .await?;
    audit::append(
        &tx,
        Entry {
            actor_id: Some(user.id),
            action: "account.deleted",
            target_type: "user",
            target_id: Some(user.id.to_string()),
            details: json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Creates a confirmed account (command line, demo). Fails on a taken address.
pub async fn create_confirmed(
    db: &DatabaseConnection,
    email: &EmailAddress,
    name: &DisplayName,
    password: &NewPassword,
    roles: &[Role],
) -> Result<i64, AppError> {
    let hash = passwords::hash(password.expose()).await?;
    let tx = begin_write(db).await?;
    let now = Utc::now();
    let inserted = user::ActiveModel {
        email: Set(Some(email.as_str().to_owned())),
        display_name: Set(Some(name.as_str().to_owned())),
        password_hash: Set(Some(hash)),
        email_confirmed_at: Set(Some(now)),
        blocked_at: Set(None),
        deleted_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await;
    let u = match inserted {
        Ok(u) => u,
        Err(err) if is_unique_violation(&err) => {
            return Err(AppError::field(
                "email",
                crate::i18n::t("account-error-email-taken"),
            ));
        }
        Err(err) => return Err(err.into()),
    };
    for role in roles {
        set_role(&tx, None, u.id, *role, true).await?;
    }
    tx.commit().await?;
    Ok(u.id)
}

/// Grants or revokes a role, with an audit entry. Idempotent.
async fn set_role(
    tx: &sea_orm::DatabaseTransaction,
    actor: Option<i64>,
    user_id: i64,
    role: Role,
    grant: bool,
) -> Result<bool, AppError> {
    let existing = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user_id))
        .filter(user_role::Column::Role.eq(role.as_str()))
        .one(tx)
        .await?;
    let changed = match (grant, existing) {
        (true, None) => {
            user_role::Entity::insert(user_role::ActiveModel {
                user_id: Set(user_id),
                role: Set(role.as_str().to_owned()),
                granted_at: Set(Utc::now()),
                granted_by: Set(actor),
                ..Default::default()
            })
            .exec(tx)
            .await?;
            true
        }
        (false, Some(row)) => {
            if role == Role::Admin {
                let admins = user_role::Entity::find()
                    .filter(user_role::Column::Role.eq(Role::Admin.as_str()))
                    .count(tx)
                    .await?;
                if admins <= 1 {
                    return Err(AppError::field(
                        "role",
                        crate::i18n::t("account-error-last-admin"),
                    ));
                }
            }
            user_role::Entity::delete_by_id(row.id).exec(tx).await?;
            true
        }
        _ => false,
    };
    if changed {
        // New rights, new session: the account signs in again (and staff enrol their
        // second factor first).
        end_sessions(tx, user_id, None).await?;
        audit::append(
            tx,
            Entry {
                actor_id: actor,
                action: if grant { "role.granted" } else { "role.revoked" },
                target_type: "user",
                target_id: Some(user_id.to_string()),
                details: json!({ "role": role.as_str(), "via": if actor.is_some() { "web" } else { "cli" } }),
            },
        )
        .await?;
    }
    Ok(changed)
}

/// Grants or revokes a role on an account (admin page, command line).
pub async fn change_role(
    db: &DatabaseConnection,
    actor: Option<i64>,
    user_id: i64,
    role: Role,
    grant: bool,
) -> Result<bool, AppError> {
    let tx = begin_write(db).await?;
    let target = user::Entity::find_by_id(user_id)
        .one(&tx)
        .await?
        .filter(|u| u.deleted_at.is_none())
        .ok_or(AppError::NotFound)?;
    // Whoever registered an address without confirming it may not be its owner.
    if grant && target.email_confirmed_at.is_none() {
        return Err(AppError::field(
            "role",
            crate::i18n::t("account-error-role-unconfirmed"),
        ));
    }
    let changed = set_role(&tx, actor, target.id, role, grant).await?;
    tx.commit().await?;
    Ok(changed)
}

pub async fn user_id_by_email(
    db: &DatabaseConnection,
    email: &EmailAddress,
) -> Result<i64, AppError> {
    find_by_email(db, email)
        .await?
        .map(|u| u.id)
        .ok_or(AppError::NotFound)
}

pub const USERS_PER_PAGE: u64 = 50;

/// Accounts for the admin page, newest first, optionally filtered by name or address.
pub async fn list_users(
    db: &DatabaseConnection,
    query: &str,
    page: u64,
) -> Result<(Vec<UserRow>, u64), AppError> {
    let mut select = user::Entity::find().filter(user::Column::DeletedAt.is_null());
    let q = query.trim().to_lowercase();
    if !q.is_empty() {
        let pattern = format!("%{}%", q.replace(['%', '_'], ""));
        select = select.filter(
            sea_orm::Condition::any()
                .add(Expr::col(user::Column::Email).like(pattern.clone()))
                .add(
                    Expr::expr(sea_orm::sea_query::Func::lower(Expr::col(
                        user::Column::DisplayName,
                    )))
                    .like(pattern),
                ),
        );
    }
    let total = select.clone().count(db).await?;
    let users = select
        .order_by_desc(user::Column::Id)
        .offset(page * USERS_PER_PAGE)
        .limit(USERS_PER_PAGE)
        .all(db)
        .await?;
    let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
    let roles = user_role::Entity::find()
        .filter(user_role::Column::UserId.is_in(ids))
        .all(db)
        .await?;
    let rows = users
        .into_iter()
        .map(|u| {
            let mut user_roles: Vec<Role> = roles
                .iter()
                .filter(|r| r.user_id == u.id)
                .filter_map(|r| Role::parse(&r.role).ok())
                .collect();
            user_roles.sort();
            UserRow {
                id: u.id,
                email: u.email.unwrap_or_default(),
                display_name: u.display_name.unwrap_or_default(),
                confirmed: u.email_confirmed_at.is_some(),
                two_factor: u.totp_enabled_at.is_some(),
                roles: user_roles,
                created_at: u.created_at,
            }
        })
        .collect();
    Ok((rows, total))
}

/// Unconfirmed accounts are deleted after this long (their link has expired by then).
pub const UNCONFIRMED_KEPT: TimeDelta = TimeDelta::hours(24);

/// What housekeeping removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub sessions: u64,
    pub challenges: u64,
    pub links: u64,
    pub unconfirmed_accounts: u64,
    pub rate_limits: u64,
}

/// Removes what has expired: sessions past their lifetime, logins that waited too long for
/// their code, used or expired links, rate-limit counters that have recovered, and accounts
/// never confirmed within a day. Runs in every instance (each delete is idempotent).
pub async fn housekeeping(db: &DatabaseConnection) -> Result<Swept, AppError> {
    let now = Utc::now();
    let sessions = session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?
        .rows_affected;
    let challenges = login_challenge::Entity::delete_many()
        .filter(login_challenge::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?
        .rows_affected;
    let links = account_token::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(account_token::Column::ExpiresAt.lte(now))
                .add(account_token::Column::UsedAt.is_not_null()),
        )
        .exec(db)
        .await?
        .rows_affected;
    let unconfirmed_accounts = user::Entity::delete_many()
        .filter(user::Column::EmailConfirmedAt.is_null())
        .filter(user::Column::DeletedAt.is_null())
        .filter(user::Column::CreatedAt.lte(now - UNCONFIRMED_KEPT))
        .exec(db)
        .await?
        .rows_affected;
    let rate_limits = rate_limit::purge(db).await?;
    Ok(Swept {
        sessions,
        challenges,
        links,
        unconfirmed_accounts,
        rate_limits,
    })
}
