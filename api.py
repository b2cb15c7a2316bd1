"""The public Python API; every CLI command is a thin wrapper over one of these.

>>> import policygraph as pg                                  # doctest: +SKIP
>>> report = pg.load(["articles/"], store="./policygraph-data")
>>> pg.stats(store="./policygraph-data")["labels"]["Person"]
"""
from __future__ import annotations

import contextlib
import functools
import gc
import logging
import multiprocessing
import os
import threading
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policygraph.errors import PolicyGraphError, UsageError
from policygraph.graph import statements as st
from policygraph.graph.counts import refresh_counts
from policygraph.graph.export import export_node_link
from policygraph.graph.loadlock import exclusive_load
from policygraph.graph.store import WRITE_PASSES, Result, Store, open_store, replaced_too_often
from policygraph.graph.writer import DEFAULT_BATCH, GraphWriter
from policygraph.limits import TIMEOUT_ENV, Overtime, extract_timeout, time_limit
from policygraph.loaders.pipeline import extract
from policygraph.loaders.read import DEFAULT_MAX_BYTES, LoadFailure, RawDocument, find_files, read_file
from policygraph.loaders.resolve import Resolver
from policygraph.schema.gazetteer import default_gazetteer
from policygraph.schema.model import DocumentGraph

if TYPE_CHECKING:
    from policygraph.queries.viewer_page import ViewReport

log = logging.getLogger(__name__)

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
         progress: Progress | None = None, on_wait: Callable[[str], None] | None = None) -> LoadReport:
    """Load documents (files or folders) into the store; return what happened.

    Unchanged documents already loaded are skipped (unless `force`); a document
    that failed half-way in an earlier run is forgotten and loaded again. Loads
    on one embedded store run one at a time: `on_wait` hears when this one waits.
    """
    started = time.monotonic()
    report = LoadReport()
    items = list(find_files(paths))
    report.files = sum(1 for i in items if not isinstance(i, LoadFailure))
    note = progress or (lambda path, outcome: None)
    with using_store(store) as db, exclusive_load(db, on_wait):
        writer = GraphWriter(db, batch_size)
        states = writer.document_states()
        # Whatever a killed run left half-written goes first, even if its file is not in this run.
        unfinished = {doc_id for doc_id, state in states.items() if state.status != "loaded"}
        for doc_id in sorted(unfinished):
            writer.forget(doc_id)
        # Only the paths wait here, as plain strings (a Path object takes ten times the memory):
        # the workers read the files again, so no text is held for the whole corpus.
        todo: list[str] = []
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
            if state and raw.doc_id not in unfinished:
                writer.forget(raw.doc_id)
            todo.append(str(raw.path))
        del items, seen, states  # 100,000 articles' paths and states, held for the whole load otherwise
        for _ in range(WRITE_PASSES):
            done = _write_documents(db, writer, todo, workers, report, note, max_bytes)
            if done is None:
                break
            writer = GraphWriter(db, batch_size)  # what the last one took for stored may be lost
            todo = _unwritten(writer, todo, done, report, max_bytes)
            log.warning("the embedded server was replaced during the load: %d documents are written again", len(todo))
        else:
            raise replaced_too_often(db, "load", "run the load again")
    report.seconds = time.monotonic() - started
    return report


def _write_documents(db: Store, writer: GraphWriter, todo: list[str], workers: int | None, report: LoadReport,
                     note: Progress, max_bytes: int) -> array | None:
    """Write the documents of `todo` in order. None once all are written.

    If the embedded server was replaced meanwhile (a hung one), the writes it answered
    in its last moments may be lost with it, and with them what this writer takes for
    stored: the pass stops and returns, for each document the old server marked loaded,
    its index in `todo` and its entity and relation counts, for _unwritten to check.
    """
    restarts, taken, done = db.restarts, 0, array("q")
    # Learn the store's entities only now, so what is being redone does not steer its own resolution.
    resolver = Resolver()
    resolver.seed(db.run(st.ALIAS_INDEX).records())
    extracted = _extract_all(todo, workers, report, note, max_bytes)
    written = writer.write(resolver.resolve(g) for g in extracted)
    try:
        for graph in written:
            # A document marked by the new server may have lost earlier writes with the old one.
            # One marked by the old server has kept them if its mark was kept: a log loses its end.
            if db.restarts != restarts:
                return done
            report.loaded += 1
            report.entities += len(graph.entities)
            report.relations += len(graph.relations)
            note(graph.document.path, "loaded")
            taken = todo.index(graph.document.path, taken) + 1  # graphs come in the order of todo
            done.extend((taken - 1, len(graph.entities), len(graph.relations)))
    finally:
        written.close()
        extracted.close()
    return done if db.restarts != restarts else None  # replaced in the writer's last statements


def _unwritten(writer: GraphWriter, todo: list[str], done: array, report: LoadReport, max_bytes: int) -> list[str]:
    """The documents of `todo` the store does not hold as loaded, each one's traces forgotten.

    The store is the record of what survived a server's replacement: a document written
    in this pass that it holds loaded, with the file's content hash, stays written and
    counted; any other is forgotten, uncounted and returned, to be written again.
    """
    states = writer.document_states()
    failed = {failure.path for failure in report.failed}
    written = {done[i]: (done[i + 1], done[i + 2]) for i in range(0, len(done), 3)}
    again = []
    for index, path in enumerate(todo):
        if path in failed:
            continue
        raw = _read(Path(path), max_bytes, LoadReport(), lambda *_: None)
        doc_id = raw.doc_id if raw else Path(path).stem
        state = states.get(doc_id)
        if index in written and raw and state and (state.status, state.loaded_hash) == ("loaded", raw.content_hash):
            continue
        if state:
            writer.forget(doc_id)
        if index in written:
            entities, relations = written[index]
            report.loaded, report.entities, report.relations = (
                report.loaded - 1, report.entities - entities, report.relations - relations)
        again.append(path)
    return again


def _read(item: Any, max_bytes: int, report: LoadReport, note: Progress) -> RawDocument | None:
    if isinstance(item, LoadFailure):
        _fail(report, note, item)
        return None
    try:
        return read_file(item, max_bytes)
    except PolicyGraphError as exc:
        _fail(report, note, _read_failure(item, exc))
        return None


def _read_failure(path: Any, exc: PolicyGraphError) -> LoadFailure:
    message = str(exc)
    prefix = f"{path}: "
    return LoadFailure(str(path), message[len(prefix):] if message.startswith(prefix) else message)


def _fail(report: LoadReport, note: Progress, failure: LoadFailure) -> None:
    report.failed.append(failure)
    note(failure.path, "failed")


def _extract_one(raw: RawDocument) -> DocumentGraph | LoadFailure:
    seconds = extract_timeout()
    try:
        with time_limit(seconds):
            return extract(raw)
    except Overtime:
        return LoadFailure(str(raw.path), f"reading it took longer than {seconds:g}s, so it was skipped: "
                                          f"split it into smaller files or raise {TIMEOUT_ENV}")
    except RecursionError:
        return LoadFailure(str(raw.path), "the page is nested too deeply to read: simplify or convert it to text")
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
        return LoadFailure(str(raw.path), f"extraction failed ({type(exc).__name__}: {exc}); "
                                          "please report this file to the policygraph developers")


def _die_with_parent() -> None:
    """A worker of a load that was killed (SIGKILL) goes too, instead of lingering or printing tracebacks."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes
        import signal

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _read_and_extract(item: str | Path | RawDocument, max_bytes: int = DEFAULT_MAX_BYTES) -> DocumentGraph | LoadFailure:
    if not isinstance(item, RawDocument):
        try:
            item = read_file(Path(item), max_bytes)
        except PolicyGraphError as exc:
            return _read_failure(item, exc)
    return _extract_one(item)


# Documents handed to the workers but not yet taken by the writer, at most. The writer
# is often the slower end; without a bound its backlog of graphs grows with the corpus.
AHEAD = 256


def _extract_all(todo: list[str] | list[Path] | list[RawDocument], workers: int | None, report: LoadReport,
                 note: Progress, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[DocumentGraph]:
    """Graphs in the order of `todo` (files or documents read already), from a pool of workers."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    work = functools.partial(_read_and_extract, max_bytes=max_bytes)
    slots, stop = threading.Semaphore(AHEAD), threading.Event()

    def feed() -> Iterator[str | Path | RawDocument]:
        for item in todo:
            while not slots.acquire(timeout=0.1):
                if stop.is_set():
                    return
            yield item

    if workers <= 1 or len(todo) < 16:
        results: Iterable = map(work, todo)
        pool = None
    else:
        default_gazetteer().lookup("")  # builds the automata once, before the workers fork
        pool = _fork_pool(workers)
        # Small chunks keep results flowing to the writer evenly and the last chunk short.
        results = pool.imap(work, feed(), chunksize=max(1, min(16, len(todo) // (workers * 8))))
    try:
        for result in results:
            if pool is not None:
                slots.release()
            if isinstance(result, LoadFailure):
                _fail(report, note, result)
            else:
                yield result
    finally:
        stop.set()
        if pool is not None:
            pool.terminate()
            pool.join()


def _fork_pool(workers: int) -> Any:
    """Worker processes that share what this one has built (the gazetteer above all) while they run.

    The collector would write to every object it visits in a worker, and each write copies
    a page: frozen first, the inherited objects stay out of the workers' collections.
    """
    gc.freeze()
    try:
        return multiprocessing.get_context("fork").Pool(workers, initializer=_die_with_parent)
    finally:
        gc.unfreeze()


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


def view(store: StoreLike = None, out: str | os.PathLike = "policygraph-graph.html", *, documents: bool = False,
         focus: str | None = None, depth: int = 1, types: str | Iterable[str] | None = None, min_degree: int = 0,
         limit: int | None = None, max_edges: int | None = None, title: str = "policygraph") -> ViewReport:
    """Write the graph as one self-contained, explorable HTML page (no network needed to open it).

    `max_edges` bounds the edges between the nodes shown (default 5,000; 0 for all);
    returns what the page shows and leaves out; `report.path` is the absolute path written.
    """
    from policygraph.queries.viewer import DEFAULT_MAX_EDGES, StoreSource, ViewOptions, parse_types, select
    from policygraph.queries.viewer_page import write_page

    started = time.monotonic()
    options = ViewOptions(documents=documents, focus=focus, depth=depth, types=parse_types(types),
                          min_degree=min_degree, limit=limit, title=title,
                          max_edges=DEFAULT_MAX_EDGES if max_edges is None else max_edges)
    with using_store(store) as db:
        chosen = select(StoreSource(db), options)  # reads only what the page shows, not the whole graph
    report = write_page(chosen, out)
    report.seconds = time.monotonic() - started  # reading the store included, not just the rendering
    return report


def cypher(query: str, params: Mapping[str, Any] | None = None, store: StoreLike = None, *,
           write: bool = False) -> Result:
    """Run a Cypher statement; read-only unless `write` is true."""
    if not query or not query.strip():
        raise UsageError("the query is empty: pass a Cypher statement, e.g. \"MATCH (n:Entity) RETURN n.name LIMIT 5\"")
    with using_store(store) as db:
        result = db.run(query, params or {}, write=write)
        if write:
            refresh_counts(db)  # whatever the statement changed, the counts queries rank by follow
        return result


ANALYSES = ("centrality", "communities", "path", "ego")


def queries() -> list[Any]:
    """The named Cypher queries shipped with policygraph (`queries.named.NamedQuery` records)."""
    from policygraph.queries import named

    return list(named.load_all().values())


def query(name: str, params: Mapping[str, Any] | None = None, store: StoreLike = None, *, write: bool = False,
          note: Callable[[str], None] | None = None) -> Result:
    """Run a named query; an entity parameter takes any name, alias or id, and `note` hears which entity it chose.

    >>> pg.query("supporters", {"target": "rechargeable batteries"})   # doctest: +SKIP
    """
    from policygraph.queries import named

    with using_store(store) as db:
        return named.run(db, name, params, write=write, note=note)


def analyze(kind: str, store: StoreLike = None, *, by: str = "pagerank", types: Iterable[str] = (),
            limit: int | None = None, sample: int | None = None, min_size: int = 1, source: str | None = None,
            target: str | None = None, center: str | None = None, radius: int = 1, write_back: bool = False,
            note: Callable[[str], None] | None = None) -> Result:
    """networkx analytics on the entity graph: centrality, communities, path (source to target) or ego (center).

    `write_back` stores centrality (n.degree, n.pagerank, n.betweenness) or
    communities (n.community) as node properties; names resolve as in `query`.
    Betweenness is sampled from `sample` sources (0: exact; None: exact on small graphs).
    """
    from policygraph.queries import analytics
    from policygraph.queries.resolve import resolve_id

    if kind not in ANALYSES:
        raise UsageError(f"there is no analysis {kind!r}: choose one of {', '.join(ANALYSES)}")
    if write_back and kind not in ("centrality", "communities"):
        raise UsageError("--write-back stores centrality or communities; a path or an ego network has nothing to store")
    with using_store(store) as db:
        def entity(value: str | None, role: str) -> str:
            if not value:
                raise UsageError(f"the {kind} analysis needs a {role}: give an entity name, alias or id")
            return resolve_id(db, role, value, note=note)

        if kind == "path":
            ends = entity(source, "source"), entity(target, "target")
            return analytics.shortest_paths(db, *ends, limit=limit or 10, note=note)
        if kind == "ego":
            middle = entity(center, "center")
            return analytics.ego(analytics.read_ball(db, middle, radius), middle, radius=radius)
        graph = analytics.read_entity_graph(db)
        if kind == "centrality":
            scores = analytics.centrality(graph, sample=sample, note=note)
            if write_back:
                analytics.write_back(db, scores, analytics.CENTRALITY_PROPERTIES)
            return analytics.rank(scores, by=by, types=types, limit=limit)
        found = analytics.communities(graph)
        if write_back:
            analytics.write_back(db, found, [analytics.COMMUNITY_PROPERTY])
        return Result(found.columns, [row for row in found.rows if row[1] >= min_size])


def import_graph(path: str | os.PathLike, format: str = "node-link", store: StoreLike = None, *,
                 batch_size: int = DEFAULT_BATCH) -> Any:
    """Load a graph file (node-link JSON, as `export` writes it) into the store; idempotent.

    Returns a `graph.importer.ImportReport` with the counts written.
    """
    from policygraph.graph.importer import import_file

    with using_store(store) as db, exclusive_load(db):
        return import_file(db, path, format, batch_size=batch_size)
