"""Close relatives (近亲属, 三(三)) derived from the listed relations, each pair with its proof.

Glossary: a *listed* relation is an entry of `relatives` ("a is the <relation> of b");
a *close relative pair* is one of 配偶、父母子女、兄弟姐妹、祖父母外祖父母/孙子女外孙子女,
derived exactly as SCENARIO.md says: spouse; parent/child (listed either way);
sibling (listed, or sharing a parent); grandparent/grandchild (listed, or parent
of a parent). Nothing further counts: a listed sibling is not transitive and passes
no parents on; cousins, in-laws, aunts and uncles are not close relatives here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from planner.scenario import Community, PersonId

Relation = Literal["spouse", "parent_child", "sibling", "grandparent_grandchild"]
# Most direct first: when a pair is related in two ways, the first kind is reported.
RELATION_ORDER: tuple[Relation, ...] = ("spouse", "parent_child", "sibling", "grandparent_grandchild")
RELATION_NAMES: dict[str, tuple[str, str]] = {
    "spouse": ("配偶", "spouses"),
    "parent_child": ("父母子女", "parent and child"),
    "sibling": ("兄弟姐妹", "siblings"),
    "grandparent_grandchild": ("祖孙", "grandparent and grandchild"),
}


@dataclass(frozen=True)
class RelativePair:
    """Two close relatives (a < b), the relation and the proof from the listed relations."""

    a: PersonId
    b: PersonId
    relation: Relation
    proof_zh: str
    proof_en: str

    def proof(self, lang: str = "zh") -> str:
        return self.proof_zh if lang == "zh" else self.proof_en


def kinship_graph(c: Community) -> nx.MultiDiGraph:
    """Every person and other as a node (`name`, `candidate`), every listed relation as an edge a -> b."""
    g = nx.MultiDiGraph()
    for p in c.people:
        g.add_node(p.id, name=p.name, candidate=True)
    for o in c.others:
        g.add_node(o.id, name=o.name, candidate=False)
    for i, rel in enumerate(c.relatives):
        g.add_edge(rel.a, rel.b, key=i, relation=rel.relation)
    return g


def _listed(
    g: nx.MultiDiGraph,
) -> tuple[dict[str, set[str]], set[frozenset[str]], set[frozenset[str]], set[tuple[str, str]]]:
    """Parents of each node, listed spouse pairs, listed sibling pairs, listed (grandparent, grandchild)."""
    parents: dict[str, set[str]] = defaultdict(set)
    spouses: set[frozenset[str]] = set()
    siblings: set[frozenset[str]] = set()
    grand: set[tuple[str, str]] = set()
    for a, b, data in g.edges(data=True):
        if a == b:
            continue
        kind = data["relation"]
        if kind == "parent":
            parents[b].add(a)
        elif kind == "child":
            parents[a].add(b)
        elif kind == "spouse":
            spouses.add(frozenset((a, b)))
        elif kind == "sibling":
            siblings.add(frozenset((a, b)))
        elif kind == "grandparent":
            grand.add((a, b))
        elif kind == "grandchild":
            grand.add((b, a))
    return parents, spouses, siblings, grand


def close_relative_pairs(c: Community) -> list[RelativePair]:
    """Every close-relative pair (people and others), one per unordered pair, sorted by (a, b)."""
    parents, spouses, siblings, grand = _listed(kinship_graph(c))
    found: dict[tuple[str, str], RelativePair] = {}

    def add(x: str, y: str, relation: Relation, zh: str, en: str) -> None:
        if x == y:
            return
        key = (min(x, y), max(x, y))
        old = found.get(key)
        if old is None or RELATION_ORDER.index(relation) < RELATION_ORDER.index(old.relation):
            found[key] = RelativePair(key[0], key[1], relation, zh, en)

    # Derived ones first, so that a listed relation of the same kind replaces them below.
    children: dict[str, set[str]] = defaultdict(set)
    for child, ps in parents.items():
        for parent in ps:
            children[parent].add(child)
    sibling_via: dict[tuple[str, str], set[str]] = defaultdict(set)
    for parent, kids in children.items():
        for x in kids:
            for y in kids:
                if x < y:
                    sibling_via[(x, y)].add(parent)
    for (x, y), via in sorted(sibling_via.items()):
        names = "、".join(sorted(via))
        add(
            x,
            y,
            "sibling",
            f"{x} 与 {y} 为兄弟姐妹：均为 {names} 之子女",
            f"{x} and {y} are siblings: both children of {' and '.join(sorted(via))}",
        )
    for grandchild in sorted(parents):
        for middle in sorted(parents[grandchild]):
            for gp in sorted(parents.get(middle, ())):
                key = (min(gp, grandchild), max(gp, grandchild))
                if key in found and found[key].relation == "grandparent_grandchild":
                    continue
                add(
                    gp,
                    grandchild,
                    "grandparent_grandchild",
                    f"{gp} 为 {grandchild} 之祖父母：{gp} 为 {middle} 之父母，{middle} 为 {grandchild} 之父母",
                    f"{gp} is a grandparent of {grandchild}: {gp} is a parent of {middle}, "
                    f"{middle} is a parent of {grandchild}",
                )

    def replace(x: str, y: str, relation: Relation, zh: str, en: str) -> None:
        key = (min(x, y), max(x, y))
        old = found.get(key)
        if old is not None and old.relation == relation:
            del found[key]
        add(x, y, relation, zh, en)

    for gp, gc in sorted(grand):
        replace(
            gp,
            gc,
            "grandparent_grandchild",
            f"{gp} 为 {gc} 之祖父母（登记关系）",
            f"{gp} is a grandparent of {gc} (listed)",
        )
    for pair in sorted(siblings, key=sorted):
        x, y = sorted(pair)
        replace(x, y, "sibling", f"{x} 与 {y} 为兄弟姐妹（登记关系）", f"{x} and {y} are siblings (listed)")
    for child in sorted(parents):
        for parent in sorted(parents[child]):
            add(
                parent,
                child,
                "parent_child",
                f"{parent} 为 {child} 之父母（登记关系）",
                f"{parent} is a parent of {child} (listed)",
            )
    for pair in sorted(spouses, key=sorted):
        x, y = sorted(pair)
        add(x, y, "spouse", f"{x} 与 {y} 为配偶（登记关系）", f"{x} and {y} are spouses (listed)")
    return [found[k] for k in sorted(found)]


def close_relatives(c: Community) -> dict[PersonId, set[PersonId]]:
    """Each person's (and other's) close relatives; symmetric, never containing the person."""
    out: dict[PersonId, set[PersonId]] = {p.id: set() for p in c.people}
    for o in c.others:
        out.setdefault(o.id, set())
    for pair in close_relative_pairs(c):
        out.setdefault(pair.a, set()).add(pair.b)
        out.setdefault(pair.b, set()).add(pair.a)
    return out
