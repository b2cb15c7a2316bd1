"""Relations between mentions: SUPPORTS, TARGETS, BELONGS_TO, LEADS, with evidence."""
from __future__ import annotations

from policygraph.schema.gazetteer import Gazetteer
from policygraph.schema.model import Document, Mention, Relation, Sentence


def find_relations(doc: Document, sents: list[Sentence], found: list[Mention], gazetteer: Gazetteer) -> list[Relation]:
    return []
