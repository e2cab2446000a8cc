"""Same input, same bytes: two separate parses of data/raw must write identical files.

The two runs use different PYTHONHASHSEEDs so set/dict-order accidents show up.
Also: CSVs are UTF-8 with BOM, and every money column (*_wan) is decimal128(20,6) in Parquet.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, raw_files

from generator import contract


def _parse(out: Path, hashseed: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    cmd = [sys.executable, "-m", "generator", "parse", *map(str, raw_files()), "--out", str(out)]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def two_parses(tmp_path_factory) -> tuple[Path, Path]:
    if not raw_files():
        pytest.skip("data/raw is empty")
    a, b = tmp_path_factory.mktemp("det-a"), tmp_path_factory.mktemp("det-b")
    procs = [_parse(a, "1"), _parse(b, "2")]  # run side by side
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, f"parse exited {p.returncode}:\n{err[-4000:]}"
    return a, b


def test_two_parses_are_byte_identical(two_parses):
    a, b = two_parses
    names_a = sorted(p.name for p in a.iterdir())
    names_b = sorted(p.name for p in b.iterdir())
    assert names_a == names_b, "the two runs wrote different file sets"
    expected = sorted(f"{t.name}.{ext}" for t in contract.TABLES for ext in ("csv", "parquet"))
    assert names_a == expected, f"unexpected output files: {sorted(set(names_a) ^ set(expected))}"
    differ = [n for n in names_a if (a / n).read_bytes() != (b / n).read_bytes()]
    assert not differ, f"files differ between two parses of the same input: {differ}"


def test_csv_files_start_with_utf8_bom(two_parses):
    a, _ = two_parses
    no_bom = [p.name for p in sorted(a.glob("*.csv")) if not p.read_bytes().startswith(b"\xef\xbb\xbf")]
    assert not no_bom, f"CSV files without a UTF-8 BOM: {no_bom}"


def test_money_columns_are_decimal_20_6(two_parses):
    a, _ = two_parses
    want = pa.decimal128(contract.DECIMAL_PRECISION, contract.DECIMAL_SCALE)
    assert (contract.DECIMAL_PRECISION, contract.DECIMAL_SCALE) == (20, 6)
    bad, seen = [], 0
    for t in contract.TABLES:
        schema = pq.read_schema(a / f"{t.name}.parquet")
        for field in schema:
            if field.name.endswith("_wan"):
                seen += 1
                if field.type != want:
                    bad.append(f"{t.name}.{field.name}: {field.type}")
        missing = [c for c in t.names if c.endswith("_wan") and c not in schema.names]
        bad += [f"{t.name}.{c}: missing" for c in missing]
    assert seen > 0, "no *_wan columns found at all"
    assert not bad, f"money columns not decimal128(20,6): {bad}"
