//! Account pages. Every form is an `ActionForm`: it posts to its server function without
//! JavaScript and is enhanced in place with it.

mod account;
mod confirm;
mod login;
mod password_reset;
mod register;
mod two_factor;

pub use account::AccountPage;
pub use confirm::ConfirmPage;
pub use login::LoginPage;
pub use password_reset::{NewPasswordPage, PasswordResetPage};
pub use register::RegisterPage;
pub use two_factor::{LoginCodePage, TwoFactorPage};

use leptos::prelude::*;

use crate::error::AppError;

/// The last error of a server action, as a signal for fields and the summary.
pub(crate) fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}
