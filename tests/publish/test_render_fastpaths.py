"""The page renderer's shortcuts give the bytes of the plain code they stand in for: table cells with
their roles and <td> classes worked out once per kind of cell, line numbers without a regex, and on a
document page each part built once (its charts set again when chosen), indicator rows shared by the
pages that link alike, and a part that cannot fit never built for the page (a lower bound from the
form its own page shows)."""

from __future__ import annotations

import html
import importlib
import re
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.publish import pages
from generator.publish.render import doc as render_doc
from generator.publish.render.md import Cell, Group, Page, html_table, line_sort

md = importlib.import_module("generator.publish.render.md")  # the package re-exports a function md()

# ---- reference: the table code before its shortcuts --------------------------------------------------


def _roles_reference(c: Cell) -> list[str]:
    out = c.cls.split()
    return out if "src" in out or not c.num else ["num", *out]


def _td_reference(c: Cell, drop: frozenset[str], empty: bool) -> str:
    body = md.h(c.text)
    if c.href:
        body = f'<a href="{md.h(c.href)}">{body}</a>'
    classes = [x for x in _roles_reference(c) if x not in drop] + (["empty-col"] if empty else [])
    attrs = f' data-sort="{md.h(c.sort)}"' if c.sort and "src" not in _roles_reference(c) else ""
    if classes:
        attrs += f' class="{" ".join(classes)}"'
    return f"<td{attrs}>{body}</td>"


def _table_reference(headers, rows, *, sortable=False, filterable=False, caption="", facets=()):
    h, ROLE_CLASSES, ROLE_COLUMNS = md.h, md.ROLE_CLASSES, md.ROLE_COLUMNS  # noqa: N806
    cells = [r for r in rows if not isinstance(r, Group)]
    if not cells:
        return "<p class=\"empty\">（无数据）</p>"
    cls = [c for c, on in (("sortable", sortable), ("filterable", filterable or bool(facets))) if on]
    n = len(headers)
    empty = {i for i in range(n) if all(i >= len(r) or r[i].text in ("", "—") for r in cells)}
    drops = []
    for i in range(n):
        common = set.intersection(*(set(_roles_reference(r[i])) if i < len(r) else set() for r in cells))
        drop = frozenset(common & set(ROLE_CLASSES)) if i < ROLE_COLUMNS else frozenset()
        drops.append(drop)
        cls += [f"{ROLE_CLASSES[x]}{i + 1}" for x in sorted(drop, key=list(ROLE_CLASSES).index)]
        if i in empty and i < ROLE_COLUMNS:
            cls.append(f"e{i + 1}")
    late = {i for i in empty if i >= ROLE_COLUMNS}

    def th(i, x):
        if i < ROLE_COLUMNS:
            return f"<th>{h(x)}</th>"
        c = " ".join(k for k, on in (("code", all(i < len(r) and "code" in _roles_reference(r[i]) for r in cells)),
                                     ("empty-col", i in late)) if on)
        return f'<th class="{c}">{h(x)}</th>' if c else f"<th>{h(x)}</th>"
    head = "".join(th(i, x) for i, x in enumerate(headers))

    def row(r):
        if isinstance(r, Group):
            anchor = f' id="{h(r.anchor)}"' if r.anchor else ""
            return f'</tbody><tbody><tr><th colspan="{n}" scope="rowgroup"{anchor}>{h(r.label)}</th></tr>'
        return "<tr>" + "".join(_td_reference(c, drops[i] if i < n else frozenset(), i in late)
                                for i, c in enumerate(r)) + "</tr>"
    body = "\n".join(row(r) for r in rows)
    if isinstance(rows[0], Group):
        body = body.removeprefix("</tbody><tbody>")
    cap = f"<caption>{h(caption)}</caption>" if caption else ""
    name = caption or "、".join(headers[:3])
    fac = f' data-facets="{",".join(str(i) for i in facets)}"' if facets else ""
    out = [f'<div class="{" ".join(["tbl", *cls])}"{fac} data-search-exclude>']
    if filterable or facets:
        out.append('<input type="search" class="tbl-filter" placeholder="筛选…" aria-label="筛选表格">')
    out.append(f'<div class="tbl-scroll" tabindex="0" role="region" aria-label="{h(name)}（可横向滚动）">'
               f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table></div>")
    out.append("</div>")
    return "\n".join(out)


_TEXT = st.text(alphabet=st.sampled_from(list("a1中 —&<\"'\n")), max_size=6)
_CELLS = st.builds(Cell, _TEXT, href=st.sampled_from(["", "source/#L3", "../x?a=1&b=2"]), sort=st.sampled_from(["", "3", "p<2"]),
                   num=st.booleans(), cls=st.sampled_from(["", "long", "code", "src", "lv1 total", "lv2", "src code", "ident"]))


@given(_CELLS, st.sets(st.sampled_from(list(md.ROLE_CLASSES))), st.booleans())
def test_cell_html_equals_the_plain_cell(cell, drop, empty):
    assert cell.html(frozenset(drop), empty) == _td_reference(cell, frozenset(drop), empty)
    assert list(cell.roles) == _roles_reference(cell)


@settings(max_examples=300)
@given(st.integers(1, 20), st.lists(st.one_of(st.lists(_CELLS, max_size=20),
                                               st.builds(Group, _TEXT, st.sampled_from(["", "ind-1"]))), max_size=8),
       st.booleans(), st.booleans(), _TEXT, st.sampled_from([(), (0,), (1, 2)]))
def test_html_table_equals_the_plain_table(n, rows, sortable, filterable, caption, facets):
    headers = [f"列{i}" for i in range(n)]
    if sortable and any(isinstance(r, Group) for r in rows):
        sortable = False  # grouped tables are not sortable (html_table asserts it)
    got = html_table(headers, rows, sortable=sortable, filterable=filterable, caption=caption, facets=facets)
    assert got == _table_reference(headers, rows, sortable=sortable, filterable=filterable, caption=caption, facets=facets)


@given(st.one_of(st.none(), st.integers(-5, 10**6), st.text(alphabet=st.sampled_from(list("0123456789p:-~ocr.a٣²")), max_size=8)))
def test_line_sort_equals_the_regex(line):
    s = str(line or "")
    m = re.search(r"\d+", s.rpartition(":")[2])
    assert line_sort(line) == (m.group(0) if m else "")


# ---- document pages: the shortcuts against the plain build ------------------------------------------


def _doc(n_checks: int, n_number: int, n_ind: tuple[int, ...], view: bool | str, n_projects: int) -> pages.DocumentPage:
    pdf = isinstance(view, str)
    line = (lambda i: f"p{i % 7 + 1}") if pdf else str
    s = pages.DocSummary("d1", "某局 2023年单位预算", "某局", 2023, "unit_budget", "某县", D(100), n_projects, 0,
                         "某局", "units/某局/2023-unit-budget", view=view, source_file="d1.pdf" if pdf else "d1.txt")
    checks = [dict(doc_id="d1", check_id="indicator.placeholder", status="fail", expected_wan=None, actual_wan=None,
                   message="指标值为占位内容" * 3, source_line=line(i)) for i in range(n_checks)]
    checks += [dict(doc_id="d1", check_id=f"economic.children_sum:30{i % 9}", status="fail" if i % 3 else "rounding",
                    expected_wan=D(i), actual_wan=D(i) + D("0.01"), message="下级科目之和", source_line=line(i))
               for i in range(n_number)]
    checks.append(dict(doc_id="d1", check_id="sum.totals", status="pass", expected_wan=D(1), actual_wan=D(1),
                       message="", source_line=line(3)))
    ind = {seq: [dict(project_seq=seq, level1="产出指标", level2="数量指标", level3=f"指标{seq}-{i}" * 3, description=None,
                      value_raw="≥95%", source_line=line(100 + i)) for i in range(k)] for seq, k in enumerate(n_ind, 1) if k}
    projects = [dict(project_seq=q, project_name=f"项目{q}", budget_wan=D(10 * q), fiscal_wan=D(10), other_wan=None,
                     plan_q1_pct=D(25), plan_q2_pct=D(50) if q % 2 else None, plan_q3_pct=None, plan_q4_pct=D(100),
                     project_code=None, basis_year=None, source_line=line(20 + q)) for q in range(1, n_projects + 1)]
    meta = dict(doc_id="d1", title=None, amount_unit="万元", source_file=s.source_file, source_format="pdf" if pdf else "word_text",
                source_size=10, source_sha256="ab" * 32)
    return pages.DocumentPage(s, meta, [], [], [], [], [], [], [], projects, ind, [], [], checks, [], [],
                              has_source_view=view)


def _plain(monkeypatch) -> None:
    """The document page built without shortcuts: every part built each time it is asked for (setting its
    charts), no indicator rows shared, no part bounded before it is built."""
    monkeypatch.setattr(render_doc, "_once", lambda page, build: build)
    monkeypatch.setattr(render_doc._IndicatorRows, "__call__", lambda self, page, seq: render_doc._indicator_rows(page, self.p, seq))
    monkeypatch.setattr(render_doc, "BOUND_ROWS", 10**9)


def _render(p: pages.DocumentPage) -> list[tuple[str, str, dict]]:
    return [(x.path, x.markdown, x.charts) for x in render_doc.document_pages(p, {}, "2024-01-01")]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 120), st.integers(0, 60), st.lists(st.integers(0, 120), max_size=4),
       st.sampled_from([True, False, "d1.pdf"]), st.integers(0, 25), st.booleans(),
       st.sampled_from([6_000, 20_000, render_doc.ARTICLE_BUDGET]))
def test_document_pages_equal_the_plain_build(n_checks, n_number, n_ind, view, n_projects, mirrored, budget):
    p = _doc(n_checks, n_number, tuple(n_ind), view, n_projects)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(render_doc, "ARTICLE_BUDGET", budget)
        md.set_external_originals({"d1.pdf": "https://mirror.example/raw/d1.pdf"} if mirrored else {})
        try:
            mp.setattr(render_doc, "BOUND_ROWS", 0)  # bound every part first
            fast = _render(p)
            _plain(mp)
            assert fast == _render(p)
        finally:
            md.set_external_originals({})


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 120), st.integers(0, 60), st.integers(1, 150), st.sampled_from([True, False, "d1.pdf"]), st.booleans())
def test_a_part_is_at_least_its_lower_bound_on_the_document_page(n_checks, n_number, n_ind, view, mirrored):
    """_least of a part as its own page shows it never exceeds the part's size on the document page."""
    from generator.publish.render.provenance import all_checks, checks_section

    p = _doc(n_checks, n_number, (n_ind,), view, 2)
    base = p.summary.path
    md.set_external_originals({"d1.pdf": "https://mirror.example/raw/d1.pdf"} if mirrored else {})
    try:
        page = Page(f"{base}/index.md", "")
        on_page = render_doc._size(checks_section(page, p, "", full=True))
        assert render_doc._least(all_checks(Page(f"{base}/checks.md", ""), p)) <= on_page
        seqs = list(p.indicators)
        on_page = render_doc._size([render_doc.indicator_table(page, p, seqs)])
        assert render_doc._least([render_doc.indicator_table(Page(f"{base}/indicators.md", ""), p, seqs)]) <= on_page
    finally:
        md.set_external_originals({})


def test_h_is_untouched_by_the_table_shortcuts():
    assert md.h("a<b") == html.escape("a<b")
