//! Writers: the official XLSX workbook, CSV per table, the long-form `facts.csv` and JSON; the
//! 情况说明 as Word and Markdown.

pub mod csv;
pub mod docx;
pub mod facts;
pub mod markdown;
pub mod positions;
pub mod xlsx;
