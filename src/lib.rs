//! yusuan (预算): reads Chinese government unit-budget workbooks (单位预算, thirteen tables)
//! into one canonical model, checks every total and every rule across tables exactly, and
//! writes them as standardized official spreadsheets and data exports.
//!
//! One declarative description of the template ([`edition::Edition`], from
//! `templates/sichuan-2023.toml`) drives everything that touches a table. The way through:
//!
//! - [`read`] a workbook into a [`model::Budget`] (or read it in a worker process under
//!   limits the operating system enforces: [`worker`]);
//! - [`check`] it: every finding with its rule, its cell and a message in Chinese;
//! - write it with [`convert`]: the official workbook, CSV and JSON as one set
//!   ([`convert::process`] reads, checks and writes a unit at once), the fillable template
//!   ([`convert::write_template`]), the 情况说明 ([`narrative`] checks and composes it,
//!   [`convert::write_narrative`] writes it);
//! - scale up: [`batch`] converts a folder of submissions, [`merge`] consolidates units into
//!   their department.
//!
//! ```
//! use yusuan::edition::Edition;
//!
//! let edition = Edition::builtin();
//! let reading = yusuan::read::read_input(
//!     &edition,
//!     "samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx".as_ref(),
//! )?;
//! let findings = yusuan::check::check(&edition, &reading.budget, &Default::default());
//! assert!(!yusuan::check::has_errors(&findings));
//! # Ok::<(), yusuan::error::ReadError>(())
//! ```

#![warn(missing_docs)]

// The modules in their layers, from the leaves up: a module uses only its own layer and
// those below it (`tests/it/layers.rs` checks it, and that no two files import each other).

// 0 — shared leaves: errors and their locations, output sets, amounts, texts, A1 cells.
mod base;
pub use base::{error, output};

// 1 — the description of the tables and rules (TOML).
pub mod edition;

// 2 — the budget, and where its tables stand in a workbook.
pub mod model;

// 3 — workbooks, data files and narratives into the model.
pub mod read;

// 4 — reading in worker processes under limits the operating system enforces.
pub mod worker;

// 5 — every total and rule, each finding located and worded.
pub mod check;

// 6 — a table laid out as its sheet, share groups, totals recomputed; the 情况说明 checked
// and composed.
pub mod narrative;
pub(crate) mod render;

// 7 — the official workbook, CSV, facts, the 情况说明 as .docx and .md.
pub(crate) mod write;

// 8 — one unit: read, check, write its outputs as a set.
pub mod convert;

// 9 — a folder of submissions at once; units consolidated into a department.
pub mod batch;
pub mod merge;

// 10 — the collection round as a web application (`yusuan serve`).
pub mod serve;
