"""Every named query on the graph the gold annotations describe, imported with the real CLI
into a real embedded store: each returns the rows the gold files imply, for every input the
gold offers. Expectations are computed here from ../shared/gold, never written down."""
from __future__ import annotations

from collections import defaultdict
import itertools
from itertools import combinations

import networkx as nx
import pytest
from cypher_lint import uses
from gold_graph import Gold

from policygraph import api
from policygraph.queries import named, paths
from policygraph.errors import QueryError, UsageError
from policygraph.graph.counts import refresh_counts


def rows(store, name, **params):
    return api.query(name, params, store).records()


def relations_of(gold: Gold, rel_type: str | None = None) -> dict[tuple[str, str, str], list[tuple[str, str]]]:
    return {k: v for k, v in gold.relations.items() if rel_type is None or k[1] == rel_type}


def typed(gold: Gold, *types: str) -> list[str]:
    return sorted(e for e, ent in gold.entities.items() if ent["type"] in types)


def dated(date: str) -> bool:
    return bool(date) and not date.startswith("--")


def test_every_query_file_is_listed_with_its_parameters():
    listed = {q.name: q for q in api.queries()}
    assert len(listed) >= 11
    for q in listed.values():
        assert q.answers and q.example.startswith(f"policygraph query {q.name}")
        used = set(uses(q.text))
        assert used == {p.name for p in q.params}, f"{q.name}: header and Cypher disagree on parameters"


def test_actor_lists_every_relation_with_its_evidence(gold_store):
    store, gold = gold_store
    for actor in ("person:lee-jae-myung", "ministry:motie", "province:gyeonggi"):
        alias = (gold.entities[actor]["aliases"] or [gold.name(actor)])[0]
        expected = {}
        for (h, t, tail), stated in gold.relations.items():
            if actor in (h, tail):
                key = ("out", t, gold.name(tail)) if h == actor else ("in", t, gold.name(h))
                expected[key] = stated
        got = rows(store, "actor", actor=alias, sample=1000)
        assert {(r["direction"], r["relation"], r["other"]) for r in got} == set(expected)
        assert [r["document_count"] for r in got] == sorted((r["document_count"] for r in got), reverse=True)
        for r in got:
            stated = expected[(r["direction"], r["relation"], r["other"])]
            docs = sorted({d for d, _ in stated})
            assert r["actor"] == gold.name(actor) and r["aliases"] == gold.entities[actor]["aliases"]
            assert r["evidence"] == [text for _, text in stated] and r["evidence_count"] == len(stated)
            assert r["documents"] == [f"{d} ({gold.dates[d]})" for d in docs] and r["document_count"] == len(docs)


def test_actor_rows_carry_counts_and_a_bounded_sample(gold_store):
    store, gold = gold_store
    (actor, _, _), stated = max(gold.relations.items(), key=lambda kv: (len(kv[1]), kv[0]))
    assert len({d for d, _ in stated}) > 1, "the gold graph should have an edge stated by several documents"
    full = rows(store, "actor", actor=actor, sample=1000)
    assert len(full) > 2
    short = rows(store, "actor", actor=actor, sample=1)
    assert len(short) == len(full)
    for r, whole in zip(short, full):
        assert (r["other"], r["document_count"], r["evidence_count"]) == \
            (whole["other"], whole["document_count"], whole["evidence_count"])
        assert r["documents"] == whole["documents"][:1] and r["evidence"] == whole["evidence"][:1]
    assert any(len(r["documents"]) < r["document_count"] for r in short)
    assert rows(store, "actor", actor=actor, limit=2, sample=1000) == full[:2]
    bare = rows(store, "actor", actor=actor, sample=0)
    assert len(bare) == len(full) and all(r["documents"] == [] and r["evidence"] == [] for r in bare)


def test_supporters_of_every_supported_target(gold_store):
    store, gold = gold_store
    by_target: dict[str, set[str]] = defaultdict(set)
    for (head, _, tail) in relations_of(gold, "SUPPORTS"):
        by_target[tail].add(gold.name(head))
    assert "industry:semiconductors" in by_target
    for target, supporters in by_target.items():
        got = rows(store, "supporters", target=gold.name(target).upper())
        assert {r["supporter"] for r in got} == supporters, target
    lee = next(r for r in rows(store, "supporters", target="semiconductors") if r["supporter"] == "Lee Jae-myung")
    stated = gold.relations[("person:lee-jae-myung", "SUPPORTS", "industry:semiconductors")]
    assert lee["documents"] == sorted({d for d, _ in stated}) and lee["evidence"] == [t for _, t in stated]


def test_plans_targeting_industries_and_regions_count_member_cities(gold_store):
    store, gold = gold_store
    targets = relations_of(gold, "TARGETS")
    part_of = defaultdict(set)
    for (head, _, tail) in relations_of(gold, "BELONGS_TO"):
        part_of[tail].add(head)
    supporters = defaultdict(set)
    for (head, _, tail) in relations_of(gold, "SUPPORTS"):
        supporters[tail].add(gold.name(head))
    for target in typed(gold, "Industry", "Province", "City"):
        expected = {}
        for (plan, _, x), stated in targets.items():
            if gold.entities[plan]["type"] != "Plan":
                continue
            if x == target:
                expected[(gold.name(plan), None)] = (supporters[plan], [t for _, t in stated])
            elif x in part_of[target]:
                expected[(gold.name(plan), gold.name(x))] = (supporters[plan], [t for _, t in stated])
        got = rows(store, "plans-targeting", target=target)
        assert {(r["plan"], r["via"]): (set(r["supporters"]), r["evidence"]) for r in got} == expected, target
    via_city = rows(store, "plans-targeting", target="Gyeonggi-do")
    assert any(r["via"] for r in via_city), "a plan aimed at a city of the province should show up"


def test_members_of_every_group_with_their_leaders(gold_store):
    store, gold = gold_store
    members: dict[str, set[str]] = defaultdict(set)
    for (head, _, tail) in relations_of(gold, "BELONGS_TO"):
        members[tail].add(head)
    leaders: dict[str, set[str]] = defaultdict(set)
    for (head, _, tail) in relations_of(gold, "LEADS"):
        leaders[tail].add(gold.name(head))
    for group, ids in members.items():
        got = rows(store, "members", group=group)
        assert {r["member"]: set(r["leaders"]) for r in got} == {gold.name(m): leaders[m] for m in ids}, group
    alliance = rows(store, "members", group="future smart belt alliance")
    cities = {gold.name(m) for m in members["org:future-smart-belt-alliance"] if gold.entities[m]["type"] == "City"}
    assert {r["member"] for r in alliance if r["type"] == "City"} == cities and cities


def test_leaders_with_roles_and_documents(gold_store):
    store, gold = gold_store
    expected = {}
    for (head, _, tail), stated in relations_of(gold, "LEADS").items():
        docs = sorted({d for d, _ in stated})
        roles = sorted({r for rs in gold.roles(head).values() for r in rs})
        expected[(gold.name(head), gold.name(tail))] = (gold.entities[tail]["type"], roles, len(docs),
                                                         [f"{d} ({gold.dates[d]})" for d in docs[:2]])
    listed = rows(store, "leaders", limit=1000, sample=2)
    got = {(r["leader"], r["office"]): (r["office_type"], r["roles"], r["document_count"], r["documents"])
           for r in listed}
    assert got == expected and len(listed) == len(expected)
    assert ("Lee Jae-myung", "Gyeonggi Province") in got
    best_first = sorted(expected, key=lambda k: (-expected[k][2], expected[k][0], k[1], k[0]))
    assert [(r["leader"], r["office"]) for r in listed] == best_first
    for limit in range(1, len(best_first) + 1):  # each cut through the floor of the best people (graph/counts.py)
        assert [(r["leader"], r["office"]) for r in rows(store, "leaders", limit=limit)] == best_first[:limit]
    mayors = {k for k, v in expected.items() if "Mayor" in v[1]}
    assert {(r["leader"], r["office"]) for r in rows(store, "leaders", role="mayor", limit=1000)} == mayors
    cities = {k for k, v in expected.items() if v[0] == "City"}
    assert {(r["leader"], r["office"]) for r in rows(store, "leaders", office_type="City", limit=1000)} == cities


def test_co_supporters_share_industries(gold_store):
    store, gold = gold_store
    backs: dict[str, set[str]] = defaultdict(set)
    for (head, _, tail) in relations_of(gold, "SUPPORTS"):
        if gold.entities[tail]["type"] == "Industry":
            backs[head].add(tail)
    checked = 0
    for actor in sorted(backs):
        shared = {gold.name(b): {gold.name(i) for i in backs[actor] & backs[b]}
                  for b in backs if b != actor and backs[actor] & backs[b]}
        got = rows(store, "co-supporters", actor=actor, limit=1000, sample=1000)
        assert {r["co_supporter"]: set(r["industries"]) for r in got} == shared, actor
        assert all(r["actor"] == gold.name(actor) and r["shared"] == len(r["industries"]) for r in got)
        assert [(-r["shared"], r["co_supporter"]) for r in got] == sorted((-r["shared"], r["co_supporter"]) for r in got)
        for r in rows(store, "co-supporters", actor=actor, limit=1000, sample=1):
            assert r["industries"] and set(r["industries"]) <= shared[r["co_supporter"]]
            assert len(r["industries"]) == 1 <= r["shared"] == len(shared[r["co_supporter"]])
        checked += bool(got)
    assert checked >= 2
    lee = rows(store, "co-supporters", actor="Lee Jaemyung", limit=1000)
    assert len(lee) >= 2 and lee[0]["shared"] > lee[-1]["shared"], "the gold graph should rank co-supporters"
    assert rows(store, "co-supporters", actor="Lee Jaemyung", limit=1) == lee[:1]
    most = lee[0]["shared"]
    assert [r["co_supporter"] for r in rows(store, "co-supporters", actor="Lee Jaemyung", min_shared=most)] == \
        [r["co_supporter"] for r in lee if r["shared"] == most]


def test_co_supporters_need_an_actor_and_say_where_whole_graph_pairs_are(gold_store):
    store, _ = gold_store
    with pytest.raises(UsageError, match="needs --param actor=.*policygraph analyze communities"):
        rows(store, "co-supporters")


def gold_nx(gold: Gold) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(gold.entities)
    g.add_edges_from((h, t) for (h, _, t) in gold.relations)
    return g


def test_paths_are_all_the_shortest_chains(gold_store):
    store, gold = gold_store
    g = gold_nx(gold)
    people = typed(gold, "Person")
    checked = 0
    for a, b in combinations(people, 2):
        got = rows(store, "paths", **{"from": a, "to": b})
        try:
            expected = {tuple(p) for p in nx.all_shortest_paths(g, a, b)}
        except nx.NetworkXNoPath:
            expected = set()
        expected = {p for p in expected if len(p) - 1 <= 6}
        assert {tuple(r["ids"]) for r in got} == expected, (a, b)
        assert all(r["hops"] == len(r["ids"]) - 1 for r in got)
        checked += bool(expected)
    assert checked >= 3
    [chain] = [r for r in rows(store, "paths", **{"from": "Ahn Deok-geun", "to": "MOTIE"})]
    assert chain["path"] == "Ahn Deok-geun -LEADS-> Ministry of Trade, Industry and Energy"


def test_paths_gives_the_rows_of_its_cypher_text(gold_store):
    """policygraph answers `paths` by its own search (queries/paths.py); the .cypher states the answer."""
    store, gold = gold_store
    text = named.get("paths").text
    key = lambda r: (r["hops"], r["path"], tuple(r["ids"]))  # noqa: E731
    ids = sorted(gold.entities)
    joined = 0
    for a, b in combinations(ids[::3], 2):
        params = {"from": a, "to": b, "limit": 10_000}
        stated = store.run(text, params).records()
        got = rows(store, "paths", **params)
        assert sorted(map(key, got)) == sorted(map(key, stated)), (a, b)
        joined += bool(stated)
    assert joined >= 100


def test_paths_read_link_counts_as_a_hint_only(gold_store):
    """Missing or wrong link counts change which side the search expands, never the rows;
    the search steps both ways: toward the other frontier only, and out to every neighbour."""
    store, gold = gold_store
    pairs = list(combinations(sorted(gold.entities)[::4], 2))
    truth = [rows(store, "paths", **{"from": a, "to": b, "limit": 10_000}) for a, b in pairs]
    steps = {"within": 0, "every": 0}
    neighbours = store.neighbours

    def counted(keys, within=None):
        steps["every" if within is None else "within"] += 1
        return neighbours(keys, within)

    store.neighbours = counted
    try:
        # The last makes every whole step look dear: the search tries the other frontier first.
        for wrong in ("REMOVE n.link_count", "SET n.link_count = size(n.id) % 7", "SET n.link_count = 0",
                      "SET n.link_count = 1000000"):
            store.run(f"MATCH (n:Entity) {wrong}", write=True)
            assert [rows(store, "paths", **{"from": a, "to": b, "limit": 10_000}) for a, b in pairs] == truth, wrong
    finally:
        del store.neighbours
        refresh_counts(store)
    assert sum(map(bool, truth)) >= 50 and steps["within"] and steps["every"]


def test_paths_sample_the_same_chains_whatever_keys_the_store_searches_by(gold_store, monkeypatch):
    """Past SPELL_OUT_MAX chains `policygraph analyze paths` shows a sample, the first chains
    in the order of their entities' ids: FalkorDB's search by node id and the base class's by
    entity id agree. The `paths` named query never samples: its rows are still the Cypher's."""
    from by_id import ById

    store, gold = gold_store
    g = gold_nx(gold)
    many = [(a, b) for a, b in combinations(sorted(gold.entities)[::3], 2)
            if nx.has_path(g, a, b) and len(list(itertools.islice(nx.all_shortest_paths(g, a, b), 3))) == 3]
    assert len(many) >= 5
    monkeypatch.setattr(paths, "SPELL_OUT_MAX", 2)
    heard: list[str] = []
    text = named.get("paths").text
    for a, b in many:
        sample = paths.find_chains(store, a, b, max_hops=None, note=heard.append)
        assert len(sample.chains) == 2 and sample == paths.find_chains(ById(store), a, b, max_hops=None)
        every = store.run(text, {"from": a, "to": b, "limit": 10_000}).rows
        assert paths.shortest_paths(store, a, b, limit=10_000).rows == every
    assert sum("chains of entities are shortest" in h for h in heard) >= 5  # samples, not every chain


def test_paths_show_the_first_rows_of_the_cypher_order_whatever_the_limit(gold_store):
    """The rows are spelt out in order and only as many as asked for: each limit gives the first
    rows of the Cypher's ORDER BY path, on both searches, and the note counts every path."""
    from by_id import ById

    store, gold = gold_store
    text = named.get("paths").text
    g = gold_nx(gold)
    pairs = [(a, b) for a, b in combinations(sorted(gold.entities)[::2], 2)
             if nx.has_path(g, a, b) and len(list(itertools.islice(nx.all_shortest_paths(g, a, b), 4))) == 4]
    assert len(pairs) >= 20
    for a, b in pairs[:40]:
        every = store.run(text, {"from": a, "to": b, "limit": 10_000}).rows
        for limit in (1, 2, 3, len(every)):
            heard: list[str] = []
            got = paths.shortest_paths(store, a, b, limit=limit, note=heard.append).rows
            assert got == every[:limit] == paths.shortest_paths(ById(store), a, b, limit=limit).rows, (a, b, limit)
            assert heard == ([f"{len(every):,} shortest paths: showing the first {limit} (--param limit=N for more)"]
                             if limit < len(every) else [])


def test_paths_cut_to_a_limit_and_say_how_many_there_are(gold_store):
    store, gold = gold_store
    g = gold_nx(gold)
    a, b, many = max(((a, b, len(list(nx.all_shortest_paths(g, a, b))))
                      for a, b in combinations(typed(gold, "Person"), 2) if nx.has_path(g, a, b)),
                     key=lambda t: t[2])
    assert many >= 2
    every = rows(store, "paths", **{"from": a, "to": b, "limit": 1000})
    heard: list[str] = []
    first = api.query("paths", {"from": a, "to": b, "limit": 1}, store, note=heard.append).records()
    assert first == every[:1] and [r["path"] for r in every] == sorted(r["path"] for r in every)
    assert any(f"{len(every)} shortest paths" in h for h in heard)


def test_timeline_orders_documents_by_date(gold_store):
    store, gold = gold_store
    for actor in ("person:lee-jae-myung", "industry:semiconductors"):
        docs = gold.mentioned_in(actor)
        expected_order = sorted(docs, key=lambda d: (not dated(gold.dates[d]), gold.dates[d], d))
        got = rows(store, "timeline", actor=actor)
        assert [r["document"] for r in got] == expected_order
        for r in got:
            said = set()
            for (h, t, tail), stated in gold.relations.items():
                if r["document"] in {d for d, _ in stated} and actor in (h, tail):
                    said.add(f"{t} -> {gold.name(tail)}" if h == actor else f"{t} <- {gold.name(h)}")
            assert set(r["statements"]) == said
            assert r["date"] == gold.dates[r["document"]]


def test_timeline_cuts_to_a_limit_and_a_start_day(gold_store):
    store, gold = gold_store
    def days(entity):
        return sorted({gold.dates[d] for d in gold.mentioned_in(entity) if dated(gold.dates[d])})

    actor = max(gold.entities, key=lambda e: (len(days(e)), e))
    assert len(days(actor)) >= 2, "the seeds name no entity in two dated documents"
    whole = rows(store, "timeline", actor=actor)
    assert rows(store, "timeline", actor=actor, limit=2) == whole[:2]
    day = days(actor)[1]
    later = rows(store, "timeline", actor=actor, since=day)
    assert later == [r for r in whole if not dated(r["date"]) or r["date"] >= day] and len(later) < len(whole)


def test_evidence_behind_every_edge(gold_store):
    store, gold = gold_store
    for (head, rel_type, tail), stated in gold.relations.items():
        got = rows(store, "evidence", head=head, tail=tail, type=rel_type.lower())
        assert [(r["document"], r["sentence"]) for r in got] == stated, (head, rel_type, tail)
        assert all(r["date"] == gold.dates[r["document"]] and r["relation"] == rel_type for r in got)


def test_documents_mentioning_every_entity(gold_store):
    store, gold = gold_store
    for entity in gold.entities:
        got = rows(store, "documents-mentioning", entity=entity)
        assert sorted(r["document"] for r in got) == gold.mentioned_in(entity), entity
        assert [r["date"] for r in got] == sorted((r["date"] for r in got), reverse=True)


def test_top_industries_ranked_by_supporters(gold_store):
    store, gold = gold_store
    supporters: dict[str, set[str]] = defaultdict(set)
    plans: dict[str, set[str]] = defaultdict(set)
    for (head, rel_type, tail) in gold.relations:
        if gold.entities[tail]["type"] != "Industry":
            continue
        if rel_type == "SUPPORTS":
            supporters[tail].add(head)
        elif rel_type == "TARGETS" and gold.entities[head]["type"] == "Plan":
            plans[tail].add(head)
    ranked = sorted(((gold.name(i), len(supporters[i]), len(plans[i])) for i in set(supporters) | set(plans)),
                    key=lambda x: (-x[1], -x[2], x[0]))
    got = rows(store, "top-industries", limit=1000, sample=1)
    assert [(r["industry"], r["supporter_count"], r["plan_count"]) for r in got] == ranked
    by_name = {gold.name(i): i for i in set(supporters) | set(plans)}
    for r in got:
        named = {gold.name(s) for s in supporters[by_name[r["industry"]]]}
        assert set(r["supporters"]) <= named and len(r["supporters"]) == min(1, r["supporter_count"])
    assert [r["industry"] for r in rows(store, "top-industries", limit=3)] == [x[0] for x in ranked[:3]]
    assert any(len(r["supporters"]) < r["supporter_count"] for r in got), "the sample should be bounded"


def test_entities_search_by_part_of_a_name(gold_store):
    store, gold = gold_store
    for part, type_ in (("smart", None), ("SEMICONDUCTOR", "Industry"), ("gyeonggi", "Plan")):
        expected = {e for e, ent in gold.entities.items()
                    if (type_ is None or ent["type"] == type_)
                    and any(part.lower() in n.lower() for n in (ent["name"], *ent["aliases"]))}
        params = {"contains": part} | ({"type": type_} if type_ else {})
        assert {r["id"] for r in rows(store, "entities", **params)} == expected and expected


def test_entities_type_by_type_gives_the_rows_of_the_whole_statement(gold_store):
    """queries/entities.py runs entities.cypher per type label and stops at the limit:
    the rows, and their order, are those of the statement run once over every entity."""
    store, gold = gold_store
    text = named.get("entities").text
    statements: list[str] = []
    run = store.run

    def counted(query, params=None, **kw):
        statements.append(query)
        return run(query, params, **kw)

    store.run = counted
    try:
        for contains, type_, limit in [("", None, 1), ("", None, 5), ("", None, 10_000), ("smart", None, 3),
                                       ("SMART", None, 10_000), ("gyeonggi", "plan", 2), ("", "Industry", 7),
                                       ("", "Nothing", 5), ("zzz", None, 5), ("", None, 0)]:
            params = {"contains": contains, "type": type_, "limit": limit}
            statements.clear()
            got = named.run(store, "entities", params)
            assert got.columns == ["id", "name", "type", "aliases", "roles"], params
            assert got.rows == run(text, params).rows, params
            if limit == 1:
                assert len(statements) == 1 and "MATCH (n:Entity)" not in statements[0]
    finally:
        del store.run
    assert len({ent["type"] for ent in gold.entities.values()}) >= 3


def test_entities_search_ignores_spacing_as_the_keys_do(gold_store):
    """`entities` folds its text with the writer's separators: the list in the query must be KEY_SEPARATORS."""
    import re

    from policygraph.graph.statements import KEY_SEPARATORS, name_key
    from policygraph.queries import named

    text = named.load_all()["entities"].text
    listed = re.search(r"c IN \[(.*?)\] \|", text, re.S).group(1)
    assert set(re.findall(r"'(.)'|\"(.)\"", listed)) and \
        {a or b for a, b in re.findall(r"'(.)'|\"(.)\"", listed)} == set(KEY_SEPARATORS)
    store, gold = gold_store
    person = next(e for e in gold.entities.values() if e["type"] == "Person" and "-" in e["name"])
    spaced = person["name"].replace("-", " ").upper()
    got = {r["id"] for r in rows(store, "entities", contains=spaced)}
    assert person["id"] in got
    assert all(name_key(spaced) in name_key(r["name"]) or r["aliases"] for r in rows(store, "entities", contains=spaced))


def test_names_resolve_by_any_alias_case_and_spacing(gold_store):
    store, gold = gold_store
    for entity in gold.entities.values():
        for name in (entity["name"], *entity["aliases"]):
            for variant in (name, name.lower(), name.replace("-", " ")):
                got = rows(store, "documents-mentioning", entity=variant)
                assert sorted(r["document"] for r in got) == gold.mentioned_in(entity["id"]), variant


def test_resolution_says_which_entity_it_chose(gold_store):
    store, _ = gold_store
    notes = []
    api.query("supporters", {"target": "rechargeable batteries"}, store, note=notes.append)
    assert notes == ["target='rechargeable batteries' is secondary batteries (industry:secondary-batteries)"]


def test_unknown_and_wrongly_typed_names_are_errors_with_hints(gold_store):
    store, _ = gold_store
    with pytest.raises(QueryError, match=r"no entity named 'Lee'; did you mean Lee Jae-myung \(person:lee-jae-myung\)"):
        rows(store, "actor", actor="Lee")
    with pytest.raises(QueryError, match="names no Industry or Province or City or Organization"):
        rows(store, "plans-targeting", target="Lee Jae-myung")
    with pytest.raises(UsageError, match="needs --param group"):
        rows(store, "members")
    with pytest.raises(UsageError, match="takes a whole number"):
        rows(store, "top-industries", limit="many")
    with pytest.raises(QueryError, match="no named query 'member'.*did you mean members"):
        rows(store, "member", group="Seoul")
