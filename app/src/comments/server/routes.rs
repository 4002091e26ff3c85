//! The one-click unsubscribe address of every notification email (RFC 8058).

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;

use crate::infra::http::ONE_CLICK_UNSUBSCRIBE;
use crate::infra::responses::error;
use crate::infra::state::AppState;

pub fn routes() -> Router<AppState> {
    // Mail programs POST here when someone presses their "unsubscribe" button; a GET (a
    // link scanner) changes nothing and is answered 405.
    Router::new().route(ONE_CLICK_UNSUBSCRIBE, post(one_click_unsubscribe))
}

#[derive(Debug, Deserialize)]
pub struct UnsubscribeQuery {
    u: i64,
    s: String,
    t: String,
}

/// `POST /unsubscribe/one-click?u=…&s=…&t=…` (RFC 8058, the address in `List-Unsubscribe`).
/// The body link of each email goes to the `/unsubscribe` page instead, which asks for a
/// click and then says what ended.
pub async fn one_click_unsubscribe(
    State(state): State<AppState>,
    Query(q): Query<UnsubscribeQuery>,
) -> Response {
    match super::notify::unsubscribe(&state.db, &state.config, q.u, &q.s, &q.t).await {
        Ok(_) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            )],
            "Abgemeldet: Sie erhalten dazu keine E-Mails mehr.\n",
        )
            .into_response(),
        Err(e) => error(e),
    }
}
