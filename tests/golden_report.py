"""Golden facts: loader, evaluator and a compact report of failing facts.

Used two ways:
- by tests/test_golden.py (one pytest case per fact; the evaluation lives here);
- as a script for the parser loop, without pytest:

      .venv/bin/python tests/golden_report.py [--seed 001] [--table projects] [--all]
      .venv/bin/python tests/golden_report.py --from data/processed   # no re-parse

Semantics follow ../shared/golden/README.md: the document is the `documents` row whose
source_file ends with the fact's seed; `count` counts that document's rows of the table
(filtered by `match`/`where`); otherwise the rows whose columns equal `match` must hold
`expected` in `column` (numbers as decimals, `acceptable`, `compare`, `tolerance`,
`optional_row`, `match_rows`, `match_any`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import permutations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
GOLDEN = SHARED / "golden"
RAW = ROOT / "data" / "raw"

if str(ROOT) not in sys.path:  # run as a script: make `generator` importable
    sys.path.insert(0, str(ROOT))

from generator import contract  # noqa: E402

# Every key a fact may carry. A fact with any other key fails: the harness must learn it first.
SEMANTIC_KEYS = {"seed", "file", "sha256", "table", "count", "match", "where", "column", "expected", "acceptable", "compare",
                 "tolerance", "optional_row", "match_rows", "match_any"}
INFO_KEYS = {"line", "page", "note", "ambiguous", "extension", "derived", "printed_wan"}
COMPARE_MODES = {None, "contains", "ignore_whitespace", "contains_ignore_whitespace"}


# ---------------------------------------------------------------- loading


def golden_files(golden_dir: Path = GOLDEN, pattern: str = "0*.json") -> list[Path]:
    """The per-seed fact files (0*.json); pdf-samples.json belongs to the PDF issue."""
    return sorted(golden_dir.glob(pattern)) if golden_dir.is_dir() else []


def load_facts(paths: Iterable[Path]) -> list[dict[str, Any]]:
    facts: list[dict[str, Any]] = []
    for p in paths:
        data = json.loads(p.read_text(encoding="utf-8"))
        if not isinstance(data, list):
            raise ValueError(f"{p}: expected a JSON list of facts")
        facts.extend(data)
    return facts


def _slug(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.=+-]", "_", s)


def _short_hash(v: Any) -> str:
    return hashlib.sha1(json.dumps(v, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:4]


def _match_part(k: str, v: Any) -> str:
    if k == "project_seq":
        return f"seq{'NULL' if v is None else v}"
    sv = "NULL" if v is None else str(v)
    if sv.isascii() and len(sv) <= 24:
        return f"{k}={_slug(sv)}"
    return f"{k}~{_short_hash(v)}"  # non-ASCII values would be escaped by pytest: keep ids short


def source_name(f: dict[str, Any]) -> str:
    """The seed's file name (`seed`; `file` in pdf-samples.json)."""
    return str(f.get("seed") or f.get("file") or "")


def fact_id(f: dict[str, Any]) -> str:
    """`000-projects-seq3-budget_wan-L330`; made unique by ids_for()."""
    src = source_name(f)
    prefix = src[:3] if src[:3].isascii() and src else f"f{_short_hash(src)}"
    parts = [prefix, str(f.get("table", "?"))]
    parts += [_match_part(k, v) for k, v in (f.get("match") or {}).items()]
    if f.get("where"):
        parts.append(f"where~{_short_hash(f['where'])}")
    if "count" in f:
        parts.append("count")
    else:
        parts.append(str(f.get("column")))
        if f.get("line") is not None:
            parts.append(f"L{f['line']}")
        elif f.get("page") is not None:
            parts.append(f"p{f['page']}")
    return "-".join(parts)


def ids_for(facts: list[dict[str, Any]]) -> list[str]:
    seen: Counter[str] = Counter()
    out = []
    for f in facts:
        i = fact_id(f)
        seen[i] += 1
        out.append(i if seen[i] == 1 else f"{i}-{seen[i]}")
    return out


# ---------------------------------------------------------------- comparing values


def to_dec(v: Any) -> Decimal | None:
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, Decimal):
        return v
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, float):
        return Decimal(str(v))
    if isinstance(v, str):
        try:
            d = Decimal(v.strip())
        except InvalidOperation:
            return None
        return d if d.is_finite() else None
    return None


def _col_type(table: str, column: str, sample: Any = None) -> str:
    t = contract.BY_NAME.get(table)
    if t is not None and column in t.names:
        return t.column(column).type
    if isinstance(sample, bool):
        return "bool"
    if isinstance(sample, (int, Decimal)):
        return "dec"
    if isinstance(sample, date):
        return "date"
    return "str"


_WS = re.compile(r"\s+")


def values_equal(actual: Any, cand: Any, ctype: str, compare: str | None = None, tolerance: Any = None) -> bool:
    """One actual cell against one candidate value (expected, an acceptable value or a match value)."""
    if cand is None:
        return actual is None
    if actual is None:
        return False
    if tolerance is not None:
        da, dc, tol = to_dec(actual), to_dec(cand), to_dec(tolerance)
        return da is not None and dc is not None and tol is not None and abs(da - dc) <= tol
    if ctype in ("dec", "int") or (isinstance(actual, (int, Decimal)) and not isinstance(actual, bool)):
        da, dc = to_dec(actual), to_dec(cand)
        return da is not None and dc is not None and da == dc
    if ctype == "bool" or isinstance(actual, bool):
        norm = {"true": True, "1": True, "false": False, "0": False}
        ca = actual if isinstance(actual, bool) else norm.get(str(actual).lower())
        cc = cand if isinstance(cand, bool) else norm.get(str(cand).strip().lower())
        return ca is not None and ca == cc
    a = actual.isoformat() if isinstance(actual, date) else str(actual)
    c = cand.isoformat() if isinstance(cand, date) else str(cand)
    if compare in ("ignore_whitespace", "contains_ignore_whitespace"):
        a, c = _WS.sub("", a), _WS.sub("", c)
    if compare in ("contains", "contains_ignore_whitespace"):
        return c in a
    return a == c


def multiset_equal(actuals: list[Any], cands: list[Any], ctype: str, compare: str | None, tolerance: Any) -> bool:
    if len(actuals) != len(cands):
        return False
    if len(cands) <= 7:
        return any(all(values_equal(a, c, ctype, compare, tolerance) for a, c in zip(actuals, perm, strict=True))
                   for perm in permutations(cands))
    left = list(actuals)
    for c in cands:  # greedy for long lists
        hit = next((i for i, a in enumerate(left) if values_equal(a, c, ctype, compare, tolerance)), None)
        if hit is None:
            return False
        left.pop(hit)
    return True


# ---------------------------------------------------------------- evaluating facts


@dataclass
class Outcome:
    status: str  # pass | fail | xfail
    reason: str  # one line
    actual: str = ""  # compact actual value(s)
    rows: list[dict[str, Any]] | None = None  # rows to show on failure
    doc_id: str | None = None


# Facts we are sure are wrong, with the reason (README: keep the test honest, mark it, say why).
KNOWN_WRONG: dict[tuple[str, str, str, str, Any], str] = {
    ("001_f47e421262983de5.txt", "assets", '{"item": "total"}', "as_of", 193):
        "001 line 193 gives two fixed-asset totals (行政审批局 882377元, 政务中心 2306076元); the same file's "
        "count fact and its two value_wan facts (match_any) require two item=total rows, but this as_of fact "
        "has no match_rows/match_any, so it demands exactly one row. Both rows carry 2019-12-31.",
}


def known_wrong(fact: dict[str, Any]) -> str | None:
    key = (source_name(fact), fact.get("table", ""), json.dumps(fact.get("match"), ensure_ascii=False),
           fact.get("column", ""), fact.get("line"))
    return KNOWN_WRONG.get(key)


def static_xfail(fact: dict[str, Any]) -> str | None:
    """Reason to xfail a fact up front: it needs a column the contract does not have."""
    t = contract.BY_NAME.get(fact.get("table", ""))
    if t is None:
        return None  # unknown table: a real failure, reported by evaluate()
    if "column" in fact and fact["column"] not in t.names:
        return f"needs extension column {fact['column']}"
    missing = [k for k in (fact.get("match") or {}) if k not in t.names]
    if missing and not fact.get("optional_row"):
        return f"needs extension column {missing[0]}"
    return None


def _fmt(v: Any) -> str:
    if isinstance(v, Decimal):
        s = format(v.normalize(), "f")
        return "0" if s in ("-0", "0") else s
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    return "NULL" if v is None else str(v)


class Evaluator:
    """Evaluates facts against one DuckDB connection over parsed contract tables (cached per doc/table)."""

    def __init__(self, con: Any):
        self.con = con
        self._docs: list[tuple[str, str]] | None = None
        self._rows: dict[tuple[str, str, str | None], list[dict[str, Any]]] = {}
        self._cols: dict[str, list[str]] = {}

    def _query(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def columns(self, table: str) -> list[str]:
        if table not in self._cols:
            cur = self.con.execute(f'SELECT * FROM "{table}" LIMIT 0')
            self._cols[table] = [d[0] for d in cur.description]
        return self._cols[table]

    def doc_ids(self, seed: str, sha256: str | None = None) -> list[str]:
        """documents rows whose source_file or one of its twin_files ends with the seed name (else, when given,
        whose sha256 matches)."""
        if self._docs is None:
            twins = "twin_files" if "twin_files" in self.columns("documents") else "NULL AS twin_files"
            self._docs = self._query(f"SELECT doc_id, source_file, source_sha256, {twins} FROM documents ORDER BY doc_id", [])
        # a file joined to its twin (parse/twins.py) is part of that document
        ids = [r["doc_id"] for r in self._docs
               if seed and any(f.endswith(seed) for f in [r["source_file"] or "", *(r["twin_files"] or "").split("; ")] if f)]
        if not ids and sha256:
            ids = [r["doc_id"] for r in self._docs if r["source_sha256"] == sha256]
        return ids

    def rows(self, table: str, doc_id: str, where: str | None = None) -> list[dict[str, Any]]:
        key = (table, doc_id, where)
        if key not in self._rows:
            sql = f'SELECT * FROM "{table}" WHERE doc_id = ?' + (f" AND ({where})" if where else "")
            self._rows[key] = self._query(sql, [doc_id])
        return self._rows[key]

    def evaluate(self, fact: dict[str, Any]) -> Outcome:
        try:
            return self._evaluate(fact)
        except Exception as e:  # a broken query is a failing fact, with the error shown
            return Outcome("fail", f"error while evaluating: {type(e).__name__}: {e}")

    def _evaluate(self, f: dict[str, Any]) -> Outcome:
        unknown = set(f) - SEMANTIC_KEYS - INFO_KEYS
        if unknown:
            return Outcome("fail", f"fact has keys the harness does not know: {sorted(unknown)}")
        table = f.get("table")
        if table not in contract.BY_NAME:
            return Outcome("fail", f"table {table!r} is not a contract table")
        if ("count" in f) == ("column" in f):
            return Outcome("fail", "fact must have exactly one of `count` or `column`")
        if f.get("compare") not in COMPARE_MODES:
            return Outcome("fail", f"unknown compare mode {f.get('compare')!r}")
        ids = self.doc_ids(source_name(f), f.get("sha256"))
        if len(ids) != 1:
            return Outcome("fail", f"{len(ids)} documents rows have source_file ending with {source_name(f)!r} (want 1)")
        doc_id = ids[0]
        cols = self.columns(table)
        match = f.get("match") or {}
        absent = [k for k in match if k not in cols]
        if "column" in f and f["column"] not in cols:
            absent.append(f["column"])
        if absent:
            reason = f"needs extension column {absent[0]}"
            if f.get("optional_row") and f.get("column") not in absent:
                return Outcome("pass", f"row absent (the table has no column {absent[0]})", doc_id=doc_id)
            in_contract = all(k in contract.spec(table).names for k in absent)
            return Outcome("fail" if in_contract else "xfail",
                           reason + (" (in the contract but missing from the Parquet file)" if in_contract else ""),
                           doc_id=doc_id)
        all_rows = self.rows(table, doc_id, f.get("where"))
        hits = [r for r in all_rows
                if all(values_equal(r[k], v, _col_type(table, k, r[k])) for k, v in match.items())]
        if "count" in f:
            return self._count(f, hits, all_rows, doc_id)
        return self._value(f, hits, all_rows, doc_id)

    def _count(self, f: dict[str, Any], hits: list[dict[str, Any]], all_rows: list, doc_id: str) -> Outcome:
        ok = [f["count"]] + list(f.get("acceptable") or [])
        n = len(hits)
        if n in ok:
            return Outcome("pass", "", str(n), doc_id=doc_id)
        return Outcome("fail", f"count is {n}, expected {f['count']}"
                       + (f" (or one of {f['acceptable']})" if f.get("acceptable") else ""),
                       str(n), hits or all_rows, doc_id)

    def _value(self, f: dict[str, Any], hits: list[dict[str, Any]], all_rows: list, doc_id: str) -> Outcome:
        col, exp = f["column"], f["expected"]
        ctype = _col_type(f["table"], col, hits[0][col] if hits else None)
        cands = [exp] + list(f.get("acceptable") or [])
        compare, tol = f.get("compare"), f.get("tolerance")
        vals = [r[col] for r in hits]
        actual = ", ".join(_fmt(v) for v in vals) if hits else "(no row)"
        if not hits:
            if f.get("optional_row"):
                return Outcome("pass", "optional row absent", actual, doc_id=doc_id)
            if not isinstance(exp, list) and None in cands:
                # A figure that is not printed may be left out: a row that is not there states
                # nothing, which is what an accepted NULL says (001 vehicle_total: "a parser may
                # omit the row"; Shanghai gov_fund_income: "cell is EMPTY -> NULL").
                return Outcome("pass", "row absent; NULL is an accepted value", actual, doc_id=doc_id)
            return Outcome("fail", "no row matches", actual, self._near(f, all_rows), doc_id)

        def holds(v: Any) -> bool:
            return any(values_equal(v, c, ctype, compare, tol) for c in cands if not isinstance(c, list))

        if f.get("match_any"):
            if any(holds(v) for v in vals):
                return Outcome("pass", "", actual, doc_id=doc_id)
            return Outcome("fail", f"none of the {len(hits)} matching rows holds the value", actual, hits, doc_id)
        want = f.get("match_rows", 1)
        if len(hits) != want:
            return Outcome("fail", f"{len(hits)} rows match, expected {want}", actual, hits, doc_id)
        if isinstance(exp, list):
            lists = [c for c in cands if isinstance(c, list)]
            if any(multiset_equal(vals, c, ctype, compare, tol) for c in lists):
                return Outcome("pass", "", actual, doc_id=doc_id)
            return Outcome("fail", "the values of the matching rows are not the expected multiset", actual, hits, doc_id)
        bad = [v for v in vals if not holds(v)]
        if not bad:
            return Outcome("pass", "", actual, doc_id=doc_id)
        return Outcome("fail", "wrong value" if len(vals) == 1 else f"{len(bad)} of {len(vals)} matching rows differ",
                       actual, hits, doc_id)

    def _near(self, f: dict[str, Any], all_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Rows that share at least one match value: what a parser developer wants to see on 'no row'."""
        match = f.get("match") or {}
        near = [r for r in all_rows
                if any(values_equal(r[k], v, _col_type(f["table"], k, r[k])) for k, v in match.items())]
        return near or all_rows


# ---------------------------------------------------------------- messages


def _show_cols(f: dict[str, Any], rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return []
    t = contract.spec(f["table"])
    want = list(t.key) + list(f.get("match") or {}) + ([f["column"]] if "column" in f else []) + ["source_line"]
    names = [n for n in dict.fromkeys(want) if n in rows[0] and n != "doc_id"]
    return names


def format_rows(f: dict[str, Any], rows: list[dict[str, Any]] | None, limit: int = 12) -> str:
    if not rows:
        return "    (none: the table has no rows for this document)"
    names = _show_cols(f, rows)
    lines = ["    " + ", ".join(f"{n}={_fmt(r[n])}" for n in names) for r in rows[:limit]]
    if len(rows) > limit:
        lines.append(f"    … {len(rows) - limit} more")
    return "\n".join(lines)


def describe(f: dict[str, Any], out: Outcome) -> str:
    """The failure message: the whole fact, then the rows actually found."""
    j = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731
    lines = [f"golden fact failed: {out.reason}",
             f"  seed:     {source_name(f)}  (doc_id {out.doc_id})",
             f"  table:    {f.get('table')}"]
    if f.get("match") is not None:
        lines.append(f"  match:    {j(f['match'])}")
    if f.get("where"):
        lines.append(f"  where:    {f['where']}")
    if "count" in f:
        lines.append(f"  count:    {f['count']}")
    else:
        lines.append(f"  column:   {f.get('column')}")
        lines.append(f"  expected: {j(f.get('expected'))}")
    opts = {k: f[k] for k in ("acceptable", "compare", "tolerance", "optional_row", "match_rows", "match_any",
                              "ambiguous", "extension", "derived", "printed_wan") if k in f}
    if opts:
        lines.append(f"  options:  {j(opts)}")
    lines.append(f"  line:     {f.get('line')}" if "page" not in f else f"  page:     {f.get('page')}")
    if f.get("note"):
        lines.append(f"  note:     {f['note']}")
    lines.append(f"  actual:   {out.actual}")
    lines.append(f"  rows found ({len(out.rows or [])}):")
    lines.append(format_rows(f, out.rows))
    return "\n".join(lines)


# ---------------------------------------------------------------- script


def parse_seeds(out: Path, files: list[Path] | None = None) -> None:
    files = files or sorted(p for p in RAW.iterdir() if p.is_file() and not p.name.startswith("."))
    cmd = [sys.executable, "-m", "generator", "parse", *map(str, files), "--out", str(out)]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"parse failed ({r.returncode}):\n{r.stderr[-4000:]}")


def _clip(s: str, n: int) -> str:
    s = s.replace("\n", "⏎")
    return s if len(s) <= n else s[: n - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Evaluate the golden facts and list the failing ones.")
    ap.add_argument("--seed", help="seed prefix, e.g. 001")
    ap.add_argument("--table", help="contract table, e.g. projects")
    ap.add_argument("--from", dest="src", help="use an existing output dir (e.g. data/processed) instead of parsing")
    ap.add_argument("--golden", default=str(GOLDEN), help="folder of golden JSON files")
    ap.add_argument("--pattern", default="0*.json", help="golden file glob (default 0*.json)")
    ap.add_argument("--verbose", "-v", action="store_true", help="print the full failure message with rows")
    ap.add_argument("--width", type=int, default=60, help="column width for expected/actual")
    args = ap.parse_args(argv)

    from generator.publish import store

    files = golden_files(Path(args.golden), args.pattern)
    if not files:
        print(f"no golden files in {args.golden}", file=sys.stderr)
        return 2
    facts = load_facts(files)
    ids = ids_for(facts)
    sel = [(i, f) for i, f in zip(ids, facts, strict=True)
           if (not args.seed or source_name(f).startswith(args.seed)) and (not args.table or f["table"] == args.table)]
    with tempfile.TemporaryDirectory(prefix="golden-") as tmp:
        out = Path(args.src) if args.src else Path(tmp)
        if not args.src:
            parse_seeds(out)
        ev = Evaluator(store.connect(out))
        results = []
        for i, f in sel:
            xf = static_xfail(f) or known_wrong(f)
            o = Outcome("xfail", xf) if xf else ev.evaluate(f)
            results.append((i, f, o))

    tally: Counter[str] = Counter(o.status for _, _, o in results)
    by_group: dict[tuple[str, str], list] = {}
    for i, f, o in results:
        by_group.setdefault((i.split("-", 1)[0], f["table"]), []).append((i, f, o))
    w = args.width
    for (seed, table), items in sorted(by_group.items()):
        fails = [x for x in items if x[2].status == "fail"]
        if not fails:
            continue
        c = Counter(o.status for _, _, o in items)
        print(f"== {seed} {table}: {c['pass']} pass, {c['fail']} fail, {c['xfail']} xfail")
        for i, f, o in fails:
            exp = f"count {f['count']}" if "count" in f else json.dumps(f.get("expected"), ensure_ascii=False)
            print(f"  {i}\n      expected {_clip(exp, w)}\n      actual   {_clip(o.actual, w)}   [{o.reason}]")
            if args.verbose:
                print("\n".join("      " + ln for ln in describe(f, o).splitlines()))
        print()
    print("failing/total facts per table and seed:")
    seeds = sorted({s for s, _ in by_group})
    print(f"{'':<26}" + "".join(f"{sd:>9}" for sd in seeds))
    for t in sorted({t for _, t in by_group}):
        cells = []
        for sd in seeds:
            items = by_group.get((sd, t), [])
            cells.append(f"{sum(1 for x in items if x[2].status == 'fail')}/{len(items)}" if items else "-")
        print(f"{t:<26}" + "".join(f"{c:>9}" for c in cells))
    print(f"\nTOTAL {len(results)} facts: {tally['pass']} pass, {tally['fail']} fail, {tally['xfail']} xfail")
    return 1 if tally["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
