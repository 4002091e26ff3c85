//! `/moderation`: reported comments and proposals with their reports and earlier versions,
//! hidden content to restore, and blocked accounts. `/unsubscribe`: the page behind the
//! unsubscribe link of every notification email.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::QueueItem;
use super::api::{
    BlockAccount, ModerateContent, Unsubscribe, get_moderation_queue, unsubscribe_scope,
};
use crate::accounts::Me;
use crate::components::{
    ErrorSummary, Notice, Restricted, Submit, TextArea, own_error_at, reload_on_success,
    returned_field,
};
use crate::i18n::{t, t_args};
use crate::petitions::rules::german_datetime_text;

/// `/moderation`
#[component]
pub fn ModerationPage() -> impl IntoView {
    view! {
        <Title text=t_args("page-title", &[("title", &t("comment-moderation-title"))]) />
        <div class="wrap">
            <Restricted next="/moderation" allow=Me::is_staff denial=t("comment-moderation-denial")>
                <Queue />
            </Restricted>
        </div>
    }
}

#[component]
fn Queue() -> impl IntoView {
    // Each item has its own actions (so a message appears at the item it is about); these
    // page-level ones are never dispatched and only show what a form sent without
    // JavaScript brought back in the address.
    let moderate = ServerAction::<ModerateContent>::new();
    let block = ServerAction::<BlockAccount>::new();
    // An item's own form that came back (a decision, or blocking its author) shows the
    // error at the item; lifting a block is a form of this page.
    let at_item =
        returned_field("decision").is_some() || returned_field("block").as_deref() == Some("1");
    let error = Signal::derive(move || {
        (!at_item)
            .then(|| {
                moderate
                    .value()
                    .get()
                    .and_then(|r| r.err())
                    .or_else(|| block.value().get().and_then(|r| r.err()))
            })
            .flatten()
    });
    let reload = RwSignal::new(0u32);
    let unblock = ServerAction::<BlockAccount>::new();
    reload_on_success(unblock, reload);
    let queue = Resource::new(move || reload.get(), |_| get_moderation_queue());
    view! {
        <h1>{t("comment-moderation-title")}</h1>
        <p class="lead">{t("comment-moderation-lead")}</p>
        <Notice />
        <ErrorSummary error form="moderation" />
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match queue.await {
                    Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    Ok(q) => view! {
                        <section aria-labelledby="open-heading">
                            <h2 id="open-heading">{t_args("comment-moderation-reported", &[("n", &q.open.len().to_string())])}</h2>
                            {q.open.is_empty().then(|| view! { <p>{t("comment-moderation-no-reports")}</p> })}
                            {q.open.into_iter().map(|item| view! { <Item item reload /> }).collect_view()}
                        </section>
                        <section aria-labelledby="hidden-heading">
                            <h2 id="hidden-heading">{t_args("comment-moderation-hidden", &[("n", &q.hidden.len().to_string())])}</h2>
                            {q.hidden.is_empty().then(|| view! { <p>{t("comment-moderation-nothing-hidden")}</p> })}
                            {q.hidden.into_iter().map(|item| view! { <Item item reload /> }).collect_view()}
                        </section>
                        <section aria-labelledby="blocked-heading">
                            <h2 id="blocked-heading">{t_args("comment-moderation-blocked", &[("n", &q.blocked.len().to_string())])}</h2>
                            {q.blocked.is_empty().then(|| view! { <p>{t("comment-moderation-none-blocked")}</p> })}
                            <ul class="plain-list">
                                {q.blocked.into_iter().map(|b| view! {
                                    <li>
                                        {format!("{} ", t_args("comment-moderation-blocked-since", &[("name", &b.name), ("since", &german_datetime_text(b.since))]))}
                                        <ActionForm action=unblock attr:class="inline-form">
                                            <input type="hidden" name="user" value=b.id.to_string() />
                                            <input type="hidden" name="block" value="0" />
                                            <button type="submit" class="button button-secondary">{t_args("comment-moderation-unblock", &[("name", &b.name)])}</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Item(item: QueueItem, reload: RwSignal<u32>) -> impl IntoView {
    let moderate = ServerAction::<ModerateContent>::new();
    let block = ServerAction::<BlockAccount>::new();
    reload_on_success(moderate, reload);
    reload_on_success(block, reload);
    let error = own_error_at(
        moderate,
        &[
            ("target", item.target.code().to_string()),
            ("id", item.id.to_string()),
        ],
    );
    let block_error = match item.author_id {
        // Several items of one author: each shows a failed block (it names only the author).
        Some(author) => own_error_at(
            block,
            &[("user", author.to_string()), ("block", "1".into())],
        ),
        None => own_error_at(block, &[]),
    };
    let key = format!("{}-{}", item.target.code(), item.id);
    let heading_id = format!("item-{key}");
    let labelled_by = heading_id.clone();
    let hide_form = format!("hide-{key}");
    let block_form = format!("block-{key}");
    let hidden = item.hidden_reason.is_some();
    view! {
        <article class="card moderation-item" aria-labelledby=labelled_by>
            <h3 id=heading_id><A href=item.link.clone()>{item.context.clone()}</A></h3>
            <p class="meta">
                {t_args("comment-by-on", &[("author", &item.author), ("date", &german_datetime_text(item.created_at))])}
                {item.author_blocked.then(|| format!(" · {}", t("comment-moderation-account-blocked")))}
            </p>
            {item.hidden_reason.clone().map(|r| view! { <p class="hidden-note">{t_args("comment-hidden-reason", &[("reason", &r)])}</p> })}
            <blockquote class="moderation-text">{item.text.clone()}</blockquote>
            {(!item.versions.is_empty()).then(|| view! {
                <details>
                    <summary>{t_args("comment-moderation-versions", &[("n", &item.versions.len().to_string())])}</summary>
                    <ol>
                        {item.versions.iter().map(|v| view! {
                            <li><p class="meta">{t_args("comment-moderation-replaced-on", &[("date", &german_datetime_text(v.replaced_at))])}</p><blockquote>{v.body.clone()}</blockquote></li>
                        }).collect_view()}
                    </ol>
                </details>
            })}
            {(!item.reports.is_empty()).then(|| view! {
                <h4>{t_args("comment-moderation-reports", &[("n", &item.reports.len().to_string())])}</h4>
                <ul>
                    {item.reports.iter().map(|r| view! {
                        <li>{t_args("comment-moderation-report-line", &[("reason", &r.reason), ("by", &r.by), ("date", &german_datetime_text(r.at))])}</li>
                    }).collect_view()}
                </ul>
            })}
            <div class="moderation-actions">
                {if hidden {
                    view! {
                        <ActionForm action=moderate attr:class="inline-form">
                            <input type="hidden" name="target" value=item.target.code() />
                            <input type="hidden" name="id" value=item.id.to_string() />
                            <input type="hidden" name="decision" value="restore" />
                            <input type="hidden" name="back" value="/moderation" />
                            <button type="submit" class="button button-secondary">{t("comment-restore")}</button>
                        </ActionForm>
                    }.into_any()
                } else {
                    view! {
                        <ActionForm action=moderate attr:class="form" attr:novalidate=true>
                            <input type="hidden" name="target" value=item.target.code() />
                            <input type="hidden" name="id" value=item.id.to_string() />
                            <input type="hidden" name="decision" value="hide" />
                            <input type="hidden" name="back" value="/moderation" />
                            <TextArea name="reason" form=hide_form.clone() label=t("comment-moderation-hide-reason") rows=2 required=true error />
                            <Submit label=t("comment-moderation-hide") pending=moderate.pending() />
                        </ActionForm>
                        <ActionForm action=moderate attr:class="inline-form">
                            <input type="hidden" name="target" value=item.target.code() />
                            <input type="hidden" name="id" value=item.id.to_string() />
                            <input type="hidden" name="decision" value="dismiss" />
                            <input type="hidden" name="back" value="/moderation" />
                            <button type="submit" class="button button-secondary">{t("comment-moderation-dismiss")}</button>
                        </ActionForm>
                    }.into_any()
                }}
                {item.author_id.filter(|_| !item.author_blocked).map(|author| view! {
                    <details>
                        <summary>{t_args("comment-moderation-block", &[("name", &item.author)])}</summary>
                        <ActionForm action=block attr:class="form" attr:novalidate=true>
                            <input type="hidden" name="user" value=author.to_string() />
                            <input type="hidden" name="block" value="1" />
                            <TextArea name="reason" form=block_form.clone() label=t("comment-moderation-block-reason") rows=2 required=true error=block_error />
                            <Submit label=t("comment-moderation-block-button") pending=block.pending() />
                        </ActionForm>
                    </details>
                })}
            </div>
        </article>
    }
}

/// `/unsubscribe?u=…&s=…&t=…`: the link in every notification email. The page says what
/// the link ends and asks for one click (opening a link changes nothing: mail providers'
/// link scanners open them); after it (`done=1`), it says what ended and how to follow
/// again.
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        (
            q.get("u").and_then(|u| u.parse::<i64>().ok()).unwrap_or(0),
            q.get("s").unwrap_or_default(),
            q.get("t").unwrap_or_default(),
        )
    };
    let done = move || query.read().get("done").as_deref() == Some("1");
    let scope = Resource::new(params, |(u, s, t)| unsubscribe_scope(u, s, t));
    let action = ServerAction::<Unsubscribe>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <Title text=t_args("page-title", &[("title", &t("comment-unsubscribe-title"))]) />
        <div class="wrap narrow">
            <h1>{t("comment-unsubscribe-title")}</h1>
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match scope.await {
                        Err(e) => {
                            crate::components::page::set_status(e.status());
                            view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any()
                        }
                        Ok(about) if done() => {
                            match (about.title, about.link) {
                                (Some(title), Some(link)) => view! {
                                    <p class="notice" role="status">{t_args("comment-unsubscribe-done-subject", &[("title", &title)])}</p>
                                    <p>{t("comment-unsubscribe-follow-again")}" "<A href=link>{title}</A></p>
                                }.into_any(),
                                _ => view! {
                                    <p class="notice" role="status">{t("comment-unsubscribe-done-all")}</p>
                                    <p>{t("comment-unsubscribe-still")}</p>
                                }.into_any(),
                            }
                        }
                        Ok(about) => {
                            let (u, s, token) = params();
                            let question = match about.title {
                                Some(title) => t_args("comment-unsubscribe-question-subject", &[("title", &title)]),
                                None => t("comment-unsubscribe-question-all"),
                            };
                            view! {
                                <p>{question}</p>
                                <ErrorSummary error=error />
                                <ActionForm action=action attr:class="form">
                                    <input type="hidden" name="u" value=u.to_string() />
                                    <input type="hidden" name="s" value=s />
                                    <input type="hidden" name="t" value=token />
                                    <Submit label=t("comment-unsubscribe-title") pending=action.pending() />
                                </ActionForm>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}
