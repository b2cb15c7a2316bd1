"""Character-span bookkeeping in linear time, so that huge documents stay fast.

A document with 10,000 names must not compare every mention with every
other: `Occupied` answers "is this span free?" from a byte map, and `Spans`
answers "which span contains this one?" by binary search.
"""
from __future__ import annotations

import bisect
from collections.abc import Iterable


class Occupied:
    def __init__(self, length: int, spans: Iterable[tuple[int, int]] = ()):
        self._map = bytearray(length + 1)
        for start, end in spans:
            self.take(start, end)

    def free(self, start: int, end: int) -> bool:
        return self._map.find(1, start, end) < 0  # a search in C, not a loop over a copied slice

    def take(self, start: int, end: int) -> None:
        self._map[start:end] = b"\x01" * (end - start)


class Spans:
    """Non-overlapping spans, each with a payload, searchable by position."""

    def __init__(self, items: Iterable[tuple[int, int, object]]):
        self._items = sorted(items, key=lambda x: (x[0], -x[1]))
        self._starts = [s for s, _, _ in self._items]

    def containing(self, start: int, end: int) -> list[object]:
        """Payloads whose span contains [start, end) (the nearest few before start)."""
        out = []
        i = bisect.bisect_right(self._starts, start) - 1
        # Named spans barely overlap (a name may nest one owner), so a few steps back suffice.
        for j in range(i, max(-1, i - 8), -1):
            s, e, payload = self._items[j]
            if s <= start and end <= e:
                out.append(payload)
        return out
