//! Why a batch could not run.

use super::staging::StagingError;

/// Why a batch could not run.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The output directory would put the inputs at risk.
    #[error(transparent)]
    Place(#[from] crate::base::output::place::Refused),
    /// The output directory is busy or holds someone else's files.
    #[error(transparent)]
    Staging(#[from] StagingError),
    /// The input directory could not be listed.
    #[error("无法读取目录 {path}：{}", crate::base::error::io_reason(.cause))]
    Discover {
        /// The directory.
        path: String,
        /// The cause.
        cause: std::io::Error,
    },
    /// The input directory holds no budget at all.
    #[error(
        "在 {path} 及其子目录中没有找到任何预算文件（.xlsx、.xlsm、.xls、.ods、.json、.csv），未输出"
    )]
    NothingFound {
        /// The input directory.
        path: String,
    },
    /// The summaries could not be written.
    #[error("无法写入汇总：{}", crate::base::error::io_reason(.0))]
    Summary(std::io::Error),
}
