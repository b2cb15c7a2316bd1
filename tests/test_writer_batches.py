"""The writer skips entity rows that would change nothing: the graph must come out the same whatever the batching."""
from __future__ import annotations

import json
import sys

import pytest

from conftest import ROOT, run_cli

sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402


def _export(tmp_path, corpus, batch_size: int) -> dict:
    store = str(tmp_path / f"store-{batch_size}")
    run_cli("load", str(corpus), "--store", store, "--batch-size", str(batch_size), check=True)
    data = json.loads(run_cli("export", "--store", store, check=True).stdout)
    for node in data["nodes"]:
        node.pop("path", None)  # the same file either way; kept out only to be safe
    return data


@pytest.mark.timeout(900)
def test_small_batches_and_one_big_batch_give_the_same_graph(tmp_path):
    corpus = tmp_path / "corpus"
    generate.generate(60, corpus, seed=11)
    # Batches of ~100 rows write the same provinces, industries and people again and again
    # (and skip most of them); one batch of everything writes each once.
    small, big = _export(tmp_path, corpus, 100), _export(tmp_path, corpus, 100_000)
    key = lambda item: json.dumps(item, sort_keys=True)
    assert sorted(map(key, small["nodes"])) == sorted(map(key, big["nodes"]))
    assert sorted(map(key, small["links"])) == sorted(map(key, big["links"]))
    people = [n for n in small["nodes"] if "Person" in n.get("labels", []) and n.get("role_history")]
    assert people, "no person with a role history: the test would not cover the rows that are always sent"


def _load_export(tmp_path, name: str, *groups) -> dict:
    store = str(tmp_path / name)
    for files in groups:
        run_cli("load", *map(str, files), "--store", store, "--batch-size", "300", check=True)
    data = json.loads(run_cli("export", "--store", store, check=True).stdout)
    for node in data["nodes"]:  # a node's aliases and role history are kept in the order they were met
        for field in ("aliases", "role_history"):
            node[field] = sorted(node.get(field) or [])
    return {"nodes": sorted(json.dumps(n, sort_keys=True) for n in data["nodes"]),
            "links": sorted(json.dumps(link, sort_keys=True) for link in data["links"])}


@pytest.mark.timeout(900)
def test_load_order_does_not_change_the_edge_lists(tmp_path):
    # A load in file order appends to an edge's lists; documents that sort before ones
    # already loaded are spliced in. Both must leave the same lists, in document order.
    corpus = tmp_path / "corpus"
    generate.generate(40, corpus, seed=5)
    files = sorted(p for p in corpus.rglob("syn-*") if p.is_file())
    assert len(files) >= 40
    in_order = _load_export(tmp_path, "in-order", files)
    odd_then_even = _load_export(tmp_path, "interleaved", files[1::2], files[0::2])
    late_first = _load_export(tmp_path, "late-first", files[20:], files[:20])
    assert odd_then_even == in_order
    assert late_first == in_order
    shared = [json.loads(link) for link in in_order["links"]]
    early = {f.stem for f in files[:20]}
    spliced = [link for link in shared if len(set(link.get("doc_ids", [])) - early) and
               len(set(link.get("doc_ids", [])) & early)]
    assert len(spliced) >= 3, "too few edges stated on both sides of the split to test the splice"


@pytest.mark.timeout(900)
def test_an_edge_keeps_the_sentences_of_its_first_documents_whatever_the_order(tmp_path, monkeypatch):
    from policygraph.graph import statements
    from policygraph.graph.export import node_link, read_graph
    from policygraph.graph.store import open_store
    from policygraph import api

    monkeypatch.setattr(statements, "EDGE_EVIDENCE", 3)  # small, so that busy edges reach it
    corpus = tmp_path / "corpus"
    generate.generate(40, corpus, seed=5)
    files = sorted(p for p in corpus.rglob("syn-*") if p.is_file())

    def links(name, *groups):
        with open_store(tmp_path / name) as store:
            for group in groups:
                api.load(group, store, batch_size=300)
            return {(l["source"], l["target"], l["type"]): l for l in node_link(read_graph(store))["links"]
                    if l["type"] != "MENTIONS"}

    in_order = links("in-order", files)
    late_first = links("late-first", files[20:], files[:20])
    assert late_first == in_order
    capped = [l for l in in_order.values() if len(l["evidence"]) == 3]
    assert capped, "no edge reached the cap: the test would not cover it"
    for link in in_order.values():
        assert len(link["evidence"]) <= 3
        # the sentences kept are those of the first documents, and every document is still named
        assert link["evidence_doc_ids"] == sorted(link["evidence_doc_ids"])
        assert set(link["evidence_doc_ids"]) <= set(link["doc_ids"])
        kept = sorted(set(link["evidence_doc_ids"]))
        assert kept == link["doc_ids"][:len(kept)]


def _tiny_tails(monkeypatch) -> None:
    """An edge with two documents gets a tail, and so does a history with two entries; folded after four."""
    from policygraph.graph import statements
    for name, value in (("TAIL_FROM", 2), ("TAIL_MAX", 4), ("HISTORY_TAIL_FROM", 2), ("HISTORY_TAIL_MAX", 4)):
        monkeypatch.setattr(statements, name, value)


@pytest.mark.timeout(900)
def test_tails_leave_the_same_lists_as_whole_list_appends(tmp_path, monkeypatch):
    """Busy edges' doc_ids and long role histories take their appends in tails: the graph is the same."""
    from policygraph.graph import statements
    from policygraph.graph.export import node_link, read_graph
    from policygraph.graph.store import open_store
    from policygraph import api

    corpus = tmp_path / "corpus"
    generate.generate(40, corpus, seed=5)
    files = sorted(p for p in corpus.rglob("syn-*") if p.is_file())

    def links(store):
        data = node_link(read_graph(store))
        histories = {n["id"]: n["role_history"] for n in data["nodes"] if n.get("role_history")}
        assert len(histories) >= 5 and max(map(len, histories.values())) >= 4, "too few histories to test tails"
        return histories, {(l["source"], l["target"], l["type"]): l for l in data["links"] if l["type"] != "MENTIONS"}

    def load(name, *groups, force=False):
        with open_store(tmp_path / name) as store:
            for group in groups:
                api.load(group, store, batch_size=300, force=force)
            return links(store)

    for name in ("TAIL_FROM", "HISTORY_TAIL_FROM"):
        monkeypatch.setattr(statements, name, 10**9)  # no edge or history gets a tail
    whole = load("whole", files)
    _tiny_tails(monkeypatch)
    assert load("tails", files) == whole
    assert load("tails-late-first", files[20:], files[:20]) == whole

    # A load that ends without folding (killed) leaves tails and flags; doc_count counts them.
    for fold in ("FOLD_TAILS", "FOLD_HISTORY_TAILS", "CLEAR_TAILS_FLAG"):
        monkeypatch.setattr(statements, fold, "RETURN 1")
    with open_store(tmp_path / "unfolded") as store:
        api.load(files[:30], store, batch_size=300)
        tailed = store.run("MATCH ()-[e]->() WHERE e.doc_ids_tail IS NOT NULL "
                           "RETURN e.doc_ids AS ids, e.doc_ids_tail AS tail, e.doc_count AS n").records()
        flagged = store.run(f"MATCH (n:Entity {{{statements.TAILS_FLAG}: true}}) RETURN count(n)").value()
        people = store.run("MATCH (n:Entity) WHERE n.role_history_tail IS NOT NULL "
                           f"RETURN n.role_history AS history, n.role_history_tail AS tail, n.{statements.TAILS_FLAG} AS flag").records()
    assert len(tailed) >= 3, "too few edges got a tail to test them"
    assert len(people) >= 2, "too few histories got a tail to test them"
    doc = lambda entry: entry.rsplit("|", 1)[-1]  # noqa: E731
    for person in people:
        assert person["flag"] and person["tail"]
        entries = person["history"] + person["tail"]
        assert [doc(e) for e in entries] == sorted(doc(e) for e in entries)
    assert flagged >= 1
    for edge in tailed:
        assert edge["n"] == len(edge["ids"]) + len(edge["tail"])
        assert edge["ids"] + edge["tail"] == sorted(edge["ids"] + edge["tail"])
    monkeypatch.undo()
    _tiny_tails(monkeypatch)
    # The next load folds them; documents loaded again are forgotten from tails and lists alike.
    assert load("unfolded", files[25:35], force=True) != whole
    assert load("unfolded", files) == whole
    with open_store(tmp_path / "unfolded") as store:
        assert not store.run("MATCH ()-[e]->() WHERE e.doc_ids_tail IS NOT NULL RETURN count(e)").value()
        assert not store.run("MATCH (n) WHERE n.role_history_tail IS NOT NULL RETURN count(n)").value()
        assert not store.run(f"MATCH (n:Entity {{{statements.TAILS_FLAG}: true}}) RETURN count(n)").value()


@pytest.mark.timeout(600)
def test_a_load_stopped_by_ctrl_c_leaves_no_tails(tmp_path, monkeypatch):
    """^C (or a reader that stops taking graphs) joins the tails at once: only a killed load leaves them."""
    from policygraph import api
    from policygraph.graph import statements
    from policygraph.graph.store import open_store
    from policygraph.loaders.resolve import Resolver

    corpus = tmp_path / "corpus"
    generate.generate(40, corpus, seed=5)
    files = sorted(p for p in corpus.rglob("syn-*") if p.is_file())
    _tiny_tails(monkeypatch)
    resolve, seen = Resolver.resolve, []

    def interrupted(self, graph):
        seen.append(graph.document.doc_id)
        if len(seen) == 30:
            raise KeyboardInterrupt
        return resolve(self, graph)

    monkeypatch.setattr(Resolver, "resolve", interrupted)
    with open_store(tmp_path / "store") as store:
        with pytest.raises(KeyboardInterrupt):
            api.load(files, store, batch_size=300, workers=1)
        edges = store.run("MATCH ()-[e]->() WHERE e.doc_count IS NOT NULL "
                          "RETURN e.doc_ids AS ids, e.doc_ids_tail AS tail, e.doc_count AS n").records()
        people = store.run("MATCH (n:Person) RETURN n.role_history AS history, n.role_history_tail AS tail").records()
        flagged = store.run(f"MATCH (n:Entity {{{statements.TAILS_FLAG}: true}}) RETURN count(n)").value()
        loaded = store.run("MATCH (d:Document {status: 'loaded'}) RETURN count(d)").value()
    assert loaded >= 20, "too little was written before the interrupt to test anything"
    assert max(e["n"] for e in edges) >= 3, "no edge was busy enough to get a tail"
    assert max(len(p["history"]) + len(p["tail"] or []) for p in people) >= 3, "no history was long enough to get a tail"
    assert not flagged
    for edge in edges:
        assert edge["tail"] is None and edge["n"] == len(edge["ids"]) and edge["ids"] == sorted(edge["ids"])
    assert all(p["tail"] is None for p in people)
