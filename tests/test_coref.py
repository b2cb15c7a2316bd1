"""References inside a document: titles with surnames, definite descriptions, pronouns."""
from __future__ import annotations

from policygraph.loaders.pipeline import find_mentions
from policygraph.schema.gazetteer import default_gazetteer


def refs(text):
    found = find_mentions(text, default_gazetteer())
    return {(r.text, r.name) for r in found.refs}, found


def test_titled_surname_points_to_the_full_name():
    out, _ = refs("Busan Mayor Park Hyung-joon opened the port. Mayor Park said it would grow. Park also said more.")
    assert ("Mayor Park", "Park Hyung-joon") in out
    assert ("Park", "Park Hyung-joon") in out


def test_two_people_with_one_surname_are_not_guessed():
    out, _ = refs("Kim Dong-yeon met Kim Doo-gyeom. Governor Kim spoke.")
    assert not any(text == "Governor Kim" for text, _ in out)


def test_definite_descriptions():
    out, _ = refs("The Ministry of Environment and Gangwon Province signed a deal. The ministry will fund it, and "
                  "the provincial government will host it.")
    gaz = default_gazetteer()
    ministry = gaz.get(gaz.lookup("Ministry of Environment")[0]).name
    assert ("The ministry", ministry) in out
    assert ("the provincial government", "Gangwon Province") in out


def test_the_project_is_not_the_plan_that_frames_it():
    out, _ = refs("The governor unveiled the Jeonbuk Battery Belt Plan. The plan, which is part of the national "
                  "Secondary Battery Strategy, starts in May. The city will back the project.")
    assert ("the project", "Jeonbuk Battery Belt Plan") in out
    # With no other plan before it, the framing one is still the nearest.
    out, _ = refs("It is part of the Secondary Battery Strategy. The city will back the project.")
    assert ("the project", "Secondary Battery Strategy") in out


def test_the_city_can_be_a_metropolitan_city():
    out, _ = refs("Ulsan announced the plan. The city will invest 1 trillion won.")
    assert ("The city", "Ulsan") in out


def test_references_are_not_aliases(tmp_path):
    from policygraph.loaders.pipeline import extract
    from policygraph.loaders.read import RawDocument
    from policygraph.loaders.resolve import Resolver

    text = "Gyeonggi Province Governor Kim Dong-yeon spoke. Governor Kim said the province backs chips."
    graph = Resolver().resolve(extract(RawDocument(tmp_path / "a.txt", "a", text, "h", False)))
    person = next(e for e in graph.entities if e.type == "Person")
    assert "Governor Kim" not in person.aliases and "Kim" not in person.aliases
