"""The streamed writer (one document at a time, store.TablesWriter) writes the bytes the in-memory
writer wrote before it: every row gathered, sorted whole, one pq.write_table per table.

`legacy_write_all` below is that writer as it was (kept here as the reference)."""

from __future__ import annotations

import copy
import csv
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, raw_files
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import build, contract
from generator.publish import store

FIXTURES = ROOT / "tests" / "fixtures" / "inputs"


def legacy_write_table(out_dir: Path, table: str, rows: list[dict]) -> None:
    rows = store.sort_rows(table, [contract.normalize_row(table, r) for r in rows])
    arrow = store.to_arrow(table, rows)
    buf = pa.BufferOutputStream()
    pq.write_table(arrow, buf, compression="zstd", write_statistics=True, store_schema=True)
    (out_dir / f"{table}.parquet").write_bytes(buf.getvalue().to_pybytes())
    text = io.StringIO()
    w = csv.writer(text, lineterminator="\r\n")
    names = contract.spec(table).names
    w.writerow(names)
    for r in arrow.to_pylist():
        w.writerow([store.format_csv_value(r[n]) for n in names])
    (out_dir / f"{table}.csv").write_bytes(("\ufeff" + text.getvalue()).encode("utf-8"))


def legacy_write_all(out_dir: Path, tables: dict[str, list[dict]]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = {k: list(v) for k, v in tables.items()}
    files = {r.get("doc_id"): r.get("source_file") for r in tables.get("documents", [])}
    tables["parse_issues"] = list(tables.get("parse_issues", [])) + store.clamp_unrepresentable(tables, files)
    for t in contract.TABLES:
        legacy_write_table(out_dir, t.name, tables.get(t.name, []))


def differing(a: Path, b: Path) -> list[str]:
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert names == sorted(f"{t.name}.{e}" for t in contract.TABLES for e in ("csv", "parquet"))
    return [n for n in names if (a / n).read_bytes() != (b / n).read_bytes()]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[Path]:
    """The seeds, the odd-input fixtures, and a renamed copy of a seed (a duplicate by content)."""
    d = tmp_path_factory.mktemp("stream-in")
    files = [*raw_files(), *sorted(p for p in FIXTURES.iterdir() if p.name != "expectations.json")]
    for p in files:
        shutil.copy(p, d / p.name)
    if raw_files():
        shutil.copy(raw_files()[0], d / f"zz_copy_{raw_files()[0].name}")
    return sorted(d.iterdir())


def test_streamed_build_writes_the_in_memory_bytes(inputs, tmp_path):
    legacy_write_all(tmp_path / "legacy", build.parse_paths(inputs).tables)
    res = build.stream_paths(inputs, tmp_path / "streamed")
    assert res.documents == len(pq.read_table(tmp_path / "streamed" / "documents.parquet"))
    assert not differing(tmp_path / "legacy", tmp_path / "streamed")


def test_streamed_build_reports_the_issues_of_the_in_memory_build(inputs, tmp_path):
    mem = build.parse_paths(inputs)
    res = build.stream_paths(inputs, tmp_path)
    assert res.documents == mem.documents
    assert sorted(map(repr, res.issues)) == sorted(map(repr, mem.issues))
    assert any(i.code == "duplicate-file" for i in res.issues) == bool(raw_files())


def _odd_tables() -> dict[str, list[dict]]:
    """doc_ids that sort equal ('d01' / 'd1'), out of order, one row that does not fit, issues."""
    docs = [{"doc_id": d, "source_file": f"{d}.txt"} for d in ("d10", "d2", "d01", "d1", "c")]
    totals = [{"doc_id": d, "metric": m, "amount_wan": Decimal(a), "source_line": f"L{i}"}
              for i, (d, m, a) in enumerate([("d1", "b", "1.5"), ("d01", "a", "2"), ("d10", "a", "3"),
                                             ("d2", "z", "10" * 10), ("c", "a", "-0.0000001")])]
    issues = [{"doc_id": None, "source_file": "x.txt", "code": "c", "severity": "info", "where": "x", "message": "=1+1"},
              {"doc_id": "d1", "source_file": "d1.txt", "code": "c", "severity": "warning", "where": "L1", "message": "m"}]
    return {"documents": docs, "budget_totals": totals, "parse_issues": issues}


def test_write_all_sorts_like_the_legacy_writer(tmp_path):
    legacy_write_all(tmp_path / "legacy", _odd_tables())
    store.write_all(tmp_path / "new", _odd_tables())
    assert not differing(tmp_path / "legacy", tmp_path / "new")


def test_row_groups_do_not_depend_on_the_batches(tmp_path, monkeypatch):
    """A big table is cut into row groups at fixed row counts, however the rows came in."""
    monkeypatch.setattr(store, "ROW_GROUP_ROWS", 3)
    rows = [{"doc_id": f"d{i:03d}", "metric": m, "amount_wan": Decimal(i), "source_line": "L1"}
            for i in range(7) for m in ("a", "b")]
    store.write_table(tmp_path / "one", "budget_totals", rows)
    (tmp_path / "batched").mkdir()
    w = store.TableWriter(tmp_path / "batched", "budget_totals")
    for i in range(0, len(rows), 2):  # one document at a time
        w.write([contract.normalize_row("budget_totals", r) for r in rows[i:i + 2]])
    w.close()
    for ext in ("parquet", "csv"):
        assert (tmp_path / "one" / f"budget_totals.{ext}").read_bytes() == \
            (tmp_path / "batched" / f"budget_totals.{ext}").read_bytes()
    meta = pq.ParquetFile(tmp_path / "one" / "budget_totals.parquet").metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [3, 3, 3, 3, 2]
    assert pq.read_table(tmp_path / "one" / "budget_totals.parquet").to_pylist() == \
        store.to_arrow("budget_totals", rows).to_pylist()


def test_documents_out_of_order_are_refused(tmp_path):
    with pytest.raises(ValueError, match="order"):
        with store.TablesWriter(tmp_path / "out") as w:
            w.add({"documents": [{"doc_id": "b"}]})
            w.add({"documents": [{"doc_id": "a"}]})
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert not list(tmp_path.glob(".out.new"))


def test_streamed_build_through_the_cache_writes_the_same_bytes(inputs, tmp_path):
    build.stream_paths(inputs, tmp_path / "plain")
    build.stream_paths(inputs, tmp_path / "cold", cache_dir=tmp_path / "cache")
    build.stream_paths(inputs, tmp_path / "warm", jobs=2, cache_dir=tmp_path / "cache")
    assert not differing(tmp_path / "plain", tmp_path / "cold")
    assert not differing(tmp_path / "plain", tmp_path / "warm")


def test_a_cache_entry_gone_mid_build_is_parsed_again(inputs, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    build.stream_paths(inputs, tmp_path / "plain", cache_dir=cache)
    real_get = build.Spill.get

    def get_after_wipe(self, i, path):  # another build pruned the cache between the two passes
        shutil.rmtree(cache, ignore_errors=True)
        return real_get(self, i, path)

    monkeypatch.setattr(build.Spill, "get", get_after_wipe)
    build.stream_paths(inputs, tmp_path / "wiped", cache_dir=cache)
    assert not differing(tmp_path / "plain", tmp_path / "wiped")


def test_twins_are_paired_from_metadata_like_the_in_memory_build(tmp_path):
    """Corpus 51 (text booklet) + 52 (table book): one budget in two files, joined from the identities
    the workers noted, loading only the pair; the same bytes as joining every one-sided file at once."""
    from conftest import SHARED

    pair = sorted((SHARED / "corpus").glob("5[12]_*.pdf")) if (SHARED / "corpus").is_dir() else []
    if len(pair) != 2:
        pytest.skip("the corpus pair 51 + 52 is not here")
    files = [*pair, *raw_files()[:1]]
    mem = build.parse_paths(files)
    assert any(r["twin_files"] for r in mem.tables["documents"]), "the pair is joined"
    legacy_write_all(tmp_path / "legacy", mem.tables)
    build.stream_paths(files, tmp_path / "streamed", jobs=2, cache_dir=tmp_path / "cache")
    build.stream_paths(files, tmp_path / "warm", cache_dir=tmp_path / "cache")
    assert not differing(tmp_path / "legacy", tmp_path / "streamed")
    assert not differing(tmp_path / "legacy", tmp_path / "warm")


# ---------------------------------------------------------------- column-wise CSV, prepared documents

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["=SUM(A1)", "+1", "-2", "@x", "\tx", "\rx", 'a"b', "a,b", "a\nb", "a\r\nb", "", " ", "''", "一般公共预算"])
_dec = st.decimals(min_value=Decimal("-99999999999999"), max_value=Decimal("99999999999999"), places=6,
                   allow_nan=False, allow_infinity=False) | st.sampled_from(
    [Decimal("0"), Decimal("-0"), Decimal("1E+3"), Decimal("0.000001"), Decimal("-12.5"), Decimal("100")])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.none() | _text, st.none() | _dec, st.none() | st.integers(-(2**63), 2**63 - 1),
                          st.none() | st.booleans(), st.none() | st.dates()), max_size=20))
def test_csv_bytes_are_what_csv_writer_writes(rows):
    """Formatting and quoting a whole column with Arrow compute gives csv.writer's bytes exactly."""
    types = ["str", "dec", "int", "bool", "date"]
    arrow_types = [pa.string(), store._ARROW["dec"], pa.int64(), pa.bool_(), pa.date32()]
    table = pa.table([store._column([r[i] for r in rows], at) for i, at in enumerate(arrow_types)],
                     names=["s", "d", "i", "b", "t"])
    text = io.StringIO()
    w = csv.writer(text, lineterminator="\r\n")
    for r in table.to_pylist():
        w.writerow([store.format_csv_value(r[n]) for n in ("s", "d", "i", "b", "t")])
    assert store.csv_bytes(table, types) == text.getvalue().encode("utf-8")


def test_prepared_documents_write_what_add_writes(inputs, tmp_path):
    """A document's tables prepared in the parse worker (clamped, normalized, sorted, as Arrow) and
    appended give the bytes of the writer preparing the rows itself, out-of-range values included."""
    seeds = build.parse_paths(inputs).tables
    for label, tables in (("seeds", lambda: copy.deepcopy(seeds)), ("odd", _odd_tables)):
        for how in ("rows", "prepared"):
            with store.TablesWriter(tmp_path / how / label) as w:  # add() clamps its rows in place: a copy each
                for g in store.group_by_document(tables()):
                    doc = store.prepare_document(g) if how == "prepared" else None
                    if doc is None:
                        w.add(g)
                    else:  # the rest of the group (parse_issues) is added as it is
                        w.add_prepared(doc)
                        w.add({k: v for k, v in g.items() if not store.document_major(k)})
        assert not differing(tmp_path / "rows" / label, tmp_path / "prepared" / label)
    issues = pq.read_table(tmp_path / "prepared" / "odd" / "parse_issues.parquet").to_pylist()
    assert any(i["code"] == "value-out-of-range" for i in issues)


def test_prepare_leaves_rows_of_several_documents_to_the_writer():
    tables = _odd_tables()
    assert store.prepare_document(tables) is None
    before = repr(tables)
    one = {k: [r for r in v if r.get("doc_id") == "d2"] for k, v in tables.items()}
    doc = store.prepare_document(one)
    assert doc is not None and doc.clamped and repr(tables) == before  # the given rows are not changed


def test_the_streamed_build_appends_prepared_documents(inputs, tmp_path, monkeypatch):
    used = []
    real = store.TablesWriter.add_prepared
    monkeypatch.setattr(store.TablesWriter, "add_prepared", lambda self, d: (used.append(d.key), real(self, d)))
    res = build.stream_paths(inputs, tmp_path / "out")
    assert len(used) >= res.documents - 2  # all but documents sharing a doc_id key with another file


def test_a_pickled_file_result_unpacks_its_rows_only_when_asked(inputs):
    import pickle

    fr = build.prepared_file(inputs[0])
    back = pickle.loads(pickle.dumps(fr))
    assert "tables" not in back.__dict__ and back.prepared is not None  # the writer reads only this
    again = pickle.loads(pickle.dumps(back))  # passed on still packed
    assert back.tables == fr.tables and again.tables == fr.tables
    assert back == fr
    empty = build.FileResult("x", "", "", [], None, [])
    assert pickle.loads(pickle.dumps(empty)).tables is None
