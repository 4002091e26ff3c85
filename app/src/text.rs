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

#[cfg(test)]
mod tests {
    use super::first_words;

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
