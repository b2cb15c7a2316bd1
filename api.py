"""The public Python API; every CLI command is a thin wrapper over one of these.

>>> import policygraph as pg                                  # doctest: +SKIP
>>> report = pg.load(["articles/"], store="./policygraph-data")
>>> pg.stats(store="./policygraph-data")["labels"]["Person"]
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from policygraph.errors import PolicyGraphError, UsageError
from policygraph.graph import statements as st
from policygraph.graph.export import export_node_link
from policygraph.graph.store import Result, Store, open_store
from policygraph.graph.writer import DEFAULT_BATCH, GraphWriter
from policygraph.loaders.pipeline import extract
from policygraph.loaders.read import DEFAULT_MAX_BYTES, LoadFailure, RawDocument, find_files, read_file
from policygraph.loaders.resolve import Resolver
from policygraph.schema.gazetteer import default_gazetteer
from policygraph.schema.model import DocumentGraph

StoreLike = Store | str | os.PathLike | None
Progress = Callable[[str, str], None]  # (path, outcome) after each file


@dataclass
class LoadReport:
    files: int = 0
    loaded: int = 0
    skipped: int = 0
    failed: list[LoadFailure] = field(default_factory=list)
    entities: int = 0
    relations: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        return (f"{self.loaded} loaded, {self.skipped} unchanged, {len(self.failed)} failed "
                f"of {self.files} files; {self.entities} entities and {self.relations} relations "
                f"extracted in {self.seconds:.1f}s")


@contextlib.contextmanager
def using_store(store: StoreLike) -> Iterator[Store]:
    """Use an open Store as it is, or open (and afterwards close) one at a location."""
    if isinstance(store, Store):
        yield store
        return
    opened = open_store(store)
    try:
        yield opened
    finally:
        opened.close()


def load(paths: Iterable[str | os.PathLike], store: StoreLike = None, *, batch_size: int = DEFAULT_BATCH,
         force: bool = False, max_bytes: int = DEFAULT_MAX_BYTES, workers: int | None = None,
         progress: Progress | None = None) -> LoadReport:
    """Load documents (files or folders) into the store; return what happened.

    Unchanged documents already loaded are skipped (unless `force`); a document
    that failed half-way in an earlier run is forgotten and loaded again.
    """
    started = time.monotonic()
    report = LoadReport()
    items = list(find_files(paths))
    report.files = sum(1 for i in items if not isinstance(i, LoadFailure))
    note = progress or (lambda path, outcome: None)
    with using_store(store) as db:
        writer = GraphWriter(db, batch_size)
        states = writer.document_states()
        resolver = Resolver()
        resolver.seed(db.run(st.ALIAS_INDEX).records())
        todo: list[RawDocument] = []
        seen: dict[str, str] = {}
        for item in items:
            raw = _read(item, max_bytes, report, note)
            if raw is None:
                continue
            if raw.doc_id in seen:
                _fail(report, note, LoadFailure(str(raw.path), f"another file with the same name ({seen[raw.doc_id]}) "
                                                               f"already gives the document id {raw.doc_id!r}: rename one"))
                continue
            seen[raw.doc_id] = str(raw.path)
            state = states.get(raw.doc_id)
            if state and state.status == "loaded" and state.loaded_hash == raw.content_hash and not force:
                report.skipped += 1
                note(str(raw.path), "unchanged")
                continue
            if state:
                writer.forget(raw.doc_id)
            todo.append(raw)
        graphs = (resolver.resolve(g) for g in _extract_all(todo, workers, report, note))
        for graph in writer.write(graphs):
            report.loaded += 1
            report.entities += len(graph.entities)
            report.relations += len(graph.relations)
            note(graph.document.path, "loaded")
    report.seconds = time.monotonic() - started
    return report


def _read(item: Any, max_bytes: int, report: LoadReport, note: Progress) -> RawDocument | None:
    if isinstance(item, LoadFailure):
        _fail(report, note, item)
        return None
    try:
        return read_file(item, max_bytes)
    except PolicyGraphError as exc:
        message = str(exc)
        prefix = f"{item}: "
        _fail(report, note, LoadFailure(str(item), message[len(prefix):] if message.startswith(prefix) else message))
        return None


def _fail(report: LoadReport, note: Progress, failure: LoadFailure) -> None:
    report.failed.append(failure)
    note(failure.path, "failed")


def _extract_one(raw: RawDocument) -> DocumentGraph | LoadFailure:
    try:
        return extract(raw)
    except RecursionError:
        return LoadFailure(str(raw.path), "the page is nested too deeply to read: simplify or convert it to text")
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
        return LoadFailure(str(raw.path), f"extraction failed ({type(exc).__name__}: {exc}); "
                                          "please report this file to the policygraph developers")


def _extract_all(todo: list[RawDocument], workers: int | None, report: LoadReport,
                 note: Progress) -> Iterator[DocumentGraph]:
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(todo) < 16:
        results: Iterable = map(_extract_one, todo)
        pool = None
    else:
        default_gazetteer()  # built once here, shared with forked workers
        pool = multiprocessing.get_context("fork").Pool(workers)
        results = pool.imap(_extract_one, todo, chunksize=max(1, min(64, len(todo) // (workers * 8) or 1)))
    try:
        for result in results:
            if isinstance(result, LoadFailure):
                _fail(report, note, result)
            else:
                yield result
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()


def export(store: StoreLike = None, format: str = "node-link", out: Any = None, **options: Any) -> Any:
    """Export the graph; node-link JSON is the scorer's and importer's format."""
    with using_store(store) as db:
        if format == "node-link":
            return export_node_link(db, out, **options)
        from policygraph.graph import formats

        return formats.export(db, format, out, **options)


def stats(store: StoreLike = None) -> dict[str, dict[str, int]]:
    """Counts of nodes by label and of relationships by type."""
    with using_store(store) as db:
        labels = db.run("MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label")
        types = db.run("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type")
        return {"labels": {r[0]: r[1] for r in labels.rows}, "relations": {r[0]: r[1] for r in types.rows}}


def cypher(query: str, params: Mapping[str, Any] | None = None, store: StoreLike = None, *,
           write: bool = False) -> Result:
    """Run a Cypher statement; read-only unless `write` is true."""
    if not query or not query.strip():
        raise UsageError("the query is empty: pass a Cypher statement, e.g. \"MATCH (n:Entity) RETURN n.name LIMIT 5\"")
    with using_store(store) as db:
        return db.run(query, params or {}, write=write)
