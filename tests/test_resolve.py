"""Identity across documents: one node per real thing, through the real store."""
from __future__ import annotations

import json

from conftest import run_cli


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
