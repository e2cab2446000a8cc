"""National table layouts: each named quirk on a small hand-made input built from what a corpus file
prints (the corpus itself is not needed)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from generator.model import Cell, Document, Para, Row, Table
from generator.parse import sections, tables
from generator.parse.records.context import Context
from generator.parse.records.totals import table_totals


def _row(texts: list[str], where: str = "p7") -> Row:
    return Row(tuple(Cell(t, where) for t in texts), where)


def _doc(*blocks) -> Document:
    return Document("d", "d.pdf", "sha", "pdf", "utf-8", tuple(blocks))


@pytest.mark.parametrize(("title", "kind"), [
    # 决算 books (corpus 40 佛山, 42 国家信访局, 48 普陀区财政局, 60 西南大学)
    ("收入支出决算总表", "summary_table"),
    ("表 1：高等学校收支决算总表", "summary_table"),
    ("收入决算表", "income_table"),
    ("表 3：高等学校支出决算表", "expenditure_table"),
    ("财政拨款收入支出决算总表", "fiscal_summary_table"),
    ("一般公共预算财政拨款支出决算表", "gp_expenditure_table"),
    ("表 4：高等学校财政拨款支出决算表", "gp_expenditure_table"),
    ("一般公共预算财政拨款基本支出决算表", "gp_basic_table"),
    ("政府性基金预算财政拨款收入支出决算表", "fund_table"),
    ("国有资本经营预算财政拨款支出决算表", "soe_table"),
    ("一般公共预算财政拨款“三公”经费支出决算表", "three_public_table"),
    # …总体情况表 naming (corpus 10 重庆水利局, 12 广州信访局)
    ("2026 年部门收支总体情况表", "summary_table"),
    ("收入总体情况表", "income_table"),
    ("本年支出总体情况表", "expenditure_table"),
    ("财政拨款收支总体情况表", "fiscal_summary_table"),
    # 收入预算表 / 支出预算表 without 总 (corpus 59 西南大学); 一般公共预算拨款… (corpus 26 福州)
    ("西南大学收入预算表", "income_table"),
    ("西南大学支出预算表", "expenditure_table"),
    ("2026 年度一般公共预算拨款支出预算表", "gp_expenditure_table"),
    ("“三公”经费、会议费、培训费支出预算表", "three_public_table"),
    ("十二、政府采购支出预算表", "procurement"),
    ("部门预算项目支出及其他支出预算表", None),
    # unchanged: prose headings and the budget twins
    ("一、收支预算总体情况", "overall"),
    ("国有资本经营预算支出预算表", "soe_table"),
    ("收支总表", "summary_table"),
])
def test_final_accounts_and_overall_situation_captions(title, kind):
    assert sections.heading_kind(title) == kind


def test_line_number_column_skipped_in_final_accounts_summary():
    # NOTE: 42 国家信访局 收入支出决算总表 p7: 项目 | 行次 | 金额 on both halves
    doc = _doc(
        Para("收入支出决算总表", "p7"),
        Para("单位：万元", "p7"),
        Table((
            _row(["项目", "行次", "金额", "项目", "行次", "金额"]),
            _row(["一、一般公共预算财政拨款收入", "1", "19,572.91", "一、一般公共服务支出", "32", "10,685.56"]),
            _row(["七、其他收入", "8", "878.44", "", "", ""]),
            _row(["年初结转和结余", "28", "1,615.24", "年末结转和结余", "61", "7,494.06"]),
            _row(["总计", "30", "22,066.59", "总计", "63", "22,066.59"]),
        ), "p7"),
    )
    secs = sections.document_to_sections(doc)
    grids = tables.sections_to_grids(doc, secs)
    ctx = Context(doc=doc, year=2024, unit="万元")
    got = {k: v for k, (v, _) in table_totals(ctx, secs, grids).items()}
    assert got["general_budget_income"] == Decimal("19572.91")
    assert got["other_income"] == Decimal("878.44")
    assert got["carryover_income"] == Decimal("1615.24")


def test_two_line_final_accounts_header_names_code_column():
    # NOTE: 42 收入决算表 p8: '项目 | | 本年收入合计 | 财政拨款收入 …' over '科目代码 | 科目名称'
    doc = _doc(
        Para("收入决算表", "p8"),
        Table((
            _row(["项目", "", "本年收入合计", "财政拨款收入", "其他收入"], "p8"),
            _row(["科目代码", "科目名称", "", "", ""], "p8"),
            _row(["合计", "", "20,451.35", "19,572.91", "878.44"], "p8"),
            _row(["201", "一般公共服务支出", "16,770.89", "15,892.45", "878.44"], "p8"),
        ), "p8"),
    )
    secs = sections.document_to_sections(doc)
    (g,) = tables.sections_to_grids(doc, secs)
    assert g.kind == "income_table"
    assert g.header[:3] == ("科目代码", "科目名称", "本年收入合计")
    assert [r.texts[0] for r in g.rows] == ["合计", "201"]


def test_title_printed_inside_the_table_frame_becomes_the_section():
    # NOTE: 04 Beijing 附件2 报表 p15: '预算09表 财政拨款“三公”经费支出表' and '金额单位：万元' are table rows
    doc = _doc(Table((
        _row(["", "预算09表 财政拨款“三公”经费支出表", "", ""], "p15"),
        _row(["", "", "", "金额单位：万元"], "p15"),
        _row(["", "“三公”经费财政拨款预算总额", "因公出国（境）费用", "公务接待费"], "p15"),
        _row(["", "80.109836", "51.300000", "7.249836"], "p15"),
    ), "p15"))
    secs = sections.document_to_sections(doc)
    assert [(s.kind, s.title) for s in secs] == [("three_public_table", "预算09表 财政拨款“三公”经费支出表")]
    paras = [b.text for b in secs[0].blocks if isinstance(b, Para)]
    assert paras == ["金额单位：万元"]
    (t,) = [b for b in secs[0].blocks if isinstance(b, Table)]
    assert len(t.rows) == 2


def test_toc_table_row_is_not_lifted_as_a_caption():
    doc = _doc(Table((_row(["机构设置"], "3"), _row(["主要职能"], "4")), "3"))
    assert [s.kind for s in sections.document_to_sections(doc)] == ["front"]


def test_continuation_page_that_drops_the_blank_first_column_is_realigned():
    # NOTE: 04 支出总表: p3 has a blank first column, pages 4-6 (and their 合计 row) do not
    head = ["", "支出功能分类科目", "合计", "基本支出", "项目支出"]
    doc = _doc(
        Para("支出总表", "p3"),
        Table((_row(head, "p3"), _row(["", "2010301-行政运行", "1.00", "1.00", ""], "p3")), "p3"),
        Table((_row(head[1:], "p6"), _row(["合计", "3.00", "1.00", "2.00"], "p6")), "p6"),
    )
    secs = sections.document_to_sections(doc)
    (g,) = tables.sections_to_grids(doc, secs)
    assert g.rows[-1].texts == ["", "合计", "3.00", "1.00", "2.00"]


def _three_public(rows: list[list[str]], title: str = "一般公共预算“三公”经费预算表", year: int = 2026):
    from generator.parse.records.three_public import horizontal_three_public, three_public_rows

    doc = _doc(Para(title, "p29"), Para("单位：万元", "p29"), Table(tuple(_row(r, "p29") for r in rows), "p29"))
    secs = sections.document_to_sections(doc)
    grids = tables.sections_to_grids(doc, secs)
    ctx = Context(doc=doc, year=year, unit="万元")
    horizontal = {i: horizontal_three_public(ctx, secs, g) for i, g in enumerate(grids)}
    return {(r["fiscal_year"], r["category"]): r["amount_wan"] for r in three_public_rows(ctx, secs, grids, horizontal)}


def test_three_public_column_number_row_is_not_the_figures():
    # NOTE: 21 杭州 表7: '** 1 2 3 4 5 6' under the header, then 合计
    got = _three_public([
        ["单位名称", "“三公”经费合计", "因公出国(境)费用", "公务用车购置及运行费", "", "", "公务接待费"],
        ["", "", "", "小计", "公务用车购置费", "公务用车运行维护费", ""],
        ["**", "1", "2", "3", "4", "5", "6"],
        ["合计", "4,112.82", "", "4,011.89", "1,024.69", "2,987.20", "100.93"],
    ])
    assert got[(2026, "total")] == Decimal("4112.82")
    assert got[(2026, "overseas_travel")] is None
    assert got[(2026, "reception")] == Decimal("100.93")


def test_three_public_row_of_the_document_year():
    # NOTE: 07 深圳 p37: 2025年 / 2026年 / 增减变化金额 rows
    got = _three_public([
        ["预算单位", "年度", "总计", "因公出国(境)费", "公务接待费", "公务用车购置及运行维护费"],
        ["某局", "2025年", "3,092.26", "0.00", "54.71", "3,037.55"],
        ["", "2026年", "3,086.94", "123.85", "52.99", "2,910.10"],
        ["", "增减变化金额", "-5.32", "123.85", "-1.72", "-127.45"],
    ])
    assert got[(2026, "total")] == Decimal("3086.94")
    assert got[(2026, "reception")] == Decimal("52.99")


def test_vertical_three_public_under_budget_column():
    # NOTE: 26 福州 p21: '项目 | 预算数', one category per row
    got = _three_public([
        ["项目", "预算数"], ["合计", "5.00"], ["1、因公出国（境）费用", "0.00"], ["2、公务接待费", "5.00"],
        ["3、公务用车购置及运行费", "0.00"],
    ], title="2026 年度一般公共预算“三公”经费支出预算表")
    assert got[(2026, "total")] == Decimal("5.00")
    assert got[(2026, "reception")] == Decimal("5.00")
    assert got[(2026, "vehicle_total")] == Decimal("0.00")


def test_final_accounts_three_public_keeps_budget_beside_final_figure():
    # NOTE: 42 国家信访局 公开09表 p15: 预算数 (6 columns) | 决算数 (6 columns)
    from generator.parse.records.three_public import horizontal_three_public, three_public_rows

    rows = [
        ["预算数", "", "", "", "", "", "决算数", "", "", "", "", ""],
        ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费",
         "合计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费"],
        ["", "", "小计", "公务用车购置费", "公务用车运行维护费", "", "", "", "小计", "公务用车购置费", "公务用车运行维护费", ""],
        ["76.43", "30.00", "40.63", "", "40.63", "5.80", "46.21", "4.69", "40.61", "", "40.61", "0.90"],
    ]
    doc = _doc(Para("一般公共预算财政拨款“三公”经费支出决算表", "p15"), Table(tuple(_row(r, "p15") for r in rows), "p15"))
    secs = sections.document_to_sections(doc)
    grids = tables.sections_to_grids(doc, secs)
    ctx = Context(doc=doc, year=2024, unit="万元")
    horizontal = {i: horizontal_three_public(ctx, secs, g) for i, g in enumerate(grids)}
    got = {r["category"]: r for r in three_public_rows(ctx, secs, grids, horizontal)}
    assert got["total"]["amount_wan"] == Decimal("46.21") and got["total"]["budget_wan"] == Decimal("76.43")
    assert got["reception"]["amount_wan"] == Decimal("0.90") and got["reception"]["budget_wan"] == Decimal("5.80")


def _summary_totals(kind_title: str, rows: list[list[str]]) -> dict[str, Decimal]:
    doc = _doc(Para(kind_title, "p8"), Table(tuple(_row(r, "p8") for r in rows), "p8"))
    secs = sections.document_to_sections(doc)
    grids = tables.sections_to_grids(doc, secs)
    return {k: v for k, (v, _) in table_totals(Context(doc=doc, year=2023, unit="万元"), secs, grids).items()}


def test_final_accounts_grand_total_labelled_heji_and_sub_items():
    # NOTE: 60 西南大学 表1 p8-9: '其中：政府性基金预算财政拨款', grand total '合计' on the last row
    got = _summary_totals("表 1：高等学校收支决算总表", [
        ["项目", "决算数", "项目(按功能分类)", "决算数"],
        ["一、财政拨款收入", "243,015.38", "一、一般公共服务支出", ""],
        ["其中：政府性基金预算财政拨款", "109.50", "二、外交支出", ""],
        ["本年收入合计", "430,725.03", "本年支出合计", "457,676.75"],
        ["合计", "569,496.54", "合计", "569,496.54"],
    ])
    assert got["fiscal_income"] == Decimal("243015.38")
    assert got["gov_fund_income"] == Decimal("109.50")
    assert got["income_total"] == Decimal("569496.54")


def test_fiscal_summary_gives_fund_lines_and_fiscal_income_only():
    # NOTE: 12 广州信访局 财政拨款收支总体情况表 p9: its 收入总计 is the fiscal income, never the document's total
    got = _summary_totals("财政拨款收支总体情况表", [
        ["项目", "预算", "项目", "预算"],
        ["一、一般公共预算", "3,944.08", "一、一般公共服务支出", "2,570.71"],
        ["收入总计", "3,944.08", "支出总计", "3,944.08"],
    ])
    assert got == {"general_budget_income": Decimal("3944.08"), "fiscal_income": Decimal("3944.08")}


def test_fiscal_income_from_the_fiscal_summary_is_the_year_income():
    # NOTE: 41 国家信访局 财政拨款收支总表 p9: 本年收入 16,474.82 + 上年结转 2,254.12 = 收入总计 18,728.94; the
    # carryover is its own metric, so the fiscal income is the year's
    got = _summary_totals("财政拨款收支总表", [
        ["项目", "预算数", "项目", "预算数"],
        ["一、本年收入", "16,474.82", "一、本年支出", "18,728.94"],
        ["二、上年结转", "2,254.12", "", ""],
        ["收入总计", "18,728.94", "支出总计", "18,728.94"],
    ])
    assert got["fiscal_income"] == Decimal("16474.82")


def test_summary_grand_total_printed_as_the_first_row():
    # NOTE: 10 重庆水利局 部门收支总体情况表 p12 prints '合计' above the items
    got = _summary_totals("部门收支总体情况表", [
        ["项目", "预算数", "项目", "预算数"],
        ["合计", "186,549.30", "合计", "186,549.30"],
        ["一、一般公共预算资金", "128,148.56", "一、一般公共服务支出", "59.56"],
    ])
    assert got["income_total"] == got["expenditure_total"] == Decimal("186549.30")


def test_caption_glued_to_unit_and_table_text_in_one_cell():
    # NOTE: 52 江苏 表格册 p7: caption, 部门 and 单位 (and the flattened table) in the first cell
    doc = _doc(Table((
        _row(["一般公共预算支出预算表（功能科目）部门：中共江苏省委办公厅 单位：万元功能科目编码 功能科目名称 金额合计27,664.22",
              "", "", ""], "p7"),
        _row(["", "功能科目编码", "功能科目名称", "金额"], "p7"),
        _row(["", "合计", "", "27,664.22"], "p7"),
        _row(["", "201", "一般公共服务支出", "22,395.50"], "p7"),
    ), "p7"))
    secs = sections.document_to_sections(doc)
    assert [(s.kind, s.title) for s in secs] == [("gp_expenditure_table", "一般公共预算支出预算表")]
    assert [b.text for b in secs[0].blocks if isinstance(b, Para)] == ["部门：中共江苏省委办公厅单位：万元"]
