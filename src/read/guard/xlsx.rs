//! The parts of an .xlsx the guard reads: each sheet's extent (the rectangle its non-empty
//! cells span, its merges, whether formulas lack results), the shared-string count, and which
//! part is which sheet.

use super::xml::{Tag, for_each_tag};
use crate::edition::Rect;
use std::collections::HashMap;
use std::io::Read;
use std::ops::ControlFlow;

/// The number of strings a shared-strings part declares (`uniqueCount` of its `sst` element,
/// which the parser reserves room for), wherever the element starts. Its `count` is the number
/// of string cells of the workbook, larger than the strings whenever a text repeats: no bound.
/// The element opens the part: the part's head is read first, and the whole part (up to `cap`
/// bytes) only when the element is not found there.
pub(super) fn declared_strings(entry: impl Read, cap: u64) -> std::io::Result<Option<u64>> {
    /// The head read first.
    const HEAD: u64 = 64 << 10;
    let first_sst = |xml: &mut dyn Read| {
        let mut declared = None;
        let found = for_each_tag(xml, cap, |tag| {
            if tag.local() == b"sst" && !tag.is_end() {
                declared = Some(tag.attr_number(b"uniqueCount"));
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        });
        found.map(|()| declared)
    };
    let mut entry = entry;
    let mut head = Vec::new();
    (&mut entry).take(HEAD).read_to_end(&mut head)?;
    // A head cut inside a tag may not tokenize: then the whole part decides.
    if let Ok(Some(declared)) = first_sst(&mut &head[..]) {
        return Ok(declared);
    }
    Ok(first_sst(&mut head.chain(entry))?.flatten())
}

/// Sheet name → part path (`xl/worksheets/sheet1.xml`), from `workbook.xml` and its rels.
pub(super) fn sheet_parts(workbook: &str, rels: &str) -> Option<HashMap<String, String>> {
    let mut targets = HashMap::new();
    for_each_tag(rels.as_bytes(), u64::MAX >> 1, |tag| {
        if tag.local() == b"Relationship"
            && let (Some(id), Some(target)) = (tag.attr_text(b"Id"), tag.attr_text(b"Target"))
        {
            targets.insert(id, target);
        }
        ControlFlow::Continue(())
    })
    .ok()?;
    let mut parts = HashMap::new();
    let mut complete = true;
    for_each_tag(workbook.as_bytes(), u64::MAX >> 1, |tag| {
        if tag.local() == b"sheet" && !tag.is_end() {
            // The relationship id is `r:id`, whatever its namespace prefix.
            let found = tag
                .attr_text(b"name")
                .zip(tag.attr_text(b"id").and_then(|id| targets.get(&id)));
            let Some((name, target)) = found else {
                complete = false;
                return ControlFlow::Break(());
            };
            let part = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_owned(),
                None => format!("xl/{target}"),
            };
            parts.insert(name, part);
        }
        ControlFlow::Continue(())
    })
    .ok()?;
    complete.then_some(parts)
}

/// What streaming through a sheet's XML found.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Extent {
    /// Rows from 1 to the last non-empty cell.
    pub(super) rows: u64,
    /// Columns from A to the last non-empty cell.
    pub(super) cols: u64,
    /// The merged ranges (`<mergeCell ref="A1:D1"/>`), 0-based.
    pub(super) merges: Vec<Rect>,
    /// The current row (1-based; 0 before the first).
    row: u64,
    /// The column of the previous cell in the current row (1-based; 0 before the first).
    col: u64,
    /// Inside a cell: whether it has a formula (`<f>`) and a value (`<v>`) so far.
    cell: Option<(bool, bool)>,
    /// Whether some cell has a formula and no value (saved without results).
    pub(super) uncached: bool,
}

/// The extent of a sheet from A1 to its last non-empty cell, and its merged ranges, reading at
/// most `cap` decompressed bytes. A cell is non-empty unless it is an empty-element tag
/// (`<c r="X9" s="1"/>`, a formatted blank); it stands where its `r` says, or after the
/// previous cell (in the row after the previous row) when `r` is missing.
pub(super) fn cell_extent(entry: impl Read, cap: u64) -> std::io::Result<Extent> {
    let mut extent = Extent::default();
    for_each_tag(entry, cap, |tag| {
        extent.note(tag);
        ControlFlow::Continue(())
    })?;
    Ok(extent)
}

impl Extent {
    /// Takes note of one tag.
    fn note(&mut self, tag: Tag<'_>) {
        if tag.is_end() {
            match tag.local() {
                // `<v>…</v>` with text: a value (`<v/>` and `<v></v>` are none).
                b"v" if tag.after_text() => {
                    if let Some(cell) = &mut self.cell {
                        cell.1 = true;
                    }
                }
                b"c" => {
                    if let Some((true, false)) = self.cell.take() {
                        self.uncached = true;
                    }
                }
                _ => {}
            }
            return;
        }
        match tag.local() {
            b"f" => {
                if let Some(cell) = &mut self.cell {
                    cell.0 = true;
                }
            }

            b"row" => {
                self.row = tag
                    .attr_number(b"r")
                    .unwrap_or_else(|| self.row.saturating_add(1));
                self.col = 0;
            }
            b"c" => {
                let (row, col) = tag
                    .attr(b"r")
                    .and_then(|r| cell_ref(r.as_bytes()))
                    .unwrap_or((self.row.max(1), self.col.saturating_add(1)));
                (self.row, self.col) = (row, col);
                if !tag.is_empty() {
                    self.rows = self.rows.max(row);
                    self.cols = self.cols.max(col);
                    self.cell = Some((false, false));
                }
            }
            b"mergeCell" => {
                if let Some(rect) = tag.attr_text(b"ref").and_then(|r| range_ref(&r)) {
                    self.merges.push(rect);
                }
            }
            _ => {}
        }
    }
}

/// A 0-based rectangle of an `A1:D3` reference.
fn range_ref(text: &str) -> Option<Rect> {
    let (a, b) = text.split_once(':')?;
    let (r1, c1) = cell_ref(a.as_bytes())?;
    let (r2, c2) = cell_ref(b.as_bytes())?;
    let index = |v: u64| usize::try_from(v.checked_sub(1)?).ok();
    Some(Rect {
        first_row: index(r1)?,
        first_col: index(c1)?,
        last_row: index(r2)?,
        last_col: index(c2)?,
    })
}

/// The 1-based (row, column) of a cell reference such as `B12` or `$B$12`, saturating on
/// absurd sizes (`A99999999999999999999`); `$` and whitespace anywhere are skipped. One pass,
/// no allocation: it runs once per cell of every sheet.
fn cell_ref(value: &[u8]) -> Option<(u64, u64)> {
    let mut bytes = value
        .iter()
        .copied()
        .filter(|b| *b != b'$' && !b.is_ascii_whitespace())
        .peekable();
    let mut col = 0u64;
    let mut letters = 0;
    while let Some(b) = bytes.next_if(u8::is_ascii_alphabetic) {
        col = col
            .saturating_mul(26)
            .saturating_add(u64::from(b.to_ascii_uppercase() - b'A' + 1));
        letters += 1;
    }
    let mut row = None::<u64>;
    for b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        let n = row.unwrap_or(0);
        row = Some(n.saturating_mul(10).saturating_add(u64::from(b - b'0')));
    }
    (letters > 0).then_some(())?;
    Some((row?, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extent_of_non_empty_cells() {
        let xml = br#"<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" s="2"/></row>
            <row r="12"><c r="B12"><v>1</v></c></row><row r="1048576"><c r="XFD1048576" s="1"/></row></sheetData>"#;
        let e = cell_extent(&xml[..], 1 << 20).unwrap();
        assert_eq!((e.rows, e.cols), (12, 2));
        let far = br#"<c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c>"#;
        let e = cell_extent(&far[..], 1 << 20).unwrap();
        assert_eq!((e.rows, e.cols), (1_048_576, 16_384));
    }

    #[test]
    fn extent_across_chunk_boundaries() {
        let mut xml = Vec::new();
        for r in 1..=5000 {
            xml.extend_from_slice(
                format!("<row r=\"{r}\"><c r=\"AB{r}\" t=\"n\"><v>{r}</v></c></row>").as_bytes(),
            );
        }
        let e = cell_extent(&xml[..], 1 << 30).unwrap();
        assert_eq!((e.rows, e.cols, e.merges.len()), (5000, 28, 0));
        assert!(cell_extent(&xml[..], 1000).is_err());
    }

    #[test]
    fn merges_and_sheet_parts() {
        let xml = br#"<sheetData/><mergeCells count="2"><mergeCell ref="A1:D1"/><mergeCell ref="B4:B6"/></mergeCells>"#;
        let e = cell_extent(&xml[..], 1 << 20).unwrap();
        assert_eq!(
            e.merges[1],
            Rect {
                first_row: 3,
                first_col: 1,
                last_row: 5,
                last_col: 1
            }
        );
        let workbook = r#"<sheets><sheet name="表1 &amp; 注" sheetId="1" r:id="rId2"/><sheet name="Sheet2" sheetId="2" ns:id="rId3"/></sheets>"#;
        let rels = r#"<Relationship Id="rId2" Type="x" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Type="x" Target="/xl/worksheets/s2.xml"/>"#;
        let parts = sheet_parts(workbook, rels).unwrap();
        assert_eq!(parts["表1 & 注"], "xl/worksheets/sheet1.xml");
        assert_eq!(parts["Sheet2"], "xl/worksheets/s2.xml");
    }

    #[test]
    fn cell_references_in_any_spelling() {
        assert_eq!(cell_ref(b"B12"), Some((12, 2)));
        assert_eq!(cell_ref(b"$aa$3"), Some((3, 27)));
        assert_eq!(cell_ref(b" X F D 1048576 "), Some((1_048_576, 16_384)));
        assert_eq!(cell_ref(b"A99999999999999999999"), Some((u64::MAX, 1)));
        for bad in [&b""[..], b"12", b"A", b"A1B", b"A-1", b"\xe4\xb8\x80"] {
            assert_eq!(cell_ref(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn cells_without_references_and_in_any_spelling() {
        let e = cell_extent(&br#"<row r="1048576"><c><v>1</v></c></row>"#[..], 1 << 20).unwrap();
        assert_eq!((e.rows, e.cols), (1_048_576, 1));
        let e = cell_extent(
            &b"<x:row><x:c\nr='XFD3'><x:v>1</x:v></x:c><x:c><x:v>2</x:v></x:c></x:row>"[..],
            1 << 20,
        )
        .unwrap();
        assert_eq!((e.rows, e.cols), (3, 16_385));
        let e = cell_extent(
            &br#"<c r = "A99999999999999999999"><v>1</v></c>"#[..],
            1 << 20,
        )
        .unwrap();
        assert_eq!(e.rows, u64::MAX);
    }

    #[test]
    fn declared_strings_anywhere() {
        let mut xml = b"<?xml version='1.0'?>".to_vec();
        xml.extend(std::iter::repeat_n(b' ', 10_000));
        xml.extend(b"<x:sst xmlns:x='m' uniqueCount='4000000000' count='1'><x:si/></x:sst>");
        assert_eq!(
            declared_strings(&xml[..], 1 << 20).unwrap(),
            Some(4_000_000_000)
        );
        // Beyond the head read first.
        let mut far = vec![b' '; 100_000];
        far.extend(b"<sst uniqueCount='7'><si/></sst>");
        assert_eq!(declared_strings(&far[..], 1 << 20).unwrap(), Some(7));
        assert!(declared_strings(&far[..], 1000).is_err(), "over the cap");
        let cells = b"<sst count='4000000000' uniqueCount='2'><si/><si/></sst>";
        assert_eq!(declared_strings(&cells[..], 1 << 20).unwrap(), Some(2));
        assert_eq!(declared_strings(&b"<sst>"[..], 1 << 20).unwrap(), None);
    }
}
