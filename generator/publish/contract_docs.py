"""The data contract and the issue codes as Markdown for docs/ (generated from contract.py).

`python -m generator docs` rewrites docs/data-contract.md and docs/issue-codes.md; a test
fails when the committed files differ from what the contract says.
"""

from __future__ import annotations

from pathlib import Path

from .. import contract

TYPES = {"str": "text", "int": "integer", "dec": "DECIMAL(20,6)", "bool": "boolean", "date": "date"}


def _cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def data_contract_md() -> str:
    out = ["# Data contract", "",
           "Generated from `generator/contract.py` by `python -m generator docs`; do not edit by hand.", "",
           "Every table is published as Parquet (money as `decimal128(20,6)` in 万元) and as CSV (UTF-8 with BOM).",
           "Empty source cells are NULL; a printed 0 is 0. Columns marked *ext* extend the original contract:",
           "columns are only ever added, never renamed.", "", contract.CSV_SAFETY_EN, "",
           "## Querying with DuckDB", "",
           "The site publishes no database file. `downloads/budget.sql` is a DuckDB script that makes one view per",
           "table over its Parquet file (`tables/<name>.parquet`, relative to the working directory), rows in key",
           "order, column types as in the Parquet files (money `DECIMAL(20,6)`), the table's title and meaning and",
           "each column's meaning as comments (`duckdb_views()`, `duckdb_columns()`). Put `budget.sql` in a folder",
           "with every Parquet file in its `tables/` subfolder (creating a view reads its file; `downloads/budget-parquet.zip`",
           "is such a folder, unzipped) and run, in that folder:",
           "", "```sh", "duckdb -init budget.sql        # or .read budget.sql in a DuckDB shell", "```", "",
           "From Python: `con = duckdb.connect(); con.execute(open('budget.sql', encoding='utf-8').read())`.",
           "From another folder, first `SET file_search_path = '<that folder>'`.", ""]
    for t in contract.TABLES:
        out += [f"## `{t.name}` — {t.title}" + (" *(ext)*" if t.ext else ""), "", _cell(t.doc), "",
                f"Key and sort order: `{', '.join(t.key)}`", "",
                "| column | type | unit | meaning |", "|---|---|---|---|"]
        out += [f"| `{c.name}`{' *(ext)*' if c.ext else ''} | {TYPES[c.type]} | {_cell(c.unit)} | {_cell(c.doc)} |"
                for c in t.columns]
        out.append("")
    return "\n".join(out)


def issue_codes_md() -> str:
    out = ["# Issue codes", "",
           "Generated from `generator/contract.py` (`ISSUE_CODES`) by `python -m generator docs`.", "",
           "A problem met while reading or parsing a file is an issue with a stable code. Issues are counted per",
           "document in `documents.parse_warnings`, stored in the `parse_issues` table, listed on the site's",
           "data-quality page and summarised at the end of the build. `--strict` exits 1 on any `error`.", "",
           "| code | usual severity | 中文 | meaning |", "|---|---|---|---|"]
    out += [f"| `{c.code}` | {c.severity} | {c.label} | {_cell(c.meaning)} |" for c in contract.ISSUE_CODES]
    return "\n".join(out) + "\n"


GENERATED = {"data-contract.md": data_contract_md, "issue-codes.md": issue_codes_md}


def write_docs(dest: Path) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, make in GENERATED.items():
        (dest / name).write_text(make(), encoding="utf-8")
        paths.append(dest / name)
    return paths
