//! Golden test: the written sample workbook, dumped as text (sheet order, every cell's value or
//! formula with its cached result, merges, number formats), must equal the committed dump, so
//! any change of the official layout is deliberate and reviewed.
//!
//! After an intended change: `UPDATE_GOLDEN=1 cargo test --test it golden::`, then review the diff.

use crate::common::*;

#[test]
fn sample_workbook_matches_the_golden_dump() {
    let dir = tempfile::tempdir().unwrap();
    convert(&[&sample()], dir.path(), 0);
    let got = dump(&dir.path().join(format!("{SAMPLE_STEM}.xlsx")));
    let golden = root().join("tests/golden/313603-workbook.txt");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &got).unwrap();
    }
    let want =
        std::fs::read_to_string(&golden).expect("golden dump exists (UPDATE_GOLDEN=1 writes it)");
    if got != want {
        let first = got.lines().zip(want.lines()).position(|(a, b)| a != b);
        panic!(
            "written workbook differs from {} at line {:?}:\n got: {:?}\nwant: {:?}",
            golden.display(),
            first.map(|i| i + 1),
            first.and_then(|i| got.lines().nth(i)),
            first.and_then(|i| want.lines().nth(i)),
        );
    }
}

#[test]
fn blank_template_matches_the_committed_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xlsx");
    let out = yusuan(["template".as_ref(), "-o".as_ref(), path.as_os_str()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed = root().join("templates/sichuan-2023-单位预算.xlsx");
    assert_eq!(
        dump(&path),
        dump(&committed),
        "regenerate with: yusuan template -o {}",
        committed.display()
    );
}
