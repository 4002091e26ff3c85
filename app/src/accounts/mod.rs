//! Accounts: registration, confirmation, login, password reset, the account page.

pub mod api;
pub mod domain;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod two_factor;

use serde::{Deserialize, Serialize};

use domain::Role;

/// The signed-in user as the browser sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: i64,
    pub display_name: String,
    pub email: String,
    pub roles: Vec<Role>,
    /// The second factor is switched on.
    pub two_factor: bool,
}

impl Me {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Council staff; administrators may do everything staff may.
    pub fn is_staff(&self) -> bool {
        self.has_role(Role::Staff) || self.has_role(Role::Admin)
    }
}

/// One signed-in browser of the account, as the account page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub id: i64,
    /// "Firefox unter Windows", from the browser's own description.
    pub browser: String,
    /// The network prefix the session started from (never the full address).
    pub network: String,
    pub signed_in_at: chrono::DateTime<chrono::Utc>,
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
    /// The session of the browser looking at the page.
    pub current: bool,
}

/// A short name (in the page's language) for a browser from its `User-Agent`: the browser family and the
/// system, enough for a person to recognise their own devices.
pub fn describe_browser(user_agent: &str) -> String {
    let ua = user_agent;
    let browser = if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("OPR/") || ua.contains("Opera") {
        "Opera"
    } else if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else {
        ""
    };
    let system = if ua.contains("Android") {
        "Android"
    } else if ua.contains("iPhone") || ua.contains("iPad") {
        "iOS"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        "macOS"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        ""
    };
    use crate::i18n::{t, t_args};
    match (browser, system) {
        ("", "") => t("account-browser-unknown"),
        ("", s) => t_args("account-browser-on-system", &[("system", s)]),
        (b, "") => b.to_owned(),
        (b, s) => t_args(
            "account-browser-and-system",
            &[("browser", b), ("system", s)],
        ),
    }
}

/// Only local paths are followed after login: no open redirect to another site.
#[cfg(feature = "ssr")]
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if is_local_path(n) => n.to_owned(),
        _ => "/account".to_owned(),
    }
}

/// A path on this site and nothing else: resolved against this site's origin (with `url`,
/// as a browser would), it stays on it. Refused first: backslashes (browsers read them as
/// slashes), whitespace and control characters (browsers drop tabs and line breaks from a
/// URL, so "/\t/evil.example" would become "//evil.example", another site).
#[cfg(feature = "ssr")]
fn is_local_path(n: &str) -> bool {
    if !n.starts_with('/')
        || n.len() > 2000
        || n.chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
    {
        return false;
    }
    let Ok(base) = url::Url::parse("https://dorfplatz.invalid/") else {
        return false;
    };
    base.join(n).is_ok_and(|u| u.origin() == base.origin())
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::{describe_browser, safe_next};

    #[test]
    fn browsers_are_named_as_people_know_them() {
        for (ua, name) in [
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
                "Firefox unter Windows",
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
                "Chrome unter Linux",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
                "Safari unter iOS",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
                "Edge unter Windows",
            ),
            ("curl/8.5.0", "Unbekannter Browser"),
            ("", "Unbekannter Browser"),
        ] {
            assert_eq!(describe_browser(ua), name, "{ua}");
        }
    }

    #[test]
    fn only_local_next_paths_are_followed() {
        assert_eq!(safe_next(Some("/admin/users")), "/admin/users");
        assert_eq!(safe_next(Some("//evil.example")), "/account");
        assert_eq!(safe_next(Some("https://evil.example")), "/account");
        assert_eq!(safe_next(Some("/\\evil.example")), "/account");
        assert_eq!(safe_next(None), "/account");
        for hostile in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil.example",
            "/\u{0}x",
            "/a\\b",
            "",
            "evil.example",
            "javascript:alert(1)",
            "///evil.example",
            "//evil.example:443/x",
            "/\u{85}/evil.example",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/account", "{hostile:?}");
        }
        assert_eq!(
            safe_next(Some("/petitions/mvz?notice=x#sign")),
            "/petitions/mvz?notice=x#sign"
        );
        assert_eq!(safe_next(Some("/")), "/");
    }
}
