"""Projects (项目绩效目标表 and 项目经费情况说明) -> projects rows."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from operator import attrgetter
from typing import Any

from ...model import Para, Row, Table
from ...values import (
    parse_target,
    stated_unit,
    try_amount,
    try_percent,
)
from ..prose import AMT, WAN, Text, to_decimal
from ..sections import Section, compact
from ..tables import Grid, join_cjk_wrap, section_to_grids
from .context import Context, paras_of
from .indicators import department_indicators, flat_table, indicator_rows, is_indicator_grid, packed_indicators

_TEXT = attrgetter("text")
SEQ = re.compile(r"^\s*(\d{1,3})\s*[、.．]\s*")
TITLE_SUFFIX = re.compile(r"(项目)?绩效(目标|自评)表?$")
WHOLE_DEPARTMENT = re.compile(r"(部门|单位)整体")
UNIT_HEADER = re.compile(r"^(\d{3,9})\s*([\u4e00-\u9fff].*)$")

BASIS_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
PLAN_LABELS = ("3月", "6月", "9月", "10月", "12月")


def _label_value(rows: list[Row], label: str) -> tuple[str | None, str | None]:
    """Text of the first filled cell after the first cell whose text contains `label`.
    NOTE: 西南大学 (corpus 59) '项目名称 | (empty) | 236中央高校…': merged cells leave blanks between label and value."""
    last = label[-1]  # a cheap test before compacting: whitespace cannot split one character
    for r in rows:
        if last not in "".join(map(_TEXT, r.cells)):
            continue  # (the same test on the whole row first)
        for i, c in enumerate(r.cells):
            if last in c.text and label in compact(c.text) and i + 1 < len(r.cells):
                nxt = next((d for d in r.cells[i + 1:] if d.text.strip()), r.cells[i + 1])
                return nxt.text.strip(), nxt.where
    return None, None


def _column_of(rows: list[Row], label: str) -> int | None:
    for r in rows:
        for i, c in enumerate(r.cells):
            if compact(c.text) == label:
                return i
    return None


def _at(rows: list[Row], label: str, col: int) -> tuple[str | None, str | None]:
    """The cell in column `col` of the first row that has a cell containing `label`."""
    for r in rows:
        if any(label in compact(c.text) for c in r.cells) and col < len(r.cells):
            return r.cells[col].text.strip(), r.cells[col].where
    return None, None


def _name_value(rows: list[Row]) -> tuple[str | None, str | None]:
    """The 项目名称 cell, with its tail when the name wraps onto the next row (or page).
    NOTE: 福州 (corpus 26) p26 '项目名称 2026 年医疗服务与保障能力提升补助资' + p27 '| 金 |'."""
    for k, r in enumerate(rows):
        for i, c in enumerate(r.cells):
            if "项目名称" not in compact(c.text) or i + 1 >= len(r.cells):
                continue
            filled = [d for d in r.cells[i + 1:] if d.text.strip()]
            if not filled:
                return "", r.cells[i + 1].where
            name, where = filled[0].text.strip(), filled[0].where
            if k + 1 < len(rows):
                nxt = [d.text.strip() for d in rows[k + 1].cells]
                rest = [t for t in nxt if t]
                if len(rest) == 1 and not nxt[0] and try_amount(rest[0]) is None and len(compact(rest[0])) <= 6:
                    name += rest[0]
            return name, where
    return None, None


def _label_unit(text: str) -> str | None:
    m = re.search(r"[（(](万元|元)[）)]\s*$", compact(text))
    return m.group(1) if m and ("资金" in text or "金额" in text) else None


def _plan(rows: list[Row]) -> tuple[list[str | None], list[str], bool]:
    """(values q1..q4, wheres, printed_as_percent) from the 资金支出计划 block."""
    for k, r in enumerate(rows):
        if "底" not in "".join(map(_TEXT, r.cells)):
            continue  # no '…月底' label in this row
        texts = [compact(c.text) for c in r.cells]
        hits = [i for i, t in enumerate(texts) if "底" in t and t.startswith(PLAN_LABELS)]
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


# NOTE: the national template (corpus 41, 59) says 年度总体目标, 福州 (26) 年度目标, 重庆水利局 (10) 当年绩效目标.
GOAL_LABELS = ("当年绩效目标", "年度绩效目标", "年度目标", "年度总体目标")
# Caption lines and vertical labels printed around a project table are not its goal: '单位：万元', '表十二',
# '(2026 年度)', '绩' '效' '指' '标' (corpus 10, 41, 59).
CAPTION_LINE = re.compile(r"^(?:金额)?单位[:：]|^表[一二三四五六七八九十\d-]+$|^[（(]\d{4}年度?[)）]$|^\S{1,2}$")


def _goal(rows: list[Row], paras: list[Para], labelled: bool = True) -> str | None:
    parts: list[str] = []
    if not labelled:
        # NOTE: seed 002 prints the goal beside, above or below its 绩效目标 label
        # (lines 569, 601-604): every text cell before the indicator table is goal text.
        cells = [c.text.strip() for r in rows for c in r.cells]
        parts = [re.sub(r"^\s*绩效目标\s*[:：]?", "", t).strip() for t in cells if len(compact(t)) > 2]
        rows = []
    for r in rows:
        if "标" not in "".join(map(_TEXT, r.cells)):
            continue  # every label below ends in 目标 (a cheap test of the row before its cells)
        texts = [c.text.strip() for c in r.cells]
        for i, t in enumerate(texts):
            if "标" not in t:  # (a cheap test before compacting)
                continue
            ct = compact(t)
            if ct == "绩效目标":
                parts.extend(x for x in texts[i + 1:] if x)
                break
            if ct in GOAL_LABELS:
                parts.extend(x for x in texts[i + 1:] if len(compact(x)) > 6)  # not a column head ('预期目标')
                break
            if ct.startswith("绩效目标") and len(ct) > 6:
                parts.append(re.sub(r"^\s*绩效目标\s*[:：]?", "", t))
    if labelled and parts:
        paras = []  # the table states the goal: paragraphs around it are titles and captions
    for p in paras:
        t = re.sub(r"(^\s*绩效目标\s*[:：]?|(?<!\s)\s*绩效目标\s*$)", "", p.text).strip()
        if t and not re.fullmatch(r"[\d.%\s]+", t) and not (labelled and CAPTION_LINE.search(compact(t))):
            parts.append(t)
    return "\n".join(parts) if parts else None


def _before_last_table(sec: Section) -> list[Para]:
    """Paragraphs of a project table's section up to its last table: a paragraph after it is the next
    table's title. NOTE: 西南大学 (corpus 59) p18 '（三）236 中央高校捐赠配比专项' follows table 2."""
    last = max((k for k, b in enumerate(sec.blocks) if isinstance(b, Table)), default=len(sec.blocks))
    return [b for b in sec.blocks[:last] if isinstance(b, Para)]


def _purpose(rows: list[Row]) -> tuple[str | None, str | None]:
    for k, r in enumerate(rows):
        if any("数" in c.text and "预算数" in compact(c.text) for c in r.cells) and k + 1 < len(rows):
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
    name, name_where = _name_value(info_rows)
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
    title_name = TITLE_SUFFIX.sub("", re.sub(r"^[（(][一二三四五六七八九十]+[)）]\s*", "", title_name)).strip()
    if code is None and name is None and not title_name:
        # NOTE: 国家信访局 决算 (corpus 42) p45 '（二）项目绩效目标' heads a paragraph of an evaluation report:
        # a table that names no project (no 项目名称, no name in its title) is not one
        return None
    budget_t, budget_w = _label_value(info_rows, "预算数")
    if budget_t is None:
        # NOTE: 西南大学 (59) '年度资金总额：', 西安 (31) '实施期资金总额：', 福州 (26) '资金总额'
        budget_t, budget_w = _label_value(info_rows, "年度资金总额")
    if budget_t is None:
        budget_t, budget_w = _label_value(info_rows, "资金总额")
    if budget_t is None:
        budget_t, budget_w = _label_value(info_rows, "当年预算")  # NOTE: 重庆水利局 (10) '当年预算 | 12,700.00'
    fiscal_t, _ = _label_value(info_rows, "财政资金")
    if fiscal_t is None:
        fiscal_t, _ = _label_value(info_rows, "财政拨款")
    other_t, _ = _label_value(info_rows, "其他资金")
    if budget_t is not None and try_amount(budget_t) is None and "预算数" in budget_t:
        # NOTE: 决算 自评表 (corpus 42): '年初预算数 | 全年预算数 | 全年执行数' head the columns of the
        # '年度资金总额 / 其中：财政拨款 / 其他资金' rows: the budget is the 全年预算数 column.
        col = _column_of(info_rows, "全年预算数")
        if col is not None:
            budget_t, budget_w = _at(info_rows, "资金总额", col)
            fiscal_t = _at(info_rows, "财政拨款", col)[0]
            other_t = _at(info_rows, "其他资金", col)[0]
    unit = next((u for r in info_rows[:4] for c in r.cells if (u := stated_unit(c.text))), None)
    if unit is None:
        # NOTE: 西安 (corpus 31) prints its report tables in 元 but labels the project money '资金金额（万元）'
        unit = next((u for r in info_rows[:6] for c in r.cells[:1]
                     if (u := _label_unit(c.text))), ctx.unit)
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
    if not ind_grids and not flat_rows and (named := named_indicator_rows(ctx, info_rows, seq)):
        indicators, info_rows = named
    else:
        indicators = indicator_rows(ctx, ind_grids, seq, flat_rows)
    years = Counter(int(y) for r in indicators for y in BASIS_YEAR.findall(r.get("basis") or ""))
    basis_year = years.most_common(1)[0][0] if years else None
    project = {
        "doc_id": ctx.doc.doc_id, "project_seq": seq,
        "project_code": re.sub(r"^\[|\]$", "", code).strip() if code else None,
        "project_name": name or title_name or None,
        "budget_wan": budget, "fiscal_wan": ctx.wan(try_amount(fiscal_t), unit),
        "other_wan": ctx.wan(try_amount(other_t), unit),
        "purpose": purpose, "goal": _goal(info_rows, paras if (code is None and name is None) or flat_rows else _before_last_table(sec),
                      labelled=code is not None or name is not None),
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
    listed = project_lists(ctx, secs)
    # NOTE: a list under a 绩效目标表 heading (广州 15 '…绩效目标表（…）') is read as a list, not as one project
    long_rows = [p for p in listed if p["long"] or secs[p["section"]].kind == "project_table"]
    long_secs = {p["section"] for p in long_rows}
    order = 0
    for i, sec in enumerate(secs):
        if sec.kind == "performance" and WHOLE_DEPARTMENT.search(compact(sec.title)) and compact(sec.title).endswith("表"):
            # NOTE: 重庆水利局 (corpus 10) 表十 '2026 年部门整体绩效目标表': '指标名称 | 指标性质 | 指标值 | 计量单位'
            rows = [r for b in sec.blocks if isinstance(b, Table) for r in b.rows]
            if (named := named_indicator_rows(ctx, rows, None)) is not None:
                indicators.extend(named[0])
            continue
        if sec.kind != "project_table" or i in long_secs:
            continue
        if WHOLE_DEPARTMENT.search(compact(sec.title)):
            # NOTE: 北京 附件2 (04) 预算13表 and 西安 (31) 表15 部门整体支出绩效目标表: the department's targets, no project
            indicators.extend(indicator_rows(ctx, [g for g in by_section.get(i, []) if is_indicator_grid(g)], None))
            continue
        parts = split_at_names(sec)
        for part in parts:
            part_grids = by_section.get(i, []) if len(parts) == 1 else section_to_grids(i, part, ctx.doc.source_format)
            try:
                got = project_from_section(ctx, part, part_grids, order + 1)
            except Exception as e:  # noqa: BLE001 - one bad project never drops its document
                ctx.warn("record-crash", part.where, f"project table {part.title[:40]!r}: {type(e).__name__}: {e}"[:300])
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
    strip_unit_code(projects)
    if not long_rows and not projects:
        long_rows = [p for p in listed if p["has_goal"]] or listed
    if long_rows:
        more, more_inds = listed_projects(ctx, long_rows, max((q["project_seq"] for q in projects), default=0) + 1)
        projects.extend(more)
        indicators.extend(more_inds)
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
# NOTE: 北京 附件2 (04) '项目总额'; 重庆水利局 (10) '当年财政拨款预算金额'
LIST_AMOUNT = re.compile(r"^(?:总计|合计|金额|预算数|年度预算|当年预算|项目总额)|预算金额")
LIST_UNIT = re.compile(r"单位名称$|^资金使用单位$")
TOTAL_ROW = re.compile(r"^(?:合计|总计|小计|[\d*#]+)$")
# Indicator columns of a long table (one row per indicator, the project's cells on its first row).
# NOTE: 北京 附件2 (04): 一级/二级/三级指标, 绩效指标性质 (≤ ＝ ≥ 定性), 本年绩效指标值, 绩效度量单位;
# 重庆水利局 (10) 表十二: 指标名称, 指标性质, 指标值, 计量单位.
LONG_COLUMNS = (
    ("l1", re.compile(r"^一级指标$")), ("l2", re.compile(r"^二级指标$")),
    ("l3", re.compile(r"^三级指标$|^指标名称$")), ("sign", re.compile(r"指标性质$")),
    ("value", re.compile(r"指标值$")), ("vunit", re.compile(r"(?:度量|计量)单位$")),
)
# NOTE: 北京 附件2 (04) prints '11000022T000000438666-《北京市人民政府公报》制作发行服务': code, dash, name.
CODE_NAME = re.compile(r"^([0-9]{6,}[A-Z][0-9]{6,})\s*[-－—]\s*(\S.*)$")


def _list_header(texts: list[str]) -> dict[str, int] | None:
    """Column roles of a project-list header row, or None when the row is not one."""
    cols: dict[str, int] = {}
    for i, t in enumerate(texts):
        if not t:
            continue
        if "name" not in cols and LIST_NAME.search(t) and "科目" not in t:
            cols["name"] = i
            continue
        if "name" not in cols:
            if "unit" not in cols and LIST_UNIT.search(t):
                cols["unit"] = i
            continue
        if "amount" not in cols and LIST_AMOUNT.search(t):
            cols["amount"] = i
            if t.startswith("财政拨款") or "财政拨款" in t:
                cols["fiscal"] = i
        elif "fiscal" not in cols and (t.startswith("财政拨款") or t == "财政资金"):
            cols["fiscal"] = i
        elif "other" not in cols and t == "其他资金":
            cols["other"] = i
        elif "goal" not in cols and t.endswith("绩效目标"):
            cols["goal"] = i
        elif "indicators" not in cols and t == "绩效指标":
            cols["indicators"] = i
        else:
            for role, rx in LONG_COLUMNS:
                if role not in cols and rx.search(t) and "依据" not in t:
                    cols[role] = i
                    break
    if "name" not in cols or "amount" not in cols or any("科目" in t for t in texts):
        return None
    if not ({"goal", "indicators", "value", "unit"} & set(cols)):
        # NOTE: 江苏 表格册 (corpus 52) heads its 收支总表 '项目名称 | 金额': row labels, not projects. A project
        # list says whose project (单位名称) or what it is for (绩效目标, 指标).
        return None
    return cols


def _may_name_projects(r: Row) -> bool:
    """False when no cell of the row can be a list's name column (LIST_NAME): a quick test of the
    whole row before its cells are read one by one."""
    joined = "".join(map(_TEXT, r.cells))
    if "称" not in joined and "类" not in joined:  # (one character each, whitespace cannot split it)
        return False
    joined = compact(joined)
    return "项目名称" in joined or "支出项目类别" in joined


def _cell(r: Row, i: int | None) -> str:
    return r.cells[i].text.strip() if i is not None and i < len(r.cells) else ""


def _long_indicator(ctx: Context, r: Row, cols: dict[str, int], seq: int, n: int) -> dict[str, Any] | None:
    l3 = join_cjk_wrap(_cell(r, cols.get("l3")))
    value = compact(_cell(r, cols.get("value")))
    if not l3 and not value:
        return None
    sign = compact(_cell(r, cols.get("sign")))
    vunit = compact(_cell(r, cols.get("vunit")))
    exact = sign if sign and len(sign) <= 2 and not re.search(r"[\u4e00-\u9fff]", sign) else ""
    raw = f"{exact}{value}{vunit}" if value else None
    t = parse_target(raw)
    return {
        "doc_id": ctx.doc.doc_id, "project_seq": seq, "level1": compact(_cell(r, cols.get("l1"))) or None,
        "level2": compact(_cell(r, cols.get("l2"))) or None, "level3": l3 or None, "description": None,
        "value_raw": raw, "comparator": t.comparator if raw else None, "value_num": t.num, "value_unit": t.unit,
        "basis": None, "source_line": r.cells[cols["value"]].where if "value" in cols and cols["value"] < len(r.cells)
        else r.where, "indicator_seq": n,
    }


def project_lists(ctx: Context, secs: list[Section]) -> list[dict[str, Any]]:
    """Projects listed one per row in a table, each with its index of section and list header.
    NOTE: 广州 (corpus 15, 12), 深圳 (07) and 杭州 (21) print no per-project 绩效目标表 but a list. Where the
    list has a 绩效目标 column, a row without a goal (and without indicators) is a group row (the
    资金使用单位 subtotal, corpus 15 p1 '广州市政务服务和数据管理局 16,926.32'): it names the unit of
    the projects under it and is not a project. A row with no name continues the previous row: its
    text across a page break, or (a long table: 北京 04, 重庆 10) one more indicator of that project."""
    out: list[dict[str, Any]] = []
    for si, sec in enumerate(secs):
        cols: dict[str, int] | None = None
        key: tuple[str, ...] = ()
        group: str | None = None
        last: dict[str, Any] | None = None
        sub_header = False
        for b in sec.blocks:
            if not isinstance(b, Table):
                continue
            for r in b.rows:
                if cols is None and not _may_name_projects(r):
                    continue  # no list yet, and this row cannot head one
                texts = [compact(c.text) for c in r.cells]
                head = _list_header(texts)
                if head is not None:
                    same = tuple(t for t in texts if t) == key
                    # the header repeated on the next page keeps what its second line said the first time
                    cols, key, sub_header = (cols if same and cols else head), tuple(t for t in texts if t), True
                    continue
                if cols is None:
                    continue
                name = join_cjk_wrap(_cell(r, cols["name"]))
                amount_t = _cell(r, cols["amount"])
                if sub_header and not name and not amount_t and not any(try_amount(t) for t in texts if t):
                    # a second header line: '财政资金 其他资金' under '其中：', or a fiscal column split by fund
                    for i, t in enumerate(texts):
                        if t in ("财政资金", "财政拨款") or (t.startswith("财政拨款") and "fiscal" not in cols):
                            cols = {**cols, "fiscal": i}
                        elif t == "其他资金":
                            cols = {**cols, "other": i}
                    f = cols.get("fiscal")
                    if f is not None and texts[f:f + 1] and texts[f] and (
                            texts[f] not in ("合计", "小计", "财政资金", "财政拨款")) and not texts[f].startswith("财政拨款"):
                        cols = {k: v for k, v in cols.items() if k != "fiscal"}
                    sub_header = False
                    continue
                sub_header = False
                long = "value" in cols
                if not name or (long and last is not None and name == last["name"]
                                and try_amount(amount_t) in (None, last["amount"])):
                    if last is None:
                        continue
                    if long and (ind := _long_indicator(ctx, r, cols, 0, 0)) is not None:
                        last["rows"].append(ind)
                        continue
                    for k in ("goal", "indicators"):  # the rest of the previous row, printed on the next page
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
                if "goal" in cols and not goal and not inds and not (long and _cell(r, cols.get("value"))):
                    group, last = name, None
                    continue
                last = {"name": name, "amount": amount, "fiscal": try_amount(_cell(r, cols.get("fiscal"))),
                        "other": try_amount(_cell(r, cols.get("other"))),
                        "goal": goal, "indicators": inds, "where": r.cells[cols["name"]].where,
                        "unit": _cell(r, cols.get("unit")) or group, "has_goal": "goal" in cols, "long": long,
                        "section": si, "key": key, "rows": [], "money_unit": _list_unit(ctx, sec, key)}
                if long and (ind := _long_indicator(ctx, r, cols, 0, 0)) is not None:
                    last["rows"].append(ind)
                out.append(last)
    return out


def _list_unit(ctx: Context, sec: Section, header: tuple[str, ...]) -> str:
    for b in sec.blocks:
        if isinstance(b, Para) and (u := stated_unit(b.text)):
            return u
    for t in header:
        if "万元" in t:
            return "万元"
    return ctx.unit


def listed_projects(ctx: Context, rows: list[dict[str, Any]], first_seq: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    projects: list[dict[str, Any]] = []
    indicators: list[dict[str, Any]] = []
    for seq, p in enumerate(rows, first_seq):
        code, name = None, p["name"]
        if m := CODE_NAME.match(name):
            code, name = m.group(1), m.group(2).strip()
        projects.append({
            "doc_id": ctx.doc.doc_id, "project_seq": seq, "project_code": code, "project_name": name,
            "budget_wan": ctx.wan(p["amount"], p["money_unit"]), "fiscal_wan": ctx.wan(p["fiscal"], p["money_unit"]),
            "other_wan": ctx.wan(p["other"], p["money_unit"]),
            "purpose": None, "goal": join_cjk_wrap(p["goal"]) if p["goal"] else None,
            "plan_q1_pct": None, "plan_q2_pct": None, "plan_q3_pct": None, "plan_q4_pct": None,
            "basis_year": None, "source_line": p["where"], "unit_code": None,
            "unit_name": join_cjk_wrap(p["unit"]) if p["unit"] else None,
            "budget_source": "table", "plan_unit": None,
        })
        if p["indicators"]:
            indicators.extend(packed_indicators(ctx, p["indicators"], seq, p["where"]))
        for n, ind in enumerate(p["rows"], 1):
            indicators.append({**ind, "project_seq": seq, "indicator_seq": n})
    return projects, indicators


def _is_name_row(r: Row) -> bool:
    for c in r.cells:
        if c.text.strip():  # the first filled cell
            first = compact(c.text)
            return first.startswith("项目名称") and try_amount(first) is None
    return False


def split_at_names(sec: Section) -> list[Section]:
    """One section per 项目名称 row: a project table whose title line is not a heading runs on in the
    section of the table before it.
    NOTE: 西南大学 (corpus 59) p20 '（五）236 中央高校建设世界一流大学（学科）和特色发展 / 引导专项' wraps, so
    its table joins the one on p19. Paragraphs between two tables (the next table's title) go with the next."""
    parts: list[list[Any]] = [[]]
    seen_name = False
    pending: list[Any] = []
    for b in sec.blocks:
        if not isinstance(b, Table):
            pending.append(b)
            continue
        rows: list[Row] = []
        for r in b.rows:
            if _is_name_row(r):
                if seen_name:
                    if rows:
                        parts[-1].append(Table(tuple(rows), rows[0].where))
                        rows = []
                    parts.append([])
                seen_name = True
            if pending:
                parts[-1].extend(pending)
                pending = []
            rows.append(r)
        if rows:
            parts[-1].append(Table(tuple(rows), rows[0].where))
    parts[-1].extend(pending)
    if len(parts) == 1:
        return [sec]
    out = [Section(sec.kind, sec.title, sec.where, tuple(parts[0]))]
    for blocks in parts[1:]:
        out.append(Section(sec.kind, "", blocks[0].where if blocks else sec.where, tuple(blocks)))
    return out


# NOTE: 西南大学 (corpus 59) prints every 项目名称 after its unit code: '236中央高校教育教学改革专项'.
UNIT_CODE_PREFIX = re.compile(r"^(\d{3,9})\s*[-－]?\s*(?=[\u4e00-\u9fff（(《“])")


def strip_unit_code(projects: list[dict[str, Any]]) -> None:
    """A number in front of every project name of a document (two or more) is the unit's code, not
    part of the names; a year ('2026年…') is never one."""
    named = [p for p in projects if p["project_name"]]
    if len(named) < 2:
        return
    codes = {m.group(1) if (m := UNIT_CODE_PREFIX.match(p["project_name"])) and not
             p["project_name"][m.end():].startswith("年") else None for p in named}
    if len(codes) != 1 or None in codes:
        return
    code = codes.pop()
    for p in named:
        p["project_name"] = UNIT_CODE_PREFIX.sub("", p["project_name"], count=1).strip()
        p["unit_code"] = p["unit_code"] or code


def named_indicator_rows(ctx: Context, rows: list[Row], seq: int | None) -> tuple[list[dict[str, Any]], list[Row]] | None:
    """(indicators, the rows above them) of a table whose indicators are headed '指标名称 | 指标性质 | 指标值 |
    计量单位' (no 一级/二级指标), or None when the rows hold no such header.
    NOTE: 重庆水利局 (corpus 10) 表十 / 表十一: '绩效指标 | 指标名称 | 指标性质 | 指标值 | 计量单位 | 指标权重(%) | 是否核心'."""
    for k, r in enumerate(rows):
        texts = [compact(c.text) for c in r.cells]
        if "指标名称" not in texts or not any(t.endswith("指标值") for t in texts):
            continue
        cols: dict[str, int] = {}
        for i, t in enumerate(texts):
            for role, rx in LONG_COLUMNS:
                if role not in cols and t and rx.search(t) and "依据" not in t:
                    cols[role] = i
                    break
        if "l3" not in cols or "value" not in cols:
            return None
        out: list[dict[str, Any]] = []
        for row in rows[k + 1:]:
            if (ind := _long_indicator(ctx, row, cols, 0, 0)) is not None and ind["value_raw"]:
                out.append({**ind, "project_seq": seq, "indicator_seq": len(out) + 1})
        return out, rows[:k]
    return None
