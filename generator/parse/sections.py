"""Blocks -> titled sections (收支总表, 三公经费, 绩效目标表 …); page headers dropped.

A section starts at a heading paragraph whose text names a known part of a budget
disclosure, and runs to the next heading. Headings are recognised by what they say,
not by their numbering, so the next county's file with other numbering still splits.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from ..model import Block, Document, Heading, Para, Table

# A table caption may end in a qualifier: '…支出表（按功能分类）', '…明细表（按支出经济分类科目）'.
_QUALIFIER = r"(?:[（(][^（()）]{1,14}[）)])?"
_BY_FUNCTION = r"[（(]按?(?:支出)?功能分类(?:科目)?[）)]"
_BY_ECONOMIC = r"[（(]按?(?:部门|政府)?(?:预算)?(?:支出)?经济分类(?:科目)?[）)]"

# (kind, pattern) in priority order; matched against the heading with spaces removed.
# NOTE: the nine tables are named as in 财预〔2016〕143号 templates (seed 002, Shanghai PDFs).
HEADING_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (k, re.compile(p))
    for k, p in (
        ("toc", r"^目录$"),
        # NOTE: 决算 books (corpus 40 佛山, 42 国家信访局, 48 普陀区财政局, 60 西南大学) name the same tables
        # 收入支出决算总表 / 收入决算表 / 支出决算表; 重庆水利局 (10) and 广州信访局 (12) say 收支总体情况表.
        ("fiscal_summary_table", r"财政拨款收(入)?支(出)?(预算|决算)?总(体情况)?表"),
        ("summary_table", r"(财务)?收(入)?支(出)?(预算|决算)?总(体情况)?表"),
        # NOTE: 西南大学 (corpus 59) names them 收入预算表 / 支出预算表 (no 总)
        ("income_table", r"收入(预算|决算)?总(体情况)?表|^(?!.*(拨款|一般公共|基金|国有资本))(表\s*\d+[:：])?[^表]*收入(预算|决算)表$"),
        ("expenditure_table", r"支出(预算|决算)?总(体情况)?表"
         r"|^(?!.*(拨款|一般公共|基金|国有资本|项目|基本|收入|采购|三公|经费))(表\s*\d+[:：])?[^表]*支出(预算|决算)表$"),
        # NOTE: 陕西 部门综合预算 (corpus 31) qualifies its tables '（按支出功能分类科目）' / '（按支出经济分类科目）'
        # and prints basic spending by function (表7) next to basic spending by economic class (表8); 深圳 (07)
        # prints 表8 一般公共预算支出表（按经济分类）. A basic table by function is no economic source.
        ("gp_basic_function_table", rf"一般公共预算(财政)?(拨款)?基本支出.{{0,12}}表{_BY_FUNCTION}$"),
        ("gp_economic_table", rf"一般公共预算(财政)?(拨款)?支出.{{0,12}}表{_BY_ECONOMIC}$"),
        # NOTE: 广州信访局 (corpus 12) 表7 一般公共预算项目支出情况表（按经济分类科目） follows 表6 (基本支出): project
        # spending by economic class, no part of the basic table
        ("gp_project_economic_table", rf"项目支出.{{0,12}}表{_BY_ECONOMIC}$"),
        # NOTE: 福州 (corpus 26) says 一般公共预算拨款支出预算表
        # NOTE: 江苏 表格册 (corpus 52) says 财政拨款基本支出预算表（经济科目）
        ("gp_basic_table", rf"一般公共预算(财政)?(拨款)?基本支出.{{0,12}}表{_QUALIFIER}$"
         rf"|^[^一基国]*财政拨款基本支出(预算|决算)?表{_QUALIFIER}$"),
        # NOTE: 西南大学 决算 (60) 表4 高等学校财政拨款支出决算表 is its only 财政拨款 function table; its 预算
        # (59) says 财政拨款支出预算表
        ("gp_expenditure_table", rf"一般公共预算(财政)?(拨款)?支出.{{0,12}}表{_QUALIFIER}$"
         r"|^[^一基国]*(?<!收入)财政拨款支出(预算|决算)表$"),
        # NOTE: 陕西 (corpus 31) 表9 部门综合预算政府性基金收支表
        ("fund_table", r"政府性?基金(预算)?(财政)?(拨款)?(收入)?(收)?支出?.{0,12}表$"),
        ("soe_table", r"国有资本经营预算(财政)?(拨款)?(收入)?(收)?支出?.{0,12}表$"),
        ("three_public_table", r"[\"“”]?三公[\"“”]?经费.{0,16}表$"),
        ("procurement", r"政府采购(预算)?(情况|表|明细)?"),
        ("assets", r"国有资产|固定资产占用情况表|资产(信息|占有|占用)"),
        ("operating", r"机关运行经费"),
        ("three_public", r"[\"“”]?三公[\"“”]?经费"),
        ("org", r"机构设置"),
        ("duties", r"(部门|单位)?(主要)?(职责|职能)"),  # NOTE: Shanghai: '…办公室主要职能'
        # NOTE: 北京 附件1 说明 (corpus 05, OCR) '二、收入预算情况说明' / '三、支出预算情况说明'
        ("overall", r"预算安排(的)?总体情况|总体情况|收入(预算)?说明|支出(预算)?说明|(比|与)上年增减|预算编制说明$|收支预算情况说明$"
         r"|^[一二三四五六七八九十]+、(收入|支出)预算情况说明$"),
        ("performance", r"绩效(信息|预算)|(整体|分项|总体|部门|单位)绩效目标|工作保障措施|绩效目标(设置)?(情况|说明)"),
        # NOTE: 决算 books (corpus 42 国家信访局) print one '××项目绩效自评表' per project
        # NOTE: 重庆水利局 (corpus 10) '2026 年市级重点专项资金绩效目标表（一级项目）'
        ("project_table", r".+绩效目标表$|.+项目绩效目标$|.{2,}绩效目标$|.+项目绩效自评表$|.+绩效目标表[（(][^）)]{1,8}[）)]$"),
        ("glossary", r"名词解释"),
        ("other", r"其他(需要?)?说明的?事项|其他相关情况说明"),
        ("project_notes", r"项目经费情况说明"),
    )
)

_SENTENCE_MARK = re.compile(r"[。；;]")
_WAN_FIGURE = re.compile(r"(?<!\d)\d+(\.\d+)?万元")
_TOC_ENTRY = re.compile(r"(\t|\.{3,}|…{2,})\s*\.?\d+\s*$|[.…·]{4,}")
_BUDGET_YEAR_LINE = re.compile(r"^预算年度[:：]\d{4}$")
_PAGE_NO = re.compile(r"^[-—\s]*\d{1,3}[-—\s]*$|^第\s*\d+\s*页")
MAX_HEADING_LEN = 60


@dataclass(frozen=True)
class Section:
    kind: str
    title: str
    where: str
    blocks: tuple[Block, ...]


def compact_text(s: str) -> str:
    """Text without any whitespace (str.split and the regex \\s agree on Unicode whitespace; this is
    several times faster on the hot path of heading detection)."""
    return "".join(s.split())


# compact_text, remembered: every stage compacts the same cells again (grids, headers, labels, lists),
# and labels and headers recur from table to table. Bounded (a document's distinct texts fit, so every
# stage after the first finds them), so a worker's memory stays flat.
compact = functools.lru_cache(maxsize=1 << 13)(compact_text)


def heading_kinds(text: str) -> list[str]:
    """Every kind of part a heading names ('单位职责及机构设置情况' names two), best first;
    empty when the paragraph is not a heading."""
    return list(_heading_kinds(text))


@functools.lru_cache(maxsize=4096)  # a document's headings are tested again for its outline; titles recur
def _heading_kinds(text: str) -> tuple[str, ...]:
    t = compact(text)
    limit = 2 * MAX_HEADING_LEN if t.endswith("绩效目标表") else MAX_HEADING_LEN
    if not t or len(t) > limit or _TOC_ENTRY.search(text):
        return ()
    if _SENTENCE_MARK.search(t) or _WAN_FIGURE.search(t):
        return ()  # a sentence with figures is prose, not a heading
    return tuple(kind for kind, rx in HEADING_KINDS if rx.search(t))


def heading_kind(text: str) -> str | None:
    """The kind of part a heading names, or None when the paragraph is not a heading."""
    kinds = heading_kinds(text)
    return kinds[0] if kinds else None


def repeated_headers(doc: Document) -> set[str]:
    """Short paragraphs printed on many pages (unit header, 预算年度, 单位：万元)."""
    counts = Counter(t for t in (compact(b.text) for b in doc.blocks if isinstance(b, Para)) if len(t) <= 40)
    return {t for t, n in counts.items() if n >= 3 and heading_kind(t) is None}


def is_page_noise(text: str, headers: set[str]) -> bool:
    t = compact(text)
    return t in headers or bool(_PAGE_NO.match(text)) or bool(_BUDGET_YEAR_LINE.match(t))


# NOTE: Beijing's 附件2 报表 (corpus 04) prints '预算01表 收支总表' and '金额单位：万元' as rows inside the
# table frame; the caption rows are lifted out as paragraphs so the table gets its section.
FRAME_CAPTION_ROWS = 3
# NOTE: 江苏 表格册 (corpus 52) glues caption, '部门：…', '单位：万元' (and the table's text) into one cell:
# '财政拨款支出预算表（功能科目）部门：中共江苏省委办公厅 单位：万元…'; the (功能科目) qualifier is dropped.
GLUED_CAPTION = re.compile(r"^(.{2,40}?表)(?:[（(][^）)]{1,8}[）)])?((?:部门|单位)[:：].*)$")


def lift_frame_caption(b: Table) -> list[Block]:
    """A table whose first row is a lone heading cell -> [heading para, unit para…, the rest of the table]."""
    lifted: list[Block] = []
    rows = list(b.rows)
    while rows and len(lifted) < FRAME_CAPTION_ROWS:
        texts = [c.text.strip() for c in rows[0].cells if c.text.strip()]
        if len(texts) == 1 and not lifted and (glued := GLUED_CAPTION.match(compact(texts[0]))) and \
                _is_table_caption(glued.group(1)):
            lifted.append(Para(glued.group(1), rows[0].where))
            if unit := re.match(r"^.*?单位[:：](?:万元|元)", glued.group(2) or ""):
                lifted.append(Para(unit.group(0), rows[0].where))
            rows.pop(0)
            continue
        if len(texts) != 1 or not (_is_table_caption(texts[0]) if not lifted else _is_caption_line(texts[0])):
            break
        lifted.append(Para(texts[0], rows[0].where))
        rows.pop(0)
    if not lifted:
        return [b]
    return lifted + ([Table(tuple(rows), rows[0].where)] if rows else [])


def _is_table_caption(text: str) -> bool:
    return compact(text).endswith("表") and heading_kind(text) is not None


def _is_caption_line(text: str) -> bool:
    return bool(re.match(r"^(金额)?单位[:：]|^(编制|预算)?(单位|部门)[:：]", compact(text)))


def document_to_sections(doc: Document) -> list[Section]:
    return blocks_to_sections([x for b in doc.blocks for x in (lift_frame_caption(b) if isinstance(b, Table) else [b])],
                              repeated_headers(doc))


def blocks_to_sections(doc_blocks: list[Block], headers: set[str]) -> list[Section]:
    out: list[Section] = []
    kind, title, where = "front", "", doc_blocks[0].where if doc_blocks else "1"
    blocks: list[Block] = []
    for b in doc_blocks:
        if isinstance(b, Para):
            if is_page_noise(b.text, headers):
                continue
            k = heading_kind(b.text)
            if k is not None:
                if blocks or title:
                    out.append(Section(kind, title, where, tuple(blocks)))
                kind, title, where, blocks = k, b.text.strip(), b.where, []
                continue
        elif isinstance(b, Table) and not b.rows:
            continue
        blocks.append(b)
    if blocks or title:
        out.append(Section(kind, title, where, tuple(blocks)))
    return out


# NOTE: 陕西 部门综合预算 (corpus 31, 西安市人民政府办公厅) lists its tables with '报表 | 报表名称 | 是否空表 |
# 表格为空的理由' ('表9 | 部门综合预算政府性基金收支表 | 是 | 不涉及'); many counties print '本表为空表' or
# '此表无数据' under an empty table's title instead. Either way the table is published, empty, for a reason.
EMPTY_FLAG_HEAD = re.compile(r"是否(为)?空表")
EMPTY_YES = re.compile(r"^(是|√|✓|空表|为空)$")
EMPTY_NOTE = re.compile(r"[本此该]表(为|是)?空表|[本此该]表无(数据|内容)|[本此该]表(数据)?为空")


def empty_table_list(secs: list[Section]) -> list[Heading]:
    """The tables a 是否空表 list declares empty, each as a heading of what its name names."""
    out: list[Heading] = []
    for sec in secs:
        for b in sec.blocks:
            if not isinstance(b, Table) or not b.rows:
                continue
            head = [compact(c.text) for c in b.rows[0].cells]
            flag = next((i for i, h in enumerate(head) if EMPTY_FLAG_HEAD.search(h)), None)
            if flag is None:
                continue
            name = next((i for i, h in enumerate(head) if "名称" in h), flag - 1)
            reason = next((i for i, h in enumerate(head) if "理由" in h or "原因" in h or "说明" in h), None)
            for r in b.rows[1:]:
                cells = [c.text.strip() for c in r.cells]
                if max(flag, name) >= len(cells) or not EMPTY_YES.match(compact(cells[flag])):
                    continue
                kinds = tuple(heading_kinds(cells[name]))
                if kinds:
                    why = cells[reason] if reason is not None and reason < len(cells) and cells[reason] else "空表"
                    out.append(Heading(kinds, cells[name], r.where, why))
    return out


def empty_note(sec: Section) -> str | None:
    """'本表为空表…' printed in a table's own section (a note, not the document's running text)."""
    if not sec.kind.endswith("_table"):
        return None
    for b in sec.blocks:
        if isinstance(b, Para) and EMPTY_NOTE.search(compact(b.text)):
            return b.text.strip()[:200]
    return None
