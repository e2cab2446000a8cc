"""The corpus of real disclosures (../shared/corpus, 20 PDFs from 12 provinces): every file parses with the
manifest's unit, year and kind, no crash; its golden facts (../shared/golden/corpus.json) hold; its key
figures match a snapshot (tests/snapshots/corpus/, regenerate on purpose with UPDATE_SNAPSHOTS=1).

The corpus is parsed once per test session (one `python -m generator parse` shared by the xdist workers).
Skipped when ../shared/corpus is absent; the PDFs are never committed.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SHARED, run_generator
from golden_report import GOLDEN, Evaluator, describe, golden_files, ids_for, load_facts

from generator.publish import store

CORPUS = SHARED / "corpus"
SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots" / "corpus"
KINDS = {"部门预算": "dept_budget", "单位预算": "unit_budget", "部门决算": "final_accounts", "单位决算": "final_accounts",
         "绩效目标": "performance"}
IDENTITY_TABLES = {"documents"}

# Facts whose table layout is not read yet (none today: every corpus layout of issue 8 is read). A new corpus
# fact that needs a new layout goes here until it lands; an entry that passes is reported as XPASS, never as
# a failure. Identity facts (the documents table) are never listed here.
TABLE_LAYOUT_PENDING: set[str] = set()

# Facts about one file of a budget printed in two files (a text booklet and its table book, joined into
# one document by parse/twins.py) that state what that file alone holds: after the join the document
# holds both files, so these facts describe the file, not the document. Issue 8: "Two files of the same
# unit, year and kind become one document, with provenance to each file" - that holds for 04 + 05 (both
# name 北京市政务服务和数据管理局, 2026, 部门预算) as for 51 + 52, so both pairs stay joined.
TWIN_SCOPE: dict[str, str] = {
    "05_-budget_totals-metric=basic_expenditure-amount_wan-p6":
        "05 prints 2 decimals in prose; joined with 04, whose tables print 6 decimals, the table figure is taken",
    "05_-budget_totals-metric=carryover_income-amount_wan-p5":
        "05 prints 2 decimals in prose; joined with 04, whose tables print 6 decimals, the table figure is taken",
    "05_-budget_totals-metric=expenditure_total-amount_wan-p6":
        "05 prints 2 decimals in prose; joined with 04, whose tables print 6 decimals, the table figure is taken",
    "05_-budget_totals-metric=general_budget_income-amount_wan-p5":
        "05's prose contradicts itself (一般公共预算拨款收入 101,673.03 = the total, beside 上年结转 4,950.85); joined with 04, "
        "its 收支总表 figure 96,722.180672 is taken",
    "05_-budget_totals-metric=income_total-amount_wan-p5":
        "05 prints 2 decimals in prose; joined with 04, whose tables print 6 decimals, the table figure is taken",
    "05_-budget_totals-metric=project_expenditure-amount_wan-p6":
        "05 prints 2 decimals in prose; joined with 04, whose tables print 6 decimals, the table figure is taken",
    "05_-expenditure_by_function-count":
        "05 (Beijing 附件1 说明, prose only) is joined with its 附件2 报表 (04): the document holds 04's function rows",
    "05_-three_public-fiscal_year=2026-category=reception-amount_wan-p7":
        "05 prints 2 decimals in prose; joined with 04, whose 三公 table prints 6 decimals, the table figure is taken",
    "05_-three_public-fiscal_year=2026-category=total-amount_wan-p7":
        "05 prints 2 decimals in prose; joined with 04, whose 三公 table prints 6 decimals, the table figure is taken",
    "51_-expenditure_by_function-count":
        "51 (Jiangsu text booklet) is joined with its table book (52): the document holds 52's function rows",
    "51_-three_public-fiscal_year=2019-category=vehicle_purchase-amount_wan-p12":
        "51's prose says 0; the joined table book (52) leaves the cell empty (NULL), and a table figure is taken before prose",
}

# Count facts that state one project's indicators (the first table's rows, per their notes) but carry no
# `match: {project_seq: 1}`: the document's count is of every project's indicators. The first project's
# count is right in each (04: 11, 10: 6, 15: 7, 26: 6, 31: 6, 41: 9, 59: 19); the facts need the match.
FIRST_PROJECT_COUNTS: dict[str, str] = {
    "04_-indicators-count": "82 projects; project 1 has the 11 indicators the note counts",
    "10_-indicators-count": "3 projects and the 部门整体 表十 (6, no project); project 1 (水库移民后期扶持) has the 6 "
                            "indicators the note counts",
    "15_-indicators-count": "70 projects; project 1 has the 7 indicators the note counts",
    "26_-indicators-count": "13 projects; project 1 has the 6 indicators the note counts",
    "31_-indicators-count": "9 projects and the 部门整体 table; project 1 has the 6 indicators the note counts",
    "41_-indicators-count": "3 projects; project 1 has the 9 indicators the note counts",
    "59_-indicators-count": "24 projects; project 1 has the 19 indicators the note counts",
}

needs_corpus = pytest.mark.skipif(not (CORPUS / "manifest.json").is_file(), reason=f"{CORPUS} is absent")


def manifest() -> list[dict[str, Any]]:
    path = CORPUS / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []


def _entries() -> list[Any]:
    rows = manifest()
    if not rows:
        return [pytest.param(None, id="no-corpus", marks=pytest.mark.skip(reason=f"{CORPUS} is absent"))]
    return [pytest.param(m, id=m["file"][:2] if m["file"][:2].isascii() else m["sha256"][:8]) for m in rows]


@pytest.fixture(scope="session")
def corpus_out(tmp_path_factory) -> Path:
    """Output dir of ONE parse of every corpus file, shared by the xdist workers of this run."""
    if not (CORPUS / "manifest.json").is_file():
        pytest.skip(f"{CORPUS} is absent")
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    out = (tmp_path_factory.getbasetemp().parent / f"corpus-{run}") if run else tmp_path_factory.mktemp("corpus")
    out.mkdir(parents=True, exist_ok=True)
    with open(out.parent / f"corpus-{run or 'solo'}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (out / "documents.parquet").exists():
                files = [CORPUS / m["file"] for m in manifest()]
                run_generator("parse", *files, "--out", out, timeout=1800)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return out


@pytest.fixture(scope="session")
def corpus_db(corpus_out) -> Iterator[Any]:
    con = store.connect(corpus_out)
    yield con
    con.close()


def doc_of(con: Any, file: str) -> dict[str, Any]:
    """The documents row a file became (its own, or its twin's when it was joined to it)."""
    cur = con.execute("SELECT * FROM documents WHERE source_file = ? OR list_contains(string_split(twin_files, '; '), ?)",
                      [file, file])
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    assert len(rows) == 1, f"{file}: {len(rows)} documents rows"
    return rows[0]


def _paren(s: str | None) -> str | None:
    return s.replace("（", "(").replace("）", ")") if s else s


@needs_corpus
@pytest.mark.parametrize("entry", _entries())
def test_identity_as_in_the_manifest(corpus_db, entry):
    d = doc_of(corpus_db, entry["file"])
    got = (_paren(d["unit_name"]), d["year"], d["doc_kind"])
    want = (_paren(entry["issuing_unit"]), entry["year"], KINDS[entry["kind"]])
    if d["twin_files"] and got[0] != want[0]:  # a joined pair is named as its booklet's cover prints it
        assert want[0].endswith(got[0]) or got[0].endswith(want[0]), (got, want)
        got = (want[0], *got[1:])
    assert got == want


@needs_corpus
def test_no_file_crashes(corpus_db):
    bad = corpus_db.execute("SELECT source_file, code, message FROM parse_issues "
                            "WHERE code IN ('parse-crash', 'checks-crash', 'unreadable-file')").fetchall()
    assert not bad, bad


@needs_corpus
def test_scanned_pages_are_read_by_ocr_and_marked(corpus_db):
    """05 has no text layer: OCR reads it, every row from it says '~ocr', documents.ocr_pages lists the pages."""
    scanned = [m["file"] for m in manifest() if m.get("text_layer") == "no"]
    for file in scanned:
        d = doc_of(corpus_db, file)
        assert d["ocr_pages"], d
        own = " UNION ALL ".join(f"SELECT source_line FROM {t} WHERE doc_id = $1 AND source_line NOT LIKE '%:%'"
                                 for t in ("budget_totals", "three_public", "operating_expenses"))
        lines = [r[0] for r in corpus_db.execute(own, [d["doc_id"]]).fetchall()]  # rows from the scan, not its twin
        assert lines and all(ln.endswith("~ocr") for ln in lines), lines


# ---------------------------------------------------------------- golden facts


_FACTS = load_facts(golden_files(GOLDEN, "corpus.json"))
_EV: dict[int, Evaluator] = {}


def _facts() -> list[Any]:
    if not _FACTS:
        return [pytest.param(None, id="no-corpus-facts", marks=pytest.mark.skip(reason=f"{GOLDEN}/corpus.json absent"))]
    out = []
    for fid, fact in zip(ids_for(_FACTS), _FACTS, strict=True):
        marks = []
        if fid in TWIN_SCOPE:
            marks = [pytest.mark.xfail(strict=True, reason=f"twin: {TWIN_SCOPE[fid]}")]
        elif fid in FIRST_PROJECT_COUNTS:
            marks = [pytest.mark.xfail(strict=True, reason=f"golden fact lacks its match: {FIRST_PROJECT_COUNTS[fid]}")]
        elif fid in TABLE_LAYOUT_PENDING and fact["table"] not in IDENTITY_TABLES:
            marks = [pytest.mark.xfail(strict=False, reason="table layout: issue 8 part B")]
        out.append(pytest.param(fact, id=fid, marks=marks))
    return out


@needs_corpus
@pytest.mark.golden
@pytest.mark.parametrize("fact", _facts())
def test_corpus_golden_fact(corpus_db, fact):
    ev = _EV.setdefault(id(corpus_db), Evaluator(corpus_db))
    out = ev.evaluate(fact)
    if out.status != "pass":
        pytest.fail(describe(fact, out), pytrace=False)


@needs_corpus
@pytest.mark.golden
@pytest.mark.parametrize("fid", sorted(FIRST_PROJECT_COUNTS))
def test_first_project_indicator_counts_as_the_notes_say(corpus_db, fid):
    """The facts above count the first project's indicators (their notes say so) but lack the match that
    would say it: evaluated with that match they must hold."""
    facts = dict(zip(ids_for(_FACTS), _FACTS, strict=True))
    if fid not in facts:
        pytest.skip("no corpus facts")
    fact = {**facts[fid], "match": {**facts[fid].get("match", {}), "project_seq": 1}}
    out = _EV.setdefault(id(corpus_db), Evaluator(corpus_db)).evaluate(fact)
    if out.status != "pass":
        pytest.fail(describe(fact, out), pytrace=False)


def test_pending_lists_name_real_facts():
    ids = set(ids_for(_FACTS))
    if not ids:
        pytest.skip("no corpus facts")
    assert TABLE_LAYOUT_PENDING <= ids and set(TWIN_SCOPE) <= ids and set(FIRST_PROJECT_COUNTS) <= ids
    identity = {i for i, f in zip(ids_for(_FACTS), _FACTS, strict=True) if f["table"] in IDENTITY_TABLES}
    assert not (TABLE_LAYOUT_PENDING | set(TWIN_SCOPE) | set(FIRST_PROJECT_COUNTS)) & identity


# ---------------------------------------------------------------- key figures per file


def key_figures(con: Any, file: str) -> dict[str, Any]:
    d = doc_of(con, file)
    doc = d["doc_id"]
    out: dict[str, Any] = {k: d[k] for k in ("unit_name", "unit_code", "year", "doc_kind", "amount_unit", "ocr_pages",
                                             "twin_files")}
    out["joined_into"] = d["source_file"] if d["source_file"] != file else None
    out["totals"] = {m: format(a.normalize(), "f") for m, a in con.execute(
        "SELECT metric, amount_wan FROM budget_totals WHERE doc_id = ? ORDER BY metric", [doc]).fetchall()}
    out["three_public"] = {f"{y}:{c}": (None if a is None else format(a.normalize(), "f")) for y, c, a in con.execute(
        "SELECT fiscal_year, category, amount_wan FROM three_public WHERE doc_id = ? ORDER BY 1, 2", [doc]).fetchall()}
    out["counts"] = {t: con.execute(f'SELECT count(*) FROM "{t}" WHERE doc_id = ?', [doc]).fetchone()[0]
                     for t in ("expenditure_by_function", "income_by_function", "expenditure_by_economic", "projects",
                               "indicators", "operating_expenses", "procurement", "units")}
    out["checks_failing"] = con.execute("SELECT count(*) FROM checks WHERE doc_id = ? AND status = 'fail'",
                                        [doc]).fetchone()[0]
    return out


@needs_corpus
@pytest.mark.parametrize("entry", _entries())
def test_key_figures_snapshot(corpus_db, entry):
    got = key_figures(corpus_db, entry["file"])
    path = SNAPSHOTS / f"{entry['file'][:2] if entry['file'][:2].isascii() else 'x'}-{entry['sha256'][:12]}.json"
    text = json.dumps({"file": entry["file"], **got}, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") or not path.exists():
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not os.environ.get("UPDATE_SNAPSHOTS"):
            pytest.fail(f"{path} was missing and has been written; review and commit it", pytrace=False)
    want = path.read_text(encoding="utf-8")
    assert text == want, (f"{entry['file']}: key figures differ from {path.name} (if intended: UPDATE_SNAPSHOTS=1 "
                          f".venv/bin/python -m pytest tests/parse/test_corpus.py -k snapshot, review the diff)")
