"""Table families of the corpus (budget totals, function and economic tables, 三公, 机关运行经费, units): each
layout rule on a small hand-made input copied from what a corpus file prints (the corpus is not needed)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from generator.model import Block, Cell, Document, Para, Row, Table
from generator.parse import sections, tables
from generator.parse.records import finance
from generator.parse.records.context import Context
from generator.parse.records.identity import units_rows


def _row(texts: list[str], where: str) -> Row:
    return Row(tuple(Cell(t, where) for t in texts), where)


def _table(title: str, rows: list[list[str]], page: str = "p7", unit: str = "单位：万元") -> list[Block]:
    return [Para(title, page), Para(unit, page), Table(tuple(_row(r, page) for r in rows), page)]


def _extract(*blocks: Block, year: int = 2026) -> dict[str, list[dict[str, Any]]]:
    doc = Document("d", "d.pdf", "sha", "pdf", "utf-8", tuple(blocks))
    secs = sections.document_to_sections(doc)
    grids = tables.sections_to_grids(doc, secs)
    return finance.extract(Context(doc=doc, year=year, unit="万元"), secs, grids)


def _totals(out: dict[str, list[dict[str, Any]]]) -> dict[str, Decimal]:
    return {r["metric"]: r["amount_wan"] for r in out["budget_totals"]}


@pytest.mark.parametrize(("title", "kind"), [
    # 陕西 部门综合预算 (corpus 31)
    ("部门综合预算一般公共预算支出明细表（按支出功能分类科目）", "gp_expenditure_table"),
    ("部门综合预算一般公共预算支出明细表（按支出经济分类科目）", "gp_economic_table"),
    ("部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）", "gp_basic_function_table"),
    ("部门综合预算一般公共预算基本支出明细表（按支出经济分类科目）", "gp_basic_table"),
    # 深圳 (07), 西南大学 (59), 江苏 表格册 (52)
    ("一般公共预算支出表（按功能分类）", "gp_expenditure_table"),
    ("一般公共预算支出表（按经济分类）", "gp_economic_table"),
    ("西南大学财政拨款支出预算表", "gp_expenditure_table"),
    ("财政拨款基本支出预算表", "gp_basic_table"),
    ("财政拨款收支预算总表", "fiscal_summary_table"),
])
def test_qualified_and_fiscal_captions(title, kind):
    assert sections.heading_kind(title) == kind


def test_the_general_budget_function_table_is_read_before_the_all_funds_one():
    # NOTE: 42 国家信访局: 2014003 机关服务 is 799.43 in 03表 (all funds) and 229.19 in 05表 (一般公共预算)
    out = _extract(
        *_table("支出决算表", [["科目代码", "科目名称", "本年支出合计", "基本支出", "项目支出"],
                              ["2014003", "机关服务", "799.43", "799.43", ""]], "p9"),
        *_table("一般公共预算财政拨款支出决算表", [["科目代码", "科目名称", "小计", "基本支出", "项目支出"],
                                          ["2014003", "机关服务", "229.19", "229.19", ""]], "p11"),
    )
    assert [(r["code"], r["total_wan"]) for r in out["expenditure_by_function"]] == [("2014003", Decimal("229.19"))]


def test_the_same_function_rows_under_two_captions_are_read_once():
    # NOTE: 52 江苏 表格册: 财政拨款支出预算表 p5 and 一般公共预算支出预算表 p7 print the same rows
    rows = [["", "功能科目编码", "功能科目名称", "金额"], ["", "2013101", "行政运行", "9,370.12"]]
    out = _extract(*_table("财政拨款支出预算表", rows, "p5"), *_table("一般公共预算支出预算表", rows, "p7"))
    assert [r["source_line"] for r in out["expenditure_by_function"]] == ["p5"]


def test_function_table_without_codes_gives_named_rows():
    # NOTE: 21 杭州 表5: indented names only, a two-line header and a '** 1 2 …' column-number row
    out = _extract(*_table("表5：2026年市级部门一般公共预算支出预算表", [
        ["功能分类科目名称", "合计", "基本支出", "", "", "项目支出"],
        ["", "", "小计", "人员经费", "日常公用支出", ""],
        ["**", "1", "2", "3", "4", "5"],
        ["合计", "370,219.25", "293,191.86", "246,458.22", "46,733.64", "77,027.38"],
        ["公共安全支出", "299,901.02", "262,703.20", "215,971.06", "46,732.14", "37,197.82"],
        ["行政运行", "260,448.73", "260,448.73", "214,442.42", "46,006.31", ""],
    ], "p26"))
    rows = [(r["code"], r["name"], r["total_wan"], r["basic_wan"], r["project_wan"]) for r in out["expenditure_by_function"]]
    assert rows == [(None, "合计", Decimal("370219.25"), Decimal("293191.86"), Decimal("77027.38")),
                    (None, "公共安全支出", Decimal("299901.02"), Decimal("262703.20"), Decimal("37197.82")),
                    (None, "行政运行", Decimal("260448.73"), Decimal("260448.73"), None)]


def test_basic_spending_printed_only_as_its_halves():
    # NOTE: 21 杭州 表3: 基本支出 spans 人员支出 | 日常公用支出, no 基本支出 subtotal column
    out = _extract(*_table("表3：2026年市级部门支出预算总表", [
        ["功能分类科目名称", "总计", "基本支出", "", "项目支出"],
        ["", "", "人员支出", "日常公用支出", ""],
        ["**", "1", "2", "3", "4"],
        ["合计", "404,415.23", "250,110.65", "47,792.58", "106,512.00"],
    ], "p23"))
    got = _totals(out)
    assert (got["basic_expenditure"], got["personnel_expenditure"], got["public_expenditure"]) == (
        Decimal("297903.23"), Decimal("250110.65"), Decimal("47792.58"))


def test_unit_name_row_is_the_total_row_of_the_expenditure_table():
    # NOTE: 07 深圳 表3 支出总表 p20: no 合计 label, the unit's own row carries the totals
    out = _extract(*_table("支出总表", [
        ["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出"],
        ["深圳市公安局（本级）", "", "", "204,397.58", "146,423.77", "57,973.81"],
        ["", "203", "国防支出", "124.14", "0.00", "124.14"],
    ], "p20"))
    assert _totals(out)["basic_expenditure"] == Decimal("146423.77")


def test_shaanxi_summary_labels_and_yuan():
    # NOTE: 31 陕西 表1 (元): 人员经费和公用经费支出 = 基本支出, 专项业务经费支出 = 项目支出
    out = _extract(*_table("部门综合预算收支总表", [
        ["项目", "预算数", "部门预算支出经济分类科目（按大类）", "预算数"],
        ["一、部门预算", "92,165,133.99", "一、部门预算", "92,165,133.99"],
        ["1、财政拨款", "92,165,133.99", "1、人员经费和公用经费支出", "64,662,533.99"],
        ["", "", "2、专项业务经费支出", "27,502,600.00"],
    ], "p20", "单位：元"))
    got = _totals(out)
    assert (got["basic_expenditure"], got["project_expenditure"]) == (Decimal("6466.253399"), Decimal("2750.26"))


def test_side_by_side_economic_blocks_and_half_totals():
    # NOTE: 42 国家信访局 06表 p12: three economic blocks on one line, totals under labels at the bottom
    out = _extract(*_table("一般公共预算财政拨款基本支出决算表", [
        ["科目代码", "科目名称", "决算数", "科目代码", "科目名称", "决算数", "科目代码", "科目名称", "决算数"],
        ["30103", "奖金", "143.61", "30203", "咨询费", "1.55", "310", "资本性支出", "27.24"],
        ["30302", "退休费", "257.54", "30217", "公务接待费", "0.90", "31019", "其他交通工具购置", ""],
        ["人员经费合计", "", "7,967.72", "公用经费合计", "", "", "", "", "2,266.65"],
    ], "p12"))
    eco = {r["code"]: r["total_wan"] for r in out["expenditure_by_economic"]}
    assert eco == {"30103": Decimal("143.61"), "30302": Decimal("257.54"), "30203": Decimal("1.55"),
                   "30217": Decimal("0.90"), "310": Decimal("27.24"), "31019": None}
    got = _totals(out)
    assert (got["personnel_expenditure"], got["public_expenditure"]) == (Decimal("7967.72"), Decimal("2266.65"))


def test_three_line_header_with_split_codes():
    # NOTE: 48 普陀区财政局 p15: '支出功能分类 … 科目名称 合计 基本支出 项目支出' / '科目编码' / '类 款 项'
    out = _extract(*_table("一般公共预算财政拨款支出决算表", [
        ["支出功能分类", "", "", "科目名称", "合计", "基本支出", "项目支出"],
        ["科目编码", "", "", "", "", "", ""],
        ["类", "款", "项", "", "", "", ""],
        ["201", "06", "01", "行政运行", "1,511.89", "1,503.52", "8.37"],
    ], "p15"))
    (row,) = out["expenditure_by_function"]
    assert (row["code"], row["basic_wan"]) == ("2010601", Decimal("1503.52"))


def test_bracketed_codes_under_an_economic_head():
    # NOTE: 12 广州信访局 表6 p12: '部门预算支出经济科目 | 预算', '[30217]公务接待费'
    out = _extract(*_table("一般公共预算基本支出情况表（按经济分类科目）", [
        ["部门预算支出经济科目", "预算"],
        ["合计", "3,204.78"],
        ["[301]工资福利支出", "2,577.42"],
        ["[30217]公务接待费", "2.30"],
    ], "p12"))
    eco = {r["code"]: r["total_wan"] for r in out["expenditure_by_economic"]}
    assert eco == {None: Decimal("3204.78"), "301": Decimal("2577.42"), "30217": Decimal("2.30")}


def test_three_public_reads_the_current_year_group():
    # NOTE: 31 陕西 表13 (元): 上年 | 当年 | 增减变化情况 groups on the line above the header
    head = ["合计", "小计", "因公出国（境）费用", "公务接待费"]
    out = _extract(*_table("部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表", [
        ["单位编码", "单位名称", "上年", "", "", "", "当年", "", "", "", "增减变化情况", "", "", ""],
        ["", "", *head, *head, *head],
        ["合计", "", "442,400.00", "40,000.00", "", "40,000.00", "402,400.00", "30,000.00", "", "30,000.00",
         "-182,400.00", "-10,000.00", "", "-10,000.00"],
    ], "p33", "单位：元"))
    got = {r["category"]: r["amount_wan"] for r in out["three_public"] if r["fiscal_year"] == 2026}
    assert (got["total"], got["reception"]) == (Decimal("3"), Decimal("3"))


def test_operating_expenses_itemised_by_economic_code():
    # NOTE: 17 苏州审计局 公开12表 p21
    out = _extract(*_table("一般公共预算机关运行经费支出预算表", [
        ["科目编码", "科目名称", "机关运行经费支出"],
        ["合计", "", "395.60"],
        ["30201", "办公费", "29.00"],
    ], "p21"))
    assert [(r["item"], r["amount_wan"]) for r in out["operating_expenses"]] == [("total", Decimal("395.60"))]


def test_units_listed_in_prose():
    # NOTE: 05 北京 附件1 说明 p4
    text = "北京市政务服务和数据管理局所属二级单位3个，即：北京市政务服务和数据管理局（本级）；北京市大数据中心；北京市政务服务中心。"
    doc = Document("d", "d.pdf", "sha", "pdf", "utf-8", (Para(text, "p4"),))
    assert [r["unit_name"] for r in units_rows(doc, [])] == ["北京市政务服务和数据管理局（本级）", "北京市大数据中心",
                                                             "北京市政务服务中心"]
    wrong = Document("d", "d.pdf", "sha", "pdf", "utf-8", (Para(text.replace("3个", "4个"), "p4"),))
    assert units_rows(wrong, []) == []


def _disclosure(*blocks: Block) -> dict[str, dict[str, Any]]:
    from generator.checks.disclosure import disclosure_items
    from generator.parse import outline

    doc = Document("d", "d.pdf", "sha", "pdf", "utf-8", tuple(blocks))
    rows, _ = disclosure_items(doc, {}, outline(doc))
    return {r["item"]: r for r in rows}


def test_empty_table_list_declares_tables_published_empty():
    """陕西 (corpus 31) p19: '报表 | 报表名称 | 是否空表 | 表格为空的理由'; 表9 is printed empty on p29."""
    listing = _table("部门综合预算公开空表说明", [
        ["报表", "报表名称", "是否空表", "表格为空的理由"],
        ["表1", "部门综合预算收支总表", "", ""],
        ["表9", "部门综合预算政府性基金收支表", "是", "不涉及"],
        ["表11", "部门综合预算国有资本经营预算支出表", "是", ""],
        ["表16", "专项资金总体绩效目标表", "是", "不涉及"],
    ], page="p19")
    empty_page = [Para("部门综合预算政府性基金收支表", "p29"), Para("单位：元", "p29")]
    got = _disclosure(*listing, *empty_page)
    fund = got["政府性基金预算财政拨款支出表"]
    assert (fund["present"], fund["source_line"], fund["empty_reason"]) == (True, "p29", "不涉及")
    soe = got["国有资本经营预算财政拨款支出表"]  # declared empty in the list only, no reason printed
    assert (soe["present"], soe["source_line"], soe["empty_reason"]) == (True, "p19", "空表")
    assert got["收支总表"]["empty_reason"] is None
    assert got["绩效目标"]["empty_reason"] in (None, "不涉及")  # only when no project table of its own is found


def test_empty_note_under_a_table_title():
    blocks = [Para("政府性基金预算支出表", "p9"), Para("注：本部门无政府性基金预算拨款收入，也没有使用政府性基金"
                                            "预算拨款安排的支出，故本表为空表。", "p9"),
              Para("国有资本经营预算支出表", "p10"), Table((_row(["项目", "金额"], "p10"),), "p10")]
    got = _disclosure(*blocks)
    assert got["政府性基金预算财政拨款支出表"]["empty_reason"].endswith("故本表为空表。")
    assert got["国有资本经营预算财政拨款支出表"]["empty_reason"] is None


@pytest.mark.parametrize(("rows", "want"), [
    # column groups: 年初预算数 (合计 | 基本支出 | 项目支出) then 决算数 (合计 | 基本支出 | 项目支出)
    ([["科目编码", "科目名称", "年初预算数", "", "", "决算数", "", ""],
      ["", "", "合计", "基本支出", "项目支出", "合计", "基本支出", "项目支出"],
      ["201", "一般公共服务支出", "100.00", "60", "40", "110.00", "70", "40"]],
     ("110.00", "70", "40", "100.00", None)),
    # one column each: 年初预算数 | 调整预算数 | 决算数
    ([["科目编码", "科目名称", "年初预算数", "调整预算数", "决算数"], ["201", "一般公共服务支出", "100.00", "120.00", "110.00"]],
     ("110.00", None, None, "100.00", "120.00")),
    # a table without budget columns is read as before
    ([["科目编码", "科目名称", "合计", "基本支出", "项目支出"], ["201", "一般公共服务支出", "110.00", "70", "40"]],
     ("110.00", "70", "40", None, None)),
])
def test_final_accounts_take_the_outcome_and_keep_the_budget(rows, want):
    """Issue 8: a 决算 row's amounts are its 决算数; 年初预算数 and 调整预算数 are kept where printed."""
    got = _extract(*_table("一般公共预算财政拨款支出决算表", rows), year=2024)["expenditure_by_function"]
    r = got[0]
    fields = ("total_wan", "basic_wan", "project_wan", "budget_initial_wan", "budget_adjusted_wan")
    assert tuple(None if r.get(f) is None else str(r[f]) for f in fields) == want
