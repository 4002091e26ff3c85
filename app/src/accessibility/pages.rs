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
use crate::time::{german_date_text, german_datetime_text};

/// `/barrierefreiheit`: the statement in the parts of the EU model, then the feedback form.
#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let statement = Resource::new(|| (), |_| get_accessibility_statement());
    view! {
        <Title text="Erklärung zur Barrierefreiheit – Dorfplatz" />
        <div class="wrap prose">
            <h1>"Erklärung zur Barrierefreiheit"</h1>
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match statement.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(s) => view! {
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
                        }.into_any(),
                    }
                })}
            </Suspense>
            <FeedbackForm />
            <p><A href="/leichte-sprache">"Informationen in Leichter Sprache"</A></p>
        </div>
    }
}

#[component]
fn FeedbackForm() -> impl IntoView {
    let action = ServerAction::<SendBarrierFeedback>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    // After a report went in (with JavaScript), the form starts empty again.
    let sent = RwSignal::new(0u32);
    crate::comments::thread::reload_on_success(action, sent);
    view! {
        <section id="feedback" aria-labelledby="feedback-heading" class="card">
            <h2 id="feedback-heading">"Barriere melden"</h2>
            <p>"Beschreiben Sie, was Sie nicht oder nur schwer benutzen konnten. Name und E-Mail-Adresse sind freiwillig; ohne E-Mail-Adresse können wir Ihnen nicht antworten."</p>
            <Notice />
            <ErrorSummary error form="feedback" />
            {move || { sent.get(); view! {
            <ActionForm action attr:class="form" attr:novalidate=true>
                <TextArea name="description" form="feedback" label="Was ist Ihnen aufgefallen?" required=true rows=6
                    maxlength=super::DESCRIPTION_MAX_CHARS
                    hint="Zum Beispiel: „Das Formular zum Unterschreiben lässt sich mit dem Bildschirmleser nicht absenden.“" error />
                <Field name="page" form="feedback" label="Auf welcher Seite? (freiwillig)" maxlength=500usize
                    hint="Die Adresse oder der Name der Seite." error />
                <Field name="name" form="feedback" label="Ihr Name (freiwillig)" autocomplete="name" maxlength=100usize error />
                <Field name="email" form="feedback" kind="email" label="Ihre E-Mail-Adresse (freiwillig, für die Antwort)" autocomplete="email" maxlength=254usize error />
                <p class="hint">"Wir verwenden Ihre Angaben nur, um die Barriere zu beheben und Ihnen zu antworten. Abgeschlossene Rückmeldungen werden nach zwei Jahren gelöscht."</p>
                <Submit label="Rückmeldung senden" pending=action.pending() />
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
        <Title text="Leichte Sprache – Dorfplatz" />
        <div class="wrap prose easy-language">
            <h1>"Informationen in Leichter Sprache"</h1>
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match text.await {
                        // Markdown rendered and sanitized on the server (ammonia).
                        Ok(v) => view! {
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
                        }.into_any(),
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <p><A href="/barrierefreiheit">"Zur Erklärung zur Barriere-Freiheit"</A></p>
        </div>
    }
}

/// `/staff/feedback`
#[component]
pub fn FeedbackQueuePage() -> impl IntoView {
    view! {
        <Title text="Rückmeldungen zur Barrierefreiheit – Dorfplatz" />
        <div class="wrap">
            <Restricted next="/staff/feedback" allow=Me::is_staff denial="Die Rückmeldungen sind der Verwaltung vorbehalten.">
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
    let page_error = Signal::derive(move || page_action.value().get().and_then(|r| r.err()));
    let reload = RwSignal::new(0u32);
    let queue = Resource::new(move || reload.get(), |_| get_feedback_queue());
    view! {
        <h1>"Rückmeldungen zur Barrierefreiheit"</h1>
        <p class="lead">"Was Besucherinnen und Besucher über das Formular der Erklärung zur Barrierefreiheit melden. Jede Antwort mit E-Mail-Adresse geht per E-Mail hinaus; jeder Schritt steht im Prüfprotokoll."</p>
        <Notice />
        <ErrorSummary error=page_error form="feedback-step" />
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match queue.await {
                    Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    Ok(q) => {
                        let overdue = q.new.iter().filter(|f| f.overdue).count();
                        view! {
                            <p>{format!("Antwortfrist: {} Tage (einstellbar in der Erklärung zur Barrierefreiheit).", q.due_days)}
                                {(overdue > 0).then(|| format!(" {overdue} überfällig."))}</p>
                            <section aria-labelledby="new-heading">
                                <h2 id="new-heading">{format!("Neu ({})", q.new.len())}</h2>
                                {q.new.is_empty().then(|| view! { <p>"Keine offenen Rückmeldungen."</p> })}
                                {q.new.into_iter().map(|item| view! { <Report item reload /> }).collect_view()}
                            </section>
                            <section aria-labelledby="answered-heading">
                                <h2 id="answered-heading">{format!("Beantwortet ({})", q.answered.len())}</h2>
                                {q.answered.is_empty().then(|| view! { <p>"Keine."</p> })}
                                {q.answered.into_iter().map(|item| view! { <Report item reload /> }).collect_view()}
                            </section>
                            <section aria-labelledby="closed-heading">
                                <h2 id="closed-heading">{format!("Abgeschlossen ({})", q.closed.len())}</h2>
                                {q.closed.is_empty().then(|| view! { <p>"Keine."</p> })}
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
    use crate::comments::thread::{own_error, reload_on_success};
    let answer = ServerAction::<FeedbackStepAction>::new();
    let other = ServerAction::<FeedbackStepAction>::new();
    reload_on_success(answer, reload);
    reload_on_success(other, reload);
    let error = own_error(answer);
    let other_error = own_error(other);
    let heading_id = format!("feedback-{}", item.id);
    let labelled_by = heading_id.clone();
    let form = format!("answer-{}", item.id);
    let id = item.id.to_string();
    let answer_id = id.clone();
    let who = match (&item.name, &item.email) {
        (Some(n), Some(e)) => format!("{n} <{e}>"),
        (Some(n), None) => format!("{n} (ohne E-Mail-Adresse)"),
        (None, Some(e)) => e.clone(),
        (None, None) => "anonym, ohne E-Mail-Adresse".to_owned(),
    };
    let can_answer = item.status != FeedbackStatus::Closed;
    let answer_label = if item.email.is_some() {
        "Antwort (geht per E-Mail hinaus)"
    } else {
        "Antwort (nur hier vermerkt: keine E-Mail-Adresse)"
    };
    view! {
        <article class="card moderation-item feedback-item" class:overdue=item.overdue aria-labelledby=labelled_by>
            <h3 id=heading_id>{format!("Rückmeldung vom {}", german_datetime_text(item.received_at))}</h3>
            <p class="meta">
                {format!("{} · {}", who, item.status.label())}
                {item.page.clone().map(|p| format!(" · Seite: {p}"))}
            </p>
            {if item.overdue {
                view! { <p class="badge badge-warning">{format!("überfällig: Antwort war bis {} fällig", german_date_text(item.due_on))}</p> }.into_any()
            } else if item.status == FeedbackStatus::New {
                view! { <p class="meta">{format!("Antwort fällig bis {}", german_date_text(item.due_on))}</p> }.into_any()
            } else {
                ().into_any()
            }}
            <blockquote class="moderation-text">{item.description.clone()}</blockquote>
            {item.answer.clone().map(|a| view! {
                <h4>"Antwort"</h4>
                <p class="meta">{format!("{}{}",
                    item.answered_at.map(german_datetime_text).unwrap_or_default(),
                    item.answered_by.clone().map(|n| format!(", {n}")).unwrap_or_default())}</p>
                <blockquote>{a}</blockquote>
            })}
            {item.closed_at.map(|c| view! { <p class="meta">{format!("abgeschlossen am {}", german_datetime_text(c))}</p> })}
            <ErrorSummary error form=form.clone() />
            {can_answer.then(|| view! {
                <ActionForm action=answer attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="id" value=answer_id.clone() />
                    <input type="hidden" name="step" value="answer" />
                    <TextArea name="answer" form=form.clone() label=answer_label rows=4 required=true error />
                    <Submit label=if item.answer.is_some() { "Antwort ändern und senden" } else { "Antwort senden" } pending=answer.pending() />
                </ActionForm>
            })}
            <ErrorSummary error=other_error form=format!("step-{}", item.id) />
            <ActionForm action=other attr:class="inline-form">
                <input type="hidden" name="id" value=id.clone() />
                {if item.status == FeedbackStatus::Closed {
                    view! {
                        <input type="hidden" name="step" value="reopen" />
                        <button type="submit" class="button button-secondary">"Wieder öffnen"</button>
                    }.into_any()
                } else {
                    view! {
                        <input type="hidden" name="step" value="close" />
                        <button type="submit" class="button button-secondary">"Abschließen"</button>
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
        <Title text="Barrierefreiheit – Administration – Dorfplatz" />
        <div class="wrap">
            <AdminOnly next="/admin/accessibility">
                <h1>"Administration: Barrierefreiheit"</h1>
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
            <h2 id="statement-heading">"Erklärung zur Barrierefreiheit"</h2>
            <p>"Die Teile, die die EU-Mustererklärung verlangt. Texte in Markdown. "<A href="/barrierefreiheit">"Öffentliche Seite ansehen"</A></p>
            <ErrorSummary error form="statement" />
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match current.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(s) => view! {
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <Select name="compliance" form="statement" label="Stand der Vereinbarkeit"
                                    options=Compliance::ALL.iter().map(|c| (c.code().to_owned(), c.label().to_owned())).collect()
                                    selected=s.compliance.code().to_owned() error />
                                <TextArea name="non_accessible" form="statement" label="Nicht barrierefreie Inhalte und Gründe" required=true rows=10
                                    hint="Je Inhalt: was nicht barrierefrei ist und warum (Unvereinbarkeit, unverhältnismäßige Belastung, nicht anwendbar), und welche Alternative es gibt."
                                    value=s.non_accessible error />
                                <TextArea name="method" form="statement" label="Wie die Erklärung erstellt wurde" required=true rows=4
                                    hint="Selbstbewertung oder Prüfung durch Dritte, mit welchen Verfahren." value=s.method error />
                                <Field name="prepared_on" form="statement" kind="date" label="Erstellt am" required=true value=s.prepared_on.to_string() error />
                                <Field name="reviewed_on" form="statement" kind="date" label="Zuletzt überprüft am" required=true value=s.reviewed_on.to_string() error />
                                <TextArea name="contact" form="statement" label="Kontakt für Rückmeldungen" required=true rows=5
                                    hint="Zuständige Stelle mit Anschrift, Telefon und E-Mail-Adresse; das Formular steht zusätzlich auf der Seite." value=s.contact error />
                                <TextArea name="enforcement" form="statement" label="Schlichtungsverfahren" required=true rows=6
                                    hint="Die Schlichtungs- oder Ombudsstelle des Landes mit Link und Anschrift." value=s.enforcement error />
                                <Field name="due_days" form="statement" kind="number" inputmode="numeric" label="Antwortfrist für Rückmeldungen (Tage)" required=true
                                    hint="Danach gilt eine unbeantwortete Rückmeldung in der Liste der Verwaltung als überfällig (1 bis 90)." value=s.due_days.to_string() error />
                                <Submit label="Erklärung speichern" pending=action.pending() />
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
            <h2 id="easy-heading">"Leichte Sprache"</h2>
            <p>"Der Text der Seite "<A href="/leichte-sprache">"Leichte Sprache"</A>": was die Website bietet, wie man sich zurechtfindet, was die Erklärung zur Barrierefreiheit sagt und was es sonst in Leichter Sprache gibt (BITV 2.0 § 4). Kurze Sätze, eine Aussage je Zeile; ein Zeilenumbruch entsteht durch zwei Leerzeichen am Zeilenende."</p>
            <ErrorSummary error form="easy" />
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match current.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(text) => view! {
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <TextArea name="text" form="easy" label="Text in Leichter Sprache (Markdown)" required=true rows=20 value=text error />
                                <Submit label="Text speichern" pending=action.pending() />
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
        <Title text="Gebärdensprache – Dorfplatz" />
        <div class="wrap prose">
            <h1>"Informationen in Deutscher Gebärdensprache"</h1>
            <p>"Hier erklären Videos in Deutscher Gebärdensprache (DGS), was diese Website bietet, wie Sie sich zurechtfinden, was die Erklärung zur Barrierefreiheit sagt und was es sonst in Gebärdensprache gibt. Neben jedem Video steht sein Inhalt als Text."</p>
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match videos.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <h2>"Noch keine Videos"</h2>
                            <p>"Die Gemeinde hat noch keine Videos in Gebärdensprache eingestellt. Bis dahin finden Sie dieselben Informationen in Leichter Sprache und in der Erklärung zur Barrierefreiheit. Über das Formular der Erklärung können Sie uns schreiben, auch um ein Gespräch mit Gebärdensprachdolmetschung zu bitten."</p>
                            <p class="actions">
                                <A href="/leichte-sprache" attr:class="button button-secondary">"Leichte Sprache"</A>
                                <A href="/barrierefreiheit#feedback" attr:class="button button-secondary">"Uns schreiben"</A>
                            </p>
                        }.into_any(),
                        Ok(list) => SignTopic::ALL.into_iter().map(|topic| {
                            let of_topic: Vec<SignVideo> = list.iter().filter(|v| v.topic == topic).cloned().collect();
                            (!of_topic.is_empty()).then(|| view! {
                                <section aria-labelledby=format!("topic-{}", topic.code())>
                                    <h2 id=format!("topic-{}", topic.code())>{topic.label()}</h2>
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
                <a href=src.clone()>"Video herunterladen"</a>
            </video>
            <figcaption>
                <h3>{v.title.clone()}</h3>
                <div id=transcript_id class="transcript">
                    <h4>"Inhalt als Text"</h4>
                    <p>{v.transcript.clone()}</p>
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
        Some(crate::error::AppError::field(p.field(), p.message()))
    });
    let delete = ServerAction::<DeleteSignVideo>::new();
    let delete_error = Signal::derive(move || delete.value().get().and_then(|r| r.err()));
    let videos = Resource::new(move || delete.version().get(), |_| get_sign_videos());
    let topics: Vec<(String, String)> =
        std::iter::once((String::new(), "– bitte wählen –".to_owned()))
            .chain(
                SignTopic::ALL
                    .iter()
                    .map(|t| (t.code().to_owned(), t.label().to_owned())),
            )
            .collect();
    view! {
        <section aria-labelledby="videos-heading" id="videos">
            <h2 id="videos-heading">"Gebärdensprache"</h2>
            <p>"Videos in Deutscher Gebärdensprache für die Seite "<A href="/gebaerdensprache">"Gebärdensprache"</A>": MP4 oder WebM bis 200 MB, Untertitel als WebVTT-Datei (freiwillig), der Inhalt als Text (Pflicht: er steht als Abschrift neben dem Video)."</p>
            <ErrorSummary error=delete_error form="video-delete" />
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match videos.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p>"Noch keine Videos."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="plain-list">
                                {list.into_iter().map(|v| view! {
                                    <li>
                                        {format!("{} – {} ({} MB{})", v.topic.label(), v.title, (v.size as f64 / 1_048_576.0 * 10.0).round() / 10.0,
                                            if v.has_captions { ", mit Untertiteln" } else { "" })}" "
                                        <ActionForm action=delete attr:class="inline-form">
                                            <input type="hidden" name="id" value=v.id.to_string() />
                                            <button type="submit" class="link-button">{format!("„{}“ entfernen", v.title)}</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <h3>"Video hochladen"</h3>
            <ErrorSummary error=problem form="video" />
            <form method="post" enctype="multipart/form-data" action="/admin/sign-language/videos" class="form">
                <Select name="topic" form="video" label="Punkt" options=topics error=problem />
                <Field name="title" form="video" label="Titel" required=true maxlength=200usize error=problem />
                <TextArea name="transcript" form="video" label="Inhalt als Text (Abschrift)" required=true rows=6 error=problem />
                <div class="field" class:field-invalid=move || problem.get().and_then(|e| e.field_message("video")).is_some()>
                    <label for="video-video">"Videodatei (MP4 oder WebM)"<span class="required" aria-hidden="true">" *"</span></label>
                    {move || problem.get().and_then(|e| e.field_message("video")).map(|m| view! { <p class="field-error" id="video-video-error">{m}</p> })}
                    <input id="video-video" type="file" name="video" accept="video/mp4,video/webm" required=true
                        aria-invalid=move || problem.get().and_then(|e| e.field_message("video")).map(|_| "true")
                        aria-describedby=move || problem.get().and_then(|e| e.field_message("video")).map(|_| "video-video-error") />
                </div>
                <div class="field" class:field-invalid=move || problem.get().and_then(|e| e.field_message("captions")).is_some()>
                    <label for="video-captions">"Untertitel (WebVTT, freiwillig)"</label>
                    {move || problem.get().and_then(|e| e.field_message("captions")).map(|m| view! { <p class="field-error" id="video-captions-error">{m}</p> })}
                    <input id="video-captions" type="file" name="captions" accept=".vtt,text/vtt"
                        aria-invalid=move || problem.get().and_then(|e| e.field_message("captions")).map(|_| "true")
                        aria-describedby=move || problem.get().and_then(|e| e.field_message("captions")).map(|_| "video-captions-error") />
                </div>
                <button type="submit" class="button">"Video hochladen"</button>
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
                                "In Leichter Sprache"
                            </h2>
                            <div inner_html=html></div>
                        </section>
                    });
                    let form = s.can_edit.then(|| view! {
                        <details class="staff-tools" id=if s.html.is_none() { "easy-summary" } else { "easy-summary-form" } open=move || error.get().is_some()>
                            <summary>{if s.html.is_some() { "Zusammenfassung in Leichter Sprache bearbeiten" } else { "Zusammenfassung in Leichter Sprache schreiben" }}</summary>
                            <ErrorSummary error form="easy-summary" />
                            <ActionForm action=save attr:class="form" attr:novalidate=true>
                                <input type="hidden" name="kind" value=kind.code() />
                                <input type="hidden" name="id" value=id.to_string() />
                                <TextArea name="text" form="easy-summary" label="Zusammenfassung in Leichter Sprache (Markdown)" rows=8
                                    maxlength=super::SUMMARY_MAX_CHARS value=s.text.clone().unwrap_or_default()
                                    hint="Kurze Sätze, eine Aussage je Zeile (zwei Leerzeichen am Zeilenende). Leer lassen und speichern entfernt die Zusammenfassung." error />
                                <Submit label="Zusammenfassung speichern" pending=save.pending() />
                            </ActionForm>
                        </details>
                    });
                    view! { {shown}{form} }
                })
            })}
        </Suspense>
    }
}
