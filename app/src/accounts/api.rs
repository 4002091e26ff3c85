//! Account server functions: each authenticates, parses its input, calls one service.

use leptos::prelude::*;

use super::two_factor::{LoginStep, TwoFactorView};
use super::{Me, SessionInfo};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::infra::prelude::*;

/// The signed-in user of the current request (server side only).
#[cfg(feature = "ssr")]
pub fn me_now() -> Option<Me> {
    crate::infra::auth::current_user().map(|u| Me {
        id: u.id,
        display_name: u.display_name,
        email: u.email,
        roles: u.roles,
        two_factor: u.two_factor,
    })
}

#[server(prefix = "/api", endpoint = "me")]
pub async fn get_me() -> Result<Option<Me>, AppError> {
    Ok(me_now())
}

#[server(prefix = "/api", endpoint = "register")]
pub async fn register(
    email: String,
    display_name: String,
    password: String,
) -> Result<(), AppError> {
    use super::domain::{DisplayName, EmailAddress, NewPassword};
    use crate::accounts::server as accounts;
    use crate::error::FieldErrors;
    http::finish(
        async {
            let state = app_state()?;
            let client = http::Client::now(&state.config)?;
            state
                .limits
                .check(
                    &state.db,
                    rate_limit::Bucket::Register,
                    rate_limit::Subject::Address(client.ip),
                )
                .await?;
            let mut errors = FieldErrors::new();
            let email = errors.check("email", EmailAddress::parse(&email));
            let name = errors.check("display_name", DisplayName::parse(&display_name));
            let password = errors.check("password", NewPassword::parse(&password));
            errors.into_result()?;
            let (Some(email), Some(name), Some(password)) = (email, name, password) else {
                return Err(AppError::Internal);
            };
            accounts::register(&state, &email, &name, &password).await?;
            leptos_axum::redirect("/login?notice=registered");
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "confirm_email")]
pub async fn confirm_email(token: String) -> Result<(), AppError> {
    use crate::accounts::server as accounts;
    http::finish(
        async {
            let state = app_state()?;
            let me = crate::infra::auth::current_user();
            let outcome =
                accounts::confirm(&state, token.trim(), me.as_ref().map(|u| u.session_id)).await?;
            let signed_in = me.is_some();
            leptos_axum::redirect(match (outcome, signed_in) {
                (accounts::Confirmed::EmailChange, true) => "/account?notice=email_changed",
                (accounts::Confirmed::EmailChange, false) => "/login?notice=email_changed",
                (accounts::Confirmed::Registration, _) => "/login?notice=confirmed",
            });
            Ok(())
        }
        .await,
    )
}

/// The first login step. With a second factor on, the answer is `CodeRequired` and the
/// browser goes on to `/login/code` (the waiting login lives in its own short cookie).
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<LoginStep, AppError> {
    use crate::accounts::server as accounts;
    http::finish(
        async {
            let state = app_state()?;
            let mut errors = crate::error::FieldErrors::new();
            if email.trim().is_empty() {
                errors.add("email", crate::i18n::t("account-error-email-empty"));
            }
            if password.is_empty() {
                errors.add("password", crate::i18n::t("account-error-password-empty"));
            }
            errors.into_result()?;
            let client = http::Client::now(&state.config)?;
            let next = super::safe_next(next.as_deref());
            // A browser that logs in anew leaves its earlier session behind for good.
            if let Some(previous) = auth::current_user() {
                accounts::logout(&state, previous.session_id).await?;
            }
            match accounts::login(&state, &client, &email, &password).await? {
                accounts::LoginOutcome::Session(token) => {
                    auth::set_session_cookie(&state.config, &token);
                    leptos_axum::redirect(&next);
                    Ok(LoginStep::Done)
                }
                accounts::LoginOutcome::Challenge(token) => {
                    auth::clear_session_cookie(&state.config);
                    auth::set_challenge_cookie(&state.config, &token);
                    leptos_axum::redirect(&format!(
                        "/login/code?next={}",
                        crate::text::url_encode(&next)
                    ));
                    Ok(LoginStep::CodeRequired)
                }
            }
        }
        .await,
    )
}

/// The second login step: a one-time password or a recovery code.
#[server(prefix = "/api", endpoint = "login_code")]
pub async fn login_code(code: String, next: Option<String>) -> Result<(), AppError> {
    use super::two_factor::SecondFactor;
    use crate::accounts::server::two_factor::{self, Answer};
    http::finish(
        async {
            let state = app_state()?;
            let client = http::Client::now(&state.config)?;
            let factor = SecondFactor::parse(&code).map_err(|m| AppError::field("code", m))?;
            let raw = auth::challenge_token(&state.config).unwrap_or_default();
            match two_factor::answer_challenge(&state, &raw, &factor, &client).await? {
                Answer::Session(token) => {
                    auth::clear_challenge_cookie(&state.config);
                    auth::set_session_cookie(&state.config, &token);
                    leptos_axum::redirect(&super::safe_next(next.as_deref()));
                    Ok(())
                }
                Answer::Wrong { left } => Err(AppError::field(
                    "code",
                    crate::i18n::t_args(
                        if left == 1 {
                            "account-error-code-wrong-one"
                        } else {
                            "account-error-code-wrong-other"
                        },
                        &[("left", &left.to_string())],
                    ),
                )),
                Answer::Over => {
                    auth::clear_challenge_cookie(&state.config);
                    Err(AppError::field(
                        "code",
                        crate::i18n::t("account-error-login-over"),
                    ))
                }
            }
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::accounts::server as accounts;
    http::finish(
        async {
            let state = app_state()?;
            if let Some(user) = auth::current_user() {
                accounts::logout(&state, user.session_id).await?;
            }
            auth::clear_session_cookie(&state.config);
            leptos_axum::redirect("/?notice=logged_out");
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use super::domain::EmailAddress;
    use crate::accounts::server as accounts;
    http::finish(
        async {
            let state = app_state()?;
            let email = EmailAddress::parse(&email).map_err(|m| AppError::field("email", m))?;
            let client = http::Client::now(&state.config)?;
            accounts::request_password_reset(&state, &client, &email).await?;
            leptos_axum::redirect("/password-reset?notice=reset_sent");
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    use super::domain::NewPassword;
    use crate::accounts::server as accounts;
    http::finish(
        async {
            let state = app_state()?;
            let password =
                NewPassword::parse(&password).map_err(|m| AppError::field("password", m))?;
            accounts::reset_password(&state, token.trim(), &password).await?;
            leptos_axum::redirect("/login?notice=password_reset");
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(current_password: String, password: String) -> Result<(), AppError> {
    use super::domain::NewPassword;
    use crate::accounts::server as accounts;
    http::finish(
        async {
            let state = app_state()?;
            let user = auth::require_user()?;
            let password =
                NewPassword::parse(&password).map_err(|m| AppError::field("password", m))?;
            accounts::change_password(&state, &user, &current_password, &password).await?;
            leptos_axum::redirect("/account?notice=password_changed");
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "change_email")]
pub async fn change_email(email: String, current_password: String) -> Result<(), AppError> {
    use super::domain::EmailAddress;
    use crate::accounts::server as accounts;
    http::finish(
        async {
            let state = app_state()?;
            let user = auth::require_user()?;
            let email = EmailAddress::parse(&email).map_err(|m| AppError::field("email", m))?;
            accounts::request_email_change(&state, &user, &email, &current_password).await?;
            leptos_axum::redirect("/account?notice=email_change_sent");
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "delete_account")]
pub async fn delete_account(current_password: String) -> Result<(), AppError> {
    use crate::accounts::server as accounts;
    http::finish(
        async {
            let state = app_state()?;
            let user = auth::require_user()?;
            accounts::delete_account(&state, &user, &current_password).await?;
            auth::clear_session_cookie(&state.config);
            leptos_axum::redirect("/?notice=account_deleted");
            Ok(())
        }
        .await,
    )
}

/// The enrolment page's data: the secret to enrol with, or the state of the second factor.
#[server(prefix = "/api", endpoint = "two_factor")]
pub async fn two_factor() -> Result<TwoFactorView, AppError> {
    use crate::accounts::server::two_factor;
    http::finish(
        async {
            let state = app_state()?;
            let user = auth::require_user()?;
            two_factor::status(&state, &user).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "enable_two_factor")]
pub async fn enable_two_factor(code: String) -> Result<(), AppError> {
    use super::two_factor::parse_one_time_password;
    use crate::accounts::server::two_factor;
    http::finish(
        async {
            let state = app_state()?;
            let user = auth::require_user()?;
            let code = parse_one_time_password(&code).map_err(|m| AppError::field("code", m))?;
            two_factor::enable(&state, &user, &code).await?;
            redirect_with_notice(
                "/account/two-factor",
                "two_factor_enabled",
                "#recovery-codes",
            );
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "renew_recovery_codes")]
pub async fn renew_recovery_codes(current_password: String) -> Result<(), AppError> {
    use crate::accounts::server::two_factor;
    http::finish(
        async {
            let state = app_state()?;
            let user = auth::require_user()?;
            two_factor::renew_recovery_codes(&state, &user, &current_password).await?;
            redirect_with_notice(
                "/account/two-factor",
                "recovery_codes_renewed",
                "#recovery-codes",
            );
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "disable_two_factor")]
pub async fn disable_two_factor(current_password: String) -> Result<(), AppError> {
    use crate::accounts::server::two_factor;
    http::finish(
        async {
            let state = app_state()?;
            let user = auth::require_user()?;
            two_factor::disable(&state, &user, &current_password).await?;
            redirect_with_notice("/account", "two_factor_disabled", "");
            Ok(())
        }
        .await,
    )
}

/// The account's signed-in browsers.
#[server(prefix = "/api", endpoint = "my_sessions")]
pub async fn my_sessions() -> Result<Vec<SessionInfo>, AppError> {
    use crate::accounts::server::sessions;
    http::finish(
        async {
            let state = app_state()?;
            let user = auth::require_user()?;
            sessions::list(&state, &user).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "end_session")]
pub async fn end_session(id: i64) -> Result<(), AppError> {
    use crate::accounts::server::sessions;
    http::finish(
        async {
            let state = app_state()?;
            let user = auth::require_user()?;
            sessions::end(&state, &user, id).await?;
            if id == user.session_id {
                auth::clear_session_cookie(&state.config);
                leptos_axum::redirect("/?notice=logged_out");
            } else {
                redirect_with_notice("/account", "session_ended", "#sessions");
            }
            Ok(())
        }
        .await,
    )
}

/// "Überall abmelden": every session of the account ends, this one too.
#[server(prefix = "/api", endpoint = "end_all_sessions")]
pub async fn end_all_sessions() -> Result<(), AppError> {
    use crate::accounts::server::sessions;
    http::finish(
        async {
            let state = app_state()?;
            let user = auth::require_user()?;
            sessions::end_all(&state, &user).await?;
            auth::clear_session_cookie(&state.config);
            leptos_axum::redirect("/?notice=logged_out_everywhere");
            Ok(())
        }
        .await,
    )
}
