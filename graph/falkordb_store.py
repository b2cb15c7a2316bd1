"""The embedded default store: FalkorDB in a child process of this one."""
from __future__ import annotations

import atexit
import logging
from collections.abc import Mapping
from typing import Any, ContextManager

import redis
from falkordb import FalkorDB

from policygraph.errors import QueryError, StoreError
from policygraph.graph.params import cypher_value
from policygraph.graph.refresh import Usage
from policygraph.graph.server import EmbeddedServer, write_failure
from policygraph.graph.store import GRAPH_NAME, Prepared, Result, Store
from policygraph.graph.values import plain
from policygraph.graph.watchdog import StallWatch
from policygraph.schema.model import RELATION_TYPES

# (label, property) pairs the writer looks up on every MERGE, and Entity.keys, a list the
# name resolver looks up with `$key IN n.keys` (FalkorDB's range indexes hold array elements).
INDEXES = (("Entity", "id"), ("Document", "doc_id"), ("Entity", "name"), ("Entity", "keys"))
UNIQUE = (("Entity", "id"), ("Document", "doc_id"))
# In no entity id: policygraph makes ids from slugs (schema/ids.py) and `import` refuses
# ids with control characters.
ID_SEPARATOR = "\x1f"


_TYPES = ", ".join(f"'{t}'" for t in RELATION_TYPES)
log = logging.getLogger("policygraph")


class FalkorDBStore(Store):
    backend = "falkordb"
    # FalkorDB counts a node's edges of given types without matching them: 0.8 s on a
    # 100,000-article graph (two million edge ends), against 3 s for counts.LINK_COUNTS.
    link_counts = f"""
MATCH (n:Entity)
WITH n, outdegree(n, {_TYPES}) + indegree(n, {_TYPES}) AS links
WHERE n.link_count IS NULL OR n.link_count <> links
SET n.link_count = links
"""
    interns_strings = True

    def __init__(self, folder: str, graph: str = GRAPH_NAME, timeout_ms: int | None = None):
        self.server = EmbeddedServer(folder)
        self.location = str(self.server.folder)
        self.timeout_ms = timeout_ms
        socket = self.server.attach()
        self._db = FalkorDB(unix_socket_path=socket, client_name=self.server.client_name)
        self.graph = self._db.select_graph(graph)
        self._graph_name = graph
        self._closed = False
        self._watch = StallWatch(self.server)
        atexit.register(self.close)

    def run(self, query: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> Result:
        return self.run_prepared(self.prepare(query, params), write=write)

    def prepare(self, query: str, params: Mapping[str, Any] | None = None) -> Prepared:
        """The statement with its parameters as FalkorDB takes them: a `CYPHER name=value ...` header.

        Encoding a batch's rows in Python costs about as much as the server's own work on
        them; done here, on the writer's thread, it overlaps with the previous batch.
        """
        if not params:
            return Prepared(query)
        for name in params:
            if not str(name) or "`" in str(name):
                raise QueryError(f"{name!r} cannot name a parameter: use letters, digits and _")
        header = " ".join(f"`{name}`={cypher_value(value)}" for name, value in params.items())
        return Prepared(f"CYPHER {header} {query}")

    def run_prepared(self, prepared: Prepared, *, write: bool = False) -> Result:
        try:
            res = self._query(prepared, write)
        except StoreError:
            if not self._watch.take_kill():
                raise
            # Another server on the same files. It reads back every write the old one logged, which
            # is not quite every write it answered: with `appendfsync everysec` a write is answered
            # first and held back from the log for up to 2 s while the last second's fsync runs.
            self.server.attach()
            self.restarts += 1
            # Writes inside bulk_writes() are policygraph's own, each safe to send twice.
            if write and not self.server.bulk_blocks:
                raise StoreError(f"the embedded server at {self.location} stopped working in the middle of this "
                                 "write and was restarted; the write may not have taken effect: check the "
                                 "graph and run it again") from None
            log.warning("restarted the embedded server at %s; sending the statement again", self.location)
            res = self._query(prepared, write)
        columns = [str(h[1]) if isinstance(h, (list, tuple)) else str(h) for h in (res.header or [])]
        rows = [[plain(v) for v in row] for row in (res.result_set or [])]
        return Result(columns, rows, _stats(res))

    def _query(self, prepared: Prepared, write: bool) -> Any:
        call = self.graph.query if write else self.graph.ro_query
        try:
            with self._watch.statement():
                return call(prepared.query, None, timeout=self.timeout_ms)
        except redis.ResponseError as exc:
            if str(exc).startswith("MISCONF"):  # the server cannot persist: a store problem, not the query's
                raise StoreError(write_failure(self.server.folder, exc)) from None
            raise QueryError(_reason(exc, write)) from exc
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            raise StoreError(f"lost the embedded server at {self.location}: {exc}; run the command again") from exc

    # A search seeks each frontier entity eight times a step (once per relation type and
    # direction): by the internal node id a seek takes 0.8 us, by the id index 3.6.
    # FalkorDB reuses the ids of deleted nodes: a key could name another entity only if a
    # write deleted one and made another between two statements of one search (milliseconds).
    search_seek = staticmethod(lambda var, key: f"MATCH ({var}) WHERE id({var}) = {key}")
    # FalkorDB knows only the older form of a subquery's scope, which Neo4j 5 deprecates.
    subquery = staticmethod(lambda scope, body: f"CALL {{\nWITH {scope}\n{body}\n}}")
    # The Python client decodes a list value by value (4 us each: 90 ms for a hub's
    # 22,000 neighbours); one joined string per entity decodes in a fraction of that.
    search_key = staticmethod(lambda var: f"id({var})")
    _found = "string.join(collect(toString(id(m))), $separator)"

    def _split(self, found: Any) -> list[str]:
        return found.split(ID_SEPARATOR)

    def _keyed(self, keys: list[str], within: list[str] | None = None) -> dict[str, Any]:
        # Sent as numbers: `id(n) = toInteger(key)` would scan every node instead of seeking.
        params: dict[str, Any] = {"ids": [int(k) for k in keys], "separator": ID_SEPARATOR}
        if within is not None:
            params["within"] = [int(k) for k in within]
        return params

    def bulk_writes(self) -> ContextManager[None]:
        return self.server.bulk_writes()

    def wait_for_housekeeping(self) -> float:
        return self.server.wait_for_fork()

    def server_usage(self) -> Usage | None:
        cpu, resident = self.server.cpu_seconds(), self.server.resident_bytes()
        return None if cpu is None or resident is None else Usage(cpu, resident)

    def settle(self) -> bool:
        try:
            labels = [row[0] for row in self.run("CALL db.labels()").rows]
            types = [row[0] for row in self.run("CALL db.relationshipTypes()").rows]
            self.run(settle_statement(labels, types))
        except QueryError as exc:  # only an optimisation: the load goes on without it
            log.debug("could not settle the store at %s: %s", self.location, exc)
            return False
        return True

    def refresh(self) -> bool:
        if not self.server.restart():
            return False
        # The client's connections went with the old server; the next statement opens another.
        self._db.connection.connection_pool.disconnect()
        return True

    def ensure_schema(self) -> None:
        existing = self._indexed()
        for label, prop in INDEXES:
            if (label, prop) in existing:
                continue
            try:
                self.run(f"CREATE INDEX FOR (n:{label}) ON (n.{prop})", write=True)
            except QueryError as exc:
                # Another process opening the same store created it between our check and now.
                if "already indexed" not in str(exc):
                    raise
        for label, prop in UNIQUE:
            try:
                self._db.connection.execute_command(
                    "GRAPH.CONSTRAINT", "CREATE", self._graph_name, "UNIQUE", "NODE", label, "PROPERTIES", "1", prop)
            except redis.ResponseError as exc:
                if "already exists" not in str(exc).lower():
                    raise StoreError(f"cannot create the unique constraint on {label}.{prop}: {exc}") from exc

    def _indexed(self) -> set[tuple[str, str]]:
        try:
            res = self.graph.ro_query("CALL db.indexes() YIELD label, properties RETURN label, properties")
        except redis.ResponseError:
            return set()
        return {(row[0], p) for row in res.result_set for p in row[1]}

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._watch.stop()
        try:
            self._db.connection.close()
        except Exception:  # noqa: BLE001 - the server may be gone already
            pass
        self.server.detach()


def settle_statement(labels: list[str], types: list[str]) -> str:
    """A read-only statement that fetches every matrix of the graph: each label's and each
    relation type's, the node-label matrix (`labels()`) and the adjacency matrix (an untyped step).

    FalkorDB keeps a write's new matrix entries in a delta matrix and folds them into the main
    one only when a query fetches the matrix under the policy of reads, once 10,000 are pending
    (DELTA_MAX_PENDING_CHANGES); writes never fold them. A load sends nothing but writes, so
    every entry since the server started stayed pending, and each write that reads a matrix
    (a node's labels when it is SET, an edge's existence when it is MERGEd) merged all of them
    again first: about 20,000 articles into a load, 96,909 node labels pending (541 with settles).
    """
    first = "MATCH (a) WITH a LIMIT 1"  # one node that exists, whatever ids a `forget` freed
    # A name with a backtick is none of policygraph's (an analyst's `query --write`): skipped.
    parts = [f"MATCH (n:`{label}`) RETURN id(n) AS x LIMIT 1" for label in labels if "`" not in label]
    parts += [f"{first} MATCH (a)-[:`{t}`]->(b) RETURN id(b) AS x LIMIT 1" for t in types if "`" not in t]
    parts += [f"{first} RETURN size(labels(a)) AS x", f"{first} MATCH (a)-->(b) RETURN id(b) AS x LIMIT 1"]
    return "\nUNION ALL\n".join(parts)


def _reason(exc: Exception, write: bool) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "read-only" in text.lower():
        return f"this query writes to the graph: {text}; add --write if that is what you want"
    return f"the store rejected the query: {text}"


def _stats(res: Any) -> dict[str, Any]:
    out = {}
    for key in ("nodes_created", "nodes_deleted", "relationships_created", "relationships_deleted",
                "properties_set", "labels_added"):
        value = getattr(res, key, None)
        if value:
            out[key] = value
    return out
