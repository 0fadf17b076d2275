//! The 占比分析 sheet: live shares of each group, and the shares as published.

use super::SHARES_SHEET;
use super::styles::{Styles, banner, f64_of, heading, page_setup};
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
    const HEADER: [&str; 6] = [
        "分组",
        "项目",
        "金额",
        "合计",
        "占比",
        "公布占比（最大余数法）",
    ];
    let width = HEADER.len();
    heading(sheet, edition, SHARES_SHEET, budget, width, st)?;
    let unit_line = edition
        .amount_unit_line
        .replace("{unit}", &budget.amount_unit);
    banner(sheet, 2, width, &unit_line, &st.unit)?;
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(3, c as u16, *h, &st.header)?;
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
        let first = row;
        for (i, (label, part)) in g.parts.iter().enumerate() {
            sheet.write_string_with_format(row, 1, label, &st.text)?;
            sheet.write_formula_with_format(
                row,
                2,
                Formula::new(reference(part)).set_result(part.value.to_string()),
                &st.amount,
            )?;
            sheet.write_formula_with_format(
                row,
                3,
                Formula::new(reference(&g.total)).set_result(g.total.value.to_string()),
                &st.amount,
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
                Some(share) => sheet.write_number_with_format(row, 5, f64_of(share), &st.share)?,
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
    page_setup(sheet, Some((3, 3)), 4)
}
