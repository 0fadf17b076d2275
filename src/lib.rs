//! yusuan (预算): reads Chinese government unit-budget workbooks (单位预算, thirteen tables)
//! into one canonical model, and writes them as standardized official spreadsheets and data
//! exports.
//!
//! One declarative description of the template ([`edition::Edition`], from
//! `templates/sichuan-2023.toml`) drives the reader ([`read`]), the renderer ([`render`]) and
//! the writers ([`mod@write`]); [`check`] reconciles, [`batch`] and [`merge`] scale it up.

#![warn(missing_docs)]

pub mod a1;
pub mod amount;
pub mod batch;
pub mod check;
pub mod convert;
pub mod edition;
pub mod error;
pub mod file_names;
pub mod hierarchy;
pub mod merge;
pub mod model;
pub mod output;
pub mod parallel;
pub mod position;
pub mod read;
pub mod render;
pub mod shares;
pub mod text;
pub mod totals;
pub mod worker;
pub mod write;
