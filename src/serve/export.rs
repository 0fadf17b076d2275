//! `yusuan serve --export DIR`: the round as a batch result folder — each unit's newest
//! upload read, checked and written as `batch` writes a folder of submissions (one folder per
//! unit, 汇总.xlsx, summary.csv, findings.csv).

use super::Store;
use crate::batch::{self, BatchError, Options, Report};
use crate::edition::Edition;
use crate::worker::Reader;
use std::path::Path;

/// Why the round could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The data folder.
    #[error("数据目录 {path} 无法读取：{reason}")]
    Data {
        /// The folder.
        path: String,
        /// Why.
        reason: String,
    },
    /// No unit has uploaded.
    #[error("本轮还没有任何单位报送，没有可导出的内容")]
    Nothing,
    /// The batch.
    #[error(transparent)]
    Batch(#[from] BatchError),
}

/// Writes the round kept in `data` into `outdir` as `batch` would, from each unit's newest
/// upload (copied, under the unit's name, into a folder of its own first: the stored names
/// are the server's).
///
/// # Errors
///
/// An [`ExportError`] when the data folder cannot be read, nobody uploaded, or the batch
/// cannot write its outputs.
pub fn export(
    edition: &Edition,
    reader: &dyn Reader,
    data: &Path,
    outdir: &Path,
    options: &Options,
) -> Result<Report, ExportError> {
    let fail = |reason: String| ExportError::Data {
        path: data.display().to_string(),
        reason,
    };
    let db = data.join("yusuan.db");
    if !db.exists() {
        return Err(fail("没有 yusuan.db".to_owned()));
    }
    let store = Store::open(&db).map_err(|e| fail(e.to_string()))?;
    let units = store.units().map_err(|e| fail(e.to_string()))?;
    let latest = store.latest_uploads().map_err(|e| fail(e.to_string()))?;
    let inputs = tempfile::tempdir().map_err(|e| fail(e.to_string()))?;
    let mut copied = 0;
    for unit in &units {
        let Some(upload) = latest.iter().find(|u| u.unit_id == unit.id) else {
            continue;
        };
        let ext = Path::new(&upload.stored)
            .extension()
            .map_or_else(|| "xlsx".to_owned(), |e| e.to_string_lossy().into_owned());
        let name = crate::base::file_names::entity(&unit.code, &unit.name);
        let to = inputs.path().join(format!("{name}-{}.{ext}", upload.id));
        std::fs::copy(data.join(&upload.stored), &to).map_err(|e| fail(e.to_string()))?;
        copied += 1;
    }
    if copied == 0 {
        return Err(ExportError::Nothing);
    }
    Ok(batch::run(
        edition,
        reader,
        inputs.path(),
        outdir,
        options,
        |_| {},
    )?)
}
