"""One budget in two files -> one Document.

Some publishers print a budget as a text booklet and a separate table book: Jiangsu's
'公开文件' + '公开表格' (corpus 51 + 52), Beijing's 附件1 说明 + 附件2 报表 (corpus 05 + 04).
After reading and before parsing, two files of the same unit, year and kind, one all
prose and the other all tables, become one Document:

- the booklet (the file whose cover names the unit, else the first by name) is the primary:
  the document keeps its doc_id, source_file and sha256; the other file is listed in
  ``Document.parts`` (``documents.twin_files``);
- the table book's blocks follow the booklet's, every ``where`` prefixed with its file name
  (``52_….pdf:p3``), so every row says which file it was read from;
- a table book that prints no unit name or no year takes them from its twin (the merged
  document is identified from the booklet's cover).

Only unambiguous pairs are joined: exactly one candidate on each side.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..model import Block, Cell, Document, Issue, Para, Row, Table
from . import sections
from .records.identity import Identity, doc_texts, identify, read_cover

# A file is all prose (a booklet) or all tables (a table book) when the other kind of text is
# less than this share of its characters.
# NOTE: corpus 51 (booklet) has no table cell at all, corpus 52 (table book) 12 paragraph characters
# against 4,259 in cells; a complete budget disclosure (corpus 10, 26 …) has 40-60% of each.
ONE_SIDED_SHARE = 0.1


@dataclass(frozen=True)
class Read:
    """One file as read: its name, its Document (None when unreadable) and the reader's issues."""

    name: str
    doc: Document | None
    issues: list[Issue]


def side(doc: Document) -> str | None:
    """'prose' (a text booklet), 'tables' (a table book) or None (both, or neither)."""
    para = sum(len(b.text) for b in doc.blocks if isinstance(b, Para))
    total = sum(map(len, doc_texts(doc)))  # every paragraph and cell (kept from identifying it)
    cells = total - para
    if not total:
        return None
    if cells / total < ONE_SIDED_SHARE:
        return "prose"
    if para / total < ONE_SIDED_SHARE:
        return "tables"
    return None


def _norm(name: str | None) -> str | None:
    return name.replace("（", "(").replace("）", ")") if name else None


def same_unit(a: str | None, b: str | None) -> bool:
    """Equal names, one ending the other ('江苏省委办公厅' / '中共江苏省委办公厅'), or one not printed."""
    a, b = _norm(a), _norm(b)
    if a is None or b is None:
        return True
    return a == b or a.endswith(b) or b.endswith(a)


def twins_of(book: Identity, booklet: Identity) -> bool:
    if book.kind != booklet.kind or (book.unit_name is None and book.year is None):
        return False
    return (book.year is None or book.year == booklet.year) and same_unit(book.unit_name, booklet.unit_name)


def _prefix(where: str, name: str) -> str:
    return f"{name}:{where}"


def prefixed(blocks: tuple[Block, ...], name: str) -> tuple[Block, ...]:
    """Blocks with every where prefixed by the file they come from."""
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Para):
            out.append(Para(b.text, _prefix(b.where, name)))
        else:
            rows = tuple(Row(tuple(Cell(c.text, _prefix(c.where, name)) for c in r.cells), _prefix(r.where, name))
                         for r in b.rows)
            out.append(Table(rows, _prefix(b.where, name)))
    return tuple(out)


def merge(primary: Document, other: Document) -> Document:
    return replace(primary, blocks=primary.blocks + prefixed(other.blocks, other.source_file),
                   parts=primary.parts + (other.source_file,))


def _identity(doc: Document) -> Identity:
    return identify(doc, sections.document_to_sections(doc))


def join(files: list[Read]) -> list[Read]:
    """The files with each unambiguous booklet + table book pair joined into one (in the booklet's place).
    Pairing never breaks a build: on any error the files are parsed one by one, as read."""
    try:
        return _join(files)
    except Exception as e:  # a pairing bug must not lose the files: report it, parse them one by one
        if not files:
            return files
        first = files[0]
        note = Issue("twin-files", first.doc.doc_id if first.doc else "", first.name,
                     f"pairing text booklets with table books failed: {type(e).__name__}: {e}", "warning")
        return [Read(first.name, first.doc, first.issues + [note]), *files[1:]]


def identity(doc: Document) -> Identity:
    """What pairing compares (unit, year, kind): small, kept per file so a build can pair files
    without holding their Documents."""
    return _identity(doc)


def pairs(books: list[tuple[int, Identity]], booklets: list[tuple[int, Identity]]) -> list[tuple[int, int]]:
    """(booklet, table book) indices of every unambiguous pair: exactly one candidate on each side."""
    out: list[tuple[int, int]] = []
    for bi, bid in books:
        cands = [li for li, lid in booklets if twins_of(bid, lid)]
        if len(cands) == 1:
            lid = next(ident for i, ident in booklets if i == cands[0])
            if sum(1 for _, b2 in books if twins_of(b2, lid)) == 1:
                out.append((cands[0], bi))
    return out


def _join(files: list[Read]) -> list[Read]:
    docs = [(i, f.doc, side(f.doc)) for i, f in enumerate(files) if f.doc is not None]
    found = pairs([(i, _identity(d)) for i, d, s in docs if s == "tables"],
                  [(i, _identity(d)) for i, d, s in docs if s == "prose"])
    if not found:
        return files
    out = list(files)
    for li, bi in found:
        booklet, book = files[li], files[bi]
        assert booklet.doc is not None and book.doc is not None
        first, second = (booklet, book) if read_cover(booklet.doc).unit_name or booklet.name < book.name else (book, booklet)
        assert first.doc is not None and second.doc is not None
        note = Issue("twin-files", first.doc.doc_id, second.name,
                     f"{first.name} + {second.name}: one budget in two files (text and tables), parsed as one document; "
                     f"rows read from {second.name} carry '{second.name}:' in source_line", "info")
        out[li] = Read(first.name, merge(first.doc, second.doc), first.issues + [note])
        out[bi] = Read(second.name, None, second.issues)
    return out

