"""Named plans, organisations and events found by head nouns, quotes and descriptions."""
from __future__ import annotations

import pytest

from policygraph.loaders import phrases as ph
from policygraph.loaders.pipeline import find_mentions
from policygraph.schema.gazetteer import default_gazetteer


def names_in(text):
    return {(m.type, m.name) for m in find_mentions(text, default_gazetteer()).named}


@pytest.mark.parametrize("text, expected", [
    ("The ministry unveiled the 3rd Basic Plan for Hydrogen Economy Promotion on Monday.",
     ("Plan", "3rd Basic Plan for Hydrogen Economy Promotion")),
    ("Officials from the Korea Offshore Wind Power Association attended.",
     ("Organization", "Korea Offshore Wind Power Association")),
    ("He chaired the 5th Ministerial Meeting on Export Strategy.", ("Event", "5th Ministerial Meeting on Export Strategy")),
    ("The city announced the ‘Smart Port 2030 Initiative’ yesterday.", ("Plan", "Smart Port 2030 Initiative")),
    ("It follows the Chungbuk Battery Valley and the Saemangeum Green Zone.", ("Plan", "Saemangeum Green Zone")),
    ("under the so-called Busanomics agenda", ("Plan", "Busanomics")),
    ("He named the Top 5 Industries for the region.", ("Plan", "Top 5 Industries")),
    ("It belongs to the city's Busan Vision 2040 for the port.", ("Plan", "Busan Vision 2040")),
    ("The ministry expanded the Green Port Strategy 2.0 on Monday.", ("Plan", "Green Port Strategy 2.0")),
    ("The ministry released the 2026 Economic Policy Directions today.", ("Plan", "2026 Economic Policy Directions")),
])
def test_names_by_head_noun(text, expected):
    assert expected in names_in(text)


def test_a_quoted_name_takes_its_type_from_the_head_after_the_quotes():
    found = names_in('The mayor announced the "Incheon Bio Hub" project and the ‘Yellow Sea Data’ alliance. '
                     'He said "Never Again" loudly.')
    assert ("Plan", "Incheon Bio Hub") in found and ("Organization", "Yellow Sea Data") in found
    assert not any(name == "Never Again" for _, name in found)


def test_the_last_item_of_a_list_is_not_joined_to_the_next_name():
    found = names_in("Members are Ulsan, Changwon and Hanbit Robotics Corporation. The Science and Technology "
                     "Committee met.")
    assert ("Organization", "Hanbit Robotics Corporation") in found
    assert ("Organization", "Science and Technology Committee") in found
    assert not any(name.startswith("Changwon and") for _, name in found)
    found = names_in("Ulsan City and Hanbit Motor agreed. The Gangwon Forum and Daegu Robot Institute met.")
    assert ("Organization", "Hanbit Motor") in found and ("Organization", "Daegu Robot Institute") in found
    assert not any(" and " in name for _, name in found)


def test_a_serial_list_inside_a_name():
    found = names_in("They announced the 3rd Basic Plan for Materials, Parts and Equipment Industry Competitiveness. "
                     "He chaired the Meeting on Exports, Seoul officials said.")
    assert ("Plan", "3rd Basic Plan for Materials, Parts and Equipment Industry Competitiveness") in found
    assert ("Event", "Meeting on Exports") in found


def test_a_plural_possessive_stays_in_the_name():
    found = names_in("Choi presided over the Emergency Economic Ministers’ Meeting on Wednesday. "
                     "The Korea’s Best Forum is no name of this kind.")
    assert ("Event", "Emergency Economic Ministers’ Meeting") in found


def test_dates_and_sentence_words_stay_out_of_names():
    found = names_in("The governor opened the Gangwon Hydrogen Forum on May 3. Plans to grow tourism were set.")
    assert ("Event", "Gangwon Hydrogen Forum") in found
    assert not any(name.startswith("Plans") for _, name in found)


def test_a_titled_person_ends_the_name_before_them():
    """'<Ministry> Minister <name>': a ministry and its minister, not one ministry named after both."""
    found = names_in("The Ministry of Employment and Labor Minister Seo Gyu-hak met the Council for "
                     "Regional Growth Chairman Park Min-jun and Ministry of Oceans and Fisheries Vice Minister Yoon Ji-ho.")
    assert {("Ministry", "Ministry of Employment and Labor"), ("Person", "Seo Gyu-hak"),
            ("Organization", "Council for Regional Growth"), ("Person", "Park Min-jun"),
            ("Ministry", "Ministry of Oceans and Fisheries"), ("Person", "Yoon Ji-ho")} <= found
    assert not any("Minister" in name or "Chairman" in name for _, name in found)


def test_venues_block_their_words():
    found = names_in("The meeting was held at the Korea Trade Center in Seoul.")
    assert ("Country", "South Korea") not in found and ("Province", "Seoul") in found


def test_owner_inside_a_policy_number():
    found = names_in("She announced Policy No. 3 of the Future Growth Committee.")
    assert ("Plan", "Policy No. 3 of the Future Growth Committee") in found
    assert ("Organization", "Future Growth Committee") in found


@pytest.mark.parametrize("text, expected", [
    ("the city’s mid-to-long-term strategies for hydrogen industry development in Ulsan",
     "mid-to-long-term strategies for hydrogen industry development in Ulsan"),
    ("after adopting a master plan for the development of the display industry",
     "master plan for the development of the display industry"),
    ("to set up a southern Gyeonggi semiconductor belt", "southern Gyeonggi semiconductor belt"),
])
def test_descriptive_plans(text, expected):
    assert ("Plan", expected) in names_in(text)


def test_generic_plans_are_not_plans():
    found = names_in("Plans to develop bio industries were discussed. Strategies to develop the core areas of "
                     "microbiome were listed.")
    assert not [n for t, n in found if t == "Plan"]


@pytest.mark.parametrize("a, b", [
    ("Big 10 Industry Project", "Big 10 industries"), ("five super clusters", "super clusters"),
    ("Korean New Deal projects", "Korean New Deal"),
    ("5th Basic Plan for Industrial Complex Activation (Draft)", "5th Basic Plan for Industrial Cluster Activation"),
])
def test_plan_keys_meet(a, b):
    assert ph.plan_key(a) == ph.plan_key(b)


def test_plan_keys_keep_ordinals_apart():
    assert ph.plan_key("4th Basic Plan for X") != ph.plan_key("5th Basic Plan for X")


def test_aliases_defined_in_the_text():
    text = ("The Korea Future Mobility Institute (KFMI) said the '2nd Plan for Drone Industry Growth (Draft)' "
            "(hereinafter referred to as the 2nd Plan) is ready. KFMI will review the 2nd plan in May.")
    found = find_mentions(text, default_gazetteer()).named
    keys = {m.text: m.key for m in found}
    assert keys["KFMI"] == keys["Korea Future Mobility Institute"]
    plan = next(m for m in found if m.text.startswith("2nd Plan for Drone"))
    assert plan.type == "Plan" and plan.name == "2nd Plan for Drone Industry Growth"
    assert keys["2nd plan"] == plan.key


def test_apposition_makes_an_alias():
    text = "He presided over the 2nd Green Growth Meeting, which is also the 40th Ministerial Meeting on the Economy."
    found = find_mentions(text, default_gazetteer()).named
    events = {m.key for m in found if m.type == "Event"}
    assert len(events) == 1


def test_a_number_after_a_plan_that_is_no_year_stays_out():
    assert ("Plan", "Digital Strategy") in names_in("It ran the Digital Strategy 2,000 times.")


def test_a_quoted_acronym_spelt_out_before_its_head():
    found = names_in('They discussed the "SHIPS" (Shipbuilding Partnership for Industrial Strength) project.')
    assert ("Plan", "SHIPS") in found
