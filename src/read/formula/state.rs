//! Where each formula cell stands in the evaluation.

use rust_decimal::Decimal;

/// A cell: sheet, row, column.
pub(super) type CellId = (usize, usize, usize);

/// Where a formula cell stands in the evaluation.
#[derive(Debug, Clone, Copy)]
pub(super) enum State {
    /// On the stack, not yet tried.
    Queued,
    /// Tried, waiting for the formulas it refers to (which stand above it on the stack): one
    /// of them referring back to it is a cycle.
    Waiting,
    /// Evaluated (`None`: it cannot be).
    Done(Option<Decimal>),
}

/// Why a formula could not be evaluated (the cell keeps its formula).
#[derive(Debug)]
pub(super) struct Unsupported;

/// An evaluation, or why there is none.
pub(super) type Eval<T> = Result<T, Unsupported>;
