//! The 情况说明 of an edition (`[narrative]`): the named figures a narrative states, the words
//! that mark its statements, its rules and the sections `narrate` writes.

use super::raw::{RawFigure, RawNarrative, RawSection};
use super::rules::{Severity, resolve_quantity};
use super::{Quantity, Select, TableSpec};
use crate::base::text::{fill, fold, without_number};
use rust_decimal::Decimal;
use std::str::FromStr;

/// What a narrative says and how it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct NarrativeSpec {
    /// Decimals (in the amount unit) from which a printed amount is compared rounded.
    pub precision: u32,
    /// Units of amounts in text and their value in the amount unit, longest word first.
    pub amount_units: Vec<(String, Decimal)>,
    /// What one written amount is in the amount unit (`written_unit`, one of `amount_units`:
    /// Shanghai writes 万元 where its tables count in 元); 1 by default.
    pub written_scale: Decimal,
    /// Words after a number that make it a count.
    pub count_units: Vec<String>,
    /// Words of an increase against last year.
    pub increase_words: Vec<String>,
    /// Words of a decrease.
    pub decrease_words: Vec<String>,
    /// Words of no change.
    pub flat_words: Vec<String>,
    /// Words that may stand between a figure's name and its number, folded, longest first.
    pub fillers: Vec<String>,
    /// The two parts of the zero sentence (`没有使用`, `安排的支出`), folded.
    pub zero_sentence: (String, String),
    /// The document title (`{name}`, `{year}`).
    pub title: String,
    /// An amount as written (`{amount}万元`).
    pub amount: String,
    /// The mark of a figure for the unit to fill in (`____`).
    pub blank: String,
    /// The comparison with last year: up, down, flat (`{amount}`), and without last year.
    pub change: [String; 4],
    /// Fonts of the title, headings, subheadings and body.
    pub fonts: [String; 4],
    /// Their sizes in points.
    pub sizes: [u32; 4],
    /// The rules, one per kind of statement.
    pub rules: Vec<NarrativeRule>,
    /// The figures.
    pub figures: Vec<FigureSpec>,
    /// Lists of figures written in one sentence or one paragraph each.
    pub lists: Vec<ListSpec>,
    /// The sections, in order.
    pub sections: Vec<SectionSpec>,
}

/// A kind of figure statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatementKind {
    /// An amount (`基本支出 404.8 万元`).
    Amount,
    /// A share (`占 30.04%`).
    Share,
    /// No money from a source (`没有使用政府性基金预算拨款安排的支出`).
    Zero,
    /// A comparison with last year (`比上年增加 45.39 万元`, `与上年持平`).
    Change,
}

/// The rule a kind of statement is checked by.
#[derive(Debug, Clone, PartialEq)]
pub struct NarrativeRule {
    /// Rule id (`N1`).
    pub id: String,
    /// The statements it checks.
    pub kind: StatementKind,
    /// Error or warning.
    pub severity: Severity,
    /// What it says.
    pub description: String,
}

/// A named figure: one value, or a family of values keyed by class or 科目 code.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureSpec {
    /// Its key (a placeholder of the sections).
    pub key: String,
    /// The names it goes by in text; a family's hold `{name}`, `{类}`, `{款}`, `{项}`.
    pub names: Vec<String>,
    /// The section it is meant within, if only one.
    pub section: Option<String>,
    /// The group its share is taken in (a family: its own key).
    pub group: Option<String>,
    /// Its definition over the tables.
    pub quantity: Quantity,
}

impl FigureSpec {
    /// Whether the figure is a family (one value per class or 科目).
    pub fn is_family(&self) -> bool {
        matches!(
            self.quantity.select,
            Select::ClassItems | Select::Level(_) | Select::SumByPrefix(_)
        )
    }
}

/// A list of figures in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct ListSpec {
    /// Its key (`{list:KEY}`).
    pub key: String,
    /// The group or family listed.
    pub of: String,
    /// One figure as written.
    pub item: String,
    /// Between two figures; `"\n"`: each its own paragraph.
    pub separator: String,
}

/// A section of the narrative.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionSpec {
    /// Its key (the `section` of figures).
    pub key: String,
    /// Its heading as written, number included.
    pub heading: String,
    /// 1 or 2.
    pub level: u8,
    /// Left for the unit: not filled from the tables, not checked.
    pub blank: bool,
    /// The figure whose zero makes the section its `zero_text`.
    pub zero: Option<(String, String)>,
    /// Its paragraphs (patterns).
    pub paragraphs: Vec<String>,
}

impl SectionSpec {
    /// The words that make a line its heading: the heading without its number, folded.
    pub fn heading_words(&self) -> String {
        without_number(&fold(&self.heading)).to_owned()
    }
}

impl NarrativeSpec {
    /// The rule of a kind of statement.
    pub fn rule(&self, kind: StatementKind) -> &NarrativeRule {
        self.rules
            .iter()
            .find(|r| r.kind == kind)
            .expect("every kind has a rule (checked when the edition is read)")
    }

    /// The figure of a key.
    pub fn figure(&self, key: &str) -> Option<&FigureSpec> {
        self.figures.iter().find(|f| f.key == key)
    }
}

pub(super) fn resolve(raw: &RawNarrative, tables: &[TableSpec]) -> Result<NarrativeSpec, String> {
    let mut amount_units = raw
        .amount_units
        .iter()
        .map(|u| {
            let scale = Decimal::from_str(&u.scale)
                .map_err(|_| format!("金额单位“{}”的 scale“{}”不是数", u.word, u.scale))?;
            Ok((fold(&u.word), scale))
        })
        .collect::<Result<Vec<_>, String>>()?;
    amount_units.sort_by_key(|(word, _)| std::cmp::Reverse(word.chars().count()));
    let rules = raw
        .rule
        .iter()
        .map(|r| {
            let kind = match r.kind.as_str() {
                "amount" => StatementKind::Amount,
                "share" => StatementKind::Share,
                "zero" => StatementKind::Zero,
                "change" => StatementKind::Change,
                other => return Err(format!("规则 {}: 未知的 kind“{other}”", r.id)),
            };
            Ok(NarrativeRule {
                id: r.id.clone(),
                kind,
                severity: Severity::parse(r.severity.as_deref())?,
                description: r.description.clone(),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    for kind in [
        StatementKind::Amount,
        StatementKind::Share,
        StatementKind::Zero,
        StatementKind::Change,
    ] {
        if rules.iter().filter(|r| r.kind == kind).count() != 1 {
            return Err(format!("须有且只有一条 kind 为 {kind:?} 的规则"));
        }
    }
    let figures = raw
        .figure
        .iter()
        .map(|f| figure(f, tables).map_err(|m| format!("数字 {}: {m}", f.key)))
        .collect::<Result<Vec<_>, String>>()?;
    let groups: Vec<&str> = figures.iter().filter_map(|f| f.group.as_deref()).collect();
    let lists: Vec<ListSpec> = raw
        .list
        .iter()
        .map(|l| ListSpec {
            key: l.key.clone(),
            of: l.of.clone(),
            item: l.item.clone(),
            separator: l.separator.clone(),
        })
        .collect();
    for l in &lists {
        if !groups.contains(&l.of.as_str()) {
            return Err(format!("列表 {}: 没有名为“{}”的组", l.key, l.of));
        }
        fill(&l.item, |name| {
            matches!(
                name,
                "name" | "amount" | "share" | "n" | "类" | "款" | "项" | "year" | "unit"
            )
            .then(String::new)
        })
        .map_err(|name| format!("列表 {}: 未知的占位符 {{{name}}}", l.key))?;
    }
    let sections = raw
        .section
        .iter()
        .map(|s| section(s, &figures, &lists).map_err(|m| format!("段落 {}: {m}", s.key)))
        .collect::<Result<Vec<_>, String>>()?;
    for f in &figures {
        if let Some(key) = &f.section
            && !sections.iter().any(|s| &s.key == key)
        {
            return Err(format!("数字 {}: 没有名为“{key}”的段落", f.key));
        }
    }
    let [up, down, flat, blank] = [
        &raw.change_up,
        &raw.change_down,
        &raw.change_flat,
        &raw.change_blank,
    ]
    .map(Clone::clone);
    let written_scale = match &raw.written_unit {
        None => Decimal::ONE,
        Some(word) => amount_units
            .iter()
            .find(|(w, _)| *w == fold(word))
            .map(|(_, scale)| *scale)
            .ok_or_else(|| format!("written_unit“{word}”不在 amount_units 中"))?,
    };
    Ok(NarrativeSpec {
        precision: raw.precision,
        written_scale,
        amount_units,
        count_units: raw.count_units.iter().map(|w| fold(w)).collect(),
        increase_words: raw.increase_words.iter().map(|w| fold(w)).collect(),
        decrease_words: raw.decrease_words.iter().map(|w| fold(w)).collect(),
        flat_words: raw.flat_words.iter().map(|w| fold(w)).collect(),
        fillers: {
            let mut words: Vec<String> = raw.fillers.iter().map(|w| fold(w)).collect();
            words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
            words
        },
        zero_sentence: (fold(&raw.zero_sentence[0]), fold(&raw.zero_sentence[1])),
        title: raw.title.clone(),
        amount: raw.amount.clone(),
        blank: raw.blank.clone(),
        change: [up, down, flat, blank],
        fonts: [
            raw.fonts.title.clone(),
            raw.fonts.heading.clone(),
            raw.fonts.subheading.clone(),
            raw.fonts.body.clone(),
        ],
        sizes: [
            raw.sizes.title,
            raw.sizes.heading,
            raw.sizes.subheading,
            raw.sizes.body,
        ],
        rules,
        figures,
        lists,
        sections,
    })
}

fn figure(raw: &RawFigure, tables: &[TableSpec]) -> Result<FigureSpec, String> {
    let quantity = resolve_quantity(&raw.quantity, tables)?;
    let mut spec = FigureSpec {
        key: raw.key.clone(),
        names: raw.names.clone(),
        section: raw.section.clone(),
        group: raw.group.clone(),
        quantity,
    };
    if spec.names.is_empty() {
        return Err("没有名称".into());
    }
    if spec.is_family() {
        spec.group.get_or_insert_with(|| spec.key.clone());
    }
    let family = spec.is_family();
    for name in &spec.names {
        fill(name, |p| {
            (family && matches!(p, "name" | "类" | "款" | "项")).then(String::new)
        })
        .map_err(|p| format!("名称“{name}”中不能用占位符 {{{p}}}"))?;
    }
    Ok(spec)
}

fn section(
    raw: &RawSection,
    figures: &[FigureSpec],
    lists: &[ListSpec],
) -> Result<SectionSpec, String> {
    if !(1..=2).contains(&raw.level) {
        return Err(format!("level 须为 1 或 2，而不是 {}", raw.level));
    }
    let known = |name: &str| -> bool {
        if matches!(name, "unit" | "year" | "previous_year") {
            return true;
        }
        if let Some(list) = name.strip_prefix("list:") {
            return lists.iter().any(|l| l.key == list);
        }
        let key = name
            .strip_suffix(".share")
            .or_else(|| name.strip_suffix(".change"))
            .unwrap_or(name);
        figures.iter().any(|f| f.key == key && !f.is_family())
    };
    let zero = match (&raw.zero, &raw.zero_text) {
        (Some(key), Some(text)) => {
            if !known(key) {
                return Err(format!("zero 没有名为“{key}”的数字"));
            }
            Some((key.clone(), text.clone()))
        }
        (None, None) => None,
        _ => return Err("zero 与 zero_text 须同时给出".into()),
    };
    for p in raw
        .paragraphs
        .iter()
        .chain(zero.as_ref().map(|(_, text)| text))
    {
        fill(p, |name| known(name).then(String::new))
            .map_err(|name| format!("未知的占位符 {{{name}}}"))?;
    }
    Ok(SectionSpec {
        key: raw.key.clone(),
        heading: raw.heading.clone(),
        level: raw.level,
        blank: raw.blank,
        zero,
        paragraphs: raw.paragraphs.clone(),
    })
}

#[cfg(test)]
mod tests {
    use crate::edition::{Edition, StatementKind};

    #[test]
    fn the_builtin_catalogue_reads() {
        let edition = Edition::builtin();
        let n = edition.narrative.as_ref().unwrap();
        assert_eq!(n.rule(StatementKind::Share).id, "N2");
        assert!(n.figure("general_item").unwrap().is_family());
        assert_eq!(
            n.figure("general_item").unwrap().group.as_deref(),
            Some("general_item")
        );
        let general = n.sections.iter().find(|s| s.key == "general").unwrap();
        assert_eq!(general.heading_words(), "一般公共预算当年拨款情况说明");
        assert_eq!(n.amount_units[0].0, "万元");
    }

    #[test]
    fn unknown_placeholders_and_figures_are_refused() {
        let text = crate::edition::SICHUAN_2023;
        let bad = text.replace("{basic.share}", "{basics.share}");
        let e = Edition::parse(&bad, "t").unwrap_err().to_string();
        assert!(e.contains("basics.share"), "{e}");
        let bad = text.replace(
            "section = \"fiscal\"\nquantity = { table = 4, column = \"支出/合计\"",
            "section = \"fiscals\"\nquantity = { table = 4, column = \"支出/合计\"",
        );
        let e = Edition::parse(&bad, "t").unwrap_err().to_string();
        assert!(e.contains("fiscals"), "{e}");
    }
}
