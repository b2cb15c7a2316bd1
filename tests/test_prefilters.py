"""A lookahead that only makes a pattern faster (passing over words that cannot start a match)
must not change what it finds: each is checked against the pattern without it."""
import re

import pytest

from policygraph.loaders.coref import SURNAME_REF
from policygraph.loaders.mentions import TITLED_NAME, TITLES
from policygraph.loaders.relations import (
    DEVELOPS, DISCUSSION, INSTRUMENT, NEGATED, NOMINAL, PASSIVE, SHIFT, SUPPORT_VERB,
)

LOOKAHEAD = re.compile(r"^\\b\(\?=(?:\(\?i:\[[^\]]+\]\)\|?|\[[^\]]+\]\|?)+\)")

# Every title in every case, with a name after it, and verbs in their forms.
PROBE = " ".join(f"{t} Kim Dong-yeon, {t.upper()} Lee said; {t.title()}'s" for t in TITLES) + (
    " The ministry fosters, nurtured, supports, promoted, developed, invests, backed, pushed for, builds, built,"
    " established, created, expands, strengthened, boosted, pledged, vowed, promised, announced, unveiled,"
    " launched, adopted, pursued, stepped up, funded, prioritised, focused on, designated, selected, prepared,"
    " drafted, formulated, devised, implemented, introduced, spurred, accelerated, revitalized, cultivated,"
    " diversified, shifted, helped, ushered, secured. ſecretary Park, \u212aim,"
    " moved from, transitions from, switched from, converted from, through, using, with, via, by means of,"
    " discussed, agenda, topic of, topics of, looked into, reviewed, deliberated, on the table, grows,"
    " strategy, is promoted, are chosen, was built, were backed, be funded, been created, being launched,"
    " establishment of, support for, investment in, investments related to, promotion of, concrete promise"
    " of, key promise of, creation of, fostering of, nurturing of, not, never, no longer, don't, opposed,"
    " against, scrapped, abolished, cancelled, refused to, rejected, not in favor of, ſhifted from,"
    " \u212aey promise of")
PATTERNS = {"titled": TITLED_NAME, "surname": SURNAME_REF, "verb": SUPPORT_VERB, "shift": SHIFT,
            "instrument": INSTRUMENT, "discussion": DISCUSSION, "develops": DEVELOPS, "passive": PASSIVE,
            "nominal": NOMINAL, "negated": NEGATED}


@pytest.mark.parametrize("pattern", PATTERNS.values(), ids=PATTERNS.keys())
def test_the_lookahead_changes_nothing_found(pattern, seeds):
    plain = re.compile(LOOKAHEAD.sub(r"\\b", pattern.pattern), pattern.flags)
    assert plain.pattern != pattern.pattern, "the pattern has no lookahead to check"
    # each phrase alone as well, followed by a word: some patterns must end where the text ends
    phrases = [f"{phrase} word " for phrase in PROBE.split(", ")]
    texts = [PROBE, *phrases, *(p.read_text(encoding="utf-8") for p in sorted(seeds.iterdir()))]
    for text in texts:
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert any(pattern.search(text) for text in [PROBE, *phrases]), "the probe does not exercise the pattern"
