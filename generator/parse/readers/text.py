"""Text extractions of Word and PDF disclosures -> paragraphs and tables with line numbers.

Two shapes occur, told apart by content:
- word_text: one table cell per tab-prefixed line, rows separated by blank lines,
  merged cells left as empty cells, multi-paragraph cells continuing on untabbed lines.
- pdf_text: one table row per line, cells separated by tabs; prose lines untabbed.
"""

from __future__ import annotations

import re
from itertools import repeat
from pathlib import Path

from ...model import Cell, Document, Issue, Para, Row, Table
from ...textcodec import decode, split_lines

# NOTE: seeds 000/003/004 carry Word bookmark residue ("[bookmark: _GoBack]") and
# seed 001 carries TOC field codes (" TC 1、… \f C \l 1 ") after headings.
_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_BOOKMARK_IN_TEXT = re.compile(r"\[bookmark: [^\]\n]*\]")  # the same, on many lines joined by \n
# Found in two linear steps: the tail (`\f C \l 1` at the line's end), then the first ` TC ` before it.
# (One pattern `\s+TC\s+.*?\\f…$` was quadratic on runs of spaces: 40k spaces took 3 s.)
_FIELD_TAIL = re.compile(r"\\f\s+\w+(?:\s+\\l\s+\d+)?\s*$")
_FIELD_START = re.compile(r"(?<!\s)\s+TC\s")
# NOTE: no disclosure line is near this long; longer lines are cut (and reported) before any regex runs.
MAX_LINE_CHARS = 10_000
# NOTE: seed 002 (a PDF converted through Markdown) carries "- " bullets, **bold**, <u>…</u>.
_MD_BULLET = re.compile(r"^\s*-\s+")
_MD_BOLD = re.compile(r"\*\*")
_HTML_TAG = re.compile(r"</?(?:u|b|i|strong|em|sup|sub|br)\s*/?>", re.I)

# A numbered line that opens a new titled part, not a paragraph inside a cell.
_HEADING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十\d]+部分|[（(]?[一二三四五六七八九十]+[）)、]|\d+(?:[、.．](?!\d)|\s))"
    r".*(?:绩效目标|表|部分|情况|说明|明细|预算)"
)


def strip_field_code(s: str) -> str:
    """'一、收支总表 TC 1、… \\f C \\l 1 ' -> '一、收支总表'."""
    tail = _FIELD_TAIL.search(s)
    if tail is None:
        return s
    start = _FIELD_START.search(s, 0, tail.start())
    return s if start is None else s[: start.start()]


def clean_line(s: str) -> str:
    s = s[:MAX_LINE_CHARS]  # the limit holds before any regex runs (read_text reports the cut)
    if "[bookmark: " in s:  # (each regex runs only on a line holding its literal part)
        s = _BOOKMARK.sub("", s)
    if "\\f" in s:
        s = strip_field_code(s)
    return s.replace("\ufeff", "").replace("\u00a0", " ").replace("\u3000", " ")


# Control characters other than \t \n \v \f \r, and the replacement character.
_BINARY_CHAR = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")


def clean_lines(lines: list[str]) -> list[str]:
    """clean_line of every line, made on the whole text at once when no line is cut: bookmarks (a match
    never crosses a line break), then field codes on the lines that hold one, then the characters (no
    replaced character is a line break). Each line comes out as clean_line makes it."""
    if not lines:
        return []
    if max(map(len, lines)) > MAX_LINE_CHARS:
        return [clean_line(s) for s in lines]
    text = "\n".join(lines)
    if "[bookmark: " in text:
        text = _BOOKMARK_IN_TEXT.sub("", text)
    if "\\f" in text:
        text = "\n".join(strip_field_code(s) if "\\f" in s else s for s in text.split("\n"))
    return text.replace("\ufeff", "").replace("\u00a0", " ").replace("\u3000", " ").split("\n")


def looks_binary(text: str) -> bool:
    if not text:
        return False
    sample = text[:20000]
    bad = sum(1 for _ in _BINARY_CHAR.finditer(sample))
    return bad > max(8, len(sample) // 50)


def sniff_shape(lines: list[str]) -> str:
    """word_text when most tabbed lines are single '\\t cell' lines, else pdf_text."""
    single = multi = 0
    for ln in lines:
        if "\t" not in ln:
            continue  # (no other line counts either way)
        tabs = ln.count("\t")
        if tabs == 1:
            single += ln[0] == "\t"  # (one tab: never two once stripped)
        elif ln.rstrip("\t ").count("\t") >= 2:
            multi += 1
    return "word_text" if single > multi else "pdf_text"


def word_lines_to_blocks(lines: list[str]) -> list[Para | Table]:
    blocks: list[Para | Table] = []
    # The open table as flat lists: every cell's text and line number, and where each row starts.
    # A cell's text is stripped: a stripped line, or stripped lines joined by \n.
    texts: list[str] = []
    wheres: list[str] = []
    starts: list[int] = []
    in_row = False  # the last row takes the next cell (a blank line ends it)
    blank_run = 0

    def end_table() -> None:
        nonlocal texts, wheres, starts, in_row
        if starts:
            ends = starts[1:] + [len(texts)]
            trs = tuple([Row(tuple(map(Cell, texts[s:e], wheres[s:e])), wheres[s]) for s, e in zip(starts, ends, strict=True)])
            blocks.append(Table(trs, trs[0].where))
        texts, wheres, starts, in_row = [], [], [], False

    for n, line in enumerate(clean_lines(lines), 1):
        if line[:1] == "\t":
            if not in_row:
                starts.append(len(texts))
                in_row = True
            texts.append(line[1:].replace("\t", " ").strip())
            wheres.append(str(n))
            blank_run = 0
            continue
        text = line.strip()
        if not text:
            blank_run += 1
            in_row = False
        else:
            # a line under a cell continues it (the last cell of the open table)
            continuing = texts and blank_run <= 1 and not _HEADING.match(text) and (texts[-1] or blank_run == 0)
            if continuing:
                texts[-1] = f"{texts[-1]}\n{text}" if texts[-1] else text
            else:
                end_table()
                blocks.append(Para(text, str(n)))
            blank_run = 0
    end_table()
    return blocks


def _clean_pdf_para(s: str) -> str:
    s = _MD_BULLET.sub("", s)
    s = _MD_BOLD.sub("", s)
    return _HTML_TAG.sub("", s).strip()


def pdf_lines_to_blocks(lines: list[str]) -> list[Para | Table]:
    blocks: list[Para | Table] = []
    rows: list[Row] = []

    def end_table() -> None:
        nonlocal rows
        if rows:
            blocks.append(Table(tuple(rows), rows[0].where))
        rows = []

    for n, line in enumerate(clean_lines(lines), 1):
        if not line.strip():
            continue  # a blank line (a table goes on across it)
        if "\t" in line.rstrip():
            cells = line.rstrip("\n").split("\t")
            cells = [_HTML_TAG.sub("", c).strip() for c in cells] if "<" in line else [c.strip() for c in cells]
            while len(cells) > 1 and not cells[-1]:
                cells.pop()
            w = str(n)
            rows.append(Row(tuple(map(Cell, cells, repeat(w))), w))
        else:
            end_table()
            text = _clean_pdf_para(line)
            if text:
                blocks.append(Para(text, str(n)))
    end_table()
    return blocks


def read_text(path: Path, data: bytes, doc_id: str, sha: str) -> tuple[Document | None, list[Issue]]:
    name = path.name
    issues: list[Issue] = []
    text, enc, notes = decode(data)
    for note in notes:
        issues.append(Issue("encoding-fallback", doc_id, name, f"{name}: {note}"))
    if looks_binary(text):
        return None, issues + [Issue("unknown-format", doc_id, name, f"{name}: binary content, not a text extraction", "error")]
    lines = split_lines(text)
    long_lines = [n for n, ln in enumerate(lines, 1) if len(ln) > MAX_LINE_CHARS] \
        if lines and max(map(len, lines)) > MAX_LINE_CHARS else []
    if long_lines:
        issues.append(Issue("line-too-long", doc_id, f"{name}:{long_lines[0]}",
                            f"{name}: {len(long_lines)} line(s) over {MAX_LINE_CHARS} characters, cut "
                            f"(first: line {long_lines[0]})"))
    if not any(ln.strip() for ln in lines):
        return None, issues + [Issue("empty-file", doc_id, name, f"{name}: no text", "error")]
    shape = sniff_shape(lines)
    blocks = word_lines_to_blocks(lines) if shape == "word_text" else pdf_lines_to_blocks(lines)
    doc = Document(doc_id, name, sha, shape, enc, tuple(blocks), len(lines), len(data))
    return doc, issues
