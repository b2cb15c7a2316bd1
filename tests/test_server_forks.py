"""A load's writes wait while a module's fork of the embedded server runs (graph/server.py wait_for_fork).

FalkorDB's index collector forks the server, and every page the server writes
meanwhile is copied; the writer holds its next statement until the fork exits.
The collector cannot be started on demand, so the waiting itself is checked
against a stand-in for the server's INFO; the rest runs on the real server.
"""
from __future__ import annotations

from policygraph.graph import server
from policygraph.graph.store import open_store
from policygraph.graph.writer import GraphWriter
from policygraph.schema.model import Document, DocumentGraph, Entity, Mention


class ForkingInfo:
    """INFO persistence of a server whose module fork runs for the first `polls` questions."""

    def __init__(self, polls: int):
        self.polls, self.asked = polls, 0

    def info(self, section: str) -> dict:
        assert section == "persistence"
        self.asked += 1
        return {"module_fork_in_progress": int(self.asked <= self.polls)}


def test_a_write_waits_until_the_fork_exits(tmp_path, monkeypatch):
    embedded = server.EmbeddedServer(tmp_path / "store")
    watch = ForkingInfo(polls=3)
    monkeypatch.setattr(embedded, "_admin", lambda role="-admin", timeout=0: watch)
    monkeypatch.setattr(server, "FORK_POLL_SECONDS", 0.01)
    assert embedded.wait_for_fork() >= 0.03  # every poll's sleep counted, the last one too
    assert watch.asked == 4  # three times forked, then free


def test_a_fork_that_outlasts_the_limit_is_waited_for_no_longer(tmp_path, monkeypatch):
    embedded = server.EmbeddedServer(tmp_path / "store")
    monkeypatch.setattr(embedded, "_admin", lambda role="-admin", timeout=0: ForkingInfo(polls=10**9))
    monkeypatch.setattr(server, "FORK_POLL_SECONDS", 0.01)
    waited = embedded.wait_for_fork(limit=0.05)
    assert 0.05 <= waited < 1.0


def test_the_real_server_without_a_fork_is_not_waited_for_and_a_gone_one_is_no_error(store_dir):
    store = open_store(store_dir)
    embedded = store.server
    assert store.wait_for_housekeeping() == 0.0
    store.close()
    assert embedded.wait_for_fork() == 0.0  # the server has exited: the write will say so, not this


def test_every_statement_of_a_load_asks_first(store_dir, monkeypatch):
    store = open_store(store_dir)
    try:
        asked = []
        ask = store.wait_for_housekeeping
        monkeypatch.setattr(store, "wait_for_housekeeping", lambda: asked.append(1) or ask())
        ent = Entity("city:suwon", "City", "Suwon")
        graphs = [DocumentGraph(Document(doc_id=f"d{i}", text="Suwon", content_hash=f"h{i}"), [ent], [],
                                [Mention(0, 5, "Suwon", "City", "suwon", "Suwon", entity_id=ent.id)])
                  for i in range(3)]
        writer = GraphWriter(store, batch_size=2)
        sent = []
        send = writer._send
        monkeypatch.setattr(writer, "_send", lambda prepared, rows: sent.append(1) or send(prepared, rows))
        assert len(list(writer.write(graphs))) == 3
        assert len(asked) == len(sent) > 0
        assert store.run("MATCH (d:Document {status: 'loaded'}) RETURN count(d)").value() == 3
    finally:
        store.close()


def test_a_server_too_small_for_a_fork_to_matter_is_not_asked(store_dir, monkeypatch):
    """Below FORK_WAIT_ABOVE of resident memory a fork cannot copy enough to matter: no INFO, no wait."""
    store = open_store(store_dir)
    try:
        embedded = store.server
        resident = embedded.resident_bytes()
        assert resident is not None and 0 < resident < server.FORK_WAIT_ABOVE
        watch = ForkingInfo(polls=3)
        monkeypatch.setattr(embedded, "_admin", lambda role="-admin", timeout=0: watch)
        monkeypatch.setattr(server, "FORK_POLL_SECONDS", 0.01)
        assert embedded.wait_for_fork() == 0.0 and watch.asked == 0
        monkeypatch.setattr(server, "FORK_WAIT_ABOVE", resident // 2)  # as if it had grown past it
        assert embedded.wait_for_fork() >= 0.02 and watch.asked == 4
    finally:
        monkeypatch.undo()
        embedded._fork_watch = None  # the stand-in, not a connection to close
        store.close()
