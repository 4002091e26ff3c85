//! The OParl 1.1 API: a crawler starts at `/oparl/v1.1/system`, follows every URL the API
//! hands out and checks every object (top level, in lists, embedded) against the official
//! JSON schemas; closed sessions and items, unnamed members and e-mail addresses never show;
//! lists page and filter; deleted rows, and what stopped being public, answer as tombstones;
//! CORS is open.
//!
//! The schemas come from `OPARL_SCHEMA_DIR`, else `<repo>/../shared/oparl-1.1-schema`, else
//! `/work/shared/oparl-1.1-schema`; without them the tests fail (a skipped check would pass
//! silently).

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::path::PathBuf;

use app::accounts::domain::Role;
use app::boards::server::boards;
use app::boards::server::meetings::{self, ItemInput, MeetingInput};
use app::infra::auth::SessionUser;
use app::infra::entities::{
    agenda_file, agenda_item, board, board_member, meeting, petition, proposal, topic, user,
};
use chrono::{DateTime, NaiveDate, SubsecRound, TimeDelta, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{TestApp, db_test};

const TYPE_PREFIX: &str = "https://schema.oparl.org/1.1/";

// ---------------------------------------------------------------------------------------
// Schemas

fn schema_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("OPARL_SCHEMA_DIR") {
        let dir = PathBuf::from(dir);
        assert!(
            dir.join("Meeting.json").is_file(),
            "OPARL_SCHEMA_DIR={} holds no OParl 1.1 schemas (Meeting.json missing)",
            dir.display()
        );
        return dir;
    }
    let candidates = [
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/oparl-1.1-schema"),
        PathBuf::from("/work/shared/oparl-1.1-schema"),
    ];
    candidates
        .iter()
        .find(|d| d.join("Meeting.json").is_file())
        .cloned()
        .unwrap_or_else(|| {
            panic!(
                "The OParl 1.1 JSON schemas were not found (looked in {candidates:?}). \
                 Set OPARL_SCHEMA_DIR to the folder with Meeting.json, Body.json, …; \
                 without them the OParl API cannot be checked."
            )
        })
}

/// OParl's own `url` format: an absolute http(s) URL.
fn is_url(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

struct Schemas {
    full: HashMap<String, jsonschema::Validator>,
    /// The same schemas requiring only `id` and `type`: OParl lets a deleted object drop
    /// every other property, which the schemas do not model.
    tombstone: HashMap<String, jsonschema::Validator>,
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        // `date-time`, `date` and OParl's `url` are checked, and a format this check does
        // not know fails instead of passing unnoticed.
        .should_validate_formats(true)
        .should_ignore_unknown_formats(false)
        .with_format("url", is_url)
        .build(schema)
        .unwrap()
}

impl Schemas {
    fn load() -> Schemas {
        let dir = schema_dir();
        let mut full = HashMap::new();
        let mut tombstone = HashMap::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            let schema: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            full.insert(name.clone(), validator(&schema));
            let mut reduced = schema.clone();
            reduced["required"] = json!(["id", "type"]);
            tombstone.insert(name, validator(&reduced));
        }
        for t in [
            "System",
            "Body",
            "Organization",
            "Person",
            "Membership",
            "LegislativeTerm",
            "Meeting",
            "AgendaItem",
            "Paper",
            "Consultation",
            "File",
            "Location",
        ] {
            assert!(
                full.contains_key(t),
                "{t}.json missing in {}",
                dir.display()
            );
        }
        // The format checks really bite.
        let meeting = &full["Meeting"];
        let ok = json!({"id": "https://x.example/m/1", "type": format!("{TYPE_PREFIX}Meeting"),
            "start": "2026-12-03T19:00:00+01:00"});
        assert!(meeting.is_valid(&ok));
        for (key, bad) in [
            ("start", "2026-12-03 19:00"),
            ("start", "gestern"),
            ("id", "/oparl/v1.1/meeting/1"),
        ] {
            let mut v = ok.clone();
            v[key] = json!(bad);
            assert!(!meeting.is_valid(&v), "{key}={bad} passed the schema");
        }
        assert!(
            !full["File"].is_valid(&json!({"id": "https://x.example/f/1",
            "type": format!("{TYPE_PREFIX}File"), "accessUrl": "https://x.example/f",
            "date": "03.12.2026"}))
        );
        Schemas { full, tombstone }
    }

    /// Checks one object (its type names the schema) and returns the schema's name.
    fn check(&self, where_: &str, object: &Value) -> String {
        let t = object["type"].as_str().unwrap_or_default();
        let name = t
            .strip_prefix(TYPE_PREFIX)
            .unwrap_or_else(|| panic!("{where_}: type {t:?} is not an OParl 1.1 type: {object}"));
        let deleted = object.get("deleted") == Some(&json!(true));
        let validator = if deleted {
            let keys: BTreeSet<&str> = object
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(
                keys,
                BTreeSet::from(["id", "type", "created", "modified", "deleted"]),
                "{where_}: a tombstone carries only these: {object}"
            );
            &self.tombstone
        } else {
            &self.full
        };
        let v = validator
            .get(name)
            .unwrap_or_else(|| panic!("{where_}: no schema {name}.json"));
        let errors: Vec<String> = v.iter_errors(object).map(|e| e.to_string()).collect();
        assert!(
            errors.is_empty(),
            "{where_}: {name} does not match the OParl schema: {errors:#?}\n{object:#}"
        );
        // OParl 1.1 makes both mandatory for every object.
        for key in ["created", "modified"] {
            assert!(
                object[key].is_string(),
                "{where_}: {name} without {key}: {object}"
            );
        }
        name.to_owned()
    }
}

// ---------------------------------------------------------------------------------------
// The crawler

struct Crawl {
    base: String,
    /// Every answer by URL.
    docs: BTreeMap<String, Value>,
    /// Every object met (top level, in a list, embedded) by id, with its type's name.
    objects: BTreeMap<String, (String, Value)>,
    /// The ids in each list of the body (all pages), by the list's URL.
    lists: BTreeMap<String, BTreeSet<String>>,
}

impl Crawl {
    /// All answers as one text, for the privacy checks.
    fn text(&self) -> String {
        self.docs
            .values()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn get(&self, path: &str) -> &Value {
        let url = format!("{}{path}", self.base);
        self.docs
            .get(&url)
            .unwrap_or_else(|| panic!("{url} was never reached by the crawler"))
    }
}

fn strings<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::String(s) => out.push(s),
        Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        Value::Object(o) => o.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// Every OParl object inside `v` (itself included), with where it was found.
fn objects<'a>(v: &'a Value, at: String, out: &mut Vec<(String, &'a Value)>) {
    match v {
        Value::Object(o) => {
            if o.get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.starts_with(TYPE_PREFIX))
            {
                out.push((at.clone(), v));
            }
            for (k, v) in o {
                objects(v, format!("{at}.{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                objects(v, format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Fetches everything reachable from the system object and checks each answer.
async fn crawl(app: &TestApp, schemas: &Schemas) -> Crawl {
    let base = app.state.config.link("/oparl/v1.1");
    let mut queue = VecDeque::from([format!("{base}/system")]);
    let mut docs = BTreeMap::new();
    while let Some(url) = queue.pop_front() {
        if docs.contains_key(&url) {
            continue;
        }
        let res = app.client.get(&url).send().await.unwrap();
        assert_eq!(res.status(), 200, "{url}");
        let headers = res.headers().clone();
        assert_eq!(
            headers["content-type"], "application/json; charset=utf-8",
            "{url}"
        );
        assert_eq!(headers["access-control-allow-origin"], "*", "{url}");
        let v: Value = res.json().await.unwrap();
        let mut found = Vec::new();
        strings(&v, &mut found);
        for s in found {
            if s.starts_with(&base) && !docs.contains_key(s) {
                queue.push_back(s.to_owned());
            }
        }
        docs.insert(url, v);
    }
    assert!(docs.len() > 12, "the crawl found too little: {docs:#?}");

    let mut crawl = Crawl {
        base: base.clone(),
        docs,
        objects: BTreeMap::new(),
        lists: BTreeMap::new(),
    };
    for (url, doc) in &crawl.docs {
        if let Some(data) = doc.get("data") {
            // A list page.
            let data = data.as_array().unwrap_or_else(|| panic!("{url}: data"));
            assert_eq!(doc["pagination"]["elementsPerPage"], 100, "{url}");
            for key in ["first", "self"] {
                assert!(doc["links"][key].is_string(), "{url}: links.{key}");
            }
            // A next page is named by the last object of this one, and only a full page
            // can have one.
            if let Some(next) = doc["links"].get("next") {
                assert_eq!(data.len(), 100, "{url}");
                let last = data.last().unwrap()["id"].as_str().unwrap();
                let key = last.rsplit('/').next().unwrap();
                assert!(
                    next.as_str().unwrap().ends_with(&format!("after={key}")),
                    "{url}: {next}"
                );
            }
            let list = url.split('?').next().unwrap().to_owned();
            let ids = crawl.lists.entry(list).or_default();
            for entry in data {
                ids.insert(entry["id"].as_str().unwrap().to_owned());
            }
        } else {
            assert_eq!(
                doc["id"].as_str(),
                Some(url.as_str()),
                "an object's id is its own URL"
            );
        }
        let mut found = Vec::new();
        objects(doc, url.clone(), &mut found);
        for (at, object) in found {
            let name = schemas.check(&at, object);
            let id = object["id"].as_str().unwrap().to_owned();
            assert!(id.starts_with(&base), "{at}: foreign id {id}");
            // The same object reads the same wherever it is met.
            if let Some((_, seen)) = crawl.objects.get(&id) {
                assert_eq!(seen, object, "{at}: {id} differs from another copy");
            }
            crawl.objects.insert(id, (name, object.clone()));
        }
    }
    // Every object answers at its own URL with what was embedded or listed.
    for (id, (_, object)) in &crawl.objects {
        assert_eq!(
            crawl.docs.get(id),
            Some(object),
            "{id} answers differently at its own URL"
        );
    }
    // Every object stands in its list.
    let list_of = |name: &str| -> Option<&'static str> {
        Some(match name {
            "System" => return None,
            "Body" => "/bodies",
            "Organization" => "/body/1/organizations",
            "Person" => "/body/1/people",
            "Membership" => "/body/1/memberships",
            "LegislativeTerm" => "/body/1/legislative-terms",
            "Meeting" => "/body/1/meetings",
            "AgendaItem" => "/body/1/agenda-items",
            "Paper" => "/body/1/papers",
            "Consultation" => "/body/1/consultations",
            "File" => "/body/1/files",
            "Location" => "/body/1/locations",
            other => panic!("unexpected type {other}"),
        })
    };
    for (id, (name, _)) in &crawl.objects {
        if let Some(list) = list_of(name) {
            let list = format!("{base}{list}");
            assert!(
                crawl.lists.get(&list).is_some_and(|ids| ids.contains(id)),
                "{id} is missing from {list}"
            );
        }
    }
    // And every list entry is an object of the list's type.
    for (list, ids) in &crawl.lists {
        for id in ids {
            let (name, _) = &crawl.objects[id];
            if let Some(expected) = list_of(name) {
                if list.starts_with(&format!("{base}/organization/")) {
                    assert_eq!(name, "Meeting", "{list}");
                } else {
                    assert_eq!(list, &format!("{base}{expected}"), "{id}");
                }
            }
        }
    }
    crawl
}

// ---------------------------------------------------------------------------------------
// Fixture

async fn person(app: &TestApp, name: &str, email: &str) -> i64 {
    let now = Utc::now();
    user::ActiveModel {
        email: Set(Some(email.to_owned())),
        display_name: Set(Some(name.to_owned())),
        password_hash: Set(None),
        email_confirmed_at: Set(Some(now)),
        blocked_at: Set(None),
        deleted_at: Set(None),
        notified_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

fn today() -> NaiveDate {
    app::boards::server::boards::today()
}

async fn new_board(app: &TestApp, name: &str, term: bool) -> i64 {
    let now = Utc::now();
    board::ActiveModel {
        name: Set(name.to_owned()),
        description: Set("Berät den Rat.".into()),
        contact: Set("Rathaus, Zimmer 3".into()),
        term_start: Set(term.then(|| today() - TimeDelta::days(365))),
        term_end: Set(term.then(|| today() + TimeDelta::days(365))),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

async fn member(
    app: &TestApp,
    board_id: i64,
    user_id: i64,
    role: &str,
    public_name: bool,
    term_to: Option<NaiveDate>,
    deleted: bool,
) -> i64 {
    let now = Utc::now();
    board_member::ActiveModel {
        board_id: Set(board_id),
        user_id: Set(user_id),
        role: Set(role.to_owned()),
        term_from: Set(today() - TimeDelta::days(300)),
        term_to: Set(term_to),
        public_name: Set(public_name),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(deleted.then_some(now)),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

async fn new_meeting(app: &TestApp, board_id: i64, title: &str, public: bool, status: &str) -> i64 {
    let now = Utc::now();
    let starts = DateTime::parse_from_rfc3339("2026-12-03T19:00:00+01:00")
        .unwrap()
        .with_timezone(&Utc);
    let published = status == "published";
    meeting::ActiveModel {
        board_id: Set(board_id),
        title: Set(title.to_owned()),
        starts_at: Set(starts),
        ends_at: Set(starts + TimeDelta::hours(2)),
        address: Set("Rathaus, Hauptstraße 1, 32689 Kalletal".into()),
        room: Set("Sitzungssaal".into()),
        online_url: Set(None),
        public: Set(public),
        status: Set(status.to_owned()),
        cancel_reason: Set(None),
        quorum: Set(Some(true)),
        minutes: Set(published.then(|| "# Protokoll\n\nAlles gut.".to_owned())),
        minutes_approved_at: Set(published.then_some(now)),
        minutes_published_at: Set(published.then_some(now)),
        sequence: Set(0),
        invited_at: Set(None),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

#[derive(Default)]
struct ItemSpec<'a> {
    title: &'a str,
    position: i32,
    parent: Option<i64>,
    closed: bool,
    proposal: Option<i64>,
    petition: Option<i64>,
    deleted: bool,
    outcome: bool,
}

async fn item(app: &TestApp, meeting_id: i64, spec: ItemSpec<'_>) -> i64 {
    let now = Utc::now();
    agenda_item::ActiveModel {
        meeting_id: Set(meeting_id),
        parent_id: Set(spec.parent),
        position: Set(spec.position),
        title: Set(spec.title.to_owned()),
        description: Set(String::new()),
        public: Set(!spec.closed),
        proposal_id: Set(spec.proposal),
        petition_id: Set(spec.petition),
        notes: Set("Aussprache.".into()),
        recommendation: Set(if spec.outcome {
            "Der Beirat empfiehlt einen Bürgerbus.".into()
        } else {
            String::new()
        }),
        votes_yes: Set(spec.outcome.then_some(3)),
        votes_no: Set(spec.outcome.then_some(0)),
        votes_abstain: Set(spec.outcome.then_some(1)),
        majority: Set(spec.outcome.then(|| "simple".to_owned())),
        result: Set(spec.outcome.then(|| "adopted".to_owned())),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(spec.deleted.then_some(now)),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

async fn attachment(app: &TestApp, item_id: i64, name: &str) -> i64 {
    let now = Utc::now();
    agenda_file::ActiveModel {
        item_id: Set(item_id),
        filename: Set(name.to_owned()),
        content_type: Set("application/pdf".into()),
        size: Set(12_345),
        sha256: Set("ab".repeat(32)),
        uploaded_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

async fn new_proposal(app: &TestApp, author: i64, title: &str, hidden: bool) -> i64 {
    let now = Utc::now();
    let topic = match topic::Entity::find().one(&app.db).await.unwrap() {
        Some(t) => t.id,
        None => {
            topic::ActiveModel {
                name: Set("Mobilität".into()),
                position: Set(1),
                active: Set(true),
                ..Default::default()
            }
            .insert(&app.db)
            .await
            .unwrap()
            .id
        }
    };
    proposal::ActiveModel {
        author_id: Set(Some(author)),
        title: Set(title.to_owned()),
        body: Set("Ein ehrenamtlich gefahrener Bus verbindet die Dörfer.".into()),
        topic_id: Set(topic),
        district_id: Set(None),
        status: Set("on_agenda".into()),
        search_text: Set(title.to_lowercase()),
        supports: Set(0),
        comments: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        status_changed_at: Set(None),
        hidden_at: Set(hidden.then_some(now)),
        hidden_reason: Set(hidden.then(|| "Beleidigend.".to_owned())),
        hidden_by: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

async fn new_petition(app: &TestApp, slug: &str, published: bool) -> i64 {
    let now = Utc::now();
    petition::ActiveModel {
        slug: Set(slug.to_owned()),
        title: Set(format!("Petition {slug}")),
        question: Set("Soll die Gemeinde ein Freibad bauen?".into()),
        justification: Set("Weil es Sommer ist.".into()),
        kind: Set("initiating".into()),
        stage: Set(if published { "collecting" } else { "draft" }.into()),
        rule_set_id: Set("NW-2011".into()),
        created_at: Set(now),
        updated_at: Set(now),
        published_at: Set(published.then_some(now)),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

struct Fixture {
    board: i64,
    board_without_term: i64,
    unnamed_user: i64,
    unnamed_membership: i64,
    named_user: i64,
    named_membership: i64,
    removed_user: i64,
    removed_membership: i64,
    published: i64,
    closed_meeting: i64,
    closed_meeting_item: i64,
    bus: i64,
    bus_child: i64,
    closed_item: i64,
    after_closed: i64,
    deleted_item: i64,
    petition_item: i64,
    draft_petition_item: i64,
    hidden_item: i64,
    proposal: i64,
    hidden_proposal: i64,
    petition: i64,
    draft_petition: i64,
    file: i64,
    closed_file: i64,
    closed_meeting_file: i64,
}

const UNNAMED: &str = "Dieter Ungenannt";
const CLOSED_MEETING: &str = "Nichtöffentliche Klausur Zebra";
const CLOSED_ITEM: &str = "Personalangelegenheit Quokka";

async fn fixture(app: &TestApp) -> Fixture {
    let anna = person(app, "Anna Vorsitz", "anna@kalletal.example").await;
    let bernd = person(app, "Bernd Mitglied", "bernd@kalletal.example").await;
    let clara = person(app, "Clara Beratend", "clara@kalletal.example").await;
    let dieter = person(app, UNNAMED, "dieter@kalletal.example").await;
    let erika = person(app, "Erika Ausgeschieden", "erika@kalletal.example").await;
    let frank = person(app, "Frank Früher", "frank@kalletal.example").await;
    let board = new_board(app, "Entwicklungsbeirat", true).await;
    let board_without_term = new_board(app, "Seniorenbeirat", false).await;
    member(app, board, anna, "chair", true, None, false).await;
    let named_membership = member(app, board, bernd, "member", true, None, false).await;
    member(app, board, clara, "advisory", true, None, false).await;
    let unnamed_membership = member(app, board, dieter, "member", false, None, false).await;
    let removed_membership = member(app, board, erika, "member", true, None, true).await;
    // Served last year: named, but no longer counted.
    member(
        app,
        board,
        frank,
        "member",
        true,
        Some(today() - TimeDelta::days(30)),
        false,
    )
    .await;
    member(app, board_without_term, anna, "member", true, None, false).await;

    let proposal = new_proposal(app, anna, "Bürgerbus nach Lemgo", false).await;
    let hidden_proposal = new_proposal(app, bernd, "Versteckter Vorschlag", true).await;
    let petition = new_petition(app, "freibad", true).await;
    let draft_petition = new_petition(app, "entwurf", false).await;

    let published = new_meeting(app, board, "4. Sitzung", true, "published").await;
    let bus = item(
        app,
        published,
        ItemSpec {
            title: "Bürgerbus",
            position: 1,
            proposal: Some(proposal),
            outcome: true,
            ..Default::default()
        },
    )
    .await;
    let bus_child = item(
        app,
        published,
        ItemSpec {
            title: "Fahrplan",
            position: 1,
            parent: Some(bus),
            ..Default::default()
        },
    )
    .await;
    let closed_item = item(
        app,
        published,
        ItemSpec {
            title: CLOSED_ITEM,
            position: 2,
            closed: true,
            proposal: Some(proposal),
            ..Default::default()
        },
    )
    .await;
    let after_closed = item(
        app,
        published,
        ItemSpec {
            title: "Verschiedenes",
            position: 3,
            ..Default::default()
        },
    )
    .await;
    let deleted_item = item(
        app,
        published,
        ItemSpec {
            title: "Gestrichen",
            position: 4,
            deleted: true,
            ..Default::default()
        },
    )
    .await;
    let petition_item = item(
        app,
        published,
        ItemSpec {
            title: "Freibad",
            position: 5,
            petition: Some(petition),
            ..Default::default()
        },
    )
    .await;
    let draft_petition_item = item(
        app,
        published,
        ItemSpec {
            title: "Entwurf einer Petition",
            position: 6,
            petition: Some(draft_petition),
            ..Default::default()
        },
    )
    .await;
    let hidden_item = item(
        app,
        published,
        ItemSpec {
            title: "Versteckt",
            position: 7,
            proposal: Some(hidden_proposal),
            ..Default::default()
        },
    )
    .await;
    let file = attachment(app, bus, "Fahrplanentwurf.pdf").await;
    let closed_file = attachment(app, closed_item, "Personalakte.pdf").await;

    let closed_meeting = new_meeting(app, board, CLOSED_MEETING, false, "published").await;
    let closed_meeting_item = item(
        app,
        closed_meeting,
        ItemSpec {
            title: "Öffentlich gemeint, aber in geschlossener Sitzung",
            position: 1,
            proposal: Some(proposal),
            ..Default::default()
        },
    )
    .await;
    let closed_meeting_file = attachment(app, closed_meeting_item, "Intern.pdf").await;
    new_meeting(app, board_without_term, "Erste Sitzung", true, "planned").await;

    Fixture {
        board,
        board_without_term,
        unnamed_user: dieter,
        unnamed_membership,
        named_user: bernd,
        named_membership,
        removed_user: erika,
        removed_membership,
        published,
        closed_meeting,
        closed_meeting_item,
        bus,
        bus_child,
        closed_item,
        after_closed,
        deleted_item,
        petition_item,
        draft_petition_item,
        hidden_item,
        proposal,
        hidden_proposal,
        petition,
        draft_petition,
        file,
        closed_file,
        closed_meeting_file,
    }
}

/// The long lists (sessions, places, agenda items, consultations, files, papers) read only
/// their page from the database unless a filter on `created` or `modified` needs every object
/// built; the filter `created_since=1970-…` admits everything, so both ways must list the
/// same, page by page.
async fn assert_paged_as_built(app: &TestApp, list: &str) {
    let built_list = format!("{list}?created_since=1970-01-01T00%3A00%3A00%2B00%3A00");
    let (mut paged_path, mut built_path) = (list.to_owned(), built_list);
    for page in 1.. {
        let (status, paged) = get(app, &paged_path).await;
        assert_eq!(status, 200, "{paged_path}");
        let (_, built) = get(app, &built_path).await;
        assert!(!paged["data"].as_array().unwrap().is_empty() || page == 1);
        assert_eq!(paged["data"], built["data"], "{list}, page {page}");
        let after = |doc: &Value| {
            doc["links"].get("next").map(|n| {
                n.as_str()
                    .unwrap()
                    .rsplit_once("after=")
                    .unwrap()
                    .1
                    .to_owned()
            })
        };
        assert_eq!(after(&paged), after(&built), "{list}, page {page}");
        let Some(key) = after(&paged) else { break };
        paged_path = format!("{list}?after={key}");
        built_path = format!("{list}?created_since=1970-01-01T00%3A00%3A00%2B00%3A00&after={key}");
    }
}

async fn get(app: &TestApp, path: &str) -> (u16, Value) {
    let url = app.state.config.link(&format!("/oparl/v1.1{path}"));
    let res = app.client.get(&url).send().await.unwrap();
    let status = res.status().as_u16();
    assert_eq!(res.headers()["access-control-allow-origin"], "*", "{path}");
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Every e-mail address in the database, none of which may show.
async fn emails(app: &TestApp) -> Vec<String> {
    user::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|u| u.email)
        .collect()
}

// ---------------------------------------------------------------------------------------
// Tests

db_test!(
    the_oparl_api_follows_the_schemas_and_keeps_closed_things_closed,
    |backend| async move {
        let schemas = Schemas::load();
        let app = TestApp::spawn(backend).await;
        let f = fixture(&app).await;
        let crawl = crawl(&app, &schemas).await;
        let base = crawl.base.clone();
        let url = |path: String| format!("{base}{path}");

        // The entry points.
        let system = crawl.get("/system");
        assert_eq!(system["oparlVersion"], "https://schema.oparl.org/1.1/");
        assert_eq!(system["body"], url("/bodies".into()));
        let body = crawl.get("/body/1");
        assert_eq!(body["classification"], "Gemeinde");
        assert_eq!(body["name"], "Meine Gemeinde");
        assert_eq!(body["locationList"], url("/body/1/locations".into()));
        let terms = body["legislativeTerm"].as_array().unwrap();
        assert_eq!(terms.len(), 1, "{terms:?}");
        assert_eq!(terms[0]["name"], "Amtsperiode Entwicklungsbeirat");
        let (status, _) = get(&app, &format!("/legislative-term/{}", f.board_without_term)).await;
        assert_eq!(status, 404);

        // The board: counts include the unnamed member, not the advisory or former ones.
        let org = crawl.get(&format!("/organization/{}", f.board));
        assert_eq!(org["votingMemberCount"], 3, "{org:#}");
        assert_eq!(org["memberCount"], 4, "{org:#}");
        assert_eq!(org["classification"], "Beirat");
        assert_eq!(
            org["website"],
            app.state.config.link(&format!("/boards/{}", f.board))
        );
        // Anna, Bernd, Clara and Frank are named; Dieter did not agree, Erika left.
        assert_eq!(org["membership"].as_array().unwrap().len(), 4, "{org:#}");
        let advisory = crawl
            .objects
            .values()
            .find(|(n, o)| n == "Membership" && o["votingRight"] == false)
            .map(|(_, o)| o)
            .unwrap();
        assert_eq!(advisory["role"], "Beratendes Mitglied (ohne Stimmrecht)");
        assert_eq!(crawl.lists[&url("/body/1/people".into())].len(), 5);

        // The published session with its minutes and public agenda.
        let m = crawl.get(&format!("/meeting/{}", f.published));
        assert_eq!(m["meetingState"], "Protokoll veröffentlicht");
        assert_eq!(m["cancelled"], false);
        assert_eq!(m["start"], "2026-12-03T19:00:00+01:00");
        assert_eq!(
            m["organization"],
            json!([url(format!("/organization/{}", f.board))])
        );
        assert_eq!(
            m["location"]["description"],
            "Rathaus, Hauptstraße 1, 32689 Kalletal, Sitzungssaal"
        );
        let minutes = &m["resultsProtocol"];
        assert_eq!(minutes["id"], url(format!("/file/minutes-{}", f.published)));
        assert_eq!(minutes["mimeType"], "application/pdf");
        assert_eq!(
            minutes["accessUrl"],
            app.state
                .config
                .link(&format!("/sessions/{}/minutes.pdf", f.published))
        );
        let numbers: Vec<(&str, &str)> = m["agendaItem"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (i["number"].as_str().unwrap(), i["name"].as_str().unwrap()))
            .collect();
        // TOP 2 is closed: its number stays taken, as on the session page.
        assert_eq!(
            numbers,
            [
                ("1", "Bürgerbus"),
                ("1.1", "Fahrplan"),
                ("3", "Verschiedenes"),
                ("4", "Freibad"),
                ("5", "Entwurf einer Petition"),
                ("6", "Versteckt"),
            ]
        );
        let bus = crawl.get(&format!("/agenda-item/{}", f.bus));
        assert_eq!(bus["result"], "Empfehlung beschlossen");
        assert_eq!(
            bus["resolutionText"],
            "Der Beirat empfiehlt einen Bürgerbus."
        );
        assert_eq!(
            bus["dorfplatz:votes"],
            json!({"yes": 3, "no": 0, "abstain": 1, "majority": "simple"})
        );
        assert_eq!(bus["consultation"], url(format!("/consultation/{}", f.bus)));
        let file = &bus["auxiliaryFile"][0];
        assert_eq!(file["id"], url(format!("/file/{}", f.file)));
        assert_eq!(
            file["accessUrl"],
            app.state.config.link(&format!("/files/{}", f.file))
        );
        assert_eq!(file["size"], 12_345);
        assert!(
            crawl
                .docs
                .contains_key(&url(format!("/agenda-item/{}", f.bus_child)))
        );
        assert!(
            crawl
                .docs
                .contains_key(&url(format!("/agenda-item/{}", f.after_closed)))
        );

        // Papers: the proposal with its (one visible) consultation; the petition; a draft
        // petition is no paper; a hidden proposal is a deleted one.
        let paper = crawl.get(&format!("/paper/proposal-{}", f.proposal));
        assert_eq!(paper["paperType"], "Einwohnervorschlag");
        assert_eq!(
            paper["web"],
            app.state.config.link(&format!("/proposals/{}", f.proposal))
        );
        let consultations = paper["consultation"].as_array().unwrap();
        assert_eq!(consultations.len(), 1, "{paper:#}");
        assert_eq!(consultations[0]["authoritative"], false);
        assert_eq!(consultations[0]["role"], "Empfehlung");
        assert_eq!(
            consultations[0]["agendaItem"],
            url(format!("/agenda-item/{}", f.bus))
        );
        let petition = crawl.get(&format!("/paper/petition-{}", f.petition));
        assert_eq!(petition["paperType"], "Bürgerbegehren");
        assert_eq!(petition["web"], app.state.config.link("/petitions/freibad"));
        assert!(
            crawl
                .docs
                .contains_key(&url(format!("/consultation/{}", f.petition_item)))
        );
        let (status, _) = get(&app, &format!("/paper/petition-{}", f.draft_petition)).await;
        assert_eq!(status, 404);
        let (status, _) = get(&app, &format!("/consultation/{}", f.draft_petition_item)).await;
        assert_eq!(status, 404);
        assert_eq!(
            crawl.get(&format!("/paper/proposal-{}", f.hidden_proposal))["deleted"],
            true
        );
        assert_eq!(
            crawl.get(&format!("/consultation/{}", f.hidden_item))["deleted"],
            true
        );

        // Tombstones: in their lists, and at their URLs.
        for path in [
            format!("/agenda-item/{}", f.deleted_item),
            format!("/membership/{}", f.removed_membership),
            format!("/person/{}", f.removed_user),
        ] {
            let (status, v) = get(&app, &path).await;
            assert_eq!(status, 200, "{path}");
            assert_eq!(v["deleted"], true, "{path}: {v}");
            assert!(crawl.docs.contains_key(&url(path.clone())), "{path}");
        }
        assert!(!crawl.text().contains("Erika Ausgeschieden"));

        // Privacy: the closed session, the closed item and everything of them stay unseen.
        let text = crawl.text();
        for needle in [
            format!("/meeting/{}\"", f.closed_meeting),
            format!("/location/{}\"", f.closed_meeting),
            format!("/file/minutes-{}\"", f.closed_meeting),
            format!("/agenda-item/{}\"", f.closed_meeting_item),
            format!("/consultation/{}\"", f.closed_meeting_item),
            format!("/file/{}\"", f.closed_meeting_file),
            format!("/agenda-item/{}\"", f.closed_item),
            format!("/consultation/{}\"", f.closed_item),
            format!("/file/{}\"", f.closed_file),
            format!("/person/{}\"", f.unnamed_user),
            format!("/membership/{}\"", f.unnamed_membership),
            CLOSED_MEETING.to_owned(),
            CLOSED_ITEM.to_owned(),
            "Personalakte".to_owned(),
            "Intern.pdf".to_owned(),
            UNNAMED.to_owned(),
            "@".to_owned(),
        ] {
            assert!(
                !text.contains(&needle),
                "{needle} leaked into the OParl answers"
            );
        }
        for email in emails(&app).await {
            assert!(!text.contains(&email), "{email} leaked");
        }
        for path in [
            format!("/meeting/{}", f.closed_meeting),
            format!("/location/{}", f.closed_meeting),
            format!("/file/minutes-{}", f.closed_meeting),
            format!("/agenda-item/{}", f.closed_meeting_item),
            format!("/consultation/{}", f.closed_meeting_item),
            format!("/file/{}", f.closed_meeting_file),
            format!("/agenda-item/{}", f.closed_item),
            format!("/consultation/{}", f.closed_item),
            format!("/file/{}", f.closed_file),
            format!("/person/{}", f.unnamed_user),
            format!("/membership/{}", f.unnamed_membership),
            "/meeting/0".to_owned(),
            format!("/meeting/0{}", f.published),
            "/nothing/1".to_owned(),
            "/body/2".to_owned(),
        ] {
            let (status, v) = get(&app, &path).await;
            assert_eq!(status, 404, "{path}: {v}");
            assert_eq!(v["error"], "not_found", "{path}");
        }

        // CORS preflight.
        let res = app
            .client
            .request(
                reqwest::Method::OPTIONS,
                app.state.config.link("/oparl/v1.1/body/1/meetings"),
            )
            .header("origin", "https://ris.example")
            .header("access-control-request-method", "GET")
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "{}", res.status());
        assert_eq!(res.headers()["access-control-allow-origin"], "*");
        assert!(
            res.headers()["access-control-allow-methods"]
                .to_str()
                .unwrap()
                .contains("GET")
        );
    }
);

const SWITCHED_ITEM: &str = "Grundstücksfrage Okapi";
const SWITCHED_MEETING: &str = "Sondersitzung Narwal";

/// The signed-in user the services expect, for changes made the way the pages make them.
fn session_user(id: i64, roles: &[Role]) -> SessionUser {
    SessionUser {
        id,
        session_id: 0,
        email: format!("user{id}@kalletal.example"),
        display_name: format!("Person {id}"),
        roles: roles.to_vec(),
        blocked: false,
        two_factor: false,
    }
}

/// Moves sessions with their items and files back to `at`, so that a change made now moves
/// `modified` visibly (the API shows seconds).
async fn backdate(app: &TestApp, meeting_ids: &[i64], at: DateTime<Utc>) {
    meeting::Entity::update_many()
        .col_expr(meeting::Column::CreatedAt, at.into())
        .col_expr(meeting::Column::UpdatedAt, at.into())
        .filter(meeting::Column::Id.is_in(meeting_ids.to_vec()))
        .exec(&app.db)
        .await
        .unwrap();
    let items: Vec<i64> = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.is_in(meeting_ids.to_vec()))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.id)
        .collect();
    agenda_item::Entity::update_many()
        .col_expr(agenda_item::Column::CreatedAt, at.into())
        .col_expr(agenda_item::Column::UpdatedAt, at.into())
        .filter(agenda_item::Column::Id.is_in(items.clone()))
        .exec(&app.db)
        .await
        .unwrap();
    agenda_file::Entity::update_many()
        .col_expr(agenda_file::Column::CreatedAt, at.into())
        .col_expr(agenda_file::Column::UpdatedAt, at.into())
        .filter(agenda_file::Column::ItemId.is_in(items))
        .exec(&app.db)
        .await
        .unwrap();
}

/// The ids a client syncing with `modified_since` gets from a list of the body.
async fn modified_since(app: &TestApp, list: &str, since: DateTime<Utc>) -> BTreeSet<String> {
    let since: String =
        url::form_urlencoded::byte_serialize(since.to_rfc3339().as_bytes()).collect();
    let (status, page) = get(app, &format!("/body/1/{list}?modified_since={since}")).await;
    assert_eq!(status, 200, "{list}");
    assert!(page["links"].get("next").is_none(), "{list}: {page}");
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect()
}

fn time(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

db_test!(
    what_stops_being_public_answers_as_a_tombstone,
    |backend| async move {
        let schemas = Schemas::load();
        let app = TestApp::spawn(backend).await;
        let f = fixture(&app).await;
        let staff_id = person(&app, "Sabine Verwaltung", "verwaltung@kalletal.example").await;
        let staff = session_user(staff_id, &[Role::Staff]);
        // Two sessions in preparation (only then can they or their items change).
        let planned = new_meeting(&app, f.board, "5. Sitzung", true, "planned").await;
        let switched_item = item(
            &app,
            planned,
            ItemSpec {
                title: SWITCHED_ITEM,
                position: 1,
                proposal: Some(f.proposal),
                ..Default::default()
            },
        )
        .await;
        let switched_file = attachment(&app, switched_item, "Grundstücksliste.pdf").await;
        let kept_item = item(
            &app,
            planned,
            ItemSpec {
                title: "Spielplatz",
                position: 2,
                ..Default::default()
            },
        )
        .await;
        let switched_meeting = new_meeting(&app, f.board, SWITCHED_MEETING, true, "planned").await;
        let switched_meeting_item = item(
            &app,
            switched_meeting,
            ItemSpec {
                title: "Haushalt Tapir",
                position: 1,
                ..Default::default()
            },
        )
        .await;
        let switched_meeting_file =
            attachment(&app, switched_meeting_item, "Haushaltsplan.pdf").await;
        let hour_ago = Utc::now() - TimeDelta::hours(1);
        backdate(&app, &[planned, switched_meeting], hour_ago).await;

        let before = crawl(&app, &schemas).await;
        let base = before.base.clone();
        let url = |path: &str| format!("{base}{path}");
        let person_path = format!("/person/{}", f.named_user);
        let item_path = format!("/agenda-item/{switched_item}");
        let meeting_path = format!("/meeting/{planned}");
        let paper_path = format!("/paper/proposal-{}", f.proposal);
        assert_eq!(before.get(&person_path)["name"], "Bernd Mitglied");
        assert_eq!(before.get(&item_path)["name"], SWITCHED_ITEM);
        assert_eq!(
            before.get(&format!("/meeting/{switched_meeting}"))["name"],
            SWITCHED_MEETING
        );
        assert_eq!(
            before.get(&paper_path)["consultation"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        let meeting_modified = time(&before.get(&meeting_path)["modified"]);

        // Bernd withdraws his consent; the staff closes an item, and a whole session.
        let since = Utc::now().trunc_subsecs(0);
        boards::set_name_consent(
            &app.db,
            &session_user(f.named_user, &[]),
            f.named_membership,
            false,
        )
        .await
        .unwrap();
        meetings::update_item(
            &app.db,
            &staff,
            switched_item,
            &ItemInput {
                title: SWITCHED_ITEM.into(),
                description: String::new(),
                public: false,
                parent: String::new(),
                proposal: f.proposal.to_string(),
                petition: String::new(),
            },
        )
        .await
        .unwrap();
        meetings::update(
            &app.db,
            &app.state.config,
            &staff,
            switched_meeting,
            &MeetingInput {
                title: SWITCHED_MEETING.into(),
                starts_at: "2026-12-03T19:00".into(),
                ends_at: "2026-12-03T21:00".into(),
                address: "Rathaus, Hauptstraße 1, 32689 Kalletal".into(),
                room: "Sitzungssaal".into(),
                online_url: String::new(),
                public: false,
            },
        )
        .await
        .unwrap();
        // What never was public changes too (notes of a closed item, a role): no matter.
        agenda_item::Entity::update_many()
            .col_expr(agenda_item::Column::CreatedAt, hour_ago.into())
            .filter(agenda_item::Column::Id.is_in([f.closed_item, f.closed_meeting_item]))
            .exec(&app.db)
            .await
            .unwrap();
        meeting::Entity::update_many()
            .col_expr(meeting::Column::CreatedAt, hour_ago.into())
            .filter(meeting::Column::Id.eq(f.closed_meeting))
            .exec(&app.db)
            .await
            .unwrap();
        board_member::Entity::update_many()
            .col_expr(board_member::Column::CreatedAt, hour_ago.into())
            .filter(board_member::Column::Id.eq(f.unnamed_membership))
            .exec(&app.db)
            .await
            .unwrap();

        // The crawl checks the schemas again, tombstones included, and that every object
        // stands in its list: reaching a tombstone proves it is listed.
        let after = crawl(&app, &schemas).await;
        let text = after.text();
        for path in [
            format!("/membership/{}", f.named_membership),
            person_path.clone(),
            item_path.clone(),
            format!("/consultation/{switched_item}"),
            format!("/file/{switched_file}"),
            format!("/meeting/{switched_meeting}"),
            format!("/location/{switched_meeting}"),
            format!("/agenda-item/{switched_meeting_item}"),
            format!("/file/{switched_meeting_file}"),
        ] {
            let v = after.get(&path);
            assert_eq!(v["deleted"], true, "{path}: {v}");
            assert!(time(&v["modified"]) >= since, "{path}: {v}");
            let (status, own) = get(&app, &path).await;
            assert_eq!((status, &own), (200, v), "{path}");
        }
        // `modified` is the row's last change.
        let row = agenda_item::Entity::find_by_id(switched_item)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            time(&after.get(&item_path)["modified"]).timestamp(),
            row.updated_at.timestamp()
        );
        let row = board_member::Entity::find_by_id(f.named_membership)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            time(&after.get(&person_path)["modified"]).timestamp(),
            row.updated_at.timestamp()
        );
        for needle in [
            "Bernd Mitglied",
            SWITCHED_ITEM,
            "Grundstücksliste",
            SWITCHED_MEETING,
            "Haushalt Tapir",
            "Haushaltsplan",
        ] {
            assert!(!text.contains(needle), "{needle} is still in the answers");
        }

        // The session lost the item and says so; numbers stay.
        let m = after.get(&meeting_path);
        let items = m["agendaItem"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{m:#}");
        assert_eq!(items[0]["id"], url(&format!("/agenda-item/{kept_item}")));
        assert_eq!(items[0]["number"], "2");
        assert!(time(&m["modified"]) > meeting_modified, "{m:#}");
        // The board names three members now; the paper keeps its open consultation only.
        let org = after.get(&format!("/organization/{}", f.board));
        assert_eq!(org["membership"].as_array().unwrap().len(), 3, "{org:#}");
        assert_eq!(org["memberCount"], 4, "{org:#}");
        let consultations = after.get(&paper_path)["consultation"].as_array().unwrap();
        assert_eq!(consultations.len(), 1);
        assert_eq!(
            consultations[0]["agendaItem"],
            url(&format!("/agenda-item/{}", f.bus))
        );

        // A client syncing since before the changes learns of each.
        for (list, paths) in [
            (
                "agenda-items",
                vec![
                    item_path.clone(),
                    format!("/agenda-item/{switched_meeting_item}"),
                ],
            ),
            (
                "memberships",
                vec![format!("/membership/{}", f.named_membership)],
            ),
            ("people", vec![person_path.clone()]),
            (
                "meetings",
                vec![meeting_path.clone(), format!("/meeting/{switched_meeting}")],
            ),
            (
                "files",
                vec![
                    format!("/file/{switched_file}"),
                    format!("/file/{switched_meeting_file}"),
                ],
            ),
            (
                "consultations",
                vec![format!("/consultation/{switched_item}")],
            ),
            ("locations", vec![format!("/location/{switched_meeting}")]),
        ] {
            let ids = modified_since(&app, list, since).await;
            for path in paths {
                assert!(
                    ids.contains(&url(&path)),
                    "{path} missing from {list}: {ids:#?}"
                );
            }
        }

        // What never was public stays unseen, however often it changed.
        for path in [
            format!("/agenda-item/{}", f.closed_item),
            format!("/consultation/{}", f.closed_item),
            format!("/file/{}", f.closed_file),
            format!("/meeting/{}", f.closed_meeting),
            format!("/location/{}", f.closed_meeting),
            format!("/agenda-item/{}", f.closed_meeting_item),
            format!("/file/{}", f.closed_meeting_file),
            format!("/membership/{}", f.unnamed_membership),
            format!("/person/{}", f.unnamed_user),
        ] {
            let (status, v) = get(&app, &path).await;
            assert_eq!(status, 404, "{path}: {v}");
            assert!(!text.contains(&format!("{path}\"")), "{path} is listed");
        }
        for needle in [
            CLOSED_MEETING,
            CLOSED_ITEM,
            UNNAMED,
            "Personalakte",
            "Intern.pdf",
        ] {
            assert!(!text.contains(needle), "{needle} leaked");
        }

        // The long lists read a page in SQL; they list what the whole list built lists.
        for list in [
            "/body/1/meetings".to_owned(),
            "/body/1/locations".to_owned(),
            "/body/1/agenda-items".to_owned(),
            "/body/1/consultations".to_owned(),
            "/body/1/files".to_owned(),
            "/body/1/papers".to_owned(),
            format!("/organization/{}/meetings", f.board),
        ] {
            assert_paged_as_built(&app, &list).await;
        }

        // Consent given again: named again.
        boards::set_name_consent(
            &app.db,
            &session_user(f.named_user, &[]),
            f.named_membership,
            true,
        )
        .await
        .unwrap();
        let (status, v) = get(&app, &person_path).await;
        assert_eq!(status, 200);
        assert_eq!(v["name"], "Bernd Mitglied", "{v}");
    }
);

db_test!(oparl_lists_page_and_filter, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let board = new_board(&app, "Jugendbeirat", true).await;
    let m = new_meeting(&app, board, "Lange Sitzung", true, "planned").await;
    let now = Utc::now();
    let rows: Vec<agenda_item::ActiveModel> = (1..=120)
        .map(|n| agenda_item::ActiveModel {
            meeting_id: Set(m),
            parent_id: Set(None),
            position: Set(n),
            title: Set(format!("Punkt {n}")),
            description: Set(String::new()),
            public: Set(true),
            proposal_id: Set(None),
            petition_id: Set(None),
            notes: Set(String::new()),
            recommendation: Set(String::new()),
            votes_yes: Set(None),
            votes_no: Set(None),
            votes_abstain: Set(None),
            majority: Set(None),
            result: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            deleted_at: Set(None),
            ..Default::default()
        })
        .collect();
    agenda_item::Entity::insert_many(rows)
        .exec(&app.db)
        .await
        .unwrap();
    let deleted = item(
        &app,
        m,
        ItemSpec {
            title: "Gestrichen",
            position: 121,
            deleted: true,
            ..Default::default()
        },
    )
    .await;

    let list = app.state.config.link("/oparl/v1.1/body/1/agenda-items");
    let (status, first) = get(&app, "/body/1/agenda-items").await;
    assert_eq!(status, 200);
    assert_eq!(first["pagination"]["elementsPerPage"], 100);
    let first_items = first["data"].as_array().unwrap();
    assert_eq!(first_items.len(), 100);
    let hundredth = first_items[99]["id"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap();
    assert_eq!(first["links"]["next"], format!("{list}?after={hundredth}"));
    assert_eq!(first["links"]["self"], list);
    assert_eq!(first["links"]["first"], list);
    let (status, second) = get(&app, &format!("/body/1/agenda-items?after={hundredth}")).await;
    assert_eq!(status, 200);
    assert_eq!(second["data"].as_array().unwrap().len(), 21);
    assert!(second["links"].get("next").is_none());
    assert_eq!(second["links"]["first"], list);
    assert_eq!(second["links"]["self"], format!("{list}?after={hundredth}"));
    assert_paged_as_built(&app, "/body/1/agenda-items").await;
    // Stable order: by id, the deleted item (a tombstone) last.
    let ids: Vec<&str> = first["data"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["data"].as_array().unwrap())
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), 121);
    let last = second["data"].as_array().unwrap().last().unwrap();
    assert_eq!(
        last["id"],
        app.state
            .config
            .link(&format!("/oparl/v1.1/agenda-item/{deleted}"))
    );
    assert_eq!(last["deleted"], true);
    let (_, tomb) = get(&app, &format!("/agenda-item/{deleted}")).await;
    assert_eq!(&tomb, last);

    // Filters: in the future nothing changed; the filter travels with the pages.
    let future = (Utc::now() + TimeDelta::days(1)).to_rfc3339();
    let encoded = url::form_urlencoded::byte_serialize(future.as_bytes()).collect::<String>();
    let (status, none) = get(
        &app,
        &format!("/body/1/agenda-items?modified_since={encoded}"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(none["data"], json!([]));
    assert!(none["links"].get("next").is_none());
    let (_, until) = get(
        &app,
        &format!("/body/1/agenda-items?modified_until={encoded}"),
    )
    .await;
    assert_eq!(until["data"].as_array().unwrap().len(), 100);
    let next = until["links"]["next"].as_str().unwrap();
    assert!(
        next.contains("modified_until=") && next.ends_with(&format!("after={hundredth}")),
        "{next}"
    );
    let res = app.client.get(next).send().await.unwrap();
    let page2: Value = res.json().await.unwrap();
    assert_eq!(page2["data"], second["data"]);
    let past = "2000-01-01T00%3A00%3A00%2B01%3A00";
    let (_, old) = get(&app, &format!("/body/1/agenda-items?created_until={past}")).await;
    assert_eq!(old["data"], json!([]));
    let (_, recent) = get(&app, &format!("/body/1/meetings?created_since={past}")).await;
    assert_eq!(recent["data"].as_array().unwrap().len(), 1);
    // Deleted since a moment ago: the tombstone shows up for a syncing client.
    let since =
        url::form_urlencoded::byte_serialize((now - TimeDelta::minutes(1)).to_rfc3339().as_bytes())
            .collect::<String>();
    let (_, changed) = get(
        &app,
        &format!("/body/1/agenda-items?modified_since={since}&after={hundredth}"),
    )
    .await;
    assert_eq!(
        changed["data"].as_array().unwrap().last().unwrap()["deleted"],
        true
    );

    // Wrong filters and pages are refused with a JSON error.
    for query in [
        "modified_since=gestern",
        "created_since=2026-12-03",
        "modified_until=2026-13-01T00:00:00Z",
        "after=0",
        "after=zwei",
        "page=2",
        "page=zwei",
    ] {
        let (status, v) = get(&app, &format!("/body/1/agenda-items?{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert_eq!(v["error"], "bad_request", "{query}");
        assert!(v["message"].is_string(), "{query}");
    }
    // The board's own list of sessions pages the same way.
    let (status, own) = get(&app, &format!("/organization/{board}/meetings")).await;
    assert_eq!(status, 200);
    assert_eq!(own["data"].as_array().unwrap().len(), 1);

    // Files list the attachments, then the minutes of each published session: 150 + 70,
    // the seam in the middle of the second page.
    let items: Vec<i64> = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(m))
        .filter(agenda_item::Column::DeletedAt.is_null())
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|i| i.id)
        .collect();
    let files: Vec<agenda_file::ActiveModel> = (0..150)
        .map(|n| agenda_file::ActiveModel {
            item_id: Set(items[n % 75]),
            filename: Set(format!("anlage-{n}.pdf")),
            content_type: Set("application/pdf".into()),
            size: Set(1),
            sha256: Set(format!("{n:064}")),
            uploaded_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            deleted_at: Set(None),
            ..Default::default()
        })
        .collect();
    agenda_file::Entity::insert_many(files)
        .exec(&app.db)
        .await
        .unwrap();
    let template = meeting::Entity::find_by_id(m)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let sessions: Vec<meeting::ActiveModel> = (0..70)
        .map(|n| meeting::ActiveModel {
            title: Set(format!("Sitzung {n}")),
            status: Set("published".into()),
            minutes: Set(Some("Protokoll".into())),
            minutes_published_at: Set(Some(now)),
            ..meeting::Model {
                id: 0,
                ..template.clone()
            }
            .into()
        })
        .map(|mut s: meeting::ActiveModel| {
            s.id = sea_orm::ActiveValue::NotSet;
            s
        })
        .collect();
    meeting::Entity::insert_many(sessions)
        .exec(&app.db)
        .await
        .unwrap();
    // Followed by its links, the list holds each of the 220 once; the second page ends
    // with minutes and names the last of them as the key of the third.
    let follow = |doc: &Value| {
        let next = doc["links"]["next"].as_str().unwrap().to_owned();
        let client = app.client.clone();
        async move {
            client
                .get(next)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let (_, first) = get(&app, "/body/1/files").await;
    let second = follow(&first).await;
    assert!(
        second["links"]["next"]
            .as_str()
            .unwrap()
            .contains("after=minutes-"),
        "{second}"
    );
    let third = follow(&second).await;
    assert!(third["links"].get("next").is_none());
    let ids: Vec<String> = [&first, &second, &third]
        .iter()
        .flat_map(|doc| doc["data"].as_array().unwrap().iter())
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 220);
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), 220);
    assert_paged_as_built(&app, "/body/1/files").await;

    // Papers: the proposals, then the petitions, the seam on the second page.
    let author = person(&app, "Pia Papier", "pia@example.org").await;
    let mut proposals = Vec::new();
    for (n, item) in items.iter().take(103).enumerate() {
        let mut on_agenda = agenda_item::ActiveModel {
            id: Set(*item),
            ..Default::default()
        };
        if n < 101 {
            let id = new_proposal(&app, author, &format!("Vorschlag {n}"), false).await;
            on_agenda.proposal_id = Set(Some(id));
            proposals.push(id);
        } else {
            let id = new_petition(&app, &format!("papier-{n}"), true).await;
            on_agenda.petition_id = Set(Some(id));
        }
        on_agenda.update(&app.db).await.unwrap();
    }
    let (_, first) = get(&app, "/body/1/papers").await;
    assert_eq!(first["data"].as_array().unwrap().len(), 100);
    let next = first["links"]["next"].as_str().unwrap();
    assert!(
        next.ends_with(&format!("after=proposal-{}", proposals[99])),
        "{next}"
    );
    let second = follow(&first).await;
    let kinds: Vec<&str> = second["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let id = o["id"].as_str().unwrap();
            id.rsplit('/').next().unwrap().split('-').next().unwrap()
        })
        .collect();
    assert_eq!(kinds, ["proposal", "petition", "petition"]);
    assert!(second["links"].get("next").is_none());
    assert_paged_as_built(&app, "/body/1/papers").await;
});

db_test!(
    the_oparl_schema_check_passes_on_the_demo_data,
    |backend| async move {
        let schemas = Schemas::load();
        let app = TestApp::spawn(backend).await;
        server::demo::seed(&app.db, &app.state.config)
            .await
            .unwrap();
        let crawl = crawl(&app, &schemas).await;
        let text = crawl.text();
        for email in emails(&app).await {
            assert!(!text.contains(&email), "{email} leaked");
        }
        // Every board and public session of the demo is there; nothing closed or unnamed.
        for b in board::Entity::find().all(&app.db).await.unwrap() {
            let url = format!("{}/organization/{}", crawl.base, b.id);
            assert!(crawl.objects.contains_key(&url), "{url} missing");
        }
        for m in meeting::Entity::find().all(&app.db).await.unwrap() {
            if m.public {
                let url = format!("{}/meeting/{}", crawl.base, m.id);
                assert!(crawl.objects.contains_key(&url), "{url} missing");
            } else {
                let (status, _) = get(&app, &format!("/meeting/{}", m.id)).await;
                assert_eq!(status, 404, "closed demo session {}", m.id);
                assert!(!text.contains(&format!("/meeting/{}\"", m.id)));
            }
        }
        for i in agenda_item::Entity::find().all(&app.db).await.unwrap() {
            if !i.public {
                assert!(!text.contains(&format!("/agenda-item/{}\"", i.id)));
            }
        }
        for m in board_member::Entity::find().all(&app.db).await.unwrap() {
            if !m.public_name {
                assert!(!text.contains(&format!("/membership/{}\"", m.id)));
            }
        }
    }
);

db_test!(
    oparl_answers_carry_validators_and_answer_304,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let board = new_board(&app, "Seniorenbeirat", true).await;
        let m = new_meeting(&app, board, "Herbstsitzung", true, "planned").await;
        let conditional = |path: String, header: Option<(&'static str, String)>| {
            let url = app.state.config.link(&format!("/oparl/v1.1{path}"));
            let mut req = app.client.get(url);
            if let Some((name, value)) = header {
                req = req.header(name, value);
            }
            async move { req.send().await.unwrap() }
        };
        for path in [
            "/system".to_owned(),
            "/body/1".to_owned(),
            "/body/1/meetings".to_owned(),
            format!("/meeting/{m}"),
        ] {
            let first = conditional(path.clone(), None).await;
            assert_eq!(first.status(), 200, "{path}");
            let etag = first.headers()["etag"].to_str().unwrap().to_owned();
            let last_modified = first.headers()["last-modified"]
                .to_str()
                .unwrap()
                .to_owned();
            assert!(last_modified.ends_with(" GMT"), "{path}: {last_modified}");
            let body: Value = first.json().await.unwrap();
            // The list's Last-Modified is its newest object's `modified`.
            if let Some(list) = body["data"].as_array() {
                let newest = list.iter().map(|o| time(&o["modified"])).max().unwrap();
                assert_eq!(
                    last_modified,
                    newest.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
                );
            }
            let same = conditional(path.clone(), Some(("If-None-Match", etag.clone()))).await;
            assert_eq!(same.status(), 304, "{path}");
            assert_eq!(same.headers()["access-control-allow-origin"], "*");
            assert!(same.text().await.unwrap().is_empty());
            let since = conditional(path.clone(), Some(("If-Modified-Since", last_modified))).await;
            assert_eq!(since.status(), 304, "{path}");
            let other = conditional(path.clone(), Some(("If-None-Match", "\"x\"".into()))).await;
            assert_eq!(other.status(), 200, "{path}");
        }

        // A new session changes the list: a new tag, and the old one no longer matches.
        let (_, before) = get(&app, "/body/1/meetings").await;
        let url = app.state.config.link("/oparl/v1.1/body/1/meetings");
        let etag = app.client.get(&url).send().await.unwrap().headers()["etag"]
            .to_str()
            .unwrap()
            .to_owned();
        new_meeting(&app, board, "Wintersitzung", true, "planned").await;
        let after = app
            .client
            .get(&url)
            .header("If-None-Match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(after.status(), 200);
        let after: Value = after.json().await.unwrap();
        assert_eq!(
            after["data"].as_array().unwrap().len(),
            before["data"].as_array().unwrap().len() + 1
        );
    }
);
