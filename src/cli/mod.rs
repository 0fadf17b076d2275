//! Parts of the command line kept out of `main.rs`.

pub mod args;
pub mod chinese;
pub mod console;
pub mod narrate;
pub mod progress;
