//! Why a set of outputs was not written.

use std::path::Path;

/// Why a set of outputs was not written.
#[derive(Debug, thiserror::Error)]
pub enum SetError {
    /// An output would replace a file yusuan did not write.
    #[error("{path} 已存在，且不是 yusuan 生成的文件，未覆盖：请换一个文件名或输出位置")]
    NotOurs {
        /// The existing file.
        path: String,
    },
    /// An output would replace an input.
    #[error("输出 {path} 就是输入文件，不能覆盖：请换一个文件名或输出位置")]
    Input {
        /// The input.
        path: String,
    },
    /// A file could not be written or moved into place.
    #[error("无法写入 {path}：{}", crate::base::error::io_reason(.cause))]
    Io {
        /// The file or folder.
        path: String,
        /// The cause.
        cause: std::io::Error,
    },
}

pub(super) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SetError + '_ {
    move |cause| SetError::Io {
        path: path.display().to_string(),
        cause,
    }
}
