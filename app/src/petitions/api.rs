//! Petition server functions: thin, they check the caller, parse the form into domain types
//! and call the services in `server::petitions` and `server::signatures`.

// A server function takes one argument per form field, so forms with many fields need many.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::LegalFrame;
use super::draft::RepresentativeInput;
use super::view::{EntryResult, PetitionDetail, PetitionSummary, ReceiptView};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::infra::prelude::*;

/// The municipality's figures and the law in force: public, because everyone may know how
/// many signatures a petition needs and why.
#[server(prefix = "/api", endpoint = "legal_frame")]
pub async fn get_legal_frame() -> Result<LegalFrame, AppError> {
    use crate::petitions::server::municipality;
    finish(
        async {
            let state = app_state()?;
            municipality::legal_frame(&state.db).await
        }
        .await,
    )
}

/// Staff save the state, the population and the number of eligible citizens.
#[server(prefix = "/api", endpoint = "update_municipality")]
pub async fn update_municipality(
    state: String,
    population: String,
    eligible_citizens: String,
    eligible_source: String,
    eligible_reference_date: String,
) -> Result<(), AppError> {
    use super::rules::german_date;
    use super::{Figures, FiguresInput};
    use crate::petitions::server::municipality;
    finish(
        async {
            let app = app_state()?;
            let staff = require_staff()?;
            let input = FiguresInput {
                state,
                population,
                eligible_citizens,
                eligible_source,
                eligible_reference_date,
            };
            let figures = Figures::parse(&input, german_date(chrono::Utc::now()))?;
            municipality::update(&app.db, Some(staff.id), &figures).await?;
            leptos_axum::redirect("/staff/municipality?notice=settings_saved");
            Ok(())
        }
        .await,
    )
}

/// Public petitions, plus the viewer's own drafts (initiators) or all drafts (staff).
#[server(prefix = "/api", endpoint = "list_petitions")]
pub async fn list_petitions() -> Result<Vec<PetitionSummary>, AppError> {
    use crate::petitions::server::procedure as petitions;
    finish(
        async {
            let app = app_state()?;
            petitions::list(&app.db, current_user().as_ref()).await
        }
        .await,
    )
}

/// One petition with its figures, timeline and the steps the viewer may take.
#[server(prefix = "/api", endpoint = "get_petition")]
pub async fn get_petition(slug: String) -> Result<PetitionDetail, AppError> {
    use crate::petitions::server::procedure as petitions;
    finish(
        async {
            let app = app_state()?;
            petitions::detail(&app.db, current_user().as_ref(), &slug).await
        }
        .await,
    )
}

/// A signed-in (hence confirmed) account drafts a petition and becomes its initiator.
#[server(prefix = "/api", endpoint = "create_petition")]
pub async fn create_petition(
    title: String,
    question: String,
    justification: String,
    #[server(default)] kind: String,
    #[server(default)] council_meeting_on: String,
    #[server(default)] council_published_on: String,
    #[server(default)] end_date: String,
    #[server(default)] representatives: Vec<RepresentativeInput>,
) -> Result<(), AppError> {
    use super::draft::{Draft, DraftInput};
    use super::rules::{german_date, rule_set};
    use crate::petitions::server::municipality;
    use crate::petitions::server::procedure as petitions;
    finish(
        async {
            let app = app_state()?;
            let user = require_user()?;
            let today = german_date(chrono::Utc::now());
            let state = municipality::get(&app.db).await?.figures.state;
            let rules = rule_set(state, today).ok_or(AppError::Internal)?;
            let input = DraftInput {
                title,
                question,
                justification,
                kind,
                council_meeting_on,
                council_published_on,
                end_date,
                representatives,
            };
            let draft = Draft::parse(&input, rules, today)?;
            let slug = petitions::create_draft(&app.db, user.id, &draft, rules, None).await?;
            leptos_axum::redirect(&format!("/petitions/{slug}/manage?notice=petition_created"));
            Ok(())
        }
        .await,
    )
}

/// Initiators and staff take the next step of the procedure; the server decides who may.
#[server(prefix = "/api", endpoint = "take_step")]
pub async fn take_step(
    slug: String,
    step: String,
    #[server(default)] note: String,
    #[server(default)] cost_estimate: String,
    #[server(default)] referendum_on: String,
    #[server(default)] yes_votes: String,
    #[server(default)] no_votes: String,
    #[server(default)] outcome: String,
) -> Result<(), AppError> {
    use super::draft::{StepAction, StepInput};
    use crate::petitions::server::procedure as petitions;
    finish(
        async {
            let app = app_state()?;
            let user = require_user()?;
            let action = StepAction::parse(&StepInput {
                step,
                note,
                cost_estimate,
                referendum_on,
                yes_votes,
                no_votes,
                outcome,
            })?;
            petitions::take_step(&app.db, &app.config.link(""), Some(&user), &slug, &action)
                .await?;
            leptos_axum::redirect(&format!("/petitions/{slug}/manage?notice=step_taken"));
            Ok(())
        }
        .await,
    )
}

/// Signs a petition online, without an account; the signature counts once the emailed link
/// is opened.
#[server(prefix = "/api", endpoint = "sign_petition")]
pub async fn sign_petition(
    slug: String,
    #[server(default)] family_name: String,
    #[server(default)] given_names: String,
    #[server(default)] birth_date: String,
    #[server(default)] street: String,
    #[server(default)] house_number: String,
    #[server(default)] postal_code: String,
    #[server(default)] city: String,
    #[server(default)] email: String,
    #[server(default)] consent: Option<String>,
    #[server(default)] notify: Option<String>,
) -> Result<(), AppError> {
    use super::rules::german_date;
    use super::signer::{OnlineSignature, SignerInput};
    use crate::infra::http::{client_ip, parts};
    use crate::petitions::server::signatures;
    finish(
        async {
            let app = app_state()?;
            let ip = client_ip(&parts()?, &app.config);
            app.limits
                .check(&app.db, Bucket::Sign, Subject::Address(ip))
                .await?;
            let input = SignerInput {
                family_name,
                given_names,
                birth_date,
                street,
                house_number,
                postal_code,
                city,
            };
            let signature = OnlineSignature::parse(
                &input,
                &email,
                consent.is_some(),
                notify.is_some(),
                german_date(chrono::Utc::now()),
            )?;
            signatures::sign(&app, &slug, &signature).await?;
            leptos_axum::redirect(&format!("/petitions/{slug}?notice=signature_pending"));
            Ok(())
        }
        .await,
    )
}

/// The petition a confirmation link belongs to: (slug, title).
#[server(prefix = "/api", endpoint = "get_confirmation")]
pub async fn get_confirmation(token: String) -> Result<(String, String), AppError> {
    use crate::petitions::server::signatures;
    finish(
        async {
            let app = app_state()?;
            signatures::pending_title(&app, &token).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "confirm_signature")]
pub async fn confirm_signature(token: String) -> Result<(), AppError> {
    use crate::petitions::server::signatures;
    finish(
        async {
            let app = app_state()?;
            let slug = signatures::confirm(&app, &token).await?;
            leptos_axum::redirect(&format!("/petitions/{slug}?notice=signature_confirmed"));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "get_receipt")]
pub async fn get_receipt(token: String) -> Result<ReceiptView, AppError> {
    use crate::petitions::server::signatures;
    finish(
        async {
            let app = app_state()?;
            signatures::receipt(&app, &token).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "withdraw_signature")]
pub async fn withdraw_signature(token: String) -> Result<(), AppError> {
    use crate::petitions::server::signatures;
    finish(
        async {
            let app = app_state()?;
            let slug = signatures::withdraw(&app, &token).await?;
            leptos_axum::redirect(&format!("/petitions/{slug}?notice=signature_withdrawn"));
            Ok(())
        }
        .await,
    )
}

/// Staff mark a returned personal sheet by its code.
#[server(prefix = "/api", endpoint = "receive_sheet")]
pub async fn receive_sheet(slug: String, code: String) -> Result<EntryResult, AppError> {
    use crate::petitions::server::signatures;
    finish(
        async {
            let app = app_state()?;
            let staff = require_staff()?;
            let result = signatures::receive_sheet(&app.db, staff.id, &slug, &code).await?;
            leptos_axum::redirect(&format!(
                "/petitions/{slug}/manage?notice=sheet_received#sheets"
            ));
            Ok(result)
        }
        .await,
    )
}

/// Staff type in one line of a returned paper list.
#[server(prefix = "/api", endpoint = "enter_paper_signature")]
pub async fn enter_paper_signature(
    slug: String,
    #[server(default)] sheet: String,
    #[server(default)] line: String,
    #[server(default)] family_name: String,
    #[server(default)] given_names: String,
    #[server(default)] birth_date: String,
    #[server(default)] street: String,
    #[server(default)] house_number: String,
    #[server(default)] postal_code: String,
    #[server(default)] city: String,
    #[server(default)] signed_on: String,
) -> Result<EntryResult, AppError> {
    use super::rules::german_date;
    use super::signer::{PaperInput, PaperLine, SignerInput};
    use crate::petitions::server::signatures;
    finish(
        async {
            let app = app_state()?;
            let staff = require_staff()?;
            let input = PaperInput {
                sheet,
                line,
                signer: SignerInput {
                    family_name,
                    given_names,
                    birth_date,
                    street,
                    house_number,
                    postal_code,
                    city,
                },
                signed_on,
            };
            let line = PaperLine::parse(&input, german_date(chrono::Utc::now()))?;
            let result = signatures::enter_paper(&app.db, staff.id, &slug, &line).await?;
            use crate::register::check::Status;
            let notice = match result.checked {
                _ if result.duplicate => "paper_duplicate",
                Status::Unchecked => "paper_entered",
                Status::Valid => "paper_valid",
                Status::NeedsReview => "paper_review",
                _ => "paper_invalid",
            };
            leptos_axum::redirect(&format!(
                "/petitions/{slug}/manage?notice={notice}&sheet={}&line={}#paper",
                line.sheet,
                line.line + 1
            ));
            Ok(result)
        }
        .await,
    )
}
