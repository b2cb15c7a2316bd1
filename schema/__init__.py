"""The ontology: entity and relation types, records, ids and gazetteers."""
from policygraph.schema.model import (
    ENTITY_TYPES,
    RELATION_TYPES,
    ROLES,
    Document,
    DocumentGraph,
    Entity,
    Evidence,
    Mention,
    Relation,
    Sentence,
)
from policygraph.schema.ids import entity_id, slugify

__all__ = [
    "ENTITY_TYPES", "RELATION_TYPES", "ROLES", "Document", "DocumentGraph", "Entity", "Evidence",
    "Mention", "Relation", "Sentence", "entity_id", "slugify",
]
