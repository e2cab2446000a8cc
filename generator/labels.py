"""The Chinese label of every code value the contract tables carry, in one place.

Pages, the data dictionary and the downloads read them from here; a code with no label
is shown as the code itself, so a test can list the codes still missing one.
"""

from __future__ import annotations

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
