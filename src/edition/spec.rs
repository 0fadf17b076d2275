//! The validated description of the tables: what every part of yusuan reads to know a table —
//! its columns and their kinds, its layout (two-sided items, coded rows, projects), its header
//! grid, total columns and the rule ids of its sums.

use super::HeaderGrid;
use super::raw::RawTableChecks;
use crate::base::text::compact;

/// One group of shares (占比) in the 占比分析 sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareSpec {
    /// Title of the group.
    pub title: String,
    /// The table the figures come from.
    pub table: u8,
    /// Which cells are parts and which is the total.
    pub kind: ShareKind,
}

/// How the parts and the total of a share group are found.
#[derive(Debug, Clone, PartialEq)]
pub enum ShareKind {
    /// Rows of one column against a total row.
    Rows {
        /// The column.
        column: usize,
        /// The part rows: item ids, or `None` for the rows the grand total adds up.
        parts: Option<Vec<String>>,
        /// The total row's item id; `None` for the grand total row.
        total: Option<String>,
    },
    /// Columns of the grand-total row against its total column.
    Columns {
        /// The part columns.
        parts: Vec<usize>,
        /// The total column.
        total: usize,
    },
}

/// A functional class (类) of the government classification.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassSpec {
    /// Three-digit code, e.g. `205`.
    pub code: String,
    /// Official name, e.g. `教育支出`.
    pub name: String,
    /// Other names a submission may give it (an earlier year's: `医疗卫生与计划生育支出`).
    pub aliases: Vec<String>,
}

/// Which input rows of a coded table the fillable template's 合计 formula adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TemplateTotal {
    /// Every row.
    #[default]
    All,
    /// The top level: the rows whose cell in this column is empty (`科目编码/款` empty on a 类
    /// row typed with its code, or on a 类 row typed by name only).
    TopWhereEmpty(usize),
    /// The detail rows: the rows whose cell in this column is filled (`科目编码/项` on a 项
    /// row), so that 类 and 款 rows typed by name only, as the published table prints them,
    /// are never added twice.
    DetailWhereFilled(usize),
}

impl TemplateTotal {
    /// The column that tells the rows apart, if any.
    pub fn column(self) -> Option<usize> {
        match self {
            TemplateTotal::All => None,
            TemplateTotal::TopWhereEmpty(c) | TemplateTotal::DetailWhereFilled(c) => Some(c),
        }
    }
}

/// One table of the edition.
#[derive(Debug, Clone)]
pub struct TableSpec {
    /// Official number, 1–13.
    pub number: u8,
    /// Official title, e.g. `单位支出总表`.
    pub title: String,
    /// The entity word in the title (the edition's, `单位`), replaced for other entities.
    pub entity_word: String,
    /// In the fillable template, which input rows the 合计 row adds.
    pub template_total: TemplateTotal,
    /// Values a column accepts, offered as a list in the fillable template (`指标性质`).
    pub choices: std::collections::BTreeMap<usize, Vec<String>>,
    /// Where the edition has a `department_edition`: the key each of its columns has in the
    /// department's table, where not its own (`本年支出/预算数/合计` → `本年支出/预算数`).
    pub department_columns: std::collections::BTreeMap<String, String>,
    /// Other titles accepted when reading.
    pub aliases: Vec<String>,
    /// Text put before the title when written, with `{year}` replaced (`{year}年`).
    pub title_prefix: Option<String>,
    /// Text appended to the title when written, with `{year}` replaced.
    pub title_suffix: Option<String>,
    /// The name of its sheet when written (the title when `None`); at most 31 characters, as
    /// Excel allows.
    pub sheet: Option<String>,
    /// The number format of its amounts, if not the edition's (`#,##0;-#,##0;`: whole 元).
    pub amount_format: Option<String>,
    /// The amount unit of its figures, if not the edition's (Shanghai's “三公” table in 万元
    /// where the others are in 元); see [`super::Edition::unit_of`].
    pub amount_unit: Option<String>,
    /// The note written under the table when it has no data, if not the edition's
    /// (`{year}`: the budget's year; `注：本单位{year}年无政府性基金预算财政拨款安排的预算，故本表为空表。`).
    pub empty_note: Option<String>,
    /// Whether the table carries the entity line above the header.
    pub entity_line: bool,
    /// Whether the entity line and the amount-unit line share one row (the entity at the
    /// left, the unit in the last column), as the edition's `preamble = "one_row"` says.
    pub one_row_preamble: bool,
    /// The header grid.
    pub header: HeaderGrid,
    /// The columns, left to right.
    pub columns: Vec<ColumnSpec>,
    /// Minimum column widths in character units.
    pub widths: Vec<f64>,
    /// The row structure.
    pub layout: Layout,
    /// Rule ids of the sums within the table.
    pub checks: TableChecks,
}

/// One column of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnSpec {
    /// What the column holds.
    pub kind: ColumnKind,
    /// The key of the column: its header path joined with `/` (`基本支出/人员经费`).
    pub key: String,
    /// For a total column, the columns it adds up.
    pub sum_of: Vec<usize>,
    /// For two-sided tables, the side the column belongs to.
    pub side: Option<usize>,
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// One segment of the classification code.
    CodeSegment(Segment),
    /// The whole classification code.
    Code,
    /// The unit code.
    Unit,
    /// The name of the row.
    Name,
    /// Unit code and name in one cell (`313603-四川省…`).
    UnitName,
    /// The item label of a two-sided table.
    Label,
    /// Money.
    Amount,
    /// Free text belonging to a project.
    Text,
    /// Free text of one indicator line.
    Line,
    /// A number of one indicator line.
    LineNumber,
}

/// A segment of a classification code: 类 (3 digits), 款 (2), 项 (2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Segment {
    /// 类.
    Class,
    /// 款.
    Section,
    /// 项 (functional) or sub-item (economic).
    Item,
}

impl Segment {
    /// Characters of the code up to and including this segment.
    pub fn end(self) -> usize {
        match self {
            Segment::Class => 3,
            Segment::Section => 5,
            Segment::Item => 7,
        }
    }

    /// Characters of the code before this segment.
    pub fn start(self) -> usize {
        match self {
            Segment::Class => 0,
            Segment::Section => 3,
            Segment::Item => 5,
        }
    }

    /// The official name of the segment.
    pub fn name(self) -> &'static str {
        match self {
            Segment::Class => "类",
            Segment::Section => "款",
            Segment::Item => "项",
        }
    }

    pub(super) fn parse(s: &str) -> Option<Segment> {
        match s {
            "类" => Some(Segment::Class),
            "款" => Some(Segment::Section),
            "项" => Some(Segment::Item),
            _ => None,
        }
    }
}

/// The classification a coded table is organised by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeScheme {
    /// 功能分类 (205 08 03).
    Functional,
    /// 部门预算支出经济分类 (301 01, sub-items 3010201).
    Economic,
}

/// The row structure of a table.
#[derive(Debug, Clone)]
pub enum Layout {
    /// Fixed items on two sides (收入 | 支出).
    TwoSided(TwoSided),
    /// A grand-total row, then rows keyed by code and/or unit, with subtotals.
    Coded(Coded),
    /// Per unit a total row, then projects with their indicator lines.
    Projects,
}

/// Layout of a two-sided table.
#[derive(Debug, Clone)]
pub struct TwoSided {
    /// The sides, left to right.
    pub sides: Vec<SideSpec>,
    /// The data rows: per row, per side, the item placed there.
    pub rows: Vec<Vec<Option<usize>>>,
    /// All items; `rows` indexes into this.
    pub items: Vec<ItemSpec>,
    /// Two items (one per side) that must be equal: 收入总计 and 支出总计.
    pub balance: Option<(usize, usize)>,
    /// The index in `rows` where the aligned footer rows (totals) begin; the rows above are
    /// each side's items in order.
    pub footer_start: usize,
}

/// One side of a two-sided table.
#[derive(Debug, Clone)]
pub struct SideSpec {
    /// `收入` or `支出`.
    pub name: String,
    /// Column of the item labels.
    pub label_col: usize,
    /// Columns of the amounts.
    pub amount_cols: Vec<usize>,
}

/// A fixed item of a two-sided table.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemSpec {
    /// The side it stands on.
    pub side: usize,
    /// Stable identifier (unique per side), used in the model and by the checks.
    pub id: String,
    /// The label as printed.
    pub label: String,
    /// Other labels a submission may give it (`1、一般公共预算资金`; a class item's are its
    /// class's), matched as the label is.
    pub aliases: Vec<String>,
    /// Functional class code for class rows.
    pub code: Option<String>,
    /// For a total item, the items it adds up (indexes into [`TwoSided::items`]).
    pub sum_of: Vec<usize>,
    /// A class item written only when the budget has a figure for it, the classes written
    /// numbered in sequence (`一、教育支出`, `二、社会保障和就业支出`): `used_only` on the
    /// expansion. `numbered` says whether such a label carries its ordinal.
    pub used_only: Option<bool>,
}

/// Layout of a coded table.
#[derive(Debug, Clone)]
pub struct Coded {
    /// The classification, if the table has code columns.
    pub scheme: Option<CodeScheme>,
    /// Subtotal levels whose rows show only a name (codes are inferred from the rows below).
    pub hidden_subtotals: Vec<Segment>,
    /// Whether the 合计 row is written below the rows it adds up (`total_row = "bottom"`, as
    /// Shanghai publishes) rather than above them (`"top"`, the default). Read either way.
    pub total_at_bottom: bool,
    /// A table of one row of figures and no codes or names (`single_row = true`: the 三公
    /// table of some editions): that row is the table's total.
    pub single_row: bool,
}

impl TableSpec {
    /// Whether the table is one row of figures (`single_row`): its total row is its data.
    pub fn single_row(&self) -> bool {
        matches!(&self.layout, Layout::Coded(c) if c.single_row)
    }

    /// The column holding the given kind, if any.
    pub fn column_of(&self, kind: ColumnKind) -> Option<usize> {
        self.columns.iter().position(|c| c.kind == kind)
    }

    /// Indexes of the amount columns.
    pub fn amount_columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.kind == ColumnKind::Amount)
            .map(|(i, _)| i)
    }

    /// The column with this key, or whose key ends with `/key` when that is unambiguous.
    pub fn find_column(&self, key: &str) -> Option<usize> {
        let key = compact(key);
        if let Some(i) = self.columns.iter().position(|c| c.key == key) {
            return Some(i);
        }
        let suffix = format!("/{key}");
        let mut found = self
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.key.ends_with(&suffix));
        match (found.next(), found.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    }

    /// The code segments present as columns, with their column index, in order.
    pub fn segment_columns(&self) -> Vec<(Segment, usize)> {
        self.columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match c.kind {
                ColumnKind::CodeSegment(s) => Some((s, i)),
                _ => None,
            })
            .collect()
    }

    /// The title for a given entity word, without suffix: `部门收支总表` for a department.
    pub fn entity_title(&self, entity_word: &str) -> String {
        self.title.replacen(&self.entity_word, entity_word, 1)
    }

    /// The title as written for a given entity word and year (`部门` titles for departments).
    pub fn display_title(&self, entity_word: &str, year: u16) -> String {
        let year = year.to_string();
        let mut title = self
            .title_prefix
            .as_ref()
            .map(|p| p.replace("{year}", &year))
            .unwrap_or_default();
        title.push_str(&self.entity_title(entity_word));
        if let Some(suffix) = &self.title_suffix {
            title.push_str(&suffix.replace("{year}", &year));
        }
        title
    }

    /// The name of the table's sheet for a given entity word: the edition's `sheet`, or the
    /// title, cut to Excel's 31 characters.
    pub fn sheet_name(&self, entity_word: &str) -> String {
        let name = match &self.sheet {
            Some(sheet) => sheet.replacen(&self.entity_word, entity_word, 1),
            None => self.entity_title(entity_word),
        };
        name.chars().take(31).collect()
    }
}

/// Rule ids of the sums within one table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableChecks {
    /// Row totals: a total column = Σ its part columns, in every row.
    pub rows: Option<String>,
    /// Column totals: total and subtotal rows (or two-sided total items) = Σ what they add up.
    pub totals: Option<String>,
    /// Two-sided balance: the two items of `balance` are equal.
    pub balance: Option<String>,
}

impl TableChecks {
    pub(super) fn from_raw(raw: &RawTableChecks) -> TableChecks {
        TableChecks {
            rows: raw.rows.clone(),
            totals: raw.totals.clone(),
            balance: raw.balance.clone(),
        }
    }
}
