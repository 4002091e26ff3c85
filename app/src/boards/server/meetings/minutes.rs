//! The minutes: the draft made from the session, saving, approving, publishing, the PDF.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection};
use serde_json::json;

use crate::boards::domain::{
    self, ItemResult, Majority, MeetingStatus, MinutesItem, MinutesSource,
};
use crate::boards::server::members::{self as boards, role_of};
use crate::error::AppError;
use crate::i18n::t;
use crate::infra::audit::{self};
use crate::infra::auth::SessionUser;
use crate::infra::db::begin_write;
use crate::infra::entities::{agenda_item, board, board_member, meeting, meeting_attendance, user};
use crate::infra::mail::{enqueue, templates};
use crate::infra::markdown;
use crate::infra::state::AppConfig;
use crate::site::server as site;

use super::*;

pub(super) fn minutes_source(
    m: &meeting::Model,
    b: &board::Model,
    items: &[(agenda_item::Model, String)],
    attendance: &[(
        board_member::Model,
        user::Model,
        Option<meeting_attendance::Model>,
    )],
) -> MinutesSource {
    // Published minutes are public: members appear by name only with their consent, the
    // others as a number.
    let names = |present: bool| {
        let rows: Vec<_> = attendance
            .iter()
            .filter(|(_, _, a)| a.as_ref().and_then(|a| a.present) == Some(present))
            .collect();
        let mut out: Vec<String> = rows
            .iter()
            .filter(|(mem, _, _)| mem.public_name)
            .map(|(mem, u, _)| match role_of(mem) {
                domain::Role::Member => u.public_name(),
                r => format!("{} ({})", u.public_name(), r.short_label()),
            })
            .collect();
        match rows.iter().filter(|(mem, _, _)| !mem.public_name).count() {
            0 => {}
            1 if out.is_empty() => out.push("ein Mitglied".into()),
            1 => out.push("ein weiteres Mitglied".into()),
            n if out.is_empty() => out.push(format!("{n} Mitglieder")),
            n => out.push(format!("{n} weitere Mitglieder")),
        }
        out
    };
    MinutesSource {
        board: b.name.clone(),
        title: m.title.clone(),
        when: when(m),
        place: place_of(m),
        present: names(true),
        absent: names(false),
        quorum: m.quorum,
        items: items
            .iter()
            .map(|(i, number)| MinutesItem {
                number: number.clone(),
                title: i.title.clone(),
                public: i.public,
                notes: i.notes.clone(),
                recommendation: i.recommendation.clone(),
                votes: votes_of(i),
                majority: i.majority.as_deref().and_then(Majority::parse),
                result: i.result.as_deref().and_then(ItemResult::parse),
            })
            .collect(),
    }
}

pub(super) fn minutes_stage(m: &meeting::Model, field: &str) -> Result<(), AppError> {
    match status_of(m) {
        MeetingStatus::Held => Ok(()),
        MeetingStatus::Published => {
            Err(AppError::field(field, t("board-minutes-already-published")))
        }
        _ => Err(AppError::field(field, t("board-minutes-not-yet"))),
    }
}

/// Saves the minutes' text; a changed text needs approving again.
pub async fn save_minutes(
    db: &DatabaseConnection,
    user: &SessionUser,
    id: i64,
    text: &str,
) -> Result<(), AppError> {
    let m = find_managed(db, user, id).await?;
    minutes_stage(&m, "minutes")?;
    let text = domain::parse_minutes(text).map_err(|e| AppError::field("minutes", e))?;
    let tx = begin_write(db).await?;
    let mut row: meeting::ActiveModel = m.into();
    row.minutes_html = Set(Some(markdown::to_safe_html(&text)));
    row.minutes = Set(Some(text));
    row.minutes_approved_at = Set(None);
    row.updated_at = Set(Utc::now());
    row.update(&tx).await?;
    audit::append(&tx, log(user, "minutes.saved", id, json!({}))).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn approve_minutes(
    db: &DatabaseConnection,
    user: &SessionUser,
    id: i64,
) -> Result<(), AppError> {
    let m = find_managed(db, user, id).await?;
    minutes_stage(&m, "approve")?;
    if m.minutes.is_none() {
        return Err(AppError::field("approve", t("board-minutes-save-first")));
    }
    let tx = begin_write(db).await?;
    let mut row: meeting::ActiveModel = m.into();
    row.minutes_approved_at = Set(Some(Utc::now()));
    row.updated_at = Set(Utc::now());
    row.update(&tx).await?;
    audit::append(&tx, log(user, "minutes.approved", id, json!({}))).await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes the approved minutes: the session page shows them, the PDF is available, and the
/// members and the board's followers are told.
pub async fn publish_minutes(
    db: &DatabaseConnection,
    config: &AppConfig,
    user: &SessionUser,
    id: i64,
) -> Result<(), AppError> {
    let m = find_managed(db, user, id).await?;
    minutes_stage(&m, "publish")?;
    if m.minutes_approved_at.is_none() {
        return Err(AppError::field("publish", t("board-minutes-approve-first")));
    }
    let now = Utc::now();
    let tx = begin_write(db).await?;
    let mut row: meeting::ActiveModel = m.into();
    row.status = Set(MeetingStatus::Published.code().to_owned());
    row.minutes_published_at = Set(Some(now));
    row.updated_at = Set(now);
    let m = row.update(&tx).await?;
    let headline = Headline::MinutesPublished;
    let municipality = site::municipality_name(&tx).await?;
    let mut texts = SessionTexts::default();
    for (_, u, _) in attendance_of(&tx, &m).await? {
        if let Some(email) = u.email.as_deref().filter(|_| u.deleted_at.is_none()) {
            let lang = crate::i18n::server::lang_of_recipient(u.language.as_deref());
            let text = texts.get(&tx, config, &m, lang).await?;
            let mail = templates::board_news(
                lang,
                &municipality,
                &headline.text(lang, &m.title),
                &text,
                None,
            );
            enqueue(&tx, email, mail).await?;
        }
    }
    mail_followers(&tx, config, &m, headline).await?;
    audit::append(&tx, log(user, "minutes.published", id, json!({}))).await?;
    tx.commit().await?;
    Ok(())
}

/// The published minutes as a PDF; `NotFound` before publication.
pub async fn minutes_pdf(
    db: &DatabaseConnection,
    viewer: Option<&SessionUser>,
    id: i64,
) -> Result<Vec<u8>, AppError> {
    let (m, _) = find_visible(db, viewer, id).await?;
    if status_of(&m) != MeetingStatus::Published {
        return Err(AppError::NotFound);
    }
    let b = boards::find(db, m.board_id).await?;
    Ok(minutes_pdf::minutes(&minutes_pdf::MinutesPdf {
        municipality: site::municipality_name(db).await?,
        board: b.name,
        title: m.title.clone(),
        when: when(&m),
        markdown: m.minutes.clone().unwrap_or_default(),
    }))
}
