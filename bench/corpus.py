"""A scale corpus for the bench: the seeds rewritten as other units, regions and years, plus
copies of the corpus PDFs under other names.

    python bench/corpus.py N DEST [--pdf-share 0.1]

Each text document is a seed with its region (as the parser read it) replaced by a made-up
county and every year shifted by the same few years, so no two documents are alike and each
parses like the seed it came from. Each PDF copy gets a new name and a trailing PDF comment
after %%EOF (readers ignore it), so its sha256 differs and it is parsed, not skipped as a
duplicate. Same arguments, same files.
"""

from __future__ import annotations

import argparse
import csv
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "data" / "raw"
CORPUS = SHARED / "corpus"
# Syllables for made-up county names. Every index gets its own name (up to 48,400, then they repeat):
# a repeated name gives the same unit and year a second time, i.e. a duplicate file, not a new document.
FIRST = "安宁平和永清丰长新东西南北青白云泰兴华明德广"
SECOND = "城山川河阳源江林原陵水台泉谷坪湖溪峰岭滨州海"
THIRD = "前后上中下左右内外里乐福寿康顺昌盛隆裕丹"
SUFFIX = ("县", "区", "市", "旗", "自治县")
YEAR = re.compile(r"(20[0-9]{2})(\s*年)")


def region_name(i: int) -> str:
    """A made-up county name, distinct for every i below len(FIRST) * len(SECOND) * (len(THIRD) + 1) * 5."""
    a, b = FIRST[i % len(FIRST)], SECOND[(i // len(FIRST)) % len(SECOND)]
    n = len(FIRST) * len(SECOND)
    k = (i // n) % (len(THIRD) + 1)  # 0: two syllables (the names of earlier runs), else a third one
    c = THIRD[k - 1] if k else ""
    return f"{a}{b}{c}{SUFFIX[(i // (n * (len(THIRD) + 1))) % len(SUFFIX)]}"


def seed_regions(seeds: list[Path]) -> dict[str, str]:
    """The region the parser reads from each seed (documents.region), by file name."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "generator", "parse", *map(str, seeds), "--out", tmp, "--no-cache"]
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
        with open(Path(tmp) / "documents.csv", encoding="utf-8-sig", newline="") as f:
            return {r["source_file"]: r["region"] for r in csv.DictReader(f)}


def rewrite(text: str, region: str, new_region: str, shift: int) -> str:
    if region:
        text = text.replace(region, new_region)
    return YEAR.sub(lambda m: f"{int(m.group(1)) + shift}{m.group(2)}", text)


def write_corpus(n: int, dest: Path, pdf_share: float = 0.1) -> list[Path]:
    seeds = sorted(p for p in SEEDS.iterdir() if p.is_file() and p.suffix == ".txt")
    pdfs = sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []
    regions = seed_regions(seeds)
    dest.mkdir(parents=True, exist_ok=True)
    n_pdf = round(n * pdf_share) if pdfs else 0
    out = []
    for i in range(n - n_pdf):
        seed = seeds[i % len(seeds)]
        text = seed.read_text(encoding="utf-8")
        p = dest / f"t{i:05d}_{seed.stem[:3]}.txt"
        p.write_text(rewrite(text, regions.get(seed.name, ""), region_name(i), (i % 7) - 3), encoding="utf-8")
        out.append(p)
    for i in range(n_pdf):
        src = pdfs[i % len(pdfs)]
        p = dest / f"p{i:05d}_{src.stem}.pdf"
        shutil.copyfile(src, p)
        with p.open("ab") as f:
            f.write(f"\n% bench copy {i}\n".encode())
        out.append(p)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("dest", type=Path)
    ap.add_argument("--pdf-share", type=float, default=0.1)
    a = ap.parse_args()
    files = write_corpus(a.n, a.dest, a.pdf_share)
    print(f"{len(files)} files -> {a.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
