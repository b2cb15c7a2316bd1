"""One store interface, two backends: embedded FalkorDB and Neo4j.

Every statement on the data path is the same Cypher text on both engines;
only the schema DDL differs, and each backend keeps its own in `ensure_schema`.
"""
from __future__ import annotations

import contextlib
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ContextManager

from policygraph.errors import StoreError
from policygraph.graph.refresh import Usage
from policygraph.schema.model import RELATION_TYPES

DEFAULT_FOLDER = "policygraph-data"
GRAPH_NAME = "policygraph"
# The relation types and directions a graph search steps along (Store.neighbours).
STEPS: tuple[tuple[str, bool], ...] = tuple((t, outgoing) for t in RELATION_TYPES for outgoing in (True, False))
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
    # How many times the store replaced its server (a hung one) since it was opened. Writes the
    # old server answered in its last moments may be lost with it (see graph/falkordb_store.py):
    # whoever wrote in bulk meanwhile checks its work (api.load, graph/importer.py).
    restarts: int = 0

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

    # A graph search (queries/paths.py) names the entities it has reached by a key of the
    # backend's choosing: the entity id here, a quicker one where a backend has it.
    search_seek: Callable[[str, str], str] = staticmethod(lambda var, key: f"MATCH ({var}:Entity {{id: {key}}})")
    # The search key of the entity `var`, as a statement returns it.
    search_key: Callable[[str], str] = staticmethod(lambda var: f"{var}.id")
    # A CALL subquery that sees the outer variables `scope` ("n" or "a, b"), in the form Neo4j 5 asks for.
    subquery: Callable[[str, str], str] = staticmethod(lambda scope, body: f"CALL ({scope}) {{\n{body}\n}}")

    def search_keys(self, ids: list[str]) -> dict[str, str]:
        """The search key of each entity of `ids` there is (its id, on this backend)."""
        statement = search_statement("keys", self.search_seek, self.search_key("n"))
        return {id_: str(key) for id_, key in self.run(statement, {"ids": ids}).rows}

    def neighbours(self, keys: list[str], within: list[str] | None = None) -> list[tuple[str, bool, str, list[str]]]:
        """One step of a graph search (queries/paths.py), in one statement: for each entity of
        `keys` (search keys) and each relation type and direction it has edges of, the row
        (type, outgoing, key, the keys of the entities at their other ends), only those of
        `within` if given."""
        statement = neighbours_statement(self._found, within is not None, self.search_seek)
        rows = self.run(statement, self._keyed(keys, within)).rows
        return [(*STEPS[step], str(key), self._split(found)) for step, key, found in rows]

    def link_total(self, keys: list[str]) -> int:
        """The edges the search walks, summed over these entities; one per entity without a count."""
        return self.run(search_statement("link_total", self.search_seek), self._keyed(keys)).value() or 0

    def search_names(self, keys: list[str]) -> dict[str, tuple[str, str]]:
        """Each key's entity id and name."""
        rows = self.run(search_statement("names", self.search_seek), self._keyed(keys)).rows
        return {str(key): (id_, name) for key, id_, name in rows}

    # What the adjacency statement returns of each entity's neighbours, and how it is read.
    _found = "collect(m.id)"

    def _split(self, found: Any) -> list[str]:
        return list(found)

    def _keyed(self, keys: list[str], within: list[str] | None = None) -> dict[str, Any]:
        """The statement's parameters for these keys (as the server compares them)."""
        return {"ids": keys} if within is None else {"ids": keys, "within": within}

    def bulk_writes(self) -> ContextManager[None]:
        """A block of many writes (a load): the store may defer its own housekeeping until it ends."""
        return contextlib.nullcontext()

    def server_usage(self) -> Usage | None:
        """The CPU time and memory the store's embedded server has used, or None (no such server)."""
        return None

    def settle(self) -> bool:
        """Let the store fold what a long write left pending into its matrices; whether it did
        (False: a store that needs no such upkeep).

        Between two statements of a long write only (graph/refresh.py)."""
        return False

    def refresh(self) -> bool:
        """Restart the store's embedded server, if it has one that nobody else uses; whether it did.

        Between two statements of a long write only (graph/refresh.py): what was written stays.
        """
        return False

    def wait_for_housekeeping(self) -> float:
        """Before a write of a bulk block: let housekeeping the next write would make costlier finish
        first; the seconds waited."""
        return 0.0

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
                        within: bool = False, seek: Callable[[str, str], str] | None = None,
                        step: int | None = None) -> str:
    """One relation type and direction of a search step; `found` is what it returns of each
    entity's neighbours, `seek` how it finds an entity by its search key (the id, by default),
    `step` a number to return first in each row.

    With `within`, the neighbours are matched first (from $within) and each edge is looked
    up between two known entities: a check of 30,000 pairs takes 5 ms where reading the
    edges of an industry's 3,600 neighbours takes more.
    """
    if relation_type not in RELATION_TYPES:
        raise ValueError(f"{relation_type!r} is not a relation type")
    seek = seek or Store.search_seek
    arrow = f"-[:{relation_type}]->" if outgoing else f"<-[:{relation_type}]-"
    returned = f"RETURN id, {found} AS found" if step is None else f"RETURN {int(step)} AS step, id, {found} AS found"
    if not within:
        return f"UNWIND $ids AS id\n{seek('n', 'id')}\nMATCH (n){arrow}(m:Entity)\n{returned}"
    return (f"UNWIND $within AS other\n{seek('m', 'other')}\nWITH collect(m) AS candidates\n"
            f"UNWIND $ids AS id\n{seek('n', 'id')}\nUNWIND candidates AS m\n"
            f"MATCH (n){arrow}(m)\n{returned}")


def neighbours_statement(found: str = "collect(m.id)", within: bool = False,
                         seek: Callable[[str, str], str] | None = None) -> str:
    """Store.neighbours's statement: a step along every relation type both ways (STEPS) as one
    UNION ALL, each row numbered by its place in STEPS. One statement instead of eight saves
    1.3 ms a step between two small frontiers on FalkorDB, 4 ms for a thousand entities."""
    return "\nUNION ALL\n".join(adjacency_statement(rel_type, outgoing, found, within, seek, step)
                                 for step, (rel_type, outgoing) in enumerate(STEPS))


def search_statement(kind: str, seek: Callable[[str, str], str] | None = None, key: str = "n.id") -> str:
    """The other statements of a graph search, by search key: each entity's key ("keys"), the
    edges of some entities ("link_total") and their ids and names ("names")."""
    entity = (seek or Store.search_seek)("n", "id")
    statements = {
        "keys": f"UNWIND $ids AS id\nMATCH (n:Entity {{id: id}})\nRETURN id, {key} AS key",
        # A store without link counts reads as one edge per entity: the smaller frontier is expanded.
        "link_total": f"UNWIND $ids AS id\n{entity}\nRETURN sum(coalesce(n.link_count, 1)) AS links",
        "names": f"UNWIND $ids AS id\n{entity}\nRETURN id, n.id AS entity, n.name AS name",
    }
    return statements[kind]


# A hung embedded server is replaced and the command goes on (graph/watchdog.py); a load or
# an import that has written everything again this many times, each after a replacement,
# stops instead.
WRITE_PASSES = 5


def replaced_too_often(store: Store, command: str, then: str) -> StoreError:
    """The error of a `command` ("load", "import") whose server was replaced WRITE_PASSES times."""
    return StoreError(f"the embedded server at {store.location} had to be replaced {WRITE_PASSES} times during "
                      f"this {command}; see {store.location}/server.log, then {then}")


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
