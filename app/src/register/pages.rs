//! Staff pages: the resident register (upload with progress, imports, purge) and a
//! petition's review queue (the doubtful signature beside its candidates, one decision at a
//! time, keyboard first).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    DecideSignature, PurgeRegister, RestoreSheet, VoidSheet, get_register_overview, get_review,
};
use super::check::{FieldMatch, Status};
use super::view::{CandidateView, ImportView, ReviewItem, ReviewPage};
use crate::accounts::Me;
use crate::components::{Checkbox, ErrorSummary, Field, Notice, Restricted, Submit};
use crate::petitions::rules::thousands;

fn problem_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "too_large" => {
            "Die Datei ist größer als 1 GiB und wurde nicht angenommen. Das bisherige Melderegister gilt weiter."
        }
        "empty" => "Die Datei ist leer. Das bisherige Melderegister gilt weiter.",
        "no_file" => "Bitte wählen Sie eine Datei aus.",
        "bad_encoding" => {
            "Diese Kodierung kennt Dorfplatz nicht: bitte „UTF-8“ oder „Windows-1252“."
        }
        "upload_failed" => "Das Hochladen ist abgebrochen. Bitte versuchen Sie es erneut.",
        "import_running" => {
            "Es läuft bereits ein Import. Bitte warten Sie, bis er abgeschlossen ist, und laden Sie die Datei dann erneut hoch."
        }
        _ => return None,
    })
}

/// `/staff/residents`: the register in use, uploading a new one, and deleting it.
#[component]
pub fn ResidentsPage() -> impl IntoView {
    view! {
        <Title text="Melderegister – Dorfplatz" />
        <div class="wrap">
            <Restricted next="/staff/residents" allow=Me::is_staff
                denial="Das Melderegister sieht nur die Gemeindeverwaltung.">
                <Residents />
            </Restricted>
        </div>
    }
}

#[component]
fn Residents() -> impl IntoView {
    let query = use_query_map();
    let purge = ServerAction::<PurgeRegister>::new();
    let purge_error = Signal::derive(move || purge.value().get().and_then(|r| r.err()));
    // While an import runs, the figures are read again every two seconds (with JavaScript;
    // without it the page offers a link to reload). The page itself never reloads on its
    // own: that would move screen readers back to the top and empty the forms.
    let tick = RwSignal::new(0u32);
    let overview = Resource::new(
        move || {
            (
                query.read().get("notice"),
                purge.version().get(),
                tick.get(),
            )
        },
        |_| get_register_overview(),
    );
    Effect::new(move |_| {
        if let Some(Ok(o)) = overview.get()
            && o.running()
        {
            set_timeout(
                move || tick.update(|n| *n += 1),
                std::time::Duration::from_secs(2),
            );
        }
    });
    let problem = move || {
        query
            .read()
            .get("problem")
            .and_then(|c| problem_text(&c))
            .map(|t| view! { <div class="error-summary" role="alert"><p>{t}</p></div> })
    };
    view! {
        <h1>"Melderegister"</h1>
        <Notice />
        {problem}
        <p>"Das Melderegister dient nur der Prüfung der Unterschriften. Es ist allein für die Gemeindeverwaltung sichtbar; jeder Blick auf die Daten einer Person wird protokolliert."</p>
        <Transition fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    Ok(o) => {
                        let running = o.running();
                        let in_use = o.imports.iter().find(|i| i.in_use).cloned();
                        view! {
                            <h2>"Register in Gebrauch"</h2>
                            {match in_use {
                                None => view! { <p>"Es ist kein Melderegister eingelesen. Unterschriften bleiben „noch nicht geprüft“, bis eines eingelesen ist."</p> }.into_any(),
                                Some(i) => view! {
                                    <p>{format!(
                                        "Import Nr. {} aus „{}“ vom {}: {} Einwohnerinnen und Einwohner, davon {} am Tag des Imports unterschriftsberechtigt.",
                                        i.id, i.file_name, i.finished.clone().unwrap_or_default(), thousands(i.rows), thousands(i.eligible)
                                    )}</p>
                                }.into_any(),
                            }}
                            {o.imports.iter().filter(|i| i.status == "running").map(|i| view! { <Running i=i.clone() /> }).collect_view()}
                            {running.then(|| view! { <p><a href="/staff/residents">"Fortschritt aktualisieren"</a></p> })}
                            <History imports=o.imports.clone() />
                        }.into_any()
                    }
                }
            })}
        </Transition>
        <h2 id="upload">"Neues Melderegister einlesen"</h2>
        <p>"Eine CSV-Datei mit Semikolon, in UTF-8 oder Windows-1252, mit der Kopfzeile "
            <code>"Familienname;Vornamen;Geburtsdatum;Straße;Hausnummer;PLZ;Ort;Ortsteil;Staatsangehörigkeit;Einzugsdatum;Wohnungsstatus"</code>
            ". Der Import ersetzt das bisherige Register erst, wenn jede Zeile in Ordnung ist; danach werden die Unterschriften laufender Verfahren neu geprüft (Entscheidungen von Mitarbeitenden bleiben)."</p>
        <form class="form" method="post" action="/staff/residents/import" enctype="multipart/form-data">
            <div class="field">
                <label for="register-file">"Datei (höchstens 1 GiB)"</label>
                <input id="register-file" type="file" name="file" accept=".csv,text/csv" required />
            </div>
            <div class="field">
                <label for="register-encoding">"Kodierung"</label>
                <select id="register-encoding" name="encoding">
                    <option value="">"automatisch erkennen"</option>
                    <option value="utf-8">"UTF-8"</option>
                    <option value="windows-1252">"Windows-1252"</option>
                </select>
            </div>
            <button type="submit" class="button">"Hochladen und einlesen"</button>
        </form>
        <h2 id="purge">"Melderegister löschen"</h2>
        <p>"Löscht alle Personen aus dem Register. Geprüfte Unterschriften behalten ihren Status; neue bleiben ungeprüft, bis wieder ein Register eingelesen ist."</p>
        <ErrorSummary error=purge_error form="purge" />
        <ActionForm action=purge attr:class="form" attr:novalidate=true>
            <Checkbox name="confirm" form="purge" label="Ja, das Melderegister löschen" error=purge_error />
            <Submit label="Löschen" pending=purge.pending() class="button button-danger" />
        </ActionForm>
    }
}

#[component]
fn Running(i: ImportView) -> impl IntoView {
    let percent = i.percent();
    let id = format!("import-progress-{}", i.id);
    view! {
        <section class="card" aria-live="polite">
            <h3>{format!("Import läuft: „{}“", i.file_name)}</h3>
            <label for=id.clone()>{format!("{percent} % gelesen, {} Zeilen", thousands(i.rows))}</label>
            <progress id=id max="100" value=percent.to_string()>{format!("{percent} %")}</progress>
            <p>{format!("Begonnen am {}.", i.started)}</p>
        </section>
    }
}

fn import_status(status: &str) -> &'static str {
    match status {
        "running" => "läuft",
        "completed" => "eingelesen",
        "failed" => "abgelehnt",
        "purged" => "gelöscht",
        _ => "unbekannt",
    }
}

#[component]
fn History(imports: Vec<ImportView>) -> impl IntoView {
    (!imports.is_empty()).then(|| {
        view! {
            <h2>"Letzte Importe"</h2>
            <table class="table">
                <caption class="visually-hidden">"Die letzten zehn Importe, neueste zuerst"</caption>
                <thead><tr>
                    <th scope="col">"Nr."</th><th scope="col">"Datei"</th><th scope="col">"Begonnen"</th>
                    <th scope="col">"Status"</th><th scope="col">"Zeilen"</th><th scope="col">"Fehlerhafte Zeilen"</th>
                </tr></thead>
                <tbody>
                    {imports.into_iter().map(|i| {
                        let report = i.report.clone();
                        let more = i.bad_lines.saturating_sub(report.len() as u64);
                        view! {
                            <tr>
                                <td>{i.id}</td>
                                <td>{i.file_name.clone()}</td>
                                <td>{i.started.clone()}</td>
                                <td>{import_status(&i.status)}{i.in_use.then_some(" (in Gebrauch)")}</td>
                                <td>{thousands(i.rows)}</td>
                                <td>
                                    {thousands(i.bad_lines)}
                                    {(!report.is_empty()).then(|| view! {
                                        <details>
                                            <summary>"Bericht"</summary>
                                            <ul class="report">
                                                {report.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                                            </ul>
                                            {(more > 0).then(|| view! { <p>{format!("… und {} weitere.", thousands(more))}</p> })}
                                        </details>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
    })
}

/// `/petitions/{slug}/review`: the check's results and the signatures that need a person.
#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    view! {
        <Title text="Unterschriften prüfen – Dorfplatz" />
        <div class="wrap">
            <Restricted next=format!("/petitions/{}/review", slug()) allow=Me::is_staff
                denial="Unterschriften prüft nur die Gemeindeverwaltung.">
                <Review />
            </Restricted>
        </div>
    }
}

#[component]
fn Review() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = Signal::derive(move || params.read().get("slug").unwrap_or_default());
    let decide = ServerAction::<DecideSignature>::new();
    let void = ServerAction::<VoidSheet>::new();
    let restore = ServerAction::<RestoreSheet>::new();
    let page = Resource::new(
        move || {
            (
                slug.get(),
                query
                    .read()
                    .get("after")
                    .and_then(|a| a.parse::<i64>().ok()),
                decide.version().get() + void.version().get() + restore.version().get(),
            )
        },
        |(slug, after, _)| get_review(slug, after),
    );
    view! {
        <Notice />
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => {
                        crate::components::page::set_status(e.status());
                        view! { <h1>"Unterschriften prüfen"</h1><p class="error-summary" role="alert">{e.message()}</p> }.into_any()
                    }
                    Ok(p) => view! { <ReviewBody p decide void restore /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReviewBody(
    p: ReviewPage,
    decide: ServerAction<DecideSignature>,
    void: ServerAction<VoidSheet>,
    restore: ServerAction<RestoreSheet>,
) -> impl IntoView {
    let void_error = Signal::derive(move || void.value().get().and_then(|r| r.err()));
    let restore_error = Signal::derive(move || restore.value().get().and_then(|r| r.err()));
    let slug = p.slug.clone();
    let restore_slug = p.slug.clone();
    let total: u64 = p.counts.iter().map(|c| c.count).sum();
    view! {
        <h1>{format!("Unterschriften prüfen: {}", p.title)}</h1>
        <p>
            <a href=format!("/petitions/{slug}/manage")>"Zurück zum Verfahren"</a>
            " · "
            <a href=format!("/petitions/{slug}/signatures.csv") download="">"Alle Unterschriften mit Status (CSV)"</a>
        </p>
        {(!p.register_in_use).then(|| view! {
            <p class="notice" role="status">
                "Es ist kein Melderegister eingelesen: Die Unterschriften sind noch nicht geprüft. "
                <a href="/staff/residents">"Melderegister einlesen"</a>
            </p>
        })}
        {p.purged.then(|| view! { <p class="notice" role="status">"Die persönlichen Daten der Unterschriften sind nach Ablauf der Aufbewahrungsfrist gelöscht; die Zahlen bleiben."</p> })}
        <h2>"Stand der Prüfung"</h2>
        <table class="table">
            <caption class="visually-hidden">"Unterschriften nach Status"</caption>
            <thead><tr><th scope="col">"Status"</th><th scope="col">"Code"</th><th scope="col" class="num">"Anzahl"</th></tr></thead>
            <tbody>
                {p.counts.iter().map(|c| view! {
                    <tr><td>{c.status.label()}</td><td><code>{c.status.code()}</code></td><td class="num">{thousands(c.count)}</td></tr>
                }).collect_view()}
            </tbody>
            <tfoot><tr><th scope="row" colspan="2">"Zusammen"</th><td class="num">{thousands(total)}</td></tr></tfoot>
        </table>
        <h2 id="queue">{format!("Zur Prüfung: {}", thousands(p.waiting))}</h2>
        {match p.item.clone() {
            None if p.waiting == 0 => view! { <p>"Keine Unterschrift wartet auf eine Entscheidung."</p> }.into_any(),
            None if !p.register_in_use => view! { <p>"Zur Prüfung braucht es ein eingelesenes Melderegister."</p> }.into_any(),
            None => view! {
                <p>"Nach der übersprungenen kommt keine weitere. "
                    <a href=format!("/petitions/{slug}/review#queue")>"Von vorn beginnen"</a></p>
            }.into_any(),
            Some(item) => view! { <ReviewItemView item slug=slug.clone() decide /> }.into_any(),
        }}
        <h2 id="sheets">"Ungültige Blätter"</h2>
        <p>"Ein Blatt ohne den vollständigen Text des Bürgerbegehrens (Fragestellung, Begründung, Kostenschätzung, Vertretungsberechtigte) macht jede Zeile darauf ungültig."</p>
        {(!p.void_sheets.is_empty()).then(|| view! {
            <ul>
                {p.void_sheets.iter().map(|(n, reason)| view! { <li>{format!("Blatt {n}: {reason}")}</li> }).collect_view()}
            </ul>
        })}
        <ErrorSummary error=void_error form="void" />
        <ActionForm action=void attr:class="form" attr:novalidate=true>
            <input type="hidden" name="slug" value=slug.clone() />
            <Field name="sheet" form="void" label="Blatt" kind="number" required=true error=void_error />
            <Field name="reason" form="void" label="Grund" required=true maxlength=255usize
                hint="Zum Beispiel: Begründung fehlt auf dem Blatt." error=void_error />
            <Submit label="Blatt für ungültig erklären" pending=void.pending() />
        </ActionForm>
        {(!p.void_sheets.is_empty()).then(move || view! {
            <ErrorSummary error=restore_error form="restore" />
            <ActionForm action=restore attr:class="form" attr:novalidate=true>
                <input type="hidden" name="slug" value=restore_slug />
                <Field name="sheet" form="restore" label="Nummer des Blattes" kind="number" required=true error=restore_error />
                <Submit label="Blatt wieder gelten lassen" pending=restore.pending() />
            </ActionForm>
        })}
    }
}

fn mark(m: FieldMatch) -> (&'static str, &'static str) {
    match m {
        FieldMatch::Exact => ("match-exact", "="),
        FieldMatch::Near => ("match-near", "≈"),
        FieldMatch::Missing => ("match-missing", "?"),
        FieldMatch::Differs => ("match-differs", "≠"),
    }
}

fn cell(value: String, m: FieldMatch) -> impl IntoView {
    let (class, sign) = mark(m);
    view! {
        <td class=class>
            <span aria-hidden="true" class="match-sign">{sign}" "</span>
            {value}
            <span class="match-label">{format!(" ({})", m.label())}</span>
        </td>
    }
}

#[component]
fn ReviewItemView(
    item: ReviewItem,
    slug: String,
    decide: ServerAction<DecideSignature>,
) -> impl IntoView {
    let error = Signal::derive(move || decide.value().get().and_then(|r| r.err()));
    let s = item.signed.clone();
    let candidates = item.candidates.clone();
    let address = |street: &str, house: &str, postal: &str, city: &str| {
        format!("{street} {house}, {postal} {city}")
            .trim_matches([' ', ','])
            .to_owned()
    };
    let signed_address = address(&s.street, &s.house_number, &s.postal_code, &s.city);
    let skip = format!("/petitions/{slug}/review?after={}#queue", item.signature_id);
    view! {
        <section class="card review" aria-labelledby="review-heading">
            <h3 id="review-heading">{format!("{}{}", item.place, item.signed_on.as_ref().map(|d| format!(", unterschrieben am {d}")).unwrap_or_default())}</h3>
            // Focusable, so that keyboard users can scroll a wide comparison on a phone.
            <div class="table-scroll" tabindex="0" role="region" aria-label="Vergleich mit dem Melderegister">
            <table class="table review-table">
                <caption>"Die Unterschrift neben den passenden Einträgen im Melderegister. = stimmt überein, ≈ ähnlich, ≠ weicht ab, ? fehlt."</caption>
                <thead><tr>
                    <th scope="col">"Angabe"</th>
                    <th scope="col">"Auf der Unterschrift"</th>
                    {candidates.iter().enumerate().map(|(i, c)| view! {
                        <th scope="col">{format!("Person {} ({})", i + 1, c.district)}</th>
                    }).collect_view()}
                </tr></thead>
                <tbody>
                    <tr><th scope="row">"Familienname"</th><td>{s.family_name.clone()}</td>
                        {candidates.iter().map(|c| cell(c.family_name.clone(), c.comparison.family_name)).collect_view()}</tr>
                    <tr><th scope="row">"Vornamen"</th><td>{s.given_names.clone()}</td>
                        {candidates.iter().map(|c| cell(c.given_names.clone(), c.comparison.given_names)).collect_view()}</tr>
                    <tr><th scope="row">"Geburtsdatum"</th><td>{s.birth_date.clone()}</td>
                        {candidates.iter().map(|c| cell(c.birth_date.clone(), c.comparison.birth_date)).collect_view()}</tr>
                    <tr><th scope="row">"Anschrift"</th><td>{signed_address}</td>
                        {candidates.iter().map(|c| cell(address(&c.street, &c.house_number, &c.postal_code, &c.city), c.comparison.address)).collect_view()}</tr>
                    <tr><th scope="row">"Ergebnis, falls es diese Person ist"</th><td></td>
                        {candidates.iter().map(|c: &CandidateView| view! { <td>{c.outcome.label()}</td> }).collect_view()}</tr>
                </tbody>
            </table>
            </div>
            <ErrorSummary error form="decide" />
            <ActionForm action=decide attr:class="form" attr:novalidate=true>
                <input type="hidden" name="slug" value=slug.clone() />
                <input type="hidden" name="signature_id" value=item.signature_id.to_string() />
                <fieldset>
                    <legend>"Entscheidung (Pfeiltasten oder Leertaste wählen, Eingabetaste speichert)"</legend>
                    {candidates.iter().enumerate().map(|(i, c)| {
                        let value = format!("person:{}", c.resident_id);
                        let id = format!("decide-person-{}", c.resident_id);
                        view! {
                            <div class="choice">
                                <input type="radio" id=id.clone() name="decision" value=value />
                                <label for=id>{format!("Es ist Person {}: {} {} → {}", i + 1, c.given_names, c.family_name, c.outcome.label())}</label>
                            </div>
                        }
                    }).collect_view()}
                    {Status::REVIEW_REASONS.into_iter().map(|r| {
                        let id = format!("decide-{}", r.code());
                        view! {
                            <div class="choice">
                                <input type="radio" id=id.clone() name="decision" value=r.code() />
                                <label for=id>{format!("Zählt nicht: {}", r.label())}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <Submit label="Entscheiden" pending=decide.pending() />
                " "
                <a href=skip>"Überspringen"</a>
            </ActionForm>
        </section>
    }
}
