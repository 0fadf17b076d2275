//! A data file's text (UTF-8, or GBK for a CSV saved by Excel on Chinese Windows), and errors
//! at its lines.

use crate::base::error::{Location, Problem, ReadError};
use std::path::Path;

/// An error in a data file, at a line where known.
pub(super) fn data_error(
    location: &Location,
    line: Option<usize>,
    detail: impl Into<String>,
) -> ReadError {
    let location = match line {
        Some(l) => location.line(l),
        None => location.clone(),
    };
    ReadError::new(
        location,
        Problem::Data {
            detail: detail.into(),
        },
    )
}

/// The text of a data file (`json`, or a CSV): UTF-8, or for a CSV also GBK/GB18030 (what Excel saves as "CSV"
/// on Chinese Windows); bytes that are neither are an error naming the first line that is not
/// UTF-8.
pub(super) fn text_of(path: &Path, location: &Location, json: bool) -> Result<String, ReadError> {
    let bytes =
        super::super::guard::read_file(path, location, &super::super::guard::Limits::DEFAULT)?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let bytes = e.into_bytes();
            let line = 1 + bytes
                [..std::str::from_utf8(&bytes).map_or_else(|e| e.valid_up_to(), |s| s.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            let csv = !json;
            let gbk = csv
                .then(|| {
                    encoding_rs::GB18030
                        .decode_without_bom_handling_and_without_replacement(&bytes)
                        .map(std::borrow::Cow::into_owned)
                })
                .flatten();
            match gbk {
                Some(text) => text,
                None if csv => {
                    return Err(data_error(
                        location,
                        Some(line),
                        "既不是 UTF-8 也不是 GBK（GB18030）编码的文本",
                    ));
                }
                None => {
                    return Err(data_error(
                        location,
                        Some(line),
                        "不是 UTF-8 编码的文本（JSON 应为 UTF-8）",
                    ));
                }
            }
        }
    };
    Ok(text.trim_start_matches('\u{feff}').to_owned())
}
