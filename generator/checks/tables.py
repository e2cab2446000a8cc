"""Classification tables: children add up to their parent, class rows to 合计, and each
row's columns to its total (功能分类 expenditure and income tables, 经济分类 basic table)."""

from __future__ import annotations

from typing import Any

from .common import FAIL, NA, ZERO, check, fmt, num, sum_status, worst

# (contract table, check-id prefix, title, total column, part columns, check the row identity)
TABLE_SPECS: tuple[tuple[str, str, str, str, tuple[str, ...], bool], ...] = (
    ("expenditure_by_function", "expenditure_function", "支出功能分类表", "total_wan",
     ("basic_wan", "project_wan"), True),
    # NOTE: the income table has more columns than the contract keeps (事业收入, 其他收入 …),
    # so its row identity total = fiscal + carryover is not checked (it would fail on them).
    ("income_by_function", "income_function", "收入功能分类表", "total_wan",
     ("fiscal_wan", "carryover_wan"), False),
    ("expenditure_by_economic", "economic", "基本支出经济分类表", "total_wan",
     ("personnel_wan", "public_wan"), True),
)
COL_NAME = {"total_wan": "合计", "basic_wan": "基本支出", "project_wan": "项目支出", "fiscal_wan": "财政拨款",
            "carryover_wan": "上年结转", "personnel_wan": "人员经费", "public_wan": "公用经费"}


def _code(r: dict[str, Any]) -> str | None:
    c = r.get("code")
    return str(c) if c not in (None, "") else None


def _compare_columns(doc_id: str, check_id: str, title: str, parent: dict[str, Any],
                     children: list[dict[str, Any]], cols: tuple[str, ...]) -> dict[str, Any]:
    """One row: for every column, parent vs the sum of its children; the worst column decides."""
    results = []
    for col in cols:
        pv = num(parent.get(col))
        vals = [num(c.get(col)) for c in children]
        if pv is None and all(v is None for v in vals):
            continue
        terms = [v for v in vals if v is not None]
        stated = pv if pv is not None else ZERO
        status, total = sum_status(stated, terms)
        results.append((status, col, stated, total, terms))
    if not results:
        return check(doc_id, check_id, NA, None, None, f"{title}：无可比较的金额", parent.get("source_line"))
    status = worst(s for s, *_ in results)
    shown = next((r for r in results if r[0] == status), results[0])
    parts = "；".join(f"{COL_NAME.get(c, c)} {fmt(st)} vs {fmt(tot)}" for _, c, st, tot, _ in results)
    return check(doc_id, check_id, status, shown[2], shown[3], f"{title}（列明 vs 加总）：{parts}",
                 parent.get("source_line"))


def table_checks(doc_id: str, tables: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name, prefix, title, total_col, part_cols, row_identity in TABLE_SPECS:
        rows = tables.get(name) or []
        if not rows:
            continue
        cols = (total_col, *part_cols)
        coded: dict[str, dict[str, Any]] = {}
        for r in rows:
            c = _code(r)
            if c is not None and c not in coded:
                coded[c] = r
        codes = sorted(coded)
        for c in codes:  # children add up to their parent
            longer = [d for d in codes if d.startswith(c) and len(d) > len(c)]
            if not longer:
                continue
            width = min(len(d) for d in longer)
            kids = [coded[d] for d in longer if len(d) == width]
            out.append(_compare_columns(doc_id, f"{prefix}.children_sum:{c}",
                                        f"{title} {c}{coded[c].get('name') or ''} 的下级科目", coded[c], kids, cols))
        totals = [r for r in rows if _code(r) is None and "合计" in str(r.get("name") or "合计")]
        if totals and codes:
            top = min(len(c) for c in codes)
            classes = [coded[c] for c in codes if len(c) == top]
            out.append(_compare_columns(doc_id, f"{prefix}.total_row_sum", f"{title} 合计行与各类科目之和",
                                        totals[0], classes, cols))
        # a table printing one amount column (no parts: 广州信访局 12, 国家信访局 42 决算) has no row identity to check
        if row_identity and any(num(r.get(c)) is not None for r in rows for c in part_cols):
            for r in [*totals[:1], *(coded[c] for c in codes)]:
                out.append(_row_identity(doc_id, prefix, title, r, total_col, part_cols))
    return out


def _row_identity(doc_id: str, prefix: str, title: str, r: dict[str, Any], total_col: str,
                  part_cols: tuple[str, ...]) -> dict[str, Any]:
    key = _code(r) or "合计"
    cid = f"{prefix}.row_sum:{key}"
    total = num(r.get(total_col))
    parts = [num(r.get(c)) for c in part_cols]
    label = f"{title} {key}{r.get('name') or '' if key != '合计' else ''}"
    if total is None and all(p is None for p in parts):
        return check(doc_id, cid, NA, None, None, f"{label}：整行为空", r.get("source_line"))
    terms = [p for p in parts if p is not None]
    stated = total if total is not None else ZERO
    status, s = sum_status(stated, terms)
    names = "+".join(COL_NAME[c] for c in part_cols)
    msg = f"{label}：合计 {fmt(total)}，{names} = {fmt(s)}"
    if status == FAIL:
        msg += f"，差额 {fmt(s - stated)}"
    return check(doc_id, cid, status, stated, s, msg, r.get("source_line"))


def total_row(tables: dict[str, list[dict[str, Any]]], name: str) -> dict[str, Any] | None:
    """The 合计 row (code NULL) of a classification table, if the parser kept it."""
    for r in tables.get(name) or []:
        if _code(r) is None and "合计" in str(r.get("name") or "合计"):
            return r
    return None

