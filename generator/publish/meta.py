"""Data version, build date and citation sources (the optional data/raw/sources.csv sidecar).

Deterministic: the version is a hash of the source files' SHA-256s; the build date comes from
SOURCE_DATE_EPOCH, else the date of the checked-out commit, so the same inputs give the same site.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .pages import DocSummary
from .render.md import Page

SOURCES = "sources.csv"
SOURCE_COLUMNS = ("file", "url", "publisher", "date")  # date: publication date, YYYY-MM-DD


@dataclass(frozen=True)
class BuildInfo:
    version: str  # data version: short hash over the published source files
    built: str  # YYYY-MM-DD
    documents: int

    @property
    def cited(self) -> str:
        """引用日期 of the GB/T 7714 citations."""
        return self.built


def _built(root: Path) -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    try:
        r = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%cs"], capture_output=True, text=True,
                           timeout=10, check=False)
        return r.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def build_info(root: Path, docs: list[DocSummary], shas: list[str] | None = None) -> BuildInfo:
    h = hashlib.sha256("\n".join(sorted(shas if shas is not None else [d.doc_id for d in docs])).encode())
    return BuildInfo(h.hexdigest()[:12], _built(root), len(docs))


def read_sources(raw: Path) -> dict[str, dict[str, str]]:
    """file -> {url, publisher, date}; an absent or malformed sidecar gives no citations, never a crash."""
    path = raw / SOURCES
    if not path.is_file():
        return {}
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}
    out: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        name = (row.get("file") or "").strip()
        if name:
            out[name] = {k: (row.get(k) or "").strip() for k in SOURCE_COLUMNS[1:]}
    return out


def version_page(info: BuildInfo) -> Page:
    """build.json: read by the mkdocs hook into config.extra, shown in every page's footer."""
    return Page("build.json", json.dumps({"version": info.version, "built": info.built, "documents": info.documents},
                                         ensure_ascii=False, sort_keys=True) + "\n")
