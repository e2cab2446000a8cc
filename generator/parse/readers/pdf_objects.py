"""The page objects the PDF layout code works on, whichever engine read them
(pdfium_objects, or pdfminer_objects for the fallback pages): characters and ruling
edges with exactly the attributes pdfplumber reports and its algorithms look at."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    # why pdfium's characters cannot stand for pdfminer's on this page (see pdfium_objects.FALLBACK_*)
    fallback: str | None = None

    @property
    def edges(self) -> list[Edge]:
        return self.line_edges + self.rect_edges + self.curve_edges
