//! The texts every printed sheet of a petition carries, and the blank signature list.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use super::documents;
use super::municipality;
use super::query::{collection_end, find_by_slug, rule_set_of, visible_to_public};
use crate::error::AppError;
use crate::infra::entities::{petition, petition_representative};
use crate::petitions::lifecycle::Stage;
use crate::petitions::rules;

/// The texts every printed sheet must carry.
pub async fn pdf_document<C: ConnectionTrait>(
    db: &C,
    p: &petition::Model,
) -> Result<documents::PetitionText, AppError> {
    let reps = petition_representative::Entity::find()
        .filter(petition_representative::Column::PetitionId.eq(p.id))
        .order_by_asc(petition_representative::Column::Position)
        .all(db)
        .await?;
    let frame = municipality::get(db).await?;
    Ok(documents::PetitionText {
        municipality: frame.name,
        title: p.title.clone(),
        question: p.question.clone(),
        justification: p.justification.clone(),
        cost_estimate: p.cost_estimate.clone(),
        council_decision: p.council_meeting_on.map(|d| {
            format!(
                "Das Bürgerbegehren richtet sich gegen den Beschluss des Rates vom {}.",
                rules::german_date_text(d)
            )
        }),
        representatives: reps.into_iter().map(|r| (r.name, r.address)).collect(),
        citation: rule_set_of(p)?.citation.to_owned(),
        ends_on: collection_end(p),
    })
}

/// The blank signature list (public: anyone may collect).
pub async fn signature_list(db: &DatabaseConnection, slug: &str) -> Result<Vec<u8>, AppError> {
    let p = find_by_slug(db, slug).await?;
    if !visible_to_public(&p) || Stage::parse(&p.stage) != Some(Stage::Collecting) {
        return Err(AppError::NotFound);
    }
    let doc = pdf_document(db, &p).await?;
    Ok(documents::signature_list(&doc))
}
