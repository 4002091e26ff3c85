//! The demo's advisory board: members in every role (one not named in public), two past
//! sessions with outcomes and published minutes, and an upcoming one the members are
//! invited to. Built through the services, so the demo holds what real use would; only the
//! steps that would email (invitations, publication) are set directly: nobody is emailed
//! about demo history.

use chrono::{Days, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, sea_query::Expr};

use app::boards::server::boards::{self, BoardInput, MemberInput, berlin};
use app::boards::server::meetings::{self, ItemInput, MeetingInput, OutcomeInput};
use app::error::AppError;
use app::infra::auth::SessionUser;
use app::infra::entities::{meeting, petition, proposal};

/// One agenda item of a demo session and what came of it.
struct Item {
    title: &'static str,
    description: &'static str,
    public: bool,
    proposal: Option<&'static str>,
    petition: Option<&'static str>,
    notes: &'static str,
    recommendation: &'static str,
    /// (yes, no, abstain, majority), or `None`: no vote.
    vote: Option<(u32, u32, u32, &'static str)>,
    postpone: bool,
}

const NO_ITEM: Item = Item {
    title: "",
    description: "",
    public: true,
    proposal: None,
    petition: None,
    notes: "",
    recommendation: "",
    vote: None,
    postpone: false,
};

fn local(days_from_today: i64, time: &str) -> String {
    let today = berlin(Utc::now()).date();
    let day = if days_from_today >= 0 {
        today + Days::new(days_from_today as u64)
    } else {
        today - Days::new(days_from_today.unsigned_abs())
    };
    format!("{}T{time}", day.format("%Y-%m-%d"))
}

async fn proposal_id(db: &DatabaseConnection, title: &str) -> Result<String, AppError> {
    Ok(proposal::Entity::find()
        .filter(proposal::Column::Title.eq(title))
        .one(db)
        .await?
        .map(|p| p.id.to_string())
        .unwrap_or_default())
}

async fn petition_id(db: &DatabaseConnection, slug: &str) -> Result<String, AppError> {
    Ok(petition::Entity::find()
        .filter(petition::Column::Slug.eq(slug))
        .one(db)
        .await?
        .map(|p| p.id.to_string())
        .unwrap_or_default())
}

async fn session_with_agenda(
    db: &DatabaseConnection,
    chair: &SessionUser,
    board: i64,
    title: &str,
    days_from_today: i64,
    items: &[Item],
) -> Result<(i64, Vec<i64>), AppError> {
    let id = meetings::create(
        db,
        chair,
        board,
        &MeetingInput {
            title: title.into(),
            starts_at: local(days_from_today, "19:00"),
            ends_at: local(days_from_today, "21:00"),
            address: "Rathaus Hohenhausen, Rintelner Straße 3, 32689 Kalletal".into(),
            room: "Sitzungssaal".into(),
            online_url: String::new(),
            public: true,
        },
    )
    .await?;
    let mut item_ids = Vec::new();
    for item in items {
        let proposal = match item.proposal {
            Some(t) => proposal_id(db, t).await?,
            None => String::new(),
        };
        let petition = match item.petition {
            Some(s) => petition_id(db, s).await?,
            None => String::new(),
        };
        meetings::add_item(
            db,
            chair,
            id,
            &ItemInput {
                title: item.title.into(),
                description: item.description.into(),
                public: item.public,
                parent: String::new(),
                proposal,
                petition,
            },
        )
        .await?;
    }
    let manage = meetings::manage(db, chair, id).await?;
    item_ids.extend(manage.items.iter().map(|i| i.id));
    // Invited without sending: the invitation emails belong to real sessions.
    meeting::Entity::update_many()
        .col_expr(meeting::Column::Status, Expr::value("invited"))
        .col_expr(meeting::Column::InvitedAt, Expr::value(Utc::now()))
        .filter(meeting::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok((id, item_ids))
}

async fn held(
    db: &DatabaseConnection,
    chair: &SessionUser,
    id: i64,
    item_ids: &[i64],
    items: &[Item],
    present: &[i64],
) -> Result<(), AppError> {
    meetings::record_attendance(db, chair, id, present, "").await?;
    for (item_id, item) in item_ids.iter().zip(items) {
        let (yes, no, abstain, majority) = match item.vote {
            Some((y, n, a, m)) => (y.to_string(), n.to_string(), a.to_string(), m.to_owned()),
            None => Default::default(),
        };
        meetings::record_outcome(
            db,
            chair,
            *item_id,
            &OutcomeInput {
                notes: item.notes.into(),
                recommendation: item.recommendation.into(),
                votes_yes: yes,
                votes_no: no,
                votes_abstain: abstain,
                majority,
                postpone: item.postpone,
            },
        )
        .await?;
    }
    let draft = meetings::manage(db, chair, id).await?.minutes;
    meetings::save_minutes(db, chair, id, &draft).await?;
    meetings::approve_minutes(db, chair, id).await?;
    meeting::Entity::update_many()
        .col_expr(meeting::Column::Status, Expr::value("published"))
        .col_expr(meeting::Column::MinutesPublishedAt, Expr::value(Utc::now()))
        .filter(meeting::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn seed(db: &DatabaseConnection, users: &[SessionUser]) -> Result<(), AppError> {
    let user = |email: &str| {
        users
            .iter()
            .find(|u| u.email == email)
            .cloned()
            .ok_or(AppError::Internal)
    };
    let staff = user("verwaltung@kalletal.example")?;
    let chair = user("beirat.vorsitz@kalletal.example")?;
    let board = boards::create(
        db,
        &staff,
        &BoardInput {
            name: "Kommunaler Entwicklungsbeirat".into(),
            description: "Im Entwicklungsbeirat erarbeiten Bürgerinnen und Bürger aus den 16 Ortsteilen, Mitglieder des Rates und örtliche Akteure, was Kalletal in den nächsten Jahren braucht. Der Beirat berät öffentlich und gibt dem Rat **Empfehlungen**; Vorschläge von Einwohnerinnen und Einwohnern kommen auf seine Tagesordnung.".into(),
            contact: "Geschäftsstelle im Rathaus Hohenhausen, Zimmer 12  \nTelefon 05264 644-0 · beirat@kalletal.example".into(),
            term_start: "2025-11-01".into(),
            term_end: "2030-10-31".into(),
        },
    )
    .await?;
    let members = [
        ("beirat.vorsitz@kalletal.example", "chair", true),
        ("beirat.mitglied@kalletal.example", "member", true),
        // Lea Hoffmann keeps her name out of public view: the page counts her, but
        // does not name her.
        ("beirat.jugend@kalletal.example", "member", false),
        ("verwaltung@kalletal.example", "advisory", true),
    ];
    let mut member_ids = Vec::new();
    for (email, role, public) in members {
        let id = boards::add_member(
            db,
            &staff,
            board,
            &MemberInput {
                email: email.into(),
                role: role.into(),
                term_from: "2025-11-01".into(),
                term_to: "2030-10-31".into(),
            },
        )
        .await?;
        if public {
            boards::set_name_consent(db, &user(email)?, id, true).await?;
        }
        member_ids.push(id);
    }

    let first = [
        Item {
            title: "Begrüßung und Feststellung der Beschlussfähigkeit",
            ..NO_ITEM
        },
        Item {
            title: "Medizinische Versorgung: Medizinisches Versorgungszentrum",
            description: "Die Verwaltung stellt die Ergebnisse der Bedarfsanalyse vor: Zwei der vier Hausarztpraxen suchen Nachfolger; die Gemeinde könnte ein kommunales MVZ gründen.",
            petition: Some("mvz-kalletal"),
            notes: "Die Verwaltung erläutert Kosten und Fördermöglichkeiten. In der Aussprache wird die Erreichbarkeit aus den Ortsteilen betont.",
            recommendation: "Der Entwicklungsbeirat empfiehlt dem Rat, ein kommunales Medizinisches Versorgungszentrum im Rathaus Hohenhausen zu gründen.",
            vote: Some((3, 0, 0, "simple")),
            ..NO_ITEM
        },
        Item {
            title: "Vorschlag aus der Bürgerschaft: Kinderarzt im MVZ",
            proposal: Some("Kinderarzt im MVZ"),
            notes: "Der Beirat möchte zuerst die Antwort der Kassenärztlichen Vereinigung abwarten.",
            postpone: true,
            ..NO_ITEM
        },
        Item {
            title: "Personalangelegenheiten der Geschäftsstelle",
            public: false,
            notes: "Vertraulich.",
            ..NO_ITEM
        },
    ];
    let (id, items) = session_with_agenda(
        db,
        &chair,
        board,
        "1. Sitzung des Entwicklungsbeirats",
        -63,
        &first,
    )
    .await?;
    held(db, &chair, id, &items, &first, &member_ids).await?;

    let second = [
        Item {
            title: "Mobilität: Vorschlag Bürgerbus nach Lemgo",
            proposal: Some("Bürgerbus nach Lemgo"),
            notes: "Ein Verein aus Talle würde Fahrerinnen und Fahrer stellen. Offen ist die Finanzierung des Fahrzeugs.",
            recommendation: "Der Entwicklungsbeirat empfiehlt, einen Bürgerbus mit zwei Fahrten täglich nach Lemgo einzurichten, sobald ein Trägerverein gegründet ist.",
            vote: Some((1, 1, 0, "absolute")),
            ..NO_ITEM
        },
        Item {
            title: "Kinderarzt im MVZ (vertagt aus der 1. Sitzung)",
            proposal: Some("Kinderarzt im MVZ"),
            notes: "Die Kassenärztliche Vereinigung sieht Bedarf für einen halben Kinderarztsitz.",
            recommendation: "Der Entwicklungsbeirat empfiehlt, im MVZ eine kinderärztliche Sprechstunde an zwei Tagen pro Woche vorzusehen.",
            vote: Some((2, 0, 0, "simple")),
            ..NO_ITEM
        },
    ];
    // Mehmet Yılmaz was excused: two of three voting members present.
    let present: Vec<i64> = [member_ids[0], member_ids[2], member_ids[3]].to_vec();
    let (id, items) = session_with_agenda(
        db,
        &chair,
        board,
        "2. Sitzung des Entwicklungsbeirats",
        -21,
        &second,
    )
    .await?;
    held(db, &chair, id, &items, &second, &present).await?;

    let upcoming = [
        Item {
            title: "Bericht der Verwaltung zum Stand des MVZ",
            petition: Some("mvz-kalletal"),
            ..NO_ITEM
        },
        Item {
            title: "Dorfgemeinschaftshäuser: Bedarf in den Ortsteilen",
            description: "Aussprache über die Dorfgemeinschaftshäuser, ausgehend vom Bürgerbegehren in Talle.",
            ..NO_ITEM
        },
        Item {
            title: "Verschiedenes",
            ..NO_ITEM
        },
    ];
    let (id, _) = session_with_agenda(
        db,
        &chair,
        board,
        "3. Sitzung des Entwicklungsbeirats",
        10,
        &upcoming,
    )
    .await?;
    meetings::answer(db, &chair, id, "attending").await?;
    meetings::answer(db, &user("beirat.mitglied@kalletal.example")?, id, "absent").await?;
    Ok(())
}
