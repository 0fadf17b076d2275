//! Just enough XML to inspect workbook parts before a parser sees them: a stream of tags read
//! under a byte cap, tag names without their namespace prefix, and attributes in any legal
//! spelling. The tags are found by quick-xml, the tokenizer calamine itself reads the parts
//! with (configured as calamine configures it), so that the inspection places every tag and
//! cell where the parser will: a `>` inside a quoted attribute does not end a tag.

use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;
use std::io::Read;
use std::ops::ControlFlow;

/// One tag: a start, empty-element or end tag.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tag<'a> {
    /// The qualified name (`x:c`).
    name: &'a str,
    /// The start or empty-element tag with its attributes; `None` for an end tag.
    start: Option<&'a BytesStart<'a>>,
    /// Whether it is an empty-element tag (`<c r="A1"/>`).
    empty: bool,
    /// Whether text other than whitespace stands between the previous tag and this one.
    after_text: bool,
}

impl<'a> Tag<'a> {
    /// Whether text other than whitespace stands between the previous tag and this one.
    pub(super) fn after_text(&self) -> bool {
        self.after_text
    }

    /// Whether this is an end tag (`</row>`).
    pub(super) fn is_end(&self) -> bool {
        self.start.is_none()
    }

    /// Whether this is an empty-element tag (`<c r="A1"/>`).
    pub(super) fn is_empty(&self) -> bool {
        self.empty
    }

    /// The name without namespace prefix (`c` for `<x:c …>`).
    pub(super) fn local(&self) -> &'a [u8] {
        let name = self.name.as_bytes();
        match name.iter().rposition(|b| *b == b':') {
            Some(i) => &name[i + 1..],
            None => name,
        }
    }

    /// The raw value of the attribute whose local name is `name` (prefix ignored), if any.
    pub(super) fn attr(&self, name: &[u8]) -> Option<Cow<'a, str>> {
        let start = self.start?;
        start
            .attributes()
            .with_checks(false)
            .filter_map(Result::ok)
            .find(|a| {
                let key = a.key.into_inner().as_bytes();
                let local = match key.iter().rposition(|b| *b == b':') {
                    Some(c) => &key[c + 1..],
                    None => key,
                };
                local == name
            })
            .map(|a| a.value)
    }

    /// The attribute as text, entities decoded.
    pub(super) fn attr_text(&self, name: &[u8]) -> Option<String> {
        let value = self.attr(name)?;
        Some(
            value
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&"),
        )
    }

    /// The attribute as a whole number, saturating (`99999999999999999999` is `u64::MAX`);
    /// `None` when absent or not digits.
    pub(super) fn attr_number(&self, name: &[u8]) -> Option<u64> {
        digits(self.attr(name)?.as_bytes().trim_ascii())
    }
}

/// The whole number of a run of ASCII digits, saturating; `None` when there are none.
pub(super) fn digits(text: &[u8]) -> Option<u64> {
    if text.is_empty() || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(text.iter().fold(0u64, |n, d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    }))
}

/// Calls `f` with every start, empty-element and end tag of the XML read from `input`,
/// reading at most `cap` bytes; stops early when `f` says so. A tag is bounded by the cap too.
///
/// The part is decompressed into memory first (at most `cap` bytes, freed on return). A part
/// that is valid UTF-8 and holds no `<!` (no comment, CDATA section or document type: what
/// a spreadsheet writes) is tokenized by [`scan`], which finds the same tags as quick-xml in a
/// fraction of its time; any other part by quick-xml itself.
///
/// # Errors
///
/// When `input` fails, the XML cannot be tokenized (as the parser could not either), or it is
/// longer than `cap`.
pub(super) fn for_each_tag(
    input: impl Read,
    cap: u64,
    f: impl FnMut(Tag<'_>) -> ControlFlow<()>,
) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    input.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(std::io::Error::other("解压后超过大小上限"));
    }
    match std::str::from_utf8(&bytes) {
        Ok(xml) if memchr::memmem::find(&bytes, b"<!").is_none() => scan(xml, f),
        _ => tags_of(&bytes, f),
    }
}

/// The tags of XML that is valid UTF-8 and holds no `<!`, found as quick-xml finds them
/// (configured as [`tags_of`]): a tag runs from `<` to the first `>` outside quotes (`'` or
/// `"`, anywhere in the tag), `<?…?>` is skipped, a tag ending in `/>` is empty, a name ends
/// at the first whitespace (an end tag's trailing whitespace is trimmed), and text stands
/// between tags. Markup left open at the end, and an end tag with no start tag open, are
/// errors, as for quick-xml.
fn scan(xml: &str, mut f: impl FnMut(Tag<'_>) -> ControlFlow<()>) -> std::io::Result<()> {
    let bytes = xml.as_bytes();
    let unclosed = || std::io::Error::other("标记不完整");
    let mut at = 0;
    let mut after_text = false;
    // Start tags not yet ended.
    let mut open = 0usize;
    while let Some(lt) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) {
        after_text |= !bytes[at..lt].trim_ascii().is_empty();
        let rest = &bytes[lt + 1..];
        if rest.first() == Some(&b'?') {
            // `<?>` is no instruction: its `?` opens it.
            if rest.starts_with(b"?>") {
                return Err(unclosed());
            }
            let end = memchr::memmem::find(&rest[1..], b"?>").ok_or_else(unclosed)?;
            at = lt + 1 + 1 + end + 2;
            continue;
        }
        let close = tag_end(rest).ok_or_else(unclosed)?;
        // The tag's text between `<` and `>`, on character boundaries (`<`, `>` are ASCII).
        let inner = &xml[lt + 1..lt + 1 + close];
        at = lt + 1 + close + 1;
        let flow = if let Some(end) = inner.strip_prefix('/') {
            // An end tag with no start tag open is an error, as for quick-xml.
            open = open.checked_sub(1).ok_or_else(unclosed)?;
            f(Tag {
                name: match end.trim_end_matches([' ', '\t', '\r', '\n']) {
                    "" => end,
                    name => name,
                },
                start: None,
                empty: false,
                after_text: std::mem::take(&mut after_text),
            })
        } else {
            let (content, empty) = match inner.strip_suffix('/') {
                Some(content) => (content, true),
                None => (inner, false),
            };
            let name_len = content
                .bytes()
                .position(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
                .unwrap_or(content.len());
            open += usize::from(!empty);
            let start = BytesStart::from_content(content, name_len);
            f(Tag {
                name: &content[..name_len],
                start: Some(&start),
                empty,
                after_text: std::mem::take(&mut after_text),
            })
        };
        if flow.is_break() {
            return Ok(());
        }
    }
    Ok(())
}

/// The offset of the `>` that ends a tag whose text starts `rest`: the first outside quotes.
fn tag_end(rest: &[u8]) -> Option<usize> {
    let mut quote = None;
    for i in memchr::memchr3_iter(b'>', b'\'', b'"', rest) {
        match (quote, rest[i]) {
            (None, b'>') => return Some(i),
            (None, q) => quote = Some(q),
            (Some(open), q) if open == q => quote = None,
            _ => {}
        }
    }
    None
}

/// [`for_each_tag`] over XML already in memory.
fn tags_of(xml: &[u8], mut f: impl FnMut(Tag<'_>) -> ControlFlow<()>) -> std::io::Result<()> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = false;
    let mut after_text = false;
    loop {
        let event = reader.read_event().map_err(std::io::Error::other)?;
        let flow = match &event {
            Event::Start(e) | Event::Empty(e) => f(Tag {
                name: e.name().into_inner(),
                start: Some(e),
                empty: matches!(event, Event::Empty(_)),
                after_text: std::mem::take(&mut after_text),
            }),
            Event::End(e) => f(Tag {
                name: e.name().into_inner(),
                start: None,
                empty: false,
                after_text: std::mem::take(&mut after_text),
            }),
            Event::Text(t) => {
                after_text |= !t.trim_ascii().is_empty();
                ControlFlow::Continue(())
            }
            Event::CData(_) | Event::GeneralRef(_) => {
                after_text = true;
                ControlFlow::Continue(())
            }
            Event::Eof => return Ok(()),
            _ => ControlFlow::Continue(()),
        };
        if flow.is_break() {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The (local name, `r` attribute) of every start or empty tag of `xml`.
    fn tags(xml: &str) -> Vec<(String, Option<String>)> {
        let mut out = Vec::new();
        for_each_tag(xml.as_bytes(), 1 << 20, |t| {
            if !t.is_end() {
                out.push((
                    String::from_utf8_lossy(t.local()).into_owned(),
                    t.attr(b"r").map(Cow::into_owned),
                ));
            }
            ControlFlow::Continue(())
        })
        .unwrap();
        out
    }

    /// What a tokenizer gives `f`: (name, end, empty, text before, `r`) of every tag, or its
    /// error.
    type Seen = Result<Vec<(String, bool, bool, bool, Option<String>)>, String>;

    fn seen(
        run: impl FnOnce(&mut dyn FnMut(Tag<'_>) -> ControlFlow<()>) -> std::io::Result<()>,
    ) -> Seen {
        let mut out = Vec::new();
        run(&mut |t: Tag<'_>| {
            out.push((
                t.name.to_owned(),
                t.is_end(),
                t.is_empty(),
                t.after_text(),
                t.attr(b"r").map(Cow::into_owned),
            ));
            ControlFlow::Continue(())
        })
        .map_err(|e| e.to_string())?;
        Ok(out)
    }

    fn both(xml: &str) -> (Seen, Seen) {
        (seen(|f| scan(xml, f)), seen(|f| tags_of(xml.as_bytes(), f)))
    }

    #[test]
    fn the_fast_scan_finds_the_tags_quick_xml_finds_in_every_part_of_the_samples() {
        for sample in [
            "samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx",
            "samples/shanghai/上海市普陀区社会福利院-2024.xlsx",
            "templates/sichuan-2023-单位预算.xlsx",
        ] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(sample);
            let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
            for i in 0..zip.len() {
                let mut xml = String::new();
                let mut entry = zip.by_index(i).unwrap();
                let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
                if !name.ends_with(".xml") && !name.ends_with(".rels") {
                    continue;
                }
                entry.read_to_string(&mut xml).unwrap();
                let (fast, quick) = both(&xml);
                assert!(
                    quick.as_ref().is_ok_and(|t| !t.is_empty()),
                    "{sample} {name}"
                );
                assert_eq!(fast, quick, "{sample} {name}");
            }
        }
    }

    #[test]
    fn the_fast_scan_agrees_with_quick_xml_on_random_markup() {
        // Pieces of markup, well-formed and not, put together at random (a fixed sequence).
        const PIECES: [&str; 22] = [
            "<",
            ">",
            "/",
            "/>",
            "</",
            "\"",
            "'",
            " ",
            "\n",
            "c",
            "v",
            "row",
            " r=\"A1\"",
            " r='XFD9'",
            "1",
            "&amp;",
            "<?x?>",
            "?>",
            "<c r=\">\">",
            "\t",
            "x:c",
            "=",
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state >> 11
        };
        let (mut agreed, mut both_failed) = (0, 0);
        for _ in 0..20_000 {
            let mut xml = String::new();
            for _ in 0..next() % 24 {
                xml.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
            let (fast, quick) = both(&xml);
            // The same tags, or both refusing the markup (with words of their own).
            match (&fast, &quick) {
                (Ok(_), Ok(_)) => {
                    assert_eq!(fast, quick, "{xml:?}");
                    agreed += 1;
                }
                (Err(_), Err(_)) => both_failed += 1,
                _ => panic!("{xml:?}: {fast:?} / {quick:?}"),
            }
        }
        assert!(
            agreed > 5_000 && both_failed > 1_000,
            "{agreed} {both_failed}"
        );
    }

    #[test]
    fn attributes_in_every_spelling() {
        for xml in [
            "<c r=\"XFD7\" t=\"s\"/>",
            "<c\nr=\"XFD7\"/>",
            "<c\tr = 'XFD7'/>",
            "<x:c x:r=\"XFD7\"/>",
            "<c s=\"1\"  r\n=\n\"XFD7\" />",
        ] {
            assert_eq!(tags(xml), [("c".into(), Some("XFD7".into()))], "{xml}");
        }
        let mut seen = Vec::new();
        let xml = "<sst xmlns=\"x\" count='3' uniqueCount = '99999999999999999999'></sst>";
        for_each_tag(xml.as_bytes(), 1 << 20, |t| {
            seen.push((
                t.is_end(),
                t.attr_number(b"uniqueCount"),
                t.attr_number(b"count"),
            ));
            ControlFlow::Continue(())
        })
        .unwrap();
        assert_eq!(seen, [(false, Some(u64::MAX), Some(3)), (true, None, None)]);
    }

    #[test]
    fn a_quoted_angle_bracket_does_not_end_a_tag() {
        // The cell is where the parser puts it: XFD1048576, not a tag ending at `>`.
        assert_eq!(
            tags("<row><c foo=\">\" r=\"XFD1048576\"><v>1</v></c></row>"),
            [
                ("row".into(), None),
                ("c".into(), Some("XFD1048576".into())),
                ("v".into(), None)
            ]
        );
    }

    #[test]
    fn text_before_a_tag_and_the_cap() {
        let mut texts = Vec::new();
        let xml = "<c><v> </v><v>1</v><v>&amp;</v></c>";
        for_each_tag(xml.as_bytes(), 1 << 20, |t| {
            if t.is_end() && t.local() == b"v" {
                texts.push(t.after_text());
            }
            ControlFlow::Continue(())
        })
        .unwrap();
        assert_eq!(texts, [false, true, true]);
        let long = format!("<a>{}</a>", "x".repeat(1000));
        assert!(for_each_tag(long.as_bytes(), 100, |_| ControlFlow::Continue(())).is_err());
        assert!(for_each_tag(long.as_bytes(), 2000, |_| ControlFlow::Continue(())).is_ok());
    }
}
