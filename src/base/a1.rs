//! A1 cell references and SUM formula text.

/// Column letters of a 0-based column index: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn column_name(col: usize) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// The 1-based number of column letters (either case): `A` → 1, `z` → 26, `AA` → 27;
/// saturating on absurd lengths (`AAAAAAAAAAAAAAAA…`). The inverse of [`column_name`] + 1.
pub fn column_number(letters: &[u8]) -> u64 {
    letters.iter().fold(0u64, |n, b| {
        n.saturating_mul(26)
            .saturating_add(u64::from(b.to_ascii_uppercase() - b'A' + 1))
    })
}

/// The A1 reference of a 0-based (row, column): (0, 0) → `A1`.
pub fn cell(row: usize, col: usize) -> String {
    format!("{}{}", column_name(col), row + 1)
}

/// The A1 name of a cell with its row fixed: `C$5`.
pub fn absolute_row(row: usize, col: usize) -> String {
    format!("{}${}", column_name(col), row + 1)
}

/// A sheet name quoted for use in a formula: `'单位支出总表'`.
pub fn quoted_sheet(name: &str) -> String {
    format!("'{}'", name.replace('\'', "''"))
}

/// Excel accepts at most 255 arguments per function.
const MAX_ARGS: usize = 255;

/// A `SUM` formula over the given sheet cells (0-based), with runs of adjacent cells in a column
/// or a row written as ranges: `=SUM(F8:F14)`, `=SUM(F9,F13:F15)`. Very long argument lists are
/// nested so no function gets more than 255 arguments.
pub fn sum_formula(cells: &[(usize, usize)]) -> String {
    format!("={}", sum_expr(&ranges(cells)))
}

fn sum_expr(args: &[String]) -> String {
    if args.len() <= MAX_ARGS {
        return format!("SUM({})", args.join(","));
    }
    let nested: Vec<String> = args.chunks(MAX_ARGS).map(sum_expr).collect();
    sum_expr(&nested)
}

/// Groups cells into ranges of consecutive cells along a column or a row, keeping order.
fn ranges(cells: &[(usize, usize)]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < cells.len() {
        let (r0, c0) = cells[i];
        let mut j = i + 1;
        // Run down a column.
        while j < cells.len() && cells[j] == (r0 + (j - i), c0) {
            j += 1;
        }
        if j == i + 1 {
            // Run along a row.
            while j < cells.len() && cells[j] == (r0, c0 + (j - i)) {
                j += 1;
            }
        }
        let last = cells[j - 1];
        out.push(if j == i + 1 {
            cell(r0, c0)
        } else {
            format!("{}:{}", cell(r0, c0), cell(last.0, last.1))
        });
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_numbers_and_names_are_inverse() {
        for col in [0, 25, 26, 701, 702, 16_383] {
            assert_eq!(column_number(column_name(col).as_bytes()), col as u64 + 1);
        }
        assert_eq!(column_number(b"xfd"), 16_384);
        assert_eq!(column_number(&[b'Z'; 40]), u64::MAX);
    }

    #[test]
    fn names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(16383), "XFD");
        assert_eq!(cell(8, 5), "F9");
    }

    #[test]
    fn formulas_use_ranges() {
        assert_eq!(sum_formula(&[(7, 5), (8, 5), (9, 5)]), "=SUM(F8:F10)");
        assert_eq!(sum_formula(&[(8, 5), (12, 5), (13, 5)]), "=SUM(F9,F13:F14)");
        assert_eq!(sum_formula(&[(7, 6), (7, 7)]), "=SUM(G8:H8)");
        assert_eq!(sum_formula(&[(7, 3), (7, 4), (7, 7)]), "=SUM(D8:E8,H8)");
        assert_eq!(sum_formula(&[(4, 1)]), "=SUM(B5)");
    }

    #[test]
    fn long_sums_are_nested() {
        let cells: Vec<(usize, usize)> = (0..600).map(|i| (i * 2, 0)).collect();
        let f = sum_formula(&cells);
        assert!(f.starts_with("=SUM(SUM(A1,A3,"), "{}", &f[..30]);
        assert_eq!(f.matches("SUM(").count(), 4);
    }

    #[test]
    fn sheet_quotes() {
        assert_eq!(quoted_sheet("单位支出总表"), "'单位支出总表'");
        assert_eq!(quoted_sheet("a'b"), "'a''b'");
    }
}
