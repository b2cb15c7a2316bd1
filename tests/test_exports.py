"""RDF, GraphML and neo4j-admin CSV exports, and imports back, on the real embedded store and CLI."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import networkx as nx
import pyshacl
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib import namespace as ns

import policygraph.schema
from conftest import run_cli
from gold_graph import write_gold_graph
from policygraph.graph.export import export_node_link
from policygraph.graph.importer import import_file
from policygraph.graph.rdf import PG
from policygraph.graph.store import open_store
from sample_graph import TRICKY, write_sample

SCHEMA_DIR = Path(policygraph.schema.__file__).parent
SET_VALUED = ("aliases", "roles", "role_history", "broader", "doc_ids", "rules", "surfaces")


# -- helpers --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory, seeds) -> str:
    """The seeds loaded with the real CLI."""
    store = str(tmp_path_factory.mktemp("seeds") / "store")
    proc = run_cli("load", str(seeds), "--store", store)
    assert proc.returncode == 0, proc.stderr
    return store


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> str:
    store = str(tmp_path_factory.mktemp("sample") / "store")
    with open_store(store) as db:
        write_sample(db)
    return store


@pytest.fixture(scope="module")
def gold_store(tmp_path_factory) -> str:
    """The graph of the gold annotations (real relations and evidence), imported into a store."""
    folder = tmp_path_factory.mktemp("gold")
    write_gold_graph(folder / "gold.json")
    store = str(folder / "store")
    with open_store(store) as db:
        import_file(db, folder / "gold.json", "node-link")
    return store


def export(store: str, fmt: str, out: Path) -> Path:
    run_cli("export", "--store", store, "--format", fmt, "-o", str(out), check=True)
    return out


def node_link_of(store: str) -> dict:
    with open_store(store) as db:
        return export_node_link(db)


def conforms(data: rdflib.Graph) -> tuple[bool, str]:
    shapes = rdflib.Graph().parse(SCHEMA_DIR / "shapes.ttl")
    ok, _, text = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
    return ok, text


def canonical(data: dict, *, sets: bool = False) -> tuple[list, list]:
    """Nodes and links in a fixed order; with `sets`, lists that mean sets are sorted."""
    def fix(item: dict) -> dict:
        return {k: sorted(v) if sets and k in SET_VALUED and isinstance(v, list) else v for k, v in item.items()}
    nodes = sorted((fix(n) for n in data["nodes"]), key=lambda n: n["id"])
    links = sorted((fix(link) for link in data["links"]), key=lambda x: (x["source"], x["type"], x["target"]))
    return nodes, links


# -- RDF ---------------------------------------------------------------------------------
def test_turtle_of_the_seeds_parses_and_conforms_to_the_shapes(seeds_store, tmp_path):
    data = rdflib.Graph().parse(export(seeds_store, "turtle", tmp_path / "g.ttl"), format="turtle")
    ok, report = conforms(data)
    assert ok, report
    graph = node_link_of(seeds_store)
    entities = [n for n in graph["nodes"] if "Entity" in n["labels"]]
    assert len(set(data.subjects(ns.RDF.type, PG.Entity))) == len(entities) > 0
    assert len(set(data.subjects(ns.RDF.type, PG.Document))) == 5
    assert len(set(data.subjects(ns.RDF.type, PG.Relation))) == sum(1 for e in graph["links"] if e["type"] != "MENTIONS")
    ids = {str(o) for o in data.objects(None, ns.DCTERMS.identifier)}
    assert {n["id"] for n in entities} <= ids
    for node in entities:
        if node["type"] == "Industry" and node.get("broader"):
            iri = rdflib.URIRef("https://policygraph.example/id/" + node["id"].replace(":", "/", 1))
            assert {str(b).rsplit("/", 1)[-1] for b in data.objects(iri, ns.SKOS.broader)} == \
                {b.split(":", 1)[1] for b in node["broader"]}


def test_turtle_of_the_gold_graph_conforms_and_keeps_the_evidence(gold_store, tmp_path):
    data = rdflib.Graph().parse(export(gold_store, "turtle", tmp_path / "g.ttl"), format="turtle")
    ok, report = conforms(data)
    assert ok, report
    relations = [e for e in node_link_of(gold_store)["links"] if e["type"] != "MENTIONS"]
    assert len(relations) > 20
    sentences = {str(o) for o in data.objects(None, ns.PROV.value)}
    assert {s for e in relations for s in e["evidence"]} == sentences


def test_iris_are_stable_across_runs(seeds, tmp_path):
    subjects = []
    for run in ("one", "two"):
        store = str(tmp_path / run)
        run_cli("load", str(seeds), "--store", store, check=True)
        data = rdflib.Graph().parse(export(store, "turtle", tmp_path / f"{run}.ttl"), format="turtle")
        subjects.append({s for s in data.subjects() if isinstance(s, rdflib.URIRef)})
    assert subjects[0] == subjects[1]
    assert rdflib.URIRef("https://policygraph.example/id/document/000_939c3030b01bfec1") in subjects[0]


def test_base_iri_option(sample_store, tmp_path):
    out = tmp_path / "g.ttl"
    run_cli("export", "--store", sample_store, "--format", "turtle", "--base-iri", "https://data.example.org/pg/",
            "-o", str(out), check=True)
    data = rdflib.Graph().parse(out, format="turtle")
    assert (rdflib.URIRef("https://data.example.org/pg/person/kim-dong-yeon"), ns.RDF.type, PG.Person) in data
    bad = run_cli("export", "--store", sample_store, "--format", "turtle", "--base-iri", "not an iri")
    assert bad.returncode == 2 and "base IRI" in bad.stderr


def test_standard_vocabularies_carry_the_relations(sample_store, tmp_path):
    data = rdflib.Graph().parse(export(sample_store, "turtle", tmp_path / "g.ttl"), format="turtle")
    assert conforms(data)[0]
    iri = lambda entity_id: rdflib.URIRef("https://policygraph.example/id/" + entity_id.replace(":", "/", 1))  # noqa: E731
    minister, ministry, city = iri("person:ahn-duk-geun"), iri("ministry:motie"), iri("city:suwon")
    province, alliance, industry = iri("province:gyeonggi"), iri("org:future-smart-belt-alliance"), \
        iri("industry:semiconductors")
    assert (minister, ns.ORG.headOf, ministry) in data and (minister, PG.leads, ministry) in data
    assert (minister, ns.ORG.memberOf, ministry) in data
    assert (city, ns.SDO.containedInPlace, province) in data and (city, PG.belongsTo, alliance) in data
    assert (city, ns.ORG.memberOf, alliance) not in data  # a city is no org:Agent member
    assert (iri("person:kim-dong-yeon"), ns.ORG.headOf, province) not in data  # a province is no organisation
    assert (minister, ns.RDF.type, ns.SDO.Person) in data
    assert (ministry, ns.RDF.type, ns.SDO.GovernmentOrganization) in data and (ministry, ns.RDF.type, ns.ORG.Organization) in data
    assert (industry, ns.SKOS.altLabel, rdflib.Literal("chips")) in data
    assert (industry, ns.SKOS.broader, iri("industry:electronics")) in data
    # the relation stated by two documents: derived from both, evidence text kept verbatim (; quotes newline)
    rel = next(s for s in data.subjects(ns.RDF.subject, province) if (s, ns.RDF.object, industry) in data)
    assert {str(d).rsplit("/", 1)[-1] for d in data.objects(rel, ns.PROV.wasDerivedFrom)} == {"doc-a", "doc-b"}
    assert TRICKY in {str(data.value(e, ns.PROV.value)) for e in data.objects(rel, PG.evidence)}
    doc_b = rdflib.URIRef("https://policygraph.example/id/document/doc-b")
    assert data.value(doc_b, ns.DCTERMS.date) == rdflib.Literal("--01-12", datatype=rdflib.XSD.gMonthDay)


def test_shapes_reject_broken_data(sample_store, tmp_path):
    text = export(sample_store, "turtle", tmp_path / "g.ttl").read_text()
    data = rdflib.Graph().parse(data=text, format="turtle")
    relation = next(iter(data.subjects(ns.RDF.type, PG.Relation)))
    no_evidence = rdflib.Graph().parse(data=text, format="turtle")
    no_evidence.remove((relation, PG.evidence, None))
    ok, report = conforms(no_evidence)
    assert not ok and "sentences" in report
    two_types = rdflib.Graph().parse(data=text, format="turtle")
    person = next(iter(two_types.subjects(ns.RDF.type, PG.Person)))
    two_types.add((person, ns.RDF.type, PG.City))
    assert not conforms(two_types)[0]
    no_direct = rdflib.Graph().parse(data=text, format="turtle")
    no_direct.remove((data.value(relation, ns.RDF.subject), data.value(relation, ns.RDF.predicate),
                      data.value(relation, ns.RDF.object)))
    ok, report = conforms(no_direct)
    assert not ok and "no direct triple" in report


def test_json_ld_holds_the_same_triples_as_turtle(sample_store, tmp_path):
    turtle = rdflib.Graph().parse(export(sample_store, "turtle", tmp_path / "g.ttl"), format="turtle")
    jsonld = rdflib.Graph().parse(export(sample_store, "json-ld", tmp_path / "g.jsonld"), format="json-ld")
    assert len(turtle) > 100 and isomorphic(turtle, jsonld)
    assert "@context" in json.loads((tmp_path / "g.jsonld").read_text())


def test_ontology_declares_every_type_role_and_term_the_export_uses(sample_store, tmp_path):
    from policygraph.schema.model import ENTITY_TYPES, ROLE_LABELS

    ontology = rdflib.Graph().parse(SCHEMA_DIR / "policygraph.ttl")
    declared = set(ontology.subjects(ns.RDF.type, None))
    for name in [*ENTITY_TYPES, *ROLE_LABELS, "Entity", "Document", "Relation", "Evidence", "Mention"]:
        assert PG[name] in declared, name
    data = rdflib.Graph().parse(export(sample_store, "turtle", tmp_path / "g.ttl"), format="turtle")
    used = {p for p in data.predicates() if str(p).startswith(str(PG))} | \
           {o for o in data.objects(None, ns.RDF.type) if str(o).startswith(str(PG))}
    assert used and used <= declared


# -- round trips ---------------------------------------------------------------------------
@pytest.mark.parametrize("source", ["seeds_store", "gold_store", "sample_store"])
def test_node_link_round_trip_is_lossless(source, request, tmp_path):
    store = request.getfixturevalue(source)
    first = export(store, "node-link", tmp_path / "first.json")
    run_cli("import", "--format", "node-link", str(first), "--store", str(tmp_path / "copy"), check=True)
    again = export(str(tmp_path / "copy"), "node-link", tmp_path / "again.json")
    assert json.loads(again.read_text()) == json.loads(first.read_text())


@pytest.mark.parametrize("source", ["seeds_store", "gold_store", "sample_store"])
def test_turtle_round_trip_keeps_the_graph(source, request, tmp_path):
    store = request.getfixturevalue(source)
    original = node_link_of(store)
    turtle = export(store, "turtle", tmp_path / "g.ttl")
    run_cli("import", "--format", "turtle", str(turtle), "--store", str(tmp_path / "copy"), check=True)
    # RDF has no order among a property's values: lists that are sets come back sorted.
    assert canonical(node_link_of(str(tmp_path / "copy")), sets=True) == canonical(original, sets=True)


def test_importing_what_is_not_turtle_is_one_clear_error(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not @prefix turtle <", encoding="utf-8")
    empty = tmp_path / "empty.ttl"
    empty.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n", encoding="utf-8")
    store = str(tmp_path / "s")
    for path, needle in ((bad, "not valid turtle"), (empty, "no policygraph entities"),
                         (tmp_path / "missing.ttl", "no such file")):
        proc = run_cli("import", "--format", "turtle", str(path), "--store", store)
        assert proc.returncode == 2 and needle in proc.stderr, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


# -- GraphML -------------------------------------------------------------------------------
@pytest.mark.parametrize("source", ["seeds_store", "sample_store"])
def test_graphml_opens_in_networkx_with_the_same_counts(source, request, tmp_path):
    store = request.getfixturevalue(source)
    original = node_link_of(store)
    graph = nx.read_graphml(export(store, "graphml", tmp_path / "g.graphml"), force_multigraph=True)
    assert graph.number_of_nodes() == len(original["nodes"])
    assert graph.number_of_edges() == len(original["links"])
    by_id = {n["id"]: n for n in original["nodes"]}
    for node, data in graph.nodes(data=True):
        assert data["label"] == by_id[node]["name"]
        assert json.loads(data["labels"]) == by_id[node]["labels"]
        if "aliases" in by_id[node]:
            assert json.loads(data["aliases"]) == by_id[node]["aliases"]
    types = sorted(d["type"] for *_, d in graph.edges(data=True))
    assert types == sorted(e["type"] for e in original["links"])


# -- neo4j-admin CSV -------------------------------------------------------------------------
FIELD_TYPES = {"int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "point", "date",
               "localtime", "time", "localdatetime", "datetime", "duration"}
SPECIAL = re.compile(r"^(?P<name>[^:]*):(?P<kind>ID|START_ID|END_ID)(\((?P<group>[^)]+)\))?$")


def parse_header(fields: list[str]) -> dict[str, tuple[str, str | None]]:
    """neo4j-admin's documented header grammar: <name>:<field_type>; returns name -> (kind, group or type)."""
    out = {}
    for f in fields:
        match = SPECIAL.match(f)
        if match:
            out[f] = (match["kind"], match["group"])
        elif f in (":LABEL", ":TYPE", ":IGNORE"):
            out[f] = (f[1:], None)
        else:
            name, _, kind = f.partition(":")
            assert name and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name), f
            base = kind[:-2] if kind.endswith("[]") else kind
            assert base in FIELD_TYPES, f"{f}: not a documented type"
            out[f] = ("property", kind)
    return out


def read_bulk(folder: Path) -> nx.MultiDiGraph:
    """Rebuild the graph the way neo4j-admin reads the folder (its documented semantics)."""
    script = (folder / "neo4j-admin-import.sh").read_text()
    match = re.search(r"--array-delimiter=(\S+)", script)
    delimiter = ";" if not match else (chr(int(match[1][2:], 16)) if match[1].startswith("U+") else match[1])
    graph = nx.MultiDiGraph()
    ids: dict[tuple[str, str], str] = {}

    def convert(kind: str, text: str):
        if kind.endswith("[]"):
            return [convert(kind[:-2], t) for t in text.split(delimiter)]
        return {"long": int, "double": float, "boolean": lambda t: t == "true"}.get(kind, str)(text)

    for name in ("nodes.csv", "documents.csv", "relationships.csv", "mentions.csv"):
        with open(folder / name, encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        header = parse_header(rows[0])
        for row in rows[1:]:
            assert len(row) == len(rows[0])
            props, start, end, rel_type, labels = {}, None, None, None, []
            node_key = None
            for field, cell in zip(rows[0], row):
                kind, extra = header[field]
                if kind == "ID":
                    node_key = (extra, cell)
                    props[field.split(":")[0]] = cell
                elif kind in ("START_ID", "END_ID"):
                    assert (extra, cell) in ids, f"{name}: {cell} is not in ID group {extra}"
                    start, end = (ids[(extra, cell)], end) if kind == "START_ID" else (start, ids[(extra, cell)])
                elif kind == "LABEL":
                    labels = cell.split(delimiter)
                elif kind == "TYPE":
                    rel_type = cell
                elif cell != "":
                    props[field.split(":")[0]] = convert(extra, cell)
            if node_key:
                ids[node_key] = f"{node_key[0]}:{node_key[1]}"
                graph.add_node(ids[node_key], labels=labels, **props)
            else:
                graph.add_edge(start, end, key=rel_type, type=rel_type, **props)
    return graph


@pytest.mark.parametrize("source", ["seeds_store", "sample_store", "gold_store"])
def test_neo4j_admin_csv_follows_the_documented_header_format(source, request, tmp_path):
    store = request.getfixturevalue(source)
    folder = tmp_path / "bulk"
    export(store, "neo4j-csv", folder)
    headers = {}
    for name in ("nodes.csv", "documents.csv", "relationships.csv", "mentions.csv"):
        with open(folder / name, encoding="utf-8", newline="") as fh:
            headers[name] = parse_header(next(csv.reader(fh)))
    assert headers["nodes.csv"]["id:ID(Entity)"] == ("ID", "Entity") and ":LABEL" in headers["nodes.csv"]
    assert headers["documents.csv"]["doc_id:ID(Document)"] == ("ID", "Document")
    assert {":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"} <= set(headers["relationships.csv"])
    assert {":START_ID(Document)", ":END_ID(Entity)", ":TYPE"} <= set(headers["mentions.csv"])
    assert "aliases:string[]" in headers["nodes.csv"]
    assert "neo4j-admin database import full" in (folder / "neo4j-admin-import.sh").read_text()
    # What neo4j-admin would build from the files is the store's graph.
    original = node_link_of(store)
    rebuilt = read_bulk(folder)
    assert rebuilt.number_of_nodes() == len(original["nodes"])
    assert rebuilt.number_of_edges() == len(original["links"])
    for node in original["nodes"]:
        key = f"Document:{node['doc_id']}" if "Document" in node["labels"] else f"Entity:{node['id']}"
        data = rebuilt.nodes[key]
        assert sorted(data["labels"]) == sorted(node["labels"])
        for prop, value in node.items():
            if prop in ("id", "labels", "name") and "Document" in node["labels"]:
                continue
            if value in ([], "") or prop == "labels":
                continue  # neo4j-admin stores no property for an empty cell
            assert data[prop if prop != "id" else "id"] == value, (key, prop)


def test_array_delimiter_avoids_the_text(sample_store, tmp_path):
    folder = tmp_path / "bulk"
    export(sample_store, "neo4j-csv", folder)
    script = (folder / "neo4j-admin-import.sh").read_text()
    # evidence holds ';' (the default) and role history '|': a control character no text keeps is chosen
    assert "--array-delimiter=U+001F" in script
    assert "--multiline-fields=true" in script  # and a line break
    rebuilt = read_bulk(folder)
    evidence = [s for *_, d in rebuilt.edges(data=True) for s in d.get("evidence", [])]
    assert TRICKY in evidence


def test_neo4j_csv_needs_a_folder(sample_store, tmp_path):
    proc = run_cli("export", "--store", sample_store, "--format", "neo4j-csv")
    assert proc.returncode == 2 and "-o DIR" in proc.stderr


def test_the_vocabulary_and_the_shapes_know_every_role_the_loader_gives():
    from policygraph.schema.model import ROLES

    vocabulary = rdflib.Graph().parse(SCHEMA_DIR / "policygraph.ttl")
    classes = {str(label) for label in vocabulary.objects(None, ns.RDFS.label)}
    shapes = (SCHEMA_DIR / "shapes.ttl").read_text(encoding="utf-8")
    allowed = set(re.findall(r'"([^"]+)"', shapes[shapes.index("pg:role ; sh:in"):shapes.index("pg:roleHistory")]))
    assert set(ROLES) <= classes and set(ROLES) == allowed
