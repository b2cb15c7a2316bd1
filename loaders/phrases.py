"""Named things no gazetteer lists: plans, organisations, events, found by their head nouns.

English names of Korean policy instruments and bodies end in a head noun
that says what they are ("... Basic Plan for ...", "... Association",
"... Ministerial Meeting on ..."). A name is a run of capitalised words
ending in such a head, optionally followed by a complement ("for ...",
"on ..."), or a quoted phrase ending in one. Places named before the head
("the Gyeonggi semiconductor belt") make descriptive plans. Venues ("...
Center", "... Hall") are found too, only to keep their words from becoming
other entities.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from policygraph.loaders.mentions import TITLED_NAME
from policygraph.schema.gazetteer import fold
from policygraph.schema.model import Mention

PLAN_HEADS = {
    "plan", "plans", "strategy", "strategies", "project", "projects", "program", "programme", "programs",
    "programmes", "initiative", "initiatives", "act", "law", "deal", "cluster", "clusters", "belt", "valley",
    "package", "roadmap", "vision", "pledge", "pledges", "blueprint", "scheme", "agenda", "framework", "zone",
    "corridor", "expressway", "highway", "complex", "fund", "bill", "policy", "model", "campaign", "promise",
    "direction", "directions",  # "Economic Policy Directions", the government's yearly plan
}
ORG_HEADS = {
    "association", "committee", "commission", "alliance", "corporation", "corp.", "institute", "university",
    "council", "federation", "foundation", "agency", "party", "group", "bank", "bureau", "service",
    "administration", "authority", "board", "society", "union", "chamber", "academy", "consortium", "company",
    "co.", "inc.", "ltd.", "electronics", "motor", "motors", "industries", "technopark", "coalition",
    "cooperative", "network", "organization", "organisation", "secretariat", "assembly", "court", "office",
}
EVENT_HEADS = {
    "meeting", "conference", "presentation", "forum", "summit", "expo", "ceremony", "symposium", "seminar",
    "fair", "festival", "briefing", "workshop", "session", "hearing", "exhibition", "dialogue", "roundtable",
    "convention", "talks", "awards",
}
VENUE_HEADS = {"center", "centre", "hall", "building", "hotel", "tower", "plaza", "station", "airport",
               "stadium", "auditorium", "campus", "palace", "arena", "headquarters"}
# Heads that take a named complement: "Plan for Industrial Cluster Activation", "Meeting on the Economy".
COMPLEMENTED = {"plan", "plans", "strategy", "strategies", "meeting", "conference", "committee", "commission",
                "institute", "council", "act", "law", "forum", "ministry", "agency", "association", "foundation",
                "federation", "office", "program", "programme", "project", "university", "center", "centre",
                "summit", "symposium", "seminar", "policy", "fund", "presentation"}
# Capitalised words that start sentences or headlines rather than names.
NOT_NAME_START = {"the", "a", "an", "under", "among", "at", "in", "on", "for", "of", "to", "with", "by", "from",
                  "as", "this", "that", "these", "those", "its", "his", "her", "their", "our", "and", "but", "or",
                  "meanwhile", "also", "last", "next", "each", "every", "all", "some", "both", "after", "before",
                  "during", "since", "while", "when", "if", "regarding", "according", "following", "developing",
                  "keep", "help", "work", "promote", "support", "build", "design", "draw", "provide", "plans",
                  "strategies", "we", "i", "he", "she", "it", "they", "there", "here", "key", "new", "main",
                  "government", "please", "topics", "outcomes", "looking", "along", "however", "thus"}
TYPE_OF_HEAD = {**{h: "Plan" for h in PLAN_HEADS}, **{h: "Organization" for h in ORG_HEADS},
                **{h: "Event" for h in EVENT_HEADS}, **{h: "" for h in VENUE_HEADS}, "ministry": "Ministry"}

# A word keeps inner periods ("U.S.", "3.0") and those of abbreviations ("Corp."), not a full stop.
_WORD = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9&/-]|[’'](?=[A-Za-z])|\.(?=[A-Za-z0-9]))*"
                   r"(?:(?<=Corp)\.|(?<=Inc)\.|(?<=Ltd)\.|(?<=Co)\.|(?<=No)\.)?")
_CAP = re.compile(r"^(?:[A-Z][A-Za-z0-9’'&.-]*|\d+(?:st|nd|rd|th)?|\d+(?:\.\d+)+|[A-Z]{2,}\d*)$")
NAME_CACHE = 1 << 16  # names kept by each cache: a few MB at most
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$", re.IGNORECASE)
_QUOTED = re.compile(r"(?<![A-Za-z])(?:‘([^‘’\n]{2,90})’(?![A-Za-z])|“([^“”\n]{2,90})”|"
                     r"(?<![A-Za-z])'([^'\n]{2,90})'(?![A-Za-z])|\"([^\"\n]{2,90})\")")
_NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve", "fifteen", "twenty"}
_CALLED = re.compile(r"\b(?:model|program|programme|project|initiative|campaign|policy|plan|scheme|strategy|"
                     r"slogan|vision|package)\s+(?:called|named|dubbed|titled|known as)\s*$", re.IGNORECASE)
_BIG_N = re.compile(r"\b(?:Big|Top)\s+\d+\s+(?:[Ii]ndustr(?:y|ies)|[Ss]ectors?|[Tt]echnologies)\b")
_NOMICS = re.compile(r"\b(?!Economics\b)[A-Z][a-z]+nomics\b")
_POLICY_NO = re.compile(r"\b(?:Policy|Pledge|Promise|Bill)\s+No\.\s?\d+")


# Names repeat across a corpus (the same plans, committees and meetings in article after
# article): the pure string functions below are cached, which halves capitalised_names.
@functools.lru_cache(maxsize=NAME_CACHE)
def plan_key(name: str) -> str:
    """Resolution key of a named plan: spelling, number and translation variants meet.

    "Big 10 Industry Project" = "Big 10 Industries"; "five super clusters" = "super clusters";
    "Korean New Deal projects" = "Korean New Deal"; "Industrial Complex" = "Industrial Cluster".
    """
    words = [w for w in re.split(r"[\s\-/]+", clean_name(name).casefold()) if w]
    if len(words) > 1 and (words[0] in _NUMBER_WORDS or words[0].isdigit()):
        words = words[1:]
    while len(words) > 1 and words[-1] in ("project", "projects", "initiative", "initiatives", "program",
                                           "programs", "programme", "programmes", "(draft)", "draft"):
        words = words[:-1]
    words = ["cluster" if w in ("complex", "complexes") else w for w in words]
    words = [_singular(w) for w in words]
    return fold(" ".join(words))


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


@functools.lru_cache(maxsize=NAME_CACHE)
def clean_name(text: str) -> str:
    text = re.sub(r"\s*\((?:draft|tentative|provisional)\)\s*$", "", text.strip(), flags=re.IGNORECASE)
    text = re.sub(r"^(?:the|a|an)\s+", "", text.strip(" ‘’“”'\",.:;"), flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", text).strip()


@functools.lru_cache(maxsize=NAME_CACHE)
def key_for(type_: str, name: str) -> str:
    if type_ == "Plan":
        return f"Plan|{plan_key(name)}"
    return f"{type_}|{fold(clean_name(name))}"


def phrase(text: str, start: int, end: int, type_: str, source: str) -> Mention:
    surface = text[start:end]
    name = clean_name(surface)
    return Mention(start, end, surface, type_ or "", key_for(type_, name) if type_ else "", name,
                   source=source if type_ else "blocker")


# -- capitalised names ending in a head noun -------------------------------------------
def capitalised_names(text: str) -> Iterator[Mention]:
    words = list(_WORD.finditer(text))
    for i, w in enumerate(words):
        head = w.group(0).casefold()
        if head not in TYPE_OF_HEAD or not w.group(0)[:1].isupper() or _POLICY_NO.match(text, w.start()):
            continue
        if i + 1 < len(words) and _CAP.match(words[i + 1].group(0)) and _adjacent(text, w, words[i + 1]) \
                and words[i + 1].group(0).casefold() in TYPE_OF_HEAD:
            continue  # a later head in the same run is the real head: "... Strategy Presentation"
        first = _extend_left(text, words, i)
        last_end = _complement(text, words, i) if head in COMPLEMENTED else w.end()
        if TYPE_OF_HEAD[head] == "Plan":
            edition = _EDITION.match(text, last_end)  # "Seoul Vision 2030", "Korean New Deal 2.0"
            last_end = edition.end() if edition else last_end
        if first == i and last_end == w.end():
            continue  # a lone head word is no name
        start = words[first].start()
        yield phrase(text, start, last_end, TYPE_OF_HEAD[head], "name")
    for m in _POLICY_NO.finditer(text):
        end = _complement_end(text, m.end())
        yield phrase(text, m.start(), end, "Plan", "name")
        for inner in _owner(text, m.end(), end):
            yield inner


# A year or a version after a plan's head belongs to its name.
_EDITION = re.compile(r" (?:(?:19|20)\d\d(?:[-–~](?:19|20)?\d\d)?|\d{1,2}\.\d)(?![\w,.]?\d)(?![\w-])")


def _adjacent(text: str, a: re.Match, b: re.Match) -> bool:
    return text[a.end():b.start()] in (" ", "-")


NAME_ENDS = set(TYPE_OF_HEAD) | {"city", "province", "county", "district", "gu", "gun", "si", "do"}


def _extend_left(text: str, words: list[re.Match], i: int) -> int:
    first = i
    j = i - 1
    while j >= 0:
        w = words[j].group(0)
        gap = text[words[j].end():words[first].start()]
        # "Emergency Economic Ministers’ Meeting": a plural possessive stays in the name.
        if gap not in (" ", "-") and not (gap in ("’ ", "' ") and w.endswith("s")):
            break
        if _CAP.match(w) and w.casefold() not in NOT_NAME_START and not w.endswith(("’s", "'s")):
            first = j
            j -= 1
            continue
        # "Science and Technology Committee", but not the end of a list: "Ulsan, Changwon and Samsung Electronics".
        # Nor two names: "Ulsan City and Hyundai Motor" (a head noun or a place word ends the first).
        if w in ("and", "&") and j - 1 >= 0 and _CAP.match(words[j - 1].group(0)) \
                and text[words[j - 1].end():words[j].start()] == " " \
                and words[j - 1].group(0).casefold() not in NOT_NAME_START \
                and words[j - 1].group(0).casefold() not in NAME_ENDS \
                and not text[max(0, words[j - 1].start() - 2):words[j - 1].start()].endswith(", "):
            first = j - 1
            j -= 2
            continue
        break
    # "Big 10 ...", "5th ...": numbers may start a name, but not a sentence-initial article.
    return _after_titled_person(text, words, first, i)


def _titled_people(text: str, start: int, end: int) -> list[re.Match]:
    """Titled names ("Chairman Park Min-jun") between start and end, their titles capitalised."""
    return [t for t in TITLED_NAME.finditer(text, start, end) if t.group("title")[:1].isupper()]


def _after_titled_person(text: str, words: list[re.Match], first: int, i: int) -> int:
    """The first word of a name after the last titled person before its head: "Chairman Park
    Min-jun and Ministry of ..." names a person and a ministry."""
    people = _titled_people(text, words[first].start(), words[i].start())
    if not people:
        return first
    while first < i and (words[first].start() < people[-1].end() or words[first].group(0) in ("and", "&")):
        first += 1
    return first


def _complement(text: str, words: list[re.Match], i: int) -> int:
    return _complement_end(text, words[i].end())


# "Forum on May 2", "Meeting on Tuesday": a date, not part of the name.
_DATE_WORD = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|"
                        r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Monday|Tuesday|Wednesday|"
                        r"Thursday|Friday|Saturday|Sunday)\b")
_COMPLEMENT = re.compile(r" (?:on|for|of|to) (?:the )?((?:[A-Z][A-Za-z0-9’'&-]*|and|&)"
                         r"(?:,? (?:[A-Z][A-Za-z0-9’'&-]*|and|&|of|for))*)")
# "for Materials, Parts and Equipment Industry": a comma inside a name only in a list that "and" closes.
_SERIAL_LIST = re.compile(r",[^,]*\s(?:and|&)\s")


def _complement_end(text: str, pos: int) -> int:
    m = _COMPLEMENT.match(text, pos)
    if not m:
        return pos
    inner = m.group(1)
    # "Ministry of Education Minister Kim ...": the complement ends where a titled person's name begins.
    people = _titled_people(inner, 0, len(inner))
    if people:
        inner = inner[:people[0].start()]
    if "," in inner and not _SERIAL_LIST.search(inner[inner.rfind(","):]):
        inner = inner[:inner.find(",")]
    # Trailing connectives belong to the sentence, not the name.
    trimmed = re.sub(r"(?:\s+(?:and|&|of|for))*\s*$", "", inner)
    if not trimmed or not trimmed[0].isupper() or _DATE_WORD.match(trimmed):
        return pos
    return m.start(1) + len(trimmed)


def _owner(text: str, start: int, end: int) -> Iterator[Mention]:
    """'Policy No. 1 of the X Committee': the owner is a name of its own."""
    m = re.match(r"\s+of\s+(?:the\s+)?", text[start:end])
    if m:
        s = start + m.end()
        last = text[s:end].split()[-1].casefold() if text[s:end].split() else ""
        if last in ORG_HEADS or last == "ministry":
            inner = phrase(text, s, end, TYPE_OF_HEAD.get(last, "Organization"), "nested")
            yield inner


# -- quoted names ------------------------------------------------------------------------
def quoted_names(text: str) -> Iterator[Mention]:
    for m in _QUOTED.finditer(text):
        group = next(g for g in range(1, 5) if m.group(g) is not None)
        inner = m.group(group).strip().rstrip(",")
        s = m.start(group) + (len(m.group(group)) - len(m.group(group).lstrip()))
        e = s + len(inner)
        words = inner.split()
        if not words or len(words) > 12 or re.search(r"[.!?;]\s|[.!?]$", inner):
            continue
        head = _quoted_head(words)
        after = _HEAD_AFTER_QUOTE.match(text, m.end())
        if _CALLED.search(text[max(0, m.start() - 40):m.start()]) or _NOMICS.fullmatch(inner) \
                or _BIG_N.fullmatch(inner):
            yield phrase(text, s, e, "Plan", "quoted")
        elif after and after.group(1) in TYPE_OF_HEAD and words[0][:1].isupper() and len(words) <= 8:
            yield phrase(text, s, e, TYPE_OF_HEAD[after.group(1)], "quoted")  # the "Seoul Bio Hub" project
        elif words[0][:1].islower() and len(words) > 6:
            continue  # a quoted clause, not a name
        elif head in TYPE_OF_HEAD and len(words) > 1 and (TYPE_OF_HEAD[head] != "Organization" or words[-1][:1].isupper()):
            yield phrase(text, s, e, TYPE_OF_HEAD[head], "quoted")


# The head after a quoted name, past a spelt-out acronym: the "MASGA" (Make ... Again) project.
_HEAD_AFTER_QUOTE = re.compile(r"\s+(?:\([^()\n]{2,80}\)\s+)?([a-z]+)\b")


def _quoted_head(words: list[str]) -> str:
    """The head of a quoted name: its last word, or a capitalised head with a complement
    ("Plan for Drone Industry Growth (Draft)")."""
    words = [w for w in words if not re.fullmatch(r"\((?:draft|tentative|provisional)\)", w, re.IGNORECASE)]
    last = re.sub(r"[^a-z.]", "", words[-1].casefold()) if words else ""
    if last in TYPE_OF_HEAD:
        return last
    for i in range(len(words) - 2, 0, -1):
        word = re.sub(r"[^A-Za-z.]", "", words[i])
        if word[:1].isupper() and word.casefold() in COMPLEMENTED and words[i + 1] in ("for", "on", "of", "to"):
            return word.casefold()
    return last


def numbered_sets(text: str) -> Iterator[Mention]:
    """'the Big 10 industries', 'Ijaenomics': named programmes without a plan head."""
    for pattern in (_BIG_N, _NOMICS):
        for m in pattern.finditer(text):
            yield phrase(text, m.start(), m.end(), "Plan", "name")


# -- descriptive plans ---------------------------------------------------------------------
_DET = r"(?:\b(?:a|an|the|its|their|his|her|our|this|[A-Z][\w-]*(?:’s|'s)))"
_MODS = r"(?:(?:master|basic|comprehensive|mid-to-long-term|mid-\s?to\s?long-term|long-term|short-term|" \
        r"five-year|ten-year|national|new|joint|detailed|special|overall|integrated|regional|action)\s+)"
DESC_HEAD = re.compile(r"\b(?:plans?|strateg(?:y|ies)|roadmaps?|blueprints?|measures|packages?|polic(?:y|ies))"
                       r"\s+(?:for|to)\s+", re.IGNORECASE)
DESC_LEAD = re.compile(rf"(?P<det>{_DET}\s+)?(?P<mods>{_MODS}*)$", re.IGNORECASE)
# Between "plan for/to" and the industry only words about developing it may stand.
_PLAN_BODY = re.compile(r"(?:(?:the|a|an|of|develop|development|foster|fostering|nurture|promote|support|boost|"
                        r"advance|advancement|grow|growth|revitalize|revitalization|strengthen|innovate|"
                        r"innovation|competitiveness|global|domestic|local)\s+|[‘'“\"])*", re.IGNORECASE)
PLACE_HEADS = ("belt", "cluster", "valley", "hub", "complex", "corridor", "zone", "town", "park", "strategy")
_PLACE_HEAD_AFTER = re.compile(r"\s+(?:industry\s+)?(" + "|".join(PLACE_HEADS) + r")\b")


def descriptive_plans(text: str, found: list[Mention]) -> Iterator[Mention]:
    """'its mid-to-long-term strategies for semiconductor industry development in Gyeonggi Province',
    'a southern Gyeonggi smart semiconductor belt': plans named by what and where they are."""
    industries = [m for m in found if m.type == "Industry"]
    places = [m for m in found if m.type in ("Province", "City")]
    for m in _desc_plans(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start:line_end if line_end >= 0 else len(text)].strip()
        # A heading stands alone: a short line that is no sentence ("3) Plans to develop ...").
        heading = (not text[line_start:m.start()].strip(" \t-–•▲○0123456789).") and len(line) < 100
                   and not line.endswith((".", "!", "?")))
        definite = m.group("det") and m.group("det").strip().casefold() not in ("a", "an")
        if not (definite or m.group("mods") or heading):
            continue  # "a plan to ..." is any plan; "its plan", "a master plan" name one
        window_end = _clause_end(text, m.end())
        inds = [i for i in industries if m.end() <= i.start < min(window_end, m.end() + 70)
                and _PLAN_BODY.fullmatch(text[m.end():i.start])]
        if not inds or _establishes_plan(text, m.end()):
            continue
        end = _industry_tail(text, inds[0].end)
        place = next((p for p in places if p.start >= end and text[end:p.start].strip() == "in"), None)
        if place:
            end = _place_tail(text, place.end)
        start = m.start("name")
        parts = (inds[0].key, place.key if place else "")
        yield _described(text, start, end, parts)
    for ind in industries:
        yield from _place_industry_plan(text, ind, places)


class _DescMatch:
    """A descriptive-plan match: head found first, determiner and modifiers read backwards."""

    def __init__(self, head: re.Match, lead: re.Match, offset: int):
        self._groups = {"det": lead.group("det"), "mods": lead.group("mods")}
        self._name = offset + (lead.start("mods") if lead.group("mods") else lead.end())
        self._start = offset + lead.start()
        self._end = head.end()

    def group(self, name: str) -> str | None:
        return self._groups[name]

    def start(self, name: str | None = None) -> int:
        return self._name if name == "name" else self._start

    def end(self) -> int:
        return self._end


def _desc_plans(text: str) -> Iterator[_DescMatch]:
    for head in DESC_HEAD.finditer(text):
        offset = max(0, head.start() - 80)
        lead = DESC_LEAD.search(text[offset:head.start()])
        yield _DescMatch(head, lead, offset)


def _described(text: str, start: int, end: int, parts: tuple[str, ...]) -> Mention:
    name = clean_name(text[start:end])
    heads = re.findall(r"\b(plan|strategy|roadmap|blueprint|measure|package|policy|belt|cluster|valley|hub|"
                       r"complex|corridor|zone|town|park)", name.casefold())
    head = heads[0] if heads else "plan"
    key = "Plan|desc|" + "+".join(sorted(p for p in parts if p)) + "|" + head
    return Mention(start, end, text[start:end], "Plan", key, name, source="described")


def _place_industry_plan(text: str, ind: Mention, places: list[Mention]) -> Iterator[Mention]:
    after = _PLACE_HEAD_AFTER.match(text, ind.end)
    if not after:
        return
    place = next((p for p in places if 0 <= ind.start - p.end <= 30
                  and re.fullmatch(r"(?:\s+[a-z][\w-]*){0,3}\s+", text[p.end:ind.start])), None)
    if place is None:
        return
    start = place.start
    direction = re.search(r"\b(northern|southern|eastern|western|central)\s+$", text[max(0, start - 12):start])
    if direction:
        start -= len(direction.group(0))
    det = re.search(_DET + r"\s+$", text[max(0, start - 30):start])
    if not det:
        return
    yield _described(text, start, after.end(), (ind.key, place.key))


_INDUSTRY_TAIL = re.compile(r"[’'”]?(?:-based)?(?:\s+(?:industry|industries|sector|sectors|development|business|"
                            r"businesses))*")
_PLACE_TAIL = re.compile(r"\s+(?:Province|City|County|District)\b")


def _industry_tail(text: str, pos: int) -> int:
    m = _INDUSTRY_TAIL.match(text, pos)
    return m.end() if m else pos


def _place_tail(text: str, pos: int) -> int:
    m = _PLACE_TAIL.match(text, pos)
    return m.end() if m else pos


def _clause_end(text: str, pos: int) -> int:
    m = re.compile(r"[.;:!?\n]|,\s+(?:and|but|while|which)\b").search(text, pos)
    return m.start() if m else len(text)


def _establishes_plan(text: str, pos: int) -> bool:
    return bool(_ESTABLISHES.match(text[pos:pos + 120]))


_ESTABLISHES = re.compile(r"\s*(?:establish|create|build|set up|form|launch)\s+(?:a|an|the)\s+[^.,;]*\b(?:"
                          + "|".join(PLACE_HEADS) + r")\b")


# -- aliases the text defines ------------------------------------------------------------------
_HEREINAFTER = re.compile(r"hereinafter(?:\s+(?:referred\s+to\s+as|called|the))?\s+(?:the\s+)?[‘'“\"]?"
                          r"([^)’'”\"]{2,80}?)[’'”\"]?\s*\)", re.IGNORECASE)
_ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z0-9&]{1,9})\)")
_APPOSITION = re.compile(r",\s+(?:which|who)\s+is\s+also\s+(?:the\s+|a\s+)?|,?\s+also\s+(?:known|called)\s+as\s+"
                         r"(?:the\s+)?|\s+\((?:also\s+(?:known\s+as|called)|formerly)\s+(?:the\s+)?")


def defined_aliases(text: str, found: list[Mention]) -> list[tuple[Mention, str]]:
    """(mention, alias) pairs: "X (MOTIE)", "X (hereinafter referred to as Y)", "X, which is also Y"."""
    pairs: list[tuple[Mention, str]] = []
    by_end = sorted(found, key=lambda m: m.end)
    for m in _HEREINAFTER.finditer(text):
        paren = text.rfind("(", 0, m.start())
        owner = _last_before(text, by_end, paren)
        if owner is not None:
            pairs.append((owner, clean_name(m.group(1))))
    for owner in found:
        acr = _ACRONYM.match(text, owner.end)
        if acr and acr.group(1).upper() == acr.group(1) or (acr and sum(c.isupper() for c in acr.group(1)) >= 2):
            pairs.append((owner, acr.group(1)))
        app = _APPOSITION.match(text, owner.end)
        if app:
            nxt = next((n for n in found if n.start == app.end()), None)
            if nxt is not None and nxt.type == owner.type:
                pairs.append((owner, nxt.text))
    return pairs


def _last_before(text: str, mentions: list[Mention], pos: int) -> Mention | None:
    """The mention right before an opening parenthesis (quotes and "(Draft)" may come between)."""
    for m in reversed(mentions):
        if m.end <= pos:
            gap = text[m.end:pos]
            return m if re.fullmatch(r"[\s'’”\"]*(?:\((?:draft|tentative)\))?[\s'’”\"]*", gap, re.IGNORECASE) else None
    return None
