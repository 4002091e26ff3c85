//! Board and session pages: the boards, one board with its members and sessions (and, for
//! its chair and staff, the forms to run it), all sessions, one session with its agenda,
//! outcomes and minutes.

use leptos::prelude::*;

use crate::accessibility::EasySubject;
use crate::accessibility::pages::EasySummaryBox;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    AddBoardMember, AnswerInvitation, CancelMeeting, CreateBoard, CreateMeeting, RemoveBoardMember,
    SetNameConsent, UpdateBoard, UpdateBoardMember, get_board, get_meeting, list_boards,
    list_meetings,
};
use super::domain::{MeetingStatus, Role, day_title, when_title};
use super::{BoardDetail, ItemView, MeetingCard, MeetingDetail, MemberView};
use crate::comments::Thread;
use crate::comments::api::FollowSubject;
use crate::comments::domain::SubjectKind;
use crate::comments::thread::{CommentThread, load_thread, use_thread_query};
use crate::components::{
    Checkbox, ErrorSummary, Field, Notice, Select, Submit, TextArea, own_error_at,
    reload_on_success,
};
use crate::error::AppError;
use crate::i18n::{t, t_args};

fn status_badge(status: MeetingStatus) -> impl IntoView {
    view! { <span class=format!("badge session-{}", status.code())>{status.title()}</span> }
}

/// The last error of an action, for the form that dispatched it (also without JavaScript).
pub(crate) fn error_of<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

fn not_found(e: &AppError, what: String, back: &'static str, back_label: String) -> AnyView {
    crate::components::page::set_status(e.status());
    view! {
        <Title text=t_args("page-title", &[("title", &what)]) />
        <h1>{t_args("board-not-found", &[("what", &what)])}</h1>
        <p>{e.message()}</p>
        <p><A href=back>{back_label}</A></p>
    }
    .into_any()
}

/// One session in a list.
#[component]
pub fn MeetingItem(s: MeetingCard, #[prop(optional)] with_board: bool) -> impl IntoView {
    view! {
        <li class="card session-card">
            <h3><A href=format!("/sessions/{}", s.id)>{s.title.clone()}</A></h3>
            <p class="meta">
                {status_badge(s.status)}
                {with_board.then(|| format!("{} · ", s.board))}
                <time datetime=s.starts.format("%Y-%m-%dT%H:%M").to_string()>{when_title(s.starts, s.ends)}</time>
                {(!s.place.is_empty()).then(|| format!(" · {}", s.place))}
                {(!s.public).then(|| format!(" · {}", t("board-closed")))}
            </p>
            {s.cancel_reason.clone().map(|r| view! { <p class="hidden-note">{t_args("board-cancelled-reason", &[("reason", &r)])}</p> })}
        </li>
    }
}

fn session_list(items: Vec<MeetingCard>, empty: String, with_board: bool) -> AnyView {
    if items.is_empty() {
        view! { <p>{empty}</p> }.into_any()
    } else {
        view! {
            <ul class="session-list">
                {items.into_iter().map(|s| view! { <MeetingItem s with_board /> }).collect_view()}
            </ul>
        }
        .into_any()
    }
}

/// `/boards`
#[component]
pub fn BoardsPage() -> impl IntoView {
    let create = ServerAction::<CreateBoard>::new();
    let list = Resource::new(move || create.version().get(), |_| list_boards());
    let create_error = error_of(create);
    view! {
        <Title text=t_args("page-title", &[("title", &t("board-boards"))]) />
        <div class="wrap">
            <h1>{t("board-boards")}</h1>
            <p class="lead">{t("board-boards-lead")}</p>
            <Notice />
            <p><A href="/sessions">{t("board-all-sessions")}</A>" · "<a href="/sessions.ics">{t("board-subscribe-calendar-ical")}</a></p>
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(l) => view! {
                            {if l.boards.is_empty() {
                                view! { <p>{t("board-boards-none")}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="board-list">
                                        {l.boards.into_iter().map(|b| view! {
                                            <li class="card">
                                                <h2><A href=format!("/boards/{}", b.id)>{b.name.clone()}</A></h2>
                                                <p>{b.teaser.clone()}</p>
                                                <p class="meta">{members_text(b.members)}
                                                    {b.next_session.clone().map(|s| view! {
                                                        " · "{t("board-next-session")}": "<A href=format!("/sessions/{}", s.id)>{day_title(s.starts)}</A>
                                                    })}
                                                </p>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            {l.can_create.then(|| view! {
                                <section class="card" aria-labelledby="new-board-heading">
                                    <h2 id="new-board-heading">{t("board-new-board-heading")}</h2>
                                    <ErrorSummary error=create_error form="board" />
                                    <ActionForm action=create attr:class="form" attr:novalidate=true>
                                        <BoardFields error=create_error />
                                        <Submit label=t("board-create-board") pending=create.pending() />
                                    </ActionForm>
                                </section>
                            })}
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The fields of the board form, empty or filled from a board.
#[component]
fn BoardFields(
    error: Signal<Option<AppError>>,
    #[prop(optional)] board: Option<BoardDetail>,
) -> impl IntoView {
    let b = board.as_ref();
    view! {
        <Field name="name" form="board" label=t("board-field-name") required=true maxlength=super::domain::NAME_MAX_CHARS value=b.map(|b| b.name.clone()).unwrap_or_default() error />
        <TextArea name="description" form="board" label=t("board-field-description") hint=t("board-field-description-hint") rows=5 value=b.map(|b| b.description.clone()).unwrap_or_default() error />
        <TextArea name="contact" form="board" label=t("board-field-contact") hint=t("board-field-contact-hint") rows=3 value=b.map(|b| b.contact.clone()).unwrap_or_default() error />
        <Field name="term_start" form="board" kind="date" label=t("board-field-term-start") value=b.and_then(|b| b.term_start).map(|d| d.to_string()).unwrap_or_default() error />
        <Field name="term_end" form="board" kind="date" label=t("board-field-term-end") value=b.and_then(|b| b.term_end).map(|d| d.to_string()).unwrap_or_default() error />
    }
}

/// `/boards/:id`
#[component]
pub fn BoardPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let reload = RwSignal::new(0u32);
    let board = Resource::new(
        move || {
            (
                params
                    .read()
                    .get("id")
                    .and_then(|id| id.parse::<i64>().ok()),
                query.read().get("notice"),
                reload.get(),
            )
        },
        |(id, _, _)| async move {
            match id {
                Some(id) => get_board(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <div class="wrap">
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match board.await {
                        Err(e) => not_found(&e, t("board-board"), "/boards", t("board-back-to-boards")),
                        Ok(b) => view! { <Board b reload /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Board(b: BoardDetail, reload: RwSignal<u32>) -> impl IntoView {
    let follow = ServerAction::<FollowSubject>::new();
    let consent = ServerAction::<SetNameConsent>::new();
    reload_on_success(follow, reload);
    reload_on_success(consent, reload);
    let id = b.id;
    view! {
        <Title text=t_args("page-title", &[("title", &format!("{} – {}", b.name, t("board-boards")))]) />
        <p class="breadcrumb"><A href="/boards">{t("board-boards")}</A></p>
        <h1>{b.name.clone()}</h1>
        <Notice />
        <div class="columns">
            <div class="column-main">
                <div class="prose" inner_html=b.description_html.clone()></div>
                {(b.term_start.is_some()).then(|| view! {
                    <p class="meta">{t_args(
                        "board-term",
                        &[
                            ("from", &b.term_start.map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_default()),
                            ("to", &b.term_end.map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_else(|| t("board-term-open"))),
                        ],
                    )}</p>
                })}
                <section id="sessions" aria-labelledby="upcoming-heading">
                    <h2 id="upcoming-heading">{t("board-upcoming")}</h2>
                    {session_list(b.upcoming.clone(), t("board-upcoming-none"), false)}
                    <h2>{t("board-past")}</h2>
                    {session_list(b.past.clone(), t("board-past-none"), false)}
                </section>
                <Members b=b.clone() consent />
                {b.can_manage.then(|| view! { <BoardManagement b=b.clone() reload /> })}
            </div>
            <aside class="column-side">
                {(!b.contact_html.is_empty()).then(|| view! {
                    <section class="card" aria-labelledby="contact-heading">
                        <h2 id="contact-heading">{t("board-contact-heading")}</h2>
                        <div class="prose" inner_html=b.contact_html.clone()></div>
                    </section>
                })}
                <section class="card" id="follow" aria-labelledby="follow-heading">
                    <h2 id="follow-heading">{t("board-follow-heading")}</h2>
                    <p><a href="/sessions.ics">{t("board-subscribe-calendar")}</a></p>
                    {if !b.signed_in {
                        view! { <p><A href=format!("/login?next=/boards/{id}")>{t("board-follow-login")}</A>{t("board-follow-login-after")}</p> }.into_any()
                    } else {
                        let following = b.following;
                        view! {
                            <ActionForm action=follow attr:class="form">
                                <input type="hidden" name="kind" value="board" />
                                <input type="hidden" name="subject" value=id.to_string() />
                                <input type="hidden" name="follow" value=if following { "0" } else { "1" } />
                                {following.then_some(view! { <p>{t("board-following")}</p> })}
                                <button type="submit" class=if following { "button button-secondary" } else { "button" }>
                                    {if following { t("board-unfollow") } else { t("board-follow") }}
                                </button>
                            </ActionForm>
                        }.into_any()
                    }}
                </section>
            </aside>
        </div>
    }
}

#[component]
fn Members(b: BoardDetail, consent: ServerAction<SetNameConsent>) -> impl IntoView {
    let consent_error = error_of(consent);
    view! {
        <section id="members" aria-labelledby="members-heading">
            <h2 id="members-heading">{t("board-members-heading")}</h2>
            <p>{t_args("board-voting-members", &[("n", &b.voting_members.to_string())])}</p>
            <ErrorSummary error=consent_error form="consent" />
            <ul class="member-list">
                {b.members.iter().map(|m| view! {
                    <li>
                        <strong>{m.name.clone()}</strong>" – "{m.role.title()}
                        {(!m.current).then(|| format!(" ({})", t("board-member-not-current")))}
                        {m.email.clone().map(|e| view! { <span class="meta">{format!(" · {e}")}</span> })}
                        {(!m.public_name && b.can_manage).then(|| view! { <span class="meta">" · "{t("board-member-unnamed")}</span> })}
                    </li>
                }).collect_view()}
            </ul>
            {(b.unnamed_members > 0).then(|| view! {
                <p>{match b.unnamed_members {
                    1 => t("board-unnamed-one"),
                    n => t_args("board-unnamed-other", &[("n", &n.to_string())]),
                }}</p>
            })}
            {b.own_memberships().into_iter().map(|m| {
                let public = m.public_name;
                view! {
                    <ActionForm action=consent attr:class="inline-form">
                        <input type="hidden" name="member" value=m.id.to_string() />
                        <input type="hidden" name="consent" value=if public { "0" } else { "1" } />
                        <p>{if public {
                            t("board-name-public")
                        } else {
                            t("board-name-not-public")
                        }}</p>
                        <button type="submit" class="button button-secondary">
                            {if public { t("board-name-withdraw") } else { t("board-name-consent") }}
                        </button>
                    </ActionForm>
                }
            }).collect_view()}
        </section>
    }
}

/// Board description, members and new sessions, for the chair and staff.
#[component]
fn BoardManagement(b: BoardDetail, reload: RwSignal<u32>) -> impl IntoView {
    let update = ServerAction::<UpdateBoard>::new();
    let add = ServerAction::<AddBoardMember>::new();
    let create = ServerAction::<CreateMeeting>::new();
    reload_on_success(update, reload);
    reload_on_success(add, reload);
    let (update_error, add_error, create_error) =
        (error_of(update), error_of(add), error_of(create));
    let id = b.id;
    let roles: Vec<(String, String)> = Role::ALL
        .into_iter()
        .map(|r| (r.code().to_owned(), r.title()))
        .collect();
    let members = b.members.clone();
    let roles_for_new = roles.clone();
    view! {
        <section id="manage" class="manage" aria-labelledby="manage-heading">
            <h2 id="manage-heading">{t("board-manage-heading")}</h2>
            <details open=move || create_error.get().is_some()>
                <summary>{t("board-new-session")}</summary>
                <ErrorSummary error=create_error form="session" />
                <ActionForm action=create attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="board" value=id.to_string() />
                    <MeetingFields error=create_error />
                    <Submit label=t("board-create-session") pending=create.pending() />
                </ActionForm>
            </details>
            <details open=move || add_error.get().is_some()>
                <summary>{t("board-add-member")}</summary>
                <ErrorSummary error=add_error form="member" />
                <ActionForm action=add attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="board" value=id.to_string() />
                    <Field name="email" form="member" kind="email" label=t("board-field-member-email") hint=t("board-field-member-email-hint") required=true error=add_error />
                    <Select name="role" form="member" label=t("board-field-role") options=roles_for_new selected="member" error=add_error />
                    <Field name="term_from" form="member" kind="date" label=t("board-field-term-from") required=true error=add_error />
                    <Field name="term_to" form="member" kind="date" label=t("board-field-term-to") error=add_error />
                    <Submit label=t("board-add-member-submit") pending=add.pending() />
                </ActionForm>
            </details>
            {members.into_iter().map(|m| view! { <MemberEditor m roles=roles.clone() reload /> }).collect_view()}
            <details open=move || update_error.get().is_some()>
                <summary>{t("board-edit-board")}</summary>
                <ErrorSummary error=update_error form="board" />
                <ActionForm action=update attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="id" value=id.to_string() />
                    <BoardFields error=update_error board=b.clone() />
                    <Submit label=t("board-save") pending=update.pending() />
                </ActionForm>
            </details>
        </section>
    }
}

#[component]
fn MemberEditor(
    m: MemberView,
    roles: Vec<(String, String)>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let update = ServerAction::<UpdateBoardMember>::new();
    let remove = ServerAction::<RemoveBoardMember>::new();
    reload_on_success(update, reload);
    reload_on_success(remove, reload);
    let own = own_error_at(update, &[("member", m.id.to_string())]);
    let form = format!("member-{}", m.id);
    view! {
        <details open=move || own.get().is_some()>
            <summary>{t_args("board-edit-member", &[("name", &m.name), ("role", &m.role.title())])}</summary>
            <ErrorSummary error=own form=form.clone() />
            <ActionForm action=update attr:class="form" attr:novalidate=true>
                <input type="hidden" name="member" value=m.id.to_string() />
                <Select name="role" form=form.clone() label=t("board-field-role") options=roles selected=m.role.code() error=own />
                <Field name="term_from" form=form.clone() kind="date" label=t("board-field-term-from") value=m.term_from.to_string() error=own />
                <Field name="term_to" form=form.clone() kind="date" label=t("board-field-term-to") value=m.term_to.map(|d| d.to_string()).unwrap_or_default() error=own />
                <Submit label=t("board-save") pending=update.pending() />
            </ActionForm>
            <ActionForm action=remove attr:class="inline-form">
                <input type="hidden" name="member" value=m.id.to_string() />
                <button type="submit" class="link-button">{t("board-remove-member")}</button>
            </ActionForm>
        </details>
    }
}

/// The fields of the session form.
#[component]
pub fn MeetingFields(
    error: Signal<Option<AppError>>,
    #[prop(optional, into)] title: String,
    #[prop(optional, into)] starts: String,
    #[prop(optional, into)] ends: String,
    #[prop(optional, into)] address: String,
    #[prop(optional, into)] room: String,
    #[prop(optional, into)] online_url: String,
    #[prop(default = true)] public: bool,
) -> impl IntoView {
    view! {
        <Field name="title" form="session" label=t("board-field-session-title") hint=t("board-field-session-title-hint") required=true value=title maxlength=super::domain::TITLE_MAX_CHARS error />
        <Field name="starts_at" form="session" kind="datetime-local" label=t("board-field-starts") required=true value=starts error />
        <Field name="ends_at" form="session" kind="datetime-local" label=t("board-field-ends") required=true value=ends error />
        <Field name="address" form="session" label=t("board-field-address") hint=t("board-field-address-hint") value=address error />
        <Field name="room" form="session" label=t("board-field-room") value=room error />
        <Field name="online_url" form="session" kind="url" label=t("board-field-online-url") value=online_url error />
        <Checkbox name="public" form="session" label=t("board-field-public-session") checked=public error />
    }
}

/// `/sessions`
#[component]
pub fn MeetingsPage() -> impl IntoView {
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u64>().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1)
    };
    let list = Resource::new(page, |page| list_meetings(Some(page)));
    view! {
        <Title text=t_args("page-title", &[("title", &t("board-sessions"))]) />
        <div class="wrap">
            <h1>{t("board-sessions")}</h1>
            <p><A href="/boards">{t("board-all-boards")}</A>" · "<a href="/sessions.ics">{t("board-subscribe-calendar-ical")}</a></p>
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(l) => {
                            let prev = (l.page > 1).then(|| format!("/sessions?page={}#past", l.page - 1));
                            let next = (l.page < l.pages).then(|| format!("/sessions?page={}#past", l.page + 1));
                            view! {
                                <h2>{t("board-coming")}</h2>
                                {session_list(l.upcoming, t("board-upcoming-none"), true)}
                                <h2 id="past">{t("board-past")}</h2>
                                {session_list(l.past, t("board-past-none"), true)}
                                {(l.pages > 1).then(|| view! {
                                    <nav aria-label=t("board-past-pages") class="pager">
                                        {prev.map(|href| view! { <a href=href rel="prev">{t("board-page-prev")}</a> })}
                                        <span>{format!(" {} ", t_args("board-page-of", &[("page", &l.page.to_string()), ("pages", &l.pages.to_string())]))}</span>
                                        {next.map(|href| view! { <a href=href rel="next">{t("board-page-next")}</a> })}
                                    </nav>
                                })}
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}

/// `/sessions/:id`
#[component]
pub fn MeetingPage() -> impl IntoView {
    let params = use_params_map();
    let thread_query = use_thread_query();
    let reload = RwSignal::new(0u32);
    // The session and its comment thread in one resource (see `use_thread_query`).
    let session = Resource::new(
        move || {
            (
                params
                    .read()
                    .get("id")
                    .and_then(|id| id.parse::<i64>().ok()),
                thread_query.get(),
                reload.get(),
            )
        },
        |(id, at, _)| async move {
            let Some(id) = id else {
                return Err(AppError::NotFound);
            };
            let s = get_meeting(id).await?;
            let thread = if s.card.public {
                load_thread(SubjectKind::Meeting, id, at).await
            } else {
                None
            };
            Ok((s, thread))
        },
    );
    view! {
        <div class="wrap">
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match session.await {
                        Err(e) => not_found(&e, t("board-session"), "/sessions", t("board-back-to-sessions")),
                        Ok((s, thread)) => view! { <Meeting s thread reload /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Meeting(s: MeetingDetail, thread: Option<Thread>, reload: RwSignal<u32>) -> impl IntoView {
    let answer = ServerAction::<AnswerInvitation>::new();
    let cancel = ServerAction::<CancelMeeting>::new();
    reload_on_success(answer, reload);
    reload_on_success(cancel, reload);
    let (answer_error, cancel_error) = (error_of(answer), error_of(cancel));
    let c = s.card.clone();
    let id = c.id;
    let status = c.status;
    let answerable = s.viewer.member_id.is_some()
        && matches!(status, MeetingStatus::Planned | MeetingStatus::Invited);
    view! {
        <Title text=t_args("page-title", &[("title", &format!("{} – {}", c.title, c.board))]) />
        <p class="breadcrumb"><A href="/sessions">{t("board-sessions")}</A>" · "<A href=format!("/boards/{}", c.board_id)>{c.board.clone()}</A></p>
        <h1>{c.title.clone()}</h1>
        <p class="meta">{status_badge(status)}{(!c.public).then(|| t("board-closed-session"))}</p>
        <Notice />
        {c.cancel_reason.clone().map(|r| view! { <p class="hidden-note" role="note">{t_args("board-session-cancelled", &[("reason", &r)])}</p> })}
        <dl class="facts">
            <dt>{t("board-when")}</dt>
            <dd><time datetime=c.starts.format("%Y-%m-%dT%H:%M").to_string()>{when_title(c.starts, c.ends)}</time></dd>
            <dt>{t("board-where")}</dt>
            <dd>
                {[s.address.clone(), s.room.clone()].into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>().join(", ")}
                {s.online_url.clone().map(|u| view! { " "<a href=u.clone() rel="noopener noreferrer">{t("board-join-online")}</a> })}
            </dd>
            {s.quorum.map(|q| view! {
                <dt>{t("board-quorum")}</dt>
                <dd>{if q { t("board-quorate") } else { t("board-not-quorate") }}
                    {s.present_voting.map(|p| format!(" ({})", t_args("board-present-of", &[("present", &p.to_string()), ("voting", &s.voting_members.to_string())])))}
                </dd>
            })}
        </dl>
        <p>
            <a href=format!("/sessions/{id}.ics")>{t("board-add-to-calendar")}</a>
            {(status == MeetingStatus::Published).then(|| view! { " · "<a href=format!("/sessions/{id}/minutes.pdf")>{t("board-minutes-pdf")}</a> })}
            {s.viewer.can_manage.then(|| view! { " · "<A href=format!("/sessions/{id}/manage")>{t("board-run-session")}</A> })}
        </p>
        <EasySummaryBox kind=EasySubject::Meeting id />
        {answerable.then(|| {
            let response = s.viewer.response.clone();
            view! {
                <section class="card" id="invitation" aria-labelledby="invitation-heading">
                    <h2 id="invitation-heading">{t("board-your-attendance")}</h2>
                    <p>{match response.as_deref() {
                        Some("attending") => t("board-answer-attending"),
                        Some("absent") => t("board-answer-absent"),
                        _ => t("board-answer-none"),
                    }}</p>
                    <ErrorSummary error=answer_error form="answer" />
                    <p class="field-error" id="answer-response">{move || answer_error.get().and_then(|e| e.field_message("response"))}</p>
                    <ActionForm action=answer attr:class="inline-form">
                        <input type="hidden" name="id" value=id.to_string() />
                        <input type="hidden" name="response" value="attending" />
                        <button type="submit" class="button">{t("board-attend")}</button>
                    </ActionForm>
                    <ActionForm action=answer attr:class="inline-form">
                        <input type="hidden" name="id" value=id.to_string() />
                        <input type="hidden" name="response" value="absent" />
                        <button type="submit" class="button button-secondary">{t("board-not-attend")}</button>
                    </ActionForm>
                </section>
            }
        })}
        <section id="agenda" aria-labelledby="agenda-heading">
            <h2 id="agenda-heading">{t("board-agenda")}</h2>
            {if s.items.is_empty() {
                view! { <p>{t("board-agenda-none")}</p> }.into_any()
            } else {
                view! {
                    <ol class="agenda">
                        {s.items.clone().into_iter().map(|i| view! { <AgendaItem i /> }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
        {s.minutes_html.clone().map(|html| view! {
            <section id="minutes" aria-labelledby="minutes-heading">
                <h2 id="minutes-heading">{t("board-minutes")}</h2>
                <div class="prose minutes" inner_html=html></div>
            </section>
        })}
        {thread.map(|t| view! { <CommentThread t reload /> }.into_any())}
        {(s.viewer.can_manage && status.cancellable()).then(|| view! {
            <details class="manage" id="cancel" open=move || cancel_error.get().is_some()>
                <summary>{t("board-cancel-session")}</summary>
                <ErrorSummary error=cancel_error form="cancel" />
                <ActionForm action=cancel attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="id" value=id.to_string() />
                    <TextArea name="reason" form="cancel" label=t("board-field-cancel-reason") rows=2 required=true error=cancel_error />
                    <Submit label=t("board-cancel-session") pending=cancel.pending() class="button button-danger" />
                </ActionForm>
            </details>
        })}
    }
}

#[component]
fn AgendaItem(i: ItemView) -> impl IntoView {
    let sub = i.parent_id.is_some();
    view! {
        <li class="agenda-item" class:agenda-sub=sub id=format!("item-{}", i.id)>
            <h3><span class="top-number">{t_args("board-item-number", &[("n", &i.number)])}</span>" "{i.title.clone()}
                {(!i.public).then(|| view! { " "<span class="badge">{t("board-closed")}</span> })}
            </h3>
            {i.visible.then(|| view! {
                <div class="prose" inner_html=i.description_html.clone()></div>
                {i.link.clone().map(|l| view! { <p>{format!("{}: ", l.kind)}<A href=l.href.clone()>{l.title.clone()}</A></p> })}
                {(!i.files.is_empty()).then(|| view! {
                    <ul class="files">
                        {i.files.iter().map(|f| view! {
                            <li><a href=f.href.clone() type=f.content_type.clone()>{f.name.clone()}</a>{format!(" ({})", size_text(f.size))}</li>
                        }).collect_view()}
                    </ul>
                })}
                {(!i.notes_html.is_empty()).then(|| view! { <div class="prose" inner_html=i.notes_html.clone()></div> })}
                {(!i.recommendation_html.is_empty()).then(|| view! {
                    <div class="recommendation"><strong>{t("board-recommendation")}": "</strong><div class="prose" inner_html=i.recommendation_html.clone()></div></div>
                })}
                {i.votes.map(|v| view! {
                    <p class="votes">{t_args("board-vote", &[("votes", &v.title())])}
                        {i.majority.map(|m| format!(" ({})", m.title()))}
                    </p>
                })}
                {i.result.map(|r| view! { <p class=format!("result result-{}", r.code())><strong>{t_args("board-result", &[("result", &r.title())])}</strong></p> })}
            }.into_any())}
        </li>
    }
}

/// "12 Mitglieder"
fn members_text(n: u64) -> String {
    if n == 1 {
        t("board-members-count-one")
    } else {
        t_args("board-members-count-other", &[("n", &n.to_string())])
    }
}

/// "1,2 MB", "340 kB"
pub fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
            .replace('.', &t("board-decimal-separator"))
    } else {
        format!("{} kB", (bytes + 1023) / 1024)
    }
}

impl BoardDetail {
    /// The viewer's own memberships: each member decides about being named.
    fn own_memberships(&self) -> Vec<MemberView> {
        self.members
            .iter()
            .filter(|m| self.own_member_ids.contains(&m.id))
            .cloned()
            .collect()
    }
}
