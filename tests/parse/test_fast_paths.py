"""The parse stage's fast paths equal the plain code they replace (hypothesis).

Remembered helpers (bounded lru_cache) must return what the function they wrap returns; rewritten loops
(the text reader, cheap row-level tests before per-cell scans) must give what the straightforward
version gave. Each ``_slow_*`` below is the code as it was before it was made fast."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import values
from generator.checks import common
from generator.checks import indicators as check_indicators
from generator.model import Cell, Document, Para, Row, Table, block_texts
from generator.parse import records, sections, tables, twins
from generator.parse.readers import text as text_reader
from generator.parse.records import identity, projects, three_public

QUICK = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters the fast paths test for, whitespace of every kind, digits (full-width too) and signs.
ALPHABET = (" \t\u3000\u00a0\u2028\u000b\n" "0123456789０１２.,，-%％:：()（）*<>≥≤" "xX…"
            "项目编码名称预算数底标绩效目指年度元表单位部门栏次合计小计支出一二三月财政资金其他用途满意成本产出数量质量时效社会经济效益")
TEXT = st.text(alphabet=ALPHABET, max_size=24)
WORDS = st.sampled_from(["项目编码", "项目名称", "预算数", "年度资金总额", "财政资金", "其他资金", "资金用途", "3月底",
                         "6月底", "9月底", "12月底", "绩效目标", "年度目标", "当年绩效目标", "1", "12", "100%", "≥95%",
                         "XX", "产出指标", "数量指标", "效益指标", "社会效益指标", "满意度指标", "及时性", "经济效益提升",
                         "栏次", "**", "合计", "科目编码", "单位：万元", "预算年度：2026", ""])
CELL_TEXT = st.one_of(TEXT, WORDS, st.builds(lambda a, b: a + b, WORDS, TEXT))


@QUICK
@given(st.text(max_size=60))
def test_remembered_compacts_equal_the_plain_ones(s):
    assert sections.compact(s) == sections.compact_text(s) == re.sub(r"\s", "", s)
    assert common.compact(s) == common.compact_text(s)


@QUICK
@given(st.one_of(CELL_TEXT, st.from_regex(r"[（(]?[-+]?\d{1,20}(\.\d{0,14})?[)）]?(%|万元|元)?", fullmatch=True)))
def test_remembered_value_parsers_equal_the_plain_ones(s):
    assert values.try_amount(s) == values.try_amount.__wrapped__(s)
    assert values.try_percent(s) == values.try_percent.__wrapped__(s)
    assert values.parse_target(s) == values.parse_target.__wrapped__(s)
    assert values.parse_code(s) == values.parse_code.__wrapped__(s)
    assert three_public.three_public_category(s) == three_public.three_public_category.__wrapped__(s)


# ---------------------------------------------------------------- the text reader

def _slow_sniff_shape(lines):
    tabbed = [ln for ln in lines if "\t" in ln]
    single = sum(1 for ln in tabbed if ln.startswith("\t") and ln.count("\t") == 1)
    multi = sum(1 for ln in tabbed if ln.rstrip("\t ").count("\t") >= 2)
    return "word_text" if single > multi else "pdf_text"


def _slow_word_lines_to_blocks(lines):
    blocks = []
    rows = []
    row = []
    blank_run = 0
    last_cell = None

    def end_row():
        nonlocal row
        if row:
            rows.append(row)
            row = []

    def end_table():
        nonlocal rows, last_cell
        end_row()
        if rows:
            trs = tuple([Row(tuple([Cell(t.strip(), w) for t, w in r]), r[0][1]) for r in rows])
            blocks.append(Table(trs, trs[0].where))
        rows = []
        last_cell = None

    for n, line in enumerate(text_reader.clean_lines(lines), 1):
        if line.startswith("\t"):
            if blank_run and row:
                end_row()
            cell = [line[1:].replace("\t", " ").strip(), str(n)]
            row.append(cell)
            last_cell = cell
            blank_run = 0
        elif not line.strip():
            blank_run += 1
            if row:
                end_row()
        else:
            text = line.strip()
            continuing = (last_cell is not None and blank_run <= 1 and not text_reader._HEADING.match(text)
                          and (last_cell[0] or blank_run == 0))
            if continuing and last_cell is not None:
                last_cell[0] = f"{last_cell[0]}\n{text}" if last_cell[0] else text
            else:
                end_table()
                blocks.append(Para(text, str(n)))
            blank_run = 0
    end_table()
    return blocks


def _slow_pdf_lines_to_blocks(lines):
    blocks = []
    rows = []

    def end_table():
        nonlocal rows
        if rows:
            blocks.append(Table(tuple(rows), rows[0].where))
        rows = []

    for n, line in enumerate(text_reader.clean_lines(lines), 1):
        if "\t" in line.rstrip() and line.strip():
            cells = line.rstrip("\n").split("\t")
            cells = [text_reader._HTML_TAG.sub("", c).strip() for c in cells] if "<" in line else [c.strip() for c in cells]
            while len(cells) > 1 and not cells[-1]:
                cells.pop()
            rows.append(Row(tuple(Cell(c, str(n)) for c in cells), str(n)))
        elif line.strip():
            end_table()
            text = text_reader._clean_pdf_para(line)
            if text:
                blocks.append(Para(text, str(n)))
    end_table()
    return blocks


LINE = st.one_of(
    st.text(alphabet="\t 一、表情况绩效目标1.<u>", max_size=12),
    st.builds(lambda t: "\t" + t, TEXT),
    st.sampled_from(["", " ", "\t", "\t\t", "一、收支总表", "（二）项目绩效目标表", "1 支出说明", "\tx\ty", "a\t\tb\t "]),
    TEXT,
)
LINES = st.lists(LINE, max_size=40)


@QUICK
@given(LINES)
def test_text_reader_equals_the_plain_loops(lines):
    assert text_reader.sniff_shape(lines) == _slow_sniff_shape(lines)
    assert text_reader.word_lines_to_blocks(lines) == _slow_word_lines_to_blocks(lines)
    assert text_reader.pdf_lines_to_blocks(lines) == _slow_pdf_lines_to_blocks(lines)


# ---------------------------------------------------------------- blocks, rows and cells

ROW = st.builds(lambda texts, n: Row(tuple(Cell(t, f"{n}") for t in texts), f"{n}"),
                st.lists(CELL_TEXT, min_size=1, max_size=6), st.integers(1, 999))
ROWS = st.lists(ROW, max_size=8)
BLOCK = st.one_of(st.builds(lambda t, n: Para(t, str(n)), CELL_TEXT, st.integers(1, 999)),
                  st.builds(lambda rows: Table(tuple(rows), rows[0].where), st.lists(ROW, min_size=1, max_size=5)))
BLOCKS = st.lists(BLOCK, max_size=8)


def _doc(blocks):
    return Document("doc-x", "x.txt", "0" * 64, "word_text", "utf-8", tuple(blocks), 1, 1)


def _slow_side(doc):
    para = sum(len(b.text) for b in doc.blocks if isinstance(b, Para))
    cells = sum(len(c.text) for b in doc.blocks if isinstance(b, Table) for r in b.rows for c in r.cells)
    total = para + cells
    if not total:
        return None
    if cells / total < twins.ONE_SIDED_SHARE:
        return "prose"
    if para / total < twins.ONE_SIDED_SHARE:
        return "tables"
    return None


def _slow_document_year_scan(doc):
    for text, _ in block_texts(doc.blocks):
        m = identity.BUDGET_YEAR.search(sections.compact_text(text))
        if m:
            return int(m.group(1))
    return None


@QUICK
@given(BLOCKS)
def test_document_texts_side_and_year_equal_the_plain_ones(blocks):
    doc = _doc(blocks)
    pairs = block_texts(doc.blocks)
    assert identity.texts_of(doc.blocks) == ([t for t, _ in pairs], [w for _, w in pairs])
    assert identity.all_texts(doc) == pairs
    assert identity.doc_texts(doc) == [t for t, _ in pairs] and identity.doc_wheres(doc) == [w for _, w in pairs]
    assert twins.side(doc) == _slow_side(doc)
    cover = identity.Cover(None, None, None, "", False)
    year = identity.document_year(doc, cover)
    slow = _slow_document_year_scan(doc)
    if slow is not None:
        assert year == slow


def _slow_label_value(rows, label):
    for r in rows:
        for i, c in enumerate(r.cells):
            if label in sections.compact_text(c.text) and i + 1 < len(r.cells):
                nxt = next((d for d in r.cells[i + 1:] if d.text.strip()), r.cells[i + 1])
                return nxt.text.strip(), nxt.where
    return None, None


def _slow_plan(rows):
    for k, r in enumerate(rows):
        texts = [sections.compact_text(c.text) for c in r.cells]
        hits = [i for i, t in enumerate(texts) if "底" in t and t.startswith(projects.PLAN_LABELS)]
        if len(hits) >= 3 and k + 1 < len(rows):
            nxt = rows[k + 1]
            pct = any("%" in t for t in texts) or any("%" in c.text for c in nxt.cells)
            vals, wheres = [], []
            for i in hits[:4]:
                c = nxt.cells[i] if i < len(nxt.cells) else None
                vals.append(c.text.strip() if c and c.text.strip() else None)
                wheres.append(c.where if c else nxt.where)
            return vals, wheres, pct
    return [], [], True


def _slow_goal_parts(rows):
    parts = []
    for r in rows:
        texts = [c.text.strip() for c in r.cells]
        for i, t in enumerate(texts):
            ct = sections.compact_text(t)
            if ct == "绩效目标":
                parts.extend(x for x in texts[i + 1:] if x)
                break
            if ct in projects.GOAL_LABELS:
                parts.extend(x for x in texts[i + 1:] if len(sections.compact_text(x)) > 6)
                break
            if ct.startswith("绩效目标") and len(ct) > 6:
                parts.append(re.sub(r"^\s*绩效目标\s*[:：]?", "", t))
    return "\n".join(parts) if parts else None


def _slow_may_name_projects(r):
    joined = sections.compact_text("".join(c.text for c in r.cells))
    return "项目名称" in joined or "支出项目类别" in joined


@QUICK
@given(ROWS, WORDS)
def test_project_row_scans_equal_the_plain_ones(rows, label):
    if label:
        assert projects._label_value(rows, label) == _slow_label_value(rows, label)
    assert projects._plan(rows) == _slow_plan(rows)
    assert projects._goal(rows, []) == _slow_goal_parts(rows)
    for r in rows:
        assert projects._may_name_projects(r) == _slow_may_name_projects(r)


def _slow_is_column_numbers(t):
    if t and t[0] in ("**", "*"):
        t = t[1:]
    return bool(t) and (t[0] == "栏次" or (len(t) >= 3 and all(x.isdigit() and len(x) <= 2 for x in t)))


def _slow_is_header(cells):
    joined = "".join(cells)
    if all(w in joined for w in tables.INDICATOR_HEADER):
        return True
    if len(cells) < 2:
        return False
    if sum(1 for t in cells if tables._NUMERIC.fullmatch(t)) > 1:
        return False
    hits = sum(1 for t in cells if t in tables.HEADER_EXACT or any(w in t for w in tables.HEADER_CONTAINS))
    return hits >= 3 or (hits >= 2 and hits == len(cells))


@QUICK
@given(st.lists(st.one_of(CELL_TEXT, st.sampled_from(["1", "2", "3", "12", "123", "*", "基本支出", "单位名称"])),
                max_size=7))
def test_row_tests_of_grids_equal_the_plain_ones(cells):
    filled = [sections.compact_text(c) for c in cells if sections.compact_text(c)]
    assert tables._is_column_numbers(filled) == _slow_is_column_numbers(filled)
    assert tables._is_header(filled) == _slow_is_header(filled)
    for c in cells:
        assert tables.join_cjk_wrap(c) == tables._CJK_SPACE.sub("", c)


def _slow_placeholder(c):
    return not c["value_raw"] or any(check_indicators.PLACEHOLDER.search(c[k]) for k in ("value_raw", "level3", "description"))


def _slow_level_mismatch(c):
    l1, l2, l3 = c["level1"], c["level2"], c["level3"]
    if not l2:
        return False
    for top, subs in check_indicators.LEVEL1_OF:
        if l1 == top + "指标" and not any(s in l2 for s in subs):
            return True
    for cat, words in check_indicators.LEVEL3_SIGNALS:
        if cat not in l2 and any(w in l3 for w in words):
            return True
    return False


@QUICK
@given(st.fixed_dictionaries({k: CELL_TEXT for k in check_indicators.FIELDS}))
def test_remembered_indicator_tests_equal_the_plain_ones(row):
    c = check_indicators._compacted(row)
    assert check_indicators.placeholder_in(c["value_raw"], c["level3"], c["description"]) == bool(_slow_placeholder(c))
    assert check_indicators.level_mismatch(c["level1"], c["level2"], c["level3"]) == _slow_level_mismatch(c)


def test_counter_of_units_is_unchanged():
    """amount_unit reads every text once (a smoke test of the document text cache across documents)."""
    a = _doc([Para("单位：元", "1"), Para("单位：元", "2"), Para("单位：万元", "3")])
    b = _doc([Para("单位：万元", "1")])
    assert identity.amount_unit(a) == "元"
    assert identity.amount_unit(b) == "万元"
    assert Counter(t for t, _ in identity.all_texts(b)) == Counter(["单位：万元"])


WHERE = st.sampled_from(["1", "12", "p1", "p3~ocr", "p12~ocr", "52_x.pdf:p2~ocr", "para3", "t1r2c3", "~ocr"])


def _slow_ocr_pages(doc):
    pages = sorted({int(m.group(1)) for _, w in block_texts(doc.blocks)
                    if "~ocr" in w and (m := records.OCR_WHERE.search(w))})
    return ",".join(f"p{n}" for n in pages) or None


@QUICK
@given(st.lists(st.one_of(st.builds(Para, CELL_TEXT, WHERE),
                          st.builds(lambda cs, w: Table((Row(tuple(Cell(t, w2) for t, w2 in cs), w),), w),
                                    st.lists(st.tuples(CELL_TEXT, WHERE), min_size=1, max_size=4), WHERE)),
                max_size=6))
def test_ocr_pages_equal_the_plain_scan(blocks):
    doc = _doc(blocks)
    assert records.ocr_pages(doc) == _slow_ocr_pages(doc)


def _slow_label_names(doc):
    names = Counter()
    for b in doc.blocks:
        rows = [[b.text]] if isinstance(b, Para) else [r.texts for r in b.rows]
        for cells in rows:
            for i, text in enumerate(cells):
                if ":" in text or "：" in text:
                    names.update(identity.label_names_of(text))
                if identity.CELL_LABEL.match(sections.compact_text(text)):
                    after = next((c for c in cells[i + 1:] if c.strip()), "")
                    if n := identity.clean_name(after):
                        names[n] += 1
    return names


def _slow_amount_unit(doc):
    units = Counter(u for text, _ in block_texts(doc.blocks) if (u := values.stated_unit(text)))
    return units.most_common(1)[0][0] if units else "万元"


LABEL_TEXT = st.one_of(CELL_TEXT, st.sampled_from(["部门名称：某某市财政局", "单位名称", "某某县审计局", "预算单位：某某局",
                                                   "单位：元", "单位：万元", "金额单位：元", "部门名称"]))
LABEL_BLOCKS = st.lists(st.one_of(
    st.builds(lambda t, n: Para(t, str(n)), LABEL_TEXT, st.integers(1, 99)),
    st.builds(lambda rows: Table(tuple(Row(tuple(Cell(t, "1") for t in r), "1") for r in rows), "1"),
              st.lists(st.lists(LABEL_TEXT, min_size=1, max_size=4), min_size=1, max_size=4))), max_size=6)


@QUICK
@given(LABEL_BLOCKS)
def test_label_names_and_amount_unit_equal_the_plain_scans(blocks):
    doc = _doc(blocks)
    assert identity.label_names(doc) == _slow_label_names(doc)
    assert identity.amount_unit(doc) == _slow_amount_unit(doc)
