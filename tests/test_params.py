"""graph/params.py writes what the FalkorDB client writes, and the real server reads it back."""
import pytest
from falkordb.helpers import stringify_param_value
from hypothesis import given, settings
from hypothesis import strategies as st

from policygraph.errors import QueryError
from policygraph.graph.params import cypher_value

# Text with what needs escaping, the list joiner and non-ASCII letters among the rest.
TEXT = st.text(st.one_of(st.sampled_from('\\"\x00`\n\'é가'), st.characters(exclude_categories=("Cs",))),
               max_size=12)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT)
KEYS = TEXT.filter(lambda k: k and "`" not in k)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=5), st.tuples(inner, inner),
                                                       st.dictionaries(KEYS, inner, max_size=4)), max_leaves=20)


@given(VALUES)
@settings(max_examples=500)
def test_every_value_is_written_as_the_client_writes_it(value):
    assert cypher_value(value) == stringify_param_value(value)


@pytest.mark.parametrize("value", [[], [0], [1, -2, 10**15], [True, 1], [1, "1"], ["a", "b\x00c"], ["", ""],
                                   [{"k": ["x", 'y"']}], (1, "a")])
def test_mixed_and_edge_case_lists(value):
    assert cypher_value(value) == stringify_param_value(value)


@pytest.mark.parametrize("key", ["", "a`b"])
def test_a_map_key_falkordb_cannot_read_is_refused_with_the_way_out(key):
    with pytest.raises(QueryError, match="rename it"):
        cypher_value({key: 1})


def test_the_server_reads_back_what_was_sent(store):
    rows = [{"name": 'Lee "Jae-myung"', "path": "C:\\corpus\\a.txt", "aliases": ["이재명", "back\\slash", 'q"'],
             "count": 3, "share": 0.25, "ok": True, "none": None, "nested": [[1, 2], ["x"]]},
            {"name": "", "path": "line\nbreak\ttab", "aliases": [], "count": -1, "share": 1e-9, "ok": False,
             "none": None, "nested": []}]
    assert store.run("RETURN $rows AS rows", {"rows": rows}).value() == rows


ROW_VALUES = st.one_of(SCALARS, st.lists(TEXT, max_size=4), st.lists(st.integers(), max_size=3),
                       st.lists(st.one_of(TEXT, st.none()), max_size=3))


@st.composite
def rows(draw):
    """Maps with one set of keys, as the writer sends them; a column's values of one kind or mixed."""
    keys = draw(st.lists(KEYS, min_size=1, max_size=4, unique=True))
    kinds = {k: draw(st.sampled_from([TEXT, st.lists(TEXT, max_size=4), st.integers(), ROW_VALUES])) for k in keys}
    return [{k: draw(kinds[k]) for k in keys} for _ in range(draw(st.integers(1, 6)))]


@given(rows())
@settings(max_examples=500)
def test_rows_are_written_as_the_client_writes_them(value):
    assert cypher_value(value) == stringify_param_value(value)
    assert cypher_value([*value, {"other": 1}]) == stringify_param_value([*value, {"other": 1}])
