"""Export and import speed per format, at size.

For each size, builds a scale-free policy-like graph (bench/viewer_bench.py),
imports it into a fresh embedded store, then times every export format
(node-link, turtle, json-ld, graphml, neo4j-csv) and the imports back
(node-link, turtle) into fresh stores. Prints figures; asserts nothing.

    .venv/bin/python bench/export_bench.py            # 1,000 and 10,000 entities
    .venv/bin/python bench/export_bench.py 500 50000
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from viewer_bench import synthetic_graph

from policygraph import api
from policygraph.graph.export import node_link
from policygraph.graph.store import open_store

EXPORTS = (("node-link", "g.json"), ("turtle", "g.ttl"), ("json-ld", "g.jsonld"), ("graphml", "g.graphml"),
           ("neo4j-csv", "bulk"))


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*")) if path.is_dir() else path.stat().st_size


def run(size: int, work: Path) -> None:
    graph = synthetic_graph(size)
    source = work / f"source-{size}.json"
    source.write_text(json.dumps(node_link(graph)))
    with open_store(work / f"store-{size}") as store:
        report = api.import_graph(source, "node-link", store)
        print(f"\n== {size:,} entities: {report.summary()} "
              f"({graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges)")
        print(f"{'export':12} {'seconds':>8} {'edges/s':>10} {'MB':>8}  extra")
        for fmt, name in EXPORTS:
            out = work / f"{size}-{name}"
            started = time.perf_counter()
            result = api.export(store, fmt, out)
            seconds = time.perf_counter() - started
            extra = f"{result.triples:,} triples" if getattr(result, "triples", 0) else ""
            print(f"{fmt:12} {seconds:8.2f} {graph.number_of_edges() / seconds:10,.0f} "
                  f"{size_of(out) / 1e6:8.1f}  {extra}")
    for fmt, name in EXPORTS[:2]:
        with open_store(work / f"import-{fmt}-{size}") as store:
            started = time.perf_counter()
            api.import_graph(work / f"{size}-{name}", fmt, store)
            seconds = time.perf_counter() - started
        print(f"import {fmt:10} {seconds:8.2f} s")


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [1_000, 10_000]
    with tempfile.TemporaryDirectory() as work:
        for size in sizes:
            run(size, Path(work))


if __name__ == "__main__":
    main(sys.argv[1:])
