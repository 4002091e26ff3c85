//! Generic UI pieces: form fields with their error messages and the error summary
//! (`fields`), charts, page helpers (status, loading), notices and restricted pages.

pub mod action;
pub mod chart;
pub mod fields;
pub mod page;

pub use action::{own_error, own_error_at, reload_on_success, returned_field};
pub use fields::{Checkbox, ErrorSummary, Field, Select, Submit, TextArea};

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// For an island with a form: the error a post without JavaScript came back with
/// (`__path`, `__err` in the address), as the router provides it on the server. In the
/// browser an island has no router, so it reads the address itself; the form then shows
/// the same error the server rendered. Call before creating the island's `ServerAction`.
pub fn island_action_error() {
    #[cfg(feature = "hydrate")]
    {
        let search = window().location().search().unwrap_or_default();
        let decode = |s: &str| {
            js_sys::decode_uri_component(&s.replace('+', " "))
                .ok()
                .and_then(|v| v.as_string())
        };
        let mut path = None;
        let mut err = None;
        for pair in search.trim_start_matches('?').split('&') {
            match pair.split_once('=') {
                Some(("__path", v)) => path = decode(v),
                Some(("__err", v)) => err = decode(v),
                _ => {}
            }
        }
        if let (Some(path), Some(err)) = (path, err) {
            provide_context(leptos::server::ServerActionError::new(&path, &err));
        }
    }
}

/// The codes a successful action may redirect with (`?notice=…`); each has a text
/// `notice-<code>` in the translation files. Unknown codes show nothing.
pub const NOTICES: &[&str] = &[
    "registered",
    "confirmed",
    "email_changed",
    "logged_out",
    "reset_sent",
    "password_reset",
    "password_changed",
    "email_change_sent",
    "account_deleted",
    "settings_saved",
    "privacy_template_applied",
    "summary_saved",
    "video_added",
    "video_removed",
    "statement_saved",
    "easy_language_saved",
    "feedback_received",
    "feedback_answered",
    "feedback_closed",
    "feedback_reopened",
    "board_created",
    "board_saved",
    "member_added",
    "member_saved",
    "member_removed",
    "consent_saved",
    "session_created",
    "session_saved",
    "session_deleted",
    "invited",
    "cancelled",
    "answered",
    "item_added",
    "item_saved",
    "item_moved",
    "item_deleted",
    "outcome_saved",
    "attendance_saved",
    "minutes_saved",
    "minutes_approved",
    "minutes_published",
    "file_added",
    "file_removed",
    "role_changed",
    "two_factor_required",
    "two_factor_enabled",
    "two_factor_disabled",
    "two_factor_reset",
    "recovery_codes_renewed",
    "session_ended",
    "logged_out_everywhere",
    "login_required",
    "petition_created",
    "step_taken",
    "proposal_submitted",
    "proposal_edited",
    "supported",
    "support_withdrawn",
    "proposal_answered",
    "lists_saved",
    "comment_posted",
    "comment_edited",
    "comment_deleted",
    "reported",
    "followed",
    "unfollowed",
    "board_followed",
    "board_unfollowed",
    "moderated_hide",
    "moderated_restore",
    "moderated_dismiss",
    "account_blocked",
    "account_unblocked",
    "signature_pending",
    "signature_confirmed",
    "signature_withdrawn",
    "sheet_received",
    "paper_entered",
    "paper_valid",
    "paper_review",
    "paper_invalid",
    "paper_duplicate",
    "register_upload_started",
    "register_purged",
    "signature_decided",
    "sheet_voided",
    "sheet_restored",
];

/// The text for a `?notice=` code, in the page's language.
pub fn notice_text(code: &str) -> Option<String> {
    NOTICES
        .contains(&code)
        .then(|| crate::i18n::t(&format!("notice-{}", code.replace('_', "-"))))
}

/// Shows the notice named in the URL (`?notice=…`), as a polite live region.
#[component]
pub fn Notice() -> impl IntoView {
    let query = use_query_map();
    move || {
        query
            .read()
            .get("notice")
            .and_then(|c| notice_text(&c))
            .map(|text| view! { <div class="notice" role="status">{text}</div> })
    }
}

/// Renders `children` for signed-in users whom `allow` admits; sends guests to the login
/// and tells everyone else (with a real 403) that they may not. This only shapes the page:
/// every server function checks the caller again on its own.
#[component]
pub fn Restricted(
    #[prop(into)] next: String,
    allow: fn(&crate::accounts::Me) -> bool,
    #[prop(into)] denial: String,
    children: ChildrenFn,
) -> impl IntoView {
    use leptos_router::components::Redirect;
    let layout = expect_context::<crate::LayoutResource>();
    let children = StoredValue::new(children);
    let next = StoredValue::new(next);
    let denial = StoredValue::new(denial);
    view! {
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match layout.await.ok().and_then(|l| l.me) {
                    None => view! {
                        <Redirect path=format!("/login?notice=login_required&next={}", next.get_value()) />
                    }.into_any(),
                    Some(me) if !allow(&me) => {
                        crate::components::page::set_status(403);
                        view! {
                            <h1>{crate::i18n::t("form-no-permission")}</h1>
                            <p>{denial.get_value()}</p>
                        }.into_any()
                    }
                    // Untracked: what a page reads while it is built must not re-run this
                    // block (only the signed-in person should). This alone did not stop the
                    // audit page's render loop — its reads happen when the view is rendered,
                    // after this call; pages read resources only inside Suspense for that.
                    Some(_) => untrack(|| children.with_value(|c| c())).into_any(),
                }
            })}
        </Suspense>
    }
}
