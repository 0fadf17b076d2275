//! The structure of a table's rows: which rows each total or subtotal adds up.
//!
//! The structure is derived from the rows themselves, never stored: a subtotal row is the
//! parent of the rows after it whose code extends its code (a 类 row `205` over `20508`, a
//! project group `2080108` over its projects), or, without codes, of the rows of its unit
//! (table 13). A grand total adds up the rows that have no parent. So a 类 row sums its 款
//! rows, a 款 row its 项 rows, and the grand total its top level: nothing is counted twice.

use crate::model::{Row, RowKind, Table};
use std::borrow::Borrow;

/// For every row, the rows it adds up: `h[r]` is the slice of their indexes (empty for a detail
/// row). Every grand total shares one list of the top level, so a table with many total rows
/// costs no more than one with a single 合计.
#[derive(Debug, Clone, Default)]
pub struct Hierarchy {
    children: Vec<Vec<usize>>,
    top: Vec<usize>,
    total: Vec<bool>,
}

impl Hierarchy {
    /// The rows row `r` adds up.
    pub fn of(&self, r: usize) -> &[usize] {
        if self.total[r] {
            &self.top
        } else {
            &self.children[r]
        }
    }

    /// Each row's children, in row order.
    pub fn iter(&self) -> impl Iterator<Item = &[usize]> {
        (0..self.total.len()).map(|r| self.of(r))
    }

    /// Whether row `r` is a grand total.
    pub fn is_total(&self, r: usize) -> bool {
        self.total[r]
    }
}

impl std::ops::Index<usize> for Hierarchy {
    type Output = [usize];

    fn index(&self, r: usize) -> &[usize] {
        self.of(r)
    }
}

/// The structure of `rows`: which rows each total or subtotal adds up. Linear in the rows.
pub fn children<R: Borrow<Row>>(rows: &[R]) -> Hierarchy {
    let mut parent: Vec<Option<usize>> = vec![None; rows.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (i, row) in rows.iter().map(Borrow::borrow).enumerate() {
        if row.kind == RowKind::Total {
            stack.clear();
            continue;
        }
        while let Some(&top) = stack.last() {
            if is_ancestor(rows[top].borrow(), row) {
                break;
            }
            stack.pop();
        }
        parent[i] = stack.last().copied();
        if row.kind == RowKind::Subtotal {
            stack.push(i);
        }
    }
    let mut children = vec![Vec::new(); rows.len()];
    let mut top = Vec::new();
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) => children[*p].push(i),
            None if rows[i].borrow().kind != RowKind::Total => top.push(i),
            None => {}
        }
    }
    Hierarchy {
        children,
        top,
        total: rows
            .iter()
            .map(|r| r.borrow().kind == RowKind::Total)
            .collect(),
    }
}

/// Whether subtotal row `a` is an ancestor of row `b`.
fn is_ancestor(a: &Row, b: &Row) -> bool {
    match (&a.code, &b.code) {
        (Some(ac), Some(bc)) => {
            bc.starts_with(ac.as_str())
                && (bc.len() > ac.len() || (b.kind == RowKind::Detail && a.unit_code.is_none()))
        }
        // A unit's row holds that unit's rows, never another unit's row (two units without
        // a code share the empty one).
        (None, None) if b.kind == RowKind::Subtotal => false,
        (None, _) => a.unit_code.is_some() && a.unit_code == b.unit_code,
        (Some(_), None) => false,
    }
}

impl Table {
    /// For every row, the rows it adds up (a 合计 row its top level, a 类 row its 款 rows, a
    /// project group its projects), from the codes; empty for a detail row.
    pub fn children(&self) -> Hierarchy {
        children(&self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: RowKind, code: Option<&str>, unit: Option<&str>) -> Row {
        let mut r = Row::new(kind, "x");
        r.code = code.map(str::to_owned);
        r.unit_code = unit.map(str::to_owned);
        r
    }

    #[test]
    fn functional_hierarchy_sums_each_level_once() {
        use RowKind::*;
        let rows = vec![
            row(Total, None, None),
            row(Subtotal, Some("205"), None),
            row(Subtotal, Some("20508"), None),
            row(Detail, Some("2050803"), None),
            row(Subtotal, Some("208"), None),
            row(Subtotal, Some("20801"), None),
            row(Detail, Some("2080108"), None),
            row(Detail, Some("2080199"), None),
            row(Subtotal, Some("20805"), None),
            row(Detail, Some("2080505"), None),
        ];
        let c = children(&rows);
        assert_eq!(c[0], vec![1, 4]);
        assert_eq!(c[1], vec![2]);
        assert_eq!(c[4], vec![5, 8]);
        assert_eq!(c[5], vec![6, 7]);
        assert_eq!(c[8], vec![9]);
        assert!(c[3].is_empty());
    }

    #[test]
    fn many_total_rows_share_one_top_level() {
        use RowKind::*;
        let n = 200_000;
        let rows: Vec<Row> = (0..n)
            .map(|i| {
                if i % 2 == 0 {
                    row(Total, None, None)
                } else {
                    row(Detail, Some("2050803"), None)
                }
            })
            .collect();
        let c = children(&rows);
        assert_eq!(c[0].len(), n / 2);
        assert!(std::ptr::eq(c.of(0), c.of(n - 2)), "one shared list");
    }

    #[test]
    fn project_groups_share_the_code_of_their_projects() {
        use RowKind::*;
        let rows = vec![
            row(Total, None, None),
            row(Subtotal, Some("2080108"), None),
            row(Detail, Some("2080108"), Some("313603")),
            row(Detail, Some("2080108"), Some("313603")),
            row(Subtotal, Some("2080199"), None),
            row(Detail, Some("2080199"), Some("313603")),
        ];
        let c = children(&rows);
        assert_eq!(c[0], vec![1, 4]);
        assert_eq!(c[1], vec![2, 3]);
        assert_eq!(c[4], vec![5]);
    }

    #[test]
    fn economic_items_with_and_without_sub_items() {
        use RowKind::*;
        let rows = vec![
            row(Total, None, None),
            row(Subtotal, Some("301"), None),
            row(Detail, Some("30101"), None),
            row(Subtotal, Some("30102"), None),
            row(Detail, Some("3010201"), None),
            row(Detail, Some("3010203"), None),
            row(Detail, Some("30107"), None),
        ];
        let c = children(&rows);
        assert_eq!(c[0], vec![1]);
        assert_eq!(c[1], vec![2, 3, 6]);
        assert_eq!(c[3], vec![4, 5]);
    }

    #[test]
    fn unit_rows_group_projects_by_unit() {
        use RowKind::*;
        let rows = vec![
            row(Subtotal, None, Some("313603")),
            row(Detail, None, Some("313603")),
            row(Detail, None, Some("313603")),
            row(Subtotal, None, Some("313604")),
            row(Detail, None, Some("313604")),
        ];
        let c = children(&rows);
        assert_eq!(c[0], vec![1, 2]);
        assert_eq!(c[3], vec![4]);
    }
}
