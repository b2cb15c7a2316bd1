"""Documents in, DocumentGraphs out: the extraction pipeline of one document.

Each stage is a plain function over typed records, so a stage can be tested
or replaced on its own. `extract` is pure (no store, no global state beyond
the read-only gazetteer) and so runs in worker processes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import ahocorasick

from policygraph.loaders import coref
from policygraph.loaders import mentions as mn
from policygraph.loaders import phrases as ph
from policygraph.loaders.clean import clean_html, clean_text
from policygraph.loaders.read import RawDocument
from policygraph.loaders.spans import Occupied, Spans
from policygraph.loaders.text import sentences
from policygraph.schema.gazetteer import Gazetteer, default_gazetteer
from policygraph.schema.model import Document, DocumentGraph, Mention, Sentence


@dataclass
class Mentions:
    """What the mention stage found in one document."""

    named: list[Mention]  # one per span: the document's mentions of entities
    inner: list[Mention] = field(default_factory=list)  # names inside longer names ("Yongin" in a cluster)
    refs: list[Mention] = field(default_factory=list)  # coreferences: "Governor Lee", "the ministry"
    pronouns: list[Mention] = field(default_factory=list)

    @property
    def all(self) -> list[Mention]:
        return sorted(self.named + self.refs, key=lambda m: m.start)


def to_document(raw: RawDocument) -> Document:
    cleaned = clean_html(raw.text) if raw.is_html else clean_text(raw.text)
    return Document(doc_id=raw.doc_id, text=cleaned.text, path=str(raw.path), title=cleaned.title,
                    date=cleaned.date, source=cleaned.source, content_hash=raw.content_hash,
                    captions=cleaned.captions)


def find_mentions(text: str, gazetteer: Gazetteer) -> Mentions:
    gaz = mn.gazetteer_mentions(text, gazetteer)
    gaz += mn.shared_head_industries(text, gaz, gazetteer)
    people = mn.person_mentions(text)
    numbered = list(ph.numbered_sets(text))
    names = _not_coordinations(list(ph.quoted_names(text)) + list(ph.capitalised_names(text)), gaz, text)
    nested = [m for m in names if m.source == "nested"]
    names = [m for m in names if m.source != "nested"]
    first = mn.merge_mentions([gaz, people, numbered, names])
    described = list(ph.descriptive_plans(text, first))
    named = mn.merge_mentions([gaz, people, numbered, names, described])
    named = _add_nested(named, nested)
    named = disambiguate(named, gazetteer)
    spans = {(m.start, m.end) for m in named}
    containers = Spans((m.start, m.end, m) for m in named)
    inner = [m for m in disambiguate(gaz + people, gazetteer) if m.source != "blocker" and (m.start, m.end) not in spans
             and containers.containing(m.start, m.end)]
    # What a plan's name contains, the document names: "a plan for the display industry" names displays.
    named = sorted(named + [_as_inner(m) for m in inner if _inside_plan(m, containers)], key=lambda m: m.start)
    named = apply_aliases(text, named)
    merge_series(named)
    refs = coref.references(text, named)
    pronouns = coref.pronoun_refs(text, named + refs)
    return Mentions(named=named, inner=inner, refs=refs, pronouns=pronouns)


def _not_coordinations(names: list[Mention], gaz: list[Mention], text: str) -> list[Mention]:
    """'Ministry of Environment and Gangwon Province' is two names joined by 'and', not one."""
    known = {(g.start, g.type): g for g in gaz}
    out = []
    for m in names:
        g = known.get((m.start, m.type))
        if g is not None and g.end < m.end and re.match(r"\s+(?:and|&)\s", text[g.end:m.end]):
            continue
        out.append(m)
    return out


def _inside_plan(m: Mention, containers: Spans) -> bool:
    if m.type not in ("Industry", "Province", "City"):
        return False
    return any(o.type == "Plan" for o in containers.containing(m.start, m.end))


def _as_inner(m: Mention) -> Mention:
    return Mention(m.start, m.end, m.text, m.type, m.key, m.name, source="inner", roles=m.roles)


def _add_nested(named: list[Mention], nested: list[Mention]) -> list[Mention]:
    """Owners named inside a longer name ('Policy No. 1 of the X Committee') join when it survived."""
    containers = Spans((m.start, m.end, m) for m in named)
    out = list(named)
    for m in nested:
        if containers.containing(m.start, m.end):
            out.append(m)
    return sorted(out, key=lambda m: m.start)


def disambiguate(found: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """Resolve names shared by several places by the other places the document names."""
    named = {m.key for m in found if m.source == "gazetteer"}
    out = []
    for m in found:
        if m.source != "ambiguous":
            out.append(m)
            continue
        ids = m.key.split("|")
        fitting = [i for i in ids if gazetteer.get(i).parent in named]
        if len(fitting) == 1:
            entry = gazetteer.get(fitting[0])
            out.append(Mention(m.start, m.end, m.text, entry.type, entry.id, entry.name, source="gazetteer"))
    return out


def apply_aliases(text: str, named: list[Mention]) -> list[Mention]:
    """Aliases the text defines join their entity; later uses of an alias become mentions of it."""
    pairs = ph.defined_aliases(text, named)
    by_name: dict[tuple[str, str], list[Mention]] = {}
    for m in named:
        by_name.setdefault((m.type, _alias_form(m.type, m.name)), []).append(m)
    renames: dict[str, str] = {}
    for owner, alias in pairs:
        for m in by_name.get((owner.type, _alias_form(owner.type, alias)), ()):
            if m.key != owner.key:
                renames[m.key] = renames.get(owner.key, owner.key)
    for m in named:
        m.key = renames.get(m.key, m.key)
    # A name found once (quoted, capitalised) names the same thing wherever it recurs.
    recurring = [(m, m.text.strip(" ‘’“”'\"")) for m in named
                 if m.type in ("Plan", "Organization", "Event") and m.source in ("quoted", "name", "described")]
    return sorted(named + _occurrences(text, pairs + recurring, named), key=lambda m: m.start)


def _alias_form(type_: str, name: str) -> str:
    return ph.plan_key(name) if type_ == "Plan" else name.casefold()


def _occurrences(text: str, aliases: list[tuple[Mention, str]], named: list[Mention]) -> list[Mention]:
    """Every free occurrence of the aliases, found in one pass (Aho-Corasick)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer: keep offsets exact
        lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    automaton = ahocorasick.Automaton()
    for owner, alias in aliases:
        if len(alias) >= 2 and not automaton.exists(alias.lower()):
            automaton.add_word(alias.lower(), (alias, owner))
    if not len(automaton):
        return []
    automaton.make_automaton()
    taken = Occupied(len(text), ((m.start, m.end) for m in named))
    hits = []
    for end, (alias, owner) in automaton.iter(lowered):
        start = end - len(alias) + 1
        hits.append((start, end + 1, alias, owner))
    extra = []
    for start, stop, alias, owner in sorted(hits, key=lambda h: (h[0], -h[1])):
        if not _word_bounded(text, start, stop) or (alias.isupper() and text[start:stop] != alias):
            continue
        if taken.free(start, stop):
            taken.take(start, stop)
            extra.append(Mention(start, stop, text[start:stop], owner.type, owner.key, owner.name, source="alias"))
    return extra


def _word_bounded(text: str, start: int, stop: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[stop] if stop < len(text) else " "
    return not (before.isalnum() or before in "-_") and not (after.isalnum() or after in "-_")


def merge_series(named: list[Mention]) -> None:
    """'Basic Plan for X' in a document about the '5th Basic Plan for X' means that plan."""
    ordinal = re.compile(r"^\d+(?:st|nd|rd|th)\s+", re.IGNORECASE)
    numbered: dict[str, set[str]] = {}
    for m in named:
        if m.type == "Plan" and ordinal.match(m.name):
            numbered.setdefault(ph.plan_key(ordinal.sub("", m.name)), set()).add(m.key)
    for m in list(named):
        if m.type == "Plan" and not ordinal.match(m.name):
            keys = numbered.get(ph.plan_key(m.name), set())
            if len(keys) == 1 and m.key not in keys:
                _rekey(named, m.key, next(iter(keys)))


def _rekey(named: list[Mention], old: str, new: str) -> None:
    for m in named:
        if m.key == old:
            m.key = new


def extract(raw: RawDocument, gazetteer: Gazetteer | None = None) -> DocumentGraph:
    from policygraph.loaders.relations import find_relations

    gazetteer = gazetteer or default_gazetteer()
    doc = to_document(raw)
    sents: list[Sentence] = sentences(doc.text)
    found = find_mentions(doc.text, gazetteer)
    relations = find_relations(doc, sents, found, gazetteer)
    return DocumentGraph(document=doc, mentions=found.all, relations=relations)
