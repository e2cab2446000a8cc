"""Headline identities, table against prose, 三公, 机关运行经费 and 政府采购 totals."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..model import Document, Para
from .common import (
    FAIL,
    NA,
    PASS,
    ROUNDING,
    STATUS_WORD,
    ZERO,
    by_metric,
    check,
    compact,
    fmt,
    half_unit,
    num,
    same_status,
    sum_check,
)
from .tables import total_row

METRIC_NAME = {
    "income_total": "收入总计", "fiscal_income": "财政拨款收入", "general_budget_income": "一般公共预算拨款收入",
    "gov_fund_income": "政府性基金预算拨款收入", "other_income": "其他收入", "carryover_income": "上年结转",
    "expenditure_total": "支出总计", "basic_expenditure": "基本支出", "personnel_expenditure": "人员经费",
    "public_expenditure": "公用经费", "project_expenditure": "项目支出",
}

_NUM = r"([0-9][0-9,]*(?:\.[0-9]+)?)\s*万元"  # NOTE: Shanghai PDFs print 9,101.68万元
# NOTE: prose forms seen in seeds 000 (收入预算总额1500万元, 支出安排预算总额1500万元), 001
# (部门预算收入1082.49万元, 部门预算支出为1082.49万元) and 002 (预算收入738.05万元, 支出预算738.05万元,
# 预算收支安排738.05万元; 一般公共预算收入509.01 and 基金预算收入198.3 are parts, hence the
# look-behind). 人员/公用经费 are not scanned: 002 splits 公用经费 into 本年 55.64 and
# 上年结转 19.40 in the same sentence, so a lone prose figure is not the headline.
PROSE_PATTERNS: dict[str, re.Pattern[str]] = {
    "income_total": re.compile(r"(?<![共金])(?:预算收入|收入预算总额|收入预算|收入总计|收入总额)(?:为|共计)?" + _NUM),
    "expenditure_total": re.compile(
        # NOTE: Shanghai p6 '财政拨款支出预算…，政府性基金拨款支出预算0万元' are parts, not the total
        r"(?<!拨款)(?<!基金)(?<!经营)(?:预算支出|支出安排预算总额|支出预算总额|支出预算|支出总计|支出总额|收支安排)"
        r"(?:为|共计)?" + _NUM),
    "basic_expenditure": re.compile(r"(?<!增加)(?<!减少)基本支出(?:为)?" + _NUM),
    "project_expenditure": re.compile(r"(?<!上年结转)项目支出(?:为)?" + _NUM),
}
# NOTE: seed 002 line 372 "较 2022年预算增加 216.08万元, 其中:基本支出增加 56.21万元…项目支出增加 159.88万元"
# (parts 216.09: rounding); seed 001 line 65 (194.50 = 169.20 + 25.30).
CHANGE_PARTS = re.compile(r"(?:较|比).{0,15}?(增加|减少)([0-9]+(?:\.[0-9]+)?)万元.*?基本支出(增加|减少)([0-9]+(?:\.[0-9]+)?)万元"
                          r".*?项目支出(增加|减少)([0-9]+(?:\.[0-9]+)?)万元")
PROCUREMENT_STATED = re.compile(r"(?:政府)?采购预算(?:总额)?(?:为|共计)?" + _NUM)
TABLE_TOTALS = (  # metric <- (classification table, column of its 合计 row)
    ("expenditure_total", "expenditure_by_function", "total_wan"),
    ("basic_expenditure", "expenditure_by_function", "basic_wan"),
    ("project_expenditure", "expenditure_by_function", "project_wan"),
    ("income_total", "income_by_function", "total_wan"),
    ("fiscal_income", "income_by_function", "fiscal_wan"),
    ("carryover_income", "income_by_function", "carryover_wan"),
    ("basic_expenditure", "expenditure_by_economic", "total_wan"),
    ("personnel_expenditure", "expenditure_by_economic", "personnel_wan"),
    ("public_expenditure", "expenditure_by_economic", "public_wan"),
)


def headline(tables: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """One row per metric (a table figure wins over a prose one when both were kept)."""
    out: dict[str, dict[str, Any]] = {}
    for metric, rows in by_metric(tables.get("budget_totals") or []).items():
        rows = [r for r in rows if r.get("amount_wan") is not None]
        if rows:
            out[metric] = sorted(rows, key=lambda r: r.get("origin") != "table")[0]
    return out


def headline_checks(doc_id: str, tables: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    h = headline(tables)
    amt = {m: num(r["amount_wan"]) for m, r in h.items()}
    out = []

    def ident(cid: str, total: str, parts: tuple[str, ...], what: str, need_all: bool) -> None:
        present = [p for p in parts if p in amt]
        ok = total in amt and (len(present) == len(parts) if need_all else bool(present))
        if not ok:
            missing = [METRIC_NAME[m] for m in (total, *parts) if m not in amt]
            out.append(check(doc_id, cid, NA, None, None, f"{what}：未列明{'、'.join(missing)}", None))
            return
        desc = "+".join(METRIC_NAME[p] for p in present)
        terms = [amt[p] for p in present]
        assert amt[total] is not None
        out.append(sum_check(doc_id, cid, amt[total], [t for t in terms if t is not None],  # type: ignore[arg-type]
                             what, desc, h[total].get("source_line")))

    if "income_total" in amt and "expenditure_total" in amt:
        a, b = amt["income_total"], amt["expenditure_total"]
        assert a is not None and b is not None
        st = same_status(a, b)
        out.append(check(doc_id, "totals.income_eq_expenditure", st, a, b,
                         f"收入总计 {fmt(a)} 万元，支出总计 {fmt(b)} 万元，{STATUS_WORD[st]}",
                         h["income_total"].get("source_line")))
    else:
        out.append(check(doc_id, "totals.income_eq_expenditure", NA, None, None, "收入总计或支出总计未列明", None))
    ident("totals.expenditure_eq_basic_plus_project", "expenditure_total",
          ("basic_expenditure", "project_expenditure"), "支出总计 = 基本支出 + 项目支出", True)
    ident("totals.basic_eq_personnel_plus_public", "basic_expenditure",
          ("personnel_expenditure", "public_expenditure"), "基本支出 = 人员经费 + 公用经费", True)
    income_parts = ("fiscal_income", "other_income", "carryover_income") if "fiscal_income" in amt else (
        "general_budget_income", "gov_fund_income", "other_income", "carryover_income")
    ident("totals.income_parts", "income_total", income_parts, "收入总计 = 各项收入之和", False)
    ident("totals.fiscal_income_parts", "fiscal_income", ("general_budget_income", "gov_fund_income"),
          "财政拨款收入 = 一般公共预算 + 政府性基金预算拨款", False)
    return out


def change_parts_check(doc: Document) -> list[dict[str, Any]]:
    """The year-on-year change against its 基本支出 and 项目支出 parts, as the prose states them."""
    for b in doc.blocks:
        m = CHANGE_PARTS.search(compact(b.text)) if isinstance(b, Para) and "万" in b.text else None
        if m:
            sign = {"增加": 1, "减少": -1}
            total, basic, proj = (sign[m.group(i)] * Decimal(m.group(i + 1)) for i in (1, 3, 5))
            return [sum_check(doc.doc_id, "totals.change_parts", total, [basic, proj], "比上年增减",
                              "基本支出增减+项目支出增减", b.where)]
    return []


def prose_figures(doc: Document) -> dict[str, list[tuple[Decimal, str]]]:
    out: dict[str, list[tuple[Decimal, str]]] = {}
    for b in doc.blocks:
        if not isinstance(b, Para) or "万" not in b.text:
            continue  # every figure is printed in 万元
        text = compact(b.text)
        for metric, pat in PROSE_PATTERNS.items():
            for m in pat.finditer(text):
                out.setdefault(metric, []).append((Decimal(m.group(1).replace(",", "")), b.where))
    return out


def table_vs_prose_checks(doc: Document, tables: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Each headline metric printed both in a table and in the prose must agree."""
    table_figs: dict[str, list[tuple[Decimal, str, str]]] = {}
    prose: dict[str, list[tuple[Decimal, str]]] = {}
    for r in tables.get("budget_totals") or []:
        v = num(r.get("amount_wan"))
        if v is None or r.get("metric") not in METRIC_NAME:
            continue
        if r.get("origin") == "table":
            table_figs.setdefault(r["metric"], []).append((v, str(r.get("source_line")), "收支总额表"))
        else:
            prose.setdefault(r["metric"], []).append((v, str(r.get("source_line"))))
    for metric, tname, col in TABLE_TOTALS:
        row = total_row(tables, tname)
        if row is not None and num(row.get(col)) is not None:
            table_figs.setdefault(metric, []).append((num(row.get(col)), str(row.get("source_line")), tname))  # type: ignore[arg-type]
    for metric, figs in prose_figures(doc).items():
        for v, where in figs:
            if (v, where) not in prose.setdefault(metric, []):
                prose[metric].append((v, where))
    out = []
    for metric in METRIC_NAME:
        if metric not in table_figs and metric not in prose:
            continue
        cid = f"totals.table_vs_prose:{metric}"
        if metric not in table_figs or metric not in prose:
            side = "正文" if metric in prose else "表格"
            out.append(check(doc.doc_id, cid, NA, None, None, f"{METRIC_NAME[metric]}只在{side}中列明，无从对照", None))
            continue
        tv, tline, tsrc = table_figs[metric][0]
        results = [(same_status(tv, pv), pv, pl) for pv, pl in prose[metric]]
        bad = [r for r in results if r[0] == FAIL]
        status, pv, pl = bad[0] if bad else max(results, key=lambda r: r[0] == "rounding")
        others = [f"{fmt(t)}（{src}，第{ln}行）" for t, ln, src in table_figs[metric][1:] if t != tv]
        msg = (f"{METRIC_NAME[metric]}：表格 {fmt(tv)} 万元（第{tline}行），正文 "
               f"{'、'.join(f'{fmt(p)}（第{w}行）' for _, p, w in results)}，{STATUS_WORD[status]}")
        if others:
            msg += "；另见表格数 " + "、".join(others)
        out.append(check(doc.doc_id, cid, status, tv, pv, msg, pl))
    return out


def _parts(doc_id: str, cid: str, y: int, cat: dict[str, dict[str, Any]], total: str, parts: tuple[str, ...],
           what: str, desc: str) -> dict[str, Any]:
    amt = {c: num(r.get("amount_wan")) for c, r in cat.items()}
    vals = [v for v in (amt.get(p) for p in parts) if v is not None]
    stated = amt.get(total)
    if stated is None or not vals:
        return check(doc_id, cid, NA, None, None, f"{y}年{what}：总额或分项未列明", None)
    return sum_check(doc_id, cid, stated, vals, f"{y}年{what}", desc, cat[total].get("source_line"))


def three_public_checks(doc_id: str, tables: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    rows = tables.get("three_public") or []
    years = sorted({int(r["fiscal_year"]) for r in rows if r.get("fiscal_year") is not None})
    out = []
    for y in years:
        cat = {str(r["category"]): r for r in rows if r.get("fiscal_year") is not None and int(r["fiscal_year"]) == y}
        has_vehicle = num(cat.get("vehicle_total", {}).get("amount_wan")) is not None
        parts = ("overseas_travel", "vehicle_total", "reception") if has_vehicle else (
            "overseas_travel", "vehicle_purchase", "vehicle_operation", "reception")
        out.append(_parts(doc_id, f"three_public.parts_sum:{y}", y, cat, "total", parts,
                          "“三公”经费合计", "因公出国（境）+公务用车+公务接待"))
        if has_vehicle:
            out.append(_parts(doc_id, f"three_public.vehicle_sum:{y}", y, cat, "vehicle_total",
                              ("vehicle_purchase", "vehicle_operation"), "公务用车购置及运行费", "购置+运行"))
    return out


def _is_subtotal(r: dict[str, Any]) -> bool:
    # NOTE: seed 002 prints per-segment subtotals (本年预算安排机关运行经费 55.64, 上年结转安排机关运行经费 19.40)
    item = str(r.get("item") or "")
    return item == "total" or "机关运行经费" in item or item in ("合计", "小计")


def operating_checks(doc_id: str, tables: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    rows = [r for r in tables.get("operating_expenses") or [] if num(r.get("amount_wan")) is not None]
    if not rows:
        return []
    items = [r for r in rows if not _is_subtotal(r)]
    subs = [r for r in rows if _is_subtotal(r)]
    out = []
    seg_word = {"current_year": "（本年预算安排）", "carryover": "（上年结转安排）"}
    for t in sorted(subs, key=lambda r: (r.get("segment") is not None, str(r.get("segment") or ""))):
        seg = t.get("segment")
        if seg is None:
            seg_totals = [r for r in subs if r.get("segment") is not None]
            covered = {r.get("segment") for r in seg_totals}
            # a segment with its own subtotal counts by it, the rest by their items
            these = seg_totals + [r for r in items if r.get("segment") is None or r.get("segment") not in covered]
            desc = "各分段小计及明细" if seg_totals else ""
        else:
            these, desc = [r for r in items if r.get("segment") == seg], ""
        cid = "operating.items_sum" + (f":{seg}" if seg else "")
        what = "机关运行经费" + (seg_word.get(seg, f"（{seg}）") if seg else "")
        if not these:
            out.append(check(doc_id, cid, NA, None, None, f"{what}只列总额 {fmt(num(t['amount_wan']))} 万元，未列明细",
                             t.get("source_line")))
            continue
        vals = [v for v in (num(r["amount_wan"]) for r in these) if v is not None]
        out.append(sum_check(doc_id, cid, num(t["amount_wan"]), vals,  # type: ignore[arg-type]
                             what, desc or f"{len(these)} 项明细", t.get("source_line")))
    return out


def procurement_checks(doc: Document, tables: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    rows = tables.get("procurement") or []
    stated: tuple[Decimal, str] | None = None
    for b in doc.blocks:
        if isinstance(b, Para) and "万" in b.text:  # (the total is printed in 万元)
            m = PROCUREMENT_STATED.search(compact(b.text))
            if m:
                stated = (Decimal(m.group(1).replace(",", "")), b.where)
                break
    out = []
    amounts = [a for a in (num(r.get("amount_wan")) for r in rows) if a is not None]
    if stated is None:
        if rows:
            out.append(check(doc.doc_id, "procurement.sum_vs_stated", NA, None, sum(amounts, ZERO),
                             f"政府采购明细 {len(rows)} 行，正文未列明采购预算总额", None))
    else:
        out.append(sum_check(doc.doc_id, "procurement.sum_vs_stated", stated[0], amounts,
                             "政府采购预算总额", f"{len(amounts)} 行采购明细", stated[1]))
    for r in rows:
        q, p, a = num(r.get("quantity")), num(r.get("unit_price_wan")), num(r.get("amount_wan"))
        if q is None or p is None or a is None:
            continue
        prod = q * p
        diff = abs(prod - a)
        status = PASS if diff == 0 else (ROUNDING if diff <= abs(q) * half_unit(p) + half_unit(a) else FAIL)
        out.append(check(doc.doc_id, f"procurement.line_amount:{r.get('source_line')}", status, a, prod,
                         f"政府采购“{r.get('item_name') or ''}”：数量 {fmt(q)} × 单价 {fmt(p)} = {fmt(prod)} 万元，"
                         f"金额 {fmt(a)} 万元，{STATUS_WORD[status]}", r.get("source_line")))
    return out
