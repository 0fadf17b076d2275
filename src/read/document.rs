//! Reading a 情况说明: a text file (`.txt`, `.md`, UTF-8) line by line, or a Word document
//! (`.docx`) paragraph by paragraph, each with the number a reader finds it by.

use super::guard::{Limits, read_file};
use crate::base::error::{Location, Problem, ReadError};
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::Path;

/// The text of a narrative.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Document {
    /// Its paragraphs (a text file: its lines), in order.
    pub paragraphs: Vec<Paragraph>,
    /// Whether it is a Word document, whose paragraphs are counted (`第 3 段`), not lines.
    #[serde(default)]
    pub word: bool,
}

impl Document {
    /// What its numbers count: `行` (lines of a text file) or `段` (paragraphs of a .docx).
    pub fn counted_in(&self) -> &'static str {
        if self.word { "段" } else { "行" }
    }
}

/// One paragraph and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// The 1-based line of a text file, or paragraph of a .docx.
    pub line: usize,
    /// Its text.
    pub text: String,
}

/// Whether a file is a narrative by its extension (`.docx`, `.txt`, `.md`).
pub fn is_document(path: &Path) -> bool {
    matches!(extension(path).as_deref(), Some("docx" | "txt" | "md"))
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// Reads a narrative by its extension.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("说明.txt");
/// std::fs::write(&path, "一、收支预算情况说明\n\n收支预算总数 1347.44 万元。\n")?;
/// let document = yusuan::read::read_document(&path)?;
/// assert_eq!(document.paragraphs[2].line, 3);
/// assert_eq!(document.paragraphs[2].text, "收支预算总数 1347.44 万元。");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// A [`ReadError`] naming the file when it cannot be read, is not UTF-8 text, is not a Word
/// document, or breaks the size limits of inputs.
pub fn read_document(path: &Path) -> Result<Document, ReadError> {
    let location = Location::file(path.display().to_string());
    let refuse = |problem| ReadError::new(location.clone(), problem);
    let bytes = read_file(path, &location, &Limits::DEFAULT)?;
    match extension(path).as_deref() {
        Some("txt" | "md") => {
            let text = std::str::from_utf8(&bytes).map_err(|_| refuse(Problem::NotUtf8))?;
            Ok(lines(text.strip_prefix('\u{feff}').unwrap_or(text)))
        }
        Some("docx") => {
            let xml = document_xml(&bytes, &Limits::DEFAULT).map_err(refuse)?;
            paragraphs(&xml).map_err(|detail| refuse(Problem::NotADocument { detail }))
        }
        _ => Err(refuse(Problem::UnsupportedText)),
    }
}

fn lines(text: &str) -> Document {
    Document {
        paragraphs: text
            .lines()
            .enumerate()
            .map(|(i, line)| Paragraph {
                line: i + 1,
                text: line.to_owned(),
            })
            .collect(),
        word: false,
    }
}

/// The main part of a .docx, inflated within the limits of inputs: the part that the package
/// relationships (`_rels/.rels`) name as the office document — as Word opens it, not a part
/// that merely has the usual name — and whose content type is a WordprocessingML document.
fn document_xml(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, Problem> {
    let not_docx = |detail: String| Problem::NotADocument { detail };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| not_docx(format!("不是 zip 格式（{e}）")))?;
    let rels = part(&mut archive, "_rels/.rels", limits)?;
    let main = main_part(&rels).ok_or_else(|| not_docx("_rels/.rels 未指明主文档".into()))?;
    let types = part(&mut archive, "[Content_Types].xml", limits)?;
    match content_type(&types, &main) {
        Some(t) if t.contains("wordprocessingml") && t.ends_with(".main+xml") => {}
        Some(t) => {
            return Err(not_docx(format!(
                "主文档 {main} 的类型为 {t}，不是 Word 文档"
            )));
        }
        None => {
            return Err(not_docx(format!(
                "[Content_Types].xml 未说明主文档 {main} 的类型"
            )));
        }
    }
    part(&mut archive, &main, limits)
}

/// One part of a package, inflated within the limits of inputs.
fn part(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
    limits: &Limits,
) -> Result<Vec<u8>, Problem> {
    let not_docx = |detail: String| Problem::NotADocument { detail };
    let entry = archive
        .by_name(name)
        .map_err(|_| not_docx(format!("缺少 {name}")))?;
    let (size, packed) = (entry.size(), entry.compressed_size());
    if size > limits.max_entry_bytes {
        return Err(Problem::EntryTooLarge {
            entry: name.into(),
            mib: size >> 20,
        });
    }
    if size > 1 << 20 && size / packed.max(1) > limits.max_ratio {
        return Err(Problem::Bomb {
            entry: name.into(),
            ratio: size / packed.max(1),
        });
    }
    let mut xml = Vec::new();
    entry
        .take(limits.max_entry_bytes + 1)
        .read_to_end(&mut xml)
        .map_err(|e| not_docx(format!("{name} 已损坏（{e}）")))?;
    if xml.len() as u64 > limits.max_entry_bytes {
        return Err(Problem::EntryTooLarge {
            entry: name.into(),
            mib: xml.len() as u64 >> 20,
        });
    }
    Ok(xml)
}

/// The attributes of every start or empty tag named `local` (namespace prefix ignored).
fn tags_named(xml: &[u8], local: &str) -> Vec<Vec<(String, String)>> {
    let Ok(text) = std::str::from_utf8(xml) else {
        return Vec::new();
    };
    let mut reader = quick_xml::Reader::from_str(text);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                if e.local_name().into_inner() == local =>
            {
                out.push(
                    e.attributes()
                        .with_checks(false)
                        .filter_map(Result::ok)
                        .map(|a| {
                            let value = a
                                .normalized_value(quick_xml::XmlVersion::default())
                                .map(|v| v.into_owned());
                            (a.key.local_name().into_inner().to_owned(), value)
                        })
                        .filter_map(|(k, v)| Some((k, v.ok()?)))
                        .collect(),
                );
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return out,
            Ok(_) => {}
        }
    }
}

fn attribute<'a>(tag: &'a [(String, String)], name: &str) -> Option<&'a str> {
    tag.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The package path of the office document that `_rels/.rels` names (transitional or strict).
fn main_part(rels: &[u8]) -> Option<String> {
    tags_named(rels, "Relationship").iter().find_map(|tag| {
        let kind = attribute(tag, "Type")?;
        if !kind.ends_with("/officeDocument") || attribute(tag, "TargetMode") == Some("External") {
            return None;
        }
        let target = attribute(tag, "Target")?;
        let path = target.trim_start_matches('/').trim_start_matches("./");
        (!path.is_empty() && !path.split('/').any(|s| s == "..")).then(|| path.to_owned())
    })
}

/// The content type of part `path` by `[Content_Types].xml`: its override, or the default
/// of its extension.
fn content_type(types: &[u8], path: &str) -> Option<String> {
    let overrides = tags_named(types, "Override");
    let by_part = overrides.iter().find_map(|tag| {
        let name = attribute(tag, "PartName")?;
        name.trim_start_matches('/')
            .eq_ignore_ascii_case(path)
            .then(|| attribute(tag, "ContentType").map(str::to_owned))?
    });
    by_part.or_else(|| {
        let extension = path.rsplit_once('.')?.1;
        tags_named(types, "Default").iter().find_map(|tag| {
            attribute(tag, "Extension")?
                .eq_ignore_ascii_case(extension)
                .then(|| attribute(tag, "ContentType").map(str::to_owned))?
        })
    })
}

/// The paragraphs (`w:p`) of a document part, numbered from 1 in document order (empty ones
/// and those in tables counted too, as Word counts them); runs' text (`w:t`), tabs and breaks.
fn paragraphs(xml: &[u8]) -> Result<Document, String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let mut in_text = false;
    let mut pos = 0;
    while let Some(off) = memchr::memchr(b'<', &xml[pos..]) {
        let start = pos + off;
        if in_text && let Some(text) = current.as_mut() {
            text.push_str(&unescape(&xml[pos..start])?);
        }
        let len = memchr::memchr(b'>', &xml[start..]).ok_or("XML 标记不完整")?;
        let tag = &xml[start + 1..start + len];
        pos = start + len + 1;
        let end = tag.first() == Some(&b'/');
        let empty = tag.last() == Some(&b'/');
        let name = tag.strip_prefix(b"/").unwrap_or(tag);
        let name = &name[..name
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/')
            .unwrap_or(name.len())];
        match (name, end) {
            (b"w:p", false) if empty => out.push(String::new()),
            (b"w:p", false) => current = Some(String::new()),
            (b"w:p", true) => {
                if let Some(text) = current.take() {
                    out.push(text);
                }
            }
            (b"w:t", false) => in_text = !empty,
            (b"w:t", true) => in_text = false,
            (b"w:tab", false) => current.iter_mut().for_each(|t| t.push('\t')),
            (b"w:br" | b"w:cr", false) => current.iter_mut().for_each(|t| t.push(' ')),
            _ => {}
        }
    }
    Ok(Document {
        paragraphs: out
            .into_iter()
            .enumerate()
            .map(|(i, text)| Paragraph { line: i + 1, text })
            .collect(),
        word: true,
    })
}

/// XML character data with its five entities and numeric references resolved.
fn unescape(raw: &[u8]) -> Result<String, String> {
    let text = std::str::from_utf8(raw).map_err(|_| "文本不是 UTF-8".to_owned())?;
    if !text.contains('&') {
        return Ok(text.to_owned());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after.find(';').ok_or("实体引用不完整")?;
        let name = &after[..semi];
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => name.strip_prefix('#').and_then(|d| d.parse().ok()),
                };
                code.and_then(char::from_u32)
                    .ok_or_else(|| format!("未知的实体引用 &{name};"))?
            }
        };
        out.push(c);
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_paragraphs_are_numbered_as_word_counts_them() {
        let xml = r#"<?xml version="1.0"?><w:document xmlns:w="x"><w:body>
            <w:p><w:pPr><w:pStyle w:val="1"/></w:pPr><w:r><w:t>一、收支</w:t></w:r></w:p>
            <w:p/>
            <w:p><w:r><w:t xml:space="preserve">总数 1,347.44 </w:t></w:r><w:r><w:tab/><w:t>万元&amp;&#x4E00;</w:t></w:r></w:p>
            </w:body></w:document>"#;
        let doc = paragraphs(xml.as_bytes()).unwrap();
        let texts: Vec<(usize, &str)> = doc
            .paragraphs
            .iter()
            .map(|p| (p.line, p.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            [(1, "一、收支"), (2, ""), (3, "总数 1,347.44 \t万元&一")]
        );
    }

    #[test]
    fn broken_xml_and_entities_are_errors() {
        assert!(paragraphs(b"<w:p><w:t>a &bogus; b</w:t></w:p>").is_err());
        assert!(paragraphs(b"<w:p><w:t").is_err());
    }
}
