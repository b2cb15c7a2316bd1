"""Who is speaking and what a passage is about: quotes, speakers and contexts.

News reports pledges through quotes ("I will foster ...," Lee said) and
press releases through summaries ("The following is a summary of DPM
Hong's keynote address"). Plans open contexts that later sentences fill
("Under the plan, ...", "The plan includes the following: - ..."), and
agendas list what a meeting was about.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from policygraph.schema.model import Mention, Sentence

AGENT_TYPES = ("Person", "Ministry", "Province", "City", "Organization")
SAY = r"(?:said|says|stated|states|added|adds|noted|stressed|emphasized|emphasised|explained|concluded|" \
      r"announced|pledged|promised|vowed|told|declared|remarked|underlined|highlighted|urged)"
# The attribution after a quote is on its line: the next paragraph's "X added that ..." is another statement.
_SPEAKER_AFTER = re.compile(rf"^[,.]?[’”\"]?[ \t]*(?:(?P<agent1>[^,.;“”\n]{{1,80}}?)[ \t]+{SAY}\b|"
                            rf"{SAY}[ \t]+(?P<agent2>[^,.;“”\n]{{1,80}}))")
_SPEAKER_BEFORE = re.compile(rf"(?:{SAY}|saying)\s*[,:]?\s*$|:\s*$")
_SUMMARY = re.compile(r"following is (?:a |the )?(?:summary|transcript|text|excerpt)s? of\b.*?(?:address|speech|remarks|"
                      r"statement|briefing|presentation|message)", re.IGNORECASE)
_UNDER = re.compile(r"^(?:Under|Through|As part of|Within|With)\s+(?:the|this|that|a|an|its)\b", re.IGNORECASE)
_CONTINUE = re.compile(r"^(?:At the same time|Also|In addition|Additionally|Furthermore|Moreover|Besides|"
                       r"Likewise|Meanwhile, (?:he|she))\b", re.IGNORECASE)
_INCLUDES_FOLLOWING = re.compile(r"\b(?:includes?|contains?|consists? of|covers?)\b.*\bfollowing\b", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^\s*(?:[-–•▲○■□*]|\d+[.)]|[a-z][.)]|\(\d+\))\s*")
_AGENDA = re.compile(r"^\s*(?:topics? (?:of|for) discussion|discussion topics?|agenda(?: items)?|"
                     r"items? (?:on|of) the agenda|main topics?)\s*:?\s*$", re.IGNORECASE)


@dataclass
class Quote:
    start: int
    end: int
    speaker: Mention | None = None


@dataclass
class Discourse:
    quotes: list[Quote] = field(default_factory=list)
    summary_speaker: tuple[int, Mention] | None = None  # (from offset, speaker)
    plan_context: dict[int, Mention] = field(default_factory=dict)  # sentence index -> plan
    agenda: set[int] = field(default_factory=set)  # sentence indexes that are agenda items

    def speaker_at(self, pos: int) -> Mention | None:
        for q in self.quotes:
            if q.start <= pos < q.end:
                return q.speaker
        if self.summary_speaker and pos >= self.summary_speaker[0]:
            return self.summary_speaker[1]
        return None

    def in_quote(self, pos: int) -> bool:
        return any(q.start <= pos < q.end for q in self.quotes)


def analyse(text: str, sents: list[Sentence], mentions: list[Mention]) -> Discourse:
    d = Discourse()
    mentions = sorted(mentions, key=lambda m: m.start)
    d.quotes = _quotes(text, mentions)
    d.summary_speaker = _summary(text, mentions)
    d.plan_context = _plan_contexts(text, sents, mentions)
    d.agenda = _agenda_items(text, sents)
    return d


def agents_in(mentions: list[Mention], start: int, end: int) -> list[Mention]:
    return [m for m in mentions if start <= m.start < end and m.type in AGENT_TYPES]


_CURLY = re.compile("[“”]")


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Top-level “...” spans; scraped text nests and drops quotes, so count per paragraph."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        depth, start = 0, 0
        for mark in _CURLY.finditer(line):  # only the quote marks, not every character
            i, ch = mark.start(), mark.group(0)
            if ch == "“":
                if depth == 0:
                    start = i
                depth += 1
            elif depth:
                depth -= 1
                if depth == 0:
                    spans.append((pos + start, pos + i + 1))
        if depth:
            spans.append((pos + start, pos + len(line)))
        for m in re.finditer(r'(?<![A-Za-z])"[^"]+"', line):
            spans.append((pos + m.start(), pos + m.end()))
        pos += len(line) + 1
    return sorted(spans)


def _quotes(text: str, mentions: list[Mention]) -> list[Quote]:
    quotes: list[Quote] = []
    for start, end in quote_spans(text):
        body = text[start:end]
        if len(body) < 25 or body.count(" ") < 3:
            continue  # a quoted name, not speech
        q = Quote(start, end, _speaker(text, start, end, mentions))
        if q.speaker is None and quotes and quotes[-1].speaker and start - quotes[-1].end < 60:
            q.speaker = quotes[-1].speaker  # "..., the candidate said. "I will ..."
        quotes.append(q)
    # A quote attributed later in the paragraph ('“...” he said') may open a run of quotes.
    return quotes


def _speaker(text: str, start: int, end: int, mentions: list[Mention]) -> Mention | None:
    after = _SPEAKER_AFTER.match(text[end:end + 120])
    if after:
        span_start = end + (after.start("agent1") if after.group("agent1") else after.start("agent2"))
        span_end = end + (after.end("agent1") if after.group("agent1") else after.end("agent2"))
        found = [m for m in mentions if span_start <= m.start < span_end and m.type in AGENT_TYPES]
        if found:
            return found[0]
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    headline = [m for m in mentions if m.type == "Person" and m.end <= start and not text[m.end:start].strip(" :")]
    if headline:
        return headline[-1]  # 'Lee Jae-myung “We will ...”'
    if _SPEAKER_BEFORE.search(before):
        found = [m for m in mentions if line_start <= m.start < start and m.type in AGENT_TYPES]
        people = [m for m in found if m.type == "Person"]
        if people or found:
            return (people or found)[-1]
    return None


def _summary(text: str, mentions: list[Mention]) -> tuple[int, Mention] | None:
    m = _SUMMARY.search(text)
    if not m:
        return None
    people = [x for x in mentions if m.start() <= x.start < m.end() and x.type == "Person"]
    return (m.end(), people[0]) if people else None


def _plan_contexts(text: str, sents: list[Sentence], mentions: list[Mention]) -> dict[int, Mention]:
    contexts: dict[int, Mention] = {}
    current: Mention | None = None
    listing = ""  # the marker style of the list a plan context spans ("-", "1)")
    all_plans = [m for m in mentions if m.type == "Plan"]  # sorted by position
    starts = [m.start for m in all_plans]
    for i, s in enumerate(sents):
        plans = all_plans[bisect.bisect_left(starts, s.start):bisect.bisect_left(starts, s.end)]
        if _UNDER.match(s.text) and plans and plans[0].start - s.start < 40:
            current, listing = plans[0], ""
            contexts[i] = current
            continue
        marker = _marker_style(s.text)
        if listing and marker and (listing == "?" or marker == listing):
            listing = marker
            contexts[i] = current
            continue
        listing = ""
        if current is not None and _CONTINUE.match(s.text):
            contexts[i] = current
            continue
        current = None
        if plans and _INCLUDES_FOLLOWING.search(s.text):
            current, listing = plans[0], "?"
    return contexts


def _marker_style(line: str) -> str:
    m = _LIST_ITEM.match(line)
    if not m:
        return ""
    marker = m.group(0).strip()
    return "1)" if marker[:1].isdigit() or marker.startswith("(") else marker[:1]


def _agenda_items(text: str, sents: list[Sentence]) -> set[int]:
    items: set[int] = set()
    active = False
    for i, s in enumerate(sents):
        if _AGENDA.match(s.text):
            active = True
            continue
        if active and _LIST_ITEM.match(s.text):
            items.add(i)
        elif active and not _LIST_ITEM.match(s.text):
            active = False
    return items
