"""Golden facts about the two Shanghai PDF disclosures (../shared/golden/pdf-samples.json).

The PDFs are read from ../shared/pdf-samples/ (never committed); everything skips when absent.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from golden_report import GOLDEN
from test_golden import check_fact, golden_evaluator_for, golden_params

from generator.publish import store

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT.parent / "shared" / "pdf-samples"


@pytest.fixture(scope="session")
def pdf_db(tmp_path_factory):
    pdfs = sorted(SAMPLES.glob("*.pdf")) if SAMPLES.is_dir() else []
    if not pdfs:
        pytest.skip(f"{SAMPLES} absent")
    out = tmp_path_factory.mktemp("pdf-samples")
    r = subprocess.run([sys.executable, "-m", "generator", "parse", *map(str, pdfs), "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    return store.connect(out)


@pytest.mark.golden
@pytest.mark.parametrize("fact", golden_params(sorted(GOLDEN.glob("pdf-samples.json"))))
def test_pdf_golden_fact(pdf_db, fact):
    check_fact(golden_evaluator_for(pdf_db), fact)


def test_same_pdf_twice_is_one_document(tmp_path):
    pdfs = sorted(SAMPLES.glob("*.pdf")) if SAMPLES.is_dir() else []
    if not pdfs:
        pytest.skip(f"{SAMPLES} absent")
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ["a.pdf", "copy-of-a.pdf"]:
        (raw / name).write_bytes(pdfs[0].read_bytes())
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "generator", "data", "--raw", str(raw), "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    con = store.connect(out)
    assert con.execute("select count(*) from documents").fetchone()[0] == 1
    codes = [c for (c,) in con.execute("select code from parse_issues").fetchall()]
    assert "duplicate-file" in codes


def test_checks_pass_on_the_pdf_samples(pdf_db):
    """The two Shanghai files agree with themselves: no check fails (rounding of 元 to 万元 in prose is
    `rounding`, not `fail`), and both score every required disclosure item."""
    fails = pdf_db.execute("SELECT doc_id, check_id, message FROM checks WHERE status = 'fail'").fetchall()
    assert not fails, fails
    rounding = pdf_db.execute("SELECT count(*) FROM checks WHERE status = 'rounding'").fetchone()[0]
    assert rounding >= 2
