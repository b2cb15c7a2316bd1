"""Integration tests of the embedded FalkorDB store: the real server, no mocks."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap

import pytest

from policygraph.errors import QueryError, StoreError
from policygraph.graph.server import PIDFILE, SOCKET, _process_running
from policygraph.graph.store import open_store


def _server_pid(folder):
    return int((folder / PIDFILE).read_text())


def test_server_starts_on_a_private_socket_without_tcp(store, store_dir):
    pid = _server_pid(store_dir)
    assert stat.S_IMODE(store_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((store_dir / SOCKET).stat().st_mode) & 0o077 == 0
    with open("/proc/net/tcp") as f4, open("/proc/net/tcp6") as f6:
        listening = [ln for ln in (f4.read() + f6.read()).splitlines()[1:] if ln.split()[3] == "0A"]
    inodes = {ln.split()[9] for ln in listening}
    fds = os.listdir(f"/proc/{pid}/fd")
    sockets = {os.readlink(f"/proc/{pid}/fd/{fd}") for fd in fds if os.path.exists(f"/proc/{pid}/fd/{fd}")}
    assert not any(f"socket:[{inode}]" in sockets for inode in inodes), "the server listens on TCP"


def test_stops_when_closed_and_data_persists(store_dir):
    s = open_store(store_dir)
    pid = _server_pid(store_dir)
    s.run("CREATE (:Entity {id: 'x:1', name: $name})", {"name": "Suwon"}, write=True)
    s.close()
    assert not _process_running(pid) or open(f"/proc/{pid}/stat").read().split()[2] == "Z"
    assert not (store_dir / SOCKET).exists()
    s2 = open_store(store_dir)
    try:
        assert s2.run("MATCH (n:Entity {id: 'x:1'}) RETURN n.name").value() == "Suwon"
    finally:
        s2.close()


def test_second_process_shares_the_server(store, store_dir):
    pid = _server_pid(store_dir)
    store.run("CREATE (:Entity {id: 'x:2'})", write=True)
    code = textwrap.dedent(f"""
        from policygraph.graph.store import open_store
        s = open_store({str(store_dir)!r})
        print(s.run("MATCH (n:Entity) RETURN count(n)").value())
        s.close()
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "1", out.stderr
    assert _server_pid(store_dir) == pid and _process_running(pid), "the child must not stop a shared server"
    assert store.run("MATCH (n) RETURN count(n)").value() == 1


def test_stale_server_files_after_a_kill_are_recovered(store_dir):
    s = open_store(store_dir)
    s.run("CREATE (:Entity {id: 'x:3'})", write=True)
    os.kill(_server_pid(store_dir), 9)
    s._closed = True  # its server is gone; nothing to detach from
    s2 = open_store(store_dir)
    try:
        assert s2.run("MATCH (n:Entity {id: 'x:3'}) RETURN count(n)").value() == 1
    finally:
        s2.close()


def test_reads_are_read_only_unless_write(store):
    with pytest.raises(QueryError, match="--write"):
        store.run("CREATE (:Entity {id: 'nope'})")
    assert store.run("MATCH (n) RETURN count(n)").value() == 0


def test_cypher_errors_are_one_line(store):
    with pytest.raises(QueryError) as exc:
        store.run("MATCH (n RETURN n")
    assert "\n" not in str(exc.value)


def test_prepared_statements_carry_any_value_as_a_parameter(store):
    # The writer encodes a batch on its own thread (store.prepare) and sends it later.
    values = {"text": "it's \"quoted\" \\ and `ticked` ); MATCH (n) DETACH DELETE n //",
              "items": [1, 2.5, None, True, "한국어", ["nested"]], "map": {"a-b": "c", "n": 0}}
    prepared = store.prepare("RETURN $text AS text, $items AS items, $map AS map", values)
    assert "$text" in prepared.query and prepared.params is None
    row = store.run_prepared(prepared).records()[0]
    assert row == {"text": values["text"], "items": values["items"], "map": values["map"]}
    with pytest.raises(QueryError):
        store.prepare("RETURN $x", {"a`b": 1})


def test_indexes_exist(store):
    res = store.run("CALL db.indexes() YIELD label, properties RETURN label, properties")
    indexed = {(row[0], p) for row in res.rows for p in row[1]}
    assert {("Entity", "id"), ("Document", "doc_id")} <= indexed


def test_schema_created_by_another_process_meanwhile_is_no_error(store, monkeypatch):
    """Two processes opening one store both see an index missing; the second CREATE INDEX must not fail."""
    monkeypatch.setattr(store, "_indexed", lambda: set())
    store.ensure_schema()
    indexed = store.run("CALL db.indexes() YIELD label RETURN count(label)").rows[0][0]
    assert indexed >= 2


def test_unwritable_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="--store"):
        open_store(blocker / "sub")


def _rewrite_percent(store) -> int:
    return int(store.server._admin().config_get("auto-aof-rewrite-percentage")["auto-aof-rewrite-percentage"])


def test_no_automatic_log_rewrites_while_the_writer_writes(store):
    """Each rewrite forks the server and copies every page the writer touches meanwhile: held off during a load."""
    from policygraph.graph.writer import GraphWriter
    from policygraph.schema.model import Document, DocumentGraph, Entity, Mention

    def graphs(count):
        for i in range(count):
            ent = Entity(f"city:c{i % 3}", "City", f"C{i % 3}")
            doc = Document(doc_id=f"d{i:03}", text="x", content_hash=f"h{i}")
            yield DocumentGraph(doc, [ent], [], [Mention(0, 1, "C", "City", "c", "C", entity_id=ent.id)])

    assert _rewrite_percent(store) == 100
    writer = GraphWriter(store, batch_size=4)
    seen = []
    for _ in writer.write(graphs(10)):
        seen.append(_rewrite_percent(store))
    assert seen and set(seen) == {0}
    assert _rewrite_percent(store) == 100
    stopped_early = writer.write(graphs(10))
    next(stopped_early)
    stopped_early.close()
    assert _rewrite_percent(store) == 100
    assert store.run("MATCH (d:Document) RETURN count(d)").value() == 10


def test_adjacency_joined_by_the_server_is_the_portable_statements_answer(store):
    """FalkorDB's Store.adjacency joins each list into one string; the base class's Cypher returns lists."""
    from policygraph.graph.store import Store

    store.run("UNWIND range(0, 40) AS i MERGE (a:Entity {id: 'org:hub'}) MERGE (b:Entity {id: 'org:n-' + toString(i)}) "
              "MERGE (a)-[:SUPPORTS]->(b) WITH a, b, i WHERE i % 3 = 0 MERGE (b)-[:LEADS]->(a)", write=True)
    asked = ["org:hub", "org:n-3", "org:none"]
    for rel_type, outgoing in (("SUPPORTS", True), ("SUPPORTS", False), ("LEADS", True), ("LEADS", False)):
        joined = {k: sorted(v) for k, v in store.adjacency(asked, rel_type, outgoing)}
        portable = {k: sorted(v) for k, v in Store.adjacency(store, asked, rel_type, outgoing)}
        assert joined == portable
    assert len(dict(store.adjacency(asked, "SUPPORTS", True))["org:hub"]) == 41
    # Only the neighbours `within` a set, by either statement: what the full answer holds of that set.
    within = ["org:n-3", "org:n-4", "org:none", "org:hub"]
    for rel_type, outgoing in (("SUPPORTS", True), ("LEADS", True), ("LEADS", False)):
        full = {k: sorted(set(v) & set(within)) for k, v in store.adjacency(asked, rel_type, outgoing)}
        expected = {k: v for k, v in full.items() if v}
        for answer in (store.adjacency(asked, rel_type, outgoing, within),
                       Store.adjacency(store, asked, rel_type, outgoing, within)):
            assert {k: sorted(v) for k, v in answer} == expected
    near = dict(store.adjacency(asked, "SUPPORTS", True, ["org:n-3", "org:n-4"]))
    assert list(near) == ["org:hub"] and sorted(near["org:hub"]) == ["org:n-3", "org:n-4"]
    assert sorted(dict(store.adjacency(asked, "LEADS", False))["org:hub"]) == sorted(f"org:n-{i}" for i in range(0, 41, 3))
    with pytest.raises(ValueError):
        store.adjacency(asked, "MENTIONS) DETACH DELETE (n", True)
