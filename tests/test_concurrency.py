"""Concurrent use of one embedded store: two loaders, and readers while a load runs.

Each command is the real CLI in its own process, sharing one FalkorDB server.
A second loader waits for the first (and says so); readers never stop the
server under a loader or under each other; at the end the graph equals the
one sequential loads give, and no server process is left.
"""
from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from corpus_gen import write_corpus
from figures import record
from policygraph.graph.loadlock import LOCKFILE
from procs import servers_on
from test_crash_safety import canonical, differences, integrity


@pytest.fixture(scope="module")
def parts(tmp_path_factory, seeds) -> dict[str, str]:
    root = tmp_path_factory.mktemp("parts")
    write_corpus(root / "a", 150, seed=11)  # long enough that a second loader starts while it runs
    write_corpus(root / "b", 40, seed=12)
    for n, path in enumerate(sorted((root / "b").iterdir())):
        path.rename(path.with_name(f"b-{n:04d}.txt"))  # doc ids of their own: b is disjoint from a
    return {"seeds": str(seeds), "a": str(root / "a"), "b": str(root / "b")}


def export(store: Path) -> dict:
    return canonical(json.loads(run_cli("export", "--store", str(store), check=True).stdout))


def load_cmd(store: Path, *paths: str) -> list[str]:
    return [sys.executable, "-m", "policygraph.cli", "load", *paths, "--store", str(store), "--batch-size", "10",
            "--workers", "1"]


def lock_held(store: Path) -> bool:
    """True while some process holds the store's load lock."""
    path = store / LOCKFILE
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def two_loads(store: Path, first: list[str], second: list[str]) -> tuple[subprocess.CompletedProcess, ...]:
    """Start `first`; once it holds the load lock, start `second`; wait for both."""
    one = subprocess.Popen(load_cmd(store, *first), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    deadline = time.monotonic() + 60
    while not lock_held(store) and one.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert one.poll() is None, "the first load ended before the second could start: make it bigger"
    two = subprocess.Popen(load_cmd(store, *second), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    out_two = two.communicate(timeout=300)
    out_one = one.communicate(timeout=300)
    return (subprocess.CompletedProcess(one.args, one.returncode, *out_one),
            subprocess.CompletedProcess(two.args, two.returncode, *out_two))


@pytest.mark.parametrize("first, second", [(("seeds", "a"), ("a", "b")),    # overlapping documents
                                           (("seeds", "a"), ("b",))])       # disjoint documents
def test_two_loaders_at_once_equal_two_loads_in_a_row(tmp_path, parts, first, second):
    store, sequential = tmp_path / "store", tmp_path / "sequential"
    first_paths, second_paths = [parts[p] for p in first], [parts[p] for p in second]
    one, two = two_loads(store, first_paths, second_paths)
    assert one.returncode == 0, one.stderr
    assert two.returncode == 0, two.stderr
    assert f"waiting for another load on {store} to finish" in two.stderr
    assert "Traceback" not in one.stderr + two.stderr
    run_cli("load", *first_paths, "--store", str(sequential), "--batch-size", "10", check=True)
    run_cli("load", *second_paths, "--store", str(sequential), "--batch-size", "10", check=True)
    assert integrity(store) == {"duplicate_entities": 0, "duplicate_documents": 0, "duplicate_edges": 0,
                                "unfinished": 0}
    assert differences(export(sequential), export(store)) == []
    assert servers_on(store) == [] and servers_on(sequential) == []
    record("concurrency", concurrent_loads=2)


def test_readers_while_a_load_runs(tmp_path, parts):
    """stats and cypher in a loop from several processes while a load writes: all succeed, graph intact."""
    store, sequential = tmp_path / "store", tmp_path / "sequential"
    paths = [parts["seeds"], parts["a"], parts["b"]]
    loader = subprocess.Popen(load_cmd(store, *paths), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)

    def reader(n: int) -> list[subprocess.CompletedProcess]:
        done = []
        while loader.poll() is None or len(done) < 3:
            if n % 2:
                done.append(run_cli("stats", "--store", str(store), "--format", "json"))
            else:
                done.append(run_cli("cypher", "MATCH (d:Document) RETURN count(d) AS n", "--store", str(store),
                                    "--format", "json"))
        return done

    with ThreadPoolExecutor(4) as pool:
        runs = [proc for batch in pool.map(reader, range(4)) for proc in batch]
    out, err = loader.communicate(timeout=300)
    assert loader.returncode == 0, err
    failed = [proc.stderr for proc in runs if proc.returncode != 0]
    record("concurrency", reads_during_load=len(runs), failed_reads=len(failed))
    assert failed == []
    run_cli("load", *paths, "--store", str(sequential), "--batch-size", "10", check=True)
    assert differences(export(sequential), export(store)) == []
    assert servers_on(store) == []


def test_many_short_clients_never_stop_the_server_under_each_other(tmp_path):
    """Clients that come and go at once: the last to leave stops the server, never one still in use."""
    store = tmp_path / "store"
    run_cli("cypher", "CREATE (:Entity {id: 'x', name: 'Suwon'})", "--write", "--store", str(store), check=True)

    def client(_: int) -> list[subprocess.CompletedProcess]:
        return [run_cli("cypher", "MATCH (n:Entity) RETURN count(n) AS n", "--store", str(store), "--format", "json")
                for _ in range(5)]

    with ThreadPoolExecutor(4) as pool:
        runs = [proc for batch in pool.map(client, range(4)) for proc in batch]
    failed = [proc.stderr for proc in runs if proc.returncode != 0 or json.loads(proc.stdout) != [{"n": 1}]]
    record("concurrency", short_clients=len(runs), failed_clients=len(failed))
    assert failed == []
    assert servers_on(store) == []


def test_a_client_leaving_never_stops_the_server_another_has_just_attached_to(tmp_path):
    """The race in the shared-server design: B attaches, A leaves before B sends anything."""
    from policygraph.graph.server import EmbeddedServer

    folder = tmp_path / "store"
    a, b = EmbeddedServer(folder), EmbeddedServer(folder)
    a.attach()
    b.attach()
    a.detach()  # B holds no open query yet: A must still count it
    try:
        assert len(servers_on(folder)) == 1
        assert b._admin().ping()
    finally:
        b.detach()
    assert servers_on(folder) == []
