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
import pytest
from hypothesis import given, strategies as st

from policygraph.errors import UsageError
from policygraph.queries.viewer import ViewOptions, name_key, parse_types, resolve_focus, select
from policygraph.queries.viewer_page import external_references, meta, render, script_json


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
