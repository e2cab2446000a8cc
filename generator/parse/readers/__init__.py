"""read(path) -> (Document | None, issues): sniff format and encoding, dispatch to a reader.

Readers know nothing about budgets: they turn bytes into paragraphs and tables of
cells, each stamped with its source line (text) or page (PDF/DOCX).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ...model import Document, Issue
from . import text as text_reader

MAX_TEXT_BYTES = 20 * 1024 * 1024  # a disclosure's text is < 1 MB; refuse anything absurd
MAX_BINARY_BYTES = 100 * 1024 * 1024

_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def make_doc_id(path: Path, sha256: str) -> str:
    """Stable, URL-safe id: the file stem when it is plain ASCII, else a sha256 prefix."""
    stem = path.stem
    if _SAFE.match(stem) and len(stem) <= 64:
        return stem.lower().replace(".", "-")
    return "doc-" + sha256[:16]


def sniff_kind(data: bytes, suffix: str) -> str:
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx" if suffix in (".docx", ".docm", "") else "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"  # legacy .doc / .xls
    if suffix == ".docx":
        return "docx"  # claims to be docx but is not a zip: the docx reader reports it
    if suffix == ".pdf":
        return "pdf"
    return "text"


def read(path: Path) -> tuple[Document | None, list[Issue]]:
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as e:
        return None, [Issue("unreadable-file", "", name, f"{name}: cannot stat: {e}", "error")]
    if size == 0:
        return None, [Issue("empty-file", "", name, f"{name}: the file is empty", "error")]
    if size > MAX_BINARY_BYTES:
        return None, [Issue("file-too-large", "", name, f"{name}: {size} bytes exceeds the {MAX_BINARY_BYTES} byte limit", "error")]
    try:
        data = path.read_bytes()
    except OSError as e:
        return None, [Issue("unreadable-file", "", name, f"{name}: cannot read: {e}", "error")]
    sha = hashlib.sha256(data).hexdigest()
    doc_id = make_doc_id(path, sha)
    kind = sniff_kind(data, path.suffix.lower())
    if kind == "pdf":
        from . import pdf

        doc, issues = pdf.read_pdf(path, data, doc_id, sha)
        return with_ocr(path, data, doc_id, sha, doc, issues)
    if kind == "docx":
        from . import docx

        return docx.read_docx(path, data, doc_id, sha)
    if kind in ("zip", "ole"):
        what = "a legacy Word/Excel (OLE) file" if kind == "ole" else "a zip archive that is not a .docx"
        return None, [Issue("unknown-format", doc_id, name, f"{name}: {what}; save it as .docx or PDF", "error")]
    if size > MAX_TEXT_BYTES:
        return None, [Issue("file-too-large", doc_id, name, f"{name}: text of {size} bytes exceeds {MAX_TEXT_BYTES}", "error")]
    return text_reader.read_text(path, data, doc_id, sha)


def with_ocr(path: Path, data: bytes, doc_id: str, sha: str, doc: Document | None,
             issues: list[Issue]) -> tuple[Document | None, list[Issue]]:
    """Scanned pages the PDF reader flagged (needs-ocr) read by OCR; see ocr.py. OCR never breaks a read."""
    if not any(i.code == "needs-ocr" for i in issues):
        return doc, issues
    from . import ocr

    def make(blocks: tuple) -> Document:
        return Document(doc_id, path.name, sha, "pdf", "", blocks, ocr.page_count(data), len(data))

    try:
        return ocr.apply(data, doc, issues, make)
    except Exception as e:  # OCR failing leaves the document as the PDF reader read it
        return doc, issues + [Issue("needs-ocr", doc_id, path.name, f"{path.name}: OCR failed: {type(e).__name__}: {e}")]
