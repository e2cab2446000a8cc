"""Parse: a file -> Document (readers) -> sections -> grids -> contract records.

Nothing here knows about pages or the site. ``parse_document`` is the whole chain for one
document read by ``readers.read``; ``outline`` is the list of titled parts it found.
"""

from __future__ import annotations

from typing import Any

from ..model import Document, Heading, Issue
from . import records, sections, tables

Rows = dict[str, list[dict[str, Any]]]


def outline(doc: Document, secs: list[sections.Section] | None = None) -> list[Heading]:
    """The titled parts of a document, each with every kind of part its heading names, then the
    tables the document declares empty (a 空表 list, or '本表为空表' under a table's title)."""
    secs = sections.document_to_sections(doc) if secs is None else secs
    heads = [Heading(tuple(sections.heading_kinds(s.title)) or (s.kind,), s.title, s.where, sections.empty_note(s))
             for s in secs if s.title]
    return heads + sections.empty_table_list(secs)


def parse_document(doc: Document) -> tuple[Rows, list[Heading], list[Issue]]:
    """A read document -> its contract rows, its outline and the issues met on the way."""
    secs = sections.document_to_sections(doc)
    grids = tables.sections_to_grids(doc, secs)
    out, issues = records.extract(doc, secs, grids)
    return out, outline(doc, secs), issues
