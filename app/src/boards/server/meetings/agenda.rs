//! The agenda: items with sub-points, their order and links, and where a proposal or
//! petition stood on a public agenda.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, QueryFilter,
};
use serde_json::json;

use crate::boards::AgendaMention;
use crate::boards::domain::{self, ItemResult, Slot};
use crate::comments::domain::SubjectKind;
use crate::error::{AppError, FieldErrors};
use crate::i18n::t;
use crate::infra::audit::{self};
use crate::infra::auth::SessionUser;
use crate::infra::db::begin_write;
use crate::infra::entities::{agenda_item, meeting, petition, proposal};
use crate::time::berlin;

use super::*;

/// What the agenda item form sends.
#[derive(Debug, Clone, Default)]
pub struct ItemInput {
    pub title: String,
    pub description: String,
    pub public: bool,
    pub parent: String,
    pub proposal: String,
    pub petition: String,
}

pub(super) struct ParsedItem {
    title: String,
    description: String,
    public: bool,
    parent: Option<i64>,
    proposal: Option<i64>,
    petition: Option<i64>,
}

pub(super) async fn parse_item<C: ConnectionTrait>(
    db: &C,
    meeting_id: i64,
    item_id: Option<i64>,
    input: &ItemInput,
) -> Result<ParsedItem, AppError> {
    let mut errors = FieldErrors::new();
    let title = errors.check("title", domain::parse_item_title(&input.title));
    let description = errors.check(
        "description",
        domain::parse_text(&input.description, &t("board-what-description")),
    );
    let id_of = |raw: &str| raw.trim().parse::<i64>().ok();
    let parent = match input.parent.trim() {
        "" => None,
        raw => {
            let found = match id_of(raw) {
                Some(pid) if Some(pid) != item_id => agenda_item::Entity::find_by_id(pid)
                    .one(db)
                    .await?
                    .filter(|p| {
                        p.meeting_id == meeting_id
                            && p.deleted_at.is_none()
                            && p.parent_id.is_none()
                    }),
                _ => None,
            };
            if found.is_none() {
                errors.add("parent", t("board-parent-invalid"));
            }
            found
        }
    };
    // What is discussed under a closed point is closed too.
    let parent_closed = parent.as_ref().is_some_and(|p| !p.public);
    let parent = parent.map(|p| p.id);
    if parent.is_some()
        && let Some(id) = item_id
        && agenda_item::Entity::find()
            .filter(agenda_item::Column::ParentId.eq(id))
            .filter(agenda_item::Column::DeletedAt.is_null())
            .one(db)
            .await?
            .is_some()
    {
        errors.add("parent", t("board-parent-has-children"));
    }
    let proposal = match input.proposal.trim() {
        "" => None,
        raw => {
            let found = match id_of(raw) {
                Some(pid) => proposal::Entity::find_by_id(pid)
                    .one(db)
                    .await?
                    .filter(|p| p.hidden_at.is_none()),
                None => None,
            };
            if found.is_none() {
                errors.add("proposal", t("board-proposal-unknown"));
            }
            found.map(|p| p.id)
        }
    };
    let petition = match input.petition.trim() {
        "" => None,
        raw => {
            let found = match id_of(raw) {
                Some(pid) => petition::Entity::find_by_id(pid)
                    .one(db)
                    .await?
                    .filter(crate::petitions::server::procedure::visible_to_public),
                None => None,
            };
            if found.is_none() {
                errors.add("petition", t("board-petition-unknown"));
            }
            found.map(|p| p.id)
        }
    };
    if proposal.is_some() && petition.is_some() {
        errors.add("petition", t("board-link-both"));
    }
    errors.into_result()?;
    match (title, description) {
        (Some(title), Some(description)) => Ok(ParsedItem {
            title,
            description,
            public: input.public && !parent_closed,
            parent,
            proposal,
            petition,
        }),
        _ => Err(AppError::Internal),
    }
}

pub(super) fn editable_or(m: &meeting::Model, field: &str) -> Result<(), AppError> {
    let status = status_of(m);
    if status.editable() {
        Ok(())
    } else {
        Err(AppError::field(field, not_editable(status)))
    }
}

/// Adds an agenda item at the end (of the main points, or of its parent's sub-points).
pub async fn add_item(
    db: &DatabaseConnection,
    user: &SessionUser,
    meeting_id: i64,
    input: &ItemInput,
) -> Result<i64, AppError> {
    let m = find_managed(db, user, meeting_id).await?;
    editable_or(&m, "title")?;
    let p = parse_item(db, meeting_id, None, input).await?;
    let tx = begin_write(db).await?;
    let position = siblings(&tx, meeting_id, p.parent)
        .await?
        .iter()
        .map(|s| s.position)
        .max()
        .unwrap_or(0)
        + 1;
    let now = Utc::now();
    let row = agenda_item::ActiveModel {
        meeting_id: Set(meeting_id),
        parent_id: Set(p.parent),
        position: Set(position),
        title: Set(p.title.clone()),
        description: Set(p.description),
        public: Set(p.public),
        proposal_id: Set(p.proposal),
        petition_id: Set(p.petition),
        notes: Set(String::new()),
        recommendation: Set(String::new()),
        votes_yes: Set(None),
        votes_no: Set(None),
        votes_abstain: Set(None),
        majority: Set(None),
        result: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::append(
        &tx,
        log(
            user,
            "agenda.item_added",
            meeting_id,
            json!({ "item": row.id, "title": p.title }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(row.id)
}

pub(super) async fn siblings<C: ConnectionTrait>(
    db: &C,
    meeting_id: i64,
    parent: Option<i64>,
) -> Result<Vec<Slot>, AppError> {
    let mut q = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .filter(agenda_item::Column::DeletedAt.is_null());
    q = match parent {
        Some(p) => q.filter(agenda_item::Column::ParentId.eq(p)),
        None => q.filter(agenda_item::Column::ParentId.is_null()),
    };
    Ok(q.all(db)
        .await?
        .into_iter()
        .map(|i| Slot {
            id: i.id,
            parent: i.parent_id,
            position: i.position,
        })
        .collect())
}

/// Whether the user may attach files to the item now; its session for the way back. Checked
/// before an upload is read, so that nobody else can make the server take in megabytes.
pub async fn upload_target<C: ConnectionTrait>(
    db: &C,
    user: &SessionUser,
    item_id: i64,
) -> Result<i64, AppError> {
    let (_, m) = find_item_managed(db, user, item_id).await?;
    editable_or(&m, "file")?;
    Ok(m.id)
}

/// An item with its session, for a manager.
pub(super) async fn find_item_managed<C: ConnectionTrait>(
    db: &C,
    user: &SessionUser,
    item_id: i64,
) -> Result<(agenda_item::Model, meeting::Model), AppError> {
    let item = agenda_item::Entity::find_by_id(item_id)
        .one(db)
        .await?
        .filter(|i| i.deleted_at.is_none())
        .ok_or(AppError::NotFound)?;
    let m = find_managed(db, user, item.meeting_id).await?;
    Ok((item, m))
}

/// Changes an item's text, visibility, parent or link. Returns the session.
pub async fn update_item(
    db: &DatabaseConnection,
    user: &SessionUser,
    item_id: i64,
    input: &ItemInput,
) -> Result<i64, AppError> {
    let (item, m) = find_item_managed(db, user, item_id).await?;
    editable_or(&m, "title")?;
    let p = parse_item(db, m.id, Some(item_id), input).await?;
    let tx = begin_write(db).await?;
    let moved = p.parent != item.parent_id;
    let position = if moved {
        siblings(&tx, m.id, p.parent)
            .await?
            .iter()
            .map(|s| s.position)
            .max()
            .unwrap_or(0)
            + 1
    } else {
        item.position
    };
    let mut row: agenda_item::ActiveModel = item.into();
    row.title = Set(p.title);
    row.description = Set(p.description);
    row.public = Set(p.public);
    row.parent_id = Set(p.parent);
    row.position = Set(position);
    row.proposal_id = Set(p.proposal);
    row.petition_id = Set(p.petition);
    row.updated_at = Set(Utc::now());
    row.update(&tx).await?;
    if !p.public {
        // Its sub-points close with it.
        agenda_item::Entity::update_many()
            .col_expr(agenda_item::Column::Public, false.into())
            .col_expr(agenda_item::Column::UpdatedAt, Utc::now().into())
            .filter(agenda_item::Column::ParentId.eq(item_id))
            .filter(agenda_item::Column::Public.eq(true))
            .exec(&tx)
            .await?;
    }
    audit::append(
        &tx,
        log(
            user,
            "agenda.item_updated",
            m.id,
            json!({ "item": item_id }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(m.id)
}

/// Moves an item one place up (`-1`) or down (`1`) among its siblings. Returns the session.
pub async fn move_item(
    db: &DatabaseConnection,
    user: &SessionUser,
    item_id: i64,
    step: i32,
) -> Result<i64, AppError> {
    let (item, m) = find_item_managed(db, user, item_id).await?;
    editable_or(&m, "move")?;
    let tx = begin_write(db).await?;
    let order = domain::move_among(&siblings(&tx, m.id, item.parent_id).await?, item_id, step);
    let now = Utc::now();
    for (id, position) in &order {
        agenda_item::Entity::update_many()
            .col_expr(agenda_item::Column::Position, (*position).into())
            .col_expr(agenda_item::Column::UpdatedAt, now.into())
            .filter(agenda_item::Column::Id.eq(*id))
            .exec(&tx)
            .await?;
    }
    if !order.is_empty() {
        audit::append(
            &tx,
            log(
                user,
                "agenda.item_moved",
                m.id,
                json!({ "item": item_id, "step": step }),
            ),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(m.id)
}

/// Removes an item and its sub-points (kept as tombstones for the OParl API). Returns the
/// session.
pub async fn delete_item(
    db: &DatabaseConnection,
    user: &SessionUser,
    item_id: i64,
) -> Result<i64, AppError> {
    let (_, m) = find_item_managed(db, user, item_id).await?;
    editable_or(&m, "delete")?;
    let now = Utc::now();
    let tx = begin_write(db).await?;
    agenda_item::Entity::update_many()
        .col_expr(agenda_item::Column::DeletedAt, Some(now).into())
        .col_expr(agenda_item::Column::UpdatedAt, now.into())
        .filter(
            Condition::any()
                .add(agenda_item::Column::Id.eq(item_id))
                .add(agenda_item::Column::ParentId.eq(item_id)),
        )
        .filter(agenda_item::Column::DeletedAt.is_null())
        .exec(&tx)
        .await?;
    audit::append(
        &tx,
        log(
            user,
            "agenda.item_deleted",
            m.id,
            json!({ "item": item_id }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(m.id)
}

/// Where a proposal or petition stood on a public agenda.
pub async fn mentions<C: ConnectionTrait>(
    db: &C,
    kind: SubjectKind,
    id: i64,
) -> Result<Vec<AgendaMention>, AppError> {
    let column = match kind {
        SubjectKind::Proposal => agenda_item::Column::ProposalId,
        SubjectKind::Petition => agenda_item::Column::PetitionId,
        _ => return Ok(Vec::new()),
    };
    let items = agenda_item::Entity::find()
        .filter(column.eq(id))
        .filter(agenda_item::Column::Public.eq(true))
        .filter(agenda_item::Column::DeletedAt.is_null())
        .all(db)
        .await?;
    // The sessions in one query, and each session's numbering once (a proposal stands on
    // a handful of agendas, but the page is public and should not cost a query per item).
    let meeting_ids: Vec<i64> = items.iter().map(|i| i.meeting_id).collect();
    let meetings: HashMap<i64, meeting::Model> = meeting::Entity::find()
        .filter(meeting::Column::Id.is_in(meeting_ids))
        .filter(meeting::Column::Public.eq(true))
        .filter(meeting::Column::DeletedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let names = board_names(db).await?;
    let mut numbers: HashMap<i64, HashMap<i64, String>> = HashMap::new();
    let mut out = Vec::new();
    for item in items {
        let Some(m) = meetings.get(&item.meeting_id) else {
            continue;
        };
        let numbered = match numbers.entry(m.id) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(new) => new.insert(
                items_of(db, m.id)
                    .await?
                    .into_iter()
                    .map(|(i, n)| (i.id, n))
                    .collect(),
            ),
        };
        let number = numbered.get(&item.id).cloned().unwrap_or_default();
        out.push(AgendaMention {
            session_id: m.id,
            session_title: m.title.clone(),
            board: names.get(&m.board_id).cloned().unwrap_or_default(),
            starts: berlin(m.starts_at),
            number,
            result: item.result.as_deref().and_then(ItemResult::parse),
        });
    }
    out.sort_by_key(|a| a.starts);
    Ok(out)
}
