//! The starting text of the privacy statement: what Dorfplatz actually processes, with the
//! legal bases and the retention periods this installation is set to. The municipality
//! completes the parts in square brackets (controller, data protection officer, hosting).

use chrono::TimeDelta;
use sea_orm::DatabaseConnection;
use serde_json::json;

use crate::error::AppError;
use crate::petitions::rules::RuleSet;
use crate::site::server as site;

/// The facts the text names, read from this installation.
pub struct Facts<'a> {
    pub municipality: &'a str,
    pub rule_set: &'a RuleSet,
    /// 0: signatures are deleted by staff, not by the server.
    pub signature_retention_days: u32,
}

fn days(d: TimeDelta) -> String {
    match d.num_days() {
        0 => format!("{} Stunden", d.num_hours()),
        1 => "einem Tag".to_owned(),
        n => format!("{n} Tagen"),
    }
}

pub fn template(f: &Facts) -> String {
    let signatures_kept = match f.signature_retention_days {
        0 => "bis die Verwaltung sie nach Abschluss des Verfahrens löscht (eine automatische Frist ist nicht eingestellt)".to_owned(),
        n => format!("bis {n} Tage nach Abschluss des Verfahrens; danach werden sie automatisch gelöscht, die Zahlen der Auszählung bleiben"),
    };
    let law = f.rule_set.citation;
    let eligibility = f.rule_set.eligibility.citation;
    format!(
        "Diese Erklärung beschreibt, welche personenbezogenen Daten die Beteiligungsplattform Dorfplatz der {m} verarbeitet. **Die Teile in eckigen Klammern ergänzt die Gemeinde.**\n\n\
## Verantwortliche Stelle\n\n\
{m}, [Anschrift, Telefon, E-Mail-Adresse]\n\n\
Datenschutzbeauftragte oder Datenschutzbeauftragter: [Name oder Stelle, Anschrift, E-Mail-Adresse]\n\n\
## Konto\n\n\
Wer Vorschläge einreicht, unterstützt oder kommentiert, legt ein Konto an: E-Mail-Adresse, Anzeigename und ein Passwort (nur als Argon2-Hash gespeichert). Rechtsgrundlage ist Art. 6 Abs. 1 Buchst. e DSGVO in Verbindung mit der Aufgabe der Gemeinde, ihre Einwohnerinnen und Einwohner zu beteiligen. Nicht bestätigte Konten werden nach {unconfirmed} gelöscht; ein Konto können Sie jederzeit selbst löschen (Ihre öffentlichen Beiträge bleiben dann unter „gelöschtes Konto“ stehen). Unter „Konto → Meine Daten“ laden Sie alles herunter, was über Ihr Konto gespeichert ist.\n\n\
Für jede Anmeldung werden Browser und ein gekürzter Teil der Netzadresse gespeichert, damit Sie Ihre angemeldeten Geräte sehen und abmelden können; eine Anmeldung endet nach {session} (bei Konten der Verwaltung nach {staff_idle} ohne Nutzung).\n\n\
## Unterschriften für Bürgerbegehren\n\n\
Wer ein Bürgerbegehren online unterstützt, gibt Name, Vorname, Geburtsdatum, Anschrift und E-Mail-Adresse an. Rechtsgrundlage ist Art. 6 Abs. 1 Buchst. e und Art. 9 Abs. 2 Buchst. g DSGVO in Verbindung mit {law}: Die Gemeinde prüft jede Unterschrift gegen das Melderegister ({eligibility}). Eine Unterstützung, die nicht binnen {confirm} über den Link in der E-Mail bestätigt wird, wird gelöscht. Unterschriften werden gespeichert, {signatures_kept}. Sie sind nur den dafür zuständigen Beschäftigten der Verwaltung zugänglich; jeder Zugriff wird protokolliert.\n\n\
## Melderegister\n\n\
Für die Prüfung der Unterschriften lädt die Verwaltung einen Auszug aus dem Melderegister (Name, Geburtsdatum, Anschrift, Staatsangehörigkeit, Art der Wohnung, Einzugsdatum) auf die Plattform, gestützt auf {law} und das Meldegesetz des Landes. Der Auszug ist nur der Verwaltung zugänglich und wird gelöscht, wenn die Prüfung abgeschlossen ist [Frist der Gemeinde eintragen].\n\n\
## E-Mails\n\n\
Die Plattform verschickt E-Mails zur Bestätigung, zu Anmeldungen und – nur wenn Sie es wünschen – Benachrichtigungen (höchstens eine Sammel-E-Mail je Stunde, mit Link zum Abbestellen). Zugestellte E-Mails werden nach {delivered} aus dem Postausgang gelöscht. Versand über: [Mailserver oder Dienstleister, ggf. Auftragsverarbeitungsvertrag].\n\n\
## Rückmeldungen zur Barrierefreiheit\n\n\
Name und E-Mail-Adresse sind dort freiwillig und dienen nur der Antwort. Abgeschlossene Rückmeldungen werden nach {feedback} gelöscht.\n\n\
## Protokolle\n\n\
Die Plattform führt ein Prüfprotokoll über Handlungen der Verwaltung und sicherheitsrelevante Ereignisse (Art. 5 Abs. 2 und Art. 32 DSGVO). Zur Abwehr von Missbrauch zählt sie Anmeldeversuche und Formulare je Netzadresse; gespeichert wird dabei nur ein mit einem geheimen Schlüssel gebildeter Prüfwert (Hash), nicht die Adresse. Die Protokolle des Webservers: [Betreiber und Speicherdauer eintragen].\n\n\
## Cookies\n\n\
Die Plattform setzt nur technisch notwendige Cookies (die Anmeldung). Sie bindet keine Inhalte, Schriften oder Skripte Dritter ein und verwendet keine Analyse- oder Werbedienste.\n\n\
## Hosting\n\n\
[Rechenzentrum oder Dienstleister, Standort, Auftragsverarbeitungsvertrag]\n\n\
## Ihre Rechte\n\n\
Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16), Löschung (Art. 17), Einschränkung der Verarbeitung (Art. 18), Datenübertragbarkeit (Art. 20) und Widerspruch (Art. 21). Sie können sich bei der Aufsichtsbehörde beschweren: [Datenschutz-Aufsichtsbehörde des Landes mit Anschrift eintragen].\n",
        m = f.municipality,
        unconfirmed = days(crate::accounts::server::UNCONFIRMED_KEPT),
        session = days(crate::infra::auth::SESSION_LIFETIME),
        staff_idle = days(crate::infra::auth::STAFF_IDLE_TIMEOUT),
        confirm = days(crate::petitions::server::signatures::CONFIRM_VALIDITY),
        delivered = days(crate::infra::mail::worker::KEEP_DELIVERED),
        feedback = days(crate::accessibility::server::KEEP_CLOSED),
    )
}

/// Replaces the privacy statement with the starting text (audited); the administration
/// then completes it in the settings form.
pub async fn apply(
    db: &DatabaseConnection,
    actor: Option<i64>,
    text: &str,
) -> Result<(), AppError> {
    site::put_audited(
        db,
        actor,
        site::PRIVACY,
        text,
        "settings.privacy_template_applied",
        json!({ "chars": text.chars().count() }),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::petitions::rules::{State, rule_set};

    #[test]
    fn the_starting_text_names_this_installations_law_and_periods() {
        let nrw = rule_set(
            State::NordrheinWestfalen,
            chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap(),
        )
        .unwrap();
        let text = template(&Facts {
            municipality: "Gemeinde Kalletal",
            rule_set: nrw,
            signature_retention_days: 180,
        });
        assert!(text.contains("§ 26 GO NRW"), "{text}");
        assert!(text.contains("bis 180 Tage nach Abschluss des Verfahrens"));
        assert!(text.contains("binnen 7 Tagen"));
        assert!(text.contains("Nicht bestätigte Konten werden nach einem Tag gelöscht"));
        assert!(text.contains("nach 730 Tagen gelöscht"));
        assert!(text.contains("[Anschrift, Telefon, E-Mail-Adresse]"));
        let manual = template(&Facts {
            municipality: "Gemeinde Kalletal",
            rule_set: nrw,
            signature_retention_days: 0,
        });
        assert!(manual.contains("eine automatische Frist ist nicht eingestellt"));
    }
}
