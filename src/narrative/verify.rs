//! Deciding what each statement speaks of and comparing it with the tables.

use super::figures::{Figure, Figures};
use super::scan::{Said, Statement, Written};
use crate::edition::{NarrativeSpec, Severity, StatementKind};
use rust_decimal::{Decimal, RoundingStrategy};

/// What became of one statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The line (paragraph of a .docx).
    pub line: usize,
    /// The number as written (`404.8万元`, `30.04%`, `没有使用…`).
    pub written: String,
    /// The figure it was taken to speak of.
    pub figure: Option<Figure>,
    /// The verdict.
    pub verdict: Verdict,
}

/// Whether a statement agrees with the tables.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// It does.
    Verified,
    /// The tables cannot tell (why, in Chinese).
    Unverifiable(&'static str),
    /// It does not.
    Contradiction(NarrativeFinding),
}

/// A statement that disagrees with the tables.
#[derive(Debug, Clone, PartialEq)]
pub struct NarrativeFinding {
    /// Rule id (`N1`).
    pub rule: String,
    /// Error or warning.
    pub severity: Severity,
    /// The line (paragraph of a .docx).
    pub line: usize,
    /// The sentence as written.
    pub sentence: String,
    /// What the tables give, in the amount unit (a share: in percent, with `%`).
    pub expected: String,
    /// What the text says, in the same unit.
    pub actual: String,
    /// What is wrong, for a finance clerk.
    pub message: String,
}

/// The figure a statement's words name: of the names found in them, the one ending nearest to
/// the number, then the longest, then one meant for the section over one meant everywhere —
/// provided only filler words (and those of a change) stand between it and the number.
fn subject<'a>(
    spec: &NarrativeSpec,
    figures: &'a Figures,
    context: &str,
    sections: &[String],
    change: bool,
) -> Option<&'a Figure> {
    let mut best: Option<((usize, usize, bool), &Figure)> = None;
    for figure in &figures.all {
        let scoped = match &figure.section {
            Some(s) if !sections.contains(s) => continue,
            Some(_) => true,
            None => false,
        };
        for name in &figure.names {
            if let Some(at) = context.rfind(name.as_str()) {
                let rank = (at + name.len(), name.len(), scoped);
                if best.as_ref().is_none_or(|(r, _)| rank > *r) {
                    best = Some((rank, figure));
                }
            }
        }
    }
    let ((end, _, _), figure) = best?;
    only_fillers(spec, &context[end..], change).then_some(figure)
}

/// Whether the words between a name and its number are fillers only: digits, 年, the
/// edition's filler words, and for a change its words of increase, decrease or no change.
fn only_fillers(spec: &NarrativeSpec, gap: &str, change: bool) -> bool {
    let change_words = spec
        .increase_words
        .iter()
        .chain(&spec.decrease_words)
        .chain(&spec.flat_words)
        .filter(|_| change);
    let words: Vec<&String> = spec.fillers.iter().chain(change_words).collect();
    let mut rest = gap;
    while !rest.is_empty() {
        if let Some(c) = rest
            .chars()
            .next()
            .filter(|c| c.is_ascii_digit() || *c == '年')
        {
            rest = &rest[c.len_utf8()..];
        } else if let Some(w) = words.iter().find(|w| rest.starts_with(w.as_str())) {
            rest = &rest[w.len()..];
        } else {
            return false;
        }
    }
    true
}

/// Whether a written number says the table's value: exactly, or — printed with at least
/// `precision` decimals — the value rounded to the decimals printed.
/// A number printed in a larger unit than the edition's (万元 where it counts in 元) is rounded
/// to that unit's decimals (`1,212.12 万元` = 12,121,164 元 to the hundred).
fn agrees(written: &Written, value: Decimal, precision: u32) -> bool {
    let decimals = written
        .printed
        .max(u32::try_from(written.decimals).unwrap_or(0));
    if decimals >= precision {
        round_at(value, written.decimals) == written.value
    } else {
        value == written.value
    }
}

/// `value` rounded half away from zero to `decimals` places; negative: to tens, hundreds, ….
fn round_at(value: Decimal, decimals: i32) -> Decimal {
    let strategy = RoundingStrategy::MidpointAwayFromZero;
    match u32::try_from(decimals) {
        Ok(places) => value.round_dp_with_strategy(places, strategy),
        Err(_) => {
            let unit = Decimal::from(10_i64.pow(decimals.unsigned_abs().min(18)));
            (value / unit).round_dp_with_strategy(0, strategy) * unit
        }
    }
}

fn amount_text(value: Decimal) -> String {
    crate::base::amount::plain(value)
}

/// Compares each statement with the figures (and last year's, for changes).
pub fn verify(
    spec: &NarrativeSpec,
    words: &Words<'_>,
    figures: &Figures,
    previous: Option<&Figures>,
    statements: &[Statement],
) -> Vec<Outcome> {
    let mut outcomes = Vec::with_capacity(statements.len());
    // The figure last named in the sentence: what a share or a bare change speaks of.
    let mut last: Option<(usize, &Figure)> = None;
    for s in statements {
        let change = matches!(s.said, Said::Change(..) | Said::Flat);
        let named = subject(spec, figures, &s.context, &s.sections, change);
        let carried = last
            .filter(|(n, _)| *n == s.sentence_number)
            .map(|(_, f)| f);
        let figure = match s.said {
            Said::Share(_) | Said::Change(..) | Said::Flat => named.or(carried),
            _ => named,
        };
        if let Some(f) = figure {
            last = Some((s.sentence_number, f));
        }
        let (written, verdict) = judge(spec, words, s, figure, previous);
        outcomes.push(Outcome {
            line: s.line,
            written,
            figure: figure.cloned(),
            verdict,
        });
    }
    outcomes
}

/// Why a count is not checked.
const COUNT: &str = "数量（个数、辆数）不在表中";

/// The words of messages: the amount unit (`万元`) and what lines are (`行`, `段`).
pub struct Words<'a> {
    /// The amount unit.
    pub unit: &'a str,
    /// `行` for a text file, `段` for a Word document.
    pub line: &'a str,
}

/// A figure's name in a message: in quotation marks unless it has its own (`“三公”经费`).
fn quoted(name: &str) -> String {
    if name.contains('“') {
        name.to_owned()
    } else {
        format!("“{name}”")
    }
}

fn judge(
    spec: &NarrativeSpec,
    words: &Words<'_>,
    s: &Statement,
    figure: Option<&Figure>,
    previous: Option<&Figures>,
) -> (String, Verdict) {
    let written = match &s.said {
        Said::Amount(w) | Said::Share(w) | Said::Change(w, _) => w.text.clone(),
        Said::Count(c) => c.clone(),
        Said::Zero => format!(
            "{}{}{}",
            spec.zero_sentence.0, s.context, spec.zero_sentence.1
        ),
        Said::Flat => spec.flat_words.first().cloned().unwrap_or_default(),
    };
    if let Said::Count(_) = s.said {
        return (written, Verdict::Unverifiable(COUNT));
    }
    if s.blank {
        return (written, Verdict::Unverifiable("此节由单位填写，表中没有"));
    }
    let unit = words.unit;
    let Some(f) = figure else {
        return (written, Verdict::Unverifiable("未能确定所指的数字"));
    };
    let contradiction = |kind: StatementKind, expected: String, actual: String, what: String| {
        let rule = spec.rule(kind);
        Verdict::Contradiction(NarrativeFinding {
            rule: rule.id.clone(),
            severity: rule.severity,
            line: s.line,
            sentence: s.sentence.clone(),
            expected,
            actual,
            message: format!(
                "{}：第 {} {}{what}（{}）",
                rule.description, s.line, words.line, f.source
            ),
        })
    };
    let verdict = match &s.said {
        Said::Amount(w) => match f.value {
            None => Verdict::Unverifiable("表中缺少该合计行"),
            Some(v) if agrees(w, v, spec.precision) => Verdict::Verified,
            Some(v) => contradiction(
                StatementKind::Amount,
                amount_text(v),
                amount_text(w.value),
                format!(
                    "{}写作 {}，表中为 {} {unit}",
                    quoted(&f.name),
                    w.text,
                    amount_text(v)
                ),
            ),
        },
        Said::Share(w) => match f.share {
            None => Verdict::Unverifiable("该数字没有可计算的占比"),
            Some(share) if agrees(w, share, spec.precision) => Verdict::Verified,
            Some(share) => contradiction(
                StatementKind::Share,
                format!("{share:.2}%"),
                format!("{}%", w.value),
                format!(
                    "{}的占比写作 {}，按表计算为 {share:.2}%",
                    quoted(&f.name),
                    w.text
                ),
            ),
        },
        Said::Zero => match f.value {
            None => Verdict::Unverifiable("表中缺少该合计行"),
            Some(v) if v.is_zero() => Verdict::Verified,
            Some(v) => contradiction(
                StatementKind::Zero,
                amount_text(v),
                "0".into(),
                format!(
                    "称没有{}，表中为 {} {unit}",
                    quoted(&f.name),
                    amount_text(v)
                ),
            ),
        },
        Said::Change(..) | Said::Flat => {
            let before = previous.and_then(|p| p.same(f)).and_then(|p| p.value);
            match (f.value, before) {
                (_, _) if previous.is_none() => {
                    Verdict::Unverifiable("与上年比较：未给出上年预算（--previous）")
                }
                (Some(now), Some(before)) => {
                    let change = now - before;
                    let (said, text) = match &s.said {
                        Said::Change(w, sign) => (
                            Written {
                                value: w.value * Decimal::from(*sign),
                                ..w.clone()
                            },
                            w.text.clone(),
                        ),
                        _ => (
                            Written {
                                value: Decimal::ZERO,
                                decimals: 0,
                                printed: 0,
                                text: written.clone(),
                            },
                            written.clone(),
                        ),
                    };
                    if agrees(&said, change, spec.precision) {
                        Verdict::Verified
                    } else {
                        contradiction(
                            StatementKind::Change,
                            amount_text(change),
                            amount_text(said.value),
                            format!(
                                "{}与上年比较写作 {text}，表中本年 {}、上年 {}，相差 {} {unit}",
                                quoted(&f.name),
                                amount_text(now),
                                amount_text(before),
                                amount_text(change)
                            ),
                        )
                    }
                }
                _ => Verdict::Unverifiable("本年或上年的表中缺少该数"),
            }
        }
        Said::Count(_) => Verdict::Unverifiable(COUNT),
    };
    (written, verdict)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(text: &str, decimals_in_unit: Option<i32>) -> Written {
        let value = Decimal::from_str_exact(text).unwrap();
        Written {
            decimals: decimals_in_unit.unwrap_or(value.scale() as i32),
            printed: value.scale(),
            value,
            text: text.to_owned(),
        }
    }

    fn d(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }

    #[test]
    fn figures_agree_exactly_at_the_precision_printed() {
        // Fewer decimals than the precision: exact (trailing zeros dropped are fine).
        assert!(agrees(&written("404.8", None), d("404.80"), 2));
        assert!(agrees(&written("0", None), d("0.00"), 2));
        assert!(!agrees(&written("0", None), d("0.30"), 2));
        assert!(!agrees(&written("1347", None), d("1347.44"), 2));
        // As many or more: the table's figure rounded to them.
        assert!(agrees(&written("16.75", None), d("16.7512"), 2));
        assert!(!agrees(&written("16.75", None), d("16.7550"), 2));
        // 8000 元 is 0.8000 万元: four decimals.
        assert!(agrees(&written("0.8000", Some(4)), d("0.80"), 2));
        assert!(!agrees(&written("0.8001", Some(4)), d("0.80"), 2));
        // 1,212.12 万元 where the edition counts in 元: 12,121,200 to the hundred.
        let wan = |value: &str| Written {
            printed: 2,
            ..written(value, Some(-2))
        };
        assert!(agrees(&wan("12121200"), d("12121164"), 2));
        assert!(!agrees(&wan("12121200"), d("12121264"), 2));
        assert!(agrees(&wan("0"), d("0"), 2));
    }

    #[test]
    fn names_with_their_own_quotes_are_not_quoted_again() {
        assert_eq!(quoted("基本支出"), "“基本支出”");
        assert_eq!(quoted("“三公”经费"), "“三公”经费");
    }
}
