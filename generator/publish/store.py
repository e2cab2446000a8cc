"""Write contract tables as Parquet + CSV (sorted, atomic, byte-stable); open DuckDB views."""

from __future__ import annotations

import csv
import io
import os
import re
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
        parts = tuple((0, int(p)) if p.isdigit() else (1, p) for p in _NUM.split(v) if p)
        return (1, parts)
    if isinstance(v, bool):
        return (1, ((0, int(v)),))
    if isinstance(v, (int, Decimal)):
        return (1, ((0, v),))
    if isinstance(v, date):
        return (1, ((0, v.toordinal()),))
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
    return str(v)


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


def write_all(out_dir: Path, tables: dict[str, list[dict[str, Any]]]) -> None:
    for t in contract.TABLES:
        write_table(out_dir, t.name, tables.get(t.name, []))


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
