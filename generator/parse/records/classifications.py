"""功能分类 / 经济分类 tables -> expenditure_by_function, income_by_function, expenditure_by_economic rows."""

from __future__ import annotations

import re
from typing import Any

from ...model import Row
from ...values import (
    economic_level,
    function_level,
    parse_code,
)
from ..sections import Section, compact
from ..tables import Grid
from .context import Context, cell_amount, grid_unit, header_index


def code_and_name(row: Row, cols: dict[str, int]) -> tuple[str | None, str, bool]:
    """(code, name, is_total). Codes may be split into 类/款/项 cells or glued to the name."""
    cells = [c.text.strip() for c in row.cells]

    def get(k: str) -> str:
        i = cols.get(k)
        return cells[i] if i is not None and i < len(cells) else ""

    if "lei" in cols:
        code = parse_code(get("lei") + get("kuan") + get("xiang"))
    else:
        code = parse_code(get("code"))
    name = get("name")
    if code is None:
        m = re.match(r"^(\d{3,7})\s+(\S.*)$", get("code"))
        if m:
            code, name = m.group(1), m.group(2)
    is_total = any(compact(c) in ("合计", "总计") for c in cells[:4])
    return code, name.strip(), is_total


FUNCTION_SOURCES = {
    "expenditure_by_function": (("expenditure_table",), ("gp_expenditure_table",)),
    "income_by_function": (("income_table",),),
    "expenditure_by_economic": (("gp_basic_table",),),
}
AMOUNT_FIELDS = {
    "expenditure_by_function": ("total", "basic", "project"),
    "income_by_function": ("total", "fiscal", "carryover"),
    "expenditure_by_economic": ("total", "personnel", "public"),
}


def classified_rows(ctx: Context, secs: list[Section], grids: list[Grid], table: str) -> list[dict[str, Any]]:
    for kinds in FUNCTION_SOURCES[table]:
        source = [g for g in grids if g.kind in kinds and g.header]
        out = rows_of(ctx, secs, source, table)
        if out:
            return out
    return []


def rows_of(ctx: Context, secs: list[Section], source: list[Grid], table: str) -> list[dict[str, Any]]:
    """NOTE: Beijing's 支出总表 (corpus 04) crosses function × economic codes without a 科目编码 column:
    no rows from it, so the 一般公共预算支出表 is read instead."""
    out: list[dict[str, Any]] = []
    seen_total = False
    level_of = economic_level if table == "expenditure_by_economic" else function_level
    for g in source:
        unit = grid_unit(ctx, secs, g)
        cols = header_index(g.header)
        if "code" not in cols and "lei" not in cols:
            continue
        if "fiscal" not in cols and "subtotal" in cols and table == "income_by_function":
            cols["fiscal"] = cols["subtotal"]
        if "total" not in cols and "amount" in cols:
            cols["total"] = cols["amount"]
        for r in g.rows:
            code, name, is_total = code_and_name(r, cols)
            if code is None and not (is_total and not seen_total):
                continue
            if code is None:
                seen_total, name = True, "合计"
            f = AMOUNT_FIELDS[table]
            out.append({
                "doc_id": ctx.doc.doc_id, "code": code, "name": name or None,
                "level": level_of(code) if code else None,
                f"{f[0]}_wan": cell_amount(ctx, r, cols.get(f[0]), unit),
                f"{f[1]}_wan": cell_amount(ctx, r, cols.get(f[1]), unit),
                f"{f[2]}_wan": cell_amount(ctx, r, cols.get(f[2]), unit),
                "source_line": r.where,
            })
    return out
