"""Who published a document, for which year, and what kind it is: read from its content."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ...model import Document, Para, block_texts
from ...values import stated_unit
from ..sections import Section, compact
from ..tables import Grid

# NOTE: project codes of Hebei's budget system are <6-digit region><2-digit year>…
# (seed 004 prints no year at all; '13022524P004…' -> 2024).
PROJECT_CODE = re.compile(r"^\[?(\d{6})(\d{2})[0-9A-Z]{7,}\]?$")
UNIT_CODE_NAME = re.compile(
    r"^(\d{3,9})\s*(?![年月日])([\u4e00-\u9fff][\u4e00-\u9fff（）()]{2,40}"
    r"(?:局|委员会|委|办公室|办|院|中心|室|所|站|馆|队|会|部|处|厅|校|园|社|台|团)(?:[（(]?本级[）)]?)?)$"
)
TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年\s*度?[^\d，。,]{0,4}?(?:部门|单位)?\s*(?:预算|绩效|决算)")
NAME_LABEL = re.compile(r"^(?:预算主管部门|主管部门|预算单位|部门名称|单位名称|编制部门|编制单位)\s*[:：]\s*([\u4e00-\u9fff（）()]{4,40})")
BUDGET_YEAR = re.compile(r"预算年度\s*[:：]\s*((?:19|20)\d{2})")
# A region is the leading administrative area of a unit name (乐亭县, 秦皇岛经济技术开发区 …).
REGION = re.compile(r"^(.{2,12}?(?:自治县|自治州|自治区|开发区|新城|新区|省|市|州|盟|县|区|旗))")
BUDGET_KINDS = {"summary_table", "income_table", "expenditure_table", "overall", "three_public", "three_public_table",
                "operating", "procurement", "assets", "fiscal_summary_table", "gp_basic_table"}


def all_texts(doc: Document) -> list[tuple[str, str]]:
    return block_texts(doc.blocks)


def strip_own_unit(name: str) -> str:
    return re.sub(r"[（(]?本级[）)]?$", "", name).strip()


def unit_identity(doc: Document) -> tuple[str | None, str | None, str | None]:
    """(unit_code, unit_name, where): the code printed before the unit name in table headers.

    A department prints its own code (442) beside its units' codes (442001, 442003):
    the shortest code that prefixes all others is the document's; else the most frequent.
    """
    found: list[tuple[str, str, str]] = []
    for text, where in all_texts(doc):
        t = re.sub(r"^(预算单位编码及名称|编制单位|单位名称)\s*[:：]\s*", "", text.strip())
        m = UNIT_CODE_NAME.match(t)
        if m:
            found.append((m.group(1), m.group(2), where))
    if not found:
        # NOTE: the Shanghai PDFs print no code, only '预算主管部门：上海市普陀区人民政府办公室'
        for text, where in all_texts(doc):
            m = NAME_LABEL.match(compact(text))
            if m:
                return None, strip_own_unit(m.group(1)), where
        return None, None, None
    codes = Counter(c for c, _, _ in found)
    best = None
    for code in sorted(codes, key=len):
        if all(other.startswith(code) for other in codes):
            best = code
            break
    if best is None:
        best = codes.most_common(1)[0][0]
    names = Counter(strip_own_unit(n) for c, n, _ in found if c == best)
    where = next(w for c, _, w in found if c == best)
    return best, names.most_common(1)[0][0], where


def document_year(doc: Document) -> int | None:
    texts = all_texts(doc)
    for text, _ in texts:
        m = BUDGET_YEAR.search(compact(text))
        if m:
            return int(m.group(1))
    for text, _ in texts[:40]:
        m = TITLE_YEAR.search(text)
        if m:
            return int(m.group(1))
    years = Counter(2000 + int(m.group(2)) for text, _ in texts if (m := PROJECT_CODE.match(text.strip())))
    if years:
        return years.most_common(1)[0][0]
    for text, _ in texts:
        m = TITLE_YEAR.search(text)
        if m:
            return int(m.group(1))
    return None


def document_title(doc: Document) -> str:
    lines: list[str] = []
    for b in doc.blocks[:8]:
        if isinstance(b, Para):
            lines.append(b.text.strip())
            if re.search(r"预算|绩效|决算", b.text):
                break
    return " ".join(lines)[:200]


def document_kind(title: str, secs: list[Section]) -> str:
    has_budget = any(s.kind in BUDGET_KINDS and s.blocks for s in secs)
    if not has_budget:
        return "performance"
    t = compact(title)
    if "单位预算" in t and "部门预算" not in t:
        return "unit_budget"
    return "dept_budget"


def amount_unit(doc: Document) -> str:
    units = Counter(u for text, _ in all_texts(doc) if (u := stated_unit(text)))
    return units.most_common(1)[0][0] if units else "万元"


def region_of(unit_name: str | None) -> str | None:
    if not unit_name:
        return None
    m = REGION.match(unit_name)
    return m.group(1) if m else None


def units_rows(doc: Document, grids: list[Grid]) -> list[dict[str, Any]]:
    cols = {"单位名称": "unit_name", "单位性质": "nature", "单位规格": "grade", "经费保障": "funding_form"}
    out = []
    for g in grids:
        if g.kind not in ("org", "duties") or not any("单位名称" in h for h in g.header):
            continue
        idx = {field: i for i, h in enumerate(g.header) for k, field in cols.items() if k in h}
        for r in g.rows:
            vals = {f: (r.cells[i].text.strip() if i < len(r.cells) else "") for f, i in idx.items()}
            if not vals.get("unit_name"):
                continue
            out.append({"doc_id": doc.doc_id, **{k: (v or None) for k, v in vals.items()}, "source_line": r.where})
    return out
