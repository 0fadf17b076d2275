//! A batch's first pass has to open every workbook to tell whose tables it holds; it reads each
//! one whole while it is open (in the worker, as any reading) and keeps the reading in a file
//! of a private folder inside the staging directory. The second pass takes a one-file unit's
//! reading from there instead of reading the workbook a second time. Memory stays flat: the
//! readings wait on disk, each taken (and its file removed) when its unit is converted.

use crate::base::error::ReadError;
use crate::read::{Document, Duplicates, Reading, Scan};
use crate::worker::{KeptReading, Reader, Scanned};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A reader that answers a one-file unit from the reading its first pass kept.
pub(super) struct Prefetched<'a> {
    inner: &'a dyn Reader,
    /// None when it cannot be made: every unit is then read in pass 2, as without it.
    folder: Option<tempfile::TempDir>,
    /// Each workbook kept: its file, the name and duplicates rule it was read with.
    stored: Mutex<HashMap<PathBuf, (PathBuf, String, Duplicates)>>,
}

impl<'a> Prefetched<'a> {
    /// A reader over `inner` keeping its readings in a new folder inside `root` (removed with
    /// this reader).
    pub(super) fn new(inner: &'a dyn Reader, root: &Path) -> Prefetched<'a> {
        let folder = tempfile::Builder::new()
            .prefix(".yusuan-prefetch")
            .tempdir_in(root)
            .ok();
        Prefetched {
            inner,
            folder,
            stored: Mutex::new(HashMap::new()),
        }
    }

    /// Scans `file` (the `i`-th of the batch) and keeps its reading as a unit named `input`.
    pub(super) fn scan(
        &self,
        i: usize,
        file: &Path,
        input: &str,
        duplicates: Duplicates,
    ) -> Result<Scan, ReadError> {
        let Some(folder) = &self.folder else {
            return self.inner.scan(file, None).scan;
        };
        let answer = self.inner.scan(file, Some((input, duplicates)));
        let store = folder.path().join(format!("{i}.json"));
        // Without the stored reading the unit is read again: nothing is lost.
        if let Some(kept) = &answer.reading
            && std::fs::write(&store, kept.as_bytes()).is_ok()
            && let Ok(mut stored) = self.stored.lock()
        {
            stored.insert(file.to_path_buf(), (store, input.to_owned(), duplicates));
        }
        answer.scan
    }

    /// The reading kept for a unit of this one file read as `input`, `duplicates` (taken: its
    /// file is removed), if there is one and it reads back.
    fn take(
        &self,
        file: &Path,
        input: &str,
        duplicates: Duplicates,
    ) -> Option<Result<Reading, ReadError>> {
        let (store, name, rule) = self.stored.lock().ok()?.remove(file)?;
        let bytes = std::fs::read(&store);
        let _ = std::fs::remove_file(&store);
        if name != input || rule != duplicates {
            return None;
        }
        KeptReading::from_bytes(bytes.ok()?)?.decode()
    }
}

impl Reader for Prefetched<'_> {
    fn read_unit(
        &self,
        files: &[PathBuf],
        input: &str,
        duplicates: Duplicates,
    ) -> Result<Reading, ReadError> {
        if let [file] = files
            && let Some(reading) = self.take(file, input, duplicates)
        {
            return reading;
        }
        self.inner.read_unit(files, input, duplicates)
    }

    fn scan(&self, file: &Path, unit: Option<(&str, Duplicates)>) -> Scanned {
        self.inner.scan(file, unit)
    }

    fn read_document(&self, file: &Path) -> Result<Document, ReadError> {
        self.inner.read_document(file)
    }

    fn draft(&self, file: &Path) -> Result<crate::edition::Draft, ReadError> {
        self.inner.draft(file)
    }

    fn read_rows(&self, file: &Path) -> Result<Vec<Vec<String>>, ReadError> {
        self.inner.read_rows(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edition::Edition;
    use crate::worker::InProcess;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A reader that counts the units it reads.
    struct Counting<'a> {
        inner: InProcess<'a>,
        reads: AtomicUsize,
    }

    impl Reader for Counting<'_> {
        fn read_unit(
            &self,
            files: &[PathBuf],
            input: &str,
            duplicates: Duplicates,
        ) -> Result<Reading, ReadError> {
            self.reads.fetch_add(1, Ordering::SeqCst);
            self.inner.read_unit(files, input, duplicates)
        }
        fn scan(&self, file: &Path, unit: Option<(&str, Duplicates)>) -> Scanned {
            self.inner.scan(file, unit)
        }
        fn draft(&self, file: &Path) -> Result<crate::edition::Draft, ReadError> {
            self.inner.draft(file)
        }
        fn read_rows(&self, file: &Path) -> Result<Vec<Vec<String>>, ReadError> {
            self.inner.read_rows(file)
        }
        fn read_document(&self, file: &Path) -> Result<Document, ReadError> {
            self.inner.read_document(file)
        }
    }

    fn json(reading: &Reading) -> String {
        serde_json::to_string(reading).unwrap()
    }

    #[test]
    fn a_one_file_unit_is_read_once_and_as_it_would_be_read() {
        let edition = Edition::builtin();
        let counting = Counting {
            inner: InProcess::new(&edition),
            reads: AtomicUsize::new(0),
        };
        let root = tempfile::tempdir().unwrap();
        let sample = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx");
        let files = vec![sample.clone()];
        let direct = counting
            .read_unit(&files, "s.xlsx", Duplicates::Newest)
            .unwrap();
        let prefetched = Prefetched::new(&counting, root.path());
        let scan = prefetched
            .scan(0, &sample, "s.xlsx", Duplicates::Newest)
            .unwrap();
        assert_eq!(scan, counting.scan(&sample, None).scan.unwrap());
        assert_eq!(scan.code.as_deref(), Some("313603"));
        // Pass 2 of that unit: the kept reading, the same as reading it, and no reading.
        let reads = counting.reads.load(Ordering::SeqCst);
        let kept = prefetched
            .read_unit(&files, "s.xlsx", Duplicates::Newest)
            .unwrap();
        assert_eq!(counting.reads.load(Ordering::SeqCst), reads);
        assert_eq!(json(&kept), json(&direct));
        // Taken once: its file is gone, and another call reads.
        let folder = prefetched.folder.as_ref().unwrap().path().to_path_buf();
        assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0);
        prefetched
            .read_unit(&files, "s.xlsx", Duplicates::Newest)
            .unwrap();
        assert_eq!(counting.reads.load(Ordering::SeqCst), reads + 1);
        // Kept under another name or rule, it is not used: the unit is read.
        prefetched
            .scan(1, &sample, "s.xlsx", Duplicates::Newest)
            .unwrap();
        prefetched
            .read_unit(&files, "other.xlsx", Duplicates::Newest)
            .unwrap();
        assert_eq!(counting.reads.load(Ordering::SeqCst), reads + 2);
        drop(prefetched);
        assert!(!folder.exists(), "the folder goes with the reader");
    }
}
