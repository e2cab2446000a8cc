"""Scanned PDF pages -> paragraphs and table rows by OCR (rapidocr-onnxruntime, offline PP-OCR models).

Called after the PDF reader for the pages it reported as images without a text layer
(``needs-ocr``). Every block from OCR is stamped ``p<page>~ocr`` so that each figure read
from it says so in its ``source_line`` (the site still links it to ``#page=<page>``).
A page OCR cannot read stays in a ``needs-ocr`` issue. Results are cached by the sha256 of
the rendered page image (``GENERATOR_OCR_CACHE``, default ``~/.cache/budget-disclosures/ocr``):
OCR takes seconds per page, the cache makes a rebuild instant and its output identical.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ...model import Block, Cell, Document, Issue, Para, Row, Table

OCR_MARK = "~ocr"
RENDER_SCALE = 2.0  # 144 dpi: PP-OCR reads 10.5pt CJK text reliably at this size
# NOTE: corpus 05 (Beijing 附件1 说明, 8 scanned pages): lines read at confidence >= 0.9; a page whose
# mean confidence is below this is reported as unreadable rather than trusted.
MIN_PAGE_CONFIDENCE = 0.6
# Boxes of one visual line further apart than this many line heights are separate cells.
CELL_GAP_HEIGHTS = 2.0
# A line ending this many line heights short of the page's right text edge ends its paragraph.
SHORT_LINE_HEIGHTS = 1.5
# A line starting this many line heights right of the left text edge opens a paragraph (indent).
INDENT_HEIGHTS = 1.0
_NEW_PARA = re.compile(r"^(?:第[一二三四五六七八九十\d]+[部章节条]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d{1,2}[、．.])")
ENGINE_VERSION = "rapidocr-onnxruntime-1.4.4"

Box = tuple[float, float, float, float, str, float]  # x0, y0, x1, y1, text, confidence
Recognise = Callable[[Any], list[Box]]

_engine: Any = None


def available() -> bool:
    try:
        import pypdfium2  # noqa: F401
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def _recognise(image: Any) -> list[Box]:
    global _engine
    if _engine is None:
        from rapidocr_onnxruntime import RapidOCR

        _engine = RapidOCR()
    result, _ = _engine(image)
    boxes: list[Box] = []
    for quad, text, conf in result or []:
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        boxes.append((float(min(xs)), float(min(ys)), float(max(xs)), float(max(ys)), str(text), float(conf)))
    return boxes


def cache_dir() -> Path:
    env = os.environ.get("GENERATOR_OCR_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "budget-disclosures" / "ocr"


def page_boxes(image: Any, recognise: Recognise = _recognise) -> list[Box]:
    """OCR boxes of one page image, from the cache when this exact image was read before."""
    key = hashlib.sha256(f"{ENGINE_VERSION}:{image.shape}".encode() + image.tobytes()).hexdigest()
    path = cache_dir() / f"{key}.json"
    try:
        return [tuple(b) for b in json.loads(path.read_text(encoding="utf-8"))]  # type: ignore[misc]
    except (OSError, ValueError):
        pass
    boxes = recognise(image)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(boxes, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only home: OCR again next time
    return boxes


def visual_lines(boxes: list[Box]) -> list[list[Box]]:
    """Boxes grouped into lines (vertical overlap with the line's first box), top to bottom, left to right."""
    lines: list[list[Box]] = []
    for b in sorted(boxes, key=lambda b: (b[1] + b[3]) / 2):
        mid = (b[1] + b[3]) / 2
        if lines and lines[-1][0][1] <= mid <= lines[-1][0][3]:
            lines[-1].append(b)
        else:
            lines.append([b])
    return [sorted(ln, key=lambda b: b[0]) for ln in lines]


def _cells(line: list[Box]) -> list[str]:
    height = max(b[3] - b[1] for b in line)
    cells = [line[0][4]]
    for prev, b in zip(line, line[1:], strict=False):
        if b[0] - prev[2] > CELL_GAP_HEIGHTS * height:
            cells.append(b[4])
        else:
            cells[-1] += b[4]
    return cells


def lines_to_blocks(lines: list[list[Box]], where: str) -> list[Block]:
    """Visual lines -> paragraphs (wrapped lines joined back) and table rows (lines of several cells)."""
    if not lines:
        return []
    left = min(ln[0][0] for ln in lines)
    right = max(ln[-1][2] for ln in lines)
    blocks: list[Block] = []
    para: list[str] = []
    rows: list[Row] = []

    def flush_para() -> None:
        if para:
            blocks.append(Para("".join(para), where))
            para.clear()

    def flush_rows() -> None:
        if rows:
            blocks.append(Table(tuple(rows), where))
            rows.clear()

    ends_short = True
    for ln in lines:
        cells = _cells(ln)
        height = max(b[3] - b[1] for b in ln)
        if len(cells) > 1:
            flush_para()
            rows.append(Row(tuple(Cell(c, where) for c in cells), where))
            ends_short = True
            continue
        flush_rows()
        text = cells[0]
        if ends_short or ln[0][0] - left > INDENT_HEIGHTS * height or _NEW_PARA.match(text):
            flush_para()
        para.append(text)
        ends_short = right - ln[-1][2] > SHORT_LINE_HEIGHTS * height
    flush_para()
    flush_rows()
    return blocks


def blank_pages(data: bytes) -> list[int]:
    """1-based numbers of the pages with no text layer."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return [i + 1 for i in range(len(pdf)) if not pdf[i].get_textpage().get_text_range().strip()]
    finally:
        pdf.close()


def page_count(data: bytes) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def ocr_pages(data: bytes, pages: list[int], recognise: Recognise = _recognise) -> tuple[dict[int, list[Block]], list[int]]:
    """(blocks per page read, pages OCR could not read)."""
    import pypdfium2 as pdfium

    read: dict[int, list[Block]] = {}
    failed: list[int] = []
    pdf = pdfium.PdfDocument(data)
    try:
        for n in pages:
            image = pdf[n - 1].render(scale=RENDER_SCALE).to_numpy()
            boxes = page_boxes(image, recognise)
            conf = sum(b[5] for b in boxes) / len(boxes) if boxes else 0.0
            if conf < MIN_PAGE_CONFIDENCE:
                failed.append(n)
            else:
                read[n] = lines_to_blocks(visual_lines(boxes), f"p{n}{OCR_MARK}")
    finally:
        pdf.close()
    return read, failed


def page_of(where: str) -> int:
    m = re.match(r"p(\d+)", where)
    return int(m.group(1)) if m else 0


def merge(doc: Document | None, read: dict[int, list[Block]], make: Callable[[tuple[Block, ...]], Document]) -> Document:
    """The document's own blocks and the OCR'd pages' blocks, in page order."""
    own = list(doc.blocks) if doc else []
    blocks = sorted(own + [b for n in sorted(read) for b in read[n]], key=lambda b: page_of(b.where))
    return replace(doc, blocks=tuple(blocks)) if doc else make(tuple(blocks))


def apply(data: bytes, doc: Document | None, issues: list[Issue], make: Callable[[tuple[Block, ...]], Document],
          recognise: Recognise = _recognise) -> tuple[Document | None, list[Issue]]:
    """OCR the pages without text of a PDF the reader flagged ``needs-ocr``; the rest is left as read."""
    flagged = [i for i in issues if i.code == "needs-ocr"]
    if not flagged or not available():
        return doc, issues
    pages = blank_pages(data)
    if not pages:
        return doc, issues
    read, failed = ocr_pages(data, pages, recognise)
    rest = [i for i in issues if i.code != "needs-ocr"]
    doc_id, name = flagged[0].doc_id, (doc.source_file if doc else flagged[0].where)
    if read:
        listed = ", ".join(f"p{n}" for n in sorted(read))
        rest.append(Issue("ocr-text", doc_id, f"p{min(read)}{OCR_MARK}",
                          f"{name}: {len(read)} scanned page(s) read by OCR ({listed}); their figures are marked "
                          f"'{OCR_MARK}' in source_line: check them against the page", "info"))
    if failed:
        listed = ", ".join(f"p{n}" for n in failed)
        rest.append(Issue("needs-ocr", doc_id, f"p{failed[0]}",
                          f"{name}: {len(failed)} scanned page(s) OCR could not read ({listed}); their content is missing",
                          "warning" if doc or read else "error"))
    return (merge(doc, read, make) if read else doc), rest
