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

use crate::error::{Location, Problem, ReadError};
use std::fs::File;
use std::io::{BufReader, Read};
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

/// Checks a workbook file against the limits; `Ok` means calamine may open it.
pub fn inspect(path: &Path, location: &Location, limits: &Limits) -> Result<(), ReadError> {
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
    let file = File::open(path).map_err(|e| refuse(Problem::Unreadable(e.to_string())))?;
    let mut head = [0u8; 8];
    let n = (&file)
        .read(&mut head)
        .map_err(|e| refuse(Problem::Unreadable(e.to_string())))?;
    let head = &head[..n];
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        // An OLE compound file: a legacy .xls, or an encrypted .xlsx (which is one too).
        // Its size is bounded above; BIFF8 sheets hold at most 65,536 × 256 cells.
        return Ok(());
    }
    if !head.starts_with(b"PK") {
        return Err(refuse(Problem::Unreadable(
            "不是有效的工作簿（既不是 zip 格式的 xlsx/ods，也不是 xls）".into(),
        )));
    }
    let mut zip = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|e| refuse(Problem::Unreadable(format!("文件已损坏或不完整（{e}）"))))?;
    let mut total = 0u64;
    let mut sheets = Vec::new();
    let mut shared_strings = None;
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
        }
    }
    for i in sheets {
        let entry = zip
            .by_index(i)
            .map_err(|e| refuse(Problem::Unreadable(format!("文件已损坏或不完整（{e}）"))))?;
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let (rows, cols) = cell_extent(entry, limits.max_entry_bytes)
            .map_err(|e| refuse(Problem::Unreadable(format!("{name} 无法解压（{e}）"))))?;
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
    Ok(())
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

/// Rows and columns from A1 to the last non-empty cell of a sheet (`<c r="…">` with content),
/// reading at most `cap` decompressed bytes.
fn cell_extent(entry: impl Read, cap: u64) -> std::io::Result<(u64, u64)> {
    let mut reader = entry.take(cap + 1);
    let mut buf = vec![0u8; 64 * 1024];
    let mut carry: Vec<u8> = Vec::new();
    let (mut rows, mut cols) = (0u64, 0u64);
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
        carry.extend_from_slice(&buf[..n]);
        // Scan complete start tags of cells; keep an unfinished tail for the next chunk.
        let mut consumed = 0;
        let mut pos = 0;
        while let Some(off) = find(&carry[pos..], b"<c ") {
            let start = pos + off;
            let Some(end_off) = memchr::memchr(b'>', &carry[start..]) else {
                break;
            };
            let end = start + end_off;
            let tag = &carry[start..end];
            let empty = tag.last() == Some(&b'/');
            if !empty && let Some((r, c)) = cell_ref(tag) {
                rows = rows.max(r);
                cols = cols.max(c);
            }
            pos = end + 1;
            consumed = pos;
        }
        let keep_from = if find(&carry[consumed..], b"<c").is_some() || carry.len() - consumed < 3 {
            consumed
        } else {
            carry.len().saturating_sub(2)
        };
        carry.drain(..keep_from);
    }
    Ok((rows, cols))
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
        assert_eq!(cell_extent(&xml[..], 1 << 20).unwrap(), (12, 2));
        let far = br#"<c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c>"#;
        assert_eq!(cell_extent(&far[..], 1 << 20).unwrap(), (1_048_576, 16_384));
    }

    #[test]
    fn extent_across_chunk_boundaries() {
        let mut xml = Vec::new();
        for r in 1..=5000 {
            xml.extend_from_slice(
                format!("<row r=\"{r}\"><c r=\"AB{r}\" t=\"n\"><v>{r}</v></c></row>").as_bytes(),
            );
        }
        assert_eq!(cell_extent(&xml[..], 1 << 30).unwrap(), (5000, 28));
        assert!(cell_extent(&xml[..], 1000).is_err());
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
