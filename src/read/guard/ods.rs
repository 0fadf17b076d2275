//! The extent of an OpenDocument spreadsheet's tables, repeat counts included: a cell written
//! once with `table:number-columns-repeated="16384"` inside a row repeated a million times
//! stands for 2^34 cells to a reader that expands repeats.

use super::xml::{Tag, for_each_tag};
use std::io::Read;
use std::ops::ControlFlow;

/// Rows × columns spanned by the cells with content, per table.
#[derive(Debug, Default)]
struct Walk {
    tables: Vec<(String, u64, u64)>,
    name: String,
    row: u64,
    rows: u64,
    cols: u64,
    row_repeat: u64,
    row_cols: u64,
    col: u64,
    cell: Option<(u64, u64, bool)>,
}

impl Walk {
    fn tag(&mut self, tag: Tag<'_>) {
        let repeat = |name: &[u8]| tag.attr_number(name).unwrap_or(1).max(1);
        match (tag.local(), tag.is_end()) {
            (b"table", false) => {
                *self = Walk {
                    tables: std::mem::take(&mut self.tables),
                    name: tag.attr_text(b"name").unwrap_or_default(),
                    ..Walk::default()
                }
            }
            (b"table", true) => {
                self.tables
                    .push((std::mem::take(&mut self.name), self.rows, self.cols))
            }
            (b"table-row", false) => {
                self.row_repeat = repeat(b"number-rows-repeated");
                (self.col, self.row_cols) = (0, 0);
                if tag.is_empty() {
                    self.row = self.row.saturating_add(self.row_repeat);
                }
            }
            (b"table-row", true) => {
                if self.row_cols > 0 {
                    self.rows = self.rows.max(self.row.saturating_add(self.row_repeat));
                    self.cols = self.cols.max(self.row_cols);
                }
                self.row = self.row.saturating_add(self.row_repeat);
            }
            (b"table-cell" | b"covered-table-cell", false) => {
                let n = repeat(b"number-columns-repeated");
                let valued = tag.attr(b"value-type").is_some();
                if tag.is_empty() {
                    if valued {
                        self.row_cols = self.col.saturating_add(n);
                    }
                } else {
                    self.cell = Some((self.col, n, valued));
                }
                self.col = self.col.saturating_add(n);
            }
            (b"p", false) => {
                if let Some(cell) = &mut self.cell {
                    cell.2 = true;
                }
            }
            (b"table-cell" | b"covered-table-cell", true) => {
                if let Some((col, n, true)) = self.cell.take() {
                    self.row_cols = self.row_cols.max(col.saturating_add(n));
                }
            }
            _ => {}
        }
    }
}

/// Each table's name, rows and columns spanned by cells with content, reading at most `cap`
/// bytes of `content.xml`.
pub(super) fn extents(content: impl Read, cap: u64) -> std::io::Result<Vec<(String, u64, u64)>> {
    let mut walk = Walk::default();
    for_each_tag(content, cap, |tag| {
        walk.tag(tag);
        ControlFlow::Continue(())
    })?;
    Ok(walk.tables)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_count_where_there_is_content() {
        let xml = br#"<table:table table:name="T"><table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1020"/></table:table-row>
<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>
<table:table table:name="B"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row></table:table>"#;
        let t = extents(&xml[..], 1 << 20).unwrap();
        assert_eq!(t[0], ("T".into(), 1, 1));
        assert_eq!(t[1], ("B".into(), 1_048_576, 16_384));
    }
}
