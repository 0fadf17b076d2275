//! Golden test: the written sample workbook, dumped as text (sheet order, every cell's value or
//! formula with its cached result, merges, number formats), must equal the committed dump, so
//! any change of the official layout is deliberate and reviewed.
//!
//! After an intended change: `UPDATE_GOLDEN=1 cargo test --test it golden::`, then review the diff.

use crate::common::*;

/// Asserts `got` equals the text of `golden` (written there first under `UPDATE_GOLDEN`),
/// naming the first line that differs.
fn same_as_golden(got: &str, golden: &std::path::Path, regenerate: &str) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(golden, got).unwrap();
    }
    let want =
        std::fs::read_to_string(golden).expect("golden dump exists (UPDATE_GOLDEN=1 writes it)");
    if got != want {
        let first = got.lines().zip(want.lines()).position(|(a, b)| a != b);
        panic!(
            "written workbook differs from {} at line {:?} ({regenerate}):\n got: {:?}\nwant: {:?}",
            golden.display(),
            first.map(|i| i + 1),
            first.and_then(|i| got.lines().nth(i)),
            first.and_then(|i| want.lines().nth(i)),
        );
    }
}

#[test]
fn sample_workbook_matches_the_golden_dump() {
    let dir = tempfile::tempdir().unwrap();
    convert(&[&sample()], dir.path(), 0);
    let got = dump(&dir.path().join(format!("{SAMPLE_STEM}.xlsx")));
    let golden = root().join("tests/golden/313603-workbook.txt");
    same_as_golden(&got, &golden, "UPDATE_GOLDEN=1");
}

/// The Shanghai sample's official workbook, under `--edition shanghai-2026`.
#[test]
fn shanghai_workbook_matches_the_golden_dump() {
    let dir = tempfile::tempdir().unwrap();
    let out = yusuan([
        "--edition".as_ref(),
        "shanghai-2026".as_ref(),
        "convert".as_ref(),
        shanghai_sample().as_os_str(),
        "-o".as_ref(),
        dir.path().as_os_str(),
    ]);
    exits(&out, 0);
    let got = dump(&dir.path().join("上海市普陀区社会福利院-2024.xlsx"));
    let golden = root().join("tests/golden/shanghai-fuliyuan-workbook.txt");
    same_as_golden(&got, &golden, "UPDATE_GOLDEN=1");
}

/// Each built-in edition's blank template equals the one committed under templates/.
#[test]
fn blank_templates_match_the_committed_ones() {
    for (edition, committed) in [
        ("sichuan-2023", "templates/sichuan-2023-单位预算.xlsx"),
        ("shanghai-2026", "templates/shanghai-2026-单位预算.xlsx"),
        (
            "shanghai-2026-department",
            "templates/shanghai-2026-department-部门预算.xlsx",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.xlsx");
        let out = yusuan([
            "--edition".as_ref(),
            edition.as_ref(),
            "template".as_ref(),
            "-o".as_ref(),
            path.as_os_str(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let committed = root().join(committed);
        // Replaced only when its content changed (the file's bytes hold the time it was made).
        if std::env::var_os("UPDATE_GOLDEN").is_some()
            && (!committed.exists() || dump(&path) != dump(&committed))
        {
            std::fs::copy(&path, &committed).unwrap();
        }
        let (got, want) = (dump(&path), dump(&committed));
        if got != want {
            let first = got.lines().zip(want.lines()).position(|(a, b)| a != b);
            panic!(
                "{edition}: the blank template differs from {} at line {:?} (regenerate with \
                 yusuan --edition {edition} template -o {0}, or UPDATE_GOLDEN=1): got {:?}",
                committed.display(),
                first.map(|i| i + 1),
                first.and_then(|i| got.lines().nth(i)),
            );
        }
    }
}
