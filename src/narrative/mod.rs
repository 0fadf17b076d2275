//! The 情况说明 (the narrative published with the tables): checked against the tables, and
//! written from them.
//!
//! The edition's `[narrative]` names the figures a narrative states — each defined over the
//! tables in the quantity language of the rules across tables — and the names they go by in
//! text. [`check_narrative`] finds every figure statement of a text, decides from the words
//! before it which figure it speaks of, and compares it exactly at the precision printed;
//! [`narrate`] writes the edition's sections with every figure filled in.

mod compose;
mod figures;
mod scan;
mod verify;

pub use compose::{Block, Composed};
pub use figures::{Figure, Figures};
pub use verify::{NarrativeFinding, Outcome, Verdict};

use crate::check::report::{JsonFinding, JsonNarrative};
use crate::edition::{Edition, NarrativeSpec};
use crate::model::Budget;
use crate::read::Document;

/// The edition has no `[narrative]`: nothing to check a narrative by or write one from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("表样“{0}”没有定义情况说明（[narrative]）")]
pub struct NoNarrative(pub String);

fn spec(edition: &Edition) -> Result<&NarrativeSpec, NoNarrative> {
    edition
        .narrative
        .as_ref()
        .ok_or_else(|| NoNarrative(edition.name.clone()))
}

/// What checking one narrative found.
#[derive(Debug, Clone, PartialEq)]
pub struct NarrativeCheck {
    /// The narrative file as given.
    pub file: String,
    /// Every figure statement, in text order, with its verdict.
    pub outcomes: Vec<Outcome>,
}

impl NarrativeCheck {
    /// Figure statements found.
    pub fn figures(&self) -> usize {
        self.outcomes.len()
    }

    /// Statements that agree with the tables.
    pub fn verified(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Verified))
    }

    /// Statements the tables cannot tell.
    pub fn unverifiable(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Unverifiable(_)))
    }

    /// Statements that disagree with the tables.
    pub fn contradictions(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Contradiction(_)))
    }

    /// The findings of the statements that disagree.
    pub fn findings(&self) -> impl Iterator<Item = &NarrativeFinding> {
        self.outcomes.iter().filter_map(|o| match &o.verdict {
            Verdict::Contradiction(f) => Some(f),
            _ => None,
        })
    }

    fn count(&self, f: impl Fn(&Verdict) -> bool) -> usize {
        self.outcomes.iter().filter(|o| f(&o.verdict)).count()
    }

    /// Its counts as reported by `check --format json`.
    pub fn json(&self) -> JsonNarrative {
        JsonNarrative {
            file: self.file.clone(),
            figures: self.figures(),
            verified: self.verified(),
            unverifiable: self.unverifiable(),
            contradictions: self.contradictions(),
        }
    }
}

impl From<&NarrativeFinding> for JsonFinding {
    fn from(f: &NarrativeFinding) -> JsonFinding {
        JsonFinding {
            rule: f.rule.clone(),
            severity: f.severity,
            table: None,
            sheet: None,
            cell: None,
            expected: Some(f.expected.clone()),
            actual: Some(f.actual.clone()),
            message: f.message.clone(),
            line: Some(f.line),
            sentence: Some(f.sentence.clone()),
        }
    }
}

/// Checks a narrative against a budget's tables (and, for the comparisons with last year,
/// against last year's budget when given).
///
/// ```
/// use yusuan::narrative::check_narrative;
/// use yusuan::read::{Document, Paragraph};
///
/// let edition = yusuan::edition::Edition::builtin();
/// let sample = "samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx";
/// let budget = yusuan::read::read_input(&edition, sample.as_ref())?.budget;
/// let text = "其中：基本支出 404.8 万元，占 30.04%；项目支出 942.46 万元，占 69.96%。";
/// let document = Document {
///     paragraphs: vec![Paragraph { line: 7, text: text.into() }],
///     word: false,
/// };
/// let checked = check_narrative(&edition, &budget, None, &document, "说明.txt")?;
/// assert_eq!((checked.figures(), checked.verified()), (4, 3));
/// let finding = checked.findings().next().unwrap();
/// assert_eq!((finding.rule.as_str(), finding.line), ("N1", 7));
/// assert_eq!((finding.expected.as_str(), finding.actual.as_str()), ("942.64", "942.46"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`NoNarrative`] when the edition defines no narrative.
pub fn check_narrative(
    edition: &Edition,
    budget: &Budget,
    previous: Option<&Budget>,
    document: &Document,
    file: &str,
) -> Result<NarrativeCheck, NoNarrative> {
    let spec = spec(edition)?;
    let figures = Figures::of(edition, spec, budget);
    let previous = previous.map(|p| Figures::of(edition, spec, p));
    let statements = scan::scan(spec, document);
    Ok(NarrativeCheck {
        file: file.to_owned(),
        outcomes: verify::verify(
            spec,
            &verify::Words {
                unit: &edition.amount_unit,
                line: document.counted_in(),
            },
            &figures,
            previous.as_ref(),
            &statements,
        ),
    })
}

/// Writes the 情况说明 of a budget from its tables, in the edition's wording; with last year's
/// budget the comparisons are filled in, without it they are left blank for the clerk.
///
/// ```
/// use yusuan::narrative::{Block, narrate};
///
/// let edition = yusuan::edition::Edition::builtin();
/// let sample = "samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx";
/// let budget = yusuan::read::read_input(&edition, sample.as_ref())?.budget;
/// let composed = narrate(&edition, &budget, None)?;
/// assert!(composed.title.ends_with("2023年单位预算情况说明"));
/// let text: Vec<&str> = composed.blocks.iter().filter_map(|b| match b {
///     Block::Paragraph(p) => Some(p.as_str()),
///     _ => None,
/// }).collect();
/// assert!(text.iter().any(|p| p.contains("基本支出404.80万元，占30.04%")));
/// assert!(text.iter().any(|p| p.contains("没有使用政府性基金预算拨款安排的支出")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`NoNarrative`] when the edition defines no narrative.
pub fn narrate(
    edition: &Edition,
    budget: &Budget,
    previous: Option<&Budget>,
) -> Result<Composed, NoNarrative> {
    let spec = spec(edition)?;
    let figures = Figures::of(edition, spec, budget);
    let previous = previous.map(|p| Figures::of(edition, spec, p));
    Ok(compose::compose(spec, budget, &figures, previous.as_ref()))
}

/// The budget's sheets of text that the edition checks as a 情况说明 (`narrative = true`: a
/// Shanghai workbook's 单位编制说明 and 其他相关情况说明), as one document — its paragraphs
/// numbered through the sheets in order — and how to name it: `工作表“单位编制说明”、“…”`.
/// `None` when the budget has none of them.
///
/// ```
/// let edition = yusuan::edition::Edition::named("shanghai-2026").unwrap();
/// let sample = "samples/shanghai/上海市普陀区社会福利院-2024.xlsx";
/// let budget = yusuan::read::read_input(&edition, sample.as_ref())?.budget;
/// let (name, document) = yusuan::narrative::text_sheets_document(&edition, &budget).unwrap();
/// assert_eq!(name, "工作表“单位编制说明”、“其他相关情况说明”");
/// assert_eq!(document.paragraphs[0].text, "2024年单位预算编制说明");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn text_sheets_document(edition: &Edition, budget: &Budget) -> Option<(String, Document)> {
    let mut names = Vec::new();
    let mut paragraphs = Vec::new();
    for spec in edition.text_sheets.iter().filter(|s| s.narrative) {
        let Some(text) = budget.texts.iter().find(|t| t.key == spec.key) else {
            continue;
        };
        names.push(format!("“{}”", spec.sheet));
        for p in &text.paragraphs {
            paragraphs.push(crate::read::Paragraph {
                line: paragraphs.len() + 1,
                text: p.clone(),
            });
        }
    }
    (!names.is_empty()).then(|| {
        let name = format!("工作表{}", names.join("、"));
        (
            name,
            Document {
                paragraphs,
                word: true,
            },
        )
    })
}
