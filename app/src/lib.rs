//! Dorfplatz: the page shell, the application and its route table.

#![recursion_limit = "256"]

pub mod accessibility;
pub mod accounts;
pub mod admin;
pub mod boards;
pub mod comments;
pub mod components;
pub mod error;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod infra;
pub mod petitions;
pub mod proposals;
pub mod register;
pub mod reports;
pub mod site;
pub mod text;
pub mod time;

use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use accessibility::pages::{
    AccessibilityPage, AdminAccessibilityPage, EasyLanguagePage, FeedbackQueuePage,
    SignLanguagePage,
};
use accounts::pages::{
    AccountPage, ConfirmPage, LoginCodePage, LoginPage, NewPasswordPage, PasswordResetPage,
    RegisterPage, TwoFactorPage,
};
use admin::pages::{AdminAuditPage, AdminSettingsPage, AdminUsersPage};
use petitions::pages::{
    ConfirmSignaturePage, ManagePetitionPage, MunicipalityPage, NewPetitionPage, PetitionPage,
    PetitionsPage, ReceiptPage, SignPage,
};
use proposals::pages::{EditProposalPage, NewProposalPage, ProposalPage, ProposalsPage};
use proposals::staff::{ParticipationReportPage, ProposalListsPage};
use register::pages::{ResidentsPage, ReviewQueuePage};
use reports::pages::TallyReportPage;
use site::pages::{Footer, Header, HomePage, ImpressumPage, NotFound, PrivacyPage};

/// The HTML document around every server-rendered page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_page_csp();
    let lang = i18n::current_lang();
    #[cfg(feature = "ssr")]
    provide_context(lang);
    // A page without an island loads no script at all: it is complete as HTML, and its
    // forms post and come back (docs/first-load.md).
    #[cfg(feature = "ssr")]
    let scripts = match use_context::<http::request::Parts>() {
        Some(parts) => {
            let browser = infra::http::cookie(&parts.headers, infra::form_return::BROWSER_COOKIE);
            provide_context(infra::form_return::Returned::from_request(&parts, browser));
            has_islands(parts.uri.path())
        }
        None => false,
    };
    #[cfg(not(feature = "ssr"))]
    let scripts = true;
    #[cfg(feature = "ssr")]
    let messages = i18n::server::script_path(lang);
    #[cfg(not(feature = "ssr"))]
    let messages = "";
    view! {
        <!DOCTYPE html>
        <html lang=lang.code dir=lang.dir()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="stylesheet" id="leptos" href="/pkg/dorfplatz.css" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                {scripts.then(|| view! {
                    // The texts of this language for the islands, cached (see `i18n`);
                    // deferred, so it has run before the island module after it.
                    <script defer src=messages></script>
                    <HydrationScripts options islands=true />
                })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Whether the page at `path` holds an island (`#[island]`), i.e. needs the wasm. Each
/// island's page is listed here; the browser tests of each island fail without it.
pub fn has_islands(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    matches!(
        segments.as_slice(),
        // The signing form checks its fields and answers in place.
        ["petitions", slug, "sign"] if !slug.is_empty()
    ) || matches!(
        segments.as_slice(),
        // The register import's progress, read every two seconds while it runs.
        ["staff", "residents"]
    )
}

/// Pages allow only our own scripts plus the inline hydration script carrying this
/// response's nonce; WebAssembly needs 'wasm-unsafe-eval' to compile.
#[cfg(feature = "ssr")]
fn set_page_csp() {
    let nonce = leptos::nonce::use_nonce()
        .map(|n| format!(" 'nonce-{}'", n.as_inner()))
        .unwrap_or_default();
    infra::http::add_response_header(
        http::header::CONTENT_SECURITY_POLICY,
        &format!(
            "default-src 'self'; script-src 'self'{nonce} 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        ),
    );
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <Frame />
        </Router>
    }
}

/// Header, main content and footer. The frame data (municipality, signed-in user) is
/// fetched again on every navigation, so logging in or out shows at once.
#[component]
fn Frame() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let layout = Resource::new(
        move || (location.pathname.get(), location.search.get()),
        |_| site::api::get_layout(),
    );
    provide_context(layout);
    view! {
        <a class="skip-link" href="#main">{i18n::t("skip-link")}</a>
        <Header />
        <main id="main" tabindex="-1">
            <Routes fallback=NotFound>
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async />
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                <Route path=path!("/login/code") view=LoginCodePage ssr=SsrMode::Async />
                <Route path=path!("/confirm") view=ConfirmPage ssr=SsrMode::Async />
                <Route path=path!("/password-reset") view=PasswordResetPage ssr=SsrMode::Async />
                <Route path=path!("/password-reset/new") view=NewPasswordPage ssr=SsrMode::Async />
                <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                <Route path=path!("/account/two-factor") view=TwoFactorPage ssr=SsrMode::Async />
                <Route path=path!("/admin/users") view=AdminUsersPage ssr=SsrMode::Async />
                <Route path=path!("/admin/settings") view=AdminSettingsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/audit") view=AdminAuditPage ssr=SsrMode::Async />
                <Route path=path!("/petitions") view=PetitionsPage ssr=SsrMode::Async />
                <Route path=path!("/petitions/new") view=NewPetitionPage ssr=SsrMode::Async />
                <Route path=path!("/petitions/confirm") view=ConfirmSignaturePage ssr=SsrMode::Async />
                <Route path=path!("/petitions/receipt") view=ReceiptPage ssr=SsrMode::Async />
                <Route path=path!("/petitions/:slug") view=PetitionPage ssr=SsrMode::Async />
                <Route path=path!("/petitions/:slug/sign") view=SignPage ssr=SsrMode::Async />
                <Route path=path!("/petitions/:slug/manage") view=ManagePetitionPage ssr=SsrMode::Async />
                <Route path=path!("/petitions/:slug/review") view=ReviewQueuePage ssr=SsrMode::Async />
                <Route path=path!("/petitions/:slug/report") view=TallyReportPage ssr=SsrMode::Async />
                <Route path=path!("/proposals") view=ProposalsPage ssr=SsrMode::Async />
                <Route path=path!("/proposals/new") view=NewProposalPage ssr=SsrMode::Async />
                <Route path=path!("/proposals/:id") view=ProposalPage ssr=SsrMode::Async />
                <Route path=path!("/proposals/:id/edit") view=EditProposalPage ssr=SsrMode::Async />
                <Route path=path!("/staff/municipality") view=MunicipalityPage ssr=SsrMode::Async />
                <Route path=path!("/staff/lists") view=ProposalListsPage ssr=SsrMode::Async />
                <Route path=path!("/staff/reports") view=ParticipationReportPage ssr=SsrMode::Async />
                <Route path=path!("/staff/residents") view=ResidentsPage ssr=SsrMode::Async />
                <Route path=path!("/moderation") view=comments::moderation::ModerationPage ssr=SsrMode::Async />
                <Route path=path!("/unsubscribe") view=comments::moderation::UnsubscribePage ssr=SsrMode::Async />
                <Route path=path!("/boards") view=boards::pages::BoardsPage ssr=SsrMode::Async />
                <Route path=path!("/boards/:id") view=boards::pages::BoardPage ssr=SsrMode::Async />
                <Route path=path!("/sessions") view=boards::pages::MeetingsPage ssr=SsrMode::Async />
                <Route path=path!("/sessions/:id") view=boards::pages::MeetingPage ssr=SsrMode::Async />
                <Route path=path!("/sessions/:id/manage") view=boards::manage::MeetingManagePage ssr=SsrMode::Async />
                <Route path=path!("/admin/accessibility") view=AdminAccessibilityPage ssr=SsrMode::Async />
                <Route path=path!("/staff/feedback") view=FeedbackQueuePage ssr=SsrMode::Async />
                <Route path=path!("/barrierefreiheit") view=AccessibilityPage ssr=SsrMode::Async />
                <Route path=path!("/leichte-sprache") view=EasyLanguagePage ssr=SsrMode::Async />
                <Route path=path!("/gebaerdensprache") view=SignLanguagePage ssr=SsrMode::Async />
                <Route path=path!("/impressum") view=ImpressumPage ssr=SsrMode::Async />
                <Route path=path!("/datenschutz") view=PrivacyPage ssr=SsrMode::Async />
            </Routes>
        </main>
        <Footer />
    }
}

/// The frame data resource, for pages that need to know who is signed in.
pub type LayoutResource = Resource<Result<site::Layout, error::AppError>>;

pub fn use_layout() -> Option<LayoutResource> {
    use_context::<LayoutResource>()
}

#[cfg(test)]
mod tests {
    use super::has_islands;

    #[test]
    fn only_the_pages_with_an_island_load_the_wasm() {
        for (path, expected) in [
            ("/", false),
            ("/petitions", false),
            ("/petitions/mvz-kalletal", false),
            ("/petitions/mvz-kalletal/sign", true),
            ("/petitions/mvz-kalletal/sign/", true),
            ("/petitions//sign", false),
            ("/petitions/mvz-kalletal/manage", false),
            ("/staff/residents", true),
            ("/staff/residents/import", false),
            ("/proposals/3", false),
            ("/sessions/3", false),
        ] {
            assert_eq!(has_islands(path), expected, "{path}");
        }
    }
}
