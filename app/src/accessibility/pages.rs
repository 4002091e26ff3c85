//! `/barrierefreiheit` (statement and feedback form), `/leichte-sprache`, the staff queue
//! `/staff/feedback` and the administration's `/admin/accessibility`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::api::{
    DeleteSignVideo, FeedbackStep as FeedbackStepAction, SaveAccessibilityStatement,
    SaveEasyLanguage, SaveEasySummary, SendBarrierFeedback, get_accessibility_statement,
    get_easy_language, get_easy_language_text, get_easy_summary, get_feedback_queue,
    get_sign_videos, get_statement_form,
};
use super::{
    Compliance, EasySubject, FeedbackItem, FeedbackStatus, SignTopic, SignVideo, VideoProblem,
};
use crate::accounts::Me;
use crate::admin::pages::{AdminNav, AdminOnly};
use crate::components::{ErrorSummary, Field, Notice, Restricted, Select, Submit, TextArea};
use crate::i18n::{current_lang, t, t_args};
use crate::time::{german_date_text, german_datetime_text};

/// `/barrierefreiheit`: the statement in the parts of the EU model, then the feedback form.
#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let statement = Resource::new(|| (), |_| get_accessibility_statement());
    view! {
        <Title text=t_args("page-title", &[("title", &t("a11y-statement-title"))]) />
        <div class="wrap prose">
            <h1>{t("a11y-statement-title")}</h1>
            {(current_lang().code != "de").then(|| view! { <p class="hint">{t("a11y-statement-german")}</p> })}
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match statement.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(s) => view! {
                            <div lang="de">
                            <p>{format!("Die {} ist bemüht, ihre Beteiligungsplattform Dorfplatz im Einklang mit dem Behindertengleichstellungsrecht des Bundes und des Landes barrierefrei zugänglich zu machen (Richtlinie (EU) 2016/2102, BGG § 12b, BITV 2.0 und die Regeln des Landes). Diese Erklärung gilt für diese Website.", s.municipality)}</p>
                            <h2>"Stand der Vereinbarkeit mit den Anforderungen"</h2>
                            <p>{s.compliance.sentence()}</p>
                            <h2>"Nicht barrierefreie Inhalte"</h2>
                            <div inner_html=s.non_accessible_html></div>
                            <h2>"Erstellung dieser Erklärung"</h2>
                            <p>{format!("Diese Erklärung wurde am {} erstellt und zuletzt am {} überprüft.", german_date_text(s.prepared_on), german_date_text(s.reviewed_on))}</p>
                            <div inner_html=s.method_html></div>
                            <h2>"Barrieren melden: Kontakt und Rückmeldung"</h2>
                            <p>{format!("Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen? Dann schreiben Sie uns über das Formular unten oder an die genannte Stelle. Wir antworten in der Regel innerhalb von {} Tagen.", s.due_days)}</p>
                            <div inner_html=s.contact_html></div>
                            <h2>"Schlichtungsverfahren"</h2>
                            <div inner_html=s.enforcement_html></div>
                            </div>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <FeedbackForm />
            <p><A href="/leichte-sprache">{t("a11y-easy-title")}</A></p>
        </div>
    }
}

#[component]
fn FeedbackForm() -> impl IntoView {
    let action = ServerAction::<SendBarrierFeedback>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    // After a report went in (with JavaScript), the form starts empty again.
    let sent = RwSignal::new(0u32);
    crate::components::reload_on_success(action, sent);
    view! {
        <section id="feedback" aria-labelledby="feedback-heading" class="card">
            <h2 id="feedback-heading">{t("a11y-feedback-heading")}</h2>
            <p>{t("a11y-feedback-intro")}</p>
            <Notice />
            <ErrorSummary error form="feedback" />
            {move || { sent.get(); view! {
            <ActionForm action attr:class="form" attr:novalidate=true>
                <TextArea name="description" form="feedback" label=t("a11y-feedback-description") required=true rows=6
                    maxlength=super::DESCRIPTION_MAX_CHARS
                    hint=t("a11y-feedback-description-hint") error />
                <Field name="page" form="feedback" label=t("a11y-feedback-page") maxlength=500usize
                    hint=t("a11y-feedback-page-hint") error />
                <Field name="name" form="feedback" label=t("a11y-feedback-name") autocomplete="name" maxlength=100usize error />
                <Field name="email" form="feedback" kind="email" label=t("a11y-feedback-email") autocomplete="email" maxlength=254usize error />
                <p class="hint">{t("a11y-feedback-privacy")}</p>
                <Submit label=t("a11y-feedback-send") pending=action.pending() />
            </ActionForm>
            }}}
        </section>
    }
}

/// `/leichte-sprache`
#[component]
pub fn EasyLanguagePage() -> impl IntoView {
    let text = Resource::new(|| (), |_| get_easy_language());
    view! {
        <Title text=t_args("page-title", &[("title", &t("a11y-easy-page-title"))]) />
        <div class="wrap prose easy-language">
            <h1>{t("a11y-easy-title")}</h1>
            {(current_lang().code != "de").then(|| view! { <p class="hint">{t("a11y-easy-german")}</p> })}
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match text.await {
                        // Markdown rendered and sanitized on the server (ammonia).
                        Ok(v) => view! {
                            <div lang="de">
                            <div inner_html=v.html></div>
                            {(!v.entries.is_empty()).then(|| view! {
                                <h2>"Diese Seiten gibt es auch in Leichter Sprache"</h2>
                                {EasySubject::ALL.into_iter().map(|kind| {
                                    let of_kind: Vec<_> = v.entries.iter().filter(|e| e.subject == kind).cloned().collect();
                                    (!of_kind.is_empty()).then(|| view! {
                                        <h3>{kind.group()}</h3>
                                        <ul>
                                            {of_kind.into_iter().map(|e| view! {
                                                <li><A href=format!("{}#easy-summary", e.href)>{e.title}</A></li>
                                            }).collect_view()}
                                        </ul>
                                    })
                                }).collect_view()}
                            })}
                            </div>
                        }.into_any(),
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <p><A href="/barrierefreiheit">{t("a11y-easy-to-statement")}</A></p>
        </div>
    }
}

/// `/staff/feedback`
#[component]
pub fn FeedbackQueuePage() -> impl IntoView {
    view! {
        <Title text=t_args("page-title", &[("title", &t("a11y-queue-title"))]) />
        <div class="wrap">
            <Restricted next="/staff/feedback" allow=Me::is_staff denial=t("a11y-queue-denial")>
                <Queue />
            </Restricted>
        </div>
    }
}

#[component]
fn Queue() -> impl IntoView {
    // Each report has its own forms; this page-level action only shows what a form sent
    // without JavaScript brought back in the address.
    let page_action = ServerAction::<FeedbackStepAction>::new();
    // Silent when a report's form came back with its input: the report shows the error.
    let at_report = crate::components::returned_field("id").is_some();
    let page_error = Signal::derive(move || {
        (!at_report)
            .then(|| page_action.value().get().and_then(|r| r.err()))
            .flatten()
    });
    let reload = RwSignal::new(0u32);
    let queue = Resource::new(move || reload.get(), |_| get_feedback_queue());
    view! {
        <h1>{t("a11y-queue-title")}</h1>
        <p class="lead">{t("a11y-queue-lead")}</p>
        <Notice />
        <ErrorSummary error=page_error form="feedback-step" />
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match queue.await {
                    Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    Ok(q) => {
                        let overdue = q.new.iter().filter(|f| f.overdue).count();
                        view! {
                            <p>{t_args("a11y-queue-due", &[("days", &q.due_days.to_string())])}
                                {(overdue > 0).then(|| format!(" {}", t_args("a11y-queue-overdue", &[("count", &overdue.to_string())])))}</p>
                            <section aria-labelledby="new-heading">
                                <h2 id="new-heading">{t_args("a11y-queue-new", &[("count", &q.new.len().to_string())])}</h2>
                                {q.new.is_empty().then(|| view! { <p>{t("a11y-queue-none-open")}</p> })}
                                {q.new.into_iter().map(|item| view! { <Report item reload /> }).collect_view()}
                            </section>
                            <section aria-labelledby="answered-heading">
                                <h2 id="answered-heading">{t_args("a11y-queue-answered", &[("count", &q.answered.len().to_string())])}</h2>
                                {q.answered.is_empty().then(|| view! { <p>{t("a11y-queue-none")}</p> })}
                                {q.answered.into_iter().map(|item| view! { <Report item reload /> }).collect_view()}
                            </section>
                            <section aria-labelledby="closed-heading">
                                <h2 id="closed-heading">{t_args("a11y-queue-closed", &[("count", &q.closed.len().to_string())])}</h2>
                                {q.closed.is_empty().then(|| view! { <p>{t("a11y-queue-none")}</p> })}
                                {q.closed.into_iter().map(|item| view! { <Report item reload /> }).collect_view()}
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Report(item: FeedbackItem, reload: RwSignal<u32>) -> impl IntoView {
    use crate::components::{own_error_at, reload_on_success};
    let answer = ServerAction::<FeedbackStepAction>::new();
    let other = ServerAction::<FeedbackStepAction>::new();
    reload_on_success(answer, reload);
    reload_on_success(other, reload);
    let id = item.id.to_string();
    let error = own_error_at(answer, &[("id", id.clone()), ("step", "answer".into())]);
    let other_step = if item.status == FeedbackStatus::Closed {
        "reopen"
    } else {
        "close"
    };
    let other_error = own_error_at(other, &[("id", id.clone()), ("step", other_step.into())]);
    let heading_id = format!("feedback-{}", item.id);
    let labelled_by = heading_id.clone();
    let form = format!("answer-{}", item.id);
    let answer_id = id.clone();
    let who = match (&item.name, &item.email) {
        (Some(n), Some(e)) => format!("{n} <{e}>"),
        (Some(n), None) => t_args("a11y-report-no-email", &[("name", n.as_str())]),
        (None, Some(e)) => e.clone(),
        (None, None) => t("a11y-report-anonymous"),
    };
    let can_answer = item.status != FeedbackStatus::Closed;
    let answer_label = if item.email.is_some() {
        t("a11y-report-answer-mail")
    } else {
        t("a11y-report-answer-note")
    };
    view! {
        <article class="card moderation-item feedback-item" class:overdue=item.overdue aria-labelledby=labelled_by>
            <h3 id=heading_id>{t_args("a11y-report-heading", &[("date", &german_datetime_text(item.received_at))])}</h3>
            <p class="meta">
                {format!("{} · {}", who, item.status.title())}
                {item.page.clone().map(|p| format!(" · {}", t_args("a11y-report-page", &[("page", &p)])))}
            </p>
            {if item.overdue {
                view! { <p class="badge badge-warning">{t_args("a11y-report-overdue", &[("date", &german_date_text(item.due_on))])}</p> }.into_any()
            } else if item.status == FeedbackStatus::New {
                view! { <p class="meta">{t_args("a11y-report-due", &[("date", &german_date_text(item.due_on))])}</p> }.into_any()
            } else {
                ().into_any()
            }}
            <blockquote class="moderation-text">{item.description.clone()}</blockquote>
            {item.answer.clone().map(|a| view! {
                <h4>{t("a11y-report-answer")}</h4>
                <p class="meta">{format!("{}{}",
                    item.answered_at.map(german_datetime_text).unwrap_or_default(),
                    item.answered_by.clone().map(|n| format!(", {n}")).unwrap_or_default())}</p>
                <blockquote>{a}</blockquote>
            })}
            {item.closed_at.map(|c| view! { <p class="meta">{t_args("a11y-report-closed-on", &[("date", &german_datetime_text(c))])}</p> })}
            <ErrorSummary error form=form.clone() />
            {can_answer.then(|| view! {
                <ActionForm action=answer attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="id" value=answer_id.clone() />
                    <input type="hidden" name="step" value="answer" />
                    <TextArea name="answer" form=form.clone() label=answer_label rows=4 required=true error />
                    <Submit label=if item.answer.is_some() { t("a11y-report-change-answer") } else { t("a11y-report-send-answer") } pending=answer.pending() />
                </ActionForm>
            })}
            <ErrorSummary error=other_error form=format!("step-{}", item.id) />
            <ActionForm action=other attr:class="inline-form">
                <input type="hidden" name="id" value=id.clone() />
                {if item.status == FeedbackStatus::Closed {
                    view! {
                        <input type="hidden" name="step" value="reopen" />
                        <button type="submit" class="button button-secondary">{t("a11y-report-reopen")}</button>
                    }.into_any()
                } else {
                    view! {
                        <input type="hidden" name="step" value="close" />
                        <button type="submit" class="button button-secondary">{t("a11y-report-close")}</button>
                    }.into_any()
                }}
            </ActionForm>
        </article>
    }
}

/// `/admin/accessibility`: the statement's parts and the Leichte Sprache text.
#[component]
pub fn AdminAccessibilityPage() -> impl IntoView {
    view! {
        <Title text=t_args("page-title", &[("title", &t("a11y-admin-title"))]) />
        <div class="wrap">
            <AdminOnly next="/admin/accessibility">
                <h1>{t("a11y-admin-heading")}</h1>
                <AdminNav />
                <Notice />
                <StatementForm />
                <EasyLanguageForm />
                <VideosAdmin />
            </AdminOnly>
        </div>
    }
}

#[component]
fn StatementForm() -> impl IntoView {
    let action = ServerAction::<SaveAccessibilityStatement>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let current = Resource::new(move || action.version().get(), |_| get_statement_form());
    view! {
        <section aria-labelledby="statement-heading">
            <h2 id="statement-heading">{t("a11y-statement-title")}</h2>
            <p>{t("a11y-admin-statement-intro")}" "<A href="/barrierefreiheit">{t("a11y-admin-view-public")}</A></p>
            <ErrorSummary error form="statement" />
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match current.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(s) => view! {
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <Select name="compliance" form="statement" label=t("a11y-admin-compliance")
                                    options=Compliance::ALL.iter().map(|c| (c.code().to_owned(), c.title())).collect()
                                    selected=s.compliance.code().to_owned() error />
                                <TextArea name="non_accessible" form="statement" label=t("a11y-admin-non-accessible") required=true rows=10
                                    hint=t("a11y-admin-non-accessible-hint")
                                    value=s.non_accessible error />
                                <TextArea name="method" form="statement" label=t("a11y-admin-method") required=true rows=4
                                    hint=t("a11y-admin-method-hint") value=s.method error />
                                <Field name="prepared_on" form="statement" kind="date" label=t("a11y-admin-prepared-on") required=true value=s.prepared_on.to_string() error />
                                <Field name="reviewed_on" form="statement" kind="date" label=t("a11y-admin-reviewed-on") required=true value=s.reviewed_on.to_string() error />
                                <TextArea name="contact" form="statement" label=t("a11y-admin-contact") required=true rows=5
                                    hint=t("a11y-admin-contact-hint") value=s.contact error />
                                <TextArea name="enforcement" form="statement" label=t("a11y-admin-enforcement") required=true rows=6
                                    hint=t("a11y-admin-enforcement-hint") value=s.enforcement error />
                                <Field name="due_days" form="statement" kind="number" inputmode="numeric" label=t("a11y-admin-due-days") required=true
                                    hint=t("a11y-admin-due-days-hint") value=s.due_days.to_string() error />
                                <Submit label=t("a11y-admin-save-statement") pending=action.pending() />
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn EasyLanguageForm() -> impl IntoView {
    let action = ServerAction::<SaveEasyLanguage>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let current = Resource::new(move || action.version().get(), |_| get_easy_language_text());
    view! {
        <section aria-labelledby="easy-heading">
            <h2 id="easy-heading">{t("a11y-easy-page-title")}</h2>
            <p>{t("a11y-admin-easy-before")}" "<A href="/leichte-sprache">{t("a11y-easy-page-title")}</A>{t("a11y-admin-easy-after")}</p>
            <ErrorSummary error form="easy" />
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match current.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(text) => view! {
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <TextArea name="text" form="easy" label=t("a11y-admin-easy-text") required=true rows=20 value=text error />
                                <Submit label=t("a11y-admin-easy-save") pending=action.pending() />
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/gebaerdensprache`: the four points of BITV 2.0 § 4 as videos in Deutsche
/// Gebärdensprache, each with captions (where uploaded) and a transcript.
#[component]
pub fn SignLanguagePage() -> impl IntoView {
    let videos = Resource::new(|| (), |_| get_sign_videos());
    view! {
        <Title text=t_args("page-title", &[("title", &t("a11y-sign-title"))]) />
        <div class="wrap prose">
            <h1>{t("a11y-sign-heading")}</h1>
            <p>{t("a11y-sign-intro")}</p>
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match videos.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <h2>{t("a11y-sign-none-heading")}</h2>
                            <p>{t("a11y-sign-none")}</p>
                            <p class="actions">
                                <A href="/leichte-sprache" attr:class="button button-secondary">{t("a11y-easy-page-title")}</A>
                                <A href="/barrierefreiheit#feedback" attr:class="button button-secondary">{t("a11y-sign-write")}</A>
                            </p>
                        }.into_any(),
                        Ok(list) => SignTopic::ALL.into_iter().map(|topic| {
                            let of_topic: Vec<SignVideo> = list.iter().filter(|v| v.topic == topic).cloned().collect();
                            (!of_topic.is_empty()).then(|| view! {
                                <section aria-labelledby=format!("topic-{}", topic.code())>
                                    <h2 id=format!("topic-{}", topic.code())>{topic.title()}</h2>
                                    {of_topic.into_iter().map(|v| view! { <Video v /> }).collect_view()}
                                </section>
                            })
                        }).collect_view().into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Video(v: SignVideo) -> impl IntoView {
    let src = format!("/media/sign/{}", v.id);
    let captions = v
        .has_captions
        .then(|| format!("/media/sign/{}/captions.vtt", v.id));
    let transcript_id = format!("transcript-{}", v.id);
    view! {
        <figure class="sign-video">
            <video controls=true preload="metadata" width="640" aria-describedby=transcript_id.clone()>
                <source src=src.clone() type=v.content_type.clone() />
                {captions.map(|c| view! { <track kind="captions" src=c srclang="de" label="Deutsch" default=true /> })}
                <a href=src.clone()>{t("a11y-video-download")}</a>
            </video>
            <figcaption>
                <h3>{v.title.clone()}</h3>
                <div id=transcript_id class="transcript">
                    <h4>{t("a11y-video-transcript")}</h4>
                    <p lang="de">{v.transcript.clone()}</p>
                </div>
            </figcaption>
        </figure>
    }
}

/// The videos in the administration: upload (a plain multipart form, with or without
/// JavaScript) and removal.
#[component]
fn VideosAdmin() -> impl IntoView {
    use leptos_router::hooks::use_query_map;
    let query = use_query_map();
    let problem = Signal::derive(move || {
        let p = VideoProblem::parse(&query.read().get("problem")?)?;
        Some(crate::error::AppError::field(p.field(), p.text()))
    });
    let delete = ServerAction::<DeleteSignVideo>::new();
    let delete_error = Signal::derive(move || delete.value().get().and_then(|r| r.err()));
    let videos = Resource::new(move || delete.version().get(), |_| get_sign_videos());
    let topics: Vec<(String, String)> = std::iter::once((String::new(), t("a11y-video-choose")))
        .chain(
            SignTopic::ALL
                .iter()
                .map(|topic| (topic.code().to_owned(), topic.title())),
        )
        .collect();
    view! {
        <section aria-labelledby="videos-heading" id="videos">
            <h2 id="videos-heading">{t("a11y-sign-title")}</h2>
            <p>{t("a11y-admin-videos-before")}" "<A href="/gebaerdensprache">{t("a11y-sign-title")}</A>{t("a11y-admin-videos-after")}</p>
            <ErrorSummary error=delete_error form="video-delete" />
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match videos.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p>{t("a11y-admin-videos-none")}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="plain-list">
                                {list.into_iter().map(|v| view! {
                                    <li>
                                        {format!("{} – {} ({} MB{})", v.topic.title(), v.title, (v.size as f64 / 1_048_576.0 * 10.0).round() / 10.0,
                                            if v.has_captions { format!(", {}", t("a11y-admin-videos-captions")) } else { String::new() })}" "
                                        <ActionForm action=delete attr:class="inline-form">
                                            <input type="hidden" name="id" value=v.id.to_string() />
                                            <button type="submit" class="link-button">{t_args("a11y-admin-videos-remove", &[("title", &v.title)])}</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <h3>{t("a11y-admin-upload")}</h3>
            <ErrorSummary error=problem form="video" />
            <form method="post" enctype="multipart/form-data" action="/admin/sign-language/videos" class="form">
                <Select name="topic" form="video" label=t("a11y-admin-video-topic") options=topics error=problem />
                <Field name="title" form="video" label=t("a11y-admin-video-title") required=true maxlength=200usize error=problem />
                <TextArea name="transcript" form="video" label=t("a11y-admin-video-transcript") required=true rows=6 error=problem />
                <div class="field" class:field-invalid=move || problem.get().and_then(|e| e.field_message("video")).is_some()>
                    <label for="video-video">{t("a11y-admin-video-file")}<span class="required" aria-hidden="true">" *"</span></label>
                    {move || problem.get().and_then(|e| e.field_message("video")).map(|m| view! { <p class="field-error" id="video-video-error">{m}</p> })}
                    <input id="video-video" type="file" name="video" accept="video/mp4,video/webm" required=true
                        aria-invalid=move || problem.get().and_then(|e| e.field_message("video")).map(|_| "true")
                        aria-describedby=move || problem.get().and_then(|e| e.field_message("video")).map(|_| "video-video-error") />
                </div>
                <div class="field" class:field-invalid=move || problem.get().and_then(|e| e.field_message("captions")).is_some()>
                    <label for="video-captions">{t("a11y-admin-video-captions")}</label>
                    {move || problem.get().and_then(|e| e.field_message("captions")).map(|m| view! { <p class="field-error" id="video-captions-error">{m}</p> })}
                    <input id="video-captions" type="file" name="captions" accept=".vtt,text/vtt"
                        aria-invalid=move || problem.get().and_then(|e| e.field_message("captions")).map(|_| "true")
                        aria-describedby=move || problem.get().and_then(|e| e.field_message("captions")).map(|_| "video-captions-error") />
                </div>
                <button type="submit" class="button">{t("a11y-admin-upload")}</button>
            </form>
        </section>
    }
}

/// The box "In Leichter Sprache" on a petition's, proposal's or session's page, with the
/// staff's form to write it. Renders nothing for visitors while there is no summary.
#[component]
pub fn EasySummaryBox(kind: EasySubject, id: i64) -> impl IntoView {
    let save = ServerAction::<SaveEasySummary>::new();
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let summary = Resource::new(
        move || save.version().get(),
        move |_| async move { get_easy_summary(kind.code().to_owned(), id).await.ok() },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                summary.await.map(|s| {
                    let shown = s.html.clone().map(|html| view! {
                        <section class="easy-box" id="easy-summary" aria-labelledby="easy-summary-heading">
                            <h2 id="easy-summary-heading">
                                <img src="/leichte-sprache-dunkel.svg" alt="" width="28" height="28" />
                                {t("a11y-summary-heading")}
                            </h2>
                            <div inner_html=html lang="de"></div>
                        </section>
                    });
                    let form = s.can_edit.then(|| view! {
                        <details class="staff-tools" id=if s.html.is_none() { "easy-summary" } else { "easy-summary-form" } open=move || error.get().is_some()>
                            <summary>{if s.html.is_some() { t("a11y-summary-edit") } else { t("a11y-summary-write") }}</summary>
                            <ErrorSummary error form="easy-summary" />
                            <ActionForm action=save attr:class="form" attr:novalidate=true>
                                <input type="hidden" name="kind" value=kind.code() />
                                <input type="hidden" name="id" value=id.to_string() />
                                <TextArea name="text" form="easy-summary" label=t("a11y-summary-text") rows=8
                                    maxlength=super::SUMMARY_MAX_CHARS value=s.text.clone().unwrap_or_default()
                                    hint=t("a11y-summary-hint") error />
                                <Submit label=t("a11y-summary-save") pending=save.pending() />
                            </ActionForm>
                        </details>
                    });
                    view! { {shown}{form} }
                })
            })}
        </Suspense>
    }
}
