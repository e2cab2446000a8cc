"""Grids and prose -> typed contract rows (Decimal 万元, provenance kept).

Records know nothing about files: they read sections and grids. Each family of tables
lives in its own module; this one holds the document-level facts and the orchestration.
"""

from __future__ import annotations

import re
from typing import Any

from ...model import Document, Issue
from ..sections import Section
from ..tables import Grid
from . import finance, projects
from .context import Context
from .identity import amount_unit, doc_wheres, identify, region_of, units_rows

Rows = dict[str, list[dict[str, Any]]]
OCR_WHERE = re.compile(r"^(?:.*:)?p(\d+)~ocr$")


def ocr_pages(doc: Document) -> str | None:
    """'p1,p2': the pages read by OCR (their blocks are stamped 'p<n>~ocr', see readers/ocr.py)."""
    wheres = doc_wheres(doc)
    if "~ocr" not in "\n".join(wheres):
        return None  # (one test of all the wheres at once: no page was read by OCR)
    pages = sorted({int(m.group(1)) for w in wheres if "~ocr" in w and (m := OCR_WHERE.search(w))})
    return ",".join(f"p{n}" for n in pages) or None


def extract(doc: Document, secs: list[Section], grids: list[Grid]) -> tuple[Rows, list[Issue]]:
    issues: list[Issue] = []
    ident = identify(doc, secs)
    code, name, year, kind, title = ident.unit_code, ident.unit_name, ident.year, ident.kind, ident.title
    unit = amount_unit(doc)
    if year is None:
        issues.append(Issue("year-not-found", doc.doc_id, doc.source_file, f"{doc.source_file}: no budget year found"))
    if name is None:
        issues.append(Issue("unit-not-found", doc.doc_id, doc.source_file, f"{doc.source_file}: no unit name found"))
    ctx = Context(doc=doc, year=year, unit=unit, unit_name=name, issues=issues)
    out: Rows = {
        "documents": [{
            "doc_id": doc.doc_id, "source_file": doc.source_file, "source_sha256": doc.source_sha256,
            "source_format": doc.source_format, "unit_code": code, "unit_name": name, "year": year,
            "doc_kind": kind, "region": region_of(name), "amount_unit": unit, "parse_warnings": 0,
            "title": title or None, "encoding": doc.encoding or None, "source_size": doc.source_size,
            "ocr_pages": ocr_pages(doc), "twin_files": "; ".join(doc.parts) or None,
        }],
        "units": units_rows(doc, grids),
    }
    for family in (finance, projects):
        try:
            out.update(family.extract(ctx, secs, grids))
        except Exception as e:  # noqa: BLE001 - one failing family never drops the document
            ctx.warn("record-crash", "", f"{family.__name__.rsplit('.', 1)[-1]}: {type(e).__name__}: {e}"[:300])
    if not any(rows for t, rows in out.items() if t != "documents"):
        issues.append(Issue("no-budget-content", doc.doc_id, doc.source_file,
                            f"{doc.source_file}: read, but no budget figure, table or performance target was "
                            "recognised in it (is it a budget disclosure?)"))
    elif kind != "performance" and not any(out.get(t) for t in ("budget_totals", "projects")):
        issues.append(Issue("table-not-found", doc.doc_id, doc.source_file,
                            f"{doc.source_file}: no budget figures or project tables recognised"))
    return out, issues
