"""Relation rules, each on short sentences written for the test."""
from __future__ import annotations

import pytest

from policygraph.loaders.pipeline import extract
from policygraph.loaders.read import RawDocument
from policygraph.loaders.resolve import Resolver


def triples(text, tmp_path=None):
    from pathlib import Path

    graph = Resolver().resolve(extract(RawDocument(Path("t.txt"), "t", text, "h", False)))
    names = {e.id: e.name for e in graph.entities}
    return {(names[r.head], r.type, names[r.tail]) for r in graph.relations}, graph


def test_titles_between_place_and_person():
    found, graph = triples("Suwon City Mayor Yeom Tae-yeong and Gyeonggi Province Governor Kim Dong-yeon met "
                           "Hyundai Motor Vice President Lee Jin-soo.")
    assert ("Yeom Tae-yeong", "LEADS", "Suwon") in found
    assert ("Kim Dong-yeon", "LEADS", "Gyeonggi Province") in found
    assert ("Lee Jin-soo", "BELONGS_TO", "Hyundai Motor") in found
    roles = {e.name: e.roles for e in graph.entities if e.type == "Person"}
    assert roles["Yeom Tae-yeong"] == ["Mayor"] and roles["Lee Jin-soo"] == ["Vice President"]


def test_title_name_of_and_presiding():
    found, _ = triples("Professor Kim Min-ji of KAIST spoke. Prime Minister Han Duck-soo presided over the "
                       "4th Ministerial Meeting on Industrial Competitiveness.")
    assert ("Kim Min-ji", "BELONGS_TO", "KAIST") in found
    assert ("Han Duck-soo", "LEADS", "4th Ministerial Meeting on Industrial Competitiveness") in found


def test_a_ministers_title_is_no_alias_of_the_ministry():
    _, graph = triples("Minister of SMEs and Startups Oh Young-ju visited. The Ministry of SMEs and Startups (MSS) "
                       "will help.")
    ministry = next(e for e in graph.entities if e.type == "Ministry")
    assert not any("Minister " in a for a in ministry.aliases) and "MSS" in ministry.aliases


def test_ministry_with_its_minister_in_parentheses():
    found, _ = triples("The Ministry of SMEs and Startups (Minister Oh Young-ju) announced support.")
    assert any(t[1] == "LEADS" and t[0] == "Oh Young-ju" for t in found)


def test_agent_fosters_each_listed_industry():
    found, _ = triples("Governor Kim Young-hwan of North Chungcheong Province pledged to foster the bio-health, "
                       "secondary battery and semiconductor industries.")
    for industry in ("bio-health", "secondary batteries", "semiconductors"):
        assert ("Kim Young-hwan", "SUPPORTS", industry) in found


def test_means_and_from_lists_are_not_supported():
    found, _ = triples("Mayor Park Hyung-joon of Busan said he will shift the economy from shipbuilding to "
                       "hydrogen, and expand smart factories through robots.")
    assert ("Park Hyung-joon", "SUPPORTS", "hydrogen") in found
    assert ("Park Hyung-joon", "SUPPORTS", "smart factories") in found
    assert ("Park Hyung-joon", "SUPPORTS", "shipbuilding") not in found
    assert ("Park Hyung-joon", "SUPPORTS", "robots") not in found


def test_negation_blocks_support():
    found, _ = triples("Ulsan Mayor Kim Doo-gyeom said he will not support nuclear power.")
    assert not any(t[1] == "SUPPORTS" for t in found)


@pytest.mark.parametrize("text", [
    "Jeonnam Governor Kim Young-rok was not in favor of expanding the nuclear power industry.",
    "Jeonnam Governor Kim Young-rok refused to back the nuclear power industry.",
])
def test_refusal_blocks_support(text):
    found, _ = triples(text)
    assert not any(t[1] == "SUPPORTS" for t in found)


def test_a_body_led_by_its_head():
    found, _ = triples("The Korea Battery Industry Association, led by chairman Choi Jae-won, welcomed it. "
                       "The Daegu Robot Alliance is headed by Kim Min-soo. The Gangwon Data Council will be "
                       "chaired by Park Ji-won.")
    assert ("Choi Jae-won", "LEADS", "Korea Battery Industry Association") in found
    assert ("Kim Min-soo", "LEADS", "Daegu Robot Alliance") in found
    assert ("Park Ji-won", "LEADS", "Gangwon Data Council") in found


def test_quotes_belong_to_their_speaker():
    found, _ = triples("Busan Mayor Park Hyung-joon spoke. “We will build the Busan Hydrogen Valley and foster "
                       "fuel cells,” Park said.")
    assert ("Park Hyung-joon", "SUPPORTS", "Busan Hydrogen Valley") in found
    assert ("Busan Hydrogen Valley", "TARGETS", "Busan") in found


def test_plan_for_industries_and_under_the_plan():
    found, _ = triples("The ministry unveiled the K-Bio Strategy. Under the plan, the government will create "
                       "‘three bio clusters’ for vaccines, medical devices and biopharmaceuticals.")
    assert ("three bio clusters", "BELONGS_TO", "K-Bio Strategy") in found
    assert ("three bio clusters", "TARGETS", "medical devices") in found
    assert ("K-Bio Strategy", "TARGETS", "medical devices") in found


def test_places_a_plan_designates_in_its_list():
    found, _ = triples("The ministry announced the 2nd Basic Plan for Robot Industry Growth.\n"
                       "The plan includes the following:\n"
                       "- Designating Gwangju and Gumi as robot industry clusters\n"
                       "- Holding a forum in Seoul\n")
    assert ("2nd Basic Plan for Robot Industry Growth", "TARGETS", "Gwangju") in found
    assert ("2nd Basic Plan for Robot Industry Growth", "TARGETS", "Gumi") in found
    assert not any(t[2] == "Seoul" for t in found)


def test_city_in_province_and_region_lists():
    found, _ = triples("The event was held in Changwon, South Gyeongsang Province. The three North Chungcheong "
                       "cities: Cheongju, Chungju and Jecheon, joined.")
    assert ("Changwon", "BELONGS_TO", "South Gyeongsang Province") in found
    for city in ("Cheongju", "Chungju", "Jecheon"):
        assert (city, "BELONGS_TO", "North Chungcheong Province") in found


def test_membership_list():
    found, _ = triples("The Southern Coast Alliance is made up of Yeosu, Suncheon and Gwangyang.")
    for city in ("Yeosu", "Suncheon", "Gwangyang"):
        assert (city, "BELONGS_TO", "Southern Coast Alliance") in found


def test_a_collective_includes_its_members_a_company_does_not():
    found, _ = triples("The Yellow Sea Hydrogen Council includes Dangjin, Seosan and POSCO Holdings. "
                       "Hanwha Solutions includes a plant in Jincheon.")
    for member in ("Dangjin", "Seosan", "POSCO Holdings"):
        assert (member, "BELONGS_TO", "Yellow Sea Hydrogen Council") in found
    assert not any(t[0] == "Jincheon" for t in found)


def test_a_plan_or_body_aimed_at_places_targets_them():
    found, _ = triples("The 4th Regional Balance Plan targets North Jeolla Province and Gunsan, said an official. "
                       "The East Coast Alliance focuses on Pohang and Ulsan; it met in Seoul.")
    assert ("4th Regional Balance Plan", "TARGETS", "North Jeolla Province") in found
    assert ("4th Regional Balance Plan", "TARGETS", "Gunsan") in found
    assert ("East Coast Alliance", "TARGETS", "Pohang") in found and ("East Coast Alliance", "TARGETS", "Ulsan") in found
    assert not any(t[2] == "Seoul" for t in found)  # after the clause


def test_those_who_joined_a_body_belong_to_it():
    found, _ = triples("Hwaseong-si, Pyeongtaek-si and Anseong-si also joined the Gyeonggi Chip Alliance. "
                       "Officials in Suwon praised the Gyeonggi Chip Alliance.")
    for city in ("Hwaseong", "Pyeongtaek", "Anseong"):
        assert (city, "BELONGS_TO", "Gyeonggi Chip Alliance") in found
    assert not any(t[0] == "Suwon" for t in found)


def test_a_plan_that_is_part_of_a_national_plan():
    found, _ = triples("The Chungbuk Bio Valley Plan, which is part of the national K-Bio Vision, starts in May.")
    assert ("Chungbuk Bio Valley Plan", "BELONGS_TO", "K-Bio Vision") in found


def test_components_and_legal_basis():
    found, _ = triples("The Saemangeum Battery Zone, which is the core of the Jeonbuk Battery Belt, opened. "
                       "The 2nd Basic Plan for Regional Industry is a statutory plan (Article 5 of the "
                       "Regional Industry Act).")
    assert ("Saemangeum Battery Zone", "BELONGS_TO", "Jeonbuk Battery Belt") in found
    assert ("2nd Basic Plan for Regional Industry", "BELONGS_TO", "Regional Industry Act") in found


def test_definition_sentence_targets():
    found, _ = triples("The Gangwon Hydrogen Valley is a cluster that produces green hydrogen and fuel cells.")
    assert ("Gangwon Hydrogen Valley", "TARGETS", "hydrogen fuel cells") in found


def test_every_relation_keeps_its_evidence():
    _, graph = triples("Gyeonggi Province Governor Kim Dong-yeon pledged to foster semiconductors.")
    for rel in graph.relations:
        ev = rel.evidence[0]
        assert ev.sentence in graph.document.text and ev.rule and 0 < ev.confidence <= 1
        assert graph.document.text[ev.start:ev.end] == ev.sentence


@pytest.mark.parametrize("text", [
    "Samsung Electronics and SK hynix reported profits.",
    "The weather was cold in Seoul on Monday.",
])
def test_no_relation_without_a_statement(text):
    found, _ = triples(text)
    assert not found


def test_coordinated_agents_each_support():
    found, _ = triples("North Gyeongsang Province and Pohang City signed an agreement with POSCO to develop the "
                       "secondary battery industry.")
    assert ("North Gyeongsang Province", "SUPPORTS", "secondary batteries") in found
    assert ("Pohang", "SUPPORTS", "secondary batteries") in found


def test_coordinated_titled_people_each_support_not_their_places():
    found, _ = triples("Daegu Mayor Hong Joon-pyo, Gumi Mayor Kim Jang-ho and North Gyeongsang Province Governor "
                       "Lee Cheol-woo agreed to foster the robot industry.")
    for person in ("Hong Joon-pyo", "Kim Jang-ho", "Lee Cheol-woo"):
        assert (person, "SUPPORTS", "robots") in found
    assert not any(t[0] in ("Gumi", "North Gyeongsang Province") and t[1] == "SUPPORTS" for t in found)


def test_shared_head_noun_lists():
    found, graph = triples("President Yoon Suk Yeol vowed to support the defense and nuclear power industries.")
    assert {e.name for e in graph.entities if e.type == "Industry"} == {"defense industry", "nuclear power"}
    assert ("Yoon Suk-yeol", "SUPPORTS", "defense industry") in found


def test_affiliate_apposition():
    found, _ = triples("The Korea Semiconductor Industry Association, an affiliate of MOTIE, welcomed the plan.")
    assert any(t[0] == "Korea Semiconductor Industry Association" and t[1] == "BELONGS_TO" for t in found)


def test_an_unnamed_plan_is_not_a_plan():
    _, graph = triples("Seoul Mayor Oh Se-hoon unveiled a plan to nurture the bio industry in Hongneung.")
    assert not [e for e in graph.entities if e.type == "Plan"]


@pytest.mark.parametrize("text, person, body", [
    ("Jeonbuk launched the Hydrogen Valley Council, which is chaired by Vice Governor Kim Jong-hoon.",
     "Kim Jong-hoon", "Hydrogen Valley Council"),
    ("Three cities formed the Southeast Shipbuilding Alliance. The alliance will be headed by Geoje Mayor "
     "Byun Kwang-yong for two years.", "Byun Kwang-yong", "Southeast Shipbuilding Alliance"),
])
def test_whoever_chairs_a_body_leads_it_whatever_the_title(text, person, body):
    found, graph = triples(text)
    assert (person, "LEADS", body) in found
    if "Vice Governor" in text:
        assert next(e for e in graph.entities if e.name == person).roles == ["Vice Governor"]


@pytest.mark.parametrize("text, triple", [
    pytest.param('Minister of Trade, Industry and Energy Ahn Duk-geun unveiled the "Robot Leap Strategy" in Seoul.',
                 ("Ahn Duk-geun", "SUPPORTS", "Robot Leap Strategy"), id="a minister of a ministry with 'and' in it"),
    pytest.param("Deputy Prime Minister and Minister of Economy and Finance Choi Sang-mok chaired the meeting and "
                 "announced measures to support the display industry.",
                 ("Choi Sang-mok", "SUPPORTS", "displays"), id="two titles joined by 'and'"),
    pytest.param("President Lee Jae-myung on Thursday presided over the 2nd Ministerial Meeting on Energy.",
                 ("Lee Jae-myung", "LEADS", "2nd Ministerial Meeting on Energy"), id="presiding after a time phrase"),
    pytest.param("The Federation of Korean Industries (FKI), led by Chairman Ryu Jin, hosted a forum.",
                 ("Ryu Jin", "LEADS", "Federation of Korean Industries"), id="led by, after an acronym"),
])
def test_a_titled_person_is_the_subject_or_the_head(text, triple):
    found, _ = triples(text)
    assert triple in found


# Each case: a text written for the test, the triples it states, and triples it must not yield.
STATEMENTS = [
    pytest.param("The Korea Drone Alliance was launched. Gimhae, Yangsan and Geoje will also take part in the "
                 "alliance. Samsung Electronics participated in the Korea Drone Alliance's fair.",
                 [(c, "BELONGS_TO", "Korea Drone Alliance") for c in ("Gimhae", "Yangsan", "Geoje")],
                 [("Samsung Electronics", "BELONGS_TO", "Korea Drone Alliance")], id="taking part in a body, not its fair"),
    pytest.param("Seoul Mayor Oh Se-hoon announced the Seoul Fintech Hub Plan. The plan is part of the city's "
                 "Seoul Vision 2030.", [("Seoul Fintech Hub Plan", "BELONGS_TO", "Seoul Vision 2030")], [],
                 id="a plan stated as part of another"),
    pytest.param("The Ministry of Science and ICT (MSIT) and North Chungcheong Province announced the Osong Medical "
                 "Valley Plan on Monday.",
                 [("Ministry of Science and ICT", "SUPPORTS", "Osong Medical Valley Plan"),
                  ("North Chungcheong Province", "SUPPORTS", "Osong Medical Valley Plan")], [],
                 id="coordinated agents across an acronym"),
    pytest.param("The ministry announced the Chungcheong Bio Plan, which aims to make the region a hub of "
                 "biopharmaceuticals and medical devices, while Daegu backs robots. Busan set up the Busan Drone "
                 "Foundation, which focuses on drones.",
                 [("Chungcheong Bio Plan", "TARGETS", "biopharmaceuticals"),
                  ("Chungcheong Bio Plan", "TARGETS", "medical devices"), ("Daegu", "SUPPORTS", "robots"),
                  ("Busan Drone Foundation", "TARGETS", "drones")],
                 [("Chungcheong Bio Plan", "TARGETS", "robots"), ("Busan Drone Foundation", "SUPPORTS", "drones")],
                 id="what a relative clause says a plan or body is for"),
    pytest.param("The loans come from the Korea Development Bank (KDB) and the Green Chip Fund, which will invest in "
                 "fabless companies. Busan opened a center with Samsung Electronics, which will develop drones.",
                 [("Green Chip Fund", "TARGETS", "system semiconductors"),
                  ("Samsung Electronics", "SUPPORTS", "drones")],
                 [("Korea Development Bank", "SUPPORTS", "system semiconductors")],
                 id="a relative clause acts for its antecedent"),
    pytest.param("Daegu will foster robots, while North Gyeongsang Province backs secondary batteries.",
                 [("Daegu", "SUPPORTS", "robots"), ("North Gyeongsang Province", "SUPPORTS", "secondary batteries")],
                 [("Daegu", "SUPPORTS", "secondary batteries")], id="each clause's own subject and objects"),
    pytest.param("The National Quantum Strategy, first announced in 2023, targets quantum technology and "
                 "semiconductors.", [("National Quantum Strategy", "TARGETS", "semiconductors")], [],
                 id="an aside between a plan and its verb"),
    pytest.param('Incheon Mayor Yoo Jeong-bok announced the "Incheon Sky 2.0" plan to foster aerospace, drones and '
                 'robotics start-ups.', [("Incheon Sky 2.0", "TARGETS", i) for i in ("aerospace", "drones", "robots")],
                 [], id="a quoted name, its head noun, then its complement"),
    pytest.param("Changwon City will invest in the Changwon Hydrogen Project with Doosan Enerbility and Hyundai "
                 "Rotem.", [("Changwon", "SUPPORTS", "Changwon Hydrogen Project")],
                 [("Changwon", "SUPPORTS", "Doosan Enerbility"), ("Changwon", "SUPPORTS", "Hyundai Rotem")],
                 id="partners after 'with' are not backed"),
    pytest.param("The committee was launched. The National Drone Committee is composed of the Ministry of Land, "
                 "Infrastructure and Transport and 20 experts, including Naver CEO Choi Soo-yeon.",
                 [("Choi Soo-yeon", "BELONGS_TO", "National Drone Committee")],
                 [("Naver", "BELONGS_TO", "National Drone Committee")], id="a body in a member's title is no member"),
    pytest.param("The Ministry of Land, Infrastructure and Transport said the complexes will be developed by the Korea "
                 "Land and Housing Corporation to foster hydrogen.", [],
                 [("Ministry of Land, Infrastructure and Transport", "SUPPORTS", "Korea Land and Housing Corporation")],
                 id="the doer of a passive is not backed"),
    pytest.param('Jeonbuk announced a plan.\n\nGovernor Kim Kwan-young said, "We will nurture the secondary battery '
                 'industry."\n\nGunsan Mayor Kang Im-jun added that the city will help.',
                 [("Kim Kwan-young", "SUPPORTS", "secondary batteries")], [("Gunsan", "SUPPORTS", "secondary batteries")],
                 id="the next paragraph's reporting verb does not take a quote"),
]


@pytest.mark.parametrize("text, stated, not_stated", STATEMENTS)
def test_statements(text, stated, not_stated):
    found, _ = triples(text)
    assert set(stated) <= found
    assert not set(not_stated) & found
