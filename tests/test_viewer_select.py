"""Unit tests of the viewer's pure parts: choosing the view and escaping data for the page.

The graphs here are small networkx graphs shaped like `read_graph`'s output;
the page in a real browser is tested in test_viewer.py.
"""
from __future__ import annotations

import html as html_lib
import json
import re
from html.parser import HTMLParser

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, strategies as st

from policygraph.errors import UsageError
from policygraph.queries import viewer
from policygraph.queries.viewer import (ViewOptions, build_catalog, name_key, pagerank, parse_types, resolve_focus,
                                        select, strongest_edges)
from policygraph.queries.viewer_page import ViewReport, external_references, left_out, meta, render, script_json


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.tags.append(dict(attrs))


def script_tags(html: str) -> list[dict]:
    parser = _Scripts()
    parser.feed(html)
    return parser.tags


def graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    people = {"person:lee-jae-myung": ("Lee Jae-myung", []), "person:lee-sang": ("Lee Sang", ["Lee S."]),
              "person:kim": ("Kim Dong-yeon", ["Governor Kim"])}
    for node, (name, aliases) in people.items():
        g.add_node(node, labels=["Entity", "Person"], type="Person", name=name, aliases=aliases, roles=[])
    for node, kind, name in [("province:gyeonggi", "Province", "Gyeonggi Province"),
                             ("industry:chips", "Industry", "semiconductors"),
                             ("industry:bio", "Industry", "bio-health"),
                             ("city:suwon", "City", "Suwon"), ("plan:belt", "Plan", "Smart Belt")]:
        g.add_node(node, labels=["Entity", kind], type=kind, name=name, aliases=[], roles=[])
    g.add_node("document:d1", labels=["Document"], doc_id="d1", name="Title one", title="Title one", date="2021-01-02")
    edges = [("person:lee-jae-myung", "LEADS", "province:gyeonggi"), ("province:gyeonggi", "SUPPORTS", "industry:chips"),
             ("person:lee-jae-myung", "SUPPORTS", "industry:chips"), ("person:lee-jae-myung", "SUPPORTS", "industry:bio"),
             ("city:suwon", "BELONGS_TO", "province:gyeonggi"), ("plan:belt", "TARGETS", "city:suwon"),
             ("person:kim", "LEADS", "province:gyeonggi")]
    for a, kind, b in edges:
        g.add_edge(a, b, key=kind, type=kind, doc_ids=["d1"], evidence=[f"{a} {kind} {b}"], evidence_doc_ids=["d1"])
    for node in list(g):
        if not node.startswith("document:"):
            g.add_edge("document:d1", node, key="MENTIONS", type="MENTIONS", count=1)
    return g


def test_name_key_ignores_case_hyphens_and_spaces():
    assert name_key("Lee Jaemyung") == name_key("lee jae-myung") == name_key("LEE JAE MYUNG")
    assert name_key("Lee Jaemyung") != name_key("Lee Sang")


def test_focus_resolves_any_spelling_or_alias_and_explains_failures():
    g = graph()
    assert resolve_focus(g, "lee jaemyung") == "person:lee-jae-myung"
    assert resolve_focus(g, "governor kim") == "person:kim"
    assert resolve_focus(g, "person:lee-sang") == "person:lee-sang"
    with pytest.raises(UsageError, match="did you mean 'Lee Sang'"):
        resolve_focus(g, "Lee Sangg")
    g.add_node("org:lee-sang", labels=["Entity", "Organization"], type="Organization", name="Lee-Sang", aliases=[])
    with pytest.raises(UsageError, match="names 2 nodes.*org:lee-sang.*person:lee-sang"):
        resolve_focus(g, "lee sang")


def test_types_are_checked_case_insensitively():
    assert parse_types("person, INDUSTRY") == ("Person", "Industry")
    assert parse_types(["Person,City", "person"]) == ("Person", "City")
    with pytest.raises(UsageError, match="unknown type 'Persons'"):
        parse_types("Persons")


def test_documents_are_left_out_unless_asked_for():
    assert "document:d1" not in select(graph(), ViewOptions()).graph
    shown = select(graph(), ViewOptions(documents=True)).graph
    assert "document:d1" in shown and shown.number_of_edges("document:d1", "city:suwon") == 1


def test_focus_depth_gives_the_ego_network_both_ways():
    one = set(select(graph(), ViewOptions(focus="Lee Jaemyung", depth=1)).graph)
    assert one == {"person:lee-jae-myung", "province:gyeonggi", "industry:chips", "industry:bio"}
    two = set(select(graph(), ViewOptions(focus="Lee Jaemyung", depth=2)).graph)
    assert two == one | {"city:suwon", "person:kim"}


def test_types_min_degree_and_limit():
    view = select(graph(), ViewOptions(types=("Person", "Industry")))
    assert {view.graph.nodes[n]["type"] for n in view.graph} == {"Person", "Industry"}
    assert "person:lee-sang" in view.graph  # no neighbours, but --types alone keeps it
    dense = select(graph(), ViewOptions(min_degree=2)).graph
    assert set(dense) == {"person:lee-jae-myung", "province:gyeonggi", "industry:chips", "city:suwon"}
    top = select(graph(), ViewOptions(limit=2))
    assert set(top.graph) == {"person:lee-jae-myung", "province:gyeonggi"}
    assert sorted(top.rank[n] for n in top.graph) == [1, 2]


def test_limit_keeps_the_focus_even_when_it_is_not_important():
    view = select(graph(), ViewOptions(focus="Suwon", depth=2, limit=2))
    assert "city:suwon" in view.graph and len(view.graph) == 2


def test_empty_results_and_bad_numbers_are_usage_errors():
    with pytest.raises(UsageError, match="graph is empty"):
        select(nx.MultiDiGraph(), ViewOptions())
    with pytest.raises(UsageError, match="no node matches"):
        select(graph(), ViewOptions(types=("Event",)))
    with pytest.raises(UsageError, match="--limit"):
        select(graph(), ViewOptions(limit=0))


@given(st.text())
def test_script_json_never_lets_a_string_out_of_its_script(text):
    encoded = str(script_json({"name": text, "list": [text, "</script>"]}))
    assert json.loads(encoded) == {"name": text, "list": [text, "</script>"]}
    assert not set(encoded) & {"<", ">", "&", "\u2028", "\u2029"}


def test_rendered_page_is_self_contained_and_holds_hostile_strings_as_data():
    g = graph()
    evil = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
    g.nodes["person:kim"]["name"] = evil
    html = render(select(g, ViewOptions(documents=True)))
    assert external_references(html) == []
    assert evil not in html and "<img" not in html
    # An HTML parser sees only our own scripts: four JSON blocks, then vis-network and the viewer.
    assert script_tags(html) == [{"type": "application/json", "id": f"pg-{name}"}
                                 for name in ("nodes", "edges", "options", "meta")] + [{}, {}]
    nodes = json.loads(re.search(r'<script type="application/json" id="pg-nodes">(.*?)</script>', html, re.S).group(1))
    assert {n["label"] for n in nodes if n["id"] == "person:kim"} == {evil}
    policy = html_lib.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1))
    scripts = next(d for d in policy.split(";") if d.strip().startswith("script-src")).split()[1:]
    assert len(scripts) == 2 and all(s.startswith("'sha256-") for s in scripts)  # no inline handler can run
    assert "default-src 'none'" in policy


def test_the_page_lists_only_the_documents_it_cites():
    g = graph()
    g.add_node("document:d2", labels=["Document"], doc_id="d2", name="Other", title="Other", date="2020-05-06")
    g.add_edge("document:d2", "plan:belt", key="MENTIONS", type="MENTIONS", count=1)
    cited = lambda view: set(meta(view)["documents"])  # noqa: E731
    assert cited(select(g, ViewOptions())) == {"d1", "d2"}
    assert cited(select(g, ViewOptions(focus="Lee Jae-myung"))) == {"d1"}


def test_external_references_finds_what_would_leave_the_file():
    assert external_references('<link rel="stylesheet" href="https://cdn.example/x.css">')
    assert external_references('<script src="//cdn.example/vis.js"></script>')
    assert external_references("<style>body{background:url(http://x/y.png)}</style>")
    assert external_references('<img src="x">')
    assert external_references('<a href="#top">top</a><img src="data:image/png;base64,AA">') == []


def page_block(html: str, block: str):
    return json.loads(re.search(rf'<script type="application/json" id="pg-{block}">(.*?)</script>', html, re.S).group(1))


def test_pagerank_is_networkx_pagerank_of_the_undirected_simple_graph():
    g = nx.gnm_random_graph(60, 150, seed=3, directed=True)
    multi = nx.MultiDiGraph(g)
    multi.add_edges_from([(1, 2), (2, 1), (5, 5)])  # parallel and reverse edges count once, a self-loop once
    multi.add_nodes_from([60, 61])  # isolated: dangling nodes spread their rank evenly
    edges = np.array(list(multi.edges()))
    ours = pagerank(62, edges[:, 0], edges[:, 1])
    theirs = nx.pagerank(nx.Graph(multi))
    assert np.allclose(ours, [theirs[n] for n in range(62)], rtol=0, atol=1e-12)
    assert ours.sum() == pytest.approx(1.0)


def test_strongest_edges_keep_each_nodes_best_then_the_strongest_left():
    nodes = {n: {"type": "Industry", "name": n} for n in "abcdef"}
    edges = [("a", "SUPPORTS", "b", 9), ("a", "SUPPORTS", "c", 8), ("b", "SUPPORTS", "c", 7), ("a", "TARGETS", "b", 6),
             ("e", "SUPPORTS", "f", 1), ("d", "SUPPORTS", "a", 2)]
    cat = build_catalog(nodes, edges, {})
    every = np.arange(len(cat.src))

    def kept(max_edges, per_node=1):
        chosen = strongest_edges(cat, every, max_edges, per_node=per_node)
        return [(cat.ids[cat.src[e]], cat.kinds[cat.kind[e]], cat.ids[cat.dst[e]]) for e in chosen]

    # each node's strongest edge first (d's and e/f's weak ones too), then the strongest of the others
    assert kept(4) == [("a", "SUPPORTS", "b"), ("a", "SUPPORTS", "c"), ("d", "SUPPORTS", "a"), ("e", "SUPPORTS", "f")]
    assert kept(5)[-1] == ("b", "SUPPORTS", "c")
    assert kept(2) == [("a", "SUPPORTS", "b"), ("a", "SUPPORTS", "c")]  # over budget: the strongest of them
    assert len(kept(None)) == len(kept(0)) == len(kept(6)) == 6


def test_max_edges_bounds_the_view_and_the_report_says_so():
    view = select(graph(), ViewOptions(max_edges=3))
    assert view.graph.number_of_edges() == 3 and view.edges_between == 7
    assert set(view.graph) == set(select(graph(), ViewOptions()).graph)  # nodes stay; only edges go
    notes = left_out(view)
    assert any(note.startswith("left out 4 of the 7 edges") and "--max-edges 3" in note for note in notes)
    assert left_out(select(graph(), ViewOptions())) == []
    with pytest.raises(UsageError, match="--max-edges"):
        select(graph(), ViewOptions(max_edges=-1))


def test_the_summary_leads_with_the_number_of_nodes_shown():
    report = ViewReport(path="/x.html", nodes=2000, edges=5000, total_nodes=7979, total_edges=157515,
                        types={"Person": 2000}, edges_between=114313)
    text = report.summary()
    assert re.search(r"(\d[\d,]*) nodes", text).group(1) == "2000"  # how bench/benchmark.py reads it
    assert "5000 of the 114313 edges between them (157515 in all)" in text


def test_the_page_carries_a_few_sentences_documents_and_offices_with_full_counts(monkeypatch):
    for name, value in (("EDGE_SENTENCES", 2), ("EDGE_DOCS", 3), ("NODE_DOCS", 2), ("NODE_OFFICES", 2)):
        monkeypatch.setattr(viewer, name, value)
    g = graph()
    docs = [f"d{i}" for i in range(2, 8)]
    for i, d in enumerate(docs):
        g.add_node(f"document:{d}", labels=["Document"], doc_id=d, name=f"T{d}", title=f"T{d}", date=f"2020-0{i + 1}-01")
        g.add_edge(f"document:{d}", "industry:chips", key="MENTIONS", type="MENTIONS", count=1)
    g.edges["province:gyeonggi", "industry:chips", "SUPPORTS"].update(
        doc_ids=["d1", *docs], evidence=[f"sentence {d}" for d in ["d1", *docs]], evidence_doc_ids=["d1", *docs])
    g.nodes["person:kim"]["role_history"] = [f"Governor|2020-0{i + 1}-01|{d}" for i, d in enumerate(docs)]
    view = select(g, ViewOptions())
    html = render(view)
    edge = next(e for e in page_block(html, "edges") if e["from"] == "province:gyeonggi" and e["type"] == "SUPPORTS")
    assert [ev["text"] for ev in edge["evidence"]] == ["sentence d1", "sentence d2"] and edge["evidenceCount"] == 7
    assert edge["docs"] == ["d1", "d2", "d3"] and edge["docCount"] == 7
    nodes = {n["id"]: n for n in page_block(html, "nodes")}
    assert nodes["industry:chips"]["docs"] == ["d1", "d7"] and nodes["industry:chips"]["docCount"] == 7  # newest
    kim = nodes["person:kim"]
    assert [o["doc"] for o in kim["offices"]] == ["d7", "d6"] and kim["officeCount"] == 6
    # the documents listed: those the page shows, not every one an edge counts
    assert set(page_block(html, "meta")["documents"]) == {"d1", "d2", "d6", "d7"}
    notes = " / ".join(left_out(view))
    assert "first 2 sentences and 3 document ids" in notes and "(edges with more: 1;" in notes
    assert "newest 2 documents naming each node, with the full count (named in more: 1)" in notes
    assert "newest 2 offices, with the full count (people with more: 1)" in notes
