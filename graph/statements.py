"""The Cypher text of the data path, the same on FalkorDB and Neo4j.

Values always travel as parameters. Labels and relation types cannot be
parameters in Cypher, so the only strings spliced into a statement are the
fixed names of schema/model.py, checked against that whitelist here.
"""
from __future__ import annotations

from collections.abc import Iterable

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
    d.relation_count = r.relations, d.entity_ids = null
"""


def row_of(fields: dict[str, str], intern: bool) -> str:
    """The expression that reads one row of $rows (as `row`), with its list-of-string fields interned.

    FalkorDB's intern() keeps one copy of a string however many lists hold it: a sentence that
    states three relations, a document id on thirty edges, "Seoul" on thousands of MENTIONS.
    On 10,000 articles the evidence sentences alone are 3.6 copies of each, and interning cut
    the server's memory from 256 MB to 159 MB. Neo4j has no such function: it reads rows as they come.
    """
    if not intern:
        return "row"
    parts = ", ".join(f"{name}: [x IN coalesce(row.{name}, []) | intern(x)]" if kind == "strings" else
                      f"{name}: row.{name}" for name, kind in fields.items())
    return f"{{{parts}}}"


def mentions(intern: bool = False) -> str:
    row = row_of({"doc_id": "", "id": "", "count": "", "surfaces": "strings", "offsets": ""}, intern)
    return f"""
UNWIND $rows AS row
WITH {row} AS r
MATCH (d:Document {{doc_id: r.doc_id}})
MATCH (n:Entity {{id: r.id}})
MERGE (d)-[m:MENTIONS]->(n)
SET m.count = r.count, m.surfaces = r.surfaces, m.offsets = r.offsets
"""


MENTIONS = mentions()

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
# killed between writing them and their mentions leaves them findable from here. Once the
# document is marked loaded its MENTIONS name them all, and the list is dropped.
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


# Every entity keeps `keys`: its name and aliases in lower case without the usual
# separators ("Lee Jae-myung" -> "leejaemyung"). An index on them lets the name
# resolver (queries/resolve.py) find "LEE JAE MYUNG" by one lookup instead of
# comparing the names of every entity in the store.
KEY_SEPARATORS = tuple(" -.,'’‘\"“”()/&:_·")


def name_key(text: str) -> str:
    """One name as `keys` holds it: lower case without KEY_SEPARATORS."""
    return "".join(ch for ch in text.lower() if ch not in KEY_SEPARATORS)


def name_keys(name: str, aliases: Iterable[str] = ()) -> list[str]:
    """The `keys` an entity row carries: one per distinct spelling of its name and aliases."""
    return list(dict.fromkeys(k for k in map(name_key, (name, *aliases)) if k))


def entities(labels: tuple[str, ...]) -> str:
    """MERGE entities that share one set of extra labels (type and roles).

    Rows carry `keys` (name_keys of their name and aliases); they are united
    with the stored ones like aliases are.
    """
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
    n.keys = coalesce(n.keys, []) + [k IN coalesce(r.keys, []) WHERE NOT k IN coalesce(n.keys, [])],
    n.roles = coalesce(n.roles, []) + [x IN r.roles WHERE NOT x IN coalesce(n.roles, [])],
    n.role_history = coalesce(n.role_history, []) + [x IN r.role_history WHERE NOT x IN coalesce(n.role_history, [])],
    n += r.props
"""


# An edge's lists that run in step, one entry per evidence sentence: (property, its old value, the row's field).
PARALLEL_LISTS = (("evidence", "ev", "sentences"), ("evidence_doc_ids", "had", "sentence_doc_ids"),
                  ("provenance", "prov", "provenance"))


RELATION_ROW = {"head": "", "tail": "", "doc_ids": "strings", "sentences": "strings", "sentence_doc_ids": "strings",
                "provenance": "strings", "rules": "strings", "confidence": ""}


def relations(rel_type: str, intern: bool = False) -> str:
    """MERGE one relation type; each row carries one edge's documents, each added once.

    An edge's documents stay in doc_id order (and its evidence, provenance and
    rules with them) whatever order they were loaded in, so a load resumed after
    a crash, a changed document loaded again or two loads in either order leave
    the very same lists. Rows come with their documents sorted. A load reads its
    files in doc_id order, so a row's documents nearly always all follow the
    edge's last one: then the lists are appended to, one copy each. Otherwise
    each new document is a cut point in the existing lists.

    FalkorDB evaluates every branch of a CASE, so the two paths are guarded by
    FOREACH over an empty or one-element list, and the splice's inputs iterate
    over empty lists on the append path: a hub edge stated by thousands of
    documents costs one list copy per batch, not one per document.
    """
    if rel_type not in RELATION_TYPES:
        raise ValueError(f"not a schema relation type: {rel_type!r}")
    spliced = ",\n        ".join(
        f"e.{prop} = reduce(acc = [], j IN range(0, size(new) - 1) |\n"
        f"            acc + {old}[CASE WHEN j = 0 THEN 0 ELSE cut[j - 1] END..cut[j]] + [i IN picks[j] | r.{row}[i]])\n"
        f"            + {old}[cut[size(cut) - 1]..size({old})]"
        for prop, old, row in PARALLEL_LISTS)
    appended = ", ".join(f"e.{prop} = {old} + r.{row}" for prop, old, row in PARALLEL_LISTS)
    return f"""
UNWIND $rows AS row
WITH {row_of(RELATION_ROW, intern)} AS r
MATCH (a:Entity {{id: r.head}})
MATCH (b:Entity {{id: r.tail}})
MERGE (a)-[e:{rel_type}]->(b)
WITH e, r, coalesce(e.doc_ids, []) AS seen, coalesce(e.evidence_doc_ids, []) AS had,
     coalesce(e.evidence, []) AS ev, coalesce(e.provenance, []) AS prov
WITH e, r, seen, had, ev, prov, size(seen) = 0 OR seen[size(seen) - 1] < r.doc_ids[0] AS append
WITH e, r, seen, had, ev, prov, append,
     [x IN CASE WHEN append THEN [] ELSE r.doc_ids END WHERE NOT x IN seen] AS new
WHERE append OR size(new) > 0
WITH e, r, seen, had, ev, prov, append, new,
     [d IN new | size([x IN had WHERE x < d])] AS cut,
     [d IN new | [i IN range(0, size(r.sentences) - 1) WHERE r.sentence_doc_ids[i] = d]] AS picks
FOREACH (_ IN CASE WHEN append THEN [1] ELSE [] END |
    SET e.doc_ids = seen + r.doc_ids, {appended})
FOREACH (_ IN CASE WHEN append THEN [] ELSE [1] END |
    SET e.doc_ids = reduce(acc = seen, d IN new | [x IN acc WHERE x < d] + d + [x IN acc WHERE x > d]),
        {spliced})
SET e.rules = reduce(acc = coalesce(e.rules, []), x IN r.rules |
        CASE WHEN x IN acc THEN acc ELSE [y IN acc WHERE y < x] + x + [y IN acc WHERE y > x] END),
    e.confidence = CASE WHEN e.confidence IS NULL OR e.confidence < r.confidence
                        THEN r.confidence ELSE e.confidence END
"""
