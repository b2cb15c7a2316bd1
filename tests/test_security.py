"""No injection and no exposure, through the real CLI and the real server.

Document text and user values reach the store only as parameters: names made
of Cypher load as plain names and the rest of the graph stays whole. The
embedded server listens on its private unix socket only, never on TCP or UDP;
Neo4j credentials never show in a message, not even with --debug.
"""
from __future__ import annotations

import json
import os
import socket
import stat
from pathlib import Path

import pytest

from conftest import DEMO, run_cli
from policygraph.graph.server import PIDFILE, SOCKET
from policygraph.graph.store import open_store

PAYLOADS = ['") DETACH DELETE n //', "' OR 1=1 //", "}) MATCH (x) DETACH DELETE x //", "$rows", "\\u0027 //",
            "n.name = 'x' WITH 1 AS one MATCH (m) DELETE m //"]


def test_cypher_in_documents_loads_as_plain_text(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for n, payload in enumerate(PAYLOADS):
        # The payload is the title, and sits in a name and a quoted organisation the extractor reads.
        (docs / f"evil-{n}.txt").write_text(
            f"{payload}\nSuwon Mayor Lee Jae-jun{payload} met Gyeonggi Province officials.\n"
            f"The \"{payload} Foundation\" backs the semiconductor industry in Suwon, officials said.\n")
    store = str(tmp_path / "store")
    run_cli("load", str(DEMO), "--store", store, check=True)
    before = json.loads(run_cli("stats", "--store", store, "--format", "json", check=True).stdout)
    proc = run_cli("load", str(docs), "--store", store)
    assert proc.returncode == 0, proc.stderr
    after = json.loads(run_cli("stats", "--store", store, "--format", "json", check=True).stdout)
    assert after["labels"]["Document"] == before["labels"]["Document"] + len(PAYLOADS)
    for label, count in before["labels"].items():
        assert after["labels"].get(label, 0) >= count, f"{label} nodes were deleted"
    for rel, count in before["relations"].items():
        assert after["relations"].get(rel, 0) >= count, f"{rel} edges were deleted"
    titles = json.loads(run_cli("cypher", "MATCH (d:Document) WHERE d.doc_id STARTS WITH 'evil-' "
                                "RETURN d.title AS title", "--store", store, "--format", "json", check=True).stdout)
    assert sorted(t["title"] for t in titles) == sorted(PAYLOADS)


def test_user_values_are_parameters_in_cypher(tmp_path):
    store = str(tmp_path / "store")
    run_cli("load", str(DEMO), "--store", store, check=True)
    count = "MATCH (n) RETURN count(n) AS n"
    total = json.loads(run_cli("cypher", count, "--store", store, "--format", "json", check=True).stdout)
    for payload in PAYLOADS:
        proc = run_cli("cypher", "MATCH (n:Entity) WHERE n.name = $name RETURN count(n) AS c", "--param",
                       f"name={payload}", "--store", store, "--format", "json", "--write")
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout) == [{"c": 0}]
    assert json.loads(run_cli("cypher", count, "--store", store, "--format", "json", check=True).stdout) == total


def test_reads_cannot_write_without_write(tmp_path):
    store = str(tmp_path / "store")
    run_cli("load", str(DEMO), "--store", store, check=True)
    for query in ("MATCH (n) DETACH DELETE n", "MATCH (n:Entity) SET n.name = 'x'", "CREATE (:Entity {id: 'x'})",
                  "MATCH (n) WITH n LIMIT 1 MERGE (n)-[:LEADS]->(:Entity {id: 'y'})"):
        proc = run_cli("cypher", query, "--store", store)
        assert proc.returncode != 0 and "--write" in proc.stderr and "Traceback" not in proc.stderr
    stats = json.loads(run_cli("stats", "--store", store, "--format", "json", check=True).stdout)
    assert stats["labels"]["Document"] == len(list(DEMO.iterdir()))


def _listening_inodes() -> set[str]:
    """Socket inodes of every TCP listener and every bound UDP socket, IPv4 and IPv6."""
    inodes = set()
    for table, state in (("tcp", "0A"), ("tcp6", "0A"), ("udp", "07"), ("udp6", "07")):
        path = Path("/proc/net") / table
        if path.exists():
            for line in path.read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == state:
                    inodes.add(fields[9])
    return inodes


def test_server_listens_only_on_a_private_unix_socket(tmp_path):
    folder = tmp_path / "deep" / "store"
    old = os.umask(0)  # even a careless umask must not open the folder or the socket
    try:
        db = open_store(folder)
    finally:
        os.umask(old)
    try:
        pid = int((folder / PIDFILE).read_text())
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE((folder / SOCKET).stat().st_mode) == 0o700
        fds = Path(f"/proc/{pid}/fd")
        open_sockets = {os.readlink(fd) for fd in fds.iterdir() if os.readlink(fd).startswith("socket:")}
        network = {f"socket:[{inode}]" for inode in _listening_inodes()}
        assert not open_sockets & network, "the embedded server listens on the network"
        config = db._db.connection.config_get("port")
        assert config == {"port": "0"}
    finally:
        db.close()


def test_neo4j_password_never_shows(tmp_path):
    pytest.importorskip("policygraph.graph.neo4j_store")
    secret = "hunter2-Secret-pw"
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]  # bound, never listening: connections are refused
    try:
        env = {"NEO4J_USER": "analyst", "NEO4J_PASSWORD": secret}
        runs = [run_cli("stats", "--store", f"bolt://127.0.0.1:{port}", env=env),
                run_cli("--debug", "load", str(DEMO), "--store", f"neo4j://127.0.0.1:{port}", env=env),
                run_cli("export", "--store", f"bolt://analyst:{secret}@127.0.0.1:{port}", env=env),
                run_cli("--debug", "cypher", "RETURN 1", "--store", f"bolt://analyst:{secret}@127.0.0.1:{port}")]
    finally:
        closed.close()
    for proc in runs:
        assert proc.returncode != 0
        assert secret not in proc.stdout + proc.stderr
    assert "Traceback" not in runs[0].stderr and len(runs[0].stderr.strip().splitlines()) == 1
    assert "Neo4j" in runs[0].stderr
