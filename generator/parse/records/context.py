"""What every record family needs: the document context, a cell read as 万元, a table's stated unit."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ...model import Document, Issue, Row
from ...values import (
    Target,
    parse_target,
    stated_unit,
    try_amount,
    yuan_to_wan,
)
from ..sections import Section, compact
from ..tables import Grid, section_paras

PDF_FORMATS = ("pdf_text", "pdf")  # PDF: merged labels are printed mid-block, words wrap with spaces


@dataclass
class Context:
    doc: Document
    year: int | None
    unit: str  # 万元 | 元
    unit_name: str | None = None
    issues: list[Issue] = field(default_factory=list)
    targets: dict[str, Target] = field(default_factory=dict, repr=False)  # parsed indicator values, by text

    def target(self, raw: str | None) -> Target:
        """parse_target, once per distinct text of the document (values repeat: '100%', '≥95%')."""
        if raw is None:
            return parse_target(raw)
        got = self.targets.get(raw)
        if got is None:
            got = self.targets[raw] = parse_target(raw)
        return got

    def wan(self, value: Decimal | None, unit: str | None = None) -> Decimal | None:
        return yuan_to_wan(value) if (unit or self.unit) == "元" else value

    def warn(self, code: str, where: str, message: str) -> None:
        self.issues.append(Issue(code, self.doc.doc_id, f"{self.doc.source_file}:{where}", message))


def cell_amount(ctx: Context, row: Row, i: int | None, unit: str | None = None) -> Decimal | None:
    if i is None or i >= len(row.cells):
        return None
    text = row.cells[i].text
    v = try_amount(text)
    if v is None and text.strip() and not re.fullmatch(r"[-—/_\s]*", text):
        ctx.warn("amount-unparseable", row.where, f"cannot read amount {text!r}")
    return ctx.wan(v, unit)


def grid_unit(ctx: Context, secs: list[Section], g: Grid) -> str:
    """The unit a table states in its caption ('编制部门：… 单位：元') or header, else the document's.
    NOTE: the Shanghai PDFs print money tables in 元 but the 三公 table in 万元."""
    texts = [p.text for p in section_paras(secs[g.section])] + list(g.header)
    for t in texts:
        if u := stated_unit(t):
            return u
    for t in g.header:
        if "万元" in t:
            return "万元"
        if re.search(r"[（(]元[）)]", t):
            return "元"
    return ctx.unit


def paras_of(secs: list[Section], kinds: set[str]) -> list:
    return [p for s in secs if s.kind in kinds for p in section_paras(s)]


# Column roles by header words, shared by every family that reads a classified or summary table.
HEADER_FIELDS = (
    ("code", ("科目编码", "功能分类科目编码", "经济分类科目编码", "编码", "科目代码")),  # NOTE: 代码: 决算 42
    ("name", ("科目名称", "功能分类科目名称", "名称")),
    ("total", ("合计", "总计")),
    ("basic", ("基本支出",)),
    ("project", ("项目支出", "专项业务经费")),  # NOTE: 陕西 (corpus 31) calls project spending 专项业务经费支出
    ("fiscal", ("财政拨款收入", "财政拨款", "一般公共预算")),
    ("carryover", ("上年结转",)),
    ("amount", ("金额",)),  # NOTE: 江苏 表格册 (corpus 52): one '金额' column, no 合计
    # NOTE: 杭州 (corpus 21) heads the halves of 基本支出 人员支出 / 日常公用支出
    ("personnel", ("人员经费", "工资福利", "人员支出")),
    ("public", ("公用经费", "公用支出")),
    ("subtotal", ("小计",)),
    ("lei", ("类",)),
    ("kuan", ("款",)),
    ("xiang", ("项",)),
)


# NOTE: 广州信访局 (corpus 12) heads its economic table '部门预算支出经济科目 | 预算' (the code is glued to the name in
# brackets); 福州 (26) heads the single amount column '预算数'.
CODE_HEAD = re.compile(r"(经济|功能)(分类)?科目$")
AMOUNT_HEADS = ("预算", "预算数", "决算数", "金额")


def header_index(header: tuple[str, ...]) -> dict[str, int]:
    idx = _header_index(header)
    if "code" not in idx and "name" not in idx:
        # NOTE: 北京 (corpus 04) 预算06表 prints '政府支出经济分类科目 | 部门支出经济分类科目' ('50101-工资奖金津补贴 |
        # 30101-基本工资'): the 部门 (3xxxx) classification is the contract's economic code.
        heads = sorted((0 if "部门" in h else 1, i) for i, h in enumerate(header) if CODE_HEAD.search(h))
        if heads:
            idx["code"] = heads[0][1]
    if "total" not in idx and "amount" not in idx:
        if (i := next((i for i, h in enumerate(header) if h in AMOUNT_HEADS), None)) is not None:
            idx["amount"] = i
    return idx


# NOTE: 决算 tables may print the budget beside the outcome, per row: '年初预算数 | 调整预算数 | 决算数', or column
# groups '年初预算数（合计 | 基本支出 | 项目支出） | 决算数（合计 | 基本支出 | 项目支出）' (the 财政部 决算 templates;
# the corpus's 三公 决算 tables 40, 42, 48 print 预算数 | 决算数 halves). The 决算数 are the document's amounts; the
# budget columns are kept as budget_initial / budget_adjusted (their 合计 column).
GROUPS = (("initial", ("年初预算", "预算数")), ("adjusted", ("调整预算", "调整后预算")), ("final", ("决算",)))
ID_FIELDS = ("code", "name", "lei", "kuan", "xiang")


def _group_of(head: str) -> tuple[str, str] | None:
    for group, words in GROUPS:
        for w in words:
            if head.startswith(w):
                rest = head[len(w):]
                return group, rest[1:] if rest.startswith("数") else rest
    return None


def final_accounts_index(header: tuple[str, ...]) -> dict[str, int] | None:
    """For a header with a 决算 column group: the id columns, the amount columns of the 决算 group, and
    budget_initial / budget_adjusted (the first column of those groups); None without a 决算 group."""
    starts = [(i, g) for i, h in enumerate(header) if (g := _group_of(compact(h)))]
    if not any(g[0] == "final" for _, g in starts):
        return None
    idx = {k: v for k, v in _header_index(header).items() if k in ID_FIELDS}
    for n, (i, (group, rest)) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(header)
        if group == "final":
            span = (rest or "合计",) + tuple(header[i + 1:end])
            idx.update({k: i + j for k, j in _header_index(span).items() if k not in ID_FIELDS})
            idx.setdefault("total", i)
        else:
            idx.setdefault(f"budget_{group}", i)
    return idx


# HEADER_FIELDS as matchers: a column head names a field when it is one of the field's one-character words
# or holds one of its longer words (one pattern search instead of a test per word).
_FIELD_MATCHERS = tuple(
    (field_, frozenset(w for w in words if len(w) == 1),
     re.compile("|".join(re.escape(w) for w in words if len(w) > 1)) if any(len(w) > 1 for w in words) else None)
    for field_, words in HEADER_FIELDS
)
_LEVEL_FIELDS = ("lei", "kuan", "xiang")


def _header_index(header: tuple[str, ...]) -> dict[str, int]:
    idx: dict[str, int] = {}
    for i, h in enumerate(header):
        for field_, short, long in _FIELD_MATCHERS:
            if field_ in idx:
                continue
            if field_ in _LEVEL_FIELDS:
                if h in short:  # 类 / 款 / 项: the whole head
                    idx[field_] = i
            elif h in short or (long is not None and long.search(h)):
                idx[field_] = i
                break
    return idx
