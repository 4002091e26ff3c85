//! The resident register (*Melderegister*) as the administration exports it: one person per
//! line, parsed into a record with German reasons for every bad field. Pure: the import
//! service streams a file through these functions.

pub mod api;
pub mod check;
pub mod pages;
pub mod record;
#[cfg(feature = "ssr")]
pub mod server;
pub mod view;
