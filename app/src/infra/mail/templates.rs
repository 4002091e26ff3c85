//! The texts of emails: a subject, a plain-text part and an HTML part each. Account and
//! signature emails, the digest of followed subjects, the news of a proposal and the mails
//! of board sessions speak the recipient's language (`mail-*` keys in `app/locales`); the
//! news of a Bürgerbegehren, the answer to barrier feedback and the audit anchor are German.

use super::Rendered;
use crate::i18n::Lang;
use crate::i18n::server::text;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Paragraphs become `<p>`; a paragraph that is a bare link becomes a button-like link.
fn render(municipality: &str, subject: &str, paragraphs: &[String]) -> Rendered {
    render_in(Lang::default_lang(), municipality, subject, paragraphs)
}

fn render_in(lang: Lang, municipality: &str, subject: &str, paragraphs: &[String]) -> Rendered {
    let footer = text(lang, "mail-footer", &[("municipality", municipality)]);
    let mut text = String::new();
    for p in paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
    }
    text.push_str("-- \n");
    text.push_str(&footer);
    text.push('\n');

    let mut html = format!(
        "<!DOCTYPE html><html lang=\"{}\" dir=\"{}\"><head><meta charset=\"utf-8\"><title>",
        lang.code,
        lang.dir()
    );
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

pub fn confirm_registration(lang: Lang, municipality: &str, name: &str, link: &str) -> Rendered {
    let t = |key: &str| text(lang, key, &[]);
    render_in(
        lang,
        municipality,
        &t("mail-confirm-registration-subject"),
        &[
            text(lang, "mail-hello-name", &[("name", name)]),
            t("mail-confirm-registration-text"),
            link.into(),
            t("mail-confirm-registration-ignore"),
        ],
    )
}

/// Sent instead of a second account, so the registration form reveals nothing.
pub fn already_registered(lang: Lang, municipality: &str, login: &str, reset: &str) -> Rendered {
    let t = |key: &str| text(lang, key, &[]);
    render_in(
        lang,
        municipality,
        &t("mail-already-registered-subject"),
        &[
            t("mail-hello"),
            t("mail-already-registered-text"),
            login.into(),
            t("mail-already-registered-reset"),
            reset.into(),
            t("mail-not-you-ignore"),
        ],
    )
}

pub fn password_reset(lang: Lang, municipality: &str, link: &str) -> Rendered {
    let t = |key: &str| text(lang, key, &[]);
    render_in(
        lang,
        municipality,
        &t("mail-password-reset-subject"),
        &[
            t("mail-hello"),
            t("mail-password-reset-text"),
            link.into(),
            t("mail-password-reset-ignore"),
        ],
    )
}

pub fn password_changed(lang: Lang, municipality: &str, reset: &str) -> Rendered {
    let t = |key: &str| text(lang, key, &[]);
    render_in(
        lang,
        municipality,
        &t("mail-password-changed-subject"),
        &[
            t("mail-hello"),
            t("mail-password-changed-text"),
            t("mail-password-changed-not-you"),
            reset.into(),
        ],
    )
}

pub fn confirm_new_email(lang: Lang, municipality: &str, new_email: &str, link: &str) -> Rendered {
    let t = |key: &str| text(lang, key, &[]);
    render_in(
        lang,
        municipality,
        &t("mail-confirm-new-email-subject"),
        &[
            t("mail-hello"),
            text(lang, "mail-confirm-new-email-text", &[("email", new_email)]),
            link.into(),
            t("mail-confirm-new-email-until"),
        ],
    )
}

pub fn email_change_requested(lang: Lang, municipality: &str, new_email: &str) -> Rendered {
    let t = |key: &str| text(lang, key, &[]);
    render_in(
        lang,
        municipality,
        &t("mail-email-change-subject"),
        &[
            t("mail-hello"),
            text(lang, "mail-email-change-text", &[("email", new_email)]),
            t("mail-email-change-not-you"),
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

pub fn two_factor_news(
    lang: Lang,
    municipality: &str,
    news: TwoFactorNews,
    account: &str,
) -> Rendered {
    let t = |key: &str| text(lang, key, &[]);
    let (subject, what) = match news {
        TwoFactorNews::Enabled => (t("mail-2fa-enabled-subject"), t("mail-2fa-enabled-text")),
        TwoFactorNews::Disabled => (t("mail-2fa-disabled-subject"), t("mail-2fa-disabled-text")),
        TwoFactorNews::Reset => (t("mail-2fa-reset-subject"), t("mail-2fa-reset-text")),
        TwoFactorNews::RecoveryCodeUsed { left } => (
            t("mail-2fa-recovery-used-subject"),
            text(
                lang,
                "mail-2fa-recovery-used-text",
                &[("left", &left.to_string())],
            ),
        ),
        TwoFactorNews::RecoveryCodesRenewed => (
            t("mail-2fa-recovery-renewed-subject"),
            t("mail-2fa-recovery-renewed-text"),
        ),
    };
    render_in(
        lang,
        municipality,
        &subject,
        &[
            t("mail-hello"),
            what,
            text(lang, "mail-2fa-account", &[("account", account)]),
            t("mail-2fa-not-you"),
        ],
    )
}

pub fn account_deleted(lang: Lang, municipality: &str) -> Rendered {
    let t = |key: &str| text(lang, key, &[]);
    render_in(
        lang,
        municipality,
        &t("mail-account-deleted-subject"),
        &[t("mail-hello"), t("mail-account-deleted-text")],
    )
}

/// Double opt-in of an online signature.
pub fn confirm_signature(lang: Lang, municipality: &str, title: &str, link: &str) -> Rendered {
    let t = |key: &str| text(lang, key, &[]);
    render_in(
        lang,
        municipality,
        &t("mail-confirm-signature-subject"),
        &[
            t("mail-good-day"),
            text(lang, "mail-confirm-signature-text", &[("title", title)]),
            link.into(),
            t("mail-confirm-signature-ignore"),
        ],
    )
}

/// The receipt after confirmation, with the withdrawal link and, where the law wants
/// handwritten signatures, the personal sheet (the sheet itself is German: a legal form).
pub fn signature_receipt(
    lang: Lang,
    municipality: &str,
    title: &str,
    receipt_link: &str,
    sheet_code: Option<&str>,
    ends_on: Option<chrono::NaiveDate>,
) -> Rendered {
    let t = |key: &str| text(lang, key, &[]);
    let mut paragraphs = vec![
        t("mail-good-day"),
        text(lang, "mail-receipt-thanks", &[("title", title)]),
    ];
    if let Some(code) = sheet_code {
        let until = ends_on
            .map(|d| {
                text(
                    lang,
                    "mail-receipt-until",
                    &[("date", &crate::petitions::rules::german_date_text(d))],
                )
            })
            .unwrap_or_default();
        paragraphs.push(text(
            lang,
            "mail-receipt-sheet",
            &[("code", code), ("until", &until)],
        ));
    }
    paragraphs.push(if sheet_code.is_some() {
        t("mail-receipt-withdraw-sheet")
    } else {
        t("mail-receipt-withdraw")
    });
    paragraphs.push(receipt_link.into());
    render_in(lang, municipality, &t("mail-receipt-subject"), &paragraphs)
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

/// A proposal moved on: the new status and the official answer, in the follower's language.
pub fn proposal_news(
    lang: Lang,
    municipality: &str,
    title: &str,
    status: &str,
    answer: Option<&str>,
    link: &str,
    unsubscribe: &str,
) -> Rendered {
    let t = |key: &str, args: &[(&str, &str)]| text(lang, key, args);
    let mut paragraphs = vec![
        t("mail-good-day", &[]),
        t(
            "mail-proposal-news-text",
            &[("title", title), ("status", status)],
        ),
    ];
    if let Some(answer) = answer {
        paragraphs.push(format!("{}\n{answer}", t("mail-proposal-news-answer", &[])));
    }
    paragraphs.push(t("mail-proposal-news-link", &[]));
    paragraphs.push(link.into());
    paragraphs.push(t("mail-proposal-news-why", &[]));
    paragraphs.push(unsubscribe.into());
    let subject = t(
        "mail-proposal-news-subject",
        &[("title", title), ("status", status)],
    );
    let mut mail = render_in(lang, municipality, &subject, &paragraphs);
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

fn session_paragraphs(lang: Lang, s: &MeetingText) -> Vec<String> {
    let mut p = vec![format!("{}\n{}\n{}", s.title, s.when, s.place)];
    if !s.agenda.is_empty() {
        p.push(format!(
            "{}\n{}",
            text(lang, "mail-session-agenda", &[]),
            s.agenda.join("\n")
        ));
    }
    p
}

/// The invitation to a member, with the session as an `.ics` attachment.
pub fn session_invitation(lang: Lang, municipality: &str, name: &str, s: &MeetingText) -> Rendered {
    let t = |key: &str, args: &[(&str, &str)]| text(lang, key, args);
    let mut paragraphs = vec![
        t("mail-hello-name", &[("name", name)]),
        t("mail-session-invitation-text", &[("board", &s.board)]),
    ];
    paragraphs.extend(session_paragraphs(lang, s));
    paragraphs.push(t("mail-session-invitation-answer", &[]));
    paragraphs.push(s.link.clone());
    let subject = t(
        "mail-session-invitation-subject",
        &[("title", &s.title), ("board", &s.board)],
    );
    render_in(lang, municipality, &subject, &paragraphs)
}

/// A member's notice that the time or place of a session changed.
pub fn session_changed(lang: Lang, municipality: &str, name: &str, s: &MeetingText) -> Rendered {
    let t = |key: &str, args: &[(&str, &str)]| text(lang, key, args);
    let mut paragraphs = vec![
        t("mail-hello-name", &[("name", name)]),
        t("mail-session-changed-text", &[("board", &s.board)]),
    ];
    paragraphs.extend(session_paragraphs(lang, s));
    paragraphs.push(t("mail-session-changed-calendar", &[]));
    paragraphs.push(s.link.clone());
    let subject = t(
        "mail-session-changed-subject",
        &[("title", &s.title), ("board", &s.board)],
    );
    render_in(lang, municipality, &subject, &paragraphs)
}

/// A member's notice that a session was cancelled.
pub fn session_cancelled(
    lang: Lang,
    municipality: &str,
    name: &str,
    s: &MeetingText,
    reason: &str,
) -> Rendered {
    let t = |key: &str, args: &[(&str, &str)]| text(lang, key, args);
    let paragraphs = vec![
        t("mail-hello-name", &[("name", name)]),
        t(
            "mail-session-cancelled-text",
            &[("title", &s.title), ("board", &s.board), ("when", &s.when)],
        ),
        t("mail-session-cancelled-reason", &[("reason", reason)]),
        t("mail-session-cancelled-calendar", &[]),
        s.link.clone(),
    ];
    let subject = t(
        "mail-session-cancelled-subject",
        &[("title", &s.title), ("board", &s.board)],
    );
    render_in(lang, municipality, &subject, &paragraphs)
}

/// News of a board for a member or a follower: a new session, a cancellation, published
/// minutes. Followers get an unsubscribe link (members are told as members).
pub fn board_news(
    lang: Lang,
    municipality: &str,
    headline: &str,
    s: &MeetingText,
    unsubscribe: Option<&str>,
) -> Rendered {
    let mut paragraphs = vec![text(lang, "mail-good-day", &[]), headline.to_owned()];
    paragraphs.extend(session_paragraphs(lang, s));
    paragraphs.push(s.link.clone());
    if let Some(link) = unsubscribe {
        paragraphs.push(text(lang, "mail-board-news-why", &[("board", &s.board)]));
        paragraphs.push(link.to_owned());
    }
    let mut mail = render_in(
        lang,
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

/// What happened on the subjects someone follows since the last digest (at most one per
/// hour), in the recipient's language.
pub fn digest(
    lang: Lang,
    municipality: &str,
    name: &str,
    groups: &[DigestGroup],
    unsubscribe_all: &str,
) -> Rendered {
    let t = |key: &str, args: &[(&str, &str)]| text(lang, key, args);
    let subject = match groups {
        [one] => t("mail-digest-subject-one", &[("heading", &one.heading)]),
        _ => t(
            "mail-digest-subject-many",
            &[("count", &groups.len().to_string())],
        ),
    };
    let mut paragraphs = vec![t("mail-hello-name", &[("name", name)])];
    for g in groups {
        paragraphs.push(format!("{}:\n{}", g.heading, g.lines.join("\n")));
        paragraphs.push(g.link.clone());
    }
    paragraphs.push(t("mail-digest-why", &[]));
    for g in groups {
        paragraphs.push(t("mail-digest-stop-one", &[("heading", &g.heading)]));
        paragraphs.push(g.unsubscribe.clone());
    }
    paragraphs.push(t("mail-digest-stop-all", &[]));
    paragraphs.push(unsubscribe_all.into());
    let mut mail = render_in(lang, municipality, &subject, &paragraphs);
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
            Lang::default_lang(),
            "Gemeinde Kalletal",
            "<b>Eva</b>",
            "https://x.de/confirm?token=a",
        );
        assert!(m.text.contains("Hallo <b>Eva</b>,"));
        assert!(m.html.contains("Hallo &lt;b&gt;Eva&lt;/b&gt;,"));
        assert!(m.html.contains("<a href=\"https://x.de/confirm?token=a\""));
        assert!(m.text.contains("https://x.de/confirm?token=a\n"));
    }

    #[test]
    fn account_mails_speak_the_recipients_language() {
        let english = Lang::from_code("en").unwrap();
        let m = password_reset(english, "Gemeinde Kalletal", "https://x.de/reset?token=a");
        assert_eq!(m.subject, "Reset your password");
        assert!(m.html.starts_with("<!DOCTYPE html><html lang=\"en\""));
        assert!(m.text.contains("valid for 1 hour"));
        assert!(
            m.text
                .contains("participation platform of Gemeinde Kalletal")
        );
        let m = password_reset(Lang::default_lang(), "Gemeinde Kalletal", "https://x.de/r");
        assert_eq!(m.subject, "Passwort zurücksetzen");
        assert!(m.text.contains("Diese E-Mail wurde von der Beteiligungsplattform Dorfplatz der Gemeinde Kalletal verschickt."));
        let m = signature_receipt(
            english,
            "Gemeinde Kalletal",
            "MVZ",
            "https://x.de/receipt",
            Some("AB12"),
            chrono::NaiveDate::from_ymd_opt(2027, 1, 31),
        );
        assert!(
            m.text
                .contains("hand it in by 31.01.2027 at the latest to the representatives"),
            "{}",
            m.text
        );
    }
}
