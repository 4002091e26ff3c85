//! The comment thread, one component for proposals and petitions. Every action is a plain
//! form (it works without JavaScript); reply, edit, report and hide forms sit in `<details>`,
//! which browsers open and close without script. With JavaScript each form has its own
//! action, so a message appears at the form that caused it, and the thread reloads in place.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{
    DeleteComment, EditComment, FollowSubject, LikeComment, ModerateContent, PostComment,
    ReplyComment, ReportContent, get_thread,
};
use super::domain::{BODY_MAX_CHARS, Order, SubjectKind};
use super::{CommentView, Thread};
use crate::components::{
    Checkbox, ErrorSummary, Submit, TextArea, own_error_at, reload_on_success, returned_field,
};
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::petitions::rules::{german_datetime_text, thousands};

fn thread_link(path: &str, order: Order, page: u64) -> String {
    format!("{path}?order={}&cpage={page}#comments", order.code())
}

/// The thread's place in the page address (`?order=…&cpage=…`) and the notice a finished
/// action redirected with: a page that shows a thread loads it with these, in the same
/// resource as the page itself.
///
/// One resource and one `<Suspense>` per page on purpose: a thread with a resource and a
/// boundary of its own, nested in the page's, deadlocked the server under parallel
/// rendering (leptos issue 4673, a lock-order inversion in reactive_graph 0.2).
pub fn use_thread_query() -> Signal<ThreadAt> {
    let query = use_query_map();
    Signal::derive(move || {
        let q = query.read();
        let number = |key: &str| q.get(key).and_then(|p| p.parse::<u64>().ok());
        ThreadAt {
            order: Order::parse(&q.get("order").unwrap_or_default()),
            page: number("cpage").unwrap_or(1),
            focus: q
                .get("focus")
                .and_then(|f| f.parse::<i64>().ok())
                .unwrap_or(0),
            rpage: number("rpage").unwrap_or(1),
            notice: q.get("notice"),
        }
    })
}

/// Where in a thread the address points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadAt {
    pub order: Order,
    pub page: u64,
    /// One discussion (its top-level comment), 0 for the whole thread.
    pub focus: i64,
    pub rpage: u64,
    /// Part of the source only so that a finished action reloads the thread.
    pub notice: Option<String>,
}

/// Loads a page of a thread for the page's resource; a thread that cannot be loaded leaves
/// the rest of the page standing.
pub async fn load_thread(kind: SubjectKind, id: i64, at: ThreadAt) -> Option<Thread> {
    get_thread(
        kind.code().to_owned(),
        id,
        at.order.code().to_owned(),
        at.page,
        at.focus,
        at.rpage,
    )
    .await
    .ok()
}

/// The thread below a proposal or petition. `reload` is part of the page resource's source:
/// every successful action in the thread bumps it.
#[component]
pub fn CommentThread(t: Thread, reload: RwSignal<u32>) -> impl IntoView {
    let post = ServerAction::<PostComment>::new();
    let follow = ServerAction::<FollowSubject>::new();
    reload_on_success(post, reload);
    reload_on_success(follow, reload);
    let post_error = Signal::derive(move || post.value().get().and_then(|r| r.err()));
    let follow_error = Signal::derive(move || follow.value().get().and_then(|r| r.err()));
    // Without JavaScript a failed reply, edit, report … comes back in the address; these
    // never-dispatched actions pick it up so that the thread can say what went wrong.
    let fallback: [Signal<Option<AppError>>; 6] = {
        let reply = ServerAction::<ReplyComment>::new();
        let edit = ServerAction::<EditComment>::new();
        let delete = ServerAction::<DeleteComment>::new();
        let like = ServerAction::<LikeComment>::new();
        let report = ServerAction::<ReportContent>::new();
        let moderate = ServerAction::<ModerateContent>::new();
        [
            Signal::derive(move || reply.value().get().and_then(|r| r.err())),
            Signal::derive(move || edit.value().get().and_then(|r| r.err())),
            Signal::derive(move || delete.value().get().and_then(|r| r.err())),
            Signal::derive(move || like.value().get().and_then(|r| r.err())),
            Signal::derive(move || report.value().get().and_then(|r| r.err())),
            Signal::derive(move || moderate.value().get().and_then(|r| r.err())),
        ]
    };
    // Erased: the full type of a thread nested in a page overflows the compiler's limits.
    view! {
        <section id="comments" class="comments" aria-labelledby="comments-heading">
            <ThreadView th=t post post_error follow follow_error fallback reload />
        </section>
    }
    .into_any()
}

#[component]
fn ThreadView(
    th: Thread,
    post: ServerAction<PostComment>,
    post_error: Signal<Option<AppError>>,
    follow: ServerAction<FollowSubject>,
    follow_error: Signal<Option<AppError>>,
    fallback: [Signal<Option<AppError>>; 6],
    reload: RwSignal<u32>,
) -> impl IntoView {
    let heading = match th.total {
        0 => t("comment-heading"),
        1 => t("comment-heading-one"),
        n => t_args("comment-heading-other", &[("n", &thousands(n))]),
    };
    let path = th.path.clone();
    let focus = th.focus;
    let kind = th.kind;
    let subject = th.subject_id;
    // Silent when a comment's form came back with its input (all of them name the comment
    // as `id` or `parent`): that comment shows the error itself.
    let at_comment = returned_field("id").is_some() || returned_field("parent").is_some();
    let fallback_error = Signal::derive(move || {
        (!at_comment)
            .then(|| fallback.iter().find_map(|s| s.get()))
            .flatten()
    });
    let prev = (th.page > 1).then(|| thread_link(&path, th.order, th.page - 1));
    let next = (th.page < th.pages).then(|| thread_link(&path, th.order, th.page + 1));
    let order_options = Order::ALL.map(|o| {
        let selected = o == th.order;
        view! { <option value=o.code() selected=selected>{o.title()}</option> }
    });
    let login = format!("/login?next={}", crate::admin::encode_query(&path));
    let viewer = th.viewer.clone();
    view! {
        <h2 id="comments-heading">{heading}</h2>
        <ErrorSummary error=fallback_error form="thread" />
        <div class="thread-tools">
            <form method="get" action=path.clone() class="inline-form">
                <label for="comment-order">{t("comment-order")}</label>
                <select id="comment-order" name="order">{order_options}</select>
                <button type="submit" class="button button-secondary">{t("comment-order-show")}</button>
            </form>
            {viewer.signed_in.then(|| view! {
                <ActionForm action=follow attr:class="inline-form">
                    <input type="hidden" name="kind" value=kind.code() />
                    <input type="hidden" name="subject" value=subject.to_string() />
                    <input type="hidden" name="follow" value=if viewer.following { "0" } else { "1" } />
                    <button type="submit" class="button button-secondary" aria-pressed=if viewer.following { "true" } else { "false" }>
                        {if viewer.following { t("comment-unfollow") } else { t("comment-follow") }}
                    </button>
                </ActionForm>
                <ErrorSummary error=follow_error form="follow" />
            })}
        </div>
        {match (&th.closed, viewer.signed_in, viewer.blocked) {
            (Some(reason), _, _) => view! { <p class="hidden-note">{reason.clone()}</p> }.into_any(),
            (None, false, _) => view! {
                <p><a href=login>{t("comment-login")}</a>{t("comment-login-after")}</p>
            }.into_any(),
            (None, true, true) => view! {
                <p class="hidden-note">{t("comment-blocked")}</p>
            }.into_any(),
            (None, true, false) => view! {
                <ActionForm action=post attr:class="form comment-form" attr:novalidate=true>
                    <ErrorSummary error=post_error form="comment" />
                    <input type="hidden" name="kind" value=kind.code() />
                    <input type="hidden" name="subject" value=subject.to_string() />
                    <TextArea name="body" form="comment" label=t("comment-your-comment") rows=4 required=true maxlength=BODY_MAX_CHARS
                        hint=t("comment-body-hint") error=post_error />
                    <Checkbox name="follow" form="comment" label=t("comment-notify-hourly") checked=!viewer.following error=post_error />
                    <Submit label=t("comment-publish") pending=post.pending() />
                </ActionForm>
            }.into_any(),
        }}
        {(th.total == 0).then(|| view! { <p>{t("comment-none")}</p> })}
        {focus.is_some().then(|| view! {
            <p><a href=format!("{path}#comments")>{t("comment-back-to-thread")}</a></p>
        })}
        <ol class="comment-list">
            {th.roots.into_iter().map(|r| {
                let back = path.clone();
                let root = r.comment.id;
                let more = replies_nav(&path, focus, root, r.replies_total, r.replies_page, r.replies_pages);
                view! {
                    <li>
                        <Comment c=r.comment back=back.clone() reload />
                        {(!r.replies.is_empty()).then(|| view! {
                            <ol class="comment-replies">
                                {r.replies.into_iter().map(|c| view! { <li><Comment c back=back.clone() reload /></li> }).collect_view()}
                            </ol>
                        })}
                        {more}
                    </li>
                }
            }).collect_view()}
        </ol>
        {(th.pages > 1).then(|| view! {
            <nav aria-label=t("comment-pages") class="pager">
                {prev.map(|href| view! { <a href=href rel="prev">{t("comment-page-prev")}</a> })}
                <span>{format!(" {} ", t_args("comment-page-of", &[("page", &th.page.to_string()), ("pages", &th.pages.to_string())]))}</span>
                {next.map(|href| view! { <a href=href rel="next">{t("comment-page-next")}</a> })}
            </nav>
        })}
    }
    .into_any()
}

/// Below a discussion with more replies than one page holds: in the whole thread a link to
/// the discussion alone; there, its pages.
fn replies_nav(
    path: &str,
    focus: Option<i64>,
    root: i64,
    total: u64,
    page: u64,
    pages: u64,
) -> Option<AnyView> {
    if pages <= 1 {
        return None;
    }
    let link = |p: u64| format!("{path}?focus={root}&rpage={p}#comment-{root}");
    Some(match focus {
        None => view! {
            <p class="more-replies"><a href=link(1)>{t_args("comment-replies-all", &[("n", &thousands(total))])}</a></p>
        }
        .into_any(),
        Some(_) => view! {
            <nav aria-label=t("comment-replies-pages") class="pager">
                {(page > 1).then(|| view! { <a href=link(page - 1) rel="prev">{t("comment-replies-prev")}</a> })}
                <span>{format!(" {} ", t_args("comment-replies-page-of", &[("page", &page.to_string()), ("pages", &pages.to_string())]))}</span>
                {(page < pages).then(|| view! { <a href=link(page + 1) rel="next">{t("comment-replies-next")}</a> })}
            </nav>
        }
        .into_any(),
    })
}

#[component]
fn Comment(c: CommentView, back: String, reload: RwSignal<u32>) -> impl IntoView {
    let reply = ServerAction::<ReplyComment>::new();
    let edit = ServerAction::<EditComment>::new();
    let delete = ServerAction::<DeleteComment>::new();
    let like = ServerAction::<LikeComment>::new();
    let report = ServerAction::<ReportContent>::new();
    let moderate = ServerAction::<ModerateContent>::new();
    reload_on_success(reply, reload);
    reload_on_success(edit, reload);
    reload_on_success(delete, reload);
    reload_on_success(like, reload);
    reload_on_success(report, reload);
    reload_on_success(moderate, reload);
    let (reply_error, edit_error, delete_error, like_error, report_error, moderate_error) = (
        own_error_at(reply, &[("parent", c.id.to_string())]),
        own_error_at(edit, &[("id", c.id.to_string())]),
        own_error_at(delete, &[("id", c.id.to_string())]),
        own_error_at(like, &[("id", c.id.to_string())]),
        own_error_at(
            report,
            &[("target", "comment".into()), ("id", c.id.to_string())],
        ),
        own_error_at(
            moderate,
            &[("target", "comment".into()), ("id", c.id.to_string())],
        ),
    );
    let id = c.id;
    let anchor = format!("comment-{id}");
    let by_id = format!("comment-{id}-by");
    let labelled_by = by_id.clone();
    let f = move |what: &str| format!("{what}-{id}");
    let like_label = if c.liked {
        t_args("comment-unlike", &[("n", &thousands(c.likes))])
    } else {
        t_args("comment-like", &[("n", &thousands(c.likes))])
    };
    view! {
        <article id=anchor class=format!("comment depth-{}", c.depth) aria-labelledby=labelled_by>
            <header class="meta">
                <strong id=by_id>{c.author.clone()}</strong>
                {c.reply_to.clone().map(|to| format!(" {}", t_args("comment-replies-to", &[("name", &to)])))}
                " · "<time datetime=c.created_at.to_rfc3339()>{german_datetime_text(c.created_at)}</time>
                {c.edited.then(|| format!(" · {}", t("comment-edited")))}
            </header>
            {if c.deleted {
                view! { <p class="comment-gone">{t("comment-deleted")}</p> }.into_any()
            } else if let Some(reason) = c.hidden_reason.clone() {
                view! { <p class="hidden-note">{t_args("comment-hidden-reason", &[("reason", &reason)])}</p> }.into_any()
            } else {
                view! { <div class="prose comment-body" inner_html=c.body_html.clone()></div> }.into_any()
            }}
            <div class="comment-actions">
                {if c.can_like {
                    view! {
                        <ActionForm action=like attr:class="inline-form">
                            <input type="hidden" name="id" value=id.to_string() />
                            <input type="hidden" name="like" value=if c.liked { "0" } else { "1" } />
                            <button type="submit" class="link-button" aria-pressed=if c.liked { "true" } else { "false" }>{like_label}</button>
                        </ActionForm>
                        <ErrorSummary error=like_error form=f("like") />
                    }.into_any()
                } else if c.likes > 0 {
                    view! { <span class="likes">{t_args("comment-likes", &[("n", &thousands(c.likes))])}</span> }.into_any()
                } else {
                    ().into_any()
                }}
                {c.can_reply.then(|| view! {
                    <details open=move || reply_error.get().is_some()>
                        <summary>{t("comment-reply")}</summary>
                        <ActionForm action=reply attr:class="form" attr:novalidate=true>
                            <ErrorSummary error=reply_error form=f("reply") />
                            <input type="hidden" name="parent" value=id.to_string() />
                            <TextArea name="body" form=f("reply") label=t_args("comment-reply-to", &[("name", &c.author)]) rows=3 required=true maxlength=BODY_MAX_CHARS error=reply_error />
                            <Checkbox name="follow" form=f("reply") label=t("comment-notify") checked=true error=reply_error />
                            <Submit label=t("comment-reply-publish") pending=reply.pending() />
                        </ActionForm>
                    </details>
                })}
                {c.can_edit.then(|| view! {
                    <details open=move || edit_error.get().is_some()>
                        <summary>{t("comment-edit")}</summary>
                        <ActionForm action=edit attr:class="form" attr:novalidate=true>
                            <ErrorSummary error=edit_error form=f("edit") />
                            <input type="hidden" name="id" value=id.to_string() />
                            <TextArea name="body" form=f("edit") label=t("comment-your-comment") rows=4 required=true maxlength=BODY_MAX_CHARS value=c.body.clone().unwrap_or_default()
                                hint=t("comment-edit-hint") error=edit_error />
                            <Submit label=t("comment-edit-save") pending=edit.pending() />
                        </ActionForm>
                    </details>
                    <ActionForm action=delete attr:class="inline-form">
                        <input type="hidden" name="id" value=id.to_string() />
                        <button type="submit" class="link-button">{t("comment-delete")}</button>
                    </ActionForm>
                    <ErrorSummary error=delete_error form=f("delete") />
                })}
                {c.can_report.then(|| view! {
                    <details open=move || report_error.get().is_some()>
                        <summary>{t("comment-report")}</summary>
                        <ActionForm action=report attr:class="form" attr:novalidate=true>
                            <ErrorSummary error=report_error form=f("report") />
                            <input type="hidden" name="target" value="comment" />
                            <input type="hidden" name="id" value=id.to_string() />
                            <TextArea name="reason" form=f("report") label=t("comment-report-reason") rows=2 required=true
                                hint=t("comment-report-hint") error=report_error />
                            <Submit label=t("comment-report-send") pending=report.pending() />
                        </ActionForm>
                    </details>
                })}
                {c.can_moderate.then(|| match c.hidden_reason.is_some() {
                    false => view! {
                        <details open=move || moderate_error.get().is_some()>
                            <summary>{t("comment-hide")}</summary>
                            <ActionForm action=moderate attr:class="form" attr:novalidate=true>
                                <ErrorSummary error=moderate_error form=f("hide") />
                                <input type="hidden" name="target" value="comment" />
                                <input type="hidden" name="id" value=id.to_string() />
                                <input type="hidden" name="decision" value="hide" />
                                <input type="hidden" name="back" value=format!("{back}#comment-{id}") />
                                <TextArea name="reason" form=f("hide") label=t("comment-hide-reason") rows=2 required=true
                                    hint=t("comment-hide-hint") error=moderate_error />
                                <Submit label=t("comment-hide-button") pending=moderate.pending() />
                            </ActionForm>
                        </details>
                    }.into_any(),
                    true => view! {
                        <ActionForm action=moderate attr:class="inline-form">
                            <input type="hidden" name="target" value="comment" />
                            <input type="hidden" name="id" value=id.to_string() />
                            <input type="hidden" name="decision" value="restore" />
                            <input type="hidden" name="back" value=format!("{back}#comment-{id}") />
                            <button type="submit" class="link-button">{t("comment-restore")}</button>
                        </ActionForm>
                        <ErrorSummary error=moderate_error form=f("restore") />
                    }.into_any(),
                })}
            </div>
        </article>
    }
    .into_any()
}
