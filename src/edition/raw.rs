//! The edition description exactly as written in the TOML file, before validation.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEdition {
    pub edition: RawHeader,
    #[serde(default)]
    pub functional_classes: Vec<RawClass>,
    pub table: Vec<RawTable>,
    #[serde(default)]
    pub shares: Vec<RawShare>,
    #[serde(default)]
    pub check: Vec<RawCheck>,
    #[serde(default)]
    pub empty_note: Vec<RawTablesRule>,
    #[serde(default)]
    pub missing_rows: Vec<RawTablesRule>,
    #[serde(default)]
    pub duplicate_tables: Vec<RawTablesRule>,
    #[serde(default)]
    pub long_texts: Vec<RawTablesRule>,
    #[serde(default)]
    pub likely_cause: Option<RawCauseRule>,
    #[serde(default)]
    pub summary: Vec<RawSummary>,
    #[serde(default)]
    pub same_names: Vec<RawSameNames>,
    #[serde(default)]
    pub narrative: Option<RawNarrative>,
    #[serde(default)]
    pub text_sheet: Vec<super::text_sheets::RawTextSheet>,
}

/// `[narrative]`: the 情况说明's figures, words and sections.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNarrative {
    pub precision: u32,
    pub amount_units: Vec<RawAmountUnit>,
    pub count_units: Vec<String>,
    pub increase_words: Vec<String>,
    pub decrease_words: Vec<String>,
    pub flat_words: Vec<String>,
    pub fillers: Vec<String>,
    pub zero_sentence: [String; 2],
    pub title: String,
    pub amount: String,
    #[serde(default)]
    pub written_unit: Option<String>,
    pub blank: String,
    pub change_up: String,
    pub change_down: String,
    pub change_flat: String,
    pub change_blank: String,
    pub fonts: RawFonts,
    pub sizes: RawSizes,
    pub rule: Vec<RawNarrativeRule>,
    pub figure: Vec<RawFigure>,
    #[serde(default)]
    pub list: Vec<RawList>,
    pub section: Vec<RawSection>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAmountUnit {
    pub word: String,
    pub scale: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFonts {
    pub title: String,
    pub heading: String,
    pub subheading: String,
    pub body: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSizes {
    pub title: u32,
    pub heading: u32,
    pub subheading: u32,
    pub body: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNarrativeRule {
    pub id: String,
    pub kind: String,
    #[serde(default)]
    pub severity: Option<String>,
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFigure {
    pub key: String,
    pub names: Vec<String>,
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub group: Option<String>,
    pub quantity: RawQuantity,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawList {
    pub key: String,
    pub of: String,
    pub item: String,
    pub separator: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSection {
    pub key: String,
    pub heading: String,
    pub level: u8,
    #[serde(default)]
    pub blank: bool,
    #[serde(default)]
    pub zero: Option<String>,
    #[serde(default)]
    pub zero_text: Option<String>,
    pub paragraphs: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSameNames {
    pub id: String,
    #[serde(default)]
    pub severity: Option<String>,
    pub description: String,
    pub tables: Vec<u8>,
    #[serde(default)]
    pub classes: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSummary {
    pub key: String,
    pub label: String,
    pub quantity: RawQuantity,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTableChecks {
    #[serde(default)]
    pub rows: Option<String>,
    #[serde(default)]
    pub totals: Option<String>,
    #[serde(default)]
    pub balance: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCheck {
    pub id: String,
    #[serde(default)]
    pub severity: Option<String>,
    pub description: String,
    pub left: RawTerms,
    #[serde(default)]
    pub relation: Option<String>,
    pub right: RawTerms,
    #[serde(default)]
    pub when_zero: Vec<RawQuantity>,
    #[serde(default)]
    pub when_equal: Vec<[RawQuantity; 2]>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RawTerms {
    One(RawQuantity),
    Many(Vec<RawQuantity>),
}

impl RawTerms {
    pub fn items(&self) -> &[RawQuantity] {
        match self {
            RawTerms::One(q) => std::slice::from_ref(q),
            RawTerms::Many(v) => v,
        }
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuantity {
    #[serde(default)]
    pub table: Option<u8>,
    #[serde(default)]
    pub column: Option<String>,
    #[serde(default)]
    pub item: Option<String>,
    #[serde(default)]
    pub items: Option<String>,
    #[serde(default)]
    pub row: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub sum_by: Option<String>,
    #[serde(default)]
    pub lines: Option<String>,
    #[serde(default)]
    pub constant: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTablesRule {
    pub id: String,
    #[serde(default)]
    pub severity: Option<String>,
    pub description: String,
    pub tables: Vec<u8>,
    #[serde(default)]
    pub text: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCauseRule {
    pub id: String,
    #[serde(default)]
    pub severity: Option<String>,
    pub description: String,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawShare {
    pub title: String,
    pub table: u8,
    #[serde(default)]
    pub column: Option<String>,
    #[serde(default)]
    pub columns: Vec<String>,
    #[serde(default)]
    pub parts: Option<RawParts>,
    #[serde(default)]
    pub total: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RawParts {
    Named(String),
    Items(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHeader {
    pub name: String,
    pub year: u16,
    pub amount_unit: String,
    #[serde(default = "default_amount_format")]
    pub amount_format: String,
    pub entity_word: String,
    pub department_word: String,
    pub entity_labels: Vec<String>,
    #[serde(default)]
    pub title_variants: Vec<[String; 2]>,
    #[serde(default)]
    pub note_prefixes: Vec<String>,
    pub entity_line: String,
    pub amount_unit_line: String,
    #[serde(default)]
    pub preamble: Option<String>,
    #[serde(default)]
    pub department_edition: Option<String>,
    pub empty_note: String,
    #[serde(default = "default_empty_note_words")]
    pub empty_note_words: Vec<String>,
    #[serde(default = "default_total_label")]
    pub total_label: String,
    pub failed_line: String,
    pub mismatch_note: String,
    pub derived_note: String,
    pub shares_note: String,
    pub template_sheet: String,
    pub template_instructions: Vec<String>,
    pub template_rules_header: [String; 4],
    pub shares_sheet: String,
    pub shares_header: [String; 6],
    pub shares_helper_header: [String; 3],
    pub findings_sheet: String,
    pub findings_header: [String; 9],
    pub findings_count_line: String,
    pub findings_none_line: String,
    pub unit_errors_line: String,
    pub findings_more_line: String,
    pub summary_title: String,
    pub summary_department: String,
    pub department_code_length: usize,
    pub template_entity_hint: String,
    pub template_number_error: String,
    pub template_choice_error: String,
    pub template_empty_note: String,
    pub template_note_hint: String,
}

/// As the published tables show amounts: two decimals, thousands grouped, a zero as nothing.
fn default_amount_format() -> String {
    "#,##0.00;-#,##0.00;".to_owned()
}

fn default_empty_note_words() -> Vec<String> {
    vec!["无数据".to_owned(), "空表".to_owned()]
}

fn default_total_label() -> String {
    "合 计".to_owned()
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(super) struct RawClass {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTable {
    pub number: u8,
    pub title: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub title_prefix: Option<String>,
    #[serde(default)]
    pub title_suffix: Option<String>,
    #[serde(default)]
    pub sheet: Option<String>,
    #[serde(default)]
    pub empty_note: Option<String>,
    #[serde(default)]
    pub amount_format: Option<String>,
    #[serde(default)]
    pub amount_unit: Option<String>,
    #[serde(default = "yes")]
    pub entity_line: bool,
    pub layout: String,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub hidden_subtotals: Vec<String>,
    #[serde(default)]
    pub total_row: Option<String>,
    #[serde(default)]
    pub single_row: bool,
    pub header: Vec<Vec<String>>,
    pub columns: Vec<String>,
    #[serde(default)]
    pub widths: Vec<f64>,
    #[serde(default)]
    pub sums: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub department_columns: BTreeMap<String, String>,
    #[serde(default)]
    pub side: Vec<RawSide>,
    #[serde(default)]
    pub footer: Vec<RawFooterRow>,
    #[serde(default)]
    pub checks: RawTableChecks,
    #[serde(default)]
    pub template_top_rows: Option<String>,
    #[serde(default)]
    pub template_detail_rows: Option<String>,
    #[serde(default)]
    pub choices: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub balance: Vec<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSide {
    pub name: String,
    pub items: Vec<RawItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFooterRow {
    pub items: Vec<RawItem>,
}

/// One item of a two-sided table; `{}` is an empty place, `expand` inserts a list.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawItem {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub sum: Vec<String>,
    #[serde(default)]
    pub expand: Option<String>,
    #[serde(default)]
    pub numbered: bool,
    #[serde(default)]
    pub used_only: bool,
    #[serde(default)]
    pub aliases: Vec<String>,
}
