"""Coreference inside one document: later, shorter references to named entities.

"Candidate Lee", "Governor Lee", "DPM Hong" and a bare "Lee" point to the
person of that surname the document named in full; "the ministry", "the
provincial government", "the alliance", "the plan" point to the nearest
preceding entity of that kind; "he"/"she" to the nearest person. These
references carry the entity's key but are marked `coref`, so they never
become aliases (a bare surname is not a name).
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from policygraph.loaders import names
from policygraph.loaders.mentions import TITLE_START, TITLES
from policygraph.loaders.spans import Occupied
from policygraph.schema.model import Mention

_TITLE_WORDS = "|".join(sorted((re.escape(t) for t in TITLES if t not in ("head", "leader", "chair")),
                               key=len, reverse=True))
# A reference starts with a title's first letter or a capital: other words are passed over at once.
SURNAME_REF = re.compile(rf"\b(?={TITLE_START}|[A-Z])(?:(?P<title>(?i:{_TITLE_WORDS}))\s+)?(?P<sur>[A-Z][a-z]{{0,7}})(?P<poss>’s|'s)?\b"
                         rf"(?!\s+[A-Z][a-z])(?!-)")
# Definite descriptions -> (entity type, the head a name must end with, or "" for any).
DEFINITE: list[tuple[re.Pattern, str, str]] = [
    (re.compile(r"\b(?:the|this|our) (?:provincial government|province)\b", re.I), "Province", ""),
    (re.compile(r"\b(?:the|this|our) (?:city government|city)\b", re.I), "City", ""),
    (re.compile(r"\bthe (?:county|district)\b", re.I), "City", ""),
    (re.compile(r"\b(?:the|this) ministry\b", re.I), "Ministry", ""),
    (re.compile(r"\bthe alliance\b", re.I), "Organization", "alliance"),
    (re.compile(r"\bthe (?:committee|commission)\b", re.I), "Organization", "committee|commission"),
    (re.compile(r"\bthe (?:association|federation|institute|university|company|party)\b", re.I), "Organization", ""),
    (re.compile(r"\b(?:the|this) (?:event|meeting|presentation|conference|forum|ceremony)\b", re.I), "Event", ""),
    (re.compile(r"\b(?:the|this) (?:\d+(?:st|nd|rd|th) )?(?:plan|strategy|project|initiative|programme|program|"
                r"pledge|act|cluster|belt|blueprint|roadmap)\b", re.I), "Plan", ""),
    (re.compile(r"\b(?:the|this) (?:industry|sector)\b", re.I), "Industry", ""),
    (re.compile(r"\bthe candidate\b", re.I), "Person", "Presidential Candidate"),
]
PRONOUN = re.compile(r"\b(?:he|she|him|his|her)\b", re.I)


def references(text: str, found: list[Mention]) -> list[Mention]:
    """Reference mentions for the entities in `found` (which it does not change)."""
    taken = Occupied(len(text), ((m.start, m.end) for m in found))
    refs = list(_surname_refs(text, found, taken))
    for r in refs:
        taken.take(r.start, r.end)
    refs += list(_definite_refs(text, found + refs, taken))
    return sorted(refs, key=lambda m: m.start)


def pronoun_refs(text: str, found: list[Mention]) -> list[Mention]:
    """He/she/his/her -> the nearest person before it (used for relation agents only)."""
    people = sorted((m for m in found if m.type == "Person"), key=lambda m: m.start)
    out = []
    for m in PRONOUN.finditer(text):
        before = [p for p in people if p.end <= m.start()]
        if before:
            out.append(_ref(before[-1], m.start(), m.end(), text, "pronoun"))
    return out


def _surname_refs(text: str, found: list[Mention], taken: Occupied) -> Iterator[Mention]:
    people: dict[str, list[Mention]] = {}
    for m in found:
        if m.type == "Person" and m.source == "person":
            family = m.name.split()[0]
            people.setdefault(family, [])
            if m.key not in {p.key for p in people[family]}:
                people[family].append(m)
    for m in SURNAME_REF.finditer(text):
        family = names.surname(m.group("sur"))
        if not family or family not in people or len(people[family]) != 1:
            continue
        start = m.start("title") if m.group("title") else m.start("sur")
        end = m.end("sur")
        if _overlaps(start, end, taken):
            continue
        if not m.group("title") and m.group("sur").casefold() in names.WEAK_SURNAMES:
            continue
        if not m.group("title") and _sentence_initial_word(text, m.start("sur")) and not _reporting(text, end):
            continue
        person = people[family][0]
        ref = _ref(person, start, end, text, "coref")
        if m.group("title"):
            ref.roles = (TITLES[m.group("title").casefold()],)
        yield ref


# Every description opens with "the", "this" or "our": the lookahead spares the regex engine
# trying a dozen alternatives at every other word boundary.
assert all(re.match(r"\\b(?:\(\?:)?(?:the|this|our)", p.pattern) for p, _, _ in DEFINITE)
_DEFINITE_ANY = re.compile("(?=[tToO])(?:" + "|".join(f"(?P<d{i}>{p.pattern})" for i, (p, _, _) in enumerate(DEFINITE))
                           + ")", re.I)


def _definite_refs(text: str, found: list[Mention], taken: Occupied) -> Iterator[Mention]:
    by_type: dict[str, list[Mention]] = {}
    for m in sorted(found, key=lambda m: m.start):
        by_type.setdefault(m.type, []).append(m)
        if _metropolitan(m):
            by_type.setdefault("City", []).append(m)
    for kind in by_type.values():
        kind.sort(key=lambda m: m.start)
    starts = {t: [c.start for c in cs] for t, cs in by_type.items()}
    for m in _DEFINITE_ANY.finditer(text):
        _, type_, head = DEFINITE[int(m.lastgroup[1:])]
        if _overlaps(m.start(), m.end(), taken):
            continue
        candidates = by_type.get(type_, [])[:bisect.bisect_left(starts.get(type_, []), m.start())]
        if type_ == "Plan":  # a plan named as the frame of another is seldom what "the project" means
            candidates = [c for c in candidates if not _FRAME.search(text, max(0, c.start - 40), c.start)] or candidates
        target = _nearest(candidates, head, m.group(0))
        if target is not None:
            yield _ref(target, m.start(), m.end(), text, "coref")


# "..., which is part of the national K-Bio Vision", "under the Digital New Deal": the plan that
# frames the one the story is about.
_FRAME = re.compile(r"\b(?:part|component|pillar|element) of (?:the |its |a )?(?:[a-z]+ ){0,2}$|"
                    r"\b(?:under|in line with|in accordance with|pursuant to) (?:the |its )?(?:[a-z]+ ){0,2}$")


def _nearest(before: list[Mention], head: str, phrase: str) -> Mention | None:
    """The nearest earlier mention (of the right type already) that fits the description."""
    ordinal = re.search(r"\d+(?:st|nd|rd|th)", phrase)
    for m in reversed(before[-200:]):
        if head and m.type == "Person" and head not in m.roles:
            continue
        if head and m.type != "Person" and not re.search(rf"\b(?:{head})\b", m.name, re.I):
            continue
        if ordinal and ordinal.group(0).casefold() not in m.name.casefold():
            continue
        return m
    return None


def _metropolitan(m: Mention) -> bool:
    """Seoul, Busan, Ulsan...: first-level cities that 'the city' also refers to."""
    return m.type == "Province" and not re.search(r"\b(?:Province|do)\b", m.name) and m.source == "gazetteer"


def _ref(target: Mention, start: int, end: int, text: str, source: str) -> Mention:
    return Mention(start, end, text[start:end], target.type, target.key, target.name, source=source,
                   roles=())


def _overlaps(start: int, end: int, taken: Occupied) -> bool:
    return not taken.free(start, end)


def _sentence_initial_word(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3):pos]
    return pos == 0 or bool(re.search(r"(?:[.!?]\s+|\n\s*|[“\"‘]\s*)$", text[max(0, pos - 4):pos])) and not before.isalpha()


def _reporting(text: str, pos: int) -> bool:
    """'Lee said', 'Lee of the Democratic Party': a surname used as a subject."""
    return bool(_REPORTING.match(text, pos))


_REPORTING = re.compile(r"(?:’s|'s)?\s+(?:said|says|added|noted|stressed|emphasized|explained|announced|pledged|"
                        r"vowed|promised|told|of\b|also\b|has\b|had\b|will\b|would\b|is\b|was\b)")
