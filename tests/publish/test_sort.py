"""sort_rows orders by the key alone when keys are unique: the same order as the full sort."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import contract
from generator.publish import store


def _full(table: str, rows: list[dict]) -> list[dict]:
    t = contract.spec(table)
    order = list(t.key) + [n for n in t.names if n not in t.key]
    return sorted(rows, key=lambda r: tuple(store._sort_value(r.get(n)) for n in order))


ROW = st.fixed_dictionaries({
    "doc_id": st.sampled_from(["d1", "d2", "d10", None]),
    "metric": st.sampled_from(["expenditure_total", "income_total", "p2", "p10"]),
    "segment": st.sampled_from(["current_year", "carryover", None]),
    "amount_wan": st.one_of(st.none(), st.decimals(-1000, 1000, places=2, allow_nan=False)),
    "source_line": st.sampled_from(["9", "57", "p2", "p10", None]),
})


@settings(max_examples=200, deadline=None)
@given(st.lists(ROW, max_size=12))
def test_sort_rows_equals_the_full_sort(rows):
    rows = [{k: v for k, v in r.items() if k in contract.spec("budget_totals").names} for r in rows]
    assert store.sort_rows("budget_totals", rows) == _full("budget_totals", rows)


def test_ties_on_the_key_are_broken_by_the_other_columns():
    rows = [{"doc_id": "d", "metric": "m", "amount_wan": Decimal(2)}, {"doc_id": "d", "metric": "m", "amount_wan": Decimal(1)}]
    assert [r["amount_wan"] for r in store.sort_rows("budget_totals", rows)] == [Decimal(1), Decimal(2)]
