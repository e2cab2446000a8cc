"""Benchmark the site build on the seed corpus: build time and per-page weight (HTML + chart data).

Run with `make bench` (not part of `make test`). Builds into a temp copy of the project so the
working tree is untouched; writes bench/results/site.json and prints a table.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator import build  # noqa: E402
from generator.publish import site  # noqa: E402

CHART_SRC = re.compile(r'data-src="([^"]+)"')


def page_weights(site_dir: Path) -> list[dict]:
    """Per page: bytes of HTML plus the chart JSON it fetches (shared CSS/JS counted once, separately)."""
    out = []
    for html in sorted(site_dir.rglob("index.html")):
        text = html.read_text(encoding="utf-8")
        charts = 0
        for src in sorted(set(CHART_SRC.findall(text))):
            p = (html.parent / src).resolve()
            charts += p.stat().st_size if p.exists() else 0
        out.append({"page": str(html.parent.relative_to(site_dir)) + "/", "html_bytes": html.stat().st_size,
                    "chart_bytes": charts, "total_bytes": html.stat().st_size + charts})
    return out


def shared_assets(site_dir: Path) -> dict[str, int]:
    groups = {"vendor_js": "assets/vendor/*.js", "site_js_css": "assets/[cj]s*/*", "theme": "assets/[si]*/*.*"}
    return {k: sum(p.stat().st_size for p in site_dir.glob(g) if p.is_file()) for k, g in groups.items()}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "proj"
        root.mkdir()
        shutil.copy(ROOT / "mkdocs.yml", root)
        shutil.copytree(ROOT / "site_src", root / "site_src", ignore=shutil.ignore_patterns("generated", "downloads"))
        shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
        processed = root / "data" / "processed"
        t0 = time.perf_counter()
        build.build_data(root / "data" / "raw", processed)
        t1 = time.perf_counter()
        rc = site.build_site(root, processed)
        t2 = time.perf_counter()
        if rc:
            print(f"site build failed (exit {rc})", file=sys.stderr)
            return rc
        weights = page_weights(root / "site")
        result = {
            "documents": len(build.raw_files(root / "data" / "raw")),
            "parse_seconds": round(t1 - t0, 2),
            "site_seconds": round(t2 - t1, 2),
            "pages": len(weights),
            "shared_asset_bytes": shared_assets(root / "site"),
            "search_index_bytes": (root / "site" / "search" / "search_index.json").stat().st_size,
            "page_weights": weights,
        }
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "site.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"parse {result['parse_seconds']} s, site {result['site_seconds']} s, {result['pages']} pages")
    print(f"shared assets: {result['shared_asset_bytes']}, search index {result['search_index_bytes']:,} bytes")
    print(f"{'page':60} {'html':>10} {'charts':>10} {'total':>10}")
    for w in sorted(weights, key=lambda w: -w["total_bytes"]):
        print(f"{w['page']:60} {w['html_bytes']:>10,} {w['chart_bytes']:>10,} {w['total_bytes']:>10,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
