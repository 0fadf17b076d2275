//! The reconciliation rules (勾稽关系) of an edition: rule ids for the sums within each table,
//! and the rules across tables as comparisons of quantities.

use super::raw::{
    RawCauseRule, RawCheck, RawQuantity, RawSameNames, RawSummary, RawTablesRule, RawTerms,
};
use super::{ColumnKind, Layout, Segment, TableSpec};
use rust_decimal::Decimal;
use std::str::FromStr;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Must be corrected before publication.
    Error,
    /// To be looked at; real budgets may legitimately differ.
    Warning,
}

impl Severity {
    pub(super) fn parse(s: Option<&str>) -> Result<Severity, String> {
        match s {
            None | Some("error") => Ok(Severity::Error),
            Some("warning") => Ok(Severity::Warning),
            Some(other) => Err(format!("未知的严重程度“{other}”（error 或 warning）")),
        }
    }

    /// The Chinese word for the severity.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

/// A rule across tables: `left` = `right`, key by key.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSpec {
    /// Rule id, e.g. `R2.1`.
    pub id: String,
    /// Error or warning.
    pub severity: Severity,
    /// What the rule says, in Chinese.
    pub description: String,
    /// Quantities added up on the left.
    pub left: Vec<Quantity>,
    /// How the left side must stand to the right: equal, at most, at least.
    pub relation: Relation,
    /// The right-hand side.
    pub right: Terms,
    /// The rule applies only when these quantities are all zero.
    pub when_zero: Vec<Quantity>,
    /// The rule applies only when the two quantities of each pair are equal (all the income is
    /// 财政拨款: 财政拨款收入 = 收入总计).
    pub when_equal: Vec<[Quantity; 2]>,
}

/// How the two sides of a rule must stand (`relation` in the edition: `=`, `<=`, `>=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Relation {
    /// The two sides are equal (`=`, the default).
    #[default]
    Equal,
    /// The left side is at most the right (`<=`): 机关运行经费 ≤ 公用经费.
    AtMost,
    /// The left side is at least the right (`>=`).
    AtLeast,
}

impl Relation {
    fn parse(text: Option<&str>) -> Result<Relation, String> {
        match text.map(str::trim) {
            None | Some("=" | "==") => Ok(Relation::Equal),
            Some("<=" | "≤") => Ok(Relation::AtMost),
            Some(">=" | "≥") => Ok(Relation::AtLeast),
            Some(other) => Err(format!("relation 应为 =、<= 或 >=，而不是“{other}”")),
        }
    }

    /// Whether `left` stands to `right` as required, a difference up to `tolerance` counting
    /// as equal.
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use yusuan::edition::Relation;
    /// let (two, three) = (Decimal::from(2), Decimal::from(3));
    /// assert!(Relation::AtMost.holds(two, three, Decimal::ZERO));
    /// assert!(!Relation::AtLeast.holds(two, three, Decimal::ZERO));
    /// assert!(Relation::Equal.holds(two, three, Decimal::ONE));
    /// ```
    pub fn holds(self, left: Decimal, right: Decimal, tolerance: Decimal) -> bool {
        let difference = left - right;
        match self {
            Relation::Equal => difference.abs() <= tolerance,
            Relation::AtMost => difference <= tolerance,
            Relation::AtLeast => -difference <= tolerance,
        }
    }

    /// The sign that says how a finding's two sides stand when the relation does not hold.
    pub fn broken(self) -> &'static str {
        match self {
            Relation::Equal => "≠",
            Relation::AtMost => ">",
            Relation::AtLeast => "<",
        }
    }
}

/// The right-hand side of a rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Terms {
    /// Quantities added up.
    Sum(Vec<Quantity>),
    /// A constant for every key of the left side.
    Constant(Decimal),
}

/// A quantity read from the budget: a column of selected rows of one table.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The table's number.
    pub table: u8,
    /// The column key.
    pub column: String,
    /// Which rows, and how they are keyed.
    pub select: Select,
}

/// Which rows a quantity takes, and how they are keyed.
#[derive(Debug, Clone, PartialEq)]
pub enum Select {
    /// A two-sided table's item (one value).
    Item(String),
    /// A two-sided table's class items, by class code.
    ClassItems,
    /// The grand-total row (one value).
    TotalRow,
    /// The rows with this code (one value).
    Code(String),
    /// The rows at this level, by code.
    Level(Segment),
    /// Detail rows added up by the first N characters of the code.
    SumByPrefix(usize),
    /// Detail rows added up by project (unit code and name).
    SumByProject,
    /// All detail rows added up (one value).
    SumAll,
    /// Per project, the values of the indicator lines in the column, added up.
    Lines,
}

/// A rule about whole tables: empty tables carry a note saying so; fixed rows are present.
#[derive(Debug, Clone, PartialEq)]
pub struct TablesRule {
    /// Rule id.
    pub id: String,
    /// Error or warning.
    pub severity: Severity,
    /// What the rule says.
    pub description: String,
    /// The tables it applies to.
    pub tables: Vec<u8>,
    /// The wording of its finding, `{description}` standing for the description (the
    /// edition's `text`; the description alone without it).
    pub text: String,
}

pub(super) fn resolve_rule(raw: &RawCheck, tables: &[TableSpec]) -> Result<RuleSpec, String> {
    let quantities = |terms: &RawTerms| -> Result<Vec<Quantity>, String> {
        terms
            .items()
            .iter()
            .map(|q| resolve_quantity(q, tables))
            .collect()
    };
    if raw.left.items().is_empty() || matches!(&raw.right, RawTerms::Many(v) if v.is_empty()) {
        return Err("left 与 right 都不能为空".into());
    }
    let right = match &raw.right {
        RawTerms::One(q) if q.constant.is_some() => {
            let c = q.constant.as_deref().unwrap_or_default();
            Terms::Constant(Decimal::from_str(c).map_err(|_| format!("常数“{c}”不是数"))?)
        }
        other => Terms::Sum(quantities(other)?),
    };
    Ok(RuleSpec {
        id: raw.id.clone(),
        severity: Severity::parse(raw.severity.as_deref())?,
        description: raw.description.clone(),
        left: quantities(&raw.left)?,
        relation: Relation::parse(raw.relation.as_deref())?,
        right,
        when_zero: raw
            .when_zero
            .iter()
            .map(|q| resolve_quantity(q, tables))
            .collect::<Result<_, _>>()?,
        when_equal: raw
            .when_equal
            .iter()
            .map(|[a, b]| Ok([resolve_quantity(a, tables)?, resolve_quantity(b, tables)?]))
            .collect::<Result<_, String>>()?,
    })
}

/// The rule that one code names one 科目 in every table of a group.
#[derive(Debug, Clone, PartialEq)]
pub struct SameNamesSpec {
    /// Rule id.
    pub id: String,
    /// Error or warning.
    pub severity: Severity,
    /// What the rule says.
    pub description: String,
    /// The tables compared, in order (the first name met is the reference).
    pub tables: Vec<u8>,
    /// Whether the edition's functional classes (类) are the reference for 3-digit codes.
    pub classes: bool,
}

pub(super) fn resolve_same_names(
    raw: &RawSameNames,
    tables: &[TableSpec],
) -> Result<SameNamesSpec, String> {
    for t in &raw.tables {
        if !tables
            .iter()
            .any(|s| s.number == *t && s.column_of(super::ColumnKind::Name).is_some())
        {
            return Err(format!("表{t}不存在或没有名称列"));
        }
    }
    Ok(SameNamesSpec {
        id: raw.id.clone(),
        severity: Severity::parse(raw.severity.as_deref())?,
        description: raw.description.clone(),
        tables: raw.tables.clone(),
        classes: raw.classes,
    })
}

/// A figure of each unit in a batch summary.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryFigure {
    /// Column name in `summary.csv`.
    pub key: String,
    /// Column title in 汇总.xlsx.
    pub label: String,
    /// The figure.
    pub quantity: Quantity,
}

pub(super) fn resolve_summary(
    raw: &RawSummary,
    tables: &[TableSpec],
) -> Result<SummaryFigure, String> {
    Ok(SummaryFigure {
        key: raw.key.clone(),
        label: raw.label.clone(),
        quantity: resolve_quantity(&raw.quantity, tables)?,
    })
}

/// The rule that names the likely cause of several errors: one typed figure that, corrected,
/// clears them all (`[likely_cause]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CauseRule {
    /// Rule id.
    pub id: String,
    /// Error or warning.
    pub severity: Severity,
    /// What the rule says.
    pub description: String,
    /// The finding's words: `{actual}` the figure typed, `{expected}` the figure the other
    /// tables imply, `{count}` the errors it explains.
    pub text: String,
}

pub(super) fn resolve_cause_rule(raw: &RawCauseRule) -> Result<CauseRule, String> {
    Ok(CauseRule {
        id: raw.id.clone(),
        severity: Severity::parse(raw.severity.as_deref())?,
        description: raw.description.clone(),
        text: raw.text.clone(),
    })
}

pub(super) fn resolve_tables_rule(raw: &RawTablesRule) -> Result<TablesRule, String> {
    Ok(TablesRule {
        id: raw.id.clone(),
        severity: Severity::parse(raw.severity.as_deref())?,
        description: raw.description.clone(),
        tables: raw.tables.clone(),
        text: raw
            .text
            .clone()
            .unwrap_or_else(|| "{description}".to_owned()),
    })
}

pub(super) fn resolve_quantity(
    raw: &RawQuantity,
    tables: &[TableSpec],
) -> Result<Quantity, String> {
    let number = raw.table.ok_or("数量缺少 table")?;
    let spec = tables
        .iter()
        .find(|t| t.number == number)
        .ok_or_else(|| format!("表{number}不存在"))?;
    let key = raw.column.as_deref().ok_or("数量缺少 column")?;
    let col = spec
        .find_column(key)
        .ok_or_else(|| format!("表{number}没有“{key}”列"))?;
    let column = &spec.columns[col];
    if !matches!(column.kind, ColumnKind::Amount | ColumnKind::LineNumber) {
        return Err(format!("表{number}的“{key}”列不是数值列"));
    }
    let two_sided = |what: &str| match &spec.layout {
        Layout::TwoSided(ts) => Ok(ts),
        _ => Err(format!("表{number}不是双栏表，不能用 {what}")),
    };
    let level = |s: &str| match s {
        "类" => Ok(Segment::Class),
        "款" => Ok(Segment::Section),
        "项" => Ok(Segment::Item),
        other => Err(format!("未知的科目级次“{other}”")),
    };
    let chosen = [
        raw.item.is_some(),
        raw.items.is_some(),
        raw.row.is_some(),
        raw.code.is_some(),
        raw.level.is_some(),
        raw.sum_by.is_some(),
        raw.lines.is_some(),
    ];
    if chosen.iter().filter(|&&c| c).count() != 1 {
        return Err(format!(
            "表{number}“{key}”的数量须且只须给出 item、items、row、code、level、sum_by、lines 之一"
        ));
    }
    let select = if let Some(id) = &raw.item {
        let ts = two_sided("item")?;
        let side = column.side.unwrap_or(0);
        if !ts.items.iter().any(|i| i.side == side && &i.id == id) {
            return Err(format!(
                "表{number}“{}”方没有项目“{id}”",
                ts.sides[side].name
            ));
        }
        Select::Item(id.clone())
    } else if let Some(items) = &raw.items {
        two_sided("items")?;
        if items != "classes" {
            return Err(format!("items 只能是 \"classes\"，而不是“{items}”"));
        }
        Select::ClassItems
    } else if let Some(row) = &raw.row {
        if row != "total" {
            return Err(format!("row 只能是 \"total\"，而不是“{row}”"));
        }
        Select::TotalRow
    } else if let Some(code) = &raw.code {
        Select::Code(code.clone())
    } else if let Some(l) = &raw.level {
        Select::Level(level(l)?)
    } else if let Some(by) = &raw.sum_by {
        match by.as_str() {
            "project" => Select::SumByProject,
            "all" => Select::SumAll,
            other => Select::SumByPrefix(level(other)?.end()),
        }
    } else {
        Select::Lines
    };
    Ok(Quantity {
        table: number,
        column: column.key.clone(),
        select,
    })
}
