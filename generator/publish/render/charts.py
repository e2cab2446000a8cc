"""Altair chart specs (Vega-Lite JSON) from plain rows. Money becomes float only inside chart data."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import altair as alt
from altair.utils import schemapi

FMT = ",.2f"
LABEL_LIMIT = 180
CONFIG = {
    "font": "system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif",
    "axis": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": LABEL_LIMIT},
    "legend": {"labelLimit": LABEL_LIMIT, "orient": "bottom", "columns": 2},
    "view": {"stroke": None},
}


def _f(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


def _chart(title: str) -> alt.Chart:
    """A chart over a named placeholder dataset: _spec puts the rows in after Altair has built the spec,
    so Altair never walks (or validates) the data, only the encodings."""
    return alt.Chart(alt.Data(name="rows"), title=title)


def _spec(chart: alt.Chart, data: list[dict[str, Any]]) -> dict:
    """The Vega-Lite dict without Altair's JSON-schema validation (it was most of the chart time, and
    with debug mode on Altair validates every object as it is built: a third of page generation). The
    encodings here are fixed; tests/publish validate every emitted spec once against the schema."""
    spec = chart.properties(width="container").to_dict(validate=False)
    spec["data"] = {"values": data}
    spec["config"] = {**spec.get("config", {}), **CONFIG}
    return spec


def _quiet(fn: Callable[..., dict | None]) -> Callable[..., dict | None]:
    """Build the chart with Altair's per-object validation off (see _spec)."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> dict | None:
        with schemapi.debug_mode(False):
            return fn(*args, **kwargs)
    return wrapper


def _memo(build: Callable[..., alt.Chart]) -> Callable[..., dict]:
    """Charts of one kind differ only in a few hashable settings (title, height, sort orders) and in
    their rows: Altair builds each distinct chart once and every document gets a copy with its rows."""
    @functools.lru_cache(maxsize=1024)
    def spec(*settings: Any) -> str:
        return json.dumps(_spec(build(*settings), []))

    def with_rows(data: list[dict[str, Any]], *settings: Any) -> dict:
        out = json.loads(spec(*settings))
        out["data"] = {"values": data}
        return out
    return with_rows


@_quiet
def hbar(rows: list[dict[str, Any]], label: str, value: str, title: str, *, color: str | None = None,
         value_title: str = "金额（万元）") -> dict | None:
    """Horizontal bars, one per row in the given order; value is Decimal, converted here."""
    data = [{"label": r[label], "value": _f(r[value]), **({"group": r[color]} if color else {})}
            for r in rows if r.get(value) is not None]
    if not data:
        return None
    n = len({d["label"] for d in data})
    return _hbar(data, title, bool(color), value_title, max(60, 22 * n))


@_memo
def _hbar(title: str, color: bool, value_title: str, height: int) -> alt.Chart:
    enc: dict[str, Any] = {
        "y": alt.Y("label:N", sort=None, title=None),
        "x": alt.X("value:Q", title=value_title, axis=alt.Axis(format=",.0f")),
        "tooltip": [alt.Tooltip("label:N", title="名称"), alt.Tooltip("value:Q", title=value_title, format=FMT)],
    }
    if color:
        enc["color"] = alt.Color("group:N", title=None)
    return _chart(title).mark_bar().encode(**enc).properties(height=height)


@_quiet
def stacked(rows: list[dict[str, Any]], title: str) -> dict | None:
    """Stacked horizontal bars: rows have bar, part, value (Decimal), order."""
    data = [{"bar": r["bar"], "part": r["part"], "value": _f(r["value"]), "order": r["order"]}
            for r in rows if r["value"] is not None]
    if not data:
        return None
    return _stacked(data, title, tuple(d["part"] for d in data), 40 * len({d["bar"] for d in data}) + 20)


@_memo
def _stacked(title: str, parts: tuple[str, ...], height: int) -> alt.Chart:
    return _chart(title).mark_bar().encode(
        y=alt.Y("bar:N", sort=None, title=None),
        x=alt.X("value:Q", title="金额（万元）", stack="zero", axis=alt.Axis(format=",.0f")),
        color=alt.Color("part:N", title=None, sort=list(parts)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("bar:N", title="结构"), alt.Tooltip("part:N", title="组成"),
                 alt.Tooltip("value:Q", title="金额（万元）", format=FMT)],
    ).properties(height=height)


@_quiet
def grouped(rows: list[dict[str, Any]], title: str, x_title: str = "金额（万元）", x_format: str = ",.2f") -> dict | None:
    """Grouped horizontal bars: rows have label, group, value (Decimal)."""
    data = [{"label": r["label"], "group": str(r["group"]), "value": _f(r["value"])}
            for r in rows if r["value"] is not None]
    if not data:
        return None
    n = len({d["label"] for d in data}) * max(1, len({d["group"] for d in data}))
    return _grouped(data, title, x_title, x_format, max(80, 16 * n + 10))


@_memo
def _grouped(title: str, x_title: str, x_format: str, height: int) -> alt.Chart:
    return _chart(title).mark_bar().encode(
        y=alt.Y("label:N", sort=None, title=None),
        yOffset=alt.YOffset("group:N"),
        x=alt.X("value:Q", title=x_title, axis=alt.Axis(format=x_format, tickMinStep=1) if x_format == "d"
                else alt.Axis(format=x_format)),
        color=alt.Color("group:N", title=None),
        tooltip=[alt.Tooltip("label:N", title="类别"), alt.Tooltip("group:N", title="组"),
                 alt.Tooltip("value:Q", title=x_title, format=FMT)],
    ).properties(height=height)


@_quiet
def lines(rows: list[dict[str, Any]], title: str) -> dict | None:
    """Cumulative % lines: rows have series, step (label), order, value (Decimal percent)."""
    data = [{"series": r["series"], "step": r["step"], "order": r["order"], "value": _f(r["value"])}
            for r in rows if r["value"] is not None]
    if not data:
        return None
    return _lines(data, title, tuple(d["step"] for d in sorted(data, key=lambda d: d["order"])))


@_memo
def _lines(title: str, steps: tuple[str, ...]) -> alt.Chart:
    return _chart(title).mark_line(point=True).encode(
        x=alt.X("step:O", sort=list(steps), title="截至", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title="累计支出占预算（%）", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("series:N", title=None),
        tooltip=[alt.Tooltip("series:N", title="项目"), alt.Tooltip("step:O", title="截至"),
                 alt.Tooltip("value:Q", title="累计（%）", format=".1f")],
    ).properties(height=220)
