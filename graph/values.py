"""Turn driver values (nodes, edges, paths) into plain Python data."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    nodes = getattr(value, "nodes", None)
    if callable(nodes) and hasattr(value, "edges"):  # a FalkorDB Path
        return {"nodes": [plain(n) for n in value.nodes()], "edges": [plain(e) for e in value.edges()]}
    if hasattr(value, "labels") and hasattr(value, "properties"):  # a FalkorDB Node
        return {"labels": list(value.labels or []), **plain(value.properties or {})}
    if hasattr(value, "relation") and hasattr(value, "properties"):  # a FalkorDB Edge
        return {"type": value.relation, **plain(value.properties or {})}
    if hasattr(value, "labels") and hasattr(value, "items"):  # a neo4j Node
        return {"labels": sorted(value.labels), **plain(dict(value.items()))}
    if hasattr(value, "type") and hasattr(value, "items"):  # a neo4j Relationship
        return {"type": value.type, **plain(dict(value.items()))}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return str(value)
