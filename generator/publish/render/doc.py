"""Document page and source-text page: page models -> Markdown + chart specs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...labels import (
    ASSET_LABELS,
    DOC_KIND_LABELS,
    METRIC_LABELS,
    OPERATING_ITEM_LABELS,
    SEGMENT_LABELS,
    THREE_PUBLIC_LABELS,
    label,
)
from ..pages import DocumentPage
from . import charts as ch
from .md import (
    Cell,
    Group,
    Page,
    chart_block,
    code,
    fmt_num,
    fmt_wan,
    front_matter,
    glossary_link,
    h,
    html_table,
    line_sort,
    md,
    money,
    number,
    prose,
    source_link,
    text,
    with_contents,
)
from .provenance import (
    DETAIL_INLINE,
    all_checks,
    breadcrumb,
    checks_section,
    doc_trail,
    kind_year,
    source_box,
)

PLAN_STEPS = (("plan_q1_pct", "3月底"), ("plan_q2_pct", "6月底"), ("plan_q3_pct", "10月底"), ("plan_q4_pct", "12月底"))
TOP_PROJECTS = 20
# Every page carries about 16 KB of theme (header, tabs, drawer, scripts), so each page a document is split
# into costs that much again. The document page takes in its detail parts (all projects, all checks, the
# smaller tables, the indicators) while its article stays within ARTICLE_BUDGET bytes (the page then stays
# under about 55 KB; 60 KB is the limit); a part that does not fit gets its own page under the same path.
ARTICLE_BUDGET = 38_000
# bytes of article on one page of a document's indicators: a page is filled up to this (a project stays
# whole), so most documents have one indicators page and every page stays under about 60 KB
INDICATOR_BUDGET = 42_000
# a part of the document page with more rows than this is bounded from its own page's form before it is
# built for the document page (it seldom fits: see _least); a smaller part is built for the page directly
BOUND_ROWS = 20
INDEXED = ("“三公”经费", "项目", "绩效指标")  # sections of a document page kept in the search index
THREE_PUBLIC_PARTS = ("overseas_travel", "vehicle_purchase", "vehicle_operation", "reception")


def _metric(p: DocumentPage, name: str) -> Any:
    for r in p.totals:
        if r["metric"] == name:
            return r["amount_wan"]
    return None


# NOTE: 001 and 002 of the seeds carry a section heading as title ("三、2021年部门预算绩效信息",
# "2023 年部门预算信息公开目录"): a printed title is shown only when it reads like a whole document's title.
_HEADING_MARKS = ("目录", "第一部分", "第二部分", "、")


def _is_title(printed: str | None, uniform: str) -> bool:
    return printed is not None and printed not in ("", uniform) and not any(m in printed[:8] for m in _HEADING_MARKS)


def _headline(page: Page, p: DocumentPage) -> list[str]:
    s, m = p.summary, p.meta
    facts = [("原标题", m.get("title") if _is_title(m.get("title"), s.title) else None), ("单位", s.unit_name), ("年度", s.year), ("类型", DOC_KIND_LABELS.get(s.doc_kind or "", s.doc_kind)),
             ("地区", s.region), ("层级", s.unit_level), ("源文件金额单位", m.get("amount_unit"))]
    out = [f"# {md(s.title)}", ""]
    sentence = _summary_sentence(p)
    if sentence:
        out += [sentence, ""]
    known = [f"{k}：{md(v)}" for k, v in facts if v not in (None, "")]
    if known:
        out += ['<p class="doc-facts">' + "　".join(f"{h(k)}：{h(v)}" for k, v in facts if v not in (None, "")) + "</p>", ""]
    exp, inc = _metric(p, "expenditure_total"), _metric(p, "income_total")
    cards = [("支出总计", exp), ("收入总计", inc), ("基本支出", _metric(p, "basic_expenditure")),
             ("项目支出", _metric(p, "project_expenditure")), ("项目数", None)]
    items = [f'<div class="kpi"><span class="kpi-label">{h(k)}</span><span class="kpi-value">{h(fmt_wan(v))}</span>'
             f'<span class="kpi-unit">万元</span></div>' for k, v in cards[:4] if v is not None]
    if exp is None and p.project_total is not None:
        items.append(f'<div class="kpi"><span class="kpi-label">项目预算合计</span><span class="kpi-value">'
                     f'{h(fmt_wan(p.project_total))}</span><span class="kpi-unit">万元</span></div>')
    items.append(f'<div class="kpi"><span class="kpi-label">项目</span><span class="kpi-value">{len(p.projects)}</span>'
                 f'<span class="kpi-unit">个</span></div>')
    out += ['<div class="kpis">' + "".join(items) + "</div>", ""]
    return out


def _pct(part: Any, whole: Any) -> str:
    return f"{part / whole * 100:.1f}%" if part is not None and whole else "—"


def _summary_sentence(p: DocumentPage) -> str:
    """The ten-second answer: how much, and on what."""
    exp = _metric(p, "expenditure_total")
    if exp is None:
        return ""
    year = f"{p.summary.year}年" if p.summary.year else ""
    out = f"{year}预算支出 **{fmt_wan(exp)} 万元**"
    basic, proj = _metric(p, "basic_expenditure"), _metric(p, "project_expenditure")
    if basic is not None and proj is not None:
        out += f"，其中基本支出 {fmt_wan(basic)} 万元（{_pct(basic, exp)}），项目支出 {fmt_wan(proj)} 万元（{_pct(proj, exp)}）"
    top = [r for r in p.functions if r["code"] and r["level"] == 1 and r["total_wan"] is not None]
    if top:
        big = max(top, key=lambda r: (r["total_wan"], r["code"]))
        out += f"。最大的支出功能分类是“{md(big['name'])}”，{fmt_wan(big['total_wan'])} 万元（{_pct(big['total_wan'], exp)}）"
    if p.projects:
        big = max(p.projects, key=lambda r: (r["budget_wan"] or 0, -r["project_seq"]))
        if big["budget_wan"] is not None:
            out += f"；预算最多的项目是“{md(big['project_name'])}”，{fmt_wan(big['budget_wan'])} 万元"
    return out + "。"


def _totals(page: Page, p: DocumentPage) -> list[str]:
    if not p.totals:
        return []
    order = list(METRIC_LABELS)
    ranked = sorted(p.totals, key=lambda r: (order.index(r["metric"]) if r["metric"] in order else 99, r["metric"]))
    rows = [[text(METRIC_LABELS.get(r["metric"], r["metric"])), money(r["amount_wan"]),
             source_link(page, p.summary.path, r["source_line"], p.has_source_view)] for r in ranked]
    return ["## 收支总额", "", html_table(["指标", "金额（万元）", "出处行"], rows), ""]


def _structure(page: Page, p: DocumentPage) -> list[str]:
    parts = [("基本支出 / 项目支出", "基本支出", "basic_expenditure"), ("基本支出 / 项目支出", "项目支出", "project_expenditure"),
             ("人员经费 / 公用经费", "人员经费", "personnel_expenditure"), ("人员经费 / 公用经费", "公用经费", "public_expenditure")]
    rows = [{"bar": b, "part": part, "value": _metric(p, m), "order": i} for i, (b, part, m) in enumerate(parts)]
    spec = ch.stacked(rows, "支出结构（万元）")
    if spec is None:
        return []
    table = html_table(["结构", "组成", "金额（万元）"], [[text(r["bar"]), text(r["part"]), money(r["value"])] for r in rows])
    return ["## 支出结构", "", chart_block(page, "structure", spec, "支出结构：基本支出与项目支出、人员经费与公用经费", table), ""]


def _indent(r: dict) -> Cell:
    """The subject name indented by its level (类/款/项), as the printed table shows it."""
    lv = r["level"] if r["level"] in (1, 2, 3, 4) else 1
    return Cell(r["name"] or "", cls=f"lv{lv}" + (" total" if not r["code"] else ""))


# key (DocumentPage field and chart name) -> title, columns (two headers, two fields)
CLASSIFICATIONS = {
    "functions": ("支出功能分类", ("基本支出（万元）", "项目支出（万元）", "basic_wan", "project_wan")),
    "economic": ("基本支出经济分类", ("人员经费（万元）", "公用经费（万元）", "personnel_wan", "public_wan")),
    "incomes": ("收入功能分类", ("财政拨款（万元）", "上年结转（万元）", "fiscal_wan", "carryover_wan")),
}


def _classification_table(page: Page, p: DocumentPage, key: str) -> str:
    rows: list[dict] = getattr(p, key)
    title, cols = CLASSIFICATIONS[key]
    a, b = cols[2], cols[3]
    ordered = sorted(rows, key=lambda r: (line_sort(r["source_line"]) == "", int(line_sort(r["source_line"]) or 0)))
    return html_table(
        ["科目名称", "合计（万元）", cols[0], cols[1], "编码", "出处行"],
        [[_indent(r), money(r["total_wan"]), money(r[a]), money(r[b]), code(r["code"]),
          source_link(page, p.summary.path, r["source_line"], p.has_source_view)] for r in ordered],
        sortable=True, caption=f"{title}（按原表顺序，缩进表示科目级次）")


def _classification(page: Page, p: DocumentPage, key: str, moved: str = "", table: str | None = None) -> list[str]:
    """A classification's chart and table; with `moved` (the page holding the table) the chart and a link.
    table: _classification_table(page, p, key) when the caller has it already."""
    rows: list[dict] = getattr(p, key)
    if not rows:
        return []
    title, _ = CLASSIFICATIONS[key]
    levels = [r["level"] for r in rows if r["level"] is not None and r["code"]]
    chart_level = min(levels) if levels else None
    bars = [{"label": f"{r['code']} {r['name'] or ''}".strip(), "value": r["total_wan"]}
            for r in rows if r["code"] and r["level"] == chart_level]
    bars.sort(key=lambda r: (-(r["value"] or 0), r["label"]))
    spec = ch.hbar(bars, "label", "value", f"{title}（{'类款项'[chart_level - 1] if chart_level in (1, 2, 3) else ''}级，万元）")
    out = [f"## {title}", ""]
    where = "其他明细页的表格" if moved else "下表"
    if spec:
        out += [chart_block(page, key, spec, f"{title}：各科目合计金额（万元），数字见{where}", ""), ""]
    if moved:
        return out + [f'<p data-search-exclude>{h(title)}明细表（{len(rows)} 行）：<a href="{h(moved)}#{key}">见其他明细 →</a></p>', ""]
    return out + [_classification_table(page, p, key) if table is None else table, ""]


def _year_label(fy: Any, doc_year: Any) -> str:
    """A 三公 column's year, named: the document's own year, or its prior-year column."""
    if doc_year and fy == doc_year:
        return f"{fy}年（本年）"
    if doc_year and fy == doc_year - 1:
        return f"{fy}年（上年数，本文档所列）"
    return f"{fy}年"


def _three_public(page: Page, p: DocumentPage) -> list[str]:
    if not p.three_public:
        return []
    year = p.summary.year
    have = {r["category"] for r in p.three_public}
    parts = [c for c in THREE_PUBLIC_PARTS if c in have]
    if "vehicle_total" in have and not have & {"vehicle_purchase", "vehicle_operation"}:
        parts.insert(1, "vehicle_total")
    rows = [{"label": THREE_PUBLIC_LABELS.get(r["category"], r["category"]), "group": _year_label(r["fiscal_year"], year),
             "value": r["amount_wan"]} for r in p.three_public if r["category"] in parts]
    order = [THREE_PUBLIC_LABELS[c] for c in parts]
    rows.sort(key=lambda r: (order.index(r["label"]) if r["label"] in order else 99, r["group"]))
    years = sorted({r["fiscal_year"] for r in p.three_public})
    what = "本年与上年数对比" if len(years) > 1 else "各项金额"
    spec = ch.grouped(rows, f"“三公”经费分项（{what}，万元）")
    cats = list(THREE_PUBLIC_LABELS)
    ordered = sorted(p.three_public, key=lambda r: (cats.index(r["category"]) if r["category"] in cats else 99,
                                                    r["category"], r["fiscal_year"]))
    table = html_table(["类别", "年度", "金额（万元）", "出处行"], [
        [Cell(label(THREE_PUBLIC_LABELS, r["category"]),
              cls="lv1 total" if r["category"] == "total" else ("lv3" if r["category"].startswith("vehicle_") and
                                                                r["category"] != "vehicle_total" else "lv2")),
         text(_year_label(r["fiscal_year"], year)), money(r["amount_wan"]),
         source_link(page, p.summary.path, r["source_line"], p.has_source_view)] for r in ordered])
    out = ["## “三公”经费", "", f'<p class="note">“三公”经费指{glossary_link(page, "三公经费")}：因公出国（境）费、'
           "公务用车购置及运行费、公务接待费。合计行与分项不可相加。</p>", ""]
    if spec:
        out += [chart_block(page, "three_public", spec, f"“三公”经费分项（不含合计），{what}（万元），数字见下表", ""), ""]
    return out + [table, ""]


def project_year(r: dict, doc_year: int | None) -> str:
    """Carried-over projects repeat a name: the year their targets belong to, when not the document's."""
    return f"（{r['basis_year']}年）" if r.get("basis_year") and r["basis_year"] != doc_year else ""


def _project_name(r: dict, doc_year: int | None = None) -> str:
    return f"{r['project_seq']}. {r['project_name'] or ''}{project_year(r, doc_year)}"


def _projects(page: Page, p: DocumentPage, detail: str, full: str = "") -> list[str]:
    """The project chart; with `full` (the table of all projects, on this page) the chart's numbers are
    that table, else the chart carries its own table and `detail` links to the projects page."""
    if not p.projects:
        return []
    ranked = sorted(p.projects, key=lambda r: (-(r["budget_wan"] or 0), r["project_seq"]))[:TOP_PROJECTS]
    bars = [{"label": _project_name(r, p.summary.year), "value": r["budget_wan"]} for r in ranked]
    out = ["## 项目", "", f'<p data-search-exclude>共 {len(p.projects)} 个项目。' + (
        f'<a href="{h(detail)}">全部项目明细（含编码、资金来源、支出计划和出处）→</a>' if detail and not full else "")
        + "</p>", "",
        # the project names, indexed for search (before any sub-heading: those are kept out of the index)
        f'<p class="search-only" hidden>项目：{h("、".join(r["project_name"] or "" for r in p.projects))}</p>', ""]
    spec = ch.hbar(bars, "label", "value", "项目预算排名（万元）")
    if spec and full:
        out += [chart_block(page, "projects", spec, f"项目按预算金额排序（前 {len(bars)} 个，万元），数字见下方项目明细表", ""), ""]
    elif spec:
        out += [chart_block(page, "projects", spec, f"项目按预算金额排序（前 {len(bars)} 个，万元）", html_table(
            ["项目", "预算（万元）", "出处行"], [[text(b["label"]), money(b["value"]),
                                          source_link(page, p.summary.path, r["source_line"], p.has_source_view)]
                                         for b, r in zip(bars, ranked, strict=True)])), ""]
    plans = {tuple(r[c] for c, _ in PLAN_STEPS) for r in ranked if any(r[c] is not None for c, _ in PLAN_STEPS)}
    if len(plans) == 1:
        (only,) = plans
        out += ["全部项目的支出计划相同：" + "，".join(f"{lab}累计 {fmt_num(v)}%" for (_, lab), v in zip(PLAN_STEPS, only, strict=True)
                                           if v is not None) + "。", ""]
    elif plans:
        plan = [{"series": _project_name(r), "step": lab, "order": i, "value": r[col]}
                for r in ranked[:10] for i, (col, lab) in enumerate(PLAN_STEPS)]
        spec = ch.lines(plan, "资金支出计划（累计 %）")
        if spec:
            out += ['### 资金支出计划 {data-search-exclude="1"}', "", chart_block(page, "plans", spec, "预算最多的项目的累计支出计划（%）", html_table(
                ["项目"] + [lab for _, lab in PLAN_STEPS],
                [[text(_project_name(r))] + [number(r[c]) for c, _ in PLAN_STEPS] for r in ranked[:10]])), ""]
    if full:
        out += ['### 项目明细 {#projects data-search-exclude="1"}', "", f"共 {len(p.projects)} 个项目，单位：万元。", "", full, ""]
    return out


def project_rows(page: Page, p: DocumentPage) -> tuple[list[str], list[list[Cell]]]:
    rows = [[prose((r["project_name"] or "") + project_year(r, p.summary.year)), money(r["budget_wan"]), money(r["fiscal_wan"]), money(r["other_wan"]),
             number(r["project_seq"])] + [number(r[c]) for c, _ in PLAN_STEPS]
            + [code(r["project_code"]), source_link(page, p.summary.path, r["source_line"], p.has_source_view)]
            for r in p.projects]
    return (["项目名称", "预算（万元）", "财政资金", "其他资金", "序号"] + [f"{lab}%" for _, lab in PLAN_STEPS]
            + ["项目编码", "出处行"]), rows


def _indicator_rows(page: Page, p: DocumentPage, seq: int | None) -> list[list[Cell]]:
    return [[prose(r["level3"] or r["description"]), text(r["value_raw"]), text(r["level1"]), text(r["level2"]),
             source_link(page, p.summary.path, r["source_line"], p.has_source_view)] for r in p.indicators[seq]]


class _IndicatorRows:
    """_indicator_rows of one document, each built once. Its indicators pages (<doc>/indicators.md,
    <doc>/indicators-2.md …) link alike: a row's cells depend on the page only through its source links,
    and those are the same from every page one folder below the document (../source/#L12, or the
    downloads at the same depth). So sizing the rows for indicator_groups builds what those pages show."""

    def __init__(self, p: DocumentPage) -> None:
        self.p = p
        self.got: dict[tuple[str, int | None], list[list[Cell]]] = {}

    def __call__(self, page: Page, seq: int | None) -> list[list[Cell]]:
        folder, name = page.path.rsplit("/", 1)
        key = (page.path if not name.startswith("indicators") else f"{folder}/indicators*", seq)
        if key not in self.got:
            self.got[key] = _indicator_rows(page, self.p, seq)
        return self.got[key]


def _row_bytes(row: list[Cell]) -> int:
    """About the bytes of a table row's HTML (cell texts, links, tags)."""
    return 10 + sum(len(c.text.encode()) + len(c.href.encode()) + (15 if c.href else 9) for c in row)


def indicator_groups(p: DocumentPage, budget: int = INDICATOR_BUDGET,
                     rows: Callable[[Page, int | None], list[list[Cell]]] | None = None) -> list[list[int | None]]:
    """Project numbers of the indicators, cut into pages of about `budget` bytes (a project stays whole).
    rows: _indicator_rows of p by page and project (an _IndicatorRows keeps them for the pages)."""
    probe = Page(f"{p.summary.path}/indicators.md", "")
    rows_of = rows or (lambda page, seq: _indicator_rows(page, p, seq))
    pages: list[list[int | None]] = [[]]
    n = 0
    for seq in sorted(p.indicators, key=lambda s: (s is not None, s or 0)):
        size = 80 + sum(_row_bytes(r) for r in rows_of(probe, seq))
        if pages[-1] and n + size > budget:
            pages.append([])
            n = 0
        pages[-1].append(seq)
        n += size
    return pages


INDICATOR_HEADERS = ["三级指标", "指标值", "一级指标", "二级指标", "出处行"]


def indicator_table(page: Page, p: DocumentPage, seqs: list[int | None],
                    rows_of: Callable[[Page, int | None], list[list[Cell]]] | None = None) -> str:
    """One table for the indicators of several projects: a heading row per project (anchor #ind-<n>)."""
    names = {r["project_seq"]: r["project_name"] for r in p.projects}
    rows: list[list[Cell] | Group] = []
    for seq in seqs:
        got = rows_of(page, seq) if rows_of else _indicator_rows(page, p, seq)
        label = "部门（单位）整体指标" if seq is None else f"{seq}. {names.get(seq) or '项目'}"
        rows += [Group(f"{label}（{len(got)} 项）", "ind-unit" if seq is None else f"ind-{seq}"), *got]
    return html_table(INDICATOR_HEADERS, rows, caption="绩效指标（按项目分组）")


def _simple(page: Page, p: DocumentPage) -> list[str]:
    doc, sv = p.summary.path, p.has_source_view
    out: list[str] = []
    if p.operating:
        out += ["## 机关运行经费", "", html_table(["项目", "分段", "金额（万元）", "出处行"], [
            [Cell(label(OPERATING_ITEM_LABELS, r["item"]), cls="lv1 total" if r["item"] == "total" else "lv2"),
             text(label(SEGMENT_LABELS, r["segment"])), money(r["amount_wan"]),
             source_link(page, doc, r["source_line"], sv)] for r in p.operating]), ""]
    if p.procurement:
        out += ["## 政府采购", "", html_table(["品目", "金额（万元）", "类别", "数量", "单位", "单价（万元）", "目录序号", "出处行"], [
            [text(r["item_name"]), money(r["amount_wan"]), text(r["category"]), number(r["quantity"]),
             text(r["quantity_unit"]), money(r["unit_price_wan"]), code(r["catalog_code"]),
             source_link(page, doc, r["source_line"], sv)] for r in p.procurement[:DETAIL_INLINE]], sortable=True), ""]
    if p.assets:
        out += ["## 国有资产", "", html_table(["项目", "价值（万元）", "数量", "所属单位", "截止日期", "出处行"], [
            [text(ASSET_LABELS.get(r["item"], r["item"])), money(r["value_wan"]), number(r["quantity"]), text(r["holder"]),
             text(r["as_of"]), source_link(page, doc, r["source_line"], sv)] for r in p.assets]), ""]
    if p.units:
        out += ["## 机构设置", "", html_table(["单位名称", "性质", "规格", "经费保障形式"], [
            [text(r["unit_name"]), text(r["nature"]), text(r["grade"]), text(r["funding_form"])] for r in p.units[:DETAIL_INLINE]]), ""]
    return out


def document_pages(p: DocumentPage, src: dict[str, str] | None = None, cited: str = "") -> list[Page]:
    """The document page and, under the same path, the detail parts that do not fit on it (all projects,
    indicators, all checks, the smaller tables): see ARTICLE_BUDGET."""
    s, base = p.summary, p.summary.path
    page = Page(f"{base}/index.md", "")
    extra: list[Page] = []
    trail = doc_trail(s)

    def detail(name: str, title: str, body: list[str], search: bool = False) -> str:
        sub = Page(f"{base}/{name}.md", "")
        sub.markdown = front_matter(f"{title}：{s.title}", search_exclude=not search, wide=True) + "\n".join(
            [breadcrumb(sub, trail + [(kind_year(s), base + "/"), (title, "")]), "", f"# {md(title)}", "",
             f"[返回 {md(s.title)}](./index.md)", ""] + body + [""])
        extra.append(sub)
        return f"{name}/"

    tables: dict[str, str] = {}  # the classification tables of this page, each built once

    def table_of(key: str) -> str:
        if key not in tables:
            tables[key] = _classification_table(page, p, key)
        return tables[key]

    def top(moved: set[str]) -> list[str]:
        out = [breadcrumb(page, trail + [(kind_year(s), "")]), ""] + _headline(page, p)
        out += _structure(page, p) + _totals(page, p)
        for key in CLASSIFICATIONS:
            out += _classification(page, p, key, "more/", "") if key in moved else \
                _classification(page, p, key, "", table_of(key) if getattr(p, key) else None)
        return out + _three_public(page, p)

    # each optional part: builders of its lines when it is on this page, and when it has its own page
    # (each built once: a chart's caption, kept with its spec, says where its numbers are, so the chosen
    # form sets its charts again, see _once)
    simple = _simple(page, p)
    parts: dict[str, tuple[Any, Any]] = {}
    if p.projects:
        headers, rows = project_rows(page, p)
        table = html_table(headers, rows, sortable=True, filterable=len(rows) > 10)
        parts["projects"] = (_once(page, lambda: _projects(page, p, "", table)),
                             _once(page, lambda: _projects(page, p, "projects/")))
    rows_of = _IndicatorRows(p)
    groups = indicator_groups(p, rows=rows_of) if p.indicators else []
    tables_of: dict[tuple[str, tuple[int | None, ...]], str] = {}

    def indicators_of(on: Page, seqs: list[int | None]) -> str:
        if (on.path, tuple(seqs)) not in tables_of:
            tables_of[on.path, tuple(seqs)] = indicator_table(on, p, seqs, rows_of)
        return tables_of[on.path, tuple(seqs)]

    # the indicators of one page and all checks as their own pages show them (built when first asked for):
    # for a part of many rows, which seldom fits, a lower bound of its size on this page (see _least)
    checks_page = _once(page, lambda: all_checks(Page(f"{base}/checks.md", ""), p))
    own: dict[str, Callable[[], list[str]]] = {}
    if sum(1 for r in p.checks if r["status"] in ("fail", "rounding")) > BOUND_ROWS:
        own["checks"] = checks_page
    if len(groups) == 1 and sum(len(v) for v in p.indicators.values()) > BOUND_ROWS:
        own["indicators"] = lambda: [indicators_of(Page(f"{base}/indicators.md", ""), groups[0])]
    if groups:
        n = sum(len(v) for v in p.indicators.values())
        said = f'<p data-search-exclude>共 {len(p.indicators)} 组、{n} 项绩效指标。'
        parts["indicators"] = (
            _once(page, lambda: ["## 绩效指标", "", said + "</p>", "", indicators_of(page, groups[0]), ""])
            if len(groups) == 1 else (lambda: []),
            lambda: ["## 绩效指标", "", said + '<a href="indicators/">查看全部绩效指标 →</a></p>', ""])
    if p.checks:
        parts["checks"] = (_once(page, lambda: checks_section(page, p, "", full=True)),
                           _once(page, lambda: checks_section(page, p, "checks/")))
    tail = source_box(page, p, src or {}, cited)
    head = top(set())
    # a document whose own tables pass the budget sends its largest classification tables to more/
    fixed = _size(head) + _size(tail) + _size(simple and _more_stub([])) + sum(_size(b()) for _, b in parts.values())
    moved: set[str] = set()
    if fixed > ARTICLE_BUDGET:
        sizes = {k: _size([table_of(k)]) for k in CLASSIFICATIONS if getattr(p, k)}
        for k in sorted(sizes, key=lambda k: (-sizes[k], k)):
            if fixed <= ARTICLE_BUDGET:
                break
            moved.add(k)
            fixed -= sizes[k]
        head = top(moved)
    if simple or moved:
        titles = [CLASSIFICATIONS[k][0] for k in CLASSIFICATIONS if k in moved] + [x[3:] for x in simple if x.startswith("## ")]
        parts["more"] = ((lambda: simple) if not moved else (lambda: []), lambda: _more_stub(titles))
    stubs = {k: b() for k, (_, b) in parts.items()}
    room = ARTICLE_BUDGET - _size(head) - _size(tail) - sum(_size(x) for x in stubs.values())

    def full(name: str) -> list[str]:
        """A part's lines on this page; none (no inline form) when even a lower bound of their size
        leaves it no room: _fit would not take it in whatever it takes first, and it is not built."""
        if name in own and _least(own[name]()) > room + _size(stubs[name]):
            return []
        return parts[name][0]()
    inline = _fit(_size(head) + _size(tail), {k: (full(k), stubs[k]) for k in parts}, ARTICLE_BUDGET)

    def part(name: str) -> list[str]:
        return parts[name][0 if name in inline else 1]() if name in parts else []

    if "projects" in parts and "projects" not in inline:
        headers, rows = project_rows(Page(f"{base}/projects.md", ""), p)
        detail("projects", "项目明细", [f"共 {len(rows)} 个项目，单位：万元。", "",
                                      html_table(headers, rows, sortable=True, filterable=len(rows) > 10)])
    if "indicators" in parts and "indicators" not in inline:
        names = ["indicators"] + [f"indicators-{i}" for i in range(2, len(groups) + 1)]
        for i, (name, seqs) in enumerate(zip(names, groups, strict=True)):
            pager = ('<nav class="pager" aria-label="分页">' + " ".join(
                f'<a href="../{n}/"' + (' aria-current="page"' if j == i else "") + f">{j + 1}</a>"
                for j, n in enumerate(names)) + "</nav>") if len(names) > 1 else ""
            jump = ('<nav class="pager" aria-label="本页项目">项目：' + " ".join(
                f'<a href="#ind-{"unit" if q is None else q}">{"整体" if q is None else q}</a>' for q in seqs)
                + "</nav>") if len(seqs) >= 5 else ""  # the projects of the page, by number (the table heads each)
            detail(name, "绩效指标" + (f"（第 {i + 1} 页）" if i else ""),
                   [pager, "", jump, ""] + [indicators_of(Page(f"{base}/{name}.md", ""), seqs), ""])
    if "more" in parts and "more" not in inline:
        sub = Page(f"{base}/more.md", "")
        detail("more", "其他明细", [x for k in CLASSIFICATIONS if k in moved for x in (
            f"## {CLASSIFICATIONS[k][0]} {{#{k}}}", "", _classification_table(sub, p, k), "")] + _simple(sub, p))
    if "checks" in parts and "checks" not in inline:
        detail("checks", "全部核对", checks_page())
    out = head + part("projects") + part("indicators") + part("more")
    out += (part("checks") if p.checks else checks_section(page, p, "")) + tail
    page.markdown = front_matter(s.title, wide=True) + "\n".join(with_contents(out, INDEXED))
    return [page, *extra]


def _once(page: Page, build: Callable[[], list[str]]) -> Callable[[], list[str]]:
    """build, run once: every call returns its lines and sets again the charts it set on page (a part's
    two forms set the same chart names with different captions; the form called last is the one shown)."""
    memo: list[tuple[list[str], dict[str, dict]]] = []

    def get() -> list[str]:
        if not memo:
            before = dict(page.charts)
            lines = build()
            memo.append((lines, {k: v for k, v in page.charts.items() if before.get(k) is not v}))
        lines, charts = memo[0]
        page.charts.update(charts)
        return lines
    return get


def _more_stub(titles: list[str]) -> list[str]:
    return ["## 其他明细", "", f'<p data-search-exclude>{h("、".join(titles))}：<a href="more/">查看其他明细 →</a></p>', ""]


def _size(lines: list[str]) -> int:
    return sum(len(x.encode()) + 1 for x in lines)


def _least(lines: list[str]) -> int:
    """A lower bound of the size of a part on the document page, from the part as its own page (one
    folder below) shows it: the two differ only in their links, and each link from the document page is
    as long as from its own page (an absolute URL) or "../" shorter (a source line, a downloaded file)."""
    return _size(lines) - 3 * sum(x.count('href="') for x in lines)


def _fit(used: int, parts: dict[str, tuple[list[str], list[str]]], budget: int = ARTICLE_BUDGET) -> set[str]:
    """The parts the document page takes in: smallest first (each saves a page), while the page stays
    within budget. A part without an inline form (empty lines) always has its own page."""
    used += sum(_size(stub) for _, stub in parts.values())
    out: set[str] = set()
    for name, (full, stub) in sorted(parts.items(), key=lambda kv: (_size(kv[1][0]) - _size(kv[1][1]), kv[0])):
        grow = _size(full) - _size(stub)
        if full and used + grow <= budget:
            out.add(name)
            used += grow
    return out
