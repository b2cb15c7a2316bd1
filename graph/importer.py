"""Load a graph file into a store: the export's own node-link JSON (more formats plug in).

A reader turns a file into `GraphRows` (documents, entities, relations,
mentions as plain rows); one writer sends those with batched, parameterised
`UNWIND ... MERGE` statements, so importing the same file twice changes nothing.
Nodes and edges merge on their identity (entity id, doc_id, head-type-tail):
an entity's aliases, roles and role history are united with what the store
holds, and every other property the file states replaces the store's value.
To add a format, write a reader `path -> GraphRows` and register it in READERS.
"""
from __future__ import annotations

import json
import logging
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policygraph.errors import InputError, UsageError
from policygraph.graph import statements as st
from policygraph.graph.counts import refresh_counts
from policygraph.graph.faults import WriteFault
from policygraph.graph.store import WRITE_PASSES, Store, replaced_too_often
from policygraph.graph.writer import DEFAULT_BATCH
from policygraph.schema.model import ENTITY_TYPES, RELATION_TYPES, ROLE_LABELS

log = logging.getLogger(__name__)

IMPORT_DOCUMENTS = """
UNWIND $rows AS r
MERGE (d:Document {doc_id: r.doc_id})
SET d += r.props
"""

IMPORT_MENTIONS = """
UNWIND $rows AS r
MATCH (d:Document {doc_id: r.doc_id})
MATCH (n:Entity {id: r.id})
MERGE (d)-[m:MENTIONS]->(n)
SET m += r.props
"""

# Properties the entity statement sets itself, or that node-link adds. `keys` are
# recomputed from the name and aliases (statements.name_keys), never taken from a file.
ENTITY_FIELDS = {"id", "labels", "name", "type", "aliases", "roles", "role_history", "keys"}


def import_relations(rel_type: str) -> str:
    """MERGE one relation type (a fixed schema name, never text from the file)."""
    if rel_type not in RELATION_TYPES:
        raise ValueError(f"not a schema relation type: {rel_type!r}")
    return f"""
UNWIND $rows AS r
MATCH (a:Entity {{id: r.source}})
MATCH (b:Entity {{id: r.target}})
MERGE (a)-[e:{rel_type}]->(b)
SET e += r.props
"""


@dataclass
class GraphRows:
    documents: list[dict[str, Any]] = field(default_factory=list)
    entities: dict[tuple[str, ...], list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    relations: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    mentions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ImportReport:
    documents: int = 0
    entities: int = 0
    relations: int = 0
    mentions: int = 0

    def summary(self) -> str:
        return (f"imported {self.entities} entities, {self.relations} relations, "
                f"{self.documents} documents and {self.mentions} mentions")


Reader = Callable[[Path], GraphRows]


def import_file(store: Store, path: str | os.PathLike, format: str = "node-link", *,
                batch_size: int = DEFAULT_BATCH) -> ImportReport:
    reader = READERS.get(format)
    if reader is None:
        raise UsageError(f"cannot import the format {format!r}: choose one of {', '.join(sorted(READERS))}")
    return write_rows(store, reader(Path(path)), batch_size)


def write_rows(store: Store, rows: GraphRows, batch_size: int = DEFAULT_BATCH) -> ImportReport:
    send = _sender(store, batch_size)
    with store.bulk_writes():  # every statement here is a MERGE or a SET: sending one twice changes nothing
        for _ in range(WRITE_PASSES):
            restarts = store.restarts
            send(IMPORT_DOCUMENTS, rows.documents)
            for labels, group in sorted(rows.entities.items()):
                # Whatever the reader, the keys the name resolver looks up follow the name and aliases.
                send(st.entities(labels), [row | {"keys": st.name_keys(row["name"], row["aliases"])} for row in group])
            send(IMPORT_MENTIONS, rows.mentions)
            for rel_type, group in sorted(rows.relations.items()):
                send(import_relations(rel_type), group)
            refresh_counts(store)
            # A replaced server may have lost the writes it answered last (graph/falkordb_store.py):
            # all of them are sent again, which changes nothing that was kept.
            if store.restarts == restarts:
                break
            log.warning("the embedded server was replaced during the import: writing it all again")
        else:
            raise replaced_too_often(store, "import", "import again")
    return ImportReport(len(rows.documents), sum(map(len, rows.entities.values())),
                        sum(map(len, rows.relations.values())), len(rows.mentions))


def _sender(store: Store, batch_size: int) -> Callable[[str, list[dict[str, Any]]], None]:
    fault = WriteFault.for_store(store)

    def send(statement: str, rows: list[dict[str, Any]]) -> None:
        for i in range(0, len(rows), batch_size):
            store.run(statement, {"rows": rows[i:i + batch_size]}, write=True)
            fault.tick()
    return send


# -- node-link ----------------------------------------------------------------
def read_node_link(path: Path) -> GraphRows:
    return node_link_rows(_load_json(path), path)


def read_turtle(path: Path) -> GraphRows:
    """RDF that `policygraph export --format turtle` wrote: back to node-link, then the same rows."""
    from policygraph.graph.rdf import read_rdf_file

    return node_link_rows(read_rdf_file(path, "turtle"), path)


def node_link_rows(data: dict[str, Any], path: Path) -> GraphRows:
    nodes = data.get("nodes")
    links = data.get("links", data.get("edges"))
    if not isinstance(nodes, list) or not isinstance(links, list):
        raise InputError(f"{path}: not node-link JSON (it needs \"nodes\" and \"links\" lists): "
                         "import a file written by `policygraph export --format node-link`")
    rows = GraphRows()
    docs: dict[Any, str] = {}  # node-link id -> doc_id
    entities: set[Any] = set()
    for node in nodes:
        where = f"{path}: node {node.get('id')!r}" if isinstance(node, dict) else f"{path}: a node"
        if not isinstance(node, dict) or "id" not in node:
            raise InputError(f"{where} is not an object with an \"id\": fix or re-export the file")
        if "Document" in (node.get("labels") or []):
            doc_id = str(node.get("doc_id") or "")
            if not doc_id:
                raise InputError(f"{where} is a Document without a \"doc_id\": add one or re-export the file")
            docs[node["id"]] = doc_id
            props = _props(node, {"id", "labels", "name", "doc_id"}, where)
            rows.documents.append({"doc_id": doc_id, "props": props})
        else:
            labels, row = _entity_row(node, where)
            entities.add(node["id"])
            rows.entities[labels].append(row)
    for link in links:
        _link_row(link, docs, entities, rows, path)
    return rows


def _entity_row(node: dict[str, Any], where: str) -> tuple[tuple[str, ...], dict[str, Any]]:
    if any(ord(c) < 32 for c in str(node["id"])):
        raise InputError(f"{where}: an entity id cannot hold control characters (tabs, line breaks): "
                         "fix the id in the file")
    labels = [label for label in node.get("labels") or [] if label != "Entity"]
    unknown = [label for label in labels if label not in ENTITY_TYPES and label not in ROLE_LABELS]
    if unknown:
        raise InputError(f"{where} has labels outside the schema ({', '.join(map(str, unknown))}): "
                         "only entity types and role labels can be imported")
    types = [label for label in labels if label in ENTITY_TYPES]
    type_ = node.get("type") or (types[0] if len(types) == 1 else "")
    if type_ not in ENTITY_TYPES or types not in ([], [type_]):
        raise InputError(f"{where} needs exactly one entity type among its labels or in \"type\" "
                         f"(one of {', '.join(ENTITY_TYPES)})")
    roles = sorted(label for label in labels if label in ROLE_LABELS)
    row = {"id": str(node["id"]), "name": str(node.get("name") or node["id"]), "type": type_,
           "aliases": _strings(node, "aliases", where), "roles": _strings(node, "roles", where),
           "role_history": _strings(node, "role_history", where), "props": _props(node, ENTITY_FIELDS, where)}
    return (type_, *roles), row


def _link_row(link: Any, docs: dict[Any, str], entities: set[Any], rows: GraphRows, path: Path) -> None:
    if not isinstance(link, dict):
        raise InputError(f"{path}: a link is not an object: fix or re-export the file")
    kind = link.get("type") or link.get("key")
    where = f"{path}: link {link.get('source')!r} -{kind}-> {link.get('target')!r}"
    props = _props(link, {"source", "target", "key", "type"}, where)
    if kind == "MENTIONS":
        if link.get("source") not in docs or link.get("target") not in entities:
            raise InputError(f"{where} must go from a Document node to an entity node of the file")
        rows.mentions.append({"doc_id": docs[link["source"]], "id": str(link["target"]), "props": props})
    elif kind in RELATION_TYPES:
        if link.get("source") not in entities or link.get("target") not in entities:
            raise InputError(f"{where} must join two entity nodes of the file")
        rows.relations[kind].append({"source": str(link["source"]), "target": str(link["target"]), "props": props})
    else:
        raise InputError(f"{where}: {kind!r} is not a relation type of the schema "
                         f"({', '.join([*RELATION_TYPES, 'MENTIONS'])})")


def _props(item: dict[str, Any], skip: Iterable[str], where: str) -> dict[str, Any]:
    """Properties both engines can store: scalars and lists of scalars (null means absent)."""
    out = {}
    for key, value in item.items():
        if key in skip or value is None:
            continue
        if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value)):
            raise InputError(f"{where}: property {key!r} holds a map or nested list, which a graph store "
                             "cannot keep; flatten it (e.g. to a JSON string) before importing")
        out[str(key)] = value
    return out


def _strings(node: dict[str, Any], key: str, where: str) -> list[str]:
    value = node.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: {key!r} must be a list of strings")
    return value


def _load_json(path: Path) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file: check the path") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not valid JSON ({exc}): import a file written by "
                         "`policygraph export --format node-link`") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror}): check the path and its permissions") from exc
    if not isinstance(data, dict):
        raise InputError(f"{path}: not node-link JSON (the top level must be an object with nodes and links)")
    return data


READERS: dict[str, Reader] = {"node-link": read_node_link, "turtle": read_turtle}
