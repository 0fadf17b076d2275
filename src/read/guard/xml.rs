//! Just enough XML to inspect workbook parts before a parser sees them: a stream of tags read
//! under a byte cap, tag names without their namespace prefix, and attributes in any legal
//! spelling. The tags are found by quick-xml, the tokenizer calamine itself reads the parts
//! with (configured as calamine configures it), so that the inspection places every tag and
//! cell where the parser will: a `>` inside a quoted attribute does not end a tag.

use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;
use std::io::{BufReader, Read};
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
/// # Errors
///
/// When `input` fails, the XML cannot be tokenized (as the parser could not either), or it is
/// longer than `cap`.
pub(super) fn for_each_tag(
    input: impl Read,
    cap: u64,
    mut f: impl FnMut(Tag<'_>) -> ControlFlow<()>,
) -> std::io::Result<()> {
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(input.take(cap + 1)));
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = false;
    let over_cap = |reader: &quick_xml::Reader<BufReader<std::io::Take<_>>>| {
        reader.get_ref().get_ref().limit() == 0
    };
    let too_long = || std::io::Error::other("解压后超过大小上限");
    let mut buf = Vec::new();
    let mut after_text = false;
    loop {
        buf.clear();
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(_) if over_cap(&reader) => return Err(too_long()),
            Err(e) => return Err(std::io::Error::other(e)),
        };
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
            Event::Eof if over_cap(&reader) => return Err(too_long()),
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
