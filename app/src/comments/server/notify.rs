//! Following subjects by email: who follows what, the notifications collected for them, the
//! hourly digest that sends them (at most one email per person and hour, however busy a
//! thread is), and the signed one-click unsubscribe links every such email carries.
//!
//! Several instances may run the digest job at once: a digest is claimed by a conditional
//! update of the person's `notified_at`, which only one transaction can win.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, sea_query::Expr, sea_query::OnConflict,
};

use crate::comments::Unsubscribed;
use crate::comments::domain::SubjectKind;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::i18n::server::lang_of_recipient;
use crate::infra::db::begin_write;
use crate::infra::entities::{
    board, follow, meeting, notification, petition, proposal, proposal_support, user,
};
use crate::infra::mail::{enqueue, templates};
use crate::infra::state::AppConfig;
use crate::infra::tokens;
use crate::site::server as site;

/// At most one digest per person within this time.
pub const DIGEST_EVERY: TimeDelta = TimeDelta::hours(1);

/// A subject as threads, emails and the queue name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectInfo {
    pub kind: SubjectKind,
    pub id: i64,
    pub title: String,
    pub path: String,
    /// Why new comments are not taken, if they are not.
    pub closed: Option<String>,
    pub author_id: Option<i64>,
}

impl SubjectInfo {
    /// "Vorschlag „Bürgerbus nach Lemgo“" in `lang`, for emails.
    pub fn heading_in(&self, lang: Lang) -> String {
        let catalog = crate::i18n::server::catalog(lang);
        let kind = catalog.text(&self.kind.title_key(), &[]);
        catalog.text(
            "comment-subject-heading",
            &[("kind", &kind), ("title", &self.title)],
        )
    }

    /// The heading in the page's language, for pages (emails keep `heading`).
    pub fn heading_title(&self) -> String {
        crate::i18n::t_args(
            "comment-subject-heading",
            &[("kind", &self.kind.title()), ("title", &self.title)],
        )
    }

    pub fn scope(&self) -> String {
        scope(self.kind, self.id)
    }
}

pub fn scope(kind: SubjectKind, id: i64) -> String {
    format!("{}:{id}", kind.code())
}

/// The subject if the public may see it; `NotFound` otherwise (drafts of petitions too).
pub async fn subject<C: ConnectionTrait>(
    db: &C,
    kind: SubjectKind,
    id: i64,
) -> Result<SubjectInfo, AppError> {
    match kind {
        SubjectKind::Proposal => {
            let p = proposal::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok(SubjectInfo {
                kind,
                id,
                path: format!("/proposals/{id}"),
                closed: p
                    .hidden_at
                    .map(|_| crate::i18n::t("comment-closed-proposal-hidden")),
                title: p.title,
                author_id: p.author_id,
            })
        }
        SubjectKind::Petition => {
            let p = petition::Entity::find_by_id(id)
                .one(db)
                .await?
                .filter(crate::petitions::server::procedure::visible_to_public)
                .ok_or(AppError::NotFound)?;
            Ok(SubjectInfo {
                kind,
                id,
                path: format!("/petitions/{}", p.slug),
                closed: None,
                title: p.title,
                author_id: p.created_by,
            })
        }
        SubjectKind::Board => {
            let b = board::Entity::find_by_id(id)
                .one(db)
                .await?
                .filter(|b| b.deleted_at.is_none())
                .ok_or(AppError::NotFound)?;
            Ok(SubjectInfo {
                kind,
                id,
                path: format!("/boards/{id}"),
                closed: None,
                title: b.name,
                author_id: None,
            })
        }
        SubjectKind::Meeting => {
            // Closed sessions are the board's own business: no public thread.
            let m = meeting::Entity::find_by_id(id)
                .one(db)
                .await?
                .filter(|m| m.public && m.deleted_at.is_none())
                .ok_or(AppError::NotFound)?;
            Ok(SubjectInfo {
                kind,
                id,
                path: format!("/sessions/{id}"),
                closed: (m.status == "cancelled")
                    .then(|| crate::i18n::t("comment-closed-session-cancelled")),
                title: m.title,
                author_id: None,
            })
        }
    }
}

/// Follows a subject; following twice changes nothing.
pub async fn follow<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    kind: SubjectKind,
    id: i64,
) -> Result<(), AppError> {
    follow::Entity::insert(follow::ActiveModel {
        user_id: Set(user_id),
        subject_type: Set(kind.code().to_owned()),
        subject_id: Set(id),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([
            follow::Column::UserId,
            follow::Column::SubjectType,
            follow::Column::SubjectId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Stops following; for proposals also ends the supporter's request for email.
pub async fn unfollow<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    kind: SubjectKind,
    id: i64,
) -> Result<(), AppError> {
    follow::Entity::delete_many()
        .filter(follow::Column::UserId.eq(user_id))
        .filter(follow::Column::SubjectType.eq(kind.code()))
        .filter(follow::Column::SubjectId.eq(id))
        .exec(db)
        .await?;
    if kind == SubjectKind::Proposal {
        proposal_support::Entity::update_many()
            .col_expr(proposal_support::Column::Notify, Expr::value(false))
            .filter(proposal_support::Column::ProposalId.eq(id))
            .filter(proposal_support::Column::UserId.eq(user_id))
            .exec(db)
            .await?;
    }
    Ok(())
}

pub async fn is_following<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    kind: SubjectKind,
    id: i64,
) -> Result<bool, AppError> {
    Ok(
        follow::Entity::find_by_id((user_id, kind.code().to_owned(), id))
            .one(db)
            .await?
            .is_some(),
    )
}

/// Everyone following the subject, as account ids.
pub async fn followers<C: ConnectionTrait>(
    db: &C,
    kind: SubjectKind,
    id: i64,
) -> Result<Vec<i64>, AppError> {
    Ok(follow::Entity::find()
        .select_only()
        .column(follow::Column::UserId)
        .filter(follow::Column::SubjectType.eq(kind.code()))
        .filter(follow::Column::SubjectId.eq(id))
        .into_tuple()
        .all(db)
        .await?)
}

/// The language each of `recipients` reads emails in (their choice, else German: the
/// digest is sent outside any request).
pub async fn languages<C: ConnectionTrait>(
    db: &C,
    recipients: &[i64],
) -> Result<HashMap<i64, Lang>, AppError> {
    if recipients.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, Option<String>)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Language)
        .filter(user::Column::Id.is_in(recipients.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, code)| (id, lang_of_recipient(code.as_deref())))
        .collect())
}

/// Collects a notification for each of `recipients` (in the caller's transaction); the
/// digest job sends them.
pub async fn collect<C: ConnectionTrait>(
    db: &C,
    recipients: &[i64],
    subject: &SubjectInfo,
    text_for: impl Fn(i64) -> String,
    link: &str,
) -> Result<(), AppError> {
    if recipients.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    notification::Entity::insert_many(recipients.iter().map(|&user_id| {
        notification::ActiveModel {
            user_id: Set(user_id),
            subject_type: Set(subject.kind.code().to_owned()),
            subject_id: Set(subject.id),
            text: Set(text_for(user_id)),
            link: Set(link.to_owned()),
            created_at: Set(now),
            sent_at: Set(None),
            ..Default::default()
        }
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}

fn token(secret: &[u8], user_id: i64, scope: &str) -> String {
    tokens::hash(secret, &format!("unsubscribe:{user_id}:{scope}"))[..32].to_owned()
}

/// The signed one-click unsubscribe link for a person and a scope (`proposal:12`, or `all`).
/// It does not expire: an old email must still be able to stop the next one.
pub fn unsubscribe_link(config: &AppConfig, user_id: i64, scope: &str) -> String {
    config.link(&format!(
        "/unsubscribe?u={user_id}&s={scope}&t={}",
        token(config.secret(), user_id, scope)
    ))
}

/// What an unsubscribe link ends: every notification, or those about one subject.
enum Scope {
    All,
    Subject(SubjectKind, i64),
}

impl Scope {
    /// Checks the link's token (made for this account and scope) and reads the scope.
    fn of_link(
        config: &AppConfig,
        user_id: i64,
        scope: &str,
        given: &str,
    ) -> Result<Self, AppError> {
        let expected = token(config.secret(), user_id, scope);
        // Constant-time comparison: the token is a credential.
        if !crate::infra::keys::same(expected.as_bytes(), given.as_bytes()) {
            return Err(AppError::LinkInvalid);
        }
        if scope == "all" {
            return Ok(Scope::All);
        }
        scope
            .split_once(':')
            .and_then(|(k, i)| Some(Scope::Subject(SubjectKind::parse(k)?, i.parse().ok()?)))
            .ok_or(AppError::LinkInvalid)
    }

    /// What the page says the link is about: the subject's title and page, or nothing
    /// (everything, or a subject that is gone).
    async fn describe<C: ConnectionTrait>(&self, db: &C) -> Result<Unsubscribed, AppError> {
        let nothing = Unsubscribed {
            title: None,
            link: None,
        };
        let Scope::Subject(kind, id) = *self else {
            return Ok(nothing);
        };
        match subject(db, kind, id).await {
            Ok(s) => Ok(Unsubscribed {
                title: Some(s.heading_title()),
                link: Some(s.path),
            }),
            Err(AppError::NotFound) => Ok(nothing),
            Err(e) => Err(e),
        }
    }
}

/// Carries out an unsubscribe link: ends following that subject (or everything).
pub async fn unsubscribe(
    db: &DatabaseConnection,
    config: &AppConfig,
    user_id: i64,
    scope: &str,
    given: &str,
) -> Result<Unsubscribed, AppError> {
    let scope = Scope::of_link(config, user_id, scope, given)?;
    let tx = begin_write(db).await?;
    let pending = notification::Entity::delete_many()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::SentAt.is_null());
    match scope {
        Scope::All => {
            follow::Entity::delete_many()
                .filter(follow::Column::UserId.eq(user_id))
                .exec(&tx)
                .await?;
            proposal_support::Entity::update_many()
                .col_expr(proposal_support::Column::Notify, Expr::value(false))
                .filter(proposal_support::Column::UserId.eq(user_id))
                .exec(&tx)
                .await?;
            pending.exec(&tx).await?;
        }
        Scope::Subject(kind, id) => {
            unfollow(&tx, user_id, kind, id).await?;
            pending
                .filter(notification::Column::SubjectType.eq(kind.code()))
                .filter(notification::Column::SubjectId.eq(id))
                .exec(&tx)
                .await?;
        }
    }
    let result = scope.describe(&tx).await?;
    tx.commit().await?;
    Ok(result)
}

/// What an unsubscribe link is about, changing nothing: the page shows it and asks for a
/// click (a GET must not change anything; link scanners of mail providers open links).
pub async fn unsubscribe_scope(
    db: &DatabaseConnection,
    config: &AppConfig,
    user_id: i64,
    scope: &str,
    given: &str,
) -> Result<Unsubscribed, AppError> {
    Scope::of_link(config, user_id, scope, given)?
        .describe(db)
        .await
}

/// Sends the digests that are due: to everyone with collected notifications whose last
/// digest is at least `DIGEST_EVERY` old. Returns how many emails were queued.
pub async fn send_digests(
    db: &DatabaseConnection,
    config: &AppConfig,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let waiting: Vec<i64> = notification::Entity::find()
        .select_only()
        .column(notification::Column::UserId)
        .filter(notification::Column::SentAt.is_null())
        .distinct()
        .limit(500)
        .into_tuple()
        .all(db)
        .await?;
    let cutoff = now - DIGEST_EVERY;
    // Once per run, not once per person (and not at all on the usual idle minute).
    let municipality = if waiting.is_empty() {
        String::new()
    } else {
        site::municipality_name(db).await?
    };
    let mut sent = 0;
    for user_id in waiting {
        let tx = begin_write(db).await?;
        let claimed = user::Entity::update_many()
            .col_expr(user::Column::NotifiedAt, Expr::value(now))
            .filter(user::Column::Id.eq(user_id))
            .filter(
                Condition::any()
                    .add(user::Column::NotifiedAt.is_null())
                    .add(user::Column::NotifiedAt.lte(cutoff)),
            )
            .exec(&tx)
            .await?;
        if claimed.rows_affected != 1 {
            // Had one within the hour (or another instance is sending it right now).
            continue;
        }
        let items = notification::Entity::find()
            .filter(notification::Column::UserId.eq(user_id))
            .filter(notification::Column::SentAt.is_null())
            .order_by_asc(notification::Column::Id)
            .all(&tx)
            .await?;
        let Some(last) = items.last().map(|n| n.id) else {
            continue;
        };
        let account = user::Entity::find_by_id(user_id).one(&tx).await?;
        if let Some(u) = account.filter(|u| u.deleted_at.is_none())
            && let Some(email) = u.email.clone()
        {
            let lang = lang_of_recipient(u.language.as_deref());
            let mut groups: Vec<templates::DigestGroup> = Vec::new();
            let mut index: HashMap<(String, i64), usize> = HashMap::new();
            for n in &items {
                let key = (n.subject_type.clone(), n.subject_id);
                let at = match index.get(&key) {
                    Some(&at) => at,
                    None => {
                        let Some(kind) = SubjectKind::parse(&n.subject_type) else {
                            continue;
                        };
                        let Ok(s) = subject(&tx, kind, n.subject_id).await else {
                            // Gone or no longer public: nothing to tell.
                            continue;
                        };
                        groups.push(templates::DigestGroup {
                            heading: s.heading_in(lang),
                            link: config.link(&s.path),
                            lines: Vec::new(),
                            unsubscribe: unsubscribe_link(config, user_id, &s.scope()),
                        });
                        index.insert(key, groups.len() - 1);
                        groups.len() - 1
                    }
                };
                groups[at]
                    .lines
                    .push(format!("– {} {}", n.text, config.link(&n.link)));
            }
            if !groups.is_empty() {
                let mail = templates::digest(
                    lang,
                    &municipality,
                    &u.public_name(),
                    &groups,
                    &unsubscribe_link(config, user_id, "all"),
                );
                enqueue(&tx, &email, mail).await?;
                sent += 1;
            }
        }
        notification::Entity::update_many()
            .col_expr(notification::Column::SentAt, Expr::value(now))
            .filter(notification::Column::UserId.eq(user_id))
            .filter(notification::Column::SentAt.is_null())
            .filter(notification::Column::Id.lte(last))
            .exec(&tx)
            .await?;
        tx.commit().await?;
    }
    // Sent notifications are history nobody reads; keep a week for support questions.
    notification::Entity::delete_many()
        .filter(notification::Column::SentAt.lt(now - TimeDelta::days(7)))
        .exec(db)
        .await?;
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsubscribe_tokens_are_bound_to_person_and_scope() {
        let a = token(b"k", 1, "proposal:3");
        assert_eq!(a, token(b"k", 1, "proposal:3"));
        assert_ne!(a, token(b"k", 2, "proposal:3"));
        assert_ne!(a, token(b"k", 1, "proposal:4"));
        assert_ne!(a, token(b"k", 1, "all"));
        assert_ne!(a, token(b"other", 1, "proposal:3"));
        assert_eq!(a.len(), 32);
    }
}
