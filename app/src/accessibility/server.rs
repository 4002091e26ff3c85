//! Storage of the accessibility statement and the Leichte Sprache text (site settings), and
//! the barrier feedback queue.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;

use super::{
    Compliance, EasyEntry, EasySubject, EasySummary, FeedbackInput, FeedbackItem, FeedbackQueue,
    FeedbackStatus, FeedbackStep, SignTopic, SignVideo, Statement, StatementView, due_on,
    is_overdue,
};
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::infra::audit::{self, Entry};
use crate::infra::auth::SessionUser;
use crate::infra::db::begin_write;
use crate::infra::entities::{barrier_feedback, easy_summary, sign_video, site_setting, user};
use crate::infra::mail::{self, templates};
use crate::infra::markdown;
use crate::site::server as site;

pub const STATEMENT: &str = "accessibility_statement";
pub const EASY_LANGUAGE: &str = "easy_language";

/// How many closed reports the queue shows.
const CLOSED_SHOWN: u64 = 50;

/// What Dorfplatz itself does and does not meet, as far as its makers know: the starting
/// statement of every installation. The administration completes the contact and checks
/// the rest against its own content (uploaded files are its own).
pub fn dorfplatz_statement() -> Statement {
    Statement {
        compliance: Compliance::Partial,
        non_accessible: "Folgende Inhalte sind nicht oder nicht vollständig barrierefrei:\n\n\
- **PDF-Dokumente**: Unterschriftenlisten, persönliche Unterschriftsbögen, Prüfberichte und Sitzungsprotokolle als PDF sind keine getaggten PDF-Dokumente (PDF/UA). Ihr Inhalt steht jeweils auch als Webseite zur Verfügung (Bürgerbegehren, Auszählung, Sitzung mit Protokoll). Grund: Unvereinbarkeit; getaggte PDF-Dateien sind geplant.\n\
- **Hochgeladene Anlagen** von Sitzungen (zum Beispiel eingescannte Unterlagen) stammen von Dritten und sind oft nicht barrierefrei. Grund: unverhältnismäßige Belastung bei Altdokumenten; neue Anlagen sollen barrierefrei sein.\n\
- **Gebärdensprache**: Videos in Deutscher Gebärdensprache gibt es noch nicht. Grund: Unvereinbarkeit (BITV 2.0 § 4); sie werden ergänzt."
            .into(),
        method: "Die Erklärung beruht auf einer Selbstbewertung: Jede Seite wird bei jeder Änderung der Software automatisch mit axe-core (WCAG 2.1, Stufen A und AA) geprüft, mit und ohne JavaScript; Tastaturbedienung, Fokusreihenfolge und Kontraste werden von Hand geprüft.".into(),
        prepared_on: NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default(),
        reviewed_on: NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default(),
        contact: "Die Kontaktdaten der zuständigen Stelle sind noch nicht hinterlegt. Nutzen Sie bis dahin bitte das Formular unten.".into(),
        enforcement: "Wenn Sie auf Ihre Rückmeldung keine befriedigende Antwort erhalten, können Sie sich an die Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen wenden. Sie ist bei der Landesbeauftragten für Menschen mit Behinderung angesiedelt und vermittelt kostenlos zwischen Ihnen und der öffentlichen Stelle.\n\n\
Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen  \n\
bei der Landesbeauftragten für Menschen mit Behinderung  \n\
Fürstenwall 25, 40219 Düsseldorf  \n\
<https://www.lbb.nrw.de>".into(),
        due_days: super::DEFAULT_DUE_DAYS,
    }
}

/// The starting text of the Leichte Sprache page: the four points BITV 2.0 § 4 asks for,
/// one statement per line.
pub fn dorfplatz_easy_language(municipality: &str) -> String {
    format!(
        "## Was ist Dorfplatz?\n\n\
Dorfplatz ist eine Internet-Seite.  \n\
Die Internet-Seite gehört zur {municipality}.  \n\
Hier können Sie bei Ihrer Gemeinde mit-reden.\n\n\
## Was können Sie hier machen?\n\n\
Sie können Vorschläge machen.  \n\
Ein Vorschlag ist eine Idee für Ihren Ort.  \n\
Zum Beispiel: Eine Bank an der Bus-Halte-Stelle.\n\n\
Andere Menschen können Ihren Vorschlag lesen.  \n\
Sie können Ihren Vorschlag gut finden.  \n\
Sie können etwas dazu schreiben.\n\n\
Sie können ein Bürger-Begehren unterschreiben.  \n\
Bei einem Bürger-Begehren sammeln Menschen Unterschriften.  \n\
Wenn genug Menschen unterschreiben:  \n\
Dann muss der Gemeinde-Rat darüber entscheiden.\n\n\
Sie können lesen, was der Beirat macht.  \n\
Der Beirat ist eine Gruppe von Menschen.  \n\
Der Beirat berät die Gemeinde.\n\n\
## Wie finden Sie sich zurecht?\n\n\
Oben auf jeder Seite ist ein Menü.  \n\
Dort stehen die Teile der Internet-Seite.  \n\
Zum Beispiel: Vorschläge.\n\n\
Für manche Sachen brauchen Sie ein Konto.  \n\
Ein Konto ist wie ein Zugang nur für Sie.  \n\
Dafür brauchen Sie eine E-Mail-Adresse.\n\n\
Sie können die Seite auch nur mit der Tastatur benutzen.  \n\
Mit der Tab-Taste kommen Sie zum nächsten Teil.\n\n\
## Was ist schwer auf der Internet-Seite?\n\n\
Wir wollen, dass alle Menschen die Internet-Seite benutzen können.  \n\
Das heißt: Die Seite soll barriere-frei sein.\n\n\
Manche Teile sind noch nicht barriere-frei.  \n\
Zum Beispiel: Manche PDF-Dateien.  \n\
Das steht in der Erklärung zur Barriere-Freiheit.\n\n\
Finden Sie etwas schwer?  \n\
Dann schreiben Sie uns.  \n\
Auf der Seite Barriere-Freiheit ist ein Formular.  \n\
Sie müssen Ihren Namen nicht sagen.\n\n\
## Was gibt es noch in Leichter Sprache?\n\n\
Manche Bürger-Begehren und Vorschläge haben eine Erklärung in Leichter Sprache.  \n\
Auf der Internet-Seite der Gemeinde gibt es vielleicht noch mehr Texte in Leichter Sprache."
    )
}

pub async fn statement<C: ConnectionTrait>(db: &C) -> Result<Statement, AppError> {
    Ok(site_setting::Entity::find_by_id(STATEMENT.to_owned())
        .one(db)
        .await?
        .and_then(|s| serde_json::from_str(&s.value).ok())
        .unwrap_or_else(dorfplatz_statement))
}

pub async fn statement_view(db: &DatabaseConnection) -> Result<StatementView, AppError> {
    let s = statement(db).await?;
    Ok(StatementView {
        municipality: site::municipality_name(db).await?,
        compliance: s.compliance,
        non_accessible_html: markdown::to_safe_html(&s.non_accessible),
        method_html: markdown::to_safe_html(&s.method),
        prepared_on: s.prepared_on,
        reviewed_on: s.reviewed_on,
        contact_html: markdown::to_safe_html(&s.contact),
        enforcement_html: markdown::to_safe_html(&s.enforcement),
        due_days: s.due_days,
    })
}

/// Saves the statement with one audit entry.
pub async fn save_statement(
    db: &DatabaseConnection,
    actor: i64,
    s: &Statement,
) -> Result<(), AppError> {
    let value = serde_json::to_string(s).map_err(|_| AppError::Internal)?;
    site::put_audited(
        db,
        Some(actor),
        STATEMENT,
        &value,
        "accessibility.statement_saved",
        json!({ "compliance": s.compliance.code(), "reviewed_on": s.reviewed_on }),
    )
    .await
}

/// The Leichte Sprache page's Markdown (the starting text until the administration saves
/// its own).
pub async fn easy_language<C: ConnectionTrait>(db: &C) -> Result<String, AppError> {
    match site_setting::Entity::find_by_id(EASY_LANGUAGE.to_owned())
        .one(db)
        .await?
    {
        Some(s) => Ok(s.value),
        None => Ok(dorfplatz_easy_language(&site::municipality_name(db).await?)),
    }
}

pub async fn save_easy_language(
    db: &DatabaseConnection,
    actor: i64,
    text: &str,
) -> Result<(), AppError> {
    site::put_audited(
        db,
        Some(actor),
        EASY_LANGUAGE,
        text,
        "accessibility.easy_language_saved",
        json!({ "chars": text.chars().count() }),
    )
    .await
}

/// Stores a report of a barrier. The audit names no person: the report itself is the record.
pub async fn receive(db: &DatabaseConnection, input: &FeedbackInput) -> Result<i64, AppError> {
    let tx = begin_write(db).await?;
    let row = barrier_feedback::ActiveModel {
        name: Set(input.name.clone()),
        email: Set(input.email.as_ref().map(|e| e.as_str().to_owned())),
        page: Set(input.page.clone()),
        description: Set(input.description.clone()),
        status: Set(FeedbackStatus::New.code().to_owned()),
        received_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::append(
        &tx,
        Entry {
            actor_id: None,
            action: "accessibility.feedback_received",
            target_type: "barrier_feedback",
            target_id: Some(row.id.to_string()),
            details: json!({ "answer_wanted": input.email.is_some() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row.id)
}

/// The staff queue. Reading it is logged: it holds names and addresses.
pub async fn queue(
    db: &DatabaseConnection,
    viewer: &SessionUser,
) -> Result<FeedbackQueue, AppError> {
    let due_days = statement(db).await?.due_days;
    let open = barrier_feedback::Entity::find()
        .filter(barrier_feedback::Column::Status.ne(FeedbackStatus::Closed.code()))
        .order_by_asc(barrier_feedback::Column::ReceivedAt)
        .all(db)
        .await?;
    let closed = barrier_feedback::Entity::find()
        .filter(barrier_feedback::Column::Status.eq(FeedbackStatus::Closed.code()))
        .order_by_desc(barrier_feedback::Column::ClosedAt)
        .limit(CLOSED_SHOWN)
        .all(db)
        .await?;
    let answerers: Vec<i64> = open
        .iter()
        .chain(closed.iter())
        .filter_map(|f| f.answered_by)
        .collect();
    let names: std::collections::HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(answerers))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.public_name()))
        .collect();
    let today = crate::time::today();
    let item = |f: barrier_feedback::Model| -> FeedbackItem {
        let status = FeedbackStatus::parse(&f.status).unwrap_or(FeedbackStatus::New);
        FeedbackItem {
            id: f.id,
            name: f.name,
            email: f.email,
            page: f.page,
            description: f.description,
            status,
            received_at: f.received_at,
            due_on: due_on(f.received_at, due_days),
            overdue: is_overdue(status, f.received_at, due_days, today),
            answer: f.answer,
            answered_at: f.answered_at,
            answered_by: f.answered_by.and_then(|id| names.get(&id).cloned()),
            closed_at: f.closed_at,
        }
    };
    let (new, answered): (Vec<_>, Vec<_>) = open
        .into_iter()
        .map(item)
        .partition(|f| f.status == FeedbackStatus::New);
    let closed: Vec<FeedbackItem> = closed.into_iter().map(item).collect();
    let tx = begin_write(db).await?;
    audit::append(
        &tx,
        Entry {
            actor_id: Some(viewer.id),
            action: "accessibility.feedback_viewed",
            target_type: "barrier_feedback",
            target_id: None,
            details: json!({ "shown": new.len() + answered.len() + closed.len() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(FeedbackQueue {
        new,
        answered,
        closed,
        due_days,
    })
}

pub const ANSWER_MAX_CHARS: usize = 10_000;

/// Answers, closes or reopens a report in one transaction; an answer to a report with an
/// address goes out by mail in the same transaction.
pub async fn take_step(
    db: &DatabaseConnection,
    staff: &SessionUser,
    id: i64,
    step: FeedbackStep,
    answer: &str,
) -> Result<FeedbackStatus, AppError> {
    let answer = answer.trim();
    if step == FeedbackStep::Answer {
        if answer.chars().count() < 2 {
            return Err(AppError::field("answer", t("a11y-answer-missing")));
        }
        if answer.chars().count() > ANSWER_MAX_CHARS {
            return Err(AppError::field("answer", t("a11y-answer-too-long")));
        }
    }
    let tx = begin_write(db).await?;
    let row = barrier_feedback::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let from = FeedbackStatus::parse(&row.status).unwrap_or(FeedbackStatus::New);
    let Some(to) = step.next(from) else {
        return Err(AppError::field(
            "step",
            t_args("a11y-step-not-possible", &[("status", &from.title())]),
        ));
    };
    let now = Utc::now();
    let email = row.email.clone();
    let description = row.description.clone();
    let mut change: barrier_feedback::ActiveModel = row.into();
    change.status = Set(to.code().to_owned());
    match step {
        FeedbackStep::Answer => {
            change.answer = Set(Some(answer.to_owned()));
            change.answered_at = Set(Some(now));
            change.answered_by = Set(Some(staff.id));
        }
        FeedbackStep::Close => change.closed_at = Set(Some(now)),
        FeedbackStep::Reopen => change.closed_at = Set(None),
    }
    change.update(&tx).await?;
    let mailed = step == FeedbackStep::Answer && email.is_some();
    if let (true, Some(to_address)) = (mailed, email.as_deref()) {
        // Read inside the transaction, and only when a mail goes out.
        let municipality = site::municipality_name(&tx).await?;
        mail::enqueue(
            &tx,
            to_address,
            templates::barrier_feedback_answer(&municipality, &description, answer),
        )
        .await?;
    }
    audit::append(
        &tx,
        Entry {
            actor_id: Some(staff.id),
            action: match step {
                FeedbackStep::Answer => "accessibility.feedback_answered",
                FeedbackStep::Close => "accessibility.feedback_closed",
                FeedbackStep::Reopen => "accessibility.feedback_reopened",
            },
            target_type: "barrier_feedback",
            target_id: Some(id.to_string()),
            details: json!({ "from": from.code(), "to": to.code(), "mailed": mailed }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(to)
}

/// How long a closed report is kept: two years, long enough for a conciliation procedure.
pub const KEEP_CLOSED: chrono::TimeDelta = chrono::TimeDelta::days(730);

/// Reports closed longer than `older_than` ago are erased with everything in them: a closed
/// report is needed only as long as the answer may be questioned.
pub async fn purge_closed(
    db: &DatabaseConnection,
    older_than: chrono::TimeDelta,
) -> Result<u64, AppError> {
    let res = barrier_feedback::Entity::delete_many()
        .filter(barrier_feedback::Column::Status.eq(FeedbackStatus::Closed.code()))
        .filter(barrier_feedback::Column::ClosedAt.lt(Utc::now() - older_than))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// The videos in Deutsche Gebärdensprache, by topic and age.
pub async fn videos<C: ConnectionTrait>(db: &C) -> Result<Vec<SignVideo>, AppError> {
    Ok(sign_video::Entity::find()
        .order_by_asc(sign_video::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|v| {
            Some(SignVideo {
                id: v.id,
                topic: SignTopic::parse(&v.topic)?,
                title: v.title,
                transcript: v.transcript,
                content_type: v.content_type,
                size: v.size,
                has_captions: v.captions_sha256.is_some(),
                created_at: v.created_at,
            })
        })
        .collect())
}

pub async fn video<C: ConnectionTrait>(db: &C, id: i64) -> Result<sign_video::Model, AppError> {
    sign_video::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// What an upload brought, its files already in the files directory.
pub struct NewVideo<'a> {
    pub topic: SignTopic,
    pub title: &'a str,
    pub transcript: &'a str,
    pub content_type: &'static str,
    pub size: u64,
    pub sha256: String,
    pub captions_sha256: Option<String>,
}

pub async fn add_video(
    db: &DatabaseConnection,
    admin: &SessionUser,
    v: NewVideo<'_>,
) -> Result<i64, AppError> {
    let tx = begin_write(db).await?;
    let row = sign_video::ActiveModel {
        topic: Set(v.topic.code().to_owned()),
        title: Set(v.title.trim().to_owned()),
        transcript: Set(v.transcript.trim().to_owned()),
        content_type: Set(v.content_type.to_owned()),
        size: Set(v.size as i64),
        sha256: Set(v.sha256),
        captions_sha256: Set(v.captions_sha256),
        uploaded_by: Set(Some(admin.id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::append(
        &tx,
        Entry {
            actor_id: Some(admin.id),
            action: "accessibility.video_added",
            target_type: "sign_video",
            target_id: Some(row.id.to_string()),
            details: json!({ "topic": v.topic.code(), "title": row.title, "size": v.size }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row.id)
}

/// Removes a video; its files go when no other video or attachment uses them.
pub async fn delete_video(
    db: &DatabaseConnection,
    files_dir: &std::path::Path,
    admin: &SessionUser,
    id: i64,
) -> Result<(), AppError> {
    let tx = begin_write(db).await?;
    let row = video(&tx, id).await?;
    sign_video::Entity::delete_by_id(id).exec(&tx).await?;
    audit::append(
        &tx,
        Entry {
            actor_id: Some(admin.id),
            action: "accessibility.video_removed",
            target_type: "sign_video",
            target_id: Some(id.to_string()),
            details: json!({ "title": row.title }),
        },
    )
    .await?;
    tx.commit().await?;
    for sha in std::iter::once(row.sha256).chain(row.captions_sha256) {
        if !file_in_use(db, &sha).await? {
            let _ = tokio::fs::remove_file(files_dir.join(&sha)).await;
        }
    }
    Ok(())
}

/// Whether a stored file is still referenced (files are content-addressed and shared).
async fn file_in_use(db: &DatabaseConnection, sha: &str) -> Result<bool, AppError> {
    use crate::infra::entities::agenda_file;
    use sea_orm::PaginatorTrait;
    let videos = sign_video::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(sign_video::Column::Sha256.eq(sha))
                .add(sign_video::Column::CaptionsSha256.eq(sha)),
        )
        .count(db)
        .await?;
    let attachments = agenda_file::Entity::find()
        .filter(agenda_file::Column::Sha256.eq(sha))
        .count(db)
        .await?;
    Ok(videos + attachments > 0)
}

/// A subject's title, page and whether everyone may see it; `None` when it does not exist.
async fn subject_of<C: ConnectionTrait>(
    db: &C,
    kind: EasySubject,
    id: i64,
) -> Result<Option<(String, String, bool)>, AppError> {
    use crate::infra::entities::{meeting, petition, proposal};
    Ok(match kind {
        EasySubject::Petition => petition::Entity::find_by_id(id).one(db).await?.map(|p| {
            let public = crate::petitions::server::query::visible_to_public(&p);
            (p.title, format!("/petitions/{}", p.slug), public)
        }),
        EasySubject::Proposal => proposal::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|p| (p.title, format!("/proposals/{id}"), p.hidden_at.is_none())),
        EasySubject::Meeting => meeting::Entity::find_by_id(id)
            .one(db)
            .await?
            .filter(|m| m.deleted_at.is_none())
            .map(|m| (m.title, format!("/sessions/{id}"), m.public)),
    })
}

/// The summary of a subject for its page: everyone sees it where the subject is public,
/// staff always (they write it).
pub async fn easy_summary(
    db: &DatabaseConnection,
    viewer: Option<&SessionUser>,
    kind: EasySubject,
    id: i64,
) -> Result<EasySummary, AppError> {
    let staff = viewer.is_some_and(SessionUser::is_staff);
    let Some((_, _, public)) = subject_of(db, kind, id).await? else {
        return Err(AppError::NotFound);
    };
    if !public && !staff {
        return Ok(EasySummary {
            html: None,
            text: None,
            can_edit: false,
        });
    }
    let row = easy_summary::Entity::find_by_id((kind.code().to_owned(), id))
        .one(db)
        .await?;
    Ok(EasySummary {
        html: row.as_ref().map(|r| markdown::to_safe_html(&r.text)),
        text: staff.then(|| row.map(|r| r.text)).flatten(),
        can_edit: staff,
    })
}

/// Saves (or, with an empty text, removes) a summary; returns the subject's page.
pub async fn save_easy_summary(
    db: &DatabaseConnection,
    staff: &SessionUser,
    kind: EasySubject,
    id: i64,
    text: &str,
) -> Result<String, AppError> {
    let text = text.trim();
    if text.chars().count() > super::SUMMARY_MAX_CHARS {
        return Err(AppError::field("text", t("a11y-summary-too-long")));
    }
    let tx = begin_write(db).await?;
    let Some((_, href, _)) = subject_of(&tx, kind, id).await? else {
        return Err(AppError::NotFound);
    };
    let key = (kind.code().to_owned(), id);
    let action = if text.is_empty() {
        easy_summary::Entity::delete_by_id(key).exec(&tx).await?;
        "accessibility.summary_removed"
    } else {
        easy_summary::Entity::insert(easy_summary::ActiveModel {
            subject_type: Set(kind.code().to_owned()),
            subject_id: Set(id),
            text: Set(text.to_owned()),
            updated_at: Set(Utc::now()),
            updated_by: Set(Some(staff.id)),
        })
        .on_conflict(
            sea_orm::sea_query::OnConflict::columns([
                easy_summary::Column::SubjectType,
                easy_summary::Column::SubjectId,
            ])
            .update_columns([
                easy_summary::Column::Text,
                easy_summary::Column::UpdatedAt,
                easy_summary::Column::UpdatedBy,
            ])
            .to_owned(),
        )
        .exec(&tx)
        .await?;
        "accessibility.summary_saved"
    };
    audit::append(
        &tx,
        Entry {
            actor_id: Some(staff.id),
            action,
            target_type: kind.code(),
            target_id: Some(id.to_string()),
            details: json!({ "chars": text.chars().count() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(href)
}

/// Everything public that has a summary, for `/leichte-sprache`, by kind and title.
pub async fn easy_entries(db: &DatabaseConnection) -> Result<Vec<EasyEntry>, AppError> {
    let rows = easy_summary::Entity::find()
        .order_by_asc(easy_summary::Column::SubjectType)
        .order_by_asc(easy_summary::Column::SubjectId)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let Some(kind) = EasySubject::parse(&r.subject_type) else {
            continue;
        };
        if let Some((title, href, true)) = subject_of(db, kind, r.subject_id).await? {
            out.push(EasyEntry {
                subject: kind,
                title,
                href,
            });
        }
    }
    out.sort_by(|a, b| {
        (a.subject as u8, a.title.to_lowercase()).cmp(&(b.subject as u8, b.title.to_lowercase()))
    });
    Ok(out)
}
