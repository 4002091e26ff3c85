//! What almost every server function in a feature's `api.rs` needs: the state, the
//! session checks, the audit trail and the answer helpers. One `use` per file instead of
//! four in every function.

pub use super::audit;
pub use super::auth::{self, current_user, require_role, require_staff, require_user};
pub use super::http::{self, finish, redirect_with_notice};
pub use super::rate_limit::{self, Bucket, Subject};
pub use super::state::app_state;
