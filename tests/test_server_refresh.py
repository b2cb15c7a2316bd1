"""Upkeep of the embedded server during a long write: settles (Store.settle) and restarts
(graph/refresh.py, EmbeddedServer.restart).

The policy is checked alone on made-up usage figures; the settles and restarts themselves
run on the real server, in the middle of a real load, whose graph must come out the same.
"""
from __future__ import annotations

import json
import sys

import pytest
import redis

from conftest import ROOT, run_cli
from policygraph import api
from policygraph.graph import falkordb_store
from policygraph.graph import refresh as refresh_module
from policygraph.graph import server as server_module
from policygraph.graph import writer as writer_module
from policygraph.graph.falkordb_store import settle_statement
from policygraph.graph.refresh import RefreshPolicy, Usage
from policygraph.graph.store import open_store

sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402

MIB = 1 << 20


def _feed(policy: RefreshPolicy, rates: list[float], rows: int = 100, resident: int = 100 * MIB) -> list[bool]:
    """Windows of `rows` rows at each CPU seconds a row; the policy's answer after each."""
    cpu, answers = 0.0, []
    policy.observe(0, Usage(cpu, resident))
    for rate in rates:
        cpu += rate * rows
        answers.append(policy.observe(rows, Usage(cpu, resident)))
    return answers


def test_a_server_that_costs_the_same_a_row_is_never_restarted():
    policy = RefreshPolicy(window_rows=100, seconds_per_byte=1e-9)
    assert not any(_feed(policy, [1e-4] * 500))
    assert policy.excess == pytest.approx(0.0, abs=1e-9)


def test_a_restart_comes_once_the_excess_pays_for_it_and_not_before():
    # A restart of 100 MiB is expected to take 0.105 s; each window pays 0.01 s above the first.
    policy = RefreshPolicy(window_rows=100, seconds_per_byte=1e-9)
    answers = _feed(policy, [1e-4] + [2e-4] * 11)
    assert answers == [False] * 11 + [True]  # 11 windows above the first: 0.11 s >= 0.105 s; 10 were 0.10 s
    assert policy.excess == pytest.approx(0.11)


def test_the_cheapest_window_since_the_restart_is_the_yardstick():
    policy = RefreshPolicy(window_rows=100, seconds_per_byte=1e-9)
    # Dear at first (new entities), then cheap, then dearer: only what a window pays above the
    # cheapest one before it counts (the first window as the yardstick would count nothing here).
    assert not any(_feed(policy, [5e-4, 1e-4, 2e-4, 2e-4]))
    assert policy.excess == pytest.approx(0.02)


def test_rows_are_counted_whole_windows_at_a_time():
    policy = RefreshPolicy(window_rows=1000, seconds_per_byte=0.0)
    policy.observe(0, Usage(0.0, MIB))
    assert not policy.observe(600, Usage(0.06, MIB))  # not a window yet
    assert policy.observe(600, Usage(0.12, MIB))  # 1,200 rows: a window, and a restart that costs nothing pays


def test_a_restart_teaches_its_cost_and_starts_the_count_afresh():
    policy = RefreshPolicy(window_rows=100, seconds_per_byte=1e-9)
    _feed(policy, [1e-4] + [2e-4] * 12)
    policy.restarted(2.0, Usage(5.0, 100 * MIB))
    assert policy.seconds_per_byte == pytest.approx(2.0 / (100 * MIB))
    assert policy.excess == 0.0
    # The new server's counters start from zero, and 2 s now takes 200 windows of 0.01 s over the best.
    answers = _feed(policy, [1e-4] + [2e-4] * 250)
    assert answers.index(True) == 200


class AlwaysRestart(RefreshPolicy):
    """Restarts after every batch; counts the restarts it saw finish."""

    done = 0

    def observe(self, rows: int, usage: Usage) -> bool:
        return True

    def restarted(self, seconds: float, before: Usage) -> None:
        type(self).done += 1


def _export(store: str) -> dict:
    data = json.loads(run_cli("export", "--store", store, check=True).stdout)
    key = lambda item: json.dumps(item, sort_keys=True)
    return {"nodes": sorted(map(key, data["nodes"])), "links": sorted(map(key, data["links"]))}


def _plain_and_patched(tmp_path, seed: int) -> tuple[dict, dict]:
    """40 generated articles loaded by the CLI (a process of its own: the code as it stands) and
    by api.load in this one (with whatever the test patched); both graphs exported."""
    corpus = tmp_path / "corpus"
    generate.generate(40, corpus, seed=seed)
    plain, patched = str(tmp_path / "plain"), str(tmp_path / "patched")
    run_cli("load", str(corpus), "--store", plain, "--batch-size", "300", check=True)
    report = api.load([corpus], patched, batch_size=300, workers=1)
    assert report.loaded == 40 and not report.failed
    return _export(plain), _export(patched)


@pytest.mark.timeout(900)
def test_a_load_whose_server_restarts_after_every_batch_writes_the_same_graph(tmp_path, monkeypatch):
    monkeypatch.setattr(writer_module, "RefreshPolicy", AlwaysRestart)
    AlwaysRestart.done = 0
    pids = set()
    restart = server_module.EmbeddedServer.restart

    def watched(self):
        pids.add(self.server_pid())
        return restart(self)

    monkeypatch.setattr(server_module.EmbeddedServer, "restart", watched)
    plain, restarted = _plain_and_patched(tmp_path, seed=5)
    assert AlwaysRestart.done >= 5, "too few batches to restart in between"
    assert len(pids) == AlwaysRestart.done  # a new server each time
    assert restarted == plain


def test_the_settle_statement_fetches_every_label_and_relation_type():
    text = settle_statement(["Entity", "Ministry", "Odd Label"], ["SUPPORTS", "LEADS"])
    parts = text.split("\nUNION ALL\n")
    assert len(parts) == 3 + 2 + 2  # labels, relation types, the node-label and adjacency matrices
    for label in ("Entity", "Ministry", "Odd Label"):
        assert f"MATCH (n:`{label}`)" in text
    for rel_type in ("SUPPORTS", "LEADS"):
        assert f"-[:`{rel_type}`]->" in text
    assert "labels(a)" in text and "(a)-->(b)" in text
    assert not any(word in text.upper() for word in ("CREATE", "MERGE", "SET ", "DELETE"))
    # A name that would end its quotes is left out rather than spliced in.
    odd = settle_statement(["a`b", "Entity"], ["c`d"])
    assert "a`b" not in odd and "c`d" not in odd and "MATCH (n:`Entity`)" in odd


def test_a_settle_changes_nothing_an_analyst_can_see(store_dir):
    store = open_store(store_dir)
    try:
        assert store.settle()  # an empty graph: no labels, no types
        store.run("UNWIND range(1, 50) AS i CREATE (:Entity:`Odd Label` {id: toString(i)})", write=True)
        store.run("MATCH (a:Entity {id: '1'}), (b:Entity) WHERE b.id <> '1' CREATE (a)-[:SUPPORTS]->(b)", write=True)
        before = store.run("MATCH (n) OPTIONAL MATCH (n)-[e]->() RETURN count(DISTINCT n), count(e)").rows
        assert store.settle()
        assert store.run("MATCH (n) OPTIONAL MATCH (n)-[e]->() RETURN count(DISTINCT n), count(e)").rows == before
        assert before == [[50, 49]]
        assert store.run("MATCH (n:`Odd Label`) RETURN count(n)").value() == 50
    finally:
        store.close()


def test_a_settle_the_server_refuses_is_skipped_and_the_store_goes_on(store_dir, monkeypatch):
    store = open_store(store_dir)
    try:
        monkeypatch.setattr(falkordb_store, "settle_statement", lambda labels, types: "MATCH (n RETURN n")
        assert not store.settle()
        store.run("CREATE (:Entity {id: 'x'})", write=True)
        assert store.run("MATCH (n:Entity) RETURN count(n)").value() == 1
    finally:
        store.close()


@pytest.mark.timeout(900)
def test_a_load_that_settles_after_every_batch_writes_the_same_graph(tmp_path, monkeypatch):
    monkeypatch.setattr(refresh_module, "SETTLE_ROWS", 1)
    calls = []
    settle = writer_module.GraphWriter._settle

    def counted(self, rows):
        settle(self, rows)
        calls.append(self.settles)

    monkeypatch.setattr(writer_module.GraphWriter, "_settle", counted)
    plain, settled = _plain_and_patched(tmp_path, seed=6)
    assert len(calls) >= 5, "too few batches to settle in between"
    assert calls == list(range(1, len(calls) + 1))  # a settle after every batch
    assert settled == plain


def test_a_restart_keeps_what_was_written_and_the_bulk_setting(store_dir):
    store = open_store(store_dir)
    try:
        store.run("CREATE (:Entity {id: 'x', name: 'X'})", write=True)
        with store.bulk_writes():
            before = store.server.server_pid()
            assert store.refresh()
            assert store.server.server_pid() != before
            admin = store.server._admin()
            assert admin.config_get("auto-aof-rewrite-percentage")["auto-aof-rewrite-percentage"] == "0"
            assert store.run("MATCH (n:Entity {id: 'x'}) RETURN n.name").value() == "X"
            store.run("CREATE (:Entity {id: 'y', name: 'Y'})", write=True)
        expected = str(server_module.AUTO_REWRITE_PERCENT)
        assert admin.config_get("auto-aof-rewrite-percentage")["auto-aof-rewrite-percentage"] == expected
        assert store.server_usage().resident_bytes > 0
    finally:
        store.close()
    reopened = open_store(store_dir)
    try:
        assert reopened.run("MATCH (n:Entity) RETURN count(n)").value() == 2
    finally:
        reopened.close()


def _refused(store) -> None:
    """The store declines to restart: the same server goes on answering."""
    before = store.server.server_pid()
    assert not store.refresh()
    assert store.server.server_pid() == before
    assert store.run("RETURN 1").value() == 1


def test_a_server_another_client_uses_is_not_restarted(store_dir):
    store = open_store(store_dir)
    other = redis.Redis(unix_socket_path=str(store.server.socket), client_name="someone-else")
    try:
        other.ping()
        _refused(store)
    finally:
        other.close()
        store.close()


def test_a_server_that_does_not_stop_goes_on_serving(store_dir, monkeypatch):
    store = open_store(store_dir)
    try:
        monkeypatch.setattr(store.server, "_shutdown", lambda: None)  # as one that cannot write its log
        _refused(store)
    finally:
        monkeypatch.undo()
        store.close()
