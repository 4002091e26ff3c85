//! The demo's accessibility duties: the statement with Kalletal's (demo) contact, the page in
//! Leichte Sprache, the privacy statement made from the starting text, and three reports of
//! barriers in the staff queue (one overdue, one new, one answered).

use chrono::{TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};

use app::accessibility::server as a11y;
use app::accessibility::{EasySubject, FeedbackStatus};
use app::admin::privacy;
use app::error::AppError;
use app::infra::auth::SessionUser;
use app::infra::entities::{barrier_feedback, meeting, petition, proposal};
use app::infra::state::AppConfig;
use app::petitions::rules::{State, rule_set};

const CONTACT: &str = "Gemeinde Kalletal, Fachbereich Zentrale Dienste (Demo-Angaben)  \n\
Rathaus, Rintelner Straße 3, 32689 Kalletal  \n\
Telefon 05264 6440-0  \n\
E-Mail: <barrierefreiheit@kalletal.example>";

/// The starting text's gaps, filled with the demo's (invented) details.
const PRIVACY_GAPS: [(&str, &str); 6] = [
    (
        "**Die Teile in eckigen Klammern ergänzt die Gemeinde.**",
        "*Dies ist eine Demo-Installation; Anschriften und Dienstleister sind erfunden.*",
    ),
    (
        "[Anschrift, Telefon, E-Mail-Adresse]",
        "Rathaus, Rintelner Straße 3, 32689 Kalletal, Telefon 05264 6440-0, <datenschutz@kalletal.example>",
    ),
    (
        "[Name oder Stelle, Anschrift, E-Mail-Adresse]",
        "Datenschutzbeauftragte der Gemeinde Kalletal, Anschrift wie oben, <dsb@kalletal.example>",
    ),
    (
        "[Frist der Gemeinde eintragen]",
        "spätestens drei Monate nach dem Ende des Verfahrens",
    ),
    (
        "[Mailserver oder Dienstleister, ggf. Auftragsverarbeitungsvertrag]",
        "den Mailserver des kommunalen Rechenzentrums (Demo)",
    ),
    (
        "[Rechenzentrum oder Dienstleister, Standort, Auftragsverarbeitungsvertrag]",
        "Kommunales Rechenzentrum (Demo), Standort Deutschland, mit Auftragsverarbeitungsvertrag",
    ),
];

const MVZ_SUMMARY: &str = "In Kalletal gibt es bald zu wenige Ärzte.  \n\
Viele Haus-Ärzte gehen bald in Rente.\n\n\
Darum soll die Gemeinde ein Ärzte-Haus gründen.  \n\
Das Ärzte-Haus heißt: Medizinisches Versorgungs-Zentrum.  \n\
Die Abkürzung ist: MVZ.  \n\
Dort arbeiten Ärzte für die Gemeinde.\n\n\
Sie wollen das auch?  \n\
Dann können Sie unterschreiben.  \n\
Sie müssen mindestens 16 Jahre alt sein.  \n\
Sie müssen in Kalletal wohnen.";

const MEETING_SUMMARY: &str = "Der Beirat trifft sich.  \n\
Alle Menschen dürfen zuhören.  \n\
Der Beirat spricht über die Ärzte im Ort.  \n\
Sie müssen sich nicht anmelden.";

pub async fn seed(
    db: &DatabaseConnection,
    config: &AppConfig,
    staff: &SessionUser,
) -> Result<(), AppError> {
    let mut statement = a11y::dorfplatz_statement();
    statement.contact = CONTACT.to_owned();
    a11y::save_statement(db, staff.id, &statement).await?;
    let easy = a11y::dorfplatz_easy_language("Gemeinde Kalletal");
    a11y::save_easy_language(db, staff.id, &easy).await?;

    let nrw = rule_set(State::NordrheinWestfalen, app::time::today()).ok_or(AppError::Internal)?;
    let mut text = privacy::template(&privacy::Facts {
        municipality: "Gemeinde Kalletal",
        rule_set: nrw,
        signature_retention_days: config.signature_retention_days,
    });
    for (gap, filled) in PRIVACY_GAPS {
        text = text.replace(gap, filled);
    }
    text = text.replace(
        "[Datenschutz-Aufsichtsbehörde des Landes mit Anschrift eintragen]",
        "die Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen, Kavalleriestraße 2–4, 40213 Düsseldorf",
    );
    text = text.replace(
        "[Betreiber und Speicherdauer eintragen]",
        "betreibt das Rechenzentrum; sie werden nach sieben Tagen gelöscht (Demo)",
    );
    privacy::apply(db, None, &text).await?;

    // Summaries in Leichte Sprache of the MVZ petition, a proposal and the next session.
    let mvz = petition::Entity::find()
        .filter(petition::Column::Slug.eq("mvz-kalletal"))
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    a11y::save_easy_summary(db, staff, EasySubject::Petition, mvz.id, MVZ_SUMMARY).await?;
    if let Some(p) = proposal::Entity::find()
        .filter(proposal::Column::HiddenAt.is_null())
        .order_by_asc(proposal::Column::Id)
        .one(db)
        .await?
    {
        let text = format!(
            "Jemand hat einen Vorschlag gemacht.  \nDer Vorschlag heißt: {}.  \nSie können den Vorschlag gut finden.  \nDann klicken Sie auf: Vorschlag unterstützen.",
            p.title
        );
        a11y::save_easy_summary(db, staff, EasySubject::Proposal, p.id, &text).await?;
    }
    if let Some(m) = meeting::Entity::find()
        .filter(meeting::Column::Public.eq(true))
        .filter(meeting::Column::StartsAt.gt(Utc::now()))
        .order_by_asc(meeting::Column::StartsAt)
        .one(db)
        .await?
    {
        a11y::save_easy_summary(db, staff, EasySubject::Meeting, m.id, MEETING_SUMMARY).await?;
    }

    let now = Utc::now();
    let reports = [
        (
            Some("Erika Brandt"),
            Some("erika.brandt@kalletal.example"),
            Some("/petitions"),
            "Die grauen Datumsangaben in der Liste der Bürgerbegehren kann ich mit meiner Sehschwäche kaum lesen.",
            TimeDelta::days(20),
            FeedbackStatus::New,
            None,
        ),
        (
            None,
            None,
            Some("Sitzungsprotokoll als PDF"),
            "Das Protokoll der letzten Beiratssitzung als PDF liest mein Bildschirmleser nur als ungeordneten Text vor.",
            TimeDelta::days(2),
            FeedbackStatus::New,
            None,
        ),
        (
            Some("Jonas Albers"),
            Some("jonas.albers@kalletal.example"),
            Some("/proposals/new"),
            "Beim Einreichen eines Vorschlags sagt mir der Bildschirmleser nicht, welches Feld fehlt.",
            TimeDelta::days(9),
            FeedbackStatus::Answered,
            Some(
                "Vielen Dank für den Hinweis. Fehlermeldungen stehen jetzt am Anfang des Formulars mit Links zu den Feldern und werden vorgelesen. Bitte sagen Sie uns, ob es jetzt für Sie funktioniert.",
            ),
        ),
    ];
    for (name, email, page, description, age, status, answer) in reports {
        let received = now - age;
        barrier_feedback::ActiveModel {
            name: Set(name.map(str::to_owned)),
            email: Set(email.map(str::to_owned)),
            page: Set(page.map(str::to_owned)),
            description: Set(description.to_owned()),
            status: Set(status.code().to_owned()),
            received_at: Set(received),
            answer: Set(answer.map(str::to_owned)),
            answered_at: Set(answer.map(|_| received + TimeDelta::days(3))),
            answered_by: Set(answer.map(|_| staff.id)),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}
