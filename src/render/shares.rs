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

/// The largest-remainder method in whole numbers, as a spreadsheet can compute it the same way
/// in every program: amounts scaled to integers (`scale` decimal places), each share rounded
/// down in units of 0.01% (`floors`), what is left of it as an integer `remainders` (all over
/// one divisor, so they compare as the fractions do), the `ranks` of the remainders (ties: the
/// earlier part first), and how many hundredths are `missing` to make the group's total.
///
/// Every intermediate is an integer below 2^53, exact in a spreadsheet's floating point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Apportionment {
    /// Decimal places the amounts are scaled by (`10^scale`).
    pub scale: u32,
    /// Each share rounded down, in units of 0.01%.
    pub floors: Vec<i64>,
    /// Each share's remainder: `part × 10^scale × 10000 mod |total × 10^scale|` (sign-adjusted).
    pub remainders: Vec<i64>,
    /// Each remainder's rank, from 1 (the largest; ties: the earlier part).
    pub ranks: Vec<usize>,
    /// Hundredths still to give, one each to ranks `1..=missing`.
    pub missing: i64,
}

/// The largest integer a spreadsheet's double holds exactly, plus one.
const EXACT_LIMIT: i128 = 1 << 53;

impl Apportionment {
    /// The apportionment of `parts` of `total`; `None` when the total is zero or the scaled
    /// amounts are too large (or have too many decimals) to be exact in a spreadsheet.
    pub fn new(parts: &[Decimal], total: Decimal) -> Option<Apportionment> {
        if total.is_zero() {
            return None;
        }
        let scale = parts
            .iter()
            .chain([&total])
            .map(|d| d.normalize().scale())
            .max()
            .unwrap_or(0);
        if scale > 6 {
            return None;
        }
        let factor = Decimal::from(10i64.pow(scale));
        let int = |d: Decimal| -> Option<i128> { i128::try_from((d * factor).trunc()).ok() };
        let divisor = int(total)?;
        let (sign, divisor) = (divisor.signum(), divisor.abs());
        let numerators: Vec<i128> = parts
            .iter()
            .map(|&p| Some(int(p)? * 10_000 * sign))
            .collect::<Option<_>>()?;
        let all: i128 = numerators.iter().sum();
        if divisor >= EXACT_LIMIT
            || numerators
                .iter()
                .chain([&all])
                .any(|n| n.abs() >= EXACT_LIMIT)
        {
            return None;
        }
        let floors: Vec<i128> = numerators.iter().map(|n| n.div_euclid(divisor)).collect();
        let remainders: Vec<i128> = numerators.iter().map(|n| n.rem_euclid(divisor)).collect();
        // The target: the group's sum of shares rounded half away from zero, in 0.01%.
        let target = {
            let (q, r) = (all.div_euclid(divisor), all.rem_euclid(divisor));
            let up = 2 * r > divisor || (2 * r == divisor && all >= 0);
            q + i128::from(up)
        };
        let missing = target - floors.iter().sum::<i128>();
        let mut order: Vec<usize> = (0..parts.len()).collect();
        order.sort_by(|&a, &b| remainders[b].cmp(&remainders[a]).then(a.cmp(&b)));
        let mut ranks = vec![0; parts.len()];
        for (rank, &i) in order.iter().enumerate() {
            ranks[i] = rank + 1;
        }
        let small = |v: i128| i64::try_from(v).ok();
        Some(Apportionment {
            scale,
            floors: floors.into_iter().map(small).collect::<Option<_>>()?,
            remainders: remainders.into_iter().map(small).collect::<Option<_>>()?,
            ranks,
            missing: small(missing)?,
        })
    }

    /// The published share of part `i` as a fraction.
    pub fn share(&self, i: usize) -> Decimal {
        let bonus = i64::from(i64::try_from(self.ranks[i]).unwrap_or(i64::MAX) <= self.missing);
        Decimal::new(self.floors[i] + bonus, SHARE_DP)
    }
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
    fn whole_number_apportionment_is_the_largest_remainder() {
        let total = d("1347.44");
        let classes = [d("16.75"), d("1284.28"), d("25.07"), d("21.34")];
        let a = Apportionment::new(&classes, total).unwrap();
        assert_eq!(a.scale, 2);
        assert_eq!(a.floors, [124, 9531, 186, 158]);
        assert_eq!(a.missing, 1);
        assert_eq!(a.ranks[3], 1, "住房保障 has the largest remainder");
        // Many groups, with ties, negative and zero parts, other scales: the same shares.
        let mut seed = 7u64;
        let mut next = |m: i64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as i64).rem_euclid(m)
        };
        for _ in 0..2000 {
            let n = 1 + next(6) as usize;
            let scale = next(4) as u32;
            let parts: Vec<Decimal> = (0..n)
                .map(|_| Decimal::new(next(3) * next(100000) - next(10), scale))
                .collect();
            let mut total: Decimal = parts.iter().sum();
            if next(4) == 0 {
                total += Decimal::new(next(1000), 2);
            }
            let Some(a) = Apportionment::new(&parts, total) else {
                assert!(total.is_zero());
                continue;
            };
            let expected = largest_remainder(&parts, total);
            for (i, e) in expected.iter().enumerate() {
                assert_eq!(Some(a.share(i)), *e, "{parts:?} of {total}");
            }
        }
        // Beyond what a double holds exactly: no apportionment (the sheet writes values).
        assert!(Apportionment::new(&[d("1e12")], d("1e12")).is_none());
        assert!(Apportionment::new(&[d("0.0000001")], d("1")).is_none());
    }

    #[test]
    fn excel_round_is_half_away_from_zero() {
        assert_eq!(rounded_share(d("1"), d("8")), Some(d("0.125")));
        assert_eq!(rounded_share(d("0.00005"), d("1")), Some(d("0.0001")));
        assert_eq!(rounded_share(d("1"), Decimal::ZERO), None);
    }
}
