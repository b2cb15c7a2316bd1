"""The Cypher text of the data path, the same on FalkorDB and Neo4j.

Values always travel as parameters. Labels and relation types cannot be
parameters in Cypher, so the only strings spliced into a statement are the
fixed names of schema/model.py, checked against that whitelist here.
"""
from __future__ import annotations

from policygraph.schema.model import ENTITY_TYPES, RELATION_TYPES, ROLE_LABELS

DOCUMENTS = """
UNWIND $rows AS r
MERGE (d:Document {doc_id: r.doc_id})
SET d.title = r.title, d.date = r.date, d.source = r.source, d.path = r.path, d.captions = r.captions,
    d.content_hash = r.content_hash, d.status = 'loading', d.entity_ids = r.entity_ids
"""

MARK_LOADED = """
UNWIND $rows AS r
MATCH (d:Document {doc_id: r.doc_id})
SET d.status = 'loaded', d.loaded_hash = r.content_hash, d.entity_count = r.entities,
    d.relation_count = r.relations
"""

MENTIONS = """
UNWIND $rows AS r
MATCH (d:Document {doc_id: r.doc_id})
MATCH (n:Entity {id: r.id})
MERGE (d)-[m:MENTIONS]->(n)
SET m.count = r.count, m.surfaces = r.surfaces, m.offsets = r.offsets
"""

DOCUMENT_STATES = """
MATCH (d:Document)
RETURN d.doc_id AS doc_id, d.status AS status, d.loaded_hash AS loaded_hash
"""

ALIAS_INDEX = """
MATCH (n:Entity)
RETURN n.id AS id, n.type AS type, n.name AS name, n.aliases AS aliases, n.key AS key
"""

# Forgetting one document before it is written again: its evidence leaves the
# edges, edges no other document states go, and so do entities nothing mentions.
PURGE_EDGES = """
MATCH (d:Document {doc_id: $doc_id})-[:MENTIONS]->(:Entity)-[e]->(:Entity)
WHERE $doc_id IN e.doc_ids
WITH DISTINCT e
WITH e, [i IN range(0, size(e.evidence_doc_ids) - 1) WHERE e.evidence_doc_ids[i] <> $doc_id] AS keep
SET e.doc_ids = [x IN e.doc_ids WHERE x <> $doc_id],
    e.evidence = [i IN keep | e.evidence[i]],
    e.provenance = [i IN keep | e.provenance[i]],
    e.evidence_doc_ids = [i IN keep | e.evidence_doc_ids[i]]
"""

DELETE_EMPTY_EDGES = """
MATCH (d:Document {doc_id: $doc_id})-[:MENTIONS]->(:Entity)-[e]->(:Entity)
WHERE size(e.doc_ids) = 0
DELETE e
"""

# The entities a document's last write named, recorded before they were written: a run
# killed between writing them and their mentions leaves them findable from here.
DOCUMENT_ENTITY_IDS = """
MATCH (d:Document {doc_id: $doc_id})
RETURN coalesce(d.entity_ids, []) AS ids
"""

PURGE_MENTIONS = """
MATCH (d:Document {doc_id: $doc_id})-[m:MENTIONS]->(n:Entity)
WITH m, n.id AS id
DELETE m
RETURN collect(id) AS ids
"""

DELETE_ORPHANS = """
MATCH (n:Entity)
WHERE n.id IN $ids
OPTIONAL MATCH (n)<-[m:MENTIONS]-(:Document)
WITH n, count(m) AS mentions
WHERE mentions = 0
DETACH DELETE n
"""


def entities(labels: tuple[str, ...]) -> str:
    """MERGE entities that share one set of extra labels (type and roles)."""
    allowed = set(ENTITY_TYPES) | ROLE_LABELS
    for label in labels:
        if label not in allowed:
            raise ValueError(f"not a schema label: {label!r}")
    set_labels = "".join(f":{label}" for label in labels)
    return f"""
UNWIND $rows AS r
MERGE (n:Entity {{id: r.id}})
ON CREATE SET n.name = r.name, n.type = r.type
SET n{set_labels},
    n.aliases = coalesce(n.aliases, []) + [a IN r.aliases WHERE NOT a IN coalesce(n.aliases, [])],
    n.roles = coalesce(n.roles, []) + [x IN r.roles WHERE NOT x IN coalesce(n.roles, [])],
    n.role_history = coalesce(n.role_history, []) + [x IN r.role_history WHERE NOT x IN coalesce(n.role_history, [])],
    n += r.props
"""


def relations(rel_type: str) -> str:
    """MERGE one relation type; each row carries one edge's documents, each added once.

    An edge's documents stay in doc_id order (and its evidence, provenance and
    rules with them) whatever order they were loaded in, so a load resumed after
    a crash, a changed document loaded again or two loads in either order leave
    the very same lists. The existing lists are in that order already, so each
    new document is a cut point in them: linear work, no sort in Cypher.
    """
    if rel_type not in RELATION_TYPES:
        raise ValueError(f"not a schema relation type: {rel_type!r}")
    parallel = ",\n    ".join(
        f"e.{prop} = reduce(acc = [], j IN range(0, size(new) - 1) |\n"
        f"        acc + {old}[CASE WHEN j = 0 THEN 0 ELSE cut[j - 1] END..cut[j]] + [i IN picks[j] | r.{row}[i]])\n"
        f"        + {old}[cut[size(cut) - 1]..size({old})]"
        for prop, old, row in (("evidence", "ev", "sentences"), ("evidence_doc_ids", "had", "sentence_doc_ids"),
                               ("provenance", "prov", "provenance")))
    return f"""
UNWIND $rows AS r
MATCH (a:Entity {{id: r.head}})
MATCH (b:Entity {{id: r.tail}})
MERGE (a)-[e:{rel_type}]->(b)
WITH e, r, coalesce(e.doc_ids, []) AS seen, coalesce(e.evidence_doc_ids, []) AS had
WITH e, r, seen, had, reduce(acc = [], d IN [x IN r.doc_ids WHERE NOT x IN seen] |
         CASE WHEN d IN acc THEN acc ELSE [y IN acc WHERE y < d] + d + [y IN acc WHERE y > d] END) AS new
WHERE size(new) > 0
WITH e, r, seen, had, new, coalesce(e.evidence, []) AS ev, coalesce(e.provenance, []) AS prov,
     [d IN new | size([x IN had WHERE x < d])] AS cut,
     [d IN new | [i IN range(0, size(r.sentences) - 1) WHERE r.sentence_doc_ids[i] = d]] AS picks
SET e.doc_ids = reduce(acc = seen, d IN new | [x IN acc WHERE x < d] + d + [x IN acc WHERE x > d]),
    {parallel},
    e.rules = reduce(acc = coalesce(e.rules, []), x IN r.rules |
        CASE WHEN x IN acc THEN acc ELSE [y IN acc WHERE y < x] + x + [y IN acc WHERE y > x] END),
    e.confidence = CASE WHEN e.confidence IS NULL OR e.confidence < r.confidence
                        THEN r.confidence ELSE e.confidence END
"""
