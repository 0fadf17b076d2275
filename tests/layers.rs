//! The library's layers point one way: a module uses only modules of its own layer or below.
//!
//! leaf helpers → edition → model, positions → read → worker → check → render → write →
//! convert → batch, merge. (The binary, `main.rs` and `cli/`, sits on top and uses the public
//! API only.)

use std::collections::BTreeMap;
use std::path::Path;

/// Each top-level module of `src/` and its layer.
const LAYERS: &[(&str, u8)] = &[
    ("a1", 0),
    ("amount", 0),
    ("text", 0),
    ("error", 0),
    ("file_names", 0),
    ("parallel", 0),
    ("output", 0),
    ("edition", 1),
    ("model", 2),
    ("position", 2),
    ("read", 3),
    ("worker", 4),
    ("check", 5),
    ("render", 6),
    ("shares", 6),
    ("narrative", 6),
    ("totals", 6),
    ("write", 7),
    ("convert", 8),
    ("batch", 9),
    ("merge", 9),
];

/// The `crate::x` paths used in a source file's code (comments and test modules left out).
fn uses(source: &str) -> Vec<String> {
    let code = source.split("#[cfg(test)]").next().unwrap_or(source);
    let mut out = Vec::new();
    for line in code.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        let line = line.split("//").next().unwrap_or(line);
        for (at, _) in line.match_indices("crate::") {
            let name: String = line[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out
}

fn visit(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            visit(&p, files);
        } else if p.extension().is_some_and(|x| x == "rs") {
            files.push(p);
        }
    }
}

#[test]
fn no_module_imports_one_above_it() {
    let layer: BTreeMap<&str, u8> = LAYERS.iter().copied().collect();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    visit(&src, &mut files);
    let mut backward = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let top = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        if ["main", "cli", "lib"].contains(&top.as_str()) {
            continue;
        }
        let own = *layer
            .get(top.as_str())
            .unwrap_or_else(|| panic!("module {top} has no layer in tests/layers.rs"));
        let source = std::fs::read_to_string(&file).unwrap();
        for used in uses(&source) {
            if used == top {
                continue;
            }
            let theirs = *layer
                .get(used.as_str())
                .unwrap_or_else(|| panic!("{}: crate::{used} has no layer", relative.display()));
            if theirs > own {
                backward.push(format!("{} uses crate::{used}", relative.display()));
            }
        }
    }
    assert!(
        backward.is_empty(),
        "imports pointing up:\n{}",
        backward.join("\n")
    );
}

#[test]
fn no_source_file_is_over_600_lines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    visit(&src, &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let n = std::fs::read_to_string(f).unwrap().lines().count();
            (n > 600).then(|| format!("{}: {n} lines", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "{long:?}");
}
