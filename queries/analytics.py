"""Graph analytics that Cypher does badly, with networkx on the graph read from the store.

All measures run on the entity graph (Document nodes and MENTIONS left out),
taken as undirected: a SUPPORTS edge links its two ends either way, so an
actor that supports much and an industry that many support both rank high
(PageRank too, as in the viewer). Paths and ego networks still show each
edge's direction. Results come back as `Result` rows, so the CLI prints them
as table, JSON or CSV, and can be written back as node properties for Cypher
and the viewer.

Centrality and communities need the whole graph. A path or an ego network does
not: they read the store one step at a time (Store.neighbours, as the `paths`
named query does), so their cost follows the answer, not the graph.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import networkx as nx

from policygraph.errors import UsageError
from policygraph.graph.store import Result, Store
from policygraph.queries import paths

# Only what the measures need: reading evidence and provenance too (as
# export.read_graph does) takes four times as long on a large graph.
ENTITY_NODES = "MATCH (n:Entity) RETURN n.id AS id, n.name AS name, n.type AS type"
ENTITY_EDGES = "MATCH (a:Entity)-[e]->(b:Entity) RETURN a.id AS source, type(e) AS type, b.id AS target"
SOME_NODES = "UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN n.id AS id, n.name AS name, n.type AS type"
# The node properties `write_back` sets: fixed names, the values are parameters.
CENTRALITY_PROPERTIES = ("degree", "pagerank", "betweenness")
COMMUNITY_PROPERTY = "community"
WRITE_BACK = """
UNWIND $rows AS r
MATCH (n:Entity {id: r.id})
SET n += r.props
"""
SEED = 42  # communities and sampled betweenness are the same on every run
EXACT_UP_TO = 2_000  # exact betweenness is O(nodes x edges): beyond this many nodes it is sampled
AUTO_SAMPLE = 200


def read_entity_graph(store: Store) -> nx.MultiDiGraph:
    """The entities (id, name, type) and their relations, keyed by relation type."""
    graph = nx.MultiDiGraph()
    for node_id, name, type_ in store.run(ENTITY_NODES).rows:
        graph.add_node(node_id, name=name, type=type_)
    for source, rel_type, target in store.run(ENTITY_EDGES).rows:
        graph.add_edge(source, target, key=rel_type)
    return graph


def read_ball(store: Store, center: str, radius: int) -> nx.MultiDiGraph:
    """The entities within `radius` steps of `center` (either direction), each with every edge
    that joins it to a nearer one: all that `ego` needs, read one step at a time."""
    graph = nx.MultiDiGraph()
    start = store.search_keys([center]).get(center)
    if start is None:
        return graph
    seen, frontier, edges = {start}, [start], []
    for _ in range(radius):
        reached: set[str] = set()
        for rel_type, outgoing, key, found in store.neighbours(frontier) if frontier else ():
            edges.extend((key, other, rel_type) if outgoing else (other, key, rel_type) for other in found)
            reached.update(found)
        frontier = sorted(reached - seen)
        seen.update(frontier)
    ids = {key: id_ for key, (id_, _) in store.search_names(sorted(seen)).items()}
    for id_, name, type_ in store.run(SOME_NODES, {"ids": sorted(ids.values())}).rows:
        graph.add_node(id_, name=name, type=type_)
    for a, b, rel_type in edges:
        graph.add_edge(ids[a], ids[b], key=rel_type)  # an edge seen from both ends is added once
    return graph


def betweenness_sample(nodes: int, sample: int | None) -> int | None:
    """Sources to estimate betweenness from: None for exact (`sample` 0, or a small graph)."""
    if sample is None:
        sample = AUTO_SAMPLE if nodes > EXACT_UP_TO else 0
    return sample if 0 < sample < nodes else None


def centrality(graph: nx.MultiDiGraph, *, sample: int | None = None,
               note: Callable[[str], None] | None = None) -> Result:
    """Degree (distinct neighbours), PageRank and betweenness of every entity.

    Betweenness is estimated from `sample` source nodes (seeded, so repeatable);
    0 means exact, None exact up to EXACT_UP_TO nodes and sampled beyond.
    """
    simple = nx.Graph(graph)
    degree = dict(simple.degree())
    pagerank = nx.pagerank(simple) if len(simple) else {}
    k = betweenness_sample(len(simple), sample)
    if k and note:
        note(f"betweenness estimated from {k} of {len(simple)} entities (--sample 0 for exact, slow on large graphs)")
    betweenness = nx.betweenness_centrality(simple, k=k, seed=SEED if k else None)
    rows = [[n, _name(graph, n), graph.nodes[n].get("type", ""), degree[n], round(pagerank[n], 6),
             round(betweenness[n], 6)] for n in graph]
    return Result(["id", "name", "type", *CENTRALITY_PROPERTIES], rows)


def rank(result: Result, *, by: str, types: Iterable[str] = (), limit: int | None = None) -> Result:
    """The rows of `result` best first by the column `by`, only of `types` (all if empty), at most `limit`."""
    if by not in result.columns:
        raise UsageError(f"cannot rank by {by!r}: choose one of {', '.join(CENTRALITY_PROPERTIES)}")
    col, type_col, name_col = (result.columns.index(c) for c in (by, "type", "name"))
    wanted = set(types)
    rows = [r for r in result.rows if not wanted or r[type_col] in wanted]
    rows.sort(key=lambda r: (-r[col], r[name_col]))
    return Result(result.columns, rows[:limit])


def communities(graph: nx.MultiDiGraph) -> Result:
    """Louvain communities of the undirected entity graph, largest first (numbered from 0)."""
    simple = nx.Graph(graph)
    found = nx.community.louvain_communities(simple, seed=SEED) if len(simple) else []
    ordered = sorted((sorted(c, key=lambda n: _name(graph, n)) for c in found),
                     key=lambda c: (-len(c), _name(graph, c[0])))
    rows = []
    for number, members in enumerate(ordered):
        for n in members:
            rows.append([number, len(members), n, _name(graph, n), graph.nodes[n].get("type", "")])
    return Result(["community", "size", "id", "name", "type"], rows)


def shortest_paths(store: Store, source: str, target: str, *, limit: int = 10,
                   note: Callable[[str], None] | None = None) -> Result:
    """Every shortest chain of relations between two entities, of any length, one row per step:
    the first `limit` chains in the order of their entities' names."""
    found = paths.find_chains(store, source, target, max_hops=None, note=note)
    name = lambda n: found.names.get(n) or n  # noqa: E731
    chosen = sorted(found.chains, key=lambda chain: [name(n) for n in chain])[:limit]
    rows = []
    for number, chain in enumerate(chosen):
        for step, (a, b) in enumerate(zip(chain, chain[1:])):
            rows.append([number, step, name(a), _joined(found.arrows.get((a, b), [])), name(b)])
    return Result(["path", "step", "from", "relation", "to"], rows)


def ego(graph: nx.MultiDiGraph, center: str, *, radius: int = 1) -> Result:
    """The entities within `radius` steps of `center`, nearest first, with how each is reached."""
    simple = nx.Graph(graph)
    hops = nx.single_source_shortest_path_length(simple, center, cutoff=radius)
    rows = []
    for n in sorted(hops, key=lambda n: (hops[n], _name(graph, n))):
        via = sorted(f"{_link(graph, n, p)} {_name(graph, p)}" for p in simple[n] if hops.get(p) == hops[n] - 1)
        rows.append([hops[n], n, _name(graph, n), graph.nodes[n].get("type", ""), via])
    return Result(["hops", "id", "name", "type", "via"], rows)


def write_back(store: Store, result: Result, properties: Iterable[str], batch_size: int = 1000) -> int:
    """Store the named columns of `result` (rows keyed by "id") as properties of those entities."""
    keys = list(properties)
    rows = [{"id": rec["id"], "props": {k: rec[k] for k in keys}} for rec in result.records()]
    for i in range(0, len(rows), batch_size):
        store.run(WRITE_BACK, {"rows": rows[i:i + batch_size]}, write=True)
    return len(rows)


def _name(graph: nx.MultiDiGraph, node: str) -> str:
    return str(graph.nodes[node].get("name") or node)


def _link(graph: nx.MultiDiGraph, a: str, b: str) -> str:
    """How a and b are joined, seen from a: "-SUPPORTS->" or "<-LEADS-" (several joined by "/")."""
    return _joined([f"-{k}->" for k in graph.get_edge_data(a, b) or {}] +
                   [f"<-{k}-" for k in graph.get_edge_data(b, a) or {}])


def _joined(arrows: list[str]) -> str:
    """The edges between two entities as one text: outgoing ones first, each side by type."""
    return "/".join(sorted(arrows, key=lambda arrow: (arrow.startswith("<"), arrow)))
