//! Markdown to safe HTML: pulldown-cmark renders, ammonia removes everything that could run
//! script or load foreign content (images too: a remote image tells its server who reads),
//! and links are marked as user content. HTML typed into the Markdown is shown as the text
//! it is, not interpreted: nobody's `<b>` or `<a>` shapes the page.

use pulldown_cmark::{Event, Options, Parser, html};

pub fn to_safe_html(markdown: &str) -> String {
    let mut raw = String::new();
    html::push_html(
        &mut raw,
        Parser::new_ext(
            markdown,
            Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
        )
        .map(|event| match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            other => other,
        }),
    );
    ammonia::Builder::default()
        .rm_tags(["img"])
        .link_rel(Some("nofollow ugc noopener noreferrer"))
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .clean(&raw)
        .to_string()
}

/// The HTML stored with a text when it was saved, or (for rows saved before there was such
/// a column, until `fill_missing` ran) rendered now.
pub fn stored_or_render(stored: Option<&str>, markdown: &str) -> String {
    match stored {
        Some(html) => html.to_owned(),
        None => to_safe_html(markdown),
    }
}

/// Fills the stored HTML of proposals, comments, answers and minutes where it is missing
/// (after the migration that added the columns, or one that emptied them because the
/// renderer changed): a hundred rows per statement, so that a large site is done in
/// seconds and a second instance starting at the same time only repeats the same values.
/// Returns how many rows it filled.
pub async fn fill_missing(db: &sea_orm::DatabaseConnection) -> Result<u64, sea_orm::DbErr> {
    use sea_orm::{ConnectionTrait, Statement, Value};
    const TABLES: [(&str, &str, &str); 4] = [
        ("comments", "body", "body_html"),
        ("proposals", "body", "body_html"),
        ("proposal_status_changes", "answer", "answer_html"),
        ("meetings", "minutes", "minutes_html"),
    ];
    let backend = db.get_database_backend();
    let p = |n: usize| match backend {
        sea_orm::DbBackend::Postgres => format!("${n}"),
        _ => format!("?{n}"),
    };
    let mut filled = 0;
    for (table, source, target) in TABLES {
        loop {
            let rows = db
                .query_all_raw(Statement::from_string(
                    backend,
                    format!(
                        "SELECT id, {source} AS source FROM {table} \
                         WHERE {target} IS NULL AND {source} IS NOT NULL ORDER BY id LIMIT 100"
                    ),
                ))
                .await?;
            if rows.is_empty() {
                break;
            }
            for row in rows {
                let id: i64 = row.try_get("", "id")?;
                let text: String = row.try_get("", "source")?;
                db.execute_raw(Statement::from_sql_and_values(
                    backend,
                    format!(
                        "UPDATE {table} SET {target} = {} WHERE id = {} AND {target} IS NULL",
                        p(1),
                        p(2)
                    ),
                    [Value::from(to_safe_html(&text)), Value::from(id)],
                ))
                .await?;
                filled += 1;
            }
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_and_hostile_html_does_not_survive() {
        let html = to_safe_html(
            "# Titel\n\n**fett** [Link](https://kalletal.de)\n\n<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) <a href=\"javascript:alert(2)\">y</a>",
        );
        assert!(html.contains("<h1>Titel</h1>"));
        assert!(html.contains("<strong>fett</strong>"));
        assert!(html.contains("rel=\"nofollow ugc noopener noreferrer\""));
        assert!(!html.contains("<script"));
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<a href=\"javascript:"), "{html}");
        // Typed HTML is text: it shows, it does not act.
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("&lt;a href="), "{html}");
        assert!(!html.contains("<a href=\"javascript"), "{html}");
    }
}
