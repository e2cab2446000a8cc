"""MkDocs hook: generated pages are served without the `generated/` prefix (/units/<unit>/…, /compare/…),
and the data version and build date (generated/build.json) reach every page's footer."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
from pathlib import Path

PREFIX = "generated/"
log = logging.getLogger("mkdocs.hooks")

# Raw HTML blocks (the generated tables and collapsible details) are kept out of Markdown: Python-Markdown
# and MkDocs each run an HTML parser over every raw block (most of a page's build time for table-heavy
# pages), yet pass them through unchanged. They are swapped for a placeholder paragraph before Markdown
# and put back, byte for byte, before anything else reads the page.
_RAW_STARTS = ('<div class="tbl', "<details")
_RAW: dict[str, list[tuple[str, str]]] = {}  # page source path -> [(placeholder, block)]


def _balanced(block: str) -> bool:
    return all(block.count(f"<{t}") == block.count(f"</{t}>") for t in ("div", "details", "table"))


def on_page_markdown(markdown, page, config, files):
    lines = markdown.split("\n")
    nonce = hashlib.sha256(markdown.encode("utf-8")).hexdigest()[:16]
    out: list[str] = []
    blocks: list[tuple[str, str]] = []
    i = 0
    while i < len(lines):
        if lines[i].startswith(_RAW_STARTS) and (i == 0 or not lines[i - 1].strip()):
            j = i
            while j < len(lines) and lines[j].strip():
                j += 1
            block = "\n".join(lines[i:j])
            if _balanced(block):
                token = f"rawblock-{nonce}-{len(blocks)}"
                blocks.append((token, block))
                out.append(token)
                i = j
                continue
        out.append(lines[i])
        i += 1
    if blocks:
        _RAW[page.file.src_uri] = blocks
    return "\n".join(out)


def _restore(html: str, page) -> str:
    for token, block in _RAW.pop(page.file.src_uri, []):
        marker = f"<p>{token}</p>"
        if marker not in html:
            log.warning("hooks: a raw HTML block of %s was not put back", page.file.src_uri)
            continue
        html = html.replace(marker, block, 1)
    return html


# `python -m generator site` starts mkdocs while it is still writing the pages, so that mkdocs loads its
# theme, plugins and search dictionary meanwhile: it then sets this variable and writes one byte to
# mkdocs' standard input when the pages are ready (nothing, closing it, when it failed).
WAIT = "GENERATOR_PAGES_ON_STDIN"


def on_pre_build(config):
    """Wait for the pages when the generator said so (see WAIT), then read the build information.
    This runs before mkdocs cleans site_dir and lists docs_dir: nothing of the pages was read yet."""
    if os.environ.get(WAIT) == "1":
        if sys.stdin.buffer.read(1) != b"1":
            from mkdocs.exceptions import Abort

            raise Abort("the generator stopped before the pages were written; nothing built")
    path = Path(config["docs_dir"]) / PREFIX / "build.json"
    info = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    config["extra"] = {**(config.get("extra") or {}), "build": info}


def on_page_content(html, page, config, files):
    """The raw HTML blocks go back in; then search synonyms: each section using a term also carries its
    short forms, indexed but never shown."""
    html = _restore(html, page)
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
    """The search index as UTF-8 (Material writes \\u escapes: 6 bytes for each Chinese character instead of 3),
    and the theme files no page can load are dropped (see _unused_theme_files)."""
    site = Path(config["site_dir"])
    path = site / "search" / "search_index.json"
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    # the search plugin is registered as "material/search" (or "search"); its lang option is a list
    search = next((p for name, p in config["plugins"].items() if name.split("/")[-1] == "search"), None)
    if search is None:
        return
    langs = list(search.config.get("lang") or ["en"])
    for p in _unused_theme_files(site, langs):
        p.unlink()
    theme = [site / "assets" / "javascripts", site / "assets" / "stylesheets"]
    for p in (f for d in theme for f in d.rglob("*.min.*")):  # their source maps are gone: no dangling reference
        if p.suffix in (".js", ".css") and p.is_file():
            text = p.read_text(encoding="utf-8")
            kept = _MAP_REF.sub("", text)
            if kept != text:
                p.write_text(kept, encoding="utf-8")


_MAP_REF = re.compile(r"\n?(?://|/\*)# sourceMappingURL=[^\n]*")


def _unused_theme_files(site: Path, langs: list[str]) -> list[Path]:
    """Source maps (for debugging the theme) and the search languages and word splitters the configured
    search languages never load (Material's worker loads lunr.stemmer.support, lunr.<lang>, lunr.multi for
    several languages, tinyseg for ja, wordcut for th and hi): about 2 MB per site."""
    assets = site / "assets"
    out = [p for p in assets.rglob("*.map") if p.is_file()]
    lunr = assets / "javascripts" / "lunr"
    keep = {"lunr.stemmer.support.min.js"} | {f"lunr.{x}.min.js" for x in langs if x != "en"}
    if len(langs) > 1:
        keep.add("lunr.multi.min.js")
    out += [p for p in (lunr / "min").glob("lunr.*.min.js") if p.name not in keep]
    if "ja" not in langs:
        out += [p for p in (lunr / "tinyseg.js",) if p.exists()]
    if not {"th", "hi"} & set(langs):
        out += [p for p in (lunr / "wordcut.js",) if p.exists()]
    return out


# Whitespace the theme's templates leave between tags: a run holding a line break becomes one line
# break (the same single white space to the browser), except inside <pre>, <textarea>, <script>, <style>.
_KEEP = re.compile(r"<(pre|textarea|script|style)\b", re.I)
_BLANK = re.compile(r"\n[ \t\r\n]*")


def _collapse(html: str) -> str:
    """Linear: each kept element is skipped to its closing tag with str.find (no backtracking)."""
    out, pos = [], 0
    while (m := _KEEP.search(html, pos)) is not None:
        end = _close(html, m.group(1), m.end())
        out += [_BLANK.sub("\n", html[pos:m.start()]), html[m.start():end]]
        pos = end
    out.append(_BLANK.sub("\n", html[pos:]))
    return "".join(out)


def _close(html: str, tag: str, start: int) -> int:
    """Index just after the closing tag of `tag` from start (the end of the text when it never closes)."""
    for variant in (f"</{tag}>", f"</{tag.lower()}>", f"</{tag.upper()}>"):
        i = html.find(variant, start)
        if i >= 0:
            return i + len(variant)
    return len(html)


# The theme's icons are inline SVGs of one path; the logo and the search icon appear twice on every page.
_ICON = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="([^"<>]{1,4000})"/></svg>')
_CONFIG = '<script id="__config" type="application/json">'


def _icons(html: str) -> str:
    """A repeated icon refers to its first drawing (<use>): the same picture, drawn from one path."""
    seen: dict[str, str] = {}
    counts: dict[str, int] = {}
    for m in _ICON.finditer(html):
        counts[m.group(1)] = counts.get(m.group(1), 0) + 1

    def one(m: re.Match[str]) -> str:
        d = m.group(1)
        if counts[d] < 2:
            return m.group(0)
        if d in seen:
            return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><use href="#{seen[d]}"/></svg>'
        seen[d] = f"icon-{len(seen) + 1}"
        return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path id="{seen[d]}" d="{d}"/></svg>'
    return _ICON.sub(one, html)


def _compact_config(html: str) -> str:
    """The theme's settings (JSON) as UTF-8 without spaces: its Chinese labels are \\u escapes, 6 bytes a character."""
    start = html.find(_CONFIG)
    end = html.find("</script>", start) if start >= 0 else -1
    if end < 0:
        return html
    try:
        data = json.loads(html[start + len(_CONFIG):end])
    except ValueError:
        return html
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return html[:start + len(_CONFIG)] + text + html[end:]


def on_post_page(output, page, config):
    """Pages lose about a sixth of their bytes (the theme's template indentation, repeated icons, the escaped
    settings); nothing the browser shows or does changes."""
    return _compact_config(_icons(_collapse(output)))
