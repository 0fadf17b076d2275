//! Layer 0: the leaves every other layer uses — errors with their locations, output sets
//! written atomically, exact amounts, Chinese text, A1 cell names, safe file names, and the
//! thread pool.

pub(crate) mod a1;
pub(crate) mod amount;
pub mod error;
pub(crate) mod file_names;
pub(crate) mod location;
pub mod output;
pub(crate) mod parallel;
pub(crate) mod text;
