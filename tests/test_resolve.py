"""Identity across documents: one node per real thing, through the real store."""
from __future__ import annotations

import json

import pytest
from gold_graph import imported_gold

from conftest import run_cli
from policygraph.errors import QueryError
from policygraph.graph import statements as st
from policygraph.graph.statements import name_key
from policygraph.graph.store import open_store
from policygraph.queries import resolve


def _entities(store):
    out = run_cli("cypher", "MATCH (n:Entity) RETURN n.id AS id, n.type AS type, n.name AS name, "
                  "n.aliases AS aliases ORDER BY id", "--format", "json", "--store", store, check=True).stdout
    return json.loads(out)


def test_spellings_of_one_person_and_plan_become_one_node(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Gyeonggi Province Governor Kim Dong-yeon unveiled ‘three bio clusters’.\n")
    (docs / "b.txt").write_text("Governor Kim Dongyeon of Gyeonggi Province backs the bio clusters. "
                                "He met Kim Dong Yeon supporters.\n")
    (docs / "c.txt").write_text("Kim Dong-yun, the governor of Gyeonggi, spoke about Gyeonggi-do.\n")
    store = str(tmp_path / "s")
    run_cli("load", str(docs), "--store", store, check=True)
    ents = _entities(store)
    people = [e for e in ents if e["type"] == "Person"]
    assert len(people) == 1, people
    assert {"Kim Dongyeon", "Kim Dong Yeon"} <= set(people[0]["aliases"])
    assert len([e for e in ents if e["type"] == "Province"]) == 1


def test_acronym_defined_earlier_resolves_later_loads(tmp_path):
    store = str(tmp_path / "s")
    first, second = tmp_path / "d1", tmp_path / "d2"
    first.mkdir()
    second.mkdir()
    (first / "a.txt").write_text("The Korea Green Mobility Institute (KGMI) opened in Sejong.\n")
    (second / "b.txt").write_text("KGMI will support hydrogen vehicles, the institute said.\n")
    run_cli("load", str(first), "--store", store, check=True)
    run_cli("load", str(second), "--store", store, check=True)
    orgs = [e for e in _entities(store) if e["type"] == "Organization"]
    assert len(orgs) == 1 and orgs[0]["name"] == "Korea Green Mobility Institute"
    mentions = json.loads(run_cli("cypher", "MATCH (d:Document)-[:MENTIONS]->(n:Entity {type: 'Organization'}) "
                                  "RETURN d.doc_id AS doc ORDER BY doc", "--format", "json", "--store", store,
                                  check=True).stdout)
    assert [m["doc"] for m in mentions] == ["a", "b"]


# -- finding a name by the entities' `keys` ---------------------------------------------------
class _Recording:
    """A store that remembers every statement the resolver sends."""

    def __init__(self, store):
        self.store, self.sent = store, []

    def run(self, query, params=None, **kw):
        self.sent.append(query)
        return self.store.run(query, params, **kw)


def test_loaded_and_imported_entities_carry_their_keys(tmp_path, gold_store):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Governor Kim Dong-yeon of Gyeonggi Province backs the bio clusters. "
                                "He met Kim Dong Yeon supporters.\n")
    store = str(tmp_path / "s")
    run_cli("load", str(docs), "--store", store, check=True)
    for e in _keyed(store):
        assert set(e["keys"]) == {name_key(n) for n in (e["name"], *e["aliases"])}, e
    [person] = [e for e in _keyed(store) if e["id"].startswith("person:")]
    assert "kimdongyeon" in person["keys"]
    imported, gold = gold_store
    lee = imported.run("MATCH (n:Entity {id: 'person:lee-jae-myung'}) RETURN n.keys AS keys").records()[0]["keys"]
    assert set(lee) == {name_key(n) for n in (gold.name("person:lee-jae-myung"),
                                              *gold.entities["person:lee-jae-myung"]["aliases"])}
    exported = json.loads(run_cli("export", "--store", store, check=True).stdout)
    assert not any("keys" in node for node in exported["nodes"]), "keys serve the index, not the model"


def test_names_are_found_through_the_keys_index(gold_store):
    store, gold = gold_store
    plan = store.graph.explain(resolve.KEYED, {"key": "leejaemyung", "ids": []})
    assert str(plan).count("Node By Index Scan") == 2, str(plan)
    checked = 0
    for entity in gold.entities.values():
        for name in (entity["name"], *entity["aliases"]):
            if _ambiguous(gold, name):  # the resolver rightly asks which one
                continue
            recording = _Recording(store)
            assert resolve.resolve_entity(recording, name.upper().replace("-", " ")).id == entity["id"], name
            assert resolve.CANDIDATES not in recording.sent and st.ALIAS_INDEX not in recording.sent, name
            checked += 1
    assert checked >= len(gold.entities)


def test_a_store_without_keys_still_resolves_and_hints(tmp_path):
    store_dir, gold = imported_gold(tmp_path)
    run_cli("cypher", "MATCH (n:Entity) REMOVE n.keys", "--write", "--store", store_dir, check=True)
    with open_store(store_dir) as store:
        assert store.run("MATCH (n:Entity) WHERE n.keys IS NOT NULL RETURN count(n)").value() == 0
        recording = _Recording(store)
        assert resolve.resolve_entity(recording, "lee jaemyung").id == "person:lee-jae-myung"
        assert resolve.CANDIDATES in recording.sent, "without keys the resolver compares names in the store"
        assert resolve.resolve_entity(store, "Rechargeable Batteries").id == "industry:secondary-batteries"
        with pytest.raises(QueryError, match=r"did you mean semiconductors \(industry:semiconductors\)"):
            resolve.resolve_entity(store, "semiconducters")


def _keyed(store: str) -> list[dict]:
    out = run_cli("cypher", "MATCH (n:Entity) RETURN n.id AS id, n.name AS name, n.aliases AS aliases, "
                  "n.keys AS keys ORDER BY id", "--format", "json", "--store", store, check=True).stdout
    return json.loads(out)


def _ambiguous(gold, name: str) -> bool:
    """True when several gold entities share this spelling (the resolver then asks, rightly)."""
    return sum(name_key(name) in {name_key(n) for n in (e["name"], *e["aliases"])}
               for e in gold.entities.values()) > 1


def test_a_plan_name_cut_short_in_one_document_is_the_whole_one():
    from pathlib import Path

    from policygraph.loaders.pipeline import extract
    from policygraph.loaders.read import RawDocument
    from policygraph.loaders.resolve import Resolver

    text = ("Ministry unveils 2nd Basic Plan for Robots, Drones and Sensors\n\n"
            "The ministry announced the 2nd Basic Plan for Robots, Drones and Sensors Industry Growth on Monday. "
            "It also cited the 4th Basic Plan for Hydrogen and the 4th Basic Plan for Hydrogen Economy Promotion "
            "and the 4th Basic Plan for Hydrogen Economy Promotion Support.")
    graph = Resolver().resolve(extract(RawDocument(Path("t.txt"), "t", text, "h", False)))
    plans = sorted(e.name for e in graph.entities if e.type == "Plan")
    assert "2nd Basic Plan for Robots, Drones and Sensors Industry Growth" in plans
    assert "2nd Basic Plan for Robots, Drones and Sensors" not in plans
    # A name two others continue is left alone: which one it stands for is not known.
    assert "4th Basic Plan for Hydrogen" in plans
