"""The gazetteer files and the matcher: data integrity, tolerance, precision."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policygraph.schema.gazetteer import BLOCKERS, GazEntry, Gazetteer, _fold_with_offsets, default_gazetteer
from policygraph.schema.model import PREFIX_TYPES


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


def test_ids_are_typed_slugs_and_links_resolve(gaz):
    assert len(gaz.entries) > 700
    for entry in gaz.entries.values():
        prefix, slug = entry.id.split(":", 1)
        assert PREFIX_TYPES[prefix] == entry.type
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug), entry.id
        for link in (entry.parent, *entry.broader):
            assert not link or link in gaz.entries, f"{entry.id} links to unknown {link}"
        if entry.type == "City":
            assert gaz.get(entry.parent).type == "Province", entry.id


def test_all_seventeen_first_level_divisions(gaz):
    provinces = [e for e in gaz.entries.values() if e.type == "Province"]
    assert len(provinces) == 17
    assert len([e for e in gaz.entries.values() if e.type == "City"]) >= 226


@pytest.mark.parametrize("surface", ["bio-health", "biohealth", "Bio Health", "bio-healthcare"])
def test_case_hyphen_and_spacing_tolerant(gaz, surface):
    found = gaz.find(f"The ministry backs {surface} firms.")
    assert [m.ids for m in found] == [("industry:bio-health",)]


@pytest.mark.parametrize("text, expected", [
    ("secondary battery makers", "industry:secondary-batteries"),
    ("rechargeable batteries", "industry:secondary-batteries"),
    ("the sobujang sector", "industry:materials-parts-equipment"),
    ("MOTIE said", "ministry:motie"),
    ("Gyeonggi-do officials", "province:gyeonggi"),
    ("in Suwon-si", "city:suwon"),
])
def test_synonyms_resolve_to_one_entry(gaz, text, expected):
    assert expected in [i for m in gaz.find(text) for i in m.ids]


def test_acronyms_are_case_sensitive(gaz):
    assert gaz.find("Tell us about the plan") == []
    assert [m.ids for m in gaz.find("talks with the U.S. on chips")][0] == ("country:united-states",)
    assert not any("industry:artificial-intelligence" in m.ids for m in gaz.find("the ai of it"))


def test_longest_match_wins_and_blockers_take_their_span(gaz):
    found = gaz.find("a study of the Seoul Metropolitan Area and memory semiconductors")
    texts = [m.text for m in found]
    assert "Seoul" not in texts and "memory semiconductors" in texts
    assert any(m.ids == () for m in found)  # the blocker


def test_ambiguous_names_list_every_candidate(gaz):
    ids = gaz.lookup("Jung-gu")
    assert len(ids) >= 5 and all(i.startswith("city:jung-gu") for i in ids)


def test_minister_titles_point_to_their_ministry(gaz):
    found = gaz.find("Minister of Trade, Industry and Energy Ahn Duk-geun spoke")
    assert found[0].ids == ("ministry:motie",) and found[0].text.startswith("Minister of")


def test_words_only_match_at_boundaries():
    gaz = Gazetteer()
    gaz.add(GazEntry("industry:ai", "Industry", "artificial intelligence", ("AI",)))
    gaz.add(GazEntry("city:asan", "City", "Asan"))
    assert gaz.find("Asanga and AIR") == []
    assert [m.text for m in gaz.find("Asan backs AI.")] == ["Asan", "AI"]


def test_a_name_does_not_run_across_quotes_brackets_or_clauses():
    gaz = Gazetteer()
    gaz.add(GazEntry("plan:green-port", "Plan", "Green Port", ("Green Port initiative",)))
    gaz.add(GazEntry("org:peoples-party", "Organization", "People's Party"))
    for text in ('the "Green Port" initiative', "the ‘Green Port’ initiative", "the 'Green Port' initiative",
                 "Green Port (draft) initiative", "Green Port; initiative"):
        assert [m.text for m in gaz.find(text)] == ["Green Port"], text
    assert [m.text for m in gaz.find("the Green Port initiative")] == ["Green Port initiative"]
    assert [m.text for m in gaz.find("the People’s Party said")] == ["People’s Party"]  # an apostrophe, not a quote


def test_a_comma_or_full_stop_is_inside_a_name_only_when_the_name_has_one():
    gaz = Gazetteer()
    gaz.add(GazEntry("industry:hydrogen-fuel-cells", "Industry", "hydrogen fuel cells"))
    gaz.add(GazEntry("industry:hydrogen", "Industry", "hydrogen"))
    gaz.add(GazEntry("industry:fuel-cells", "Industry", "fuel cells"))
    gaz.add(GazEntry("industry:mpe", "Industry", "materials, parts and equipment"))
    assert [m.text for m in gaz.find("hydrogen, fuel cells and robots")] == ["hydrogen", "fuel cells"]
    assert [m.text for m in gaz.find("It grows hydrogen. Fuel cells too")] == ["hydrogen", "Fuel cells"]
    assert [m.text for m in gaz.find("hydrogen fuel cells")] == ["hydrogen fuel cells"]
    assert [m.text for m in gaz.find("Materials, Parts, and Equipment")] == ["Materials, Parts, and Equipment"]


def test_blocker_list_is_not_empty():
    assert "Seoul Metropolitan Area" in BLOCKERS


def _reference_fold(text: str) -> tuple[str, list[int]]:
    """Folded text and, per folded character, the offset of the text character it comes from."""
    folded, origin = [], []
    for i, ch in enumerate(text):
        if ch.isalnum():
            low = ch.casefold()
            folded.append(low)
            origin.extend([i] * len(low))
    return "".join(folded), origin


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ9 -_.,ßẞİıΣσς한국ﬁŉǰ२\n"), max_size=40) | st.text(max_size=40))
def test_folded_offsets_lead_back_to_the_character_they_came_from(text):
    folded, where = _fold_with_offsets(text)
    expected, origin = _reference_fold(text)
    assert folded == expected
    assert [where(i) for i in range(len(folded))] == origin
