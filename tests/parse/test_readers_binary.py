"""Readers for original PDF and Word (.docx) disclosures (issue 5).

The DOCX fixtures are built here with python-docx; the PDF facts come from the two
Shanghai Putuo 2025 disclosures in ../shared/pdf-samples (skipped when absent; never
copied into the repo). Every bad input goes through the dispatcher
``generator.readers.read`` and must come back as issues, never as an exception.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from conftest import SHARED  # noqa: E402

from generator.model import Document, Para, Table
from generator.parse import readers
from generator.parse.readers import docx as docx_reader
from generator.parse.readers import pdf as pdf_reader

SAMPLES = SHARED / "pdf-samples"
DEPT_PDF = SAMPLES / "上海市普陀区人民政府办公室25年预算.pdf"  # 部门预算, 22 pages
UNIT_PDF = SAMPLES / "上海市普陀区人民政府办公室单位25年预算.pdf"  # 单位预算, 21 pages

needs_samples = pytest.mark.skipif(not DEPT_PDF.is_file() or not UNIT_PDF.is_file(), reason=f"{SAMPLES} is absent")


# --------------------------------------------------------------------------- DOCX fixture

V = object()  # a vertically merged continuation (w:vMerge without "restart")


def span(text: str, n: int) -> tuple[str, int]:
    """A cell spanning n grid columns (w:gridSpan)."""
    return (text, n)


# A 绩效目标表 like seed 000's (保定白沟新城行政审批局 2022): paragraphs, a project table
# with horizontal and vertical merges, and the indicator table whose 一级指标 column is
# vertically merged. Rows list grid cells; a span(...) cell covers the next n-1 columns.
PERF_SPEC: list[tuple[str, object]] = [
    ("para", "保定白沟新城行政审批局"),
    ("para", "2022年单位预算信息公开"),
    ("para", "1、人员经费项目绩效目标"),
    (
        "table",
        [
            ["项目编码", span("13060522Z4VL8Y4T4XYQA", 2), "项目名称", span("人员经费", 2)],
            ["预算规模及资金用途", "预算数", "10.40", "其中：财政资金", "10.40", "其他资金"],
            [V, span("主要用于人员工资福利等支出，保障办公正常运转", 5)],
            ["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底", ""],
            [V, "25.00", "50.00", "75.00", "100.00", ""],
            ["绩效目标", span("1、主要用于人员工资福利等支出\n2、保障单位正常运转", 5)],
        ],
    ),
    ("para", "（二）绩效指标"),
    (
        "table",
        [
            ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"],
            ["产出指标", "数量指标", "保障人数", "保障人数", "≤1人", ""],
            [
                V,
                "质量指标",
                "工资(福利)等发放精准性",
                "工资福利等发放人员范围的精准性和发放数额的准确性",
                "=100%",
                "无",
            ],
            [V, "时效指标", "工资(福利)发放及时性", "工资福利等发放的时效情况", "按规定时间发放", "无"],
            [
                "效益指标",
                "社会效益指标",
                "加强工作人员归属感",
                "通过按时按标准发放工资福利等，进一步增强归属感",
                "保持干部队伍相对稳定",
                "无",
            ],
            [
                "满意度指标",
                "服务对象满意度指标",
                "单位人员满意度",
                "单位人员对工资福利等发放工作的满意程度",
                "≥95%",
                "无",
            ],
        ],
    ),
    ("para", "注：指标值确定依据为《预算法》。"),
]


def _grid_width(rows: list[list[object]]) -> int:
    return max(sum(c[1] if isinstance(c, tuple) else 1 for c in r) for r in rows)


def _expand(rows: list[list[object]]) -> list[list[object]]:
    """Spec rows -> one entry per grid column: text, V, or None (spanned column)."""
    out = []
    for r in rows:
        g: list[object] = []
        for c in r:
            if isinstance(c, tuple):
                g.append(c[0])
                g.extend([None] * (c[1] - 1))
            else:
                g.append(c)
        out.append(g)
    return out


def build_docx(spec: list[tuple[str, object]], path: Path) -> Path:
    import docx

    d = docx.Document()
    for kind, content in spec:
        if kind == "para":
            d.add_paragraph(str(content))
            continue
        rows = content  # type: ignore[assignment]
        grid = _expand(rows)  # type: ignore[arg-type]
        width = _grid_width(rows)  # type: ignore[arg-type]
        t = d.add_table(rows=len(grid), cols=width)
        # merge first (python-docx concatenates the merged cells' text), write after
        for ri in range(len(grid)):
            ci = 0
            for c in rows[ri]:  # type: ignore[index]
                n = c[1] if isinstance(c, tuple) else 1
                if n > 1:
                    t.cell(ri, ci).merge(t.cell(ri, ci + n - 1))
                ci += n
        for ci in range(width):
            ri = 0
            while ri < len(grid):
                end = ri
                while end + 1 < len(grid) and grid[end + 1][ci] is V:
                    end += 1
                if end > ri:
                    t.cell(ri, ci).merge(t.cell(end, ci))
                ri = end + 1
        for ri, gr in enumerate(grid):
            for ci, c in enumerate(gr):
                if isinstance(c, str) and c:
                    lines = c.split("\n")
                    cell = t.cell(ri, ci)
                    cell.text = lines[0]
                    for more in lines[1:]:
                        cell.add_paragraph(more)
    d.save(str(path))
    return path


def build_text_twin(spec: list[tuple[str, object]], path: Path) -> Path:
    """The same content in the Word text-extraction shape (readers/text.py word_text):
    one tab-prefixed line per cell, further cell paragraphs on untabbed lines, a blank
    line between rows, merged cells as a lone tab, blank lines around tables."""
    out: list[str] = []
    for kind, content in spec:
        if kind == "para":
            out.append(str(content))
            continue
        out.append("")
        for gr in _expand(content):  # type: ignore[arg-type]
            for c in gr:
                text = c if isinstance(c, str) else ""
                first, *more = text.split("\n")
                out.append("\t" + first)
                out.extend(more)
            out.append("")
        out.extend(["", ""])
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def perf_docx(tmp_path_factory) -> Document:
    path = build_docx(PERF_SPEC, tmp_path_factory.mktemp("docx") / "perf_2022.docx")
    doc, issues = readers.read(path)
    assert doc is not None, issues
    assert issues == []
    return doc


def _tables(doc: Document) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def test_docx_blocks_in_body_order(perf_docx: Document) -> None:
    kinds = [b.kind for b in perf_docx.blocks]
    assert kinds == ["para", "para", "para", "table", "para", "table", "para"]
    assert perf_docx.source_format == "docx"
    paras = [b for b in perf_docx.blocks if isinstance(b, Para)]
    assert paras[0].text == "保定白沟新城行政审批局"
    assert [p.where for p in paras] == ["para1", "para2", "para3", "para4", "para5"]


def test_docx_cells_one_per_grid_column_with_provenance(perf_docx: Document) -> None:
    project, indicators = _tables(perf_docx)
    assert project.where == "t1" and indicators.where == "t2"
    assert {r.width for r in project.rows} == {6}
    assert {r.width for r in indicators.rows} == {6}
    assert project.rows[0].where == "t1r1"
    assert [c.where for c in project.rows[0].cells] == [f"t1r1c{i}" for i in range(1, 7)]
    assert indicators.rows[5].cells[4].where == "t2r6c5"


def test_docx_horizontal_merge_leaves_empty_columns(perf_docx: Document) -> None:
    project = _tables(perf_docx)[0]
    assert project.rows[0].texts == ["项目编码", "13060522Z4VL8Y4T4XYQA", "", "项目名称", "人员经费", ""]


def test_docx_vertical_merge_continuations_are_empty(perf_docx: Document) -> None:
    project, indicators = _tables(perf_docx)
    assert project.rows[2].texts == ["", "主要用于人员工资福利等支出，保障办公正常运转", "", "", "", ""]
    assert project.rows[4].texts == ["", "25.00", "50.00", "75.00", "100.00", ""]
    assert [r.texts[0] for r in indicators.rows] == ["一级指标", "产出指标", "", "", "效益指标", "满意度指标"]


def test_docx_cell_paragraphs_joined_with_newline(perf_docx: Document) -> None:
    project = _tables(perf_docx)[0]
    assert project.rows[5].texts[1] == "1、主要用于人员工资福利等支出\n2、保障单位正常运转"


def test_docx_indicator_table_chinese_and_comparators_intact(perf_docx: Document) -> None:
    indicators = _tables(perf_docx)[1]
    assert indicators.rows[0].texts == ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
    assert indicators.rows[1].texts[4] == "≤1人"
    assert indicators.rows[5].texts[4] == "≥95%"
    assert indicators.rows[2].texts[3] == "工资福利等发放人员范围的精准性和发放数额的准确性"


def test_docx_and_its_text_twin_carry_the_same_tables(perf_docx: Document, tmp_path: Path) -> None:
    twin, issues = readers.read(build_text_twin(PERF_SPEC, tmp_path / "perf_2022_twin.txt"))
    assert twin is not None, issues
    assert twin.source_format == "word_text"
    got = [[r.texts for r in t.rows] for t in _tables(perf_docx)]
    want = [[r.texts for r in t.rows] for t in _tables(twin)]
    assert len(got) == 2 and [len(t) for t in got] == [6, 6]
    assert got == want
    assert [b.text for b in perf_docx.blocks if isinstance(b, Para)] == [
        b.text for b in twin.blocks if isinstance(b, Para)
    ]


def _docx_with_body(tmp_path: Path, body_xml: str, name: str = "raw.docx") -> Path:
    """A python-docx document whose body is replaced by hand-written WordprocessingML."""
    import docx
    from lxml import etree

    d = docx.Document()
    body = d.element.body
    sect = body[-1]
    for ch in list(body)[:-1]:
        body.remove(ch)
    frag = etree.fromstring(f'<w:body xmlns:w="{docx_reader.W}" xmlns:mc="{docx_reader.MC}">{body_xml}</w:body>')
    for ch in frag:
        sect.addprevious(ch)
    path = tmp_path / name
    d.save(str(path))
    return path


def test_docx_grid_before_sdt_and_tracked_deletions(tmp_path: Path) -> None:
    # gridBefore pads the row's first grid columns; a content control (w:sdt) is
    # looked through; deleted revisions and field instructions are not text.
    body = """
    <w:sdt><w:sdtContent><w:p><w:r><w:t>第一部分 单位概况</w:t></w:r></w:p></w:sdtContent></w:sdt>
    <w:p><w:r><w:t>预算</w:t></w:r><w:del><w:r><w:delText>草稿</w:delText></w:r></w:del>
      <w:r><w:instrText> TOC \\o </w:instrText></w:r><w:ins><w:r><w:t>公开</w:t></w:r></w:ins></w:p>
    <w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>
      <w:tr><w:tc><w:p><w:r><w:t>科目</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>金额</w:t></w:r></w:p></w:tc>
        <w:tc><w:p/></w:tc></w:tr>
      <w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>
        <w:tc><w:p><w:r><w:t>1,234.56</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>万</w:t><w:tab/><w:t>元</w:t></w:r></w:p></w:tc></w:tr>
    </w:tbl>
    """
    doc, issues = readers.read(_docx_with_body(tmp_path, body))
    assert doc is not None and issues == []
    assert [b.text for b in doc.blocks if isinstance(b, Para)] == ["第一部分 单位概况", "预算公开"]
    (table,) = _tables(doc)
    assert [r.texts for r in table.rows] == [["科目", "金额", ""], ["", "1,234.56", "万 元"]]


# --------------------------------------------------------------------------- PDF samples


@pytest.fixture(scope="module")
def dept_pdf() -> Document:
    if not DEPT_PDF.is_file():
        pytest.skip(f"{DEPT_PDF} is absent")
    doc, issues = readers.read(DEPT_PDF)
    assert doc is not None, issues
    assert issues == []
    return doc


@pytest.fixture(scope="module")
def unit_pdf() -> Document:
    if not UNIT_PDF.is_file():
        pytest.skip(f"{UNIT_PDF} is absent")
    doc, issues = readers.read(UNIT_PDF)
    assert doc is not None, issues
    assert issues == []
    return doc


def _page(doc: Document, n: int) -> list[Para | Table]:
    return [b for b in doc.blocks if b.where == f"p{n}"]


def _row(table: Table, first: str, second: str = "") -> list[str]:
    for r in table.rows:
        if r.texts[0] == first and (not second or r.texts[1] == second):
            return r.texts
    raise AssertionError(f"no row {first} {second} in {table.where}")


@needs_samples
@pytest.mark.parametrize("which, pages", [("dept", 22), ("unit", 21)])
def test_pdf_page_count_and_provenance(which: str, pages: int, dept_pdf: Document, unit_pdf: Document) -> None:
    doc = dept_pdf if which == "dept" else unit_pdf
    assert doc.source_format == "pdf"
    assert doc.line_count == pages  # pages, for a PDF
    wheres = {b.where for b in doc.blocks}
    assert all(re.fullmatch(r"p\d+", w) for w in wheres)
    assert max(int(w[1:]) for w in wheres) == pages
    for t in (b for b in doc.blocks if isinstance(b, Table)):
        assert all(r.where == t.where and all(c.where == t.where for c in r.cells) for r in t.rows)


@needs_samples
def test_pdf_caption_lines_come_before_their_table(dept_pdf: Document) -> None:
    # NOTE: Shanghai 部门预算 p8: title and 编制部门/单位 line sit above the ruled table.
    p8 = _page(dept_pdf, 8)
    assert [b.kind for b in p8] == ["para", "para", "table"]
    assert p8[0].text == "2025年部门财务收支预算总表"  # type: ignore[union-attr]
    assert p8[1].text == "编制部门：上海市普陀区人民政府办公室 单位：元"  # type: ignore[union-attr]
    table = p8[2]
    assert isinstance(table, Table)
    assert table.rows[0].texts == ["本年收入", "", "本年支出", ""]
    assert _row(table, "收入总计") == ["收入总计", "91,016,775.35", "支出总计", "91,016,775.35"]
    assert _row(table, "2. 政府性基金")[1] == ""  # empty cell stays empty (NULL later), not 0


@needs_samples
def test_pdf_function_table_lei_kuan_xiang_columns_and_amounts(dept_pdf: Document) -> None:
    # NOTE: Shanghai 部门预算 p11 支出预算总表: 3 header rows (项目/支出预算; 功能分类科目编码 …;
    # 类 款 项), codes split over three columns, amounts with thousands separators.
    (table,) = [b for b in _page(dept_pdf, 11) if isinstance(b, Table)]
    assert table.rows[1].texts == ["功能分类科目编码", "", "", "功能分类科目名称", "合计", "基本支出", "项目支出"]
    assert table.rows[2].texts[:3] == ["类", "款", "项"]
    assert _row(table, "201", "03")[:3] == ["201", "03", ""]
    assert ["201", "03", "01", "行政运行", "12,029,501.84", "11,919,501.84", "110,000.00"] in [
        r.texts for r in table.rows
    ]
    assert ["201", "03", "02", "一般行政管理事务", "46,140,000.00", "", "46,140,000.00"] in [
        r.texts for r in table.rows
    ]


@needs_samples
def test_pdf_table_continued_on_next_page_is_a_separate_block(dept_pdf: Document) -> None:
    # NOTE: Shanghai 部门预算 p12 and p19: continuation pages have no title and no header;
    # the 合计 row closes the continued table.
    p12 = _page(dept_pdf, 12)
    assert [b.kind for b in p12] == ["table"]
    table = p12[0]
    assert isinstance(table, Table)
    assert table.rows[0].texts[:4] == ["210", "", "", "卫生健康支出"]
    assert table.rows[-1].texts == ["合计", "", "", "", "91,016,775.35", "24,606,775.35", "66,410,000.00"]
    (p19,) = _page(dept_pdf, 19)
    assert isinstance(p19, Table)
    assert p19.rows[-1].texts == ["合计", "", "", "24,606,775.35", "22,473,997.81", "2,132,777.54"]


@needs_samples
def test_pdf_wrapped_cell_text_joined_without_spaces(dept_pdf: Document, unit_pdf: Document) -> None:
    # NOTE: p9 header "事业单位\n经营收入" (both samples); 单位预算 p9 wraps the long name
    # "其他政府办公厅（室）及相关机构事\n务支出" inside its cell.
    (t,) = [b for b in _page(dept_pdf, 9) if isinstance(b, Table)]
    assert "事业单位经营收入" in t.rows[1].texts
    (u,) = [b for b in _page(unit_pdf, 9) if isinstance(b, Table)]
    assert _row(u, "201", "03") and ["201", "03", "99", "其他政府办公厅（室）及相关机构事务支出"] in [
        r.texts[:4] for r in u.rows
    ]


@needs_samples
def test_pdf_empty_table_note_follows_the_table(dept_pdf: Document) -> None:
    # NOTE: Shanghai 部门预算 p16: an empty 政府性基金 table (header rows and a bare 合计)
    # followed by "本表为空表" below the ruled area; blank filler rows are dropped.
    p16 = _page(dept_pdf, 16)
    assert [b.kind for b in p16] == ["para", "para", "table", "para"]
    table = p16[2]
    assert isinstance(table, Table)
    assert [r.texts[0] for r in table.rows] == ["项目", "功能分类科目编码", "类", "合计"]
    assert table.rows[-1].texts[4:] == ["", "", ""]
    assert "本表为空表" in p16[3].text  # type: ignore[union-attr]


@needs_samples
def test_pdf_three_public_table_in_wan(unit_pdf: Document) -> None:
    p20 = _page(unit_pdf, 20)
    assert p20[1].text.endswith("单位:万元")  # type: ignore[union-attr]
    table = p20[2]
    assert isinstance(table, Table)
    assert table.rows[0].texts[-1] == "机关运行经费预算数"
    assert table.rows[-1].texts == ["867.50", "839.00", "28.50", "", "", "", "213.28"]


@needs_samples
def test_pdf_wrapped_prose_lines_form_one_paragraph(dept_pdf: Document, unit_pdf: Document) -> None:
    # NOTE: 部门预算 p6 wraps "减少2,389.52万" / "元；" across lines; 单位预算 p21 has two
    # indented paragraphs where the first runs to the margin: they must stay apart.
    p6 = [b.text for b in _page(dept_pdf, 6) if isinstance(b, Para)]
    assert any("财政拨款收入9,101.68万元，比2024年预算减少2,389.52万元；事业收入0万元" in t for t in p6)
    p21 = [b.text for b in _page(unit_pdf, 21) if isinstance(b, Para)]
    assert any(t.startswith("2025年度本单位政府采购预算34万元") and t.endswith("服务预算34万元。") for t in p21)
    assert any(t.startswith("2025年本单位面向中小企业预留") for t in p21)


@needs_samples
def test_pdf_one_column_box_reads_as_paragraphs(dept_pdf: Document) -> None:
    # NOTE: 部门预算 p2: the 目录 is framed by a one-column ruled box.
    p2 = _page(dept_pdf, 2)
    assert all(isinstance(b, Para) for b in p2)
    assert p2[0].text == "目 录"  # type: ignore[union-attr]


# --------------------------------------------------------------------------- helpers


def test_join_wrapped_invents_no_spaces() -> None:
    assert pdf_reader.join_wrapped(["事业单位", "经营收入"]) == "事业单位经营收入"
    assert pdf_reader.join_wrapped(["91,016,", "775.35"]) == "91,016,775.35"
    assert pdf_reader.join_wrapped(["Budget", "total"]) == "Budget total"
    assert pdf_reader.clean_cell(None) == ""
    assert pdf_reader.clean_cell("机关运行经费预算\n数") == "机关运行经费预算数"


# --------------------------------------------------------------------------- bad files


def _read(path: Path) -> tuple[Document | None, list[str]]:
    doc, issues = readers.read(path)  # must never raise
    for i in issues:
        assert path.name in i.message, i
    return doc, [i.code for i in issues]


def _minimal_pdf(extra_trailer: bytes = b"", extra_objects: list[bytes] | None = None, content: bytes = b"") -> bytes:
    """A one-page PDF with correct xref offsets; objects appended after the page."""
    content = content or b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        *(extra_objects or []),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objs) + 1) + extra_trailer + b">>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def test_minimal_pdf_reads(tmp_path: Path) -> None:
    path = tmp_path / "hello.pdf"
    path.write_bytes(_minimal_pdf())
    doc, codes = _read(path)
    assert codes == [] and doc is not None
    assert [(b.text, b.where) for b in doc.blocks] == [("Hello", "p1")]  # type: ignore[union-attr]


def test_pure_page_number_lines_dropped(tmp_path: Path) -> None:
    # "- 3 -" in the footer band goes; a number inside the body stays.
    content = (
        b"BT /F1 12 Tf 72 720 Td (Budget 2025) Tj ET "
        b"BT /F1 12 Tf 72 400 Td (42) Tj ET "
        b"BT /F1 10 Tf 290 30 Td (- 3 -) Tj ET"
    )
    path = tmp_path / "numbered.pdf"
    path.write_bytes(_minimal_pdf(content=content))
    doc, codes = _read(path)
    assert codes == [] and doc is not None
    assert [b.text for b in doc.blocks] == ["Budget 2025", "42"]  # type: ignore[union-attr]


def test_encrypted_pdf(tmp_path: Path) -> None:
    # Standard security handler (RC4, R2) whose user password is not empty: the
    # empty-password attempt fails, as for any password-protected disclosure.
    enc = b"<< /Filter /Standard /V 1 /R 2 /O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32 + b"> /P -44 >>"
    data = _minimal_pdf(
        b"/Encrypt 5 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] ", [enc]
    )
    path = tmp_path / "locked.pdf"
    path.write_bytes(data)
    doc, codes = _read(path)
    assert doc is None and codes == ["encrypted-pdf"]


@needs_samples
def test_truncated_pdf(tmp_path: Path) -> None:
    path = tmp_path / "truncated.pdf"
    path.write_bytes(DEPT_PDF.read_bytes()[:2048])
    doc, codes = _read(path)
    assert doc is None and codes == ["unreadable-file"]


@pytest.mark.parametrize(
    "data", [b"%PDF-1.7\n%garbage, no objects at all\n", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R"]
)
def test_broken_pdf_header_only(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(data)
    doc, codes = _read(path)
    assert doc is None and codes == ["unreadable-file"]


def test_image_only_pdf_needs_ocr(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "scan.pdf"
    Image.new("RGB", (300, 400), "white").save(path)
    doc, codes = _read(path)
    assert doc is None and codes == ["needs-ocr"]


def test_pdf_over_the_page_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 2)
    path = tmp_path / "long.pdf"
    pages = [Image.new("RGB", (50, 50), "white") for _ in range(3)]
    pages[0].save(path, save_all=True, append_images=pages[1:])
    doc, codes = _read(path)
    assert doc is None and codes == ["file-too-large"]


def test_pdf_over_the_byte_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_BYTES", 100)
    path = tmp_path / "big.pdf"
    path.write_bytes(_minimal_pdf())
    doc, codes = _read(path)
    assert doc is None and codes == ["file-too-large"]


def test_docx_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_bytes("这不是Word文件".encode())
    doc, codes = _read(path)
    assert doc is None and codes == ["unreadable-file"]
    _, issues = readers.read(path)
    assert "not a .docx (not a zip archive)" in issues[0].message


def test_docx_zip_without_document_part(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    path = tmp_path / "nodoc.docx"
    path.write_bytes(buf.getvalue())
    doc, codes = _read(path)
    assert doc is None and codes == ["unreadable-file"]


def test_docx_broken_xml(tmp_path: Path) -> None:
    src = build_docx(PERF_SPEC[:1], tmp_path / "ok.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, data[: len(data) // 2] if info.filename == "word/document.xml" else data)
    path = tmp_path / "broken.docx"
    path.write_bytes(buf.getvalue())
    doc, codes = _read(path)
    assert doc is None and codes == ["unreadable-file"]


def test_docx_truncated_zip(tmp_path: Path) -> None:
    src = build_docx(PERF_SPEC, tmp_path / "ok.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(src[: len(src) // 2])
    doc, codes = _read(path)
    assert doc is None and codes == ["unreadable-file"]


def test_docx_zip_bomb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_reader, "MAX_UNPACKED_BYTES", 1024 * 1024)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<" + b" " * (2 * 1024 * 1024) + b">")
    path = tmp_path / "bomb.docx"
    path.write_bytes(buf.getvalue())
    assert path.stat().st_size < 20 * 1024
    doc, codes = _read(path)
    assert doc is None and codes == ["file-too-large"]


def test_docx_without_text(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))
    doc, codes = _read(path)
    assert doc is None and codes == ["empty-file"]


@pytest.mark.parametrize("name", ["empty.pdf", "empty.docx"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    doc, codes = _read(path)
    assert doc is None and codes == ["empty-file"]


def test_readers_never_raise_on_garbage(tmp_path: Path) -> None:
    # Direct calls with nonsense bytes: issues, not exceptions.
    for data in (b"%PDF", b"%PDF-1.4\n" + bytes(range(256)) * 8, b"PK\x03\x04" + b"\x00" * 64):
        doc, issues = pdf_reader.read_pdf(tmp_path / "x.pdf", data, "x", "0")
        assert doc is None and issues and issues[0].severity == "error"
        doc, issues = docx_reader.read_docx(tmp_path / "x.docx", data, "x", "0")
        assert doc is None and issues and issues[0].severity == "error"
