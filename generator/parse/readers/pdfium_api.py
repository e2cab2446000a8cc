"""The pdfium C functions the PDF reader calls, the numeric helpers shared by its
character and path passes, and the page frame (PDF user space -> pdfplumber's
page coordinates).

The C functions are called through our own ``CFUNCTYPE`` prototypes: object
handles come back as plain ints (hashable keys, and as fast to pass back as a
ctypes object), and out-parameters are passed as the ctypes objects themselves
(ctypes takes their address faster than it converts a ``byref``).
"""

from __future__ import annotations

import ctypes
from ctypes import POINTER, c_double, c_float, c_int, c_ulong, c_ushort, c_void_p
from typing import Any

import pypdfium2 as pdfium
import pypdfium2_raw as pdfium_c
from pypdfium2_raw.bindings import _libs

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class Handle(c_void_p):
    """A pdfium handle as a ctypes object (the page and text page handles)."""


def _proto(name: str, restype: Any, *argtypes: Any) -> Any:
    """Our own prototype of a pdfium function (see the module docstring)."""
    address = ctypes.cast(_libs["pdfium"][name], c_void_p).value
    if address is None:
        raise ImportError(f"pdfium has no {name}")
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


H = Handle


class C:
    """The pdfium C functions used by the reader."""

    CountChars = _proto("FPDFText_CountChars", c_int, H)
    GetText = _proto("FPDFText_GetText", c_int, H, c_int, c_int, POINTER(c_ushort))
    GetUnicode = _proto("FPDFText_GetUnicode", ctypes.c_uint, H, c_int)
    IsGenerated = _proto("FPDFText_IsGenerated", c_int, H, c_int)
    IsHyphen = _proto("FPDFText_IsHyphen", c_int, H, c_int)
    GetTextObject = _proto("FPDFText_GetTextObject", c_void_p, H, c_int)  # -> int: a dict key
    GetCharOrigin = _proto("FPDFText_GetCharOrigin", c_int, H, c_int, POINTER(c_double), POINTER(c_double))
    GetCharBox = _proto("FPDFText_GetCharBox", c_int, H, c_int,
                        POINTER(c_double), POINTER(c_double), POINTER(c_double), POINTER(c_double))
    GetLooseCharBox = _proto("FPDFText_GetLooseCharBox", c_int, H, c_int, POINTER(pdfium_c.FS_RECTF))
    CountObjects = _proto("FPDFPage_CountObjects", c_int, H)
    GetObject = _proto("FPDFPage_GetObject", c_void_p, H, c_int)
    FormCountObjects = _proto("FPDFFormObj_CountObjects", c_int, H)
    FormGetObject = _proto("FPDFFormObj_GetObject", c_void_p, H, c_ulong)
    GetType = _proto("FPDFPageObj_GetType", c_int, H)
    GetMatrix = _proto("FPDFPageObj_GetMatrix", c_int, H, POINTER(pdfium_c.FS_MATRIX))
    GetBounds = _proto("FPDFPageObj_GetBounds", c_int, H,
                       POINTER(c_float), POINTER(c_float), POINTER(c_float), POINTER(c_float))
    TextGetFontSize = _proto("FPDFTextObj_GetFontSize", c_int, H, POINTER(c_float))
    TextGetFont = _proto("FPDFTextObj_GetFont", c_void_p, H)  # -> int: a dict key
    FontGetDescent = _proto("FPDFFont_GetDescent", c_int, H, c_float, POINTER(c_float))
    FontGetBaseFontName = _proto("FPDFFont_GetBaseFontName", ctypes.c_size_t, H, ctypes.c_char_p, ctypes.c_size_t)
    FontGetGlyphWidth = _proto("FPDFFont_GetGlyphWidth", c_int, H, ctypes.c_uint32, c_float, POINTER(c_float))
    CountMarks = _proto("FPDFPageObj_CountMarks", c_int, H)
    GetMark = _proto("FPDFPageObj_GetMark", H, H, c_ulong)
    MarkGetParamStringValue = _proto("FPDFPageObjMark_GetParamStringValue", c_int, H, ctypes.c_char_p,
                                     c_void_p, c_ulong, POINTER(c_ulong))
    PathCountSegments = _proto("FPDFPath_CountSegments", c_int, H)
    PathGetSegment = _proto("FPDFPath_GetPathSegment", c_void_p, H, c_int)
    SegmentGetPoint = _proto("FPDFPathSegment_GetPoint", c_int, H, POINTER(c_float), POINTER(c_float))
    SegmentGetType = _proto("FPDFPathSegment_GetType", c_int, H)
    SegmentGetClose = _proto("FPDFPathSegment_GetClose", c_int, H)


def _bare(name: str, restype: Any) -> Any:
    """A prototype without argtypes: ctypes then passes each argument as it is,
    without a ``from_param`` conversion, and a call costs about half as much (the
    per-character and per-segment loops make ~2 million of them in a 1,000-document
    build). Only ever called with arguments ctypes passes exactly: handles as
    ``Handle`` objects (never a bare int: it would go as a 32-bit C int), out-params
    as ``byref(...)``, and Python ints only for C ``int`` parameters."""
    address = ctypes.cast(_libs["pdfium"][name], c_void_p).value
    if address is None:
        raise ImportError(f"pdfium has no {name}")
    return ctypes.CFUNCTYPE(restype)(address)


class F:
    """The hot-loop functions of C as bare prototypes (see ``_bare``; arguments in
    the comments). A Handle restype comes back as a Handle object, to pass back to
    them; a c_void_p restype as an int (or None), a dict key."""

    GetTextObject = _bare("FPDFText_GetTextObject", c_void_p)  # (text page, int index)
    GetCharOrigin = _bare("FPDFText_GetCharOrigin", c_int)  # (text page, int, byref(c_double) x2)
    IsGenerated = _bare("FPDFText_IsGenerated", c_int)  # (text page, int index)
    IsHyphen = _bare("FPDFText_IsHyphen", c_int)  # (text page, int index)
    GetObject = _bare("FPDFPage_GetObject", c_void_p)  # (page, int index)
    PathCountSegments = _bare("FPDFPath_CountSegments", c_int)  # (path object)
    PathGetSegment = _bare("FPDFPath_GetPathSegment", H)  # (path object, int index)
    SegmentGetPoint = _bare("FPDFPathSegment_GetPoint", c_int)  # (segment, byref(c_float) x2)
    SegmentGetType = _bare("FPDFPathSegment_GetType", c_int)  # (segment)
    SegmentGetClose = _bare("FPDFPathSegment_GetClose", c_int)  # (segment)


def handle(wrapper: pdfium.PdfPage | pdfium.PdfTextPage) -> Handle:
    """The raw pdfium handle of a pypdfium2 object."""
    address = ctypes.cast(wrapper.raw, c_void_p).value
    if address is None:
        raise ValueError(f"{type(wrapper).__name__} is closed")
    return Handle(address)


DEC_CACHE: dict[float, float] = {}
_DEC_CACHE_MAX = 200_000


def dec(v: float) -> float:
    """pdfium keeps coordinates as 32-bit floats (303.52 -> 303.5199890...); pdfminer
    keeps the decimal from the file. Seven significant digits (all a float32 holds)
    give that decimal back, so values equal in pdfminer compare equal here too.
    (Cached: ruling lines and text baselines repeat the same few values.)"""
    d = DEC_CACHE.get(v)
    if d is None:
        if len(DEC_CACHE) > _DEC_CACHE_MAX:
            DEC_CACHE.clear()
        d = DEC_CACHE[v] = float(f"{v:.7g}")
    return d


def font_units(w: float) -> float:
    """A width per unit of font size measured through float32 boxes -> the font's
    width entry (1/1000 em, to a tenth) times 0.001, as pdfminer's char_width gives it.
    NOTE: Foshan 2019 p26: 15.96pt "于" measured as 15.95999 ends 3.00001pt before
    the next char instead of 3.0, and pdfplumber's gap test (> 3) split the word."""
    return round(w * 1000.0, 1) * 0.001


def mul(m: Matrix, n: Matrix) -> Matrix:
    """The matrix applying m, then n."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


class Frame:
    """PDF user space -> pdfplumber page coordinates, as pdfminer's ``process_page``
    (rotation and MediaBox offset in the initial CTM) and pdfplumber's ``Page``
    (top = height - y, x and top shifted back by the MediaBox origin) do it."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        x0, y0, x1, y1 = (dec(v) for v in page.get_mediabox())
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
        return apply(self.ctm, x, y)

    def box(self, pts: list[tuple[float, float]]) -> tuple[float, float, float, float]:
        """pdfminer-space points -> their pdfplumber (x0, x1, top, bottom)."""
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        return (min(xs) + self.mb_x0, max(xs) + self.mb_x0,
                self.height - max(ys) + self.mb_top, self.height - min(ys) + self.mb_top)
