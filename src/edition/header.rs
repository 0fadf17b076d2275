//! Header grids: the multi-row, merged column headers of a table.

use crate::base::text::compact;

/// A rectangle of cells, 0-based and inclusive, relative to whatever it is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rect {
    /// First row.
    pub first_row: usize,
    /// First column.
    pub first_col: usize,
    /// Last row (inclusive).
    pub last_row: usize,
    /// Last column (inclusive).
    pub last_col: usize,
}

impl Rect {
    /// Whether the rectangle covers more than one cell.
    pub fn is_merge(&self) -> bool {
        self.first_row != self.last_row || self.first_col != self.last_col
    }
}

/// The official column header of one table: its text cells and merges.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderGrid {
    /// Text per row and column; `None` for a cell covered by a merge.
    pub cells: Vec<Vec<Option<String>>>,
    /// Merged ranges (only those spanning more than one cell).
    pub merges: Vec<Rect>,
    /// For every column, the header path: the texts of the cells above it that begin in
    /// their own row (whitespace removed), from the top.
    pub paths: Vec<Vec<String>>,
}

impl HeaderGrid {
    /// Parses rows written with the `"<"` (merged left) and `"^"` (merged up) markers.
    pub fn parse(rows: &[Vec<String>]) -> Result<HeaderGrid, String> {
        let width = rows.first().map_or(0, Vec::len);
        if width == 0 {
            return Err("表头为空".into());
        }
        if let Some((i, _)) = rows.iter().enumerate().find(|(_, r)| r.len() != width) {
            return Err(format!(
                "表头第 {} 行有 {} 格，应为 {width} 格",
                i + 1,
                rows[i].len()
            ));
        }
        // The anchor (top-left cell) of the merge each cell belongs to.
        let mut anchor = vec![vec![(0usize, 0usize); width]; rows.len()];
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                anchor[r][c] = match text.as_str() {
                    "<" if c > 0 => anchor[r][c - 1],
                    "^" if r > 0 => anchor[r - 1][c],
                    "<" | "^" => return Err(format!("表头第 {} 行第 {} 格无法合并", r + 1, c + 1)),
                    _ => (r, c),
                };
            }
        }
        let mut merges = Vec::new();
        let mut cells = vec![vec![None; width]; rows.len()];
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                if anchor[r][c] != (r, c) {
                    continue;
                }
                cells[r][c] = Some(text.clone());
                let mut rect = Rect {
                    first_row: r,
                    first_col: c,
                    last_row: r,
                    last_col: c,
                };
                for (rr, arow) in anchor.iter().enumerate() {
                    for (cc, a) in arow.iter().enumerate() {
                        if *a == (r, c) {
                            rect.last_row = rect.last_row.max(rr);
                            rect.last_col = rect.last_col.max(cc);
                        }
                    }
                }
                let covered = (rect.first_row..=rect.last_row)
                    .all(|rr| (rect.first_col..=rect.last_col).all(|cc| anchor[rr][cc] == (r, c)));
                if !covered {
                    return Err(format!("表头“{text}”的合并区域不是矩形"));
                }
                if rect.is_merge() {
                    merges.push(rect);
                }
            }
        }
        let paths = (0..width)
            .map(|c| {
                (0..rows.len())
                    .filter(|&r| anchor[r][c].0 == r)
                    .map(|r| {
                        let (ar, ac) = anchor[r][c];
                        compact(&rows[ar][ac])
                    })
                    .collect()
            })
            .collect();
        Ok(HeaderGrid {
            cells,
            merges,
            paths,
        })
    }

    /// Number of header rows.
    pub fn height(&self) -> usize {
        self.cells.len()
    }

    /// Number of columns.
    pub fn width(&self) -> usize {
        self.cells.first().map_or(0, Vec::len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Result<HeaderGrid, String> {
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect();
        HeaderGrid::parse(&rows)
    }

    #[test]
    fn merges_and_paths() {
        let g = grid(&[
            &["项 目", "<", "基本支出", "<"],
            &["科目编码", "名称", "合计", "人员经费"],
            &["类", "^", "^", "^"],
        ])
        .unwrap();
        assert_eq!(g.merges.len(), 5);
        assert!(g.merges.contains(&Rect {
            first_row: 0,
            first_col: 0,
            last_row: 0,
            last_col: 1
        }));
        assert!(g.merges.contains(&Rect {
            first_row: 1,
            first_col: 1,
            last_row: 2,
            last_col: 1
        }));
        assert_eq!(g.paths[0], ["项目", "科目编码", "类"]);
        assert_eq!(g.paths[1], ["项目", "名称"]);
        assert_eq!(g.paths[3], ["基本支出", "人员经费"]);
    }

    #[test]
    fn rejects_ragged_and_non_rectangular() {
        assert!(grid(&[&["a", "b"], &["c"]]).is_err());
        assert!(grid(&[&["<", "b"]]).is_err());
        // "a" spans two columns in row 1 but only one in row 2: not a rectangle.
        assert!(grid(&[&["a", "<"], &["^", "b"]]).is_err());
    }
}
