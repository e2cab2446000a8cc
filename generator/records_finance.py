"""Budget figures: headline totals, 功能/经济分类 tables, 三公, 机关运行经费, 政府采购, 国有资产."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .model import Document, Issue, Row, block_texts
from .prose import AMT, WAN, Text, first_amount, to_decimal
from .sections import Section, compact
from .tables import Grid, section_paras
from .values import economic_level, function_level, parse_code, parse_date, stated_unit, try_amount, yuan_to_wan


@dataclass
class Context:
    doc: Document
    year: int | None
    unit: str  # 万元 | 元
    unit_name: str | None = None
    issues: list[Issue] = field(default_factory=list)

    def wan(self, value: Decimal | None, unit: str | None = None) -> Decimal | None:
        return yuan_to_wan(value) if (unit or self.unit) == "元" else value

    def warn(self, code: str, where: str, message: str) -> None:
        self.issues.append(Issue(code, self.doc.doc_id, f"{self.doc.source_file}:{where}", message))


def cell_amount(ctx: Context, row: Row, i: int | None, unit: str | None = None) -> Decimal | None:
    if i is None or i >= len(row.cells):
        return None
    text = row.cells[i].text
    v = try_amount(text)
    if v is None and text.strip() and not re.fullmatch(r"[-—/_\s]*", text):
        ctx.warn("amount-unparseable", row.where, f"cannot read amount {text!r}")
    return ctx.wan(v, unit)


def grid_unit(ctx: Context, secs: list[Section], g: Grid) -> str:
    """The unit a table states in its caption ('编制部门：… 单位：元') or header, else the document's.
    NOTE: the Shanghai PDFs print money tables in 元 but the 三公 table in 万元."""
    texts = [p.text for p in section_paras(secs[g.section])] + list(g.header)
    for t in texts:
        if u := stated_unit(t):
            return u
    for t in g.header:
        if "万元" in t:
            return "万元"
        if re.search(r"[（(]元[）)]", t):
            return "元"
    return ctx.unit


def paras_of(secs: list[Section], kinds: set[str]) -> list:
    return [p for s in secs if s.kind in kinds for p in section_paras(s)]


# ---- headline totals ---------------------------------------------------------------

PROSE_TOTALS: dict[str, list[str]] = {
    "income_total": [rf"(?:预算|年初|年度|部门|单位|年)[^0-9，。；,;]{{0,6}}?收入(?:预算)?(?:总额|总计|合计)?(?:为|是|共计|共)?\s*{AMT}{WAN}",
                     rf"收入(?:总计|合计)\s*{AMT}{WAN}"],
    "fiscal_income": [rf"财政拨款收入(?:为)?\s*{AMT}{WAN}"],
    "general_budget_income": [rf"一般公共预算(?:拨款)?收入(?:为)?\s*{AMT}{WAN}"],
    "gov_fund_income": [rf"(?:政府性)?基金(?:预算)?(?:拨款)?收入(?:为)?\s*{AMT}{WAN}"],
    "other_income": [rf"其他(?:来源)?收入(?:为)?\s*{AMT}{WAN}"],
    "carryover_income": [rf"上年结转(?:结余)?(?:收入)?(?:为)?\s*{AMT}{WAN}"],
    "expenditure_total": [rf"(?:预算|年度|部门|单位|年)[^0-9，。；,;]{{0,6}}?(?<!基本)(?<!项目)(?<!本级)支出(?:安排)?(?:预算)?(?:总额|总计|合计)?(?:为|是|共计)?\s*{AMT}{WAN}"],
    "basic_expenditure": [rf"基本支出(?:预算)?(?:为)?\s*{AMT}{WAN}"],
    "personnel_expenditure": [rf"人员经费(?:预算)?(?:为)?\s*{AMT}{WAN}"],
    "public_expenditure": [rf"(?<!结转)(?:日常)?公用经费(?:预算)?(?:为)?\s*{AMT}{WAN}"],
    "project_expenditure": [rf"项目支出(?:预算)?(?:为)?\s*{AMT}{WAN}"],
}
INCOME_METRICS = {"income_total", "fiscal_income", "general_budget_income", "gov_fund_income", "other_income",
                  "carryover_income"}
CHANGE = re.compile(rf"(?:较|比|与)\s*(?:上年|上一年|(?:19|20)\d{{2}}\s*年)[^，。；,;]{{0,12}}?(增加|减少|增长|下降|持平)\s*{AMT}?{WAN}?")

# Labels of the 收支总表 (left: income, right: expenditure) -> metric
SUMMARY_LABELS = (
    ("income_total", r"^收入总计$|^收入合计$"),
    ("expenditure_total", r"^支出总计$|^支出合计$"),
    ("fiscal_income", r"^财政拨款(收入)?$"),
    ("general_budget_income", r"^一般公共预算(拨款|资金)?(收入)?$"),
    ("gov_fund_income", r"^政府性基金(预算)?(拨款|资金)?(收入)?$"),
    ("carryover_income", r"^上年结转(结余)?(收入)?$|^用事业基金弥补收支差额$"),
    ("other_income", r"^其他收入$"),
)
NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．])")


def table_totals(ctx: Context, secs: list[Section], grids: list[Grid]) -> dict[str, tuple[Decimal, str]]:
    found: dict[str, tuple[Decimal, str]] = {}

    def put(metric: str, v: Decimal | None, where: str) -> None:
        if v is not None and metric not in found:
            found[metric] = (v, where)

    for g in grids:
        unit = grid_unit(ctx, secs, g)
        if g.kind == "summary_table":
            for r in g.rows:
                for i, c in enumerate(r.cells[:-1]):
                    label = NUMBERING.sub("", compact(c.text))
                    for metric, rx in SUMMARY_LABELS:
                        if re.search(rx, label):
                            put(metric, cell_amount(ctx, r, i + 1, unit), r.where)
                            break
        total_row = next((r for r in g.rows if any(compact(c.text) in ("合计", "总计") for c in r.cells[:4])), None)
        if total_row is None:
            continue
        cols = header_index(g.header)
        if g.kind == "expenditure_table":
            put("basic_expenditure", cell_amount(ctx, total_row, cols.get("basic"), unit), total_row.where)
            put("project_expenditure", cell_amount(ctx, total_row, cols.get("project"), unit), total_row.where)
            put("expenditure_total", cell_amount(ctx, total_row, cols.get("total"), unit), total_row.where)
        elif g.kind == "income_table":
            put("fiscal_income", cell_amount(ctx, total_row, cols.get("fiscal"), unit), total_row.where)
            put("income_total", cell_amount(ctx, total_row, cols.get("total"), unit), total_row.where)
        elif g.kind == "gp_basic_table":
            put("personnel_expenditure", cell_amount(ctx, total_row, cols.get("personnel"), unit), total_row.where)
            put("public_expenditure", cell_amount(ctx, total_row, cols.get("public"), unit), total_row.where)
    return found


def prose_totals(ctx: Context, secs: list[Section]) -> dict[str, tuple[Decimal, str]]:
    paras = paras_of(secs, {"overall"})

    def ranked(word: str) -> list:
        # paragraphs under a heading naming the word (2、支出说明) first, then those saying it
        under = [p for s in secs if s.kind == "overall" and word in s.title for p in section_paras(s)]
        saying = [p for p in paras if word in p.text and p not in under]
        return under + saying + [p for p in paras if p not in under and p not in saying]

    income = Text([p for p in ranked("收入") if "收入" in p.text] or paras)
    spend = Text(ranked("支出"))
    found: dict[str, tuple[Decimal, str]] = {}
    for metric, patterns in PROSE_TOTALS.items():
        text = income if metric in INCOME_METRICS else spend
        for pat in patterns:
            f = first_amount(text, pat)
            if f is not None:
                found[metric] = (f.value, f.where)  # prose states 万元 itself
                break
    t = Text(paras)
    for m, where in t.find_all(CHANGE):
        if m.group(1) == "持平":
            found["change_vs_prior_year"] = (Decimal(0), where)
        elif m.group(2):
            v = to_decimal(m.group(2))
            found["change_vs_prior_year"] = (-v if m.group(1) in ("减少", "下降") else v, where)
        break
    return found


def budget_totals(ctx: Context, secs: list[Section], grids: list[Grid]) -> list[dict[str, Any]]:
    tab = table_totals(ctx, secs, grids)
    pro = prose_totals(ctx, secs)
    rows = []
    for metric in sorted(set(tab) | set(pro)):
        v, where = tab.get(metric) or pro[metric]
        rows.append({"doc_id": ctx.doc.doc_id, "metric": metric, "amount_wan": v, "source_line": where,
                     "origin": "table" if metric in tab else "prose"})
    return rows


# ---- 功能分类 / 经济分类 tables -----------------------------------------------------

HEADER_FIELDS = (
    ("code", ("科目编码", "功能分类科目编码", "经济分类科目编码", "编码")),
    ("name", ("科目名称", "功能分类科目名称", "名称")),
    ("total", ("合计", "总计")),
    ("basic", ("基本支出",)),
    ("project", ("项目支出",)),
    ("fiscal", ("财政拨款收入", "财政拨款", "一般公共预算")),
    ("carryover", ("上年结转",)),
    ("personnel", ("人员经费", "工资福利")),
    ("public", ("公用经费",)),
    ("subtotal", ("小计",)),
    ("lei", ("类",)),
    ("kuan", ("款",)),
    ("xiang", ("项",)),
)


def header_index(header: tuple[str, ...]) -> dict[str, int]:
    idx: dict[str, int] = {}
    for i, h in enumerate(header):
        for field_, words in HEADER_FIELDS:
            if field_ in idx:
                continue
            if field_ in ("lei", "kuan", "xiang"):
                if h == words[0]:
                    idx[field_] = i
            elif any(h == w or (len(w) > 1 and w in h) for w in words):
                idx[field_] = i
                break
    return idx


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
        m = re.match(r"^(\d{3,7})\s+(\S.*)$", get("code"))
        if m:
            code, name = m.group(1), m.group(2)
    is_total = any(compact(c) in ("合计", "总计") for c in cells[:4])
    return code, name.strip(), is_total


FUNCTION_SOURCES = {
    "expenditure_by_function": (("expenditure_table",), ("gp_expenditure_table",)),
    "income_by_function": (("income_table",),),
    "expenditure_by_economic": (("gp_basic_table",),),
}
AMOUNT_FIELDS = {
    "expenditure_by_function": ("total", "basic", "project"),
    "income_by_function": ("total", "fiscal", "carryover"),
    "expenditure_by_economic": ("total", "personnel", "public"),
}


def classified_rows(ctx: Context, secs: list[Section], grids: list[Grid], table: str) -> list[dict[str, Any]]:
    for kinds in FUNCTION_SOURCES[table]:
        source = [g for g in grids if g.kind in kinds and g.header]
        if source:
            break
    else:
        return []
    out: list[dict[str, Any]] = []
    seen_total = False
    level_of = economic_level if table == "expenditure_by_economic" else function_level
    for g in source:
        unit = grid_unit(ctx, secs, g)
        cols = header_index(g.header)
        if "code" not in cols and "lei" not in cols:
            continue
        if "fiscal" not in cols and "subtotal" in cols and table == "income_by_function":
            cols["fiscal"] = cols["subtotal"]
        for r in g.rows:
            code, name, is_total = code_and_name(r, cols)
            if code is None and not (is_total and not seen_total):
                continue
            if code is None:
                seen_total, name = True, "合计"
            f = AMOUNT_FIELDS[table]
            out.append({
                "doc_id": ctx.doc.doc_id, "code": code, "name": name or None,
                "level": level_of(code) if code else None,
                f"{f[0]}_wan": cell_amount(ctx, r, cols.get(f[0]), unit),
                f"{f[1]}_wan": cell_amount(ctx, r, cols.get(f[1]), unit),
                f"{f[2]}_wan": cell_amount(ctx, r, cols.get(f[2]), unit),
                "source_line": r.where,
            })
    return out


# ---- 三公经费 -------------------------------------------------------------------------

THREE_PUBLIC = (
    ("vehicle_total", r"购置及运[行维]|购置和运[行维]"),
    ("vehicle_purchase", r"公务用车购置|车辆购置|购置费"),
    ("vehicle_operation", r"公务用车运[行维]|车辆运[行维]|运行维护费|运维费|运行费|运行经费"),
    ("overseas_travel", r"因公出国|出国"),
    ("reception", r"公务接待|接待"),
    ("total", r"^(合计|总计|小计)$|三公[”\"]?经费"),
)


def three_public_category(label: str) -> str | None:
    t = re.sub(r"^[一二三四五六七八九十\d]+[、.．]", "", compact(label))
    for cat, rx in THREE_PUBLIC:
        if re.search(rx, t):
            return cat
    return None


Horizontal = tuple[dict[str, Decimal | None], Decimal | None, str]
THREE_PUBLIC_KINDS = ("three_public", "three_public_table", "operating")


def horizontal_three_public(ctx: Context, secs: list[Section], g: Grid) -> Horizontal:
    """NOTE: the Shanghai PDFs print 三公 as columns (合计 | 因公出国(境)费 | 公务接待费 |
    公务用车 小计/购置费/运行费) with one row of figures, and 机关运行经费 in the last column.
    Returns ({category: amount}, operating total, where)."""
    rows = [list(g.header)] + [r.texts for r in g.rows]
    colmap: dict[int, str] = {}
    op_col: int | None = None
    for k, texts in enumerate(rows):
        amounts = [t for t in texts if t.strip() and try_amount(t) is not None]
        if len(colmap) >= 3 and amounts and len(amounts) * 2 >= len([t for t in texts if t.strip()]):
            unit = grid_unit(ctx, secs, g)
            r = g.rows[k - 1]
            got = {cat: cell_amount(ctx, r, i, unit) for i, cat in colmap.items()}
            op = cell_amount(ctx, r, op_col, unit) if op_col is not None else None
            return got, op, r.where
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
    return {}, None, ""


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
        by_column, _, where = horizontal[gi]
        for cat, v in by_column.items():
            put(ctx.year, cat, v, where, "table")
        if by_column:
            continue
        years = {i: int(m.group(1)) for i, h in enumerate(g.header) if (m := re.search(r"((?:19|20)\d{2})年", h))}
        amount_cols = sorted(years) or [header_index(g.header).get("total", 2)]
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

OPERATING_ITEM = re.compile(rf"([^，,、；;：:。\n0-9]{{2,30}}?)\s*(?:为|共计|安排|安排资金)?\s*{AMT}{WAN}")
ITEM_PREFIX = re.compile(r"^(其中|主要用于|包括|用于|分别为|具体为|以及|及|和|等)+")


def operating_rows(ctx: Context, secs: list[Section], grids: list[Grid],
                   horizontal: dict[int, Horizontal]) -> list[dict[str, Any]]:
    text = Text(paras_of(secs, {"operating"}), sep="")
    out: list[dict[str, Any]] = []
    segment: str | None = None
    have_total = False
    for gi, g in enumerate(grids):
        if g.kind in ("three_public_table", "operating"):
            _, op, where = horizontal[gi]
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


# ---- 政府采购 -----------------------------------------------------------------------

CATALOG = re.compile(r"^[A-CＡ-Ｃ]\d{2,}[0-9A-Z]*$")
CATEGORY_BY_LETTER = {"A": "货物", "B": "工程", "C": "服务"}


def procurement_rows(ctx: Context, secs: list[Section], grids: list[Grid]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if not any(g.kind == "procurement" for g in grids):
        # NOTE: the Shanghai PDFs state only the total ('政府采购预算34万元') and print no
        # table of lines: the total becomes one row with item_name 'total'.
        f = first_amount(Text(paras_of(secs, {"procurement"})), rf"政府采购(?:预算|金额)[^0-9，。；,;]{{0,6}}?{AMT}{WAN}")
        if f is not None:
            out.append({"doc_id": ctx.doc.doc_id, "item_name": "total", "category": None, "catalog_code": None,
                        "quantity": None, "quantity_unit": None, "unit_price_wan": None, "amount_wan": f.value,
                        "source_line": f.where, "project_name": None})
        return out
    for g in grids:
        if g.kind != "procurement":
            continue
        for r in g.rows:
            texts = [c.text.strip() for c in r.cells]
            k = next((i for i, t in enumerate(texts) if CATALOG.match(compact(t))), None)
            if k is None or k < 1:
                continue
            item = texts[k - 1]
            category = None
            m = re.match(r"^(货物|服务|工程)\s*[-－—]\s*(.+)$", item)
            if m:
                category, item = m.group(1), m.group(2)
            code = compact(texts[k])
            category = category or CATEGORY_BY_LETTER.get(code[0])

            def get(j: int, texts: list[str] = texts) -> str:
                return texts[j] if j < len(texts) else ""
            out.append({
                "doc_id": ctx.doc.doc_id, "item_name": item or None, "category": category, "catalog_code": code,
                "quantity_unit": get(k + 1) or None, "quantity": try_amount(get(k + 2)),
                "unit_price_wan": ctx.wan(try_amount(get(k + 3))), "amount_wan": cell_amount(ctx, r, k + 4),
                "source_line": r.where, "project_name": texts[0] if k >= 2 else None,
            })
    return out


# ---- 国有资产 -----------------------------------------------------------------------

ASSET_ITEMS = (
    ("office_buildings", r"办公用房"),
    ("buildings", r"房屋"),
    ("vehicles", r"车辆"),
    ("equipment_over_threshold", r"单价.*万元以上|万元以上.*设备"),
    ("other_fixed_assets", r"其他固定资产"),
    ("total", r"资产总(额|计)|固定资产总额|^合计$"),
)
AS_OF = re.compile(r"截止(?:时间|日期)?(?:于)?\s*[:：]?\s*(.{6,16})")


def asset_rows(ctx: Context, secs: list[Section], grids: list[Grid]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    as_of: date | None = None
    sec_texts = [(t, w) for s in secs if s.kind == "assets" for t, w in block_texts(s.blocks)]
    for t, _ in sec_texts:
        m = AS_OF.search(t)
        if m and (d := parse_date(m.group(1))):
            as_of = d
            break
    seen: set[str] = set()
    for g in grids:
        if g.kind != "assets":
            continue
        unit = "元" if any("单位：元" in h or "（元）" in h or "(元)" in h for h in g.header) else (
            "万元" if any("万元" in h for h in g.header) else ctx.unit)
        for r in g.rows:
            label = compact(r.cells[0].text) if r.cells else ""
            item = next((i for i, rx in ASSET_ITEMS if re.search(rx, label)), None)
            if item is None or item in seen:
                continue
            seen.add(item)
            qty = try_amount(r.cells[1].text) if len(r.cells) > 1 else None
            out.append({"doc_id": ctx.doc.doc_id, "as_of": as_of, "item": item, "quantity": qty,
                        "value_wan": cell_amount(ctx, r, 2, unit), "source_line": r.where, "holder": None})
    text = Text(paras_of(secs, {"assets"}))
    for m, where in text.find_all(rf"([^，。；,;]{{0,30}}?)固定资产(?:总额|金额|原值)(?:为)?\s*{AMT}\s*(万元|元)"):
        if "total" in seen:
            break
        lead = m.group(1)
        d = parse_date(lead) or (date(ctx.year - 1, 12, 31) if ctx.year and "上年" in lead else as_of)
        holder: str | None = re.sub(r"截止(?:于)?|(?:19|20)\d{2}\s*年(?:末|底)?|上年末|年末|\(含所属单位\)|（含所属单位）", "", lead).strip(" ，,")
        if not holder or holder in ("我单位", "我部门", "本单位", "本部门") or (ctx.unit_name and ctx.unit_name in holder):
            holder = None
        out.append({"doc_id": ctx.doc.doc_id, "as_of": d, "item": "total", "quantity": None,
                    "value_wan": ctx.wan(to_decimal(m.group(2)), m.group(3)), "source_line": where, "holder": holder})
    f = first_amount(text, rf"拟购置(?:固定)?资产(?:总额)?(?:为)?\s*{AMT}{WAN}")
    planned = None
    if f:
        planned = {"doc_id": ctx.doc.doc_id, "as_of": None, "item": "planned_purchase", "quantity": None,
                   "value_wan": f.value, "source_line": f.where, "holder": None}
    # NOTE: the Shanghai PDFs state counts only: '截至2024年8月31日…共有车辆0辆…单价100万元（含）以上设备（不含车辆）0台（套）'
    for m, where in text.find_all(r"(?<!购置)车辆\s*(\d+)\s*[辆台]"):
        if "vehicles" not in seen:
            seen.add("vehicles")
            d = parse_date(text.text[max(0, m.start() - 60): m.start()]) or as_of
            out.append({"doc_id": ctx.doc.doc_id, "as_of": d, "item": "vehicles", "quantity": Decimal(m.group(1)),
                        "value_wan": None, "source_line": where, "holder": None})
        break
    for m, where in text.find_all(r"(?<!购置)单价\s*\d+\s*万元(?:[（(]含[)）])?以上(?:的)?设备[^0-9；;。]{0,12}?(\d+)\s*[台套件]"):
        if "equipment_over_threshold" not in seen:
            seen.add("equipment_over_threshold")
            d = parse_date(text.text[max(0, m.start() - 200): m.start()]) or as_of
            out.append({"doc_id": ctx.doc.doc_id, "as_of": d, "item": "equipment_over_threshold",
                        "quantity": Decimal(m.group(1)), "value_wan": None, "source_line": where, "holder": None})
        break
    m2 = next(iter(text.find_all(r"购置车辆\s*(\d+)\s*[辆台]")), None)
    if m2 is not None:
        if planned is None:
            planned = {"doc_id": ctx.doc.doc_id, "as_of": None, "item": "planned_purchase", "quantity": None,
                       "value_wan": None, "source_line": m2[1], "holder": None}
        planned["quantity"] = Decimal(m2[0].group(1))
    if planned:
        out.append(planned)
    return out



def extract(ctx: Context, secs: list[Section], grids: list[Grid]) -> dict[str, list[dict[str, Any]]]:
    # the 三公/机关运行经费 table printed as columns is read once and feeds both tables
    horizontal = {i: horizontal_three_public(ctx, secs, g) for i, g in enumerate(grids) if g.kind in THREE_PUBLIC_KINDS}
    return {
        "budget_totals": budget_totals(ctx, secs, grids),
        "expenditure_by_function": classified_rows(ctx, secs, grids, "expenditure_by_function"),
        "income_by_function": classified_rows(ctx, secs, grids, "income_by_function"),
        "expenditure_by_economic": classified_rows(ctx, secs, grids, "expenditure_by_economic"),
        "three_public": three_public_rows(ctx, secs, grids, horizontal),
        "operating_expenses": operating_rows(ctx, secs, grids, horizontal),
        "procurement": procurement_rows(ctx, secs, grids),
        "assets": asset_rows(ctx, secs, grids),
    }
