//! The translation files on the server: parsed once, checked at start, handed to pages; the
//! language switch's endpoint.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::extract::{Form, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use fluent_syntax::ast::{Entry, Expression, InlineExpression, PatternElement};
use leptos::prelude::use_context;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;

use super::{COOKIE, Catalog, LANGUAGES, Lang, Message, negotiate};
use crate::infra::auth::CurrentSession;
use crate::infra::entities::user;
use crate::infra::http::cookie;
use crate::infra::responses::see_other;
use crate::infra::state::AppState;

/// Each language's files (`app/locales/<code>/*.ftl`, joined by `build.rs`), compiled into
/// the server binary (never into the wasm).
const SOURCES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/locales.rs"));

/// Parses one translation file: messages of text and `{ $variables }` (see the module
/// comment in `i18n`); anything else is refused with the message's name.
pub fn parse(lang: &str, source: &str) -> Result<Catalog, String> {
    let resource = fluent_syntax::parser::parse(source).map_err(|(_, errors)| {
        let first = errors
            .first()
            .map(|e| {
                let line = source[..e.pos.start.min(source.len())].lines().count();
                format!("Zeile {line}: {:?}", e.kind)
            })
            .unwrap_or_default();
        format!("{lang}.ftl: {} Fehler, zuerst {first}", errors.len())
    })?;
    let mut messages = HashMap::new();
    for entry in resource.body {
        let message = match entry {
            Entry::Message(m) => m,
            Entry::Comment(_) | Entry::GroupComment(_) | Entry::ResourceComment(_) => continue,
            Entry::Term(t) => {
                return Err(format!(
                    "{lang}.ftl: -{}: Terme werden nicht verwendet",
                    t.id.name
                ));
            }
            Entry::Junk { content } => {
                return Err(format!("{lang}.ftl: unlesbar: {}", content.trim()));
            }
        };
        let key = message.id.name.to_owned();
        let Some(pattern) = message.value else {
            return Err(format!("{lang}.ftl: {key} hat keinen Text"));
        };
        if !message.attributes.is_empty() {
            return Err(format!(
                "{lang}.ftl: {key}: Attribute werden nicht verwendet"
            ));
        }
        let mut parts = vec![String::new()];
        for element in pattern.elements {
            match element {
                PatternElement::TextElement { value } => push_text(&mut parts, value),
                PatternElement::Placeable {
                    expression: Expression::Inline(InlineExpression::StringLiteral { value }),
                } => push_text(
                    &mut parts,
                    &fluent_syntax::unicode::unescape_unicode_to_string(value),
                ),
                PatternElement::Placeable {
                    expression: Expression::Inline(InlineExpression::VariableReference { id }),
                } => {
                    parts.push(id.name.to_owned());
                    parts.push(String::new());
                }
                PatternElement::Placeable { .. } => {
                    return Err(format!(
                        "{lang}.ftl: {key}: nur Text und {{ $Variablen }} sind erlaubt (Formen nach Zahl als eigene Schlüssel)"
                    ));
                }
            }
        }
        if messages.insert(key.clone(), Message(parts)).is_some() {
            return Err(format!("{lang}.ftl: {key} steht zweimal in der Datei"));
        }
    }
    Ok(Catalog {
        lang: lang.to_owned(),
        messages,
    })
}

fn push_text(parts: &mut [String], text: &str) {
    if let Some(last) = parts.last_mut() {
        last.push_str(text);
    }
}

struct Loaded {
    catalogs: HashMap<&'static str, Catalog>,
    /// Each language's messages for the browser, as a script under a name that changes with
    /// its content (so it is cached for good; see `script_path`).
    scripts: HashMap<&'static str, ClientScript>,
    problems: Vec<String>,
}

struct ClientScript {
    path: String,
    body: String,
}

/// The texts the islands draw in the browser (see `crate::has_islands`), by prefix: the
/// signing form (its labels, the error summary's messages, the pending button) and the
/// register overview. Everything else is drawn on the server only and not sent (27 KB of
/// the 32 KB gzip of all texts). An island that draws another text needs its prefix here;
/// without it the browser shows the key where the island redraws.
const BROWSER: &[&str] = &[
    "error-",
    "form-",
    "page-loading",
    "petition-sign",
    "petition-field-",
    "petition-privacy-link",
    "register-",
];

impl ClientScript {
    fn new(catalog: &Catalog) -> ClientScript {
        use sha2::Digest;
        let mut client = catalog.clone();
        client
            .messages
            .retain(|key, _| BROWSER.iter().any(|prefix| key.starts_with(prefix)));
        let json = serde_json::to_string(&client).unwrap_or_default();
        // A JavaScript string literal holding the JSON: the wasm parses it with serde.
        let literal = serde_json::to_string(&json).unwrap_or_default();
        let body = format!("self.{}={literal};\n", super::CATALOG_GLOBAL);
        let digest = sha2::Sha256::digest(body.as_bytes());
        let hash = hex::encode(&digest[..6]);
        ClientScript {
            path: format!("/i18n/{}-{hash}.js", catalog.lang),
            body,
        }
    }
}

static LOADED: LazyLock<Loaded> = LazyLock::new(|| {
    let mut loaded = Loaded {
        catalogs: HashMap::new(),
        scripts: HashMap::new(),
        problems: Vec::new(),
    };
    for lang in LANGUAGES {
        let Some((_, source)) = SOURCES.iter().find(|(code, _)| *code == lang.code) else {
            loaded
                .problems
                .push(format!("{}.ftl fehlt in SOURCES", lang.code));
            continue;
        };
        match parse(lang.code, source) {
            Ok(catalog) => {
                loaded
                    .scripts
                    .insert(lang.code, ClientScript::new(&catalog));
                loaded.catalogs.insert(lang.code, catalog);
            }
            Err(problem) => loaded.problems.push(problem),
        }
    }
    loaded
});

static EMPTY: LazyLock<Catalog> = LazyLock::new(Catalog::default);

/// Refuses to start a server whose translation files do not parse.
pub fn check() -> Result<(), String> {
    if LOADED.problems.is_empty() {
        Ok(())
    } else {
        Err(LOADED.problems.join("; "))
    }
}

pub fn catalog(lang: Lang) -> &'static Catalog {
    LOADED.catalogs.get(lang.code).unwrap_or(&EMPTY)
}

/// Where the browser loads the messages of `lang` from (`/i18n/<code>-<hash>.js`). The
/// hash changes with the texts, so the script is cached for a year and a new release is
/// fetched at once; a page carries only this link, not the texts.
pub fn script_path(lang: Lang) -> &'static str {
    LOADED
        .scripts
        .get(lang.code)
        .map_or("/i18n/missing.js", |s| s.path.as_str())
}

/// The text of `key` in `lang`, outside a page (emails, files).
pub fn text(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    catalog(lang).text(key, args)
}

/// The language of the request being answered (cookie, then `Accept-Language`).
pub fn request_lang() -> Lang {
    use_context::<http::request::Parts>()
        .map(|parts| lang_of(&parts.headers))
        .unwrap_or_else(Lang::default_lang)
}

pub fn lang_of(headers: &http::HeaderMap) -> Lang {
    negotiate(
        cookie(headers, COOKIE).as_deref(),
        headers
            .get(http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// The language of emails to an account: its choice, else the language of the request
/// being answered (German outside a request, e.g. the command line).
pub fn lang_for(account_language: Option<&str>) -> Lang {
    account_language
        .and_then(Lang::from_code)
        .unwrap_or_else(request_lang)
}

/// The language of emails to someone other than the person making the request (followers,
/// members): their choice, else the default language, never the requester's.
pub fn lang_of_recipient(account_language: Option<&str>) -> Lang {
    account_language
        .and_then(Lang::from_code)
        .unwrap_or_else(Lang::default_lang)
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/language", post(switch))
        .route("/i18n/{file}", get(messages_script))
}

/// `GET /i18n/<code>-<hash>.js`: the messages of one language for the browser. The current
/// hash is cached for good; an outdated one (a page from before a release) gets today's
/// texts, not cached, so the page still works.
async fn messages_script(Path(file): Path<String>) -> Response {
    let script = file
        .strip_suffix(".js")
        .and_then(|name| name.split_once('-'))
        .and_then(|(code, _)| Lang::from_code(code))
        .and_then(|lang| LOADED.scripts.get(lang.code));
    let Some(script) = script else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let cache = if script.path == format!("/i18n/{file}") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, cache),
        ],
        // Built once at start; each request sends the same bytes without copying them.
        script.body.as_str(),
    )
        .into_response()
}

#[derive(Deserialize)]
struct Switch {
    lang: String,
    #[serde(default)]
    next: String,
}

/// The header's language switch: remembers the choice in a cookie for a year and, for a
/// signed-in person, on the account (for emails); then back to the page.
async fn switch(
    State(state): State<AppState>,
    Extension(session): Extension<CurrentSession>,
    Form(form): Form<Switch>,
) -> Response {
    // A foreign or broken `next` leads to the start page, which every visitor may see.
    let next = match crate::accounts::safe_next(Some(&form.next)) {
        n if n == form.next => n,
        _ => "/".to_owned(),
    };
    let Some(lang) = Lang::from_code(&form.lang) else {
        return see_other(&next);
    };
    if let Some(user) = session.0 {
        let saved = user::Entity::update_many()
            .col_expr(
                user::Column::Language,
                sea_orm::sea_query::Expr::value(lang.code),
            )
            .filter(user::Column::Id.eq(user.id))
            .exec(&state.db)
            .await;
        if let Err(err) = saved {
            tracing::warn!(error = %err, "account language not saved");
        }
    }
    let mut response = see_other(&next);
    let secure = if state.config.cookie_secure() {
        "; Secure"
    } else {
        ""
    };
    if let Ok(value) = http::HeaderValue::from_str(&format!(
        "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
        lang.code
    )) {
        response
            .headers_mut()
            .append(http::header::SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The UI translates every code; a new variant without a text would show its key.
    #[test]
    fn every_code_has_a_message_in_every_language() {
        // Here, not in `error`: `error` importing this module would close a circle.
        use crate::error::AppError;
        let all = [
            AppError::Unauthenticated,
            AppError::Forbidden,
            AppError::NotFound,
            AppError::Validation { fields: vec![] },
            AppError::InvalidCredentials,
            AppError::EmailNotConfirmed,
            AppError::RateLimited,
            AppError::LinkInvalid,
            AppError::Blocked,
            AppError::TwoFactorRequired,
            AppError::Internal,
            AppError::Unavailable,
            AppError::Request {
                message: String::new(),
            },
        ];
        for lang in LANGUAGES {
            for error in &all {
                let key = format!("error-{}", error.code().replace('_', "-"));
                assert!(
                    catalog(*lang).messages.contains_key(&key),
                    "{}.ftl lacks {key}",
                    lang.code
                );
            }
        }
        // Outside a request the message is German.
        assert_eq!(
            AppError::Forbidden.message(),
            "Dafür fehlen Ihnen die Berechtigungen."
        );
    }

    #[test]
    fn every_folder_is_a_language_and_every_language_has_a_folder() {
        let folders: Vec<&str> = SOURCES.iter().map(|(code, _)| *code).collect();
        let languages: Vec<&str> = LANGUAGES.iter().map(|l| l.code).collect();
        for code in &folders {
            assert!(
                languages.contains(code),
                "app/locales/{code} has no line in LANGUAGES"
            );
        }
        for code in &languages {
            assert!(
                folders.contains(code),
                "LANGUAGES has {code}, app/locales has no folder"
            );
        }
    }

    #[test]
    fn every_language_parses() {
        for (code, source) in SOURCES {
            if let Err(problem) = parse(code, source) {
                panic!("{problem}");
            }
        }
        assert_eq!(check(), Ok(()));
    }

    #[test]
    fn every_language_has_every_key_with_the_same_variables() {
        let german = catalog(Lang::default_lang());
        assert!(german.messages.len() > 50, "the German file is loaded");
        for lang in LANGUAGES {
            let other = catalog(*lang);
            let mut missing: Vec<&String> = german
                .messages
                .keys()
                .filter(|k| !other.messages.contains_key(*k))
                .collect();
            missing.sort();
            assert!(missing.is_empty(), "{}.ftl lacks {missing:?}", lang.code);
            let mut extra: Vec<&String> = other
                .messages
                .keys()
                .filter(|k| !german.messages.contains_key(*k))
                .collect();
            extra.sort();
            assert!(
                extra.is_empty(),
                "{}.ftl has keys German lacks: {extra:?}",
                lang.code
            );
            for (key, message) in &german.messages {
                let mut want: Vec<&str> = message.variables().collect();
                let mut got: Vec<&str> = other.messages[key].variables().collect();
                want.sort_unstable();
                want.dedup();
                got.sort_unstable();
                got.dedup();
                assert_eq!(got, want, "{}.ftl: {key} uses other variables", lang.code);
            }
        }
    }

    /// Every `t("…")` and `t_args("…", …)` in the code names a key of the German file (and,
    /// by the test above, of every file).
    #[test]
    fn every_key_the_code_uses_exists() {
        let german = catalog(Lang::default_lang());
        let mut missing = Vec::new();
        let mut files = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        let mut used = 0;
        while let Some(path) = files.pop() {
            if path.is_dir() {
                for entry in std::fs::read_dir(&path).into_iter().flatten().flatten() {
                    files.push(entry.path());
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap_or_default();
            for call in ["t(", "t_args("] {
                for (at, _) in source.match_indices(call) {
                    // `t(` must be the whole name (not `alert(` or `start(`).
                    let before = source[..at].chars().next_back();
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                        continue;
                    }
                    // The key may stand on the next line (rustfmt breaks long calls).
                    let Some(rest) = source[at + call.len()..].trim_start().strip_prefix('"')
                    else {
                        continue;
                    };
                    let Some(end) = rest.find('"') else { continue };
                    let key = &rest[..end];
                    // Only what looks like a key (other functions named `t` exist in tests).
                    let is_key = key.contains('-')
                        && key
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                    if !is_key {
                        continue;
                    }
                    used += 1;
                    if !german.messages.contains_key(key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(used > 50, "the scan finds the calls ({used})");
        assert!(missing.is_empty(), "keys missing in de.ftl: {missing:#?}");
    }

    /// Keys the code builds from codes (notices, errors) are checked here, not by the scan.
    #[test]
    fn every_notice_has_a_text() {
        for lang in LANGUAGES {
            for code in crate::components::NOTICES {
                let key = format!("notice-{}", code.replace('_', "-"));
                assert!(
                    catalog(*lang).messages.contains_key(&key),
                    "{}.ftl lacks {key}",
                    lang.code
                );
            }
        }
    }

    #[test]
    fn the_parser_takes_text_variables_and_multiline_and_refuses_the_rest() {
        let c = parse(
            "de",
            "# comment\nhello = Hallo { $name }!\nlong =\n    Erste Zeile\n    zweite Zeile\nbrace = {\"{\"} wörtlich\n",
        )
        .unwrap_or_default();
        assert_eq!(c.text("hello", &[("name", "Anna")]), "Hallo Anna!");
        assert_eq!(c.text("long", &[]), "Erste Zeile\nzweite Zeile");
        assert_eq!(c.text("brace", &[]), "{ wörtlich");
        assert!(parse("de", "a = x\na = y\n").is_err(), "a key twice");
        assert!(
            parse("de", "n = { $n ->\n [one] eins\n *[other] viele\n}\n").is_err(),
            "selectors are refused"
        );
        assert!(parse("de", "x = { -term }\n").is_err());
        assert!(parse("de", "broken\n").is_err());
    }

    #[test]
    fn the_page_json_cannot_end_its_script_element() {
        let c = parse("de", "x = </script><script>alert(1)\n").unwrap_or_default();
        let json = serde_json::to_string(&c)
            .unwrap_or_default()
            .replace("</", "<\\/");
        assert!(!json.contains("</"));
        let back: Catalog = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back.text("x", &[]), "</script><script>alert(1)");
    }
}
