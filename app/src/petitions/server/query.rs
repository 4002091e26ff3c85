//! Finding a petition and the facts about it that signing, checking and the procedure all
//! need. Below every other petition module, so none of them has to import another to ask.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::error::AppError;
use crate::infra::entities::{petition, signature};
use crate::petitions::rules::{self, RuleSet};
use crate::register::check::Status;

pub async fn find_by_slug<C: ConnectionTrait>(
    db: &C,
    slug: &str,
) -> Result<petition::Model, AppError> {
    if slug.is_empty() || slug.len() > 80 {
        return Err(AppError::NotFound);
    }
    petition::Entity::find()
        .filter(petition::Column::Slug.eq(slug))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The last day of collection: the legal deadline or the initiators' own end, the earlier.
pub fn collection_end(p: &petition::Model) -> Option<NaiveDate> {
    match (p.deadline, p.end_date) {
        (Some(a), Some(b)) => Some(Ord::min(a, b)),
        (a, b) => a.or(b),
    }
}

/// The petition's rule set (its state's law on the day it was drafted).
pub fn rule_set_of(p: &petition::Model) -> Result<&'static RuleSet, AppError> {
    rules::rule_set_by_id(&p.rule_set_id).ok_or_else(|| {
        tracing::error!(rule_set = %p.rule_set_id, "unknown rule set");
        AppError::Internal
    })
}

/// Published once: stays public whatever happens next (also when withdrawn or expired).
pub fn visible_to_public(p: &petition::Model) -> bool {
    p.published_at.is_some()
}

/// A signature's status as stored.
pub async fn signature_status<C: sea_orm::ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<Status, AppError> {
    use sea_orm::{EntityTrait, QuerySelect};
    let code: Option<String> = signature::Entity::find_by_id(id)
        .select_only()
        .column(signature::Column::Status)
        .into_tuple()
        .one(db)
        .await?;
    code.as_deref()
        .and_then(Status::parse)
        .ok_or(AppError::Internal)
}
