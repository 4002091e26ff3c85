//! What every page shares beside its fields: the HTTP status of the server-rendered
//! response and the placeholder while its data load.

use leptos::prelude::*;

/// Sets an HTTP status on the server-rendered response (no effect after hydration).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(status) = http::StatusCode::from_u16(code)
    {
        res.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// What a page shows while its data load (the `Suspense` fallback).
pub fn loading() -> impl IntoView {
    view! { <p>{crate::i18n::t("page-loading")}</p> }
}
