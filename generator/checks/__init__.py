"""The checks stage: do the numbers add up, and was everything disclosed?

``run_checks(doc, tables, outline)`` is a pure function of one document and its contract rows;
it returns (rows of ``checks``, rows of ``disclosure_items``) in a fixed order.

Statuses: ``pass``; ``rounding`` (off by no more than the rounding of the printed figures,
see ``common``); ``fail``; ``not_applicable``.

When a check row appears (one rule for all):
- document-level checks (``totals.*``, ``projects.sum_vs_project_expenditure``,
  ``disclosure.completeness``) appear for every document whose tables they concern; they are
  ``not_applicable`` when a figure they need is not printed. Families whose table is empty for
  the document (no 三公 rows, no 机关运行经费 rows, no classification rows, no procurement at
  all) emit nothing.
- per-item checks (``project.*:<seq>``, ``<table>.children_sum:<code>``,
  ``three_public.*:<year>``, ``procurement.line_amount:<line>``, ``totals.table_vs_prose:<metric>``)
  appear once for every item that exists, ``not_applicable`` when that item lacks the inputs
  (a project without a spending plan, a metric printed only once).
- ``projects.duplicate_code:<code>`` appears only for codes printed by more than one project.

Check ids (stable):
  totals.income_eq_expenditure, totals.expenditure_eq_basic_plus_project,
  totals.basic_eq_personnel_plus_public, totals.income_parts, totals.fiscal_income_parts,
  totals.table_vs_prose:<metric>, totals.change_parts (emitted only when the prose splits the change),
  expenditure_function.children_sum:<code>, expenditure_function.total_row_sum,
  expenditure_function.row_sum:<code|合计>, income_function.children_sum:<code>,
  income_function.total_row_sum, economic.children_sum:<code>, economic.total_row_sum,
  economic.row_sum:<code|合计>,
  three_public.parts_sum:<year>, three_public.vehicle_sum:<year>,
  operating.items_sum[:<segment>], procurement.sum_vs_stated, procurement.line_amount:<line>,
  projects.sum_vs_project_expenditure, projects.unique_codes, projects.duplicate_code:<code>,
  project.fiscal_plus_other:<seq>, project.plan_monotonic:<seq>, project.plan_ends_100:<seq>,
  project.prose_vs_table:<seq>, project.cost_indicator_vs_budget:<seq>,
  project.indicator_placeholder:<seq>, project.indicator_units:<seq>,
  project.indicator_level_mismatch:<seq>, project.indicator_shared:<seq>,
  project.indicator_copied:<seq>, project.text_copied:<seq>,
  disclosure.completeness.

expected_wan is the stated figure (the total, the table figure), actual_wan the computed
or competing one (the sum, the prose figure, the cost indicator).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..model import Document, Heading
from .disclosure import disclosure_items
from .indicators import indicator_checks
from .projects import project_checks
from .tables import table_checks
from .totals import (
    change_parts_check,
    headline_checks,
    operating_checks,
    procurement_checks,
    table_vs_prose_checks,
    three_public_checks,
)

__all__ = ["run_checks"]


def _has_budget_content(tables: dict[str, list[dict[str, Any]]]) -> bool:
    return bool(tables.get("budget_totals"))


def run_checks(doc: Document, tables: dict[str, list[dict[str, Any]]],
               outline: Sequence[Heading] = ()) -> tuple[list[dict], list[dict]]:
    d = doc.doc_id
    rows: list[dict[str, Any]] = []
    if _has_budget_content(tables):
        rows += headline_checks(d, tables)
    rows += change_parts_check(doc)
    rows += table_vs_prose_checks(doc, tables)
    rows += table_checks(d, tables)
    rows += three_public_checks(d, tables)
    rows += operating_checks(d, tables)
    rows += procurement_checks(doc, tables)
    if tables.get("projects") or _has_budget_content(tables):
        rows += project_checks(d, tables)
    rows += indicator_checks(d, tables)
    items, score = disclosure_items(doc, tables, outline)
    rows.append(score)
    return _dedupe(rows), items


def _dedupe(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep the first row per contract key (doc_id, check_id, source_line)."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for r in rows:
        k = (r["doc_id"], r["check_id"], r["source_line"])
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out
