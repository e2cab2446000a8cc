"""Researcher downloads beside the per-table files: one ZIP of every CSV and one XLSX workbook.

Both carry, beside the contract columns, Chinese label columns for every code and an `is_total`
column wherever totals and their parts share a table (summing all rows would double-count).
Same inputs give byte-identical files (fixed ZIP timestamps, fixed workbook properties).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from .. import contract
from ..labels import (
    ASSET_LABELS,
    BUDGET_SOURCE_LABELS,
    DOC_KIND_LABELS,
    FORMAT_LABELS,
    ISSUE_LABELS,
    METRIC_LABELS,
    SEGMENT_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    THREE_PUBLIC_LABELS,
    check_name,
)
from . import xlsx
from .render.md import fmt_bytes, h

ZIP_NAME = "budget-csv.zip"
XLSX_NAME = "budget.xlsx"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
# code column -> (label column, labels); check_id gets its name from labels.check_name
LABELS: dict[str, dict[str, tuple[str, Any]]] = {
    "documents": {"doc_kind": ("doc_kind_label", DOC_KIND_LABELS), "source_format": ("source_format_label", FORMAT_LABELS)},
    "budget_totals": {"metric": ("metric_label", METRIC_LABELS)},
    "projects": {"budget_source": ("budget_source_label", BUDGET_SOURCE_LABELS)},
    "three_public": {"category": ("category_label", THREE_PUBLIC_LABELS)},
    "assets": {"item": ("item_label", ASSET_LABELS)},
    "operating_expenses": {"segment": ("segment_label", SEGMENT_LABELS)},
    "checks": {"status": ("status_label", STATUS_LABELS), "check_id": ("check_name", None)},
    "parse_issues": {"code": ("code_label", ISSUE_LABELS), "severity": ("severity_label", SEVERITY_LABELS)},
}
TOTAL_METRICS = {"income_total", "expenditure_total", "fiscal_income", "basic_expenditure"}
CLASSIFICATIONS = {"expenditure_by_function", "expenditure_by_economic", "income_by_function"}


def _read(processed: Path, name: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    path = processed / f"{name}.parquet"
    return pq.read_table(path).to_pylist() if path.exists() else []


def _is_total(table: str, row: dict[str, Any], parents: set[tuple[str, str]]) -> bool | None:
    """True for a row that sums other rows of its table; None where a table has no totals."""
    if table in CLASSIFICATIONS:
        return row.get("code") is None or (row["doc_id"], row["code"]) in parents
    if table == "three_public":
        return row.get("category") in ("total", "vehicle_total")
    if table in ("operating_expenses", "assets"):
        return row.get("item") == "total"
    if table == "budget_totals":
        return row.get("metric") in TOTAL_METRICS
    return None


def _parents(codes: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """(doc_id, code) pairs that are the prefix of another code of the same document (a 类 over its 款)."""
    return {(d, c[:n]) for d, c in codes for n in range(1, len(c)) if (d, c[:n]) in codes}


def _has_total(table: str, n_rows: int) -> bool:
    return table in CLASSIFICATIONS | {"three_public", "budget_totals"} or (
        table in ("operating_expenses", "assets") and n_rows > 0)


def columns(table: str, n_rows: int) -> list[str]:
    """The contract columns, a label column per code column, and is_total where it applies."""
    cols = list(contract.spec(table).names) + [lab for _, (lab, _) in LABELS.get(table, {}).items()]
    return cols + ["is_total"] if _has_total(table, n_rows) else cols


def enrich_rows(table: str, rows: list[dict[str, Any]], parents: set[tuple[str, str]], has_total: bool) -> list[list[Any]]:
    spec = contract.spec(table)
    labels = LABELS.get(table, {})
    out = []
    for r in rows:
        vals = [r.get(c) for c in spec.names]
        for code, (_, mapping) in labels.items():
            v = r.get(code)
            vals.append("" if v is None else (check_name(v) if mapping is None else mapping.get(v, v)))
        if has_total:
            vals.append(bool(_is_total(table, r, parents)))
        out.append(vals)
    return out


def enriched(table: str, rows: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """The contract columns plus label columns and is_total (where it applies), for rows in memory."""
    parents = _parents({(r["doc_id"], r["code"]) for r in rows if r.get("code")}) if table in CLASSIFICATIONS else set()
    return columns(table, len(rows)), enrich_rows(table, rows, parents, _has_total(table, len(rows)))


def _csv_text(rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for r in rows:
        w.writerow(["" if v is None else ("true" if v is True else "false" if v is False else v) for v in r])
    return buf.getvalue()


def _csv(cols: list[str], rows: list[list[Any]]) -> bytes:
    return ("\ufeff" + _csv_text([cols]) + _csv_text(rows)).encode("utf-8")


README = [
    ("内容", "预算公开数据：每张表一个工作表。金额单位为万元（精确小数，以文本保存以免 Excel 舍入）。"),
    ("is_total", "该行是本表其他行之和（合计、类级科目、“三公”合计等）。求和时只取 is_total = false 的行，否则会重复计算。"),
    ("*_label", "代码列的中文名称。"),
    ("出处", "source_line：文本文件的行号，或 PDF 的 p<页码>。"),
    ("许可", "CC BY 4.0：可自由使用，请注明出处。"),
]


def _workbook(path: Path, sheets: list[tuple[str, str]]) -> xlsx.Workbook:
    """A workbook whose README sheet lists the sheets; rows are streamed to disk as written."""
    wb = xlsx.Workbook(path, "预算公开数据")
    wb.add_sheet("README")
    for row in [("项目", "说明"), *README, ("", ""), *sheets]:
        wb.write_row(list(row))
    return wb


def _holds_key(rows: list[dict[str, Any]], key: tuple[str, ...]) -> bool:
    """True when no key cell is empty and no two rows share a key: then it is declared a primary key."""
    seen = set()
    for r in rows:
        k = tuple(r.get(c) for c in key)
        if any(v is None for v in k) or k in seen:
            return False
        seen.add(k)
    return True


def data_version(processed: Path) -> str:
    """A short hash over the source files' SHA-256s: the same files give the same version."""
    import hashlib

    shas = sorted(str(r.get("source_sha256")) for r in _read(processed, "documents"))
    return hashlib.sha256("\n".join(shas).encode()).hexdigest()[:12]


def _key_holds(path: Path, key: tuple[str, ...]) -> bool:
    """True when no key cell is empty and no two rows share a key (DuckDB over the file, not rows in memory)."""
    import duckdb

    cols = ", ".join(f'"{k}"' for k in key)
    nulls = " OR ".join(f'"{k}" IS NULL' for k in key)
    with duckdb.connect() as con:
        row = con.execute(
            f"SELECT (SELECT count(*) FROM (SELECT {cols} FROM read_parquet(?) GROUP BY {cols} HAVING count(*) > 1)),"
            f" (SELECT count(*) FROM read_parquet(?) WHERE {nulls})", [str(path), str(path)]).fetchone()
    return row is not None and row[0] == 0 and row[1] == 0


def complete_datapackage(processed: Path, dest: Path) -> None:
    """datapackage.json gains its version, primary keys (where the data holds them) and foreign keys to documents."""
    path = dest / "datapackage.json"
    if not path.exists():
        return
    pkg = json.loads(path.read_text(encoding="utf-8"))
    pkg["version"] = f"0.1.0+{data_version(processed)}"
    for res in pkg.get("resources", []):
        name = res.get("name")
        table = processed / f"{name}.parquet"
        if name not in {t.name for t in contract.TABLES} or not table.exists():
            continue
        spec = contract.spec(name)
        schema = res.setdefault("schema", {})
        if _key_holds(table, spec.key):
            schema["primaryKey"] = list(spec.key)
        if name not in ("documents", "parse_issues") and "doc_id" in spec.names:
            schema["foreignKeys"] = [{"fields": ["doc_id"], "reference": {"resource": "documents", "fields": ["doc_id"]}}]
    path.write_text(json.dumps(pkg, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


BATCH = 20_000  # rows in memory at a time while writing the ZIP and the workbook


def _batches(path: Path) -> Any:
    import pyarrow.parquet as pq

    if not path.exists():
        return
    for b in pq.ParquetFile(path).iter_batches(batch_size=BATCH):
        yield b.to_pylist()


def write(processed: Path, dest: Path) -> None:
    """datapackage.json completed, then the ZIP of CSVs and the workbook."""
    complete_datapackage(processed, dest)
    write_files(processed, dest)


def write_files(processed: Path, dest: Path) -> None:
    """The ZIP of CSVs and the workbook, table by table and batch by batch (memory holds one batch)."""
    import pyarrow.parquet as pq

    names = [t.name for t in contract.TABLES]
    wb = _workbook(dest / XLSX_NAME, [(n, contract.spec(n).title) for n in names])
    with zipfile.ZipFile(dest / ZIP_NAME, "w", zipfile.ZIP_DEFLATED) as z:
        for name in names:
            path = processed / f"{name}.parquet"
            n_rows = pq.ParquetFile(path).metadata.num_rows if path.exists() else 0
            parents: set[tuple[str, str]] = set()
            if name in CLASSIFICATIONS and n_rows:
                codes = pq.read_table(path, columns=["doc_id", "code"]).to_pylist()
                parents = _parents({(r["doc_id"], r["code"]) for r in codes if r.get("code")})
            cols, has_total = columns(name, n_rows), _has_total(name, n_rows)
            wb.add_sheet(name, cols)
            info = zipfile.ZipInfo(f"{name}.csv", FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, "w", force_zip64=True) as f:
                f.write(("\ufeff" + _csv_text([cols])).encode("utf-8"))
                for rows in _batches(path):
                    out = enrich_rows(name, rows, parents, has_total)
                    f.write(_csv_text(out).encode("utf-8"))
                    for r in out:
                        wb.write_row(r)
    wb.close()


EXAMPLES = """
## 载入示例

```python
# pandas：金额读成精确小数；求和前先去掉 is_total 行
import pandas as pd
from decimal import Decimal
df = pd.read_csv("expenditure_by_function.csv", dtype=str, encoding="utf-8-sig")
parts = df[df.is_total == "false"]
print(sum(Decimal(x) for x in parts.total_wan.dropna()))
```

```r
# R
library(readr)
df <- read_csv("expenditure_by_function.csv", col_types = cols(.default = "c"))
sum(as.numeric(df$total_wan[df$is_total == "false"]), na.rm = TRUE)
```

```sql
-- DuckDB
SELECT doc_id, sum(total_wan) FROM read_csv('expenditure_by_function.csv')
WHERE NOT is_total GROUP BY doc_id ORDER BY doc_id;
```

**Excel / WPS**：直接打开 budget.xlsx（每张表一个工作表，README 工作表说明各列）；
或“数据 → 从文本/CSV”导入单个 CSV，编码选 UTF-8。筛选 is_total = FALSE 后再求和。

## 许可

本站数据按 [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/deed.zh-hans) 许可发布：可以自由复制、
修改和再发布，请注明“预算公开数据”及原始公开文件的发布单位。原始公开文件的权利归其发布机关。
"""


def size_slot(name: str) -> str:
    """Where the downloads page shows a file's size while the file is still being written (the ZIP and
    the workbook are written beside mkdocs; fill_sizes puts the sizes into the built page)."""
    return f'<span class="dl-size" data-file="{h(name)}" data-search-exclude>…</span>'


def fill_sizes(page: Path, files: Path) -> None:
    """Put the sizes of the files in `files` into the built downloads page's size slots."""
    if not page.is_file():
        return
    html = page.read_text(encoding="utf-8")
    for name in (ZIP_NAME, XLSX_NAME):
        p = files / name
        html = html.replace(size_slot(name), h(fmt_bytes(p.stat().st_size)) if p.exists() else "—")
    page.write_text(html, encoding="utf-8")


def section(dest: Path | None) -> str:
    """The downloads page's part for the ZIP and XLSX files, with loading examples and the licence.
    dest: the folder holding the two files, or None while they are written beside mkdocs (size slots)."""

    def size(name: str) -> str:
        if dest is None:
            return size_slot(name)
        p = dest / name
        return h(fmt_bytes(p.stat().st_size)) if p.exists() else "—"

    return (f'<p class="dl-all"><a href="../../downloads/{ZIP_NAME}" download>全部 CSV（ZIP，{size(ZIP_NAME)}）</a>　'
            f'<a href="../../downloads/{XLSX_NAME}" download>Excel 工作簿（XLSX，{size(XLSX_NAME)}）</a></p>\n\n'
            "ZIP 和 XLSX 中的表在契约列之外，还带有代码的中文名称列（*_label）和 `is_total` 列。\n" + EXAMPLES)


def main(argv: list[str] | None = None) -> int:
    """`python -m generator.publish.downloads PROCESSED DEST`: the ZIP and the workbook, in a process of
    their own so they are written on another core while the pages render and mkdocs builds."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m generator.publish.downloads PROCESSED DEST", file=sys.stderr)
        return 2
    write_files(Path(args[0]), Path(args[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
