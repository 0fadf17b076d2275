//! A draft edition: what a blank template workbook shows of its tables (sheets, titles,
//! header grids, columns, fixed row labels, amount units), written as an edition TOML for a
//! person to complete with rules. `read::draft` finds it in a workbook; this writes it.

use super::Edition;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// What a template workbook shows of its tables.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// The year its titles carry (`2026年…`), if any.
    pub year: Option<u16>,
    /// The amount unit most of its tables state (`元`).
    pub amount_unit: Option<String>,
    /// The label of its entity line (`编制单位`), as written before `：`.
    pub entity_label: Option<String>,
    /// Whether the entity line and the amount-unit line share a row.
    pub one_row_preamble: bool,
    /// The tables, in sheet order.
    pub tables: Vec<DraftTable>,
    /// The sheets that hold no table (封面, 单位职能 …): text sheets, with whether they stand
    /// after the first table.
    pub text_sheets: Vec<(String, bool)>,
}

/// One table of the template.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DraftTable {
    /// Its sheet's name.
    pub sheet: String,
    /// Its title without the year (`预算单位财务收支预算总表`).
    pub title: String,
    /// Whether the title starts with the year (`2026年…`).
    pub year_prefix: bool,
    /// What follows the title, the year as `{year}` (`（{year}年度）`).
    pub title_suffix: Option<String>,
    /// Its amount unit, when the template states one.
    pub amount_unit: Option<String>,
    /// The header grid (`<`: merged with the left, `^`: with the cell above).
    pub header: Vec<Vec<String>>,
    /// The kind of each column (`code:类`, `name`, `label`, `amount`, …).
    pub columns: Vec<String>,
    /// `two_sided`, `coded`.
    pub layout: String,
    /// `functional` or `economic` for a coded table with code columns.
    pub code: Option<String>,
    /// Whether its 合计 row stands below its rows.
    pub total_at_bottom: bool,
    /// Whether it is one row of figures with no codes or names.
    pub single_row: bool,
    /// Row totals: a total column and the columns it adds.
    pub sums: Vec<(String, Vec<String>)>,
    /// A two-sided table's sides: the side's name and its fixed row labels in order (a label
    /// of a functional class stands for the class list).
    pub sides: Vec<(String, Vec<String>)>,
    /// A two-sided table's footer rows: each side's label.
    pub footers: Vec<Vec<String>>,
}

/// A string as TOML writes it.
fn q(s: &str) -> String {
    // A JSON string is a TOML basic string (the same escapes), on one line.
    serde_json::to_string(s).unwrap_or_default()
}

fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| q(s)).collect();
    format!("[{}]", items.join(", "))
}

impl Draft {
    /// The draft as an edition TOML that loads (`Edition::parse`): the tables as found, the
    /// functional classes and the wording of `base` (the default edition) to adapt, and no
    /// rules — those are the person's to write.
    pub fn to_toml(&self, base: &Edition) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# 表样描述草稿 — a draft edition made by `yusuan edition draft` from a blank template\n\
             # workbook. The tables' titles, sheets, header grids, columns and fixed rows are as the\n\
             # workbook shows them; check each, then add the rules ([[check]]), the wording and\n\
             # the narrative (see the built-in editions: yusuan editions). Every line marked\n\
             # `# 请核对` is a guess.\n"
        );
        let _ = writeln!(out, "functional_classes = [");
        for c in &base.functional_classes {
            let _ = writeln!(out, "  {{ code = {}, name = {} }},", q(&c.code), q(&c.name));
        }
        let _ = writeln!(out, "]\n\n[edition]");
        let year = self.year.unwrap_or(base.year);
        let _ = writeln!(out, "name = {}", q(&format!("{year}年预算（草稿）")));
        let _ = writeln!(out, "year = {year}");
        let unit = self.amount_unit.as_deref().unwrap_or(&base.amount_unit);
        let _ = writeln!(out, "amount_unit = {}", q(unit));
        let format = if unit == "元" {
            "#,##0;-#,##0;"
        } else {
            "#,##0.00;-#,##0.00;"
        };
        let _ = writeln!(out, "amount_format = {}", q(format));
        let _ = writeln!(out, "entity_word = {}", q(&base.entity_word));
        let _ = writeln!(out, "department_word = {}", q(&base.department_word));
        let label = self.entity_label.as_deref().unwrap_or(&base.entity_word);
        let mut labels = vec![label.to_owned()];
        if label != base.entity_word {
            labels.push(label.replace(&base.entity_word, &base.department_word));
        }
        let _ = writeln!(out, "entity_labels = {}", list(&labels));
        let pattern = label.replacen(&base.entity_word, "{entity}", 1);
        let _ = writeln!(
            out,
            "entity_line = {}  # 请核对：单位以代码-名称填写时为 “{pattern}：{{code}}-{{name}}”",
            q(&format!("{pattern}：{{name}}"))
        );
        let unit_label = if self.one_row_preamble {
            "单位"
        } else {
            "金额单位"
        };
        let _ = writeln!(
            out,
            "amount_unit_line = {}",
            q(&format!("{unit_label}：{{unit}}"))
        );
        let preamble = if self.one_row_preamble {
            "one_row"
        } else {
            "two_rows"
        };
        let _ = writeln!(out, "preamble = {}", q(preamble));
        let wording: [(&str, &str); 13] = [
            ("empty_note", &base.empty_note),
            ("failed_line", &base.failed_line),
            ("mismatch_note", &base.mismatch_note),
            ("derived_note", &base.derived_note),
            ("shares_note", &base.shares_note),
            ("template_sheet", &base.template_sheet),
            ("findings_sheet", &base.findings_sheet),
            ("findings_count_line", &base.findings_count_line),
            ("findings_none_line", &base.findings_none_line),
            ("unit_errors_line", &base.unit_errors_line),
            ("findings_more_line", &base.findings_more_line),
            ("summary_title", &base.summary_title),
            ("summary_department", &base.summary_department),
        ];
        for (key, value) in wording {
            let _ = writeln!(out, "{key} = {}", q(value));
        }
        let lists: [(&str, &[String]); 7] = [
            ("note_prefixes", &base.note_prefixes),
            ("empty_note_words", &base.empty_note_words),
            ("template_instructions", &base.template_instructions),
            ("template_rules_header", &base.template_rules_header),
            ("shares_header", &base.shares_header),
            ("shares_helper_header", &base.shares_helper_header),
            ("findings_header", &base.findings_header),
        ];
        for (key, value) in lists {
            let _ = writeln!(out, "{key} = {}", list(value));
        }
        let more: [(&str, &str); 7] = [
            ("total_label", &base.total_label),
            ("shares_sheet", &base.shares_sheet),
            ("template_entity_hint", &base.template_entity_hint),
            ("template_number_error", &base.template_number_error),
            ("template_choice_error", &base.template_choice_error),
            ("template_empty_note", &base.template_empty_note),
            ("template_note_hint", &base.template_note_hint),
        ];
        for (key, value) in more {
            let _ = writeln!(out, "{key} = {}", q(value));
        }
        let _ = writeln!(
            out,
            "department_code_length = {}",
            base.department_code_length
        );
        for (number, table) in (1u8..).zip(&self.tables) {
            table.write(&mut out, number, self.amount_unit.as_deref());
        }
        for (n, (sheet, after)) in (1..).zip(&self.text_sheets) {
            let _ = writeln!(
                out,
                "\n[[text_sheet]]\nkey = \"text{n}\"\nsheet = {}",
                q(sheet)
            );
            if *after {
                let _ = writeln!(out, "place = \"after\"");
            }
        }
        out
    }
}

impl DraftTable {
    fn write(&self, out: &mut String, number: u8, edition_unit: Option<&str>) {
        let _ = writeln!(out, "\n# {}\n[[table]]", "-".repeat(93));
        let _ = writeln!(out, "number = {number}\ntitle = {}", q(&self.title));
        if self.year_prefix {
            let _ = writeln!(out, "title_prefix = \"{{year}}年\"");
        }
        if let Some(suffix) = &self.title_suffix {
            let _ = writeln!(out, "title_suffix = {}", q(suffix));
        }
        if self.sheet != self.title {
            let _ = writeln!(out, "sheet = {}", q(&self.sheet));
        }
        if let Some(unit) = self
            .amount_unit
            .as_deref()
            .filter(|u| Some(*u) != edition_unit)
        {
            let _ = writeln!(out, "amount_unit = {}", q(unit));
        }
        let _ = writeln!(out, "layout = {}", q(&self.layout));
        if let Some(code) = &self.code {
            let _ = writeln!(out, "code = {}  # 请核对", q(code));
        }
        if self.total_at_bottom {
            let _ = writeln!(out, "total_row = \"bottom\"");
        }
        if self.single_row {
            let _ = writeln!(out, "single_row = true");
        }
        let _ = writeln!(out, "header = [");
        for row in &self.header {
            let _ = writeln!(out, "  {},", list(row));
        }
        let _ = writeln!(out, "]\ncolumns = {}  # 请核对", list(&self.columns));
        if !self.sums.is_empty() {
            let sums: Vec<String> = self
                .sums
                .iter()
                .map(|(total, parts)| format!("{} = {}", q(total), list(parts)))
                .collect();
            let _ = writeln!(out, "sums = {{ {} }}  # 请核对", sums.join(", "));
        }
        // Item ids are unique in a table: a label met again (一般公共预算拨款收入 under 本年收入 and
        // under 上年结转) is named under the numbered item it follows (上年结转.一般公共预算拨款收入).
        let mut seen: Vec<String> = Vec::new();
        for (name, labels) in &self.sides {
            let _ = writeln!(out, "\n[[table.side]]\nname = {}\nitems = [", q(name));
            let mut heading = String::new();
            for label in labels {
                if label == CLASSES {
                    let _ = writeln!(
                        out,
                        "  {{ expand = \"functional_classes\", numbered = true }},  # 请核对"
                    );
                } else {
                    let folded = crate::base::text::compact(label);
                    let bare = crate::base::text::without_number(&folded).to_owned();
                    if bare != folded {
                        heading = bare.clone();
                    }
                    let id = match seen.contains(&bare) {
                        true => format!("{heading}.{bare}"),
                        false => bare,
                    };
                    seen.push(id.clone());
                    let _ = writeln!(out, "  {{ id = {}, label = {} }},", q(&id), q(label));
                }
            }
            let _ = writeln!(out, "]");
        }
        for row in &self.footers {
            let items: Vec<String> = row
                .iter()
                .map(|label| match label.is_empty() {
                    true => "{}".to_owned(),
                    false => format!(
                        "{{ id = {}, label = {} }}",
                        q(crate::base::text::without_number(
                            &crate::base::text::compact(label)
                        )),
                        q(label)
                    ),
                })
                .collect();
            let _ = writeln!(out, "\n[[table.footer]]\nitems = [{}]", items.join(", "));
        }
    }
}

/// The label standing for a side's list of functional classes.
pub const CLASSES: &str = "{functional_classes}";
