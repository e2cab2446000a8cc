"""Performance indicators (绩效指标) of project tables, flattened tables and prose lists -> indicators rows."""

from __future__ import annotations

import re
from typing import Any

from ...model import Para
from ...values import (
    parse_target,
)
from ..sections import Section, compact
from ..tables import INDICATOR_HEADER, Grid, join_cjk_wrap
from .context import PDF_FORMATS, Context, paras_of

LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标")
# Which 一级指标 a 二级指标 belongs to in the national template (财预〔2020〕10号 and later).
LEVEL2_PARENT = {
    "数量指标": "产出指标", "质量指标": "产出指标", "时效指标": "产出指标", "成本指标": "产出指标",
    "经济效益指标": "效益指标", "社会效益指标": "效益指标", "生态效益指标": "效益指标",
    "可持续影响指标": "效益指标", "服务对象满意度指标": "满意度指标", "满意度指标": "满意度指标",
    "经济成本指标": "成本指标", "社会成本指标": "成本指标", "生态环境成本指标": "成本指标",
}


def is_indicator_grid(g: Grid) -> bool:
    joined = "".join(g.header)
    return all(w in joined for w in INDICATOR_HEADER)


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


ROLE_OF = (("一级指标", 0), ("二级指标", 1), ("三级指标", 2), ("指标描述", 3), ("确定依据", 5), ("指标值", 4))


def _header_roles(header: tuple[str, ...]) -> list[int | None] | None:
    """Which of [level1, level2, level3, description, value, basis] each header column holds, when the
    table does not start with 一级指标 (else None: the columns are read in that standard order).
    NOTE: the national template (corpus 41 国家信访局, 59 西南大学, 31 西安, 26 福州) prints a first column
    with the vertical label '绩效指标', a blank column after 三级指标 and a 分值 (weight) column."""
    h = [compact(x) for x in header]
    if "一级指标" not in h or h.index("一级指标") == 0:
        return None
    roles: list[int | None] = []
    for x in h:
        role = next((r for word, r in ROLE_OF if word in x), None)
        roles.append(role if x else -1)  # -1: a blank column (a merged cell's tail)
    return roles


def _by_roles(cells: list[str], roles: list[int | None]) -> list[str]:
    """A row's cells laid out as [level1, level2, level3, description, value, basis].
    NOTE: 西南大学 (corpus 59) p17: a page that continues a table drops the label column and the blank
    column ('质量指标 | 学生参加竞赛获奖数量 | 20人次 | 5'): a short row is matched to the header
    without its blank columns, then without its leading columns before 一级指标."""
    cols = list(roles)
    if len(cells) < len(cols):
        cols = [r for r in cols if r != -1]
    while len(cells) < len(cols) and cols and cols[0] != 0:
        cols.pop(0)
    out = [""] * 6
    for c, r in zip(cells, cols, strict=False):
        if r is not None and r >= 0 and c.strip():
            out[r] = (out[r] + c) if out[r] else c
    return out


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
        roles = _header_roles(g.header)
        for r in g.rows:
            texts = _norm6(_by_roles([c.text.strip() for c in r.cells], roles) if roles else [c.text.strip() for c in r.cells])
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
    pdf = ctx.doc.source_format in PDF_FORMATS
    for n, (texts, where) in enumerate(zip(rows, wheres, strict=True), 1):
        l1, l2, l3, desc, value, basis = [join_cjk_wrap(t) for t in texts] if pdf else texts
        l1c = compact(l1)
        if not l1c.endswith("指标"):
            l1 = ""  # NOTE: seed 002 lines 542/610/656: OCR garbage (', 143473') in the merged 一级指标 cell
        l2 = l2 or (current_l2 or "")
        if l1:
            current_l1 = l1
        else:
            parent = LEVEL2_PARENT.get(compact(l2))
            if not pdf and current_l1:
                l1 = current_l1  # Word: the merged cell's label is printed on its first row
            else:
                l1 = parent or current_l1 or ""
        current_l2 = l2 or current_l2
        t = ctx.target(value)
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


# No two whitespace runs may meet (each optional part owns the space after it): adjacent `\s*`
# make the search cubic on a run of spaces (issue 10).
PROSE_TARGET = re.compile(
    r"(?P<value>(?:(?:至少达到|不低于|不少于|不超过|不高于|达到)\s*)?(?:[≥≤><=≪＞＜]\s*)?\d+(?:\.\d+)?"
    r"(?:\s*(?:%|‰|个|项|次|家|人|件|条|户|万元|元|天|日|小时|年))?)\s*[。.]?$"
)


def department_indicators(ctx: Context, secs: list[Section]) -> list[dict[str, Any]]:
    """NOTE: seed 002 states its department-wide targets as prose lists ('绩效指标:"放管服"改革工作
    完成率≥90%;群众满意度≥95%;…'). Each item with a measurable target becomes an indicator row with
    no project; items without a number (seeds 000, 003: '绩效指标：按照规定要求，进驻事项到位') are
    descriptions, not targets, and are left out."""
    out: list[dict[str, Any]] = []
    for p in paras_of(secs, {"performance"}):
        if "绩效指标" not in p.text:
            continue  # (the label, before the search for it)
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


# NOTE: 广州 绩效目标 book (corpus 15) packs all indicators of a project into one cell as a numbered run:
# '1、1-产出指标；11-数量指标；会议活动保障次数；实施周期指标值:每年≥20场；年度指标值:每年≥20场。2、…'.
PACKED_ITEM = re.compile(r"(?:^|(?<=[。.]))\s*(\d{1,2})\s*、")
PACKED_VALUE = re.compile(r"^(实施周期|年度)指标值\s*[:：]\s*")
LEVEL_PREFIX = re.compile(r"^\d{1,3}\s*-\s*")
# '每年≥20场', '全年≥50个': a period word in front of the comparator
PERIOD_PREFIX = re.compile(r"^(?:每|全)[年月日季周]度?(?=[≥≤<>=≧≦＞＜\d])")


def packed_indicators(ctx: Context, text: str, seq: int | None, where: str) -> list[dict[str, Any]]:
    flat = re.sub(r"\s+", " ", text).strip()
    starts = [m for m in PACKED_ITEM.finditer(flat)]
    out: list[dict[str, Any]] = []
    for k, m in enumerate(starts):
        item = flat[m.end(): starts[k + 1].start() if k + 1 < len(starts) else len(flat)].strip().rstrip("。.").strip()
        parts = [x.strip() for x in re.split(r"[；;]", item)]
        values = {}
        names: list[str] = []
        for x in parts:
            vm = PACKED_VALUE.match(compact(x))
            if vm:
                values[vm.group(1)] = compact(x)[vm.end():]
            else:
                names.append(x)
        if len(names) < 2 or not values:
            continue
        l1 = LEVEL_PREFIX.sub("", compact(names[0]))
        l2 = LEVEL_PREFIX.sub("", compact(names[1]))
        l3 = join_cjk_wrap("；".join(names[2:])).strip(" .") or None
        raw = values.get("年度", values.get("实施周期"))
        t = parse_target(PERIOD_PREFIX.sub("", raw) if raw else raw)
        out.append({
            "doc_id": ctx.doc.doc_id, "project_seq": seq, "level1": l1 or None, "level2": l2 or None,
            "level3": l3, "description": (f"实施周期指标值:{values['实施周期']}" if "实施周期" in values else None),
            "value_raw": raw or None, "comparator": t.comparator, "value_num": t.num, "value_unit": t.unit,
            "basis": None,
            "source_line": where, "indicator_seq": len(out) + 1,
        })
    return out
