"""The `policygraph` command: thin wrappers over the public API in api.py."""
from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from typing import Any

import click

from policygraph import api
from policygraph.errors import PolicyGraphError, UsageError
from policygraph.graph.formats import FORMATS as EXPORT_FORMATS
from policygraph.graph.importer import READERS as IMPORT_FORMATS
from policygraph.graph.store import DEFAULT_FOLDER
from policygraph.graph.writer import DEFAULT_BATCH
from policygraph.output import FORMATS, render

STORE_HELP = (f"Where the graph lives: a data folder for the embedded FalkorDB (default ./{DEFAULT_FOLDER}) "
              "or a Neo4j URI (bolt://host:7687, neo4j+s://...; credentials from NEO4J_USER/NEO4J_PASSWORD). "
              "Also read from POLICYGRAPH_STORE.")


def store_option(func):
    func = click.option("--database", default=None, metavar="NAME", expose_value=False, callback=_use_database,
                        help="Neo4j only: the database to use (default: NEO4J_DATABASE, else the server's "
                             "default database).")(func)
    return click.option("--store", envvar="POLICYGRAPH_STORE", default=None, metavar="FOLDER|URI",
                        help=STORE_HELP)(func)


def _use_database(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    # The Neo4j store reads NEO4J_DATABASE; setting it here reaches every command without new parameters.
    if value:
        os.environ["NEO4J_DATABASE"] = value


def parse_params(pairs: tuple[str, ...]) -> dict[str, Any]:
    """--param k=v pairs; a value that reads as JSON (number, list, true) is taken as such."""
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--param takes key=value, not {pair!r}: e.g. --param name=MOTIE")
        try:
            params[key.strip()] = json.loads(value)
        except ValueError:
            params[key.strip()] = value
    return params


class Group(click.Group):
    """Turns user errors into one line and an exit status; tracebacks only with --debug."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PolicyGraphError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            click.echo(f"policygraph: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("policygraph: interrupted", err=True)
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"policygraph: internal error: {type(exc).__name__}: {exc} "
                       "(run with --debug for the traceback, and please report it)", err=True)
            ctx.exit(70)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(package_name="policygraph")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Build and explore a knowledge graph of industrial-policy actors.

    \b
    Typical session:
      policygraph load articles/            # read .txt/.md/.html into ./policygraph-data
      policygraph stats                     # what is in the graph
      policygraph cypher "MATCH (p:Person)-[:LEADS]->(x) RETURN p.name, x.name"
      policygraph export -o graph.json      # node-link JSON
    """
    ctx.ensure_object(dict)["debug"] = debug
    _show_warnings()


class _Echo(logging.Handler):
    """Library warnings (logger "policygraph") on the CLI's stderr, in its own voice."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"policygraph: {record.getMessage()}", err=True)


def _show_warnings() -> None:
    logger = logging.getLogger("policygraph")
    if not any(isinstance(h, _Echo) for h in logger.handlers):
        logger.addHandler(_Echo(logging.WARNING))
        logger.propagate = False


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@store_option
@click.option("--force", is_flag=True, help="Load every document again, even unchanged ones.")
@click.option("--batch-size", default=DEFAULT_BATCH, show_default=True, type=click.IntRange(1, 100_000),
              help="Rows per UNWIND ... MERGE write.")
@click.option("--max-size", default=20.0, show_default=True, type=click.FloatRange(0.001),
              help="Skip files larger than this many MB.")
@click.option("--workers", default=None, type=click.IntRange(1, 256),
              help="Extraction processes (default: one per core).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
def load(paths: tuple[str, ...], store: str | None, force: bool, batch_size: int, max_size: float,
         workers: int | None, quiet: bool) -> None:
    """Load documents (files or folders of .txt, .md, .html) into the graph.

    \b
    Examples:
      policygraph load articles/
      policygraph load a.txt b.html --store ./my-graph
      policygraph load corpus/ --store bolt://localhost:7687 --force

    Unchanged documents already in the graph are skipped, so loading twice
    changes nothing. Files that cannot be read are reported one line each;
    the others still load, and the exit status is 1 when any file failed.
    """
    show = not quiet and sys.stderr.isatty()
    bar = click.progressbar(length=0, label="loading", file=sys.stderr) if show else None
    failures: list[str] = []

    def progress(path: str, outcome: str) -> None:
        if outcome == "failed":
            failures.append(path)
        if bar is not None:
            bar.update(1)

    report = api.load(paths, store, batch_size=batch_size, force=force, max_bytes=int(max_size * 1024 * 1024),
                      workers=workers, progress=progress,
                      on_wait=lambda message: click.echo(f"policygraph: {message}", err=True))
    if bar is not None:
        bar.render_finish()
    for failure in report.failed:
        click.echo(f"policygraph: skipped {failure}", err=True)
    if not quiet:
        click.echo(report.summary(), err=True)
    if report.failed:
        sys.exit(1)


@main.command()
@store_option
@click.option("--format", "fmt", default="node-link", show_default=True,
              type=click.Choice(["node-link", *EXPORT_FORMATS]),
              help="node-link JSON, RDF (turtle, json-ld), graphml (Gephi, yEd) or neo4j-csv (a folder for "
                   "neo4j-admin database import).")
@click.option("-o", "--output", type=click.Path(writable=True), default=None,
              help="File to write (default: standard output); a folder for neo4j-csv.")
@click.option("--no-documents", is_flag=True, help="Leave out Document nodes and MENTIONS edges.")
@click.option("--base-iri", default=None, metavar="IRI",
              help="RDF only: the base of entity and document IRIs (default https://policygraph.example/id/).")
def export(store: str | None, fmt: str, output: str | None, no_documents: bool, base_iri: str | None) -> None:
    """Export the whole graph.

    \b
    Examples:
      policygraph export -o graph.json
      policygraph export --format node-link | jq '.nodes | length'
      policygraph export --format turtle -o graph.ttl
      policygraph export --format graphml -o graph.graphml
      policygraph export --format neo4j-csv -o bulk/ && sh bulk/neo4j-admin-import.sh
    """
    options = {}
    if base_iri:
        if fmt not in ("turtle", "json-ld"):
            raise UsageError("--base-iri is for RDF exports: add --format turtle or --format json-ld")
        options["base"] = base_iri
    target = output if output else sys.stdout
    api.export(store, fmt, target, documents=not no_documents, **options)
    if output:
        click.echo(f"wrote {output}", err=True)


@main.command()
@store_option
@click.option("--format", "fmt", default="table", show_default=True, type=click.Choice(FORMATS))
def stats(store: str | None, fmt: str) -> None:
    """Count nodes by label and relationships by type.

    \b
    Example:
      policygraph stats --format json
    """
    counts = api.stats(store)
    if fmt == "json":
        click.echo(json.dumps(counts, indent=2))
        return
    from policygraph.graph.store import Result

    rows = [["label", k, v] for k, v in counts["labels"].items()] + \
           [["relation", k, v] for k, v in counts["relations"].items()]
    click.echo(render(Result(["kind", "name", "count"], rows), fmt))


@main.command()
@click.argument("query")
@store_option
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter ($KEY in the query); repeatable. JSON values are parsed.")
@click.option("--format", "fmt", default="table", show_default=True, type=click.Choice(FORMATS))
@click.option("--write", is_flag=True, help="Allow the query to change the graph.")
def cypher(query: str, store: str | None, params: tuple[str, ...], fmt: str, write: bool) -> None:
    """Run a Cypher query (read-only unless --write).

    \b
    Examples:
      policygraph cypher "MATCH (p:Person)-[:LEADS]->(c:City) RETURN p.name, c.name"
      policygraph cypher "MATCH (n:Entity {name: \\$name}) RETURN n" --param name=Suwon --format json
    """
    result = api.cypher(query, parse_params(params), store, write=write)
    click.echo(render(result, fmt))


@main.command()
@store_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="policygraph-graph.html",
              show_default=True, help="The HTML file to write.")
@click.option("--open", "open_page", is_flag=True, help="Open the page in the default web browser.")
@click.option("--documents", is_flag=True, help="Show Document nodes and their MENTIONS edges.")
@click.option("--focus", metavar="NAME", default=None,
              help="Show only the neighbourhood of this actor (any name or alias, case/hyphen/space-blind).")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, 10), help="Hops around --focus.")
@click.option("--types", metavar="T1,T2", default=None,
              help="Entity types to show, e.g. Person,Industry (Document too, with --documents).")
@click.option("--min-degree", default=0, show_default=True, type=click.IntRange(0),
              help="Hide nodes with fewer neighbours than this in the view.")
@click.option("--limit", default=None, type=click.IntRange(1), metavar="N",
              help="Keep the N most important nodes (PageRank).")
@click.option("--max-edges", default=5000, show_default=True, type=click.IntRange(0), metavar="N",
              help="Keep at most N edges between the nodes shown: each node's strongest first (0: all).")
@click.option("--title", default="policygraph", show_default=True, help="The page's title.")
def view(store: str | None, output: str, open_page: bool, documents: bool, focus: str | None, depth: int,
         types: str | None, min_degree: int, limit: int | None, max_edges: int, title: str) -> None:
    """Write the graph as one HTML page to explore offline; prints its path last.

    \b
    Examples:
      policygraph view -o graph.html --open
      policygraph view --focus "Lee Jaemyung" --depth 2 -o lee.html
      policygraph view --types Person,Province,City --min-degree 1 -o officials.html
      policygraph view --limit 300 -o top300.html
    """
    report = api.view(store, output, documents=documents, focus=focus, depth=depth, types=types,
                      min_degree=min_degree, limit=limit, max_edges=max_edges, title=title)
    click.echo(f"policygraph: {report.summary()}", err=True)
    for note in report.notes:
        say(note)
    if open_page:
        import webbrowser
        from pathlib import Path

        webbrowser.open(Path(report.path).as_uri())
    click.echo(report.path)


def format_option(func):
    return click.option("--format", "fmt", default="table", show_default=True, type=click.Choice(FORMATS),
                        help="table for people, json or csv for programs.")(func)


def say(message: str) -> None:
    click.echo(f"policygraph: {message}", err=True)


@main.command()
@click.option("--show", metavar="NAME", default=None, help="Print one query's whole file (header and Cypher).")
@format_option
def queries(show: str | None, fmt: str) -> None:
    """List the named queries, what each answers and its parameters.

    \b
    Examples:
      policygraph queries
      policygraph queries --show supporters      # the Cypher, to read or adapt
    """
    from policygraph.queries.named import catalogue, get

    if show:
        click.echo(get(show).text.rstrip("\n"))
        return
    click.echo(render(catalogue(api.queries()), fmt))


@main.command()
@click.argument("name")
@store_option
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the query; repeatable. Entity parameters take any name, alias or id.")
@format_option
@click.option("--write", is_flag=True, help="Allow the query to change the graph.")
def query(name: str, store: str | None, params: tuple[str, ...], fmt: str, write: bool) -> None:
    """Run a named query (see `policygraph queries`); read-only unless --write.

    \b
    Examples:
      policygraph query supporters --param target="rechargeable batteries"
      policygraph query members --param group="Future Smart Belt Alliance" --format csv
      policygraph query paths --param from=MOTIE --param to="Lee Jaemyung" --format json
    """
    result = api.query(name, parse_params(params), store, write=write, note=say)
    click.echo(render(result, fmt))


@main.group()
def analyze() -> None:
    """Graph analytics (networkx) on the entities: centrality, communities, paths, ego networks.

    \b
    Examples:
      policygraph analyze centrality --by betweenness --limit 10
      policygraph analyze communities --write-back     # n.community for Cypher and the viewer
      policygraph analyze path "Kim Bo-ra" semiconductors
      policygraph analyze ego MOTIE --radius 2
    """


@analyze.command("centrality")
@store_option
@click.option("--by", default="pagerank", show_default=True, type=click.Choice(["pagerank", "degree", "betweenness"]),
              help="The measure to rank by.")
@click.option("--type", "types", multiple=True, metavar="TYPE", help="Only entities of this type; repeatable.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1), help="Show this many entities.")
@click.option("--sample", default=None, type=click.IntRange(0), metavar="K",
              help="Estimate betweenness from K source nodes; 0 for exact. Default: exact up to 2,000 "
                   "entities, else 200 sources.")
@click.option("--write-back", is_flag=True, help="Store n.degree, n.pagerank and n.betweenness on every entity.")
@format_option
def analyze_centrality(store: str | None, by: str, types: tuple[str, ...], limit: int, sample: int | None,
                       write_back: bool, fmt: str) -> None:
    """Degree, PageRank and betweenness of the entities, best first."""
    result = api.analyze("centrality", store, by=by, types=types, limit=limit, sample=sample, write_back=write_back,
                         note=say)
    click.echo(render(result, fmt))
    if write_back:
        say("stored degree, pagerank and betweenness on every entity")


@analyze.command("communities")
@store_option
@click.option("--min-size", default=1, show_default=True, type=click.IntRange(1),
              help="Show only communities with at least this many members.")
@click.option("--write-back", is_flag=True, help="Store n.community (0 = the largest) on every entity.")
@format_option
def analyze_communities(store: str | None, min_size: int, write_back: bool, fmt: str) -> None:
    """Communities of closely linked entities (Louvain), largest first; one row per member."""
    result = api.analyze("communities", store, min_size=min_size, write_back=write_back)
    click.echo(render(result, fmt))
    if write_back:
        say("stored community on every entity")


@analyze.command("path")
@click.argument("source")
@click.argument("target")
@store_option
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1), help="At most this many paths.")
@format_option
def analyze_path(source: str, target: str, store: str | None, limit: int, fmt: str) -> None:
    """Every shortest chain of relations between two entities (names, aliases or ids), one row per step."""
    result = api.analyze("path", store, source=source, target=target, limit=limit, note=say)
    if not result.rows:
        say(f"no path joins {source!r} and {target!r}")
    click.echo(render(result, fmt))


@analyze.command("ego")
@click.argument("center")
@store_option
@click.option("--radius", default=1, show_default=True, type=click.IntRange(1, 10), help="Steps from the center.")
@format_option
def analyze_ego(center: str, store: str | None, radius: int, fmt: str) -> None:
    """The entities within --radius steps of one entity, nearest first, with how each is reached."""
    click.echo(render(api.analyze("ego", store, center=center, radius=radius, note=say), fmt))


@main.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@store_option
@click.option("--format", "fmt", default="node-link", show_default=True, type=click.Choice(sorted(IMPORT_FORMATS)),
              help="The file's format: node-link is the JSON `policygraph export` writes.")
@click.option("--batch-size", default=1000, show_default=True, type=click.IntRange(1, 100_000),
              help="Rows per UNWIND ... MERGE write.")
def import_(file: str, store: str | None, fmt: str, batch_size: int) -> None:
    """Load a graph file into the store; importing the same file again changes nothing.

    \b
    Examples:
      policygraph export -o graph.json --store ./old && policygraph import graph.json --store ./new
      policygraph import --format node-link graph.json --store bolt://localhost:7687
    """
    say(api.import_graph(file, fmt, store, batch_size=batch_size).summary())


if __name__ == "__main__":  # pragma: no cover
    main()
