//! Rules across tables: two quantities compared key by key (by class code, by project, or a
//! single value), and the rule that empty tables say so.

use super::cap::Findings;
use super::finding::{Finding, Options, Place, show};
use crate::edition::{Edition, Quantity, RuleSpec, Select, TablesRule, Terms};
use crate::model::{Budget, Row, RowKind, Table};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

/// One value of a quantity, with where it comes from and how to name it.
#[derive(Debug, Clone)]
struct Entry {
    value: Decimal,
    place: Option<Place>,
    label: String,
}

type Values = BTreeMap<String, Entry>;

fn add(values: &mut Values, key: String, value: Decimal, place: Option<Place>, label: String) {
    let entry = values.entry(key).or_insert(Entry {
        value: Decimal::ZERO,
        place: None,
        label,
    });
    entry.value += value;
    match (&mut entry.place, place) {
        (None, place) => entry.place = place,
        // A value added up over several rows: the place spans them.
        (Some(first), Some(next)) if first.table == next.table && next.row > first.row => {
            first.through = next.row;
        }
        _ => {}
    }
}

/// The values of a quantity; `None` when it reads a fixed row (a total item, a 合计 row) that
/// the input does not have: absent, not zero.
fn evaluate(q: &Quantity, budget: &Budget, edition: &crate::edition::Edition) -> Option<Values> {
    let mut values = Values::new();
    let Some(table) = budget.table(q.table) else {
        return Some(values);
    };
    let spec = edition.table(q.table);
    let side = spec.and_then(|spec| {
        let col = spec.find_column(&q.column)?;
        match (&spec.layout, spec.columns[col].side) {
            (crate::edition::Layout::TwoSided(ts), Some(s)) => Some(ts.sides[s].name.clone()),
            _ => None,
        }
    });
    for (r, row) in table.rows.iter().enumerate() {
        if side.is_some() && row.side != side {
            continue;
        }
        let Some((key, label)) = select(&q.select, row) else {
            continue;
        };
        // A project without indicator lines (none given, as from facts.csv) has no weights to
        // add up: absent, not zero.
        if q.select == Select::Lines && row.lines.is_empty() {
            continue;
        }
        let value = match q.select {
            Select::Lines => row
                .lines
                .iter()
                .filter_map(|l| l.get(&q.column))
                .filter_map(|v| Decimal::from_str(v).ok())
                .sum(),
            // Compared across tables in the edition's unit (a table may have its own).
            _ => edition.in_edition_unit(q.table, row.amount(&q.column)),
        };
        let place = Some(Place {
            table: q.table,
            row: Some(r),
            column: q.column.clone(),
            through: None,
        });
        add(&mut values, key, value, place, label);
        if q.select == Select::TotalRow {
            break; // the grand total, once
        }
    }
    if values.is_empty() && spec.is_some_and(|spec| fixed_row_missing(spec, table, &q.select)) {
        return None;
    }
    Some(values)
}

/// Whether a quantity names a fixed row that the table lacks: a total item of a two-sided
/// table, or the 合计 row of a table that has rows.
fn fixed_row_missing(spec: &crate::edition::TableSpec, table: &Table, select: &Select) -> bool {
    match (select, &spec.layout) {
        (Select::Item(id), crate::edition::Layout::TwoSided(ts)) => ts
            .items
            .iter()
            .any(|it| it.id == *id && !it.sum_of.is_empty()),
        (Select::TotalRow, _) => table.rows.iter().any(|r| r.kind != RowKind::Total),
        _ => false,
    }
}

/// Whether a quantity takes a row, and if so under which key and with which label.
fn select(select: &Select, row: &Row) -> Option<(String, String)> {
    let named = || match &row.code {
        Some(code) => format!("{code} {}", row.name),
        None => row.name.clone(),
    };
    let project = || {
        (
            format!("{}-{}", row.unit_code.as_deref().unwrap_or(""), row.name),
            format!("项目“{}”", row.name),
        )
    };
    let detail = row.kind == RowKind::Detail;
    match select {
        Select::Item(id) => {
            (row.item.as_deref() == Some(id.as_str())).then(|| (String::new(), row.name.clone()))
        }
        Select::ClassItems => {
            (detail && row.code.is_some()).then(|| (row.code.clone().unwrap_or_default(), named()))
        }
        Select::TotalRow => (row.kind == RowKind::Total).then(|| (String::new(), row.name.clone())),
        Select::Code(code) => {
            (row.code.as_deref() == Some(code.as_str())).then(|| (String::new(), named()))
        }
        Select::Level(level) => {
            let code = row
                .code
                .as_ref()
                .filter(|c| row.kind != RowKind::Total && c.len() == level.end())?;
            Some((code.clone(), named()))
        }
        Select::SumByPrefix(n) => {
            let prefix = &row.code.as_ref().filter(|c| detail && c.len() >= *n)?[..*n];
            Some((prefix.to_owned(), prefix.to_owned()))
        }
        Select::SumByProject | Select::Lines => detail.then(project),
        Select::SumAll => detail.then(|| (String::new(), "各行之和".to_owned())),
    }
}

/// The value of a quantity, all keys added up; `None` when it reads a missing fixed row.
pub(crate) fn total(
    q: &Quantity,
    budget: &Budget,
    edition: &crate::edition::Edition,
) -> Option<Decimal> {
    Some(
        evaluate(q, budget, edition)?
            .values()
            .map(|e| e.value)
            .sum(),
    )
}

/// The values of a quantity by key; `None` when it reads a missing fixed row.
pub(crate) fn values(
    q: &Quantity,
    budget: &Budget,
    edition: &crate::edition::Edition,
) -> Option<Vec<(String, Decimal)>> {
    Some(
        evaluate(q, budget, edition)?
            .into_iter()
            .map(|(key, e)| (key, e.value))
            .collect(),
    )
}

/// The values of several quantities added up key by key; `None` if any is absent.
fn evaluate_all(
    qs: &[Quantity],
    budget: &Budget,
    edition: &crate::edition::Edition,
) -> Option<Values> {
    let mut total = Values::new();
    for q in qs {
        for (key, e) in evaluate(q, budget, edition)? {
            add(&mut total, key, e.value, e.place, e.label);
        }
    }
    Some(total)
}

pub(super) fn check_rule(
    edition: &crate::edition::Edition,
    rule: &RuleSpec,
    budget: &Budget,
    options: &Options,
    out: &mut Findings,
) {
    // A condition or a side that reads a missing fixed row: nothing to compare against.
    let applies = rule.when_zero.iter().all(|q| {
        evaluate(q, budget, edition).is_some_and(|v| v.values().all(|e| e.value.is_zero()))
    });
    // Each pair compared whole (every key added up), exactly; a pair with a side absent does
    // not hold.
    let equal = rule.when_equal.iter().all(|[a, b]| {
        match (total(a, budget, edition), total(b, budget, edition)) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        }
    });
    if !applies || !equal {
        return;
    }
    let Some(left) = evaluate_all(&rule.left, budget, edition) else {
        return;
    };
    let (right, constant) = match &rule.right {
        Terms::Sum(qs) => match evaluate_all(qs, budget, edition) {
            Some(values) => (values, None),
            None => return,
        },
        Terms::Constant(c) => (Values::new(), Some(*c)),
    };
    let mut keys: Vec<&String> = left.keys().collect();
    if constant.is_none() {
        keys.extend(right.keys().filter(|k| !left.contains_key(*k)));
    }
    // A quantity with nothing to read (no rows) is zero; where neither side has a place the
    // finding points at the first table of the left side.
    let fallback = Place {
        table: rule.left[0].table,
        row: None,
        column: rule.left[0].column.clone(),
        through: None,
    };
    for key in keys {
        let l = left.get(key);
        let r = right.get(key);
        let actual = l.map_or(Decimal::ZERO, |e| e.value);
        let expected = constant.unwrap_or_else(|| r.map_or(Decimal::ZERO, |e| e.value));
        if rule.relation.holds(actual, expected, options.tolerance) {
            continue;
        }
        let label = l.or(r).map(|e| e.label.as_str()).unwrap_or("");
        let (place, other) = match (
            l.and_then(|e| e.place.clone()),
            r.and_then(|e| e.place.clone()),
        ) {
            (Some(p), o) => (p, o),
            (None, Some(o)) => (o, None),
            (None, None) => (fallback.clone(), None),
        };
        let label = if label.is_empty() {
            String::new()
        } else {
            format!("{label} ")
        };
        out.push(Finding {
            rule: rule.id.clone(),
            severity: rule.severity,
            place,
            other,
            expected: Some(expected),
            actual: Some(actual),
            text: format!(
                "{}：{label}{} {} {}，相差 {}",
                rule.description,
                show(actual),
                rule.relation.broken(),
                show(expected),
                show(actual - expected)
            ),
        });
    }
}

/// Whether a table holds no figures: none but on its totals (a one-row table's row is its
/// figures).
fn is_empty(edition: &Edition, table: &Table) -> bool {
    let single = edition.table(table.number).is_some_and(|s| s.single_row());
    table
        .rows
        .iter()
        .all(|r| (r.kind == RowKind::Total && !single) || r.amounts.is_empty())
}

pub(super) fn check_empty_notes(
    edition: &Edition,
    rule: &TablesRule,
    budget: &Budget,
    out: &mut Findings,
) {
    for &number in &rule.tables {
        let Some(table) = budget.table(number) else {
            continue;
        };
        if is_empty(edition, table) && !table.notes.iter().any(|n| edition.says_empty(n)) {
            let text = rule.text.replace("{description}", &rule.description);
            out.push(Finding::of_table(rule, number, text));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::edition::{Edition, SICHUAN_2023};

    /// The sample checked under the built-in edition with one more rule: 表3's 合计 `relation`
    /// its 基本支出 (the sample has 项目支出 too, so 合计 is larger).
    fn findings_with(relation: &str) -> Vec<crate::check::Finding> {
        let rule = format!(
            "\n[[check]]\nid = \"X1\"\ndescription = \"合计与基本支出\"\n\
             left = {{ table = 3, column = \"合计\", row = \"total\" }}\n\
             relation = \"{relation}\"\n\
             right = {{ table = 3, column = \"基本支出\", row = \"total\" }}\n"
        );
        let edition = Edition::parse(&format!("{SICHUAN_2023}{rule}"), "t").unwrap();
        let sample = "samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx";
        let budget = crate::read::read_input(&edition, sample.as_ref())
            .unwrap()
            .budget;
        crate::check::check(&edition, &budget, &Default::default())
            .into_iter()
            .filter(|f| f.rule == "X1")
            .collect()
    }

    #[test]
    fn a_rule_may_ask_for_at_most_or_at_least() {
        assert!(findings_with(">=").is_empty());
        let broken = findings_with("<=");
        assert_eq!(broken.len(), 1);
        assert_eq!(
            broken[0].text,
            "合计与基本支出：合计 1347.44 > 404.80，相差 942.64"
        );
        assert_eq!(findings_with("=").len(), 1);
        let wrong =
            SICHUAN_2023.replacen("id = \"R2.2\"\n", "id = \"R2.2\"\nrelation = \"<>\"\n", 1);
        let e = Edition::parse(&wrong, "t").unwrap_err().to_string();
        assert!(e.contains("relation 应为 =、<= 或 >="), "{e}");
    }
}
