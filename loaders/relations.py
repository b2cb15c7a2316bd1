"""Relations between mentions: SUPPORTS, TARGETS, BELONGS_TO, LEADS, with evidence.

Rules read sentence structure around mentions: titles between a place and a
person ("Suwon City Mayor Yeom Tae-yeong"), verbs of fostering between an
agent and what it fosters, lists after a plan ("super clusters of
semiconductor, display and bio-health industries"), membership verbs,
"X, Seoul". Each relation keeps its sentence, the rule that fired and a
confidence. Heads and tails are resolution keys; the resolver turns them
into entity ids.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from policygraph.loaders import discourse as dc
from policygraph.loaders.spans import Spans
from policygraph.schema.gazetteer import Gazetteer
from policygraph.schema.model import Document, Evidence, Mention, Relation, Sentence

HEAD_TITLES = (r"governor|mayor|county (?:head|chief)|district (?:head|chief)|minister|ceo|chief executive|"
               r"chairman|chairwoman|chairperson|president|head|chief|director|commissioner|administrator|"
               r"superintendent|leader")
MEMBER_TITLES = (r"vice[- ]president|vice minister|vice governor|vice[- ]mayor|deputy mayor|deputy minister|"
                 r"professor|(?:senior )?researcher|research fellow|member|lawmaker|rep\.|representative|"
                 r"spokesperson|spokesman|spokeswoman|official|director[- ]general|(?:presidential )?candidate|"
                 r"executive|economist|analyst|adviser|advisor|secretary[- ]general|floor leader|"
                 r"(?:senior )?vice[- ]chairman|managing director")
_PLACE_WORDS = r"(?:(?:special |metropolitan )?(?:city|province|county|district)(?: government| office)?\s+)?"
TITLE_GAP = re.compile(rf"^\s*{_PLACE_WORDS}(?:(?P<head>{HEAD_TITLES})|(?P<member>{MEMBER_TITLES}))\s*$", re.I)
PAREN_TITLE_GAP = re.compile(rf"^\s*\(\s*(?:(?P<head>{HEAD_TITLES})|(?P<member>{MEMBER_TITLES}))\s*$", re.I)
OF_GAP = re.compile(r"^\s*,?\s*(?:of|from)\s+(?:the\s+)?$", re.I)
AFFILIATE = re.compile(r"^\s*,\s+(?:an?|the|its)\s+(?:\w+\s+)?(?:affiliate|subsidiary|agency|arm|unit|body|branch|"
                       r"institute|organi[sz]ation|member|division)\s+(?:of|under)\s+(?:the\s+)?$", re.I)
APPOSITION_ROLE = re.compile(rf"^\s*,\s+(?:the\s+|a\s+|an\s+)?(?:(?P<head>{HEAD_TITLES})|(?P<member>{MEMBER_TITLES}))"
                             r"\s+(?:of|at)\s+(?:the\s+)?$", re.I)
# "The Korea Battery Industry Association, led by chairman Choi Jae-won, ..."
# Whoever chairs it leads it, whatever their title: "chaired by Vice Governor Park", "headed by Busan
# Mayor Park" (a place or a body of a few capitalised words may come before the title).
LED_BY = re.compile(rf"^\)?\s*,?\s*(?:(?:which|that)\s+)?(?:(?:is|was|are|were|will|be|been|has|have|now|currently|"
                    rf"also|jointly)\s+)*(?:led|headed|chaired|co-chaired|presided over)\s+by\s+"
                    rf"(?:its\s+|the\s+)?(?:(?:(?-i:[A-Z][\w.&’'-]*)\s+){{0,3}}(?:(?:new|acting|first)\s+)?"
                    rf"(?:{HEAD_TITLES}|{MEMBER_TITLES})\s+)?$", re.I)
PRESIDES = re.compile(r"^\s+(?:\w+\s+){0,3}(?:presided over|presides over|chaired|chairs|headed|heads|leads|led|hosted|"
                      r"hosts|convened|convenes)\s+(?:the\s+|a\s+)?(?:\w+\s+){0,2}$", re.I)

# A lookahead after the first \b holds the first letters of a pattern's words: other words
# are passed over at once. A word added to such a pattern needs its first letter there, and a
# form in tests/test_prefilters.py's PROBE.
SUPPORT_VERB = re.compile(
    r"\b(?=[a-fhilnprsuv])(?:foster\w*|nurtur\w*|support\w*|promot\w*|develop(?:s|ed|ing|ment)?|invest\w*|back(?:s|ed|ing)?|"
    r"push(?:es|ed|ing)?\s+for|build(?:s|ing)?|built|establish\w*|creat(?:e|es|ed|ing)|expand\w*|strengthen\w*|"
    r"boost\w*|pledg\w*|vow\w*|promis\w*|announc\w*|unveil\w*|launch\w*|adopt\w*|pursu\w*|"
    r"step(?:s|ped|ping)?\s+up|fund(?:s|ed|ing)?|prioriti[sz]\w*|focus(?:es|ed|ing)?\s+on|designat\w*|"
    r"select\w*|prepar\w*|draft(?:s|ed|ing)?|formulat\w*|devis\w*|implement\w*|introduc\w*|spur\w*|"
    r"accelerat\w*|revitaliz\w*|cultivat\w*|diversif\w*|shift(?:s|ed|ing)?|help(?:s|ed|ing)?|usher\w*|"
    r"secur(?:e|es|ed|ing))\b",
    re.I)
NEGATED = re.compile(r"\b(?=[acnors])(?:not|never|no longer|n't|oppos\w+|against|scrap\w*|abolish\w*|cancel\w*|"
                     r"refus\w+\s+to|reject\w*|not\s+in\s+favou?r\s+of)\s+(?:\w+\s+)?$", re.I)
PASSIVE = re.compile(r"\b(?=[abiw])(?:is|are|was|were|be|been|being)\s+(?:\w+\s+)?(?:selected|promoted|fostered|supported|"
                     r"established|nurtured|designated|developed|built|created|launched|pushed|funded|chosen|"
                     r"backed|expanded|strengthened)\b", re.I)
NOMINAL = re.compile(r"\b(?=[cefiknps])(?:establishment of|support for|investments? (?:in|related to)|promotion of|"
                     r"(?:concrete |key )?promise of|creation of|fostering of|nurturing of)\b", re.I)
FIRST_PERSON = re.compile(r"\b(?:I|we|We|our|Our|us)\b")
GENERIC_SUBJECT = re.compile(r"\b(?:the (?:central )?government|the state|the country|the nation|officials?|"
                             r"local governments|companies|the seven cities|the cities|they)\b", re.I)
VENUE_BEFORE = re.compile(r"\b(?:at|in|inside|near)\s+(?:the\s+)?(?:(?:office|headquarters|building|auditorium|"
                          r"hall|offices)\s+of\s+(?:the\s+)?)?$", re.I)
INSTRUMENT = re.compile(r"\b(?=[btuvw])(?:through|using|with|via|by means of)\b", re.I)
SHIFT = re.compile(r"\b(?=[cdmst])(?:diversif\w+|shift\w*|mov(?:e|es|ed|ing)|transition\w*|switch\w*|conver\w+)\b[^.;]*?\bfrom\b",
                   re.I)
# "invest in the project with Doosan and Hyundai Rotem": bodies after "with" work alongside, not backed.
PARTNER = re.compile(r"\b(?=[awjti])(?:(?:together|along|jointly|in cooperation|in partnership|in collaboration)\s+)?"
                     r"(?:with|alongside)\s+", re.I)
_TO = re.compile(r"\bto\b")
_TO_FOR_INTO = re.compile(r"\b(?:to|for|into)\b")
RELATIVE = re.compile(r",\s+(?:which|who|that)\s+(?:is|was|are|were)\b", re.I)
# After a quoted name its head noun may come first: 'the "Seoul AI Hub" plan to foster ...'.
PLAN_COMPLEMENT = re.compile(
    r"^(?:[’'”\"](?:\s+(?:plan|project|strategy|initiative|program|programme|policy|vision|roadmap|scheme|"
    r"package|blueprint|cluster|belt|pledge)s?\b)?)?\s*(?:for|of|on|in|covering|targeting|focusing on|aimed at|"
    r"to (?:\w+ ){0,2}?(?:develop|foster|nurture|promote|support|boost|advance|grow|secure))\b", re.I)
SELECTION = re.compile(r"\b(?:select\w*|chos\w+|choose|designat\w*|includ\w*|compris\w*|consist\w*|cover\w*|"
                       r"encompass\w*|focus\w*\s+on|target\w*|aim\w*)\b", re.I)
# An aside between a subject and its verb: "The National AI Strategy, first announced in 2019, targets ...".
_ASIDE = r"(?:,[^,;“”\"]{1,60},)?"
DEFINITION = re.compile(rf"^[’'”\"]?{_ASIDE}\s*(?:is|are|was)\s+(?:a|an|the)\b|^[’'”\"]?{_ASIDE}\s*(?:aims?|contains?|"
                        r"includes?|focus(?:es)?\s+on|targets?|covers?|seeks?)\b", re.I)
# A plan or a body that says where it is aimed: "The plan targets South Gyeongsang Province and Ulsan".
AIMED_AT = re.compile(rf"^[’'”\"]?{_ASIDE}\s*(?:(?:is|are|was|were)\s+)?(?:aim(?:s|ed)?\s+at|focus(?:es|ed)?\s+on|"
                      r"target(?:s|ed)?|cover(?:s|ed)?)\b", re.I)
# A relative clause that says what a plan or body is for: "the X Plan, which aims to make Osong a hub of A and B".
RELATIVE_AIM = re.compile(r"^[’'”\"]?\s*,\s+(?:which|that)\s+(?:(?:is|was|are|were)\s+)?(?:aim(?:s|ed)?\s+(?:at|to)|"
                          r"focus(?:es|ed)?\s+on|target(?:s|ed)?|cover(?:s|ed)?|seeks?\s+to|is\s+designed\s+to)\b", re.I)
# What a plan will do is what it is for; what a company will do, it backs ("Samsung, which will develop drones").
RELATIVE_ACT = re.compile(r"^[’'”\"]?\s*,\s+(?:which|that)\s+will\s+(?:foster|develop|nurture|promote|support|"
                          r"invest\s+in|specialize\s+in)\b", re.I)
# The clause a list of places belongs to ends at a semicolon, a relative clause or a speaker.
CLAUSE_END = re.compile(r";|,\s+(?:which|who|while|but|said|according)\b|\s(?:said|says)\b", re.I)
DESIGNATES = re.compile(r"\b(?:designat\w*|select\w*|chos\w+|nam(?:e|es|ed|ing))\b[^.;]*?\bas\b", re.I)
PURPOSE = re.compile(r"\bpurpose of\b.*?\b(?:was|is)\s+to\b", re.I)
DISCUSSION = re.compile(r"\b(?=[adlort])(?:discuss\w*|agenda|topics? of|looked into|reviewed|deliberat\w*|on the table)\b", re.I)
DEVELOPS = re.compile(r"\b(?=[bdefgnps])(?:develop\w*|foster\w*|nurtur\w*|promot\w*|support\w*|grow\w*|boost\w*|strateg\w*|"
                      r"establish\w*|build\w*)\b", re.I)
# "A, which is the core of B", "The plan is part of the city's B", "A forms one of the pillars of B".
COMPONENT_OF = re.compile(r"^\s*(?:,\s+which\s+|,\s+)?(?:is|was|are|were|will\s+be|forms?|formed|becomes?|became)\s+"
                          r"(?:currently\s+|now\s+|also\s+)?(?:(?:the|a|an|one\s+of\s+the)\s+)?(?:\w+\s+)?(?:core|part|"
                          r"components?|pillars?|centerpiece|centrepiece|heart|backbone|elements?|axis|hub)\s+of\s+(?:the\s+)?"
                          r"(?:(?:city|province|government|ministry|state|country|nation|administration|party)(?:’s|'s)\s+)?"
                          r"(?:national\s+|government(?:’s|'s)?\s+|new\s+|broader\s+|larger\s+|overall\s+)?$", re.I)
ACCORDING = re.compile(r"\b(?:in accordance with|pursuant to|as part of|under|in line with)\s+(?:the\s+)?$", re.I)
ARTICLE_OF = re.compile(r"\(?Article\s+\d+\w*(?:\(\d+\))?\s+of\s+(?:the\s+)?$", re.I)
MEMBERSHIP = re.compile(r"\b(?:(?:is|are|was|were)\s+(?:comprised|composed|made up)\s+of|consists?\s+of|comprises|"
                        r"brings\s+together|brought\s+together|members?\s+(?:include|are)|(?:is|was)\s+joined\s+by)\b",
                        re.I)
# What a group of members "includes" are its members; what a company or an institute includes is not.
COLLECTIVE_HEADS = ("alliance", "coalition", "consortium", "council", "network", "association", "federation",
                    "union", "committee", "commission")
INCLUDES = re.compile(r"\b(?:(?:which|that)\s+)?(?:includes|included|include)\b", re.I)
REGION_LIST = re.compile(r"^(?:[’']s)?\s+(?:[a-z][\w-]*\s+){0,3}(?:cities|counties|districts|municipalities|"
                         r"local governments)\s*(?::|,|—|-|including|such as)", re.I)
TO_THIS_END = re.compile(r"^(?:To this end|To that end|For this|To do so|To achieve this|For that purpose)\b", re.I)
SUPPORT_TYPES = ("Industry", "Plan", "Organization")
# Evidence kept per relation and document: a page that states one thing a thousand
# times needs a few sentences as provenance, not a thousand.
MAX_EVIDENCE = 10
AGENT_TYPES = dc.AGENT_TYPES


@dataclass
class Extraction:
    doc: Document
    sents: list[Sentence]
    mentions: list[Mention]  # named + references + pronouns, by position
    inner: list[Mention]
    gazetteer: Gazetteer
    discourse: dc.Discourse
    relations: dict[tuple[str, str, str], Relation] = field(default_factory=dict)
    agent: Mention | None = None  # the running subject of the text

    def add(self, head: Mention, type_: str, tail: Mention, sent: Sentence, rule: str, confidence: float) -> None:
        if head.key == tail.key or not head.key or not tail.key:
            return
        key = (head.key, type_, tail.key)
        seen = self._evidence.setdefault(key, set())
        if (sent.start, rule) in seen or len(seen) >= MAX_EVIDENCE:
            return
        seen.add((sent.start, rule))
        ev = Evidence(self.doc.doc_id, sent.text, sent.start, sent.end, rule, confidence)
        rel = self.relations.get(key)
        if rel is None:
            self._rank[key] = len(self.relations)
            self.relations[key] = Relation(head.key, type_, tail.key, [ev])
        else:
            rel.evidence.append(ev)
        self._stated.setdefault(sent.start, set()).add(key)

    def stated_in(self, sent: Sentence) -> list[Relation]:
        """The relations with evidence in `sent`, in the order they were found (without
        looking through every relation of the document for each sentence)."""
        keys = self._stated.get(sent.start, ())
        return [self.relations[k] for k in sorted(keys, key=self._rank.__getitem__)]

    def within(self, sent: Sentence) -> list[Mention]:
        cached = self._within.get(sent.start)
        if cached is None:
            lo = bisect.bisect_left(self._starts, sent.start)
            hi = bisect.bisect_left(self._starts, sent.end)
            cached = self._within[sent.start] = self.mentions[lo:hi]
        return cached

    def __post_init__(self) -> None:
        self._starts = [m.start for m in self.mentions]
        self._within: dict[int, list[Mention]] = {}
        self._evidence: dict[tuple[str, str, str], set[tuple[int, str]]] = {}
        self._subjects: dict[int, list[Mention]] = {}
        self._rank: dict[tuple[str, str, str], int] = {}  # each relation's place in `relations`
        self._stated: dict[int, set[tuple[str, str, str]]] = {}  # sentence start -> relations with evidence there
        # The meeting a press release is about: the first event it names.
        self.main_event = next((m for m in self.mentions if m.type == "Event"), None)

    def subjects(self, sent: Sentence) -> list[Mention]:
        """Agent mentions of a sentence that are not inside prepositional phrases, by position."""
        cached = self._subjects.get(sent.start)
        if cached is None:
            cached = self._subjects[sent.start] = [m for m in self.within(sent) if m.type in AGENT_TYPES
                                                   and not _oblique(self, sent, m)]
        return cached

    def gap(self, a: Mention, b: Mention) -> str:
        return self.doc.text[a.end:b.start]


def find_relations(doc: Document, sents: list[Sentence], found, gazetteer: Gazetteer) -> list[Relation]:
    mentions = sorted(found.named + found.refs + found.pronouns, key=lambda m: (m.start, -m.end))
    ex = Extraction(doc, sents, mentions, found.inner, gazetteer, dc.analyse(doc.text, sents, found.named + found.refs))
    for i, sent in enumerate(sents):
        ms = ex.within(sent)
        leads_and_members(ex, sent, ms)
        regions(ex, sent, ms)
        affiliates(ex, sent, ms)
        membership(ex, sent, ms)
        joined(ex, sent, ms)
        components(ex, sent, ms)
        targets(ex, i, sent, ms)
        supports(ex, i, sent, ms)
        transitive(ex, sent)
        _update_agent(ex, sent, ms)
    return list(ex.relations.values())


# -- LEADS and BELONGS_TO from titles -------------------------------------------------------------
def leads_and_members(ex: Extraction, sent: Sentence, ms: list[Mention]) -> None:
    people = [m for m in ms if m.type == "Person" and m.source != "pronoun"]
    for p in people:
        for o in ms:
            if o is p or o.type not in ("Province", "City", "Organization", "Ministry", "Event"):
                continue
            if o.end <= p.start:
                gap = ex.gap(o, p)
                if o.type == "Ministry" and re.search(r"\bMinister\b", o.text) and not gap.strip():
                    _minister(ex, p, o, sent)
                    continue
                m = TITLE_GAP.match(gap) or PAREN_TITLE_GAP.match(gap) or _role_only(gap, p)
                if m:
                    _title_relation(ex, p, o, m, sent, "title-before-name")
                elif LED_BY.match(gap) and o.type in ("Organization", "Ministry", "Event", "Province", "City"):
                    ex.add(p, "LEADS", o, sent, "led-by", 0.85)
            elif p.end <= o.start:
                gap = ex.gap(p, o)
                if OF_GAP.match(gap):
                    rel = "LEADS" if _heads(p, ex, sent) else "BELONGS_TO"
                    if rel == "LEADS" or o.type in ("Organization", "Ministry"):
                        ex.add(p, rel, o, sent, "title-name-of", 0.85)
                app = APPOSITION_ROLE.match(gap)
                if app:
                    _title_relation(ex, p, o, app, sent, "apposition-role")
                if PRESIDES.match(gap) and o.type in ("Event", "Organization", "Ministry"):
                    ex.add(p, "LEADS", o, sent, "presides-over", 0.9)


def _in_title(ex: Extraction, sent: Sentence, m: Mention) -> bool:
    """A place or body that is only part of the next person's title ("Naver CEO Choi Soo-yeon")."""
    after = next((p for p in ex.within(sent) if p.start >= m.end), None)
    return after is not None and after.type == "Person" and after.source != "pronoun" \
        and bool(TITLE_GAP.match(ex.gap(m, after)))


def _minister(ex: Extraction, person: Mention, title: Mention, sent: Sentence) -> None:
    """'Minister of Trade, Industry and Energy Ahn Duk-geun', 'Vice Finance Minister Kim'."""
    deputy = re.search(r"\b(?:Vice|Deputy)\s+$", ex.doc.text[max(0, title.start - 8):title.start])
    role = "Vice Minister" if deputy else "Minister"
    # "Vice Finance Minister Kim": the title pattern alone reads "Minister Kim".
    person.roles = (*(r for r in person.roles if r not in ("Minister", "Vice Minister")), role)
    ex.add(person, "BELONGS_TO" if deputy else "LEADS", title, sent, "minister-title", 0.9)


class _RoleMatch:
    """A title known from the mention itself, answering like a TITLE_GAP match."""

    def __init__(self, head: bool):
        self._head = head

    def group(self, name: str) -> str | None:
        return "x" if (name == "head") == self._head else None


def _role_only(gap: str, person: Mention):
    """'Governor Lee' as a reference: the title is inside the mention."""
    if gap.strip() or not person.roles:
        return None
    return _RoleMatch(bool(re.fullmatch(HEAD_TITLES, person.roles[0], re.I)))


def _title_relation(ex, person, other, match, sent, rule) -> None:
    if match.group("head") and other.type in ("Province", "City", "Organization", "Ministry"):
        ex.add(person, "LEADS", other, sent, rule, 0.95)
    elif match.group("member") and other.type in ("Organization", "Ministry"):
        ex.add(person, "BELONGS_TO", other, sent, rule, 0.9)


def _heads(person: Mention, ex: Extraction, sent: Sentence) -> bool:
    before = ex.doc.text[max(sent.start, person.start - 40):person.start]
    title = re.search(rf"(?:(?P<head>{HEAD_TITLES})|(?P<member>{MEMBER_TITLES}))\s*$", before, re.I)
    if title:
        return bool(title.group("head"))
    return any(re.fullmatch(HEAD_TITLES, r, re.I) for r in person.roles)


# -- places: "Seocho-gu, Seoul", "Gyeonggi cities: Suwon, Yongin" -----------------------------------
def affiliates(ex: Extraction, sent: Sentence, ms: list[Mention]) -> None:
    """'The Korea Semiconductor Industry Association, an affiliate of MOTIE'."""
    bodies = [m for m in ms if m.source != "pronoun"]
    for a, b in zip(bodies, bodies[1:]):
        if a.type == "Organization" and b.type in ("Organization", "Ministry") and AFFILIATE.match(ex.gap(a, b)):
            ex.add(a, "BELONGS_TO", b, sent, "affiliate-of", 0.85)


def regions(ex: Extraction, sent: Sentence, ms: list[Mention]) -> None:
    named = [m for m in ms if m.source not in ("pronoun",)]
    for a, b in zip(named, named[1:]):
        if a.type == "City" and b.type == "Province" and re.fullmatch(r"\s*,\s*|\s+(?:in|of)\s+", ex.gap(a, b)):
            if _parent_ok(ex, a, b):
                ex.add(a, "BELONGS_TO", b, sent, "city-comma-province", 0.9)
    for p in named:
        if p.type != "Province":
            continue
        lead = REGION_LIST.match(ex.doc.text[p.end:sent.end])
        if lead:
            for c in _list_after(ex, sent, p.end + lead.end(), ("City",)):
                if _parent_ok(ex, c, p):
                    ex.add(c, "BELONGS_TO", p, sent, "province-city-list", 0.85)


def _parent_ok(ex: Extraction, city: Mention, province: Mention) -> bool:
    entry = ex.gazetteer.get(city.key)
    return entry is None or not entry.parent or entry.parent == province.key


def _list_after(ex: Extraction, sent: Sentence, pos: int, types: tuple[str, ...]) -> list[Mention]:
    """Mentions of `types` in a list starting at pos: 'A, B, and C' (stops where the list stops)."""
    out = []
    cursor = pos
    for m in ex.within(sent):
        if m.start < pos or m.source == "pronoun":
            continue
        gap = ex.doc.text[cursor:m.start]
        if out and not re.fullmatch(r"\s*(?:,|and|or|&|,\s*and|,\s*or)?\s*(?:the\s+)?", gap):
            break
        if not out and len(gap) > 60:
            break
        if m.type in types:
            out.append(m)
            cursor = m.end
        elif out:
            break
    return out


# -- membership: "The alliance is comprised of seven cities: A, B, C" ------------------------------------
def membership(ex: Extraction, sent: Sentence, ms: list[Mention]) -> None:
    for org in ms:
        if org.type != "Organization":
            continue
        verb = MEMBERSHIP.search(ex.doc.text, org.end, sent.end)
        if not verb and org.name.lower().endswith(COLLECTIVE_HEADS):
            verb = INCLUDES.search(ex.doc.text, org.end, sent.end)
        if not verb or verb.start() - org.end > 40:
            continue
        members = [m for m in ms if m.start >= verb.end() and m.source not in ("coref", "pronoun")
                   and m.type in ("City", "Province", "Organization", "Person", "Ministry")
                   and not REGION_LIST.match(ex.doc.text[m.end:sent.end])  # "Gyeonggi cities: ..." qualifies
                   and not _in_title(ex, sent, m)]  # "Naver CEO Choi": Choi is the member
        for m in members:
            ex.add(m, "BELONGS_TO", org, sent, "membership-list", 0.85)


# "Hwaseong, Pyeongtaek and Anseong also joined the Gyeonggi Semiconductor Alliance"
JOINED = re.compile(r"\b(?:joined|joins|join|joining|became (?:a )?members? of|signed up (?:for|to)|"
                    r"(?:take|takes|took|taking) part in|participat(?:e|es|ed|ing) in)\s+(?:the\s+)?$", re.I)


# "took part in the X Association's fair", "joined the X Council meeting": the body only names the occasion.
_OCCASION_AFTER = re.compile(r"(?:[’']s\b|\s+(?:meetings?|events?|programs?|programmes?|projects?|forums?|sessions?|fairs?|"
                             r"briefings?|exhibitions?|ceremony|ceremonies|conferences?|workshops?|seminars?|"
                             r"campaigns?|competitions?|contests?)\b)")


def joined(ex: Extraction, sent: Sentence, ms: list[Mention]) -> None:
    for org in ms:
        if org.type != "Organization" or org.source == "pronoun" or _OCCASION_AFTER.match(ex.doc.text, org.end):
            continue
        verb = JOINED.search(ex.doc.text, sent.start, org.start)
        if not verb:
            continue
        first = next((m for m in ex.subjects(sent) if m.end <= verb.start() and m.source != "pronoun"), None)
        if first is None:
            continue
        for m in [first, *_coordinated(ex, sent, first, verb.start())]:
            if m.type in ("City", "Province", "Organization", "Person", "Ministry") and m.key != org.key:
                ex.add(m, "BELONGS_TO", org, sent, "joined", 0.8)


# -- plans inside plans ------------------------------------------------------------------------------------
def components(ex: Extraction, sent: Sentence, ms: list[Mention]) -> None:
    plans = [m for m in ms if m.type == "Plan" and m.source != "inner"]
    for a in plans:
        for b in plans:
            if b.start <= a.end or a.key == b.key:
                continue
            gap = ex.gap(a, b)
            if COMPONENT_OF.match(gap):
                ex.add(a, "BELONGS_TO", b, sent, "component-of", 0.85)
            elif ACCORDING.search(gap) and len(gap) < 40 and not re.search(r"[,;]", gap.strip(" ,")[:-1] or ""):
                ex.add(a, "BELONGS_TO", b, sent, "in-accordance-with", 0.7)
    for act in plans:
        if ARTICLE_OF.search(ex.doc.text[sent.start:act.start]):
            subject = next((p for p in plans if p.start < act.start and p.key != act.key), None)
            if subject is not None:
                ex.add(subject, "BELONGS_TO", act, sent, "legal-basis", 0.8)


# -- TARGETS -------------------------------------------------------------------------------------------------
def targets(ex: Extraction, i: int, sent: Sentence, ms: list[Mention]) -> None:
    text = ex.doc.text
    plans = [m for m in ms if m.type == "Plan" and m.source != "inner"]
    for p in plans:
        if p.source not in ("coref", "alias", "pronoun") and not re.search(r"\b(?:act|law)\b$", p.name, re.I):
            for inner in ex.inner:
                if p.start <= inner.start and inner.end <= p.end and inner.type in ("Industry", "Province", "City"):
                    ex.add(p, "TARGETS", inner, sent, "name-contains", 0.8)
        if PLAN_COMPLEMENT.match(text[p.end:sent.end]):
            for ind in _industries_after(ex, sent, p.end, p):
                ex.add(p, "TARGETS", ind, sent, "plan-for-industries", 0.85)
        if DEFINITION.match(text[p.end:sent.end]) and _is_subject(ex, sent, p):
            for ind in _industries_after(ex, sent, p.end, p):
                ex.add(p, "TARGETS", ind, sent, "plan-definition", 0.75)
        relative = _relative_clause(text, p, sent, RELATIVE_AIM, RELATIVE_ACT)
        if relative:
            for ind in _industries_in_clause(ex, sent, p.end + relative.end(), p):
                ex.add(p, "TARGETS", ind, sent, "plan-relative-aim", 0.75)
        if SELECTION.search(text[sent.start:sent.end]) and re.match(r"^\s*(?:Among|Of)\b", text[sent.start:p.start]):
            for ind in _industries_after(ex, sent, p.end, p):
                ex.add(p, "TARGETS", ind, sent, "selected-among", 0.85)
    orgs = [m for m in ms if m.type == "Organization"]
    for o in orgs:
        if DEFINITION.match(text[o.end:sent.end]) and _is_subject(ex, sent, o):
            for ind in _industries_after(ex, sent, o.end, o):
                ex.add(o, "TARGETS", ind, sent, "body-definition", 0.7)
    for o in orgs:
        relative = _relative_clause(text, o, sent, RELATIVE_AIM)
        if relative and o.source != "pronoun":
            for ind in _industries_in_clause(ex, sent, o.end + relative.end(), o):
                ex.add(o, "TARGETS", ind, sent, "body-relative-aim", 0.7)
    for owner in plans + orgs:
        if AIMED_AT.match(text[owner.end:sent.end]) and _is_subject(ex, sent, owner):
            for place in _places_in_clause(ex, sent, owner):
                ex.add(owner, "TARGETS", place, sent, "aimed-at-places", 0.75)
    context = ex.discourse.plan_context.get(i)
    if context is not None:
        under = dc._UNDER.match(sent.text)
        if under or DEVELOPS.search(sent.text):
            for ind in _industries_after(ex, sent, sent.start, context):
                ex.add(context, "TARGETS", ind, sent, "plan-context", 0.75)
        if DESIGNATES.search(sent.text):  # "- Designating Cheonan and Gumi as specialised complexes"
            for place in ms:
                if place.type in ("Province", "City") and place.source not in ("pronoun", "inner"):
                    ex.add(context, "TARGETS", place, sent, "plan-context-places", 0.7)
        for p in plans:
            if p.key != context.key and p.start > sent.start + 5:
                ex.add(p, "BELONGS_TO", context, sent, "under-plan", 0.75)
    _event_targets(ex, i, sent, ms)


def _event_targets(ex: Extraction, i: int, sent: Sentence, ms: list[Mention]) -> None:
    main = ex.main_event
    if main is None:
        return
    purpose = PURPOSE.search(sent.text)
    if purpose:
        for t in ms:
            here = [e for e in ms if e.type == "Event"]
            if t.start >= sent.start + purpose.end() and t.type in ("Organization", "Plan", "Industry") \
                    and t.source != "inner":
                ex.add(here[0] if here else main, "TARGETS", t, sent, "event-purpose", 0.8)
    if i in ex.discourse.agenda or DISCUSSION.search(sent.text):
        for t in ms:
            if t.type == "Industry" and t.source != "pronoun":
                ex.add(main, "TARGETS", t, sent, "event-agenda", 0.7)


def _industries_after(ex: Extraction, sent: Sentence, pos: int, owner: Mention) -> list[Mention]:
    out = []
    for m in ex.within(sent):
        if m.start < pos or m.type != "Industry" or m.source == "pronoun":
            continue
        if owner.start <= m.start < owner.end and m.source != "inner":
            continue
        out.append(m)
    return out


def _relative_clause(text: str, m: Mention, sent: Sentence, *forms: re.Pattern) -> re.Match | None:
    """The relative clause right after a mention (", which aims to ..."), in one of the forms."""
    head = text[m.end:m.end + 10]
    if "which" not in head and "that" not in head:
        return None  # most mentions: no slice of the sentence, no pattern tried
    rest = text[m.end:sent.end]
    return next((found for found in (form.match(rest) for form in forms) if found), None)


def _clause_end(text: str, pos: int, sent: Sentence) -> int:
    """Where the clause that `pos` is in ends (CLAUSE_END), or the sentence."""
    end = CLAUSE_END.search(text, pos, sent.end)
    return end.start() if end else sent.end


def _last_match(pattern: re.Pattern, text: str, start: int, end: int) -> re.Match | None:
    """The last match of `pattern` between start and end."""
    last = None
    for last in pattern.finditer(text, start, end):
        pass
    return last


def _industries_in_clause(ex: Extraction, sent: Sentence, pos: int, owner: Mention) -> list[Mention]:
    """The industries named from `pos` up to the end of its clause."""
    stop = _clause_end(ex.doc.text, pos, sent)
    return [m for m in _industries_after(ex, sent, pos, owner) if m.start < stop]


def _places_in_clause(ex: Extraction, sent: Sentence, owner: Mention) -> list[Mention]:
    """The provinces and cities named after `owner` up to the end of its clause."""
    stop = _clause_end(ex.doc.text, owner.end, sent)
    return [m for m in ex.within(sent) if owner.end <= m.start < stop and m.type in ("Province", "City")
            and m.source not in ("pronoun", "inner")]


def _is_subject(ex: Extraction, sent: Sentence, m: Mention) -> bool:
    lead = ex.doc.text[sent.start:m.start]
    return bool(re.fullmatch(r"\s*(?:[-–•▲○]\s*)?(?:the|this|our|its)?\s*[‘'“\"]?\s*", lead, re.I))


# -- SUPPORTS ------------------------------------------------------------------------------------------------
def supports(ex: Extraction, i: int, sent: Sentence, ms: list[Mention]) -> None:
    text = ex.doc.text
    blocked = _blocked_zones(text, sent)
    defined = {o.key for o in ms if o.type in ("Organization", "Plan")
               and DEFINITION.match(text[o.end:sent.end]) and _is_subject(ex, sent, o)}
    names = [(m.start, m.end) for m in ms if m.source not in ("pronoun", "coref")]
    # "X, which focuses on A and B": what X is for (TARGETS), not what it backs.
    aims = []
    for o in ms:
        relative = o.type == "Organization" and _relative_clause(text, o, sent, RELATIVE_AIM) \
            or o.type == "Plan" and _relative_clause(text, o, sent, RELATIVE_AIM, RELATIVE_ACT)
        if relative:
            aims.append((o.end, _clause_end(text, o.end + relative.end(), sent)))
    for verb in SUPPORT_VERB.finditer(text, sent.start, sent.end):
        if any(s <= verb.start() < e for s, e in names) or any(s <= verb.start() < e for s, e in aims):
            continue  # "Promotion" in "Korea Technopark Promotion Association" is no verb
        if NEGATED.search(text[max(sent.start, verb.start() - 25):verb.start()]):
            continue
        agent = _agent_for(ex, i, sent, ms, verb.start())
        if agent is None or agent.key in defined:
            continue
        zones = blocked + _next_clause(ex, sent, verb.end()) + _passive_agent(text, sent, verb.end())
        for a in [agent, *_coordinated(ex, sent, agent, verb.start())]:
            for t in _objects(ex, sent, ms, verb.end(), zones):
                ex.add(a, "SUPPORTS", t, sent, "agent-verb-object", 0.8 if a.source != "pronoun" else 0.75)
    for p in ms:
        if p.type == "Plan" and p.source != "inner" and ex.discourse.in_quote(p.start):
            speaker = ex.discourse.speaker_at(p.start)
            if speaker is not None:
                ex.add(speaker, "SUPPORTS", p, sent, "speaker-names-plan", 0.6)
    _passive_and_nominal(ex, i, sent, ms, blocked)
    _owners(ex, sent, ms)
    _to_this_end(ex, i, sent, ms)


_BY_AGENT = re.compile(r"\s+by\s+")


def _passive_agent(text: str, sent: Sentence, pos: int) -> list[tuple[int, int, str]]:
    """'will be developed by the LH (to ...)': who does it, not what is backed."""
    by = _BY_AGENT.match(text, pos)
    if not by:
        return []
    end = _TO_FOR_INTO.search(text, by.end(), sent.end)
    return [(by.end(), end.start() if end else sent.end, "all")]


_RELATIVE_PRONOUN = re.compile(r",\s+(?:which|who)\s+")


def _relative_antecedent(ex: Extraction, sent: Sentence, pos: int) -> Mention | None:
    """The mention a relative clause around `pos` is about, when nothing else in the clause can be the subject."""
    if ex.doc.text.find(", wh", sent.start, pos) < 0:
        return None
    rel = _last_match(_RELATIVE_PRONOUN, ex.doc.text, sent.start, pos)
    if rel is None or "," in ex.doc.text[rel.end():pos]:
        return None
    here = ex.within(sent)
    if any(rel.end() <= m.start < pos and m.type in AGENT_TYPES for m in here):
        return None
    return next((m for m in reversed(here) if m.end <= rel.start() and rel.start() - m.end <= 2
                 and m.source != "inner"), None)


def _next_clause(ex: Extraction, sent: Sentence, pos: int) -> list[tuple[int, int, str]]:
    """From the next clause with a subject of its own on ("..., while B backs Y"), nothing is the verb's object."""
    for brk in CLAUSE_BREAK.finditer(ex.doc.text, pos, sent.end):
        if any(brk.end() <= m.start < brk.end() + 40 for m in ex.subjects(sent)):
            return [(brk.start(), sent.end, "all")]
    return []


def _agent_for(ex: Extraction, i: int, sent: Sentence, ms: list[Mention], pos: int) -> Mention | None:
    text = ex.doc.text
    clause_start = max(sent.start, text.rfind("“", sent.start, pos) + 1, text.rfind("\"", sent.start, pos) + 1)
    if ex.discourse.in_quote(pos) or ex.discourse.summary_speaker and pos >= ex.discourse.summary_speaker[0]:
        near = text[max(clause_start, pos - 40):pos]
        if FIRST_PERSON.search(near) or _starts_imperative(text, sent, pos):
            speaker = ex.discourse.speaker_at(pos)
            if speaker is not None:
                return speaker
    relative = _relative_antecedent(ex, sent, pos)
    if relative is not None:
        # "X, which will invest in Y": X does it; a plan's aim is a TARGETS, not a backer's act.
        return relative if relative.type in AGENT_TYPES else None
    candidates = _prefer_heads(ex, [m for m in ex.subjects(sent) if m.start < pos])
    if candidates:
        # "A set up X, while B backs Y": B, the subject of the verb's own clause.
        brk = _last_match(CLAUSE_BREAK, text, sent.start, pos)
        own = [m for m in candidates if brk is not None and m.start >= brk.end()]
        return own[0] if own else candidates[0]
    if GENERIC_SUBJECT.search(text[sent.start:pos]):
        return None
    if re.match(r"^\s*(?:In order to|To)\b", text[sent.start:pos]):
        after = [m for m in ex.subjects(sent) if m.start > pos]
        if after:
            return after[0]
    if re.search(r"(?:^|[,;]\s*|\bthat\s+)(?:it|It)\s+(?:\w+\s+){0,2}$", text[sent.start:pos]) and ex.agent:
        return ex.agent
    return None


def _coordinated(ex: Extraction, sent: Sentence, agent: Mention, pos: int) -> list[Mention]:
    """'North Gyeongsang Province and Pohang City signed ...': every conjunct is an agent."""
    out = []
    last = agent
    here = ex.within(sent)
    skip = _after_parenthesis(ex.doc.text, last)
    for k, m in enumerate(here):
        if m.start <= last.start or m.start >= pos or m.start < skip:
            continue  # "(MSIT)" after the ministry is no other agent
        if m.type in AGENT_TYPES and re.fullmatch(r"\s*(?:,|,?\s*and|&)\s*(?:the\s+)?", ex.doc.text[skip:m.start]):
            # "..., Ulsan Mayor Kim Doo-gyeom and ...": the titled person, not the place in the title.
            titled = next((p for p in here[k + 1:] if p.start >= m.end), None)
            if titled is not None and titled.type == "Person" and titled.start < pos \
                    and (TITLE_GAP.match(ex.gap(m, titled)) or not ex.gap(m, titled).strip()):
                m = titled
            out.append(m)
            last = m
            skip = _after_parenthesis(ex.doc.text, last)
        elif m.start >= last.end:
            break
    return out


_PARENTHESIS = re.compile(r"\s*\([^()\n]{1,40}\)")


def _after_parenthesis(text: str, m: Mention) -> int:
    """Where a mention's words end, with an acronym or a title in parentheses after it."""
    paren = _PARENTHESIS.match(text, m.end)
    return paren.end() if paren else m.end


def _starts_imperative(text: str, sent: Sentence, pos: int) -> bool:
    item = re.match(r"\s*(?:[-–•▲○]|\d+[.)]|\(\d+\))?\s*", text[sent.start:pos])
    lead = text[sent.start + (item.end() if item else 0):pos]
    return not lead.strip() or bool(re.fullmatch(r"\s*[A-Z][a-z]+(?:\s+[a-z]+){0,3}\s*:\s*", lead))


_LIST_COMMA = re.compile(r"\s*,\s*")
# Where a clause with a subject of its own may begin ("and" is left out: it joins lists of agents).
CLAUSE_BREAK = re.compile(r"(?:,\s+(?:while|whereas|but|although|though)|;)\s+", re.I)
_PREPOSITION_BEFORE = re.compile(r"\b(?:at|in|of|from|with|to|for|by|on|among|than|like|including|such as|and)\s+"
                                 r"(?:the\s+|a\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}$", re.I)


_TITLES_JOINED = re.compile(rf"\b(?:{HEAD_TITLES}|{MEMBER_TITLES}|deputy prime minister|prime minister)\s+and\s+$", re.I)


def _oblique(ex: Extraction, sent: Sentence, m: Mention) -> bool:
    """A mention inside a prepositional phrase ('at the X', 'of A, B and C') is no subject."""
    here = ex.within(sent)
    starts = [o.start for o in here]
    # A list shares the fate of its first member: walk back over ", " to it. A titled person
    # shares the fate of the place or body in the title ("Minister of Trade, Industry and Energy
    # Ahn": the "and" is the ministry's).
    while m.source != "pronoun":
        i = bisect.bisect_left(starts, m.start) - 1
        while i >= 0 and here[i].end > m.start:
            i -= 1
        if i >= 0 and m.type == "Person" and here[i].source != "pronoun" \
                and (not ex.gap(here[i], m).strip() or TITLE_GAP.match(ex.gap(here[i], m))):
            m = here[i]
            continue
        before = ex.doc.text[max(sent.start, m.start - 30):m.start]
        # "Deputy Prime Minister and Minister of ..."
        joined_titles = _TITLES_JOINED.search(before) if before.endswith(" and ") else None
        if _PREPOSITION_BEFORE.search(before[:joined_titles.start()] if joined_titles else before):
            return True
        if i < 0 or not _LIST_COMMA.fullmatch(ex.gap(here[i], m)):
            return False
        m = here[i]
    return False


def _prefer_heads(ex: Extraction, candidates: list[Mention]) -> list[Mention]:
    """'Democratic Party presidential candidate Lee': the person, not the party, is the subject."""
    out = list(candidates)
    for a, b in zip(candidates, candidates[1:]):
        if b.type == "Person" and (TITLE_GAP.match(ex.gap(a, b)) or not ex.gap(a, b).strip()):
            if a in out:
                out.remove(a)
    return out


def _objects(ex: Extraction, sent: Sentence, ms: list[Mention], pos: int, blocked: list[tuple[int, int, str]]):
    text = ex.doc.text
    plans = Spans((m.start, m.end, m) for m in ms if m.type == "Plan" and m.start >= pos and m.source != "inner")
    for m in ms:
        if m.start < pos or m.type not in SUPPORT_TYPES or m.source == "pronoun":
            continue
        if any(p is not m for p in plans.containing(m.start, m.end)):
            continue  # what a plan's name contains, the plan targets
        if m.source == "inner":
            continue
        if any(s <= m.start < e and (kind == "all" or (kind == "industry" and m.type == "Industry")
                                     or (kind == "partner" and m.type == "Organization"))
               for s, e, kind in blocked):
            continue
        if m.type == "Organization":
            if VENUE_BEFORE.search(text[max(sent.start, m.start - 40):m.start]) or m.start - pos > 60:
                continue
        yield m


def _blocked_zones(text: str, sent: Sentence) -> list[tuple[int, int, str]]:
    zones = []
    for m in SHIFT.finditer(text, sent.start, sent.end):
        end = _TO.search(text, m.end(), sent.end)
        zones.append((m.end(), end.start() if end else sent.end, "all"))
    for m in INSTRUMENT.finditer(text, sent.start, sent.end):
        to = _TO_FOR_INTO.search(text, m.end(), sent.end)
        zones.append((m.end(), min(to.start() if to else sent.end, _clause_end(text, m.end(), sent)), "industry"))
    for m in RELATIVE.finditer(text, sent.start, sent.end):
        zones.append((m.start(), sent.end, "all"))
    for m in PARTNER.finditer(text, sent.start, sent.end) if _has_partner_word(text, sent) else ():
        zones.append((m.end(), _clause_end(text, m.end(), sent), "partner"))
    return zones


def _has_partner_word(text: str, sent: Sentence) -> bool:
    return text.find("with", sent.start, sent.end) >= 0 or text.find("alongside", sent.start, sent.end) >= 0


def _passive_and_nominal(ex: Extraction, i: int, sent: Sentence, ms: list[Mention], blocked) -> None:
    text = ex.doc.text
    own_agent = ex.subjects(sent)
    speaker = ex.discourse.speaker_at(sent.start)
    agent = speaker if speaker is not None and ex.discourse.in_quote(sent.start) else (None if own_agent else ex.agent)
    if agent is None or GENERIC_SUBJECT.search(text[sent.start:sent.start + 40]):
        return
    if agent.type == "Person":
        for p in ms:
            if p.type == "Plan" and re.search(r"\b(?:pledge|promise)s?$", p.name, re.I):
                ex.add(agent, "SUPPORTS", p, sent, "pledge-of-subject", 0.55)
    passive = PASSIVE.search(text, sent.start, sent.end)
    cue = passive or NOMINAL.search(text, sent.start, sent.end)
    if cue is None:
        return
    start = sent.start if passive else cue.start()
    for t in _objects(ex, sent, ms, start, blocked):
        if t.type in ("Industry", "Plan"):
            ex.add(agent, "SUPPORTS", t, sent, "implicit-agent", 0.6)


def _owners(ex: Extraction, sent: Sentence, ms: list[Mention]) -> None:
    """'Policy No. 1 of the X Committee', "Gyeonggi's semiconductor strategy": the owner backs its plan."""
    for p in ms:
        if p.type != "Plan":
            continue
        for o in ms:
            if o.type not in AGENT_TYPES or o.source == "pronoun":
                continue
            if p.start <= o.start and o.end <= p.end and re.search(r"\bof\s+(?:the\s+)?$", ex.doc.text[p.start:o.start]):
                ex.add(o, "SUPPORTS", p, sent, "plan-of-owner", 0.8)
            elif o.end <= p.start and re.fullmatch(r"\s*[’']s\s+(?:[\w-]+\s+){0,2}", ex.gap(o, p)):
                ex.add(o, "SUPPORTS", p, sent, "owner-possessive", 0.75)


def _to_this_end(ex: Extraction, i: int, sent: Sentence, ms: list[Mention]) -> None:
    """'To this end, the provincial government will provide support': for what the last sentence named."""
    if not TO_THIS_END.match(sent.text.lstrip("“\"‘")) or i == 0 or not re.search(r"\bsupport\b", sent.text, re.I):
        return
    agents = [m for m in ms if m.type in AGENT_TYPES]
    if not agents:
        return
    previous = ex.sents[i - 1]
    for t in ex.within(previous):
        if t.type in ("Plan", "Organization") and t.source not in ("pronoun", "inner") and t.key != agents[0].key:
            ex.add(agents[0], "SUPPORTS", t, sent, "to-this-end", 0.7)


# -- same-sentence inference ------------------------------------------------------------------------------------
def _stand_in(key: str) -> Mention:
    return Mention(0, 0, "", "", key, "")


def transitive(ex: Extraction, sent: Sentence) -> None:
    """A backs plan P and P targets industry I in one sentence: A backs I."""
    here = ex.stated_in(sent)
    plan_targets = {}
    for r in here:
        if r.type == "TARGETS":
            plan_targets.setdefault(r.head, []).append(r.tail)
    by_key = {m.key: m for m in ex.within(sent)}
    for r in here:
        if r.type == "SUPPORTS" and r.tail in plan_targets:
            for ind in plan_targets[r.tail]:
                head, tail = by_key.get(r.head), by_key.get(ind)
                if tail is not None and tail.type == "Industry":
                    # The backer may be a speaker named outside this sentence.
                    ex.add(head or _stand_in(r.head), "SUPPORTS", tail, sent, "supports-plan-targets", 0.7)


def _update_agent(ex: Extraction, sent: Sentence, ms: list[Mention]) -> None:
    subjects = _prefer_heads(ex, ex.subjects(sent))
    if subjects and subjects[0].start - sent.start < 60:
        first = subjects[0]
        ex.agent = first if first.source != "pronoun" else ex.agent or first
