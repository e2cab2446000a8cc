"""The replayed pdfplumber algorithms (readers/pdf_words.py, pdf_tables.py): their
shortcuts give what the general algorithm gives. (The whole reader is checked against
pdfplumber block by block by bench/pdfspeed.py on the real PDFs.)"""

from __future__ import annotations

from generator.parse.readers.pdf_objects import Char, Edge
from generator.parse.readers.pdf_tables import extract_table, find_tables
from generator.parse.readers.pdf_words import (
    Y_TOLERANCE,
    cluster_objects,
    dedupe_chars,
    extract_text,
    extract_words,
)


def ch(text: str, x0: float, top: float, w: float = 10.0, size: float = 10.0, upright: bool = True) -> Char:
    return Char(text, x0, x0 + w, top, top + size, size, "F", upright)


def general_text(chars: list[Char]) -> str:
    """extract_text without its one-line shortcut: words, lines by top, joined."""
    lines = cluster_objects(extract_words(chars), lambda w: w.top, Y_TOLERANCE)
    return "\n".join(" ".join(w.text for w in line) for line in lines)


def test_one_line_shortcut_matches_the_general_path():
    cases = [
        [ch("合", 10, 100), ch("计", 20, 100.5)],  # one word
        [ch("1", 30, 100), ch("2", 10, 101), ch("3", 20, 99.5)],  # out of order: sorted by x0
        [ch("a", 10, 100), ch(" ", 20, 100), ch("b", 30, 100)],  # a blank splits words
        [ch("a", 10, 100), ch("b", 24, 100)],  # a gap over 3pt splits words
        [ch("a", 10, 100), ch("b", 23, 100)],  # a gap of exactly 3pt does not
        [ch("ﬁ", 10, 100), ch("x", 20, 103)],  # ligature; tops exactly 3 apart: one line
        [ch("a", 10, 100), ch("", 20, 100), ch("b", 30, 100)],  # "" is its own word
    ]
    for chars in cases:
        assert extract_text(chars) == general_text(chars), chars
    assert extract_text(cases[3]) == "a b"
    assert extract_text(cases[5]) == "fix"


def test_multi_line_cells_take_the_general_path():
    chars = [ch("上", 10, 100), ch("年", 20, 100), ch("数", 10, 115)]
    assert extract_text(chars) == "上年\n数"


def test_dedupe_drops_overprinted_chars_only():
    a, b = ch("元", 10, 100), ch("元", 10.5, 100.4)  # fake bold: the same glyph twice
    c = ch("元", 40, 100)  # the same glyph elsewhere on the line stays
    assert dedupe_chars([a, b, c], 0.0) == [a, c]
    # chained in y: 0 -> 0.9 -> 1.8 is one cluster, so the third copy goes although it is
    # 1.8pt from the first (the second is elsewhere in x)
    p, q, r = ch("0", 10, 100), ch("0", 50, 100.9), ch("0", 10.5, 101.8)
    assert dedupe_chars([p, q, r], 0.0) == [p, q]


def grid(xs: list[float], ys: list[float]) -> list[Edge]:
    edges = [Edge("h", xs[0], y, xs[-1], y, xs[-1] - xs[0], 0) for y in ys]
    edges += [Edge("v", x, ys[0], x, ys[-1], 0, ys[-1] - ys[0]) for x in xs]
    return edges


def test_a_ruled_grid_is_one_table_with_its_cells_text():
    tables = find_tables(grid([0, 50, 100, 150], [0, 20, 40]))
    assert len(tables) == 1
    assert tables[0].bbox == (0, 0, 150, 40)
    chars = [ch("甲", 5, 5), ch("乙", 55, 5), ch("1", 105, 25), ch("2", 115, 25)]
    assert extract_table(tables[0], chars) == [["甲", "乙", ""], ["", "", "12"]]


def test_a_cell_missing_an_edge_spans():
    edges = grid([0, 50, 100], [0, 20, 40])
    # cut the middle vertical line in the top row: the top row is one wide cell
    edges = [e for e in edges if not (e.orientation == "v" and e.x0 == 50)] + [Edge("v", 50, 20, 50, 40, 0, 20)]
    tables = find_tables(edges)
    assert len(tables) == 1
    assert extract_table(tables[0], [ch("合", 40, 5), ch("计", 50, 5)]) == [["合计", None], ["", ""]]
