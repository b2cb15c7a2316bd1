"""The write ceiling: the writer's own rows sent by the bare FalkorDB client in plain UNWIND ... MERGE loops.

`RowSpool` records, batch by batch, exactly the rows GraphWriter builds (with
the writer's own row functions and batching rule); `replay` sends them with
`falkordb.Graph.query` and the simplest statements that store the same values:
no store wrapper, no result conversion, lists set rather than merged, no
document status marks. Writer rows/s divided by this rows/s is the writer's
efficiency, a figure that holds on a noisy machine where absolute rates do not.
"""
from __future__ import annotations

import pickle
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from falkordb import FalkorDB

from measure import server_cpu

from policygraph.graph import writer as gw
from policygraph.graph.store import GRAPH_NAME, open_store
from policygraph.schema.model import ENTITY_TYPES, RELATION_TYPES, ROLE_LABELS, DocumentGraph

DOCUMENTS = """
UNWIND $rows AS r
MERGE (d:Document {doc_id: r.doc_id})
SET d += r
"""
MENTIONS = """
UNWIND $rows AS r
MATCH (d:Document {doc_id: r.doc_id})
MATCH (n:Entity {id: r.id})
MERGE (d)-[m:MENTIONS]->(n)
SET m.count = r.count, m.surfaces = r.surfaces, m.offsets = r.offsets
"""


def entities(labels: tuple[str, ...]) -> str:
    assert all(label in ENTITY_TYPES or label in ROLE_LABELS for label in labels)
    return f"""
UNWIND $rows AS r
MERGE (n:Entity {{id: r.id}})
SET n{''.join(':' + label for label in labels)}, n.name = r.name, n.type = r.type, n.aliases = r.aliases,
    n.roles = r.roles, n.role_history = r.role_history, n += r.props
"""


def relations(rel_type: str) -> str:
    assert rel_type in RELATION_TYPES
    return f"""
UNWIND $rows AS r
MATCH (a:Entity {{id: r.head}})
MATCH (b:Entity {{id: r.tail}})
MERGE (a)-[e:{rel_type}]->(b)
SET e.doc_ids = r.doc_ids, e.doc_count = size(r.doc_ids), e.evidence = r.sentences, e.evidence_doc_ids = r.sentence_doc_ids,
    e.provenance = r.provenance, e.rules = r.rules, e.confidence = r.confidence
"""


def batch_rows(batch: list[DocumentGraph]) -> list[tuple[str, list[dict[str, Any]]]]:
    """(statement, rows) in the writer's order, built by the writer's own row functions."""
    out = [(DOCUMENTS, [gw.document_row(g) for g in batch])]
    out += [(entities(labels), rows) for labels, rows in gw.entity_rows(batch).items()]
    out.append((MENTIONS, [row for g in batch for row in gw.mention_rows(g)]))
    by_type = gw.merged_relation_rows(batch)
    out += [(relations(t), by_type[t]) for t in sorted(by_type)]
    return out


class RowSpool:
    """Watches the graphs going to a GraphWriter and spools each batch's rows to a file."""

    def __init__(self, path: Path, batch_size: int):
        self.path, self.batch_size = Path(path), batch_size
        self.rows = 0
        self._file = self.path.open("wb")
        self._batch: list[DocumentGraph] = []
        self._size = 0

    def watch(self, graphs: Iterable[DocumentGraph]) -> Iterator[DocumentGraph]:
        # The same rule as GraphWriter.write, so the spooled batches are the writer's batches.
        for graph in graphs:
            self._batch.append(graph)
            self._size += 1 + len(graph.entities) + len(graph.mentions) + len(graph.relations)
            if self._size >= self.batch_size:
                self._flush()
            yield graph
        self._flush()
        self._file.close()

    def _flush(self) -> None:
        if not self._batch:
            return
        for statement, rows in batch_rows(self._batch):
            for i in range(0, len(rows), self.batch_size):
                chunk = rows[i:i + self.batch_size]
                pickle.dump((statement, chunk), self._file, protocol=pickle.HIGHEST_PROTOCOL)
                self.rows += len(chunk)
        self._batch, self._size = [], 0


def _spooled(path: Path) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    with Path(path).open("rb") as f:
        while True:
            try:
                yield pickle.load(f)
            except EOFError:
                return


@dataclass
class Replay:
    rows: int = 0
    seconds: float = 0.0  # wall time inside the queries
    client_cpu: float = 0.0  # this process's CPU inside the queries (building the parameter text)
    server_cpu: float = 0.0


def replay(spool: Path, folder: Path) -> Replay:
    """Send the spooled rows to a fresh embedded store with the bare client, timing only the queries."""
    store = open_store(folder)  # starts the server and creates the same indexes; not timed
    out = Replay()
    try:
        client = FalkorDB(unix_socket_path=str(store.server.socket))
        graph = client.select_graph(GRAPH_NAME)
        cpu_before = server_cpu(store)
        # The server's housekeeping as the writer has it (no log rewrites mid-load): a ceiling
        # measured with rewrites forking beside it would flatter the writer.
        try:
            with store.bulk_writes():
                for statement, chunk in _spooled(spool):
                    started, cpu = time.perf_counter(), time.process_time()
                    graph.query(statement, {"rows": chunk})
                    out.seconds += time.perf_counter() - started
                    out.client_cpu += time.process_time() - cpu
                    out.rows += len(chunk)
        finally:
            client.connection.close()  # else the store would see another client and leave the server running
        out.server_cpu = server_cpu(store) - cpu_before
        return out
    finally:
        store.close()
