"""Units as the spine: identity across documents, budget against 决算, unit × year comparisons, labels.

Hand-made parsed data: the synthetic budget of test_site plus the same unit's 决算 for the same year
(written with spaces and full-width characters in the unit name, as another file would print it).
"""

from __future__ import annotations

import copy
import html as htmllib
import json
import re
import zipfile
from decimal import Decimal as D
from pathlib import Path
from urllib.parse import quote

import pytest
from test_site import DOC, NASTY, _tables, make_project

from generator import contract, labels
from generator.publish import downloads, pages, site, store, units

FINAL = "t3_final"


def _with_final() -> dict[str, list[dict]]:
    t = copy.deepcopy(_tables())
    budget = t["documents"][0]
    t["documents"].append({**budget, "doc_id": FINAL, "source_file": f"{FINAL}.txt", "source_sha256": "ef" * 32,
                           "doc_kind": "final_accounts", "unit_name": " " + NASTY.replace("1", "１") + " ",
                           "title": "决算"})
    t["budget_totals"] += [dict(doc_id=FINAL, metric="expenditure_total", amount_wan=D("1111.05"), source_line="4"),
                           dict(doc_id=FINAL, metric="basic_expenditure", amount_wan=D("1000"), source_line="5")]
    t["three_public"] += [dict(doc_id=FINAL, fiscal_year=2023, category="total", amount_wan=D("3.15"), source_line="6")]
    return t


@pytest.fixture(scope="module")
def final_site(tmp_path_factory) -> Path:
    root, processed = make_project(tmp_path_factory.mktemp("final"), _with_final())
    (root / "data" / "raw" / f"{FINAL}.txt").write_text("".join(f"决算第{i}行\n" for i in range(1, 10)), encoding="utf-8")
    (root / "data" / "raw" / "sources.csv").write_text(
        f"file,url,publisher,date\n{DOC}.txt,https://www.example.gov.cn/yusuan.pdf,某县财政局,2023-02-01\n", encoding="utf-8")
    assert site.build_site(root, processed) == 0
    return root


def _units(root: Path) -> list[units.Unit]:
    con = store.connect(root / "data" / "processed")
    try:
        return units.units(con)
    finally:
        con.close()


def test_unit_identity_normalizes_names_and_splits_by_code():
    docs = [dict(doc_id="a", unit_name="某县 财政局", unit_code=None), dict(doc_id="b", unit_name="某县财政局", unit_code="1"),
            dict(doc_id="c", unit_name="某县财政局", unit_code="2"), dict(doc_id="d", unit_name=None, unit_code=None)]
    keys = pages.unit_keys(docs)
    assert keys["a"] == keys["b"] != keys["c"]
    assert keys["d"] == "d"
    paths = pages.doc_paths([{**d, "year": 2023, "doc_kind": "dept_budget"} for d in docs], keys)
    assert len(set(paths.values())) == 4 and all(p.startswith("units/") for p in paths.values())
    assert "generated" not in "".join(paths.values())


def test_budget_against_final_accounts_with_execution_rate(final_site):
    (u,) = [u for u in _units(final_site) if len(u.docs) > 1]
    assert {d.doc_kind for d in u.docs} == {"unit_budget", "final_accounts"}
    (e,) = u.executions
    assert e.year == 2023 and e.budget.doc_id == DOC and e.final.doc_id == FINAL
    total = next(r for r in e.rows if r.label == labels.METRIC_LABELS["expenditure_total"])
    assert total.rate == D("1111.05") / D("1234.5") * 100  # 90.0%
    page = (final_site / "site" / u.slug / "index.html").read_text(encoding="utf-8")
    assert "预算与决算对比" in page and "90.0%" in page and "执行率" in page
    # every figure of the comparison links to its source line, in the budget and in the 决算
    assert re.search(r'href="[^"]*2023-unit-budget/source/#L3"', page)
    assert re.search(r'href="[^"]*2023-final-accounts/source/#L4"', page)


def test_one_document_unit_page_is_a_slim_redirect_nothing_links_to(final_site):
    """A unit of one document gets no page of its own: units/<unit>/ redirects to the document page (no theme,
    no chart, no search entry, not in the sitemap), and every link to the unit goes to the document page.
    A unit of two documents keeps its page."""
    from linkcheck import redirect_problems

    out = final_site / "site"
    (multi,) = [u for u in _units(final_site) if len(u.docs) > 1]
    (single,) = [u for u in _units(final_site) if len(u.docs) == 1]
    (doc,) = single.docs
    redirects, bad = redirect_problems(out)
    assert bad == []
    assert redirects == {f"{single.slug}/index.html": str((out / doc.path / "index.html").resolve())}
    page = (out / single.slug / "index.html").read_text(encoding="utf-8")
    target = doc.path.rsplit("/", 1)[1] + "/"
    assert len(page.encode()) < 1024 and "md-header" not in page and "<script" not in page
    assert f'<meta http-equiv="refresh" content="0; url={target}">' in page
    assert re.search(rf'<link rel="canonical" href="https://[^"]+/{re.escape(single.slug)}/{target}">', page)
    assert f'<a href="{target}">{htmllib.escape(doc.title)}</a>' in page  # for a browser that does not refresh
    assert not (out / "charts" / f"{single.slug.replace('/', '--')}--index.json").exists()
    assert (out / "charts" / f"{multi.slug.replace('/', '--')}--index.json").exists()
    full = (out / multi.slug / "index.html").read_text(encoding="utf-8")
    assert "md-header" in full and "全部文档" in full and 'http-equiv="refresh"' not in full
    index = json.loads((out / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    assert not [d for d in index if d["location"].startswith(single.slug + "/") and d["location"].count("/") == 2]
    assert any(d["location"] == quote(multi.slug) + "/" for d in index)
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert f"/{single.slug}/</loc>" not in sitemap and f"/{quote(multi.slug)}/</loc>" in sitemap
    assert f"/{single.slug}/{target}</loc>" in sitemap
    # the unit index links the unit of one document straight to its document page
    units_index = (out / "units" / "index.html").read_text(encoding="utf-8")
    assert f'href="../{doc.path}/"' in units_index and f'href="../{multi.slug}/"' in units_index
    # its document page names the unit without a link (it would lead back); another unit's crumb links its page
    crumbs = re.search(r'<nav class="crumbs".*?</nav>', (out / doc.path / "index.html").read_text(encoding="utf-8")).group(0)
    assert "<span>未识别单位</span>" in crumbs and crumbs.count("<a ") == 2
    multi_doc = (out / multi.docs[0].path / "index.html").read_text(encoding="utf-8")
    crumbs = re.search(r'<nav class="crumbs".*?</nav>', multi_doc).group(0)
    assert crumbs.count("<a ") == 3 and '<a href="../">' in crumbs


def test_document_page_shows_what_its_unit_page_showed(final_site):
    """Region and level (部门/单位) of the unit are among the document page's facts."""
    for u in _units(final_site):
        for d in u.docs:
            page = (final_site / "site" / d.path / "index.html").read_text(encoding="utf-8")
            facts = re.search(r'<p class="doc-facts">(.*?)</p>', page).group(1)
            assert f"层级：{u.level}" in facts, d.doc_id
            assert u.region is None or f"地区：{u.region}" in facts
    assert {u.level for u in _units(final_site) if len(u.docs) > 1} == {"部门"}  # a 部门决算 makes it a 部门


def test_three_public_by_unit_and_year_names_the_prior_year_column(final_site):
    page = (final_site / "site" / "compare" / "three-public" / "index.html").read_text(encoding="utf-8")
    assert "上年数" in page and "本年数" in page and "/source/#L8" in page
    budget = next(d for u in _units(final_site) for d in u.docs if d.doc_id == DOC)
    doc = (final_site / "site" / budget.path / "index.html").read_text(encoding="utf-8")
    assert "2022年（上年数，本文档所列）" in doc


def test_citation_and_official_link_from_sources_sidecar(final_site):
    u = next(u for u in _units(final_site) if len(u.docs) > 1)
    budget = next(d for d in u.docs if d.doc_id == DOC)
    page = (final_site / "site" / budget.path / "index.html").read_text(encoding="utf-8")
    assert 'href="https://www.example.gov.cn/yusuan.pdf"' in page
    assert "某县财政局. " in page and "[EB/OL]. (2023-02-01)" in page
    assert "sources.csv" not in {p.name for p in (final_site / "site" / "downloads" / "raw").iterdir()}


VISIBLE_SKIP = re.compile(r"<(script|style|code|pre)\b.*?</\1>", re.S)


def _visible(html: str) -> str:
    body = html.split('<article', 1)[-1].split("</article>", 1)[0]
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", VISIBLE_SKIP.sub(" ", body)))


def test_no_ascii_enum_value_in_visible_text(final_site):
    codes = set()
    for mapping in (labels.METRIC_LABELS, labels.THREE_PUBLIC_LABELS, labels.ASSET_LABELS, labels.DOC_KIND_LABELS,
                    labels.STATUS_LABELS, labels.SEVERITY_LABELS, labels.FORMAT_LABELS, labels.SEGMENT_LABELS,
                    labels.ISSUE_LABELS):
        codes |= {c for c in mapping if c not in ("total",)}
    codes |= set(labels.CHECK_LABELS)
    for f in (final_site / "site").rglob("index.html"):
        if "dictionary" in f.parts:
            continue  # the data dictionary documents the codes themselves
        text = _visible(f.read_text(encoding="utf-8"))
        found = sorted(c for c in codes if re.search(rf"(?<![\w.]){re.escape(c)}(?![\w])", text))
        assert not found, (f, found)


def test_every_check_family_and_issue_code_has_a_label():
    assert {c.code for c in contract.ISSUE_CODES} <= set(labels.ISSUE_LABELS)
    assert labels.check_name("economic.children_sum:301") == "经济分类：下级科目之和等于上级（301）"
    assert labels.check_name("operating.items_sum:carryover") == "机关运行经费：明细之和等于总额（上年结转安排）"
    assert labels.DOC_KIND_LABELS["final_accounts"] == "部门决算"


def test_site_chrome_strings_come_from_labels():
    root = Path(__file__).resolve().parents[2] / "site_src" / "overrides"
    chrome = (root / "404.html").read_text(encoding="utf-8") + (root / "partials" / "copyright.html").read_text(encoding="utf-8")
    for s in labels.SITE_LABELS.values():
        assert s in chrome, s


def test_zip_and_xlsx_downloads_are_deterministic_with_is_total_and_labels(final_site, tmp_path):
    dl = final_site / "site" / "downloads"
    with zipfile.ZipFile(dl / downloads.ZIP_NAME) as z:
        names = z.namelist()
        assert {f"{t.name}.csv" for t in contract.TABLES} == set(names)
        func = z.read("expenditure_by_function.csv").decode("utf-8-sig").splitlines()
        totals = z.read("budget_totals.csv").decode("utf-8-sig").splitlines()
    assert func[0].endswith(",is_total")
    assert any(line.startswith(f"{DOC},201,") and line.endswith(",true") for line in func)  # 201 has a child 20101
    assert any(line.startswith(f"{DOC},20101,") and line.endswith(",false") for line in func)
    assert "metric_label" in totals[0] and "支出总计" in "\n".join(totals)
    with zipfile.ZipFile(dl / downloads.XLSX_NAME) as x:
        assert "xl/worksheets/sheet1.xml" in x.namelist()
        assert len([n for n in x.namelist() if n.startswith("xl/worksheets/sheet")]) == len(contract.TABLES) + 1
    import openpyxl

    wb = openpyxl.load_workbook(dl / downloads.XLSX_NAME, read_only=True)
    assert wb.sheetnames == ["README"] + [t.name[:31] for t in contract.TABLES]
    rows = list(wb["expenditure_by_function"].iter_rows(values_only=True))
    assert rows[0][-1] == "is_total" and len(rows) == len(func)  # the same rows as the CSV
    assert any(r[0] == DOC and r[1] == "201" and r[-1] is True for r in rows[1:])
    wb.close()
    again = tmp_path / "again"
    again.mkdir()
    downloads.write(final_site / "data" / "processed", again)
    for name in (downloads.ZIP_NAME, downloads.XLSX_NAME):
        assert (again / name).read_bytes() == (dl / name).read_bytes(), name


def test_datapackage_has_version_and_keys(final_site):
    import json

    pkg = json.loads((final_site / "site" / "downloads" / "datapackage.json").read_text(encoding="utf-8"))
    assert pkg["version"].startswith("0.1.0+")
    res = {r["name"]: r for r in pkg["resources"]}
    assert res["documents"]["schema"]["primaryKey"] == ["doc_id"]
    assert res["projects"]["schema"]["foreignKeys"][0]["reference"] == {"resource": "documents", "fields": ["doc_id"]}
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(final_site / "site" / "downloads" / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]


@pytest.mark.site
def test_long_cross_document_lists_are_paged_and_every_link_resolves(tmp_path, monkeypatch):
    """Past LIST_ROWS rows the 三公 comparison and the scorecard go on in -2/, -3/ … pages, linked by a
    pager; the charts draw at most CHART_UNITS units. Here with one row a page."""
    import importlib
    import shutil
    import sys

    from generator.publish import render

    md_ = importlib.import_module("generator.publish.render.md")

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from linkcheck import broken_links

    root, processed = make_project(tmp_path, _with_final())
    (root / "data" / "raw" / f"{FINAL}.txt").write_text("".join(f"决算第{i}行\n" for i in range(1, 10)), encoding="utf-8")
    monkeypatch.setattr(md_, "LIST_ROWS", 1)
    monkeypatch.setattr(render, "LIST_ROWS", 1)
    assert site.build_site(root, processed) == 0
    out = root / "site"
    for base in ("compare/three-public", "quality/scorecard"):
        first = (out / base / "index.html").read_text(encoding="utf-8")
        assert 'class="pager"' in first and f"{base.rsplit('/', 1)[1]}-2/" in first, base
        assert (out / f"{base}-2" / "index.html").is_file(), base
    # (the 决算 text is written after its sha256 was recorded, so it is rightly not published)
    assert [b for b in broken_links(out) if f"raw/{FINAL}.txt" not in b] == []
    shutil.rmtree(out)
