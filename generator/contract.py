"""The data contract as code (see docs: site_src/data/dictionary).

One source of truth for every published table: column names, types, units and
meaning, the key and the sort order. The writer, the DuckDB views, the data
dictionary page, the Frictionless datapackage and the tests all read it.
Columns marked ``ext`` extend the original contract (never rename, only add); docs/data-contract.md
is generated from this module (``python -m generator docs``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

DECIMAL_PRECISION = 20
DECIMAL_SCALE = 6
QUANT = Decimal(1).scaleb(-DECIMAL_SCALE)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # str | int | dec | bool | date
    doc: str
    unit: str = ""
    ext: bool = False


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str  # Chinese title for the site
    doc: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    ext: bool = False

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def C(name: str, type_: str, doc: str, unit: str = "", ext: bool = False) -> Column:
    return Column(name, type_, doc, unit, ext)


DOC = C("doc_id", "str", "文档编号：一个源文件的稳定、可用于网址的编号")
LINE = C("source_line", "str", "出处：文本源文件的行号（从1开始），或 PDF/DOCX 的 p<页码>；文字识别（OCR）所得写作 "
         "p<页码>~ocr；取自并入的表格册（documents.twin_files）时前加文件名，如 52.pdf:p3")

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "documents", "文档", "每个源文件一行",
        (
            DOC,
            C("source_file", "str", "源文件名"),
            C("source_sha256", "str", "源文件的 SHA-256 校验值"),
            C("source_format", "str", "源格式：word_text（Word 提取文本）、pdf_text（PDF 提取文本）、pdf、docx"),
            C("unit_code", "str", "单位（部门）编码，如 322009"),
            C("unit_name", "str", "单位（部门）名称"),
            C("year", "int", "预算年度"),
            C("doc_kind", "str", "文档类型：unit_budget 单位预算、dept_budget 部门预算、performance 绩效目标文本、"
              "final_accounts 部门决算（从封面、标题和表题识别，不看文件名）"),
            C("region", "str", "地区（从单位名称中识别，如 乐亭县）"),
            C("amount_unit", "str", "源文件金额单位：万元 或 元"),
            C("parse_warnings", "int", "解析时发现的问题数（详见 parse_issues 表）"),
            C("title", "str", "文档标题", ext=True),
            C("encoding", "str", "源文件字符编码", ext=True),
            C("source_size", "int", "源文件字节数", unit="字节", ext=True),
            C("ocr_pages", "str", "经文字识别（OCR）读取的扫描页，如 p1,p2；这些页上的数字出处带 ~ocr 标记", ext=True),
            C("twin_files", "str", "并入本文档的其他源文件（同一单位、年度、类型的文字册与表格册），以“; ”分隔；"
              "取自这些文件的行，出处写作 文件名:p<页码>", ext=True),
        ),
        ("doc_id",),
    ),
    TableSpec(
        "units", "机构设置", "“机构设置”表中列出的每个单位一行",
        (
            DOC,
            C("unit_name", "str", "单位名称"),
            C("nature", "str", "单位性质（行政、事业……）"),
            C("grade", "str", "单位规格（正科、副处级……）"),
            C("funding_form", "str", "经费保障形式"),
            LINE,
        ),
        ("doc_id", "source_line"),
    ),
    TableSpec(
        "budget_totals", "收支总额", "每个总额数字一行",
        (
            DOC,
            C("metric", "str", "指标：income_total 收入总计、fiscal_income 财政拨款收入、general_budget_income 一般公共预算拨款收入、"
              "gov_fund_income 政府性基金预算拨款收入、other_income 其他收入、carryover_income 上年结转、expenditure_total 支出总计、"
              "basic_expenditure 基本支出、personnel_expenditure 人员经费、public_expenditure 公用经费、"
              "project_expenditure 项目支出、change_vs_prior_year 比上年增减（增为正）"),
            C("amount_wan", "dec", "金额", unit="万元"),
            LINE,
            C("origin", "str", "取自 table（表格）或 prose（正文）", ext=True),
        ),
        ("doc_id", "metric"),
    ),
    TableSpec(
        "expenditure_by_function", "支出功能分类", "支出表中每个功能分类科目一行（合计行编码为空）",
        (
            DOC,
            C("code", "str", "功能分类科目编码（数字，不含空格）"),
            C("name", "str", "科目名称"),
            C("level", "int", "级次：1 类、2 款、3 项"),
            C("total_wan", "dec", "合计", unit="万元"),
            C("basic_wan", "dec", "基本支出", unit="万元"),
            C("project_wan", "dec", "项目支出", unit="万元"),
            LINE,
            C("budget_initial_wan", "dec", "年初预算数（决算文件在决算数旁印出时；合计列）", unit="万元", ext=True),
            C("budget_adjusted_wan", "dec", "调整预算数（决算文件印出时；合计列）", unit="万元", ext=True),
        ),
        ("doc_id", "source_line"),
    ),
    TableSpec(
        "income_by_function", "收入功能分类", "收入表中每个功能分类科目一行（合计行编码为空）",
        (
            DOC,
            C("code", "str", "功能分类科目编码"),
            C("name", "str", "科目名称"),
            C("level", "int", "级次：1 类、2 款、3 项"),
            C("total_wan", "dec", "合计", unit="万元"),
            C("fiscal_wan", "dec", "财政拨款收入", unit="万元"),
            C("carryover_wan", "dec", "上年结转", unit="万元"),
            LINE,
        ),
        ("doc_id", "source_line"),
    ),
    TableSpec(
        "expenditure_by_economic", "基本支出经济分类", "基本支出表中每个经济分类科目一行（合计行编码为空）",
        (
            DOC,
            C("code", "str", "经济分类科目编码"),
            C("name", "str", "科目名称"),
            C("level", "int", "级次：1 类、2 款"),
            C("total_wan", "dec", "合计", unit="万元"),
            C("personnel_wan", "dec", "人员经费", unit="万元"),
            C("public_wan", "dec", "公用经费", unit="万元"),
            LINE,
        ),
        ("doc_id", "source_line"),
    ),
    TableSpec(
        "three_public", "“三公”经费", "每个“三公”经费数字一行（含文中给出的上年数）",
        (
            DOC,
            C("fiscal_year", "int", "数字所属年度"),
            C("category", "str", "类别：total 合计、overseas_travel 因公出国（境）、vehicle_total 公务用车购置及运行、"
              "vehicle_purchase 公务用车购置、vehicle_operation 公务用车运行、reception 公务接待"),
            C("amount_wan", "dec", "金额（源单元格为空时为空值）；决算为决算数", unit="万元"),
            LINE,
            C("origin", "str", "取自 table 或 prose", ext=True),
            C("budget_wan", "dec", "决算表在决算数旁印出的预算数（预算文件为空值）", unit="万元", ext=True),
        ),
        ("doc_id", "fiscal_year", "category"),
    ),
    TableSpec(
        "operating_expenses", "机关运行经费", "机关运行经费总额及各明细一行",
        (
            DOC,
            C("item", "str", "total 总额，或源文件中的费用名称"),
            C("amount_wan", "dec", "金额", unit="万元"),
            LINE,
            C("segment", "str", "分段：current_year 本年预算安排、carryover 上年结转安排；不分段时为空", ext=True),
        ),
        ("doc_id", "source_line", "segment", "item"),
    ),
    TableSpec(
        "projects", "项目", "每张项目绩效目标表一行",
        (
            DOC,
            C("project_seq", "int", "项目序号（表题前的编号，否则按出现顺序）"),
            C("project_code", "str", "项目编码"),
            C("project_name", "str", "项目名称"),
            C("budget_wan", "dec", "预算数", unit="万元"),
            C("fiscal_wan", "dec", "其中：财政资金", unit="万元"),
            C("other_wan", "dec", "其他资金", unit="万元"),
            C("purpose", "str", "资金用途"),
            C("goal", "str", "绩效目标"),
            C("plan_q1_pct", "dec", "资金支出计划：截至3月底累计占预算的百分比", unit="%"),
            C("plan_q2_pct", "dec", "资金支出计划：截至6月底累计百分比", unit="%"),
            C("plan_q3_pct", "dec", "资金支出计划：截至10月底累计百分比", unit="%"),
            C("plan_q4_pct", "dec", "资金支出计划：截至12月底累计百分比", unit="%"),
            C("basis_year", "int", "目标所属年度（与文档年度不同时填写，如上年结转资金的表）"),
            LINE,
            C("unit_code", "str", "表头所列预算单位编码", ext=True),
            C("unit_name", "str", "表头所列预算单位名称", ext=True),
            C("budget_source", "str", "预算数来源：table（表格）、prose（正文列举）、cost_indicator（成本指标）", ext=True),
            C("plan_unit", "str", "资金支出计划原表单位：% 或 万元", ext=True),
        ),
        ("doc_id", "project_seq"),
    ),
    TableSpec(
        "indicators", "绩效指标", "每个绩效指标一行",
        (
            DOC,
            C("project_seq", "int", "所属项目序号（部门整体指标为空）"),
            C("level1", "str", "一级指标"),
            C("level2", "str", "二级指标"),
            C("level3", "str", "三级指标"),
            C("description", "str", "绩效指标描述"),
            C("value_raw", "str", "指标值（原文）"),
            C("comparator", "str", "比较符：>=、<=、=、>、<；文字指标为空"),
            C("value_num", "dec", "指标值中的数字"),
            C("value_unit", "str", "指标值的单位"),
            C("basis", "str", "指标值确定依据"),
            LINE,
            C("indicator_seq", "int", "在所属表中的顺序", ext=True),
        ),
        ("doc_id", "project_seq", "indicator_seq"),
    ),
    TableSpec(
        "procurement", "政府采购", "政府采购预算表中每个采购明细一行",
        (
            DOC,
            C("item_name", "str", "采购物品名称"),
            C("category", "str", "类别：货物、服务、工程"),
            C("catalog_code", "str", "政府采购目录序号"),
            C("quantity", "dec", "数量"),
            C("quantity_unit", "str", "计量单位"),
            C("unit_price_wan", "dec", "单价", unit="万元"),
            C("amount_wan", "dec", "政府采购金额", unit="万元"),
            LINE,
            C("project_name", "str", "政府采购项目来源（项目名称）", ext=True),
        ),
        ("doc_id", "source_line"),
    ),
    TableSpec(
        "assets", "国有资产", "国有资产占有情况每项一行",
        (
            DOC,
            C("as_of", "date", "截止日期"),
            C("item", "str", "项目：total 资产总额、buildings 房屋、office_buildings 其中办公用房、vehicles 车辆、"
              "equipment_over_threshold 单价20万元以上设备、other_fixed_assets 其他固定资产、planned_purchase 本年拟购置"),
            C("quantity", "dec", "数量"),
            C("value_wan", "dec", "价值", unit="万元"),
            LINE,
            C("holder", "str", "资产所属单位（文中分单位列出时）", ext=True),
        ),
        ("doc_id", "source_line", "item", "holder"),
    ),
    TableSpec(
        "checks", "一致性检查", "每项检查的结果一行",
        (
            DOC,
            C("check_id", "str", "检查编号（稳定）"),
            C("status", "str", "pass 通过、rounding 舍入误差内、fail 不符、not_applicable 不适用"),
            C("expected_wan", "dec", "应有值", unit="万元"),
            C("actual_wan", "dec", "实际值", unit="万元"),
            C("message", "str", "说明"),
            LINE,
        ),
        ("doc_id", "check_id", "source_line"),
    ),
    TableSpec(
        "disclosure_items", "公开要素", "每份文档每项应公开内容一行",
        (
            DOC,
            C("item", "str", "应公开的内容"),
            C("present", "bool", "是否公开"),
            C("source_line", "str", "出处（找到时）", ext=True),
            C("empty_reason", "str", "作为空表公开时所列理由（如“不涉及”；列表或表下注明“本表为空表”）", ext=True),
        ),
        ("doc_id", "item"),
    ),
    TableSpec(
        "parse_issues", "解析问题", "读取和解析时发现的每个问题一行（含无法读取的文件）",
        (
            C("doc_id", "str", "文档编号（无法读取的文件为空）"),
            C("source_file", "str", "源文件名"),
            C("code", "str", "问题代码（稳定）"),
            C("severity", "str", "error、warning 或 info"),
            C("where", "str", "位置"),
            C("message", "str", "说明"),
        ),
        ("source_file", "where", "code", "message"),
        ext=True,
    ),
)

BY_NAME = {t.name: t for t in TABLES}


@dataclass(frozen=True)
class IssueCode:
    code: str
    severity: str  # the usual severity; a stage may lower it where the rest still builds
    label: str  # Chinese, for the site
    meaning: str


# Every code a stage may put into parse_issues. A test reads the source and fails on a code
# that is used but not listed here, so this list is the documentation of the codes.
ISSUE_CODES: tuple[IssueCode, ...] = tuple(IssueCode(*c) for c in (
    ("unreadable-file", "error", "文件无法读取", "the file could not be opened or decoded at all"),
    ("unknown-format", "error", "格式无法识别", "neither a text extraction, a PDF nor a DOCX (binary, legacy .doc …)"),
    ("empty-file", "error", "空文件", "no text in the file"),
    ("file-too-large", "error", "文件过大", "over the size or page limit; not read"),
    ("encrypted-pdf", "error", "PDF 已加密", "a password-protected PDF"),
    ("needs-ocr", "warning", "需要文字识别", "pages with no text layer (scans)"),
    ("ocr-text", "info", "文字识别", "scanned pages read by OCR; figures from them carry '~ocr' in source_line"),
    ("unreadable-page", "warning", "页面无法读取", "one PDF page failed; the other pages were read"),
    ("encoding-fallback", "warning", "编码不确定", "not valid UTF-8, UTF-16 or GB18030; undecodable bytes replaced"),
    ("amount-unparseable", "warning", "金额无法识别", "a money cell that is not a number; left empty"),
    ("table-not-found", "warning", "未找到预算表", "no budget figures or project tables recognised"),
    ("year-not-found", "warning", "未找到年度", "no budget year found in the document"),
    ("unit-not-found", "warning", "未找到单位", "no unit name found in the document"),
    ("no-budget-content", "warning", "无预算内容", "read, but nothing budget-like was recognised"),
    ("twin-files", "info", "文字册与表格册合并", "a text booklet and its table book (same unit, year, kind) parsed as one document"),
    ("duplicate-file", "info", "重复文件", "the same content (sha256) given twice; read once"),
    ("duplicate-project-seq", "warning", "项目序号重复", "a project number printed twice; renumbered"),
    ("parse-crash", "error", "解析出错", "the parser failed on this file; the rest of the build went on"),
    ("checks-crash", "error", "校验出错", "the checks failed on this document; its data is kept"),
    ("no-input", "warning", "没有输入文件", "data/raw/ holds no files"),
    ("file-refused", "error", "文件被拒绝", "a symbolic link, device, pipe or other non-regular file in data/raw/; not read"),
    ("file-skipped", "info", "文件已跳过", "a folder, hidden file or file of another type in data/raw/; not read"),
    ("line-too-long", "warning", "行过长", "a line over the length limit; cut before parsing"),
    ("value-out-of-range", "warning", "数值超出范围", "a number too large for its column (decimal128(20,6), int64); left empty"),
    ("percent-unparseable", "warning", "百分比无法识别", "a percentage cell that is not a number ('约25%'); left empty"),
    ("record-crash", "error", "记录解析出错", "one record or table family failed; the rest of the document was kept"),
))
ISSUE_BY_CODE = {c.code: c for c in ISSUE_CODES}

# Spreadsheet safety (issue 10), stated in the data dictionary and docs/data-contract.md.
CSV_SAFETY_EN = ("In the CSV files only, a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return "
                 "gets a leading apostrophe (OWASP CSV-injection rule), so Excel/WPS never evaluate it as a formula "
                 "(e.g. the comparator `=` is written `'=`). Numbers are untouched; Parquet and DuckDB keep the exact text.")
CSV_SAFETY_ZH = ("仅在 CSV 文件中：以 `=`、`+`、`-`、`@`、制表符或回车开头的文本单元格前加一个英文单引号（OWASP 防公式注入规则），"
                 "Excel/WPS 不会把它当作公式执行（例如比较符 `=` 写作 `'=`）。数值不变；Parquet 与 DuckDB 保留原文。")


def spec(name: str) -> TableSpec:
    return BY_NAME[name]


def quantize(value: Decimal | None) -> Decimal | None:
    """Fit a Decimal into DECIMAL(20,6); exact for every figure a budget prints."""
    if value is None:
        return None
    return value.quantize(QUANT)


@cache
def _layout(table: str) -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
    t = spec(table)
    return frozenset(t.names), tuple((c.name, c.type) for c in t.columns)


def normalize_row(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """Return a row holding exactly the table's columns, in order; missing -> None."""
    names, cols = _layout(table)
    unknown = row.keys() - names
    if unknown:
        raise KeyError(f"{table}: unknown columns {sorted(unknown)}")
    out: dict[str, Any] = {}
    for name, typ in cols:
        v = row.get(name)
        if v is not None:
            if typ == "str":
                if type(v) is not str:
                    v = str(v)
            elif typ == "dec":
                if not isinstance(v, Decimal):
                    raise TypeError(f"{table}.{name}: {v!r} is not a Decimal")
            elif typ == "int":
                v = int(v)
        out[name] = v
    return out
