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
3. the paths through the entities where they met, spelt out edge by edge in the
   order of their text, only as many as are shown (`_Meeting.rows`).

Between its statements the search names entities by the store's search keys
(Store.search_key): on FalkorDB the internal node ids, which it seeks in a
fifth of the time the id index takes, eight times a step for every frontier entity.
"""
from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from policygraph.graph.store import Result, Store
from policygraph.schema.model import RELATION_TYPES

COLUMNS = ["hops", "path", "ids"]
# Chains `find_chains` spells out (`policygraph analyze path`): beyond it a note says they are a
# sample, the first chains in the order of their entities' ids. The named query needs no cap.
SPELL_OUT_MAX = 2_000
# What a step costs, in edges read (0.4 us each on FalkorDB), measured on a 100,000-article
# graph (bench/HISTORY.md): any statement 0.45 ms, whatever it reads; a step, 14 us for each
# entity of the frontier (eight seeks and traversals); a step toward the other frontier
# only, 2.5 us for each pair it tries and 5 us for each entity of the other frontier.
STATEMENT_COST = 1_100
ENTITY_COST = 35
PAIR_COST = 6
CANDIDATE_COST = 12
# A step toward the other frontier only is worth trying when it is likely to meet: of 201
# tried on that graph, 1 in 82 met where it tried one pair, 23 in 24 where it tried 200 or
# more. 1 - exp(-pairs / MEET_SCALE) follows those odds.
MEET_SCALE = 70


def ends_statement(search_key: Callable[[str], str] = Store.search_key) -> str:
    """The two ends: their names, how many edges each has, their search keys (Store.search_key)
    and the edges joining them. The relation types are the ones the search walks
    (Store.neighbours), and no other: MENTIONS joins documents."""
    return f"""
MATCH (a:Entity {{id: $from}})
MATCH (b:Entity {{id: $to}})
OPTIONAL MATCH (a)-[r:{'|'.join(RELATION_TYPES)}]-(b)
RETURN a.name AS a_name, b.name AS b_name, a.link_count AS a_links, b.link_count AS b_links,
       {search_key("a")} AS a_key, {search_key("b")} AS b_key, type(r) AS type, startNode(r) = a AS out
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

    def least(self) -> int:
        """The least a step from the frontier can cost: one edge for each of its entities."""
        return (1 + ENTITY_COST) * len(self.frontier)

    def cost(self, store: Store, bound: int | None = None) -> int:
        """What a step from the frontier costs, its statement aside: its entities and their edges.
        The edges are looked up only when `bound` is more than the least the step can cost."""
        if self.links is None:
            if bound is not None and bound <= self.least():
                return self.least()
            self.links = store.link_total(self.frontier)
        return ENTITY_COST * len(self.frontier) + self.links

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
    """The rows of the `paths` named query: hops, the chain written out with each edge's direction, and its ids.

    Exactly the Cypher's first `limit` rows however many shortest paths there are: they are
    spelt out in the order of their text, and only as many as are shown (`_Meeting.rows`).
    """
    found = _meet(store, source, target, max_hops)
    if isinstance(found, _Meeting):
        return found.rows(limit, note)
    return _rows(found.chains, found.arrows, found.names, limit, note)


def find_chains(store: Store, source: str, target: str, *, max_hops: int | None = 6,
                note: Note | None = None) -> Chains:
    """Every shortest chain from source to target of at most `max_hops` edges (None: any length),
    at most SPELL_OUT_MAX of them."""
    found = _meet(store, source, target, max_hops)
    return found.chains(note) if isinstance(found, _Meeting) else found


def _meet(store: Store, source: str, target: str, max_hops: int | None) -> "Chains | _Meeting":
    """Search from both ends until they meet: the searches, or the chains when there are
    none to spell out (no path, or an edge joining the two ends)."""
    if source == target:
        return Chains()
    ends = store.run(ends_statement(store.search_key), {"from": source, "to": target}).rows
    if not ends:
        return Chains()
    a_name, b_name, a_links, b_links, a_key, b_key = ends[0][:6]
    if ends[0][6] is not None:
        arrows = {(source, target): [_arrow(t, out) for *_, t, out in ends]}
        return Chains([[source, target]], arrows, {source: a_name, target: b_name})
    # The search runs on the store's own keys.
    a, b = _Side(str(a_key), a_links, True), _Side(str(b_key), b_links, False)
    while a.frontier and b.frontier and (max_hops is None or a.depth + b.depth < max_hops):
        side, other = _cheaper(a, b, store)
        if not _meet_directly(side, other, store):
            side.expand(store)
        met = list(other.distance.keys() & side.frontier)
        if met:
            a.trace(met)
            b.trace(met)
            return _Meeting(a, b, met, store.search_names(sorted(a.nearer.keys() | b.nearer.keys())))
    return Chains()


class _Meeting:
    """Two searches that met: every shortest chain runs from a's start through one entity of
    `met` (a.depth steps from the source) to b's start. `found` names each key's entity
    (its id and name)."""

    def __init__(self, a: _Side, b: _Side, met: list[str], found: dict[str, tuple[str, str]]):
        self.a, self.b, self.met, self.found = a, b, met, found
        self._next: dict[str, list[tuple[str, str, str]]] = {}
        self._children: dict[str, list[str]] | None = None

    def chains(self, note: Note | None) -> Chains:
        """The first SPELL_OUT_MAX chains in the order of their entities' ids (queries/analytics.py)."""
        a, b, found = self.a, self.b, self.found
        ids = {key: id_ for key, (id_, _) in found.items()}
        # Chains come in the order of the entities' ids, whatever keys the store uses: past
        # SPELL_OUT_MAX, every store shows the same sample.
        met = sorted(self.met, key=ids.__getitem__)
        a.order(ids.__getitem__)
        b.order(ids.__getitem__)
        chains = _chains(a, b, met, note)
        arrows = {(ids[x], ids[y]): both for (x, y), both in _arrows(a, b, chains).items()}
        return Chains([[ids[n] for n in chain] for chain in chains], arrows, dict(found.values()))

    def rows(self, limit: int, note: Note | None) -> Result:
        """The first `limit` paths in the order of (text, ids), as the Cypher's ORDER BY gives them.

        A best-first walk from the source over the partial paths, smallest text first: a path's
        text begins with the text of each of its parts, so the complete paths leave the heap in
        order. A part is extended only when it leaves the heap, by its first next step, and its
        next sibling joins the heap then too: the work grows with the rows shown, not with the
        paths there are (46,598 for one of 400 pairs drawn from a 100,000-article graph).
        """
        target, (source_id, source_name) = self.b.start, self.found[self.a.start]
        heap = [(source_name, (source_id,), self.a.start, 0, -1, None)]
        out: list[list[Any]] = []
        while heap and len(out) <= limit:
            text, ids, key, hops, k, parent = heapq.heappop(heap)
            if parent is not None:  # the next sibling: the parent's path with its next step
                p_text, p_ids, p_key = parent
                steps = self._steps(p_key, hops - 1)
                if k + 1 < len(steps):
                    segment, id_, next_key = steps[k + 1]
                    heapq.heappush(heap, (p_text + segment, p_ids + (id_,), next_key, hops, k + 1, parent))
            if key == target:
                out.append([hops, text, list(ids)])
                continue
            segment, id_, next_key = self._steps(key, hops)[0]
            heapq.heappush(heap, (text + segment, ids + (id_,), next_key, hops + 1, 0, (text, ids, key)))
        if len(out) > limit and note:
            note(f"{self._count(self.a.start, 0, {}):,} shortest paths: showing the first {limit} "
                 "(--param limit=N for more)")
        return Result(COLUMNS, out[:limit])

    def _steps(self, key: str, hops: int) -> list[tuple[str, str, str]]:
        """Each step on from `key` (`hops` from the source) toward the target, as the text it
        adds, the id it adds and the key it reaches, in the order of (text, id)."""
        steps = self._next.get(key)
        if steps is None:
            a, b = self.a, self.b
            if hops < a.depth:
                pairs = [(y, a.arrows(key, y)) for y in self._a_children().get(key, [])]
            else:
                pairs = [(y, b.arrows(y, key)) for y in b.nearer[key]]
            steps = sorted((f" {arrow} {self.found[y][1]}", self.found[y][0], y) for y, arrows in pairs
                           for arrow in arrows)
            self._next[key] = steps
        return steps

    def _a_children(self) -> dict[str, list[str]]:
        """The entities one step farther from the source than each, on a shortest chain."""
        if self._children is None:
            self._children = {}
            for node, nearer in self.a.nearer.items():
                for before in nearer:
                    self._children.setdefault(before, []).append(node)
        return self._children

    def _count(self, key: str, hops: int, memo: dict[str, int]) -> int:
        """The paths from `key` on to the target: one per choice of edge at every step."""
        if key == self.b.start:
            return 1
        if key not in memo:
            memo[key] = sum(self._count(y, hops + 1, memo) for _, _, y in self._steps(key, hops))
        return memo[key]


def _cheaper(a: _Side, b: _Side, store: Store) -> tuple[_Side, _Side]:
    """The side whose next step costs less, then the other; the source's side on a tie.

    A side whose edges are counted (or whose frontier is smaller) is costed first; the
    other's edges are looked up only if the least its step can cost is not more.
    """
    first, second = sorted((a, b), key=lambda side: (side.links is None, side.least() if side.links is None
                                                     else side.cost(store)))
    first_cost = first.cost(store)
    second_cost = second.cost(store, first_cost)
    if first_cost == second_cost:
        return a, b
    return (first, second) if first_cost < second_cost else (second, first)


def _meet_directly(side: _Side, other: _Side, store: Store) -> bool:
    """Step only to the other frontier, when there are few pairs to try: whether the searches met.

    They can meet only between the two frontiers (every entity nearer a start has had
    all its neighbours reached), and the step that meets is often the one toward the hubs.
    One that does not meet costs its statement on top of the whole step still to take: it
    is tried only when it costs less than the whole step times the odds that it meets.
    """
    if side.depth + other.depth == 0:  # ends_statement looked for an edge between the two ends
        return False
    pairs = len(side.frontier) * len(other.frontier)
    check = STATEMENT_COST + PAIR_COST * pairs + CANDIDATE_COST * len(other.frontier)
    odds = 1 - math.exp(-pairs / MEET_SCALE)
    return check < odds * (STATEMENT_COST + side.cost(store)) and side.expand(store, within=other.frontier)


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
