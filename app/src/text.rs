//! Small text helpers shared by features.

/// The first whole words of `text` up to about `max` characters, whitespace collapsed, with
/// " …" when something was left out (teasers, email excerpts).
pub fn first_words(text: &str, max: usize) -> String {
    let mut out = String::new();
    for w in text.split_whitespace() {
        if out.chars().count() + w.chars().count() > max {
            out.push_str(" …");
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Percent-encodes a query value (everything but unreserved characters).
pub fn url_encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{first_words, url_encode};

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            url_encode("/petitions/mvz?x=1&y=ä"),
            "%2Fpetitions%2Fmvz%3Fx%3D1%26y%3D%C3%A4"
        );
        assert_eq!(url_encode("a-b_c.d~"), "a-b_c.d~");
    }

    #[test]
    fn teasers_end_at_a_whole_word() {
        assert_eq!(first_words("  Ein   kurzer\nText ", 80), "Ein kurzer Text");
        assert_eq!(
            first_words("Die Hausärzte gehen in Rente", 16),
            "Die Hausärzte …"
        );
        assert_eq!(first_words("", 10), "");
    }
}
