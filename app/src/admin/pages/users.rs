use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{AdminNav, AdminOnly};
use crate::accounts::domain::Role;
use crate::admin::api::{ResetTwoFactor, SetRole, list_users};
use crate::components::{ErrorSummary, Notice};
use crate::i18n::{t, t_args};

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    view! {
        <Title text=t_args("page-title", &[("title", &t("admin-nav-users"))]) />
        <div class="wrap">
            <AdminOnly next="/admin/users">
                <UserList />
            </AdminOnly>
        </div>
    }
}

#[component]
fn UserList() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let set_role = ServerAction::<SetRole>::new();
    let reset = ServerAction::<ResetTwoFactor>::new();
    let role_error = Signal::derive(move || {
        set_role
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| reset.value().get().and_then(|r| r.err()))
    });
    let users = Resource::new(
        move || (q(), page(), set_role.version().get(), reset.version().get()),
        |(q, page, _, _)| list_users(q, page - 1),
    );
    view! {
        <h1>{t("admin-users-heading")}</h1>
        <AdminNav />
        <Notice />
        <ErrorSummary error=role_error />
        <form method="get" action="/admin/users" class="search-form" role="search">
            <label for="user-search">{t("admin-users-search-label")}</label>
            <input id="user-search" type="search" name="q" value=q />
            <button type="submit" class="button">{t("admin-users-search")}</button>
        </form>
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match users.await {
                    Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    Ok(data) => {
                        let pages = data.total.div_ceil(data.per_page).max(1);
                        let current = data.page + 1;
                        let q = q();
                        view! {
                            <p>{if data.total == 1 { t("admin-users-found-one") } else { t_args("admin-users-found-other", &[("n", &data.total.to_string())]) }}</p>
                            <div class="table-scroll" tabindex="0" role="region" aria-label=t("admin-users-caption")>
                            <table class="data">
                                <caption class="visually-hidden">{t("admin-users-caption")}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{t("admin-col-name")}</th>
                                        <th scope="col">{t("admin-col-email")}</th>
                                        <th scope="col">{t("admin-col-confirmed")}</th>
                                        <th scope="col">{t("admin-col-two-factor")}</th>
                                        <th scope="col">{t("admin-col-roles")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {data.users.into_iter().map(|u| {
                                        let user_id = u.id;
                                        view! {
                                            <tr>
                                                <td>{u.display_name.clone()}</td>
                                                <td>{u.email.clone()}</td>
                                                <td>{t(if u.confirmed { "admin-yes" } else { "admin-no" })}</td>
                                                <td>
                                                    {t(if u.two_factor { "admin-on" } else { "admin-off" })}
                                                    {u.two_factor.then(|| {
                                                        let accessible = t_args("admin-reset-two-factor-label", &[("name", &u.display_name)]);
                                                        view! {
                                                            <ActionForm action=reset attr:class="inline-form">
                                                                <input type="hidden" name="user_id" value=user_id.to_string() />
                                                                <button type="submit" class="link-button" aria-label=accessible>{t("admin-reset")}</button>
                                                            </ActionForm>
                                                        }
                                                    })}
                                                </td>
                                                <td>
                                                    <ul class="role-list">
                                                        {Role::ALL.into_iter().map(|role| {
                                                            let has = u.roles.contains(&role);
                                                            let label = t_args(
                                                                if has { "admin-role-revoke" } else { "admin-role-grant" },
                                                                &[("role", &role.title())],
                                                            );
                                                            let accessible = format!("{label}: {}", u.display_name);
                                                            view! {
                                                                <li>
                                                                    <span class=if has { "badge badge-on" } else { "badge" }>
                                                                        {role.title()}{if has { " ✓" } else { "" }}
                                                                    </span>
                                                                    <ActionForm action=set_role attr:class="inline-form">
                                                                        <input type="hidden" name="user_id" value=user_id.to_string() />
                                                                        <input type="hidden" name="role" value=role.as_str() />
                                                                        <input type="hidden" name="grant" value=if has { "0" } else { "1" } />
                                                                        <button type="submit" class="link-button" aria-label=accessible>{label}</button>
                                                                    </ActionForm>
                                                                </li>
                                                            }
                                                        }).collect_view()}
                                                    </ul>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                            <nav aria-label=t("admin-pages-label") class="pager">
                                {(current > 1).then(|| view! {
                                    <a href=format!("/admin/users?q={}&page={}", crate::text::url_encode(&q), current - 1) rel="prev">{t("admin-page-prev")}</a>
                                })}
                                <span>{t_args("admin-page-of", &[("current", &current.to_string()), ("pages", &pages.to_string())])}</span>
                                {(current < pages).then(|| view! {
                                    <a href=format!("/admin/users?q={}&page={}", crate::text::url_encode(&q), current + 1) rel="next">{t("admin-page-next")}</a>
                                })}
                            </nav>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
