"""A graph search by entity id on an embedded store: the base Store class's search, whose
statements Neo4j runs, beside FalkorDB's by internal node id."""
from __future__ import annotations

from policygraph.graph.store import Store


class ById:
    """Store's search methods and statements, running on another store's server."""

    def __init__(self, store):
        self.run = store.run

    search_seek, search_key, _found = staticmethod(Store.search_seek), staticmethod(Store.search_key), Store._found
    search_keys, neighbours, link_total = Store.search_keys, Store.neighbours, Store.link_total
    search_names, _split, _keyed = Store.search_names, Store._split, Store._keyed
