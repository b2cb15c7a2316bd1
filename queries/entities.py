"""The `entities` named query, one entity type at a time.

entities.cypher orders every entity by type, then name, and keeps the first
`limit`. On 100,000 articles that sorts 55,000 entities for every call (15-22 ms),
though the first page usually comes from one type. This module runs the same
statement once per type, in the order the rows come in, each time matching only
that type's label and asking only for the rows still missing, and stops when it
has `limit` of them: the first page without a filter reads the 231 cities alone.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from policygraph.graph.store import Result, Store
from policygraph.schema.model import ENTITY_TYPES

EVERY_ENTITY = re.compile(r"\bMATCH \(n:Entity\)")  # in entities.cypher, once
Note = Callable[[str], None]


def by_type(text: str, type_: str) -> str:
    """entities.cypher matching only the label of `type_`, one of the schema's fixed names.

    The statement still compares `n.type` with the wanted type, so an entity
    counts under its own type only, whatever other labels it carries.
    """
    if type_ not in ENTITY_TYPES:
        raise ValueError(f"{type_!r} is not an entity type of the schema")
    by_label, found = EVERY_ENTITY.subn(f"MATCH (n:{type_})", text)
    if found != 1:
        raise ValueError("entities.cypher must match its entities once, with MATCH (n:Entity)")
    return by_label


def run(store: Store, params: dict[str, Any], note: Note | None = None) -> Result:
    """The rows of entities.cypher for its bound `params`, type by type in the order it sorts them."""
    from policygraph.queries.named import get  # named lists this module among its programs

    text = get("entities").text
    limit, wanted = params.get("limit"), params.get("type")
    if not isinstance(limit, int) or limit <= 0:
        return store.run(text, params)  # nothing to save, and the same answer or error
    types = sorted(t for t in ENTITY_TYPES if wanted is None or t.lower() == str(wanted).lower())
    result = Result()
    for type_ in types:
        part = store.run(by_type(text, type_), {**params, "type": type_, "limit": limit - len(result.rows)})
        result.columns = part.columns
        result.rows += part.rows
        if len(result.rows) >= limit:
            break
    if not result.columns:  # a type the schema does not know: the statement's own empty answer
        return store.run(text, params)
    return result
