"""Read the whole graph out of a store, as networkx and as node-link JSON."""
from __future__ import annotations

import json
import os
from typing import Any, TextIO

import networkx as nx

from policygraph.graph.counts import DERIVED_EDGE_PROPS, DERIVED_NODE_PROPS
from policygraph.graph.store import Store

ENTITIES = "MATCH (n:Entity) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props ORDER BY id"
DOCUMENTS = "MATCH (d:Document) RETURN d.doc_id AS doc_id, properties(d) AS props ORDER BY doc_id"
RELATIONS = """
MATCH (a:Entity)-[e]->(b:Entity)
RETURN a.id AS source, type(e) AS type, b.id AS target, properties(e) AS props
ORDER BY source, type, target
"""
MENTIONS = """
MATCH (d:Document)-[m:MENTIONS]->(n:Entity)
RETURN d.doc_id AS doc_id, n.id AS target, properties(m) AS props
ORDER BY doc_id, target
"""


def document_node_id(doc_id: str) -> str:
    return f"document:{doc_id}"


def read_graph(store: Store, *, documents: bool = True) -> nx.MultiDiGraph:
    """The store's graph as a networkx MultiDiGraph (node and edge attributes = properties)."""
    g = nx.MultiDiGraph()
    for rec in store.run(ENTITIES).records():
        labels = sorted(rec["labels"], key=lambda label: (label != "Entity", label))
        # Derived data (the name resolver's keys, the counts of graph/counts.py): not part of the model.
        g.add_node(rec["id"], labels=labels, **_clean(rec["props"], drop=("id", *DERIVED_NODE_PROPS)))
    for rec in store.run(RELATIONS).records():
        g.add_edge(rec["source"], rec["target"], key=rec["type"], type=rec["type"],
                   **_clean(rec["props"], drop=DERIVED_EDGE_PROPS))
    if documents:
        for rec in store.run(DOCUMENTS).records():
            g.add_node(document_node_id(rec["doc_id"]), labels=["Document"], name=rec["props"].get("title") or rec["doc_id"],
                       **_clean(rec["props"], drop=("name",)))
        for rec in store.run(MENTIONS).records():
            g.add_edge(document_node_id(rec["doc_id"]), rec["target"], key="MENTIONS", type="MENTIONS",
                       **_clean(rec["props"]))
    return g


def node_link(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """networkx's node-link layout with links under "links" (the scorer's contract)."""
    data = nx.node_link_data(graph, edges="links")
    for node in data["nodes"]:
        node.setdefault("name", node["id"])
        if "Document" not in node.get("labels", []):
            node.setdefault("aliases", [])
    return data


def export_node_link(store: Store, out: str | os.PathLike | TextIO | None = None, *, documents: bool = True) -> dict[str, Any]:
    data = node_link(read_graph(store, documents=documents))
    if out is not None:
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
        if hasattr(out, "write"):
            out.write(text + "\n")
        else:
            with open(out, "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
    return data


def _clean(props: dict[str, Any], drop: tuple[str, ...] = ()) -> dict[str, Any]:
    reserved = {"labels", "source", "target", "key", *drop}
    return {k: v for k, v in (props or {}).items() if k not in reserved}
