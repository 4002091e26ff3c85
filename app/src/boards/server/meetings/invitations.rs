//! Invitations with calendar entries, cancellations, members' answers, and the calendar
//! feeds.

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, sea_query::OnConflict,
};
use serde_json::json;

use crate::boards::domain::MeetingStatus;
use crate::boards::server::members::{self as boards};
use crate::comments::domain::SubjectKind;
use crate::comments::server::notify;
use crate::error::AppError;
use crate::i18n::server::lang_of_recipient;
use crate::i18n::{Lang, t};
use crate::infra::audit::{self};
use crate::infra::auth::SessionUser;
use crate::infra::db::begin_write;
use crate::infra::entities::{meeting, meeting_attendance, user};
use crate::infra::ical::{self, CalEvent, Method};
use crate::infra::mail::{MailAttachment, Rendered, enqueue, templates};
use crate::infra::state::AppConfig;
use crate::site::server as site;
use crate::time::berlin;

use super::*;

pub(super) enum Letter<'a> {
    Invitation,
    Changed,
    Cancelled(&'a str),
}

/// What the emails of a session say about it, in `lang`.
pub(super) async fn session_text<C: ConnectionTrait>(
    db: &C,
    config: &AppConfig,
    m: &meeting::Model,
    lang: Lang,
) -> Result<templates::MeetingText, AppError> {
    let catalog = crate::i18n::server::catalog(lang);
    let tr = |key: &str, args: &[(&str, &str)]| catalog.text(key, args);
    let b = boards::find(db, m.board_id).await?;
    Ok(templates::MeetingText {
        board: b.name,
        title: m.title.clone(),
        when: crate::boards::domain::when_with(&tr, berlin(m.starts_at), berlin(m.ends_at)),
        place: place_in(
            m,
            &tr("board-place-online", &[]),
            &tr("board-place-also-online", &[]),
        ),
        agenda: items_of(db, m.id)
            .await?
            .into_iter()
            .map(|(i, n)| {
                let key = if i.public {
                    "mail-session-agenda-item"
                } else {
                    "mail-session-agenda-item-closed"
                };
                tr(key, &[("number", &n), ("title", &i.title)])
            })
            .collect(),
        link: config.link(&format!("/sessions/{}", m.id)),
    })
}

/// The texts of a session for each language its recipients read, computed once per language.
#[derive(Default)]
pub(super) struct SessionTexts(Vec<(Lang, templates::MeetingText)>);

impl SessionTexts {
    pub(super) async fn get<C: ConnectionTrait>(
        &mut self,
        db: &C,
        config: &AppConfig,
        m: &meeting::Model,
        lang: Lang,
    ) -> Result<templates::MeetingText, AppError> {
        if let Some((_, text)) = self.0.iter().find(|(l, _)| *l == lang) {
            return Ok(text.clone());
        }
        let text = session_text(db, config, m, lang).await?;
        self.0.push((lang, text.clone()));
        Ok(text)
    }
}

pub(super) fn calendar_event(
    config: &AppConfig,
    m: &meeting::Model,
    board: &str,
    lang: Lang,
) -> CalEvent {
    let catalog = crate::i18n::server::catalog(lang);
    let link = config.link(&format!("/sessions/{}", m.id));
    let mut description = format!("{board}\n{link}");
    if let Some(url) = &m.online_url {
        description.push('\n');
        description.push_str(&catalog.text("calendar-online", &[("url", url)]));
    }
    if let Some(reason) = &m.cancel_reason {
        let cancelled = catalog.text("calendar-cancelled", &[("reason", reason)]);
        description = format!("{cancelled}\n{description}");
    }
    CalEvent {
        uid: format!(
            "session-{}@{}",
            m.id,
            config.public_url.host_str().unwrap_or("dorfplatz")
        ),
        sequence: m.sequence,
        title: format!("{} – {}", m.title, board),
        description,
        location: place_of(m),
        url: link,
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        cancelled: status_of(m) == MeetingStatus::Cancelled,
        tentative: status_of(m) == MeetingStatus::Planned,
        organizer: mail_address(&config.mail_from).to_owned(),
        created: m.created_at,
        modified: m.updated_at,
    }
}

/// `user@host` of `Name <user@host>`.
pub(super) fn mail_address(from: &str) -> &str {
    match (from.rfind('<'), from.rfind('>')) {
        (Some(a), Some(b)) if a < b => &from[a + 1..b],
        _ => from.trim(),
    }
}

pub(super) fn ics_attachment(calendar: String) -> MailAttachment {
    use base64::Engine;
    MailAttachment {
        filename: "sitzung.ics".into(),
        content_type: "text/calendar; charset=utf-8; method=".to_owned()
            + if calendar.contains("METHOD:CANCEL") {
                "CANCEL"
            } else {
                "PUBLISH"
            },
        content_base64: base64::engine::general_purpose::STANDARD.encode(calendar),
    }
}

/// Emails every member serving on the session's day (in the caller's transaction), each in
/// the language of their account, with the session as a calendar entry.
pub(super) async fn mail_members<C: ConnectionTrait>(
    tx: &C,
    config: &AppConfig,
    m: &meeting::Model,
    letter: Letter<'_>,
) -> Result<(), AppError> {
    let municipality = site::municipality_name(tx).await?;
    let mut texts = SessionTexts::default();
    let method = match letter {
        Letter::Cancelled(_) => Method::Cancel,
        _ => Method::Publish,
    };
    for (_, u, _) in attendance_of(tx, m).await? {
        let Some(email) = u.email.as_deref().filter(|_| u.deleted_at.is_none()) else {
            continue;
        };
        let lang = lang_of_recipient(u.language.as_deref());
        let text = texts.get(tx, config, m, lang).await?;
        let event = calendar_event(config, m, &text.board, lang);
        let calendar = ical::calendar(&text.board, &[event], method);
        let name = u.public_name();
        let mut mail: Rendered = match letter {
            Letter::Invitation => templates::session_invitation(lang, &municipality, &name, &text),
            Letter::Changed => templates::session_changed(lang, &municipality, &name, &text),
            Letter::Cancelled(reason) => {
                templates::session_cancelled(lang, &municipality, &name, &text, reason)
            }
        };
        mail.attachments.push(ics_attachment(calendar));
        enqueue(tx, email, mail).await?;
    }
    Ok(())
}

/// What news of a board is about: a key of `mail.ftl` with the session's title.
#[derive(Debug, Clone, Copy)]
pub(super) enum Headline {
    NewSession,
    Cancelled,
    MinutesPublished,
}

impl Headline {
    pub(super) fn text(self, lang: Lang, title: &str) -> String {
        let key = match self {
            Headline::NewSession => "mail-board-news-new-session",
            Headline::Cancelled => "mail-board-news-cancelled",
            Headline::MinutesPublished => "mail-board-news-minutes",
        };
        crate::i18n::server::text(lang, key, &[("title", title)])
    }
}

/// Emails the followers of the board who are not members (members hear as members), each
/// in the language of their account.
pub(super) async fn mail_followers<C: ConnectionTrait>(
    tx: &C,
    config: &AppConfig,
    m: &meeting::Model,
    headline: Headline,
) -> Result<(), AppError> {
    if !m.public {
        return Ok(());
    }
    let municipality = site::municipality_name(tx).await?;
    let mut texts = SessionTexts::default();
    let members: Vec<i64> = attendance_of(tx, m)
        .await?
        .iter()
        .map(|(_, u, _)| u.id)
        .collect();
    let followers: Vec<i64> = notify::followers(tx, SubjectKind::Board, m.board_id)
        .await?
        .into_iter()
        .filter(|id| !members.contains(id))
        .collect();
    if followers.is_empty() {
        return Ok(());
    }
    let scope = notify::scope(SubjectKind::Board, m.board_id);
    for u in user::Entity::find()
        .filter(user::Column::Id.is_in(followers))
        .filter(user::Column::DeletedAt.is_null())
        .all(tx)
        .await?
    {
        let Some(email) = u.email.as_deref() else {
            continue;
        };
        let lang = lang_of_recipient(u.language.as_deref());
        let text = texts.get(tx, config, m, lang).await?;
        let unsubscribe = notify::unsubscribe_link(config, u.id, &scope);
        let mail = templates::board_news(
            lang,
            &municipality,
            &headline.text(lang, &m.title),
            &text,
            Some(&unsubscribe),
        );
        enqueue(tx, email, mail).await?;
    }
    Ok(())
}

/// The chair sends the invitation: every member gets the agenda and a calendar entry; the
/// followers of the board learn of the (public) session.
pub async fn invite(
    db: &DatabaseConnection,
    config: &AppConfig,
    user: &SessionUser,
    id: i64,
) -> Result<(), AppError> {
    let m = find_managed(db, user, id).await?;
    let status = status_of(&m);
    if !matches!(status, MeetingStatus::Planned | MeetingStatus::Invited) {
        return Err(AppError::field("invite", t("board-invite-impossible")));
    }
    if m.starts_at <= Utc::now() {
        return Err(AppError::field("invite", t("board-invite-started")));
    }
    if items_of(db, id).await?.is_empty() {
        return Err(AppError::field("invite", t("board-invite-empty-agenda")));
    }
    let first = status == MeetingStatus::Planned;
    let now = Utc::now();
    let tx = begin_write(db).await?;
    // Conditional on the status read above: of two clicks at once, one invites first.
    let claimed = meeting::Entity::update_many()
        .col_expr(
            meeting::Column::Status,
            MeetingStatus::Invited.code().into(),
        )
        .col_expr(meeting::Column::InvitedAt, Some(now).into())
        .col_expr(meeting::Column::UpdatedAt, now.into())
        .filter(meeting::Column::Id.eq(id))
        .filter(meeting::Column::Status.eq(status.code()))
        .exec(&tx)
        .await?;
    if claimed.rows_affected == 0 {
        return Err(changed_meanwhile("invite"));
    }
    let m = find(&tx, id).await?;
    mail_members(&tx, config, &m, Letter::Invitation).await?;
    if first {
        mail_followers(&tx, config, &m, Headline::NewSession).await?;
    }
    audit::append(
        &tx,
        log(user, "session.invited", id, json!({ "first": first })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn cancel(
    db: &DatabaseConnection,
    config: &AppConfig,
    user: &SessionUser,
    id: i64,
    reason: &str,
) -> Result<(), AppError> {
    let m = find_managed(db, user, id).await?;
    let status = status_of(&m);
    if !status.cancellable() {
        return Err(AppError::field("reason", t("board-cancel-impossible")));
    }
    let reason = crate::comments::domain::parse_reason(reason, &t("board-cancel-reason-missing"))
        .map_err(|e| AppError::field("reason", e))?;
    let now = Utc::now();
    let tx = begin_write(db).await?;
    let claimed = meeting::Entity::update_many()
        .col_expr(
            meeting::Column::Status,
            MeetingStatus::Cancelled.code().into(),
        )
        .col_expr(meeting::Column::CancelReason, Some(reason.clone()).into())
        .col_expr(meeting::Column::UpdatedAt, now.into())
        .filter(meeting::Column::Id.eq(id))
        .filter(meeting::Column::Status.eq(status.code()))
        .exec(&tx)
        .await?;
    if claimed.rows_affected == 0 {
        return Err(changed_meanwhile("reason"));
    }
    bump_sequence(&tx, id).await?;
    let m = find(&tx, id).await?;
    if status == MeetingStatus::Invited {
        mail_members(&tx, config, &m, Letter::Cancelled(&reason)).await?;
        mail_followers(&tx, config, &m, Headline::Cancelled).await?;
    }
    audit::append(
        &tx,
        log(user, "session.cancelled", id, json!({ "reason": reason })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A member answers the invitation: `attending` or `absent`.
pub async fn answer(
    db: &DatabaseConnection,
    user: &SessionUser,
    id: i64,
    response: &str,
) -> Result<(), AppError> {
    let (m, _) = find_visible(db, Some(user), id).await?;
    let response = match response {
        "attending" | "absent" => response,
        _ => {
            return Err(AppError::field("response", t("board-answer-invalid")));
        }
    };
    let Some(member) =
        boards::membership(db, user.id, m.board_id, berlin(m.starts_at).date()).await?
    else {
        return Err(AppError::field("response", t("board-answer-not-member")));
    };
    if !matches!(
        status_of(&m),
        MeetingStatus::Planned | MeetingStatus::Invited
    ) || m.starts_at <= Utc::now()
    {
        return Err(AppError::field("response", t("board-answer-closed")));
    }
    let tx = begin_write(db).await?;
    meeting_attendance::Entity::insert(meeting_attendance::ActiveModel {
        meeting_id: Set(id),
        member_id: Set(member.id),
        response: Set(Some(response.to_owned())),
        responded_at: Set(Some(Utc::now())),
        present: Set(None),
    })
    .on_conflict(
        OnConflict::columns([
            meeting_attendance::Column::MeetingId,
            meeting_attendance::Column::MemberId,
        ])
        .update_columns([
            meeting_attendance::Column::Response,
            meeting_attendance::Column::RespondedAt,
        ])
        .to_owned(),
    )
    .exec_without_returning(&tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// How far back `/sessions.ics` reaches: calendar programs fetch the whole feed on every
/// poll, so it holds the past year and everything upcoming, not every session ever held.
pub const CALENDAR_PAST_DAYS: i64 = 365;

/// `/sessions.ics`: every public session of every board (cancelled ones marked so) of the
/// past twelve months and all upcoming ones, its texts in the language of the request.
pub async fn calendar_all(
    db: &DatabaseConnection,
    config: &AppConfig,
    lang: Lang,
) -> Result<String, AppError> {
    let names = board_names(db).await?;
    let since = chrono::Utc::now() - chrono::Duration::days(CALENDAR_PAST_DAYS);
    let events: Vec<CalEvent> = meeting::Entity::find()
        .filter(meeting::Column::DeletedAt.is_null())
        .filter(meeting::Column::Public.eq(true))
        .filter(meeting::Column::StartsAt.gte(since))
        .order_by_asc(meeting::Column::StartsAt)
        .all(db)
        .await?
        .iter()
        .map(|m| {
            let board = names.get(&m.board_id).map_or("", String::as_str);
            calendar_event(config, m, board, lang)
        })
        .collect();
    let municipality = site::municipality_name(db).await?;
    Ok(ical::calendar(
        &crate::i18n::server::catalog(lang)
            .text("calendar-name", &[("municipality", &municipality)]),
        &events,
        Method::Publish,
    ))
}

/// `/sessions/{id}.ics`: one session, as the viewer may see it.
pub async fn calendar_one(
    db: &DatabaseConnection,
    config: &AppConfig,
    viewer: Option<&SessionUser>,
    id: i64,
    lang: Lang,
) -> Result<String, AppError> {
    let (m, _) = find_visible(db, viewer, id).await?;
    let b = boards::find(db, m.board_id).await?;
    Ok(ical::calendar(
        &b.name,
        &[calendar_event(config, &m, &b.name, lang)],
        Method::Publish,
    ))
}
