"""The viewer page in a real headless Chromium, built by the real CLI from real stores.

Two graphs: the seed corpus loaded with `policygraph load`, and a small graph
written by the real writer (every relation type, a person whose name has no
alias, and entity names, aliases, evidence and a document title that are
HTML/JS injection attempts) plus a hostile HTML document loaded by the CLI.
"""
from __future__ import annotations

import io
import json
import re
import statistics
from pathlib import Path

import pytest

from conftest import run_cli

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>window.__pwned=1</script>"
HANDLER = '"><svg onload="window.__pwned=2">'

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason="Debian's chromium is missing: run tests/setup-tools.sh as root")


# -- graphs and pages ---------------------------------------------------------------------------

def crafted_documents():
    from policygraph.schema.model import Document, DocumentGraph, Entity, Evidence, Relation

    def ev(doc, sentence):
        return [Evidence(doc, sentence, 0, len(sentence), "test-rule", 0.9)]

    lee = Entity("person:lee-jae-myung", "Person", "Lee Jae-myung", [], ["Governor"])
    gyeonggi = Entity("province:gyeonggi", "Province", "Gyeonggi Province", ["Gyeonggi"])
    chips = Entity("industry:semiconductors", "Industry", "semiconductors")
    suwon = Entity("city:suwon", "City", "Suwon")
    plan = Entity("plan:k-semi", "Plan", "K-Semiconductor Strategy")
    evil_org = Entity("org:evil-img", "Organization", IMG, [SCRIPT, HANDLER])
    evil_plan = Entity("plan:evil-script", "Plan", SCRIPT)
    calm = DocumentGraph(
        Document("d1", "", title="Gyeonggi backs chips", date="2021-10-07", source="Gyeonggi News", content_hash="h1"),
        entities=[lee, gyeonggi, chips, suwon, plan],
        relations=[Relation(lee.id, "LEADS", gyeonggi.id, ev("d1", "Governor Lee Jae-myung of Gyeonggi Province spoke.")),
                   Relation(gyeonggi.id, "SUPPORTS", chips.id, ev("d1", "Gyeonggi will foster semiconductors.")),
                   Relation(suwon.id, "BELONGS_TO", gyeonggi.id, ev("d1", "Suwon, in Gyeonggi Province, joined.")),
                   Relation(plan.id, "TARGETS", chips.id, ev("d1", "The K-Semiconductor Strategy targets chips."))])
    hostile = DocumentGraph(
        Document("d2", "", title=IMG + SCRIPT, date="2022-01-12", source=HANDLER, content_hash="h2"),
        entities=[evil_org, evil_plan, Entity(lee.id, "Person", lee.name, [], ["Presidential Candidate"])],
        relations=[Relation(evil_org.id, "SUPPORTS", evil_plan.id, ev("d2", f"They said {IMG} and {SCRIPT}\u2028{HANDLER}")),
                   Relation(lee.id, "SUPPORTS", evil_org.id, ev("d2", f"Lee backs {IMG}."))])
    return [calm, hostile]


BUSY_DOCS = 24  # more than the page lists of a node's documents, an edge's sentences and a person's offices


def busy_documents():
    """Documents that all name the same hubs and state the same edges: the shape of a big corpus, small."""
    from policygraph.schema.model import Document, DocumentGraph, Entity, Evidence, Relation

    def ev(doc, sentence):
        return [Evidence(doc, sentence, 0, len(sentence), "test-rule", 0.9)]

    gyeonggi = Entity("province:gyeonggi", "Province", "Gyeonggi Province", ["Gyeonggi"])
    chips = Entity("industry:semiconductors", "Industry", "semiconductors")
    suwon = Entity("city:suwon", "City", "Suwon")
    for i in range(BUSY_DOCS):
        doc_id = f"b{i:02d}"
        lee = Entity("person:lee-jae-myung", "Person", "Lee Jae-myung", [], ["Governor" if i % 3 else "Candidate"])
        local = Entity(f"industry:local-{i}", "Industry", f"local industry {i}")
        relations = [Relation(lee.id, "LEADS", gyeonggi.id, ev(doc_id, f"Governor Lee leads Gyeonggi ({i}).")),
                     Relation(gyeonggi.id, "SUPPORTS", chips.id, ev(doc_id, f"Gyeonggi backs chips ({i}).")),
                     Relation(lee.id, "SUPPORTS", local.id, ev(doc_id, f"Lee backs local industry {i}."))]
        if i % 2:
            relations.append(Relation(suwon.id, "BELONGS_TO", gyeonggi.id, ev(doc_id, f"Suwon is in Gyeonggi ({i}).")))
        yield DocumentGraph(Document(doc_id, "", title=f"Briefing {i}", date=f"20{10 + i % 12}-0{1 + i % 9}-1{i % 10}",
                                     source="Busy News", content_hash=f"h{i}"),
                            entities=[lee, gyeonggi, chips, suwon, local], relations=relations)


@pytest.fixture(scope="module")
def busy_store(tmp_path_factory) -> Path:
    from policygraph.graph.store import open_store
    from policygraph.graph.writer import GraphWriter

    store = tmp_path_factory.mktemp("busy") / "store"
    with open_store(store) as db:
        list(GraphWriter(db).write(busy_documents()))
    return store


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory, seeds) -> Path:
    store = tmp_path_factory.mktemp("seeds") / "store"
    run_cli("load", str(seeds), "--store", str(store), check=True)
    return store


@pytest.fixture(scope="module")
def seeds_page(seeds_store, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seeds-page") / "seeds.html"
    proc = run_cli("view", "--store", str(seeds_store), "-o", str(out), check=True)
    assert proc.stdout.strip().splitlines()[-1] == str(out.resolve())
    return out


@pytest.fixture(scope="module")
def crafted_store(tmp_path_factory) -> Path:
    from policygraph.graph.store import open_store
    from policygraph.graph.writer import GraphWriter

    folder = tmp_path_factory.mktemp("crafted")
    store = folder / "store"
    with open_store(store) as db:
        list(GraphWriter(db).write(crafted_documents()))
    page = folder / "docs" / "hostile-page.html"
    page.parent.mkdir()
    page.write_text(f"<html><head><title>{IMG.replace('<', '&lt;')} {SCRIPT.replace('<', '&lt;')}</title></head>"
                    f"<body><article><h1>{IMG.replace('<', '&lt;')}</h1><p>Suwon and Gyeonggi Province back "
                    "semiconductors, said the governor of Gyeonggi Province.</p>"
                    f"<p>Text with &lt;/script&gt;&lt;script&gt;window.__pwned=3&lt;/script&gt; in it.</p>"
                    "</article></body></html>", encoding="utf-8")
    run_cli("load", str(page.parent), "--store", str(store), check=True)
    return store


@pytest.fixture(scope="module")
def crafted_page(crafted_store, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("crafted-page") / "crafted.html"
    run_cli("view", "--store", str(crafted_store), "-o", str(out), "--documents", check=True)
    return out


def page_data(path: Path, block: str):
    html = path.read_text(encoding="utf-8")
    return json.loads(re.search(rf'<script type="application/json" id="pg-{block}">(.*?)</script>', html, re.S).group(1))


# -- the browser ------------------------------------------------------------------------------

class Visit:
    """One page opened from disk, with everything it asked of the network and the console."""

    def __init__(self, context, path: Path):
        self.url = path.resolve().as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("dialog", self._dialog)
        self.page.route("**/*", self._route)
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-stable=true]", state="attached", timeout=120_000)
        self.page.wait_for_timeout(500)  # the loading veil fades out

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route) -> None:
        if route.request.url == self.url:
            route.continue_()
        else:
            route.abort()

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def settle(self) -> None:
        """Wait until the view stops gliding (after a search the page animates to the node)."""
        view = "() => { const n = window.pgView.network; return [n.getViewPosition(), n.getScale()]; }"
        last = None
        for _ in range(50):
            now = self.js(view)
            if now == last:
                return
            last = now
            self.page.wait_for_timeout(200)

    def point(self, node_id: str) -> tuple[float, float]:
        """Where a node is drawn, in page coordinates."""
        at = self.js("id => { const n = window.pgView.network; return n.canvasToDOM(n.getPositions([id])[id]); }", node_id)
        box = self.page.locator("#pg-network").bounding_box()
        return box["x"] + at["x"], box["y"] + at["y"]

    def edge_point(self, edge_id: str) -> tuple[float, float]:
        # vis-network has no public "where is this edge"; its edge type's getPoint(0.5) is the midpoint.
        at = self.js("id => { const n = window.pgView.network; return n.canvasToDOM(n.body.edges[id].edgeType.getPoint(0.5)); }",
                     edge_id)
        box = self.page.locator("#pg-network").bounding_box()
        return box["x"] + at["x"], box["y"] + at["y"]

    def screenshot(self):
        from PIL import Image

        return Image.open(io.BytesIO(self.page.locator("#pg-network").screenshot())).convert("RGB")

    def panel_title(self) -> str:
        return self.page.locator("#pg-panel h2").inner_text()

    def close(self) -> None:
        self.page.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is missing: run tests/setup-tools.sh as root")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(str(profile), executable_path=str(CHROMIUM), headless=True,
                                                        args=ARGS, viewport={"width": 1400, "height": 900})
        yield context
        context.close()


@pytest.fixture
def visit(browser):
    opened: list[Visit] = []

    def open_page(path: Path) -> Visit:
        opened.append(Visit(browser, path))
        return opened[-1]

    yield open_page
    for v in opened:
        v.close()


def _near(pixel, colour: str, tolerance: int = 40) -> bool:
    want = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, want))


# -- the file ---------------------------------------------------------------------------------

def test_view_prints_the_path_and_writes_one_self_contained_file(seeds_page):
    html = seeds_page.read_text(encoding="utf-8")
    assert not re.search(r"""<(?:link|iframe|object|embed)\b""", html, re.I)
    assert not re.search(r"""\s(?:src|href|srcset|action)\s*=\s*(?!["']?(?:data:|#))""", html.split("<script>", 1)[0], re.I)
    styles = "".join(re.findall(r"<style>(.*?)</style>", html, re.S))
    assert "#pg-network" in styles and not re.search(r"""url\(\s*(?!["']?data:)""", styles, re.I)
    assert "@import" not in html
    for host in ("cdnjs", "jsdelivr", "unpkg", "bootstrap", "googleapis"):  # what pyvis's own templates load
        assert host not in html.lower()
    labels = {n["id"]: n["label"] for n in page_data(seeds_page, "nodes")}
    assert labels["person:lee-jae-myung"] == "Lee Jae-myung"  # names, not ids
    assert not any(n["type"] == "Document" for n in page_data(seeds_page, "nodes"))


def test_documents_are_shown_with_their_titles_when_asked(crafted_page):
    docs = [n for n in page_data(crafted_page, "nodes") if n["type"] == "Document"]
    assert {d["docId"] for d in docs} >= {"d1", "d2", "hostile-page"}
    assert next(d["label"] for d in docs if d["docId"] == "d1") == "Gyeonggi backs chips"


def test_focus_types_degree_and_limit_through_the_cli(crafted_store, tmp_path):
    def ids(*args):
        out = tmp_path / "v.html"
        run_cli("view", "--store", str(crafted_store), "-o", str(out), *args, check=True)
        return {n["id"]: n for n in page_data(out, "nodes")}

    assert set(ids("--focus", "LEE JAEMYUNG", "--depth", "1")) == {
        "person:lee-jae-myung", "province:gyeonggi", "org:evil-img"}
    two = set(ids("--focus", "lee jae myung", "--depth", "2"))
    assert {"city:suwon", "industry:semiconductors", "plan:evil-script"} <= two and "plan:k-semi" not in two
    assert {n["type"] for n in ids("--types", "person,industry").values()} == {"Person", "Industry"}
    dense = ids("--min-degree", "2")
    assert dense and "plan:k-semi" not in dense and "province:gyeonggi" in dense
    top = ids("--limit", "2")
    assert sorted(n["rank"] for n in top.values()) == [1, 2]
    bad = run_cli("view", "--store", str(crafted_store), "-o", str(tmp_path / "x.html"), "--focus", "Lee Jaemyong")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "did you mean 'Lee Jae-myung'" in bad.stderr and not (tmp_path / "x.html").exists()
    wrong_type = run_cli("view", "--store", str(crafted_store), "--types", "Persons", "-o", str(tmp_path / "y.html"))
    assert wrong_type.returncode == 2 and "unknown type 'Persons'" in wrong_type.stderr


def test_store_and_memory_choose_the_same_bounded_view(busy_store, monkeypatch):
    """The store is read in light batches, a graph in memory whole: both give the same view, bounded alike."""
    from policygraph.graph.export import read_graph
    from policygraph.graph.store import open_store
    from policygraph.queries import viewer
    from policygraph.queries.viewer import StoreSource, ViewOptions, edge_docs, edge_evidence, offices, select

    for name, value in (("EDGE_SENTENCES", 2), ("EDGE_DOCS", 3), ("NODE_DOCS", 4), ("NODE_OFFICES", 3)):
        monkeypatch.setattr(viewer, name, value)
    lee, hub = "person:lee-jae-myung", ("province:gyeonggi", "SUPPORTS", "industry:semiconductors")
    with open_store(busy_store) as db:
        whole = read_graph(db, documents=True)
        for options in (ViewOptions(), ViewOptions(limit=4, max_edges=3), ViewOptions(types=("Person", "Industry")),
                        ViewOptions(documents=True, focus="Lee Jaemyung", max_edges=40),
                        ViewOptions(focus="suwon", depth=2, min_degree=2)):
            light, full = select(StoreSource(db), options), select(whole, options)
            assert set(light.graph) == set(full.graph) and light.rank == full.rank, options
            assert sorted(light.graph.edges(keys=True)) == sorted(full.graph.edges(keys=True)), options
            assert (light.edges_between, light.total_nodes, light.total_edges) == \
                (full.edges_between, full.total_nodes, full.total_edges)
            assert light.mentions == full.mentions and light.mention_counts == full.mention_counts
            for a, b, k, attrs in light.graph.edges(keys=True, data=True):
                other = full.graph.edges[a, b, k]
                assert (edge_evidence(attrs), edge_docs(attrs)) == (edge_evidence(other), edge_docs(other))
            for node, attrs in light.graph.nodes(data=True):
                assert offices(attrs) == offices(full.graph.nodes[node]), node
                assert attrs["name"] == full.graph.nodes[node]["name"]
        view = select(StoreSource(db), ViewOptions(limit=4))
    assert lee in view.graph and view.mention_counts[lee] == BUSY_DOCS and len(view.mentions[lee]) == 4
    dates = [view.documents[d]["date"] for d in view.mentions[lee]]
    assert dates == sorted(dates, reverse=True)  # the newest four
    assert edge_evidence(view.graph.edges[hub[0], hub[2], hub[1]]) == (
        [(f"Gyeonggi backs chips ({i}).", f"b{i:02d}") for i in (0, 1)], BUSY_DOCS)
    held, count = offices(view.graph.nodes[lee])
    assert count == BUSY_DOCS and len(held) == 3 and held == sorted(held, key=lambda h: h.split("|")[1], reverse=True)
    # only the documents the page cites are read: the newest mentions, the sentences shown, the offices listed
    assert set(view.mentions[lee]) <= set(view.documents) and len(view.documents) < BUSY_DOCS


def test_view_keeps_the_strongest_edges_and_says_what_it_left_out(busy_store, tmp_path):
    out = tmp_path / "busy.html"
    proc = run_cli("view", "--store", str(busy_store), "-o", str(out), "--max-edges", "4", check=True)
    edges = page_data(out, "edges")
    nodes = page_data(out, "nodes")
    assert len(edges) == 4
    # the benchmark reads the number of nodes shown as the first "N nodes" on stderr
    assert int(re.search(r"(\d[\d,]*) nodes", proc.stderr).group(1)) == len(nodes) == 4 + BUSY_DOCS
    stated = {(e["from"], e["type"], e["to"]): e["docCount"] for e in edges}
    assert stated[("person:lee-jae-myung", "LEADS", "province:gyeonggi")] == BUSY_DOCS
    assert stated[("province:gyeonggi", "SUPPORTS", "industry:semiconductors")] == BUSY_DOCS
    assert stated[("city:suwon", "BELONGS_TO", "province:gyeonggi")] == BUSY_DOCS // 2
    assert stated[("person:lee-jae-myung", "SUPPORTS", "industry:local-0")] == 1  # ties go by id
    lines = proc.stderr.strip().splitlines()
    assert any(f"left out {BUSY_DOCS + 3 - 4} of the {BUSY_DOCS + 3} edges" in line and "--max-edges 4" in line
               for line in lines[1:])
    assert any(line.startswith("policygraph: evidence: the page carries the first 3 sentences") for line in lines[1:])
    hub = next(e for e in edges if e["type"] == "SUPPORTS" and e["to"] == "industry:semiconductors")
    assert len(hub["evidence"]) == 3 and hub["evidenceCount"] == BUSY_DOCS and len(hub["docs"]) == 10
    every = run_cli("view", "--store", str(busy_store), "-o", str(out), "--max-edges", "0", check=True)
    assert len(page_data(out, "edges")) == BUSY_DOCS + 3 and "left out" not in every.stderr


# -- the page in the browser ------------------------------------------------------------------

@pytest.mark.browser
def test_page_loads_offline_with_no_errors_and_no_requests(visit, seeds_page):
    v = visit(seeds_page)
    assert v.errors == []
    assert v.requests == [v.url]
    assert v.js("document.querySelectorAll('#pg-network canvas').length") == 1


@pytest.mark.browser
def test_canvas_is_drawn_with_type_colours(visit, seeds_page):
    v = visit(seeds_page)
    shot = v.screenshot()
    grey = list(shot.convert("L").get_flattened_data())
    assert statistics.pvariance(grey) > 50, "the graph canvas is blank"
    assert sum(1 for p in grey if p < 240) > 2000
    x, y = v.point("person:lee-jae-myung")
    box = v.page.locator("#pg-network").bounding_box()
    assert _near(shot.getpixel((round(x - box["x"]), round(y - box["y"]))), "#e15759"), "a Person is drawn in red"


@pytest.mark.browser
def test_legend_lists_the_types_present_with_counts(visit, seeds_page, seeds_store):
    stats = json.loads(run_cli("stats", "--store", str(seeds_store), "--format", "json", check=True).stdout)
    counts, relations = stats["labels"], stats["relations"]
    from policygraph.schema.model import ENTITY_TYPES

    expected = {t: counts[t] for t in ENTITY_TYPES if counts.get(t)}
    v = visit(seeds_page)
    legend = """list => Array.from(document.querySelectorAll(list + ' li'),
                    li => [li.dataset.type, Number(li.querySelector('.pg-count').textContent.replace(/,/g, ''))])"""
    assert dict(v.js(legend, "#pg-types")) == expected
    assert dict(v.js(legend, "#pg-relations")) == {r: n for r, n in relations.items() if r != "MENTIONS"}


@pytest.mark.browser
def test_search_finds_lee_jaemyung(visit, seeds_page):
    v = visit(seeds_page)
    v.page.fill("#pg-search", "Lee Jaemyung")
    assert v.page.locator("#pg-suggest li").first.inner_text().startswith("Lee Jae-myung")
    v.page.keyboard.press("Enter")
    assert v.js("window.pgView.network.getSelectedNodes()") == ["person:lee-jae-myung"]
    assert v.panel_title() == "Lee Jae-myung"
    assert "Person" in v.page.locator("#pg-panel .pg-chips").inner_text()


@pytest.mark.browser
def test_search_matches_spellings_the_graph_never_saw(visit, crafted_page):
    v = visit(crafted_page)
    lee = next(n for n in page_data(crafted_page, "nodes") if n["id"] == "person:lee-jae-myung")
    assert "Lee Jaemyung" not in lee["aliases"]
    v.page.fill("#pg-search", "lee jaemyung")
    v.page.keyboard.press("Enter")
    assert v.js("window.pgView.network.getSelectedNodes()") == ["person:lee-jae-myung"]
    v.page.fill("#pg-search", "gyeonggi")  # an alias and a prefix of the name: the province comes first
    assert v.page.locator("#pg-suggest li").first.inner_text().startswith("Gyeonggi Province")


@pytest.mark.browser
def test_clicking_an_edge_shows_its_evidence_and_dated_sources(visit, crafted_page):
    v = visit(crafted_page)
    leads = next(e["id"] for e in page_data(crafted_page, "edges") if e["type"] == "LEADS")
    v.page.mouse.click(*v.edge_point(leads))
    assert v.js("window.pgView.state.selected") == {"kind": "edge", "id": leads}
    panel = v.page.locator("#pg-panel").inner_text()
    assert "Governor Lee Jae-myung of Gyeonggi Province spoke." in panel
    assert "Gyeonggi backs chips · 2021-10-07" in panel


@pytest.mark.browser
def test_clicking_a_node_lights_up_its_neighbourhood(visit, crafted_page):
    v = visit(crafted_page)
    box = v.page.locator("#pg-network").bounding_box()

    def colour(node):
        v.page.mouse.move(box["x"] + 2, box["y"] + 2)  # no tooltip over the pixel
        v.page.wait_for_timeout(300)
        x, y = v.point(node)
        for _ in range(30):  # Reset fits the view in a 400 ms animation: read the pixel once it stops
            v.page.wait_for_timeout(100)
            now = tuple(v.point(node))
            if now == (x, y):
                break
            x, y = now
        return v.screenshot().getpixel((round(x - box["x"]), round(y - box["y"])))

    assert _near(colour("plan:k-semi"), "#b07aa1")
    v.page.mouse.click(*v.point("person:lee-jae-myung"))
    assert v.js("window.pgView.network.getSelectedNodes()") == ["person:lee-jae-myung"]
    assert _near(colour("province:gyeonggi"), "#59a14f"), "a neighbour keeps its colour"
    assert min(colour("plan:k-semi")) > 215, "a node two steps away is veiled"
    assert v.panel_title() == "Lee Jae-myung"
    assert "Governor" in v.page.locator("#pg-panel").inner_text()
    v.page.click("#pg-reset")
    assert _near(colour("plan:k-semi"), "#b07aa1")


@pytest.mark.browser
def test_unticking_a_type_hides_its_nodes(visit, crafted_page):
    v = visit(crafted_page)
    hidden = "() => window.pgView.nodes.get({filter: n => n.type === 'Industry' && n.hidden}).length"
    assert v.js(hidden) == 0
    v.page.click("#pg-types li[data-type=Industry] input")
    assert v.js(hidden) == 1
    box = v.page.locator("#pg-network").bounding_box()
    v.page.mouse.move(box["x"] + 2, box["y"] + 2)
    x, y = v.point("industry:semiconductors")
    assert min(v.screenshot().getpixel((round(x - box["x"]), round(y - box["y"])))) > 215


@pytest.mark.browser
def test_panels_give_the_full_counts_of_what_the_page_carries_a_few_of(visit, busy_store, tmp_path):
    out = tmp_path / "busy.html"
    run_cli("view", "--store", str(busy_store), "-o", str(out), check=True)
    v = visit(out)
    v.page.fill("#pg-search", "Lee Jaemyung")
    v.page.keyboard.press("Enter")
    panel = v.page.locator("#pg-panel").text_content()  # as written, not upper-cased by CSS
    assert f"Mentioned in {BUSY_DOCS} documents" in panel and f"… and {BUSY_DOCS - 20} more" in panel
    assert f"… and {BUSY_DOCS - 10} more offices" in panel
    assert f"({BUSY_DOCS} sentences)" in panel  # the LEADS edge, of which the page holds three
    leads = next(e["id"] for e in page_data(out, "edges") if e["type"] == "LEADS")
    v.js("id => window.pgView.network.fit({nodes: [window.pgView.edges.get(id).from, window.pgView.edges.get(id).to]})", leads)
    v.settle()
    v.page.mouse.click(*v.edge_point(leads))
    assert v.js("window.pgView.state.selected") == {"kind": "edge", "id": leads}
    panel = v.page.locator("#pg-panel").text_content()  # as written, not upper-cased by CSS
    assert f"Stated in{BUSY_DOCS} documents" in panel
    assert "Governor Lee leads Gyeonggi (2)." in panel and "Governor Lee leads Gyeonggi (3)." not in panel
    assert f"… and {BUSY_DOCS - 3} more sentences" in panel
    assert v.errors == []


@pytest.mark.browser
def test_physics_stops_once_the_layout_is_stable(visit, seeds_page):
    v = visit(seeds_page)
    before = v.js("window.pgView.network.getPositions()")
    v.page.wait_for_timeout(1000)
    assert v.js("window.pgView.network.getPositions()") == before


@pytest.mark.browser
def test_hostile_strings_render_as_text_and_run_nothing(visit, crafted_page):
    v = visit(crafted_page)
    # find the hostile node by its own name, open its panel and its tooltip, open the hostile edge
    v.page.fill("#pg-search", IMG)
    v.page.keyboard.press("Enter")
    v.settle()
    assert v.panel_title() == IMG
    assert SCRIPT in v.page.locator("#pg-panel").inner_text()
    x, y = v.point("org:evil-img")
    v.page.mouse.move(x - 30, y - 30)
    v.page.mouse.move(x, y, steps=5)
    v.page.wait_for_selector("div.vis-tooltip", state="visible")
    assert IMG in v.page.locator("div.vis-tooltip").inner_text()
    evil_edge = next(e["id"] for e in page_data(crafted_page, "edges") if e["from"] == "org:evil-img")
    v.settle()
    v.page.mouse.click(*v.edge_point(evil_edge))
    panel = v.page.locator("#pg-panel").inner_text()
    assert IMG in panel and SCRIPT in panel and HANDLER in panel
    v.page.fill("#pg-search", "hostile-page")
    v.page.keyboard.press("Enter")
    assert v.js("window.pgView.network.getSelectedNodes()") == ["document:hostile-page"]
    v.page.wait_for_timeout(300)
    assert v.js("typeof window.__pwned") == "undefined"
    assert v.dialogs == []
    assert v.requests == [v.url], "an injected element tried to load something"
    assert v.js("document.querySelectorAll('img, svg[onload], iframe').length") == 0
    assert v.js("document.scripts.length") == 6
    assert v.errors == []

