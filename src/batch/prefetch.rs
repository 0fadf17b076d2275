//! A batch's first pass has to open every workbook to tell whose tables it holds; it reads each
//! one whole while it is open (in the worker, as any reading) and keeps the reading in a file
//! of a private folder inside the staging directory. The second pass takes a one-file unit's
//! reading from there instead of reading the workbook a second time. Memory stays flat: the
//! readings wait on disk, each taken (and its file removed) when its unit is converted.

use crate::error::ReadError;
use crate::read::{Document, Duplicates, Reading, Scan};
use crate::worker::{Reader, stored_reading};
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
            return self.inner.scan(file);
        };
        let store = folder.path().join(format!("{i}.json"));
        let scan = self.inner.scan_and_store(file, input, duplicates, &store);
        if store.is_file()
            && let Ok(mut stored) = self.stored.lock()
        {
            stored.insert(file.to_path_buf(), (store, input.to_owned(), duplicates));
        }
        scan
    }
}

impl Reader for Prefetched<'_> {
    fn read_unit(
        &self,
        files: &[PathBuf],
        input: &str,
        duplicates: Duplicates,
    ) -> Result<Reading, ReadError> {
        if let [file] = files {
            let kept = self.stored.lock().ok().and_then(|mut s| s.remove(file));
            if let Some((store, name, rule)) = kept {
                let reading = (name == input && rule == duplicates)
                    .then(|| stored_reading(&store))
                    .flatten();
                let _ = std::fs::remove_file(&store);
                if let Some(reading) = reading {
                    return reading;
                }
            }
        }
        self.inner.read_unit(files, input, duplicates)
    }

    fn scan(&self, file: &Path) -> Result<Scan, ReadError> {
        self.inner.scan(file)
    }

    fn read_document(&self, file: &Path) -> Result<Document, ReadError> {
        self.inner.read_document(file)
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
        fn scan(&self, file: &Path) -> Result<Scan, ReadError> {
            self.inner.scan(file)
        }
        fn scan_and_store(
            &self,
            file: &Path,
            input: &str,
            duplicates: Duplicates,
            store: &Path,
        ) -> Result<Scan, ReadError> {
            self.inner.scan_and_store(file, input, duplicates, store)
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
        assert_eq!(scan, counting.scan(&sample).unwrap());
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
