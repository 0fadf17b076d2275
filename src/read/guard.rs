//! Inspecting a workbook before calamine opens it.
//!
//! calamine aborts the whole process (an allocation failure, which no `catch_unwind` catches)
//! on some tiny crafted files: a sheet whose cells span a huge rectangle (one cell at `A1` and
//! one at `XFD1048576`: a dense range of 2^34 cells, calamine issue 693) or a `sharedStrings.xml`
//! declaring `uniqueCount="4000000000"` (it reserves that many strings, issue 684). Zip-based
//! workbooks also have no decompressed-size limit. So every .xlsx/.xlsm/.ods is checked here
//! first, with bounded work: the zip directory, every entry's size and compression ratio, the
//! rectangle actually spanned by each sheet's non-empty cells (read by streaming through the
//! sheet with a hard cap on bytes), and the shared-string count against the entry's size.

use crate::edition::Rect;
use crate::error::{Location, Problem, ReadError};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// Limits of what the reader accepts.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest input file.
    pub max_file_bytes: u64,
    /// Largest decompressed zip entry.
    pub max_entry_bytes: u64,
    /// Largest total of decompressed entries.
    pub max_total_bytes: u64,
    /// Largest compression ratio of an entry bigger than 1 MiB.
    pub max_ratio: u64,
    /// Most cells in the rectangle from A1 to a sheet's last non-empty cell.
    pub max_cells: u64,
}

impl Limits {
    /// Limits far above any real budget workbook (a few thousand rows) and far below what
    /// would exhaust memory.
    pub const DEFAULT: Limits = Limits {
        max_file_bytes: 200 << 20,
        max_entry_bytes: 200 << 20,
        max_total_bytes: 400 << 20,
        max_ratio: 200,
        max_cells: 2_000_000,
    };
}

/// What the inspection of a zip-based workbook learned on the way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inspection {
    /// The merged ranges of each sheet, by sheet name (for .xlsx, read while the sheets are
    /// streamed through anyway: calamine would parse every sheet again to find them).
    pub merges: Option<HashMap<String, Vec<Rect>>>,
}

/// Reads a workbook file into memory, refusing empty files and files over the size limit
/// before reading them.
pub fn read_file(path: &Path, location: &Location, limits: &Limits) -> Result<Vec<u8>, ReadError> {
    let refuse = |p: Problem| ReadError::new(location.clone(), p);
    let size = std::fs::metadata(path)
        .map_err(|e| refuse(Problem::Unreadable(e.to_string())))?
        .len();
    if size == 0 {
        return Err(refuse(Problem::Unreadable("文件为空（0 字节）".into())));
    }
    if size > limits.max_file_bytes {
        return Err(refuse(Problem::TooLarge(format!(
            "文件大小 {} MiB 超过上限 {} MiB",
            size >> 20,
            limits.max_file_bytes >> 20
        ))));
    }
    std::fs::read(path).map_err(|e| refuse(Problem::Unreadable(e.to_string())))
}

/// Checks a workbook's bytes against the limits; `Ok` means calamine may open them.
pub fn inspect(
    bytes: &[u8],
    location: &Location,
    limits: &Limits,
) -> Result<Inspection, ReadError> {
    let refuse = |p: Problem| ReadError::new(location.clone(), p);
    let head = &bytes[..bytes.len().min(8)];
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        // An OLE compound file: a legacy .xls, or an encrypted .xlsx (which is one too).
        // Its size is bounded above; BIFF8 sheets hold at most 65,536 × 256 cells.
        return Ok(Inspection::default());
    }
    if !head.starts_with(b"PK") {
        return Err(refuse(Problem::Unreadable(
            "不是有效的工作簿（既不是 zip 格式的 xlsx/ods，也不是 xls）".into(),
        )));
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| refuse(Problem::Unreadable(format!("文件已损坏或不完整（{e}）"))))?;
    let mut total = 0u64;
    let mut sheets = Vec::new();
    let mut shared_strings = None;
    let mut workbook_parts = (None, None);
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| refuse(Problem::Unreadable(format!("文件已损坏或不完整（{e}）"))))?;
        let (name, size, packed) = (
            String::from_utf8_lossy(entry.name_raw()).into_owned(),
            entry.size(),
            entry.compressed_size(),
        );
        if size > limits.max_entry_bytes {
            return Err(refuse(Problem::TooLarge(format!(
                "压缩包内的 {name} 解压后 {} MiB，超过上限",
                size >> 20
            ))));
        }
        if size > 1 << 20 && size / packed.max(1) > limits.max_ratio {
            return Err(refuse(Problem::TooLarge(format!(
                "压缩包内的 {name} 压缩比 {}:1 异常（疑似压缩炸弹）",
                size / packed.max(1)
            ))));
        }
        total += size;
        if total > limits.max_total_bytes {
            return Err(refuse(Problem::TooLarge(format!(
                "解压后总大小超过 {} MiB",
                limits.max_total_bytes >> 20
            ))));
        }
        if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            sheets.push(i);
        } else if name == "xl/sharedStrings.xml" {
            shared_strings = Some((i, size));
        } else if name == "xl/workbook.xml" {
            workbook_parts.0 = Some(i);
        } else if name == "xl/_rels/workbook.xml.rels" {
            workbook_parts.1 = Some(i);
        }
    }
    let mut merges_by_part = HashMap::new();
    for i in sheets {
        let entry = zip
            .by_index(i)
            .map_err(|e| refuse(Problem::Unreadable(format!("文件已损坏或不完整（{e}）"))))?;
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let extent = cell_extent(entry, limits.max_entry_bytes)
            .map_err(|e| refuse(Problem::Unreadable(format!("{name} 无法解压（{e}）"))))?;
        let (rows, cols) = (extent.rows, extent.cols);
        merges_by_part.insert(name.clone(), extent.merges);
        if rows.saturating_mul(cols) > limits.max_cells {
            return Err(refuse(Problem::TooLarge(format!(
                "{name} 的单元格区域达 {rows} 行 × {cols} 列，超过上限 {} 个单元格",
                limits.max_cells
            ))));
        }
    }
    if let Some((i, size)) = shared_strings {
        let entry = zip
            .by_index(i)
            .map_err(|e| refuse(Problem::Unreadable(format!("文件已损坏或不完整（{e}）"))))?;
        let mut start = Vec::with_capacity(4096);
        entry
            .take(4096)
            .read_to_end(&mut start)
            .map_err(|e| refuse(Problem::Unreadable(e.to_string())))?;
        // Every string takes at least `<si/>`: five bytes.
        if let Some(count) = attribute_number(&start, b"uniqueCount=\"")
            && count > size / 5 + 16
        {
            return Err(refuse(Problem::TooLarge(format!(
                "共享字符串表声明了 {count} 个字符串，而其内容只有 {size} 字节"
            ))));
        }
    }
    let mut read_part = |i: Option<usize>| -> Option<String> {
        let mut text = String::new();
        zip.by_index(i?)
            .ok()?
            .take(limits.max_entry_bytes)
            .read_to_string(&mut text)
            .ok()?;
        Some(text)
    };
    let parts = read_part(workbook_parts.0)
        .zip(read_part(workbook_parts.1))
        .and_then(|(wb, rels)| sheet_parts(&wb, &rels));
    let merges = parts.map(|parts| {
        parts
            .into_iter()
            .filter_map(|(sheet, part)| merges_by_part.remove(&part).map(|m| (sheet, m)))
            .collect()
    });
    Ok(Inspection { merges })
}

/// The value of attribute `name` in a start tag, entities decoded.
fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let value = &tag[at..at + tag[at..].find('"')?];
    Some(
        value
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

/// The number after `key` (e.g. `uniqueCount="`) in `xml`.
fn attribute_number(xml: &[u8], key: &[u8]) -> Option<u64> {
    let at = find(xml, key)? + key.len();
    let digits: Vec<u8> = xml[at..]
        .iter()
        .copied()
        .take_while(u8::is_ascii_digit)
        .collect();
    std::str::from_utf8(&digits).ok()?.parse().ok()
}

/// The start tags `<name …>` of an XML text.
fn tags<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name} ");
    xml.match_indices(open.as_str())
        .filter_map(|(at, _)| xml[at..].find('>').map(|end| &xml[at..at + end]))
        .collect()
}

/// Sheet name → part path (`xl/worksheets/sheet1.xml`), from `workbook.xml` and its rels.
fn sheet_parts(workbook: &str, rels: &str) -> Option<HashMap<String, String>> {
    let targets: HashMap<String, String> = tags(rels, "Relationship")
        .into_iter()
        .filter_map(|t| Some((attr(t, "Id")?, attr(t, "Target")?)))
        .collect();
    let mut parts = HashMap::new();
    for tag in tags(workbook, "sheet") {
        let name = attr(tag, "name")?;
        // The relationship id is `r:id`, whatever its namespace prefix.
        let at = tag.find(":id=\"")? + ":id=\"".len();
        let id = &tag[at..at + tag[at..].find('"')?];
        let target = targets.get(id)?;
        let part = match target.strip_prefix('/') {
            Some(absolute) => absolute.to_owned(),
            None => format!("xl/{target}"),
        };
        parts.insert(name, part);
    }
    Some(parts)
}

/// What streaming through a sheet's XML found.
#[derive(Debug, Default, PartialEq)]
struct Extent {
    /// Rows from 1 to the last non-empty cell.
    rows: u64,
    /// Columns from A to the last non-empty cell.
    cols: u64,
    /// The merged ranges (`<mergeCell ref="A1:D1"/>`), 0-based.
    merges: Vec<Rect>,
}

/// The extent of a sheet from A1 to its last non-empty cell (`<c r="…">` with content), and
/// its merged ranges, reading at most `cap` decompressed bytes.
fn cell_extent(entry: impl Read, cap: u64) -> std::io::Result<Extent> {
    let mut reader = entry.take(cap + 1);
    let mut buf = vec![0u8; 64 * 1024];
    // Bytes not yet scanned: an unfinished tag carried over to the next chunk.
    let mut pending: Vec<u8> = Vec::new();
    let mut extent = Extent::default();
    let mut read_total = 0u64;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        read_total += n as u64;
        if read_total > cap {
            return Err(std::io::Error::other("解压后超过大小上限"));
        }
        pending.extend_from_slice(&buf[..n]);
        let mut pos = 0;
        let mut unfinished = None;
        while let Some(off) = memchr::memchr(b'<', &pending[pos..]) {
            let start = pos + off;
            let Some(len) = memchr::memchr(b'>', &pending[start..]) else {
                unfinished = Some(start);
                break;
            };
            extent.note(&pending[start + 1..start + len]);
            pos = start + len + 1;
        }
        match unfinished {
            Some(start) => drop(pending.drain(..start)),
            None => pending.clear(),
        }
    }
    Ok(extent)
}

impl Extent {
    /// Takes note of one tag (without its angle brackets).
    fn note(&mut self, tag: &[u8]) {
        if tag.starts_with(b"c ") && tag.last() != Some(&b'/') {
            if let Some((r, c)) = cell_ref(tag) {
                self.rows = self.rows.max(r);
                self.cols = self.cols.max(c);
            }
        } else if tag.starts_with(b"mergeCell ")
            && let Some(rect) = std::str::from_utf8(tag)
                .ok()
                .and_then(|t| attr(t, "ref"))
                .and_then(|r| range_ref(&r))
        {
            self.merges.push(rect);
        }
    }
}

/// A 0-based rectangle of an `A1:D3` reference.
fn range_ref(text: &str) -> Option<Rect> {
    let (a, b) = text.split_once(':')?;
    let (r1, c1) = cell_ref(format!(" r=\"{a}\"").as_bytes())?;
    let (r2, c2) = cell_ref(format!(" r=\"{b}\"").as_bytes())?;
    let index = |v: u64| usize::try_from(v.checked_sub(1)?).ok();
    Some(Rect {
        first_row: index(r1)?,
        first_col: index(c1)?,
        last_row: index(r2)?,
        last_col: index(c2)?,
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// The 1-based (row, column) of the `r="B12"` attribute of a cell tag.
fn cell_ref(tag: &[u8]) -> Option<(u64, u64)> {
    let at = find(tag, b" r=\"")? + 4;
    let value = &tag[at..];
    let mut col = 0u64;
    let mut i = 0;
    while i < value.len() && value[i].is_ascii_alphabetic() {
        col = col
            .saturating_mul(26)
            .saturating_add(u64::from(value[i].to_ascii_uppercase() - b'A' + 1));
        i += 1;
    }
    let digits: Vec<u8> = value[i..]
        .iter()
        .copied()
        .take_while(u8::is_ascii_digit)
        .collect();
    let row = std::str::from_utf8(&digits).ok()?.parse().ok()?;
    Some((row, col))
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
    fn numbers_in_attributes() {
        assert_eq!(
            attribute_number(
                br#"<sst count="3" uniqueCount="4000000000">"#,
                b"uniqueCount=\""
            ),
            Some(4_000_000_000)
        );
        assert_eq!(attribute_number(b"<sst>", b"uniqueCount=\""), None);
    }
}
