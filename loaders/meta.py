"""Document metadata stated on the page: publication date and source outlet."""
from __future__ import annotations

import re
from datetime import date

from dateutil import parser as dateparser

MONTHS = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
# Scraped metadata rows glue label and value: "DateSeptember 21, 2020", "2025.01.22View 35".
GLUED = re.compile(r"(?<=[a-z])(?=[A-Z0-9])|(?<=\d)(?=[A-Za-z])")
# The lookaheads on first characters only pass over places no date can start, faster.
NUMERIC_DATE = re.compile(r"(?=[12])(?<!\d)((?:19|20)\d\d)[-./](\d{1,2})[-./](\d{1,2})(?!\d)")  # 2021-10-07, 2025.01.22
DATE_PATTERNS = (
    NUMERIC_DATE,
    re.compile(rf"(?=[ADFJMNOS])\b({MONTHS}\s+\d{{1,2}},?\s+(?:19|20)\d\d)\b"),  # September 21, 2020
    re.compile(rf"(?=\d)\b(\d{{1,2}}\s+{MONTHS}\s+(?:19|20)\d\d)\b"),  # 21 September 2020
)
# "SEOUL, Jan. 12 (Yonhap) --", "Sejong, March 4 (Yonhap) --": a dateline without a year.
DATELINE = re.compile(rf"^[A-Z][A-Za-z .'-]{{1,30}},\s+({MONTHS})\s+(\d{{1,2}})\s*\(([^)]+)\)", re.MULTILINE)
# The Korean wire services' dateline, kept in translation: "(Chuncheon = News1) Reporter Park Ji-hoon =".
WIRE_DATELINE = re.compile(r"^[ \t]*\(\s*[A-Z][A-Za-z .'-]{1,30}?\s*=\s*([A-Za-z][\w .'-]{0,30}?)\s*\)[ \t]*"
                           r"(?:(?:(?:Staff\s+)?(?:Reporters?|Correspondents?|Journalists?)\s+)?"
                           r"[A-Z][\w'-]*(?:[ \t]+[A-Z][\w'-]*){0,3}(?:\s*,\s*[A-Z][\w'-]*(?:[ \t]+[A-Z][\w'-]*){0,3})*"
                           r"[ \t]*=[ \t]*)?", re.MULTILINE)

OUTLETS = {
    "yna.co.kr": "Yonhap", "yonhap": "Yonhap", "koreaherald.com": "The Korea Herald",
    "koreatimes.co.kr": "The Korea Times", "korea.kr": "Korea.net", "joongang.co.kr": "Korea JoongAng Daily",
    "hani.co.kr": "The Hankyoreh", "chosun.com": "The Chosun Ilbo", "donga.com": "The Dong-A Ilbo",
    "businesskorea.co.kr": "BusinessKorea", "pulsenews.co.kr": "Pulse", "newsis": "Newsis", "news1": "News1",
}

# An address at an outlet's domain: "reporter@yna.co.kr", "https://www.koreaherald.com/...".
_DOMAINS = "|".join(re.escape(key) for key in sorted((k for k in OUTLETS if "." in k), key=len, reverse=True))
_OUTLET_ADDRESS = re.compile(rf"@({_DOMAINS})\b|//(?:www\.)?({_DOMAINS})")


def find_date(text: str) -> str | None:
    """The first full date the text states, as YYYY-MM-DD; a yearless dateline as --MM-DD."""
    best: tuple[int, str] | None = None
    text = "\n".join(GLUED.sub(" ", line) if len(line) < 80 else line for line in text.split("\n"))
    for pattern in DATE_PATTERNS:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            iso = _numeric(m) if pattern is NUMERIC_DATE else _parse(m.group(0))
            if iso:
                best = (m.start(), iso)
    if best:
        return best[1]
    m = DATELINE.search(text)
    if m:
        parsed = _parse(f"{m.group(1)} {m.group(2)} 2000")
        return f"--{parsed[5:]}" if parsed else None
    return None


def _numeric(m: re.Match) -> str | None:
    """Year, month, day in this order: no parser needed (dateutil reads them so as well)."""
    try:
        return _plausible(date(int(m[1]), int(m[2]), int(m[3])))
    except ValueError:
        return None


def _parse(text: str) -> str | None:
    try:
        value = dateparser.parse(text.replace(".", "-") if re.match(r"\d{4}\.", text) else text,
                                 default=None, fuzzy=False)
    except (ValueError, OverflowError):
        return None
    return _plausible(value.date()) if value else None


def _plausible(value: date) -> str | None:
    return value.isoformat() if 1900 <= value.year <= date.today().year + 1 else None


def find_source(text: str) -> str:
    m = DATELINE.search(text)
    if m:
        return OUTLETS.get(m.group(3).strip().lower(), m.group(3).strip())
    wire = WIRE_DATELINE.search(text)
    if wire:
        return OUTLETS.get(wire.group(1).strip().lower(), wire.group(1).strip())
    # Of the outlets the text names, the first in OUTLETS: one pass over the text for all of them.
    named = {m.group(1) or m.group(2) for m in _OUTLET_ADDRESS.finditer(text.lower())}
    return next((outlet for key, outlet in OUTLETS.items() if key in named), "")
