"""政府采购 (tables and prose) -> procurement rows."""

from __future__ import annotations

import re
from typing import Any

from ...values import (
    try_amount,
)
from ..prose import AMT, WAN, Text, first_amount
from ..sections import Section, compact
from ..tables import Grid
from .context import Context, cell_amount, paras_of

CATALOG = re.compile(r"^[A-CＡ-Ｃ]\d{2,}[0-9A-Z]*$")
CATEGORY_BY_LETTER = {"A": "货物", "B": "工程", "C": "服务"}


def procurement_rows(ctx: Context, secs: list[Section], grids: list[Grid]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if not any(g.kind == "procurement" for g in grids):
        # NOTE: the Shanghai PDFs state only the total ('政府采购预算34万元') and print no
        # table of lines: the total becomes one row with item_name 'total'.
        f = first_amount(Text(paras_of(secs, {"procurement"})), rf"政府采购(?:预算|金额)[^0-9，。；,;]{{0,6}}?{AMT}{WAN}")
        if f is not None:
            out.append({"doc_id": ctx.doc.doc_id, "item_name": "total", "category": None, "catalog_code": None,
                        "quantity": None, "quantity_unit": None, "unit_price_wan": None, "amount_wan": f.value,
                        "source_line": f.where, "project_name": None})
        return out
    for g in grids:
        if g.kind != "procurement":
            continue
        for r in g.rows:
            texts = [c.text.strip() for c in r.cells]
            k = next((i for i, t in enumerate(texts) if CATALOG.match(compact(t))), None)
            if k is None or k < 1:
                continue
            item = texts[k - 1]
            category = None
            m = re.match(r"^(货物|服务|工程)\s*[-－—]\s*(.+)$", item)
            if m:
                category, item = m.group(1), m.group(2)
            code = compact(texts[k])
            category = category or CATEGORY_BY_LETTER.get(code[0])

            def get(j: int, texts: list[str] = texts) -> str:
                return texts[j] if j < len(texts) else ""
            out.append({
                "doc_id": ctx.doc.doc_id, "item_name": item or None, "category": category, "catalog_code": code,
                "quantity_unit": get(k + 1) or None, "quantity": try_amount(get(k + 2)),
                "unit_price_wan": ctx.wan(try_amount(get(k + 3))), "amount_wan": cell_amount(ctx, r, k + 4),
                "source_line": r.where, "project_name": texts[0] if k >= 2 else None,
            })
    return out
