//! Reading a row's classification code: from its 类/款/项 segment columns, or whole from one
//! column, numeric cells padded, separators dropped.

use super::reader::TableReader;
use crate::base::error::{Level, Notice, Problem, ReadError};
use crate::edition::ColumnKind;

impl TableReader<'_> {
    /// The code of a row from its segment columns and/or whole-code column.
    pub(super) fn code(
        &self,
        r: usize,
        notices: &mut Vec<Notice>,
    ) -> Result<Option<String>, ReadError> {
        if let Some(c) = self.map.whole_code {
            let text = self.sheet.get(r, c).text();
            if text.is_empty() {
                return Ok(None);
            }
            if !text.chars().all(|ch| ch.is_ascii_digit()) || ![3, 5, 7].contains(&text.len()) {
                return Err(ReadError::new(
                    self.location.at(r, c),
                    Problem::BadCode {
                        number: self.spec.number,
                        title: self.spec.title.clone(),
                        text,
                    },
                ));
            }
            return Ok(Some(text));
        }
        let mut segments = String::new();
        let mut whole = None;
        for (c, col) in self.spec.columns.iter().enumerate() {
            let bad = |text: String| {
                self.problem(
                    r,
                    c,
                    Problem::BadCode {
                        number: self.spec.number,
                        title: self.spec.title.clone(),
                        text,
                    },
                )
            };
            match col.kind {
                ColumnKind::CodeSegment(seg) => {
                    let text = self.cell(r, c).text();
                    if text.is_empty() {
                        continue;
                    }
                    let width = seg.end() - seg.start();
                    if !text.chars().all(|ch| ch.is_ascii_digit())
                        || text.len() > width
                        || segments.len() != seg.start()
                    {
                        return Err(bad(text));
                    }
                    if text.len() < width {
                        notices.push(Notice {
                            level: Level::Info,
                            location: self.at(r, c),
                            message: format!(
                                "科目编码{}“{text}”补足为“{text:0>width$}”",
                                seg.name()
                            ),
                        });
                    }
                    segments.push_str(&format!("{text:0>width$}"));
                }
                ColumnKind::Code => {
                    let text = self.cell(r, c).text();
                    if text.is_empty() {
                        continue;
                    }
                    if !text.chars().all(|ch| ch.is_ascii_digit())
                        || ![3, 5, 7].contains(&text.len())
                    {
                        return Err(bad(text));
                    }
                    whole = Some((text, c));
                }
                _ => {}
            }
        }
        match whole {
            Some((w, c)) => {
                if !segments.is_empty() && !w.starts_with(&segments) {
                    return Err(self.problem(
                        r,
                        c,
                        Problem::BadCode {
                            number: self.spec.number,
                            title: self.spec.title.clone(),
                            text: format!("{w}（与分段编码 {segments} 不符）"),
                        },
                    ));
                }
                Ok(Some(w))
            }
            None if segments.is_empty() => Ok(None),
            None => Ok(Some(segments)),
        }
    }
}
