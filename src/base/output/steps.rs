//! Every change the output module makes to the file system (renames, removals, the markers and
//! manifests it writes), one function each, so that each is a point where a test can stop the
//! run as a kill would: [`kill_after`] lets that many steps happen, then every later step of
//! this thread fails without being done — the cleanup of `Drop` included, as when a process
//! dies. In a normal build the functions are the `std::fs` ones.

use std::io::Write;
use std::path::Path;

#[cfg(test)]
thread_local! {
    /// Steps left before the simulated kill; `None`: no kill planned.
    static LEFT: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
    /// Whether a step was refused since [`kill_after`].
    static REFUSED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Plans a kill after `steps` more steps of this thread (`None`: none), and resets the count
/// of steps taken.
#[cfg(test)]
pub(crate) fn kill_after(steps: Option<usize>) {
    LEFT.with(|l| l.set(steps));
    REFUSED.with(|r| r.set(false));
}

/// Whether the planned kill happened (a step was refused).
#[cfg(test)]
pub(crate) fn killed() -> bool {
    REFUSED.with(|r| r.get())
}

/// One step: allowed, or refused as if the process had died before it.
fn step() -> std::io::Result<()> {
    #[cfg(test)]
    {
        let left = LEFT.with(|l| l.get());
        match left {
            Some(0) => {
                REFUSED.with(|r| r.set(true));
                return Err(std::io::Error::other("killed (test)"));
            }
            Some(n) => LEFT.with(|l| l.set(Some(n - 1))),
            None => {}
        }
    }
    Ok(())
}

/// `std::fs::rename`, as one step.
pub(crate) fn rename(from: impl AsRef<Path>, to: impl AsRef<Path>) -> std::io::Result<()> {
    step()?;
    std::fs::rename(from, to)
}

/// `std::fs::remove_file`, as one step.
pub(crate) fn remove_file(path: impl AsRef<Path>) -> std::io::Result<()> {
    step()?;
    std::fs::remove_file(path)
}

/// `std::fs::remove_dir` (an empty directory), as one step.
pub(crate) fn remove_dir(path: impl AsRef<Path>) -> std::io::Result<()> {
    step()?;
    std::fs::remove_dir(path)
}

/// Removes a directory and everything under it, one step per file and directory, never
/// following a symbolic link (a link is removed, not what it points to).
pub(crate) fn remove_dir_all(path: impl AsRef<Path>) -> std::io::Result<()> {
    let path = path.as_ref();
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            remove_dir_all(entry.path())?;
        } else {
            remove_file(entry.path())?;
        }
    }
    remove_dir(path)
}

/// `std::fs::create_dir_all`, as one step.
pub(crate) fn create_dir_all(path: impl AsRef<Path>) -> std::io::Result<()> {
    step()?;
    std::fs::create_dir_all(path)
}

/// `std::fs::create_dir`, as one step.
pub(crate) fn create_dir(path: impl AsRef<Path>) -> std::io::Result<()> {
    step()?;
    std::fs::create_dir(path)
}

/// Writes a whole small file (a marker), as one step.
pub(crate) fn write(path: impl AsRef<Path>, bytes: impl AsRef<[u8]>) -> std::io::Result<()> {
    step()?;
    std::fs::File::create(path)?.write_all(bytes.as_ref())
}

/// [`super::write_atomic`] (a manifest), as one step.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    step()?;
    super::write_atomic(path, bytes)
}
