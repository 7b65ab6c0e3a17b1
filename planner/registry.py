"""The rule registry: each rule id registers exactly one function per layer, by decorator.

Layers (one signature each, given by the module that owns the layer):

- ``model``: adds the rule's constraints to a CP-SAT model (planner/slate/model.py, planner/schedule/model.py);
- ``check``: judges a plan without a solver and returns a RuleCheck (planner/check/slate.py, check/schedule.py);
- ``describe``: the sentence that names the people or stages involved when the rule is in a conflict
  (planner/slate/explain.py, planner/schedule/explain.py).

A layer that does not apply to a rule says so with `not_applicable(rule_id, layer, why)`. The rule's
Chinese term and source come from the catalogue (planner/rules.py) and its statutory floor, if any, from
planner/legal.py, so `entry(rule_id)` is everything about one rule. A grep for a rule id finds every piece.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from planner.legal import FLOORS, Floor
from planner.rules import RULES, Rule

Layer = Literal["model", "check", "describe"]
LAYERS: tuple[Layer, ...] = ("model", "check", "describe")
F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class RuleEntry:
    """Everything about one rule: the catalogue entry, the legal floor and one function per layer."""

    rule: Rule
    functions: dict[str, Callable[..., Any]] = field(default_factory=dict)
    not_applicable: dict[str, str] = field(default_factory=dict)

    @property
    def floor(self) -> Floor | None:
        return FLOORS.get(self.rule.id)


REGISTRY: dict[str, RuleEntry] = {rid: RuleEntry(rule) for rid, rule in RULES.items()}


def _entry(rule_id: str, layer: str) -> RuleEntry:
    if rule_id not in REGISTRY:
        raise KeyError(f"{rule_id} is not in the rule catalogue (planner/rules.py)")
    if layer not in LAYERS:
        raise KeyError(f"unknown layer {layer!r}; use one of {LAYERS}")
    entry = REGISTRY[rule_id]
    if layer in entry.functions or layer in entry.not_applicable:
        raise ValueError(f"{rule_id} already has a {layer} entry")
    return entry


def rule(rule_id: str, layer: Layer) -> Callable[[F], F]:
    """Register the decorated function as `rule_id`'s implementation of `layer`."""

    def register(fn: F) -> F:
        _entry(rule_id, layer).functions[layer] = fn
        return fn

    return register


def not_applicable(rule_id: str, layer: Layer, why: str) -> None:
    """Record that `layer` has nothing to do for `rule_id`, and why."""
    _entry(rule_id, layer).not_applicable[layer] = why


def implementation(rule_id: str, layer: Layer) -> Callable[..., Any] | None:
    """The registered function of a rule's layer (None when the layer is not applicable)."""
    entry = REGISTRY[rule_id]
    if layer in entry.functions:
        return entry.functions[layer]
    if layer in entry.not_applicable:
        return None
    raise LookupError(f"{rule_id} has no {layer} entry: is its module imported?")


def entry(rule_id: str) -> RuleEntry:
    return REGISTRY[rule_id]
