"""Shared fixtures: the seeds parsed once per session, a DuckDB connection over them, ../shared."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# No timing assertions in tests: hypothesis's per-example deadline fails on a cold first call (imports,
# a loaded CI machine), so it is off; speed lives in bench/.
settings.register_profile("project", deadline=None)
settings.load_profile("project")

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
SHARED = ROOT.parent / "shared"


def raw_files(raw: Path = RAW) -> list[Path]:
    return sorted(p for p in raw.iterdir() if p.is_file() and not p.name.startswith(".")) if raw.is_dir() else []


def require_shared() -> Path:
    """Skip the calling test when ../shared (golden facts, seeds) is not checked out beside the repo."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent (golden facts live outside the repo)")
    return SHARED


needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"{SHARED} is absent")


def run_generator(*args: str | Path, check: bool = True, **kw) -> subprocess.CompletedProcess:
    """`python -m generator ARGS` from the repo root; on failure show its stderr."""
    cmd = [sys.executable, "-m", "generator", *map(str, args)]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, **kw)
    if check and r.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} exited {r.returncode}\n--- stderr ---\n{r.stderr[-6000:]}", pytrace=False)
    return r


def parse_files(files: list[Path], out: Path) -> Path:
    if not files:
        pytest.skip("no input files to parse")
    run_generator("parse", *files, "--out", out)
    return out


@pytest.fixture(scope="session")
def parsed_seeds(tmp_path_factory) -> Path:
    """Output dir of ONE `python -m generator parse data/raw/* --out DIR` per session (per xdist worker)."""
    return parse_files(raw_files(), tmp_path_factory.mktemp("parsed-seeds"))


@pytest.fixture(scope="session")
def seed_db(parsed_seeds):
    from generator.publish import store

    con = store.connect(parsed_seeds)
    yield con
    con.close()
