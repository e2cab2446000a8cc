"""Who published a document, for which year, and what kind it is: read from its content.

Never from the file name (files in the wild are misnamed: a 2019 决算 saved as '2026年部门预算').
In order of trust: the cover (the first lines, up to 目录: '2026 年度 / 福州市医疗保障局 / 部门预算'),
a labelled name ('预算单位：…', '部门名称：…'), the codes printed before unit names in Hebei's
tables, and last the years and captions printed anywhere.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from ...model import Block, Document, Para
from ...values import stated_unit
from ..sections import Section, compact
from ..tables import Grid

# NOTE: project codes of Hebei's budget system are <6-digit region><2-digit year>…
# (seed 004 prints no year at all; '13022524P004…' -> 2024).
PROJECT_CODE = re.compile(r"^\[?(\d{6})(\d{2})[0-9A-Z]{7,}\]?$")
# The last word of an issuing unit's name (局, 委员会, 办公厅, 大学 …).
# NOTE: corpus 59 (西南大学) and 31 (西安市人民政府办公厅) end in 大学 / 厅; Hebei's seeds in 局 / 办公室.
ORG_SUFFIX = (r"(?:局|委员会|委|办公室|办公厅|办|院|中心|室|所|站|馆|队|会|部|处|厅|校|园|社|台|团|大学|学院|学校|"
              r"医院|政府|法院|检察院|公司|集团|协会|联合会|研究会|基金会|党校|报社|电视台|组|署|司|府)")
# NOTE: '（本级）' (corpus 07 深圳市公安局（本级）) and '（汇总）' (corpus 31) are kept as printed.
OWN_TAG = r"(?:[（(](?:本级|汇总|机关|本部)[）)])?"
UNIT_NAME = re.compile(rf"[\u4e00-\u9fff（）()·]{{2,40}}?{ORG_SUFFIX}{OWN_TAG}")
UNIT_CODE_NAME = re.compile(
    r"^(\d{3,9})\s*(?![年月日])([\u4e00-\u9fff][\u4e00-\u9fff（）()]{2,40}"
    r"(?:局|委员会|委|办公室|办|院|中心|室|所|站|馆|队|会|部|处|厅|校|园|社|台|团)(?:[（(]?本级[）)]?)?)$"
)
CODE_LABEL = re.compile(r"^(预算单位编码及名称|编制单位|单位名称)\s*[:：]\s*")
CODE_LABEL_START = frozenset("预编单")
DIGIT = re.compile(r"\d")
CODED_NAME = re.compile(r"[\[［【]?(\d{3,9})[\]］】]?([\u4e00-\u9fff（）()]{2,40})")
TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年\s*度?[^\d，。,]{0,4}?(?:部门|单位)?\s*(?:预算|绩效|决算)")
# NOTE: 'XX：' labels naming the unit: Shanghai '预算主管部门：'/'预算单位：', Jiangsu table books '部门：'
# (corpus 52 prints it glued to the caption: '收支预算总表部门：中共江苏省委办公厅 单位：万元'), Guangzhou
# '部门名称：', Chongqing '单位名称：'. An empty label (corpus 60 '单位名称：') names nothing.
NAME_LABEL = re.compile(r"(?:预算主管部门|主管部门|预算单位|部门名称|单位名称|编制部门|编制单位|部门|单位)"
                        r"(?:及代码)?\s*[:：]\s*(?:\[\d+\])?\s*([\u4e00-\u9fff（）()·]{2,40}?)"
                        r"(?=$|[\s，,。；;]|(?:金额)?单位\s*[:：])")
COVER_LABEL = re.compile(r"^(?:预算主管部门|主管部门|预算单位|部门名称|单位名称|编制部门|编制单位)\s*[:：]")
# A table cell that is only the label, its value in the next cell (corpus 04 p81: '部门名称 | 北京市…').
CELL_LABEL = re.compile(r"^(?:部门名称|单位名称|预算单位|主管部门)$")
CELL_LABEL_END = re.compile("[称位门]")  # the last characters of those labels: a cheap test before compacting
LABEL_HINT = re.compile("[:：称位门]")
BUDGET_YEAR = re.compile(r"预算年度\s*[:：]\s*((?:19|20)\d{2})")
# The kind of document as the cover names it: 部门预算 / 单位预算 / 部门决算 / 单位决算.
COVER_KIND = re.compile(r"(部门|单位)(?:综合)?(预算|决算)")
YEAR = re.compile(r"((?:19|20)\d{2}|[一二][〇○零一二三四五六七八九]{3})年")
# NOTE: corpus 41/48 set the year apart from the title: '国家信访局 年度部门预算' / '2026'
# (a line of its own; '2024年8月' on the next line is the publication date, not the year).
BARE_YEAR = re.compile(r"((?:19|20)\d{2})年?度?")
LEVEL_WORDS = re.compile(r"(?:(?:19|20)\d{2}年度?|[一二〇○零三四五六七八九]{4}年度?|年度|[省市区县]级(?=$)|^附件\d*[:：]?|^关于)")
# A region is the leading administrative area of a unit name (乐亭县, 秦皇岛经济技术开发区 …).
REGION = re.compile(r"^(?:中共)?(.{2,12}?(?:自治县|自治州|自治区|开发区|新城|新区|省|市|州|盟|县|区|旗))")
BUDGET_KINDS = {"summary_table", "income_table", "expenditure_table", "overall", "three_public", "three_public_table",
                "operating", "procurement", "assets", "fiscal_summary_table", "gp_basic_table"}
# NOTE: corpus 40/42/48/60 (决算) name their tables 收入支出决算总表, 支出决算表 …; a table book without a
# cover (corpus 52) shows its kind only in its captions.
FINAL_CAPTION = re.compile(r"决算(?:总表|表)")
BUDGET_CAPTION = re.compile(r"预算(?:总表|表)|收支总表|收入总表|支出总表")
COVER_LINES = 14  # a cover is a handful of lines; more is already the body


@dataclass(frozen=True)
class Identity:
    """Who, which year, what kind, and the title: what a document says about itself."""

    unit_code: str | None
    unit_name: str | None
    year: int | None
    kind: str
    title: str


_last_texts: tuple[Document | None, list[str], list[str]] = (None, [], [])


def _texts_and_wheres(doc: Document) -> tuple[list[str], list[str]]:
    """The text and the where of every paragraph and cell. Identifying a document reads them several times:
    the lists of the last document are kept (one entry: a worker parses one document at a time)."""
    global _last_texts
    if _last_texts[0] is not doc:
        _last_texts = (doc, *texts_of(doc.blocks))
    return _last_texts[1], _last_texts[2]


def doc_texts(doc: Document) -> list[str]:
    """The text of every paragraph and cell, in document order."""
    return _texts_and_wheres(doc)[0]


def doc_wheres(doc: Document) -> list[str]:
    """Where every paragraph and cell of doc_texts was read."""
    return _texts_and_wheres(doc)[1]


def all_texts(doc: Document) -> list[tuple[str, str]]:
    """(text, where) of every paragraph and cell (model.block_texts)."""
    return list(zip(*_texts_and_wheres(doc), strict=True))


_TEXT = attrgetter("text")
_WHERE = attrgetter("where")


def texts_of(blocks: tuple[Block, ...] | list[Block]) -> tuple[list[str], list[str]]:
    """model.block_texts as two lists (texts, wheres): a row's cells are read by C-level maps and no pair
    is made per cell."""
    texts: list[str] = []
    wheres: list[str] = []
    for b in blocks:
        if isinstance(b, Para):
            texts.append(b.text)
            wheres.append(b.where)
        else:
            for r in b.rows:
                texts.extend(map(_TEXT, r.cells))
                wheres.extend(map(_WHERE, r.cells))
    return texts, wheres


def strip_own_unit(name: str) -> str:
    return re.sub(r"[（(]?本级[）)]?$", "", name).strip()


def cover_lines(doc: Document, raw: bool = False) -> list[str]:
    """The first lines of a document up to its 目录: its first page for a PDF, else its first lines
    (without spaces, or as printed when ``raw``)."""
    texts = ((t.strip() if raw else compact(t), w)  # read up to the cover's end
             for t, w in zip(*_texts_and_wheres(doc), strict=True) if t.strip())
    first: str | None = None
    paged = False
    out: list[str] = []
    for t, w in texts:
        if first is None:
            first = w
            paged = re.fullmatch(r"p\d+(?:~ocr)?", first) is not None
        if (paged and w != first) or compact(t).startswith("目录") or len(out) >= COVER_LINES:
            break
        out.append(t)
    return out


def cn_year(text: str) -> int:
    """'2026' or '二〇二六' -> 2026."""
    digits = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0"}
    return int("".join(digits.get(c, c) for c in text))


def clean_name(text: str) -> str | None:
    """A unit name as printed, without spaces, years, 年度 or a level word; None unless it ends like a unit."""
    t = LEVEL_WORDS.sub("", compact(text)).strip("：:，,、 ")
    return t if UNIT_NAME.fullmatch(t) else None


@dataclass(frozen=True)
class Cover:
    unit_name: str | None
    year: int | None
    kind: str | None  # dept_budget | unit_budget | final_accounts, as the cover names it
    title: str
    performance_words: bool  # '部门预算绩效文本' / '绩效目标': the cover names targets, not a budget


def read_cover(doc: Document) -> Cover:
    printed = [ln for ln in cover_lines(doc, raw=True) if not COVER_LABEL.match(compact(ln))]
    lines = [compact(ln) for ln in printed]
    joined = "".join(lines)
    m = COVER_KIND.search(joined)
    if m is None:
        return Cover(None, None, None, "", "绩效" in joined)
    pre, post = joined[: m.start()], joined[m.end():]
    # the title: the lines up to the one that completes the kind phrase ('部门预' + '算' on two lines)
    ends = [sum(len(x) for x in lines[: i + 1]) for i in range(len(lines))]
    last = next(i for i, e in enumerate(ends) if e >= m.end())
    title = " ".join(printed[: last + 1])
    starts = [0] + ends[:-1]
    after = [joined[m.end(): ends[last]]] + lines[last + 1:]  # the rest of the title line, then the next lines
    name = next((n for s in starts if s < m.start() and (n := clean_name(pre[s:]))), None)
    # NOTE: a cover may print the unit on the line after the title ('2026年部门预算' / '某某县财政局')
    name = name or next((n for ln in after[1:3] if (n := clean_name(ln))), None)
    years = [cn_year(y) for y in YEAR.findall(pre)]
    year = years[-1] if years else next((int(b.group(1)) for ln in after[:3] if (b := BARE_YEAR.fullmatch(ln))), None)
    kind = "final_accounts" if m.group(2) == "决算" else "unit_budget" if m.group(1) == "单位" else "dept_budget"
    return Cover(name, year, kind, title, "绩效" in post[:8])


def label_names(doc: Document) -> Counter[str]:
    """Names printed after a label ('部门名称：X', '部门：X') or in the cell after a label cell."""
    names: Counter[str] = Counter()
    for b in doc.blocks:
        # no cell holds a colon or the last character of a label cell: no label (one search of the row's joined
        # text before its cells are listed)
        rows = [[b.text]] if isinstance(b, Para) else \
            [[c.text for c in r.cells] for r in b.rows if LABEL_HINT.search("".join(map(_TEXT, r.cells)))]
        for cells in rows:
            if not LABEL_HINT.search("".join(cells)):
                continue
            for i, text in enumerate(cells):
                if not LABEL_HINT.search(text):
                    continue
                if ":" in text or "：" in text:  # a label ends in a colon
                    names.update(label_names_of(text))
                if CELL_LABEL_END.search(text) and CELL_LABEL.match(compact(text)):
                    after = next((c for c in cells[i + 1:] if c.strip()), "")
                    if n := clean_name(after):
                        names[n] += 1
    return names


def code_identity(doc: Document) -> tuple[str | None, str | None]:
    """(unit_code, unit_name): the code printed before the unit name in table headers.

    A department prints its own code (442) beside its units' codes (442001, 442003):
    the shortest code that prefixes all others is the document's; else the most frequent.
    """
    found: list[tuple[str, str]] = []
    for text in doc_texts(doc):
        first = text[:1]
        if not (first.isdigit() or first in CODE_LABEL_START or first.isspace()):
            continue  # begins with neither a code nor a label (a cheap test before stripping)
        t = text.strip()
        if t[:1] in CODE_LABEL_START:
            t = CODE_LABEL.sub("", t)
        m = UNIT_CODE_NAME.match(t) if t[:1].isdigit() else None
        if m:
            found.append((m.group(1), m.group(2)))
    if not found:
        return None, None
    codes = Counter(c for c, _ in found)
    best = next((c for c in sorted(codes, key=len) if all(o.startswith(c) for o in codes)), None)
    best = best or codes.most_common(1)[0][0]
    names = Counter(strip_own_unit(n) for c, n in found if c == best)
    return best, names.most_common(1)[0][0]


def unit_identity(doc: Document, cover: Cover | None = None) -> tuple[str | None, str | None]:
    """(unit_code, unit_name): the cover's name, else a labelled cover name, the coded name, any labelled name."""
    cover = cover or read_cover(doc)
    code, coded = code_identity(doc)
    cover_label = next((n for ln in cover_lines(doc, raw=True) if COVER_LABEL.match(ln) for n in label_names_of(ln)), None)
    labels = label_names(doc)
    name = cover.unit_name or cover_label or coded or (labels.most_common(1)[0][0] if labels else None)
    return code or printed_code(doc, name), name


def _same(a: str, b: str) -> bool:
    a, b = (re.sub(r"[（(](?:本级|汇总|机关|本部)[）)]$|本级$", "", x) for x in (a, b))
    return a == b or a.endswith(b) or b.endswith(a)


def printed_code(doc: Document, name: str | None) -> str | None:
    """The code printed beside the unit's own name: in the cell before it (corpus 17 '024 | 苏州市审计局'),
    in the same cell ('105236 西南大学') or bracketed (corpus 41 '[292]国家信访局'); the shortest wins."""
    if not name:
        return None
    found: Counter[str] = Counter()
    for b in doc.blocks:
        rows = [[b.text]] if isinstance(b, Para) else [r.texts for r in b.rows]
        for cells in rows:
            for i, text in enumerate(cells):
                if not DIGIT.search(text):
                    continue  # both forms print the code in digits
                t = compact(text)
                if re.fullmatch(r"\d{3,9}", t):
                    after = next((compact(c) for c in cells[i + 1:] if c.strip()), "")
                    if after and _same(after, name):
                        found[t] += 1
                elif (m := CODED_NAME.fullmatch(t)) and _same(m.group(2), name):
                    found[m.group(1)] += 1
    return min(found, key=lambda c: (len(c), -found[c], c)) if found else None


def label_names_of(text: str) -> list[str]:
    return [n for m in NAME_LABEL.finditer(text) if (n := clean_name(m.group(1)))]


def document_year(doc: Document, cover: Cover | None = None) -> int | None:
    cover = cover or read_cover(doc)
    if cover.year is not None:
        return cover.year
    texts = doc_texts(doc)
    for text in texts:
        if "度" not in text:
            continue  # the label's last character (whitespace cannot split one character): a cheap test
        m = BUDGET_YEAR.search(compact(text))
        if m:
            return int(m.group(1))
    for text in texts[:40]:
        m = TITLE_YEAR.search(text)
        if m:
            return int(m.group(1))
    years = Counter(2000 + int(m.group(2)) for text in texts if (m := PROJECT_CODE.match(text.strip())))
    if years:
        return years.most_common(1)[0][0]
    for text in texts:
        m = TITLE_YEAR.search(text)
        if m:
            return int(m.group(1))
    # NOTE: corpus 15 (a stand-alone 项目支出绩效目标表) prints its year only in goal texts ('2026年度…')
    stated = Counter(int(y) for text in texts for y in re.findall(r"((?:19|20)\d{2})\s*年度", text))
    return stated.most_common(1)[0][0] if stated else None


def document_title(doc: Document, cover: Cover | None = None) -> str:
    cover = cover or read_cover(doc)
    if cover.title:
        return cover.title[:200]
    lines: list[str] = []
    for b in doc.blocks[:8]:
        if isinstance(b, Para):
            lines.append(b.text.strip())
            if re.search(r"预算|绩效|决算", b.text):
                break
    return " ".join(lines)[:200]


def caption_counts(doc: Document) -> tuple[int, int]:
    """(决算 captions, 预算 captions): short paragraphs and cells naming a table."""
    final = budget = 0
    for text in doc_texts(doc):
        if "表" not in text:  # both captions end in 表
            continue
        t = compact(text)
        if len(t) > 60:
            continue
        final += bool(FINAL_CAPTION.search(t))
        budget += bool(BUDGET_CAPTION.search(t)) and not FINAL_CAPTION.search(t)
    return final, budget


def document_kind(doc: Document, secs: list[Section], cover: Cover | None = None, title: str = "") -> str:
    cover = cover or read_cover(doc)
    has_budget = any(s.kind in BUDGET_KINDS and s.blocks for s in secs)
    final, budget = caption_counts(doc)
    if cover.kind == "final_accounts" or (cover.kind is None and final > budget):
        return "final_accounts"
    if cover.kind and not (cover.performance_words and not has_budget):
        return cover.kind
    if not has_budget and not (cover.kind is None and budget and not cover.performance_words):
        return "performance"
    t = compact(title or cover.title)
    if "单位预算" in t and "部门预算" not in t:
        return "unit_budget"
    return "dept_budget"


def identify(doc: Document, secs: list[Section]) -> Identity:
    cover = read_cover(doc)
    code, name = unit_identity(doc, cover)
    title = document_title(doc, cover)
    return Identity(code, name, document_year(doc, cover), document_kind(doc, secs, cover, title), title)


def amount_unit(doc: Document) -> str:
    units = Counter(u for text in doc_texts(doc) if "元" in text and (u := stated_unit(text)))  # (its first test)
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
    return out or prose_units(doc)


# NOTE: 北京 附件1 说明 (corpus 05, p4) lists its units in prose only: '…所属二级单位5个，即：A；B；C；D；E。'
# The list is taken only when it names as many units as the sentence counts.
PROSE_UNITS = re.compile(r"所属(?:二级|下属|预算)?单位\s{0,3}(\d{1,3}|[一二三四五六七八九十]{1,3})\s{0,3}个[，,]\s{0,3}"
                         r"(?:即|分别是|分别为|包括)\s{0,3}[:：]?([^。]{2,800})")
_CN_NUM = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}


def prose_units(doc: Document) -> list[dict[str, Any]]:
    for b in doc.blocks:
        if not isinstance(b, Para) or not (m := PROSE_UNITS.search(b.text)):
            continue
        n = int(m.group(1)) if m.group(1).isdigit() else _CN_NUM.get(m.group(1), -1)
        names = [x.strip(" \u3000，,") for x in re.split(r"[；;]", m.group(2)) if x.strip(" \u3000，,")]
        if len(names) == n:
            return [{"doc_id": doc.doc_id, "unit_name": name, "source_line": b.where} for name in names]
    return []
