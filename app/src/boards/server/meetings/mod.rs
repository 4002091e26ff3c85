//! Board sessions: planning, the agenda and its attachments, invitations with calendar
//! entries, answers and attendance, votes and their results, the minutes from draft to
//! publication, and the calendar feeds. Every change is checked against the session's status
//! and the caller's role on the board, written in one transaction and recorded in the audit
//! log.

mod agenda;
mod files;
mod invitations;
mod minutes;
mod minutes_pdf;
mod model;
mod outcomes;
mod planning;
mod views;

pub use agenda::*;
pub use files::*;
pub use invitations::*;
pub use minutes::*;
pub use model::*;
pub use outcomes::*;
pub use planning::*;
pub use views::*;
