//! Helpers around the HTTP request for server functions and middleware: the caller's
//! address, cookies, status codes, and the layers every response passes through.

use std::net::{IpAddr, SocketAddr};

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::request::Parts;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use crate::error::AppError;
use crate::infra::state::{AppConfig, AppState};

/// The request's head, as leptos_axum provides it to server functions and SSR.
pub fn parts() -> Result<Parts, AppError> {
    use_context::<Parts>().ok_or_else(|| {
        // Seen when a client hangs up mid-render (at the end of a wrk run): the request's owner is
        // already gone and the answer goes nowhere, so this is not worth an error line.
        tracing::debug!("request parts missing from the reactive context");
        AppError::Internal
    })
}

/// The client's address: the socket peer, or the last `X-Forwarded-For` hop when the
/// operator says a reverse proxy sets it (the last hop is the one the proxy appended).
pub fn client_ip(parts: &Parts, config: &AppConfig) -> IpAddr {
    if config.trust_forwarded_for
        && let Some(ip) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok())
    {
        return ip;
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]))
}

/// Who is asking, as far as sessions and limits need to know: the address and the
/// browser's own name for itself (shortened).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub ip: IpAddr,
    pub user_agent: Option<String>,
}

impl Client {
    pub fn of(parts: &Parts, config: &AppConfig) -> Self {
        Self {
            ip: client_ip(parts, config),
            user_agent: parts
                .headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.chars().filter(|c| !c.is_control()).take(200).collect()),
        }
    }

    /// The client of the current server-function call.
    pub fn now(config: &AppConfig) -> Result<Self, AppError> {
        Ok(Self::of(&parts()?, config))
    }

    /// The network the client is in, never the full address: IPv4 /24, IPv6 /48 (enough to
    /// tell "at home" from "somewhere else" on the account page).
    pub fn network(&self) -> String {
        match self.ip {
            IpAddr::V4(v4) => {
                let o = v4.octets();
                format!("{}.{}.{}.0/24", o[0], o[1], o[2])
            }
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Client {
                    ip: IpAddr::V4(v4),
                    user_agent: None,
                }
                .network(),
                None => {
                    let s = v6.segments();
                    format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
                }
            },
        }
    }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// Whether the request is a plain HTML form post (no JavaScript): then leptos redirects back
/// with the error in the URL, and a 4xx status would stop the browser from following.
fn is_form_post(parts: &Parts) -> bool {
    parts
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// Ends a server function: on error, API callers get the error's HTTP status.
pub fn finish<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result
        && let (Some(parts), Some(res)) = (use_context::<Parts>(), use_context::<ResponseOptions>())
        && !is_form_post(&parts)
    {
        res.set_status(StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST));
    }
    result
}

/// Sends a form post back to `path` with a notice for the page to show (`?notice=…`, or
/// `&notice=…` when the path has a query already) and an optional `#anchor`; a fragment in
/// `path` gives way to `anchor`.
pub fn redirect_with_notice(path: &str, notice: &str, anchor: &str) {
    let (path, _) = path.split_once('#').unwrap_or((path, ""));
    let sep = if path.contains('?') { '&' } else { '?' };
    leptos_axum::redirect(&format!("{path}{sep}notice={notice}{anchor}"));
}

pub fn add_response_header(name: header::HeaderName, value: &str) {
    if let (Some(res), Ok(value)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(value),
    ) {
        res.append_header(name, value);
    }
}

/// Security headers on every response. Pages rendered by Leptos set their own CSP with a
/// per-response nonce (see `shell`); everything else gets a strict default. Pages and API
/// answers are never stored by a browser or proxy cache (they may show a signer's data or a
/// staff view; a route that may be cached says so itself), and over https the browser is
/// told to come back over https only.
pub async fn security_headers(
    State(state): State<AppState>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let dynamic = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html") || t.starts_with("application/json"));
    if dynamic && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.config.public_url.scheme() == "https" {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; img-src 'self'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            ),
        );
    }
    res
}

/// Staff downloads of personal data (signature lists, register reports, the audit trail) are
/// served only to requests from this site itself: a link or image on another site must not
/// make a signed-in browser fetch them, nor record an export in the audit trail. Browsers
/// say where a request comes from in `Sec-Fetch-Site`; a typed address or bookmark says
/// `none`, and clients without the header (curl, old browsers) are let through.
pub async fn same_site_only(req: Request<Body>, next: Next) -> Response {
    let from_elsewhere = req
        .headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "cross-site" || v == "same-site");
    if from_elsewhere {
        tracing::warn!(path = %req.uri().path(), "download requested from another site refused");
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Dieser Download ist nur von dieser Website aus möglich. Bitte öffnen Sie ihn über die Seite der Verwaltung.",
        )
            .into_response();
    }
    next.run(req).await
}

/// The largest form a server function takes (a proposal or a petition's texts are far
/// smaller; files go to their own upload routes).
pub const MAX_FORM_BYTES: usize = 1024 * 1024;

/// Guards every server function's form body before any function reads it: at most
/// `MAX_FORM_BYTES`, valid UTF-8 after percent-decoding, and no control characters other
/// than tab and line breaks (no text a person types has them; they hide text in logs,
/// exports and terminals). One clear German refusal instead of each parser's own.
///
/// A plain form post (no JavaScript) that fails is redirected back with the error; the
/// guard adds what was typed, sealed, so the form comes back filled in (`form_return`).
pub async fn form_guard(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    let is_form = req.uri().path().starts_with("/api/")
        && req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return next.run(req).await;
    }
    let html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let (parts, body) = req.into_parts();
    let Some(bytes) = read_up_to(body, MAX_FORM_BYTES).await else {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Die Eingaben sind zu lang. Bitte kürzen Sie den Text und senden Sie das Formular erneut.",
            html,
        );
    };
    if let Err(problem) = check_form(&bytes) {
        tracing::info!(path = %parts.uri.path(), problem, "form refused");
        return refuse(
            StatusCode::BAD_REQUEST,
            "Die Eingaben enthalten unzulässige Zeichen (Steuerzeichen oder eine kaputte Zeichenkodierung). Bitte geben Sie den Text neu ein.",
            html,
        );
    }
    // Kept for a redirect back with an error (see `form_return`); `Bytes` clones cheaply.
    let bytes = axum::body::Bytes::from(bytes);
    let typed = html.then(|| {
        let browser = cookie(&parts.headers, super::form_return::BROWSER_COOKIE);
        (bytes.clone(), browser)
    });
    let mut res = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if let Some((body, browser)) = typed {
        super::form_return::fill_in_redirect(&mut res, &state.config, &body, browser);
    }
    res
}

/// Beyond this a body is not even read to its end (the connection is closed instead).
pub const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

/// The body if it has at most `limit` bytes. A longer one is read on to its end and dropped
/// (up to `DRAIN_LIMIT`), so the sender gets the refusal instead of a reset connection.
pub async fn read_up_to(body: Body, limit: usize) -> Option<Vec<u8>> {
    use futures::StreamExt;
    let mut stream = body.into_data_stream();
    let mut kept = Vec::new();
    let mut total = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.ok()?;
        total += chunk.len();
        if total <= limit {
            kept.extend_from_slice(&chunk);
        } else if total > DRAIN_LIMIT {
            return None;
        }
    }
    (total <= limit).then_some(kept)
}

fn refuse(status: StatusCode, message: &str, html: bool) -> Response {
    if html {
        return (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            message.to_owned(),
        )
            .into_response();
    }
    crate::infra::responses::server_fn_error(
        status,
        &AppError::Request {
            message: message.to_owned(),
        },
    )
}

/// Decodes an `application/x-www-form-urlencoded` body and names what is wrong with it.
fn check_form(body: &[u8]) -> Result<(), &'static str> {
    let mut decoded = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            b'+' => decoded.push(b' '),
            b'%' => {
                let hex = body.get(i + 1..i + 3).ok_or("broken percent-encoding")?;
                let hex = std::str::from_utf8(hex).map_err(|_| "broken percent-encoding")?;
                decoded.push(u8::from_str_radix(hex, 16).map_err(|_| "broken percent-encoding")?);
                i += 2;
            }
            b => decoded.push(b),
        }
        i += 1;
    }
    let text = std::str::from_utf8(&decoded).map_err(|_| "invalid UTF-8")?;
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err("control character");
    }
    Ok(())
}

/// Arguments a server function could not even read (too large a body, broken encoding,
/// a number that is none) are the caller's fault: the server-function layer answers them
/// with 500, this turns them into 400 (413 for a body over the limit), with the JSON
/// error as it was, so the browser shows the German message of `AppError::Request`.
pub async fn client_errors(req: Request<Body>, next: Next) -> Response {
    let res = next.run(req).await;
    let json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json"));
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR || !json {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Ok(AppError::Request { message }) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = if message.contains("length limit") {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::BAD_REQUEST
        };
        tracing::info!(%message, "server function arguments refused");
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The one route exempt from the origin check (see there).
pub const ONE_CLICK_UNSUBSCRIBE: &str = "/unsubscribe/one-click";

/// Cross-site request forgery guard for every state-changing request: the browser's `Origin`
/// (or, failing that, `Referer`) must be this site. SameSite=Lax cookies are the first line;
/// this one also covers old browsers and same-site subdomains.
pub async fn origin_check(
    State(state): State<AppState>,
    req: Request<Body>,
    next: Next,
) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    // Mail providers POST the RFC 8058 one-click unsubscribe from their own servers. It
    // carries its own signed token and no cookie counts there, so there is nothing to forge.
    if req.uri().path() == ONE_CLICK_UNSUBSCRIBE {
        return next.run(req).await;
    }
    if same_origin(req.headers(), &state.config) {
        next.run(req).await
    } else {
        tracing::warn!(path = %req.uri().path(), "cross-origin or origin-less request refused");
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Anfrage abgelehnt: Sie kam nicht von dieser Website (Origin fehlt oder ist fremd). Bitte laden Sie die Seite neu und senden Sie das Formular erneut.",
        )
            .into_response()
    }
}

/// Accepts the configured public origin and the origin of the `Host` the request came to
/// (so `localhost` and `127.0.0.1` both work locally).
pub fn same_origin(headers: &HeaderMap, config: &AppConfig) -> bool {
    let claimed = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|v| *v != "null")
        .map(str::to_owned)
        .or_else(|| {
            headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(|r| url::Url::parse(r).ok())
                .map(|u| u.origin().ascii_serialization())
        });
    let Some(claimed) = claimed else {
        return false;
    };
    if claimed == config.origin() {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (url::Url::parse(&claimed), host) {
        (Ok(u), Some(host)) => {
            let authority = match u.port() {
                Some(p) => format!("{}:{p}", u.host_str().unwrap_or_default()),
                None => u.host_str().unwrap_or_default().to_owned(),
            };
            authority.eq_ignore_ascii_case(host)
        }
        _ => false,
    }
}

/// The public machine endpoints: OParl, the calendars, the tally JSON, the proposals feed.
/// Polled by programs, answered without a session; `public_read_limit` counts them.
pub fn is_public_read(path: &str) -> bool {
    path.starts_with("/oparl/")
        || path == "/sessions.ics"
        || path == "/proposals/feed.atom"
        || (path.starts_with("/sessions/") && path.ends_with(".ics"))
        || (path.starts_with("/petitions/") && path.ends_with("/tally.json"))
}

/// `429 Too Many Requests` with `Retry-After` once an address has used its share of the
/// public read endpoints (`RateLimits::public_reads`); pages and forms have limits of their
/// own where they write.
pub async fn public_read_limit(
    State(state): State<AppState>,
    req: Request<Body>,
    next: Next,
) -> Response {
    if !is_public_read(req.uri().path()) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let ip = client_ip(&parts, &state.config);
    if let Err(wait) = state.limits.public_reads().check(ip) {
        let mut r = crate::infra::responses::error(AppError::RateLimited);
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return r;
    }
    next.run(Request::from_parts(parts, body)).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_public_reads_are_the_machine_endpoints() {
        for path in [
            "/oparl/v1.1/body/1/meetings",
            "/sessions.ics",
            "/sessions/12.ics",
            "/proposals/feed.atom",
            "/petitions/mvz-kalletal/tally.json",
        ] {
            assert!(super::is_public_read(path), "{path}");
        }
        for path in [
            "/",
            "/sessions",
            "/sessions/12",
            "/petitions/mvz-kalletal",
            "/api/sign_petition",
            "/petitions/mvz-kalletal/report.csv",
        ] {
            assert!(!super::is_public_read(path), "{path}");
        }
    }

    use super::*;
    use secrecy::SecretSlice;

    fn config() -> AppConfig {
        AppConfig {
            public_url: url::Url::parse("https://beteiligung.kalletal.de").unwrap(),
            secret_key: SecretSlice::from(vec![1u8; 32]),
            mail_from: "Dorfplatz <noreply@kalletal.de>".into(),
            trust_forwarded_for: false,
            files_dir: std::path::PathBuf::from("/nonexistent"),
            staging_dir: std::path::PathBuf::from("/nonexistent"),
            signature_retention_days: 180,
        }
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn origin_rules() {
        let c = config();
        assert!(same_origin(
            &headers(&[("origin", "https://beteiligung.kalletal.de")]),
            &c
        ));
        assert!(same_origin(
            &headers(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ]),
            &c
        ));
        assert!(same_origin(
            &headers(&[
                ("referer", "https://beteiligung.kalletal.de/login"),
                ("host", "x")
            ]),
            &c
        ));
        assert!(!same_origin(
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "beteiligung.kalletal.de")
            ]),
            &c
        ));
        assert!(!same_origin(
            &headers(&[("host", "beteiligung.kalletal.de")]),
            &c
        ));
        assert!(!same_origin(
            &headers(&[("origin", "null"), ("host", "beteiligung.kalletal.de")]),
            &c
        ));
        assert!(!same_origin(
            &headers(&[
                ("origin", "http://127.0.0.1:3001"),
                ("host", "127.0.0.1:3000")
            ]),
            &c
        ));
    }

    #[test]
    fn forms_with_control_characters_or_broken_encoding_are_refused() {
        assert_eq!(
            check_form(b"name=Anna+M%C3%BCller&text=Zeile%0D%0A2%09x"),
            Ok(())
        );
        assert_eq!(check_form(b""), Ok(()));
        for (body, problem) in [
            (&b"name=Anna%00"[..], "control character"),
            (b"name=%1B%5B31m", "control character"),
            (b"name=%7F", "control character"),
            (b"name=%C2%85", "control character"),
            (b"name=%FF%FE", "invalid UTF-8"),
            (b"name=%C3%28", "invalid UTF-8"),
            (b"name=%G1", "broken percent-encoding"),
            (b"name=%4", "broken percent-encoding"),
        ] {
            assert_eq!(check_form(body), Err(problem), "{body:?}");
        }
    }

    #[test]
    fn sessions_show_the_network_only() {
        let client = |ip: &str| Client {
            ip: ip.parse().unwrap(),
            user_agent: None,
        };
        assert_eq!(client("192.0.2.77").network(), "192.0.2.0/24");
        assert_eq!(client("::ffff:192.0.2.77").network(), "192.0.2.0/24");
        assert_eq!(client("2001:db8:aa:bb:cc::1").network(), "2001:db8:aa::/48");
    }

    #[test]
    fn cookies_are_found_by_name() {
        let h = headers(&[("cookie", "a=1; dorfplatz_session=abc; b=2")]);
        assert_eq!(cookie(&h, "dorfplatz_session").as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
    }
}
