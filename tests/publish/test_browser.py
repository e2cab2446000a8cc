"""Headless Chromium (Debian's /usr/bin/chromium via playwright, never `playwright install`) on the seed site.

Every document page must render its charts (an SVG or canvas appears) with zero console errors
and zero requests leaving the site; networking to anything but localhost is refused. The seed site
gets one hand-made 决算 (a seed budget rewritten as the same unit's 决算 for the same year) so the
budget-against-决算 view is exercised. A vendored axe-core runs over every page template.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
import urllib.parse
from decimal import Decimal
from pathlib import Path

import pytest

from generator import build, contract
from generator.publish import site, store

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-dev-shm-usage"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = [pytest.mark.browser, pytest.mark.site,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed (make chromium)")]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # noqa: D401 - keep test output clean
        pass


AXE = Path(__file__).resolve().parent / "vendor" / "axe-core@4.10.3.min.js"
DOC_PAGE_MAX = 60 * 1024  # bytes of HTML of a document page
SEARCH_PER_DOC = 5 * 1024  # bytes of search index per document


def _add_final_accounts(processed: Path) -> str:
    """The first seed budget with totals, rewritten as its unit's 决算 of the same year (90% of each amount)."""
    import pyarrow.parquet as pq

    tables = {t.name: pq.read_table(processed / f"{t.name}.parquet").to_pylist() for t in contract.TABLES
              if (processed / f"{t.name}.parquet").exists()}
    with_totals = {r["doc_id"] for r in tables["budget_totals"]}
    doc = next(d for d in tables["documents"] if d["doc_id"] in with_totals and d["doc_kind"] != "performance")
    final = doc["doc_id"] + "_final"
    tables["documents"].append({**doc, "doc_id": final, "doc_kind": "final_accounts", "source_sha256": "f" * 64})
    for name in ("budget_totals", "three_public"):
        tables[name] += [{**r, "doc_id": final, "amount_wan": (r["amount_wan"] * Decimal("0.9")).quantize(Decimal("0.01"))}
                         for r in tables[name] if r["doc_id"] == doc["doc_id"] and r["amount_wan"] is not None]
    store.write_all(processed, tables)
    return final


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory):
    """The five seed disclosures parsed (plus one hand-made 决算) and built into a temp project; served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("seedsite") / "proj"
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root)
    shutil.copytree(ROOT / "site_src", root / "site_src", ignore=shutil.ignore_patterns("generated", "downloads"))
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    processed = root / "data" / "processed"
    build.build_data(root / "data" / "raw", processed)
    _add_final_accounts(processed)
    assert site.build_site(root, processed) == 0
    handler = functools.partial(_Quiet, directory=str(root / "site"))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{srv.server_port}/"
    srv.shutdown()


MIRROR = "https://mirror.invalid/"


@pytest.fixture(scope="module")
def mirror_site(seed_site, tmp_path_factory):
    """The seed site built again with ORIGINALS_URL: originals linked from a mirror the browser cannot reach
    (its host resolves nowhere), the text files kept on the site only as gzip copies for the source views."""
    seed, _ = seed_site
    root = tmp_path_factory.mktemp("mirrorsite") / "proj"
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root)
    shutil.copytree(ROOT / "site_src", root / "site_src", ignore=shutil.ignore_patterns("generated", "downloads"))
    shutil.copytree(seed / "data", root / "data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ORIGINALS_URL", MIRROR)
        assert site.build_site(root, root / "data" / "processed") == 0
    handler = functools.partial(_Quiet, directory=str(root / "site"))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{srv.server_port}/"
    srv.shutdown()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        # launch() gives a fresh temporary profile (--user-data-dir) every time. NOTE: a persistent
        # context keeps Material's search worker from ever answering, so it is not used here.
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        ctx = b.new_context(viewport=DESKTOP)
        yield ctx
        ctx.close()
        b.close()


def _visit(browser, base: str, path: str, viewport: dict | None = None):
    page = browser.new_page()
    if viewport:
        page.set_viewport_size(viewport)
    errors: list[str] = []
    outside: list[str] = []
    # errors, and the vega-embed warning that the vendored Vega does not match the spec's version
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" or (m.type == "warning" and "current version" in m.text) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:")) else outside.append(r.url))
    resp = page.goto(base + path, wait_until="load")
    assert resp is not None and resp.ok, path
    n = page.locator(".vchart").count()
    if n:
        page.wait_for_function(
            "n => document.querySelectorAll('.vchart svg, .vchart canvas').length >= n", arg=n, timeout=15000)
    page.wait_for_load_state("networkidle")
    return page, errors, outside, n


def _doc_paths(root: Path) -> list[str]:
    """Site paths of every document page (units/<unit>/<year>-<kind>/)."""
    return sorted(str(p.parent.relative_to(root / "site")) + "/" for p in (root / "site" / "units").glob("*/*/index.html"))


def _unit_with_final(root: Path) -> str:
    for p in sorted((root / "site" / "units").glob("*/index.html")):
        if "预算与决算对比" in p.read_text(encoding="utf-8"):
            return str(p.parent.relative_to(root / "site")) + "/"
    raise AssertionError("no unit page sets a budget against a 决算")


def _q(path: str) -> str:
    return urllib.parse.quote(path)


def test_every_document_page_renders_charts_without_errors_or_outside_requests(seed_site, browser):
    root, base = seed_site
    paths = _doc_paths(root)
    assert len(paths) == len(build.raw_files(root / "data" / "raw")) + 1  # the seeds and the hand-made 决算
    for path in paths:
        page, errors, outside, charts = _visit(browser, base, _q(path))
        rendered = page.locator(".vchart svg, .vchart canvas").count()
        labels = page.evaluate("Array.from(document.querySelectorAll('.vchart [aria-label]')).map(e => e.getAttribute('aria-label'))")
        page.close()
        assert errors == [], (path, errors)
        assert outside == [], (path, outside)
        assert rendered >= charts, path
        assert not [x for x in labels if "Vega" in x], (path, labels)  # the Chinese caption stays the chart's label


PAGES = ["", "units/", "docs/", "compare/three-public/", "compare/projects/", "compare/procurement/", "quality/",
         "quality/scorecard/", "data/downloads/", "data/dictionary/", "glossary/", "about/"]


@pytest.mark.parametrize("path", PAGES)
def test_other_pages_load_clean(seed_site, browser, path):
    _, base = seed_site
    page, errors, outside, _ = _visit(browser, base, path, PHONE)
    page.close()
    assert errors == [] and outside == [], (errors, outside)


def test_one_document_unit_lands_on_its_document_page(seed_site, browser):
    """A unit of one document has a slim redirect page: the browser lands on the document page. Nothing on
    the site links to a redirect page, and each leads to a document page."""
    from linkcheck import broken_links, redirect_problems

    root, base = seed_site
    redirects, bad = redirect_problems(root / "site")
    assert bad == [] and broken_links(root / "site") == []
    # the seeds' units have one document each, but the unit given a hand-made 决算
    assert len(redirects) == len(list((root / "site" / "units").glob("*/index.html"))) - 1 >= 1
    unit = sorted(redirects)[0].removesuffix("index.html")
    doc = Path(redirects[sorted(redirects)[0]]).parent.relative_to((root / "site").resolve()).as_posix() + "/"
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(base + _q(unit), wait_until="load")
    page.wait_for_url(base + _q(doc), timeout=15000)
    page.wait_for_load_state("load")
    assert page.locator("nav.crumbs").count() == 1 and page.locator("h1").count() == 1
    assert "层级：" in page.locator(".doc-facts").inner_text()
    page.close()
    assert errors == []


def test_no_url_has_generated_in_it(seed_site):
    root, _ = seed_site
    assert not list((root / "site").rglob("generated"))
    sitemap = (root / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>" in sitemap and "generated" not in sitemap


def test_sortable_table_sorts_resets_and_filters(seed_site, browser):
    _, base = seed_site
    page, errors, _, _ = _visit(browser, base, "docs/")
    box = page.locator(".tbl.sortable").first
    first_before = box.locator("tbody tr").first.inner_text()
    th = box.locator("th").nth(1)
    th.click()
    assert th.get_attribute("aria-sort") == "ascending"
    th.click()
    assert th.get_attribute("aria-sort") == "descending"
    box.locator(".tbl-reset").click()
    assert box.locator("tbody tr").first.inner_text() == first_before and th.get_attribute("aria-sort") is None
    page.close()
    assert errors == []


def test_source_line_link_lands_on_anchor(seed_site, browser):
    root, base = seed_site
    for path in _doc_paths(root):
        page, _, _, _ = _visit(browser, base, _q(path))
        link = page.locator("a[href*='source/#L']:visible").first
        if link.count() == 0:
            page.close()
            continue
        link.click()
        page.wait_for_load_state("load")
        # the source view numbers the published text after fetching it; the line becomes the target then
        page.wait_for_function("document.querySelector(':target') !== null", timeout=15000)
        assert page.evaluate("document.querySelector(':target').id.startsWith('L')"), page.url
        page.close()
        return
    pytest.skip("no document has source lines yet")


def _source_paths(root: Path) -> list[str]:
    return [d + "source/" for d in _doc_paths(root) if (root / "site" / d / "source" / "index.html").is_file()]


def _check_source_view(browser, root: Path, base: str, path: str, line: int, viewport: dict) -> list[str]:
    """Open a source view at #L<line>: every line numbered as the text reader numbers it, the line is the
    target and in view, nothing fetched from outside the site, no console error, no sideways scroll.
    Returns the hrefs of its download links."""
    page, errors, outside, _ = _visit(browser, base, _q(path) + f"#L{line}", viewport)
    page.wait_for_function("document.querySelector(':target') !== null", timeout=15000)
    got = page.evaluate("""() => ({target: document.querySelector(':target').id,
        n: document.querySelectorAll('.source-text .ln').length,
        lines: Number(document.querySelector('.source-text').dataset.lines),
        text: Array.from(document.querySelectorAll('.source-text .ln')).slice(0, 40).map(e => e.lastChild.textContent),
        inView: (r => r.top >= 0 && r.bottom <= innerHeight)(document.querySelector(':target').getBoundingClientRect()),
        wide: document.documentElement.scrollWidth > innerWidth + 1,
        downloads: Array.from(document.querySelectorAll('a[download], .source-text p a')).map(a => a.href)})""")
    page.close()
    assert errors == [] and outside == [], (path, errors, outside)
    assert got["target"] == f"L{line}" and got["inView"] and not got["wide"], (path, got)
    assert got["n"] == got["lines"] > line, path
    name = urllib.parse.unquote(got["downloads"][0].rsplit("/", 1)[1])  # the seeds' names are published as they are
    expected = site.source_lines(root / "data" / "raw" / name)[:40]
    assert got["text"] == [t if t.strip() else " " for t in expected], path
    return got["downloads"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_source_view_numbers_the_published_text(seed_site, browser, viewport):
    root, base = seed_site
    paths = _source_paths(root)
    assert paths
    for path in paths:
        links = _check_source_view(browser, root, base, path, 12, viewport)
        assert links and all(h.startswith(base + "downloads/raw/") and h.endswith(".txt") for h in links), links


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_source_view_reads_its_gzip_copy_when_originals_are_on_a_mirror(mirror_site, browser, viewport):
    """ORIGINALS_URL: the lines come from the site's gzip copy (DecompressionStream), never from the mirror;
    the download links point to the mirror."""
    root, base = mirror_site
    paths = _source_paths(root)
    assert paths and not list((root / "site" / "downloads" / "raw").glob("*.txt"))
    for path in paths:
        links = _check_source_view(browser, root, base, path, 12, viewport)
        assert links and all(h.startswith(MIRROR) and h.endswith(".txt") for h in links), links


def test_source_view_follows_the_readers_light_or_dark_choice(seed_site, browser):
    """The slim source view has no theme toggle of its own: it takes the choice the reader made with the
    theme's toggle on a document page (dark on a light system, and back to light on a dark system)."""
    root, base = seed_site
    src = _source_paths(root)[0]
    doc = src.removesuffix("source/")
    background = "() => getComputedStyle(document.body).backgroundColor"
    page = browser.new_page()
    try:
        page.emulate_media(color_scheme="light")
        page.goto(base + _q(src), wait_until="load")
        light = page.evaluate(background)
        page.goto(base + _q(doc), wait_until="load")
        page.click("label[for='__palette_1']")  # 切换到深色模式
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
        page.goto(base + _q(src), wait_until="load")
        dark = page.evaluate(background)
        assert light == "rgb(255, 255, 255)" and dark == "rgb(30, 33, 41)", (light, dark)
        page.emulate_media(color_scheme="dark")
        page.goto(base + _q(doc), wait_until="load")
        page.click("label[for='__palette_0']")  # 切换到浅色模式
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
        page.goto(base + _q(src), wait_until="load")
        assert page.evaluate(background) == light
    finally:
        page.evaluate("() => localStorage.clear()")
        page.close()


def test_source_view_decodes_other_encodings_from_its_gzip_copy(tmp_path, browser, monkeypatch):
    """Two seeds rewritten as GB18030 with CRLF line ends and as UTF-16 with a BOM, in mirror mode: the view
    unpacks each gzip copy, decodes it in the file's encoding and numbers the lines as the text reader does."""
    root = tmp_path / "proj"
    raw = root / "data" / "raw"
    raw.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", root)
    shutil.copytree(ROOT / "site_src", root / "site_src", ignore=shutil.ignore_patterns("generated", "downloads"))
    seeds = sorted((ROOT / "data" / "raw").glob("*.txt"))
    (raw / "gb.txt").write_bytes(seeds[0].read_text(encoding="utf-8-sig").replace("\n", "\r\n").encode("gb18030"))
    (raw / "u16.txt").write_bytes(seeds[1].read_text(encoding="utf-8-sig").encode("utf-16"))
    build.build_data(raw, root / "data" / "processed")
    monkeypatch.setenv("ORIGINALS_URL", MIRROR)
    assert site.build_site(root, root / "data" / "processed") == 0
    handler = functools.partial(_Quiet, directory=str(root / "site"))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        paths = _source_paths(root)
        encodings = {(root / "site" / p / "index.html").read_text(encoding="utf-8").split('data-encoding="')[1].split('"')[0]
                     for p in paths}
        assert encodings == {"gb18030", "utf-16le"}
        for path in paths:
            _check_source_view(browser, root, f"http://127.0.0.1:{srv.server_port}/", path, 7, DESKTOP)
    finally:
        srv.shutdown()


def test_source_view_without_decompression_links_the_original(mirror_site, browser):
    """A browser without DecompressionStream fetches nothing and shows the link to the original on the mirror."""
    root, base = mirror_site
    page = browser.new_page()
    page.add_init_script("delete window.DecompressionStream")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base + _q(_source_paths(root)[0]) + "#L3", wait_until="load")
    page.wait_for_load_state("networkidle")
    box = page.locator(".source-text")
    text, href = box.inner_text(), box.locator("a").get_attribute("href")
    page.close()
    assert "不能在本页解压原文" in text and href.startswith(MIRROR)
    assert not [u for u in requests if u.endswith(".gz")] and all(u.startswith(base) for u in requests), requests


def _key_columns_visible(page, selector: str, n: int) -> list[str]:
    """Headers among the first n of each table that lie (partly) beyond the right edge of the viewport."""
    return page.evaluate("""([sel, n]) => {
        const out = [];
        document.querySelectorAll(sel).forEach(t => Array.from(t.querySelectorAll('thead th')).slice(0, n).forEach(th => {
            const r = th.getBoundingClientRect();
            if (r.width > 0 && r.right > window.innerWidth + 1) { out.push(th.textContent); }
        }));
        return out;
    }""", [selector, n])


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_unit_page_budget_against_final_accounts(seed_site, browser, viewport):
    root, base = seed_site
    path = _unit_with_final(root)
    page, errors, outside, _ = _visit(browser, base, _q(path), viewport)
    assert page.locator("#execution").count() == 1
    text = page.locator("article").inner_text()
    assert "90.0%" in text  # every amount of the hand-made 决算 is 90% of the budget's
    assert _key_columns_visible(page, "table", 3) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    hrefs = page.evaluate("Array.from(document.querySelectorAll('#execution ~ .tbl td a')).map(a => a.href)")
    assert hrefs and all("/source/#L" in h or "#page=" in h or h.endswith("/") for h in hrefs)
    assert page.locator("nav.crumbs").count() == 1
    page.close()
    assert errors == [] and outside == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_document_page_on_phone_and_desktop(seed_site, browser, viewport):
    root, base = seed_site
    page, errors, _, _ = _visit(browser, base, _q(_doc_paths(root)[-1]), viewport)
    assert page.locator("details.page-toc").count() == 1 and page.locator("nav.crumbs").count() == 1
    assert _key_columns_visible(page, ".tbl table", 2) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.close()
    assert errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_quality_page_separates_number_mismatches_and_filters(seed_site, browser, viewport):
    _, base = seed_site
    page, errors, _, _ = _visit(browser, base, "quality/", viewport)
    heads = page.locator("h2").all_inner_texts()
    assert any(h.startswith("数字不符") for h in heads) and any(h.startswith("指标与文字质量") for h in heads)
    box = page.locator(".tbl[data-facets]").nth(0)
    rows = box.locator("tbody tr")
    total = rows.count()
    select = box.locator("select.tbl-facet").first
    options = select.locator("option").all_inner_texts()
    assert len(options) >= 2
    select.select_option(label=options[1])
    visible = sum(1 for i in range(total) if rows.nth(i).is_visible())
    assert 0 < visible <= total
    assert _key_columns_visible(page, ".tbl table", 2) == []
    page.close()
    assert errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_search_finds_synonyms_and_shows_unit_and_year(seed_site, browser, viewport):
    _, base = seed_site
    page, errors, _, _ = _visit(browser, base, "", viewport)
    if viewport is PHONE:
        page.locator("label.md-header__button[for='__search']").click()
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("公车")
    box.press("End")  # Material searches on key events; text typed as Chinese input sends none
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    results = page.locator(".md-search-result__list").inner_text()
    assert "年" in results and ("公务用车" in results or "公车" in results)
    page.close()
    assert errors == []


def test_axe_reports_no_serious_violations_on_any_template(seed_site, browser):
    root, base = seed_site
    doc = _doc_paths(root)[0]
    # a document's detail pages exist only when its page cannot hold them: the first document having each
    details = [next((d + sub for d in _doc_paths(root) if (root / "site" / d / sub).is_dir()), "")
               for sub in ("projects/", "indicators/", "checks/", "more/")]
    templates = PAGES + [_unit_with_final(root), doc, *[d for d in details if d], doc + "source/", "404.html"]
    found = {}
    for path in templates:
        if path != "404.html" and not (root / "site" / path / "index.html").exists():
            continue
        for viewport in (DESKTOP, PHONE):
            page = browser.new_page()
            page.set_viewport_size(viewport)
            page.goto(base + _q(path), wait_until="load")
            page.wait_for_load_state("networkidle")
            page.add_script_tag(path=str(AXE))
            res = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
            page.close()
            bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in res["violations"]
                   if v["impact"] in ("serious", "critical")]
            if bad:
                found[f"{path}@{viewport['width']}"] = bad
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)[:4000]


def test_page_sizes(seed_site):
    """A document page is at most 60 KB of HTML; the search index holds at most 5 KB per document."""
    root, _ = seed_site
    paths = _doc_paths(root)
    sizes = {p: (root / "site" / p / "index.html").stat().st_size for p in paths}
    assert max(sizes.values()) <= DOC_PAGE_MAX, sizes
    index = json.loads((root / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    per_unit = sum(len(json.dumps(d, ensure_ascii=False).encode()) for d in index if d["location"].startswith("units/"))
    assert per_unit <= SEARCH_PER_DOC * len(paths)  # unit and document pages; fixed pages (dictionary …) aside
    size = (root / "site" / "search" / "search_index.json").stat().st_size  # written as UTF-8 by the hook
    assert size <= SEARCH_PER_DOC * len(paths) + 30 * 1024


def test_table_csv_download(seed_site, browser):
    _, base = seed_site
    page, errors, _, _ = _visit(browser, base, "units/")
    with page.expect_download() as got:
        page.locator(".tbl-csv").first.click()
    text = Path(got.value.path()).read_bytes().decode("utf-8-sig")
    page.close()
    assert text.splitlines()[0].startswith("单位,地区,层级") and len(text.splitlines()) > 1
    assert errors == []
