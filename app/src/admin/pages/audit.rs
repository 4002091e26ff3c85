use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{AdminNav, AdminOnly};
use crate::admin::api::{get_audit, verify_audit};
use crate::admin::{AuditFilter, action_title};
use crate::components::{ErrorSummary, Field};
use crate::i18n::{t, t_args};
use crate::petitions::rules::{german_datetime_text, thousands};

/// `/admin/audit`: the audit trail, filtered, newest first; CSV export; chain check.
#[component]
pub fn AdminAuditPage() -> impl IntoView {
    view! {
        <Title text=t_args("page-title", &[("title", &t("admin-nav-audit"))]) />
        <div class="wrap">
            <AdminOnly next="/admin/audit">
                <AuditTrail />
            </AdminOnly>
        </div>
    }
}

#[component]
fn AuditTrail() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        AuditFilter {
            action: q.get("action").unwrap_or_default(),
            actor: q.get("actor").unwrap_or_default(),
            from: q.get("from").unwrap_or_default(),
            to: q.get("to").unwrap_or_default(),
        }
    };
    let before = move || {
        query
            .read()
            .get("before")
            .and_then(|b| b.parse::<i64>().ok())
    };
    let page = Resource::new(move || (filter(), before()), |(f, b)| get_audit(f, b));
    // The chain check only reads, so it is a link-like GET (`?check=1`): its result cannot
    // be forged by a crafted address, at worst such an address runs a real check.
    let check = Resource::new(
        move || query.read().get("check").is_some(),
        |run| async move {
            if run {
                Some(verify_audit().await)
            } else {
                None
            }
        },
    );
    view! {
        <h1>{t("admin-audit-heading")}</h1>
        <AdminNav />
        <p>{t("admin-audit-intro")}</p>
        <form method="get" action="/admin/audit" class="inline-form">
            <input type="hidden" name="check" value="1" />
            <button type="submit" class="button button-secondary">{t("admin-audit-verify")}</button>
        </form>
        <div aria-live="polite" id="chain-result">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    check.await.map(|r| match r {
                        Ok(c) => match c.first_broken {
                            None => view! { <p class="notice" role="status">{t_args("admin-audit-chain-ok", &[("n", &thousands(c.checked))])}</p> }.into_any(),
                            Some((id, reason)) => view! { <p class="error-summary" role="alert">{t_args("admin-audit-chain-broken", &[("id", &id.to_string()), ("reason", &reason)])}</p> }.into_any(),
                        },
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    })
                })}
            </Suspense>
        </div>
        <h2>{t("admin-audit-filter")}</h2>
        // The form waits for the page's resource, which is read only here and below, each
        // time inside a Suspense: a resource read outside one (an error signal derived from
        // it) made the page rebuild itself endlessly while it was rendered on the server.
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let result = page.await;
                let error = Signal::stored(result.as_ref().err().cloned());
                let actions = result.map(|p| p.actions).unwrap_or_default();
                let current = filter();
                view! {
                    <ErrorSummary error />
                    <form method="get" action="/admin/audit" class="form filter-form">
                        <div class="field">
                            <label for="f-action">{t("admin-audit-action")}</label>
                            <select id="f-action" name="action">
                                <option value="" selected=current.action.is_empty()>{t("admin-audit-all")}</option>
                                {actions.into_iter().map(|a| {
                                    let selected = a == current.action;
                                    view! { <option value=a.clone() selected=selected>{format!("{} ({a})", action_title(&a))}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <Field name="actor" label=t("admin-audit-actor") value=current.actor.clone() error />
                        <Field name="from" label=t("admin-audit-from") kind="date" value=current.from.clone() error />
                        <Field name="to" label=t("admin-audit-to") kind="date" value=current.to.clone() error />
                        <button type="submit" class="button">{t("admin-audit-filter")}</button>
                    </form>
                }
            })}
        </Suspense>
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match page.await {
                    Err(_) => ().into_any(),
                    Ok(p) => {
                        let f = filter();
                        let q = f.query();
                        let csv = if q.is_empty() { "/admin/audit.csv".to_owned() } else { format!("/admin/audit.csv?{q}") };
                        let next = p.next_before.map(|b| {
                            if q.is_empty() { format!("/admin/audit?before={b}") } else { format!("/admin/audit?{q}&before={b}") }
                        });
                        view! {
                            <p id="audit-total">{t_args(
                                    if p.total == 1 { "admin-audit-found-one" } else { "admin-audit-found-other" },
                                    &[("n", &thousands(p.total))],
                                )}" "
                                <a href=csv download="">{t("admin-audit-csv")}</a></p>
                            <div class="table-scroll" tabindex="0" role="region" aria-label=t("admin-audit-entries")>
                                <table class="data" id="audit-table">
                                    <caption class="visually-hidden">{t("admin-audit-caption")}</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">{t("admin-col-number")}</th>
                                            <th scope="col">{t("admin-col-time")}</th>
                                            <th scope="col">{t("admin-col-person")}</th>
                                            <th scope="col">{t("admin-col-action")}</th>
                                            <th scope="col">{t("admin-col-target")}</th>
                                            <th scope="col">{t("admin-col-details")}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {p.rows.into_iter().map(|r| view! {
                                            <tr>
                                                <td>{r.id}</td>
                                                <td><time datetime=r.at.to_rfc3339()>{german_datetime_text(r.at)}</time></td>
                                                <td>{r.actor.unwrap_or_else(|| t("admin-audit-system"))}</td>
                                                <td>{action_title(&r.action)}<br /><code>{r.action.clone()}</code></td>
                                                <td>{r.target}</td>
                                                <td class="audit-details">{r.details}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {next.map(|href| view! { <p><a href=href>{t("admin-audit-older")}</a></p> })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
