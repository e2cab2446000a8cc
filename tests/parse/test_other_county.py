"""The parser is written for the family, not for five files: a seed rewritten as if another
county had published it (other unit, code, region, year, numbering) parses the same way."""

from __future__ import annotations

import re
from pathlib import Path

from generator import build
from generator.parse import readers

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"


def rewrite(text: str, pairs: list[tuple[str, str]]) -> str:
    for a, b in pairs:
        text = re.sub(a, b, text)
    return text


def parse(path: Path) -> dict:
    doc, issues = readers.read(path)
    assert doc is not None, issues
    out, _ = build.parse_document(doc)
    return out


def test_unit_budget_of_another_county(tmp_path):
    src = next(RAW.glob("000_*.txt")).read_text(encoding="utf-8")
    text = rewrite(src, [
        ("保定白沟新城行政审批局", "武安市自然资源和规划局"),
        ("322009", "617003"),
        ("2022年", "2025年"), ("2021年", "2024年"), ("13060522", "13048125"),
        (r"(?m)^(\d{1,2})、", r"\1."),  # '3、项目绩效目标' numbered '3.' instead
    ])
    p = tmp_path / "wuan-2025.txt"
    p.write_text(text, encoding="gb18030")  # and in another encoding
    out = parse(p)
    d = out["documents"][0]
    assert (d["unit_code"], d["unit_name"], d["year"], d["doc_kind"], d["region"]) == (
        "617003", "武安市自然资源和规划局", 2025, "unit_budget", "武安市")
    assert len(out["projects"]) == 28 and len(out["indicators"]) == 246
    assert {r["metric"] for r in out["budget_totals"]} >= {"expenditure_total", "project_expenditure"}
    assert len(out["procurement"]) == 10
    years = {r["fiscal_year"] for r in out["three_public"]}
    assert years == {2024, 2025}


def test_department_budget_pdf_text_of_another_county(tmp_path):
    src = next(RAW.glob("002_*.txt")).read_text(encoding="utf-8")
    text = rewrite(src, [("青龙满族自治县行政审批局", "围场满族蒙古族自治县卫生健康局"), ("436", "512"),
                         ("2023", "2026"), ("2022", "2025")])
    p = tmp_path / "weichang.txt"
    p.write_text(text, encoding="utf-16")
    out = parse(p)
    d = out["documents"][0]
    assert (d["unit_code"], d["year"], d["doc_kind"]) == ("512", 2026, "dept_budget")
    assert d["region"] == "围场满族蒙古族自治县"
    assert len([r for r in out["expenditure_by_function"] if r["code"]]) == 16
    assert len([r for r in out["expenditure_by_economic"] if r["code"]]) == 23
    assert len(out["projects"]) == 14
