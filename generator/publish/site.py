"""Build the website: downloads, generated Markdown and chart specs, then `mkdocs build --strict`.

Gathers everything first (queries, renders), then writes; same inputs give byte-identical output.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from .. import contract
from ..textcodec import decode, split_lines
from . import downloads as extra_downloads
from . import meta, pages, render, store, units
from .render.md import Page

TEXT_FORMATS = {"word_text", "pdf_text"}
FRICTIONLESS_TYPES = {"str": "string", "int": "integer", "dec": "number", "bool": "boolean", "date": "date"}
DATABASE = "budget.duckdb"


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
            "name": t.name, "title": t.title, "description": t.doc, "path": f"tables/{t.name}.csv",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
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
    """The whole dataset as one DuckDB file: one table per contract table, rows in contract order."""
    import duckdb

    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        for t in contract.TABLES:
            src = processed / f"{t.name}.parquet"
            if src.exists():
                order = ", ".join(f'"{k}" NULLS FIRST' for k in t.key)
                con.execute(f"CREATE TABLE {t.name} AS SELECT * FROM read_parquet('{src.as_posix()}') ORDER BY {order}")
                con.execute(f"COMMENT ON TABLE {t.name} IS '{t.title}：{t.doc}'")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def published_sources(processed: Path) -> list[str]:
    """The source files that became documents (read from the documents table, not the raw folder)."""
    import pyarrow.parquet as pq

    path = processed / "documents.parquet"
    if not path.exists():
        return []
    return sorted({str(n) for n in pq.read_table(path, columns=["source_file"]).column(0).to_pylist() if n})


def write_downloads(root: Path, processed: Path, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "tables").mkdir(parents=True)
    (dest / "raw").mkdir()
    for t in contract.TABLES:
        for ext in ("parquet", "csv"):
            src = processed / f"{t.name}.{ext}"
            if src.exists():
                shutil.copyfile(src, dest / "tables" / src.name)
    raw = root / "data" / "raw"
    for name in published_sources(processed):
        if (raw / name).is_file():
            shutil.copyfile(raw / name, dest / "raw" / name)
    write_database(processed, dest / DATABASE)
    (dest / "datapackage.json").write_text(
        json.dumps(datapackage(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def source_lines(path: Path) -> list[str]:
    """The source text split exactly as the text reader numbers its lines."""
    text, _, _ = decode(path.read_bytes())
    return split_lines(text)


def render_all(con, root: Path, downloads: Path) -> list[Page]:
    raw_dir = root / "data" / "raw"
    docs = pages.doc_summaries(con)
    out: list[Page] = []
    with_source = set()
    for d in docs:
        raw = raw_dir / d.source_file
        if d.view is True and raw.exists():
            with_source.add(d.doc_id)
            text, encoding, _ = decode(raw.read_bytes())
            out.append(render.source_page(d, encoding, len(split_lines(text))))
    info = meta.build_info(root, docs, [r["source_sha256"] for r in pages.raw_files(con)])
    sources = meta.read_sources(raw_dir)
    out.append(render.home(pages.home_page(con)))
    out += render.docs_index(docs)
    all_units = units.units(con)
    out.append(render.unit_index(all_units))
    out += [render.unit_page(u) for u in all_units]
    for p in pages.document_pages(con, with_source):
        out += render.document_pages(p, sources.get(p.summary.source_file, {}), info.cited)
    out.append(render.three_public_compare(all_units, units.three_public_by_unit_year(con, all_units)))
    out.append(render.projects(pages.projects_page(con)))
    out.append(render.procurement(pages.procurement_page(con)))
    out.append(render.quality(pages.quality_page(con)))
    out.append(render.scorecard(pages.scorecard_page(con)))
    out.append(render.glossary())
    counts = pages.table_row_counts(con)
    files = [pages.TableFile(t.name, t.title, t.doc, counts.get(t.name, 0),
                             _size(downloads / "tables" / f"{t.name}.parquet"), _size(downloads / "tables" / f"{t.name}.csv"))
             for t in contract.TABLES]
    out.append(render.downloads(pages.DownloadsPage(files, _size(downloads / DATABASE), pages.raw_files(con)),
                                extra_downloads.section(downloads)))
    out.append(render.dictionary())
    out.append(meta.version_page(info))
    return out


def _size(p: Path) -> int:
    return p.stat().st_size if p.exists() else 0


def write_pages(gen: Path, rendered: list[Page]) -> None:
    if gen.exists():
        shutil.rmtree(gen)
    (gen / "charts").mkdir(parents=True)
    for p in rendered:
        target = gen / p.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(p.markdown, encoding="utf-8")
        if p.charts:
            (gen / "charts" / f"{p.chart_key}.json").write_text(
                json.dumps(p.charts, ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8")


def generate(root: Path, processed: Path) -> list[Page]:
    """Everything but mkdocs: downloads and generated Markdown under root/site_src/."""
    downloads = root / "site_src" / "downloads"
    write_downloads(root, processed, downloads)
    extra_downloads.write(processed, downloads)
    con = store.connect(processed)
    try:
        rendered = render_all(con, root, downloads)
    finally:
        con.close()
    write_pages(root / "site_src" / "generated", rendered)
    return rendered


def build_site(root: Path, processed: Path, serve: bool = False, site_dir: Path | None = None) -> int:
    root = root.resolve()
    processed = processed if processed.is_absolute() else root / processed
    generate(root, processed)
    cmd = [sys.executable, "-m", "mkdocs", "serve" if serve else "build", "-f", str(root / "mkdocs.yml")]
    if not serve:
        cmd += ["--strict", "-d", str(site_dir or root / "site")]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.call(cmd, cwd=root, env=env)
