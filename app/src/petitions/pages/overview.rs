use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::QuorumCard;
use crate::components::Notice;
use crate::i18n::{current_lang, t, t_args};
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
        <Title text=t_args("page-title", &[("title", &t("petitions-title"))]) />
        <div class="wrap prose">
            <h1>{t("petitions-title")}</h1>
            <p class="lead">{t("petitions-lead")}</p>
            <Notice />
            <h2>{t("petitions-in-municipality")}</h2>
            <p><A href="/petitions/new" attr:class="button">{t("petitions-start")}</A></p>
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match petitions.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p>{t("petitions-none")}</p> }.into_any(),
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
                            let heading = t_args("petitions-rules-heading", &[("state", f.municipality.figures.state.name()), ("citation", &f.citation)]);
                            let rules = f.rules.clone();
                            view! {
                                <QuorumCard frame=f missing=t("petitions-figures-missing") />
                                <h2>{heading}</h2>
                                {(current_lang().code != "de").then(|| view! { <p class="hint">{t("petitions-rules-german")}</p> })}
                                <ul lang="de">
                                    {rules.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                                </ul>
                                <p>
                                    {t("petitions-plan-before")}" "
                                    <A href="/impressum">{t("footer-impressum")}</A>
                                    {t("petitions-plan-after")}
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
        Some(r) => t_args(
            "petitions-progress",
            &[
                ("counting", &thousands(p.tally.counting)),
                ("required", &thousands(r)),
            ],
        ),
        None => String::new(),
    };
    let ends = p
        .ends_on
        .filter(|_| p.stage.accepts_signatures())
        .map(|d| {
            format!(
                " · {}",
                t_args("petitions-collect-until", &[("date", &german_date_text(d))])
            )
        })
        .unwrap_or_default();
    view! {
        <li class="card">
            <h3><A href=format!("/petitions/{}", p.slug)>{p.title}</A></h3>
            <p class="question">{p.question}</p>
            <p><span class=format!("badge stage-{}", p.stage.as_str())>{p.stage.title()}</span>" "{progress}{ends}</p>
        </li>
    }
}
