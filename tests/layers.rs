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

/// The top-level modules a source file's code refers to — `crate::x`, `crate::{x, y::…}`, and
/// `super::…` climbing out to the crate root (`depth`: the file's module depth below the root,
/// 1 for `src/convert.rs` and `src/read/mod.rs`, 2 for `src/read/rows.rs`). Comments are left
/// out; test modules are read too.
fn uses(source: &str, depth: usize) -> Vec<String> {
    let code: String = source
        .lines()
        .map(|line| line.split("//").next().unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n");
    let name_at = |text: &str| -> String {
        text.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        // `self::crate::` does not exist; `$crate::` is a macro's (none here).
        let rest = &code[at + 7..];
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a, b::c, d::{e, f}}`: the first segment of each top-level path.
            let mut level = 0;
            let mut item_start = true;
            for (i, ch) in group.char_indices() {
                match ch {
                    '{' => level += 1,
                    '}' if level == 0 => break,
                    '}' => level -= 1,
                    ',' if level == 0 => item_start = true,
                    c if item_start && !c.is_whitespace() => {
                        out.push(name_at(&group[i..]));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            out.push(name_at(rest));
        }
    }
    // `super::super::x` from a file `depth` levels below the root, inside `inline` modules of
    // the file (`mod tests { … }`), reaches the root's `x` when it climbs them all.
    let inline = inline_modules(&code);
    let mut from = 0;
    while let Some(found) = code[from..].find("super::") {
        let at = from + found;
        let mut tail = &code[at..];
        let mut ups = 0;
        while let Some(t) = tail.strip_prefix("super::") {
            ups += 1;
            tail = t;
        }
        let nested = inline
            .iter()
            .filter(|(a, b)| (*a..*b).contains(&at))
            .count();
        if ups >= depth + nested {
            out.push(name_at(tail));
        }
        from = code.len() - tail.len();
    }
    out.retain(|n| !n.is_empty());
    out
}

/// The spans (byte ranges) of the inline modules of a file's code: `mod name { … }`.
fn inline_modules(code: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    for (at, _) in code.match_indices("mod ") {
        let after = &code[at + 4..];
        let name_len = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .map(char::len_utf8)
            .sum::<usize>();
        let rest = after[name_len..].trim_start();
        if name_len == 0 || !rest.starts_with('{') {
            continue;
        }
        let open = code.len() - rest.len();
        let mut level = 0;
        for (i, ch) in code[open..].char_indices() {
            match ch {
                '{' => level += 1,
                '}' => {
                    level -= 1;
                    if level == 0 {
                        spans.push((open, open + i));
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    spans
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
        // `src/x.rs` and `src/x/mod.rs` are module `x` (depth 1); `src/x/y.rs` is `x::y` (2).
        let parts = relative.components().count();
        let depth = if relative.ends_with("mod.rs") {
            parts - 1
        } else {
            parts
        };
        for used in uses(&source, depth) {
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

#[test]
fn every_way_of_naming_a_module_is_read() {
    let source = "use crate::{check, read::{rows, tables}};\n\
                  // crate::batch in a comment\n\
                  fn f() { super::model::x(); }\n\
                  #[cfg(test)]\nmod tests {\n    use super::super::convert;\n    use super::f;\n}\n";
    // A file one level below the root (`src/x.rs`): `super::model` is the root's `model`;
    // inside its `mod tests`, `super::super::convert` is the root's `convert`.
    assert_eq!(uses(source, 1), ["check", "read", "model", "convert"]);
    // Two levels below (`src/x/y.rs`): `super::model` is `x::model`, not the root's.
    assert_eq!(uses(source, 2), ["check", "read"]);
}
