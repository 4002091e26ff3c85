//! What the session page and the chair's page read.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::boards::domain::{self, ItemResult, Majority, MeetingStatus};
use crate::boards::server::members::{self as boards, role_of};
use crate::boards::{
    AttendanceRow, ItemEdit, ItemView, LinkChoice, MeetingDetail, MeetingManage, MeetingViewer,
};
use crate::error::AppError;
use crate::infra::auth::SessionUser;
use crate::infra::entities::{petition, proposal};
use crate::infra::markdown;
use crate::time::berlin;

use super::*;

pub async fn detail(
    db: &DatabaseConnection,
    viewer: Option<&SessionUser>,
    id: i64,
) -> Result<MeetingDetail, AppError> {
    let (m, sees_closed) = find_visible(db, viewer, id).await?;
    let b = boards::find(db, m.board_id).await?;
    let items = items_of(db, id).await?;
    let ids: Vec<i64> = items.iter().map(|(i, _)| i.id).collect();
    let mut files = files_of(db, &ids).await?;
    let mut views = Vec::with_capacity(items.len());
    for (i, number) in items {
        let visible = i.public || sees_closed;
        let link = if visible {
            link_of(db, &i).await?
        } else {
            None
        };
        views.push(ItemView {
            id: i.id,
            number,
            parent_id: i.parent_id,
            public: i.public,
            visible,
            description_html: if visible {
                markdown::to_safe_html(&i.description)
            } else {
                String::new()
            },
            // Notes are material for the minutes: public once the minutes are.
            notes_html: if sees_closed || (visible && status_of(&m) == MeetingStatus::Published) {
                markdown::to_safe_html(&i.notes)
            } else {
                String::new()
            },
            recommendation_html: if visible {
                markdown::to_safe_html(&i.recommendation)
            } else {
                String::new()
            },
            link,
            votes: if visible { votes_of(&i) } else { None },
            majority: if visible {
                i.majority.as_deref().and_then(Majority::parse)
            } else {
                None
            },
            result: if visible {
                i.result.as_deref().and_then(ItemResult::parse)
            } else {
                None
            },
            files: if visible {
                files.remove(&i.id).unwrap_or_default()
            } else {
                Vec::new()
            },
            title: i.title,
        });
    }
    let attendance = attendance_of(db, &m).await?;
    let (voting, present) = vote_base(&attendance);
    let mine = viewer.and_then(|v| attendance.iter().find(|(mem, _, _)| mem.user_id == v.id));
    let viewer_info = MeetingViewer {
        signed_in: viewer.is_some(),
        member_id: mine.map(|(mem, _, _)| mem.id),
        response: mine.and_then(|(_, _, a)| a.as_ref().and_then(|a| a.response.clone())),
        can_manage: boards::can_manage(db, viewer, m.board_id).await?,
        sees_closed,
    };
    let status = status_of(&m);
    Ok(MeetingDetail {
        card: card(&m, &b.name),
        address: m.address.clone(),
        room: m.room.clone(),
        online_url: m.online_url.clone(),
        items: views,
        quorum: m.quorum,
        present_voting: present.map(u64::from),
        voting_members: u64::from(voting),
        minutes_html: (status == MeetingStatus::Published).then(|| {
            markdown::stored_or_render(
                m.minutes_html.as_deref(),
                m.minutes.as_deref().unwrap_or_default(),
            )
        }),
        viewer: viewer_info,
    })
}

/// The chair's view: the forms' current values, attendance and the minutes (a draft made
/// from the session while none are saved).
pub async fn manage(
    db: &DatabaseConnection,
    user: &SessionUser,
    id: i64,
) -> Result<MeetingManage, AppError> {
    let m = find_managed(db, user, id).await?;
    let b = boards::find(db, m.board_id).await?;
    let items = items_of(db, id).await?;
    let ids: Vec<i64> = items.iter().map(|(i, _)| i.id).collect();
    let mut files = files_of(db, &ids).await?;
    let attendance = attendance_of(db, &m).await?;
    let (voting, present) = vote_base(&attendance);
    let minutes = match &m.minutes {
        Some(text) => text.clone(),
        None => domain::draft_minutes(&minutes_source(&m, &b, &items, &attendance)),
    };
    let proposals = proposal::Entity::find()
        .filter(proposal::Column::HiddenAt.is_null())
        .filter(proposal::Column::Status.is_not_in(["withdrawn"]))
        .order_by_desc(proposal::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|p| LinkChoice {
            id: p.id,
            title: p.title,
        })
        .collect();
    let petitions = petition::Entity::find()
        .filter(petition::Column::PublishedAt.is_not_null())
        .order_by_desc(petition::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|p| LinkChoice {
            id: p.id,
            title: p.title,
        })
        .collect();
    Ok(MeetingManage {
        card: card(&m, &b.name),
        starts_input: berlin(m.starts_at).format("%Y-%m-%dT%H:%M").to_string(),
        ends_input: berlin(m.ends_at).format("%Y-%m-%dT%H:%M").to_string(),
        address: m.address.clone(),
        room: m.room.clone(),
        online_url: m.online_url.clone().unwrap_or_default(),
        items: items
            .into_iter()
            .map(|(i, number)| ItemEdit {
                id: i.id,
                number,
                parent_id: i.parent_id,
                public: i.public,
                proposal_id: i.proposal_id,
                petition_id: i.petition_id,
                votes: votes_of(&i),
                majority: i.majority.as_deref().and_then(Majority::parse),
                result: i.result.as_deref().and_then(ItemResult::parse),
                files: files.remove(&i.id).unwrap_or_default(),
                title: i.title,
                description: i.description,
                notes: i.notes,
                recommendation: i.recommendation,
            })
            .collect(),
        attendance: attendance
            .iter()
            .map(|(mem, u, a)| AttendanceRow {
                member_id: mem.id,
                name: u.public_name(),
                role: role_of(mem),
                response: a.as_ref().and_then(|a| a.response.clone()),
                present: a.as_ref().and_then(|a| a.present),
            })
            .collect(),
        voting_members: u64::from(voting),
        present_voting: u64::from(present.unwrap_or(0)),
        quorum: m.quorum,
        minutes_saved: m.minutes.is_some(),
        minutes_approved: m.minutes_approved_at.is_some(),
        minutes,
        proposals,
        petitions,
    })
}
