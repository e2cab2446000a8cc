"""Every parsed table of every seed against tests/snapshots/<seed file stem>/<table>.csv.

A change of parse output is a reviewed diff: regenerate on purpose with

    UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/parse/test_snapshots.py

Snapshots hold the rows of one document (header + rows whose doc_id is that document),
as CSV with "\\n" line ends and no BOM, so git diffs stay readable. Until the folder
tests/snapshots/ exists at all, these tests skip.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
from pathlib import Path

import pytest
from conftest import ROOT, raw_files

from generator import contract

SNAPSHOTS = ROOT / "tests" / "snapshots"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS", "") not in ("", "0")

pytestmark = pytest.mark.skipif(
    not SNAPSHOTS.is_dir() and not UPDATE,
    reason="tests/snapshots/ does not exist yet; create it with UPDATE_SNAPSHOTS=1 pytest tests/parse/test_snapshots.py",
)

SEEDS = [p.name for p in raw_files()]
TABLES = [t.name for t in contract.TABLES]


def doc_id_of(outdir: Path, seed: str) -> str:
    with (outdir / "documents.csv").open(encoding="utf-8-sig", newline="") as f:
        ids = [r["doc_id"] for r in csv.DictReader(f) if r["source_file"].endswith(seed)]
    assert len(ids) == 1, f"{len(ids)} documents rows for {seed}: {ids}"
    return ids[0]


def table_csv_for_doc(outdir: Path, table: str, doc_id: str) -> str:
    """Header + the rows of `doc_id`, re-serialized from the parse output's CSV (order kept)."""
    path = outdir / f"{table}.csv"
    assert path.exists(), f"parse output lacks {path.name}"
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    i = header.index("doc_id")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(r for r in body if r[i] == doc_id)
    return buf.getvalue()


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("seed", SEEDS)
def test_snapshot(parsed_seeds, seed, table):
    doc_id = doc_id_of(parsed_seeds, seed)
    got = table_csv_for_doc(parsed_seeds, table, doc_id)
    snap = SNAPSHOTS / Path(seed).stem / f"{table}.csv"  # by file: doc_ids are content hashes
    if UPDATE:
        snap.parent.mkdir(parents=True, exist_ok=True)
        if not snap.exists() or snap.read_text(encoding="utf-8") != got:
            snap.write_bytes(got.encode("utf-8"))
        return
    if not snap.exists():
        pytest.fail(f"no snapshot {snap.relative_to(ROOT)}; review the parse output, then create it with\n"
                    f"  UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/parse/test_snapshots.py", pytrace=False)
    want = snap.read_text(encoding="utf-8")
    if got != want:
        diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                            f"snapshot {snap.relative_to(ROOT)}", "parsed now", n=1))
        lines = diff.splitlines(True)
        if len(lines) > 80:
            diff = "".join(lines[:80]) + f"… {len(lines) - 80} more diff lines\n"
        pytest.fail(f"{seed} {table}: parse output differs from the snapshot "
                    f"(if intended: UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/parse/test_snapshots.py)\n{diff}",
                    pytrace=False)


def test_no_stale_snapshots(parsed_seeds):
    """A snapshot folder/file for a document or table that is no longer parsed is stale."""
    if not SNAPSHOTS.is_dir():
        pytest.skip("no snapshots yet")
    ids = {Path(s).stem for s in SEEDS}
    stale = [p.relative_to(ROOT).as_posix() for p in sorted(SNAPSHOTS.rglob("*.csv"))
             if p.parent.name not in ids or p.stem not in TABLES]
    assert not stale, f"stale snapshot files (delete them): {stale}"
