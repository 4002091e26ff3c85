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

/// Renders `children` for administrators only; see [`Restricted`].
#[component]
pub fn AdminOnly(#[prop(into)] next: String, children: ChildrenFn) -> impl IntoView {
    view! {
        <Restricted next allow=|me: &Me| me.has_role(Role::Admin)
            denial="Diese Seite ist der Administration vorbehalten.">
            {children()}
        </Restricted>
    }
}

#[component]
pub fn AdminNav() -> impl IntoView {
    use leptos_router::components::A;
    view! {
        <nav aria-label="Verwaltung" class="subnav">
            <ul class="nav">
                <li><A href="/admin/users">"Konten und Rollen"</A></li>
                <li><A href="/admin/settings">"Einstellungen"</A></li>
                <li><A href="/admin/accessibility">"Barrierefreiheit"</A></li>
                <li><A href="/admin/audit">"Protokoll"</A></li>
            </ul>
        </nav>
    }
}
