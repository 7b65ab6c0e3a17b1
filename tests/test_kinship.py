"""Close relatives (S07, 三(三)): derivations, limits, proofs, and a property test against plain Python."""

from __future__ import annotations

from itertools import combinations

from helpers import SCENARIOS, community, person
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.kinship import close_relative_pairs, close_relatives, kinship_graph
from planner.scenario import load_scenario


def rel(a: str, b: str, relation: str) -> dict[str, str]:
    return {"a": a, "b": b, "relation": relation}


def people(n: int) -> list[dict]:
    return [person(f"p{i:02d}") for i in range(1, n + 1)]


def pairs_of(c) -> dict[tuple[str, str], str]:
    return {(p.a, p.b): p.relation for p in close_relative_pairs(c)}


def test_spouse_and_parent_child_either_way():
    c = community(
        people(4),
        relatives=[rel("p02", "p01", "spouse"), rel("p03", "p01", "parent"), rel("p04", "p02", "child")],
    )
    assert pairs_of(c) == {
        ("p01", "p02"): "spouse",
        ("p01", "p03"): "parent_child",
        ("p02", "p04"): "parent_child",
    }


def test_sibling_through_shared_parent_in_others_with_proof():
    c = community(
        people(5),
        others=[{"id": "x01", "name": "某某"}],
        relatives=[rel("x01", "p04", "parent"), rel("p05", "x01", "child")],
    )
    found = {(p.a, p.b): p for p in close_relative_pairs(c)}
    pair = found[("p04", "p05")]
    assert pair.relation == "sibling"
    assert pair.proof_zh == "p04 与 p05 为兄弟姐妹：均为 x01 之子女"
    assert pair.proof_en == "p04 and p05 are siblings: both children of x01"
    assert found[("p04", "x01")].relation == "parent_child"
    rel_map = close_relatives(c)
    assert rel_map["p04"] == {"p05", "x01"} and rel_map["x01"] == {"p04", "p05"}
    assert rel_map["p01"] == set()


def test_listed_sibling_is_not_transitive_and_passes_no_parents_on():
    c = community(
        people(4),
        relatives=[rel("p01", "p02", "sibling"), rel("p02", "p03", "sibling"), rel("p04", "p01", "parent")],
    )
    found = pairs_of(c)
    assert found == {("p01", "p02"): "sibling", ("p02", "p03"): "sibling", ("p01", "p04"): "parent_child"}
    assert ("p01", "p03") not in found  # siblings of siblings are not derived
    assert ("p02", "p04") not in found  # p04 is not made p02's parent


def test_grandparent_derived_from_parent_of_parent():
    c = community(people(3), relatives=[rel("p01", "p02", "parent"), rel("p03", "p02", "child")])
    found = {(p.a, p.b): p for p in close_relative_pairs(c)}
    assert found[("p01", "p03")].relation == "grandparent_grandchild"
    assert found[("p01", "p03")].proof_zh == "p01 为 p03 之祖父母：p01 为 p02 之父母，p02 为 p03 之父母"
    assert "p01 is a grandparent of p03" in found[("p01", "p03")].proof_en


def test_listed_grandchild_and_grandparent():
    c = community(people(3), relatives=[rel("p03", "p01", "grandchild"), rel("p02", "p03", "grandparent")])
    found = {(p.a, p.b): p for p in close_relative_pairs(c)}
    assert found[("p01", "p03")].relation == "grandparent_grandchild"
    assert found[("p01", "p03")].proof_zh == "p01 为 p03 之祖父母（登记关系）"
    assert found[("p02", "p03")].relation == "grandparent_grandchild"
    assert ("p01", "p02") not in found  # two grandparents are not relatives of each other


def test_no_cousins_in_laws_aunts_or_great_grandparents():
    # g -> a, g -> b (a, b siblings); a -> c, b -> d (c, d cousins); s spouse of a (in-law of g and b).
    # gg -> g makes gg a great-grandparent of c.
    ids = ["g", "a", "b", "c", "d", "s", "gg"]
    c = community(
        [person(i) for i in ids],
        relatives=[
            rel("g", "a", "parent"),
            rel("g", "b", "parent"),
            rel("a", "c", "parent"),
            rel("b", "d", "parent"),
            rel("s", "a", "spouse"),
            rel("gg", "g", "parent"),
        ],
    )
    found = pairs_of(c)
    assert found[("a", "b")] == "sibling"
    assert found[("c", "g")] == "grandparent_grandchild"
    assert found[("a", "gg")] == "grandparent_grandchild"
    for x, y in [("c", "d"), ("b", "c"), ("a", "d"), ("b", "s"), ("g", "s"), ("c", "gg"), ("c", "s")]:
        assert (min(x, y), max(x, y)) not in found, (x, y)


def test_most_direct_relation_wins():
    # Listed both as spouse and (by a shared parent) siblings: reported once, as spouses.
    c = community(
        people(3),
        relatives=[rel("p03", "p01", "parent"), rel("p03", "p02", "parent"), rel("p01", "p02", "spouse")],
    )
    found = [p for p in close_relative_pairs(c) if (p.a, p.b) == ("p01", "p02")]
    assert len(found) == 1 and found[0].relation == "spouse"


def test_graph_keeps_every_listed_relation_and_others():
    c = community(
        people(2),
        others=[{"id": "x01", "name": "某某"}],
        relatives=[rel("x01", "p01", "parent"), rel("p01", "p02", "spouse")],
    )
    g = kinship_graph(c)
    assert set(g.nodes) == {"p01", "p02", "x01"}
    assert g.nodes["x01"]["candidate"] is False and g.nodes["p01"]["candidate"] is True
    assert sorted(d["relation"] for _, _, d in g.edges(data=True)) == ["parent", "spouse"]


def test_nuoenjiya_pairs():
    c = load_scenario(SCENARIOS / "nuoenjiya.yaml")
    found = pairs_of(c)
    assert found[("p04", "p05")] == "sibling"
    assert found[("p08", "p10")] == "grandparent_grandchild"
    assert found[("p11", "p12")] == "spouse"


# ------------------------------------------------------------------ property test


def plain_close_relatives(
    n: int,
    parent_edges: set[tuple[int, int]],
    spouses: set[tuple[int, int]],
    siblings: set[tuple[int, int]],
    grand: set[tuple[int, int]],
) -> set[frozenset[int]]:
    """SCENARIO.md's derivation written out plainly: spouse, parent/child, sibling (listed or shared parent),
    grandparent (listed or parent of a parent)."""
    parents = {i: {p for p, ch in parent_edges if ch == i} for i in range(n)}
    out: set[frozenset[int]] = set()
    out |= {frozenset(e) for e in spouses}
    out |= {frozenset(e) for e in parent_edges}
    out |= {frozenset(e) for e in siblings}
    out |= {frozenset(e) for e in grand}
    for x, y in combinations(range(n), 2):
        if parents[x] & parents[y]:
            out.add(frozenset((x, y)))
    for x in range(n):
        for mid in parents[x]:
            for gp in parents[mid]:
                out.add(frozenset((gp, x)))
    return {pair for pair in out if len(pair) == 2}


@st.composite
def families(draw):
    """Random consistent family graphs: people ordered by generation so parent edges never form cycles."""
    n = draw(st.integers(2, 9))
    parent_edges: set[tuple[int, int]] = set()
    for child in range(1, n):
        k = draw(st.integers(0, min(2, child)))
        for p in draw(st.lists(st.integers(0, child - 1), min_size=k, max_size=k, unique=True)):
            parent_edges.add((p, child))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda t: t[0] != t[1])
    spouses = set(draw(st.lists(pairs, max_size=3)))
    siblings = set(draw(st.lists(pairs, max_size=3)))
    older = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda t: t[0] < t[1])
    grand = set(draw(st.lists(older, max_size=2)))
    # What the validator asks of a real family: one relation per pair besides spouse/sibling, one spouse each.
    vertical = {frozenset(e) for e in parent_edges | grand}
    grand = {g for g in grand if frozenset(g) not in {frozenset(e) for e in parent_edges}}
    spouses = {s for s in spouses if frozenset(s) not in vertical}
    siblings = {s for s in siblings if frozenset(s) not in vertical}
    married: set[int] = set()
    for a, b in sorted(spouses):
        if {a, b} & married:
            spouses.discard((a, b))
        married |= {a, b}
    flip = draw(
        st.lists(
            st.booleans(), min_size=len(parent_edges) + len(grand), max_size=len(parent_edges) + len(grand)
        )
    )
    return n, parent_edges, spouses, siblings, grand, flip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(families())
def test_close_relatives_match_plain_derivation(family):
    n, parent_edges, spouses, siblings, grand, flip = family
    name = [f"p{i:02d}" for i in range(n)]
    relatives = []
    for (p, ch), f in zip(sorted(parent_edges), flip, strict=False):
        relatives.append(rel(name[ch], name[p], "child") if f else rel(name[p], name[ch], "parent"))
    for (g, ch), f in zip(sorted(grand), flip[len(parent_edges) :], strict=False):
        relatives.append(rel(name[ch], name[g], "grandchild") if f else rel(name[g], name[ch], "grandparent"))
    relatives += [rel(name[a], name[b], "spouse") for a, b in sorted(spouses)]
    relatives += [rel(name[a], name[b], "sibling") for a, b in sorted(siblings)]
    c = community([person(x) for x in name], relatives=relatives)

    close = close_relatives(c)
    expected = plain_close_relatives(n, parent_edges, spouses, siblings, grand)
    got = {frozenset((name.index(a), name.index(b))) for a, bs in close.items() for b in bs}
    assert got == expected
    for a, bs in close.items():
        assert a not in bs  # irreflexive
        for b in bs:
            assert a in close[b]  # symmetric
    pairs = close_relative_pairs(c)
    assert len(pairs) == len(expected)  # one per unordered pair
    assert all(p.a < p.b and p.proof_zh and p.proof_en for p in pairs)
