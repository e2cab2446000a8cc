"""Provenance on document pages: checks, source and citation box, breadcrumbs, the source-text view."""

from __future__ import annotations

import functools
from collections import Counter

from ...labels import (
    CHECK_GROUP_LABELS,
    DOC_KIND_LABELS,
    FORMAT_LABELS,
    ISSUE_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    check_group,
    check_name,
    label,
)
from ..pages import DocSummary, DocumentPage
from .md import (
    Cell,
    Page,
    code,
    diff_cell,
    front_matter,
    h,
    html_table,
    md,
    money,
    number,
    prose,
    raw_href,
    rel,
    source_link,
    text,
    viewer_href,
)

STATUS_MARK = {"pass": "✔ 通过", "rounding": "≈ 舍入误差内", "fail": "✘ 不符", "not_applicable": "– 不适用"}
CHECKS_INLINE = 10  # number mismatches shown on the document page; all on its checks page
DETAIL_INLINE = 60  # rows of a secondary table shown on a page (keeps it under 60 KB)
# A sub-heading starts a section of the search index; the checks' sub-headings (tables, mostly) are kept out
NO_SEARCH = ' {data-search-exclude="1"}'


# check names by id, each worked out once: every document has some hundred checks, the same ids document
# after document
_check_name = functools.lru_cache(maxsize=1 << 14)(check_name)


@functools.lru_cache(maxsize=1 << 14)
def check_title(check_id: str) -> str:
    """The check's name without its qualifier ('经济分类：下级科目之和等于上级'): the checks that passed
    are counted by it."""
    return _check_name(check_id).split("（")[0]


def check_rows(page: Page, p: DocumentPage, checks: list[dict]) -> list[list[Cell]]:
    return [[Cell(STATUS_MARK.get(r["status"], r["status"])), Cell(_check_name(r["check_id"]), cls="long"),
             diff_cell(r), money(r["expected_wan"]), money(r["actual_wan"]), prose(r["message"]),
             source_link(page, p.summary.path, r["source_line"], p.has_source_view)] for r in checks]


CHECK_HEADERS = ["结果", "检查", "差额（万元）", "应有值（万元）", "实际值（万元）", "说明", "出处行"]


def _flag_table(page: Page, p: DocumentPage, flags: list[dict]) -> str:
    """Indicator, text and disclosure findings: most carry no amounts, so the amount columns (and the result,
    when every one failed) are left out unless a row has them."""
    rows = check_rows(page, p, flags)
    keep = [i for i in range(len(CHECK_HEADERS))
            if (i != 0 or any(r["status"] != "fail" for r in flags))
            and (i not in (2, 3, 4) or any(row[i].text not in ("", "—") for row in rows))]
    many = len(flags) > 20
    return html_table([CHECK_HEADERS[i] for i in keep], [[row[i] for i in keep] for row in rows], sortable=True,
                      filterable=many, facets=(keep.index(1),) if many else ())


def _split(p: DocumentPage) -> tuple[list[dict], list[dict]]:
    """(number mismatches and rounding differences, largest 差额 first; other findings that did not pass)."""
    numbers = [r for r in p.checks if r["status"] in ("fail", "rounding") and check_group(r["check_id"]) == "number"]
    numbers.sort(key=lambda r: (-abs((r["actual_wan"] or 0) - (r["expected_wan"] or 0)), r["check_id"]))
    flags = [r for r in p.checks if r["status"] in ("fail", "rounding") and check_group(r["check_id"]) != "number"]
    return numbers, flags


def checks_section(page: Page, p: DocumentPage, detail: str, full: bool = False) -> list[str]:
    """The checks of a document: with `full`, every one that did not pass (all_checks); else the largest
    number mismatches and a link (`detail`) to the checks page."""
    out = ["## 数据核对 {#checks}", ""]
    if not p.checks:
        return out + ["本文档暂无核对结果。", ""]
    got = Counter(r["status"] for r in p.checks)
    counts = {k: got[k] for k in STATUS_LABELS}
    out += ['<p data-search-exclude>' + "　".join(f"{STATUS_MARK[k]}：{n}" for k, n in counts.items() if n) + "</p>", ""]
    if full:
        return out + all_checks(page, p)
    numbers, flags = _split(p)
    flags = [r for r in flags if r["status"] == "fail"]
    if numbers:
        more = f"（差额最大的 {CHECKS_INLINE} 项，全部见下方链接）" if len(numbers) > CHECKS_INLINE else ""
        out += [f"### 数字不符或舍入差异（{len(numbers)}）{NO_SEARCH}", "", more, "",
                html_table(CHECK_HEADERS, check_rows(page, p, numbers[:CHECKS_INLINE]), sortable=True), ""]
    if flags:
        out += [f'<p>指标与文字质量提示 {len(flags)} 条，见<a href="{h(detail)}">全部核对</a>。</p>' if detail else "", ""]
    return out + ([f'<p data-search-exclude><a href="{h(detail)}">全部 {len(p.checks)} 项核对 →</a></p>', ""] if detail else [])


def all_checks(page: Page, p: DocumentPage) -> list[str]:
    """Every check that did not pass in full (number mismatches, then the other findings); passed and
    not-applicable ones counted by check."""
    numbers, flags = _split(p)
    counts: dict[tuple[str, str], int] = {}
    for r in p.checks:
        if r["status"] not in ("fail", "rounding"):
            k = (check_title(r["check_id"]), r["status"])
            counts[k] = counts.get(k, 0) + 1
    out: list[str] = []
    if numbers:
        many = len(numbers) > 20
        out += [f"### 数字不符或舍入差异（{len(numbers)}）{NO_SEARCH}", "",
                html_table(CHECK_HEADERS, check_rows(page, p, numbers), sortable=True, filterable=many,
                           facets=(0, 1) if many else ()), ""]
    if flags:
        out += [f"### {CHECK_GROUP_LABELS['quality']}、{CHECK_GROUP_LABELS['disclosure']}提示（{len(flags)}）{NO_SEARCH}", "",
                _flag_table(page, p, flags), ""]
    if not numbers and not flags:
        out += ["全部核对均通过或不适用。", ""]
    return out + [f"### 其余核对（{sum(counts.values())}）{NO_SEARCH}", "",
                  html_table(["检查", "结果", "项数"], [[text(k), text(STATUS_MARK.get(st, st)), number(n)]
                                                  for (k, st), n in sorted(counts.items())], sortable=True), ""]


def citation(s: DocSummary, src: dict[str, str], cited: str) -> str:
    """GB/T 7714-2015 form of an electronic resource: 责任者. 题名[EB/OL]. (发布日期)[引用日期]. 获取路径."""
    who = src.get("publisher") or s.unit_name or ""
    out = f"{who}. {s.title}[EB/OL]."
    if src.get("date") or cited:
        out += f" ({src.get('date') or ''})" if src.get("date") else ""
        out += f"[{cited}]" if cited else ""
        out += "."
    if src.get("url"):
        out += f" {src['url']}."
    return out


def source_box(page: Page, p: DocumentPage, src: dict[str, str], cited: str) -> list[str]:
    m = p.meta
    raw = raw_href("../" * page.depth + "downloads/raw/", m["source_file"])
    parts = ['<div class="source-box" data-search-exclude>']
    if src.get("url"):
        parts.append(f'<p><strong>官方发布</strong>：<a href="{h(src["url"])}" rel="noopener">{h(src["url"])}</a>'
                     + (f"（{h(src.get('publisher'))}，{h(src.get('date'))}发布）" if src.get("publisher") or src.get("date") else "")
                     + "</p>")
    else:
        parts.append("<p><strong>官方发布</strong>：未登记官方网址（可在 data/raw/sources.csv 中补充）。</p>")
    parts.append(f'<p><strong>原始文件</strong>：<a href="{h(raw)}" download>{h(m["source_file"])}</a>'
                 f"（{h(label(FORMAT_LABELS, m.get('source_format')))}，{h(m.get('source_size') or '')} 字节）")
    if p.has_source_view is True:
        parts.append('　<a href="source/">查看带行号的原文</a>')
    parts.append(f'</p><p>SHA-256：<code>{h(m["source_sha256"])}</code></p>')
    parts.append(f'<p><strong>引用</strong>（GB/T 7714）：</p><p class="cite"><code>{h(citation(p.summary, src, cited))}</code></p>')
    parts.append(f"<p>解析问题：{len(p.issues)} 条</p></div>")
    out = ["## 来源与引用 {#source}", "", "".join(parts), ""]
    if p.issues:
        out += [html_table(["说明", "代码", "级别", "位置"], [
            [prose(r["message"]), text(label(ISSUE_LABELS, r["code"])), text(label(SEVERITY_LABELS, r["severity"])),
             code(r["where"])]
            for r in p.issues[:DETAIL_INLINE]]), ""]
    return out


def breadcrumb(page: Page, trail: list[tuple[str, str | None]]) -> str:
    """A breadcrumb nav: (label, site-relative path; '' is the site root, or the current page when last;
    None: no link)."""
    items = []
    for i, (lab, path) in enumerate(trail):
        if i == len(trail) - 1 and not path:
            items.append(f'<span aria-current="page">{h(lab)}</span>')
        elif path is None:
            items.append(f"<span>{h(lab)}</span>")
        else:
            items.append(f'<a href="{h(rel(page, path) if path else "../" * page.depth or "./")}">{h(lab)}</a>')
    return '<nav class="crumbs" aria-label="位置">' + " › ".join(items) + "</nav>"


def doc_trail(p: DocSummary) -> list[tuple[str, str | None]]:
    """首页 › 单位 › the unit (a link to its page; plain text when the document is the unit's only one:
    the unit's page would just lead back here)."""
    return [("首页", ""), ("单位", "units/"), (p.unit_name or "未识别单位", p.unit_page)]


def kind_year(s: DocSummary) -> str:
    return f"{s.year or ''}年{label(DOC_KIND_LABELS, s.doc_kind) or '文档'}"


# TextDecoder names of the encodings textcodec.decode reports
JS_ENCODINGS = {"utf-8-sig": "utf-8", "utf-8?": "utf-8", "utf-16": "utf-16le", "utf-16-le": "utf-16le",
                "utf-16-be": "utf-16be", "gb18030": "gb18030"}


def source_page(s: DocSummary, encoding: str, n_lines: int) -> Page:
    """The source text with one anchor per line (#L12), so every source_line can be linked.

    The page carries no copy of the text: a small script (assets/js/source.js) reads the file from
    downloads/raw/ (the published original, or its gzip copy when the originals are hosted elsewhere),
    numbers its lines exactly as the text reader does and scrolls to #L<n>. It is drawn by a slim
    template (site_src/overrides/source.html: no theme header, navigation or search) and kept out of search."""
    page = Page(f"{s.path}/source.md", "")
    prefix = "../" * page.depth + "downloads/raw/"
    raw = raw_href(prefix, s.source_file)
    src, gz = viewer_href(prefix, s.source_file)
    enc = JS_ENCODINGS.get(encoding, encoding or "utf-8")
    md_ = [front_matter(f"原文：{s.title}", search_exclude=True, template="source.html")
           + breadcrumb(page, doc_trail(s) + [(kind_year(s), s.path + "/"), ("原文", "")]), "",
           f"# 原文：{md(s.title)}", "",
           f'[返回文档页](./index.md)　<a href="{h(raw)}" download>下载原始文件</a>（{md(s.source_file)}）', "",
           f'<div class="source-text" tabindex="0" role="region" aria-label="原文（{n_lines} 行）" data-src="{h(src)}" '
           + ('data-gzip="1" ' if gz else "")
           + f'data-encoding="{h(enc)}" data-lines="{n_lines}"><p>正在载入原文（{n_lines} 行）…'
           f'如未显示，请<a href="{h(raw)}">下载原始文件</a>。</p></div>', ""]
    page.markdown = "\n".join(md_)
    return page
