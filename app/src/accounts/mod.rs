//! Accounts: registration, confirmation, login, password reset, the account page.

pub mod api;
pub mod domain;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use serde::{Deserialize, Serialize};

use domain::Role;

/// The signed-in user as the browser sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: i64,
    pub display_name: String,
    pub email: String,
    pub roles: Vec<Role>,
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

/// Only local paths are followed after login: no open redirect to another site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if is_local_path(n) => n.to_owned(),
        _ => "/account".to_owned(),
    }
}

/// A path on this site and nothing else: it starts with one slash, and holds no backslash,
/// no whitespace and no control character (browsers drop tabs and line breaks from a URL,
/// so "/\t/evil.example" would become "//evil.example", another site).
fn is_local_path(n: &str) -> bool {
    let mut chars = n.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/'))
        && n.len() <= 2000
        && !n
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

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
