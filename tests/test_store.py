"""Integration tests of the embedded FalkorDB store: the real server, no mocks."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap

import pytest
from by_id import ById

from policygraph.errors import QueryError, StoreError
from policygraph.graph.server import PIDFILE, PLAN_CACHE_SIZE, SOCKET, _process_running
from policygraph.graph.store import open_store
from policygraph.schema.model import ENTITY_TYPES, ROLE_LABELS


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


def test_the_server_keeps_more_plans_than_a_writer_batch_has_statements(store):
    # FalkorDB keeps 25 by default: a batch of 19 label sets' entity statements and the seven
    # others would have every statement planned again, batch after batch.
    _, size = store.server._admin().execute_command("GRAPH.CONFIG", "GET", "CACHE_SIZE")
    assert int(size) == PLAN_CACHE_SIZE
    assert PLAN_CACHE_SIZE >= 7 + len(ENTITY_TYPES) + len(ROLE_LABELS)


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


def test_search_by_the_stores_keys_is_the_portable_statements_answer(store):
    """FalkorDB's graph search seeks entities by internal node id and joins each list into one
    string; the base class's (by entity id, lists) finds the same neighbours."""
    store.run("UNWIND range(0, 40) AS i MERGE (a:Entity {id: 'org:hub', link_count: 3}) "
              "MERGE (b:Entity {id: 'org:n-' + toString(i), name: 'N' + toString(i)}) "
              "MERGE (a)-[:SUPPORTS]->(b) WITH a, b, i WHERE i % 3 = 0 MERGE (b)-[:LEADS]->(a)", write=True)
    asked = ["org:hub", "org:n-3", "org:none"]
    answers = []
    for search in (store, ById(store)):
        keys = search.search_keys(asked)
        assert len(set(keys.values())) == 2 and {"org:hub", "org:n-3"} <= set(keys)

        def ids(found, search=search):  # neighbours by entity id, whatever the keys
            named = search.search_names(sorted({k for key, ks in found for k in (key, *ks)}))
            return {named[key][0]: sorted(named[k][0] for k in ks) for key, ks in found}

        def step(rel_type, outgoing, within=None, search=search, keys=keys):
            near = None if within is None else list(search.search_keys(within).values())
            rows = search.neighbours([keys["org:hub"], keys["org:n-3"]], near)
            assert len(rows) == len({(t, out, key) for t, out, key, _ in rows})  # one row each
            return ids([(key, found) for t, out, key, found in rows if (t, out) == (rel_type, outgoing)])

        answer = {(t, out): step(t, out) for t in ("SUPPORTS", "LEADS") for out in (True, False)}
        within = ["org:n-3", "org:n-4", "org:hub"]
        for (t, out), full in list(answer.items()):
            expected = {k: sorted(set(v) & set(within)) for k, v in full.items() if set(v) & set(within)}
            assert step(t, out, within) == expected
            answer[(t, out, "within")] = expected
        assert len(answer[("SUPPORTS", True)]["org:hub"]) == 41
        assert answer[("LEADS", False)]["org:hub"] == sorted(f"org:n-{i}" for i in range(0, 41, 3))
        assert step("SUPPORTS", True, ["org:n-3", "org:n-4"]) == {"org:hub": ["org:n-3", "org:n-4"]}
        # The stored count, or one edge for an entity without it.
        assert search.link_total([keys["org:hub"], keys["org:n-3"]]) == 4
        answers.append(answer)
    assert answers[0] == answers[1]
    from policygraph.graph.store import adjacency_statement

    with pytest.raises(ValueError):
        adjacency_statement("MENTIONS) DETACH DELETE (n", True)
