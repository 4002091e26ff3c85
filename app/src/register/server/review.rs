//! What staff do with the signatures the check could not decide: look at one with its
//! candidates side by side and decide it; void a sheet that lacked the petition text; see
//! the register imports. Every view of a person's data is an audit entry, every decision
//! names the staff member.

use std::collections::HashSet;

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, sea_query::Expr,
};
use serde_json::json;

use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::infra::audit::{self, Entry};
use crate::infra::db::{begin_write, is_unique_violation};
use crate::infra::entities::{petition, register_import, resident, signature, void_sheet};
use crate::petitions::rules::{self, german_date_text, german_datetime_text};
use crate::petitions::server::procedure::find_by_slug;
use crate::register::check::{self, Status};
use crate::register::server::signature_check::{
    self, candidates_for, current_import, entry_of, reference_day, signed_data,
};
use crate::register::view::{
    CandidateView, ImportView, RegisterOverview, ReviewItem, ReviewPage, SignedView, StatusCount,
};

const MAX_CANDIDATES: usize = 5;

fn place(s: &signature::Model) -> String {
    match (s.sheet_number, s.line_number) {
        (Some(sheet), Some(line)) => format!("Blatt {sheet}, Zeile {line}"),
        _ if s.sheet_received_at.is_some() => {
            format!("online, Bogen {}", s.sheet_code.as_deref().unwrap_or(""))
        }
        _ => "online".to_owned(),
    }
}

fn signed_view(s: &signature::Model) -> SignedView {
    SignedView {
        family_name: s.family_name.clone(),
        given_names: s.given_names.clone(),
        birth_date: match (s.birth_date, &s.birth_date_entered) {
            (Some(d), _) => german_date_text(d),
            (None, Some(written)) => format!("„{written}“ (unleserlich)"),
            (None, None) => String::new(),
        },
        street: s.street.clone(),
        house_number: s.house_number.clone(),
        postal_code: s.postal_code.clone(),
        city: s.city.clone(),
    }
}

/// Per-status counts of a petition's signatures (one grouped, indexed count).
pub async fn status_counts(
    db: &DatabaseConnection,
    petition_id: i64,
) -> Result<Vec<StatusCount>, AppError> {
    let rows: Vec<(String, i64)> = signature::Entity::find()
        .select_only()
        .column(signature::Column::Status)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .filter(signature::Column::PetitionId.eq(petition_id))
        .group_by(signature::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(Status::ALL
        .into_iter()
        .filter_map(|status| {
            rows.iter()
                .find(|(code, _)| code == status.code())
                .map(|(_, n)| StatusCount {
                    status,
                    count: u64::try_from(*n).unwrap_or(0),
                })
        })
        .collect())
}

/// The review page: counts, voided sheets, and the next signature waiting for a person
/// (after `after`, to skip one). Viewing it is logged with the signature and the register
/// entries shown.
pub async fn page(
    db: &DatabaseConnection,
    actor: i64,
    slug: &str,
    after: Option<i64>,
) -> Result<ReviewPage, AppError> {
    let p = find_by_slug(db, slug).await?;
    let import_id = current_import(db).await?;
    let counts = status_counts(db, p.id).await?;
    let waiting = counts
        .iter()
        .find(|c| c.status == Status::NeedsReview)
        .map_or(0, |c| c.count);
    let mut next = signature::Entity::find()
        .filter(signature::Column::PetitionId.eq(p.id))
        .filter(signature::Column::Status.eq(Status::NeedsReview.code()))
        .order_by_asc(signature::Column::Id);
    if let Some(after) = after {
        next = next.filter(signature::Column::Id.gt(after));
    }
    let mut item = None;
    if let (Some(s), Some(import_id)) = (next.one(db).await?, import_id) {
        item = Some(review_item(db, actor, &p, import_id, &s).await?);
    }
    let void_sheets = void_sheet::Entity::find()
        .filter(void_sheet::Column::PetitionId.eq(p.id))
        .order_by_asc(void_sheet::Column::SheetNumber)
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.sheet_number as u32, v.reason))
        .collect();
    Ok(ReviewPage {
        slug: p.slug.clone(),
        title: p.title.clone(),
        register_in_use: import_id.is_some(),
        counts,
        waiting,
        item,
        void_sheets,
        purged: p.signatures_purged_at.is_some(),
    })
}

async fn review_item(
    db: &DatabaseConnection,
    actor: i64,
    p: &petition::Model,
    import_id: i64,
    s: &signature::Model,
) -> Result<ReviewItem, AppError> {
    let rule_set = rules::rule_set_by_id(&p.rule_set_id).ok_or(AppError::Internal)?;
    let data = signed_data(s);
    let pool = candidates_for(db, import_id, std::slice::from_ref(&data)).await?;
    let day = reference_day(rule_set, p, s);
    let candidates: Vec<CandidateView> =
        check::plausible_candidates(&data, &pool.iter().collect::<Vec<_>>(), MAX_CANDIDATES)
            .into_iter()
            .map(|(r, comparison)| CandidateView {
                resident_id: r.id,
                family_name: r.family_name.clone(),
                given_names: r.given_names.clone(),
                birth_date: german_date_text(r.birth_date),
                street: r.street.clone(),
                house_number: r.house_number.clone(),
                postal_code: r.postal_code.clone(),
                city: r.city.clone(),
                district: r.district.clone(),
                comparison,
                outcome: match rule_set.check_eligibility(&r.facts(), day) {
                    Ok(()) => Status::Valid,
                    Err(why) => why.into(),
                },
            })
            .collect();
    audit::record(
        db,
        Entry {
            actor_id: Some(actor),
            action: "signature.viewed",
            target_type: "signature",
            target_id: Some(s.id.to_string()),
            details: json!({
                "petition": p.slug,
                "residents_shown": candidates.iter().map(|c| c.resident_id).collect::<Vec<_>>(),
            }),
        },
    )
    .await?;
    Ok(ReviewItem {
        signature_id: s.id,
        place: place(s),
        signed_on: s.signed_on.map(german_date_text),
        signed: signed_view(s),
        candidates,
        status: Status::parse(&s.status).unwrap_or(Status::NeedsReview),
    })
}

/// Decisions on a petition's signatures are possible while it collects or is submitted;
/// after the council's decision on admissibility its figures stand.
fn still_open(p: &petition::Model, field: &str) -> Result<(), AppError> {
    if p.signatures_purged_at.is_some() {
        return Err(AppError::field(field, t("register-check-data-purged")));
    }
    if !signature_check::open_for_checking(p) {
        return Err(AppError::field(field, t("register-check-closed")));
    }
    Ok(())
}

fn changed_meanwhile() -> AppError {
    AppError::field("decision", t("register-decision-changed"))
}

/// A reviewer's choice: the signer is this register entry (the eligibility rules then
/// decide), or the signature does not count for a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Person(i64),
    Reason(Status),
}

impl Choice {
    /// `person:<id>` or a reason code, as the review form sends it.
    pub fn parse(input: &str) -> Result<Choice, AppError> {
        let bad = || AppError::field("decision", t("register-decision-missing"));
        if let Some(id) = input.strip_prefix("person:") {
            return id.parse().map(Choice::Person).map_err(|_| bad());
        }
        Status::parse(input)
            .filter(|s| Status::REVIEW_REASONS.contains(s))
            .map(Choice::Reason)
            .ok_or_else(bad)
    }
}

/// Records a reviewer's decision; returns the status it gave. Re-validation keeps it.
pub async fn decide(
    db: &DatabaseConnection,
    actor: i64,
    slug: &str,
    signature_id: i64,
    choice: Choice,
) -> Result<Status, AppError> {
    let p = find_by_slug(db, slug).await?;
    still_open(&p, "decision")?;
    let tx = begin_write(db).await?;
    let s = signature::Entity::find_by_id(signature_id)
        .filter(signature::Column::PetitionId.eq(p.id))
        .one(&tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if s.status != Status::NeedsReview.code() {
        return Err(changed_meanwhile());
    }
    let (status, match_key, district) = match choice {
        Choice::Reason(status) => (status, s.match_key.clone(), s.district.clone()),
        Choice::Person(resident_id) => {
            let import_id = current_import(&tx)
                .await?
                .ok_or_else(|| AppError::field("decision", t("register-decision-no-register")))?;
            let r = resident::Entity::find_by_id(resident_id)
                .filter(resident::Column::ImportId.eq(import_id))
                .one(&tx)
                .await?
                .map(entry_of)
                .ok_or_else(|| AppError::field("decision", t("register-decision-person-gone")))?;
            let rule_set = rules::rule_set_by_id(&p.rule_set_id).ok_or(AppError::Internal)?;
            let status =
                match rule_set.check_eligibility(&r.facts(), reference_day(rule_set, &p, &s)) {
                    Ok(()) => Status::Valid,
                    Err(why) => why.into(),
                };
            let key = signature_check::person_key_of(&tx, import_id, &r).await?;
            if status == Status::Valid {
                // Two people's decisions that the same person counts twice would count twice.
                let other = signature::Entity::find()
                    .filter(signature::Column::PetitionId.eq(p.id))
                    .filter(signature::Column::MatchKey.eq(key.as_str()))
                    .filter(signature::Column::Manual.eq(true))
                    .filter(signature::Column::Status.eq(Status::Valid.code()))
                    .filter(signature::Column::Id.ne(s.id))
                    .one(&tx)
                    .await?;
                if let Some(other) = other {
                    return Err(AppError::field(
                        "decision",
                        t_args(
                            "register-decision-already-valid",
                            &[("place", &place(&other))],
                        ),
                    ));
                }
            }
            (status, Some(key), Some(r.district))
        }
    };
    let updated = signature::Entity::update_many()
        .col_expr(signature::Column::Status, Expr::value(status.code()))
        .col_expr(signature::Column::MatchKey, Expr::value(match_key.clone()))
        .col_expr(signature::Column::District, Expr::value(district))
        .col_expr(signature::Column::Manual, Expr::value(true))
        .col_expr(signature::Column::DecidedBy, Expr::value(actor))
        .col_expr(signature::Column::DecidedAt, Expr::value(Utc::now()))
        .filter(signature::Column::Id.eq(s.id))
        // Not if the sheet was voided or the signature withdrawn since the page was read.
        .filter(signature::Column::Status.eq(Status::NeedsReview.code()))
        .exec(&tx)
        .await?;
    if updated.rows_affected != 1 {
        return Err(changed_meanwhile());
    }
    let keys: HashSet<String> = [s.match_key.clone(), match_key]
        .into_iter()
        .flatten()
        .collect();
    signature_check::resolve_duplicates(&tx, &p, &keys).await?;
    audit::append(
        &tx,
        Entry {
            actor_id: Some(actor),
            action: "signature.reviewed",
            target_type: "signature",
            target_id: Some(s.id.to_string()),
            details: json!({
                "petition": p.slug,
                "from": s.status,
                "to": status.code(),
                "resident": match choice { Choice::Person(id) => Some(id), Choice::Reason(_) => None },
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(status)
}

/// Voids a paper sheet (it lacked the full petition text): every line on it becomes
/// `invalid_sheet`, also lines entered later.
pub async fn void_sheet(
    db: &DatabaseConnection,
    actor: i64,
    slug: &str,
    sheet: u32,
    reason: &str,
) -> Result<u64, AppError> {
    let p = find_by_slug(db, slug).await?;
    still_open(&p, "sheet")?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::field(
            "reason",
            t("register-sheet-reason-missing"),
        ));
    }
    if reason.chars().count() > 255 {
        return Err(AppError::field(
            "reason",
            t("register-sheet-reason-too-long"),
        ));
    }
    let tx = begin_write(db).await?;
    let inserted = void_sheet::Entity::insert(void_sheet::ActiveModel {
        petition_id: Set(p.id),
        sheet_number: Set(sheet as i32),
        reason: Set(reason.to_owned()),
        decided_by: Set(Some(actor)),
        decided_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_without_returning(&tx)
    .await;
    if let Err(e) = inserted {
        return Err(if is_unique_violation(&e) {
            AppError::field(
                "sheet",
                t_args(
                    "register-sheet-already-invalid",
                    &[("sheet", &sheet.to_string())],
                ),
            )
        } else {
            e.into()
        });
    }
    let lines = signature::Entity::find()
        .filter(signature::Column::PetitionId.eq(p.id))
        .filter(signature::Column::SheetNumber.eq(sheet as i32))
        .all(&tx)
        .await?;
    let keys: HashSet<String> = lines.iter().filter_map(|s| s.match_key.clone()).collect();
    let voided = signature::Entity::update_many()
        .col_expr(
            signature::Column::Status,
            Expr::value(Status::InvalidSheet.code()),
        )
        // The sheet decides, not a person's earlier look at one line: a new check keeps
        // the lines void through the voided sheet.
        .col_expr(signature::Column::Manual, Expr::value(false))
        .col_expr(signature::Column::DecidedBy, Expr::value(actor))
        .col_expr(signature::Column::DecidedAt, Expr::value(Utc::now()))
        .filter(signature::Column::PetitionId.eq(p.id))
        .filter(signature::Column::SheetNumber.eq(sheet as i32))
        .filter(
            signature::Column::Status
                .is_not_in([Status::Withdrawn.code(), Status::PendingConfirmation.code()]),
        )
        .exec(&tx)
        .await?
        .rows_affected;
    signature_check::resolve_duplicates(&tx, &p, &keys).await?;
    audit::append(
        &tx,
        Entry {
            actor_id: Some(actor),
            action: "petition.sheet_voided",
            target_type: "petition",
            target_id: Some(p.id.to_string()),
            details: json!({ "sheet": sheet, "reason": reason, "lines": voided }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(voided)
}

/// Takes back a voided sheet: its lines are checked again.
pub async fn restore_sheet(
    db: &DatabaseConnection,
    actor: i64,
    slug: &str,
    sheet: u32,
) -> Result<(), AppError> {
    let p = find_by_slug(db, slug).await?;
    still_open(&p, "sheet")?;
    let tx = begin_write(db).await?;
    let deleted = void_sheet::Entity::delete_many()
        .filter(void_sheet::Column::PetitionId.eq(p.id))
        .filter(void_sheet::Column::SheetNumber.eq(sheet as i32))
        .exec(&tx)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(AppError::field(
            "sheet",
            t_args(
                "register-sheet-not-invalid",
                &[("sheet", &sheet.to_string())],
            ),
        ));
    }
    let ids: Vec<i64> = signature::Entity::find()
        .select_only()
        .column(signature::Column::Id)
        .filter(signature::Column::PetitionId.eq(p.id))
        .filter(signature::Column::SheetNumber.eq(sheet as i32))
        .filter(signature::Column::Status.eq(Status::InvalidSheet.code()))
        .into_tuple()
        .all(&tx)
        .await?;
    // Back to "not yet checked", then checked against the register in use.
    signature::Entity::update_many()
        .col_expr(
            signature::Column::Status,
            Expr::value(Status::Unchecked.code()),
        )
        .filter(signature::Column::Id.is_in(ids.clone()))
        .exec(&tx)
        .await?;
    signature_check::check_signatures(&tx, &p, &ids).await?;
    audit::append(
        &tx,
        Entry {
            actor_id: Some(actor),
            action: "petition.sheet_restored",
            target_type: "petition",
            target_id: Some(p.id.to_string()),
            details: json!({ "sheet": sheet }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The register imports, newest first (no personal data: counts and the failed lines'
/// reasons).
pub async fn register_overview(db: &DatabaseConnection) -> Result<RegisterOverview, AppError> {
    crate::register::server::import::fail_stale(db).await?;
    let imports = register_import::Entity::find()
        .order_by_desc(register_import::Column::Id)
        .limit(10)
        .all(db)
        .await?;
    // The register in use is the newest completed import: read from the same rows, so that
    // an import completing meanwhile cannot show as completed but not in use.
    let in_use = imports
        .iter()
        .find(|i| i.status == register_import::status::COMPLETED)
        .map(|i| i.id);
    let imports = imports
        .into_iter()
        .map(|i| ImportView {
            id: i.id,
            started: german_datetime_text(i.started_at),
            finished: i.finished_at.map(german_datetime_text),
            in_use: Some(i.id) == in_use,
            status: i.status,
            file_name: i.file_name,
            encoding: i.encoding,
            rows: u64::try_from(i.rows).unwrap_or(0),
            eligible: u64::try_from(i.eligible).unwrap_or(0),
            bad_lines: u64::try_from(i.bad_lines).unwrap_or(0),
            bytes_read: u64::try_from(i.bytes_read).unwrap_or(0),
            bytes_total: u64::try_from(i.bytes_total).unwrap_or(0),
            report: i
                .report
                .map(|r| r.lines().map(str::to_owned).collect())
                .unwrap_or_default(),
        })
        .collect();
    Ok(RegisterOverview { imports })
}
