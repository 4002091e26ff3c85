//! Server functions of the accessibility duties: thin; rights are checked here.

// A server function takes a form's fields as arguments; the statement has eight parts.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::{FeedbackQueue, Statement, StatementView};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::infra::prelude::*;

/// The public accessibility statement.
#[server(prefix = "/api", endpoint = "accessibility_statement")]
pub async fn get_accessibility_statement() -> Result<StatementView, AppError> {
    use crate::accessibility::server as a11y;
    finish(async { a11y::statement_view(&app_state()?.db).await }.await)
}

/// The statement as the admin form edits it.
#[server(prefix = "/api", endpoint = "accessibility_statement_form")]
pub async fn get_statement_form() -> Result<Statement, AppError> {
    use crate::accessibility::server as a11y;
    use crate::accounts::domain::Role;
    finish(
        async {
            let app = app_state()?;
            require_role(Role::Admin)?;
            a11y::statement(&app.db).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "save_accessibility_statement")]
pub async fn save_accessibility_statement(
    #[server(default)] compliance: String,
    #[server(default)] non_accessible: String,
    #[server(default)] method: String,
    #[server(default)] prepared_on: String,
    #[server(default)] reviewed_on: String,
    #[server(default)] contact: String,
    #[server(default)] enforcement: String,
    #[server(default)] due_days: String,
) -> Result<(), AppError> {
    use crate::accessibility::server as a11y;
    use crate::accounts::domain::Role;
    finish(
        async {
            let app = app_state()?;
            let admin = require_role(Role::Admin)?;
            let statement = Statement::parse(
                &compliance,
                &non_accessible,
                &method,
                &prepared_on,
                &reviewed_on,
                &contact,
                &enforcement,
                &due_days,
            )?;
            a11y::save_statement(&app.db, admin.id, &statement).await?;
            leptos_axum::redirect("/admin/accessibility?notice=statement_saved");
            Ok(())
        }
        .await,
    )
}

/// Anyone reports a barrier; no account needed, name and address optional.
#[server(prefix = "/api", endpoint = "send_barrier_feedback")]
pub async fn send_barrier_feedback(
    #[server(default)] name: String,
    #[server(default)] email: String,
    #[server(default)] page: String,
    #[server(default)] description: String,
) -> Result<(), AppError> {
    use crate::accessibility::FeedbackInput;
    use crate::accessibility::server as a11y;
    use crate::infra::http::{client_ip, parts};
    finish(
        async {
            let app = app_state()?;
            let input = FeedbackInput::parse(&name, &email, &page, &description)?;
            let ip = client_ip(&parts()?, &app.config);
            app.limits
                .check(&app.db, Bucket::Feedback, Subject::Address(ip))
                .await?;
            a11y::receive(&app.db, &input).await?;
            leptos_axum::redirect("/barrierefreiheit?notice=feedback_received#feedback");
            Ok(())
        }
        .await,
    )
}

/// The staff queue of barrier reports.
#[server(prefix = "/api", endpoint = "barrier_feedback_queue")]
pub async fn get_feedback_queue() -> Result<FeedbackQueue, AppError> {
    use crate::accessibility::server as a11y;
    finish(
        async {
            let app = app_state()?;
            let staff = require_staff()?;
            a11y::queue(&app.db, &staff).await
        }
        .await,
    )
}

/// Staff answer (`step = answer`, with `answer`), close or reopen a report.
#[server(prefix = "/api", endpoint = "barrier_feedback_step")]
pub async fn feedback_step(
    id: i64,
    #[server(default)] step: String,
    #[server(default)] answer: String,
) -> Result<(), AppError> {
    use crate::accessibility::server as a11y;
    use crate::accessibility::{FeedbackStatus, FeedbackStep};
    finish(
        async {
            let app = app_state()?;
            let staff = require_staff()?;
            let step = FeedbackStep::parse(&step)
                .ok_or_else(|| AppError::field("step", crate::i18n::t("a11y-step-unknown")))?;
            let to = a11y::take_step(&app.db, &staff, id, step, &answer).await?;
            let notice = match (step, to) {
                (FeedbackStep::Answer, _) => "feedback_answered",
                (_, FeedbackStatus::Closed) => "feedback_closed",
                _ => "feedback_reopened",
            };
            leptos_axum::redirect(&format!("/staff/feedback?notice={notice}"));
            Ok(())
        }
        .await,
    )
}

/// The Leichte Sprache page, rendered and sanitized, with everything that has a summary.
#[server(prefix = "/api", endpoint = "easy_language")]
pub async fn get_easy_language() -> Result<super::EasyLanguageView, AppError> {
    use crate::accessibility::server as a11y;
    use crate::infra::markdown;
    finish(
        async {
            let db = &app_state()?.db;
            Ok(super::EasyLanguageView {
                html: markdown::to_safe_html(&a11y::easy_language(db).await?),
                entries: a11y::easy_entries(db).await?,
            })
        }
        .await,
    )
}

/// The summary in Leichte Sprache of a petition, proposal or session (`kind` = `petition`,
/// `proposal`, `session`).
#[server(prefix = "/api", endpoint = "easy_summary")]
pub async fn get_easy_summary(kind: String, id: i64) -> Result<super::EasySummary, AppError> {
    use crate::accessibility::EasySubject;
    use crate::accessibility::server as a11y;
    finish(
        async {
            let kind = EasySubject::parse(&kind).ok_or(AppError::NotFound)?;
            let viewer = current_user();
            a11y::easy_summary(&app_state()?.db, viewer.as_ref(), kind, id).await
        }
        .await,
    )
}

/// Staff write (or, with an empty text, remove) a summary in Leichte Sprache.
#[server(prefix = "/api", endpoint = "save_easy_summary")]
pub async fn save_easy_summary(
    kind: String,
    id: i64,
    #[server(default)] text: String,
) -> Result<(), AppError> {
    use crate::accessibility::EasySubject;
    use crate::accessibility::server as a11y;
    finish(
        async {
            let app = app_state()?;
            let staff = require_staff()?;
            let kind = EasySubject::parse(&kind).ok_or(AppError::NotFound)?;
            let href = a11y::save_easy_summary(&app.db, &staff, kind, id, &text).await?;
            leptos_axum::redirect(&format!("{href}?notice=summary_saved#easy-summary"));
            Ok(())
        }
        .await,
    )
}

/// The Leichte Sprache text as the admin form edits it.
#[server(prefix = "/api", endpoint = "easy_language_form")]
pub async fn get_easy_language_text() -> Result<String, AppError> {
    use crate::accessibility::server as a11y;
    use crate::accounts::domain::Role;
    finish(
        async {
            let app = app_state()?;
            require_role(Role::Admin)?;
            a11y::easy_language(&app.db).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "save_easy_language")]
pub async fn save_easy_language(#[server(default)] text: String) -> Result<(), AppError> {
    use crate::accessibility::TEXT_MAX_CHARS;
    use crate::accessibility::server as a11y;
    use crate::accounts::domain::Role;
    finish(
        async {
            let app = app_state()?;
            let admin = require_role(Role::Admin)?;
            let text = text.trim();
            if text.chars().count() < 20 {
                return Err(AppError::field(
                    "text",
                    crate::i18n::t("a11y-easy-text-too-short"),
                ));
            }
            if text.chars().count() > TEXT_MAX_CHARS {
                return Err(AppError::field(
                    "text",
                    crate::i18n::t("a11y-easy-text-too-long"),
                ));
            }
            a11y::save_easy_language(&app.db, admin.id, text).await?;
            leptos_axum::redirect("/admin/accessibility?notice=easy_language_saved");
            Ok(())
        }
        .await,
    )
}

/// The videos in Deutsche Gebärdensprache (public).
#[server(prefix = "/api", endpoint = "sign_videos")]
pub async fn get_sign_videos() -> Result<Vec<super::SignVideo>, AppError> {
    use crate::accessibility::server as a11y;
    finish(async { a11y::videos(&app_state()?.db).await }.await)
}

/// Administrators remove a video.
#[server(prefix = "/api", endpoint = "delete_sign_video")]
pub async fn delete_sign_video(id: i64) -> Result<(), AppError> {
    use crate::accessibility::server as a11y;
    use crate::accounts::domain::Role;
    finish(
        async {
            let app = app_state()?;
            let admin = require_role(Role::Admin)?;
            a11y::delete_video(&app.db, &app.config.files_dir, &admin, id).await?;
            leptos_axum::redirect("/admin/accessibility?notice=video_removed#videos");
            Ok(())
        }
        .await,
    )
}
