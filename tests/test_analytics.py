"""`policygraph analyze` with the real CLI on the gold graph in a real embedded store; the
expected figures come from the gold relations, counted here without the store."""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict, deque

import pytest
from gold_graph import Gold, imported_gold

from conftest import run_cli
from policygraph.graph.store import Result
from policygraph.queries import analytics


@pytest.fixture(scope="module")
def gold_store(tmp_path_factory):
    return imported_gold(tmp_path_factory.mktemp("gold"))


def neighbours(gold: Gold) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for (head, _, tail) in gold.relations:
        if head != tail:
            out[head].add(tail)
            out[tail].add(head)
    return out


def distances(gold: Gold, start: str) -> dict[str, int]:
    near = neighbours(gold)
    seen = {start: 0}
    todo = deque([start])
    while todo:
        node = todo.popleft()
        for other in near[node]:
            if other not in seen:
                seen[other] = seen[node] + 1
                todo.append(other)
    return seen


def analyze(store: str, *args: str) -> list[dict]:
    proc = run_cli("analyze", *args, "--store", store, "--format", "json", check=True)
    return json.loads(proc.stdout)


def test_centrality_degree_counts_distinct_neighbours(gold_store):
    store, gold = gold_store
    near = neighbours(gold)
    got = analyze(store, "centrality", "--by", "degree", "--limit", "1000")
    assert {r["id"]: r["degree"] for r in got} == {e: len(near[e]) for e in gold.entities}
    assert [r["degree"] for r in got] == sorted((r["degree"] for r in got), reverse=True)
    assert abs(sum(r["pagerank"] for r in got) - 1.0) < 1e-3
    isolated = [r for r in got if not near[r["id"]]]
    assert all(r["betweenness"] == 0 for r in isolated)


def test_centrality_filters_and_ranks(gold_store):
    store, gold = gold_store
    people = analyze(store, "centrality", "--by", "betweenness", "--type", "Person", "--limit", "3")
    assert len(people) == 3 and {r["type"] for r in people} == {"Person"}
    everyone = analyze(store, "centrality", "--by", "betweenness", "--type", "Person", "--limit", "1000")
    assert people == everyone[:3]
    assert len(everyone) == sum(1 for e in gold.entities.values() if e["type"] == "Person")


def test_write_back_stores_what_was_printed(gold_store):
    store, gold = gold_store
    printed = {r["id"]: r for r in analyze(store, "centrality", "--write-back", "--limit", "1")}
    everyone = {r["id"]: r for r in analyze(store, "centrality", "--limit", "1000")}
    stored = run_cli("cypher", "MATCH (n:Entity) RETURN n.id AS id, n.degree AS degree, n.pagerank AS pagerank, "
                     "n.betweenness AS betweenness", "--store", store, "--format", "json", check=True)
    assert {r["id"]: r for r in json.loads(stored.stdout)} == {
        k: {c: v[c] for c in ("id", "degree", "pagerank", "betweenness")} for k, v in everyone.items()}
    assert len(printed) == 1


def test_communities_partition_the_graph_within_its_components(gold_store):
    store, gold = gold_store
    got = analyze(store, "communities", "--write-back")
    community = {r["id"]: r["community"] for r in got}
    assert sorted(community) == sorted(gold.entities)
    sizes = defaultdict(int)
    for c in community.values():
        sizes[c] += 1
    assert all(r["size"] == sizes[r["community"]] for r in got)
    assert [sizes[c] for c in sorted(sizes)] == sorted(sizes.values(), reverse=True)
    for e in gold.entities:  # a community never spans two disconnected parts of the graph
        reach = distances(gold, e)
        assert all(other in reach for other, c in community.items() if c == community[e])
    stored = run_cli("cypher", "MATCH (n:Entity) RETURN n.id AS id, n.community AS c", "--store", store,
                     "--format", "json", check=True)
    assert {r["id"]: r["c"] for r in json.loads(stored.stdout)} == community
    big = analyze(store, "communities", "--min-size", "5")
    assert big and all(r["size"] >= 5 for r in big)


def test_path_steps_follow_gold_edges_and_are_shortest(gold_store):
    store, gold = gold_store
    by_pair = {(h, t): rel for (h, rel, t) in gold.relations}
    names = {gold.name(e): e for e in gold.entities}
    for source, target in (("person:kim-bo-ra", "industry:semiconductors"),
                           ("person:ahn-deok-geun", "industry:artificial-intelligence"),
                           ("person:hong-nam-ki", "person:lee-jae-myung")):
        steps = analyze(store, "path", gold.entities[source]["aliases"][0], target)
        hops = distances(gold, source)[target]
        paths = defaultdict(list)
        for r in steps:
            paths[r["path"]].append(r)
        assert paths and all(len(p) == hops for p in paths.values())
        for p in paths.values():
            assert names[p[0]["from"]] == source and names[p[-1]["to"]] == target
            for r in p:
                a, b = names[r["from"]], names[r["to"]]
                expected = f"-{by_pair[(a, b)]}->" if (a, b) in by_pair else f"<-{by_pair[(b, a)]}-"
                assert r["relation"] == expected


def test_no_path_says_so(gold_store):
    store, gold = gold_store
    reach = distances(gold, "person:jaesik-choi")
    stranger = next(e for e in sorted(gold.entities) if e not in reach)
    proc = run_cli("analyze", "path", "Choi Jaesik", stranger, "--store", store, check=True)
    assert "(0 rows)" in proc.stdout and "no path joins" in proc.stderr


def test_ego_network_is_the_ball_of_the_radius(gold_store):
    store, gold = gold_store
    for center, radius in (("ministry:motie", 2), ("org:future-smart-belt-alliance", 1)):
        got = analyze(store, "ego", gold.name(center), "--radius", str(radius))
        ball = {e: d for e, d in distances(gold, center).items() if d <= radius}
        assert {r["id"]: r["hops"] for r in got} == ball
        assert [r["hops"] for r in got] == sorted(r["hops"] for r in got)
        assert all(r["via"] for r in got if r["hops"] > 0)


def test_formats_carry_the_same_rows(gold_store):
    store, _ = gold_store
    as_json = analyze(store, "centrality", "--limit", "5")
    as_csv = run_cli("analyze", "centrality", "--limit", "5", "--store", store, "--format", "csv", check=True).stdout
    parsed = list(csv.DictReader(io.StringIO(as_csv)))
    assert [r["id"] for r in parsed] == [r["id"] for r in as_json]
    table = run_cli("analyze", "centrality", "--limit", "5", "--store", store, check=True).stdout
    assert table.splitlines()[0].split() == ["id", "name", "type", "degree", "pagerank", "betweenness"]
    assert "(5 rows)" in table


def test_write_back_refused_where_there_is_nothing_to_store(gold_store):
    from policygraph import api
    from policygraph.errors import UsageError

    store, _ = gold_store
    with pytest.raises(UsageError, match="nothing to store"):
        api.analyze("ego", store, center="MOTIE", write_back=True)
    with pytest.raises(UsageError, match="no analysis 'pagerank'"):
        api.analyze("pagerank", store)
    with pytest.raises(UsageError, match="needs a target"):
        api.analyze("path", store, source="MOTIE")


def test_rank_refuses_an_unknown_measure():
    from policygraph.errors import UsageError

    with pytest.raises(UsageError, match="cannot rank by 'fame'"):
        analytics.rank(Result(["id", "name", "type", "degree"], []), by="fame")


def test_betweenness_is_exact_on_small_graphs_and_sampled_on_large_ones():
    assert analytics.betweenness_sample(analytics.EXACT_UP_TO, None) is None
    assert analytics.betweenness_sample(analytics.EXACT_UP_TO + 1, None) == analytics.AUTO_SAMPLE
    assert analytics.betweenness_sample(50_000, 0) is None
    assert analytics.betweenness_sample(100, 30) == 30
    assert analytics.betweenness_sample(20, 30) is None


def test_sampled_betweenness_says_so(gold_store):
    store, gold = gold_store
    proc = run_cli("analyze", "centrality", "--sample", "10", "--store", store, "--format", "json", check=True)
    assert f"betweenness estimated from 10 of {len(gold.entities)} entities" in proc.stderr
    exact = run_cli("analyze", "centrality", "--store", store, "--format", "json", check=True)
    assert "estimated" not in exact.stderr


def test_path_and_ego_read_the_store_step_by_step_and_agree_with_the_whole_graph(gold_store, monkeypatch):
    import networkx as nx

    from policygraph.graph.store import open_store

    store_dir, gold = gold_store
    with open_store(store_dir) as db:
        whole = analytics.read_entity_graph(db)
        simple = nx.Graph(whole)
        sent: list[str] = []
        run = db.run
        monkeypatch.setattr(db, "run", lambda query, *a, **k: sent.append(query) or run(query, *a, **k))
        hubs = sorted(whole, key=lambda n: (-simple.degree(n), n))[:3]
        for center in [*hubs, sorted(whole)[0]]:
            for radius in (1, 2, 3):
                got = analytics.ego(analytics.read_ball(db, center, radius), center, radius=radius)
                assert got.rows == analytics.ego(whole, center, radius=radius).rows, (center, radius)
        far = max(((a, b) for a in hubs for b in sorted(whole) if nx.has_path(simple, a, b)),
                  key=lambda pair: nx.shortest_path_length(simple, *pair))
        for a, b in [far, (hubs[0], hubs[1])]:
            expected = {tuple(whole.nodes[n]["name"] for n in p) for p in nx.all_shortest_paths(simple, a, b)}
            rows = analytics.shortest_paths(db, a, b, limit=len(expected)).records()
            chains = defaultdict(list)
            for r in rows:
                chains[r["path"]].append(r)
            assert {(c[0]["from"], *(r["to"] for r in c)) for c in chains.values()} == expected
    assert nx.shortest_path_length(simple, *far) >= 3  # a search of more than one step
    assert analytics.ENTITY_EDGES not in sent and analytics.ENTITY_NODES not in sent
