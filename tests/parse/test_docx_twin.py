"""A DOCX built with python-docx parses into the same records as its Word text extraction twin."""

from __future__ import annotations

from pathlib import Path

import pytest

docx = pytest.importorskip("docx")

from generator import build  # noqa: E402
from generator.parse import readers  # noqa: E402

PARAS_BEFORE = ["测试县行政审批局", "2024年单位预算信息公开", "第五部分：绩效预算信息", "1、测试项目绩效目标"]
INFO = [
    ["654321测试县行政审批局"],
    ["单位：万元"],
    ["项目编码", "13020024P0000001X", "项目名称", "测试项目"],
    ["预算规模及资金用途", "预算数", "12.50", "其中：财政资金", "12.50", "其他资金", ""],
    ["", "用于测试系统运行维护"],
    ["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底"],
    ["", "25.00", "50.00", "75.00", "100.00"],
    ["绩效目标", "1、系统正常运行"],
]
INDICATORS = [
    ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"],
    ["产出指标", "数量指标", "维护次数", "全年维护次数", "≥12次", "工作计划"],
    ["", "质量指标", "验收合格率", "验收合格率", "=100%", "无"],
    ["", "成本指标", "项目成本", "控制在预算内", "≤12.5万元", "预算批复"],
    ["效益指标", "社会效益指标", "服务群众", "服务群众人次", "≥5000人次", "工作计划"],
    ["满意度指标", "服务对象满意度指标", "群众满意度", "群众满意度", "≥95%", "问卷"],
]


def build_docx(path: Path) -> None:
    d = docx.Document()
    for p in PARAS_BEFORE:
        d.add_paragraph(p)
    t = d.add_table(rows=len(INFO), cols=7)
    for r, cells in enumerate(INFO):
        row = t.rows[r].cells
        if len(cells) == 1:  # a one-cell row spans the table
            row[0].merge(row[6]).text = cells[0]
        elif len(cells) == 2:
            row[0].text = cells[0]
            row[1].merge(row[6]).text = cells[1]
        elif len(cells) == 4:  # 项目编码 | code | 项目名称 | name (spanning)
            row[0].text, row[1].text, row[2].text = cells[:3]
            row[3].merge(row[6]).text = cells[3]
        elif len(cells) == 5:
            for i, c in enumerate(cells):
                row[i].text = c
            row[4].merge(row[6])
        else:
            for i, c in enumerate(cells):
                row[i].text = c
    # 预算规模及资金用途 is vertically merged over the purpose row
    t.cell(3, 0).merge(t.cell(4, 0))
    t.cell(3, 0).text = "预算规模及资金用途"
    ind = d.add_table(rows=len(INDICATORS), cols=6)
    for r, cells in enumerate(INDICATORS):
        for i, c in enumerate(cells):
            if c:
                ind.cell(r, i).text = c
    ind.cell(1, 0).merge(ind.cell(3, 0)).text = "产出指标"  # merged 一级指标
    d.add_paragraph("第六部分：政府采购预算情况")
    d.save(str(path))


def text_twin(path: Path) -> None:
    """The same content as a Word text extraction: one '\\t' cell per line, blank line between rows."""
    lines = list(PARAS_BEFORE)
    for cells in INFO + INDICATORS:
        lines += ["\t" + c for c in cells] + [""]
    lines.append("第六部分：政府采购预算情况")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def records_of(path: Path) -> dict:
    doc, issues = readers.read(path)
    assert doc is not None, issues
    out, _ = build.parse_document(doc)
    drop = {"doc_id", "source_line"}
    return {t: [{k: v for k, v in r.items() if k not in drop} for r in out.get(t, [])]
            for t in ("projects", "indicators")}


def test_docx_parses_like_its_text_twin(tmp_path):
    build_docx(tmp_path / "项目.docx")
    text_twin(tmp_path / "twin.txt")
    a, b = records_of(tmp_path / "项目.docx"), records_of(tmp_path / "twin.txt")
    assert a["projects"] and len(a["indicators"]) == 5
    assert a == b
    p = a["projects"][0]
    assert (p["project_code"], p["project_name"], str(p["budget_wan"])) == ("13020024P0000001X", "测试项目", "12.50")
    assert [i["level1"] for i in a["indicators"]] == ["产出指标"] * 3 + ["效益指标", "满意度指标"]


def test_docx_provenance_is_table_position(tmp_path):
    build_docx(tmp_path / "p.docx")
    doc, _ = readers.read(tmp_path / "p.docx")
    out, _ = build.parse_document(doc)
    assert out["projects"][0]["source_line"].startswith("t")
