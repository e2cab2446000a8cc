"""Spread the parse over processes, shards and the cache; merge shard outputs with DuckDB.

Results always come back in input order, so a parallel, cached or sharded-then-merged run
writes the same bytes as one serial run.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from .cache import ParseCache, file_sha256

R = TypeVar("R")
S = TypeVar("S")
# Files handed to a worker at once: enough to amortise the hand-over, few enough to keep
# both cores busy to the end (a 300-page PDF next to 1,000 small text files).
MAX_CHUNK = 4


def cpu_count() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def shard_key(path: Path) -> int:
    """Files are split by content, so two copies of one file fall in the same shard and the
    duplicate is found there exactly as in a whole run."""
    sha = file_sha256(path) or hashlib.sha256(path.name.encode("utf-8")).hexdigest()
    return int(sha, 16)


def shard(paths: list[Path], k: int, n: int) -> list[Path]:
    """Shard k of n (1-based) of the files, in their order."""
    if not 1 <= k <= n:
        raise ValueError(f"shard {k}/{n}: k must be between 1 and n")
    return [p for p in paths if shard_key(p) % n == k - 1]


def parse_shard_arg(text: str) -> tuple[int, int]:
    """'2/4' -> (2, 4)."""
    k, _, n = text.partition("/")
    kn = (int(k), int(n))
    if not 1 <= kn[0] <= kn[1]:
        raise ValueError(f"--shard {text}: want k/n with 1 <= k <= n")
    return kn


def _die_with_parent() -> None:
    """Linux: this worker gets SIGTERM when the build process dies, even by SIGKILL (a killed build leaves
    no worker behind). publish.site does the same for mkdocs and the page-render processes."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - other systems: the pool's own shutdown is all there is
        pass


# A parse worker's garbage collector: the objects it inherits are frozen (never scanned again) and the
# youngest generation is collected every 10,000 allocations, not 700. Parsing allocates millions of
# short-lived, acyclic objects (cells, strings, rows); the default settings spent 6% of a worker's CPU
# collecting them, these 0.3% (measured with gc.callbacks over 300 text files and 10 PDFs).
WORKER_GC_THRESHOLD = (10_000, 50, 100)


def _worker_init(parent: int) -> None:
    _die_with_parent()
    if os.getppid() != parent:  # the build died while this worker was starting
        os._exit(1)
    gc.freeze()
    gc.set_threshold(*WORKER_GC_THRESHOLD)


def _pool(jobs: int, tasks: int) -> Any:
    if jobs > 1 and tasks > 1:
        return ProcessPoolExecutor(max_workers=min(jobs, tasks), initializer=_worker_init, initargs=(os.getpid(),))
    return nullcontext()


def results(paths: list[Path], fn: Callable[[Path], R], jobs: int = 1, cache_dir: Path | None = None) -> Iterator[R]:
    """fn(path) for every path, in order: from the cache when the file was parsed before by this
    parser version, else computed in a pool of `jobs` processes (and then cached)."""
    for _, got in keyed_results(paths, fn, jobs, cache_dir):
        yield got


def keyed_results(paths: list[Path], fn: Callable[[Path], R], jobs: int = 1,
                  cache_dir: Path | None = None) -> Iterator[tuple[tuple[str, str] | None, R]]:
    """As results, each with the (sha256, name) it is cached under (None when not cached), so a
    caller can drop the result and load it again from the cache."""
    pc = ParseCache(cache_dir) if cache_dir else None
    keys = [(file_sha256(p), p.name) for p in paths] if pc else [(None, p.name) for p in paths]
    cached = {k for k in keys if pc and k[0] and pc.has(k[0], k[1])}
    todo = [p for p, k in zip(paths, keys, strict=True) if k not in cached]
    chunk = max(1, min(MAX_CHUNK, len(todo) // (4 * max(jobs, 1))))
    with _pool(jobs, len(todo)) as ex:
        fresh = ex.map(fn, todo, chunksize=chunk) if ex else map(fn, todo)
        for p, (sha, name) in zip(paths, keys, strict=True):
            got = pc.get(sha, name) if pc and sha and (sha, name) in cached else None
            if got is None:
                got = next(fresh) if (sha, name) not in cached else fn(p)  # a torn entry is re-parsed
                if pc and sha:
                    pc.put(sha, name, got)
            yield ((sha, name) if pc and sha else None), got
    if pc:
        pc.prune_old_versions()


def _dump(value: Any, dest: Path) -> None:
    dest.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _compute_and_keep(fn: Callable[[Path], R], summarize: Callable[[R], S], cache_dir: Path | None,
                      task: tuple[Path, str | None, Path | None]) -> S:
    """In a worker: fn(path), kept on disk by this process (in the cache under the file's key, else as
    a pickle at `spill`), and only its summary sent back to the parent."""
    path, sha, spill = task
    got = fn(path)
    if cache_dir is not None and sha:
        ParseCache(cache_dir).put(sha, path.name, got)
    elif spill is not None:
        _dump(got, spill)
    return summarize(got)


def work_estimate(path: Path) -> tuple[bool, int]:
    """How long a file takes to parse, roughly: a PDF (pages to lay out, perhaps OCR) before any text file,
    then by size."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return path.suffix.lower() == ".pdf", size


def _in_order(order: list[int], results: Iterator[S]) -> Iterator[S]:
    """Results computed in `order` (a permutation of positions), yielded by position."""
    held: dict[int, S] = {}
    it = iter(order)
    for want in range(len(order)):
        while want not in held:
            held[next(it)] = next(results)
        yield held.pop(want)


def kept_results(paths: list[Path], fn: Callable[[Path], R], summarize: Callable[[R], S], spill_dir: Path,
                 jobs: int = 1, cache_dir: Path | None = None) -> Iterator[tuple[tuple[str, str] | None, S]]:
    """As keyed_results, but each result stays on disk, written by the process that computed it: in the
    cache (key (sha256, name)) or else at spill_dir/<position>.pickle (key None); the parent gets
    summarize(result) only, so a result is pickled once and never sent between processes.
    Cached results are read here and summarized."""
    pc = ParseCache(cache_dir) if cache_dir else None
    keys = [(file_sha256(p), p.name) for p in paths] if pc else [(None, p.name) for p in paths]
    cached = {k for k in keys if pc and k[0] and pc.has(k[0], k[1])}
    todo = [(p, sha, None if pc and sha else spill_dir / f"{i}.pickle")
            for i, (p, (sha, name)) in enumerate(zip(paths, keys, strict=True)) if (sha, name) not in cached]
    task = partial(_compute_and_keep, fn, summarize, cache_dir)
    chunk = max(1, min(MAX_CHUNK, len(todo) // (4 * max(jobs, 1))))
    with _pool(jobs, len(todo)) as ex:
        if ex:  # the costliest first, so no core waits at the end on one long PDF; summaries are small
            order = sorted(range(len(todo)), key=lambda j: work_estimate(todo[j][0]), reverse=True)
            fresh = _in_order(order, ex.map(task, [todo[j] for j in order], chunksize=chunk))
        else:
            fresh = map(task, todo)
        for p, (sha, name) in zip(paths, keys, strict=True):
            if pc and sha and (sha, name) in cached:
                got = pc.get(sha, name)
                if got is None:  # a torn entry is parsed again, here
                    got = fn(p)
                    pc.put(sha, name, got)
                yield (sha, name), summarize(got)
            else:
                yield ((sha, name) if pc and sha else None), next(fresh)
    if pc:
        pc.prune_old_versions()


def union_tables(dirs: list[Path], names: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Per table, the rows of every shard directory: one DuckDB union over their Parquet files."""
    import duckdb

    con = duckdb.connect()
    out: dict[str, list[dict[str, Any]]] = {}
    try:
        for name in names:
            files = [(d / f"{name}.parquet").as_posix() for d in dirs if (d / f"{name}.parquet").exists()]
            if files:
                arrow = con.sql("SELECT * FROM read_parquet($files)", params={"files": files}).to_arrow_table()
                out[name] = arrow.to_pylist()
    finally:
        con.close()
    return out


def _document_runs(path: Path, key: Callable[[Any], tuple], batch: int = 8192) -> Iterator[tuple[tuple, list[dict[str, Any]]]]:
    """(doc_id sort key, rows) runs of one Parquet file written in doc_id order, read batch by batch."""
    import pyarrow.parquet as pq

    cur: tuple | None = None
    rows: list[dict[str, Any]] = []
    pf = pq.ParquetFile(path)
    try:
        for b in pf.iter_batches(batch_size=batch):
            for r in b.to_pylist():
                k = key(r.get("doc_id"))
                if rows and k != cur:
                    yield cur, rows  # type: ignore[misc]
                    rows = []
                cur = k
                rows.append(r)
    finally:
        pf.close()
    if rows:
        yield cur, rows  # type: ignore[misc]


def _named_runs(path: Path, name: str, key: Callable[[Any], tuple]) -> Iterator[tuple[tuple, str, list[dict[str, Any]]]]:
    for k, rows in _document_runs(path, key):
        yield k, name, rows


def merged_documents(dirs: list[Path], names: list[str],
                     key: Callable[[Any], tuple]) -> Iterator[dict[str, list[dict[str, Any]]]]:
    """Shard outputs of document-major tables -> per doc_id sort key (in order), its rows of every
    table from every shard: a k-way merge of files each already in doc_id order, one document in
    memory at a time per table and shard. `key` is the doc_id sort key."""
    import heapq

    streams = []
    for name in names:
        for d in dirs:
            p = d / f"{name}.parquet"
            if p.exists():
                streams.append(_named_runs(p, name, key))
    group: dict[str, list[dict[str, Any]]] = {}
    cur: tuple | None = None
    for k, name, rows in heapq.merge(*streams, key=lambda x: x[0]):
        if group and k != cur:
            yield group
            group = {}
        cur = k
        group.setdefault(name, []).extend(rows)
    if group:
        yield group
