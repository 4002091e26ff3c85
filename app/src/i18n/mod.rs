//! The interface's languages: German (the default) and English.
//!
//! The texts live in `app/locales/<code>/<feature>.ftl`, one key per text, in Project Fluent's syntax
//! (translators' tools such as Weblate and Pontoon read it). The server parses the files
//! once; a page carries the messages of its one language as JSON for the browser, so the
//! wasm holds no translations and does not grow with each language. Messages are text with
//! `{ $variables }` only: the browser fills them in without a Fluent runtime. Where a
//! language needs forms by number, the code picks one of several keys (`…-one`, `…-other`).
//!
//! Adding a language: a folder `app/locales/<code>/` with the same files and every key (the
//! test `every_language_has_every_key_with_the_same_variables` names what is missing) and one
//! line in `LANGUAGES` (its name, and whether it is written right to left).

#[cfg(feature = "ssr")]
pub mod server;

use std::collections::HashMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A language of the interface. `code` is the BCP 47 tag used in `<html lang>`, the cookie
/// and the account's setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Lang {
    pub code: &'static str,
    /// The language's own name, shown on the switch (in that language).
    pub name: &'static str,
    pub right_to_left: bool,
}

/// Every language the interface speaks; the first is the default.
pub const LANGUAGES: &[Lang] = &[
    Lang {
        code: "de",
        name: "Deutsch",
        right_to_left: false,
    },
    Lang {
        code: "en",
        name: "English",
        right_to_left: false,
    },
];

/// The cookie that keeps the person's choice (a year; not personal data, no consent needed:
/// it is set only when the person asks for a language).
pub const COOKIE: &str = "dorfplatz_lang";

impl Lang {
    pub fn default_lang() -> Lang {
        LANGUAGES[0]
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        LANGUAGES.iter().copied().find(|l| l.code == code)
    }

    pub fn dir(&self) -> &'static str {
        if self.right_to_left { "rtl" } else { "ltr" }
    }
}

/// The language of a request: the person's choice (cookie) first, then the browser's
/// `Accept-Language` in the order of its weights, else German.
pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
    if let Some(lang) = cookie.and_then(Lang::from_code) {
        return lang;
    }
    let Some(header) = accept_language else {
        return Lang::default_lang();
    };
    let mut wanted: Vec<(f32, usize, &str)> = header
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim();
            let weight = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            (weight > 0.0 && !tag.is_empty()).then_some((weight, i, tag))
        })
        .collect();
    // Highest weight first; equal weights keep the browser's order.
    wanted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    wanted
        .iter()
        .find_map(|(_, _, tag)| {
            let primary = tag.split('-').next().unwrap_or(tag);
            Lang::from_code(primary)
        })
        .unwrap_or_else(Lang::default_lang)
}

/// One message: text and variable names alternating (even places text, odd places the name
/// of a variable), so the browser needs no parser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message(pub Vec<String>);

impl Message {
    pub fn format(&self, args: &[(&str, &str)]) -> String {
        let mut out = String::new();
        for (i, part) in self.0.iter().enumerate() {
            if i % 2 == 0 {
                out.push_str(part);
            } else if let Some((_, value)) = args.iter().find(|(name, _)| name == part) {
                out.push_str(value);
            } else {
                // A variable the caller did not give: visible, so a test or a reader notices.
                out.push_str(&format!("{{${part}}}"));
            }
        }
        out
    }

    pub fn variables(&self) -> impl Iterator<Item = &str> {
        self.0.iter().skip(1).step_by(2).map(String::as_str)
    }
}

/// All messages of one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    pub lang: String,
    pub messages: HashMap<String, Message>,
}

impl Catalog {
    /// The text of `key`; the key itself when it is missing (tests make sure none is).
    pub fn text(&self, key: &str, args: &[(&str, &str)]) -> String {
        match self.messages.get(key) {
            Some(m) => m.format(args),
            None => key.to_owned(),
        }
    }
}

/// The language of the page being rendered.
pub fn current_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<Lang>().unwrap_or_else(server::request_lang)
    }
    #[cfg(not(feature = "ssr"))]
    {
        client::lang()
    }
}

/// The text of `key` in the page's language.
pub fn t(key: &str) -> String {
    t_args(key, &[])
}

/// The text of `key` with its variables filled in.
pub fn t_args(key: &str, args: &[(&str, &str)]) -> String {
    #[cfg(feature = "ssr")]
    {
        server::catalog(current_lang()).text(key, args)
    }
    #[cfg(not(feature = "ssr"))]
    {
        client::text(key, args)
    }
}

/// The global the messages script (`/i18n/<code>-<hash>.js`) sets: the page's language and
/// messages as a JSON string. The script is loaded with `defer` before the hydration module,
/// so it has run when the wasm first asks for a text.
pub const CATALOG_GLOBAL: &str = "dorfplatzMessages";

/// In the browser: the language and messages of the page's messages script.
#[cfg(not(feature = "ssr"))]
mod client {
    use std::sync::OnceLock;

    use super::{Catalog, Lang};

    // wasm runs on one thread; a OnceLock keeps it simple and needs no unsafe.
    static CATALOG: OnceLock<Catalog> = OnceLock::new();

    fn catalog() -> &'static Catalog {
        CATALOG.get_or_init(|| {
            let window = leptos::prelude::window();
            js_sys::Reflect::get(&window, &super::CATALOG_GLOBAL.into())
                .ok()
                .and_then(|value| value.as_string())
                .and_then(|json| serde_json::from_str(&json).ok())
                .unwrap_or_default()
        })
    }

    pub fn lang() -> Lang {
        Lang::from_code(&catalog().lang).unwrap_or_else(Lang::default_lang)
    }

    pub fn text(key: &str, args: &[(&str, &str)]) -> String {
        catalog().text(key, args)
    }
}

/// The language switch in the header: a plain form (works without JavaScript); the server
/// keeps the choice in a cookie (and on the account) and sends the person back to `next`.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let next = move || format!("{}{}", location.pathname.get(), location.search.get());
    let current = current_lang();
    view! {
        <form method="post" action="/language" class="lang-switch">
            <input type="hidden" name="next" value=next />
            {LANGUAGES
                .iter()
                .filter(|l| l.code != current.code)
                .map(|l| {
                    view! {
                        <button type="submit" name="lang" value=l.code lang=l.code class="link-button">
                            <span class="visually-hidden">{t("language-switch-label")}": "</span>
                            {l.name}
                        </button>
                    }
                })
                .collect_view()}
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_is_the_choice_then_the_browser_then_german() {
        let cases: &[(Option<&str>, Option<&str>, &str)] = &[
            (None, None, "de"),
            (Some("en"), None, "en"),
            (Some("en"), Some("de-DE,de;q=0.9"), "en"),
            (Some("de"), Some("en-GB,en;q=0.9"), "de"),
            // An unknown choice (a language removed since) falls back to the browser.
            (Some("tr"), Some("en-US"), "en"),
            (None, Some("en-US,en;q=0.9,de;q=0.8"), "en"),
            (None, Some("de-CH, en;q=0.5"), "de"),
            (None, Some("fr-FR, en;q=0.5, de;q=0.7"), "de"),
            (None, Some("fr, it"), "de"),
            (None, Some("en;q=0, de"), "de"),
            (None, Some("EN"), "en"),
            (None, Some("*"), "de"),
            (None, Some("en;q=abc, de;q=0.1"), "de"),
            (None, Some(""), "de"),
        ];
        for (cookie, accept, want) in cases {
            assert_eq!(
                negotiate(*cookie, *accept).code,
                *want,
                "cookie {cookie:?}, Accept-Language {accept:?}"
            );
        }
    }

    #[test]
    fn messages_fill_in_their_variables() {
        let m = Message(vec![
            "Noch ".into(),
            "n".into(),
            " Tage für ".into(),
            "title".into(),
            String::new(),
        ]);
        assert_eq!(
            m.format(&[("title", "Ärztehaus"), ("n", "3")]),
            "Noch 3 Tage für Ärztehaus"
        );
        assert_eq!(m.format(&[("n", "3")]), "Noch 3 Tage für {$title}");
        let catalog = Catalog::default();
        assert_eq!(catalog.text("nav-start", &[]), "nav-start");
    }
}
