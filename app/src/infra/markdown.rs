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
