"""`make bench`: build a scale corpus and time the whole pipeline, in one run per size.

Per size (default 100 and 1,000 documents, 10% of them PDF copies): cold `generator site`,
no-change rebuild, one-file-changed rebuild, a bare `mkdocs build` of the same Markdown, peak
memory (generator and mkdocs), page, site and search-index sizes. Once: CPU seconds per page
reading the corpus PDFs. Builds in a temp copy of the project; writes bench/results/*.json and
bench/results/summary.md. Speed targets live here, never in the tests.

    python bench/run.py [--sizes 100,1000] [--keep DIR]
    python bench/run.py --parse-only --sizes 100,1000,3000 --pdf-share 0   # `generator data` only, text corpus
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import corpus  # noqa: E402
import memory  # noqa: E402

RESULTS = HERE / "results"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def machine() -> dict:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    mem = next(ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal"))
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(int(mem) / 1024 / 1024, 1),
            "python": platform.python_version(), "load_before": os.getloadavg()[0]}


def pdf_speed() -> dict:
    """CPU seconds per page reading each corpus PDF (the reader alone, in this process)."""
    from generator.parse import readers

    rows, pages, cpu = [], 0, 0.0
    for p in sorted(corpus.CORPUS.glob("*.pdf")) if corpus.CORPUS.is_dir() else []:
        t0 = time.process_time()
        doc, _ = readers.read(p)
        dt = time.process_time() - t0
        n = _page_count(p)
        rows.append({"file": p.name, "pages": n, "cpu_s": round(dt, 3), "cpu_s_per_page": round(dt / n, 4)})
        pages, cpu = pages + n, cpu + dt
    return {"files": rows, "pages": pages, "cpu_s": round(cpu, 2),
            "cpu_s_per_page": round(cpu / max(pages, 1), 4), "pages_per_cpu_s": round(pages / max(cpu, 1e-9), 1)}


def _page_count(p: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(p)
    try:
        return len(pdf)
    finally:
        pdf.close()


def make_project(dest: Path, n: int, pdf_share: float = 0.1) -> Path:
    shutil.copy(ROOT / "mkdocs.yml", dest)
    shutil.copytree(ROOT / "site_src", dest / "site_src", ignore=shutil.ignore_patterns("generated", "downloads"))
    files = corpus.write_corpus(n, dest / "data" / "raw", pdf_share)
    return next(p for p in files if p.suffix == ".txt")


def _part(site: Path, p: Path) -> str:
    """Which part of the site a file belongs to (for the weight breakdown)."""
    rel = p.relative_to(site).parts
    if rel[0] == "downloads":
        return "downloads_raw" if len(rel) > 1 and rel[1] == "raw" else "downloads_data"
    if p.suffix == ".html":
        return "pages"
    return {"charts": "charts", "search": "search", "assets": "assets"}.get(rel[0], "other")


def sizes(site: Path, n_docs: int) -> dict:
    files = [p for p in site.rglob("*") if p.is_file()]
    html = {p: p.stat().st_size for p in files if p.suffix == ".html"}
    # a document page is units/<unit>/<year-kind>/index.html (the hook drops the generated/ prefix)
    docs = [s for p, s in html.items() if len(p.relative_to(site).parts) == 4 and p.relative_to(site).parts[0] == "units"]
    parts: dict[str, int] = {}
    for p in files:
        k = _part(site, p)
        parts[k] = parts.get(k, 0) + p.stat().st_size
    total = sum(parts.values())
    n = max(n_docs, 1)
    big = sorted(html.items(), key=lambda kv: -kv[1])[:5]
    index = site / "search" / "search_index.json"
    return {"site_bytes": total, "site_bytes_per_doc": total // n,
            "site_bytes_per_doc_without_raw": (total - parts.get("downloads_raw", 0)) // n,
            "parts_bytes_per_doc": {k: v // n for k, v in sorted(parts.items())},
            "html_pages": len(html), "html_pages_per_doc": round(len(html) / n, 1),
            "doc_page_median_bytes": int(statistics.median(docs)) if docs else 0,
            "doc_page_max_bytes": max(docs) if docs else 0,
            "largest_pages": [{"page": str(p.relative_to(site)), "bytes": s} for p, s in big],
            "search_index_bytes": index.stat().st_size if index.exists() else 0}


def _tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


def timed_run(cmd: list[str], cwd: Path, log: Path, env: dict[str, str] | None = None) -> memory.Run:
    """memory.run plus the CPU seconds (user + system) of the whole process tree: on a shared, loaded
    machine wall seconds mostly measure the other tenants; CPU seconds measure the build."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = memory.run(cmd, cwd, env or ENV, log)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    r.cpu_seconds = round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2)  # type: ignore[attr-defined]
    return r


RUNS = ("cold", "no_change", "one_changed", "bare_mkdocs", "mirror")
# The mirror run: the same project rebuilt with the originals published elsewhere (ORIGINALS_URL), as a
# corpus of real PDFs must be on GitHub Pages; only its site weight is reported.
MIRROR_URL = "https://originals.example.org/raw/"


def bench_size(n: int, work: Path, pdf_share: float = 0.1, which: tuple[str, ...] = RUNS) -> dict:
    """The runs in `which` (cold always), in this order: cold, no change, one file changed, bare mkdocs,
    mirror (a rebuild with ORIGINALS_URL set, for the site weight without the originals)."""
    proj = work / f"proj{n}"
    proj.mkdir(parents=True)
    one = make_project(proj, n, pdf_share)
    gen = [sys.executable, "-m", "generator", "site"]
    logs = RESULTS / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    runs = {"cold": timed_run(gen, proj, logs / f"{n}-cold.log")}
    size = sizes(proj / "site", n)  # the cold build's site (a one-changed build differs by one document)
    size["parse_cache_bytes_per_doc"] = _tree_bytes(proj / ".cache") // max(n, 1)
    if "no_change" in which:
        runs["no_change"] = timed_run(gen, proj, logs / f"{n}-nochange.log")
    if "one_changed" in which:
        one.write_text(one.read_text(encoding="utf-8") + "\n附注：本文件为基准测试修改。\n", encoding="utf-8")
        runs["one_changed"] = timed_run(gen, proj, logs / f"{n}-onechanged.log")
    if "bare_mkdocs" in which:
        bare = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", str(work / f"bare{n}")]
        runs["bare_mkdocs"] = timed_run(bare, proj, logs / f"{n}-bare.log")
        shutil.rmtree(work / f"bare{n}", ignore_errors=True)
    mirror = None
    if "mirror" in which:
        runs["mirror"] = timed_run(gen, proj, logs / f"{n}-mirror.log", {**ENV, "ORIGINALS_URL": MIRROR_URL})
        mirror = sizes(proj / "site", n)
    out = {"documents": n, "runs": {k: vars(v) for k, v in runs.items()}, "sizes": size, "sizes_mirror": mirror}
    cold, cpu = runs["cold"], {k: getattr(v, "cpu_seconds", 0.0) for k, v in runs.items()}

    def ratio(a: float | None, b: float, digits: int) -> float | None:
        return None if a is None else round(a / max(b, 1e-9), digits)

    wall = {k: v.seconds for k, v in runs.items()}
    out["ratios"] = {"cold_over_bare_mkdocs": ratio(cold.seconds, wall["bare_mkdocs"], 2) if "bare_mkdocs" in wall else None,
                     "no_change_over_cold": ratio(wall.get("no_change"), cold.seconds, 3),
                     "one_changed_over_cold": ratio(wall.get("one_changed"), cold.seconds, 3)}
    out["ratios_cpu"] = {"cold_over_bare_mkdocs": ratio(cpu["cold"], cpu["bare_mkdocs"], 2) if "bare_mkdocs" in cpu else None,
                         "no_change_over_cold": ratio(cpu.get("no_change"), cpu["cold"], 3),
                         "one_changed_over_cold": ratio(cpu.get("one_changed"), cpu["cold"], 3)}
    return out


def bench_parse(n: int, work: Path, pdf_share: float = 0.1) -> dict:
    """The parse stage alone (`generator data`): cold, then with nothing changed. Peak memory is
    the whole process tree (parent and parse workers)."""
    proj = work / f"parse{n}"
    proj.mkdir(parents=True)
    corpus.write_corpus(n, proj / "data" / "raw", pdf_share)
    cmd = [sys.executable, "-m", "generator", "data"]
    runs = {k: memory.run(cmd, proj, ENV, RESULTS / "logs" / f"{n}-data-{k}.log") for k in ("cold", "no_change")}
    return {"documents": n, "pdf_share": pdf_share, "parse_only": {k: vars(v) for k, v in runs.items()}}


def _kb(n: int | None) -> str:
    return "—" if n is None else f"{n / 1e3:.0f}"


def summary(result: dict) -> str:
    m = result["machine"]
    lines = [f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, Python {m['python']}, "
             f"load average {m['load_before']:.1f} before / {m['load_after']:.1f} after (shared machine).", ""]
    p = result["pdf"]
    lines += [f"Corpus PDFs: {p['pages']} pages, {p['cpu_s_per_page']} CPU s/page, {p['pages_per_cpu_s']} pages per CPU s.", ""]
    lines += ["| documents | cold s | no-change s | one-changed s | bare mkdocs s | cold/bare | no-change/cold "
              "| peak gen MB | peak mkdocs MB | site MB | KB/doc | KB/doc without raw files | KB/doc, originals on a mirror | doc page median KB | search index MB | parse cache KB/doc |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    def g(runs: dict, k: str, field: str = "seconds") -> Any:
        return runs.get(k, {}).get(field, "—")

    for r in result["sizes"]:
        ru, s, ra = r["runs"], r["sizes"], r["ratios"]
        lines.append(
            f"| {r['documents']} | {g(ru, 'cold')} | {g(ru, 'no_change')} | {g(ru, 'one_changed')} "
            f"| {g(ru, 'bare_mkdocs')} | {ra['cold_over_bare_mkdocs'] or '—'} | {ra['no_change_over_cold'] or '—'} "
            f"| {ru['cold']['peak_generator_mb']} | {max(ru['cold']['peak_mkdocs_mb'], ru.get('bare_mkdocs', {}).get('peak_mkdocs_mb', 0))} "
            f"| {s['site_bytes'] / 1e6:.1f} | {s['site_bytes_per_doc'] / 1e3:.0f} "
            f"| {s.get('site_bytes_per_doc_without_raw', 0) / 1e3:.0f} "
            f"| {_kb((r.get('sizes_mirror') or {}).get('site_bytes_per_doc'))} | {s['doc_page_median_bytes'] / 1e3:.0f} "
            f"| {s['search_index_bytes'] / 1e6:.1f} | {_kb(s.get('parse_cache_bytes_per_doc'))} |")
    lines += ["", "CPU seconds (whole process tree; wall seconds above include the other tenants of a shared machine):", "",
              "| documents | cold | no-change | one-changed | bare mkdocs | cold/bare | no-change/cold | one-changed/cold |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in result["sizes"]:
        ru, rc = r["runs"], r.get("ratios_cpu", {})
        lines.append(f"| {r['documents']} | " + " | ".join(str(g(ru, k, "cpu_seconds")) for k in ("cold", "no_change", "one_changed", "bare_mkdocs"))
                     + f" | {rc.get('cold_over_bare_mkdocs', '')} | {rc.get('no_change_over_cold', '')} | {rc.get('one_changed_over_cold', '')} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000")
    ap.add_argument("--parse-only", action="store_true", help="time only `generator data` (cold, no change)")
    ap.add_argument("--runs", default=",".join(RUNS),
                    help="which builds to time (cold is always run), e.g. cold,no_change at 10,000 documents")
    ap.add_argument("--keep", type=Path, help="build here and keep the projects (default: a temp dir)")
    ap.add_argument("--pdf-share", type=float, default=0.1,
                    help="share of the corpus that are PDF copies (0: text only, faster memory runs)")
    a = ap.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    result: dict = {"machine": machine(), "pdf": pdf_speed(), "sizes": []}
    work = a.keep or Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        for n in (int(x) for x in a.sizes.split(",")):
            if a.parse_only:
                (RESULTS / "logs").mkdir(parents=True, exist_ok=True)
                pr = bench_parse(n, work, a.pdf_share)
                (RESULTS / f"parse-{n}.json").write_text(json.dumps(pr, indent=1) + "\n")
                print(json.dumps(pr, indent=1), flush=True)
                continue
            r = bench_size(n, work, a.pdf_share, tuple(a.runs.split(",")))
            result["sizes"].append(r)
            (RESULTS / f"bench-{n}.json").write_text(json.dumps(r, ensure_ascii=False, indent=1) + "\n")
            print(json.dumps({"documents": n, "runs": r["runs"], "ratios": r["ratios"], "ratios_cpu": r["ratios_cpu"],
                              "sizes": r["sizes"], "sizes_mirror": r["sizes_mirror"]}, ensure_ascii=False, indent=1), flush=True)
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    result["machine"]["load_after"] = os.getloadavg()[0]
    if a.parse_only:
        return 0
    (RESULTS / "bench.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    text = summary(result)
    (RESULTS / "summary.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
