"""Parallel and sharded parses write the same bytes as one serial parse.

The input is the seeds plus a renamed copy of one (a duplicate must be found whichever
process or shard reads it) and an empty file (an issue, no document).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import raw_files, run_generator

from generator import parallel


def _same_bytes(a: Path, b: Path) -> list[str]:
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    return [n for n in names if (a / n).read_bytes() != (b / n).read_bytes()]


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    seeds = raw_files()
    if not seeds:
        pytest.skip("data/raw is empty")
    d = tmp_path_factory.mktemp("raw")
    for p in seeds:
        shutil.copy(p, d / p.name)
    shutil.copy(seeds[0], d / f"zz_copy_of_{seeds[0].name}")
    (d / "empty.txt").write_bytes(b"")
    return d


@pytest.fixture(scope="module")
def serial(raw, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("serial")
    run_generator("data", "--raw", raw, "--out", out, "--jobs", "1", "--no-cache")
    return out


def test_process_pool_writes_the_serial_bytes(raw, serial, tmp_path):
    run_generator("data", "--raw", raw, "--out", tmp_path, "--jobs", "2", "--no-cache")
    assert not _same_bytes(serial, tmp_path)


def test_shards_merged_equal_the_whole(raw, serial, tmp_path):
    shards = []
    for k in (1, 2, 3):
        shards.append(tmp_path / f"shard{k}")
        run_generator("data", "--raw", raw, "--out", shards[-1], "--shard", f"{k}/3", "--no-cache")
    run_generator("merge", *shards, "--out", tmp_path / "merged")
    assert not _same_bytes(serial, tmp_path / "merged")


def test_shards_partition_the_files(raw):
    files = sorted(raw.iterdir())
    parts = [parallel.shard(files, k, 4) for k in (1, 2, 3, 4)]
    assert sorted(p for part in parts for p in part) == files
    copy = next(p for p in files if p.name.startswith("zz_copy_of_"))
    original = raw / copy.name.removeprefix("zz_copy_of_")
    assert any(copy in part and original in part for part in parts), "copies must share a shard"


@pytest.mark.parametrize("bad", ["0/3", "4/3", "x/2", "3"])
def test_bad_shard_argument_is_refused(bad):
    with pytest.raises(ValueError):
        parallel.parse_shard_arg(bad)


def _size_of(path: Path) -> int:  # module level: the pool pickles it
    return path.stat().st_size


def _size_of_summary(n: int) -> int:
    return n


def test_costliest_files_are_parsed_first_and_results_come_in_order(tmp_path):
    """Work is handed out PDFs first, then by size (no core idles at the end on one long file);
    the results still come back in file order."""
    files = []
    for i, (suffix, size) in enumerate([(".txt", 10), (".pdf", 5), (".txt", 300), (".pdf", 50), (".txt", 1)]):
        f = tmp_path / f"f{i}{suffix}"
        f.write_bytes(b"x" * size)
        files.append(f)
    assert sorted(files, key=parallel.work_estimate, reverse=True) == [files[3], files[1], files[2], files[0], files[4]]
    assert list(parallel._in_order([3, 1, 2, 0, 4], iter(["d", "b", "c", "a", "e"]))) == list("abcde")
    spill = tmp_path / "spill"
    spill.mkdir()
    got = list(parallel.kept_results(files, _size_of, _size_of_summary, spill, jobs=2))
    assert [s for _, s in got] == [f.stat().st_size for f in files]
    assert sorted(p.name for p in spill.iterdir()) == [f"{i}.pickle" for i in range(5)]
