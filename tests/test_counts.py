"""The counts kept on the graph for the ranking queries (graph/counts.py) match the edges after every kind of write."""
from __future__ import annotations

import json
import sys

from conftest import ROOT, run_cli

from policygraph.graph.counts import node_counts
from policygraph.graph.store import open_store

sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402

INDUSTRY_TRUTH = """
MATCH (i:Industry)
OPTIONAL MATCH (s)-[:SUPPORTS]->(i)
WITH i, count(s) AS supporters
OPTIONAL MATCH (p:Plan)-[:TARGETS]->(i)
RETURN i.id AS id, i.supporter_count AS kept_supporters, supporters,
       i.plan_count AS kept_plans, count(p) AS plans
"""
LEADER_TRUTH = """
MATCH (p:Person)
OPTIONAL MATCH (p)-[e:LEADS]->()
RETURN p.id AS id, p.lead_doc_count AS kept, max(size(e.doc_ids)) AS actual
"""
LINK_TRUTH = """
MATCH (n:Entity)
OPTIONAL MATCH (n)-[e:SUPPORTS|TARGETS|BELONGS_TO|LEADS]-(:Entity)
RETURN n.id AS id, n.link_count AS kept, count(e) AS actual
"""
EDGE_TRUTH = """
MATCH (:Entity)-[e]->(:Entity)
RETURN type(e) AS type, e.doc_count AS kept, size(e.doc_ids) AS actual
"""


def _mismatches(location) -> tuple[list, list, int]:
    with open_store(location) as store:
        industries = store.run(INDUSTRY_TRUTH).records()
        edges = store.run(EDGE_TRUTH).records()
        leaders = store.run(LEADER_TRUTH).records()
        links = store.run(LINK_TRUTH).records()
    bad_industries = [r for r in industries
                      if (r["kept_supporters"], r["kept_plans"]) != (r["supporters"], r["plans"])]
    bad_industries += [r for r in leaders + links if r["kept"] != r["actual"]]
    assert any(r["actual"] for r in leaders) and any(r["actual"] > 2 for r in links)
    bad_edges = [r for r in edges if r["type"] == "LEADS" and r["kept"] != r["actual"]]
    return bad_industries, bad_edges, len(industries)


def test_counts_follow_loads_reloads_cypher_writes_and_imports(tmp_path):
    corpus = tmp_path / "corpus"
    generate.generate(40, corpus, seed=5)
    store = tmp_path / "store"
    run_cli("load", str(corpus), "--store", str(store), check=True)
    bad_industries, bad_edges, industries = _mismatches(store)
    assert industries > 5 and not bad_industries and not bad_edges

    # A changed document is forgotten and written again: its edges' doc_count and the counts move with it.
    first = sorted(corpus.rglob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n\nSeoul supports the battery industry.\n",
                     encoding="utf-8")
    run_cli("load", str(corpus), "--store", str(store), check=True)
    assert _mismatches(store)[:2] == ([], [])
    with open_store(store) as db:
        assert all(r["kept"] == r["actual"] for r in db.run(EDGE_TRUTH).records())

    # A hand-written Cypher write that removes an industry's supporters.
    run_cli("cypher", "MATCH (:Entity)-[e:SUPPORTS]->(:Industry) WITH e LIMIT 25 DELETE e", "--store", str(store),
            "--write", check=True)
    assert _mismatches(store)[:2] == ([], [])

    # An export carries no derived counts, and its import into a fresh store gets them back.
    exported = tmp_path / "graph.json"
    run_cli("export", "--store", str(store), "-o", str(exported), check=True)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert not any(k in n for n in data["nodes"] for k in ("supporter_count", "lead_doc_count", "link_count", "keys"))
    assert not any("doc_count" in link for link in data["links"])
    fresh = tmp_path / "fresh"
    run_cli("import", str(exported), "--store", str(fresh), check=True)
    bad_industries, bad_edges, industries = _mismatches(fresh)
    assert industries > 5 and not bad_industries and not bad_edges


def test_a_store_without_counts_gets_them_when_opened(tmp_path):
    corpus = tmp_path / "corpus"
    generate.generate(15, corpus, seed=9)
    store = tmp_path / "store"
    run_cli("load", str(corpus), "--store", str(store), check=True)
    with open_store(store) as db:  # as a store written before the counts existed
        db.run("MATCH (i:Industry) REMOVE i.supporter_count, i.plan_count", write=True)
        db.run("MATCH ()-[e:LEADS]->() REMOVE e.doc_count", write=True)
    bad_industries, bad_edges, industries = _mismatches(store)
    assert industries > 0 and not bad_industries and not bad_edges
    with open_store(store) as db:  # as a store written before people had lead_doc_count
        db.run("MATCH (p:Person) REMOVE p.lead_doc_count", write=True)
    assert _mismatches(store)[:2] == ([], [])
    with open_store(store) as db:  # as a store written before entities had link_count
        db.run("MATCH (n:Entity) REMOVE n.link_count", write=True)
    assert _mismatches(store)[:2] == ([], [])


def test_a_refresh_sets_the_counts_that_changed_and_only_those(tmp_path):
    # The refreshes skip counts that are right already: what they skip must be right.
    corpus = tmp_path / "corpus"
    generate.generate(15, corpus, seed=3)
    store = tmp_path / "store"
    run_cli("load", str(corpus), "--store", str(store), check=True)
    with open_store(store) as db:
        assert [db.run(q, write=True).stats for q in node_counts(db)] == [{}, {}, {}]
        db.run("MATCH (:Entity)-[e:SUPPORTS]->(:Industry) WITH e LIMIT 1 DELETE e", write=True)
        changed = [db.run(q, write=True).stats.get("properties_set", 0) for q in node_counts(db)]
    # The industry's supporter count (its plan count is set to what it was) and the link counts
    # at both ends of the edge.
    assert changed == [1, 0, 2]
    assert _mismatches(store)[:2] == ([], [])
