"""Figures stated in running text ("2021年部门预算收入1082.49万元，其中：…").

A Text joins paragraphs (PDF extractions break sentences across lines) and keeps a map
from character offset back to the source line, so every figure found keeps its provenance.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal

from ..model import Para
from ..values import clean_number_text

AMT = r"(\d[\d,，]*(?:\s*\.\s*\d+)?)"  # '198. 30', '1,082.49'
WAN = r"\s*万\s*元?"


@dataclass(frozen=True)
class Found:
    value: Decimal
    where: str
    start: int
    end: int
    text: str


class Text:
    def __init__(self, paras: list[Para], sep: str = "\n"):
        parts: list[str] = []
        self.offsets: list[int] = []
        self.wheres: list[str] = []
        pos = 0
        for p in paras:
            self.offsets.append(pos)
            self.wheres.append(p.where)
            parts.append(p.text)
            pos += len(p.text) + len(sep)
        self.text = sep.join(parts)

    def where(self, offset: int) -> str:
        i = bisect_right(self.offsets, offset) - 1
        return self.wheres[max(i, 0)] if self.wheres else ""

    def find_all(self, pattern: str | re.Pattern[str], flags: int = 0) -> list[tuple[re.Match[str], str]]:
        rx = re.compile(pattern, flags) if isinstance(pattern, str) else pattern
        return [(m, self.where(m.start())) for m in rx.finditer(self.text)]


def to_decimal(s: str) -> Decimal:
    return Decimal(clean_number_text(s))


def first_amount(text: Text, pattern: str, group: int = 1) -> Found | None:
    """The first match of `pattern` (whose `group` is an amount in 万元)."""
    for m, where in text.find_all(pattern):
        try:
            return Found(to_decimal(m.group(group)), where, m.start(), m.end(), m.group(0))
        except Exception:  # noqa: BLE001 - an unparseable figure is skipped, not fatal
            continue
    return None

