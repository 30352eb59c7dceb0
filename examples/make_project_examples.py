#!/usr/bin/env python3
"""Build the two 项目支出绩效目标表 example workbooks of 临沂市教育局 and their expected JSON.

    python3 examples/make_project_examples.py            # add --print-diff to list the changes

writes, next to this script:
  linyi-education-projects-2023.xlsx            填报说明 + three project sheets (2023)
  linyi-education-projects-2023.expected.json   what a correct `import --all` produces (jixiao.workbook/1)
  linyi-education-projects-2024.xlsx            the same three projects in 2024, planted changes (README.md)
  linyi-education-projects-2024.expected.json
  linyi-education-projects-2023-2024.diff.expected.json   the planted differences as diff facts

The workbooks and the expected JSON come from the same data below, so they
cannot disagree; tests/fixtures/project/verify_project_fixtures.py checks them
again independently through LibreOffice's CSV export.
tests/fixtures/project/make_project_fixtures.py imports this module (write_block,
Num, cat, ind, ...), so the layout code lives here once.

Spec: shared/spec/template-project-target.md, shared/spec/model.md.
"""
import json
import math
import os
import re
import sys

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

HERE = os.path.dirname(os.path.abspath(__file__))
DEPT = "临沂市教育局"

FORM_KEYS = ["name", "department_code", "department", "unit", "attribute", "period", "money_unit",
             "funds_total", "funds_fiscal", "funds_carryover", "funds_other", "annual_goal", "midterm_goal"]
IND_KEYS = ["level1", "level2", "name", "value", "explanation", "weight", "standard", "remark"]
FUNDS = ["funds_total", "funds_fiscal", "funds_carryover", "funds_other"]

# official labels (template-project-target.md); a fixture overrides some of them
LABELS = {
    "name": "项目名称", "department": "主管部门及代码", "unit": "实施单位", "attribute": "项目属性",
    "period": "项目期", "money": "项目资金（万元）", "funds_total": "年度资金总额",
    "funds_fiscal": "其中：财政拨款", "funds_carryover": "上年结转资金", "funds_other": "其他资金",
    "annual_goal": "年度总体目标", "midterm_goal": "中期目标", "side": "绩效指标",
}
# official grid columns, B.. (A holds the side label 绩效指标)
GRID = [("level1", "一级指标"), ("level2", "二级指标"), ("name", "三级指标"), ("value", "指标值"),
        ("standard", "绩效标准"), ("remark", "备注")]
WIDTHS7 = {"A": 10, "B": 10, "C": 12, "D": 24, "E": 14, "F": 10, "G": 12}


class Num:
    """A numeric cell with a number format; display() is the text Excel shows."""

    def __init__(self, value, fmt="General"):
        self.value, self.fmt = value, fmt

    def display(self):
        v, f = self.value, self.fmt
        if f == "0%":
            return f"{v * 100:.0f}%"
        if f == "0.00%":
            return f"{v * 100:.2f}%"
        if f == "0.00":
            return f"{v:.2f}"
        if f == "#,##0.00":
            return f"{v:,.2f}"
        if f in ("General", "0"):
            return str(int(v)) if float(v).is_integer() else str(v)
        raise ValueError(f)


# full-width digits, letters and % -> half-width (model.md "Cell text")
FW = {0xFF10 + i: 0x30 + i for i in range(10)}
FW.update({0xFF21 + i: 0x41 + i for i in range(26)})
FW.update({0xFF41 + i: 0x61 + i for i in range(26)})
FW[0xFF05] = 0x25


def clean(v):
    """The cleaned text of a cell value, per model.md (for the values used here).

    The data below avoids the unclear cases on purpose: no runs of inner spaces,
    every value with a line break is either short (≤ 10 characters, break removed)
    or a long numbered list (> 40 characters, breaks kept)."""
    if v is None:
        return ""
    if isinstance(v, Num):
        return v.display()
    if isinstance(v, (int, float)):
        return Num(v).display()
    s = v.strip().translate(FW)
    if "\n" in s and len(s) <= 20:
        s = s.replace("\n", "")
    return s


def ind(name, value, standard="计划标准", remark="", explanation="", weight=""):
    return {"name": name, "value": value, "explanation": explanation, "weight": weight,
            "standard": standard, "remark": remark}


def cat(level1, level2, inds, l1_label=None, l2_label=None, l1_score="", l2_score=""):
    """A (一级, 二级) category; inds == [] is an empty 二级 row kept in the form.
    l1_label/l2_label are the cell texts when they carry a score (`产出指标（50分）`)."""
    return {"level1": level1, "level2": level2, "inds": inds,
            "l1_label": l1_label or level1, "l2_label": l2_label or level2,
            "l1_score": l1_score, "l2_score": l2_score}


# ---------------------------------------------------------------------------
# styles
# ---------------------------------------------------------------------------
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TFONT = Font(name="黑体", size=16, bold=True)
HFONT = Font(name="黑体", size=10, bold=True)
LFONT = Font(name="宋体", size=10, bold=True)   # form labels
DFONT = Font(name="宋体", size=10)
HFILL = PatternFill("solid", fgColor="D9D9D9")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center", wrap_text=True)


def text_lines(text, width_chars):
    """Printed lines of wrapped text in a column `width_chars` wide (CJK ≈ 2 units)."""
    if not text:
        return 1
    n = 0
    for part in text.split("\n"):
        units = sum(1.7 if ord(c) > 0x2E80 else 1.0 for c in part)
        n += max(1, math.ceil(units / max(1.0, width_chars - 0.3)))
    return n


def shown(v):
    """The text as the cell shows it before cleaning (an explicit line break still breaks)."""
    if isinstance(v, str):
        return v.strip()
    return clean(v)


def height(lines):
    return max(lines * 13.5 + 7, 21)


def put(ws, addr, v, font=DFONT, align=CENTER, border=True):
    c = ws[addr]
    if isinstance(v, Num):
        c.value, c.number_format = v.value, v.fmt
    elif v is not None and v != "":
        c.value = v
    c.font, c.alignment = font, align
    if border:
        c.border = BORDER
    return c


# ---------------------------------------------------------------------------
# one project block
# ---------------------------------------------------------------------------
def write_block(ws, top, p, opts=None):
    """Writes project `p` as a table block starting at row `top` of `ws`.

    p: {"title", "year", "department" (top-level), "form": {raw values, see below},
        "categories": [cat(...)]}
       form: name, department_raw, department_code, department, unit, attribute, period,
             money_unit, funds_* (Num, str or None), annual_goal, midterm_goal (None: no row)
    opts: labels (overrides of LABELS), grid (list of (key, header) for columns B..),
          widths, mode ("merged" | "first" | "repeat"), unit_line ((col, text, merge_across)),
          footnotes ([text] after one blank row), strays ([(addr, text)])
    Returns (expected table without schema-level fields sorted, last row used).
    """
    o = dict(labels={}, grid=GRID, widths=WIDTHS7, mode="merged", unit_line=("A", "金额单位：万元", True),
             footnotes=[], strays=[], title_cell_merge=True)
    o.update(opts or {})
    labels = dict(LABELS, **o["labels"])
    grid = o["grid"]
    ncol = 1 + len(grid)
    L = get_column_letter(ncol)
    cols = [get_column_letter(i) for i in range(1, ncol + 1)]
    widths = o["widths"]
    for c, w in widths.items():
        ws.column_dimensions[c].width = w
    wsum = lambda a, b: sum(widths[get_column_letter(i)] for i in range(a, b + 1))  # noqa: E731
    f = p["form"]
    sheet = ws.title
    extras = []
    heights = {}

    # title and unit line
    r = top
    ws[f"A{r}"] = p["title"]
    ws[f"A{r}"].font = TFONT
    ws[f"A{r}"].alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"A{r}:{L}{r}")
    heights[r] = 32
    r += 1
    ucol, utext, umerge = o["unit_line"]
    if utext:
        ws[f"{ucol}{r}"] = utext
        ws[f"{ucol}{r}"].font = DFONT
        ws[f"{ucol}{r}"].alignment = Alignment(horizontal="right", vertical="center")
        if umerge:
            ws.merge_cells(f"{ucol}{r}:{L}{r}")
        extras.append({"sheet": sheet, "cell": f"{ucol}{r}", "text": clean(utext), "kind": "unit_line"})
    heights[r] = 20
    r += 1

    # form block
    form_cells = {}

    def label(addr, text, merge_to=None):
        put(ws, addr, text, LFONT, CENTER)
        if merge_to:
            ws.merge_cells(f"{addr}:{merge_to}")

    def value(key, addr, merge_to, v, align=LEFT):
        put(ws, addr, v, DFONT, align)
        if merge_to:
            ws.merge_cells(f"{addr}:{merge_to}")
        form_cells[key] = addr

    def border_row(row, c0=1, c1=ncol):
        for i in range(c0, c1 + 1):
            ws.cell(row, i).border = BORDER

    rn = r
    label(f"A{rn}", labels["name"])
    value("name", f"B{rn}", f"{L}{rn}", f["name"])
    border_row(rn)
    heights[rn] = height(max(text_lines(labels["name"], widths["A"]), text_lines(f["name"], wsum(2, ncol))))
    rd = rn + 1
    label(f"A{rd}", labels["department"])
    value("department", f"B{rd}", f"D{rd}", f["department_raw"])
    label(f"E{rd}", labels["unit"])
    value("unit", f"F{rd}", f"{L}{rd}" if ncol > 6 else None, f["unit"])
    border_row(rd)
    heights[rd] = height(max(text_lines(labels["department"], widths["A"]),
                             text_lines(f["department_raw"], wsum(2, 4)),
                             text_lines(labels["unit"], widths["E"]), text_lines(f["unit"], wsum(6, ncol))))
    ra = rd + 1
    label(f"A{ra}", labels["attribute"])
    value("attribute", f"B{ra}", f"D{ra}", f["attribute"])
    label(f"E{ra}", labels["period"])
    value("period", f"F{ra}", f"{L}{ra}" if ncol > 6 else None, f["period"])
    border_row(ra)
    heights[ra] = height(max(text_lines(labels["attribute"], widths["A"]), text_lines(labels["period"], widths["E"]),
                             text_lines(f["period"], wsum(6, ncol))))
    rf = ra + 1
    label(f"A{rf}", labels["money"], f"A{rf + 3}")
    for k, key in enumerate(FUNDS):
        row = rf + k
        label(f"B{row}", labels[key])
        value(key, f"C{row}", f"{L}{row}", f[key], RIGHT)
        border_row(row)
        heights[row] = height(text_lines(labels[key], widths["B"]))
    money_lines = text_lines(labels["money"], widths["A"])
    if sum(heights[rf + k] for k in range(4)) < height(money_lines):
        for k in range(4):
            heights[rf + k] = height(money_lines) / 4
    rg = rf + 4
    label(f"A{rg}", labels["annual_goal"])
    value("annual_goal", f"B{rg}", f"{L}{rg}", f["annual_goal"])
    border_row(rg)
    heights[rg] = height(max(text_lines(labels["annual_goal"], widths["A"]),
                             text_lines(shown(f["annual_goal"]), wsum(2, ncol))))
    r = rg + 1
    if f.get("midterm_goal") is not None:
        label(f"A{r}", labels["midterm_goal"])
        value("midterm_goal", f"B{r}", f"{L}{r}", f["midterm_goal"])
        border_row(r)
        heights[r] = height(max(text_lines(labels["midterm_goal"], widths["A"]),
                                text_lines(shown(f["midterm_goal"]), wsum(2, ncol))))
        r += 1

    # grid header
    h = r
    ws[f"A{h}"] = labels["side"]
    for i, (key, head) in enumerate(grid, start=2):
        ws.cell(h, i, head)
    for i in range(1, ncol + 1):
        c = ws.cell(h, i)
        c.font, c.fill, c.alignment, c.border = HFONT, HFILL, CENTER, BORDER
    heights[h] = height(max(text_lines(shown(head), widths[get_column_letter(i)])
                            for i, (_, head) in enumerate(grid, start=2)))

    def fit(rows, need, each=False):
        """Grows `rows` so a label of height `need` fits: in each row, or across them (merged)."""
        if each:
            for row in rows:
                heights[row] = max(heights[row], need)
            return
        have = sum(heights[row] for row in rows)
        if need > have:
            for row in rows:
                heights[row] += (need - have) / len(rows)

    # data rows
    colof = {key: get_column_letter(i) for i, (key, _) in enumerate(grid, start=2)}
    r = h + 1
    d0 = r
    categories, indicators = [], []
    l1_runs = []  # (level1, first row, last row)
    mode = o["mode"]
    prev_l1 = None
    for c in p["categories"]:
        rows = list(range(r, r + max(1, len(c["inds"]))))
        categories.append({"level1": c["level1"], "level2": c["level2"], "level1_score": c["l1_score"],
                           "level2_score": c["l2_score"], "rows": [rows[0], rows[-1]]})
        if c["level1"] != prev_l1:
            l1_runs.append([c["l1_label"], rows[0], rows[-1]])
            prev_l1 = c["level1"]
        else:
            l1_runs[-1][2] = rows[-1]
        for k, row in enumerate(rows):
            for col in cols[1:]:
                put(ws, f"{col}{row}", None, DFONT, LEFT if col in (colof["name"], colof.get("explanation"),
                                                                     colof.get("remark")) else CENTER)
            heights[row] = 21
        # level2 cells
        if mode == "merged":
            put(ws, f"{colof['level2']}{rows[0]}", c["l2_label"])
            if len(rows) > 1:
                ws.merge_cells(f"{colof['level2']}{rows[0]}:{colof['level2']}{rows[-1]}")
        elif mode == "first":
            put(ws, f"{colof['level2']}{rows[0]}", c["l2_label"])
        else:
            for row in rows:
                put(ws, f"{colof['level2']}{row}", c["l2_label"])
        if mode == "repeat":
            for row in rows:
                put(ws, f"{colof['level1']}{row}", c["l1_label"])
        for i, row in zip(c["inds"], rows):
            for key in ("name", "value", "explanation", "weight", "standard", "remark"):
                if key in colof:
                    put(ws, f"{colof[key]}{row}", i[key], DFONT,
                        LEFT if key in ("name", "explanation", "remark") else CENTER)
                else:
                    assert not i[key], (key, i)
            need = max(text_lines(shown(i[key]), widths[colof[key]])
                       for key in ("name", "value", "explanation", "weight", "standard", "remark") if key in colof)
            heights[row] = max(heights[row], height(need))
            e = {"level1": c["level1"], "level2": c["level2"]}
            e.update({key: clean(i[key]) for key in IND_KEYS[2:]})
            e["row"] = row
            indicators.append(e)
        # the level2 label must fit in its rows (merged) or in the row holding it
        need = height(text_lines(c["l2_label"], widths[colof["level2"]]))
        fit(rows if mode == "merged" else rows[:1] if mode == "first" else rows, need, each=mode == "repeat")
        r = rows[-1] + 1
    d1 = r - 1
    for label1, a, b in l1_runs:
        if mode in ("merged", "first"):
            put(ws, f"{colof['level1']}{a}", label1)
            if mode == "merged" and b > a:
                ws.merge_cells(f"{colof['level1']}{a}:{colof['level1']}{b}")
        need = height(text_lines(label1, widths[colof["level1"]]))
        fit(list(range(a, b + 1)) if mode == "merged" else [a] if mode == "first" else list(range(a, b + 1)),
            need, each=mode == "repeat")
    for row in range(h, d1 + 1):
        ws[f"A{row}"].border = BORDER
    ws.merge_cells(f"A{h}:A{d1}")

    for row, hh in heights.items():
        ws.row_dimensions[row].height = round(hh, 1)

    # below the table: footnotes after one blank row; strays anywhere
    last = d1
    fr = d1 + 2
    for t in o["footnotes"]:
        ws[f"A{fr}"] = t
        ws[f"A{fr}"].font = DFONT
        ws[f"A{fr}"].alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        ws.merge_cells(f"A{fr}:{L}{fr}")
        ws.row_dimensions[fr].height = height(text_lines(t, wsum(1, ncol)))
        extras.append({"sheet": sheet, "cell": f"A{fr}", "text": clean(t), "kind": "footnote"})
        last = fr
        fr += 1
    for addr, t in o["strays"]:
        ws[addr] = t
        ws[addr].font = DFONT
        ws[addr].alignment = Alignment(vertical="center", wrap_text=True)
        extras.append({"sheet": sheet, "cell": addr, "text": clean(t), "kind": "stray"})

    # print setup (the sheet's last block wins; one block per sheet in the examples)
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{h}:{h}"
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.page_margins.left = ws.page_margins.right = 0.5

    def rowcol(e):
        m = re.match(r"([A-Z]+)(\d+)", e["cell"])
        return int(m.group(2)), len(m.group(1)), m.group(1)
    extras.sort(key=rowcol)
    form = {}
    for key in FORM_KEYS:
        if key in FUNDS or key in ("name", "unit", "attribute", "period", "annual_goal", "midterm_goal"):
            form[key] = clean(f.get(key))
        else:
            form[key] = f[key]
    form_cells = {k: form_cells[k] for k in FORM_KEYS if k in form_cells}
    columns = {key: colof[key] for key in IND_KEYS if key in colof}
    table = {
        "schema": "jixiao.table/1",
        "template": "project-target",
        "title": clean(p["title"]),
        "year": p["year"],
        "department": p["department"],
        "source": {"sheet": sheet, "format": "xlsx", "header_rows": [h, h], "data_rows": [d0, d1],
                   "columns": columns, "form_cells": form_cells},
        "form": form,
        "categories": categories,
        "indicators": indicators,
        "extras": extras,
    }
    return table, last


def instructions_sheet(wb, lines, title="填报说明"):
    if wb.sheetnames == ["Sheet"] and wb.active.max_row == 1 and wb.active["A1"].value is None:
        ws = wb.active  # the fresh workbook's default sheet
    else:
        ws = wb.create_sheet(title, 0)
    ws.title = title
    for k, t in enumerate(lines, 1):
        ws.cell(k, 1, t).font = HFONT if k == 1 else DFONT
        ws.cell(k, 1).alignment = Alignment(wrap_text=True, vertical="center")
        ws.row_dimensions[k].height = height(text_lines(t, 90))
    ws.column_dimensions["A"].width = 90
    return [{"sheet": title, "cell": f"A{k}", "text": clean(t), "kind": "other_sheet"}
            for k, t in enumerate(lines, 1)]


def dump(obj, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write("\n")


# ---------------------------------------------------------------------------
# the data: three projects of 临沂市教育局, 2023 and 2024
# ---------------------------------------------------------------------------
INSTRUCTIONS = [
    "填报说明",
    "1.本表按项目填报，一个项目一张表，工作表以项目实施单位命名。",
    "2.项目资金以万元为单位，年度资金总额应等于财政拨款、上年结转资金与其他资金之和。",
    "3.绩效指标按产出指标、效益指标、满意度指标分级填写，无对应内容的二级指标保留空行。",
    "4.成本指标填写控制上限（如≤65万元），指标值应可量化、可考核。",
    "5.绩效标准填写计划标准、行业标准或历史标准。",
]
FOOT_SAFETY = "填报人：李明 联系电话：0539-8123456"
FOOT_TRAINING = "填报人：周静 联系电话：0539-8123457"
FOOT_AID = "填报人：王芳 联系电话：0539-8123458"


def form(name, unit, attribute, period, total, fiscal, carryover, other, goal, midterm=None,
         department_raw="[015001]临沂市教育局", department_code="015001", department=DEPT, money_unit="万元"):
    return {"name": name, "department_raw": department_raw, "department_code": department_code,
            "department": department, "unit": unit, "attribute": attribute, "period": period,
            "money_unit": money_unit, "funds_total": total, "funds_fiscal": fiscal,
            "funds_carryover": carryover, "funds_other": other, "annual_goal": goal, "midterm_goal": midterm}


P1 = "中小学校园安全设施改造"
P2 = "中小学教师全员培训"
P3 = "家庭经济困难学生资助"

GOAL_SAFETY_2023 = ("1.完成10所中小学校园安防设施改造，新增视频监控点位360个以上。\n"
                    "2.校园安全事故发生率较上年下降，师生及家长满意度达到90%以上。")
GOAL_SAFETY_2024 = ("1.完成12所中小学校园安防设施改造，新增视频监控点位360个以上。\n"
                    "2.实现校园一键报警系统与公安机关联网全覆盖。\n"
                    "3.校园安全事故发生率较上年下降，师生及家长满意度达到90%以上。")
GOAL_TRAINING = ("1.组织全市中小学教师参加全员培训，完成培训任务并考核合格。\n"
                 "2.开展乡村教师、新入职教师和骨干教师专项培训。\n"
                 "3.提升教师信息化教学能力和专业素养。")
GOAL_AID = ("1.按时足额发放学前教育、义务教育和普通高中家庭经济困难学生资助资金。\n"
            "2.做到应助尽助，确保不让一个学生因家庭经济困难而失学。")


def projects(year):
    y23 = year == 2023
    title = f"{year}年度项目支出绩效目标表"
    safety = {
        "sheet": "临沂一中", "title": title, "year": year, "department": DEPT,
        "form": form(P1, "临沂市第一中学", "新增项目", "1年", Num(250), Num(200), None, Num(50),
                     GOAL_SAFETY_2023 if y23 else GOAL_SAFETY_2024),
        "categories": [
            cat("产出指标", "数量指标", [
                ind("改造学校数量", "≥10所" if y23 else "≥12所"),
                ind("新增监控点位数" if y23 else "新增视频监控点位数", "≥360个"),
            ]),
            cat("产出指标", "质量指标", [ind("安防设施验收合格率", "100%", "行业标准")]
                + ([] if y23 else [ind("一键报警系统联网率", Num(1, "0%"), "行业标准")])),
            cat("产出指标", "时效指标", [ind("项目完工时间", "8月底前")]),
            cat("产出指标", "成本指标", [
                ind("单校改造成本", "≤25万元" if y23 else "≤20万元"),
                ind("监控设备采购成本", "≤65万元", "计划标准" if y23 else "历史标准"),
            ]),
            cat("效益指标", "经济效益指标", []),
            cat("效益指标", "社会效益指标", [
                ind("校园安全事故发生率", "较上年下降", "历史标准"),
                ind("校园治安案件发生数", "0起", "历史标准"),
            ]),
            cat("效益指标", "生态效益指标", []),
            cat("效益指标", "可持续影响指标", [ind("安防设施正常使用年限", "≥5年", "行业标准")]),
            cat("满意度指标", "服务对象满意度指标", [ind("师生及家长满意度", "≥90%")]),
        ],
        "footnotes": [FOOT_SAFETY],
    }
    training = {
        "sheet": "教师发展中心", "title": title, "year": year, "department": DEPT,
        "form": form(P2, "临沂市教师发展中心", "延续项目", "2023-2025年",
                     Num(300 if y23 else 350, "0.00"), Num(280 if y23 else 320, "0.00"),
                     Num(20 if y23 else 30, "0.00"), None, GOAL_TRAINING),
        "categories": [
            cat("产出指标", "数量指标", [
                ind("培训教师人次", "≥3000人次" if y23 else "≥3500人次"),
                ind("培训班次", "≥40期"),
            ]),
            cat("产出指标", "质量指标", [
                ind("参训教师考核合格率", "80%" if y23 else Num(0.85, "0%"), "行业标准")]),
            cat("产出指标", "时效指标", [ind("培训任务完成时间", "12月底前")]),
            cat("产出指标", "成本指标", [
                ind("培训总成本", "≤300万元" if y23 else "≤350万元"),
                ind("人均培训成本", "≤1000元", "行业标准", "含食宿及资料费"),
            ]),
            cat("效益指标", "经济效益指标", []),
            cat("效益指标", "社会效益指标", [ind("教师专业能力", "有所提升", "历史标准")]),
            cat("效益指标", "可持续影响指标", [ind("培训成果转化应用", "长期")]),
            cat("满意度指标", "服务对象满意度指标", [ind("参训教师满意度", "≥90%")]),
        ],
        "footnotes": [FOOT_TRAINING],
    }
    publicity = ind("资助政策宣传覆盖率", "100%")
    aid = {
        "sheet": "学生资助中心", "title": title, "year": year, "department": DEPT,
        "form": form(P3, "临沂市学生资助管理中心", "延续项目", "1年",
                     Num(1200, "#,##0.00"), Num(1100, "#,##0.00"), Num(100, "#,##0.00"), None, GOAL_AID),
        "categories": [
            cat("产出指标", "数量指标", [
                ind("资助学生人数", "≥8000人" if y23 else "≥8500人"),
                ind("覆盖学校数量", "≥60所"),
            ]),
            cat("产出指标", "质量指标", [ind("资助对象认定准确率", "100%", "行业标准")]
                + ([publicity] if y23 else [])),
            cat("产出指标", "时效指标", [ind("资助资金发放时间", "按学期及时发放" if y23 else "开学后2个月内")]),
            cat("产出指标", "成本指标", [ind("生均资助标准", "≤2000元/人·年", "行业标准", "按国家资助标准执行")]),
            cat("效益指标", "经济效益指标", [ind("困难家庭教育支出负担", "有效减轻", "历史标准")]),
            cat("效益指标", "社会效益指标", [ind("因贫失学辍学学生人数", "0人", "历史标准")]
                + ([] if y23 else [publicity])),
            cat("效益指标", "生态效益指标", []),
            cat("效益指标", "可持续影响指标", [ind("资助工作长效机制", "持续完善")]
                + ([ind("资助档案规范管理率", "100%")] if y23 else [])),
            cat("满意度指标", "服务对象满意度指标", [ind("受助学生及家长满意度", "≥90%" if y23 else "≥95%")]),
        ],
        "footnotes": [FOOT_AID],
    }
    return [safety, training, aid]


def write_examples(year, path):
    wb = Workbook()
    wextras = instructions_sheet(wb, INSTRUCTIONS)
    tables = []
    for p in projects(year):
        ws = wb.create_sheet(p["sheet"])
        t, _ = write_block(ws, 1, p, {"footnotes": p["footnotes"]})
        tables.append(t)
    wb.save(path)
    return {"schema": "jixiao.workbook/1", "tables": tables, "extras": wextras}


# ---------------------------------------------------------------------------
# the planted differences as diff facts (model.md "Diff JSON"), without `delta`
# ---------------------------------------------------------------------------
RENAMES = {(P1, "新增监控点位数"): "新增视频监控点位数"}  # (project, prior name) -> current name


def diff(prior, current, prior_path, current_path):
    counts = dict(added=0, removed=0, renamed=0, moved=0, modified=0, unchanged=0)
    changes = []
    ptabs = {t["form"]["name"]: t for t in prior["tables"]}
    for t in current["tables"]:
        proj = t["form"]["name"]
        pt = ptabs[proj]
        for key in FORM_KEYS:
            if pt["form"][key] != t["form"][key]:
                changes.append(dict(kind="modified", project=proj, level1=None, level2=None, indicator=None,
                                    field=key, old=pt["form"][key], new=t["form"][key]))
                counts["modified"] += 1
        pind = {i["name"]: i for i in pt["indicators"]}
        back = {v: k[1] for k, v in RENAMES.items() if k[0] == proj}
        seen = set()
        for i in t["indicators"]:
            pname = back.get(i["name"], i["name"])
            base = dict(project=proj, level1=i["level1"], level2=i["level2"], indicator=i["name"])
            if pname not in pind:
                changes.append(dict(kind="added", **base, field=None, old=None, new=None))
                counts["added"] += 1
                continue
            seen.add(pname)
            o = pind[pname]
            n = len(changes)
            if pname != i["name"]:
                changes.append(dict(kind="renamed", **base, field="name", old=pname, new=i["name"]))
                counts["renamed"] += 1
            if (o["level1"], o["level2"]) != (i["level1"], i["level2"]):
                changes.append(dict(kind="moved", **base, field="category",
                                    old=f"{o['level1']}/{o['level2']}", new=f"{i['level1']}/{i['level2']}"))
                counts["moved"] += 1
            for key in ("value", "explanation", "weight", "standard", "remark"):
                if o[key] != i[key]:
                    changes.append(dict(kind="modified", **base, field=key, old=o[key], new=i[key]))
                    counts["modified"] += 1
            if len(changes) == n:
                counts["unchanged"] += 1
        for o in pt["indicators"]:
            if o["name"] not in seen:
                changes.append(dict(kind="removed", project=proj, level1=o["level1"], level2=o["level2"],
                                    indicator=o["name"], field=None, old=None, new=None))
                counts["removed"] += 1
    return {"schema": "jixiao.diff/1",
            "prior": {"title": prior["tables"][0]["title"], "year": prior["tables"][0]["year"], "path": prior_path},
            "current": {"title": current["tables"][0]["title"], "year": current["tables"][0]["year"],
                        "path": current_path},
            "summary": counts, "changes": changes}


def main():
    p23 = os.path.join(HERE, "linyi-education-projects-2023.xlsx")
    p24 = os.path.join(HERE, "linyi-education-projects-2024.xlsx")
    e23 = write_examples(2023, p23)
    e24 = write_examples(2024, p24)
    dump(e23, os.path.join(HERE, "linyi-education-projects-2023.expected.json"))
    dump(e24, os.path.join(HERE, "linyi-education-projects-2024.expected.json"))
    dj = diff(e23, e24, "examples/linyi-education-projects-2023.xlsx", "examples/linyi-education-projects-2024.xlsx")
    dump(dj, os.path.join(HERE, "linyi-education-projects-2023-2024.diff.expected.json"))
    if "--print-diff" in sys.argv:
        print(json.dumps(dj["summary"], ensure_ascii=False))
        for ch in dj["changes"]:
            print("| {kind} | {project} | {level1} | {level2} | {indicator} | {field} | {old} | {new} |".format(
                **{k: ("" if v is None else str(v).replace("\n", "⏎")) for k, v in ch.items()}))


if __name__ == "__main__":
    main()
