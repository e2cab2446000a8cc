"""SQL over the DuckDB views -> page models (plain dataclasses). Every figure on the site comes from here.

The render modules turn these models into Markdown; they know nothing about DuckDB.
Every query has an ORDER BY so two builds of the same data give the same pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .. import contract
from ..labels import DOC_KIND_LABELS

Row = dict[str, Any]



@dataclass(frozen=True)
class DocSummary:
    doc_id: str
    title: str
    unit_name: str | None
    year: int | None
    doc_kind: str | None
    region: str | None
    total: Decimal | None  # expenditure_total, else income_total
    projects: int
    warnings: int


@dataclass(frozen=True)
class HomePage:
    documents: int
    units: int
    years: list[int]
    total_budget: Decimal
    docs: list[DocSummary]


@dataclass(frozen=True)
class DocumentPage:
    summary: DocSummary
    meta: Row  # the documents row
    totals: list[Row]
    units: list[Row]
    functions: list[Row]
    incomes: list[Row]
    economic: list[Row]
    three_public: list[Row]
    operating: list[Row]
    projects: list[Row]
    indicators: dict[int | None, list[Row]]
    procurement: list[Row]
    assets: list[Row]
    checks: list[Row]
    disclosure: list[Row]
    issues: list[Row]
    project_total: Decimal | None = None
    # True: a line-anchored view of the source text exists; a str: the published original
    # (downloads/raw/<file>) whose pages p<n> figures link to (#page=n, PDF viewers open it there)
    has_source_view: bool | str = False


@dataclass(frozen=True)
class CrossPage:
    """A page comparing documents: rows of one query plus the document titles."""
    rows: list[Row]
    titles: dict[str, str]
    extra: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class QualityPage:
    failed: list[Row]
    issues: list[Row]
    counts: list[Row]
    titles: dict[str, str]


@dataclass(frozen=True)
class ScorecardPage:
    items: list[str]
    docs: list[DocSummary]
    present: dict[tuple[str, str], bool]


@dataclass(frozen=True)
class TableFile:
    name: str
    title: str
    doc: str
    rows: int
    parquet_bytes: int
    csv_bytes: int


@dataclass(frozen=True)
class DownloadsPage:
    tables: list[TableFile]
    database_bytes: int
    raw_files: list[Row]


def _rows(con, sql: str, params: list | None = None) -> list[Row]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _has(con, table: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]).fetchone()[0])


def _table(con, table: str, where: str = "", params: list | None = None, order: str = "") -> list[Row]:
    if not _has(con, table):
        return []
    spec = contract.spec(table)
    order = order or ", ".join(f'"{k}" NULLS FIRST' for k in spec.key)
    return _rows(con, f"SELECT * FROM {table} {where} ORDER BY {order}", params)


def title_of(doc: Row) -> str:
    """A uniform display title (unit, year, kind); the printed title is often a section heading."""
    if doc.get("unit_name"):
        year = f" {doc['year']}年" if doc.get("year") else ""
        kind = DOC_KIND_LABELS.get(doc.get("doc_kind") or "", "预算")
        return f"{doc['unit_name']}{year}{kind}"
    if doc.get("title"):
        return str(doc["title"])
    return str(doc["doc_id"])


_SUMMARY_SQL = """
SELECT d.*,
  coalesce((SELECT amount_wan FROM budget_totals b WHERE b.doc_id = d.doc_id AND metric = 'expenditure_total'),
           (SELECT amount_wan FROM budget_totals b WHERE b.doc_id = d.doc_id AND metric = 'income_total')) AS total,
  (SELECT count(*) FROM projects p WHERE p.doc_id = d.doc_id) AS n_projects
FROM documents d ORDER BY d.doc_id
"""


def doc_summaries(con) -> list[DocSummary]:
    if not _has(con, "documents"):
        return []
    out = []
    for r in _rows(con, _SUMMARY_SQL):
        out.append(DocSummary(r["doc_id"], title_of(r), r["unit_name"], r["year"], r["doc_kind"], r["region"],
                              r["total"], int(r["n_projects"]), int(r["parse_warnings"] or 0)))
    return out


def home_page(con) -> HomePage:
    docs = doc_summaries(con)
    units = con.execute("SELECT count(DISTINCT coalesce(unit_code, unit_name, doc_id)) FROM documents").fetchone()[0]
    years = [r[0] for r in con.execute("SELECT DISTINCT year FROM documents WHERE year IS NOT NULL ORDER BY year").fetchall()]
    total = con.execute(
        "SELECT coalesce(sum(amount_wan), 0) FROM budget_totals WHERE metric = 'expenditure_total'").fetchone()[0]
    return HomePage(len(docs), int(units), years, Decimal(total), docs)


def document_pages(con, source_views: set[str] | None = None) -> list[DocumentPage]:
    source_views = source_views or set()
    metas = {r["doc_id"]: r for r in _table(con, "documents")}
    pages = []
    for s in doc_summaries(con):
        w, p = "WHERE doc_id = ?", [s.doc_id]
        indicators: dict[int | None, list[Row]] = {}
        for r in _table(con, "indicators", w, p):
            indicators.setdefault(r["project_seq"], []).append(r)
        pages.append(DocumentPage(
            summary=s, meta=metas[s.doc_id],
            totals=_table(con, "budget_totals", w, p),
            units=_table(con, "units", w, p),
            functions=_table(con, "expenditure_by_function", w, p),
            incomes=_table(con, "income_by_function", w, p),
            economic=_table(con, "expenditure_by_economic", w, p),
            three_public=_table(con, "three_public", w, p),
            operating=_table(con, "operating_expenses", w, p),
            projects=_table(con, "projects", w, p),
            indicators=indicators,
            procurement=_table(con, "procurement", w, p),
            assets=_table(con, "assets", w, p),
            checks=_table(con, "checks", w, p),
            disclosure=_table(con, "disclosure_items", w, p),
            issues=_table(con, "parse_issues", w, p),
            project_total=con.execute("SELECT sum(budget_wan) FROM projects WHERE doc_id = ?", p).fetchone()[0],
            has_source_view=True if s.doc_id in source_views else _pdf_file(con, s.doc_id),
        ))
    return pages


def _pdf_file(con, doc_id: str) -> str | bool:
    row = con.execute("SELECT source_file, source_format FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
    return row[0] if row and row[1] == "pdf" else False


def titles(con) -> dict[str, str]:
    return {d.doc_id: d.title for d in doc_summaries(con)}


def three_public_page(con) -> CrossPage:
    rows = _table(con, "three_public", order="doc_id, fiscal_year, category")
    return CrossPage(rows, titles(con))


def projects_page(con) -> CrossPage:
    rows = _table(con, "projects", order="budget_wan DESC NULLS LAST, doc_id, project_seq")
    return CrossPage(rows, titles(con))


def procurement_page(con) -> CrossPage:
    if not _has(con, "procurement"):
        return CrossPage([], titles(con))
    by_cat = _rows(con, """
        SELECT doc_id, coalesce(category, '未分类') AS category, count(*) AS n, sum(amount_wan) AS amount_wan
        FROM procurement GROUP BY ALL ORDER BY doc_id, category""")
    items = _table(con, "procurement", order="doc_id, amount_wan DESC NULLS LAST, source_line")
    return CrossPage(by_cat, titles(con), items)


def quality_page(con) -> QualityPage:
    failed = _table(con, "checks", "WHERE status = 'fail'")
    issues = _table(con, "parse_issues")
    counts = []
    if _has(con, "checks"):
        counts = _rows(con, "SELECT doc_id, status, count(*) AS n FROM checks GROUP BY ALL ORDER BY doc_id, status")
    return QualityPage(failed, issues, counts, titles(con))


def scorecard_page(con) -> ScorecardPage:
    rows = _table(con, "disclosure_items")
    items = sorted({r["item"] for r in rows})
    present = {(r["doc_id"], r["item"]): bool(r["present"]) for r in rows}
    return ScorecardPage(items, doc_summaries(con), present)


def table_row_counts(con) -> dict[str, int]:
    return {t.name: int(con.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0])
            for t in contract.TABLES if _has(con, t.name)}


def raw_files(con) -> list[Row]:
    if not _has(con, "documents"):
        return []
    return _rows(con, "SELECT doc_id, source_file, source_sha256, source_size FROM documents ORDER BY source_file")
