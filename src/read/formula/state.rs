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
