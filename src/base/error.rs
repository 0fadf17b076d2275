//! Typed errors and notices of the library, each with the place it refers to.

use serde::{Deserialize, Serialize};
use std::fmt;

pub use super::location::Location;

/// The system's reason for a failed file operation, in Chinese; the system's own words follow
/// only where no plain phrase fits.
pub(crate) fn io_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let plain = match error.kind() {
        NotFound => "文件或目录不存在",
        PermissionDenied => "没有权限",
        AlreadyExists => "文件已存在",
        IsADirectory => "这是一个目录，不是文件",
        NotADirectory => "路径中有一段不是目录",
        StorageFull => "磁盘空间不足",
        ReadOnlyFilesystem => "文件系统是只读的",
        DirectoryNotEmpty => "目录不是空的",
        InvalidFilename => "文件名无效或过长",
        _ => return format!("系统错误（{error}）"),
    };
    plain.to_owned()
}

/// What went wrong while reading a workbook.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum Problem {
    /// The file or directory cannot be read from disk.
    #[error("无法读取：{cause}")]
    Io {
        /// The system's reason.
        cause: String,
    },
    /// A data file (JSON, CSV) that does not hold a budget as yusuan writes it.
    #[error("数据文件有误：{detail}")]
    Data {
        /// What is wrong.
        detail: String,
    },
    /// Not a regular file (a FIFO, a device, a directory).
    #[error("无法读取：不是普通文件（管道、设备或目录）")]
    NotAFile,
    /// A file of zero bytes.
    #[error("无法读取：文件为空（0 字节）")]
    EmptyFile,
    /// A directory input without any workbook.
    #[error("无法作为工作簿打开：目录中没有工作簿")]
    NoWorkbooks,
    /// Neither a zip (xlsx, ods) nor an OLE compound file (xls).
    #[error("无法作为工作簿打开：不是有效的工作簿（既不是 zip 格式的 xlsx/ods，也不是 xls）")]
    NotAWorkbook,
    /// A damaged or incomplete file (the zip or compound-file structure).
    #[error("无法作为工作簿打开：文件已损坏或不完整（{detail}）")]
    Corrupt {
        /// What is broken, as the zip or compound-file reader says.
        detail: String,
    },
    /// The spreadsheet parser could not read the file.
    #[error(
        "无法作为工作簿打开：文件内容不符合 Excel 或 OpenDocument 表格的格式（可能已损坏或被改动；请在 Excel 或 WPS 中打开并另存后再提交）"
    )]
    Parser {
        /// The parser's message (in English), shown with `--verbose` only.
        detail: String,
    },
    /// The file itself is over the size limit.
    #[error("拒绝读取：文件大小 {mib} MiB 超过上限 {limit_mib} MiB")]
    FileTooLarge {
        /// Its size.
        mib: u64,
        /// The limit.
        limit_mib: u64,
    },
    /// A part of the zip decompresses to more than the limit.
    #[error("拒绝读取：压缩包内的 {entry} 解压后 {mib} MiB，超过上限")]
    EntryTooLarge {
        /// The part.
        entry: String,
        /// Its decompressed size.
        mib: u64,
    },
    /// A part compresses too well to be real data (a zip bomb).
    #[error("拒绝读取：压缩包内的 {entry} 压缩比 {ratio}:1 异常（疑似压缩炸弹）")]
    Bomb {
        /// The part.
        entry: String,
        /// Its compression ratio.
        ratio: u64,
    },
    /// All parts together decompress to more than the limit.
    #[error("拒绝读取：解压后总大小超过 {limit_mib} MiB")]
    TotalTooLarge {
        /// The limit.
        limit_mib: u64,
    },
    /// A sheet spans more cells than the limit.
    #[error("拒绝读取：{sheet} 的单元格区域达 {rows} 行 × {cols} 列，超过上限 {limit} 个单元格")]
    TooManyCells {
        /// The sheet (or its part in the zip).
        sheet: String,
        /// Rows to its last non-empty cell.
        rows: u64,
        /// Columns to its last non-empty cell.
        cols: u64,
        /// The limit.
        limit: u64,
    },
    /// All sheets together span more cells than the limit.
    #[error("拒绝读取：各工作表的单元格区域合计超过上限 {limit} 个单元格")]
    TooManyCellsTogether {
        /// The limit.
        limit: u64,
    },
    /// A shared-strings table declaring more strings than it can hold.
    #[error("拒绝读取：共享字符串表声明了 {count} 个字符串，而其内容只有 {bytes} 字节")]
    LyingStringCount {
        /// The declared count.
        count: u64,
        /// The part's size.
        bytes: u64,
    },
    /// A worker's answer larger than the main process may build a model from: `--max-answer`,
    /// or a share of `--max-memory` (see [`crate::worker::Limits::max_answer`]).
    #[error("拒绝读取：读取结果达 {size}，超过上限 {limit}{}", answer_limit(.max_memory.as_deref()))]
    AnswerTooLarge {
        /// The answer's size.
        size: String,
        /// The largest answer accepted.
        limit: String,
        /// The `--max-memory` it derives from; `None` when set by `--max-answer`.
        max_memory: Option<String>,
    },
    /// The workbook is protected by a password.
    #[error("工作簿已加密（设置了打开密码），请先取消密码保护再提交")]
    Encrypted,
    /// A workbook holding none of the edition's tables.
    #[error("工作簿中没有找到任何预算表（按表名查找，如“单位收支总表”）")]
    NoTables,
    /// The file is not a format yusuan reads budgets from.
    #[error(
        "不支持的文件类型（预算表应为 .xlsx、.xlsm、.xls、.ods 工作簿，或 yusuan 的 .json、.csv 数据文件）"
    )]
    UnsupportedFormat,
    /// A 情况说明 given where a budget was expected.
    #[error(
        "这是情况说明（.docx、.txt、.md），不是预算表：请用 --narrative 指定，例如 yusuan check 单位预算.xlsx --narrative 情况说明.docx"
    )]
    NarrativeAsBudget,
    /// A table of the edition was not found in the input.
    #[error("缺少表{number}“{title}”")]
    MissingTable {
        /// Table number.
        number: u8,
        /// Official title.
        title: String,
    },
    /// A table appears twice.
    #[error("表{number}“{title}”出现了两次（另一处：{other}）")]
    DuplicateTable {
        /// Table number.
        number: u8,
        /// Official title.
        title: String,
        /// Where the first one is.
        other: String,
    },
    /// The header of a table could not be found under its title.
    #[error("表{number}“{title}”的表头与表样不符（找不到“{expected}”）")]
    HeaderNotFound {
        /// Table number.
        number: u8,
        /// Official title.
        title: String,
        /// The header text looked for.
        expected: String,
    },
    /// A column of the edition is missing from a table's header.
    #[error("表{number}“{title}”缺少“{column}”列")]
    MissingColumn {
        /// Table number.
        number: u8,
        /// Official title.
        title: String,
        /// The column's header path.
        column: String,
    },
    /// A cell that should hold an amount holds something else.
    #[error("表{number}“{title}”“{column}”列的“{text}”不是金额")]
    BadAmount {
        /// Table number.
        number: u8,
        /// Official title.
        title: String,
        /// The column's header path.
        column: String,
        /// The cell's text.
        text: String,
    },
    /// An amount beyond what a budget can hold (10^15 元 or more).
    #[error(
        "表{number}“{title}”“{column}”列的金额“{text}”超出预算金额的范围（绝对值应小于 10^15 元）"
    )]
    AmountOutOfRange {
        /// Table number.
        number: u8,
        /// Official title.
        title: String,
        /// The column's header path.
        column: String,
        /// The cell's text.
        text: String,
    },
    /// A classification code cell is malformed.
    #[error("表{number}“{title}”的科目编码“{text}”无效")]
    BadCode {
        /// Table number.
        number: u8,
        /// Official title.
        title: String,
        /// The cell's text.
        text: String,
    },
    /// A label of a two-sided table is not an item of the edition.
    #[error("表{number}“{title}”{side}方的项目“{label}”不在表样中")]
    UnknownItem {
        /// Table number.
        number: u8,
        /// Official title.
        title: String,
        /// 收入 or 支出.
        side: String,
        /// The label found.
        label: String,
    },
    /// A second row of figures in a table that has one (the 三公 table of some editions).
    #[error("表{number}“{title}”只有一行数字，此处又有一行")]
    ExtraRow {
        /// Table number.
        number: u8,
        /// Official title.
        title: String,
    },
    /// Subtotal rows whose codes cannot be inferred.
    #[error("表{number}“{title}”的汇总行“{name}”无法确定科目编码")]
    UncodedRow {
        /// Table number.
        number: u8,
        /// Official title.
        title: String,
        /// The row's name.
        name: String,
    },
    /// No entity line anywhere.
    #[error("找不到“{line}”行，无法确定单位")]
    MissingEntity {
        /// The entity line as the edition writes it (`单位：代码-名称`).
        line: String,
    },
    /// Tables of different units in one input.
    #[error("单位不一致：此处为“{found}”，{first}为“{expected}”")]
    EntityMismatch {
        /// The unit first seen.
        expected: String,
        /// Where it was seen (sheet and cell).
        first: String,
        /// The unit found here.
        found: String,
    },
    /// A formula saved without its result, which yusuan cannot evaluate.
    #[error("公式“{formula}”没有保存计算结果，且无法计算：请在 Excel 或 WPS 中打开并保存后再提交")]
    Formula {
        /// The formula, with its `=`.
        formula: String,
    },
    /// Reading the input needed more memory than the limit allows.
    #[error("读取时超出内存上限 {limit}，文件可能已损坏或被构造")]
    OutOfMemory {
        /// The limit, as people write it (`2 GiB`).
        limit: String,
    },
    /// Reading the input took longer than the time limit.
    #[error("读取超过时限 {seconds} 秒，文件可能已损坏或被构造")]
    TimedOut {
        /// The limit in seconds, as written (`120`, `0.5`).
        seconds: String,
    },
    /// The process reading the input ended abnormally.
    #[error("读取时进程异常终止（{cause}），文件可能已损坏或被构造")]
    Crashed {
        /// How it ended.
        cause: String,
    },
    /// A fault of yusuan itself while handling this input; `detail` is for `--verbose`.
    #[error("内部错误：处理此文件时程序出错（文件可能已损坏），已跳过")]
    Internal {
        /// The panic message or cause, shown with `--verbose` only.
        detail: String,
    },
    /// A 情况说明 of a kind yusuan does not read.
    #[error("不支持的情况说明文件类型（应为 .docx、.txt 或 .md）")]
    UnsupportedText,
    /// A text file that is not UTF-8.
    #[error("不是 UTF-8 编码的文本，请另存为 UTF-8 后再提交")]
    NotUtf8,
    /// A .docx without its document part, or whose XML is broken.
    #[error("无法作为 Word 文档打开：{detail}")]
    NotADocument {
        /// What is wrong.
        detail: String,
    },
    /// An amount unit that is not understood.
    #[error("不认识的金额单位“{0}”（应为 元、千元 或 万元）")]
    BadAmountUnit(String),
}

/// An error reading an input, with its location.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("{location}：{problem}")]
pub struct ReadError {
    /// Where.
    pub location: Box<Location>,
    /// What.
    pub problem: Box<Problem>,
}

impl ReadError {
    /// An error at a location.
    pub fn new(location: Location, problem: Problem) -> ReadError {
        ReadError {
            location: Box::new(location),
            problem: Box::new(problem),
        }
    }
}

/// How much a notice matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Level {
    /// Something the reader interpreted (shown with `--verbose`).
    Info,
    /// Something the user should look at; the input was still read.
    Warning,
}

/// Something the reader noticed or interpreted while reading, with its location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// How much it matters.
    pub level: Level,
    /// Where.
    pub location: Location,
    /// What, in words for a finance clerk.
    pub message: String,
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}：{}", self.location, self.message)
    }
}

/// Where the largest answer accepted comes from, and what to change when a table really is
/// that large.
fn answer_limit(max_memory: Option<&str>) -> String {
    match max_memory {
        Some(m) => format!(
            "（--max-memory {m} 的 1/16，以保主进程内存不超限；表格确实这么大时可调大 --max-memory）"
        ),
        None => "（--max-answer；表格确实这么大时可调大 --max-answer）".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Error, ErrorKind};

    #[test]
    fn file_errors_in_plain_chinese() {
        assert_eq!(
            io_reason(&Error::from(ErrorKind::NotFound)),
            "文件或目录不存在"
        );
        let other = io_reason(&Error::other("disk on fire"));
        assert!(other.starts_with("系统错误（"), "{other}");
    }
}
