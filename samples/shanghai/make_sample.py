#!/usr/bin/env python3
"""Fills the real Shanghai unit-budget template with the published 2024 budget of
上海市普陀区社会福利院, the way a unit fills it, for yusuan's second edition (shanghai-2026).

Reads  samples/shanghai/上海市普陀区2026年单位预算表样.xlsx  (the template as issued)
Writes samples/shanghai/上海市普陀区社会福利院-2024.xlsx

Everything is typed into the template's own cells: the unit's name after 编制单位：, the
figures in 元 (the “三公” table in 万元), the 类 code as a number and 款/项 as text ("05"), as
the template's example rows have them; rows inserted above 合计 where a table has more rows
than the template leaves; the template's example rows (205 教育支出 …) overwritten or cleared;
labels as the published tables print them (1、一般公共预算资金, 医疗卫生与计划生育支出); the
years of the titles 2024, as that year's template had them; the text sheets with the
published texts. No formulas: a unit types figures.

Needs openpyxl (pip install openpyxl). Run from the repository root:
    python3 samples/shanghai/make_sample.py
"""

import copy
import os

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE = os.path.join(HERE, "上海市普陀区2026年单位预算表样.xlsx")
OUT = os.path.join(HERE, "上海市普陀区社会福利院-2024.xlsx")
UNIT = "上海市普陀区社会福利院"
YEAR = "2024"

# The published figures, in 元 (the “三公” table in 万元). A row: (类, 款, 项, name, amounts…).
FUNCTIONAL = [
    ("208", "", "", "社会保障和就业支出"),
    ("208", "05", "", "行政事业单位养老支出"),
    ("208", "05", "02", "事业单位离退休"),
    ("208", "05", "05", "机关事业单位基本养老保险缴费支出"),
    ("208", "05", "06", "机关事业单位职业年金缴费支出"),
    ("208", "05", "99", "其他行政事业单位养老支出"),
    ("208", "10", "", "社会福利"),
    ("208", "10", "05", "社会福利事业单位"),
    ("210", "", "", "卫生健康支出"),
    ("210", "11", "", "行政事业单位医疗"),
    ("210", "11", "02", "事业单位医疗"),
    ("221", "", "", "住房保障支出"),
    ("221", "02", "", "住房改革支出"),
    ("221", "02", "01", "住房公积金"),
]
# By row of FUNCTIONAL: 合计, 财政拨款收入 (= 基本支出 here), 事业收入 (= 项目支出 here).
INCOME = [
    (11281624, 8661624, 2620000),
    (1696828, 1696828, None),
    (538440, 538440, None),
    (767579, 767579, None),
    (383789, 383789, None),
    (7020, 7020, None),
    (9584796, 6964796, 2620000),
    (9584796, 6964796, 2620000),
    (503724, 503724, None),
    (503724, 503724, None),
    (503724, 503724, None),
    (335816, 335816, None),
    (335816, 335816, None),
    (335816, 335816, None),
]
ECONOMIC = [
    ("301", "", "工资福利支出", 6958414, 6958414, None),
    ("301", "01", "基本工资", 758448, 758448, None),
    ("301", "02", "津贴补贴", 225600, 225600, None),
    ("301", "07", "绩效工资", 3580522, 3580522, None),
    ("301", "08", "机关事业单位基本养老保险费", 767579, 767579, None),
    ("301", "09", "职业年金缴费", 383789, 383789, None),
    ("301", "10", "职工基本医疗保险缴费", 503724, 503724, None),
    ("301", "12", "其他社会保障缴费", 47972, 47972, None),
    ("301", "13", "住房公积金", 335816, 335816, None),
    ("301", "99", "其他工资福利支出", 354964, 354964, None),
    ("302", "", "商品和服务支出", 2120950, None, 2120950),
    ("302", "01", "办公费", 69000, None, 69000),
    ("302", "02", "咨询费", 20000, None, 20000),
    ("302", "03", "水费", 60000, None, 60000),
    ("302", "04", "电费", 320000, None, 320000),
    ("302", "05", "邮电费", 15000, None, 15000),
    ("302", "06", "办公设备购置费", 8000, None, 8000),
    ("302", "07", "工会经费", 88890, None, 88890),
    ("302", "08", "福利费", 86400, None, 86400),
    ("302", "09", "物业管理费", 1206000, None, 1206000),
    ("302", "10", "车辆运行费", 64000, None, 64000),
    ("302", "11", "事业单位离退休人员福利费", 116640, None, 116640),
    ("302", "12", "机关事业单位退休人员活动费", 7020, None, 7020),
    ("302", "13", "其他商品和服务支出", 60000, None, 60000),
    ("303", "", "离退休人员经费", 421800, 421800, None),
    ("303", "01", "退休费", 421800, 421800, None),
]

TEXTS = {
    "单位职能": (
        f"{UNIT}主要职能",
        f"    {UNIT}是收养社会孤老、退休孤老、寄养有家老人的事业单位。\n"
        "    主要职能包括：\n"
        "    1.负责区社会福利院的日常管理、运营维护等工作,为在院入住老人提供生活照料、医疗康复、"
        "老年教育、文化娱乐等综合服务工作。\n"
        "    2.组织志愿者和专业社工团队为在院入住老人开展为老志愿服务。",
    ),
    "单位机构设置": (
        f"{UNIT}机构设置",
        f"    {UNIT}设5个内设机构，包括：院长室、办公室、财务室、后勤部、护理部。",
    ),
    "单位编制说明": (
        f"{YEAR}年单位预算编制说明",
        f"    {YEAR}年，{UNIT}收入预算1,212.12万元，其中：财政拨款收入950.12万元，比2023年预算增加"
        "0.46万元；事业收入262.00万元；事业单位经营收入0.00万元；其他收入0.00万元。\n"
        "    支出预算1,212.12万元，其中：财政拨款支出预算950.12万元，比2023年预算增加0.46万元。"
        "财政拨款支出预算中，一般公共预算拨款支出预算950.12万元，比2023年预算增加0.46万元；"
        "政府性基金拨款支出预算0.00万元，与2023年预算持平；国有资本经营预算拨款支出预算0.00万元，"
        "与2023年预算持平。\n"
        "    财政拨款收入支出增加的主要原因是机关事业单位退休人员活动费增加。\n"
        "    财政拨款支出主要内容如下：",
    ),
    "其他相关情况说明": (
        "其他相关情况说明",
        "  一、2024年“三公”经费预算情况说明\n"
        "    2024年“三公”经费预算数为6.40万元，与2023年预算持平。其中：\n"
        "    （一）因公出国（境）费0.00万元，与2023年预算持平，主要原因是没有因公出国（境）事项支出。\n"
        "    （二）公务用车购置及运行费6.40万元，与2023年预算持平。其中：公务用车购置费0.00万元，"
        "与2023年预算持平，主要原因是无此项支出；公务用车运行费6.40万元，与2023年预算持平，"
        "主要原因是根据实际公务用处运行情况。\n"
        "    （三）公务接待费0.00万元。与2023年预算持平，主要原因是无公务接待事项支出。\n"
        "  二、机关运行经费预算\n"
        f"    2024年{UNIT}无机关运行经费。\n"
        "  三、政府采购预算情况\n"
        "    2024年度本单位政府采购预算120.60万元，其中：政府采购货物预算0.00万元、政府采购工程预算"
        "0.00万元、政府采购服务预算120.60万元。\n"
        "  四、绩效目标设置情况\n"
        "    2024年度，本单位编报绩效目标的项目共1个，涉及项目预算资金262.00万元。",
    ),
}
# The items of 编制说明 after its first cell, one cell each (A4, A5, …) as the template has them.
ITEMS = [
    "    1. “社会保障和就业支出（类）行政事业单位养老支出（款）事业单位离退休（项）”53.84万元，"
    "主要用于事业单位退休人员福利费和生活补贴。",
    "    2. “社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）”"
    "76.76万元，主要用于人员养老保险费用。",
    "    3. “社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位职业年金缴费支出（项）”"
    "38.38万元，主要用于人员职业年金缴费。",
    "    4. “社会保障和就业支出（类）社会福利（款）社会福利事业单位（项）”738.66万元，"
    "主要用于人员经费及公用经费。",
    "    5. “医疗卫生与计划生育支出（类）行政事业单位医疗（款）事业单位医疗（项）”50.37万元，"
    "主要用于人员医疗保险。",
    "    6. “住房保障支出（类）住房改革支出（款）住房公积金（项）”33.58万元，"
    "主要用于在职人员公积金缴费。",
]


def code_cells(ws, row, codes):
    """类 as a number, 款 and 项 as two-digit text, as the template's example rows."""
    for col, code in zip("ABC", codes):
        ws[f"{col}{row}"] = int(code) if col == "A" and code else (code or None)


def make_room(ws, total_row, needed, first=9):
    """Inserts rows above the 合计 row until `needed` rows fit from `first`; returns the new
    合计 row. The merged 合计 cell moves with it (openpyxl does not move merges)."""
    free = total_row - first
    extra = max(0, needed - free)
    if extra:
        moved = [r for r in ws.merged_cells.ranges if r.min_row >= total_row]
        for r in moved:
            ws.unmerge_cells(str(r))
        ws.insert_rows(total_row, extra)
        for r in moved:
            r.shift(0, extra)
            ws.merge_cells(str(r))
        for k in range(extra):
            ws.row_dimensions[total_row + k].height = ws.row_dimensions[first].height
            for col in range(1, ws.max_column + 1):
                src = ws.cell(first, col)
                ws.cell(total_row + k, col)._style = copy.copy(src._style)
    return total_row + extra


def clear(ws, rows, cols):
    for r in rows:
        for c in range(1, cols + 1):
            ws.cell(r, c).value = None


def coded(ws, total_row, rows, width):
    """Types `rows` ((codes, name, amounts…)) from row 9, clears the rest, and the 合计 row."""
    total_row = make_room(ws, total_row, len(rows))
    clear(ws, range(9, total_row), width)
    for i, (codes, name, amounts) in enumerate(rows):
        r = 9 + i
        code_cells(ws, r, codes)
        name_col = 1 + len(codes)
        ws.cell(r, name_col).value = name
        for k, v in enumerate(amounts):
            ws.cell(r, name_col + 1 + k).value = v
    return total_row



def main():
    wb = openpyxl.load_workbook(TEMPLATE)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = cell.value.replace("2026年", f"{YEAR}年").replace("2025年", "2023年")
                    if cell.value.strip() == "编制单位：":
                        cell.value = f"编制单位：{UNIT}"
    wb["封面"]["A9"] = f"预算单位：{UNIT}"
    for sheet, (title, text) in TEXTS.items():
        wb[sheet]["A1"] = title
        wb[sheet]["A3"] = text
    for i, item in enumerate(ITEMS):
        wb["单位编制说明"][f"A{4 + i}"] = item
    # 名词解释: the four terms the published budget explains, worded as the template words them.
    ws = wb["名词解释"]
    terms = ws["A3"].value
    kept = []
    for old, new in [("（五）", "（一）"), ("（六）", "（二）"), ("（七）", "（三）"), ("（八）", "（四）")]:
        start = terms.index(old)
        end = terms.index("\n", start)
        kept.append("   " + new + terms[start + len(old) : end])
    ws["A3"] = "\n" + "\n".join(kept) + "\n"

    # 1 财务收支预算总表.
    ws = wb["单位收支总表"]
    ws["A11"] = "1、一般公共预算资金"
    ws["A12"] = "2、政府性基金"
    ws["B10"], ws["B11"], ws["B14"] = 9501164, 9501164, 2620000
    classes = [
        ("二、社会保障和就业支出", 11281624, 6540674, 2120950, 2620000),
        ("三、医疗卫生与计划生育支出", 503724, 503724, None, None),
        ("四、住房保障支出", 335816, 335816, None, None),
    ]
    for i, (label, *amounts) in enumerate(classes):
        ws[f"C{11 + i}"] = label
        for col, v in zip("DEFG", amounts):
            ws[f"{col}{11 + i}"] = v
    ws["B21"] = 12121164
    for col, v in zip("DEFG", (12121164, 7380214, 2120950, 2620000)):
        ws[f"{col}21"] = v

    # 2 收入预算总表 and 3 支出预算总表 (income by source; expenditure 基本 / 项目).
    rows = [((c, k, x), n, (t, f, b)) for (c, k, x, n), (t, f, b) in zip(FUNCTIONAL, INCOME)]
    ws = wb["单位收入总表"]
    total = coded(ws, 20, rows, 9)
    for col, v in zip("EFG", (12121164, 9501164, 2620000)):
        ws[f"{col}{total}"] = v
    ws = wb["单位支出总表"]
    total = coded(ws, 20, rows, 7)
    for col, v in zip("EFG", (12121164, 9501164, 2620000)):
        ws[f"{col}{total}"] = v

    # 4 财政拨款收支预算总表.
    ws = wb["单位财政拨款收支总表"]
    ws["A8"], ws["B8"] = "一、一般公共预算资金", 9501164
    ws["A9"] = "二、政府性基金"
    for i, (label, v) in enumerate(
        [("二、社会保障和就业支出", 8661624), ("三、医疗卫生与计划生育支出", 503724), ("四、住房保障支出", 335816)]
    ):
        ws[f"C{9 + i}"], ws[f"D{9 + i}"], ws[f"E{9 + i}"] = label, v, v
    ws["B21"], ws["D21"], ws["E21"] = 9501164, 9501164, 9501164

    # 5 一般公共预算支出: all of it 基本支出.
    general = [((c, k, x), n, (f, f, None)) for (c, k, x, n), (_, f, _) in zip(FUNCTIONAL, INCOME)]
    ws = wb["单位一般公共预算拨款表"]
    total = coded(ws, 21, general, 7)
    ws[f"E{total}"], ws[f"F{total}"] = 9501164, 9501164

    # 6, 7: no such money — the example rows cleared and the note typed under 合计.
    for sheet, what in [("单位政府性基金拨款表", "政府性基金预算"), ("单位国有资本经营预算拨款表 ", "国有资本经营预算")]:
        ws = wb[sheet]
        clear(ws, range(9, 21), 7)
        ws["A22"] = f"注:本单位{YEAR}年无{what}财政拨款安排的预算，故本表为空表。"

    # 8 基本支出 by economic class.
    ws = wb["单位一般公共预算拨款基本支出明细表"]
    total = coded(ws, 21, [((c, k), n, (t, p, g)) for c, k, n, t, p, g in ECONOMIC], 6)
    for col, v in zip("DEF", (9501164, 7380214, 2120950)):
        ws[f"{col}{total}"] = v

    # 9 “三公” and 机关运行经费, in 万元: one row.
    ws = wb["单位“三公”经费和机关运行费预算表"]
    for col, v in zip("ABCDEFG", (6.4, 0, 0, 6.4, None, 6.4, 0)):
        ws[f"{col}7"] = v

    wb.save(OUT)
    print(OUT)


if __name__ == "__main__":
    main()
