//! Server functions of proposals: thin; the rights are checked here and in the service.

use leptos::prelude::*;

use super::{FormChoices, ListQuery, ProposalDetail, ProposalList};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::infra::prelude::*;

/// The public list, filtered, searched, sorted and paged.
#[server(prefix = "/api", endpoint = "list_proposals")]
pub async fn list_proposals(#[server(default)] query: ListQuery) -> Result<ProposalList, AppError> {
    use crate::proposals::server as proposals;
    finish(async { proposals::list(&app_state()?.db, &query).await }.await)
}

/// One proposal with its history and what the viewer may do.
#[server(prefix = "/api", endpoint = "get_proposal")]
pub async fn get_proposal(id: i64) -> Result<ProposalDetail, AppError> {
    use crate::proposals::server as proposals;
    finish(
        async {
            let viewer = current_user();
            proposals::detail(&app_state()?.db, viewer.as_ref(), id).await
        }
        .await,
    )
}

/// The topics and villages the submit form offers.
#[server(prefix = "/api", endpoint = "proposal_choices")]
pub async fn get_proposal_choices() -> Result<FormChoices, AppError> {
    use crate::proposals::server as proposals;
    finish(async { proposals::form_choices(&app_state()?.db).await }.await)
}

/// A signed-in (hence confirmed) account submits a proposal.
#[server(prefix = "/api", endpoint = "submit_proposal")]
pub async fn submit_proposal(
    #[server(default)] title: String,
    #[server(default)] body: String,
    #[server(default)] topic: String,
    #[server(default)] district: String,
) -> Result<i64, AppError> {
    use crate::proposals::server as proposals;
    finish(
        async {
            let app = app_state()?;
            let user = require_user()?;
            app.limits
                .check(
                    &app.db,
                    Bucket::Post,
                    Subject::Account(&user.id.to_string()),
                )
                .await?;
            let input = proposals::Input {
                title,
                body,
                topic,
                district,
            };
            let id = proposals::create(&app.db, &user, &input).await?;
            leptos_axum::redirect(&format!("/proposals/{id}?notice=proposal_submitted"));
            Ok(id)
        }
        .await,
    )
}

/// The author changes the text while nobody has answered yet.
#[server(prefix = "/api", endpoint = "edit_proposal")]
pub async fn edit_proposal(
    id: i64,
    #[server(default)] title: String,
    #[server(default)] body: String,
    #[server(default)] topic: String,
    #[server(default)] district: String,
) -> Result<(), AppError> {
    use crate::proposals::server as proposals;
    finish(
        async {
            let app = app_state()?;
            let user = require_user()?;
            app.limits
                .check(
                    &app.db,
                    Bucket::Post,
                    Subject::Account(&user.id.to_string()),
                )
                .await?;
            let input = proposals::Input {
                title,
                body,
                topic,
                district,
            };
            proposals::edit(&app.db, &user, id, &input).await?;
            leptos_axum::redirect(&format!("/proposals/{id}?notice=proposal_edited"));
            Ok(())
        }
        .await,
    )
}

/// Supports a proposal (`support = "1"`, optionally `notify = "on"` for emails about its
/// answers) or takes the support back (`support = "0"`).
#[server(prefix = "/api", endpoint = "support_proposal")]
pub async fn support_proposal(
    id: i64,
    #[server(default)] support: String,
    #[server(default)] notify: String,
) -> Result<(), AppError> {
    use crate::proposals::server as proposals;
    finish(
        async {
            let app = app_state()?;
            let user = require_user()?;
            let notice = if support == "0" {
                proposals::unsupport(&app.db, &user, id).await?;
                "support_withdrawn"
            } else {
                proposals::support(&app.db, &user, id, notify == "on").await?;
                "supported"
            };
            leptos_axum::redirect(&format!("/proposals/{id}?notice={notice}#support"));
            Ok(())
        }
        .await,
    )
}

/// Staff move a proposal with a public answer; the author may withdraw it.
#[server(prefix = "/api", endpoint = "answer_proposal")]
pub async fn answer_proposal(
    id: i64,
    #[server(default)] status: String,
    #[server(default)] answer: String,
) -> Result<(), AppError> {
    use crate::proposals::server as proposals;
    finish(
        async {
            let app = app_state()?;
            let user = require_user()?;
            proposals::change_status(&app.db, &app.config, &user, id, &status, &answer).await?;
            leptos_axum::redirect(&format!("/proposals/{id}?notice=proposal_answered#history"));
            Ok(())
        }
        .await,
    )
}

/// The topic and village lists as staff edit them (one name per line).
#[server(prefix = "/api", endpoint = "save_proposal_lists")]
pub async fn save_proposal_lists(
    #[server(default)] topics: String,
    #[server(default)] districts: String,
) -> Result<(), AppError> {
    use crate::error::FieldErrors;
    use crate::proposals::server::{self as proposals, ListKind};
    finish(
        async {
            let app = app_state()?;
            let staff = require_staff()?;
            let mut errors = FieldErrors::new();
            let topics = errors.check("topics", proposals::parse_list(&topics));
            let districts = errors.check("districts", proposals::parse_list(&districts));
            if topics.as_ref().is_some_and(|t| t.is_empty()) {
                errors.add("topics", crate::i18n::t("proposal-error-list-no-topic"));
            }
            errors.into_result()?;
            let (Some(topics), Some(districts)) = (topics, districts) else {
                return Err(AppError::Internal);
            };
            proposals::save_list(&app.db, Some(staff.id), ListKind::Topics, &topics).await?;
            proposals::save_list(&app.db, Some(staff.id), ListKind::Districts, &districts).await?;
            leptos_axum::redirect("/staff/lists?notice=lists_saved");
            Ok(())
        }
        .await,
    )
}

/// Proposals per topic and status (staff).
#[server(prefix = "/api", endpoint = "proposal_report")]
pub async fn get_proposal_report() -> Result<Vec<super::TopicRow>, AppError> {
    use crate::proposals::server as proposals;
    finish(
        async {
            let app = app_state()?;
            require_staff()?;
            Ok(proposals::by_topic_and_status(&app.db)
                .await?
                .into_iter()
                .map(|(topic, counts)| super::TopicRow { topic, counts })
                .collect())
        }
        .await,
    )
}
