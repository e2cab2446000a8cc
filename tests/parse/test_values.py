"""Pure value parsers: unit cases pinned to the seed lines that forced them, and
hypothesis round trips for the amount, code and target parsers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.values import (
    function_level,
    parse_amount,
    parse_code,
    parse_date,
    parse_percent,
    parse_target,
    try_amount,
    yuan_to_wan,
)


def test_ocr_space_inside_number():
    # 002 line 41: '198. 30'
    assert parse_amount("198. 30") == Decimal("198.30")
    assert parse_amount("738. 05") == Decimal("738.05")


def test_thousands_separators_and_fullwidth_digits():
    assert parse_amount("1,234,567.89") == Decimal("1234567.89")
    assert parse_amount("１２.５") == Decimal("12.5")


def test_empty_cell_is_none_but_zero_is_zero():
    # 000 line 72: a cell holding one space is empty, never 0
    assert parse_amount(" ") is None
    assert parse_amount("") is None
    assert parse_amount("——") is None
    assert parse_amount("0") == Decimal("0")


def test_not_an_amount_raises():
    with pytest.raises(ValueError):
        parse_amount("合计")
    assert try_amount("合计") is None


def test_yuan_to_wan_is_exact():
    # 001 line 193: 882377元 = 88.2377万元
    assert yuan_to_wan(Decimal("882377")) == Decimal("88.2377")
    assert yuan_to_wan(Decimal("283080.9")) == Decimal("28.30809")


def test_code_digits_kept_without_spaces():
    assert parse_code("201 13 01") == "2011301"
    assert parse_code("合计") is None
    assert function_level("201") == 1 and function_level("20103") == 2 and function_level("2010306") == 3


def test_percent_cells():
    # 001 line 347 '25.00%'; 000 line 168 '25.00'; 004 line 86 '25%'
    assert parse_percent("25.00%") == Decimal("25.00")
    assert parse_percent("25.00") == Decimal("25.00")
    assert parse_percent("") is None


def test_dates():
    assert parse_date("截止时间：2021年12月31日") == date(2021, 12, 31)
    assert parse_date("截止时间: 2022-12-31") == date(2022, 12, 31)
    assert parse_date("截止于2019年底") == date(2019, 12, 31)


@pytest.mark.parametrize(
    "raw, comparator, num, unit",
    [
        ("≥95%", ">=", "95", "%"),  # 000 line 231
        ("＞90", ">", "90", None),  # 000 line 388, full-width sign
        ("≤0.97万元", "<=", "0.97", "万元"),  # 002 line 475
        ("100%以上", ">=", "100", "%"),  # 001 line 374: 以上 includes the number
        ("不超过3人", "<=", "3", "人"),  # 001 line 539
        ("5次以下", "<=", "5", "次"),  # 001 line 367
        ("2次以内", "<=", "2", "次"),  # 001 line 632
        ("10日之前", "<", "10", "日"),  # 001 line 553
        ("1电视台调入人员数量1人", "=", "1", "人"),  # 003 line 301
        ("≥98经费质量合格百分率", ">=", "98", "%"),  # 003 line 308
        ("12.56经费总成本12.56万元", "=", "12.56", "万元"),  # 003 line 322
        ("≥95质量指标", ">=", "95", None),  # 003 line 2288
        ("≥1200 ↑", ">=", "1200", "个"),  # 002 line 470: OCR '↑' for 个
        ("≪4 万元", "<=", "4", "万元"),  # 002 line 526: OCR '≪' for ≤
        ("<300 元/家", "<", "300", "元/家"),  # 002 line 562
        ("≥100 百分比", ">=", "100", "%"),  # 002 line 671
        ("1770平方米", "=", "1770", "平方米"),  # 000 line 367
        ("至少达到 90%", ">=", "90", "%"),  # 002 line 436
    ],
)
def test_indicator_targets(raw, comparator, num, unit):
    t = parse_target(raw)
    assert (t.comparator, t.num, t.unit) == (comparator, Decimal(num), unit)


@pytest.mark.parametrize("raw", ["按规定时间发放", "2023 年底前", "2020 年底前", "合格", "当日办结", "每日两人次以上", ""])
def test_text_targets_have_no_number(raw):
    # 000 line 210; 002 lines 500/672 (a year is a date, not a quantity); 001 lines 1055, 1413, 2091
    t = parse_target(raw)
    assert (t.comparator, t.num, t.unit) == (None, None, None)


amounts = st.decimals(min_value=Decimal("-99999999"), max_value=Decimal("99999999"), places=2, allow_nan=False)


@given(amounts)
def test_amount_round_trip(d):
    assert parse_amount(format(d, "f")) == d


@given(amounts)
def test_amount_with_thousands_separators(d):
    assert parse_amount(f"{d:,f}") == d


@given(amounts.filter(lambda d: d >= 0))
def test_amount_with_ocr_space_after_point(d):
    s = format(d, "f")
    assert parse_amount(s.replace(".", ". ")) == d


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False))
def test_yuan_to_wan_round_trip(d):
    assert yuan_to_wan(d) * 10000 == d


@given(st.lists(st.integers(0, 9), min_size=3, max_size=7), st.lists(st.sampled_from([" ", ""]), min_size=7, max_size=7))
def test_code_spaces_removed(digits, seps):
    raw = "".join(f"{d}{s}" for d, s in zip(digits, seps, strict=False))
    assert parse_code(raw) == "".join(map(str, digits))


@given(st.sampled_from(["≥", "≤", ">", "<", "=", "＞", "＜"]), amounts.filter(lambda d: d >= 0),
       st.sampled_from(["%", "人", "万元", "次", "个", "平方米", ""]))
def test_target_round_trip(sign, d, unit):
    t = parse_target(f"{sign}{format(d, 'f')}{unit}")
    expected = {"≥": ">=", "≤": "<=", ">": ">", "<": "<", "=": "=", "＞": ">", "＜": "<"}[sign]
    assert t.comparator == expected
    assert t.num == d
    assert t.unit == (unit or None)


@given(st.text(max_size=40))
def test_target_never_crashes(s):
    parse_target(s)
    try_amount(s)
    parse_date(s)


def test_stated_unit():
    # Shanghai p8 '编制部门：… 单位：元', p20 '单位:万元'; 000 line 3369 '价值（金额单位：万元）'
    from generator.values import stated_unit

    assert stated_unit("编制部门：上海市普陀区人民政府办公室 单位：元") == "元"
    assert stated_unit("单位:万元") == "万元"
    assert stated_unit("价值（金额单位：万元）") == "万元"
    assert stated_unit("单位名称") is None
