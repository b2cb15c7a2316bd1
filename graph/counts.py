"""Counts the whole-graph queries rank by, kept on the graph so those queries read them instead of counting.

On 100,000 articles an industry has up to 1,700 supporters and a governor's LEADS
edge names 1,600 documents: `top-industries` counted 580,000 SUPPORTS edges and
`leaders` read 40,000 document lists on every run (60-80 ms). The counts are
derived data, like `keys`, and left out of exports:

- `Industry.supporter_count` and `Industry.plan_count`, refreshed from the edges
  after every write (a few hundred industries: milliseconds even on a big graph);
- `doc_count` on every edge but MENTIONS, the size of `doc_ids` (and, during a load,
  of a busy edge's `doc_ids_tail`): the loader's statements keep it as they change
  `doc_ids` (graph/statements.py); after an
  import or a Cypher write it is recomputed on LEADS, the edges queries rank by it;
- `Person.lead_doc_count`, the largest `doc_count` of the person's LEADS edges,
  refreshed with the industries' counts. FalkorDB reads an edge's property about
  twenty times slower than a node's: `leaders` finds its best-documented people
  among 15,000 nodes instead of ranking 40,000 edges (40 ms to a few);
- `Entity.link_count`, the entity's SUPPORTS, TARGETS, BELONGS_TO and LEADS edges
  (either direction), refreshed with the others: `paths` expands the side of its
  search with fewer edges to read, where an industry has 3,600 of them and most
  entities two. Only a hint: a stale count slows a search, it never changes its rows.

Each refresh sets only the counts that changed: a SET costs FalkorDB as much when the
value stays. After a load into a 100,000-article graph the three refreshes took 0.93 s
setting every industry, person and entity, and 0.37 s setting the changed ones, most of
it reading degrees.
"""
from __future__ import annotations

from policygraph.graph.statements import TAILS_FLAG
from policygraph.graph.store import Store
from policygraph.schema.model import RELATION_TYPES

DERIVED_NODE_PROPS = ("keys", "supporter_count", "plan_count", "lead_doc_count", "link_count", TAILS_FLAG)
DERIVED_EDGE_PROPS = ("doc_count",)

INDUSTRY_COUNTS = """
MATCH (i:Industry)
OPTIONAL MATCH (s:Entity)-[:SUPPORTS]->(i)
WITH i, count(s) AS supporters
OPTIONAL MATCH (p:Plan)-[:TARGETS]->(i)
WITH i, supporters, count(p) AS plans
WHERE i.supporter_count IS NULL OR i.supporter_count <> supporters OR i.plan_count IS NULL OR i.plan_count <> plans
SET i.supporter_count = supporters, i.plan_count = plans
"""

# Null (no property) for a person who leads nothing any more.
LEADER_COUNTS = """
MATCH (p:Person)
OPTIONAL MATCH (p)-[e:LEADS]->(:Entity)
WITH p, max(e.doc_count) AS best
WHERE NOT coalesce(p.lead_doc_count = best, p.lead_doc_count IS NULL AND best IS NULL)
SET p.lead_doc_count = best
"""

_LINKS = "|".join(RELATION_TYPES)
LINK_COUNTS = f"""
MATCH (n:Entity)
OPTIONAL MATCH (n)-[e:{_LINKS}]-(:Entity)
WITH n, count(e) AS links
WHERE n.link_count IS NULL OR n.link_count <> links
SET n.link_count = links
"""


def node_counts(store: Store) -> tuple[str, ...]:
    """The node counts that follow the edges; the loader's writer sends them as its last statements."""
    return INDUSTRY_COUNTS, LEADER_COUNTS, store.link_counts or LINK_COUNTS


LEADS_DOC_COUNTS = """
MATCH (:Entity)-[e:LEADS]->(:Entity)
SET e.doc_count = size(coalesce(e.doc_ids, [])) + size(coalesce(e.doc_ids_tail, []))
"""

# An industry without counts: a store written before they existed, or by hand.
UNCOUNTED = """
MATCH (i:Industry)
WHERE i.supporter_count IS NULL
RETURN count(i) AS n
"""
# A store written before people had lead_doc_count: none has it, yet something is led.
# Two statements: FalkorDB counts a relation type in constant time only when alone.
COUNTED_LEADER = """
MATCH (p:Person)
WHERE p.lead_doc_count IS NOT NULL
RETURN p.id AS id
LIMIT 1
"""
LEADS_EDGES = "MATCH ()-[e:LEADS]->() RETURN count(e) AS n"
# A store written before entities had link_count (one entity is enough to tell).
UNLINKED = """
MATCH (n:Entity)
RETURN n.link_count IS NULL AS missing
LIMIT 1
"""


def refresh_counts(store: Store) -> None:
    """Recompute the industries', leaders' and link counts and the LEADS edges' doc_count from the edges.

    For writes that do not keep doc_count (imports, Cypher). The loader's writer sends
    only node_counts, as the last statements of a write: its statements keep doc_count.
    """
    store.run(LEADS_DOC_COUNTS, write=True)  # first: a leader's count is read from its edges'
    for statement in node_counts(store):
        store.run(statement, write=True)


def ensure_counts(store: Store) -> None:
    """Fill the counts in a store that lacks them (a look at the industries, one entity and
    one person when it has them)."""
    if (store.run(UNCOUNTED).value() or store.run(UNLINKED).value()
            or (not store.run(COUNTED_LEADER).rows and store.run(LEADS_EDGES).value())):
        refresh_counts(store)
