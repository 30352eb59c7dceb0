#!/usr/bin/env python3
"""Build the two example workbooks of 临沂市教育局 and their expected JSON.

    python3 examples/make_examples.py

writes, next to this script:
  linyi-education-2023.xlsx            the seed table (seeds/000_398316883b87688f.txt) rebuilt
  linyi-education-2023.expected.json   what a correct reader must produce from it
  linyi-education-2022.xlsx            the prior year, with the differences listed in README.md
  linyi-education-2022.expected.json
  linyi-education-2022-2023.diff.expected.json   the planted differences as diff facts

The workbooks and the expected JSON are produced from the same data below, so
they cannot disagree. tests/fixtures/make_fixtures.py imports this module.
"""
import json
import os
import sys

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

HERE = os.path.dirname(os.path.abspath(__file__))

FIELDS = ["name", "explanation", "annual_value", "planned_value", "standard_value",
          "standard_source", "history_avg3", "history_last", "history_source", "activities"]
# official column of each model field
COLUMNS = {"seq": "A", "duty_name": "B", "objective": "C", "name": "D", "explanation": "E",
           "annual_value": "F", "planned_value": "G", "standard_value": "H",
           "standard_source": "I", "history_avg3": "J", "history_last": "K",
           "history_source": "L", "activities": "M"}
DEPT = "临沂市教育局"


class Num:
    """A numeric cell with a number format, e.g. Num(0.85, '0%') shows as 85%."""

    def __init__(self, value, fmt):
        self.value, self.fmt = value, fmt

    def display(self):
        if self.fmt == "0%":
            return f"{self.value * 100:.0f}%"
        if self.fmt == "0.00%":
            return f"{self.value * 100:.2f}%"
        if self.fmt in ("General", "0"):
            v = self.value
            return str(int(v)) if float(v).is_integer() else str(v)
        raise ValueError(self.fmt)


FW = str.maketrans("０１２３４５６７８９％", "0123456789%")


def clean(v):
    """The cleaned text of a cell value, per spec/model.md (for the values used here)."""
    if v is None:
        return ""
    if isinstance(v, Num):
        return v.display()
    if isinstance(v, (int, float)):
        return Num(v, "General").display()
    s = v.strip().translate(FW)
    if "\n" in s and len(s) <= 20:  # a short value broken over two lines
        s = s.replace("\n", "")
    return s


def ind(name, expl, f, g, h, i, j, k, l, m):
    return dict(zip(FIELDS, [name, expl, f, g, h, i, j, k, l, m]))


def duty(seq, name, objective, indicators):
    return {"seq": seq, "name": name, "objective": objective, "indicators": indicators}


# ---------------------------------------------------------------------------
# 2023: the seed, reconstructed. Punctuation as in the seed (half-width `,` kept).
# ---------------------------------------------------------------------------
TEACHER_TRAINING_2023 = (
    '1.开展"互联网+教师专业发展"工程,组织开展网络研修。\n'
    '2.组织开展乡村教师骨干教师培训。\n'
    '3.组织开展新入职教师培训。\n'
    '4.组织开展教师信息技术能力提升2.0项目。\n'
    '5.组织开展思政教师培训。\n'
    '6.扎实开展"三名工程"人选培养。')
INTL_ACTIVITIES = (
    "经省教育厅批准,临沂一中于2013年、临沂四中于2012年获得举办中外高中课程项目班的资格,"
    "严格按获批事项实施办学,落实立德树人根本任务,严格执行国家课程方案和课程标准,"
    "注重提高办学质量,不断推动高中教育改革与发展。")
OBJ1 = "起草全市教育方面的政策措施,拟定全市教育改革与发展规划,指导全市教育科学研究、教学研究和教学改革改制工作。"
OBJ2 = "指导高校的高新技术应用研究与推广科研成果工作,组织实施国家和省、市教育科研项目。"
OBJ3 = ("主管全市教师工作,指导学校教职工队伍建设、学校内部管理体制改革,承担全市各类学校的设立、"
        "调整等事宜的评估与审批工作,协调好各县区的有关教育工作。")
OBJ4_2023 = ("管理全市学历教育,组织实施大中专学校、高教自学等报名、考试工作,负责对外及港澳台地区的教育交流与合作工作。"
             "管理全市教育系统出国留学、接受外国学生和外籍老师管理工作,指导学校安全保卫工作,"
             "提高学校安全风险防控和应急管理水平。")
OBJ5 = "负责全市师范类毕业生就业指导和就业制度改革工作,负责全市语言文字管理工作和教师资格认定工作。"
DUTY1 = "教育改革发展政策"
DUTY3 = "统筹规划教师队伍建设"
DUTY4 = "教育管理与服务"
DUTY5 = "就业指导与资格认定"

I_POLICY = ind("教育改革发展政策措施拟定数量", "反映教育改革发展政策措施拟定情况。",
               "1个", "/", "1个", "工作计划", "1个", "1个", "内部统计", "开展教育部基础教育课程改革工作。")
I_PLATFORM = ind("省级科技创新平台建设数量", "反映省级科技创新平台建设情况。",
                 "1个", "/", "1个", "工作计划", "1个", "1个", "内部统计", "开展省级科技创新平台建设工作。")
I_INSPECT = ind("教育综合督导完成率",
                "涉及贯彻执行党的教育方针和落实教育法规政策,各级各类教育发展,教育保障,教师队伍建设及待遇落实,规范办学、促进教育公平。",
                "100%", "/", "100%", "工作计划", "100%", "100%", "内部统计", "开展对县区政府履行教育职责评价工作。")
I_HIGHSCHOOL = ind("省特色高中数量", "反映省特色高中数量达标情况。",
                   "1所", "5所", "1所", "工作计划", "1所", "1所", "内部统计", "申报1所省特色高中")

DATA_2023 = {
    "year": 2023,
    "sheet": "Sheet1",
    "duties": [
        duty(1, DUTY1, OBJ1, [
            I_POLICY,
            ind("教学质量提升工作完成率",
                "反映教育教学研究、教学指导与服务、学业质量监测、课题研究、课改实验项目等工作开展情况。",
                Num(0.85, "0%"), "/", Num(0.85, "0%"), "工作计划", "80%", "80%", "内部统计",
                "开展教学研讨活动、项目研究、教学评估、课题研究、学业质量监测评估。"),
        ]),
        duty(2, DUTY1, OBJ2, [I_PLATFORM]),
        duty(3, DUTY3, OBJ3, [
            ind("师资队伍培训人次", "反映师资队伍培训开展情况。",
                "11万人次", "/", "11万人次", "工作计划", "8万人次", "10万人次", "内部统计",
                TEACHER_TRAINING_2023),
            I_INSPECT,
            ind("组建教师教育专家库数量", "反映组建教师教育队伍建设情况。",
                "210人", "250人", "210人", "工作计划", "200人", "200人", "内部统计", "组建教师教育专家库。"),
            ind("新建改扩建中小学校数量", "反映新建改扩建中小学校工作推进情况。",
                "33处", "/", "33处", "工作计划", "100处", "107处", "内部统计", "开展中小学校新建改扩建工作。"),
        ]),
        duty(4, DUTY4, OBJ4_2023, [
            ind("组织招生考试参与人次", "反映组织招生考试工作开展情况。",
                "280万人次", "/", "280万人次", "工作计划", None, "报考72万人,255万科次", "内部统计",
                "开展教育招生考试工作工作。"),
            ind("教育现代化实现情况", "反映教育现代化实现情况。",
                "基本实现", "基本实现", "基本实现", "工作计划", Num(0.9, "0.00%"), Num(0.95, "0.00%"), "内部统计",
                "提升教育管理、教学条件、教学内容、教学方法、教育技术等。"),
            ind("学前教育普及率", "在园幼儿数量总数与适龄儿童之比。",
                Num(0.9, "0%"), "75%以上", Num(0.9, "0%"), "工作计划", Num(0.9, "0.00%"), Num(0.9, "0.00%"),
                "省学前教育信息系统", "开展学前教育普及工作。"),
            I_HIGHSCHOOL,
            ind("中等职业学校技能大赛省级以上获奖数量", "反映中等职业学校办学质量情况。",
                "省赛获奖35、国赛获奖7", "省赛获奖35、国赛获奖7", "省赛获奖35、国赛获奖7", "工作计划",
                "省赛获奖35、国赛获奖6", "省赛获奖35、国赛获奖6", "内部统计", "组织参加省级、国家级职业院校技能大赛"),
            ind("人才培育人次", "反映人才培养人次达标情况。",
                "200人次", "200人次/年", "200人次", "工作计划", "200人次", "200人次", "内部统计", "开展人才培育工作"),
            ind("学生体质健康标准合格率", "反映学生体质健康标准合格率达标情况。",
                "90%", "90%", Num(0.9, "0%"), "体测表", Num(0.9042, "0.00%"), Num(0.9201, "0.00%"), "内部统计",
                "加强学生体质锻炼活动"),
            ind("国际交流与合作办学2023年继续招生计划人次", "反映国际交流与合作办学规模及成效。",
                "145人", "/", "145人", "县区统计汇总", "141人", "141人", "县区统计汇总", INTL_ACTIVITIES),
        ]),
        duty(5, DUTY5, OBJ5, [
            ind("毕业生就业指导人数", "反映毕业生就业指导和服务工作开展情况。",
                "1550人", "/", "1550人", "工作计划", "2846人", "4300人", "内部统计",
                "扎实做好师范类高校毕业生就业指导、网签、档案转递等工作,提供就业指导服务。"),
        ]),
    ],
    "footnote": "注：年度指标值为本年度计划达到的目标值。",
    "signature": "单位负责人：王立新  填报人：张丽  联系电话：0539-8123456",
}

# ---------------------------------------------------------------------------
# 2022: the prior year (made up), see README.md for every planted difference.
# ---------------------------------------------------------------------------
TEACHER_TRAINING_2022 = (
    '1.开展"互联网+教师专业发展"工程,组织开展网络研修。\n'
    '2.组织开展乡村教师骨干教师培训。\n'
    '3.组织开展新入职教师培训。\n'
    '4.组织开展教师信息技术能力提升2.0项目。\n'
    '5.组织开展思政教师培训。')
OBJ4_2022 = ("管理全市学历教育,组织实施大中专学校、高教自学等报名、考试工作,负责对外及港澳台地区的教育交流与合作工作。"
             "管理全市教育系统出国留学、接受外国学生和外籍老师管理工作,指导学校安全保卫工作。")

DATA_2022 = {
    "year": 2022,
    "sheet": "Sheet1",
    "duties": [
        duty(1, DUTY1, OBJ1, [
            I_POLICY,
            ind("教学质量提升工作完成率",
                "反映教育教学研究、教学指导与服务、学业质量监测、课题研究、课改实验项目等工作开展情况。",
                "80%", "/", "80%", "工作计划", "80%", "78%", "内部统计",
                "开展教学研讨活动、项目研究、教学评估、课题研究、学业质量监测评估。"),
        ]),
        duty(2, DUTY1, OBJ2, [I_PLATFORM]),
        duty(3, DUTY3, OBJ3, [
            ind("师资队伍培训人次", "反映师资队伍培训开展情况。",
                "10万人次", "/", "10万人次", "工作计划", "7万人次", "8万人次", "内部统计",
                TEACHER_TRAINING_2022),
            ind("组建教师教育专家库数量", "反映组建教师教育队伍建设情况。",
                "200人", "250人", "200人", "工作计划", "200人", "200人", "内部统计", "组建教师教育专家库。"),
            ind("新建改扩建中小学校数量", "反映新建改扩建中小学校工作推进情况。",
                "100处", "/", "100处", "工作计划", "100处", "98处", "内部统计", "开展中小学校新建改扩建工作。"),
        ]),
        duty(4, DUTY4, OBJ4_2022, [
            ind("组织招生考试参与人次", "反映组织招生考试工作开展情况。",
                "270万人次", "/", "270万人次", "工作计划", None, "报考70万人,248万科次", "内部统计",
                "开展教育招生考试工作工作。"),
            # moved: under 教育管理与服务 in 2022, under 统筹规划教师队伍建设 in 2023.
            # Stored as numbers formatted 0% here, as text in 2023: same cleaned text.
            ind("教育综合督导完成率",
                "涉及贯彻执行党的教育方针和落实教育法规政策,各级各类教育发展,教育保障,教师队伍建设及待遇落实,规范办学、促进教育公平。",
                Num(1, "0%"), "/", Num(1, "0%"), "工作计划", Num(1, "0%"), Num(1, "0%"), "内部统计",
                "开展对县区政府履行教育职责评价工作。"),
            ind("教育现代化实现情况", "反映教育现代化实现情况。",
                "基本实现", "基本实现", "基本实现", "工作计划", Num(0.88, "0.00%"), Num(0.9, "0.00%"), "内部统计",
                "提升教育管理、教学条件、教学内容、教学方法、教育技术等。"),
            ind("学前教育普及率", "在园幼儿数量总数与适龄儿童之比。",
                Num(0.89, "0%"), "75%以上", Num(0.89, "0%"), "工作计划", Num(0.9, "0.00%"), Num(0.89, "0.00%"),
                "省学前教育信息系统", "开展学前教育普及工作。"),
            # removed in 2023
            ind("义务教育巩固率", "反映义务教育阶段学生巩固情况。",
                Num(0.98, "0%"), "≥96%", Num(0.98, "0%"), "工作计划", Num(0.9785, "0.00%"), Num(0.9802, "0.00%"),
                "统计公报", "落实控辍保学责任,做好义务教育入学和巩固工作。"),
            # formatting-only differences: full-width digit in 规划值, trailing space in 工作活动
            ind("省特色高中数量", "反映省特色高中数量达标情况。",
                "1所", "５所", "1所", "工作计划", "1所", "1所", "内部统计", "申报1所省特色高中 "),
            ind("中等职业学校技能大赛省级以上获奖数量", "反映中等职业学校办学质量情况。",
                "省赛获奖35、国赛获奖6", "省赛获奖35、国赛获奖6", "省赛获奖35、国赛获奖6", "工作计划",
                "省赛获奖35、国赛获奖6", "省赛获奖35、国赛获奖5", "内部统计", "组织参加省级、国家级职业院校技能大赛"),
            # 年度指标值 90% as a number here, as text in 2023: not a change
            ind("学生体质健康标准合格率", "反映学生体质健康标准合格率达标情况。",
                Num(0.9, "0%"), "90%", Num(0.9, "0%"), "体测表", Num(0.9042, "0.00%"), Num(0.9015, "0.00%"), "内部统计",
                "加强学生体质锻炼活动"),
            ind("国际交流与合作办学2022年继续招生计划人次", "反映国际交流与合作办学规模及成效。",
                "141人", "/", "141人", "县区统计汇总", "141人", "141人", "县区统计汇总", INTL_ACTIVITIES),
        ]),
        duty(5, DUTY5, OBJ5, [
            ind("毕业生就业指导服务人数", "反映毕业生就业指导和服务工作开展情况。",
                "4000人", "/", "4000人", "工作计划", "2600人", "2800人", "内部统计",
                "扎实做好师范类高校毕业生就业指导、网签、档案转递等工作,提供就业指导服务。"),
        ]),
    ],
    "footnote": "注：年度指标值为本年度计划达到的目标值。",
    "signature": "单位负责人：王立新  填报人：张丽  联系电话：0539-8123456",
}

# The official header: (range, label). Top-left cell holds the label.
HEADER = [
    ("A3:A5", "职责序号"), ("B3:B5", "部门职责"), ("C3:C5", "职责目标"), ("D3:D5", "绩效指标"),
    ("E3:E5", "指标解释"), ("F3:F5", "年度指标值"),
    ("G3:I3", "标准值（规划目标、行业标准或其他明确标准）"),
    ("J3:L3", "历史值（统计年鉴/统计公报/内部统计/其他需明确的来源）"),
    ("M3:M5", "工作活动"),
    ("G4:G5", "规划值"), ("H4:I4", "当年标准值"), ("J4:J5", "前三年均值"), ("K4:K5", "上年值"),
    ("L4:L5", "来源"), ("H5", "标准值"), ("I5", "来源"),
]
WIDTHS = {"A": 6, "B": 12, "C": 30, "D": 16, "E": 24, "F": 10, "G": 10, "H": 10, "I": 10,
          "J": 10, "K": 10, "L": 10, "M": 36}

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HFONT = Font(name="SimHei", size=10, bold=True)
DFONT = Font(name="SimSun", size=10)
TFONT = Font(name="SimHei", size=16, bold=True)
HFILL = PatternFill("solid", fgColor="D9D9D9")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def text_lines(text, width_chars):
    """Printed lines of wrapped text in a column `width_chars` wide (CJK ≈ 2 units)."""
    if not text:
        return 1
    n = 0
    for part in text.split("\n"):
        units = sum(2 if ord(c) > 0x2E80 else 1.1 for c in part)
        n += max(1, -(-int(units) // max(1, int(width_chars - 1))))
    return n


def write_header(ws, top, header=HEADER, font=HFONT):
    """Writes the 3-row header block with its merges starting at row `top` (official: 3)."""
    shift = top - 3
    for col in "ABCDEFGHIJKLM":
        for r in range(top, top + 3):
            c = ws[f"{col}{r}"]
            c.border, c.font, c.fill, c.alignment = BORDER, font, HFILL, CENTER
    for rng, label in header:
        parts = rng.split(":")
        parts = [p[0] + str(int(p[1:]) + shift) for p in parts]
        ws[parts[0]] = label
        if len(parts) == 2:
            ws.merge_cells(":".join(parts))
    for r in range(top, top + 3):
        ws.row_dimensions[r].height = 30 if r == top else 22


def put(ws, addr, v):
    c = ws[addr]
    if isinstance(v, Num):
        c.value, c.number_format = v.value, v.fmt
    elif v is not None:
        c.value = v
    return c


def layout(data, first_row=6):
    """Assigns rows to duties and indicators (no gaps): returns a list of (duty, [rows])."""
    r = first_row
    out = []
    for d in data["duties"]:
        rows = list(range(r, r + len(d["indicators"])))
        out.append((d, rows))
        r += len(d["indicators"])
    return out


def write_official(data, path):
    """The table in the official layout and style (one sheet), as the examples use."""
    wb = Workbook()
    ws = wb.active
    ws.title = data["sheet"]
    title = f"{data['year']}年{DEPT}部门预算整体绩效目标表"
    ws["A1"] = title
    ws["A1"].font, ws["A1"].alignment = TFONT, Alignment(horizontal="center", vertical="center")
    ws.merge_cells("A1:M1")
    ws.row_dimensions[1].height = 30
    ws.row_dimensions[2].height = 12
    write_header(ws, 3)
    for col, w in WIDTHS.items():
        ws.column_dimensions[col].width = w
    placed = layout(data)
    last = placed[-1][1][-1]
    # data cells: style first, then values
    for r in range(6, last + 1):
        for col in "ABCDEFGHIJKLM":
            c = ws[f"{col}{r}"]
            c.border, c.font = BORDER, DFONT
            c.alignment = LEFT if col in "CEM" else CENTER
    heights = {}
    for d, rows in placed:
        for i, r in zip(d["indicators"], rows):
            for f in FIELDS:
                put(ws, f"{COLUMNS[f]}{r}", i[f])
            need = max(text_lines(clean(i[f]), WIDTHS[COLUMNS[f]]) for f in FIELDS)
            heights[r] = max(need * 13.5 + 6, 24)
        ws[f"A{rows[0]}"] = d["seq"]
        ws[f"C{rows[0]}"] = d["objective"]
        if len(rows) > 1:
            ws.merge_cells(f"A{rows[0]}:A{rows[-1]}")
            ws.merge_cells(f"C{rows[0]}:C{rows[-1]}")
        # the merged objective must fit in the rows it spans
        need = text_lines(d["objective"], WIDTHS["C"]) * 13.5 + 6
        have = sum(heights[r] for r in rows)
        if need > have:
            for r in rows:
                heights[r] += (need - have) / len(rows)
    # B merged over runs of duties sharing a 部门职责
    start = 0
    while start < len(placed):
        end = start
        while end + 1 < len(placed) and placed[end + 1][0]["name"] == placed[start][0]["name"]:
            end += 1
        r0, r1 = placed[start][1][0], placed[end][1][-1]
        ws[f"B{r0}"] = placed[start][0]["name"]
        if r1 > r0:
            ws.merge_cells(f"B{r0}:B{r1}")
        start = end + 1
    for r, h in heights.items():
        ws.row_dimensions[r].height = round(h, 1)
    # footnote and signature after one blank row
    fr = last + 2
    ws[f"A{fr}"] = data["footnote"]
    ws[f"A{fr + 1}"] = data["signature"]
    for r in (fr, fr + 1):
        ws.merge_cells(f"A{r}:M{r}")
        ws[f"A{r}"].font = DFONT
        ws[f"A{r}"].alignment = Alignment(horizontal="left", vertical="center")
        ws.row_dimensions[r].height = 20
    # page setup like the official template
    ws.freeze_panes = "A6"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "3:5"
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.page_margins.left = ws.page_margins.right = 0.4
    wb.save(path)
    return expected(data, title, placed, extras=[
        {"sheet": data["sheet"], "cell": f"A{fr}", "text": clean(data["footnote"]), "kind": "footnote"},
        {"sheet": data["sheet"], "cell": f"A{fr + 1}", "text": clean(data["signature"]), "kind": "footnote"},
    ])


def expected(data, title, placed, extras, sheet=None, header_rows=(3, 5), data_rows=None,
             department=DEPT, year="from-data", fmt="xlsx", columns=COLUMNS):
    """The expected model JSON (without `parsed` and `source.path`)."""
    duties = []
    for d, rows in placed:
        duties.append({
            "seq": d["seq"], "name": d["name"], "objective": clean(d["objective"]),
            "rows": [rows[0], rows[-1]],
            "indicators": [dict({f: clean(i[f]) for f in FIELDS}, row=r) for i, r in zip(d["indicators"], rows)],
        })
    if data_rows is None:
        data_rows = [placed[0][1][0], placed[-1][1][-1]]
    return {
        "schema": "jixiao.table/1",
        "template": "dept-overall",
        "title": title,
        "year": data["year"] if year == "from-data" else year,
        "department": department,
        "source": {"sheet": sheet or data["sheet"], "format": fmt, "header_rows": list(header_rows),
                   "data_rows": list(data_rows), "columns": dict(columns)},
        "duties": duties,
        "extras": extras,
    }


def dump(obj, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write("\n")


# ---------------------------------------------------------------------------
# The planted differences as diff facts (spec/model.md "Diff JSON"), without `delta`.
# ---------------------------------------------------------------------------
RENAMES = {  # prior name -> current name
    "国际交流与合作办学2022年继续招生计划人次": "国际交流与合作办学2023年继续招生计划人次",
    "毕业生就业指导服务人数": "毕业生就业指导人数",
}


def diff(prior, current):
    def index(t):
        return {i["name"]: (d, i) for d in t["duties"] for i in d["indicators"]}

    p, c = index(prior), index(current)
    changes = []
    counts = dict(added=0, removed=0, renamed=0, moved=0, modified=0, unchanged=0)
    pd = {d["seq"]: d for d in prior["duties"]}
    for d in current["duties"]:
        for key, field in (("name", "name"), ("objective", "objective")):
            old = pd[d["seq"]][key] if d["seq"] in pd else None
            if old is not None and old != d[key]:
                changes.append(dict(kind="modified", duty=d["seq"], indicator=None, field=field, old=old, new=d[key]))
                counts["modified"] += 1
    back = {v: k for k, v in RENAMES.items()}
    for d in current["duties"]:
        for i in d["indicators"]:
            pname = back.get(i["name"], i["name"])
            if pname not in p:
                changes.append(dict(kind="added", duty=d["seq"], indicator=i["name"], field=None, old=None, new=None))
                counts["added"] += 1
                continue
            od, oi = p[pname]
            n = len(changes)
            if pname != i["name"]:
                changes.append(dict(kind="renamed", duty=d["seq"], indicator=i["name"], field="name",
                                    old=pname, new=i["name"]))
                counts["renamed"] += 1
            if od["seq"] != d["seq"]:
                changes.append(dict(kind="moved", duty=d["seq"], indicator=i["name"], field="duty",
                                    old=str(od["seq"]), new=str(d["seq"])))
                counts["moved"] += 1
            for f in FIELDS[1:]:
                if oi[f] != i[f]:
                    changes.append(dict(kind="modified", duty=d["seq"], indicator=i["name"], field=f,
                                        old=oi[f], new=i[f]))
                    counts["modified"] += 1
            if len(changes) == n:
                counts["unchanged"] += 1
    cur_names = {back.get(n, n) for n in c}
    for d in prior["duties"]:
        for i in d["indicators"]:
            if i["name"] not in cur_names:
                changes.append(dict(kind="removed", duty=d["seq"], indicator=i["name"], field=None, old=None, new=None))
                counts["removed"] += 1
    return {"schema": "jixiao.diff/1",
            "prior": {"title": prior["title"], "year": prior["year"], "path": "examples/linyi-education-2022.xlsx"},
            "current": {"title": current["title"], "year": current["year"], "path": "examples/linyi-education-2023.xlsx"},
            "summary": counts, "changes": changes}


def main():
    exp23 = write_official(DATA_2023, os.path.join(HERE, "linyi-education-2023.xlsx"))
    exp22 = write_official(DATA_2022, os.path.join(HERE, "linyi-education-2022.xlsx"))
    dump(exp23, os.path.join(HERE, "linyi-education-2023.expected.json"))
    dump(exp22, os.path.join(HERE, "linyi-education-2022.expected.json"))
    dj = diff(exp22, exp23)
    dump(dj, os.path.join(HERE, "linyi-education-2022-2023.diff.expected.json"))
    if "--print-diff" in sys.argv:
        print(json.dumps(dj["summary"], ensure_ascii=False))
        for ch in dj["changes"]:
            print("| {kind} | {duty} | {indicator} | {field} | {old} | {new} |".format(
                **{k: ("" if v is None else v) for k, v in ch.items()}))


if __name__ == "__main__":
    main()
