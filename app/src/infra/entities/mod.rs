//! Database entities. They are not wire types: hashes and tokens live only here, in code the
//! wasm build never sees.

pub mod account_token;
pub mod agenda_file;
pub mod agenda_item;
pub mod audit_log;
pub mod board;
pub mod board_member;
pub mod comment;
pub mod comment_like;
pub mod comment_version;
pub mod content_report;
pub mod district;
pub mod follow;
pub mod meeting;
pub mod meeting_attendance;
pub mod notification;
pub mod outbox;
pub mod petition;
pub mod petition_count;
pub mod petition_event;
pub mod petition_representative;
pub mod petition_status_count;
pub mod proposal;
pub mod proposal_status_change;
pub mod proposal_support;
pub mod proposal_version;
pub mod register_import;
pub mod resident;
pub mod session;
pub mod signature;
pub mod site_setting;
pub mod topic;
pub mod user;
pub mod user_role;
pub mod void_sheet;
