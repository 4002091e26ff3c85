//! Server-only code: state, entities, services, mail, sessions. Fenced behind the `ssr`
//! feature so that none of it (nor its dependencies) can reach the wasm build.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod boards;
pub mod comments;
pub mod db;
pub mod demo;
pub mod demo_boards;
pub mod documents;
pub mod entities;
pub mod exports;
pub mod http;
pub mod ical;
pub mod mail;
pub mod markdown;
pub mod meetings;
pub mod municipality;
pub mod notify;
pub mod oparl;
pub mod paper_import;
pub mod passwords;
pub mod pdf;
pub mod petitions;
pub mod proposals;
pub mod rate_limit;
pub mod register;
pub mod reports;
pub mod review;
pub mod session_documents;
pub mod signatures;
pub mod site;
pub mod state;
pub mod synthetic;
pub mod tokens;
pub mod validation;

pub use state::{AppConfig, AppState};
