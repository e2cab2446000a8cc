"""Headline totals (收支总表 and the 收支预算说明 prose) -> budget_totals rows."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ...values import try_amount
from ..prose import AMT, WAN, Text, first_amount, to_decimal
from ..sections import Section, compact
from ..tables import Grid, section_paras
from .context import Context, cell_amount, grid_unit, header_index, paras_of

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
    ("general_budget_income", r"^一般公共预算(财政)?(拨款|资金)?(收入)?$"),
    ("gov_fund_income", r"^政府性基金(预算)?(财政)?(拨款|资金)?(收入)?$"),
    # NOTE: 深圳 (corpus 07) says 上年结余、结转; 西南大学 决算 (60) 上年结转和结余
    ("carryover_income", r"^上年结转(结余)?(收入)?$|^用事业基金弥补收支差额$|^年初结转和结余$|^上年结转和结余$"
     r"|^上年结余、?结转$"),
    ("other_income", r"^其他收入$"),
    # NOTE: 陕西 部门综合预算 (corpus 31) prints spending by economic view in the 收支总表:
    # '1、人员经费和公用经费支出' (= 基本支出) and '2、专项业务经费支出' (= 项目支出)
    ("basic_expenditure", r"^人员经费和公用经费(支出)?$"),
    ("project_expenditure", r"^专项业务经费(支出)?$"),
)
_SUMMARY_RX = tuple((metric, re.compile(rx)) for metric, rx in SUMMARY_LABELS)
# NOTE: the 财政拨款收支总表 states the fiscal income of the year: its 本年收入 (重庆水利局 10, 国家信访局 41, 北京 04,
# 苏州审计局 17), else its 收入总计 (广州信访局 12). The 收入总计 adds the fiscal 上年结转, which budget_totals keeps
# apart (carryover_income): income_total = fiscal + other + carryover.
FISCAL_TOTAL = re.compile(r"^收入(总计|合计)$")
FISCAL_YEAR_INCOME = re.compile(r"^本年收入(合计)?$")
HALF_TOTALS = {"人员经费合计": "personnel_expenditure", "公用经费合计": "public_expenditure"}
NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．])")


# NOTE: 广州信访局 (corpus 12) names 一般公共预算 income only in the 财政拨款收支总体情况表 ('一、预算拨款' in the
# 收支总表): the 财政拨款 总表 is read for its fund lines, never for its totals.
FISCAL_SUMMARY_METRICS = {"general_budget_income", "gov_fund_income"}
# NOTE: 西南大学 决算 (corpus 60) prints '其中：政府性基金预算财政拨款' under 财政拨款收入, and labels its grand
# total (last row) '合计' on both halves.
SUB_ITEM = re.compile(r"^其中[:：]")
# NOTE: 决算 总表 (corpus 40 佛山, 42 国家信访局) print a 行次 column between each label and its amount.
LINE_NUMBER_HEADERS = ("行次", "栏次")


# The tables table_totals reads a headline figure from.
TOTALS_KINDS = {"summary_table", "fiscal_summary_table", "expenditure_table", "income_table", "gp_basic_table"}


def value_column(header: tuple[str, ...], label_col: int) -> int:
    """The amount column of a label: the next one, skipping a 行次 (line number) column."""
    j = label_col + 1
    while j < len(header) and header[j] in LINE_NUMBER_HEADERS:
        j += 1
    return j


def table_totals(ctx: Context, secs: list[Section], grids: list[Grid]) -> dict[str, tuple[Decimal, str]]:
    found: dict[str, tuple[Decimal, str]] = {}

    def put(metric: str, v: Decimal | None, where: str) -> None:
        if v is not None and metric not in found:
            found[metric] = (v, where)

    fiscal: list[tuple[int, Decimal | None, str]] = []  # (rank, amount, where) from the 财政拨款收支总表
    for g in grids:
        if g.kind not in TOTALS_KINDS:
            continue  # states no headline total
        unit = grid_unit(ctx, secs, g)
        if g.kind in ("summary_table", "fiscal_summary_table"):
            wanted = {m for m, _ in SUMMARY_LABELS} if g.kind == "summary_table" else FISCAL_SUMMARY_METRICS
            for r in g.rows:
                # NOTE: 重庆水利局 (corpus 10) prints the grand 合计 as the FIRST row of its 收支总表
                grand = iter(("income_total", "expenditure_total")) if r is g.rows[-1] or r is g.rows[0] else iter(())
                for i, c in enumerate(r.cells[:-1]):
                    label = SUB_ITEM.sub("", NUMBERING.sub("", compact(c.text)))
                    if g.kind == "fiscal_summary_table" and i <= 1 and (
                            (rank := 0 if FISCAL_YEAR_INCOME.match(label) else 1 if FISCAL_TOTAL.match(label) else None)
                            is not None):
                        fiscal.append((rank, cell_amount(ctx, r, value_column(g.header, i), unit), r.where))
                    if label == "合计" and (metric := next(grand, None)) and g.kind == "summary_table":
                        put(metric, cell_amount(ctx, r, value_column(g.header, i), unit), r.where)
                        continue
                    for metric, rx in _SUMMARY_RX:
                        if rx.search(label):
                            if metric in wanted:
                                put(metric, cell_amount(ctx, r, value_column(g.header, i), unit), r.where)
                            break
        cols = header_index(g.header)
        total_row = next((r for r in g.rows if any("计" in c.text and compact(c.text) in ("合计", "总计")
                                                   for c in r.cells[:4])), None)
        if total_row is None and g.kind == "expenditure_table" and g.rows and "code" in cols:
            # NOTE: 深圳 (corpus 07) 表3 支出总表 has no 合计 label: its first row names the unit, no code, and
            # carries the totals.
            t = cols.get("total")
            first = next((r for r in g.rows if t is not None and t < len(r.cells) and try_amount(r.cells[t].text) is not None),
                         None)
            if first is not None and cols["code"] < len(first.cells) and not compact(first.cells[cols["code"]].text) \
                    and compact(first.cells[0].text):
                total_row = first
        if total_row is None:
            continue
        if g.kind == "expenditure_table":
            if "basic" not in cols and "personnel" in cols and "public" in cols:
                # NOTE: 杭州 (corpus 21) 表3 prints 基本支出 only as its halves 人员支出 | 日常公用支出 (all funds, as
                # its 基本支出 total): the halves are read here too, before the 一般公共预算 basic table's
                pers = cell_amount(ctx, total_row, cols["personnel"], unit)
                pub = cell_amount(ctx, total_row, cols["public"], unit)
                if pers is not None and pub is not None:
                    put("basic_expenditure", pers + pub, total_row.where)
                    put("personnel_expenditure", pers, total_row.where)
                    put("public_expenditure", pub, total_row.where)
            put("basic_expenditure", cell_amount(ctx, total_row, cols.get("basic"), unit), total_row.where)
            put("project_expenditure", cell_amount(ctx, total_row, cols.get("project"), unit), total_row.where)
            put("expenditure_total", cell_amount(ctx, total_row, cols.get("total"), unit), total_row.where)
        elif g.kind == "income_table":
            put("fiscal_income", cell_amount(ctx, total_row, cols.get("fiscal"), unit), total_row.where)
            put("income_total", cell_amount(ctx, total_row, cols.get("total"), unit), total_row.where)
        elif g.kind == "gp_basic_table":
            put("personnel_expenditure", cell_amount(ctx, total_row, cols.get("personnel"), unit), total_row.where)
            put("public_expenditure", cell_amount(ctx, total_row, cols.get("public"), unit), total_row.where)
    for g in grids:
        if g.kind == "gp_basic_table":
            # NOTE: 决算 基本支出 tables printed as side-by-side halves (佛山 40, 国家信访局 42, 普陀区财政局 48) end on
            # '人员经费合计 649.20 | 公用经费合计 97.19': the figure is the next filled cell after the label.
            for r in g.rows:
                for i, c in enumerate(r.cells):
                    metric = HALF_TOTALS.get(compact(c.text))
                    j = next((j for j in range(i + 1, len(r.cells)) if r.cells[j].text.strip()), None)
                    if metric and j is not None:
                        put(metric, cell_amount(ctx, r, j, grid_unit(ctx, secs, g)), r.where)
    for _, v, where in sorted((f for f in fiscal if f[1] is not None), key=lambda f: f[0]):
        put("fiscal_income", v, where)
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
