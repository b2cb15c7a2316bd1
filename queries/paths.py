"""Every shortest chain of relations between two entities, by a bidirectional breadth-first search.

The `paths` named query states the answer in Cypher (`allShortestPaths`, either
direction). FalkorDB runs that undirected search badly: 100-250 ms between two
neighbours on a 100,000-article graph, and minutes between two distant actors
(past its own query timeout). This module gives the same rows by asking the
store one step at a time (Store.adjacency), which any backend answers fast:

1. the edges joining the two ends, if any: most asked-for pairs are neighbours;
2. otherwise the neighbours of one side's frontier at a time, always the side with
   fewer entities to expand, until the two searches meet or `max_hops` is spent;
3. every chain through the entities where they met, spelt out edge by edge.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from policygraph.graph.store import Result, Store
from policygraph.schema.model import RELATION_TYPES

COLUMNS = ["hops", "path", "ids"]
# Chains spelt out before the first `limit` rows are chosen: the rows are exactly the
# Cypher's for any pair with fewer chains than this; beyond it a note says they are a sample.
SPELL_OUT_MAX = 2_000

# The relation types the search walks (Store.adjacency), and no other: MENTIONS joins documents.
DIRECT = f"""
MATCH (a:Entity {{id: $from}})-[r:{'|'.join(RELATION_TYPES)}]-(b:Entity {{id: $to}})
RETURN a.name AS a_name, b.name AS b_name, type(r) AS type, startNode(r) = a AS out
"""
NAMES = """
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN id, n.name AS name
"""

Note = Callable[[str], None]
Arrows = dict[tuple[str, str], list[str]]  # (x, y) -> each edge between them as seen from x: "-SUPPORTS->", "<-LEADS-"


def _arrow(rel_type: str, forward: bool) -> str:
    return f"-{rel_type}->" if forward else f"<-{rel_type}-"


class _Side:
    """One end's search: how far each reached entity is, and its neighbours one step nearer the end."""

    def __init__(self, start: str, arrows: Arrows, toward_start: bool):
        self.start = start
        self.depth = 0
        self.distance: dict[str, int] = {start: 0}
        self.nearer: dict[str, list[str]] = {start: []}
        self.frontier: list[str] = [start]
        self._arrows = arrows
        self._toward_start = toward_start  # chains run from the source: the target's side reads edges backwards

    def expand(self, store: Store) -> None:
        reached: dict[str, list[str]] = {}
        for rel_type, outgoing in itertools.product(RELATION_TYPES, (True, False)):
            for node, found in store.adjacency(self.frontier, rel_type, outgoing):
                arrow = _arrow(rel_type, outgoing if self._toward_start else not outgoing)
                for m in found:
                    if m in self.distance:
                        continue
                    via = reached.setdefault(m, [])
                    if node not in via:
                        via.append(node)
                    self._arrows.setdefault((node, m) if self._toward_start else (m, node), []).append(arrow)
        self.depth += 1
        for m, via in reached.items():
            self.distance[m] = self.depth
            self.nearer[m] = via
        self.frontier = sorted(reached)

    def chains(self, node: str) -> Iterator[list[str]]:
        """Every shortest chain from this side's start to `node`, start first."""
        if node == self.start:
            yield [node]
            return
        for before in self.nearer[node]:
            for chain in self.chains(before):
                yield chain + [node]

    def count(self, node: str, memo: dict[str, int]) -> int:
        if node not in memo:
            memo[node] = 1 if node == self.start else sum(self.count(b, memo) for b in self.nearer[node])
        return memo[node]


def shortest_paths(store: Store, source: str, target: str, *, max_hops: int = 6, limit: int = 100,
                   note: Note | None = None) -> Result:
    """The rows of the `paths` named query: hops, the chain written out with each edge's direction, and its ids."""
    if source == target:
        return Result(COLUMNS, [])
    direct = store.run(DIRECT, {"from": source, "to": target}).rows
    if direct:
        names = {source: direct[0][0], target: direct[0][1]}
        arrows = {(source, target): [_arrow(t, out) for _, _, t, out in direct]}
        return _rows([[source, target]], arrows, names, limit, note)
    arrows: Arrows = {}
    a, b = _Side(source, arrows, True), _Side(target, arrows, False)
    while a.frontier and b.frontier and a.depth + b.depth < max_hops:
        side, other = (a, b) if len(a.frontier) <= len(b.frontier) else (b, a)
        side.expand(store)
        met = sorted(n for n in side.frontier if n in other.distance)
        if met:
            chains = _chains(a, b, met, note)
            ids = sorted({n for chain in chains for n in chain})
            names = dict(store.run(NAMES, {"ids": ids}).rows)
            return _rows(chains, arrows, names, limit, note)
    return Result(COLUMNS, [])


def _chains(a: _Side, b: _Side, met: list[str], note: Note | None) -> list[list[str]]:
    """Chains of entities from a's start to b's through the entities where they met, at most SPELL_OUT_MAX."""
    every = itertools.chain.from_iterable(
        ([*head, *reversed(tail[:-1])] for head in a.chains(m) for tail in b.chains(m)) for m in met)
    chosen = list(itertools.islice(every, SPELL_OUT_MAX))
    if len(chosen) == SPELL_OUT_MAX and note:
        memo_a: dict[str, int] = {}
        memo_b: dict[str, int] = {}
        total = sum(a.count(m, memo_a) * b.count(m, memo_b) for m in met)
        if total > SPELL_OUT_MAX:
            note(f"{total:,} chains of entities are shortest: the paths shown come from the first {SPELL_OUT_MAX:,}")
    return chosen


def _rows(chains: list[list[str]], arrows: Arrows, names: Mapping[str, str], limit: int,
          note: Note | None) -> Result:
    rows = []
    for chain in chains:
        steps = [arrows.get((x, y), []) for x, y in zip(chain, chain[1:])]
        for combo in itertools.product(*steps):
            text = names.get(chain[0], chain[0]) + "".join(
                f" {arrow} {names.get(y, y)}" for arrow, y in zip(combo, chain[1:]))
            rows.append([len(chain) - 1, text, list(chain)])
    rows.sort(key=lambda r: (r[1], r[2]))
    if len(rows) > limit and note:
        note(f"{len(rows):,} shortest paths: showing the first {limit} (--param limit=N for more)")
    return Result(COLUMNS, rows[:limit])


def run(store: Store, params: Mapping[str, Any], note: Note | None = None) -> Result:
    """The `paths` named query with its bound parameters (from, to, limit)."""
    return shortest_paths(store, params["from"], params["to"], limit=params.get("limit", 100), note=note)
