"""The graph the gold annotations in ../shared/gold describe, as node-link JSON.

Tests import it with the real `policygraph import` so that queries run on a
graph that does not depend on extraction quality. Entities carry the labels
[Entity, Type, role labels...], Document nodes their doc_id, title and date
(read from the seed files by the loaders' own metadata code), MENTIONS go from
each document to the entities its gold file lists, and each relation carries
the documents and evidence sentences that state it.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conftest import GOLD, SEEDS, run_cli

from policygraph.loaders.pipeline import to_document
from policygraph.loaders.read import read_file
from policygraph.schema.model import ROLES


@dataclass
class Gold:
    """The gold files, indexed for computing what a query should return."""

    entities: dict[str, dict[str, Any]]  # id -> {"id", "type", "name", "aliases"}
    docs: dict[str, dict[str, Any]]  # doc_id -> the per-document gold file
    dates: dict[str, str] = field(default_factory=dict)  # doc_id -> ISO date the page states ("" if none)
    titles: dict[str, str] = field(default_factory=dict)

    @property
    def relations(self) -> dict[tuple[str, str, str], list[tuple[str, str]]]:
        """(head, type, tail) -> [(doc_id, evidence), ...] in document order."""
        out: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
        for doc_id, doc in sorted(self.docs.items()):
            for r in doc["relations"]:
                out[(r["head"], r["type"], r["tail"])].append((doc_id, r["evidence"]))
        return out

    def roles(self, entity_id: str) -> dict[str, list[str]]:
        """doc_id -> roles that document states for the entity."""
        return {d: e.get("roles", []) for d, doc in sorted(self.docs.items())
                for e in doc["entities"] if e["id"] == entity_id and e.get("roles")}

    def mentioned_in(self, entity_id: str) -> list[str]:
        return sorted(d for d, doc in self.docs.items() if any(e["id"] == entity_id for e in doc["entities"]))

    def name(self, entity_id: str) -> str:
        return self.entities[entity_id]["name"]


def load_gold(gold_dir: Path = GOLD, seeds: Path = SEEDS) -> Gold:
    registry = json.loads((gold_dir / "entities.json").read_text(encoding="utf-8"))["entities"]
    docs = {}
    for path in sorted(gold_dir.glob("*.json")):
        if path.name != "entities.json":
            doc = json.loads(path.read_text(encoding="utf-8"))
            docs[doc["doc"]] = doc
    gold = Gold({e["id"]: e for e in registry}, docs)
    for doc_id in docs:
        page = to_document(read_file(seeds / f"{doc_id}.txt"))
        gold.dates[doc_id] = page.date or ""
        gold.titles[doc_id] = page.title or doc_id
    return gold


def node_link(gold: Gold) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = []
    for eid, ent in sorted(gold.entities.items()):
        per_doc = gold.roles(eid)
        roles = sorted({r for rs in per_doc.values() for r in rs})
        node = {"id": eid, "labels": ["Entity", ent["type"], *sorted({ROLES[r] for r in roles})],
                "name": ent["name"], "aliases": list(ent.get("aliases", [])), "type": ent["type"]}
        if roles:
            node["roles"] = roles
            node["role_history"] = [f"{r}|{gold.dates[d]}|{d}" for d, rs in per_doc.items() for r in rs]
        nodes.append(node)
    links: list[dict[str, Any]] = []
    for doc_id, doc in sorted(gold.docs.items()):
        nodes.append({"id": f"document:{doc_id}", "labels": ["Document"], "doc_id": doc_id,
                      "title": gold.titles[doc_id], "date": gold.dates[doc_id]})
        for ent in doc["entities"]:
            links.append({"source": f"document:{doc_id}", "target": ent["id"], "type": "MENTIONS", "count": 1})
    for (head, rel_type, tail), stated in sorted(gold.relations.items()):
        doc_ids = sorted({d for d, _ in stated})
        links.append({
            "source": head, "target": tail, "type": rel_type, "doc_ids": doc_ids,
            "evidence": [text for _, text in stated], "evidence_doc_ids": [d for d, _ in stated],
            "provenance": [json.dumps({"doc_id": d, "date": gold.dates[d], "rule": "gold", "confidence": 1.0},
                                      sort_keys=True) for d, _ in stated],
            "rules": ["gold"], "confidence": 1.0,
        })
    return {"directed": True, "multigraph": True, "graph": {}, "nodes": nodes, "links": links}


def write_gold_graph(path: Path) -> Gold:
    gold = load_gold()
    path.write_text(json.dumps(node_link(gold), ensure_ascii=False, indent=1), encoding="utf-8")
    return gold


def imported_gold(folder: Path) -> tuple[str, Gold]:
    """The gold graph written to folder/gold.json and imported with the real CLI into folder/store."""
    gold = write_gold_graph(folder / "gold.json")
    store = str(folder / "store")
    run_cli("import", "--format", "node-link", str(folder / "gold.json"), "--store", store, check=True)
    return store, gold
