//! The 占比分析 sheet: live shares of each group, and the shares as published.

use super::styles::{Styles, banner, heading, page_setup};
use crate::base::a1;
use crate::edition::Edition;
use crate::model::Budget;
use crate::render::Rendered;
use crate::render::shares::{self, ShareGroup};
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
    let helpers = width as u16;
    for (c, h) in (helpers..).zip(&edition.shares_helper_header) {
        sheet.write_string_with_format(3, c, h, &st.header)?;
    }
    let whole = st.text.clone().set_num_format("0");
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
        let values: Vec<_> = shown.iter().map(|&i| g.parts[i].1.value).collect();
        let apportioned = shares::Apportionment::new(&values, g.total.value);
        for (k, &i) in shown.iter().enumerate() {
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
            match (&apportioned, g.published[i]) {
                (Some(a), _) => {
                    let f = LargestRemainder::new(a.scale, row, first, last, helpers);
                    let cached = |v: i64| v.to_string();
                    let cells = [
                        (5, f.published(), a.share(k).to_string(), &st.share),
                        (helpers, f.floor(), cached(a.floors[k]), &whole),
                        (helpers + 1, f.remainder(), cached(a.remainders[k]), &whole),
                        (helpers + 2, f.rank(), a.ranks[k].to_string(), &whole),
                    ];
                    for (c, formula, value, format) in cells {
                        let formula = Formula::new(formula).set_result(value);
                        sheet.write_formula_with_format(row, c, formula, format)?;
                    }
                }
                // Amounts a spreadsheet cannot hold exactly: the share as a value.
                (None, Some(share)) => {
                    sheet.write_number_with_format(row, 5, super::f64_of(share), &st.share)?;
                }
                (None, None) => {
                    sheet.write_blank(row, 5, &st.share)?;
                }
            };
            row += 1;
        }
        if row > first + 1 {
            sheet.merge_range(first, 0, row - 1, 0, &g.title, &st.wrap)?;
        } else if row == first + 1 {
            sheet.write_string_with_format(first, 0, &g.title, &st.wrap)?;
        }
    }
    // The helper columns are hidden, and outside the printed area.
    for c in helpers..helpers + 3 {
        sheet.set_column_width(c, 12.0)?;
        sheet.set_column_hidden(c)?;
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
    sheet.set_row_height(note_row, 3.0 * super::styles::LINE_HEIGHT)?;
    page_setup(sheet, Some((3, 3)), 4)?;
    sheet.set_print_area(0, 0, note_row, helpers - 1)?;
    Ok(())
}

/// The formulas of one part's published share (sheet row `row` of a group in rows
/// `first..=last`) and of its helper columns (from column `helpers`), the largest-remainder
/// method in whole numbers as [`shares::Apportionment`] computes it. Only `ROUND`, `MOD`,
/// `SIGN`, `ABS`, `SUM`, `COUNTIF` and `IF` on single cells and ranges: no array evaluation,
/// which spreadsheet programs do differently inside `SUMPRODUCT`.
struct LargestRemainder {
    /// `10^scale`, the factor that makes the amounts integers.
    factor: String,
    row: usize,
    first: usize,
    last: usize,
    helpers: usize,
}

impl LargestRemainder {
    fn new(scale: u32, row: u32, first: u32, last: u32, helpers: u16) -> LargestRemainder {
        LargestRemainder {
            factor: 10u64.pow(scale).to_string(),
            row: row as usize,
            first: first as usize,
            last: last as usize,
            helpers: usize::from(helpers),
        }
    }

    fn cell(&self, c: usize) -> String {
        a1::cell(self.row, c)
    }

    fn range(&self, c: usize) -> String {
        format!(
            "{}:{}",
            a1::absolute_row(self.first, c),
            a1::absolute_row(self.last, c)
        )
    }

    /// The share's numerator in units of 0.01% (the part scaled to an integer, × 10000, with
    /// the total's sign) and its divisor (the total scaled, without sign).
    fn fraction(&self, part: &str) -> (String, String) {
        let (factor, total) = (&self.factor, self.cell(3));
        (
            format!("ROUND({part}*{factor},0)*10000*SIGN({total})"),
            format!("ABS(ROUND({total}*{factor},0))"),
        )
    }

    /// The share rounded down, in units of 0.01%.
    fn floor(&self) -> String {
        let (n, d) = self.fraction(&self.cell(2));
        format!("=({n}-MOD({n},{d}))/{d}")
    }

    /// What rounding down left of it, over the same divisor as every part of the group.
    fn remainder(&self) -> String {
        let (n, d) = self.fraction(&self.cell(2));
        format!("=MOD({n},{d})")
    }

    /// The remainder's rank: larger ones first, then the earlier row.
    fn rank(&self) -> String {
        let rem = self.helpers + 1;
        let own = self.cell(rem);
        let before = format!("{}:{own}", a1::absolute_row(self.first, rem));
        format!(
            "=COUNTIF({},\">\"&{own})+COUNTIF({before},{own})",
            self.range(rem)
        )
    }

    /// The published share: rounded down, plus 0.01% for the ranks within the hundredths that
    /// the group's total still misses.
    fn published(&self) -> String {
        let (all, d) = self.fraction(&format!("SUM({})", self.range(2)));
        let missing = format!("ROUND({all}/{d},0)-SUM({})", self.range(self.helpers));
        let (floor, rank) = (self.cell(self.helpers), self.cell(self.helpers + 2));
        format!("=({floor}+IF({rank}<={missing},1,0))/10000")
    }
}
