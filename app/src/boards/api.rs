//! Server functions of boards and sessions: thin. Each one finds the caller and hands over to
//! `server::boards` or `server::meetings`, which check the caller's role on that board (or
//! staff) before anything is read or written. A successful form action redirects with a
//! notice, so it works without JavaScript.

// A server function takes one argument per form field; the macro's client side repeats them.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::{BoardDetail, BoardList, MeetingDetail, MeetingList, MeetingManage};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::infra::prelude::*;

#[server(prefix = "/api", endpoint = "list_boards")]
pub async fn list_boards() -> Result<BoardList, AppError> {
    use crate::boards::server::boards;
    finish(async { boards::list(&app_state()?.db, current_user().as_ref()).await }.await)
}

#[server(prefix = "/api", endpoint = "get_board")]
pub async fn get_board(id: i64) -> Result<BoardDetail, AppError> {
    use crate::boards::server::boards;
    finish(async { boards::detail(&app_state()?.db, current_user().as_ref(), id).await }.await)
}

/// Staff create a board.
#[server(prefix = "/api", endpoint = "create_board")]
pub async fn create_board(
    #[server(default)] name: String,
    #[server(default)] description: String,
    #[server(default)] contact: String,
    #[server(default)] term_start: String,
    #[server(default)] term_end: String,
) -> Result<i64, AppError> {
    use crate::boards::server::boards;
    finish(
        async {
            let user = require_user()?;
            let input = boards::BoardInput {
                name,
                description,
                contact,
                term_start,
                term_end,
            };
            let id = boards::create(&app_state()?.db, &user, &input).await?;
            redirect_with_notice(&format!("/boards/{id}"), "board_created", "#manage");
            Ok(id)
        }
        .await,
    )
}

/// Staff and the board's chair change its description.
#[server(prefix = "/api", endpoint = "update_board")]
pub async fn update_board(
    id: i64,
    #[server(default)] name: String,
    #[server(default)] description: String,
    #[server(default)] contact: String,
    #[server(default)] term_start: String,
    #[server(default)] term_end: String,
) -> Result<(), AppError> {
    use crate::boards::server::boards;
    finish(
        async {
            let user = require_user()?;
            let input = boards::BoardInput {
                name,
                description,
                contact,
                term_start,
                term_end,
            };
            boards::update(&app_state()?.db, &user, id, &input).await?;
            redirect_with_notice(&format!("/boards/{id}"), "board_saved", "#manage");
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "add_board_member")]
pub async fn add_board_member(
    board: i64,
    #[server(default)] email: String,
    #[server(default)] role: String,
    #[server(default)] term_from: String,
    #[server(default)] term_to: String,
) -> Result<(), AppError> {
    use crate::boards::server::boards;
    finish(
        async {
            let user = require_user()?;
            let input = boards::MemberInput {
                email,
                role,
                term_from,
                term_to,
            };
            boards::add_member(&app_state()?.db, &user, board, &input).await?;
            redirect_with_notice(&format!("/boards/{board}"), "member_added", "#members");
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "update_board_member")]
pub async fn update_board_member(
    member: i64,
    #[server(default)] role: String,
    #[server(default)] term_from: String,
    #[server(default)] term_to: String,
) -> Result<(), AppError> {
    use crate::boards::server::boards;
    finish(
        async {
            let user = require_user()?;
            let input = boards::MemberInput {
                email: String::new(),
                role,
                term_from,
                term_to,
            };
            let board = boards::update_member(&app_state()?.db, &user, member, &input).await?;
            redirect_with_notice(&format!("/boards/{board}"), "member_saved", "#members");
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "remove_board_member")]
pub async fn remove_board_member(member: i64) -> Result<(), AppError> {
    use crate::boards::server::boards;
    finish(
        async {
            let user = require_user()?;
            let board = boards::remove_member(&app_state()?.db, &user, member).await?;
            redirect_with_notice(&format!("/boards/{board}"), "member_removed", "#members");
            Ok(())
        }
        .await,
    )
}

/// A member agrees (`consent = "1"`) or no longer agrees to be named in public.
#[server(prefix = "/api", endpoint = "set_name_consent")]
pub async fn set_name_consent(
    member: i64,
    #[server(default)] consent: String,
) -> Result<(), AppError> {
    use crate::boards::server::boards;
    finish(
        async {
            let user = require_user()?;
            let board =
                boards::set_name_consent(&app_state()?.db, &user, member, consent == "1").await?;
            redirect_with_notice(&format!("/boards/{board}"), "consent_saved", "#members");
            Ok(())
        }
        .await,
    )
}

/// `page`: the page of past sessions (from 1; 20 per page).
#[server(prefix = "/api", endpoint = "list_sessions")]
pub async fn list_meetings(#[server(default)] page: Option<u64>) -> Result<MeetingList, AppError> {
    use crate::boards::server::meetings;
    finish(
        async {
            meetings::list(&app_state()?.db, current_user().as_ref(), page.unwrap_or(1)).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "get_session")]
pub async fn get_meeting(id: i64) -> Result<MeetingDetail, AppError> {
    use crate::boards::server::meetings;
    finish(async { meetings::detail(&app_state()?.db, current_user().as_ref(), id).await }.await)
}

/// The chair's view of a session (chairs of the board and staff).
#[server(prefix = "/api", endpoint = "get_session_manage")]
pub async fn get_meeting_manage(id: i64) -> Result<MeetingManage, AppError> {
    use crate::boards::server::meetings;
    finish(
        async {
            let user = require_user()?;
            meetings::manage(&app_state()?.db, &user, id).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "create_session")]
pub async fn create_meeting(
    board: i64,
    #[server(default)] title: String,
    #[server(default)] starts_at: String,
    #[server(default)] ends_at: String,
    #[server(default)] address: String,
    #[server(default)] room: String,
    #[server(default)] online_url: String,
    #[server(default)] public: String,
) -> Result<i64, AppError> {
    use crate::boards::server::meetings;
    finish(
        async {
            let user = require_user()?;
            let input = meetings::MeetingInput {
                title,
                starts_at,
                ends_at,
                address,
                room,
                online_url,
                public: public == "on",
            };
            let id = meetings::create(&app_state()?.db, &user, board, &input).await?;
            redirect_with_notice(
                &format!("/sessions/{id}/manage"),
                "session_created",
                "#agenda",
            );
            Ok(id)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "update_session")]
pub async fn update_meeting(
    id: i64,
    #[server(default)] title: String,
    #[server(default)] starts_at: String,
    #[server(default)] ends_at: String,
    #[server(default)] address: String,
    #[server(default)] room: String,
    #[server(default)] online_url: String,
    #[server(default)] public: String,
) -> Result<(), AppError> {
    use crate::boards::server::meetings;
    finish(
        async {
            let app = app_state()?;
            let user = require_user()?;
            let input = meetings::MeetingInput {
                title,
                starts_at,
                ends_at,
                address,
                room,
                online_url,
                public: public == "on",
            };
            meetings::update(&app.db, &app.config, &user, id, &input).await?;
            redirect_with_notice(
                &format!("/sessions/{id}/manage"),
                "session_saved",
                "#details",
            );
            Ok(())
        }
        .await,
    )
}

/// Deletes a session nobody was invited to.
#[server(prefix = "/api", endpoint = "delete_session")]
pub async fn delete_meeting(id: i64) -> Result<(), AppError> {
    use crate::boards::server::meetings;
    finish(
        async {
            let app = app_state()?;
            let user = require_user()?;
            let board = meetings::delete(&app.db, &user, id).await?;
            redirect_with_notice(&format!("/boards/{board}"), "session_deleted", "#sessions");
            Ok(())
        }
        .await,
    )
}

/// Sends the invitation (again) to every member.
#[server(prefix = "/api", endpoint = "invite_session")]
pub async fn invite_to_meeting(id: i64) -> Result<(), AppError> {
    use crate::boards::server::meetings;
    finish(
        async {
            let app = app_state()?;
            let user = require_user()?;
            meetings::invite(&app.db, &app.config, &user, id).await?;
            redirect_with_notice(&format!("/sessions/{id}/manage"), "invited", "#status");
            Ok(())
        }
        .await,
    )
}

/// Cancels a session that has not taken place, with a public reason.
#[server(prefix = "/api", endpoint = "cancel_session")]
pub async fn cancel_meeting(id: i64, #[server(default)] reason: String) -> Result<(), AppError> {
    use crate::boards::server::meetings;
    finish(
        async {
            let app = app_state()?;
            let user = require_user()?;
            meetings::cancel(&app.db, &app.config, &user, id, &reason).await?;
            redirect_with_notice(&format!("/sessions/{id}"), "cancelled", "");
            Ok(())
        }
        .await,
    )
}

/// A member answers the invitation: `attending` or `absent`.
#[server(prefix = "/api", endpoint = "answer_invitation")]
pub async fn answer_invitation(
    id: i64,
    #[server(default)] response: String,
) -> Result<(), AppError> {
    use crate::boards::server::meetings;
    finish(
        async {
            let app = app_state()?;
            let user = require_user()?;
            meetings::answer(&app.db, &user, id, &response).await?;
            redirect_with_notice(&format!("/sessions/{id}"), "answered", "#invitation");
            Ok(())
        }
        .await,
    )
}

/// Moves an agenda item one place up or down.
#[server(prefix = "/api", endpoint = "move_agenda_item")]
pub async fn move_agenda_item(
    item: i64,
    #[server(default)] direction: String,
) -> Result<(), AppError> {
    use crate::boards::server::meetings;
    finish(
        async {
            let app = app_state()?;
            let user = require_user()?;
            let id =
                meetings::move_item(&app.db, &user, item, if direction == "up" { -1 } else { 1 })
                    .await?;
            redirect_with_notice(&format!("/sessions/{id}/manage"), "item_moved", "#agenda");
            Ok(())
        }
        .await,
    )
}

/// Removes an agenda item and its sub-points.
#[server(prefix = "/api", endpoint = "delete_agenda_item")]
pub async fn delete_agenda_item(item: i64) -> Result<(), AppError> {
    use crate::boards::server::meetings;
    finish(
        async {
            let app = app_state()?;
            let user = require_user()?;
            let id = meetings::delete_item(&app.db, &user, item).await?;
            redirect_with_notice(&format!("/sessions/{id}/manage"), "item_deleted", "#agenda");
            Ok(())
        }
        .await,
    )
}

/// Saves the minutes' text.
#[server(prefix = "/api", endpoint = "save_minutes")]
pub async fn save_minutes(id: i64, #[server(default)] minutes: String) -> Result<(), AppError> {
    use crate::boards::server::meetings;
    finish(
        async {
            let app = app_state()?;
            let user = require_user()?;
            meetings::save_minutes(&app.db, &user, id, &minutes).await?;
            redirect_with_notice(
                &format!("/sessions/{id}/manage"),
                "minutes_saved",
                "#minutes",
            );
            Ok(())
        }
        .await,
    )
}

/// Approves the saved minutes.
#[server(prefix = "/api", endpoint = "approve_minutes")]
pub async fn approve_minutes(id: i64) -> Result<(), AppError> {
    use crate::boards::server::meetings;
    finish(
        async {
            let app = app_state()?;
            let user = require_user()?;
            meetings::approve_minutes(&app.db, &user, id).await?;
            redirect_with_notice(
                &format!("/sessions/{id}/manage"),
                "minutes_approved",
                "#minutes",
            );
            Ok(())
        }
        .await,
    )
}

/// Publishes the approved minutes and tells members and followers.
#[server(prefix = "/api", endpoint = "publish_minutes")]
pub async fn publish_minutes(id: i64) -> Result<(), AppError> {
    use crate::boards::server::meetings;
    finish(
        async {
            let app = app_state()?;
            let user = require_user()?;
            meetings::publish_minutes(&app.db, &app.config, &user, id).await?;
            redirect_with_notice(&format!("/sessions/{id}"), "minutes_published", "#minutes");
            Ok(())
        }
        .await,
    )
}

/// Removes an attachment.
#[server(prefix = "/api", endpoint = "delete_agenda_file")]
pub async fn delete_agenda_file(file: i64) -> Result<(), AppError> {
    use crate::boards::server::meetings;
    finish(
        async {
            let app = app_state()?;
            let user = require_user()?;
            let id = meetings::delete_file(&app.db, &app.config.files_dir, &user, file).await?;
            redirect_with_notice(&format!("/sessions/{id}/manage"), "file_removed", "#agenda");
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "add_agenda_item")]
pub async fn add_agenda_item(
    session: i64,
    #[server(default)] title: String,
    #[server(default)] description: String,
    #[server(default)] public: String,
    #[server(default)] parent: String,
    #[server(default)] proposal: String,
    #[server(default)] petition: String,
) -> Result<(), AppError> {
    use crate::boards::server::meetings;
    finish(
        async {
            let user = require_user()?;
            let input = meetings::ItemInput {
                title,
                description,
                public: public == "on",
                parent,
                proposal,
                petition,
            };
            meetings::add_item(&app_state()?.db, &user, session, &input).await?;
            redirect_with_notice(
                &format!("/sessions/{session}/manage"),
                "item_added",
                "#agenda",
            );
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "update_agenda_item")]
pub async fn update_agenda_item(
    item: i64,
    #[server(default)] title: String,
    #[server(default)] description: String,
    #[server(default)] public: String,
    #[server(default)] parent: String,
    #[server(default)] proposal: String,
    #[server(default)] petition: String,
) -> Result<(), AppError> {
    use crate::boards::server::meetings;
    finish(
        async {
            let user = require_user()?;
            let input = meetings::ItemInput {
                title,
                description,
                public: public == "on",
                parent,
                proposal,
                petition,
            };
            let id = meetings::update_item(&app_state()?.db, &user, item, &input).await?;
            redirect_with_notice(
                &format!("/sessions/{id}/manage"),
                "item_saved",
                &format!("#item-{item}"),
            );
            Ok(())
        }
        .await,
    )
}

/// Records an item's notes, recommendation and vote (or that it was postponed).
#[server(prefix = "/api", endpoint = "record_outcome")]
pub async fn record_outcome(
    item: i64,
    #[server(default)] notes: String,
    #[server(default)] recommendation: String,
    #[server(default)] votes_yes: String,
    #[server(default)] votes_no: String,
    #[server(default)] votes_abstain: String,
    #[server(default)] majority: String,
    #[server(default)] postpone: String,
) -> Result<(), AppError> {
    use crate::boards::server::meetings;
    finish(
        async {
            let user = require_user()?;
            let input = meetings::OutcomeInput {
                notes,
                recommendation,
                votes_yes,
                votes_no,
                votes_abstain,
                majority,
                postpone: postpone == "on",
            };
            let id = meetings::record_outcome(&app_state()?.db, &user, item, &input).await?;
            redirect_with_notice(
                &format!("/sessions/{id}/manage"),
                "outcome_saved",
                &format!("#item-{item}"),
            );
            Ok(())
        }
        .await,
    )
}

/// Records attendance: `present[i]` are the ids of the members present (checkboxes), `quorum`
/// is `yes`, `no` or empty (decided by the numbers).
#[server(prefix = "/api", endpoint = "record_attendance")]
pub async fn record_attendance(
    id: i64,
    #[server(default)] present: Vec<i64>,
    #[server(default)] quorum: String,
) -> Result<(), AppError> {
    use crate::boards::server::meetings;
    finish(
        async {
            let user = require_user()?;
            meetings::record_attendance(&app_state()?.db, &user, id, &present, &quorum).await?;
            redirect_with_notice(
                &format!("/sessions/{id}/manage"),
                "attendance_saved",
                "#attendance",
            );
            Ok(())
        }
        .await,
    )
}

/// The staff report: sessions, attendance and recommendations per board.
#[server(prefix = "/api", endpoint = "board_report")]
pub async fn get_board_report() -> Result<Vec<super::BoardReportRow>, AppError> {
    use crate::boards::server::meetings;
    finish(
        async {
            let app = app_state()?;
            require_staff()?;
            meetings::report(&app.db).await
        }
        .await,
    )
}
