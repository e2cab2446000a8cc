"""pdfplumber 0.11's table finder ("lines" strategies) and Table.extract, rewritten on
plain objects (no pdfminer), with pdfplumber's tolerances and float arithmetic; only
the data structures and the search strategies (sorting and bisecting instead of
all-pairs loops) differ (see pdf_words for the text side).

* ``find_tables``               pdfplumber.table.TableFinder, "lines" strategies
* ``extract_table``             pdfplumber.table.Table.extract
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter

from .pdf_objects import Char, Edge
from .pdf_words import cluster_objects, extract_text

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom

# pdfplumber defaults (table.py)
SNAP_TOLERANCE = 3
JOIN_TOLERANCE = 3
EDGE_MIN_LENGTH = 3
EDGE_MIN_LENGTH_PREFILTER = 1
INTERSECTION_TOLERANCE = 3


# --- edges -> tables ------------------------------------------------------------------


def _moved(e: Edge, value: float) -> Edge:
    """utils.move_object: shift across the edge (x for "v", y for "h")."""
    if e.orientation == "v":
        return Edge(e.orientation, e.x0 + value, e.top, e.x1 + value, e.bottom, e.width, e.height)
    return Edge(e.orientation, e.x0, e.top + value, e.x1, e.bottom + value, e.width, e.height)


def _snap(edges: list[Edge], attr: str) -> list[Edge]:
    """utils.snap_objects: edges whose position chains within the tolerance move to
    the cluster's mean position."""
    get = attrgetter(attr)
    out: list[Edge] = []
    for cluster in cluster_objects(edges, get, SNAP_TOLERANCE):
        avg = sum(get(e) for e in cluster) / len(cluster)
        out.extend(_moved(e, avg - get(e)) for e in cluster)
    return out


def _join(edges: list[Edge], orientation: str) -> list[Edge]:
    """table.join_edge_group: overlapping or nearly touching edges on one line merge."""
    if orientation == "h":
        ordered = sorted(edges, key=attrgetter("x0"))
        joined = [ordered[0]]
        for e in ordered[1:]:
            last = joined[-1]
            if e.x0 <= last.x1 + JOIN_TOLERANCE:
                if e.x1 > last.x1:
                    joined[-1] = Edge("h", last.x0, last.top, e.x1, last.bottom, e.x1 - last.x0, last.height)
            else:
                joined.append(e)
        return joined
    ordered = sorted(edges, key=attrgetter("top"))
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
    vs = sorted((e for e in edges if e.orientation == "v"), key=attrgetter("x0", "top"))
    hs = sorted((e for e in edges if e.orientation == "h"), key=attrgetter("top", "x0"))
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

    out: list[BBox] = []
    for pt in sorted(points):
        x, y = pt
        ys, xs = by_x[x], by_y[y]
        below = ys[bisect_left(ys, y) + 1:]
        right = xs[bisect_left(xs, x) + 1:]
        cell = _smallest_cell(pt, below, right, points)
        if cell:
            out.append(cell)
    return out


def _smallest_cell(pt: Point, below: list[float], right: list[float],
                   points: dict[Point, tuple[set[BBox], set[BBox]]]) -> BBox | None:
    """find_smallest_cell: the first (below, right) pair, below outermost, whose edges
    join pt to both and whose corner is joined to both; whether pt joins a right point
    is asked once (lazily: the first pair usually closes the cell)."""
    if not right:
        return None
    x, y = pt
    pv, ph = points[pt]
    joined_right: dict[float, bool] = {}
    for by in below:
        below_pt = (x, by)
        if pv.isdisjoint(points[below_pt][0]):
            continue
        bh = points[below_pt][1]
        for rx in right:
            ok = joined_right.get(rx)
            if ok is None:
                ok = joined_right[rx] = not ph.isdisjoint(points[(rx, y)][1])
            if not ok:
                continue
            corner = points.get((rx, by))
            if corner is not None and not corner[0].isdisjoint(points[(rx, y)][0]) and not corner[1].isdisjoint(bh):
                return (x, y, rx, by)
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
