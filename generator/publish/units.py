"""Units as the spine: documents grouped by unit, year series, budget against 决算, unit × year comparisons.

SQL over the DuckDB views -> plain models, like `pages`. A unit is identified by its normalized name
(plus unit code where one name carries several codes), see pages.unit_keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..labels import BUDGET_KINDS, METRIC_LABELS, THREE_PUBLIC_LABELS
from .pages import DocSummary, Row, _has, _rows, doc_summaries

# metrics set against each other in the budget-vs-决算 view, in this order
EXECUTION_METRICS = ("expenditure_total", "basic_expenditure", "personnel_expenditure", "public_expenditure",
                     "project_expenditure", "income_total", "fiscal_income")


@dataclass(frozen=True)
class Figure:
    """One amount with the document and line it comes from."""
    amount: Decimal | None
    doc: DocSummary
    line: str | None


@dataclass(frozen=True)
class ExecutionRow:
    label: str
    budget: Figure | None
    final: Figure | None

    @property
    def rate(self) -> Decimal | None:
        """决算数 ÷ 预算数, as a percentage; None without both or with a zero budget."""
        if not self.budget or not self.final or self.budget.amount in (None, 0) or self.final.amount is None:
            return None
        return Decimal(self.final.amount) / Decimal(self.budget.amount) * 100


@dataclass(frozen=True)
class Execution:
    year: int
    budget: DocSummary
    final: DocSummary
    rows: list[ExecutionRow]


@dataclass(frozen=True)
class Unit:
    key: str
    name: str
    slug: str  # units/<slug>
    region: str | None
    level: str  # 部门 / 单位
    docs: list[DocSummary]
    totals: dict[str, dict[str, Figure]] = field(default_factory=dict)  # doc_id -> metric -> figure
    three_public: dict[str, dict[str, Figure]] = field(default_factory=dict)  # doc_id -> category -> (own year)
    functions: dict[str, list[Row]] = field(default_factory=dict)  # doc_id -> level-1 rows
    executions: list[Execution] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return sorted({d.year for d in self.docs if d.year})

    @property
    def redirects(self) -> bool:
        """A unit of one document: its page (units/<slug>/) only redirects to the document page, which
        shows everything the unit page would (see DocSummary.unit_page)."""
        return len(self.docs) == 1

    @property
    def href(self) -> str:
        """Site path a link to the unit goes to: its page, or its one document's page."""
        return self.docs[0].path + "/" if self.redirects else self.slug + "/"


def _figures(con, table: str, col: str, amount: str, docs: dict[str, DocSummary], where: str = "") -> dict[str, dict[str, Figure]]:
    out: dict[str, dict[str, Figure]] = {}
    if not _has(con, table):
        return out
    for r in _rows(con, f"SELECT * FROM {table} {where} ORDER BY doc_id, {col}"):
        d = docs.get(r["doc_id"])
        if d is None or r[col] in out.get(d.doc_id, {}):
            continue
        out.setdefault(d.doc_id, {})[r[col]] = Figure(r[amount], d, r["source_line"])
    return out


def _executions(docs: list[DocSummary], totals: dict[str, dict[str, Figure]],
                three: dict[str, dict[str, Figure]]) -> list[Execution]:
    """Every year holding both a budget and a 决算 of the unit: the 决算 set against the budget."""
    out = []
    for year in sorted({d.year for d in docs if d.year}):
        finals = [d for d in docs if d.year == year and d.doc_kind == "final_accounts"]
        budgets = sorted((d for d in docs if d.year == year and d.doc_kind in BUDGET_KINDS),
                         key=lambda d: (BUDGET_KINDS.index(d.doc_kind or ""), d.doc_id))
        if not finals or not budgets:
            continue
        b, f = budgets[0], finals[0]
        rows = []
        for m in EXECUTION_METRICS:
            bf, ff = totals.get(b.doc_id, {}).get(m), totals.get(f.doc_id, {}).get(m)
            if bf or ff:
                rows.append(ExecutionRow(METRIC_LABELS.get(m, m), bf, ff))
        for c, lab in THREE_PUBLIC_LABELS.items():
            bf, ff = three.get(b.doc_id, {}).get(c), three.get(f.doc_id, {}).get(c)
            if bf or ff:
                rows.append(ExecutionRow(f"“三公”经费：{lab}", bf, ff))
        out.append(Execution(year, b, f, rows))
    return out


def units(con, docs: list[DocSummary] | None = None) -> list[Unit]:
    """docs: doc_summaries(con), when the caller has them."""
    docs = doc_summaries(con) if docs is None else docs
    by_id = {d.doc_id: d for d in docs}
    totals = _figures(con, "budget_totals", "metric", "amount_wan", by_id)
    three: dict[str, dict[str, Figure]] = {}
    if _has(con, "three_public"):
        for r in _rows(con, "SELECT t.* FROM three_public t JOIN documents d USING (doc_id) "
                            "WHERE t.fiscal_year = d.year ORDER BY doc_id, category"):
            three.setdefault(r["doc_id"], {})[r["category"]] = Figure(r["amount_wan"], by_id[r["doc_id"]], r["source_line"])
    funcs: dict[str, list[Row]] = {}
    if _has(con, "expenditure_by_function"):
        for r in _rows(con, "SELECT * FROM expenditure_by_function WHERE level = 1 AND code IS NOT NULL "
                            "ORDER BY doc_id, code"):
            funcs.setdefault(r["doc_id"], []).append(r)
    groups: dict[str, list[DocSummary]] = {}
    for d in docs:
        groups.setdefault(d.unit_key, []).append(d)
    out = []
    for key, ds in sorted(groups.items()):
        ds = sorted(ds, key=lambda d: (d.year or 0, d.doc_kind or "", d.doc_id))
        named = [d.unit_name for d in ds if d.unit_name]
        regions = [d.region for d in ds if d.region]
        out.append(Unit(key, named[-1] if named else key, ds[0].path.rsplit("/", 1)[0], regions[-1] if regions else None,
                        ds[0].unit_level, ds, {d.doc_id: totals.get(d.doc_id, {}) for d in ds},
                        {d.doc_id: three.get(d.doc_id, {}) for d in ds}, {d.doc_id: funcs.get(d.doc_id, []) for d in ds},
                        _executions(ds, totals, three)))
    return out


@dataclass(frozen=True)
class ThreePublicCell:
    current: Figure | None  # the year's own document, its own-year column
    prior: Figure | None  # the next year's document, its prior-year (上年数) column


def three_public_by_unit_year(con, all_units: list[Unit]) -> dict[tuple[str, int], dict[str, ThreePublicCell]]:
    """(unit key, year) -> category -> the year's own figure and the figure a later document prints as 上年数."""
    if not _has(con, "three_public"):
        return {}
    by_id = {d.doc_id: (u, d) for u in all_units for d in u.docs}
    cur: dict[tuple[str, int, str], Figure] = {}
    prior: dict[tuple[str, int, str], Figure] = {}
    for r in _rows(con, "SELECT * FROM three_public ORDER BY doc_id, fiscal_year, category"):
        u, d = by_id[r["doc_id"]]
        if r["fiscal_year"] is None:
            continue
        k = (u.key, int(r["fiscal_year"]), r["category"])
        target = cur if d.year == r["fiscal_year"] else prior if d.year == r["fiscal_year"] + 1 else None
        if target is not None and k not in target:
            target[k] = Figure(r["amount_wan"], d, r["source_line"])
    out: dict[tuple[str, int], dict[str, ThreePublicCell]] = {}
    for k in sorted(set(cur) | set(prior)):
        out.setdefault((k[0], k[1]), {})[k[2]] = ThreePublicCell(cur.get(k), prior.get(k))
    return out


def sum_of(figs: list[Any]) -> Decimal | None:
    vals = [f.amount for f in figs if f is not None and f.amount is not None]
    return sum(vals, Decimal(0)) if vals else None
