use leptos::prelude::*;

use super::{Layout, LegalPage, SiteSettings};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::infra::prelude::*;

#[server(prefix = "/api", endpoint = "layout")]
pub async fn get_layout() -> Result<Layout, AppError> {
    use crate::site::server as site;
    finish(
        async {
            let state = app_state()?;
            Ok(Layout {
                municipality_name: site::municipality_name(&state.db).await?,
                me: crate::accounts::api::me_now(),
            })
        }
        .await,
    )
}

/// A legal page's text, rendered from Markdown to safe HTML on the server.
#[server(prefix = "/api", endpoint = "legal_page")]
pub async fn get_legal_page(page: LegalPage) -> Result<String, AppError> {
    use crate::infra::markdown;
    use crate::site::server as site;
    finish(
        async {
            let state = app_state()?;
            let key = match page {
                LegalPage::Impressum => site::IMPRESSUM,
                LegalPage::Privacy => site::PRIVACY,
            };
            Ok(markdown::to_safe_html(&site::get(&state.db, key).await?))
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "site_settings")]
pub async fn get_site_settings() -> Result<SiteSettings, AppError> {
    use crate::accounts::domain::Role;
    use crate::site::server as site;
    finish(
        async {
            let state = app_state()?;
            require_role(Role::Admin)?;
            site::settings(&state.db).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "update_site_settings")]
pub async fn update_site_settings(
    municipality_name: String,
    impressum: String,
    privacy: String,
) -> Result<(), AppError> {
    use crate::accounts::domain::Role;
    use crate::error::FieldErrors;
    use crate::site::server as site;
    finish(
        async {
            let state = app_state()?;
            let admin = require_role(Role::Admin)?;
            let mut errors = FieldErrors::new();
            let name = municipality_name
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if name.chars().count() < 2 || name.chars().count() > 100 {
                errors.add(
                    "municipality_name",
                    "Der Name der Gemeinde muss 2 bis 100 Zeichen lang sein.",
                );
            }
            for (field, text) in [("impressum", &impressum), ("privacy", &privacy)] {
                if text.trim().is_empty() {
                    errors.add(field, "Bitte geben Sie einen Text ein.");
                } else if text.chars().count() > 50_000 {
                    errors.add(field, "Der Text darf höchstens 50.000 Zeichen lang sein.");
                }
            }
            errors.into_result()?;
            site::update(
                &state.db,
                admin.id,
                &SiteSettings {
                    municipality_name: name,
                    impressum: impressum.trim().to_owned(),
                    privacy: privacy.trim().to_owned(),
                },
            )
            .await?;
            leptos_axum::redirect("/admin/settings?notice=settings_saved");
            Ok(())
        }
        .await,
    )
}
