"""Issue 10: hypothesis over the value parsers, the text reader and the whole parse of mutated seeds.
Every stage is total: no exception escapes, a document that was read keeps its documents row, and
every table can be written (Parquet + CSV). Long runs: bench/fuzz.py."""

from __future__ import annotations

import random
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import build, values
from generator.parse import readers
from generator.publish import store

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
import fuzz  # noqa: E402

SEEDS = fuzz.seeds(ROOT / "data" / "raw")
CELLS = st.one_of(st.text(max_size=60), st.sampled_from(fuzz.HOSTILE),
                  st.from_regex(r"[约-]?\d{1,40}(\.\d{0,20})?(%|万元|元)?(以上|以下)?", fullmatch=True))
QUICK = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(CELLS)
def test_value_parsers_are_total(s):
    values.try_amount(s)
    values.try_percent(s)
    values.parse_target(s)
    values.parse_date(s)
    values.parse_code(s)
    try:
        values.parse_amount(s)
    except ValueError:
        pass


@QUICK
@given(st.binary(max_size=3000))
def test_reader_is_total_on_any_bytes(tmp_path_factory, data):
    p = tmp_path_factory.mktemp("b") / "x.txt"
    p.write_bytes(data)
    readers.read(p)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0, max_value=2**31))
def test_whole_parse_of_mutated_seeds(tmp_path, i):
    name, data = fuzz.make_input(i, SEEDS)
    path = tmp_path / name
    path.write_bytes(data)
    doc, _ = readers.read(path)
    res = build.parse_paths([path])
    store.write_all(tmp_path / "out", res.tables)
    if doc is not None:
        assert len(res.tables["documents"]) == 1, "a document that was read is never dropped"
        assert not any(r["code"] == "parse-crash" for r in res.tables["parse_issues"])


def test_huge_numbers_and_odd_percentages_survive(tmp_path):
    """The measured failures: 15+ digit amounts and '约25%' plans keep the document and its projects."""
    name, data = SEEDS[0]
    text = data.decode("utf-8")
    rng = random.Random(0)
    digits = [k for k, ch in enumerate(text) if ch.isdigit()]
    for k in sorted(rng.sample(digits, 20), reverse=True):
        text = text[:k] + "9" * 16 + text[k:]
    text = text.replace("25%", "约25%", 1).replace("%", "1e308%", 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    res = build.parse_paths([path])
    store.write_all(tmp_path / "out", res.tables)
    assert len(res.tables["documents"]) == 1
    assert res.tables["projects"], "projects survive an odd cell"
