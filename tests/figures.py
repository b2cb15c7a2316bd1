"""Figures the reliability tests measure (kills survived, inputs tried, crashes, documents lost or
duplicated), added up over the run and printed in pytest's closing summary by conftest.py."""
from __future__ import annotations

from collections import Counter, defaultdict

TALLY: dict[str, Counter] = defaultdict(Counter)


def record(topic: str, **counts: int) -> None:
    TALLY[topic].update(counts)


def summary_lines() -> list[str]:
    return [f"{topic}: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(c.items()))
            for topic, c in sorted(TALLY.items())]
