#!/usr/bin/env python3
"""Builds samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx.

The published 2023 budget of unit 313603 (samples/313603-source-2023.txt, a copy of the
extracted source document) is filled into
the official layout (samples/official-layout.xlsx: the thirteen tables as published, no input rows)
the way a budget unit fills it: values typed into the cells, codes as text, no formulas. The
workbook is written by openpyxl, not by yusuan, so the reader is tested on a file made by other
hands.

Every label and amount of tables 1, 3, 4 and 6–13 is taken verbatim from the source text.
Tables 2 and 5 are not in the extracted source; they are derived as docs/budget.md explains
(see samples/README.md). Run from the repository root:

    python3 samples/make_sample.py [path/to/seed.txt]
"""

import copy
import re
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
SEED = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "samples/313603-source-2023.txt"
TEMPLATE = ROOT / "samples/official-layout.xlsx"
EDITION = ROOT / "templates/sichuan-2023.toml"
OUT = ROOT / "samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx"
UNIT = "313603-四川省人力资源和社会保障信息中心"

# Headings of the tables in the source text (tables 2 and 5 are missing from it).
HEADINGS = {
    1: "单位收支总表",
    3: "单位支出总表",
    4: "财政拨款收支预算总表",
    6: "一般公共预算支出预算表",
    7: "一般公共预算基本支出预算表",
    8: "一般公共预算项目支出预算表",
    9: "一般公共预算“三公”经费支出预算表",
    10: "政府性基金支出预算表",
    11: "政府性基金预算“三公”经费支出预算表",
    12: "国有资本经营预算支出预算表",
    13: "单位预算项目支出绩效目标表（2023年度）",
}
END_MARK = "第三部分"


def source_tables(text):
    """Rows (lists of cells) and note lines of every table in the source text."""
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.strip() == "2023 年单位预算表")
    marks = []
    for i in range(start, len(lines)):
        bare = lines[i].lstrip("#").strip()
        for number, heading in HEADINGS.items():
            if bare == heading:
                marks.append((i, number))
        if END_MARK in lines[i] and marks:
            marks.append((i, None))
            break
    tables = {}
    for (i, number), (j, _) in zip(marks, marks[1:]):
        rows, notes = [], []
        for line in lines[i + 1 : j]:
            if "\t" in line:
                rows.append([re.sub(r"</?b>", "", c).strip() for c in line.split("\t")])
            elif line.startswith("说明："):
                notes.append(line.strip())
        tables[number] = (rows, notes)
    return tables


def amount(text):
    return Decimal(text.replace(",", "")) if text else None


def derived_table2(t3_rows):
    """单位收入总表: table 3's rows, all income being 一般公共预算拨款收入 (docs/budget.md)."""
    rows = []
    for r in t3_rows:
        code = r[:3]
        total = r[5]
        #        类 款 项      单位代码  名称  合计   上年结转 一般公共 基金 国资 事业 经营 其他
        rows.append(code + [r[3], r[4], total, "", total, "", "", "", "", ""])
    return rows


def derived_table5(t7_rows):
    """财政拨款支出预算表（部门经济分类科目）: table 7 at 类/款 level as its 基本支出 part; the
    项目支出 part is not published and is left empty (docs/budget.md)."""
    rows = []
    for r in t7_rows:
        code = r[2]
        if not code:  # the 合计 row
            rows.append(["", "", "", r[3], r[4], r[5], r[6], ""])
        elif len(code) == 3:
            rows.append([code, "", "313603", r[3], r[4], r[5], r[6], ""])
        elif len(code) == 5:
            rows.append([code[:3], code[3:], "313603", r[3], r[4], r[5], r[6], ""])
    return rows


def main():
    edition = tomllib.loads(EDITION.read_text(encoding="utf-8"))
    specs = {t["number"]: t for t in edition["table"]}
    tables = source_tables(SEED.read_text(encoding="utf-8"))
    data = {}
    for number, (rows, notes) in tables.items():
        height = len(specs[number]["header"])
        data[number] = (rows[height:], notes)
    data[2] = (derived_table2(data[3][0]), [])
    data[5] = (derived_table5(data[7][0]), [])
    # Table 4's 收入总计 / 支出总计 row is in the template but not in the extracted text: it
    # holds the sums of the published figures.
    t4_rows = data[4][0]
    t4_rows.append(["收 入 总 计", t4_rows[0][1], "支 出 总 计", t4_rows[0][3], t4_rows[0][4], "", ""])

    book = openpyxl.load_workbook(TEMPLATE)
    for number in range(1, 14):
        spec = specs[number]
        sheet = book.worksheets[number - 1]
        kinds = spec["columns"]
        width = len(kinds)
        has_entity = spec.get("entity_line", True)
        if has_entity:
            sheet.cell(2, 1).value = f"单位：{UNIT}"
        first = 3 + int(has_entity) + len(spec["header"])  # 1-based first data row
        styles = [copy.copy(sheet.cell(first, c + 1)._style) for c in range(width)]
        rows, notes = data[number]
        for r, cells in enumerate(rows):
            cells = (cells + [""] * width)[:width]
            for c, (kind, text) in enumerate(zip(kinds, cells)):
                cell = sheet.cell(first + r, c + 1)
                cell._style = copy.copy(styles[c])
                if kind == "amount":
                    value = amount(text)
                    cell.value = float(value) if value is not None else None
                elif kind == "line_number" and text:
                    cell.value = int(text)
                else:
                    cell.value = text or None
        for k, note in enumerate(notes):
            sheet.cell(first + len(rows) + k, 1).value = note
    book.save(OUT)
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
