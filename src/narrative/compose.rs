//! Writing the 情况说明 from the tables: the edition's sections with every figure filled in.

use super::figures::{Figure, Figures};
use crate::base::text::fill;
use crate::edition::{ListSpec, NarrativeSpec};
use crate::model::Budget;
use rust_decimal::Decimal;

/// A narrative as written: title, then headings and paragraphs.
#[derive(Debug, Clone, PartialEq)]
pub struct Composed {
    /// The document's title.
    pub title: String,
    /// Its headings and paragraphs, in order.
    pub blocks: Vec<Block>,
}

/// One block of a narrative.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading, level 1 or 2, numbered as written (`一、`, `（一）`).
    Heading {
        /// 1 or 2.
        level: u8,
        /// The heading.
        text: String,
    },
    /// A paragraph of body text.
    Paragraph(String),
}

/// Fills the edition's sections from a budget's figures (and last year's, for changes).
pub(super) fn compose(
    spec: &NarrativeSpec,
    budget: &Budget,
    figures: &Figures,
    previous: Option<&Figures>,
) -> Composed {
    let writer = Writer {
        spec,
        budget,
        figures,
        previous,
    };
    let title = fill(&spec.title, |p| match p {
        "name" => Some(budget.name.clone()),
        "year" => Some(budget.year.to_string()),
        _ => None,
    })
    .unwrap_or_else(|_| spec.title.clone());
    let mut blocks = Vec::new();
    for section in &spec.sections {
        blocks.push(Block::Heading {
            level: section.level,
            text: section.heading.clone(),
        });
        let zero = section.zero.as_ref().filter(|(key, _)| {
            figures
                .get(key)
                .and_then(|f| f.value)
                .is_some_and(|v| v.is_zero())
        });
        let paragraphs = match zero {
            Some((_, text)) => std::slice::from_ref(text),
            None => section.paragraphs.as_slice(),
        };
        for pattern in paragraphs {
            let text = writer.paragraph(pattern);
            blocks.extend(
                text.split('\n')
                    .filter(|p| !p.is_empty())
                    .map(|p| Block::Paragraph(p.to_owned())),
            );
        }
    }
    Composed { title, blocks }
}

struct Writer<'a> {
    spec: &'a NarrativeSpec,
    budget: &'a Budget,
    figures: &'a Figures,
    previous: Option<&'a Figures>,
}

impl Writer<'_> {
    fn amount(&self, value: Option<Decimal>) -> String {
        let amount = value.map_or_else(|| self.spec.blank.clone(), |v| self.written(v));
        self.spec.amount.replace("{amount}", &amount)
    }

    fn share(&self, figure: &Figure) -> String {
        figure
            .share
            .map_or_else(|| format!("{}%", self.spec.blank), |s| format!("{s:.2}%"))
    }

    fn change(&self, figure: &Figure) -> String {
        let [up, down, flat, blank] = &self.spec.change;
        let before = self
            .previous
            .and_then(|p| p.same(figure))
            .and_then(|f| f.value);
        let (Some(now), Some(before)) = (figure.value, before) else {
            return blank.clone();
        };
        let change = now - before;
        let pattern = match change.cmp(&Decimal::ZERO) {
            std::cmp::Ordering::Greater => up,
            std::cmp::Ordering::Less => down,
            std::cmp::Ordering::Equal => flat,
        };
        pattern.replace("{amount}", &self.written(change.abs()))
    }

    /// An amount as the text writes it: in the written unit, two decimals (rounded half away
    /// from zero where the written unit is larger than the tables').
    fn written(&self, value: Decimal) -> String {
        let value = (value / self.spec.written_scale)
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        format!("{:.2}", crate::base::amount::canonical(value))
    }

    fn list(&self, list: &ListSpec) -> String {
        let items: Vec<String> = self
            .figures
            .group(&list.of)
            .filter(|f| f.value.is_some_and(|v| !v.is_zero()))
            .enumerate()
            .map(|(i, f)| {
                fill(&list.item, |p| match p {
                    "name" => Some(f.name.clone()),
                    "amount" => Some(self.amount(f.value)),
                    "share" => Some(self.share(f)),
                    "n" => Some((i + 1).to_string()),
                    "类" => Some(f.parts[0].clone()),
                    "款" => Some(f.parts[1].clone()),
                    "项" => Some(f.parts[2].clone()),
                    "year" => Some(self.budget.year.to_string()),
                    "unit" => Some(self.budget.name.clone()),
                    _ => None,
                })
                .unwrap_or_default()
            })
            .collect();
        if items.is_empty() {
            return self.spec.blank.clone();
        }
        items.join(&list.separator)
    }

    fn paragraph(&self, pattern: &str) -> String {
        fill(pattern, |p| {
            Some(match p {
                "unit" => self.budget.name.clone(),
                "year" => self.budget.year.to_string(),
                "previous_year" => (self.budget.year - 1).to_string(),
                _ => {
                    if let Some(key) = p.strip_prefix("list:") {
                        let list = self.spec.lists.iter().find(|l| l.key == key)?;
                        return Some(self.list(list));
                    }
                    let (key, part) = p.split_once('.').unwrap_or((p, ""));
                    let figure = self.figures.get(key)?;
                    match part {
                        "share" => self.share(figure),
                        "change" => self.change(figure),
                        _ => self.amount(figure.value),
                    }
                }
            })
        })
        // Placeholders were checked when the edition was read.
        .unwrap_or_else(|_| pattern.to_owned())
    }
}
