"""Named Cypher queries: the .cypher files beside this module, and running one.

Each file starts with a header of `//` comment lines:

    // name: supporters
    // answers: Who supports an industry, and on what evidence.
    // param: industry (entity: Industry) the industry, by any name or alias
    // param: limit (int = 100) at most this many rows
    // example: policygraph query supporters --param industry=semiconductors

A parameter is `entity` (the user gives a name, an alias or an id; the query
receives the entity's id), `text` or `int`. Without `= default` it is required;
`= null` makes it optional. Lines of `//` without a field continue the one above; an
empty `//` line ends the header, so notes on how the query works can follow it.
"""
from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from policygraph.errors import QueryError, UsageError
from policygraph.graph.store import Result, Store
from policygraph.queries import entities, paths
from policygraph.queries.resolve import resolve_id
from policygraph.schema.model import ENTITY_TYPES

FIELD = re.compile(r"^//\s*(name|answers|param|example):\s*(.*)$")
PARAM = re.compile(r"^(?P<name>\w+)\s*\((?P<kind>entity|text|int)(?:\s*:\s*(?P<types>[\w|]+))?"
                   r"(?:\s*=\s*(?P<default>[^)]*))?\)\s*(?P<help>.*)$")
REQUIRED = object()
Note = Callable[[str], None]
# Named queries policygraph answers step by step in Python, with the rows their Cypher
# states, because the engine runs that Cypher too slowly on a big graph (see the module).
PROGRAMS: dict[str, Callable[[Store, dict[str, Any], Note | None], Result]] = {
    "paths": paths.run,
    "entities": entities.run,
}


@dataclass(frozen=True, slots=True)
class QueryParam:
    name: str
    kind: str  # entity | text | int
    help: str = ""
    types: tuple[str, ...] = ()  # entity types an `entity` parameter accepts (all if empty)
    default: Any = REQUIRED

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def describe(self) -> str:
        kind = "|".join(self.types) if self.types else self.kind
        if self.required:
            return f"{self.name} ({kind})"
        return f"{self.name} ({kind}, default {json.dumps(self.default)})"


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    answers: str
    params: tuple[QueryParam, ...]
    example: str
    text: str  # the whole file, header included (Cypher ignores // comments)

    def param(self, name: str) -> QueryParam | None:
        return next((p for p in self.params if p.name == name), None)


def parse(text: str, source: str = "<query>") -> NamedQuery:
    """Read a .cypher file's header; raise ValueError naming the file if it is malformed."""
    fields: dict[str, list[str]] = {"name": [], "answers": [], "param": [], "example": []}
    last: list[str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("//"):
            if stripped:
                break
            continue
        m = FIELD.match(stripped)
        if m:
            last = fields[m.group(1)]
            last.append(m.group(2).strip())
        elif not stripped[2:].strip():
            last = None  # the notes below are not part of the header
        elif last is not None:
            last[-1] = f"{last[-1]} {stripped[2:].strip()}"
    if len(fields["name"]) != 1 or not fields["answers"] or not fields["example"]:
        raise ValueError(f"{source}: the header needs one '// name:', an '// answers:' and an '// example:' line")
    return NamedQuery(fields["name"][0], " ".join(fields["answers"]),
                      tuple(_param(spec, source) for spec in fields["param"]), fields["example"][0], text)


def _param(spec: str, source: str) -> QueryParam:
    m = PARAM.match(spec)
    if not m:
        raise ValueError(f"{source}: cannot read the parameter {spec!r}: write 'NAME (entity|text|int[: Types][ = default]) help'")
    types = tuple(t for t in (m.group("types") or "").split("|") if t)
    unknown = [t for t in types if t not in ENTITY_TYPES]
    if unknown or (types and m.group("kind") != "entity"):
        raise ValueError(f"{source}: parameter {m.group('name')}: {unknown or types} are not entity types of an entity parameter")
    default = REQUIRED if m.group("default") is None else json.loads(m.group("default"))
    return QueryParam(m.group("name"), m.group("kind"), m.group("help").strip(), types, default)


@functools.cache
def load_all() -> dict[str, NamedQuery]:
    """Every named query shipped with policygraph, by name."""
    found: dict[str, NamedQuery] = {}
    for item in sorted(resources.files("policygraph.queries").iterdir(), key=lambda p: p.name):
        if item.name.endswith(".cypher"):
            query = parse(item.read_text(encoding="utf-8"), item.name)
            if query.name != item.name.removesuffix(".cypher"):
                raise ValueError(f"{item.name}: the header names it {query.name!r}; the file name and the name must agree")
            found[query.name] = query
    return found


def get(name: str) -> NamedQuery:
    every = load_all()
    if name in every:
        return every[name]
    close = difflib.get_close_matches(name, list(every), n=3)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise QueryError(f"there is no named query {name!r}: {hint}`policygraph queries` lists them")


def bind(query: NamedQuery, given: Mapping[str, Any], store: Store, note: Note | None = None) -> dict[str, Any]:
    """The parameters the Cypher receives: defaults filled in, types checked, entity names resolved."""
    unknown = sorted(set(given) - {p.name for p in query.params})
    if unknown:
        takes = ", ".join(p.describe() for p in query.params) or "no parameters"
        raise UsageError(f"query {query.name} has no parameter {', '.join(unknown)}; it takes {takes}")
    bound: dict[str, Any] = {}
    for p in query.params:
        if p.name not in given or given[p.name] is None:
            if p.required:
                raise UsageError(f"query {query.name} needs --param {p.name}=... ({p.help}); e.g. {query.example}")
            bound[p.name] = p.default
            continue
        bound[p.name] = _value(query, p, given[p.name], store, note)
    return bound


def _value(query: NamedQuery, p: QueryParam, value: Any, store: Store, note: Note | None) -> Any:
    if p.kind == "int":
        if isinstance(value, bool) or not (isinstance(value, int) or str(value).strip().lstrip("-").isdigit()):
            raise UsageError(f"query {query.name}: --param {p.name} takes a whole number, not {value!r}")
        return int(value)
    if p.kind == "text":
        return value if isinstance(value, str) else json.dumps(value)
    return resolve_id(store, p.name, value, p.types, note)


def run(store: Store, name: str, params: Mapping[str, Any] | None = None, *, write: bool = False,
        note: Note | None = None) -> Result:
    query = get(name)
    bound = bind(query, params or {}, store, note)
    program = PROGRAMS.get(name)
    if program is not None:
        return program(store, bound, note)
    return store.run(query.text, bound, write=write)


def catalogue(queries: list[NamedQuery]) -> Result:
    """The named queries as rows, for `policygraph queries`."""
    rows = [[q.name, q.answers, ", ".join(p.describe() for p in q.params), q.example] for q in queries]
    return Result(["name", "answers", "parameters", "example"], rows)
