"""One Cypher for both engines: every statement policygraph sends passes Neo4j's own linter
(@neo4j-cypher/language-support under Node) with zero diagnostics, warnings included."""
from __future__ import annotations

from collections import defaultdict

import pytest
from cypher_lint import LintQuery, built_statements, lint, literal_statements, named_queries, project_statements

from policygraph.schema.model import RELATION_TYPES

# What the linter must catch, each under its own name (linted in the same run as the project).
BAD = [
    LintQuery("bad:syntax", "MATCH (n:Entity) RETRN n.name"),
    LintQuery("bad:apoc", "MATCH (n:Entity) RETURN apoc.text.join(n.aliases, ',') AS a"),
    LintQuery("bad:label", "MATCH (n:Enity) RETURN n.name"),
    LintQuery("bad:relation type", "MATCH (a:Entity)-[:SUPPORT]->(b:Entity) RETURN a.id"),
    LintQuery("bad:property", "MATCH (n:Entity) RETURN n.nmae"),
    LintQuery("bad:parameter", "MATCH (n:Entity {id: $id}) RETURN n.name"),  # $id not declared
    LintQuery("bad:neo4j-4-only", "MATCH (n:Entity) RETURN size((n)-->()) AS degree"),
    # A property of a node read inside another node's pattern map is still checked ...
    LintQuery("bad:node property in a pattern map", "MATCH (b:Entity) MATCH (a:Entity {id: b.head}) RETURN a.name"),
]
# ... but that of an UNWIND row is not: the false positive lint.mjs documents and drops.
CLEAN = [LintQuery("clean:row property in a pattern map",
                   "UNWIND $rows AS r MATCH (a:Entity {id: r.head}) RETURN a.name", ("rows",))]


@pytest.fixture(scope="module")
def linted():
    statements = project_statements()
    found = defaultdict(list)
    for d in lint(statements + BAD + CLEAN):
        found[d.name].append(d)
    return statements, found


def test_every_statement_the_project_sends_passes_neo4js_linter(linted):
    statements, found = linted
    names = {q.name for q in statements}
    # The collection is generic; these show it finds what it must.
    assert {"graph/statements.py", "graph/export.py", "api.py", "graph/importer.py",
            "queries/analytics.py", "queries/resolve.py"} <= {n.split(":")[0] for n in names}
    assert {f"statements.relations({t})" for t in RELATION_TYPES} <= names
    assert {f"store.adjacency_statement({t}, False)" for t in RELATION_TYPES} <= names
    assert {f"store.adjacency_statement({t}, True, within=True)" for t in RELATION_TYPES} <= names
    assert {"store.neighbours_statement(within=False)", "store.neighbours_statement(within=True)"} <= names
    assert {"paths.ends_statement", "counts.LINK_COUNTS", *(f"store.search_statement({k})" for k in ("keys", "link_total", "names"))} <= set(names)
    assert len(named_queries()) == len([n for n in names if n.endswith(".cypher")]) >= 11
    problems = [str(d) for name in sorted(names) for d in found.get(name, [])]
    assert not problems, ("Neo4j's linter reports (a new property must be declared in tests/cypher_lint.py):\n"
                          + "\n".join(problems))


def test_the_linter_catches_what_it_is_here_to_catch(linted):
    _, found = linted
    assert {q.name for q in BAD} <= set(found)
    assert not any(found.get(q.name) for q in CLEAN)


def test_collection_skips_docstrings_and_lints_builders_whole():
    texts = [q.query for q in literal_statements()]
    assert texts and all(t.lstrip().split()[0].isupper() for t in texts)
    assert any("MERGE (n:Entity {id: r.id})" in q.query for q in built_statements())
