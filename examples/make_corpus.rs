//! Generates a corpus of unit workbooks for the batch benchmark: variations of the sample with
//! other amounts, unit codes and names, one in five in 元, in 20 sub-folders; a handful broken
//! (five hostile fixtures) and about one in a hundred with a wrong total.
//!
//!     cargo run --release --example make_corpus -- DIR [COUNT]

#[path = "../tests/common/synth.rs"]
mod synth;

use std::path::PathBuf;
use synth::{Rng, in_yuan, rename_unit, vary, write_workbook};
use yusuan::edition::Edition;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: make_corpus DIR [COUNT]"));
    let count: usize = args
        .next()
        .map_or(1000, |n| n.parse().expect("COUNT is a number"));
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let edition = Edition::builtin();
    let sample = root.join("samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx");
    let base = yusuan::read::read_input(&edition, &sample)
        .expect("the sample reads")
        .budget;
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
