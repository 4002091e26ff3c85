use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Redirect};

use super::action_error;
use crate::LayoutResource;
use crate::accounts::api::{
    ChangeEmail, ChangePassword, DeleteAccount, EndAllSessions, EndSession, my_sessions,
};
use crate::accounts::domain::PASSWORD_MIN_CHARS;
use crate::components::{ErrorSummary, Field, Notice, Submit};
use crate::i18n::{t, t_args};

#[component]
pub fn AccountPage() -> impl IntoView {
    let layout = expect_context::<LayoutResource>();
    let change_password = ServerAction::<ChangePassword>::new();
    let password_error = action_error(change_password);
    let change_email = ServerAction::<ChangeEmail>::new();
    let email_error = action_error(change_email);
    let delete = ServerAction::<DeleteAccount>::new();
    let delete_error = action_error(delete);
    view! {
        <Title text=t_args("page-title", &[("title", &t("account-title"))]) />
        <div class="wrap narrow">
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    let Some(me) = layout.await.ok().and_then(|l| l.me) else {
                        return view! { <Redirect path="/login?notice=login_required&next=/account" /> }.into_any();
                    };
                    let roles = std::iter::once(t("account-role-resident"))
                        .chain(me.roles.iter().map(|r| r.title()))
                        .collect::<Vec<_>>()
                        .join(", ");
                    view! {
                        <h1>{t("account-title")}</h1>
                        <Notice />
                        <dl class="facts">
                            <dt>{t("account-display-name")}</dt><dd>{me.display_name.clone()}</dd>
                            <dt>{t("account-email")}</dt><dd>{me.email.clone()}</dd>
                            <dt>{t("account-roles")}</dt><dd>{roles}</dd>
                        </dl>

                        <section aria-labelledby="h-two-factor">
                            <h2 id="h-two-factor">{t("account-two-factor")}</h2>
                            <p>{if me.two_factor {
                                t("account-two-factor-on")
                            } else {
                                t("account-two-factor-off")
                            }}</p>
                            <p><A href="/account/two-factor">{if me.two_factor { t("account-two-factor-manage") } else { t("account-two-factor-set-up") }}</A></p>
                        </section>

                        <Sessions />

                        <section aria-labelledby="h-password">
                            <h2 id="h-password">{t("account-change-password")}</h2>
                            <ErrorSummary form="pw" error=password_error />
                            <ActionForm action=change_password attr:class="form" attr:novalidate=true>
                                <Field name="current_password" label=t("account-current-password") kind="password" autocomplete="current-password" required=true form="pw" error=password_error />
                                <Field name="password" label=t("account-new-password") kind="password" autocomplete="new-password" required=true
                                    minlength=PASSWORD_MIN_CHARS hint=t_args("account-password-hint", &[("min", &PASSWORD_MIN_CHARS.to_string())]) form="pw" error=password_error />
                                <Submit label=t("account-change-password") pending=change_password.pending() />
                            </ActionForm>
                        </section>

                        <section aria-labelledby="h-email">
                            <h2 id="h-email">{t("account-change-email")}</h2>
                            <p>{t("account-change-email-lead")}</p>
                            <ErrorSummary form="em" error=email_error />
                            <ActionForm action=change_email attr:class="form" attr:novalidate=true>
                                <Field name="email" label=t("account-new-email") kind="email" autocomplete="email" required=true form="em" error=email_error />
                                <Field name="current_password" label=t("account-current-password") kind="password" autocomplete="current-password" required=true form="em" error=email_error />
                                <Submit label=t("account-send-confirmation") pending=change_email.pending() />
                            </ActionForm>
                        </section>

                        <section aria-labelledby="h-data">
                            <h2 id="h-data">{t("account-my-data")}</h2>
                            <p>{t("account-my-data-lead")}</p>
                            <p class="actions">
                                <a href="/account/data.html" class="button button-secondary" download="meine-daten.html">{t("account-download-html")}</a>
                                <a href="/account/data.json" class="button button-secondary" download="meine-daten.json">{t("account-download-json")}</a>
                            </p>
                        </section>

                        <section aria-labelledby="h-delete" class="danger-zone">
                            <h2 id="h-delete">{t("account-delete")}</h2>
                            <p>{t("account-delete-lead")}</p>
                            <ErrorSummary form="del" error=delete_error />
                            <ActionForm action=delete attr:class="form" attr:novalidate=true>
                                <Field name="current_password" label=t("account-delete-password") kind="password" autocomplete="current-password" required=true form="del" error=delete_error />
                                <Submit label=t("account-delete-submit") class="button button-danger" pending=delete.pending() />
                            </ActionForm>
                        </section>
                    }.into_any()
                })}
            </Suspense>
        </div>
    }
}

/// The account's signed-in browsers, each with a button to end it, and "Überall abmelden".
#[component]
fn Sessions() -> impl IntoView {
    let end = ServerAction::<EndSession>::new();
    let end_all = ServerAction::<EndAllSessions>::new();
    let end_error = action_error(end);
    let sessions = Resource::new(move || end.version().get(), |_| my_sessions());
    view! {
        <section aria-labelledby="h-sessions" id="sessions">
            <h2 id="h-sessions">{t("account-sessions")}</h2>
            <ErrorSummary form="sess" error=end_error />
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="session-list">
                                {list.into_iter().map(|s| {
                                    let label = t_args("account-session-end-label", &[("browser", &s.browser)]);
                                    view! {
                                        <li>
                                            <strong>{s.browser.clone()}</strong>
                                            {s.current.then(|| format!(" {}", t("account-session-current")))}
                                            <br />
                                            {t_args(
                                                "account-session-details",
                                                &[
                                                    ("network", &if s.network.is_empty() { t("account-session-network-unknown") } else { s.network.clone() }),
                                                    ("signed_in", &crate::time::german_datetime_text(s.signed_in_at)),
                                                    ("last_seen", &crate::time::german_datetime_text(s.last_seen_at)),
                                                ],
                                            )}
                                            <ActionForm action=end attr:class="inline-form">
                                                <input type="hidden" name="id" value=s.id.to_string() />
                                                <button type="submit" class="link-button" aria-label=label>{t("account-session-end")}</button>
                                            </ActionForm>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <ActionForm action=end_all attr:class="form">
                <Submit label=t("account-sessions-end-all") class="button button-secondary" pending=end_all.pending() />
            </ActionForm>
        </section>
    }
}
