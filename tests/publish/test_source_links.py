"""Provenance links of PDF figures: plain pages, pages read by OCR ('p3~ocr') and twin files ('52.pdf:p3')."""

from __future__ import annotations

from generator.publish.render.md import Page, source_link


def test_pdf_page_links_keep_working_for_ocr_and_twin_files():
    page = Page("docs/x.md", "", url_depth=2)
    plain, scanned, twin = (source_link(page, "d", w, "51.pdf") for w in ("p3", "p3~ocr", "52 表格.pdf:p7"))
    assert plain.href == "../../downloads/raw/51.pdf#page=3"
    assert scanned.href == "../../downloads/raw/51.pdf#page=3" and scanned.text == "p3~ocr"
    # Chinese stays as it is in the href (3 bytes a character, not 9); ASCII that is not URL-safe is encoded
    assert twin.href == "../../downloads/raw/52%20表格.pdf#page=7" and twin.sort == "7"
