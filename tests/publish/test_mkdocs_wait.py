"""`generator site` starts mkdocs while it writes the pages: mkdocs loads its theme and plugins, then waits in
the hook's on_pre_build for one byte on its standard input; the generator failing closes it, and mkdocs
stops with nothing built."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT

from generator.publish import site


def _project(tmp_path: Path) -> tuple[Path, list[str]]:
    (tmp_path / "docs").mkdir()
    shutil.copy(ROOT / "site_src" / "overrides" / "hooks.py", tmp_path / "hooks.py")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\ndocs_dir: docs\nhooks:\n  - hooks.py\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(tmp_path / "mkdocs.yml"), "-d", str(tmp_path / "out")]
    return tmp_path, cmd


def test_mkdocs_waits_for_the_pages_then_builds_them(tmp_path):
    proj, cmd = _project(tmp_path)
    proc, go = site.start_waiting_mkdocs(cmd, proj)
    try:
        time.sleep(1.5)  # mkdocs is up and waiting; the page does not exist yet
        assert proc.poll() is None
        (proj / "docs" / "index.md").write_text("# 预算\n", encoding="utf-8")
        site.pages_ready(go, True)
        assert site.wait_child(proc) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "预算" in (proj / "out" / "index.html").read_text(encoding="utf-8")


def test_mkdocs_stops_when_the_generator_fails(tmp_path):
    proj, cmd = _project(tmp_path)
    (proj / "docs" / "index.md").write_text("# x\n", encoding="utf-8")
    proc, go = site.start_waiting_mkdocs(cmd, proj)
    site.pages_ready(go, False)
    assert site.wait_child(proc) != 0
    assert not (proj / "out" / "index.html").exists()


def test_the_hook_and_the_generator_agree_on_the_signal():
    text = (ROOT / "site_src" / "overrides" / "hooks.py").read_text(encoding="utf-8")
    assert f'WAIT = "{site.PAGES_ON_STDIN}"' in text


def test_a_plain_mkdocs_build_does_not_wait(tmp_path):
    proj, cmd = _project(tmp_path)
    (proj / "docs" / "index.md").write_text("# x\n", encoding="utf-8")
    done = subprocess.run(cmd, cwd=proj, stdin=subprocess.DEVNULL, timeout=120, check=False)
    assert done.returncode == 0 and (proj / "out" / "index.html").exists()
