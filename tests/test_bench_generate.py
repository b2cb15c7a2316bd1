"""The benchmark's synthetic corpus: deterministic, streamed to disk, varied, loadable by the real CLI."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402

from policygraph.schema.gazetteer import default_gazetteer  # noqa: E402


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("syn-*"))}


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path):
    generate.generate(60, tmp_path / "a", seed=3)
    generate.generate(60, tmp_path / "b", seed=3)
    generate.generate(60, tmp_path / "c", seed=4)
    a, b, c = _files(tmp_path / "a"), _files(tmp_path / "b"), _files(tmp_path / "c")
    assert len(a) == 60 and a == b
    assert a != c


def test_layout_manifest_and_cache(tmp_path):
    out = tmp_path / "corpus"
    manifest = generate.generate(1005, out, seed=1)
    files = sorted(out.rglob("syn-*"))
    assert len(files) == 1005
    assert sorted({p.parent.name for p in files}) == ["0000", "0001"]  # 1,000 files per folder
    assert len({p.stem for p in files}) == 1005  # one document id per file
    assert sum(manifest["files"].values()) == 1005 and manifest["files"]["html"] > 0 and manifest["files"]["md"] > 0
    assert manifest["words"] == sum(len(p.read_text(encoding="utf-8").split()) for p in files)
    assert json.loads((out / generate.MANIFEST).read_text()) == manifest
    assert generate.cached(1005, out, seed=1) == manifest
    assert generate.cached(1005, out, seed=2) is None and generate.cached(1000, out, seed=1) is None


def test_articles_are_made_one_at_a_time():
    stream = generate.articles(1_000_000, seed=1)
    first = [next(stream) for _ in range(3)]  # a list of a million texts would never come back this soon
    assert [a.doc_id for a, _ in first] == ["syn-0000000", "syn-0000001", "syn-0000002"]


def test_sentence_forms_actors_and_chrome_are_all_there(tmp_path):
    texts = [text for _, text in generate.articles(300, seed=5)]
    joined = "\n".join(texts)
    forms = {
        "pledge": r"pledged on \w+day to foster ",
        "X City Mayor Y": r"\b[A-Z][a-z]+ City Mayor [A-Z][a-z]+ [A-Z][a-z]+-[a-z]+",
        "list of industries": r"targets [^.]+, [^.]+ and ",
        "alliance with members": r"launched the [A-Z][\w ]+ (?:Alliance|Council|Consortium)",
        "acronym definition": r"The [A-Z][\w ]+ \(([A-Z]{2,})\) will run a testbed for [^,]+, and \1 researchers",
        "numbered basic plan": r"\d+(?:st|nd|rd|th) (?:Basic|Master) Plan for ",
        "strategy or cluster": r"\b(?:Strategy|Cluster)\b",
        "governor": r"\bGovernor [A-Z][a-z]+ [A-Z][a-z]+-[a-z]+",
        "minister": r"\bMinister [A-Z][a-z]+ [A-Z][a-z]+-[a-z]+ presided over the ",
        "quote": r"\"We will make [^\"]+,\" [A-Z][a-z]+ said\.",
    }
    for name, pattern in forms.items():
        assert re.search(pattern, joined), f"no {name} sentence in 300 articles"
    chrome = ["(END)\n-\n", "Leave a Reply", "Required fields are marked *", "Main menu", "All rights reserved",
              "<nav>", "## Related Articles", "(Yonhap) -- "]
    for piece in chrome:
        assert piece in joined, f"no {piece!r} in 300 articles"
    gaz = default_gazetteer().entries.values()
    for type_ in ("Ministry", "Province", "City", "Industry", "Organization", "Country"):
        names = {e.name for e in gaz if e.type == type_}
        assert sum(1 for n in names if n in joined) >= 5, f"few real {type_} names"
    # Varied, not one template repeated: most sentences are unique across the corpus.
    sentences = [s for t in texts for s in re.split(r"(?<=\.) ", t) if len(s) > 60]
    assert len(set(sentences)) > 0.6 * len(sentences)


def test_people_keep_their_office_across_articles():
    pools = generate.build_pools(1, 2000)
    titles: dict[str, set[str]] = {}
    for index in range(400):
        for line in generate.render_text(generate.article(1, index, pools)).splitlines():
            for m in re.finditer(r"\b(Governor|Minister|Professor|CEO) ([A-Z][a-z]+ [A-Z][a-z]+-[a-z]+)", line):
                titles.setdefault(m.group(2), set()).add(m.group(1))
    assert titles
    # A name may be shared by two invented people, but nearly everyone has one title.
    assert sum(1 for t in titles.values() if len(t) == 1) > 0.9 * len(titles)


@pytest.mark.timeout(600)
def test_the_real_cli_loads_a_generated_corpus(tmp_path):
    out = tmp_path / "corpus"
    generate.generate(40, out, seed=2)
    store = str(tmp_path / "s")
    load = run_cli("load", str(out), "--store", store)
    assert load.returncode == 0, load.stderr
    assert "40 loaded" in load.stderr and "0 failed" in load.stderr
    stats = json.loads(run_cli("stats", "--store", store, "--format", "json", check=True).stdout)
    assert stats["labels"]["Document"] == 40
    for label in ("Person", "Province", "City", "Industry", "Ministry", "Organization"):
        assert stats["labels"].get(label, 0) > 0, f"no {label} in a graph of 40 generated articles"
