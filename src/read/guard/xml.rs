//! Just enough XML to inspect workbook parts before a parser sees them: a stream of tags read
//! in chunks under a byte cap, tag names without their namespace prefix, and attributes in any
//! legal spelling (whitespace around `=`, single or double quotes, line breaks between them).

use std::io::Read;
use std::ops::ControlFlow;

/// One tag, without its angle brackets.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tag<'a> {
    raw: &'a [u8],
    /// The text between the previous tag and this one (within the chunk read).
    before: &'a [u8],
}

impl<'a> Tag<'a> {
    /// A tag from the bytes between `<` and `>`.
    #[cfg(test)]
    pub(super) fn new(raw: &'a [u8]) -> Tag<'a> {
        Tag { raw, before: b"" }
    }

    /// Whether text other than whitespace stands between the previous tag and this one.
    pub(super) fn after_text(&self) -> bool {
        !self.before.trim_ascii().is_empty()
    }

    /// Whether this is an end tag (`</row>`).
    pub(super) fn is_end(&self) -> bool {
        self.raw.first() == Some(&b'/')
    }

    /// Whether this is an empty-element tag (`<c r="A1"/>`).
    pub(super) fn is_empty(&self) -> bool {
        self.raw.last() == Some(&b'/')
    }

    /// The name with its namespace prefix (`x:c`, `table:table-cell`).
    fn qualified(&self) -> &'a [u8] {
        let raw = self.raw.strip_prefix(b"/").unwrap_or(self.raw);
        let end = raw
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/')
            .unwrap_or(raw.len());
        &raw[..end]
    }

    /// The name without namespace prefix (`c` for `<x:c …>`).
    pub(super) fn local(&self) -> &'a [u8] {
        let name = self.qualified();
        match name.iter().rposition(|b| *b == b':') {
            Some(i) => &name[i + 1..],
            None => name,
        }
    }

    /// The raw value of the attribute whose local name is `name` (prefix ignored), if any.
    pub(super) fn attr(&self, name: &[u8]) -> Option<&'a [u8]> {
        let raw = self.raw;
        let mut i = self.qualified().len() + usize::from(self.is_end());
        loop {
            while i < raw.len() && (raw[i].is_ascii_whitespace() || raw[i] == b'/') {
                i += 1;
            }
            let start = i;
            while i < raw.len() && !raw[i].is_ascii_whitespace() && raw[i] != b'=' {
                i += 1;
            }
            if i == start {
                return None;
            }
            let key = &raw[start..i];
            while i < raw.len() && raw[i].is_ascii_whitespace() {
                i += 1;
            }
            if raw.get(i) != Some(&b'=') {
                continue; // a malformed attribute without value
            }
            i += 1;
            while i < raw.len() && raw[i].is_ascii_whitespace() {
                i += 1;
            }
            let quote = *raw.get(i)?;
            if quote != b'"' && quote != b'\'' {
                return None;
            }
            let from = i + 1;
            let len = raw[from..].iter().position(|b| *b == quote)?;
            let value = &raw[from..from + len];
            i = from + len + 1;
            let local = match key.iter().rposition(|b| *b == b':') {
                Some(c) => &key[c + 1..],
                None => key,
            };
            if local == name {
                return Some(value);
            }
        }
    }

    /// The attribute as text, entities decoded.
    pub(super) fn attr_text(&self, name: &[u8]) -> Option<String> {
        let value = std::str::from_utf8(self.attr(name)?).ok()?;
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
        digits(self.attr(name)?.trim_ascii())
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

/// Calls `f` with every tag of the XML read from `input` (comments, processing instructions
/// and declarations included, as tags), reading at most `cap` bytes; stops early when `f`
/// says so. A tag is bounded too: one longer than `cap` is an error.
pub(super) fn for_each_tag(
    input: impl Read,
    cap: u64,
    mut f: impl FnMut(Tag<'_>) -> ControlFlow<()>,
) -> std::io::Result<()> {
    let mut reader = input.take(cap + 1);
    let mut buf = vec![0u8; 64 * 1024];
    // Bytes not yet scanned: an unfinished tag carried over to the next chunk.
    let mut pending: Vec<u8> = Vec::new();
    let mut total = 0u64;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        total += n as u64;
        if total > cap {
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
            let tag = Tag {
                raw: &pending[start + 1..start + len],
                before: &pending[pos..start],
            };
            if f(tag).is_break() {
                return Ok(());
            }
            pos = start + len + 1;
        }
        match unfinished {
            Some(start) => drop(pending.drain(..start)),
            None => pending.clear(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_in_every_spelling() {
        for raw in [
            &b"c r=\"XFD7\" t=\"s\""[..],
            b"c\nr=\"XFD7\"",
            b"c\tr = 'XFD7'",
            b"x:c x:r=\"XFD7\"/",
            b"c s=\"1\"  r\n=\n\"XFD7\" ",
        ] {
            let tag = Tag::new(raw);
            assert_eq!(tag.local(), b"c", "{}", String::from_utf8_lossy(raw));
            assert_eq!(
                tag.attr(b"r"),
                Some(&b"XFD7"[..]),
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
        let tag = Tag::new(b"sst xmlns=\"x\" count='3' uniqueCount = '99999999999999999999'");
        assert_eq!(tag.attr_number(b"uniqueCount"), Some(u64::MAX));
        assert_eq!(tag.attr_number(b"count"), Some(3));
        assert_eq!(tag.attr(b"r"), None);
        assert!(Tag::new(b"/row").is_end());
        assert_eq!(Tag::new(b"/x:row").local(), b"row");
        assert!(Tag::new(b"row r=\"1\"/").is_empty());
    }
}
