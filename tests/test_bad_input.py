"""Bad input never crashes a load: each bad file gets one line saying what to do, the rest loads.

A property-based fuzz test (hypothesis) throws generated files at api.load on
a real store: random bytes, NUL bytes, invalid UTF-8, UTF-16 with a BOM,
zero-width, right-to-left and emoji characters, deeply nested HTML and long
lists of names. Explicit tests take the real CLI through the inputs too big
for a fuzzer: a 200 MB file, a file of one 10 MB line, 10,000 entities in one
document, symlink loops and a file that vanishes mid-load.
"""
from __future__ import annotations

import codecs
import os
import random
import time
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DEMO, run_cli
from figures import record
from policygraph import api
from policygraph.limits import TIMEOUT_ENV
from procs import servers_on
from test_crash_safety import integrity

# Places, people and organisations the extractor knows, and strings that have broken other tools.
NAMES = ["Suwon", "Gyeonggi Province", "Busan Mayor Park Hyung-joon", "Ministry of Trade, Industry and Energy",
         "semiconductors", "Samsung Electronics", "Governor Kim Dong-yeon", "Korean New Deal", "Lee Jae-myung"]
ODD = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u202d", "\u2066", "\u2069", "\u061c",
       "😀", "🇰🇷", "👩\u200d👩\u200d👧", "\x00", "\r", "\r\n", "\u2028", "\u2029", "\x85", "ﬁ", "Ａ", "한국",
       "\") DETACH DELETE n //", "' OR 1=1 //", "<script>alert(1)</script>", "${jndi:x}", "%s%n", "\\", "`"]
fragment = st.one_of(st.text(max_size=40), st.sampled_from(NAMES), st.sampled_from(ODD),
                     st.sampled_from(["\n", ". ", ", ", " and ", "\n\n"]))
text = st.lists(fragment, max_size=60).map("".join)


@st.composite
def documents(draw) -> tuple[str, bytes]:
    """(suffix, bytes) of one generated file."""
    kind = draw(st.sampled_from(["utf8", "utf16", "bom8", "invalid", "bytes", "nested", "names"]))
    suffix = draw(st.sampled_from([".txt", ".md", ".html"]))
    body = draw(text)
    if kind == "utf8":
        return suffix, body.encode("utf-8", "surrogatepass")
    if kind == "utf16":
        return suffix, body.encode(draw(st.sampled_from(["utf-16", "utf-16-be", "utf-16-le"])), "surrogatepass")
    if kind == "bom8":
        return suffix, codecs.BOM_UTF8 + body.encode("utf-8", "surrogatepass")
    if kind == "invalid":
        data = bytearray(body.encode("utf-8", "surrogatepass"))
        for _ in range(draw(st.integers(1, 5))):
            data.insert(draw(st.integers(0, len(data))), draw(st.sampled_from([0x80, 0xC0, 0xFF, 0xED, 0xF8])))
        return suffix, bytes(data)
    if kind == "bytes":
        return suffix, draw(st.binary(max_size=3000))
    if kind == "nested":
        depth = draw(st.integers(1, 4000))
        tag = draw(st.sampled_from(["div", "b", "span", "table", "ul", "p"]))
        return ".html", (f"<{tag}>" * depth + body + f"</{tag}>" * draw(st.integers(0, depth))).encode()
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=300))
    return suffix, (draw(st.sampled_from([", ", " and ", "\n", "; "])).join(names) + "\n" + body).encode()


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory):
    from policygraph.graph.store import open_store

    folder = tmp_path_factory.mktemp("fuzz") / "store"
    db = open_store(folder)
    yield db
    db.close()
    assert integrity(folder) == {"duplicate_entities": 0, "duplicate_documents": 0, "duplicate_edges": 0,
                                 "unfinished": 0}
    assert servers_on(folder) == []


@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=st.lists(documents(), min_size=1, max_size=4))
def test_generated_files_never_crash_a_load(fuzz_store, tmp_path_factory, files):
    folder = tmp_path_factory.mktemp("docs")
    good = folder / f"good-{uuid.uuid4().hex[:8]}.txt"
    good.write_text("Suwon Mayor Lee Jae-jun backs the semiconductor industry in Suwon.\n")
    paths = [good]
    for n, (suffix, data) in enumerate(files):
        path = folder / f"f{n}-{uuid.uuid4().hex[:8]}{suffix}"
        path.write_bytes(data)
        paths.append(path)
    os.environ[TIMEOUT_ENV] = "20"
    try:
        report = api.load([folder], fuzz_store, workers=1, batch_size=50)
    finally:
        del os.environ[TIMEOUT_ENV]
    crashes = [f for f in report.failed if "please report" in f.message or "took longer" in f.message]
    record("bad input", inputs_tried=len(files), crashes=len(crashes))
    assert crashes == []
    assert report.files == len(paths)
    assert report.loaded + len(report.failed) == len(paths)
    for failure in report.failed:
        assert "\n" not in str(failure) and failure.path in {str(p) for p in paths}
    loaded = {row[0] for row in fuzz_store.run("MATCH (d:Document) WHERE d.status = 'loaded' "
                                               "RETURN d.doc_id").rows}
    failed = {Path(f.path).stem for f in report.failed}
    assert good.stem in loaded
    assert {p.stem for p in paths} - failed <= loaded


def _one_line_skips(stderr: str) -> dict[str, str]:
    """{file name: message} of each `policygraph: skipped PATH: MESSAGE` line."""
    out = {}
    for line in stderr.splitlines():
        if line.startswith("policygraph: skipped "):
            path, _, message = line[len("policygraph: skipped "):].partition(": ")
            out[Path(path).name] = message
    return out


def test_monsters_through_the_cli(tmp_path):
    """Each monster gets one line or loads; the good files load; nothing hangs; no traceback."""
    docs = tmp_path / "docs"
    docs.mkdir()
    rng = random.Random(5)
    with open(docs / "huge.txt", "wb") as fh:  # 200 MB, sparse: costs no disk
        fh.truncate(200 * 1024 * 1024)
    sentence = "Gyeonggi Province Governor Kim Dong-yeon backs the semiconductor industry in Suwon. "
    (docs / "one-line.txt").write_text(sentence * (10 * 1024 * 1024 // len(sentence)))  # 10 MB, no newline
    cities = ["Suwon", "Hwaseong", "Busan", "Incheon", "Daegu", "Gumi", "Pohang", "Changwon", "Wonju", "Cheonan"]
    (docs / "ten-thousand.txt").write_text("Cities named in the plan: "
                                           + ", ".join(rng.choice(cities) for _ in range(10_000)) + ".\n")
    (docs / "nested.html").write_text("<div>" * 200_000 + "Suwon" + "</div>" * 200_000)
    (docs / "loop.txt").symlink_to(docs / "loop.txt")  # a symlink to itself
    (docs / "sub").mkdir()
    (docs / "sub" / "up").symlink_to(docs)  # a folder loop
    (docs / "nul.txt").write_bytes(b"Suwon\x00Busan" * 100)
    (docs / "utf16.txt").write_bytes("\ufeffBusan Mayor Park Hyung-joon backs hydrogen.\n".encode("utf-16-le"))
    (docs / "odd.md").write_text("Suwon\u200b Mayor\u202e Lee Jae-jun 😀 backs \u2066semiconductors\u2069.\n")
    (docs / "good.txt").write_text("Busan Mayor Park Hyung-joon backs the hydrogen industry in Busan.\n")
    store = tmp_path / "store"
    started = time.monotonic()
    proc = run_cli("load", str(docs), str(DEMO), "--store", str(store), env={TIMEOUT_ENV: "20"}, timeout=600)
    seconds = time.monotonic() - started
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    skipped = _one_line_skips(proc.stderr)
    record("bad input", inputs_tried=10, crashes=sum("please report" in m for m in skipped.values()))
    assert "over the size limit" in skipped["huge.txt"] and "--max-size" in skipped["huge.txt"]
    assert "nul.txt" in skipped and "binary" in skipped["nul.txt"]
    assert "loops back on itself" in skipped["loop.txt"]
    assert not any("please report" in m for m in skipped.values()), skipped
    for name in ("good.txt", "utf16.txt", "odd.md"):
        assert name not in skipped
    # The 10 MB line and the 10,000 names are loaded, or skipped with a message, within the time limit.
    for name in ("one-line.txt", "ten-thousand.txt", "nested.html"):
        assert name not in skipped or skipped[name]
    loaded = run_cli("cypher", "MATCH (d:Document) WHERE d.status = 'loaded' RETURN d.doc_id AS id", "--store",
                     str(store), "--format", "csv", check=True).stdout.split()[1:]
    assert {"good", "utf16", "odd", *(p.stem for p in DEMO.iterdir())} <= set(loaded)
    assert servers_on(store) == []
    print(f"\nmonsters: loaded in {seconds:.0f}s; skipped: " + "; ".join(f"{k}: {v}" for k, v in skipped.items()))


def test_default_size_limit_is_sensible_and_adjustable(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(25 * 1024 * 1024)  # over the 20 MB default
    proc = run_cli("load", str(big), "--store", str(tmp_path / "s"))
    assert proc.returncode == 1 and "over the size limit of 20.0 MB" in proc.stderr
    small = tmp_path / "small.txt"
    small.write_text("Suwon Mayor Lee Jae-jun backs semiconductors.\n" * 100)
    proc = run_cli("load", str(small), "--store", str(tmp_path / "s"), "--max-size", "0.001")
    assert proc.returncode == 1 and "raise it with --max-size" in proc.stderr


def test_a_file_that_vanishes_mid_load(tmp_path):
    """Files are listed first and read later: one deleted in between is reported, the others load."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a-first.txt").write_bytes(b"\x00\x01binary")  # fails first; its report deletes the next file
    (docs / "b-vanishing.txt").write_text("Busan Mayor Park Hyung-joon backs hydrogen.\n")
    (docs / "c-good.txt").write_text("Suwon Mayor Lee Jae-jun backs semiconductors.\n")

    def progress(path: str, outcome: str) -> None:
        if outcome == "failed" and path.endswith("a-first.txt"):
            (docs / "b-vanishing.txt").unlink()

    report = api.load([docs], tmp_path / "store", workers=1, progress=progress)
    messages = {Path(f.path).name: f.message for f in report.failed}
    assert set(messages) == {"a-first.txt", "b-vanishing.txt"}
    assert "vanished" in messages["b-vanishing.txt"] or "no such file" in messages["b-vanishing.txt"]
    assert report.loaded == 1
