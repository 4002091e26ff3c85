//! Comment threads: reading a page of a thread with its replies, posting (with the posting
//! limit and notifications for followers), editing with versions, deleting that keeps the
//! thread's shape, likes, reports, and moderation (hide with a public reason, restore,
//! dismiss reports, block accounts), every moderation step in the audit log.

pub mod notify;
pub mod routes;

use std::collections::{HashMap, HashSet};

use chrono::{TimeDelta, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, OnConflict},
};
use serde_json::json;

use crate::comments::domain::{
    self, CommentBody, Decision, MAX_DEPTH, Order, REPLIES_PER_PAGE, ROOTS_PER_PAGE, SubjectKind,
    Target,
};
use crate::comments::{
    BlockedAccount, CommentView, ModerationQueue, QueueItem, ReportLine, Thread, ThreadRoot,
    ThreadViewer, Version,
};
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::infra::audit::{self, Entry};
use crate::infra::auth::SessionUser;
use crate::infra::db::begin_write;
use crate::infra::entities::{
    comment, comment_like, comment_version, content_report, proposal, user,
};
use crate::infra::markdown;
use notify::SubjectInfo;

/// Who moderates: council staff (board chairs join with the boards).
pub fn may_moderate(user: &SessionUser) -> bool {
    user.is_staff()
}

fn visible(c: &comment::Model) -> bool {
    c.deleted_at.is_none() && c.hidden_at.is_none()
}

async fn names<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>, AppError> {
    let ids: HashSet<i64> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.public_name()))
        .collect())
}

fn name_of(names: &HashMap<i64, String>, id: Option<i64>) -> String {
    id.and_then(|i| names.get(&i).cloned())
        .unwrap_or_else(|| t("comment-deleted-account"))
}

/// Which part of a thread to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadPage {
    pub order: Order,
    /// Page of top-level comments, 1-based.
    pub page: u64,
    /// One discussion only: a top-level comment with its replies paged (`rpage`, 1-based).
    pub focus: Option<(i64, u64)>,
}

/// One page of a thread: `ROOTS_PER_PAGE` top-level comments in the chosen order, each with
/// its first `REPLIES_PER_PAGE` replies in reading order; or one discussion with a page of
/// its replies. The reply tree is ordered from ids alone; only the comments shown are loaded
/// whole (and rendered), so one discussion of thousands of replies stays as fast as any.
pub async fn thread(
    db: &DatabaseConnection,
    viewer: Option<&SessionUser>,
    kind: SubjectKind,
    subject_id: i64,
    at: ThreadPage,
) -> Result<Thread, AppError> {
    let subject = notify::subject(db, kind, subject_id).await?;
    let of_subject = comment::Entity::find()
        .filter(comment::Column::SubjectType.eq(kind.code()))
        .filter(comment::Column::SubjectId.eq(subject_id));
    let total = of_subject.clone().count(db).await?;
    let (roots, page, pages, rpage) = roots_of(db, of_subject, &at).await?;
    let root_ids: Vec<i64> = roots.iter().map(|r| r.id).collect();
    let shape = reply_shape(db, &root_ids).await?;
    let shown_replies = replies_in_order(&shape, &root_ids, rpage);
    let wanted: Vec<i64> = shown_replies
        .iter()
        .flat_map(|(_, ids, _)| ids.iter().copied())
        .collect();
    let mut loaded: HashMap<i64, comment::Model> = HashMap::new();
    for chunk in wanted.chunks(500) {
        for c in comment::Entity::find()
            .filter(comment::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            loaded.insert(c.id, c);
        }
    }
    let authors: HashMap<i64, Option<i64>> = roots
        .iter()
        .map(|c| (c.id, c.author_id))
        .chain(shape.iter().map(|(id, _, _, _, author)| (*id, *author)))
        .collect();
    // Names of the authors shown and of those the third level answers.
    let named = roots
        .iter()
        .filter_map(|c| c.author_id)
        .chain(loaded.values().filter_map(|c| c.author_id))
        .chain(
            loaded
                .values()
                .filter_map(|c| c.reply_to_id)
                .filter_map(|to| authors.get(&to).copied().flatten()),
        );
    let shown_ids: Vec<i64> = root_ids.iter().chain(wanted.iter()).copied().collect();
    let can_post = viewer.is_some_and(|v| !v.blocked) && subject.closed.is_none();
    let viewing = Viewing {
        viewer,
        names: names(db, named).await?,
        authors,
        liked: liked_by(db, viewer, &shown_ids).await?,
        can_post,
    };
    let roots = roots
        .iter()
        .zip(shown_replies)
        .map(|(root, (_, ids, count))| ThreadRoot {
            comment: viewing.view(root),
            replies: ids
                .iter()
                .filter_map(|id| loaded.get(id))
                .map(|c| viewing.view(c))
                .collect(),
            replies_total: count,
            replies_page: rpage,
            replies_pages: std::cmp::max(count.div_ceil(REPLIES_PER_PAGE), 1),
        })
        .collect();
    let following = match viewer {
        Some(v) => notify::is_following(db, v.id, kind, subject_id).await?,
        None => false,
    };
    Ok(Thread {
        kind,
        subject_id,
        path: subject.path,
        total,
        order: at.order,
        page,
        pages,
        focus: at.focus.map(|(root, _)| root),
        roots,
        viewer: ThreadViewer {
            signed_in: viewer.is_some(),
            blocked: viewer.is_some_and(|v| v.blocked),
            can_post,
            following,
        },
        closed: subject.closed,
    })
}

/// The top-level comments of the page (or the one discussion in focus), with the page, the
/// number of pages and the page of replies.
async fn roots_of(
    db: &DatabaseConnection,
    of_subject: sea_orm::Select<comment::Entity>,
    at: &ThreadPage,
) -> Result<(Vec<comment::Model>, u64, u64, u64), AppError> {
    let roots_query = of_subject.filter(comment::Column::RootId.is_null());
    if let Some((root, rpage)) = at.focus {
        let root = roots_query
            .filter(comment::Column::Id.eq(root))
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok((vec![root], 1, 1, std::cmp::max(rpage, 1)));
    }
    let root_count = roots_query.clone().count(db).await?;
    let pages = std::cmp::max(root_count.div_ceil(ROOTS_PER_PAGE), 1);
    let page = at.page.clamp(1, pages);
    // Ids grow with time, so they order by age through the subject index.
    let ordered = match at.order {
        Order::Newest => roots_query.order_by_desc(comment::Column::Id),
        Order::Oldest => roots_query.order_by_asc(comment::Column::Id),
        Order::MostLiked => roots_query
            .order_by_desc(comment::Column::Likes)
            .order_by_desc(comment::Column::Id),
    };
    let roots = ordered
        .offset((page - 1) * ROOTS_PER_PAGE)
        .limit(ROOTS_PER_PAGE)
        .all(db)
        .await?;
    Ok((roots, page, pages, 1))
}

/// The shape of the reply trees: (id, root, parent, answers, author).
type Shape = (i64, Option<i64>, Option<i64>, Option<i64>, Option<i64>);

/// The shape of every reply under the given roots, oldest first: ids only, no bodies.
async fn reply_shape(db: &DatabaseConnection, root_ids: &[i64]) -> Result<Vec<Shape>, AppError> {
    if root_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(comment::Entity::find()
        .select_only()
        .column(comment::Column::Id)
        .column(comment::Column::RootId)
        .column(comment::Column::ParentId)
        .column(comment::Column::ReplyToId)
        .column(comment::Column::AuthorId)
        .filter(comment::Column::RootId.is_in(root_ids.to_vec()))
        .order_by_asc(comment::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}

/// Per root: its replies depth first, oldest first among siblings (a conversation reads
/// top to bottom), the slice of them page `rpage` shows, and how many there are.
fn replies_in_order(shape: &[Shape], root_ids: &[i64], rpage: u64) -> Vec<(i64, Vec<i64>, u64)> {
    let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
    for (id, _, parent, _, _) in shape {
        if let Some(parent) = parent {
            children.entry(*parent).or_default().push(*id);
        }
    }
    let mut shown_replies = Vec::new();
    for root in root_ids {
        let mut ordered = Vec::new();
        let mut stack: Vec<i64> = children
            .get(root)
            .map(|c| c.iter().rev().copied().collect())
            .unwrap_or_default();
        while let Some(c) = stack.pop() {
            ordered.push(c);
            if let Some(kids) = children.get(&c) {
                stack.extend(kids.iter().rev().copied());
            }
        }
        let count = ordered.len() as u64;
        let from = usize::try_from((rpage - 1) * REPLIES_PER_PAGE).unwrap_or(usize::MAX);
        let slice: Vec<i64> = ordered
            .into_iter()
            .skip(from)
            .take(REPLIES_PER_PAGE as usize)
            .collect();
        shown_replies.push((*root, slice, count));
    }
    shown_replies
}

/// The comments among `ids` the viewer likes.
async fn liked_by(
    db: &DatabaseConnection,
    viewer: Option<&SessionUser>,
    ids: &[i64],
) -> Result<HashSet<i64>, AppError> {
    let mut liked = HashSet::new();
    let Some(v) = viewer else {
        return Ok(liked);
    };
    for chunk in ids.chunks(500) {
        let rows: Vec<i64> = comment_like::Entity::find()
            .select_only()
            .column(comment_like::Column::CommentId)
            .filter(comment_like::Column::UserId.eq(v.id))
            .filter(comment_like::Column::CommentId.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        liked.extend(rows);
    }
    Ok(liked)
}

/// What a comment looks like to this viewer: names, likes and the actions allowed.
struct Viewing<'a> {
    viewer: Option<&'a SessionUser>,
    names: HashMap<i64, String>,
    /// Author of every comment on the page and of the comments replies answer.
    authors: HashMap<i64, Option<i64>>,
    liked: HashSet<i64>,
    can_post: bool,
}

impl Viewing<'_> {
    fn view(&self, c: &comment::Model) -> CommentView {
        let viewer = self.viewer;
        let own = viewer.is_some_and(|v| c.author_id == Some(v.id));
        let active = viewer.is_some_and(|v| !v.blocked);
        let shown = visible(c);
        let reply_to = match (c.reply_to_id, c.parent_id) {
            (Some(to), Some(parent)) if to != parent => self
                .authors
                .get(&to)
                .map(|author| name_of(&self.names, *author)),
            _ => None,
        };
        CommentView {
            id: c.id,
            depth: u8::try_from(c.depth.clamp(0, MAX_DEPTH)).unwrap_or(0),
            author: name_of(&self.names, c.author_id),
            reply_to,
            created_at: c.created_at,
            edited: c.edited_at.is_some(),
            deleted: c.deleted_at.is_some(),
            hidden_reason: if c.deleted_at.is_none() {
                c.hidden_at
                    .map(|_| c.hidden_reason.clone().unwrap_or_default())
            } else {
                None
            },
            body_html: if shown {
                markdown::stored_or_render(c.body_html.as_deref(), &c.body)
            } else {
                String::new()
            },
            body: (own && shown && active).then(|| c.body.clone()),
            likes: u64::try_from(c.likes).unwrap_or(0),
            liked: self.liked.contains(&c.id),
            can_reply: self.can_post && shown,
            can_edit: own && shown && active,
            can_like: !own && shown && active,
            can_report: !own && shown && active,
            can_moderate: viewer.is_some_and(may_moderate) && c.deleted_at.is_none(),
        }
    }
}

/// Refuses the post if the account wrote `POSTS_PER_WINDOW` comments and proposals within
/// the window. Counted in the database, so it holds across instances.
pub async fn check_posting_limit<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    field: &str,
) -> Result<(), AppError> {
    let since = Utc::now() - TimeDelta::minutes(domain::POST_WINDOW_MINUTES);
    let comments = comment::Entity::find()
        .filter(comment::Column::AuthorId.eq(user_id))
        .filter(comment::Column::CreatedAt.gt(since))
        .count(db)
        .await?;
    let proposals = proposal::Entity::find()
        .filter(proposal::Column::AuthorId.eq(user_id))
        .filter(proposal::Column::CreatedAt.gt(since))
        .count(db)
        .await?;
    domain::may_post(comments + proposals).map_err(|m| AppError::field(field, m))
}

/// Keeps `proposals.comments` (the "most discussed" order) at the number of visible
/// comments; other subjects keep no counter.
async fn bump_counter<C: ConnectionTrait>(
    db: &C,
    subject_type: &str,
    subject_id: i64,
    delta: i64,
) -> Result<(), AppError> {
    if subject_type == SubjectKind::Proposal.code() {
        proposal::Entity::update_many()
            .col_expr(
                proposal::Column::Comments,
                Expr::col(proposal::Column::Comments).add(delta),
            )
            .filter(proposal::Column::Id.eq(subject_id))
            .exec(db)
            .await?;
    }
    Ok(())
}

fn excerpt(text: &str) -> String {
    crate::text::first_words(text, 120)
}

/// A new comment, or a reply to `parent`. Returns its id and the subject's path.
pub async fn post(
    db: &DatabaseConnection,
    author: &SessionUser,
    kind: SubjectKind,
    subject_id: i64,
    parent: Option<i64>,
    body: &str,
    follow: bool,
) -> Result<(i64, String), AppError> {
    if author.blocked {
        return Err(AppError::Blocked);
    }
    let body = CommentBody::parse(body).map_err(|m| AppError::field("body", m))?;
    let subject = notify::subject(db, kind, subject_id).await?;
    if let Some(closed) = &subject.closed {
        return Err(AppError::field("body", closed.clone()));
    }
    let target = match parent {
        None => None,
        Some(pid) => {
            let p = comment::Entity::find_by_id(pid)
                .one(db)
                .await?
                .filter(|p| p.subject_type == kind.code() && p.subject_id == subject_id)
                .ok_or(AppError::NotFound)?;
            if !visible(&p) {
                return Err(AppError::field("body", t("comment-error-reply-gone")));
            }
            Some(p)
        }
    };
    let tx = begin_write(db).await?;
    // Inside the write transaction, so two quick posts cannot both slip under the limit.
    check_posting_limit(&tx, author.id, "body").await?;
    let (root_id, parent_id, depth) = match &target {
        None => (None, None, 0),
        Some(p) => {
            let (parent_id, depth) = domain::place_reply(p.id, p.depth, p.parent_id);
            (Some(p.root_id.unwrap_or(p.id)), Some(parent_id), depth)
        }
    };
    let now = Utc::now();
    let id = comment::Entity::insert(comment::ActiveModel {
        subject_type: Set(kind.code().to_owned()),
        subject_id: Set(subject_id),
        root_id: Set(root_id),
        parent_id: Set(parent_id),
        reply_to_id: Set(target.as_ref().map(|p| p.id)),
        depth: Set(depth),
        author_id: Set(Some(author.id)),
        body: Set(body.as_str().to_owned()),
        body_html: Set(Some(markdown::to_safe_html(body.as_str()))),
        likes: Set(0),
        created_at: Set(now),
        edited_at: Set(None),
        deleted_at: Set(None),
        hidden_at: Set(None),
        hidden_reason: Set(None),
        hidden_by: Set(None),
        ..Default::default()
    })
    .exec(&tx)
    .await?
    .last_insert_id;
    bump_counter(&tx, kind.code(), subject_id, 1).await?;
    if follow {
        notify::follow(&tx, author.id, kind, subject_id).await?;
    }
    let mut recipients = notify::followers(&tx, kind, subject_id).await?;
    recipients.retain(|r| *r != author.id);
    let replied_to = target.as_ref().and_then(|p| p.author_id);
    let who = author.display_name.clone();
    let said = excerpt(body.as_str());
    // The lines are stored as they will be mailed, in each recipient's language.
    let languages = notify::languages(&tx, &recipients).await?;
    notify::collect(
        &tx,
        &recipients,
        &subject,
        |uid| {
            let key = if Some(uid) == replied_to {
                "mail-notify-reply-to-you"
            } else if target.is_some() {
                "mail-notify-reply"
            } else {
                "mail-notify-comment"
            };
            let lang = languages
                .get(&uid)
                .copied()
                .unwrap_or_else(crate::i18n::Lang::default_lang);
            crate::i18n::server::text(lang, key, &[("who", &who), ("said", &said)])
        },
        &format!("{}#comment-{id}", subject.path),
    )
    .await?;
    tx.commit().await?;
    Ok((id, subject.path))
}

/// A reply to comment `parent`, in that comment's thread.
pub async fn reply(
    db: &DatabaseConnection,
    author: &SessionUser,
    parent: i64,
    body: &str,
    follow: bool,
) -> Result<(i64, String), AppError> {
    let p = find(db, parent).await?;
    let kind = SubjectKind::parse(&p.subject_type).ok_or(AppError::Internal)?;
    post(db, author, kind, p.subject_id, Some(parent), body, follow).await
}

async fn find<C: ConnectionTrait>(db: &C, id: i64) -> Result<comment::Model, AppError> {
    comment::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

async fn path_of<C: ConnectionTrait>(db: &C, c: &comment::Model) -> Result<String, AppError> {
    let kind = SubjectKind::parse(&c.subject_type).ok_or(AppError::Internal)?;
    Ok(notify::subject(db, kind, c.subject_id).await?.path)
}

/// The author changes the text; the earlier one is kept for moderators.
pub async fn edit(
    db: &DatabaseConnection,
    author: &SessionUser,
    id: i64,
    body: &str,
) -> Result<String, AppError> {
    if author.blocked {
        return Err(AppError::Blocked);
    }
    let c = find(db, id).await?;
    if c.author_id != Some(author.id) {
        return Err(AppError::Forbidden);
    }
    if !visible(&c) {
        return Err(AppError::field("body", t("comment-error-edit-gone")));
    }
    let body = CommentBody::parse(body).map_err(|m| AppError::field("body", m))?;
    let path = path_of(db, &c).await?;
    if body.as_str() == c.body {
        return Ok(path);
    }
    let now = Utc::now();
    let tx = begin_write(db).await?;
    let updated = comment::Entity::update_many()
        .col_expr(comment::Column::Body, Expr::value(body.as_str()))
        .col_expr(
            comment::Column::BodyHtml,
            Expr::value(markdown::to_safe_html(body.as_str())),
        )
        .col_expr(comment::Column::EditedAt, Expr::value(now))
        .filter(comment::Column::Id.eq(id))
        .filter(comment::Column::DeletedAt.is_null())
        .filter(comment::Column::HiddenAt.is_null())
        .exec(&tx)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::field("body", t("comment-error-edit-just-hidden")));
    }
    comment_version::Entity::insert(comment_version::ActiveModel {
        comment_id: Set(id),
        body: Set(c.body),
        replaced_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(&tx)
    .await?;
    tx.commit().await?;
    Ok(path)
}

/// The author deletes a comment: its text and earlier versions go, its place in the thread
/// stays ("Kommentar gelöscht"), so the replies keep their context.
pub async fn delete(
    db: &DatabaseConnection,
    author: &SessionUser,
    id: i64,
) -> Result<String, AppError> {
    let c = find(db, id).await?;
    if c.author_id != Some(author.id) {
        return Err(AppError::Forbidden);
    }
    let path = path_of(db, &c).await?;
    if c.deleted_at.is_some() {
        return Ok(path);
    }
    let tx = begin_write(db).await?;
    let updated = comment::Entity::update_many()
        .col_expr(comment::Column::Body, Expr::value(""))
        .col_expr(comment::Column::BodyHtml, Expr::value(""))
        .col_expr(comment::Column::DeletedAt, Expr::value(Utc::now()))
        .filter(comment::Column::Id.eq(id))
        .filter(comment::Column::DeletedAt.is_null())
        .exec(&tx)
        .await?;
    if updated.rows_affected == 1 {
        comment_version::Entity::delete_many()
            .filter(comment_version::Column::CommentId.eq(id))
            .exec(&tx)
            .await?;
        if c.hidden_at.is_none() {
            bump_counter(&tx, &c.subject_type, c.subject_id, -1).await?;
        }
    }
    tx.commit().await?;
    Ok(path)
}

/// Likes (or with `like = false` takes back the like of) someone else's comment.
pub async fn like(
    db: &DatabaseConnection,
    user: &SessionUser,
    id: i64,
    like: bool,
) -> Result<String, AppError> {
    if user.blocked {
        return Err(AppError::Blocked);
    }
    let c = find(db, id).await?;
    let path = path_of(db, &c).await?;
    if like && c.author_id == Some(user.id) {
        return Err(AppError::field("like", t("comment-error-like-own")));
    }
    if like && !visible(&c) {
        return Err(AppError::field("like", t("comment-error-like-gone")));
    }
    let tx = begin_write(db).await?;
    let changed = if like {
        comment_like::Entity::insert(comment_like::ActiveModel {
            comment_id: Set(id),
            user_id: Set(user.id),
            created_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::columns([
                comment_like::Column::CommentId,
                comment_like::Column::UserId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&tx)
        .await?
    } else {
        comment_like::Entity::delete_many()
            .filter(comment_like::Column::CommentId.eq(id))
            .filter(comment_like::Column::UserId.eq(user.id))
            .exec(&tx)
            .await?
            .rows_affected
    };
    if changed == 1 {
        comment::Entity::update_many()
            .col_expr(
                comment::Column::Likes,
                Expr::col(comment::Column::Likes).add(if like { 1 } else { -1 }),
            )
            .filter(comment::Column::Id.eq(id))
            .exec(&tx)
            .await?;
    }
    tx.commit().await?;
    Ok(path)
}

/// A confirmed account reports a comment or proposal with a reason. Returns the path to
/// go back to.
pub async fn report(
    db: &DatabaseConnection,
    reporter: &SessionUser,
    target: Target,
    id: i64,
    reason: &str,
) -> Result<String, AppError> {
    if reporter.blocked {
        return Err(AppError::Blocked);
    }
    let (author, shown, path) = match target {
        Target::Comment => {
            let c = find(db, id).await?;
            (c.author_id, visible(&c), path_of(db, &c).await?)
        }
        Target::Proposal => {
            let p = proposal::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?;
            (
                p.author_id,
                p.hidden_at.is_none(),
                format!("/proposals/{id}"),
            )
        }
    };
    if author == Some(reporter.id) {
        return Err(AppError::field("reason", t("comment-error-report-own")));
    }
    if !shown {
        return Err(AppError::field("reason", t("comment-error-report-gone")));
    }
    let reason = domain::parse_reason(reason, &t("comment-error-report-reason-empty"))
        .map_err(|m| AppError::field("reason", m))?;
    let tx = begin_write(db).await?;
    let inserted = content_report::Entity::insert(content_report::ActiveModel {
        target_type: Set(target.code().to_owned()),
        target_id: Set(id),
        reporter_id: Set(Some(reporter.id)),
        reason: Set(reason),
        created_at: Set(Utc::now()),
        resolved_at: Set(None),
        resolved_by: Set(None),
        resolution: Set(None),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            content_report::Column::TargetType,
            content_report::Column::TargetId,
            content_report::Column::ReporterId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&tx)
    .await?;
    if inserted != 1 {
        return Err(AppError::field("reason", t("comment-error-report-twice")));
    }
    tx.commit().await?;
    Ok(path)
}

/// Hides, restores, or dismisses the reports of a comment or proposal. Returns the path of
/// the content.
pub async fn moderate(
    db: &DatabaseConnection,
    moderator: &SessionUser,
    target: Target,
    id: i64,
    decision: Decision,
    reason: &str,
) -> Result<String, AppError> {
    if !may_moderate(moderator) {
        return Err(AppError::Forbidden);
    }
    let reason = match decision {
        Decision::Hide => Some(
            domain::parse_reason(reason, &t("comment-error-hide-reason-empty"))
                .map_err(|m| AppError::field("reason", m))?,
        ),
        _ => None,
    };
    let now = Utc::now();
    let tx = begin_write(db).await?;
    let (hidden, path, counted) = moderated_item(&tx, target, id).await?;
    let hide = match (decision, hidden) {
        (Decision::Hide, false) => Some(true),
        (Decision::Restore, true) => Some(false),
        (Decision::Dismiss, _) => None,
        (Decision::Hide, true) => {
            return Err(AppError::field(
                "reason",
                t_args(
                    "comment-error-already-hidden",
                    &[("what", &target.with_article_title())],
                ),
            ));
        }
        (Decision::Restore, false) => {
            return Err(AppError::field(
                "reason",
                t_args(
                    "comment-error-not-hidden",
                    &[("what", &target.with_article_title())],
                ),
            ));
        }
    };
    if let Some(hide) = hide {
        let (at, why, by) = if hide {
            (Some(now), reason.clone(), Some(moderator.id))
        } else {
            (None, None, None)
        };
        set_hidden(&tx, target, id, at, why, by).await?;
        if let Some((subject_type, subject_id)) = &counted {
            bump_counter(&tx, subject_type, *subject_id, if hide { -1 } else { 1 }).await?;
        }
    }
    // Hiding or dismissing settles the open reports; restoring leaves none open.
    if decision != Decision::Restore {
        content_report::Entity::update_many()
            .col_expr(content_report::Column::ResolvedAt, Expr::value(now))
            .col_expr(
                content_report::Column::ResolvedBy,
                Expr::value(moderator.id),
            )
            .col_expr(
                content_report::Column::Resolution,
                Expr::value(match decision {
                    Decision::Hide => "hidden",
                    _ => "dismissed",
                }),
            )
            .filter(content_report::Column::TargetType.eq(target.code()))
            .filter(content_report::Column::TargetId.eq(id))
            .filter(content_report::Column::ResolvedAt.is_null())
            .exec(&tx)
            .await?;
    }
    let action = match (target, decision) {
        (Target::Comment, Decision::Hide) => "comment.hidden",
        (Target::Comment, Decision::Restore) => "comment.restored",
        (Target::Proposal, Decision::Hide) => "proposal.hidden",
        (Target::Proposal, Decision::Restore) => "proposal.restored",
        (_, Decision::Dismiss) => "report.dismissed",
    };
    audit::append(
        &tx,
        Entry {
            actor_id: Some(moderator.id),
            action,
            target_type: target.code(),
            target_id: Some(id.to_string()),
            details: match reason {
                Some(r) => json!({ "reason": r }),
                None => json!({}),
            },
        },
    )
    .await?;
    tx.commit().await?;
    Ok(path)
}

/// What a moderated item is: whether it is hidden now, where it lives, and (for a comment)
/// the subject whose comment count it is part of.
async fn moderated_item(
    tx: &sea_orm::DatabaseTransaction,
    target: Target,
    id: i64,
) -> Result<(bool, String, Option<(String, i64)>), AppError> {
    Ok(match target {
        Target::Comment => {
            let c = find(tx, id).await?;
            if c.deleted_at.is_some() {
                return Err(AppError::field(
                    "reason",
                    t("comment-error-deleted-by-author"),
                ));
            }
            let path = format!("{}#comment-{id}", path_of(tx, &c).await?);
            (
                c.hidden_at.is_some(),
                path,
                Some((c.subject_type, c.subject_id)),
            )
        }
        Target::Proposal => {
            let p = proposal::Entity::find_by_id(id)
                .one(tx)
                .await?
                .ok_or(AppError::NotFound)?;
            (p.hidden_at.is_some(), format!("/proposals/{id}"), None)
        }
    })
}

/// Sets the three moderation columns, which comments and proposals both carry.
async fn set_hidden(
    tx: &sea_orm::DatabaseTransaction,
    target: Target,
    id: i64,
    at: Option<chrono::DateTime<Utc>>,
    why: Option<String>,
    by: Option<i64>,
) -> Result<(), AppError> {
    match target {
        Target::Comment => {
            comment::Entity::update_many()
                .col_expr(comment::Column::HiddenAt, Expr::value(at))
                .col_expr(comment::Column::HiddenReason, Expr::value(why))
                .col_expr(comment::Column::HiddenBy, Expr::value(by))
                .filter(comment::Column::Id.eq(id))
                .exec(tx)
                .await?;
        }
        Target::Proposal => {
            proposal::Entity::update_many()
                .col_expr(proposal::Column::HiddenAt, Expr::value(at))
                .col_expr(proposal::Column::HiddenReason, Expr::value(why))
                .col_expr(proposal::Column::HiddenBy, Expr::value(by))
                .filter(proposal::Column::Id.eq(id))
                .exec(tx)
                .await?;
        }
    }
    Ok(())
}

/// Blocks an account from posting, supporting, liking and reporting (or lifts the block).
pub async fn set_blocked(
    db: &DatabaseConnection,
    moderator: &SessionUser,
    user_id: i64,
    block: bool,
    reason: &str,
) -> Result<(), AppError> {
    if !may_moderate(moderator) {
        return Err(AppError::Forbidden);
    }
    if user_id == moderator.id {
        return Err(AppError::field("reason", t("comment-error-block-self")));
    }
    let reason = if block {
        Some(
            domain::parse_reason(reason, &t("comment-error-block-reason-empty"))
                .map_err(|m| AppError::field("reason", m))?,
        )
    } else {
        None
    };
    let account = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.deleted_at.is_none())
        .ok_or(AppError::NotFound)?;
    let tx = begin_write(db).await?;
    user::Entity::update_many()
        .col_expr(user::Column::BlockedAt, Expr::value(block.then(Utc::now)))
        .col_expr(user::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(user::Column::Id.eq(account.id))
        .exec(&tx)
        .await?;
    audit::append(
        &tx,
        Entry {
            actor_id: Some(moderator.id),
            action: if block {
                "account.blocked"
            } else {
                "account.unblocked"
            },
            target_type: "user",
            target_id: Some(user_id.to_string()),
            details: match reason {
                Some(r) => json!({ "reason": r }),
                None => json!({}),
            },
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The accounts behind `ids`, for the queue (names and whether they are blocked).
async fn accounts_of<C: ConnectionTrait>(
    db: &C,
    ids: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, user::Model>, AppError> {
    let ids: Vec<i64> = ids.collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect())
}

async fn comment_items<C: ConnectionTrait>(
    db: &C,
    comments: Vec<comment::Model>,
    reports: &HashMap<(String, i64), Vec<ReportLine>>,
) -> Result<Vec<QueueItem>, AppError> {
    let ids: Vec<i64> = comments.iter().map(|c| c.id).collect();
    let mut versions: HashMap<i64, Vec<Version>> = HashMap::new();
    if !ids.is_empty() {
        for v in comment_version::Entity::find()
            .filter(comment_version::Column::CommentId.is_in(ids))
            .order_by_asc(comment_version::Column::Id)
            .all(db)
            .await?
        {
            versions.entry(v.comment_id).or_default().push(Version {
                body: v.body,
                replaced_at: v.replaced_at,
            });
        }
    }
    let accounts = accounts_of(db, comments.iter().filter_map(|c| c.author_id)).await?;
    let mut items = Vec::new();
    for c in comments {
        let Some(kind) = SubjectKind::parse(&c.subject_type) else {
            continue;
        };
        let Ok(subject): Result<SubjectInfo, _> = notify::subject(db, kind, c.subject_id).await
        else {
            continue;
        };
        let account = c.author_id.and_then(|a| accounts.get(&a));
        items.push(QueueItem {
            target: Target::Comment,
            id: c.id,
            context: t_args(
                "comment-queue-comment-on",
                &[("subject", &subject.heading_title())],
            ),
            link: format!("{}#comment-{}", subject.path, c.id),
            text: c.body,
            author: account
                .map(|u| u.public_name())
                .unwrap_or_else(|| t("comment-deleted-account")),
            author_id: account.map(|u| u.id),
            author_blocked: account.is_some_and(|u| u.blocked_at.is_some()),
            created_at: c.created_at,
            hidden_reason: c.hidden_at.map(|_| c.hidden_reason.unwrap_or_default()),
            reports: reports
                .get(&(Target::Comment.code().to_owned(), c.id))
                .cloned()
                .unwrap_or_default(),
            versions: versions.remove(&c.id).unwrap_or_default(),
        });
    }
    Ok(items)
}

async fn proposal_items<C: ConnectionTrait>(
    db: &C,
    proposals: Vec<proposal::Model>,
    reports: &HashMap<(String, i64), Vec<ReportLine>>,
) -> Result<Vec<QueueItem>, AppError> {
    let accounts = accounts_of(db, proposals.iter().filter_map(|p| p.author_id)).await?;
    Ok(proposals
        .into_iter()
        .map(|p| {
            let account = p.author_id.and_then(|a| accounts.get(&a));
            QueueItem {
                target: Target::Proposal,
                id: p.id,
                context: t_args("comment-queue-proposal", &[("title", &p.title)]),
                link: format!("/proposals/{}", p.id),
                text: p.body,
                author: account
                    .map(|u| u.public_name())
                    .unwrap_or_else(|| t("comment-deleted-account")),
                author_id: account.map(|u| u.id),
                author_blocked: account.is_some_and(|u| u.blocked_at.is_some()),
                created_at: p.created_at,
                hidden_reason: p.hidden_at.map(|_| p.hidden_reason.unwrap_or_default()),
                reports: reports
                    .get(&(Target::Proposal.code().to_owned(), p.id))
                    .cloned()
                    .unwrap_or_default(),
                versions: Vec::new(),
            }
        })
        .collect())
}

/// The moderation queue: reported items (most reports first), hidden items, blocked accounts.
pub async fn queue(
    db: &DatabaseConnection,
    moderator: &SessionUser,
) -> Result<ModerationQueue, AppError> {
    if !may_moderate(moderator) {
        return Err(AppError::Forbidden);
    }
    let open = content_report::Entity::find()
        .filter(content_report::Column::ResolvedAt.is_null())
        .order_by_asc(content_report::Column::CreatedAt)
        .limit(1000)
        .all(db)
        .await?;
    let reporters = names(db, open.iter().filter_map(|r| r.reporter_id)).await?;
    let mut reports: HashMap<(String, i64), Vec<ReportLine>> = HashMap::new();
    for r in &open {
        reports
            .entry((r.target_type.clone(), r.target_id))
            .or_default()
            .push(ReportLine {
                reason: r.reason.clone(),
                by: name_of(&reporters, r.reporter_id),
                at: r.created_at,
            });
    }
    let ids_of = |t: Target| -> Vec<i64> {
        let mut ids: Vec<i64> = open
            .iter()
            .filter(|r| r.target_type == t.code())
            .map(|r| r.target_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let reported_comments = comment::Entity::find()
        .filter(comment::Column::Id.is_in(ids_of(Target::Comment)))
        .all(db)
        .await?;
    let reported_proposals = proposal::Entity::find()
        .filter(proposal::Column::Id.is_in(ids_of(Target::Proposal)))
        .all(db)
        .await?;
    let mut open_items = comment_items(db, reported_comments, &reports).await?;
    open_items.extend(proposal_items(db, reported_proposals, &reports).await?);
    open_items.sort_by(|a, b| {
        b.reports
            .len()
            .cmp(&a.reports.len())
            .then(a.created_at.cmp(&b.created_at))
    });
    let hidden_comments = comment::Entity::find()
        .filter(comment::Column::HiddenAt.is_not_null())
        .filter(comment::Column::DeletedAt.is_null())
        .order_by_desc(comment::Column::HiddenAt)
        .limit(100)
        .all(db)
        .await?;
    let hidden_proposals = proposal::Entity::find()
        .filter(proposal::Column::HiddenAt.is_not_null())
        .order_by_desc(proposal::Column::HiddenAt)
        .limit(100)
        .all(db)
        .await?;
    let mut hidden = comment_items(db, hidden_comments, &reports).await?;
    hidden.extend(proposal_items(db, hidden_proposals, &reports).await?);
    let blocked = user::Entity::find()
        .filter(user::Column::BlockedAt.is_not_null())
        .filter(user::Column::DeletedAt.is_null())
        .order_by_desc(user::Column::BlockedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|u| BlockedAccount {
            id: u.id,
            name: u.public_name(),
            since: u.blocked_at.unwrap_or(u.updated_at),
        })
        .collect();
    Ok(ModerationQueue {
        open: open_items,
        hidden,
        blocked,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_short_and_whole_words() {
        assert_eq!(excerpt("Gute  Idee,\n danke!"), "Gute Idee, danke!");
        let long = excerpt(&"Wort ".repeat(100));
        assert!(
            long.ends_with(" …") && long.chars().count() <= 125,
            "{long}"
        );
    }
}
