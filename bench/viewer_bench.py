"""How fast the viewer page settles: build time, page size and time to a stable layout.

Generates random policy-like graphs with networkx (no store needed), writes the
page with the real viewer code, opens it in headless Chromium and times the
layout until vis-network reports stabilisation (physics then stops). With
--store, builds the pages from a loaded store instead, as `policygraph view
--limit N` does (reading only what the page shows), and adds the edges kept
and the peak memory of the build. Prints figures; asserts nothing.

    .venv/bin/python bench/viewer_bench.py            # 500 and 2,000 nodes
    .venv/bin/python bench/viewer_bench.py 100 5000   # other sizes
    .venv/bin/python bench/viewer_bench.py --store /tmp/pg10k 500 2000
"""
from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from pathlib import Path

import networkx as nx

from policygraph.queries.viewer import ViewOptions, select
from policygraph.queries.viewer_page import ViewReport, write_page
from policygraph.schema.model import ENTITY_TYPES, RELATION_TYPES

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
TYPE_WEIGHTS = {"Person": 5, "Organization": 4, "Industry": 4, "City": 3, "Plan": 2, "Province": 1, "Ministry": 1,
                "Country": 1, "Event": 1}


def synthetic_graph(nodes: int, seed: int = 1) -> nx.MultiDiGraph:
    """A scale-free graph (a few hubs, many leaves) dressed as entities, relations and documents."""
    rng = random.Random(seed)
    shape = nx.powerlaw_cluster_graph(nodes, 2, 0.1, seed=seed)
    g = nx.MultiDiGraph()
    types = rng.choices(list(TYPE_WEIGHTS), weights=list(TYPE_WEIGHTS.values()), k=nodes)
    for i, kind in enumerate(types):
        g.add_node(f"{ENTITY_TYPES[kind]}:n{i}", labels=["Entity", kind], type=kind, name=f"{kind} {i}",
                   aliases=[f"{kind[:3]}-{i}"], roles=[], role_history=[])
    ids = list(g)
    docs = max(1, nodes // 10)
    for d in range(docs):
        g.add_node(f"document:doc{d}", labels=["Document"], doc_id=f"doc{d}", name=f"Article {d}",
                   title=f"Article {d}", date=f"2024-{1 + d % 12:02d}-{1 + d % 28:02d}")
    for a, b in shape.edges():
        kind = rng.choice(list(RELATION_TYPES))
        doc = f"doc{rng.randrange(docs)}"
        g.add_edge(ids[a], ids[b], key=kind, type=kind, doc_ids=[doc], evidence=[f"{ids[a]} {kind} {ids[b]}."],
                   evidence_doc_ids=[doc], confidence=0.8, rules=["bench"])
        for end in (a, b):
            g.add_edge(f"document:{doc}", ids[end], key="MENTIONS", type="MENTIONS", count=1)
    return g


def time_to_stable(page_path: Path, browser) -> dict[str, float]:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    started = time.monotonic()
    page.goto(page_path.as_uri())
    page.wait_for_selector("body[data-stable=true]", state="attached", timeout=600_000)
    wall = time.monotonic() - started
    figures = page.evaluate("""() => {
        const v = window.pgView, ids = v.nodes.getIds();
        const t0 = performance.now(); v.select(ids[0], {zoom: false}); const click = performance.now() - t0;
        return {stable_ms: window.pgStableAt, highlight_ms: click};
    }""")
    page.close()
    if errors:
        raise SystemExit(f"the page failed: {errors[0]}")
    return {"wall_s": wall, **figures}


def build(n: int, out: Path, store: str | None) -> ViewReport:
    """A page of n nodes: the top n of the store (as `policygraph view --limit n`), or a synthetic graph's."""
    if store is None:
        return write_page(select(synthetic_graph(n), ViewOptions()), out)
    from policygraph import api

    return api.view(store, out, limit=n)


def main(sizes: list[int], store: str | None = None) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(str(Path(tmp) / "profile"), executable_path=CHROMIUM,
                                                        headless=True, args=ARGS,
                                                        viewport={"width": 1500, "height": 900})
        print(f"{'nodes':>6} {'edges':>6} {'between':>8} {'build s':>8} {'peak MB':>8} {'page KB':>8} "
              f"{'stable s':>9} {'load+stable s':>14} {'highlight ms':>13}")
        for n in sizes:
            started = time.monotonic()
            report = build(n, Path(tmp) / f"view-{n}.html", store)
            seconds = time.monotonic() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # this process so far, not the server
            f = time_to_stable(Path(report.path), browser)
            print(f"{report.nodes:>6} {report.edges:>6} {max(report.edges_between, report.edges):>8} {seconds:>8.2f} "
                  f"{peak:>8.0f} {report.bytes / 1024:>8.0f} {f['stable_ms'] / 1000:>9.2f} {f['wall_s']:>14.2f} "
                  f"{f['highlight_ms']:>13.1f}")
            for note in report.notes:
                print(f"       {note}")
        browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[500, 2000], help="nodes per page")
    parser.add_argument("--store", help="build the pages from this store (its top N nodes) instead of synthetic graphs")
    args = parser.parse_args()
    main(args.sizes, args.store)
