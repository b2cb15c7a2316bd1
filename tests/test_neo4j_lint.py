"""Every statement the Neo4j store sends passes Neo4j's own linter, DDL included.

No Neo4j server runs here, so the real Neo4jStore is given a driver whose
transactions run each statement on the real embedded FalkorDB (the data path
is the same Cypher text on both engines) and record it. A whole cycle — schema,
load, reload of a changed document, stats, every export, imports — goes
through the store; then Neo4j's linter (tests/cypher_lint.py, lintCypherQuery)
checks every distinct statement with the parameters it was sent with.
"""
from __future__ import annotations

import re
import shutil

import pytest

from cypher_lint import LintQuery, lint
from policygraph import api
from policygraph.graph import export as ex
from policygraph.graph import statements as st
from policygraph.graph.neo4j_store import SCHEMA_DDL, Neo4jStore
from policygraph.graph.store import open_store


SCOPED_CALL = re.compile(r"CALL \(([^()]*)\) \{\n")


class _Result:
    def __init__(self, res):
        self._res = res

    def keys(self):
        return self._res.columns

    def __iter__(self):
        return iter([_Record(row) for row in self._res.rows])

    def consume(self):
        return type("Summary", (), {"counters": type("Counters", (), dict(self._res.stats))()})()


class _Record:
    def __init__(self, row):
        self._row = row

    def values(self):
        return list(self._row)


class FalkorBackedDriver:
    """Stands in for neo4j.Driver: runs what Neo4jStore sends on an embedded store, and records it."""

    def __init__(self, engine):
        self.engine = engine
        self.sent: list[tuple[str, str, tuple[str, ...]]] = []  # (how, query, parameter names)

    def session(self, database=None, default_access_mode=None):
        driver = self

        class Session:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def execute_read(self, work):
                return work(Tx("execute_read"))

            def execute_write(self, work):
                return work(Tx("execute_write"))

        class Tx:
            def __init__(self, how):
                self.how = how

            def run(self, query, params):
                driver.sent.append((self.how, query, tuple(sorted(params))))
                if query in SCHEMA_DDL:  # Neo4j-only DDL: FalkorDB keeps its own in its store
                    return _Result(type("R", (), {"columns": [], "rows": [], "stats": {}})())
                # Neo4j's form of a subquery's scope, CALL (n) {...}, in the form FalkorDB knows.
                run = SCOPED_CALL.sub(lambda m: f"CALL {{\nWITH {m.group(1)}\n", query)
                return _Result(driver.engine.run(run, params, write=self.how == "execute_write"))

        return Session()

    def close(self):
        pass


@pytest.fixture(scope="module")
def cycle(tmp_path_factory, seeds):
    """Run load, reload, stats, exports and imports through a Neo4jStore; return what it sent."""
    tmp_path = tmp_path_factory.mktemp("cycle")
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds, corpus)
    engine = open_store(tmp_path / "engine")
    driver = FalkorBackedDriver(engine)
    store = Neo4jStore("neo4j://lint.invalid:7687", driver=driver)
    try:
        store.ensure_schema()
        # A page that makes a person of the seeds a mayor, until it changes: forgetting it drops the role.
        extra = corpus / "zz-extra.txt"
        extra.write_text("Suwon Mayor Lee Jae Myung backs semiconductors in Suwon.\n", encoding="utf-8")
        first = api.load([corpus], store, workers=1)
        assert first.loaded == 6
        changed = sorted(corpus.glob("*.txt"))[0]
        changed.write_text(changed.read_text(encoding="utf-8") + "\nSuwon Mayor Kim backs semiconductors.\n",
                           encoding="utf-8")
        assert api.load([corpus], store, workers=1).loaded == 1  # forgets the old version first
        # ...and spells him as no other page does, until it changes: forgetting it drops the alias.
        extra.write_text("Lee Jae-myung backs semiconductors in Suwon.\n", encoding="utf-8")
        assert api.load([corpus], store, workers=1).loaded == 1
        api.stats(store)
        api.export(store, "node-link", tmp_path / "g.json")
        for fmt, out in (("turtle", "g.ttl"), ("json-ld", "g.jsonld"), ("graphml", "g.graphml"),
                         ("neo4j-csv", "bulk")):
            api.export(store, fmt, tmp_path / out)
        api.import_graph(tmp_path / "g.json", "node-link", store)
        api.import_graph(tmp_path / "g.ttl", "turtle", store)
        yield driver.sent, engine, tmp_path
    finally:
        store.close()
        engine.close()


def test_every_statement_the_neo4j_store_sends_passes_the_linter(cycle):
    sent, _, _ = cycle
    distinct = {(query, params) for _, query, params in sent}
    queries = {query for query, _ in distinct}
    # The cycle reached every part of the data path and the DDL.
    for expected in (*SCHEMA_DDL, st.DOCUMENTS, st.MARK_LOADED, st.mentions(), st.PURGE_MENTIONS, st.PURGE_EDGES,
                     st.PURGE_ROLE_HISTORY, st.role_label_removal("Mayor"), st.aliases_gone(Neo4jStore.subquery),
                     st.ALIASES_LEFT,
                     ex.ENTITIES, ex.RELATIONS, ex.MENTIONS):
        assert expected in queries
    assert any("MERGE (n:Entity {id: r.id})" in q for q in queries)
    batch = [LintQuery(f"sent#{i}", query, params) for i, (query, params) in enumerate(sorted(distinct))]
    problems = lint(batch)
    assert not problems, "\n".join(f"{p}\n{batch[int(p.name[5:])].query}" for p in problems)


def test_reads_and_writes_go_through_the_right_transactions(cycle):
    sent, _, _ = cycle
    writes = {q for how, q, _ in sent if how == "execute_write"}
    reads = {q for how, q, _ in sent if how == "execute_read"}
    assert set(SCHEMA_DDL) <= writes and st.MARK_LOADED in writes and st.DOCUMENTS in writes
    assert ex.ENTITIES in reads and st.DOCUMENT_STATES in reads
    assert not any(q.lstrip().startswith(("MERGE", "UNWIND", "CREATE")) for q in reads)


def test_the_graph_through_the_neo4j_store_equals_the_engines_own(cycle):
    _, engine, tmp_path = cycle
    assert api.export(engine, "node-link") == api.export(Neo4jStore("bolt://x.invalid:7687",
                                                                    driver=FalkorBackedDriver(engine)), "node-link")


def test_a_broken_ddl_statement_would_be_caught():
    bad = SCHEMA_DDL[0].replace("IS UNIQUE", "IS UNIQE")
    assert [d.name for d in lint([LintQuery("ddl", bad)])] == ["ddl"]
