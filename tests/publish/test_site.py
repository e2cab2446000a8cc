"""The website: escaping, formatting, page generation from full and empty tables, strict build, downloads.

Synthetic tables (every contract table filled, document text full of `*`, `|`, `<u>`, `[`) are
written with the real store into a temp project, so these tests do not depend on the parser's state.
"""

from __future__ import annotations

import gzip
import hashlib
import html as htmllib
import json
import re
import shutil
from decimal import Decimal as D
from pathlib import Path

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import contract
from generator.publish import pages, render, site, store, units
from generator.publish.render.md import fmt_wan, h, md

ROOT = Path(__file__).resolve().parents[2]
NASTY = "标*题|<u>下划线</u>[链接](http://x)_a_ #1. `c` & &amp; \\ ~ !"
DOC = "t1_nasty"
DOC2 = "t2_empty"


def _tables() -> dict[str, list[dict]]:
    t: dict[str, list[dict]] = {x.name: [] for x in contract.TABLES}
    t["documents"] = [
        dict(doc_id=DOC, source_file=f"{DOC}.txt", source_sha256="ab" * 32, source_format="word_text",
             unit_code="1", unit_name=NASTY, year=2023, doc_kind="unit_budget", region="某县", amount_unit="万元",
             parse_warnings=1, title=f"测试{NASTY}", encoding="utf-8", source_size=40),
        dict(doc_id=DOC2, source_file=f"{DOC2}.txt", source_sha256="cd" * 32, source_format="word_text",
             parse_warnings=0, encoding="utf-8", source_size=10),
    ]
    m = [("expenditure_total", "1234.5"), ("income_total", "1234.5"), ("basic_expenditure", "1000"),
         ("project_expenditure", "234.5"), ("personnel_expenditure", "800"), ("public_expenditure", "200")]
    t["budget_totals"] = [dict(doc_id=DOC, metric=k, amount_wan=D(v), source_line="3") for k, v in m]
    t["expenditure_by_function"] = [
        dict(doc_id=DOC, code="201", name=NASTY, level=1, total_wan=D("1234.5"), basic_wan=D(1000), project_wan=D("234.5"),
             source_line="4"),
        dict(doc_id=DOC, code="20101", name="人大事务", level=2, total_wan=D("1234.5"), source_line="5")]
    t["income_by_function"] = [dict(doc_id=DOC, code="201", name="一般公共服务", level=1, total_wan=D("1234.5"),
                                    fiscal_wan=D("1234.5"), source_line="6")]
    t["expenditure_by_economic"] = [dict(doc_id=DOC, code="301", name="工资福利支出", level=1, total_wan=D(800),
                                         personnel_wan=D(800), source_line="7")]
    t["three_public"] = [dict(doc_id=DOC, fiscal_year=y, category=c, amount_wan=D(v), source_line="8")
                         for y in (2022, 2023) for c, v in (("total", "3.5"), ("reception", "1.25"), ("overseas_travel", "0"))]
    t["operating_expenses"] = [dict(doc_id=DOC, item="total", amount_wan=D(200), source_line="9")]
    t["projects"] = [dict(doc_id=DOC, project_seq=i, project_code=f"P{i}", project_name=f"{NASTY}项目{i}",
                          budget_wan=D(100 * i) + D("0.5"), fiscal_wan=D(100 * i), plan_q1_pct=D(25), plan_q2_pct=D(50),
                          plan_q3_pct=D(80), plan_q4_pct=D(100), source_line=str(10 + i)) for i in (1, 2)]
    t["indicators"] = [dict(doc_id=DOC, project_seq=1, indicator_seq=1, level1="产出指标", level2="数量指标",
                            level3=NASTY, value_raw="≥95%", comparator=">=", value_num=D(95), value_unit="%",
                            source_line="12"),
                       dict(doc_id=DOC, project_seq=None, indicator_seq=1, level1="效益指标", value_raw="好",
                            source_line="13")]
    t["procurement"] = [dict(doc_id=DOC, item_name=NASTY, category="货物", quantity=D(2), quantity_unit="台",
                             amount_wan=D("1.2"), source_line="14")]
    t["assets"] = [dict(doc_id=DOC, item="vehicles", quantity=D(1), value_wan=D(20), source_line="15")]
    t["checks"] = [dict(doc_id=DOC, check_id="sum.totals", status="fail", expected_wan=D(1), actual_wan=D(2),
                        message=NASTY, source_line="3"),
                   dict(doc_id=DOC, check_id="sum.functions", status="pass", source_line="4")]
    t["disclosure_items"] = [dict(doc_id=DOC, item="三公经费", present=True), dict(doc_id=DOC, item="政府采购", present=False)]
    t["units"] = [dict(doc_id=DOC, unit_name=NASTY, nature="行政", source_line="2")]
    t["parse_issues"] = [dict(doc_id=None, source_file="broken.bin", code="unknown-format", severity="error",
                              where="broken.bin", message="binary <b>content</b>"),
                         dict(doc_id=DOC, source_file=f"{DOC}.txt", code="amount-unparseable", severity="warning",
                              where="line 9", message=NASTY)]
    return t


def make_project(tmp: Path, tables: dict[str, list[dict]] | None) -> tuple[Path, Path]:
    """A temp project: this repo's mkdocs.yml and hand-written site_src, synthetic raw files and tables."""
    root = tmp / "proj"
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root)
    shutil.copytree(ROOT / "site_src", root / "site_src", ignore=shutil.ignore_patterns("generated", "downloads"))
    raw = root / "data" / "raw"
    raw.mkdir(parents=True)
    lines = ["标题", *[f"第{i}行 {NASTY}" for i in range(2, 20)]]
    (raw / f"{DOC}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (raw / f"{DOC2}.txt").write_text("空\n", encoding="utf-8")
    (raw / "broken.bin").write_bytes(b"\x00\x01")
    for d in (tables or {}).get("documents", []):  # published only when the file is the one parsed (issue 10)
        if (raw / d["source_file"]).is_file():
            d["source_sha256"] = hashlib.sha256((raw / d["source_file"]).read_bytes()).hexdigest()
    processed = root / "data" / "processed"
    store.write_all(processed, tables or {})
    return root, processed


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root, processed = make_project(tmp_path_factory.mktemp("site"), _tables())
    assert site.build_site(root, processed) == 0
    return root


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _doc_dir(root: Path, doc_id: str) -> str:
    """The document's site path (units/<unit>/<year>-<kind>), as the pages compute it."""
    con = store.connect(root / "data" / "processed")
    try:
        return {d.doc_id: d.path for d in pages.doc_summaries(con)}[doc_id]
    finally:
        con.close()


# ---- escaping and formatting ------------------------------------------------------------------

@given(st.lists(st.sampled_from(list("ab 中文*_|<>&[]()#+-.!`\\~:{}") + ["<u>", "&amp;", "1. ", "# ", "http://x"]),
                max_size=20).map("".join))
def test_md_escape_renders_literal_text(s):
    """Whatever the document says, the reader sees exactly that text, never markup."""
    out = markdown.markdown(md(s), extensions=["tables", "attr_list", "toc", "pymdownx.snippets"])
    assert "<u>" not in out and "<a" not in out and "<em>" not in out and "<code>" not in out
    visible = htmllib.unescape(re.sub(r"<[^>]+>", "", out))
    assert visible.strip() == re.sub(r"\s+", " ", s).strip()


def test_h_escapes_html():
    assert h('<u>a</u> & "b"') == "&lt;u&gt;a&lt;/u&gt; &amp; &quot;b&quot;"


@pytest.mark.parametrize("value,shown", [
    (D("1234.5"), "1,234.50"), (D("0"), "0.00"), (D("1234567.123456"), "1,234,567.123456"),
    (D("-12.3"), "-12.30"), (None, "—"), (D("1.0500"), "1.05"),
])
def test_fmt_wan_thousands_two_decimals(value, shown):
    assert fmt_wan(value) == shown


# ---- page models over empty tables ----------------------------------------------------------------

def test_pages_and_render_work_on_empty_tables(tmp_path):
    root, processed = make_project(tmp_path, {})
    con = store.connect(processed)
    home = pages.home_page(con)
    assert home.documents == 0 and home.total_budget == D(0)
    all_units = units.units(con)
    for page in (render.home(home), render.quality(pages.quality_page(con)), *render.scorecard(pages.scorecard_page(con)),
                 render.projects(pages.projects_page(con)), render.procurement(pages.procurement_page(con)),
                 *render.three_public_compare(all_units, units.three_public_by_unit_year(con, all_units)),
                 render.unit_index(all_units)):
        assert page.markdown


def test_empty_site_builds_strict(tmp_path):
    root, processed = make_project(tmp_path, {})
    assert site.build_site(root, processed) == 0
    assert (root / "site" / "index.html").exists()


# ---- the built site ---------------------------------------------------------------------------------

@pytest.mark.site
def test_every_page_kind_is_built(built):
    s = built / "site"
    d1, d2 = _doc_dir(built, DOC), _doc_dir(built, DOC2)
    assert d1.startswith("units/") and d1.endswith("/2023-unit-budget")
    for p in ["index.html", "about/index.html", f"{d1}/index.html", f"{d2}/index.html",
              f"{d1}/source/index.html", "docs/index.html", "units/index.html", d1.rsplit("/", 1)[0] + "/index.html",
              "compare/three-public/index.html", "glossary/index.html",
              "compare/projects/index.html", "compare/procurement/index.html",
              "quality/index.html", "quality/scorecard/index.html",
              "data/downloads/index.html", "data/dictionary/index.html"]:
        assert (s / p).exists(), p
    assert not (s / "generated").exists() and not list(s.rglob("generated"))
    # each unit here has one document: its unit page is a redirect to the document page (see test_units)
    assert 'content="0; url=2023-unit-budget/"' in _text(s / d1.rsplit("/", 1)[0] / "index.html")
    # a small document's details (all projects, indicators, checks) are on its page, not pages of their own
    assert 'id="projects"' in _text(s / d1 / "index.html") and not (s / d1 / "projects").exists()


@pytest.mark.site
def test_document_text_is_escaped_on_pages(built):
    page = _text(built / "site" / _doc_dir(built, DOC) / "index.html")
    assert "<u>下划线</u>" not in page
    assert "&lt;u&gt;下划线&lt;/u&gt;" in page
    assert 'href="http://x"' not in page
    assert "标*题|" in page  # shown literally, not as emphasis or a table split


@pytest.mark.site
def test_document_page_has_figures_with_source_lines_and_charts(built):
    d = _doc_dir(built, DOC)
    page = _text(built / "site" / d / "index.html")
    assert "1,234.50" in page
    assert 'href="source/#L3"' in page
    assert 'class="vchart"' in page and "图表数据" in page
    sha = hashlib.sha256((built / "data" / "raw" / f"{DOC}.txt").read_bytes()).hexdigest()
    assert sha in page and f"downloads/raw/{DOC}.txt" in page
    assert "✘ 不符" in page and "GB/T 7714" in page
    assert "其余核对" in page and "✔ 通过" in page  # a small document's checks, all of them, are on its page
    charts = json.loads(_text(built / "site" / "charts" / f"{d.replace('/', '--')}--index.json"))
    assert {"structure", "functions", "three_public", "projects"} <= set(charts)
    assert all(spec["$schema"].endswith("v6.4.1.json") for spec in charts.values())


@pytest.mark.site
def test_source_view_has_line_anchors(built):
    """The source view reads the published text (no copy in the page) and says how many lines it has."""
    page = _text(built / "site" / _doc_dir(built, DOC) / "source" / "index.html")
    m = re.search(r'data-src="([^"]+)" data-encoding="utf-8" data-lines="19"', page)
    assert m and "<u>" not in page
    assert (built / "site" / _doc_dir(built, DOC) / "source" / m.group(1)).resolve().is_file()
    assert "data-gzip" not in page and m.group(1).endswith(f"downloads/raw/{DOC}.txt")


@pytest.mark.site
def test_source_view_is_a_slim_page(built):
    """The source view is drawn by overrides/source.html: its own stylesheet and script, none of the theme's
    header, navigation, search or scripts; breadcrumbs, the way back, the download and the build footer."""
    d = _doc_dir(built, DOC)
    path = built / "site" / d / "source" / "index.html"
    page = _text(path)
    assert path.stat().st_size < 3 * 1024
    assert page.startswith("<!doctype html>") and '<html lang="zh">' in page and '<link rel="canonical"' in page
    assert "assets/css/source.css" in page and "assets/js/source.js" in page
    assert "md-header" not in page and "md-search" not in page and "javascripts/bundle" not in page
    assert re.search(r'<nav class="crumbs"[^>]*>.*首页.*单位.*原文', page)
    assert 'href="../">返回文档页</a>' in page and f'downloads/raw/{DOC}.txt" download>下载原始文件</a>' in page
    assert "数据版本" in page and "CC BY 4.0" in page
    # still a page of the site: in the sitemap, out of the search index; the other pages keep the theme
    assert f"/{d.rsplit('/', 1)[1]}/source/</loc>" in _text(built / "site" / "sitemap.xml")
    assert "/source/" not in _text(built / "site" / "search" / "search_index.json")
    doc = _text(built / "site" / d / "index.html")
    assert "md-header" in doc and "assets/js/source.js" not in doc


@pytest.mark.site
def test_quality_page_lists_failed_checks_and_all_parse_issues(built):
    page = _text(built / "site" / "quality" / "index.html")
    assert "sum.totals" in page and "sum.functions" not in page  # a check with no Chinese name shows its id
    assert "broken.bin" in page and "格式无法识别" in page and "金额无法识别" in page
    assert "unknown-format" not in page and "warning" not in page
    assert "&lt;b&gt;content&lt;/b&gt;" in page


@pytest.mark.site
def test_scorecard_marks_present_and_missing(built):
    page = _text(built / "site" / "quality" / "scorecard" / "index.html")
    assert "三公经费" in page and "✔" in page and "✘" in page and "1/2" in page


@pytest.mark.site
def test_downloads_for_every_table(built):
    dl = built / "site" / "downloads"
    page = _text(built / "site" / "data" / "downloads" / "index.html")
    for t in contract.TABLES:
        assert (dl / "tables" / f"{t.name}.parquet").exists()
        # the CSV is published gzip-compressed, byte for byte the processed CSV inside
        csv = gzip.decompress((dl / "tables" / f"{t.name}.csv.gz").read_bytes())
        assert csv.startswith(b"\xef\xbb\xbf")
        assert csv == (built / "data" / "processed" / f"{t.name}.csv").read_bytes()
        assert f"tables/{t.name}.csv.gz" in page
    assert (dl / "raw" / f"{DOC}.txt").exists()
    # the ZIP and the workbook are written beside mkdocs; their sizes are filled in afterwards
    from generator.publish import downloads
    from generator.publish.render.md import fmt_bytes
    for name in (downloads.ZIP_NAME, downloads.XLSX_NAME):
        assert f"{fmt_bytes((dl / name).stat().st_size)}" in page, name
    assert 'class="dl-size"' not in (built / "site" / "data" / "downloads" / "index.html").read_text(encoding="utf-8")
    assert not list(built.glob(".site-extras*"))
    assert not (dl / "budget.duckdb").exists()  # the views script replaced the database file
    assert 'href="../../downloads/budget.sql"' in page and "duckdb -init budget.sql" in page


@pytest.mark.site
def test_sql_script_views_equal_the_parquet_tables(built, monkeypatch):
    """budget.sql run in the built downloads folder, as the downloads page says: every contract table is
    a view with the Parquet file's rows, column names and types (money DECIMAL(20,6))."""
    from test_database_script import assert_views_equal_parquet

    monkeypatch.chdir(built / "site" / "downloads")
    assert_views_equal_parquet(Path("."))


@pytest.mark.site
def test_parquet_zip_unzips_into_a_folder_budget_sql_reads(built, tmp_path, monkeypatch):
    """budget-parquet.zip: budget.sql and every Parquet file, laid out as the script reads them, stored
    byte for byte; unzipped anywhere, the script gives every table; the downloads page links it."""
    import zipfile

    from test_database_script import assert_views_equal_parquet

    from generator.publish.render.md import fmt_bytes

    dl = built / "site" / "downloads"
    with zipfile.ZipFile(dl / site.PARQUET_ZIP) as z:
        names = z.namelist()
        assert names == [site.SQL_SCRIPT] + [f"tables/{t.name}.parquet" for t in contract.TABLES]
        assert all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist())
        for n in names:
            assert z.read(n) == (dl / n).read_bytes(), n
        z.extractall(tmp_path / "budget")
    monkeypatch.chdir(tmp_path / "budget")
    assert_views_equal_parquet(Path("."))
    page = _text(built / "site" / "data" / "downloads" / "index.html")
    size = fmt_bytes((dl / site.PARQUET_ZIP).stat().st_size)
    assert f'href="../../downloads/{site.PARQUET_ZIP}" download>全部 Parquet 和 budget.sql（ZIP，{size}）' in page


@pytest.mark.site
def test_every_chart_spec_is_valid_vega_lite(built):
    """Specs are built without Altair's per-chart validation (speed); each one is validated here."""
    import altair as alt

    specs = [spec for f in sorted((built / "site" / "charts").glob("*.json")) for spec in json.loads(_text(f)).values()]
    assert specs
    for spec in specs:
        alt.Chart.from_dict(spec, validate=True)  # raises on anything the Vega-Lite schema rejects


@pytest.mark.site
def test_dictionary_covers_every_column(built):
    page = _text(built / "site" / "data" / "dictionary" / "index.html")
    for t in contract.TABLES:
        for c in t.columns:
            assert f'<td class="ident">{c.name}</td>' in page


@pytest.mark.site
def test_datapackage_is_valid_frictionless(built):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(built / "site" / "downloads" / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]


@pytest.mark.site
def test_search_is_chinese_and_no_cdn(built):
    cfg = json.loads(_text(built / "site" / "search" / "search_index.json"))["config"]
    assert cfg["lang"] == ["zh"]
    # the host names are assembled so that this test is not itself a CDN reference
    outside = ["fonts." + "googleapis", "cdn." + "jsdelivr", "un" + "pkg.com", "cdn" + "js."]
    for f in (built / "site").rglob("*.html"):
        text = _text(f)
        assert not [o for o in outside if o in text], f


@pytest.mark.site
def test_search_index_segments_budget_terms_with_jieba_user_dict(built):
    """Without `lang: zh` + jieba the index silently falls back to English and whole terms are not findable."""
    docs = json.loads(_text(built / "site" / "search" / "search_index.json"))["docs"]
    text = " ".join(d["text"] for d in docs)
    for term in ("基本支出", "项目支出", "人员经费"):
        assert f"\u200b{term}\u200b" in text, term


@pytest.mark.site
def test_build_is_byte_identical(built, tmp_path):
    root2, processed2 = make_project(tmp_path, _tables())
    assert site.build_site(root2, processed2) == 0

    def digest(root: Path) -> dict[str, str]:
        out = {}
        for p in sorted((root / "site").rglob("*")):
            if p.is_file() and p.name != "sitemap.xml.gz":
                out[str(p.relative_to(root / "site"))] = hashlib.sha256(p.read_bytes()).hexdigest()
        return out

    a, b = digest(built), digest(root2)
    assert a.keys() == b.keys() and "downloads/budget.sql" in a
    assert [k for k in a if a[k] != b[k]] == []


def test_rebuild_keeps_unchanged_pages_and_rewrites_changed_ones(tmp_path):
    """A second build links every page whose bytes did not change (same file, same modification time)."""
    root, processed = make_project(tmp_path, _tables())
    gen = root / "site_src" / "generated"
    site.generate(root, processed)
    first = {p.relative_to(gen): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in gen.rglob("*") if p.is_file()}
    tables = _tables()
    tables["projects"][0]["project_name"] = "改过的项目名"
    store.write_all(processed, tables)
    site.generate(root, processed)
    second = {p.relative_to(gen): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in gen.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    changed = {k for k in first if first[k][2] != second[k][2]}
    kept = {k for k in first if first[k][:2] == second[k][:2]}
    assert any(k.name == "projects.md" and "改过的项目名" in second[k][2].decode("utf-8") for k in changed)
    assert len(changed) < len(first) / 2
    assert kept == set(first) - changed  # every page whose bytes are the same is the same file


def test_vendored_vega_matches_altair():
    """charts.js loads the vendored builds whose versions Altair's specs ask for; no CDN anywhere."""
    import altair as alt

    js = _text(ROOT / "site_src" / "assets" / "js" / "charts.js")
    vendor = ROOT / "site_src" / "assets" / "vendor"
    names = re.findall(r'"((?:vega|vega-lite|vega-embed)@[\d.]+\.min\.js)"', js)
    assert f"vega-lite@{alt.VEGALITE_VERSION}.min.js" in names
    assert any(n.startswith(f"vega@{alt.VEGA_VERSION}.") for n in names)
    assert any(n.startswith(f"vega-embed@{alt.VEGAEMBED_VERSION}.") for n in names)
    for n in names:
        body = (vendor / n).read_text(encoding="utf-8")
        assert "sourceMappingURL" not in body
        if n.startswith("vega@"):
            assert f'version="{n[5:-7]}"' in body  # the bundle reports the version it is named for


@pytest.mark.site
def test_every_source_line_link_has_an_anchor(built):
    d = _doc_dir(built, DOC)
    page = _text(built / "site" / d / "index.html")
    source = _text(built / "site" / d / "source" / "index.html")
    n = int(re.search(r'data-lines="(\d+)"', source).group(1))
    lines = {int(x) for x in re.findall(r'href="source/#L(\d+)"', page)}
    assert lines and max(lines) <= n


@pytest.mark.site
def test_every_chart_has_caption_and_spec(built):
    """Each chart div names a spec that exists and carries a caption (its text alternative)."""
    for html in (built / "site").rglob("index.html"):
        text = _text(html)
        divs = re.findall(r'<div class="vchart" data-src="([^"]+)" data-name="([^"]+)" role="img" aria-label="([^"]+)">', text)
        assert len(divs) == text.count('class="vchart"'), html
        assert text.count("<figcaption>") >= len(divs), html
        for src, name, label in divs:
            specs = json.loads((html.parent / src).resolve().read_text(encoding="utf-8"))
            assert name in specs and label, (html, name)


@pytest.mark.site
def test_pages_rendered_in_parallel_equal_a_serial_render(built, tmp_path):
    """Document pages are rendered by one process per core, sharded by doc_id: the same files, byte
    for byte, as one process rendering every page."""
    from generator.publish import store

    processed = built / "data" / "processed"
    out = {}
    for jobs in (1, 3):
        gen = tmp_path / f"gen{jobs}"
        gen.mkdir()
        con = store.connect(processed)
        try:
            site.write_all_pages(con, built, built / "site_src" / "downloads", processed, gen, None, jobs=jobs)
        finally:
            con.close()
        out[jobs] = {p.relative_to(gen).as_posix(): p.read_bytes() for p in sorted(gen.rglob("*")) if p.is_file()}
    assert out[1].keys() == out[3].keys() and len(out[1]) > 10
    assert out[1] == out[3]
