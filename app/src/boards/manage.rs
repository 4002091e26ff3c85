//! `/sessions/:id/manage`: the chair runs a session — details, invitation, agenda with
//! attachments, attendance and quorum, each item's outcome, and the minutes from draft to
//! publication. Every form works without JavaScript; the server checks the chair's role on
//! each action.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    AddAgendaItem, ApproveMinutes, DeleteAgendaFile, DeleteAgendaItem, DeleteMeeting,
    InviteToMeeting, MoveAgendaItem, PublishMinutes, RecordAttendance, RecordOutcome, SaveMinutes,
    UpdateAgendaItem, UpdateMeeting, get_meeting_manage,
};
use super::domain::{Majority, MeetingStatus, UploadProblem, when_title};
use super::pages::{MeetingFields, error_of, size_text};
use super::{ItemEdit, LinkChoice, MeetingManage};
use crate::components::{
    Checkbox, ErrorSummary, Field, Notice, Select, Submit, TextArea, own_error, own_error_at,
    reload_on_success, returned_field,
};
use crate::error::AppError;
use crate::i18n::{t, t_args};

/// `/sessions/:id/manage`
#[component]
pub fn MeetingManagePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let reload = RwSignal::new(0u32);
    let data = Resource::new(
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
                Some(id) => get_meeting_manage(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <div class="wrap">
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(AppError::Unauthenticated) => {
                            let next = params.read_untracked().get("id").unwrap_or_default();
                            view! {
                                <leptos_router::components::Redirect path=format!("/login?notice=login_required&next=/sessions/{next}/manage") />
                            }.into_any()
                        }
                        Err(e) => {
                            crate::components::page::set_status(e.status());
                            view! {
                                <Title text=t_args("page-title", &[("title", &t("board-run-heading"))]) />
                                <h1>{t("board-run-heading")}</h1>
                                <p>{match e {
                                    AppError::Forbidden => t("board-run-forbidden"),
                                    other => other.message(),
                                }}</p>
                                <p><A href="/sessions">{t("board-back-to-sessions")}</A></p>
                            }.into_any()
                        }
                        Ok(m) => view! { <Manage m reload /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Manage(m: MeetingManage, reload: RwSignal<u32>) -> impl IntoView {
    let c = m.card.clone();
    let id = c.id;
    let status = c.status;
    let query = use_query_map();
    let upload_problem = Signal::derive(move || {
        let q = query.read();
        Some((
            q.get("item")?.parse::<i64>().ok()?,
            UploadProblem::parse(&q.get("problem")?)?,
        ))
    });
    let top_choices: Vec<(String, String)> = std::iter::once((String::new(), t("board-main-item")))
        .chain(m.items.iter().filter(|i| i.parent_id.is_none()).map(|i| {
            (
                i.id.to_string(),
                t_args(
                    "board-sub-item-of",
                    &[("n", &i.number), ("title", &i.title)],
                ),
            )
        }))
        .collect();
    let links = Links {
        proposals: m.proposals.clone(),
        petitions: m.petitions.clone(),
    };
    view! {
        <Title text=t_args("page-title", &[("title", &t_args("board-run-title", &[("title", &c.title)]))]) />
        <p class="breadcrumb">
            <A href=format!("/boards/{}", c.board_id)>{c.board.clone()}</A>" · "
            <A href=format!("/sessions/{id}")>{t("board-public-page")}</A>
        </p>
        <h1>{t_args("board-run-h1", &[("title", &c.title)])}</h1>
        <p class="meta"><span class=format!("badge session-{}", status.code())>{status.title()}</span>{when_title(c.starts, c.ends)}</p>
        <Notice />
        <StatusActions m=m.clone() reload />
        {status.editable().then(|| view! { <Details m=m.clone() reload /> })}
        <section id="agenda" aria-labelledby="agenda-heading">
            <h2 id="agenda-heading">{t("board-agenda")}</h2>
            {if m.items.is_empty() {
                view! { <p>{t("board-items-none")}</p> }.into_any()
            } else {
                view! {
                    <ol class="agenda">
                        {m.items.clone().into_iter().map(|item| view! {
                            <ItemManager item status top=top_choices.clone() links=links.clone() reload upload_problem />
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            {status.editable().then(|| view! { <NewItem id top=top_choices.clone() links=links.clone() reload /> })}
        </section>
        {status.records_outcomes().then(|| view! { <Attendance m=m.clone() reload /> })}
        {matches!(status, MeetingStatus::Held).then(|| view! { <Minutes m=m.clone() reload /> })}
    }
}

#[component]
fn StatusActions(m: MeetingManage, reload: RwSignal<u32>) -> impl IntoView {
    let invite = ServerAction::<InviteToMeeting>::new();
    let delete = ServerAction::<DeleteMeeting>::new();
    reload_on_success(invite, reload);
    let (invite_error, delete_error) = (error_of(invite), error_of(delete));
    let id = m.card.id;
    let status = m.card.status;
    view! {
        <section id="status" class="card" aria-labelledby="status-heading">
            <h2 id="status-heading">{t("board-status-heading")}</h2>
            <p>{match status {
                MeetingStatus::Planned => t("board-status-planned"),
                MeetingStatus::Invited => t("board-status-invited"),
                MeetingStatus::Held => t("board-status-held"),
                MeetingStatus::Published => t("board-status-published"),
                MeetingStatus::Cancelled => t("board-status-cancelled"),
            }}</p>
            <ErrorSummary error=invite_error form="invite" />
            {matches!(status, MeetingStatus::Planned | MeetingStatus::Invited).then(|| view! {
                <ActionForm action=invite attr:class="inline-form">
                    <input type="hidden" name="id" value=id.to_string() />
                    <p class="field-error" id="invite-invite">{move || invite_error.get().and_then(|e| e.field_message("invite"))}</p>
                    <Submit label=if status == MeetingStatus::Planned { t("board-invite") } else { t("board-invite-again") } pending=invite.pending() />
                </ActionForm>
            })}
            {(status == MeetingStatus::Planned).then(|| view! {
                <ErrorSummary error=delete_error form="delete" />
                <p class="field-error" id="delete-delete">{move || delete_error.get().and_then(|e| e.field_message("delete"))}</p>
                <ActionForm action=delete attr:class="inline-form">
                    <input type="hidden" name="id" value=id.to_string() />
                    <button type="submit" class="link-button">{t("board-delete-session")}</button>
                </ActionForm>
            })}
            {status.cancellable().then(|| view! {
                <p><A href=format!("/sessions/{id}#cancel")>{t("board-cancel-session-more")}</A></p>
            })}
        </section>
    }
}

#[component]
fn Details(m: MeetingManage, reload: RwSignal<u32>) -> impl IntoView {
    let update = ServerAction::<UpdateMeeting>::new();
    reload_on_success(update, reload);
    let error = error_of(update);
    view! {
        <details id="details" open=move || error.get().is_some()>
            <summary>{t("board-edit-session")}</summary>
            <ErrorSummary error form="session" />
            <ActionForm action=update attr:class="form" attr:novalidate=true>
                <input type="hidden" name="id" value=m.card.id.to_string() />
                <MeetingFields error title=m.card.title.clone() starts=m.starts_input.clone() ends=m.ends_input.clone()
                    address=m.address.clone() room=m.room.clone() online_url=m.online_url.clone() public=m.card.public />
                <Submit label=t("board-save") pending=update.pending() />
            </ActionForm>
        </details>
    }
}

#[derive(Clone)]
struct Links {
    proposals: Vec<LinkChoice>,
    petitions: Vec<LinkChoice>,
}

fn link_options(choices: &[LinkChoice]) -> Vec<(String, String)> {
    std::iter::once((String::new(), t("board-link-none")))
        .chain(choices.iter().map(|c| (c.id.to_string(), c.title.clone())))
        .collect()
}

/// The fields of an agenda item.
#[component]
fn ItemFields(
    form: String,
    error: Signal<Option<AppError>>,
    top: Vec<(String, String)>,
    links: Links,
    #[prop(optional)] item: Option<ItemEdit>,
) -> impl IntoView {
    let i = item.as_ref();
    let top: Vec<(String, String)> = top
        .into_iter()
        .filter(|(v, _)| i.is_none_or(|i| *v != i.id.to_string()))
        .collect();
    view! {
        <Field name="title" form=form.clone() label=t("board-field-item-title") required=true maxlength=super::domain::ITEM_TITLE_MAX_CHARS value=i.map(|i| i.title.clone()).unwrap_or_default() error />
        <TextArea name="description" form=form.clone() label=t("board-field-item-description") rows=3 value=i.map(|i| i.description.clone()).unwrap_or_default() error />
        <Select name="parent" form=form.clone() label=t("board-field-parent") options=top selected=i.and_then(|i| i.parent_id).map(|p| p.to_string()).unwrap_or_default() error />
        <Select name="proposal" form=form.clone() label=t("board-field-proposal") options=link_options(&links.proposals) selected=i.and_then(|i| i.proposal_id).map(|p| p.to_string()).unwrap_or_default() error />
        <Select name="petition" form=form.clone() label=t("board-field-petition") options=link_options(&links.petitions) selected=i.and_then(|i| i.petition_id).map(|p| p.to_string()).unwrap_or_default() error />
        <Checkbox name="public" form=form.clone() label=t("board-field-item-public") checked=i.is_none_or(|i| i.public) error />
    }
}

#[component]
fn NewItem(
    id: i64,
    top: Vec<(String, String)>,
    links: Links,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let add = ServerAction::<AddAgendaItem>::new();
    reload_on_success(add, reload);
    let error = error_of(add);
    view! {
        <section class="card" aria-labelledby="new-item-heading">
            <h3 id="new-item-heading">{t("board-add-item")}</h3>
            <ErrorSummary error form="item" />
            <ActionForm action=add attr:class="form" attr:novalidate=true>
                <input type="hidden" name="session" value=id.to_string() />
                <ItemFields form="item".into() error top links />
                <Submit label=t("board-add-item-submit") pending=add.pending() />
            </ActionForm>
        </section>
    }
}

#[component]
fn ItemManager(
    item: ItemEdit,
    status: MeetingStatus,
    top: Vec<(String, String)>,
    links: Links,
    reload: RwSignal<u32>,
    upload_problem: Signal<Option<(i64, UploadProblem)>>,
) -> impl IntoView {
    let update = ServerAction::<UpdateAgendaItem>::new();
    let moving = ServerAction::<MoveAgendaItem>::new();
    let delete = ServerAction::<DeleteAgendaItem>::new();
    let outcome = ServerAction::<RecordOutcome>::new();
    let delete_file = ServerAction::<DeleteAgendaFile>::new();
    reload_on_success(update, reload);
    reload_on_success(moving, reload);
    reload_on_success(delete, reload);
    reload_on_success(outcome, reload);
    reload_on_success(delete_file, reload);
    let at_item = || [("item", item.id.to_string())];
    let (update_error, outcome_error) = (
        own_error_at(update, &at_item()),
        own_error_at(outcome, &at_item()),
    );
    // Moving, removing and removing files say why they did not happen, at the item (a
    // file's removal names the file: the item that lists it shows the error).
    let file_came_back =
        returned_field("file").filter(|f| item.files.iter().any(|file| file.id.to_string() == *f));
    let (move_error, delete_error, file_error) = (
        own_error_at(moving, &at_item()),
        own_error_at(delete, &at_item()),
        match file_came_back {
            Some(file) => own_error_at(delete_file, &[("file", file)]),
            None => own_error(delete_file),
        },
    );
    let tool_error = Signal::derive(move || {
        move_error
            .get()
            .or_else(|| delete_error.get())
            .or_else(|| file_error.get())
            .map(|e| match &e {
                AppError::Validation { fields } => fields
                    .first()
                    .map(|f| f.message.clone())
                    .unwrap_or_else(|| e.message()),
                _ => e.message(),
            })
    });
    let item_id = item.id;
    let form = format!("item-{item_id}");
    let outcome_form = format!("outcome-{item_id}");
    let file_form = format!("file-{item_id}");
    let problem = Signal::derive(move || {
        upload_problem
            .get()
            .filter(|(i, _)| *i == item_id)
            .map(|(_, p)| p.message())
    });
    let majorities: Vec<(String, String)> = std::iter::once((String::new(), t("board-choose")))
        .chain(Majority::ALL.into_iter().map(|m| {
            (
                m.code().to_owned(),
                format!("{} ({})", m.title(), m.explanation_title()),
            )
        }))
        .collect();
    let votes = item.votes;
    let editable = status.editable();
    let n = item.number.clone();
    let (n1, n2, n3, n4, n5) = (n.clone(), n.clone(), n.clone(), n.clone(), n.clone());
    let sub = item.parent_id.is_some();
    let files = item.files.clone();
    let edit_item = item.clone();
    let notes = item.notes.clone();
    let recommendation = item.recommendation.clone();
    let majority_now = item
        .majority
        .map(|m| m.code().to_owned())
        .unwrap_or_default();
    let postponed = item.result == Some(super::domain::ItemResult::Postponed) && votes.is_none();
    view! {
        <li class="agenda-item card" class:agenda-sub=sub id=format!("item-{item_id}")>
            <h3><span class="top-number">{t_args("board-item-number", &[("n", &n)])}</span>" "{item.title.clone()}
                {(!item.public).then(|| view! { " "<span class="badge">{t("board-closed")}</span> })}
            </h3>
            {item.result.map(|r| view! { <p class=format!("result result-{}", r.code())><strong>{t_args("board-result", &[("result", &r.title())])}</strong>
                {votes.map(|v| format!(" ({})", v.title()))}</p> })}
            {move || tool_error.get().map(|m| view! { <p class="error-summary" role="alert">{m}</p> })}
            {editable.then(move || view! {
                <div class="item-tools">
                    <ActionForm action=moving attr:class="inline-form">
                        <input type="hidden" name="item" value=item_id.to_string() />
                        <input type="hidden" name="direction" value="up" />
                        <button type="submit" class="link-button">{t_args("board-item-up", &[("n", &n1)])}</button>
                    </ActionForm>
                    <ActionForm action=moving attr:class="inline-form">
                        <input type="hidden" name="item" value=item_id.to_string() />
                        <input type="hidden" name="direction" value="down" />
                        <button type="submit" class="link-button">{t_args("board-item-down", &[("n", &n2)])}</button>
                    </ActionForm>
                    <ActionForm action=delete attr:class="inline-form">
                        <input type="hidden" name="item" value=item_id.to_string() />
                        <button type="submit" class="link-button">{t_args("board-item-remove", &[("n", &n3)])}</button>
                    </ActionForm>
                </div>
                <details open=move || update_error.get().is_some()>
                    <summary>{t_args("board-item-edit", &[("n", &n4)])}</summary>
                    <ErrorSummary error=update_error form=form.clone() />
                    <ActionForm action=update attr:class="form" attr:novalidate=true>
                        <input type="hidden" name="item" value=item_id.to_string() />
                        <ItemFields form=form.clone() error=update_error top=top.clone() links=links.clone() item=edit_item />
                        <Submit label=t("board-save") pending=update.pending() />
                    </ActionForm>
                </details>
            }.into_any())}
            <div class="files">
                <h4>{t("board-files")}</h4>
                {if files.is_empty() {
                    view! { <p>{t("board-files-none")}</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {files.into_iter().map(|f| {
                                let fid = f.id;
                                let remove_label = t_args("board-file-remove", &[("name", &f.name)]);
                                view! {
                                    <li>
                                        <a href=f.href.clone()>{f.name.clone()}</a>{format!(" ({}) ", size_text(f.size))}
                                        {editable.then(move || view! {
                                            <ActionForm action=delete_file attr:class="inline-form">
                                                <input type="hidden" name="file" value=fid.to_string() />
                                                <button type="submit" class="link-button">{remove_label}</button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                {editable.then(|| view! {
                    // A plain form: files go straight to the upload route, with or without JavaScript.
                    <form method="post" enctype="multipart/form-data" action=format!("/sessions/items/{item_id}/files") class="form">
                        <div class="field" class:field-invalid=move || problem.get().is_some()>
                            <label for=format!("{file_form}-file")>{t("board-file-upload-label")}</label>
                            {move || problem.get().map(|p| view! { <p class="field-error" id=format!("file-{item_id}-error") role="alert">{p}</p> })}
                            <input id=format!("{file_form}-file") type="file" name="file" accept="application/pdf,image/png,image/jpeg,image/gif,image/webp"
                                aria-invalid=move || problem.get().is_some().then_some("true")
                                aria-describedby=move || problem.get().is_some().then(|| format!("file-{item_id}-error")) />
                        </div>
                        <button type="submit" class="button button-secondary">{t("board-file-upload")}</button>
                    </form>
                })}
            </div>
            {status.records_outcomes().then(move || view! {
                <details open=move || outcome_error.get().is_some()>
                    <summary>{t_args("board-outcome-record", &[("n", &n5)])}</summary>
                    <ErrorSummary error=outcome_error form=outcome_form.clone() />
                    <ActionForm action=outcome attr:class="form" attr:novalidate=true>
                        <input type="hidden" name="item" value=item_id.to_string() />
                        <TextArea name="notes" form=outcome_form.clone() label=t("board-field-notes") rows=3 value=notes error=outcome_error />
                        <TextArea name="recommendation" form=outcome_form.clone() label=t("board-field-recommendation") rows=3 value=recommendation error=outcome_error />
                        <fieldset class="votes">
                            <legend>{t("board-vote-legend")}</legend>
                            <Field name="votes_yes" form=outcome_form.clone() kind="number" label=t("board-field-yes") value=votes.map(|v| v.yes.to_string()).unwrap_or_default() error=outcome_error />
                            <Field name="votes_no" form=outcome_form.clone() kind="number" label=t("board-field-no") value=votes.map(|v| v.no.to_string()).unwrap_or_default() error=outcome_error />
                            <Field name="votes_abstain" form=outcome_form.clone() kind="number" label=t("board-field-abstain") value=votes.map(|v| v.abstain.to_string()).unwrap_or_default() error=outcome_error />
                        </fieldset>
                        <Select name="majority" form=outcome_form.clone() label=t("board-field-majority") options=majorities selected=majority_now error=outcome_error />
                        <Checkbox name="postpone" form=outcome_form.clone() label=t("board-field-postpone") checked=postponed error=outcome_error />
                        <Submit label=t("board-outcome-save") pending=outcome.pending() />
                    </ActionForm>
                </details>
            })}
        </li>
    }
}

#[component]
fn Attendance(m: MeetingManage, reload: RwSignal<u32>) -> impl IntoView {
    let record = ServerAction::<RecordAttendance>::new();
    reload_on_success(record, reload);
    let error = error_of(record);
    let quorum_options = vec![
        (
            String::new(),
            t_args(
                "board-quorum-by-count",
                &[("voting", &m.voting_members.to_string())],
            ),
        ),
        ("yes".to_owned(), t("board-quorate")),
        ("no".to_owned(), t("board-not-quorate")),
    ];
    let selected = match m.quorum {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    };
    view! {
        <section id="attendance" aria-labelledby="attendance-heading">
            <h2 id="attendance-heading">{t("board-attendance-heading")}</h2>
            {m.quorum.map(|q| view! {
                <p>{t_args(
                    "board-attendance-recorded",
                    &[
                        ("present", &m.present_voting.to_string()),
                        ("voting", &m.voting_members.to_string()),
                        ("quorum", &if q { t("board-quorate") } else { t("board-not-quorate") }),
                    ],
                )}</p>
            })}
            <ErrorSummary error form="attendance" />
            <ActionForm action=record attr:class="form" attr:novalidate=true>
                <input type="hidden" name="id" value=m.card.id.to_string() />
                <fieldset id="attendance-present">
                    <legend>{t("board-present")}</legend>
                    {m.attendance.iter().enumerate().map(|(n, a)| {
                        let checked = a.present.unwrap_or(a.response.as_deref() == Some("attending"));
                        let input_id = format!("present-{}", a.member_id);
                        view! {
                            <div class="field field-check">
                                <input type="checkbox" id=input_id.clone() name=format!("present[{n}]") value=a.member_id.to_string() checked=checked />
                                <label for=input_id>
                                    {format!("{} ({})", a.name, a.role.title())}
                                    <span class="meta">{match a.response.as_deref() {
                                        Some("attending") => format!(" – {}", t("board-has-accepted")),
                                        Some("absent") => format!(" – {}", t("board-has-declined")),
                                        _ => String::new(),
                                    }}</span>
                                </label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <Select name="quorum" form="attendance" label=t("board-quorum") options=quorum_options selected=selected error />
                <Submit label=t("board-attendance-save") pending=record.pending() />
            </ActionForm>
        </section>
    }
}

#[component]
fn Minutes(m: MeetingManage, reload: RwSignal<u32>) -> impl IntoView {
    let save = ServerAction::<SaveMinutes>::new();
    let approve = ServerAction::<ApproveMinutes>::new();
    let publish = ServerAction::<PublishMinutes>::new();
    reload_on_success(save, reload);
    reload_on_success(approve, reload);
    let (save_error, approve_error, publish_error) =
        (error_of(save), error_of(approve), error_of(publish));
    let id = m.card.id;
    view! {
        <section id="minutes" aria-labelledby="minutes-heading">
            <h2 id="minutes-heading">{t("board-minutes")}</h2>
            <p>{match (m.minutes_saved, m.minutes_approved) {
                (false, _) => t("board-minutes-draft"),
                (true, false) => t("board-minutes-saved"),
                (true, true) => t("board-minutes-approved"),
            }}</p>
            <ErrorSummary error=save_error form="minutes" />
            <ActionForm action=save attr:class="form" attr:novalidate=true>
                <input type="hidden" name="id" value=id.to_string() />
                <TextArea name="minutes" form="minutes" label=t("board-field-minutes") rows=18 value=m.minutes.clone() error=save_error />
                <Submit label=t("board-minutes-save") pending=save.pending() />
            </ActionForm>
            {(m.minutes_saved && !m.minutes_approved).then(|| view! {
                <ErrorSummary error=approve_error form="approve" />
                <p class="field-error" id="approve-approve">{move || approve_error.get().and_then(|e| e.field_message("approve"))}</p>
                <ActionForm action=approve attr:class="inline-form">
                    <input type="hidden" name="id" value=id.to_string() />
                    <Submit label=t("board-minutes-approve") pending=approve.pending() />
                </ActionForm>
            })}
            {m.minutes_approved.then(|| view! {
                <ErrorSummary error=publish_error form="publish" />
                <p class="field-error" id="publish-publish">{move || publish_error.get().and_then(|e| e.field_message("publish"))}</p>
                <ActionForm action=publish attr:class="inline-form">
                    <input type="hidden" name="id" value=id.to_string() />
                    <Submit label=t("board-minutes-publish") pending=publish.pending() />
                </ActionForm>
            })}
        </section>
    }
}
