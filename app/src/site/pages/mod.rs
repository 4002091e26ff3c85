//! Header, footer, start page, legal pages, 404.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::LegalPage;
use super::api::get_legal_page;
use crate::LayoutResource;
use crate::accounts::api::Logout;
use crate::accounts::domain::Role;
use crate::components::Notice;
use crate::i18n::{LanguageSwitch, current_lang, t, t_args};

#[component]
pub fn Header() -> impl IntoView {
    let layout = expect_context::<LayoutResource>();
    let logout = ServerAction::<Logout>::new();
    view! {
        <header class="site-header">
            <div class="wrap header-inner">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    <span class="brand-text">
                        <span class="brand-name">"Dorfplatz"</span>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                layout.await.ok().map(|l| view! { <span class="brand-place">{l.municipality_name}</span> })
                            })}
                        </Suspense>
                    </span>
                </A>
                <nav aria-label=t("nav-access") class="access-links">
                    <ul class="nav">
                        <li><A href="/leichte-sprache">
                            <img src="/leichte-sprache.svg" alt="" width="24" height="24" />
                            {t("nav-easy-language")}
                        </A></li>
                        <li><A href="/gebaerdensprache">
                            <img src="/gebaerdensprache.svg" alt="" width="24" height="24" />
                            {t("nav-sign-language")}
                        </A></li>
                    </ul>
                </nav>
                <LanguageSwitch />
                <nav aria-label=t("nav-main")>
                    <ul class="nav">
                        <li><A href="/" exact=true>{t("nav-start")}</A></li>
                        <li><A href="/proposals">{t("nav-proposals")}</A></li>
                        <li><A href="/petitions">{t("nav-petitions")}</A></li>
                        <li><A href="/boards">{t("nav-boards")}</A></li>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                let me = layout.await.ok().and_then(|l| l.me);
                                match me {
                                    Some(me) => view! {
                                        {me.has_role(Role::Admin).then(|| view! {
                                            <li><A href="/admin/users">{t("nav-admin")}</A></li>
                                        })}
                                        {me.is_staff().then(|| view! {
                                            <li><A href="/staff/municipality">{t("nav-staff")}</A></li>
                                            <li><A href="/staff/residents">{t("nav-register")}</A></li>
                                            <li><A href="/staff/reports">{t("nav-reports")}</A></li>
                                            <li><A href="/moderation">{t("nav-moderation")}</A></li>
                                            <li><A href="/staff/feedback">{t("nav-feedback")}</A></li>
                                        })}
                                        <li><A href="/account">{t("nav-account")}</A></li>
                                        <li>
                                            <ActionForm action=logout attr:class="inline-form">
                                                <button type="submit" class="link-button">{t("nav-logout")}</button>
                                            </ActionForm>
                                        </li>
                                    }.into_any(),
                                    None => view! {
                                        <li><A href="/login">{t("nav-login")}</A></li>
                                        <li><A href="/register">{t("nav-sign-up")}</A></li>
                                    }.into_any(),
                                }
                            })}
                        </Suspense>
                    </ul>
                </nav>
            </div>
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="wrap footer-inner">
                <p>{t("footer-tagline")}</p>
                <nav aria-label=t("footer-legal")>
                    <ul class="nav">
                        <li><A href="/impressum">{t("footer-impressum")}</A></li>
                        <li><A href="/datenschutz">{t("footer-privacy")}</A></li>
                        <li><A href="/barrierefreiheit">{t("footer-accessibility")}</A></li>
                        <li><A href="/barrierefreiheit#feedback">{t("footer-report-barrier")}</A></li>
                    </ul>
                </nav>
            </div>
        </footer>
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let layout = expect_context::<LayoutResource>();
    view! {
        <Title text=t_args("page-title", &[("title", &t("home-title"))]) />
        <div class="wrap">
            <Notice />
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    let layout = layout.await.ok();
                    let name = layout.as_ref().map(|l| l.municipality_name.clone()).unwrap_or_default();
                    let me = layout.and_then(|l| l.me);
                    view! {
                        <section class="hero">
                            <h1>{t("home-heading")}</h1>
                            <p class="lead">
                                {t_args("home-lead", &[("municipality", &name)])}
                            </p>
                            {match me {
                                Some(me) => view! {
                                    <p>{t_args("home-signed-in-as", &[("name", &me.display_name)])}" "<A href="/account">{t("home-to-account")}</A></p>
                                }.into_any(),
                                None => view! {
                                    <p class="actions">
                                        <A href="/register" attr:class="button">{t("home-create-account")}</A>
                                        <A href="/login" attr:class="button button-secondary">{t("nav-login")}</A>
                                    </p>
                                }.into_any(),
                            }}
                        </section>
                        <section class="cards" aria-label=t("home-how")>
                            <article class="card">
                                <h2>{t("home-speak-heading")}</h2>
                                <p>{t("home-speak-text")}</p>
                            </article>
                            <article class="card">
                                <h2>{t("home-follow-heading")}</h2>
                                <p>{t("home-follow-text")}</p>
                            </article>
                            <article class="card">
                                <h2>{t("home-decide-heading")}</h2>
                                <p>{t("home-decide-text")}</p>
                            </article>
                        </section>
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Legal(page: LegalPage, title: String) -> impl IntoView {
    let text = Resource::new(move || page, get_legal_page);
    view! {
        <Title text=t_args("page-title", &[("title", &title)]) />
        <div class="wrap prose">
            <h1>{title}</h1>
            {(current_lang().code != "de").then(|| view! { <p class="notice">{t("legal-german-only")}</p> })}
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match text.await {
                        // Markdown rendered and sanitized on the server (ammonia).
                        Ok(html) => view! { <div lang="de" inner_html=html></div> }.into_any(),
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub fn ImpressumPage() -> impl IntoView {
    view! { <Legal page=LegalPage::Impressum title=t("legal-impressum") /> }
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! { <Legal page=LegalPage::Privacy title=t("legal-privacy") /> }
}

#[component]
pub fn NotFound() -> impl IntoView {
    crate::components::page::set_status(404);
    view! {
        <Title text=t_args("page-title", &[("title", &t("not-found-title"))]) />
        <div class="wrap">
            <h1>{t("not-found-title")}</h1>
            <p>{t("not-found-text")}" "<A href="/">{t("not-found-home")}</A></p>
        </div>
    }
}
