//! Resident proposals: submitting and editing (earlier texts kept as versions), one support
//! per account, the official status changes with their public answers and emails, lists
//! with filters, word search and sorting, and the Atom feed.

pub mod routes;

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use serde_json::json;

use crate::comments::domain::SubjectKind;
use crate::comments::server::notify;
use crate::error::{AppError, FieldErrors};
use crate::i18n::{t, t_args};
use crate::infra::audit::{self, Entry};
use crate::infra::auth::SessionUser;
use crate::infra::db::{begin_write, is_unique_violation};
use crate::infra::entities::{
    district, proposal, proposal_status_change, proposal_support, proposal_version, topic, user,
};
use crate::infra::mail::{enqueue, templates};
use crate::infra::markdown;
use crate::infra::state::AppConfig;
use crate::proposals::domain::{self, Actor, Body, Sort, Status, Title};
use crate::proposals::{
    Choice, FormChoices, HistoryEntry, ListQuery, ProposalCard, ProposalDetail, ProposalList,
    ProposalPermissions,
};
use crate::site::server as site;

pub const PER_PAGE: u64 = 20;

/// What the submit and edit forms send, before parsing.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub title: String,
    pub body: String,
    pub topic: String,
    pub district: String,
}

struct Parsed {
    title: Title,
    body: Body,
    topic_id: i64,
    district_id: Option<i64>,
}

async fn parse<C: ConnectionTrait>(db: &C, input: &Input) -> Result<Parsed, AppError> {
    let mut errors = FieldErrors::new();
    let title = errors.check("title", Title::parse(&input.title));
    let body = errors.check("body", Body::parse(&input.body));
    let topics = choices_of::<_, topic::Entity>(db).await?;
    let topic_id = match input.topic.trim().parse::<i64>() {
        Ok(id) if topics.iter().any(|c| c.id == id && c.active) => Some(id),
        _ if input.topic.trim().is_empty() => {
            errors.add("topic", t("proposal-error-topic-empty"));
            None
        }
        _ => {
            errors.add("topic", t("proposal-error-topic-unknown"));
            None
        }
    };
    let districts = choices_of::<_, district::Entity>(db).await?;
    let district_id = match input.district.trim() {
        "" => Some(None),
        raw => match raw.parse::<i64>() {
            Ok(id) if districts.iter().any(|c| c.id == id && c.active) => Some(Some(id)),
            _ => {
                errors.add("district", t("proposal-error-district-unknown"));
                None
            }
        },
    };
    errors.into_result()?;
    match (title, body, topic_id, district_id) {
        (Some(title), Some(body), Some(topic_id), Some(district_id)) => Ok(Parsed {
            title,
            body,
            topic_id,
            district_id,
        }),
        _ => Err(AppError::Internal),
    }
}

fn search_text(title: &str, body: &str) -> String {
    format!("{title}\n{body}").to_lowercase()
}

/// Topics or villages in their order (retired ones included, marked).
async fn choices_of<C, E>(db: &C) -> Result<Vec<Choice>, AppError>
where
    C: ConnectionTrait,
    E: EntityTrait,
{
    let rows: Vec<(i64, String, bool)> = E::find()
        .select_only()
        .column_as(Expr::col("id"), "id")
        .column_as(Expr::col("name"), "name")
        .column_as(Expr::col("active"), "active")
        .order_by_asc(Expr::col("position"))
        .order_by_asc(Expr::col("id"))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, active)| Choice { id, name, active })
        .collect())
}

pub async fn form_choices(db: &DatabaseConnection) -> Result<FormChoices, AppError> {
    Ok(FormChoices {
        topics: choices_of::<_, topic::Entity>(db).await?,
        districts: choices_of::<_, district::Entity>(db).await?,
    })
}

fn ensure_may_post(user: &SessionUser) -> Result<(), AppError> {
    if user.blocked {
        return Err(AppError::Blocked);
    }
    Ok(())
}

/// Submits a proposal; returns its id.
pub async fn create(
    db: &DatabaseConnection,
    author: &SessionUser,
    input: &Input,
) -> Result<i64, AppError> {
    ensure_may_post(author)?;
    let p = parse(db, input).await?;
    let now = Utc::now();
    let tx = begin_write(db).await?;
    crate::comments::server::check_posting_limit(&tx, author.id, "body").await?;
    let inserted = proposal::Entity::insert(proposal::ActiveModel {
        author_id: Set(Some(author.id)),
        title: Set(p.title.as_str().to_owned()),
        body: Set(p.body.as_str().to_owned()),
        body_html: Set(Some(markdown::to_safe_html(p.body.as_str()))),
        topic_id: Set(p.topic_id),
        district_id: Set(p.district_id),
        status: Set(Status::Submitted.code().to_owned()),
        search_text: Set(search_text(p.title.as_str(), p.body.as_str())),
        supports: Set(0),
        comments: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        status_changed_at: Set(None),
        hidden_at: Set(None),
        hidden_reason: Set(None),
        hidden_by: Set(None),
        ..Default::default()
    })
    .exec(&tx)
    .await?;
    let id = inserted.last_insert_id;
    proposal_status_change::Entity::insert(proposal_status_change::ActiveModel {
        proposal_id: Set(id),
        from_status: Set(None),
        to_status: Set(Status::Submitted.code().to_owned()),
        answer: Set(None),
        actor_id: Set(Some(author.id)),
        at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(&tx)
    .await?;
    // Authors follow their proposal: answers and comments reach them by email.
    notify::follow(&tx, author.id, SubjectKind::Proposal, id).await?;
    tx.commit().await?;
    Ok(id)
}

async fn find(db: &impl ConnectionTrait, id: i64) -> Result<proposal::Model, AppError> {
    proposal::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

fn status_of(p: &proposal::Model) -> Status {
    Status::parse(&p.status).unwrap_or(Status::Submitted)
}

/// The author edits the text until the first status change; the text before goes into the
/// versions.
pub async fn edit(
    db: &DatabaseConnection,
    author: &SessionUser,
    id: i64,
    input: &Input,
) -> Result<(), AppError> {
    ensure_may_post(author)?;
    let current = find(db, id).await?;
    if current.author_id != Some(author.id) {
        return Err(AppError::Forbidden);
    }
    if !status_of(&current).editable() || current.hidden_at.is_some() {
        return Err(AppError::field("title", t("proposal-error-not-editable")));
    }
    let p = parse(db, input).await?;
    let now = Utc::now();
    let tx = begin_write(db).await?;
    let updated = proposal::Entity::update_many()
        .col_expr(proposal::Column::Title, Expr::value(p.title.as_str()))
        .col_expr(proposal::Column::Body, Expr::value(p.body.as_str()))
        .col_expr(
            proposal::Column::BodyHtml,
            Expr::value(markdown::to_safe_html(p.body.as_str())),
        )
        .col_expr(proposal::Column::TopicId, Expr::value(p.topic_id))
        .col_expr(proposal::Column::DistrictId, Expr::value(p.district_id))
        .col_expr(
            proposal::Column::SearchText,
            Expr::value(search_text(p.title.as_str(), p.body.as_str())),
        )
        .col_expr(proposal::Column::UpdatedAt, Expr::value(now))
        .filter(proposal::Column::Id.eq(id))
        // Only if nobody moved it meanwhile.
        .filter(proposal::Column::Status.eq(Status::Submitted.code()))
        .exec(&tx)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::field("title", t("proposal-error-not-editable")));
    }
    proposal_version::Entity::insert(proposal_version::ActiveModel {
        proposal_id: Set(id),
        title: Set(current.title),
        body: Set(current.body),
        topic_id: Set(current.topic_id),
        district_id: Set(current.district_id),
        replaced_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(&tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One support per account, while the proposal is open; the count moves in the same
/// transaction.
pub async fn support(
    db: &DatabaseConnection,
    user: &SessionUser,
    id: i64,
    notify: bool,
) -> Result<(), AppError> {
    ensure_may_post(user)?;
    let p = find(db, id).await?;
    if !status_of(&p).open() || p.hidden_at.is_some() {
        return Err(AppError::field(
            "support",
            t("proposal-error-support-closed"),
        ));
    }
    let tx = begin_write(db).await?;
    let inserted = proposal_support::Entity::insert(proposal_support::ActiveModel {
        proposal_id: Set(id),
        user_id: Set(user.id),
        notify: Set(notify),
        created_at: Set(Utc::now()),
    })
    .exec_without_returning(&tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::field(
                "support",
                t("proposal-error-already-supported"),
            ));
        }
        Err(e) => return Err(e.into()),
    }
    if notify {
        notify::follow(&tx, user.id, SubjectKind::Proposal, id).await?;
    }
    proposal::Entity::update_many()
        .col_expr(
            proposal::Column::Supports,
            Expr::col(proposal::Column::Supports).add(1),
        )
        .filter(proposal::Column::Id.eq(id))
        .exec(&tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Takes a support back.
pub async fn unsupport(
    db: &DatabaseConnection,
    user: &SessionUser,
    id: i64,
) -> Result<(), AppError> {
    find(db, id).await?;
    let tx = begin_write(db).await?;
    let deleted = proposal_support::Entity::delete_many()
        .filter(proposal_support::Column::ProposalId.eq(id))
        .filter(proposal_support::Column::UserId.eq(user.id))
        .exec(&tx)
        .await?;
    if deleted.rows_affected != 1 {
        return Err(AppError::field(
            "support",
            t("proposal-error-not-supported"),
        ));
    }
    proposal::Entity::update_many()
        .col_expr(
            proposal::Column::Supports,
            Expr::col(proposal::Column::Supports).sub(1),
        )
        .filter(proposal::Column::Id.eq(id))
        .exec(&tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Moves a proposal with a public answer (officials; the author may withdraw). The author
/// and the supporters who asked for it get an email in the same transaction.
pub async fn change_status(
    db: &DatabaseConnection,
    config: &AppConfig,
    actor: &SessionUser,
    id: i64,
    to: &str,
    answer: &str,
) -> Result<(), AppError> {
    let p = find(db, id).await?;
    let from = status_of(&p);
    let role = if actor.is_staff() {
        Actor::Official
    } else if p.author_id == Some(actor.id) {
        Actor::Author
    } else {
        return Err(AppError::Forbidden);
    };
    let mut errors = FieldErrors::new();
    let to = match Status::parse(to.trim()) {
        Some(s) if from.can_move(s, role) => Some(s),
        _ => {
            errors.add(
                "status",
                t_args("proposal-error-step-impossible", &[("from", &from.title())]),
            );
            None
        }
    };
    let answer = match role {
        Actor::Official => errors.check("answer", domain::parse_answer(answer)),
        // An author may say why, but need not.
        Actor::Author if answer.trim().is_empty() => Some(String::new()),
        Actor::Author => errors.check("answer", domain::parse_answer(answer)),
    };
    errors.into_result()?;
    let (Some(to), Some(answer)) = (to, answer) else {
        return Err(AppError::Internal);
    };
    let now = Utc::now();
    let tx = begin_write(db).await?;
    let updated = proposal::Entity::update_many()
        .col_expr(proposal::Column::Status, Expr::value(to.code()))
        .col_expr(proposal::Column::StatusChangedAt, Expr::value(now))
        .col_expr(proposal::Column::UpdatedAt, Expr::value(now))
        .filter(proposal::Column::Id.eq(id))
        .filter(proposal::Column::Status.eq(from.code()))
        .exec(&tx)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::field(
            "status",
            t("proposal-error-changed-meanwhile"),
        ));
    }
    let answer = (!answer.is_empty()).then_some(answer);
    proposal_status_change::Entity::insert(proposal_status_change::ActiveModel {
        proposal_id: Set(id),
        from_status: Set(Some(from.code().to_owned())),
        to_status: Set(to.code().to_owned()),
        answer: Set(answer.clone()),
        answer_html: Set(answer.as_deref().map(markdown::to_safe_html)),
        actor_id: Set(Some(actor.id)),
        at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(&tx)
    .await?;
    if role == Actor::Official {
        audit::append(
            &tx,
            Entry {
                actor_id: Some(actor.id),
                action: "proposal.status_changed",
                target_type: "proposal",
                target_id: Some(id.to_string()),
                details: json!({ "from": from.code(), "to": to.code() }),
            },
        )
        .await?;
    }
    // Everyone following (the author unless they unsubscribed, supporters who asked, and
    // whoever pressed "Folgen"), except whoever made the change. Sent at once, not in the
    // hourly digest: an official answer is what people wait for.
    let mut recipients = notify::followers(&tx, SubjectKind::Proposal, id).await?;
    recipients.sort_unstable();
    recipients.dedup();
    recipients.retain(|r| *r != actor.id);
    if !recipients.is_empty() {
        let accounts = user::Entity::find()
            .filter(user::Column::Id.is_in(recipients))
            .filter(user::Column::DeletedAt.is_null())
            .all(&tx)
            .await?;
        let municipality = site::municipality_name(&tx).await?;
        let link = config.link(&format!("/proposals/{id}"));
        let scope = notify::scope(SubjectKind::Proposal, id);
        for account in accounts {
            let Some(address) = account.email else {
                continue;
            };
            let lang = crate::i18n::server::lang_of_recipient(account.language.as_deref());
            let status = crate::i18n::server::text(lang, &to.title_key(), &[]);
            let mail = templates::proposal_news(
                lang,
                &municipality,
                &p.title,
                &status,
                answer.as_deref(),
                &link,
                &notify::unsubscribe_link(config, account.id, &scope),
            );
            enqueue(&tx, &address, mail).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

fn teaser(body: &str) -> String {
    // Markdown marks are noise in a teaser; the words are what people scan.
    let plain: String = body
        .chars()
        .map(|c| {
            if matches!(c, '#' | '*' | '_' | '`' | '>' | '[' | ']') {
                ' '
            } else {
                c
            }
        })
        .collect();
    crate::text::first_words(&plain, 180)
}

/// List entries for `rows`, naming topics and villages from `choices` (loaded once by the
/// caller, who usually sends them along to the page too).
async fn cards(
    db: &DatabaseConnection,
    choices: &FormChoices,
    rows: Vec<proposal::Model>,
) -> Result<Vec<ProposalCard>, AppError> {
    let name = |list: &[Choice], id: i64| list.iter().find(|c| c.id == id).map(|c| c.name.clone());
    let author_ids: Vec<i64> = rows.iter().filter_map(|p| p.author_id).collect();
    let authors: HashMap<i64, String> = if author_ids.is_empty() {
        HashMap::new()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(author_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.public_name()))
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|p| ProposalCard {
            id: p.id,
            status: status_of(&p),
            teaser: if p.hidden_at.is_some() {
                String::new()
            } else {
                teaser(&p.body)
            },
            title: p.title,
            topic: name(&choices.topics, p.topic_id).unwrap_or_default(),
            district: p.district_id.and_then(|d| name(&choices.districts, d)),
            supports: u64::try_from(p.supports).unwrap_or(0),
            comments: u64::try_from(p.comments).unwrap_or(0),
            author: p
                .author_id
                .and_then(|a| authors.get(&a).cloned())
                .unwrap_or_else(|| t("proposal-deleted-account")),
            created_at: p.created_at,
            hidden_reason: p.hidden_at.map(|_| p.hidden_reason.unwrap_or_default()),
        })
        .collect())
}

/// A page of the public list.
pub async fn list(db: &DatabaseConnection, q: &ListQuery) -> Result<ProposalList, AppError> {
    let sort = Sort::parse(&q.sort);
    let mut cond = Condition::all();
    if let Some(topic) = q.topic {
        cond = cond.add(proposal::Column::TopicId.eq(topic));
    }
    if let Some(district) = q.district {
        cond = cond.add(proposal::Column::DistrictId.eq(district));
    }
    if let Some(status) = Status::parse(q.status.trim()) {
        cond = cond.add(proposal::Column::Status.eq(status.code()));
    }
    for term in domain::search_terms(&q.q) {
        // Every word must occur (in any order); LIKE's own wildcards are taken literally.
        let needle = format!(
            "%{}%",
            term.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        cond = cond.add(
            Expr::col(proposal::Column::SearchText)
                .like(sea_orm::sea_query::LikeExpr::new(needle).escape('\\')),
        );
    }
    let query = proposal::Entity::find().filter(cond);
    let total = query.clone().count(db).await?;
    let pages = std::cmp::max(total.div_ceil(PER_PAGE), 1);
    let page = q.page.clamp(1, pages);
    let ordered = match sort {
        Sort::Newest => query.order_by_desc(proposal::Column::CreatedAt),
        Sort::MostSupported => query
            .order_by_desc(proposal::Column::Supports)
            .order_by_desc(proposal::Column::CreatedAt),
        Sort::MostDiscussed => query
            .order_by_desc(proposal::Column::Comments)
            .order_by_desc(proposal::Column::CreatedAt),
    }
    .order_by_desc(proposal::Column::Id);
    let rows = ordered
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
        .all(db)
        .await?;
    let choices = form_choices(db).await?;
    Ok(ProposalList {
        items: cards(db, &choices, rows).await?,
        total,
        page,
        pages,
        sort,
        topics: choices.topics,
        districts: choices.districts,
    })
}

/// The proposal page, with what the viewer may do.
pub async fn detail(
    db: &DatabaseConnection,
    viewer: Option<&SessionUser>,
    id: i64,
) -> Result<ProposalDetail, AppError> {
    let p = find(db, id).await?;
    let status = status_of(&p);
    let history_rows = proposal_status_change::Entity::find()
        .filter(proposal_status_change::Column::ProposalId.eq(id))
        .order_by_asc(proposal_status_change::Column::At)
        .order_by_asc(proposal_status_change::Column::Id)
        .all(db)
        .await?;
    let actor_ids: Vec<i64> = history_rows.iter().filter_map(|h| h.actor_id).collect();
    let actors: HashMap<i64, String> = if actor_ids.is_empty() {
        HashMap::new()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(actor_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.public_name()))
            .collect()
    };
    let history = history_rows
        .into_iter()
        .map(|h| HistoryEntry {
            at: h.at,
            status: Status::parse(&h.to_status).unwrap_or(Status::Submitted),
            answer_html: h
                .answer
                .as_deref()
                .map(|a| markdown::stored_or_render(h.answer_html.as_deref(), a)),
            by: h.actor_id.and_then(|a| actors.get(&a).cloned()),
        })
        .collect();
    let edited = proposal_version::Entity::find()
        .filter(proposal_version::Column::ProposalId.eq(id))
        .count(db)
        .await?
        > 0;
    let mut permissions = ProposalPermissions::default();
    if let Some(v) = viewer {
        let supported = proposal_support::Entity::find_by_id((id, v.id))
            .one(db)
            .await?
            .is_some();
        let author = p.author_id == Some(v.id);
        permissions = ProposalPermissions {
            signed_in: true,
            supported,
            can_support: status.open() && p.hidden_at.is_none() && !v.blocked,
            can_edit: author && status.editable() && p.hidden_at.is_none() && !v.blocked,
            steps: if v.is_staff() {
                status.next(Actor::Official).to_vec()
            } else if author {
                status.next(Actor::Author).to_vec()
            } else {
                Vec::new()
            },
            can_report: !author && p.hidden_at.is_none() && !v.blocked,
            can_moderate: crate::comments::server::may_moderate(v),
        };
    }
    let hidden = p.hidden_at.is_some();
    let body = if hidden {
        String::new()
    } else {
        p.body.clone()
    };
    let body_html = if hidden {
        String::new()
    } else {
        markdown::stored_or_render(p.body_html.as_deref(), &p.body)
    };
    let (topic_id, district_id) = (p.topic_id, p.district_id);
    let choices = form_choices(db).await?;
    let card = cards(db, &choices, vec![p])
        .await?
        .pop()
        .ok_or(AppError::Internal)?;
    Ok(ProposalDetail {
        card,
        body,
        body_html,
        topic_id,
        district_id,
        edited,
        history,
        agenda: crate::boards::server::meetings::mentions(db, SubjectKind::Proposal, id).await?,
        permissions,
        topics: choices.topics,
        districts: choices.districts,
    })
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The Atom feed of the newest proposals (hidden ones left out).
pub async fn feed(db: &DatabaseConnection, base_url: &str) -> Result<String, AppError> {
    let rows = proposal::Entity::find()
        .filter(proposal::Column::HiddenAt.is_null())
        .order_by_desc(proposal::Column::CreatedAt)
        .order_by_desc(proposal::Column::Id)
        .limit(50)
        .all(db)
        .await?;
    let municipality = site::municipality_name(db).await?;
    let updated = rows
        .iter()
        .map(|p| p.updated_at)
        .max()
        .unwrap_or_else(Utc::now);
    let cards = cards(db, &form_choices(db).await?, rows.clone()).await?;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"de\">\n");
    out.push_str(&format!(
        "<title>{}</title>\n<id>{base}/proposals</id>\n<link rel=\"self\" href=\"{base}/proposals/feed.atom\"/>\n<link href=\"{base}/proposals\"/>\n<updated>{}</updated>\n",
        xml(&format!("Vorschläge – {municipality}")),
        updated.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        base = xml(base_url),
    ));
    for (p, card) in rows.iter().zip(cards) {
        out.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{base}/proposals/{id}</id>\n<link href=\"{base}/proposals/{id}\"/>\n<published>{}</published>\n<updated>{}</updated>\n<author><name>{}</name></author>\n<category term=\"{}\"/>\n<content type=\"html\">{}</content>\n</entry>\n",
            xml(&p.title),
            p.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            p.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            xml(&card.author),
            xml(&card.topic),
            xml(&markdown::stored_or_render(p.body_html.as_deref(), &p.body)),
            base = xml(base_url),
            id = p.id,
        ));
    }
    out.push_str("</feed>\n");
    Ok(out)
}

/// Which staff-edited list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Topics,
    Districts,
}

/// Parses one name per line: trimmed, none empty, none twice, at most 80 characters.
pub fn parse_list(text: &str) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let name = line.trim();
        if name.is_empty() {
            continue;
        }
        if name.chars().count() > 80 {
            return Err(t_args(
                "proposal-error-list-line-too-long",
                &[("line", &(i + 1).to_string())],
            ));
        }
        if names
            .iter()
            .any(|n| n.to_lowercase() == name.to_lowercase())
        {
            return Err(t_args("proposal-error-list-duplicate", &[("name", name)]));
        }
        names.push(name.to_owned());
    }
    if names.len() > 200 {
        return Err(t("proposal-error-list-too-many"));
    }
    Ok(names)
}

/// Replaces a list: names in the given order; entries no longer named are retired (kept for
/// the proposals that carry them, no longer offered), named again they come back.
pub async fn save_list(
    db: &DatabaseConnection,
    actor: Option<i64>,
    kind: ListKind,
    names: &[String],
) -> Result<(), AppError> {
    let tx = begin_write(db).await?;
    macro_rules! save {
        ($entity:ident) => {{
            let existing = $entity::Entity::find().all(&tx).await?;
            for e in &existing {
                if !names.iter().any(|n| *n == e.name) && e.active {
                    $entity::Entity::update_many()
                        .col_expr($entity::Column::Active, Expr::value(false))
                        .filter($entity::Column::Id.eq(e.id))
                        .exec(&tx)
                        .await?;
                }
            }
            for (position, name) in names.iter().enumerate() {
                let position = i32::try_from(position).unwrap_or(i32::MAX);
                match existing.iter().find(|e| e.name == *name) {
                    Some(e) => {
                        $entity::Entity::update_many()
                            .col_expr($entity::Column::Active, Expr::value(true))
                            .col_expr($entity::Column::Position, Expr::value(position))
                            .filter($entity::Column::Id.eq(e.id))
                            .exec(&tx)
                            .await?;
                    }
                    None => {
                        $entity::Entity::insert($entity::ActiveModel {
                            name: Set(name.clone()),
                            position: Set(position),
                            active: Set(true),
                            ..Default::default()
                        })
                        .exec_without_returning(&tx)
                        .await?;
                    }
                }
            }
        }};
    }
    match kind {
        ListKind::Topics => save!(topic),
        ListKind::Districts => save!(district),
    }
    audit::append(
        &tx,
        Entry {
            actor_id: actor,
            action: match kind {
                ListKind::Topics => "topics.updated",
                ListKind::Districts => "districts.updated",
            },
            target_type: "list",
            target_id: None,
            details: json!({ "names": names }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Proposals per topic and status, for the staff report.
pub async fn by_topic_and_status(
    db: &DatabaseConnection,
) -> Result<Vec<(String, Vec<(Status, u64)>)>, AppError> {
    let rows: Vec<(i64, String, i64)> = proposal::Entity::find()
        .select_only()
        .column(proposal::Column::TopicId)
        .column(proposal::Column::Status)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .group_by(proposal::Column::TopicId)
        .group_by(proposal::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let topics = choices_of::<_, topic::Entity>(db).await?;
    Ok(topics
        .into_iter()
        .map(|t| {
            let counts = Status::ALL
                .into_iter()
                .map(|s| {
                    let n = rows
                        .iter()
                        .filter(|(topic, code, _)| *topic == t.id && code == s.code())
                        .map(|(_, _, n)| u64::try_from(*n).unwrap_or(0))
                        .sum();
                    (s, n)
                })
                .collect();
            (t.name, counts)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_one_name_per_line_without_doubles() {
        assert_eq!(
            parse_list("  Mobilität \n\nBildung & Betreuung\r\n").unwrap(),
            vec!["Mobilität", "Bildung & Betreuung"]
        );
        assert!(
            parse_list("Umwelt\numwelt")
                .unwrap_err()
                .contains("doppelt")
        );
        assert!(parse_list(&"x".repeat(81)).unwrap_err().contains("Zeile 1"));
    }

    #[test]
    fn teasers_are_plain_and_short() {
        let t = teaser(&format!(
            "# Titel\n\n**Ein** Vorschlag {}",
            "Wort ".repeat(100)
        ));
        assert!(t.starts_with("Titel Ein Vorschlag Wort"), "{t}");
        assert!(t.ends_with(" …") && t.chars().count() < 190, "{t}");
    }
}
