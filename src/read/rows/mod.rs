//! Reading a table's data rows into model rows, for each of the three layouts (one file each).

mod coded;
mod codes;
mod projects;
mod reader;
mod two_sided;

pub(crate) use reader::{TableReader, TableRows};
pub(crate) use two_sided::item_row;

use crate::base::error::{Level, Notice, ReadError};
use crate::edition::Layout;

impl TableReader<'_> {
    /// Reads the rows for the table's layout.
    pub fn read(&self, notices: &mut Vec<Notice>) -> Result<TableRows, ReadError> {
        let mut notes = Vec::new();
        let mut data = Vec::new();
        for r in self.map.data_row..self.end_row {
            if let Some(note) = self.note(r) {
                if self.edition.says_empty(&note) {
                    notes.push(note);
                } else {
                    notices.push(Notice {
                        level: Level::Info,
                        location: self.location.at(r, 0),
                        message: format!(
                            "表{}“{}”下的注释行“{note}”不属于表样，未读入",
                            self.spec.number, self.spec.title
                        ),
                    });
                }
            } else if !self.blank(r) {
                data.push(r);
            }
        }
        let (rows, sheet_rows) = match &self.spec.layout {
            Layout::TwoSided(ts) => self.two_sided(ts, &data, notices)?,
            Layout::Coded(_) => self.coded(&data, notices)?,
            Layout::Projects => self.projects(&data, notices)?,
        };
        if self.extra_decimals.get() > 0 {
            notices.push(Notice {
                level: Level::Warning,
                location: self.location.clone(),
                message: format!(
                    "表{}“{}”有 {} 个金额换算为{}后超出两位小数，已按原值保留（--verbose 列出各单元格）",
                    self.spec.number,
                    self.spec.title,
                    self.extra_decimals.get(),
                    self.target.name()
                ),
            });
        }
        Ok(TableRows {
            rows,
            sheet_rows,
            notes,
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ordinal_prefix() {
        // Items are matched without their ordinals, 百 and 零 included.
        let strip = crate::base::text::without_number;
        assert_eq!(strip("八、上年结转"), "上年结转");
        assert_eq!(
            strip("二十八、抗疫特别国债安排的支出"),
            "抗疫特别国债安排的支出"
        );
        assert_eq!(strip("一百零一、其他"), "其他");
        assert_eq!(strip("上年结转"), "上年结转");
        assert_eq!(strip("一般公共预算拨款收入"), "一般公共预算拨款收入");
    }
}
