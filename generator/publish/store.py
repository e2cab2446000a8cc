"""Write contract tables as Parquet + CSV (sorted, atomic, byte-stable); open DuckDB views."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .. import contract

_ARROW = {
    "str": pa.string(),
    "int": pa.int64(),
    "dec": pa.decimal128(contract.DECIMAL_PRECISION, contract.DECIMAL_SCALE),
    "bool": pa.bool_(),
    "date": pa.date32(),
}


@cache
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


@lru_cache(maxsize=1 << 16)  # doc_ids, codes, check ids repeat on every row of a document
def _str_sort_value(v: str) -> tuple:
    # natural order: "p2" < "p10", "9" < "57"
    # digits compare by length then text: same order as int(), no limit on a run of digits
    parts = tuple((0, len(p.lstrip("0")), p.lstrip("0")) if p.isdigit() else (1, p) for p in _NUM.split(v) if p)
    return (1, parts)


def _sort_value(v: Any) -> tuple:
    if v is None:
        return (0, ())
    if isinstance(v, str):
        return _str_sort_value(v)
    if isinstance(v, bool):
        return (1, ((0, int(v), ""),))
    if isinstance(v, (int, Decimal)):
        return (1, ((0, v, ""),))
    if isinstance(v, date):
        return (1, ((0, v.toordinal(), ""),))
    return (1, ((1, str(v)),))


def sort_rows(table: str, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows in (key columns, then every other column) order. The other columns only break ties of
    the key, so when no two rows share a key (the common case) the key alone gives the same order."""
    t = contract.spec(table)
    rows = list(rows)
    keys = [tuple(_sort_value(r.get(n)) for n in t.key) for r in rows]
    if len(set(keys)) == len(keys):
        return [r for _, r in sorted(zip(keys, rows, strict=True), key=lambda kr: kr[0])]
    rest = [n for n in t.names if n not in t.key]
    full = [k + tuple(_sort_value(r.get(n)) for n in rest) for k, r in zip(keys, rows, strict=True)]
    return [r for _, r in sorted(zip(full, rows, strict=True), key=lambda kr: kr[0])]


def _column(values: list[Any], typ: pa.DataType) -> pa.Array:
    if pa.types.is_decimal(typ):
        try:  # a figure with at most DECIMAL_SCALE places converts exactly, as quantized
            return pa.array(values, type=typ)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # more places: rounded as contract.quantize rounds
            return pa.array([contract.quantize(v) for v in values], type=typ)
    return pa.array(values, type=typ)


def to_arrow(table: str, rows: list[dict[str, Any]], normalized: bool = False, bare: bool = False) -> pa.Table:
    """Rows -> an Arrow table of the contract schema (decimals quantized); `normalized` rows have had
    contract.normalize_row applied. bare: without the schema's descriptions (with_schema adds them)."""
    schema = arrow_schema(table)
    norm = rows if normalized else [contract.normalize_row(table, r) for r in rows]
    cols = [_column([r[f.name] for r in norm], f.type) for f in schema]
    return pa.Table.from_arrays(cols, schema=_bare_schema(table) if bare else schema)


@cache
def _bare_schema(table: str) -> pa.Schema:
    return pa.schema([pa.field(f.name, f.type) for f in arrow_schema(table)])


def with_schema(table: str, arrow: pa.Table) -> pa.Table:
    """A bare to_arrow table with the contract schema's descriptions again (no data copied)."""
    return pa.Table.from_arrays(arrow.columns, schema=arrow_schema(table))


# OWASP CSV injection: a text cell starting with one of these is a formula to Excel/WPS.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """'=SUM(A1)' -> "'=SUM(A1)"; other text unchanged. CSV only: Parquet/DuckDB keep the exact text."""
    return "'" + text if text.startswith(FORMULA_START) else text


_FORMULA_RE = "^[=+\\-@\t\r]"  # FORMULA_START as an RE2 class
_QUOTE_RE = '[,"\r\n]'  # what makes csv.writer (QUOTE_MINIMAL, CRLF) quote a field


def _csv_text(col: pa.Array, col_type: str) -> pa.Array:
    """One column as the text csv.writer writes for it (format_csv_value, then QUOTE_MINIMAL quoting),
    computed column-wise with Arrow: nulls become "", decimals lose trailing zeros ("12.500000" ->
    "12.5", "0.000000" -> "0"), text that Excel would run as a formula gets a leading quote."""
    if col_type == "str":
        text = pc.if_else(pc.match_substring_regex(col, _FORMULA_RE), pc.binary_join_element_wise("'", col, ""), col)
        quoted = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
        text = pc.if_else(pc.match_substring_regex(text, _QUOTE_RE), quoted, text)
    else:
        text = pc.cast(col, pa.string())  # int, bool ("true"/"false"), date (ISO), decimal ("12.500000")
        if col_type == "dec":
            text = pc.replace_substring_regex(pc.replace_substring_regex(text, r"0+$", ""), r"\.$", "")
    return pc.fill_null(text, "")


def csv_bytes(table: pa.Table, types: list[str]) -> bytes:
    """The CSV lines (CRLF) of an Arrow table, exactly as csv.writer writes format_csv_value of each value:
    every column is formatted and quoted at once by Arrow compute, the lines joined in one buffer."""
    if not table.num_rows:
        return b""
    cols = [_csv_text(table.column(i).combine_chunks(), t) for i, t in enumerate(types)]
    lines = pc.binary_join_element_wise(*cols, ",") if len(cols) > 1 else cols[0]
    lines = pc.binary_join_element_wise(lines, "", "\r\n").cast(pa.large_string())  # each line + CRLF
    _, offsets, data = lines.buffers()  # no nulls: the lines lie end to end in the data buffer
    offs = memoryview(offsets).cast("q")
    return memoryview(data)[offs[lines.offset]:offs[lines.offset + len(lines)]].tobytes()


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


# Rows per Parquet row group. A table is written batch by batch and never held whole, so its
# row groups are cut at this many rows (a table of fewer rows is one row group, as pq.write_table
# would write it). Fixed, so the same rows give the same bytes however they were batched.
ROW_GROUP_ROWS = 65_536


# Rows formatted into CSV at once: Arrow compute costs microseconds a call, so columns are formatted
# in batches of many documents, not one document at a time.
CSV_BATCH_ROWS = 16_384


def doc_key(doc_id: Any) -> tuple:
    """The sort key of a doc_id: the first sort column of every document-major table."""
    return _sort_value(doc_id)


def document_major(table: str) -> bool:
    """Tables sorted by doc_id first: written one document at a time, in doc_id order.
    The others (parse_issues, sorted by file) are small and sorted whole."""
    key = contract.spec(table).key
    return bool(key) and key[0] == "doc_id"


def _tmp(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp")


class TableWriter:
    """One table streamed to <table>.parquet and <table>.csv (UTF-8 with BOM): rows come in batches,
    already in the table's sort order; Parquet row groups are cut every ROW_GROUP_ROWS rows, the CSV
    is appended. Files are written beside their names and renamed into place on close."""

    def __init__(self, out_dir: Path, table: str) -> None:
        self.table = table
        self.names = contract.spec(table).names
        self.schema = arrow_schema(table)
        self.paths = (out_dir / f"{table}.parquet", out_dir / f"{table}.csv")
        self._pq = pq.ParquetWriter(str(_tmp(self.paths[0])), self.schema, compression="zstd",
                                    write_statistics=True, store_schema=True)
        self._csv = _tmp(self.paths[1]).open("wb")
        header = io.StringIO()
        csv.writer(header, lineterminator="\r\n").writerow(self.names)
        self._csv.write(("\ufeff" + header.getvalue()).encode("utf-8"))
        self._types = [c.type for c in contract.spec(table).columns]
        self._pending: list[pa.Table] = []
        self._csv_pending: list[pa.Table] = []
        self._csv_n = 0
        self._n = 0
        self._written = 0

    def write(self, rows: list[dict[str, Any]]) -> None:
        """Append rows (normalized, in sort order, following every row written before)."""
        if not rows:
            return
        self.write_arrow(to_arrow(self.table, rows, normalized=True))

    def write_arrow(self, arrow: pa.Table) -> None:
        """Append an Arrow table of this table's schema (rows in sort order, following those written before)."""
        if not arrow.num_rows:
            return
        self._csv_pending.append(arrow)
        self._csv_n += arrow.num_rows
        if self._csv_n >= CSV_BATCH_ROWS:
            self._flush_csv()
        self._pending.append(arrow)
        self._n += arrow.num_rows
        if self._n >= ROW_GROUP_ROWS:
            self._flush(final=False)

    def _flush_csv(self) -> None:
        if self._csv_pending:
            self._csv.write(csv_bytes(pa.concat_tables(self._csv_pending), self._types))
        self._csv_pending, self._csv_n = [], 0

    def _flush(self, final: bool) -> None:
        whole = pa.concat_tables(self._pending).combine_chunks()
        cut = whole.num_rows if final else whole.num_rows - whole.num_rows % ROW_GROUP_ROWS
        if cut:
            self._pq.write_table(whole.slice(0, cut), row_group_size=ROW_GROUP_ROWS)
            self._written += cut
        rest = whole.slice(cut)
        self._pending, self._n = ([rest] if rest.num_rows else []), rest.num_rows

    def close(self) -> tuple[Path, Path]:
        self._flush_csv()
        if self._n:
            self._flush(final=True)
        if not self._written:  # an empty table: what pq.write_table writes for no rows
            self._pq.write_table(to_arrow(self.table, []))
        self._pq.close()
        self._csv.close()
        for p in self.paths:
            os.replace(_tmp(p), p)
        return self.paths

    def abort(self) -> None:
        self._pq.close()
        self._csv.close()
        for p in self.paths:
            _tmp(p).unlink(missing_ok=True)


def write_table(out_dir: Path, table: str, rows: list[dict[str, Any]]) -> tuple[Path, Path]:
    """Write <table>.parquet and <table>.csv (UTF-8 with BOM); same rows give same bytes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    w = TableWriter(out_dir, table)
    try:
        w.write(sort_rows(table, [contract.normalize_row(table, r) for r in rows]))
    except BaseException:
        w.abort()
        raise
    return w.close()


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


def _column_fits(col_type: str, values: list[Any]) -> bool:
    """Whether every value of a column is representable, checked a column at a time (one UTF-8 encode
    of all its texts); when not, clamp_unrepresentable checks that column value by value."""
    if col_type == "str":
        try:
            "".join(v if type(v) is str else str(v) for v in values if v is not None).encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    return all(representable(col_type, v) for v in values if v is not None)


def clamp_unrepresentable(tables: dict[str, list[dict[str, Any]]],
                          files: dict[Any, Any] | None = None) -> list[dict[str, Any]]:
    """Set every value that cannot be stored to NULL, in place; one parse_issues row per value.
    `files` (doc_id -> source_file) defaults to the documents rows given."""
    if files is None:
        files = {r.get("doc_id"): r.get("source_file") for r in tables.get("documents", [])}
    out: list[dict[str, Any]] = []
    for t in contract.TABLES:
        rows = tables.get(t.name, [])
        cols = [(c.name, c.type) for c in t.columns if not _column_fits(c.type, [r.get(c.name) for r in rows])]
        if not cols:
            continue
        for row in rows:
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


class TablesWriter:
    """Every contract table, streamed one document at a time into a staging folder and swapped in
    whole on close: a killed build leaves the previous tables, never a new documents.parquet beside
    an old documents.csv. Memory holds one document's rows, the parse_issues rows and a
    doc_id -> source_file map, never every row.

    Documents come in doc_id order (add(): the rows of every document whose doc_id sorts equal,
    in file order); each document-major table is then in its global sort order."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.whole = is_contract_folder(out_dir)
        self.dest = staging_dir(out_dir) if self.whole else out_dir
        self.dest.mkdir(parents=True, exist_ok=True)
        self.writers = {t.name: TableWriter(self.dest, t.name) for t in contract.TABLES if document_major(t.name)}
        self.held: dict[str, list[dict[str, Any]]] = {t.name: [] for t in contract.TABLES
                                                      if not document_major(t.name)}
        self.files: dict[Any, Any] = {}
        self._clamped: list[dict[str, Any]] = []
        self._last: tuple | None = None
        self.documents = 0

    def add(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        """The rows of one document (or of several whose doc_ids sort equal), every table; called in
        doc_id order. Rows of tables not sorted by document are kept until close."""
        self.documents += len(tables.get("documents", []))
        for r in tables.get("documents", []):
            self.files[r.get("doc_id")] = r.get("source_file")
        major = {k: v for k, v in tables.items() if k in self.writers}
        self._clamped += clamp_unrepresentable(major, self.files)
        for name, rows in tables.items():
            if name in self.held:
                self.held[name].extend(rows)
        for name, w in self.writers.items():
            rows = sort_rows(name, [contract.normalize_row(name, r) for r in major.get(name, [])])
            if rows:
                first = doc_key(rows[0].get("doc_id"))
                if self._last is not None and first < self._last:
                    raise ValueError(f"{name}: documents out of doc_id order")
                self._last = max(self._last or first, doc_key(rows[-1].get("doc_id")))
            w.write(rows)

    def add_prepared(self, doc: Prepared) -> None:
        """add() for the rows of one document made ready by prepare_document: the same bytes."""
        self.documents += sum(1 for _ in doc.files)
        self.files.update(doc.files)
        self._clamped += doc.clamped
        if doc.tables:
            if self._last is not None and doc.key < self._last:
                raise ValueError("documents out of doc_id order")
            self._last = max(self._last or doc.key, doc.key)
        for name, w in self.writers.items():
            if name in doc.tables:
                w.write_arrow(with_schema(name, doc.tables[name]))

    def close(self) -> None:
        held = {k: list(v) for k, v in self.held.items()}
        clamped = clamp_unrepresentable(held, self.files)
        held.setdefault("parse_issues", []).extend(self._clamped + clamped)
        for name, rows in held.items():
            write_table(self.dest, name, rows)
        for w in self.writers.values():
            w.close()
        if self.whole:
            swap_dir(self.dest, self.out_dir)

    def abort(self) -> None:
        for w in self.writers.values():
            w.abort()
        if self.whole:
            shutil.rmtree(self.dest, ignore_errors=True)

    def __enter__(self) -> TablesWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


@dataclass
class Prepared:
    """One document's document-major tables as TablesWriter.add writes them (clamped, normalized,
    sorted, as Arrow): made in the parse worker, so the writer, which runs alone, only appends."""

    key: tuple  # the doc_id sort key
    files: tuple[tuple[Any, Any], ...]  # (doc_id, source_file) of its documents rows
    tables: dict[str, pa.Table]  # bare to_arrow tables (with_schema restores the descriptions)
    clamped: list[dict[str, Any]]  # parse_issues rows of values that could not be stored


def prepare_document(tables: dict[str, list[dict[str, Any]]]) -> Prepared | None:
    """The rows of one file made ready to write, when they are all of one doc_id (else None: the
    writer then sorts them with the rows of other files). The rows given are not changed."""
    major = {k: [dict(r) for r in v] for k, v in tables.items() if k in contract.BY_NAME and document_major(k)}
    keys = {doc_key(r.get("doc_id")) for rows in major.values() for r in rows}
    if len(keys) != 1:
        return None
    files = tuple((r.get("doc_id"), r.get("source_file")) for r in major.get("documents", []))
    clamped = clamp_unrepresentable(major, dict(files))
    out = {}
    for name, rows in major.items():
        if rows:
            out[name] = to_arrow(name, sort_rows(name, [contract.normalize_row(name, r) for r in rows]),
                                 normalized=True, bare=True)
    return Prepared(keys.pop(), files, out, clamped)


def group_by_document(tables: dict[str, list[dict[str, Any]]]) -> list[dict[str, list[dict[str, Any]]]]:
    """In-memory tables -> per doc_id sort key (in order), that document's rows of each table;
    the rows of tables not sorted by document come with the first group."""
    groups: dict[tuple, dict[str, list[dict[str, Any]]]] = {}
    rest: dict[str, list[dict[str, Any]]] = {}
    for name, rows in tables.items():
        if not document_major(name):
            rest[name] = list(rows)
            continue
        for r in rows:
            groups.setdefault(doc_key(r.get("doc_id")), {}).setdefault(name, []).append(r)
    out = [groups[k] for k in sorted(groups)]
    if rest:
        out = out or [{}]
        for name, rows in rest.items():
            out[0].setdefault(name, []).extend(rows)
    return out


def write_all(out_dir: Path, tables: dict[str, list[dict[str, Any]]]) -> None:
    """Every contract table from rows in memory (see TablesWriter): written into a staging folder and
    swapped in whole."""
    with TablesWriter(out_dir) as w:
        for group in group_by_document({k: v for k, v in tables.items() if k in contract.BY_NAME}):
            w.add(group)


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
