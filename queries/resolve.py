"""Find the entity a user means by a name: its canonical name, any alias, or its id.

Names compare case-, hyphen- and space-insensitively ("Lee Jaemyung",
"lee jae-myung" and "LEE JAE MYUNG" meet), against the names and aliases in
the store and the gazetteer's aliases of entities in the store ("rechargeable
batteries" finds secondary batteries even if no loaded document spelt it so).
More than one match is an error that lists the candidates: the user picks,
policygraph never guesses.
"""
from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from policygraph.errors import QueryError
from policygraph.graph import statements as st
from policygraph.graph.store import Store
from policygraph.schema.gazetteer import default_gazetteer, fold

ENTITY_BY_ID = "MATCH (n:Entity {id: $id}) RETURN n.id AS id, n.type AS type, n.name AS name, n.aliases AS aliases"
# Entities whose `keys` (graph/statements.py: name and aliases squeezed) hold the
# name as given, or that the gazetteer names: two index lookups on FalkorDB (check
# with GRAPH.EXPLAIN: "Node By Index Scan"), however many entities the store holds.
# Neo4j indexes no list membership and scans there; the answer is the same.
KEYED = """
MATCH (n:Entity)
WHERE $key IN n.keys
RETURN n.id AS id, n.type AS type, n.name AS name, n.aliases AS aliases
UNION
MATCH (n:Entity)
WHERE n.id IN $ids
RETURN n.id AS id, n.type AS type, n.name AS name, n.aliases AS aliases
"""
# For stores written before entities had keys, and names not found by key: the
# store compares names with the usual separators dropped, so that only a few
# candidates travel to Python, where `fold` decides exactly. Scanning every
# entity's names in Python instead takes a second on 10,000 entities.
SEPARATORS = st.KEY_SEPARATORS
CANDIDATES = """
MATCH (n:Entity)
WHERE n.id IN $ids
   OR reduce(s = toLower(n.name), c IN $separators | replace(s, c, '')) = $key
   OR any(a IN coalesce(n.aliases, []) WHERE reduce(s = toLower(a), c IN $separators | replace(s, c, '')) = $key)
RETURN n.id AS id, n.type AS type, n.name AS name, n.aliases AS aliases
"""


@dataclass(frozen=True, slots=True)
class EntityRef:
    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.name} ({self.id})"


def resolve_entity(store: Store, value: str, types: Iterable[str] = ()) -> EntityRef:
    """The one entity of one of `types` (any type if empty) that `value` names."""
    text = str(value).strip()
    if not text:
        raise QueryError("an empty name names no entity: give a name, an alias or an id such as person:lee-jae-myung")
    allowed = tuple(types)
    exact = [_ref(r) for r in store.run(ENTITY_BY_ID, {"id": text}).records()]
    if exact:
        return _only_allowed(text, exact, allowed)
    key = fold(text)
    known = set(default_gazetteer().lookup(text))
    params = {"ids": sorted(known), "key": squeeze(text)}
    named = _naming(store.run(KEYED, params).records(), key, known)
    if not named:
        # A store without keys, or a name the keys miss: compare names in the store.
        named = _naming(store.run(CANDIDATES, params | {"separators": list(SEPARATORS)}).records(), key, known)
    if not named:
        # Names that differ only by rarer punctuation: the exact comparison over everything.
        everything = [_ref(r) for r in store.run(st.ALIAS_INDEX).records()]
        named = _naming(everything, key, known)
        if not named:
            raise QueryError(f"no entity named {text!r}{_hint(key, everything, allowed)}")
    return _only_allowed(text, named, allowed)


def squeeze(text: str) -> str:
    """What KEYED and CANDIDATES compare: lower case without SEPARATORS (as entities' `keys`)."""
    return st.name_key(text)


def _naming(found: Iterable[dict | EntityRef], key: str, known: set[str]) -> list[EntityRef]:
    refs = [f if isinstance(f, EntityRef) else _ref(f) for f in found]
    return [e for e in refs if e.id in known or key and key in {fold(n) for n in (e.name, *e.aliases)}]


def resolve_id(store: Store, label: str, value: Any, types: Iterable[str] = (),
               note: Callable[[str], None] | None = None) -> str:
    """The id of the entity `value` names; `note` hears which one, as "label='value' is Name (id)"."""
    text = value if isinstance(value, str) else json.dumps(value)  # e.g. --param actor=2021 arrives as a number
    entity = resolve_entity(store, text, types)
    if note and text != entity.id:
        note(f"{label}={text!r} is {entity}")
    return entity.id


def _only_allowed(text: str, found: list[EntityRef], allowed: tuple[str, ...]) -> EntityRef:
    fitting = [e for e in found if not allowed or e.type in allowed]
    if not fitting:
        kinds = " or ".join(allowed)
        names = ", ".join(f"{e} is a {e.type}" for e in found)
        raise QueryError(f"{text!r} names no {kinds} ({names}); give the name of a {kinds}")
    if len(fitting) > 1:
        listed = "; ".join(f"{e} [{e.type}]" for e in sorted(fitting, key=lambda e: e.id))
        raise QueryError(f"{text!r} is ambiguous, it names {len(fitting)} entities: {listed}; "
                         f"pass the id of the one you mean (e.g. {sorted(e.id for e in fitting)[0]})")
    return fitting[0]


def _hint(key: str, everything: list[EntityRef], allowed: tuple[str, ...]) -> str:
    pool = [e for e in everything if not allowed or e.type in allowed]
    by_form: dict[str, EntityRef] = {}
    for e in pool:
        for n in (e.name, *e.aliases):
            by_form.setdefault(fold(n), e)
    seen: dict[str, EntityRef] = {}
    for form in difflib.get_close_matches(key, list(by_form), n=5, cutoff=0.75):
        seen.setdefault(by_form[form].id, by_form[form])
    # A name given in part ("Lee", "Smart Belt"): entities with a word that starts so.
    for e in pool:
        if key and any(w.startswith(key) for n in (e.name, *e.aliases) for w in _words(n)):
            seen.setdefault(e.id, e)
    if seen:
        return "; did you mean " + ", ".join(str(e) for e in list(seen.values())[:5]) + "?"
    return "; check the spelling, or list names with: policygraph query entities --param contains=PART"


def _words(name: str) -> list[str]:
    """Folded words of a name and every run of words from each one ("smart belt" in "Future Smart Belt")."""
    words = [fold(w) for w in name.split()]
    return ["".join(words[i:]) for i in range(len(words))]


def _ref(record: dict) -> EntityRef:
    return EntityRef(record["id"], record.get("type") or "", record.get("name") or record["id"],
                     tuple(record.get("aliases") or ()))
