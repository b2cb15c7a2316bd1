"""The real CLI end to end on the embedded store: load, stats, export, cypher, bad input."""
from __future__ import annotations

import json
import shutil

import networkx as nx

from conftest import DEMO, run_cli, score

from policygraph.graph import statements as st
from policygraph.graph.store import open_store
from policygraph.graph.writer import UNMARK


def test_load_export_and_score_the_seeds(tmp_path, seeds):
    store = str(tmp_path / "s")
    load = run_cli("load", str(seeds), "--store", store)
    assert load.returncode == 0, load.stderr
    assert "5 loaded" in load.stderr
    out = tmp_path / "g.json"
    run_cli("export", "--format", "node-link", "-o", str(out), "--store", store, check=True)
    data = json.loads(out.read_text())
    graph = nx.node_link_graph(data, edges="links")
    docs = [n for n, d in graph.nodes(data=True) if "Document" in d["labels"]]
    assert sorted(graph.nodes[d]["doc_id"] for d in docs) == sorted(p.stem for p in seeds.glob("*.txt"))
    for _, d in graph.nodes(data=True):
        assert {"labels", "name"} <= set(d)
        if "Entity" in d["labels"]:
            assert isinstance(d["aliases"], list)
    for _, _, d in graph.edges(data=True):
        if d["type"] != "MENTIONS":
            assert d["doc_ids"]
    figures = score(out)
    assert figures["entity_f1"] > 0.0


def test_second_load_changes_nothing(tmp_path):
    store = str(tmp_path / "s")
    run_cli("load", str(DEMO), "--store", store, check=True)
    first = run_cli("stats", "--store", store, "--format", "json", check=True).stdout
    export1 = run_cli("export", "--store", store, check=True).stdout
    again = run_cli("load", str(DEMO), "--store", store, check=True)
    assert "0 loaded" in again.stderr and "unchanged" in again.stderr
    forced = run_cli("load", str(DEMO), "--store", store, "--force", check=True)
    assert "4 loaded" in forced.stderr
    assert run_cli("stats", "--store", store, "--format", "json", check=True).stdout == first
    assert run_cli("export", "--store", store, check=True).stdout == export1


def test_changed_document_replaces_its_old_contribution(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    page = docs / "a.txt"
    page.write_text("Suwon Mayor Yeom Tae-yeong spoke about semiconductors in Suwon.\n")
    store = str(tmp_path / "s")
    run_cli("load", str(docs), "--store", store, check=True)
    page.write_text("Busan Mayor Park Hyung-joon spoke about shipbuilding in Busan.\n")
    run_cli("load", str(docs), "--store", store, check=True)
    names = run_cli("cypher", "MATCH (n:Entity) RETURN n.name ORDER BY n.name", "--store", store,
                    "--format", "json", check=True).stdout
    found = {row["n.name"] for row in json.loads(names)}
    assert "Busan" in found and "Suwon" not in found and "Yeom Tae-yeong" not in found


YEOM = ("MATCH (p:Person {id: 'person:yeom-tae-yeong'}) "
        "RETURN p.roles AS roles, p:Mayor AS mayor, p:Governor AS governor, p.role_history AS history")


def _mayor_then_governor(tmp_path):
    """A page calls Yeom Tae-yeong mayor, another lawmaker; then the first calls him governor."""
    docs = tmp_path / "docs"
    docs.mkdir()
    page = docs / "a.txt"
    page.write_text("Suwon Mayor Yeom Tae-yeong spoke about semiconductors in Suwon.\n")
    # Another document keeps the person, so the change cannot simply delete and recreate him.
    (docs / "b.txt").write_text("Lawmaker Yeom Tae-yeong visited a battery plant in Suwon.\n")
    store = str(tmp_path / "s")
    run_cli("load", str(docs), "--store", store, check=True)
    return docs, page, store


def _yeom(store):
    rows = json.loads(run_cli("cypher", YEOM, "--store", store, "--format", "json", check=True).stdout)
    assert len(rows) == 1
    return rows[0]


def test_a_role_only_the_old_version_gave_leaves_with_its_label(tmp_path):
    docs, page, store = _mayor_then_governor(tmp_path)
    assert _yeom(store)["mayor"] is True
    page.write_text("Gyeonggi Governor Yeom Tae-yeong spoke about semiconductors in Suwon.\n")
    run_cli("load", str(docs), "--store", store, check=True)
    yeom = _yeom(store)
    assert yeom["roles"] == ["Governor", "Lawmaker"]  # sorted, wherever a role came from
    assert yeom["governor"] is True and yeom["mayor"] is False
    assert sorted(h.split("|")[0] for h in yeom["history"]) == ["Governor", "Lawmaker"]


def test_a_role_label_left_by_a_killed_forget_goes_the_next_time(tmp_path):
    docs, page, store = _mayor_then_governor(tmp_path)
    # What a run killed right after purging the old version's role entries leaves: the role has
    # left `roles` but the label is still there, and the document is not marked loaded.
    with open_store(store) as db:
        db.run(UNMARK, {"doc_id": "a"}, write=True)
        db.run(st.PURGE_ROLE_HISTORY, {"doc_id": "a", "ids": [], "suffix": "|a"}, write=True)
    left = _yeom(store)
    assert left["mayor"] is True and "Mayor" not in left["roles"]
    page.write_text("Gyeonggi Governor Yeom Tae-yeong spoke about semiconductors in Suwon.\n")
    run_cli("load", str(docs), "--store", store, check=True)
    yeom = _yeom(store)
    assert yeom["mayor"] is False and yeom["roles"] == ["Governor", "Lawmaker"]


ALIASES = "MATCH (n:Entity) WHERE size(n.aliases) > 0 RETURN n.id AS id, n.aliases AS aliases, n.keys AS keys"


def _aliases(store):
    rows = json.loads(run_cli("cypher", ALIASES, "--store", store, "--format", "json", check=True).stdout)
    return {row["id"]: (row["aliases"], sorted(row["keys"])) for row in rows}


def test_a_spelling_only_the_old_version_used_leaves_the_aliases_and_keys(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    page = docs / "a.txt"
    page.write_text("The Ministry of Trade, Industry and Energy (MOTIE) backs chips. MOTIE said so.\n"
                    "Suwon Mayor Yeom Taeyeong spoke about semiconductors.\n")
    # Another page spells Yeom the same way, and names the ministry in full only.
    (docs / "b.txt").write_text("Lawmaker Yeom Taeyeong visited the Ministry of Trade, Industry and Energy.\n")
    store = str(tmp_path / "s")
    run_cli("load", str(docs), "--store", store, check=True)
    before = _aliases(store)
    assert "MOTIE" in before["ministry:motie"][0] and "motie" in before["ministry:motie"][1]
    page.write_text("The Ministry of Trade, Industry and Energy backs chips.\n"
                    "Suwon Mayor Yeom Tae-yeong spoke about semiconductors.\n")
    run_cli("load", str(docs), "--store", store, check=True)
    after = _aliases(store)
    assert "MOTIE" not in after["ministry:motie"][0] and "motie" not in after["ministry:motie"][1]
    assert after["person:yeom-tae-yeong"][0] == ["Yeom Taeyeong"]  # b.txt still spells it so
    fresh = str(tmp_path / "fresh")
    run_cli("load", str(docs), "--store", fresh, check=True)
    assert after == _aliases(fresh)
    assert run_cli("export", "--store", store, check=True).stdout == run_cli("export", "--store", fresh, check=True).stdout


def test_bad_input_reports_each_file_and_loads_the_rest(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text("Gyeonggi Province Governor Kim Dong-yeon backs semiconductors.\n")
    (docs / "empty.txt").write_text("")
    (docs / "binary.txt").write_bytes(b"\x00\x01\x02\x03")
    (docs / "latin1.txt").write_bytes("caf\xe9 Seoul".encode("latin-1"))
    proc = run_cli("load", str(docs), str(tmp_path / "missing.txt"), "--store", str(tmp_path / "s"))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("policygraph: skipped")]
    assert len(lines) == 4
    for name in ("empty.txt", "binary.txt", "latin1.txt", "missing.txt"):
        assert any(name in ln for ln in lines)
    assert "1 loaded" in proc.stderr


def test_cypher_is_read_only_unless_write(tmp_path):
    store = str(tmp_path / "s")
    proc = run_cli("cypher", "CREATE (:Entity {id: 'x'})", "--store", store)
    assert proc.returncode != 0 and "--write" in proc.stderr and "Traceback" not in proc.stderr
    run_cli("cypher", "CREATE (:Entity {id: $id, name: $name})", "--param", "id=x", "--param",
            "name=Suwon", "--write", "--store", store, check=True)
    csv = run_cli("cypher", "MATCH (n:Entity) RETURN n.id AS id, n.name AS name", "--format", "csv",
                  "--store", store, check=True).stdout
    assert csv.strip().splitlines() == ["id,name", "x,Suwon"]
    table = run_cli("cypher", "MATCH (n:Entity) RETURN n.name AS name", "--store", store, check=True).stdout
    assert "Suwon" in table and "(1 row)" in table


def test_params_are_values_never_query_text(tmp_path):
    store = str(tmp_path / "s")
    evil = "') DETACH DELETE n //"
    run_cli("cypher", "CREATE (:Entity {id: 'e', name: $name})", "--param", f"name={evil}", "--write",
            "--store", store, check=True)
    out = run_cli("cypher", "MATCH (n:Entity {name: $name}) RETURN count(n) AS c", "--param", f"name={evil}",
                  "--format", "json", "--store", store, check=True).stdout
    assert json.loads(out) == [{"c": 1}]


def test_help_teaches_with_examples():
    for cmd in ("load", "export", "stats", "cypher"):
        out = run_cli(cmd, "--help", check=True).stdout
        assert "Example" in out and "--store" in out


def test_environment_variable_chooses_the_store(tmp_path):
    store = tmp_path / "env-store"
    run_cli("load", str(DEMO), env={"POLICYGRAPH_STORE": str(store)}, check=True)
    assert (store / "appendonlydir").is_dir()


def test_bad_param_is_a_usage_error(tmp_path):
    proc = run_cli("cypher", "RETURN 1", "--param", "novalue", "--store", str(tmp_path / "s"))
    assert proc.returncode == 2 and "key=value" in proc.stderr


def test_no_server_left_behind(tmp_path):
    store = tmp_path / "s"
    run_cli("load", str(DEMO), "--store", str(store), check=True)
    assert not (store / "falkordb.sock").exists()
    assert shutil.which("true")
