"""Unit tests of the paths search's choice of step (queries/paths.py), on a store that only
records what it is asked: which side steps, and whether it tries the other frontier first.
The rows the search gives are checked against the Cypher on real stores (test_named_queries)."""
from __future__ import annotations

from policygraph.queries import paths


class Recorder:
    """Answers a step with no edges and a count of edges with a fixed number per entity."""

    def __init__(self, links_each: int = 1):
        self.links_each = links_each
        self.steps: list[tuple[int, int | None]] = []  # (frontier size, other frontier's size or None)
        self.counted = 0

    def neighbours(self, keys, within=None):
        self.steps.append((len(keys), None if within is None else len(within)))
        return []

    def link_total(self, keys):
        self.counted += 1
        return self.links_each * len(keys)


def side(size: int, links: int | None) -> paths._Side:
    """A side one step from its start, `size` entities on its frontier with `links` edges."""
    s = paths._Side("k0", links, True)
    s.frontier = [f"k{i}" for i in range(size)]
    s.depth = 1
    return s


def test_a_small_step_is_taken_whole_without_trying_the_other_frontier_first():
    # One pair could join the two: it rarely does, and the check costs a statement as the step does.
    store = Recorder()
    assert not paths._meet_directly(side(1, 19), side(1, 400), store)
    assert store.steps == []


def test_a_step_toward_hubs_tries_the_other_frontier_first():
    # 18 entities with 60,000 edges between them, 90 entities on the other side: 1,620 pairs.
    store = Recorder()
    assert not paths._meet_directly(side(18, 60_000), side(90, 300), store)  # it tried, and met nowhere
    assert store.steps == [(18, 90)]


def test_a_check_too_dear_for_its_odds_is_not_tried():
    # 400 x 400 pairs cost more than reading the 400 entities' few edges.
    store = Recorder()
    assert not paths._meet_directly(side(400, 800), side(400, 800), store)
    assert store.steps == []


def test_the_cheaper_side_counts_its_entities_as_well_as_its_edges():
    # 2,000 entities with one edge each cost more to step from than one hub with 5,000 edges.
    many, hub = side(2_000, 2_000), side(1, 5_000)
    store = Recorder()
    assert paths._cheaper(many, hub, store) == (hub, many)
    assert paths._cheaper(side(3, 30), side(1, 5_000), store)[0].links == 30


def test_an_uncounted_side_is_counted_only_when_its_least_cost_could_win():
    store = Recorder(links_each=2)
    counted, uncounted = side(1, 10), side(50, None)
    assert paths._cheaper(counted, uncounted, store) == (counted, uncounted)
    assert store.counted == 0  # 50 entities cost more than one with 10 edges, whatever their edges
    small = side(2, None)
    assert paths._cheaper(side(1, 5_000), small, store)[0] is small and store.counted == 1
