"""How policygraph's cost grows with the corpus: prints figures, asserts nothing.

For each corpus size N (synthetic articles from bench/generate.py):

  extraction   documents/s and words/s, one process and all cores, on the same sample
  write        GraphWriter rows/s over the whole corpus, next to the bare FalkorDB client
               writing the same rows in plain UNWIND ... MERGE loops (the ratio is the figure),
               and the writer's wall time and the server's CPU a document, tenth by tenth
  load         wall time, CPU time and peak memory of the real `policygraph load` into a fresh store
  graph        nodes, relationships and bytes on disk
  queries      latency p50/p95 of every named query (queries/*.cypher) on the loaded graph
  view         time and HTML size of `policygraph view --limit 2000`
  reload       `policygraph load --force` of 1% of the documents (100 to 1,000) into the loaded
               graph: each is forgotten and written again, as a changed file is

    ./tasks bench                      # N = 1,000 and 10,000
    ./tasks bench --full               # and 100,000 (takes a while)
    ./tasks bench --sizes 500 --profile
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import multiprocessing
import os
import pickle
import pstats
import random
import re
import resource
import shutil
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402

measure.start_launcher()  # before the imports below make this process big (see measure.LAUNCHER)

import generate  # noqa: E402
from bare import RowSpool, replay  # noqa: E402
from latency import QueryFigure, measure_named  # noqa: E402
from measure import Stopwatch, Tenths, busy, folder_bytes, policygraph_command, run_measured, server_cpu, yardstick  # noqa: E402

from policygraph import api  # noqa: E402
from policygraph.graph.store import open_store  # noqa: E402
from policygraph.graph.writer import DEFAULT_BATCH, GraphWriter  # noqa: E402
from policygraph.loaders.read import LoadFailure, find_files, read_file  # noqa: E402
from policygraph.loaders.resolve import Resolver  # noqa: E402
from policygraph.output import table  # noqa: E402
from policygraph.schema.gazetteer import default_gazetteer  # noqa: E402

VIEW_NODES = 2000
RELOAD_MIN, RELOAD_MAX = 100, 1_000  # documents loaded again with --force


@dataclass
class SizeFigures:
    documents: int
    corpus: dict = field(default_factory=dict)
    extraction: dict = field(default_factory=dict)
    write: dict = field(default_factory=dict)
    load: dict = field(default_factory=dict)
    graph: dict = field(default_factory=dict)
    queries: list[dict] = field(default_factory=list)
    view: dict = field(default_factory=dict)
    reload: dict = field(default_factory=dict)
    # measure.yardstick() when this size's run began, and just before its queries
    machine: dict = field(default_factory=dict)  # {"loop_s": ..., "queries_loop_s": ...}


def say(n: int, text: str) -> None:
    print(f"[{n:>7,}] {text}", file=sys.stderr, flush=True)


# -- the corpus -----------------------------------------------------------------------------------------
def corpus(n: int, work: Path, seed: int) -> tuple[Path, dict]:
    folder = work / f"corpus-{n}-seed{seed}"
    manifest = generate.cached(n, folder, seed)
    if manifest is None:
        say(n, f"generating {n:,} articles in {folder}")
        manifest = generate.generate(n, folder, seed)
    return folder, manifest


# -- extraction -----------------------------------------------------------------------------------------
def extraction(n: int, paths: list[Path], workers: int, profile: bool) -> dict:
    """One process, then api._extract_all (the load's own pool) on the same documents."""
    raws = [read_file(p) for p in paths]
    words = sum(len(r.text.split()) for r in raws)
    for raw in raws[:20]:
        api._extract_one(raw)  # builds the gazetteer automata and other caches before anything is timed
    started, cpu = time.perf_counter(), time.process_time()
    for raw in raws:
        api._extract_one(raw)
    single, single_cpu = time.perf_counter() - started, time.process_time() - cpu
    report = api.LoadReport()
    before = _cpu_with_children()
    started = time.perf_counter()
    order = [g.document.doc_id for g in api._extract_all(raws, workers, report, lambda *a: None)]
    parallel = time.perf_counter() - started
    parallel_cpu = _cpu_with_children() - before  # the workers (reaped by now) and this process taking results
    figures = {"sample": len(raws), "words": words, "workers": workers,
               "single_docs_s": len(raws) / single, "single_words_s": words / single,
               "all_docs_s": len(raws) / parallel, "all_words_s": words / parallel,
               "single_cpu_ms_per_doc": single_cpu * 1000 / len(raws),
               "all_cpu_ms_per_doc": parallel_cpu * 1000 / len(raws),
               "speedup": single / parallel, "ordered": order == [r.doc_id for r in raws] and not report.failed}
    say(n, f"extraction of {len(raws):,} documents: {figures['single_docs_s']:.0f} docs/s in one process "
           f"({figures['single_cpu_ms_per_doc']:.1f} CPU ms/doc), {figures['all_docs_s']:.0f} docs/s on {workers} "
           f"cores (x{figures['speedup']:.2f}, {figures['all_cpu_ms_per_doc']:.1f} CPU ms/doc); "
           f"order kept: {figures['ordered']}; {busy()}")
    if profile:
        print_profile(f"extraction, one process, {len(raws)} documents", lambda: [api._extract_one(r) for r in raws])
    return figures


def _cpu_with_children() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def print_profile(title: str, work: Any, top: int = 15) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    body = out.getvalue()
    body = body[body.find("   ncalls"):] if "   ncalls" in body else body
    print(f"\n--- profile: {title} (cProfile, by own time) ---\n{body.rstrip()}\n", file=sys.stderr)


# -- resolve + write, and the bare-client ceiling ----------------------------------------------------
def _read_and_extract(path: str) -> Any:
    try:
        return api._extract_one(read_file(Path(path)))
    except Exception as exc:  # noqa: BLE001 - a bad file is counted, not fatal
        return LoadFailure(path, str(exc))


def extracted(paths: list[Path], workers: int, window: int = 512) -> Iterator[Any]:
    """Graphs in corpus order from a pool of workers that read their own files; at most `window` in flight."""
    slots = threading.Semaphore(window)
    stop = threading.Event()

    def feed() -> Iterator[str]:
        for p in paths:
            while not slots.acquire(timeout=0.2):
                if stop.is_set():
                    return
            yield str(p)

    default_gazetteer().find("Seoul")  # built once, before the workers fork
    pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        for result in pool.imap(_read_and_extract, feed(), chunksize=16):
            slots.release()
            if not isinstance(result, LoadFailure):
                yield result
    finally:
        stop.set()
        pool.terminate()
        pool.join()


def write(n: int, paths: list[Path], work: Path, workers: int, batch_size: int, profile: bool) -> dict:
    """GraphWriter over the whole corpus, then the bare client with the same rows; nothing else runs meanwhile.

    The corpus is extracted and resolved first, into a spool of graphs and a spool of
    the writer's rows, so the writer is timed alone, as the bare client is.
    """
    store_dir, bare_dir = work / "write-store", work / "bare-store"
    graph_spool, row_spool = work / "graphs.spool", work / "rows.spool"
    for folder in (store_dir, bare_dir):
        shutil.rmtree(folder, ignore_errors=True)
    resolve_time = Stopwatch()
    resolver = Resolver()
    rows = RowSpool(row_spool, batch_size)

    def resolved() -> Iterator[Any]:
        for graph in extracted(paths, workers):
            with resolve_time:
                graph = resolver.resolve(graph)
            yield graph

    with graph_spool.open("wb") as f:
        for graph in rows.watch(resolved()):
            pickle.dump(graph, f, protocol=pickle.HIGHEST_PROTOCOL)
    store = open_store(store_dir)
    upstream = Stopwatch()
    try:
        writer = GraphWriter(store, batch_size)
        server_before = server_cpu(store)
        tenths = Tenths(len(paths), lambda: _writer_counters(store, writer, upstream))
        started, cpu = time.perf_counter(), time.process_time()
        for done, _ in enumerate(writer.write(_timed(unpickled(graph_spool), upstream)), 1):
            tenths.tick(done)
        writer_seconds = time.perf_counter() - started - upstream.seconds
        writer_cpu = time.process_time() - cpu - upstream.cpu
        writer_server_cpu = server_cpu(store, writer) - server_before
    finally:
        store.close()
    bare = replay(row_spool, bare_dir)
    figures = {"rows": rows.rows, "statements_rows": writer.rows_written, "writer_seconds": writer_seconds,
               "writer_rows_s": rows.rows / writer_seconds, "writer_client_cpu": writer_cpu,
               "writer_server_cpu": writer_server_cpu, "bare_rows": bare.rows, "bare_seconds": bare.seconds,
               "bare_rows_s": bare.rows / bare.seconds, "bare_client_cpu": bare.client_cpu,
               "bare_server_cpu": bare.server_cpu, "resolve_seconds": resolve_time.seconds,
               "resolve_ms_per_doc": resolve_time.cpu * 1000 / max(1, len(paths)),
               "writer_fork_wait_s": getattr(writer, "housekeeping_seconds", None),
               "writer_restarts": writer.restarts, "writer_restart_s": writer.restart_seconds,
               "writer_settles": writer.settles, "writer_settle_s": writer.settle_seconds,
               "writer_tenths": tenths.per_document(), "writer_end_s": writer.finish_seconds}
    figures["ratio"] = figures["writer_rows_s"] / figures["bare_rows_s"]
    figures["cpu_ratio"] = (bare.client_cpu + bare.server_cpu) / (writer_cpu + writer_server_cpu)
    say(n, f"writer {figures['writer_rows_s']:,.0f} rows/s, bare client {figures['bare_rows_s']:,.0f} rows/s "
           f"(ratio {figures['ratio']:.2f}; by CPU time, client and server, {figures['cpu_ratio']:.2f}) for "
           f"{rows.rows:,} rows; resolution {figures['resolve_ms_per_doc']:.2f} CPU ms/doc; "
           f"the writer held back {figures['writer_fork_wait_s'] or 0:.1f} s while the server forked and restarted "
           f"it {writer.restarts} times ({writer.restart_seconds:.1f} s), settled it {writer.settles} times "
           f"({writer.settle_seconds:.1f} s); {busy()}")
    if profile:
        _profile_write(paths[:min(len(paths), 2000)], work / "profile-store", batch_size)
    for path in (store_dir, bare_dir, graph_spool, row_spool):
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    return figures


def _writer_counters(store: Any, writer: GraphWriter, upstream: Stopwatch) -> dict[str, float | None]:
    """The writer pass's seconds so far (wall, this process's CPU, the server's CPU), without the
    time spent reading its input."""
    try:
        server = server_cpu(store, writer)
    except Exception:  # noqa: BLE001 - a server restarting this moment: the tenth goes without
        server = None
    return {"wall": time.perf_counter() - upstream.seconds, "client_cpu": time.process_time() - upstream.cpu,
            "server_cpu": server, "restart": writer.restart_seconds}


def unpickled(path: Path) -> Iterator[Any]:
    with path.open("rb") as f:
        while True:
            try:
                yield pickle.load(f)
            except EOFError:
                return


def _timed(graphs: Iterable[Any], watch: Stopwatch) -> Iterator[Any]:
    """Pass the graphs on, adding the time spent producing them to `watch`."""
    it = iter(graphs)
    while True:
        with watch:
            graph = next(it, None)
        if graph is None:
            return
        yield graph


def _profile_write(paths: list[Path], folder: Path, batch_size: int) -> None:
    graphs = [g for g in (api._extract_one(read_file(p)) for p in paths) if not isinstance(g, LoadFailure)]
    shutil.rmtree(folder, ignore_errors=True)
    store = open_store(folder)
    try:
        resolver = Resolver()

        def work() -> None:
            for _ in GraphWriter(store, batch_size).write(resolver.resolve(g) for g in graphs):
                pass
        print_profile(f"resolution and writing, {len(graphs)} documents", work)
    finally:
        store.close()
        shutil.rmtree(folder, ignore_errors=True)


# -- the real CLI ----------------------------------------------------------------------------------------
def load(n: int, folder: Path, work: Path) -> tuple[dict, Path]:
    store_dir = work / "load-store"
    shutil.rmtree(store_dir, ignore_errors=True)
    run = run_measured([*policygraph_command(), "load", str(folder), "--store", str(store_dir)])
    summary = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else ""
    if run.returncode != 0:
        raise SystemExit(f"policygraph load failed ({run.returncode}):\n{run.stderr[-2000:]}")
    figures = {"wall_s": run.wall, "cpu_s": run.cpu, "maxrss_mb": run.maxrss_kb / 1024,
               "tree_pss_mb": run.tree_pss_kb / 1024, "ms_per_doc": run.wall * 1000 / n,
               "cpu_ms_per_doc": run.cpu * 1000 / n, "docs_s": n / run.wall, "summary": summary}
    say(n, f"policygraph load: {run.wall:.1f} s wall, {run.cpu:.1f} s CPU, peak {figures['tree_pss_mb']:.0f} MiB "
           f"(process tree, PSS), largest process {figures['maxrss_mb']:.0f} MiB; {summary}; {busy()}")
    return figures, store_dir


def graph_size(store_dir: Path) -> dict:
    started = time.perf_counter()
    store = open_store(store_dir)  # the server reads the store back in: the start-up cost of every command
    try:
        opened = time.perf_counter() - started
        counts = api.stats(store)
        # Lists that grow with every document naming a hub: each write copies them whole.
        longest_edge = store.run("MATCH ()-[r]->() WHERE type(r) <> 'MENTIONS' "
                                 "RETURN max(size(r.doc_ids))").value() or 0
        longest_history = store.run("MATCH (n:Person) RETURN max(size(n.role_history))").value() or 0
        server_mb = _server_memory_mb(store)
    finally:
        store.close()
    labels, relations = counts["labels"], counts["relations"]
    return {"entities": labels.get("Entity", 0), "documents": labels.get("Document", 0),
            "mentions": relations.get("MENTIONS", 0),
            "relations": sum(v for k, v in relations.items() if k != "MENTIONS"),
            "by_label": labels, "by_relation": relations, "disk_mb": folder_bytes(store_dir) / 1e6,
            "open_s": opened, "longest_edge_docs": longest_edge, "longest_role_history": longest_history,
            "server_mb": server_mb}


def _server_memory_mb(store: Any) -> float | None:
    """What the embedded server holds for the graph once read back in (its share of the peak)."""
    try:
        return store._db.connection.info("memory")["used_memory"] / 1e6
    except Exception:  # noqa: BLE001 - a figure, not a failure: another backend, an older client
        return None


def queries(n: int, store_dir: Path, runs: int, seed: int, budget: float) -> list[dict]:
    store = open_store(store_dir, timeout_ms=int(max(budget, 10) * 1000))  # a runaway query counts as failed
    try:
        figures = measure_named(store, runs, seed, budget)
    finally:
        store.close()
    for kind in ("by id", "by name", "whole graph"):
        worst = max((f for f in figures if f.kind == kind), key=lambda f: f.p95_ms, default=QueryFigure("none"))
        say(n, f"named queries, {kind}: worst p95 {worst.p95_ms:,.1f} ms ({worst.name})")
    return [asdict(f) for f in figures]


def view(n: int, store_dir: Path, work: Path) -> dict:
    command = policygraph_command()
    if run_measured([*command, "view", "--help"]).returncode != 0:
        say(n, "policygraph view is not there: no view figures")
        return {}
    out = work / "view.html"
    run = run_measured([*command, "view", "--store", str(store_dir), "--limit", str(VIEW_NODES), "-o", str(out)])
    if run.returncode != 0:
        say(n, f"policygraph view failed: {run.stderr.strip()[-300:]}")
        return {"error": run.stderr.strip()[-300:]}
    nodes = re.search(r"(\d[\d,]*) nodes", run.stderr)
    figures = {"wall_s": run.wall, "html_mb": out.stat().st_size / 1e6, "maxrss_mb": run.maxrss_kb / 1024,
               "nodes": int(nodes.group(1).replace(",", "")) if nodes else None, "summary": run.stderr.strip()[-200:]}
    say(n, f"policygraph view --limit {VIEW_NODES}: {run.wall:.1f} s, {figures['html_mb']:.2f} MB of HTML, "
           f"{figures['nodes']} nodes, {figures['maxrss_mb']:.0f} MiB")
    out.unlink(missing_ok=True)
    return figures


def reload(n: int, paths: list[Path], store_dir: Path, seed: int) -> dict:
    """Load a sample of the documents again with --force: what changed files cost on a big graph."""
    count = max(min(n // 100, RELOAD_MAX), min(n, RELOAD_MIN))
    sample = sorted(random.Random(seed).sample(paths, count))
    run = run_measured([*policygraph_command(), "load", *map(str, sample), "--store", str(store_dir), "--force"])
    if run.returncode != 0:
        say(n, f"policygraph load --force failed: {run.stderr.strip()[-300:]}")
        return {"error": run.stderr.strip()[-300:]}
    figures = {"documents": count, "wall_s": run.wall, "cpu_s": run.cpu, "ms_per_doc": run.wall * 1000 / count}
    say(n, f"policygraph load --force of {count:,} documents: {run.wall:.1f} s, {figures['ms_per_doc']:.1f} ms a document")
    return figures


# -- one size, and the report ------------------------------------------------------------------------------
def run_size(n: int, args: argparse.Namespace) -> SizeFigures:
    work = args.work / f"run-{n}"
    work.mkdir(parents=True, exist_ok=True)
    folder, manifest = corpus(n, args.work, args.seed)
    paths = [p for p in find_files([folder]) if not isinstance(p, LoadFailure)]
    figures = SizeFigures(n, corpus=manifest, machine={"loop_s": yardstick()})
    say(n, f"a Python loop of 10^7 additions takes {figures.machine['loop_s']:.2f} s here")
    figures.extraction = extraction(n, paths[:args.sample], args.workers, args.profile)
    if not args.no_write:
        figures.write = write(n, paths, work, args.workers, args.batch_size, args.profile)
    figures.load, store_dir = load(n, folder, work)
    figures.graph = graph_size(store_dir)
    if not args.no_queries:
        # The machine's speed moves within a run (a 100,000-article size takes an hour): the
        # queries' latencies are read against the yardstick taken just before them.
        figures.machine["queries_loop_s"] = yardstick()
        say(n, f"before the named queries, the same loop takes {figures.machine['queries_loop_s']:.2f} s")
        figures.queries = queries(n, store_dir, args.runs, args.seed, args.query_budget)
    if not args.no_view:
        figures.view = view(n, store_dir, work)
    if not args.no_reload:
        figures.reload = reload(n, paths, store_dir, args.seed)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return figures


def report(results: list[SizeFigures]) -> str:
    cols = ["", *(f"N = {r.documents:,}" for r in results)]
    row = lambda label, fmt, get: [label, *(_fmt(fmt, get, r) for r in results)]
    rows = [
        row("machine: Python loop of 10^7 additions (s)", "{:.2f}", lambda r: r.machine["loop_s"]),
        row("machine: the same loop before the queries (s)", "{:.2f}", lambda r: r.machine["queries_loop_s"]),
        row("corpus words (input)", "{:,.0f}", lambda r: r.corpus["words"]),
        row("extraction sample (documents)", "{:,}", lambda r: r.extraction["sample"]),
        row("extraction, 1 process: docs/s", "{:,.0f}", lambda r: r.extraction["single_docs_s"]),
        row("extraction, 1 process: words/s", "{:,.0f}", lambda r: r.extraction["single_words_s"]),
        row("extraction, all cores: docs/s", "{:,.0f}", lambda r: r.extraction["all_docs_s"]),
        row("extraction, all cores: words/s", "{:,.0f}", lambda r: r.extraction["all_words_s"]),
        row("extraction speed-up on all cores", "x{:.2f}", lambda r: r.extraction["speedup"]),
        row("extraction, 1 process: CPU ms per doc", "{:.2f}", lambda r: r.extraction["single_cpu_ms_per_doc"]),
        row("extraction, all cores: CPU ms per doc", "{:.2f}", lambda r: r.extraction["all_cpu_ms_per_doc"]),
        row("resolution: CPU ms per document", "{:.2f}", lambda r: r.write["resolve_ms_per_doc"]),
        row("writer: rows/s", "{:,.0f}", lambda r: r.write["writer_rows_s"]),
        row("bare FalkorDB client: rows/s", "{:,.0f}", lambda r: r.write["bare_rows_s"]),
        row("writer / bare client (wall time)", "{:.2f}", lambda r: r.write["ratio"]),
        row("writer / bare client (CPU time)", "{:.2f}", lambda r: r.write["cpu_ratio"]),
        row("writer: seconds held back by server forks", "{:.1f}", lambda r: r.write["writer_fork_wait_s"]),
        row("writer: server restarts (seconds)", "{}",
            lambda r: f"{r.write.get('writer_restarts', 0)} ({r.write.get('writer_restart_s', 0.0):.1f})"),
        row("writer: server settles (seconds)", "{}",
            lambda r: f"{r.write.get('writer_settles', 0)} ({r.write.get('writer_settle_s', 0.0):.1f})"),
        row("load: wall seconds", "{:,.1f}", lambda r: r.load["wall_s"]),
        row("load: documents/s", "{:,.0f}", lambda r: r.load["docs_s"]),
        row("load: wall ms per document", "{:.2f}", lambda r: r.load["ms_per_doc"]),
        row("load: CPU ms per document", "{:.2f}", lambda r: r.load["cpu_ms_per_doc"]),
        row("load: peak memory, process tree (MiB)", "{:,.0f}", lambda r: r.load["tree_pss_mb"]),
        row("load: largest process (MiB)", "{:,.0f}", lambda r: r.load["maxrss_mb"]),
        row("graph: entities", "{:,}", lambda r: r.graph["entities"]),
        row("graph: relations (4 types)", "{:,}", lambda r: r.graph["relations"]),
        row("graph: MENTIONS", "{:,}", lambda r: r.graph["mentions"]),
        row("graph: MB on disk", "{:,.1f}", lambda r: r.graph["disk_mb"]),
        row("graph: server memory once loaded (MB)", "{:,.0f}", lambda r: r.graph.get("server_mb")),
        row("graph: seconds to open (server start)", "{:.2f}", lambda r: r.graph["open_s"]),
        row("graph: documents on the busiest edge", "{:,}", lambda r: r.graph["longest_edge_docs"]),
        row("graph: longest role_history", "{:,}", lambda r: r.graph["longest_role_history"]),
        row("named queries, entity by id: worst p95 (ms)", "{:.1f}", lambda r: _worst(r, "by id")),
        row("named queries, entity by name: worst p95 (ms)", "{:.1f}", lambda r: _worst(r, "by name")),
        row("named queries, whole graph: worst p95 (ms)", "{:.1f}", lambda r: _worst(r, "whole graph")),
        row("named queries: worst p95 (ms)", "{:.1f}", lambda r: max(q["p95_ms"] for q in r.queries) if r.queries else None),
        row(f"view --limit {VIEW_NODES}: seconds", "{:.1f}", lambda r: r.view["wall_s"]),
        row(f"view --limit {VIEW_NODES}: HTML MB", "{:.2f}", lambda r: r.view["html_mb"]),
        row(f"view --limit {VIEW_NODES}: nodes", "{}", lambda r: r.view["nodes"]),
        row("load --force of 1% again: documents", "{:,}", lambda r: r.reload["documents"]),
        row("load --force of 1% again: wall ms per document", "{:.1f}", lambda r: r.reload["ms_per_doc"]),
    ]
    parts = [table(cols, rows, max_width=80)]
    names = list(dict.fromkeys(q["name"] for r in results for q in r.queries))
    qrows = [[name, *(_query_cell(r, name) for r in results)] for name in names]
    kinds = {q["name"]: q.get("kind", "") for r in results for q in r.queries}
    qrows = [[row[0], kinds.get(row[0], ""), *row[1:]] for row in qrows]
    parts.append("named-query latency, p50 / p95 ms:\n" + table(["query", "entity", *cols[1:]], qrows, max_width=80))
    if any(_tenths_shown(r) for r in results):
        parts.append(tenths_table(results))
    if len(results) > 1:
        parts.append(growth(results))
    return "\n\n".join(parts)


# The writer hands documents back a batch at a time (about 140 of the benchmark's articles): a
# tenth of fewer documents than this measures when batches ended more than what they cost.
TENTH_DOCUMENTS = 1_000


def _tenths_shown(r: SizeFigures) -> bool:
    got = r.write.get("writer_tenths") or []
    return bool(got) and min(t["documents"] for t in got) >= TENTH_DOCUMENTS


def tenths_table(results: list[SizeFigures]) -> str:
    """The writer pass tenth by tenth: what a document cost as the graph grew, within one run."""
    sizes = [r for r in results if _tenths_shown(r)]
    ms = lambda value: "-" if value is None else f"{value:.2f}"

    def cell(t: dict) -> str:
        return f"{ms(t['wall'])} / {ms(t['server_cpu'])}{' *' if t.get('restart') else ''}"
    count = max(len(r.write["writer_tenths"]) for r in sizes)
    rows = [[f"tenth {i + 1}", *(cell(r.write["writer_tenths"][i]) if i < len(r.write["writer_tenths"]) else ""
                                 for r in sizes)] for i in range(count)]
    rows.append(["second half / first", *(f"{_halves(r, 'wall')} / {_halves(r, 'server_cpu')}" for r in sizes)])
    rows.append(["end of the write (s)", *(_fmt("{:.1f}", lambda r: r.write["writer_end_s"], r) for r in sizes)])
    return ("writer pass, tenth by tenth: wall / server CPU ms a document (* a tenth in which the server\n"
            "restarted); the same figures in both halves = linear growth. The last tenth also holds the\n"
            "end of the write (tails folded, counts kept; its seconds in the last row): the halves leave it out.\n" +
            table(["", *(f"N = {r.documents:,}" for r in sizes)], rows))


def _halves(r: SizeFigures, key: str) -> str:
    """How much more a document cost in the second half of the pass than in the first."""
    values = [t[key] for t in r.write["writer_tenths"]]
    first, second = values[:len(values) // 2], values[len(values) // 2:-1]  # not the last: the write's end
    if not first or not second or None in values or not sum(first):
        return "-"
    return f"x{(sum(second) / len(second)) / (sum(first) / len(first)):.2f}"


def _fmt(fmt: str, get: Any, r: SizeFigures) -> str:
    try:
        value = get(r)
    except (KeyError, TypeError, ValueError):
        return "-"
    return "-" if value is None else fmt.format(value)


def _worst(r: SizeFigures, kind: str) -> float | None:
    found = [q["p95_ms"] for q in r.queries if q.get("kind") == kind and q["runs"]]
    return max(found) if found else None


def _query_cell(r: SizeFigures, name: str) -> str:
    q = next((q for q in r.queries if q["name"] == name), None)
    if q is None:
        return "-"
    if not q["runs"]:
        return "failed: " + (q["errors"][0][:40] if q["errors"] else "?")
    return f"{q['p50_ms']:.1f} / {q['p95_ms']:.1f}"


def growth(results: list[SizeFigures]) -> str:
    """How each cost grows between consecutive sizes; linear growth keeps per-document figures flat."""
    rows = []
    for a, b in zip(results, results[1:]):
        factor = b.documents / a.documents
        ratio = lambda get: _fmt("x{:.2f}", lambda r: get(b) / get(a), b)
        rows.append([f"{a.documents:,} -> {b.documents:,} (x{factor:g})",
                     ratio(lambda r: r.load["wall_s"]), ratio(lambda r: r.load["cpu_s"]),
                     ratio(lambda r: r.load["tree_pss_mb"]), ratio(lambda r: r.load["ms_per_doc"]),
                     ratio(lambda r: r.write["writer_rows_s"]), ratio(lambda r: r.write["bare_rows_s"]),
                     ratio(lambda r: _worst(r, "by id"))])
    return ("growth between sizes (per-document cost x1.00 = linear):\n" +
            table(["sizes", "load wall", "load CPU", "peak memory", "wall per doc", "writer rows/s",
                   "bare client rows/s", "worst p95, entity by id"], rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], metavar="N",
                        help="corpus sizes (default: 1000 10000)")
    parser.add_argument("--full", action="store_true", help="add N = 100,000")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "policygraph-bench",
                        help="where corpora (kept for the next run) and stores go")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=int, default=1000, help="documents in the extraction sample")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="extraction processes")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH, help="rows per UNWIND statement")
    # A p95 is the tail of the draws, and few draws pin it down badly. From 3,000 draws of co-supporters
    # on 100,000 articles (p95 11.5 ms), 2,000 resamples of 40 draws gave p95s from 1.2 to 22.0 ms
    # (5th to 95th percentile of the resamples); of 400 draws, from 9.6 to 13.4 ms.
    parser.add_argument("--runs", type=int, default=400,
                        help="timed runs of each named query, each with parameters drawn afresh (default: 400)")
    parser.add_argument("--query-budget", type=float, default=30.0, metavar="SECONDS",
                        help="stop timing one query after this long (at least 3 runs)")
    parser.add_argument("--no-write", action="store_true", help="skip the writer and bare-client passes")
    parser.add_argument("--no-queries", action="store_true", help="skip the named queries")
    parser.add_argument("--no-view", action="store_true", help="skip the viewer")
    parser.add_argument("--no-reload", action="store_true", help="skip loading 1%% of the documents again")
    parser.add_argument("--profile", action="store_true", help="print where extraction and writing spend time")
    parser.add_argument("--keep", action="store_true", help="keep the stores under --work")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--report", type=Path, nargs="+", metavar="JSON",
                        help="measure nothing: print the tables of earlier runs' --json files together")
    args = parser.parse_args(argv)
    if args.report:
        saved = [SizeFigures(**item) for path in args.report for item in json.loads(path.read_text())]
        print(report(sorted(saved, key=lambda r: r.documents)))
        return 0
    sizes = sorted(set(args.sizes + ([100_000] if args.full else [])))
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"policygraph benchmark: sizes {', '.join(f'{n:,}' for n in sizes)}; {busy()}; "
          f"work folder {args.work}", file=sys.stderr)
    results = []
    for n in sizes:
        results.append(run_size(n, args))
        if args.json:
            args.json.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
