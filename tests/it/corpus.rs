//! Generates a corpus of unit workbooks for the batch benchmarks (`bench/batch-corpus.sh`,
//! `bench/isolation.sh`): variations of the sample with other amounts, unit codes and names,
//! one in five in 元, in 20 sub-folders; a handful broken (five hostile fixtures) and about one
//! in a hundred with a wrong total. Not a test: it runs only when asked.
//!
//!     YUSUAN_CORPUS_DIR=DIR [YUSUAN_CORPUS_COUNT=N] cargo test --release --test it corpus:: -- --ignored

use crate::common::synth::{Rng, in_yuan, rename_unit, vary, write_workbook};
use crate::common::{root, sample_budget};
use std::path::PathBuf;
use yusuan::edition::Edition;

#[test]
#[ignore = "a tool for the benchmarks: YUSUAN_CORPUS_DIR=DIR cargo test --release --test it corpus:: -- --ignored"]
fn make_corpus() {
    let dir = PathBuf::from(std::env::var_os("YUSUAN_CORPUS_DIR").expect("YUSUAN_CORPUS_DIR"));
    let count: usize = std::env::var("YUSUAN_CORPUS_COUNT").ok().map_or(1000, |n| {
        n.parse().expect("YUSUAN_CORPUS_COUNT is a number")
    });
    let root = root();
    let edition = Edition::builtin();
    let base = sample_budget(&edition);
    std::fs::create_dir_all(&dir).unwrap();
    let broken = [
        "h01-cell-at-XFD1048576.xlsx",
        "h02-shared-strings-4e9.xlsx",
        "h03-truncated.xlsx",
        "h04-random-bytes.xlsx",
        "h05-encrypted.xlsx",
    ];
    let mut rng = Rng(2023);
    for i in 0..count {
        let region = dir.join(format!("{:02}", i % 20));
        std::fs::create_dir_all(&region).unwrap();
        if let Some(name) = broken.get(i) {
            std::fs::copy(
                root.join("tests/fixtures/hostile").join(name),
                region.join(format!("broken-{i}.xlsx")),
            )
            .unwrap();
            continue;
        }
        let mut budget = vary(&edition, &base, &mut rng);
        let code = format!("{}", 400_000 + i);
        rename_unit(&mut budget, &code, &format!("测试单位{i:04}"));
        if i % 97 == 0 {
            // One amount changed after the fact: a unit whose tables no longer reconcile.
            let t3 = budget.tables.iter_mut().find(|t| t.number == 3).unwrap();
            *t3.rows[1].amounts.get_mut("基本支出").unwrap() += rust_decimal::Decimal::ONE;
        }
        if i % 5 == 0 {
            in_yuan(&mut budget);
        }
        write_workbook(&edition, &budget, &region.join(format!("{code}.xlsx")));
    }
    println!("{count} workbooks in {}", dir.display());
}
