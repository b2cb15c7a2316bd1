"""Identity: one node per real thing, within a document and across the corpus.

Mentions carry a resolution key (a gazetteer id, a folded person name, a
normalised name). The resolver turns keys into stable entity ids and
canonical names, and remembers aliases so that a later document that only
says "KFI" finds the "Korea Foo Institute (KFI)" an earlier one defined.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from policygraph.loaders.spans import Occupied
from policygraph.schema.gazetteer import Gazetteer, default_gazetteer, fold
from policygraph.schema.ids import entity_id
from policygraph.schema.model import ENTITY_TYPES, DocumentGraph, Entity, Mention


class Resolver:
    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gazetteer = gazetteer or default_gazetteer()
        # (type, folded alias) -> entity id, for entities outside the gazetteer.
        self.aliases: dict[tuple[str, str], str] = {}
        self.names: dict[str, str] = {}
        # Resolution key -> entity id, so "super clusters" today and "five super clusters"
        # tomorrow are one node whatever their surface.
        self.keys: dict[str, str] = {}
        self._acronyms: dict[str, set[str]] = {}

    def remember(self, entity_id_: str, type_: str, names: Iterable[str]) -> None:
        for name in names:
            if name:
                self.aliases.setdefault((type_, fold(name)), entity_id_)
                if _ACRONYM.fullmatch(name):
                    self._acronyms.setdefault(entity_id_, set()).add(name)

    def seed(self, rows: Iterable[dict]) -> None:
        """Learn the entities already in the store (id, type, name, aliases)."""
        for row in rows:
            type_ = row.get("type") or ""
            if type_ in ENTITY_TYPES and not self.gazetteer.get(row["id"]):
                self.names.setdefault(row["id"], row.get("name") or "")
                if row.get("key"):
                    self.keys.setdefault(row["key"], row["id"])
                self.remember(row["id"], type_, [row.get("name") or "", *(row.get("aliases") or [])])

    def resolve(self, graph: DocumentGraph) -> DocumentGraph:
        """Give every mention and relation end a corpus-wide id; build the entity list."""
        graph.mentions = graph.mentions + self._learned(graph)
        groups: dict[str, list[Mention]] = defaultdict(list)
        cut = _cut_plan_names(graph.mentions)
        for m in graph.mentions:
            groups[cut.get(m.key, m.key)].append(m)
        key_to_id: dict[str, str] = {}
        entities: dict[str, Entity] = {}
        for key, mentions in groups.items():
            ent = self._entity(key, mentions)
            key_to_id[key] = ent.id
            if ent.id in entities:
                _merge(entities[ent.id], ent)
            else:
                entities[ent.id] = ent
            for m in mentions:
                m.entity_id = ent.id
        for short, full in cut.items():
            key_to_id[short] = key_to_id[full]
        for ent in entities.values():
            self.remember(ent.id, ent.type, [ent.name, *ent.aliases])
        relations = []
        seen: dict[tuple[str, str, str], object] = {}
        for rel in graph.relations:
            rel.head = key_to_id.get(rel.head, rel.head)
            rel.tail = key_to_id.get(rel.tail, rel.tail)
            if rel.head == rel.tail or rel.head not in entities or rel.tail not in entities:
                continue
            if rel.key in seen:
                seen[rel.key].evidence.extend(e for e in rel.evidence if e not in seen[rel.key].evidence)
                continue
            seen[rel.key] = rel
            relations.append(rel)
        graph.entities = sorted(entities.values(), key=lambda e: e.id)
        graph.relations = relations
        return graph

    def _learned(self, graph: DocumentGraph) -> list[Mention]:
        """Acronyms other documents defined ("KGMI"), used here without their definition."""
        if not self._acronyms:
            return []
        taken = Occupied(len(graph.document.text), ((m.start, m.end) for m in graph.mentions))
        out = []
        for m in _ACRONYM.finditer(graph.document.text):
            if not taken.free(m.start(), m.end()):
                continue
            for type_ in ("Organization", "Plan", "Event", "Ministry"):
                hit = self.aliases.get((type_, fold(m.group(0))))
                if hit and m.group(0) in self._acronyms.get(hit, ()):
                    out.append(Mention(m.start(), m.end(), m.group(0), type_, f"id|{hit}", m.group(0), source="learned"))
                    break
        return out

    def _entity(self, key: str, mentions: list[Mention]) -> Entity:
        if key.startswith("id|"):
            known = key[3:]
            return Entity(known, mentions[0].type, self.names.get(known, mentions[0].name), [], [], {})
        first = mentions[0]
        type_ = first.type
        # References ("Candidate Lee", "the ministry") are not names of the entity, nor is a
        # minister's title ("Minister of SMEs and Startups") a name of the ministry.
        surfaces = _unique(m.text.strip() for m in mentions if m.source not in ("coref", "pronoun")
                           and not (type_ == "Ministry" and _MINISTER.search(m.text)))
        roles = _unique(r for m in mentions for r in m.roles)
        entry = self.gazetteer.get(key)
        if entry:
            props = {"gazetteer": True}
            if entry.parent:
                props["parent"] = entry.parent
            if entry.broader:
                props["broader"] = list(entry.broader)
            if entry.kind:
                props["kind"] = entry.kind
            return Entity(entry.id, entry.type, entry.name, _unique([*surfaces]), roles, props)
        name = _best_name(mentions)
        props = {"key": key}
        known = self.keys.get(key) or self._known(type_, [name, *surfaces])
        if known:
            ent = Entity(known, type_, self.names.get(known, name), _unique([name, *surfaces]), roles, props)
        else:
            ent = Entity(entity_id(type_, first.name if type_ == "Person" else name), type_, name,
                         _unique([name, *surfaces]), roles, props)
        self.keys.setdefault(key, ent.id)
        self.names.setdefault(ent.id, ent.name)
        return ent

    def _known(self, type_: str, names: list[str]) -> str | None:
        for name in names:
            hit = self.aliases.get((type_, fold(name)))
            if hit:
                return hit
        return None


_MINISTER = re.compile(r"\bminister\b", re.I)
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&]{1,9}\b")


def _best_name(mentions: list[Mention]) -> str:
    if mentions[0].type == "Person":
        # The name as the document writes it, when it is a full hyphenated form.
        written = [m.text for m in mentions if m.source == "person" and re.fullmatch(r"\S+ \S+-\S+", m.text)]
        return written[0] if written else mentions[0].name
    # The proposed canonical names, longest first: a full form beats an acronym.
    names = sorted({m.name for m in mentions if m.name and m.source not in ("coref", "pronoun", "alias")},
                   key=lambda n: (-len(n), n))
    return names[0] if names else mentions[0].text


def _cut_plan_names(mentions: list[Mention]) -> dict[str, str]:
    """Plan names a document also writes whole: "Basic Plan for Materials, Parts and Equipment" in a
    headline is the body's "... Equipment Industry Competitiveness". Key of the cut name -> key of
    the whole one, when one name alone continues it."""
    names = {m.key: m.name for m in mentions if m.type == "Plan" and m.source in ("name", "quoted", "described")}
    cut = {}
    for key, name in names.items():
        if len(name.split()) < 4 or not _COMPLEMENTED.search(name):
            continue
        longer = {k for k, n in names.items() if k != key and n.casefold().startswith(name.casefold() + " ")}
        if len(longer) == 1:
            cut[key] = longer.pop()
    return cut


_COMPLEMENTED = re.compile(r"\b(?:[Pp]lan|[Ss]trategy|[Rr]oadmap|[Pp]rogram(?:me)?|[Pp]roject) (?:for|on|to)\b")


def _merge(into: Entity, other: Entity) -> None:
    into.aliases = _unique([*into.aliases, other.name, *other.aliases])
    into.roles = _unique([*into.roles, *other.roles])


def _unique(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out
