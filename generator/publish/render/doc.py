"""Document page and source-text page: page models -> Markdown + chart specs."""

from __future__ import annotations

import html
from typing import Any

from ...labels import ASSET_LABELS, DOC_KIND_LABELS, METRIC_LABELS, STATUS_LABELS, THREE_PUBLIC_LABELS
from ..pages import DocumentPage
from . import charts as ch
from .md import (
    Cell,
    Page,
    chart_block,
    code,
    details,
    fmt_wan,
    front_matter,
    h,
    html_table,
    md,
    money,
    number,
    prose,
    raw_href,
    source_link,
    text,
)

STATUS_MARK = {"pass": "✔ 通过", "rounding": "≈ 舍入误差内", "fail": "✘ 不符", "not_applicable": "– 不适用"}
PLAN_STEPS = (("plan_q1_pct", "3月底"), ("plan_q2_pct", "6月底"), ("plan_q3_pct", "10月底"), ("plan_q4_pct", "12月底"))
TOP_PROJECTS = 25


def _metric(p: DocumentPage, name: str) -> Any:
    for r in p.totals:
        if r["metric"] == name:
            return r["amount_wan"]
    return None


def _headline(page: Page, p: DocumentPage) -> list[str]:
    s, m = p.summary, p.meta
    facts = [("原标题", m.get("title") if m.get("title") != s.title else None), ("单位", s.unit_name), ("年度", s.year), ("类型", DOC_KIND_LABELS.get(s.doc_kind or "", s.doc_kind)),
             ("地区", s.region), ("源文件金额单位", m.get("amount_unit"))]
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
             source_link(page, p.summary.doc_id, r["source_line"], p.has_source_view)] for r in ranked]
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


def _classification(page: Page, p: DocumentPage, rows: list[dict], key: str, title: str, cols: tuple[str, str, str, str]
                    ) -> list[str]:
    if not rows:
        return []
    levels = [r["level"] for r in rows if r["level"] is not None and r["code"]]
    chart_level = min(levels) if levels else None
    bars = [{"label": f"{r['code']} {r['name'] or ''}".strip(), "value": r["total_wan"]}
            for r in rows if r["code"] and r["level"] == chart_level]
    bars.sort(key=lambda r: (-(r["value"] or 0), r["label"]))
    spec = ch.hbar(bars, "label", "value", f"{title}（{'类款项'[chart_level - 1] if chart_level in (1, 2, 3) else ''}级，万元）")
    a, b = cols[2], cols[3]
    table = html_table(
        ["编码", "科目名称", "级次", "合计（万元）", cols[0], cols[1], "出处行"],
        [[text(r["code"]), text(r["name"]), number(r["level"]), money(r["total_wan"]), money(r[a]), money(r[b]),
          source_link(page, p.summary.doc_id, r["source_line"], p.has_source_view)] for r in rows],
        sortable=True)
    out = [f"## {title}", ""]
    if spec:
        out += [chart_block(page, key, spec, f"{title}：各科目合计金额（万元）", html_table(
            ["科目", "合计（万元）"], [[text(r["label"]), money(r["value"])] for r in bars])), ""]
    return out + [table, ""]


def _three_public(page: Page, p: DocumentPage) -> list[str]:
    if not p.three_public:
        return []
    rows = [{"label": THREE_PUBLIC_LABELS.get(r["category"], r["category"]), "group": f"{r['fiscal_year']}年",
             "value": r["amount_wan"]} for r in p.three_public]
    order = list(THREE_PUBLIC_LABELS.values())
    rows.sort(key=lambda r: (order.index(r["label"]) if r["label"] in order else 99, r["group"]))
    spec = ch.grouped(rows, "“三公”经费（万元）")
    cats = list(THREE_PUBLIC_LABELS)
    ordered = sorted(p.three_public, key=lambda r: (cats.index(r["category"]) if r["category"] in cats else 99,
                                                    r["category"], r["fiscal_year"]))
    table = html_table(["类别", "年度", "金额（万元）", "出处行"], [
        [text(THREE_PUBLIC_LABELS.get(r["category"], r["category"])), text(r["fiscal_year"]), money(r["amount_wan"]),
         source_link(page, p.summary.doc_id, r["source_line"], p.has_source_view)] for r in ordered])
    out = ["## “三公”经费", ""]
    if spec:
        out += [chart_block(page, "three_public", spec, "“三公”经费分类别与上年对比（万元），数字见下表", ""), ""]
    return out + [table, ""]


def _projects(page: Page, p: DocumentPage) -> list[str]:
    if not p.projects:
        return []
    doc = p.summary.doc_id
    ranked = sorted(p.projects, key=lambda r: (-(r["budget_wan"] or 0), r["project_seq"]))[:TOP_PROJECTS]
    bars = [{"label": f"{r['project_seq']}. {r['project_name'] or ''}", "value": r["budget_wan"]} for r in ranked]
    out = ["## 项目", ""]
    spec = ch.hbar(bars, "label", "value", "项目预算排名（万元）")
    if spec:
        out += [chart_block(page, "projects", spec, f"项目按预算金额排序（前 {len(bars)} 个，万元）", html_table(
            ["项目", "预算（万元）"], [[text(b["label"]), money(b["value"])] for b in bars])), ""]
    plan = [{"series": f"{r['project_seq']}. {r['project_name'] or ''}", "step": lab, "order": i, "value": r[col]}
            for r in ranked[:10] for i, (col, lab) in enumerate(PLAN_STEPS)]
    spec = ch.lines(plan, "资金支出计划（累计 %）")
    if spec:
        out += ["### 资金支出计划", "", chart_block(page, "plans", spec, "预算最多的项目的累计支出计划（%）", html_table(
            ["项目"] + [lab for _, lab in PLAN_STEPS],
            [[text(f"{r['project_seq']}. {r['project_name'] or ''}")] + [number(r[c]) for c, _ in PLAN_STEPS]
             for r in ranked[:10]])), ""]
    rows = [[number(r["project_seq"]), code(r["project_code"]), prose(r["project_name"]), money(r["budget_wan"]),
             money(r["fiscal_wan"]), money(r["other_wan"])] + [number(r[c]) for c, _ in PLAN_STEPS]
            + [source_link(page, doc, r["source_line"], p.has_source_view)] for r in p.projects]
    out += ["### 项目表", "", html_table(["序号", "项目编码", "项目名称", "预算（万元）", "财政资金", "其他资金",
                                          "3月%", "6月%", "10月%", "12月%", "出处行"], rows, sortable=True, filterable=True), ""]
    return out


def _indicators(page: Page, p: DocumentPage) -> list[str]:
    if not p.indicators:
        return []
    names = {r["project_seq"]: r["project_name"] for r in p.projects}
    out = ["## 绩效指标", ""]
    for seq in sorted(p.indicators, key=lambda s: (s is not None, s or 0)):
        rows = p.indicators[seq]
        label = "部门（单位）整体指标" if seq is None else f"{seq}. {names.get(seq) or '项目'}"
        table = html_table(["一级指标", "二级指标", "三级指标", "指标值", "出处行"], [
            [text(r["level1"]), text(r["level2"]), prose(r["level3"] or r["description"]), text(r["value_raw"]),
             source_link(page, p.summary.doc_id, r["source_line"], p.has_source_view)] for r in rows])
        out += [details(f"{label}（{len(rows)} 项指标）", table), ""]
    return out


def _simple(page: Page, p: DocumentPage) -> list[str]:
    doc, sv = p.summary.doc_id, p.has_source_view
    out: list[str] = []
    if p.operating:
        out += ["## 机关运行经费", "", html_table(["项目", "分段", "金额（万元）", "出处行"], [
            [text("总额" if r["item"] == "total" else r["item"]), text(r["segment"]), money(r["amount_wan"]),
             source_link(page, doc, r["source_line"], sv)] for r in p.operating]), ""]
    if p.procurement:
        out += ["## 政府采购", "", html_table(["品目", "类别", "目录序号", "数量", "单位", "单价（万元）", "金额（万元）", "出处行"], [
            [text(r["item_name"]), text(r["category"]), text(r["catalog_code"]), number(r["quantity"]),
             text(r["quantity_unit"]), money(r["unit_price_wan"]), money(r["amount_wan"]),
             source_link(page, doc, r["source_line"], sv)] for r in p.procurement], sortable=True), ""]
    if p.assets:
        out += ["## 国有资产", "", html_table(["截止日期", "项目", "所属单位", "数量", "价值（万元）", "出处行"], [
            [text(r["as_of"]), text(ASSET_LABELS.get(r["item"], r["item"])), text(r["holder"]), number(r["quantity"]),
             money(r["value_wan"]), source_link(page, doc, r["source_line"], sv)] for r in p.assets]), ""]
    if p.units:
        out += ["## 机构设置", "", html_table(["单位名称", "性质", "规格", "经费保障形式"], [
            [text(r["unit_name"]), text(r["nature"]), text(r["grade"]), text(r["funding_form"])] for r in p.units]), ""]
    return out


def _checks(page: Page, p: DocumentPage) -> list[str]:
    out = ["## 数据核对 {#checks}", ""]
    if not p.checks:
        return out + ["本文档暂无核对结果。", ""]
    counts = {k: sum(1 for r in p.checks if r["status"] == k) for k in STATUS_LABELS}
    out += ["　".join(f"{STATUS_MARK[k]}：{n}" for k, n in counts.items() if n), ""]
    headers = ["结果", "检查", "应有值（万元）", "实际值（万元）", "说明", "出处行"]

    def rows(checks: list[dict]) -> list[list[Cell]]:
        return [[Cell(STATUS_MARK.get(r["status"], r["status"])), code(r["check_id"]), money(r["expected_wan"]),
                 money(r["actual_wan"]), prose(r["message"]),
                 source_link(page, p.summary.doc_id, r["source_line"], p.has_source_view)] for r in checks]
    flagged = [r for r in p.checks if r["status"] in ("fail", "rounding")]
    if flagged:
        out += ["未通过或存在舍入差异的核对：", "", html_table(headers, rows(flagged), sortable=True), ""]
    return out + [details(f"全部 {len(p.checks)} 项核对", html_table(headers, rows(p.checks), sortable=True,
                                                                    filterable=len(p.checks) > 20)), ""]


def _source_box(page: Page, p: DocumentPage) -> list[str]:
    m = p.meta
    raw = raw_href("../" * page.depth + "downloads/raw/", m["source_file"])
    view = "../" * page.depth + f"generated/source/{m['doc_id']}/"
    parts = [f'<div class="source-box" id="source"><p><strong>源文件</strong>：<a href="{h(raw)}" download>{h(m["source_file"])}</a>',
             f"（{h(m.get('source_format'))}，{h(m.get('encoding') or '')}，{h(m.get('source_size') or '')} 字节）"]
    if p.has_source_view is True:  # a str names the original PDF: no source page was made
        parts.append(f'　<a href="{h(view)}">查看带行号的原文</a>')
    parts.append(f'</p><p>SHA-256：<code>{h(m["source_sha256"])}</code></p>')
    parts.append(f"<p>解析问题：{len(p.issues)} 条</p></div>")
    out = ["## 来源 {#source}", "", "".join(parts), ""]
    if p.issues:
        out += [html_table(["代码", "级别", "位置", "说明"], [
            [code(r["code"]), text(r["severity"]), code(r["where"]), prose(r["message"])] for r in p.issues]), ""]
    return out


def document_page(p: DocumentPage) -> Page:
    page = Page(f"docs/{p.summary.doc_id}.md", "")
    out = _headline(page, p) + _structure(page, p) + _totals(page, p)
    out += _classification(page, p, p.functions, "functions", "支出功能分类", ("基本支出（万元）", "项目支出（万元）",
                                                                             "basic_wan", "project_wan"))
    out += _classification(page, p, p.economic, "economic", "基本支出经济分类", ("人员经费（万元）", "公用经费（万元）",
                                                                               "personnel_wan", "public_wan"))
    out += _classification(page, p, p.incomes, "incomes", "收入功能分类", ("财政拨款（万元）", "上年结转（万元）",
                                                                         "fiscal_wan", "carryover_wan"))
    out += _three_public(page, p) + _projects(page, p) + _indicators(page, p) + _simple(page, p)
    out += _checks(page, p) + _source_box(page, p)
    page.markdown = front_matter(p.summary.title) + "\n".join(out)
    return page


def source_page(doc_id: str, title: str, lines: list[str]) -> Page:
    """The source text with one anchor per line (#L12), so every source_line can be linked."""
    body = "\n".join(f'<span class="ln" id="L{i}"><a href="#L{i}">{i}</a>{html.escape(t) if t.strip() else " "}</span>'
                     for i, t in enumerate(lines, 1))
    md_ = [front_matter(f"原文：{title}", search_exclude=True) + f"# 原文：{md(title)}", "",
           f"[返回文档页](../docs/{doc_id}.md)", "", f'<div class="source-text">\n{body}\n</div>', ""]
    return Page(f"source/{doc_id}.md", "\n".join(md_))


def pdf_source_page(doc_id: str, title: str, pages: list[tuple[str, str]]) -> Page:
    """The text extracted from each PDF page, one anchor per page (#p3), so every p<N> can be read."""
    body = "\n".join(f'<section class="pdf-page" id="{html.escape(w)}"><h2><a href="#{html.escape(w)}">'
                     f'{html.escape(w)}</a></h2><pre class="source-text">{html.escape(t)}</pre></section>'
                     for w, t in pages)
    md_ = [front_matter(f"原文：{title}", search_exclude=True) + f"# 原文：{md(title)}", "",
           f"[返回文档页](../docs/{doc_id}.md)", "", "PDF 各页提取出的文字（表格单元格以制表符分隔）。", "",
           f"<div>\n{body}\n</div>", ""]
    return Page(f"source/{doc_id}.md", "\n".join(md_))
