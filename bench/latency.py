"""Named-query latency on a loaded graph: each query run many times with parameters drawn from the graph."""
from __future__ import annotations

import gc
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from policygraph.errors import PolicyGraphError
from policygraph.graph.store import Store

from measure import percentile

# Used only when queries/named.py is not there: a representative read mix.
FALLBACK = {
    "entity-by-id": ("MATCH (n:Entity {id: $id}) RETURN n.name, n.type, n.aliases", ("id",)),
    "neighbours": ("MATCH (n:Entity {id: $id})-[r]-(m:Entity) RETURN type(r), m.name LIMIT 50", ("id",)),
    "documents-mentioning": ("MATCH (d:Document)-[m:MENTIONS]->(n:Entity {id: $id}) "
                             "RETURN d.doc_id, d.date, m.count ORDER BY d.date DESC LIMIT 20", ("id",)),
    "supporters": ("MATCH (s:Entity)-[r:SUPPORTS]->(t:Entity {id: $id}) RETURN s.name, r.doc_ids", ("id",)),
}


@dataclass
class QueryFigure:
    name: str
    kind: str = ""  # "by id", "by name" (resolved first, as the CLI does) or "whole graph" (no entity given)
    runs: int = 0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    max_ms: float = 0.0
    rows: int = 0  # rows returned, summed over the runs
    errors: list[str] = field(default_factory=list)


class Picker:
    """Parameter values drawn from what the graph holds, with a fixed seed."""

    def __init__(self, store: Store, seed: int):
        self.rng = random.Random(seed)
        rows = store.run("MATCH (n:Entity) RETURN n.id AS id, n.type AS type, n.name AS name").rows
        self.by_type: dict[str, list[tuple[str, str]]] = {}
        for id_, type_, name in rows:
            self.by_type.setdefault(type_, []).append((id_, name))
        self.all = [e for es in self.by_type.values() for e in es]
        self.edges = store.run("MATCH (a:Entity)-[r]->(b:Entity) WHERE type(r) <> 'MENTIONS' "
                               "RETURN a.id, b.id, a.name, b.name LIMIT 20000").rows

    def entity(self, types: tuple[str, ...] = ()) -> tuple[str, str]:
        pool = [e for t in types for e in self.by_type.get(t, [])] if types else self.all
        return self.rng.choice(pool or self.all)

    def edge(self) -> list[Any] | None:
        return self.rng.choice(self.edges) if self.edges else None


def named_variants(picker: Picker) -> list[tuple[str, str, Any, Callable[[], dict[str, Any]]]]:
    """(label, query, make_params) for every shipped named query, plus variants worth telling apart."""
    from policygraph.queries import named

    out = []
    for query in named.load_all().values():
        entity_params = [p for p in query.params if p.kind == "entity"]
        required = [p for p in entity_params if p.required]
        optional = [p for p in entity_params if not p.required]
        out.append((query.name, "by id" if required else "whole graph", query,
                    _maker(picker, query, required, by_name=False)))
        if optional:
            out.append((f"{query.name} ({', '.join(p.name for p in optional)} given)", "by id", query,
                        _maker(picker, query, required + optional, by_name=False)))
        if required:
            out.append((f"{query.name} (by name)", "by name", query, _maker(picker, query, required, by_name=True)))
        if len(required) >= 2:  # the pair drawn from the graph's edges above is a pair of neighbours
            out.append((f"{query.name} (any two)", "by id", query,
                        _maker(picker, query, required, by_name=False, neighbours=False)))
    return out


def _maker(picker: Picker, query: Any, entity_params: list, by_name: bool, neighbours: bool = True):
    def make() -> dict[str, Any]:
        params: dict[str, Any] = {}
        edge = picker.edge() if neighbours and len(entity_params) >= 2 else None
        for i, p in enumerate(entity_params):
            if edge is not None and i < 2 and not p.types:
                id_, name = edge[i], edge[2 + i]
            else:
                id_, name = picker.entity(p.types)
            params[p.name] = name if by_name else id_
        return params
    return make


def measure_named(store: Store, runs: int, seed: int, budget: float = 30.0) -> list[QueryFigure]:
    picker = Picker(store, seed)
    # The picker's tens of thousands of rows live as long as the measurement: frozen, they are not
    # walked by every full collection the queries' own garbage sets off, which a CLI run, holding
    # no such rows, would not pay either. Thawed afterwards: the rest of the process owes it nothing.
    gc.collect()
    gc.freeze()
    try:
        return _measure(store, picker, runs, budget)
    finally:
        gc.unfreeze()


def _measure(store: Store, picker: Picker, runs: int, budget: float) -> list[QueryFigure]:
    try:
        variants = named_variants(picker)
    except ImportError:
        variants = None
    figures = []
    if variants is None:
        for name, (text, keys) in FALLBACK.items():
            make = lambda keys=keys: {k: picker.entity()[0] for k in keys}
            figure = _time(name, lambda params, text=text: store.run(text, params), make, runs, budget)
            figure.kind = "by id"
            figures.append(figure)
        return figures
    from policygraph.queries import named

    for label, kind, query, make in variants:
        figure = _time(label, lambda params, name=query.name: named.run(store, name, params), make, runs, budget)
        figure.kind = kind
        figures.append(figure)
    return figures


def _time(label: str, call, make, runs: int, budget: float) -> QueryFigure:
    """Time `runs` calls after one warm-up call, or as many as fit in `budget` seconds (at least one)."""
    figure = QueryFigure(label)
    times: list[float] = []
    deadline = time.perf_counter() + budget
    for i in range(runs + 1):
        if i >= 2 and time.perf_counter() > deadline:  # the warm-up and one timed attempt always run
            figure.errors.append(f"stopped after {i - 1} timed runs: the {budget:.0f} s budget was spent")
            break
        params = make()
        started = time.perf_counter()
        try:
            result = call(params)
        except PolicyGraphError as exc:  # e.g. an ambiguous name: a user would be asked to choose
            figure.errors.append(str(exc)[:120])
            continue
        elapsed = time.perf_counter() - started
        if i >= 1:  # the first run warms the plan cache
            times.append(elapsed * 1000)
            figure.rows += len(result.rows)
    figure.runs = len(times)
    figure.p50_ms, figure.p95_ms = percentile(times, 50), percentile(times, 95)
    figure.max_ms = max(times, default=0.0)
    return figure
