//! The likely cause of several errors: one typed figure that, corrected to the value the other
//! tables imply, clears them all.
//!
//! A typo in one cell of a detail row shows up wherever that figure is added up: the row's
//! total, the table's 合计, every table that repeats it. Each of those errors is at a total —
//! often a correct cell, or a formula of the template — and differs by the same amount. So the
//! errors are grouped by the size of their difference; for a group of two or more, each typed
//! figure related to every error of the group is tried corrected by that difference, alone or
//! together with the totals above it that follow it (a formula, or a total the clerk added up
//! from the typo), and the checks run again. A figure whose correction clears the whole group
//! and makes no new error is the likely cause — when exactly one figure does; otherwise the
//! rules cannot tell, and nothing is said.
//!
//! The search is bounded, so that a budget with many errors costs no more than a few checks:
//! it runs on budgets of a unit's size with a few dozen errors, tries a bounded number of
//! figures, and gives up rather than guess.

use super::finding::{Finding, Options, Place};
use crate::edition::{CauseRule, Edition, Layout, Severity, TableSpec, Terms};
use crate::model::hierarchy;
use crate::model::{Budget, Row, RowKind};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Errors beyond which no single figure is looked for.
const MAX_ERRORS: usize = 64;
/// Rows beyond which no single figure is looked for (a unit has a few hundred).
const MAX_ROWS: usize = 5_000;
/// Figures tried for one group of errors; more candidates than this: the rules cannot tell.
const MAX_CANDIDATES: usize = 160;
/// Groups of errors tried, largest first.
const MAX_GROUPS: usize = 3;
/// Rows checked again, over all the corrections tried (a unit of 200 rows: 1,000 checks; the
/// largest budget searched, 40): past them the search gives up.
const MAX_WORK: usize = 200_000;

/// One amount of the model: table index, row index, column index.
type Cell = (usize, usize, usize);

/// The checks run again on a budget with some columns (table number, column key) changed:
/// the findings of the rules those columns can affect.
pub(super) type Recheck<'a> = dyn Fn(&Budget, &[(u8, &str)]) -> Vec<Finding> + 'a;

/// What identifies a finding across runs of the checks on a changed budget.
type Key = (String, u8, Option<usize>, String);

fn key(f: &Finding) -> Key {
    (
        f.rule.clone(),
        f.place.table,
        f.place.row,
        f.place.column.clone(),
    )
}

/// The finding naming the likely cause of several errors, if one typed figure explains them.
pub(super) fn likely_cause(
    edition: &Edition,
    budget: &Budget,
    findings: &[Finding],
    options: &Options,
    recheck: &Recheck<'_>,
) -> Option<Finding> {
    let rule = edition.likely_cause.as_ref()?;
    let errors: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error && f.expected.is_some() && f.actual.is_some())
        .collect();
    let rows: usize = budget.tables.iter().map(|t| t.rows.len()).sum();
    if errors.len() < 2 || errors.len() > MAX_ERRORS || rows > MAX_ROWS {
        return None;
    }
    let mut groups: BTreeMap<Decimal, Vec<&Finding>> = BTreeMap::new();
    for f in &errors {
        let delta = (f.actual? - f.expected?).abs().normalize();
        if delta > options.tolerance {
            groups.entry(delta).or_default().push(f);
        }
    }
    let mut groups: Vec<(Decimal, Vec<&Finding>)> =
        groups.into_iter().filter(|(_, g)| g.len() >= 2).collect();
    groups.sort_by_key(|(_, g)| std::cmp::Reverse(g.len()));
    let before: HashSet<Key> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(key)
        .collect();
    let mut rechecks = MAX_WORK / rows.max(1);
    let structure = Structure::of(edition, budget);
    // The budget tried corrected: each correction made, checked, and undone.
    let mut work = budget.clone();
    for (delta, group) in groups.into_iter().take(MAX_GROUPS) {
        let candidates: Vec<Cell> = structure
            .cells()
            .filter(|&cell| {
                let followers = structure.followers(cell, true);
                group.iter().all(|f| structure.related(&followers, f))
            })
            .take(MAX_CANDIDATES + 1)
            .collect();
        if candidates.len() > MAX_CANDIDATES {
            continue;
        }
        let gone: HashSet<Key> = group.iter().map(|f| key(f)).collect();
        let mut found: Vec<(Cell, Decimal)> = Vec::new();
        for &cell in &candidates {
            // The variants that change different cells (a total holds no total above it).
            let mut variants: Vec<Vec<Cell>> = Vec::new();
            for follow in [Follow::Alone, Follow::Row, Follow::All] {
                let cells = structure.changes(cell, follow);
                if !variants.contains(&cells) {
                    variants.push(cells);
                }
            }
            'tries: for change in [-delta, delta] {
                for cells in &variants {
                    if rechecks == 0 {
                        return None;
                    }
                    rechecks -= 1;
                    // The rules of the changed columns, and those of the group's findings
                    // (each must be seen to clear).
                    let mut touched = structure.columns_of(cells);
                    for p in group
                        .iter()
                        .flat_map(|f| std::iter::once(&f.place).chain(&f.other))
                    {
                        if !touched.contains(&(p.table, p.column.as_str())) {
                            touched.push((p.table, p.column.as_str()));
                        }
                    }
                    Structure::shift(&mut work, cells, change, &structure);
                    let after = recheck(&work, &touched);
                    Structure::shift(&mut work, cells, -change, &structure);
                    let clears = after
                        .iter()
                        .filter(|f| f.severity == Severity::Error)
                        .all(|f| before.contains(&key(f)) && !gone.contains(&key(f)));
                    if clears {
                        found.push((cell, change));
                        break 'tries;
                    }
                }
            }
        }
        if let [(cell, change)] = found[..] {
            return Some(structure.finding(rule, budget, cell, change, group.len()));
        }
    }
    None
}

/// Which totals change with a figure tried corrected: none (the totals were typed right), its
/// row's total columns (formulas across the row; the 合计 over the detail rows), or those and
/// the rows above it (formulas, or totals the clerk added up from the typo).
#[derive(Debug, Clone, Copy)]
enum Follow {
    Alone,
    Row,
    All,
}

/// How the amounts of a budget add up: for each table, its spec, the parent rows of each row
/// and the total columns over each column — what follows a figure when it changes — and the
/// columns each rule across tables reads.
struct Structure<'a> {
    budget: &'a Budget,
    tables: Vec<Option<TableStructure<'a>>>,
    /// For each rule across tables, the columns its quantities read (table number, key).
    terms: HashMap<&'a str, Vec<(u8, &'a str)>>,
}

struct TableStructure<'a> {
    spec: &'a TableSpec,
    /// For each row, the rows that add it up, nearest first (subtotals, then the 合计).
    above: Vec<Vec<usize>>,
    /// For each column, the total columns that add it up (directly or through others).
    totals: Vec<Vec<usize>>,
}

impl<'a> Structure<'a> {
    fn of(edition: &'a Edition, budget: &'a Budget) -> Structure<'a> {
        let tables = budget
            .tables
            .iter()
            .map(|table| {
                let spec = edition.table(table.number)?;
                Some(TableStructure {
                    spec,
                    above: rows_above(spec, &table.rows),
                    totals: columns_above(spec),
                })
            })
            .collect();
        let mut terms: HashMap<&str, Vec<(u8, &str)>> = HashMap::new();
        for rule in &edition.rules {
            let right = match &rule.right {
                Terms::Sum(q) => &q[..],
                Terms::Constant(_) => &[],
            };
            terms.entry(rule.id.as_str()).or_default().extend(
                rule.left
                    .iter()
                    .chain(right)
                    .chain(&rule.when_zero)
                    .chain(rule.when_equal.iter().flatten())
                    .map(|q| (q.table, q.column.as_str())),
            );
        }
        Structure {
            budget,
            tables,
            terms,
        }
    }

    /// Every amount the budget holds.
    fn cells(&self) -> impl Iterator<Item = Cell> + '_ {
        self.budget
            .tables
            .iter()
            .enumerate()
            .filter_map(|(t, table)| Some((t, table, self.tables[t].as_ref()?)))
            .flat_map(|(t, table, s)| {
                table.rows.iter().enumerate().flat_map(move |(r, row)| {
                    s.spec
                        .amount_columns()
                        .filter(|&c| row.amounts.contains_key(&s.spec.columns[c].key))
                        .map(move |c| (t, r, c))
                })
            })
    }

    /// The cell and the totals that follow it: its row's total columns and, with `above`, the
    /// rows above it in its column and in those total columns.
    fn followers(&self, (t, r, c): Cell, above: bool) -> Vec<Cell> {
        let Some(s) = &self.tables[t] else {
            return Vec::new();
        };
        let columns: Vec<usize> = std::iter::once(c)
            .chain(s.totals[c].iter().copied())
            .collect();
        let above = if above { &s.above[r][..] } else { &[] };
        let rows = std::iter::once(r).chain(above.iter().copied());
        rows.flat_map(|row| columns.iter().map(move |&col| (t, row, col)))
            .collect()
    }

    /// Whether a finding names a cell or a total that follows it (`followers`), by its row or
    /// column.
    fn related(&self, followers: &[Cell], f: &Finding) -> bool {
        followers.iter().any(|&(t, r, c)| {
            let Some(s) = &self.tables[t] else {
                return false;
            };
            let number = self.budget.tables[t].number;
            let column = &s.spec.columns[c].key;
            let touches = |p: &Place| {
                p.table == number
                    && (p.column == *column
                        || p.row
                            .is_some_and(|first| (first..=p.through.unwrap_or(first)).contains(&r)))
            };
            let read = || {
                self.terms
                    .get(f.rule.as_str())
                    .is_some_and(|list| list.contains(&(number, column.as_str())))
            };
            touches(&f.place) || f.other.as_ref().is_some_and(touches) || read()
        })
    }

    /// The cells that change with `cell`, as `follow` says, among those holding a figure.
    fn changes(&self, cell: Cell, follow: Follow) -> Vec<Cell> {
        let cells = match follow {
            Follow::Alone => vec![cell],
            Follow::Row => self.followers(cell, false),
            Follow::All => self.followers(cell, true),
        };
        cells
            .into_iter()
            .filter(|&(t, r, c)| {
                self.tables[t].as_ref().is_some_and(|s| {
                    self.budget.tables[t].rows[r]
                        .amounts
                        .contains_key(&s.spec.columns[c].key)
                })
            })
            .collect()
    }

    /// The columns (table number, key) the cells stand in: what a change of them can affect.
    fn columns_of(&self, cells: &[Cell]) -> Vec<(u8, &'a str)> {
        let mut out: Vec<(u8, &str)> = Vec::new();
        for &(t, _, c) in cells {
            if let Some(s) = &self.tables[t] {
                let column = (self.budget.tables[t].number, s.spec.columns[c].key.as_str());
                if !out.contains(&column) {
                    out.push(column);
                }
            }
        }
        out
    }

    /// Adds `change` to `cells` of `budget` (the same budget as `structure`'s, or a copy).
    fn shift(budget: &mut Budget, cells: &[Cell], change: Decimal, structure: &Structure<'_>) {
        for &(t, r, c) in cells {
            let Some(s) = &structure.tables[t] else {
                continue;
            };
            let key = &s.spec.columns[c].key;
            if let Some(v) = budget.tables[t].rows[r].amounts.get_mut(key) {
                *v += change;
            }
        }
    }

    fn finding(
        &self,
        rule: &CauseRule,
        budget: &Budget,
        (t, r, c): Cell,
        change: Decimal,
        count: usize,
    ) -> Finding {
        let table = &budget.tables[t];
        let key = self.tables[t]
            .as_ref()
            .map(|s| s.spec.columns[c].key.clone())
            .unwrap_or_default();
        let actual = table.rows[r].amount(&key);
        let expected = actual + change;
        Finding {
            rule: rule.id.clone(),
            severity: rule.severity,
            place: Place {
                table: table.number,
                row: Some(r),
                column: key,
                through: None,
            },
            other: None,
            expected: Some(expected),
            actual: Some(actual),
            text: rule
                .text
                .replace("{actual}", &super::finding::show(actual))
                .replace("{expected}", &super::finding::show(expected))
                .replace("{count}", &count.to_string()),
        }
    }
}

/// For each row, the rows that add it up, nearest first: the subtotals over it and the 合计 of
/// a coded table; the total items over an item of a two-sided table.
fn rows_above(spec: &TableSpec, rows: &[Row]) -> Vec<Vec<usize>> {
    let mut parent: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    match &spec.layout {
        Layout::TwoSided(ts) => {
            let row_of = |item: usize| {
                let it = &ts.items[item];
                rows.iter().position(|row| {
                    row.side.as_deref() == Some(ts.sides[it.side].name.as_str())
                        && row.item.as_deref() == Some(it.id.as_str())
                })
            };
            let rows_of: Vec<Option<usize>> = (0..ts.items.len()).map(row_of).collect();
            for (i, item) in ts.items.iter().enumerate() {
                for &part in &item.sum_of {
                    if let (Some(p), Some(r)) = (rows_of[part], rows_of[i]) {
                        parent[p].push(r);
                    }
                }
            }
        }
        Layout::Coded(_) | Layout::Projects => {
            let children = hierarchy::children(rows);
            for (r, kids) in children.iter().enumerate() {
                for &k in kids {
                    parent[k].push(r);
                }
            }
        }
    }
    // Ancestors, nearest first, at most MAX_DEPTH. Parents stand before their children in a
    // coded table; the items of a two-sided table are nested as the edition describes them.
    let mut above: Vec<Option<Vec<usize>>> = vec![None; rows.len()];
    for r in 0..rows.len() {
        ancestors(r, &parent, &mut above);
    }
    above
        .into_iter()
        .enumerate()
        .map(|(r, list)| match rows[r].kind {
            RowKind::Total => Vec::new(),
            _ => list.unwrap_or_default(),
        })
        .collect()
}

/// Levels of totals followed above a figure (a 项 under its 款, 类 and 合计 needs four).
const MAX_DEPTH: usize = 8;

/// The ancestors of row `r`, nearest first, each once, at most [`MAX_DEPTH`]; memoized in
/// `above`. The parents of a coded table's row stand before it, so visiting rows in order
/// finds them memoized (no recursion); a two-sided table's items nest a few levels.
fn ancestors(r: usize, parent: &[Vec<usize>], above: &mut [Option<Vec<usize>>]) {
    if above[r].is_some() {
        return;
    }
    // Marked before the parents are visited: a cycle, which an edition cannot describe, ends.
    above[r] = Some(Vec::new());
    let mut list: Vec<usize> = parent[r].clone();
    for &p in &parent[r] {
        ancestors(p, parent, above);
        list.extend(above[p].iter().flatten().copied());
    }
    let mut seen = HashSet::new();
    list.retain(|x| seen.insert(*x));
    list.truncate(MAX_DEPTH);
    above[r] = Some(list);
}

/// For each column, the total columns that add it up, directly or through other totals.
fn columns_above(spec: &TableSpec) -> Vec<Vec<usize>> {
    let n = spec.columns.len();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (c, list) in out.iter_mut().enumerate() {
        let mut frontier = vec![c];
        while let Some(x) = frontier.pop() {
            for (t, col) in spec.columns.iter().enumerate() {
                if col.sum_of.contains(&x) && !list.contains(&t) {
                    list.push(t);
                    frontier.push(t);
                }
            }
        }
    }
    out
}
