"""Issue 10 on the built site: the seeds plus hostile entries in data/raw/ (a symlink to a system file,
a dangling and a looping link, a folder, a dot-file, a name with # ? % and a tab) build a site whose
every internal link resolves, which publishes no refused file, and names every refused file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from linkcheck import broken_links, redirect_problems

from generator import build
from generator.publish import site, store
from generator.publish.render.md import published_name

ROOT = Path(__file__).resolve().parents[2]
ODD = "odd #1?50%\tname.txt"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "proj"
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root)
    shutil.copytree(ROOT / "site_src", root / "site_src", ignore=shutil.ignore_patterns("generated", "downloads"))
    raw = root / "data" / "raw"
    raw.mkdir(parents=True)
    seeds = sorted(p for p in (ROOT / "data" / "raw").iterdir() if p.is_file())
    for p in seeds:
        shutil.copy(p, raw / p.name)
    (raw / ODD).write_bytes(seeds[-1].read_bytes() + "\n附：".encode())  # different content, odd name
    os.symlink("/etc/passwd", raw / "passwd.txt")
    os.symlink(raw / "nowhere", raw / "dangling.txt")
    os.symlink(raw / "loop.txt", raw / "loop.txt")
    (raw / "folder").mkdir()
    (raw / ".hidden.txt").write_text("x", encoding="utf-8")
    processed = root / "data" / "processed"
    res = build.build_data(raw, processed)
    assert res.documents == len(seeds) + 1
    assert site.build_site(root, processed) == 0
    return root


def test_every_internal_link_resolves(hostile_site):
    assert broken_links(hostile_site / "site") == []
    # the seeds' units have one document each (one has two: the odd-named copy); nothing links to a redirect
    redirects, bad = redirect_problems(hostile_site / "site")
    assert bad == [] and len(redirects) == len(list((hostile_site / "site" / "units").glob("*/index.html"))) - 1


def test_refused_files_are_named_and_not_published(hostile_site):
    issues = store.read_csv_rows(hostile_site / "data" / "processed" / "parse_issues.csv")
    by_file = {(r["source_file"], r["code"]) for r in issues}
    for name in ("passwd.txt", "dangling.txt", "loop.txt"):
        assert (name, "file-refused") in by_file
    for name in ("folder", ".hidden.txt"):
        assert (name, "file-skipped") in by_file
    published = {p.name for p in (hostile_site / "site" / "downloads" / "raw").iterdir()}
    assert not published & {"passwd.txt", "dangling.txt", "loop.txt", ".hidden.txt"}
    assert published_name(ODD) in published and published_name(ODD) != ODD
    quality = (hostile_site / "site" / "quality" / "index.html").read_text(encoding="utf-8")
    assert "passwd.txt" in quality and "dangling.txt" in quality
    assert "root:x:" not in "".join(p.read_text(errors="replace") for p in (hostile_site / "site").rglob("*.html"))


def test_csv_neutralises_formulas_parquet_keeps_them(hostile_site):
    import pyarrow.parquet as pq

    d = hostile_site / "data" / "processed"
    exact = [v for v in pq.read_table(d / "indicators.parquet").column("comparator").to_pylist() if v == "="]
    assert exact, "the seeds hold '=' comparators"
    csv_vals = [r["comparator"] for r in store.read_csv_rows(d / "indicators.csv")]
    assert "=" not in csv_vals and "'=" in csv_vals
    assert all(not v.startswith(store.FORMULA_START) for t in ("projects", "indicators", "checks")
               for r in store.read_csv_rows(d / f"{t}.csv") for v in r.values() if v and not _number(v))


def _number(v: str) -> bool:
    try:
        float(v)
        return True
    except ValueError:
        return False
