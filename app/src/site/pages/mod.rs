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
                <nav aria-label="Zugänglichkeit" class="access-links">
                    <ul class="nav">
                        <li><A href="/leichte-sprache">
                            <img src="/leichte-sprache.svg" alt="" width="24" height="24" />
                            "Leichte Sprache"
                        </A></li>
                        <li><A href="/gebaerdensprache">
                            <img src="/gebaerdensprache.svg" alt="" width="24" height="24" />
                            "Gebärdensprache"
                        </A></li>
                    </ul>
                </nav>
                <nav aria-label="Hauptnavigation">
                    <ul class="nav">
                        <li><A href="/" exact=true>"Start"</A></li>
                        <li><A href="/proposals">"Vorschläge"</A></li>
                        <li><A href="/petitions">"Bürgerbegehren"</A></li>
                        <li><A href="/boards">"Beiräte"</A></li>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                let me = layout.await.ok().and_then(|l| l.me);
                                match me {
                                    Some(me) => view! {
                                        {me.has_role(Role::Admin).then(|| view! {
                                            <li><A href="/admin/users">"Administration"</A></li>
                                        })}
                                        {me.is_staff().then(|| view! {
                                            <li><A href="/staff/municipality">"Verwaltung"</A></li>
                                            <li><A href="/staff/residents">"Melderegister"</A></li>
                                            <li><A href="/staff/reports">"Berichte"</A></li>
                                            <li><A href="/moderation">"Moderation"</A></li>
                                            <li><A href="/staff/feedback">"Rückmeldungen"</A></li>
                                        })}
                                        <li><A href="/account">"Konto"</A></li>
                                        <li>
                                            <ActionForm action=logout attr:class="inline-form">
                                                <button type="submit" class="link-button">"Abmelden"</button>
                                            </ActionForm>
                                        </li>
                                    }.into_any(),
                                    None => view! {
                                        <li><A href="/login">"Anmelden"</A></li>
                                        <li><A href="/register">"Registrieren"</A></li>
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
                <p>"Dorfplatz – freie Software für Bürgerbeteiligung in Gemeinden"</p>
                <nav aria-label="Rechtliches">
                    <ul class="nav">
                        <li><A href="/impressum">"Impressum"</A></li>
                        <li><A href="/datenschutz">"Datenschutz"</A></li>
                        <li><A href="/barrierefreiheit">"Barrierefreiheit"</A></li>
                        <li><A href="/barrierefreiheit#feedback">"Barriere melden"</A></li>
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
        <Title text="Start – Dorfplatz" />
        <div class="wrap">
            <Notice />
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    let layout = layout.await.ok();
                    let name = layout.as_ref().map(|l| l.municipality_name.clone()).unwrap_or_default();
                    let me = layout.and_then(|l| l.me);
                    view! {
                        <section class="hero">
                            <h1>"Willkommen auf dem Dorfplatz"</h1>
                            <p class="lead">
                                {format!("Hier beteiligen sich die Bürgerinnen und Bürger der {name} an der Entwicklung ihrer Gemeinde: Vorschläge einbringen und diskutieren, die Sitzungen des Entwicklungsbeirats verfolgen und Bürgerbegehren unterstützen.")}
                            </p>
                            {match me {
                                Some(me) => view! {
                                    <p>{format!("Sie sind angemeldet als {}.", me.display_name)}" "<A href="/account">"Zu Ihrem Konto"</A></p>
                                }.into_any(),
                                None => view! {
                                    <p class="actions">
                                        <A href="/register" attr:class="button">"Konto anlegen"</A>
                                        <A href="/login" attr:class="button button-secondary">"Anmelden"</A>
                                    </p>
                                }.into_any(),
                            }}
                        </section>
                        <section class="cards" aria-label="So funktioniert es">
                            <article class="card">
                                <h2>"Mitreden"</h2>
                                <p>"Mit einem Konto können Sie Vorschläge einreichen, unterstützen und kommentieren. Zur Anmeldung genügen eine E-Mail-Adresse und ein Anzeigename."</p>
                            </article>
                            <article class="card">
                                <h2>"Nachvollziehen"</h2>
                                <p>"Der Entwicklungsbeirat berät öffentlich: Tagesordnungen, Empfehlungen und Protokolle stehen allen offen."</p>
                            </article>
                            <article class="card">
                                <h2>"Entscheiden"</h2>
                                <p>"Bürgerbegehren sammeln Unterschriften nach den Regeln der Gemeindeordnung – online unterstützt und auf Papier unterschrieben."</p>
                            </article>
                        </section>
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Legal(page: LegalPage, title: &'static str) -> impl IntoView {
    let text = Resource::new(move || page, get_legal_page);
    view! {
        <Title text=format!("{title} – Dorfplatz") />
        <div class="wrap prose">
            <h1>{title}</h1>
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match text.await {
                        // Markdown rendered and sanitized on the server (ammonia).
                        Ok(html) => view! { <div inner_html=html></div> }.into_any(),
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub fn ImpressumPage() -> impl IntoView {
    view! { <Legal page=LegalPage::Impressum title="Impressum" /> }
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! { <Legal page=LegalPage::Privacy title="Datenschutz" /> }
}

#[component]
pub fn NotFound() -> impl IntoView {
    crate::components::page::set_status(404);
    view! {
        <Title text="Seite nicht gefunden – Dorfplatz" />
        <div class="wrap">
            <h1>"Seite nicht gefunden"</h1>
            <p>"Diese Adresse gibt es nicht (mehr). "<A href="/">"Zur Startseite"</A></p>
        </div>
    }
}
