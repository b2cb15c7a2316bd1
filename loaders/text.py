"""Paragraphs and sentences with character offsets into the document text."""
from __future__ import annotations

import re
from collections.abc import Iterator

from policygraph.schema.model import Sentence

# Abbreviations after which a period does not end a sentence.
ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gov rep sen st no nos vs etc inc corp co ltd jr sr gen lt col maj capt sgt
jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e approx dept univ assn est fig
n s e w n.k s.k
""".split())
_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+|$)")
_NEXT_START = re.compile(r"\s+[\"“‘'(\[]*[A-Z0-9▲○•\-–]")
_WORD_AT_STOP = re.compile(r"([A-Za-z.]+)\.$")
_INITIAL_AT_STOP = re.compile(r"(?:^|\s)[A-Z]\.$")


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-blank line: scraped pages put one paragraph per line."""
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped[0])
            yield start, start + len(stripped)
        pos += len(line) + 1


MAX_SENTENCE = 1500  # characters; longer runs (tables, lists without stops) are cut at spaces


def sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    for p_start, p_end in paragraphs(text):
        for sent in _split(text, p_start, p_end):
            out.extend(_cap(text, sent))
    return out


def _cap(text: str, sent: Sentence) -> Iterator[Sentence]:
    """Rules compare the mentions of a sentence pairwise: keep sentences to a bounded length."""
    start = sent.start
    while sent.end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        yield Sentence(start, cut, text[start:cut])
        start = cut + 1 if text[cut:cut + 1] == " " else cut
    if start < sent.end:
        yield Sentence(start, sent.end, text[start:sent.end])


def _abbreviated(chunk: str, last: int, dot: int) -> bool:
    """The full stop at `dot` ends an abbreviation ("Dr.") or an initial ("Kim J. said")."""
    # Only the last 40 characters: no abbreviation is that long, and a search
    # over the whole sentence at each full stop is quadratic in a long one.
    word = _WORD_AT_STOP.search(chunk, max(last, dot - 40), dot + 1)
    if word and word.group(1).casefold().rstrip(".") in ABBREVIATIONS:
        return True
    return bool(_INITIAL_AT_STOP.search(chunk[max(0, dot - 40):dot + 1]))


def _split(text: str, start: int, end: int) -> Iterator[Sentence]:
    chunk = text[start:end]
    last = 0
    for m in _END.finditer(chunk):
        stop = m.end()
        if not _NEXT_START.match(chunk, stop) and stop < len(chunk):
            continue
        if m.group(0).startswith(".") and _abbreviated(chunk, last, m.start()):
            continue
        piece = chunk[last:stop].strip()
        if piece:
            s = start + last + (len(chunk[last:stop]) - len(chunk[last:stop].lstrip()))
            yield Sentence(s, s + len(piece), piece)
        last = stop
    piece = chunk[last:].strip()
    if piece:
        s = start + last + (len(chunk[last:]) - len(chunk[last:].lstrip()))
        yield Sentence(s, s + len(piece), piece)
