"""Issue 5 on the site: a PDF dropped into data/raw becomes a document page whose figures link to
their page of the original file (downloads/raw/<file>#page=N). Skips when the samples are absent."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator import build
from generator.publish import site

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT.parent / "shared" / "pdf-samples"


def _project(tmp_path: Path) -> tuple[Path, Path]:
    """A temp project with this repo's mkdocs.yml and site_src and an empty data/raw: (root, raw)."""
    root = tmp_path / "proj"
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root)
    shutil.copytree(ROOT / "site_src", root / "site_src", ignore=shutil.ignore_patterns("generated", "downloads"))
    raw = root / "data" / "raw"
    raw.mkdir(parents=True)
    return root, raw


@pytest.mark.site
def test_pdf_document_page_links_figures_to_pdf_pages(tmp_path):
    pdfs = sorted(SAMPLES.glob("*.pdf")) if SAMPLES.is_dir() else []
    if not pdfs:
        pytest.skip(f"{SAMPLES} absent")
    root, raw = _project(tmp_path)
    shutil.copy(pdfs[0], raw / "shanghai.pdf")
    processed = root / "data" / "processed"
    build.build_data(raw, processed)
    assert site.build_site(root, processed) == 0
    assert (root / "site" / "downloads" / "raw" / "shanghai.pdf").exists()
    pages = list((root / "site" / "units").glob("*/*/index.html"))
    assert pages
    html = pages[0].read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]*downloads/raw/shanghai\.pdf#page=\d+)"', html)
    assert links, "figures from a PDF link to their page of the original"


@pytest.mark.site
def test_pdf_figures_link_to_their_page_and_every_link_resolves(tmp_path):
    """A PDF document's figures link to their page of the published original (#page=N), under a safe
    name for an odd file name, and no internal link of the site is broken."""
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    from linkcheck import broken_links

    pdfs = sorted(SAMPLES.glob("*.pdf")) if SAMPLES.is_dir() else []
    if not pdfs:
        pytest.skip(f"{SAMPLES} absent")
    root, raw = _project(tmp_path)
    shutil.copy(pdfs[0], raw / "a #1.pdf")
    processed = root / "data" / "processed"
    build.build_data(raw, processed)
    assert site.build_site(root, processed) == 0
    pages = [p.read_text(encoding="utf-8") for p in (root / "site" / "units").rglob("index.html")]
    assert any("#page=" in p for p in pages)
    assert broken_links(root / "site") == []


@pytest.mark.site
def test_originals_hosted_elsewhere_are_linked_not_copied(tmp_path, monkeypatch):
    """ORIGINALS_URL: the PDF is linked at that address (figures at #page=N) and not copied into the
    site; so is a text source, of which the site keeps only a gzip copy for its line-numbered view."""
    import gzip
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    from linkcheck import broken_links

    pdfs = sorted(SAMPLES.glob("*.pdf")) if SAMPLES.is_dir() else []
    if not pdfs:
        pytest.skip(f"{SAMPLES} absent")
    root, raw = _project(tmp_path)
    shutil.copy(pdfs[0], raw / "上海 #1.pdf")
    text = sorted((ROOT / "data" / "raw").glob("*.txt"))[0]
    shutil.copy(text, raw / text.name)
    processed = root / "data" / "processed"
    build.build_data(raw, processed)
    monkeypatch.setenv("ORIGINALS_URL", "https://example.org/repo/raw/abc123/data/raw")
    assert site.build_site(root, processed) == 0
    published = {p.name for p in (root / "site" / "downloads" / "raw").iterdir()}
    assert published == {text.name + ".gz"}
    gz = (root / "site" / "downloads" / "raw" / (text.name + ".gz")).read_bytes()
    assert gzip.decompress(gz) == text.read_bytes() and gz == site.gzip_bytes(text.read_bytes())  # no name, no time
    html = "\n".join(p.read_text(encoding="utf-8") for p in (root / "site" / "units").rglob("index.html"))
    url = "https://example.org/repo/raw/abc123/data/raw/上海%20%231.pdf"  # URL syntax encoded, Chinese kept
    text_url = "https://example.org/repo/raw/abc123/data/raw/" + text.name
    assert re.search(re.escape(url) + r"#page=\d+", html), "figures link to their page of the original"
    assert f'href="{url}"' in html  # the source box
    assert f'href="{text_url}" download>' in html and f"downloads/raw/{text.name}\"" not in html
    view = next((root / "site" / "units").rglob("source/index.html")).read_text(encoding="utf-8")
    assert re.search(rf'data-src="[./]*downloads/raw/{re.escape(text.name)}\.gz" data-gzip="1"', view)
    assert view.count(f'href="{text_url}"') == 2  # the download link and the box's fallback
    downloads = (root / "site" / "data" / "downloads" / "index.html").read_text(encoding="utf-8")
    assert url in downloads and text_url in downloads
    assert broken_links(root / "site") == []  # the view's data-src (the gzip copy) among them
