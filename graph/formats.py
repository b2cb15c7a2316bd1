"""Exports other than node-link: RDF (Turtle, JSON-LD), GraphML and neo4j-admin CSV.

api.export sends every format but node-link here; each format lives in its
own module (rdf.py, graphml.py, bulk_csv.py) and works on the graph that
export.read_graph reads from the store, so all formats agree.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TextIO

from policygraph.errors import UsageError
from policygraph.graph.export import read_graph
from policygraph.graph.store import Store

FORMATS = ("turtle", "json-ld", "graphml", "neo4j-csv")


@dataclass
class ExportSummary:
    format: str
    nodes: int
    edges: int
    triples: int = 0  # RDF only
    files: list[str] = field(default_factory=list)  # neo4j-csv only


def export(store: Store, format: str, out: str | os.PathLike | TextIO | None = None, *, documents: bool = True,
           base: str | None = None) -> ExportSummary:
    """Write the store's graph in `format` to `out` (a file, a text stream, or for neo4j-csv a folder)."""
    if format not in FORMATS:
        raise UsageError(f"unknown export format {format!r}: use node-link or one of {', '.join(FORMATS)}")
    graph = read_graph(store, documents=documents)
    summary = ExportSummary(format, graph.number_of_nodes(), graph.number_of_edges())
    if format in ("turtle", "json-ld"):
        from policygraph.graph import rdf

        triples = rdf.to_rdf(graph, **({"base": base} if base else {}))
        summary.triples = len(triples)
        write_text(out, rdf.serialize(triples, format))
    elif format == "graphml":
        from policygraph.graph import graphml

        write_text(out, graphml.to_graphml(graph))
    else:
        from policygraph.graph import bulk_csv

        if out is None or hasattr(out, "write"):
            raise UsageError("neo4j-csv writes a folder of CSV files: give it with -o DIR")
        summary.files = [str(p) for p in bulk_csv.write_folder(graph, out)]
    return summary


def write_text(out: str | os.PathLike | TextIO | None, text: str) -> None:
    if out is None:
        return
    if not text.endswith("\n"):
        text += "\n"
    if hasattr(out, "write"):
        out.write(text)
        return
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(text)
