"""Long fuzz runs over the whole parse: mutated seeds -> read, parse, check, write every table.

    python bench/fuzz.py [--n 100000] [--workers 2] [--state /tmp/fuzz] [--seeds data/raw]

Input i is a pure function of i (random.Random(i) picks a seed and a mutation), so a run is
reproducible and resumable: results go to <state>/worker-<k>.jsonl and indices already there are
skipped. Reports inputs per second and, per kind, the failures:
  crash   an exception escaped the build (reader, parser, checks or the Parquet/CSV writer);
  dropped the file was read as a document but no `documents` row came out;
  hang    one input took longer than --hang seconds (CPU time).
Reproduce input i with `python bench/fuzz.py --show i > file`.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator import build, contract  # noqa: E402
from generator.publish import store  # noqa: E402

HOSTILE = [
    "9" * 15, "9" * 40, "1" * 5000, "1e308", "1e308%", "约25%", "25%以上", "-0", "NaN", "Infinity",
    "=HYPERLINK(\"http://x\")", "+1", "@SUM(A1)", "\t=1", " " * 50000, "\u0000", "\x1b[31m", "\ufffd",
    "（1,234.5）", "１２３", "≥" * 100, "TC " * 1000, "\\f C \\l 1", "<script>alert(1)</script>", "&amp;",
    "一、" * 500, "\r", "\u2028", "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
]


def seeds(folder: Path) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")]


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to four mutations: byte flips, truncation, a window of the file, splices, hostile tokens,
    control characters, huge numbers, re-encodings."""
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(9)
        pos = rng.randrange(len(b) + 1)
        if op == 0 and b:  # flip bytes
            for _ in range(rng.randint(1, 20)):
                b[rng.randrange(len(b))] = rng.randrange(256)
        elif op == 1:  # truncate
            del b[pos:]
        elif op == 2:  # hostile token into a cell
            b[pos:pos] = rng.choice(HOSTILE).encode("utf-8", "replace")
        elif op == 3 and b:  # duplicate a slice
            end = min(len(b), pos + rng.randint(1, 5000))
            b[pos:pos] = b[pos:end] * rng.randint(1, 5)
        elif op == 4:  # delete a slice
            del b[pos:pos + rng.randint(1, 2000)]
        elif op == 5:  # control characters
            b[pos:pos] = bytes(rng.randrange(32) for _ in range(rng.randint(1, 10)))
        elif op == 6:  # replace a number with a huge one
            text = bytes(b).decode("utf-8", "replace")
            digits = [i for i, ch in enumerate(text) if ch.isdigit()]
            if digits:
                i = rng.choice(digits)
                text = text[:i] + rng.choice(["9" * rng.randint(14, 60), "1e308", "0." + "1" * 30]) + text[i:]
                b = bytearray(text.encode("utf-8"))
        elif op == 7 and b:  # a window of the file (a page or a few tables torn out of it)
            start = rng.randrange(len(b))
            b = b[start:start + rng.randint(200, 20000)]
        else:  # re-encode
            text = bytes(b).decode("utf-8", "replace")
            b = bytearray(text.encode(rng.choice(["gb18030", "utf-16", "utf-8-sig"]), "replace"))
    return bytes(b)


def make_input(i: int, pool: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    rng = random.Random(i)
    name, data = rng.choice(pool)
    return name, mutate(data, rng)


def _crashed(fr: build.FileResult) -> str | None:
    """A reader or parser exception that parse_file caught and turned into an issue is still a crash."""
    for i in list(fr.read_issues) + list(fr.parse_issues):
        if i.code == "parse-crash" or (i.code == "unreadable-file" and "reader failed" in i.message):
            return f"{i.code}: {i.message}"[:200]
    return None


def parse_one(i: int, pool: list[tuple[str, bytes]], work: Path) -> tuple[dict, build.FileResult | None]:
    """Read, parse and check input i (one file alone, as the build does)."""
    name, data = make_input(i, pool)
    path = work / f"{i}-{name}"
    path.write_bytes(data)
    t0 = time.process_time()
    out: dict = {"i": i, "kind": "ok", "bytes": len(data)}
    fr = None
    try:
        fr = build.parse_file(path)
        crash = _crashed(fr)
        if crash:
            out.update(kind="crash", detail=crash)
        elif fr.tables is not None and not fr.tables.get("documents"):
            out.update(kind="dropped", detail=[x.code for x in fr.parse_issues][:5])
    except Exception as e:  # noqa: BLE001 - what we count
        out.update(kind="crash", detail=f"{type(e).__name__}: {e}"[:200], tb=traceback.format_exc()[-800:])
    finally:
        path.unlink()
    out["cpu"] = round(time.process_time() - t0, 3)
    return out, fr


def write_batch(frs: list[build.FileResult], out: Path) -> None:
    """The write stage over a batch of parsed files: every contract table as Parquet + CSV."""
    res = build.BuildResult(tables={t.name: [] for t in contract.TABLES})
    seen: dict[str, str] = {}
    for fr in frs:
        build.add_result(res, fr, seen)
    store.write_all(out, res.tables)


def run_batch(idx: list[int], pool: list[tuple[str, bytes]], work: Path) -> list[dict]:
    """Parse each input of the batch alone, then write the batch's tables once (the writer's cost is
    shared); when the shared write fails, each input is written alone to name the one that broke it."""
    results = [parse_one(i, pool, work) for i in idx]
    ok = [(r, fr) for r, fr in results if fr is not None and r["kind"] == "ok"]
    t0 = time.process_time()
    try:
        write_batch([fr for _, fr in ok], work / "out")
    except Exception:  # noqa: BLE001 - find the culprit
        for r, fr in ok:
            try:
                write_batch([fr], work / "out")
            except Exception as e:  # noqa: BLE001 - what we count
                r.update(kind="crash", detail=f"writer: {type(e).__name__}: {e}"[:200],
                         tb=traceback.format_exc()[-800:])
    share = (time.process_time() - t0) / max(1, len(results))
    for r, _ in results:
        r["cpu"] = round(r["cpu"] + share, 3)
    return [r for r, _ in results]


def worker(k: int, workers: int, n: int, state: Path, seed_dir: str, hang: float, batch: int) -> None:
    log = state / f"worker-{k}.jsonl"
    done = {json.loads(line)["i"] for p in state.glob("worker-*.jsonl") for line in p.read_text().splitlines()
            if line.strip()}
    pool = seeds(Path(seed_dir))
    todo = [i for i in range(k, n, workers) if i not in done]
    with tempfile.TemporaryDirectory() as tmp, log.open("a") as f:
        for start in range(0, len(todo), batch):
            for r in run_batch(todo[start:start + batch], pool, Path(tmp)):
                if r["cpu"] > hang:
                    r["kind"] = "hang"
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
            f.flush()


def report(state: Path) -> dict:
    uniq = {}
    for p in sorted(state.glob("worker-*.jsonl")):
        for line in p.read_text().splitlines():
            if line:
                r = json.loads(line)
                uniq[r["i"]] = r
    rows = [uniq[i] for i in sorted(uniq)]
    by: dict[str, int] = {}
    for r in rows:
        by[r["kind"]] = by.get(r["kind"], 0) + 1
    cpu = sum(r["cpu"] for r in rows)
    return {"inputs": len(rows), "by_kind": by, "cpu_s": round(cpu, 1),
            "inputs_per_cpu_s": round(len(rows) / cpu, 2) if cpu else None,
            "failures": [r for r in rows if r["kind"] != "ok"][:20]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--state", default="/tmp/budget-fuzz")
    ap.add_argument("--seeds", default=str(ROOT / "data" / "raw"))
    ap.add_argument("--hang", type=float, default=20.0, help="CPU seconds after which one input counts as a hang")
    ap.add_argument("--batch", type=int, default=25, help="inputs whose tables are written together")
    ap.add_argument("--show", type=int, help="write input I to stdout and exit")
    args = ap.parse_args()
    if args.show is not None:
        sys.stdout.buffer.write(make_input(args.show, seeds(Path(args.seeds)))[1])
        return 0
    state = Path(args.state)
    state.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    before = report(state)["inputs"]
    procs = [mp.Process(target=worker, args=(k, args.workers, args.n, state, args.seeds, args.hang, args.batch))
             for k in range(args.workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    rep = report(state)
    wall = time.time() - t0
    rep["this_run_inputs_per_s"] = round((rep["inputs"] - before) / wall, 2) if wall else None
    print(json.dumps(rep, ensure_ascii=False, indent=1))
    return 0 if set(rep["by_kind"]) <= {"ok"} else 1


if __name__ == "__main__":
    raise SystemExit(main())
