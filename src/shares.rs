//! Shares (占比): the parts of a total as fractions, plainly rounded and as published.
//!
//! Published shares are rounded to 0.01% by the largest-remainder method, so that a group adds
//! up to exactly 100.00% (the 2023 budget of unit 313603 publishes 住房保障 as 1.59%, where plain
//! rounding gives 1.58%).

use crate::edition::{Edition, ShareKind, ShareSpec};
use crate::render::{Cell, Rendered};
use rust_decimal::{Decimal, RoundingStrategy};

/// Decimal places of a share as a fraction (0.01% = 0.0001).
pub const SHARE_DP: u32 = 4;

/// A cell of a rendered table: table index, data row, column, and its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellRef {
    /// Index of the table in the rendered list.
    pub table: usize,
    /// Data row.
    pub row: usize,
    /// Column.
    pub col: usize,
    /// The cell's value (zero when empty).
    pub value: Decimal,
}

/// A resolved share group.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareGroup {
    /// Title of the group.
    pub title: String,
    /// The parts, with their labels.
    pub parts: Vec<(String, CellRef)>,
    /// The total.
    pub total: CellRef,
    /// Each part's share, rounded half away from zero to 0.01% (Excel's `ROUND`); `None`
    /// when the total is zero.
    pub plain: Vec<Option<Decimal>>,
    /// Each part's share as published: largest-remainder rounding to 0.01%.
    pub published: Vec<Option<Decimal>>,
}

/// `ROUND(part/total, 4)` exactly as Excel computes it.
pub fn rounded_share(part: Decimal, total: Decimal) -> Option<Decimal> {
    (!total.is_zero()).then(|| {
        (part / total).round_dp_with_strategy(SHARE_DP, RoundingStrategy::MidpointAwayFromZero)
    })
}

/// Shares of `parts` in `total` rounded to 0.01% so that they add up to exactly 100.00%: each
/// share is rounded down, and the missing hundredths of a percent go, one each, to the parts
/// with the largest remainders (ties: the earlier part). Meaningful for non-negative parts that
/// add up to the total; `None` when the total is zero.
pub fn largest_remainder(parts: &[Decimal], total: Decimal) -> Vec<Option<Decimal>> {
    if total.is_zero() {
        return vec![None; parts.len()];
    }
    let step = Decimal::new(1, SHARE_DP);
    let exact: Vec<Decimal> = parts.iter().map(|p| p / total).collect();
    let mut floors: Vec<Decimal> = exact
        .iter()
        .map(|e| e.round_dp_with_strategy(SHARE_DP, RoundingStrategy::ToNegativeInfinity))
        .collect();
    let assigned: Decimal = floors.iter().sum();
    let target: Decimal = exact
        .iter()
        .sum::<Decimal>()
        .round_dp_with_strategy(SHARE_DP, RoundingStrategy::MidpointAwayFromZero);
    let missing = ((target - assigned) / step)
        .round()
        .try_into()
        .unwrap_or(0usize);
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - floors[b])
            .cmp(&(exact[a] - floors[a]))
            .then(a.cmp(&b))
    });
    for &i in order.iter().take(missing) {
        floors[i] += step;
    }
    floors.into_iter().map(Some).collect()
}

/// Resolves the edition's share groups against the rendered tables of a budget.
pub fn groups(edition: &Edition, rendered: &[Rendered<'_>]) -> Vec<ShareGroup> {
    edition
        .shares
        .iter()
        .filter_map(|spec| group(spec, rendered))
        .collect()
}

fn group(spec: &ShareSpec, rendered: &[Rendered<'_>]) -> Option<ShareGroup> {
    let t = rendered.iter().position(|r| r.spec.number == spec.table)?;
    let table = &rendered[t];
    let at = |row: usize, col: usize| CellRef {
        table: t,
        row,
        col,
        value: table.rows[row].cells[col].value().unwrap_or_default(),
    };
    let (parts, total) = match &spec.kind {
        ShareKind::Columns { parts, total } => {
            let row = table
                .rows
                .iter()
                .position(|r| r.kind == crate::model::RowKind::Total)?;
            let parts: Vec<(String, CellRef)> = parts
                .iter()
                .map(|&c| {
                    (
                        table.spec.columns[c]
                            .key
                            .rsplit('/')
                            .next()
                            .unwrap_or_default()
                            .to_owned(),
                        at(row, c),
                    )
                })
                .collect();
            (parts, at(row, *total))
        }
        ShareKind::Rows {
            column,
            parts,
            total,
        } => {
            let side = table.spec.columns[*column].side.unwrap_or(0);
            let by_item = |id: &str| table.find_row(side, |s| s.item.as_deref() == Some(id));
            let total_row = match total {
                Some(id) => by_item(id)?,
                None => table
                    .rows
                    .iter()
                    .position(|r| r.kind == crate::model::RowKind::Total)?,
            };
            let part_rows: Vec<usize> = match parts {
                Some(ids) => ids.iter().filter_map(|id| by_item(id)).collect(),
                None => match &table.rows[total_row].cells[*column] {
                    Cell::Sum(sum) => sum.terms.iter().map(|&(r, _)| r).collect(),
                    _ => Vec::new(),
                },
            };
            let label = |r: usize| {
                table.rows[r]
                    .subjects
                    .get(side)
                    .and_then(Option::as_ref)
                    .map(|s| s.name.clone())
                    .unwrap_or_default()
            };
            (
                part_rows
                    .into_iter()
                    .map(|r| (label(r), at(r, *column)))
                    .collect(),
                at(total_row, *column),
            )
        }
    };
    let values: Vec<Decimal> = parts
        .iter()
        .map(|(_, c): &(String, CellRef)| c.value)
        .collect();
    Some(ShareGroup {
        title: spec.title.clone(),
        plain: values
            .iter()
            .map(|&v| rounded_share(v, total.value))
            .collect(),
        published: largest_remainder(&values, total.value),
        parts,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn pct(v: &[Option<Decimal>]) -> Vec<String> {
        v.iter()
            .map(|x| format!("{:.2}", x.unwrap() * Decimal::ONE_HUNDRED))
            .collect()
    }

    #[test]
    fn published_shares_of_313603() {
        let total = d("1347.44");
        let classes = [d("16.75"), d("1284.28"), d("25.07"), d("21.34")];
        assert_eq!(
            pct(&largest_remainder(&classes, total)),
            ["1.24", "95.31", "1.86", "1.59"]
        );
        let plain: Vec<_> = classes.iter().map(|&c| rounded_share(c, total)).collect();
        assert_eq!(pct(&plain), ["1.24", "95.31", "1.86", "1.58"]);
        assert_eq!(
            pct(&largest_remainder(&[d("404.80"), d("942.64")], total)),
            ["30.04", "69.96"]
        );
    }

    #[test]
    fn largest_remainder_adds_up_to_one() {
        let parts = [d("1"), d("1"), d("1")];
        let shares = largest_remainder(&parts, d("3"));
        assert_eq!(pct(&shares), ["33.34", "33.33", "33.33"]);
        assert_eq!(
            shares.iter().map(|s| s.unwrap()).sum::<Decimal>(),
            Decimal::ONE
        );
        assert_eq!(
            largest_remainder(&parts, Decimal::ZERO),
            vec![None, None, None]
        );
    }

    #[test]
    fn excel_round_is_half_away_from_zero() {
        assert_eq!(rounded_share(d("1"), d("8")), Some(d("0.125")));
        assert_eq!(rounded_share(d("0.00005"), d("1")), Some(d("0.0001")));
        assert_eq!(rounded_share(d("1"), Decimal::ZERO), None);
    }
}
