//! The named figures of a budget: the edition's catalogue evaluated on its tables, families
//! expanded to one figure per class or 科目, shares taken by group as published.

use crate::base::text::{fill, fold, without_number};
use crate::edition::{Edition, FigureSpec, NarrativeSpec, Select};
use crate::model::Budget;
use crate::render::shares::largest_remainder;
use rust_decimal::Decimal;

/// One named figure of a budget.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The catalogue's key (`basic`, `general_class`).
    pub key: String,
    /// The class or 科目 code of a family's figure.
    pub code: Option<String>,
    /// Its name as written (`基本支出`, `教育支出`).
    pub name: String,
    /// The names of the 类, 款 and 项 of a family's figure (empty where unknown).
    pub parts: [String; 3],
    /// The names it goes by in text, folded.
    pub(crate) names: Vec<String>,
    /// Its value; `None` when it reads a total the input does not have.
    pub value: Option<Decimal>,
    /// Its share in its group, in percent to 0.01 (largest remainder); `None` without a group
    /// or when a part is unknown or the group adds up to zero.
    pub share: Option<Decimal>,
    /// The section it is meant within.
    pub section: Option<String>,
    /// Its share group.
    pub group: Option<String>,
    /// Where the tables give it (`单位支出总表“基本支出”列`).
    pub source: String,
}

/// The figures of one budget, in catalogue order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figures {
    /// Every figure.
    pub all: Vec<Figure>,
}

impl Figures {
    /// Evaluates the catalogue on a budget.
    pub fn of(edition: &Edition, spec: &NarrativeSpec, budget: &Budget) -> Figures {
        let mut all = Vec::new();
        for f in &spec.figures {
            expand(edition, f, budget, &mut all);
        }
        let mut groups: Vec<&str> = Vec::new();
        for g in all.iter().filter_map(|f| f.group.as_deref()) {
            if !groups.contains(&g) {
                groups.push(g);
            }
        }
        let groups: Vec<String> = groups.into_iter().map(str::to_owned).collect();
        for group in groups {
            let members: Vec<usize> = (0..all.len())
                .filter(|&i| all[i].group.as_deref() == Some(group.as_str()))
                .collect();
            let values: Option<Vec<Decimal>> = members.iter().map(|&i| all[i].value).collect();
            let Some(values) = values else { continue };
            let total: Decimal = values.iter().sum();
            let shares = largest_remainder(&values, total);
            for (&i, share) in members.iter().zip(shares) {
                all[i].share = share.map(|s| (s * Decimal::ONE_HUNDRED).normalize());
            }
        }
        Figures { all }
    }

    /// The single figure of a key (not a family's).
    pub fn get(&self, key: &str) -> Option<&Figure> {
        self.all.iter().find(|f| f.key == key && f.code.is_none())
    }

    /// The figure of the same key and code, if this budget has it.
    pub fn same(&self, figure: &Figure) -> Option<&Figure> {
        self.all
            .iter()
            .find(|f| f.key == figure.key && f.code == figure.code)
    }

    /// The figures of a share group or family, in order.
    pub fn group<'a>(&'a self, group: &'a str) -> impl Iterator<Item = &'a Figure> + 'a {
        self.all
            .iter()
            .filter(move |f| f.group.as_deref() == Some(group))
    }
}

fn source(edition: &Edition, f: &FigureSpec) -> String {
    let q = &f.quantity;
    let title = edition.table(q.table).map_or("", |t| t.title.as_str());
    let column = q.column.rsplit('/').next().unwrap_or(&q.column);
    match &q.select {
        Select::Item(item) => format!("{title}“{}”", item.rsplit('.').next().unwrap_or(item)),
        Select::TotalRow => format!("{title}合计行“{column}”列"),
        _ => format!("{title}“{column}”列"),
    }
}

fn expand(edition: &Edition, f: &FigureSpec, budget: &Budget, out: &mut Vec<Figure>) {
    let values = crate::check::quantity_values(edition, budget, &f.quantity);
    let source = source(edition, f);
    if !f.is_family() {
        let value = values.map(|v| v.iter().map(|(_, x)| *x).sum());
        out.push(Figure {
            key: f.key.clone(),
            code: None,
            name: f.names[0].clone(),
            parts: Default::default(),
            names: f.names.iter().map(|n| fold(n)).collect(),
            value,
            share: None,
            section: f.section.clone(),
            group: f.group.clone(),
            source,
        });
        return;
    }
    let table = budget.table(f.quantity.table);
    let name_of = |code: &str| -> String {
        let row = table.and_then(|t| t.rows.iter().find(|r| r.code.as_deref() == Some(code)));
        match row {
            Some(row) => without_number(&crate::base::text::compact(&row.name)).to_owned(),
            None => edition
                .functional_classes
                .iter()
                .find(|c| c.code == code)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
        }
    };
    for (code, value) in values.unwrap_or_default() {
        let prefix = |n: usize| code.get(..n).map(name_of).unwrap_or_default();
        let parts = [prefix(3), prefix(5), prefix(7)];
        let name = name_of(&code);
        // A class also goes by the older names the edition lists for it (医疗卫生与计划生育支出
        // for 卫生健康支出).
        let class_names: Vec<String> = std::iter::once(parts[0].clone())
            .chain(
                edition
                    .functional_classes
                    .iter()
                    .filter(|c| code.get(..3) == Some(c.code.as_str()))
                    .flat_map(|c| c.aliases.iter().cloned()),
            )
            .collect();
        let names = f
            .names
            .iter()
            .flat_map(|pattern| {
                let uses_class = pattern.contains("{类}");
                let classes = if uses_class {
                    &class_names[..]
                } else {
                    &class_names[..1]
                };
                classes.iter().filter_map(|class| {
                    // A name with a part unknown (a 款 the table does not list) is left out.
                    let filled = fill(pattern, |p| {
                        match p {
                            "name" => Some(name.clone()),
                            "类" => Some(class.clone()),
                            "款" => Some(parts[1].clone()),
                            "项" => Some(parts[2].clone()),
                            _ => None,
                        }
                        .filter(|s| !s.is_empty())
                    })
                    .ok()?;
                    Some(fold(&filled))
                })
            })
            .collect();
        out.push(Figure {
            key: f.key.clone(),
            code: Some(code.clone()),
            name,
            parts,
            names,
            value: Some(value),
            share: None,
            section: f.section.clone(),
            group: f.group.clone(),
            source: source.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_s_figures_and_shares() {
        let edition = Edition::builtin();
        let spec = edition.narrative.as_ref().unwrap();
        let sample = "samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx";
        let reading = crate::read::read_input(&edition, sample.as_ref()).unwrap();
        let figures = Figures::of(&edition, spec, &reading.budget);
        let value = |key: &str| {
            figures
                .get(key)
                .and_then(|f| f.value)
                .map(|v| v.to_string())
        };
        assert_eq!(value("total").as_deref(), Some("1347.44"));
        assert_eq!(value("basic").as_deref(), Some("404.80"));
        assert_eq!(
            figures.get("basic").unwrap().share.unwrap().to_string(),
            "30.04"
        );
        let classes: Vec<String> = figures
            .group("general_class")
            .map(|f| format!("{} {}", f.name, f.share.unwrap()))
            .collect();
        assert_eq!(
            classes,
            [
                "教育支出 1.24",
                "社会保障和就业支出 95.31",
                "卫生健康支出 1.86",
                "住房保障支出 1.59"
            ]
        );
        let item = figures.group("general_item").next().unwrap();
        assert_eq!(
            item.parts,
            ["教育支出", "进修及培训", "培训支出"].map(String::from)
        );
        assert_eq!(item.names[0], "教育支出(类)进修及培训(款)培训支出(项)");
        assert_eq!(value("fund").as_deref(), Some("0"));
    }
}
