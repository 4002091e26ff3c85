//! Form fields with their labels, hints and error messages, the form's error summary and
//! the submit button. Every field is wired the same way (see [`Wiring`]): its error is
//! linked with `aria-describedby` and the field is marked `aria-invalid`, so screen readers
//! announce both, and the error summary links to the field by its id.

use leptos::prelude::*;

use crate::error::AppError;

/// The ids and ARIA state one field shares with its label, hint and error message: the id
/// is `{form}-{name}` (what [`ErrorSummary`] links to), the message is the part of the
/// form's last error that names this field.
struct Wiring {
    id: String,
    hint_id: Option<String>,
    error_id: String,
    message: Signal<Option<String>>,
}

impl Wiring {
    fn new(form: &str, name: &str, has_hint: bool, error: Signal<Option<AppError>>) -> Self {
        let id = format!("{form}-{name}");
        let field = name.to_owned();
        Wiring {
            hint_id: has_hint.then(|| format!("{id}-hint")),
            error_id: format!("{id}-error"),
            message: Signal::derive(move || error.get().and_then(|e| e.field_message(&field))),
            id,
        }
    }

    fn invalid(&self) -> impl Fn() -> bool + Copy + Send + Sync + 'static + use<> {
        let message = self.message;
        move || message.get().is_some()
    }

    fn aria_invalid(
        &self,
    ) -> impl Fn() -> Option<&'static str> + Copy + Send + Sync + 'static + use<> {
        let invalid = self.invalid();
        move || invalid().then_some("true")
    }

    /// The hint (always) and the error (when there is one).
    fn described_by(&self) -> impl Fn() -> Option<String> + Send + Sync + 'static + use<> {
        let (hint_id, error_id, invalid) =
            (self.hint_id.clone(), self.error_id.clone(), self.invalid());
        move || {
            let ids: Vec<&str> = hint_id
                .as_deref()
                .into_iter()
                .chain(invalid().then_some(error_id.as_str()))
                .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    }

    fn hint(&self, hint: Option<String>) -> impl IntoView + use<> {
        let id = self.hint_id.clone();
        hint.map(|h| view! { <p class="hint" id=id>{h}</p> })
    }

    fn error(&self) -> impl IntoView + use<> {
        let (message, id) = (self.message, self.error_id.clone());
        move || {
            message
                .get()
                .map(|m| view! { <p class="field-error" id=id.clone()>{m}</p> })
        }
    }
}

/// What was typed into field `name` when its form came back with this error (a post
/// without JavaScript that failed; see `infra::form_return`). Only the failed form has an
/// error, so only its fields are filled in.
fn returned(name: &str, error: Signal<Option<AppError>>) -> Option<String> {
    error
        .get_untracked()
        .and_then(|_| super::action::returned_field(name))
}

/// Whether a checkbox of a form that came back was ticked (a checkbox left empty is missing
/// from the input): `None` when nothing came back.
fn returned_tick(name: &str, error: Signal<Option<AppError>>) -> Option<bool> {
    (error.get_untracked().is_some() && super::action::has_returned())
        .then(|| super::action::returned_field(name).is_some())
}

fn required_mark(required: bool) -> impl IntoView {
    required.then_some(view! { <span class="required" aria-hidden="true">" *"</span> })
}

/// A labelled input.
#[component]
pub fn Field(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    /// Distinguishes ids when one page has several forms with the same field names.
    #[prop(into, default = "f".into())]
    form: String,
    #[prop(into, default = "text".into())] kind: String,
    #[prop(into, optional)] autocomplete: Option<String>,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(into, optional)] value: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(optional)] minlength: Option<usize>,
    /// The keyboard a phone shows (`numeric` for codes).
    #[prop(into, optional)]
    inputmode: Option<String>,
    /// The last error of the form's action; the field shows the part that names it.
    #[prop(into)]
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let w = Wiring::new(&form, &name, hint.is_some(), error);
    // What was typed wins over the stored value; a password is typed again, never shown.
    let value = (kind != "password")
        .then(|| returned(&name, error))
        .flatten()
        .or(value);
    view! {
        <div class="field" class:field-invalid=w.invalid()>
            <label for=w.id.clone()>{label}{required_mark(required)}</label>
            {w.hint(hint)}
            {w.error()}
            <input
                id=w.id.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                value=value
                required=required
                maxlength=maxlength
                minlength=minlength
                inputmode=inputmode
                aria-invalid=w.aria_invalid()
                aria-describedby=w.described_by()
            />
        </div>
    }
}

/// A labelled multi-line text field.
#[component]
pub fn TextArea(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into, default = "f".into())] form: String,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(into, optional)] value: Option<String>,
    #[prop(default = 8)] rows: u32,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let w = Wiring::new(&form, &name, hint.is_some(), error);
    let value = returned(&name, error).or(value);
    view! {
        <div class="field" class:field-invalid=w.invalid()>
            <label for=w.id.clone()>{label}{required_mark(required)}</label>
            {w.hint(hint)}
            {w.error()}
            <textarea
                id=w.id.clone()
                name=name
                rows=rows
                required=required
                maxlength=maxlength
                aria-invalid=w.aria_invalid()
                aria-describedby=w.described_by()
            >{value}</textarea>
        </div>
    }
}

/// A labelled choice from a fixed list.
#[component]
pub fn Select(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into, default = "f".into())] form: String,
    /// (value, label) pairs.
    options: Vec<(String, String)>,
    #[prop(into, optional)] selected: Option<String>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let w = Wiring::new(&form, &name, false, error);
    let selected = returned(&name, error).or(selected);
    view! {
        <div class="field" class:field-invalid=w.invalid()>
            <label for=w.id.clone()>{label}</label>
            {w.error()}
            <select
                id=w.id.clone()
                name=name
                aria-invalid=w.aria_invalid()
                aria-describedby=w.described_by()
            >
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is_selected = selected.as_deref() == Some(value.as_str());
                        view! { <option value=value selected=is_selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// A labelled checkbox (value "on" when ticked).
#[component]
pub fn Checkbox(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into, default = "f".into())] form: String,
    #[prop(optional)] required: bool,
    #[prop(optional)] checked: bool,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let w = Wiring::new(&form, &name, false, error);
    let checked = returned_tick(&name, error).unwrap_or(checked);
    view! {
        <div class="field field-check" class:field-invalid=w.invalid()>
            {w.error()}
            <input
                id=w.id.clone()
                type="checkbox"
                name=name
                checked=checked
                required=required
                aria-invalid=w.aria_invalid()
                aria-describedby=w.described_by()
            />
            <label for=w.id.clone()>{label}{required_mark(required)}</label>
            {children.map(|c| c())}
        </div>
    }
}

/// The form-level message: what went wrong, with links to the fields named.
#[component]
pub fn ErrorSummary(
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(into, default = "f".into())] form: String,
) -> impl IntoView {
    move || {
        error.get().map(|e| {
            let fields = match &e {
                AppError::Validation { fields } => fields.clone(),
                _ => Vec::new(),
            };
            view! {
                <div class="error-summary" role="alert" tabindex="-1">
                    <p class="error-title">{e.message()}</p>
                    {(!fields.is_empty()).then(|| view! {
                        <ul>
                            {fields.into_iter().map(|f| view! {
                                <li><a href=format!("#{}-{}", form, f.field)>{f.message}</a></li>
                            }).collect_view()}
                        </ul>
                    })}
                </div>
            }
        })
    }
}

/// A submit button that says it is working while the action is pending.
#[component]
pub fn Submit(
    #[prop(into)] label: String,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into, default = "button".into())] class: String,
) -> impl IntoView {
    // Effects run only in the browser, and only inside an island (`#[island]`), once this
    // button is hydrated: from then on the form answers in place. Browser tests wait for the
    // mark before they test that path (a click before it posts and comes back, the path of
    // every form outside an island, tested on its own).
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let waiting = crate::i18n::t("form-pending");
    view! {
        <button type="submit" class=class aria-disabled=move || pending.get().then_some("true")
            data-hydrated=move || hydrated.get().then_some("true")>
            {move || if pending.get() { waiting.clone() } else { label.clone() }}
        </button>
    }
}
