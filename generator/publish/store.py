"""Write contract tables as Parquet + CSV (sorted, atomic, byte-stable); open DuckDB views."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .. import contract

_ARROW = {
    "str": pa.string(),
    "int": pa.int64(),
    "dec": pa.decimal128(contract.DECIMAL_PRECISION, contract.DECIMAL_SCALE),
    "bool": pa.bool_(),
    "date": pa.date32(),
}


def arrow_schema(table: str) -> pa.Schema:
    t = contract.spec(table)
    fields = []
    for c in t.columns:
        meta = {"description": c.doc}
        if c.unit:
            meta["unit"] = c.unit
        fields.append(pa.field(c.name, _ARROW[c.type], nullable=True, metadata=meta))
    return pa.schema(fields, metadata={"table": table, "description": t.doc})


_NUM = re.compile(r"(\d+)")


def _sort_value(v: Any) -> tuple:
    if v is None:
        return (0, ())
    if isinstance(v, str):
        # natural order: "p2" < "p10", "9" < "57"
        # digits compare by length then text: same order as int(), no limit on a run of digits
        parts = tuple((0, len(p.lstrip("0")), p.lstrip("0")) if p.isdigit() else (1, p) for p in _NUM.split(v) if p)
        return (1, parts)
    if isinstance(v, bool):
        return (1, ((0, int(v), ""),))
    if isinstance(v, (int, Decimal)):
        return (1, ((0, v, ""),))
    if isinstance(v, date):
        return (1, ((0, v.toordinal(), ""),))
    return (1, ((1, str(v)),))


def sort_rows(table: str, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    t = contract.spec(table)
    order = list(t.key) + [n for n in t.names if n not in t.key]
    return sorted(rows, key=lambda r: tuple(_sort_value(r.get(n)) for n in order))


def to_arrow(table: str, rows: list[dict[str, Any]]) -> pa.Table:
    schema = arrow_schema(table)
    norm = [contract.normalize_row(table, r) for r in rows]
    for r in norm:
        for c in contract.spec(table).columns:
            if c.type == "dec":
                r[c.name] = contract.quantize(r[c.name])
    cols = {f.name: pa.array([r[f.name] for r in norm], type=f.type) for f in schema}
    return pa.table(cols, schema=schema)


# OWASP CSV injection: a text cell starting with one of these is a formula to Excel/WPS.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """'=SUM(A1)' -> "'=SUM(A1)"; other text unchanged. CSV only: Parquet/DuckDB keep the exact text."""
    return "'" + text if text.startswith(FORMULA_START) else text


def format_csv_value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Decimal):
        s = format(v.normalize(), "f")
        return "0" if s in ("-0", "0") else s
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, int):
        return str(v)
    return neutralise_formula(str(v))


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write_table(out_dir: Path, table: str, rows: list[dict[str, Any]]) -> tuple[Path, Path]:
    """Write <table>.parquet and <table>.csv (UTF-8 with BOM); same rows give same bytes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = sort_rows(table, [contract.normalize_row(table, r) for r in rows])
    arrow = to_arrow(table, rows)
    buf = pa.BufferOutputStream()
    pq.write_table(arrow, buf, compression="zstd", write_statistics=True, store_schema=True)
    pq_path = out_dir / f"{table}.parquet"
    _atomic_write(pq_path, buf.getvalue().to_pybytes())

    text = io.StringIO()
    w = csv.writer(text, lineterminator="\r\n")
    names = contract.spec(table).names
    w.writerow(names)
    for r in arrow.to_pylist():
        w.writerow([format_csv_value(r[n]) for n in names])
    csv_path = out_dir / f"{table}.csv"
    _atomic_write(csv_path, ("\ufeff" + text.getvalue()).encode("utf-8"))
    return pq_path, csv_path


MAX_DECIMAL = Decimal(10) ** (contract.DECIMAL_PRECISION - contract.DECIMAL_SCALE)
INT64 = (-(2**63), 2**63 - 1)


def representable(col_type: str, v: Any) -> bool:
    """Whether a value fits its Arrow column: decimal128(20,6) (14 integer digits), int64, UTF-8 text."""
    if v is None:
        return True
    if col_type == "dec":
        return isinstance(v, Decimal) and v.is_finite() and abs(v) < MAX_DECIMAL - Decimal("0.0000005")
    if col_type == "int":
        return isinstance(v, int) and INT64[0] <= v <= INT64[1]
    if col_type == "str":
        try:
            str(v).encode("utf-8")
        except UnicodeEncodeError:
            return False
    return True


def clamp_unrepresentable(tables: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Set every value that cannot be stored to NULL, in place; one parse_issues row per value."""
    files = {r.get("doc_id"): r.get("source_file") for r in tables.get("documents", [])}
    out: list[dict[str, Any]] = []
    for t in contract.TABLES:
        cols = [(c.name, c.type) for c in t.columns]
        for row in tables.get(t.name, []):
            for name, typ in cols:
                v = row.get(name)
                if not representable(typ, v):
                    row[name] = None
                    where = row.get("source_line") or ""
                    out.append({"doc_id": row.get("doc_id"), "source_file": files.get(row.get("doc_id")) or "",
                                "code": "value-out-of-range", "severity": "warning",
                                "where": f"{files.get(row.get('doc_id')) or ''}:{where}",
                                "message": f"{t.name}.{name}: {str(v)[:40]!r} does not fit {typ}; left empty"})
    return out


def is_contract_folder(out_dir: Path) -> bool:
    """A folder holding only contract tables (so replacing it whole loses nothing else)."""
    ours = {f"{t.name}.{ext}" for t in contract.TABLES for ext in ("parquet", "csv")}
    return not out_dir.exists() or all(p.name in ours or p.name.startswith(".") for p in out_dir.iterdir())


def _old(target: Path) -> Path:
    return target.with_name(f".{target.name}.old")


def recover_dir(target: Path) -> None:
    """After a build was killed between the two renames of swap_dir: put the previous folder back."""
    old = _old(target)
    if old.exists() and not target.exists():
        os.rename(old, target)
    elif old.exists():
        shutil.rmtree(old)


def staging_dir(target: Path) -> Path:
    """An empty folder beside target (same file system, so the swap is a rename)."""
    recover_dir(target)
    staged = target.with_name(f".{target.name}.new")
    if staged.exists():
        shutil.rmtree(staged)
    staged.mkdir(parents=True)
    return staged


def swap_dir(staged: Path, target: Path) -> None:
    """Replace target by staged: two renames; a kill between them is undone by recover_dir."""
    old = _old(target)
    if target.exists():
        os.rename(target, old)
    os.rename(staged, target)
    if old.exists():
        shutil.rmtree(old)


def write_all(out_dir: Path, tables: dict[str, list[dict[str, Any]]]) -> None:
    """Every contract table, written into a staging folder and swapped in whole: a killed build leaves
    the previous tables, never a new documents.parquet beside an old documents.csv."""
    tables = {k: list(v) for k, v in tables.items()}
    tables["parse_issues"] = list(tables.get("parse_issues", [])) + clamp_unrepresentable(tables)
    whole = is_contract_folder(out_dir)
    dest = staging_dir(out_dir) if whole else out_dir
    for t in contract.TABLES:
        write_table(dest, t.name, tables.get(t.name, []))
    if whole:
        swap_dir(dest, out_dir)


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def connect(processed: Path, database: str = ":memory:"):
    """A DuckDB connection with one view per contract table over its Parquet file."""
    import duckdb

    con = duckdb.connect(database)
    for t in contract.TABLES:
        p = processed / f"{t.name}.parquet"
        if p.exists():
            con.execute(f"CREATE OR REPLACE VIEW {t.name} AS SELECT * FROM read_parquet('{p.as_posix()}')")
    return con
