//! One error type for the whole application. Its variants are stable codes the UI
//! translates (`i18n`); `Internal` never carries detail to the browser (the cause
//! is logged on the server where it happened).

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A message belonging to one form field (by its `name`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AppError {
    #[error("unauthenticated")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not_found")]
    NotFound,
    #[error("validation")]
    Validation { fields: Vec<FieldError> },
    /// Login failed. Deliberately one error for "no such account" and "wrong password".
    #[error("invalid_credentials")]
    InvalidCredentials,
    #[error("email_not_confirmed")]
    EmailNotConfirmed,
    #[error("rate_limited")]
    RateLimited,
    /// A single-use link that is unknown, used, expired or forged: one answer for all.
    #[error("link_invalid")]
    LinkInvalid,
    #[error("blocked")]
    Blocked,
    /// Staff and administrators must switch on the second factor before anything else.
    #[error("two_factor_required")]
    TwoFactorRequired,
    /// A petition that does not accept signatures (any more); the message says why.
    #[error("not_collecting")]
    NotCollecting { message: String },
    #[error("internal")]
    Internal,
    /// The database cannot be reached right now (restarting, failing over): try again in a
    /// moment. Answered 503, as `/healthz` then is.
    #[error("unavailable")]
    Unavailable,
    /// Transport problems of the server-function layer (network down, bad arguments). A
    /// struct variant: the internally tagged encoding cannot carry a bare string, and a
    /// failed serialization would drop the connection instead of answering 400.
    #[error("request: {message}")]
    Request { message: String },
}

impl AppError {
    /// A validation error for a single field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Validation {
            fields: vec![FieldError {
                field: field.to_owned(),
                message: message.into(),
            }],
        }
    }

    /// The stable code, as used in logs, tests and JSON answers.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated => "unauthenticated",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::Validation { .. } => "validation",
            Self::InvalidCredentials => "invalid_credentials",
            Self::EmailNotConfirmed => "email_not_confirmed",
            Self::RateLimited => "rate_limited",
            Self::LinkInvalid => "link_invalid",
            Self::Blocked => "blocked",
            Self::TwoFactorRequired => "two_factor_required",
            Self::NotCollecting { .. } => "not_collecting",
            Self::Internal => "internal",
            Self::Unavailable => "unavailable",
            Self::Request { .. } => "request",
        }
    }

    /// The message shown to the user for errors that do not belong to one field, in the
    /// page's language (`error-<code>` in the translation files).
    pub fn message(&self) -> String {
        match self {
            Self::NotCollecting { message } => message.clone(),
            other => crate::i18n::t(&format!("error-{}", other.code().replace('_', "-"))),
        }
    }

    /// The message for one field, if this error names it.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            Self::Validation { fields } => fields
                .iter()
                .find(|f| f.field == field)
                .map(|f| f.message.clone()),
            _ => None,
        }
    }

    /// The HTTP status for non-browser callers.
    pub fn status(&self) -> u16 {
        match self {
            Self::Unauthenticated => 401,
            Self::Forbidden | Self::Blocked | Self::TwoFactorRequired => 403,
            Self::NotFound => 404,
            Self::Validation { .. } | Self::LinkInvalid | Self::EmailNotConfirmed => 422,
            Self::NotCollecting { .. } => 409,
            Self::InvalidCredentials => 401,
            Self::RateLimited => 429,
            Self::Request { .. } => 400,
            Self::Internal => 500,
            Self::Unavailable => 503,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => Self::Request {
                message: "Die Formulardaten sind unvollständig.".into(),
            },
            other => Self::Request {
                message: other.to_string(),
            },
        }
    }
}

/// Collects field errors so that a form reports every problem at once, not one per submit.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// Takes the value of a parse result, remembering its error under `field`.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_result(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation { fields: self.0 })
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        if crate::infra::db::is_unavailable(&err) {
            tracing::warn!(error = %err, "database unreachable");
            return Self::Unavailable;
        }
        tracing::error!(error = %err, "database error");
        Self::Internal
    }
}
