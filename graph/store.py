"""One store interface, two backends: embedded FalkorDB and Neo4j.

Every statement on the data path is the same Cypher text on both engines;
only the schema DDL differs, and each backend keeps its own in `ensure_schema`.
"""
from __future__ import annotations

import contextlib
import os
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ContextManager

from policygraph.schema.model import RELATION_TYPES

DEFAULT_FOLDER = "policygraph-data"
GRAPH_NAME = "policygraph"
NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


@dataclass(slots=True)
class Result:
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]

    def value(self, default: Any = None) -> Any:
        return self.rows[0][0] if self.rows and self.rows[0] else default


@dataclass(frozen=True, slots=True)
class Prepared:
    """A statement with its parameters made ready to send (Store.prepare)."""

    query: str
    params: Mapping[str, Any] | None = None


class Store(ABC):
    """A graph database that policygraph reads and writes."""

    backend: str = ""
    # The statement that sets Entity.link_count, when the backend has a faster one than graph/counts.py's.
    link_counts: str = ""
    location: str = ""
    # Whether statements may call intern() to share repeated strings (FalkorDB only).
    interns_strings: bool = False

    @abstractmethod
    def run(self, query: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> Result:
        """Run one Cypher statement; read-only unless `write` is true."""

    def prepare(self, query: str, params: Mapping[str, Any] | None = None) -> Prepared:
        """Do now whatever sending the statement would do on this side of the wire.

        The writer prepares the next batch on its own thread while the server runs
        the last one, so encoding parameters costs no time on the path to the server.
        """
        return Prepared(query, params)

    def run_prepared(self, prepared: Prepared, *, write: bool = False) -> Result:
        return self.run(prepared.query, prepared.params, write=write)

    def adjacency(self, ids: list[str], relation_type: str, outgoing: bool,
                  within: list[str] | None = None) -> list[tuple[str, list[str]]]:
        """For each entity of `ids` that has any: the ids of the entities its `relation_type`
        edges lead to (`outgoing`) or come from, only those of `within` if given. One step
        of a graph search (queries/paths.py)."""
        statement = adjacency_statement(relation_type, outgoing, within=within is not None)
        params = {"ids": ids} if within is None else {"ids": ids, "within": within}
        return [(id_, list(found)) for id_, found in self.run(statement, params).rows]

    def bulk_writes(self) -> ContextManager[None]:
        """A block of many writes (a load): the store may defer its own housekeeping until it ends."""
        return contextlib.nullcontext()

    @abstractmethod
    def ensure_schema(self) -> None:
        """Create the indexes and constraints the writer relies on (idempotent)."""

    @abstractmethod
    def close(self) -> None:
        """Release connections (and stop an embedded server nobody else uses)."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def adjacency_statement(relation_type: str, outgoing: bool, found: str = "collect(m.id)",
                        within: bool = False) -> str:
    """Store.adjacency's statement; `found` is what it returns of each entity's neighbours.

    With `within`, the neighbours are matched first (from $within) and each edge is looked
    up between two known entities: a check of 30,000 pairs takes 5 ms where reading the
    edges of an industry's 3,600 neighbours takes more.
    """
    if relation_type not in RELATION_TYPES:
        raise ValueError(f"{relation_type!r} is not a relation type")
    arrow = f"-[:{relation_type}]->" if outgoing else f"<-[:{relation_type}]-"
    if not within:
        return f"UNWIND $ids AS id\nMATCH (n:Entity {{id: id}}){arrow}(m:Entity)\nRETURN id, {found} AS found"
    return (f"UNWIND $within AS other\nMATCH (m:Entity {{id: other}})\nWITH collect(m) AS candidates\n"
            f"UNWIND $ids AS id\nMATCH (n:Entity {{id: id}})\nUNWIND candidates AS m\n"
            f"MATCH (n){arrow}(m)\nRETURN id, {found} AS found")


def default_location() -> str:
    return os.environ.get("POLICYGRAPH_STORE") or DEFAULT_FOLDER


def open_store(location: str | os.PathLike | None = None, **options: Any) -> Store:
    """Open the store at `location`: a data folder (embedded FalkorDB) or a Neo4j URI.

    >>> with open_store("./policygraph-data") as store:   # doctest: +SKIP
    ...     store.run("MATCH (n:Entity) RETURN count(n)").value()
    """
    where = str(location or default_location())
    if where.startswith(NEO4J_SCHEMES):
        from policygraph.graph.neo4j_store import Neo4jStore

        store: Store = Neo4jStore(where, **options)
    else:
        from policygraph.graph.falkordb_store import FalkorDBStore

        store = FalkorDBStore(where, **options)
    store.ensure_schema()
    from policygraph.graph.counts import ensure_counts

    ensure_counts(store)
    return store
