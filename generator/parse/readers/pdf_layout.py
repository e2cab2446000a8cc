"""pdfplumber 0.11's page algorithms, rewritten on plain objects (no pdfminer).

The reader's output must not change when the PDF engine does, so every function
here is a line-by-line equivalent of the pdfplumber function named in its
docstring, with the same tolerances and the same float arithmetic: only the
data structures (slots objects instead of dicts) and the search strategies
(sorting and bisecting instead of all-pairs loops) differ.

* ``dedupe_chars``              pdfplumber.utils.text.dedupe_chars
* ``find_tables``               pdfplumber.table.TableFinder, "lines" strategies
* ``extract_table``             pdfplumber.table.Table.extract
* ``extract_text``              pdfplumber.utils.text.extract_text (layout=False)
* ``extract_text_lines``        pdfplumber.Page.extract_text_lines(strip=True)
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby, pairwise
from typing import TypeVar

from .pdf_objects import Char, Edge

T = TypeVar("T")
BBox = tuple[float, float, float, float]  # x0, top, x1, bottom

# pdfplumber defaults (utils/text.py, table.py)
X_TOLERANCE = 3
Y_TOLERANCE = 3
DEDUPE_TOLERANCE = 1
SNAP_TOLERANCE = 3
JOIN_TOLERANCE = 3
EDGE_MIN_LENGTH = 3
EDGE_MIN_LENGTH_PREFILTER = 1
INTERSECTION_TOLERANCE = 3
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


# --- clustering (pdfplumber.utils.clustering) ----------------------------------------


def _cluster_ids(values: Iterable[float], tolerance: float) -> dict[float, int]:
    """make_cluster_dict: each distinct value -> its cluster, values chained while
    each is within `tolerance` of the previous one."""
    ids: dict[float, int] = {}
    cid = -1
    last = None
    for v in sorted(set(values)):
        if last is None or tolerance == 0 or not v <= last + tolerance:
            cid += 1
        ids[v] = cid
        last = v
    return ids


def cluster_objects(xs: Sequence[T], key: Callable[[T], float], tolerance: float,
                    preserve_order: bool = False) -> list[list[T]]:
    """cluster_objects: groups of objects whose key values chain within tolerance,
    in cluster order (or in the given order, cutting where the cluster changes)."""
    if len(xs) < 2:
        return [list(xs)] if xs else []
    ids = _cluster_ids([key(x) for x in xs], tolerance)
    tagged = [(x, ids[key(x)]) for x in xs]
    if not preserve_order:
        tagged.sort(key=lambda t: t[1])
    return [[x for x, _ in grp] for _, grp in groupby(tagged, key=lambda t: t[1])]


def _chains(items: list[T], key: Callable[[T], float], tolerance: float) -> list[list[T]]:
    """cluster_objects without preserve_order, for a list already sorted by key
    (stable): a new cluster starts where a value is more than `tolerance` above
    the one before it."""
    out = [[items[0]]]
    last = key(items[0])
    for x in items[1:]:
        v = key(x)
        if not v <= last + tolerance:
            out.append([])
        out[-1].append(x)
        last = v
    return out


# --- characters ---------------------------------------------------------------------


def dedupe_chars(chars: list[Char], doctop_offset: float) -> list[Char]:
    """dedupe_chars(tolerance=1, extra_attrs=("fontname", "size")): drop a char when
    another with the same text, font and size lies within 1pt (doctop and x0),
    chained; the first by (doctop, x0) of each cluster stays."""
    groups: dict[tuple, list[int]] = {}
    for i, c in enumerate(chars):
        groups.setdefault((c.upright, c.text, c.fontname, c.size), []).append(i)
    doctop = [doctop_offset + c.top for c in chars]
    x0s = [c.x0 for c in chars]
    dropped: set[int] = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        # No two x0 of the group chain within the tolerance: then no x cluster of any
        # of its y clusters can either (a subset's neighbours are further apart), and
        # nothing is dropped. (Most groups: the same digit in other cells.)
        xs = sorted(map(x0s.__getitem__, members))
        if not any(b <= a + DEDUPE_TOLERANCE for a, b in pairwise(xs)):
            continue
        by_y = sorted(members, key=doctop.__getitem__)
        for y_cluster in _chains(by_y, doctop.__getitem__, DEDUPE_TOLERANCE):
            if len(y_cluster) < 2:
                continue
            # back to page order before sorting by x0: ties keep page order
            by_x = sorted(sorted(y_cluster), key=lambda i: chars[i].x0)
            for x_cluster in _chains(by_x, lambda i: chars[i].x0, DEDUPE_TOLERANCE):
                if len(x_cluster) > 1:
                    keep = min(sorted(x_cluster), key=lambda i: (doctop[i], chars[i].x0))
                    dropped.update(i for i in x_cluster if i != keep)
    if not dropped:
        return chars
    return [c for i, c in enumerate(chars) if i not in dropped]


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    chars: list[Char]


def _begins_new_word(prev: Char, cur: Char, upright: bool) -> bool:
    """WordExtractor.char_begins_new_word for "ltr" (upright) and "ttb" (rotated)."""
    if upright:
        return cur.x0 < prev.x0 or cur.x0 > prev.x1 + X_TOLERANCE or abs(cur.top - prev.top) > Y_TOLERANCE
    return cur.top < prev.top or cur.top > prev.bottom + Y_TOLERANCE or abs(cur.x0 - prev.x0) > X_TOLERANCE


def _word(chars: list[Char]) -> Word:
    """WordExtractor.merge_chars."""
    if len(chars) == 1:
        c = chars[0]
        return Word(LIGATURES.get(c.text, c.text), c.x0, c.top, c.x1, c.bottom, chars)
    text = "".join([LIGATURES.get(c.text, c.text) for c in chars])
    return Word(text, min([c.x0 for c in chars]), min([c.top for c in chars]),
                max([c.x1 for c in chars]), max([c.bottom for c in chars]), chars)


def _line_words(line: list[Char], upright: bool) -> list[Word]:
    """WordExtractor.iter_chars_to_words: blanks end a word, so do gaps."""
    if upright:
        return _upright_line_words(line)
    words: list[Word] = []
    cur: list[Char] = []
    for c in line:
        if c.text.isspace():
            if cur:
                words.append(_word(cur))
            cur = []
        elif c.text == "":  # `text in split_at_punctuation` ("" is in "")
            if cur:
                words.append(_word(cur))
            words.append(_word([c]))
            cur = []
        elif cur and _begins_new_word(cur[-1], c, upright):
            words.append(_word(cur))
            cur = [c]
        else:
            cur.append(c)
    if cur:
        words.append(_word(cur))
    return words


def _upright_line_words(line: list[Char]) -> list[Word]:
    """_line_words for upright chars, with _begins_new_word ("ltr") inlined."""
    words: list[Word] = []
    cur: list[Char] = []
    p = None  # the last char of `cur`
    for c in line:
        t = c.text
        if t.isspace():
            if cur:
                words.append(_word(cur))
            cur = []
        elif t == "":  # `text in split_at_punctuation` ("" is in "")
            if cur:
                words.append(_word(cur))
            words.append(_word([c]))
            cur = []
        elif cur and (c.x0 < p.x0 or c.x0 > p.x1 + X_TOLERANCE or abs(c.top - p.top) > Y_TOLERANCE):  # type: ignore[union-attr]
            words.append(_word(cur))
            cur = [c]
            p = c
        else:
            cur.append(c)
            p = c
    if cur:
        words.append(_word(cur))
    return words


def extract_words(chars: list[Char]) -> list[Word]:
    """WordExtractor.iter_extract_tuples with the defaults: runs of upright / rotated
    chars, each cut into lines (by top, or by x0 when rotated) sorted along the line."""
    words: list[Word] = []
    for upright, run in groupby(chars, key=lambda c: c.upright):
        run_chars = list(run)
        if upright:  # lines by top, read left to right
            lines = cluster_objects(run_chars, _top, Y_TOLERANCE)
            sort_key = _ltr
        else:  # rotated: lines by x0, read top to bottom
            lines = cluster_objects(run_chars, _x0, X_TOLERANCE)
            sort_key = _ttb
        for line in lines:
            words.extend(_line_words(sorted(line, key=sort_key), upright))
    return words


def _top(c: Char | Word) -> float:
    return c.top


def _x0(c: Char) -> float:
    return c.x0


def _ltr(c: Char) -> tuple[float, float]:
    return (c.x0, c.x0)


def _ttb(c: Char) -> tuple[float, float]:
    return (c.top, c.bottom)


def extract_text(chars: list[Char]) -> str:
    """utils.extract_text(chars) without layout: words, lines by top, joined."""
    if not chars:
        return ""
    tops = [c.top for c in chars]
    lo, hi = min(tops), max(tops)
    # both forms of the test, as clustering (v <= last + tol) and word splitting
    # (abs(a - b) > tol) compute it, so float rounding cannot tell them apart
    if hi <= lo + Y_TOLERANCE and hi - lo <= Y_TOLERANCE and all(c.upright for c in chars):
        return _one_line_text(chars)
    lines = cluster_objects(extract_words(chars), lambda w: w.top, Y_TOLERANCE)
    return "\n".join(" ".join(w.text for w in line) for line in lines)


def _one_line_text(chars: list[Char]) -> str:
    """extract_text of upright chars whose tops all lie within Y_TOLERANCE: one line
    cluster, so the words are the chars sorted by x0 cut at blanks, at "" and where
    a char starts more than X_TOLERANCE right of the previous one's end (the other
    tests of _begins_new_word cannot hold: x0 never decreases along the sorted line,
    and no two tops differ by more than the tolerance), and their tops form one
    line too: the words joined by spaces."""
    words: list[str] = []
    cur: list[str] = []
    prev_x1 = 0.0
    for c in sorted(chars, key=_x0):
        t = c.text
        if t.isspace():
            if cur:
                words.append("".join(cur))
            cur = []
        elif t == "":
            if cur:
                words.append("".join(cur))
            words.append("")
            cur = []
        else:
            if cur and c.x0 > prev_x1 + X_TOLERANCE:
                words.append("".join(cur))
                cur = []
            cur.append(LIGATURES.get(t, t))
            prev_x1 = c.x1
    if cur:
        words.append("".join(cur))
    return " ".join(words)


@dataclass(slots=True)
class TextLine:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    chars: list[Char]


_LINE = re.compile(r" *([^\n]+?) *(\n|$)")


def extract_text_lines(chars: list[Char]) -> list[TextLine]:
    """Page.extract_text_lines(strip=True, return_chars=True): the page's TextMap
    (chars presorted, layout off) cut into lines, one TextLine per regex match."""
    letters: list[str] = []
    owners: list[Char | None] = []
    words = extract_words(chars)
    for i, line in enumerate(cluster_objects(words, lambda w: w.top, Y_TOLERANCE, preserve_order=True)):
        if i > 0:
            letters.append("\n")
            owners.append(None)
        line_len = 0  # WordMap.to_textmap: a space before every word but the line's first letters
        for w in line:
            if line_len:
                letters.append(" ")
                owners.append(None)
                line_len += 1
            for c in w.chars:
                for letter in LIGATURES.get(c.text, c.text):
                    letters.append(letter)
                    owners.append(c)
                    line_len += 1
    text = "".join(letters)
    out = []
    for m in _LINE.finditer(text):
        if not m.group(1).strip():
            continue
        span = [c for c in owners[m.start(1):m.end(1)] if c is not None]
        out.append(TextLine(m.group(1), min(c.x0 for c in span), min(c.top for c in span),
                            max(c.x1 for c in span), max(c.bottom for c in span), span))
    return out


# --- edges -> tables ------------------------------------------------------------------


def _moved(e: Edge, value: float) -> Edge:
    """utils.move_object: shift across the edge (x for "v", y for "h")."""
    if e.orientation == "v":
        return Edge(e.orientation, e.x0 + value, e.top, e.x1 + value, e.bottom, e.width, e.height)
    return Edge(e.orientation, e.x0, e.top + value, e.x1, e.bottom + value, e.width, e.height)


def _snap(edges: list[Edge], attr: str) -> list[Edge]:
    """utils.snap_objects: edges whose position chains within the tolerance move to
    the cluster's mean position."""
    get = (lambda e: e.x0) if attr == "x0" else (lambda e: e.top)
    out: list[Edge] = []
    for cluster in cluster_objects(edges, get, SNAP_TOLERANCE):
        avg = sum(get(e) for e in cluster) / len(cluster)
        out.extend(_moved(e, avg - get(e)) for e in cluster)
    return out


def _join(edges: list[Edge], orientation: str) -> list[Edge]:
    """table.join_edge_group: overlapping or nearly touching edges on one line merge."""
    if orientation == "h":
        ordered = sorted(edges, key=lambda e: e.x0)
        joined = [ordered[0]]
        for e in ordered[1:]:
            last = joined[-1]
            if e.x0 <= last.x1 + JOIN_TOLERANCE:
                if e.x1 > last.x1:
                    joined[-1] = Edge("h", last.x0, last.top, e.x1, last.bottom, e.x1 - last.x0, last.height)
            else:
                joined.append(e)
        return joined
    ordered = sorted(edges, key=lambda e: e.top)
    joined = [ordered[0]]
    for e in ordered[1:]:
        last = joined[-1]
        if e.top <= last.bottom + JOIN_TOLERANCE:
            if e.bottom > last.bottom:
                joined[-1] = Edge("v", last.x0, last.top, last.x1, e.bottom, last.width,
                                  last.height + (e.bottom - last.bottom))
        else:
            joined.append(e)
    return joined


def merge_edges(page_edges: list[Edge]) -> list[Edge]:
    """TableFinder.get_edges for the "lines" strategies: prefilter, snap, join, filter."""
    v = [e for e in page_edges if e.orientation == "v" and e.height >= EDGE_MIN_LENGTH_PREFILTER]
    h = [e for e in page_edges if e.orientation == "h" and e.width >= EDGE_MIN_LENGTH_PREFILTER]
    snapped = _snap(v, "x0") + _snap(h, "top")

    def group(e: Edge) -> tuple[str, float]:
        return ("h", e.top) if e.orientation == "h" else ("v", e.x0)

    joined: list[Edge] = []
    for (orientation, _), grp in groupby(sorted(snapped, key=group), key=group):
        joined.extend(_join(list(grp), orientation))
    return [e for e in joined if (e.height if e.orientation == "v" else e.width) >= EDGE_MIN_LENGTH]


def _bbox(e: Edge) -> BBox:
    return (e.x0, e.top, e.x1, e.bottom)


Point = tuple[float, float]


def intersections(edges: list[Edge]) -> dict[Point, tuple[set[BBox], set[BBox]]]:
    """table.edges_to_intersections: (x, y) where a vertical and a horizontal edge
    meet within the tolerance -> (bboxes of its v edges, bboxes of its h edges).
    Horizontal edges are bisected by top instead of testing every pair."""
    tol = INTERSECTION_TOLERANCE
    vs = sorted((e for e in edges if e.orientation == "v"), key=lambda e: (e.x0, e.top))
    hs = sorted((e for e in edges if e.orientation == "h"), key=lambda e: (e.top, e.x0))
    h_tops = [h.top for h in hs]
    out: dict[Point, tuple[set[BBox], set[BBox]]] = {}
    for v in vs:
        # v.top <= h.top + tol  <=>  h.top >= v.top - tol (up to rounding: re-tested below)
        start = bisect_left(h_tops, v.top - tol - 1e-9)
        for h in hs[start:]:
            if h.top - tol > v.bottom + 1e-9:
                break
            if v.top <= h.top + tol and v.bottom >= h.top - tol and v.x0 >= h.x0 - tol and v.x0 <= h.x1 + tol:
                sets = out.get((v.x0, h.top))
                if sets is None:
                    sets = out[(v.x0, h.top)] = (set(), set())
                sets[0].add(_bbox(v))
                sets[1].add(_bbox(h))
    return out


def cells(points: dict[Point, tuple[set[BBox], set[BBox]]]) -> list[BBox]:
    """table.intersections_to_cells: for each intersection, the smallest rectangle
    down and to the right whose four corners are intersections joined by edges."""
    by_x: dict[float, list[float]] = {}
    by_y: dict[float, list[float]] = {}
    for x, y in sorted(points):
        by_x.setdefault(x, []).append(y)
        by_y.setdefault(y, []).append(x)

    def v_joined(p: Point, q: Point) -> bool:
        return not points[p][0].isdisjoint(points[q][0])

    def h_joined(p: Point, q: Point) -> bool:
        return not points[p][1].isdisjoint(points[q][1])

    out: list[BBox] = []
    for pt in sorted(points):
        x, y = pt
        ys, xs = by_x[x], by_y[y]
        below = ys[bisect_left(ys, y) + 1:]
        right = xs[bisect_left(xs, x) + 1:]
        cell = _smallest_cell(pt, below, right, points, v_joined, h_joined)
        if cell:
            out.append(cell)
    return out


def _smallest_cell(pt: Point, below: list[float], right: list[float], points: dict,
                   v_joined: Callable[[Point, Point], bool], h_joined: Callable[[Point, Point], bool]) -> BBox | None:
    x, y = pt
    right_pts = [(rx, y) for rx in right if h_joined(pt, (rx, y))]
    if not right_pts:
        return None
    for by in below:
        below_pt = (x, by)
        if not v_joined(pt, below_pt):
            continue
        for right_pt in right_pts:
            corner = (right_pt[0], by)
            if corner in points and v_joined(corner, right_pt) and h_joined(corner, below_pt):
                return (x, y, corner[0], by)
    return None


@dataclass
class Table:
    cells: list[BBox]

    @property
    def bbox(self) -> BBox:
        c = self.cells
        return (min(b[0] for b in c), min(b[1] for b in c), max(b[2] for b in c), max(b[3] for b in c))

    def rows(self) -> list[list[BBox | None]]:
        """Table.rows: one row per distinct cell top, one slot per distinct x0."""
        xs = sorted({c[0] for c in self.cells})
        out = []
        for _, row in groupby(sorted(self.cells, key=lambda c: (c[1], c[0])), key=lambda c: c[1]):
            at = {c[0]: c for c in row}
            out.append([at.get(x) for x in xs])
        return out


def tables_from_cells(cell_list: list[BBox]) -> list[Table]:
    """table.cells_to_tables: cells sharing a corner (transitively) form one table;
    tables top to bottom, then left to right; single-cell tables dropped."""
    by_corner: dict[Point, list[int]] = {}
    corners = [((c[0], c[1]), (c[0], c[3]), (c[2], c[1]), (c[2], c[3])) for c in cell_list]
    for i, cs in enumerate(corners):
        for p in cs:
            by_corner.setdefault(p, []).append(i)
    seen = [False] * len(cell_list)
    groups = []
    for i in range(len(cell_list)):
        if seen[i]:
            continue
        seen[i] = True
        stack, group = [i], []
        while stack:
            j = stack.pop()
            group.append(cell_list[j])
            for p in corners[j]:
                for k in by_corner[p]:
                    if not seen[k]:
                        seen[k] = True
                        stack.append(k)
        groups.append(group)
    groups.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [Table(g) for g in groups if len(g) > 1]


def find_tables(page_edges: list[Edge]) -> list[Table]:
    """Page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})."""
    edges = merge_edges(page_edges)
    if not edges:
        return []
    return tables_from_cells(cells(intersections(edges)))


# --- table text -----------------------------------------------------------------------


class CharIndex:
    """Chars sorted by vertical centre, to pick a row's chars by bisection."""

    def __init__(self, chars: list[Char]) -> None:
        mids = [((c.top + c.bottom) / 2, (c.x0 + c.x1) / 2, i) for i, c in enumerate(chars)]
        mids.sort()
        self.chars = chars
        self.mids = mids
        self.v = [m[0] for m in mids]

    def in_rows(self, top: float, bottom: float) -> list[tuple[float, float, int]]:
        """(v_mid, h_mid, index) of the chars whose centre is in [top, bottom)."""
        lo = bisect_left(self.v, top)
        hi = bisect_left(self.v, bottom, lo)
        return self.mids[lo:hi]


def extract_table(table: Table, chars: list[Char], index: CharIndex | None = None) -> list[list[str | None]]:
    """Table.extract(): each cell's text (None for a slot no cell starts at). A char
    belongs to a cell when its centre is in [x0, x1) x [top, bottom); the chars of a
    cell keep page order."""
    index = index or CharIndex(chars)
    out = []
    for row in table.rows():
        present = [c for c in row if c is not None]
        r_x0, r_x1 = min(c[0] for c in present), max(c[2] for c in present)
        band = index.in_rows(min(c[1] for c in present), max(c[3] for c in present))
        # the row's chars by horizontal centre, to bisect per cell
        by_h = sorted((m[1], m[0], m[2]) for m in band if r_x0 <= m[1] < r_x1)
        h = [m[0] for m in by_h]
        texts: list[str | None] = []
        for cell in row:
            if cell is None:
                texts.append(None)
                continue
            x0, top, x1, bottom = cell
            hits = sorted(m[2] for m in by_h[bisect_left(h, x0):bisect_left(h, x1)] if top <= m[1] < bottom)
            texts.append(extract_text([chars[i] for i in hits]) if hits else "")
        out.append(texts)
    return out
