"""Identity from content: unit, year and kind from the cover, labels and captions (hand-made documents
shaped like the corpus traps; the corpus itself is checked in test_corpus.py)."""

from __future__ import annotations

import pytest

from generator.model import Cell, Document, Para, Row, Table
from generator.parse import sections
from generator.parse.records.identity import clean_name, identify


def pdf(*pages: list[str | list[str]]) -> Document:
    """A PDF-like Document: one list per page of paragraphs (str) and one-row tables (list of cells)."""
    blocks: list = []
    for n, page in enumerate(pages, 1):
        for item in page:
            w = f"p{n}"
            if isinstance(item, str):
                blocks.append(Para(item, w))
            else:
                blocks.append(Table((Row(tuple(Cell(c, w) for c in item), w),), w))
    return Document("d", "x.pdf", "0" * 64, "pdf", "", tuple(blocks), len(pages), 1)


def ident(doc: Document):
    return identify(doc, sections.document_to_sections(doc))


BODY = ["目 录", "一、收支总表"]


@pytest.mark.parametrize("cover, unit, year, kind", [
    (["2026 年深圳市公安局（本级）部门预", "算"], "深圳市公安局（本级）", 2026, "dept_budget"),  # title wraps mid-word
    (["国家信访局 年度部门预算", "2026", "二〇二六年三月"], "国家信访局", 2026, "dept_budget"),  # year set apart
    (["上海市普陀区财政局", "年度部门决算", "2024"], "上海市普陀区财政局", 2024, "final_accounts"),
    (["西南大学 2023 年度部门决算", "2024 年 8 月"], "西南大学", 2023, "final_accounts"),  # not the publication year
    (["上海市2026年市级单位预算", "预算单位：上海市审计局"], "上海市审计局", 2026, "unit_budget"),  # region, then label
    (["2026年", "广州市信访局部门预算"], "广州市信访局", 2026, "dept_budget"),
    (["西安市人民政府办公厅（汇总）", "2026年部门预算公开说明"], "西安市人民政府办公厅（汇总）", 2026, "dept_budget"),
    (["2019 年佛山市轨道交通局 部门决算"], "佛山市轨道交通局", 2019, "final_accounts"),
    (["上海市普陀区规划和自然 资源局", "2025 年度单位预算"], "上海市普陀区规划和自然资源局", 2025, "unit_budget"),
])
def test_cover(cover, unit, year, kind):
    i = ident(pdf(cover, BODY, [["单位名称：", "", "单位：万元"]]))
    assert (i.unit_name, i.year, i.kind) == (unit, year, kind)


def test_table_book_without_cover_reads_label_glued_to_caption_and_year_of_a_late_caption():
    doc = pdf([["收支预算总表部门：中共江苏省委办公厅 单位：万元"], ["收入", "支出"]],
              [["收入预算总表部门：中共江苏省委办公厅 单位：万元"]], ["2019年政府采购预算表"])
    i = ident(doc)
    assert (i.unit_name, i.year, i.kind) == ("中共江苏省委办公厅", 2019, "dept_budget")


def test_label_in_its_own_cell_and_year_in_parentheses():
    doc = pdf(["预算01表 收支总表", "金额单位：万元"], ["预算13表 部门整体支出绩效目标表", "（2026年度）",
                                                 ["部门名称", "", "北京市政务服务和数据管理局"]])
    i = ident(doc)
    assert (i.unit_name, i.year) == ("北京市政务服务和数据管理局", 2026)


def test_final_accounts_from_captions_when_no_cover_names_it():
    doc = pdf(["收入支出决算总表", ["部门：某某市水务局", "金额单位：万元"]], ["支出决算表"], ["2021年度财政拨款收入支出决算总表"])
    assert ident(doc).kind == "final_accounts"


@pytest.mark.parametrize("text, name", [
    ("2026 年度无锡市统计局", "无锡市统计局"), ("杭州市气象局", "杭州市气象局"), ("上海市普陀区", None),
    ("万元", None), ("", None), ("江苏省政协办公厅2017年度", "江苏省政协办公厅"),
])
def test_clean_name(text, name):
    assert clean_name(text) == name


# ---------------------------------------------------------------- made-up covers (property tests)

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

REGIONS = st.sampled_from(["无锡市", "杭州市", "江苏省", "上海市普陀区", "青龙满族自治县", "宁波市鄞州区", "国家"])
BODIES = st.text(alphabet="统计气象水利财政审计民政商务文化旅游体育卫生健康医疗保障交通运输信访人力资源社会自然",
                 min_size=2, max_size=8)
SUFFIXES = st.sampled_from(["局", "办公室", "委员会", "中心", "厅", "管理局", "服务中心"])
OWN = st.sampled_from(["", "（本级）", "（汇总）"])
KIND_WORDS = st.sampled_from([("部门预算", "dept_budget"), ("单位预算", "unit_budget"), ("部门决算", "final_accounts"),
                              ("单位决算", "final_accounts"), ("部门综合预算", "dept_budget")])
LAYOUTS = st.sampled_from(["one_line", "year_first", "three_lines", "year_alone", "year_last", "unit_after"])


def cn(year: int) -> str:
    return "".join("〇一二三四五六七八九"[int(d)] for d in str(year))


@settings(max_examples=150, deadline=None)
@given(REGIONS, BODIES, SUFFIXES, OWN, st.integers(2015, 2030), KIND_WORDS, LAYOUTS, st.booleans(), st.data())
def test_any_cover_layout(region, body, suffix, own, year, kind, layout, dated, data):
    name = region + body + suffix + own
    words, code = kind
    cuts = data.draw(st.lists(st.integers(1, len(name) - 1), max_size=2, unique=True))
    wrapped = "".join(ch + (" " if i + 1 in cuts else "") for i, ch in enumerate(name))  # line-wrap spaces
    lines = {
        "one_line": [f"{wrapped} {year} 年度{words}"],
        "year_first": [f"{year} 年{wrapped}{words}"],
        "three_lines": [f"{year} 年度", wrapped, words],
        "year_alone": [f"{wrapped} 年度{words}", str(year)],
        "year_last": [wrapped, f"年度{words}", str(year)],
        "unit_after": [f"{year}年{words}", wrapped],
    }[layout]
    if dated:  # the publication date (the next year) is never the budget year
        lines.append(f"{cn(year + 1)}年七月" if year % 2 else f"{year + 1} 年 8 月")
    i = ident(pdf(lines, BODY, [["项目", f"{year - 1}年预算数", f"{year}年预算数"]]))
    assert (i.unit_name, i.year, i.kind) == (name, year, code)
