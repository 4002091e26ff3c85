//! The layout rule of `app/src`: no module imports another that imports it back, directly
//! or through others. A module may use the folders it lives in (its ancestors: a child sees
//! its parent's scope, that is how Rust nests modules); every other path between files
//! (`crate::…`, `super::…`, in `use` lines and in code) is an edge, and the edges must not
//! form a circle. Comments are not read.

// A test: a file that cannot be read should fail it loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `src`, by module path (`["boards", "server", "meetings"]`).
fn modules(src: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(src, &mut files);
    files
        .into_iter()
        .map(|file| {
            let relative = file.strip_prefix(src).unwrap().with_extension("");
            let mut parts: Vec<String> = relative
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
                parts.pop();
            }
            (parts, file)
        })
        .collect()
}

/// The source without comments (line comments and block comments; string literals that
/// contain `//`, such as URLs, lose the rest of their line, which holds no paths worth
/// following).
fn code_of(source: &str) -> String {
    let mut out = String::new();
    let mut rest = source;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out.lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Expands a use tree that starts at `text` (`a::{b, c::{d, e}}`) into its paths.
fn expand(text: &str) -> (Vec<Vec<String>>, usize) {
    let mut prefix = Vec::new();
    let mut i = 0;
    let chars: Vec<char> = text.chars().collect();
    loop {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i < chars.len() && chars[i] == '{' {
            let mut all = Vec::new();
            i += 1;
            loop {
                let rest: String = chars[i..].iter().collect();
                let (paths, used) = expand(&rest);
                i += used;
                all.extend(paths.into_iter().map(|p| [prefix.clone(), p].concat()));
                while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',') {
                    i += 1;
                }
                if i >= chars.len() || chars[i] == '}' {
                    return (all, i + 1);
                }
            }
        }
        let start = i;
        while i < chars.len() && is_ident(chars[i]) {
            i += 1;
        }
        if start == i {
            return (vec![prefix], i);
        }
        prefix.push(chars[start..i].iter().collect());
        if chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
            i += 2;
        } else {
            // `as alias`, `*`, `,` or `}` end this path.
            while i < chars.len() && !matches!(chars[i], ',' | '}' | ';') {
                i += 1;
            }
            return (vec![prefix], i);
        }
    }
}

/// Every module path the code names, made absolute from `here`.
fn paths_named(code: &str, here: &[String]) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for (anchor, base) in [("crate::", None), ("super::", Some(()))] {
        let mut from = 0;
        while let Some(at) = code[from..].find(anchor) {
            let at = from + at;
            from = at + anchor.len();
            if code[..at].chars().next_back().is_some_and(is_ident) {
                continue;
            }
            // `super::super::x` climbs once per `super`.
            let mut start = vec![];
            let mut tail = &code[at + anchor.len()..];
            if base.is_some() {
                let mut up = 1;
                while let Some(rest) = tail.strip_prefix("super::") {
                    up += 1;
                    tail = rest;
                }
                if up > here.len() {
                    continue;
                }
                start = here[..here.len() - up].to_vec();
            }
            for path in expand(tail).0 {
                found.push([start.clone(), path].concat());
            }
        }
    }
    found
}

/// The module file a path points into: its longest prefix that is a module.
fn target<'a>(path: &[String], all: &'a BTreeMap<Vec<String>, PathBuf>) -> Option<&'a Vec<String>> {
    (0..=path.len())
        .rev()
        .find_map(|n| all.get_key_value(&path[..n]).map(|(k, _)| k))
}

/// Strongly connected components with more than one module (Tarjan).
fn circles(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, usize>,
        low: BTreeMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        on_stack: BTreeSet<&'a Vec<String>>,
        found: Vec<Vec<Vec<String>>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a Vec<String>) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.edges.get(v).into_iter().flatten() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    component.push(w.clone());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    self.found.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !walk.index.contains_key(v) {
            walk.visit(v);
        }
    }
    walk.found
}

fn edges_of(src: &Path) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let all = modules(src);
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, file) in &all {
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let set = edges.entry(module.clone()).or_default();
        for path in paths_named(&code, module) {
            if let Some(to) = target(&path, &all)
                && to != module
                && !module.starts_with(to)
            {
                set.insert(to.clone());
            }
        }
    }
    edges
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let edges = edges_of(&src);
    assert!(edges.len() > 100, "the walk found the modules");
    let circles = circles(&edges);
    let shown: Vec<String> = circles
        .iter()
        .map(|c| {
            c.iter()
                .map(|m| m.join("::"))
                .collect::<Vec<_>>()
                .join(" ⇄ ")
        })
        .collect();
    assert!(circles.is_empty(), "import circles:\n{}", shown.join("\n"));
}

#[test]
fn the_check_sees_circles() {
    // Two modules that name each other, one through a use group and one in code.
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir_all(src.join("a")).unwrap();
    std::fs::write(src.join("lib.rs"), "pub mod a;\npub mod b;\n").unwrap();
    std::fs::write(
        src.join("a/mod.rs"),
        "pub mod inner;\nuse crate::{b::{self, Thing}};\n",
    )
    .unwrap();
    std::fs::write(src.join("a/inner.rs"), "use super::super::b; // crate::b\n").unwrap();
    std::fs::write(src.join("b.rs"), "fn f() { crate::a::inner::g(); }\n").unwrap();
    let edges = edges_of(src);
    let inner = vec!["a".to_owned(), "inner".to_owned()];
    let b = vec!["b".to_owned()];
    assert!(edges[&inner].contains(&b));
    let found = circles(&edges);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains(&inner) && found[0].contains(&b));
    // Without the edge back there is no circle; a child using its parent is not one.
    std::fs::write(src.join("b.rs"), "fn f() {}\n").unwrap();
    std::fs::write(src.join("a/inner.rs"), "use super::Thing;\n").unwrap();
    assert!(circles(&edges_of(src)).is_empty());
}
