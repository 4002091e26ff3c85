//! Server functions of the register and the review queue: staff only, checked here on the
//! server; thin, they parse the form and call `server::review` and `server::register`.

use leptos::prelude::*;

use super::view::{RegisterOverview, ReviewPage};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::infra::prelude::*;

/// The register imports (staff).
#[server(prefix = "/api", endpoint = "register_overview")]
pub async fn get_register_overview() -> Result<RegisterOverview, AppError> {
    use crate::register::server::review;
    finish(
        async {
            let app = app_state()?;
            require_staff()?;
            review::register_overview(&app.db).await
        }
        .await,
    )
}

/// Deletes the register (staff, with the box ticked).
#[server(prefix = "/api", endpoint = "purge_register")]
pub async fn purge_register(#[server(default)] confirm: String) -> Result<u64, AppError> {
    use crate::register::server::import as register;
    finish(
        async {
            let app = app_state()?;
            let staff = require_staff()?;
            if confirm != "on" {
                return Err(AppError::field(
                    "confirm",
                    crate::i18n::t("register-purge-confirm-missing"),
                ));
            }
            let n = register::purge(&app.db, Some(staff.id)).await?;
            leptos_axum::redirect("/staff/residents?notice=register_purged");
            Ok(n)
        }
        .await,
    )
}

/// The review page of a petition: counts and the next signature waiting (staff). `after`
/// skips to the one after that id.
#[server(prefix = "/api", endpoint = "review_page")]
pub async fn get_review(slug: String, after: Option<i64>) -> Result<ReviewPage, AppError> {
    use crate::register::server::review;
    finish(
        async {
            let app = app_state()?;
            let staff = require_staff()?;
            review::page(&app.db, staff.id, &slug, after).await
        }
        .await,
    )
}

/// A reviewer decides one signature: `decision` is `person:<register id>` or a reason code.
#[server(prefix = "/api", endpoint = "decide_signature")]
pub async fn decide_signature(
    slug: String,
    signature_id: i64,
    #[server(default)] decision: String,
) -> Result<String, AppError> {
    use crate::register::server::review;
    finish(
        async {
            let app = app_state()?;
            let staff = require_staff()?;
            let choice = review::Choice::parse(&decision)?;
            let status = review::decide(&app.db, staff.id, &slug, signature_id, choice).await?;
            leptos_axum::redirect(&format!(
                "/petitions/{slug}/review?notice=signature_decided#queue"
            ));
            Ok(crate::i18n::t_args(
                "register-decided",
                &[("status", &super::view::status_title(status))],
            ))
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn sheet_number(input: &str) -> Result<u32, AppError> {
    match input.trim().parse::<u32>() {
        Ok(n) if (1..=crate::petitions::signer::MAX_SHEET).contains(&n) => Ok(n),
        _ => Err(AppError::field(
            "sheet",
            crate::i18n::t("register-sheet-number-invalid"),
        )),
    }
}

/// Voids a paper sheet that lacked the full petition text (staff).
#[server(prefix = "/api", endpoint = "void_sheet")]
pub async fn void_sheet(
    slug: String,
    #[server(default)] sheet: String,
    #[server(default)] reason: String,
) -> Result<u64, AppError> {
    use crate::register::server::review;
    finish(
        async {
            let app = app_state()?;
            let staff = require_staff()?;
            let sheet = sheet_number(&sheet)?;
            let n = review::void_sheet(&app.db, staff.id, &slug, sheet, &reason).await?;
            leptos_axum::redirect(&format!(
                "/petitions/{slug}/review?notice=sheet_voided#sheets"
            ));
            Ok(n)
        }
        .await,
    )
}

/// Takes back a voided sheet (staff).
#[server(prefix = "/api", endpoint = "restore_sheet")]
pub async fn restore_sheet(slug: String, #[server(default)] sheet: String) -> Result<(), AppError> {
    use crate::register::server::review;
    finish(
        async {
            let app = app_state()?;
            let staff = require_staff()?;
            let sheet = sheet_number(&sheet)?;
            review::restore_sheet(&app.db, staff.id, &slug, sheet).await?;
            leptos_axum::redirect(&format!(
                "/petitions/{slug}/review?notice=sheet_restored#sheets"
            ));
            Ok(())
        }
        .await,
    )
}
