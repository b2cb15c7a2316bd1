"""`policygraph queries`, `query` and `cypher` with the real CLI on real embedded stores:
listing, formats, names that are ambiguous or unknown, read-only unless --write."""
from __future__ import annotations

import csv
import io
import json
from unittest import mock

import pytest
from gold_graph import imported_gold

from conftest import run_cli
from policygraph.graph.store import Result
from policygraph.queries import named


@pytest.fixture(scope="module")
def gold_store(tmp_path_factory):
    return imported_gold(tmp_path_factory.mktemp("gold"))


@pytest.fixture(scope="module")
def twins_store(tmp_path_factory):
    """Two people who share an alias, and a city: a name that is ambiguous on purpose."""
    folder = tmp_path_factory.mktemp("twins")
    people = [{"id": f"person:kim-min-su-{i}", "labels": ["Entity", "Person"], "type": "Person",
               "name": f"Kim Min-su ({town})", "aliases": ["Kim Minsu"]} for i, town in ((1, "Suwon"), (2, "Busan"))]
    others = [{"id": "city:suwon", "labels": ["Entity", "City"], "name": "Suwon", "aliases": []},
              {"id": "industry:secondary-batteries", "labels": ["Entity", "Industry"], "name": "secondary batteries"}]
    data = {"nodes": [*people, *others],
            "links": [{"source": "person:kim-min-su-1", "target": "city:suwon", "type": "LEADS", "doc_ids": ["a"]},
                      {"source": "person:kim-min-su-2", "target": "industry:secondary-batteries",
                       "type": "SUPPORTS", "doc_ids": ["a"]}]}
    (folder / "twins.json").write_text(json.dumps(data))
    store = str(folder / "store")
    run_cli("import", str(folder / "twins.json"), "--store", store, check=True)
    return store


def test_queries_lists_every_named_query():
    table = run_cli("queries", check=True).stdout
    listed = json.loads(run_cli("queries", "--format", "json", check=True).stdout)
    files = sorted(named.load_all())
    assert [q["name"] for q in listed] == files
    for q in listed:
        assert q["name"] in table and q["answers"] and q["example"].startswith("policygraph query")
    shown = run_cli("queries", "--show", "members", check=True).stdout
    assert shown.startswith("// name: members") and "MATCH" in shown
    unknown = run_cli("queries", "--show", "member")
    assert unknown.returncode == 4 and "did you mean members" in unknown.stderr


def test_query_formats_carry_the_same_rows(gold_store):
    store, gold = gold_store
    args = ("query", "members", "--param", "group=Future Smart Belt Alliance", "--store", store)
    as_json = json.loads(run_cli(*args, "--format", "json", check=True).stdout)
    as_csv = list(csv.DictReader(io.StringIO(run_cli(*args, "--format", "csv", check=True).stdout)))
    table = run_cli(*args, check=True)
    members = [r["member"] for r in as_json]
    expected = sorted(gold.name(h) for (h, t, tail) in gold.relations
                      if t == "BELONGS_TO" and tail == "org:future-smart-belt-alliance")
    assert sorted(members) == expected
    assert [r["member"] for r in as_csv] == members
    assert json.loads(as_csv[0]["leaders"]) == as_json[0]["leaders"]
    assert all(m in table.stdout for m in members) and f"({len(members)} rows)" in table.stdout
    assert "group='Future Smart Belt Alliance' is Future Smart Belt Alliance (org:future-smart-belt-alliance)" \
        in table.stderr


def test_alias_in_any_spelling_resolves(gold_store):
    store, gold = gold_store
    expected = sorted(gold.mentioned_in("person:lee-jae-myung"))
    for spelling in ("Lee Jaemyung", "lee jae myung", "LEE JAE-MYUNG", "person:lee-jae-myung"):
        proc = run_cli("query", "timeline", "--param", f"actor={spelling}", "--store", store, "--format", "json",
                       check=True)
        assert sorted(r["document"] for r in json.loads(proc.stdout)) == expected
        if spelling != "person:lee-jae-myung":
            assert "is Lee Jae-myung (person:lee-jae-myung)" in proc.stderr


def test_ambiguous_name_lists_candidates_and_fails(twins_store):
    proc = run_cli("query", "actor", "--param", "actor=kim minsu", "--store", twins_store)
    assert proc.returncode == 4 and proc.stdout == ""
    assert "ambiguous" in proc.stderr and "person:kim-min-su-1" in proc.stderr and "person:kim-min-su-2" in proc.stderr
    assert proc.stderr.count("\n") == 1
    chosen = run_cli("query", "actor", "--param", "actor=person:kim-min-su-1", "--store", twins_store,
                     "--format", "json", check=True)
    assert {r["other"] for r in json.loads(chosen.stdout)} == {"Suwon"}
    path = run_cli("analyze", "path", "Kim Minsu", "Suwon", "--store", twins_store)
    assert path.returncode == 4 and "ambiguous" in path.stderr


def test_gazetteer_aliases_find_entities_of_the_store(twins_store):
    # No node in this store has the alias "rechargeable batteries"; the gazetteer knows it.
    proc = run_cli("query", "supporters", "--param", "target=Rechargeable Batteries", "--store", twins_store,
                   "--format", "json", check=True)
    assert [r["supporter"] for r in json.loads(proc.stdout)] == ["Kim Min-su (Busan)"]
    assert "is secondary batteries (industry:secondary-batteries)" in proc.stderr


def test_unknown_name_and_query_fail_with_a_hint(gold_store):
    store, _ = gold_store
    proc = run_cli("query", "supporters", "--param", "target=semiconducters", "--store", store)
    assert proc.returncode == 4 and "no entity named 'semiconducters'" in proc.stderr
    assert "did you mean semiconductors (industry:semiconductors)" in proc.stderr
    nothing = run_cli("query", "supporters", "--param", "target=zzzz", "--store", store)
    assert nothing.returncode == 4 and "policygraph query entities" in nothing.stderr
    missing = run_cli("query", "paths", "--param", "from=MOTIE", "--store", store)
    assert missing.returncode == 2 and "needs --param to=" in missing.stderr
    bad = run_cli("query", "supporters", "--param", "target", "--store", store)
    assert bad.returncode == 2 and "--param takes key=value" in bad.stderr


def test_cypher_is_read_only_unless_write(tmp_path):
    store = str(tmp_path / "s")
    create = "CREATE (:Entity:City {id: 'city:x', name: 'X'})"
    refused = run_cli("cypher", create, "--store", store)
    assert refused.returncode == 4 and "add --write" in refused.stderr and refused.stderr.count("\n") == 1
    count = "MATCH (n:Entity) RETURN count(n) AS n"
    assert json.loads(run_cli("cypher", count, "--store", store, "--format", "json", check=True).stdout) == [{"n": 0}]
    run_cli("cypher", create, "--store", store, "--write", check=True)
    assert json.loads(run_cli("cypher", count, "--store", store, "--format", "json", check=True).stdout) == [{"n": 1}]
    broken = run_cli("cypher", "MATCH (n RETURN n", "--store", store)
    assert broken.returncode == 4 and "the store rejected the query" in broken.stderr
    assert broken.stderr.count("\n") == 1


def test_query_runs_read_only_unless_write():
    # Unit test of one piece: named.run hands the write flag to the store as given.
    store = mock.Mock()
    store.run.return_value = Result(["n"], [[1]])
    named.run(store, "top-industries", {})
    assert store.run.call_args.kwargs["write"] is False
    named.run(store, "top-industries", {"limit": 3}, write=True)
    assert store.run.call_args.kwargs["write"] is True
    assert store.run.call_args.args[1] == {"limit": 3, "sample": 10}  # the default filled in


def test_query_write_flag_reaches_the_store(gold_store):
    store, _ = gold_store
    proc = run_cli("query", "top-industries", "--param", "limit=2", "--write", "--store", store, "--format", "json",
                   check=True)
    assert len(json.loads(proc.stdout)) == 2


def test_whole_graph_pairs_point_to_analyze(gold_store):
    # Every pair of co-supporters is quadratic on a big graph: the query asks for an actor and says
    # where whole-graph analysis is.
    store, _ = gold_store
    proc = run_cli("query", "co-supporters", "--store", store)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "needs --param actor=" in proc.stderr and "policygraph analyze communities" in proc.stderr
    listed = {q["name"]: q for q in json.loads(run_cli("queries", "--format", "json", check=True).stdout)}
    assert "analyze communities" in listed["co-supporters"]["answers"]
    rows = json.loads(run_cli("query", "co-supporters", "--param", "actor=Lee Jaemyung", "--param", "limit=1",
                              "--store", store, "--format", "json", check=True).stdout)
    assert len(rows) == 1 and rows[0]["actor"] == "Lee Jae-myung"
