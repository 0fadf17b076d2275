//! The canonical model: the budget of one entity (unit or department) with its thirteen tables
//! as typed rows. It is what the reader produces, what the writers and checks consume, and what
//! `X.json` holds. See `docs/model.md` for the JSON shape.

mod amounts;
pub(crate) mod hierarchy;
pub mod position;

pub use amounts::Amounts;
pub use hierarchy::Hierarchy;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The budget of one unit (单位) or department (部门).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    /// The edition the budget was read with, e.g. `四川省2023年单位预算`.
    pub edition: String,
    /// Budget year.
    pub year: u16,
    /// `单位` for a unit budget, `部门` for a department budget.
    pub entity_word: String,
    /// The entity's code (6 digits for a unit), as in the 单位 line.
    pub code: String,
    /// The entity's name.
    pub name: String,
    /// The unit of every amount (`万元`).
    pub amount_unit: String,
    /// The thirteen tables in official order.
    pub tables: Vec<Table>,
    /// The sheets of text submitted with the tables (封面, 单位职能, 编制说明 …), in the
    /// edition's order; only those the edition describes and the input has.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub texts: Vec<TextSheet>,
}

/// A sheet of text as submitted: its paragraphs in order (each line of a cell is one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSheet {
    /// The edition's key of the sheet (`explanation`).
    pub key: String,
    /// Its paragraphs: the cells' lines, top to bottom, left to right, blank ones left out.
    pub paragraphs: Vec<String>,
}

/// One table of a budget.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Official number, 1–13.
    pub number: u8,
    /// Official title (without year suffix).
    pub title: String,
    /// Data rows, in order: the grand-total row first for coded tables.
    pub rows: Vec<Row>,
    /// Note lines printed under the table (`说明：此表无数据`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The amount unit of this table's figures where it is not the budget's (the edition
    /// gives the table a unit of its own: Shanghai's “三公” table in 万元).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_unit: Option<String>,
}

/// What a row is in the table's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RowKind {
    /// A grand total (合计) or a total item (本年收入合计): the sum of other rows.
    Total,
    /// A subtotal: a 类 or 款 row, a project group, a unit's total in table 13.
    Subtotal,
    /// A row holding original figures.
    Detail,
}

/// One row of a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The row's role.
    pub kind: RowKind,
    /// For two-sided tables, the side: `收入` or `支出`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub side: Option<String>,
    /// For two-sided tables, the item identifier from the edition description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// Classification code without separators: `2080108` (功能分类 类/款/项) or
    /// `30101`, `3010201` (经济分类).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The unit code the row belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_code: Option<String>,
    /// Name: 科目名称, project name, unit name or item label (whitespace removed for labels).
    pub name: String,
    /// Amounts by column key (header path joined with `/`), in the budget's amount unit.
    /// Empty cells are absent; a zero is absent too (`0`, blank and `-` all mean "nothing").
    #[serde(default, skip_serializing_if = "Amounts::is_empty")]
    pub amounts: Amounts,
    /// Text cells by column key (年度目标).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub texts: BTreeMap<String, String>,
    /// Indicator lines of a project (table 13), each by column key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<BTreeMap<String, String>>,
}

impl Row {
    /// A row of the given kind and name with nothing else set.
    pub fn new(kind: RowKind, name: impl Into<String>) -> Row {
        Row {
            kind,
            side: None,
            item: None,
            code: None,
            unit_code: None,
            name: name.into(),
            amounts: Amounts::new(),
            texts: BTreeMap::new(),
            lines: Vec::new(),
        }
    }

    /// The amount in a column, zero when empty.
    pub fn amount(&self, key: &str) -> Decimal {
        self.amounts.get(key).copied().unwrap_or_default()
    }
}

impl Budget {
    /// An empty budget of the edition: its name, year, entity word and amount unit; no entity,
    /// no tables.
    ///
    /// ```
    /// let edition = yusuan::edition::Edition::builtin();
    /// let budget = yusuan::model::Budget::blank(&edition);
    /// assert_eq!((budget.year, budget.tables.len()), (edition.year, 0));
    /// ```
    pub fn blank(edition: &crate::edition::Edition) -> Budget {
        Budget {
            edition: edition.name.clone(),
            year: edition.year,
            entity_word: edition.entity_word.clone(),
            code: String::new(),
            name: String::new(),
            amount_unit: edition.amount_unit.clone(),
            tables: Vec::new(),
            texts: Vec::new(),
        }
    }

    /// Who the budget is as its entity line names it: `313603-某中心`, or the name alone when
    /// the edition's entity line has no code (`上海市普陀区社会福利院`).
    ///
    /// ```
    /// let mut budget = yusuan::model::Budget::blank(&yusuan::edition::Edition::builtin());
    /// budget.name = "某中心".into();
    /// assert_eq!(budget.who(), "某中心");
    /// budget.code = "313603".into();
    /// assert_eq!(budget.who(), "313603-某中心");
    /// ```
    pub fn who(&self) -> String {
        crate::base::text::who(&self.code, &self.name)
    }

    /// The table with this official number.
    pub fn table(&self, number: u8) -> Option<&Table> {
        self.tables.iter().find(|t| t.number == number)
    }

    /// Writes the canonical JSON text of the budget (pretty-printed, stable) to `out`, without
    /// holding it in memory.
    ///
    /// # Errors
    ///
    /// When `out` fails.
    ///
    /// ```
    /// let edition = yusuan::edition::Edition::builtin();
    /// let budget = yusuan::model::Budget::blank(&edition);
    /// let mut text = Vec::new();
    /// budget.write_json(&mut text)?;
    /// assert!(text.starts_with(b"{\n"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_json(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(out, self).map_err(std::io::Error::from)
    }
}
