//! Joins each language's translation files (`locales/<code>/*.ftl`, one file per feature,
//! so that features do not edit the same file) into one source per language and lists the
//! languages found for `i18n::server`. A new language is a new folder here plus its line in
//! `i18n::LANGUAGES`.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let locales = Path::new("locales");
    println!("cargo:rerun-if-changed=locales");
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let mut languages: Vec<_> = std::fs::read_dir(locales)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    languages.sort();
    let mut table = String::from("&[\n");
    for lang in &languages {
        let mut files: Vec<_> = std::fs::read_dir(locales.join(lang))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
            .collect();
        files.sort();
        let mut joined = String::new();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            let _ = writeln!(joined, "# {}\n{text}", file.display());
        }
        let target = Path::new(&out).join(format!("{lang}.ftl"));
        if let Err(err) = std::fs::write(&target, joined) {
            panic!("{}: {err}", target.display());
        }
        let _ = writeln!(
            table,
            "    ({lang:?}, include_str!(concat!(env!(\"OUT_DIR\"), \"/{lang}.ftl\"))),"
        );
    }
    table.push(']');
    let target = Path::new(&out).join("locales.rs");
    if let Err(err) = std::fs::write(&target, table) {
        panic!("{}: {err}", target.display());
    }
}
