"""The fallback engine: one page's characters and edges from pdfplumber (pdfminer),
for the few pages pdfium reads differently (``PageObjects.fallback``). Same
PageObjects as pdfium_objects, so the same pdf_tables and pdf_words code runs on them and the
blocks are exactly the old reader's. pdfplumber is imported only when needed."""

from __future__ import annotations

import io
from typing import Any

from .pdf_objects import Char, Edge, PageObjects


class PdfminerReader:
    """Opens the document with pdfplumber on first use; reads single pages."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._pdf: Any = None

    def page(self, index: int) -> PageObjects:
        if self._pdf is None:
            import pdfplumber

            self._pdf = pdfplumber.open(io.BytesIO(self.data))
        page = self._pdf.pages[index]
        try:
            out = PageObjects(index + 1, float(page.width), float(page.height), doctop=page.initial_doctop)
            out.chars = [Char(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["size"], c["fontname"],
                              bool(c["upright"])) for c in page.chars]
            out.line_edges = [_edge(e) for e in page.edges]  # already in pdfplumber's order
            out.images = len(page.images)
            return out
        finally:
            page.close()

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()


def _edge(e: dict[str, Any]) -> Edge:
    return Edge(e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"], e["width"], e["height"])
