//! The 占比分析 sheet: live shares of each group, and the shares as published.

use super::styles::{Styles, banner, heading, page_setup};
use crate::a1;
use crate::edition::Edition;
use crate::model::Budget;
use crate::render::Rendered;
use crate::shares::{self, ShareGroup};
use rust_xlsxwriter::{Formula, Worksheet, XlsxError};

/// Writes the 占比分析 sheet.
pub(super) fn write_shares(
    sheet: &mut Worksheet,
    edition: &Edition,
    budget: &Budget,
    rendered: &[Rendered<'_>],
    names: &[String],
    groups: &[ShareGroup],
    st: &Styles,
) -> Result<(), XlsxError> {
    let header = &edition.shares_header;
    let width = header.len();
    heading(sheet, edition, &edition.shares_sheet, budget, width, st)?;
    let unit_line = edition
        .amount_unit_line
        .replace("{unit}", &budget.amount_unit);
    banner(sheet, 2, width, &unit_line, &st.unit)?;
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(3, c as u16, h, &st.header)?;
    }
    let reference = |c: &shares::CellRef| {
        let t = &rendered[c.table];
        format!(
            "={}!{}",
            a1::quoted_sheet(&names[c.table]),
            a1::cell(t.data_start() + c.row, c.col)
        )
    };
    let mut row = 4u32;
    for g in groups {
        // Rows of nothing add nothing: left out (the published shares are the same without them).
        let shown: Vec<usize> = (0..g.parts.len())
            .filter(|&i| !g.parts[i].1.value.is_zero())
            .collect();
        if shown.is_empty() || g.total.value.is_zero() {
            continue;
        }
        let first = row;
        let last = first + shown.len() as u32 - 1;
        for &i in &shown {
            let (label, part) = &g.parts[i];
            sheet.write_string_with_format(row, 1, label, &st.text)?;
            sheet.write_formula_with_format(
                row,
                2,
                Formula::new(reference(part)).set_result(part.value.to_string()),
                &st.figure,
            )?;
            sheet.write_formula_with_format(
                row,
                3,
                Formula::new(reference(&g.total)).set_result(g.total.value.to_string()),
                &st.figure,
            )?;
            match g.plain[i] {
                Some(share) => {
                    let f = format!(
                        "=ROUND({}/{},4)",
                        a1::cell(row as usize, 2),
                        a1::cell(row as usize, 3)
                    );
                    sheet.write_formula_with_format(
                        row,
                        4,
                        Formula::new(f).set_result(share.to_string()),
                        &st.share,
                    )?;
                }
                None => {
                    sheet.write_blank(row, 4, &st.share)?;
                }
            }
            match g.published[i] {
                Some(share) => {
                    let f = largest_remainder_formula(row, first, last);
                    sheet.write_formula_with_format(
                        row,
                        5,
                        Formula::new(f).set_result(share.to_string()),
                        &st.share,
                    )?
                }
                None => sheet.write_blank(row, 5, &st.share)?,
            };
            row += 1;
        }
        if row > first + 1 {
            sheet.merge_range(first, 0, row - 1, 0, &g.title, &st.wrap)?;
        } else if row == first + 1 {
            sheet.write_string_with_format(first, 0, &g.title, &st.wrap)?;
        }
    }
    for (c, w) in [30.0, 30.0, 14.0, 14.0, 10.0, 22.0].into_iter().enumerate() {
        sheet.set_column_width(c as u16, w)?;
    }
    // What the two columns are, and which to publish.
    let note_row = row + 1;
    sheet.merge_range(
        note_row,
        0,
        note_row,
        (width - 1) as u16,
        &edition.shares_note,
        &st.note_wrap,
    )?;
    sheet.set_row_height(note_row, 3.0 * super::table::LINE_HEIGHT)?;
    page_setup(sheet, Some((3, 3)), 4)
}

/// The published share of the part in sheet row `row` of a group in rows `first..=last`, as a
/// live formula: each share rounded down to 0.01%, the hundredths still missing to make the
/// group's total given one each to the largest remainders (ties: the earlier row) — the
/// largest-remainder method, as `shares::largest_remainder` computes it.
fn largest_remainder_formula(row: u32, first: u32, last: u32) -> String {
    let cell = |c: usize| a1::cell(row as usize, c);
    let range = |c: usize| {
        format!(
            "{}:{}",
            a1::absolute_row(first as usize, c),
            a1::absolute_row(last as usize, c)
        )
    };
    let (amounts, totals) = (range(2), range(3));
    // Shares in hundredths of a percent; a hair added so that float division lands on the
    // integer it means.
    let scaled = |part: &str, total: &str| format!("({part}/{total}*10000+1E-9)");
    let own = scaled(&cell(2), &cell(3));
    let all = scaled(&amounts, &totals);
    let remainder = format!("({own}-INT({own}))");
    let remainders = format!("({all}-INT({all}))");
    let missing = format!("(ROUND(SUMPRODUCT({amounts}/{totals})*10000,0)-SUMPRODUCT(INT({all})))");
    let rank = format!(
        "(SUMPRODUCT(--({remainders}>{remainder}))+SUMPRODUCT(--({remainders}={remainder}),--(ROW({amounts})<ROW({}))))",
        cell(2)
    );
    format!("=(INT({own})+IF({rank}<{missing},1,0))/10000")
}
