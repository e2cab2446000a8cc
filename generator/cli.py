"""Command line: a thin layer over the library; the only place that prints and picks exit codes."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from . import build, cache, parallel

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


def _cache_dir(args) -> Path | None:
    return None if args.no_cache or not args.cache else Path(args.cache)


def _build_data(args):
    shard = parallel.parse_shard_arg(args.shard) if getattr(args, "shard", None) else None
    return build.build_data(Path(args.raw), Path(args.out), args.jobs, _cache_dir(args), shard)


def cmd_data(args) -> int:
    res = _build_data(args)
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
    if args.shard:
        paths = parallel.shard(paths, *parallel.parse_shard_arg(args.shard))
    res = build.parse_to(paths, Path(args.out), args.jobs, _cache_dir(args))
    _summary(res.issues)
    return 1 if args.strict and any(i.severity == "error" for i in res.issues) else 0


def cmd_site(args) -> int:
    from .publish import site

    res = _build_data(args)
    _summary(res.issues)
    stamp_dir = Path(args.cache or cache.DEFAULT_DIR)
    digest = cache.site_inputs_digest(ROOT, (ROOT / args.out).resolve())
    if not args.no_cache and cache.site_is_current(stamp_dir, ROOT / "site", digest):
        print("site: nothing changed since the last build; site/ is current", file=sys.stderr)
        return 0
    cache.clear_stamp(stamp_dir)
    rc = site.build_site(ROOT, Path(args.out), serve=False)
    if rc == 0 and not args.no_cache:
        cache.write_stamp(stamp_dir, digest)
    return rc


def cmd_merge(args) -> int:
    n = build.merge([Path(d) for d in args.shards], Path(args.out))
    print(f"merge: {n} document(s) from {len(args.shards)} shard(s) -> {args.out}", file=sys.stderr)
    return 0


def _add_speed_args(p: argparse.ArgumentParser, cache_default: str | None) -> None:
    p.add_argument("--jobs", "-j", type=int, default=parallel.cpu_count(),
                   help="parse in this many processes (default: every core)")
    p.add_argument("--cache", default=cache_default,
                   help="keep parsed files here, keyed by content and parser version"
                        + (f" (default {cache_default})" if cache_default else ""))
    p.add_argument("--no-cache", action="store_true", help="parse every file again, keep nothing")


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
    d.add_argument("--shard", metavar="K/N", help="parse only shard K of N (merge the shards with `merge`)")
    _add_speed_args(d, str(cache.DEFAULT_DIR))
    d.set_defaults(fn=cmd_data)
    p = sub.add_parser("parse", help="parse the given files into DIR/<table>.parquet and .csv")
    p.add_argument("files", nargs="+")
    p.add_argument("--out", default="out")
    p.add_argument("--stage", choices=build.STAGES, help="dump an intermediate stage as JSON instead")
    p.add_argument("--strict", action="store_true")
    p.add_argument("--shard", metavar="K/N", help="parse only shard K of N of the given files")
    _add_speed_args(p, None)
    p.set_defaults(fn=cmd_parse)
    s = sub.add_parser("site", help="parse data/raw/, generate pages, build site/")
    s.add_argument("--raw", default="data/raw")
    s.add_argument("--out", default="data/processed")
    _add_speed_args(s, str(cache.DEFAULT_DIR))
    s.set_defaults(fn=cmd_site)
    m = sub.add_parser("merge", help="merge shard outputs (DIR/<table>.parquet) into one output")
    m.add_argument("shards", nargs="+", metavar="DIR")
    m.add_argument("--out", default="data/processed")
    m.set_defaults(fn=cmd_merge)
    o = sub.add_parser("docs", help="regenerate docs/data-contract.md and docs/issue-codes.md from the contract")
    o.add_argument("--out", default="docs")
    o.set_defaults(fn=cmd_docs)
    args = ap.parse_args(argv)
    return int(args.fn(args))
