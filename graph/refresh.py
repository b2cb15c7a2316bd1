"""Upkeep of the embedded server during a long write: settles every so many rows, and
restarts when they pay (ski rental over the server's CPU a row).

FalkorDB keeps a write's new matrix entries in delta matrices and folds them into the
main ones only when a read fetches the matrix; a load sends nothing but writes, so every
entry since the server started stayed pending, and each write that read a matrix merged
all of them again (GraphBLAS's GB_wait from Graph_GetNodeLabels: 96,909 node labels
pending about 20,000 articles into a load, 20% of the server's time at 40,000). The
writer settles the store every SETTLE_ROWS rows (Store.settle, a read that fetches every
matrix), which keeps them folded: one writer pass of 100,000 articles, two writers at
once, 310.3 server CPU s against 333.0 without (`bench/HISTORY.md`).

A server that has written for a while still costs more a row than one that has just read
the same graph back from its snapshot (before settles: 28-31 server CPU s a tenth of the
bare client's 100,000-article replay late on, 14.9 right after a restart). A restart costs
seconds that grow with the graph, and how much a row costs, fresh or not, varies with the
machine and the graph. So neither is a constant here: the writer measures the server's
CPU time a row over windows of rows, takes the cheapest window since the last restart as
what a fresh server costs, adds up what every window paid above it, and restarts once
that excess reaches what a restart is expected to take (the last one's seconds a
resident byte, scaled to the server's size now). As in renting skis until the rent paid
would have bought them, the restarts never cost more than the excess they stop, and a
load too small to gather that much never restarts.
"""
from __future__ import annotations

from dataclasses import dataclass

# Rows between two settles of the store (Store.settle): FalkorDB folds a delta matrix once it
# holds 10,000 entries, and a batch of the benchmark's corpus adds 2,300 mentions; 0 never settles.
SETTLE_ROWS = 20_000
# About 2,800 articles of the benchmark's corpus (70 rows an article); 6-10 s of the server's CPU.
WINDOW_ROWS = 200_000
# Seconds a restart takes a byte of the server's resident memory, until one is measured:
# 9.6 s at 1.27 GiB and 5.7 s at 0.82 GiB (a fold of the log into a snapshot, then a start that reads it).
SECONDS_PER_BYTE = 7.5e-9


@dataclass(frozen=True, slots=True)
class Usage:
    """What the server has used so far: CPU seconds (all threads) and resident bytes."""

    cpu_seconds: float
    resident_bytes: int


class RefreshPolicy:
    """Feed it the rows written and the server's usage after each batch; it says when to restart."""

    def __init__(self, window_rows: int | None = None, seconds_per_byte: float | None = None):
        # The module's constants are read now, not when this was defined: bench/paired.py sets them.
        self.window_rows = WINDOW_ROWS if window_rows is None else window_rows
        if self.window_rows < 1:
            raise ValueError("window_rows must be at least 1")
        self.seconds_per_byte = SECONDS_PER_BYTE if seconds_per_byte is None else seconds_per_byte
        self.settle_rows = SETTLE_ROWS
        self.excess = 0.0  # CPU seconds paid above the cheapest window since the last restart
        self._best: float | None = None  # the cheapest window's CPU seconds a row
        self._rows = 0
        self._start: Usage | None = None

    def observe(self, rows: int, usage: Usage) -> bool:
        """Account for `rows` more rows, written once the server had used `usage`; whether to restart now."""
        if self._start is None:
            self._start = usage
            return False
        self._rows += rows
        if self._rows < self.window_rows:
            return False
        rate = max(0.0, usage.cpu_seconds - self._start.cpu_seconds) / self._rows
        if self._best is None or rate < self._best:
            self._best = rate
        self.excess += (rate - self._best) * self._rows
        self._rows, self._start = 0, usage
        return self.excess >= self.expected_seconds(usage)

    def expected_seconds(self, usage: Usage) -> float:
        """What a restart of a server this size is expected to take."""
        return usage.resident_bytes * self.seconds_per_byte

    def restarted(self, seconds: float, before: Usage) -> None:
        """A restart took `seconds` for a server of `before`'s size: learn its cost, start afresh."""
        if before.resident_bytes > 0 and seconds > 0:
            self.seconds_per_byte = seconds / before.resident_bytes
        self.excess, self._best, self._rows, self._start = 0.0, None, 0, None
