//! What can go wrong writing outputs, in words for a finance clerk.

use crate::base::output::SetError;
use std::path::Path;

/// An error writing outputs.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The workbook could not be built.
    #[error("无法生成工作簿 {path}：{}", xlsx_reason(source))]
    Xlsx {
        /// The output file.
        path: String,
        /// The cause.
        source: rust_xlsxwriter::XlsxError,
    },
    /// The set of outputs was refused or could not be written.
    #[error(transparent)]
    Set(#[from] SetError),
    /// The edition defines no 情况说明.
    #[error(transparent)]
    Narrative(#[from] crate::narrative::NoNarrative),
    /// A file could not be written.
    #[error("无法写入 {path}：{}", crate::base::error::io_reason(.cause))]
    Io {
        /// The output file.
        path: String,
        /// The cause.
        cause: std::io::Error,
    },
}

/// The reason a workbook could not be built, in Chinese where the cause is the data.
fn xlsx_reason(error: &rust_xlsxwriter::XlsxError) -> String {
    use rust_xlsxwriter::XlsxError;
    match error {
        XlsxError::MaxStringLengthExceeded => {
            "有单元格的文字超过 Excel 的上限 32767 个字符".to_owned()
        }
        XlsxError::RowColumnLimitError => "表格超出 Excel 的行列上限".to_owned(),
        other => other.to_string(),
    }
}

pub(super) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |cause| WriteError::Io {
        path: path.display().to_string(),
        cause,
    }
}
