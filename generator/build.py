"""Orchestration: read every file, parse, check, then write. Gather first, write last."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path
from typing import Any

from . import checks, contract, parse
from .model import Document, Issue
from .parse import readers, records, sections, tables
from .publish import store

STAGES = ("blocks", "sections", "tables", "records")
RAW_SUFFIXES = {".txt", ".text", ".pdf", ".docx", ".doc", ".md"}


@dataclass
class BuildResult:
    documents: int = 0
    issues: list[Issue] = field(default_factory=list)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def raw_files(raw: Path) -> list[Path]:
    """Every regular file in data/raw (sorted); hidden files and READMEs are skipped."""
    if not raw.is_dir():
        return []
    return sorted(
        p for p in raw.iterdir() if p.is_file() and not p.name.startswith(".") and p.name.lower() not in ("readme.md", "sources.csv")
    )


def parse_document(doc: Document) -> tuple[dict[str, list[dict[str, Any]]], list[Issue]]:
    """Parse, then check: the contract rows of one document (checks included) and its issues."""
    out, heads, issues = parse.parse_document(doc)
    try:
        chk, items = checks.run_checks(doc, out, heads)
        out["checks"], out["disclosure_items"] = chk, items
    except Exception as e:  # a failing check must not lose the parsed data
        issues.append(Issue("checks-crash", doc.doc_id, doc.source_file,
                            f"{doc.source_file}: checks failed: {type(e).__name__}: {e}", "error"))
    return out, issues


def _issue_row(i: Issue, source_file: str) -> dict[str, Any]:
    return {
        "doc_id": i.doc_id or None,
        "source_file": source_file,
        "code": i.code,
        "severity": i.severity,
        "where": i.where,
        "message": i.message,
    }


def parse_paths(paths: list[Path]) -> BuildResult:
    res = BuildResult(tables={t.name: [] for t in contract.TABLES})
    seen: dict[str, str] = {}
    for path in paths:
        try:
            doc, issues = readers.read(path)
        except Exception as e:  # a reader bug must not take the whole build down
            doc, issues = None, [Issue("unreadable-file", "", path.name,
                                       f"{path.name}: reader failed: {type(e).__name__}: {e}", "error")]
        if doc is not None and doc.source_sha256 in seen:
            issues.append(
                Issue("duplicate-file", doc.doc_id, path.name,
                      f"{path.name}: same content (sha256) as {seen[doc.source_sha256]}; parsed once", "info")
            )
            doc = None
        if doc is not None:
            seen[doc.source_sha256] = path.name
            try:
                out, more = parse_document(doc)
            except Exception as e:  # a parser bug must not take the whole build down
                out, more = {}, [Issue("parse-crash", doc.doc_id, path.name,
                                       f"{path.name}: parser failed: {type(e).__name__}: {e}", "error")]
            issues += more
            if out.get("documents"):
                out["documents"][0]["parse_warnings"] = sum(1 for i in issues if i.severity != "info")
            for name, rows in out.items():
                res.tables[name].extend(rows)
            res.documents += 1
        res.issues += issues
        res.tables["parse_issues"].extend(_issue_row(i, path.name) for i in issues)
    return res


def build_data(raw: Path, out: Path) -> BuildResult:
    files = raw_files(raw)
    res = parse_paths(files)
    if not files:
        res.issues.append(Issue("no-input", "", str(raw), f"{raw}: no input files", "warning"))
    store.write_all(out, res.tables)
    return res


def parse_to(paths: list[Path], out: Path) -> BuildResult:
    res = parse_paths(paths)
    store.write_all(out, res.tables)
    return res


def _jsonable(x: Any) -> Any:
    if is_dataclass(x) and not isinstance(x, type):
        return {k: _jsonable(v) for k, v in asdict(x).items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    return x


def dump_stage(path: Path, stage: str) -> Any:
    """An intermediate stage as JSON-able data, to debug the next county's file."""
    doc, issues = readers.read(path)
    if doc is None:
        return {"file": path.name, "issues": _jsonable(issues)}
    if stage == "blocks":
        return {"file": path.name, "format": doc.source_format, "encoding": doc.encoding,
                "blocks": _jsonable(doc.blocks), "issues": _jsonable(issues)}
    secs = sections.document_to_sections(doc)
    if stage == "sections":
        return {"file": path.name, "sections": _jsonable(secs)}
    grids = tables.sections_to_grids(doc, secs)
    if stage == "tables":
        return {"file": path.name, "grids": _jsonable(grids)}
    out, more = records.extract(doc, secs, grids)
    return {"file": path.name, "records": _jsonable(out), "issues": _jsonable(issues + more)}
