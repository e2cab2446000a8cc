"""The parse cache and the site stamp: work is redone only when its inputs changed.

- Parse cache: what one raw file parsed into (contract rows + issues), one pickle per file under
  ``<cache>/parse/<parser version>/``, keyed by the file's sha256 and name (the doc_id and
  ``source_file`` come from the name). The parser version is a hash of the parser's own source
  (generator/ minus publish/ and the CLI) and of the PDF/DOCX libraries' versions, so editing
  the parser can never serve stale rows. Entries of older versions are removed.
- Data stamp: a hash of the raw files (names and contents), the whole package's source and the
  reader libraries, with a hash of the output folder it wrote; when both still match, `data` does
  not even read the cache (a no-change rebuild costs the hashing only).
- Site stamp: a hash of everything the site is built from (the processed tables, site_src/,
  mkdocs.yml, the publish code); when it matches the last successful build, the site is not rebuilt.

The cache holds our own pickles, written by this module only; delete the directory to reset it.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

PKG = Path(__file__).resolve().parent
DEFAULT_DIR = Path(".cache")
# Source outside the parser that cannot change what a file parses into...
NOT_PARSER = ("publish", "cli.py", "__main__.py")
# ...but for the table writer's preparation, which the parse workers run and the cache keeps (build.prepared_file).
PARSER_TOO = ("publish/store.py",)
# Libraries whose version changes what a PDF or DOCX reads as, or how the cached tables are held (pyarrow).
READER_LIBS = ("pypdfium2", "pdfplumber", "pdfminer.six", "python-docx", "charset-normalizer", "pyarrow")


def _lib_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def source_digest(files: list[Path], root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(files):
        h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def parser_files(pkg: Path = PKG) -> list[Path]:
    """The package's source files whose change may change what the parse cache holds."""
    return [p for p in pkg.rglob("*.py") if p.relative_to(pkg).parts[0] not in NOT_PARSER
            or p.relative_to(pkg).as_posix() in PARSER_TOO]


@cache
def parser_version() -> str:
    """Hash of the parser's source files and reader libraries: changes whenever parsing may change."""
    files = parser_files()
    libs = ";".join(f"{n}={_lib_version(n)}" for n in READER_LIBS)
    return hashlib.sha256((source_digest(files, PKG) + libs).encode()).hexdigest()[:16]


def file_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class ParseCache:
    """One entry (a compressed pickle: pack) per (file content, file name) under <dir>/parse/<parser version>/."""

    def __init__(self, root: Path, version: str | None = None) -> None:
        self.base = root / "parse"
        self.dir = self.base / (version or parser_version())

    def _path(self, sha: str, name: str) -> Path:
        key = hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]
        return self.dir / sha[:2] / f"{sha}-{key}.pickle"

    def has(self, sha: str, name: str) -> bool:
        return self._path(sha, name).is_file()

    def get(self, sha: str, name: str) -> Any | None:
        try:
            return unpack(self._path(sha, name).read_bytes())
        except FileNotFoundError:
            return None
        except Exception:  # a torn or foreign entry is a miss, never an error
            return None

    def put(self, sha: str, name: str, value: Any) -> None:
        p = self._path(sha, name)
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(f".{p.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pack(value))
        os.replace(tmp, p)

    def prune_old_versions(self) -> None:
        """Entries written by another parser version can never be read again."""
        if self.base.is_dir():
            for d in self.base.iterdir():
                if d.is_dir() and d != self.dir:
                    shutil.rmtree(d, ignore_errors=True)


# A cache entry: MAGIC, the pickle's length (8 bytes, little-endian), the pickle compressed with zstd at
# level 1. Parsed rows are repetitive text: about 6.5 times smaller (the cache a CI job restores and saves),
# for a fraction of a millisecond per document each way.
MAGIC = b"GPC1"


@cache
def _zstd() -> Any:
    import pyarrow as pa

    return pa.Codec("zstd", compression_level=1)


def pack(value: Any) -> bytes:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return MAGIC + len(data).to_bytes(8, "little") + _zstd().compress(data, asbytes=True)


def unpack(blob: bytes) -> Any:
    if blob[:4] != MAGIC:
        raise ValueError("not a parse cache entry")
    size = int.from_bytes(blob[4:12], "little")
    return pickle.loads(_zstd().decompress(blob[12:], decompressed_size=size, asbytes=True))


# ---------------------------------------------------------------- data stamp

def data_inputs_digest(files: list[Path], refused: list[dict[str, Any]], out: Path) -> str:
    """Hash of what data/processed is built from: every admitted raw file (name and content), the refused
    entries, the whole package's source and the reader libraries."""
    h = hashlib.sha256()
    h.update(source_digest(list(PKG.rglob("*.py")), PKG).encode() + parser_version().encode())
    h.update(str(out.resolve()).encode() + b"\0")
    for p in files:
        h.update(p.name.encode("utf-8", "surrogateescape") + b"\0" + (file_sha256(p) or "unreadable").encode())
    h.update(json.dumps(refused, sort_keys=True, ensure_ascii=False).encode())
    return h.hexdigest()


def folder_digest(folder: Path) -> str | None:
    """Hash of every file of an output folder (names and contents); None when it is absent."""
    if not folder.is_dir():
        return None
    h = hashlib.sha256()
    for p in sorted(folder.iterdir()):
        if p.is_file():
            h.update(p.name.encode("utf-8", "surrogateescape") + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def data_stamp(cache_dir: Path) -> Path:
    return cache_dir / "data.stamp.json"


def read_data_stamp(cache_dir: Path, inputs: str, out: Path) -> dict[str, Any] | None:
    """The stamp of the last data build when it was built from the same inputs and its output folder
    is still exactly what that build wrote; None otherwise."""
    try:
        stamp = json.loads(data_stamp(cache_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stamp, dict) or stamp.get("inputs") != inputs:
        return None
    return stamp if stamp.get("outputs") == folder_digest(out) else None


def write_data_stamp(cache_dir: Path, inputs: str, out: Path, summary: dict[str, Any]) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = data_stamp(cache_dir).with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"inputs": inputs, "outputs": folder_digest(out), **summary}, ensure_ascii=False),
                   encoding="utf-8")
    os.replace(tmp, data_stamp(cache_dir))


# ---------------------------------------------------------------- site stamp

SITE_SKIP_DIRS = {"generated", "downloads"}  # written by the build itself


# Settings read from the environment that change the built site (mkdocs.yml reads SITE_URL; the
# generator reads the others): a new value is a new site.
SITE_ENV = ("SITE_URL", "SOURCE_DATE_EPOCH", "ORIGINALS_URL")


def site_inputs_digest(root: Path, processed: Path) -> str:
    """Hash of what the site is built from: tables, hand-written pages, mkdocs.yml, publish code, the
    sources sidecar (official URLs for the citations) and the settings in SITE_ENV."""
    files = sorted(processed.glob("*.parquet"))
    src = root / "site_src"
    files += [p for p in src.rglob("*") if p.is_file() and p.relative_to(src).parts[0] not in SITE_SKIP_DIRS]
    files += [p for p in (root / "mkdocs.yml", root / "data" / "raw" / "sources.csv") if p.is_file()]
    h = hashlib.sha256()
    for p in files:
        h.update(str(p.relative_to(root) if p.is_relative_to(root) else p.name).encode() + b"\0")
        h.update(hashlib.sha256(p.read_bytes()).digest())
    publish = [p for p in PKG.rglob("*.py") if p.relative_to(PKG).parts[0] not in ("parse", "checks")]
    h.update(source_digest(publish, PKG).encode())
    h.update(_lib_version("mkdocs").encode() + _lib_version("mkdocs-material").encode())
    h.update(json.dumps({k: os.environ.get(k) for k in SITE_ENV}, sort_keys=True).encode())
    return h.hexdigest()


def stamp_path(cache_dir: Path) -> Path:
    return cache_dir / "site.stamp"


def site_is_current(cache_dir: Path, site_dir: Path, digest: str) -> bool:
    p = stamp_path(cache_dir)
    return (site_dir / "index.html").is_file() and p.is_file() and p.read_text().strip() == digest


def write_stamp(cache_dir: Path, digest: str) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    stamp_path(cache_dir).write_text(digest + "\n")


def clear_stamp(cache_dir: Path) -> None:
    stamp_path(cache_dir).unlink(missing_ok=True)
