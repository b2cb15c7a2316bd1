"""A server that stops working mid-statement is killed and replaced (graph/watchdog.py), one that
works on a long statement is left alone. The real embedded server, frozen with SIGSTOP as a
deadlocked FalkorDB is: it holds the statement and uses no CPU."""
from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time

import pytest
import redis

from policygraph.errors import StoreError, UsageError
from policygraph.graph import server, watchdog
from policygraph.graph.store import open_store
from procs import servers_on


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setenv("POLICYGRAPH_HUNG_AFTER", "1")
    monkeypatch.setattr(watchdog, "PROBE_TIMEOUT", 1.0)
    monkeypatch.setattr(watchdog, "POLL_SECONDS", 0.2)


@pytest.fixture
def store(store_dir, quick):
    db = open_store(store_dir)
    db.run("UNWIND range(1, 50) AS i CREATE (:Entity {id: 'e' + toString(i), name: 'E' + toString(i)})",
           write=True)
    yield db
    db.close()


def freeze(db) -> int:
    pid = db.server.server_pid()
    os.kill(pid, signal.SIGSTOP)
    return pid


def test_a_read_on_a_frozen_server_is_answered_by_a_new_one(store, caplog):
    frozen = freeze(store)
    with caplog.at_level(logging.WARNING, logger="policygraph"):
        assert store.run("MATCH (n:Entity) RETURN count(n)").value() == 50
    assert store.server.server_pid() != frozen
    assert servers_on(store.server.folder) == [store.server.server_pid()]
    said = " ".join(r.getMessage() for r in caplog.records)
    assert "(a deadlock); stopping it" in said and "sending the statement again" in said


def test_a_write_of_ones_own_is_not_sent_twice_but_reported(store):
    freeze(store)
    with pytest.raises(StoreError, match="may not have taken effect: check the graph and run it again"):
        store.run("CREATE (:Entity {id: 'late'})", write=True)
    assert store.run("MATCH (n:Entity) RETURN count(n)").value() in (50, 51)  # the new server works


def test_a_server_busy_with_a_long_statement_is_left_alone(store, caplog):
    pid = store.server.server_pid()
    running: list[bool | None] = []

    def look() -> None:
        time.sleep(0.5)
        running.append(store.server.statement_running(5.0))

    threading.Thread(target=look).start()
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="policygraph"):
        rows = store.run("UNWIND range(1, 8000) AS a UNWIND range(1, 8000) AS b RETURN count(*)").value()
    assert rows == 64_000_000
    assert time.monotonic() - started > 1.5, "too short to have been watched: make the statement longer"
    assert running == [True]  # the server holds a statement it works on: the watchdog judges it
    assert store.server.statement_running(5.0) is False  # and lets go of it once answered
    assert store.server.server_pid() == pid and not caplog.records


@pytest.mark.parametrize("value", ["0", "-3", "soon"])
def test_a_bad_hung_after_setting_is_a_usage_error(monkeypatch, value):
    monkeypatch.setenv("POLICYGRAPH_HUNG_AFTER", value)
    with pytest.raises(UsageError, match="POLICYGRAPH_HUNG_AFTER"):
        watchdog.hung_after()


class SilentThen:
    """A server's ping that times out `silent` times, then answers."""

    def __init__(self, silent: int):
        self.silent, self.asked = silent, 0

    def ping(self) -> bool:
        self.asked += 1
        if self.asked <= self.silent:
            raise redis.TimeoutError("Timeout reading from socket")
        return True


@pytest.mark.parametrize("busy, alive", [(True, True), (False, False)])
def test_a_silent_server_is_waited_for_while_it_works_and_given_up_when_it_idles(tmp_path, monkeypatch, busy, alive):
    """What `attach` decides before it takes a server's files: a second command during a long
    commit must not kill the server doing it."""
    embedded = server.EmbeddedServer(tmp_path / "store")
    embedded.socket.touch()
    ping = SilentThen(silent=2)
    clock = iter(range(0, 1000, 5)) if busy else iter([3.0] * 10)  # CPU seconds: 5 more a ping, or none
    monkeypatch.setattr(embedded, "_admin", lambda role="-admin", timeout=0: ping)
    monkeypatch.setattr(embedded, "cpu_seconds", lambda: float(next(clock)))
    assert embedded._alive() is alive
    assert ping.asked == (3 if busy else 1)


MUTE_SERVER = """
import os, socket, sys, time
args = sys.argv[1:]
path = args[args.index("--unixsocket") + 1]
open(args[args.index("--pidfile") + 1], "w").write(str(os.getpid()))
listener = socket.socket(socket.AF_UNIX)
listener.bind(path)
listener.listen(16)
held = []
while True:  # accepts every connection and answers none, as a server stuck in its start does
    held.append(listener.accept()[0])
"""


def test_a_server_stuck_in_its_start_is_replaced_by_another(tmp_path, monkeypatch):
    mute = tmp_path / "mute-server"
    mute.write_text(f"#!{sys.executable}\n{MUTE_SERVER}")
    mute.chmod(0o755)
    real = server._binaries
    tries = []

    def binaries():
        tries.append(1)
        return (str(mute), real()[1]) if len(tries) == 1 else real()

    monkeypatch.setattr(server, "_binaries", binaries)
    monkeypatch.setattr(server, "START_TIMEOUT", 2.0)
    monkeypatch.setattr(server, "ADMIN_TIMEOUT", 0.5)
    embedded = server.EmbeddedServer(tmp_path / "store")
    started = time.monotonic()
    embedded.attach()
    try:
        assert len(tries) == 2 and time.monotonic() - started < 30
        assert servers_on(embedded.folder) == [embedded.server_pid()]  # the real one, and only it
    finally:
        embedded.detach()
