"""Project and indicator layouts of the corpus (issue 8): each on a small hand-made input built from what
a corpus file prints (the corpus itself is not needed)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from generator.model import Cell, Document, Para, Row, Table
from generator.parse import sections, tables
from generator.parse.records import projects
from generator.parse.records.context import Context
from generator.parse.records.indicators import packed_indicators


def _row(texts: list[str], where: str = "p1") -> Row:
    return Row(tuple(Cell(t, where) for t in texts), where)


def _table(rows: list[list[str]], where: str = "p1") -> Table:
    return Table(tuple(_row(r, where) for r in rows), where)


def _extract(*blocks, unit: str = "万元") -> dict[str, list[dict[str, Any]]]:
    doc = Document("d", "d.pdf", "sha", "pdf", "utf-8", tuple(blocks))
    secs = sections.document_to_sections(doc)
    return projects.extract(Context(doc, 2026, unit), secs, tables.sections_to_grids(doc, secs))


PACKED = ("1、1-产出指标；11-数量指标；会议活动保障次数；实施周期指标值:每年≥20场；年度指标值:每年≥20场。"
          "2、3-满意度指标；31-服务对象满意度；线下培训效果评价；实施周期指标值:≥4.5分；年度指标值:≥4.5分。"
          "3\n、4-成本指标；4 1 - 经 济 成本指标；资金使用合规率；实施周期指标值:100%；年度指标值:100%。")


def test_guangzhou_list_with_group_rows_and_packed_indicators():
    # NOTE: corpus 15: one row per project, 资金使用单位 subtotal rows have no goal and no indicators
    out = _extract(_table([
        ["项目名称（资金使用单位）", "总计", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标"],
        ["合计", "1,491.47", "1,491.47", "", "", "", ""],
        ["广州市政务服务和数据管理局", "1,491.47", "1,491.47", "", "", "", ""],
        ["穗智管运营服务项目", "1,391.47", "1,391.47", "", "", "实现多维度工作目标", PACKED],
        ["工作经费", "100.00", "100.00", "", "", "保障运转", ""],
    ]))
    ps = out["projects"]
    assert [(p["project_seq"], p["project_name"], p["budget_wan"], p["fiscal_wan"]) for p in ps] == [
        (1, "穗智管运营服务项目", Decimal("1391.47"), Decimal("1391.47")), (2, "工作经费", Decimal("100.00"), Decimal("100.00"))]
    assert ps[0]["unit_name"] == "广州市政务服务和数据管理局"
    inds = out["indicators"]
    assert [(i["level1"], i["level2"], i["level3"], i["comparator"], i["value_num"]) for i in inds] == [
        ("产出指标", "数量指标", "会议活动保障次数", ">=", Decimal("20")),
        ("满意度指标", "服务对象满意度", "线下培训效果评价", ">=", Decimal("4.5")),
        ("成本指标", "经济成本指标", "资金使用合规率", "=", Decimal("100")),
    ]


def test_packed_indicator_without_value_is_skipped():
    ctx = Context(Document("d", "d.pdf", "sha", "pdf", "utf-8", ()), 2026, "万元")
    assert packed_indicators(ctx, "1、产出指标；没有指标值的一段话。", 1, "p1") == []


def test_list_printed_twice_keeps_the_one_with_goals():
    # NOTE: corpus 21: 表10 (amounts by fund, 单位名称) and 表11 (amount and 绩效目标) list the same projects
    out = _extract(
        _table([["单位名称", "项目名称", "总计", "财政拨款收入", "单位资金"],
                ["", "", "", "一般公共预算", ""],
                ["", "合计", "6,200.00", "3,300.00", "2,900.00"],
                ["杭州市公安局", "执法办案", "6,192.04", "3,304.88", "2,887.16"]], "p32"),
        _table([["单位名称", "项目名称", "金额", "绩效目标"],
                ["杭州市公安局", "执法办案", "6,192.04", "打击违法犯罪"],
                ["", "", "", "，为经济社会发展服务"]], "p34"),
    )
    ps = out["projects"]
    assert len(ps) == 1
    assert (ps[0]["budget_wan"], ps[0]["unit_name"], ps[0]["goal"]) == (Decimal("6192.04"), "杭州市公安局",
                                                                        "打击违法犯罪，为经济社会发展服务")


def test_row_labels_headed_project_name_are_not_a_project_list():
    # NOTE: corpus 52 收支总表 '项目名称 | 金额'
    out = _extract(Para("收支预算总表", "p1"), _table([["项目名称", "金额", "项目名称", "金额"],
                                                     ["一、财政拨款", "27,664.22", "一、基本支出", "11,700.63"]]))
    assert out["projects"] == []


def test_beijing_long_table_one_row_per_indicator():
    # NOTE: corpus 04 预算表12: the project's cells on its first row, one indicator per row
    head = ["", "项目名称", "项目总额", "其中：", "", "绩效目标", "一级指标", "二级指标", "三级指标", "绩效指标性质",
            "本年绩效指标值", "绩效度量单位"]
    out = _extract(Para("预算表12 项目支出绩效目标表", "p20"), Para("金额单位：万元", "p20"), _table([
        head,
        ["", "", "", "财政资金", "其他资金", "", "", "", "", "", "", ""],
        ["", "11000022T000000438666-《北京市人民政府公报》制作发行服务", "61.221600", "61.221600", "", "1.通过完成",
         "", "", "", "", "", ""],
        ["", "", "", "", "", "", "成本指标", "经济成本指标", "单册公报成本控制", "≤", "8", "元"],
        ["", "", "", "", "", "", "产出指标", "数量指标", "每年发行公报册数", "＝", "7.32", "万册"],
        ["", "", "", "", "", "", "产出指标", "时效指标", "年度工作验收时间", "定性", "11月底前", ""],
    ], "p20"), _table([
        head,
        ["", "11000022T000000444641-北京市中介服务网上交易平台运维服务", "55.350000", "55.350000", "", "通过开展",
         "", "", "", "", "", ""],
        ["", "", "", "", "", "", "产出指标", "时效指标", "平台运维保障时长", "＝", "12", "月"],
    ], "p21"))
    ps = out["projects"]
    assert [(p["project_code"], p["project_name"], p["budget_wan"], p["fiscal_wan"]) for p in ps] == [
        ("11000022T000000438666", "《北京市人民政府公报》制作发行服务", Decimal("61.221600"), Decimal("61.221600")),
        ("11000022T000000444641", "北京市中介服务网上交易平台运维服务", Decimal("55.350000"), Decimal("55.350000"))]
    inds = out["indicators"]
    assert [(i["project_seq"], i["indicator_seq"], i["level3"], i["value_raw"]) for i in inds] == [
        (1, 1, "单册公报成本控制", "≤8元"), (1, 2, "每年发行公报册数", "＝7.32万册"),
        (1, 3, "年度工作验收时间", "11月底前"),  # 定性: the sign column holds a word, the value is text
        (2, 1, "平台运维保障时长", "＝12月"),
    ]
    assert [(i["comparator"], i["value_num"], i["value_unit"]) for i in inds[:2]] == [
        ("<=", Decimal("8"), "元"), ("=", Decimal("7.32"), "万册")]


def _national(name: str, budget: str, rows: list[list[str]], where: str) -> Table:
    return _table([
        ["项目名称", "", name, "", "", "", ""],
        ["项目资金（万元）", "", "年度资金总额：", "", budget, "", "执行率分值（10）"],
        ["", "", "其中：财政拨款", "", budget, "", ""],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "", "指标值", "分值（90）"],
        *rows,
    ], where)


def test_two_project_tables_in_one_section_split_at_project_name_and_unit_code_stripped():
    # NOTE: corpus 59: a wrapped title is no heading, so the next table runs on in the section before it;
    # every name starts with the unit code 236; the label column leads the indicator columns
    out = _extract(
        Para("236 中央高校教育教学改革专项绩效目标表", "p16"),
        _national("236中央高校教育教学改革专项", "2112.76", [
            ["", "产出指标", "数量指标", "建设一流本科课程数", "", "20门", "5"],
            ["", "", "", "新增在线课程建设数量", "", "20门", "5"]], "p16"),
        # a page that continues the table drops the label and blank columns
        _table([["", "质量指标", "学生参加竞赛获奖数量", "20人次", "5"]], "p17"),
        Para("（五）236 中央高校建设世界一流大学（学科）和特色发展", "p20"),
        Para("引导专项", "p20"),
        _national("236中央高校建设世界一流大学（学科）和特色发展引导专项", "8060.00", [
            ["", "产出指标", "数量指标", "师生参加国际交流活动", "", "100人次", "4"]], "p20"),
    )
    ps = out["projects"]
    assert [(p["project_name"], p["budget_wan"], p["fiscal_wan"], p["unit_code"]) for p in ps] == [
        ("中央高校教育教学改革专项", Decimal("2112.76"), Decimal("2112.76"), "236"),
        ("中央高校建设世界一流大学（学科）和特色发展引导专项", Decimal("8060.00"), Decimal("8060.00"), "236")]
    assert "引导专项" not in (ps[0]["goal"] or "")
    inds = out["indicators"]
    assert [(i["project_seq"], i["level1"], i["level2"], i["level3"], i["value_num"]) for i in inds] == [
        (1, "产出指标", "数量指标", "建设一流本科课程数", Decimal("20")),
        (1, "产出指标", "数量指标", "新增在线课程建设数量", Decimal("20")),
        (1, "产出指标", "质量指标", "学生参加竞赛获奖数量", Decimal("20")),
        (2, "产出指标", "数量指标", "师生参加国际交流活动", Decimal("100")),
    ]


def test_a_year_in_front_of_every_name_is_not_a_unit_code():
    ps = [{"project_name": "2026年医疗服务补助资金", "unit_code": None},
          {"project_name": "2026年综合工作经费", "unit_code": None}]
    projects.strip_unit_code(ps)
    assert [p["project_name"] for p in ps] == ["2026年医疗服务补助资金", "2026年综合工作经费"]


def test_name_wrapped_onto_the_next_page_and_wan_label_in_a_yuan_document():
    # NOTE: corpus 26 p26-27 (name split by the page break); corpus 31 (tables in 元, project money '（万元）')
    out = _extract(
        Para("2026 年医疗服务与保障能力提升补助资金项目绩效目标表", "p26"),
        _table([["项目名称", "2026 年医疗服务与保障能力提升补助资"]], "p26"),
        _table([["", "金", "", "", ""],
                ["资金金额（万元）", "资金总额", "", "745.00", ""],
                ["", "财政拨款", "", "745.00", ""],
                ["绩效目标指标", "一级指标", "二级指标", "三级指标", "指标值"],
                ["", "成本指标", "社会成本指标", "行政处罚案件完成及时率", "≥90%"]], "p27"),
        unit="元")
    p = out["projects"][0]
    assert (p["project_name"], p["budget_wan"], p["fiscal_wan"]) == (
        "2026 年医疗服务与保障能力提升补助资金", Decimal("745.00"), Decimal("745.00"))
    assert [(i["level1"], i["level3"], i["comparator"]) for i in out["indicators"]] == [
        ("成本指标", "行政处罚案件完成及时率", ">=")]


def test_department_wide_targets_are_indicators_without_a_project():
    # NOTE: corpus 31 表15 / 04 预算13表 部门整体支出绩效目标表
    out = _extract(
        Para("部门整体支出绩效目标表", "p43"),
        _table([["部门（单位）名称", "", "", "西安市人民政府办公厅", "", ""],
                ["年度绩效指标", "一级指标", "二级指标", "三级指标", "", "指标值"],
                ["", "成本指标", "经济成本", "驻外办保障成本（万元）", "", "≤696.1"]], "p43"))
    assert out["projects"] == []
    assert [(i["project_seq"], i["level3"], i["value_num"]) for i in out["indicators"]] == [
        (None, "驻外办保障成本（万元）", Decimal("696.1"))]


def test_final_accounts_self_evaluation_budget_is_the_full_year_column():
    # NOTE: corpus 42 项目绩效自评表: 年初预算数 | 全年预算数 | 全年执行数
    assert sections.heading_kind("信访干部培训专项项目绩效自评表") == "project_table"
    out = _extract(
        Para("信访干部培训专项项目绩效自评表", "p30"),
        _table([["项目名称", "", "信访干部培训专项", "", "", "", ""],
                ["项目资金（万元）", "", "", "", "年初预算数", "全年预算数", "全年执行数"],
                ["", "", "年度资金总额：", "", "180.61", "180.03", "180.03"],
                ["", "", "其中：财政拨款", "", "140.61", "140.61", "140.61"],
                ["绩效指标", "一级指标", "二级指标", "三级指标", "", "年度指标值", "实际完成值"],
                ["", "产出指标", "数量指标", "培训人数", "", "≥300人", "366人"]], "p30"))
    p = out["projects"][0]
    assert (p["project_name"], p["budget_wan"], p["fiscal_wan"]) == ("信访干部培训专项", Decimal("180.03"), Decimal("140.61"))
    assert [(i["level3"], i["value_num"]) for i in out["indicators"]] == [("培训人数", Decimal("300"))]


def test_a_heading_that_names_no_project_is_not_one():
    # NOTE: corpus 42 p45 '（二）项目绩效目标' in an evaluation report, followed by its 指标表
    out = _extract(
        Para("（二）项目绩效目标", "p45"), Para("一是确保信访信息系统稳定运行。", "p45"),
        _table([["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "维护设备数", "≥330台"]], "p46"))
    assert out["projects"] == []


def test_revenue_and_expenditure_explanations_are_overall_sections():
    # NOTE: corpus 05 (OCR) '二、收入预算情况说明'
    assert sections.heading_kind("二、收入预算情况说明") == "overall"
    assert sections.heading_kind("三、支出预算情况说明") == "overall"


def test_chongqing_tables_with_named_indicators_and_department_targets():
    # NOTE: corpus 10 表十 (部门整体, no project), 表十一 '…绩效目标表（一级项目）' with '当年预算' and
    # '指标名称 | 指标性质 | 指标值 | 计量单位' (no 一级/二级指标)
    named = ["绩效指标", "指标名称", "指标性质", "指标值", "计量单位", "指标权重(%)", "是否核心"]
    out = _extract(
        Para("2026 年部门整体绩效目标表", "p30"),
        _table([["当年整体绩效目标", "", "", "", "", "", ""], named,
                ["", "续建大中型水库", "≥", "27", "座", "20", "是"]], "p30"),
        Para("2026 年市级重点专项资金绩效目标表（一级项目）", "p31"), Para("单位：万元", "p31"),
        _table([["项目名称", "水库移民后期扶持", "", "主管部门", "重庆市水利局", "", ""],
                ["当年预算", "12,700.00", "", "市级支出", "", "", ""],
                ["当年绩效目标", "年度资金实施项目覆盖区县30个以上", "", "", "", "", ""], named,
                ["", "完工项目验收率", "≥", "90", "%", "20", "是"],
                ["", "年度预算执行率", "=", "100", "%", "10", "否"]], "p31"))
    p = out["projects"][0]
    assert (p["project_name"], p["budget_wan"], p["goal"]) == ("水库移民后期扶持", Decimal("12700.00"),
                                                               "年度资金实施项目覆盖区县30个以上")
    assert [(i["project_seq"], i["level3"], i["comparator"], i["value_num"], i["value_unit"]) for i in out["indicators"]] == [
        (None, "续建大中型水库", ">=", Decimal("27"), "座"),
        (1, "完工项目验收率", ">=", Decimal("90"), "%"),
        (1, "年度预算执行率", "=", Decimal("100"), "%"),
    ]
