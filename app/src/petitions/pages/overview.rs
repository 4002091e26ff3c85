use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::QuorumCard;
use crate::components::Notice;
use crate::petitions::api::{get_legal_frame, list_petitions};
use crate::petitions::rules::{german_date_text, thousands};
use crate::petitions::view::PetitionSummary;

/// What a citizens' petition is in this municipality, and how many signatures it needs under
/// the state's law, computed from the figures the administration keeps.
#[component]
pub fn PetitionsPage() -> impl IntoView {
    let frame = Resource::new(|| (), |_| get_legal_frame());
    let petitions = Resource::new(|| (), |_| list_petitions());
    view! {
        <Title text="Bürgerbegehren – Dorfplatz" />
        <div class="wrap prose">
            <h1>"Bürgerbegehren"</h1>
            <p class="lead">
                "Mit einem Bürgerbegehren beantragen Bürgerinnen und Bürger, dass sie selbst über eine Angelegenheit ihrer Gemeinde entscheiden – in einem Bürgerentscheid. Dafür braucht es die Unterschriften eines gesetzlich festgelegten Anteils der Bürgerschaft."
            </p>
            <Notice />
            <h2>"Bürgerbegehren in der Gemeinde"</h2>
            <p><A href="/petitions/new" attr:class="button">"Bürgerbegehren starten"</A></p>
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match petitions.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p>"Zurzeit gibt es keine Bürgerbegehren."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="petition-list">
                                {list.into_iter().map(|p| view! { <PetitionItem p /> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match frame.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(f) => {
                            let heading = format!("Die Regeln in {} ({})", f.municipality.figures.state.name(), f.citation);
                            let rules = f.rules.clone();
                            view! {
                                <QuorumCard frame=f missing="Die Gemeindeverwaltung hat Einwohnerzahl und Zahl der Bürgerinnen und Bürger noch nicht vollständig hinterlegt; bis dahin kann die erforderliche Zahl nicht berechnet werden." />
                                <h2>{heading}</h2>
                                <ul>
                                    {rules.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                                </ul>
                                <p>
                                    "Wer ein Bürgerbegehren plant, wendet sich an die Gemeindeverwaltung (siehe "
                                    <A href="/impressum">"Impressum"</A>
                                    "). Die Verwaltung berät zu Form und Fristen."
                                </p>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn PetitionItem(p: PetitionSummary) -> impl IntoView {
    let progress = match p.tally.required {
        Some(r) => format!(
            "{} von {} Unterschriften",
            thousands(p.tally.counting),
            thousands(r)
        ),
        None => String::new(),
    };
    let ends = p
        .ends_on
        .filter(|_| p.stage.accepts_signatures())
        .map(|d| format!(" · Sammlung bis {}", german_date_text(d)))
        .unwrap_or_default();
    view! {
        <li class="card">
            <h3><A href=format!("/petitions/{}", p.slug)>{p.title}</A></h3>
            <p class="question">{p.question}</p>
            <p><span class=format!("badge stage-{}", p.stage.as_str())>{p.stage.label()}</span>" "{progress}{ends}</p>
        </li>
    }
}
