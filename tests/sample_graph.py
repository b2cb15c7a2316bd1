"""A small graph with every relation type, written by the real writer, for export tests.

It holds what the seeds' extraction may not: each relation type, a relation
stated by two documents, evidence with `;`, quotes and a line break, a year-
less date, gazetteer properties (broader, parent, kind) and person roles.
"""
from __future__ import annotations

from policygraph.graph.store import Store
from policygraph.graph.writer import GraphWriter
from policygraph.schema.model import Document, DocumentGraph, Entity, Evidence, Mention, Relation

PERSON = Entity("person:kim-dong-yeon", "Person", "Kim Dong-yeon", ["Governor Kim"], ["Governor"])
MINISTER = Entity("person:ahn-duk-geun", "Person", "Ahn Duk-geun", [], ["Minister"])
PROVINCE = Entity("province:gyeonggi", "Province", "Gyeonggi", ["Gyeonggi Province"], [], {"gazetteer": True})
CITY = Entity("city:suwon", "City", "Suwon", ["Suwon City"], [], {"parent": "province:gyeonggi", "gazetteer": True})
INDUSTRY = Entity("industry:semiconductors", "Industry", "semiconductors", ["chips", "semiconductor"], [],
                  {"broader": ["industry:electronics"], "gazetteer": True})
MINISTRY = Entity("ministry:motie", "Ministry", "Ministry of Trade, Industry and Energy", ["MOTIE"], [],
                  {"kind": "ministry"})
ALLIANCE = Entity("org:future-smart-belt-alliance", "Organization", "Future Smart Belt Alliance", [], [],
                  {"kind": "association"})
PLAN = Entity("plan:k-semiconductor-belt", "Plan", "K-Semiconductor Belt Strategy", [], [])

TRICKY = 'Governor Kim; who leads "Gyeonggi", said:\nwe will back chips.'


def _doc(doc_id: str, date: str) -> Document:
    return Document(doc_id=doc_id, text="", path=f"/corpus/{doc_id}.txt", title=f"Report {doc_id}", date=date,
                    source="Test Wire", content_hash=f"hash-{doc_id}")


def _ev(doc_id: str, sentence: str, start: int = 0) -> Evidence:
    return Evidence(doc_id, sentence, start, start + len(sentence), "pattern-x", 0.75)


def documents() -> list[DocumentGraph]:
    a = DocumentGraph(_doc("doc-a", "2022-03-01"), [PERSON, PROVINCE, CITY, INDUSTRY, ALLIANCE], [
        Relation(PERSON.id, "LEADS", PROVINCE.id, [_ev("doc-a", TRICKY)]),
        Relation(PROVINCE.id, "SUPPORTS", INDUSTRY.id, [_ev("doc-a", TRICKY), _ev("doc-a", "Chips first.", 80)]),
        Relation(CITY.id, "BELONGS_TO", PROVINCE.id, [_ev("doc-a", "Suwon is a city of Gyeonggi.", 120)]),
        Relation(CITY.id, "BELONGS_TO", ALLIANCE.id, [_ev("doc-a", "Suwon joined the alliance.", 160)]),
    ], [Mention(0, 5, "Suwon", "City", "suwon", "Suwon", entity_id=CITY.id),
        Mention(40, 50, "Suwon City", "City", "suwon", "Suwon", entity_id=CITY.id)])
    b = DocumentGraph(_doc("doc-b", "--01-12"), [MINISTER, MINISTRY, PROVINCE, INDUSTRY, PLAN], [
        Relation(MINISTER.id, "LEADS", MINISTRY.id, [_ev("doc-b", "Minister Ahn heads MOTIE.")]),
        Relation(MINISTER.id, "BELONGS_TO", MINISTRY.id, [_ev("doc-b", "Ahn of MOTIE spoke.", 30)]),
        Relation(MINISTRY.id, "SUPPORTS", PLAN.id, [_ev("doc-b", "MOTIE announced the strategy.", 60)]),
        Relation(PLAN.id, "TARGETS", INDUSTRY.id, [_ev("doc-b", "The strategy targets chips.", 90)]),
        Relation(PROVINCE.id, "SUPPORTS", INDUSTRY.id, [_ev("doc-b", "Gyeonggi backs chips again.", 120)]),
    ])
    return [a, b]


def write_sample(store: Store) -> None:
    # One document per batch: each document is then written as a load of one file would write it.
    list(GraphWriter(store, batch_size=1).write(documents()))
