//! Administration pages: accounts and roles, site settings.

mod settings;
mod users;

pub use settings::AdminSettingsPage;
pub use users::AdminUsersPage;

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::LayoutResource;
use crate::accounts::domain::Role;
use crate::site::pages::set_status;

/// Renders `children` for administrators; sends guests to the login and tells everyone else
/// (with a real 403) that they may not. The server functions check again on their own.
#[component]
pub fn AdminOnly(#[prop(into)] next: String, children: ChildrenFn) -> impl IntoView {
    let layout = expect_context::<LayoutResource>();
    let children = StoredValue::new(children);
    let next = StoredValue::new(next);
    view! {
        <Suspense fallback=|| view! { <p>"Lädt …"</p> }>
            {move || Suspend::new(async move {
                match layout.await.ok().and_then(|l| l.me) {
                    None => view! {
                        <Redirect path=format!("/login?notice=login_required&next={}", next.get_value()) />
                    }.into_any(),
                    Some(me) if !me.has_role(Role::Admin) => {
                        set_status(403);
                        view! {
                            <h1>"Keine Berechtigung"</h1>
                            <p>"Diese Seite ist der Administration vorbehalten."</p>
                        }.into_any()
                    }
                    Some(_) => children.with_value(|c| c()).into_any(),
                }
            })}
        </Suspense>
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
            </ul>
        </nav>
    }
}
