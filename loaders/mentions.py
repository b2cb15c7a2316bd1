"""Entity mentions: gazetteer matches and the patterns that find what no list holds."""
from __future__ import annotations

import re
from collections.abc import Iterable

from policygraph.loaders import names
from policygraph.loaders.spans import Occupied
from policygraph.schema.gazetteer import Gazetteer
from policygraph.schema.model import PREFIX_TYPES, Mention

# Titles before a name -> the role they state.
TITLES: dict[str, str] = {
    "president-elect": "President-elect", "presidential candidate": "Presidential Candidate",
    "candidate": "Presidential Candidate", "deputy prime minister": "Deputy Prime Minister",
    "dpm": "Deputy Prime Minister", "prime minister": "Prime Minister", "vice minister": "Vice Minister",
    "minister": "Minister", "vice president": "Vice President", "president": "President",
    "vice governor": "Vice Governor", "vice-governor": "Vice Governor", "vice mayor": "Vice Mayor",
    "vice-mayor": "Vice Mayor", "deputy mayor": "Vice Mayor", "governor": "Governor", "mayor": "Mayor",
    "county head": "County Head", "county chief": "County Head",
    "district head": "District Head", "district chief": "District Head", "rep.": "Lawmaker",
    "representative": "Lawmaker", "lawmaker": "Lawmaker", "sen.": "Lawmaker", "chairman": "Chairman",
    "chairwoman": "Chairman", "chairperson": "Chairman", "chair": "Chairman", "ceo": "CEO",
    "professor": "Professor", "prof.": "Professor", "director": "Director", "commissioner": "Commissioner",
    "ambassador": "Ambassador", "researcher": "Researcher", "senior researcher": "Researcher",
    "administrator": "Director", "head": "Director", "leader": "Party Leader",
}
_TITLE_RE = "|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True))
_NAME_TOKEN = r"[A-Z][a-z]{0,9}(?:-[a-z]{1,6})?"
# The lookahead on the titles' first letters (as case-blind as the titles) spares the engine
# trying every title at every word.
TITLE_START = rf"(?i:[{re.escape(''.join(sorted({t[0] for t in TITLES})))}])"
TITLED_NAME = re.compile(rf"\b(?={TITLE_START})(?P<title>(?i:{_TITLE_RE}))\s+(?P<name>{_NAME_TOKEN}(?:[ ]{_NAME_TOKEN}){{0,2}})")
# "Lee Jae-myung": a surname and a hyphenated given name is a Korean name with no title needed.
HYPHENATED_NAME = re.compile(r"\b(?P<family>[A-Z][a-z]{0,7})\s+(?P<given>[A-Z][a-z]{1,6}-[a-z]{1,6})\b")
# "Lee Jae Myung": a surname and two given-name syllables, each capitalised.
SPACED_NAME = re.compile(r"\b(?P<family>[A-Z][a-z]{0,7}) (?P<given>[A-Z][a-z]{1,5} [A-Z][a-z]{1,5})\b(?![ -][A-Z])")


def gazetteer_mentions(text: str, gazetteer: Gazetteer) -> list[Mention]:
    out = []
    for m in gazetteer.find(text):
        if not m.ids:
            out.append(Mention(m.start, m.end, m.text, "", "", "", source="blocker"))
            continue
        entry = gazetteer.get(m.ids[0])
        out.append(Mention(m.start, m.end, m.text, entry.type, entry.id if len(m.ids) == 1 else "|".join(m.ids),
                           entry.name, source="gazetteer" if len(m.ids) == 1 else "ambiguous"))
    return out


def person_mentions(text: str) -> list[Mention]:
    found: dict[tuple[int, int], Mention] = {}
    for m in TITLED_NAME.finditer(text):
        tokens = m.group("name").split()
        for n in (3, 2):
            if len(tokens) < n:
                continue
            parsed = names.split_name(tokens[:n])
            if parsed:
                start = m.start("name")
                end = start + len(" ".join(tokens[:n])) if n == len(tokens) else _token_end(text, start, n)
                role = TITLES[m.group("title").casefold()]
                found[(start, end)] = _person(text, start, end, parsed, (role,))
                break
        else:
            foreign = _foreign_person(text, m, tokens)
            if foreign is not None:
                found[(foreign.start, foreign.end)] = foreign
    titled = Occupied(len(text), found)
    for m in [*HYPHENATED_NAME.finditer(text), *SPACED_NAME.finditer(text)]:
        family = names.surname(m.group("family"))
        parts = names.syllables(m.group("given"))
        if family and m.group("family").casefold() not in names.WEAK_SURNAMES and parts and len(parts) == 2:
            key = (m.start(), m.end())
            if titled.free(m.start(), m.start() + 1):
                titled.take(*key)
                found[key] = _person(text, m.start(), m.end(), (family, m.group("given").replace(" ", "-")), ())
    return sorted(found.values(), key=lambda x: x.start)


_SHARED_HEAD = re.compile(r"\s+(?:industries|sectors|businesses)\b")
_PLURAL_HEAD = re.compile(r"\b(?:industries|sectors|businesses)$")
_CONJUNCT = re.compile(r"([A-Za-z][\w-]*(?: [a-z][\w-]*)?)(?:,\s+|,?\s+and\s+|,?\s+or\s+)$")


def shared_head_industries(text: str, found: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """'the defense and nuclear power industries': each conjunct is an industry of its own."""
    out = []
    for m in found:
        if m.type != "Industry" or not (_SHARED_HEAD.match(text, m.end) or _PLURAL_HEAD.search(m.text)):
            continue
        pos = m.start
        while True:
            conj = _CONJUNCT.search(text, max(0, pos - 60), pos)
            if not conj:
                break
            word = conj.group(1).split()[-1] if conj.group(1).split()[0].casefold() in ("the", "a") else conj.group(1)
            start = conj.end(1) - len(word)
            ids = gazetteer.lookup(word + " industry") or gazetteer.lookup(word + " sector")
            if len(ids) != 1:
                break
            entry = gazetteer.get(ids[0])
            out.append(Mention(start, conj.end(1), word, entry.type, entry.id, entry.name, source="gazetteer"))
            pos = start
    return out


# Titles that name foreign leaders and executives in Korean policy news ("U.S. President Donald Trump",
# "Nvidia CEO Jensen Huang"); a foreign name has no surname list, so it is taken only after one of them,
# as exactly two capitalised words that are no title, head noun, month or weekday.
FOREIGN_TITLES = frozenset({"president", "prime minister", "minister", "ceo", "chairman", "chairwoman",
                            "ambassador", "commissioner", "governor", "president-elect"})
_NOT_GIVEN_OR_FAMILY = frozenset(
    "general office election secretary emeritus committee council meeting administration government ministry "
    "cabinet house party parliament assembly minister president governor mayor chairman director "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december korea korean city province county district group "
    "association company corporation industry industries policy plan strategy project said says and the".split())
_FOREIGN_TOKEN = re.compile(r"[A-Z][a-z]+")


def _foreign_person(text: str, match: re.Match, tokens: list[str]) -> Mention | None:
    title = match.group("title").casefold()
    if title not in FOREIGN_TITLES or len(tokens) < 2:
        return None
    given, family = tokens[:2]
    if not (_FOREIGN_TOKEN.fullmatch(given) and _FOREIGN_TOKEN.fullmatch(family)) \
            or given.casefold() in _NOT_GIVEN_OR_FAMILY or family.casefold() in _NOT_GIVEN_OR_FAMILY \
            or names.surname(given) or (len(tokens) > 2 and _FOREIGN_TOKEN.fullmatch(tokens[2])):
        return None  # a Korean name that did not parse, or a longer run of capitalised words (a name of a body)
    start = match.start("name")
    end = _token_end(text, start, 2)
    name = f"{given} {family}"
    return Mention(start, end, text[start:end], "Person", "person|foreign|" + names.fold(name), name,
                   source="person", roles=(TITLES[title],))


def _token_end(text: str, start: int, n: int) -> int:
    m = re.compile(r"\S+(?:\s+\S+){%d}" % (n - 1)).match(text, start)
    return m.end() if m else start


def _person(text: str, start: int, end: int, parsed: tuple[str, str], roles: tuple[str, ...]) -> Mention:
    family, given = parsed
    return Mention(start, end, text[start:end], "Person", "person|" + names.person_key(family, given),
                   names.canonical_name(family, given), source="person", roles=roles)


def merge_mentions(groups: Iterable[list[Mention]]) -> list[Mention]:
    """Longest span wins where mentions overlap; earlier groups win ties."""
    ranked = []
    for priority, group in enumerate(groups):
        for m in group:
            ranked.append((-(m.end - m.start), priority, m.start, m))
    ranked.sort(key=lambda r: r[:3])
    taken: list[Mention] = []
    occupied = Occupied(max((m.end for *_, m in ranked), default=0))
    for *_, m in ranked:
        if not occupied.free(m.start, m.end):
            continue
        occupied.take(m.start, m.end)
        taken.append(m)
    return sorted((m for m in taken if m.source != "blocker"), key=lambda m: m.start)


def type_of(entity_id: str) -> str:
    return PREFIX_TYPES.get(entity_id.split(":", 1)[0], "")
