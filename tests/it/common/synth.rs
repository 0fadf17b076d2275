//! Synthetic budgets: variations of the sample (unit 313603) with other amounts, consistent
//! across all thirteen tables by construction. For property tests and the batch corpus.

use rust_decimal::Decimal;
use std::collections::BTreeMap;
use yusuan::edition::Edition;
use yusuan::model::{Budget, RowKind};

/// A small deterministic generator (splitmix64).
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// An amount in 万元 with two decimals, between 0.01 and `max_cents` hundredths.
fn cents(rng: &mut Rng, max_cents: u64) -> Decimal {
    Decimal::new(1 + rng.below(max_cents) as i64, 2)
}

/// Splits `total` into `n` positive parts of whole cents (n ≥ 1, total ≥ n cents).
fn split(rng: &mut Rng, total: Decimal, n: usize) -> Vec<Decimal> {
    let total_cents = (total * Decimal::ONE_HUNDRED)
        .trunc()
        .try_into()
        .unwrap_or(0i64);
    let n = n.max(1);
    let weights: Vec<i64> = (0..n).map(|_| 1 + rng.below(1000) as i64).collect();
    let sum: i64 = weights.iter().sum();
    let mut parts: Vec<i64> = weights
        .iter()
        .map(|w| (total_cents - n as i64) * w / sum + 1)
        .collect();
    let assigned: i64 = parts.iter().sum();
    parts[0] += total_cents - assigned;
    parts.into_iter().map(|c| Decimal::new(c, 2)).collect()
}

fn set(row: &mut yusuan::model::Row, key: &str, value: Decimal) {
    if value.is_zero() {
        row.amounts.remove(key);
    } else {
        row.amounts.insert(key.to_owned(), value);
    }
}

/// A variation of `base` (the sample's budget) with random amounts: new 基本/项目 amounts per
/// functional code, spread over the projects and the economic classes as the tables require,
/// then every dependent figure and total derived.
pub fn vary(edition: &Edition, base: &Budget, rng: &mut Rng) -> Budget {
    let mut b = base.clone();
    let table = |b: &Budget, n: u8| b.tables.iter().position(|t| t.number == n).unwrap();
    // 表3: new 基本支出 and 项目支出 where the sample has them.
    let t3 = table(&b, 3);
    let mut basic_total = Decimal::ZERO;
    let mut by_code: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
    for row in b.tables[t3]
        .rows
        .iter_mut()
        .filter(|r| r.kind == RowKind::Detail)
    {
        let basic = if row.amounts.contains_key("基本支出") {
            cents(rng, 5_000_000)
        } else {
            Decimal::ZERO
        };
        let project = if row.amounts.contains_key("项目支出") {
            cents(rng, 5_000_000)
        } else {
            Decimal::ZERO
        };
        set(row, "基本支出", basic);
        set(row, "项目支出", project);
        basic_total += basic;
        by_code.insert(row.code.clone().unwrap_or_default(), (basic, project));
    }
    // 表2 and 表6: all money is 一般公共预算 / 当年财政拨款.
    for (n, key) in [(2u8, "一般公共预算拨款收入"), (6, "当年财政拨款安排")] {
        let t = table(&b, n);
        for row in b.tables[t]
            .rows
            .iter_mut()
            .filter(|r| r.kind == RowKind::Detail)
        {
            if let Some((basic, project)) = row.code.as_ref().and_then(|c| by_code.get(c)) {
                set(row, key, basic + project);
            }
        }
    }
    // 表8: each code's 项目支出 spread over its projects.
    let t8 = table(&b, 8);
    let mut per_code: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, row) in b.tables[t8]
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == RowKind::Detail)
    {
        per_code
            .entry(row.code.clone().unwrap_or_default())
            .or_default()
            .push(i);
    }
    for (code, rows) in per_code {
        let project = by_code.get(&code).map_or(Decimal::ZERO, |p| p.1);
        for (i, part) in rows.iter().zip(split(rng, project, rows.len())) {
            set(&mut b.tables[t8].rows[*i], "金额", part);
        }
    }
    // 表13: each project's 预算数 = its rows in 表8.
    let mut per_project: BTreeMap<String, Decimal> = BTreeMap::new();
    for row in b.tables[t8]
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Detail)
    {
        *per_project.entry(row.name.clone()).or_default() += row.amount("金额");
    }
    let t13 = table(&b, 13);
    for row in b.tables[t13]
        .rows
        .iter_mut()
        .filter(|r| r.kind == RowKind::Detail)
    {
        set(
            row,
            "预算数",
            per_project.get(&row.name).copied().unwrap_or_default(),
        );
    }
    // 表7: the 基本支出 total spread over the economic items (人员经费 or 公用经费, as in the sample).
    let t7 = table(&b, 7);
    let children = b.tables[t7].children();
    let leaves: Vec<usize> = (0..b.tables[t7].rows.len())
        .filter(|&i| b.tables[t7].rows[i].kind != RowKind::Total && children[i].is_empty())
        .collect();
    for (&i, part) in leaves.iter().zip(split(rng, basic_total, leaves.len())) {
        let row = &mut b.tables[t7].rows[i];
        let key = if row.amounts.contains_key("基本支出/人员经费") {
            "基本支出/人员经费"
        } else {
            "基本支出/公用经费"
        };
        row.amounts = Default::default();
        set(row, key, part);
    }
    yusuan::convert::recompute_totals(edition, &mut b);
    // 表5: 表7 at 类/款 level; 表9: 公务接待费 = 表7 30217.
    let economic: BTreeMap<String, yusuan::model::Amounts> = b.tables[table(&b, 7)]
        .rows
        .iter()
        .filter_map(|r| r.code.clone().map(|c| (c, r.amounts.clone())))
        .collect();
    let t5 = table(&b, 5);
    for row in b.tables[t5]
        .rows
        .iter_mut()
        .filter(|r| r.kind != RowKind::Total)
    {
        if let Some(a) = row.code.as_ref().and_then(|c| economic.get(c)) {
            set(
                row,
                "基本支出/人员经费",
                a.get("基本支出/人员经费").copied().unwrap_or_default(),
            );
            set(
                row,
                "基本支出/公用经费",
                a.get("基本支出/公用经费").copied().unwrap_or_default(),
            );
        }
    }
    let reception = economic
        .get("30217")
        .and_then(|a| a.get("基本支出/合计"))
        .copied()
        .unwrap_or_default();
    let t9 = table(&b, 9);
    for row in b.tables[t9]
        .rows
        .iter_mut()
        .filter(|r| r.kind == RowKind::Detail)
    {
        set(row, "当年财政拨款预算安排/公务接待费", reception);
    }
    // 表1 and 表4: income and the classes.
    let grand: Decimal = by_code.values().map(|(a, p)| a + p).sum();
    let mut classes: BTreeMap<String, Decimal> = BTreeMap::new();
    for (code, (a, p)) in &by_code {
        *classes.entry(code[..3].to_owned()).or_default() += a + p;
    }
    for (n, income_item, income_key, class_key) in [
        (1u8, "一般公共预算拨款收入", "收入/预算数", "支出/预算数"),
        (
            4,
            "本年.一般公共预算拨款收入",
            "收入/预算数",
            "支出/一般公共预算",
        ),
    ] {
        let t = table(&b, n);
        for row in &mut b.tables[t].rows {
            if row.item.as_deref() == Some(income_item) {
                set(row, income_key, grand);
            }
            if row.side.as_deref() == Some("支出")
                && row.kind == RowKind::Detail
                && let Some(code) = row.code.clone()
            {
                set(
                    row,
                    class_key,
                    classes.get(&code).copied().unwrap_or_default(),
                );
            }
        }
    }
    yusuan::convert::recompute_totals(edition, &mut b);
    b
}

/// Appends `n` copies of the first project of 表13, named 项目0000, 项目0001, …, each changed by
/// `change`: a department-sized projects table.
pub fn add_projects(budget: &mut Budget, n: usize, change: impl Fn(&mut yusuan::model::Row)) {
    let t13 = budget.tables.iter_mut().find(|t| t.number == 13).unwrap();
    let project = t13
        .rows
        .iter()
        .find(|r| r.kind == RowKind::Detail)
        .unwrap()
        .clone();
    t13.rows.extend((0..n).map(|i| {
        let mut p = project.clone();
        p.name = format!("项目{i:04}");
        change(&mut p);
        p
    }));
}

/// The budget as another unit's: code and name in the 单位 line and in every row of the unit.
pub fn rename_unit(budget: &mut Budget, code: &str, name: &str) {
    let old = budget.code.clone();
    for row in budget.tables.iter_mut().flat_map(|t| t.rows.iter_mut()) {
        if row.unit_code.as_deref() == Some(old.as_str()) {
            row.unit_code = Some(code.to_owned());
            if row.name == budget.name {
                row.name = name.to_owned();
            }
        }
    }
    budget.code = code.to_owned();
    budget.name = name.to_owned();
}

/// The budget with every amount in 元 (ten thousand times its 万元 figures).
pub fn in_yuan(budget: &mut Budget) {
    let factor = Decimal::from(10_000);
    for row in budget.tables.iter_mut().flat_map(|t| t.rows.iter_mut()) {
        for v in row.amounts.values_mut() {
            *v = (*v * factor).normalize();
        }
    }
    budget.amount_unit = "元".into();
}

/// Writes a budget as a workbook in the official layout (as `convert` writes it, unchecked).
pub fn write_workbook(edition: &Edition, budget: &Budget, path: &std::path::Path) {
    use yusuan::convert::{Checked, Formats, Target, write_outputs};
    let dir = path.parent().unwrap();
    std::fs::create_dir_all(dir).unwrap();
    let stem = path.file_stem().unwrap().to_string_lossy();
    let target = Target {
        dir,
        stem: &stem,
        formats: Formats {
            xlsx: true,
            csv: false,
            json: false,
        },
        mode: yusuan::output::WriteMode::Atomic,
        inputs: &[],
    };
    let checked = Checked {
        findings: &[],
        input: None,
        more: &[],
    };
    write_outputs(edition, budget, &checked, &target).unwrap();
}
