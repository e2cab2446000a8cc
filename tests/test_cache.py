"""The parse cache: a rebuild re-reads only new or changed files and writes the same bytes;
the parser version follows the parser's source; the site stamp follows the site's inputs."""

from __future__ import annotations

import pickle
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, raw_files
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import build, cache


@pytest.fixture
def raw(tmp_path) -> Path:
    seeds = raw_files()
    if len(seeds) < 2:
        pytest.skip("data/raw needs two files")
    d = tmp_path / "raw"
    d.mkdir()
    for p in seeds:
        shutil.copy(p, d / p.name)
    return d


@pytest.fixture
def counted(monkeypatch) -> list[str]:
    """The names of the files actually parsed (build.parse_file calls), in-process (jobs=1)."""
    seen: list[str] = []
    real = build.parse_file

    def spy(path: Path) -> build.FileResult:
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(build, "parse_file", spy)
    return seen


def _bytes(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


def test_rebuild_reads_only_changed_files(raw, tmp_path, counted):
    cdir, files = tmp_path / "cache", sorted(p.name for p in raw.iterdir())
    build.build_data(raw, tmp_path / "a", cache_dir=cdir)
    assert counted == files
    counted.clear()
    build.build_data(raw, tmp_path / "b", cache_dir=cdir)
    assert counted == [], "nothing changed: every file must come from the cache"
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")

    changed = raw / files[0]
    changed.write_bytes(changed.read_bytes() + "\n附注：本文件为测试修改。\n".encode())
    shutil.copy(raw / files[1], raw / "new_copy.txt")
    build.build_data(raw, tmp_path / "c", cache_dir=cdir)
    assert counted == [files[0], "new_copy.txt"]


def test_cached_build_equals_uncached(raw, tmp_path):
    build.build_data(raw, tmp_path / "cold", cache_dir=tmp_path / "cache")
    build.build_data(raw, tmp_path / "warm", cache_dir=tmp_path / "cache")
    build.build_data(raw, tmp_path / "none")
    assert _bytes(tmp_path / "cold") == _bytes(tmp_path / "warm") == _bytes(tmp_path / "none")


def test_torn_entry_is_parsed_again(raw, tmp_path, counted):
    cdir = tmp_path / "cache"
    build.build_data(raw, tmp_path / "a", cache_dir=cdir)
    entry = next(cdir.rglob("*.pickle"))
    entry.write_bytes(b"not a pickle")
    counted.clear()
    build.build_data(raw, tmp_path / "b", cache_dir=cdir)
    assert len(counted) == 1
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")


def test_renamed_file_is_a_new_entry(raw, tmp_path, counted):
    """doc_id and source_file come from the name, so a rename must not reuse the old rows."""
    cdir = tmp_path / "cache"
    build.build_data(raw, tmp_path / "a", cache_dir=cdir)
    first = sorted(raw.iterdir())[0]
    first.rename(raw / ("renamed_" + first.name))
    counted.clear()
    build.build_data(raw, tmp_path / "b", cache_dir=cdir)
    assert counted == ["renamed_" + first.name]


def test_parser_version_follows_parser_source(tmp_path):
    pkg = tmp_path / "pkg"
    shutil.copytree(ROOT / "generator", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    parse_files = cache.parser_files(pkg)
    before = cache.source_digest(parse_files, pkg)
    prose = pkg / "parse" / "prose.py"
    prose.write_text(prose.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert cache.source_digest(parse_files, pkg) != before
    assert any(p.relative_to(pkg).parts[0] == "checks" for p in parse_files)
    # of the publishing code, only the table writer's preparation runs in the parse workers (and is cached)
    assert [p.relative_to(pkg).as_posix() for p in parse_files if p.relative_to(pkg).parts[0] == "publish"] \
        == ["publish/store.py"]


def test_entries_of_other_parser_versions_are_pruned(tmp_path):
    old = cache.ParseCache(tmp_path, "old-version")
    old.put("ab" * 32, "x.txt", {"rows": 1})
    new = cache.ParseCache(tmp_path, "new-version")
    assert new.get("ab" * 32, "x.txt") is None
    new.put("ab" * 32, "x.txt", {"rows": 2})
    new.prune_old_versions()
    assert not old.dir.exists() and new.get("ab" * 32, "x.txt") == {"rows": 2}


def test_site_stamp_follows_inputs(tmp_path, monkeypatch):
    root, processed = tmp_path / "proj", tmp_path / "proj" / "data" / "processed"
    (root / "site_src" / "generated").mkdir(parents=True)
    processed.mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: x\n")
    (root / "site_src" / "index.md").write_text("# hi\n")
    (processed / "documents.parquet").write_bytes(b"one")
    d1 = cache.site_inputs_digest(root, processed)
    (root / "site_src" / "generated" / "page.md").write_text("written by the build")
    assert cache.site_inputs_digest(root, processed) == d1, "generated pages are outputs, not inputs"
    (processed / "documents.parquet").write_bytes(b"two")
    d2 = cache.site_inputs_digest(root, processed)
    (root / "site_src" / "index.md").write_text("# changed\n")
    d3 = cache.site_inputs_digest(root, processed)
    assert len({d1, d2, d3}) == 3
    # the official URLs of the citations, and settings from the environment, are inputs too
    for k in cache.SITE_ENV:
        monkeypatch.delenv(k, raising=False)
    d3 = cache.site_inputs_digest(root, processed)
    (root / "data" / "raw").mkdir(parents=True)
    (root / "data" / "raw" / "sources.csv").write_text("file,url\na.txt,https://example.gov.cn/a\n")
    d4 = cache.site_inputs_digest(root, processed)
    monkeypatch.setenv("SITE_URL", "https://example.org/budget/")
    d5 = cache.site_inputs_digest(root, processed)
    assert len({d3, d4, d5}) == 3
    monkeypatch.delenv("SITE_URL")
    assert cache.site_inputs_digest(root, processed) == d4

    site, cdir = root / "site", tmp_path / "cache"
    cache.write_stamp(cdir, d3)
    assert not cache.site_is_current(cdir, site, d3), "no site/ yet"
    site.mkdir()
    (site / "index.html").write_text("<html></html>")
    assert cache.site_is_current(cdir, site, d3) and not cache.site_is_current(cdir, site, d2)
    cache.clear_stamp(cdir)
    assert not cache.site_is_current(cdir, site, d3)


def test_data_stamp_skips_an_unchanged_build(raw, tmp_path, monkeypatch):
    """Nothing changed and the output intact: `data` neither parses nor reads the cache, and reports the
    same documents and issues. A changed raw file, a new entry or a touched output builds again."""
    cdir, out = tmp_path / "cache", tmp_path / "out"
    first = build.build_data(raw, out, cache_dir=cdir)
    before = _bytes(out)
    streamed = []
    real = build.stream_paths
    monkeypatch.setattr(build, "stream_paths", lambda *a, **k: streamed.append(1) or real(*a, **k))
    again = build.build_data(raw, out, cache_dir=cdir)
    assert streamed == [] and _bytes(out) == before
    assert (again.documents, again.issues) == (first.documents, first.issues)

    (out / "documents.csv").write_bytes(b"tampered")  # the output no longer is what the stamp wrote
    build.build_data(raw, out, cache_dir=cdir)
    assert streamed == [1] and _bytes(out) == before
    (raw / ".hidden").write_text("x", encoding="utf-8")  # a new skipped entry is reported: build again
    build.build_data(raw, out, cache_dir=cdir)
    assert streamed == [1, 1]
    p = sorted(raw.glob("*.txt"))[0]
    p.write_bytes(p.read_bytes() + "\n附注。\n".encode())
    build.build_data(raw, out, cache_dir=cdir)
    assert streamed == [1, 1, 1] and _bytes(out) != before


@settings(max_examples=50, deadline=None)
@given(st.recursive(st.none() | st.text() | st.integers() | st.decimals(allow_nan=False),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=30))
def test_cache_entries_round_trip(value):
    assert cache.unpack(cache.pack(value)) == value


def test_cache_entries_are_compressed(tmp_path):
    rows = [{"doc_id": "d1", "metric": "一般公共预算拨款收入", "amount_wan": Decimal(i)} for i in range(500)]
    pc = cache.ParseCache(tmp_path, "v")
    pc.put("ab" * 32, "x.txt", rows)
    entry = next(tmp_path.rglob("*.pickle"))
    assert entry.stat().st_size * 5 < len(pickle.dumps(rows))
    assert pc.get("ab" * 32, "x.txt") == rows
    entry.write_bytes(pickle.dumps(rows))  # an entry of another format is a miss, not an error
    assert pc.get("ab" * 32, "x.txt") is None
