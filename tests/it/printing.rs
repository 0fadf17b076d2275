//! What a clerk sees when printing: the written workbooks rendered to PDF by LibreOffice and
//! read back page by page (pdftotext). No zero amount shows in the thirteen tables, 表1 is one
//! page, and no project's block of 表13 is split across pages — in a department workbook with
//! many units' projects.
//!
//! Needs `soffice` and `pdftotext` (Debian `libreoffice-calc-nogui`, `poppler-utils`, installed
//! by `.ci/run`); under CI a missing one fails, elsewhere the test says it was skipped.

use crate::common::synth::{Rng, rename_unit, vary, write_workbook};
use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use yusuan::edition::Edition;

/// The pages of a workbook printed by LibreOffice, as text.
fn pages(xlsx: &Path, work: &Path) -> Vec<String> {
    let out = soffice(xlsx, "pdf", work, &work.join("lo-profile")).expect("soffice runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = work.join(format!(
        "{}.pdf",
        xlsx.file_stem().unwrap().to_string_lossy()
    ));
    let text = Command::new("pdftotext")
        .args(["-layout".as_ref(), pdf.as_os_str(), "-".as_ref()])
        .output()
        .expect("pdftotext runs");
    String::from_utf8_lossy(&text.stdout)
        .split('\u{c}')
        .map(str::to_owned)
        .filter(|p| !p.trim().is_empty())
        .collect()
}

/// The first line of a page with text.
fn first_line(page: &str) -> &str {
    page.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
}

/// Pages by the table they print: a table starts on the page whose first line is its title.
fn table_pages<'p>(pages: &'p [String], titles: &[String]) -> Vec<(String, Vec<&'p String>)> {
    let mut out: Vec<(String, Vec<&String>)> = Vec::new();
    for page in pages {
        let first = first_line(page);
        match titles.iter().find(|t| first.starts_with(t.as_str())) {
            Some(t) => out.push((t.clone(), vec![page])),
            None => match out.last_mut() {
                Some(last) => last.1.push(page),
                None => out.push((String::new(), vec![page])),
            },
        }
    }
    out
}

/// Whether a page shows a zero amount: `0.00` standing alone.
fn shows_zero(page: &str) -> bool {
    page.split_whitespace().any(|w| w == "0.00" || w == "-0.00")
}

#[test]
#[cfg_attr(
    not(all(has_soffice, has_poppler)),
    ignore = "needs LibreOffice and poppler: apt-get install libreoffice-calc-nogui poppler-utils"
)]
fn the_published_tables_print_as_published() {
    require("soffice", "libreoffice-calc-nogui");
    require("pdftotext", "poppler-utils");
    let dir = tempfile::tempdir().unwrap();
    convert(&[&sample()], dir.path(), 0);
    let pages = pages(&dir.path().join(format!("{SAMPLE_STEM}.xlsx")), dir.path());
    let edition = Edition::builtin();
    let mut titles: Vec<String> = edition.tables.iter().map(|t| t.title.clone()).collect();
    titles.extend(["占比分析".to_owned(), "校验结果".to_owned()]);
    let tables = table_pages(&pages, &titles);
    for (title, pages) in tables.iter().take(13) {
        for page in pages {
            assert!(!shows_zero(page), "{title} shows 0.00:\n{page}");
        }
    }
    assert_eq!(tables[0].0, "单位收支总表");
    assert_eq!(tables[0].1.len(), 1, "表1 is one page");
    assert_eq!(tables[3].1.len(), 1, "表4 is one page");
    // 表7's last two rows (30309, 3030901) no longer sit alone on a page: fitted to one.
    assert_eq!(tables[6].0, "一般公共预算基本支出预算表");
    assert_eq!(tables[6].1.len(), 1, "表7 is one page: {:#?}", tables[6].1);
    // 表13 prints its 10-point text at 8 points or more (it printed at about 7 when its names
    // widened the sheet): a header word of four characters is 32 points wide at least.
    let pdf = dir.path().join(format!("{SAMPLE_STEM}.pdf"));
    let boxes = Command::new("pdftotext")
        .args(["-bbox".as_ref(), pdf.as_os_str(), "-".as_ref()])
        .output()
        .expect("pdftotext runs");
    let boxes = String::from_utf8_lossy(&boxes.stdout);
    let word = boxes
        .lines()
        .find(|l| l.contains(">一级指标<"))
        .expect("表13's header is printed");
    let x = |name: &str| -> f64 {
        let at = word.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        word[at..].split('"').next().unwrap().parse().unwrap()
    };
    let points = (x("xMax") - x("xMin")) / 4.0;
    assert!(points >= 8.0, "表13 prints at {points:.1} points: {word}");
    let total: usize = tables.iter().map(|(_, p)| p.len()).sum();
    assert_eq!(
        total, 16,
        "the sample prints on 16 pages (17 before 表7 was fitted)"
    );
    // 校验结果 prints every column: the input's cells are on the page.
    let findings = &tables.iter().find(|(t, _)| t == "校验结果").unwrap().1;
    assert!(
        findings
            .iter()
            .any(|p| p.contains("原表位置") && p.contains("K16"))
    );
}

/// A unit whose projects and indicators are tagged with its code, so each shows on a page
/// unmistakably.
fn tagged_unit(edition: &Edition, base: &yusuan::model::Budget, i: u64) -> yusuan::model::Budget {
    let code = format!("{}", 400_000 + i);
    let mut b = vary(edition, base, &mut Rng(i));
    rename_unit(&mut b, &code, &format!("测试单位{i:02}"));
    let t13 = b.tables.iter_mut().find(|t| t.number == 13).unwrap();
    let mut p = 0;
    for row in &mut t13.rows {
        if row.lines.is_empty() {
            continue;
        }
        p += 1;
        row.name = format!("P{code}-{p}");
        for (k, line) in row.lines.iter_mut().enumerate() {
            line.insert("三级指标".into(), format!("T{code}-{p}-{k}"));
        }
    }
    // 表8 names the same projects.
    let t8 = b.tables.iter_mut().find(|t| t.number == 8).unwrap();
    let mut names = std::collections::BTreeMap::new();
    for row in &mut t8.rows {
        if row.unit_code.is_some() && row.kind == yusuan::model::RowKind::Detail {
            let n = names.len() + 1;
            let tag = names
                .entry(row.name.clone())
                .or_insert_with(|| format!("P{code}-{n}"))
                .clone();
            row.name = tag;
        }
    }
    b
}

#[test]
#[cfg_attr(
    not(all(has_soffice, has_poppler)),
    ignore = "needs LibreOffice and poppler: apt-get install libreoffice-calc-nogui poppler-utils"
)]
fn no_project_block_splits_across_pages_in_a_department() {
    require("soffice", "libreoffice-calc-nogui");
    require("pdftotext", "poppler-utils");
    let edition = Edition::builtin();
    let base = sample_budget(&edition);
    let dir = tempfile::tempdir().unwrap();
    let inputs: Vec<PathBuf> = (1..=10)
        .map(|i| {
            let path = dir.path().join(format!("u{i}.xlsx"));
            write_workbook(&edition, &tagged_unit(&edition, &base, i), &path);
            path
        })
        .collect();
    let out = dir.path().join("dept");
    let mut args: Vec<std::ffi::OsString> = vec!["merge".into()];
    args.extend(inputs.iter().map(|p| p.clone().into_os_string()));
    args.extend(
        [
            "-o",
            out.to_str().unwrap(),
            "--code",
            "900",
            "--name",
            "测试厅",
        ]
        .map(Into::into),
    );
    let run = yusuan(&args);
    assert!(
        matches!(run.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let pages = pages(&out.join("900-测试厅.xlsx"), dir.path());
    let table13: Vec<&String> = {
        let mut titles: Vec<String> = edition
            .tables
            .iter()
            .map(|t| t.entity_title("部门"))
            .collect();
        titles.extend(["占比分析".to_owned(), "校验结果".to_owned()]);
        let tables = table_pages(&pages, &titles);
        tables
            .into_iter()
            .find(|(t, _)| t.starts_with("部门预算项目支出绩效目标表"))
            .expect("表13 printed")
            .1
    };
    assert!(table13.len() > 2, "enough projects for several pages");
    let mut checked = 0;
    for i in 1..=10u64 {
        let code = 400_000 + i;
        for p in 1..=3 {
            let tag = format!("T{code}-{p}-");
            let on: Vec<usize> = table13
                .iter()
                .enumerate()
                .filter(|(_, page)| page.contains(&tag))
                .map(|(n, _)| n)
                .collect();
            assert_eq!(on.len(), 1, "project P{code}-{p} is on pages {on:?}");
            assert!(
                table13[on[0]].contains(&format!("P{code}-{p}")),
                "project P{code}-{p}'s name is on its page"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 30);
}
