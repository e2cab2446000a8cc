"""Page models -> Markdown + chart specs for the home, index, cross-document, quality and data pages.

Knows nothing about DuckDB: it only reads the dataclasses from `pages` and `units`. Document pages: doc;
unit pages: units.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ... import contract
from ...labels import (
    CHECK_GROUP_LABELS,
    DOC_KIND_LABELS,
    ISSUE_LABELS,
    SEVERITY_LABELS,
    TYPE_LABELS,
    check_group,
    check_name,
    label,
)
from ..pages import CrossPage, DocSummary, DownloadsPage, HomePage, QualityPage, ScorecardPage
from . import charts as ch
from .doc import document_pages, project_year  # noqa: F401  (re-exported)
from .md import (
    LIST_ROWS,
    Cell,
    Page,
    chart_block,
    chunked,
    code,
    diff_cell,
    fmt_bytes,
    front_matter,
    h,
    html_table,
    list_page_path,
    md,
    money,
    number,
    pager,
    prose,
    raw_href,
    source_link,
    text,
    year,
)
from .provenance import STATUS_MARK, breadcrumb, source_page  # noqa: F401  (re-exported)
from .units import CHART_UNITS, glossary, three_public_compare, unit_index, unit_page  # noqa: F401  (re-exported)

DOCS_PER_PAGE = 100  # rows of the document list per page
QUALITY_ROWS = 100  # number mismatches (largest 差额 first) and parse issues listed on the quality page


def _doc_href(page: Page, d: DocSummary | None, doc_id: str = "") -> str:
    return "../" * page.depth + (d.path + "/" if d else "")


def _doc_cell(page: Page, docs: dict[str, DocSummary], doc_id: str | None, anchor: str = "") -> Cell:
    d = docs.get(doc_id or "")
    return text(d.title if d else (doc_id or ""), href=_doc_href(page, d) + anchor if d else "")


def _doc_table(page: Page, docs: list[DocSummary]) -> str:
    return html_table(["文档", "单位", "年度", "类型", "支出总计（万元）", "项目数", "数字不符", "质量提示", "解析问题"], [
        [text(d.title, href=_doc_href(page, d)), text(d.unit_name), year(d.year),
         text(label(DOC_KIND_LABELS, d.doc_kind)), money(d.total), number(d.projects), number(d.fails), number(d.flags),
         number(d.warnings)] for d in docs], sortable=True, filterable=len(docs) > 10, facets=(2, 3))


def home(m: HomePage) -> Page:
    page = Page("home.md", "", url_depth=0)
    years = (f"{m.years[0]}–{m.years[-1]}" if len(m.years) > 2 else "、".join(str(y) for y in m.years)) or "—"
    kpis = [("文档", str(m.documents), "份"), ("单位", str(m.units), "个"), ("年度", years, "")]
    out = ["## 数据概览", "",
           '<div class="kpis">' + "".join(f'<div class="kpi"><span class="kpi-label">{h(a)}</span>'
                                          f'<span class="kpi-value">{h(b)}</span><span class="kpi-unit">{h(c)}</span></div>'
                                          for a, b, c in kpis) + "</div>", ""]
    counts: dict[tuple[str, str], int] = {}
    for d in m.docs:
        k = (f"{d.year}年" if d.year else "年度未识别", label(DOC_KIND_LABELS, d.doc_kind) or "其他")
        counts[k] = counts.get(k, 0) + 1
    bars: list[dict[str, Any]] = [{"label": y, "group": k, "value": n} for (y, k), n in sorted(counts.items())]
    spec = ch.grouped(bars, "各年度文档数，按类型（份）", x_title="文档数（份）", x_format="d")
    if spec:
        out += [chart_block(page, "counts", spec, "各年度公开文档数，按文档类型（份）", html_table(
            ["年度", "类型", "文档数"], [[text(b["label"]), text(b["group"]), number(b["value"])] for b in bars])), ""]
    out += ["## 最近的文档", "", _doc_table(page, sorted(m.docs, key=lambda d: (-(d.year or 0), d.title))[:20]), "",
            f"全部 {m.documents} 份文档见[文档列表](generated/docs/index.md)，按单位浏览见[单位](generated/units/index.md)。", ""]
    page.markdown = "\n".join(out)
    return page


def docs_index(docs: list[DocSummary]) -> list[Page]:
    """The document list, DOCS_PER_PAGE rows a page (docs/, docs/2/ …)."""
    chunks = [docs[i:i + DOCS_PER_PAGE] for i in range(0, len(docs), DOCS_PER_PAGE)] or [[]]
    out = []
    for n, chunk in enumerate(chunks, 1):
        page = Page("docs/index.md" if n == 1 else f"docs/{n}.md", "")
        nav = " ".join(f'<a href="{"../" * page.depth}docs/{"" if i == 1 else f"{i}/"}"'
                       + (' aria-current="page"' if i == n else "") + f">{i}</a>" for i in range(1, len(chunks) + 1))
        page.markdown = "\n".join([front_matter("文档" if n == 1 else f"文档（第 {n} 页）"),
                                   breadcrumb(page, [("首页", ""), ("文档", "")]), "", "# 文档", "",
                                   f"共 {len(docs)} 份公开文档。点击标题查看图表、明细表和原文。", "",
                                   f'<nav class="pager" aria-label="分页">{nav}</nav>' if len(chunks) > 1 else "", "",
                                   _doc_table(page, chunk), ""])
        out.append(page)
    return out


def projects(m: CrossPage) -> Page:
    page = Page("compare/projects.md", "")
    capped = f"（预算最多的前 {len(m.rows)} 个，全部见[下载](../data/downloads.md)）" if m.total_rows > len(m.rows) else ""
    out = [front_matter("全部项目"), breadcrumb(page, [("首页", ""), ("全部项目", "")]), "", "# 全部项目", "",
           f"所有文档共 {m.total_rows or len(m.rows)} 个项目{capped}，按预算从高到低排列。项目属于各自文档的年度；"
           "结转项目在不同年度的文档中会重复出现。", ""]
    out.append(html_table(["项目名称", "预算（万元）", "单位", "年度", "财政资金（万元）", "其他资金（万元）", "序号", "出处行"], [
        [prose((r["project_name"] or "") + project_year(r, m.docs[r["doc_id"]].year if r["doc_id"] in m.docs else None)),
         money(r["budget_wan"]), _doc_cell(page, m.docs, r["doc_id"]),
         year(m.docs[r["doc_id"]].year if r["doc_id"] in m.docs else None), money(r["fiscal_wan"]), money(r["other_wan"]),
         number(r["project_seq"]), _src(page, m.docs, r)] for r in m.rows], sortable=True, filterable=True, facets=(3,)))
    page.markdown = "\n".join(out + [""])
    return page


def _src(page: Page, docs: dict[str, DocSummary], r: dict) -> Cell:
    d = docs.get(r["doc_id"])
    return source_link(page, d.path, r["source_line"], d.view) if d else text(r["source_line"])


def procurement(m: CrossPage) -> Page:
    page = Page("compare/procurement.md", "")
    out = [front_matter("政府采购"), breadcrumb(page, [("首页", ""), ("政府采购", "")]), "", "# 政府采购", "",
           "各文档政府采购预算，按类别（货物、服务、工程）汇总，单位：万元。不同文档之间不相加。", ""]
    totals: dict[str, Decimal] = {}
    for r in m.rows:
        totals[r["doc_id"]] = totals.get(r["doc_id"], Decimal(0)) + (r["amount_wan"] or 0)
    # the chart draws the CHART_UNITS documents buying most, the table the LIST_ROWS largest rows
    drawn = set(sorted(totals, key=lambda d: (-totals[d], str(d)))[:CHART_UNITS])
    rows = [{"label": r["category"], "group": m.docs[r["doc_id"]].title if r["doc_id"] in m.docs else r["doc_id"],
             "value": r["amount_wan"]} for r in m.rows if r["doc_id"] in drawn]
    spec = ch.grouped(rows, "政府采购按类别（万元）")
    listed = m.rows if len(m.rows) <= LIST_ROWS else \
        sorted(m.rows, key=lambda r: (-(r["amount_wan"] or 0), str(r["doc_id"]), str(r["category"])))[:LIST_ROWS]
    summary = html_table(["文档", "类别", "条数", "金额（万元）"], [
        [_doc_cell(page, m.docs, r["doc_id"]), text(r["category"]), number(r["n"]), money(r["amount_wan"])] for r in listed],
        sortable=True, filterable=len(listed) > 10)
    if spec:
        which = f"采购金额最多的 {len(drawn)} 份文档" if len(totals) > len(drawn) else "各文档"
        out += [chart_block(page, "by_category", spec, f"{which}政府采购金额，按类别（万元）", summary), ""]
    capped = f"（金额最大的 {len(m.extra)} 条，全部见下载）" if m.total_rows > len(m.extra) else ""
    out += ["## 汇总", "", f"金额最大的 {len(listed)} 行（共 {len(m.rows)} 行，全部见下载的 procurement 表）。" if len(listed) < len(m.rows)
            else "", "", summary, "", f"## 采购明细{capped}", "", html_table(
        ["品目", "金额（万元）", "文档", "类别", "数量", "单位", "出处行"], [
            [text(r["item_name"]), money(r["amount_wan"]), _doc_cell(page, m.docs, r["doc_id"]), text(r["category"]),
             number(r["quantity"]), text(r["quantity_unit"]), _src(page, m.docs, r)]
            for r in m.extra], sortable=True, filterable=True), ""]
    page.markdown = "\n".join(out)
    return page


def quality(m: QualityPage) -> Page:
    page = Page("quality/index.md", "")
    out = [front_matter("数据质量"), breadcrumb(page, [("首页", ""), ("数据质量", "")]), "", "# 数据质量", "",
           "每份文档都经过算术和完整性核对。**数字不符**是原文中本应相等的两个数字不相等（有差额，按差额大小排列）；"
           "**指标与文字质量**提示的是绩效指标雷同、缺少计量单位等问题，不涉及金额。", ""]
    numbers = [r for r in m.failed if check_group(r["check_id"]) == "number"]
    flags = [r for r in m.failed if check_group(r["check_id"]) != "number" and r["status"] == "fail"]
    n_fail = sum(1 for r in numbers if r["status"] == "fail")
    out += [f'<p>各文档的不符项数见<a href="{"../" * page.depth}docs/">文档列表</a>（“数字不符”“质量提示”两列），'
            "每份文档的核对见其页面的“数据核对”部分（核对多的文档另有“全部核对”页，从该部分链接）；"
            "全部核对结果可在数据下载中取得（checks 表）。</p>", ""]
    numbers.sort(key=lambda r: (-abs((r["actual_wan"] or 0) - (r["expected_wan"] or 0)), r["doc_id"], r["check_id"]))
    shown = numbers[:QUALITY_ROWS]
    more = f"，此处列出差额最大的 {len(shown)} 项" if len(numbers) > len(shown) else ""
    out += [f"## {CHECK_GROUP_LABELS['number']}（{n_fail} 项不符，{len(numbers) - n_fail} 项舍入差异） {{#numbers}}", "",
            f"差额 = 实际值 − 应有值，按差额绝对值从大到小排列{more}。用下拉框按文档、检查和结果筛选。", ""]
    out += [html_table(["文档", "检查", "结果", "差额（万元）", "应有值（万元）", "实际值（万元）", "说明", "出处行"], [
        [_doc_cell(page, m.docs, r["doc_id"], "#checks"), Cell(check_name(r["check_id"]).split("（")[0]),
         text(STATUS_MARK.get(r["status"], r["status"])), diff_cell(r), money(r["expected_wan"]), money(r["actual_wan"]),
         prose(r["message"]), _src(page, m.docs, r)] for r in shown], sortable=True, facets=(0, 1, 2)), ""]
    by_check: dict[str, list[dict]] = {}
    for r in flags:
        by_check.setdefault(check_name(r["check_id"]).split("（")[0], []).append(r)
    out += [f"## {CHECK_GROUP_LABELS['quality']}与公开完整性（{len(flags)}） {{#flags}}", "",
            "这些提示不涉及金额，按检查汇总；每条提示见各文档页的“数据核对”部分。", "", html_table(
        ["检查", "提示数", "涉及文档数", "示例文档"], [
            [text(name), number(len(rows)), number(len({r["doc_id"] for r in rows})),
             _doc_cell(page, m.docs, rows[0]["doc_id"], "#checks")]
            for name, rows in sorted(by_check.items(), key=lambda kv: (-len(kv[1]), kv[0]))], sortable=True), ""]
    issues = m.issues[:QUALITY_ROWS]
    out += [f"## 读取和解析问题（{len(m.issues)}）", "", "无法读取或无法识别的文件、编码回退和解析警告，按文件列出"
            + (f"（前 {len(issues)} 条，全部见 parse_issues 表）" if len(issues) < len(m.issues) else "") + "。", "",
            html_table(["文件", "文档", "问题", "级别", "位置", "说明"], [
                [code(r["source_file"]), _doc_cell(page, m.docs, r["doc_id"]), text(label(ISSUE_LABELS, r["code"])),
                 text(label(SEVERITY_LABELS, r["severity"])), code(r["where"]), prose(r["message"])] for r in issues],
                sortable=True, filterable=True, facets=(2, 3)), ""]
    page.markdown = "\n".join(out)
    return page


def scorecard(m: ScorecardPage) -> list[Page]:
    """One table per kind of document: a budget disclosure and a 绩效目标文本 are held to different lists.
    LIST_ROWS documents a page (quality/scorecard/, quality/scorecard-2/ …)."""
    chunks = chunked(list(m.docs))
    return [_scorecard_page(m, chunk, n, len(chunks)) for n, chunk in enumerate(chunks, 1)]


def _scorecard_page(m: ScorecardPage, chunk: list[DocSummary], n: int, total: int) -> Page:
    base = "quality/scorecard"
    page = Page(list_page_path(base, n), "")
    out = [front_matter("公开完整度" + ("" if n == 1 else f"（第 {n} 页）")),
           breadcrumb(page, [("首页", ""), ("数据质量", "quality/"), ("公开完整度", "")]), "",
           "# 公开完整度", "", "按《地方预决算公开操作规程》等要求应公开的内容，各文档是否公开（✔ 已公开，✘ 未找到，— 不适用；"
           "“✔ 空表”为以空表公开并说明理由，如“不涉及”）。"
           "预算公开文件与绩效目标文本应公开的内容不同，分表列示。", "", pager(page, base, n, total), ""]
    groups = [("部门预算、单位预算、部门决算", [d for d in chunk if d.doc_kind != "performance"]),
              ("绩效目标文本", [d for d in chunk if d.doc_kind == "performance"])]
    n0 = len(out)
    for title, docs in groups:
        ids = {d.doc_id for d in docs}
        items = sorted({it for (doc, it) in m.present if doc in ids})
        if not docs or not items:
            continue
        rows = []
        for d in docs:
            marks = [m.present.get((d.doc_id, it)) for it in items]
            got = sum(1 for x in marks if x)
            rows.append([text(d.title, href=_doc_href(page, d)), Cell(f"{got}/{len(items)}", sort=str(got), num=True)]
                        + [Cell(_mark(x, m.empty.get((d.doc_id, it)))) for x, it in zip(marks, items, strict=True)])
        out += [f"## {title}", "", html_table(["文档", "完整度"] + items, rows, sortable=True), ""]
    if len(out) == n0:
        out.append("暂无公开要素数据。")
    page.markdown = "\n".join(out + [""])
    return page


def _mark(present: bool | None, empty: str | None) -> str:
    if present and empty:
        return f"✔ 空表（{empty}）" if empty != "空表" else "✔ 空表"  # Cell escapes it
    return "✔" if present else ("✘" if present is False else "—")


# one line per paragraph: a line break inside Chinese text would show as a space
DUCKDB_USAGE = "\n".join([
    "## 用 DuckDB 查询", "",
    "budget.sql 为每张表建立一个同名视图，直接读取上表中的 Parquet 文件，不另存数据：行按主键排序，金额为精确小数 "
    "DECIMAL(20,6)，表和列的说明写在视图的注释中。按本站的目录放置文件：一个文件夹里放 budget.sql，其中的 tables "
    "文件夹放上表中全部的 Parquet 文件（建立视图时要读到每个文件；budget-parquet.zip 就是这样一个文件夹，解压即可），"
    "然后在这个文件夹中运行：", "",
    "```sh", "duckdb -init budget.sql", "```", "",
    "```sql",
    "-- 各文档的支出总计，从大到小",
    "SELECT d.unit_name, d.year, t.amount_wan",
    "FROM budget_totals t JOIN documents d USING (doc_id)",
    "WHERE t.metric = 'expenditure_total'",
    "ORDER BY t.amount_wan DESC;",
    "-- 表和列的说明",
    "SELECT view_name, comment FROM duckdb_views() WHERE NOT internal;",
    "```", "",
    "已打开的 DuckDB 中执行 `.read budget.sql` 也一样；Python 中："
    "`con = duckdb.connect(); con.execute(open(\"budget.sql\", encoding=\"utf-8\").read())`。"
    "视图按相对路径 `tables/<表名>.parquet` 读取文件，相对于查询时的当前目录：在别的目录中使用时，先执行 "
    "`SET file_search_path = '<该文件夹的路径>'`。",
])


def downloads(m: DownloadsPage, extra: str = "") -> Page:
    page = Page("data/downloads.md", "")
    root = "../" * page.depth + "downloads/"
    out = [front_matter("数据下载"), breadcrumb(page, [("首页", ""), ("数据下载", "")]), "", "# 数据下载", "",
           "全部数据以开放格式提供：每张表一个 Parquet 文件和一个 gzip 压缩的 CSV 文件（.csv.gz，UTF-8，带 BOM；"
           "pandas、R、DuckDB 可直接读取，解压后 Excel 可直接打开；全部 CSV 也打包在下面的 ZIP 中）。"
           "金额单位为万元，精确小数。各列含义见[数据字典](dictionary.md)。", "",
           f'<p class="dl-all"><a href="{h(root)}budget-parquet.zip" download>全部 Parquet 和 budget.sql'
           f'（ZIP，{h(fmt_bytes(m.parquet_zip_bytes))}）</a>　'
           f'<a href="{h(root)}budget.sql" download>budget.sql（DuckDB 视图脚本）</a>　'
           f'<a href="{h(root)}datapackage.json">datapackage.json（Frictionless 数据包）</a></p>', ""]
    if extra:
        out += [extra, ""]
    out += ["## 数据表", ""]
    out.append(html_table(["表", "说明", "行数", "Parquet", "CSV（gzip）"], [
        [text(f"{t.title}（{t.name}）"), text(t.doc), number(t.rows),
         Cell(fmt_bytes(t.parquet_bytes), href=f"{root}tables/{t.name}.parquet"),
         Cell(fmt_bytes(t.csv_bytes), href=f"{root}tables/{t.name}.csv.gz")] for t in m.tables]))
    raw = m.raw_files[:LIST_ROWS]
    out += ["", DUCKDB_USAGE, "", "## 原始文件", "", f"前 {len(raw)} 个（共 {len(m.raw_files)} 个，按文件名；每份文档的原始文件见其页面的来源框，"
            "全部文件名和 SHA-256 见 documents 表）。" if len(raw) < len(m.raw_files) else "", "",
            html_table(["文件", "文档", "SHA-256", "大小（字节）"], [
        [Cell(r["source_file"], href=raw_href(f"{root}raw/", r["source_file"])), text(r["doc_id"]), code(r["source_sha256"]),
         number(r["source_size"])] for r in raw], filterable=len(raw) > 10), ""]
    page.markdown = "\n".join(out)
    return page


def dictionary() -> Page:
    page = Page("data/dictionary.md", "")
    out = [front_matter("数据字典"), "# 数据字典", "", "由数据契约（`generator/contract.py`）自动生成。标注“扩展”的列是在共享契约之外新增的列。", "",
           md(contract.CSV_SAFETY_ZH), ""]
    for t in contract.TABLES:
        out += [f"## {md(t.title)}（{md(t.name)}）", "", md(t.doc), "", f"主键：{md(', '.join(t.key))}", "",
                html_table(["列", "类型", "单位", "含义"], [
                    [Cell(c.name, cls="ident"), text(TYPE_LABELS.get(c.type, c.type)), text(c.unit),
                     text(c.doc + ("（扩展）" if c.ext else ""))] for c in t.columns]), ""]
    page.markdown = "\n".join(out)
    return page
