"""Unit tests of the Neo4j store without a server: a recording stand-in for the driver.

What needs a real Neo4j is in test_neo4j_live.py; the statements themselves
are checked by Neo4j's own linter in test_neo4j_lint.py. The last tests here
use the real driver and the real CLI against a port where nothing listens.
"""
from __future__ import annotations

import socket

import neo4j
import pytest
from neo4j import exceptions as neo

from conftest import run_cli
from policygraph.errors import QueryError, StoreError
from policygraph.graph.neo4j_store import SCHEMA_DDL, Neo4jStore

PASSWORD = "pa55-Secret!word"


class FakeResult:
    def __init__(self, columns, rows):
        self.columns, self.rows = columns, rows

    def keys(self):
        return self.columns

    def __iter__(self):
        return iter([FakeRecord(r) for r in self.rows])

    def consume(self):
        counters = type("Counters", (), {"nodes_created": 2, "properties_set": 0})()
        return type("Summary", (), {"counters": counters})()


class FakeRecord:
    def __init__(self, values):
        self._values = values

    def values(self):
        return list(self._values)


class FakeDriver:
    """Records every session and statement; `fail` is raised by the next statement."""

    def __init__(self, fail: Exception | None = None):
        self.calls: list[tuple[str, str | None, str, str, dict]] = []  # (how, database, access, query, params)
        self.fail = fail
        self.closed = False

    def session(self, database=None, default_access_mode=None):
        return FakeSession(self, database, default_access_mode)

    def close(self):
        self.closed = True


class FakeSession:
    def __init__(self, driver, database, access):
        self.driver, self.database, self.access = driver, database, access

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute_read(self, work):
        return work(FakeTx(self, "execute_read"))

    def execute_write(self, work):
        return work(FakeTx(self, "execute_write"))


class FakeTx:
    def __init__(self, session, how):
        self.session, self.how = session, how

    def run(self, query, params):
        driver = self.session.driver
        driver.calls.append((self.how, self.session.database, self.session.access, query, params))
        if driver.fail is not None:
            raise driver.fail
        return FakeResult(["n", "names"], [[1, ["a", "b"]]])


@pytest.fixture(autouse=True)
def credentials(monkeypatch):
    monkeypatch.setenv("NEO4J_USER", "analyst7")
    monkeypatch.setenv("NEO4J_PASSWORD", PASSWORD)
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)


def neo4j_error(code: str, message: str) -> Exception:
    return neo.Neo4jError._hydrate_neo4j(code=code, message=message)


def test_reads_use_read_transactions_and_writes_managed_write_transactions():
    driver = FakeDriver()
    store = Neo4jStore("neo4j://db.example:7687", database="policy", driver=driver)
    res = store.run("MATCH (n) RETURN count(n) AS n", {"x": 1})
    store.run("CREATE (:Entity {id: $id})", {"id": "x"}, write=True)
    assert res.columns == ["n", "names"] and res.rows == [[1, ["a", "b"]]] and res.stats == {"nodes_created": 2}
    (how_r, db_r, access_r, _, params_r), (how_w, db_w, access_w, _, _) = driver.calls
    assert (how_r, db_r, access_r, params_r) == ("execute_read", "policy", neo4j.READ_ACCESS, {"x": 1})
    assert (how_w, db_w, access_w) == ("execute_write", "policy", neo4j.WRITE_ACCESS)


def test_database_comes_from_the_environment_unless_given(monkeypatch):
    monkeypatch.setenv("NEO4J_DATABASE", "fromenv")
    driver = FakeDriver()
    Neo4jStore("bolt://h:7687", driver=driver).run("RETURN 1")
    Neo4jStore("bolt://h:7687", database="explicit", driver=driver).run("RETURN 1")
    assert [c[1] for c in driver.calls] == ["fromenv", "explicit"]


def test_schema_is_the_neo4j_5_ddl_in_write_transactions():
    driver = FakeDriver()
    Neo4jStore("bolt://h:7687", driver=driver).ensure_schema()
    assert [c[3] for c in driver.calls] == list(SCHEMA_DDL)
    assert all(c[0] == "execute_write" for c in driver.calls)
    text = "\n".join(SCHEMA_DDL)
    assert "FOR (n:Entity) REQUIRE n.id IS UNIQUE" in text and "REQUIRE d.doc_id IS UNIQUE" in text
    assert "FULLTEXT INDEX" in text and "n.aliases" in text and all("IF NOT EXISTS" in s for s in SCHEMA_DDL)


def test_a_read_only_user_can_still_open_the_store():
    driver = FakeDriver(fail=neo4j_error("Neo.ClientError.Security.Forbidden",
                                         "Schema operations are not allowed for user 'reader'"))
    store = Neo4jStore("bolt://h:7687", driver=driver)
    store.ensure_schema()  # the schema is the admin's: not an error for a reader
    assert [c[3] for c in driver.calls] == [SCHEMA_DDL[0]]
    driver.fail = None
    assert store.run("MATCH (n) RETURN count(n) AS n").rows == [[1, ["a", "b"]]]


def test_other_schema_failures_are_reported():
    driver = FakeDriver(fail=neo4j_error("Neo.ClientError.Schema.ConstraintValidationFailed",
                                         "Both Node(1) and Node(2) have the label `Entity` and property `id`"))
    with pytest.raises(StoreError, match="cannot create policygraph's constraints.*Node\\(1\\)"):
        Neo4jStore("bolt://h:7687", driver=driver).ensure_schema()


def test_a_write_in_a_read_query_is_refused_with_the_fix():
    driver = FakeDriver(fail=neo4j_error("Neo.ClientError.Statement.AccessMode",
                                         "Writing in read access mode not allowed."))
    with pytest.raises(QueryError, match="add --write"):
        Neo4jStore("bolt://h:7687", driver=driver).run("CREATE (n)")


def test_syntax_errors_are_one_line_query_errors():
    driver = FakeDriver(fail=neo4j_error("Neo.ClientError.Statement.SyntaxError",
                                         "Invalid input 'MATC':\nexpected ...\n  ^"))
    with pytest.raises(QueryError) as err:
        Neo4jStore("bolt://h:7687", driver=driver).run("MATC (n) RETURN n")
    assert "\n" not in str(err.value) and "Invalid input" in str(err.value)


@pytest.mark.parametrize("code, needle", [
    ("Neo.ClientError.Security.Unauthorized", "set NEO4J_USER and NEO4J_PASSWORD"),
    ("Neo.ClientError.Database.DatabaseNotFound", "create it or set NEO4J_DATABASE"),
])
def test_credentials_never_appear_in_errors(code, needle):
    leak = f"user analyst7 with password {PASSWORD} rejected at neo4j://h:7687"
    driver = FakeDriver(fail=neo4j_error(code, leak))
    with pytest.raises(StoreError) as err:
        Neo4jStore("bolt://h:7687", database="nope", driver=driver).run("RETURN 1")
    message = str(err.value)
    assert needle in message
    assert PASSWORD not in message and "analyst7" not in message


def test_scrub_hides_user_and_password_but_keeps_uris_readable(monkeypatch):
    monkeypatch.setenv("NEO4J_USER", "neo4j")
    store = Neo4jStore("neo4j://h:7687", driver=FakeDriver())
    text = store.scrub(f"login neo4j/{PASSWORD} failed for 'neo4j' at neo4j://h:7687")
    assert PASSWORD not in text and "'***'" in text and "neo4j://h:7687" in text


def test_unreachable_server_reason_is_scrubbed():
    driver = FakeDriver(fail=neo.ServiceUnavailable(f"cannot connect as analyst7:{PASSWORD}"))
    with pytest.raises(StoreError) as err:
        Neo4jStore("bolt://h:7687", driver=driver).run("RETURN 1")
    assert "check that it is running" in str(err.value) and PASSWORD not in str(err.value)


def test_credentials_in_the_uri_are_refused_without_echoing_them():
    with pytest.raises(StoreError) as err:
        Neo4jStore(f"neo4j+s://analyst7:{PASSWORD}@db.example:7687")
    assert "NEO4J_USER" in str(err.value) and "neo4j+s://db.example:7687" in str(err.value)
    assert PASSWORD not in str(err.value) and "analyst7" not in str(err.value)


def test_half_the_credentials_is_an_error(monkeypatch):
    monkeypatch.delenv("NEO4J_PASSWORD")
    with pytest.raises(StoreError, match="set both NEO4J_USER and NEO4J_PASSWORD"):
        Neo4jStore("bolt://h:7687")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # released on close: nothing listens there now


def test_cli_on_an_unreachable_server_prints_one_line_without_secrets():
    port = _closed_port()
    for command in (["stats"], ["export", "--format", "turtle"], ["cypher", "MATCH (n) RETURN n"]):
        proc = run_cli(*command, "--store", f"bolt://127.0.0.1:{port}", "--database", "policy",
                       env={"NEO4J_USER": "analyst7", "NEO4J_PASSWORD": PASSWORD}, timeout=60)
        assert proc.returncode == 3, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "cannot reach the Neo4j server" in lines[0], proc.stderr
        assert PASSWORD not in proc.stderr + proc.stdout and "analyst7" not in proc.stderr + proc.stdout
        assert "Traceback" not in proc.stderr
