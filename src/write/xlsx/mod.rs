//! The standardized official workbook: the thirteen tables in official order and layout, with
//! live SUM formulas (and their exact cached results) for every total, a 占比分析 sheet, a
//! 校验结果 sheet, and print settings for A4 landscape. One file per kind of sheet, and the
//! styles they share.

mod findings_sheet;
mod instructions_sheet;
mod marks;
mod measure;
mod pages;
mod shares_sheet;
mod styles;
mod table;
mod template_sheet;
mod text_sheet;

pub use findings_sheet::FindingLine;
use findings_sheet::write_findings;
use marks::Marks;
use shares_sheet::write_shares;
pub(crate) use styles::{LINE_HEIGHT, Styles, f64_of, fit, lines_of};
use table::write_table;

use crate::edition::{Edition, Severity};
use crate::model::Budget;
use crate::render::Rendered;
use crate::render::shares::{self};
use rust_xlsxwriter::{Workbook, XlsxError};

/// Writes the workbook of a budget into memory: the tables, 占比分析 and 校验结果.
///
/// # Errors
///
/// An [`XlsxError`] when the workbook cannot be built (a text longer than Excel's 32,767
/// characters, for one).
pub fn workbook(
    edition: &Edition,
    budget: &Budget,
    rendered: &[Rendered<'_>],
    findings: &[FindingLine],
) -> Result<Vec<u8>, XlsxError> {
    // rust_xlsxwriter panics when a low-memory sheet cannot write its rows to the temporary
    // file (a full temporary directory): the workbook is then made again, in memory.
    let build = |low_memory| build(edition, budget, rendered, findings, low_memory);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build(true)))
        .unwrap_or_else(|_| build(false))
}

/// [`workbook`], its tables in low-memory sheets or not.
fn build(
    edition: &Edition,
    budget: &Budget,
    rendered: &[Rendered<'_>],
    findings: &[FindingLine],
    low_memory: bool,
) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new(&edition.amount_format);
    let marks = Marks::new(edition, findings);
    let mut book = new_workbook();
    let mut names = Vec::new();
    // The sheets of text as submitted, in the edition's order: those before the tables first.
    let texts = |after: bool| {
        edition
            .text_sheets
            .iter()
            .filter(move |s| s.after_tables == after)
            .filter_map(|s| Some((s, budget.texts.iter().find(|t| t.key == s.key)?)))
    };
    for (spec, text) in texts(false) {
        let sheet = book.add_worksheet();
        sheet.set_name(&spec.sheet)?;
        text_sheet::write_text_sheet(sheet, text, &styles)?;
    }
    for table in rendered {
        let sheet = if low_memory {
            low_memory_sheet(&mut book)
        } else {
            book.add_worksheet()
        };
        let name = table.sheet_name();
        sheet.set_name(&name)?;
        let own = table.spec.amount_format.as_deref().map(Styles::new);
        write_table(sheet, table, own.as_ref().unwrap_or(&styles), Some(&marks))?;
        names.push(name);
    }
    for (spec, text) in texts(true) {
        let sheet = book.add_worksheet();
        sheet.set_name(&spec.sheet)?;
        text_sheet::write_text_sheet(sheet, text, &styles)?;
    }
    // 占比分析, where the edition asks for shares.
    if !edition.shares.is_empty() {
        let groups = shares::groups(edition, rendered);
        let sheet = book.add_worksheet();
        sheet.set_name(&edition.shares_sheet)?;
        write_shares(sheet, edition, budget, rendered, &names, &groups, &styles)?;
    }
    let sheet = book.add_worksheet();
    sheet.set_name(&edition.findings_sheet)?;
    write_findings(sheet, edition, budget, findings, &styles)?;
    // A budget with errors opens on its findings, not on a table that looks publishable.
    if findings.iter().any(|f| f.severity == Severity::Error) {
        sheet.set_active(true);
    }
    book.save_to_buffer()
}

/// A new sheet written in low-memory mode: each row goes to a temporary file as soon as the
/// next one starts, instead of every cell staying in memory until the workbook is saved (and
/// the sheet needs no thread of its own on saving). The writers of such sheets write their rows
/// in order. An ordinary sheet when no temporary file can be made.
fn low_memory_sheet(book: &mut Workbook) -> &mut rust_xlsxwriter::Worksheet {
    if book.add_worksheet_with_low_memory().is_err() {
        return book.add_worksheet();
    }
    let last = book.worksheets_mut().len() - 1;
    &mut book.worksheets_mut()[last]
}

/// A workbook with fast zip compression: the XML compresses well at any level, and level 1
/// halves the writing time against the default 6 for a few percent more bytes.
pub(crate) fn new_workbook() -> Workbook {
    let mut book = Workbook::new();
    book.set_zip_compression_level(XLSX_ZIP_LEVEL);
    book
}

/// The zip compression level of every workbook yusuan writes (rust_xlsxwriter's default is 6):
/// the XML compresses well at any level, and level 1 halves the writing time for a few percent
/// more bytes. The benchmarks' floor (`bench/floor.rs`) writes at the same level: a fair floor.
pub const XLSX_ZIP_LEVEL: u8 = 1;

/// Writes the fillable template into memory: a first sheet 填表说明, then every table with
/// `blank` empty input rows (after the rows of `prefill`, a budget to start from) and its totals
/// as formulas over them.
///
/// # Errors
///
/// An [`XlsxError`] when the workbook cannot be built.
pub fn template(
    edition: &Edition,
    rendered: &[Rendered<'_>],
    prefill: Option<&Budget>,
    blank: usize,
) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new(&edition.amount_format);
    let inputs = template_sheet::Inputs::new(&styles, edition)?;
    let mut book = new_workbook();
    let sheet = book.add_worksheet();
    sheet.set_name(&edition.template_sheet)?;
    instructions_sheet::write_instructions(sheet, edition, &styles)?;
    // The sheets of text, before and after the tables as the edition places them: input cells,
    // the prefilled budget's paragraphs in them.
    let texts = |after: bool| {
        edition
            .text_sheets
            .iter()
            .filter(move |s| s.after_tables == after)
    };
    let text_of = |key: &str| prefill.and_then(|b| b.texts.iter().find(|t| t.key == key));
    for spec in texts(false) {
        let sheet = book.add_worksheet();
        sheet.set_name(&spec.sheet)?;
        template_sheet::write_text_inputs(sheet, text_of(&spec.key), &inputs)?;
    }
    // A prefilled two-sided or one-row table is its budget's rendering (its fixed rows with
    // their figures and totals); other tables get their rows as input rows.
    let filled =
        prefill.map(|b| crate::render::render_all(edition, b, crate::render::Purpose::Template));
    // The unit is typed on the first table that has a 单位 line; the others show it.
    let mut entity: Option<(String, u32, u16)> = None;
    for (i, table) in rendered.iter().enumerate() {
        let sheet = book.add_worksheet();
        sheet.set_name(table.sheet_name())?;
        let own = prefill.and_then(|b| Some((b, b.table(table.spec.number)?)));
        let fixed_rows = matches!(table.spec.layout, crate::edition::Layout::TwoSided(_))
            || table.spec.single_row();
        let table = match &filled {
            Some(f) if fixed_rows => &f[i],
            _ => table,
        };
        let from = entity.as_ref().map(|(s, r, c)| (s.as_str(), *r, *c));
        // A table with amounts of its own format gets input cells of that format.
        let styled = match table.spec.amount_format.as_deref().map(Styles::new) {
            Some(st) => {
                let inputs = template_sheet::Inputs::new(&st, edition)?;
                Some((st, inputs))
            }
            None => None,
        };
        let (st, inputs) = styled.as_ref().map_or((&styles, &inputs), |(s, i)| (s, i));
        let cell = template_sheet::write_template_table(
            sheet, edition, table, own, blank, st, inputs, from,
        )?;
        if let (None, Some((r, c))) = (&entity, cell) {
            entity = Some((table.sheet_name(), r, c));
        }
    }
    for spec in texts(true) {
        let sheet = book.add_worksheet();
        sheet.set_name(&spec.sheet)?;
        template_sheet::write_text_inputs(sheet, text_of(&spec.key), &inputs)?;
    }
    book.save_to_buffer()
}
