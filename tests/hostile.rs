//! Hostile and broken files (built by `tests/fixtures/hostile/make.py`): each gets its own clear
//! error naming the file, none crashes or aborts the process, and good files given with them
//! are still converted.

mod common;

use common::*;
use std::path::PathBuf;

/// Each fixture with a phrase its error must contain.
const CASES: [(&str, &str); 9] = [
    ("h01-cell-at-XFD1048576.xlsx", "1048576 行 × 16384 列"),
    (
        "h02-shared-strings-4e9.xlsx",
        "共享字符串表声明了 4000000000 个字符串",
    ),
    ("h03-truncated.xlsx", "文件已损坏或不完整"),
    ("h04-random-bytes.xlsx", "不是有效的工作簿"),
    ("h05-encrypted.xlsx", "工作簿已加密"),
    ("h06-empty.xlsx", "没有找到任何预算表"),
    ("h07-no-tables.xlsx", "没有找到任何预算表"),
    ("h08-bomb-300MB.xlsx", "解压后 300 MiB，超过上限"),
    ("h09-zero-bytes.xlsx", "文件为空"),
];

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/hostile").join(name)
}

#[test]
fn each_hostile_file_gets_its_own_clear_error() {
    for (name, phrase) in CASES {
        let dir = tempfile::tempdir().unwrap();
        let out = convert(&[&fixture(name)], dir.path(), 2);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(name) && stderr.contains(phrase),
            "{name}: {stderr}"
        );
        assert_eq!(
            std::fs::read_dir(dir.path())
                .map(|d| d.count())
                .unwrap_or(0),
            0,
            "{name}: nothing written"
        );
    }
}

#[test]
fn a_mixed_list_converts_the_good_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut inputs: Vec<PathBuf> = CASES.iter().map(|(n, _)| fixture(n)).collect();
    inputs.insert(4, sample());
    let refs: Vec<&std::path::Path> = inputs.iter().map(PathBuf::as_path).collect();
    let out = convert(&refs, dir.path(), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (name, phrase) in CASES {
        assert!(
            stderr.contains(name) && stderr.contains(phrase),
            "{name} in: {stderr}"
        );
    }
    assert!(dir.path().join(format!("{SAMPLE_STEM}.xlsx")).is_file());
    assert!(dir.path().join(SAMPLE_STEM).join("facts.csv").is_file());
}
