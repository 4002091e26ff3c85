//! Server functions of comment threads, moderation and following: thin; every one checks the
//! caller's rights (here or in the service it calls).

use leptos::prelude::*;

use super::{ModerationQueue, Thread, Unsubscribed};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::infra::prelude::*;

#[cfg(feature = "ssr")]
fn subject_kind(kind: &str) -> Result<super::domain::SubjectKind, AppError> {
    super::domain::SubjectKind::parse(kind).ok_or(AppError::NotFound)
}

/// A subject that carries a thread (a board is only followed).
#[cfg(feature = "ssr")]
fn thread_kind(kind: &str) -> Result<super::domain::SubjectKind, AppError> {
    Some(subject_kind(kind)?)
        .filter(|k| k.has_thread())
        .ok_or(AppError::NotFound)
}

/// Where to go back after an action: a path inside the site, or the fallback.
#[cfg(feature = "ssr")]
fn local_path(back: &str, fallback: &str) -> String {
    if back.starts_with('/') && !back.starts_with("//") && !back.contains('\\') {
        back.to_owned()
    } else {
        fallback.to_owned()
    }
}

/// A page of the thread on a proposal or petition.
#[server(prefix = "/api", endpoint = "get_thread")]
pub async fn get_thread(
    kind: String,
    id: i64,
    #[server(default)] order: String,
    #[server(default)] page: u64,
    /// One discussion only: its top-level comment (0: the whole thread) …
    #[server(default)]
    focus: i64,
    /// … and the page of its replies.
    #[server(default)]
    rpage: u64,
) -> Result<Thread, AppError> {
    use crate::comments::server as comments;
    finish(
        async {
            let kind = thread_kind(&kind)?;
            let viewer = current_user();
            comments::thread(
                &app_state()?.db,
                viewer.as_ref(),
                kind,
                id,
                comments::ThreadPage {
                    order: super::domain::Order::parse(&order),
                    page: page.max(1),
                    focus: (focus > 0).then_some((focus, rpage.max(1))),
                },
            )
            .await
        }
        .await,
    )
}

/// A new top-level comment (form fields `kind`, `subject`, `body`, `follow`).
#[server(prefix = "/api", endpoint = "post_comment")]
pub async fn post_comment(
    #[server(default)] kind: String,
    #[server(default)] subject: i64,
    #[server(default)] body: String,
    #[server(default)] follow: String,
) -> Result<i64, AppError> {
    use crate::comments::server as comments;
    finish(
        async {
            let user = require_user()?;
            let state = app_state()?;
            state
                .limits
                .check(
                    &state.db,
                    Bucket::Post,
                    Subject::Account(&user.id.to_string()),
                )
                .await?;
            let kind = thread_kind(&kind)?;
            let (id, path) =
                comments::post(&state.db, &user, kind, subject, None, &body, follow == "on")
                    .await?;
            crate::infra::http::redirect_with_notice(
                &path,
                "comment_posted",
                &format!("#comment-{id}"),
            );
            Ok(id)
        }
        .await,
    )
}

/// A reply to comment `parent`.
#[server(prefix = "/api", endpoint = "reply_comment")]
pub async fn reply_comment(
    parent: i64,
    #[server(default)] body: String,
    #[server(default)] follow: String,
) -> Result<i64, AppError> {
    use crate::comments::server as comments;
    finish(
        async {
            let user = require_user()?;
            let state = app_state()?;
            state
                .limits
                .check(
                    &state.db,
                    Bucket::Post,
                    Subject::Account(&user.id.to_string()),
                )
                .await?;
            let (id, path) =
                comments::reply(&state.db, &user, parent, &body, follow == "on").await?;
            crate::infra::http::redirect_with_notice(
                &path,
                "comment_posted",
                &format!("#comment-{id}"),
            );
            Ok(id)
        }
        .await,
    )
}

/// The author edits a comment.
#[server(prefix = "/api", endpoint = "edit_comment")]
pub async fn edit_comment(id: i64, #[server(default)] body: String) -> Result<(), AppError> {
    use crate::comments::server as comments;
    finish(
        async {
            let user = require_user()?;
            let path = comments::edit(&app_state()?.db, &user, id, &body).await?;
            crate::infra::http::redirect_with_notice(
                &path,
                "comment_edited",
                &format!("#comment-{id}"),
            );
            Ok(())
        }
        .await,
    )
}

/// The author deletes a comment.
#[server(prefix = "/api", endpoint = "delete_comment")]
pub async fn delete_comment(id: i64) -> Result<(), AppError> {
    use crate::comments::server as comments;
    finish(
        async {
            let user = require_user()?;
            let path = comments::delete(&app_state()?.db, &user, id).await?;
            crate::infra::http::redirect_with_notice(
                &path,
                "comment_deleted",
                &format!("#comment-{id}"),
            );
            Ok(())
        }
        .await,
    )
}

/// Likes a comment (`like = "1"`) or takes the like back (`"0"`).
#[server(prefix = "/api", endpoint = "like_comment")]
pub async fn like_comment(id: i64, #[server(default)] like: String) -> Result<(), AppError> {
    use crate::comments::server as comments;
    finish(
        async {
            let user = require_user()?;
            let path = comments::like(&app_state()?.db, &user, id, like != "0").await?;
            leptos_axum::redirect(&format!("{path}#comment-{id}"));
            Ok(())
        }
        .await,
    )
}

/// Reports a comment or proposal (`target` = `comment` | `proposal`) with a reason.
#[server(prefix = "/api", endpoint = "report_content")]
pub async fn report_content(
    #[server(default)] target: String,
    id: i64,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::comments::server as comments;
    finish(
        async {
            let user = require_user()?;
            let target = super::domain::Target::parse(&target).ok_or(AppError::NotFound)?;
            let path = comments::report(&app_state()?.db, &user, target, id, &reason).await?;
            let anchor = match target {
                super::domain::Target::Comment => format!("#comment-{id}"),
                super::domain::Target::Proposal => String::new(),
            };
            crate::infra::http::redirect_with_notice(&path, "reported", &anchor);
            Ok(())
        }
        .await,
    )
}

/// Follows a subject by email (`follow = "1"`) or stops (`"0"`).
#[server(prefix = "/api", endpoint = "follow_subject")]
pub async fn follow_subject(
    #[server(default)] kind: String,
    subject: i64,
    #[server(default)] follow: String,
) -> Result<(), AppError> {
    use crate::comments::server::notify;
    finish(
        async {
            let user = require_user()?;
            let kind = subject_kind(&kind)?;
            let db = &app_state()?.db;
            let info = notify::subject(db, kind, subject).await?;
            let notice = if follow == "0" {
                notify::unfollow(db, user.id, kind, subject).await?;
                "unfollowed"
            } else {
                notify::follow(db, user.id, kind, subject).await?;
                "followed"
            };
            let (anchor, notice) = if kind.has_thread() {
                ("#comments", notice)
            } else if notice == "followed" {
                ("#follow", "board_followed")
            } else {
                ("#follow", "board_unfollowed")
            };
            crate::infra::http::redirect_with_notice(&info.path, notice, anchor);
            Ok(())
        }
        .await,
    )
}

/// The moderation queue (staff).
#[server(prefix = "/api", endpoint = "moderation_queue")]
pub async fn get_moderation_queue() -> Result<ModerationQueue, AppError> {
    use crate::comments::server as comments;
    finish(
        async {
            let user = require_user()?;
            comments::queue(&app_state()?.db, &user).await
        }
        .await,
    )
}

/// Hides (with a public `reason`), restores, or dismisses the reports of a comment or
/// proposal (`decision` = `hide` | `restore` | `dismiss`).
#[server(prefix = "/api", endpoint = "moderate_content")]
pub async fn moderate_content(
    #[server(default)] target: String,
    id: i64,
    #[server(default)] decision: String,
    #[server(default)] reason: String,
    #[server(default)] back: String,
) -> Result<(), AppError> {
    use crate::comments::server as comments;
    finish(
        async {
            let user = require_user()?;
            let target = super::domain::Target::parse(&target).ok_or(AppError::NotFound)?;
            let decision = super::domain::Decision::parse(&decision).ok_or_else(|| {
                AppError::field("decision", crate::i18n::t("comment-error-unknown-decision"))
            })?;
            let path =
                comments::moderate(&app_state()?.db, &user, target, id, decision, &reason).await?;
            let back = local_path(&back, &path);
            crate::infra::http::redirect_with_notice(
                &back,
                &format!("moderated_{}", decision.code()),
                "",
            );
            Ok(())
        }
        .await,
    )
}

/// Blocks an account from contributing (`block = "1"`, with a `reason`) or lifts the block.
#[server(prefix = "/api", endpoint = "block_account")]
pub async fn block_account(
    user: i64,
    #[server(default)] block: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::comments::server as comments;
    finish(
        async {
            let moderator = require_user()?;
            let block = block != "0";
            comments::set_blocked(&app_state()?.db, &moderator, user, block, &reason).await?;
            leptos_axum::redirect(if block {
                "/moderation?notice=account_blocked"
            } else {
                "/moderation?notice=account_unblocked"
            });
            Ok(())
        }
        .await,
    )
}

/// What the unsubscribe link of an email is about (no sign-in needed: the link is signed);
/// changes nothing.
#[server(prefix = "/api", endpoint = "unsubscribe_scope")]
pub async fn unsubscribe_scope(
    #[server(default)] u: i64,
    #[server(default)] s: String,
    #[server(default)] t: String,
) -> Result<Unsubscribed, AppError> {
    use crate::comments::server::notify;
    finish(
        async {
            let app = app_state()?;
            notify::unsubscribe_scope(&app.db, &app.config, u, &s, &t).await
        }
        .await,
    )
}

/// Carries out the unsubscribe link of an email, on the click that confirms it; a form post
/// comes back to the page, which then says what ended.
#[server(prefix = "/api", endpoint = "unsubscribe")]
pub async fn unsubscribe(
    #[server(default)] u: i64,
    #[server(default)] s: String,
    #[server(default)] t: String,
) -> Result<Unsubscribed, AppError> {
    use crate::comments::server::notify;
    finish(
        async {
            let app = app_state()?;
            let done = notify::unsubscribe(&app.db, &app.config, u, &s, &t).await?;
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("u", &u.to_string())
                .append_pair("s", &s)
                .append_pair("t", &t)
                .append_pair("done", "1")
                .finish();
            leptos_axum::redirect(&format!("/unsubscribe?{query}"));
            Ok(done)
        }
        .await,
    )
}
