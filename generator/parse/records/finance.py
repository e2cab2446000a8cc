"""Budget figures: every finance family of one document, read in one pass."""

from __future__ import annotations

from typing import Any

from ..sections import Section
from ..tables import Grid
from .assets import asset_rows
from .classifications import classified_rows
from .context import Context
from .procurement import procurement_rows
from .three_public import THREE_PUBLIC_KINDS, horizontal_three_public, operating_rows, three_public_rows
from .totals import budget_totals


def extract(ctx: Context, secs: list[Section], grids: list[Grid]) -> dict[str, list[dict[str, Any]]]:
    # the 三公/机关运行经费 table printed as columns is read once and feeds both tables
    # NOTE: 陕西 (corpus 31) 表13 prints a line of column groups (上年 | 当年 | 增减变化情况) above its header: the
    # headerless one-line grid before a table of the same section is read with it.
    horizontal = {i: horizontal_three_public(ctx, secs, g, _above(grids, i))
                  for i, g in enumerate(grids) if g.kind in THREE_PUBLIC_KINDS}
    return {
        "budget_totals": budget_totals(ctx, secs, grids),
        "expenditure_by_function": classified_rows(ctx, secs, grids, "expenditure_by_function"),
        "income_by_function": classified_rows(ctx, secs, grids, "income_by_function"),
        "expenditure_by_economic": classified_rows(ctx, secs, grids, "expenditure_by_economic"),
        "three_public": three_public_rows(ctx, secs, grids, horizontal),
        "operating_expenses": operating_rows(ctx, secs, grids, horizontal),
        "procurement": procurement_rows(ctx, secs, grids),
        "assets": asset_rows(ctx, secs, grids),
    }


def _above(grids: list[Grid], i: int) -> list[list[str]]:
    prev = grids[i - 1] if i else None
    if prev is None or prev.section != grids[i].section or prev.header or len(prev.rows) != 1:
        return []
    return [prev.rows[0].texts]
