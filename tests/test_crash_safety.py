"""Crash-safe loads: a load killed at any point and run again gives exactly the graph of a clean load.

The load is killed with SIGKILL at exact points (the test-only hook
POLICYGRAPH_FAULT_AFTER_WRITES makes the CLI kill itself, or the embedded
server, after N write statements) and at random moments from outside. After
each kill the same load runs again to the end, and its export must equal the
export of an uninterrupted load: same nodes, edges and properties, no
duplicate node or edge, no lost document, nothing half-written counted as
loaded, and no server process left behind.
"""
from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, cli_command, run_cli
from corpus_gen import write_corpus
from figures import record
from policygraph.graph.faults import FAULT_ENV, TARGET_ENV
from policygraph.graph.store import open_store
from procs import servers_on, state

BATCH = "40"  # rows per write: a few documents per batch, so a load is many batches


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, seeds) -> list[str]:
    generated = tmp_path_factory.mktemp("generated")
    write_corpus(generated, 60)
    return [str(seeds), str(generated)]


@pytest.fixture(scope="module")
def clean(tmp_path_factory, corpus) -> dict:
    """The export of one uninterrupted load: what every repaired store must equal."""
    store = tmp_path_factory.mktemp("clean") / "store"
    run_cli("load", *corpus, "--store", str(store), "--batch-size", BATCH, check=True)
    data = export(store)
    assert sum("Document" in n["labels"] for n in data["nodes"]) == 65
    return data


def export(store: Path) -> dict:
    out = run_cli("export", "--store", str(store), check=True).stdout
    return canonical(json.loads(out))


def canonical(data: dict) -> dict:
    """Node-link JSON with nodes and links in a fixed order, so two exports compare as values."""
    def key(item: dict) -> str:
        return json.dumps(item, sort_keys=True, ensure_ascii=False)

    return {"nodes": sorted(data["nodes"], key=key), "links": sorted(data["links"], key=key)}


def differences(expected: dict, got: dict) -> list[str]:
    """Readable differences between two canonical exports (empty when equal)."""
    def by_key(items: list[dict], key) -> dict:
        return {key(item): item for item in items}

    out = []
    for part, key in (("node", lambda n: n["id"]), ("link", lambda e: (e["source"], e["type"], e["target"]))):
        want, have = by_key(expected[part + "s"], key), by_key(got[part + "s"], key)
        out += [f"{part} {k} missing" for k in want.keys() - have.keys()]
        out += [f"{part} {k} extra" for k in have.keys() - want.keys()]
        for k in want.keys() & have.keys():
            for field in sorted(want[k].keys() | have[k].keys()):
                if want[k].get(field) != have[k].get(field):
                    out.append(f"{part} {k} {field}: {want[k].get(field)!r} != {have[k].get(field)!r}")
    return sorted(out, key=str)[:20] + (["..."] if len(out) > 20 else []) if out or expected == got else ["order"]


def integrity(store: Path) -> dict[str, int]:
    """What an export cannot show: duplicates (networkx would merge them) and unfinished documents."""
    with open_store(store) as db:
        return {
            "duplicate_entities": db.run("MATCH (n:Entity) WITH n.id AS id, count(*) AS c WHERE c > 1 "
                                         "RETURN count(id)").value(),
            "duplicate_documents": db.run("MATCH (d:Document) WITH d.doc_id AS id, count(*) AS c WHERE c > 1 "
                                          "RETURN count(id)").value(),
            "duplicate_edges": db.run("MATCH (a)-[e]->(b) WITH id(a) AS a, type(e) AS t, id(b) AS b, count(*) AS c "
                                      "WHERE c > 1 RETURN count(t)").value(),
            "unfinished": db.run("MATCH (d:Document) WHERE d.status <> 'loaded' OR d.loaded_hash <> d.content_hash "
                                 "RETURN count(d)").value(),
        }


def assert_repaired(store: Path, clean: dict, corpus: list[str]) -> None:
    again = run_cli("load", *corpus, "--store", str(store), "--batch-size", BATCH)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    found = integrity(store)
    repaired = export(store)
    clean_docs = {n["doc_id"] for n in clean["nodes"] if "Document" in n["labels"]}
    repaired_docs = {n["doc_id"] for n in repaired["nodes"] if "Document" in n["labels"]}
    record("crash", documents_lost=len(clean_docs - repaired_docs), documents_duplicated=found["duplicate_documents"],
           nodes_or_edges_duplicated=found["duplicate_entities"] + found["duplicate_edges"])
    assert found == {"duplicate_entities": 0, "duplicate_documents": 0, "duplicate_edges": 0, "unfinished": 0}
    assert repaired_docs == clean_docs
    assert differences(clean, repaired) == []
    assert servers_on(store) == [], "a server process was left behind"


def killed_load(store: Path, corpus: list[str], after: int, target: str = "self", *extra: str):
    env = {FAULT_ENV: str(after), TARGET_ENV: target}
    return run_cli("load", *corpus, "--store", str(store), "--batch-size", BATCH, *extra, env=env)


@pytest.mark.parametrize("after", [1, 2, 3, 5, 8, 13, 21, 34, 55, 89])
def test_cli_killed_after_n_writes_then_rerun_equals_a_clean_load(tmp_path, corpus, clean, after):
    store = tmp_path / "store"
    proc = killed_load(store, corpus, after)
    assert proc.returncode == -signal.SIGKILL, f"the load was not killed: {proc.stderr}"
    record("crash", kills_survived=1)
    assert_repaired(store, clean, corpus)


def test_killed_twice_in_a_row_then_rerun(tmp_path, corpus, clean):
    store = tmp_path / "store"
    for after in (7, 4):  # the second run dies while it is repairing what the first left
        assert killed_load(store, corpus, after).returncode == -signal.SIGKILL
        record("crash", kills_survived=1)
    assert_repaired(store, clean, corpus)


@pytest.mark.parametrize("after", [1, 2, 3, 4])
def test_forced_reload_killed_while_forgetting_is_redone_not_skipped(tmp_path, corpus, clean, after):
    """A --force run dies after deleting part of a loaded document: a plain re-run must redo it."""
    store = tmp_path / "store"
    run_cli("load", *corpus, "--store", str(store), "--batch-size", BATCH, check=True)
    assert killed_load(store, corpus, after, "self", "--force").returncode == -signal.SIGKILL
    record("crash", kills_survived=1)
    assert_repaired(store, clean, corpus)


@pytest.mark.parametrize("after", [1, 4, 12, 30])
def test_server_killed_mid_load_then_rerun_equals_a_clean_load(tmp_path, corpus, clean, after):
    store = tmp_path / "store"
    proc = killed_load(store, corpus, after, "server")
    assert proc.returncode == 3, proc.stderr
    message = proc.stderr.strip().splitlines()
    assert "Traceback" not in proc.stderr
    assert message[-1].startswith("policygraph: error: lost the embedded server") and "again" in message[-1]
    record("crash", kills_survived=1)
    assert_repaired(store, clean, corpus)


def test_killed_from_outside_at_random_moments(tmp_path, corpus, clean):
    """SIGKILL from another process at random times, not only between two statements."""
    rng = random.Random(20240607)
    store = tmp_path / "store"
    command = [sys.executable, "-m", "policygraph.cli", "load", *corpus, "--store", str(store), "--batch-size", "10",
               "--workers", "1", "--force"]  # --force: every run rewrites everything, so a kill always lands mid-work
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, capture_output=True, check=True, timeout=300)
    duration = time.monotonic() - started
    kills = 0
    for _ in range(6):
        proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 0.95) * duration)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
    record("crash", kills_survived=kills)
    assert kills >= 3, f"the loads ({duration:.1f}s each) ended before they could be killed"
    assert_repaired(store, clean, corpus)


def test_changed_documents_after_a_kill(tmp_path, corpus, clean):
    """A re-run after a kill, with some documents changed meanwhile, equals a clean load of the new files."""
    docs = tmp_path / "docs"
    write_corpus(docs, 30, seed=1)
    store, fresh = tmp_path / "store", tmp_path / "fresh"
    run_cli("load", str(docs), "--store", str(store), "--batch-size", BATCH, check=True)
    write_corpus(docs, 30, seed=2)  # every file rewritten with other actors
    assert killed_load(store, [str(docs)], 9).returncode == -signal.SIGKILL
    record("crash", kills_survived=1)
    assert run_cli("load", str(docs), "--store", str(store), "--batch-size", BATCH).returncode == 0
    run_cli("load", str(docs), "--store", str(fresh), "--batch-size", BATCH, check=True)
    assert differences(export(fresh), export(store)) == []
    assert servers_on(store) == [] and servers_on(fresh) == []


@pytest.mark.parametrize("after", [3, 17])
def test_a_server_that_stops_working_mid_load_is_restarted_and_the_load_completes(tmp_path, corpus, clean, after):
    """The server is frozen (SIGSTOP) as a deadlocked FalkorDB is: it holds the next write and uses
    no CPU. The watchdog kills it, the store starts another and the load ends as a clean one."""
    store = tmp_path / "store"
    env = {FAULT_ENV: str(after), TARGET_ENV: "server-stop", "POLICYGRAPH_HUNG_AFTER": "1"}
    proc = run_cli("load", *corpus, "--store", str(store), "--batch-size", BATCH, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "in the middle of a statement (a deadlock); stopping it" in proc.stderr
    assert "restarted the embedded server" in proc.stderr
    record("crash", hung_servers_restarted=1)
    found = integrity(store)
    assert found == {"duplicate_entities": 0, "duplicate_documents": 0, "duplicate_edges": 0, "unfinished": 0}
    assert differences(clean, export(store)) == []
    assert servers_on(store) == [], "a server process was left behind"


def _command_starts(log: bytes) -> list[int]:
    """Where each command of an append-only log begins (the log is RESP: `*N` then N `$len` strings)."""
    starts, at = [], 0
    while at < len(log):
        starts.append(at)
        end = log.index(b"\r\n", at)
        count, at = int(log[at + 1:end]), end + 2
        for _ in range(count):
            end = log.index(b"\r\n", at)
            at = end + 2 + int(log[at + 1:end]) + 2
    return starts


def _cut_the_log_of_the_frozen_server(child, store: Path, commands: int | None = None) -> str:
    """Wait until the fault froze the server, cut off the end of its log, return the stderr.

    What is cut: its last `commands` commands, or its second half.

    With `appendfsync everysec` the server answers a write before it logs it while the last
    second's fsync runs (a busy disk): a server killed then loses writes it had answered, and
    with them what the writer took for stored. The watchdog replaces the frozen server after
    3 s; the new one reads back only what is left of the log.
    """
    deadline = time.monotonic() + 120
    while not any(state(pid) == "T" for pid in servers_on(store)):
        assert child.poll() is None and time.monotonic() < deadline, "the server was never frozen"
        time.sleep(0.01)
    log = max((store / "appendonlydir").glob("*.incr.aof"), key=lambda p: p.stat().st_mtime)
    os.truncate(log, log.stat().st_size // 2 if commands is None else _command_starts(log.read_bytes())[-commands])
    _, err = child.communicate(timeout=300)
    assert child.returncode == 0, err
    record("crash", hung_servers_restarted=1)
    return err


FROZEN = {TARGET_ENV: "server-stop", "POLICYGRAPH_HUNG_AFTER": "3"}


# Cutting one or two commands loses writes of the document whose batch the hang splits: the
# new server then marks it loaded although its first statements are gone.
@pytest.mark.parametrize("commands", [None, 1, 2])
def test_writes_a_replaced_server_answered_but_never_logged_are_written_again(tmp_path, corpus, clean, commands):
    store = tmp_path / "store"
    with cli_command("load", *corpus, "--store", str(store), "--batch-size", BATCH,
                     env={FAULT_ENV: "40", **FROZEN}) as child:
        err = _cut_the_log_of_the_frozen_server(child, store, commands)
    assert re.search(r"replaced during the load: [1-9]\d* documents are written again", err), err
    # Each document is counted once, with what its last writing extracted.
    docs = [n for n in clean["nodes"] if "Document" in n["labels"]]
    entities, relations = (sum(n[key] for n in docs) for key in ("entity_count", "relation_count"))
    assert f"\n65 loaded, 0 unchanged, 0 failed of 65 files; {entities} entities and {relations} relations" in err, err
    found = integrity(store)
    assert found == {"duplicate_entities": 0, "duplicate_documents": 0, "duplicate_edges": 0, "unfinished": 0}
    assert differences(clean, export(store)) == []
    assert servers_on(store) == [], "a server process was left behind"


def test_an_import_whose_server_lost_answered_writes_is_written_again(tmp_path, clean):
    source, store = tmp_path / "clean.json", tmp_path / "store"
    source.write_text(json.dumps(clean))
    with cli_command("import", str(source), "--store", str(store), "--batch-size", "20",
                     env={FAULT_ENV: "60", **FROZEN}) as child:
        err = _cut_the_log_of_the_frozen_server(child, store)
    assert "replaced during the import: writing it all again" in err, err
    assert differences(clean, export(store)) == []
    assert servers_on(store) == [], "a server process was left behind"
