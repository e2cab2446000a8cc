"""Command line: a thin layer over the library; the only place that prints and picks exit codes."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from . import build

ROOT = Path.cwd()


def _summary(issues, out=sys.stderr) -> None:
    if not issues:
        print("parse: no issues", file=out)
        return
    by = Counter((i.severity, i.code) for i in issues)
    print(f"parse: {len(issues)} issue(s):", file=out)
    for (sev, code), n in sorted(by.items()):
        print(f"  {sev:7} {code:28} {n}", file=out)
    for i in issues:
        if i.severity == "error":
            print(f"  ERROR {i.where}: {i.message}", file=out)


def cmd_data(args) -> int:
    res = build.build_data(Path(args.raw), Path(args.out))
    _summary(res.issues)
    print(f"data: {res.documents} document(s) -> {args.out}", file=sys.stderr)
    return 1 if args.strict and any(i.severity == "error" for i in res.issues) else 0


def cmd_parse(args) -> int:
    paths = [Path(p) for p in args.files]
    if args.stage:
        for p in paths:
            json.dump(build.dump_stage(p, args.stage), sys.stdout, ensure_ascii=False, indent=1, default=str)
            sys.stdout.write("\n")
        return 0
    res = build.parse_to(paths, Path(args.out))
    _summary(res.issues)
    return 1 if args.strict and any(i.severity == "error" for i in res.issues) else 0


def cmd_site(args) -> int:
    from .publish import site

    res = build.build_data(Path(args.raw), Path(args.out))
    _summary(res.issues)
    return site.build_site(ROOT, Path(args.out), serve=False, page_texts=build.page_texts)


def cmd_docs(args) -> int:
    from .publish import contract_docs

    for path in contract_docs.write_docs(Path(args.out)):
        print(f"docs: wrote {path}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("data", help="parse data/raw/ into data/processed/")
    d.add_argument("--raw", default="data/raw")
    d.add_argument("--out", default="data/processed")
    d.add_argument("--strict", action="store_true", help="exit 1 when a file could not be read")
    d.set_defaults(fn=cmd_data)
    p = sub.add_parser("parse", help="parse the given files into DIR/<table>.parquet and .csv")
    p.add_argument("files", nargs="+")
    p.add_argument("--out", default="out")
    p.add_argument("--stage", choices=build.STAGES, help="dump an intermediate stage as JSON instead")
    p.add_argument("--strict", action="store_true")
    p.set_defaults(fn=cmd_parse)
    s = sub.add_parser("site", help="parse data/raw/, generate pages, build site/")
    s.add_argument("--raw", default="data/raw")
    s.add_argument("--out", default="data/processed")
    s.set_defaults(fn=cmd_site)
    o = sub.add_parser("docs", help="regenerate docs/data-contract.md and docs/issue-codes.md from the contract")
    o.add_argument("--out", default="docs")
    o.set_defaults(fn=cmd_docs)
    args = ap.parse_args(argv)
    return int(args.fn(args))
