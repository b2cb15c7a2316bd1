"""Which part of the graph a viewer page shows, and how important each node is.

The page itself is written by `viewer_page`; this module only chooses: the
Document nodes or not, an ego network around one actor (named by any alias),
entity types, a minimum number of neighbours, the N most important nodes and,
among the edges between them, the strongest `max_edges`.
Importance is the PageRank of `policygraph analyze` (queries/analytics.py) on
the entity graph; ties, such as entities no relation connects yet, go to the
one more documents name. Documents rank after every entity.

Choosing reads little: a `Catalog` holds each node's name, type and aliases and
each edge's ends, type and number of documents, in flat arrays, with no
evidence and no documents unless they are shown. Full attributes, the first few
evidence sentences of each edge and the newest documents naming each node are
then read only for what was chosen - from a networkx graph (`select(graph)`) or
from the store with a handful of batched queries (`select(StoreSource(store))`),
so a 2,000-node view of a 100,000-article graph stays small.
"""
from __future__ import annotations

import difflib
import os
import unicodedata
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
from scipy import sparse

from policygraph.errors import UsageError
from policygraph.graph.export import document_node_id
from policygraph.graph.store import Store
from policygraph.schema.model import ENTITY_TYPES

DOCUMENT = "Document"
MENTIONS = "MENTIONS"
VIEW_TYPES = (*ENTITY_TYPES, DOCUMENT)
DEFAULT_MAX_EDGES = 5000  # vis-network lays out ~2,000 nodes and this many edges in seconds
EDGES_PER_NODE = 3  # every shown node keeps its strongest edges before the rest compete
EDGE_SENTENCES = 3  # evidence sentences an edge carries into the page (the panel gives the full count)
EDGE_DOCS = 10  # document ids an edge carries into the page
NODE_DOCS = 20  # newest documents naming a node that its panel lists (with how many there are)
NODE_OFFICES = 10  # newest offices of a person that its panel lists (its roles are all listed anyway)
READ_BATCH = 2000  # ids per query: bounds what one reply holds in memory


@dataclass(slots=True)
class ViewOptions:
    documents: bool = False  # show Document nodes and MENTIONS edges
    focus: str | None = None  # a name, alias or id: show its ego network
    depth: int = 1  # hops around the focus
    types: tuple[str, ...] = ()  # entity types to keep (empty: all)
    min_degree: int = 0  # keep nodes with at least this many neighbours in the view
    limit: int | None = None  # keep the N most important nodes
    max_edges: int | None = DEFAULT_MAX_EDGES  # keep the strongest edges between them (None or 0: all)
    title: str = "policygraph"


@dataclass(slots=True)
class View:
    """The chosen subgraph and what the page needs to explain it."""

    graph: nx.MultiDiGraph
    importance: dict[str, float]  # PageRank of each entity on the entity graph
    rank: dict[str, int]  # 1 = most important among the nodes the view could show
    documents: dict[str, dict[str, Any]]  # doc_id -> title, date, source, file
    mentions: dict[str, list[str]]  # entity id -> the newest NODE_DOCS doc_ids that name it
    focus: str | None = None
    total_nodes: int = 0  # what the view could show before focus, types, degree and limit
    total_edges: int = 0
    options: ViewOptions = field(default_factory=ViewOptions)
    mention_counts: dict[str, int] = field(default_factory=dict)  # entity id -> documents naming it, all of them
    edges_between: int = 0  # edges between the chosen nodes before max_edges


@dataclass(slots=True)
class Catalog:
    """Every node the view could show and every edge between them, light: no evidence, no properties."""

    ids: list[str]  # sorted, so index order is id order and ties break the same way on every run
    attrs: list[dict[str, Any]]  # type, name, aliases, labels, doc_id: what ranking and --focus look at
    src: np.ndarray  # edge i runs from node src[i] to node dst[i]
    dst: np.ndarray
    kind: np.ndarray  # index into kinds (sorted)
    weight: np.ndarray  # documents stating the edge (1 for a mention)
    kinds: list[str]
    mentions: np.ndarray  # documents naming each node (0 for documents)

    def is_document(self) -> np.ndarray:
        return np.array([node_type(a) == DOCUMENT for a in self.attrs], dtype=bool)


@dataclass(slots=True)
class Details:
    """Full attributes of the chosen nodes and edges, with evidence and mentions bounded for the page."""

    graph: nx.MultiDiGraph
    documents: dict[str, dict[str, Any]]
    mentions: dict[str, list[str]]
    mention_counts: dict[str, int]


def node_type(attrs: dict[str, Any]) -> str:
    if DOCUMENT in attrs.get("labels", ()):
        return DOCUMENT
    return attrs.get("type") or next((lb for lb in attrs.get("labels", ()) if lb in ENTITY_TYPES), "Entity")


def name_key(text: Any) -> str:
    """Case-, space- and punctuation-blind form of a name: "Lee Jaemyung" == "lee jae-myung"."""
    folded = unicodedata.normalize("NFKC", str(text or "")).lower()
    return "".join(ch for ch in folded if ch.isalnum())


def parse_types(types: str | Iterable[str] | None) -> tuple[str, ...]:
    """"Person,industry" -> ("Person", "Industry"); unknown names are a usage error."""
    if not types:
        return ()
    items = types.split(",") if isinstance(types, str) else [t for item in types for t in str(item).split(",")]
    known = {t.lower(): t for t in VIEW_TYPES}
    out: list[str] = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        if item.lower() not in known:
            raise UsageError(f"unknown type {item!r} in --types: use some of {', '.join(VIEW_TYPES)}")
        if known[item.lower()] not in out:
            out.append(known[item.lower()])
    return tuple(out)


# -- the catalog -----------------------------------------------------------------------------------------

def build_catalog(nodes: Mapping[str, dict[str, Any]], edges: Iterable[tuple[str, str, str, int]],
                  mentions: Mapping[str, int]) -> Catalog:
    """A Catalog from light node attributes and (source, type, target, documents) edges, streamed."""
    ids = sorted(nodes)
    index = {n: i for i, n in enumerate(ids)}
    kinds: dict[str, int] = {}
    columns = [array("i") for _ in range(4)]  # 16 bytes an edge: a 100k-article graph's edges fit easily
    for source, kind, target, weight in edges:
        a, b = index.get(source), index.get(target)
        if a is None or b is None:  # an end the view leaves out (a document when documents are hidden)
            continue
        for col, value in zip(columns, (a, kinds.setdefault(kind, len(kinds)), b, weight)):
            col.append(value)
    src, kind, dst, weight = (np.frombuffer(c, dtype=np.int32) if len(c) else np.zeros(0, np.int32) for c in columns)
    names = sorted(kinds)
    remap = np.array([names.index(k) for k in kinds] or [0], dtype=np.int32)  # kinds in name order, for ties
    return Catalog(ids=ids, attrs=[nodes[n] for n in ids], src=src, dst=dst, kind=remap[kind] if len(kind) else kind,
                   weight=weight, kinds=names, mentions=np.array([mentions.get(n, 0) for n in ids], dtype=np.int64))


def graph_catalog(graph: nx.MultiDiGraph, documents: bool) -> Catalog:
    """The Catalog of a networkx graph shaped like `read_graph`'s (documents only when shown)."""
    nodes = {n: a for n, a in graph.nodes(data=True) if documents or node_type(a) != DOCUMENT}
    counts: dict[str, int] = {}
    for _, target, kind in graph.edges(keys=True):
        if kind == MENTIONS:
            counts[target] = counts.get(target, 0) + 1
    edges = ((a, str(k), b, 1 if k == MENTIONS else len(d.get("doc_ids") or ()))
             for a, b, k, d in graph.edges(keys=True, data=True))
    return build_catalog(nodes, edges, counts)


# -- importance, neighbourhoods -------------------------------------------------------------------------

def pagerank(n: int, a: np.ndarray, b: np.ndarray, alpha: float = 0.85, tol: float = 1e-6,
             max_iter: int = 100) -> np.ndarray:
    """networkx's pagerank of the undirected simple graph on n nodes with edges a[i]-b[i].

    The same power iteration as nx.pagerank (uniform teleport, dangling nodes
    spread evenly), on a sparse matrix: networkx's own graph of a large store's
    edges would take gigabytes.
    """
    if n == 0:
        return np.zeros(0)
    adj = adjacency(n, a, b, loops=True)
    out = np.asarray(adj.sum(axis=1)).ravel()
    walk = sparse.diags_array(np.divide(1.0, out, out=np.zeros(n), where=out != 0)) @ adj
    dangling = out == 0
    x = p = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = alpha * (x @ walk + x[dangling].sum() * p) + (1 - alpha) * p
        if np.abs(x - last).sum() < n * tol:
            break
    return x


def adjacency(n: int, a: np.ndarray, b: np.ndarray, loops: bool = False) -> sparse.csr_array:
    """The 0/1 symmetric adjacency matrix of the undirected simple graph (self-loops once, if kept)."""
    lo, hi = np.minimum(a, b).astype(np.int64), np.maximum(a, b).astype(np.int64)
    pairs = np.unique(lo * n + hi)
    lo, hi = pairs // n, pairs % n
    if not loops:
        lo, hi = lo[lo != hi], hi[lo != hi]
    off = lo != hi
    rows, cols = np.concatenate([lo, hi[off]]), np.concatenate([hi, lo[off]])
    return sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))


def importance(cat: Catalog) -> np.ndarray:
    """PageRank of every entity on the entity graph, as `policygraph analyze` computes it (documents: 0)."""
    entity = ~cat.is_document()
    compact = np.cumsum(entity) - 1  # index among entities
    both = entity[cat.src] & entity[cat.dst]
    scores = np.zeros(len(cat.ids))
    scores[entity] = pagerank(int(entity.sum()), compact[cat.src[both]], compact[cat.dst[both]])
    return scores


def ranking(cat: Catalog, scores: np.ndarray, document: np.ndarray) -> list[int]:
    """Node indices, most important first: entities by PageRank (then documents naming them), then documents."""
    out_degree = np.bincount(cat.src, minlength=len(cat.ids))
    # Rounded: scores equal but for floating-point noise (which changes with the order edges are read) tie.
    rounded = np.round(scores, 12)

    def key(i: int) -> tuple:
        if document[i]:
            return (1, 0.0, -int(out_degree[i]), cat.ids[i])
        return (0, -float(rounded[i]), -int(cat.mentions[i]), str(cat.attrs[i].get("name") or cat.ids[i]))
    return sorted(range(len(cat.ids)), key=key)


def within(adj: sparse.csr_array, start: int, depth: int) -> np.ndarray:
    """Nodes at most `depth` hops from `start`, edges taken both ways."""
    seen = np.zeros(adj.shape[0], dtype=bool)
    seen[start] = True
    frontier = seen.copy()
    for _ in range(depth):
        frontier = (adj @ frontier.astype(np.float64) > 0) & ~seen
        if not frontier.any():
            break
        seen |= frontier
    return seen


def resolve_focus(nodes: Mapping[str, dict[str, Any]] | nx.Graph, name: str) -> str:
    """The node a user means by a name, alias, id or document id (case/hyphen/space-blind)."""
    if isinstance(nodes, nx.Graph):
        nodes = nodes.nodes
    key = name_key(name)
    if not key:
        raise UsageError("--focus needs a name, e.g. --focus \"Lee Jae-myung\"")
    by_name, by_alias = [], []
    for node, attrs in nodes.items():
        if key in (name_key(node), name_key(attrs.get("name")), name_key(attrs.get("doc_id"))):
            by_name.append(node)
        elif any(name_key(a) == key for a in attrs.get("aliases") or ()):
            by_alias.append(node)
    found = by_name or by_alias
    if len(found) == 1:
        return found[0]
    if found:
        listed = "; ".join(f"{nodes[n].get('name', n)} ({n})" for n in sorted(found)[:8])
        raise UsageError(f"{name!r} names {len(found)} nodes: {listed}; pass one of the ids to --focus")
    names = {str(attrs.get("name") or node): node for node, attrs in nodes.items()}
    close = difflib.get_close_matches(name, list(names), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else \
        "; list names with: policygraph cypher \"MATCH (n:Entity) RETURN n.name ORDER BY n.name\""
    raise UsageError(f"no node is named {name!r}{hint}")


# -- choosing -----------------------------------------------------------------------------------------

def select(source: nx.MultiDiGraph | GraphSource | StoreSource, options: ViewOptions) -> View:
    """Apply the view options to a graph read with `read_graph(store, documents=True)`, or to a store."""
    if options.depth < 0:
        raise UsageError("--depth must be 0 or more")
    if options.limit is not None and options.limit < 1:
        raise UsageError("--limit must be at least 1")
    if options.max_edges is not None and options.max_edges < 0:
        raise UsageError("--max-edges must be 0 (no limit) or more")
    if isinstance(source, nx.Graph):
        source = GraphSource(source)
    types = set(parse_types(options.types))
    cat = source.catalog(documents=options.documents or DOCUMENT in types)
    if not cat.ids and source.empty():
        raise UsageError("the graph is empty: load documents first (policygraph load FOLDER)")
    scores = importance(cat)
    order = ranking(cat, scores, cat.is_document())
    focus = cat.ids.index(resolve_focus(dict(zip(cat.ids, cat.attrs)), options.focus)) if options.focus else None
    keep = choose_nodes(cat, options, types, order, focus)
    if not keep.any():
        raise UsageError("no node matches these view options: loosen --types, --min-degree or --limit")
    between = np.flatnonzero(keep[cat.src] & keep[cat.dst])
    kept = strongest_edges(cat, between, options.max_edges)
    details = source.details([cat.ids[i] for i in order if keep[i]],
                             [(cat.ids[cat.src[e]], cat.kinds[cat.kind[e]], cat.ids[cat.dst[e]]) for e in kept.tolist()])
    entity = ~cat.is_document()
    return View(graph=details.graph, importance={cat.ids[i]: float(scores[i]) for i in np.flatnonzero(entity)},
                rank={cat.ids[i]: r for r, i in enumerate(order, 1)}, documents=details.documents,
                mentions=details.mentions, focus=cat.ids[focus] if focus is not None else None,
                total_nodes=len(cat.ids), total_edges=len(cat.src), options=options,
                mention_counts=details.mention_counts, edges_between=len(between))


def choose_nodes(cat: Catalog, options: ViewOptions, types: set[str], order: list[int], focus: int | None) -> np.ndarray:
    """A mask of the nodes the options keep: ego network, types, degree in the view, then the top N."""
    keep = np.ones(len(cat.ids), dtype=bool)
    adj = adjacency(len(cat.ids), cat.src, cat.dst) if focus is not None or options.min_degree > 0 else None
    if focus is not None:
        keep = within(adj, focus, options.depth)
    if types:
        keep &= np.array([node_type(a) in types for a in cat.attrs], dtype=bool)
    if focus is not None:
        keep[focus] = True
    if options.min_degree > 0:
        neighbours = adj @ keep.astype(np.float64)  # distinct neighbours among the kept nodes
        keep &= neighbours >= options.min_degree
        if focus is not None:
            keep[focus] = True
    if options.limit is not None and keep.sum() > options.limit:
        top = [i for i in order if keep[i] and i != focus][: options.limit - (focus is not None)]
        keep = np.zeros(len(cat.ids), dtype=bool)
        keep[top + ([focus] if focus is not None else [])] = True
    return keep


def strongest_edges(cat: Catalog, between: np.ndarray, max_edges: int | None,
                    per_node: int = EDGES_PER_NODE) -> np.ndarray:
    """At most `max_edges` of the edges `between`: each node's `per_node` strongest, then the strongest left.

    Strength is the number of documents stating an edge; ties go by source, type
    and target, so the same store gives the same page.
    """
    if not max_edges or len(between) <= max_edges:
        return between
    order = between[np.lexsort((cat.dst[between], cat.kind[between], cat.src[between], -cat.weight[between]))]
    seen = np.zeros(len(cat.ids), dtype=np.int64).tolist()
    first, rest = [], []
    for e, a, b in zip(order.tolist(), cat.src[order].tolist(), cat.dst[order].tolist()):
        (first if seen[a] < per_node or seen[b] < per_node else rest).append(e)
        seen[a] += 1
        seen[b] += 1
    return np.array((first + rest)[:max_edges], dtype=np.int64)


# -- what the page shows of each node and edge ---------------------------------------------------------

def offices(attrs: dict[str, Any]) -> tuple[list[str], int]:
    """A person's role_history entries for the page (the newest NODE_OFFICES when longer) and how many there are.

    The store sends only those already, with `office_count`; a graph in memory has them all.
    """
    history = [str(h) for h in attrs.get("role_history") or ()]
    count = max(int(attrs.get("office_count") or 0), len(history))
    if len(history) > NODE_OFFICES:
        history = sorted(history, key=lambda h: (_office_date(h), h), reverse=True)[:NODE_OFFICES]
    return history, count


def _office_date(entry: str) -> str:
    return entry.split("|")[1] if entry.count("|") >= 2 else ""


def edge_docs(attrs: dict[str, Any]) -> tuple[list[str], int]:
    docs = [str(d) for d in attrs.get("doc_ids") or ()]
    return docs[:EDGE_DOCS], max(int(attrs.get("doc_count") or 0), len(docs))


def edge_evidence(attrs: dict[str, Any]) -> tuple[list[tuple[str, str]], int]:
    """The first EDGE_SENTENCES (sentence, doc_id) pairs of an edge and how many sentences it has."""
    sentences = [str(s) for s in attrs.get("evidence") or ()]
    docs = list(attrs.get("evidence_doc_ids") or ())
    shown = [(s, str(docs[j]) if j < len(docs) else "") for j, s in enumerate(sentences[:EDGE_SENTENCES])]
    return shown, max(int(attrs.get("evidence_count") or 0), len(sentences))


def cited_documents(graph: nx.MultiDiGraph, mentions: Mapping[str, list[str]]) -> set[str]:
    """The documents a page refers to: naming a shown node, stating a shown sentence or edge, or an office."""
    cited: set[str] = set()
    for node, attrs in graph.nodes(data=True):
        cited.update(mentions.get(node, ()))
        cited.update(h.split("|")[2] for h in offices(attrs)[0] if h.count("|") >= 2)
        if attrs.get("doc_id"):
            cited.add(attrs["doc_id"])
    for _, _, attrs in graph.edges(data=True):
        evidence = edge_evidence(attrs)[0]
        cited.update(doc for _, doc in evidence)
        if not evidence:  # the panel lists an edge's documents only when it has no sentence to show
            cited.update(edge_docs(attrs)[0])
    return {str(d) for d in cited if d}


def document_meta(props: Mapping[str, Any]) -> dict[str, str]:
    return {"title": props.get("title") or "", "date": props.get("date") or "", "source": props.get("source") or "",
            "file": os.path.basename(props.get("path") or "")}


def newest_first(doc_ids: Iterable[str], documents: Mapping[str, dict[str, Any]]) -> list[str]:
    """By date, newest first, then by doc_id (a reversed sort stays stable), as the store's query orders them."""
    return sorted(sorted(doc_ids), key=lambda d: documents.get(d, {}).get("date") or "", reverse=True)


# -- where the catalog and the details come from ---------------------------------------------------------

class GraphSource:
    """A networkx graph already in memory (tests, benchmarks, small graphs)."""

    def __init__(self, graph: nx.MultiDiGraph):
        self.graph = graph

    def empty(self) -> bool:
        return self.graph.number_of_nodes() == 0

    def catalog(self, documents: bool) -> Catalog:
        return graph_catalog(self.graph, documents)

    def details(self, nodes: list[str], edges: list[tuple[str, str, str]]) -> Details:
        g = self.graph
        chosen = nx.MultiDiGraph()
        chosen.add_nodes_from((n, g.nodes[n]) for n in nodes)
        chosen.add_edges_from((a, b, k, g.edges[a, b, k]) for a, k, b in edges)
        documents = documents_of(g)
        named: dict[str, list[str]] = {}
        for source, target, kind in g.in_edges(nodes, keys=True):
            if kind == MENTIONS:
                named.setdefault(target, []).append(g.nodes[source].get("doc_id") or source)
        return Details(chosen, documents, {n: newest_first(d, documents)[:NODE_DOCS] for n, d in named.items()},
                       {n: len(d) for n, d in named.items()})


def documents_of(graph: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    return {attrs["doc_id"]: document_meta(attrs) for _, attrs in graph.nodes(data=True)
            if node_type(attrs) == DOCUMENT and attrs.get("doc_id")}


ENTITY_LIST = "MATCH (n:Entity) RETURN n.id AS id, n.name AS name, n.type AS type, n.aliases AS aliases, labels(n) AS labels"
DOCUMENT_LIST = "MATCH (d:Document) RETURN d.doc_id AS doc_id, d.title AS title"
DOCUMENT_COUNT = "MATCH (d:Document) RETURN count(d) AS documents"
MENTION_COUNTS = "MATCH (:Document)-[:MENTIONS]->(n:Entity) RETURN n.id AS id, count(*) AS documents"
# One string per edge, "TYPE DOCUMENTS TARGET": the client decodes every returned value on its own, and
# three values an edge took twice as long to read. Types and counts hold no space; the target comes last.
ENTITY_EDGES = """
UNWIND $ids AS id
MATCH (a:Entity {id: id})-[e]->(b:Entity)
RETURN a.id AS source, collect(type(e) + ' ' + toString(coalesce(size(e.doc_ids), 0)) + ' ' + b.id) AS edges
"""
MENTION_EDGES = """
UNWIND $ids AS id
MATCH (d:Document {doc_id: id})-[:MENTIONS]->(n:Entity)
RETURN d.doc_id AS doc_id, collect(n.id) AS targets
"""
# What the page shows of a node; a person's offices in full only when few (hubs hold thousands).
ENTITY_DETAILS = """
UNWIND $ids AS id
MATCH (n:Entity {id: id})
WITH n, size(coalesce(n.role_history, [])) AS offices
RETURN n.id AS id, labels(n) AS labels, n.name AS name, n.type AS type, n.aliases AS aliases, n.roles AS roles,
       CASE WHEN offices <= $limit THEN n.role_history ELSE [] END AS role_history, offices AS office_count
"""
NEWEST_OFFICES = """
UNWIND $ids AS id
MATCH (n:Entity {id: id})
UNWIND n.role_history AS office
WITH n, office ORDER BY split(office, '|')[1] DESC, office DESC
WITH n, collect(office) AS offices
RETURN n.id AS id, offices[0..$limit] AS newest
"""
# Named fields, not properties(d): a document also holds the ids of every entity it names.
DOCUMENT_DETAILS = """
UNWIND $ids AS id
MATCH (d:Document {doc_id: id})
RETURN d.doc_id AS doc_id, d.title AS title, d.date AS date, d.source AS source, d.path AS path
"""
# Grouped by source: matching each edge by its two ends walks a hub's thousands of edges once per edge.
EDGE_DETAILS = """
UNWIND $groups AS g
MATCH (a:Entity {id: g.source})-[e]->(b:Entity)
WHERE b.id IN g.targets
RETURN a.id AS source, type(e) AS type, b.id AS target, e.doc_ids[0..$docs] AS doc_ids,
       size(e.doc_ids) AS doc_count, e.evidence[0..$sentences] AS evidence,
       e.evidence_doc_ids[0..$sentences] AS evidence_doc_ids, size(e.evidence) AS evidence_count,
       e.confidence AS confidence, e.rules AS rules
"""
MENTION_DETAILS = """
UNWIND $groups AS g
MATCH (d:Document {doc_id: g.source})-[m:MENTIONS]->(n:Entity)
WHERE n.id IN g.targets
RETURN d.doc_id AS source, n.id AS target, m.count AS count, m.surfaces AS surfaces
"""


def newest_mentions(store: Store) -> str:
    """Each node's count of documents naming it and the newest `$limit` of them, for a batch of `$ids`.

    Each node's documents are counted and cut on their own (a subquery per node): sorting
    every (node, document) pair of a batch at once held them all in the server. For the 2,000
    most mentioned nodes of a 100,000-article graph that took 6.9 s and raised the server's
    memory from 1,342 to 2,120 MiB, over what policygraph allows itself; this way 1.2 s and no rise.
    """
    count = store.subquery("n", "MATCH (d:Document)-[:MENTIONS]->(n)\nRETURN count(d) AS documents")
    newest = store.subquery("n", "MATCH (d:Document)-[:MENTIONS]->(n)\n"
                                 "WITH d ORDER BY coalesce(d.date, '') DESC, d.doc_id\nLIMIT $limit\n"
                                 "RETURN collect(d.doc_id) AS newest")
    return f"UNWIND $ids AS id\nMATCH (n:Entity {{id: id}})\n{count}\n{newest}\nRETURN n.id AS id, documents, newest"


class StoreSource:
    """A store, read in light batches: the whole graph never comes into memory."""

    def __init__(self, store: Store):
        self.store = store

    def empty(self) -> bool:
        return not self.store.run(DOCUMENT_COUNT).value(0)

    def catalog(self, documents: bool) -> Catalog:
        nodes = {r[0]: {"name": r[1], "type": r[2], "aliases": r[3] or [], "labels": r[4]}
                 for r in self.store.run(ENTITY_LIST).rows}
        entities = sorted(nodes)
        doc_ids: list[str] = []
        if documents:
            for doc_id, title in self.store.run(DOCUMENT_LIST).rows:
                nodes[document_node_id(doc_id)] = {"labels": [DOCUMENT], "doc_id": doc_id, "name": title or doc_id}
                doc_ids.append(doc_id)
        counts = dict(self.store.run(MENTION_COUNTS).rows)
        return build_catalog(nodes, self._edges(entities, sorted(doc_ids)), counts)

    def _edges(self, entities: list[str], doc_ids: list[str]) -> Iterator[tuple[str, str, str, int]]:
        for rows in self._batches(ENTITY_EDGES, entities):
            for source, edges in rows:
                for text in edges:
                    kind, count, target = text.split(" ", 2)
                    yield source, kind, target, int(count)
        for rows in self._batches(MENTION_EDGES, doc_ids):
            for doc_id, targets in rows:
                yield from ((document_node_id(doc_id), MENTIONS, t, 1) for t in targets)

    def _batches(self, query: str, ids: list[Any], **params: Any) -> Iterator[list[list[Any]]]:
        for start in range(0, len(ids), READ_BATCH):
            yield self.store.run(query, {"ids": ids[start:start + READ_BATCH], **params}).rows

    def details(self, nodes: list[str], edges: list[tuple[str, str, str]]) -> Details:
        chosen = nx.MultiDiGraph()
        prefix = document_node_id("")
        entities = [n for n in nodes if not n.startswith(prefix)]
        self._add_entities(chosen, entities)
        documents = self._documents([n[len(prefix):] for n in nodes if n.startswith(prefix)])
        for doc_id, props in documents.items():
            chosen.add_node(document_node_id(doc_id), labels=[DOCUMENT], name=props.get("title") or doc_id, **props)
        self._add_edges(chosen, edges)
        mentions, counts = {}, {}
        for rows in self._batches(newest_mentions(self.store), entities, limit=NODE_DOCS):
            for node, count, newest in rows:
                mentions[node], counts[node] = list(newest), int(count)
        # Titles and dates only of what the page cites: on a big graph most documents are not.
        documents.update(self._documents(sorted(cited_documents(chosen, mentions) - set(documents))))
        return Details(chosen, {d: document_meta(p) for d, p in documents.items()}, mentions, counts)

    def _add_entities(self, chosen: nx.MultiDiGraph, entities: list[str]) -> None:
        many = []
        for rows in self._batches(ENTITY_DETAILS, entities, limit=NODE_OFFICES):
            for node, labels, name, kind, aliases, roles, history, count in rows:
                chosen.add_node(node, labels=sorted(labels, key=lambda lb: (lb != "Entity", lb)), name=name, type=kind,
                                aliases=aliases or [], roles=roles or [], role_history=history or [], office_count=count)
                if count > NODE_OFFICES:
                    many.append(node)
        for rows in self._batches(NEWEST_OFFICES, many, limit=NODE_OFFICES):
            for node, newest in rows:
                chosen.nodes[node]["role_history"] = newest

    def _documents(self, doc_ids: list[str]) -> dict[str, dict[str, Any]]:
        fields = ("doc_id", "title", "date", "source", "path")
        return {row[0]: dict(zip(fields, row)) for rows in self._batches(DOCUMENT_DETAILS, doc_ids) for row in rows}

    def _add_edges(self, chosen: nx.MultiDiGraph, edges: list[tuple[str, str, str]]) -> None:
        wanted = set(edges)
        prefix = document_node_id("")
        relations = [e for e in edges if e[1] != MENTIONS]
        mentions = [(a[len(prefix):], k, b) for a, k, b in edges if k == MENTIONS]
        for rows in self._grouped(EDGE_DETAILS, relations, docs=EDGE_DOCS, sentences=EDGE_SENTENCES):
            for source, kind, target, *values in rows:
                if (source, kind, target) in wanted:  # the group query also finds the other types between a and b
                    chosen.add_edge(source, target, key=kind, type=kind, **dict(zip(
                        ("doc_ids", "doc_count", "evidence", "evidence_doc_ids", "evidence_count", "confidence",
                         "rules"), values)))
        for rows in self._grouped(MENTION_DETAILS, mentions):
            for doc_id, target, count, surfaces in rows:
                chosen.add_edge(document_node_id(doc_id), target, key=MENTIONS, type=MENTIONS, count=count,
                                surfaces=surfaces or [])

    def _grouped(self, query: str, edges: list[tuple[str, str, str]], **params: Any) -> Iterator[list[list[Any]]]:
        targets: dict[str, set[str]] = {}
        for source, _, target in edges:
            targets.setdefault(source, set()).add(target)
        groups = [{"source": s, "targets": sorted(t)} for s, t in sorted(targets.items())]
        for start in range(0, len(groups), READ_BATCH):
            yield self.store.run(query, {"groups": groups[start:start + READ_BATCH], **params}).rows
