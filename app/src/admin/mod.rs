//! Administration: accounts and their roles, site settings.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod privacy;
#[cfg(feature = "ssr")]
pub mod server;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::accounts::domain::Role;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub confirmed: bool,
    /// The second factor is switched on.
    pub two_factor: bool,
    pub roles: Vec<Role>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub users: Vec<UserRow>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// The filter of the audit trail as typed into the form (empty = any).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilter {
    /// An action code (`role.granted`) or a prefix ending in a dot (`petition.`).
    pub action: String,
    /// Part of the acting account's email address or name; `system` for entries without one.
    pub actor: String,
    /// First and last German calendar day, `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
}

impl AuditFilter {
    /// The filter as a query string for links (pages, CSV download), without the leading `?`.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        for (key, value) in [
            ("action", &self.action),
            ("actor", &self.actor),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if !value.is_empty() {
                parts.push(format!("{key}={}", encode_query(value)));
            }
        }
        parts.join("&")
    }
}

pub use crate::text::url_encode as encode_query;

/// One entry of the audit trail as admins read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// "Name <email>", or `None` for the system and the command line.
    pub actor: Option<String>,
    pub action: String,
    pub target: String,
    pub details: String,
}

/// A page of the audit trail, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    /// Every action code that occurs, for the filter's choice.
    pub actions: Vec<String>,
    /// Entries matching the filter.
    pub total: u64,
    /// Pass as `before` for the next (older) page.
    pub next_before: Option<i64>,
}

/// The result of checking the hash chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainCheck {
    pub checked: u64,
    /// The first entry that does not fit, with the reason.
    pub first_broken: Option<(i64, String)>,
}

/// What an action code means, in German; unknown codes are shown as they are.
pub fn action_label(action: &str) -> String {
    use crate::petitions::lifecycle::parse_step_code;
    let known = match action {
        "account.deleted" => "Konto gelöscht",
        "role.granted" => "Rolle vergeben",
        "role.revoked" => "Rolle entzogen",
        "settings.updated" => "Einstellungen geändert",
        "municipality.updated" => "Gemeindedaten geändert",
        "petition.created" => "Bürgerbegehren angelegt",
        "petition.sheet_voided" => "Unterschriftenbogen für ungültig erklärt",
        "petition.sheet_restored" => "Unterschriftenbogen wieder gültig",
        "signature.paper_entered" => "Papierunterschrift erfasst",
        "signature.paper_imported" => "Papierunterschriften eingelesen",
        "signature.sheet_received" => "Unterschriebener Bogen eingegangen",
        "signature.reviewed" => "Unterschrift entschieden",
        "signature.viewed" => "Unterschrift angesehen (personenbezogen)",
        "signatures.exported" => "Unterschriften exportiert (personenbezogen)",
        "signatures.purged" => "Unterschriftsdaten gelöscht",
        "register.imported" => "Melderegister eingelesen",
        "register.import_failed" => "Melderegister-Import fehlgeschlagen",
        "register.purged" => "Melderegister gelöscht",
        "tally.exported" => "Prüfbericht exportiert",
        "audit.exported" => "Protokoll exportiert",
        _ => {
            if let Some(step) = action.strip_prefix("petition.").and_then(parse_step_code) {
                return format!("Bürgerbegehren: {}", step.label());
            }
            return action.to_owned();
        }
    };
    known.to_owned()
}

/// What an action code means, in the page's language, for the audit page (`action_label`
/// stays German for the CSV export); unknown codes are shown as they are.
pub fn action_title(action: &str) -> String {
    use crate::i18n::{t, t_args};
    use crate::petitions::lifecycle::parse_step_code;
    let german = action_label(action);
    if german == action {
        return german;
    }
    if let Some(step) = action.strip_prefix("petition.").and_then(parse_step_code) {
        return t_args("admin-action-petition-step", &[("step", &step.title())]);
    }
    t(&format!("admin-action-{}", action.replace(['.', '_'], "-")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_query_strings_that_survive_any_input() {
        let f = AuditFilter {
            action: "petition.".into(),
            actor: "anna müller&x=1".into(),
            from: "2026-11-01".into(),
            to: String::new(),
        };
        assert_eq!(
            f.query(),
            "action=petition.&actor=anna%20m%C3%BCller%26x%3D1&from=2026-11-01"
        );
        assert_eq!(AuditFilter::default().query(), "");
    }

    #[test]
    fn actions_read_in_german() {
        assert_eq!(action_label("role.granted"), "Rolle vergeben");
        assert_eq!(
            action_label("petition.submit"),
            "Bürgerbegehren: Unterschriften eingereicht"
        );
        assert_eq!(action_label("something.new"), "something.new");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_page_titles_of_actions_read_in_german_as_the_labels() {
        for action in [
            "account.deleted",
            "role.granted",
            "role.revoked",
            "settings.updated",
            "municipality.updated",
            "petition.created",
            "petition.sheet_voided",
            "petition.sheet_restored",
            "signature.paper_entered",
            "signature.paper_imported",
            "signature.sheet_received",
            "signature.reviewed",
            "signature.viewed",
            "signatures.exported",
            "signatures.purged",
            "register.imported",
            "register.import_failed",
            "register.purged",
            "tally.exported",
            "audit.exported",
            "petition.submit",
            "petition.withdraw",
            "something.new",
        ] {
            assert_eq!(action_title(action), action_label(action), "{action}");
        }
    }
}
