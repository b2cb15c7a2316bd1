"""Measuring tools for the benchmark: percentiles, process-tree memory, timed child processes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import timeit
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def folder_bytes(folder: Path) -> int:
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def _children(pid: int) -> list[int]:
    # Each thread lists the children it started (a pool starts workers from a helper thread).
    found: list[int] = []
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in threads:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                found.extend(int(x) for x in f.read().split())
        except OSError:
            pass
    return found


def tree(pid: int) -> list[int]:
    """The process and all its descendants."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(_children(p))
    return found


def pss_kb(pid: int) -> int:
    """Proportional set size: shared pages (forked workers) are split between their users, not counted twice."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory:
    """Samples the summed PSS of a process tree in a thread; `peak_kb` is the highest sum seen."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid, self.interval, self.peak_kb = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, sum(pss_kb(p) for p in tree(self.pid)))
            self._stop.wait(self.interval)


@dataclass
class ChildRun:
    args: list[str]
    returncode: int
    wall: float
    cpu: float  # user + system seconds of the process and the children it waited for
    maxrss_kb: int  # the largest resident set of the process or any child it waited for
    tree_pss_kb: int  # the highest summed PSS of the process tree at one moment
    stderr: str = ""
    stdout: str = ""
    extra: dict = field(default_factory=dict)


# Linux keeps a process's peak resident size across fork and exec: a command started by
# this (large) process would report at least this process's size as its own peak. So the
# commands are started by a small helper, itself started once, before this process grows.
LAUNCHER = r"""
import json, os, subprocess, sys
for line in sys.stdin:
    job = json.loads(line)
    with open(job["stdout"], "wb") as out, open(job["stderr"], "wb") as err:
        proc = subprocess.Popen(job["args"], stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=job["env"])
        print(json.dumps({"pid": proc.pid}), flush=True)
        _, status, usage = os.wait4(proc.pid, 0)
    print(json.dumps({"code": os.waitstatus_to_exitcode(status), "maxrss": usage.ru_maxrss,
                      "cpu": usage.ru_utime + usage.ru_stime}), flush=True)
"""
_launcher: subprocess.Popen | None = None


def start_launcher() -> None:
    """Start the helper now, while this process is still small (call it early)."""
    global _launcher
    if _launcher is None:
        _launcher = subprocess.Popen([sys.executable, "-c", LAUNCHER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)


def run_measured(args: list[str], env: dict | None = None) -> ChildRun:
    """Run a command to its end; wall time, CPU time and memory of it and its children (wait4 rusage)."""
    start_launcher()
    assert _launcher is not None and _launcher.stdin is not None and _launcher.stdout is not None
    with tempfile.TemporaryDirectory() as tmp:
        out, err = Path(tmp) / "stdout", Path(tmp) / "stderr"
        started = time.perf_counter()
        _launcher.stdin.write(json.dumps({"args": args, "env": env, "stdout": str(out), "stderr": str(err)}) + "\n")
        _launcher.stdin.flush()
        pid = json.loads(_launcher.stdout.readline())["pid"]
        with TreeMemory(pid) as memory:
            done = json.loads(_launcher.stdout.readline())
        wall = time.perf_counter() - started
        return ChildRun(args, done["code"], wall, done["cpu"], done["maxrss"], memory.peak_kb,
                        err.read_text(errors="replace"), out.read_text(errors="replace"))


def policygraph_command() -> list[str]:
    """The installed `policygraph` console script next to this interpreter (the real CLI)."""
    script = Path(sys.executable).with_name("policygraph")
    return [str(script)] if script.exists() else [sys.executable, "-m", "policygraph.cli"]


class Stopwatch:
    """Adds up the wall time and this process's CPU time spent inside `with watch:` blocks."""

    def __init__(self) -> None:
        self.seconds = self.cpu = 0.0
        self._t = self._c = 0.0

    def __enter__(self) -> "Stopwatch":
        self._t, self._c = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds += time.perf_counter() - self._t
        self.cpu += time.process_time() - self._c


class Tenths:
    """What each tenth of a long pass cost a document, from cumulative counters sampled as it
    crosses each tenth of its documents.

    A pass whose cost grows linearly with its size costs every tenth the same; one whose cost a
    document rises with the graph shows it tenth by tenth, within one run and one hour of the
    machine, where comparing two sizes compares two hours. `sample` returns the counters
    (seconds) so far; a counter it cannot read is None, and so is every tenth it spans.
    """

    def __init__(self, total: int, sample: Callable[[], dict[str, float | None]], parts: int = 10):
        self.bounds = sorted({round(total * i / parts) for i in range(1, parts + 1)} - {0})
        self.sample = sample
        self.samples = [(0, sample())]
        self._next = 0  # the first bound not yet passed

    def tick(self, done: int) -> None:
        """`done` documents are finished: sample if that completes a tenth (tenths passed at once count as one)."""
        if self._next < len(self.bounds) and done >= self.bounds[self._next]:
            while self._next < len(self.bounds) and done >= self.bounds[self._next]:
                self._next += 1
            self.samples.append((done, self.sample()))

    def per_document(self) -> list[dict[str, float | None]]:
        """Each tenth's documents and its cost a document of each counter, in milliseconds."""
        out = []
        for (d0, a), (d1, b) in zip(self.samples, self.samples[1:]):
            tenth: dict[str, float | None] = {"documents": d1 - d0}
            for key in b:
                x, y = a.get(key), b[key]
                # A server restarted between two samples, read before the writer added the old one's CPU.
                ok = x is not None and y is not None and y >= x and d1 > d0
                tenth[key] = (y - x) * 1000 / (d1 - d0) if ok else None
            out.append(tenth)
        return out


def server_cpu(store, writer=None) -> float:
    """CPU seconds the embedded server has used so far (not its snapshot-writing children),
    with those of the servers `writer` restarted (graph/refresh.py) before it."""
    info = store.server._admin().info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"]) + (writer.replaced_server_cpu if writer else 0.0)


def yardstick() -> float:
    """Seconds a pure-Python loop of 10^7 additions takes here (best of 5 tenths).

    Machines differ from run to run by up to 1.8x in every CPU-bound figure: this says how fast
    the one that took a run's figures was, so two runs can be compared.
    """
    return 10 * min(timeit.repeat("for i in range(1_000_000): s += i", "s = 0", number=1, repeat=5))


def busy() -> str:
    """The load average against the core count: figures taken on a busy machine say so."""
    one, five, _ = os.getloadavg()
    text = f"load average {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} cores"
    try:
        with open("/proc/sys/kernel/sched_autogroup_enabled") as f:
            grouped = f.read().strip() == "1"
    except OSError:
        grouped = False
    # With autogroup scheduling each login session gets a fair share of a busy machine, however
    # many processes it runs: on a machine other sessions keep busy, more workers gain nothing.
    return text + (", shared per session (autogroup)" if grouped and one > (os.cpu_count() or 1) else "")
