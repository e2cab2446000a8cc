"""Projects (项目绩效目标表 and 项目经费情况说明) -> projects rows."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from typing import Any

from ...model import Para, Row, Table
from ...values import (
    stated_unit,
    try_amount,
    try_percent,
)
from ..prose import AMT, WAN, Text, to_decimal
from ..sections import Section, compact
from ..tables import Grid, join_cjk_wrap
from .context import Context, paras_of
from .indicators import department_indicators, flat_table, indicator_rows, is_indicator_grid, packed_indicators

SEQ = re.compile(r"^\s*(\d{1,3})\s*[、.．]\s*")
TITLE_SUFFIX = re.compile(r"(项目)?绩效目标表?$")
UNIT_HEADER = re.compile(r"^(\d{3,9})\s*([\u4e00-\u9fff].*)$")

BASIS_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
PLAN_LABELS = ("3月", "6月", "9月", "10月", "12月")


def _label_value(rows: list[Row], label: str) -> tuple[str | None, str | None]:
    """Text of the cell right after the first cell whose text contains `label`."""
    for r in rows:
        for i, c in enumerate(r.cells):
            if label in compact(c.text) and i + 1 < len(r.cells):
                return r.cells[i + 1].text.strip(), r.cells[i + 1].where
    return None, None


def _plan(rows: list[Row]) -> tuple[list[str | None], list[str], bool]:
    """(values q1..q4, wheres, printed_as_percent) from the 资金支出计划 block."""
    for k, r in enumerate(rows):
        texts = [compact(c.text) for c in r.cells]
        hits = [i for i, t in enumerate(texts) if any(t.startswith(p) for p in PLAN_LABELS) and "底" in t]
        if len(hits) >= 3 and k + 1 < len(rows):
            nxt = rows[k + 1]
            pct = any("%" in t for t in texts) or any("%" in c.text for c in nxt.cells)
            vals, wheres = [], []
            for i in hits[:4]:
                c = nxt.cells[i] if i < len(nxt.cells) else None
                vals.append(c.text.strip() if c and c.text.strip() else None)
                wheres.append(c.where if c else nxt.where)
            return vals, wheres, pct
    return [], [], True


def _goal(rows: list[Row], paras: list[Para], labelled: bool = True) -> str | None:
    parts: list[str] = []
    if not labelled:
        # NOTE: seed 002 prints the goal beside, above or below its 绩效目标 label
        # (lines 569, 601-604): every text cell before the indicator table is goal text.
        cells = [c.text.strip() for r in rows for c in r.cells]
        parts = [re.sub(r"^\s*绩效目标\s*[:：]?", "", t).strip() for t in cells if len(compact(t)) > 2]
        rows = []
    for r in rows:
        texts = [c.text.strip() for c in r.cells]
        for i, t in enumerate(texts):
            if compact(t) == "绩效目标":
                parts.extend(x for x in texts[i + 1:] if x)
                break
            if compact(t).startswith("绩效目标") and len(compact(t)) > 6:
                parts.append(re.sub(r"^\s*绩效目标\s*[:：]?", "", t))
    for p in paras:
        t = re.sub(r"(^\s*绩效目标\s*[:：]?|(?<!\s)\s*绩效目标\s*$)", "", p.text).strip()
        if t and not re.fullmatch(r"[\d.%\s]+", t):
            parts.append(t)
    return "\n".join(parts) if parts else None


def _purpose(rows: list[Row]) -> tuple[str | None, str | None]:
    for k, r in enumerate(rows):
        if any("预算数" in compact(c.text) for c in r.cells) and k + 1 < len(rows):
            texts = [c for c in rows[k + 1].cells if c.text.strip()]
            if len(texts) == 1 and try_amount(texts[0].text) is None and "资金支出计划" not in texts[0].text:
                return texts[0].text.strip(), texts[0].where
    v, w = _label_value(rows, "资金用途")
    if v and try_amount(v) is None and "预算数" not in v:
        return v, w
    return None, None


def project_from_section(ctx: Context, sec: Section, grids: list[Grid], order: int) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    info_rows = [r for g in grids if not is_indicator_grid(g) for r in g.rows]
    ind_grids = [g for g in grids if is_indicator_grid(g)]
    paras = [b for b in sec.blocks if isinstance(b, Para)]
    code, code_where = _label_value(info_rows, "项目编码")
    name, name_where = _label_value(info_rows, "项目名称")
    flat_rows: list[tuple[list[str], str]] = []
    if not ind_grids:
        flat_rows, paras = flat_table(paras)
    if not info_rows and not ind_grids and not flat_rows:
        return None
    if code is None and name is None and not ind_grids and not flat_rows:
        return None
    m = SEQ.match(sec.title)
    seq = int(m.group(1)) if m else order
    title_name = TITLE_SUFFIX.sub("", SEQ.sub("", sec.title)).strip()
    budget_t, budget_w = _label_value(info_rows, "预算数")
    fiscal_t, _ = _label_value(info_rows, "财政资金")
    if fiscal_t is None:
        fiscal_t, _ = _label_value(info_rows, "财政拨款")
    other_t, _ = _label_value(info_rows, "其他资金")
    unit = next((u for r in info_rows[:4] for c in r.cells if (u := stated_unit(c.text))), ctx.unit)
    budget = ctx.wan(try_amount(budget_t), unit)
    unit_code = unit_name = None
    for r in info_rows[:3]:
        for c in r.cells:
            um = UNIT_HEADER.match(c.text.strip())
            if um and not re.search(r"(?<!\d)\d{6,}[A-Z]", c.text):
                unit_code, unit_name = um.group(1), um.group(2)
                break
        if unit_code:
            break
    vals, wheres, pct = _plan(info_rows)
    plan: list[Decimal | None] = []
    for v, w in zip(vals, wheres, strict=False):
        p = try_percent(v) if v else None
        if p is None and v:
            ctx.warn("percent-unparseable", w or sec.where, f"project {seq}: cannot read plan {v[:40]!r}")
        if p is not None and not pct:
            p = (p / budget * 100).quantize(Decimal("0.000001")) if budget else None
        plan.append(p)
    plan += [None] * (4 - len(plan))
    purpose, _ = _purpose(info_rows)
    indicators = indicator_rows(ctx, ind_grids, seq, flat_rows)
    years = Counter(int(y) for r in indicators for y in BASIS_YEAR.findall(r.get("basis") or ""))
    basis_year = years.most_common(1)[0][0] if years else None
    project = {
        "doc_id": ctx.doc.doc_id, "project_seq": seq,
        "project_code": re.sub(r"^\[|\]$", "", code).strip() if code else None,
        "project_name": name or title_name or None,
        "budget_wan": budget, "fiscal_wan": ctx.wan(try_amount(fiscal_t), unit),
        "other_wan": ctx.wan(try_amount(other_t), unit),
        "purpose": purpose, "goal": _goal(info_rows, paras, labelled=code is not None or name is not None),
        "plan_q1_pct": plan[0], "plan_q2_pct": plan[1], "plan_q3_pct": plan[2], "plan_q4_pct": plan[3],
        "basis_year": basis_year, "source_line": name_where or code_where or sec.where,
        "unit_code": unit_code, "unit_name": unit_name,
        "budget_source": "table" if budget is not None else None,
        "plan_unit": ("%" if pct else "万元") if vals else None,
    }
    if budget is None and budget_t:
        ctx.warn("amount-unparseable", budget_w or sec.where, f"project {seq}: cannot read 预算数 {budget_t!r}")
    return project, indicators


def prose_budgets(ctx: Context, secs: list[Section], projects: list[dict[str, Any]]) -> None:
    """NOTE: seed 002 prints no 预算数 in its project tables; the 支出说明 lists each
    project's amount ('…迁址装修费72万元…，上年结转…咨询机构及专家评审费0.22万元').
    A project without a table budget takes the amount listed under its exact name; when a
    name is listed twice (current year and 上年结转), the carried-over amount goes to the
    table whose targets are set for an earlier year."""
    missing = [p for p in projects if p["budget_wan"] is None and p["project_name"]]
    if not missing:
        return
    text = Text(paras_of(secs, {"overall"}))
    listed: dict[str, list[tuple[Decimal, str, bool]]] = {}
    for m, where in text.find_all(rf"(?:[，,、：:；;]|主要为|主要是|其中)([^，,、：:；;。0-9]{{2,40}}?)\s*{AMT}{WAN}"):
        before = text.text[max(0, m.start() - 400): m.start()] + m.group(1)
        carry = "上年结转" in before[before.rfind("项目支出") if "项目支出" in before else 0:]
        name = re.sub(r"^(?:主要为|主要是|其中|上年结转|包括)+", "", m.group(1)).strip()
        listed.setdefault(compact(name).replace("“", '"').replace("”", '"'), []).append((to_decimal(m.group(2)), where, carry))
    for p in missing:
        key = compact(p["project_name"]).replace("“", '"').replace("”", '"')
        cands = listed.get(key)
        if not cands:
            continue
        same_name = [q for q in projects if q["project_name"] and compact(q["project_name"]) == compact(p["project_name"])]
        pick = cands[0]
        if len(cands) > 1 and len(same_name) > 1:
            earlier = p["basis_year"] is not None and ctx.year is not None and p["basis_year"] < ctx.year
            pick = next((c for c in cands if c[2] == earlier), cands[0])
        p["budget_wan"], p["budget_source"] = pick[0], "prose"


def extract(ctx: Context, secs: list[Section], grids: list[Grid]) -> dict[str, list[dict[str, Any]]]:
    projects: list[dict[str, Any]] = []
    indicators: list[dict[str, Any]] = []
    by_section: dict[int, list[Grid]] = {}
    for g in grids:
        by_section.setdefault(g.section, []).append(g)
    order = 0
    for i, sec in enumerate(secs):
        if sec.kind != "project_table":
            continue
        try:
            got = project_from_section(ctx, sec, by_section.get(i, []), order + 1)
        except Exception as e:  # noqa: BLE001 - one bad project never drops its document
            ctx.warn("record-crash", sec.where, f"project table {sec.title[:40]!r}: {type(e).__name__}: {e}"[:300])
            continue
        if got is None:
            continue
        order += 1
        p, inds = got
        if any(q["project_seq"] == p["project_seq"] for q in projects):
            ctx.warn("duplicate-project-seq", p["source_line"], f"project number {p['project_seq']} printed twice")
            p["project_seq"] = max(q["project_seq"] for q in projects) + 1
            for r in inds:
                r["project_seq"] = p["project_seq"]
        projects.append(p)
        indicators.extend(inds)
    if not projects:
        listed, listed_inds = project_lists(ctx, secs)
        projects.extend(listed)
        indicators.extend(listed_inds)
    for sec in secs:
        if sec.kind == "project_notes" and (note := project_from_notes(ctx, sec, len(projects) + 1)) is not None:
            projects.append(note)
    indicators.extend(department_indicators(ctx, secs))
    prose_budgets(ctx, secs, projects)
    return {"projects": projects, "indicators": indicators}


def project_from_notes(ctx: Context, sec: Section, seq: int) -> dict[str, Any] | None:
    """NOTE: the Shanghai PDFs describe projects in prose ('××项目经费情况说明': 一、项目概述 …
    六、年度预算安排 七、绩效目标) instead of a 绩效目标表. The group heading itself is not a project."""
    title = re.sub(r"^(?:[一二三四五六七八九十]+[、.．]|\d+[、.．])\s*", "", sec.title.strip())
    if compact(title) in ("项目经费情况说明", "项目经费说明", "项目情况说明"):
        return None
    name = re.sub(r"经费情况说明$|情况说明$|说明$", "", title).strip()
    paras = [b for b in sec.blocks if isinstance(b, Para)]
    text = Text(paras)
    budget = None
    for m, _where in text.find_all(rf"(?:年度预算安排|预算安排|项目预算|预算金额)[^0-9。；]{{0,20}}?{AMT}{WAN}"):
        budget = to_decimal(m.group(1))
        break
    def part(label: str) -> str | None:
        for k, p in enumerate(paras):
            if re.match(rf"^[一二三四五六七八九十]+[、.．]\s*{label}$", compact(p.text)):
                body = []
                for q in paras[k + 1:]:
                    if re.match(r"^[一二三四五六七八九十]+[、.．]", compact(q.text)):
                        break
                    body.append(q.text.strip())
                return "\n".join(body) or None
        return None
    return {
        "doc_id": ctx.doc.doc_id, "project_seq": seq, "project_code": None, "project_name": name or None,
        "budget_wan": budget, "fiscal_wan": None, "other_wan": None, "purpose": part("项目概述"),
        "goal": part("绩效目标"), "plan_q1_pct": None, "plan_q2_pct": None, "plan_q3_pct": None,
        "plan_q4_pct": None, "basis_year": None, "source_line": sec.where, "unit_code": None, "unit_name": None,
        "budget_source": "prose" if budget is not None else None, "plan_unit": None,
    }


# ---------------------------------------------------------------- project lists (one row per project)

# NOTE: 广州 绩效目标 book (corpus 15) '项目名称（资金使用单位）'; 广州信访局 (12) '支出项目类别（资金使用单位）';
# 深圳公安 (07) '一级项目名称'; 杭州公安 (21) '项目名称' beside '单位名称'.
LIST_NAME = re.compile(r"^(?:一级|二级)?项目名称|^支出项目类别")
LIST_AMOUNT = re.compile(r"^(?:总计|合计|金额|预算数|年度预算|当年预算)")
LIST_UNIT = re.compile(r"单位名称$|^资金使用单位$")
TOTAL_ROW = re.compile(r"^(?:合计|总计|小计|[\d*#]+)$")


def _list_header(texts: list[str]) -> dict[str, int] | None:
    """Column roles of a project-list header row, or None when the row is not one."""
    cols: dict[str, int] = {}
    for i, t in enumerate(texts):
        if "name" not in cols and LIST_NAME.search(t) and "科目" not in t:
            cols["name"] = i
        elif "name" in cols and "amount" not in cols and LIST_AMOUNT.search(t):
            cols["amount"] = i
        elif "name" in cols and "fiscal" not in cols and t.startswith("财政拨款"):
            cols["fiscal"] = i
        elif "goal" not in cols and t == "绩效目标":
            cols["goal"] = i
        elif "indicators" not in cols and t == "绩效指标":
            cols["indicators"] = i
        elif "name" not in cols and "unit" not in cols and LIST_UNIT.search(t):
            cols["unit"] = i
    if "name" not in cols or "amount" not in cols or any("科目" in t for t in texts):
        return None
    return cols


def _cell(r: Row, i: int | None) -> str:
    return r.cells[i].text.strip() if i is not None and i < len(r.cells) else ""


def project_lists(ctx: Context, secs: list[Section]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Projects listed one per row in a table (name, amount, and often the goal and indicators):
    NOTE: 广州 (corpus 15, 12), 深圳 (07) and 杭州 (21) print no per-project 绩效目标表 but a list. Where the
    list has a 绩效目标 column, a row without a goal (and without indicators) is a group row (the
    资金使用单位 subtotal, corpus 15 p1 '广州市政务服务和数据管理局 16,926.32'): it names the unit of
    the projects under it and is not a project. A document that prints the same projects twice (corpus 21:
    表10 amounts by fund, 表11 amount and goal) keeps the list with goals; a row with no name continues
    the previous row's text across a page break."""
    lists: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for sec in secs:
        cols: dict[str, int] | None = None
        key: tuple[str, ...] = ()
        group: str | None = None
        last: dict[str, Any] | None = None
        sub_header = False
        for b in sec.blocks:
            if not isinstance(b, Table):
                continue
            for r in b.rows:
                texts = [compact(c.text) for c in r.cells]
                head = _list_header(texts)
                if head is not None:
                    cols, key, sub_header = head, tuple(t for t in texts if t), True
                    lists.setdefault(key, [])
                    continue
                if cols is None:
                    continue
                name = join_cjk_wrap(_cell(r, cols["name"]))
                amount_t = _cell(r, cols["amount"])
                if sub_header and not amount_t and not any(try_amount(t) for t in texts if t):
                    # a second header line: a fiscal column split by fund holds only one fund
                    f = cols.get("fiscal")
                    if f is not None and _cell(r, f) and compact(_cell(r, f)) not in ("合计", "小计"):
                        cols = {k: v for k, v in cols.items() if k != "fiscal"}
                    sub_header = False
                    continue
                sub_header = False
                if not name:
                    if last is not None:  # the rest of the previous row, printed on the next page
                        for k in ("goal", "indicators"):
                            if (t := _cell(r, cols.get(k))) and last.get(k) is not None:
                                last[k] += t
                    continue
                if TOTAL_ROW.match(compact(name)):
                    continue
                amount = try_amount(amount_t)
                if amount is None:
                    if last is not None and not amount_t and not any(_cell(r, cols.get(k)) for k in ("goal", "indicators")):
                        last["name"] += name  # a wrapped name
                    continue
                goal = _cell(r, cols.get("goal")) if "goal" in cols else None
                inds = _cell(r, cols.get("indicators")) if "indicators" in cols else None
                if "goal" in cols and not goal and not inds:
                    group, last = name, None
                    continue
                last = {"name": name, "amount": amount, "fiscal": try_amount(_cell(r, cols.get("fiscal"))),
                        "goal": goal, "indicators": inds, "where": r.cells[cols["name"]].where,
                        "unit": _cell(r, cols.get("unit")) or group, "has_goal": "goal" in cols}
                lists[key].append(last)
    rows = [p for ps in lists.values() for p in ps]
    if any(p["has_goal"] for p in rows):
        rows = [p for p in rows if p["has_goal"]]
    projects: list[dict[str, Any]] = []
    indicators: list[dict[str, Any]] = []
    for seq, p in enumerate(rows, 1):
        projects.append({
            "doc_id": ctx.doc.doc_id, "project_seq": seq, "project_code": None, "project_name": p["name"],
            "budget_wan": ctx.wan(p["amount"]), "fiscal_wan": ctx.wan(p["fiscal"]), "other_wan": None,
            "purpose": None, "goal": join_cjk_wrap(p["goal"]) if p["goal"] else None,
            "plan_q1_pct": None, "plan_q2_pct": None, "plan_q3_pct": None, "plan_q4_pct": None,
            "basis_year": None, "source_line": p["where"], "unit_code": None,
            "unit_name": join_cjk_wrap(p["unit"]) if p["unit"] else None,
            "budget_source": "table", "plan_unit": None,
        })
        if p["indicators"]:
            indicators.extend(packed_indicators(ctx, p["indicators"], seq, p["where"]))
    return projects, indicators
