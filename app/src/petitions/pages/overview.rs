use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::petitions::api::get_legal_frame;
use crate::petitions::figure;
use crate::petitions::rules::thousands;

/// What a citizens' petition is in this municipality, and how many signatures it needs under
/// the state's law, computed from the figures the administration keeps.
#[component]
pub fn PetitionsPage() -> impl IntoView {
    let frame = Resource::new(|| (), |_| get_legal_frame());
    view! {
        <Title text="Bürgerbegehren – Dorfplatz" />
        <div class="wrap prose">
            <h1>"Bürgerbegehren"</h1>
            <p class="lead">
                "Mit einem Bürgerbegehren beantragen Bürgerinnen und Bürger, dass sie selbst über eine Angelegenheit ihrer Gemeinde entscheiden – in einem Bürgerentscheid. Dafür braucht es die Unterschriften eines gesetzlich festgelegten Anteils der Bürgerschaft."
            </p>
            <Suspense fallback=|| view! { <p>"Lädt …"</p> }>
                {move || Suspend::new(async move {
                    match frame.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(f) => {
                            let m = &f.municipality;
                            let basis = match (&f.requirement, m.eligible_reference_date) {
                                (Some(_), Some(day)) => format!(
                                    "Grundlage: {} Bürgerinnen und Bürger ({}, Stand {}) bei {} Einwohnerinnen und Einwohnern.",
                                    figure(m.eligible_citizens),
                                    m.eligible_source,
                                    day.format("%d.%m.%Y"),
                                    figure(m.population),
                                ),
                                _ => String::new(),
                            };
                            view! {
                                <section aria-labelledby="quorum-heading" class="card">
                                    <h2 id="quorum-heading">"Erforderliche Unterschriften"</h2>
                                    {match &f.requirement {
                                        Some(r) => view! {
                                            <p class="figure-large">{thousands(r.required)}</p>
                                            <p>{r.explanation.clone()}</p>
                                            <p class="hint">{basis}</p>
                                        }.into_any(),
                                        None => view! {
                                            <p>"Die Gemeindeverwaltung hat Einwohnerzahl und Zahl der Bürgerinnen und Bürger noch nicht vollständig hinterlegt; bis dahin kann die erforderliche Zahl nicht berechnet werden."</p>
                                        }.into_any(),
                                    }}
                                </section>
                                <h2>{format!("Die Regeln in {} ({})", m.state.name(), f.citation)}</h2>
                                <ul>
                                    {f.rules.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}
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
