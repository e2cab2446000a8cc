"""Every internal link of a built site resolves: href/src of every HTML page -> an existing file,
and a #fragment on an HTML page -> an element with that id (or name), or a line #L<n> of a source view
(whose script numbers data-lines lines from the file its data-src names; that file is checked as a link)."""

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

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
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
            u = urlsplit(link)
            if u.scheme or u.netloc or link.startswith(("mailto:", "javascript:", "data:")):
                continue
            if not u.path:
                target = page
            else:
                base = site if u.path.startswith("/") else page.parent  # 404.html links from the root
                target = (base / unquote(u.path).lstrip("/")).resolve()
                if link.endswith("/") or target.is_dir():
                    target = target / "index.html"
            rel = page.relative_to(site).as_posix()
            if not target.is_file() or site.resolve() not in target.resolve().parents:
                bad.append(f"{rel} -> {link} (no such file)")
            elif u.fragment and target.suffix == ".html" and not re.fullmatch(r"__\w+|page=\d+", u.fragment):
                frag, got = unquote(u.fragment), parsed(target)
                line = re.fullmatch(r"L(\d+)", frag)
                if frag not in got.ids and not (line and 1 <= int(line.group(1)) <= got.lines):
                    bad.append(f"{rel} -> {link} (no anchor)")
    return bad
