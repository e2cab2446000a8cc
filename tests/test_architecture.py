"""The layout is the architecture: parse, check, publish, with imports running one way.

- shared modules (contract, labels, model, values, textcodec) import no stage;
- parse/ knows nothing of checks, publish or the build;
- checks/ read records (and the shared model), never parser internals or pages;
- publish/ reads contract tables, never the parser or the checks;
- only build.py and cli.py (the orchestration) import across stages.
Also: every issue code used in the source is documented in contract.ISSUE_CODES, and
docs/ holds what `python -m generator docs` generates from the contract.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

from generator import contract
from generator.publish import contract_docs

PKG = ROOT / "generator"
SHARED = {"contract", "labels", "model", "values", "textcodec"}
ALLOWED = {
    "shared": SHARED,
    "parse": SHARED | {"parse"},
    "checks": SHARED | {"checks"},
    "publish": SHARED | {"publish"},
}


def _stage(module: str) -> str:
    """'generator.parse.records.totals' -> 'parse'; 'generator.values' -> 'values'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path) -> set[str]:
    pkg = list(path.relative_to(ROOT).parts[:-1])  # the package a relative import starts from
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg[: len(pkg) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
                names = [mod] if node.module else [f"{mod}.{a.name}" for a in node.names]
            else:
                names = [node.module or ""]
            out |= {n for n in names if n.startswith("generator")}
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("generator")}
    return out


def _kind(path: Path) -> str | None:
    rel = path.relative_to(PKG).parts
    if len(rel) > 1:
        return rel[0]
    name = rel[0].removesuffix(".py")
    return "shared" if name in SHARED else None  # build, cli, __main__: orchestration


SOURCES = sorted(PKG.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PKG)))
def test_imports_run_one_way(path):
    kind = _kind(path)
    if kind is None:
        return
    bad = sorted(m for m in _imports(path) if _stage(m) and _stage(m) not in ALLOWED[kind])
    assert not bad, f"{path.relative_to(ROOT)} ({kind}) may not import {bad}"


def test_stage_packages_exist():
    for stage in ("parse", "checks", "publish"):
        assert (PKG / stage / "__init__.py").is_file()


def _issue_codes_used() -> set[str]:
    used = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                fn = node.func
                name = fn.id if isinstance(fn, ast.Name) else fn.attr if isinstance(fn, ast.Attribute) else ""
                if name in ("Issue", "_issue", "warn") and isinstance(node.args[0].value, str):
                    used.add(node.args[0].value)
    return used


def test_every_issue_code_is_documented():
    used = _issue_codes_used()
    assert used, "no Issue(...) calls found: the scan is broken"
    missing = used - set(contract.ISSUE_BY_CODE)
    assert not missing, f"issue codes used but not in contract.ISSUE_CODES: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(contract_docs.GENERATED))
def test_docs_are_generated_from_the_contract(name):
    committed = (ROOT / "docs" / name).read_text(encoding="utf-8")
    assert committed == contract_docs.GENERATED[name](), f"docs/{name} is stale: run `python -m generator docs`"
