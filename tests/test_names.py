"""Korean names: romanisation variants of one person meet; syllables split."""
from __future__ import annotations

import pytest

from policygraph.loaders import names
from policygraph.loaders.pipeline import find_mentions
from policygraph.schema.gazetteer import default_gazetteer


@pytest.mark.parametrize("a, b", [
    (("Lee", "Jae-myung"), ("Lee", "Jaemyung")),
    (("Lee", "Jae-myung"), ("Rhee", "Jae-myung")),
    (("Hong", "Nam-ki"), ("Hong", "Nam-gi")),
    (("Yeom", "Tae-yeong"), ("Yeom", "Tae-young")),
    (("Seo", "Cheol-mo"), ("Suh", "Chul-mo")),
    (("Eun", "Su-mi"), ("Eun", "Soo-mi")),
])
def test_variants_share_a_key(a, b):
    fa, fb = names.surname(a[0]), names.surname(b[0])
    assert names.person_key(fa, a[1]) == names.person_key(fb, b[1])


def test_different_people_keep_different_keys():
    assert names.person_key("Kim", "Bo-ra") != names.person_key("Kim", "Dong-yeon")
    assert names.person_key("Park", "Chan-hoon") != names.person_key("Park", "Chan-ho")


@pytest.mark.parametrize("given, parts", [
    ("jaemyung", ("jae", "myung")), ("jaesik", ("jae", "sik")), ("bora", ("bo", "ra")),
    ("chanhoon", ("chan", "hoon")), ("Tae-yeong", ("tae", "yeong")),
])
def test_syllables(given, parts):
    assert names.syllables(given) == parts


def test_split_name_in_either_order():
    assert names.split_name(["Jaesik", "Choi"]) == ("Choi", "Jaesik")
    assert names.split_name(["Lee", "Jae", "Myung"]) == ("Lee", "Jae-Myung")
    assert names.split_name(["Golden", "Globes"]) is None


def test_canonical_name_hyphenates_the_given_name():
    assert names.canonical_name("Lee", "Jaemyung") == "Lee Jae-myung"
    assert names.canonical_name("Choi", "Jaesik") == "Choi Jae-sik"


@pytest.mark.parametrize("text, person, role", [
    ("U.S. President Donald Trump met the delegation.", "Donald Trump", "President"),
    ("Nvidia CEO Jensen Huang visited the plant.", "Jensen Huang", "CEO"),
])
def test_a_foreign_name_after_a_title(text, person, role):
    people = [m for m in find_mentions(text, default_gazetteer()).named if m.type == "Person"]
    assert [(m.name, m.roles) for m in people] == [(person, (role,))]


@pytest.mark.parametrize("text", [
    "The President Election Committee met on Monday.",
    "Former Prime Minister Office Building stands empty.",
    "The Minister Korea Forum opened.",
])
def test_capitalised_words_after_a_title_are_no_foreign_name(text):
    assert not [m for m in find_mentions(text, default_gazetteer()).named if m.type == "Person"]
