"""Sections -> clean grids: rows continued across pages joined, repeated headers and
栏次 rows dropped, Word rows broken by blank lines re-assembled, wrapped PDF text mended.

A Grid is the rows of one logical table (all table blocks of a section that belong
together), with the header row that names its columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import attrgetter

from ..model import Cell, Document, Para, Row, Table
from .sections import Section, compact

# Header rows name their columns; a row is a header when it holds enough of these words.
HEADER_CONTAINS = (
    "科目编码", "科目名称", "功能分类", "经济分类", "项目名称", "单位名称", "单位性质", "单位规格", "经费保障",
    "基本支出", "项目支出", "人员经费", "公用经费", "采购物品", "采购目录", "计量单位", "单价", "年度预算", "增减",
    "预算数", "上年结转", "价值", "一级指标", "二级指标", "三级指标", "指标值",
    # NOTE: 决算 tables (corpus 42 国家信访局, 40 佛山) head their columns 科目代码 / 本年收入合计 / 决算数 / 行次
    "科目代码", "本年收入", "本年支出", "财政拨款收入", "决算数", "行次",
    # NOTE: 广州信访局 (corpus 12) heads its economic table '部门预算支出经济科目 | 预算'
    "经济科目", "功能科目",
)
HEADER_EXACT = ("合计", "小计", "序号", "项目", "收入", "支出", "类", "款", "项", "数量", "金额", "科目", "名称", "预算")
INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "指标值")
_CJK = r"\u3400-\u9fff\uff00-\uffef\u3000-\u303f“”‘’"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])[ \u00a0]+(?=[{_CJK}])")


@dataclass(frozen=True)
class Grid:
    section: int
    kind: str
    title: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    where: str
    fmt: str


def join_cjk_wrap(text: str) -> str:
    """'一般公共服务 支出' -> '一般公共服务支出': PDF line wraps inside CJK words leave spaces."""
    if " " not in text and "\u00a0" not in text:
        return text  # no space to remove (most cells): no regex pass
    return _CJK_SPACE.sub("", text)


# One search for any of the words (the same answer as testing them one by one, in one pass).
_HEADER_WORD = re.compile("|".join(map(re.escape, HEADER_CONTAINS)))
_HEADER_EXACT = frozenset(HEADER_EXACT)
_NUMERIC = re.compile(r"[\d.,，-]+")
_DIGIT = re.compile(r"\d")
_TEXT = attrgetter("text")


def _is_header_word(cell: str) -> bool:
    return cell in _HEADER_EXACT or _HEADER_WORD.search(cell) is not None


def is_header_row(texts: list[str]) -> bool:
    return _is_header(_filled(texts))


def _filled(texts: list[str]) -> list[str]:
    """The non-blank cells of a row, compacted."""
    return list(filter(None, map(compact, texts)))


def _is_header(cells: list[str]) -> bool:
    joined = "".join(cells)
    if INDICATOR_HEADER[0] in joined and all(w in joined for w in INDICATOR_HEADER):
        return True
    if len(cells) < 2:
        return False  # one cell is at most one hit
    if _HEADER_EXACT.isdisjoint(cells) and _HEADER_WORD.search(joined) is None:
        return False  # no cell names a column (one search of the whole row)
    numeric = 0
    for t in cells:
        if _NUMERIC.fullmatch(t):
            numeric += 1
            if numeric > 1:
                return False
    hits = sum(1 for t in cells if t in _HEADER_EXACT or _HEADER_WORD.search(t))
    return hits >= 3 or (hits >= 2 and hits == len(cells))


def is_column_number_row(texts: list[str]) -> bool:
    """The 栏次 row under a header: '栏次 1 2 3 …'.
    NOTE: 杭州 (corpus 21) prints '** 1 2 3 …' (a '**' over the label column)."""
    return _is_column_numbers(_filled(texts))


def _is_column_numbers(t: list[str]) -> bool:
    if t and t[0] in ("**", "*"):
        t = t[1:]
    if not t:
        return False
    first = t[0]
    return first == "栏次" or (len(t) >= 3 and first.isdigit() and len(first) <= 2  # (the first cell decides most rows)
                               and all(x.isdigit() and len(x) <= 2 for x in t))


def is_header_continuation(texts: list[str]) -> bool:
    """The second line of a two-line header that names no column by a known word: blank over the label
    column, short words under the spanning heads, no figure.
    NOTE: 杭州 (corpus 21) 表3 heads '基本支出' over '人员支出 | 日常公用支出'; 重庆水利局 (10) 表六 '预算数' over
    '总计 | 基本支出 | 项目支出'; 西南大学 决算 (60) '项目支出' over '小计 | 其中：基本建设资金支出'."""
    return _is_continuation([compact(t) for t in texts])


def _is_continuation(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    # NOTE: 江苏 表格册 (corpus 52) prints a lone '合计' line with its figure on the next line: no header.
    return bool(cells) and not cells[0] and len(filled) >= 2 and len(filled) < len(cells) and \
        all(len(c) <= 16 and not _DIGIT.search(c) for c in filled)


def _mend_pdf_row(row: Row) -> Row:
    printed = list(map(_TEXT, row.cells))
    texts = list(map(join_cjk_wrap, printed))
    if texts == printed:
        return row  # nothing to mend
    return Row(tuple(Cell(t, c.where) for t, c in zip(texts, row.cells, strict=True)), row.where)


def _word_reassemble(rows: list[Row], width: int) -> list[Row]:
    """NOTE: seed 003 line 194-206: one Word row printed as 3+1+2 cells split by blank
    lines. Fragments shorter than the header width are joined until the width is reached."""
    out: list[Row] = []
    pending: list[Cell] = []
    pending_where = ""
    for r in rows:
        if len(r.cells) >= width or width <= 1:
            if pending:
                out.append(Row(tuple(pending), pending_where))
                pending = []
            out.append(r)
            continue
        if not pending:
            pending_where = r.where
        if pending and len(pending) + len(r.cells) > width:
            out.append(Row(tuple(pending), pending_where))
            pending, pending_where = [], r.where
        pending.extend(r.cells)
        if len(pending) == width:
            out.append(Row(tuple(pending), pending_where))
            pending = []
    if pending:
        out.append(Row(tuple(pending), pending_where))
    return out


def section_to_grids(index: int, sec: Section, fmt: str) -> list[Grid]:
    """Split a section's table rows into grids at header rows; join page continuations."""
    grids: list[Grid] = []
    header: tuple[str, ...] = ()
    rows: list[Row] = []
    start = sec.where

    def flush() -> None:
        nonlocal rows
        if rows or header:
            body = rows
            if fmt == "word_text" and header and any(w in "".join(header) for w in INDICATOR_HEADER[:1]):
                body = _word_reassemble(rows, len(header))
            grids.append(Grid(index, sec.kind, sec.title, header, tuple(body), start, fmt))
        rows = []

    shift = 0  # blank columns a continuation page dropped in front of its cells
    pdf = fmt in ("pdf_text", "pdf")
    for b in sec.blocks:
        if not isinstance(b, Table):
            continue
        for r in b.rows:
            r = _mend_pdf_row(r) if pdf else r
            # every test below reads the cells without whitespace: compacted once here
            texts = list(map(compact, map(_TEXT, r.cells)))
            filled = list(filter(None, texts))
            if pdf and not filled:
                continue  # a blank row
            if _is_header(filled):
                h = tuple(texts)
                if header and _same_header(header, h):
                    shift = max(0, _lead(header) - _lead(h))
                    continue  # repeated on the next page: the table goes on
                shift = 0
                if header and not rows:
                    header = _merge_headers(header, h)  # a two-line header
                    continue
                if header and len(rows) == 1 and _is_header_words(rows[0].texts):
                    # NOTE: 普陀区财政局 决算 (corpus 48) heads its function table on three lines:
                    # '支出功能分类 | 科目名称 | 合计 …' / '科目编码' / '类 | 款 | 项'
                    header = _merge_headers(_merge_headers(header, tuple(compact(t) for t in rows[0].texts)), h)
                    rows = []
                    continue
                flush()
                header, start = h, r.where
                continue
            if header and not rows and _is_continuation(texts):
                header = _merge_headers(header, tuple(texts))
                continue
            if _is_column_numbers(filled):
                continue
            if not rows and not header:
                start = r.where
            if shift:
                r = Row(tuple(Cell("", r.where) for _ in range(shift)) + r.cells, r.where)
            rows.append(r)
    flush()
    return grids


def _is_header_words(texts: list[str]) -> bool:
    cells = [compact(t) for t in texts if compact(t)]
    return 0 < len(cells) <= 2 and all(_is_header_word(t) for t in cells)


def _lead(header: tuple[str, ...]) -> int:
    """Blank columns in front of a header.
    NOTE: Beijing's 附件2 报表 (corpus 04) 支出总表 p3 has a blank first column that pages 4-6 drop."""
    return next((i for i, x in enumerate(header) if x), 0)


def _merge_headers(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    """Two header lines -> one: the lower word names the column, a '小计'/'合计' keeps the head it sums
    ('基本支出' over '小计' -> '基本支出小计').
    NOTE: 重庆水利局 (corpus 10) 表五 heads '基本支出' over '小计 | 人员经费 | 公用经费'."""
    n = max(len(a), len(b))
    a, b = a + ("",) * (n - len(a)), b + ("",) * (n - len(b))
    return tuple(x + y if y in ("小计", "合计") and x and x not in ("小计", "合计") else (y or x)
                 for x, y in zip(a, b, strict=True))


def _same_header(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    sa, sb = {x for x in a if x}, {x for x in b if x}
    if not sa or not sb:
        return False
    return len(sa & sb) / min(len(sa), len(sb)) >= 0.6


def sections_to_grids(doc: Document, secs: list[Section]) -> list[Grid]:
    out: list[Grid] = []
    for i, s in enumerate(secs):
        out.extend(section_to_grids(i, s, doc.source_format))
    return out


def section_paras(sec: Section) -> list[Para]:
    return [b for b in sec.blocks if isinstance(b, Para)]
