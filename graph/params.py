"""Parameters as FalkorDB reads them: the text of a `CYPHER name=value ...` header.

The output is the FalkorDB client's own (falkordb.helpers.stringify_param_value),
character for character: strings in double quotes with only backslash and quote
escaped, None as null, map keys in backticks. The client calls itself once per
value with a chain of isinstance tests; a load's rows are millions of values,
and encoding them took a fifth of the loading process's CPU time.

Here a list of rows (maps with the same keys, as the writer sends) is encoded a
column at a time: all the strings of a column, or of a column of string lists,
are joined, escaped in one pass and split again, and each row is one `%` of a
template. Anything else goes value by value.
"""
from __future__ import annotations

from itertools import chain
from typing import Any

from falkordb.helpers import stringify_param_value

from policygraph.errors import QueryError

# Join a column's strings (ITEM) and its lists (LIST) so that one pass escapes them all;
# a column with either character in a string goes value by value.
ITEM, LIST = "\x00", "\x01"
NUMBERS = frozenset({int, float, bool})
_keys: dict[Any, str] = {}


def cypher_value(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if kind is dict:
        return "{" + ",".join([_key(k) + cypher_value(v) for k, v in value.items()]) + "}"
    if kind is list or kind is tuple:
        return "[" + ",".join(_items(value)) + "]"
    if value is None:
        return "null"
    if kind in NUMBERS:
        return str(value)
    return stringify_param_value(value)


def _items(values: list | tuple) -> list[str]:
    """The encoded items of one list."""
    if not values:
        return []
    kinds = set(map(type, values))
    if kinds == {dict} and values[0] and _same_keys(values):
        return _rows(values)
    return _column(values, kinds)


def _same_keys(rows: list | tuple) -> bool:
    keys = tuple(rows[0])
    return all(tuple(row) == keys for row in rows)  # in the same order: the text keeps each map's order


def _rows(rows: list | tuple) -> list[str]:
    keys = list(rows[0])
    template = "{" + ",".join(_key(k).replace("%", "%%") + "%s" for k in keys) + "}"
    columns = [_column(col, set(map(type, col))) for col in ([row[k] for row in rows] for k in keys)]
    return [template % values for values in zip(*columns)]


def _column(values: list | tuple, kinds: set[type]) -> list[str]:
    """Each of `values` encoded, in one pass where they are all strings, numbers or lists of strings."""
    if kinds == {str}:
        return _strings(values)
    if kinds <= NUMBERS:
        return list(map(str, values))
    if kinds <= {list, tuple}:
        inner = set(map(type, chain.from_iterable(values)))
        if inner <= {str}:
            return _string_lists(values)
        if inner <= NUMBERS:
            return ["[" + ",".join(map(str, items)) + "]" for items in values]
    return list(map(cypher_value, values))


def _strings(values: list | tuple) -> list[str]:
    joined = ITEM.join(values)
    if joined.count(ITEM) != len(values) - 1:  # one of them has ITEM in it
        return list(map(cypher_value, values))
    return ('"' + _escaped(joined).replace(ITEM, '"' + ITEM + '"') + '"').split(ITEM)


def _string_lists(lists: list | tuple) -> list[str]:
    every = "".join(chain.from_iterable(lists))
    if ITEM in every or LIST in every:
        return list(map(cypher_value, lists))
    joined = LIST.join([ITEM.join(items) for items in lists])
    pieces = _escaped(joined).replace(ITEM, '","').split(LIST)
    return ['["' + piece + '"]' if items else "[]" for piece, items in zip(pieces, lists)]


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _key(key: Any) -> str:
    text = _keys.get(key)
    if text is None:
        name = key.decode() if isinstance(key, bytes) else str(key)
        if not name or "`" in name:
            raise QueryError(f"{name!r} cannot be a key of a map parameter: FalkorDB reads no empty key "
                             "and no backtick in one; rename it")
        text = f"`{name}`:"
        if len(_keys) < 10_000:  # policygraph's own keys are a few dozen; an import's are the user's
            _keys[key] = text
    return text
