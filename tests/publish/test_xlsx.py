"""The streaming workbook writer, read back by openpyxl (the reader pandas uses for .xlsx)."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.publish import xlsx


def _read(path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


def _write(path, sheets: dict[str, tuple[list, list[list]]]) -> None:
    wb = xlsx.Workbook(path, "标题")
    for name, (header, rows) in sheets.items():
        wb.add_sheet(name, header)
        for r in rows:
            wb.write_row(r)
    wb.close()


def test_cells_round_trip_with_gaps_types_and_awkward_text(tmp_path):
    rows = [
        ["a", None, "", 3, True, False, "1.500000"],
        [None, "  前后空格  ", "=SUM(A1)", -7, None, None, "x"],
        ["控制\x01字符", "_x0041_ 字面", "<&>\"'", 0, None, "尾", None],
    ]
    p = tmp_path / "t.xlsx"
    _write(p, {"t": (["c1", "c2", "c3", "c4", "c5", "c6", "c7"], rows)})
    got = _read(p)["t"]
    assert got[0] == ("c1", "c2", "c3", "c4", "c5", "c6", "c7")
    assert got[1] == ("a", None, None, 3, True, False, "1.500000")
    assert got[2] == (None, "  前后空格  ", "=SUM(A1)", -7, None, None, "x")
    assert got[3][2:6] == ("<&>\"'", 0, None, "尾")
    # a control character (and CR, which XML would turn into LF) is stored as Excel writes it, _xHHHH_;
    # a literal _x0041_ is escaped so Excel shows it as written, not as "A"
    with zipfile.ZipFile(p) as z:
        shared = z.read("xl/sharedStrings.xml").decode("utf-8")
    assert "控制_x0001_字符" in shared and "_x005F_x0041_ 字面" in shared


def test_same_rows_same_bytes_and_a_frozen_bold_header(tmp_path):
    sheets = {"a": (["h"], [["x"], ["y"]]), "b": (["k", "v"], [["x", 1]])}
    _write(tmp_path / "1.xlsx", sheets)
    _write(tmp_path / "2.xlsx", sheets)
    assert (tmp_path / "1.xlsx").read_bytes() == (tmp_path / "2.xlsx").read_bytes()
    wb = openpyxl.load_workbook(tmp_path / "1.xlsx")
    assert wb.sheetnames == ["a", "b"]
    assert wb["b"].freeze_panes == "A2" and wb["b"]["A1"].font.b


def test_a_table_longer_than_a_sheet_goes_on_in_the_next(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 4)  # header + 3 rows per sheet
    p = tmp_path / "t.xlsx"
    _write(p, {"checks": (["n"], [[i] for i in range(8)])})
    got = _read(p)
    assert list(got) == ["checks", "checks (2)", "checks (3)"]
    assert [r[0] for s in got.values() for r in s[1:]] == list(range(8))
    assert all(s[0] == ("n",) for s in got.values())


def test_strings_past_the_shared_table_are_written_inline(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_SHARED", 2)
    p = tmp_path / "t.xlsx"
    _write(p, {"t": (["h"], [["a"], ["b"], ["c"], [" d"], ["a"]])})
    assert [r[0] for r in _read(p)["t"]] == ["h", "a", "b", "c", " d", "a"]
    with zipfile.ZipFile(p) as z:
        assert b"inlineStr" in z.read("xl/worksheets/sheet1.xml")


def test_text_longer_than_excel_allows_is_cut_to_the_limit(tmp_path):
    p = tmp_path / "t.xlsx"
    _write(p, {"t": ([], [["长" * (xlsx.MAX_TEXT + 10)]])})
    assert _read(p)["t"][0][0] == "长" * xlsx.MAX_TEXT


# printable text (the escapes of control characters are checked on the stored XML above)
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), TEXT, st.integers(-10**12, 10**12), st.booleans()),
                         min_size=1, max_size=6), min_size=1, max_size=8))
def test_any_rows_round_trip(tmp_path_factory, rows):
    p = tmp_path_factory.mktemp("x") / "t.xlsx"
    _write(p, {"t": ([], rows)})
    ws = openpyxl.load_workbook(p)["t"]
    got = {(c.row, c.column): c.value for r in ws.iter_rows() for c in r if c.value is not None}
    want = {(i, j): v for i, r in enumerate(rows, 1) for j, v in enumerate(r, 1) if v is not None and v != ""}
    assert got == want


@pytest.mark.parametrize("j,col", [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])
def test_column_letters(j, col):
    assert xlsx._column(j) == col
