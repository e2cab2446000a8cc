"""pdfium's page objects -> pdfplumber's ruling edges, the image count, and the text
objects (with the matrix of the form XObjects around them) for the character pass.

Every painted path is classified as pdfminer's ``paint_path`` does (one segment: a
line; a closed axis-aligned quadrilateral: a rect; else a curve) and cut into edges
as pdfplumber's ``Container.edges`` does, in pdfplumber's page coordinates.
"""

from __future__ import annotations

from ctypes import byref, c_float
from itertools import pairwise

import pypdfium2_raw as pdfium_c

from .pdf_objects import Edge, PageObjects
from .pdfium_api import DEC_CACHE, IDENTITY, C, F, Frame, Handle, Matrix, dec, mul
from .pdfium_chars import has_actual_text

# Pages pdfium's text page reads differently from pdfminer, to be read with pdfminer:
# text in a marked-content span with /ActualText comes out as that text, every
# letter at the span's origin (pdfminer reads the glyphs) ...
FALLBACK_ACTUAL_TEXT = "ActualText span"

_TEXT, _PATH, _IMAGE, _FORM = (pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH,
                               pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM)
_SEGMENT_OPS = {pdfium_c.FPDF_SEGMENT_MOVETO: "m", pdfium_c.FPDF_SEGMENT_LINETO: "l"}  # else bezier "c"


class ObjectWalker:
    """Walks the page objects (into form XObjects): paths become edges, images are
    counted, text objects are noted (with their form matrix) for the character pass."""

    def __init__(self, frame: Frame, out: PageObjects) -> None:
        self.frame = frame
        self.out = out
        # text object address -> (a, b, c, d of its matrix, font size, font handle, form matrix)
        self.text_objects: dict[int, tuple] = {}
        self._size = c_float()
        self._m = pdfium_c.FS_MATRIX()
        self._ctm: dict[tuple, Matrix] = {}  # (object matrix, form matrix) -> full CTM
        self._by_kind = {"line": out.line_edges, "rect": out.rect_edges, "curve": out.curve_edges}
        self._x, self._y = c_float(), c_float()
        self._px, self._py = byref(self._x), byref(self._y)

    def walk(self, page: Handle) -> None:
        page = page if isinstance(page, Handle) else Handle(page)
        n = C.CountObjects(page)
        get = F.GetObject
        self._walk([get(page, i) for i in range(n)], IDENTITY)

    def _walk(self, objs: list[int], form: Matrix) -> None:
        texts = self.text_objects
        get_type, get_matrix, get_size, get_font = C.GetType, C.GetMatrix, C.TextGetFontSize, C.TextGetFont
        count_marks = C.CountMarks
        m, size = self._m, self._size
        last: tuple | None = None
        for obj in objs:
            kind = get_type(obj)
            if kind == _TEXT:
                # what the char pass needs of it, read now while the handle is at hand
                get_matrix(obj, m)
                get_size(obj, size)
                key = (m.a, m.b, m.c, m.d, size.value, get_font(obj), form)
                if key == last:  # consecutive objects alike share one key object: the
                    key = last  # char pass then knows them by identity (CharReader._chars)
                last = texts[obj] = key
                if count_marks(obj) and has_actual_text(obj):
                    self.out.fallback = FALLBACK_ACTUAL_TEXT
            elif kind == _PATH:
                self._path(obj, form)
            elif kind == _IMAGE:
                self.out.images += 1
            elif kind == _FORM:
                inner = mul(self._matrix(obj), form)
                n = C.FormCountObjects(obj)
                self._walk([C.FormGetObject(obj, i) for i in range(n)], inner)

    def _matrix(self, obj: int) -> Matrix:
        m = self._m
        C.GetMatrix(obj, m)
        return (dec(m.a), dec(m.b), dec(m.c), dec(m.d), dec(m.e), dec(m.f))

    def _path(self, obj: int, form: Matrix) -> None:
        # pdfminer maps each point by the CTM (here: object matrix, forms, page frame)
        m = self._m
        C.GetMatrix(obj, m)
        key = (m.a, m.b, m.c, m.d, m.e, m.f, form)
        ctm = self._ctm.get(key)
        if ctm is None:
            ctm = self._ctm[key] = mul(mul((dec(m.a), dec(m.b), dec(m.c), dec(m.d), dec(m.e), dec(m.f)), form),
                                       self.frame.ctm)
        a, b, c, d, e, f = ctm
        ops: list[str] = []
        pts: list[tuple[float, float]] = []
        x, y = self._x, self._y
        px, py = self._px, self._py
        get_seg, get_point, get_type, get_close = F.PathGetSegment, F.SegmentGetPoint, F.SegmentGetType, F.SegmentGetClose
        dec_cache, op_of = DEC_CACHE, _SEGMENT_OPS
        path = Handle(obj)  # for the bare prototypes (pdfium_api.F)
        for i in range(F.PathCountSegments(path)):
            seg = get_seg(path, i)
            get_point(seg, px, py)
            xv, yv = x.value, y.value
            sx = dec_cache.get(xv)
            if sx is None:
                sx = dec(xv)
            sy = dec_cache.get(yv)
            if sy is None:
                sy = dec(yv)
            q = (a * sx + c * sy + e, b * sx + d * sy + f)
            ops.append(op_of.get(get_type(seg), "c"))
            pts.append(q)
            if get_close(seg):
                ops.append("h")
                pts.append(q)
        shape = "".join(ops)
        if shape.startswith("m") and shape.count("m") == 1:  # one subpath (the common case)
            subpaths = [(shape, pts)] if len(shape) > 1 else []
        else:
            subpaths = _subpaths(shape, pts)
        for sub_shape, sub_pts in subpaths:
            kind, edges = _path_edges(sub_shape, sub_pts, self.frame)
            self._by_kind[kind].extend(edges)


def _subpaths(shape: str, pts: list[tuple[float, float]]) -> list[tuple[str, list[tuple[float, float]]]]:
    """pdfminer paints each "m..." subpath of a path as its own object."""
    out: list[tuple[list[str], list[tuple[float, float]]]] = []
    for op, p in zip(shape, pts, strict=True):
        if op == "m" or not out:
            out.append(([], []))
        out[-1][0].append(op)
        out[-1][1].append(p)
    return [("".join(s), q) for s, q in out if s[0] == "m" and len(s) > 1]


_RECT_SHAPES = {"mlllh", "mllll"}


def _path_edges(shape: str, pts: list[tuple[float, float]], frame: Frame) -> tuple[str, list[Edge]]:
    """One subpath (its operators "m", "l", "c", "h" and their points) -> ("line" |
    "rect" | "curve", pdfplumber edges), classified as pdfminer's ``paint_path`` does.

    pdfium reports a closing "h" as a flag on the last point and draws "re" as
    m l l l l+close; pdfminer's "drop a redundant l before h" makes both the same."""
    if "h" in shape:  # "h" returns to the subpath's start point
        pts = [p if op != "h" else pts[0] for op, p in zip(shape, pts, strict=True)]
    else:
        pts = list(pts)
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    if "c" in shape:
        return "curve", _curve_edges(_bezier_ends(shape, pts), frame)
    if shape in ("mlh", "ml"):
        return "line", [_line_edge(pts[0], pts[1], frame)]
    if shape in _RECT_SHAPES:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        closed = pts[0] == pts[4]
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if closed and square:
            return "rect", _rect_edges(pts[0], pts[2], frame)
    return "curve", _curve_edges(pts, frame)


def _bezier_ends(shape: str, pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """pdfminer lists one point (the end) per bezier operator; pdfium has three
    segments for it (two control points, then the end)."""
    out = []
    run = 0
    for op, p in zip(shape, pts, strict=True):
        if op == "c":
            run += 1
            if run % 3:
                continue
        else:
            run = 0
        out.append(p)
    return out


def _line_edge(p0: tuple[float, float], p1: tuple[float, float], frame: Frame) -> Edge:
    """LTLine -> pdfplumber ``line_to_edge`` ("h" when top == bottom, else "v")."""
    x0, x1 = sorted((p0[0], p1[0]))
    y0, y1 = sorted((p0[1], p1[1]))
    top, bottom = frame.height - y1 + frame.mb_top, frame.height - y0 + frame.mb_top
    orientation = "h" if top == bottom else "v"
    return Edge(orientation, x0 + frame.mb_x0, top, x1 + frame.mb_x0, bottom, x1 - x0, y1 - y0)


def _rect_edges(p0: tuple[float, float], p2: tuple[float, float], frame: Frame) -> list[Edge]:
    """LTRect -> pdfplumber ``rect_to_edges`` (top, bottom, left, right)."""
    x0, x1 = sorted((p0[0], p2[0]))
    y0, y1 = sorted((p0[1], p2[1]))
    w, h = x1 - x0, y1 - y0
    top = frame.height - y1 + frame.mb_top
    bottom = frame.height - y0 + frame.mb_top
    x0, x1 = x0 + frame.mb_x0, x1 + frame.mb_x0
    return [
        Edge("h", x0, top, x1, top, w, 0),
        # pdfplumber moves the bottom edge's top only; its "bottom" stays the rect's
        Edge("h", x0, top + h, x1, bottom, w, 0),
        Edge("v", x0, top, x0, bottom, 0, h),
        Edge("v", x1, top, x1, bottom, 0, h),
    ]


def _curve_edges(pts: list[tuple[float, float]], frame: Frame) -> list[Edge]:
    """LTCurve -> pdfplumber ``curve_to_edges``: one edge per pair of points."""
    coords = [(x + frame.mb_x0, frame.mb_top + frame.height - y) for x, y in pts]
    out = []
    for (ax, ay), (bx, by) in pairwise(coords):
        orientation = "v" if ax == bx else ("h" if ay == by else None)
        out.append(Edge(orientation, min(ax, bx), min(ay, by), max(ax, bx), max(ay, by), abs(ax - bx), abs(ay - by)))
    return out
