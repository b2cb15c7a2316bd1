"""The Neo4j store: a Neo4j 5 server, cluster or Aura through the official driver.

Credentials come only from NEO4J_USER / NEO4J_PASSWORD and never appear in a
message: every error text is scrubbed of them. Writes run in managed write
transactions (`execute_write`, so transient errors such as leader switches and
deadlocks are retried by the driver); reads run in read transactions, so the
server itself refuses a write that was not asked for.
"""
from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import neo4j
import neo4j.graph
from neo4j import exceptions as neo

from policygraph.errors import QueryError, StoreError
from policygraph.graph.store import Result, Store
from policygraph.graph.values import plain

# The Neo4j 5 schema, the only Neo4j-specific Cypher: the data path shares its
# text with FalkorDB (graph/statements.py, graph/export.py). Entity.keys, the list the name
# resolver looks up, gets no index: Neo4j indexes no list membership, so `$key IN n.keys`
# scans the entities there (still correct, as on a store written before keys existed).
SCHEMA_DDL = (
    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT document_doc_id IF NOT EXISTS FOR (d:Document) REQUIRE d.doc_id IS UNIQUE",
    "CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name)",
    "CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (n:Entity) ON EACH [n.name, n.aliases]",
)

# The driver warns through logging (e.g. "Unable to retrieve routing information"); without a handler
# Python would print that on stderr next to our own one-line message.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

USER_ENV, PASSWORD_ENV, DATABASE_ENV = "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"
COUNTERS = ("nodes_created", "nodes_deleted", "relationships_created", "relationships_deleted",
            "properties_set", "labels_added")


class Neo4jStore(Store):
    backend = "neo4j"

    def __init__(self, uri: str, database: str | None = None, *, driver: Any = None,
                 connection_timeout: float = 15.0):
        self.location = _checked_uri(uri)
        self.database = database or os.environ.get(DATABASE_ENV) or None
        self._secrets = _secrets()
        self._closed = False
        if driver is not None:  # an already configured driver (tests, embedding applications)
            self._driver = driver
            return
        auth = _auth()
        try:
            self._driver = neo4j.GraphDatabase.driver(uri, auth=auth, connection_timeout=connection_timeout,
                                                      user_agent="policygraph")
            self._driver.verify_connectivity()
        except Exception as exc:  # noqa: BLE001 - every driver failure becomes one line with a fix
            self._close_driver()
            raise StoreError(self._connect_reason(exc)) from None

    # -- Store interface --------------------------------------------------------
    def run(self, query: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> Result:
        try:
            return self._execute(query, params, write)
        except neo.ClientError as exc:
            raise self._client_error(exc, write) from None
        except (neo.Neo4jError, neo.DriverError, OSError) as exc:  # unreachable, expired, database errors
            raise StoreError(self._connect_reason(exc)) from None

    def ensure_schema(self) -> None:
        for statement in SCHEMA_DDL:
            try:
                self._execute(statement, None, True)
            except neo.Forbidden:
                # A read-only user (an analyst with the reader role) cannot create a schema; it is the
                # admin's, and the first write such a user tries fails with the server's own reason.
                return
            except neo.ClientError as exc:
                if _code(exc).endswith(("Security.Unauthorized", "DatabaseNotFound")):
                    raise StoreError(self._connect_reason(exc)) from None
                raise StoreError(f"cannot create policygraph's constraints and indexes on {self.location} "
                                 f"({self._reason(exc)}): fix what the server names (e.g. duplicate ids), "
                                 "or ask the database's admin") from None
            except (neo.Neo4jError, neo.DriverError, OSError) as exc:
                raise StoreError(self._connect_reason(exc)) from None

    def _execute(self, query: str, params: Mapping[str, Any] | None, write: bool) -> Result:
        values = dict(params or {})

        def work(tx: Any) -> Result:
            res = tx.run(query, values)
            columns = list(res.keys())
            rows = [[_plain(v) for v in record.values()] for record in res]
            return Result(columns, rows, _stats(res.consume()))

        access = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        with self._driver.session(database=self.database, default_access_mode=access) as session:
            return session.execute_write(work) if write else session.execute_read(work)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._close_driver()

    # -- errors -----------------------------------------------------------------
    def scrub(self, text: str) -> str:
        """The text with the password and the user name replaced by ***."""
        password, user = self._secrets
        if password:
            text = text.replace(password, "***")
        if user:  # often a plain word such as "neo4j": only where it stands alone, so "neo4j://" stays readable
            text = re.sub(rf"(?<![\w/:.@-]){re.escape(user)}(?![\w/:.@-])", "***", text)
        return text

    def _reason(self, exc: BaseException) -> str:
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        return self.scrub(" ".join(str(message).split()))

    def _connect_reason(self, exc: BaseException) -> str:
        where = f"the Neo4j server at {self.location}"
        if isinstance(exc, (neo.AuthError, neo.TokenExpired)) or _code(exc).endswith("Security.Unauthorized"):
            return (f"{where} refused the credentials: set {USER_ENV} and {PASSWORD_ENV} "
                    "to a valid user and password")
        if _code(exc).endswith("DatabaseNotFound"):
            return (f"{where} has no database {self.database!r}: create it or set {DATABASE_ENV} "
                    "(or --database) to an existing one")
        if isinstance(exc, (neo.ServiceUnavailable, neo.SessionExpired, OSError)):
            return f"cannot reach {where} ({self._reason(exc)}): check that it is running and the URI is right"
        if isinstance(exc, neo.ConfigurationError):
            return f"cannot use {where}: {self._reason(exc)}"
        return f"{where} failed: {self._reason(exc)}"

    def _client_error(self, exc: neo.ClientError, write: bool) -> Exception:
        code = _code(exc)
        if code.endswith(("Security.Unauthorized", "DatabaseNotFound", "Security.AuthenticationRateLimit")):
            return StoreError(self._connect_reason(exc))
        reason = self._reason(exc)
        if not write and ("AccessMode" in code or "read access mode" in reason.lower()):
            return QueryError(f"this query writes to the graph: {reason}; add --write if that is what you want")
        return QueryError(f"the store rejected the query: {reason}")

    def _close_driver(self) -> None:
        driver = getattr(self, "_driver", None)
        if driver is not None:
            try:
                driver.close()
            except Exception:  # noqa: BLE001 - closing a broken connection must not hide the real error
                pass


def _checked_uri(uri: str) -> str:
    """The URI to show in messages; credentials inside it are refused, not shown."""
    parts = urlsplit(uri)
    if parts.username or parts.password:
        bare = urlunsplit(parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else "")))
        raise StoreError(f"put the Neo4j user and password in {USER_ENV} and {PASSWORD_ENV}, not in the store URI: "
                         f"use --store {bare}")
    return uri


def _auth() -> tuple[str, str] | None:
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if user is None and password is None:
        return None  # a server with authentication disabled
    if not user or password is None:
        raise StoreError(f"set both {USER_ENV} and {PASSWORD_ENV} for the Neo4j server (or neither, "
                         "if it runs without authentication)")
    return user, password


def _secrets() -> tuple[str, str]:
    return os.environ.get(PASSWORD_ENV) or "", os.environ.get(USER_ENV) or ""


def _code(exc: BaseException) -> str:
    return str(getattr(exc, "code", "") or "")


def _plain(value: Any) -> Any:
    if isinstance(value, neo4j.graph.Path):
        return {"nodes": [_plain(n) for n in value.nodes], "edges": [_plain(r) for r in value.relationships]}
    if isinstance(value, neo4j.graph.Node):
        return {"labels": sorted(value.labels), **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Relationship):
        return {"type": value.type, **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return plain(value)


def _stats(summary: Any) -> dict[str, Any]:
    counters = getattr(summary, "counters", None)
    return {key: getattr(counters, key) for key in COUNTERS if getattr(counters, key, 0)}
