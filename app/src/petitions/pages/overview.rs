use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::QuorumCard;
use crate::petitions::api::get_legal_frame;

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
