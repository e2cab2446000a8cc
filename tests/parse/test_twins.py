"""One budget in two files (parse/twins.py): a text booklet and its table book become one document."""

from __future__ import annotations

from generator.model import Cell, Document, Para, Row, Table
from generator.parse import twins


def booklet(name="51.pdf", cover="江苏省委办公厅2019年度部门预算公开", sha="1"):
    paras = [Para(cover, "p1"), Para("目 录", "p2"), Para("一、收支预算总体情况", "p3"),
             Para("收入、支出预算总计27664.22万元，与上年相比收、支预算总计各增加3205.79万元。" * 3, "p3")]
    return Document(name[:2], name, sha * 64, "pdf", "", tuple(paras), 3, 1)


def table_book(name="52.pdf", unit="中共江苏省委办公厅", sha="2"):
    rows = (Row((Cell(f"收支预算总表部门：{unit} 单位：万元", "p1"), Cell("", "p1")), "p1"),
            Row((Cell("一、财政拨款", "p1"), Cell("27,664.22", "p1")), "p1"),
            Row((Cell("收入合计", "p1"), Cell("27,664.22", "p1")), "p1"))
    last = (Row((Cell("2019年政府采购预算表", "p2"), Cell("", "p2")), "p2"),
            Row((Cell("合计", "p2"), Cell("100.00", "p2")), "p2"))
    return Document(name[:2], name, sha * 64, "pdf", "", (Table(rows, "p1"), Table(last, "p2")), 2, 1)


def read(*docs):
    return [twins.Read(d.source_file, d, []) for d in docs]


def test_booklet_and_table_book_become_one_document():
    out = twins.join(read(booklet(), table_book()))
    assert [f.doc is not None for f in out] == [True, False]
    doc = out[0].doc
    assert doc.source_file == "51.pdf" and doc.parts == ("52.pdf",)
    assert doc.blocks[-1].where == "52.pdf:p2" and doc.blocks[-1].rows[0].cells[0].where == "52.pdf:p2"
    assert [i.code for i in out[0].issues] == ["twin-files"]


def test_a_table_book_without_a_unit_name_takes_its_twins():
    out = twins.join(read(table_book(unit=""), booklet()))
    assert [f.doc is not None for f in out] == [False, True] and out[1].doc.parts == ("52.pdf",)


def test_other_units_years_or_two_candidates_are_not_joined():
    assert all(f.doc for f in twins.join(read(booklet(), table_book(unit="中共江苏省财政厅"))))
    assert all(f.doc for f in twins.join(read(booklet(cover="江苏省委办公厅2020年度部门预算公开"), table_book())))
    two = read(booklet(), booklet("53.pdf", sha="3"), table_book(unit=""))
    assert all(f.doc for f in twins.join(two))  # ambiguous: which booklet?
