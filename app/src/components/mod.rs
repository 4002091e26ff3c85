//! Generic UI pieces: form fields with their error messages and the error summary
//! (`fields`), charts, page helpers (status, loading), notices and restricted pages.

pub mod chart;
pub mod fields;
pub mod page;

pub use fields::{Checkbox, ErrorSummary, Field, Select, Submit, TextArea};

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The German text for a `?notice=` code that a successful action redirected with.
pub fn notice_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "registered" => {
            "Fast geschafft: Wir haben Ihnen eine E-Mail mit einem Bestätigungslink geschickt. Bitte öffnen Sie den Link, danach können Sie sich anmelden."
        }
        "confirmed" => "Ihre E-Mail-Adresse ist bestätigt. Sie können sich jetzt anmelden.",
        "email_changed" => "Ihre neue E-Mail-Adresse ist bestätigt und gilt ab sofort.",
        "logged_out" => "Sie haben sich abgemeldet.",
        "reset_sent" => {
            "Wenn zu dieser Adresse ein Konto besteht, haben wir einen Link zum Zurücksetzen des Passworts geschickt. Er ist eine Stunde gültig."
        }
        "password_reset" => "Ihr neues Passwort ist gespeichert. Bitte melden Sie sich damit an.",
        "password_changed" => "Ihr Passwort wurde geändert. Andere Anmeldungen wurden beendet.",
        "email_change_sent" => {
            "Wir haben einen Bestätigungslink an die neue Adresse geschickt. Bis zur Bestätigung gilt Ihre bisherige Adresse."
        }
        "account_deleted" => "Ihr Konto wurde gelöscht.",
        "settings_saved" => "Die Einstellungen wurden gespeichert.",
        "privacy_template_applied" => {
            "Die Vorlage ist als Datenschutzerklärung übernommen. Bitte ergänzen Sie jetzt die Teile in eckigen Klammern."
        }
        "summary_saved" => "Die Zusammenfassung in Leichter Sprache ist gespeichert.",
        "video_added" => "Das Video ist hochgeladen und auf der Seite „Gebärdensprache“ zu sehen.",
        "video_removed" => "Das Video ist entfernt.",
        "statement_saved" => {
            "Die Erklärung zur Barrierefreiheit ist gespeichert und veröffentlicht."
        }
        "easy_language_saved" => "Der Text in Leichter Sprache ist gespeichert und veröffentlicht.",
        "feedback_received" => {
            "Vielen Dank, Ihre Rückmeldung ist angekommen. Wenn Sie eine E-Mail-Adresse angegeben haben, antworten wir Ihnen dorthin."
        }
        "feedback_answered" => {
            "Die Antwort ist gespeichert; mit E-Mail-Adresse geht sie per E-Mail hinaus."
        }
        "feedback_closed" => "Die Rückmeldung ist abgeschlossen.",
        "feedback_reopened" => "Die Rückmeldung ist wieder offen.",
        "board_created" => "Das Gremium ist angelegt. Tragen Sie jetzt die Mitglieder ein.",
        "board_saved" => "Die Angaben zum Gremium sind gespeichert.",
        "member_added" => "Das Mitglied ist eingetragen.",
        "member_saved" => "Die Mitgliedschaft ist geändert.",
        "member_removed" => "Der Eintrag ist entfernt.",
        "consent_saved" => "Ihre Entscheidung zur Nennung Ihres Namens ist gespeichert.",
        "session_created" => "Die Sitzung ist angelegt. Stellen Sie jetzt die Tagesordnung auf.",
        "session_saved" => "Die Sitzung ist gespeichert.",
        "session_deleted" => "Die Sitzung ist gelöscht.",
        "invited" => "Die Einladung ist an alle Mitglieder verschickt, mit Kalendereintrag.",
        "cancelled" => "Die Sitzung ist abgesagt. Eingeladene Mitglieder werden benachrichtigt.",
        "answered" => "Ihre Antwort auf die Einladung ist gespeichert.",
        "item_added" => "Der Tagesordnungspunkt ist angelegt.",
        "item_saved" => "Der Tagesordnungspunkt ist gespeichert.",
        "item_moved" => "Die Reihenfolge der Tagesordnung ist geändert.",
        "item_deleted" => "Der Tagesordnungspunkt ist entfernt.",
        "outcome_saved" => "Das Ergebnis ist gespeichert.",
        "attendance_saved" => "Die Anwesenheit ist erfasst; die Sitzung gilt als durchgeführt.",
        "minutes_saved" => "Das Protokoll ist gespeichert. Es muss noch genehmigt werden.",
        "minutes_approved" => "Das Protokoll ist genehmigt und kann veröffentlicht werden.",
        "minutes_published" => {
            "Das Protokoll ist veröffentlicht. Die Mitglieder und alle, die dem Gremium folgen, werden benachrichtigt."
        }
        "file_added" => "Die Anlage ist hochgeladen.",
        "file_removed" => "Die Anlage ist entfernt.",
        "role_changed" => "Die Rolle wurde geändert.",
        "two_factor_required" => {
            "Konten der Verwaltung brauchen die Zwei-Faktor-Anmeldung. Bitte richten Sie sie jetzt ein; vorher sind die anderen Seiten gesperrt."
        }
        "two_factor_enabled" => {
            "Die Zwei-Faktor-Anmeldung ist eingeschaltet. Bitte bewahren Sie jetzt Ihre Wiederherstellungscodes auf."
        }
        "two_factor_disabled" => "Die Zwei-Faktor-Anmeldung ist ausgeschaltet.",
        "two_factor_reset" => {
            "Die Zwei-Faktor-Anmeldung des Kontos ist zurückgesetzt; seine Anmeldungen sind beendet."
        }
        "recovery_codes_renewed" => {
            "Neue Wiederherstellungscodes sind erzeugt; die bisherigen gelten nicht mehr."
        }
        "session_ended" => "Die Anmeldung auf dem anderen Gerät ist beendet.",
        "logged_out_everywhere" => "Sie wurden auf allen Geräten abgemeldet.",
        "login_required" => "Bitte melden Sie sich an, um diese Seite zu sehen.",
        "petition_created" => {
            "Ihr Entwurf ist gespeichert. Er ist erst öffentlich, wenn die Verwaltung die Veröffentlichung freigibt."
        }
        "step_taken" => "Der Verfahrensschritt ist gespeichert.",
        "proposal_submitted" => {
            "Ihr Vorschlag ist eingereicht und öffentlich. Bis zur ersten Antwort können Sie ihn noch ändern."
        }
        "proposal_edited" => {
            "Ihre Änderungen sind gespeichert; die frühere Fassung bleibt erhalten."
        }
        "supported" => "Danke! Sie unterstützen diesen Vorschlag.",
        "support_withdrawn" => "Sie unterstützen diesen Vorschlag nicht mehr.",
        "proposal_answered" => "Der neue Stand und die Antwort sind gespeichert.",
        "lists_saved" => "Die Liste ist gespeichert.",
        "comment_posted" => "Ihr Kommentar ist veröffentlicht.",
        "comment_edited" => {
            "Ihre Änderung ist gespeichert; der Kommentar ist als „bearbeitet“ gekennzeichnet."
        }
        "comment_deleted" => "Ihr Kommentar ist gelöscht.",
        "reported" => "Danke für Ihre Meldung. Die Moderation sieht sich den Beitrag an.",
        "followed" => {
            "Sie folgen jetzt diesem Beitrag: Neues kommt per E-Mail, höchstens eine pro Stunde."
        }
        "unfollowed" => "Sie folgen diesem Beitrag nicht mehr.",
        "board_followed" => {
            "Sie folgen jetzt diesem Gremium: Neue Sitzungen und veröffentlichte Protokolle kommen per E-Mail."
        }
        "board_unfollowed" => "Sie folgen diesem Gremium nicht mehr.",
        "moderated_hide" => "Der Beitrag ist ausgeblendet; der Grund steht an seiner Stelle.",
        "moderated_restore" => "Der Beitrag ist wieder sichtbar.",
        "moderated_dismiss" => "Die Meldungen sind zurückgewiesen; der Beitrag bleibt sichtbar.",
        "account_blocked" => "Das Konto ist gesperrt und kann nichts mehr beitragen.",
        "account_unblocked" => "Die Sperre ist aufgehoben.",
        "signature_pending" => {
            "Fast geschafft: Wir haben Ihnen eine E-Mail geschickt. Bitte bestätigen Sie Ihre Unterschrift über den Link darin (7 Tage gültig); erst dann wird sie gezählt."
        }
        "signature_confirmed" => {
            "Vielen Dank! Ihre Unterschrift ist bestätigt. Die Bestätigung mit allen weiteren Hinweisen haben wir Ihnen per E-Mail geschickt."
        }
        "signature_withdrawn" => "Ihre Unterschrift ist zurückgezogen und wird nicht mehr gezählt.",
        "sheet_received" => {
            "Der Bogen ist als eingegangen erfasst und zählt jetzt als Papierunterschrift."
        }
        "paper_entered" => {
            "Die Zeile ist erfasst. Sie wird geprüft, sobald ein Melderegister eingelesen ist."
        }
        "paper_valid" => "Die Zeile ist erfasst und gültig.",
        "paper_review" => {
            "Die Zeile ist erfasst; sie passt nicht eindeutig zum Melderegister und wartet auf eine Prüfung."
        }
        "paper_invalid" => {
            "Die Zeile ist erfasst, zählt aber nicht (Ergebnis der Prüfung siehe „Unterschriften prüfen“)."
        }
        "paper_duplicate" => {
            "Die Zeile ist erfasst, zählt aber nicht: Diese Person hat bereits unterschrieben (online oder auf einer anderen Zeile). Die frühere Unterschrift zählt."
        }
        "register_upload_started" => {
            "Die Datei ist hochgeladen und wird eingelesen. Diese Seite zeigt den Fortschritt; das bisherige Melderegister gilt, bis der Import fehlerfrei abgeschlossen ist."
        }
        "register_purged" => "Das Melderegister ist gelöscht.",
        "signature_decided" => "Die Entscheidung ist gespeichert.",
        "sheet_voided" => "Das Blatt ist als ungültig erfasst; keine Zeile darauf zählt.",
        "sheet_restored" => "Das Blatt gilt wieder; seine Zeilen sind neu geprüft.",
        _ => return None,
    })
}

/// Shows the notice named in the URL (`?notice=…`), as a polite live region.
#[component]
pub fn Notice() -> impl IntoView {
    let query = use_query_map();
    move || {
        query
            .read()
            .get("notice")
            .and_then(|c| notice_text(&c))
            .map(|text| view! { <div class="notice" role="status">{text}</div> })
    }
}

/// Renders `children` for signed-in users whom `allow` admits; sends guests to the login
/// and tells everyone else (with a real 403) that they may not. This only shapes the page:
/// every server function checks the caller again on its own.
#[component]
pub fn Restricted(
    #[prop(into)] next: String,
    allow: fn(&crate::accounts::Me) -> bool,
    denial: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    use leptos_router::components::Redirect;
    let layout = expect_context::<crate::LayoutResource>();
    let children = StoredValue::new(children);
    let next = StoredValue::new(next);
    view! {
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match layout.await.ok().and_then(|l| l.me) {
                    None => view! {
                        <Redirect path=format!("/login?notice=login_required&next={}", next.get_value()) />
                    }.into_any(),
                    Some(me) if !allow(&me) => {
                        crate::components::page::set_status(403);
                        view! {
                            <h1>"Keine Berechtigung"</h1>
                            <p>{denial}</p>
                        }.into_any()
                    }
                    Some(_) => children.with_value(|c| c()).into_any(),
                }
            })}
        </Suspense>
    }
}
