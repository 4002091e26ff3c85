//! Cells of the CSV files staff open in a spreadsheet program.

/// What a person typed goes out as text: a leading `=`, `+`, `-`, `@`, tab or carriage
/// return would make a spreadsheet run it as a formula, so such a field gets an apostrophe
/// in front (the usual defence; spreadsheets hide it).
pub fn text(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn formulas_go_out_as_text() {
        for (typed, cell) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+49 5264", "'+49 5264"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tTab", "'\tTab"),
            ("Müller", "Müller"),
            ("", ""),
        ] {
            assert_eq!(text(typed), cell, "{typed}");
        }
    }
}
