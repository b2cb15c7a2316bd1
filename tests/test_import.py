"""`policygraph import` with the real CLI on real embedded stores: the gold graph goes in whole,
a second import changes nothing, export -> import -> export is lossless, bad files are one-line errors."""
from __future__ import annotations

import json

import pytest
from gold_graph import write_gold_graph

from conftest import run_cli, score
from policygraph.errors import InputError
from policygraph.graph.importer import read_node_link


def export(store: str, *args: str) -> dict:
    return json.loads(run_cli("export", "--store", store, *args, check=True).stdout)


def test_gold_graph_imports_whole_and_scores_perfectly(tmp_path):
    source = tmp_path / "gold.json"
    gold = write_gold_graph(source)
    store = str(tmp_path / "s")
    done = run_cli("import", "--format", "node-link", str(source), "--store", store, check=True)
    relations = len(gold.relations)
    assert f"imported {len(gold.entities)} entities, {relations} relations, {len(gold.docs)} documents" in done.stderr
    out = tmp_path / "back.json"
    out.write_text(json.dumps(export(store)))
    figures = score(out)
    assert figures["entity_f1"] == 1.0 and figures["relation_f1"] == 1.0, figures["_report"]


def test_second_import_changes_nothing_and_round_trip_is_lossless(tmp_path):
    source = tmp_path / "gold.json"
    write_gold_graph(source)
    first, second = str(tmp_path / "a"), str(tmp_path / "b")
    run_cli("import", str(source), "--store", first, check=True)
    once = export(first)
    run_cli("import", str(source), "--store", first, check=True)
    assert export(first) == once
    # What the export wrote goes into another store and comes out the same.
    (tmp_path / "once.json").write_text(json.dumps(once))
    run_cli("import", str(tmp_path / "once.json"), "--store", second, "--batch-size", "7", check=True)
    assert export(second) == once
    stats = json.loads(run_cli("stats", "--store", second, "--format", "json", check=True).stdout)
    assert stats == json.loads(run_cli("stats", "--store", first, "--format", "json", check=True).stdout)


def test_a_loaded_graph_survives_the_round_trip(tmp_path):
    from conftest import DEMO

    loaded, copy = str(tmp_path / "loaded"), str(tmp_path / "copy")
    run_cli("load", str(DEMO), "--store", loaded, check=True)
    run_cli("analyze", "communities", "--write-back", "--store", loaded, check=True)
    data = export(loaded)
    (tmp_path / "g.json").write_text(json.dumps(data))
    run_cli("import", str(tmp_path / "g.json"), "--store", copy, check=True)
    assert export(copy) == data
    assert any("community" in n for n in data["nodes"])


BAD_FILES = {
    "not json": ("{nodes: [", "not valid JSON"),
    "no links": ('{"nodes": []}', "needs \"nodes\" and \"links\""),
    "unknown label": ('{"nodes": [{"id": "x", "labels": ["Entity", "Person", "Robot"]}], "links": []}',
                      "labels outside the schema (Robot)"),
    "no type": ('{"nodes": [{"id": "x", "labels": ["Entity"]}], "links": []}', "exactly one entity type"),
    "dangling link": ('{"nodes": [{"id": "x", "labels": ["Entity", "City"]}], '
                      '"links": [{"source": "x", "target": "y", "type": "BELONGS_TO"}]}', "must join two entity nodes"),
    "unknown relation": ('{"nodes": [{"id": "x", "labels": ["Entity", "City"]}], '
                         '"links": [{"source": "x", "target": "x", "type": "LIKES"}]}', "'LIKES' is not a relation type"),
    "nested property": ('{"nodes": [{"id": "x", "labels": ["Entity", "City"], "geo": {"lat": 1}}], "links": []}',
                        "property 'geo' holds a map"),
    "control character in an id": ('{"nodes": [{"id": "city:a\\u001fb", "labels": ["Entity", "City"]}], "links": []}',
                                   "cannot hold control characters"),
    "document without doc_id": ('{"nodes": [{"id": "d", "labels": ["Document"]}], "links": []}', "without a \"doc_id\""),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_are_refused_before_anything_is_written(tmp_path, case):
    text, reason = BAD_FILES[case]
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(InputError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        read_node_link(path)


def test_bad_file_on_the_command_line_is_one_line_and_exit_2(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(BAD_FILES["unknown label"][0])
    store = str(tmp_path / "s")
    proc = run_cli("import", str(path), "--store", store)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "labels outside the schema" in proc.stderr
    assert json.loads(run_cli("stats", "--store", store, "--format", "json", check=True).stdout)["labels"] == {}
    missing = run_cli("import", str(tmp_path / "nope.json"), "--store", store)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    wrong = run_cli("import", "--format", "xml", str(path), "--store", store)
    assert wrong.returncode == 2 and "node-link" in wrong.stderr


def test_a_later_load_keeps_imported_entities_without_documents(tmp_path):
    """Re-doing a changed document removes only that document's leftovers."""
    import json

    from conftest import run_cli

    store = str(tmp_path / "s")
    graph = {"directed": True, "multigraph": True, "graph": {}, "links": [],
             "nodes": [{"id": "org:imported-body", "labels": ["Entity", "Organization"], "name": "Imported Body",
                        "aliases": [], "type": "Organization"}]}
    path = tmp_path / "g.json"
    path.write_text(json.dumps(graph))
    run_cli("import", "--format", "node-link", str(path), "--store", store, check=True)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Busan Mayor Park Hyung-joon backs shipbuilding.\n")
    run_cli("load", str(docs), "--store", store, check=True)
    (docs / "a.txt").write_text("Ulsan Mayor Kim Doo-gyeom backs hydrogen.\n")
    run_cli("load", str(docs), "--store", store, check=True)
    out = json.loads(run_cli("cypher", "MATCH (n:Entity) RETURN n.id AS id ORDER BY id", "--format", "json",
                             "--store", store, check=True).stdout)
    ids = [r["id"] for r in out]
    assert "org:imported-body" in ids and "province:busan" not in ids and "province:ulsan" in ids
