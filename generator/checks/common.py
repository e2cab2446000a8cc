"""Shared helpers of the checks stage: rounding-aware comparison and row building.

Rounding rule (issue 4): a figure printed to 0.01 stands for any true value within
±0.005 of it. A figure that prints more decimals (1.925, or 88.2377 converted from 元)
carries its own, finer half-unit. Coarser-looking figures ("1500", "10.4") are treated
as printed to 0.01, because budgets keep two decimals and drop trailing zeros.

- Sum of n terms vs a stated total: ``pass`` when equal; ``rounding`` when the difference
  is no more than the sum of the terms' half-units (n × 0.005 for 0.01 figures);
  else ``fail``.
- One figure printed twice (table vs prose, cost indicator vs budget): ``rounding`` when
  the finer figure, rounded half-up to the coarser one's precision, equals it; a figure
  printed with one decimal counts as rounded to 0.1 (see ``same_status``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

PASS, ROUNDING, FAIL, NA = "pass", "rounding", "fail", "not_applicable"
_RANK = {PASS: 0, NA: 0, ROUNDING: 1, FAIL: 2}
CENT = Decimal("0.01")
ZERO = Decimal(0)

Rows = dict[str, list[dict[str, Any]]]


def quantum(x: Decimal) -> Decimal:
    """The precision a figure was printed to: 0.01, or finer when it shows more decimals."""
    exp = x.normalize().as_tuple().exponent
    assert isinstance(exp, int)
    return Decimal(1).scaleb(min(exp, -2))


def half_unit(x: Decimal) -> Decimal:
    return quantum(x) / 2


def sum_status(stated: Decimal, terms: Iterable[Decimal]) -> tuple[str, Decimal]:
    """Status of ``stated == sum(terms)`` and the computed sum."""
    ts = list(terms)
    total = sum(ts, ZERO)
    diff = abs(stated - total)
    if diff == 0:
        return PASS, total
    if diff <= sum((half_unit(t) for t in ts), ZERO):
        return ROUNDING, total
    return FAIL, total


def same_status(a: Decimal, b: Decimal) -> str:
    """Status of two printings of one figure (possibly at different precisions).

    Here a figure shown with one decimal ("10.9万元" for a 10.88 budget) is taken as rounded
    to 0.1; whole numbers are taken as exact to 0.1 (project budgets are often whole 万元, and
    a cost indicator "1万" against a 0.50 budget must not pass as rounding).
    """
    if a == b:
        return PASS
    q = max(_pair_quantum(a), _pair_quantum(b))
    if a.quantize(q, ROUND_HALF_UP) == b.quantize(q, ROUND_HALF_UP):
        return ROUNDING
    return FAIL


def _pair_quantum(x: Decimal) -> Decimal:
    exp = x.normalize().as_tuple().exponent
    assert isinstance(exp, int)
    return Decimal(1).scaleb(min(exp, -1))


def worst(statuses: Iterable[str]) -> str:
    out = PASS
    for s in statuses:
        if _RANK[s] > _RANK[out]:
            out = s
    return out


def fmt(x: Decimal | None) -> str:
    if x is None:
        return "空"
    s = format(x.normalize(), "f")
    return s


def num(x: Any) -> Decimal | None:
    """A money/number cell as Decimal (None stays None)."""
    if x is None:
        return None
    if isinstance(x, Decimal):
        return x
    return Decimal(str(x))


def line(x: Any) -> str | None:
    return None if x is None or x == "" else str(x)


STATUS_WORD = {PASS: "一致", ROUNDING: "差额在舍入误差内", FAIL: "不符", NA: "无法检查"}


def check(doc_id: str, check_id: str, status: str, expected: Decimal | None, actual: Decimal | None,
          message: str, source_line: Any = None) -> dict[str, Any]:
    return {
        "doc_id": doc_id,
        "check_id": check_id,
        "status": status,
        "expected_wan": expected,
        "actual_wan": actual,
        "message": message,
        "source_line": line(source_line),
    }


def sum_check(doc_id: str, check_id: str, stated: Decimal, terms: list[Decimal], what: str,
              parts_desc: str, source_line: Any) -> dict[str, Any]:
    """A ``stated == sum(terms)`` check row with a message naming the figures."""
    status, total = sum_status(stated, terms)
    msg = (f"{what}：列明 {fmt(stated)} 万元，{parts_desc} 合计 {fmt(total)} 万元"
           f"（{'+'.join(fmt(t) for t in terms) or '无'}），{STATUS_WORD[status]}")
    if status != PASS:
        msg += f"，差额 {fmt(total - stated)} 万元"
    return check(doc_id, check_id, status, stated, total, msg, source_line)


_QUOTES = str.maketrans("“”＂'‘’", '""""""')
_QUOTE = re.compile("[“”＂'‘’]")


def compact_text(text: str) -> str:
    """Text without any whitespace, quotes normalised (for keyword search)."""
    t = "".join(text.split())
    return t.translate(_QUOTES) if _QUOTE.search(t) else t  # (translate is slow on CJK text: only when needed)


# compact_text, remembered (bounded): indicator texts and labels recur across a document's projects.
compact = functools.lru_cache(maxsize=1 << 13)(compact_text)


def by_metric(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(str(r.get("metric")), []).append(r)
    return out


def seq_key(r: dict[str, Any]) -> tuple[int, int]:
    s = r.get("project_seq")
    return (0, int(s)) if s is not None else (1, 0)
