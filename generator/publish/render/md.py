"""Markdown/HTML building blocks: escaping, number formatting, tables, chart figures.

Document text is always escaped, never trusted as markup: `md()` for Markdown context
(paragraphs, headings, list items), `h()` for raw HTML blocks (tables, figures, details).
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from ...labels import GLOSSARY_ANCHORS

# Python-Markdown's escapable characters plus the table pipe; `<`, `>` and `&` are HTML-escaped.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_WS = re.compile(r"\s+")


_PLAIN = re.compile(r"[^\s&<>\"']*")


def h(text: Any) -> str:
    """Escape for HTML (raw HTML blocks are not processed as Markdown); newlines become spaces."""
    if text is None:
        return ""
    s = str(text)
    if _PLAIN.fullmatch(s):  # most cells: nothing to escape or fold (the same result, cheaper)
        return s
    return html.escape(_WS.sub(" ", s).strip(), quote=True)


def md(text: Any) -> str:
    """Escape for Markdown inline context: HTML special chars, then every Markdown special char."""
    if text is None:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", h(text).replace("&amp;", "\x00")).replace("\x00", "&amp;")


def front_matter(title: str, search_exclude: bool = False, wide: bool = False, template: str = "",
                 redirect: str = "") -> str:
    """YAML front matter fixing the page <title>. The title is HTML-escaped here: MkDocs uses it as HTML
    (the theme strips tags and unescapes it for <title>, then escapes it again), so the page shows the
    real characters < > & and no markup ever reaches the page.

    wide: pages outside the navigation (units, documents) hide the empty navigation sidebar.
    template: a page template of site_src/overrides/ instead of the theme's (source.html).
    redirect: a relative URL; the page is then a slim redirect to it (site_src/overrides/redirect.html:
    no theme, a refresh, a canonical link and the page's text), left out of search and the sitemap."""
    lines = ["---", f"title: {json.dumps(h(' '.join(str(title).split())), ensure_ascii=False)}"]
    if template and not redirect:
        lines.append(f"template: {template}")
    if wide:
        lines += ["hide:", "  - navigation"]
    if search_exclude or redirect:
        lines += ["search:", "  exclude: true"]
    if redirect:
        lines += ["template: redirect.html", f"redirect: {json.dumps(redirect)}"]
    return "\n".join(lines + ["---", "", ""])


# A published file name must survive a URL and a file system: no URL syntax (# ? % &), no control or
# white-space characters but the plain space, no path syntax, no leading dot.
_SAFE_NAME = re.compile(r"[^\x00-\x1f\x7f#?%&/\\\t\n\r\u2028\u2029\u0085]{1,120}")
_SAFE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}")


def published_name(source_file: str, _sha256: str = "") -> str:
    """The name a source file is published under in downloads/raw/: its own name when that is safe,
    else 'file-<hash of the name>.<ext>' (distinct names stay distinct)."""
    if _SAFE_NAME.fullmatch(source_file) and not source_file.startswith(".") and source_file.strip() == source_file:
        return source_file
    dot = source_file.rfind(".")
    suffix = source_file[dot:] if dot > 0 and _SAFE_SUFFIX.fullmatch(source_file[dot:]) else ""
    return "file-" + hashlib.sha256(source_file.encode("utf-8", "surrogatepass")).hexdigest()[:16] + suffix


def url_path(text: str) -> str:
    """A path segment for an href: ASCII that is not URL-safe percent-encoded, other characters kept as
    they are (an HTML page may carry them; the browser encodes them as UTF-8 when it follows the link).
    A Chinese file name costs 3 bytes a character instead of 9, on every source link of a PDF document.
    Control characters, surrogates and non-characters are percent-encoded too."""
    out = []
    for ch in text:
        o = ord(ch)
        if o < 0x80:
            out.append(quote(ch, safe="/-._~!$'()*+,;=:@"))
        elif o < 0xA0 or 0xD800 <= o <= 0xDFFF or 0xFDD0 <= o <= 0xFDEF or (o & 0xFFFE) == 0xFFFE \
                or ch.isspace():
            out.append(quote(ch.encode("utf-8", "surrogatepass")))
        else:
            out.append(ch)
    return "".join(out)


# Originals hosted outside the site (ORIGINALS_URL, see publish/site.py): source file -> absolute URL.
# Set once per process before rendering (set_external_originals); empty: every original is on the site.
_EXTERNAL: dict[str, str] = {}


def set_external_originals(urls: dict[str, str]) -> None:
    _EXTERNAL.clear()
    _EXTERNAL.update(urls)


@functools.lru_cache(maxsize=4096)
def published_path(source_file: str) -> str:
    """url_path(published_name(source_file)): a PDF document's every source link names its file."""
    return url_path(published_name(source_file))


def raw_href(prefix: str, source_file: str) -> str:
    """URL of a published source file: prefix + its safe name (see url_path); or its address
    outside the site when the originals are hosted elsewhere."""
    return _EXTERNAL.get(source_file) or prefix + published_path(source_file)


def viewer_href(prefix: str, source_file: str) -> tuple[str, bool]:
    """(URL, gzip) of the copy of a text file the line-numbered source view reads: the published file;
    or, when the originals are hosted elsewhere, its gzip copy on the site (the view never reads the mirror)."""
    local = prefix + published_path(source_file)
    return (local + ".gz", True) if source_file in _EXTERNAL else (local, False)


def fmt_wan(v: Decimal | None, blank: str = "—") -> str:
    """万元 with thousands separators; at least two decimals, more only when the figure has them."""
    if v is None:
        return blank
    d = Decimal(v)
    frac = format(d.normalize(), "f").partition(".")[2]
    places = max(2, min(len(frac), 6))
    return f"{d:,.{places}f}"


def fmt_num(v: Any, blank: str = "—") -> str:
    if v is None:
        return blank
    if isinstance(v, Decimal):
        s = format(v.normalize(), "f")
        if "." in s:
            whole, _, frac = s.partition(".")
            return f"{int(whole):,}.{frac}" if whole.lstrip("-").isdigit() else s
        return f"{int(s):,}"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    return str(v)


def fmt_bytes(n: int) -> str:
    if n < 1024:
        return f"{n} 字节"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


@dataclass(slots=True)
class Cell:
    """One table cell: escaped text, optional link (already a safe URL), numeric sort key.
    Not frozen: a page builds thousands of cells, and a frozen dataclass is made field by field through
    object.__setattr__ (twice the cost); no cell is changed once made."""
    text: str
    href: str = ""
    sort: str = ""
    num: bool = False
    cls: str = ""  # "long": prose that needs room; "code": identifiers that may break anywhere; "src": a source line

    @property
    def roles(self) -> tuple[str, ...]:
        """The cell's classes; a source line ("src") is numeric by itself (no "num" beside it)."""
        return _roles(self.cls, self.num)

    def html(self, drop: frozenset[str] = frozenset(), empty: bool = False) -> str:
        """drop: classes the table states once for the whole column (see html_table)."""
        body = h(self.text)
        if self.href:
            body = f'<a href="{h(self.href)}">{body}</a>'
        classes, src = _td_classes(self.cls, self.num, drop, empty)
        # the table script reads a source line's number from its text ('p3', '52.pdf:p7', '12-14')
        if self.sort and not src:
            return f'<td data-sort="{h(self.sort)}"{classes}>{body}</td>'
        return f"<td{classes}>{body}</td>"


# A table has a few kinds of cell (class and numeric flag) and many cells: their roles and the class
# attribute of their <td> are worked out once per kind.
@functools.lru_cache(maxsize=1024)
def _roles(cls: str, num: bool) -> tuple[str, ...]:
    out = tuple(cls.split())
    return out if "src" in out or not num else ("num", *out)


@functools.lru_cache(maxsize=4096)
def _td_classes(cls: str, num: bool, drop: frozenset[str], empty: bool) -> tuple[str, bool]:
    """(' class="…"' or '', whether the cell is a source line) of a cell of this kind in a column
    stating `drop` once."""
    roles = _roles(cls, num)
    classes = [c for c in roles if c not in drop] + (["empty-col"] if empty else [])
    return (f' class="{" ".join(classes)}"' if classes else ""), "src" in roles


def money(v: Decimal | None) -> Cell:
    """An amount; the table script sorts numeric cells by their text (separators dropped)."""
    return Cell(fmt_wan(v), num=True)


def number(v: Any) -> Cell:
    return Cell(fmt_num(v), num=True)


def year(v: Any) -> Cell:
    """A year: numeric for sorting, shown without a thousands separator."""
    return Cell("" if v is None else str(v), num=True)


def text(v: Any, href: str = "") -> Cell:
    return Cell("" if v is None else str(v), href=href)


def prose(v: Any) -> Cell:
    return Cell("" if v is None else str(v), cls="long")


def code(v: Any) -> Cell:
    return Cell("" if v is None else str(v), cls="code")


@dataclass(frozen=True)
class Group:
    """A row of html_table that heads the rows after it (one project's indicators): a header cell
    spanning the table, so one table (one header row) serves many groups."""
    label: str
    anchor: str = ""


# Column roles a table states once on its wrapper instead of on every cell: class n3 means every cell of
# column 3 is numeric (site.css aligns it right), l = long prose, c = codes (hidden on phones), s = source
# lines, e = empty (hidden on phones). Columns past ROLE_COLUMNS keep their classes on the cells.
ROLE_CLASSES = {"num": "n", "long": "l", "code": "c", "src": "s"}
ROLE_COLUMNS = 16


def html_table(headers: list[str], rows: Sequence[list[Cell] | Group], *, sortable: bool = False,
               filterable: bool = False, caption: str = "", facets: tuple[int, ...] = ()) -> str:
    """A raw HTML table (one block, no blank lines) inside a wrapper div the site JS enhances.

    The wrapper is a keyboard-reachable scroll region; tables stay out of the search index (titles,
    headings, units and project names are indexed instead). `facets`: column indexes offered as
    drop-down filters (a cell may list several values joined by 、). A Group among the rows starts a
    new <tbody> headed by its label (not with sortable: the script sorts the first body).
    """
    cells = [r for r in rows if not isinstance(r, Group)]
    if not cells:
        return "<p class=\"empty\">（无数据）</p>"
    assert not (sortable and len(cells) < len(rows)), "grouped tables are not sortable"
    cls = [c for c, on in (("sortable", sortable), ("filterable", filterable or bool(facets))) if on]
    n = len(headers)
    empty = {i for i in range(n) if all(i >= len(r) or r[i].text in ("", "—") for r in cells)}
    drops: list[frozenset[str]] = []
    for i in range(n):
        # the roles every cell of the column has (a row too short for the column has none)
        kinds = {(r[i].cls, r[i].num) if i < len(r) else None for r in cells}
        common = set.intersection(*(set(_roles(*k)) if k is not None else set() for k in kinds))
        drop = frozenset(common & set(ROLE_CLASSES)) if i < ROLE_COLUMNS else frozenset()
        drops.append(drop)
        cls += [f"{ROLE_CLASSES[x]}{i + 1}" for x in sorted(drop, key=list(ROLE_CLASSES).index)]
        if i in empty and i < ROLE_COLUMNS:
            cls.append(f"e{i + 1}")
    late = {i for i in empty if i >= ROLE_COLUMNS}

    def th(i: int, x: str) -> str:
        if i < ROLE_COLUMNS:  # stated on the wrapper
            return f"<th>{h(x)}</th>"
        c = " ".join(k for k, on in (("code", all(i < len(r) and "code" in r[i].roles for r in cells)),
                                     ("empty-col", i in late)) if on)
        return f'<th class="{c}">{h(x)}</th>' if c else f"<th>{h(x)}</th>"
    head = "".join(th(i, x) for i, x in enumerate(headers))

    def row(r: list[Cell] | Group) -> str:
        if isinstance(r, Group):
            anchor = f' id="{h(r.anchor)}"' if r.anchor else ""
            return f'</tbody><tbody><tr><th colspan="{n}" scope="rowgroup"{anchor}>{h(r.label)}</th></tr>'
        return "<tr>" + "".join(c.html(drops[i] if i < n else frozenset(), i in late)
                                for i, c in enumerate(r)) + "</tr>"
    body = "\n".join(row(r) for r in rows)
    if isinstance(rows[0], Group):  # no empty body before the first group
        body = body.removeprefix("</tbody><tbody>")
    cap = f"<caption>{h(caption)}</caption>" if caption else ""
    name = caption or "、".join(headers[:3])
    fac = f' data-facets="{",".join(str(i) for i in facets)}"' if facets else ""
    out = [f'<div class="{" ".join(["tbl", *cls])}"{fac} data-search-exclude>']
    if filterable or facets:
        out.append('<input type="search" class="tbl-filter" placeholder="筛选…" aria-label="筛选表格">')
    out.append(f'<div class="tbl-scroll" tabindex="0" role="region" aria-label="{h(name)}（可横向滚动）">'
               f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table></div>")
    out.append("</div>")
    return "\n".join(out)


def details(summary: str, inner_html: str, open_: bool = False) -> str:
    """Collapsed detail (chart numbers, indicators, all checks); kept out of the search index to keep it small."""
    return (f"<details data-search-exclude{' open' if open_ else ''}><summary>{h(summary)}</summary>\n"
            f"{inner_html}\n</details>")


@dataclass
class Page:
    """A rendered page: its path under the generated tree, Markdown, and chart specs by name."""
    path: str
    markdown: str
    charts: dict[str, dict] = field(default_factory=dict)
    url_depth: int | None = None  # set for pages included elsewhere (the home snippet)

    @property
    def depth(self) -> int:
        """How many directories the page's URL is below the site root (use_directory_urls)."""
        if self.url_depth is not None:
            return self.url_depth
        parts = self.path.split("/")
        return len(parts) - (1 if parts[-1] == "index.md" else 0)

    @property
    def chart_key(self) -> str:
        return self.path.removesuffix(".md").replace("/", "--")


def chart_block(page: Page, name: str, spec: dict | None, caption: str, data_html: str) -> str:
    """A chart figure with caption and, beside it, its numbers as a collapsible table (text alternative)."""
    if spec is None:
        return ""
    # Vega labels the SVG with the spec's description (else "Vega visualization"): the Chinese caption
    page.charts[name] = {**spec, "description": caption}
    src = "../" * page.depth + f"charts/{page.chart_key}.json"
    fig = (f'<figure class="chart" data-search-exclude><div class="vchart" data-src="{h(src)}" data-name="{h(name)}" '
           f'role="img" aria-label="{h(caption)}"></div><figcaption>{h(caption)}</figcaption></figure>')
    return fig + ("\n\n" + details("图表数据（文字版）", data_html) if data_html else "")


_PDF_PAGE = re.compile(r"p(\d+)(?:~ocr)?")


def pdf_page(where: str) -> tuple[str, str]:
    """'p3', 'p3~ocr' (read by OCR), '52_….pdf:p3' (a twin table book joined to the document) -> (file or '', '3');
    ('', '') when it names no PDF page. Split first, so no regex runs over a whole file name."""
    file, _, tail = where.rpartition(":")
    m = _PDF_PAGE.fullmatch(tail)
    return (file, m.group(1)) if m else ("", "")


_DIGITS = re.compile(r"\d+")


def line_sort(line: Any) -> str:
    """A numeric sort key for a source line ('12', 'p3', '12-14', '52_….pdf:p7'); '' when it has no number."""
    s = str(line or "")
    if s.isascii() and s.isdigit():  # most lines: the number itself
        return s
    return _line_number(s)


@functools.lru_cache(maxsize=1 << 14)  # a document's lines are linked from several tables and pages
def _line_number(s: str) -> str:
    m = _DIGITS.search(s.rpartition(":")[2])
    return m.group(0) if m else ""


def source_href(page: Page, doc_path: str, line: Any, has_view: bool | str) -> str:
    """The URL of a figure's line in the rendered source text, or of its page in the original PDF."""
    if line is None:
        return ""
    return _source_href(page, doc_path, str(line), has_view)


def _source_href(page: Page, doc_path: str, s: str, has_view: bool | str, key: str | None = None) -> str:
    """source_href of the line s; key: line_sort(s) when the caller has it."""
    if isinstance(has_view, str):
        file, page_no = pdf_page(s)
        return raw_href("../" * page.depth + "downloads/raw/", file or has_view) + f"#page={page_no}" if page_no else ""
    if not has_view:
        return ""
    return rel(page, f"{doc_path}/source/") + f"#L{(line_sort(s) if key is None else key) or s}"


def rel(page: Page, target: str) -> str:
    """A short relative URL from the page's URL to a site path (a directory URL ending in '/')."""
    return _rel(page.path, target)


@functools.lru_cache(maxsize=4096)
def _rel(path: str, target: str) -> str:
    """rel() on paths alone: a page links the same few targets hundreds of times (every source line)."""
    here = posixpath.dirname(path) if path.endswith("index.md") else path.removesuffix(".md")
    out = posixpath.relpath(target.rstrip("/") or ".", here or ".")
    return ("" if out == "." else out + "/") if target.endswith("/") else out


def source_link(page: Page, doc_path: str, line: Any, has_view: bool | str) -> Cell:
    """Cell linking a figure to its line in the rendered source text, or to its page of the original PDF."""
    if line is None:
        return Cell("")
    s = str(line)
    key = line_sort(s)
    return Cell(s, href=_source_href(page, doc_path, s, has_view, key), sort=key if not s.isdigit() else "", num=True,
                cls="src")


def diff_cell(r: dict) -> Cell:
    """差额 = 实际值 − 应有值 (万元), sorted by its size."""
    if r.get("expected_wan") is None or r.get("actual_wan") is None:
        return Cell("", sort="")
    d = Decimal(r["actual_wan"]) - Decimal(r["expected_wan"])
    return Cell(fmt_wan(d), sort=format(abs(d), "f"), num=True)


def glossary_link(page: Page, term: str) -> str:
    """An inline link (raw HTML) to a term of the glossary page."""
    anchor = GLOSSARY_ANCHORS.get(term, "")
    return f'<a class="term" href="{"../" * page.depth}glossary/#{anchor}">{h(term)}</a>'


_SECTION = re.compile(r"^## (.+?)(?: \{#([\w-]+)\})?$")


def with_contents(lines: list[str], indexed: tuple[str, ...] = ()) -> list[str]:
    """Give every '## ' section an id and put a contents menu (a collapsible list of links) before the first.

    indexed: the sections kept in the search index (titles starting so); the rest, tables and charts, stay out."""
    out: list[str] = []
    items: list[tuple[str, str]] = []
    for line in lines:
        m = _SECTION.match(line)
        if m:
            anchor = m.group(2) or f"s{len(items) + 1}"
            items.append((m.group(1), anchor))
            skip = "" if not indexed or m.group(1).startswith(indexed) else ' data-search-exclude="1"'
            line = f"## {m.group(1)} {{#{anchor}{skip}}}"
        out.append(line)
    if len(items) < 3:
        return out
    links = "".join(f'<li><a href="#{a}">{html.escape(html.unescape(t.replace(chr(92), "")))}</a></li>' for t, a in items)
    menu = f'<details class="page-toc"><summary>本页目录</summary><ul>{links}</ul></details>'
    first = next(i for i, line in enumerate(out) if _SECTION.match(line))
    return out[:first] + [menu, ""] + out[first:]


LIST_ROWS = 200  # rows of a cross-document list per page: past this, the list goes on in base-2/, base-3/ …


def chunked(rows: list[Any], per: int | None = None) -> list[list[Any]]:
    """The rows cut into pages of `per` (LIST_ROWS) rows; one empty page for no rows."""
    per = per or LIST_ROWS
    return [rows[i:i + per] for i in range(0, len(rows), per)] or [[]]


def list_page_path(base: str, n: int) -> str:
    """Markdown path of page n of a paged list whose first page is base.md (siblings keep the depth)."""
    return f"{base}.md" if n == 1 else f"{base}-{n}.md"


def pager(page: Page, base: str, n: int, total: int) -> str:
    """Links to the pages of a paged list (empty when there is one page)."""
    if total <= 1:
        return ""
    up = "../" * page.depth
    links = [f'<a href="{up}{base}{"" if i == 1 else f"-{i}"}/"' + (' aria-current="page"' if i == n else "") + f">{i}</a>"
             for i in range(1, total + 1)]
    return f'<nav class="pager" aria-label="分页">{" ".join(links)}</nav>'
