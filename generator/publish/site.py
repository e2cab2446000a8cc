"""Build the website: downloads, generated Markdown and chart specs, then `mkdocs build --strict`.

Gathers everything first (queries, renders), then writes; same inputs give byte-identical output.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .. import contract
from ..textcodec import decode, split_lines
from . import downloads as extra_downloads
from . import meta, pages, render, store, units
from .render.md import Page, published_name

TEXT_FORMATS = {"word_text", "pdf_text"}
FRICTIONLESS_TYPES = {"str": "string", "int": "integer", "dec": "number", "bool": "boolean", "date": "date"}
DATABASE = "budget.duckdb"
# Per-table CSVs are published gzip-compressed: a tenth of the bytes (the checks and indicators tables
# repeat long messages); pandas, R, DuckDB and Frictionless read .csv.gz as it is, and the ZIP of all
# CSVs (downloads.py) is there for spreadsheet users.
CSV_SUFFIX = ".csv.gz"
# DuckDB's default 256 KB blocks leave most of a small database file empty (one block per table and
# column segment); 64 KB blocks halve the file. Readable by DuckDB 1.2 and later.
DUCKDB_BLOCK_SIZE = 65536


def datapackage() -> dict:
    """A Frictionless data package describing every CSV, generated from the contract."""
    resources = []
    for t in contract.TABLES:
        fields = []
        for c in t.columns:
            f: dict[str, Any] = {"name": c.name, "type": FRICTIONLESS_TYPES[c.type], "description": c.doc}
            if c.unit:
                f["unit"] = c.unit
            if c.type == "bool":
                f["trueValues"], f["falseValues"] = ["true"], ["false"]
            fields.append(f)
        resources.append({
            "name": t.name, "title": t.title, "description": t.doc, "path": f"tables/{t.name}{CSV_SUFFIX}",
            "format": "csv", "compression": "gz", "mediatype": "text/csv", "encoding": "utf-8-sig",
            "schema": {"fields": fields, "missingValues": [""]},
        })
    return {
        "name": "budget-open-data", "title": "预算公开数据（部门预算/单位预算信息公开）",
        "description": "县级部门、单位预算公开文件解析出的结构化数据。金额单位为万元。",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "resources": resources,
    }


def write_database(processed: Path, path: Path) -> None:
    """The whole dataset as one DuckDB file: one table per contract table, rows in contract order.

    The file is not byte-identical between identical builds: DuckDB stamps its storage blocks with
    checkpoint ids and leaves free-list blocks that vary. Its contents are (test_determinism checks it)."""
    import duckdb

    path.unlink(missing_ok=True)
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{path.as_posix().replace(chr(39), chr(39) * 2)}' AS db (BLOCK_SIZE {DUCKDB_BLOCK_SIZE})")
        for t in contract.TABLES:
            src = processed / f"{t.name}.parquet"
            if src.exists():
                order = ", ".join(f'"{k}" NULLS FIRST' for k in t.key)
                con.execute(f"CREATE TABLE db.{t.name} AS SELECT * FROM read_parquet(?) ORDER BY {order}",
                            [src.as_posix()])
                con.execute(f"COMMENT ON TABLE db.{t.name} IS '{(t.title + '：' + t.doc).replace(chr(39), chr(39) * 2)}'")
        con.execute("CHECKPOINT db")
        con.execute("DETACH db")
    finally:
        con.close()


def published_sources(processed: Path) -> list[tuple[str, str | None]]:
    """(source_file, sha256) of the files that became documents (from the documents table, not the raw
    folder): a refused, skipped or failed file is never published."""
    import pyarrow.parquet as pq

    path = processed / "documents.parquet"
    if not path.exists():
        return []
    cols = [c for c in ("source_file", "source_sha256", "twin_files") if c in pq.read_schema(path).names]
    rows = pq.read_table(path, columns=cols).to_pylist()
    out: set[tuple[str, str | None]] = {(str(r["source_file"]), str(r["source_sha256"])) for r in rows if r["source_file"]}
    # the second file of a budget in two files (its content was read into the first file's document)
    out |= {(n, None) for r in rows if r.get("twin_files") for n in str(r["twin_files"]).split("; ")}
    return sorted(out, key=lambda t: (t[0], t[1] or ""))


def copy_verified(src: Path, dest: Path, sha256: str | None, previous: Path | None = None) -> bool:
    """Copy a raw file only when it is still the regular file that was parsed (same sha256 when known)."""
    import hashlib

    if src.is_symlink() or not src.is_file():
        return False
    data = src.read_bytes()
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
        return False
    put(dest, data, previous)
    return True


def gzip_bytes(data: bytes) -> bytes:
    """gzip without a file name or time stamp: the same bytes give the same file."""
    import gzip

    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as z:
        z.write(data)
    return buf.getvalue()


def write_downloads(root: Path, processed: Path, dest: Path, previous: Path | None = None) -> None:
    """tables/<name>.parquet and .csv.gz, raw/<source files>, the DuckDB file and datapackage.json.
    previous: the downloads folder of the last build (unchanged files are linked from it)."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "tables").mkdir()
    (dest / "raw").mkdir()
    before = {sub: previous / sub if previous is not None and (previous / sub).is_dir() else None
              for sub in ("tables", "raw")}

    def prev(sub: str, name: str) -> Path | None:
        folder = before[sub]
        return folder / name if folder is not None else None

    for t in contract.TABLES:
        src = processed / f"{t.name}.parquet"
        if src.exists():
            put(dest / "tables" / src.name, src.read_bytes(), prev("tables", src.name))
        src = processed / f"{t.name}.csv"
        if src.exists():
            name = t.name + CSV_SUFFIX
            put(dest / "tables" / name, gzip_bytes(src.read_bytes()), prev("tables", name))
    raw = root / "data" / "raw"
    for name, sha in published_sources(processed):
        if "/" not in name and name not in (".", ".."):
            safe = published_name(name)
            copy_verified(raw / name, dest / "raw" / safe, sha, prev("raw", safe))
    write_database(processed, dest / DATABASE)
    (dest / "datapackage.json").write_text(
        json.dumps(datapackage(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def source_lines(path: Path) -> list[str]:
    """The source text split exactly as the text reader numbers its lines."""
    text, _, _ = decode(path.read_bytes())
    return split_lines(text)


def render_all(con, root: Path, downloads: Path, processed: Path | None = None) -> Iterator[Page]:
    """Every page, one at a time (the caller writes each as it comes: memory holds one document's pages)."""
    raw_dir = root / "data" / "raw"
    docs = pages.doc_summaries(con)
    with_source = set()
    for d in docs:
        raw = raw_dir / d.source_file
        if d.view is True and raw.exists():
            with_source.add(d.doc_id)
            text, encoding, _ = decode(raw.read_bytes())
            yield render.source_page(d, encoding, len(split_lines(text)))
    info = meta.build_info(root, docs, [r["source_sha256"] for r in pages.raw_files(con)])
    sources = meta.read_sources(raw_dir)
    yield render.home(pages.home_page(con))
    yield from render.docs_index(docs)
    all_units = units.units(con)
    yield render.unit_index(all_units)
    yield from (render.unit_page(u) for u in all_units)
    for p in pages.document_pages(con, with_source, processed):
        yield from render.document_pages(p, sources.get(p.summary.source_file, {}), info.cited)
    yield render.three_public_compare(all_units, units.three_public_by_unit_year(con, all_units))
    yield render.projects(pages.projects_page(con))
    yield render.procurement(pages.procurement_page(con))
    yield render.quality(pages.quality_page(con))
    yield render.scorecard(pages.scorecard_page(con))
    yield render.glossary()
    counts = pages.table_row_counts(con)
    files = [pages.TableFile(t.name, t.title, t.doc, counts.get(t.name, 0),
                             _size(downloads / "tables" / f"{t.name}.parquet"), _size(downloads / "tables" / f"{t.name}{CSV_SUFFIX}"))
             for t in contract.TABLES]
    yield render.downloads(pages.DownloadsPage(files, _size(downloads / DATABASE), pages.raw_files(con)),
                           extra_downloads.section(downloads))
    yield render.dictionary()
    yield meta.version_page(info)


def _size(p: Path) -> int:
    return p.stat().st_size if p.exists() else 0


def put(target: Path, data: bytes, previous: Path | None) -> bool:
    """Write data to target; when the previous build's file (previous) holds the same bytes, link it
    instead, so an unchanged page keeps its file and modification time. True when the bytes are new."""
    if previous is not None:
        try:
            if previous.is_file() and not previous.is_symlink() and previous.stat().st_size == len(data) \
                    and previous.read_bytes() == data:
                os.link(previous, target)
                return False
        except OSError:  # another file system, no hard links: write it
            pass
    target.write_bytes(data)
    return True


def write_pages(gen: Path, rendered: Iterable[Page], previous: Path | None = None) -> int:
    """Write the pages and chart specs into gen (a fresh staging folder); files whose bytes equal the
    previous build's (in previous) are linked, not rewritten. Returns how many files changed."""
    (gen / "charts").mkdir(parents=True, exist_ok=True)
    changed = 0
    for p in rendered:
        target = gen / p.path
        target.parent.mkdir(parents=True, exist_ok=True)
        changed += put(target, p.markdown.encode("utf-8"), previous / p.path if previous else None)
        if p.charts:
            name = f"charts/{p.chart_key}.json"
            data = json.dumps(p.charts, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
            changed += put(gen / name, data, previous / name if previous else None)
    return changed


def generate(root: Path, processed: Path) -> int:
    """Everything but mkdocs: downloads and generated Markdown under root/site_src/, each written into a
    staging folder and swapped in whole (a killed build leaves the previous folders)."""
    downloads, gen = root / "site_src" / "downloads", root / "site_src" / "generated"
    staged_dl = store.staging_dir(downloads)
    write_downloads(root, processed, staged_dl, downloads if downloads.is_dir() else None)
    extra_downloads.write(processed, staged_dl)
    staged_gen = store.staging_dir(gen)
    con = store.connect(processed)
    try:
        changed = write_pages(staged_gen, render_all(con, root, staged_dl, processed), gen if gen.is_dir() else None)
    finally:
        con.close()
    store.swap_dir(staged_dl, downloads)
    store.swap_dir(staged_gen, gen)
    return changed


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: the child gets SIGTERM when its parent dies, even by SIGKILL."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - other systems: the parent's handler below still stops it
        pass


def run_child(cmd: list[str], cwd: Path) -> int:
    """Run mkdocs; when the build is interrupted or killed, the child stops with it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, preexec_fn=_die_with_parent)
    try:
        return proc.wait()
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def build_site(root: Path, processed: Path, serve: bool = False, site_dir: Path | None = None) -> int:
    """Downloads, pages, then mkdocs into a staging folder swapped in over site/ when it succeeds.
    Figures read from a PDF link to the published PDF at #page=N; text sources get a line-numbered view."""
    root = root.resolve()
    processed = processed if processed.is_absolute() else root / processed
    generate(root, processed)
    cmd = [sys.executable, "-m", "mkdocs", "serve" if serve else "build", "-f", str(root / "mkdocs.yml")]
    if serve:
        return run_child(cmd, root)
    target = site_dir or root / "site"
    staged = store.staging_dir(target)
    rc = run_child(cmd + ["--strict", "-d", str(staged)], root)
    if rc == 0:
        store.swap_dir(staged, target)
    else:
        shutil.rmtree(staged, ignore_errors=True)
    return rc
