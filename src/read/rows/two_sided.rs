//! Rows of the two-sided layout (收入 | 支出 side by side): the fixed items of each side.

use super::reader::{Placed, TableReader};
use crate::base::error::{Notice, Problem, ReadError};
use crate::base::text::{compact, fold};
use crate::edition::TwoSided;
use crate::model::{Row, RowKind};

impl TableReader<'_> {
    pub(super) fn two_sided(
        &self,
        ts: &TwoSided,
        data: &[usize],
        notices: &mut Vec<Notice>,
    ) -> Result<Placed, ReadError> {
        // Every item of the edition found in the input is a row of the model, in the edition's
        // order per side.
        let mut rows: Vec<Row> = Vec::new();
        let mut slot: Vec<usize> = vec![usize::MAX; ts.items.len()];
        let mut at: Vec<Option<usize>> = Vec::new();
        for (s, side) in ts.sides.iter().enumerate() {
            for places in &ts.rows {
                if let Some(i) = places[s] {
                    slot[i] = rows.len();
                    rows.push(item_row(&side.name, &ts.items[i]));
                    at.push(None);
                }
            }
        }
        for (s, side) in ts.sides.iter().enumerate() {
            // Items are matched in order, so a label that appears twice (一般公共预算拨款收入
            // under 本年收入 and under 上年结转) finds its own place.
            let order: Vec<usize> = ts.rows.iter().filter_map(|p| p[s]).collect();
            let mut next = 0;
            for &r in data {
                let label = self.cell(r, side.label_col).text();
                if label.is_empty() {
                    continue;
                }
                let folded = fold(&label);
                let key = crate::base::text::without_number(&folded);
                // A number alone (the template's 二、 三、 … left for classes) with no figure
                // beside it is a place left unused, not an item.
                let blank = |c: &usize| self.cell(r, *c).text().trim().is_empty();
                if key.is_empty() && side.amount_cols.iter().all(blank) {
                    continue;
                }
                let known = |text: &String| crate::base::text::without_number(&fold(text)) == key;
                let Some(k) = (next..order.len()).find(|&k| {
                    let item = &ts.items[order[k]];
                    known(&item.label) || item.aliases.iter().any(known)
                }) else {
                    return Err(self.problem(
                        r,
                        side.label_col,
                        Problem::UnknownItem {
                            number: self.spec.number,
                            title: self.spec.title.clone(),
                            side: side.name.clone(),
                            label,
                        },
                    ));
                };
                next = k + 1;
                at[slot[order[k]]] = Some(r);
                let row = &mut rows[slot[order[k]]];
                for &c in &side.amount_cols {
                    if let Some(v) = self.amount(r, c, notices)? {
                        row.amounts.insert(self.spec.columns[c].key.clone(), v);
                    }
                }
            }
        }
        // The model holds what was submitted: an item the input does not have is absent (the
        // checks compare nothing against a missing total; the writers lay the row out anyway).
        let (rows, at) = rows
            .into_iter()
            .zip(at)
            .filter(|(_, place)| place.is_some())
            .unzip();
        Ok((rows, at))
    }
}

/// The model row of a fixed item of a two-sided table, without amounts.
pub(crate) fn item_row(side: &str, item: &crate::edition::ItemSpec) -> Row {
    let mut row = Row::new(
        if item.sum_of.is_empty() {
            RowKind::Detail
        } else {
            RowKind::Total
        },
        compact(&item.label),
    );
    row.side = Some(side.to_owned());
    row.item = Some(item.id.clone());
    row.code = item.code.clone();
    row
}
