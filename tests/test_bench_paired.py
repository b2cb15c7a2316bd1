"""bench/paired.py end to end on a tiny corpus: two real writers at once, every figure printed.

It asserts that the figures exist and that the settings reach the writers, never how fast anything is.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT

PAIRED = str(ROOT / "bench" / "paired.py")


@pytest.mark.timeout(600)
def test_two_settings_written_at_once_each_get_their_figures(tmp_path):
    out = tmp_path / "paired.json"
    proc = subprocess.run([sys.executable, PAIRED, "30", "--b", "TAIL_FROM=2", "TAIL_MAX=4", "SETTLE_ROWS=1", "--work", str(tmp_path),
                           "--workers", "1", "--json", str(out)], capture_output=True, text=True, timeout=500)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    assert lines[0] == "30 articles, both writers at once"
    assert lines[2].startswith("a ") and lines[2].endswith("as the code stands")
    assert lines[3].startswith("b ") and lines[3].endswith("TAIL_FROM=2 TAIL_MAX=4 SETTLE_ROWS=1")
    assert lines[4].startswith("b / a")
    figures = json.loads(out.read_text())
    assert figures["n"] == 30 and figures["settings"] == {"a": {}, "b": {"TAIL_FROM": 2, "TAIL_MAX": 4, "SETTLE_ROWS": 1}}
    for label in "ab":
        assert all(figures["figures"][label][k] > 0 for k in ("wall_s", "client_cpu_s", "server_cpu_s"))
        assert figures["figures"][label]["restarts"] == 0  # 30 articles are far too few to restart for
    # About 2,000 rows: too few for a settle by default, a settle after every batch on side b.
    assert figures["figures"]["a"]["settles"] == 0 and figures["figures"]["b"]["settles"] >= 1
    assert (tmp_path / "paired-30-seed1.spool").exists()
    assert not list(tmp_path.glob("paired-store-*")), "the two stores are removed after the run"


def test_a_setting_that_is_no_constant_of_the_statements_is_refused_with_the_ones_there_are(tmp_path):
    proc = subprocess.run([sys.executable, PAIRED, "30", "--b", "TAIL_FORM=2", "--work", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "'TAIL_FORM' is not an integer constant of graph/statements.py" in proc.stderr
    assert "TAIL_FROM" in proc.stderr and "EDGE_EVIDENCE" in proc.stderr and "WINDOW_ROWS" in proc.stderr
    assert not list(tmp_path.iterdir()), "nothing is generated before the settings are checked"
