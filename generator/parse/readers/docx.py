"""Original Word (.docx) disclosures -> paragraphs and tables of cells, stamped by position.

The body is walked in order, paragraphs and tables interleaved, and yields the same
blocks as the Word text extraction (readers/text.py, shape ``word_text``):
- Para(text, "para<i>") for each non-empty body paragraph (i: 1-based position
  among the body's paragraphs, empty ones counted);
- Table(rows, "t<k>") with one Row per table row and one Cell per grid column,
  ``where`` = "t<k>r<r>c<c>" (all 1-based). A horizontally merged cell (gridSpan)
  keeps its text in its first column and leaves the spanned columns as empty
  cells; a vertically merged cell (vMerge) keeps its text in the first row and the
  continued cells below are empty — exactly what the text extraction leaves.
  Paragraphs inside a cell are joined with "\\n".

The reader never raises: a bad file becomes an Issue and ``None``.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...model import Cell, Document, Issue, Para, Row, Table
from .text import clean_line

MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # sum of uncompressed part sizes (zip bombs)
MAX_BYTES = 100 * 1024 * 1024
# NOTE: the largest real disclosure seen (a 60-page 部门预算 .docx) holds < 3 MB of XML; parsing XML costs
# ~20x its size in memory, so 150 MB of XML took 3 GB. The cap applies to the uncompressed XML parts.
MAX_XML_BYTES = 20 * 1024 * 1024
MAIN_PART = "word/document.xml"
# A gridSpan cell is followed by span-1 empty cells so every row has one cell per grid
# column and columns stay aligned.
# NOTE: seed 000 (a real Word text extraction) writes ONE line per w:tc, so its rows
# are ragged where cells span columns (项目编码 row: 4 cells, 预算规模 row: 7 cells);
# set False to reproduce that shape exactly. Vertical-merge continuations are empty
# cells in both shapes.
GRID_ALIGNED = True

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, TBL, TR, TC, SDT, SDT_CONTENT, CUSTOM_XML = (
    _q("p"),
    _q("tbl"),
    _q("tr"),
    _q("tc"),
    _q("sdt"),
    _q("sdtContent"),
    _q("customXml"),
)
T, TAB, BR, CR = _q("t"), _q("tab"), _q("br"), _q("cr")
# Subtrees whose text is not part of the printed paragraph: deleted revisions, field
# instructions, and the Fallback copy of mc:AlternateContent (the Choice is read).
_SKIP = {_q("del"), _q("moveFrom"), _q("instrText"), _q("delText"), f"{{{MC}}}Fallback", _q("pPr"), _q("rPr")}


def _issue(code: str, doc_id: str, where: str, message: str, severity: str = "error") -> Issue:
    return Issue(code, doc_id, where, message, severity)  # type: ignore[arg-type]


def _children(el: Any) -> Iterator[Any]:
    """Block-level children, looking through content controls and custom XML wrappers."""
    for ch in el:
        if ch.tag == SDT:
            content = ch.find(SDT_CONTENT)
            if content is not None:
                yield from _children(content)
        elif ch.tag == CUSTOM_XML:
            yield from _children(ch)
        else:
            yield ch


def paragraph_text(p: Any) -> str:
    """Text of one w:p as printed: runs, tabs as spaces, breaks as newlines."""
    parts: list[str] = []

    def walk(el: Any) -> None:
        for ch in el:
            tag = ch.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == T:
                parts.append(ch.text or "")
            elif tag == TAB:
                parts.append(" ")
            elif tag == _q("noBreakHyphen"):
                parts.append("-")
            elif tag in (BR, CR):
                parts.append("\n")
            else:
                walk(ch)

    walk(p)
    lines = [clean_line(s).strip() for s in "".join(parts).split("\n")]
    return "\n".join(s for s in lines if s)


def _int_attr(el: Any, child: str, default: int) -> int:
    node = el.find(child) if el is not None else None
    if node is None:
        return default
    try:
        return max(int(node.get(_q("val"), default)), 0)
    except (TypeError, ValueError):
        return default


def _cell_text(tc: Any) -> str:
    """All paragraphs of a cell (nested tables flattened row by row), joined with newlines."""
    out: list[str] = []
    for ch in _children(tc):
        if ch.tag == P:
            t = paragraph_text(ch)
            if t:
                out.append(t)
        elif ch.tag == TBL:
            for tr in _children(ch):
                if tr.tag == TR:
                    cells = [_cell_text(c) for c in _children(tr) if c.tag == TC]
                    line = " ".join(c.replace("\n", " ") for c in cells if c)
                    if line:
                        out.append(line)
    return "\n".join(out)


def _is_vmerge_continue(tc: Any) -> bool:
    tcpr = tc.find(_q("tcPr"))
    vm = tcpr.find(_q("vMerge")) if tcpr is not None else None
    if vm is None:
        return False
    return vm.get(_q("val"), "continue") != "restart"


def table_to_rows(tbl: Any, table_index: int) -> list[Row]:
    """One w:tbl -> rows with one Cell per grid column (merged continuations empty)."""
    grid = tbl.find(_q("tblGrid"))
    width = len(grid.findall(_q("gridCol"))) if grid is not None else 0
    rows: list[Row] = []
    r = 0
    for tr in _children(tbl):
        if tr.tag != TR:
            continue
        r += 1
        trpr = tr.find(_q("trPr"))
        texts: list[str] = [""] * _int_attr(trpr, _q("gridBefore"), 0)
        for tc in _children(tr):
            if tc.tag != TC:
                continue
            tcpr = tc.find(_q("tcPr"))
            span = max(_int_attr(tcpr, _q("gridSpan"), 1), 1)
            texts.append("" if _is_vmerge_continue(tc) else _cell_text(tc))
            if GRID_ALIGNED:
                texts.extend([""] * (span - 1))
        texts.extend([""] * _int_attr(trpr, _q("gridAfter"), 0))
        if GRID_ALIGNED and width and len(texts) < width:
            texts.extend([""] * (width - len(texts)))
        where = f"t{table_index}r{r}"
        cells = tuple(Cell(t, f"{where}c{c}") for c, t in enumerate(texts, 1))
        rows.append(Row(cells, where))
    return rows


def body_to_blocks(body: Any) -> list[Para | Table]:
    blocks: list[Para | Table] = []
    n_para = 0
    n_table = 0
    for el in _children(body):
        if el.tag == P:
            n_para += 1
            text = paragraph_text(el)
            # A manual line break makes a new line in the Word text extraction, and so
            # a new Para there; do the same (both keep the paragraph's position).
            blocks.extend(Para(line, f"para{n_para}") for line in text.split("\n") if line)
        elif el.tag == TBL:
            n_table += 1
            rows = table_to_rows(el, n_table)
            if rows:
                blocks.append(Table(tuple(rows), f"t{n_table}"))
    return blocks


def _check_zip(data: bytes, name: str, doc_id: str) -> list[Issue]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        if not data.startswith(b"PK"):
            return [_issue("unreadable-file", doc_id, name, f"{name}: not a .docx (not a zip archive)")]
        return [_issue("unreadable-file", doc_id, name, f"{name}: not a readable .docx (broken zip archive: {e})")]
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        unpacked = sum(i.file_size for i in infos)
        if unpacked > MAX_UNPACKED_BYTES:
            return [
                _issue(
                    "file-too-large",
                    doc_id,
                    name,
                    f"{name}: unpacks to {unpacked} bytes, over the {MAX_UNPACKED_BYTES} byte limit (zip bomb?)",
                )
            ]
        xml = sum(i.file_size for i in infos if i.filename.lower().endswith((".xml", ".rels")))
        if xml > MAX_XML_BYTES:
            return [_issue("file-too-large", doc_id, name,
                           f"{name}: {xml} bytes of XML, over the {MAX_XML_BYTES} byte limit")]
        if MAIN_PART not in names:
            return [
                _issue(
                    "unreadable-file", doc_id, name, f"{name}: a zip archive without {MAIN_PART}; not a Word document"
                )
            ]
        bad = zf.testzip()
        if bad is not None:
            return [_issue("unreadable-file", doc_id, name, f"{name}: corrupt .docx: part {bad} fails its CRC check")]
    return []


def read_docx(path: Path, data: bytes, doc_id: str, sha: str) -> tuple[Document | None, list[Issue]]:
    """.docx bytes -> (Document, issues); (None, issues) when the file cannot be read."""
    name = path.name
    try:
        if len(data) > MAX_BYTES:
            return None, [
                _issue("file-too-large", doc_id, name, f"{name}: {len(data)} bytes exceeds the {MAX_BYTES} byte limit")
            ]
        if not data:
            return None, [_issue("empty-file", doc_id, name, f"{name}: the file is empty")]
        problems = _check_zip(data, name, doc_id)
        if problems:
            return None, problems
        import docx  # python-docx

        try:
            document = docx.Document(io.BytesIO(data))
        except Exception as e:
            return None, [
                _issue("unreadable-file", doc_id, name, f"{name}: not a readable .docx: {type(e).__name__}: {e}"[:400])
            ]
        blocks = body_to_blocks(document.element.body)
        if not blocks:
            return None, [_issue("empty-file", doc_id, name, f"{name}: the document body has no text")]
        n_paras = sum(1 for el in _children(document.element.body) if el.tag == P)
        return Document(doc_id, name, sha, "docx", "", tuple(blocks), n_paras, len(data)), []
    except Exception as e:  # never raise: a reader bug is reported against the file
        return None, [
            _issue("unreadable-file", doc_id, name, f"{name}: .docx reader failed: {type(e).__name__}: {e}"[:400])
        ]
