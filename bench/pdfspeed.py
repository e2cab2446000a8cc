"""PDF reader speed and exactness: CPU seconds per page of the pdfium reader and of the
pdfplumber reader it replaced (bench/pdf_reference.py), best of N runs per file, and a
block-by-block equality check between the two over every PDF of ../shared/corpus and
../shared/pdf-samples. Not a test: speed lives in bench/.

    python bench/pdfspeed.py [--repeat 3] [--reference-repeat 3] [--only SUBSTR]
                             [--reference-cache FILE] [--profile N] [--json FILE]

--reference-repeat 0 skips timing pdfplumber (its blocks are still computed for the
equality check, or loaded from --reference-cache when that file exists: for quick
loops while editing; delete it when the reference changes). --profile N prints the
N most expensive functions of one pdfium pass (cProfile, cumulative and own time).
OCR is not run: this measures the PDF reader alone (readers.pdf.read_pdf).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import json
import pickle
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import pdf_reference  # noqa: E402

from generator.parse.readers import pdf  # noqa: E402

SHARED = ROOT.parent / "shared"
DIRS = [SHARED / "corpus", SHARED / "pdf-samples"]


def pdf_files(only: str | None = None) -> list[Path]:
    files = [p for d in DIRS if d.is_dir() for p in sorted(d.glob("*.pdf"))]
    return [p for p in files if not only or only in p.name]


def page_count(data: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def best_cpu(fn, repeat: int) -> tuple[float, object]:
    """The least CPU time of `repeat` calls, and the last result."""
    best, out = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        t0 = time.process_time()
        out = fn()
        best = min(best, time.process_time() - t0)
    return best, out


def _pdfium_blocks(path: Path, data: bytes) -> tuple | None:
    doc, _ = pdf.read_pdf(path, data, "x", "")
    return doc.blocks if doc is not None else None


def _reference_blocks(path: Path, data: bytes) -> tuple | None:
    doc = pdf_reference.read_pdf(path, data)
    return doc.blocks if doc is not None else None


def first_difference(a: tuple | None, b: tuple | None) -> str:
    if a is None or b is None:
        return f"pdfium {'no document' if a is None else len(a)} vs pdfplumber {'no document' if b is None else len(b)}"
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return f"block {i} ({x.where}): pdfium {str(x)[:200]!r} vs pdfplumber {str(y)[:200]!r}"
    return f"{len(a)} vs {len(b)} blocks"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--reference-repeat", type=int, default=3)
    ap.add_argument("--reference-cache", type=Path)
    ap.add_argument("--only")
    ap.add_argument("--profile", type=int, default=0)
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)

    files = pdf_files(a.only)
    if not files:
        print(f"no PDFs under {', '.join(map(str, DIRS))}")
        return 1
    cache: dict[str, tuple | None] = {}
    if a.reference_cache and a.reference_cache.exists():
        cache = pickle.loads(a.reference_cache.read_bytes())

    rows = []
    for p in files:
        data = p.read_bytes()
        key = hashlib.sha256(data).hexdigest()
        n = page_count(data)
        t_new, blocks = best_cpu(lambda p=p, data=data: _pdfium_blocks(p, data), a.repeat)
        t_ref = None
        if a.reference_repeat > 0:
            t_ref, ref = best_cpu(lambda p=p, data=data: _reference_blocks(p, data), a.reference_repeat)
            cache[key] = ref
        elif key in cache:
            ref = cache[key]
        else:
            ref = cache[key] = _reference_blocks(p, data)
        same = blocks == ref
        row = {"file": p.name, "pages": n, "blocks": len(blocks or ()), "identical": same,
               "pdfium_cpu_s": round(t_new, 4), "pdfium_s_per_page": round(t_new / n, 5)}
        if t_ref is not None:
            row |= {"pdfplumber_cpu_s": round(t_ref, 4), "pdfplumber_s_per_page": round(t_ref / n, 5)}
        if not same:
            row["difference"] = first_difference(blocks, ref)
        rows.append(row)
        ref_s = f"{t_ref / n:8.4f}" if t_ref is not None else "       -"
        print(f"{n:4d} p {row['blocks']:5d} blocks  pdfium {t_new / n:7.4f}  pdfplumber {ref_s}  "
              f"{'same' if same else 'DIFFERENT'}  {p.name}", flush=True)
        if not same:
            print("     ", row["difference"])
    if a.reference_cache:
        a.reference_cache.write_bytes(pickle.dumps(cache))

    pages = sum(r["pages"] for r in rows)
    new = sum(r["pdfium_cpu_s"] for r in rows)
    summary = {"files": len(rows), "pages": pages, "blocks": sum(r["blocks"] for r in rows),
               "identical_files": sum(r["identical"] for r in rows),
               "pdfium_cpu_s": round(new, 3), "pdfium_s_per_page": round(new / pages, 5),
               "slowest": sorted(rows, key=lambda r: -r["pdfium_s_per_page"])[:3]}
    if all("pdfplumber_cpu_s" in r for r in rows):
        ref_total = sum(r["pdfplumber_cpu_s"] for r in rows)
        summary |= {"pdfplumber_cpu_s": round(ref_total, 3), "pdfplumber_s_per_page": round(ref_total / pages, 5),
                    "speedup": round(ref_total / new, 2)}
    print()
    print(f"{summary['files']} files, {pages} pages, {summary['blocks']} blocks; "
          f"identical blocks in {summary['identical_files']}/{summary['files']} files")
    print(f"pdfium     {summary['pdfium_s_per_page']:.4f} CPU s/page ({new:.2f} s)")
    if "speedup" in summary:
        print(f"pdfplumber {summary['pdfplumber_s_per_page']:.4f} CPU s/page ({summary['pdfplumber_cpu_s']:.2f} s); "
              f"speedup {summary['speedup']}x")
    print("slowest:", ", ".join(f"{r['file']} {r['pdfium_s_per_page']:.4f}" for r in summary["slowest"]))

    if a.profile:
        prof = cProfile.Profile()
        prof.enable()
        for p in files:
            _pdfium_blocks(p, p.read_bytes())
        prof.disable()
        stats = pstats.Stats(prof)
        stats.sort_stats("cumulative").print_stats(a.profile)
        stats.sort_stats("tottime").print_stats(a.profile)
    if a.json:
        a.json.write_text(json.dumps({"summary": summary, "files": rows}, ensure_ascii=False, indent=1))
    return 0 if summary["identical_files"] == summary["files"] else 2


if __name__ == "__main__":
    sys.exit(main())
