//! Property: random consistent budgets (variations of the sample, consistent by construction)
//! pass every rule; changing any single amount makes at least one error point at that
//! amount's row, and the likely cause (R23), when one is named, is that amount.

use crate::common::synth::{Rng, vary};
use crate::common::*;
use rust_decimal::Decimal;
use yusuan::check::{self, Options};
use yusuan::edition::{Edition, Severity};

const BUDGETS: u64 = 16;

#[test]
fn consistent_budgets_pass_and_every_changed_amount_is_found() {
    let edition = Edition::builtin();
    let base = sample_budget(&edition);
    let options = Options::default();
    let mut mutations = 0;
    let mut causes = 0;
    for seed in 0..BUDGETS {
        let mut rng = Rng(seed);
        let budget = vary(&edition, &base, &mut rng);
        let findings = check::check(&edition, &budget, &options);
        let errors: Vec<_> = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        assert!(
            errors.is_empty(),
            "seed {seed}: a consistent budget has errors: {errors:#?}"
        );
        // Change one amount at a time, by one cent or more.
        for (t, table) in budget.tables.iter().enumerate() {
            for (r, row) in table.rows.iter().enumerate() {
                for key in row.amounts.keys() {
                    if rng.below(4) != 0 {
                        continue; // a sample of the cells, to keep the test quick
                    }
                    let mut changed = budget.clone();
                    let delta = Decimal::new(1 + rng.below(500) as i64, 2);
                    *changed.tables[t].rows[r].amounts.get_mut(key).unwrap() += delta;
                    let found = check::check(&edition, &changed, &options);
                    let pointed = found.iter().any(|f| {
                        f.severity == Severity::Error
                            && [Some(&f.place), f.other.as_ref()]
                                .into_iter()
                                .flatten()
                                .any(|p| p.table == table.number && p.row == Some(r))
                    });
                    let cause = found.iter().find(|f| f.rule == "R23");
                    let at = (table.number, Some(r), key.as_str());
                    assert!(
                        cause.is_none_or(
                            |f| (f.place.table, f.place.row, f.place.column.as_str()) == at
                        ),
                        "seed {seed}: 表{} row {r} “{key}” +{delta}: cause {cause:#?}",
                        table.number
                    );
                    causes += usize::from(cause.is_some());
                    assert!(
                        pointed,
                        "seed {seed}: 表{} row {r} ({}) “{key}” +{delta} not pointed at: {found:#?}",
                        table.number, row.name
                    );
                    mutations += 1;
                }
            }
        }
    }
    assert!(mutations > 500, "only {mutations} mutations");
    assert!(
        causes * 10 > mutations * 9,
        "causes named for only {causes} of {mutations}"
    );
    eprintln!(
        "{BUDGETS} consistent budgets, {mutations} single-amount changes, each pointed at; \
         the changed amount named as the likely cause in {causes}"
    );
}
