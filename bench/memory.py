"""Run a command and sample the resident memory of its whole process tree (Linux /proc).

Peak RSS is summed over the tree (pool workers included) and split into mkdocs processes and
the rest (the generator); forked workers share pages, so the sum is an upper bound.

    python bench/memory.py [--cwd DIR] -- COMMAND ...   # prints seconds and peak MB as JSON
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

INTERVAL = 0.1


@dataclass
class Run:
    seconds: float
    returncode: int
    peak_total_mb: float
    peak_generator_mb: float
    peak_mkdocs_mb: float


def _procs() -> dict[int, tuple[int, int, str]]:
    """pid -> (ppid, rss kB, cmdline)."""
    out = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            status = (d / "status").read_text()
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        f = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        rss = int(f.get("VmRSS", "0 kB").split()[0])
        out[int(d.name)] = (int(f["PPid"]), rss, cmd)
    return out


def _tree(root: int, procs: dict[int, tuple[int, int, str]]) -> list[int]:
    kids: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in procs.items():
        kids.setdefault(ppid, []).append(pid)
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in procs:
            out.append(pid)
        todo += kids.get(pid, [])
    return out


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, log: Path | None = None) -> Run:
    peaks = {"total": 0, "gen": 0, "mkdocs": 0}
    t0 = time.perf_counter()
    with open(log or "/dev/null", "w") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                procs = _procs()
                pids = _tree(proc.pid, procs)
                mk = sum(procs[p][1] for p in pids if "mkdocs" in procs[p][2])
                tot = sum(procs[p][1] for p in pids)
                peaks["total"] = max(peaks["total"], tot)
                peaks["mkdocs"] = max(peaks["mkdocs"], mk)
                peaks["gen"] = max(peaks["gen"], tot - mk)
                done.wait(INTERVAL)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        rc = proc.wait()
        done.set()
        th.join()
    mb = {k: round(v / 1024, 1) for k, v in peaks.items()}
    return Run(round(time.perf_counter() - t0, 2), rc, mb["total"], mb["gen"], mb["mkdocs"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cwd", type=Path, default=Path.cwd())
    ap.add_argument("--log", type=Path)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    if not cmd:
        ap.error("no command")
    r = run(cmd, a.cwd, log=a.log)
    print(json.dumps(vars(r)))
    return r.returncode


if __name__ == "__main__":
    sys.exit(main())
