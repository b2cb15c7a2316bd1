"""Unit tests of the .cypher header reader (queries/named.py)."""
from __future__ import annotations

import pytest

from policygraph.queries.named import parse

GOOD = """// name: demo
// answers: What a demo answers,
//   over two lines.
// param: who (entity: Person|City) the person or city
// param: limit (int = 5) at most this many
// param: note (text = null) optional text
// example: policygraph query demo --param who=Suwon
MATCH (n:Entity {id: $who}) RETURN n.name, $note LIMIT $limit
"""


def test_header_fields_parameters_and_defaults():
    q = parse(GOOD)
    assert (q.name, q.answers) == ("demo", "What a demo answers, over two lines.")
    who, limit, note = q.params
    assert (who.kind, who.types, who.required) == ("entity", ("Person", "City"), True)
    assert (limit.kind, limit.default, limit.required) == ("int", 5, False)
    assert (note.default, note.required) == (None, False)
    assert [p.describe() for p in q.params] == ["who (Person|City)", "limit (int, default 5)",
                                                "note (text, default null)"]
    assert q.example == "policygraph query demo --param who=Suwon"


@pytest.mark.parametrize("broken, reason", [
    (GOOD.replace("// name: demo\n", ""), "needs one '// name:'"),
    (GOOD.replace("// example: policygraph query demo --param who=Suwon\n", ""), "an '// example:' line"),
    (GOOD.replace("(int = 5)", "(number = 5)"), "cannot read the parameter"),
    (GOOD.replace("Person|City", "Person|Town"), "not entity types"),
    (GOOD.replace("(text = null)", "(text: Person = null)"), "not entity types"),
])
def test_malformed_headers_name_the_file(broken, reason):
    with pytest.raises(ValueError, match=reason) as info:
        parse(broken, "demo.cypher")
    assert str(info.value).startswith("demo.cypher: ")


def test_notes_after_an_empty_comment_line_stay_out_of_the_header():
    q = parse(GOOD.replace("MATCH", "//\n// Why it walks from the index.\nMATCH"))
    assert q.example == "policygraph query demo --param who=Suwon"
    assert parse(GOOD.replace("MATCH", "// continued\nMATCH")).example.endswith("who=Suwon continued")
