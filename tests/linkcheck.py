"""Every internal link of a built site resolves: href/src of every HTML page -> an existing file,
and a #fragment on an HTML page -> an element with that id (or name), or a line #L<n> of a source view
(whose script numbers data-lines lines from the file its data-src names; that file is checked as a link).
A redirect page's refresh target counts as one of its links; redirect_problems checks that nothing
links to a redirect page and that each one leads to a document page."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.lines = 0  # a source view numbers this many lines (#L1…#L<n>) when its script runs
        self.refresh: str | None = None  # a redirect page: where its <meta http-equiv="refresh"> leads

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            m = re.fullmatch(r"\s*\d+\s*;\s*url=(.*)", a.get("content") or "", re.I | re.S)
            if m:
                self.refresh = m.group(1).strip()
                self.links.append(self.refresh)
        for k, v in attrs:
            if v is None:
                continue
            if k in ("href", "src", "data-src") and not (tag == "link" and ("rel", "preconnect") in attrs):
                self.links.append(v)
            elif k in ("id", "name"):
                self.ids.add(v)
            elif k == "data-lines" and v.isdigit():
                self.lines = max(self.lines, int(v))


def _parse(path: Path) -> _Links:
    p = _Links()
    p.feed(path.read_text(encoding="utf-8", errors="replace"))
    return p


def _target(site: Path, page: Path, link: str) -> Path | None:
    """The file an internal link of page opens (None for an outside link)."""
    u = urlsplit(link)
    if u.scheme or u.netloc or link.startswith(("mailto:", "javascript:", "data:")):
        return None
    if not u.path:
        return page
    base = site if u.path.startswith("/") else page.parent  # 404.html links from the root
    target = (base / unquote(u.path).lstrip("/")).resolve()
    return target / "index.html" if link.endswith("/") or target.is_dir() else target


def redirect_problems(site: Path) -> tuple[dict[str, str], list[str]]:
    """(redirect page -> the page it leads to, problems): every link to a redirect page (nothing should link
    to one: a link goes straight to where it leads), and every redirect not leading to a document page
    (units/<unit>/<year-kind>/index.html, itself no redirect)."""
    site = site.resolve()
    parsed = {p: _parse(p) for p in sorted(site.rglob("*.html"))}
    redirects = {p: t for p in parsed if parsed[p].refresh is not None
                 for t in [_target(site, p, parsed[p].refresh or "")]}
    bad = []
    for page, got in parsed.items():
        rel = page.relative_to(site).as_posix()
        for link in got.links:
            if link != got.refresh and _target(site, page, link) in redirects:
                bad.append(f"{rel} -> {link} (a redirect page)")
        if page in redirects:
            t = redirects[page]
            parts = t.relative_to(site).parts if t is not None and site in t.parents else ()
            doc = t is not None and t.is_file() and len(parts) == 4 and parts[0] == "units" \
                and parts[3] == "index.html" and t not in redirects
            if not doc:
                bad.append(f"{rel} -> {got.refresh} (not a document page)")
    return {p.relative_to(site).as_posix(): str(t) for p, t in redirects.items()}, bad


def broken_links(site: Path) -> list[str]:
    """'page.html -> link (why)' for every internal link that does not resolve."""
    cache: dict[Path, _Links] = {}

    def parsed(p: Path) -> _Links:
        if p not in cache:
            cache[p] = _parse(p)
        return cache[p]

    bad: list[str] = []
    for page in sorted(site.rglob("*.html")):
        for link in parsed(page).links:
            target = _target(site, page, link)
            if target is None:
                continue
            u = urlsplit(link)
            rel = page.relative_to(site).as_posix()
            if not target.is_file() or site.resolve() not in target.resolve().parents:
                bad.append(f"{rel} -> {link} (no such file)")
            elif u.fragment and target.suffix == ".html" and not re.fullmatch(r"__\w+|page=\d+", u.fragment):
                frag, got = unquote(u.fragment), parsed(target)
                line = re.fullmatch(r"L(\d+)", frag)
                if frag not in got.ids and not (line and 1 <= int(line.group(1)) <= got.lines):
                    bad.append(f"{rel} -> {link} (no anchor)")
    return bad
