"""Every regular expression in the generator package: module-level compiled patterns and the
string literals passed to re.* functions (found by walking the source, not by a hand list)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import generator

RE_FUNCS = {"compile", "match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer"}


def compiled_patterns() -> dict[str, re.Pattern]:
    """module.NAME -> pattern for every re.Pattern among the package's module globals."""
    out: dict[str, re.Pattern] = {}
    for info in pkgutil.walk_packages(generator.__path__, "generator."):
        if info.name.endswith("__main__"):
            continue
        mod = importlib.import_module(info.name)
        for name, value in vars(mod).items():
            if isinstance(value, re.Pattern):
                out[f"{info.name}.{name}"] = value
            elif isinstance(value, (list, tuple)):
                for i, v in enumerate(value):
                    if isinstance(v, re.Pattern):
                        out[f"{info.name}.{name}[{i}]"] = v
    return out


def literal_patterns() -> dict[str, re.Pattern]:
    """file:line -> pattern for every re.<func>("literal", ...) call in the package's source."""
    out: dict[str, re.Pattern] = {}
    root = Path(generator.__file__).parent
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RE_FUNCS
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                flags = 0
                for kw in node.keywords:
                    if kw.arg == "flags":
                        flags = re.I if "I" in ast.unparse(kw.value) else 0
                out[f"{path.relative_to(root.parent)}:{node.lineno}"] = re.compile(node.args[0].value, flags)
    return out


def all_patterns() -> dict[str, re.Pattern]:
    return {**compiled_patterns(), **literal_patterns()}


def hostile_inputs(size: int) -> dict[str, str]:
    """Long runs of what disclosures are made of: spaces, digits, CJK, and mixes of them."""
    return {"spaces": " " * size, "digits": "1" * size, "cjk": "预" * size, "digits-spaces": "1 " * (size // 2)}


def exercise(pattern: re.Pattern, text: str) -> None:
    """The work the parser does with a pattern: search, and a substitution over the whole text."""
    pattern.search(text)
    pattern.sub("", text, count=0) if pattern.groups == 0 else pattern.subn("", text)
