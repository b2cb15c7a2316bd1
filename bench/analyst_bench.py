"""The analyst's side at size: import speed, analytics time and named-query latency.

For each size, builds a scale-free policy-like graph (bench/viewer_bench.py),
writes it as node-link JSON, imports it into a fresh embedded store with the
real importer, then times each analysis (`api.analyze`) and every named query
(bench/latency.py, parameters drawn from the graph). Prints figures; asserts
nothing.

    .venv/bin/python bench/analyst_bench.py              # 1,000 and 10,000 entities
    .venv/bin/python bench/analyst_bench.py 500 50000
"""
from __future__ import annotations

import functools
import json
import sys
import tempfile
import time
from pathlib import Path

from latency import measure_named
from viewer_bench import synthetic_graph

from policygraph import api
from policygraph.graph.export import node_link
from policygraph.graph.importer import import_file
from policygraph.graph.store import open_store

EXACT_UP_TO = 5_000  # exact betweenness is O(nodes x edges) in pure Python: minutes beyond this


print = functools.partial(print, flush=True)  # noqa: A001 - figures appear as they are measured


def timed(call):
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def run(size: int, work: Path) -> None:
    graph = synthetic_graph(size)
    path = work / f"graph-{size}.json"
    path.write_text(json.dumps(node_link(graph)))
    with open_store(work / f"store-{size}") as store:
        report, seconds = timed(lambda: import_file(store, path))
        rows = report.entities + report.relations + report.documents + report.mentions
        print(f"\n== {size:,} entities: {report.summary()}")
        print(f"import           {seconds:8.2f} s   {rows / seconds:10,.0f} rows/s")
        again, seconds = timed(lambda: import_file(store, path))
        print(f"import again     {seconds:8.2f} s   (idempotent: {again.summary() == report.summary()})")
        ids = [n for n, d in graph.nodes(data=True) if "Document" not in d["labels"]]
        cases = [
            ("centrality (exact)", dict(kind="centrality")),
            ("centrality (--sample 200)", dict(kind="centrality", sample=200)),
            ("centrality --write-back", dict(kind="centrality", sample=200, write_back=True)),
            ("communities --write-back", dict(kind="communities", write_back=True)),
            ("path", dict(kind="path", source=ids[-1], target=ids[len(ids) // 2])),
            ("ego --radius 2", dict(kind="ego", center=ids[0], radius=2)),
        ]
        for label, options in cases:
            if label == "centrality (exact)" and size > EXACT_UP_TO:
                print(f"{label:26} skipped (exact betweenness is O(nodes x edges); use --sample)")
                continue
            kind = options.pop("kind")
            result, seconds = timed(lambda: api.analyze(kind, store, **options))
            print(f"{label:26} {seconds:8.2f} s   {len(result.rows):,} rows")
        print(f"{'named query':40} {'p50 ms':>8} {'p95 ms':>8}")
        for figure in measure_named(store, runs=20, seed=1):
            note = f"  ({len(figure.errors)} errors)" if figure.errors else ""
            print(f"{figure.name:40} {figure.p50_ms:8.1f} {figure.p95_ms:8.1f}{note}")


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [1_000, 10_000]
    with tempfile.TemporaryDirectory() as work:
        for size in sizes:
            run(size, Path(work))


if __name__ == "__main__":
    main(sys.argv[1:])
