"""Indicator quality: placeholders, targets without a unit, indicators filed under the
wrong category, boilerplate rows shared across projects, tables or texts copied from
another project."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from .common import FAIL, NA, PASS, check, compact, seq_key
from .projects import is_cost, label

# NOTE: template leftovers seen in county files: "XX", "××", "***", "……", "（请填写）", "待定".
PLACEHOLDER = re.compile(r"[Xx]{2,}|×{2,}|\*{2,}|＊|…|\.{3,}|请填写|待填|待定|填写说明|指标值确定依据$")
UNIT_HINT = re.compile(r"[%％‰]|[（(][^）)]{1,4}[）)]")
LEVEL1_OF = (("产出", ("数量", "质量", "时效", "成本")), ("效益", ("经济效益", "社会效益", "生态效益", "可持续")),
             ("满意度", ("满意",)))
# keywords in a 三级指标 that name a 二级 category; NOTE: seed 003 seq 13 files "及时性" under 成本指标,
# seq 11 files "经济效益提升%" under 社会效益指标.
LEVEL3_SIGNALS = (("时效", ("及时性", "时效", "完成时间", "时限")), ("经济效益", ("经济效益",)),
                  ("社会效益", ("社会效益",)), ("生态效益", ("生态效益",)), ("满意", ("满意度",)))
LEVEL3_SIGNAL_WORD = re.compile("|".join(re.escape(w) for _, words in LEVEL3_SIGNALS for w in words))
SHARED_LIMIT = 0.5  # a project whose non-satisfaction rows are mostly found in other projects is boilerplate


FIELDS = ("level1", "level2", "level3", "description", "value_raw")


def _compacted(i: dict[str, Any]) -> dict[str, str]:
    """The text fields of an indicator row without whitespace (computed once per row: every check reads them)."""
    return {k: compact(str(i.get(k) or "")) for k in FIELDS}


def _sig(c: dict[str, str]) -> tuple[str, ...]:
    return c["level2"], c["level3"], c["description"], c["value_raw"]


def _where(rows: list[dict[str, Any]]) -> str:
    return "、".join(f"第{r.get('source_line')}行“{r.get('level3') or ''} {r.get('value_raw') or ''}”".strip()
                    for r in rows[:5]) + ("等" if len(rows) > 5 else "")


def indicator_checks(doc_id: str, tables: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Per-project indicator checks. Cross-project comparisons go through indexes built once
    (signature -> first project per name), so the cost is linear in the number of rows."""
    projects = sorted(tables.get("projects") or [], key=seq_key)
    own: dict[Any, list[dict[str, Any]]] = {p.get("project_seq"): [] for p in projects}
    for i in tables.get("indicators") or []:
        if i.get("project_seq") is not None and i.get("project_seq") in own:
            own[i.get("project_seq")].append(i)
    for rows in own.values():
        rows.sort(key=lambda i: (i.get("indicator_seq") or 0))
    name = {p.get("project_seq"): compact(str(p.get("project_name") or "")) for p in projects}
    compacted = {seq: [_compacted(i) for i in rows] for seq, rows in own.items()}
    sigs = {seq: [_sig(c) for c in cs] for seq, cs in compacted.items()}
    by_sig = _first_by_name((sig, seq, name.get(seq)) for seq, ss in sigs.items() for sig in ss)
    by_set = _all_by_key((tuple(sorted(ss)), seq, name.get(seq)) for seq, ss in sigs.items() if ss)
    by_text = {col: _first_by_name((compact(str(p.get(col) or "")), id(p), name.get(p.get("project_seq")))
                                   for p in projects) for col in ("purpose", "goal")}
    labels = {id(p): label(p) for p in projects}
    out = []
    for p in projects:
        seq = p.get("project_seq")
        rows = own[seq]
        lab = labels[id(p)]
        ln = p.get("source_line")
        if not rows:
            for what in ("placeholder", "units", "level_mismatch", "shared", "copied"):
                out.append(check(doc_id, f"project.indicator_{what}:{seq}", NA, None, None, f"{lab}：没有绩效指标", ln))
        else:
            cs = compacted[seq]
            out.append(_flag(doc_id, f"project.indicator_placeholder:{seq}", lab, "指标值未填或留有模板占位符",
                             [i for i, c in zip(rows, cs, strict=True)
                              if placeholder_in(c["value_raw"], c["level3"], c["description"])], ln))
            out.append(_flag(doc_id, f"project.indicator_units:{seq}", lab, "数值指标没有计量单位或成本指标不是金额",
                             [i for i in rows if _unit_problem(i)], ln))
            out.append(_flag(doc_id, f"project.indicator_level_mismatch:{seq}", lab, "指标归类与指标名称不符",
                             [i for i, c in zip(rows, cs, strict=True)
                              if level_mismatch(c["level1"], c["level2"], c["level3"])], ln))
            out.append(_shared(doc_id, p, rows, sigs[seq], by_sig, name))
            out.append(_copied_set(doc_id, p, rows, sigs[seq], by_set, name))
        out.append(_copied_text(doc_id, p, by_text, name, labels))
    return out


def _first_by_name(entries: Iterable[tuple[Any, Any, Any]]) -> dict[Any, dict[Any, Any]]:
    """key -> {name: first owner with that name}, names in order of first appearance."""
    index: dict[Any, dict[Any, Any]] = {}
    for key, owner, nm in entries:
        index.setdefault(key, {}).setdefault(nm, owner)
    return index


def _all_by_key(entries: Iterable[tuple[Any, Any, Any]]) -> dict[Any, list[tuple[Any, Any]]]:
    index: dict[Any, list[tuple[Any, Any]]] = {}
    for key, owner, nm in entries:
        index.setdefault(key, []).append((owner, nm))
    return index


def _other(index: dict[Any, dict[Any, Any]], key: Any, nm: Any) -> Any:
    """The first owner of ``key`` whose name differs from ``nm`` (None when there is none)."""
    for other_name, owner in index.get(key, {}).items():
        if other_name != nm:
            return owner
    return None


def _flag(doc_id: str, cid: str, lab: str, what: str, bad: list[dict[str, Any]], ln: Any) -> dict[str, Any]:
    if bad:
        return check(doc_id, cid, FAIL, None, None, f"{lab}：{len(bad)} 项{what}：{_where(bad)}", bad[0].get("source_line"))
    return check(doc_id, cid, PASS, None, None, f"{lab}：未发现{what}", ln)


@functools.lru_cache(maxsize=1 << 14)  # indicator texts recur from project to project
def placeholder_in(value: str, level3: str, description: str) -> bool:
    """No value, or a template leftover in the value, the 三级指标 or the description (compacted: see _compacted;
    an empty text holds no placeholder)."""
    return not value or any(PLACEHOLDER.search(t) for t in (value, level3, description))


def _unit_problem(i: dict[str, Any]) -> bool:
    if i.get("value_num") is None:
        return False
    unit = str(i.get("value_unit") or "").strip()
    if is_cost(i) and unit in ("%", "％"):  # NOTE: seed 004 seq 7 prints a cost ceiling in %
        return True
    if unit:
        return False
    hint = f"{i.get('level3') or ''}{i.get('description') or ''}"
    return not UNIT_HINT.search(hint)


@functools.lru_cache(maxsize=1 << 14)  # a handful of categories, indicator names that recur
def level_mismatch(l1: str, l2: str, l3: str) -> bool:
    """An indicator filed under a category its 二级/三级 name contradicts (texts compacted: see _compacted)."""
    if not l2:
        return False  # nothing to compare
    for top, subs in LEVEL1_OF:
        if l1 == top + "指标" and not any(s in l2 for s in subs):
            return True
    if not LEVEL3_SIGNAL_WORD.search(l3):
        return False  # names no category (one search before the test per category)
    for cat, words in LEVEL3_SIGNALS:
        if cat not in l2 and any(w in l3 for w in words):
            return True
    return False


def _shared(doc_id: str, p: dict[str, Any], rows: list[dict[str, Any]], sigs: list[tuple[str, ...]],
            by_sig: dict[Any, dict[Any, Any]], name: dict[Any, str]) -> dict[str, Any]:
    seq = p.get("project_seq")
    cid = f"project.indicator_shared:{seq}"
    mine = [(i, s) for i, s in zip(rows, sigs, strict=True) if "满意" not in str(i.get("level2") or "") + str(i.get("level1") or "")]
    if not mine:
        return check(doc_id, cid, NA, None, None, f"{label(p)}：只有满意度指标", p.get("source_line"))
    found = [(i, _other(by_sig, s, name.get(seq))) for i, s in mine]
    shared = [(i, o) for i, o in found if o is not None]
    share = len(shared) / len(mine)
    st = FAIL if share > SHARED_LIMIT else PASS
    msg = f"{label(p)}：{len(mine)} 项非满意度指标中 {len(shared)} 项与其他项目逐字相同"
    if shared:
        seqs = sorted({o for _, o in shared}, key=lambda s: (s is None, str(s).zfill(6)))
        msg += "（" + _projects(seqs) + "）"
    return check(doc_id, cid, st, None, None, msg, (shared[0][0] if shared else rows[0]).get("source_line"))


def _projects(seqs: list[Any], limit: int = 20) -> str:
    """「项目1、项目2…」, at most ``limit`` named (a file of 1,000 identical projects stays readable)."""
    text = "、".join(f"项目{s}" for s in seqs[:limit])
    return text + (f"等 {len(seqs)} 个项目" if len(seqs) > limit else "")


def _copied_set(doc_id: str, p: dict[str, Any], rows: list[dict[str, Any]], sigs: list[tuple[str, ...]],
                by_set: dict[Any, list[tuple[Any, Any]]], name: dict[Any, str]) -> dict[str, Any]:
    seq = p.get("project_seq")
    same = [s for s, nm in by_set.get(tuple(sorted(sigs)), []) if s != seq and nm != name.get(seq)]
    cid = f"project.indicator_copied:{seq}"
    if same:
        return check(doc_id, cid, FAIL, None, None,
                     f"{label(p)}：全部 {len(rows)} 项绩效指标与" + _projects(same) + "完全相同",
                     rows[0].get("source_line"))
    return check(doc_id, cid, PASS, None, None, f"{label(p)}：绩效指标表与其他项目不同", p.get("source_line"))


def _copied_text(doc_id: str, p: dict[str, Any], by_text: dict[str, dict[Any, dict[Any, Any]]],
                 name: dict[Any, str], labels: dict[int, str]) -> dict[str, Any]:
    seq = p.get("project_seq")
    cid = f"project.text_copied:{seq}"
    hits = []
    for col, word in (("purpose", "资金用途"), ("goal", "绩效目标")):
        text = compact(str(p.get(col) or ""))
        if len(text) < 8:
            continue
        other = _other(by_text[col], text, name.get(seq))
        if other is not None:
            hits.append(f"{word}与{labels[other]}相同")
    if not (p.get("purpose") or p.get("goal")):
        return check(doc_id, cid, NA, None, None, f"{label(p)}：未列资金用途和绩效目标", p.get("source_line"))
    if hits:
        return check(doc_id, cid, FAIL, None, None, f"{label(p)}：" + "；".join(hits), p.get("source_line"))
    return check(doc_id, cid, PASS, None, None, f"{label(p)}：资金用途和绩效目标文字未与其他项目雷同", p.get("source_line"))
