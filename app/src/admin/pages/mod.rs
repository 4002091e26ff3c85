//! Administration pages: accounts and roles, site settings.

mod audit;
mod settings;
mod users;

pub use audit::AdminAuditPage;
pub use settings::AdminSettingsPage;
pub use users::AdminUsersPage;

use leptos::prelude::*;

use crate::accounts::Me;
use crate::accounts::domain::Role;
use crate::components::Restricted;
use crate::i18n::t;

/// Renders `children` for administrators only; see [`Restricted`].
#[component]
pub fn AdminOnly(#[prop(into)] next: String, children: ChildrenFn) -> impl IntoView {
    view! {
        <Restricted next allow=|me: &Me| me.has_role(Role::Admin)
            denial=t("admin-denial")>
            {children()}
        </Restricted>
    }
}

#[component]
pub fn AdminNav() -> impl IntoView {
    use leptos_router::components::A;
    view! {
        <nav aria-label=t("admin-nav-label") class="subnav">
            <ul class="nav">
                <li><A href="/admin/users">{t("admin-nav-users")}</A></li>
                <li><A href="/admin/settings">{t("admin-nav-settings")}</A></li>
                <li><A href="/admin/accessibility">{t("admin-nav-accessibility")}</A></li>
                <li><A href="/admin/audit">{t("admin-nav-audit")}</A></li>
            </ul>
        </nav>
    }
}
