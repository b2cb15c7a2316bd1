"""A lookahead that only makes a pattern faster (passing over words that cannot start a match)
must not change what it finds: each is checked against the pattern without it."""
import re

import pytest

from policygraph.loaders.coref import SURNAME_REF
from policygraph.loaders.mentions import TITLED_NAME, TITLES
from policygraph.loaders.relations import SUPPORT_VERB

LOOKAHEAD = re.compile(r"^\\b\(\?=(?:\(\?i:\[[^\]]+\]\)\|?|\[[^\]]+\]\|?)+\)")

# Every title in every case, with a name after it, and verbs in their forms.
PROBE = " ".join(f"{t} Kim Dong-yeon, {t.upper()} Lee said; {t.title()}'s" for t in TITLES) + (
    " The ministry fosters, nurtured, supports, promoted, developed, invests, backed, pushed for, builds, built,"
    " established, created, expands, strengthened, boosted, pledged, vowed, promised, announced, unveiled,"
    " launched, adopted, pursued, stepped up, funded, prioritised, focused on, designated, selected, prepared,"
    " drafted, formulated, devised, implemented, introduced, spurred, accelerated, revitalized, cultivated,"
    " diversified, shifted, helped, ushered, secured. ſecretary Park, \u212aim")


@pytest.mark.parametrize("pattern", [TITLED_NAME, SURNAME_REF, SUPPORT_VERB], ids=["titled", "surname", "verb"])
def test_the_lookahead_changes_nothing_found(pattern, seeds):
    plain = re.compile(LOOKAHEAD.sub(r"\\b", pattern.pattern), pattern.flags)
    assert plain.pattern != pattern.pattern, "the pattern has no lookahead to check"
    texts = [PROBE, *(p.read_text(encoding="utf-8") for p in sorted(seeds.iterdir()))]
    for text in texts:
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert pattern.search(PROBE)
