"""三公经费 and 机关运行经费: the tables and the prose -> three_public and operating_expenses rows."""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import Any

from ...values import (
    try_amount,
)
from ..prose import AMT, WAN, Text, to_decimal
from ..sections import Section, compact
from ..tables import Grid
from .context import Context, cell_amount, grid_unit, header_index, paras_of

THREE_PUBLIC = (
    ("vehicle_total", r"购置及运[行维]|购置和运[行维]"),
    ("vehicle_purchase", r"公务用车购置|车辆购置|购置费"),
    ("vehicle_operation", r"公务用车运[行维]|车辆运[行维]|运行维护费|运维费|运行费|运行经费"),
    ("overseas_travel", r"因公出国|出国"),
    ("reception", r"公务接待|接待"),
    ("total", r"^(合计|总计|小计)$|三公[”\"]?经费"),
)


@functools.lru_cache(maxsize=1 << 12)  # a document's labels recur (each row and column is tested)
def three_public_category(label: str) -> str | None:
    t = re.sub(r"^[一二三四五六七八九十\d]+[、.．]", "", compact(label))
    for cat, rx in THREE_PUBLIC:
        if re.search(rx, t):
            return cat
    return None


Horizontal = tuple[dict[str, Decimal | None], Decimal | None, str, dict[str, Decimal | None]]
THREE_PUBLIC_KINDS = ("three_public", "three_public_table", "operating")


def horizontal_three_public(ctx: Context, secs: list[Section], g: Grid, above: list[list[str]] | None = None) -> Horizontal:
    """NOTE: the Shanghai PDFs print 三公 as columns (合计 | 因公出国(境)费 | 公务接待费 |
    公务用车 小计/购置费/运行费) with one row of figures, and 机关运行经费 in the last column.
    Returns ({category: amount}, operating total, where, {category: 预算数 printed beside a 决算数})."""
    above = above or []
    rows = above + [list(g.header)] + [r.texts for r in g.rows]
    colmap: dict[int, str] = {}
    op_col: int | None = None
    halves: dict[int, str] = {}  # 决算: column -> 预算数 | 决算数
    other_period: set[int] = set()  # columns of the prior year or of the change
    for k, texts in enumerate(rows):
        if any(compact(t) in FINAL_HALVES for t in texts):
            halves = _halves(texts)
            continue
        if any(compact(t) in CURRENT_PERIOD for t in texts) and any(compact(t) in OTHER_PERIODS for t in texts):
            other_period = {i for i, p in _halves(texts, CURRENT_PERIOD + OTHER_PERIODS).items()
                            if p not in CURRENT_PERIOD}
            continue
        amounts = [t for t in texts if t.strip() and try_amount(t) is not None]
        if len(colmap) >= 3 and amounts and len(amounts) * 2 >= len([t for t in texts if t.strip()]):
            if _is_column_numbering(amounts) or _other_year(texts, ctx.year):
                continue
            unit = grid_unit(ctx, secs, g)
            r = g.rows[k - 1 - len(above)]
            got = {cat: cell_amount(ctx, r, i, unit) for i, cat in colmap.items()
                   if halves.get(i) != "预算数" and i not in other_period}
            budget = {cat: cell_amount(ctx, r, i, unit) for i, cat in colmap.items() if halves.get(i) == "预算数"}
            op = cell_amount(ctx, r, op_col, unit) if op_col is not None else None
            return got, op, r.where, budget
        for i, t in enumerate(texts):
            c = compact(t)
            if not c:
                continue
            if "机关运行" in c:
                op_col = i
            elif c in ("小计", "合计") and i in colmap:
                continue
            elif (cat := three_public_category(c)) is not None:
                colmap[i] = cat
    return {}, None, "", {}


# NOTE: 决算 三公 tables (corpus 40 佛山, 42 国家信访局) print a 预算数 half and a 决算数 half.
FINAL_HALVES = ("预算数", "决算数")


# NOTE: 陕西 (corpus 31) 表13 prints three column groups on one line: 上年 | 当年 | 增减变化情况.
CURRENT_PERIOD = ("当年", "本年")
OTHER_PERIODS = ("上年", "增减变化情况", "增减", "增减变化")


def _halves(texts: list[str], words: tuple[str, ...] = FINAL_HALVES) -> dict[int, str]:
    """'预算数 … 决算数 …' spanning header row -> which half each column belongs to."""
    out: dict[int, str] = {}
    current = ""
    for i, t in enumerate(texts):
        current = compact(t) if compact(t) in words else current
        if current:
            out[i] = current
    return out


def _is_column_numbering(amounts: list[str]) -> bool:
    """NOTE: 杭州 (corpus 21) 表7 prints a '** 1 2 3 4 5 6' column-number row under the header."""
    return [a.strip() for a in amounts] == [str(i) for i in range(1, len(amounts) + 1)]


def _other_year(texts: list[str], year: int | None) -> bool:
    """NOTE: 深圳 (corpus 07) prints 2025年 / 2026年 / 增减变化金额 rows: read the document year's row."""
    years = [int(m.group(1)) for t in texts[:3] if (m := re.fullmatch(r"((?:19|20)\d{2})年?(预算)?", compact(t)))]
    return bool(years) and year is not None and years[0] != year


def _amount_column(header: tuple[str, ...]) -> int:
    """NOTE: 福州 (corpus 26) prints 三公 vertically under '项目 | 预算数' (no 合计 column)."""
    idx = header_index(header)
    if "total" in idx:
        return idx["total"]
    return next((i for i, h in enumerate(header) if i and re.search(r"预算数|决算数|金额", h)), 2)


def three_public_rows(ctx: Context, secs: list[Section], grids: list[Grid],
                      horizontal: dict[int, Horizontal]) -> list[dict[str, Any]]:
    got: dict[tuple[int, str], dict[str, Any]] = {}

    def put(year: int | None, cat: str, v: Decimal | None, where: str, origin: str) -> None:
        if year is None:
            return
        key = (year, cat)
        if key in got and (got[key]["amount_wan"] is not None or v is None):
            return
        got[key] = {"doc_id": ctx.doc.doc_id, "fiscal_year": year, "category": cat, "amount_wan": v,
                    "source_line": where, "origin": origin}

    for gi, g in enumerate(grids):
        if g.kind not in ("three_public", "three_public_table"):
            continue
        by_column, _, where, budget = horizontal[gi]
        for cat, v in by_column.items():
            put(ctx.year, cat, v, where, "table")
            if cat in budget and ctx.year is not None and (ctx.year, cat) in got:
                got[(ctx.year, cat)]["budget_wan"] = budget[cat]
        if by_column:
            continue
        years = {i: int(m.group(1)) for i, h in enumerate(g.header) if (m := re.search(r"((?:19|20)\d{2})年", h))}
        amount_cols = sorted(years) or [_amount_column(g.header)]
        for r in g.rows:
            label = next((c.text for c in r.cells if c.text.strip() and not re.fullmatch(r"\d{1,2}", c.text.strip())), "")
            if compact(label).startswith("其中") and "因公出国" in label:
                continue
            category = three_public_category(label)
            if category is None:
                continue
            for i in amount_cols:
                put(years.get(i, ctx.year), category, cell_amount(ctx, r, i), r.where, "table")
    text = Text(paras_of(secs, {"three_public", "three_public_table"}))
    for year, seg, offset in _year_segments(text.text, ctx.year):
        for cat, pat in PROSE_THREE_PUBLIC:
            m = re.search(pat, seg)
            if m:
                put(year, cat, to_decimal(m.group(1)), text.where(offset + m.start()), "prose")
    return list(got.values())


PROSE_THREE_PUBLIC = (
    ("total", rf"三公[”\"]?经费[”\"]?[^0-9，。；,;增减]{{0,10}}?{AMT}{WAN}"),
    ("overseas_travel", rf"出国[（(]?境?[)）]?(?:费|经费)?(?:为)?\s*{AMT}{WAN}"),
    ("vehicle_total", rf"公务用车购置及运[行维](?:维护)?(?:费|经费)?(?:为)?\s*{AMT}{WAN}"),
    ("vehicle_purchase", rf"公务用车购置(?:费|经费)(?:为)?\s*{AMT}{WAN}"),
    ("vehicle_operation", rf"公务用车运[行维](?:维护)?(?:费|经费)?(?:为)?\s*{AMT}{WAN}"),
    ("reception", rf"公务接待(?:费|经费)?(?:为)?\s*{AMT}{WAN}"),
)


def _year_segments(s: str, default: int | None) -> list[tuple[int | None, str, int]]:
    """Split prose at sentences naming another year ('2020年三公经费为…') -> (year, text, offset)."""
    out: list[tuple[int | None, str, int]] = []
    pos = 0
    for sent in re.split(r"(?<=[。；;])", s):
        if not sent.strip():
            pos += len(sent)
            continue
        if re.search(r"增加|减少|增长|下降|相比|同比", sent) and not re.search(r"三公[”\"]?经费[”\"]?(?:预算)?(?:为|是|共计)", sent):
            # comparisons state changes, not figures; keep only their leading clause
            sent_use = re.split(r"[，,]", sent)[0]
        else:
            sent_use = sent
        m = re.search(r"((?:19|20)\d{2})\s*年", sent_use)
        year = int(m.group(1)) if m else (out[-1][0] if out else default)
        out.append((year, sent_use, pos))
        pos += len(sent)
    return out


# ---- 机关运行经费 ---------------------------------------------------------------------

# Bounded white space: two adjacent unbounded `\s*` made the search cubic on a run of spaces (issue 10).
# The lookahead (a digit within reach) makes a start without an amount nearby fail at once.
OPERATING_ITEM = re.compile(rf"(?=[^0-9\n]{{2,52}}\d)([^，,、；;：:。\n0-9]{{2,30}}?)\s{{0,8}}(?:为|共计|安排|安排资金)?"
                            rf"\s{{0,8}}{AMT}{WAN}")
ITEM_PREFIX = re.compile(r"^(其中|主要用于|包括|用于|分别为|具体为|以及|及|和|等)+")


def operating_rows(ctx: Context, secs: list[Section], grids: list[Grid],
                   horizontal: dict[int, Horizontal]) -> list[dict[str, Any]]:
    text = Text(paras_of(secs, {"operating"}), sep="")
    out: list[dict[str, Any]] = []
    segment: str | None = None
    have_total = False
    for gi, g in enumerate(grids):
        if g.kind in ("three_public_table", "operating"):
            _, op, where, _ = horizontal[gi]
            if op is None and g.kind == "operating":
                op, where = _vertical_operating_total(ctx, secs, g)
            if op is not None:
                out.append({"doc_id": ctx.doc.doc_id, "item": "total", "amount_wan": op, "source_line": where,
                            "segment": None})
                have_total = True
                break
    for m, where in text.find_all(OPERATING_ITEM):
        name = ITEM_PREFIX.sub("", m.group(1).strip(" 　:：")).strip()
        value = to_decimal(m.group(2))
        if "机关运行经费" in name or "机关运行费" in name:
            if "上年结转" in name or "结转" in name:
                segment = "carryover"
            elif "本年" in name or "当年" in name:
                segment = "current_year"
            elif not have_total and not out:
                out.append({"doc_id": ctx.doc.doc_id, "item": "total", "amount_wan": value, "source_line": where,
                            "segment": None})
                have_total = True
                continue
            else:
                continue
            name = re.sub(r"^(?:(?:19|20)\d{2})?年", "", name)
        elif not have_total or re.search(r"\d|%|增|减", name) or len(name) > 16:
            continue
        out.append({"doc_id": ctx.doc.doc_id, "item": name, "amount_wan": value, "source_line": where,
                    "segment": segment})
    return out


def _vertical_operating_total(ctx: Context, secs: list[Section], g: Grid) -> tuple[Decimal | None, str]:
    """NOTE: 苏州审计局 (corpus 17) 公开12表 itemises 机关运行经费 by economic code under a '机关运行经费支出' column:
    its 合计 row is the total."""
    col: int | None = None
    for texts, where, row in [(list(g.header), g.where, None)] + [(r.texts, r.where, r) for r in g.rows]:
        if col is None:
            col = next((i for i, t in enumerate(texts) if "机关运行" in compact(t)), None)
            continue
        if row is not None and any(compact(t) in ("合计", "总计") for t in texts[:3]):
            return cell_amount(ctx, row, col, grid_unit(ctx, secs, g)), where
    return None, ""
