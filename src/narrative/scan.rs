//! Finding the figure statements of a narrative: amounts (`1,347.44 万元`, `8000 元`), shares
//! (`占 30.04%`), counts (`0 辆`), comparisons with last year (`增加 45.39 万元`, `持平`) and the
//! zero sentence (`没有使用…安排的支出`), each with the words before it and the section it is in.

use crate::base::text::{fold_char, without_number};
use crate::edition::NarrativeSpec;
use crate::read::Document;
use rust_decimal::Decimal;
use std::str::FromStr;

/// A number as the text writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// Its value: an amount in the edition's amount unit, a share in percent.
    pub value: Decimal,
    /// Its decimals in that unit (`404.8 万元`: 1; `8000 元`: 4); negative when printed in a
    /// larger unit (`1,212.12 万元` where the edition counts in 元: −2, to the hundred).
    pub decimals: i32,
    /// Its decimals as printed, in its own unit (`1,212.12 万元`: 2).
    pub printed: u32,
    /// As written, unit included.
    pub text: String,
}

/// What a statement says.
#[derive(Debug, Clone, PartialEq)]
pub enum Said {
    /// An amount.
    Amount(Written),
    /// A share.
    Share(Written),
    /// A count of things (projects, vehicles): not a table figure.
    Count(String),
    /// That no money comes from a source.
    Zero,
    /// A change against last year: +1 increase, -1 decrease.
    Change(Written, i8),
    /// No change against last year.
    Flat,
}

/// One figure statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// The line (paragraph of a .docx) it is on.
    pub line: usize,
    /// Its sentence as written.
    pub sentence: String,
    /// What it says.
    pub said: Said,
    /// The words that name its figure: before the number in its clause (folded), or the words
    /// inside the zero sentence.
    pub context: String,
    /// The keys of the sections it is in (a level-1 section and a level-2 one within it).
    pub sections: Vec<String>,
    /// Whether it is in a section the tables cannot fill.
    pub blank: bool,
    /// The sentence's number, counted through the text (statements of one sentence share a
    /// subject).
    pub sentence_number: usize,
}

/// A character of the folded text and where it was in the paragraph (byte offset).
type Folded = Vec<(char, usize)>;

fn folded(text: &str) -> Folded {
    let mut out = Vec::new();
    let mut leading = true;
    for (at, c) in text.char_indices() {
        if c.is_whitespace() || c == '*' || c == '\u{feff}' {
            continue;
        }
        // Markdown: heading and quote marks at the start of a line.
        if leading && matches!(c, '#' | '>') {
            continue;
        }
        leading = false;
        out.push((fold_char(c), at));
    }
    out
}

fn string(chars: &[(char, usize)]) -> String {
    chars.iter().map(|c| c.0).collect()
}

/// The statements of a document, in order.
pub fn scan(spec: &NarrativeSpec, document: &Document) -> Vec<Statement> {
    let headings: Vec<String> = spec.sections.iter().map(|s| s.heading_words()).collect();
    let (mut level1, mut level2): (Option<usize>, Option<usize>) = (None, None);
    let mut out = Vec::new();
    let mut sentence_number = 0;
    for paragraph in &document.paragraphs {
        let chars = folded(&paragraph.text);
        let text = string(&chars);
        let bare = without_number(&text);
        let heading = (0..headings.len())
            .filter(|&i| !headings[i].is_empty() && bare.starts_with(headings[i].as_str()))
            .max_by_key(|&i| headings[i].len());
        if let Some(i) = heading {
            if spec.sections[i].level == 1 {
                (level1, level2) = (Some(i), None);
            } else {
                level2 = Some(i);
            }
        }
        let within: Vec<usize> = level1.into_iter().chain(level2).collect();
        let sections: Vec<String> = within
            .iter()
            .map(|&i| spec.sections[i].key.clone())
            .collect();
        let blank = within.iter().any(|&i| spec.sections[i].blank);
        for sentence in split(&chars, |c, _| matches!(c, '。' | ';' | '!' | '?')) {
            sentence_number += 1;
            let start = sentence.first().map_or(0, |c| c.1);
            let end = sentence.last().map_or(0, |c| {
                c.1 + paragraph.text[c.1..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8)
            });
            let mut found = Vec::new();
            statements_of(spec, sentence, &mut found);
            out.extend(found.into_iter().map(|(said, context)| Statement {
                line: paragraph.line,
                sentence: paragraph.text[start..end].trim().to_owned(),
                said,
                context,
                sections: sections.clone(),
                blank,
                sentence_number,
            }));
        }
    }
    out
}

/// Splits at the characters `at` says end a part (the character dropped); empty parts left out.
fn split(chars: &[(char, usize)], at: impl Fn(char, usize) -> bool) -> Vec<&[(char, usize)]> {
    let mut parts = Vec::new();
    let mut start = 0;
    for i in 0..chars.len() {
        if at(chars[i].0, i) {
            if i > start {
                parts.push(&chars[start..i]);
            }
            start = i + 1;
        }
    }
    if chars.len() > start {
        parts.push(&chars[start..]);
    }
    parts
}

fn statements_of(spec: &NarrativeSpec, sentence: &[(char, usize)], out: &mut Vec<(Said, String)>) {
    let text = string(sentence);
    let (zero_from, zero_to) = &spec.zero_sentence;
    if let Some(at) = text.find(zero_from.as_str()) {
        let after = &text[at + zero_from.len()..];
        if let Some(end) = after.find(zero_to.as_str()) {
            out.push((Said::Zero, after[..end].to_owned()));
        }
    }
    let digit = |i: usize| sentence.get(i).is_some_and(|c| c.0.is_ascii_digit());
    // A comma between digits groups thousands; any other ends a clause.
    let clauses = split(sentence, |c, i| {
        matches!(c, ':' | '、') || (c == ',' && !(i > 0 && digit(i - 1) && digit(i + 1)))
    });
    // Clauses without a figure since the last one: a name set off by a colon
    // (`培训支出（项）：预算数 16.75 万元`) still names the figure after it.
    let mut pending = String::new();
    for clause in clauses {
        let words: Vec<char> = clause.iter().map(|c| c.0).collect();
        let before_clause = out.len();
        let mut i = 0;
        while i < words.len() {
            let starts = words[i].is_ascii_digit()
                && (i == 0
                    || !(words[i - 1].is_ascii_digit() || matches!(words[i - 1], '.' | ',')));
            if !starts {
                i += 1;
                continue;
            }
            let (number, decimals, len) = number_at(&words[i..]);
            let context = nearest(&pending, &words[..i]);
            let rest: String = words[i + len..].iter().take(8).collect();
            let written: String = words[i..i + len].iter().collect();
            i += len;
            let Ok(value) = Decimal::from_str(&number) else {
                continue;
            };
            if rest.starts_with('%') {
                let text = format!("{written}%");
                out.push((
                    Said::Share(Written {
                        value,
                        decimals: decimals as i32,
                        printed: decimals,
                        text,
                    }),
                    context,
                ));
            } else if let Some((word, scale)) = spec
                .amount_units
                .iter()
                .find(|(w, _)| rest.starts_with(w.as_str()))
            {
                let amount = Written {
                    value: value * scale,
                    decimals: decimals as i32 + decimal_shift(*scale),
                    printed: decimals,
                    text: format!("{written}{word}"),
                };
                let sign = direction(spec, &context);
                out.push(match sign {
                    Some(sign) => (Said::Change(amount, sign), context),
                    None => (Said::Amount(amount), context),
                });
            } else if let Some(unit) = spec
                .count_units
                .iter()
                .find(|w| rest.starts_with(w.as_str()))
            {
                out.push((Said::Count(format!("{written}{unit}")), context));
            }
        }
        let text: String = words.iter().collect();
        if out.len() == before_clause
            && let Some(at) = spec.flat_words.iter().find_map(|w| text.find(w.as_str()))
        {
            out.push((Said::Flat, text[..at].to_owned()));
        }
        if out.len() == before_clause {
            pending.push_str(&text);
        } else {
            pending.clear();
        }
    }
}

/// The words before a number that can name it: at most the last [`CONTEXT`] characters (names
/// are short; a sentence of a million characters must not make every match scan it).
fn nearest(pending: &str, before: &[char]) -> String {
    let chars: Vec<char> = pending.chars().chain(before.iter().copied()).collect();
    chars[chars.len().saturating_sub(CONTEXT)..]
        .iter()
        .collect()
}

/// Characters of context kept before a number.
const CONTEXT: usize = 120;

/// Whether the words before an amount make it a change: +1 an increase, -1 a decrease (the
/// word nearest the amount decides).
fn direction(spec: &NarrativeSpec, context: &str) -> Option<i8> {
    let last = |words: &[String]| words.iter().filter_map(|w| context.rfind(w.as_str())).max();
    match (last(&spec.increase_words), last(&spec.decrease_words)) {
        (Some(up), Some(down)) => Some(if up > down { 1 } else { -1 }),
        (Some(_), None) => Some(1),
        (None, Some(_)) => Some(-1),
        (None, None) => None,
    }
}

/// How many decimals of the edition's unit one decimal place of a unit `scale` times as large
/// is worth, less one: 0.0001 (元 in 万元) → 4; 10000 (万元 in 元) → −4. Amount units are
/// powers of ten.
fn decimal_shift(scale: Decimal) -> i32 {
    let scale = scale.normalize();
    if scale >= Decimal::ONE {
        -(scale.trunc().to_string().len() as i32 - 1)
    } else {
        scale.scale() as i32
    }
}

/// The number at the start of `words`: its digits without separators, its decimals and how
/// many characters it takes (`1,347.44` → `1347.44`, 2, 8).
fn number_at(words: &[char]) -> (String, u32, usize) {
    let digits = |from: usize| {
        words[from..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let mut len = digits(0);
    let mut number: String = words[..len].iter().collect();
    // Thousands: a comma and exactly three digits.
    while words.get(len) == Some(&',') && digits(len + 1) == 3 {
        number.extend(&words[len + 1..len + 4]);
        len += 4;
    }
    let mut decimals = 0;
    if words.get(len) == Some(&'.') && words.get(len + 1).is_some_and(char::is_ascii_digit) {
        let n = digits(len + 1);
        number.push('.');
        number.extend(&words[len + 1..len + 1 + n]);
        decimals = n as u32;
        len += 1 + n;
    }
    (number, decimals, len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edition::Edition;
    use crate::read::Paragraph;

    fn statements(lines: &[&str]) -> Vec<Statement> {
        let edition = Edition::builtin();
        let document = Document {
            paragraphs: lines
                .iter()
                .enumerate()
                .map(|(i, t)| Paragraph {
                    line: i + 1,
                    text: (*t).to_owned(),
                })
                .collect(),
            word: false,
        };
        scan(edition.narrative.as_ref().unwrap(), &document)
    }

    #[test]
    fn amounts_in_every_spelling() {
        let found =
            statements(&["收支预算总数 1,347.44 万元，基本支出 404.8万元，公务接待费 8000 元。"]);
        let said: Vec<(String, i32, &str)> = found
            .iter()
            .map(|s| match &s.said {
                Said::Amount(w) => (
                    w.value.normalize().to_string(),
                    w.decimals,
                    s.context.as_str(),
                ),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            said,
            [
                ("1347.44".into(), 2, "收支预算总数"),
                ("404.8".into(), 1, "基本支出"),
                ("0.8".into(), 4, "公务接待费"),
            ]
        );
        assert_eq!(
            found[0].sentence,
            "收支预算总数 1,347.44 万元，基本支出 404.8万元，公务接待费 8000 元。"
                .trim_end_matches('。')
        );
    }

    #[test]
    fn shares_changes_counts_and_the_zero_sentence() {
        let found = statements(&[
            "## 二、财政拨款收支预算情况说明",
            "**总数 1347.44 万元，比 2022 年增加 45.39 万元；占 100%；项目 10 个。**",
            "单位没有使用政府性基金预算拨款安排的支出。公务接待费与上年预算持平。",
        ]);
        let kinds: Vec<String> = found
            .iter()
            .map(|s| {
                format!("{}:{:?}", s.line, s.said)
                    .chars()
                    .take(14)
                    .collect()
            })
            .collect();
        assert_eq!(found.len(), 6, "{kinds:?}");
        assert!(matches!(found[1].said, Said::Change(ref w, 1) if w.value.to_string() == "45.39"));
        assert!(matches!(found[2].said, Said::Share(ref w) if w.value.to_string() == "100"));
        assert!(matches!(found[3].said, Said::Count(ref c) if c == "10个"));
        assert_eq!(
            (found[4].said.clone(), found[4].context.as_str()),
            (Said::Zero, "政府性基金预算拨款")
        );
        assert_eq!(
            (found[5].said.clone(), found[5].context.as_str()),
            (Said::Flat, "公务接待费与上年预算")
        );
        assert!(found.iter().all(|s| s.sections == ["fiscal"]));
        assert_eq!(found[0].sentence_number, found[1].sentence_number);
    }

    #[test]
    fn years_and_list_numbers_are_not_figures() {
        assert!(statements(&["1.教育支出（类）2023 年预算数为，主要用于：____万元"]).is_empty());
    }
}
