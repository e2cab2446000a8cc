"""The Chinese label of every code value the contract tables carry, in one place.

Pages, the data dictionary and the downloads read them from here; a code with no label
is shown as the code itself, so a test can list the codes still missing one.
"""

from __future__ import annotations

from .contract import ISSUE_CODES

METRIC_LABELS = {
    "income_total": "收入总计", "fiscal_income": "财政拨款收入", "general_budget_income": "一般公共预算拨款收入",
    "gov_fund_income": "政府性基金预算拨款收入", "other_income": "其他收入", "carryover_income": "上年结转",
    "expenditure_total": "支出总计", "basic_expenditure": "基本支出", "personnel_expenditure": "人员经费",
    "public_expenditure": "公用经费", "project_expenditure": "项目支出", "change_vs_prior_year": "比上年增减",
}
THREE_PUBLIC_LABELS = {
    "total": "合计", "overseas_travel": "因公出国（境）", "vehicle_total": "公务用车购置及运行",
    "vehicle_purchase": "公务用车购置", "vehicle_operation": "公务用车运行", "reception": "公务接待",
}
ASSET_LABELS = {
    "total": "资产总额", "buildings": "房屋", "office_buildings": "其中：办公用房", "vehicles": "车辆",
    "equipment_over_threshold": "单价20万元以上设备", "other_fixed_assets": "其他固定资产", "planned_purchase": "本年拟购置",
}
DOC_KIND_LABELS = {"unit_budget": "单位预算", "dept_budget": "部门预算", "performance": "绩效目标文本",
                   "final_accounts": "部门决算"}
STATUS_LABELS = {"pass": "通过", "rounding": "舍入误差内", "fail": "不符", "not_applicable": "不适用"}
DOC_KIND_LABELS["final_accounts"] = "部门决算"
# URL part of each kind (ASCII, stable): /units/<unit>/<year>-<slug>/
DOC_KIND_SLUGS = {"unit_budget": "unit-budget", "dept_budget": "dept-budget", "performance": "performance",
                  "final_accounts": "final-accounts"}
BUDGET_KINDS = ("dept_budget", "unit_budget")  # a 决算 is set against these, in this order
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
FORMAT_LABELS = {"word_text": "Word 提取文本", "pdf_text": "PDF 提取文本", "pdf": "PDF", "docx": "Word（DOCX）"}
BUDGET_SOURCE_LABELS = {"table": "表格", "prose": "正文列举", "cost_indicator": "成本指标"}
SEGMENT_LABELS = {"current_year": "本年预算安排", "carryover": "上年结转安排"}
OPERATING_ITEM_LABELS = {"total": "总额"}
TYPE_LABELS = {"str": "文本", "int": "整数", "dec": "小数（DECIMAL(20,6)）", "bool": "布尔", "date": "日期"}

# Every check family (check_id before ':'): Chinese name and group. "number": two printed figures
# that should agree and do not (a 差额 exists); "quality": indicator and text quality flags;
# "disclosure": items required to be published.
CHECK_LABELS: dict[str, tuple[str, str]] = {
    "disclosure.completeness": ("公开要素完整性", "disclosure"),
    "economic.children_sum": ("经济分类：下级科目之和等于上级", "number"),
    "economic.row_sum": ("经济分类：人员经费＋公用经费等于合计", "number"),
    "economic.total_row_sum": ("经济分类：各类之和等于合计行", "number"),
    "expenditure_function.children_sum": ("支出功能分类：下级科目之和等于上级", "number"),
    "expenditure_function.row_sum": ("支出功能分类：基本支出＋项目支出等于合计", "number"),
    "expenditure_function.total_row_sum": ("支出功能分类：各类之和等于合计行", "number"),
    "income_function.children_sum": ("收入功能分类：下级科目之和等于上级", "number"),
    "income_function.row_sum": ("收入功能分类：各列之和等于合计", "number"),
    "income_function.total_row_sum": ("收入功能分类：各类之和等于合计行", "number"),
    "operating.items_sum": ("机关运行经费：明细之和等于总额", "number"),
    "procurement.line_amount": ("政府采购：数量×单价等于金额", "number"),
    "procurement.sum_vs_stated": ("政府采购：明细之和等于文中总额", "number"),
    "project.cost_indicator_vs_budget": ("项目：成本指标不超过项目预算", "number"),
    "project.fiscal_plus_other": ("项目：财政资金＋其他资金等于预算", "number"),
    "project.prose_vs_table": ("项目：文中金额与表中一致", "number"),
    "project.plan_ends_100": ("项目：支出计划年末达到100%", "quality"),
    "project.plan_monotonic": ("项目：累计支出计划逐月不减", "quality"),
    "project.indicator_copied": ("绩效指标：与其他项目雷同", "quality"),
    "project.indicator_level_mismatch": ("绩效指标：一级、二级指标不匹配", "quality"),
    "project.indicator_placeholder": ("绩效指标：占位内容", "quality"),
    "project.indicator_shared": ("绩效指标：多个项目共用同一指标", "quality"),
    "project.indicator_units": ("绩效指标：指标值缺少计量单位", "quality"),
    "project.text_copied": ("绩效目标：文字与其他项目雷同", "quality"),
    "projects.duplicate_code": ("项目编码重复", "quality"),
    "projects.unique_codes": ("项目编码唯一", "quality"),
    "projects.sum_vs_project_expenditure": ("项目预算之和等于项目支出", "number"),
    "three_public.parts_sum": ("“三公”经费：各项之和等于合计", "number"),
    "three_public.vehicle_sum": ("“三公”经费：购置＋运行等于公务用车合计", "number"),
    "totals.basic_eq_personnel_plus_public": ("基本支出等于人员经费＋公用经费", "number"),
    "totals.change_parts": ("比上年增减与两年数字一致", "number"),
    "totals.expenditure_eq_basic_plus_project": ("支出总计等于基本支出＋项目支出", "number"),
    "totals.fiscal_income_parts": ("财政拨款收入等于各项拨款之和", "number"),
    "totals.income_eq_expenditure": ("收入总计等于支出总计", "number"),
    "totals.income_parts": ("收入总计等于各项收入之和", "number"),
    "totals.table_vs_prose": ("表中数字与文字说明一致", "number"),
}
CHECK_GROUP_LABELS = {"number": "数字不符", "quality": "指标与文字质量", "disclosure": "公开完整性"}

# Site chrome (footer, 404 page): the theme overrides in site_src/overrides carry these strings;
# tests/publish/test_labels.py checks that they match.
SITE_LABELS = {
    "not_found_title": "页面不存在",
    "not_found_text": "您要找的页面不存在或已移动。",
    "not_found_home": "返回首页",
    "footer_licence": "数据按 CC BY 4.0 许可发布，请注明出处。",
    "footer_source": "数字均注明原文出处，可逐一核对。",
}


def label(mapping: dict[str, str], code: str | None) -> str:
    """The Chinese label of a code; the code itself when it has none (a test lists those)."""
    if code is None:
        return ""
    return mapping.get(code, code)


def check_name(check_id: str) -> str:
    """Chinese name of a check id like 'economic.children_sum:301' -> '经济分类：下级科目之和等于上级（301）'."""
    base, _, qual = check_id.partition(":")
    name = CHECK_LABELS.get(base, (base, ""))[0]
    qual = SEGMENT_LABELS.get(qual, METRIC_LABELS.get(qual, qual))
    if base.startswith("project.") and qual.isdigit():
        qual = f"项目 {qual}"
    return f"{name}（{qual}）" if qual else name


def check_group(check_id: str) -> str:
    return CHECK_LABELS.get(check_id.partition(":")[0], ("", "number"))[1]


# The glossary page: (term, URL anchor, definition). Pages link to a term with its anchor.
GLOSSARY: tuple[tuple[str, str, str], ...] = (
    ("部门预算", "dept-budget", "一个部门（含其下属单位）本年度全部收入和支出的计划，由财政部门批复后向社会公开。"),
    ("单位预算", "unit-budget", "一个预算单位本身的收支计划；部门预算由本部门和下属单位的单位预算汇总而成。"),
    ("部门决算", "final-accounts", "年度终了后，部门对预算执行结果的总结，反映当年实际收入和支出（决算数）。"),
    ("执行率", "execution-rate", "决算数 ÷ 预算数。高于 100% 表示实际支出超过年初预算（如年中追加），低于 100% 表示未花完。"),
    ("基本支出", "basic", "保障机构正常运转、完成日常工作任务的支出，分为人员经费和公用经费。"),
    ("项目支出", "project", "为完成特定行政任务或事业发展目标，在基本支出之外安排的支出。"),
    ("人员经费", "personnel", "工资福利支出和对个人和家庭的补助。"),
    ("公用经费", "public", "办公费、水电费、差旅费等维持机构运转的商品和服务支出。"),
    ("三公经费", "three-public", "因公出国（境）费、公务用车购置及运行费、公务接待费三项之和。合计与分项不可相加。"),
    ("公务用车", "vehicle", "公务用车购置费和运行维护费（燃料、维修、保险等），俗称“公车”费用。"),
    ("机关运行经费", "operating", "行政单位和参公事业单位用一般公共预算安排的基本支出中的日常公用经费。"),
    ("功能分类", "function", "按政府职能（如一般公共服务、教育）划分支出，分类、款、项三级。"),
    ("经济分类", "economic", "按支出的经济性质（如工资福利、商品和服务）划分支出，分类、款两级。"),
    ("上年结转", "carryover", "以前年度安排、尚未使用完、按规定结转到本年继续使用的资金。"),
    ("绩效目标", "performance", "项目或部门预期达到的产出和效果，用产出、效益、满意度等指标衡量。"),
    ("政府采购", "procurement", "使用财政性资金采购货物、工程和服务的预算安排。"),
)
GLOSSARY_ANCHORS = {t: a for t, a, _ in GLOSSARY}

# parse_issues.code: the Chinese label lives beside the code in contract.ISSUE_CODES
ISSUE_LABELS = {c.code: c.label for c in ISSUE_CODES}

# Search synonyms: a page using the term is also found by each short form (公车 finds 公务用车).
SEARCH_SYNONYMS: dict[str, tuple[str, ...]] = {
    "公务用车": ("公车",),
    "三公经费": ("三公",),
    "“三公”经费": ("三公", "三公经费"),
    "因公出国（境）": ("出国", "出境"),
    "公务接待": ("接待费",),
    "机关运行经费": ("运行经费", "公用经费"),
    "部门决算": ("决算",),
    "政府采购": ("采购",),
    "绩效目标": ("绩效",),
}
