"""功能分类 / 经济分类 tables -> expenditure_by_function, income_by_function, expenditure_by_economic rows."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ...model import Cell, Row
from ...values import (
    economic_level,
    function_level,
    parse_code,
)
from ..sections import Section, compact
from ..tables import Grid
from .context import Context, cell_amount, final_accounts_index, grid_unit, header_index

BRACKET_CODE = re.compile(r"^\s*[\[［【]\s*(\d{3,7})\s*[\]］】]\s*(\S.*)$")


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
        m = re.match(r"^(\d{3,7})(?:\s+|\s*[-－]\s*)(\S.*)$", get("code"))  # NOTE: 北京 (04) '30101-基本工资'
        if m:
            code, name = m.group(1), m.group(2)
    if code is None:
        # NOTE: 广州信访局 (corpus 12) glues the code in brackets to the name: '[30217]公务接待费'
        m = BRACKET_CODE.match(get("code") or get("name"))
        if m:
            code, name = m.group(1), m.group(2)
    is_total = any(compact(c) in ("合计", "总计") for c in cells[:4])
    return code, name.strip(), is_total


# NOTE: the golden facts of the corpus (07 深圳, 10 重庆水利局, 21 杭州, 42 国家信访局, 59/60 西南大学) read the
# 一般公共预算 (财政拨款) function table where the all-funds 支出总表 prints other amounts for the same codes:
# expenditure_by_function is the 一般公共预算 view when the document prints one, else the 支出总表.
FUNCTION_SOURCES = {
    "expenditure_by_function": (("gp_expenditure_table",), ("expenditure_table",)),
    "income_by_function": (("income_table",),),
    "expenditure_by_economic": (("gp_basic_table",), ("gp_economic_table",)),
}
AMOUNT_FIELDS = {
    "expenditure_by_function": ("total", "basic", "project"),
    "income_by_function": ("total", "fiscal", "carryover"),
    "expenditure_by_economic": ("total", "personnel", "public"),
}


def classified_rows(ctx: Context, secs: list[Section], grids: list[Grid], table: str) -> list[dict[str, Any]]:
    for kinds in FUNCTION_SOURCES[table]:
        source = [g for g in grids if g.kind in kinds and g.header]
        # NOTE: 江苏 表格册 (corpus 52) prints the same function rows as 财政拨款支出预算表 and 一般公共预算支出预算表:
        # one table is read (the first that yields rows; a table repeating its caption on every page is one table).
        for title in dict.fromkeys(compact(g.title) for g in source):
            out = rows_of(ctx, secs, [g for g in source if compact(g.title) == title], table)
            if any(r["code"] or r["name"] != "合计" for r in out):  # a lone 合计 row is no table read
                return out
    return []


def rows_of(ctx: Context, secs: list[Section], source: list[Grid], table: str) -> list[dict[str, Any]]:
    """NOTE: Beijing's 支出总表 (corpus 04) crosses function × economic codes without a 科目编码 column:
    no rows from it, so the 一般公共预算支出表 is read instead."""
    out: list[dict[str, Any]] = []
    seen_total = False
    level_of = economic_level if table == "expenditure_by_economic" else function_level
    for g in (b for whole in source for b in side_by_side(whole)):
        unit = grid_unit(ctx, secs, g)
        cols = final_accounts_index(g.header) or header_index(g.header)
        # NOTE: 杭州 (corpus 21) prints no function code anywhere: its tables list indented names only. Such a
        # table (a 科目名称 column, no code column) gives one row per named line with a figure, code NULL.
        names_only = "code" not in cols and "lei" not in cols and "name" in cols and table == "expenditure_by_function"
        if "code" not in cols and "lei" not in cols and not names_only:
            continue
        if "fiscal" not in cols and "subtotal" in cols and table == "income_by_function":
            cols["fiscal"] = cols["subtotal"]
        if "total" not in cols and "amount" in cols:
            cols["total"] = cols["amount"]
        # NOTE: 西南大学 (corpus 59) heads the total of its 财政拨款支出预算表 '财政拨款支出'
        # NOTE: 国家信访局 (corpus 41) heads it '年初预算数' over '小计 | 基本支出 | 项目支出'
        if "total" not in cols and table == "expenditure_by_function" and ("fiscal" in cols or "subtotal" in cols):
            cols["total"] = cols["fiscal"] if "fiscal" in cols else cols["subtotal"]
        gap = _blank_after(g.header, cols.get("code"))
        for r in g.rows:
            if gap and len(r.cells) == len(g.header) - gap:
                # NOTE: 西南大学 决算 (corpus 60) 表4 heads the code over 类|款|项 on p14; p15 prints the code in
                # one cell and drops the two blank columns after it.
                c = cols["code"]
                r = Row(r.cells[:c + 1] + tuple(Cell("", r.where) for _ in range(gap)) + r.cells[c + 1:], r.where)
            code, name, is_total = code_and_name(r, cols)
            if names_only and code is None and not is_total and name and \
                    cell_amount(ctx, r, cols.get("total"), unit) is not None:
                out.append(_row(ctx, table, None, name, r, cols, unit, level_of))
                continue
            if code is None and not (is_total and not seen_total):
                continue
            if code is None:
                seen_total, name = True, "合计"
            out.append(_row(ctx, table, code, name, r, cols, unit, level_of))
    return out


def _row(ctx: Context, table: str, code: str | None, name: str, r: Row, cols: dict[str, int], unit: str,
         level_of: Any) -> dict[str, Any]:
    row = _amounts(ctx, table, code, name, r, cols, unit, level_of)
    if table == "expenditure_by_function":  # a 决算 printing the budget beside the outcome (context.GROUPS)
        for k in ("budget_initial", "budget_adjusted"):
            row[f"{k}_wan"] = cell_amount(ctx, r, cols.get(k), unit)
    return row


def _amounts(ctx: Context, table: str, code: str | None, name: str, r: Row, cols: dict[str, int], unit: str,
             level_of: Any) -> dict[str, Any]:
    f = AMOUNT_FIELDS[table]
    if table == "expenditure_by_function" and "basic" not in cols and "personnel" in cols and "public" in cols:
        # NOTE: 陕西 (corpus 31) 表5 prints 合计 | 人员经费支出 | 公用经费支出 | 专项业务经费支出: basic = 人员 + 公用
        halves = [v for k in ("personnel", "public") if (v := cell_amount(ctx, r, cols[k], unit)) is not None]
        basic = sum(halves[1:], halves[0]) if halves else None
        return {"doc_id": ctx.doc.doc_id, "code": code, "name": name or None, "level": level_of(code) if code else None,
                "total_wan": cell_amount(ctx, r, cols.get("total"), unit), "basic_wan": basic,
                "project_wan": cell_amount(ctx, r, cols.get("project"), unit), "source_line": r.where}
    return {
        "doc_id": ctx.doc.doc_id, "code": code, "name": name or None,
        "level": level_of(code) if code else None,
        f"{f[0]}_wan": cell_amount(ctx, r, cols.get(f[0]), unit),
        f"{f[1]}_wan": cell_amount(ctx, r, cols.get(f[1]), unit),
        f"{f[2]}_wan": cell_amount(ctx, r, cols.get(f[2]), unit),
        "source_line": r.where,
    }


def _blank_after(header: tuple[str, ...], code: int | None) -> int:
    """Blank header columns right after the code column (a code head spanning 类|款|项)."""
    if code is None:
        return 0
    n = 0
    while code + 1 + n < len(header) and not header[code + 1 + n]:
        n += 1
    return n


def side_by_side(g: Grid) -> list[Grid]:
    """A table printed as two or three blocks side by side (the header repeats: '科目代码 科目名称 决算数 科目代码 …')
    -> one grid per block, read one after the other.
    NOTE: 决算 基本支出 tables print 人员经费 | 公用经费 halves side by side: 佛山 (corpus 40) and 普陀区财政局 (48) two
    blocks, 国家信访局 (42) three."""
    h = g.header
    k = next((i for i in range(1, len(h)) if h[0] and h[i] == h[0]), None)
    if k is None:
        return [g]
    starts = [i for i in range(0, len(h), k) if h[i] == h[0]]
    out = []
    for s in starts:
        rows = tuple(Row(r.cells[s:s + k], r.where) for r in g.rows if any(c.text.strip() for c in r.cells[s:s + k]))
        out.append(replace(g, header=h[s:s + k], rows=rows))
    return out
