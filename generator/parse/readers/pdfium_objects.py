"""One PDF page through pdfium -> the characters, ruling edges and image count that
pdfplumber (pdfminer.six) would report, in pdfplumber's coordinates.

pdfplumber's table finder and text grouping only look at a few attributes of each
object, so this module rebuilds exactly those from pdfium, without pdfminer's
pure-Python content-stream interpreter (90% of the old reader's time):

* a character: text, box (x0, x1, top, bottom), font size, font name, upright.
  pdfminer's box is [0, advance] x [descent, descent + font size] in text space,
  mapped by the character's matrix; pdfium gives each character's origin and
  matrix, the font's descent and (see ``_CharReader._advance``) its advance.
* edges: every painted path is classified as pdfminer's ``paint_path`` does (one
  segment: a line; a closed axis-aligned quadrilateral: a rect; else a curve) and
  cut into edges as pdfplumber's ``Container.edges`` does.

Coordinates are pdfplumber's: x, and top measured down from the top of the
(rotated) MediaBox.

Two known differences from pdfminer, both where pdfium follows the PDF spec:
character spacing (Tc) after the last glyph of a string is applied (pdfminer
drops it, shifting the rest of that line by Tc), and an ActualText span is read
as its replacement text.
"""

from __future__ import annotations

import ctypes
from bisect import bisect_left, bisect_right
from ctypes import POINTER, c_double, c_float, c_int, c_ulong, c_ushort, c_void_p
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import pypdfium2 as pdfium
import pypdfium2_raw as pdfium_c
from pypdfium2_raw.bindings import _libs

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

# pdfium marks the spaces and line breaks it infers itself as "generated"; pdfminer
# has no such characters.
_GENERATED_CANDIDATES = frozenset(" \r\n")
# pdfium turns a line-final hyphen into U+0002 / U+FFFE (and flags it); pdfminer keeps "-".
# NOTE: Guangzhou 绩效目标表 p7 ("-" ending a table cell line).
_PDFIUM_HYPHEN = ("\x02", "\ufffe")
# A text object narrower than this is dropped by pdfium's text page (CPDF_TextPage
# skips it): a run of spaces. pdfminer still reports those space characters, and
# they split words, so they come back as one blank character. Wider dropped objects
# are spaces too unless text already read lies inside them (see _phantom_spaces).
# NOTE: Shanghai Putuo 2025 p2 ("目  录": the two spaces are a text object of their
# own); 西南大学 2023 p7 (12pt-wide space objects dropped as repeats).
ZERO_WIDTH = 1e-3
# The glyph sticks out of its advance box when pdfium's tight box reaches this close
# to the loose box's far edge: then the loose box is not the advance.
# NOTE: Shanghai 审计局 p3 ("积" overhangs its 1em advance by 0.16pt).
OVERHANG_SLACK = 1e-3


# Pages pdfium's text page reads differently from pdfminer, to be read with pdfminer:
# text in a marked-content span with /ActualText comes out as that text, every
# letter at the span's origin (pdfminer reads the glyphs) ...
FALLBACK_ACTUAL_TEXT = "ActualText span"
# ... and vertical writing (CJK -V fonts), whose boxes pdfminer builds from the
# vertical metrics, which pdfium does not expose.
FALLBACK_VERTICAL = "vertical writing"


# pdfminer takes the metrics of a simple font named exactly like one of these from
# its built-in Adobe AFM data (FontMetricsDB), whatever the file says; pdfium uses
# its own. The AFM descents (1/1000 em; Symbol and ZapfDingbats state none):
# NOTE: Guangzhou 信访局 page numbers in non-embedded Helvetica: pdfium's descent
# (-224) put them 0.2pt lower than pdfminer's (-207).
_AFM_DESCENT = {
    **dict.fromkeys(("Courier", "Courier-Bold", "Courier-BoldOblique", "Courier-Oblique", "CourierNew",
                     "CourierNew,Italic", "CourierNew,Bold", "CourierNew,BoldItalic"), -194.0),
    **dict.fromkeys(("Helvetica", "Helvetica-Bold", "Helvetica-BoldOblique", "Helvetica-Oblique", "Arial",
                     "Arial,Italic", "Arial,Bold", "Arial,BoldItalic"), -207.0),
    **dict.fromkeys(("Times-Bold", "Times-BoldItalic", "Times-Italic", "Times-Roman", "TimesNewRoman",
                     "TimesNewRoman,Italic", "TimesNewRoman,Bold", "TimesNewRoman,BoldItalic"), -217.0),
    "Symbol": 0.0,
    "ZapfDingbats": 0.0,
}


def _proto(name: str, restype: object, *argtypes: object) -> ctypes._CFuncPtr:  # type: ignore[name-defined]
    """Our own prototype of a pdfium function, with handles as plain ints: faster
    than pypdfium2's typed pointers, and ints are hashable (text-object keys)."""
    fn = _libs["pdfium"][name]
    fn.restype = restype
    fn.argtypes = argtypes
    return fn


class _C:
    """The pdfium C functions used here."""

    CountChars = _proto("FPDFText_CountChars", c_int, c_void_p)
    GetText = _proto("FPDFText_GetText", c_int, c_void_p, c_int, c_int, POINTER(c_ushort))
    GetUnicode = _proto("FPDFText_GetUnicode", ctypes.c_uint, c_void_p, c_int)
    IsGenerated = _proto("FPDFText_IsGenerated", c_int, c_void_p, c_int)
    IsHyphen = _proto("FPDFText_IsHyphen", c_int, c_void_p, c_int)
    GetTextObject = _proto("FPDFText_GetTextObject", c_void_p, c_void_p, c_int)
    GetCharOrigin = _proto("FPDFText_GetCharOrigin", c_int, c_void_p, c_int, POINTER(c_double), POINTER(c_double))
    GetCharBox = _proto("FPDFText_GetCharBox", c_int, c_void_p, c_int,
                        POINTER(c_double), POINTER(c_double), POINTER(c_double), POINTER(c_double))
    GetLooseCharBox = _proto("FPDFText_GetLooseCharBox", c_int, c_void_p, c_int, POINTER(pdfium_c.FS_RECTF))
    CountObjects = _proto("FPDFPage_CountObjects", c_int, c_void_p)
    GetObject = _proto("FPDFPage_GetObject", c_void_p, c_void_p, c_int)
    FormCountObjects = _proto("FPDFFormObj_CountObjects", c_int, c_void_p)
    FormGetObject = _proto("FPDFFormObj_GetObject", c_void_p, c_void_p, c_ulong)
    GetType = _proto("FPDFPageObj_GetType", c_int, c_void_p)
    GetMatrix = _proto("FPDFPageObj_GetMatrix", c_int, c_void_p, POINTER(pdfium_c.FS_MATRIX))
    GetBounds = _proto("FPDFPageObj_GetBounds", c_int, c_void_p,
                       POINTER(c_float), POINTER(c_float), POINTER(c_float), POINTER(c_float))
    TextGetFontSize = _proto("FPDFTextObj_GetFontSize", c_int, c_void_p, POINTER(c_float))
    TextGetFont = _proto("FPDFTextObj_GetFont", c_void_p, c_void_p)
    FontGetDescent = _proto("FPDFFont_GetDescent", c_int, c_void_p, c_float, POINTER(c_float))
    FontGetBaseFontName = _proto("FPDFFont_GetBaseFontName", ctypes.c_size_t, c_void_p, ctypes.c_char_p, ctypes.c_size_t)
    FontGetGlyphWidth = _proto("FPDFFont_GetGlyphWidth", c_int, c_void_p, ctypes.c_uint32, c_float, POINTER(c_float))
    CountMarks = _proto("FPDFPageObj_CountMarks", c_int, c_void_p)
    GetMark = _proto("FPDFPageObj_GetMark", c_void_p, c_void_p, c_ulong)
    MarkGetParamStringValue = _proto("FPDFPageObjMark_GetParamStringValue", c_int, c_void_p, ctypes.c_char_p,
                                     c_void_p, c_ulong, POINTER(c_ulong))
    PathCountSegments = _proto("FPDFPath_CountSegments", c_int, c_void_p)
    PathGetSegment = _proto("FPDFPath_GetPathSegment", c_void_p, c_void_p, c_int)
    SegmentGetPoint = _proto("FPDFPathSegment_GetPoint", c_int, c_void_p, POINTER(c_float), POINTER(c_float))
    SegmentGetType = _proto("FPDFPathSegment_GetType", c_int, c_void_p)
    SegmentGetClose = _proto("FPDFPathSegment_GetClose", c_int, c_void_p)


def _handle(wrapper: pdfium.PdfPage | pdfium.PdfTextPage) -> int:
    """The raw pdfium handle of a pypdfium2 object, as an int."""
    handle = ctypes.cast(wrapper.raw, c_void_p).value
    if handle is None:
        raise ValueError(f"{type(wrapper).__name__} is closed")
    return handle


_DEC_CACHE: dict[float, float] = {}
_DEC_CACHE_MAX = 200_000


def _dec(v: float) -> float:
    """pdfium keeps coordinates as 32-bit floats (303.52 -> 303.5199890...); pdfminer
    keeps the decimal from the file. Seven significant digits (all a float32 holds)
    give that decimal back, so values equal in pdfminer compare equal here too.
    (Cached: ruling lines and text baselines repeat the same few values.)"""
    d = _DEC_CACHE.get(v)
    if d is None:
        if len(_DEC_CACHE) > _DEC_CACHE_MAX:
            _DEC_CACHE.clear()
        d = _DEC_CACHE[v] = float(f"{v:.7g}")
    return d


def _font_units(w: float) -> float:
    """A width per unit of font size measured through float32 boxes -> the font's
    width entry (1/1000 em, to a tenth) times 0.001, as pdfminer's char_width gives it.
    NOTE: Foshan 2019 p26: 15.96pt "于" measured as 15.95999 ends 3.00001pt before
    the next char instead of 3.0, and pdfplumber's gap test (> 3) split the word."""
    return round(w * 1000.0, 1) * 0.001


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """The matrix applying m, then n."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


@dataclass(slots=True)
class Char:
    """A character as pdfplumber reports it (page.chars), only the fields used."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    fontname: str  # a dedupe key only: pdfium may drop the subset prefix ("ABCDEF+")
    upright: bool


@dataclass(slots=True)
class Edge:
    """A ruling edge as pdfplumber builds it (page.edges): an "h" edge has top ==
    bottom, a "v" edge x0 == x1; width/height are kept as pdfplumber computes them
    because its filters compare them, not x1 - x0."""

    orientation: str | None  # "h", "v", or None for a slanted curve segment
    x0: float
    top: float
    x1: float
    bottom: float
    width: float
    height: float


@dataclass
class PageObjects:
    number: int
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)
    # pdfplumber's page.edges lists line edges, then rect edges, then curve edges
    line_edges: list[Edge] = field(default_factory=list)
    rect_edges: list[Edge] = field(default_factory=list)
    curve_edges: list[Edge] = field(default_factory=list)
    images: int = 0
    doctop: float = 0.0  # pdfplumber's initial_doctop: heights of the pages before
    # why pdfium's characters cannot stand for pdfminer's on this page (see FALLBACK_*)
    fallback: str | None = None

    @property
    def edges(self) -> list[Edge]:
        return self.line_edges + self.rect_edges + self.curve_edges


class Frame:
    """PDF user space -> pdfplumber page coordinates, as pdfminer's ``process_page``
    (rotation and MediaBox offset in the initial CTM) and pdfplumber's ``Page``
    (top = height - y, x and top shifted back by the MediaBox origin) do it."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        x0, y0, x1, y1 = (_dec(v) for v in page.get_mediabox())
        x0, x1 = sorted((x0, x1))
        y0, y1 = sorted((y0, y1))
        rot = page.get_rotation() % 360
        ctm = {
            90: (0.0, -1.0, 1.0, 0.0, -y0, x1),
            180: (-1.0, 0.0, 0.0, -1.0, x1, y1),
            270: (0.0, 1.0, -1.0, 0.0, y1, -x0),
        }.get(rot, (1.0, 0.0, 0.0, 1.0, -x0, -y0))
        nx0, ny0, nx1, ny1 = (y0, x0, y1, x1) if rot in (90, 270) else (x0, y0, x1, y1)
        self.height = ny1 - ny0
        self.width = nx1 - nx0
        self.ctm: Matrix = ctm
        self.mb_x0 = nx0
        self.mb_top = self.height - ny1  # pdfplumber's mediabox[1] after inverting
        # user space is pdfminer's space: only y flips
        self.simple = ctm == IDENTITY and nx0 == 0 and self.mb_top == 0

    def point(self, x: float, y: float) -> tuple[float, float]:
        """A user-space point -> pdfminer's (x, y), before pdfplumber flips y."""
        return _apply(self.ctm, x, y)

    def box(self, pts: list[tuple[float, float]]) -> tuple[float, float, float, float]:
        """pdfminer-space points -> their pdfplumber (x0, x1, top, bottom)."""
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        return (min(xs) + self.mb_x0, max(xs) + self.mb_x0,
                self.height - max(ys) + self.mb_top, self.height - min(ys) + self.mb_top)


class DocumentReader:
    """Reads the pages of one open document; font names, descents and advance
    widths are cached across its pages (pdfium keeps one font object per font
    resource while the document is open)."""

    def __init__(self, pdf: pdfium.PdfDocument) -> None:
        self.pdf = pdf
        self.fonts = _Fonts()

    def page(self, index: int) -> PageObjects:
        """Page `index` (0-based) -> its chars, edges and image count."""
        page = self.pdf[index]
        self.fonts.new_page()
        try:
            frame = Frame(page)
            out = PageObjects(index + 1, frame.width, frame.height)
            walker = _ObjectWalker(frame, out)
            walker.walk(_handle(page))
            textpage = page.get_textpage()
            try:
                reader = _CharReader(_handle(textpage), frame, walker.text_objects, self.fonts)
                out.chars = reader.read()
            finally:
                textpage.close()
            if reader.vertical:
                out.fallback = out.fallback or FALLBACK_VERTICAL
            return out
        finally:
            page.close()


def load_page(pdf: pdfium.PdfDocument, index: int) -> PageObjects:
    """One page on its own (no caches shared with other pages)."""
    return DocumentReader(pdf).page(index)


# --- characters --------------------------------------------------------------------


@dataclass(slots=True)
class _TextObj:
    """What every character of one pdfium text object shares."""

    matrix: Matrix  # text space -> user space, without the translation (a, b, c, d, 0, 0)
    font_size: float
    fontname: str
    upright: bool
    descent: float  # the font's descent per unit of font size (negative)
    font: int | None  # pdfium font handle
    widths: dict[str, float]  # advance per unit font size, per character, of this font
    # upright horizontal text on an unrotated page (the common case): a char's box is
    # x0 = ox, x1 = a * (w * fs) + ox, y0 = dy0 + oy, y1 = dy1 + oy (pdfminer's arithmetic)
    plain: bool = False
    a: float = 0.0
    dy0: float = 0.0
    dy1: float = 0.0


class _Fonts:
    """Base font name and descent per pdfium font handle (for one page: pdfium may
    free a font between pages and reuse its address), and the advance widths found
    per (font handle, font name, character), for the whole document."""

    def __init__(self) -> None:
        self._cache: dict[int | None, tuple[str, float]] = {}
        self._widths: dict[tuple[int | None, str], dict[str, float]] = {}

    def new_page(self) -> None:
        self._cache = {None: ("", 0.0)}

    def widths(self, font: int | None, name: str) -> dict[str, float]:
        """The advance widths found so far for a font (keyed by name too: a handle
        freed and reused by another font starts afresh)."""
        return self._widths.setdefault((font, name), {})

    def get(self, font: int | None) -> tuple[str, float]:
        hit = self._cache.get(font)
        if hit is None:
            name = _base_font_name(font)
            desc = c_float()
            _C.FontGetDescent(font, 1000.0, desc)  # per 1000 em, as the font states it
            units = _AFM_DESCENT.get(name, _dec(desc.value))
            # pdfminer: get_descent() = Descent * 0.001, negated when a font states it positive
            hit = self._cache[font] = (name, -abs(units) * 0.001)
        return hit


def _base_font_name(font: int | None) -> str:
    buf = ctypes.create_string_buffer(128)
    n = _C.FontGetBaseFontName(font, buf, len(buf))
    if n > len(buf):
        buf = ctypes.create_string_buffer(n)
        n = _C.FontGetBaseFontName(font, buf, len(buf))
    return buf.raw[: max(n - 1, 0)].decode("latin-1") if n else ""


def _page_text(textpage: int, n: int) -> list[str]:
    """Unicode of each character index (FPDFText_GetText is UTF-16: fall back to one
    call per character when a surrogate pair shifts the indexes)."""
    buf = (c_ushort * (n + 1))()
    got = _C.GetText(textpage, 0, n, buf)
    text = bytes(memoryview(buf).cast("B")[: 2 * max(got - 1, 0)]).decode("utf-16-le", "surrogatepass")
    if len(text) == n:
        return list(text)
    return [chr(_C.GetUnicode(textpage, i)) for i in range(n)]


class _CharReader:
    """pdfium's text page -> pdfminer's characters, in content-stream order."""

    def __init__(self, textpage: int, frame: Frame, text_objects: dict[int, Matrix], fonts: _Fonts) -> None:
        self.tp = textpage
        self.frame = frame
        self.forms = text_objects  # text object -> matrix of the form XObjects around it
        self.fonts = fonts
        self.infos: dict[int, _TextObj] = {}
        self._shared: dict[tuple, _TextObj] = {}
        self._m = pdfium_c.FS_MATRIX()
        self._rect = pdfium_c.FS_RECTF()
        self.vertical = False

    def read(self) -> list[Char]:
        n = _C.CountChars(self.tp)
        out = self._chars(n) if n > 0 else []
        return out + self._phantom_spaces(out)

    def _chars(self, n: int) -> list[Char]:
        tp, height = self.tp, self.frame.height
        get_obj, get_origin, is_generated = _C.GetTextObject, _C.GetCharOrigin, _C.IsGenerated
        infos, info_of, dec_cache = self.infos, self._info, _DEC_CACHE
        x, y = c_double(), c_double()
        px, py = ctypes.byref(x), ctypes.byref(y)
        out: list[Char] = []
        prev_obj, prev_ox, prev_oy = None, 0.0, 0.0
        for i, t in enumerate(_page_text(tp, n)):
            if t in _GENERATED_CANDIDATES and is_generated(tp, i):
                continue
            if t in _PDFIUM_HYPHEN and _C.IsHyphen(tp, i):
                t = "-"
            obj = get_obj(tp, i)
            info = infos.get(obj) or info_of(obj)
            if info is None:  # not a character of a text object: not pdfminer's
                continue
            get_origin(tp, i, px, py)
            xv, yv = x.value, y.value
            ox, oy = dec_cache.get(xv) or _dec(xv), dec_cache.get(yv) or _dec(yv)
            w = info.widths.get(t)
            if w is None:
                w = self._advance(i, t, info, xv, yv)
            if obj == prev_obj and ox == prev_ox and oy != prev_oy and info.plain:
                self.vertical = True  # the pen moved down, not right: vertical writing
            prev_obj, prev_ox, prev_oy = obj, ox, oy
            if info.plain:
                y0, y1 = info.dy0 + oy, info.dy1 + oy
                out.append(Char(t, ox, info.a * (w * info.font_size) + ox, height - y1, height - y0,
                                y1 - y0, info.fontname, info.upright))
            else:
                out.append(self._general(t, ox, oy, w, info))
        return out

    def _info(self, obj: int | None) -> _TextObj | None:
        """The shared attributes of a text object (cached; many objects share them)."""
        if obj is None or obj not in self.forms:
            return None
        m = self._m
        _C.GetMatrix(obj, m)
        size = c_float()
        _C.TextGetFontSize(obj, size)
        font = _C.TextGetFont(obj)
        form = self.forms[obj]
        key = (m.a, m.b, m.c, m.d, size.value, font, form)
        info = self._shared.get(key)
        if info is None:
            mat = _mul((_dec(m.a), _dec(m.b), _dec(m.c), _dec(m.d), 0.0, 0.0), (*form[:4], 0.0, 0.0))
            name, descent = self.fonts.get(font)
            # pdfminer: upright = a * d * scaling > 0 and b * c <= 0, on the text matrix
            # times the CTM, page rotation included (pdfium's a already holds the Tz scaling).
            a, b, c, d, _, _ = _mul(mat, self.frame.ctm)
            fs = _dec(size.value)
            info = _TextObj(mat, fs, name, a * d > 0 and b * c <= 0, descent, font, self.fonts.widths(font, name))
            a, b, c, d, _, _ = mat
            if self.frame.simple and b == 0 and c == 0 and a > 0 and d > 0:
                dfs = descent * fs
                info.plain, info.a, info.dy0, info.dy1 = True, a, d * dfs, d * (dfs + fs)
            self._shared[key] = info
        self.infos[obj] = info
        return info

    def _advance(self, i: int, t: str, info: _TextObj, ox: float, oy: float) -> float:
        """Advance width of char `i` per unit of font size, cached per (font, char).

        pdfium's loose box is [origin, origin + advance] widened to the glyph's own
        box; unless the glyph sticks out, its far edge gives the advance. Otherwise
        the font's width table does (looked up by unicode, so only then)."""
        a, b, c, d, _, _ = info.matrix
        width = 0.0
        if (a * d - b * c) * info.font_size:
            r = self._rect
            _C.GetLooseCharBox(self.tp, i, r)
            loose = self._far_x(((r.left, r.bottom), (r.right, r.top)), ox, oy, info)
            box = [c_double() for _ in range(4)]
            tight = None
            if _C.GetCharBox(self.tp, i, *box):
                left, right, bottom, top = (v.value for v in box)
                tight = self._far_x(((left, bottom), (right, top)), ox, oy, info)
            if tight is None or tight < loose - OVERHANG_SLACK:
                width = _font_units(loose)
            else:
                width = self._font_width(t, info)
        info.widths[t] = width
        return width

    @staticmethod
    def _far_x(corners: tuple[tuple[float, float], tuple[float, float]], ox: float, oy: float, info: _TextObj) -> float:
        """The largest text-space x (per unit font size) of a user-space box."""
        a, b, c, d, _, _ = info.matrix
        det = (a * d - b * c) * info.font_size
        (x0, y0), (x1, y1) = corners
        return max((d * (px - ox) - c * (py - oy)) / det for px in (x0, x1) for py in (y0, y1))

    def _font_width(self, t: str, info: _TextObj) -> float:
        w = c_float()
        if info.font is None or len(t) != 1 or not _C.FontGetGlyphWidth(info.font, ord(t), 1.0, w):
            return 0.0
        return _font_units(w.value)

    def _general(self, t: str, ox: float, oy: float, w: float, info: _TextObj) -> Char:
        """Any other character (rotated, skewed or mirrored text, a rotated page):
        pdfminer's glyph-space box mapped by the matrix, then into page space."""
        a, b, c, d, _, _ = info.matrix
        fs = info.font_size
        lx1, ly0 = w * fs, info.descent * fs
        ly1 = ly0 + fs
        frame = self.frame
        pts = [frame.point(a * lx + c * ly + ox, b * lx + d * ly + oy) for lx in (0.0, lx1) for ly in (ly0, ly1)]
        x0, x1, top, bottom = frame.box(pts)
        # pdfminer: the size of a horizontal character is its box height
        return Char(t, x0, x1, top, bottom, bottom - top, info.fontname, info.upright)

    def _phantom_spaces(self, chars: list[Char]) -> list[Char]:
        """One blank character per text object that the text page left out, at its
        origin, so that it still splits words as pdfminer's space characters do.

        The text page drops runs of spaces (zero width, or repeated), and also a
        text object drawn twice at nearly the same place (fake bold): that one is
        not a space, and is recognised by the characters already read inside it."""
        out = []
        box = [c_float() for _ in range(4)]
        m = pdfium_c.FS_MATRIX()
        inked = None
        for obj, form in self.forms.items():
            if obj in self.infos or not _C.GetBounds(obj, *box):
                continue
            left, bottom, right, top = (v.value for v in box)
            if abs(right - left) >= ZERO_WIDTH:
                inked = inked or _CentreIndex(chars)
                x0, x1, t, b = self.frame.box([self.frame.point(*_apply(form, x, y))
                                               for x in (left, right) for y in (bottom, top)])
                if inked.any_in(x0, x1, t, b):
                    continue  # a duplicate of text already read
            info = self._info(obj)
            _C.GetMatrix(obj, m)
            ox, oy = _apply(form, _dec(m.e), _dec(m.f))
            if info is not None:
                out.append(self._general(" ", ox, oy, 0.0, info))
        return out


class _CentreIndex:
    """Centres of the non-blank chars, sorted by x, to ask whether a box holds one."""

    def __init__(self, chars: list[Char]) -> None:
        pts = sorted(((c.x0 + c.x1) / 2, (c.top + c.bottom) / 2) for c in chars if c.text.strip())
        self.pts = pts
        self.xs = [p[0] for p in pts]

    def any_in(self, x0: float, x1: float, top: float, bottom: float) -> bool:
        i = bisect_left(self.xs, x0)
        return any(top <= y <= bottom for x, y in self.pts[i:bisect_right(self.xs, x1)])


# --- paths, images, forms ----------------------------------------------------------


class _ObjectWalker:
    """Walks the page objects (into form XObjects): paths become edges, images are
    counted, text objects are noted (with their form matrix) for the character pass."""

    def __init__(self, frame: Frame, out: PageObjects) -> None:
        self.frame = frame
        self.out = out
        self.text_objects: dict[int, Matrix] = {}
        self._m = pdfium_c.FS_MATRIX()
        self._by_kind = {"line": out.line_edges, "rect": out.rect_edges, "curve": out.curve_edges}

    def walk(self, page: int) -> None:
        n = _C.CountObjects(page)
        self._walk([_C.GetObject(page, i) for i in range(n)], IDENTITY)

    def _walk(self, objs: list[int], form: Matrix) -> None:
        text, path, image, xobject = (pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH,
                                      pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM)
        texts = self.text_objects
        for obj in objs:
            kind = _C.GetType(obj)
            if kind == text:
                texts[obj] = form
                if _C.CountMarks(obj) and _has_actual_text(obj):
                    self.out.fallback = FALLBACK_ACTUAL_TEXT
            elif kind == path:
                self._path(obj, form)
            elif kind == image:
                self.out.images += 1
            elif kind == xobject:
                inner = _mul(self._matrix(obj), form)
                n = _C.FormCountObjects(obj)
                self._walk([_C.FormGetObject(obj, i) for i in range(n)], inner)

    def _matrix(self, obj: int) -> Matrix:
        m = self._m
        _C.GetMatrix(obj, m)
        return (_dec(m.a), _dec(m.b), _dec(m.c), _dec(m.d), _dec(m.e), _dec(m.f))

    def _path(self, obj: int, form: Matrix) -> None:
        # pdfminer maps each point by the CTM (here: object matrix, forms, page frame)
        a, b, c, d, e, f = _mul(_mul(self._matrix(obj), form), self.frame.ctm)
        segs: list[tuple[str, float, float]] = []
        x, y = c_float(), c_float()
        get_seg, get_point, get_type, get_close = _C.PathGetSegment, _C.SegmentGetPoint, _C.SegmentGetType, _C.SegmentGetClose
        for i in range(_C.PathCountSegments(obj)):
            seg = get_seg(obj, i)
            get_point(seg, x, y)
            px, py = _dec(x.value), _dec(y.value)
            px, py = a * px + c * py + e, b * px + d * py + f
            segs.append((_SEGMENT_OPS.get(get_type(seg), "c"), px, py))
            if get_close(seg):
                segs.append(("h", px, py))
        for sub in _subpaths(segs):
            kind, edges = _path_edges(sub, self.frame)
            self._by_kind[kind].extend(edges)


def _has_actual_text(obj: int) -> bool:
    size = c_ulong()
    return any(_C.MarkGetParamStringValue(_C.GetMark(obj, i), b"ActualText", None, 0, size)
               for i in range(_C.CountMarks(obj)))


_SEGMENT_OPS = {pdfium_c.FPDF_SEGMENT_MOVETO: "m", pdfium_c.FPDF_SEGMENT_LINETO: "l"}  # else bezier "c"


def _subpaths(segs: list[tuple[str, float, float]]) -> list[list[tuple[str, float, float]]]:
    """pdfminer paints each "m..." subpath of a path as its own object."""
    out: list[list[tuple[str, float, float]]] = []
    for s in segs:
        if s[0] == "m" or not out:
            out.append([])
        out[-1].append(s)
    return [p for p in out if p[0][0] == "m" and len(p) > 1]


_RECT_SHAPES = {"mlllh", "mllll"}


def _path_edges(path: list[tuple[str, float, float]], frame: Frame) -> tuple[str, list[Edge]]:
    """One subpath -> ("line" | "rect" | "curve", pdfplumber edges), classified as
    pdfminer's ``paint_path`` does.

    pdfium reports a closing "h" as a flag on the last point and draws "re" as
    m l l l l+close; pdfminer's "drop a redundant l before h" makes both the same."""
    shape = "".join(s[0] for s in path)
    # "h" returns to the subpath's start point
    pts = [(s[1], s[2]) if s[0] != "h" else (path[0][1], path[0][2]) for s in path]
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


# --- page images (for the OCR of scanned pages) ----------------------------------------


def render_page(pdf: pdfium.PdfDocument, index: int, dpi: float = 200.0) -> Any:
    """Page `index` (0-based) as an RGB PIL image at `dpi`, e.g. for rapidocr
    (``RapidOCR()(numpy.asarray(image))``). A scanned page's own image resolution is
    ``native_dpi`` below: rendering above it adds pixels, not detail."""
    page = pdf[index]
    try:
        return page.render(scale=dpi / 72.0).to_pil()
    finally:
        page.close()


def native_dpi(pdf: pdfium.PdfDocument, index: int) -> float | None:
    """The resolution of the largest image on a page (a scan's), or None without images."""
    page = pdf[index]
    try:
        best = None
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            px_w, _ = obj.get_px_size()
            left, _, right, _ = obj.get_bounds()
            if right > left and (best is None or right - left > best[0]):
                best = (right - left, px_w * 72.0 / (right - left))
        return None if best is None else best[1]
    finally:
        page.close()
