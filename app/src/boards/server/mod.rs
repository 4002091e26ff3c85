//! The boards' server side: boards and their members, meetings (sessions) with agenda,
//! invitations, outcomes and minutes, their files and calendars, and the OParl API.

pub mod boards;
pub mod meetings;
pub mod members;
pub mod oparl;
pub mod routes;

/// The boards' plain HTTP endpoints and the OParl API.
pub fn routes() -> axum::Router<crate::infra::AppState> {
    routes::routes().merge(oparl::routes())
}
