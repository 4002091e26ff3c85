//! Account server functions: each authenticates, parses its input, calls one service.

use leptos::prelude::*;

use super::Me;
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
            let ip = http::client_ip(&http::parts()?, &state.config);
            state.limits.check_ip(ip)?;
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
            let outcome = accounts::confirm(&state, token.trim()).await?;
            let signed_in = crate::infra::auth::current_user().is_some();
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

#[server(prefix = "/api", endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::accounts::server as accounts;
    http::finish(
        async {
            let state = app_state()?;
            let mut errors = crate::error::FieldErrors::new();
            if email.trim().is_empty() {
                errors.add("email", "Bitte geben Sie Ihre E-Mail-Adresse ein.");
            }
            if password.is_empty() {
                errors.add("password", "Bitte geben Sie Ihr Passwort ein.");
            }
            errors.into_result()?;
            let ip = http::client_ip(&http::parts()?, &state.config);
            let token = accounts::login(&state, ip, &email, &password).await?;
            auth::set_session_cookie(&state.config, &token);
            leptos_axum::redirect(&super::safe_next(next.as_deref()));
            Ok(())
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
            let ip = http::client_ip(&http::parts()?, &state.config);
            accounts::request_password_reset(&state, ip, &email).await?;
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
