"""SQL over the DuckDB views -> page models (plain dataclasses). Every figure on the site comes from here.

The render modules turn these models into Markdown; they know nothing about DuckDB.
Every query has an ORDER BY so two builds of the same data give the same pages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import contract
from ..labels import DOC_KIND_LABELS, DOC_KIND_SLUGS, check_group

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
    unit_key: str = ""  # the unit this document belongs to (normalized name, plus code when names collide)
    path: str = ""  # units/<unit slug>/<year>-<kind>: the page's place on the site
    fails: int = 0  # number mismatches (checks failed in group "number")
    flags: int = 0  # other failed checks (indicator and text quality, disclosure)
    # True: a line-anchored view of the source text exists (<path>/source/); a str: the published
    # original (downloads/raw/<file>) whose pages p<n> figures link to (#page=n); False: neither
    view: bool | str = False
    source_file: str = ""
    unit_docs: int = 1  # documents of its unit
    unit_level: str = ""  # 部门 / 单位 (unit_level)

    @property
    def unit_page(self) -> str | None:
        """The unit's page (units/<unit slug>/), or None when the unit has this one document: its unit page
        only redirects here (render.units.unit_page), so nothing links to it."""
        return self.path.rsplit("/", 1)[0] + "/" if self.unit_docs > 1 else None


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
    """A page comparing documents: rows of one query plus the documents by id."""
    rows: list[Row]
    docs: dict[str, DocSummary]
    extra: list[Row] = field(default_factory=list)
    total_rows: int = 0  # rows before a cap (list pages stay small; the downloads hold all)


@dataclass(frozen=True)
class QualityPage:
    failed: list[Row]  # fail and rounding
    issues: list[Row]
    counts: list[Row]
    docs: dict[str, DocSummary]


@dataclass(frozen=True)
class ScorecardPage:
    items: list[str]
    docs: list[DocSummary]
    present: dict[tuple[str, str], bool]
    empty: dict[tuple[str, str], str] = field(default_factory=dict)  # published as an empty table: the reason


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
    raw_files: list[Row]
    parquet_zip_bytes: int = 0  # budget.sql and every Parquet file in one ZIP


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


_SLUG_UNSAFE = re.compile(r"[^\w]+")


def norm_unit(name: str | None) -> str:
    """A unit name as printed -> the form documents are matched on (NFKC, no spaces)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))


def slug(text: str) -> str:
    """A readable URL segment: word characters (CJK included) kept, the rest joined by '-'."""
    return _SLUG_UNSAFE.sub("-", unicodedata.normalize("NFKC", text)).strip("-").lower() or "x"


def unit_keys(docs: list[Row]) -> dict[str, str]:
    """doc_id -> unit key. Documents of one normalized name are one unit, unless they carry different
    unit codes: then each code is its own unit (documents without a code join the first)."""
    codes: dict[str, list[str]] = {}
    for d in docs:
        if d.get("unit_code"):
            codes.setdefault(norm_unit(d.get("unit_name")), [])
            if d["unit_code"] not in codes[norm_unit(d.get("unit_name"))]:
                codes[norm_unit(d.get("unit_name"))].append(str(d["unit_code"]))
    out = {}
    for d in docs:
        name = norm_unit(d.get("unit_name"))
        if not name:
            out[d["doc_id"]] = f"{d['unit_code']}" if d.get("unit_code") else str(d["doc_id"])
            continue
        known = sorted(codes.get(name, []))
        code = str(d["unit_code"]) if d.get("unit_code") else (known[0] if known else "")
        out[d["doc_id"]] = f"{name}~{code}" if len(known) > 1 else name
    return out


def unit_level(kinds: set[str | None]) -> str:
    """部门 when the unit publishes a 部门预算 or 部门决算 (it answers for a department), else 单位."""
    return "部门" if "dept_budget" in kinds or "final_accounts" in kinds else "单位"


def doc_paths(docs: list[Row], keys: dict[str, str]) -> dict[str, str]:
    """doc_id -> units/<unit slug>/<year>-<kind>; a repeated slug gets -2, -3 … in doc_id order."""
    unit_slugs: dict[str, str] = {}
    taken: set[str] = set()
    for k in sorted(set(keys.values())):
        s = base = slug(k.replace("~", "-"))
        n = 1
        while s in taken:
            n += 1
            s = f"{base}-{n}"
        unit_slugs[k] = s
        taken.add(s)
    out: dict[str, str] = {}
    used: set[str] = set()
    for d in sorted(docs, key=lambda d: d["doc_id"]):
        kind = DOC_KIND_SLUGS.get(d.get("doc_kind") or "", "doc")
        p = base = f"units/{unit_slugs[keys[d['doc_id']]]}/{d.get('year') or 'nd'}-{kind}"
        n = 1
        while p in used:
            n += 1
            p = f"{base}-{n}"
        used.add(p)
        out[d["doc_id"]] = p
    return out


def _fail_counts(con) -> dict[str, tuple[int, int]]:
    if not _has(con, "checks"):
        return {}
    out: dict[str, list[int]] = {}
    for doc, cid in con.execute("SELECT doc_id, check_id FROM checks WHERE status = 'fail' ORDER BY doc_id, check_id").fetchall():
        out.setdefault(doc, [0, 0])[0 if check_group(cid) == "number" else 1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


TEXT_FORMATS = {"word_text", "pdf_text"}


def _view(doc: Row) -> bool | str:
    if doc.get("source_format") in TEXT_FORMATS:
        return True
    return str(doc["source_file"]) if doc.get("source_format") == "pdf" and doc.get("source_file") else False


def doc_summaries(con) -> list[DocSummary]:
    if not _has(con, "documents"):
        return []
    rows = _rows(con, _SUMMARY_SQL)
    keys = unit_keys(rows)
    paths = doc_paths(rows, keys)
    fails = _fail_counts(con)
    kinds: dict[str, list[str | None]] = {}
    for r in rows:
        kinds.setdefault(keys[r["doc_id"]], []).append(r["doc_kind"])
    out = []
    for r in rows:
        f = fails.get(r["doc_id"], (0, 0))
        k = keys[r["doc_id"]]
        out.append(DocSummary(r["doc_id"], title_of(r), r["unit_name"], r["year"], r["doc_kind"], r["region"],
                              r["total"], int(r["n_projects"]), int(r["parse_warnings"] or 0),
                              k, paths[r["doc_id"]], f[0], f[1], _view(r), r["source_file"] or "",
                              len(kinds[k]), unit_level(set(kinds[k]))))
    return out


def home_page(con, docs: list[DocSummary] | None = None) -> HomePage:
    """docs: doc_summaries(con), when the caller has them (as every page function below)."""
    docs = doc_summaries(con) if docs is None else docs
    units = len({d.unit_key for d in docs})
    years = [r[0] for r in con.execute("SELECT DISTINCT year FROM documents WHERE year IS NOT NULL ORDER BY year").fetchall()]
    total = con.execute(
        "SELECT coalesce(sum(amount_wan), 0) FROM budget_totals WHERE metric = 'expenditure_total'").fetchone()[0]
    return HomePage(len(docs), int(units), years, Decimal(total), docs)


# DocumentPage field -> contract table; each is read once, ordered by document (see document_pages)
_DOC_TABLES = {"totals": "budget_totals", "units": "units", "functions": "expenditure_by_function",
               "incomes": "income_by_function", "economic": "expenditure_by_economic", "three_public": "three_public",
               "operating": "operating_expenses", "projects": "projects", "indicators": "indicators",
               "procurement": "procurement", "assets": "assets", "checks": "checks",
               "disclosure": "disclosure_items", "issues": "parse_issues"}
_BATCH = 2048


def _in_shard(shard: tuple[int, int] | None) -> str:
    """SQL condition: the document falls in shard (k, n), 0 <= k < n (DuckDB's hash is stable)."""
    return "" if shard is None else f" AND hash(doc_id) % {int(shard[1])} = {int(shard[0])}"


def _by_doc(con, table: str, processed: Path | None = None,
            shard: tuple[int, int] | None = None) -> Iterator[tuple[str, list[Row]]]:
    """(doc_id, rows) groups of a table in document order (rows in key order within a document, rows
    sharing a key in file order): one query per table on its own cursor, fetched in batches, so memory
    holds one batch, not the table. processed: the Parquet folder (else the view, ties unordered)."""
    if not _has(con, table):
        return
    spec = contract.spec(table)
    order = ", ".join(['"doc_id"'] + [f'"{k}" NULLS FIRST' for k in spec.key if k != "doc_id"])
    source, params = table, []
    path = processed / f"{table}.parquet" if processed is not None else None
    if path is not None and path.is_file():
        source, params, order = "read_parquet(?, file_row_number = true)", [path.as_posix()], order + ", file_row_number"
    columns = "* EXCLUDE (file_row_number)" if params else "*"  # ordered by it, not fetched
    cur = con.cursor()
    try:
        cur.execute(f"SELECT {columns} FROM {source} WHERE doc_id IS NOT NULL{_in_shard(shard)} ORDER BY {order}", params)
        names = [d[0] for d in cur.description]
        doc: str = ""
        group: list[Row] = []
        while batch := cur.fetchmany(_BATCH):
            for r in batch:
                row = dict(zip(names, r, strict=True))
                if not group or row["doc_id"] != doc:
                    if group:
                        yield doc, group
                    doc, group = str(row["doc_id"]), []
                group.append(row)
        if group:
            yield doc, group
    finally:
        cur.close()


def document_pages(con, source_views: set[str] | None = None, processed: Path | None = None,
                   shard: tuple[int, int] | None = None) -> Iterator[DocumentPage]:
    """One page model per document, in document id order. Each table is read by one ordered query and
    merged by document (a query per document and table rescans every file: quadratic at scale).
    shard (k, n): only the documents of shard k of n, so n processes can render the pages side by side."""
    source_views = source_views or set()
    summaries = {s.doc_id: s for s in doc_summaries(con)}
    order = [r[0] for r in con.execute(
        f"SELECT doc_id FROM documents WHERE doc_id IS NOT NULL{_in_shard(shard)} ORDER BY doc_id").fetchall()] \
        if _has(con, "documents") else []
    rank = {d: i for i, d in enumerate(order)}
    streams = {"meta": _by_doc(con, "documents", processed, shard),
               **{f: _by_doc(con, t, processed, shard) for f, t in _DOC_TABLES.items()}}
    heads: dict[str, tuple[str, list[Row]] | None] = {f: next(it, None) for f, it in streams.items()}

    def take(field_: str, doc_id: str) -> list[Row]:
        # the same ordering on every cursor: skip groups of ids not in documents, stop at later ids
        while (h := heads[field_]) is not None and h[0] != doc_id and rank.get(h[0], -1) < rank[doc_id]:
            heads[field_] = next(streams[field_], None)
        h = heads[field_]
        if h is None or h[0] != doc_id:
            return []
        heads[field_] = next(streams[field_], None)
        return h[1]

    for doc_id in order:
        s = summaries.get(doc_id)
        got = {f: take(f, doc_id) for f in streams}
        if s is None or not got["meta"]:
            continue
        indicators: dict[int | None, list[Row]] = {}
        for r in got.pop("indicators"):
            indicators.setdefault(r["project_seq"], []).append(r)
        amounts = [r["budget_wan"] for r in got["projects"] if r.get("budget_wan") is not None]
        yield DocumentPage(
            summary=s, meta=got.pop("meta")[0], indicators=indicators, **got,
            project_total=sum(amounts, Decimal(0)) if amounts else None,
            has_source_view=s.view if s.view is not True or s.doc_id in source_views else False,
        )


def docs_by_id(con, docs: list[DocSummary] | None = None) -> dict[str, DocSummary]:
    return {d.doc_id: d for d in (doc_summaries(con) if docs is None else docs)}


LIST_CAP = 200  # rows on a cross-document list page; the downloads hold every row


def _count(con, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]) if _has(con, table) else 0


def projects_page(con, docs: list[DocSummary] | None = None) -> CrossPage:
    rows = _table(con, "projects", order=f"budget_wan DESC NULLS LAST, doc_id, project_seq LIMIT {LIST_CAP}")
    return CrossPage(rows, docs_by_id(con, docs), total_rows=_count(con, "projects"))


def procurement_page(con, docs: list[DocSummary] | None = None) -> CrossPage:
    if not _has(con, "procurement"):
        return CrossPage([], docs_by_id(con, docs))
    by_cat = _rows(con, """
        SELECT doc_id, coalesce(category, '未分类') AS category, count(*) AS n, sum(amount_wan) AS amount_wan
        FROM procurement GROUP BY ALL ORDER BY doc_id, category""")
    items = _table(con, "procurement", order=f"amount_wan DESC NULLS LAST, doc_id, source_line LIMIT {LIST_CAP}")
    return CrossPage(by_cat, docs_by_id(con, docs), items, _count(con, "procurement"))


def quality_page(con, docs: list[DocSummary] | None = None) -> QualityPage:
    failed = _table(con, "checks", "WHERE status IN ('fail', 'rounding')")
    issues = _table(con, "parse_issues")
    counts = []
    if _has(con, "checks"):
        counts = _rows(con, "SELECT doc_id, status, count(*) AS n FROM checks GROUP BY ALL ORDER BY doc_id, status")
    return QualityPage(failed, issues, counts, docs_by_id(con, docs))


def scorecard_page(con, docs: list[DocSummary] | None = None) -> ScorecardPage:
    rows = _table(con, "disclosure_items")
    items = sorted({r["item"] for r in rows})
    present = {(r["doc_id"], r["item"]): bool(r["present"]) for r in rows}
    empty = {(r["doc_id"], r["item"]): str(r["empty_reason"]) for r in rows if r.get("empty_reason")}
    return ScorecardPage(items, doc_summaries(con) if docs is None else docs, present, empty)


def table_row_counts(con) -> dict[str, int]:
    return {t.name: int(con.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0])
            for t in contract.TABLES if _has(con, t.name)}


def raw_files(con) -> list[Row]:
    if not _has(con, "documents"):
        return []
    return _rows(con, "SELECT doc_id, source_file, source_sha256, source_size FROM documents ORDER BY source_file")
