use leptos::prelude::*;

use super::UserPage;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::infra::prelude::*;

#[server(prefix = "/api", endpoint = "admin_users")]
pub async fn list_users(query: String, page: u64) -> Result<UserPage, AppError> {
    use crate::accounts::domain::Role;
    use crate::accounts::server as accounts;
    finish(
        async {
            let state = app_state()?;
            require_role(Role::Admin)?;
            let query: String = query.chars().take(100).collect();
            let (users, total) = accounts::list_users(&state.db, &query, page).await?;
            Ok(UserPage {
                users,
                total,
                page,
                per_page: accounts::USERS_PER_PAGE,
            })
        }
        .await,
    )
}

/// Grants (`grant = "1"`) or revokes a role. The form posts back to the list it came from.
#[server(prefix = "/api", endpoint = "admin_set_role")]
pub async fn set_role(user_id: i64, role: String, grant: String) -> Result<(), AppError> {
    use crate::accounts::domain::Role;
    use crate::accounts::server as accounts;
    finish(
        async {
            let state = app_state()?;
            let admin = require_role(Role::Admin)?;
            let role = Role::parse(&role).map_err(|m| AppError::field("role", m))?;
            let changed =
                accounts::change_role(&state.db, Some(admin.id), user_id, role, grant == "1")
                    .await?;
            // A role change ends the account's sessions; an administrator changing their own
            // roles continues in a new one.
            if changed && user_id == admin.id {
                let client = http::Client::now(&state.config)?;
                let token =
                    auth::create_session(&state.db, &state.config, admin.id, &client).await?;
                auth::set_session_cookie(&state.config, &token);
            }
            leptos_axum::redirect("/admin/users?notice=role_changed");
            Ok(())
        }
        .await,
    )
}

/// Switches off the second factor of an account that lost its app and its codes (audited,
/// mailed to the account, every session of it ended).
#[server(prefix = "/api", endpoint = "admin_reset_two_factor")]
pub async fn reset_two_factor(user_id: i64) -> Result<(), AppError> {
    use crate::accounts::domain::Role;
    use crate::accounts::server::two_factor;
    finish(
        async {
            let state = app_state()?;
            let admin = require_role(Role::Admin)?;
            if user_id == admin.id {
                return Err(AppError::field(
                    "user_id",
                    crate::i18n::t("admin-two-factor-own"),
                ));
            }
            two_factor::reset(&state.db, Some(admin.id), user_id).await?;
            leptos_axum::redirect("/admin/users?notice=two_factor_reset");
            Ok(())
        }
        .await,
    )
}

/// A page of the audit trail, filtered (administrators only).
#[server(prefix = "/api", endpoint = "admin_audit")]
pub async fn get_audit(
    #[server(default)] filter: super::AuditFilter,
    before: Option<i64>,
) -> Result<super::AuditPage, AppError> {
    use crate::accounts::domain::Role;
    finish(
        async {
            let state = app_state()?;
            require_role(Role::Admin)?;
            let parsed = audit::Filter::parse(&filter)?;
            audit::browse(&state.db, &parsed, before).await
        }
        .await,
    )
}

/// Checks the hash chain of the whole audit trail (administrators only).
#[server(prefix = "/api", endpoint = "admin_audit_verify")]
pub async fn verify_audit() -> Result<super::ChainCheck, AppError> {
    use crate::accounts::domain::Role;
    finish(
        async {
            let state = app_state()?;
            require_role(Role::Admin)?;
            audit::check_chain(&state.db).await
        }
        .await,
    )
}

/// Replaces the privacy statement with the starting text that lists what Dorfplatz
/// processes here, for the administration to complete.
#[server(prefix = "/api", endpoint = "apply_privacy_template")]
pub async fn apply_privacy_template() -> Result<(), AppError> {
    use crate::accounts::domain::Role;
    use crate::admin::privacy;
    use crate::petitions::server::municipality;
    finish(
        async {
            let state = app_state()?;
            let admin = require_role(Role::Admin)?;
            let here = municipality::get(&state.db).await?;
            let rule_set =
                crate::petitions::rules::rule_set(here.figures.state, crate::time::today())
                    .ok_or(AppError::Internal)?;
            let text = privacy::template(&privacy::Facts {
                municipality: &here.name,
                rule_set,
                signature_retention_days: state.config.signature_retention_days,
            });
            privacy::apply(&state.db, Some(admin.id), &text).await?;
            leptos_axum::redirect("/admin/settings?notice=privacy_template_applied#f-privacy");
            Ok(())
        }
        .await,
    )
}
