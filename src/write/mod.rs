//! Writers: the official XLSX workbook, CSV per table, the long-form `facts.csv` and JSON.

pub mod csv;
pub mod facts;
pub mod positions;
pub mod xlsx;
