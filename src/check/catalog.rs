//! The catalogue of rules: every rule the edition defines, with its id, severity, tables and a
//! Chinese description — those across tables as written in the description, those within a
//! table spelled out from the table's structure.

use crate::base::text::compact;
use crate::edition::{Edition, Layout, NarrativeSpec, Severity, StatementKind, TableSpec, Terms};
use serde::Serialize;

/// One rule of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleInfo {
    /// Rule id.
    pub id: String,
    /// Error or warning.
    pub severity: Severity,
    /// The tables it concerns.
    pub tables: Vec<u8>,
    /// What it says.
    pub description: String,
}

impl RuleInfo {
    /// Its tables as people list them: `表1、表3`, runs of three or more as `表1-12`.
    ///
    /// # Examples
    ///
    /// ```
    /// use yusuan::check::RuleInfo;
    /// use yusuan::edition::Severity;
    /// let rule = RuleInfo {
    ///     id: "R16".into(),
    ///     severity: Severity::Warning,
    ///     tables: vec![1, 3, 5, 6, 7, 8, 12],
    ///     description: String::new(),
    /// };
    /// assert_eq!(rule.tables_text(), "表1、表3、表5-8、表12");
    /// ```
    pub fn tables_text(&self) -> String {
        let numbers = &self.tables;
        let mut parts: Vec<String> = Vec::new();
        let mut i = 0;
        while i < numbers.len() {
            let mut j = i;
            while j + 1 < numbers.len() && numbers[j + 1] == numbers[j] + 1 {
                j += 1;
            }
            if j >= i + 2 {
                parts.push(format!("表{}-{}", numbers[i], numbers[j]));
            } else {
                parts.extend(numbers[i..=j].iter().map(|n| format!("表{n}")));
            }
            i = j + 1;
        }
        parts.join("、")
    }
}

/// The lines of `yusuan rules`: id, severity, tables and description, the tables column
/// aligned by display width (a Chinese character takes two columns).
///
/// ```
/// let edition = yusuan::edition::Edition::builtin();
/// let lines = yusuan::check::catalog_lines(&yusuan::check::catalog(&edition));
/// assert!(lines[0].starts_with("R1.1   错误 表1"));
/// ```
pub fn catalog_lines(rules: &[RuleInfo]) -> Vec<String> {
    let tables: Vec<String> = rules.iter().map(RuleInfo::tables_text).collect();
    let width = |t: &str| crate::base::text::display_width(t) as usize;
    let widest = tables.iter().map(|t| width(t)).max().unwrap_or(0);
    rules
        .iter()
        .zip(&tables)
        .map(|(r, t)| {
            format!(
                "{:<6} {} {t}{} {}",
                r.id,
                r.severity.word(),
                " ".repeat(widest - width(t)),
                r.description
            )
        })
        .collect()
}

fn leaf(key: &str) -> &str {
    key.rsplit('/').next().unwrap_or(key)
}

fn within(spec: &TableSpec, out: &mut Vec<RuleInfo>) {
    let title = format!("{}（表{}）", spec.title, spec.number);
    let push = |out: &mut Vec<RuleInfo>, id: &Option<String>, description: String| {
        if let Some(id) = id {
            out.push(RuleInfo {
                id: id.clone(),
                severity: Severity::Error,
                tables: vec![spec.number],
                description,
            });
        }
    };
    let sums: Vec<String> = spec
        .columns
        .iter()
        .filter(|c| !c.sum_of.is_empty())
        .map(|c| {
            let parts: Vec<&str> = c
                .sum_of
                .iter()
                .map(|&p| leaf(&spec.columns[p].key))
                .collect();
            format!("{} = {}", leaf(&c.key), parts.join(" + "))
        })
        .collect();
    push(
        out,
        &spec.checks.rows,
        format!("{title}每行：{}", sums.join("；")),
    );
    let totals = match &spec.layout {
        Layout::TwoSided(ts) => ts
            .items
            .iter()
            .filter(|i| !i.sum_of.is_empty())
            .map(|i| {
                let parts: Vec<String> = i
                    .sum_of
                    .iter()
                    .map(|&j| compact(&ts.items[j].label))
                    .collect();
                let parts = if parts.len() > 4 {
                    format!("{} 等 {} 项之和", parts[0], parts.len())
                } else {
                    parts.join(" + ")
                };
                format!("{}方{} = {parts}", ts.sides[i.side].name, compact(&i.label))
            })
            .collect::<Vec<_>>()
            .join("；"),
        Layout::Coded(_) => "合计行及各级汇总行 = 所属各行之和（每个金额列）".into(),
        Layout::Projects => "单位行预算数 = 所属各项目预算数之和".into(),
    };
    push(out, &spec.checks.totals, format!("{title}：{totals}"));
    if let Layout::TwoSided(ts) = &spec.layout
        && let Some((a, b)) = ts.balance
    {
        let description = format!(
            "{title}：{} = {}",
            compact(&ts.items[a].label),
            compact(&ts.items[b].label)
        );
        push(out, &spec.checks.balance, description);
    }
}

/// Every rule of the edition, in id order (R1.1, R1.2, …, R17).
pub fn catalog(edition: &Edition) -> Vec<RuleInfo> {
    let mut out = Vec::new();
    for spec in &edition.tables {
        within(spec, &mut out);
    }
    for rule in &edition.rules {
        let mut tables: Vec<u8> = rule.left.iter().map(|q| q.table).collect();
        if let Terms::Sum(qs) = &rule.right {
            tables.extend(qs.iter().map(|q| q.table));
        }
        tables.sort_unstable();
        tables.dedup();
        if out.last().is_some_and(|l: &RuleInfo| l.id == rule.id) {
            // One id for several comparisons (R3.3 column by column): listed once.
            let last = out.last_mut().expect("checked");
            last.tables.extend(tables);
            last.tables.sort_unstable();
            last.tables.dedup();
            continue;
        }
        out.push(RuleInfo {
            id: rule.id.clone(),
            severity: rule.severity,
            tables,
            description: rule.description.clone(),
        });
    }
    for rule in &edition.same_names {
        out.push(RuleInfo {
            id: rule.id.clone(),
            severity: rule.severity,
            tables: rule.tables.clone(),
            description: rule.description.clone(),
        });
    }
    for rule in edition
        .empty_notes
        .iter()
        .chain(&edition.missing_rows)
        .chain(&edition.duplicate_tables)
        .chain(&edition.long_texts)
    {
        out.push(RuleInfo {
            id: rule.id.clone(),
            severity: rule.severity,
            tables: rule.tables.clone(),
            description: rule.description.clone(),
        });
    }
    if let Some(rule) = &edition.likely_cause {
        out.push(RuleInfo {
            id: rule.id.clone(),
            severity: rule.severity,
            tables: edition.tables.iter().map(|t| t.number).collect(),
            description: rule.description.clone(),
        });
    }
    // The rules of the tables first, in natural order of their ids (`R9.1` before `R10.2`,
    // `SH-2` before `SH-10`), then the narrative's.
    out.sort_by_cached_key(|r| natural_order(&r.id));
    if let Some(n) = &edition.narrative {
        let mut narrative: Vec<RuleInfo> = n
            .rules
            .iter()
            .map(|rule| RuleInfo {
                id: rule.id.clone(),
                severity: rule.severity,
                tables: narrative_tables(n, rule.kind),
                description: rule.description.clone(),
            })
            .collect();
        narrative.sort_by_cached_key(|r| natural_order(&r.id));
        out.extend(narrative);
    }
    // Tables laid out alike share their ids (表9 and 表11, 表10 and 表12): one entry each.
    let mut merged: Vec<RuleInfo> = Vec::with_capacity(out.len());
    for r in out {
        match merged.last_mut() {
            Some(last) if last.id == r.id => {
                last.tables.extend(r.tables);
                last.description = format!("{}；{}", last.description, r.description);
            }
            _ => merged.push(r),
        }
    }
    merged
}

/// The tables whose figures a narrative rule compares: those of every figure; of figures with
/// a share (N2); of figures a section says may be zero (N3).
fn narrative_tables(n: &NarrativeSpec, kind: StatementKind) -> Vec<u8> {
    let zero: Vec<&str> = n
        .sections
        .iter()
        .filter_map(|s| s.zero.as_ref().map(|(key, _)| key.as_str()))
        .collect();
    let mut tables: Vec<u8> = n
        .figures
        .iter()
        .filter(|f| match kind {
            StatementKind::Share => f.group.is_some(),
            StatementKind::Zero => zero.contains(&f.key.as_str()),
            StatementKind::Amount | StatementKind::Change => true,
        })
        .map(|f| f.quantity.table)
        .collect();
    tables.sort_unstable();
    tables.dedup();
    tables
}

/// One run of a rule id: digits compare as a number, anything else as text.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Run {
    Number(u128),
    Text(String),
}

/// The natural sort key of a rule id: its runs of digits and of other characters, so that
/// `R10.2` comes after `R9.1` and `SH-10` after `SH-2`, whatever the edition's prefix.
fn natural_order(id: &str) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut chars = id.chars().peekable();
    while let Some(&first) = chars.peek() {
        let digit = first.is_ascii_digit();
        let mut run = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_digit() != digit {
                break;
            }
            run.push(c);
            chars.next();
        }
        runs.push(match run.parse::<u128>() {
            Ok(n) if digit => Run::Number(n),
            _ => Run::Text(run),
        });
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_once_in_order() {
        let rules = catalog(&Edition::builtin());
        let ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
        let mut sorted = ids.clone();
        sorted.dedup();
        assert_eq!(ids, sorted, "no id twice");
        assert_eq!(ids.first(), Some(&"R1.1"));
        assert_eq!(ids.last(), Some(&"N4"));
        let n2 = rules.iter().find(|r| r.id == "N2").unwrap();
        assert_eq!(n2.tables, vec![1, 3, 4, 6]);
        let n3 = rules.iter().find(|r| r.id == "N3").unwrap();
        assert_eq!(n3.tables_text(), "表10、表12");
        assert!(ids.contains(&"R19"));
        let r41 = rules.iter().find(|r| r.id == "R4.1").unwrap();
        assert_eq!(
            r41.description,
            "单位支出总表（表3）每行：合计 = 基本支出 + 项目支出"
        );
        let r33 = rules.iter().find(|r| r.id == "R3.3").unwrap();
        assert_eq!(r33.tables, vec![1, 2]);
        assert!(
            rules
                .iter()
                .filter(|r| r.severity == Severity::Warning)
                .all(|r| [
                    "R7.2", "R12.1", "R12.2", "R15", "R16", "R18.1", "R18.2", "R20", "R21", "R22"
                ]
                .contains(&r.id.as_str()))
        );
    }

    #[test]
    fn rule_ids_sort_naturally_whatever_their_prefix() {
        let mut ids = vec![
            "SH-10", "SH-2.1", "R10.2", "SH-2", "R9.1", "A10", "A9", "R16", "R16.1",
        ];
        ids.sort_by_cached_key(|id| natural_order(id));
        assert_eq!(
            ids,
            [
                "A9", "A10", "R9.1", "R10.2", "R16", "R16.1", "SH-2", "SH-2.1", "SH-10"
            ]
        );
    }
}
