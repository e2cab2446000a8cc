"""The PDF reader's shortcuts in its pdfium loops give what the plain way gives, on
generated pages of text runs, ruling lines and rectangles: the bare ctypes
prototypes (pdfium_api.F: no argtypes, half the cost of a call) read what the typed
prototypes (pdfium_api.C) read, the reader's objects of a page are the same
whichever it calls, and the char pass's shared text-object keys change nothing."""

from __future__ import annotations

import ctypes
import io
from ctypes import byref, c_double, c_float
from typing import Any

import pypdfium2 as pdfium
import pypdfium2_raw as pdfium_c
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.parse.readers import pdfium_api, pdfium_chars, pdfium_paths
from generator.parse.readers.pdf_objects import PageObjects
from generator.parse.readers.pdfium_api import C, F, Frame, Handle, handle
from generator.parse.readers.pdfium_chars import CharReader, Fonts
from generator.parse.readers.pdfium_objects import load_page
from generator.parse.readers.pdfium_paths import ObjectWalker

COORD = st.floats(min_value=0.0, max_value=500.0, allow_nan=False).map(lambda v: round(v, 2))
TEXT = st.text(alphabet="0123456789 .,-abcXYZ", min_size=1, max_size=12)
RUN = st.tuples(TEXT, COORD, COORD, st.sampled_from([6.0, 9.0, 10.5, 12.0]))
RECT = st.tuples(COORD, COORD, st.floats(min_value=0.0, max_value=200.0).map(lambda v: round(v, 2)),
                 st.floats(min_value=0.0, max_value=60.0).map(lambda v: round(v, 2)))
LINE = st.tuples(COORD, COORD, COORD, COORD)


def make_pdf(runs: list[tuple[str, float, float, float]], rects: list[tuple[float, float, float, float]],
             lines: list[tuple[float, float, float, float]]) -> bytes:
    doc = pdfium.PdfDocument.new()
    page = doc.new_page(595.0, 842.0)
    raw_page = page.raw
    for x, y, w, h in rects:
        obj = pdfium_c.FPDFPageObj_CreateNewRect(x, y, w, h)
        pdfium_c.FPDFPath_SetDrawMode(obj, pdfium_c.FPDF_FILLMODE_NONE, True)
        pdfium_c.FPDFPage_InsertObject(raw_page, obj)
    for x0, y0, x1, y1 in lines:
        obj = pdfium_c.FPDFPageObj_CreateNewPath(x0, y0)
        pdfium_c.FPDFPath_LineTo(obj, x1, y1)
        pdfium_c.FPDFPath_SetDrawMode(obj, pdfium_c.FPDF_FILLMODE_NONE, True)
        pdfium_c.FPDFPage_InsertObject(raw_page, obj)
    for text, x, y, size in runs:
        obj = pdfium_c.FPDFPageObj_NewTextObj(doc.raw, b"Helvetica", size)
        encoded = (text + "\0").encode("utf-16-le")  # FPDF_WIDESTRING
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(ctypes.c_char_p(encoded), ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
        pdfium_c.FPDFPage_InsertObject(raw_page, obj)
    pdfium_c.FPDFPage_GenerateContent(raw_page)
    out = io.BytesIO()
    page.close()
    doc.save(out)
    doc.close()
    return out.getvalue()


PAGES = st.builds(make_pdf, st.lists(RUN, max_size=8), st.lists(RECT, max_size=6), st.lists(LINE, max_size=6))


def _chars_typed(tp: Handle) -> list[tuple]:
    x, y = c_double(), c_double()
    out = []
    for i in range(C.CountChars(tp)):
        C.GetCharOrigin(tp, i, x, y)
        out.append((C.GetTextObject(tp, i), x.value, y.value, C.IsGenerated(tp, i), C.IsHyphen(tp, i)))
    return out


def _chars_bare(tp: Handle) -> list[tuple]:
    x, y = c_double(), c_double()
    px, py = byref(x), byref(y)
    out = []
    for i in range(C.CountChars(tp)):
        F.GetCharOrigin(tp, i, px, py)
        out.append((F.GetTextObject(tp, i), x.value, y.value, F.IsGenerated(tp, i), F.IsHyphen(tp, i)))
    return out


def _segments_typed(obj: int) -> list[tuple]:
    x, y = c_float(), c_float()
    out = []
    for i in range(C.PathCountSegments(obj)):
        seg = C.PathGetSegment(obj, i)
        C.SegmentGetPoint(seg, x, y)
        out.append((x.value, y.value, C.SegmentGetType(seg), C.SegmentGetClose(seg)))
    return out


def _segments_bare(obj: int) -> list[tuple]:
    x, y = c_float(), c_float()
    px, py = byref(x), byref(y)
    path = Handle(obj)
    out = []
    for i in range(F.PathCountSegments(path)):
        seg = F.PathGetSegment(path, i)
        F.SegmentGetPoint(seg, px, py)
        out.append((x.value, y.value, F.SegmentGetType(seg), F.SegmentGetClose(seg)))
    return out


@settings(max_examples=60, deadline=None)
@given(PAGES)
def test_bare_prototypes_read_what_the_typed_ones_read(data: bytes) -> None:
    doc = pdfium.PdfDocument(data)
    try:
        page = doc[0]
        textpage = page.get_textpage()
        try:
            tp = handle(textpage)
            assert _chars_bare(tp) == _chars_typed(tp)
            hp = handle(page)
            objs = [C.GetObject(hp, i) for i in range(C.CountObjects(hp))]
            assert [F.GetObject(hp, i) for i in range(len(objs))] == objs
            for obj in objs:
                if C.GetType(obj) == pdfium_c.FPDF_PAGEOBJ_PATH:
                    assert _segments_bare(obj) == _segments_typed(obj)
        finally:
            textpage.close()
            page.close()
    finally:
        doc.close()


class _TypedF:
    """pdfium_api.F with every function its typed twin from C."""

    GetTextObject = C.GetTextObject
    IsGenerated = C.IsGenerated
    IsHyphen = C.IsHyphen
    GetObject = C.GetObject
    PathCountSegments = C.PathCountSegments
    PathGetSegment = C.PathGetSegment
    SegmentGetType = C.SegmentGetType
    SegmentGetClose = C.SegmentGetClose

    @staticmethod
    def GetCharOrigin(tp: Handle, i: int, px: Any, py: Any) -> int:  # noqa: N802 (pdfium's name)
        return C.GetCharOrigin(tp, i, px._obj, py._obj)  # byref(x)._obj is x

    @staticmethod
    def SegmentGetPoint(seg: int, px: Any, py: Any) -> int:  # noqa: N802
        return C.SegmentGetPoint(seg, px._obj, py._obj)


@settings(max_examples=40, deadline=None)
@given(PAGES)
def test_the_reader_reads_the_same_through_the_typed_prototypes(data: bytes) -> None:
    doc = pdfium.PdfDocument(data)
    try:
        fast = load_page(doc, 0)
        bare = pdfium_api.F
        modules = (pdfium_api, pdfium_chars, pdfium_paths)
        try:
            for module in modules:
                setattr(module, "F", _TypedF)  # noqa: B010 (the modules' F, swapped)
            slow = load_page(doc, 0)
        finally:
            for module in modules:
                setattr(module, "F", bare)  # noqa: B010
        assert fast == slow
    finally:
        doc.close()


@settings(max_examples=40, deadline=None)
@given(PAGES)
def test_shared_key_objects_are_only_a_shortcut(data: bytes) -> None:
    """The char pass knows consecutive text objects alike by their shared key object
    (ObjectWalker); with every key a tuple of its own it reads the same chars."""
    doc = pdfium.PdfDocument(data)
    try:
        page = doc[0]
        textpage = page.get_textpage()
        try:
            frame = Frame(page)
            walker = ObjectWalker(frame, PageObjects(1, frame.width, frame.height))
            walker.walk(handle(page))
            own = {obj: tuple(list(key)) for obj, key in walker.text_objects.items()}
            assert all(own[obj] is not key for obj, key in walker.text_objects.items())
            shared = CharReader(handle(textpage), frame, walker.text_objects, _fonts()).read()
            assert CharReader(handle(textpage), frame, own, _fonts()).read() == shared
        finally:
            textpage.close()
            page.close()
    finally:
        doc.close()


def _fonts() -> Fonts:
    fonts = Fonts()
    fonts.new_page()
    return fonts
