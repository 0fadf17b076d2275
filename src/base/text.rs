//! Text normalisation shared by the reader, the writers and the checks.
//!
//! Official header and label text carries layout spaces ("收 入", "合 计") and comes with
//! full-width or half-width brackets and quotes depending on who typed it. Two normal forms are
//! used: [`compact`] (whitespace removed, otherwise verbatim: used for keys in the model) and
//! [`fold`] (also brackets and quotes unified: used for matching submitted text).

/// Excel's limit on the characters of one cell, counted in UTF-16 units as Excel counts.
pub const CELL_CHARS: usize = 32_767;

/// Whether a text is longer than a cell of a workbook holds ([`CELL_CHARS`]).
pub fn too_long_for_a_cell(text: &str) -> bool {
    text.len() > CELL_CHARS && text.encode_utf16().count() > CELL_CHARS
}

/// Removes all whitespace, including full-width spaces and line breaks.
pub fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The matching form of a text: [`compact`], with full-width ASCII folded to half-width and
/// every kind of bracket and quotation mark unified.
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(fold_char)
        .collect()
}

/// One character in the matching form of [`fold`] (whitespace is left to the caller).
pub fn fold_char(c: char) -> char {
    match c {
        '（' | '［' | '【' | '〔' | '[' => '(',
        '）' | '］' | '】' | '〕' | ']' => ')',
        '“' | '”' | '「' | '」' | '『' | '』' | '‘' | '’' | '\'' | '＂' | '＇' => '"',
        '：' => ':',
        '，' => ',',
        '；' => ';',
        '－' | '—' | '–' => '-',
        c @ '！'..='～' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        c => c,
    }
}

/// A heading or list line without its number: `一、`, `（一）`, `(1)`, `1.`, `1、` at the start
/// of a [`fold`]ed text are dropped.
pub fn without_number(folded: &str) -> &str {
    const CHINESE: &str = "一二三四五六七八九十百零";
    let numeral = |c: char| c.is_ascii_digit() || CHINESE.contains(c);
    let rest = folded.trim_start();
    if let Some(inner) = rest.strip_prefix('(') {
        let n = inner.chars().take_while(|&c| numeral(c)).count();
        let after: String = inner.chars().skip(n).take(1).collect();
        if n > 0 && after == ")" {
            let skip: usize = inner.chars().take(n + 1).map(char::len_utf8).sum();
            return &inner[skip..];
        }
        return rest;
    }
    let n = rest.chars().take_while(|&c| numeral(c)).count();
    let bytes: usize = rest.chars().take(n).map(char::len_utf8).sum();
    match rest[bytes..].chars().next() {
        Some(c @ ('、' | '.' | '．')) if n > 0 => &rest[bytes + c.len_utf8()..],
        _ => rest,
    }
}

/// Fills a pattern's `{name}` placeholders with `value(name)`.
///
/// # Errors
///
/// The name of the first placeholder `value` does not know, or a `{` left open.
pub fn fill(
    pattern: &str,
    mut value: impl FnMut(&str) -> Option<String>,
) -> Result<String, String> {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("“{pattern}”中的 {{ 没有配对的 }}"))?;
        let name = &after[..close];
        out.push_str(&value(name).ok_or_else(|| name.to_owned())?);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Approximate display width of a text in Excel character units: a CJK or other wide
/// character counts as two, anything else as one.
pub fn display_width(s: &str) -> f64 {
    s.lines()
        .map(|line| {
            line.chars()
                .map(|c| if (c as u32) < 0x1100 { 1.0 } else { 2.0 })
                .sum::<f64>()
        })
        .fold(0.0, f64::max)
}

/// Splits `313603-四川省人力资源和社会保障信息中心` into code and name.
pub fn split_entity(text: &str) -> (String, String) {
    let text = text.trim();
    match text.find(['-', '－', '—']) {
        Some(i) => {
            let dash_len = text[i..].chars().next().map_or(1, char::len_utf8);
            (
                text[..i].trim().to_owned(),
                text[i + dash_len..].trim().to_owned(),
            )
        }
        None => (String::new(), text.to_owned()),
    }
}

/// An entity as its line shows it: `313603-某中心`, or the part there is.
pub fn who(code: &str, name: &str) -> String {
    match (code.is_empty(), name.is_empty()) {
        (false, false) => format!("{code}-{name}"),
        (false, true) => code.to_owned(),
        _ => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_split() {
        assert_eq!(
            split_entity("313603-四川省人力资源和社会保障信息中心"),
            ("313603".into(), "四川省人力资源和社会保障信息中心".into())
        );
        assert_eq!(
            split_entity(" 313603－某单位 "),
            ("313603".into(), "某单位".into())
        );
        assert_eq!(split_entity("某单位"), ("".into(), "某单位".into()));
    }

    #[test]
    fn compact_removes_layout_spaces() {
        assert_eq!(compact("合 计"), "合计");
        assert_eq!(compact("本 年 收 入\n合 计\u{3000}"), "本年收入合计");
    }

    #[test]
    fn fold_unifies_brackets_and_quotes() {
        assert_eq!(fold("因公出国（境）费用"), fold("因公出国(境)费用"));
        assert_eq!(fold("“三公”经费"), fold("\"三公\"经费"));
        assert_eq!(fold("「三公」经费"), fold("“三公”经费"));
        assert_eq!(fold("单位：313603"), "单位:313603");
        assert_eq!(fold("ＡＢ１"), "AB1");
    }

    #[test]
    fn numbers_of_headings_and_lists_are_dropped() {
        assert_eq!(without_number("一、收支预算情况说明"), "收支预算情况说明");
        assert_eq!(without_number("(一)收入预算情况"), "收入预算情况");
        assert_eq!(without_number("(12)其他"), "其他");
        assert_eq!(without_number("1.教育支出(类)"), "教育支出(类)");
        assert_eq!(without_number("十一、其他"), "其他");
        assert_eq!(without_number("2023年预算"), "2023年预算");
        assert_eq!(without_number("(类)"), "(类)");
    }

    #[test]
    fn patterns_fill_their_placeholders() {
        let filled = fill("{unit}{year}年", |n| Some(format!("<{n}>")));
        assert_eq!(filled.unwrap(), "<unit><year>年");
        assert_eq!(
            fill("{a}{b}", |n| (n == "a").then(String::new)),
            Err("b".into())
        );
        assert!(fill("{a", |_| Some(String::new())).is_err());
    }

    #[test]
    fn width_counts_cjk_double() {
        assert_eq!(display_width("合计"), 4.0);
        assert_eq!(display_width("1,347.44"), 8.0);
        assert_eq!(display_width("ab\n合计合计"), 8.0);
    }
}
