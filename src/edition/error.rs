//! What can be wrong with an edition description.

/// An error in an edition description.
#[derive(Debug, thiserror::Error)]
pub enum EditionError {
    /// `--edition` names neither a built-in edition nor a file.
    #[error(
        "没有名为“{name}”的内置表样，也没有这个文件：内置表样有 {known}（yusuan editions 列出），或给出表样描述文件（.toml）"
    )]
    Unknown {
        /// What was given.
        name: String,
        /// The built-in editions' names.
        known: String,
    },
    /// The file could not be read.
    #[error("无法读取表样描述 {path}：{}", crate::base::error::io_reason(.cause))]
    Io {
        /// The file.
        path: String,
        /// The cause.
        cause: std::io::Error,
    },
    /// The TOML is malformed or has unknown keys.
    #[error("表样描述 {origin} 格式错误: {message}")]
    Syntax {
        /// Where the description came from.
        origin: String,
        /// The parser's message.
        message: String,
    },
    /// The description is well-formed but inconsistent.
    #[error("表样描述 {origin} 中表{table}“{title}”: {message}")]
    Invalid {
        /// Where the description came from.
        origin: String,
        /// Table number.
        table: u8,
        /// Table title.
        title: String,
        /// What is wrong.
        message: String,
    },
}
