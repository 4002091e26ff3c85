//! The second factor: one-time passwords (RFC 6238: HMAC-SHA1, six digits, 30-second
//! steps, one step of clock drift either way) and ten single-use recovery codes.
//!
//! Nothing secret is stored: an account's TOTP secret is derived from the server's key (its
//! own HKDF sub-key), the account and `totp_generation`, and its recovery codes likewise from
//! `recovery_generation`; the table keeps only keyed hashes of the codes. Enrolling again
//! bumps the generation, so every earlier secret stops working. A code is accepted once
//! (`totp_last_step`), a login waits for its code at most ten minutes, and five wrong codes
//! end it.

use chrono::{TimeDelta, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, sea_query::Expr,
};
use serde_json::json;
use totp_rs::{Algorithm, Builder, Totp};

use crate::accounts::two_factor::{
    CODE_DIGITS, MAX_CODE_FAILURES, RECOVERY_ALPHABET, RECOVERY_CODE_LEN, RECOVERY_CODES,
    SecondFactor, TotpSetup, TwoFactorView, format_recovery_code,
};
use crate::error::AppError;
use crate::infra::audit::{self, Entry};
use crate::infra::auth::{CHALLENGE_VALIDITY, SessionUser, create_session, end_sessions};
use crate::infra::db::begin_write;
use crate::infra::entities::{login_challenge, recovery_code, user};
use crate::infra::http::Client;
use crate::infra::keys::{self, Purpose};
use crate::infra::mail::enqueue;
use crate::infra::mail::templates::{self, TwoFactorNews};
use crate::infra::rate_limit::{Bucket, Subject};
use crate::infra::state::{AppConfig, AppState};
use crate::infra::tokens;
use crate::site::server as site;

const STEP_SECONDS: u64 = 30;
/// New recovery codes stay on the enrolment page this long (time to print or save them).
const RECOVERY_SHOWN: TimeDelta = TimeDelta::minutes(15);

/// The TOTP secret of one enrolment: 20 bytes (160 bits, RFC 4226's recommendation).
fn secret_of(config: &AppConfig, user_id: i64, generation: i32) -> Vec<u8> {
    let key = keys::subkey(config.secret(), Purpose::TotpSecrets);
    keys::mac(
        &key,
        &[&user_id.to_be_bytes(), &i64::from(generation).to_be_bytes()],
    )[..20]
        .to_vec()
}

fn totp(secret: Vec<u8>, issuer: &str, account: &str) -> Result<Totp, AppError> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(CODE_DIGITS as u8)
        .with_skew(1)
        .with_step_duration(STEP_SECONDS)
        .with_secret(secret)
        .with_issuer(Some(issuer.replace(':', " ")))
        .with_account_name(account.replace(':', " "))
        .build()
        .map_err(|e| {
            tracing::error!(error = %e, "one-time password setup failed");
            AppError::Internal
        })
}

fn now_seconds() -> u64 {
    u64::try_from(Utc::now().timestamp()).unwrap_or_default()
}

/// The time step a code belongs to, if it is valid now (±1 step) and newer than the last
/// accepted one. Compared in constant time.
fn accepted_step(totp: &Totp, code: &str, last_step: Option<i64>) -> Option<i64> {
    let now = now_seconds() / STEP_SECONDS;
    let mut found = None;
    for step in now.saturating_sub(1)..=now + 1 {
        let expected = totp.generate(step * STEP_SECONDS).to_string();
        let step = i64::try_from(step).ok()?;
        if keys::same(expected.as_bytes(), code.as_bytes())
            && last_step.is_none_or(|last| step > last)
        {
            found = Some(step);
        }
    }
    found
}

/// The recovery codes of one generation, as shown to the person.
fn recovery_codes(config: &AppConfig, user_id: i64, generation: i32) -> Vec<String> {
    let key = keys::subkey(config.secret(), Purpose::RecoveryCodes);
    (0..RECOVERY_CODES as u64)
        .map(|i| {
            let bytes = keys::mac(
                &key,
                &[
                    b"code",
                    &user_id.to_be_bytes(),
                    &i64::from(generation).to_be_bytes(),
                    &i.to_be_bytes(),
                ],
            );
            bytes[..RECOVERY_CODE_LEN]
                .iter()
                .map(|b| RECOVERY_ALPHABET[usize::from(*b) % RECOVERY_ALPHABET.len()] as char)
                .collect()
        })
        .collect()
}

fn recovery_hash(config: &AppConfig, user_id: i64, code: &str) -> String {
    keys::keyed_hex(
        config.secret(),
        Purpose::RecoveryCodes,
        &[b"hash", &user_id.to_be_bytes(), code.as_bytes()],
    )
}

fn challenge_hash(config: &AppConfig, raw: &str) -> String {
    keys::keyed_hex(config.secret(), Purpose::LoginChallenges, &[raw.as_bytes()])
}

async fn issuer(db: &DatabaseConnection) -> Result<String, AppError> {
    Ok(format!("Dorfplatz {}", site::municipality_name(db).await?))
}

async fn account(db: &DatabaseConnection, user_id: i64) -> Result<user::Model, AppError> {
    user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.deleted_at.is_none())
        .ok_or(AppError::Unauthenticated)
}

async fn codes_left<C: ConnectionTrait>(db: &C, user_id: i64) -> Result<u64, AppError> {
    Ok(recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(db)
        .await?)
}

/// What the enrolment page shows the signed-in person.
pub async fn status(state: &AppState, me: &SessionUser) -> Result<TwoFactorView, AppError> {
    let u = account(&state.db, me.id).await?;
    let enabled = u.totp_enabled_at.is_some();
    let setup = if enabled {
        None
    } else {
        let t = totp(
            secret_of(&state.config, u.id, u.totp_generation + 1),
            &issuer(&state.db).await?,
            &me.email,
        )?;
        let uri = t.to_url().map_err(|e| {
            tracing::error!(error = %e, "otpauth URI failed");
            AppError::Internal
        })?;
        Some(TotpSetup {
            secret: t.secret().to_base32(),
            qr_svg: qr_svg(&uri)?,
            uri,
        })
    };
    let fresh_recovery_codes = match u.recovery_shown_until {
        Some(until) if enabled && until > Utc::now() => {
            recovery_codes(&state.config, u.id, u.recovery_generation)
                .iter()
                .map(|c| format_recovery_code(c))
                .collect()
        }
        _ => Vec::new(),
    };
    Ok(TwoFactorView {
        enabled,
        enabled_at: u.totp_enabled_at,
        required: me.is_staff(),
        recovery_codes_left: if enabled {
            codes_left(&state.db, u.id).await?
        } else {
            0
        },
        setup,
        fresh_recovery_codes,
    })
}

/// The URI as an SVG QR code (markup only, no XML prolog, for inline use in the page).
fn qr_svg(uri: &str) -> Result<String, AppError> {
    let code = qrcode::QrCode::new(uri.as_bytes()).map_err(|e| {
        tracing::error!(error = %e, "QR code failed");
        AppError::Internal
    })?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(220, 220)
        .build();
    Ok(svg
        .find("<svg")
        .map_or(svg.clone(), |start| svg[start..].to_owned()))
}

/// Stores a new generation of recovery codes (replacing the old) and shows them for a while.
async fn new_recovery_codes<C: ConnectionTrait>(
    db: &C,
    config: &AppConfig,
    user_id: i64,
    generation: i32,
) -> Result<(), AppError> {
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    recovery_code::Entity::insert_many(recovery_codes(config, user_id, generation).iter().map(
        |code| recovery_code::ActiveModel {
            user_id: Set(user_id),
            code_hash: Set(recovery_hash(config, user_id, code)),
            used_at: Set(None),
            ..Default::default()
        },
    ))
    .exec(db)
    .await?;
    Ok(())
}

async fn tell(
    tx: &sea_orm::DatabaseTransaction,
    db: &DatabaseConnection,
    email: &str,
    news: TwoFactorNews,
) -> Result<(), AppError> {
    let municipality = site::municipality_name(db).await?;
    // The owner's language: an administrator may be the one acting.
    let language = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(tx)
        .await?
        .and_then(|u| u.language);
    enqueue(
        tx,
        email,
        templates::two_factor_news(
            crate::i18n::server::lang_for(language.as_deref()),
            &municipality,
            news,
            email,
        ),
    )
    .await?;
    Ok(())
}

async fn log(
    tx: &sea_orm::DatabaseTransaction,
    actor: Option<i64>,
    action: &str,
    user_id: i64,
    details: serde_json::Value,
) -> Result<(), AppError> {
    audit::append(
        tx,
        Entry {
            actor_id: actor,
            action,
            target_type: "user",
            target_id: Some(user_id.to_string()),
            details,
        },
    )
    .await?;
    Ok(())
}

/// Switches the second factor on once the person proves, with a code from the app, that the
/// secret arrived. Ends every other session of the account.
pub async fn enable(state: &AppState, me: &SessionUser, code: &str) -> Result<(), AppError> {
    let u = account(&state.db, me.id).await?;
    if u.totp_enabled_at.is_some() {
        return Err(AppError::field(
            "code",
            crate::i18n::t("account-error-2fa-already-on"),
        ));
    }
    let generation = u.totp_generation + 1;
    let t = totp(
        secret_of(&state.config, u.id, generation),
        &issuer(&state.db).await?,
        &me.email,
    )?;
    let Some(step) = accepted_step(&t, code, None) else {
        return Err(AppError::field(
            "code",
            crate::i18n::t("account-error-2fa-code-wrong"),
        ));
    };
    let now = Utc::now();
    let recovery_generation = u.recovery_generation + 1;
    let tx = begin_write(&state.db).await?;
    // Conditional: of two enrolments at once only one wins.
    let res = user::Entity::update_many()
        .col_expr(user::Column::TotpGeneration, Expr::value(generation))
        .col_expr(user::Column::TotpEnabledAt, Expr::value(now))
        .col_expr(user::Column::TotpLastStep, Expr::value(step))
        .col_expr(
            user::Column::RecoveryGeneration,
            Expr::value(recovery_generation),
        )
        .col_expr(
            user::Column::RecoveryShownUntil,
            Expr::value(now + RECOVERY_SHOWN),
        )
        .filter(user::Column::Id.eq(u.id))
        .filter(user::Column::TotpGeneration.eq(u.totp_generation))
        .filter(user::Column::TotpEnabledAt.is_null())
        .exec(&tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::field(
            "code",
            crate::i18n::t("account-error-2fa-already-on"),
        ));
    }
    new_recovery_codes(&tx, &state.config, u.id, recovery_generation).await?;
    end_sessions(&tx, u.id, Some(me.session_id)).await?;
    log(&tx, Some(me.id), "two_factor.enabled", u.id, json!({})).await?;
    tell(&tx, &state.db, &me.email, TwoFactorNews::Enabled).await?;
    tx.commit().await?;
    Ok(())
}

/// Makes ten new recovery codes (the old ones stop working); needs the password.
pub async fn renew_recovery_codes(
    state: &AppState,
    me: &SessionUser,
    current_password: &str,
) -> Result<(), AppError> {
    let u = super::check_current_password(state, me, current_password).await?;
    if u.totp_enabled_at.is_none() {
        return Err(AppError::field(
            "current_password",
            crate::i18n::t("account-error-2fa-not-on"),
        ));
    }
    let generation = u.recovery_generation + 1;
    let tx = begin_write(&state.db).await?;
    user::Entity::update_many()
        .col_expr(user::Column::RecoveryGeneration, Expr::value(generation))
        .col_expr(
            user::Column::RecoveryShownUntil,
            Expr::value(Utc::now() + RECOVERY_SHOWN),
        )
        .filter(user::Column::Id.eq(u.id))
        .exec(&tx)
        .await?;
    new_recovery_codes(&tx, &state.config, u.id, generation).await?;
    log(
        &tx,
        Some(me.id),
        "two_factor.recovery_renewed",
        u.id,
        json!({}),
    )
    .await?;
    tell(
        &tx,
        &state.db,
        &me.email,
        TwoFactorNews::RecoveryCodesRenewed,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Switches the second factor off; needs the password, and is refused for staff and
/// administrators (they must keep it).
pub async fn disable(
    state: &AppState,
    me: &SessionUser,
    current_password: &str,
) -> Result<(), AppError> {
    if me.is_staff() {
        return Err(AppError::field(
            "current_password",
            crate::i18n::t("account-error-2fa-required"),
        ));
    }
    let u = super::check_current_password(state, me, current_password).await?;
    if u.totp_enabled_at.is_none() {
        return Ok(());
    }
    let tx = begin_write(&state.db).await?;
    switch_off(&tx, u.id).await?;
    log(&tx, Some(me.id), "two_factor.disabled", u.id, json!({})).await?;
    tell(&tx, &state.db, &me.email, TwoFactorNews::Disabled).await?;
    tx.commit().await?;
    Ok(())
}

/// Switches the second factor off: no codes, no recovery codes, no waiting logins.
pub(super) async fn switch_off<C: ConnectionTrait>(db: &C, user_id: i64) -> Result<(), AppError> {
    user::Entity::update_many()
        .col_expr(
            user::Column::TotpEnabledAt,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .col_expr(user::Column::TotpLastStep, Expr::value(Option::<i64>::None))
        .col_expr(
            user::Column::RecoveryShownUntil,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    login_challenge::Entity::delete_many()
        .filter(login_challenge::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Resets the second factor of an account that lost both its app and its codes (an
/// administrator on the users page, or `dorfplatz user reset-2fa`): switched off, every
/// session ended, audited and mailed. Staff then enrol anew at their next login.
pub async fn reset(
    db: &DatabaseConnection,
    actor: Option<i64>,
    user_id: i64,
) -> Result<(), AppError> {
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.deleted_at.is_none())
        .ok_or(AppError::NotFound)?;
    let tx = begin_write(db).await?;
    switch_off(&tx, u.id).await?;
    end_sessions(&tx, u.id, None).await?;
    log(
        &tx,
        actor,
        "two_factor.reset",
        u.id,
        json!({ "via": if actor.is_some() { "web" } else { "cli" } }),
    )
    .await?;
    if let Some(email) = &u.email {
        tell(&tx, db, email, TwoFactorNews::Reset).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Opens a login that waits for its code; returns the raw token for the cookie.
pub async fn start_challenge(
    state: &AppState,
    user_id: i64,
    client: &Client,
) -> Result<String, AppError> {
    let raw = tokens::generate();
    let now = Utc::now();
    login_challenge::Entity::insert(login_challenge::ActiveModel {
        token_hash: Set(challenge_hash(&state.config, &raw)),
        user_id: Set(user_id),
        failures: Set(0),
        user_agent: Set(client.user_agent.clone()),
        created_at: Set(now),
        expires_at: Set(now + CHALLENGE_VALIDITY),
        ..Default::default()
    })
    .exec(&state.db)
    .await?;
    Ok(raw)
}

/// How the code step ended.
#[derive(Debug)]
pub enum Answer {
    /// Signed in: the raw session token.
    Session(String),
    /// Wrong code; this many tries are left.
    Wrong { left: i32 },
    /// The attempt is over (too many wrong codes, expired, or unknown): log in again.
    Over,
}

/// Checks the code of a login waiting for it.
pub async fn answer_challenge(
    state: &AppState,
    raw: &str,
    factor: &SecondFactor,
    client: &Client,
) -> Result<Answer, AppError> {
    state
        .limits
        .check(&state.db, Bucket::LoginAddress, Subject::Address(client.ip))
        .await?;
    if raw.is_empty() || raw.len() > 100 {
        return Ok(Answer::Over);
    }
    let Some(challenge) = login_challenge::Entity::find()
        .filter(login_challenge::Column::TokenHash.eq(challenge_hash(&state.config, raw)))
        .filter(login_challenge::Column::ExpiresAt.gt(Utc::now()))
        .one(&state.db)
        .await?
    else {
        return Ok(Answer::Over);
    };
    let u = account(&state.db, challenge.user_id).await?;
    let email = u.email.clone().unwrap_or_default();
    state
        .limits
        .check_failures(&state.db, Bucket::Code, Subject::Account(&email))
        .await?;
    let tx = begin_write(&state.db).await?;
    let right = match factor {
        SecondFactor::OneTimePassword(code) => {
            let t = totp(
                secret_of(&state.config, u.id, u.totp_generation),
                "Dorfplatz",
                &email,
            )?;
            match accepted_step(&t, code, u.totp_last_step) {
                // Conditional: a code is accepted once, even by two requests at once.
                Some(step) => {
                    user::Entity::update_many()
                        .col_expr(user::Column::TotpLastStep, Expr::value(step))
                        .filter(user::Column::Id.eq(u.id))
                        .filter(
                            sea_orm::Condition::any()
                                .add(user::Column::TotpLastStep.is_null())
                                .add(user::Column::TotpLastStep.lt(step)),
                        )
                        .exec(&tx)
                        .await?
                        .rows_affected
                        == 1
                }
                None => false,
            }
        }
        SecondFactor::RecoveryCode(code) => {
            let used = recovery_code::Entity::update_many()
                .col_expr(recovery_code::Column::UsedAt, Expr::value(Utc::now()))
                .filter(recovery_code::Column::UserId.eq(u.id))
                .filter(recovery_code::Column::CodeHash.eq(recovery_hash(
                    &state.config,
                    u.id,
                    code,
                )))
                .filter(recovery_code::Column::UsedAt.is_null())
                .exec(&tx)
                .await?
                .rows_affected
                == 1;
            if used {
                let left = codes_left(&tx, u.id).await?;
                log(
                    &tx,
                    Some(u.id),
                    "two_factor.recovery_code_used",
                    u.id,
                    json!({ "left": left }),
                )
                .await?;
                tell(
                    &tx,
                    &state.db,
                    &email,
                    TwoFactorNews::RecoveryCodeUsed { left },
                )
                .await?;
            }
            used
        }
    };
    if !right {
        let failures = challenge.failures + 1;
        if failures >= MAX_CODE_FAILURES {
            login_challenge::Entity::delete_by_id(challenge.id)
                .exec(&tx)
                .await?;
        } else {
            login_challenge::Entity::update_many()
                .col_expr(login_challenge::Column::Failures, Expr::value(failures))
                .filter(login_challenge::Column::Id.eq(challenge.id))
                .exec(&tx)
                .await?;
        }
        tx.commit().await?;
        super::login_failed(state, Some(client), &email, Bucket::Code).await?;
        return Ok(if failures >= MAX_CODE_FAILURES {
            Answer::Over
        } else {
            Answer::Wrong {
                left: MAX_CODE_FAILURES - failures,
            }
        });
    }
    // Used once: a second request with the same cookie finds nothing.
    let taken = login_challenge::Entity::delete_by_id(challenge.id)
        .exec(&tx)
        .await?
        .rows_affected
        == 1;
    if !taken {
        return Ok(Answer::Over);
    }
    let session = create_session(&tx, &state.config, u.id, client).await?;
    tx.commit().await?;
    Ok(Answer::Session(session))
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretSlice;

    fn config(key: u8) -> AppConfig {
        AppConfig {
            public_url: url::Url::parse("https://beteiligung.kalletal.de").unwrap(),
            secret_key: SecretSlice::from(vec![key; 32]),
            mail_from: "Dorfplatz <noreply@kalletal.de>".into(),
            trust_forwarded_for: false,
            files_dir: std::path::PathBuf::from("/nonexistent"),
            staging_dir: std::path::PathBuf::from("/nonexistent"),
            signature_retention_days: 180,
        }
    }

    #[test]
    fn secrets_differ_by_account_generation_and_key() {
        let c = config(1);
        let a = secret_of(&c, 1, 1);
        assert_eq!(a.len(), 20);
        assert_eq!(a, secret_of(&c, 1, 1));
        assert_ne!(a, secret_of(&c, 2, 1));
        assert_ne!(a, secret_of(&c, 1, 2));
        assert_ne!(a, secret_of(&config(2), 1, 1));
    }

    #[test]
    fn a_code_works_in_its_window_and_once() {
        let t = totp(
            secret_of(&config(1), 1, 1),
            "Dorfplatz Kalletal",
            "kim@kalletal.example",
        )
        .unwrap();
        let now = now_seconds();
        let code = t.generate(now).to_string();
        let step = accepted_step(&t, &code, None).expect("the current code is accepted");
        // Once accepted, the same step is refused (RFC 6238, 5.2); the next one works.
        assert_eq!(accepted_step(&t, &code, Some(step)), None);
        let next = t.generate(now + STEP_SECONDS).to_string();
        assert!(accepted_step(&t, &next, Some(step)).is_some());
        // Two steps away is too far; a wrong code is wrong.
        let old = t.generate(now - 3 * STEP_SECONDS).to_string();
        if old != code && old != next {
            assert_eq!(accepted_step(&t, &old, None), None);
        }
        let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
        if wrong != next && wrong != t.generate(now - STEP_SECONDS).to_string() {
            assert_eq!(accepted_step(&t, &wrong, None), None);
        }
    }

    #[test]
    fn the_uri_names_issuer_account_and_secret() {
        let t = totp(
            secret_of(&config(1), 1, 1),
            "Dorfplatz Kalletal",
            "kim@kalletal.example",
        )
        .unwrap();
        let uri = t.to_url().unwrap();
        assert!(
            uri.starts_with("otpauth://totp/Dorfplatz%20Kalletal:kim%40kalletal.example?"),
            "{uri}"
        );
        assert!(uri.contains(&format!("secret={}", t.secret().to_base32())));
        assert!(qr_svg(&uri).unwrap().starts_with("<svg"));
    }

    #[test]
    fn recovery_codes_are_ten_distinct_readable_codes_per_generation() {
        let c = config(1);
        let codes = recovery_codes(&c, 1, 1);
        assert_eq!(codes.len(), RECOVERY_CODES);
        for code in &codes {
            assert_eq!(
                SecondFactor::parse(&format_recovery_code(code)),
                Ok(SecondFactor::RecoveryCode(code.clone()))
            );
        }
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), RECOVERY_CODES);
        assert_ne!(codes, recovery_codes(&c, 1, 2));
        assert_ne!(
            recovery_hash(&c, 1, &codes[0]),
            recovery_hash(&c, 2, &codes[0])
        );
    }
}
