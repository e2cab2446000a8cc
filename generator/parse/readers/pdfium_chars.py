"""pdfium's text page -> the characters pdfminer (pdfplumber's page.chars) reports.

pdfminer's box of a character is [0, advance] x [descent, descent + font size] in
text space, mapped by the character's matrix; pdfium gives each character's origin
and its text object's matrix, the font's descent and (see ``CharReader._advance``)
the advance. Coordinates are pdfplumber's (see pdfium_api.Frame).

The per-character loop is the hot path of the whole reader: everything the
characters of one text object share (matrix, font, size, advances, and for
horizontal text the top and bottom) is computed once per object.
"""

from __future__ import annotations

import ctypes
from bisect import bisect_left, bisect_right
from ctypes import byref, c_double, c_float, c_ulong, c_ushort
from dataclasses import dataclass, field

import pypdfium2_raw as pdfium_c

from .pdf_objects import Char
from .pdfium_api import DEC_CACHE, C, F, Frame, Handle, Matrix, apply, dec, font_units, mul

# pdfium marks the spaces and line breaks it infers itself as "generated"; pdfminer
# has no such characters.
_GENERATED_CANDIDATES = frozenset(" \r\n")
# pdfium turns a line-final hyphen into U+0002 / U+FFFE (and flags it); pdfminer keeps "-".
# NOTE: Guangzhou 绩效目标表 p7 ("-" ending a table cell line).
_PDFIUM_HYPHEN = frozenset(("\x02", "\ufffe"))
_SPECIAL = _GENERATED_CANDIDATES | _PDFIUM_HYPHEN
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
    dx: dict[str, float] = field(default_factory=dict)  # plain: a * (w * fs) per character


class Fonts:
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
            C.FontGetDescent(font, 1000.0, desc)  # per 1000 em, as the font states it
            units = _AFM_DESCENT.get(name, dec(desc.value))
            # pdfminer: get_descent() = Descent * 0.001, negated when a font states it positive
            hit = self._cache[font] = (name, -abs(units) * 0.001)
        return hit


def _base_font_name(font: int | None) -> str:
    buf = ctypes.create_string_buffer(128)
    n = C.FontGetBaseFontName(font, buf, len(buf))
    if n > len(buf):
        buf = ctypes.create_string_buffer(n)
        n = C.FontGetBaseFontName(font, buf, len(buf))
    return buf.raw[: max(n - 1, 0)].decode("latin-1") if n else ""


def _page_text(textpage: Handle, n: int) -> str | list[str]:
    """Unicode of each character index (FPDFText_GetText is UTF-16: fall back to one
    call per character when a surrogate pair shifts the indexes)."""
    buf = (c_ushort * (n + 1))()
    got = C.GetText(textpage, 0, n, buf)
    text = bytes(memoryview(buf).cast("B")[: 2 * max(got - 1, 0)]).decode("utf-16-le", "surrogatepass")
    if len(text) == n:
        return text
    return [chr(C.GetUnicode(textpage, i)) for i in range(n)]


def has_actual_text(obj: int) -> bool:
    """True when the page object is in a marked-content span with /ActualText."""
    size = c_ulong()
    return any(C.MarkGetParamStringValue(C.GetMark(obj, i), b"ActualText", None, 0, size)
               for i in range(C.CountMarks(obj)))


class CharReader:
    """pdfium's text page -> pdfminer's characters, in content-stream order."""

    def __init__(self, textpage: Handle, frame: Frame, text_objects: dict[int, tuple], fonts: Fonts) -> None:
        # a Handle object, as the bare prototypes (pdfium_api.F) need it
        self.tp = textpage if isinstance(textpage, Handle) else Handle(textpage)
        self.frame = frame
        # text object address -> (a, b, c, d, font size, font, form matrix): see ObjectWalker
        self.forms = text_objects
        self.fonts = fonts
        self.infos: dict[int, _TextObj] = {}
        self._shared: dict[tuple, _TextObj] = {}
        self._m = pdfium_c.FS_MATRIX()
        self._rect = pdfium_c.FS_RECTF()
        self.vertical = False

    def read(self) -> list[Char]:
        n = C.CountChars(self.tp)
        out = self._chars(n) if n > 0 else []
        return out + self._phantom_spaces(out)

    def _chars(self, n: int) -> list[Char]:
        tp, height = self.tp, self.frame.height
        get_obj, get_origin, is_generated, is_hyphen = F.GetTextObject, F.GetCharOrigin, F.IsGenerated, F.IsHyphen
        infos, info_of, dec_cache = self.infos, self._info, DEC_CACHE
        forms, shared = self.forms, self._shared
        x, y = c_double(), c_double()
        px, py = byref(x), byref(y)
        out: list[Char] = []
        append = out.append
        prev_obj, prev_ox, prev_oy = None, 0.0, 0.0
        cur: object = self  # the text object whose attributes are in the locals below (none yet)
        info: _TextObj | None = None
        last_key: tuple | None = None  # its key in self.forms (info is None for None)
        plain = False
        a = fs = dy0 = dy1 = 0.0
        fontname, upright = "", False
        widths: dict[str, float] = {}
        dxs: dict[str, float] = {}
        line_oy: float | None = None
        top = bottom = size = 0.0
        for i, t in enumerate(_page_text(tp, n)):
            if t in _SPECIAL:
                if t in _GENERATED_CANDIDATES:
                    if is_generated(tp, i):
                        continue
                elif is_hyphen(tp, i):
                    t = "-"
            obj = get_obj(tp, i)
            if obj != cur:
                cur = obj
                key = forms.get(obj)  # type: ignore[arg-type]
                # the same key object as the previous text object's (ObjectWalker shares
                # it between consecutive objects alike): the same info, in the locals
                if key is not last_key:
                    last_key = key
                    # _info, its common case inlined: a new object sharing a known key
                    new = shared.get(key) if key is not None else None
                    if new is None:
                        new = infos.get(obj) or info_of(obj)
                    if new is not info:  # else the locals below hold it already
                        info = new
                        if info is not None:
                            plain, a, fs, dy0, dy1 = info.plain, info.a, info.font_size, info.dy0, info.dy1
                            fontname, upright, widths, dxs = info.fontname, info.upright, info.widths, info.dx
                            line_oy = None
                if info is not None:
                    infos[obj] = info  # type: ignore[index]
            if info is None:  # not a character of a text object: not pdfminer's
                continue
            get_origin(tp, i, px, py)
            xv, yv = x.value, y.value
            ox = dec_cache.get(xv)
            if ox is None:
                ox = dec(xv)
            oy = dec_cache.get(yv)
            if oy is None:
                oy = dec(yv)
            if plain:
                if obj == prev_obj and ox == prev_ox and oy != prev_oy:
                    self.vertical = True  # the pen moved down, not right: vertical writing
                prev_obj, prev_ox, prev_oy = obj, ox, oy
                dx = dxs.get(t)
                if dx is None:
                    w = widths.get(t)
                    if w is None:
                        w = self._advance(i, t, info, xv, yv)
                    dx = dxs[t] = a * (w * fs)
                if oy != line_oy:
                    line_oy = oy
                    y0, y1 = dy0 + oy, dy1 + oy
                    top, bottom, size = height - y1, height - y0, y1 - y0
                append(Char(t, ox, dx + ox, top, bottom, size, fontname, upright))
            else:
                prev_obj, prev_ox, prev_oy = obj, ox, oy
                w = widths.get(t)
                if w is None:
                    w = self._advance(i, t, info, xv, yv)
                append(self._general(t, ox, oy, w, info))
        return out

    def _info(self, obj: int | None) -> _TextObj | None:
        """The shared attributes of a text object (cached; many objects share them)."""
        key = self.forms.get(obj) if obj is not None else None
        if obj is None or key is None:
            return None
        info = self._shared.get(key)
        if info is None:
            ma, mb, mc, md, size, font, form = key
            mat = mul((dec(ma), dec(mb), dec(mc), dec(md), 0.0, 0.0), (*form[:4], 0.0, 0.0))
            name, descent = self.fonts.get(font)
            # pdfminer: upright = a * d * scaling > 0 and b * c <= 0, on the text matrix
            # times the CTM, page rotation included (pdfium's a already holds the Tz scaling).
            a, b, c, d, _, _ = mul(mat, self.frame.ctm)
            fs = dec(size)
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
            C.GetLooseCharBox(self.tp, i, r)
            loose = self._far_x(((r.left, r.bottom), (r.right, r.top)), ox, oy, info)
            box = [c_double() for _ in range(4)]
            tight = None
            if C.GetCharBox(self.tp, i, *box):
                left, right, bottom, top = (v.value for v in box)
                tight = self._far_x(((left, bottom), (right, top)), ox, oy, info)
            if tight is None or tight < loose - OVERHANG_SLACK:
                width = font_units(loose)
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
        if info.font is None or len(t) != 1 or not C.FontGetGlyphWidth(info.font, ord(t), 1.0, w):
            return 0.0
        return font_units(w.value)

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
        for obj, key in self.forms.items():
            form = key[6]
            if obj in self.infos or not C.GetBounds(obj, *box):
                continue
            left, bottom, right, top = (v.value for v in box)
            if abs(right - left) >= ZERO_WIDTH:
                inked = inked or _CentreIndex(chars)
                x0, x1, t, b = self.frame.box([self.frame.point(*apply(form, x, y))
                                               for x in (left, right) for y in (bottom, top)])
                if inked.any_in(x0, x1, t, b):
                    continue  # a duplicate of text already read
            info = self._info(obj)
            C.GetMatrix(obj, m)
            ox, oy = apply(form, dec(m.e), dec(m.f))
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
