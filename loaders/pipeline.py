"""Documents in, DocumentGraphs out: the extraction pipeline of one document.

Each stage is a plain function over typed records, so a stage can be tested
or replaced on its own. `extract` is pure (no store, no global state beyond
the read-only gazetteer) and so runs in worker processes.
"""
from __future__ import annotations

from policygraph.loaders import mentions as mn
from policygraph.loaders.clean import clean_html, clean_text
from policygraph.loaders.read import RawDocument
from policygraph.loaders.relations import find_relations
from policygraph.loaders.text import sentences
from policygraph.schema.gazetteer import Gazetteer, default_gazetteer
from policygraph.schema.model import Document, DocumentGraph, Mention


def to_document(raw: RawDocument) -> Document:
    cleaned = clean_html(raw.text) if raw.is_html else clean_text(raw.text)
    return Document(doc_id=raw.doc_id, text=cleaned.text, path=str(raw.path), title=cleaned.title,
                    date=cleaned.date, source=cleaned.source, content_hash=raw.content_hash,
                    captions=cleaned.captions)


def find_mentions(doc: Document, gazetteer: Gazetteer) -> list[Mention]:
    found = mn.merge_mentions([
        mn.person_mentions(doc.text),
        mn.gazetteer_mentions(doc.text, gazetteer),
    ])
    return disambiguate(found, gazetteer)


def disambiguate(found: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """Resolve names shared by several places by the other places the document names."""
    named = {m.key for m in found if m.source == "gazetteer"}
    out = []
    for m in found:
        if m.source != "ambiguous":
            out.append(m)
            continue
        ids = m.key.split("|")
        fitting = [i for i in ids if gazetteer.get(i).parent in named]
        if len(fitting) == 1:
            entry = gazetteer.get(fitting[0])
            m.key, m.type, m.name, m.source = entry.id, entry.type, entry.name, "gazetteer"
            out.append(m)
    return out


def extract(raw: RawDocument, gazetteer: Gazetteer | None = None) -> DocumentGraph:
    gazetteer = gazetteer or default_gazetteer()
    doc = to_document(raw)
    sents = sentences(doc.text)
    found = find_mentions(doc, gazetteer)
    relations = find_relations(doc, sents, found, gazetteer)
    return DocumentGraph(document=doc, mentions=found, relations=relations)
