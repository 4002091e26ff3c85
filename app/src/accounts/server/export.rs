//! "Meine Daten" (Art. 15 and 20 DSGVO): everything stored about an account, as JSON to
//! take elsewhere and as a readable HTML page, both from the same collected value.
//!
//! Online signatures confirmed with the account's address are listed with their petition,
//! dates and whether they are confirmed, withdrawn or pending — not with the register check's
//! result or the names and addresses given: an email address proves who reads the mail, not
//! who is named on the signature, and the register check's result is register data about
//! that named person (staff answer such requests after checking identity).

use std::collections::HashMap;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Map, Value, json};

use crate::error::AppError;
use crate::infra::audit::{self, Entry};
use crate::infra::auth::{CurrentSession, SessionUser};
use crate::infra::db::begin_write;
use crate::infra::entities::{
    board, board_member, comment, comment_like, comment_version, content_report, follow, petition,
    proposal, proposal_support, proposal_version, session, signature, user, user_role,
};
use crate::infra::responses::error;
use crate::infra::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account/data.json", get(data_json))
        .route("/account/data.html", get(data_html))
        .route_layer(axum::middleware::from_fn(
            crate::infra::http::same_site_only,
        ))
}

/// How an online signature stands, as far as its signer may learn from the account.
fn signature_state(status: &str) -> &'static str {
    use crate::infra::entities::signature::status;
    match status {
        status::PENDING_CONFIRMATION => "noch nicht bestätigt",
        status::WITHDRAWN => "zurückgezogen",
        _ => "bestätigt",
    }
}

/// Collects everything stored about the account.
pub async fn collect(db: &DatabaseConnection, user_id: i64) -> Result<Value, AppError> {
    let account = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let roles = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let sessions = session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .order_by_desc(session::Column::LastSeenAt)
        .all(db)
        .await?;
    let proposals = proposal::Entity::find()
        .filter(proposal::Column::AuthorId.eq(user_id))
        .order_by_asc(proposal::Column::Id)
        .all(db)
        .await?;
    let proposal_ids: Vec<i64> = proposals.iter().map(|p| p.id).collect();
    let proposal_versions = proposal_version::Entity::find()
        .filter(proposal_version::Column::ProposalId.is_in(proposal_ids))
        .order_by_asc(proposal_version::Column::Id)
        .all(db)
        .await?;
    let comments = comment::Entity::find()
        .filter(comment::Column::AuthorId.eq(user_id))
        .order_by_asc(comment::Column::Id)
        .all(db)
        .await?;
    let comment_ids: Vec<i64> = comments.iter().map(|c| c.id).collect();
    let comment_versions = comment_version::Entity::find()
        .filter(comment_version::Column::CommentId.is_in(comment_ids))
        .order_by_asc(comment_version::Column::Id)
        .all(db)
        .await?;
    let supports = proposal_support::Entity::find()
        .filter(proposal_support::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let likes = comment_like::Entity::find()
        .filter(comment_like::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let follows = follow::Entity::find()
        .filter(follow::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let reports = content_report::Entity::find()
        .filter(content_report::Column::ReporterId.eq(user_id))
        .all(db)
        .await?;
    let memberships = board_member::Entity::find()
        .filter(board_member::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let boards: HashMap<i64, String> = board::Entity::find()
        .filter(board::Column::Id.is_in(memberships.iter().map(|m| m.board_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    let signatures = match &account.email {
        Some(email) => {
            signature::Entity::find()
                .filter(signature::Column::Email.eq(email.as_str()))
                .filter(signature::Column::Channel.eq(signature::channel::ONLINE))
                .order_by_asc(signature::Column::Id)
                .all(db)
                .await?
        }
        None => Vec::new(),
    };
    let petitions: HashMap<i64, (String, String)> = petition::Entity::find()
        .filter(petition::Column::Id.is_in(signatures.iter().map(|s| s.petition_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, (p.title, p.slug)))
        .collect();

    let versions_of_proposal = |id: i64| -> Vec<Value> {
        proposal_versions
            .iter()
            .filter(|v| v.proposal_id == id)
            .map(|v| json!({ "title": v.title, "body": v.body, "replaced_at": v.replaced_at }))
            .collect()
    };
    let versions_of_comment = |id: i64| -> Vec<Value> {
        comment_versions
            .iter()
            .filter(|v| v.comment_id == id)
            .map(|v| json!({ "body": v.body, "replaced_at": v.replaced_at }))
            .collect()
    };
    Ok(json!({
        "account": {
            "id": account.id,
            "email": account.email,
            "display_name": account.display_name,
            "email_confirmed_at": account.email_confirmed_at,
            "created_at": account.created_at,
            "updated_at": account.updated_at,
            "blocked_at": account.blocked_at,
            "two_factor_enabled_at": account.totp_enabled_at,
            "last_notified_at": account.notified_at,
        },
        "roles": roles.iter().map(|r| json!({ "role": r.role, "granted_at": r.granted_at })).collect::<Vec<_>>(),
        "sessions": sessions.iter().map(|s| json!({
            "created_at": s.created_at,
            "last_seen_at": s.last_seen_at,
            "expires_at": s.expires_at,
            "browser": s.user_agent,
            "network": s.network,
        })).collect::<Vec<_>>(),
        "proposals": proposals.iter().map(|p| json!({
            "id": p.id,
            "title": p.title,
            "body": p.body,
            "status": p.status,
            "created_at": p.created_at,
            "updated_at": p.updated_at,
            "hidden_reason": p.hidden_reason,
            "earlier_versions": versions_of_proposal(p.id),
        })).collect::<Vec<_>>(),
        "comments": comments.iter().map(|c| json!({
            "id": c.id,
            "on": format!("{}/{}", c.subject_type, c.subject_id),
            "body": c.body,
            "created_at": c.created_at,
            "edited_at": c.edited_at,
            "deleted_at": c.deleted_at,
            "hidden_reason": c.hidden_reason,
            "earlier_versions": versions_of_comment(c.id),
        })).collect::<Vec<_>>(),
        "supports": supports.iter().map(|s| json!({
            "proposal_id": s.proposal_id,
            "email_about_answers": s.notify,
            "created_at": s.created_at,
        })).collect::<Vec<_>>(),
        "likes": likes.iter().map(|l| json!({ "comment_id": l.comment_id, "created_at": l.created_at })).collect::<Vec<_>>(),
        "follows": follows.iter().map(|f| json!({
            "subject": format!("{}/{}", f.subject_type, f.subject_id),
            "created_at": f.created_at,
        })).collect::<Vec<_>>(),
        "reports_made": reports.iter().map(|r| json!({
            "target": format!("{}/{}", r.target_type, r.target_id),
            "reason": r.reason,
            "created_at": r.created_at,
            "resolved_at": r.resolved_at,
        })).collect::<Vec<_>>(),
        "board_memberships": memberships.iter().map(|m| json!({
            "board": boards.get(&m.board_id),
            "role": m.role,
            "term_from": m.term_from,
            "term_to": m.term_to,
            "name_shown_publicly": m.public_name,
            "removed_at": m.deleted_at,
        })).collect::<Vec<_>>(),
        "petition_signatures": signatures.iter().map(|s| json!({
            "petition": petitions.get(&s.petition_id).map(|p| p.0.clone()),
            "address": petitions.get(&s.petition_id).map(|p| format!("/petitions/{}", p.1)),
            "signed_at": s.created_at,
            "confirmed_at": s.confirmed_at,
            "withdrawn_at": s.withdrawn_at,
            "state": signature_state(&s.status),
        })).collect::<Vec<_>>(),
    }))
}

async fn log_export(
    db: &DatabaseConnection,
    user: &SessionUser,
    format: &str,
) -> Result<(), AppError> {
    let tx = begin_write(db).await?;
    audit::append(
        &tx,
        Entry {
            actor_id: Some(user.id),
            action: "account.data_exported",
            target_type: "user",
            target_id: Some(user.id.to_string()),
            details: json!({ "format": format }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn download(content_type: &'static str, name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

/// `GET /account/data.json`
async fn data_json(
    State(state): State<AppState>,
    axum::Extension(session): axum::Extension<CurrentSession>,
) -> Response {
    let Some(user) = session.0 else {
        return error(AppError::Unauthenticated);
    };
    let result = async {
        let data = collect(&state.db, user.id).await?;
        log_export(&state.db, &user, "json").await?;
        serde_json::to_string_pretty(&data).map_err(|_| AppError::Internal)
    }
    .await;
    match result {
        Ok(body) => download("application/json", "meine-daten.json", body),
        Err(e) => error(e),
    }
}

/// `GET /account/data.html`
async fn data_html(
    State(state): State<AppState>,
    axum::Extension(session): axum::Extension<CurrentSession>,
) -> Response {
    let Some(user) = session.0 else {
        return error(AppError::Unauthenticated);
    };
    let result = async {
        let data = collect(&state.db, user.id).await?;
        let municipality = crate::site::server::municipality_name(&state.db).await?;
        log_export(&state.db, &user, "html").await?;
        Ok::<_, AppError>(readable(&municipality, &data))
    }
    .await;
    match result {
        Ok(body) => download("text/html; charset=utf-8", "meine-daten.html", body),
        Err(e) => error(e),
    }
}

/// German headings for the JSON's keys.
fn label(key: &str) -> &str {
    match key {
        "account" => "Konto",
        "id" => "Nummer",
        "email" => "E-Mail-Adresse",
        "display_name" => "Anzeigename",
        "email_confirmed_at" => "E-Mail-Adresse bestätigt am",
        "created_at" => "angelegt am",
        "updated_at" => "zuletzt geändert am",
        "blocked_at" => "gesperrt seit",
        "two_factor_enabled_at" => "Zwei-Faktor-Anmeldung seit",
        "last_notified_at" => "letzte Benachrichtigung am",
        "roles" => "Rollen",
        "role" => "Rolle",
        "granted_at" => "erteilt am",
        "sessions" => "Anmeldungen",
        "last_seen_at" => "zuletzt aktiv am",
        "expires_at" => "läuft ab am",
        "browser" => "Browser",
        "network" => "Netz (gekürzte Adresse)",
        "proposals" => "Vorschläge",
        "title" => "Titel",
        "body" => "Text",
        "status" => "Stand",
        "hidden_reason" => "ausgeblendet, Grund",
        "earlier_versions" => "frühere Fassungen",
        "replaced_at" => "ersetzt am",
        "comments" => "Kommentare",
        "on" => "zu",
        "edited_at" => "bearbeitet am",
        "deleted_at" => "gelöscht am",
        "supports" => "Unterstützungen",
        "proposal_id" => "Vorschlag Nr.",
        "email_about_answers" => "E-Mail bei Antworten",
        "likes" => "„Gefällt mir“",
        "comment_id" => "Kommentar Nr.",
        "follows" => "Gefolgt",
        "subject" => "Gegenstand",
        "reports_made" => "Meldungen",
        "target" => "gemeldet",
        "reason" => "Grund",
        "resolved_at" => "erledigt am",
        "board_memberships" => "Mitgliedschaften in Gremien",
        "board" => "Gremium",
        "term_from" => "Amtszeit ab",
        "term_to" => "Amtszeit bis",
        "name_shown_publicly" => "Name öffentlich",
        "removed_at" => "ausgetragen am",
        "petition_signatures" => {
            "Unterschriften für Bürgerbegehren (online, mit dieser E-Mail-Adresse bestätigt)"
        }
        "petition" => "Bürgerbegehren",
        "address" => "Seite",
        "signed_at" => "unterschrieben am",
        "confirmed_at" => "bestätigt am",
        "withdrawn_at" => "zurückgezogen am",
        "state" => "Stand",
        other => other,
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "–".to_owned(),
        Value::Bool(true) => "ja".to_owned(),
        Value::Bool(false) => "nein".to_owned(),
        Value::String(s) => match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(at) => crate::time::german_datetime_text(at.to_utc()),
            Err(_) => s.clone(),
        },
        other => other.to_string(),
    }
}

fn fields(map: &Map<String, Value>, depth: usize, out: &mut String) {
    out.push_str("<dl>");
    for (key, value) in map {
        out.push_str(&format!("<dt>{}</dt><dd>", escape(label(key))));
        match value {
            Value::Array(items) => list(items, depth + 1, out),
            Value::Object(inner) => fields(inner, depth + 1, out),
            v => out.push_str(&escape(&scalar(v)).replace('\n', "<br>")),
        }
        out.push_str("</dd>");
    }
    out.push_str("</dl>");
}

fn list(items: &[Value], depth: usize, out: &mut String) {
    if items.is_empty() {
        out.push_str("<p>keine</p>");
        return;
    }
    out.push_str("<ol>");
    for item in items {
        out.push_str("<li>");
        match item {
            Value::Object(map) => fields(map, depth, out),
            v => out.push_str(&escape(&scalar(v))),
        }
        out.push_str("</li>");
    }
    out.push_str("</ol>");
}

/// A self-contained page (no scripts, no external files) that reads and prints well.
pub fn readable(municipality: &str, data: &Value) -> String {
    let mut out = String::from(
        "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>Meine Daten – Dorfplatz</title><style>\
body{font-family:sans-serif;line-height:1.5;color:#1a1a1a;max-width:50rem;margin:1rem auto;padding:0 1rem}\
dt{font-weight:600}dd{margin:0 0 .5rem 1rem}h2{border-bottom:1px solid #999;margin-top:2rem}\
</style></head><body>",
    );
    out.push_str(&format!(
        "<h1>Meine Daten</h1><p>Alles, was die Beteiligungsplattform Dorfplatz der {} über Ihr Konto gespeichert hat (Art. 15 DSGVO), Stand {}. Dieselben Daten gibt es maschinenlesbar als JSON (Art. 20 DSGVO).</p>\
<p>Unterschriften für Bürgerbegehren stehen hier mit Bürgerbegehren, Datum und Stand. Die Angaben auf der Unterschrift und das Ergebnis der Prüfung gegen das Melderegister nennt Ihnen die Verwaltung auf Anfrage, nachdem sie Ihre Identität geprüft hat: Eine E-Mail-Adresse zeigt nicht, wer unterschrieben hat.</p>",
        escape(municipality),
        crate::time::german_datetime_text(chrono::Utc::now())
    ));
    if let Value::Object(sections) = data {
        for (key, value) in sections {
            out.push_str(&format!("<section><h2>{}</h2>", escape(label(key))));
            match value {
                Value::Array(items) => list(items, 0, &mut out),
                Value::Object(map) => fields(map, 0, &mut out),
                v => out.push_str(&escape(&scalar(v))),
            }
            out.push_str("</section>");
        }
    }
    out.push_str("</body></html>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readable_page_escapes_what_people_wrote_and_names_fields_in_german() {
        let data = json!({
            "account": { "display_name": "<script>alert(1)</script>", "created_at": "2026-12-06T10:00:00Z" },
            "comments": [],
            "supports": [{ "proposal_id": 3, "email_about_answers": true }],
        });
        let html = readable("Gemeinde Kalletal", &data);
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("<dt>Anzeigename</dt>"));
        assert!(html.contains("06.12.2026, 11:00 Uhr"), "{html}");
        assert!(html.contains("<h2>Kommentare</h2><p>keine</p>"));
        assert!(html.contains("<dt>E-Mail bei Antworten</dt><dd>ja</dd>"));
    }

    #[test]
    fn a_signer_learns_only_whether_a_signature_is_confirmed() {
        for (stored, shown) in [
            ("pending_confirmation", "noch nicht bestätigt"),
            ("withdrawn", "zurückgezogen"),
            ("unchecked", "bestätigt"),
            ("duplicate", "bestätigt"),
            ("valid", "bestätigt"),
            ("not_found", "bestätigt"),
        ] {
            assert_eq!(signature_state(stored), shown, "{stored}");
        }
    }
}
