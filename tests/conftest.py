"""Shared fixtures: real embedded stores in temporary folders, the real CLI, the seeds."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("POLICYGRAPH_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "gold"
SCORER = SHARED / "tools" / "score_graph.py"
DEMO = ROOT / "demo"


def run_cli(*args: str, input: str | None = None, env: dict | None = None, timeout: float = 300,
            check: bool = False) -> subprocess.CompletedProcess:
    """Run the real `policygraph` command in a child process."""
    with cli_command(*args, env=env) as child:
        try:
            out, err = child.communicate(input, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(hang_report(child, args, timeout)) from None
    proc = subprocess.CompletedProcess(child.args, child.returncode, out, err)
    if check and proc.returncode != 0:
        raise AssertionError(f"policygraph {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


def cli_command(*args: str, env: dict | None = None) -> subprocess.Popen:
    """The real `policygraph` command started in a child process, its streams piped, as text."""
    full_env = dict(os.environ)
    full_env.pop("POLICYGRAPH_STORE", None)  # a developer's own setting must not leak into tests
    full_env.update(env or {})
    command = [sys.executable, "-X", "faulthandler", "-m", "policygraph.cli", *args]
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=full_env)


def hang_report(child: subprocess.Popen, args: tuple[str, ...], timeout: float) -> str:
    """What a command that outlived its timeout was doing: every thread's stack (faulthandler
    prints them on SIGABRT) and the end of its embedded server's log."""
    child.send_signal(signal.SIGABRT)
    try:
        _, err = child.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
        _, err = child.communicate()
    report = [f"policygraph {' '.join(args)} ran past {timeout:.0f} s; its threads:", err[-6000:]]
    if "--store" in args:
        log = Path(args[args.index("--store") + 1]) / "server.log"
        if log.exists():
            report += [f"the end of {log}:", "\n".join(log.read_text(errors="replace").splitlines()[-30:])]
    return "\n".join(report)


def score(export_path: Path) -> dict[str, float]:
    """Run the shared scorer and parse its headline line."""
    proc = subprocess.run([sys.executable, str(SCORER), str(export_path), "--details"], capture_output=True,
                          text=True, check=True)
    last = proc.stdout.strip().splitlines()[-1]
    figures = dict(item.split("=") for item in last.split())
    return {k: float(v) for k, v in figures.items()} | {"_report": proc.stdout}


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def store(store_dir: Path):
    from policygraph.graph.store import open_store

    s = open_store(store_dir)
    yield s
    s.close()


@pytest.fixture(scope="module")
def gold_store(tmp_path_factory):
    """The gold annotations imported into a fresh store, with what they imply (tests/gold_graph.py)."""
    from gold_graph import imported_gold
    from policygraph.graph.store import open_store

    location, gold = imported_gold(tmp_path_factory.mktemp("gold"))
    store = open_store(location)
    yield store, gold
    store.close()


@pytest.fixture(scope="session")
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.fail(f"the seed corpus is missing at {SEEDS}: clone with ../shared beside the repository")
    return SEEDS


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def pytest_terminal_summary(terminalreporter):
    """The reliability figures (tests/figures.py), when the run measured any."""
    from figures import summary_lines

    lines = summary_lines()
    if lines:
        terminalreporter.section("reliability figures")
        for line in lines:
            terminalreporter.write_line(line)
