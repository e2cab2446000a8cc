"""Pure parsers for the values printed in budget disclosures: amounts, codes, dates,
percentages and performance-indicator targets. No I/O, no knowledge of documents."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

# NOTE: seed 002 (OCR of a PDF) prints "198. 30" (space after the point), "≪" for "≤"
# and "↑" for the measure word "个". Full-width digits and signs occur in Word files.
OCR_GLYPHS = {"≪": "≤", "≫": "≥", "↑": "个"}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋％＜＞＝", "0123456789.,-+%<>=")
_FULLWIDTH_CHAR = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FULLWIDTH)) + "]")


def to_halfwidth(text: str) -> str:
    """Full-width digits and signs -> ASCII (str.translate is slow: it runs only on text that has one)."""
    return text.translate(_FULLWIDTH) if _FULLWIDTH_CHAR.search(text) else text


BLANK_MARKS = {"", "-", "—", "——", "－", "/", "／", "--", "…", "无"}

_AMOUNT = re.compile(r"^[-+]?\d+(?:\.\d+)?$")
_PARENTHESISED = re.compile(r"[(（]\s*(.+?)\s*[)）]")  # '(12.5)': a negative amount
# decimal128(20,6) holds 14 integer digits in 万元; an amount printed in 元 has 4 more before it is
# converted. Anything longer cannot be stored exactly: it is refused here (the caller reports it).
MAX_INTEGER_DIGITS = 18
MAX_FRACTION_DIGITS = 12


_SPACE = re.compile(r"\s")
_SPACED_POINT = re.compile(r"(?<=\d)\s*\.\s*(?=\d)")
_SPACED_DIGITS = re.compile(r"(?<=\d)\s+(?=\d)")


def clean_number_text(text: str) -> str:
    """'198. 30' -> '198.30'; '1,234.5' -> '1234.5'; full-width digits -> ASCII."""
    s = to_halfwidth(text).strip()
    s = s.replace(",", "").replace("，", "")
    if _SPACE.search(s):  # (both repairs below only remove whitespace)
        s = _SPACED_POINT.sub(".", s)  # OCR: space around the decimal point
        s = _SPACED_DIGITS.sub("", s)  # OCR: digits split by a space ('1 234')
    return s


def parse_amount(text: str | None) -> Decimal | None:
    """A money cell -> Decimal, or None for an empty cell. Raises ValueError if it is not a number.

    '198. 30' -> 198.30, '1,234.56' -> 1234.56, '(12.5)' / '（12.5）' -> -12.5, '' -> None, '0' -> 0.
    Dashes ('—', '-') that stand for 'nothing' are treated as empty.
    """
    if text is None:
        return None
    s = clean_number_text(text)
    if s in BLANK_MARKS:
        return None
    neg = False
    m = _PARENTHESISED.fullmatch(s)
    if m:
        neg, s = True, m.group(1)
    s = s.rstrip("元").rstrip("万").strip()
    if not _AMOUNT.match(s):
        raise ValueError(f"not an amount: {text!r}")
    whole, _, frac = s.lstrip("+-").partition(".")
    if len(whole.lstrip("0")) > MAX_INTEGER_DIGITS or len(frac) > MAX_FRACTION_DIGITS:
        raise ValueError(f"amount out of range: {text[:40]!r}")
    try:
        d = Decimal(s)
    except InvalidOperation as e:  # pragma: no cover - regex guards it
        raise ValueError(f"not an amount: {text!r}") from e
    return -d if neg else d


@functools.lru_cache(maxsize=1 << 14)  # the same cells are tried again and again (labels, repeated figures)
def try_amount(text: str | None) -> Decimal | None:
    """parse_amount that never raises (None for anything that is not an amount); remembered: a Decimal is
    immutable, so every caller may share it."""
    try:
        return parse_amount(text)
    except ValueError:
        return None


_UNIT_LABEL = re.compile(r"单位\s*[:：]\s*(万元|元)")
_SPACES = re.compile(r"\s+")


def stated_unit(text: str) -> str | None:
    """'编制部门：… 单位：元' / '单位:万元' / '价值（金额单位：万元）' -> '元' / '万元'; None when no unit is stated."""
    if "元" not in text or (":" not in text and "：" not in text):
        return None  # no unit stated: skip the whitespace pass (most texts of a document)
    m = _UNIT_LABEL.search(_SPACES.sub("", text))
    return m.group(1) if m else None


def yuan_to_wan(yuan: Decimal | None) -> Decimal | None:
    """元 -> 万元, exactly (Decimal division by 10^4 only moves the point)."""
    return None if yuan is None else yuan.scaleb(-4)


def parse_percent(text: str | None) -> Decimal | None:
    """'25.00%' / '25.00' / '25%' -> Decimal; empty -> None; raises ValueError otherwise."""
    if text is None:
        return None
    s = clean_number_text(text).rstrip("%").strip()
    if not s:
        return None
    return parse_amount(s)


@functools.lru_cache(maxsize=1 << 12)
def try_percent(text: str | None) -> Decimal | None:
    """parse_percent that never raises: '约25%', '25%以上', '1e308%' -> None (the caller reports it)."""
    try:
        return parse_percent(text)
    except ValueError:
        return None


@functools.lru_cache(maxsize=1 << 12)
def parse_code(text: str | None) -> str | None:
    """'201 13 01' -> '2011301'; None when the cell holds no digits-only code."""
    if text is None:
        return None
    s = re.sub(r"\s+", "", to_halfwidth(text))
    return s if re.fullmatch(r"\d{3,}", s) else None


def function_level(code: str) -> int | None:
    """功能分类: 3 digits = 1 类, 5 = 2 款, 7 = 3 项."""
    return {3: 1, 5: 2, 7: 3}.get(len(code))


def economic_level(code: str) -> int | None:
    """经济分类: 3 digits = 1 类, 5 = 2 款."""
    return {3: 1, 5: 2}.get(len(code))


_CN_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_YEAR_END = re.compile(r"(\d{4})\s*年\s*(?:底|末|年底|年末|12月底)")


def parse_date(text: str | None) -> date | None:
    """'2021年12月31日', '2022-12-31', '2019年底' (-> 12-31) -> date; else None."""
    if not text:
        return None
    s = to_halfwidth(text)
    for rx in (_CN_DATE, _ISO_DATE):
        m = rx.search(s)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    m = _YEAR_END.search(s)
    if m:
        return date(int(m.group(1)), 12, 31)
    return None


def fix_ocr_glyphs(text: str) -> str:
    for bad, good in OCR_GLYPHS.items():
        text = text.replace(bad, good)
    return text


# ---- performance-indicator targets -------------------------------------------------


@dataclass(frozen=True)
class Target:
    comparator: str | None
    num: Decimal | None
    unit: str | None


_SIGNS = [("≥", ">="), (">=", ">="), ("≤", "<="), ("<=", "<="), (">", ">"), ("<", "<"), ("=", "="),
          ("≧", ">="), ("≦", "<=")]
# Words that state a bound (以上/以下/以内 include the number: 民法典 art. 1259).
_WORD_BEFORE = [("不低于", ">="), ("不少于", ">="), ("至少达到", ">="), ("至少", ">="), ("大于等于", ">="),
                ("不超过", "<="), ("不高于", "<="), ("不多于", "<="), ("小于等于", "<="), ("控制在", "<="),
                ("高于", ">"), ("大于", ">"), ("超过", ">"), ("低于", "<"), ("小于", "<"), ("达到", ">=")]
_WORD_AFTER = [("以上", ">="), ("及以上", ">="), ("以下", "<="), ("及以下", "<="), ("以内", "<="), ("之内", "<="),
               ("内", "<="), ("之前", "<"), ("以前", "<"), ("前", "<")]
# The lists above as single patterns: alternatives are tried in list order, as a loop over them would.
_SIGN = re.compile("|".join(re.escape(sign) for sign, _ in _SIGNS))
_SIGN_OP = dict(_SIGNS)
_BOUND_BEFORE = re.compile("(?:" + "|".join(re.escape(word) for word, _ in _WORD_BEFORE) + r")(?=\d)")
_BOUND_BEFORE_OP = dict(_WORD_BEFORE)
_BOUND_AFTER = tuple(word for word, _ in _WORD_AFTER)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_LEAD_WORDS = re.compile(r"[约共计为合]*")
_PERCENT_WORDS = ("百分比", "百分率", "百分点")
_YEAR_TEXT = re.compile(r"^(?:19|20)\d{2}\s*年")
_BARE_YEAR = re.compile(r"^\d{4}年?$")
_UNIT_TAIL = re.compile(r"^[\u4e00-\u9fffA-Za-z%‰/／·]{1,6}$")


NO_TARGET = Target(None, None, None)


@functools.lru_cache(maxsize=1 << 14)  # indicator values recur ('100%', '≥95%'); a Target is immutable
def parse_target(raw: str | None) -> Target:
    """'≥95%' -> (>=, 95, %); '≤0.97万元' -> (<=, 0.97, 万元); '100%以上' -> (>=, 100, %);
    '不超过3人' -> (<=, 3, 人); '按规定时间发放' -> (None, None, None); '2023 年底前' -> text."""
    if raw is None:
        return NO_TARGET
    s = fix_ocr_glyphs(to_halfwidth(raw)).strip()
    s = _SPACES.sub("", s)
    if not s or _YEAR_TEXT.match(s) and not _BARE_YEAR.match(s):
        return NO_TARGET
    comparator = None
    rest = s
    if m := _SIGN.match(rest):
        comparator, rest = _SIGN_OP[m.group()], rest[m.end():]
    elif m := _BOUND_BEFORE.match(rest):  # a bound word right before the number
        comparator, rest = _BOUND_BEFORE_OP[m.group()], rest[m.end():]
    first = _NUMBER.search(rest)
    if first is None:
        return NO_TARGET
    if comparator is None and first.start() != 0:
        # a number inside words ('每日两人次以上', '2次以上缴费') -> only when it leads
        lead = rest[: first.start()]
        if not _LEAD_WORDS.fullmatch(lead):
            return NO_TARGET
    num = Decimal(first.group())
    tail = rest[first.end():]
    # '1电视台调入人员数量1人' / '12.56经费总成本12.56万元': a trailing 'number unit' restates it
    last = first
    while (after := _NUMBER.search(rest, last.end())) is not None:  # the last number, scanning as finditer does
        last = after
    if last is not first and Decimal(last.group()) == num and _UNIT_TAIL.match(rest[last.end():] or "x"):
        tail = rest[last.end():]
    if tail.endswith(_BOUND_AFTER):
        for word, op in _WORD_AFTER:
            if tail.endswith(word):
                tail = tail[: -len(word)]
                comparator = comparator or op
                break
    unit = tail or None
    if unit and "百分" in unit and any(w in unit for w in _PERCENT_WORDS):  # (each word starts with 百分)
        unit = "%"
    elif unit and not _UNIT_TAIL.match(unit):
        unit = None
    elif unit and unit.endswith("指标"):
        unit = None  # '≥95质量指标': the level name glued to the number, not a unit
    if comparator is None:
        comparator = "="
    return Target(comparator, num, unit)
