//! A form posted without JavaScript that fails comes back filled in.
//!
//! Without JavaScript a form posts to its server function, and Leptos redirects back to the
//! page with the error in the address (`__path`, `__err`); the page shows the error at the
//! field, but the browser loads the page anew, so everything typed would be gone. Pages
//! render on the server and only islands run in the browser (docs/first-load.md), so this
//! is the path of most forms, with or without JavaScript. `form_guard` therefore adds what
//! was typed to that redirect as `__input`: sealed (ChaCha20-Poly1305 under a sub-key of
//! the site's secret), because the address lands in the browser's history and in proxy
//! logs, and what is typed may be a name, a birth date or an address. The seal is bound to
//! the form's server function and to a random value in a short-lived cookie set with the
//! redirect (`BROWSER_COOKIE`): only the browser that typed it can open it, so an address
//! copied from a log or a shared computer's history shows nothing, and nobody can send
//! someone else a link that fills their form. The page unseals it and the form's fields
//! show it again (`components::fields`).
//!
//! Never returned: passwords and codes (they must be typed again), and what does not fit
//! into an address (the longest values are dropped first; a reverse proxy's request line
//! must stay under its limit, nginx's default is 8 KB). Emptied fields come back empty.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};

use axum::http::{HeaderValue, header};
use axum::response::Response;

use super::keys::{Purpose, subkey};
use super::state::AppConfig;

/// The query parameter that carries the sealed input.
pub const PARAM: &str = "__input";

/// Older input is not shown again (a bookmarked or shared address holds no one's input).
const MAX_AGE_SECS: u64 = 15 * 60;

/// The most the sealed input may take in the address (base64 characters).
const MAX_SEALED_CHARS: usize = 6_000;

/// The cookie holding the random value a seal is bound to (`HttpOnly`, as long as a seal
/// lasts).
pub const BROWSER_COOKIE: &str = "dorfplatz_form";

/// Fields never returned: their values must be typed again.
fn is_secret(name: &str) -> bool {
    name.contains("password")
        || name.contains("token")
        || name.contains("secret")
        || matches!(name, "code" | "recovery_code" | "t")
}

/// What the seal is bound to: the form's server function and the browser's cookie value.
fn bound_to(form_path: &str, browser: &str) -> Vec<u8> {
    format!("{form_path}\n{browser}").into_bytes()
}

/// A fresh random value for [`BROWSER_COOKIE`].
pub fn new_browser_value() -> Option<String> {
    let mut bytes = [0u8; 16];
    SystemRandom::new().fill(&mut bytes).ok()?;
    Some(URL_SAFE_NO_PAD.encode(bytes))
}

/// What the redirect back carries: the form's fields, sealed, or `None` when nothing is
/// worth returning. `form_path` (the server function's path, Leptos' `__path`) and the
/// browser's cookie value are bound to the seal, so the input shows only in the form it
/// came from, in the browser it came from.
pub fn seal(
    secret: &[u8],
    form_path: &str,
    browser: &str,
    body: &[u8],
    now: u64,
) -> Option<String> {
    let mut fields: Vec<(String, String)> = url::form_urlencoded::parse(body)
        .filter(|(name, _)| !is_secret(name))
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    loop {
        if fields.is_empty() {
            return None;
        }
        let sealed = seal_fields(secret, &bound_to(form_path, browser), &fields, now)?;
        if sealed.len() <= MAX_SEALED_CHARS {
            return Some(sealed);
        }
        // Drop the longest value and try again: the short fields are the many.
        let longest = fields
            .iter()
            .enumerate()
            .max_by_key(|(_, (_, v))| v.len())
            .map(|(i, _)| i)?;
        fields.remove(longest);
    }
}

fn seal_fields(
    secret: &[u8],
    bound: &[u8],
    fields: &[(String, String)],
    now: u64,
) -> Option<String> {
    let mut data = now.to_be_bytes().to_vec();
    data.extend(serde_json::to_vec(fields).ok()?);
    let mut nonce = [0u8; NONCE_LEN];
    SystemRandom::new().fill(&mut nonce).ok()?;
    key(secret)?
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(bound),
            &mut data,
        )
        .ok()?;
    let mut out = nonce.to_vec();
    out.extend(data);
    Some(URL_SAFE_NO_PAD.encode(out))
}

/// The fields sealed by [`seal`] for `form_path` in this browser, if the seal is intact and
/// not too old.
pub fn unseal(
    secret: &[u8],
    form_path: &str,
    browser: &str,
    sealed: &str,
    now: u64,
) -> Option<Vec<(String, String)>> {
    let raw = URL_SAFE_NO_PAD.decode(sealed).ok()?;
    if raw.len() < NONCE_LEN {
        return None;
    }
    let (nonce, rest) = raw.split_at(NONCE_LEN);
    let mut data = rest.to_vec();
    let plain = key(secret)?
        .open_in_place(
            Nonce::try_assume_unique_for_key(nonce).ok()?,
            Aad::from(bound_to(form_path, browser).as_slice()),
            &mut data,
        )
        .ok()?;
    let (stamp, json) = plain.split_at_checked(8)?;
    let sealed_at = u64::from_be_bytes(stamp.try_into().ok()?);
    if now.saturating_sub(sealed_at) > MAX_AGE_SECS || sealed_at > now + 60 {
        return None;
    }
    serde_json::from_slice(json).ok()
}

fn key(secret: &[u8]) -> Option<LessSafeKey> {
    let bytes = subkey(secret, Purpose::FormReturn);
    // A 32-byte key is what ChaCha20-Poly1305 takes, so this does not fail.
    UnboundKey::new(&CHACHA20_POLY1305, &bytes)
        .ok()
        .map(LessSafeKey::new)
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// `location` (the redirect back, carrying `__path` and `__err`) with the sealed input
/// added for the browser holding `browser` in its cookie. Leptos appends `__path` and
/// `__err` to the page's address, so a second failure would carry the first one's too:
/// only the last pair is kept (the one the router reads), and the input of an earlier
/// attempt is replaced. `None` leaves the redirect as it is.
pub fn add_to_redirect(
    secret: &[u8],
    location: &str,
    browser: &str,
    body: &[u8],
) -> Option<String> {
    let mut url = url::Url::parse(location).ok()?;
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let last = |name: &str| {
        pairs
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let (path, err) = (last("__path")?, last("__err")?);
    let sealed = seal(secret, &path, browser, body, now());
    let mut query = url.query_pairs_mut();
    query.clear();
    for (k, v) in pairs
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "__path" | "__err" | PARAM))
    {
        query.append_pair(k, v);
    }
    query.append_pair("__path", &path);
    query.append_pair("__err", &err);
    if let Some(sealed) = &sealed {
        query.append_pair(PARAM, sealed);
    }
    drop(query);
    Some(url.to_string())
}

/// After a plain form post: if the answer is Leptos' redirect back with an error, adds what
/// was typed to it and sets the cookie the seal is bound to (the browser's own value, or a
/// new one). Any other answer stays as it is.
pub fn fill_in_redirect(
    res: &mut Response,
    config: &AppConfig,
    body: &[u8],
    browser: Option<String>,
) {
    let Some(location) = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .filter(|l| res.status().is_redirection() && l.contains("__err="))
    else {
        return;
    };
    // Only a value this module made is used again (base64url, 16 bytes).
    let Some(browser) = browser
        .filter(|v| {
            v.len() <= 64
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .or_else(new_browser_value)
    else {
        return;
    };
    let Some(with_input) = add_to_redirect(config.secret(), location, &browser, body) else {
        return;
    };
    if let (Ok(location), Ok(cookie)) = (
        HeaderValue::from_str(&with_input),
        HeaderValue::from_str(&config.cookie(BROWSER_COOKIE, &browser, MAX_AGE_SECS as i64)),
    ) {
        res.headers_mut().insert(header::LOCATION, location);
        res.headers_mut().append(header::SET_COOKIE, cookie);
    }
}

/// What this page's address returns to its failed form, unsealed once per request (the
/// shell provides it as context; fields read it with [`returned`]).
#[derive(Clone, Debug, Default)]
pub struct Returned(std::sync::Arc<Vec<(String, String)>>);

impl Returned {
    /// From the request being rendered: nothing unless its address carries `__input` and
    /// the browser sent the cookie the seal is bound to (`browser`, read by the caller:
    /// `infra::http` guards the form posts with this module, so it does not call back).
    pub fn from_request(parts: &http::request::Parts, browser: Option<String>) -> Self {
        // Most pages carry no returned input: they need no parsing at all.
        let Some(query) = parts.uri.query().filter(|q| q.contains(PARAM)) else {
            return Self::default();
        };
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        // The last `__path` is the one Leptos' router reads (see `add_to_redirect`).
        let find = |name: &str| pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v);
        let (Some(path), Some(sealed)) = (find("__path"), find(PARAM)) else {
            return Self::default();
        };
        let Some(browser) = browser else {
            return Self::default();
        };
        let Ok(state) = super::state::app_state() else {
            return Self::default();
        };
        let fields =
            unseal(state.config.secret(), path, &browser, sealed, now()).unwrap_or_default();
        Self(std::sync::Arc::new(fields))
    }
}

/// The value typed into field `name` of the form that came back, if any.
pub fn returned(name: &str) -> Option<String> {
    let returned = leptos::prelude::use_context::<Returned>()?;
    returned
        .0
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

/// Whether the form that came back had anything returned at all (a checkbox left empty is
/// then unticked, although it is missing from the input).
pub fn has_returned() -> bool {
    leptos::prelude::use_context::<Returned>().is_some_and(|r| !r.0.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"a secret key of the site, 32+ bytes long";
    const PATH: &str = "/api/sign_petition";
    const BROWSER: &str = "cookie-of-this-browser";

    fn fields(sealed: &str, path: &str, now: u64) -> Option<Vec<(String, String)>> {
        unseal(SECRET, path, BROWSER, sealed, now)
    }

    fn pair(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn what_was_typed_comes_back_without_secrets_and_emptied_fields_stay_empty() {
        let body = b"family_name=M%C3%BCller&given_names=Anna&birth_date=&password=geheim123&current_password=x&code=123456&t=tok&reset_token=r&notify=on";
        let sealed = seal(SECRET, PATH, BROWSER, body, 1_000).unwrap();
        assert_eq!(
            fields(&sealed, PATH, 1_010).unwrap(),
            vec![
                pair("family_name", "Müller"),
                pair("given_names", "Anna"),
                pair("birth_date", ""),
                pair("notify", "on"),
            ]
        );
        // Nothing of it is readable in the address.
        assert!(!sealed.contains("Anna"));
        assert!(
            !String::from_utf8_lossy(&URL_SAFE_NO_PAD.decode(&sealed).unwrap()).contains("Anna")
        );
    }

    #[test]
    fn input_shows_only_in_its_form_in_its_browser_for_a_while_and_only_unaltered() {
        let sealed = seal(SECRET, PATH, BROWSER, b"title=Hallo", 1_000).unwrap();
        assert!(fields(&sealed, "/api/create_proposal", 1_000).is_none());
        assert!(unseal(SECRET, PATH, "another-browser", &sealed, 1_000).is_none());
        assert!(fields(&sealed, PATH, 1_000 + MAX_AGE_SECS).is_some());
        assert!(fields(&sealed, PATH, 1_001 + MAX_AGE_SECS).is_none());
        assert!(
            unseal(
                b"another site's secret key, 32+ bytes",
                PATH,
                BROWSER,
                &sealed,
                1_000
            )
            .is_none()
        );
        let mut raw = URL_SAFE_NO_PAD.decode(&sealed).unwrap();
        let last = raw.len() - 1;
        raw[last] ^= 1;
        assert!(fields(&URL_SAFE_NO_PAD.encode(raw), PATH, 1_000).is_none());
        assert!(fields("kaputt", PATH, 1_000).is_none());
    }

    #[test]
    fn nothing_worth_returning_adds_nothing() {
        assert_eq!(seal(SECRET, PATH, BROWSER, b"password=x&code=1", 1), None);
    }

    #[test]
    fn the_longest_values_give_way_when_the_address_would_grow_too_long() {
        let long = "ä".repeat(4_000);
        let body = format!(
            "title=Kurz&body={}",
            url::form_urlencoded::byte_serialize(long.as_bytes()).collect::<String>()
        );
        let sealed = seal(SECRET, PATH, BROWSER, body.as_bytes(), 1).unwrap();
        assert!(sealed.len() <= MAX_SEALED_CHARS);
        assert_eq!(
            fields(&sealed, PATH, 1).unwrap(),
            vec![pair("title", "Kurz")]
        );
        // A body that fits is kept.
        let fits = format!("title=Kurz&body={}", "a".repeat(3_000));
        let sealed = seal(SECRET, PATH, BROWSER, fits.as_bytes(), 1).unwrap();
        assert_eq!(fields(&sealed, PATH, 1).unwrap().len(), 2);
    }

    #[test]
    fn the_redirect_keeps_the_last_error_and_one_input() {
        // A second failure: Leptos appended its pair to the first one's.
        let location = "http://127.0.0.1:3000/proposals/new?x=1&__path=%2Fapi%2Fold&__err=first&__input=old&__path=%2Fapi%2Fp&__err=second";
        let out = add_to_redirect(SECRET, location, BROWSER, b"title=Neu").unwrap();
        let url = url::Url::parse(&out).unwrap();
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let sealed = pairs.iter().find(|(k, _)| k == PARAM).unwrap().1.clone();
        assert_eq!(
            pairs,
            vec![
                pair("x", "1"),
                pair("__path", "/api/p"),
                pair("__err", "second"),
                pair(PARAM, &sealed),
            ]
        );
        assert_eq!(
            fields(&sealed, "/api/p", now()).unwrap(),
            vec![pair("title", "Neu")]
        );
        // An address without the server function's path is left alone.
        assert_eq!(
            add_to_redirect(SECRET, "http://h/p?__err=abc", BROWSER, b"t=1"),
            None
        );
    }
}
