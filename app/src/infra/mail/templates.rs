//! The German texts of account emails: a subject, a plain-text part and an HTML part each.

use super::Rendered;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Paragraphs become `<p>`; a paragraph that is a bare link becomes a button-like link.
fn render(municipality: &str, subject: &str, paragraphs: &[String]) -> Rendered {
    let footer = format!(
        "Diese E-Mail wurde von der Beteiligungsplattform Dorfplatz der {municipality} verschickt."
    );
    let mut text = String::new();
    for p in paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
    }
    text.push_str("-- \n");
    text.push_str(&footer);
    text.push('\n');

    let mut html =
        String::from("<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>");
    html.push_str(&escape(subject));
    html.push_str(
        "</title></head><body style=\"font-family:sans-serif;line-height:1.5;color:#1a1a1a\">",
    );
    for p in paragraphs {
        if p.starts_with("https://") || p.starts_with("http://") {
            let href = escape(p);
            html.push_str(&format!(
                "<p><a href=\"{href}\" style=\"color:#0b5394\">{href}</a></p>"
            ));
        } else {
            html.push_str(&format!("<p>{}</p>", escape(p).replace('\n', "<br>")));
        }
    }
    html.push_str(&format!(
        "<hr><p style=\"font-size:90%;color:#444\">{}</p></body></html>",
        escape(&footer)
    ));
    Rendered {
        subject: subject.to_owned(),
        text,
        html,
        attachments: Vec::new(),
        list_unsubscribe: None,
    }
}

pub fn confirm_registration(municipality: &str, name: &str, link: &str) -> Rendered {
    render(
        municipality,
        "Bitte bestätigen Sie Ihre E-Mail-Adresse",
        &[
            format!("Hallo {name},"),
            "vielen Dank für Ihre Registrierung. Bitte bestätigen Sie Ihre E-Mail-Adresse über diesen Link (24 Stunden gültig):".into(),
            link.into(),
            "Wenn Sie sich nicht registriert haben, können Sie diese E-Mail ignorieren.".into(),
        ],
    )
}

/// Sent instead of a second account, so the registration form reveals nothing.
pub fn already_registered(municipality: &str, login: &str, reset: &str) -> Rendered {
    render(
        municipality,
        "Sie haben bereits ein Konto",
        &[
            "Hallo,".into(),
            "jemand hat versucht, mit Ihrer E-Mail-Adresse ein neues Konto anzulegen. Sie haben bereits ein Konto. Hier können Sie sich anmelden:".into(),
            login.into(),
            "Falls Sie Ihr Passwort vergessen haben, setzen Sie es hier zurück:".into(),
            reset.into(),
            "Wenn Sie das nicht waren, können Sie diese E-Mail ignorieren.".into(),
        ],
    )
}

pub fn password_reset(municipality: &str, link: &str) -> Rendered {
    render(
        municipality,
        "Passwort zurücksetzen",
        &[
            "Hallo,".into(),
            "Sie haben angefordert, Ihr Passwort zurückzusetzen. Über diesen Link vergeben Sie ein neues Passwort (1 Stunde gültig, nur einmal verwendbar):".into(),
            link.into(),
            "Wenn Sie das nicht angefordert haben, können Sie diese E-Mail ignorieren; Ihr Passwort bleibt unverändert.".into(),
        ],
    )
}

pub fn password_changed(municipality: &str, reset: &str) -> Rendered {
    render(
        municipality,
        "Ihr Passwort wurde geändert",
        &[
            "Hallo,".into(),
            "das Passwort Ihres Kontos wurde eben geändert. Alle anderen Anmeldungen wurden beendet.".into(),
            "Wenn Sie das nicht selbst waren, setzen Sie Ihr Passwort sofort zurück:".into(),
            reset.into(),
        ],
    )
}

pub fn confirm_new_email(municipality: &str, new_email: &str, link: &str) -> Rendered {
    render(
        municipality,
        "Bitte bestätigen Sie Ihre neue E-Mail-Adresse",
        &[
            "Hallo,".into(),
            format!(
                "Sie möchten die E-Mail-Adresse Ihres Kontos in {new_email} ändern. Bitte bestätigen Sie das über diesen Link (24 Stunden gültig):"
            ),
            link.into(),
            "Bis zur Bestätigung bleibt Ihre bisherige Adresse gültig.".into(),
        ],
    )
}

pub fn email_change_requested(municipality: &str, new_email: &str) -> Rendered {
    render(
        municipality,
        "Änderung Ihrer E-Mail-Adresse angefordert",
        &[
            "Hallo,".into(),
            format!(
                "für Ihr Konto wurde beantragt, die E-Mail-Adresse in {new_email} zu ändern. Die Änderung wird erst wirksam, wenn sie über die neue Adresse bestätigt wird."
            ),
            "Wenn Sie das nicht waren, ändern Sie bitte Ihr Passwort.".into(),
        ],
    )
}

/// What happened to an account's second factor, mailed to its owner each time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TwoFactorNews {
    Enabled,
    Disabled,
    /// Switched off by an administrator (the owner lost phone and codes).
    Reset,
    RecoveryCodeUsed {
        left: u64,
    },
    RecoveryCodesRenewed,
}

pub fn two_factor_news(municipality: &str, news: TwoFactorNews, account: &str) -> Rendered {
    let (subject, what) = match news {
        TwoFactorNews::Enabled => (
            "Zwei-Faktor-Anmeldung eingeschaltet",
            "für Ihr Konto ist die Zwei-Faktor-Anmeldung jetzt eingeschaltet. Bei jeder Anmeldung fragen wir nach dem Passwort auch den Code aus Ihrer App.".to_owned(),
        ),
        TwoFactorNews::Disabled => (
            "Zwei-Faktor-Anmeldung ausgeschaltet",
            "für Ihr Konto wurde die Zwei-Faktor-Anmeldung ausgeschaltet.".to_owned(),
        ),
        TwoFactorNews::Reset => (
            "Zwei-Faktor-Anmeldung zurückgesetzt",
            "die Administration hat die Zwei-Faktor-Anmeldung Ihres Kontos zurückgesetzt; alle Anmeldungen wurden beendet. Bei der nächsten Anmeldung richten Sie sie neu ein, wenn Ihr Konto sie braucht.".to_owned(),
        ),
        TwoFactorNews::RecoveryCodeUsed { left } => (
            "Wiederherstellungscode verwendet",
            format!("bei einer Anmeldung in Ihr Konto wurde eben ein Wiederherstellungscode verwendet. Sie haben noch {left} unbenutzte Codes; neue erzeugen Sie unter „Mein Konto“ → „Zwei-Faktor-Anmeldung“."),
        ),
        TwoFactorNews::RecoveryCodesRenewed => (
            "Neue Wiederherstellungscodes",
            "für Ihr Konto wurden neue Wiederherstellungscodes erzeugt; die bisherigen gelten nicht mehr.".to_owned(),
        ),
    };
    render(
        municipality,
        subject,
        &[
            "Hallo,".into(),
            what,
            format!("Konto: {account}"),
            "Wenn Sie das nicht selbst waren, ändern Sie sofort Ihr Passwort und wenden Sie sich an die Verwaltung.".into(),
        ],
    )
}

pub fn account_deleted(municipality: &str) -> Rendered {
    render(
        municipality,
        "Ihr Konto wurde gelöscht",
        &[
            "Hallo,".into(),
            "Ihr Konto wurde auf Ihren Wunsch gelöscht. Ihre persönlichen Daten wurden entfernt; Ihre öffentlichen Beiträge bleiben unter „gelöschtes Konto“ sichtbar.".into(),
        ],
    )
}

/// Double opt-in of an online signature.
pub fn confirm_signature(municipality: &str, title: &str, link: &str) -> Rendered {
    render(
        municipality,
        "Bitte bestätigen Sie Ihre Unterschrift",
        &[
            "Guten Tag,".into(),
            format!("Sie haben das Bürgerbegehren „{title}“ online unterschrieben. Ihre Unterschrift zählt erst, wenn Sie sie über diesen Link bestätigen (7 Tage gültig):"),
            link.into(),
            "Wenn Sie nicht unterschrieben haben, ignorieren Sie diese E-Mail bitte; Ihre Angaben werden dann nicht gezählt und nach Ablauf des Links gelöscht.".into(),
        ],
    )
}

/// The receipt after confirmation, with the withdrawal link and, where the law wants
/// handwritten signatures, the personal sheet.
pub fn signature_receipt(
    municipality: &str,
    title: &str,
    receipt_link: &str,
    sheet_code: Option<&str>,
    ends_on: Option<chrono::NaiveDate>,
) -> Rendered {
    let mut paragraphs = vec![
        "Guten Tag,".into(),
        format!("vielen Dank: Ihre Unterschrift für das Bürgerbegehren „{title}“ ist bestätigt."),
    ];
    if let Some(code) = sheet_code {
        let until = ends_on
            .map(|d| {
                format!(
                    " bis spätestens {}",
                    crate::petitions::rules::german_date_text(d)
                )
            })
            .unwrap_or_default();
        paragraphs.push(format!(
            "Nach dem Gemeinderecht Ihres Landes zählt für das Bürgerbegehren nur eine eigenhändige Unterschrift. Ihre Online-Unterschrift wird als Unterstützung gezählt. Im Anhang finden Sie Ihren persönlichen Unterschriftenbogen (Bogencode {code}): Bitte drucken Sie ihn aus, unterschreiben Sie ihn und geben Sie ihn{until} bei den Vertretungsberechtigten oder der Gemeindeverwaltung ab. Dann zählt Ihre Unterschrift."
        ));
    }
    paragraphs.push(if sheet_code.is_some() {
        "Bis zur Einreichung des Bürgerbegehrens können Sie Ihre Unterschrift über diesen Link zurückziehen; dort können Sie auch Ihren Unterschriftenbogen erneut herunterladen:".into()
    } else {
        "Bis zur Einreichung des Bürgerbegehrens können Sie Ihre Unterschrift über diesen Link zurückziehen:".into()
    });
    paragraphs.push(receipt_link.into());
    render(municipality, "Ihre Unterschrift ist bestätigt", &paragraphs)
}

/// News of a public step, to representatives and to signers who asked for it.
pub fn petition_news(
    municipality: &str,
    title: &str,
    step: &str,
    note: Option<&str>,
    link: &str,
) -> Rendered {
    let mut paragraphs = vec![
        "Guten Tag,".into(),
        format!("es gibt Neues zum Bürgerbegehren „{title}“: {step}."),
    ];
    if let Some(note) = note {
        paragraphs.push(note.to_owned());
    }
    paragraphs.push("Alle Schritte des Verfahrens finden Sie hier:".into());
    paragraphs.push(link.into());
    paragraphs.push(
        "Sie erhalten diese E-Mail, weil Sie eine vertretungsberechtigte Person sind oder beim Unterschreiben um Nachrichten zum Verfahren gebeten haben.".into(),
    );
    render(
        municipality,
        &format!("Bürgerbegehren „{title}“: {step}"),
        &paragraphs,
    )
}

/// A proposal moved on: the new status and the official answer.
pub fn proposal_news(
    municipality: &str,
    title: &str,
    status: &str,
    answer: Option<&str>,
    link: &str,
    unsubscribe: &str,
) -> Rendered {
    let mut paragraphs = vec![
        "Guten Tag,".into(),
        format!("der Vorschlag „{title}“ ist jetzt: {status}."),
    ];
    if let Some(answer) = answer {
        paragraphs.push(format!("Die Antwort dazu:\n{answer}"));
    }
    paragraphs.push("Den Vorschlag und seinen Verlauf finden Sie hier:".into());
    paragraphs.push(link.into());
    paragraphs.push(
        "Sie erhalten diese E-Mail, weil Sie dem Vorschlag folgen (als Einreichende, als Unterstützende mit Benachrichtigung oder über „Folgen“). Keine E-Mails mehr zu diesem Vorschlag, mit einem Klick:".into(),
    );
    paragraphs.push(unsubscribe.into());
    let mut mail = render(
        municipality,
        &format!("Vorschlag „{title}“: {status}"),
        &paragraphs,
    );
    mail.list_unsubscribe = Some(one_click(unsubscribe));
    mail
}

/// What a session email says about the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingText {
    pub board: String,
    pub title: String,
    /// "Donnerstag, 3. Dezember 2026, 19:00–21:00 Uhr"
    pub when: String,
    pub place: String,
    /// "TOP 1: …" lines.
    pub agenda: Vec<String>,
    pub link: String,
}

fn session_paragraphs(s: &MeetingText) -> Vec<String> {
    let mut p = vec![format!("{}\n{}\n{}", s.title, s.when, s.place)];
    if !s.agenda.is_empty() {
        p.push(format!("Tagesordnung:\n{}", s.agenda.join("\n")));
    }
    p
}

/// The invitation to a member, with the session as an `.ics` attachment.
pub fn session_invitation(municipality: &str, name: &str, s: &MeetingText) -> Rendered {
    let mut paragraphs = vec![
        format!("Hallo {name},"),
        format!(
            "hiermit lädt der Vorsitz Sie zur Sitzung des Gremiums „{}“ ein:",
            s.board
        ),
    ];
    paragraphs.extend(session_paragraphs(s));
    paragraphs.push(
        "Bitte sagen Sie auf der Seite der Sitzung zu oder ab. Dort finden Sie auch die Unterlagen. Den Termin für Ihren Kalender finden Sie im Anhang.".into(),
    );
    paragraphs.push(s.link.clone());
    render(
        municipality,
        &format!("Einladung: {} ({})", s.title, s.board),
        &paragraphs,
    )
}

/// A member's notice that the time or place of a session changed.
pub fn session_changed(municipality: &str, name: &str, s: &MeetingText) -> Rendered {
    let mut paragraphs = vec![
        format!("Hallo {name},"),
        format!(
            "die Sitzung des Gremiums „{}“ wurde geändert. Es gilt jetzt:",
            s.board
        ),
    ];
    paragraphs.extend(session_paragraphs(s));
    paragraphs.push("Der geänderte Termin für Ihren Kalender ist angehängt.".into());
    paragraphs.push(s.link.clone());
    render(
        municipality,
        &format!("Geändert: {} ({})", s.title, s.board),
        &paragraphs,
    )
}

/// A member's notice that a session was cancelled.
pub fn session_cancelled(
    municipality: &str,
    name: &str,
    s: &MeetingText,
    reason: &str,
) -> Rendered {
    let paragraphs = vec![
        format!("Hallo {name},"),
        format!(
            "die Sitzung „{}“ des Gremiums „{}“ am {} wurde abgesagt.",
            s.title, s.board, s.when
        ),
        format!("Grund: {reason}"),
        "Der angehängte Kalendereintrag entfernt den Termin aus Ihrem Kalender.".into(),
        s.link.clone(),
    ];
    render(
        municipality,
        &format!("Abgesagt: {} ({})", s.title, s.board),
        &paragraphs,
    )
}

/// News of a board for a member or a follower: a new session, a cancellation, published
/// minutes. Followers get an unsubscribe link (members are told as members).
pub fn board_news(
    municipality: &str,
    headline: &str,
    s: &MeetingText,
    unsubscribe: Option<&str>,
) -> Rendered {
    let mut paragraphs = vec!["Guten Tag,".into(), headline.to_owned()];
    paragraphs.extend(session_paragraphs(s));
    paragraphs.push(s.link.clone());
    if let Some(link) = unsubscribe {
        paragraphs.push(format!(
            "Sie erhalten diese E-Mail, weil Sie dem Gremium „{}“ folgen. Keine E-Mails mehr zu diesem Gremium, mit einem Klick:",
            s.board
        ));
        paragraphs.push(link.to_owned());
    }
    let mut mail = render(
        municipality,
        &format!("{}: {}", s.board, headline),
        &paragraphs,
    );
    mail.list_unsubscribe = unsubscribe.map(one_click);
    mail
}

/// The RFC 8058 address for the `List-Unsubscribe` header: the same signed query, at the
/// route that accepts the mail program's POST.
fn one_click(page_link: &str) -> String {
    page_link.replacen("/unsubscribe?", "/unsubscribe/one-click?", 1)
}

/// One subject of a notification digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestGroup {
    /// "Vorschlag „Bürgerbus nach Lemgo“"
    pub heading: String,
    pub link: String,
    pub lines: Vec<String>,
    pub unsubscribe: String,
}

/// What happened on the subjects someone follows since the last digest (at most one per hour).
pub fn digest(
    municipality: &str,
    name: &str,
    groups: &[DigestGroup],
    unsubscribe_all: &str,
) -> Rendered {
    let subject = match groups {
        [one] => format!("Neues zu {}", one.heading),
        _ => format!("Neues zu {} Beiträgen, denen Sie folgen", groups.len()),
    };
    let mut paragraphs = vec![format!("Hallo {name},")];
    for g in groups {
        paragraphs.push(format!("{}:\n{}", g.heading, g.lines.join("\n")));
        paragraphs.push(g.link.clone());
    }
    paragraphs.push(
        "Sie erhalten diese E-Mail, weil Sie diesen Beiträgen folgen. Wir schicken höchstens eine solche E-Mail pro Stunde.".into(),
    );
    for g in groups {
        paragraphs.push(format!("Keine E-Mails mehr zu {}:", g.heading));
        paragraphs.push(g.unsubscribe.clone());
    }
    paragraphs.push("Keine dieser E-Mails mehr, zu gar nichts:".into());
    paragraphs.push(unsubscribe_all.into());
    let mut mail = render(municipality, &subject, &paragraphs);
    mail.list_unsubscribe = Some(one_click(match groups {
        [one] => &one.unsubscribe,
        _ => unsubscribe_all,
    }));
    mail
}

/// An anchor of the audit trail, for safekeeping outside the database.
pub fn audit_anchor(
    municipality: &str,
    anchor: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Rendered {
    render(
        municipality,
        "Anker des Audit-Protokolls",
        &[
            "Guten Tag,".into(),
            format!(
                "dies ist der aktuelle Stand des Audit-Protokolls (Eintrag vom {}). Bitte bewahren Sie diese E-Mail auf: Mit ihr lässt sich später beweisen, dass kein Eintrag bis zu diesem Stand verändert wurde.",
                crate::petitions::rules::german_datetime_text(at)
            ),
            format!("Anker: {anchor}"),
            format!("Prüfung: dorfplatz audit verify --anchor {anchor}"),
        ],
    )
}

/// The administration's answer to a report of a barrier on the site.
pub fn barrier_feedback_answer(municipality: &str, description: &str, answer: &str) -> Rendered {
    render(
        municipality,
        "Antwort auf Ihre Rückmeldung zur Barrierefreiheit",
        &[
            "Guten Tag,".into(),
            "vielen Dank für Ihre Rückmeldung zu einer Barriere auf unserer Beteiligungsplattform. Sie schrieben:".into(),
            format!("„{}“", crate::text::first_words(description, 60)),
            "Unsere Antwort:".into(),
            answer.to_owned(),
            "Wenn Sie mit der Antwort nicht zufrieden sind, nennt Ihnen die Erklärung zur Barrierefreiheit auf der Plattform die Stelle, die kostenlos vermittelt.".into(),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_in_html_but_kept_in_text() {
        let m = confirm_registration(
            "Gemeinde Kalletal",
            "<b>Eva</b>",
            "https://x.de/confirm?token=a",
        );
        assert!(m.text.contains("Hallo <b>Eva</b>,"));
        assert!(m.html.contains("Hallo &lt;b&gt;Eva&lt;/b&gt;,"));
        assert!(m.html.contains("<a href=\"https://x.de/confirm?token=a\""));
        assert!(m.text.contains("https://x.de/confirm?token=a\n"));
    }
}
