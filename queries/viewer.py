"""Which part of the graph a viewer page shows, and how important each node is.

The page itself is written by `viewer_page`; this module only chooses: the
Document nodes or not, an ego network around one actor (named by any alias),
entity types, a minimum number of neighbours and the N most important nodes.
Importance is the PageRank of `policygraph analyze` (queries/analytics.py) on
the entity graph; ties, such as entities no relation connects yet, go to the
one more documents name. Documents rank after every entity.
"""
from __future__ import annotations

import difflib
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from policygraph.errors import UsageError
from policygraph.queries import analytics
from policygraph.schema.model import ENTITY_TYPES

DOCUMENT = "Document"
VIEW_TYPES = (*ENTITY_TYPES, DOCUMENT)
BETWEENNESS_SAMPLE = 16


@dataclass(slots=True)
class ViewOptions:
    documents: bool = False  # show Document nodes and MENTIONS edges
    focus: str | None = None  # a name, alias or id: show its ego network
    depth: int = 1  # hops around the focus
    types: tuple[str, ...] = ()  # entity types to keep (empty: all)
    min_degree: int = 0  # keep nodes with at least this many neighbours in the view
    limit: int | None = None  # keep the N most important nodes
    title: str = "policygraph"


@dataclass(slots=True)
class View:
    """The chosen subgraph and what the page needs to explain it."""

    graph: nx.MultiDiGraph
    importance: dict[str, float]  # PageRank of each entity on the entity graph
    rank: dict[str, int]  # 1 = most important among the nodes the view could show
    documents: dict[str, dict[str, Any]]  # doc_id -> title, date, source, path
    mentions: dict[str, list[str]]  # entity id -> doc_ids that name it
    focus: str | None = None
    total_nodes: int = 0  # what the view could show before focus, types, degree and limit
    total_edges: int = 0
    options: ViewOptions = field(default_factory=ViewOptions)


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


def importance(graph: nx.MultiDiGraph) -> dict[str, float]:
    """PageRank of every entity, as `policygraph analyze` computes it (documents get none)."""
    entities = graph.subgraph([n for n, a in graph.nodes(data=True) if node_type(a) != DOCUMENT])
    if entities.number_of_nodes() == 0:
        return {}
    # Betweenness comes along with centrality(); a small sample keeps it cheap, the viewer does not use it.
    scores = analytics.centrality(entities, sample=BETWEENNESS_SAMPLE)
    return {rec["id"]: float(rec["pagerank"]) for rec in scores.records()}


def ranking(graph: nx.MultiDiGraph, scores: dict[str, float], mentions: dict[str, list[str]]) -> list[str]:
    """Most important first: entities by PageRank (then by documents naming them), then documents."""
    def key(node: str) -> tuple:
        attrs = graph.nodes[node]
        if node_type(attrs) == DOCUMENT:
            return (1, 0.0, -graph.out_degree(node), str(node))
        return (0, -scores.get(node, 0.0), -len(mentions.get(node, ())), str(attrs.get("name") or node))
    return sorted(graph, key=key)


def resolve_focus(graph: nx.MultiDiGraph, name: str) -> str:
    """The node a user means by a name, alias, id or document id (case/hyphen/space-blind)."""
    key = name_key(name)
    if not key:
        raise UsageError("--focus needs a name, e.g. --focus \"Lee Jae-myung\"")
    by_name, by_alias = [], []
    for node, attrs in graph.nodes(data=True):
        if key in (name_key(node), name_key(attrs.get("name")), name_key(attrs.get("doc_id"))):
            by_name.append(node)
        elif any(name_key(a) == key for a in attrs.get("aliases") or ()):
            by_alias.append(node)
    found = by_name or by_alias
    if len(found) == 1:
        return found[0]
    if found:
        listed = "; ".join(f"{graph.nodes[n].get('name', n)} ({n})" for n in sorted(found)[:8])
        raise UsageError(f"{name!r} names {len(found)} nodes: {listed}; pass one of the ids to --focus")
    names = {str(attrs.get("name") or node): node for node, attrs in graph.nodes(data=True)}
    close = difflib.get_close_matches(name, list(names), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else \
        "; list names with: policygraph cypher \"MATCH (n:Entity) RETURN n.name ORDER BY n.name\""
    raise UsageError(f"no node is named {name!r}{hint}")


def select(graph: nx.MultiDiGraph, options: ViewOptions) -> View:
    """Apply the view options to a graph read with `graph.export.read_graph(store, documents=True)`."""
    if options.depth < 0:
        raise UsageError("--depth must be 0 or more")
    if options.limit is not None and options.limit < 1:
        raise UsageError("--limit must be at least 1")
    if graph.number_of_nodes() == 0:
        raise UsageError("the graph is empty: load documents first (policygraph load FOLDER)")
    scores = importance(graph)
    mentions = mentions_of(graph)
    types = set(parse_types(options.types))
    view = graph if options.documents or DOCUMENT in types else \
        graph.subgraph([n for n, a in graph.nodes(data=True) if node_type(a) != DOCUMENT])
    ordered = ranking(view, scores, mentions)
    rank = {n: i for i, n in enumerate(ordered, 1)}
    focus = resolve_focus(view, options.focus) if options.focus else None
    keep = set(view)
    if focus is not None:
        keep = set(nx.ego_graph(view, focus, radius=options.depth, undirected=True))
    if types:
        keep = {n for n in keep if n == focus or node_type(view.nodes[n]) in types}
    if options.min_degree > 0:
        sub = view.subgraph(keep)
        keep = {n for n in keep if n == focus or len(set(sub.successors(n)) | set(sub.predecessors(n))) >= options.min_degree}
    if options.limit is not None and len(keep) > options.limit:
        top = [n for n in ordered if n in keep and n != focus][: options.limit - (focus is not None)]
        keep = set(top) | ({focus} if focus is not None else set())
    if not keep:
        raise UsageError("no node matches these view options: loosen --types, --min-degree or --limit")
    chosen = nx.MultiDiGraph(view.subgraph(keep))
    return View(graph=chosen, importance=scores, rank=rank, documents=documents_of(graph),
                mentions=mentions, focus=focus, total_nodes=view.number_of_nodes(),
                total_edges=view.number_of_edges(), options=options)


def documents_of(graph: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    out = {}
    for _, attrs in graph.nodes(data=True):
        if node_type(attrs) == DOCUMENT and attrs.get("doc_id"):
            out[attrs["doc_id"]] = {"title": attrs.get("title") or "", "date": attrs.get("date") or "",
                                    "source": attrs.get("source") or "",
                                    "file": os.path.basename(attrs.get("path") or "")}
    return out


def mentions_of(graph: nx.MultiDiGraph) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for source, target, attrs in graph.edges(data=True):
        if attrs.get("type") == "MENTIONS":
            out.setdefault(target, []).append(graph.nodes[source].get("doc_id") or source)
    return out
