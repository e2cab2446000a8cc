"""Original PDF disclosures -> paragraphs and tables of cells, stamped ``p<page>``.

Per page: tables are found from the ruling lines and rectangles (pdfplumber's
"lines" strategy), the text outside them is grouped into lines and wrapped prose
lines are joined back into paragraphs; tables and paragraphs are emitted top to
bottom. Nothing here knows about budgets: captions, page headers and tables
continued on the next page are left for the later stages (a continued table is a
separate Table block).

The page objects come from pdfium (``pdfium_objects``) and pdfplumber's table and
text-line algorithms are replayed on them (``pdf_tables``, ``pdf_words``): the blocks are those
pdfplumber gave, at a tenth of the CPU time (pdfminer's pure-Python content
parser was 90% of it).

The reader never raises: a bad file becomes an Issue and ``None``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from ...model import Cell, Document, Issue, Para, Row, Table
from .pdf_objects import Char, PageObjects
from .pdf_tables import CharIndex, extract_table, find_tables
from .pdf_words import dedupe_chars, extract_text_lines
from .pdfium_objects import DocumentReader, native_dpi, render_page
from .pdfminer_objects import PdfminerReader

log = logging.getLogger(__name__)

MAX_PAGES = 300
MAX_BYTES = 100 * 1024 * 1024

# NOTE: pdfplumber's default "lines" strategy (ruling lines plus rectangle edges)
# finds every table of both Shanghai Putuo 2025 samples (WPS-exported, cell borders
# drawn as thin rectangles) with the right column count; "text" strategies split the
# 类/款/项 code columns wrongly, so only the lines strategy exists (pdf_tables).

# A line is "full" (the paragraph wraps onto the next line) when it ends within this
# many font sizes of the page's right text margin.
# NOTE: Shanghai samples p6/p22: prose wrapped by the spreadsheet cell ends 6-30pt
# short of the margin (a 12pt CJK char, or a number that would not fit).
WRAP_SLACK_CHARS = 2.6
# Lines further apart than this many font sizes are separate paragraphs.
MAX_LINE_GAP = 0.9
# Page numbers: "3", "- 3 -", "— 3 —", "第3页", "第 3 页 共 22 页", "3/22", in the
# top or bottom band of the page only.
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–_·•]*(?:第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}(?:\s*/\s*\d{1,4})?|[ivxlcIVXLC]{1,6})[\s\-—–_·•]*$"
)
PAGE_MARGIN_BAND = 0.12
# A line that opens a new paragraph even when the previous line ran to the margin.
_NEW_PARA = re.compile(
    r"^\s*(?:第[一二三四五六七八九十\d]+[部章节条]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、"
    r"|\d{1,2}(?:[、．]|\.(?!\d)|\.(?=\d{4}年))|[①-⑳]|注[:：]|附[件表]|单位[:：]|编制(?:部门|单位)[:：])"
)
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_LATIN_END = re.compile(r"[A-Za-z]$")
_LATIN_START = re.compile(r"^[A-Za-z]")


def join_wrapped(parts: list[str]) -> str:
    """Join the visual lines of one cell or paragraph without inventing spaces.

    Wrapped CJK text and numbers join directly ("事业单位" + "经营收入"); only two
    Latin words get a space between them.
    """
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and _LATIN_END.search(out) and _LATIN_START.match(part):
            out += " "
        out += part
    return out


def clean_cell(text: str | None) -> str:
    """A cell's text (None for a spanned cell) -> the printed text, one line."""
    if not text:
        return ""
    text = text.replace("\u00a0", " ").replace("\u3000", " ")
    return join_wrapped(text.split("\n"))


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


def _issue(code: str, doc_id: str, where: str, message: str, severity: str = "error") -> Issue:
    return Issue(code, doc_id, where, message, severity)  # type: ignore[arg-type]


def _describe(e: BaseException) -> str:
    msg = str(e).strip() or type(e).__name__
    return f"{type(e).__name__}: {msg}"[:300]


BBox = tuple[float, float, float, float]


def _outside(chars: list[Char], bboxes: list[BBox]) -> list[Char]:
    """The chars whose centre is in none of the boxes (edges count as inside)."""
    if not bboxes:
        return chars
    out = []
    for c in chars:
        cx = (c.x0 + c.x1) / 2
        cy = (c.top + c.bottom) / 2
        for x0, top, x1, bottom in bboxes:
            if x0 <= cx <= x1 and top <= cy <= bottom:
                break
        else:
            out.append(c)
    return out


def _text_lines(chars: list[Char], bboxes: list[BBox]) -> list[_Line]:
    """Text lines of a page outside the given table boxes, top to bottom."""
    outside = _outside(chars, bboxes)
    lines = []
    for ln in extract_text_lines(outside):
        text = ln.text.replace("\u00a0", " ").replace("\u3000", " ").strip()
        if not text:
            continue
        sizes = [c.size for c in ln.chars if c.text.strip()]
        size = max(sizes) if sizes else 10.0
        lines.append(_Line(text, ln.x0, ln.x1, ln.top, ln.bottom, size))
    return lines


def _is_page_number(line: _Line, height: float) -> bool:
    in_band = line.bottom <= height * PAGE_MARGIN_BAND or line.top >= height * (1 - PAGE_MARGIN_BAND)
    return in_band and bool(_PAGE_NUMBER.match(line.text))


@dataclass
class Margins:
    """Left and right edges of the body text on pages of one width."""

    left: float
    right: float


def _continues(prev: _Line, nxt: _Line, m: Margins) -> bool:
    """True when `nxt` is the wrapped continuation of the paragraph ending with `prev`.

    A wrapped line starts at the left text margin (or left of an indented first line),
    and the line before it runs to the right margin.
    """
    size = max(prev.size, 1.0)
    half = size / 2
    return (
        abs(prev.size - nxt.size) < 0.5
        and prev.x1 >= m.right - WRAP_SLACK_CHARS * size
        and nxt.top - prev.bottom <= MAX_LINE_GAP * size
        and nxt.x0 <= prev.x0 + half
        and (nxt.x0 < prev.x0 - half or nxt.x0 <= m.left + half)
        and not _NEW_PARA.match(nxt.text)
    )


def _lines_to_paras(lines: list[_Line], m: Margins, where: str) -> list[tuple[float, Para]]:
    out: list[tuple[float, Para]] = []
    group: list[_Line] = []

    def flush() -> None:
        if group:
            out.append((group[0].top, Para(join_wrapped([g.text for g in group]), where)))
            group.clear()

    for ln in lines:
        if group and not _continues(group[-1], ln, m):
            flush()
        group.append(ln)
    flush()
    return out


def _table_block(rows: list[list[str | None]], where: str) -> Table | list[Para] | None:
    """Table rows -> Table (blank rows dropped); a one-column box becomes paragraphs."""
    cleaned = [[clean_cell(c) for c in r] for r in rows]
    cleaned = [r for r in cleaned if any(c for c in r)]
    if not cleaned:
        return None
    if max(len(r) for r in cleaned) == 1:
        # NOTE: Shanghai 部门预算 p2: the 目录 is drawn inside a one-column box; a
        # one-column "table" is framed prose, so it reads as paragraphs.
        return [Para(r[0], where) for r in cleaned]
    return Table(tuple(Row(tuple(Cell(c, where) for c in r), where) for r in cleaned), where)


@dataclass
class PageContent:
    """What one page holds before paragraphs are formed: tables and loose text lines."""

    number: int
    width: float
    tables: list[tuple[float, list[Para | Table]]]  # (top, blocks)
    lines: list[_Line]
    cuts: list[float]  # tops of the table boxes: paragraphs never run across them


def extract_page(page: PageObjects, page_number: int) -> PageContent:
    where = f"p{page_number}"
    chars = dedupe_chars(page.chars, page.doctop)
    tables: list[tuple[float, list[Para | Table]]] = []
    bboxes = []
    found = find_tables(page.edges)
    index = CharIndex(chars) if found else None
    for t in found:
        bbox = t.bbox
        bboxes.append(bbox)
        block = _table_block(extract_table(t, chars, index), where)
        if block is not None:
            blocks: list[Para | Table] = list(block) if isinstance(block, list) else [block]
            tables.append((bbox[1], blocks))
    lines = [ln for ln in _text_lines(chars, bboxes) if not _is_page_number(ln, page.height)]
    return PageContent(page_number, float(page.width), tables, lines, sorted(b[1] for b in bboxes))


def document_margins(pages: list[PageContent]) -> dict[int, Margins]:
    """Body-text margins per page width, over the whole document (a page of short
    lines alone would make every line look like it runs to the margin)."""
    out: dict[int, Margins] = {}
    for pc in pages:
        for ln in pc.lines:
            key = round(pc.width)
            m = out.get(key)
            out[key] = Margins(min(m.left, ln.x0), max(m.right, ln.x1)) if m else Margins(ln.x0, ln.x1)
    return out


def page_to_blocks(pc: PageContent, margins: Margins | None = None) -> list[Para | Table]:
    """One page's content -> its Para and Table blocks in reading order (top to bottom)."""
    where = f"p{pc.number}"
    placed: list[tuple[float, int, list[Para | Table]]] = [(top, 1, bl) for top, bl in pc.tables]
    if pc.lines:
        m = margins or document_margins([pc])[round(pc.width)]
        segments: list[list[_Line]] = [[]]
        for ln in pc.lines:
            seg = segments[-1]
            if seg and any(seg[-1].top < c <= ln.top for c in pc.cuts):
                segments.append([])
            segments[-1].append(ln)
        for seg in segments:
            for top, para in _lines_to_paras(seg, m, where):
                placed.append((top, 0, [para]))
    placed.sort(key=lambda x: (x[0], x[1]))
    return [b for _, _, blocks in placed for b in blocks]


def read_pdf(path: Path, data: bytes, doc_id: str, sha: str) -> tuple[Document | None, list[Issue]]:
    """PDF bytes -> (Document, issues); (None, issues) when the file cannot be read."""
    name = path.name
    try:
        return _read_pdf(path, data, doc_id, sha)
    except Exception as e:  # never raise: a reader bug is reported against the file
        return None, [_issue("unreadable-file", doc_id, name, f"{name}: PDF reader failed: {_describe(e)}")]


def _encrypted(doc_id: str, name: str, err: BaseException) -> Issue:
    return _issue("encrypted-pdf", doc_id, name,
                  f"{name}: the PDF is encrypted (password protected); cannot read it ({_describe(err)})")


def _read_pdf(path: Path, data: bytes, doc_id: str, sha: str) -> tuple[Document | None, list[Issue]]:
    name = path.name
    if len(data) > MAX_BYTES:
        return None, [
            _issue("file-too-large", doc_id, name, f"{name}: {len(data)} bytes exceeds the {MAX_BYTES} byte limit for a PDF")
        ]
    truncated = b"%%EOF" not in data[-2048:]
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            return None, [_encrypted(doc_id, name, e)]
        why = "truncated (no %%EOF marker)" if truncated else "corrupt"
        return None, [_issue("unreadable-file", doc_id, name, f"{name}: not a readable PDF, {why}: {_describe(e)}")]
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            why = " (the file looks truncated: no %%EOF marker)" if truncated else ""
            return None, [_issue("unreadable-file", doc_id, name, f"{name}: the PDF has no pages{why}")]
        if n_pages > MAX_PAGES:
            return None, [
                _issue("file-too-large", doc_id, name, f"{name}: {n_pages} pages exceeds the {MAX_PAGES} page limit")
            ]
        pages = _read_pages(pdf, data, name, doc_id)
    finally:
        pdf.close()
    return _document(pages, n_pages, name, doc_id, sha, len(data))


@dataclass
class _Pages:
    contents: list[PageContent]
    scanned: list[int]  # pages with images and no text
    issues: list[Issue]


def _read_pages(pdf: pdfium.PdfDocument, data: bytes, name: str, doc_id: str) -> _Pages:
    out = _Pages([], [], [])
    reader, fallback = DocumentReader(pdf), PdfminerReader(data)
    doctop = 0.0
    try:
        for i in range(1, len(pdf) + 1):
            try:
                page = _page_objects(reader, fallback, i, doctop, name)
                doctop += page.height
                if not any(c.text.strip() for c in page.chars):
                    if page.images:
                        out.scanned.append(i)
                    continue
                out.contents.append(extract_page(page, i))
            except Exception as e:
                out.issues.append(_issue("unreadable-page", doc_id, f"p{i}",
                                         f"{name}: page {i} could not be read: {_describe(e)}", "warning"))
    finally:
        fallback.close()
    return out


def _page_objects(reader: DocumentReader, fallback: PdfminerReader, i: int, doctop: float, name: str) -> PageObjects:
    """Page i's objects from pdfium, or from pdfminer (the old engine) on the rare page
    pdfium reads differently (ActualText spans, vertical writing)."""
    page = reader.page(i - 1)
    page.doctop = doctop
    if page.fallback:
        log.info("%s p%d: %s, read with pdfminer", name, i, page.fallback)
        page = fallback.page(i - 1)
    return page


def _document(pages: _Pages, n_pages: int, name: str, doc_id: str, sha: str,
              size: int) -> tuple[Document | None, list[Issue]]:
    issues = pages.issues
    margins = document_margins(pages.contents)
    blocks = [b for pc in pages.contents for b in page_to_blocks(pc, margins.get(round(pc.width)))]
    scanned = pages.scanned
    if not blocks:
        if scanned:
            return None, issues + [
                _issue("needs-ocr", doc_id, name,
                       f"{name}: no text layer ({len(scanned)} of {n_pages} page(s) are images only); the PDF is a scan and needs OCR first")
            ]
        if issues:
            return None, issues + [_issue("unreadable-file", doc_id, name, f"{name}: no page could be read")]
        return None, [_issue("empty-file", doc_id, name, f"{name}: the PDF has {n_pages} page(s) but no text")]
    if scanned:
        pages_s = ", ".join(f"p{p}" for p in scanned[:20]) + (" …" if len(scanned) > 20 else "")
        issues.append(
            _issue("needs-ocr", doc_id, f"p{scanned[0]}",
                   f"{name}: {len(scanned)} page(s) are images without a text layer ({pages_s}); their content is missing",
                   "warning")
        )
    return Document(doc_id, name, sha, "pdf", "", tuple(blocks), n_pages, size), issues


# --- hooks for OCR (parse/readers/ocr.py) ------------------------------------------------


def pages_without_text(data: bytes) -> list[int]:
    """1-based numbers of the pages that have no text layer (nothing but blanks in pdfium's
    text page): the pages an OCR step must read. About 0.2 ms a page; never raises."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return []
    out = []
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                textpage = page.get_textpage()
                try:
                    if not textpage.get_text_range().strip():
                        out.append(i + 1)
                finally:
                    textpage.close()
            finally:
                page.close()
    finally:
        pdf.close()
    return out


def page_image(data: bytes, page_number: int, dpi: float | None = None) -> Any:
    """Page `page_number` (1-based) as an RGB PIL image, at the scan's own resolution unless a
    dpi is given (see pdfium_objects.render_page and native_dpi)."""
    pdf = pdfium.PdfDocument(data)
    try:
        dpi = dpi or native_dpi(pdf, page_number - 1) or 200.0
        return render_page(pdf, page_number - 1, dpi)
    finally:
        pdf.close()
