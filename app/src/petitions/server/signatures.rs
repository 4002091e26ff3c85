//! Signatures: online signing with double opt-in, receipts and withdrawal, personal sheets
//! that come back signed by hand, paper lines typed in by staff, and the counters that the
//! progress bar and `tally.json` read.
//!
//! Counting never scans the signatures: every change of what counts adds or subtracts one in
//! `petition_counts` in the same transaction, spread over a few shards so that parallel
//! confirmations do not queue on one row.

use chrono::{NaiveDate, TimeDelta, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait, OnConflict},
};
use serde_json::json;

use super::documents;
use super::query::{collection_end, find_by_slug, signature_status, visible_to_public};
use super::sheets::pdf_document;
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::infra::audit::{self, Entry};
use crate::infra::db::{begin_write, is_unique_violation};
use crate::infra::entities::{petition, petition_count, signature};
use crate::infra::mail::{MailAttachment, enqueue, templates};
use crate::infra::state::AppState;
use crate::infra::tokens;
use crate::petitions::lifecycle::Stage;
use crate::petitions::matching::signer_key;
use crate::petitions::rules::{self, german_date, german_date_text};
use crate::petitions::signer::{OnlineSignature, PaperLine, Signer};
use crate::petitions::view::{EntryResult, ReceiptView};
use crate::register::check::Status;
use crate::register::server::signature_check as validation;
use crate::site::server as site;

/// How long the confirmation link of an online signature is valid.
pub const CONFIRM_VALIDITY: TimeDelta = TimeDelta::days(7);
const SHARDS: u32 = 8;

pub use super::tally::{per_day, tally};
pub use crate::infra::entities::signature::channel::{ONLINE, PAPER};
pub use crate::infra::entities::signature::status;

/// Adds `delta` to the count of `channel` on `day`, in the caller's transaction.
async fn bump<C: ConnectionTrait>(
    db: &C,
    petition_id: i64,
    day: NaiveDate,
    channel: &str,
    delta: i64,
) -> Result<(), DbErr> {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let shard = i16::try_from(OsRng.next_u32() % SHARDS).unwrap_or(0);
    petition_count::Entity::insert(petition_count::ActiveModel {
        petition_id: Set(petition_id),
        day: Set(day),
        channel: Set(channel.to_owned()),
        shard: Set(shard),
        n: Set(delta),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            petition_count::Column::PetitionId,
            petition_count::Column::Day,
            petition_count::Column::Channel,
            petition_count::Column::Shard,
        ])
        .value(
            petition_count::Column::N,
            Expr::col((petition_count::Entity, petition_count::Column::N))
                .add(Expr::cust("excluded.n")),
        )
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Refuses signatures for a petition that is not collecting or whose collection has ended.
fn check_collecting(p: &petition::Model, today: NaiveDate) -> Result<(), AppError> {
    if Stage::parse(&p.stage) != Some(Stage::Collecting) {
        return Err(AppError::NotCollecting {
            message: t("petition-not-collecting"),
        });
    }
    if let Some(end) = collection_end(p)
        && today > end
    {
        return Err(AppError::NotCollecting {
            message: t_args(
                "petition-collection-ended-on",
                &[("date", &german_date_text(end))],
            ),
        });
    }
    Ok(())
}

/// Confirmation mails one address may receive per petition and day, and in all per day.
/// Beyond them a signature is refused quietly (the same answer as always): nobody can use
/// the form to send mail to someone else's address in bulk.
pub const MAILS_PER_ADDRESS_AND_PETITION: u64 = 3;
pub const MAILS_PER_ADDRESS: u64 = 10;

/// Records an online signature as pending and mails the confirmation link (double opt-in).
/// Nothing counts until the link is opened, and nothing is decided here: whether the person
/// signed before is decided at confirmation, so the answer (always `Ok`) says nothing about
/// anyone's signature, and an unconfirmed row never blocks a later one.
pub async fn sign(state: &AppState, slug: &str, s: &OnlineSignature) -> Result<(), AppError> {
    let p = find_by_slug(&state.db, slug).await?;
    if !visible_to_public(&p) {
        return Err(AppError::NotFound);
    }
    let today = german_date(Utc::now());
    check_collecting(&p, today)?;
    let municipality = site::municipality_name(&state.db).await?;
    let key = signer_key(
        &s.signer.family_name,
        &s.signer.given_names,
        s.signer.birth_date,
        &s.signer.street,
        &s.signer.house_number,
        &s.signer.postal_code,
    );
    let raw = tokens::generate();
    let now = Utc::now();
    let tx = begin_write(&state.db).await?;
    if !within_mail_limits(&tx, p.id, s.email.as_str(), now).await? {
        tracing::warn!(
            petition = p.id,
            "confirmation mail limit of an address reached: signature refused quietly"
        );
        tx.commit().await?;
        return Ok(());
    }
    signature::Entity::insert(signature::ActiveModel {
        petition_id: Set(p.id),
        channel: Set(ONLINE.to_owned()),
        status: Set(status::PENDING_CONFIRMATION.to_owned()),
        email: Set(Some(s.email.as_str().to_owned())),
        notify: Set(s.notify),
        signed_on: Set(Some(today)),
        confirm_token_hash: Set(Some(tokens::hash(state.config.secret(), &raw))),
        confirm_expires_at: Set(Some(now + CONFIRM_VALIDITY)),
        created_at: Set(now),
        // The person's place is taken at confirmation, not before.
        dedup_key: Set(None),
        ..signer_columns(&s.signer, &key)
    })
    .exec_without_returning(&tx)
    .await?;
    let link = state
        .config
        .link(&format!("/petitions/confirm?token={raw}"));
    enqueue(
        &tx,
        s.email.as_str(),
        templates::confirm_signature(crate::i18n::current_lang(), &municipality, &p.title, &link),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether `email` may receive one more confirmation mail today (see
/// [`MAILS_PER_ADDRESS_AND_PETITION`]); counted from the signatures of the last 24 hours,
/// in the database, so the limit holds across instances. One read of at most
/// `MAILS_PER_ADDRESS` rows: the limit itself keeps them few.
async fn within_mail_limits<C: ConnectionTrait>(
    db: &C,
    petition_id: i64,
    email: &str,
    now: chrono::DateTime<Utc>,
) -> Result<bool, AppError> {
    let petitions: Vec<i64> = signature::Entity::find()
        .select_only()
        .column(signature::Column::PetitionId)
        .filter(signature::Column::Email.eq(email))
        .filter(signature::Column::Channel.eq(ONLINE))
        .filter(signature::Column::CreatedAt.gt(now - TimeDelta::days(1)))
        .limit(MAILS_PER_ADDRESS)
        .into_tuple()
        .all(db)
        .await?;
    let here = petitions.iter().filter(|p| **p == petition_id).count() as u64;
    Ok((petitions.len() as u64) < MAILS_PER_ADDRESS && here < MAILS_PER_ADDRESS_AND_PETITION)
}

fn signer_columns(s: &Signer, key: &str) -> signature::ActiveModel {
    signature::ActiveModel {
        family_name: Set(s.family_name.clone()),
        given_names: Set(s.given_names.clone()),
        birth_date: Set(Some(s.birth_date)),
        street: Set(s.street.clone()),
        house_number: Set(s.house_number.clone()),
        postal_code: Set(s.postal_code.clone()),
        city: Set(s.city.clone()),
        identity_key: Set(key.to_owned()),
        dedup_key: Set(Some(key.to_owned())),
        notify: Set(false),
        email: Set(None),
        sheet_number: Set(None),
        line_number: Set(None),
        sheet_code: Set(None),
        sheet_received_at: Set(None),
        signed_on: Set(None),
        counted_on: Set(None),
        confirm_token_hash: Set(None),
        confirm_expires_at: Set(None),
        receipt_token_hash: Set(None),
        entered_by: Set(None),
        confirmed_at: Set(None),
        withdrawn_at: Set(None),
        ..Default::default()
    }
}

/// A code for a personal sheet: eight characters without look-alikes (0/O, 1/I/L, 2/Z, 8/B),
/// written `ABCD-EFGH`, easy to type and to read out on the phone.
fn sheet_code() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    const ALPHABET: &[u8] = b"ACDEFGHJKMNPQRTUVWXY345679";
    let mut out = String::with_capacity(9);
    for i in 0..8 {
        if i == 4 {
            out.push('-');
        }
        let n = OsRng.next_u32() as usize % ALPHABET.len();
        out.push(char::from(ALPHABET[n]));
    }
    out
}

/// A code as staff or a scanner type it: case, spaces and hyphens do not matter.
pub fn normalize_sheet_code(input: &str) -> Option<String> {
    let plain: String = input
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (plain.len() == 8).then(|| format!("{}-{}", &plain[..4], &plain[4..]))
}

fn token_hash(raw: &str, state: &AppState) -> Option<String> {
    (!raw.is_empty() && raw.len() <= 100).then(|| tokens::hash(state.config.secret(), raw))
}

/// The petition a confirmation link belongs to, to show on the confirmation page. A link
/// that is unknown, used or expired gives `LinkInvalid`.
pub async fn pending_title(state: &AppState, raw: &str) -> Result<(String, String), AppError> {
    let hash = token_hash(raw, state).ok_or(AppError::LinkInvalid)?;
    let s = signature::Entity::find()
        .filter(signature::Column::ConfirmTokenHash.eq(hash))
        .one(&state.db)
        .await?
        .ok_or(AppError::LinkInvalid)?;
    if s.confirm_expires_at.is_none_or(|e| e <= Utc::now()) {
        return Err(AppError::LinkInvalid);
    }
    let p = petition::Entity::find_by_id(s.petition_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::LinkInvalid)?;
    Ok((p.slug, p.title))
}

/// Confirms an online signature: it counts from now on (as online support where the law
/// wants handwritten signatures), and the signer gets a receipt with a withdrawal link and,
/// where needed, the personal sheet to sign by hand. Returns the petition's slug.
pub async fn confirm(state: &AppState, raw: &str) -> Result<String, AppError> {
    let hash = token_hash(raw, state).ok_or(AppError::LinkInvalid)?;
    let now = Utc::now();
    let today = german_date(now);
    let s = signature::Entity::find()
        .filter(signature::Column::ConfirmTokenHash.eq(hash.as_str()))
        .one(&state.db)
        .await?
        .ok_or(AppError::LinkInvalid)?;
    if s.status != status::PENDING_CONFIRMATION || s.confirm_expires_at.is_none_or(|e| e <= now) {
        return Err(AppError::LinkInvalid);
    }
    let p = petition::Entity::find_by_id(s.petition_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::LinkInvalid)?;
    check_collecting(&p, today)?;
    let rule_set = rules::rule_set_by_id(&p.rule_set_id).ok_or(AppError::Internal)?;
    let needs_sheet = !rule_set.online_signatures_count;
    let municipality = site::municipality_name(&state.db).await?;
    let receipt = tokens::generate();
    let code = needs_sheet.then(sheet_code);

    let tx = begin_write(&state.db).await?;
    // Conditional on the pending state: of two clicks on the same link only one counts.
    let updated = signature::Entity::update_many()
        .col_expr(signature::Column::ConfirmedAt, Expr::value(now))
        .col_expr(
            signature::Column::ConfirmTokenHash,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            signature::Column::ReceiptTokenHash,
            Expr::value(tokens::hash(state.config.secret(), &receipt)),
        )
        .col_expr(signature::Column::SheetCode, Expr::value(code.clone()))
        .col_expr(
            signature::Column::DedupKey,
            Expr::value(Option::<String>::None),
        )
        .filter(signature::Column::Id.eq(s.id))
        .filter(signature::Column::Status.eq(status::PENDING_CONFIRMATION))
        .exec(&tx)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::LinkInvalid);
    }
    // Whether the person signed before decides only what staff see: the signer gets the
    // same thanks, receipt and sheet either way.
    if take_place(&tx, s.id, &s.identity_key, today).await? {
        bump(&tx, p.id, today, ONLINE, 1).await?;
    }
    validation::check_signatures(&tx, &p, &[s.id]).await?;
    if let Some(email) = &s.email {
        let receipt_link = state
            .config
            .link(&format!("/petitions/receipt?token={receipt}"));
        // In the language of the confirming request: signers have no account.
        let mut mail = templates::signature_receipt(
            crate::i18n::current_lang(),
            &municipality,
            &p.title,
            &receipt_link,
            code.as_deref(),
            collection_end(&p),
        );
        if let Some(code) = &code {
            let doc = pdf_document(&tx, &p).await?;
            let bytes = documents::personal_sheet(&doc, &signer_of(&s), code);
            mail.attachments.push(MailAttachment {
                filename: format!("unterschriftenbogen-{}.pdf", p.slug),
                content_type: "application/pdf".into(),
                content_base64: base64::Engine::encode(
                    &base64::engine::general_purpose::STANDARD,
                    bytes,
                ),
            });
        }
        enqueue(&tx, email, mail).await?;
    }
    tx.commit().await?;
    Ok(p.slug)
}

/// Makes a just confirmed signature the one that counts for its person (`key`), or, when
/// another signature of the person already holds that place, a duplicate kept for staff
/// (the earlier one counts). Unconfirmed signatures never hold a place. Returns whether
/// this one counts.
async fn take_place(
    tx: &sea_orm::DatabaseTransaction,
    id: i64,
    key: &str,
    today: NaiveDate,
) -> Result<bool, AppError> {
    use sea_orm::TransactionTrait;
    // A savepoint: the unique index on the person's place decides a race between two
    // confirmations (or a paper line) of the same person, and leaves the transaction usable.
    let place = tx.begin().await?;
    let counted = signature::Entity::update_many()
        .col_expr(signature::Column::Status, Expr::value(status::UNCHECKED))
        .col_expr(signature::Column::DedupKey, Expr::value(key))
        .col_expr(signature::Column::CountedOn, Expr::value(today))
        .filter(signature::Column::Id.eq(id))
        .exec(&place)
        .await;
    match counted {
        Ok(_) => {
            place.commit().await?;
            Ok(true)
        }
        Err(e) if is_unique_violation(&e) => {
            place.rollback().await?;
            signature::Entity::update_many()
                .col_expr(signature::Column::Status, Expr::value(status::DUPLICATE))
                .filter(signature::Column::Id.eq(id))
                .exec(tx)
                .await?;
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

fn signer_of(s: &signature::Model) -> documents::SignerLine {
    documents::SignerLine {
        family_name: s.family_name.clone(),
        given_names: s.given_names.clone(),
        birth_date: s.birth_date.map(german_date_text).unwrap_or_default(),
        address: format!(
            "{} {}, {} {}",
            s.street, s.house_number, s.postal_code, s.city
        ),
    }
}

async fn by_receipt(
    state: &AppState,
    raw: &str,
) -> Result<(signature::Model, petition::Model), AppError> {
    let hash = token_hash(raw, state).ok_or(AppError::LinkInvalid)?;
    let s = signature::Entity::find()
        .filter(signature::Column::ReceiptTokenHash.eq(hash))
        .one(&state.db)
        .await?
        .ok_or(AppError::LinkInvalid)?;
    let p = petition::Entity::find_by_id(s.petition_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::LinkInvalid)?;
    // The receipt link lives as long as the procedure: afterwards it would only tell
    // whoever finds the mail that this person signed.
    if Stage::parse(&p.stage).is_none_or(Stage::is_final) {
        return Err(AppError::LinkInvalid);
    }
    Ok((s, p))
}

/// What the receipt link shows.
pub async fn receipt(state: &AppState, raw: &str) -> Result<ReceiptView, AppError> {
    let (s, p) = by_receipt(state, raw).await?;
    let withdrawn = s.status == status::WITHDRAWN;
    Ok(ReceiptView {
        slug: p.slug,
        title: p.title,
        withdrawn,
        can_withdraw: !withdrawn && Stage::parse(&p.stage) == Some(Stage::Collecting),
        has_sheet: !withdrawn && s.sheet_code.is_some() && s.sheet_received_at.is_none(),
    })
}

/// The signer's personal sheet again, from the receipt link.
pub async fn personal_sheet(state: &AppState, raw: &str) -> Result<(String, Vec<u8>), AppError> {
    let (s, p) = by_receipt(state, raw).await?;
    let code = match (&s.sheet_code, s.status.as_str()) {
        (Some(code), st) if st != status::WITHDRAWN => code.clone(),
        _ => return Err(AppError::NotFound),
    };
    let doc = pdf_document(&state.db, &p).await?;
    Ok((
        p.slug.clone(),
        documents::personal_sheet(&doc, &signer_of(&s), &code),
    ))
}

/// Withdraws a confirmed signature, possible until the petition is submitted.
pub async fn withdraw(state: &AppState, raw: &str) -> Result<String, AppError> {
    // The update is conditional on the state read: if staff mark the sheet as received in
    // between, the read is repeated, so the right counter is decremented.
    for _ in 0..3 {
        let (s, p) = by_receipt(state, raw).await?;
        if s.status == status::WITHDRAWN {
            return Err(AppError::LinkInvalid);
        }
        if Stage::parse(&p.stage) != Some(Stage::Collecting) {
            return Err(AppError::NotCollecting {
                message: t("petition-withdraw-submitted"),
            });
        }
        let tx = begin_write(&state.db).await?;
        let received = signature::Column::SheetReceivedAt;
        let updated = signature::Entity::update_many()
            .col_expr(signature::Column::Status, Expr::value(status::WITHDRAWN))
            .col_expr(signature::Column::WithdrawnAt, Expr::value(Utc::now()))
            .col_expr(signature::Column::Notify, Expr::value(false))
            // Off the counters: `counted_on` is set exactly while a signature is on them.
            .col_expr(
                signature::Column::CountedOn,
                Expr::value(Option::<NaiveDate>::None),
            )
            // The person may sign again (on paper, say): the withdrawn row no longer holds
            // their place.
            .col_expr(
                signature::Column::DedupKey,
                Expr::value(Option::<String>::None),
            )
            .filter(signature::Column::Id.eq(s.id))
            .filter(signature::Column::Status.eq(s.status.as_str()))
            .filter(match s.sheet_received_at {
                Some(_) => received.is_not_null(),
                None => received.is_null(),
            })
            .exec(&tx)
            .await?;
        if updated.rows_affected != 1 {
            tx.rollback().await?;
            continue;
        }
        // Only a signature on the counters is taken off them (a pending one, an entered
        // duplicate or one superseded by a paper signature is not).
        if let Some(day) = s.counted_on {
            let channel = if s.sheet_received_at.is_some() {
                PAPER
            } else {
                ONLINE
            };
            bump(&tx, p.id, day, channel, -1).await?;
        }
        // Another signature of the same person may count now.
        if let Some(key) = &s.match_key {
            validation::resolve_duplicates(&tx, &p, &[key.clone()].into_iter().collect()).await?;
        }
        tx.commit().await?;
        return Ok(p.slug);
    }
    Err(AppError::Internal)
}

fn paper_stage_ok(p: &petition::Model) -> Result<(), AppError> {
    match Stage::parse(&p.stage) {
        Some(Stage::Collecting | Stage::Submitted) => Ok(()),
        _ => Err(AppError::NotCollecting {
            message: t("petition-paper-not-now"),
        }),
    }
}

/// Staff mark a returned personal sheet by its code: from now on it counts as a paper
/// signature.
pub async fn receive_sheet(
    db: &sea_orm::DatabaseConnection,
    actor: i64,
    slug: &str,
    code: &str,
) -> Result<EntryResult, AppError> {
    let p = find_by_slug(db, slug).await?;
    paper_stage_ok(&p)?;
    let code = normalize_sheet_code(code)
        .ok_or_else(|| AppError::field("code", t("petition-sheet-code-invalid")))?;
    let now = Utc::now();
    let today = german_date(now);
    let tx = begin_write(db).await?;
    let s = signature::Entity::find()
        .filter(signature::Column::PetitionId.eq(p.id))
        .filter(signature::Column::SheetCode.eq(code.as_str()))
        .one(&tx)
        .await?
        .ok_or_else(|| {
            AppError::field(
                "code",
                t_args("petition-sheet-code-unknown", &[("code", &code)]),
            )
        })?;
    if s.status == status::WITHDRAWN {
        return Err(AppError::field(
            "code",
            t_args("petition-sheet-withdrawn", &[("code", &code)]),
        ));
    }
    if s.counted_on.is_none() || s.channel != ONLINE {
        return Err(AppError::field(
            "code",
            t_args("petition-sheet-already-signed", &[("code", &code)]),
        ));
    }
    if let Some(at) = s.sheet_received_at {
        return Err(AppError::field(
            "code",
            t_args(
                "petition-sheet-already-received",
                &[
                    ("code", &code),
                    ("date", &german_date_text(german_date(at))),
                ],
            ),
        ));
    }
    let updated = signature::Entity::update_many()
        .col_expr(signature::Column::SheetReceivedAt, Expr::value(now))
        .col_expr(signature::Column::CountedOn, Expr::value(today))
        .col_expr(signature::Column::EnteredBy, Expr::value(actor))
        .filter(signature::Column::Id.eq(s.id))
        // Conditional on what was read: of two scans of the same code (or a scan and a
        // withdrawal at the same moment) only one changes the counters.
        .filter(signature::Column::Status.eq(s.status.as_str()))
        .filter(signature::Column::CountedOn.is_not_null())
        .filter(signature::Column::SheetReceivedAt.is_null())
        .exec(&tx)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::field(
            "code",
            t_args("petition-sheet-changed", &[("code", &code)]),
        ));
    }
    if let Some(day) = s.counted_on {
        bump(&tx, p.id, day, ONLINE, -1).await?;
    }
    bump(&tx, p.id, today, PAPER, 1).await?;
    validation::check_signatures(&tx, &p, &[s.id]).await?;
    audit::append(
        &tx,
        Entry {
            actor_id: Some(actor),
            action: "signature.sheet_received",
            target_type: "signature",
            target_id: Some(s.id.to_string()),
            details: json!({ "petition": p.slug, "code": code }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(EntryResult {
        message: t_args("petition-sheet-received", &[("code", &code)]),
        duplicate: false,
        checked: signature_status(db, s.id).await?,
    })
}

/// What became of a paper line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaperOutcome {
    Recorded {
        id: i64,
    },
    /// The same person signed before (online or on paper): the line is kept as a duplicate
    /// and does not count; the earlier signature does.
    Duplicate {
        id: i64,
        earlier: String,
    },
}

impl PaperOutcome {
    pub fn id(&self) -> i64 {
        match self {
            PaperOutcome::Recorded { id } | PaperOutcome::Duplicate { id, .. } => *id,
        }
    }
}

/// Records one line of a paper list, in the caller's transaction.
pub async fn record_paper<C: ConnectionTrait>(
    db: &C,
    p: &petition::Model,
    actor: Option<i64>,
    line: &PaperLine,
) -> Result<PaperOutcome, AppError> {
    record_paper_on(db, p, actor, line, german_date(Utc::now())).await
}

/// Records one line as entered on `today` (the demo spreads its lines over past days).
pub async fn record_paper_on<C: ConnectionTrait>(
    db: &C,
    p: &petition::Model,
    actor: Option<i64>,
    line: &PaperLine,
    today: NaiveDate,
) -> Result<PaperOutcome, AppError> {
    let now = Utc::now();
    let d = &line.signer;
    // Only a line with name and date of birth can be recognized as a second signature now
    // (with its address: namesakes may both sign); the register check finds the others.
    let complete = !d.family_name.is_empty() && !d.given_names.is_empty();
    let key = match d.birth_date {
        Some(born) if complete => Some(signer_key(
            &d.family_name,
            &d.given_names,
            born,
            &d.street,
            &d.house_number,
            &d.postal_code,
        )),
        _ => None,
    };
    let taken = signature::Entity::find()
        .filter(signature::Column::PetitionId.eq(p.id))
        .filter(signature::Column::SheetNumber.eq(line.sheet as i32))
        .filter(signature::Column::LineNumber.eq(line.line as i32))
        .one(db)
        .await?;
    if taken.is_some() {
        return Err(AppError::field(
            "line",
            t_args(
                "petition-paper-line-taken",
                &[
                    ("sheet", &line.sheet.to_string()),
                    ("line", &line.line.to_string()),
                ],
            ),
        ));
    }
    let earlier = earlier_signature(db, p, key.as_deref()).await?;
    let duplicate = earlier.is_some();
    let identity = key.clone().unwrap_or_else(|| {
        format!(
            "{}|{}|",
            crate::petitions::matching::normalize_name(&d.family_name),
            crate::petitions::matching::all_given_names(&d.given_names)
        )
    });
    let inserted = signature::Entity::insert(signature::ActiveModel {
        petition_id: Set(p.id),
        channel: Set(PAPER.to_owned()),
        status: Set(if duplicate {
            status::DUPLICATE
        } else {
            status::UNCHECKED
        }
        .to_owned()),
        family_name: Set(d.family_name.clone()),
        given_names: Set(d.given_names.clone()),
        birth_date: Set(d.birth_date),
        birth_date_entered: Set(line.birth_date_entered.clone()),
        street: Set(d.street.clone()),
        house_number: Set(d.house_number.clone()),
        postal_code: Set(d.postal_code.clone()),
        city: Set(d.city.clone()),
        identity_key: Set(identity),
        dedup_key: Set(if duplicate { None } else { key.clone() }),
        sheet_number: Set(Some(line.sheet as i32)),
        line_number: Set(Some(line.line as i32)),
        signed_on: Set(line.signed_on),
        counted_on: Set((!duplicate).then_some(today)),
        entered_by: Set(actor),
        created_at: Set(now),
        notify: Set(false),
        manual: Set(false),
        ..Default::default()
    })
    .exec(db)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::field("line", t("petition-paper-line-race"))
        } else {
            e.into()
        }
    })?;
    let id = inserted.last_insert_id;
    let outcome = match earlier {
        Some(earlier) => PaperOutcome::Duplicate { id, earlier },
        None => {
            bump(db, p.id, today, PAPER, 1).await?;
            PaperOutcome::Recorded { id }
        }
    };
    validation::check_signatures(db, p, &[id]).await?;
    Ok(outcome)
}

/// The earlier signature of the same person that keeps counting, as staff would find it
/// ("Blatt 3, Zeile 7" or "online"), or `None` when the line counts. Online support that
/// does not count under this law gives way while its sheet is not back (kept as
/// superseded).
async fn earlier_signature<C: ConnectionTrait>(
    db: &C,
    p: &petition::Model,
    key: Option<&str>,
) -> Result<Option<String>, AppError> {
    let earlier = match key {
        Some(key) => {
            signature::Entity::find()
                .filter(signature::Column::PetitionId.eq(p.id))
                .filter(signature::Column::DedupKey.eq(key))
                .one(db)
                .await?
        }
        None => None,
    };
    let online_counts =
        rules::rule_set_by_id(&p.rule_set_id).is_some_and(|r| r.online_signatures_count);
    // (An unconfirmed online signature holds no place, so it is never found here.)
    Ok(match earlier {
        None => None,
        // Online support that does not count under this law, its sheet not returned: the
        // handwritten signature counts instead, the online one is kept as superseded.
        Some(e)
            if !online_counts
                && e.channel == ONLINE
                && e.counted_on.is_some()
                && e.sheet_received_at.is_none() =>
        {
            let res = signature::Entity::update_many()
                .col_expr(signature::Column::Status, Expr::value(status::DUPLICATE))
                .col_expr(
                    signature::Column::DedupKey,
                    Expr::value(Option::<String>::None),
                )
                .col_expr(
                    signature::Column::CountedOn,
                    Expr::value(Option::<NaiveDate>::None),
                )
                .filter(signature::Column::Id.eq(e.id))
                .filter(signature::Column::Status.eq(e.status.as_str()))
                .filter(signature::Column::CountedOn.is_not_null())
                .filter(signature::Column::SheetReceivedAt.is_null())
                .exec(db)
                .await?;
            if res.rows_affected == 1
                && let Some(day) = e.counted_on
            {
                bump(db, p.id, day, ONLINE, -1).await?;
            }
            None
        }
        Some(e) => Some(match (e.sheet_number, e.line_number) {
            (Some(s), Some(l)) => t_args(
                "petition-paper-place",
                &[("sheet", &s.to_string()), ("line", &l.to_string())],
            ),
            _ => t("petition-paper-place-online"),
        }),
    })
}

/// Staff type in one line of a returned paper list.
pub async fn enter_paper(
    db: &sea_orm::DatabaseConnection,
    actor: i64,
    slug: &str,
    line: &PaperLine,
) -> Result<EntryResult, AppError> {
    let p = find_by_slug(db, slug).await?;
    paper_stage_ok(&p)?;
    let tx = begin_write(db).await?;
    let outcome = record_paper(&tx, &p, Some(actor), line).await?;
    audit::append(
        &tx,
        Entry {
            actor_id: Some(actor),
            action: "signature.paper_entered",
            target_type: "petition",
            target_id: Some(p.id.to_string()),
            details: json!({ "sheet": line.sheet, "line": line.line }),
        },
    )
    .await?;
    let status = signature_status(&tx, outcome.id()).await?;
    tx.commit().await?;
    let place = t_args(
        "petition-paper-place",
        &[
            ("sheet", &line.sheet.to_string()),
            ("line", &line.line.to_string()),
        ],
    );
    let missing = line.unreadable();
    let missing = if missing.is_empty() {
        String::new()
    } else {
        let fields: Vec<String> = missing
            .iter()
            .map(|code| t(&format!("petition-missing-{}", code.replace('_', "-"))))
            .collect();
        // A sentence of its own after the first one.
        format!(
            " {}",
            t_args("petition-paper-missing", &[("fields", &fields.join(", "))])
        )
    };
    Ok(EntryResult {
        message: match (&outcome, status) {
            (PaperOutcome::Duplicate { earlier, .. }, _) => t_args(
                "petition-paper-entered-duplicate",
                &[("place", &place), ("earlier", earlier)],
            ),
            (_, Status::Unchecked) => t_args(
                "petition-paper-entered-unchecked",
                &[("place", &place), ("missing", &missing)],
            ),
            (_, status) => t_args(
                "petition-paper-entered-checked",
                &[
                    ("place", &place),
                    ("status", &crate::register::view::status_title(status)),
                    ("missing", &missing),
                ],
            ),
        },
        duplicate: matches!(outcome, PaperOutcome::Duplicate { .. }) || status == Status::Duplicate,
        checked: status,
    })
}

/// The next free line after the last one entered on a sheet (for the entry form).
pub async fn next_line(
    db: &sea_orm::DatabaseConnection,
    petition_id: i64,
    sheet: u32,
) -> Result<u32, AppError> {
    let last: Option<Option<i32>> = signature::Entity::find()
        .select_only()
        .column_as(signature::Column::LineNumber.max(), "last")
        .filter(signature::Column::PetitionId.eq(petition_id))
        .filter(signature::Column::SheetNumber.eq(sheet as i32))
        .into_tuple()
        .one(db)
        .await?;
    Ok(last.flatten().map(|l| l as u32 + 1).unwrap_or(1))
}

/// Deletes online signatures whose confirmation link expired unused: nobody confirmed them,
/// so their data has no purpose any more (the privacy notice promises this).
pub async fn purge_unconfirmed(db: &sea_orm::DatabaseConnection) -> Result<u64, AppError> {
    let res = signature::Entity::delete_many()
        .filter(signature::Column::Status.eq(status::PENDING_CONFIRMATION))
        .filter(signature::Column::ConfirmExpiresAt.lte(Utc::now()))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Deletes the personal data of a closed procedure's signatures: names, dates of birth,
/// addresses, email addresses, codes and the person keys. What the tallies need stays: each
/// signature's channel, sheet and line, days, village and status.
pub async fn purge_personal_data(
    db: &sea_orm::DatabaseConnection,
    actor: Option<i64>,
    p: &petition::Model,
) -> Result<u64, AppError> {
    if !Stage::parse(&p.stage).is_some_and(Stage::is_final) {
        return Err(AppError::field("petition", t("petition-purge-not-final")));
    }
    let none = || Expr::value(Option::<String>::None);
    let empty = || Expr::value("");
    let tx = begin_write(db).await?;
    let purged = signature::Entity::update_many()
        .col_expr(signature::Column::FamilyName, empty())
        .col_expr(signature::Column::GivenNames, empty())
        .col_expr(
            signature::Column::BirthDate,
            Expr::value(Option::<NaiveDate>::None),
        )
        .col_expr(signature::Column::BirthDateEntered, none())
        .col_expr(signature::Column::Street, empty())
        .col_expr(signature::Column::HouseNumber, empty())
        .col_expr(signature::Column::PostalCode, empty())
        .col_expr(signature::Column::City, empty())
        .col_expr(signature::Column::Email, none())
        .col_expr(signature::Column::IdentityKey, empty())
        .col_expr(signature::Column::DedupKey, none())
        .col_expr(signature::Column::MatchKey, none())
        .col_expr(signature::Column::SheetCode, none())
        .col_expr(signature::Column::ConfirmTokenHash, none())
        .col_expr(signature::Column::ReceiptTokenHash, none())
        .col_expr(signature::Column::Notify, Expr::value(false))
        .filter(signature::Column::PetitionId.eq(p.id))
        .exec(&tx)
        .await?
        .rows_affected;
    petition::Entity::update_many()
        .col_expr(
            petition::Column::SignaturesPurgedAt,
            Expr::value(Utc::now()),
        )
        .filter(petition::Column::Id.eq(p.id))
        .exec(&tx)
        .await?;
    audit::append(
        &tx,
        Entry {
            actor_id: actor,
            action: "signatures.purged",
            target_type: "petition",
            target_id: Some(p.id.to_string()),
            details: json!({ "petition": p.slug, "signatures": purged }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(purged)
}

/// Purges the signatures of procedures closed more than `retention` ago (the background
/// ticker runs this); returns the petitions purged.
pub async fn purge_after_retention(
    db: &sea_orm::DatabaseConnection,
    retention: TimeDelta,
) -> Result<u64, AppError> {
    let closed: Vec<&str> = Stage::ALL
        .into_iter()
        .filter(|s| s.is_final())
        .map(Stage::as_str)
        .collect();
    let due = petition::Entity::find()
        .filter(petition::Column::Stage.is_in(closed))
        .filter(petition::Column::SignaturesPurgedAt.is_null())
        .filter(petition::Column::UpdatedAt.lt(Utc::now() - retention))
        .all(db)
        .await?;
    let mut n = 0;
    for p in due {
        purge_personal_data(db, None, &p).await?;
        n += 1;
    }
    Ok(n)
}
