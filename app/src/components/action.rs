//! What a form's action says back, where the page has many forms of one kind (a thread's
//! comments, a queue's items, a session's agenda items): the error of this very form, with
//! JavaScript and after a post without it, and a reload after success.

use leptos::prelude::*;

use crate::error::AppError;

/// Bumps `reload` after the action succeeded with JavaScript (a list or thread then loads
/// again in place); without JavaScript the page comes back anew anyway.
pub fn reload_on_success<S>(action: ServerAction<S>, reload: RwSignal<u32>)
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Effect::new(move || {
        if action.version().get() > 0 && matches!(action.value().get(), Some(Ok(_))) {
            reload.update(|n| *n += 1);
        }
    });
}

/// The error of an action dispatched from this very form (with JavaScript); where several
/// forms share one action type, without JavaScript the page-level summary shows it, or
/// [`own_error_at`] places it at its form.
pub fn own_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || {
        if action.version().get() > 0 {
            action.value().get().and_then(|r| r.err())
        } else {
            None
        }
    })
}

/// As [`own_error`], and after a post without JavaScript the error in the address too, if
/// the form that came back is this one: its hidden fields held these values (read from the
/// returned input, see `infra::form_return`). So the message stands at the item it is
/// about, as with JavaScript, not only above the list.
pub fn own_error_at<S>(
    action: ServerAction<S>,
    hidden: &[(&str, String)],
) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let came_back_here = !hidden.is_empty()
        && hidden
            .iter()
            .all(|(key, value)| returned_field(key).as_deref() == Some(value.as_str()));
    Signal::derive(move || {
        if action.version().get() > 0 || came_back_here {
            action.value().get().and_then(|r| r.err())
        } else {
            None
        }
    })
}

/// A field of the form that came back with what was typed (a post without JavaScript that
/// failed; see `infra::form_return`): its fields show it again, and pages tell by its
/// hidden fields which of their forms it was. Never anything in the browser.
pub fn returned_field(key: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    return crate::infra::form_return::returned(key);
    #[cfg(not(feature = "ssr"))]
    {
        let _ = key;
        None
    }
}

/// Whether a form came back with what was typed (see [`returned_field`]).
pub fn has_returned() -> bool {
    #[cfg(feature = "ssr")]
    return crate::infra::form_return::has_returned();
    #[cfg(not(feature = "ssr"))]
    false
}
