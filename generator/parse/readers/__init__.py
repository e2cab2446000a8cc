"""read(path) -> (Document | None, issues): sniff format and encoding, dispatch to a reader.

Readers know nothing about budgets: they turn bytes into paragraphs and tables of
cells, each stamped with its source line (text) or page (PDF/DOCX).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import stat
from pathlib import Path

from ...model import Document, Issue
from . import text as text_reader

MAX_TEXT_BYTES = 20 * 1024 * 1024  # a disclosure's text is < 1 MB; refuse anything absurd
MAX_BINARY_BYTES = 100 * 1024 * 1024

DOC_ID_HEX = 16  # 64 bits of the content hash: two different files never share an id in practice


def make_doc_id(sha256: str) -> str:
    """Stable, URL-safe id from the file's content hash: never from its name, so `X.txt` beside `X.pdf`,
    names differing in case or `x.y` beside `x-y` stay apart; identical content is a duplicate."""
    return "doc-" + sha256[:DOC_ID_HEX]


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file, refusing symlinks (O_NOFOLLOW), devices, pipes and sockets on the
    opened descriptor itself, so nothing can be swapped in between the check and the read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(f"not a regular file (mode {stat.filemode(st.st_mode)})")
        if st.st_size > limit:
            raise FileTooLarge(st.st_size)
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
        if len(data) > limit:
            raise FileTooLarge(len(data))
        return data
    finally:
        os.close(fd)


class NotRegularFile(OSError):
    pass


class FileTooLarge(OSError):
    pass


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
    """(Document, issues), or (None, issues) naming no document: a file that failed to read has no page."""
    doc, issues = _read(path)
    if doc is None:
        issues = [dataclasses.replace(i, doc_id="") for i in issues]
    return doc, issues


def _read(path: Path) -> tuple[Document | None, list[Issue]]:
    name = path.name
    try:
        if path.is_symlink():
            raise NotRegularFile("a symbolic link")
        data = read_regular(path, MAX_BINARY_BYTES)
    except NotRegularFile as e:
        return None, [Issue("file-refused", "", name, f"{name}: {e}; only regular files are read", "error")]
    except FileTooLarge as e:
        return None, [Issue("file-too-large", "", name,
                            f"{name}: {e} bytes exceeds the {MAX_BINARY_BYTES} byte limit", "error")]
    except OSError as e:
        return None, [Issue("unreadable-file", "", name, f"{name}: cannot read: {e}", "error")]
    size = len(data)
    if size == 0:
        return None, [Issue("empty-file", "", name, f"{name}: the file is empty", "error")]
    sha = hashlib.sha256(data).hexdigest()
    doc_id = make_doc_id(sha)
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
