"""The writer's sender thread, alone (a recording store stands in for the database).

Statements run in order, a graph comes back only once its batch is marked
loaded, a failed statement reaches the caller instead of hanging it, and a
caller that stops early leaves no statement running behind its back.
"""
from __future__ import annotations

import sys
import threading
import time

import pytest

from policygraph.errors import QueryError
from policygraph.graph import statements as st
from policygraph.graph.store import Result, Store
from policygraph.graph.writer import HANDOFF_SECONDS, GraphWriter
from policygraph.schema.model import Document, DocumentGraph, Entity, Mention


class RecordingStore(Store):
    backend = "recording"

    def __init__(self, fail_at: int | None = None, delay: float = 0.0):
        self.calls: list[tuple[str, list, str]] = []
        self.fail_at, self.delay = fail_at, delay
        self.running = threading.Event()

    def run(self, query, params=None, *, write=False):
        self.running.set()
        time.sleep(self.delay)
        self.calls.append((query, [r.get("doc_id") for r in (params or {}).get("rows", [])],
                           threading.current_thread().name))
        self.running.clear()
        if self.fail_at is not None and len(self.calls) == self.fail_at:
            raise QueryError("the store rejected the query: boom")
        return Result()

    def ensure_schema(self):
        pass

    def close(self):
        pass


def _graphs(count: int) -> list[DocumentGraph]:
    out = []
    for i in range(count):
        ent = Entity(f"city:c{i % 3}", "City", f"C{i % 3}")
        doc = Document(doc_id=f"d{i}", text="x", content_hash=f"h{i}")
        out.append(DocumentGraph(doc, [ent], [], [Mention(0, 1, "C", "City", "c", "C", entity_id=ent.id)]))
    return out


def _marked(store: RecordingStore) -> list[str]:
    return [d for q, docs, _ in store.calls if q == st.MARK_LOADED for d in docs]


def test_statements_run_in_order_on_the_sender_thread_and_graphs_follow_their_mark():
    store = RecordingStore()
    seen_marked_before_yield = []
    for graph in GraphWriter(store, batch_size=4).write(_graphs(10)):
        seen_marked_before_yield.append(graph.document.doc_id in _marked(store))
    assert all(seen_marked_before_yield) and len(seen_marked_before_yield) == 10
    assert _marked(store) == [f"d{i}" for i in range(10)]
    documents = [d for q, docs, _ in store.calls if q == st.DOCUMENTS for d in docs]
    assert documents == [f"d{i}" for i in range(10)]
    assert {name for _, _, name in store.calls} == {"policygraph-writer"}
    # Each batch runs whole (documents ... marked loaded) before the next one starts.
    kinds = ["D" if q == st.DOCUMENTS else "M" if q == st.MARK_LOADED else "." for q, _, _ in store.calls]
    assert "".join(kinds).replace(".", "") == "DM" * (kinds.count("D"))


def test_a_failed_statement_reaches_the_caller_and_only_finished_batches_came_back():
    store = RecordingStore(fail_at=9)
    got = []
    with pytest.raises(QueryError, match="boom"):
        for graph in GraphWriter(store, batch_size=4).write(_graphs(12)):
            got.append(graph.document.doc_id)
    assert set(got) <= set(_marked(store))
    assert len(store.calls) == 9  # nothing ran after the failure


def test_a_caller_that_stops_early_leaves_nothing_running():
    store = RecordingStore(delay=0.02)
    writes = GraphWriter(store, batch_size=2).write(_graphs(40))
    next(writes)
    writes.close()  # e.g. Ctrl-C while the sender is busy
    calls = len(store.calls)
    assert not store.running.is_set()
    time.sleep(0.3)
    assert len(store.calls) == calls  # the sender stopped with the generator
    assert not any(t.name == "policygraph-writer" for t in threading.enumerate())


def test_the_switch_interval_is_short_while_writing_and_restored_after():
    # The sender thread must get the GIL back quickly when the server answers (writer.HANDOFF_SECONDS).
    before = sys.getswitchinterval()
    seen = []
    for _ in GraphWriter(RecordingStore(), batch_size=1).write(_graphs(3)):
        seen.append(sys.getswitchinterval())
    assert seen and all(s <= HANDOFF_SECONDS < before for s in seen)
    assert sys.getswitchinterval() == before


def test_the_switch_interval_is_restored_when_a_write_fails():
    before = sys.getswitchinterval()
    with pytest.raises(QueryError):
        for _ in GraphWriter(RecordingStore(fail_at=2), batch_size=1).write(_graphs(3)):
            pass
    assert sys.getswitchinterval() == before


def test_the_collector_is_paused_while_writing_and_collects_every_few_batches(monkeypatch):
    import gc

    from policygraph.graph import writer

    full = []
    monkeypatch.setattr(writer, "COLLECT_EVERY", 2)
    monkeypatch.setattr(writer.gc, "collect", lambda *args: full.append(args))
    assert gc.isenabled()
    seen = [gc.isenabled() for _ in GraphWriter(RecordingStore(), batch_size=1).write(_graphs(5))]
    assert seen and not any(seen)
    assert gc.isenabled()
    assert len(full) == 2  # after the 2nd and 4th of five batches


def test_a_collector_paused_by_the_caller_stays_paused_and_one_running_is_restored_after_a_failure():
    import gc

    gc.disable()
    try:
        for _ in GraphWriter(RecordingStore(), batch_size=1).write(_graphs(2)):
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(QueryError):
        for _ in GraphWriter(RecordingStore(fail_at=2), batch_size=1).write(_graphs(3)):
            pass
    assert gc.isenabled()


def test_what_survives_a_collection_is_frozen_until_the_write_ends(monkeypatch):
    import gc

    from policygraph.graph import writer

    monkeypatch.setattr(writer, "COLLECT_EVERY", 2)
    assert gc.get_freeze_count() == 0
    store = RecordingStore()
    frozen = [gc.get_freeze_count() for _ in GraphWriter(store, batch_size=1).write(_graphs(5))]
    assert max(frozen) > 0
    assert gc.get_freeze_count() == 0
    # A write failing at its last statement, after its collections: everything thawed all the same.
    frozen = []
    with pytest.raises(QueryError):
        for _ in GraphWriter(RecordingStore(fail_at=len(store.calls)), batch_size=1).write(_graphs(5)):
            frozen.append(gc.get_freeze_count())
    assert max(frozen) > 0
    assert gc.get_freeze_count() == 0
    monkeypatch.setattr(writer, "COLLECT_EVERY", 100)  # no collection, nothing frozen
    assert {gc.get_freeze_count() for _ in GraphWriter(RecordingStore(), batch_size=1).write(_graphs(5))} == {0}


def test_objects_the_caller_froze_stay_frozen_and_none_are_added(monkeypatch):
    import gc

    from policygraph.graph import writer

    def tracked(obj) -> bool:  # frozen objects are left out of gc.get_objects()
        return any(o is obj for o in gc.get_objects())

    monkeypatch.setattr(writer, "COLLECT_EVERY", 1)
    marker = [object()]
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        frozen = [gc.get_freeze_count() for _ in GraphWriter(RecordingStore(), batch_size=1).write(_graphs(3))]
        # Frozen objects may be freed meanwhile, so the count can only fall.
        assert max(frozen) <= before and gc.get_freeze_count() <= before
        assert not tracked(marker)
    finally:
        gc.unfreeze()
    assert tracked(marker)
