"""CSV files for `neo4j-admin database import full`, the bulk path into Neo4j.

The folder holds four files with header rows in neo4j-admin's documented
format (`<name>:<field_type>`), and a script with the matching command:

  nodes.csv          id:ID(Entity), :LABEL, typed properties (name, aliases:string[], ...)
  documents.csv      doc_id:ID(Document), :LABEL, typed properties
  relationships.csv  :START_ID(Entity), :END_ID(Entity), :TYPE, properties (doc_ids:string[], ...)
  mentions.csv       :START_ID(Document), :END_ID(Entity), :TYPE, count:long, surfaces:string[], offsets:long[]
  neo4j-admin-import.sh

Entities and documents are two ID groups because they are keyed by different
properties (`id`, `doc_id`), as in the store. Arrays use `;` between
elements, neo4j-admin's default; if any element contains `;` (an evidence
sentence may) the control character U+001F is used instead, and the script
passes it with --array-delimiter.
"""
from __future__ import annotations

import csv
import json
import os
import shlex
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from policygraph.errors import UsageError

ARRAY_DELIMITERS = (";", "\u001f")  # the second is a control character the loaders never keep in text
SCALAR_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
FILES = ("nodes.csv", "documents.csv", "relationships.csv", "mentions.csv")
SCRIPT = "neo4j-admin-import.sh"


def write_folder(graph: nx.MultiDiGraph, folder: str | os.PathLike) -> list[Path]:
    """Write the four CSV files and the import script into `folder`; return their paths."""
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} is a file: neo4j-csv writes a folder of CSV files, give -o a folder name")
    target.mkdir(parents=True, exist_ok=True)
    entities, documents, relations, mentions = _split(graph)
    delimiter = choose_delimiter([*entities, *documents, *relations, *mentions])
    tables = {
        "nodes.csv": (["id:ID(Entity)", ":LABEL"], entities, ("id", "labels")),
        "documents.csv": (["doc_id:ID(Document)", ":LABEL"], documents, ("doc_id", "labels")),
        "relationships.csv": ([":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"], relations, ("_start", "_end", "type")),
        "mentions.csv": ([":START_ID(Document)", ":END_ID(Entity)", ":TYPE"], mentions, ("_start", "_end", "type")),
    }
    written = []
    multiline = False
    for name, (fixed, rows, keys) in tables.items():
        path = target / name
        multiline |= _write_table(path, fixed, keys, rows, delimiter)
        written.append(path)
    script = target / SCRIPT
    script.write_text(import_script(delimiter, multiline), encoding="utf-8")
    script.chmod(0o755)
    written.append(script)
    return written


def _split(graph: nx.MultiDiGraph) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    entities, documents, relations, mentions = [], [], [], []
    doc_ids = {}
    for node, data in graph.nodes(data=True):
        if "Document" in data.get("labels", []):
            doc_ids[node] = data["doc_id"]
            documents.append({k: v for k, v in data.items() if k != "name"})  # name is export-only, not stored
        else:
            entities.append({"id": node, **data})
    for a, b, data in graph.edges(data=True):
        if data.get("type") == "MENTIONS" and a in doc_ids:
            mentions.append({"_start": doc_ids[a], "_end": b, **data})
        else:
            relations.append({"_start": a, "_end": b, **data})
    return entities, documents, relations, mentions


def choose_delimiter(rows: Iterable[dict[str, Any]]) -> str:
    elements = {str(x) for row in rows for value in row.values() if isinstance(value, (list, tuple)) for x in value}
    for candidate in ARRAY_DELIMITERS:
        if not any(candidate in element for element in elements):
            return candidate
    raise UsageError("every array delimiter neo4j-admin could use occurs in the data; export node-link instead")


def property_types(rows: list[dict[str, Any]], skip: Iterable[str]) -> dict[str, str]:
    """Each property's neo4j-admin type: long, double, boolean, string or an array of one of them."""
    seen: dict[str, set[str]] = {}
    for row in rows:
        for key, value in row.items():
            if key in skip or value is None:
                continue
            seen.setdefault(key, set()).add(_type_of(value))
    return {key: _merge(kinds) for key, kinds in sorted(seen.items())}


def _type_of(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        kinds = {SCALAR_TYPES.get(type(x), "string") for x in value}
        if not kinds:
            return "[]"
        return (kinds.pop() if len(kinds) == 1 else "string") + "[]"
    return SCALAR_TYPES.get(type(value), "string")


def _merge(kinds: set[str]) -> str:
    arrays = {k for k in kinds if k.endswith("[]")}
    if arrays and arrays != kinds:
        return "string"  # scalar in one row, list in another: stored as text
    known = {k for k in kinds if k != "[]"}
    if not known:
        return "string[]"
    if known <= {"long[]", "double[]"} and len(known) == 2:
        return "double[]"
    if known <= {"long", "double"} and len(known) == 2:
        return "double"
    if len(known) == 1:
        return known.pop()
    return "string[]" if arrays else "string"


def _write_table(path: Path, fixed: list[str], keys: tuple[str, ...], rows: list[dict[str, Any]],
                 delimiter: str) -> bool:
    types = property_types(rows, skip={*keys, "key"})
    header = fixed + [f"{name}:{kind}" for name, kind in types.items()]
    multiline = False
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            cells = [_cell(row.get(k), delimiter, "string[]") for k in keys]  # :LABEL is an array
            cells += [_cell(row.get(name), delimiter, kind) for name, kind in types.items()]
            multiline |= any("\n" in c or "\r" in c for c in cells)
            writer.writerow(cells)
    return multiline


def _cell(value: Any, delimiter: str, kind: str = "string") -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        if kind.endswith("[]"):
            return delimiter.join(_scalar(x) for x in value)
        return json.dumps(value, ensure_ascii=False)
    return _scalar(value)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def import_script(delimiter: str, multiline: bool, database: str = "neo4j") -> str:
    args = ["neo4j-admin", "database", "import", "full",
            "--nodes=nodes.csv", "--nodes=documents.csv",
            "--relationships=relationships.csv", "--relationships=mentions.csv"]
    if delimiter != ";":
        args.append(f"--array-delimiter={'U+%04X' % ord(delimiter) if not delimiter.isprintable() else delimiter}")
    if multiline:
        args.append("--multiline-fields=true")
    command = " ".join(shlex.quote(a) for a in args)
    return (
        "#!/bin/sh\n"
        "# Bulk-import this folder into a new, empty Neo4j database (the DBMS may run; the database must not exist).\n"
        "# Run from this folder with neo4j-admin on the PATH; the first argument names the database (default neo4j).\n"
        "# Afterwards, in Cypher: CREATE DATABASE <name> (Enterprise), or restart Neo4j for the default database,\n"
        "# then `policygraph stats --store neo4j://...` creates policygraph's constraints and indexes.\n"
        "set -e\n"
        'cd "$(dirname "$0")"\n'
        f'{command} "${{1:-{database}}}"\n'
    )
