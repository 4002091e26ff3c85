//! Account inputs parsed into small types. The server always re-parses, whatever the browser
//! checked before. Error messages are in the request's language (German outside a request) and meant for the field that caused them.

use serde::{Deserialize, Serialize};

use crate::i18n::{t, t_args};

pub const PASSWORD_MIN_CHARS: usize = 10;
/// Upper bound so that nobody can make the server hash megabytes with argon2.
pub const PASSWORD_MAX_CHARS: usize = 256;
pub const DISPLAY_NAME_MAX_CHARS: usize = 80;
pub const EMAIL_MAX_CHARS: usize = 254;

/// A syntactically plausible, lower-cased email address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, String> {
        let value = input.trim().to_lowercase();
        if value.is_empty() {
            return Err(t("account-error-email-empty"));
        }
        if value.chars().count() > EMAIL_MAX_CHARS {
            return Err(t_args(
                "account-error-email-too-long",
                &[("max", &EMAIL_MAX_CHARS.to_string())],
            ));
        }
        let invalid = || t("account-error-email-invalid");
        if value.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"')
        }) {
            return Err(invalid());
        }
        let (local, domain) = value.split_once('@').ok_or_else(invalid)?;
        if local.is_empty()
            || local.len() > 64
            || domain.contains('@')
            || domain.len() < 3
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.starts_with('-')
            || domain.contains("..")
        {
            return Err(invalid());
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The public name under which a person contributes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(input: &str) -> Result<Self, String> {
        // Collapse runs of white space so that "  Anna   K. " and "Anna K." are the same name.
        let value = input.split_whitespace().collect::<Vec<_>>().join(" ");
        let len = value.chars().count();
        if len == 0 {
            return Err(t("account-error-name-empty"));
        }
        if len < 2 {
            return Err(t("account-error-name-too-short"));
        }
        if len > DISPLAY_NAME_MAX_CHARS {
            return Err(t_args(
                "account-error-name-too-long",
                &[("max", &DISPLAY_NAME_MAX_CHARS.to_string())],
            ));
        }
        if value
            .chars()
            .any(|c| c.is_control() || matches!(c, '<' | '>'))
        {
            return Err(t("account-error-name-invalid"));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password that meets the rules. Never logged, never serialized.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(input: &str) -> Result<Self, String> {
        let len = input.chars().count();
        if len < PASSWORD_MIN_CHARS {
            return Err(t_args(
                "account-error-password-too-short",
                &[("min", &PASSWORD_MIN_CHARS.to_string())],
            ));
        }
        if len > PASSWORD_MAX_CHARS {
            return Err(t_args(
                "account-error-password-too-long",
                &[("max", &PASSWORD_MAX_CHARS.to_string())],
            ));
        }
        if input.trim().is_empty() {
            return Err(t("account-error-password-blank"));
        }
        Ok(Self(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// Roles beyond "resident", which every confirmed account has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    BoardMember,
    Staff,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::BoardMember, Role::Staff, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::BoardMember => "board_member",
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }

    pub fn parse(input: &str) -> Result<Self, String> {
        match input.trim() {
            "board_member" => Ok(Role::BoardMember),
            "staff" => Ok(Role::Staff),
            "admin" => Ok(Role::Admin),
            _ => Err(t("account-error-role-unknown")),
        }
    }

    /// The German name (command line, documents).
    pub fn label(self) -> &'static str {
        match self {
            Role::BoardMember => "Beiratsmitglied",
            Role::Staff => "Verwaltung",
            Role::Admin => "Administration",
        }
    }

    /// The name in the page's language.
    pub fn title(self) -> String {
        t(match self {
            Role::BoardMember => "account-role-board-member",
            Role::Staff => "account-role-staff",
            Role::Admin => "account-role-admin",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        let e = EmailAddress::parse("  Anna.Schmidt@Kalletal.DE ").unwrap();
        assert_eq!(e.as_str(), "anna.schmidt@kalletal.de");
    }

    #[test]
    fn malformed_emails_are_rejected_with_a_german_message() {
        for bad in [
            "",
            "anna",
            "anna@",
            "@kalletal.de",
            "anna@kalletal",
            "anna@@kalletal.de",
            "anna schmidt@kalletal.de",
            "anna@.de",
            "anna@kalletal..de",
            "<script>@x.de",
        ] {
            let err = EmailAddress::parse(bad).unwrap_err();
            assert!(err.contains("E-Mail-Adresse"), "{bad:?} gave {err:?}");
        }
        let long = format!("{}@kalletal.de", "a".repeat(300));
        assert!(EmailAddress::parse(&long).is_err());
    }

    #[test]
    fn display_names_collapse_spaces_and_respect_limits() {
        assert_eq!(
            DisplayName::parse("  Anna   K. ").unwrap().as_str(),
            "Anna K."
        );
        assert!(DisplayName::parse(" ").is_err());
        assert!(DisplayName::parse("A").is_err());
        assert!(DisplayName::parse(&"x".repeat(81)).is_err());
        assert!(DisplayName::parse("Anna<b>").is_err());
        assert!(DisplayName::parse(&"ä".repeat(80)).is_ok());
    }

    #[test]
    fn passwords_need_ten_characters_and_have_an_upper_bound() {
        assert!(NewPassword::parse("123456789").is_err());
        assert!(NewPassword::parse("1234567890").is_ok());
        assert!(NewPassword::parse("          ").is_err());
        assert!(NewPassword::parse(&"x".repeat(257)).is_err());
        // Characters, not bytes: ten umlauts are ten characters.
        assert!(NewPassword::parse("ääääääääää").is_ok());
        assert_eq!(
            format!("{:?}", NewPassword::parse("geheim-geheim").unwrap()),
            "NewPassword(***)"
        );
    }

    #[test]
    fn roles_round_trip_and_unknown_roles_are_rejected() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()).unwrap(), role);
        }
        assert!(Role::parse("resident").is_err());
        assert!(Role::parse("root").is_err());
    }
}
