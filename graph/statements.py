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
SET d.title = r.title, d.date = r.date, d.source = r.source, d.path = r.path,
    d.content_hash = r.content_hash, d.status = 'loading'
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
    """MERGE one relation type; each row carries one edge's documents, each added once."""
    if rel_type not in RELATION_TYPES:
        raise ValueError(f"not a schema relation type: {rel_type!r}")
    return f"""
UNWIND $rows AS r
MATCH (a:Entity {{id: r.head}})
MATCH (b:Entity {{id: r.tail}})
MERGE (a)-[e:{rel_type}]->(b)
WITH e, r, coalesce(e.doc_ids, []) AS seen
WITH e, r, seen, [i IN range(0, size(r.sentences) - 1) WHERE NOT r.sentence_doc_ids[i] IN seen] AS fresh
WHERE size([d IN r.doc_ids WHERE NOT d IN seen]) > 0
SET e.doc_ids = seen + [d IN r.doc_ids WHERE NOT d IN seen],
    e.evidence = coalesce(e.evidence, []) + [i IN fresh | r.sentences[i]],
    e.evidence_doc_ids = coalesce(e.evidence_doc_ids, []) + [i IN fresh | r.sentence_doc_ids[i]],
    e.provenance = coalesce(e.provenance, []) + [i IN fresh | r.provenance[i]],
    e.rules = coalesce(e.rules, []) + [x IN r.rules WHERE NOT x IN coalesce(e.rules, [])],
    e.confidence = CASE WHEN e.confidence IS NULL OR e.confidence < r.confidence
                        THEN r.confidence ELSE e.confidence END
"""
