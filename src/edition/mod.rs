//! The edition description: one declarative description of the thirteen tables of a budget
//! template (titles, header grids, column kinds, row structure, totals), loaded from TOML.
//!
//! Everything that touches a table — the blank template, the reader, the writers and the
//! checks — works from a [`TableSpec`]; no table has code of its own.

mod header;
mod raw;
mod rules;

pub use header::{HeaderGrid, Rect};
pub use rules::{
    Quantity, RuleSpec, SameNamesSpec, Select, Severity, SummaryFigure, TableChecks, TablesRule,
    Terms,
};

use crate::text::compact;
use raw::{RawEdition, RawItem, RawParts, RawShare, RawTable};
use std::path::Path;

/// The built-in description: the Sichuan 2023 unit-budget template.
pub const SICHUAN_2023: &str = include_str!("../../templates/sichuan-2023.toml");

/// An error in an edition description.
#[derive(Debug, thiserror::Error)]
pub enum EditionError {
    /// The file could not be read.
    #[error("无法读取表样描述 {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The TOML is malformed or has unknown keys.
    #[error("表样描述 {origin} 格式错误: {message}")]
    Syntax {
        /// Where the description came from.
        origin: String,
        /// The parser's message.
        message: String,
    },
    /// The description is well-formed but inconsistent.
    #[error("表样描述 {origin} 中表{table}“{title}”: {message}")]
    Invalid {
        /// Where the description came from.
        origin: String,
        /// Table number.
        table: u8,
        /// Table title.
        title: String,
        /// What is wrong.
        message: String,
    },
}

/// A whole template edition.
#[derive(Debug, Clone)]
pub struct Edition {
    /// Name of the edition, e.g. `四川省2023年单位预算`.
    pub name: String,
    /// Budget year the template is for.
    pub year: u16,
    /// The amount unit of the model and of written workbooks (`万元`).
    pub amount_unit: String,
    /// The word for the budget entity in titles and the entity line (`单位`).
    pub entity_word: String,
    /// Pattern of the entity line: `{entity}：{code}-{name}`.
    pub entity_line: String,
    /// Pattern of the amount-unit line: `金额单位：{unit}`.
    pub amount_unit_line: String,
    /// The note written under an empty table.
    pub empty_note: String,
    /// Label of the grand-total row of coded tables (`合 计`).
    pub total_label: String,
    /// The line under the title of a table that failed its checks.
    pub failed_line: String,
    /// The note on a total whose submitted figure is not the sum of its parts (placeholders
    /// `{submitted}`, `{computed}`, `{rule}`).
    pub mismatch_note: String,
    /// The note on a total of a row the input did not have (`{computed}`, `{rule}`).
    pub derived_note: String,
    /// Functional classes (类) in official order.
    pub functional_classes: Vec<ClassSpec>,
    /// The tables, in official order.
    pub tables: Vec<TableSpec>,
    /// The share groups of the 占比分析 sheet.
    pub shares: Vec<ShareSpec>,
    /// The reconciliation rules across tables.
    pub rules: Vec<RuleSpec>,
    /// The rules that empty tables say so.
    pub empty_notes: Vec<TablesRule>,
    /// Rules that fixed rows (total items, 合计 rows) missing from an input are reported.
    pub missing_rows: Vec<TablesRule>,
    /// Rules that a table found in several files of one unit is reported.
    pub duplicate_tables: Vec<TablesRule>,
    /// The figures of each unit in a batch summary.
    pub summary: Vec<SummaryFigure>,
    /// The rules that one code names one 科目 across tables.
    pub same_names: Vec<SameNamesSpec>,
}

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
}

/// One table of the edition.
#[derive(Debug, Clone)]
pub struct TableSpec {
    /// Official number, 1–13.
    pub number: u8,
    /// Official title, e.g. `单位支出总表`.
    pub title: String,
    /// Other titles accepted when reading.
    pub aliases: Vec<String>,
    /// Text appended to the title when written, with `{year}` replaced.
    pub title_suffix: Option<String>,
    /// Whether the table carries the entity line above the header.
    pub entity_line: bool,
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

    fn parse(s: &str) -> Option<Segment> {
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
    /// Functional class code for class rows.
    pub code: Option<String>,
    /// For a total item, the items it adds up (indexes into [`TwoSided::items`]).
    pub sum_of: Vec<usize>,
}

/// Layout of a coded table.
#[derive(Debug, Clone)]
pub struct Coded {
    /// The classification, if the table has code columns.
    pub scheme: Option<CodeScheme>,
    /// Subtotal levels whose rows show only a name (codes are inferred from the rows below).
    pub hidden_subtotals: Vec<Segment>,
}

impl Edition {
    /// The built-in Sichuan 2023 edition.
    pub fn builtin() -> Edition {
        Edition::parse(SICHUAN_2023, "内置表样").expect("the built-in edition is valid")
    }

    /// Loads an edition description from a TOML file.
    pub fn load(path: &Path) -> Result<Edition, EditionError> {
        let text = std::fs::read_to_string(path).map_err(|source| EditionError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Edition::parse(&text, &path.display().to_string())
    }

    /// Parses and validates an edition description.
    pub fn parse(text: &str, origin: &str) -> Result<Edition, EditionError> {
        let raw: RawEdition = toml::from_str(text).map_err(|e| EditionError::Syntax {
            origin: origin.to_owned(),
            message: e.to_string(),
        })?;
        let classes: Vec<ClassSpec> = raw
            .functional_classes
            .iter()
            .map(|c| ClassSpec {
                code: c.code.clone(),
                name: c.name.clone(),
            })
            .collect();
        let mut tables = Vec::with_capacity(raw.table.len());
        for (i, t) in raw.table.iter().enumerate() {
            let invalid = |message: String| EditionError::Invalid {
                origin: origin.to_owned(),
                table: t.number,
                title: t.title.clone(),
                message,
            };
            if usize::from(t.number) != i + 1 {
                return Err(invalid(format!("表号应为 {}", i + 1)));
            }
            tables.push(resolve_table(t, &classes).map_err(invalid)?);
        }
        let shares = raw
            .shares
            .iter()
            .map(|s| resolve_share(s, &tables, origin))
            .collect::<Result<Vec<_>, _>>()?;
        let syntax = |message: String| EditionError::Syntax {
            origin: origin.to_owned(),
            message,
        };
        let rules = raw
            .check
            .iter()
            .map(|c| {
                rules::resolve_rule(c, &tables).map_err(|m| syntax(format!("规则 {}: {m}", c.id)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let empty_notes = raw
            .empty_note
            .iter()
            .map(|c| {
                rules::resolve_tables_rule(c).map_err(|m| syntax(format!("规则 {}: {m}", c.id)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let missing_rows = raw
            .missing_rows
            .iter()
            .map(|c| {
                rules::resolve_tables_rule(c).map_err(|m| syntax(format!("规则 {}: {m}", c.id)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let duplicate_tables = raw
            .duplicate_tables
            .iter()
            .map(|c| {
                rules::resolve_tables_rule(c).map_err(|m| syntax(format!("规则 {}: {m}", c.id)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let summary = raw
            .summary
            .iter()
            .map(|s| {
                rules::resolve_summary(s, &tables)
                    .map_err(|m| syntax(format!("汇总项 {}: {m}", s.key)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let same_names = raw
            .same_names
            .iter()
            .map(|s| {
                rules::resolve_same_names(s, &tables)
                    .map_err(|m| syntax(format!("规则 {}: {m}", s.id)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let h = raw.edition;
        Ok(Edition {
            name: h.name,
            year: h.year,
            amount_unit: h.amount_unit,
            entity_word: h.entity_word,
            entity_line: h.entity_line,
            amount_unit_line: h.amount_unit_line,
            empty_note: h.empty_note,
            total_label: h.total_label,
            failed_line: h.failed_line,
            mismatch_note: h.mismatch_note,
            derived_note: h.derived_note,
            functional_classes: classes,
            tables,
            shares,
            rules,
            empty_notes,
            missing_rows,
            duplicate_tables,
            summary,
            same_names,
        })
    }

    /// The table with this official number.
    pub fn table(&self, number: u8) -> Option<&TableSpec> {
        self.tables.iter().find(|t| t.number == number)
    }
}

impl TableSpec {
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
        self.title.replacen("单位", entity_word, 1)
    }

    /// The title as written for a given entity word and year (`部门` titles for departments).
    pub fn display_title(&self, entity_word: &str, year: u16) -> String {
        let mut title = self.entity_title(entity_word);
        if let Some(suffix) = &self.title_suffix {
            title.push_str(&suffix.replace("{year}", &year.to_string()));
        }
        title
    }
}

fn resolve_table(t: &RawTable, classes: &[ClassSpec]) -> Result<TableSpec, String> {
    let header = HeaderGrid::parse(&t.header)?;
    if t.columns.len() != header.width() {
        return Err(format!(
            "columns 有 {} 项，表头有 {} 列",
            t.columns.len(),
            header.width()
        ));
    }
    let mut columns = Vec::with_capacity(t.columns.len());
    for (i, kind) in t.columns.iter().enumerate() {
        let kind = parse_kind(kind).ok_or_else(|| format!("未知的列类型“{kind}”"))?;
        columns.push(ColumnSpec {
            kind,
            key: header.paths[i].join("/"),
            sum_of: Vec::new(),
            side: None,
        });
    }
    let mut spec = TableSpec {
        number: t.number,
        title: t.title.clone(),
        aliases: t.aliases.clone(),
        title_suffix: t.title_suffix.clone(),
        entity_line: t.entity_line,
        header,
        columns,
        widths: t.widths.clone(),
        layout: Layout::Projects,
        checks: TableChecks::from_raw(&t.checks),
    };
    for (total, parts) in &t.sums {
        let col = spec
            .find_column(total)
            .ok_or_else(|| format!("sums 中的列“{total}”不存在"))?;
        let mut sum_of = Vec::new();
        for p in parts {
            let pc = spec
                .find_column(p)
                .ok_or_else(|| format!("sums 中的列“{p}”不存在"))?;
            if spec.columns[pc].kind != ColumnKind::Amount || pc == col {
                return Err(format!("sums 中的列“{p}”不是金额列"));
            }
            sum_of.push(pc);
        }
        spec.columns[col].sum_of = sum_of;
    }
    spec.layout = match t.layout.as_str() {
        "two_sided" => Layout::TwoSided(resolve_two_sided(t, &mut spec, classes)?),
        "coded" => Layout::Coded(Coded {
            scheme: match t.code.as_deref() {
                None => None,
                Some("functional") => Some(CodeScheme::Functional),
                Some("economic") => Some(CodeScheme::Economic),
                Some(other) => return Err(format!("未知的科目分类“{other}”")),
            },
            hidden_subtotals: t
                .hidden_subtotals
                .iter()
                .map(|s| Segment::parse(s).ok_or_else(|| format!("未知的科目级次“{s}”")))
                .collect::<Result<_, _>>()?,
        }),
        "projects" => Layout::Projects,
        other => return Err(format!("未知的版式“{other}”")),
    };
    Ok(spec)
}

fn resolve_share(
    s: &RawShare,
    tables: &[TableSpec],
    origin: &str,
) -> Result<ShareSpec, EditionError> {
    let spec = tables
        .iter()
        .find(|t| t.number == s.table)
        .ok_or_else(|| EditionError::Syntax {
            origin: origin.to_owned(),
            message: format!("占比分组“{}”引用了不存在的表{}", s.title, s.table),
        })?;
    let invalid = |message: String| EditionError::Invalid {
        origin: origin.to_owned(),
        table: spec.number,
        title: spec.title.clone(),
        message: format!("占比分组“{}”: {message}", s.title),
    };
    let column = |key: &str| {
        spec.find_column(key)
            .ok_or_else(|| invalid(format!("列“{key}”不存在")))
    };
    let kind = match (&s.column, s.columns.is_empty()) {
        (Some(c), true) => {
            let parts = match &s.parts {
                Some(RawParts::Named(n)) if n == "top_level" => None,
                Some(RawParts::Items(items)) => Some(items.clone()),
                _ => return Err(invalid("parts 应为项目列表或 \"top_level\"".into())),
            };
            ShareKind::Rows {
                column: column(c)?,
                parts,
                total: s.total.clone(),
            }
        }
        (None, false) => ShareKind::Columns {
            parts: s
                .columns
                .iter()
                .map(|c| column(c))
                .collect::<Result<_, _>>()?,
            total: column(
                s.total
                    .as_deref()
                    .ok_or_else(|| invalid("缺少 total 列".into()))?,
            )?,
        },
        _ => {
            return Err(invalid(
                "须给出 column（按行）或 columns（按列）之一".into(),
            ));
        }
    };
    Ok(ShareSpec {
        title: s.title.clone(),
        table: s.table,
        kind,
    })
}

fn parse_kind(s: &str) -> Option<ColumnKind> {
    Some(match s {
        "code" => ColumnKind::Code,
        "unit" => ColumnKind::Unit,
        "name" => ColumnKind::Name,
        "unit_name" => ColumnKind::UnitName,
        "label" => ColumnKind::Label,
        "amount" => ColumnKind::Amount,
        "text" => ColumnKind::Text,
        "line" => ColumnKind::Line,
        "line_number" => ColumnKind::LineNumber,
        _ => ColumnKind::CodeSegment(Segment::parse(s.strip_prefix("code:")?)?),
    })
}

fn resolve_two_sided(
    t: &RawTable,
    spec: &mut TableSpec,
    classes: &[ClassSpec],
) -> Result<TwoSided, String> {
    let mut sides = Vec::new();
    for (s, raw_side) in t.side.iter().enumerate() {
        let name = compact(&raw_side.name);
        let cols: Vec<usize> = (0..spec.columns.len())
            .filter(|&c| spec.header.paths[c].first() == Some(&name))
            .collect();
        let label_col = cols
            .iter()
            .copied()
            .find(|&c| spec.columns[c].kind == ColumnKind::Label)
            .ok_or_else(|| format!("“{name}”方没有项目列"))?;
        let amount_cols: Vec<usize> = cols
            .iter()
            .copied()
            .filter(|&c| spec.columns[c].kind == ColumnKind::Amount)
            .collect();
        for &c in &cols {
            spec.columns[c].side = Some(s);
        }
        sides.push(SideSpec {
            name,
            label_col,
            amount_cols,
        });
    }
    if sides.len() != 2 {
        return Err("双栏表须有收入、支出两方".into());
    }
    let mut items: Vec<ItemSpec> = Vec::new();
    let mut sums: Vec<(usize, &Vec<String>)> = Vec::new();
    let place =
        |items: &mut Vec<ItemSpec>, side: usize, raw: &RawItem| -> Result<Vec<usize>, String> {
            if let Some(list) = &raw.expand {
                if list != "functional_classes" {
                    return Err(format!("未知的展开列表“{list}”"));
                }
                let start = items.len();
                for (n, class) in classes.iter().enumerate() {
                    let label = if raw.numbered {
                        format!("{}、{}", chinese_ordinal(n + 1), class.name)
                    } else {
                        class.name.clone()
                    };
                    items.push(ItemSpec {
                        side,
                        id: class.code.clone(),
                        label,
                        code: Some(class.code.clone()),
                        sum_of: vec![],
                    });
                }
                return Ok((start..items.len()).collect());
            }
            let Some(label) = &raw.label else {
                return Ok(vec![]);
            };
            let id = raw
                .id
                .clone()
                .or_else(|| raw.code.clone())
                .unwrap_or_else(|| compact(label));
            if items.iter().any(|i| i.side == side && i.id == id) {
                return Err(format!("项目标识“{id}”重复"));
            }
            items.push(ItemSpec {
                side,
                id,
                label: label.clone(),
                code: raw.code.clone(),
                sum_of: vec![],
            });
            Ok(vec![items.len() - 1])
        };
    let mut body: Vec<Vec<usize>> = Vec::new();
    for (s, raw_side) in t.side.iter().enumerate() {
        let mut placed = Vec::new();
        for raw in &raw_side.items {
            let idx = place(&mut items, s, raw)?;
            if let [i] = idx[..] {
                sums.push((i, &raw.sum));
            }
            placed.extend(idx);
        }
        body.push(placed);
    }
    let body_len = body.iter().map(Vec::len).max().unwrap_or(0);
    let mut rows: Vec<Vec<Option<usize>>> = (0..body_len)
        .map(|r| body.iter().map(|b| b.get(r).copied()).collect())
        .collect();
    for footer in &t.footer {
        if footer.items.len() != sides.len() {
            return Err("footer 每行须为每一方各给一项（空位写 {}）".into());
        }
        let mut row = Vec::new();
        for (s, raw) in footer.items.iter().enumerate() {
            let idx = place(&mut items, s, raw)?;
            if let [i] = idx[..] {
                sums.push((i, &raw.sum));
            }
            row.push(idx.first().copied());
        }
        rows.push(row);
    }
    for (i, refs) in sums {
        let side = items[i].side;
        let mut sum_of = Vec::new();
        for r in refs {
            if r == "functional_classes" {
                sum_of.extend(
                    items
                        .iter()
                        .enumerate()
                        .filter(|(_, it)| it.side == side && it.code.is_some())
                        .map(|(j, _)| j),
                );
            } else {
                let j = items
                    .iter()
                    .position(|it| it.side == side && &it.id == r)
                    .ok_or_else(|| format!("“{}”的 sum 引用了不存在的项目“{r}”", items[i].id))?;
                sum_of.push(j);
            }
        }
        items[i].sum_of = sum_of;
    }
    let balance = match t.balance.as_slice() {
        [] => None,
        [a, b] => {
            let find = |side: usize, id: &str| {
                items
                    .iter()
                    .position(|it| it.side == side && it.id == id)
                    .ok_or_else(|| format!("balance 引用了不存在的项目“{id}”"))
            };
            Some((find(0, a)?, find(1, b)?))
        }
        _ => return Err("balance 须为收入、支出两方各一个项目".into()),
    };
    Ok(TwoSided {
        sides,
        rows,
        items,
        balance,
    })
}

/// Chinese ordinal numerals as used in item labels: 一, 二, …, 十, 十一, …, 二十八.
pub fn chinese_ordinal(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_owned(),
        10..=99 => {
            let tens = if n / 10 == 1 {
                String::new()
            } else {
                DIGITS[n / 10].to_owned()
            };
            format!("{tens}十{}", DIGITS[n % 10])
        }
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_edition_has_thirteen_tables() {
        let e = Edition::builtin();
        assert_eq!(e.tables.len(), 13);
        assert_eq!(e.functional_classes.len(), 28);
        assert_eq!(e.table(3).unwrap().title, "单位支出总表");
    }

    #[test]
    fn column_keys_are_header_paths() {
        let e = Edition::builtin();
        let t7 = e.table(7).unwrap();
        let keys: Vec<&str> = t7.columns.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(
            keys[4..],
            ["基本支出/合计", "基本支出/人员经费", "基本支出/公用经费"]
        );
        assert_eq!(t7.columns[4].sum_of, vec![5, 6]);
        let t9 = e.table(9).unwrap();
        assert_eq!(t9.columns[2].sum_of, vec![3, 4, 7]);
        assert_eq!(
            t9.columns[4].key,
            "当年财政拨款预算安排/公务用车购置及运行费/小计"
        );
    }

    #[test]
    fn two_sided_rows_align_footer() {
        let e = Edition::builtin();
        let Layout::TwoSided(t1) = &e.table(1).unwrap().layout else {
            panic!()
        };
        assert_eq!(t1.rows.len(), 31);
        let label = |r: usize, s: usize| t1.rows[r][s].map(|i| t1.items[i].label.as_str());
        assert_eq!(label(0, 0), Some("一、一般公共预算拨款收入"));
        assert_eq!(label(6, 0), None);
        assert_eq!(label(27, 1), Some("二十八、抗疫特别国债安排的支出"));
        assert_eq!(label(28, 0), Some("本 年 收 入 合 计"));
        assert_eq!(label(29, 1), None);
        let total = t1.rows[28][1].unwrap();
        assert_eq!(t1.items[total].sum_of.len(), 28);
    }

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 10, 11, 20, 28]
            .iter()
            .map(|&n| chinese_ordinal(n))
            .collect();
        assert_eq!(got, ["一", "十", "十一", "二十", "二十八"]);
    }

    #[test]
    fn invalid_descriptions_are_reported_with_the_table() {
        let broken = SICHUAN_2023.replacen(
            "sums = { \"合计\" = [\"基本支出\", \"项目支出\"] }",
            "sums = { \"合计\" = [\"不存在\"] }",
            1,
        );
        let err = Edition::parse(&broken, "test").unwrap_err().to_string();
        assert!(
            err.contains("表3“单位支出总表”") && err.contains("不存在"),
            "{err}"
        );
    }
}
