"""Every shortest chain of relations between two entities, by a bidirectional breadth-first search.

The `paths` named query states the answer in Cypher (`allShortestPaths`, either
direction). FalkorDB runs that undirected search badly: 100-250 ms between two
neighbours on a 100,000-article graph, and minutes between two distant actors
(past its own query timeout). This module gives the same rows by asking the
store one step at a time (Store.neighbours), which any backend answers fast:

1. the edges joining the two ends, if any: most asked-for pairs are neighbours;
2. otherwise the neighbours of one side's frontier at a time, always the side with
   fewer edges to read (Entity.link_count, graph/counts.py), until the two searches
   meet or `max_hops` is spent;
3. every chain through the entities where they met, spelt out edge by edge.

Between its statements the search names entities by the store's search keys
(Store.search_keys): on FalkorDB the internal node ids, which it seeks in a
fifth of the time the id index takes, eight times a step for every frontier entity.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from policygraph.graph.store import Result, Store
from policygraph.schema.model import RELATION_TYPES

COLUMNS = ["hops", "path", "ids"]
# Chains spelt out before the first `limit` rows are chosen: the rows are exactly the
# Cypher's for any pair with fewer chains than this; beyond it a note says they are a sample
# (the first chains in the order of their entities' ids).
SPELL_OUT_MAX = 2_000
# Looking up whether one pair of entities is joined costs about as much as reading four
# edges (on FalkorDB: 1.3 us a pair for the eight relation types and directions, 0.38 us an edge).
PAIR_COST = 4

# The two ends, how many edges each has, and the edges joining them. The relation types
# are the ones the search walks (Store.neighbours), and no other: MENTIONS joins documents.
ENDS = f"""
MATCH (a:Entity {{id: $from}})
MATCH (b:Entity {{id: $to}})
OPTIONAL MATCH (a)-[r:{'|'.join(RELATION_TYPES)}]-(b)
RETURN a.name AS a_name, b.name AS b_name, a.link_count AS a_links, b.link_count AS b_links,
       type(r) AS type, startNode(r) = a AS out
"""
Note = Callable[[str], None]
Arrows = dict[tuple[str, str], list[str]]  # (x, y) -> each edge between them as seen from x: "-SUPPORTS->", "<-LEADS-"


def _arrow(rel_type: str, forward: bool) -> str:
    return f"-{rel_type}->" if forward else f"<-{rel_type}-"


class _Side:
    """One end's search: how far each reached entity is, and the edges of each step taken.

    A step toward a hub returns hundreds of thousands of edges, and a shortest chain uses
    a handful of them: a step keeps each frontier entity's neighbours as a set (set
    algebra runs in C), which neighbours lead back toward the start is worked out only
    for the entities on a chain (`trace`), and the arrows of an edge only for the
    chains spelt out (`arrows`).
    """

    def __init__(self, start: str, links: int | None, toward_start: bool):
        self.start = start
        self.links = links  # edges of the frontier's entities: None until looked up (`cost`)
        self.depth = 0
        self.distance: dict[str, int] = {start: 0}
        self.nearer: dict[str, list[str]] = {start: []}
        self.frontier: list[str] = [start]
        self._steps: list[list[tuple[str, str, set[str]]]] = []  # per depth: (entity, arrow, neighbours)
        self._by_entity: dict[int, dict[str, list[tuple[str, set[str]]]]] = {}  # the steps by entity (`arrows`)
        self._toward_start = toward_start  # chains run from the source: the target's side reads edges backwards

    def expand(self, store: Store, within: list[str] | None = None) -> bool:
        """One step out from the frontier; with `within`, only to those entities, and taken
        only if it reaches any. Whether the step was taken."""
        step: list[tuple[str, str, set[str]]] = []
        reached: set[str] = set()
        for rel_type, outgoing, node, found in store.neighbours(self.frontier, within):
            neighbours = set(found)
            step.append((node, _arrow(rel_type, outgoing if self._toward_start else not outgoing), neighbours))
            reached |= neighbours
        reached.difference_update(self.distance)
        if within is not None and not reached:
            return False
        self._steps.append(step)
        self.depth += 1
        self.distance.update(dict.fromkeys(reached, self.depth))
        self.frontier = list(reached)  # chains are put in order once found (`order`)
        self.links = None
        return True

    def cost(self, store: Store, bound: int | None = None) -> int:
        """The frontier's edges; looked up only when `bound` is below the least it can be (one per entity)."""
        if self.links is None:
            if bound is not None and bound <= len(self.frontier):
                return len(self.frontier)
            self.links = store.link_total(self.frontier)
        return self.links

    def trace(self, nodes: list[str]) -> None:
        """Fill `nearer` for `nodes` and every entity on a shortest chain back to the start;
        `order` puts each list in order."""
        wanted = {n for n in nodes if n not in self.nearer}
        while wanted:
            depth = max(self.distance[n] for n in wanted)
            here = {n for n in wanted if self.distance[n] == depth}
            wanted -= here
            found: dict[str, set[str]] = {m: set() for m in here}
            for node, _, neighbours in self._steps[depth - 1]:
                for m in neighbours & here:
                    found[m].add(node)
            self.nearer.update((m, list(via)) for m, via in found.items())
            wanted |= {b for via in found.values() for b in via if b not in self.nearer}

    def order(self, key: Callable[[str], str]) -> None:
        """Put the entities nearer each traced one in the order of `key` (after `trace`)."""
        for via in self.nearer.values():
            via.sort(key=key)

    def arrows(self, node: str, farther: str) -> list[str]:
        """Each edge between `node` and `farther`, one step farther from the start, as seen
        along the chain from the source: "-SUPPORTS->", "<-LEADS-"."""
        depth = self.distance[farther]
        by_entity = self._by_entity.get(depth)
        if by_entity is None:
            by_entity = self._by_entity[depth] = {}
            for n, arrow, neighbours in self._steps[depth - 1]:
                by_entity.setdefault(n, []).append((arrow, neighbours))
        return [arrow for arrow, neighbours in by_entity.get(node, []) if farther in neighbours]

    def chains(self, node: str) -> Iterator[list[str]]:
        """Every shortest chain from this side's start to `node`, start first (after `trace`)."""
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


@dataclass
class Chains:
    """Shortest chains between two entities: each a list of entity ids, source first; the
    edges between each two neighbours on them, seen from the first; the entities' names."""
    chains: list[list[str]] = field(default_factory=list)
    arrows: Arrows = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


def shortest_paths(store: Store, source: str, target: str, *, max_hops: int = 6, limit: int = 100,
                   note: Note | None = None) -> Result:
    """The rows of the `paths` named query: hops, the chain written out with each edge's direction, and its ids."""
    found = find_chains(store, source, target, max_hops=max_hops, note=note)
    return _rows(found.chains, found.arrows, found.names, limit, note)


def find_chains(store: Store, source: str, target: str, *, max_hops: int | None = 6,
                note: Note | None = None) -> Chains:
    """Every shortest chain from source to target of at most `max_hops` edges (None: any length),
    at most SPELL_OUT_MAX of them."""
    if source == target:
        return Chains()
    ends = store.run(ENDS, {"from": source, "to": target}).rows
    if not ends:
        return Chains()
    a_name, b_name, a_links, b_links = ends[0][:4]
    if ends[0][4] is not None:
        arrows = {(source, target): [_arrow(t, out) for *_, t, out in ends]}
        return Chains([[source, target]], arrows, {source: a_name, target: b_name})
    keys = store.search_keys([source, target])  # the search runs on the store's own keys
    a, b = _Side(keys[source], a_links, True), _Side(keys[target], b_links, False)
    while a.frontier and b.frontier and (max_hops is None or a.depth + b.depth < max_hops):
        side, other = _cheaper(a, b, store)
        if not _meet_directly(side, other, store):
            side.expand(store)
        met = list(other.distance.keys() & side.frontier)  # in id order once the ids are known
        if met:
            a.trace(met)
            b.trace(met)
            found = store.search_names(sorted(a.nearer.keys() | b.nearer.keys()))
            ids = {key: id_ for key, (id_, _) in found.items()}
            # Chains come in the order of the entities' ids, whatever keys the store uses: past
            # SPELL_OUT_MAX, every store shows the same sample.
            met.sort(key=ids.__getitem__)
            a.order(ids.__getitem__)
            b.order(ids.__getitem__)
            chains = _chains(a, b, met, note)
            arrows = {(ids[x], ids[y]): both for (x, y), both in _arrows(a, b, chains).items()}
            chains = [[ids[n] for n in chain] for chain in chains]
            return Chains(chains, arrows, dict(found.values()))
    return Chains()


def _cheaper(a: _Side, b: _Side, store: Store) -> tuple[_Side, _Side]:
    """The side with fewer edges to read next, then the other; the source's side on a tie.

    A side whose count is known (or whose frontier is smaller) is counted first; the
    other is looked up only if the least it can have (one edge per entity) is not more.
    """
    first, second = sorted((a, b), key=lambda side: (side.links is None,
                                                     len(side.frontier) if side.links is None else side.links))
    first_cost = first.cost(store)
    second_cost = second.cost(store, first_cost)
    if first_cost == second_cost:
        return a, b
    return (first, second) if first_cost < second_cost else (second, first)


def _meet_directly(side: _Side, other: _Side, store: Store) -> bool:
    """Step only to the other frontier, when there are few pairs to try: whether the searches met.

    They can meet only between the two frontiers (every entity nearer a start has had
    all its neighbours reached), and the step that meets is often the one toward the hubs.
    """
    if side.depth + other.depth == 0:  # ENDS looked for an edge between the two ends
        return False
    pairs = len(side.frontier) * len(other.frontier)
    return pairs * PAIR_COST < side.cost(store) and side.expand(store, within=other.frontier)


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


def _arrows(a: _Side, b: _Side, chains: list[list[str]]) -> Arrows:
    """The arrows of each pair of neighbours on the chains: a's step for the first a.depth
    pairs of every chain (they all meet at that distance from the source), b's for the rest."""
    out: Arrows = {}
    for chain in chains:
        for i, (x, y) in enumerate(zip(chain, chain[1:])):
            if (x, y) not in out:
                out[(x, y)] = a.arrows(x, y) if i < a.depth else b.arrows(y, x)
    return out


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
