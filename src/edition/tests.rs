//! Tests of the edition description as a whole.

use super::*;

#[test]
fn builtin_edition_has_thirteen_tables() {
    let e = Edition::builtin();
    assert_eq!(e.tables.len(), 13);
    assert_eq!(e.functional_classes.len(), 28);
    assert_eq!(e.table(3).unwrap().title, "单位支出总表");
}

#[test]
fn column_keys_are_header_paths() {
    let e = Edition::builtin();
    let t7 = e.table(7).unwrap();
    let keys: Vec<&str> = t7.columns.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        keys[4..],
        ["基本支出/合计", "基本支出/人员经费", "基本支出/公用经费"]
    );
    assert_eq!(t7.columns[4].sum_of, vec![5, 6]);
    let t9 = e.table(9).unwrap();
    assert_eq!(t9.columns[2].sum_of, vec![3, 4, 7]);
    assert_eq!(
        t9.columns[4].key,
        "当年财政拨款预算安排/公务用车购置及运行费/小计"
    );
}

#[test]
fn two_sided_rows_align_footer() {
    let e = Edition::builtin();
    let Layout::TwoSided(t1) = &e.table(1).unwrap().layout else {
        panic!()
    };
    assert_eq!(t1.rows.len(), 31);
    let label = |r: usize, s: usize| t1.rows[r][s].map(|i| t1.items[i].label.as_str());
    assert_eq!(label(0, 0), Some("一、一般公共预算拨款收入"));
    assert_eq!(label(6, 0), None);
    assert_eq!(label(27, 1), Some("二十八、抗疫特别国债安排的支出"));
    assert_eq!(label(28, 0), Some("本 年 收 入 合 计"));
    assert_eq!(label(29, 1), None);
    let total = t1.rows[28][1].unwrap();
    assert_eq!(t1.items[total].sum_of.len(), 28);
}

#[test]
fn ordinals() {
    let got: Vec<String> = [1, 10, 11, 20, 28]
        .iter()
        .map(|&n| super::resolve::chinese_ordinal(n))
        .collect();
    assert_eq!(got, ["一", "十", "十一", "二十", "二十八"]);
}

#[test]
fn invalid_descriptions_are_reported_with_the_table() {
    let broken = SICHUAN_2023.replacen(
        "sums = { \"合计\" = [\"基本支出\", \"项目支出\"] }",
        "sums = { \"合计\" = [\"不存在\"] }",
        1,
    );
    let err = Edition::parse(&broken, "test").unwrap_err().to_string();
    assert!(
        err.contains("表3“单位支出总表”") && err.contains("不存在"),
        "{err}"
    );
}

#[test]
fn a_one_row_table_has_amount_columns_and_no_total_row_to_check() {
    let with = |extra: &str| {
        let text = SICHUAN_2023.replacen("number = 9\n", &format!("number = 9\n{extra}"), 1);
        Edition::parse(&text, "t").unwrap_err().to_string()
    };
    assert!(with("single_row = true\n").contains("single_row 的表只能有金额列"));
}
