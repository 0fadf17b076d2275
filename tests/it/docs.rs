//! The documents say what the code does: the lists of rules in `docs/budget.md` and
//! `docs/shanghai.md` are their editions', and every link in the README and the documents
//! resolves inside the repository.
//! After a change to the rules, `UPDATE_DOCS=1 cargo test --test it docs::` rewrites the list.

use crate::common::root;
use std::path::{Path, PathBuf};
use yusuan::edition::Edition;

const BEGIN: &str = "<!-- rules:begin -->";
const END: &str = "<!-- rules:end -->";

/// The rules of a built-in edition as a Markdown table.
fn rules_table(edition: &str) -> String {
    let edition = Edition::named(edition).expect("a built-in edition");
    let mut out = String::from("| id | severity | tables | rule |\n|---|---|---|---|\n");
    for r in yusuan::check::catalog(&edition) {
        let tables: Vec<String> = r.tables.iter().map(|t| format!("表{t}")).collect();
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            r.id,
            r.severity.word(),
            tables.join("、"),
            r.description.replace('|', "\\|")
        ));
    }
    out
}

#[test]
fn the_rules_documents_are_the_editions_rules() {
    for (document, edition) in [
        ("docs/budget.md", "sichuan-2023"),
        ("docs/shanghai.md", "shanghai-2026"),
    ] {
        let path = root().join(document);
        let text = std::fs::read_to_string(&path).unwrap();
        let start = text.find(BEGIN).expect("begin marker") + BEGIN.len();
        let end = text.find(END).expect("end marker");
        let listed = text[start..end].trim();
        let wanted = rules_table(edition);
        if std::env::var_os("UPDATE_DOCS").is_some() {
            let updated = format!("{}\n{}{}", &text[..start], wanted, &text[end..]);
            std::fs::write(&path, updated).unwrap();
            continue;
        }
        assert_eq!(
            listed,
            wanted.trim(),
            "{document} lists other rules than {edition}: run UPDATE_DOCS=1 cargo test --test it docs::"
        );
    }
}

/// The Markdown files of the repository that people read.
fn documents() -> Vec<PathBuf> {
    let mut docs = vec![root().join("README.md"), root().join("samples/README.md")];
    for dir in ["docs", "tests/fixtures/hostile"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "md") {
                docs.push(p);
            }
        }
    }
    docs
}

/// The targets of the Markdown links of a text: `[text](target)`.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("](") {
        rest = &rest[i + 2..];
        if let Some(end) = rest.find(')') {
            out.push(rest[..end].to_owned());
        }
    }
    out
}

#[test]
fn every_link_resolves_inside_the_repository() {
    let mut broken = Vec::new();
    for doc in documents() {
        let text = std::fs::read_to_string(&doc).unwrap();
        for target in links(&text) {
            let path = target.split('#').next().unwrap_or("");
            if path.is_empty() {
                continue; // an anchor in the same page
            }
            assert!(
                !path.contains("://"),
                "{}: a link leaves the repository: {target}",
                doc.display()
            );
            let resolved = doc.parent().unwrap_or(Path::new(".")).join(path);
            if !resolved.exists() {
                broken.push(format!("{} → {target}", doc.display()));
            }
        }
        // A document of docs/ named in the text (not as a link) must exist too.
        for (at, _) in text.match_indices("docs/") {
            let name: String = text[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "/-_.".contains(*c))
                .collect();
            let name = name.trim_end_matches('.');
            if name.ends_with(".md") && !root().join(name).exists() {
                broken.push(format!("{} names {name}", doc.display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}
