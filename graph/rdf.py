"""The graph as RDF (Turtle, JSON-LD), and RDF back to node-link for import.

Established vocabularies where they fit: W3C ORG (org:memberOf, org:headOf,
org:subOrganizationOf), PROV-O (each relation prov:wasDerivedFrom its
documents, each evidence sentence a prov:Entity with prov:value), SKOS for the
industry vocabulary (skos:prefLabel, skos:altLabel, skos:broader) and
schema.org for people, places and government bodies. The project's own small
ontology (schema/policygraph.ttl, namespace `pg:`) names what they do not
cover: the four relation types, the reified relation with its evidence, and
the MENTIONS of a document. schema/shapes.ttl holds SHACL shapes for it.

Every relation is written twice over: as a direct triple (`a pg:supports b`,
plus the ORG or schema.org triple where one fits) for querying, and as a
`pg:Relation` (an rdf:Statement) that carries the documents, evidence and
provenance, so that importing the RDF gives the graph back.

IRIs are derived from the stable entity ids, so they are the same on every
run: `person:lee-jae-myung` -> `<base>person/lee-jae-myung`, a document
`<base>document/<doc_id>`; the base defaults to DEFAULT_BASE.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from typing import Any
from urllib.parse import quote, unquote

import networkx as nx
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

from policygraph.errors import InputError, UsageError
from policygraph.graph.export import document_node_id, node_link
from policygraph.schema.model import ENTITY_TYPES, ROLE_LABELS

PG = Namespace("https://policygraph.example/ontology#")
PGP = Namespace("https://policygraph.example/property/")  # properties the mapping does not name
DEFAULT_BASE = "https://policygraph.example/id/"

PREFIXES = {"pg": PG, "pgp": PGP, "org": ORG, "prov": PROV, "skos": SKOS, "schema": SDO, "dcterms": DCTERMS,
            "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD}

RELATION_PREDICATES = {"SUPPORTS": PG.supports, "TARGETS": PG.targets, "BELONGS_TO": PG.belongsTo,
                       "LEADS": PG.leads}
RELATION_BY_PREDICATE = {p: t for t, p in RELATION_PREDICATES.items()}

# Standard classes stated next to pg:<Type>, so that plain RDF tools see them
# without reasoning over the ontology.
STANDARD_CLASSES = {
    "Person": (SDO.Person,),
    "Ministry": (SDO.GovernmentOrganization, ORG.Organization),
    "Province": (SDO.AdministrativeArea,),
    "City": (SDO.City, SDO.AdministrativeArea),
    "Industry": (SKOS.Concept,),
    "Plan": (PROV.Plan,),
    "Organization": (SDO.Organization, ORG.Organization),
    "Country": (SDO.Country,),
    "Event": (SDO.Event,),
}
ORGANISATIONS = {"Ministry", "Organization"}
PLACES = {"Province", "City", "Country"}
SCHEMA_NAMED = {"Person", "Ministry", "Province", "City", "Organization", "Country", "Event"}

# Node-link keys the mapping writes with named predicates; others go to pgp:.
ENTITY_KEYS = {"labels", "name", "aliases", "type", "roles", "role_history", "broader", "parent", "gazetteer",
               "kind"}
DOCUMENT_KEYS = {"labels", "name", "doc_id", "title", "date", "source"}
RELATION_KEYS = {"type", "key", "doc_ids", "evidence", "evidence_doc_ids", "provenance", "rules", "confidence"}
MENTION_KEYS = {"type", "key", "count", "surfaces", "offsets"}
_TERM = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# -- graph -> RDF ---------------------------------------------------------------
class IRIs:
    """Stable IRIs under one base."""

    def __init__(self, base: str = DEFAULT_BASE):
        if not re.match(r"^https?://\S+[/#]$", base):
            raise UsageError(f"the base IRI must be an http(s) IRI ending in / or #, not {base!r}: e.g. https://example.org/id/")
        self.base = base

    def entity(self, entity_id: str) -> URIRef:
        prefix, sep, slug = entity_id.partition(":")
        if not sep:
            prefix, slug = "entity", entity_id
        return URIRef(f"{self.base}{quote(prefix, safe='')}/{quote(slug, safe='')}")

    def document(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.base}document/{quote(doc_id, safe='')}")

    def relation(self, head: str, rel_type: str, tail: str) -> URIRef:
        return URIRef(f"{self.base}relation/{_digest(head, rel_type, tail)}")

    def evidence(self, relation: URIRef, index: int) -> URIRef:
        return URIRef(f"{self.base}evidence/{str(relation).rsplit('/', 1)[-1]}-{index}")

    def mention(self, doc_id: str, entity_id: str) -> URIRef:
        return URIRef(f"{self.base}mention/{_digest(doc_id, entity_id)}")

    def scheme(self, name: str) -> URIRef:
        return URIRef(f"{self.base}scheme/{name}")

    def prefixes(self) -> dict[str, str]:
        """Turtle prefixes for the IRIs under the base (id-person: ...); rdflib's Turtle writer is slow
        on IRIs that have none, and they read better."""
        kinds = [*ENTITY_TYPES.values(), "entity", "document", "relation", "evidence", "mention", "scheme"]
        return {f"id-{kind}": f"{self.base}{kind}/" for kind in kinds}


def to_rdf(graph: nx.MultiDiGraph, base: str = DEFAULT_BASE) -> Graph:
    """The store's graph (as read by export.read_graph) as an rdflib Graph."""
    iris = IRIs(base)
    # rdflib binds ~30 namespaces by default, and its Turtle writer tries each on every IRI: bind only ours.
    rdf = Graph(store="SimpleMemory", bind_namespaces="none")
    for prefix, namespace in (PREFIXES | iris.prefixes()).items():
        rdf.bind(prefix, namespace, override=True)
    docs = {node: data["doc_id"] for node, data in graph.nodes(data=True) if "Document" in data.get("labels", [])}
    for node, data in graph.nodes(data=True):
        if node in docs:
            _document(rdf, iris, data)
        else:
            _entity(rdf, iris, node, data)
    for head, tail, data in graph.edges(data=True):
        if data.get("type") == "MENTIONS" and head in docs:
            _mention(rdf, iris, docs[head], tail, data)
        elif data.get("type") in RELATION_PREDICATES:
            _relation(rdf, iris, head, tail, data, graph.nodes)
    return rdf


def _entity(rdf: Graph, iris: IRIs, entity_id: str, data: dict[str, Any]) -> None:
    me = iris.entity(entity_id)
    type_ = data.get("type") or next((x for x in data.get("labels", []) if x in ENTITY_TYPES), "")
    rdf.add((me, RDF.type, PG.Entity))
    for label in data.get("labels", []):
        if label in ENTITY_TYPES or label in ROLE_LABELS:
            rdf.add((me, RDF.type, PG[label]))
    for cls in STANDARD_CLASSES.get(type_, ()):
        rdf.add((me, RDF.type, cls))
    rdf.add((me, DCTERMS.identifier, Literal(entity_id)))
    name = data.get("name", entity_id)
    rdf.add((me, RDFS.label, Literal(name)))
    if type_ in SCHEMA_NAMED:
        rdf.add((me, SDO.name, Literal(name)))
    if type_ == "Industry":
        rdf.add((me, SKOS.prefLabel, Literal(name)))
        rdf.add((me, SKOS.inScheme, iris.scheme("industries")))
    for alias in data.get("aliases") or []:
        rdf.add((me, SKOS.altLabel, Literal(alias)))
    for role in data.get("roles") or []:
        rdf.add((me, PG.role, Literal(role)))
    for item in data.get("role_history") or []:
        rdf.add((me, PG.roleHistory, Literal(item)))
    for broader in _as_list(data.get("broader")):
        rdf.add((me, SKOS.broader, iris.entity(broader)))
    if data.get("parent"):
        parent = iris.entity(data["parent"])
        rdf.add((me, PG.parent, parent))
        rdf.add((me, SDO.containedInPlace if type_ in PLACES else ORG.subOrganizationOf, parent))
    if "gazetteer" in data:
        rdf.add((me, PG.inGazetteer, Literal(bool(data["gazetteer"]))))
    if data.get("kind") is not None:
        rdf.add((me, PG.kind, Literal(data["kind"])))
    _raw(rdf, me, data, ENTITY_KEYS)


def _document(rdf: Graph, iris: IRIs, data: dict[str, Any]) -> None:
    me = iris.document(data["doc_id"])
    for cls in (PG.Document, SDO.CreativeWork, PROV.Entity):
        rdf.add((me, RDF.type, cls))
    rdf.add((me, DCTERMS.identifier, Literal(data["doc_id"])))
    # Empty values are kept as empty strings: the store holds them so, and an import gives them back.
    if data.get("title") is not None:
        rdf.add((me, DCTERMS.title, Literal(data["title"])))
    if data.get("date") is not None:
        rdf.add((me, DCTERMS.date, _date(data["date"])))
    if data.get("source") is not None:
        rdf.add((me, DCTERMS.source, Literal(data["source"])))
    _raw(rdf, me, data, DOCUMENT_KEYS)


def _relation(rdf: Graph, iris: IRIs, head: str, tail: str, data: dict[str, Any], nodes: Any) -> None:
    rel_type = data["type"]
    a, b, predicate = iris.entity(head), iris.entity(tail), RELATION_PREDICATES[rel_type]
    rdf.add((a, predicate, b))
    standard = _standard_predicate(rel_type, _type_of(nodes, head), _type_of(nodes, tail))
    if standard is not None:
        rdf.add((a, standard, b))
    me = iris.relation(head, rel_type, tail)
    for cls in (PG.Relation, RDF.Statement, PROV.Entity):
        rdf.add((me, RDF.type, cls))
    rdf.add((me, RDF.subject, a))
    rdf.add((me, RDF.predicate, predicate))
    rdf.add((me, RDF.object, b))
    for doc_id in _as_list(data.get("doc_ids")):
        rdf.add((me, PROV.wasDerivedFrom, iris.document(doc_id)))
    for rule in _as_list(data.get("rules")):
        rdf.add((me, PG.rule, Literal(rule)))
    if data.get("confidence") is not None:
        rdf.add((me, PG.confidence, Literal(float(data["confidence"]), datatype=XSD.double)))
    evidence = _as_list(data.get("evidence"))
    doc_ids = _as_list(data.get("evidence_doc_ids"))
    provenance = _as_list(data.get("provenance"))
    for i, sentence in enumerate(evidence):
        item = iris.evidence(me, i)
        rdf.add((me, PG.evidence, item))
        rdf.add((item, RDF.type, PG.Evidence))
        rdf.add((item, RDF.type, PROV.Entity))
        rdf.add((item, PG["index"], Literal(i)))
        rdf.add((item, PROV.value, Literal(sentence)))
        if i < len(doc_ids):
            rdf.add((item, PROV.wasDerivedFrom, iris.document(doc_ids[i])))
        if i < len(provenance):
            rdf.add((item, PG.provenance, Literal(provenance[i], datatype=RDF.JSON)))
    _raw(rdf, me, data, RELATION_KEYS)


def _standard_predicate(rel_type: str, head_type: str, tail_type: str) -> URIRef | None:
    """The W3C ORG or schema.org property that says the same, where one fits the types."""
    if rel_type == "LEADS" and head_type == "Person" and tail_type in ORGANISATIONS:
        return ORG.headOf
    if rel_type == "BELONGS_TO":
        if head_type == "Person" and tail_type in ORGANISATIONS:
            return ORG.memberOf
        if head_type in ORGANISATIONS and tail_type in ORGANISATIONS:
            return ORG.subOrganizationOf
        if head_type in PLACES and tail_type in PLACES:
            return SDO.containedInPlace
    return None


def _mention(rdf: Graph, iris: IRIs, doc_id: str, entity_id: str, data: dict[str, Any]) -> None:
    doc, entity = iris.document(doc_id), iris.entity(entity_id)
    rdf.add((doc, SDO.mentions, entity))
    me = iris.mention(doc_id, entity_id)
    rdf.add((me, RDF.type, PG.Mention))
    rdf.add((me, PG.document, doc))
    rdf.add((me, PG.entity, entity))
    if data.get("count") is not None:
        rdf.add((me, PG["count"], Literal(int(data["count"]))))
    for surface in _as_list(data.get("surfaces")):
        rdf.add((me, PG.surface, Literal(surface)))
    if data.get("offsets") is not None:
        rdf.add((me, PG.offsets, Literal(json.dumps(list(data["offsets"])), datatype=RDF.JSON)))
    _raw(rdf, me, data, MENTION_KEYS)


def _raw(rdf: Graph, subject: URIRef, data: dict[str, Any], mapped: set[str]) -> None:
    """Properties the mapping does not name, kept under pgp: so that nothing is lost."""
    for key in sorted(data):
        if key in mapped or data[key] is None or not _TERM.match(key):
            continue
        rdf.add((subject, PGP[key], _literal(data[key])))


# -- RDF -> node-link ---------------------------------------------------------------
def from_rdf(rdf: Graph) -> dict[str, Any]:
    """Node-link JSON (the export's own layout) from RDF that to_rdf wrote."""
    ids = {s: str(o) for s, o in rdf.subject_objects(DCTERMS.identifier)}
    g = nx.MultiDiGraph()
    for me in sorted(set(rdf.subjects(RDF.type, PG.Entity))):
        entity_id = ids.get(me) or _id_from_iri(me)
        g.add_node(entity_id, **_entity_data(rdf, me, ids))
    for me in sorted(set(rdf.subjects(RDF.type, PG.Document))):
        data = _document_data(rdf, me, ids)
        g.add_node(document_node_id(data["doc_id"]), **data)
    for me in sorted(set(rdf.subjects(RDF.type, PG.Relation))):
        head, tail = rdf.value(me, RDF.subject), rdf.value(me, RDF.object)
        rel_type = RELATION_BY_PREDICATE.get(rdf.value(me, RDF.predicate))
        if head is None or tail is None or rel_type is None:
            continue
        g.add_edge(_ref(head, ids), _ref(tail, ids), key=rel_type, **_relation_data(rdf, me, rel_type, ids))
    for me in sorted(set(rdf.subjects(RDF.type, PG.Mention))):
        doc, entity = rdf.value(me, PG.document), rdf.value(me, PG.entity)
        if doc is None or entity is None:
            continue
        g.add_edge(document_node_id(_ref(doc, ids)), _ref(entity, ids), key="MENTIONS",
                   **_mention_data(rdf, me))
    return node_link(g)


def _entity_data(rdf: Graph, me: URIRef, ids: dict) -> dict[str, Any]:
    classes = {_local(c) for c in rdf.objects(me, RDF.type) if str(c).startswith(str(PG))}
    type_ = next((c for c in sorted(classes) if c in ENTITY_TYPES), None)
    labels = ["Entity", *sorted(c for c in classes if c in ENTITY_TYPES or c in ROLE_LABELS)]
    data: dict[str, Any] = {"labels": labels, "name": _str(rdf.value(me, RDFS.label)) or ids.get(me, ""),
                            "aliases": _strs(rdf, me, SKOS.altLabel), "roles": _strs(rdf, me, PG.role),
                            "role_history": _strs(rdf, me, PG.roleHistory)}
    if type_:
        data["type"] = type_
    broader = sorted(_ref(b, ids) for b in rdf.objects(me, SKOS.broader))
    if broader:
        data["broader"] = broader
    parent = rdf.value(me, PG.parent)
    if parent is not None:
        data["parent"] = _ref(parent, ids)
    for key, predicate in (("gazetteer", PG.inGazetteer), ("kind", PG.kind)):
        value = rdf.value(me, predicate)
        if value is not None:
            data[key] = _python(value)
    return data | _raw_data(rdf, me)


def _document_data(rdf: Graph, me: URIRef, ids: dict) -> dict[str, Any]:
    doc_id = ids.get(me) or unquote(str(me).rsplit("/", 1)[-1])
    data: dict[str, Any] = {"labels": ["Document"], "doc_id": doc_id}
    for key, predicate in (("title", DCTERMS.title), ("date", DCTERMS.date), ("source", DCTERMS.source)):
        value = rdf.value(me, predicate)
        if value is not None:
            data[key] = str(value)  # dates keep their lexical form ("--01-12" stays as written)
    data["name"] = data.get("title") or doc_id
    return data | _raw_data(rdf, me)


def _relation_data(rdf: Graph, me: URIRef, rel_type: str, ids: dict) -> dict[str, Any]:
    items = sorted(rdf.objects(me, PG.evidence), key=lambda e: _python(rdf.value(e, PG["index"])) or 0)
    lists = {"doc_ids": sorted(_ref(d, ids) for d in rdf.objects(me, PROV.wasDerivedFrom)),
             "evidence": [_str(rdf.value(e, PROV.value)) for e in items],
             "evidence_doc_ids": [_ref(rdf.value(e, PROV.wasDerivedFrom), ids) for e in items],
             "provenance": [_str(rdf.value(e, PG.provenance)) for e in items
                            if all((x, PG.provenance, None) in rdf for x in items)],
             "rules": _strs(rdf, me, PG.rule)}
    # An empty list and an absent property are one thing in RDF; the store's relations always have these.
    data: dict[str, Any] = {"type": rel_type, **{k: v for k, v in lists.items() if v}}
    confidence = rdf.value(me, PG.confidence)
    if confidence is not None:
        data["confidence"] = float(confidence)
    return data | _raw_data(rdf, me)


def _mention_data(rdf: Graph, me: URIRef) -> dict[str, Any]:
    data: dict[str, Any] = {"type": "MENTIONS"}
    if surfaces := _strs(rdf, me, PG.surface):
        data["surfaces"] = surfaces
    for key, predicate in (("count", PG["count"]), ("offsets", PG.offsets)):
        value = rdf.value(me, predicate)
        if value is not None:
            data[key] = _python(value)
    return data | _raw_data(rdf, me)


def _raw_data(rdf: Graph, me: URIRef) -> dict[str, Any]:
    return {str(p)[len(str(PGP)):]: _python(o) for p, o in rdf.predicate_objects(me) if str(p).startswith(str(PGP))}


# -- values -----------------------------------------------------------------------
def _literal(value: Any) -> Literal:
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, float):
        return Literal(value, datatype=XSD.double)
    if isinstance(value, str):
        return Literal(value)
    return Literal(json.dumps(value, ensure_ascii=False, sort_keys=True), datatype=RDF.JSON)


def _python(value: Any) -> Any:
    if not isinstance(value, Literal):
        return str(value) if value is not None else None
    if value.datatype == RDF.JSON:
        return json.loads(str(value))
    if value.datatype in (XSD.boolean, XSD.integer, XSD.double) and not value.ill_typed:
        return value.toPython()
    return str(value)


def _date(text: str) -> Literal:
    """xsd:date or xsd:gMonthDay ("--01-12": the page gives no year) where valid, else a plain string."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            dt.date.fromisoformat(text)
            return Literal(text, datatype=XSD.date)
        if re.fullmatch(r"--\d{2}-\d{2}", text):
            dt.date.fromisoformat("2000" + text[1:])  # a leap year, so --02-29 is valid
            return Literal(text, datatype=XSD.gMonthDay)
    except ValueError:
        pass
    return Literal(text)


def _ref(term: Any, ids: dict) -> str:
    if term is None:
        return ""
    return ids.get(term) or _id_from_iri(term)


def _id_from_iri(iri: Any) -> str:
    """`<base>prefix/slug` -> `prefix:slug` (for IRIs whose resource is not in the data, e.g. a broader concept)."""
    *_, prefix, slug = str(iri).rsplit("#", 1)[-1].rstrip("/").split("/")
    if prefix == "document":
        return unquote(slug)
    return unquote(slug) if prefix == "entity" else f"{unquote(prefix)}:{unquote(slug)}"


def _local(term: Any) -> str:
    return re.split(r"[#/]", str(term))[-1]


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _strs(rdf: Graph, subject: Any, predicate: URIRef) -> list[str]:
    return sorted(str(o) for o in rdf.objects(subject, predicate))


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _type_of(nodes: Any, node: str) -> str:
    data = nodes[node] if node in nodes else {}
    return data.get("type") or next((x for x in data.get("labels", []) if x in ENTITY_TYPES), "")


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


JSONLD_CONTEXT = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def serialize(rdf: Graph, format: str) -> str:
    """Turtle or JSON-LD text."""
    if format == "json-ld":
        return rdf.serialize(format="json-ld", context=JSONLD_CONTEXT, indent=1)
    return rdf.serialize(format="turtle")


def read_rdf_file(path: str | os.PathLike, format: str = "turtle") -> dict[str, Any]:
    """Node-link JSON from a Turtle or JSON-LD file; a file that is not RDF is one InputError."""
    rdf = Graph()
    try:
        rdf.parse(source=str(path), format="json-ld" if format == "json-ld" else "turtle")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file: check the path") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror}): check the path and its permissions") from None
    except Exception as exc:  # noqa: BLE001 - rdflib raises many parser types
        reason = " ".join(str(exc).split())[:300]
        raise InputError(f"{path}: not valid {format} ({reason}): import a file written by "
                         f"`policygraph export --format {format}`") from None
    if (None, RDF.type, PG.Entity) not in rdf and (None, RDF.type, PG.Document) not in rdf:
        raise InputError(f"{path}: no policygraph entities or documents in it (pg:Entity, pg:Document): "
                         f"import a file written by `policygraph export --format {format}`")
    return from_rdf(rdf)
