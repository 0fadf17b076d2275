//! From the TOML as written ([`super::raw`]) to the validated description ([`super::spec`]):
//! tables, their headers and columns, two-sided items and their aligned rows, share groups.

use super::raw::{RawItem, RawParts, RawShare, RawTable};
use super::spec::{
    ClassSpec, CodeScheme, Coded, ColumnKind, ColumnSpec, ItemSpec, Layout, Segment, ShareKind,
    ShareSpec, SideSpec, TableSpec, TemplateTotal, TwoSided,
};
use super::{EditionError, HeaderGrid, TableChecks};
use crate::base::amount::AmountUnit;
use crate::base::text::compact;

pub(super) fn resolve_table(
    t: &RawTable,
    classes: &[ClassSpec],
    entity_word: &str,
    one_row_preamble: bool,
) -> Result<TableSpec, String> {
    let header = HeaderGrid::parse(&t.header)?;
    if t.columns.len() != header.width() {
        return Err(format!(
            "columns 有 {} 项，表头有 {} 列",
            t.columns.len(),
            header.width()
        ));
    }
    let mut columns = Vec::with_capacity(t.columns.len());
    for (i, kind) in t.columns.iter().enumerate() {
        let kind = parse_kind(kind).ok_or_else(|| format!("未知的列类型“{kind}”"))?;
        columns.push(ColumnSpec {
            kind,
            key: header.paths[i].join("/"),
            sum_of: Vec::new(),
            side: None,
        });
    }
    let mut spec = TableSpec {
        entity_word: entity_word.to_owned(),
        number: t.number,
        title: t.title.clone(),
        aliases: t.aliases.clone(),
        title_prefix: t.title_prefix.clone(),
        title_suffix: t.title_suffix.clone(),
        sheet: t.sheet.clone(),
        empty_note: t.empty_note.clone(),
        amount_format: t.amount_format.clone(),
        amount_unit: match &t.amount_unit {
            Some(u) if AmountUnit::parse(u).is_none() => {
                return Err(format!("金额单位“{u}”无法识别（元、千元或万元）"));
            }
            u => u.clone(),
        },
        entity_line: t.entity_line,
        one_row_preamble: one_row_preamble && t.entity_line,
        header,
        columns,
        widths: t.widths.clone(),
        layout: Layout::Projects,
        checks: TableChecks::from_raw(&t.checks),
        template_total: TemplateTotal::All,
        choices: std::collections::BTreeMap::new(),
        department_columns: std::collections::BTreeMap::new(),
    };
    let column = |name: &str, key: &str| {
        spec.find_column(key)
            .ok_or_else(|| format!("{name} 中的列“{key}”不存在"))
    };
    spec.template_total = match (&t.template_top_rows, &t.template_detail_rows) {
        (Some(_), Some(_)) => {
            return Err("template_top_rows 与 template_detail_rows 只能给出一个".to_owned());
        }
        (Some(key), None) => TemplateTotal::TopWhereEmpty(column("template_top_rows", key)?),
        (None, Some(key)) => TemplateTotal::DetailWhereFilled(column("template_detail_rows", key)?),
        (None, None) => TemplateTotal::All,
    };
    for (key, to) in &t.department_columns {
        let col = spec
            .find_column(key)
            .ok_or_else(|| format!("department_columns 中的列“{key}”不存在"))?;
        let key = spec.columns[col].key.clone();
        spec.department_columns.insert(key, to.clone());
    }
    for (key, values) in &t.choices {
        let col = spec
            .find_column(key)
            .ok_or_else(|| format!("choices 中的列“{key}”不存在"))?;
        spec.choices.insert(col, values.clone());
    }
    for (total, parts) in &t.sums {
        let col = spec
            .find_column(total)
            .ok_or_else(|| format!("sums 中的列“{total}”不存在"))?;
        let mut sum_of = Vec::new();
        for p in parts {
            let pc = spec
                .find_column(p)
                .ok_or_else(|| format!("sums 中的列“{p}”不存在"))?;
            if spec.columns[pc].kind != ColumnKind::Amount || pc == col {
                return Err(format!("sums 中的列“{p}”不是金额列"));
            }
            sum_of.push(pc);
        }
        spec.columns[col].sum_of = sum_of;
    }
    spec.layout = match t.layout.as_str() {
        "two_sided" => Layout::TwoSided(resolve_two_sided(t, &mut spec, classes)?),
        "coded" => Layout::Coded(Coded {
            scheme: match t.code.as_deref() {
                None => None,
                Some("functional") => Some(CodeScheme::Functional),
                Some("economic") => Some(CodeScheme::Economic),
                Some(other) => return Err(format!("未知的科目分类“{other}”")),
            },
            hidden_subtotals: t
                .hidden_subtotals
                .iter()
                .map(|s| Segment::parse(s).ok_or_else(|| format!("未知的科目级次“{s}”")))
                .collect::<Result<_, _>>()?,
            single_row: t.single_row,
            total_at_bottom: match t.total_row.as_deref() {
                None | Some("top") => false,
                Some("bottom") => true,
                Some(other) => {
                    return Err(format!("total_row 应为 top 或 bottom，而不是“{other}”"));
                }
            },
        }),
        "projects" => Layout::Projects,
        other => return Err(format!("未知的版式“{other}”")),
    };
    if t.single_row {
        if !matches!(spec.layout, Layout::Coded(_)) {
            return Err("single_row 只用于 coded 版式".into());
        }
        if spec.columns.iter().any(|c| c.kind != ColumnKind::Amount) {
            return Err("single_row 的表只能有金额列".into());
        }
        if spec.checks.totals.is_some() {
            return Err("single_row 的表没有合计行可核对（去掉 checks 的 totals）".into());
        }
    }
    Ok(spec)
}

pub(super) fn resolve_share(
    s: &RawShare,
    tables: &[TableSpec],
    origin: &str,
) -> Result<ShareSpec, EditionError> {
    let spec = tables
        .iter()
        .find(|t| t.number == s.table)
        .ok_or_else(|| EditionError::Syntax {
            origin: origin.to_owned(),
            message: format!("占比分组“{}”引用了不存在的表{}", s.title, s.table),
        })?;
    let invalid = |message: String| EditionError::Invalid {
        origin: origin.to_owned(),
        table: spec.number,
        title: spec.title.clone(),
        message: format!("占比分组“{}”: {message}", s.title),
    };
    let column = |key: &str| {
        spec.find_column(key)
            .ok_or_else(|| invalid(format!("列“{key}”不存在")))
    };
    let kind = match (&s.column, s.columns.is_empty()) {
        (Some(c), true) => {
            let parts = match &s.parts {
                Some(RawParts::Named(n)) if n == "top_level" => None,
                Some(RawParts::Items(items)) => Some(items.clone()),
                _ => return Err(invalid("parts 应为项目列表或 \"top_level\"".into())),
            };
            ShareKind::Rows {
                column: column(c)?,
                parts,
                total: s.total.clone(),
            }
        }
        (None, false) => ShareKind::Columns {
            parts: s
                .columns
                .iter()
                .map(|c| column(c))
                .collect::<Result<_, _>>()?,
            total: column(
                s.total
                    .as_deref()
                    .ok_or_else(|| invalid("缺少 total 列".into()))?,
            )?,
        },
        _ => {
            return Err(invalid(
                "须给出 column（按行）或 columns（按列）之一".into(),
            ));
        }
    };
    Ok(ShareSpec {
        title: s.title.clone(),
        table: s.table,
        kind,
    })
}

fn parse_kind(s: &str) -> Option<ColumnKind> {
    Some(match s {
        "code" => ColumnKind::Code,
        "unit" => ColumnKind::Unit,
        "name" => ColumnKind::Name,
        "unit_name" => ColumnKind::UnitName,
        "label" => ColumnKind::Label,
        "amount" => ColumnKind::Amount,
        "text" => ColumnKind::Text,
        "line" => ColumnKind::Line,
        "line_number" => ColumnKind::LineNumber,
        _ => ColumnKind::CodeSegment(Segment::parse(s.strip_prefix("code:")?)?),
    })
}

fn resolve_two_sided(
    t: &RawTable,
    spec: &mut TableSpec,
    classes: &[ClassSpec],
) -> Result<TwoSided, String> {
    let mut sides = Vec::new();
    for (s, raw_side) in t.side.iter().enumerate() {
        let name = compact(&raw_side.name);
        let cols: Vec<usize> = (0..spec.columns.len())
            .filter(|&c| spec.header.paths[c].first() == Some(&name))
            .collect();
        let label_col = cols
            .iter()
            .copied()
            .find(|&c| spec.columns[c].kind == ColumnKind::Label)
            .ok_or_else(|| format!("“{name}”方没有项目列"))?;
        let amount_cols: Vec<usize> = cols
            .iter()
            .copied()
            .filter(|&c| spec.columns[c].kind == ColumnKind::Amount)
            .collect();
        for &c in &cols {
            spec.columns[c].side = Some(s);
        }
        sides.push(SideSpec {
            name,
            label_col,
            amount_cols,
        });
    }
    if sides.len() != 2 {
        return Err("双栏表须有收入、支出两方".into());
    }
    let mut items: Vec<ItemSpec> = Vec::new();
    let mut sums: Vec<(usize, &Vec<String>)> = Vec::new();
    let place =
        |items: &mut Vec<ItemSpec>, side: usize, raw: &RawItem| -> Result<Vec<usize>, String> {
            if let Some(list) = &raw.expand {
                if list != "functional_classes" {
                    return Err(format!("未知的展开列表“{list}”"));
                }
                let start = items.len();
                for (n, class) in classes.iter().enumerate() {
                    let label = if raw.numbered {
                        format!("{}、{}", chinese_ordinal(n + 1), class.name)
                    } else {
                        class.name.clone()
                    };
                    items.push(ItemSpec {
                        side,
                        id: class.code.clone(),
                        label,
                        aliases: class.aliases.clone(),
                        code: Some(class.code.clone()),
                        sum_of: vec![],
                        used_only: raw.used_only.then_some(raw.numbered),
                    });
                }
                return Ok((start..items.len()).collect());
            }
            let Some(label) = &raw.label else {
                return Ok(vec![]);
            };
            let id = raw
                .id
                .clone()
                .or_else(|| raw.code.clone())
                .unwrap_or_else(|| compact(label));
            if items.iter().any(|i| i.side == side && i.id == id) {
                return Err(format!("项目标识“{id}”重复"));
            }
            items.push(ItemSpec {
                side,
                id,
                label: label.clone(),
                aliases: raw.aliases.clone(),
                code: raw.code.clone(),
                sum_of: vec![],
                used_only: None,
            });
            Ok(vec![items.len() - 1])
        };
    let mut body: Vec<Vec<usize>> = Vec::new();
    for (s, raw_side) in t.side.iter().enumerate() {
        let mut placed = Vec::new();
        for raw in &raw_side.items {
            let idx = place(&mut items, s, raw)?;
            if let [i] = idx[..] {
                sums.push((i, &raw.sum));
            }
            placed.extend(idx);
        }
        body.push(placed);
    }
    let body_len = body.iter().map(Vec::len).max().unwrap_or(0);
    let mut rows: Vec<Vec<Option<usize>>> = (0..body_len)
        .map(|r| body.iter().map(|b| b.get(r).copied()).collect())
        .collect();
    let footer_start = rows.len();
    for footer in &t.footer {
        if footer.items.len() != sides.len() {
            return Err("footer 每行须为每一方各给一项（空位写 {}）".into());
        }
        let mut row = Vec::new();
        for (s, raw) in footer.items.iter().enumerate() {
            let idx = place(&mut items, s, raw)?;
            if let [i] = idx[..] {
                sums.push((i, &raw.sum));
            }
            row.push(idx.first().copied());
        }
        rows.push(row);
    }
    for (i, refs) in sums {
        let side = items[i].side;
        let mut sum_of = Vec::new();
        for r in refs {
            if r == "functional_classes" {
                sum_of.extend(
                    items
                        .iter()
                        .enumerate()
                        .filter(|(_, it)| it.side == side && it.code.is_some())
                        .map(|(j, _)| j),
                );
            } else {
                let j = items
                    .iter()
                    .position(|it| it.side == side && &it.id == r)
                    .ok_or_else(|| format!("“{}”的 sum 引用了不存在的项目“{r}”", items[i].id))?;
                sum_of.push(j);
            }
        }
        items[i].sum_of = sum_of;
    }
    let balance = match t.balance.as_slice() {
        [] => None,
        [a, b] => {
            let find = |side: usize, id: &str| {
                items
                    .iter()
                    .position(|it| it.side == side && it.id == id)
                    .ok_or_else(|| format!("balance 引用了不存在的项目“{id}”"))
            };
            Some((find(0, a)?, find(1, b)?))
        }
        _ => return Err("balance 须为收入、支出两方各一个项目".into()),
    };
    Ok(TwoSided {
        sides,
        rows,
        items,
        balance,
        footer_start,
    })
}

/// Chinese ordinal numerals as used in item labels: 一, 二, …, 十, 十一, …, 二十八.
pub fn chinese_ordinal(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_owned(),
        10..=99 => {
            let tens = if n / 10 == 1 {
                String::new()
            } else {
                DIGITS[n / 10].to_owned()
            };
            format!("{tens}十{}", DIGITS[n % 10])
        }
        _ => n.to_string(),
    }
}
