"""The benchmark end to end on a tiny corpus: it runs from a clean work folder and every figure is there.

It asserts that the figures exist and fit together, never how fast anything is.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT

from policygraph.queries import named


@pytest.mark.timeout(1200)
def test_benchmark_prints_every_figure_for_a_small_corpus(tmp_path):
    out = tmp_path / "figures.json"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "benchmark.py"), "--sizes", "40", "--sample", "40",
                           "--runs", "2", "--query-budget", "5", "--work", str(tmp_path / "work"), "--json", str(out)],
                          capture_output=True, text=True, timeout=1100)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for row in ("machine: Python loop of 10^7 additions (s)", "machine: the same loop before the queries (s)",
                "extraction, all cores: docs/s",
                "writer / bare client (wall time)", "writer / bare client (CPU time)",
                "load: peak memory, process tree (MiB)", "graph: entities", "named queries: worst p95 (ms)",
                "load --force of 1% again: wall ms per document"):
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith(row)), None)
        assert line is not None and line.split()[-1] not in ("-", ""), f"no figure for {row!r}:\n{proc.stdout}"
    [figures] = json.loads(out.read_text())
    assert figures["documents"] == 40 and figures["corpus"]["documents"] == 40
    assert figures["machine"]["loop_s"] > 0 and figures["machine"]["queries_loop_s"] > 0
    assert figures["extraction"]["sample"] == 40 and figures["extraction"]["ordered"] is True
    write = figures["write"]
    assert write["rows"] > 40 and write["bare_rows"] == write["rows"]
    assert write["writer_rows_s"] > 0 and write["bare_rows_s"] > 0 and write["ratio"] > 0
    # Ten tenths of four documents each, together the whole pass.
    tenths = write["writer_tenths"]
    assert [t["documents"] for t in tenths] == [4] * 10
    spent = sum(t["wall"] for t in tenths) * 4 / 1000
    assert spent == pytest.approx(write["writer_seconds"], rel=0.05, abs=0.05)
    assert 0 < write["writer_end_s"] < write["writer_seconds"]
    assert all(t["server_cpu"] is None or t["server_cpu"] >= 0 for t in tenths)
    load = figures["load"]
    assert "40 loaded" in load["summary"] and load["wall_s"] > 0 and load["cpu_s"] > 0
    assert load["tree_pss_mb"] > 0 and load["maxrss_mb"] > 0
    graph = figures["graph"]
    assert graph["documents"] == 40 and graph["entities"] > 0 and graph["mentions"] > 0
    names = {q["name"] for q in figures["queries"]}
    assert set(named.load_all()) <= names  # every shipped named query was timed
    assert all(q["runs"] > 0 or q["errors"] for q in figures["queries"])
    if figures["view"]:
        assert figures["view"]["html_mb"] > 0 and figures["view"]["wall_s"] > 0
    assert figures["reload"]["documents"] == 40 and figures["reload"]["wall_s"] > 0  # all 40: at least 100 or all
    assert not (tmp_path / "work" / "run-40").exists()  # stores are removed unless --keep
    assert (tmp_path / "work" / "corpus-40-seed1" / "MANIFEST.json").exists()  # the corpus is kept for next time
