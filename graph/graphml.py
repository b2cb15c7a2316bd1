"""GraphML for Gephi and yEd, written by networkx.

GraphML attributes are scalars (string, int, double, boolean), so list and map
values (aliases, evidence, doc_ids, ...) are written as JSON text; an
attribute whose type differs between elements is written as text throughout.
Nodes get a `label` (their name) and edges a `label` (their type), the
attribute Gephi and yEd show.
"""
from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import networkx as nx


def to_graphml(graph: nx.MultiDiGraph) -> str:
    return "\n".join(nx.generate_graphml(graphml_ready(graph), prettyprint=True))


def graphml_ready(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attribute values GraphML can hold."""
    out = nx.MultiDiGraph()
    node_attrs = {n: _scalars(d) | {"label": str(d.get("name", n))} for n, d in graph.nodes(data=True)}
    edge_attrs = [(a, b, k, _scalars(d) | {"label": str(d.get("type", k))})
                  for a, b, k, d in graph.edges(keys=True, data=True)]
    _unify([*node_attrs.values()])
    _unify([d for *_, d in edge_attrs])
    for node, data in node_attrs.items():
        out.add_node(node, **data)
    for a, b, k, data in edge_attrs:
        out.add_edge(a, b, key=k, **data)
    return out


def _scalars(data: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple, dict)):
            value = json.dumps(value, ensure_ascii=False)
        out[key] = value
    return out


def _unify(records: list[dict[str, Any]]) -> None:
    """One GraphML type per attribute: int+float become float, anything else mixed becomes text."""
    kinds: dict[str, set[type]] = defaultdict(set)
    for record in records:
        for key, value in record.items():
            kinds[key].add(type(value))
    for key, types in kinds.items():
        if len(types) <= 1:
            continue
        cast = float if types <= {int, float} else _text
        for record in records:
            if key in record:
                record[key] = cast(record[key])


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
