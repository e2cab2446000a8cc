"""MkDocs hook: generated pages are served without the `generated/` prefix (/units/<unit>/…, /compare/…),
and the data version and build date (generated/build.json) reach every page's footer."""

from __future__ import annotations

import json
import re
from pathlib import Path

PREFIX = "generated/"


def on_config(config):
    path = Path(config["docs_dir"]) / PREFIX / "build.json"
    info = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    config["extra"] = {**(config.get("extra") or {}), "build": info}
    return config


def on_page_content(html, page, config, files):
    """Search synonyms: each section using a term also carries its short forms, indexed but never shown."""
    try:
        from generator.labels import SEARCH_SYNONYMS
    except ImportError:  # the site builds without the generator package too
        return html
    parts = re.split(r"(?=<h[12][ >])", html)
    out = []
    for part in parts:
        extra = sorted({s for term, short in SEARCH_SYNONYMS.items() if term in part for s in short if s not in part})
        out.append(part + (f'\n<p class="search-only" hidden>{" ".join(extra)}</p>\n' if extra else ""))
    return "".join(out)


def on_files(files, config):
    for f in files:
        if f.src_uri.startswith(PREFIX):
            dest = f.dest_uri.removeprefix(PREFIX)
            for cached in ("url", "abs_dest_path"):
                f.__dict__.pop(cached, None)
            f.dest_uri = dest
    return files


def on_post_build(config):
    """The search index as UTF-8 (Material writes \\u escapes: 6 bytes for each Chinese character instead of 3)."""
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
