//! Petition pages: the list and the law, a petition with its progress, signing online,
//! confirmation and receipt, drafting, the procedure's steps and the staff's paper entry,
//! and the staff page with the municipality's legal figures.

mod detail;
mod manage;
mod municipality;
mod new;
mod overview;
mod sign;

pub use detail::PetitionPage;
pub use manage::ManagePetitionPage;
pub use municipality::MunicipalityPage;
pub use new::NewPetitionPage;
pub use overview::PetitionsPage;
pub use sign::{ConfirmSignaturePage, ReceiptPage, SignPage};

use leptos::prelude::*;

use super::rules::thousands;
use super::{LegalFrame, figure};
use crate::i18n::{t, t_args};

/// The required signatures with the rule they come from and the figures behind them; the
/// same card for the public and for staff. `children` come after the figures.
#[component]
fn QuorumCard(
    frame: LegalFrame,
    /// What to say while the figures are incomplete.
    #[prop(into)]
    missing: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let f = &frame.municipality.figures;
    let basis = f.eligible_reference_date.map(|day| {
        t_args(
            "quorum-basis",
            &[
                ("citizens", &figure(f.eligible_citizens)),
                ("source", &f.eligible_source),
                ("date", &day.format("%d.%m.%Y").to_string()),
                ("population", &figure(f.population)),
            ],
        )
    });
    view! {
        <section aria-labelledby="quorum-heading" class="card">
            <h2 id="quorum-heading">{t("quorum-heading")}</h2>
            {match frame.requirement {
                Some(r) => view! {
                    <p class="figure-large">{thousands(r.required)}</p>
                    <p lang="de">{r.explanation}</p>
                    <p class="hint">{basis}</p>
                }.into_any(),
                None => view! { <p>{missing}</p> }.into_any(),
            }}
            {children.map(|c| c())}
        </section>
    }
}
