"""Frozen dataclasses shared by every stage.

A Document is what a reader yields: paragraphs and tables of cells, each stamped
with where it came from (a 1-based text line, or ``p<page>`` for PDF/DOCX), so
that every figure the build publishes can be traced back to its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Where = str  # "57" (text line), "p3" (PDF page), "para12" / "t3r2c1" (DOCX paragraph / table cell)


@dataclass(frozen=True)
class Cell:
    text: str
    where: Where

    @property
    def empty(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    where: Where

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    @property
    def width(self) -> int:
        return len(self.cells)

    def is_blank(self) -> bool:
        return all(c.empty for c in self.cells)


@dataclass(frozen=True)
class Para:
    text: str
    where: Where
    kind: Literal["para"] = "para"


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]
    where: Where
    kind: Literal["table"] = "table"


Block = Para | Table


def block_texts(blocks: tuple[Block, ...] | list[Block]) -> list[tuple[str, Where]]:
    """(text, where) of every paragraph and table cell, in document order."""
    out: list[tuple[str, Where]] = []
    for b in blocks:
        if isinstance(b, Para):
            out.append((b.text, b.where))
        else:
            out.extend((c.text, c.where) for r in b.rows for c in r.cells)
    return out


@dataclass(frozen=True)
class Heading:
    """A titled part the parser found: what it names (best first), its printed title, where.
    The outline of a document is what checks read to know which parts it discloses. ``empty`` is
    the reason given when the document publishes the part as an empty table (空表)."""

    kinds: tuple[str, ...]
    title: str
    where: Where
    empty: str | None = None


@dataclass(frozen=True)
class Document:
    doc_id: str
    source_file: str
    source_sha256: str
    source_format: str  # word_text | pdf_text | pdf | docx
    encoding: str
    blocks: tuple[Block, ...]
    line_count: int = 0
    source_size: int = 0
    parts: tuple[str, ...] = ()  # other files joined into this document (a twin table book, parse/twins.py)


@dataclass(frozen=True)
class Issue:
    """A problem found while reading or parsing; never raised, always collected."""

    code: str  # stable: unreadable-file, unknown-format, encoding-fallback, ...
    doc_id: str
    where: str
    message: str
    severity: Literal["error", "warning", "info"] = "warning"

