//! Parts of the command line kept out of `main.rs`.

pub mod chinese;
pub mod console;
