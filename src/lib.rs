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
//! - [`render`] and [`mod@write`] it: the official workbook, CSV and JSON — or all of that at
//!   once with [`convert`];
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

pub mod batch;
pub mod check;
pub mod convert;
pub mod edition;
pub mod error;
pub mod merge;
pub mod model;
pub mod narrative;
pub mod output;
pub mod position;
pub mod read;
pub mod render;
pub mod totals;
pub mod worker;
pub mod write;

pub(crate) mod a1;
pub(crate) mod amount;
pub(crate) mod file_names;
pub(crate) mod parallel;
pub(crate) mod shares;
pub(crate) mod text;
