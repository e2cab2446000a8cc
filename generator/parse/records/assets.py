"""国有资产占用情况 -> assets rows."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from ...model import block_texts
from ...values import (
    parse_date,
    try_amount,
)
from ..prose import AMT, WAN, Text, first_amount, to_decimal
from ..sections import Section, compact
from ..tables import Grid
from .context import Context, cell_amount, paras_of

ASSET_ITEMS = (
    ("office_buildings", r"办公用房"),
    ("buildings", r"房屋"),
    ("vehicles", r"车辆"),
    ("equipment_over_threshold", r"单价.*万元以上|万元以上.*设备"),
    ("other_fixed_assets", r"其他固定资产"),
    ("total", r"资产总(额|计)|固定资产总额|^合计$"),
)
AS_OF = re.compile(r"截止(?:时间|日期)?(?:于)?\s*[:：]?\s*(.{6,16})")


def asset_rows(ctx: Context, secs: list[Section], grids: list[Grid]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    as_of: date | None = None
    sec_texts = [(t, w) for s in secs if s.kind == "assets" for t, w in block_texts(s.blocks)]
    for t, _ in sec_texts:
        m = AS_OF.search(t)
        if m and (d := parse_date(m.group(1))):
            as_of = d
            break
    seen: set[str] = set()
    for g in grids:
        if g.kind != "assets":
            continue
        unit = "元" if any("单位：元" in h or "（元）" in h or "(元)" in h for h in g.header) else (
            "万元" if any("万元" in h for h in g.header) else ctx.unit)
        for r in g.rows:
            label = compact(r.cells[0].text) if r.cells else ""
            item = next((i for i, rx in ASSET_ITEMS if re.search(rx, label)), None)
            if item is None or item in seen:
                continue
            seen.add(item)
            qty = try_amount(r.cells[1].text) if len(r.cells) > 1 else None
            out.append({"doc_id": ctx.doc.doc_id, "as_of": as_of, "item": item, "quantity": qty,
                        "value_wan": cell_amount(ctx, r, 2, unit), "source_line": r.where, "holder": None})
    text = Text(paras_of(secs, {"assets"}))
    for m, where in text.find_all(rf"([^，。；,;]{{0,30}}?)固定资产(?:总额|金额|原值)(?:为)?\s*{AMT}\s*(万元|元)"):
        if "total" in seen:
            break
        lead = m.group(1)
        d = parse_date(lead) or (date(ctx.year - 1, 12, 31) if ctx.year and "上年" in lead else as_of)
        holder: str | None = re.sub(r"截止(?:于)?|(?:19|20)\d{2}\s*年(?:末|底)?|上年末|年末|\(含所属单位\)|（含所属单位）", "", lead).strip(" ，,")
        if not holder or holder in ("我单位", "我部门", "本单位", "本部门") or (ctx.unit_name and ctx.unit_name in holder):
            holder = None
        out.append({"doc_id": ctx.doc.doc_id, "as_of": d, "item": "total", "quantity": None,
                    "value_wan": ctx.wan(to_decimal(m.group(2)), m.group(3)), "source_line": where, "holder": holder})
    f = first_amount(text, rf"拟购置(?:固定)?资产(?:总额)?(?:为)?\s*{AMT}{WAN}")
    planned = None
    if f:
        planned = {"doc_id": ctx.doc.doc_id, "as_of": None, "item": "planned_purchase", "quantity": None,
                   "value_wan": f.value, "source_line": f.where, "holder": None}
    # NOTE: the Shanghai PDFs state counts only: '截至2024年8月31日…共有车辆0辆…单价100万元（含）以上设备（不含车辆）0台（套）'
    for m, where in text.find_all(r"(?<!购置)车辆\s*(\d+)\s*[辆台]"):
        if "vehicles" not in seen:
            seen.add("vehicles")
            d = parse_date(text.text[max(0, m.start() - 60): m.start()]) or as_of
            out.append({"doc_id": ctx.doc.doc_id, "as_of": d, "item": "vehicles", "quantity": Decimal(m.group(1)),
                        "value_wan": None, "source_line": where, "holder": None})
        break
    for m, where in text.find_all(r"(?<!购置)单价\s*\d+\s*万元(?:[（(]含[)）])?以上(?:的)?设备[^0-9；;。]{0,12}?(\d+)\s*[台套件]"):
        if "equipment_over_threshold" not in seen:
            seen.add("equipment_over_threshold")
            d = parse_date(text.text[max(0, m.start() - 200): m.start()]) or as_of
            out.append({"doc_id": ctx.doc.doc_id, "as_of": d, "item": "equipment_over_threshold",
                        "quantity": Decimal(m.group(1)), "value_wan": None, "source_line": where, "holder": None})
        break
    m2 = next(iter(text.find_all(r"购置车辆\s*(\d+)\s*[辆台]")), None)
    if m2 is not None:
        if planned is None:
            planned = {"doc_id": ctx.doc.doc_id, "as_of": None, "item": "planned_purchase", "quantity": None,
                       "value_wan": None, "source_line": m2[1], "holder": None}
        planned["quantity"] = Decimal(m2[0].group(1))
    if planned:
        out.append(planned)
    return out
