"""Neo4j's own Cypher linter from Python, and every Cypher text policygraph sends.

`lint(queries)` runs tests/js/lint.mjs (`lintCypherQuery` of
@neo4j-cypher/language-support, Cypher 5) on a batch of queries and returns
its diagnostics, errors and warnings alike: a clean query has none. The linter
knows the graph's labels and relationship types (schema/model.py) and its
property keys (the graph model of README.md), so a misspelt label or property
is reported too. Parameters are declared per query: a named query's are those
its header lists; a statement in the code supplies every $name it uses.

`project_statements()` collects the Cypher the code sends, generically: every
string literal in the package that starts like a Cypher statement, and the
text of the statement builders for every label and relation type.
"""
from __future__ import annotations

import ast
import itertools
import json
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from policygraph.schema.model import ENTITY_TYPES, RELATION_TYPES, ROLE_LABELS

ROOT = Path(__file__).resolve().parent.parent
JS = Path(__file__).resolve().parent / "js"
PACKAGE_DIRS = (".", "graph", "schema", "loaders", "queries")
# Backend-specific DDL and catalogue calls, which DESIGN.md keeps per backend:
# FalkorDB's `CALL db.indexes()` is not Neo4j 5 Cypher and never runs there.
BACKEND_ONLY = {"graph/falkordb_store.py"}
CYPHER_START = re.compile(r"^\s*(MATCH|OPTIONAL\s+MATCH|UNWIND|MERGE|CREATE|WITH|RETURN|CALL)\b")
PARAMETER = re.compile(r"\$(\w+)")

NODE_PROPERTIES = (
    "id", "name", "type", "aliases", "roles", "role_history", "key", "keys",  # entities
    "degree", "pagerank", "betweenness", "community",  # written back by `analyze --write-back`
    "doc_id", "title", "date", "source", "path", "content_hash", "status", "loaded_hash", "entity_ids",  # documents
    "entity_count", "relation_count",
    "supporter_count", "plan_count", "lead_doc_count", "link_count",  # graph/counts.py
    "tails_pending",  # while a load runs: the entity has a role_history_tail or heads an edge with a doc_ids_tail
    "role_history_tail",  # while a load runs: a long-serving person's newest offices (graph/statements.py)
)
RELATION_PROPERTIES = (
    "doc_ids", "evidence", "evidence_doc_ids", "provenance", "rules", "confidence",  # the four relations
    "count", "surfaces", "offsets",  # MENTIONS
    "doc_count",  # the size of doc_ids (graph/counts.py)
    "doc_ids_tail",  # while a load runs: a busy edge's newest documents (graph/statements.py)
)


@dataclass(frozen=True)
class LintQuery:
    name: str
    query: str
    parameters: tuple[str, ...] = ()


@dataclass(frozen=True)
class Diagnostic:
    name: str
    severity: str
    message: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.name}:{self.line}:{self.column}: {self.severity}: {self.message}"


@dataclass
class DbSchema:
    labels: list[str] = field(default_factory=lambda: sorted({"Entity", "Document", *ENTITY_TYPES, *ROLE_LABELS}))
    relationshipTypes: list[str] = field(default_factory=lambda: sorted({*RELATION_TYPES, "MENTIONS"}))  # noqa: N815
    propertyKeys: list[str] = field(default_factory=lambda: sorted({*NODE_PROPERTIES, *RELATION_PROPERTIES}))  # noqa: N815


def lint(queries: Iterable[LintQuery], schema: DbSchema | None = None) -> list[Diagnostic]:
    """Every diagnostic Neo4j's linter reports for these queries (empty when all are clean)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed, so Neo4j's Cypher linter cannot run: install Debian's nodejs package")
    if not (JS / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        pytest.fail(f"the Cypher linter is not installed in {JS}: run `bash tests/setup-tools.sh`")
    batch = list(queries)
    payload = {"schema": vars(schema or DbSchema()),
               "queries": [{"name": q.name, "query": q.query, "parameters": {p: None for p in q.parameters}}
                           for q in batch]}
    proc = subprocess.run([node, str(JS / "lint.mjs")], input=json.dumps(payload), capture_output=True,
                          text=True, cwd=JS, timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"lint.mjs failed ({proc.returncode}): {proc.stderr.strip()}")
    return [Diagnostic(item["name"], d["severity"], d["message"], d["line"], d["column"])
            for item in json.loads(proc.stdout) for d in item["diagnostics"]]


def uses(text: str) -> tuple[str, ...]:
    """The $parameters a Cypher text uses, in order of first use."""
    return tuple(dict.fromkeys(PARAMETER.findall(_without_comments(text))))


def _without_comments(text: str) -> str:
    return "\n".join(line.split("//", 1)[0] if line.lstrip().startswith("//") else line
                     for line in text.splitlines())


def literal_statements() -> list[LintQuery]:
    """String literals in the package source that start like a Cypher statement (docstrings aside)."""
    found = []
    for folder in PACKAGE_DIRS:
        for path in sorted((ROOT / folder).glob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel in BACKEND_ONLY:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            # Docstrings, and the pieces of f-strings (their builders are linted whole below).
            skip = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
            skip |= {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
            # A subquery's body sees its outer variables only inside the statement it is spliced into.
            skip |= {id(a) for n in ast.walk(tree) if isinstance(n, ast.Call) and _called(n).endswith("subquery")
                     for a in n.args}
            for n in ast.walk(tree):
                if (isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip
                        and CYPHER_START.match(n.value)):
                    found.append(LintQuery(f"{rel}:{n.lineno}", n.value, uses(n.value)))
    return found


def _called(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def built_statements() -> list[LintQuery]:
    """The texts the statement builders make, for every label and relation type they accept."""
    from policygraph.graph import counts, importer
    from policygraph.graph import statements as st
    from policygraph.graph.store import Store, adjacency_statement, neighbours_statement, search_statement
    from policygraph.queries import paths, viewer

    out = []
    for label in (*ENTITY_TYPES, *sorted(ROLE_LABELS)):
        labels = (label,) if label in ENTITY_TYPES else ("Person", label)
        for new_history in (False, True):
            text = st.entities(labels, new_history)
            out.append(LintQuery(f"statements.entities{labels}, new_history={new_history}", text, uses(text)))
    out.append(LintQuery("statements.mentions", st.mentions(), uses(st.mentions())))
    for label in sorted(ROLE_LABELS):
        text = st.role_label_removal(label)
        out.append(LintQuery(f"statements.role_label_removal({label})", text, uses(text)))
    ends = paths.ends_statement()  # as the base Store (Neo4j) sends it
    out.append(LintQuery("paths.ends_statement", ends, uses(ends)))
    out.append(LintQuery("counts.LINK_COUNTS", counts.LINK_COUNTS, uses(counts.LINK_COUNTS)))
    newest = viewer.newest_mentions(Store)  # the subquery in the form Neo4j takes
    out.append(LintQuery("viewer.newest_mentions", newest, uses(newest)))
    for name in ("PURGE_EDGES", "DELETE_EMPTY_EDGES"):  # built by statements._document_edges
        out.append(LintQuery(f"statements.{name}", getattr(st, name), uses(getattr(st, name))))
    gone = st.aliases_gone(Store.subquery)
    out.append(LintQuery("statements.aliases_gone", gone, uses(gone)))
    for within in (False, True):
        text = neighbours_statement(within=within)
        out.append(LintQuery(f"store.neighbours_statement(within={within})", text, uses(text)))
    for kind in ("keys", "link_total", "names"):
        text = search_statement(kind)
        out.append(LintQuery(f"store.search_statement({kind})", text, uses(text)))
    for rel_type in RELATION_TYPES:
        for name, builder in (("statements.relations", st.relations), ("importer.import_relations",
                                                                       importer.import_relations)):
            text = builder(rel_type)
            out.append(LintQuery(f"{name}({rel_type})", text, uses(text)))
        for outgoing, within in itertools.product((True, False), (False, True)):
            text = adjacency_statement(rel_type, outgoing, within=within)
            label = f"{rel_type}, {outgoing}" + (", within=True" if within else "")
            out.append(LintQuery(f"store.adjacency_statement({label})", text, uses(text)))
    return out


def named_queries() -> list[LintQuery]:
    from policygraph.queries import named

    return [LintQuery(f"queries/{q.name}.cypher", q.text, tuple(p.name for p in q.params))
            for q in named.load_all().values()]


def project_statements() -> list[LintQuery]:
    return literal_statements() + built_statements() + named_queries()
