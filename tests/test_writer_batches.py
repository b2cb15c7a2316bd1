"""The writer skips entity rows that would change nothing: the graph must come out the same whatever the batching."""
from __future__ import annotations

import json
import sys

import pytest

from conftest import ROOT, run_cli

sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402


def _export(tmp_path, corpus, batch_size: int) -> dict:
    store = str(tmp_path / f"store-{batch_size}")
    run_cli("load", str(corpus), "--store", store, "--batch-size", str(batch_size), check=True)
    data = json.loads(run_cli("export", "--store", store, check=True).stdout)
    for node in data["nodes"]:
        node.pop("path", None)  # the same file either way; kept out only to be safe
    return data


@pytest.mark.timeout(900)
def test_small_batches_and_one_big_batch_give_the_same_graph(tmp_path):
    corpus = tmp_path / "corpus"
    generate.generate(60, corpus, seed=11)
    # Batches of ~100 rows write the same provinces, industries and people again and again
    # (and skip most of them); one batch of everything writes each once.
    small, big = _export(tmp_path, corpus, 100), _export(tmp_path, corpus, 100_000)
    key = lambda item: json.dumps(item, sort_keys=True)
    assert sorted(map(key, small["nodes"])) == sorted(map(key, big["nodes"]))
    assert sorted(map(key, small["links"])) == sorted(map(key, big["links"]))
    people = [n for n in small["nodes"] if "Person" in n.get("labels", []) and n.get("role_history")]
    assert people, "no person with a role history: the test would not cover the rows that are always sent"
