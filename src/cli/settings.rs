//! What a command works with, resolved once from the command line: the edition, the reader
//! of inputs and the check's options. Each command then only dispatches to the library.

use super::options::{CheckArgs, ReadArgs};
use anyhow::{Context, Result};
use yusuan::check;
use yusuan::edition::{Edition, EditionSource};
use yusuan::worker::Isolated;

/// The settings of one run.
pub(crate) struct Settings {
    /// The tables' description: `--edition NAME|FILE`, `--template FILE`, or the default.
    pub(crate) edition: Edition,
    /// Worker processes under `--max-memory`, `--timeout` and `--max-answer`, for a command
    /// that reads inputs.
    reader: Option<Isolated>,
    /// The check's tolerance.
    pub(crate) check: check::Options,
    /// `--verbose`: interpretations and the details of internal errors shown too.
    pub(crate) verbose: bool,
}

impl Settings {
    /// Resolves the command line: where the edition comes from, the reading limits of a command
    /// that reads inputs, the check's options of one that checks. A command that reads
    /// inputs starts its first reading process before the edition is loaded: the two start
    /// up together.
    ///
    /// # Errors
    ///
    /// When the edition cannot be loaded, or the running program cannot be found.
    pub(crate) fn resolve(
        source: &EditionSource,
        read: Option<&ReadArgs>,
        check: Option<&CheckArgs>,
    ) -> Result<Settings> {
        let reader = match read {
            Some(read) => Some(Isolated::current(source, read.limits())?),
            None => None,
        };
        if let Some(reader) = &reader {
            reader.prestart();
        }
        let edition = source.load()?;
        Ok(Settings {
            edition,
            reader,
            check: check.map(|c| c.options()).unwrap_or_default(),
            verbose: check.is_some_and(|c| c.verbose),
        })
    }

    /// The edition and the reader of inputs, owned (a server keeps them as long as it runs).
    ///
    /// # Errors
    ///
    /// For a command that reads no input (a fault of yusuan, not of the user).
    pub(crate) fn into_parts(self) -> Result<(Edition, Isolated)> {
        let reader = self.reader.context("内部错误：此命令不读取输入")?;
        Ok((self.edition, reader))
    }

    /// The reader of inputs.
    ///
    /// # Errors
    ///
    /// For a command that reads no input (a fault of yusuan, not of the user).
    pub(crate) fn reader(&self) -> Result<&Isolated> {
        self.reader.as_ref().context("内部错误：此命令不读取输入")
    }
}
