"""Projects (项目绩效目标表) and their performance indicators."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from typing import Any

from .model import Para, Row
from .prose import AMT, WAN, Text, to_decimal
from .records_finance import Context, paras_of
from .sections import Section, compact
from .tables import INDICATOR_HEADER, Grid, join_cjk_wrap
from .values import parse_percent, parse_target, stated_unit, try_amount

SEQ = re.compile(r"^\s*(\d{1,3})\s*[、.．]\s*")
TITLE_SUFFIX = re.compile(r"(项目)?绩效目标表?$")
UNIT_HEADER = re.compile(r"^(\d{3,9})\s*([\u4e00-\u9fff].*)$")
LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标")
# Which 一级指标 a 二级指标 belongs to in the national template (财预〔2020〕10号 and later).
LEVEL2_PARENT = {
    "数量指标": "产出指标", "质量指标": "产出指标", "时效指标": "产出指标", "成本指标": "产出指标",
    "经济效益指标": "效益指标", "社会效益指标": "效益指标", "生态效益指标": "效益指标",
    "可持续影响指标": "效益指标", "服务对象满意度指标": "满意度指标", "满意度指标": "满意度指标",
    "经济成本指标": "成本指标", "社会成本指标": "成本指标", "生态环境成本指标": "成本指标",
}
BASIS_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
PDF_FORMATS = ("pdf_text", "pdf")  # PDF: merged labels are printed mid-block, words wrap with spaces
PLAN_LABELS = ("3月", "6月", "9月", "10月", "12月")


def is_indicator_grid(g: Grid) -> bool:
    joined = "".join(g.header)
    return all(w in joined for w in INDICATOR_HEADER)


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
        t = re.sub(r"(^\s*绩效目标\s*[:：]?|\s*绩效目标\s*$)", "", p.text).strip()
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


VALUE_TOKEN = re.compile(r"^[≥≤<>=≪≫＞＜]?\s*\d+(?:\.\d+)?\s*\S{0,4}$|^(?:19|20)\d{2}\s*年\S{0,2}[前底]$")


def _tokens(text: str) -> list[str]:
    """Whitespace tokens of a flattened table, with '≥67' '次' and '2023' '年…' re-joined."""
    raw = text.split()
    out: list[str] = []
    for t in raw:
        if out and re.fullmatch(r"[≥≤<>=≪≫＞＜]?\d+(?:\.\d+)?", out[-1]) and (
            t.startswith("年") or (len(t) <= 3 and not re.search(r"\d|指标", t))
        ):
            out[-1] = f"{out[-1]} {t}"
        else:
            out.append(t)
    return out


def _kind(tok: str) -> str:
    c = compact(tok)
    if c in LEVEL1 and c != "成本指标":  # 成本指标 is a 二级指标 in the older template
        return "L1"
    if c in LEVEL2_PARENT or (c.endswith("指标") and len(c) <= 10):
        return "L2"
    if VALUE_TOKEN.match(tok) and not re.search(r"年(工作|预算|计划)", tok):
        return "V"
    return "T"


def assemble_rows(tokens: list[str]) -> list[list[str]]:
    """NOTE: seed 002 line 587 prints a whole indicator table as one line, and its
    satisfaction row as seven lone lines. Rows are rebuilt around their anchors: each row
    has one 二级指标 and one 指标值, followed by its 确定依据; PDF line wraps leave the
    start of long cells before the anchor and short tails after the 确定依据."""
    rows: list[list[str]] = []
    pre: list[str] = []
    cur: dict[str, Any] | None = None
    l1 = ""
    for tok in tokens:
        k = _kind(tok)
        if cur is not None and cur.get("basis") is None and cur.get("value") is not None:
            cur["basis"] = tok
            continue
        if cur is not None and cur.get("basis") is not None and k == "T" and len(compact(tok)) <= 6 and not pre:
            cur["post"].append(tok)  # the wrapped tail of this row's cells
            continue
        if k == "L1":
            l1 = tok
            if cur is not None and cur.get("basis") is None:
                cur["l1"] = tok
            continue
        if k == "L2":
            if cur is not None and cur.get("value") is not None:
                rows.append(_finish(cur))
            cur = {"l1": l1, "l2": tok, "pre": pre, "between": [], "value": None, "basis": None, "post": []}
            pre, l1 = [], ""
            continue
        if cur is None:
            pre.append(tok)
            continue
        if k == "V" and cur["value"] is None:
            cur["value"] = tok
        elif cur["value"] is None:
            cur["between"].append(tok)
        else:
            pre.append(tok)
    if cur is not None and cur.get("value") is not None:
        if l1 and not cur["l1"]:
            cur["l1"] = l1
        rows.append(_finish(cur))
    return rows


def _finish(cur: dict[str, Any]) -> list[str]:
    pre, between = cur["pre"], cur["between"]
    if between:
        level3, desc = between[0], pre + between[1:] + cur["post"]
    else:
        level3, desc = (pre[0] if pre else ""), pre[1:] + cur["post"]
    return [cur["l1"], cur["l2"], level3, "".join(desc), cur["value"], cur["basis"] or ""]


def flat_table(paras: list[Para]) -> tuple[list[tuple[list[str], str]], list[Para]]:
    """(rows with their line, paragraphs left for the goal) from a flattened indicator table."""
    header = r"一级指标\s*二级指标\s*三级指标\s*绩效指标描述\s*指标值\s*指标值确定依据"
    flat = next((p for p in paras if re.search(header, p.text)), None)
    if flat is None:
        return [], paras
    head, body = re.split(header, flat.text, maxsplit=1)
    rows = [(r, flat.where) for r in assemble_rows(_tokens(body))]
    others = [p for p in paras if p is not flat and len(compact(p.text)) <= 30]
    extra = assemble_rows([p.text for p in others])
    if extra:
        rows += [(r, others[0].where) for r in extra]
    goal = [Para(head, flat.where)] + [p for p in paras if p is not flat and p not in others]
    return rows, goal


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
            if um and not re.search(r"\d{6,}[A-Z]", c.text):
                unit_code, unit_name = um.group(1), um.group(2)
                break
        if unit_code:
            break
    vals, wheres, pct = _plan(info_rows)
    plan: list[Decimal | None] = []
    for v in vals:
        p = parse_percent(v) if v else None
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


def _norm6(cells: list[str]) -> list[str]:
    """An indicator row as [level1, level2, level3, description, value, basis]."""
    cells = list(cells)
    while len(cells) > 6 and not cells[-1].strip():
        cells.pop()
    if len(cells) < 6:
        cells += [""] * (6 - len(cells))
    return cells[:6]


def indicator_rows(ctx: Context, grids: list[Grid], seq: int | None,
                   flat: list[tuple[list[str], str]] | None = None) -> list[dict[str, Any]]:
    rows: list[list[str]] = [r for r, _ in flat or []]
    wheres: list[str] = [w for _, w in flat or []]
    value_wheres: list[str] = list(wheres)
    for g in grids:
        for r in g.rows:
            texts = _norm6([c.text.strip() for c in r.cells])
            if not any(texts):
                continue
            if not texts[1] and not texts[2] and not texts[4] and rows:
                # NOTE: seed 002 line 479: a cell's last words continued on the next page
                rows[-1] = [a + b if b else a for a, b in zip(rows[-1], texts, strict=True)]
                continue
            if not texts[1] and not texts[2] and not texts[4]:
                continue
            if not compact(texts[1]).endswith("指标") and not (texts[2] and texts[4]):
                continue  # NOTE: seed 002 line 683: goal text caught between two header rows
            rows.append(texts)
            wheres.append(r.where)
            vi = 4 if len(r.cells) > 4 else len(r.cells) - 1
            value_wheres.append(r.cells[vi].where)
    out: list[dict[str, Any]] = []
    current_l1: str | None = None
    current_l2: str | None = None
    for n, (texts, where) in enumerate(zip(rows, wheres, strict=True), 1):
        l1, l2, l3, desc, value, basis = (join_cjk_wrap(t) if ctx.doc.source_format in PDF_FORMATS else t for t in texts)
        l1c = compact(l1)
        if not l1c.endswith("指标"):
            l1 = ""  # NOTE: seed 002 lines 542/610/656: OCR garbage (', 143473') in the merged 一级指标 cell
        l2 = l2 or (current_l2 or "")
        if l1:
            current_l1 = l1
        else:
            parent = LEVEL2_PARENT.get(compact(l2))
            if ctx.doc.source_format not in PDF_FORMATS and current_l1:
                l1 = current_l1  # Word: the merged cell's label is printed on its first row
            else:
                l1 = parent or current_l1 or ""
        current_l2 = l2 or current_l2
        t = parse_target(value)
        out.append({
            "doc_id": ctx.doc.doc_id, "project_seq": seq, "level1": l1 or None, "level2": l2 or None,
            "level3": l3 or None, "description": desc or None, "value_raw": value or None,
            "comparator": t.comparator, "value_num": t.num, "value_unit": t.unit, "basis": basis or None,
            "source_line": value_wheres[n - 1] if value else where, "indicator_seq": n,
        })
    _fill_up_level1(out)
    return out


def _fill_up_level1(rows: list[dict[str, Any]]) -> None:
    """PDF: a merged 一级指标 label is printed mid-block; rows above it take it too."""
    for i in range(len(rows) - 1, -1, -1):
        if rows[i]["level1"] is None and i + 1 < len(rows):
            rows[i]["level1"] = rows[i + 1]["level1"]


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
        got = project_from_section(ctx, sec, by_section.get(i, []), order + 1)
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
    for sec in secs:
        if sec.kind == "project_notes" and (note := project_from_notes(ctx, sec, len(projects) + 1)) is not None:
            projects.append(note)
    indicators.extend(department_indicators(ctx, secs))
    prose_budgets(ctx, secs, projects)
    return {"projects": projects, "indicators": indicators}


PROSE_TARGET = re.compile(
    r"(?P<value>(?:至少达到|不低于|不少于|不超过|不高于|达到)?\s*[≥≤><=≪＞＜]?\s*\d+(?:\.\d+)?\s*"
    r"(?:%|‰|个|项|次|家|人|件|条|户|万元|元|天|日|小时|年)?)\s*[。.]?$"
)


def department_indicators(ctx: Context, secs: list[Section]) -> list[dict[str, Any]]:
    """NOTE: seed 002 states its department-wide targets as prose lists ('绩效指标:"放管服"改革工作
    完成率≥90%;群众满意度≥95%;…'). Each item with a measurable target becomes an indicator row with
    no project; items without a number (seeds 000, 003: '绩效指标：按照规定要求，进驻事项到位') are
    descriptions, not targets, and are left out."""
    out: list[dict[str, Any]] = []
    for p in paras_of(secs, {"performance"}):
        m = re.search(r"绩效指标\s*[:：]\s*(.+)$", p.text)
        if not m:
            continue
        for item in re.split(r"[；;]", m.group(1)):
            item = item.strip().rstrip("。")
            t = PROSE_TARGET.search(item)
            if not t or not item[: t.start()].strip():
                continue
            value = t.group("value").strip()
            target = parse_target(value)
            out.append({
                "doc_id": ctx.doc.doc_id, "project_seq": None, "level1": None, "level2": None, "level3": None,
                "description": item[: t.start()].strip(" :：，,"), "value_raw": value,
                "comparator": target.comparator, "value_num": target.num, "value_unit": target.unit,
                "basis": None, "source_line": p.where, "indicator_seq": len(out) + 1,
            })
    return out


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
