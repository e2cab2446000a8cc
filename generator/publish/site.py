"""Build the website: downloads, generated Markdown and chart specs, then `mkdocs build --strict`.

Gathers everything first (queries, renders), then writes; same inputs give byte-identical output.
"""

from __future__ import annotations

import gc
import io
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import contract
from ..textcodec import decode, split_lines
from . import downloads as extra_downloads
from . import meta, pages, render, store, units
from .render.md import Page, published_name, set_external_originals, url_path

TEXT_FORMATS = {"word_text", "pdf_text"}
FRICTIONLESS_TYPES = {"str": "string", "int": "integer", "dec": "number", "bool": "boolean", "date": "date"}
# The whole dataset for DuckDB: a SQL script of views over the published Parquet files (a DuckDB
# database file held the same rows again, twelve times the Parquet files' bytes).
SQL_SCRIPT = "budget.sql"
# budget.sql and every Parquet file in one download, laid out as the script reads them (tables/…):
# unzip and run `duckdb -init budget.sql` in the folder. Stored, not deflated (Parquet is compressed).
PARQUET_ZIP = "budget-parquet.zip"
# Per-table CSVs are published gzip-compressed: a tenth of the bytes (the checks and indicators tables
# repeat long messages); pandas, R, DuckDB and Frictionless read .csv.gz as it is, and the ZIP of all
# CSVs (downloads.py) is there for spreadsheet users.
CSV_SUFFIX = ".csv.gz"
# Set for a mkdocs started ahead of its pages (start_waiting_mkdocs); the hook (site_src/overrides/hooks.py) waits.
PAGES_ON_STDIN = "GENERATOR_PAGES_ON_STDIN"
RENDER_MEMORY = "256MB"  # DuckDB's memory cap in each page-render process


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


def _sql_text(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _sql_name(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def sql_script(names: Iterable[str]) -> str:
    """A DuckDB script (SQL_SCRIPT) making one view per named contract table over its published Parquet
    file, tables/<name>.parquet relative to the working directory, rows in key order, with the table's
    title and meaning and each column's meaning and unit as comments. Made from the contract alone: the
    same tables give the same bytes."""
    wanted = set(names)
    out = ["-- 预算公开数据：DuckDB 视图脚本（budget.sql）",
           "-- 每张表一个视图，读取 tables/<表名>.parquet（相对于当前工作目录），行按主键排序；金额为 DECIMAL(20,6)，单位万元。",
           "-- 用法：把本文件和 tables 文件夹（其中放 Parquet 文件）放在同一文件夹，在该文件夹中运行",
           "--   duckdb -init budget.sql",
           "-- 或在 DuckDB 中执行 .read budget.sql；Python：con = duckdb.connect(); con.execute(open('budget.sql', encoding='utf-8').read())",
           "-- 表和列的说明：SELECT * FROM duckdb_views() / duckdb_columns()，或站点的数据字典页。", ""]
    for t in contract.TABLES:
        if t.name not in wanted:
            continue
        view = _sql_name(t.name)
        order = ", ".join(f"{_sql_name(k)} NULLS FIRST" for k in t.key)
        out += [f"CREATE OR REPLACE VIEW {view} AS SELECT * FROM read_parquet({_sql_text(f'tables/{t.name}.parquet')})"
                f" ORDER BY {order};",
                f"COMMENT ON VIEW {view} IS {_sql_text(t.title + '：' + t.doc)};"]
        out += [f"COMMENT ON COLUMN {view}.{_sql_name(c.name)} IS {_sql_text(c.doc + (f'（{c.unit}）' if c.unit and c.unit not in c.doc else ''))};"
                for c in t.columns]
        out.append("")
    return "\n".join(out)


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


def copy_verified(src: Path, dest: Path, sha256: str | None, previous: Path | None = None,
                  compress: bool = False) -> bool:
    """Copy a raw file only when it is still the regular file that was parsed (same sha256 when known);
    compress: write its gzip_bytes instead."""
    import hashlib

    if src.is_symlink() or not src.is_file():
        return False
    data = src.read_bytes()
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
        return False
    put(dest, gzip_bytes(data) if compress else data, previous)
    return True


def gzip_bytes(data: bytes) -> bytes:
    """gzip without a file name or time stamp: the same bytes give the same file. Level 6, not 9: on the
    bench's 78 MB of CSV, 1.1 CPU s instead of 2.0 for 2.4% more bytes (0.2 KB per document)."""
    import gzip

    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=6) as z:
        z.write(data)
    return buf.getvalue()


def write_downloads(root: Path, processed: Path, dest: Path, previous: Path | None = None,
                    external: Iterable[str] = (), view_files: Iterable[str] = ()) -> None:
    """tables/<name>.parquet and .csv.gz, raw/<source files> (but those in `external`, published
    elsewhere: of those, the text files the source views read (view_files) get a gzip copy
    raw/<name>.gz for the view alone), the DuckDB script of views over the Parquet files (SQL_SCRIPT)
    and datapackage.json.
    previous: the downloads folder of the last build (unchanged files are linked from it)."""
    elsewhere, viewed = set(external), set(view_files)
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
        if "/" in name or name in (".", ".."):
            continue
        if name not in elsewhere:
            safe = published_name(name)
            copy_verified(raw / name, dest / "raw" / safe, sha, prev("raw", safe))
        elif name in viewed:
            safe = published_name(name) + ".gz"
            copy_verified(raw / name, dest / "raw" / safe, sha, prev("raw", safe), compress=True)
    published = [t.name for t in contract.TABLES if (dest / "tables" / f"{t.name}.parquet").exists()]
    (dest / SQL_SCRIPT).write_text(sql_script(published), encoding="utf-8")
    write_parquet_zip(dest, published)
    (dest / "datapackage.json").write_text(
        json.dumps(datapackage(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def write_parquet_zip(dest: Path, tables: Iterable[str]) -> None:
    """dest/PARQUET_ZIP: dest's SQL_SCRIPT and tables/<name>.parquet of the given tables, in contract
    order, with fixed times: the same files give the same bytes."""
    import zipfile

    with zipfile.ZipFile(dest / PARQUET_ZIP, "w", zipfile.ZIP_STORED) as z:
        for rel in [SQL_SCRIPT, *(f"tables/{name}.parquet" for name in tables)]:
            info = zipfile.ZipInfo(rel, date_time=extra_downloads.FIXED_TIME)
            info.external_attr = 0o644 << 16
            z.writestr(info, (dest / rel).read_bytes())


def source_lines(path: Path) -> list[str]:
    """The source text split exactly as the text reader numbers its lines."""
    text, _, _ = decode(path.read_bytes())
    return split_lines(text)


@dataclass(frozen=True)
class DocContext:
    """What every document's pages need besides its own rows (small, so it goes to each render process)."""
    with_source: frozenset[str]  # documents with a line-numbered source view
    sources: dict[str, dict[str, str]]  # sources.csv: file -> official URL, publisher, date
    cited: str  # 引用日期 of the citations
    external: tuple[tuple[str, str], ...] = ()  # originals hosted outside the site: (source file, URL)


def originals_url() -> str:
    """ORIGINALS_URL: where the original files are published when the site does not carry them (a
    national corpus of PDFs outgrows GitHub Pages' 1 GB); e.g. the repository's data/raw/ at the built
    commit, https://github.com/<owner>/<repo>/raw/<commit>/data/raw/. Empty: the site carries them."""
    url = os.environ.get("ORIGINALS_URL", "").strip()
    if url and not url.startswith(("https://", "http://")):
        print(f"site: ORIGINALS_URL={url!r} is not an http(s) address; the originals stay on the site", file=sys.stderr)
        return ""
    return url if not url or url.endswith("/") else url + "/"


def external_originals(processed: Path, base: str | None = None) -> dict[str, str]:
    """Source file -> its URL under ORIGINALS_URL, for every published original (the text files the
    line-numbered source views read too: the site keeps a gzip copy of those for the view, see
    write_downloads). Empty when ORIGINALS_URL is unset. The name is written as url_path writes a local
    link: URL syntax and spaces percent-encoded, Chinese kept (3 bytes a character in the page, not 9; the
    browser encodes it when it follows the link), '/' encoded as it is a file name, not a path."""
    base = originals_url() if base is None else base
    if not base:
        return {}
    return {name: base + url_path(name).replace("/", "%2F") for name, _ in published_sources(processed)}


def doc_context(con, root: Path, processed: Path | None = None,
                docs: list[pages.DocSummary] | None = None) -> tuple[DocContext, Iterator[Page]]:
    """The context of the document pages, and the source-view pages (of the documents in with_source).
    The views are made as they are taken (each decodes its file to count the lines): a caller starting
    the document pages in other processes has the context first. docs: doc_summaries(con), when known."""
    raw_dir = root / "data" / "raw"
    docs = pages.doc_summaries(con) if docs is None else docs
    external = external_originals(processed) if processed is not None else {}
    set_external_originals(external)  # the source views link the originals and read their copies accordingly
    viewed = [d for d in docs if d.view is True and (raw_dir / d.source_file).exists()]
    info = meta.build_info(root, docs, [r["source_sha256"] for r in pages.raw_files(con)])
    ctx = DocContext(frozenset(d.doc_id for d in viewed), meta.read_sources(raw_dir), info.cited, tuple(sorted(external.items())))
    return ctx, _source_views(raw_dir, viewed)


def _source_views(raw_dir: Path, docs: list[pages.DocSummary]) -> Iterator[Page]:
    for d in docs:
        text, encoding, _ = decode((raw_dir / d.source_file).read_bytes())
        yield render.source_page(d, encoding, len(split_lines(text)))


def render_docs(con, ctx: DocContext, processed: Path | None, shard: tuple[int, int] | None = None) -> Iterator[Page]:
    """The pages of every document (of one shard), one document at a time."""
    for p in pages.document_pages(con, set(ctx.with_source), processed, shard):
        yield from render.document_pages(p, ctx.sources.get(p.summary.source_file, {}), ctx.cited)


def render_all(con, root: Path, downloads: Path, processed: Path | None = None,
               extras_pending: bool = False, with_docs: bool = True,
               context: tuple[DocContext, Iterable[Page]] | None = None) -> Iterator[Page]:
    """Every page, one at a time (the caller writes each as it comes: memory holds one document's pages).
    with_docs=False: all but the document pages (render_docs writes those in other processes).
    context: doc_context's result when the caller has it already."""
    docs = pages.doc_summaries(con)
    ctx, views = context or doc_context(con, root, processed, docs)
    set_external_originals(dict(ctx.external))
    yield from views
    info = meta.build_info(root, docs, [r["source_sha256"] for r in pages.raw_files(con)])
    yield render.home(pages.home_page(con, docs))
    yield from render.docs_index(docs)
    all_units = units.units(con, docs)
    yield render.unit_index(all_units)
    yield from (render.unit_page(u) for u in all_units)
    if with_docs:
        yield from render_docs(con, ctx, processed)
    yield from render.three_public_compare(all_units, units.three_public_by_unit_year(con, all_units))
    yield render.projects(pages.projects_page(con, docs))
    yield render.procurement(pages.procurement_page(con, docs))
    yield render.quality(pages.quality_page(con, docs))
    yield from render.scorecard(pages.scorecard_page(con, docs))
    yield render.glossary()
    counts = pages.table_row_counts(con)
    files = [pages.TableFile(t.name, t.title, t.doc, counts.get(t.name, 0),
                             _size(downloads / "tables" / f"{t.name}.parquet"), _size(downloads / "tables" / f"{t.name}{CSV_SUFFIX}"))
             for t in contract.TABLES]
    yield render.downloads(pages.DownloadsPage(files, pages.raw_files(con), _size(downloads / PARQUET_ZIP)),
                           extra_downloads.section(None if extras_pending else downloads))
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


def _write_doc_shard(processed: Path, gen: Path, previous: Path | None, ctx: DocContext, shard: tuple[int, int]) -> int:
    """In a render process: the pages of one shard of the documents, written into gen."""
    set_external_originals(dict(ctx.external))
    con = store.connect(processed)
    # one thread and a memory cap per process (there is one per core): each streams ~10 tables sorted by
    # document, which DuckDB would otherwise keep in memory whole (about 1 GB per process at 10,000
    # documents); past the cap the sorts spill to a temporary folder
    spill = tempfile.mkdtemp(prefix="generator-render-")
    con.execute("SET threads = 1")
    con.execute(f"SET memory_limit = '{RENDER_MEMORY}'")
    con.execute(f"SET temp_directory = '{spill}'")
    try:
        return write_pages(gen, render_docs(con, ctx, processed, shard), previous)
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


def _render_process_init(parent: int) -> None:
    """The garbage collector of a page-render process, as in the parse workers (parallel.WORKER_GC_THRESHOLD):
    rendering makes millions of short-lived strings and cells; collecting every 700 allocations cost 7% of
    its CPU, every 10,000 0.5% (gc.callbacks over a quarter of the 1,000-document bench's pages).
    It stops when the build process dies, even by SIGKILL, like mkdocs (_die_with_parent), and at once when
    that happened while it was starting (its parent is then no longer `parent`)."""
    _die_with_parent()
    if os.getppid() != parent:
        os._exit(1)
    gc.freeze()
    gc.set_threshold(10_000, 50, 100)


def write_all_pages(con, root: Path, downloads: Path, processed: Path, gen: Path, previous: Path | None,
                    extras_pending: bool = False, jobs: int | None = None,
                    before: Callable[[], None] | None = None) -> int:
    """Render and write every page. The document pages (nine in ten of the work) are split into one
    shard per core, each rendered by a process of its own while this one renders the rest; a page's
    bytes do not depend on which process wrote it, so the output equals a serial run's.
    before: run once the shards have started, before this process renders its pages (generate writes
    the downloads there, whose sizes the downloads page shows)."""
    jobs = len(os.sched_getaffinity(0)) if jobs is None and hasattr(os, "sched_getaffinity") else jobs or os.cpu_count() or 1
    if jobs <= 1:
        if before is not None:
            before()
        return write_pages(gen, render_all(con, root, downloads, processed, extras_pending), previous)
    context = doc_context(con, root, processed)
    ctx = context[0]
    # spawn, not fork: this process holds a DuckDB connection (and its threads)
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_render_process_init,
                             initargs=(os.getpid(),)) as ex:
        shards = [ex.submit(_write_doc_shard, processed, gen, previous, ctx, (k, jobs)) for k in range(jobs)]
        if before is not None:
            before()
        changed = write_pages(gen, render_all(con, root, downloads, processed, extras_pending, False, context), previous)
        return changed + sum(f.result() for f in shards)


def generate(root: Path, processed: Path, extras_pending: bool = False) -> int:
    """Everything but mkdocs: downloads and generated Markdown under root/site_src/, each written into a
    staging folder and swapped in whole (a killed build leaves the previous folders).
    extras_pending: the ZIP and the workbook are being written by another process (start_extras), so
    they are left out here and the downloads page gets size slots for them."""
    downloads, gen = root / "site_src" / "downloads", root / "site_src" / "generated"
    staged_dl = store.staging_dir(downloads)
    staged_gen = store.staging_dir(gen)
    previous = gen if gen.is_dir() else None
    con = store.connect(processed)

    def write_all_downloads() -> None:  # while the document pages render in their own processes
        view_files = {d.source_file for d in pages.doc_summaries(con) if d.view is True}
        write_downloads(root, processed, staged_dl, downloads if downloads.is_dir() else None,
                        external_originals(processed), view_files)
        extra_downloads.complete_datapackage(processed, staged_dl)
        if not extras_pending:
            extra_downloads.write_files(processed, staged_dl)
    try:
        changed = write_all_pages(con, root, staged_dl, processed, staged_gen, previous, extras_pending,
                                  before=write_all_downloads)
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


def _background() -> None:  # pragma: no cover - runs in the child
    """A child that yields the cores to the page renderers and catches up while mkdocs runs on one core."""
    _die_with_parent()
    os.nice(10)


def start_child(cmd: list[str], cwd: Path, background: bool = False, stdin: int | None = None,
                env: dict[str, str] | None = None) -> subprocess.Popen:
    """A child process that gets SIGTERM when this process dies (see _die_with_parent)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.Popen(cmd, cwd=cwd, env=env, stdin=stdin,
                            preexec_fn=_background if background else _die_with_parent)


def start_waiting_mkdocs(cmd: list[str], cwd: Path) -> tuple[subprocess.Popen, int]:
    """mkdocs started ahead of its pages: it loads its configuration, theme, plugins and search dictionary
    (a second or two) while the pages are written, then waits in the hook's on_pre_build until a byte
    arrives on the returned descriptor (pages_ready), or gives up with nothing built when it closes."""
    read, write = os.pipe()
    try:
        proc = start_child(cmd, cwd, stdin=read, env={PAGES_ON_STDIN: "1"})
    except BaseException:
        os.close(write)
        raise
    finally:
        os.close(read)
    return proc, write


def pages_ready(write: int, ready: bool) -> None:
    """Let a waiting mkdocs (start_waiting_mkdocs) build the pages, or stop (ready=False)."""
    try:
        if ready:
            os.write(write, b"1")
    except BrokenPipeError:  # mkdocs is gone already: wait_child reports how it ended
        pass
    finally:
        os.close(write)


def wait_child(proc: subprocess.Popen) -> int:
    """Wait for a child; when the build is interrupted, the child stops with it."""
    try:
        return proc.wait()
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def run_child(cmd: list[str], cwd: Path) -> int:
    """Run mkdocs; when the build is interrupted or killed, the child stops with it."""
    return wait_child(start_child(cmd, cwd))


def start_extras(root: Path, processed: Path, dest: Path) -> subprocess.Popen:
    """The ZIP of all CSVs and the workbook are the slowest downloads to write (a workbook cell costs
    microseconds in xlsxwriter, and there are millions): a process of their own, at a lower priority,
    writes them on the core mkdocs leaves idle (mkdocs runs on one) while the pages render first."""
    return start_child([sys.executable, "-m", "generator.publish.downloads", str(processed), str(dest)], root,
                       background=True)


def add_extras(extras: Path, staged_site: Path) -> None:
    """Move the ZIP and the workbook into the built site and write their sizes into the downloads page."""
    dest = staged_site / "downloads"
    dest.mkdir(parents=True, exist_ok=True)
    for name in (extra_downloads.ZIP_NAME, extra_downloads.XLSX_NAME):
        if (extras / name).exists():
            os.replace(extras / name, dest / name)
    extra_downloads.fill_sizes(staged_site / "data" / "downloads" / "index.html", dest)


def build_site(root: Path, processed: Path, serve: bool = False, site_dir: Path | None = None) -> int:
    """Downloads, pages, then mkdocs into a staging folder swapped in over site/ when it succeeds.
    Figures read from a PDF link to the published PDF at #page=N; text sources get a line-numbered view."""
    root = root.resolve()
    processed = processed if processed.is_absolute() else root / processed
    cmd = [sys.executable, "-m", "mkdocs", "serve" if serve else "build", "-f", str(root / "mkdocs.yml")]
    if serve:
        generate(root, processed)
        return run_child(cmd, root)
    target = site_dir or root / "site"
    extras = store.staging_dir(target.with_name(f"{target.name}-extras"))
    writer = start_extras(root, processed, extras)
    staged = store.staging_dir(target)
    mkdocs, go = start_waiting_mkdocs(cmd + ["--strict", "-d", str(staged)], root)
    try:
        ready = False
        try:
            generate(root, processed, extras_pending=True)
            ready = True
        finally:
            pages_ready(go, ready)
        rc = wait_child(mkdocs)
        rc_extras = wait_child(writer)
        if rc == 0 and rc_extras != 0:
            print(f"site: writing {extra_downloads.ZIP_NAME} and {extra_downloads.XLSX_NAME} failed "
                  f"(exit {rc_extras}); site/ not replaced", file=sys.stderr)
            rc = rc_extras
        if rc == 0:
            add_extras(extras, staged)
            store.swap_dir(staged, target)
        else:
            shutil.rmtree(staged, ignore_errors=True)
        return rc
    finally:
        for child in (mkdocs, writer):
            if child.poll() is None:
                child.terminate()
                child.wait()
        shutil.rmtree(extras, ignore_errors=True)
        shutil.rmtree(staged, ignore_errors=True)  # gone already when the build succeeded
