"""Orchestration: read every file, parse, check, then write.

Streaming: each file's parsed result (FileResult) is spilled to disk as it comes back; what needs
every file (duplicates by sha256, twin pairing, issue counts) works from small per-file metadata
(FileMeta); then the tables are written one document at a time, in doc_id order, so the parent
holds one document's rows at a time (store.TablesWriter), never every row."""

from __future__ import annotations

import os
import pickle
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path
from typing import Any

from . import cache, checks, contract, parallel, parse
from .cache import ParseCache
from .model import Document, Issue
from .parse import readers, records, sections, tables, twins
from .publish import store

STAGES = ("blocks", "sections", "tables", "records")
RAW_SUFFIXES = {".txt", ".text", ".pdf", ".docx", ".doc", ".md"}


@dataclass
class BuildResult:
    documents: int = 0
    issues: list[Issue] = field(default_factory=list)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def admit_files(raw: Path) -> tuple[list[Path], list[Issue]]:
    """The regular files directly in data/raw (sorted), and an issue naming every other entry:
    symbolic links (dangling, looping or not), devices, pipes and sockets are refused; folders,
    hidden files and READMEs are skipped. Nothing is followed, nothing is passed over in silence."""
    if not raw.is_dir():
        return [], []
    files: list[Path] = []
    issues: list[Issue] = []
    for p in sorted(raw.iterdir(), key=lambda q: q.name):
        st = os.lstat(p)
        name = ascii(p.name)[1:-1] if not p.name.isprintable() else p.name
        if stat.S_ISLNK(st.st_mode) or not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
            what = "a symbolic link" if stat.S_ISLNK(st.st_mode) else f"not a regular file ({stat.filemode(st.st_mode)})"
            issues.append(Issue("file-refused", "", p.name, f"{name}: {what}; only regular files are read", "error"))
        elif stat.S_ISDIR(st.st_mode):
            issues.append(Issue("file-skipped", "", p.name, f"{name}: a folder; sub-folders are not read", "info"))
        elif p.name.lower() == "sources.csv":
            issues.append(Issue("file-skipped", "", p.name, f"{name}: the sources sidecar (official URLs, for citations); "
                                "not a document", "info"))
        elif p.name.startswith(".") or p.name.lower() == "readme.md":
            issues.append(Issue("file-skipped", "", p.name, f"{name}: a hidden file or README; not read", "info"))
        else:
            files.append(p)
    return files, issues


def raw_files(raw: Path) -> list[Path]:
    """Every regular file admitted from data/raw (sorted); see admit_files."""
    return admit_files(raw)[0]


def parse_document(doc: Document) -> tuple[dict[str, list[dict[str, Any]]], list[Issue]]:
    """Parse, then check: the contract rows of one document (checks included) and its issues."""
    try:
        out, heads, issues = parse.parse_document(doc)
    except Exception as e:  # the document row survives a parser bug: the file is listed, the issue named
        out, heads = {"documents": [document_row(doc)]}, []
        issues = [Issue("parse-crash", doc.doc_id, doc.source_file,
                        f"{doc.source_file}: parser failed: {type(e).__name__}: {e}"[:400], "error")]
    try:
        chk, items = checks.run_checks(doc, out, heads)
        out["checks"], out["disclosure_items"] = chk, items
    except Exception as e:  # a failing check must not lose the parsed data
        issues.append(Issue("checks-crash", doc.doc_id, doc.source_file,
                            f"{doc.source_file}: checks failed: {type(e).__name__}: {e}", "error"))
    return out, issues


def document_row(doc: Document) -> dict[str, Any]:
    """What is known of a document without parsing it: its file."""
    return {"doc_id": doc.doc_id, "source_file": doc.source_file, "source_sha256": doc.source_sha256,
            "source_format": doc.source_format, "encoding": doc.encoding or None, "source_size": doc.source_size,
            "parse_warnings": 0}


def _issue_row(i: Issue, source_file: str) -> dict[str, Any]:
    return {
        "doc_id": i.doc_id or None,
        "source_file": source_file,
        "code": i.code,
        "severity": i.severity,
        "where": i.where,
        "message": i.message,
    }


@dataclass
class FileResult:
    """What one raw file parsed into: contract rows (None when no document was read) and issues.
    Built in a worker process, kept in the parse cache; the Document itself never leaves the worker."""

    name: str
    sha256: str
    doc_id: str
    read_issues: list[Issue]
    tables: dict[str, list[dict[str, Any]]] | None
    parse_issues: list[Issue]
    side: str | None = None  # 'prose' / 'tables': a one-sided file that may be half of a budget in two files
    identity: Any = None  # a one-sided file's twins.identity (None when it could not be told)
    prepared: store.Prepared | None = None  # its tables ready to write (prepared_file), made in the worker

    # Pickled (spill file, cache entry), the rows travel as one nested pickle, unpickled on first use of
    # `tables`: the writer, which needs only `prepared`, then never builds the rows' dicts again.
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        if "_packed_tables" in state:  # loaded and never unpacked: passed on as it came
            state["tables"] = _PackedRows(state.pop("_packed_tables"))
        elif state.get("tables") is not None:
            state["tables"] = _PackedRows(pickle.dumps(state["tables"], protocol=pickle.HIGHEST_PROTOCOL))
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        tables = state.pop("tables")
        self.__dict__.update(state)
        if isinstance(tables, _PackedRows):
            self.__dict__["_packed_tables"] = tables.data
        else:
            self.__dict__["tables"] = tables

    def __getattr__(self, name: str) -> Any:  # only for attributes not set: `tables` still packed
        packed = self.__dict__.get("_packed_tables") if name == "tables" else None
        if packed is None:
            raise AttributeError(name)
        self.__dict__["tables"] = pickle.loads(packed)
        del self.__dict__["_packed_tables"]
        return self.__dict__["tables"]


@dataclass(frozen=True)
class _PackedRows:
    data: bytes


def parse_file(path: Path) -> FileResult:
    """One raw file -> its rows and issues (read, parse, check). Never raises."""
    try:
        doc, issues = readers.read(path)
    except Exception as e:  # a reader bug must not take the whole build down
        doc, issues = None, [Issue("unreadable-file", "", path.name,
                                   f"{path.name}: reader failed: {type(e).__name__}: {e}", "error")]
    if doc is None:
        return FileResult(path.name, "", "", issues, None, [])
    return parsed_result(path.name, doc, issues)


def prepared_file(path: Path) -> FileResult:
    """parse_file, and the file's tables made ready to write (store.prepare_document) in the same worker
    process: the one writer process then only appends them."""
    fr = parse_file(path)
    if fr.tables is not None:
        try:
            fr.prepared = store.prepare_document(fr.tables)
        except Exception:  # noqa: BLE001 - the writer prepares them itself and names what is wrong
            fr.prepared = None
    return fr


def parsed_result(name: str, doc: Document, issues: list[Issue]) -> FileResult:
    try:
        out, more = parse_document(doc)
    except Exception as e:  # a parser bug must not take the whole build down
        out, more = {}, [Issue("parse-crash", doc.doc_id, name,
                               f"{name}: parser failed: {type(e).__name__}: {e}", "error")]
    if out.get("documents"):
        out["documents"][0]["parse_warnings"] = sum(1 for i in issues + more if i.severity != "info")
    side = twins.side(doc)
    try:
        ident = twins.identity(doc) if side else None
    except Exception:  # pairing then falls back to reading every one-sided file (join_twins)
        ident = None
    return FileResult(name, doc.source_sha256, doc.doc_id, issues, out, more, side, ident)


def add_result(res: BuildResult, fr: FileResult, seen: dict[str, str]) -> None:
    """Append one file's rows and issues; a second file with the same content is parsed once."""
    issues = list(fr.read_issues)
    if fr.tables is not None and fr.sha256 in seen:
        issues.append(Issue("duplicate-file", fr.doc_id, fr.name,
                            f"{fr.name}: same content (sha256) as {seen[fr.sha256]}; parsed once", "info"))
    elif fr.tables is not None:
        seen[fr.sha256] = fr.name
        issues += fr.parse_issues
        for name, rows in fr.tables.items():
            res.tables[name].extend(rows)
        res.documents += 1
    res.issues += issues
    res.tables["parse_issues"].extend(_issue_row(i, fr.name) for i in issues)


def join_twins(paths: list[Path], results: list[FileResult]) -> list[FileResult]:
    """A text booklet and its table book (one budget in two files) -> one document.

    Workers parse every file alone; only the few one-sided files are read again here and handed to
    twins.join, and a pair it joins is parsed as one document in the booklet's place."""
    cand = [i for i, fr in enumerate(results) if fr.side and fr.tables is not None]
    if not {results[i].side for i in cand} >= {"prose", "tables"}:
        return results
    reads = []
    for i in cand:
        doc, issues = readers.read(paths[i])
        reads.append(twins.Read(paths[i].name, doc, issues))
    out = list(results)
    for i, before, after in zip(cand, reads, twins.join(reads), strict=True):
        if after.doc is None and before.doc is not None:  # absorbed into its twin
            out[i] = FileResult(after.name, "", "", list(after.issues), None, [])
        elif after.doc is not None and after.doc is not before.doc:  # the joined document
            out[i] = parsed_result(after.name, after.doc, list(after.issues))
    return out


def parse_paths(paths: list[Path], jobs: int = 1, cache_dir: Path | None = None) -> BuildResult:
    """Parse files in order (in `jobs` processes, through the cache when given): the rows of all."""
    res = BuildResult(tables={t.name: [] for t in contract.TABLES})
    seen: dict[str, str] = {}
    results = list(parallel.results(paths, parse_file, jobs, cache_dir))
    for fr in join_twins(paths, results):
        add_result(res, fr, seen)
    return res


# ------------------------------------------------------------------ streaming build


@dataclass(frozen=True)
class FileMeta:
    """What the whole-build steps need of one file, without its rows."""

    name: str
    sha256: str
    doc_id: str
    side: str | None
    has_tables: bool
    read_issues: tuple[Issue, ...]
    parse_issues: tuple[Issue, ...]
    keys: tuple[tuple, ...]  # the sort keys of the doc_ids its rows carry (one, as a rule)
    identity: Any = None
    held: tuple[tuple[str, tuple[dict[str, Any], ...]], ...] = ()  # rows of tables not sorted by document


def file_meta(fr: FileResult) -> FileMeta:
    ids = {r.get("doc_id") for name, rows in (fr.tables or {}).items() if store.document_major(name) for r in rows}
    keys = tuple(sorted({store.doc_key(i) for i in ids}))
    held = tuple((name, tuple(rows)) for name, rows in (fr.tables or {}).items()
                 if not store.document_major(name) and rows)
    return FileMeta(fr.name, fr.sha256, fr.doc_id, fr.side, fr.tables is not None, tuple(fr.read_issues),
                    tuple(fr.parse_issues), keys, fr.identity, held)


class Spill:
    """FileResults kept on disk by position while the build runs: a reference to the parse cache
    when the result is there, else one pickle each in a temporary folder."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="generator-spill-")
        self.dir = Path(self._tmp.name)
        self.cache = ParseCache(cache_dir) if cache_dir else None
        self.refs: dict[int, tuple[str, str]] = {}

    def put(self, i: int, fr: FileResult, cached: tuple[str, str] | None = None) -> None:
        if cached and self.cache:
            self.refs[i] = cached
            return
        self.refs.pop(i, None)
        (self.dir / f"{i}.pickle").write_bytes(pickle.dumps(fr, protocol=pickle.HIGHEST_PROTOCOL))

    def get(self, i: int, path: Path) -> FileResult:
        if i in self.refs and self.cache:
            got = self.cache.get(*self.refs[i])
            return got if isinstance(got, FileResult) else prepared_file(path)  # gone from the cache: parse again
        return pickle.loads((self.dir / f"{i}.pickle").read_bytes())

    def close(self) -> None:
        self._tmp.cleanup()


def _spill_all(paths: list[Path], jobs: int, cache_dir: Path | None, spill: Spill) -> list[FileMeta]:
    """Parse every file; each result is kept on disk by the worker that made it (the cache or the spill
    folder): only its FileMeta comes back here."""
    metas = []
    for i, (key, meta) in enumerate(parallel.kept_results(paths, prepared_file, file_meta, spill.dir, jobs, cache_dir)):
        if key is not None:
            spill.refs[i] = key
        metas.append(meta)
    return metas


def _join_spilled(paths: list[Path], metas: list[FileMeta], spill: Spill) -> list[FileMeta]:
    """join_twins on spilled results, paired from the identities the workers noted: only the files of
    a pair are loaded and read again, two at a time. (If a one-sided file's identity could not be
    told, every one-sided file is read at once, as join_twins does: the same outcome.)"""
    cand = [i for i, m in enumerate(metas) if m.side and m.has_tables]
    if not {metas[i].side for i in cand} >= {"prose", "tables"}:
        return metas
    if any(metas[i].identity is None for i in cand):
        groups = [cand]
    else:
        found = twins.pairs([(i, metas[i].identity) for i in cand if metas[i].side == "tables"],
                            [(i, metas[i].identity) for i in cand if metas[i].side == "prose"])
        groups = [sorted(pair) for pair in found]
    out = list(metas)
    for group in groups:
        sub = [spill.get(i, paths[i]) for i in group]
        for i, before, after in zip(group, sub, join_twins([paths[i] for i in group], sub), strict=True):
            if after is not before:
                spill.put(i, after)
                out[i] = file_meta(after)
    return out


def _issue_rows(metas: list[FileMeta], res: BuildResult) -> tuple[list[int], list[dict[str, Any]]]:
    """add_result from metadata: the files kept (first of each content), every issue and its row."""
    seen: dict[str, str] = {}
    kept: list[int] = []
    rows: list[dict[str, Any]] = []
    for i, m in enumerate(metas):
        issues = list(m.read_issues)
        if m.has_tables and m.sha256 in seen:
            issues.append(Issue("duplicate-file", m.doc_id, m.name,
                                f"{m.name}: same content (sha256) as {seen[m.sha256]}; parsed once", "info"))
        elif m.has_tables:
            seen[m.sha256] = m.name
            issues += m.parse_issues
            kept.append(i)
            res.documents += 1
        res.issues += issues
        rows.extend(_issue_row(x, m.name) for x in issues)
    return kept, rows


def document_groups(metas: list[FileMeta], kept: list[int]) -> Iterator[tuple[tuple, list[int]]]:
    """(doc_id sort key, the kept files with rows of it, in file order), in key order."""
    by_key: dict[tuple, list[int]] = {}
    for i in kept:
        for k in metas[i].keys:
            by_key.setdefault(k, []).append(i)
    for k in sorted(by_key):
        yield k, by_key[k]


def _group_tables(frs: Iterable[FileResult], key: tuple, multi: bool) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for fr in frs:
        for name, rows in (fr.tables or {}).items():
            if not store.document_major(name):
                continue  # kept in FileMeta.held
            if multi:
                rows = [r for r in rows if store.doc_key(r.get("doc_id")) == key]
            out.setdefault(name, []).extend(rows)
    return out


def stream_paths(paths: list[Path], out: Path, jobs: int = 1, cache_dir: Path | None = None,
                 extra: list[Issue] | None = None) -> BuildResult:
    """Parse files (in `jobs` processes, through the cache when given) and write their tables into
    `out`, one document at a time: the same bytes as parse_paths + store.write_all."""
    res = BuildResult(tables={})
    spill = Spill(cache_dir)
    try:
        metas = _join_spilled(paths, _spill_all(paths, jobs, cache_dir, spill), spill)
        kept, issue_rows = _issue_rows(metas, res)
        res.issues += extra or []
        issue_rows += [_issue_row(i, i.where) for i in extra or []]
        with store.TablesWriter(out) as w:
            w.add({"parse_issues": issue_rows})
            for i in kept:  # in file order, as parse_paths gathers them
                w.add({name: list(rows) for name, rows in metas[i].held})
            for key, files in document_groups(metas, kept):
                multi = len(files) > 1 or len(metas[files[0]].keys) > 1
                frs = [spill.get(i, paths[i]) for i in files]
                if not multi and frs[0].prepared is not None:
                    w.add_prepared(frs[0].prepared)
                else:
                    w.add(_group_tables(frs, key, multi))
    finally:
        spill.close()
    return res


def build_data(raw: Path, out: Path, jobs: int = 1, cache_dir: Path | None = None,
               shard: tuple[int, int] | None = None) -> BuildResult:
    """data/raw -> contract tables in `out`; with a shard (k, n) only that share of the files."""
    files, refused = admit_files(raw)
    stamp = None
    if cache_dir is not None and shard is None:
        stamp = cache.data_inputs_digest(files, [asdict(i) for i in refused], out)
        last = cache.read_data_stamp(cache_dir, stamp, out)
        if last is not None:  # nothing changed since the last build, and its output is intact
            return BuildResult(documents=int(last["documents"]), issues=[Issue(**i) for i in last["issues"]])
    res = stream_paths(parallel.shard(files, *shard) if shard else files, out, jobs, cache_dir, refused)
    if not files:
        res.issues.append(Issue("no-input", "", str(raw), f"{raw}: no input files", "warning"))
    if stamp is not None and cache_dir is not None:
        cache.write_data_stamp(cache_dir, stamp, out, {"documents": res.documents,
                                                        "issues": [asdict(i) for i in res.issues]})
    return res


def parse_to(paths: list[Path], out: Path, jobs: int = 1, cache_dir: Path | None = None) -> BuildResult:
    return stream_paths(paths, out, jobs, cache_dir)


def merge(shard_dirs: list[Path], out: Path) -> int:
    """Shard outputs -> one output, the same bytes as one whole run: the document-major tables are
    merged document by document (each shard's file is already in doc_id order), the rest unioned."""
    names = [t.name for t in contract.TABLES]
    with store.TablesWriter(out) as w:
        w.add(parallel.union_tables(shard_dirs, [n for n in names if not store.document_major(n)]))
        for group in parallel.merged_documents(shard_dirs, [n for n in names if store.document_major(n)],
                                                   store.doc_key):
            w.add(group)
    return w.documents


def _jsonable(x: Any) -> Any:
    if is_dataclass(x) and not isinstance(x, type):
        return {k: _jsonable(v) for k, v in asdict(x).items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    return x


def dump_stage(path: Path, stage: str) -> Any:
    """An intermediate stage as JSON-able data, to debug the next county's file."""
    doc, issues = readers.read(path)
    if doc is None:
        return {"file": path.name, "issues": _jsonable(issues)}
    if stage == "blocks":
        return {"file": path.name, "format": doc.source_format, "encoding": doc.encoding,
                "blocks": _jsonable(doc.blocks), "issues": _jsonable(issues)}
    secs = sections.document_to_sections(doc)
    if stage == "sections":
        return {"file": path.name, "sections": _jsonable(secs)}
    grids = tables.sections_to_grids(doc, secs)
    if stage == "tables":
        return {"file": path.name, "grids": _jsonable(grids)}
    out, more = records.extract(doc, secs, grids)
    return {"file": path.name, "records": _jsonable(out), "issues": _jsonable(issues + more)}
