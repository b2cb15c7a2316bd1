"""The extraction engine on the seed corpus, scored by the shared scorer against the gold."""
from __future__ import annotations

from conftest import run_cli, score

TARGETS = {"entity_f1": 0.92, "relation_f1": 0.80}


def test_seed_corpus_meets_the_targets(tmp_path, seeds):
    store = str(tmp_path / "s")
    run_cli("load", str(seeds), "--store", store, check=True)
    out = tmp_path / "seeds.json"
    run_cli("export", "--format", "node-link", "-o", str(out), "--store", store, check=True)
    figures = score(out)
    print(figures["_report"])
    assert figures["entity_f1"] >= TARGETS["entity_f1"], figures["_report"]
    assert figures["relation_f1"] >= TARGETS["relation_f1"], figures["_report"]
    assert figures["duplicates"] == 0, figures["_report"]
    assert figures["noise"] == 0, figures["_report"]


def test_load_order_does_not_change_the_graph(tmp_path, seeds):
    files = sorted(seeds.glob("*.txt"))
    exports = []
    for name, order in (("fwd", files), ("rev", files[::-1])):
        store = str(tmp_path / name)
        for f in order:
            run_cli("load", str(f), "--store", store, check=True)
        out = tmp_path / f"{name}.json"
        run_cli("export", "-o", str(out), "--store", store, check=True)
        exports.append(score(out))
    assert exports[0]["entity_f1"] == exports[1]["entity_f1"]
    assert exports[0]["relation_f1"] == exports[1]["relation_f1"]
    assert exports[1]["duplicates"] == 0
