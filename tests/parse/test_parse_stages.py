"""Reader, section and grid stages, each test pinned to the seed quirk that forced it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from generator.model import Para, Table
from generator.parse import readers, sections, tables
from generator.parse.readers.text import read_text, sniff_shape, word_lines_to_blocks
from generator.parse.records import identity
from generator.parse.records.indicators import _tokens, assemble_rows
from generator.textcodec import decode

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"


def seed(prefix: str) -> Path:
    return next(RAW.glob(f"{prefix}_*.txt"))


def parsed(prefix: str):
    doc, issues = readers.read(seed(prefix))
    assert doc is not None, issues
    secs = sections.document_to_sections(doc)
    return doc, secs, tables.sections_to_grids(doc, secs)


def test_shape_told_apart_by_content_not_name(tmp_path):
    for prefix, shape in (("000", "word_text"), ("001", "word_text"), ("002", "pdf_text"), ("003", "word_text")):
        data = seed(prefix).read_bytes()
        renamed = tmp_path / "anything.txt"
        renamed.write_bytes(data)
        doc, _ = readers.read(renamed)
        assert doc is not None and doc.source_format == shape


def test_word_rows_split_by_blank_lines_and_merged_cells_kept_empty():
    lines = ["标题", "\t一级指标", "\t二级指标", "", "\t产出指标", "\t数量指标", "", "\t", "\t质量指标"]
    blocks = word_lines_to_blocks(lines)
    assert isinstance(blocks[0], Para)
    t = blocks[1]
    assert isinstance(t, Table)
    assert [r.texts for r in t.rows] == [["一级指标", "二级指标"], ["产出指标", "数量指标"], ["", "质量指标"]]
    assert t.rows[2].cells[0].where == "8"


def test_goal_text_continues_on_untabbed_lines():
    # 001 lines 2169-2177: '\t1.1、' then the sentence on an untabbed line
    doc, _, _ = parsed("001")
    cells = [c for b in doc.blocks if isinstance(b, Table) for r in b.rows for c in r.cells if c.where == "2170"]
    assert cells and "合理有效使用资金" in cells[0].text


def test_word_residue_stripped():
    # 004 line 854 '\t[bookmark: _GoBack]≥98%'; 001 line 320 ' TC 1、… \\f C \\l 1 '
    doc, _, _ = parsed("004")
    texts = [c.text for b in doc.blocks if isinstance(b, Table) for r in b.rows for c in r.cells if c.where == "854"]
    assert texts == ["≥98%"]
    doc1, secs1, _ = parsed("001")
    assert any(s.title == "1.服务器、总控室的设备维修费以及短息服务费绩效目标表" for s in secs1)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_encodings_decode_to_the_same_text(encoding):
    text = "部门预算收入1082.49万元，其中：财政拨款收入1082.49万元。\n\t项目编码\n"
    decoded, _, notes = decode(text.encode(encoding))
    assert decoded.lstrip("\ufeff") == text
    assert not notes


def test_repeated_page_headers_dropped():
    # 002: '436 青龙满族自治县行政审批局' and '预算年度: 2023' on every table page
    _, secs, _ = parsed("002")
    paras = [b.text for s in secs for b in s.blocks if isinstance(b, Para)]
    assert not any(p.startswith("436 青龙") or p.startswith("预算年度") for p in paras)


def test_table_continued_across_pages_is_one_grid():
    # 002 收入总表: rows 92-103, page break (105-111 repeat header), rows 112-116
    _, _, grids = parsed("002")
    income = [g for g in grids if g.kind == "income_table" and g.header]
    assert len(income) == 1
    wheres = [r.where for r in income[0].rows]
    assert "103" in wheres and "116" in wheres


def test_word_row_broken_by_blank_lines_reassembled():
    # 003 lines 193-206: one 时效指标 row printed as 3+1+2 cells split by blank lines
    _, _, grids = parsed("003")
    g = next(g for g in grids if g.kind == "project_table" and "一级指标" in g.header)
    row = next(r for r in g.rows if r.cells[1].text == "时效指标")
    assert row.texts == ["", "时效指标", "工作完成的时效", "工作完成的时效", "≥95%", "按时发放"]


def test_flattened_indicator_table_rebuilt():
    # 002 line 587: a whole indicator table printed as one line
    line = (RAW / seed("002").name).read_text(encoding="utf-8").splitlines()[586]
    body = line.split("指标值确定依据", 1)[1]
    rows = assemble_rows(_tokens(body))
    by_l3 = {r[2]: r for r in rows}
    assert by_l3["办件量"][1] == "数量指标" and by_l3["办件量"][4] == "≥15000 件"
    assert by_l3["行政审批支出"][1] == "成本指标" and by_l3["行政审批支出"][4] == "≤4万元"
    assert by_l3["行政审批支出"][5] == "2023 年预算批复"
    assert len(rows) == 8


def test_unit_code_is_the_department_prefix():
    # 001: 442 (line 80) beside its units 442001/442003/442004
    doc, _, _ = parsed("001")
    assert identity.unit_identity(doc) == ("442", "秦皇岛经济技术开发区行政审批局")


def test_year_from_project_codes_when_text_prints_none():
    # 004 prints no year; codes '13022524P…' carry it in digits 7-8
    doc, secs, grids = parsed("004")
    assert identity.document_year(doc) == 2024


def test_sniff_counts_cell_lines():
    assert sniff_shape(["\ta", "\tb", "x\ty\tz"]) == "word_text"
    assert sniff_shape(["a\tb\tc", "d\te\tf", "\tg"]) == "pdf_text"


def test_binary_garbage_is_an_issue_not_a_crash(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes(bytes(range(256)) * 20)
    doc, issues = read_text(p, p.read_bytes(), "x", "0")
    bad = [i for i in issues if i.code == "unknown-format"]
    assert doc is None and bad and "x.txt" in bad[0].message


LAYERS = ["model", "values", "contract", "readers", "sections", "tables", "prose", "records_finance",
          "records_projects", "records", "checks", "store", "build", "pages", "render", "site", "cli"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level >= 1:
            mod = (node.module or "").split(".")[0]
            if mod:
                out.add(mod)
            else:
                out.update(a.name.split(".")[0] for a in node.names)
    return out


def test_data_flows_one_way():
    """Readers know nothing about budgets; records know nothing about files or DuckDB;
    rendering knows nothing about DuckDB (design.md)."""
    forbidden = {
        "readers": {"sections", "tables", "records", "checks", "store", "pages", "render", "site", "build"},
        "sections": {"records", "checks", "store", "pages", "render", "site", "build"},
        "tables": {"records", "checks", "store", "pages", "render", "site", "build"},
        "records": {"store", "pages", "render", "site", "build", "readers"},
        "records_finance": {"store", "pages", "render", "site", "build", "readers"},
        "records_projects": {"store", "pages", "render", "site", "build", "readers"},
        "values": {"readers", "sections", "tables", "records", "store", "pages", "render", "site", "build"},
    }
    pkg = ROOT / "generator"
    for name, bad in forbidden.items():
        paths = [pkg / f"{name}.py"] if (pkg / f"{name}.py").exists() else list((pkg / name).glob("*.py"))
        for p in paths:
            assert not (_imports(p) & bad), f"{p.name} imports {_imports(p) & bad}"


# ---- property tests: a table written in either text shape reads back cell for cell

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from generator.parse.readers.text import pdf_lines_to_blocks  # noqa: E402

cell_text = st.text(alphabet=st.sampled_from(list("预算项目经费指标合计一二三四五ABC0123456789.%≥≤ ")), min_size=1, max_size=12).map(
    str.strip).filter(bool)
grid = st.integers(1, 6).flatmap(lambda w: st.lists(st.lists(cell_text, min_size=w, max_size=w), min_size=1, max_size=6))


@settings(max_examples=60, deadline=None)
@given(grid)
def test_word_shape_round_trip(rows):
    lines = ["标题"]
    for r in rows:
        lines += ["\t" + c for c in r] + [""]
    blocks = word_lines_to_blocks(lines)
    tables = [b for b in blocks if isinstance(b, Table)]
    assert len(tables) == 1
    assert [r.texts for r in tables[0].rows] == rows


@settings(max_examples=60, deadline=None)
@given(grid)
def test_pdf_shape_round_trip(rows):
    rows = [r + ["x"] if len(r) == 1 else r for r in rows]  # a PDF row has at least one tab
    lines = ["标题"] + ["\t".join(r) for r in rows]
    tables = [b for b in pdf_lines_to_blocks(lines) if isinstance(b, Table)]
    assert [r.texts for r in tables[0].rows] == rows
    assert [r.where for r in tables[0].rows] == [str(i) for i in range(2, len(rows) + 2)]


def test_text_that_is_no_budget_is_reported(tmp_path):
    p = tmp_path / "novel.txt"
    p.write_text("第一章\n春天来了，花开了。\n他走在路上，想着明天的事情。\n", encoding="utf-8")
    doc, _ = readers.read(p)
    from generator import build

    out, issues = build.parse_document(doc)
    assert [i.code for i in issues if i.code == "no-budget-content"]
    assert "novel.txt" in next(i.message for i in issues if i.code == "no-budget-content")


@given(st.text(alphabet=st.sampled_from(list(" \t\n\r\f\v\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028\u3000\u200b\ufeff预算a1")),
               max_size=40))
def test_compact_removes_exactly_the_regex_whitespace(text):
    """sections.compact and checks' compact drop what `\\s` matches, no more, no less."""
    import re

    from generator.checks.common import compact as check_compact
    from generator.parse.sections import compact

    assert compact(text) == re.sub(r"\s+", "", text)
    assert check_compact(text) == re.sub(r"\s+", "", text)
