//! The read-only OParl 1.1 API (the German open standard for council information systems),
//! so that Ratsinformation clients and open-data portals can read the advisory boards, their
//! sessions and agendas without scraping pages.
//!
//! URL layout (all under `<public_url>/oparl/v1.1`):
//!
//! | URL | OParl type |
//! |---|---|
//! | `/system` | System |
//! | `/bodies`, `/body/1` | Body: the municipality, the one body of this system |
//! | `/body/1/{organizations,people,memberships,legislative-terms,meetings,agenda-items,papers,consultations,files,locations}` | the external lists of the body |
//! | `/organization/{board}` (+ `/organization/{board}/meetings`) | Organization: an advisory board |
//! | `/person/{user}`, `/membership/{member}` | Person (name only), Membership |
//! | `/legislative-term/{board}` | LegislativeTerm: a board's term of office |
//! | `/meeting/{meeting}`, `/location/{meeting}` | Meeting, its Location |
//! | `/agenda-item/{item}`, `/consultation/{item}` | AgendaItem, the Consultation of the proposal or petition it deals with |
//! | `/paper/proposal-{id}`, `/paper/petition-{id}` | Paper: a resident proposal or a petition on an agenda |
//! | `/file/{attachment}`, `/file/minutes-{meeting}` | File: an attachment, or the published minutes |
//!
//! Lists are paged by key (100 per page; `?after=` the last key of the page before, as the
//! `next` link says) in the order of the object ids, which never change, so that paging
//! stays stable while the data grows and a page deep in a list costs what the first does. They take the filters
//! `created_since`, `created_until`, `modified_since` and `modified_until` (RFC 3339, both
//! ends inclusive) and carry them into their `links`. The long lists (sessions, places,
//! agenda items, consultations, files) read only their page from the database (`paged`); a
//! filter makes a list build every object, since `modified` includes what an object embeds.
//!
//! Privacy, which every object passes through before it is built:
//! - what is closed (a closed session with its items, files and place; a closed agenda item
//!   with its files) loses its text the moment it is loaded, so that no later path can show
//!   it; only ids, links and timestamps remain, for tombstones and for the `modified` of the
//!   public session. Closed items still count for the numbering (TOP 3 stays TOP 3 as on the
//!   session page);
//! - a person appears only through a membership whose member agreed to be named
//!   (`public_name`), and carries only the display name; other memberships only count in
//!   `memberCount`/`votingMemberCount`, as on the board's page;
//! - papers are resident proposals (not hidden by moderation) and published petitions, and
//!   only those an open agenda item (public, in a public session) deals with.
//!
//! Deleted rows answer as tombstones (`deleted: true`, `modified` = the time of deletion) and
//! stay in their lists, as OParl requires, so that clients syncing with `modified_since`
//! learn of the deletion. An object deleted by its parent (an item of a deleted session, a
//! membership of a deleted board) is deleted as of the parent's deletion. Objects embedded in
//! others (agenda items in a meeting, files in an item, memberships in a person,
//! consultations in a paper, terms of office in the body) raise their parent's `modified`,
//! as OParl 1.1 requires for clients of OParl 1.0.
//!
//! What was public and no longer is answers as a tombstone too, or clients that sync would
//! keep the names and titles forever: a membership whose member withdrew their consent (and
//! the person, once no named membership is left), an agenda item or a session switched to
//! closed (with their files, consultations, place and minutes), each as of the row's last
//! change (`updated_at`). What never was public must stay unseen (404, in no list), and the
//! rows keep no history of their own; the append-only audit trail does. Consent is only ever
//! given or withdrawn through `boards::set_name_consent` (`board.name_public`,
//! `board.name_withdrawn`; a membership starts unnamed), and a session or an item is only
//! closed after its creation through `meetings::update` (`session.updated`) or
//! `meetings::update_item` (`agenda.item_updated`, which closes the sub-points along with
//! their item). A closed row without such an entry never was public. `updated_at >
//! created_at` would be a far weaker sign: recording the notes of a closed item, inviting to
//! or holding a closed session change the row as well. An entry is not proof (a session
//! edited while closed all along also has one), but such a tombstone shows nothing beyond an
//! id and two timestamps. A paper, on the other hand, is not kept as a tombstone when the
//! item that dealt with it closes: that would tell which proposal a closed item is about,
//! while the paper itself stays public on its own page.
//!
//! Vendor extension: an AgendaItem whose vote was recorded carries
//! `"dorfplatz:votes": {"yes": 5, "no": 1, "abstain": 0, "majority": "simple"}` (majority:
//! `simple`, `absolute` or `two_thirds`). The OParl schemas allow additional properties.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::middleware::{Next, from_fn};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, SubsecRound, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, Statement,
};
use serde_json::{Map, Value, json};

use crate::boards::domain::{self, ItemResult, MeetingStatus, Slot};
use crate::boards::server::boards::{berlin, role_of, serves_on, today};
use crate::error::AppError;
use crate::infra::entities::{
    agenda_file, agenda_item, audit_log, board, board_member, meeting, petition, proposal,
    site_setting, user,
};
use crate::infra::state::{AppConfig, AppState};
use crate::petitions::server::procedure::visible_to_public;
use crate::site::server as site;

/// Where the API lives below the public URL.
pub const BASE_PATH: &str = "/oparl/v1.1";
const SCHEMA: &str = "https://schema.oparl.org/1.1/";
/// OParl recommends paging lists longer than 100 entries.
pub const PER_PAGE: usize = 100;
/// `IN (…)` lists are cut into pieces of this size, well below the bind-parameter limits of
/// SQLite and PostgreSQL.
const CHUNK: usize = 500;

/// The audit actions of a member's decision to be named or not (`boards::set_name_consent`):
/// a membership with one of them may have been public.
const CONSENT_ACTIONS: [&str; 2] = ["board.name_public", "board.name_withdrawn"];
/// The audit actions of the only edits that can close a session or an agenda item after it
/// was created (`meetings::update`, `meetings::update_item`).
const SESSION_EDITED: &str = "session.updated";
const ITEM_EDITED: &str = "agenda.item_updated";

/// The OParl routes; merged into the site's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/oparl/{*path}", get(dispatch).options(preflight))
        .layer(from_fn(cors))
}

// ---------------------------------------------------------------------------------------
// HTTP

/// OParl requires `Access-Control-Allow-Origin: *` on every JSON answer: the data is public
/// and meant for web applications on other sites. No cookie counts here, so nothing can be
/// forged through it.
async fn cors(req: Request<Body>, next: Next) -> Response {
    let mut res = next.run(req).await;
    res.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    res
}

/// Answers a browser's CORS preflight (sent when a web application adds its own headers).
async fn preflight() -> Response {
    (
        StatusCode::NO_CONTENT,
        [
            (header::ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, OPTIONS"),
            (header::ACCESS_CONTROL_ALLOW_HEADERS, "*"),
            (header::ACCESS_CONTROL_MAX_AGE, "86400"),
        ],
    )
        .into_response()
}

#[derive(Debug)]
enum ApiError {
    NotFound,
    BadRequest(String),
    Internal,
}

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        match err {
            AppError::NotFound => ApiError::NotFound,
            _ => ApiError::Internal,
        }
    }
}

impl From<DbErr> for ApiError {
    fn from(err: DbErr) -> Self {
        // AppError's conversion logs the cause.
        AppError::from(err).into()
    }
}

/// The `modified` an object's JSON states.
fn modified_of(value: &Value) -> Option<Stamp> {
    value
        .get("modified")
        .and_then(Value::as_str)
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
}

fn json_response(status: StatusCode, value: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        value.to_string(),
    )
        .into_response()
}

async fn dispatch(
    State(state): State<AppState>,
    Path(path): Path<String>,
    RawQuery(query): RawQuery,
    headers: axum::http::HeaderMap,
) -> Response {
    match answer(&state, &path, query.as_deref()).await {
        Ok((value, modified)) => crate::infra::responses::validated(
            &headers,
            "application/json; charset=utf-8",
            // Clients sync often; a minute of caching, then a conditional request.
            "public, max-age=60",
            value.to_string().into_bytes(),
            modified,
        ),
        Err(ApiError::NotFound) => json_response(
            StatusCode::NOT_FOUND,
            &json!({"error": "not_found", "message": "Unter dieser Adresse gibt es kein OParl-Objekt."}),
        ),
        Err(ApiError::BadRequest(message)) => json_response(
            StatusCode::BAD_REQUEST,
            &json!({"error": "bad_request", "message": message}),
        ),
        Err(ApiError::Internal) => json_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            &json!({"error": "internal", "message": "Interner Fehler. Bitte versuchen Sie es später erneut."}),
        ),
    }
}

/// An answer and the time it last changed (`Last-Modified`): an object's `modified`; for a
/// list page read in SQL the newest of its objects and of the row after it (`paged`), for a
/// list built whole the newest of every object that matches.
async fn answer(
    state: &AppState,
    path: &str,
    query: Option<&str>,
) -> Result<(Value, Option<Stamp>), ApiError> {
    let db = &state.db;
    let config = &state.config;
    let segments: Vec<&str> = path.split('/').collect();
    let ["v1.1", rest @ ..] = segments.as_slice() else {
        return Err(ApiError::NotFound);
    };
    match rest {
        ["system"] => {
            let json = system(config, &SiteInfo::load(db).await?);
            let modified = modified_of(&json);
            Ok((json, modified))
        }
        ["bodies"] => {
            let q = ListQuery::parse(query, None)?;
            let body = body(config, db, &SiteInfo::load(db).await?).await?;
            Ok(q.page(vec![(Key::Id(1), body)], &link(config, "/bodies")))
        }
        ["body", "1"] => {
            let body = body(config, db, &SiteInfo::load(db).await?).await?;
            Ok((body.json, Some(body.modified)))
        }
        ["body", "1", list] => {
            let kind = Kind::ALL
                .into_iter()
                .find(|k| k.list() == *list)
                .ok_or(ApiError::NotFound)?;
            let q = ListQuery::parse(query, Some(kind))?;
            let url = link(config, &format!("/body/1/{list}"));
            if let Some(answer) = paged(db, config, kind, None, &q, &url).await? {
                return Ok(answer);
            }
            let scope = if kind.needs_meetings() {
                Scope::AllMeetings
            } else {
                Scope::Boards
            };
            let data = Data::load(db, config, scope).await?;
            let objects = data
                .keys(kind)
                .into_iter()
                .filter_map(|key| data.build(kind, key).map(|o| (key, o)))
                .collect();
            Ok(q.page(objects, &url))
        }
        ["organization", id, "meetings"] => {
            let board = parse_id(id).ok_or(ApiError::NotFound)?;
            let q = ListQuery::parse(query, Some(Kind::Meeting))?;
            let url = link(config, &format!("/organization/{board}/meetings"));
            board::Entity::find_by_id(board)
                .one(db)
                .await?
                .ok_or(ApiError::NotFound)?;
            if let Some(answer) = paged(db, config, Kind::Meeting, Some(board), &q, &url).await? {
                return Ok(answer);
            }
            let data = Data::load(db, config, Scope::AllMeetings).await?;
            let objects = data
                .meetings
                .values()
                .filter(|m| m.board_id == board)
                .filter_map(|m| {
                    let key = Key::Id(m.id);
                    data.build(Kind::Meeting, key).map(|o| (key, o))
                })
                .collect();
            Ok(q.page(objects, &url))
        }
        [segment, key] => {
            let kind = Kind::ALL
                .into_iter()
                .find(|k| k.segment() == *segment)
                .ok_or(ApiError::NotFound)?;
            let key = Key::parse(kind, key).ok_or(ApiError::NotFound)?;
            let scope = scope_of(db, kind, key).await?;
            let data = Data::load(db, config, scope).await?;
            data.build(kind, key)
                .map(|o| (o.json, Some(o.modified)))
                .ok_or(ApiError::NotFound)
        }
        _ => Err(ApiError::NotFound),
    }
}

fn link(config: &AppConfig, path: &str) -> String {
    config.link(&format!("{BASE_PATH}{path}"))
}

/// Ids in URLs have one spelling only (OParl's canonical URLs): no sign, no leading zeros.
fn parse_id(s: &str) -> Option<i64> {
    let id: i64 = s.parse().ok()?;
    (id > 0 && id.to_string() == s).then_some(id)
}

// ---------------------------------------------------------------------------------------
// Lists: filters and pages

#[derive(Debug, Default)]
struct ListQuery {
    created_since: Option<DateTime<FixedOffset>>,
    created_until: Option<DateTime<FixedOffset>>,
    modified_since: Option<DateTime<FixedOffset>>,
    modified_until: Option<DateTime<FixedOffset>>,
    /// The last object of the page before (`after=`, from that page's `next` link): lists
    /// page by key, so that a page costs the same at the end of a list as at its start.
    after: Option<Key>,
}

impl ListQuery {
    /// The parameters of a list of `kind` (`None`: the list of bodies).
    fn parse(query: Option<&str>, kind: Option<Kind>) -> Result<Self, ApiError> {
        let mut q = ListQuery::default();
        for (key, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            let slot = match key.as_ref() {
                "created_since" => &mut q.created_since,
                "created_until" => &mut q.created_until,
                "modified_since" => &mut q.modified_since,
                "modified_until" => &mut q.modified_until,
                "after" => {
                    let parsed = match kind {
                        Some(kind) => Key::parse(kind, &value),
                        None => parse_id(&value).map(Key::Id),
                    };
                    q.after = Some(parsed.ok_or_else(|| {
                        ApiError::BadRequest(format!(
                            "after muss ein Schlüssel dieser Liste sein, wie ihn der Link next nennt, nicht „{value}“."
                        ))
                    })?);
                    continue;
                }
                // Numbered pages were given up for keys: the first is still the first, but a
                // client counting on would get it again and again, so it learns why instead.
                "page" if value == "1" => continue,
                "page" => {
                    return Err(ApiError::BadRequest(
                        "Diese Listen blättern mit after= (dem Link next), nicht mit page=.".into(),
                    ));
                }
                // Other parameters (e.g. the client's wish for `elementsPerPage`) may be
                // ignored, as OParl allows.
                _ => continue,
            };
            // A `+` of the offset that the client did not encode arrives as a space; the
            // intent is unambiguous, so it is taken back rather than refused.
            let text = value.trim().replace(' ', "+");
            *slot = Some(DateTime::parse_from_rfc3339(&text).map_err(|_| {
                ApiError::BadRequest(format!(
                    "{key} muss eine Zeitangabe nach RFC 3339 sein (z. B. 2026-12-03T19:00:00+01:00), nicht „{value}“."
                ))
            })?);
        }
        Ok(q)
    }

    fn admits(&self, o: &Obj) -> bool {
        self.created_since.is_none_or(|t| o.created >= t)
            && self.created_until.is_none_or(|t| o.created <= t)
            && self.modified_since.is_none_or(|t| o.modified >= t)
            && self.modified_until.is_none_or(|t| o.modified <= t)
    }

    /// The URL of the page after `after` (the first page for `None`), with the filters in a
    /// fixed order (one canonical URL per page).
    fn page_url(&self, list_url: &str, after: Option<Key>) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in [
            ("created_since", self.created_since),
            ("created_until", self.created_until),
            ("modified_since", self.modified_since),
            ("modified_until", self.modified_until),
        ] {
            if let Some(t) = value {
                s.append_pair(key, &t.to_rfc3339());
            }
        }
        if let Some(key) = after {
            s.append_pair("after", &key.segment());
        }
        let q = s.finish();
        if q.is_empty() {
            list_url.to_owned()
        } else {
            format!("{list_url}?{q}")
        }
    }

    /// Whether an object of this key comes after the page before.
    fn follows(&self, key: Key) -> bool {
        self.after.is_none_or(|after| key > after)
    }

    /// The requested page of `objects` (already in key order), and the latest `modified`
    /// of all that match.
    fn page(&self, objects: Vec<(Key, Obj)>, list_url: &str) -> (Value, Option<Stamp>) {
        let matching: Vec<(Key, Obj)> = objects
            .into_iter()
            .filter(|(_, o)| self.admits(o))
            .collect();
        let newest = matching.iter().map(|(_, o)| o.modified).max();
        let mut rest = matching.into_iter().filter(|(key, _)| self.follows(*key));
        let page: Vec<(Key, Obj)> = rest.by_ref().take(PER_PAGE).collect();
        let next = rest.next().and(page.last().map(|(key, _)| *key));
        let data = page.into_iter().map(|(_, o)| o.json).collect();
        (self.document(data, next, list_url), newest)
    }

    /// Whether a filter asks for `created` or `modified`, which only the built objects know
    /// (an object's `modified` includes what it embeds).
    fn filters(&self) -> bool {
        self.created_since.is_some()
            || self.created_until.is_some()
            || self.modified_since.is_some()
            || self.modified_until.is_some()
    }

    /// The list document: one page of `data`, and its links; `next` is the last key of the
    /// page when more objects follow. No total: counting a list of a hundred thousand rows
    /// would cost each page more than the page itself (OParl makes it optional).
    fn document(&self, data: Vec<Value>, next: Option<Key>, list_url: &str) -> Value {
        let mut links = Map::new();
        links.insert("first".into(), self.page_url(list_url, None).into());
        links.insert("self".into(), self.page_url(list_url, self.after).into());
        if let Some(key) = next {
            links.insert("next".into(), self.page_url(list_url, Some(key)).into());
        }
        embedding(
            json!({ "pagination": { "elementsPerPage": PER_PAGE } }),
            [("data", Value::from(data)), ("links", Value::Object(links))],
        )
    }
}

// ---------------------------------------------------------------------------------------
// The long lists, paged in SQL

/// The sessions listed (`Scope` aside): public ones, and closed ones that were edited after
/// their creation (tombstones, see `Data::meeting_vis`). As conditions on `meetings` and on
/// `agenda_items`, so that the database finds a page's rows without the history around it.
fn listed_meetings() -> String {
    format!(
        "(meetings.public OR meetings.id IN (
            SELECT CAST(a.target_id AS BIGINT) FROM audit_log a
            WHERE a.action = '{SESSION_EDITED}' AND a.target_type = 'session'))"
    )
}

/// The agenda items listed: of a listed session, and public or closed by an edit of their
/// own or of their main point (`Data::item_vis`). The audit entry names the item in its
/// JSON details (`{"item": 12}`).
fn listed_items(backend: DbBackend) -> String {
    let item = match backend {
        DbBackend::Postgres => "CAST(a.details::jsonb ->> 'item' AS BIGINT)",
        _ => "CAST(json_extract(a.details, '$.item') AS BIGINT)",
    };
    let edited = format!(
        "SELECT {item} FROM audit_log a
         WHERE a.action = '{ITEM_EDITED}' AND a.target_type = 'session'"
    );
    // The session as a lookup by key for each item read (`EXISTS`), not as a list of the
    // listed sessions: SQLite built that list of 10,000 sessions for every page (12–16 ms
    // of a 100-item page); the history subqueries are not correlated and run once.
    format!(
        "(EXISTS (SELECT 1 FROM meetings
                  WHERE meetings.id = agenda_items.meeting_id AND {})
          AND (agenda_items.public OR agenda_items.id IN ({edited})
               OR agenda_items.parent_id IN ({edited})))",
        listed_meetings()
    )
}

/// The consultations listed: agenda items listed that deal with a proposal, or with a
/// published petition (`Data::paper_of`).
fn listed_consultations(backend: DbBackend) -> String {
    format!(
        "({} AND (agenda_items.proposal_id IN (SELECT proposals.id FROM proposals)
               OR agenda_items.petition_id IN
                  (SELECT petitions.id FROM petitions WHERE petitions.published_at IS NOT NULL)))",
        listed_items(backend)
    )
}

/// A row of a long list, read in SQL: its id, a second column (its session, or its item)
/// and its newest stamp.
struct Row {
    id: i64,
    second: i64,
    newest: Option<Stamp>,
}

impl Row {
    /// The row as an object of its own id, with its session.
    fn by_id(self) -> (Key, Option<i64>, Option<Stamp>) {
        (Key::Id(self.id), Some(self.second), self.newest)
    }
}

/// Up to `limit` rows of `query` with an id above `after`, in the order of `id`: a range of
/// the primary key's index, whatever the page.
async fn rows_after<E>(
    db: &DatabaseConnection,
    query: Select<E>,
    [id, second, created, updated]: [E::Column; 4],
    after: i64,
    limit: u64,
) -> Result<Vec<Row>, DbErr>
where
    E: EntityTrait,
    E::Model: Send + Sync,
{
    if limit == 0 {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, i64, Option<Stamp>, Option<Stamp>)> = query
        .select_only()
        .column(id)
        .column(second)
        .column(created)
        .column(updated)
        .filter(id.gt(after))
        .order_by_asc(id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, second, created, updated)| Row {
            id,
            second,
            newest: created.max(updated).map(stamp),
        })
        .collect())
}

/// One page of a long list — sessions, places, agenda items, consultations, files (a board
/// meets monthly for years) — read as a page: the page's ids come from SQL (one row more,
/// to know whether another page follows), only the page's sessions are loaded and built.
/// `None` for the short lists, and where a filter on `created` or `modified` needs every
/// object built (`modified` includes what an object embeds); these take the path of
/// `Data::load`, which lists the same (tested).
///
/// `Last-Modified` is the newest `modified` of the page, or the newest stamp of the row
/// after it: a page changes with its objects, and with the row that gives it a `next` link.
async fn paged(
    db: &DatabaseConnection,
    config: &AppConfig,
    kind: Kind,
    board_id: Option<i64>,
    q: &ListQuery,
    list_url: &str,
) -> Result<Option<(Value, Option<Stamp>)>, ApiError> {
    if q.filters() {
        return Ok(None);
    }
    let backend = db.get_database_backend();
    // One row more than a page: whether it exists decides the `next` link.
    let limit = PER_PAGE as u64 + 1;
    let after = match q.after {
        Some(Key::Id(id)) => id,
        _ => 0,
    };
    let meetings = |condition: String| {
        let mut query = meeting::Entity::find().filter(Expr::cust(condition));
        if let Some(board) = board_id {
            query = query.filter(meeting::Column::BoardId.eq(board));
        }
        query
    };
    let meeting_columns = [
        meeting::Column::Id,
        meeting::Column::Id,
        meeting::Column::CreatedAt,
        meeting::Column::UpdatedAt,
    ];
    let item_columns = [
        agenda_item::Column::Id,
        agenda_item::Column::MeetingId,
        agenda_item::Column::CreatedAt,
        agenda_item::Column::UpdatedAt,
    ];
    // The page's objects (and the row after them), each with its session (an attachment
    // whose item is gone in the meantime has none, and is left out when built).
    let rows: Vec<(Key, Option<i64>, Option<Stamp>)> = match kind {
        Kind::Meeting | Kind::Location => rows_after(
            db,
            meetings(listed_meetings()),
            meeting_columns,
            after,
            limit,
        )
        .await?
        .into_iter()
        .map(Row::by_id)
        .collect(),
        _ if board_id.is_some() => return Ok(None),
        Kind::AgendaItem | Kind::Consultation => {
            let condition = match kind {
                Kind::AgendaItem => listed_items(backend),
                _ => listed_consultations(backend),
            };
            let query = agenda_item::Entity::find().filter(Expr::cust(condition));
            rows_after(db, query, item_columns, after, limit)
                .await?
                .into_iter()
                .map(Row::by_id)
                .collect()
        }
        Kind::File => {
            // Attachments first, then the minutes of each session (as `Data::keys`).
            let files = match q.after {
                Some(Key::Minutes(_)) => Vec::new(),
                _ => {
                    let query = agenda_file::Entity::find().filter(Expr::cust(format!(
                        "EXISTS (SELECT 1 FROM agenda_items
                                 WHERE agenda_items.id = agenda_files.item_id AND {})",
                        listed_items(backend)
                    )));
                    let columns = [
                        agenda_file::Column::Id,
                        agenda_file::Column::ItemId,
                        agenda_file::Column::CreatedAt,
                        agenda_file::Column::UpdatedAt,
                    ];
                    rows_after(db, query, columns, after, limit).await?
                }
            };
            let session_of: HashMap<i64, i64> = agenda_item::Entity::find()
                .select_only()
                .column(agenda_item::Column::Id)
                .column(agenda_item::Column::MeetingId)
                .filter(agenda_item::Column::Id.is_in(files.iter().map(|r| r.second)))
                .into_tuple::<(i64, i64)>()
                .all(db)
                .await?
                .into_iter()
                .collect();
            let published = format!(
                "({} AND meetings.status = '{}')",
                listed_meetings(),
                MeetingStatus::Published.code()
            );
            let minutes_after = match q.after {
                Some(Key::Minutes(m)) => m,
                _ => 0,
            };
            let minutes = rows_after(
                db,
                meetings(published),
                [
                    meeting::Column::Id,
                    meeting::Column::Id,
                    meeting::Column::MinutesPublishedAt,
                    meeting::Column::UpdatedAt,
                ],
                minutes_after,
                limit - files.len() as u64,
            )
            .await?;
            files
                .into_iter()
                .map(|r| (Key::Id(r.id), session_of.get(&r.second).copied(), r.newest))
                .chain(
                    minutes
                        .into_iter()
                        .map(|r| (Key::Minutes(r.id), Some(r.id), r.newest)),
                )
                .collect()
        }
        Kind::Paper => return paper_page(db, config, q, list_url).await.map(Some),
        _ => return Ok(None),
    };
    let (page, beyond) = rows.split_at(rows.len().min(PER_PAGE));
    let sessions: BTreeSet<i64> = page.iter().filter_map(|(_, meeting, _)| *meeting).collect();
    let data = Data::load(db, config, Scope::Meetings(sessions.into_iter().collect())).await?;
    let objects: Vec<Obj> = page
        .iter()
        .filter_map(|(key, _, _)| data.build(kind, *key))
        .collect();
    let newest = objects
        .iter()
        .map(|o| o.modified)
        .chain(page.iter().chain(beyond).filter_map(|(_, _, t)| *t))
        .max();
    let next = (!beyond.is_empty())
        .then(|| page.last().map(|(key, _, _)| *key))
        .flatten();
    let data = objects.into_iter().map(|o| o.json).collect();
    Ok(Some((q.document(data, next, list_url), newest)))
}

/// A page of papers: the proposals, then the published petitions, that an open agenda item
/// (public, in a public session) deals with (`Data::load_papers`); an item that names both
/// deals with the proposal. Each paper embeds its consultations, so the sessions of all
/// items dealing with the page's papers are loaded.
async fn paper_page(
    db: &DatabaseConnection,
    config: &AppConfig,
    q: &ListQuery,
    list_url: &str,
) -> Result<(Value, Option<Stamp>), ApiError> {
    const OPEN: &str = "agenda_items.public AND agenda_items.meeting_id IN
        (SELECT meetings.id FROM meetings WHERE meetings.public)";
    const PROPOSAL: &str = "agenda_items.proposal_id IN (SELECT proposals.id FROM proposals)";
    const PETITION: &str = "agenda_items.petition_id IN
        (SELECT petitions.id FROM petitions WHERE petitions.published_at IS NOT NULL)";
    let open = || agenda_item::Entity::find().filter(Expr::cust(OPEN));
    let proposals = || {
        open()
            .filter(Expr::cust(PROPOSAL))
            .select_only()
            .column(agenda_item::Column::ProposalId)
            .distinct()
    };
    let petitions = || {
        open()
            .filter(Expr::cust(
                "(agenda_items.proposal_id IS NULL
                  OR agenda_items.proposal_id NOT IN (SELECT proposals.id FROM proposals))",
            ))
            .filter(Expr::cust(PETITION))
            .select_only()
            .column(agenda_item::Column::PetitionId)
            .distinct()
    };
    // One paper more than a page: whether it exists decides the `next` link.
    let limit = PER_PAGE as u64 + 1;
    // Up to `limit` ids of `column` above `after`, in order.
    let ids_after =
        |query: Select<agenda_item::Entity>, column: agenda_item::Column, after, limit| {
            query
                .filter(column.gt(after))
                .order_by_asc(column)
                .limit(limit)
                .into_tuple::<i64>()
                .all(db)
        };
    let mut keys: Vec<Key> = Vec::new();
    if !matches!(q.after, Some(Key::Petition(_))) {
        let after = match q.after {
            Some(Key::Proposal(id)) => id,
            _ => 0,
        };
        let ids = ids_after(proposals(), agenda_item::Column::ProposalId, after, limit).await?;
        keys.extend(ids.into_iter().map(Key::Proposal));
    }
    let room = limit - keys.len() as u64;
    if room > 0 {
        let after = match q.after {
            Some(Key::Petition(id)) => id,
            _ => 0,
        };
        let ids = ids_after(petitions(), agenda_item::Column::PetitionId, after, room).await?;
        keys.extend(ids.into_iter().map(Key::Petition));
    }
    let next = (keys.len() > PER_PAGE).then(|| keys[PER_PAGE - 1]);
    keys.truncate(PER_PAGE);
    // The sessions of every item dealing with one of these papers (their consultations).
    let (mut proposal_ids, mut petition_ids) = (Vec::new(), Vec::new());
    for key in &keys {
        match key {
            Key::Proposal(id) => proposal_ids.push(*id),
            Key::Petition(id) => petition_ids.push(*id),
            _ => {}
        }
    }
    let sessions: BTreeSet<i64> = agenda_item::Entity::find()
        .select_only()
        .column(agenda_item::Column::MeetingId)
        .filter(
            Condition::any()
                .add(agenda_item::Column::ProposalId.is_in(proposal_ids))
                .add(agenda_item::Column::PetitionId.is_in(petition_ids)),
        )
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let data = Data::load(db, config, Scope::Meetings(sessions.into_iter().collect())).await?;
    let objects: Vec<Obj> = keys
        .iter()
        .filter_map(|key| data.build(Kind::Paper, *key))
        .collect();
    // A paper changes with its proposal or petition and its consultations; the page is
    // as new as its newest paper, or as the newest open item (papers come and go with them).
    let (created, updated): (Option<Stamp>, Option<Stamp>) = open()
        .select_only()
        .column_as(agenda_item::Column::CreatedAt.max(), "created")
        .column_as(agenda_item::Column::UpdatedAt.max(), "updated")
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or((None, None));
    let newest = objects
        .iter()
        .map(|o| o.modified)
        .chain(created.into_iter().chain(updated).map(stamp))
        .max();
    let data = objects.into_iter().map(|o| o.json).collect();
    Ok((q.document(data, next, list_url), newest))
}

// ---------------------------------------------------------------------------------------
// Objects

type Stamp = DateTime<Utc>;

/// Timestamps are shown to the second; filters compare what clients see.
fn stamp(t: Stamp) -> Stamp {
    t.trunc_subsecs(0)
}

/// RFC 3339 with the municipality's offset, e.g. `2026-12-03T19:00:00+01:00`.
fn date_time(t: Stamp) -> String {
    t.with_timezone(&crate::time::offset_at(t))
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The later of the stamps, never before `floor`.
fn latest(floor: Stamp, stamps: impl IntoIterator<Item = Stamp>) -> Stamp {
    stamps.into_iter().fold(floor, Stamp::max)
}

/// The earlier deletion of two (an object is gone as soon as it or a parent is).
fn first_of(a: Option<Stamp>, b: Option<Stamp>) -> Option<Stamp> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// What the API shows of a row it may show at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vis {
    Live,
    /// A tombstone: deleted, or no longer public, since then.
    Deleted(Stamp),
}

impl Vis {
    fn of(deleted: Option<Stamp>) -> Vis {
        deleted.map_or(Vis::Live, Vis::Deleted)
    }

    fn deleted(self) -> Option<Stamp> {
        match self {
            Vis::Live => None,
            Vis::Deleted(at) => Some(at),
        }
    }
}

/// `fields` with the objects it embeds moved in. `json!` serializes what it interpolates, so
/// an embedded `Value` there is a deep copy: a page of sessions copied its thousand agenda
/// items twice over (some 5 ms of a 20 ms page).
fn embedding(
    mut fields: Value,
    embedded: impl IntoIterator<Item = (&'static str, Value)>,
) -> Value {
    if let Value::Object(map) = &mut fields {
        for (key, value) in embedded {
            map.insert(key.to_owned(), value);
        }
    }
    fields
}

/// An object with the timestamps the list filters look at.
struct Obj {
    created: Stamp,
    modified: Stamp,
    json: Value,
}

impl Obj {
    /// An object from its fields; `null`s and empty arrays are left out, as OParl
    /// recommends (except `keep`, which the schema requires even when empty).
    fn new(
        id: String,
        kind: &str,
        created: Stamp,
        modified: Stamp,
        fields: Value,
        keep: &[&str],
    ) -> Obj {
        let created = stamp(created);
        let modified = stamp(modified).max(created);
        // The fields' own map, trimmed in place: a page of sessions builds over a thousand
        // objects, and moving every entry into a second map was work for nothing.
        let mut m = match fields {
            Value::Object(fields) => fields,
            _ => Map::new(),
        };
        m.retain(|k, v| match v {
            Value::Null => false,
            Value::Array(a) => !a.is_empty() || keep.contains(&k.as_str()),
            _ => true,
        });
        m.insert("id".into(), id.into());
        m.insert("type".into(), format!("{SCHEMA}{kind}").into());
        m.insert("created".into(), date_time(created).into());
        m.insert("modified".into(), date_time(modified).into());
        Obj {
            created,
            modified,
            json: Value::Object(m),
        }
    }

    /// A deleted object: OParl keeps `id`, `type` and `created` and sets `modified` to the
    /// time of deletion.
    fn tombstone(id: String, kind: &str, created: Stamp, deleted: Stamp) -> Obj {
        let created = stamp(created);
        // A file added to an item after the item was closed goes with the item's closing,
        // which is earlier; `modified` never precedes `created`.
        let modified = stamp(deleted).max(created);
        Obj {
            created,
            modified,
            json: json!({
                "id": id,
                "type": format!("{SCHEMA}{kind}"),
                "created": date_time(created),
                "modified": date_time(modified),
                "deleted": true,
            }),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Organization,
    Person,
    Membership,
    LegislativeTerm,
    Meeting,
    AgendaItem,
    Paper,
    Consultation,
    File,
    Location,
}

impl Kind {
    const ALL: [Kind; 10] = [
        Kind::Organization,
        Kind::Person,
        Kind::Membership,
        Kind::LegislativeTerm,
        Kind::Meeting,
        Kind::AgendaItem,
        Kind::Paper,
        Kind::Consultation,
        Kind::File,
        Kind::Location,
    ];

    /// The path segment of an object.
    fn segment(self) -> &'static str {
        match self {
            Kind::Organization => "organization",
            Kind::Person => "person",
            Kind::Membership => "membership",
            Kind::LegislativeTerm => "legislative-term",
            Kind::Meeting => "meeting",
            Kind::AgendaItem => "agenda-item",
            Kind::Paper => "paper",
            Kind::Consultation => "consultation",
            Kind::File => "file",
            Kind::Location => "location",
        }
    }

    /// The path segment of the body's list.
    fn list(self) -> &'static str {
        match self {
            Kind::Organization => "organizations",
            Kind::Person => "people",
            Kind::Membership => "memberships",
            Kind::LegislativeTerm => "legislative-terms",
            Kind::Meeting => "meetings",
            Kind::AgendaItem => "agenda-items",
            Kind::Paper => "papers",
            Kind::Consultation => "consultations",
            Kind::File => "files",
            Kind::Location => "locations",
        }
    }

    fn needs_meetings(self) -> bool {
        !matches!(
            self,
            Kind::Organization | Kind::Person | Kind::Membership | Kind::LegislativeTerm
        )
    }
}

/// An object's key within its kind; the order is the list order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Key {
    Id(i64),
    Proposal(i64),
    Petition(i64),
    /// The minutes of a meeting.
    Minutes(i64),
}

impl Key {
    fn parse(kind: Kind, s: &str) -> Option<Key> {
        match kind {
            Kind::Paper => {
                if let Some(id) = s.strip_prefix("proposal-") {
                    parse_id(id).map(Key::Proposal)
                } else {
                    s.strip_prefix("petition-")
                        .and_then(parse_id)
                        .map(Key::Petition)
                }
            }
            Kind::File => match s.strip_prefix("minutes-") {
                Some(id) => parse_id(id).map(Key::Minutes),
                None => parse_id(s).map(Key::Id),
            },
            _ => parse_id(s).map(Key::Id),
        }
    }

    fn segment(self) -> String {
        match self {
            Key::Id(id) => id.to_string(),
            Key::Proposal(id) => format!("proposal-{id}"),
            Key::Petition(id) => format!("petition-{id}"),
            Key::Minutes(id) => format!("minutes-{id}"),
        }
    }
}

// ---------------------------------------------------------------------------------------
// System and body

/// What the system and the body are made of besides boards.
struct SiteInfo {
    name: String,
    name_changed: Option<Stamp>,
    /// When the database was set up: the system's and the body's `created`.
    installed: Option<Stamp>,
    /// The boards' last change, for the body's `modified` (it embeds the terms of office).
    boards_changed: Option<Stamp>,
    first_board: Option<Stamp>,
}

impl SiteInfo {
    async fn load(db: &DatabaseConnection) -> Result<SiteInfo, ApiError> {
        let name = site::municipality_name(db).await?;
        let name_changed = site_setting::Entity::find_by_id(site::MUNICIPALITY_NAME.to_owned())
            .one(db)
            .await?
            .map(|s| s.updated_at);
        let boards = board::Entity::find().all(db).await?;
        Ok(SiteInfo {
            name,
            name_changed,
            installed: installed_at(db).await,
            boards_changed: boards
                .iter()
                .flat_map(|b| [Some(b.updated_at), b.deleted_at])
                .flatten()
                .max(),
            first_board: boards.iter().map(|b| b.created_at).min(),
        })
    }

    fn created(&self) -> Stamp {
        self.installed
            .or_else(|| {
                [self.name_changed, self.first_board]
                    .into_iter()
                    .flatten()
                    .min()
            })
            .unwrap_or_else(Utc::now)
    }
}

/// The time of the first migration: the installation, which no later change moves.
async fn installed_at(db: &DatabaseConnection) -> Option<Stamp> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT MIN(applied_at) AS t FROM seaql_migrations",
        ))
        .await;
    match row {
        Ok(Some(row)) => row
            .try_get::<Option<i64>>("", "t")
            .ok()
            .flatten()
            .and_then(|secs| DateTime::from_timestamp(secs, 0)),
        Ok(None) => None,
        Err(err) => {
            // Not worth failing the API for: `created` then falls back to other data.
            tracing::warn!(error = %err, "reading the installation time");
            None
        }
    }
}

fn system(config: &AppConfig, site: &SiteInfo) -> Value {
    let created = site.created();
    // The software's home page, once the workspace names one (`homepage`/`repository` in
    // Cargo.toml); OParl wants URLs there, so nothing rather than a made-up one.
    let homepage = Some(env!("CARGO_PKG_HOMEPAGE")).filter(|s| !s.is_empty());
    let repository = Some(env!("CARGO_PKG_REPOSITORY")).filter(|s| !s.is_empty());
    Obj::new(
        link(config, "/system"),
        "System",
        created,
        latest(created, site.name_changed),
        json!({
            "oparlVersion": SCHEMA,
            "body": link(config, "/bodies"),
            "name": format!("Dorfplatz – {}", site.name),
            "website": config.link("/"),
            "vendor": homepage.or(repository),
            "product": repository.or(homepage),
            "web": config.link("/"),
        }),
        &[],
    )
    .json
}

async fn body(
    config: &AppConfig,
    db: &DatabaseConnection,
    site: &SiteInfo,
) -> Result<Obj, ApiError> {
    let data = Data::load(db, config, Scope::Boards).await?;
    let terms: Vec<Value> = data
        .boards
        .keys()
        .filter_map(|id| data.legislative_term(*id))
        .filter(|o| o.json.get("deleted").is_none())
        .map(|o| o.json)
        .collect();
    let list = |name: &str| link(config, &format!("/body/1/{name}"));
    let created = site.created();
    Ok(Obj::new(
        link(config, "/body/1"),
        "Body",
        created,
        latest(
            created,
            [site.name_changed, site.boards_changed]
                .into_iter()
                .flatten(),
        ),
        embedding(
            json!({
                "system": link(config, "/system"),
                "name": site.name,
                "website": config.link("/"),
                "classification": "Gemeinde",
                "organization": list(Kind::Organization.list()),
                "person": list(Kind::Person.list()),
                "meeting": list(Kind::Meeting.list()),
                "paper": list(Kind::Paper.list()),
                "legislativeTermList": list(Kind::LegislativeTerm.list()),
                "agendaItem": list(Kind::AgendaItem.list()),
                "consultation": list(Kind::Consultation.list()),
                "file": list(Kind::File.list()),
                "locationList": list(Kind::Location.list()),
                "membership": list(Kind::Membership.list()),
                "web": config.link("/"),
            }),
            [("legislativeTerm", Value::from(terms))],
        ),
        &["legislativeTerm"],
    ))
}

// ---------------------------------------------------------------------------------------
// Loading

/// How much a request needs.
enum Scope {
    /// Boards, members and their accounts: organizations, people, memberships, terms.
    Boards,
    /// Boards and these sessions with their agendas (no members: see `Data::load`).
    Meetings(Vec<i64>),
    AllMeetings,
}

/// The sessions an object request needs, found with one or two small queries.
async fn scope_of(db: &DatabaseConnection, kind: Kind, key: Key) -> Result<Scope, ApiError> {
    let meeting_of_item = |id: i64| async move {
        Ok::<_, ApiError>(
            agenda_item::Entity::find_by_id(id)
                .one(db)
                .await?
                .map(|i| i.meeting_id)
                .into_iter()
                .collect::<Vec<i64>>(),
        )
    };
    Ok(match (kind, key) {
        (Kind::Meeting | Kind::Location, Key::Id(id)) | (Kind::File, Key::Minutes(id)) => {
            Scope::Meetings(vec![id])
        }
        (Kind::AgendaItem | Kind::Consultation, Key::Id(id)) => {
            Scope::Meetings(meeting_of_item(id).await?)
        }
        (Kind::File, Key::Id(id)) => match agenda_file::Entity::find_by_id(id).one(db).await? {
            Some(f) => Scope::Meetings(meeting_of_item(f.item_id).await?),
            None => Scope::Meetings(Vec::new()),
        },
        (Kind::Paper, Key::Proposal(id) | Key::Petition(id)) => {
            let column = if matches!(key, Key::Proposal(_)) {
                agenda_item::Column::ProposalId
            } else {
                agenda_item::Column::PetitionId
            };
            let ids: BTreeSet<i64> = agenda_item::Entity::find()
                .filter(column.eq(id))
                .all(db)
                .await?
                .into_iter()
                .map(|i| i.meeting_id)
                .collect();
            Scope::Meetings(ids.into_iter().collect())
        }
        _ => Scope::Boards,
    })
}

/// Rows by id, in pieces that stay below the databases' parameter limits.
async fn by_ids<E, C>(
    db: &C,
    column: E::Column,
    ids: &BTreeSet<i64>,
) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let ids: Vec<i64> = ids.iter().copied().collect();
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        out.extend(
            E::find()
                .filter(column.is_in(chunk.to_vec()))
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

/// The audit entries with one of `actions`; with `sessions`, only those about these sessions.
async fn history(
    db: &DatabaseConnection,
    actions: &[&str],
    sessions: Option<&BTreeSet<i64>>,
) -> Result<Vec<audit_log::Model>, DbErr> {
    let query = || {
        audit_log::Entity::find().filter(audit_log::Column::Action.is_in(actions.iter().copied()))
    };
    let Some(ids) = sessions else {
        return query().all(db).await;
    };
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        out.extend(
            query()
                .filter(audit_log::Column::TargetType.eq("session"))
                .filter(audit_log::Column::TargetId.is_in(chunk.to_vec()))
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

/// The id an audit entry's details name under `key` (`{"member": 12}`).
fn detail_id(entry: &audit_log::Model, key: &str) -> Option<i64> {
    serde_json::from_str::<Value>(&entry.details)
        .ok()?
        .get(key)?
        .as_i64()
}

// Privacy: the text of what is closed is dropped as soon as it is read, so that no object
// built later can carry it, whichever path it takes. Ids, links and timestamps stay.

fn redact_meeting(m: &mut meeting::Model) {
    m.title.clear();
    m.address.clear();
    m.room.clear();
    m.online_url = None;
    m.cancel_reason = None;
    m.minutes = None;
    m.minutes_html = None;
}

fn redact_item(i: &mut agenda_item::Model) {
    i.title.clear();
    i.description.clear();
    i.notes.clear();
    i.recommendation.clear();
    i.votes_yes = None;
    i.votes_no = None;
    i.votes_abstain = None;
    i.majority = None;
    i.result = None;
}

fn redact_file(f: &mut agenda_file::Model) {
    f.filename.clear();
    f.content_type.clear();
    f.sha256.clear();
    f.size = 0;
}

/// The rows one request needs. What is closed is read, but without its text (see
/// `load_meetings`), and each object passes its visibility below before it is built.
struct Data {
    base: String,
    site: String,
    today: NaiveDate,
    boards: BTreeMap<i64, board::Model>,
    members: BTreeMap<i64, board_member::Model>,
    users: HashMap<i64, user::Model>,
    /// The loaded sessions, closed ones without their text.
    meetings: BTreeMap<i64, meeting::Model>,
    /// All agenda items of the loaded sessions (deleted ones too, for their tombstones;
    /// closed ones without their text).
    items: BTreeMap<i64, agenda_item::Model>,
    /// The agenda number ("2.1") and position (1, 2, …) of every current item.
    numbers: HashMap<i64, (String, i64)>,
    files: BTreeMap<i64, agenda_file::Model>,
    files_of: HashMap<i64, Vec<i64>>,
    items_of: HashMap<i64, Vec<i64>>,
    proposals: HashMap<i64, proposal::Model>,
    petitions: HashMap<i64, petition::Model>,
    /// The open items that deal with each paper.
    papers: BTreeMap<Key, Vec<i64>>,
    /// Memberships whose member decided on being named at some point (audit trail): only
    /// these can have been public while unnamed now.
    consent_recorded: HashSet<i64>,
    /// Sessions and items edited after their creation (audit trail): only these can have
    /// been public while closed now.
    edited_sessions: HashSet<i64>,
    edited_items: HashSet<i64>,
}

impl Data {
    async fn load(
        db: &DatabaseConnection,
        config: &AppConfig,
        scope: Scope,
    ) -> Result<Data, ApiError> {
        let boards: BTreeMap<i64, board::Model> = board::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|b| (b.id, b))
            .collect();
        // Members and their accounts only where people are answered: no session, item,
        // file or paper names a member (three queries fewer for every session page).
        let members: BTreeMap<i64, board_member::Model> = match scope {
            Scope::Boards => board_member::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|m| (m.id, m))
                .collect(),
            Scope::Meetings(_) | Scope::AllMeetings => BTreeMap::new(),
        };
        let user_ids: BTreeSet<i64> = members.values().map(|m| m.user_id).collect();
        let users: HashMap<i64, user::Model> =
            by_ids::<user::Entity, _>(db, user::Column::Id, &user_ids)
                .await?
                .into_iter()
                .map(|u| (u.id, u))
                .collect();
        let consent_recorded = if members.values().any(|m| !m.public_name) {
            history(db, &CONSENT_ACTIONS, None)
                .await?
                .iter()
                .filter(|e| e.target_type == "board")
                .filter_map(|e| detail_id(e, "member"))
                .collect()
        } else {
            HashSet::new()
        };
        let mut data = Data {
            base: link(config, ""),
            site: config.link(""),
            today: today(),
            boards,
            members,
            users,
            meetings: BTreeMap::new(),
            items: BTreeMap::new(),
            numbers: HashMap::new(),
            files: BTreeMap::new(),
            files_of: HashMap::new(),
            items_of: HashMap::new(),
            proposals: HashMap::new(),
            petitions: HashMap::new(),
            papers: BTreeMap::new(),
            consent_recorded,
            edited_sessions: HashSet::new(),
            edited_items: HashSet::new(),
        };
        match scope {
            Scope::Boards => {}
            Scope::Meetings(ids) => data.load_meetings(db, Some(ids)).await?,
            Scope::AllMeetings => data.load_meetings(db, None).await?,
        }
        Ok(data)
    }

    /// Loads sessions (`only`, or all) with their items, files and papers; what is closed
    /// loses its text right here.
    async fn load_meetings(
        &mut self,
        db: &DatabaseConnection,
        only: Option<Vec<i64>>,
    ) -> Result<(), ApiError> {
        // Closed sessions are read too: one that was public answers as a tombstone, and the
        // items of a public one count for its `modified` whether they are public or not.
        let mut query = meeting::Entity::find();
        if let Some(ids) = &only {
            if ids.is_empty() {
                return Ok(());
            }
            query = query.filter(meeting::Column::Id.is_in(ids.clone()));
        }
        self.meetings = query
            .all(db)
            .await?
            .into_iter()
            .map(|mut m| {
                if !m.public {
                    redact_meeting(&mut m);
                }
                (m.id, m)
            })
            .collect();
        let meeting_ids: BTreeSet<i64> = self.meetings.keys().copied().collect();
        let items = match only {
            Some(_) => {
                by_ids::<agenda_item::Entity, _>(db, agenda_item::Column::MeetingId, &meeting_ids)
                    .await?
            }
            None => agenda_item::Entity::find().all(db).await?,
        };
        let mut slots: HashMap<i64, Vec<Slot>> = HashMap::new();
        for i in items.iter().filter(|i| i.deleted_at.is_none()) {
            slots.entry(i.meeting_id).or_default().push(Slot {
                id: i.id,
                parent: i.parent_id,
                position: i.position,
            });
        }
        // Numbered over every current item, closed ones included, so the numbers are those
        // of the session page and the invitation.
        for slots in slots.values() {
            for (order, (id, number)) in domain::number(slots).into_iter().enumerate() {
                self.numbers.insert(id, (number, order as i64 + 1));
            }
        }
        let open_sessions: BTreeSet<i64> = self
            .meetings
            .values()
            .filter(|m| m.public)
            .map(|m| m.id)
            .collect();
        self.items = items
            .into_iter()
            .filter(|i| meeting_ids.contains(&i.meeting_id))
            .map(|mut i| {
                if !(i.public && open_sessions.contains(&i.meeting_id)) {
                    redact_item(&mut i);
                }
                (i.id, i)
            })
            .collect();
        for i in self.items.values() {
            self.items_of.entry(i.meeting_id).or_default().push(i.id);
        }
        self.load_files(db, only.is_some()).await?;
        self.load_papers(db).await?;
        self.load_history(db, only.is_some().then_some(&meeting_ids))
            .await?;
        Ok(())
    }

    /// The files of the items loaded (`selected`: of these only, else all).
    async fn load_files(
        &mut self,
        db: &DatabaseConnection,
        selected: bool,
    ) -> Result<(), ApiError> {
        let item_ids: BTreeSet<i64> = self.items.keys().copied().collect();
        let files = match selected {
            true => {
                by_ids::<agenda_file::Entity, _>(db, agenda_file::Column::ItemId, &item_ids).await?
            }
            false => agenda_file::Entity::find().all(db).await?,
        };
        self.files = files
            .into_iter()
            .filter_map(|mut f| {
                let open = self.items.get(&f.item_id).map(|i| self.open(i))?;
                if !open {
                    redact_file(&mut f);
                }
                Some((f.id, f))
            })
            .collect();
        for f in self.files.values() {
            self.files_of.entry(f.item_id).or_default().push(f.id);
        }
        Ok(())
    }

    /// The proposals and petitions the items are about, and the papers they make.
    async fn load_papers(&mut self, db: &DatabaseConnection) -> Result<(), ApiError> {
        // The papers of closed items too: their consultations may answer as tombstones.
        let proposal_ids: BTreeSet<i64> =
            self.items.values().filter_map(|i| i.proposal_id).collect();
        let petition_ids: BTreeSet<i64> =
            self.items.values().filter_map(|i| i.petition_id).collect();
        self.proposals = by_ids::<proposal::Entity, _>(db, proposal::Column::Id, &proposal_ids)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        self.petitions = by_ids::<petition::Entity, _>(db, petition::Column::Id, &petition_ids)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        // A paper exists to OParl through the open items only (see the header).
        let mut papers: BTreeMap<Key, Vec<i64>> = BTreeMap::new();
        for i in self.items.values().filter(|i| self.open(i)) {
            if let Some(key) = self.paper_of(i) {
                papers.entry(key).or_default().push(i.id);
            }
        }
        self.papers = papers;
        Ok(())
    }

    /// The history of the sessions and items loaded (`about`: of these only, else all).
    async fn load_history(
        &mut self,
        db: &DatabaseConnection,
        about: Option<&BTreeSet<i64>>,
    ) -> Result<(), ApiError> {
        // Which closed rows may have been public before: only their history tells.
        let anything_closed =
            self.meetings.values().any(|m| !m.public) || self.items.values().any(|i| !i.public);
        if anything_closed {
            for e in history(db, &[SESSION_EDITED, ITEM_EDITED], about).await? {
                if e.target_type != "session" {
                    continue;
                }
                if e.action == SESSION_EDITED {
                    if let Some(id) = e.target_id.as_deref().and_then(|t| t.parse().ok()) {
                        self.edited_sessions.insert(id);
                    }
                } else if let Some(id) = detail_id(&e, "item") {
                    self.edited_items.insert(id);
                }
            }
        }
        Ok(())
    }

    /// Whether the public may read an item: it is public, and so is its session.
    fn open(&self, i: &agenda_item::Model) -> bool {
        i.public && self.meetings.get(&i.meeting_id).is_some_and(|m| m.public)
    }

    fn url(&self, kind: Kind, key: Key) -> String {
        format!("{}/{}/{}", self.base, kind.segment(), key.segment())
    }

    fn page(&self, path: &str) -> String {
        format!("{}{path}", self.site)
    }

    fn body_url(&self) -> String {
        format!("{}/body/1", self.base)
    }

    // --- visibility: `None` = never shown (404, in no list)

    fn board_vis(&self, id: i64) -> Option<Vis> {
        self.boards.get(&id).map(|b| Vis::of(b.deleted_at))
    }

    fn membership_vis(&self, m: &board_member::Model) -> Option<Vis> {
        let b = self.boards.get(&m.board_id)?;
        let u = self.users.get(&m.user_id)?;
        let mut gone = first_of(first_of(m.deleted_at, b.deleted_at), u.deleted_at);
        if !m.public_name {
            // Privacy: a member who never agreed to be named is no membership to the public.
            // One who withdrew their consent may have been named: the tombstone tells clients
            // to drop the name.
            if !self.consent_recorded.contains(&m.id) {
                return None;
            }
            gone = first_of(gone, Some(m.updated_at));
        }
        Some(Vis::of(gone))
    }

    fn named_memberships_of(&self, user_id: i64) -> Vec<(&board_member::Model, Vis)> {
        self.members
            .values()
            .filter(|m| m.user_id == user_id)
            .filter_map(|m| self.membership_vis(m).map(|v| (m, v)))
            .collect()
    }

    /// A person exists to the public through a membership they agreed to be named in (now
    /// or before). When all of these are gone or withdrawn the person answers as deleted: the
    /// id was public already, and the tombstone tells clients to drop the name.
    fn person_vis(&self, user_id: i64) -> Option<Vis> {
        let u = self.users.get(&user_id)?;
        let named = self.named_memberships_of(user_id);
        if named.is_empty() {
            return None;
        }
        if let Some(at) = u.deleted_at {
            return Some(Vis::Deleted(at));
        }
        if named.iter().any(|(_, v)| *v == Vis::Live) {
            return Some(Vis::Live);
        }
        named
            .iter()
            .filter_map(|(_, v)| v.deleted())
            .max()
            .map(Vis::Deleted)
    }

    fn meeting_vis(&self, id: i64) -> Option<Vis> {
        let m = self.meetings.get(&id)?;
        let b = self.boards.get(&m.board_id)?;
        let mut gone = first_of(m.deleted_at, b.deleted_at);
        if !m.public {
            // Privacy: a session closed from the start never shows; one closed later is gone
            // for the public, with everything of it.
            if !self.edited_sessions.contains(&id) {
                return None;
            }
            gone = first_of(gone, Some(m.updated_at));
        }
        Some(Vis::of(gone))
    }

    fn item_vis(&self, id: i64) -> Option<Vis> {
        let i = self.items.get(&id)?;
        let m = self.meeting_vis(i.meeting_id)?;
        let mut gone = first_of(i.deleted_at, m.deleted());
        if !i.public {
            // Likewise for an item: closed by an edit of its own, or of the main point it is
            // a sub-point of (sub-points are one level deep and close with their main point).
            let edited = |id: Option<i64>| id.is_some_and(|id| self.edited_items.contains(&id));
            if !edited(Some(i.id)) && !edited(i.parent_id) {
                return None;
            }
            gone = first_of(gone, Some(i.updated_at));
        }
        Some(Vis::of(gone))
    }

    fn file_vis(&self, id: i64) -> Option<Vis> {
        let f = self.files.get(&id)?;
        let i = self.item_vis(f.item_id)?;
        Some(Vis::of(first_of(f.deleted_at, i.deleted())))
    }

    fn minutes_vis(&self, meeting_id: i64) -> Option<Vis> {
        let m = self.meetings.get(&meeting_id)?;
        if MeetingStatus::parse(&m.status) != Some(MeetingStatus::Published) {
            return None;
        }
        self.meeting_vis(meeting_id)
    }

    /// The paper an item deals with: a proposal, or else a published petition (as the
    /// session page links it).
    fn paper_of(&self, i: &agenda_item::Model) -> Option<Key> {
        if let Some(id) = i.proposal_id
            && self.proposals.contains_key(&id)
        {
            return Some(Key::Proposal(id));
        }
        if let Some(id) = i.petition_id
            && self.petitions.get(&id).is_some_and(visible_to_public)
        {
            return Some(Key::Petition(id));
        }
        None
    }

    /// A proposal hidden by moderation is withdrawn from the public: deleted, to OParl.
    fn paper_withdrawn(&self, key: Key) -> Option<Stamp> {
        match key {
            Key::Proposal(id) => self.proposals.get(&id).and_then(|p| p.hidden_at),
            _ => None,
        }
    }

    fn consultation_vis(&self, item_id: i64) -> Option<Vis> {
        let item = self.item_vis(item_id)?;
        let paper = self.paper_of(self.items.get(&item_id)?)?;
        Some(Vis::of(first_of(
            item.deleted(),
            self.paper_withdrawn(paper),
        )))
    }

    /// A paper exists to OParl through the open items that deal with it (`papers`).
    fn paper_vis(&self, key: Key) -> Option<Vis> {
        let consultations: Vec<Vis> = self
            .papers
            .get(&key)?
            .iter()
            .filter_map(|id| self.consultation_vis(*id))
            .collect();
        if consultations.is_empty() {
            return None;
        }
        if let Some(at) = self.paper_withdrawn(key) {
            return Some(Vis::Deleted(at));
        }
        if consultations.contains(&Vis::Live) {
            return Some(Vis::Live);
        }
        consultations
            .iter()
            .filter_map(|v| v.deleted())
            .max()
            .map(Vis::Deleted)
    }

    // --- lists

    fn keys(&self, kind: Kind) -> Vec<Key> {
        let ids = |ids: Vec<i64>| ids.into_iter().map(Key::Id).collect::<Vec<Key>>();
        match kind {
            Kind::Organization | Kind::LegislativeTerm => {
                ids(self.boards.keys().copied().collect())
            }
            Kind::Person => {
                let users: BTreeSet<i64> = self.members.values().map(|m| m.user_id).collect();
                ids(users.into_iter().collect())
            }
            Kind::Membership => ids(self.members.keys().copied().collect()),
            Kind::Meeting | Kind::Location => ids(self.meetings.keys().copied().collect()),
            Kind::AgendaItem | Kind::Consultation => ids(self.items.keys().copied().collect()),
            Kind::Paper => self.papers.keys().copied().collect(),
            Kind::File => self
                .files
                .keys()
                .map(|id| Key::Id(*id))
                .chain(self.meetings.keys().map(|id| Key::Minutes(*id)))
                .collect(),
        }
    }

    /// The object, its tombstone, or `None` where the public may not see it.
    fn build(&self, kind: Kind, key: Key) -> Option<Obj> {
        match (kind, key) {
            (Kind::Organization, Key::Id(id)) => self.organization(id),
            (Kind::Person, Key::Id(id)) => self.person(id),
            (Kind::Membership, Key::Id(id)) => self.membership(id),
            (Kind::LegislativeTerm, Key::Id(id)) => self.legislative_term(id),
            (Kind::Meeting, Key::Id(id)) => self.meeting(id),
            (Kind::AgendaItem, Key::Id(id)) => self.agenda_item(id),
            (Kind::Paper, Key::Proposal(_) | Key::Petition(_)) => self.paper(key),
            (Kind::Consultation, Key::Id(id)) => self.consultation(id),
            (Kind::File, Key::Id(id)) => self.file(id),
            (Kind::File, Key::Minutes(id)) => self.minutes(id),
            (Kind::Location, Key::Id(id)) => self.location(id),
            _ => None,
        }
    }

    // --- objects

    fn organization(&self, id: i64) -> Option<Obj> {
        let b = self.boards.get(&id)?;
        let url = self.url(Kind::Organization, Key::Id(id));
        if let Vis::Deleted(at) = self.board_vis(id)? {
            return Some(Obj::tombstone(url, "Organization", b.created_at, at));
        }
        let members: Vec<&board_member::Model> =
            self.members.values().filter(|m| m.board_id == id).collect();
        // Counts include members who are not named, as the board's page shows them.
        let current: Vec<&&board_member::Model> = members
            .iter()
            .filter(|m| serves_on(m, self.today))
            .collect();
        let voting = current.iter().filter(|m| role_of(m).votes()).count();
        let memberships: Vec<String> = members
            .iter()
            .filter(|m| self.membership_vis(m) == Some(Vis::Live))
            .map(|m| self.url(Kind::Membership, Key::Id(m.id)))
            .collect();
        // The membership URLs are part of the object: any change to them counts.
        let modified = latest(
            b.updated_at,
            members
                .iter()
                .flat_map(|m| [Some(m.updated_at), m.deleted_at])
                .flatten(),
        );
        Some(Obj::new(
            url,
            "Organization",
            b.created_at,
            modified,
            embedding(
                json!({
                    "body": self.body_url(),
                    "name": b.name,
                    "organizationType": "Gremium",
                    "classification": "Beirat",
                    "meeting": format!("{}/organization/{id}/meetings", self.base),
                    "memberCount": current.len(),
                    "votingMemberCount": voting,
                    "website": self.page(&format!("/boards/{id}")),
                    "web": self.page(&format!("/boards/{id}")),
                }),
                [("membership", Value::from(memberships))],
            ),
            &[],
        ))
    }

    fn legislative_term(&self, board_id: i64) -> Option<Obj> {
        let b = self.boards.get(&board_id)?;
        let start = b.term_start?;
        let url = self.url(Kind::LegislativeTerm, Key::Id(board_id));
        if let Vis::Deleted(at) = self.board_vis(board_id)? {
            return Some(Obj::tombstone(url, "LegislativeTerm", b.created_at, at));
        }
        Some(Obj::new(
            url,
            "LegislativeTerm",
            b.created_at,
            b.updated_at,
            json!({
                "body": self.body_url(),
                "name": format!("Amtsperiode {}", b.name),
                "startDate": date(start),
                "endDate": b.term_end.map(date),
                "web": self.page(&format!("/boards/{board_id}")),
            }),
            &[],
        ))
    }

    fn membership(&self, id: i64) -> Option<Obj> {
        let m = self.members.get(&id)?;
        let url = self.url(Kind::Membership, Key::Id(id));
        if let Vis::Deleted(at) = self.membership_vis(m)? {
            return Some(Obj::tombstone(url, "Membership", m.created_at, at));
        }
        let role = role_of(m);
        Some(Obj::new(
            url,
            "Membership",
            m.created_at,
            m.updated_at,
            json!({
                "person": self.url(Kind::Person, Key::Id(m.user_id)),
                "organization": self.url(Kind::Organization, Key::Id(m.board_id)),
                "role": role.label(),
                "votingRight": role.votes(),
                "startDate": date(m.term_from),
                "endDate": m.term_to.map(date),
                "web": self.page(&format!("/boards/{}", m.board_id)),
            }),
            &[],
        ))
    }

    fn person(&self, user_id: i64) -> Option<Obj> {
        let u = self.users.get(&user_id)?;
        let url = self.url(Kind::Person, Key::Id(user_id));
        if let Vis::Deleted(at) = self.person_vis(user_id)? {
            return Some(Obj::tombstone(url, "Person", u.created_at, at));
        }
        let named = self.named_memberships_of(user_id);
        let memberships: Vec<Value> = named
            .iter()
            .filter(|(_, v)| *v == Vis::Live)
            .filter_map(|(m, _)| self.membership(m.id))
            .map(|o| o.json)
            .collect();
        // Any of the person's memberships counts: a withdrawn consent changes what is shown.
        let modified = latest(
            u.updated_at,
            self.members
                .values()
                .filter(|m| m.user_id == user_id)
                .flat_map(|m| [Some(m.updated_at), m.deleted_at])
                .flatten(),
        );
        // Privacy: the display name only — no e-mail address, no other account data.
        Some(Obj::new(
            url,
            "Person",
            u.created_at,
            modified,
            embedding(
                json!({
                    "body": self.body_url(),
                    "name": u.public_name(),
                }),
                [("membership", Value::from(memberships))],
            ),
            &[],
        ))
    }

    /// When an item or one of its files last changed (or was deleted).
    fn item_touched(&self, i: &agenda_item::Model) -> Stamp {
        let files = self
            .files_of
            .get(&i.id)
            .into_iter()
            .flatten()
            .filter_map(|id| self.files.get(id))
            .flat_map(|f| [Some(f.updated_at), f.deleted_at]);
        latest(
            i.updated_at,
            [i.deleted_at].into_iter().chain(files).flatten(),
        )
    }

    fn meeting(&self, id: i64) -> Option<Obj> {
        let m = self.meetings.get(&id)?;
        let url = self.url(Kind::Meeting, Key::Id(id));
        if let Vis::Deleted(at) = self.meeting_vis(id)? {
            return Some(Obj::tombstone(url, "Meeting", m.created_at, at));
        }
        let item_ids = self.items_of.get(&id).cloned().unwrap_or_default();
        let mut current: Vec<(i64, i64)> = item_ids
            .iter()
            .filter(|i| self.item_vis(**i) == Some(Vis::Live))
            .filter_map(|i| self.numbers.get(i).map(|(_, order)| (*order, *i)))
            .collect();
        current.sort();
        let items: Vec<Value> = current
            .iter()
            .filter_map(|(_, i)| self.agenda_item(*i))
            .map(|o| o.json)
            .collect();
        // Embedded items and their files count, deleted ones too, and so do closed ones: an
        // item that closes leaves the meeting, which clients then have to fetch anew.
        let modified = latest(
            latest(m.updated_at, m.minutes_published_at),
            item_ids
                .iter()
                .filter_map(|i| self.items.get(i))
                .map(|i| self.item_touched(i)),
        );
        let status = MeetingStatus::parse(&m.status).unwrap_or(MeetingStatus::Planned);
        Some(Obj::new(
            url,
            "Meeting",
            m.created_at,
            modified,
            embedding(
                json!({
                    "name": m.title,
                    "meetingState": status.oparl_state(),
                    "cancelled": status == MeetingStatus::Cancelled,
                    "start": date_time(m.starts_at),
                    "end": date_time(m.ends_at),
                    "organization": [self.url(Kind::Organization, Key::Id(m.board_id))],
                    "web": self.page(&format!("/sessions/{id}")),
                }),
                [
                    ("location", Value::from(self.location(id).map(|o| o.json))),
                    (
                        "resultsProtocol",
                        Value::from(self.minutes(id).map(|o| o.json)),
                    ),
                    ("agendaItem", Value::from(items)),
                ],
            ),
            &[],
        ))
    }

    fn location(&self, meeting_id: i64) -> Option<Obj> {
        let m = self.meetings.get(&meeting_id)?;
        let url = self.url(Kind::Location, Key::Id(meeting_id));
        if let Vis::Deleted(at) = self.meeting_vis(meeting_id)? {
            return Some(Obj::tombstone(url, "Location", m.created_at, at));
        }
        let address = m.address.trim();
        let room = m.room.trim();
        let mut place: Vec<&str> = [address, room]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        // The link of an online session is not published here: the session page decides
        // who sees it.
        if m.online_url.is_some() {
            place.push("online");
        }
        let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        Some(Obj::new(
            url,
            "Location",
            m.created_at,
            m.updated_at,
            json!({
                "description": non_empty(&place.join(", ")),
                "streetAddress": non_empty(address),
                "room": non_empty(room),
                "meetings": [self.url(Kind::Meeting, Key::Id(meeting_id))],
                "web": self.page(&format!("/sessions/{meeting_id}")),
            }),
            &[],
        ))
    }

    fn minutes(&self, meeting_id: i64) -> Option<Obj> {
        let m = self.meetings.get(&meeting_id)?;
        let url = self.url(Kind::File, Key::Minutes(meeting_id));
        let published = m.minutes_published_at.unwrap_or(m.updated_at);
        if let Vis::Deleted(at) = self.minutes_vis(meeting_id)? {
            return Some(Obj::tombstone(url, "File", published, at));
        }
        let pdf = self.page(&format!("/sessions/{meeting_id}/minutes.pdf"));
        Some(Obj::new(
            url,
            "File",
            published,
            published,
            json!({
                "name": format!("Protokoll: {}", m.title),
                "fileName": format!("protokoll-sitzung-{meeting_id}.pdf"),
                "mimeType": "application/pdf",
                "date": date(berlin(published).date()),
                "accessUrl": pdf,
                "downloadUrl": pdf,
                "meeting": [self.url(Kind::Meeting, Key::Id(meeting_id))],
                "web": self.page(&format!("/sessions/{meeting_id}")),
            }),
            &[],
        ))
    }

    fn agenda_item(&self, id: i64) -> Option<Obj> {
        let i = self.items.get(&id)?;
        let url = self.url(Kind::AgendaItem, Key::Id(id));
        if let Vis::Deleted(at) = self.item_vis(id)? {
            return Some(Obj::tombstone(url, "AgendaItem", i.created_at, at));
        }
        let (number, order) = self.numbers.get(&id).cloned()?;
        let files: Vec<Value> = self
            .files_of
            .get(&id)
            .into_iter()
            .flatten()
            .filter(|f| self.file_vis(**f) == Some(Vis::Live))
            .filter_map(|f| self.file(*f))
            .map(|o| o.json)
            .collect();
        let votes = match (i.votes_yes, i.votes_no, i.votes_abstain) {
            (Some(yes), Some(no), Some(abstain)) => {
                let mut v = json!({"yes": yes, "no": no, "abstain": abstain});
                if let (Some(rule), Value::Object(map)) = (&i.majority, &mut v) {
                    map.insert("majority".into(), rule.as_str().into());
                }
                Some(v)
            }
            _ => None,
        };
        let consultation = self
            .consultation_vis(id)
            .filter(|v| *v == Vis::Live)
            .map(|_| self.url(Kind::Consultation, Key::Id(id)));
        let recommendation = i.recommendation.trim();
        Some(Obj::new(
            url,
            "AgendaItem",
            i.created_at,
            self.item_touched(i),
            embedding(
                json!({
                    "meeting": self.url(Kind::Meeting, Key::Id(i.meeting_id)),
                    "number": number,
                    "order": order,
                    "name": i.title,
                    "public": true,
                    "consultation": consultation,
                    "result": i.result.as_deref().and_then(ItemResult::parse).map(ItemResult::label),
                    "resolutionText": (!recommendation.is_empty()).then_some(recommendation),
                    "web": self.page(&format!("/sessions/{}", i.meeting_id)),
                }),
                [
                    ("auxiliaryFile", Value::from(files)),
                    ("dorfplatz:votes", Value::from(votes)),
                ],
            ),
            &[],
        ))
    }

    fn file(&self, id: i64) -> Option<Obj> {
        let f = self.files.get(&id)?;
        let url = self.url(Kind::File, Key::Id(id));
        if let Vis::Deleted(at) = self.file_vis(id)? {
            return Some(Obj::tombstone(url, "File", f.created_at, at));
        }
        Some(Obj::new(
            url,
            "File",
            f.created_at,
            f.updated_at,
            json!({
                "name": f.filename,
                "fileName": f.filename,
                "mimeType": f.content_type,
                "size": f.size,
                "date": date(berlin(f.created_at).date()),
                "accessUrl": self.page(&format!("/files/{id}")),
                "downloadUrl": self.page(&format!("/files/{id}?download=1")),
                "agendaItem": [self.url(Kind::AgendaItem, Key::Id(f.item_id))],
            }),
            &[],
        ))
    }

    fn consultation(&self, item_id: i64) -> Option<Obj> {
        let i = self.items.get(&item_id)?;
        let url = self.url(Kind::Consultation, Key::Id(item_id));
        if let Vis::Deleted(at) = self.consultation_vis(item_id)? {
            return Some(Obj::tombstone(url, "Consultation", i.created_at, at));
        }
        let paper = self.paper_of(i)?;
        Some(Obj::new(
            url,
            "Consultation",
            i.created_at,
            self.item_touched(i),
            json!({
                "paper": self.url(Kind::Paper, paper),
                "agendaItem": self.url(Kind::AgendaItem, Key::Id(item_id)),
                "meeting": self.url(Kind::Meeting, Key::Id(i.meeting_id)),
                "organization": self
                    .meetings
                    .get(&i.meeting_id)
                    .map(|m| vec![self.url(Kind::Organization, Key::Id(m.board_id))]),
                // The boards advise; the council decides.
                "authoritative": false,
                "role": "Empfehlung",
                "web": self.page(&format!("/sessions/{}", i.meeting_id)),
            }),
            &[],
        ))
    }

    fn paper(&self, key: Key) -> Option<Obj> {
        let vis = self.paper_vis(key)?;
        let (created, changed, name, paper_type, day, web) = match key {
            Key::Proposal(id) => {
                let p = self.proposals.get(&id)?;
                (
                    p.created_at,
                    p.updated_at,
                    p.title.clone(),
                    "Einwohnervorschlag",
                    berlin(p.created_at).date(),
                    format!("/proposals/{id}"),
                )
            }
            Key::Petition(id) => {
                let p = self.petitions.get(&id)?;
                (
                    p.created_at,
                    p.updated_at,
                    p.title.clone(),
                    "Bürgerbegehren",
                    berlin(p.published_at.unwrap_or(p.created_at)).date(),
                    format!("/petitions/{}", p.slug),
                )
            }
            _ => return None,
        };
        let url = self.url(Kind::Paper, key);
        if let Vis::Deleted(at) = vis {
            return Some(Obj::tombstone(url, "Paper", created, at));
        }
        let item_ids = self.papers.get(&key).cloned().unwrap_or_default();
        let consultations: Vec<Obj> = item_ids
            .iter()
            .filter(|i| self.consultation_vis(**i) == Some(Vis::Live))
            .filter_map(|i| self.consultation(*i))
            .collect();
        // The embedded consultations count, and so do removed ones.
        let modified = latest(
            changed,
            item_ids
                .iter()
                .filter_map(|i| self.items.get(i))
                .map(|i| self.item_touched(i)),
        );
        Some(Obj::new(
            url,
            "Paper",
            created,
            modified,
            embedding(
                json!({
                    "body": self.body_url(),
                    "name": name,
                    "paperType": paper_type,
                    "date": date(day),
                    "web": self.page(&web),
                }),
                [(
                    "consultation",
                    Value::from(
                        consultations
                            .into_iter()
                            .map(|o| o.json)
                            .collect::<Vec<_>>(),
                    ),
                )],
            ),
            &[],
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_urls_have_one_spelling() {
        assert_eq!(parse_id("12"), Some(12));
        for bad in ["012", "+12", "-1", "0", "1.0", "", "x"] {
            assert_eq!(parse_id(bad), None, "{bad}");
        }
        assert_eq!(
            Key::parse(Kind::Paper, "proposal-3"),
            Some(Key::Proposal(3))
        );
        assert_eq!(
            Key::parse(Kind::Paper, "petition-4"),
            Some(Key::Petition(4))
        );
        assert_eq!(Key::parse(Kind::Paper, "3"), None);
        assert_eq!(Key::parse(Kind::File, "minutes-5"), Some(Key::Minutes(5)));
        assert_eq!(Key::parse(Kind::File, "5"), Some(Key::Id(5)));
        assert_eq!(Key::parse(Kind::Meeting, "minutes-5"), None);
    }

    #[test]
    fn filters_are_rfc3339_and_travel_with_the_pages() {
        let q = ListQuery::parse(
            Some("modified_since=2026-12-03T19%3A00%3A00%2B01%3A00&after=7&elementsPerPage=5"),
            Some(Kind::Meeting),
        )
        .unwrap();
        assert_eq!(q.after, Some(Key::Id(7)));
        assert_eq!(
            q.page_url("https://x/oparl/v1.1/body/1/meetings", Some(Key::Id(107))),
            "https://x/oparl/v1.1/body/1/meetings?modified_since=2026-12-03T19%3A00%3A00%2B01%3A00&after=107"
        );
        assert_eq!(
            q.page_url("https://x/l", None),
            "https://x/l?modified_since=2026-12-03T19%3A00%3A00%2B01%3A00"
        );
        let files = ListQuery::parse(Some("after=minutes-4"), Some(Kind::File)).unwrap();
        assert_eq!(files.after, Some(Key::Minutes(4)));
        let first = ListQuery::parse(Some("page=1"), Some(Kind::Meeting)).unwrap();
        assert_eq!(first.after, None);
        // An unencoded `+` arrives as a space.
        let q = ListQuery::parse(Some("created_until=2026-12-03T19:00:00+01:00"), None).unwrap();
        assert_eq!(
            q.created_until.map(|t| t.to_rfc3339()),
            Some("2026-12-03T19:00:00+01:00".into())
        );
        for (bad, kind) in [
            ("modified_since=gestern", None),
            ("created_since=2026-12-03", None),
            ("after=0", Some(Kind::Meeting)),
            ("after=x", Some(Kind::Meeting)),
            ("after=minutes-4", Some(Kind::Meeting)),
            ("after=3", Some(Kind::Paper)),
            // Numbered pages after the first are refused with the reason, not answered
            // with the first page.
            ("page=2", Some(Kind::Meeting)),
            ("page=0", Some(Kind::Meeting)),
        ] {
            assert!(
                matches!(
                    ListQuery::parse(Some(bad), kind),
                    Err(ApiError::BadRequest(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn pages_follow_the_last_key_of_the_page_before() {
        let at = Utc::now();
        let objects = |n: i64| {
            (1..=n)
                .map(|i| {
                    let o = Obj::new(format!("https://x/o/{i}"), "File", at, at, json!({}), &[]);
                    (Key::Id(i), o)
                })
                .collect::<Vec<_>>()
        };
        let (first, newest) = ListQuery::default().page(objects(250), "https://x/l");
        assert_eq!(newest, Some(stamp(at)));
        assert_eq!(first["data"].as_array().map(Vec::len), Some(100));
        assert_eq!(first["data"][0]["id"], "https://x/o/1");
        assert_eq!(first["links"]["next"], "https://x/l?after=100");
        assert_eq!(first["links"]["self"], "https://x/l");
        assert_eq!(first["pagination"]["elementsPerPage"], 100);
        let q = ListQuery::parse(Some("after=200"), Some(Kind::File)).unwrap();
        let (last, _) = q.page(objects(250), "https://x/l");
        assert_eq!(last["data"].as_array().map(Vec::len), Some(50));
        assert_eq!(last["data"][0]["id"], "https://x/o/201");
        assert!(last["links"].get("next").is_none());
        assert_eq!(last["links"]["first"], "https://x/l");
        // A list of exactly one page has no next page.
        let (full, _) = ListQuery::default().page(objects(100), "https://x/l");
        assert!(full["links"].get("next").is_none());
        let (empty, newest) = ListQuery::default().page(Vec::new(), "https://x/l");
        assert_eq!(newest, None);
        assert_eq!(empty["data"], json!([]));
        assert!(empty["links"].get("next").is_none());
    }

    #[test]
    fn objects_leave_out_nulls_and_empty_lists() {
        let at = DateTime::parse_from_rfc3339("2026-12-03T18:00:00.700Z")
            .unwrap()
            .with_timezone(&Utc);
        let o = Obj::new(
            "https://x/a".into(),
            "Body",
            at,
            at,
            json!({"a": null, "b": [], "legislativeTerm": [], "c": "x"}),
            &["legislativeTerm"],
        );
        assert!(o.json.get("a").is_none());
        assert!(o.json.get("b").is_none());
        assert_eq!(o.json["legislativeTerm"], json!([]));
        assert_eq!(o.json["created"], "2026-12-03T19:00:00+01:00");
        assert_eq!(o.json["type"], "https://schema.oparl.org/1.1/Body");
    }
}
