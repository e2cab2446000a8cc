"""Required disclosure items (地方预决算公开操作规程) and a completeness score.

An item is present when a heading-like paragraph (short, not a table-of-contents cell)
names it, or, failing that, when the parsed tables hold its data (e.g. 机构设置 from
``units`` rows). A 绩效目标文本 (doc_kind ``performance``) is scored against what such a
text must hold instead. The score is the share of items present; it is also emitted as
the check ``disclosure.completeness`` (message "公开要素 n/m 项").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from ..model import Document, Heading, Para
from .common import FAIL, PASS, check, compact

T = dict[str, list[dict[str, Any]]]
HEADING_MAX = 40  # characters; longer paragraphs are prose, not section titles


def _rows(name: str, cond: Callable[[dict[str, Any]], bool] = lambda r: True) -> Callable[[T], list[dict[str, Any]]]:
    return lambda t: [r for r in t.get(name) or [] if cond(r)]


def _origin(o: str) -> Callable[[dict[str, Any]], bool]:
    return lambda r: r.get("origin") == o


def NONE(t: T) -> list[dict[str, Any]]:
    return []

# (item, section kinds that are it (see sections.HEADING_KINDS), rows that also prove it).
# The section kinds come from the same heading rules the parser uses, so a table named
# '一般公共预算支出功能分类预算表' (Shanghai) counts as the 一般公共预算财政拨款支出表.
BUDGET_ITEMS: tuple[tuple[str, frozenset[str], Callable[[T], list[dict[str, Any]]]], ...] = tuple(
    (item, frozenset(kinds.split()), rows) for item, kinds, rows in (
        ("部门职责", "duties", NONE),
        ("机构设置", "org", _rows("units")),
        ("收支总表", "summary_table", NONE),
        ("收入总表", "income_table", _rows("income_by_function")),
        ("支出总表", "expenditure_table", _rows("expenditure_by_function")),
        ("财政拨款收支总表", "fiscal_summary_table", NONE),
        ("一般公共预算财政拨款支出表", "gp_expenditure_table", NONE),
        ("一般公共预算财政拨款基本支出表", "gp_basic_table gp_basic_function_table", _rows("expenditure_by_economic")),
        ("政府性基金预算财政拨款支出表", "fund_table", NONE),
        ("国有资本经营预算财政拨款支出表", "soe_table", NONE),
        ("财政拨款“三公”经费支出表", "three_public_table", _rows("three_public", _origin("table"))),
        ("收支预算说明", "overall", _rows("budget_totals", _origin("prose"))),
        ("机关运行经费", "operating", _rows("operating_expenses")),
        ("“三公”经费说明", "three_public", _rows("three_public", _origin("prose"))),
        ("政府采购", "procurement", _rows("procurement")),
        ("国有资产", "assets", _rows("assets")),
        ("绩效目标", "project_table project_notes performance", _rows("projects")),
        ("名词解释", "glossary", NONE),
    )
)

PERFORMANCE_ITEMS: tuple[tuple[str, str, Callable[[T], list[dict[str, Any]]]], ...] = (
    ("部门整体绩效目标", r"(?:部门|单位)整体绩效目标", NONE),
    ("总体绩效目标", r"总体绩效目标", NONE),
    ("分项绩效目标", r"分项绩效目标", NONE),
    ("工作保障措施", r"保障措施", NONE),
    ("项目绩效目标表", r"项目绩效目标表?$", _rows("projects")),
)


def _perf_data_items(t: T) -> list[tuple[str, bool, Any]]:
    """Items of a 绩效目标文本 judged from the parsed rows."""
    ps, inds = t.get("projects") or [], [i for i in t.get("indicators") or [] if i.get("project_seq") is not None]
    first = (inds or ps or [{}])[0].get("source_line")
    l1 = " ".join(str(i.get("level1") or "") for i in inds)
    return [
        ("项目预算数", bool(ps) and all(p.get("budget_wan") is not None for p in ps), first),
        ("资金支出计划", bool(ps) and all(p.get("plan_q4_pct") is not None for p in ps), first),
        ("项目绩效目标", bool(ps) and all(p.get("goal") for p in ps), first),
        ("产出、效益、满意度指标", all(w in l1 for w in ("产出", "效益", "满意")), first),
        ("指标值", bool(inds) and all(str(i.get("value_raw") or "").strip() for i in inds), first),
        ("指标值确定依据", bool(inds) and all(str(i.get("basis") or "").strip() for i in inds), first),
    ]


def doc_kind(doc: Document, tables: T) -> str:
    docs = tables.get("documents") or []
    kind = docs[0].get("doc_kind") if docs else None
    if kind:
        return str(kind)
    head = "".join(compact(b.text) for b in doc.blocks[:10] if isinstance(b, Para))
    if "绩效文本" in head or "绩效目标文本" in head:
        return "performance"
    # NOTE: seed 004 opens with 部门整体绩效目标 and has no budget section at all
    budget = re.compile(r"预算安排|收支总表|机关运行经费|三公")
    if any(budget.search(text) for text, _ in headings(doc)) or tables.get("budget_totals"):
        return "dept_budget"
    return "performance" if any("绩效目标" in text for text, _ in headings(doc)) else "dept_budget"


def headings(doc: Document) -> list[tuple[str, str]]:
    return [(compact(b.text), b.where) for b in doc.blocks
            if isinstance(b, Para) and 0 < len(compact(b.text)) <= HEADING_MAX]


def disclosure_items(doc: Document, tables: T, outline: Sequence[Heading] = ()) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    heads = headings(doc)
    perf = doc_kind(doc, tables) == "performance"
    # what a heading is first of all, then what else it names ('单位职责及机构设置情况')
    secs = [(h.kinds[0], h) for h in outline] + [(k, h) for h in outline for k in h.kinds[1:]]
    found: list[tuple[str, bool, Any]] = []
    empty: dict[str, str] = {}
    # a table a 空表 list declares empty, whose page is also printed under its own title
    declared = {compact(h.title): h.empty for h in outline if h.empty}
    items: tuple[tuple[str, Any, Callable[[T], list[dict[str, Any]]]], ...] = PERFORMANCE_ITEMS if perf else BUDGET_ITEMS
    for item, how, rows in items:
        if isinstance(how, frozenset):
            head = next((h for kind, h in secs if kind in how), None)
            where = head.where if head else None
            reason = head and (head.empty or declared.get(compact(head.title)))
            if reason:
                empty[item] = reason  # published as an empty table, with the reason printed
        else:
            pat = re.compile(how)
            where = next((w for text, w in heads if pat.search(text)), None)
        if where is None:
            data = rows(tables)
            where = data[0].get("source_line") if data else None
            found.append((item, bool(data), where))
        else:
            found.append((item, True, where))
    if perf:
        found += _perf_data_items(tables)
    out = [{"doc_id": doc.doc_id, "item": i, "present": p, "source_line": None if w is None else str(w),
            "empty_reason": empty.get(i)} for i, p, w in found]
    n = sum(1 for _, p, _ in found if p)
    missing = [i for i, p, _ in found if not p]
    kind = "绩效目标文本" if perf else "预算"
    msg = f"{kind}公开要素 {n}/{len(found)} 项（{round(100 * n / len(found))}%）"
    if missing:
        msg += "；缺：" + "、".join(missing)
    score = check(doc.doc_id, "disclosure.completeness", PASS if not missing else FAIL, None, None, msg, None)
    return out, score
