"""The whole cycle on a real Neo4j 5: load -> query -> export -> import, through the real CLI.

Runs only when NEO4J_URI names a server (credentials in NEO4J_USER and
NEO4J_PASSWORD, database in NEO4J_DATABASE or the server's default); without
it every test here is reported as skipped — not run, never passed. The
database must be empty at the start: the suite deletes what it wrote.

    NEO4J_URI=bolt://localhost:7687 NEO4J_USER=neo4j NEO4J_PASSWORD=... \\
        .venv/bin/python -m pytest -m neo4j_live -ra
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import run_cli

pytestmark = pytest.mark.neo4j_live

URI = os.environ.get("NEO4J_URI", "")
if not URI:
    pytest.skip("NOT RUN: set NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) to a Neo4j 5 server with an empty "
                "database to run the live suite", allow_module_level=True)


def cli(*args: str, check: bool = True):
    return run_cli(*args, "--store", URI, check=check)


def count_all() -> int:
    out = cli("cypher", "MATCH (n) RETURN count(n) AS n", "--format", "json").stdout
    return json.loads(out)[0]["n"]


@pytest.fixture(scope="module")
def live(seeds, tmp_path_factory):
    if count_all() != 0:
        pytest.fail(f"the database at {URI} is not empty: the live suite deletes what it writes, so point "
                    "NEO4J_DATABASE at an empty database")
    folder = tmp_path_factory.mktemp("live")
    embedded = str(folder / "embedded")
    run_cli("load", str(seeds), "--store", embedded, check=True)
    load = cli("load", str(seeds), "--workers", "1")
    yield {"load": load, "folder": folder, "embedded": embedded, "seeds": seeds}
    cli("cypher", "MATCH (n) DETACH DELETE n", "--write", check=False)


def test_load_writes_the_same_graph_as_the_embedded_store(live):
    assert live["load"].returncode == 0 and "5 loaded" in live["load"].stderr, live["load"].stderr
    folder = live["folder"]
    cli("export", "-o", str(folder / "neo4j.json"))
    run_cli("export", "--store", live["embedded"], "-o", str(folder / "embedded.json"), check=True)
    neo, emb = (json.loads((folder / f).read_text()) for f in ("neo4j.json", "embedded.json"))
    key = lambda n: n["id"]  # noqa: E731
    assert sorted(neo["nodes"], key=key) == sorted(emb["nodes"], key=key)
    link = lambda x: (x["source"], x["type"], x["target"])  # noqa: E731
    assert sorted(neo["links"], key=link) == sorted(emb["links"], key=link)


def test_second_load_changes_nothing(live):
    before = cli("stats", "--format", "json").stdout
    again = cli("load", str(live["seeds"]), "--workers", "1")
    assert "0 loaded" in again.stderr and cli("stats", "--format", "json").stdout == before


def test_schema_constraints_and_fulltext_index_exist(live):
    constraints = json.loads(cli("cypher", "SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type "
                                 "RETURN labelsOrTypes, properties, type", "--format", "json").stdout)
    unique = {(c["labelsOrTypes"][0], c["properties"][0]) for c in constraints if "UNIQUE" in c["type"]}
    assert {("Entity", "id"), ("Document", "doc_id")} <= unique
    hits = json.loads(cli("cypher", "CALL db.index.fulltext.queryNodes('entity_names', $q) YIELD node "
                          "RETURN node.id AS id", "--param", "q=semiconductors", "--format", "json").stdout)
    assert any(h["id"] == "industry:semiconductors" for h in hits)


def test_reads_are_read_only_on_the_server(live):
    proc = cli("cypher", "CREATE (:Entity {id: 'intruder'})", check=False)
    assert proc.returncode == 4 and "--write" in proc.stderr
    assert cli("cypher", "MATCH (n {id: 'intruder'}) RETURN count(n) AS n", "--format", "json").stdout.count('"n": 0')


def test_exports_and_turtle_import_round_trip(live, tmp_path):
    import pyshacl
    import rdflib

    import policygraph.schema

    turtle = tmp_path / "g.ttl"
    cli("export", "--format", "turtle", "-o", str(turtle))
    shapes = rdflib.Graph().parse(Path(policygraph.schema.__file__).parent / "shapes.ttl")
    ok, _, report = pyshacl.validate(rdflib.Graph().parse(turtle), shacl_graph=shapes, advanced=True)
    assert ok, report
    before = cli("stats", "--format", "json").stdout
    cli("import", "--format", "turtle", str(turtle))  # the same graph again: nothing changes
    assert cli("stats", "--format", "json").stdout == before


def test_wrong_password_is_one_line(live):
    proc = run_cli("stats", "--store", URI, env={"NEO4J_USER": os.environ.get("NEO4J_USER", "neo4j"),
                                                 "NEO4J_PASSWORD": "definitely-wrong-pw"})
    assert proc.returncode == 3 and "NEO4J_PASSWORD" in proc.stderr
    assert "definitely-wrong-pw" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
