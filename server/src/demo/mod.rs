//! `dorfplatz demo`: a realistic demo municipality in an empty database: accounts of every
//! role, the municipality's figures and three petitions at different stages. Later features
//! add their own content here.

mod accessibility;
mod boards;

use chrono::{TimeDelta, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    sea_query::Expr,
};

use app::accounts::domain::{DisplayName, EmailAddress, NewPassword, Role};
use app::accounts::server::create_confirmed;
use app::error::AppError;
use app::infra::auth::SessionUser;
use app::infra::db::begin_write;
use app::infra::entities::{notification, petition, proposal, user};
use app::infra::state::AppConfig;
use app::petitions::Figures;
use app::petitions::draft::{Draft, DraftInput, Outcome, RepresentativeInput, StepAction};
use app::petitions::rules::{State, german_date, rule_set};
use app::petitions::server::municipality;
use app::petitions::server::procedure as petitions;
use app::petitions::server::signatures;
use app::petitions::signer::PaperLine;
use app::register::check::SignedData;
use app::register::server::import as register;
use app::register::server::synthetic;
use app::site::server as site;

/// The password of every demo account (documented in the README; demo data only).
pub const DEMO_PASSWORD: &str = "dorfplatz-demo";

pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub roles: &'static [Role],
}

pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        email: "admin@kalletal.example",
        name: "Jana Admin",
        roles: &[Role::Admin],
    },
    DemoAccount {
        email: "verwaltung@kalletal.example",
        name: "Thomas Brandt (Verwaltung)",
        roles: &[Role::Staff],
    },
    DemoAccount {
        email: "beirat.vorsitz@kalletal.example",
        name: "Renate Vogt",
        roles: &[Role::BoardMember],
    },
    DemoAccount {
        email: "beirat.mitglied@kalletal.example",
        name: "Mehmet Yılmaz",
        roles: &[Role::BoardMember],
    },
    DemoAccount {
        email: "beirat.jugend@kalletal.example",
        name: "Lea Hoffmann",
        roles: &[Role::BoardMember],
    },
    DemoAccount {
        email: "anna.schmidt@kalletal.example",
        name: "Anna Schmidt",
        roles: &[],
    },
    DemoAccount {
        email: "peter.mueller@kalletal.example",
        name: "Peter Müller",
        roles: &[],
    },
    DemoAccount {
        email: "sabine.krueger@kalletal.example",
        name: "Sabine Krüger",
        roles: &[],
    },
];

/// Residents of the demo register: Kalletal's population.
const DEMO_RESIDENTS: u64 = 13_904;

const IMPRESSUM: &str = "## Gemeinde Kalletal (Demo)\n\nRathausstraße 3, 32689 Kalletal\n\nVertreten durch den Bürgermeister\n\nTelefon: 05264 644-0 · E-Mail: info@kalletal.example\n\n*Dies ist eine Demo-Installation von Dorfplatz.*";

/// Whether the database has no accounts yet.
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, AppError> {
    Ok(user::Entity::find().count(db).await? == 0)
}

/// Seeds the demo; refuses a database that already has accounts. `config` makes the links in
/// the emails the demo's procedure steps send.
pub async fn seed(db: &DatabaseConnection, config: &AppConfig) -> Result<(), AppError> {
    let base_url = &config.link("");
    if !is_empty(db).await? {
        return Err(AppError::field(
            "database",
            "Die Datenbank enthält bereits Konten; die Demo wird nur in eine leere Datenbank geschrieben.",
        ));
    }
    site::put(db, site::MUNICIPALITY_NAME, "Gemeinde Kalletal").await?;
    site::put(db, site::IMPRESSUM, IMPRESSUM).await?;
    // A synthetic register of Kalletal's size comes first, so that every paper line below
    // is checked as it is entered.
    let mut register_file = Vec::new();
    synthetic::write_register(&mut register_file, DEMO_RESIDENTS)
        .map_err(|_| AppError::Internal)?;
    register::import(
        db,
        None,
        "melderegister-demo.csv",
        register_file.len() as u64,
        register_file.as_slice(),
        None,
        |_| {},
    )
    .await?;
    // Figures of the size of Kalletal; the eligible citizens as after a municipal election.
    municipality::update(
        db,
        None,
        &Figures {
            state: State::NordrheinWestfalen,
            population: Some(13_904),
            eligible_citizens: Some(11_387),
            eligible_source: "Wahlberechtigte der Kommunalwahl 2025 (Demo)".into(),
            eligible_reference_date: chrono::NaiveDate::from_ymd_opt(2025, 9, 14),
        },
    )
    .await?;
    let password = NewPassword::parse(DEMO_PASSWORD).map_err(|m| AppError::field("password", m))?;
    let mut users = Vec::new();
    for a in ACCOUNTS {
        let email = EmailAddress::parse(a.email).map_err(|m| AppError::field("email", m))?;
        let name = DisplayName::parse(a.name).map_err(|m| AppError::field("display_name", m))?;
        let id = create_confirmed(db, &email, &name, &password, a.roles).await?;
        users.push(SessionUser {
            id,
            session_id: 0,
            email: a.email.to_owned(),
            display_name: a.name.to_owned(),
            roles: a.roles.to_vec(),
            blocked: false,
            two_factor: false,
        });
    }
    let user = |email: &str| {
        users
            .iter()
            .find(|u| u.email == email)
            .cloned()
            .ok_or(AppError::Internal)
    };
    seed_petitions(
        db,
        base_url,
        &user("verwaltung@kalletal.example")?,
        &user("anna.schmidt@kalletal.example")?,
        &user("sabine.krueger@kalletal.example")?,
        &user("peter.mueller@kalletal.example")?,
    )
    .await?;
    seed_proposals(db, config, &users).await?;
    seed_comments(db, &users).await?;
    boards::seed(db, &users).await?;
    accessibility::seed(db, config, &user("verwaltung@kalletal.example")?).await?;
    // The seeded discussions are history: nobody is emailed about them.
    notification::Entity::update_many()
        .col_expr(notification::Column::SentAt, Expr::value(Utc::now()))
        .filter(notification::Column::SentAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Threaded comments on the first proposals and on the collecting petition: replies on all
/// three levels, likes, an edited comment, a deleted one, a hidden one with an open report.
async fn seed_comments(db: &DatabaseConnection, users: &[SessionUser]) -> Result<(), AppError> {
    use app::comments::domain::{Decision, SubjectKind, Target};
    use app::comments::server as comments;
    let user = |email: &str| {
        users
            .iter()
            .find(|u| u.email == email)
            .cloned()
            .ok_or(AppError::Internal)
    };
    let anna = user("anna.schmidt@kalletal.example")?;
    let peter = user("peter.mueller@kalletal.example")?;
    let sabine = user("sabine.krueger@kalletal.example")?;
    let mehmet = user("beirat.mitglied@kalletal.example")?;
    let lea = user("beirat.jugend@kalletal.example")?;
    let staff = user("verwaltung@kalletal.example")?;
    let first = proposal::Entity::find()
        .order_by_asc(proposal::Column::Id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let kind = SubjectKind::Proposal;
    let post = |who: &SessionUser, parent: Option<i64>, text: &'static str| {
        let who = who.clone();
        async move {
            comments::post(db, &who, kind, first.id, parent, text, true)
                .await
                .map(|(id, _)| id)
        }
    };
    let a = post(&peter, None, "Sehr gute Idee. Mit zwei kleinen Kindern fahren wir für jede Vorsorgeuntersuchung nach Lemgo, das kostet jedes Mal einen halben Tag.").await?;
    let b = post(
        &sabine,
        Some(a),
        "Geht uns genauso. Gibt es schon Zahlen, wie viele Menschen das betrifft?",
    )
    .await?;
    let c = post(
        &mehmet,
        Some(b),
        "Die Verwaltung stellt die Zahlen für die nächste Beiratssitzung zusammen.",
    )
    .await?;
    // A reply to the third level sits beside it.
    post(&sabine, Some(c), "Danke, dann warte ich die Sitzung ab.").await?;
    let d = post(
        &lea,
        None,
        "Für Schulkinder wäre eine feste Sprechstunde am Nachmittag wichtig.",
    )
    .await?;
    comments::like(db, &anna, a, true).await?;
    comments::like(db, &sabine, a, true).await?;
    comments::like(db, &peter, d, true).await?;
    comments::edit(db, &lea, d, "Für Schulkinder wäre eine feste Sprechstunde am Nachmittag wichtig, nach der Schule (ab 15 Uhr).").await?;
    let gone = post(&peter, Some(d), "Das kann ich nur unterstützen.").await?;
    comments::delete(db, &peter, gone).await?;
    let rude = post(
        &sabine,
        None,
        "Das bringt doch alles nichts, die da oben machen eh, was sie wollen!!!",
    )
    .await?;
    comments::report(
        db,
        &anna,
        Target::Comment,
        rude,
        "Pauschale Herabwürdigung, trägt nichts zur Sache bei.",
    )
    .await?;
    comments::moderate(
        db,
        &staff,
        Target::Comment,
        rude,
        Decision::Hide,
        "Verstoß gegen die Diskussionsregeln (pauschale Herabwürdigung)",
    )
    .await?;
    let open = post(
        &mehmet,
        None,
        "Wer Lust hat, mitzudenken: Der Beirat sucht Leute für eine Arbeitsgruppe Gesundheit.",
    )
    .await?;
    comments::report(
        db,
        &peter,
        Target::Comment,
        open,
        "Werbung für eine Arbeitsgruppe gehört nicht hierher.",
    )
    .await?;
    if let Some(mvz) = petition::Entity::find()
        .filter(petition::Column::Slug.eq("mvz-kalletal"))
        .one(db)
        .await?
    {
        let k = SubjectKind::Petition;
        let (q, _) = comments::post(
            db,
            &peter,
            k,
            mvz.id,
            None,
            "Kann ich auch unterschreiben, wenn ich erst seit einem halben Jahr in Kalletal wohne?",
            true,
        )
        .await?;
        comments::post(db, &anna, k, mvz.id, Some(q), "Ja: Unterschreiben darf, wer am Tag der Unterschrift in Kalletal wahlberechtigt ist; dafür reichen drei Monate Wohnsitz.", true).await?;
    }
    Ok(())
}

/// The topics of the issue and Kalletal's villages.
pub const TOPICS: [&str; 6] = [
    "Gesundheitsversorgung",
    "Mobilität",
    "Bildung & Betreuung",
    "Ortsentwicklung",
    "Umwelt",
    "Digitales",
];
pub const DISTRICTS: [&str; 16] = [
    "Bavenhausen",
    "Bentorf",
    "Brosen",
    "Erder",
    "Harkemissen",
    "Heidelbeck",
    "Henstorf",
    "Hohenhausen",
    "Kalldorf",
    "Langenholzhausen",
    "Lüdenhausen",
    "Osterhagen",
    "Stemmen",
    "Talle",
    "Varenholz",
    "Westorf",
];

/// A demo proposal: author, title, text, topic, village, number of supporters, and the
/// official steps with their answers.
type DemoProposal = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    usize,
    &'static [(&'static str, &'static str)],
);

/// Proposals in every status, with supports and official answers.
async fn seed_proposals(
    db: &DatabaseConnection,
    config: &AppConfig,
    users: &[SessionUser],
) -> Result<(), AppError> {
    use app::proposals::server::{self as proposals, Input, ListKind};
    let names = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    proposals::save_list(db, None, ListKind::Topics, &names(&TOPICS)).await?;
    proposals::save_list(db, None, ListKind::Districts, &names(&DISTRICTS)).await?;
    let choices = proposals::form_choices(db).await?;
    let topic = |name: &str| {
        choices
            .topics
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.id.to_string())
            .unwrap_or_default()
    };
    let district = |name: &str| {
        choices
            .districts
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.id.to_string())
            .unwrap_or_default()
    };
    let by = |email: &str| {
        users
            .iter()
            .find(|u| u.email == email)
            .cloned()
            .ok_or(AppError::Internal)
    };
    let staff = by("verwaltung@kalletal.example")?;
    // (author, title, text, topic, village, supporters, steps with answers)
    let proposals: [DemoProposal; 7] = [
        (
            "anna.schmidt@kalletal.example",
            "Kinderarzt im MVZ",
            "Familien aus Kalletal fahren für jede Vorsorgeuntersuchung nach Lemgo oder Rinteln. Das neue Medizinische Versorgungszentrum sollte von Anfang an **eine Kinderarztpraxis** einplanen, mindestens an zwei Tagen in der Woche.\n\n- kürzere Wege für Familien\n- Entlastung der Hausärzte\n- ein Grund mehr, hier zu wohnen",
            "Gesundheitsversorgung",
            "Hohenhausen",
            6,
            &[
                (
                    "under_review",
                    "Die Verwaltung prüft mit der Kassenärztlichen Vereinigung, ob ein Kinderarztsitz für Kalletal möglich ist.",
                ),
                (
                    "on_agenda",
                    "Der Vorschlag steht auf der Tagesordnung der nächsten Sitzung des Entwicklungsbeirats.",
                ),
                (
                    "recommended",
                    "Der Entwicklungsbeirat empfiehlt dem Rat einstimmig, im MVZ Räume für eine Kinderarztpraxis vorzusehen.",
                ),
            ],
        ),
        (
            "peter.mueller@kalletal.example",
            "Bürgerbus nach Lemgo",
            "Ein ehrenamtlich gefahrener Bürgerbus könnte die Dörfer zweimal am Tag mit Lemgo verbinden – zum Bahnhof, zum Klinikum und zum Markt. Andere Gemeinden im Kreis Lippe machen das seit Jahren.",
            "Mobilität",
            "Talle",
            5,
            &[
                (
                    "under_review",
                    "Die Verwaltung klärt die Förderung durch das Land und sucht Fahrerinnen und Fahrer.",
                ),
                (
                    "on_agenda",
                    "Der Beirat berät den Vorschlag in seiner nächsten Sitzung.",
                ),
            ],
        ),
        (
            "sabine.krueger@kalletal.example",
            "Ferienbetreuung für Grundschulkinder",
            "In den Sommerferien gibt es in Kalletal nur zwei Wochen Betreuung. Berufstätige Eltern brauchen mindestens vier Wochen, gern gemeinsam mit den Sportvereinen.",
            "Bildung & Betreuung",
            "",
            4,
            &[(
                "under_review",
                "Die Verwaltung fragt den Bedarf bei den Grundschulen ab.",
            )],
        ),
        (
            "anna.schmidt@kalletal.example",
            "Dorfladen mit Café in Varenholz",
            "Seit der Bäcker geschlossen hat, gibt es in Varenholz keinen Ort mehr zum Einkaufen und Treffen. Ein genossenschaftlicher Dorfladen mit kleinem Café könnte beides sein.",
            "Ortsentwicklung",
            "Varenholz",
            3,
            &[],
        ),
        (
            "peter.mueller@kalletal.example",
            "Blühstreifen an Gemeindewegen",
            "Die Randstreifen der Gemeindewege könnten statt gemulcht als Blühstreifen angelegt werden. Das hilft Insekten und spart Arbeit für den Bauhof.",
            "Umwelt",
            "",
            5,
            &[
                ("under_review", "Der Bauhof prüft, welche Wege sich eignen."),
                (
                    "recommended",
                    "Der Beirat empfiehlt, mit zehn Kilometern Wegrand zu beginnen.",
                ),
                (
                    "implemented",
                    "Im Frühjahr wurden an zwölf Kilometern Gemeindewegen Blühstreifen eingesät.",
                ),
            ],
        ),
        (
            "sabine.krueger@kalletal.example",
            "Freies WLAN in allen Dorfgemeinschaftshäusern",
            "In den Dorfgemeinschaftshäusern sollte es freies WLAN geben, damit Vereine und Gäste es nutzen können.",
            "Digitales",
            "",
            2,
            &[(
                "not_recommended",
                "Der Beirat empfiehlt, zunächst den Glasfaserausbau abzuwarten; danach wird der Vorschlag neu beraten.",
            )],
        ),
        (
            "peter.mueller@kalletal.example",
            "Skateranlage am Sportplatz Hohenhausen",
            "Jugendliche wünschen sich eine kleine Skateranlage am Sportplatz in Hohenhausen.",
            "Ortsentwicklung",
            "Hohenhausen",
            1,
            &[],
        ),
    ];
    for (n, (author, title, body, t, d, supporters, steps)) in proposals.into_iter().enumerate() {
        let author = by(author)?;
        let input = Input {
            title: title.to_owned(),
            body: body.to_owned(),
            topic: topic(t),
            district: district(d),
        };
        let id = proposals::create(db, &author, &input).await?;
        for supporter in users.iter().filter(|u| u.id != author.id).take(supporters) {
            proposals::support(db, supporter, id, true).await?;
        }
        for (status, answer) in steps {
            proposals::change_status(db, config, &staff, id, status, answer).await?;
        }
        // The last one its author takes back.
        if n == 6 {
            proposals::change_status(
                db,
                config,
                &author,
                id,
                "withdrawn",
                "Wir planen das jetzt mit dem Jugendtreff gemeinsam.",
            )
            .await?;
        }
    }
    Ok(())
}

/// Three petitions: one collecting (the medical care centre), one submitted against a
/// council decision, one decided by referendum.
async fn seed_petitions(
    db: &DatabaseConnection,
    base_url: &str,
    staff: &SessionUser,
    anna: &SessionUser,
    sabine: &SessionUser,
    peter: &SessionUser,
) -> Result<(), AppError> {
    let today = german_date(Utc::now());
    let rules = rule_set(State::NordrheinWestfalen, today).ok_or(AppError::Internal)?;
    let day = |offset: i64| today + TimeDelta::days(offset);
    let rep = |name: &str, address: &str, email: &str| RepresentativeInput {
        name: name.into(),
        address: address.into(),
        email: email.into(),
    };

    // 1. In collection: the medical care centre.
    let mvz = Draft::parse(
        &DraftInput {
            title: "Medizinisches Versorgungszentrum für Kalletal".into(),
            question: "Soll die Gemeinde Kalletal ein kommunales Medizinisches Versorgungszentrum (MVZ) gründen und betreiben?".into(),
            justification: "In Kalletal gehen in den nächsten Jahren mehrere Hausärztinnen und Hausärzte in den Ruhestand, Nachfolger für die Einzelpraxen finden sich nicht. Schon heute fahren viele Ältere bis nach Lemgo oder Rinteln.\n\nEin kommunales MVZ stellt Ärztinnen und Ärzte an, auch in Teilzeit, und sichert die hausärztliche Versorgung in den Ortsteilen. Der Kommunale Entwicklungsbeirat hat die Gründung nach einem Jahr Beratung empfohlen.".into(),
            kind: "initiating".into(),
            end_date: day(75).to_string(),
            representatives: vec![
                rep("Anna Schmidt", "Lindenweg 3, 32689 Kalletal", "anna.schmidt@kalletal.example"),
                rep("Peter Müller", "Am Kirchplatz 7, 32689 Kalletal", ""),
            ],
            ..Default::default()
        },
        rules,
        today,
    )?;
    let slug = petitions::create_draft(db, anna.id, &mvz, rules, Some("mvz-kalletal")).await?;
    publish(db, base_url, anna, staff, &slug, "Gründung rund 350.000 € (Umbau der Praxisräume im Rathaus Hohenhausen, Ausstattung). Laufender Zuschuss in den ersten drei Jahren bis zu 120.000 € jährlich, danach voraussichtlich kostendeckend.").await?;
    // A slow start, a busy weekend market stand, a quieter week.
    paper_lines(db, &slug, staff.id, 0, 48, |i| {
        day(DEMO_DAYS[i % DEMO_DAYS.len()])
    })
    .await?;
    doubtful_lines(db, &slug, staff.id, 6).await?;

    // 2. Handed in: against the council's decision to close the open-air pool.
    let pool = Draft::parse(
        &DraftInput {
            title: "Freibad Hohenhausen erhalten".into(),
            question: "Soll der Beschluss des Rates, das Freibad Hohenhausen zu schließen, aufgehoben werden?".into(),
            justification: "Das Freibad ist der einzige Ort im Gemeindegebiet, an dem Kinder schwimmen lernen. Ein Förderverein hat angeboten, den Betrieb mit Ehrenamtlichen zu unterstützen.".into(),
            kind: "cassatory".into(),
            council_meeting_on: day(-20).to_string(),
            council_published_on: day(-18).to_string(),
            representatives: vec![rep("Sabine Krüger", "Talstraße 12, 32689 Kalletal", "sabine.krueger@kalletal.example")],
            ..Default::default()
        },
        rules,
        today,
    )?;
    let slug =
        petitions::create_draft(db, sabine.id, &pool, rules, Some("freibad-hohenhausen")).await?;
    publish(db, base_url, sabine, staff, &slug, "Weiterbetrieb: jährlicher Zuschuss rund 180.000 €, dazu eine Sanierung der Technik von rund 600.000 € in den nächsten fünf Jahren.").await?;
    paper_lines(db, &slug, staff.id, 100, 30, |i| day(i as i64 / 5 - 7)).await?;
    petitions::take_step(db, base_url, Some(sabine), &slug, &StepAction::Submit).await?;

    // 3. Decided: a village hall, carried by referendum.
    let hall = Draft::parse(
        &DraftInput {
            title: "Dorfgemeinschaftshaus Talle".into(),
            question: "Soll die Gemeinde Kalletal die alte Schule in Talle zu einem Dorfgemeinschaftshaus umbauen?".into(),
            justification: "Vereine, Chöre und die Jugendgruppe in Talle haben keinen Raum mehr, seit die Gaststätte geschlossen hat. Die alte Schule steht leer.".into(),
            kind: "initiating".into(),
            representatives: vec![rep("Peter Müller", "Am Kirchplatz 7, 32689 Kalletal", "peter.mueller@kalletal.example")],
            ..Default::default()
        },
        rules,
        today,
    )?;
    let slug = petitions::create_draft(
        db,
        peter.id,
        &hall,
        rules,
        Some("dorfgemeinschaftshaus-talle"),
    )
    .await?;
    publish(db, base_url, peter, staff, &slug, "Umbau rund 420.000 €, davon 65 % aus der Dorferneuerungsförderung des Landes; Betriebskosten rund 15.000 € jährlich.").await?;
    paper_lines(db, &slug, staff.id, 200, 24, |i| day(i as i64 / 4 - 6)).await?;
    petitions::take_step(db, base_url, Some(peter), &slug, &StepAction::Submit).await?;
    petitions::take_step(
        db,
        base_url,
        Some(staff),
        &slug,
        &StepAction::DeclareAdmissible,
    )
    .await?;
    petitions::take_step(
        db,
        base_url,
        Some(staff),
        &slug,
        &StepAction::ScheduleReferendum { on: day(-2) },
    )
    .await?;
    petitions::take_step(
        db,
        base_url,
        Some(staff),
        &slug,
        &StepAction::RecordResult {
            yes: 3_112,
            no: 1_874,
            outcome: Outcome::Accepted,
        },
    )
    .await?;
    Ok(())
}

/// The initiator asks for the cost estimate, staff give it and publish the petition.
async fn publish(
    db: &DatabaseConnection,
    base_url: &str,
    initiator: &SessionUser,
    staff: &SessionUser,
    slug: &str,
    cost_estimate: &str,
) -> Result<(), AppError> {
    let steps = [
        (initiator, StepAction::RequestCostEstimate),
        (
            staff,
            StepAction::EnterCostEstimate {
                cost_estimate: cost_estimate.to_owned(),
            },
        ),
        (staff, StepAction::ApprovePublication),
    ];
    for (user, action) in steps {
        petitions::take_step(db, base_url, Some(user), slug, &action).await?;
    }
    Ok(())
}

/// Days (relative to today) the demo's paper signatures are spread over.
const DEMO_DAYS: [i64; 16] = [
    -12, -11, -9, -9, -8, -6, -6, -6, -6, -5, -5, -3, -2, -2, -1, 0,
];

/// Residents of the demo register sign the i-th paper line: people from the synthetic
/// register (so the check finds them, with the register's mix of eligible and not), written
/// the way people write (the first given name only, "Str."), counted on the day `on(i)`
/// gives.
async fn paper_lines(
    db: &DatabaseConnection,
    slug: &str,
    staff: i64,
    seed: usize,
    count: usize,
    on: impl Fn(usize) -> chrono::NaiveDate,
) -> Result<(), AppError> {
    let p = petitions::find_by_slug(db, slug).await?;
    let tx = begin_write(db).await?;
    for i in 0..count {
        let person = ((seed + i) * 211 % DEMO_RESIDENTS as usize) as u64;
        let mut signer = signed_by(person)?;
        if i % 3 == 0 {
            signer.given_names = signer
                .given_names
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
        }
        signer.street = signer.street.replace("straße", "str.");
        let line = PaperLine {
            sheet: (i / 10 + 1) as u32,
            line: (i % 10 + 1) as u32,
            signer,
            birth_date_entered: None,
            signed_on: None,
            signed_on_unreadable: false,
        };
        signatures::record_paper_on(&tx, &p, Some(staff), &line, on(i)).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// What resident `i` of the demo register writes on a list.
fn signed_by(i: u64) -> Result<SignedData, AppError> {
    let line = synthetic::register_line(i);
    let fields: Vec<&str> = line.split(';').collect();
    let r = app::register::record::parse(&fields).map_err(|_| AppError::Internal)?;
    Ok(SignedData {
        family_name: r.family_name,
        given_names: r.given_names,
        birth_date: Some(r.birth_date),
        street: r.street,
        house_number: r.house_number,
        postal_code: r.postal_code,
        city: r.city,
    })
}

/// Two lines the check cannot decide alone, for the review queue: a typing error in the
/// family name, and a date of birth nobody can read.
async fn doubtful_lines(
    db: &DatabaseConnection,
    slug: &str,
    staff: i64,
    sheet: u32,
) -> Result<(), AppError> {
    let p = petitions::find_by_slug(db, slug).await?;
    let tx = begin_write(db).await?;
    // One letter too many, as a hurried hand writes it.
    let mut typo = signed_by(4_001)?;
    typo.family_name = with_extra_letter(&typo.family_name);
    let mut unreadable = signed_by(4_502)?;
    unreadable.birth_date = None;
    for (line, signer, written) in [(1, typo, None), (2, unreadable, Some("1?.0?.19"))] {
        let line = PaperLine {
            sheet,
            line,
            signer,
            birth_date_entered: written.map(str::to_owned),
            signed_on: None,
            signed_on_unreadable: false,
        };
        signatures::record_paper_on(&tx, &p, Some(staff), &line, german_date(chrono::Utc::now()))
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The name with an "h" after its second letter ("Brhinkmann"): a typing error one edit away.
fn with_extra_letter(name: &str) -> String {
    let mut letters: Vec<char> = name.chars().collect();
    letters.insert(2.min(letters.len()), 'h');
    letters.into_iter().collect()
}
