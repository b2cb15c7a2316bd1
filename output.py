"""Render query results as a text table, JSON or CSV."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from policygraph.graph.store import Result

FORMATS = ("table", "json", "csv")


def render(result: Result, fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps(result.records(), ensure_ascii=False, indent=2, default=str)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(result.columns)
        for row in result.rows:
            writer.writerow([_cell(v) for v in row])
        return buf.getvalue().rstrip("\n")
    return table(result.columns, [[_cell(v) for v in row] for row in result.rows])


def table(columns: list[str], rows: list[list[str]], max_width: int = 60) -> str:
    if not columns:
        return "(no columns)"
    cells = [[_clip(c, max_width) for c in row] for row in rows]
    widths = [max([len(col)] + [len(r[i]) for r in cells]) for i, col in enumerate(columns)]
    line = "  ".join(col.ljust(w) for col, w in zip(columns, widths))
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    footer = f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
    return "\n".join([line.rstrip(), rule, *body, footer])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _clip(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"
