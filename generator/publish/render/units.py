"""Unit index, unit pages (documents over the years, budget against 决算), 三公 by unit × year, glossary."""

from __future__ import annotations

from typing import Any

from ...labels import DOC_KIND_LABELS, GLOSSARY, METRIC_LABELS, THREE_PUBLIC_LABELS, label
from ..pages import DocSummary
from ..units import Figure, ThreePublicCell, Unit
from . import charts as ch
from .md import (
    Cell,
    Page,
    chart_block,
    chunked,
    fmt_wan,
    front_matter,
    glossary_link,
    h,
    html_table,
    list_page_path,
    md,
    money,
    number,
    pager,
    rel,
    source_href,
    text,
    with_contents,
    year,
)
from .provenance import breadcrumb

SERIES = ("expenditure_total", "basic_expenditure", "project_expenditure")


def doc_href(page: Page, d: DocSummary) -> str:
    return rel(page, d.path + "/")


def fig_cell(page: Page, f: Figure | None) -> Cell:
    """An amount linked to its source line (or, without one, to its document page)."""
    if f is None or f.amount is None:
        return Cell("—", num=True)
    href = source_href(page, f.doc.path, f.line, f.doc.view) or doc_href(page, f.doc)
    return Cell(fmt_wan(f.amount), href=href, num=True)  # the table script sorts by the number shown (all its digits)


def _kind(d: DocSummary) -> str:
    return label(DOC_KIND_LABELS, d.doc_kind) or "文档"


def unit_index(all_units: list[Unit]) -> Page:
    page = Page("units/index.md", "")
    out = [front_matter("单位"), breadcrumb(page, [("首页", ""), ("单位", "")]), "", "# 单位", "",
           f"共 {len(all_units)} 个单位、{sum(len(u.docs) for u in all_units)} 份文档，按地区和层级排列。"
           "只有一份文档的单位直接链接到该文档页。用下拉框按年度和文档类型筛选。", ""]
    rows = []
    for u in sorted(all_units, key=lambda u: (u.region or "～", u.level, u.name)):
        kinds = sorted({_kind(d) for d in u.docs})
        rows.append([text(u.name, href="../" * page.depth + u.href), text(u.region or "未识别地区"), text(u.level),
                     text("、".join(str(y) for y in u.years)), text("、".join(kinds)), number(len(u.docs)),
                     number(sum(d.fails for d in u.docs))])
    out.append(html_table(["单位", "地区", "层级", "年度", "文档类型", "文档数", "数字不符"], rows, sortable=True,
                          filterable=len(rows) > 10, facets=(1, 2, 3, 4)))
    page.markdown = "\n".join(out + [""])
    return page


def _series_chart(page: Page, u: Unit) -> list[str]:
    rows: list[dict[str, Any]] = []
    for d in u.docs:
        for m in SERIES:
            f = u.totals.get(d.doc_id, {}).get(m)
            if f and f.amount is not None and d.year:
                rows.append({"label": f"{d.year}年{_kind(d)}", "group": METRIC_LABELS[m], "value": f.amount})
    spec = ch.grouped(rows, "各年度收支（万元）")
    if not spec:
        return []
    table = html_table(["年度与文档", "指标", "金额（万元）"], [[text(r["label"]), text(r["group"]), money(r["value"])] for r in rows])
    return [chart_block(page, "series", spec, "各年度支出总计、基本支出和项目支出（万元；每份文档各自的数字，不跨文档相加）", table), ""]


def _docs_table(page: Page, u: Unit) -> list[str]:
    headers = ["文档", "年度", "类型"] + [f"{METRIC_LABELS[m]}（万元）" for m in SERIES] + ["“三公”合计（万元）", "数字不符", "质量提示"]
    rows = [[text(d.title, href=doc_href(page, d)), year(d.year), text(_kind(d))]
            + [fig_cell(page, u.totals.get(d.doc_id, {}).get(m)) for m in SERIES]
            + [fig_cell(page, u.three_public.get(d.doc_id, {}).get("total")), number(d.fails), number(d.flags)]
            for d in u.docs]
    return ["## 全部文档", "", html_table(headers, rows, sortable=True), ""]


def _functions(page: Page, u: Unit) -> list[str]:
    docs = [d for d in u.docs if u.functions.get(d.doc_id)]
    if not docs:
        return []
    names: dict[str, str] = {}
    for d in docs:
        for r in u.functions[d.doc_id]:
            names.setdefault(r["code"], r["name"] or r["code"])
    cells: dict[tuple[str, str], Figure] = {(d.doc_id, r["code"]): Figure(r["total_wan"], d, r["source_line"])
                                            for d in docs for r in u.functions[d.doc_id]}
    rows = [[text(f"{c} {names[c]}")] + [fig_cell(page, cells.get((d.doc_id, c))) for d in docs] for c in sorted(names)]
    return ["## 支出功能分类（类级）", "", html_table(["科目"] + [f"{d.year}年{_kind(d)}（万元）" for d in docs], rows,
                                                  caption="各文档的类级科目合计，单位：万元"), ""]


def _executions(page: Page, u: Unit) -> list[str]:
    if not u.executions:
        return []
    out = ["## 预算与决算对比 {#execution}", "",
           f'<p class="note">{glossary_link(page, "执行率")} = 决算数 ÷ 预算数。预算数取自当年{glossary_link(page, "部门预算")}'
           f"（年初预算），决算数取自当年{glossary_link(page, '部门决算')}；每个数字都链接到它在原文中的出处。</p>", ""]
    for e in u.executions:
        rows = [[text(r.label), fig_cell(page, r.budget), fig_cell(page, r.final),
                 Cell("—" if r.rate is None else f"{r.rate:.1f}%", sort="" if r.rate is None else format(r.rate, ".4f"), num=True)]
                for r in e.rows]
        out += [f"### {e.year}年", "", f'预算：<a href="{h(doc_href(page, e.budget))}">{h(e.budget.title)}</a>；'
                f'决算：<a href="{h(doc_href(page, e.final))}">{h(e.final.title)}</a>', "",
                html_table(["项目", "预算数（万元）", "决算数（万元）", "执行率"], rows), ""]
        bars = [{"label": r.label, "group": g, "value": f.amount} for r in e.rows[:5]
                for g, f in (("预算数", r.budget), ("决算数", r.final)) if f is not None]
        spec = ch.grouped(bars, f"{e.year}年预算数与决算数（万元）")
        if spec:
            out += [chart_block(page, f"execution_{e.year}", spec, f"{e.year}年预算数与决算数对比（万元），数字见上表", ""), ""]
    return out


def unit_page(u: Unit) -> Page:
    """The unit's page; for a unit of one document, a slim page redirecting to the document page, which
    shows all the unit page would (its facts, figures and checks) at a full page's cost less."""
    page = Page(f"{u.slug}/index.md", "")
    if u.redirects:
        d = u.docs[0]
        href = doc_href(page, d)
        page.markdown = front_matter(u.name, redirect=href) + (
            f'<p>本站收录的{h(u.name)}文档只有一份，正在转到：<a href="{h(href)}">{h(d.title)}</a></p>\n')
        return page
    years = u.years
    span = f"{years[0]}–{years[-1]}年" if len(years) > 1 else (f"{years[0]}年" if years else "")
    out = [front_matter(u.name, wide=True), breadcrumb(page, [("首页", ""), ("单位", "units/"), (u.name, "")]), "",
           f"# {md(u.name)}", "",
           f'<p class="doc-facts">地区：{h(u.region or "未识别")}　层级：{h(u.level)}　文档：{len(u.docs)} 份　年度：{h(span or "—")}</p>', ""]
    out += _executions(page, u) + _series_chart(page, u) + _docs_table(page, u) + _functions(page, u)
    page.markdown = "\n".join(with_contents(out))
    return page


CHART_UNITS = 30  # units drawn in a cross-unit chart: the largest; every unit is in the table


def three_public_compare(all_units: list[Unit], cells: dict[tuple[str, int], dict[str, ThreePublicCell]]) -> list[Page]:
    """Units × years. The year's own figure first; the figure the next year's document prints as 上年数 beside it.
    LIST_ROWS unit-years a page (compare/three-public/, compare/three-public-2/ …)."""
    base = "compare/three-public"
    names = {u.key: u for u in all_units}
    cats = [c for c in THREE_PUBLIC_LABELS if any(c in v for v in cells.values())]
    ordered = sorted(cells.items(), key=lambda kv: (names[kv[0][0]].name, kv[0][1]))
    chunks = chunked(ordered)
    pages = []
    for n, chunk in enumerate(chunks, 1):
        page = Page(list_page_path(base, n), "")
        title = "“三公”经费比较" + ("" if n == 1 else f"（第 {n} 页）")
        out = [front_matter(title), breadcrumb(page, [("首页", ""), ("“三公”经费比较", "")]), "",
               "# “三公”经费比较：单位 × 年度", "",
               f'<p class="note">{glossary_link(page, "三公经费")}按单位和年度排列，单位：万元。“本年数”取自该年度本单位的文档；'
               "“上年数”是下一年度文档中列出的上年数字（可能是预算数或执行数），两者不一定相同。合计与分项不可相加，不同单位、不同年度之间也不相加。"
               f"“—”表示文档未列出该项。每个数字链接到它在原文中的出处。共 {len(ordered)} 个单位年度。</p>", ""]
        if n == 1:
            out += _three_public_chart(page, names, cells)
        out += [pager(page, base, n, len(chunks)), ""]
        headers = ["单位", "年度"] + [f"{THREE_PUBLIC_LABELS[c]}（本年数）" for c in cats] + ["合计（下一年文档所列上年数）"]
        rows = []
        for (k, y), v in chunk:
            row = [text(names[k].name, href="../" * page.depth + names[k].href), year(y)]
            row += [fig_cell(page, v[c].current if c in v else None) for c in cats]
            row.append(fig_cell(page, v["total"].prior if "total" in v else None))
            rows.append(row)
        out.append(html_table(headers, rows, sortable=True, filterable=len(rows) > 10))
        page.markdown = "\n".join(out + [""])
        pages.append(page)
    return pages


def _three_public_chart(page: Page, names: dict[str, Unit], cells: dict[tuple[str, int], dict[str, ThreePublicCell]]) -> list[str]:
    """Totals by unit and year, for the CHART_UNITS units with the largest total in any year."""
    bars: list[dict[str, Any]] = [
        {"label": names[k].name, "group": f"{y}年", "value": v["total"].current.amount}
        for (k, y), v in cells.items() if "total" in v and v["total"].current and v["total"].current.amount is not None]
    top: dict[str, Any] = {}
    for b in bars:
        top[b["label"]] = max(top.get(b["label"], b["value"]), b["value"])
    keep = set(sorted(top, key=lambda u: (-top[u], u))[:CHART_UNITS])
    spec = ch.grouped([b for b in bars if b["label"] in keep], "各单位“三公”经费合计，按年度（本年数，万元）")
    if not spec:
        return []
    which = f"合计最多的 {len(keep)} 个单位" if len(top) > len(keep) else "各单位"
    return [chart_block(page, "totals", spec, f"{which}“三公”经费合计，按年度（各文档本年数，万元），数字见下表", ""), ""]


def glossary() -> Page:
    page = Page("glossary.md", "")
    out = [front_matter("名词解释"), "# 名词解释", "", "本站页面中用到的预算术语。", ""]
    for term, anchor, text_ in GLOSSARY:
        out += [f"## {md(term)} {{#{anchor}}}", "", md(text_), ""]
    page.markdown = "\n".join(out)
    return page
