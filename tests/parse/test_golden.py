"""Golden facts from ../shared/golden/0*.json: one parametrized case per fact.

The evaluation lives in golden_report.py (also a script for the parser loop). Another
module can check other facts against another parse input the same way:

    from test_golden import golden_params, check_fact
    @pytest.mark.parametrize("fact", golden_params(GOLDEN.glob("pdf-samples.json")))
    def test_pdf_fact(pdf_db, fact):   # pdf_db: a store.connect() over that parse output
        check_fact(golden_evaluator_for(pdf_db), fact)
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from golden_report import GOLDEN, Evaluator, describe, golden_files, ids_for, known_wrong, load_facts, static_xfail

_EVALUATORS: dict[int, Evaluator] = {}


def golden_params(paths: Iterable[Path]) -> list[Any]:
    """pytest.param per fact, ids like 000-projects-seq3-budget_wan-L330; skips all when no file is found."""
    paths = list(paths)
    if not paths:
        return [pytest.param(None, id="no-golden-files",
                             marks=pytest.mark.skip(reason=f"no golden files ({GOLDEN} absent?)"))]
    facts = load_facts(paths)
    out = []
    for fid, fact in zip(ids_for(facts), facts, strict=True):
        reason = static_xfail(fact)
        marks = [pytest.mark.xfail(strict=False, reason=reason)] if reason else []
        if wrong := known_wrong(fact):
            marks = [pytest.mark.xfail(strict=True, reason=f"golden fact judged wrong: {wrong}")]
        out.append(pytest.param(fact, id=fid, marks=marks))
    return out


def golden_evaluator_for(con: Any) -> Evaluator:
    """One evaluator (with its row cache) per DuckDB connection."""
    if id(con) not in _EVALUATORS:
        _EVALUATORS[id(con)] = Evaluator(con)
    return _EVALUATORS[id(con)]


def check_fact(ev: Evaluator, fact: dict[str, Any]) -> None:
    out = ev.evaluate(fact)
    if out.status == "xfail":
        pytest.xfail(out.reason)
    if out.status != "pass":
        pytest.fail(describe(fact, out), pytrace=False)


@pytest.mark.golden
@pytest.mark.parametrize("fact", golden_params(golden_files()))
def test_golden_fact(seed_db, fact):
    check_fact(golden_evaluator_for(seed_db), fact)


# ---------------------------------------------------------------- the harness checks itself


@pytest.fixture(scope="module")
def toy_eval(tmp_path_factory):
    """A tiny parse output written by the real store, to pin the README semantics."""
    from datetime import date
    from decimal import Decimal as D

    from generator.publish import store

    out = tmp_path_factory.mktemp("toy")
    doc = {"doc_id": "d0", "source_file": "raw/000_toy.txt"}
    other = {"doc_id": "d1", "source_file": "001_other.txt"}
    store.write_all(out, {
        "documents": [doc, other],
        "projects": [
            {"doc_id": "d0", "project_seq": 1, "project_name": "人员 经费", "budget_wan": D("10.4"), "other_wan": None},
            {"doc_id": "d0", "project_seq": 2, "project_name": "公用经费", "budget_wan": D("0"), "source_line": "12"},
            {"doc_id": "d1", "project_seq": 1, "project_name": "别的", "budget_wan": D("99")},
        ],
        "procurement": [
            {"doc_id": "d0", "item_name": "运营服务", "catalog_code": "C02", "amount_wan": D("30"), "source_line": "1"},
            {"doc_id": "d0", "item_name": "呼叫中心服务", "catalog_code": "C02", "amount_wan": D("30"), "source_line": "2"},
        ],
        "indicators": [{"doc_id": "d0", "project_seq": None, "level3": "a", "indicator_seq": 1},
                       {"doc_id": "d0", "project_seq": 1, "level3": "b", "indicator_seq": 1}],
        "assets": [{"doc_id": "d0", "item": "total", "value_wan": D("1.5"), "as_of": date(2021, 12, 31), "holder": "A"},
                   {"doc_id": "d0", "item": "total", "value_wan": D("2"), "as_of": date(2021, 12, 31), "holder": "B"}],
    })
    return Evaluator(store.connect(out))


def _f(**kw):
    return {"seed": "000_toy.txt", "line": 1, **kw}


P = "projects"
TOY_CASES = [
    # numbers compare as decimals, match values that denote numbers match DECIMAL/int columns
    ("pass", _f(table=P, match={"project_seq": 1}, column="budget_wan", expected="10.40")),
    ("fail", _f(table=P, match={"project_seq": 1}, column="budget_wan", expected="10.41")),
    ("pass", _f(table=P, match={"project_seq": "1"}, column="budget_wan", expected="10.4")),
    ("pass", _f(table=P, match={"project_seq": 2}, column="budget_wan", expected="0")),
    ("fail", _f(table=P, match={"project_seq": 2}, column="budget_wan", expected=None)),  # 0 is not NULL
    ("pass", _f(table=P, match={"project_seq": 1}, column="other_wan", expected=None)),
    ("fail", _f(table=P, match={"project_seq": 1}, column="other_wan", expected="0")),  # NULL is not 0
    ("pass", _f(table=P, match={"project_seq": 2}, column="source_line", expected="12")),
    ("pass", _f(table=P, match={"project_seq": 1}, column="budget_wan", expected="11", tolerance="0.6")),
    ("fail", _f(table=P, match={"project_seq": 1}, column="budget_wan", expected="11", tolerance="0.5")),
    ("pass", _f(table=P, match={"project_seq": 1}, column="budget_wan", expected="1", acceptable=["10.4"])),
    # strings: exact, or compare modes
    ("fail", _f(table=P, match={"project_seq": 1}, column="project_name", expected="人员经费")),
    ("pass", _f(table=P, match={"project_seq": 1}, column="project_name", expected="人员经费", compare="ignore_whitespace")),
    ("pass", _f(table=P, match={"project_seq": 1}, column="project_name", expected="经费", compare="contains")),
    ("fail", _f(table=P, match={"project_seq": 1}, column="project_name", expected="员经", compare="contains")),
    ("pass", _f(table=P, match={"project_seq": 1}, column="project_name", expected="员经",
                compare="contains_ignore_whitespace")),
    # rows: absent, optional, several
    # an absent row states nothing: it passes when NULL is expected or accepted, fails otherwise
    ("pass", _f(table=P, match={"project_seq": 3}, column="budget_wan", expected=None)),
    ("pass", _f(table=P, match={"project_seq": 3}, column="budget_wan", expected="1", acceptable=[None])),
    ("fail", _f(table=P, match={"project_seq": 3}, column="budget_wan", expected="1")),
    ("pass", _f(table=P, match={"project_seq": 3}, column="budget_wan", expected=None, optional_row=True)),
    ("fail", _f(table=P, match={"project_seq": 2}, column="budget_wan", expected=None, optional_row=True)),
    ("fail", _f(table="procurement", match={"catalog_code": "C02"}, column="amount_wan", expected="30")),
    ("pass", _f(table="procurement", match={"catalog_code": "C02", "amount_wan": "30"}, column="amount_wan",
                expected="30.000000", match_rows=2)),
    ("pass", _f(table="procurement", match={"catalog_code": "C02"}, column="item_name",
                expected=["呼叫中心服务", "运营服务"], match_rows=2)),
    ("fail", _f(table="procurement", match={"catalog_code": "C02"}, column="item_name",
                expected=["服务-呼叫中心服务", "服务-运营服务"], match_rows=2)),
    ("pass", _f(table="procurement", match={"catalog_code": "C02"}, column="item_name",
                expected=["x", "y"], match_rows=2, acceptable=[["x", "y"], ["运营服务", "呼叫中心服务"]])),
    ("fail", _f(table="procurement", match={"catalog_code": "C02"}, column="item_name",
                expected=["运营服务", "运营服务"], match_rows=2)),
    ("pass", _f(table="assets", match={"item": "total"}, column="value_wan", expected="2", match_any=True)),
    ("fail", _f(table="assets", match={"item": "total"}, column="value_wan", expected="3", match_any=True)),
    ("pass", _f(table="assets", match={"item": "total", "holder": "A"}, column="as_of", expected="2021-12-31")),
    # counts, with NULL match values, where and acceptable
    ("pass", _f(table=P, count=2)),
    ("fail", _f(table=P, count=3)),
    ("pass", _f(table="indicators", match={"project_seq": None}, count=1)),
    ("pass", _f(table="indicators", where="project_seq IS NOT NULL", count=1)),
    ("pass", _f(table="indicators", where="project_seq IS NOT NULL", count=0, acceptable=[1])),
    ("pass", _f(table="units", count=0)),
    # columns/keys the contract lacks; facts the harness cannot read
    ("xfail", _f(table="procurement", match={"aggregate": "sum"}, column="amount_wan", expected="0")),
    ("pass", _f(table="procurement", match={"aggregate": "sum"}, column="amount_wan", expected="0", optional_row=True)),
    ("xfail", _f(table=P, match={"project_seq": 1}, column="no_such_column", expected="1")),
    ("fail", _f(table=P, match={"project_seq": 1}, column="budget_wan", expected="10.4", surprise=True)),
    ("fail", _f(table="no_such_table", count=0)),
    ("fail", {"seed": "999_missing.txt", "table": P, "count": 0}),
    ("pass", {"file": "000_toy.txt", "page": 3, "table": P, "count": 2}),  # pdf-samples.json spelling
]


@pytest.mark.parametrize(("want", "fact"), TOY_CASES, ids=[f"{w}-{i}" for i, (w, _) in enumerate(TOY_CASES)])
def test_harness_semantics(toy_eval, want, fact):
    out = toy_eval.evaluate(fact)
    if out.status == "pass" and static_xfail(fact):
        out.status = "xfail"
    assert out.status == want, describe(fact, out)


def test_harness_failure_message_shows_fact_and_rows(toy_eval):
    fact = _f(table=P, match={"project_seq": 1}, column="budget_wan", expected="7", note="a note")
    msg = describe(fact, toy_eval.evaluate(fact))
    for s in ("000_toy.txt", "projects", '"project_seq": 1', "budget_wan", '"7"', "line:     1", "a note",
              "budget_wan=10.4"):
        assert s in msg, f"{s!r} missing from:\n{msg}"


def test_fact_ids_are_unique_and_readable():
    facts = load_facts(golden_files())
    if not facts:
        pytest.skip("no golden files")
    ids = ids_for(facts)
    assert len(set(ids)) == len(ids)
    assert all(i.isascii() for i in ids)
