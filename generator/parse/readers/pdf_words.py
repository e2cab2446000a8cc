"""pdfplumber 0.11's character and text algorithms, rewritten on plain objects (no
pdfminer): each function is a line-by-line equivalent of the pdfplumber function
named in its docstring, with the same tolerances and the same float arithmetic;
only the data structures (slots objects instead of dicts) and the search strategies
(sorting and bisecting instead of all-pairs loops, shortcuts where a test cannot
hold) differ. Tables are in pdf_tables.

* ``dedupe_chars``              pdfplumber.utils.text.dedupe_chars
* ``extract_words``             pdfplumber.utils.text.WordExtractor (defaults)
* ``extract_text``              pdfplumber.utils.text.extract_text (layout=False)
* ``extract_text_lines``        pdfplumber.Page.extract_text_lines(strip=True)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby, pairwise
from operator import attrgetter, itemgetter
from typing import TypeVar

from .pdf_objects import Char

T = TypeVar("T")

# pdfplumber defaults (utils/text.py)
X_TOLERANCE = 3
Y_TOLERANCE = 3
DEDUPE_TOLERANCE = 1
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
        tagged.sort(key=_second)
    return [[x for x, _ in grp] for _, grp in groupby(tagged, key=_second)]


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
        key = (c.upright, c.text, c.fontname, c.size)
        members = groups.get(key)
        if members is None:
            groups[key] = [i]
        else:
            members.append(i)
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
    if not line:
        return words
    p = line[0]  # the last char of `cur` (while `cur` is not empty)
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
        elif cur and (c.x0 < p.x0 or c.x0 > p.x1 + X_TOLERANCE or abs(c.top - p.top) > Y_TOLERANCE):
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
    for upright, run in groupby(chars, key=_upright):
        run_chars = list(run)
        sort_key: Callable[[Char], object]
        if upright:  # lines by top, read left to right
            lines = cluster_objects(run_chars, _top, Y_TOLERANCE)
            sort_key = _x0  # pdfplumber's (x0, x0): the same order
        else:  # rotated: lines by x0, read top to bottom
            lines = cluster_objects(run_chars, _x0, X_TOLERANCE)
            sort_key = _ttb
        for line in lines:
            words.extend(_line_words(sorted(line, key=sort_key), upright))
    return words


_top = attrgetter("top")
_x0 = attrgetter("x0")
_upright = attrgetter("upright")
_second = itemgetter(1)


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
    lines = cluster_objects(extract_words(chars), _top, Y_TOLERANCE)
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
    for i, line in enumerate(cluster_objects(words, _top, Y_TOLERANCE, preserve_order=True)):
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
