"""Issue 10: outputs are swapped in whole; a build killed at any point leaves the previous folder."""

from __future__ import annotations

import os

from generator.publish import store


def test_killed_before_swap_leaves_previous_tables(tmp_path):
    out = tmp_path / "processed"
    store.write_all(out, {"documents": [{"doc_id": "doc-a", "source_file": "a.txt"}]})
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    staged = store.staging_dir(out)  # a new build starts writing ...
    (staged / "documents.csv").write_bytes(b"torn")  # ... and is killed here
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    store.write_all(out, {})  # the next build cleans the staging folder up
    assert not staged.exists()


def test_killed_between_the_two_renames_is_recovered(tmp_path):
    out = tmp_path / "processed"
    store.write_all(out, {"documents": [{"doc_id": "doc-a", "source_file": "a.txt"}]})
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    os.rename(out, tmp_path / ".processed.old")  # first rename of swap_dir done, then killed
    store.recover_dir(out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_folder_with_other_files_is_never_replaced(tmp_path):
    (tmp_path / "mine.txt").write_text("keep", encoding="utf-8")
    store.write_all(tmp_path, {})
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "keep"
    assert (tmp_path / "documents.parquet").exists()
