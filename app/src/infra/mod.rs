//! Infrastructure that every feature stands on and that knows no feature: state and
//! settings, the database and its entities, HTTP helpers, sessions, passwords, tokens, rate
//! limits, mail, CSV, Markdown, iCalendar and PDF primitives, and the audit chain. Server
//! only (behind the `ssr` feature), so none of it nor its dependencies reach the wasm build.

pub mod audit;
pub mod auth;
pub mod cells;
pub mod db;
pub mod entities;
pub mod files;
pub mod form_return;
pub mod http;
pub mod ical;
pub mod keys;
pub mod mail;
pub mod markdown;
pub mod passwords;
pub mod pdf;
pub mod prelude;
pub mod rate_limit;
pub mod responses;
pub mod state;
pub mod tokens;

pub use state::{AppConfig, AppState};
