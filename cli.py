"""The `policygraph` command: thin wrappers over the public API in api.py."""
from __future__ import annotations

import json
import sys
import traceback
from typing import Any

import click

from policygraph import api
from policygraph.errors import PolicyGraphError, UsageError
from policygraph.graph.store import DEFAULT_FOLDER
from policygraph.output import FORMATS, render

STORE_HELP = (f"Where the graph lives: a data folder for the embedded FalkorDB (default ./{DEFAULT_FOLDER}) "
              "or a Neo4j URI (bolt://host:7687, neo4j+s://...; credentials from NEO4J_USER/NEO4J_PASSWORD). "
              "Also read from POLICYGRAPH_STORE.")


def store_option(func):
    return click.option("--store", envvar="POLICYGRAPH_STORE", default=None, metavar="FOLDER|URI",
                        help=STORE_HELP)(func)


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


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@store_option
@click.option("--force", is_flag=True, help="Load every document again, even unchanged ones.")
@click.option("--batch-size", default=1000, show_default=True, type=click.IntRange(1, 100_000),
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
                      workers=workers, progress=progress)
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
              type=click.Choice(["node-link"]), help="Export format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="File to write (default: standard output).")
@click.option("--no-documents", is_flag=True, help="Leave out Document nodes and MENTIONS edges.")
def export(store: str | None, fmt: str, output: str | None, no_documents: bool) -> None:
    """Export the whole graph.

    \b
    Examples:
      policygraph export -o graph.json
      policygraph export --format node-link | jq '.nodes | length'
    """
    target = output if output else sys.stdout
    api.export(store, fmt, target, documents=not no_documents)
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


if __name__ == "__main__":  # pragma: no cover
    main()
