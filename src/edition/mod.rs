//! The edition description: one declarative description of the thirteen tables of a budget
//! template (titles, header grids, column kinds, row structure, totals), loaded from TOML.
//!
//! Everything that touches a table — the blank template, the reader, the writers and the
//! checks — works from a [`TableSpec`]; no table has code of its own.

mod builtin;
mod draft;
mod error;
mod header;
mod narrative;
mod raw;
mod resolve;
mod rules;
mod spec;
mod text_sheets;
mod units;
mod wording;

pub use builtin::{DEFAULT_EDITION, EditionSource, SICHUAN_2023, builtin_names};
pub use draft::{CLASSES, Draft, DraftTable};
pub use error::EditionError;
pub use header::{HeaderGrid, Rect};
pub use narrative::{
    FigureSpec, ListSpec, NarrativeRule, NarrativeSpec, SectionSpec, StatementKind,
};
pub(crate) use resolve::chinese_ordinal;
pub use rules::{
    CauseRule, Quantity, Relation, RuleSpec, SameNamesSpec, Select, Severity, SummaryFigure,
    TablesRule, Terms,
};
pub use spec::{
    ClassSpec, CodeScheme, Coded, ColumnKind, ColumnSpec, ItemSpec, Layout, Segment, ShareKind,
    ShareSpec, SideSpec, TableChecks, TableSpec, TemplateTotal, TwoSided,
};
pub use text_sheets::TextSheetSpec;

use raw::RawEdition;
use resolve::{resolve_share, resolve_table};
use std::path::Path;

/// A whole template edition.
#[derive(Debug, Clone)]
pub struct Edition {
    /// Name of the edition, e.g. `四川省2023年单位预算`.
    pub name: String,
    /// Budget year the template is for.
    pub year: u16,
    /// The amount unit of the model and of written workbooks (`万元`).
    pub amount_unit: String,
    /// The number format of the tables' amounts (Excel's: `#,##0.00;-#,##0.00;`, a zero shows
    /// nothing); a table may have its own.
    pub amount_format: String,
    /// The word for the budget entity in titles and the entity line (`单位`).
    pub entity_word: String,
    /// The entity word of a department budget (`部门`).
    pub department_word: String,
    /// The labels that start an entity line (`单位`, `单位名称`, `预算部门`, …).
    pub entity_labels: Vec<String>,
    /// Other spellings of a part of a title accepted when reading: (as in the edition, as
    /// written), e.g. (`支出预算表`, `支出表`).
    pub title_variants: Vec<(String, String)>,
    /// Lines under a table starting so are notes, not rows (`注`, `说明`).
    pub note_prefixes: Vec<String>,
    /// Pattern of the entity line: `{entity}：{code}-{name}`.
    pub entity_line: String,
    /// Pattern of the amount-unit line: `金额单位：{unit}`.
    pub amount_unit_line: String,
    /// The note written under an empty table.
    pub empty_note: String,
    /// Words by which a note says its table is empty (`无数据`, `空表`).
    pub empty_note_words: Vec<String>,
    /// Label of the grand-total row of coded tables (`合 计`).
    pub total_label: String,
    /// The line under the title of a table that failed its checks.
    pub failed_line: String,
    /// The note on a total whose submitted figure is not the sum of its parts (placeholders
    /// `{submitted}`, `{computed}`, `{rule}`).
    pub mismatch_note: String,
    /// The note on a total of a row the input did not have (`{computed}`, `{rule}`).
    pub derived_note: String,
    /// The name of the shares sheet after the tables (`占比分析`).
    pub shares_sheet: String,
    /// Its column header: group, item, amount, total, share, published share.
    pub shares_header: [String; 6],
    /// The header of its hidden helper columns, which apportion the published shares in whole
    /// numbers: each share rounded down in units of 0.01%, its remainder, its rank.
    pub shares_helper_header: [String; 3],
    /// The name of the findings sheet (`校验结果`).
    pub findings_sheet: String,
    /// Its column header: number, rule, severity, table, cell here, cell in the input,
    /// expected, actual, description.
    pub findings_header: [String; 9],
    /// The line under its title when there are findings (`{count}`, `{errors}`, `{warnings}`,
    /// `{unit_line}`).
    pub findings_count_line: String,
    /// The line under its title when there are none.
    pub findings_none_line: String,
    /// A department's line of 校验结果 for a unit consolidated with errors of its own
    /// (`{unit}`, `{errors}`, `{first}`: the unit's first error).
    pub unit_errors_line: String,
    /// The finding that counts a rule's findings in one table past the first thousand
    /// (`{more}`: not listed; `{count}`: all).
    pub findings_more_line: String,
    /// The title of a batch's 汇总.xlsx (`{department}`: `--name`, else the units' department
    /// code in `summary_department`, else nothing; `{year}`: the units' budget year; `{date}`).
    pub summary_title: String,
    /// The department in that title when only its code is known (`{code}`).
    pub summary_department: String,
    /// The digits of a unit code that are its department's code (313603 → 313).
    pub department_code_length: usize,
    /// The line under the 占比分析 sheet: what its columns are and which to publish.
    pub shares_note: String,
    /// The name of the fillable template's first sheet (`填表说明`).
    pub template_sheet: String,
    /// Its lines: how to fill the template and send it back.
    pub template_instructions: Vec<String>,
    /// The header of the rules listed on that sheet: id, severity, tables, wording.
    pub template_rules_header: [String; 4],
    /// The input hint on the template's entity cell.
    pub template_entity_hint: String,
    /// The message when a typed amount is not a number.
    pub template_number_error: String,
    /// The message when a typed value is not one of a column's choices.
    pub template_choice_error: String,
    /// The note a table without data carries (`说明：此表无数据`), offered on the note line
    /// under each table of the template.
    pub template_empty_note: String,
    /// The input hint on that note line.
    pub template_note_hint: String,
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
    /// Rules that a text longer than a workbook cell holds (Excel's 32,767 characters) is
    /// reported: the workbook shows it cut, the CSV and JSON whole.
    pub long_texts: Vec<TablesRule>,
    /// The rule that names the likely cause of several errors (`None`: never named).
    pub likely_cause: Option<CauseRule>,
    /// The figures of each unit in a batch summary.
    pub summary: Vec<SummaryFigure>,
    /// The rules that one code names one 科目 across tables.
    pub same_names: Vec<SameNamesSpec>,
    /// The 情况说明: its figures, words and sections (`None`: the edition has none).
    pub narrative: Option<NarrativeSpec>,
    /// The sheets of text around the tables (cover, contents, 编制说明 …), in order.
    pub text_sheets: Vec<TextSheetSpec>,
    /// The built-in edition a department merged from units is written in (Shanghai's
    /// department template); `None`: this one, with the department word.
    pub department_edition: Option<String>,
}

impl Edition {
    /// The built-in Sichuan 2023 edition.
    ///
    /// ```
    /// let edition = yusuan::edition::Edition::builtin();
    /// assert_eq!(edition.tables.len(), 13);
    /// assert_eq!(edition.table(3).unwrap().title, "单位支出总表");
    /// ```
    pub fn builtin() -> Edition {
        Edition::named(DEFAULT_EDITION).expect("the default edition is built in")
    }

    /// Loads an edition description from a TOML file.
    ///
    /// # Errors
    ///
    /// [`EditionError::Io`] when the file cannot be read; otherwise as [`Edition::parse`].
    pub fn load(path: &Path) -> Result<Edition, EditionError> {
        let text = std::fs::read_to_string(path).map_err(|cause| EditionError::Io {
            path: path.display().to_string(),
            cause,
        })?;
        Edition::parse(&text, &path.display().to_string())
    }

    /// Parses and validates an edition description; `origin` names it in errors.
    ///
    /// # Errors
    ///
    /// [`EditionError::Syntax`] for malformed TOML, unknown keys or a rule that does not
    /// resolve; [`EditionError::Invalid`] for a table whose description is inconsistent (named
    /// with its number and title).
    ///
    /// ```
    /// use yusuan::edition::{Edition, EditionError, SICHUAN_2023};
    ///
    /// let next_year = SICHUAN_2023.replace("year = 2023", "year = 2024");
    /// assert_eq!(Edition::parse(&next_year, "next-year.toml")?.year, 2024);
    ///
    /// let broken = SICHUAN_2023.replacen("number = 3", "number = 4", 1);
    /// let err = Edition::parse(&broken, "broken.toml").unwrap_err();
    /// assert!(err.to_string().contains("表号应为 3"));
    /// # Ok::<(), EditionError>(())
    /// ```
    pub fn parse(text: &str, origin: &str) -> Result<Edition, EditionError> {
        let raw: RawEdition = toml::from_str(text).map_err(|e| EditionError::Syntax {
            origin: origin.to_owned(),
            message: e.to_string(),
        })?;
        Edition::resolve(raw, origin)
    }

    /// Validates a description as read into the edition.
    fn resolve(raw: RawEdition, origin: &str) -> Result<Edition, EditionError> {
        let classes: Vec<ClassSpec> = raw
            .functional_classes
            .iter()
            .map(|c| ClassSpec {
                code: c.code.clone(),
                name: c.name.clone(),
                aliases: c.aliases.clone(),
            })
            .collect();
        let one_row_preamble = match raw.edition.preamble.as_deref() {
            None | Some("two_rows") => false,
            Some("one_row") => true,
            Some(other) => {
                return Err(EditionError::Syntax {
                    origin: origin.to_owned(),
                    message: format!("preamble 应为 one_row 或 two_rows，而不是“{other}”"),
                });
            }
        };
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
            tables.push(
                resolve_table(t, &classes, &raw.edition.entity_word, one_row_preamble)
                    .map_err(invalid)?,
            );
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
        let tables_rules = |list: &[raw::RawTablesRule]| {
            list.iter()
                .map(|c| {
                    rules::resolve_tables_rule(c).map_err(|m| syntax(format!("规则 {}: {m}", c.id)))
                })
                .collect::<Result<Vec<_>, _>>()
        };
        let empty_notes = tables_rules(&raw.empty_note)?;
        let missing_rows = tables_rules(&raw.missing_rows)?;
        let long_texts = tables_rules(&raw.long_texts)?;
        let likely_cause = raw
            .likely_cause
            .as_ref()
            .map(|c| {
                rules::resolve_cause_rule(c).map_err(|m| syntax(format!("规则 {}: {m}", c.id)))
            })
            .transpose()?;
        let duplicate_tables = tables_rules(&raw.duplicate_tables)?;
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
        let narrative = raw
            .narrative
            .as_ref()
            .map(|n| narrative::resolve(n, &tables).map_err(|m| syntax(format!("情况说明 {m}"))))
            .transpose()?;
        let h = raw.edition;
        if let Some(name) = &h.department_edition
            && !builtin_names().any(|n| n == name)
        {
            return Err(syntax(format!("department_edition“{name}”不是内置表样")));
        }
        if crate::base::amount::AmountUnit::parse(&h.amount_unit).is_none() {
            return Err(syntax(format!(
                "金额单位“{}”无法识别（元、千元或万元）",
                h.amount_unit
            )));
        }
        Ok(Edition {
            name: h.name,
            year: h.year,
            amount_unit: h.amount_unit,
            amount_format: h.amount_format,
            entity_word: h.entity_word,
            department_word: h.department_word,
            entity_labels: h.entity_labels,
            title_variants: h.title_variants.into_iter().map(|[a, b]| (a, b)).collect(),
            note_prefixes: h.note_prefixes,
            entity_line: h.entity_line,
            amount_unit_line: h.amount_unit_line,
            empty_note: h.empty_note,
            empty_note_words: h.empty_note_words,
            total_label: h.total_label,
            failed_line: h.failed_line,
            mismatch_note: h.mismatch_note,
            derived_note: h.derived_note,
            shares_note: h.shares_note,
            shares_sheet: h.shares_sheet,
            shares_header: h.shares_header,
            shares_helper_header: h.shares_helper_header,
            findings_sheet: h.findings_sheet,
            findings_header: h.findings_header,
            findings_count_line: h.findings_count_line,
            findings_none_line: h.findings_none_line,
            unit_errors_line: h.unit_errors_line,
            findings_more_line: h.findings_more_line,
            summary_title: h.summary_title,
            summary_department: h.summary_department,
            department_code_length: h.department_code_length,
            template_sheet: h.template_sheet,
            template_instructions: h.template_instructions,
            template_rules_header: h.template_rules_header,
            template_entity_hint: h.template_entity_hint,
            template_number_error: h.template_number_error,
            template_choice_error: h.template_choice_error,
            template_empty_note: h.template_empty_note,
            template_note_hint: h.template_note_hint,
            functional_classes: classes,
            tables,
            shares,
            rules,
            empty_notes,
            missing_rows,
            duplicate_tables,
            long_texts,
            likely_cause,
            summary,
            same_names,
            narrative,
            text_sheets: text_sheets::resolve(&raw.text_sheet).map_err(syntax)?,
            department_edition: h.department_edition,
        })
    }

    /// The table with this official number.
    pub fn table(&self, number: u8) -> Option<&TableSpec> {
        self.tables.iter().find(|t| t.number == number)
    }
}

#[cfg(test)]
mod tests;
