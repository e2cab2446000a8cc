"""The renderers' shortcuts give the same output as the plain code they stand in for: h() skips
escaping when there is nothing to escape, rel() is memoised, and each chart kind is built by Altair
once per distinct setting and copied for every document's rows."""

from __future__ import annotations

import html
import posixpath
import re
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from generator.publish.render import charts
from generator.publish.render.md import Page, h, rel


def _h_reference(text: object) -> str:
    return "" if text is None else html.escape(re.sub(r"\s+", " ", str(text)).strip(), quote=True)


@given(st.text(alphabet=st.sampled_from(list("ab中文 \t\n\u3000\u00a0&<>\"'#")) | st.characters(), max_size=30))
def test_h_equals_plain_escaping(s):
    assert h(s) == _h_reference(s)


def test_h_of_numbers_and_none():
    assert h(None) == "" and h(12) == "12" and h(D("1.50")) == "1.50"


@given(st.lists(st.sampled_from(["units", "单位", "a b", "2024-budget", "source", "x.md"]), min_size=0, max_size=4),
       st.lists(st.sampled_from(["units", "单位", "a b", "2024-budget", "source"]), min_size=0, max_size=4),
       st.booleans(), st.booleans())
def test_rel_equals_relpath(page_parts, target_parts, index, directory):
    path = "/".join([*page_parts, "index.md" if index or not page_parts else "p.md"])
    target = "/".join(target_parts) + ("/" if directory else "")
    here = posixpath.dirname(path) if path.endswith("index.md") else path.removesuffix(".md")
    out = posixpath.relpath(target.rstrip("/") or ".", here or ".")
    want = ("" if out == "." else out + "/") if target.endswith("/") else out
    assert rel(Page(path, ""), target) == want


def test_memoised_charts_carry_their_own_rows_and_do_not_share_state():
    a = charts.hbar([{"k": "甲", "v": D("1.5")}], "k", "v", "同一标题")
    b = charts.hbar([{"k": k, "v": D("2")} for k in "乙丙戊己"], "k", "v", "同一标题")
    c = charts.hbar([{"k": "丁", "v": D("4")}], "k", "v", "同一标题")
    assert a["data"]["values"] == [{"label": "甲", "value": 1.5}]
    assert c["data"]["values"] == [{"label": "丁", "value": 4.0}]
    assert b["height"] > a["height"] == c["height"]  # height follows the rows
    a["encoding"]["x"]["title"] = "改过"
    a["config"]["font"] = "改过"
    assert c["encoding"]["x"]["title"] != "改过" and c["config"]["font"] == charts.CONFIG["font"]
    assert {k: v for k, v in a.items() if k not in ("data", "encoding", "config")} == \
        {k: v for k, v in c.items() if k not in ("data", "encoding", "config")}
