"""The command line: parse writes every contract table; --stage dumps JSON; bad files become issues.

Each file in tests/fixtures/inputs/ becomes a test (expectations in expectations.json there):
alone in a temp raw dir, `python -m generator data --raw RAW --out OUT` must exit 0, write
every table, and either give the file a documents row or list it in parse_issues.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from conftest import ROOT, raw_files, run_generator

from generator import contract
from generator.publish import store

INPUTS = ROOT / "tests" / "fixtures" / "inputs"
EXPECT: dict[str, dict[str, Any]] = {
    k: v for k, v in json.loads((INPUTS / "expectations.json").read_text(encoding="utf-8")).items()
    if not k.startswith("_")
}
INPUT_FILES = sorted(p.name for p in INPUTS.iterdir()
                     if p.is_file() and p.name != "expectations.json" and not p.name.startswith("."))
STAGES = ("blocks", "sections", "tables", "records")


def smallest_seed() -> Path:
    files = raw_files()
    if not files:
        pytest.skip("data/raw is empty")
    return min(files, key=lambda p: p.stat().st_size)


def assert_all_tables_written(out: Path) -> None:
    """Every contract table as .parquet and .csv, with the contract's schema, even when empty."""
    problems = []
    for t in contract.TABLES:
        pq_path, csv_path = out / f"{t.name}.parquet", out / f"{t.name}.csv"
        if not pq_path.exists() or not csv_path.exists():
            problems.append(f"{t.name}: missing {'parquet' if not pq_path.exists() else 'csv'}")
            continue
        got = pq.read_schema(pq_path)
        want = store.arrow_schema(t.name)
        if [(f.name, f.type) for f in got] != [(f.name, f.type) for f in want]:
            problems.append(f"{t.name}.parquet schema {[(f.name, str(f.type)) for f in got]}")
        with csv_path.open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f), None)
        if header != t.names:
            problems.append(f"{t.name}.csv header {header} != {t.names}")
    assert not problems, "output does not hold every contract table:\n  " + "\n  ".join(problems)


def read_table(out: Path, table: str) -> list[dict[str, str]]:
    return store.read_csv_rows(out / f"{table}.csv")


# ---------------------------------------------------------------- parse


def test_parse_writes_every_table_for_a_seed(tmp_path):
    seed = smallest_seed()
    run_generator("parse", seed, "--out", tmp_path)
    assert_all_tables_written(tmp_path)
    docs = read_table(tmp_path, "documents")
    assert [d["source_file"] for d in docs] == [seed.name]


def test_parse_writes_empty_tables_with_schema(tmp_path):
    """A file that yields no document still gives every table (header only, typed Parquet)."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "out"
    run_generator("parse", empty, "--out", out)
    assert_all_tables_written(out)
    assert read_table(out, "documents") == []
    assert pq.read_table(out / "documents.parquet").num_rows == 0


@pytest.mark.parametrize("stage", STAGES)
def test_parse_stage_prints_json(stage):
    seed = smallest_seed()
    r = run_generator("parse", seed, "--stage", stage)
    try:
        data = json.loads(r.stdout)
    except json.JSONDecodeError as e:
        pytest.fail(f"--stage {stage} did not print one JSON document: {e}\n{r.stdout[:2000]}")
    assert isinstance(data, dict) and data.get("file") == seed.name, f"--stage {stage}: {str(data)[:500]}"
    assert len(data) > 1, f"--stage {stage} printed nothing but the file name: {data}"


def test_data_strict_fails_on_unreadable_file(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "empty.txt").write_bytes(b"")
    r = run_generator("data", "--raw", raw, "--out", out, "--strict", check=False)
    rc = r.returncode
    assert rc == 1, f"--strict should exit 1 on an unreadable file; exited {rc}\n{r.stderr[-4000:]}"


# ---------------------------------------------------------------- hand-made inputs


def test_every_input_has_an_expectation():
    assert sorted(EXPECT) == INPUT_FILES, (
        f"tests/fixtures/inputs and expectations.json disagree: "
        f"no expectation for {sorted(set(INPUT_FILES) - set(EXPECT))}, "
        f"no file for {sorted(set(EXPECT) - set(INPUT_FILES))}")


def _strings(x: Any) -> list[str]:
    if isinstance(x, str):
        return [x]
    if isinstance(x, dict):
        return [s for v in x.values() for s in _strings(v)]
    if isinstance(x, list):
        return [s for v in x for s in _strings(v)]
    return []


@pytest.mark.parametrize("name", INPUT_FILES)
def test_input_file(tmp_path, name):
    exp = EXPECT.get(name)
    assert exp is not None, f"no expectation for {name} in expectations.json"
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    shutil.copyfile(INPUTS / name, raw / name)
    r = run_generator("data", "--raw", raw, "--out", out, check=False)
    rc, err = r.returncode, r.stderr[-4000:]
    assert rc == 0, f"`data` exited {rc} on {name} ({exp['why']})\n{err}"
    assert_all_tables_written(out)
    docs = [d for d in read_table(out, "documents") if d["source_file"] == name]
    issues = [i for i in read_table(out, "parse_issues") if i["source_file"] == name]
    shown = f"documents={docs}\nparse_issues={issues}"
    if not exp["document"]:
        assert not docs, f"{name} ({exp['why']}) must not become a document\n{shown}"
        assert issues, f"{name} ({exp['why']}) must be listed in parse_issues with its file name\n{shown}"
        if exp.get("issue_codes"):
            codes = {i["code"] for i in issues}
            assert codes & set(exp["issue_codes"]), f"{name}: issue codes {codes}, want one of {exp['issue_codes']}"
        return
    assert len(docs) == 1, f"{name} ({exp['why']}) must give one documents row\n{shown}"
    if exp.get("encoding"):
        enc = (docs[0].get("encoding") or "").lower().replace("_", "-")
        assert enc in exp["encoding"], f"{name}: documents.encoding {enc!r}, want one of {exp['encoding']}"
    if exp.get("text_contains") or exp.get("text_lacks"):
        blocks = json.loads(run_generator("parse", raw / name, "--stage", "blocks").stdout)
        text = "\n".join(_strings(blocks.get("blocks", [])))
        missing = [s for s in exp.get("text_contains", []) if s not in text]
        present = [s for s in exp.get("text_lacks", []) if s in text]
        assert not missing and not present, (
            f"{name} ({exp['why']}): text read wrongly; missing {missing}, unwanted {present!r}\n"
            f"read as:\n{text[:1500]}")
