"""Project checks: budgets against the stated 项目支出, fiscal + other = budget, spending
plans, duplicate codes, prose figures and cost indicators against the table budget."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .common import (
    FAIL,
    NA,
    PASS,
    ROUNDING,
    STATUS_WORD,
    check,
    compact,
    fmt,
    num,
    same_status,
    seq_key,
    sum_check,
    sum_status,
)
from .totals import headline

HUNDRED = Decimal(100)
# NOTE: seed 000 prints 绩效目标表 for 人员经费 (seq 1) and 日常公用经费 (seq 2): basic expenditure,
# not part of 项目支出 1484.86; they are left out of the project sum.
BASIC_NAME = re.compile(r"^(?:\d+[、.．])?(?:基本支出|人员经费|日常公用经费|公用经费|人员经费和公用经费)(?:项目)?$")
# NOTE: seed 001 seq 3 purpose "预算数 2.5万元。其中：财政资金 2.5万元，其他资金 0万元" (table 1.87).
PROSE_FIGURES = (
    ("budget_wan", "预算数", re.compile(r"预算(?:数|资金|金额)?(?:为|共计)?([0-9]+(?:\.[0-9]+)?)万")),
    ("fiscal_wan", "财政资金", re.compile(r"财政资金(?:为)?([0-9]+(?:\.[0-9]+)?)万")),
    ("other_wan", "其他资金", re.compile(r"其他资金(?:为)?([0-9]+(?:\.[0-9]+)?)万")),
)
MONEY_UNITS = {"万元": Decimal(1), "万": Decimal(1), "元": Decimal("0.0001")}


def label(p: dict[str, Any]) -> str:
    return f"项目{p.get('project_seq')}「{p.get('project_name') or ''}」"


def is_basic(p: dict[str, Any]) -> bool:
    return bool(BASIC_NAME.match(compact(str(p.get("project_name") or ""))))


def project_checks(doc_id: str, tables: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    projects = sorted(tables.get("projects") or [], key=seq_key)
    indicators = tables.get("indicators") or []
    out = [_sum_vs_stated(doc_id, projects, tables)]
    out += _duplicate_codes(doc_id, projects)
    by_seq: dict[Any, list[dict[str, Any]]] = {}  # each project's indicators, in table order (one pass)
    for i in indicators:
        if i.get("project_seq") is not None:
            by_seq.setdefault(i.get("project_seq"), []).append(i)
    for p in projects:
        seq = p.get("project_seq")
        out.append(_fiscal_plus_other(doc_id, p))
        out += _plan(doc_id, p)
        out.append(_prose_vs_table(doc_id, p))
        out.append(_cost_indicator(doc_id, p, by_seq.get(seq, [])))
    return out


def _sum_vs_stated(doc_id: str, projects: list[dict[str, Any]], tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    cid = "projects.sum_vs_project_expenditure"
    stated = headline(tables).get("project_expenditure")
    if not projects or stated is None:
        why = "没有项目绩效目标表" if not projects else "未列明项目支出总额"
        return check(doc_id, cid, NA, None, None, f"项目预算之和无从对照：{why}", None)
    basic = [p for p in projects if is_basic(p)]
    counted = [p for p in projects if not is_basic(p) and num(p.get("budget_wan")) is not None]
    budgets = [b for b in (num(p.get("budget_wan")) for p in counted) if b is not None]
    if not budgets:
        # NOTE: the Shanghai PDFs describe one project in prose with no amount: nothing to add up
        return check(doc_id, cid, NA, None, None, "项目预算之和无从对照：项目均未列预算数", None)
    desc = f"{len(counted)} 个项目预算数"
    if basic:
        desc += f"（不含基本支出项目 {'、'.join(str(p.get('project_seq')) for p in basic)}）"
    return sum_check(doc_id, cid, num(stated["amount_wan"]), budgets,  # type: ignore[arg-type]
                     "项目支出", desc, stated.get("source_line"))


def _duplicate_codes(doc_id: str, projects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_code: dict[str, list[dict[str, Any]]] = {}
    for p in projects:
        code = str(p.get("project_code") or "").strip("[]【】 ")
        if code:
            by_code.setdefault(code, []).append(p)
    if not by_code:
        return [check(doc_id, "projects.unique_codes", NA, None, None, "项目未列编码", None)] if projects else []
    out = []
    dups = []
    for code in sorted(by_code):
        ps = by_code[code]
        # the same project printed for two years (上年结转 beside the current table) is not a duplicate
        years = {p.get("basis_year") for p in ps}
        if len(ps) > 1 and len(years) < len(ps):
            dups.append(code)
            out.append(check(doc_id, f"projects.duplicate_code:{code}", FAIL, None, None,
                             f"项目编码 {code} 重复出现：" + "、".join(label(p) for p in ps),
                             ps[1].get("source_line")))
    status = FAIL if dups else PASS
    msg = f"{len(by_code)} 个项目编码" + (f"，其中 {len(dups)} 个重复：{'、'.join(dups)}" if dups else "，互不重复")
    return [check(doc_id, "projects.unique_codes", status, None, None, msg, None), *out]


def _fiscal_plus_other(doc_id: str, p: dict[str, Any]) -> dict[str, Any]:
    cid = f"project.fiscal_plus_other:{p.get('project_seq')}"
    b, f, o = num(p.get("budget_wan")), num(p.get("fiscal_wan")), num(p.get("other_wan"))
    if b is None or (f is None and o is None):
        return check(doc_id, cid, NA, b, None, f"{label(p)}：未列预算数或资金来源", p.get("source_line"))
    return sum_check(doc_id, cid, b, [x for x in (f, o) if x is not None], f"{label(p)}预算数",
                     "财政资金+其他资金", p.get("source_line"))


def _plan(doc_id: str, p: dict[str, Any]) -> list[dict[str, Any]]:
    seq, ln = p.get("project_seq"), p.get("source_line")
    vals = [num(p.get(f"plan_q{q}_pct")) for q in range(1, 5)]
    shown = "、".join("空" if v is None else f"{fmt(v)}%" for v in vals)
    if all(v is None for v in vals):
        msg = f"{label(p)}：未填资金支出计划"
        return [check(doc_id, f"project.plan_monotonic:{seq}", NA, None, None, msg, ln),
                check(doc_id, f"project.plan_ends_100:{seq}", NA, None, None, msg, ln)]
    given = [v for v in vals if v is not None]
    drops = [i for i in range(1, len(given)) if given[i] < given[i - 1]]
    bad_range = [v for v in given if v < 0 or v > HUNDRED]
    st = FAIL if drops or bad_range else PASS
    msg = f"{label(p)}资金支出计划（3月底/6月底/10月底/12月底累计）：{shown}"
    mono = check(doc_id, f"project.plan_monotonic:{seq}", st, None, None,
                 msg + ("，逐期递增" if st == PASS else "，累计进度回落或超出0–100%"), ln)
    last = vals[3]
    if last is None and given[-1] != HUNDRED:
        end = check(doc_id, f"project.plan_ends_100:{seq}", FAIL, None, None, msg + "，12月底未填且未达100%", ln)
    elif last is None:  # NOTE: seed 003 seq 13 reaches 100% at 10月底 and leaves 12月底 empty
        end = check(doc_id, f"project.plan_ends_100:{seq}", PASS, None, None, msg + "，提前达到100%，其后未填", ln)
    else:
        st2 = PASS if last == HUNDRED else (ROUNDING if abs(last - HUNDRED) <= Decimal("0.005") else FAIL)
        end = check(doc_id, f"project.plan_ends_100:{seq}", st2, None, None,
                    msg + ("，年底达到100%" if st2 != FAIL else f"，年底为{fmt(last)}%而非100%"), ln)
    return [mono, end]


def _prose_vs_table(doc_id: str, p: dict[str, Any]) -> dict[str, Any]:
    cid = f"project.prose_vs_table:{p.get('project_seq')}"
    text = compact(f"{p.get('purpose') or ''}。{p.get('goal') or ''}")
    found = []
    for col, word, pat in PROSE_FIGURES:
        table = num(p.get(col))
        m = pat.search(text)
        if m and table is not None:
            prose = Decimal(m.group(1))
            found.append((same_status(table, prose), word, table, prose))
    if not found:
        return check(doc_id, cid, NA, None, None, f"{label(p)}：资金用途文字中未列金额", p.get("source_line"))
    bad = [f for f in found if f[0] == FAIL]
    st, word, table, prose = bad[0] if bad else found[0]
    parts = "；".join(f"{w} 表格 {fmt(t)} 万元、文字 {fmt(x)} 万元" for _, w, t, x in found)
    return check(doc_id, cid, st, table, prose, f"{label(p)}：{parts}，{STATUS_WORD[st]}", p.get("source_line"))


def money_value(i: dict[str, Any]) -> Decimal | None:
    unit = str(i.get("value_unit") or "").strip()
    v = num(i.get("value_num"))
    if v is None or unit not in MONEY_UNITS:
        return None
    return v * MONEY_UNITS[unit]


def is_cost(i: dict[str, Any]) -> bool:
    return "成本" in str(i.get("level2") or "") or "成本" in str(i.get("level1") or "")


# NOTE: a cost indicator that prices one unit ('单本印刷成本 ≤8元' in 广州 15, '人均培训费', '每场会议', '元/人') is no
# total: it is not compared with the project's budget (it once failed every such project).
PER_UNIT = re.compile(r"单价|单位成本|单[本次件台套个场人户项]|人均|户均|次均|每[人次件本台套个场户项天年月]|[/／][人次件本台套个场户项天年月]|标准")


def is_unit_cost(i: dict[str, Any]) -> bool:
    text = "".join(str(i.get(k) or "") for k in ("level3", "description", "value_raw", "value_unit"))
    return bool(PER_UNIT.search(text))


# NOTE: 广州 绩效目标表 (corpus 15) states cost ceilings: '服务成本 ≤15万元' prices one part of a 325.23 万元
# project, '场地租赁费成本控制 ≤970.92万元' caps a 542.96 万元 budget. A ceiling is consistent with the budget when
# the budget is within it; below the budget it contradicts it only when it names the whole project's cost.
WHOLE_COST = re.compile(r"总成本|项目(总)?成本|总(预算|投入|金额|经费|费用)|预算(总额|控制数|金额)|全部")


def _cost_caps(doc_id: str, cid: str, p: dict[str, Any], budget: Decimal, caps: list[tuple[Any, dict[str, Any]]]) -> dict[str, Any]:
    raw = "、".join(f"“{c.get('level3') or ''} {c.get('value_raw') or ''}”" for _, c in caps)
    top, i = max(caps, key=lambda c: c[0])
    ln = i.get("source_line") or p.get("source_line")
    if budget <= top:
        return check(doc_id, cid, PASS, budget, top, f"{label(p)}：预算数 {fmt(budget)} 万元在成本上限 {raw} 之内", ln)
    whole = [(v, c) for v, c in caps if WHOLE_COST.search(str(c.get("level3") or "") + str(c.get("description") or ""))]
    if whole:
        v, c = whole[0]
        return check(doc_id, cid, FAIL, budget, v, f"{label(p)}：预算数 {fmt(budget)} 万元超过总成本上限 {raw}",
                     c.get("source_line") or ln)
    return check(doc_id, cid, NA, budget, top, f"{label(p)}：成本指标 {raw} 为分项成本上限，不与预算总额比较", ln)


def _cost_indicator(doc_id: str, p: dict[str, Any], own: list[dict[str, Any]]) -> dict[str, Any]:
    cid = f"project.cost_indicator_vs_budget:{p.get('project_seq')}"
    budget = num(p.get("budget_wan"))
    money = [i for i in own if is_cost(i) and money_value(i) is not None]
    # a zero cost ('系统重大事故发生成本 0元', 广州 15) is a target, not the project's total
    costs = [(money_value(i), i) for i in money if not is_unit_cost(i) and money_value(i) != 0]
    if budget is None or not costs:
        why = ("未列预算数" if budget is None else "成本指标为单位成本或零成本目标，不与预算总额比较" if money
               else "没有以金额表示的成本指标")
        return check(doc_id, cid, NA, budget, None, f"{label(p)}：{why}", p.get("source_line"))
    caps = [(v, i) for v, i in costs if i.get("comparator") in ("<=", "<")]
    if caps and len(caps) == len(costs):
        return _cost_caps(doc_id, cid, p, budget, caps)
    results = [(same_status(budget, v), v, i) for v, i in costs]  # type: ignore[arg-type]
    ok = [r for r in results if r[0] != FAIL]
    if ok:
        st, v, i = ok[0]
    elif len(costs) > 1 and sum_status(budget, [v for v, _ in costs])[0] != FAIL:  # type: ignore[misc]
        st, v = sum_status(budget, [v for v, _ in costs])  # type: ignore[misc]
        i = costs[0][1]
    else:
        st, v, i = results[0]
    raw = "、".join(f"“{c.get('level3') or ''} {c.get('value_raw') or ''}”" for _, c in costs)
    return check(doc_id, cid, st, budget, v, f"{label(p)}：预算数 {fmt(budget)} 万元，成本指标 {raw}，{STATUS_WORD[st]}",
                 i.get("source_line") or p.get("source_line"))

