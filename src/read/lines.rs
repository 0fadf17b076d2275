//! The lines between a table's title and its header: the entity (单位：代码-名称) and the
//! amount unit (金额单位：万元), and what they tell of the unit and year.

use super::workbook::Sheet;
use crate::base::error::{Level, Location, Notice};
use crate::edition::Edition;
use crate::model::{RowKind, Table};

/// A warning when an entity's code is not made of digits (unit codes are six digits, a
/// department's three): a code such as `a/b` is kept as typed, but is most likely a mistake.
pub(super) fn code_notice(code: &str, location: Location) -> Option<Notice> {
    (!code.chars().all(|c| c.is_ascii_digit())).then(|| Notice {
        level: Level::Warning,
        location,
        message: format!("单位代码“{code}”不全是数字（单位代码通常为 6 位数字），请核对"),
    })
}

/// The unit of the first unit row of the projects table, for inputs without an entity line.
pub(super) fn unit_from_projects(tables: &[Table]) -> Option<(String, String)> {
    tables
        .iter()
        .flat_map(|t| &t.rows)
        .find(|r| r.kind == RowKind::Subtotal && r.code.is_none() && r.unit_code.is_some())
        .map(|r| (r.unit_code.clone().unwrap_or_default(), r.name.clone()))
}

/// A four-digit year followed by 年 in a title (`2023年`, `（2023年度）`).
pub(super) fn year_in(title: &str) -> Option<u16> {
    let chars: Vec<char> = title.chars().collect();
    chars.windows(5).find_map(|w| {
        let digits: String = w[..4].iter().collect();
        (w[4] == '年' && digits.chars().all(|c| c.is_ascii_digit()))
            .then(|| digits.parse().ok())
            .flatten()
    })
}

/// The entity word and the rest of an entity line: `单位：313603-…` → (`单位`, `313603-…`);
/// the labels are the edition's (`部门：`, `单位名称：`, `预算单位：` …), the longest first, and
/// each stands for the entity word it contains.
pub(super) fn entity_line<'t>(edition: &Edition, text: &'t str) -> Option<(String, &'t str)> {
    let text = text.trim_start();
    let mut labels: Vec<&String> = edition.entity_labels.iter().collect();
    labels.sort_by_key(|l| std::cmp::Reverse(l.chars().count()));
    labels.into_iter().find_map(|label| {
        let rest = text.strip_prefix(label.as_str())?.trim_start();
        let rest = rest.strip_prefix('：').or_else(|| rest.strip_prefix(':'))?;
        let word = if label.contains(&edition.department_word) {
            &edition.department_word
        } else {
            &edition.entity_word
        };
        Some((word.clone(), rest))
    })
}

/// The entity line and amount-unit line between a title and its header.
pub(super) struct Lines {
    pub(super) entity: Option<(String, String, usize, usize)>,
    pub(super) unit: Option<(String, usize, usize)>,
}

impl Lines {
    pub(super) fn scan(edition: &Edition, sheet: &Sheet, from: usize, to: usize) -> Lines {
        let label = edition.amount_unit_label();
        let mut lines = Lines {
            entity: None,
            unit: None,
        };
        for r in from..to {
            for (c, v) in sheet.cells[r].iter().enumerate() {
                let text = v.text();
                // In an entity line the amount unit follows the entity, as `label：`: a name
                // that holds the label (上海市普陀区某单位, where the label is 单位) is no unit.
                let unit = match entity_line(edition, &text) {
                    Some((_, rest)) => labelled(rest, label).map(|i| &rest[i..]),
                    None => labelled(&text, label)
                        .or_else(|| {
                            text.find(label)
                                .filter(|_| !label.is_empty())
                                .map(|i| i + label.len())
                        })
                        .map(|i| &text[i..]),
                };
                if let Some(rest) = unit {
                    lines.unit = Some((
                        rest.trim_start_matches([':', '：', ' ']).trim().to_owned(),
                        r,
                        c,
                    ));
                }
                if lines.entity.is_none()
                    && let Some((word, rest)) = entity_line(edition, &text)
                {
                    let before_unit = |t: &str| {
                        let end = labelled(t, label).map_or(t.len(), |i| i - label.len());
                        t[..end].trim().to_owned()
                    };
                    let mut rest = before_unit(rest);
                    let mut at = c;
                    // A label alone (the fillable template): the entity is in the next cell
                    // (where it is typed, and where a message points), unless that cell is
                    // already the amount-unit line (a blank entity).
                    if rest.is_empty() {
                        at = c + 1;
                        if let Some((k, t)) = sheet.cells[r]
                            .iter()
                            .enumerate()
                            .skip(c + 1)
                            .map(|(k, v)| (k, v.text()))
                            .find(|(_, t)| !t.trim().is_empty())
                        {
                            rest = before_unit(&t);
                            if !rest.is_empty() {
                                at = k;
                            }
                        }
                    }
                    lines.entity = Some((word, rest, r, at));
                }
            }
        }
        lines
    }
}

/// Where the text after the first `label` followed by a colon starts (`金额单位：万元` → the
/// colon's place), if the text has one; a label not followed by a colon is part of a name.
fn labelled(text: &str, label: &str) -> Option<usize> {
    if label.is_empty() {
        return None;
    }
    text.match_indices(label).find_map(|(i, _)| {
        let after = i + label.len();
        text[after..]
            .trim_start()
            .starts_with([':', '：'])
            .then_some(after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::workbook::Value;

    #[test]
    fn years_in_titles() {
        assert_eq!(
            year_in("单位预算项目支出绩效目标表（2023年度）"),
            Some(2023)
        );
        assert_eq!(year_in("2024年单位收支总表"), Some(2024));
        assert_eq!(year_in("单位收支总表"), None);
    }

    #[test]
    fn entity_lines() {
        let e = Edition::builtin();
        let entity_line = |t| super::entity_line(&e, t);
        assert_eq!(
            entity_line("单位：313603-某中心"),
            Some(("单位".into(), "313603-某中心"))
        );
        assert_eq!(
            entity_line("部门: 313-某厅"),
            Some(("部门".into(), " 313-某厅"))
        );
        assert_eq!(
            entity_line("单位名称：313603-某中心"),
            Some(("单位".into(), "313603-某中心"))
        );
        assert_eq!(entity_line("单位支出总表"), None);
    }

    fn row(cells: &[&str]) -> Vec<Value> {
        cells
            .iter()
            .map(|t| match *t {
                "" => Value::Empty,
                t => Value::Text(t.to_owned()),
            })
            .collect()
    }

    #[test]
    fn an_entity_label_alone_takes_the_next_cell_but_not_the_unit_line() {
        let e = Edition::builtin();
        let sheet = |cells| Sheet {
            name: "表".into(),
            cells: vec![row(cells)],
            merges: None,
        };
        let entity = |cells| Lines::scan(&e, &sheet(cells), 0, 1).entity.map(|x| x.1);
        assert_eq!(
            entity(&["单位：", "", "313603-某中心", "金额单位：万元"]),
            Some("313603-某中心".to_owned())
        );
        assert_eq!(
            entity(&["单位：", "", "", "金额单位：万元"]),
            Some(String::new())
        );
        assert_eq!(
            entity(&["单位：313603-某中心 金额单位：万元"]),
            Some("313603-某中心".to_owned())
        );
    }

    #[test]
    fn a_unit_name_holding_the_amount_unit_label_is_kept_whole() {
        // An edition whose amount-unit line is `单位：元`, its entity line `编制单位：…`.
        let text = crate::edition::SICHUAN_2023
            .replace("amount_unit_line = \"金额单位：{unit}\"", "amount_unit_line = \"单位：{unit}\"")
            .replace(
                "entity_labels = [\"单位\", \"部门\", \"单位名称\", \"部门名称\", \"预算单位\", \"预算部门\"]",
                "entity_labels = [\"编制单位\"]",
            );
        let e = Edition::parse(&text, "t").unwrap();
        assert_eq!(e.entity_labels, ["编制单位"]);
        let sheet = |cells| Sheet {
            name: "表".into(),
            cells: vec![row(cells)],
            merges: None,
        };
        let scan = |cells| {
            let lines = Lines::scan(&e, &sheet(cells), 0, 1);
            (lines.entity.map(|x| x.1), lines.unit.map(|x| x.0))
        };
        let (entity, unit) = scan(&["编制单位：", "001-上海市普陀区某单位", "单位：元"]);
        assert_eq!(entity.as_deref(), Some("001-上海市普陀区某单位"));
        assert_eq!(unit.as_deref(), Some("元"));
        let (entity, unit) = scan(&["编制单位：001-上海市普陀区某单位 单位：元"]);
        assert_eq!(entity.as_deref(), Some("001-上海市普陀区某单位"));
        assert_eq!(unit.as_deref(), Some("元"));
        let (entity, unit) = scan(&["编制单位：001-上海市普陀区某单位"]);
        assert_eq!(entity.as_deref(), Some("001-上海市普陀区某单位"));
        assert_eq!(unit, None);
    }
}
