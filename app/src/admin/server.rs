//! The administrators' plain HTTP endpoint: the audit trail as CSV.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;

use crate::error::AppError;
use crate::infra::audit;
use crate::infra::auth::CurrentSession;
use crate::infra::responses::{csv_download, error};
use crate::infra::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/audit.csv", get(audit_csv))
        .route_layer(axum::middleware::from_fn(
            crate::infra::http::same_site_only,
        ))
}

/// `GET /admin/audit.csv?action=&actor=&from=&to=`: the audit trail (administrators only),
/// filtered as on the page, oldest first, streamed page by page; the export is logged.
pub async fn audit_csv(
    State(state): State<AppState>,
    axum::Extension(session): axum::Extension<CurrentSession>,
    Query(filter): Query<crate::admin::AuditFilter>,
) -> Response {
    use crate::accounts::domain::Role;
    let Some(user) = session.0.filter(|u| u.has_role(Role::Admin)) else {
        return error(AppError::Forbidden);
    };
    let parsed = match audit::Filter::parse(&filter) {
        Ok(f) => std::sync::Arc::new(f),
        Err(e) => return error(e),
    };
    if let Err(e) = audit::log_export(&state.db, Some(user.id), &filter, "download").await {
        return error(e);
    }
    let db = state.db.clone();
    csv_download("protokoll.csv", move |after| {
        let (db, parsed) = (db.clone(), parsed.clone());
        async move { audit::csv_page(&db, &parsed, after).await }
    })
}
