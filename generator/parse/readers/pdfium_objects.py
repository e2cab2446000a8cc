"""One PDF page through pdfium -> the characters, ruling edges and image count that
pdfplumber (pdfminer.six) would report, in pdfplumber's coordinates.

pdfplumber's table finder and text grouping only look at a few attributes of each
object, so the reader rebuilds exactly those from pdfium, without pdfminer's
pure-Python content-stream interpreter (90% of the old reader's time):

* characters: ``pdfium_chars`` (text, box, font size, font name, upright);
* edges, images and the text objects: ``pdfium_paths``;
* the C functions, the page frame and the float32 -> decimal rule: ``pdfium_api``.

Coordinates are pdfplumber's: x, and top measured down from the top of the
(rotated) MediaBox.

Two known differences from pdfminer, both where pdfium follows the PDF spec:
character spacing (Tc) after the last glyph of a string is applied (pdfminer
drops it, shifting the rest of that line by Tc), and an ActualText span is read
as its replacement text. Pages with ActualText spans or vertical writing are
flagged (``PageObjects.fallback``) for the pdfminer reader.
"""

from __future__ import annotations

from typing import Any

import pypdfium2 as pdfium
import pypdfium2_raw as pdfium_c

from .pdf_objects import Char, Edge, PageObjects
from .pdfium_api import Frame, handle
from .pdfium_chars import CharReader, Fonts
from .pdfium_paths import FALLBACK_ACTUAL_TEXT, ObjectWalker

__all__ = ["FALLBACK_ACTUAL_TEXT", "FALLBACK_VERTICAL", "Char", "DocumentReader", "Edge", "PageObjects",
           "load_page", "native_dpi", "render_page"]

# Vertical writing (CJK -V fonts): pdfminer builds those boxes from the vertical
# metrics, which pdfium does not expose; such pages are read with pdfminer.
FALLBACK_VERTICAL = "vertical writing"


class DocumentReader:
    """Reads the pages of one open document; font names, descents and advance
    widths are cached across its pages (pdfium keeps one font object per font
    resource while the document is open)."""

    def __init__(self, pdf: pdfium.PdfDocument) -> None:
        self.pdf = pdf
        self.fonts = Fonts()

    def page(self, index: int) -> PageObjects:
        """Page `index` (0-based) -> its chars, edges and image count."""
        page = self.pdf[index]
        self.fonts.new_page()
        try:
            frame = Frame(page)
            out = PageObjects(index + 1, frame.width, frame.height)
            walker = ObjectWalker(frame, out)
            walker.walk(handle(page))
            textpage = page.get_textpage()
            try:
                reader = CharReader(handle(textpage), frame, walker.text_objects, self.fonts)
                out.chars = reader.read()
            finally:
                textpage.close()
            if reader.vertical:
                out.fallback = out.fallback or FALLBACK_VERTICAL
            return out
        finally:
            page.close()


def load_page(pdf: pdfium.PdfDocument, index: int) -> PageObjects:
    """One page on its own (no caches shared with other pages)."""
    return DocumentReader(pdf).page(index)


# --- page images (for the OCR of scanned pages) ----------------------------------------


def render_page(pdf: pdfium.PdfDocument, index: int, dpi: float = 200.0) -> Any:
    """Page `index` (0-based) as an RGB PIL image at `dpi`, e.g. for rapidocr
    (``RapidOCR()(numpy.asarray(image))``). A scanned page's own image resolution is
    ``native_dpi`` below: rendering above it adds pixels, not detail."""
    page = pdf[index]
    try:
        return page.render(scale=dpi / 72.0).to_pil()
    finally:
        page.close()


def native_dpi(pdf: pdfium.PdfDocument, index: int) -> float | None:
    """The resolution of the largest image on a page (a scan's), or None without images."""
    page = pdf[index]
    try:
        best = None
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            px_w, _ = obj.get_px_size()
            left, _, right, _ = obj.get_bounds()
            if right > left and (best is None or right - left > best[0]):
                best = (right - left, px_w * 72.0 / (right - left))
        return None if best is None else best[1]
    finally:
        page.close()
