"""The embedded server's data files stay quick to read back: the real server, no mocks.

Redis keeps every write in an append-only log; started again, it replays the
log, which after a big load takes longer than the load did. The last client
leaving folds the log into a snapshot, and a server still reading a long log
back (after a crash, say) is waited for instead of being reported dead.
"""
from __future__ import annotations

import os
import re
import signal
import time

from policygraph.graph import server
from policygraph.graph.store import open_store

WRITE = "UNWIND $rows AS r CREATE (:Bench {id: r.id + '|' + $batch, text: r.text})"


def _write(store, batches: int, rows: int = 500) -> None:
    chunk = [{"id": f"n{i}", "text": "policy " * 30} for i in range(rows)]
    for b in range(batches):
        store.run(WRITE, {"rows": chunk, "batch": str(b)}, write=True)


def _logged(store, within: float = 30.0) -> None:
    """Wait until every answered write is in the log file.

    With `appendfsync everysec` Redis answers a write before logging it when the
    previous second's fsync is still running (a busy disk), and holds the write
    back for up to 2 s: a SIGKILL meanwhile loses it (CI lost 6 of 300 writes so).
    """
    admin, deadline = store.server._admin(), time.monotonic() + within
    while admin.info("persistence")["aof_buffer_length"] and time.monotonic() < deadline:
        time.sleep(0.05)


def _aof_files(folder) -> dict[str, int]:
    return {p.name.rsplit(".", 2)[-2] + "." + p.name.rsplit(".", 1)[-1]: p.stat().st_size
            for p in (folder / "appendonlydir").iterdir() if not p.name.endswith("manifest")}


def test_the_last_client_folds_the_log_into_a_snapshot(store_dir, monkeypatch):
    monkeypatch.setattr(server, "COMPACT_ABOVE", 10_000)
    store = open_store(store_dir)
    _write(store, 8)
    store.close()
    files = _aof_files(store_dir)
    assert files["base.rdb"] > 50_000, files  # the nodes now live in the snapshot...
    assert files["incr.aof"] < 10_000, files  # ...and the log starts afresh
    again = open_store(store_dir)
    try:
        assert again.run("MATCH (n:Bench) RETURN count(n)").value() == 4000
    finally:
        again.close()


def test_a_session_that_wrote_little_leaves_the_log_as_it_is(store_dir):
    store = open_store(store_dir)
    store.run("CREATE (:Bench {id: 'one'})", write=True)
    store.close()
    files = _aof_files(store_dir)
    assert files["base.rdb"] < 1000 and files["incr.aof"] > 0, files
    again = open_store(store_dir)
    try:
        assert again.run("MATCH (n:Bench) RETURN n.id").value() == "one"
    finally:
        again.close()


def test_a_server_reading_a_long_log_back_is_waited_for(store_dir, monkeypatch):
    store = open_store(store_dir)
    _write(store, 300)
    _logged(store)
    os.kill(store.server.server_pid(), signal.SIGKILL)  # no goodbye, so no snapshot: the log must be replayed
    store._closed = True
    # A server reading its log back takes connections but answers only when done: pings time out meanwhile.
    # Timeouts far below the replay's length (about 0.5 s here), so the waiting path is what runs.
    monkeypatch.setattr(server, "START_TIMEOUT", 0.1)
    monkeypatch.setattr(server, "ADMIN_TIMEOUT", 0.05)
    again = open_store(store_dir)
    try:
        assert again.run("MATCH (n:Bench) RETURN count(n)").value() == 150_000
    finally:
        again.close()
    log = (store_dir / server.LOGFILE).read_text(errors="replace")
    replayed = [float(s) for s in re.findall(r"DB loaded from incr file \S+: ([\d.]+) seconds", log)]
    assert replayed and replayed[-1] > server.START_TIMEOUT, \
        "the replay was quicker than the start timeout: nothing was waited for"
