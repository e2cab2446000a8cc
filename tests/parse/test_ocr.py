"""OCR of scanned PDF pages (readers/ocr.py): line grouping, provenance marks, unreadable pages, one real page."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.model import Document, Issue, Para, Table
from generator.parse.readers import ocr

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def box(x0, y0, x1, text, h=20.0, conf=0.99):
    return (x0, y0, x1, y0 + h, text, conf)


def test_wrapped_lines_join_and_indents_open_paragraphs():
    lines = ocr.visual_lines([
        box(100, 100, 900, "（一）本年财政拨款收入101,673.03万元，比上年"),
        box(60, 130, 900, "增加2,669.85万元。"),  # wrapped: starts at the left edge
        box(100, 160, 500, "1.一般公共预算拨款收入0万元。"),  # numbered: a new paragraph
        box(60, 190, 200, "项目"), box(700, 190, 900, "51.30"),  # two cells far apart: a table row
    ])
    blocks = ocr.lines_to_blocks(lines, "p5~ocr")
    assert isinstance(blocks[0], Para) and blocks[0].text == "（一）本年财政拨款收入101,673.03万元，比上年增加2,669.85万元。"
    assert isinstance(blocks[1], Para) and blocks[1].text.startswith("1.一般公共预算")
    assert isinstance(blocks[2], Table) and blocks[2].rows[0].texts == ["项目", "51.30"]
    assert {b.where for b in blocks} == {"p5~ocr"}


def blank_pdf(pages: int) -> bytes:
    pdfium = pytest.importorskip("pypdfium2")
    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(595, 842)
    import io

    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def make(blocks):
    return Document("d", "scan.pdf", "0" * 64, "pdf", "", blocks, 2, 1)


FLAG = [Issue("needs-ocr", "d", "scan.pdf", "scan.pdf: no text layer")]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GENERATOR_OCR_CACHE", str(tmp_path / "ocr"))
    return tmp_path / "ocr"


def test_pages_read_by_ocr_are_marked_and_cached(cache):
    calls = []

    def fake(image):
        calls.append(image.shape)
        return [box(60, 100, 500, "2026年度部门预算信息公开")]

    data = blank_pdf(2)
    doc, issues = ocr.apply(data, None, FLAG, make, fake)
    assert doc is not None and [b.where for b in doc.blocks] == ["p1~ocr", "p2~ocr"]
    assert [i.code for i in issues] == ["ocr-text"]
    ocr.apply(data, None, FLAG, make, fake)
    assert len(calls) == 1  # both blank pages render the same image: read once, then from the cache


def test_a_page_ocr_cannot_read_stays_needs_ocr(cache):
    doc, issues = ocr.apply(blank_pdf(1), None, FLAG, make, lambda image: [])
    assert doc is None
    assert [i.code for i in issues] == ["needs-ocr"] and "p1" in issues[0].message


def test_ocr_pages_merge_in_page_order(cache):
    own = make((Para("第一页文字", "p1"), Para("第三页文字", "p3")))
    read = {2: [Para("扫描页", "p2~ocr")]}
    assert [b.where for b in ocr.merge(own, read, make).blocks] == ["p1", "p2~ocr", "p3"]


@pytest.mark.skipif(not (CORPUS / "manifest.json").is_file(), reason="../shared/corpus absent")
def test_real_scanned_page_is_read():
    """One page of corpus 05 (no text layer) through the real PP-OCR models."""
    if not ocr.available():
        pytest.skip("rapidocr-onnxruntime not installed")
    scan = next(CORPUS.glob("05_*.pdf"))
    read, failed = ocr.ocr_pages(scan.read_bytes(), [5])
    text = "".join(b.text for b in read[5] if isinstance(b, Para))
    assert not failed and "101,673.03" in text and "上年结转结余4,950.85万元" in text
