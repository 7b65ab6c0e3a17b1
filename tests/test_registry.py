"""The rule registry (planner.registry): every rule of the catalogue has one function per layer, or says why not.

Model builders, checkers and describers register by decorator when their modules are imported; a grep for a
rule id (or its catalogue key) finds each of them, because each function is named `<id>_<key>`.
"""

from __future__ import annotations

import importlib

import pytest

import planner.check.slate
import planner.slate.explain
import planner.slate.model
from planner import registry
from planner.legal import FLOORS
from planner.registry import LAYERS, entry, implementation, not_applicable, rule
from planner.rules import RULES, SLATE_RULES, SOFT_RULES

SLATE_MODULES = {
    "model": planner.slate.model,
    "check": planner.check.slate,
    "describe": planner.slate.explain,
}
SCHEDULE_MODULES = {
    layer: importlib.import_module(name)
    for layer, name in (
        ("model", "planner.schedule.model"),
        ("check", "planner.check.schedule"),
        ("describe", "planner.schedule.explain"),
    )
}
MODULES = {"S": SLATE_MODULES, "P": SLATE_MODULES, "T": SCHEDULE_MODULES}


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("rule_id", list(RULES))
def test_every_rule_has_one_entry_per_layer(rule_id: str, layer: str) -> None:
    e = entry(rule_id)
    has_function, why = layer in e.functions, e.not_applicable.get(layer)
    assert has_function != (why is not None), f"{rule_id} {layer}: needs exactly one function or one reason"
    if why is not None:
        assert why.strip(), f"{rule_id} {layer}: a not-applicable entry says why"
        assert implementation(rule_id, layer) is None
        return
    fn = implementation(rule_id, layer)
    assert fn is e.functions[layer]
    assert fn.__name__ == f"{rule_id}_{e.rule.key}", "named after the id and the catalogue key (S07_recusal)"
    assert fn.__module__ == MODULES[rule_id[0]][layer].__name__
    assert getattr(MODULES[rule_id[0]][layer], fn.__name__) is fn, "a module-level function"


@pytest.mark.parametrize("rule_id", SLATE_RULES)
def test_slate_rules_have_a_builder_and_a_checker(rule_id: str) -> None:
    assert implementation(rule_id, "model") is not None
    assert implementation(rule_id, "check") is not None


@pytest.mark.parametrize("rule_id", [r for r in SLATE_RULES if r != "S01"])
def test_every_blameable_slate_rule_has_a_describer(rule_id: str) -> None:
    assert implementation(rule_id, "describe") is not None


def test_S01_and_the_soft_rules_say_why_not() -> None:
    assert "never" in entry("S01").not_applicable["describe"]
    for soft in SOFT_RULES:
        assert implementation(soft, "model") is not None  # the objective term
        assert entry(soft).not_applicable.keys() == {"check", "describe"}


def test_entry_carries_the_catalogue_and_the_floor() -> None:
    e = entry("S07")
    assert e.rule.key == "recusal" and e.rule.zh == "近亲属回避"
    assert e.floor is None
    assert entry("T03").floor is FLOORS["T03"]


def test_registering_twice_raises() -> None:
    with pytest.raises(ValueError, match="already has a model entry"):
        rule("S07", "model")(lambda sm: None)
    with pytest.raises(ValueError, match="already has a describe entry"):
        not_applicable("S01", "describe", "again")
    with pytest.raises(ValueError, match="already has a describe entry"):
        rule("S01", "describe")(lambda ctx: None)
    assert entry("S07").functions["model"].__name__ == "S07_recusal"  # the first registration stands


def test_unknown_rule_or_layer_raises() -> None:
    with pytest.raises(KeyError):
        rule("S99", "model")(lambda sm: None)
    with pytest.raises(KeyError):
        rule("S07", "explain")(lambda sm: None)  # type: ignore[arg-type]


def test_registering_twice_raises_on_a_fresh_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = registry.RuleEntry(RULES["S07"])
    monkeypatch.setitem(registry.REGISTRY, "S07", fresh)

    @rule("S07", "check")
    def S07_recusal(ctx: object) -> None:
        return None

    assert implementation("S07", "check") is S07_recusal
    with pytest.raises(ValueError):
        rule("S07", "check")(S07_recusal)
    with pytest.raises(LookupError, match="is its module imported"):
        implementation("S07", "model")
