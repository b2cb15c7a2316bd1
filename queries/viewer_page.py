"""One self-contained HTML page for a View: pyvis nodes and edges, our own template.

pyvis assembles the nodes, edges and vis-network options; its own templates
are not used because they load Bootstrap (and, in some modes, vis-network)
from CDNs. Ours inlines vis-network's JS from the pyvis wheel and our own CSS
and JS (vis-network's CSS only styles widgets the page does not use), so the
file opens from disk with no network at all.

Safety: document strings reach the page only as JSON inside
<script type="application/json"> blocks, with <, >, &, U+2028 and U+2029
escaped so no string can close the block; the page's script reads them with
JSON.parse and writes them with textContent/DOM calls only. A Content
Security Policy allows exactly our two scripts (by hash) and no requests.
"""
from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

import pyvis
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from pyvis.network import Network

from policygraph.errors import PolicyGraphError
from policygraph.queries import viewer  # its bounds (viewer.NODE_DOCS, ...) read at run time: one source of truth
from policygraph.queries.viewer import DOCUMENT, View, cited_documents, edge_docs, edge_evidence, node_type, offices

ASSETS = Path(str(resources.files("policygraph.queries") / "assets"))
VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"

# type -> (colour, vis shape); shapes with the label below them, so size shows importance.
NODE_STYLE: dict[str, tuple[str, str]] = {
    "Person": ("#e15759", "dot"),
    "Organization": ("#76b7b2", "dot"),
    "Ministry": ("#4e79a7", "square"),
    "Country": ("#9c755f", "square"),
    "Province": ("#59a14f", "hexagon"),
    "City": ("#8cd17d", "triangle"),
    "Industry": ("#f28e2b", "diamond"),
    "Plan": ("#b07aa1", "star"),
    "Event": ("#ff9da7", "triangleDown"),
    DOCUMENT: ("#bab0ac", "box"),
}
FALLBACK_STYLE = ("#9d9d9d", "dot")
EDGE_STYLE: dict[str, tuple[str, str]] = {  # type -> (colour, label)
    "SUPPORTS": ("#2e8540", "supports"),
    "TARGETS": ("#c0392b", "targets"),
    "BELONGS_TO": ("#7f7f7f", "belongs to"),
    "LEADS": ("#1f5fa8", "leads"),
    "MENTIONS": ("#c9c9c9", "mentions"),
}
FALLBACK_EDGE = ("#999999", "")
BIG = 800  # nodes; above this edges are straight and hidden while dragging


class ViewerError(PolicyGraphError):
    """The page could not be built or written."""


def script_json(value: Any) -> Markup:
    """JSON that cannot end a <script> element nor be read as HTML."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return Markup(text)


@dataclass(slots=True)
class ViewReport:
    """What a written page shows."""

    path: str
    nodes: int
    edges: int
    total_nodes: int
    total_edges: int
    types: dict[str, int] = field(default_factory=dict)
    focus: str | None = None
    bytes: int = 0
    seconds: float = 0.0
    edges_between: int = 0  # edges between the nodes shown, before --max-edges
    notes: list[str] = field(default_factory=list)  # what the page leaves out, one line each

    def summary(self) -> str:
        # The number of nodes shown comes first, before any other "N nodes": bench/benchmark.py reads it so.
        kinds = ", ".join(f"{n} {t}" for t, n in self.types.items())
        between = max(self.edges_between, self.edges)
        return (f"{self.nodes} nodes of {self.total_nodes} ({kinds}) and {self.edges} of the {between} edges "
                f"between them ({self.total_edges} in all), {self.bytes / 1024:.0f} KB, built in {self.seconds:.2f}s")


def write_page(view: View, out: str | os.PathLike) -> ViewReport:
    """Render the view and write it to `out`; the report's path is absolute."""
    started = time.monotonic()
    html = render(view)
    path = Path(out).expanduser().resolve()
    try:
        path.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise ViewerError(f"cannot write {out} ({exc.strerror}): choose a writable file with -o") from exc
    counts: dict[str, int] = {}
    for _, attrs in view.graph.nodes(data=True):
        counts[node_type(attrs)] = counts.get(node_type(attrs), 0) + 1
    return ViewReport(path=str(path), nodes=view.graph.number_of_nodes(), edges=view.graph.number_of_edges(),
                      total_nodes=view.total_nodes, total_edges=view.total_edges,
                      types={t: counts[t] for t in _type_order(counts)}, focus=view.focus,
                      bytes=len(html.encode("utf-8")), seconds=time.monotonic() - started,
                      edges_between=view.edges_between, notes=left_out(view))


def left_out(view: View) -> list[str]:
    """One line for each thing the page leaves out, so nobody takes a bounded page for the whole graph."""
    g, notes = view.graph, []
    if view.edges_between > g.number_of_edges():
        notes.append(f"left out {view.edges_between - g.number_of_edges()} of the {view.edges_between} edges between "
                     f"the nodes shown: each node keeps its {viewer.EDGES_PER_NODE} strongest (by documents stating "
                     f"them), then the strongest others up to --max-edges {view.options.max_edges}")
    trimmed = sum(1 for _, _, a in g.edges(data=True)
                  if edge_evidence(a)[1] > viewer.EDGE_SENTENCES or edge_docs(a)[1] > viewer.EDGE_DOCS)
    if trimmed:
        notes.append(f"evidence: the page carries the first {viewer.EDGE_SENTENCES} sentences and {viewer.EDGE_DOCS} "
                     f"document ids of each edge, with the full counts (edges with more: {trimmed}; "
                     "policygraph query evidence gives every sentence)")
    named = sum(1 for n in g if view.mention_counts.get(n, 0) > len(view.mentions.get(n, ())))
    if named:
        notes.append(f"mentions: node panels list the newest {viewer.NODE_DOCS} documents naming each node, with the "
                     f"full count (named in more: {named})")
    held = sum(1 for _, a in g.nodes(data=True) if offices(a)[1] > viewer.NODE_OFFICES)
    if held:
        notes.append(f"offices: panels list a person's newest {viewer.NODE_OFFICES} offices, with the full count "
                     f"(people with more: {held})")
    return notes


def render(view: View) -> str:
    """The HTML text of the page."""
    net = build_network(view)
    vis_js = _read(VIS_DIR / "vis-network.min.js")
    app_js = _read(ASSETS / "viewer.js")
    for name, code in (("vis-network.min.js", vis_js), ("viewer.js", app_js)):
        if "</script" in code.lower() or "<!--" in code:  # either would end or derail the inline <script>
            raise ViewerError(f"{name} cannot be inlined safely; please report this to the policygraph developers")
    net.set_template_dir(str(ASSETS), "viewer.html")
    # pyvis's own environment does not autoescape; every {{ }} in our template must be escaped.
    net.templateEnv = Environment(loader=FileSystemLoader(str(ASSETS)), autoescape=True)
    net.templateEnv.filters["script_json"] = script_json
    net.templateEnv.globals.update(
        meta=meta(view), vis_js=Markup(vis_js), app_js=Markup(app_js), app_css=Markup(_read(ASSETS / "viewer.css")),
        csp=content_security_policy(vis_js, app_js))
    html = net.generate_html()
    check_self_contained(html)
    return html


def build_network(view: View) -> Network:
    g = view.graph
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", heading=view.options.title)
    top = max((view.importance.get(n, 0.0) for n in g), default=0.0) or 1.0
    for node, attrs in sorted(g.nodes(data=True), key=lambda item: view.rank.get(item[0], 0)):
        net.add_node(node, **node_fields(view, node, attrs, top))
    seen: dict[tuple[str, str], int] = {}
    for i, (source, target, attrs) in enumerate(sorted(g.edges(data=True), key=_edge_order)):
        pair = tuple(sorted((str(source), str(target))))
        parallel = seen[pair] = seen.get(pair, -1) + 1
        net.add_edge(source, target, **edge_fields(i, attrs, parallel, g.number_of_nodes()))
    net.options = vis_options(g.number_of_nodes(), g.number_of_edges(), seed=7)
    return net


def node_fields(view: View, node: str, attrs: dict[str, Any], top: float) -> dict[str, Any]:
    kind = node_type(attrs)
    colour, shape = NODE_STYLE.get(kind, FALLBACK_STYLE)
    name = str(attrs.get("name") or node)
    docs = view.mentions.get(node, [])[:viewer.NODE_DOCS]
    held, office_count = offices(attrs)
    fields: dict[str, Any] = {
        "label": _short(name, 28) if kind == DOCUMENT else name,
        "shape": shape, "color": node_colour(colour), "type": kind, "name": name,
        # sqrt keeps hubs big without making everything else a dot
        "value": round(math.sqrt(view.importance.get(node, 0.0) / top), 4),
        "importance": round(view.importance.get(node, 0.0), 6), "rank": view.rank.get(node, 0),
        "aliases": [str(a) for a in attrs.get("aliases") or [] if a != name],
        "roles": [str(r) for r in attrs.get("roles") or []],
        "offices": [_office(entry) for entry in held], "officeCount": office_count,
        "docs": docs, "docCount": max(view.mention_counts.get(node, 0), len(docs)),
    }
    if kind == DOCUMENT:  # a fixed-size card: the title is the label, importance does not scale it
        del fields["value"]
        fields.update(docId=attrs.get("doc_id", ""), font={"size": 11, "color": "#333333"}, margin=6,
                      widthConstraint={"maximum": 160})
    return fields


def edge_fields(i: int, attrs: dict[str, Any], parallel: int, nodes: int) -> dict[str, Any]:
    kind = str(attrs.get("type") or "")
    colour, label = EDGE_STYLE.get(kind, FALLBACK_EDGE)
    docs, doc_count = edge_docs(attrs)
    evidence, evidence_count = edge_evidence(attrs)
    fields: dict[str, Any] = {
        "id": f"e{i}", "label": label or kind.lower(), "type": kind,
        "color": {"color": colour, "highlight": colour, "hover": colour, "opacity": 0.9},
        "docs": docs, "docCount": doc_count,
        "evidence": [{"text": text, "doc": doc} for text, doc in evidence], "evidenceCount": evidence_count,
        "confidence": attrs.get("confidence"), "rules": [str(r) for r in attrs.get("rules") or []],
        "width": 1.0 + min(doc_count, 5) * 0.5,
    }
    if kind == "MENTIONS":
        fields.update(dashes=True, width=0.8, count=attrs.get("count"),
                      surfaces=[str(s) for s in attrs.get("surfaces") or []])
    if parallel and nodes <= BIG:  # a second edge between the same two nodes bends away from the first
        fields["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.2 * parallel}
    return fields


def node_colour(colour: str) -> dict[str, Any]:
    border = _darker(colour)
    return {"background": colour, "border": border, "highlight": {"background": colour, "border": "#222222"},
            "hover": {"background": colour, "border": "#222222"}}


def vis_options(nodes: int, edges: int, seed: int = 7) -> dict[str, Any]:
    big = nodes > BIG
    return {
        "autoResize": True,
        "layout": {"randomSeed": seed, "improvedLayout": nodes <= 150},
        "nodes": {
            "borderWidth": 1.5, "borderWidthSelected": 3,
            "font": {"size": 14, "face": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
                     "color": "#1f2328", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {"min": 8, "max": 34, "label": {"enabled": True, "min": 11, "max": 24,
                                                       "maxVisible": 28, "drawThreshold": 6}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.55}},
            "font": {"size": 10, "color": "#57606a", "strokeWidth": 3, "strokeColor": "#ffffff", "align": "middle"},
            "smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.3},
            "selectionWidth": 2, "hoverWidth": 1.5,
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "keyboard": False, "multiselect": False},
        "physics": {
            "enabled": True, "solver": "forceAtlas2Based",
            # on big graphs a coarser Barnes-Hut tree (theta) and no overlap pass halve each iteration
            "forceAtlas2Based": {"gravitationalConstant": -70, "centralGravity": 0.012, "springLength": 120,
                                 "springConstant": 0.06, "damping": 0.5, "avoidOverlap": 0 if big else 0.5,
                                 "theta": 0.9 if big else 0.5},
            "maxVelocity": 60, "minVelocity": 1.0, "timestep": 0.45,
            # the page switches physics off when these iterations are done
            "stabilization": {"enabled": True, "iterations": stabilization_iterations(nodes, edges),
                              "updateInterval": 25, "fit": True},
        },
    }


def stabilization_iterations(nodes: int, edges: int) -> int:
    """Fewer iterations as the graph grows, so 2,000 nodes settle in seconds, not minutes."""
    if nodes <= 200:
        return 600
    if nodes <= 800:
        return 350
    return 200


def meta(view: View) -> dict[str, Any]:
    """Everything the page shows beside the nodes and edges: legend, documents, counts."""
    counts: dict[str, int] = {}
    for _, attrs in view.graph.nodes(data=True):
        counts[node_type(attrs)] = counts.get(node_type(attrs), 0) + 1
    relations: dict[str, int] = {}
    for _, _, attrs in view.graph.edges(data=True):
        relations[attrs.get("type", "")] = relations.get(attrs.get("type", ""), 0) + 1
    return {
        "title": view.options.title,
        "types": [{"type": t, "count": counts[t], "color": NODE_STYLE.get(t, FALLBACK_STYLE)[0],
                   "shape": NODE_STYLE.get(t, FALLBACK_STYLE)[1]} for t in _type_order(counts)],
        "relations": [{"type": r, "count": n, "color": EDGE_STYLE.get(r, FALLBACK_EDGE)[0],
                       "label": EDGE_STYLE.get(r, FALLBACK_EDGE)[1] or r.lower()}
                      for r, n in sorted(relations.items(), key=lambda kv: _relation_order(kv[0]))],
        "documents": {d: view.documents[d] for d in sorted(cited_documents(view.graph, view.mentions))
                      if d in view.documents},
        "focus": view.focus,
        "shown": {"nodes": view.graph.number_of_nodes(), "edges": view.graph.number_of_edges()},
        "total": {"nodes": view.total_nodes, "edges": view.total_edges},
        "filters": _filters(view),
    }


def content_security_policy(*scripts: str) -> str:
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts)
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src 'none'; "
            "connect-src 'none'; base-uri 'none'; form-action 'none'")


class _References(HTMLParser):
    """Every URL-bearing attribute of the page, to prove nothing points outside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "data", "poster", "background") and value \
                    and not value.startswith(("#", "data:")):
                self.found.append(f"<{tag} {name}={value!r}>")


def external_references(html: str) -> list[str]:
    parser = _References()
    parser.feed(html)
    found = list(parser.found)
    lowered = html.lower()
    for marker in ("url(http", "url(//", "url('http", 'url("http', "@import"):
        if marker in lowered:
            found.append(marker)
    return found


def check_self_contained(html: str) -> None:
    refs = external_references(html)
    if refs:
        raise ViewerError(f"the page would load {refs[0]} from outside the file; please report this to the "
                          "policygraph developers")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ViewerError(f"cannot read {path} ({exc.strerror}): reinstall policygraph and pyvis>=0.3.2") from exc


def _office(entry: Any) -> dict[str, str]:
    role, _, rest = str(entry).partition("|")
    date, _, doc = rest.partition("|")
    return {"role": role, "date": date, "doc": doc}


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _darker(colour: str, factor: float = 0.72) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * factor) for c in (r, g, b)))


def _type_order(counts: dict[str, int]) -> list[str]:
    order = list(NODE_STYLE)
    return sorted(counts, key=lambda t: (order.index(t) if t in order else len(order), t))


def _relation_order(kind: str) -> tuple[int, str]:
    order = list(EDGE_STYLE)
    return (order.index(kind) if kind in order else len(order), kind)


def _edge_order(edge: tuple[str, str, dict[str, Any]]) -> tuple[str, str, str]:
    return (str(edge[0]), str(edge[2].get("type", "")), str(edge[1]))


def _filters(view: View) -> list[str]:
    o = view.options
    out = []
    if o.focus:
        out.append(f"focus {o.focus} (depth {o.depth})")
    if o.types:
        out.append("types " + ", ".join(o.types))
    if o.min_degree:
        out.append(f"min degree {o.min_degree}")
    if o.limit:
        out.append(f"top {o.limit}")
    if view.edges_between > view.graph.number_of_edges():
        out.append(f"strongest {view.graph.number_of_edges():,} of {view.edges_between:,} edges")
    if o.documents:
        out.append("documents shown")
    return out
