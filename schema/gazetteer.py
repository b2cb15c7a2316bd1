"""Gazetteers: canonical names and aliases of known entities, and a fast matcher.

Matching is linear in the text (Aho-Corasick) and tolerant of case, hyphens
and spacing: "bio-health", "biohealth" and "Bio Health" meet. Acronyms and
short mixed-case names ("AI", "U.S.", "IoT", "MOTIE") match case-sensitively
and exactly, so that "us" and "ai" in running text stay words.
"""
from __future__ import annotations

import bisect
import csv
import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import ahocorasick

from policygraph.schema.model import PREFIX_TYPES

FILES = ("ministries", "regions", "industries", "organizations", "countries", "plans")
# Phrases that name no entity but contain names of entities: they take their
# span so that "Seoul" in "Seoul Metropolitan Area" is not the city of Seoul.
BLOCKERS = (
    "Seoul Metropolitan Area", "Seoul metropolitan region", "capital area", "capital region",
    "Korean Peninsula", "Korea-U.S.", "Korea Herald", "Korea Times", "Korea JoongAng Daily", "Korea.net",
    "Korea Economic Daily", "Korea Economic Institute of America", "Korea Exchange Bank",
    "Yonhap News Agency", "Yonhap News", "Korea Broadcasting System", "Korean War", "Korean won",
)


@dataclass(frozen=True, slots=True)
class GazEntry:
    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    parent: str = ""
    broader: tuple[str, ...] = ()
    kind: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class GazMatch:
    start: int
    end: int
    ids: tuple[str, ...]  # more than one when the name is ambiguous; empty for a blocker
    text: str


_ALNUM_RUN = re.compile(r"[^\W_]+")
_SPLIT_RUNS = re.compile(r"([^\W_]+)")  # re.split keeps the words between the separators


# A folded match passes over every separator, but a name never runs across a quotation mark, a
# bracket, a line break or the end of a clause: the ‘Digital Platform Government’ initiative
# names the plan inside the quotes (an apostrophe, "Korea’s", is no quotation mark).
_NOT_WITHIN_A_NAME = re.compile(r"[\"“”‘\n;!?()\[\]]|[’'](?![^\W_])|(?<![^\W_])[’']")


# A comma or a full stop is inside a name only when the name itself has one ("Ministry of
# Trade, Industry and Energy"): "hydrogen, fuel cells" lists two industries, not "hydrogen fuel cells".
_LIST_MARKS = ",."


def _whole_name(text: str, start: int, stop: int, marks: frozenset[str]) -> bool:
    """The separators a folded match passed over fit in one name (only a span with separators is asked)."""
    span = text[start:stop]
    return not _NOT_WITHIN_A_NAME.search(text, start, stop) and all(c in marks for c in _LIST_MARKS if c in span)


def fold(text: str) -> str:
    """Case-, hyphen- and space-insensitive form used for matching."""
    # [^\W_] is str.isalnum() character for character; one findall instead of a test per character.
    return "".join(_ALNUM_RUN.findall(text.casefold()))


def is_exact(alias: str) -> bool:
    """Acronyms and short mixed-case names: matched as written."""
    letters = [c for c in alias if c.isalpha()]
    if not letters:
        return len(alias) <= 3
    core = fold(alias)
    inner_caps = any(c.isupper() for c in alias[1:] if c.isalpha())
    return len(core) <= 3 or (inner_caps and len(core) <= 6) or alias.isupper()


@dataclass
class Gazetteer:
    entries: dict[str, GazEntry] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_fold: dict[str, set[str]] = defaultdict(set)
        self._exact: dict[str, set[str]] = defaultdict(set)
        self._folded_automaton = ahocorasick.Automaton()
        self._exact_automaton = ahocorasick.Automaton()
        self._built = False

    # -- building ---------------------------------------------------------------
    def add(self, entry: GazEntry) -> None:
        self.entries[entry.id] = entry
        self._built = False

    def _index(self) -> None:
        self._by_fold.clear()
        self._exact.clear()
        for entry in self.entries.values():
            for name in _variants(entry):
                if is_exact(name):
                    self._exact[name].add(entry.id)
                else:
                    self._by_fold[fold(name)].add(entry.id)
        marks: dict[str, str] = defaultdict(str)  # the list marks a key's own names hold
        for entry in self.entries.values():
            for name in _variants(entry):
                marks[fold(name)] += "".join(c for c in _LIST_MARKS if c in name)
        for name in BLOCKERS:
            self._by_fold.setdefault(fold(name), set())
            marks[fold(name)] += "".join(c for c in _LIST_MARKS if c in name)
        self._folded_automaton = ahocorasick.Automaton()
        for key, ids in self._by_fold.items():
            self._folded_automaton.add_word(key, (len(key), tuple(sorted(ids)), frozenset(marks.get(key, ""))))
        self._exact_automaton = ahocorasick.Automaton()
        for key, ids in self._exact.items():
            self._exact_automaton.add_word(key, (len(key), tuple(sorted(ids))))
        for automaton in (self._folded_automaton, self._exact_automaton):
            if len(automaton):
                automaton.make_automaton()
        self._built = True

    # -- lookups ------------------------------------------------------------------
    def get(self, entity_id: str) -> GazEntry | None:
        return self.entries.get(entity_id)

    def lookup(self, name: str) -> tuple[str, ...]:
        """Ids whose name or alias is `name` (ambiguous names give several)."""
        if not self._built:
            self._index()
        ids = self._exact.get(name.strip()) or self._by_fold.get(fold(name)) or set()
        return tuple(sorted(ids))

    def find(self, text: str) -> list[GazMatch]:
        """Leftmost-longest matches at word boundaries, not overlapping."""
        if not self._built:
            self._index()
        candidates = list(self._folded_matches(text)) + list(self._exact_matches(text))
        candidates.sort(key=lambda m: (-(m.end - m.start), m.start))
        taken: list[GazMatch] = []
        occupied = bytearray(len(text) + 1)
        for m in candidates:
            if occupied.find(1, m.start, m.end) >= 0:
                continue
            occupied[m.start:m.end] = b"\x01" * (m.end - m.start)
            taken.append(m)
        return sorted(taken, key=lambda m: m.start)

    def _folded_matches(self, text: str) -> Iterator[GazMatch]:
        if not len(self._folded_automaton):
            return
        folded, where = _fold_with_offsets(text)
        for end, (length, ids, marks) in self._folded_automaton.iter(folded):
            start = where(end - length + 1)
            stop = where(end) + 1
            if _boundary(text, start, stop) and (stop - start == length or _whole_name(text, start, stop, marks)):
                yield GazMatch(start, stop, ids, text[start:stop])

    def _exact_matches(self, text: str) -> Iterator[GazMatch]:
        if not len(self._exact_automaton):
            return
        for end, (length, ids) in self._exact_automaton.iter(text):
            start = end - length + 1
            if _boundary(text, start, end + 1):
                yield GazMatch(start, end + 1, ids, text[start:end + 1])


def _variants(entry: GazEntry) -> Iterator[str]:
    for name in entry.names:
        yield name
        if entry.type == "Industry" and not is_exact(name):
            yield from _number_variants(name)
        if entry.type == "Ministry":
            yield from _minister_titles(name)


def _minister_titles(name: str) -> Iterable[str]:
    """'Minister of Trade, Industry and Energy', 'Trade Minister': the ministry's head as a title."""
    if name.startswith("Ministry of "):
        return ("Minister of " + name[len("Ministry of "):],)
    if name.endswith(" Ministry"):
        return (name[: -len("Ministry")] + "Minister",)
    return ()


def _number_variants(name: str) -> Iterable[str]:
    """Singular and plural of the last word: "secondary battery" <-> "secondary batteries"."""
    if name.endswith("ies"):
        return (name[:-3] + "y",)
    if name.endswith("y") and not name.endswith(("ey", "ay", "oy")):
        return (name[:-1] + "ies",)
    if name.endswith("s") and not name.endswith(("ss", "us", "is")):
        return (name[:-1],)
    if name[-1:].isalpha() and not name.endswith(("ing", "ics", "ture", "ment", "ion", "ism", "ity")):
        return (name + "s",)
    return ()


def _fold_with_offsets(text: str) -> tuple[str, Callable[[int], int]]:
    """The folded text, and a function from its offsets back to the text's.

    Offsets are kept per word run (not per character): only matches need mapping back.
    """
    parts = _SPLIT_RUNS.split(text)  # separator, word, separator, word, ..., separator
    words = parts[1::2]
    folded = "".join(words).casefold()
    runs = list(itertools.accumulate(map(len, parts)))[0::2]  # where each word starts in the text
    folded_starts = list(itertools.accumulate(map(len, words), initial=0))
    if len(folded) != folded_starts[-1]:
        return _fold_grown(runs, words)

    def where(i: int) -> int:
        k = bisect.bisect_right(folded_starts, i) - 1
        return runs[k] + i - folded_starts[k]

    return folded, where


def _fold_grown(runs: list[int], words: list[str]) -> tuple[str, Callable[[int], int]]:
    """_fold_with_offsets where casefold grew a character ("ß" -> "ss"): word by word."""
    lows = [w.casefold() for w in words]
    folded_starts = list(itertools.accumulate(map(len, lows), initial=0))

    def where(i: int) -> int:
        k = bisect.bisect_right(folded_starts, i) - 1
        word, offset = words[k], i - folded_starts[k]
        for j, ch in enumerate(word):
            offset -= len(ch.casefold())
            if offset < 0:
                return runs[k] + j
        return runs[k] + len(word) - 1

    return "".join(lows), where


def _boundary(text: str, start: int, stop: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[stop] if stop < len(text) else " "
    return not before.isalnum() and not after.isalnum()


# -- loading the data files -------------------------------------------------------
def read_tsv(path: Path | str, text: str | None = None) -> Iterator[dict[str, str]]:
    content = text if text is not None else Path(path).read_text(encoding="utf-8")
    lines = [ln for ln in content.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        yield {k.strip(): (v or "").strip() for k, v in row.items() if k}


def _split(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in cell.split("|") if x.strip())


def entry_from_row(row: dict[str, str]) -> GazEntry:
    entity_id = row["id"]
    type_ = row.get("type") or PREFIX_TYPES[entity_id.split(":", 1)[0]]
    return GazEntry(id=entity_id, type=type_, name=row["name"], aliases=_split(row.get("aliases", "")),
                    parent=row.get("parent", ""), broader=_split(row.get("broader", "")), kind=row.get("kind", ""))


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteers shipped in schema/gazetteer/ (loaded once per process)."""
    gaz = Gazetteer()
    folder = resources.files("policygraph.schema") / "gazetteer"
    for name in FILES:
        resource = folder / f"{name}.tsv"
        if not resource.is_file():
            continue
        for row in read_tsv(name, resource.read_text(encoding="utf-8")):
            gaz.add(entry_from_row(row))
    return gaz
