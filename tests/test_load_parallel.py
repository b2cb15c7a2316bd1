"""Parallel extraction in api.load: every worker gets work, order is kept, and the pool never runs far ahead."""
from __future__ import annotations

import copy
import os
import pickle
import time
from dataclasses import fields

from policygraph import api
from policygraph.loaders.read import read_file
from policygraph.schema.model import Document, DocumentGraph, Entity, Evidence, Mention, Relation, Sentence


def _corpus(folder, count: int) -> list:
    folder.mkdir()
    paths = []
    for i in range(count):
        path = folder / f"doc-{i:03d}.txt"
        path.write_text(f"Busan Mayor Park Hyung-joon said on Monday that the city will foster {i} hydrogen firms.\n")
        paths.append(path)
    return paths


class CountingList(list):
    """A list that counts the items handed out by iterating it."""

    handed = 0

    def __iter__(self):
        for item in super().__iter__():
            self.handed += 1
            yield item


def _tag_with_pid(raw):
    graph = REAL_EXTRACT_ONE(raw)
    graph.document.source = str(os.getpid())
    return graph


REAL_EXTRACT_ONE = api._extract_one


def test_both_workers_extract_and_the_order_is_the_input_order(tmp_path, monkeypatch):
    paths = _corpus(tmp_path / "docs", 120)
    monkeypatch.setattr(api, "_extract_one", _tag_with_pid)  # the forked workers inherit it
    report = api.LoadReport()
    graphs = list(api._extract_all(paths, 2, report, lambda *a: None))
    assert not report.failed
    assert [g.document.doc_id for g in graphs] == [p.stem for p in paths]
    pids = {g.document.source for g in graphs}
    assert len(pids) == 2 and str(os.getpid()) not in pids


def test_the_pool_stays_a_bounded_number_of_documents_ahead(tmp_path, monkeypatch):
    monkeypatch.setattr(api, "AHEAD", 8)
    paths = _corpus(tmp_path / "docs", 80)
    todo = CountingList(paths)
    report = api.LoadReport()
    graphs = api._extract_all(todo, 2, report, lambda *a: None)
    first = next(graphs)
    time.sleep(1.5)  # a writer busy with the first document: the workers would otherwise take everything
    # 8 in flight, the one taken, and the next one the feeder holds while it waits for a free slot.
    assert todo.handed <= 8 + 1 + 1
    rest = list(graphs)
    assert todo.handed == 80
    assert [g.document.doc_id for g in [first, *rest]] == [p.stem for p in paths]


def test_a_file_gone_before_its_worker_reads_it_is_reported_and_the_rest_load(tmp_path):
    paths = _corpus(tmp_path / "docs", 30)
    paths[7].unlink()
    notes = []
    report = api.LoadReport()
    graphs = list(api._extract_all(paths, 2, report, lambda path, outcome: notes.append((path, outcome))))
    assert [g.document.doc_id for g in graphs] == [p.stem for i, p in enumerate(paths) if i != 7]
    assert [f.path for f in report.failed] == [str(paths[7])]
    assert "vanished" in report.failed[0].message and (str(paths[7]), "failed") in notes


def test_graphs_cross_the_pool_as_they_left_the_worker(seeds):
    # Records pickle as their fields (schema/model.py): what the writer gets from a worker must be
    # what extraction made, every record type and every field.
    paths = sorted(p for p in seeds.iterdir() if p.is_file())
    report = api.LoadReport()
    pooled = list(api._extract_all(paths * 4, 2, report, lambda *a: None))
    assert not report.failed
    in_process = [api._extract_one(read_file(p)) for p in paths] * 4
    assert pooled == in_process
    assert sum(len(g.relations) for g in pooled) > 0 and sum(len(g.mentions) for g in pooled) > 0


def test_every_record_pickles_as_its_class_and_field_values():
    evidence = Evidence("d1", "Gyeonggi backs chips.", 0, 21, "agent-verb-object", 0.8)
    records = [
        Document("d1", "text", captions=["a caption"]),
        Sentence(0, 21, "Gyeonggi backs chips."),
        Mention(0, 8, "Gyeonggi", "Province", "Province|gyeonggi", "Gyeonggi Province", entity_id="province-x",
                roles=("Governor",)),
        Entity("province-x", "Province", "Gyeonggi Province", aliases=["Gyeonggi"], properties={"level": "province"}),
        evidence,
        Relation("province-x", "SUPPORTS", "industry-y", [evidence]),
    ]
    records.append(DocumentGraph(records[0], [records[3]], [records[5]], [records[2]]))
    for record in records:
        cls, values = record.__reduce__()
        assert cls is type(record) and values == tuple(getattr(record, f.name) for f in fields(record))
        assert pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)) == record
        assert copy.deepcopy(record) == record
