"""Headless Chromium (Debian's /usr/bin/chromium via playwright, never `playwright install`) on the seed site.

Every document page must render its charts (an SVG or canvas appears) with zero console errors
and zero requests leaving the site; networking to anything but localhost is refused.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from generator import build
from generator.publish import site

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


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory):
    """The five seed disclosures parsed and built into a temp project; served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("seedsite") / "proj"
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root)
    shutil.copytree(ROOT / "site_src", root / "site_src", ignore=shutil.ignore_patterns("generated", "downloads"))
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    processed = root / "data" / "processed"
    build.build_data(root / "data" / "raw", processed)
    assert site.build_site(root, processed) == 0
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


def _doc_ids(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "site" / "generated" / "docs").iterdir() if p.is_dir())


def test_every_document_page_renders_charts_without_errors_or_outside_requests(seed_site, browser):
    root, base = seed_site
    ids = _doc_ids(root)
    assert len(ids) == len(build.raw_files(root / "data" / "raw"))
    for doc_id in ids:
        page, errors, outside, charts = _visit(browser, base, f"generated/docs/{doc_id}/")
        rendered = page.locator(".vchart svg, .vchart canvas").count()
        page.close()
        assert errors == [], (doc_id, errors)
        assert outside == [], (doc_id, outside)
        assert rendered >= charts, doc_id


@pytest.mark.parametrize("path", ["", "generated/docs/", "generated/compare/three-public/", "generated/compare/projects/",
                                  "generated/compare/procurement/", "generated/quality/", "generated/quality/scorecard/",
                                  "generated/data/downloads/", "generated/data/dictionary/", "about/"])
def test_other_pages_load_clean(seed_site, browser, path):
    _, base = seed_site
    page, errors, outside, _ = _visit(browser, base, path, PHONE)
    page.close()
    assert errors == [] and outside == [], (errors, outside)


def test_sortable_table_sorts_and_filter_filters(seed_site, browser):
    _, base = seed_site
    page, errors, _, _ = _visit(browser, base, "generated/docs/")
    th = page.locator(".tbl.sortable th").first
    th.click()
    assert th.get_attribute("aria-sort") == "ascending"
    th.click()
    assert th.get_attribute("aria-sort") == "descending"
    page.close()
    assert errors == []


def test_source_line_link_lands_on_anchor(seed_site, browser):
    root, base = seed_site
    for doc_id in _doc_ids(root):
        page, _, _, _ = _visit(browser, base, f"generated/docs/{doc_id}/")
        link = page.locator("a[href*='generated/source/']").nth(1)
        if link.count() == 0:
            page.close()
            continue
        link.click()
        page.wait_for_load_state("load")
        assert page.evaluate("document.querySelector(':target') !== null"), page.url
        page.close()
        return
    pytest.skip("no document has source lines yet")
