//! The second factor as the pages see it: what the user may type at the code step, how
//! codes and secrets are shown, and what the enrolment page displays. Pure (both builds).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::i18n::{t, t_args};

/// Digits of a one-time password (RFC 6238 with the authenticator apps' defaults).
pub const CODE_DIGITS: usize = 6;
/// Recovery codes made at once; each works one time.
pub const RECOVERY_CODES: usize = 10;
/// Letters of a recovery code.
pub const RECOVERY_CODE_LEN: usize = 10;
/// Wrong codes in a row that end a login attempt (the password must be entered again).
pub const MAX_CODE_FAILURES: i32 = 5;
/// Characters of recovery codes: no 0/O, 1/l/I that a reader could mix up.
pub const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// What the user typed at the code step: a one-time password or a recovery code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondFactor {
    OneTimePassword(String),
    RecoveryCode(String),
}

impl SecondFactor {
    /// Spaces and dashes (as the apps and our list group them) are ignored; case too.
    pub fn parse(input: &str) -> Result<Self, String> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
            .to_lowercase();
        if compact.is_empty() {
            return Err(t("account-error-code-empty"));
        }
        if compact.len() == CODE_DIGITS && compact.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Self::OneTimePassword(compact));
        }
        if compact.chars().count() == RECOVERY_CODE_LEN
            && compact.bytes().all(|b| RECOVERY_ALPHABET.contains(&b))
        {
            return Ok(Self::RecoveryCode(compact));
        }
        Err(t_args(
            "account-error-code-invalid",
            &[("digits", &CODE_DIGITS.to_string())],
        ))
    }
}

/// A one-time password only (enrolment asks for one from the app, not a recovery code).
pub fn parse_one_time_password(input: &str) -> Result<String, String> {
    match SecondFactor::parse(input) {
        Ok(SecondFactor::OneTimePassword(code)) => Ok(code),
        _ => Err(t_args(
            "account-error-otp-invalid",
            &[("digits", &CODE_DIGITS.to_string())],
        )),
    }
}

/// A recovery code as printed: two groups of five (`abcde-fghjk`).
pub fn format_recovery_code(code: &str) -> String {
    let (a, b) = code.split_at(code.len().min(RECOVERY_CODE_LEN / 2));
    format!("{a}-{b}")
}

/// A base32 secret in groups of four, easier to type from the screen into an app.
pub fn group_secret(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the enrolment page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorView {
    pub enabled: bool,
    pub enabled_at: Option<DateTime<Utc>>,
    /// Staff and administrators cannot switch it off.
    pub required: bool,
    pub recovery_codes_left: u64,
    /// The secret to enrol with, while the second factor is off.
    pub setup: Option<TotpSetup>,
    /// Recovery codes just made, shown once (for a few minutes after they were made).
    pub fresh_recovery_codes: Vec<String>,
}

/// The secret of an enrolment in every form a person or a program needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpSetup {
    /// Base32, as authenticator apps take it by hand.
    pub secret: String,
    /// `otpauth://totp/…` for password managers.
    pub uri: String,
    /// The same URI as a QR code (SVG markup made on the server).
    pub qr_svg: String,
}

/// What the first login step says happens next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginStep {
    /// Signed in.
    Done,
    /// The password was right; the second factor is asked on `/login/code`.
    CodeRequired,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_as_people_type_them() {
        for (input, expected) in [
            ("123456", Ok(SecondFactor::OneTimePassword("123456".into()))),
            (
                " 123 456 ",
                Ok(SecondFactor::OneTimePassword("123456".into())),
            ),
            (
                "abcde-fghjk",
                Ok(SecondFactor::RecoveryCode("abcdefghjk".into())),
            ),
            (
                "ABCDE FGHJK",
                Ok(SecondFactor::RecoveryCode("abcdefghjk".into())),
            ),
        ] {
            assert_eq!(SecondFactor::parse(input), expected, "{input:?}");
        }
        for bad in [
            "",
            "12345",
            "1234567",
            "12345a",
            "abcde-fghi1",
            "abcdefghjkm",
            "äbcdefghjk",
            "123456\u{0}",
            "<script>",
        ] {
            assert!(SecondFactor::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(parse_one_time_password("654 321"), Ok("654321".into()));
        assert!(parse_one_time_password("abcde-fghjk").is_err());
    }

    #[test]
    fn recovery_codes_and_secrets_are_grouped_for_reading() {
        assert_eq!(format_recovery_code("abcdefghjk"), "abcde-fghjk");
        assert_eq!(group_secret("ABCDEFGHIJ"), "ABCD EFGH IJ");
        assert_eq!(
            serde_json::to_string(&LoginStep::CodeRequired).unwrap(),
            "\"code_required\""
        );
    }
}
