"""downloads/budget.sql: a DuckDB script of one view per contract table over the published Parquet files
(it replaced a database file holding the same rows again). Run where the downloads page says, in the
downloads folder, every view must be its Parquet table: same rows, in key order, same column names and
types; the table's title and meaning and each column's meaning are comments. Same tables, same bytes."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from generator import contract
from generator.publish import site


def _order_key(row: dict, key: tuple[str, ...]) -> tuple:
    # ORDER BY key NULLS FIRST: NULL before any value, text by code point (DuckDB's default collation)
    return tuple((row[k] is not None, row[k]) for k in key)


def assert_views_equal_parquet(folder: Path) -> None:
    """Run folder/budget.sql with folder as the working directory (the caller chdirs) and compare every
    view to tables/<name>.parquet as read by pyarrow."""
    con = duckdb.connect()
    try:
        con.execute((folder / site.SQL_SCRIPT).read_text(encoding="utf-8"))
        views = dict(con.execute("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall())
        assert set(views) == {t.name for t in contract.TABLES}
        for t in contract.TABLES:
            path = folder / "tables" / f"{t.name}.parquet"
            assert views[t.name] == f"{t.title}：{t.doc}"
            cur = con.execute(f'SELECT * FROM "{t.name}"')
            names = [d[0] for d in cur.description]
            rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
            want = pq.read_table(path).to_pylist()
            assert names == pq.read_schema(path).names == t.names, t.name
            # the same rows (as a multiset), and in the order of the table's key
            assert sorted(map(repr, rows)) == sorted(map(repr, want)), t.name
            keys = [_order_key(r, t.key) for r in rows]
            assert keys == sorted(keys), t.name
            # column types: the view's are the Parquet file's, money exact
            types = con.execute(f"SELECT column_name, data_type, comment FROM duckdb_columns() "
                                f"WHERE table_name = '{t.name}' ORDER BY column_index").fetchall()
            file_types = con.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))",
                                     [path.as_posix()]).fetchall()
            assert [(n, ty) for n, ty, _ in types] == file_types, t.name
            for (name, ty, comment), c in zip(types, t.columns, strict=True):
                assert comment.startswith(c.doc), (t.name, name)
                if c.type == "dec":
                    assert ty == f"DECIMAL({contract.DECIMAL_PRECISION},{contract.DECIMAL_SCALE})", (t.name, name)
    finally:
        con.close()


def _downloads(root: Path, processed: Path, dest: Path) -> Path:
    (root / "data" / "raw").mkdir(parents=True, exist_ok=True)
    site.write_downloads(root, processed, dest)
    return dest


def test_views_equal_the_seed_tables(parsed_seeds, tmp_path, monkeypatch):
    dl = _downloads(tmp_path, parsed_seeds, tmp_path / "dl")
    assert not (dl / "budget.duckdb").exists()
    monkeypatch.chdir(dl)
    assert_views_equal_parquet(Path("."))
    assert any(pq.read_metadata(p).num_rows for p in (dl / "tables").glob("*.parquet")), "the seeds fill some tables"


def test_script_is_identical_between_builds(parsed_seeds, tmp_path):
    a = _downloads(tmp_path / "a", parsed_seeds, tmp_path / "a" / "dl")
    b = _downloads(tmp_path / "b", parsed_seeds, tmp_path / "b" / "dl")
    assert (a / site.SQL_SCRIPT).read_bytes() == (b / site.SQL_SCRIPT).read_bytes()


def test_script_quotes_names_and_text():
    """Names are quoted (parse_issues has a column `where`), text literals double their quotes."""
    sql = site.sql_script(["parse_issues"])
    assert 'COMMENT ON COLUMN "parse_issues"."where"' in sql
    assert "CREATE OR REPLACE VIEW \"documents\"" not in sql  # only the tables asked for
    assert site._sql_text("it's") == "'it''s'"
    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE t AS SELECT 1 AS \"where\"")
        con.execute(f"CREATE VIEW v AS SELECT * FROM t; COMMENT ON COLUMN v.\"where\" IS {site._sql_text(chr(39) + 'x')}")
        assert con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'v'").fetchone()[0] == "'x"
    finally:
        con.close()


def test_working_directory_or_file_search_path(parsed_seeds, tmp_path, monkeypatch):
    """The views read tables/<name>.parquet relative to the working directory; elsewhere the script fails
    unless file_search_path names the folder (as the downloads page says)."""
    dl = _downloads(tmp_path, parsed_seeds, tmp_path / "dl")
    monkeypatch.chdir(tmp_path)
    script = (dl / site.SQL_SCRIPT).read_text(encoding="utf-8")
    con = duckdb.connect()
    try:
        with pytest.raises(duckdb.IOException):
            con.execute(script)
        con.execute(f"SET file_search_path = '{dl.as_posix()}'")
        con.execute(script)
        n = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        assert n == pq.read_metadata(dl / "tables" / "documents.parquet").num_rows > 0
    finally:
        con.close()
