"""Two settings of the writer on the same articles at the same time: prints figures, asserts nothing.

On a shared machine the same writer pass differs by 10-20% from one run to the
next, more than most changes to the writer are worth. Here two writers start
together, each with its own embedded server and store, writing the same
extracted graphs: the machine's swings fall on both. A side is a set of the
write statements' constants (graph/statements.py) or of the server restarts'
policy (graph/refresh.py), NAME=INTEGER; an empty side is the code as it stands.

    python bench/paired.py 30000 --b TAIL_FROM=500 TAIL_MAX=1000
    python bench/paired.py 10000 --a EDGE_EVIDENCE=0

The corpus is the benchmark's (bench/generate.py, under --work), extracted once
into a spool both writers read. The same code on both sides has differed by
about 3% of the server's CPU: run each comparison twice, the sides swapped.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchmark import corpus, extracted, unpickled  # noqa: E402
from measure import server_cpu  # noqa: E402

from policygraph.graph import refresh, statements  # noqa: E402
from policygraph.graph.store import open_store  # noqa: E402
from policygraph.graph.writer import GraphWriter  # noqa: E402
from policygraph.loaders.read import LoadFailure, find_files  # noqa: E402
from policygraph.loaders.resolve import Resolver  # noqa: E402

def _module(name: str):
    """The module of the integer constant `name`: graph/statements.py or graph/refresh.py."""
    for module in (statements, refresh):
        if name.isupper() and type(getattr(module, name, None)) is int:
            return module
    return None


def setting(text: str) -> tuple[str, int]:
    """One NAME=INTEGER of a side, checked against the integer constants of the statements and the refresh policy."""
    name, _, value = text.partition("=")
    if _module(name) is None:
        known = sorted(k for m in (statements, refresh) for k, v in vars(m).items() if k.isupper() and type(v) is int)
        raise argparse.ArgumentTypeError(f"{name!r} is not an integer constant of graph/statements.py or "
                                         f"graph/refresh.py; one of: {', '.join(known)}")
    try:
        return name, int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: the value must be an integer, as in {name}=32") from None


def spool(n: int, work: Path, seed: int, workers: int) -> Path:
    """The first n articles of the benchmark's corpus, extracted and resolved, pickled one after another."""
    path = work / f"paired-{n}-seed{seed}.spool"
    if path.exists():
        return path
    folder, _ = corpus(n, work, seed)
    paths = [p for p in find_files([folder]) if not isinstance(p, LoadFailure)]
    resolver, partial = Resolver(), path.with_suffix(".partial")
    with partial.open("wb") as f:
        for i, graph in enumerate(extracted(paths, workers), 1):
            pickle.dump(resolver.resolve(graph), f, protocol=pickle.HIGHEST_PROTOCOL)
            if i % 10_000 == 0:
                print(f"extracted {i:,} of {len(paths):,} articles", file=sys.stderr, flush=True)
    partial.rename(path)  # a spool cut short by ^C is never taken for a whole one
    return path


def side(spool_path: Path, store_dir: Path, settings: list[tuple[str, int]]) -> dict:
    """One writer pass over the spool into a fresh store, with the settings applied."""
    for name, value in settings:
        setattr(_module(name), name, value)
    shutil.rmtree(store_dir, ignore_errors=True)
    with open_store(store_dir) as store:
        before, started, cpu = server_cpu(store), time.perf_counter(), time.process_time()
        writer = GraphWriter(store)
        for _ in writer.write(unpickled(spool_path)):
            pass
        return {"wall_s": time.perf_counter() - started, "client_cpu_s": time.process_time() - cpu,
                "server_cpu_s": server_cpu(store, writer) - before,
                "restarts": writer.restarts, "restart_s": writer.restart_seconds,
                "settles": writer.settles, "settle_s": writer.settle_seconds}


def compare(spool_path: Path, work: Path, a: list[tuple[str, int]], b: list[tuple[str, int]]) -> dict[str, dict]:
    """Both sides at once, each in its own process; their figures by side."""
    procs = {}
    for label, settings in (("a", a), ("b", b)):
        cmd = [sys.executable, __file__, "--side", str(spool_path), str(work / f"paired-store-{label}"),
               *(f"{name}={value}" for name, value in settings)]
        procs[label] = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    figures = {}
    for label, proc in procs.items():
        out, _ = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"side {label} failed (exit {proc.returncode}); its error is above")
        figures[label] = json.loads(out.splitlines()[-1])
    for label in procs:
        shutil.rmtree(work / f"paired-store-{label}", ignore_errors=True)
    return figures


def report(n: int, a: list[tuple[str, int]], b: list[tuple[str, int]], figures: dict[str, dict]) -> str:
    def name(settings: list[tuple[str, int]]) -> str:
        return " ".join(f"{k}={v}" for k, v in settings) or "as the code stands"
    lines = [f"{n:,} articles, both writers at once", f"{'':8}{'wall s':>10}{'client CPU s':>14}{'server CPU s':>14}{'server restarts':>18}{'settles':>16}"]
    for label, settings in (("a", a), ("b", b)):
        f = figures[label]
        restarts = f"{f.get('restarts', 0)} ({f.get('restart_s', 0.0):.1f} s)"
        settles = f"{f.get('settles', 0)} ({f.get('settle_s', 0.0):.1f} s)"
        lines.append(f"{label:8}{f['wall_s']:>10.1f}{f['client_cpu_s']:>14.1f}{f['server_cpu_s']:>14.1f}"
                     f"{restarts:>18}{settles:>16}  {name(settings)}")
    lines.append(f"b / a   {figures['b']['wall_s'] / figures['a']['wall_s']:>10.2f}"
                 f"{figures['b']['client_cpu_s'] / figures['a']['client_cpu_s']:>14.2f}"
                 f"{figures['b']['server_cpu_s'] / figures['a']['server_cpu_s']:>14.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--side"]:
        spool_path, store_dir, *rest = argv[1:]
        print(json.dumps(side(Path(spool_path), Path(store_dir), [setting(s) for s in rest])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("n", type=int, help="articles of the benchmark's corpus to write")
    parser.add_argument("--a", type=setting, nargs="*", default=[], metavar="NAME=INT", help="side a's settings")
    parser.add_argument("--b", type=setting, nargs="*", default=[], metavar="NAME=INT", help="side b's settings")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "policygraph-bench",
                        help="where the corpus, the spool and the two stores go (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="extraction processes")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("n must be at least 1")
    args.work.mkdir(parents=True, exist_ok=True)
    figures = compare(spool(args.n, args.work, args.seed, args.workers), args.work, args.a, args.b)
    print(report(args.n, args.a, args.b, figures))
    if args.json:
        args.json.write_text(json.dumps({"n": args.n, "settings": {"a": dict(args.a), "b": dict(args.b)},
                                         "figures": figures}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
