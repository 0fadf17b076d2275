//! Text normalisation shared by the reader, the writers and the checks.
//!
//! Official header and label text carries layout spaces ("收 入", "合 计") and comes with
//! full-width or half-width brackets and quotes depending on who typed it. Two normal forms are
//! used: [`compact`] (whitespace removed, otherwise verbatim: used for keys in the model) and
//! [`fold`] (also brackets and quotes unified: used for matching submitted text).

/// Removes all whitespace, including full-width spaces and line breaks.
pub fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The matching form of a text: [`compact`], with full-width ASCII folded to half-width and
/// every kind of bracket and quotation mark unified.
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' | '［' | '【' | '〔' | '[' => '(',
            '）' | '］' | '】' | '〕' | ']' => ')',
            '“' | '”' | '「' | '」' | '『' | '』' | '‘' | '’' | '\'' | '＂' | '＇' => {
                '"'
            }
            '：' => ':',
            '，' => ',',
            '－' | '—' | '–' => '-',
            c @ '！'..='～' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn width_counts_cjk_double() {
        assert_eq!(display_width("合计"), 4.0);
        assert_eq!(display_width("1,347.44"), 8.0);
        assert_eq!(display_width("ab\n合计合计"), 8.0);
    }
}
