//! The procedure of a citizens' petition: drafting, each step of the lifecycle with its
//! audit entry, public timeline entry and emails, and what the pages read.

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait, Query},
};
use serde_json::json;

use super::query::rule_set_of;
pub use super::query::{collection_end, find_by_slug, visible_to_public};
pub use super::sheets::{pdf_document, signature_list};
use super::tally;
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::infra::audit::{self, Entry};
use crate::infra::auth::SessionUser;
use crate::infra::db::{begin_write, is_unique_violation};
use crate::infra::entities::signature::status;
use crate::infra::entities::{
    outbox, petition, petition_event, petition_representative, signature,
};
use crate::infra::mail::{enqueue, templates};
use crate::petitions::draft::{Draft, Kind, Outcome, StepAction, slugify};
use crate::petitions::lifecycle::{self, Actor, Stage, Step, parse_step_code, step_code};
use crate::petitions::rules::{self, CouncilDecision, RuleSet, german_date};
use crate::petitions::server::municipality;
use crate::petitions::view::{
    Permissions, PetitionDetail, PetitionSummary, RepresentativeView, TimelineEntry,
};
use crate::site::server as site;

fn stage_of(p: &petition::Model) -> Result<Stage, AppError> {
    Stage::parse(&p.stage).ok_or(AppError::Internal)
}

/// Whether the viewer may see the petition: public stages for everyone; drafts (and a
/// petition withdrawn before publication) only for its initiator and staff.
fn visible(p: &petition::Model, viewer: Option<&SessionUser>) -> bool {
    visible_to_public(p) || viewer.is_some_and(|u| u.is_staff() || p.created_by == Some(u.id))
}

/// Fixed pages under `/petitions/`.
const RESERVED_SLUGS: [&str; 3] = ["new", "confirm", "receipt"];

/// Creates a draft; the initiator is the signed-in account. Returns the slug.
pub async fn create_draft(
    db: &DatabaseConnection,
    initiator: i64,
    draft: &Draft,
    rule_set: &RuleSet,
    slug: Option<&str>,
) -> Result<String, AppError> {
    let base = slug
        .map(str::to_owned)
        .unwrap_or_else(|| slugify(&draft.title));
    // Paths of fixed pages under /petitions/ cannot be a petition's name.
    let reserved = RESERVED_SLUGS.contains(&base.as_str());
    let now = Utc::now();
    for attempt in if reserved { 2 } else { 1 }..=20 {
        let slug = if attempt == 1 {
            base.clone()
        } else {
            format!("{base}-{attempt}")
        };
        let tx = begin_write(db).await?;
        let inserted = petition::Entity::insert(petition::ActiveModel {
            slug: Set(slug.clone()),
            title: Set(draft.title.clone()),
            question: Set(draft.question.clone()),
            justification: Set(draft.justification.clone()),
            kind: Set(draft.kind.as_str().to_owned()),
            council_meeting_on: Set(draft.council_decision.map(|d| d.meeting_day)),
            council_published_on: Set(draft.council_decision.and_then(|d| d.published_on)),
            cost_estimate_requested_on: Set(None),
            cost_estimated_on: Set(None),
            deadline: Set(draft.deadline),
            end_date: Set(draft.end_date),
            stage: Set(Stage::Draft.as_str().to_owned()),
            rule_set_id: Set(rule_set.id.to_owned()),
            cost_estimate: Set(None),
            required: Set(None),
            required_explanation: Set(None),
            created_by: Set(Some(initiator)),
            created_at: Set(now),
            updated_at: Set(now),
            published_at: Set(None),
            submitted_at: Set(None),
            decision_reason: Set(None),
            referendum_on: Set(None),
            referendum_yes: Set(None),
            referendum_no: Set(None),
            referendum_outcome: Set(None),
            ..Default::default()
        })
        .exec(&tx)
        .await;
        let id = match inserted {
            Ok(r) => r.last_insert_id,
            Err(e) if is_unique_violation(&e) => {
                tx.rollback().await?;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        for (i, r) in draft.representatives.iter().enumerate() {
            petition_representative::Entity::insert(petition_representative::ActiveModel {
                petition_id: Set(id),
                position: Set(i as i32 + 1),
                name: Set(r.name.clone()),
                address: Set(r.address.clone()),
                email: Set(r.email.clone()),
                ..Default::default()
            })
            .exec_without_returning(&tx)
            .await?;
        }
        audit::append(
            &tx,
            Entry {
                actor_id: Some(initiator),
                action: "petition.created",
                target_type: "petition",
                target_id: Some(id.to_string()),
                details: json!({ "slug": slug, "kind": draft.kind.as_str() }),
            },
        )
        .await?;
        tx.commit().await?;
        return Ok(slug);
    }
    Err(AppError::Internal)
}

/// Takes a step of the procedure for `user`. `base_url` starts the links in the emails.
pub async fn take_step(
    db: &DatabaseConnection,
    base_url: &str,
    user: Option<&SessionUser>,
    slug: &str,
    action: &StepAction,
) -> Result<Stage, AppError> {
    let p = find_by_slug(db, slug).await?;
    let step = action.step();
    let actor = match user {
        None => Actor::System,
        Some(u) => match step.actor() {
            Actor::Initiator if p.created_by == Some(u.id) => Actor::Initiator,
            Actor::Staff if u.is_staff() => Actor::Staff,
            _ if !visible(&p, Some(u)) => return Err(AppError::NotFound),
            _ => return Err(AppError::Forbidden),
        },
    };
    let from = stage_of(&p)?;
    let rule_set = rule_set_of(&p)?;
    let to = lifecycle::next(from, step, actor, rule_set.cost_estimate_by_administration)
        .map_err(|e| AppError::field("step", e.message()))?;
    let now = Utc::now();
    let update = petition::Entity::update_many()
        .col_expr(petition::Column::Stage, Expr::value(to.as_str()))
        .col_expr(petition::Column::UpdatedAt, Expr::value(now));
    let update = step_columns(db, &p, rule_set, action, update, now).await?;

    let tx = begin_write(db).await?;
    // Conditional on the stage read above: of two simultaneous steps only one is taken.
    let res = update
        .filter(petition::Column::Id.eq(p.id))
        .filter(petition::Column::Stage.eq(from.as_str()))
        .exec(&tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::field(
            "step",
            lifecycle::StepError::NotNow.message(),
        ));
    }
    let public = p.published_at.is_some() || step == Step::ApprovePublication;
    let note = action.note();
    petition_event::Entity::insert(petition_event::ActiveModel {
        petition_id: Set(p.id),
        at: Set(now),
        step: Set(step_code(step).to_owned()),
        stage: Set(to.as_str().to_owned()),
        public: Set(public),
        actor_id: Set(user.map(|u| u.id)),
        note: Set(note.clone()),
        ..Default::default()
    })
    .exec_without_returning(&tx)
    .await?;
    audit::append(
        &tx,
        Entry {
            actor_id: user.map(|u| u.id),
            action: &format!("petition.{}", step_code(step)),
            target_type: "petition",
            target_id: Some(p.id.to_string()),
            details: json!({ "slug": p.slug, "from": from.as_str(), "to": to.as_str() }),
        },
    )
    .await?;
    if public {
        notify(&tx, base_url, &p, step, note.as_deref()).await?;
    }
    tx.commit().await?;
    Ok(to)
}

/// The columns a step sets besides the stage: what the step records (the cost estimate,
/// the quorum fixed at publication, the referendum's result …). Refuses publication
/// without the municipality's figures and after the deadline.
async fn step_columns(
    db: &DatabaseConnection,
    p: &petition::Model,
    rule_set: &RuleSet,
    action: &StepAction,
    mut update: sea_orm::UpdateMany<petition::Entity>,
    now: chrono::DateTime<Utc>,
) -> Result<sea_orm::UpdateMany<petition::Entity>, AppError> {
    let today = german_date(now);
    match action {
        StepAction::RequestCostEstimate => {
            update = update.col_expr(
                petition::Column::CostEstimateRequestedOn,
                Expr::value(today),
            );
        }
        StepAction::EnterCostEstimate { cost_estimate } => {
            update = update
                .col_expr(
                    petition::Column::CostEstimate,
                    Expr::value(cost_estimate.as_str()),
                )
                .col_expr(petition::Column::CostEstimatedOn, Expr::value(today));
            // The deadline of a petition against a council decision pauses while the
            // administration works on the estimate.
            if let (Some(meeting), Some(requested)) =
                (p.council_meeting_on, p.cost_estimate_requested_on)
            {
                let decision = CouncilDecision {
                    meeting_day: meeting,
                    published_on: p.council_published_on,
                };
                if let Ok(deadline) =
                    rule_set.cassatory_deadline(decision, Some((requested, today)))
                {
                    update = update.col_expr(petition::Column::Deadline, Expr::value(deadline));
                }
            }
        }
        StepAction::ApprovePublication => {
            let frame = municipality::legal_frame(db).await?;
            let requirement = frame
                .requirement
                .ok_or_else(|| AppError::field("step", t("petition-step-figures-missing")))?;
            if let Some(end) = collection_end(p)
                && end < today
            {
                return Err(AppError::field(
                    "step",
                    t_args(
                        "petition-step-deadline-passed",
                        &[("date", &rules::german_date_text(end))],
                    ),
                ));
            }
            update = update
                .col_expr(
                    petition::Column::RuleSetId,
                    Expr::value(frame.rule_set_id.as_str()),
                )
                .col_expr(
                    petition::Column::Required,
                    Expr::value(requirement.required as i64),
                )
                .col_expr(
                    petition::Column::RequiredExplanation,
                    Expr::value(requirement.explanation.as_str()),
                )
                .col_expr(petition::Column::PublishedAt, Expr::value(now));
        }
        StepAction::Submit => {
            update = update.col_expr(petition::Column::SubmittedAt, Expr::value(now));
        }
        StepAction::DeclareInadmissible { reason } => {
            update = update.col_expr(
                petition::Column::DecisionReason,
                Expr::value(reason.as_str()),
            );
        }
        StepAction::CouncilAdopts { note } if !note.is_empty() => {
            update = update.col_expr(petition::Column::DecisionReason, Expr::value(note.as_str()));
        }
        StepAction::ScheduleReferendum { on } => {
            update = update.col_expr(petition::Column::ReferendumOn, Expr::value(*on));
        }
        StepAction::RecordResult { yes, no, outcome } => {
            update = update
                .col_expr(petition::Column::ReferendumYes, Expr::value(*yes as i64))
                .col_expr(petition::Column::ReferendumNo, Expr::value(*no as i64))
                .col_expr(
                    petition::Column::ReferendumOutcome,
                    Expr::value(outcome.as_str()),
                );
        }
        _ => {}
    }
    Ok(update)
}

/// Mails the representatives and every signer who asked for news, in the step's
/// transaction. The signers' mails are written by one INSERT … SELECT, so a petition with a
/// hundred thousand subscribers does not load them into memory.
async fn notify<C: ConnectionTrait>(
    tx: &C,
    base_url: &str,
    p: &petition::Model,
    step: Step,
    note: Option<&str>,
) -> Result<(), AppError> {
    let municipality = site::municipality_name(tx).await?;
    let link = format!("{}/petitions/{}", base_url.trim_end_matches('/'), p.slug);
    let mail = templates::petition_news(&municipality, &p.title, step.label(), note, &link);
    let reps = petition_representative::Entity::find()
        .filter(petition_representative::Column::PetitionId.eq(p.id))
        .all(tx)
        .await?;
    for email in reps.iter().filter_map(|r| r.email.as_deref()) {
        enqueue(tx, email, mail.clone()).await?;
    }
    let now = Utc::now();
    let select = Query::select()
        .expr(Expr::col(signature::Column::Email))
        .expr(Expr::val(mail.subject.clone()))
        .expr(Expr::val(mail.text.clone()))
        .expr(Expr::val(mail.html.clone()))
        .expr(Expr::val(now))
        .expr(Expr::val(0))
        .expr(Expr::val(now))
        .from(signature::Entity)
        .and_where(Expr::col(signature::Column::PetitionId).eq(p.id))
        .and_where(Expr::col(signature::Column::Notify).eq(true))
        .and_where(Expr::col(signature::Column::Email).is_not_null())
        .and_where(
            Expr::col(signature::Column::Status)
                .is_not_in([status::PENDING_CONFIRMATION, status::WITHDRAWN]),
        )
        .to_owned();
    let insert = Query::insert()
        .into_table(outbox::Entity)
        .columns([
            outbox::Column::Recipient,
            outbox::Column::Subject,
            outbox::Column::BodyText,
            outbox::Column::BodyHtml,
            outbox::Column::CreatedAt,
            outbox::Column::Attempts,
            outbox::Column::NextAttemptAt,
        ])
        .select_from(select)
        .map_err(|e| {
            tracing::error!(error = %e, "building the news insert");
            AppError::Internal
        })?
        .to_owned();
    tx.execute(&insert).await?;
    Ok(())
}

/// Ends collection for petitions whose deadline or end date has passed. Called by every
/// instance now and then; the conditional stage update makes it safe to run in parallel.
pub async fn expire_due(db: &DatabaseConnection, base_url: &str) -> Result<usize, AppError> {
    let today = german_date(Utc::now());
    let candidates = petition::Entity::find()
        .filter(petition::Column::Stage.is_in([
            Stage::Draft.as_str(),
            Stage::CostEstimated.as_str(),
            Stage::Collecting.as_str(),
        ]))
        .all(db)
        .await?;
    let mut expired = 0;
    for p in candidates {
        // Before publication only the legal deadline ends a petition (a cassatory draft);
        // the initiators' own end date applies to the collection.
        let end = if p.stage == Stage::Collecting.as_str() {
            collection_end(&p)
        } else {
            p.deadline
        };
        if end.is_some_and(|end| end < today) {
            match take_expire(db, base_url, &p).await {
                Ok(()) => expired += 1,
                Err(e) => tracing::warn!(slug = %p.slug, error = ?e, "expiring a petition"),
            }
        }
    }
    Ok(expired)
}

async fn take_expire(
    db: &DatabaseConnection,
    base_url: &str,
    p: &petition::Model,
) -> Result<(), AppError> {
    let from = stage_of(p)?;
    let to = lifecycle::next(from, Step::Expire, Actor::System, true)
        .map_err(|e| AppError::field("step", e.message()))?;
    let now = Utc::now();
    let tx = begin_write(db).await?;
    let res = petition::Entity::update_many()
        .col_expr(petition::Column::Stage, Expr::value(to.as_str()))
        .col_expr(petition::Column::UpdatedAt, Expr::value(now))
        .filter(petition::Column::Id.eq(p.id))
        .filter(petition::Column::Stage.eq(from.as_str()))
        .exec(&tx)
        .await?;
    if res.rows_affected != 1 {
        return Ok(());
    }
    let public = p.published_at.is_some();
    petition_event::Entity::insert(petition_event::ActiveModel {
        petition_id: Set(p.id),
        at: Set(now),
        step: Set(step_code(Step::Expire).to_owned()),
        stage: Set(to.as_str().to_owned()),
        public: Set(public),
        actor_id: Set(None),
        note: Set(None),
        ..Default::default()
    })
    .exec_without_returning(&tx)
    .await?;
    audit::append(
        &tx,
        Entry {
            actor_id: None,
            action: "petition.expire",
            target_type: "petition",
            target_id: Some(p.id.to_string()),
            details: json!({ "slug": p.slug, "from": from.as_str() }),
        },
    )
    .await?;
    if public {
        notify(&tx, base_url, p, Step::Expire, None).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn summary(
    db: &DatabaseConnection,
    p: &petition::Model,
) -> Result<PetitionSummary, AppError> {
    Ok(PetitionSummary {
        slug: p.slug.clone(),
        title: p.title.clone(),
        question: p.question.clone(),
        stage: stage_of(p)?,
        kind: Kind::parse(&p.kind).unwrap_or(Kind::Initiating),
        tally: tally::tally(db, p).await?,
        ends_on: collection_end(p),
    })
}

/// Petitions the viewer may see, newest first: the public ones, plus drafts of their own
/// (initiators) or all drafts (staff).
pub async fn list(
    db: &DatabaseConnection,
    viewer: Option<&SessionUser>,
) -> Result<Vec<PetitionSummary>, AppError> {
    let all = petition::Entity::find()
        .order_by_desc(petition::Column::CreatedAt)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for p in all.iter().filter(|p| visible(p, viewer)) {
        out.push(summary(db, p).await?);
    }
    Ok(out)
}

/// Everything the petition page shows, and which steps the viewer may take.
pub async fn detail(
    db: &DatabaseConnection,
    viewer: Option<&SessionUser>,
    slug: &str,
) -> Result<PetitionDetail, AppError> {
    let p = find_by_slug(db, slug).await?;
    if !visible(&p, viewer) {
        return Err(AppError::NotFound);
    }
    let rule_set = rule_set_of(&p)?;
    let stage = stage_of(&p)?;
    let reps = petition_representative::Entity::find()
        .filter(petition_representative::Column::PetitionId.eq(p.id))
        .order_by_asc(petition_representative::Column::Position)
        .all(db)
        .await?;
    let initiator = viewer.is_some_and(|u| p.created_by == Some(u.id));
    let staff = viewer.is_some_and(SessionUser::is_staff);
    let events = petition_event::Entity::find()
        .filter(petition_event::Column::PetitionId.eq(p.id))
        .order_by_asc(petition_event::Column::At)
        .order_by_asc(petition_event::Column::Id)
        .all(db)
        .await?;
    let timeline = events
        .into_iter()
        .filter(|e| e.public || initiator || staff)
        .filter_map(|e| {
            Some(TimelineEntry {
                at: e.at,
                step: parse_step_code(&e.step)?,
                note: e.note,
            })
        })
        .collect();
    let mut steps = Vec::new();
    for step in [
        Step::RequestCostEstimate,
        Step::EnterCostEstimate,
        Step::ApprovePublication,
        Step::Submit,
        Step::DeclareAdmissible,
        Step::DeclareInadmissible,
        Step::CouncilAdopts,
        Step::ScheduleReferendum,
        Step::RecordResult,
        Step::Withdraw,
    ] {
        let actor = match step.actor() {
            Actor::Initiator if initiator => Actor::Initiator,
            Actor::Staff if staff => Actor::Staff,
            _ => continue,
        };
        if lifecycle::next(stage, step, actor, rule_set.cost_estimate_by_administration).is_ok() {
            steps.push(step);
        }
    }
    let today = german_date(Utc::now());
    let end = collection_end(&p);
    let municipality = site::municipality_name(db).await?;
    Ok(PetitionDetail {
        id: p.id,
        published: visible_to_public(&p),
        summary: summary(db, &p).await?,
        municipality,
        justification: p.justification.clone(),
        council_meeting_on: p.council_meeting_on,
        council_published_on: p.council_published_on,
        cost_estimate: p.cost_estimate.clone(),
        required_explanation: p.required_explanation.clone(),
        rule_citation: rule_set.citation.to_owned(),
        representatives: reps
            .into_iter()
            .map(|r| RepresentativeView {
                name: r.name,
                address: r.address,
            })
            .collect(),
        timeline,
        per_day: tally::per_day(db, p.id).await?,
        days_left: end
            .filter(|_| stage == Stage::Collecting)
            .map(|end| Ord::max((end - today).num_days() + 1, 0)),
        referendum_on: p.referendum_on,
        referendum_yes: p.referendum_yes.and_then(|n| u64::try_from(n).ok()),
        referendum_no: p.referendum_no.and_then(|n| u64::try_from(n).ok()),
        referendum_outcome: p.referendum_outcome.as_deref().and_then(Outcome::parse),
        permissions: Permissions {
            initiator,
            staff,
            steps,
        },
    })
}
