"""bench/measure.py's Tenths: what each tenth of a pass cost a document, from cumulative counters."""
from __future__ import annotations

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from benchmark import SizeFigures, report  # noqa: E402
from measure import Tenths  # noqa: E402


def counters(values):
    """A sampler that hands out the given samples one after another."""
    it = iter(values)
    return lambda: next(it)


def test_each_tenth_costs_its_own_share():
    # 20 documents; the counter grows 1 s a document for the first half and 3 s for the second.
    clock = [0.0]
    tenths = Tenths(20, lambda: {"wall": clock[0]})
    for done in range(1, 21):
        clock[0] += 1.0 if done <= 10 else 3.0
        tenths.tick(done)
    got = tenths.per_document()
    assert [t["documents"] for t in got] == [2] * 10
    assert [t["wall"] for t in got] == [1000.0] * 5 + [3000.0] * 5


def test_a_counter_that_cannot_be_read_or_goes_back_gives_no_figure():
    tenths = Tenths(3, counters([{"cpu": 0.0}, {"cpu": 1.0}, {"cpu": None}, {"cpu": 0.5}]), parts=3)
    for done in (1, 2, 3):
        tenths.tick(done)
    assert [t["cpu"] for t in tenths.per_document()] == [1000.0, None, None]


def test_fewer_documents_than_tenths_and_tenths_passed_at_once():
    small = Tenths(3, lambda: {"wall": 0.0})
    assert small.bounds == [1, 2, 3]  # no empty tenths
    jumpy = Tenths(10, counters([{"wall": 0.0}, {"wall": 6.0}, {"wall": 10.0}]))
    jumpy.tick(3)  # three tenths at once: one sample, one entry of three documents
    jumpy.tick(3)  # nothing new
    jumpy.tick(10)
    assert [(t["documents"], t["wall"]) for t in jumpy.per_document()] == [(3, pytest.approx(2000.0)),
                                                                           (7, pytest.approx(4000.0 / 7))]


def _size(n: int, walls: list[float]) -> SizeFigures:
    tenths = [{"documents": n // 10, "wall": w, "client_cpu": w / 2, "server_cpu": w / 4} for w in walls]
    return SizeFigures(n, write={"writer_tenths": tenths})


def test_the_report_shows_tenths_of_enough_documents_and_compares_the_halves():
    big = _size(100_000, [2.0] * 5 + [2.0, 2.1, 2.3, 2.4] + [9.0])
    text = report([_size(400, [1.0] * 10), big])
    table = text[text.index("tenth by tenth"):]
    assert "N = 100,000" in table and "N = 400" not in table  # 40 documents a tenth: batches, not costs
    # Halves of the ten tenths: 2.0 a document in the first, 2.2 in the second (the last, which holds
    # the end of the write, left out).
    assert "tenth 1 " in table and "2.00 / 0.50" in table and "x1.10 / x1.10" in table
    assert "2.00 / 0.50 *" not in table  # no restart in any tenth
    assert "tenth by tenth" not in report([_size(400, [1.0] * 10)])


def test_a_tenth_in_which_the_server_restarted_is_marked():
    big = _size(100_000, [2.0] * 10)
    big.write["writer_tenths"][3]["restart"] = 0.1
    big.write["writer_end_s"] = 1.5
    table = report([big])
    lines = {ln.split("  ")[0]: ln.split()[-1] for ln in table.splitlines() if ln.startswith(("tenth", "end"))}
    assert [k for k, v in lines.items() if v == "*"] == ["tenth 4"]
    assert lines["end of the write (s)"] == "1.5"
