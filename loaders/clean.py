"""Page chrome out: keep the article, drop menus, footers and headline lists.

Scraped pages keep their chrome as text lines: menus ("main menu go"),
metadata rows ("Date 2025.01.22View 35"), comment forms, disclaimers and,
after the article, lists of unrelated headlines. Lines are classified one by
one and in runs; everything after an end-of-article marker goes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import trafilatura

from policygraph.loaders.meta import DATELINE, WIRE_DATELINE, find_date, find_source

# After one of these, nothing belongs to the article any more.
END_MARKERS = re.compile(
    r"^\s*(?:\(END\)|\(끝\)|Related (?:Posts?|Articles?|News|Stories|Content)\b|Leave a (?:Reply|Comment)\b|"
    r"Please refer to the attached\b|RSS Service\b|Share this(?: article)?\b|More (?:news|stories) from\b|"
    r"Recommended (?:for you|stories)\b|Most (?:Read|Viewed|Popular)\b|Copyright\b|©|Ⓒ|All rights reserved\b|"
    r"Previous (?:Post|article)\b|Next (?:Post|article)\b|Tags?:|Comments?\s*\(\d+\)|Sources?:\s*$)",
    re.IGNORECASE)

CHROME_LINE = re.compile(
    r"^\s*(?:shortcut menu|skip to (?:main )?content|skip navigation|the body go|main menu(?: go)?|"
    r"(?:main |global )?navigation|menu|close|open|search|home|login|log in|sign in|sign up|subscribe|"
    r"unsubscribe|you[’']re now (?:un)?subscribed\.?|print|e-?mail|share|tweet|facebook|twitter|kakao(?:talk)?|"
    r"font size|list|top|back to top|go to top|press releases?|news(?:room)?|photo news|"
    r"your email address will not be published\..*|required fields are marked.*|"
    r"(?:comment|name|email|website)\s*\*?|related posts?|leave a (?:reply|comment)|post comment|submit|attachments?|download|"
    r"all news articles shared on our website.*|reproducing, copying,? or redistributing.*|"
    r".*without prior consent.*|.*intellectual property of their original publishers.*|"
    r"-+|[•·▶►◆■□○●]\s*)\s*$",
    re.IGNORECASE)

# "DivisionPolicy Coordination Bureau", "Tel0442154510", "Createdd 2021-10-07 Hit 201".
META_LINE = re.compile(
    r"^\s*[•·]?\s*(?:division|department|date|tel|fax|contact|writer|author|reporter|hits?|views?|"
    r"created+|updated|posted|registered|source|e-?mail)\s*[:\s]?\S.*$|"
    r"^\s*(?:published|modified|edited|input|last updated)\s*[:\s]?\s*\d.*$|"
    # A byline ("By Kim Hyun-woo", "By Kim Hyun-woo, staff reporter") is the outlet's, not the story's.
    r"^\s*by\s+(?-i:[A-Z][a-z]+(?:[ -][A-Z]?[a-z]+){1,3})(?:\s*,\s*[\w ]{1,40})?\s*$|"
    # A breadcrumb: "Home > News > Economy".
    r"^\s*[\w&' ]{1,30}(?:\s+[>›»]\s+[\w&' ]{1,30}){1,5}\s*$|"
    r"^\s*\S*\s*(?:\d{4}[-./]\d{1,2}[-./]\d{1,2})\s*(?:hits?|views?)\s*\d+\s*$|"
    r".*(?:hits?|views?)\s*\d+\s*$",
    re.IGNORECASE)
EMAIL_OR_URL = re.compile(r"^\s*(?:\S+@\S+\.\w+|https?://\S+|www\.\S+)\s*$")
# A photo credit left at the end of a caption: "... on the 11th. Parliamentary photojournalists".
CREDIT = re.compile(
    r"(?<=[.)])\s+((?:[A-Z][\w.&'-]*\s+){0,4}(?:photojournalists?|photographers?|[Pp]hoto(?:s|graph)?|"
    r"[Rr]eporters?|[Pp]ool|[Yy]onhap|[Nn]ews1|[Nn]ewsis|(?:AFP|AP|EPA|Reuters)(?:\s+photo)?)"
    r"(?:\s*/\s*[\w .]+)?)\s*$")
# "SEOUL, Jan. 12 (Yonhap) -- ": metadata, not the first words of the story.
DATELINE_PREFIX = re.compile(DATELINE.pattern + r"\s*(?:--|—|–)\s*", re.MULTILINE)
CAPTION_HINT = re.compile(r"\b(?:poses?|attends?|speaks?|announces?|delivers?|shakes?|looks on|listens?)\b")


@dataclass(slots=True)
class CleanText:
    text: str
    title: str = ""
    date: str = ""
    source: str = ""
    captions: list[str] = field(default_factory=list)
    removed: int = 0  # lines dropped as chrome


def clean_html(html: str) -> CleanText:
    """The main text of an HTML page (trafilatura), then the same line rules as text."""
    result = trafilatura.bare_extraction(html, include_comments=False, include_tables=True,
                                         with_metadata=True, favor_precision=True)
    if result is None:
        return CleanText(text="")
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    body = data.get("text") or ""
    title = (data.get("title") or "").strip()
    cleaned = clean_text(f"{title}\n\n{body}" if title and not body.startswith(title) else body)
    cleaned.date = cleaned.date or _iso(data.get("date"))
    cleaned.source = cleaned.source or (data.get("sitename") or "")
    return cleaned


def clean_text(raw: str) -> CleanText:
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header = "\n".join(lines[:15])
    date, source = find_date(header) or find_date(raw[:3000]) or "", find_source(raw)
    kept: list[str] = []
    removed = 0
    for line in _drop_headline_runs(lines):
        if line is None:
            removed += 1
            continue
        stripped = line.strip()
        if END_MARKERS.match(stripped) and _looks_ended(kept):
            removed += 1
            break
        if stripped and (CHROME_LINE.match(stripped) or EMAIL_OR_URL.match(stripped)
                         or (len(stripped) <= 80 and META_LINE.match(stripped))):
            removed += 1
            continue
        kept.append(line.rstrip())
    captions = []
    for i, line in enumerate(kept):
        credit = CREDIT.search(line)
        if credit and (i <= 4 or CAPTION_HINT.search(line)):
            kept[i] = line[: credit.start(1)].rstrip()
            captions.append(kept[i].strip())
    text = "\n".join(kept)
    text = DATELINE_PREFIX.sub("", text, count=1)
    wire = WIRE_DATELINE.search(text, 0, 2000)
    text = _squeeze(text[:wire.start()] + text[wire.end():] if wire else text)
    title = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
    return CleanText(text=text, title=title, date=date, source=source, captions=captions, removed=removed)


def _looks_ended(kept: list[str]) -> bool:
    # An end marker before any sentence of text is a menu item, not the end.
    return any(len(k.strip()) >= 40 and k.rstrip().endswith((".", "”", '"', "’")) for k in kept)


def _drop_headline_runs(lines: list[str]) -> list[str | None]:
    """Blank out runs of headline-like lines separated by "-" (lists of other articles)."""
    out: list[str | None] = list(lines)
    i = 0
    while i < len(lines):
        j, items = i, 0
        while j + 1 < len(lines) and lines[j].strip() in ("-", "—", "·", "•") and _headline(lines[j + 1]):
            items += 1
            j += 2
        if items >= 3:
            for k in range(i, j):
                out[k] = None
            i = j
        else:
            i += 1
    return out


def _headline(line: str) -> bool:
    s = line.strip()
    return 0 < len(s) <= 160 and not s.endswith((".", "?", "!", ":", "”", '"')) or s.startswith("(")


def _squeeze(text: str) -> str:
    text = re.sub(r"[ \t\u00a0]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _iso(value: object) -> str:
    text = str(value or "")
    return text[:10] if re.match(r"\d{4}-\d{2}-\d{2}", text) else ""
