"""The reference PDF reader for bench/pdfspeed.py: the reader as it was before pdfium
(commit 7038bb5^), pdfplumber from end to end: pdfplumber's chars, dedupe_chars,
find_tables, Table.extract and extract_text_lines. The paragraph and page logic after
that is shared with the real reader (generator/parse/readers/pdf.py), so a block that
differs between the two can only come from the page objects or the table/line algorithms.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from generator.model import Document, Para, Table
from generator.parse.readers import pdf as reader

TABLE_SETTINGS: dict[str, Any] = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def _inside(obj: dict[str, Any], bboxes: list[tuple[float, float, float, float]]) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in bboxes)


def _text_lines(page: Any, bboxes: list[tuple[float, float, float, float]]) -> list:
    outside = page.filter(lambda o: o.get("object_type") != "char" or not _inside(o, bboxes))
    lines = []
    for ln in outside.extract_text_lines(strip=True, return_chars=True):
        text = ln["text"].replace("\u00a0", " ").replace("\u3000", " ").strip()
        if not text:
            continue
        sizes = [c.get("size", 0) for c in ln.get("chars", []) if c.get("text", "").strip()]
        size = max(sizes) if sizes else 10.0
        lines.append(reader._Line(text, ln["x0"], ln["x1"], ln["top"], ln["bottom"], size))
    return lines


def _extract_page(page: Any, page_number: int) -> reader.PageContent:
    where = f"p{page_number}"
    page = page.dedupe_chars()
    tables: list[tuple[float, list[Para | Table]]] = []
    bboxes = []
    for t in page.find_tables(TABLE_SETTINGS):
        bboxes.append(t.bbox)
        block = reader._table_block(t.extract(), where)
        if block is not None:
            blocks: list[Para | Table] = list(block) if isinstance(block, list) else [block]
            tables.append((t.bbox[1], blocks))
    lines = [ln for ln in _text_lines(page, bboxes) if not reader._is_page_number(ln, page.height)]
    return reader.PageContent(page_number, float(page.width), tables, lines, sorted(b[1] for b in bboxes))


def read_pdf(path: Path, data: bytes, doc_id: str = "ref", sha: str = "") -> Document | None:
    """PDF bytes -> the Document the pdfplumber reader gave (None when it had no blocks)."""
    import pdfplumber

    contents = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for i, page in enumerate(pdf.pages, 1):
            try:
                if any(c.get("text", "").strip() for c in page.chars):
                    contents.append(_extract_page(page, i))
            finally:
                page.close()
        n_pages = len(pdf.pages)
    margins = reader.document_margins(contents)
    blocks = [b for pc in contents for b in reader.page_to_blocks(pc, margins.get(round(pc.width)))]
    if not blocks:
        return None
    return Document(doc_id, path.name, sha, "pdf", "", tuple(blocks), n_pages, len(data))
