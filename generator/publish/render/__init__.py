"""Page models -> Markdown + chart specs for the home, index, cross-document, quality and data pages.

Knows nothing about DuckDB: it only reads the dataclasses from `pages`. Document pages: render_doc.
"""

from __future__ import annotations

from typing import Any

from ... import contract
from ...labels import DOC_KIND_LABELS, THREE_PUBLIC_LABELS
from ..pages import (
    CrossPage,
    DocSummary,
    DownloadsPage,
    HomePage,
    QualityPage,
    ScorecardPage,
)
from . import charts as ch
from .doc import STATUS_MARK, document_page, source_page  # noqa: F401  (re-exported)
from .md import (
    Cell,
    Page,
    chart_block,
    code,
    fmt_bytes,
    fmt_wan,
    h,
    html_table,
    md,
    money,
    number,
    prose,
    raw_href,
    text,
)

TYPE_LABELS = {"str": "文本", "int": "整数", "dec": "小数（DECIMAL(20,6)）", "bool": "布尔", "date": "日期"}


def _doc_href(page: Page, doc_id: str) -> str:
    return "../" * page.depth + f"generated/docs/{doc_id}/"


def _doc_table(page: Page, docs: list[DocSummary]) -> str:
    return html_table(["文档", "单位", "年度", "类型", "支出总计（万元）", "项目数", "解析问题"], [
        [text(d.title, href=_doc_href(page, d.doc_id)), text(d.unit_name), text(d.year),
         text(DOC_KIND_LABELS.get(d.doc_kind or "", d.doc_kind)), money(d.total), number(d.projects), number(d.warnings)]
        for d in docs], sortable=True, filterable=len(docs) > 10)


def home(m: HomePage) -> Page:
    page = Page("home.md", "", url_depth=0)
    years = (f"{m.years[0]}–{m.years[-1]}" if len(m.years) > 2 else "、".join(str(y) for y in m.years)) or "—"
    kpis = [("文档", str(m.documents), "份"), ("单位", str(m.units), "个"), ("年度", years, ""),
            ("预算支出合计（各文档之和）", fmt_wan(m.total_budget), "万元")]
    out = ["## 数据概览", "",
           '<div class="kpis">' + "".join(f'<div class="kpi"><span class="kpi-label">{h(a)}</span>'
                                          f'<span class="kpi-value">{h(b)}</span><span class="kpi-unit">{h(c)}</span></div>'
                                          for a, b, c in kpis) + "</div>", ""]
    ranked = sorted(m.docs, key=lambda d: (-(d.total or 0), d.title))
    bars: list[dict[str, Any]] = [{"label": d.title, "value": d.total} for d in ranked]
    spec = ch.hbar(bars, "label", "value", "各文档预算支出总计（万元）")
    if spec:
        out += [chart_block(page, "totals", spec, "各文档预算支出总计（万元）", html_table(
            ["文档", "支出总计（万元）"], [[text(b["label"]), money(b["value"])] for b in bars])), ""]
    out += ["## 全部文档", "", _doc_table(page, m.docs), ""]
    page.markdown = "\n".join(out)
    return page


def docs_index(docs: list[DocSummary]) -> Page:
    page = Page("docs/index.md", "")
    page.markdown = "\n".join(["# 文档", "", f"共 {len(docs)} 份预算公开文档。点击标题查看图表、明细表和原文。", "",
                               _doc_table(page, docs), ""])
    return page


def three_public(m: CrossPage) -> Page:
    page = Page("compare/three-public.md", "")
    out = ["# “三公”经费比较", "", "各文档公开的“三公”经费（含文中给出的上年数），单位：万元。", ""]
    rows = [{"label": m.titles.get(r["doc_id"], r["doc_id"]), "group": f"{r['fiscal_year']}年", "value": r["amount_wan"]}
            for r in m.rows if r["category"] == "total"]
    spec = ch.grouped(rows, "“三公”经费合计（万元）")
    cats = [c for c in THREE_PUBLIC_LABELS if any(r["category"] == c for r in m.rows)]
    pivot: dict[tuple[str, int], dict[str, Any]] = {}
    for r in m.rows:
        pivot.setdefault((r["doc_id"], r["fiscal_year"]), {})[r["category"]] = r["amount_wan"]
    table = html_table(["文档", "年度"] + [f"{THREE_PUBLIC_LABELS[c]}（万元）" for c in cats], [
        [text(m.titles.get(d, d), href=_doc_href(page, d)), text(y)] + [money(v.get(c)) for c in cats]
        for (d, y), v in pivot.items()], sortable=True, filterable=len(pivot) > 10)
    if spec:
        out += [chart_block(page, "totals", spec, "各文档“三公”经费合计，按年度（万元）", html_table(
            ["文档", "年度", "合计（万元）"], [[text(r["label"]), text(r["group"]), money(r["value"])] for r in rows])), ""]
    page.markdown = "\n".join(out + [table, ""])
    return page


def projects(m: CrossPage) -> Page:
    page = Page("compare/projects.md", "")
    out = ["# 全部项目", "", f"所有文档的 {len(m.rows)} 个项目，按预算从高到低排列。点击表头排序，在输入框中筛选。", ""]
    out.append(html_table(["文档", "序号", "项目名称", "预算（万元）", "财政资金（万元）", "其他资金（万元）", "12月累计%"], [
        [text(m.titles.get(r["doc_id"], r["doc_id"]), href=_doc_href(page, r["doc_id"])), number(r["project_seq"]),
         prose(r["project_name"]), money(r["budget_wan"]), money(r["fiscal_wan"]), money(r["other_wan"]),
         number(r["plan_q4_pct"])] for r in m.rows], sortable=True, filterable=True))
    page.markdown = "\n".join(out + [""])
    return page


def procurement(m: CrossPage) -> Page:
    page = Page("compare/procurement.md", "")
    out = ["# 政府采购", "", "各文档政府采购预算，按类别（货物、服务、工程）汇总，单位：万元。", ""]
    rows = [{"label": r["category"], "group": m.titles.get(r["doc_id"], r["doc_id"]), "value": r["amount_wan"]}
            for r in m.rows]
    spec = ch.grouped(rows, "政府采购按类别（万元）")
    summary = html_table(["文档", "类别", "条数", "金额（万元）"], [
        [text(m.titles.get(r["doc_id"], r["doc_id"]), href=_doc_href(page, r["doc_id"])), text(r["category"]),
         number(r["n"]), money(r["amount_wan"])] for r in m.rows], sortable=True)
    if spec:
        out += [chart_block(page, "by_category", spec, "各文档政府采购金额，按类别（万元）", summary), ""]
    out += ["## 汇总", "", summary, "", "## 全部采购明细", "", html_table(
        ["文档", "品目", "类别", "数量", "单位", "金额（万元）"], [
            [text(m.titles.get(r["doc_id"], r["doc_id"]), href=_doc_href(page, r["doc_id"])), text(r["item_name"]),
             text(r["category"]), number(r["quantity"]), text(r["quantity_unit"]), money(r["amount_wan"])]
            for r in m.extra], sortable=True, filterable=True), ""]
    page.markdown = "\n".join(out)
    return page


def quality(m: QualityPage) -> Page:
    page = Page("quality/index.md", "")
    out = ["# 数据质量", "", "每份文档都经过算术和完整性核对（如各分项之和是否等于合计）。"
           "下列为所有未通过的核对，以及读取、解析时发现的全部问题。", "", "## 核对结果统计", ""]
    statuses = list(STATUS_MARK)
    by_doc: dict[str, dict[str, int]] = {}
    for r in m.counts:
        by_doc.setdefault(r["doc_id"], {})[r["status"]] = int(r["n"])
    out += [html_table(["文档"] + [STATUS_MARK[s] for s in statuses], [
        [text(m.titles.get(d, d), href=_doc_href(page, d))] + [number(c.get(s, 0)) for s in statuses]
        for d, c in by_doc.items()], sortable=True), ""]
    out += [f"## 未通过的核对（{len(m.failed)}）", ""]
    if not m.failed:
        out += ["没有未通过的核对。", ""]
    for d in sorted({r["doc_id"] for r in m.failed}):
        rows = [r for r in m.failed if r["doc_id"] == d]
        out += [f"### {md(m.titles.get(d, d))}（{len(rows)}）", "",
                f'<p><a href="{h(_doc_href(page, d))}#checks">在文档页查看全部核对 →</a></p>', "",
                html_table(["检查", "应有值（万元）", "实际值（万元）", "说明", "出处行"], [
                    [code(r["check_id"]), money(r["expected_wan"]), money(r["actual_wan"]), prose(r["message"]),
                     text(r["source_line"])] for r in rows], sortable=True), ""]
    out += [f"## 读取和解析问题（{len(m.issues)}）", "", "无法读取或无法识别的文件、编码回退和解析警告，按文件列出。", "",
            html_table(["文件", "文档", "代码", "级别", "位置", "说明"], [
                [code(r["source_file"]), text(r["doc_id"], href=_doc_href(page, r["doc_id"]) if r["doc_id"] else ""),
                 code(r["code"]), text(r["severity"]), code(r["where"]), prose(r["message"])] for r in m.issues],
                sortable=True, filterable=True), ""]
    page.markdown = "\n".join(out)
    return page


def scorecard(m: ScorecardPage) -> Page:
    """One table per kind of document: a budget disclosure and a 绩效目标文本 are held to different lists."""
    page = Page("quality/scorecard.md", "")
    out = ["# 公开完整度", "", "按《地方预决算公开操作规程》等要求应公开的内容，各文档是否公开（✔ 已公开，✘ 未找到）。"
           "预算公开文件与绩效目标文本应公开的内容不同，分表列示。", ""]
    groups = [("部门预算、单位预算", [d for d in m.docs if d.doc_kind != "performance"]),
              ("绩效目标文本", [d for d in m.docs if d.doc_kind == "performance"])]
    for title, docs in groups:
        ids = {d.doc_id for d in docs}
        items = sorted({it for (doc, it) in m.present if doc in ids})
        if not docs or not items:
            continue
        rows = []
        for d in docs:
            marks = [m.present.get((d.doc_id, it)) for it in items]
            got = sum(1 for x in marks if x)
            rows.append([text(d.title, href=_doc_href(page, d.doc_id)), Cell(f"{got}/{len(items)}", sort=str(got), num=True)]
                        + [Cell("✔" if x else ("✘" if x is False else "—")) for x in marks])
        out += [f"## {title}", "", html_table(["文档", "完整度"] + items, rows, sortable=True), ""]
    if len(out) == 4:
        out.append("暂无公开要素数据。")
    page.markdown = "\n".join(out + [""])
    return page


def downloads(m: DownloadsPage) -> Page:
    page = Page("data/downloads.md", "")
    root = "../" * page.depth + "downloads/"
    out = ["# 数据下载", "", "全部数据以开放格式提供：每张表一个 Parquet 文件和一个 CSV 文件（UTF-8，带 BOM，Excel 可直接打开）。"
           "金额单位为万元，精确小数。各列含义见[数据字典](dictionary.md)。", "",
           f'<p class="dl-all"><a href="{h(root)}budget.duckdb" download>整个数据集（DuckDB 数据库，'
           f'{h(fmt_bytes(m.database_bytes))}）</a>　<a href="{h(root)}datapackage.json">datapackage.json（Frictionless 数据包）</a></p>', ""]
    out.append(html_table(["表", "说明", "行数", "Parquet", "CSV"], [
        [text(f"{t.title}（{t.name}）"), text(t.doc), number(t.rows),
         Cell(fmt_bytes(t.parquet_bytes), href=f"{root}tables/{t.name}.parquet"),
         Cell(fmt_bytes(t.csv_bytes), href=f"{root}tables/{t.name}.csv")] for t in m.tables]))
    out += ["", "## 原始文件", "", html_table(["文件", "文档", "SHA-256", "大小"], [
        [Cell(r["source_file"], href=raw_href(f"{root}raw/", r["source_file"])), text(r["doc_id"]), code(r["source_sha256"]),
         number(r["source_size"])] for r in m.raw_files]), "",
        "## 用 DuckDB 查询", "", "```sql", "-- duckdb budget.duckdb",
        "SELECT doc_id, metric, amount_wan FROM budget_totals ORDER BY doc_id, metric;", "```", ""]
    page.markdown = "\n".join(out)
    return page


def dictionary() -> Page:
    page = Page("data/dictionary.md", "")
    out = ["# 数据字典", "", "由数据契约（`generator/contract.py`）自动生成。标注“扩展”的列是在共享契约之外新增的列。", "",
           md(contract.CSV_SAFETY_ZH), ""]
    for t in contract.TABLES:
        out += [f"## {md(t.title)}（{md(t.name)}）", "", md(t.doc), "", f"主键：{md(', '.join(t.key))}", "",
                html_table(["列", "类型", "单位", "含义"], [
                    [text(c.name), text(TYPE_LABELS.get(c.type, c.type)), text(c.unit),
                     text(c.doc + ("（扩展）" if c.ext else ""))] for c in t.columns]), ""]
    page.markdown = "\n".join(out)
    return page
