//! The library's layers point one way, and no two files import each other.
//!
//! base (the leaves) → edition → model → read → worker → check → render, narrative → write →
//! convert → batch, merge: one folder per layer's module (`src/base/`, `src/render/`, …). (The binary, `main.rs` and `cli/`, sits on top and uses the public
//! API only.) The import graph is read with `syn` (`layers/graph.rs`): every path of every
//! file, test modules and macro arguments included, resolved through `use` bindings and
//! re-exports to the file that defines what it names (a re-export, `pub use`, is a module's
//! face, not a use of the file it names). Test modules may use any file of their
//! layer or below (a child's tests may exercise its parent's API); production code of two
//! files never imports each other.

mod graph;

use graph::{Graph, cycles};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each top-level module of `src/` and its layer.
const LAYERS: &[(&str, u8)] = &[
    ("base", 0),
    ("edition", 1),
    ("model", 2),
    ("read", 3),
    ("worker", 4),
    ("check", 5),
    ("narrative", 6),
    ("render", 6),
    ("write", 7),
    ("convert", 8),
    ("batch", 9),
    ("merge", 9),
    ("serve", 10),
];

/// The binary's files: `main.rs` and `cli/`, a crate of their own.
fn is_binary(relative: &Path) -> bool {
    relative == Path::new("main.rs") || relative.starts_with("cli")
}

/// Every `.rs` file below `dir`, relative to it, with its text.
fn sources(dir: &Path) -> BTreeMap<PathBuf, String> {
    fn visit(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                visit(root, &p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                out.insert(p.strip_prefix(root).unwrap().to_path_buf(), text);
            }
        }
    }
    let mut out = BTreeMap::new();
    visit(dir, dir, &mut out);
    out
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The layer of a file of the library: that of its top-level module.
fn layer_of(relative: &Path) -> Option<u8> {
    let top = relative.components().next()?.as_os_str().to_string_lossy();
    let top = top.trim_end_matches(".rs");
    LAYERS.iter().find(|(m, _)| *m == top).map(|(_, l)| *l)
}

/// The imports of a library (files relative to `src/`) that point to a higher layer.
fn upward(files: &BTreeMap<PathBuf, String>) -> Vec<String> {
    let graph = Graph::read(files);
    let mut found = Vec::new();
    for (from, to) in graph.edges(true) {
        if from == Path::new("lib.rs") {
            continue;
        }
        let mine = layer_of(&from).unwrap_or_else(|| panic!("{} has no layer", from.display()));
        let theirs = layer_of(&to).unwrap_or_else(|| panic!("{} has no layer", to.display()));
        if theirs > mine {
            found.push(format!("{} → {}", from.display(), to.display()));
        }
    }
    found
}

fn show(groups: &[Vec<PathBuf>]) -> String {
    groups
        .iter()
        .map(|g| {
            g.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" ⇄ ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn no_module_imports_one_above_it() {
    let (binary, library): (BTreeMap<_, _>, BTreeMap<_, _>) =
        sources(&src()).into_iter().partition(|(p, _)| is_binary(p));
    assert!(!binary.is_empty());
    let up = upward(&library);
    assert!(up.is_empty(), "imports pointing up:\n{}", up.join("\n"));
}

#[test]
fn no_two_files_import_each_other() {
    let (binary, library): (BTreeMap<_, _>, BTreeMap<_, _>) =
        sources(&src()).into_iter().partition(|(p, _)| is_binary(p));
    for files in [library, binary] {
        let graph = Graph::read(&files);
        let groups = cycles(&graph.edges(false));
        // Each group with the imports between its files, and the path that makes each.
        let mut text = show(&groups);
        for group in &groups {
            for ((a, b), path) in graph.reasons(false) {
                if group.contains(&a) && group.contains(&b) {
                    text.push_str(&format!("\n  {} → {} ({path})", a.display(), b.display()));
                }
            }
        }
        assert!(groups.is_empty(), "files importing each other:\n{text}");
    }
}

#[test]
fn no_source_file_is_over_450_lines() {
    let long: Vec<String> = sources(&src())
        .iter()
        .filter_map(|(f, text)| {
            let n = text.lines().count();
            (n > 450).then(|| format!("{}: {n} lines", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "{long:?}");
}

/// A source tree from `(file, text)` pairs.
fn tree(files: &[(&str, &str)]) -> BTreeMap<PathBuf, String> {
    files
        .iter()
        .map(|(p, t)| (PathBuf::from(p), (*t).to_owned()))
        .collect()
}

#[test]
fn an_import_up_is_found_however_it_is_written() {
    let base = [
        ("lib.rs", "pub mod check; pub mod convert; pub mod read;"),
        ("convert.rs", "pub fn process() {}"),
        ("read/mod.rs", "pub mod rows; pub use rows::Row;"),
        ("read/rows.rs", "pub struct Row;"),
    ];
    let with = |file: &'static str, text: &'static str| {
        let mut files = tree(&base);
        files.insert(file.into(), text.into());
        files
    };
    let cases = [
        // A grouped import.
        ("check/mod.rs", "use crate::{read::Row, convert::{self}};"),
        // In a test module, after `#[cfg(test)]`.
        (
            "check/mod.rs",
            "pub fn f() {}\n#[cfg(test)]\nmod tests {\n    use crate::convert::process;\n}",
        ),
        // Climbing out with `super::` from an inline module of a nested file.
        (
            "check/within.rs",
            "#[cfg(test)] mod tests { fn t() { super::super::super::convert::process(); } }",
        ),
        // A path written in code, not a `use`.
        ("check/mod.rs", "fn f() { crate::convert::process(); }"),
        // Inside a macro's arguments.
        (
            "check/mod.rs",
            "fn f() { assert_eq!(crate::convert::process(), ()); }",
        ),
        // Through a binding of a module.
        (
            "check/mod.rs",
            "use crate::convert as c; fn f() { c::process(); }",
        ),
    ];
    for (file, text) in cases {
        let mut files = with(file, text);
        if file == "check/within.rs" {
            files.insert("check/mod.rs".into(), "mod within;".into());
        }
        let up = upward(&files);
        assert!(
            up.iter().any(|u| u.ends_with("→ convert.rs")),
            "not found in {file}: {text}\n{up:?}"
        );
    }
    // Downward imports are fine, and a name re-exported lands on the file defining it.
    let files = with("check/mod.rs", "use crate::read::Row; fn f(_: Row) {}");
    assert!(upward(&files).is_empty());
    let edges = Graph::read(&files).edges(false);
    assert!(edges.contains(&("check/mod.rs".into(), "read/rows.rs".into())));
    // Other crates' paths are no edge at all.
    let files = with(
        "check/mod.rs",
        "use std::path::Path; fn f(_: &Path) { serde::x(); }",
    );
    assert!(
        Graph::read(&files)
            .edges(false)
            .iter()
            .all(|(a, _)| a != Path::new("check/mod.rs"))
    );
}

#[test]
fn a_cycle_between_files_is_found() {
    // mod.rs uses its child, which uses a type defined in mod.rs: a cycle of two files.
    let files = tree(&[
        ("lib.rs", "pub mod check;"),
        (
            "check/mod.rs",
            "mod cause; pub struct Finding; fn f() { cause::g(); }",
        ),
        ("check/cause.rs", "use super::Finding; pub fn g() {}"),
    ]);
    let groups = cycles(&Graph::read(&files).edges(false));
    assert_eq!(show(&groups), "check/cause.rs ⇄ check/mod.rs");
    // The type in a file of its own, re-exported by mod.rs: no cycle — the child's import
    // resolves through the re-export to the defining file.
    let files = tree(&[
        ("lib.rs", "pub mod check;"),
        (
            "check/mod.rs",
            "mod cause; mod finding; pub use finding::Finding; fn f() { cause::g(); }",
        ),
        ("check/finding.rs", "pub struct Finding;"),
        ("check/cause.rs", "use super::Finding; pub fn g() {}"),
    ]);
    assert!(cycles(&Graph::read(&files).edges(false)).is_empty());
    // Three files around.
    let files = tree(&[
        ("lib.rs", "mod a; mod b; mod c;"),
        ("a.rs", "pub fn f() { crate::b::g(); }"),
        ("b.rs", "pub fn g() { crate::c::h(); }"),
        ("c.rs", "pub fn h() { crate::a::f(); }"),
    ]);
    assert_eq!(
        show(&cycles(&Graph::read(&files).edges(false))),
        "a.rs ⇄ b.rs ⇄ c.rs"
    );
}
