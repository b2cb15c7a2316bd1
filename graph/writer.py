"""Batched, idempotent writes of extracted documents to a store.

Documents are written whole, in batches of about `batch_size` rows: first the
Document nodes (status 'loading'), then entities, mentions and relations, and
last the mark 'loaded' with the content hash. A load killed at any point
leaves documents that are not marked loaded; the next run forgets what they
had written and writes them again, so nothing is lost or counted twice.
"""
from __future__ import annotations

import contextlib
import gc
import json
import logging
import math
import queue
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii
from typing import Any

from policygraph.graph import statements as st
from policygraph.graph.counts import node_counts
from policygraph.graph.faults import WriteFault
from policygraph.graph.refresh import RefreshPolicy
from policygraph.graph.store import Prepared, Result, Store
from policygraph.schema.model import RELATION_TYPES, ROLES, DocumentGraph, Entity

log = logging.getLogger("policygraph")

# Rows per batch (a document is about 130 rows: itself, its entities, mentions and relations).
# Each batch appends to the lists of the hubs it names (role_history, an edge's doc_ids and
# evidence), and an append rewrites the whole list: fewer, larger batches mean fewer rewrites.
# (Since then a hub edge's doc_ids take their appends in a short tail: statements.TAIL_FROM.)
# Writing 10,000 articles: 27.1 s with 5,000 rows, 26.0 s with 10,000, 21.9 s with 20,000 and
# 20.6 s with 40,000, while the server's peak memory rose from 218 to 257 and 304 MB (1,000
# rows was slower still). With 20,000 rows, loading 100,000 articles peaked at 2,049 MiB,
# over the 2 GB the project allows itself.
DEFAULT_BATCH = 10_000

# Before a document is forgotten it stops counting as loaded, so a run killed
# half-way through forgetting it redoes it instead of skipping it.
UNMARK = "MATCH (d:Document {doc_id: $doc_id}) SET d.status = 'loading'"


@dataclass(slots=True)
class DocumentState:
    status: str
    loaded_hash: str


class GraphWriter:
    def __init__(self, store: Store, batch_size: int = DEFAULT_BATCH, refresh: RefreshPolicy | None = None):
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.store = store
        self.batch_size = batch_size
        self.rows_written = 0
        self.housekeeping_seconds = 0.0  # held back while the server's forks ran (Store.wait_for_housekeeping)
        # Restarts of the embedded server between batches (graph/refresh.py), what they took, and
        # the CPU time the servers they replaced had used (a new server counts from zero).
        self.refresh = refresh or RefreshPolicy()
        self.settles = 0  # Store.settle calls between batches, and what they took
        self.settle_seconds = 0.0
        self.finish_seconds = 0.0  # the end of the write: tails folded, node counts kept
        self._unsettled = 0
        self.restarts = 0
        self.restart_seconds = 0.0
        self.replaced_server_cpu = 0.0
        self._fault = WriteFault.for_store(store)
        # What this writer has stored of each entity. Most documents name entities an earlier
        # batch wrote already (provinces, industries, ministries): a row that would add nothing
        # is not sent, which saves most of the entity writes. Forgetting a document resets it.
        self._written: dict[str, _Written] = {}
        self._shared_sets: dict[frozenset[str], frozenset[str]] = {}
        self._shared_props: dict[frozenset[tuple[str, Any]], dict[str, Any]] = {}
        self._relations = {rel_type: st.relations(rel_type, store.interns_strings) for rel_type in RELATION_TYPES}
        self._mentions = st.mentions(store.interns_strings)

    def document_states(self) -> dict[str, DocumentState]:
        res = self.store.run(st.DOCUMENT_STATES)
        return {r["doc_id"]: DocumentState(r["status"] or "", r["loaded_hash"] or "") for r in res.records()}

    def forget(self, doc_id: str) -> None:
        """Remove what one document contributed (before writing it again)."""
        params = {"doc_id": doc_id}
        self._written.clear()
        self._write(UNMARK, params)
        self._write(st.PURGE_EDGES, params)
        self._write(st.DELETE_EMPTY_EDGES, params)
        pending = self._write(st.DOCUMENT_ENTITY_IDS, params).value() or []
        people = self._write(st.PURGE_ROLE_HISTORY, {**params, "ids": pending, "suffix": f"|{doc_id}"})
        self._remove_role_labels(people.records())
        self._purge_aliases(params)
        ids = self._write(st.PURGE_MENTIONS, params).value() or []
        # Only this document's entities may go: an entity imported without any document
        # (policygraph import) is no leftover of a killed load.
        orphans = sorted(set(ids) | set(pending))
        if orphans:
            self._write(st.DELETE_ORPHANS, {"ids": orphans})

    def _purge_aliases(self, params: dict[str, Any]) -> None:
        """Drop the aliases only this document spelled; the name resolver's keys follow (before its MENTIONS go)."""
        left = self._write(st.aliases_gone(self.store.subquery), params).records()
        rows = [{"id": r["id"], "aliases": r["aliases"], "keys": st.name_keys(r["name"], r["aliases"])} for r in left]
        if rows:
            self._write(st.ALIASES_LEFT, {"rows": rows})

    def _remove_role_labels(self, entities: Iterable[dict[str, Any]]) -> None:
        """Take off each role label whose role the entity no longer has (after PURGE_ROLE_HISTORY)."""
        ids_by_label: dict[str, list[str]] = defaultdict(list)
        for rec in entities:
            roles = set(rec["roles"] or [])
            for role, label in ROLES.items():
                if label in (rec["labels"] or []) and role not in roles:
                    ids_by_label[label].append(rec["id"])
        for label, ids in sorted(ids_by_label.items()):
            self._write(st.role_label_removal(label), {"ids": ids})

    def write(self, graphs: Iterable[DocumentGraph]) -> Iterator[DocumentGraph]:
        """Write graphs in batches; yield each one once the store has answered its mark 'loaded'.

        Answered is durable unless the embedded server is replaced (store.restarts): see api.load.

        A sender thread runs one batch's statements while this thread builds and
        encodes the next batch's (store.prepare), so the server's work and the
        client's overlap. Until this generator is done, the store belongs to the
        sender: whoever iterates it must not use the store between two graphs.
        """
        sender = _Sender(self)
        try:
            with self.store.bulk_writes(), _quick_handoff(), _collector_paused() as collect:
                yield from self._batched(graphs, sender, collect)
        except BaseException as exc:
            self._written.clear()  # rows built for batches that never reached the store
            if isinstance(exc, (KeyboardInterrupt, GeneratorExit)):
                sender.stop()
                self._fold_tails()
            raise
        finally:
            sender.stop()

    def _fold_tails(self) -> None:
        """Join the tails a write cut short (^C, or its reader stopping) left, so that the queries
        see every document written. Not after a store's failure: it may not answer."""
        with contextlib.suppress(Exception):
            for statement in _tail_folds():
                self.store.run(statement, write=True)

    def _batched(self, graphs: Iterable[DocumentGraph], sender: "_Sender",
                 collect: Callable[[], None]) -> Iterator[DocumentGraph]:
        batch: list[DocumentGraph] = []
        size = batches = 0
        for graph in graphs:
            batch.append(graph)
            size += 1 + len(graph.entities) + len(graph.mentions) + len(graph.relations)
            if size >= self.batch_size:
                sender.submit(batch, self._statements(batch))
                yield from sender.finished()
                batch, size = [], 0
                batches += 1
                if batches % COLLECT_EVERY == 0:
                    collect()
        if batch:
            sender.submit(batch, self._statements(batch))
        # The loader's statements keep doc_count themselves; the node counts follow the edges.
        last = (*_tail_folds(), *node_counts(self.store))
        sender.submit([], [(self.store.prepare(statement), 0) for statement in last])
        sender.close()
        yield from sender.finished()

    # -- one batch ------------------------------------------------------------
    def _statements(self, batch: list[DocumentGraph]) -> list[tuple[Prepared, int]]:
        """The batch's statements, prepared to send (store.prepare), with their row counts, in order."""
        out = []
        for statement, rows in self._rows(batch):
            for i in range(0, len(rows), self.batch_size):
                chunk = rows[i:i + self.batch_size]
                out.append((self.store.prepare(statement, {"rows": chunk}), len(chunk)))
        return out

    def _rows(self, batch: list[DocumentGraph]) -> list[tuple[str, list[dict[str, Any]]]]:
        """The batch's statements and their rows, in the order they must run."""
        out = [(st.DOCUMENTS, [document_row(g) for g in batch])]
        for labels, rows in entity_rows(batch).items():
            fresh = [row for row in rows if not self._unchanged(labels, row)]
            out.append((st.entities(labels, new_history=True), fresh))
            self._remember(labels, fresh)
        out.append((self._mentions, [row for g in batch for row in mention_rows(g)]))
        by_type = merged_relation_rows(batch)
        out += [(self._relations[rel_type], by_type[rel_type]) for rel_type in sorted(by_type)]
        out.append((st.MARK_LOADED, [
            {"doc_id": g.document.doc_id, "content_hash": g.document.content_hash,
             "entities": len(g.entities), "relations": len(g.relations)} for g in batch]))
        return out

    def _send(self, prepared: Prepared, rows: int) -> None:
        self.housekeeping_seconds += self.store.wait_for_housekeeping()
        self.store.run_prepared(prepared, write=True)
        self._fault.tick()
        self.rows_written += rows

    def _after_batch(self, rows: int) -> None:
        """Settle the store every refresh.settle_rows rows, and restart the embedded server when the
        refresh policy says it pays (on the sender's thread)."""
        self._settle(rows)
        usage = self.store.server_usage()
        if usage is None or not self.refresh.observe(rows, usage):
            return
        started = time.monotonic()
        if self.store.refresh():
            seconds = time.monotonic() - started
            self.restarts += 1
            self.restart_seconds += seconds
            self.replaced_server_cpu += usage.cpu_seconds
            self.refresh.restarted(seconds, usage)
            log.info("restarted the embedded server in %.1f s: it had grown slower at writing", seconds)

    def _settle(self, rows: int) -> None:
        self._unsettled += rows
        if self.refresh.settle_rows < 1 or self._unsettled < self.refresh.settle_rows:
            return
        self._unsettled, started = 0, time.monotonic()
        if self.store.settle():
            self.settles += 1
            self.settle_seconds += time.monotonic() - started

    def _write(self, statement: str, params: dict[str, Any]) -> Result:
        result = self.store.run(statement, params, write=True)
        self._fault.tick()
        return result

    def _unchanged(self, labels: tuple[str, ...], row: dict[str, Any]) -> bool:
        """Writing the row again would change nothing this writer has not stored already."""
        known = self._written.get(row["id"])
        return (known is not None and not row["role_history"] and known.labels.issuperset(labels)
                and known.aliases.issuperset(row["aliases"]) and known.roles.issuperset(row["roles"])
                and all(k in known.props and known.props[k] == v for k, v in row["props"].items()))

    def _remember(self, labels: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
        for row in rows:
            known = self._written.get(row["id"])
            if known is None:
                known = self._written[row["id"]] = _Written()
            known.labels = self._shared(known.labels.union(labels))
            known.aliases = self._shared(known.aliases.union(row["aliases"]))
            known.roles = self._shared(known.roles.union(row["roles"]))
            if row["props"]:
                props = {**known.props, **row["props"]}
                key = frozenset((k, tuple(v) if isinstance(v, list) else v) for k, v in props.items())
                known.props = self._shared_props.setdefault(key, props)

    def _shared(self, values: frozenset[str]) -> frozenset[str]:
        """One object for every equal set: most entities have the same labels and roles, and no aliases."""
        return self._shared_sets.setdefault(values, values)


# How long a thread may hold the GIL while another waits for it (Python's default: 5 ms).
# The sender thread wants it back each time the server answers a statement, while this
# thread encodes the next batch in pure Python: with the default each answer waited up to
# 5 ms. On 10,000 articles that was a fifth of the writer's time (33.6 s; 26.0 s at 0.1 ms).
HANDOFF_SECONDS = 1e-4


# The collector is paused while a write runs and collects in full every this many batches
# (about 4,000 articles). A load keeps hundreds of documents' graphs in flight (extracted,
# batched, being sent): they outlive two young collections, and their churn set off a full
# collection, which walks every object the process holds, every few dozen documents. Loading
# 10,000 articles the main process spent 9.3 of its 24.5 CPU seconds collecting, and the load
# took 53.6 s; paused, 17.0 CPU seconds and 46.8 s, with 185 objects in reference cycles left
# for the collector at the end.
# What survives a collection is frozen (gc.freeze) until the write ends, so the next one walks
# only what came since: the process's lasting state (the resolver's names, what the writer has
# stored) grows with the corpus, and walking all of it every time made the collections' cost
# grow with its square. Holding the names of a 100,000-article graph, the loading process has
# 1.6 million objects: 0.4 s a full collection, 17 times in such a load.
COLLECT_EVERY = 50


def _tail_folds() -> tuple[str, ...]:
    """The statements that join every tail and clear the flags (read when used: tests stand in for them)."""
    return st.FOLD_TAILS, st.FOLD_HISTORY_TAILS, st.CLEAR_TAILS_FLAG


@contextlib.contextmanager
def _collector_paused() -> Iterator[Callable[[], None]]:
    """Pause the collector; yield the function that collects in full, then freezes the survivors.

    Process-wide like _quick_handoff; a collector the caller had disabled stays disabled, and
    objects the caller froze stay frozen (survivors are frozen only when nothing else was).
    """
    was_enabled = gc.isenabled()
    freezing = gc.get_freeze_count() == 0
    gc.disable()

    def collect() -> None:
        gc.collect()
        if freezing:
            gc.freeze()

    try:
        yield collect
    finally:
        if freezing:
            gc.unfreeze()
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def _quick_handoff() -> Iterator[None]:
    # Process-wide, and held across write()'s yields: the caller's code between two graphs runs
    # with it too. Restored when the write ends, however it ends.
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, HANDOFF_SECONDS))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


class _Sender:
    """Runs the batches' statements in order on a thread of its own; at most one batch waits."""

    def __init__(self, writer: GraphWriter):
        self.writer = writer
        self.todo: queue.Queue = queue.Queue(maxsize=1)
        self.done: queue.Queue = queue.Queue()
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="policygraph-writer", daemon=True)
        self._thread.start()

    def submit(self, batch: list[DocumentGraph], statements: list[tuple[Prepared, int]]) -> None:
        self._put((batch, statements))

    def close(self) -> None:
        """No more batches: wait until every submitted one is written."""
        self._put(None)
        self._thread.join()
        self._raise()

    def finished(self) -> Iterator[DocumentGraph]:
        """The graphs of the batches written so far (never blocks)."""
        self._raise()
        while not self.done.empty():
            yield from self.done.get_nowait()

    def stop(self) -> None:
        """Let the statement under way finish, run no more, and wait for the thread."""
        self._stop.set()
        with contextlib.suppress(queue.Full):
            self.todo.put_nowait(None)
        self._thread.join()

    def _put(self, item: Any) -> None:
        while True:
            self._raise()
            if not self._thread.is_alive():
                raise RuntimeError("the writer thread ended early")
            try:
                self.todo.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                item = self.todo.get()
                if item is None:
                    return
                batch, statements = item
                started = time.monotonic()
                for prepared, rows in statements:
                    if self._stop.is_set():
                        return
                    self.writer._send(prepared, rows)
                if batch:
                    self.writer._after_batch(sum(rows for _, rows in statements))
                else:  # the statements that end the write
                    self.writer.finish_seconds += time.monotonic() - started
                self.done.put(batch)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            self.error = exc


class _Written:
    """What one entity's stored node holds, as far as this writer wrote it.

    A writer keeps one for every entity it wrote (55,000 on 100,000 articles); their
    sets and property maps are shared between entities that hold equal ones, and
    replaced, never changed in place. Separate sets for each took 55 MB there.
    """

    __slots__ = ("labels", "aliases", "roles", "props")

    def __init__(self) -> None:
        self.labels = self.aliases = self.roles = _NONE
        self.props: dict[str, Any] = {}


_NONE: frozenset[str] = frozenset()


def document_row(graph: DocumentGraph) -> dict[str, Any]:
    d = graph.document
    return {"doc_id": d.doc_id, "title": d.title, "date": d.date, "source": d.source,
            "path": d.path, "content_hash": d.content_hash, "captions": list(d.captions),
            "entity_ids": [e.id for e in graph.entities]}


def entity_rows(batch: list[DocumentGraph]) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    """Rows grouped by label set; one row per entity even when several documents name it."""
    merged: dict[str, dict[str, Any]] = {}
    for graph in batch:
        date = graph.document.date
        for ent in graph.entities:
            row = merged.get(ent.id)
            if row is None:
                row = merged[ent.id] = {"id": ent.id, "name": ent.name, "type": ent.type, "aliases": [],
                                        "roles": [], "role_history": [], "props": scalar_props(ent)}
            _extend(row["aliases"], (a for a in ent.aliases if a != ent.name))
            _extend(row["roles"], ent.roles)
            _extend(row["role_history"], (f"{role}|{date}|{graph.document.doc_id}" for role in ent.roles))
    grouped: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in merged.values():
        row["role_history"].sort(key=lambda entry: entry.rsplit("|", 1)[-1])  # doc_id order, as stored
        row["keys"] = st.name_keys(row["name"], row["aliases"])  # what the name resolver looks up
        labels = (row["type"], *sorted({ROLES[r] for r in row["roles"] if r in ROLES}))
        grouped[labels].append(row)
    return grouped


def scalar_props(ent: Entity) -> dict[str, Any]:
    """Only values both engines can store as properties (no maps, no nested lists)."""
    out = {}
    for key, value in ent.properties.items():
        if isinstance(value, (str, int, float, bool)):
            out[key] = value
        elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            out[key] = list(value)
    return out


def mention_rows(graph: DocumentGraph) -> list[dict[str, Any]]:
    per_entity: dict[str, dict[str, Any]] = {}
    for m in graph.mentions:
        if not m.entity_id:
            continue
        row = per_entity.setdefault(m.entity_id, {"doc_id": graph.document.doc_id, "id": m.entity_id,
                                                  "count": 0, "surfaces": [], "offsets": []})
        row["count"] += 1
        _extend(row["surfaces"], [m.text])
        row["offsets"].append(m.start)
    # Entities found without a located mention (e.g. from the title) still count as mentioned.
    for ent in graph.entities:
        per_entity.setdefault(ent.id, {"doc_id": graph.document.doc_id, "id": ent.id, "count": 1,
                                       "surfaces": [ent.name], "offsets": []})
    return list(per_entity.values())


def relation_rows(graph: DocumentGraph) -> Iterator[tuple[str, dict[str, Any]]]:
    doc_id = graph.document.doc_id
    for rel in graph.relations:
        evidence = sorted(rel.evidence, key=lambda e: (e.start, e.rule))
        yield rel.type, {
            "head": rel.head, "tail": rel.tail, "doc_id": doc_id,
            "sentences": [e.sentence for e in evidence],
            "sentence_doc_ids": [doc_id for _ in evidence],
            "provenance": [provenance(e.start, e.end, e.rule, e.confidence) for e in evidence],
            "rules": sorted({e.rule for e in evidence}),
            "confidence": max((e.confidence for e in evidence), default=0.5),
        }


def provenance(start: int, end: int, rule: str, confidence: float) -> str:
    """One evidence sentence's provenance as JSON with sorted keys (the text json.dumps(..., sort_keys=True)
    gives, built directly: that call was a third of the writer's own CPU time). Its document is the
    parallel evidence_doc_ids entry and the date is on that document: repeating them in every entry
    made provenance the largest property in the store after the sentences themselves."""
    if not isinstance(confidence, float) or not math.isfinite(confidence) or type(start) is not int \
            or type(end) is not int or type(rule) is not str:
        return json.dumps({"start": start, "end": end, "rule": rule, "confidence": confidence}, sort_keys=True)
    return (f'{{"confidence": {float.__repr__(confidence)}, "end": {end}, '
            f'"rule": {encode_basestring_ascii(rule)}, "start": {start}}}')


def merged_relation_rows(batch: list[DocumentGraph]) -> dict[str, list[dict[str, Any]]]:
    """One row per edge and batch: FalkorDB does not let a later row of one UNWIND see
    what an earlier row SET on the same edge, so two documents stating one edge in
    one batch must travel in one row."""
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    for g in batch:
        for rel_type, row in relation_rows(g):
            key = (rel_type, row["head"], row["tail"])
            into = merged.get(key)
            if into is None:
                merged[key] = {**row, "doc_ids": [row.pop("doc_id")]}
                continue
            into["doc_ids"].append(row["doc_id"])
            for field in ("sentences", "sentence_doc_ids", "provenance"):
                into[field] += row[field]
            into["rules"] = sorted(set(into["rules"]) | set(row["rules"]))
            into["confidence"] = max(into["confidence"], row["confidence"])
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (rel_type, _, _), row in merged.items():
        by_type[rel_type].append(_in_doc_order(row))
    return by_type


def _in_doc_order(row: dict[str, Any]) -> dict[str, Any]:
    """Documents sorted and each once, sentences with their documents: what statements.relations expects."""
    if row["doc_ids"] == sorted(set(row["doc_ids"])):
        return row
    order = sorted(range(len(row["sentences"])), key=lambda i: row["sentence_doc_ids"][i])  # stable
    for field in ("sentences", "sentence_doc_ids", "provenance"):
        row[field] = [row[field][i] for i in order]
    row["doc_ids"] = sorted(set(row["doc_ids"]))
    return row


def _extend(target: list, items: Iterable) -> None:
    for item in items:
        if item not in target:
            target.append(item)
