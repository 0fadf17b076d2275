//! A real spreadsheet program agrees: LibreOffice opens the written sample workbook,
//! recalculates every formula, and each recalculated value must equal the cached result that
//! yusuan wrote and the figure published in the source (typed into the sample at the same
//! cell).
//!
//! Needs `soffice` (Debian package `libreoffice-calc-nogui`, installed by `.ci/run`): where it
//! is missing the test is reported ignored, and under CI that fails.

use crate::common::*;
use calamine::{Reader, Xlsx, open_workbook};
use rust_decimal::Decimal;
use std::path::Path;
use std::str::FromStr;

/// LibreOffice recalculates .xlsx formulas on load only when its profile says so.
const RECALC_ALWAYS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#;

/// CSV export of every sheet (token 12 = -1), UTF-8, raw values.
const CSV_FILTER: &str =
    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1";

fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match (ch, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            ('\r', false) => {}
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// A raw value as LibreOffice exports it (percentages keep their sign: `30.04%`).
fn number(text: &str) -> Decimal {
    if text.is_empty() {
        return Decimal::ZERO;
    }
    if let Some(p) = text.strip_suffix('%') {
        return number(p) / Decimal::ONE_HUNDRED;
    }
    Decimal::from_str(text)
        .or_else(|_| Decimal::from_scientific(text))
        .unwrap_or_else(|_| panic!("not a number: {text:?}"))
}

fn recalculate(xlsx: &Path, workdir: &Path) -> Vec<Vec<Vec<String>>> {
    let profile = workdir.join("lo-profile");
    std::fs::create_dir_all(profile.join("user")).unwrap();
    std::fs::write(
        profile.join("user/registrymodifications.xcu"),
        RECALC_ALWAYS,
    )
    .unwrap();
    let outdir = workdir.join("lo");
    let status = soffice(xlsx, CSV_FILTER, &outdir, &profile).expect("soffice runs");
    assert!(
        status.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let stem = xlsx.file_stem().unwrap().to_string_lossy();
    let sheets = sheets(xlsx);
    sheets
        .iter()
        .map(|(name, _)| {
            let path = outdir.join(format!("{stem}-{name}.csv"));
            parse_csv(
                &std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display())),
            )
        })
        .collect()
}

#[test]
#[cfg_attr(
    not(has_soffice),
    ignore = "needs LibreOffice: apt-get install libreoffice-calc-nogui"
)]
fn libreoffice_recalculates_every_formula_to_the_cached_and_published_value() {
    require("soffice", "libreoffice-calc-nogui");
    let dir = tempfile::tempdir().unwrap();
    convert(&[&sample()], dir.path(), 0);
    let written = dir.path().join(format!("{SAMPLE_STEM}.xlsx"));
    let recalculated = recalculate(&written, dir.path());
    let published = sheets(&sample());

    let mut book: Xlsx<_> = open_workbook(&written).unwrap();
    let names = book.sheet_names().to_vec();
    let mut formulas_checked = 0;
    for (s, name) in names.iter().enumerate() {
        let formulas = book.worksheet_formula(name).unwrap();
        let cached = book.worksheet_range(name).unwrap();
        let (r0, c0) = formulas.start().unwrap_or((0, 0));
        for (r, c, formula) in formulas.used_cells() {
            let (r, c) = (r + r0 as usize, c + c0 as usize);
            let at = cell(r as u32, c as u32);
            let cached = number(
                &cached
                    .get_value((r as u32, c as u32))
                    .map(data_text)
                    .unwrap_or_default(),
            );
            let lo = number(
                recalculated[s]
                    .get(r)
                    .and_then(|row| row.get(c))
                    .map_or("", String::as_str),
            );
            assert_eq!(
                lo, cached,
                "{name} {at} ={formula}: LibreOffice {lo}, cached {cached}"
            );
            if let Some((_, rows)) = published.get(s) {
                let figure = number(
                    &rows
                        .get(r)
                        .and_then(|row| row.get(c))
                        .cloned()
                        .unwrap_or_default(),
                );
                assert_eq!(
                    lo, figure,
                    "{name} {at} ={formula}: LibreOffice {lo}, published {figure}"
                );
            }
            formulas_checked += 1;
        }
    }
    assert!(formulas_checked > 200, "only {formulas_checked} formulas");

    // The shares of the narrative (section 3 of the source), recalculated.
    let shares = &recalculated[names
        .iter()
        .position(|n| n == "占比分析")
        .expect("a 占比分析 sheet")];
    let share_of = |label: &str| -> (Decimal, Decimal) {
        let row = shares
            .iter()
            .find(|r| r.get(1).map(String::as_str) == Some(label))
            .unwrap_or_else(|| panic!("{label}"));
        (number(&row[4]), number(&row[5]))
    };
    let pct = |v: &str| Decimal::from_str(v).unwrap() / Decimal::ONE_HUNDRED;
    assert_eq!(share_of("基本支出"), (pct("30.04"), pct("30.04")));
    assert_eq!(share_of("项目支出"), (pct("69.96"), pct("69.96")));
    assert_eq!(share_of("教育支出"), (pct("1.24"), pct("1.24")));
    assert_eq!(share_of("社会保障和就业支出"), (pct("95.31"), pct("95.31")));
    assert_eq!(share_of("卫生健康支出"), (pct("1.86"), pct("1.86")));
    assert_eq!(share_of("住房保障支出"), (pct("1.58"), pct("1.59")));
}
