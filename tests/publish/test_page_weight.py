"""Issue 9 (page weight): tables state column roles once, indicator tables group projects, a document page
takes in its detail parts only while it stays within budget, and the theme hooks trim repeated chrome."""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path

from generator.publish import pages
from generator.publish.render import doc as render_doc
from generator.publish.render.md import Cell, Group, Page, html_table, money, prose, source_link, text, url_path

ROOT = Path(__file__).resolve().parents[2]


def test_table_states_column_roles_once_on_its_wrapper():
    page = Page("units/u/2023-unit-budget/index.md", "")
    rows = [[prose(f"名称{i}"), money(D(i)), Cell("", cls="code"), source_link(page, "units/u/2023-unit-budget", str(i), True)]
            for i in range(1, 4)]
    rows[1][2] = Cell("A01", cls="code")
    out = html_table(["名称", "金额", "编码", "出处行"], rows)
    wrapper = re.search(r'<div class="([^"]+)"', out).group(1).split()
    assert wrapper[0] == "tbl" and {"l1", "n2", "c3", "s4"} <= set(wrapper) and "e3" not in wrapper
    assert 'class="num"' not in out and 'class="long"' not in out and 'class="num src"' not in out
    assert "data-sort" not in out and ' scope="col"' not in out  # source lines sort by their text (tables.js)
    assert '<td><a href="source/#L2">2</a></td>' in out
    empty = html_table(["名称", "空"], [[text("a"), money(None)], [text("b"), money(None)]])
    assert "e2" in re.search(r'<div class="([^"]+)"', empty).group(1).split()


def test_mixed_column_keeps_classes_on_its_cells():
    out = html_table(["值"], [[money(D(1))], [text("文字")]])
    assert '<td class="num">1.00</td>' in out and "<td>文字</td>" in out and "n1" not in out


def test_grouped_table_heads_each_group_and_escapes_its_label():
    rows = [Group("1. <b>项目</b>（1 项）", "ind-1"), [text("a"), text("b")], Group("2. 项目", "ind-2"), [text("c"), text("d")]]
    out = html_table(["甲", "乙"], rows, caption="绩效指标")
    assert out.count("<tbody>") == 2 and out.count("</tbody>") == 2
    assert '<th colspan="2" scope="rowgroup" id="ind-1">1. &lt;b&gt;项目&lt;/b&gt;（1 项）</th>' in out
    assert "<tbody>\n</tbody>" not in out


def test_file_links_keep_chinese_and_encode_url_syntax():
    assert url_path("52 表格.pdf") == "52%20表格.pdf"
    assert url_path('a"<>`\u0085\u2028b.pdf') == "a%22%3C%3E%60%C2%85%E2%80%A8b.pdf"


def _doc(n_checks: int, n_indicators: int) -> pages.DocumentPage:
    s = pages.DocSummary("d1", "某局 2023年单位预算", "某局", 2023, "unit_budget", "某县", D(100), 2, 0,
                         "某局", "units/某局/2023-unit-budget", view=True, source_file="d1.txt")
    checks = [dict(doc_id="d1", check_id="indicator.placeholder", status="fail", expected_wan=None, actual_wan=None,
                   message="指标值为占位内容" * 3, source_line=str(i)) for i in range(n_checks)]
    checks.append(dict(doc_id="d1", check_id="sum.totals", status="pass", expected_wan=D(1), actual_wan=D(1),
                       message="", source_line="3"))
    ind = {seq: [dict(project_seq=seq, level1="产出指标", level2="数量指标", level3=f"指标{seq}-{i}", description=None,
                      value_raw="≥95%", source_line=str(100 + i)) for i in range(n_indicators)] for seq in (1, 2)}
    projects = [dict(project_seq=q, project_name=f"项目{q}", budget_wan=D(10), fiscal_wan=D(10), other_wan=None,
                     plan_q1_pct=None, plan_q2_pct=None, plan_q3_pct=None, plan_q4_pct=None, project_code=None,
                     basis_year=None, source_line="20") for q in (1, 2)]
    meta = dict(doc_id="d1", title=None, amount_unit="万元", source_file="d1.txt", source_format="word_text",
                source_size=10, source_sha256="ab" * 32)
    return pages.DocumentPage(s, meta, [], [], [], [], [], [], [], projects, ind, [], [], checks, [], [],
                              has_source_view=True)


def test_small_document_is_one_page_and_large_parts_get_their_own():
    small = render_doc.document_pages(_doc(3, 5))
    assert [p.path for p in small] == ["units/某局/2023-unit-budget/index.md"]
    body = small[0].markdown
    assert 'id="ind-1"' in body and "### 项目明细 {#projects" in body and "其余核对" in body
    big = render_doc.document_pages(_doc(400, 400))
    names = [p.path.rsplit("/", 1)[1] for p in big]
    # each project's 400 indicators fill most of a page: a page each, the project kept whole
    assert names == ["index.md", "indicators.md", "indicators-2.md", "checks.md"]
    assert 'href="indicators/"' in big[0].markdown and 'href="checks/"' in big[0].markdown
    assert len(big[0].markdown.encode()) < render_doc.ARTICLE_BUDGET


def test_indicators_are_paged_by_bytes_keeping_projects_whole():
    p = _doc(0, 300)
    groups = render_doc.indicator_groups(p, budget=30_000)
    assert groups == [[1], [2]]
    assert render_doc.indicator_groups(p, budget=100_000) == [[1, 2]]
    assert render_doc.indicator_groups(replace(p, indicators={1: p.indicators[1][:3]})) == [[1]]


def _hooks():
    spec = importlib.util.spec_from_file_location("site_hooks", ROOT / "site_src" / "overrides" / "hooks.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_hooks_draw_repeated_icons_once_and_compact_the_settings():
    hooks = _hooks()
    icon = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M1 2h3"/></svg>'
    other = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M5 6h7"/></svg>'
    page = f"<a>{icon}</a><b>{other}</b><c>{icon}</c>"
    out = hooks._icons(page)
    assert out.count('<path id="icon-1" d="M1 2h3"/>') == 1 and out.count('<use href="#icon-1"/>') == 1
    assert other in out
    cfg = {"base": "..", "translations": {"search": "键入以开始搜索", "x": "a</b"}}
    escaped = json.dumps(cfg).replace("</", "<\\/")  # as the theme writes it: no "</" inside the script
    html = f'<script id="__config" type="application/json">{escaped}</script><p>后</p>'
    small = hooks._compact_config(html)
    assert "键入以开始搜索" in small and "\\u" not in small and small.endswith("</script><p>后</p>")
    inner = small[len('<script id="__config" type="application/json">'):small.index("</script>")]
    assert json.loads(inner) == cfg
