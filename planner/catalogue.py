"""The user-facing rule catalogue, docs/RULES.md, generated from planner/rules.py and planner/legal.py.

Regenerate with `python -m planner.catalogue > docs/RULES.md`; tests/test_docs.py fails when the
file and the code differ, so the catalogue cannot drift from the rules the planner enforces.
No solver or UI imports here: this runs anywhere the package is installed.
"""

from __future__ import annotations

import sys

from planner.legal import FLOORS
from planner.rules import ALWAYS_ON, DISQUALIFICATIONS, RULES, Rule

REGENERATE = "python -m planner.catalogue > docs/RULES.md"


def _cell(text: object) -> str:
    """A Markdown table cell: pipes escaped, no line breaks."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _row(*cells: object) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _table(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> list[str]:
    return [_row(*header), "|" + "---|" * len(header), *(_row(*r) for r in rows)]


def _rule_rows(kind: str) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for rule in RULES.values():
        if rule.kind != kind:
            continue
        rows.append((f"{rule.id} `{rule.key}`", rule.zh, rule.en, rule.text_zh, _text_en(rule), rule.source))
    return rows


def _text_en(rule: Rule) -> str:
    if rule.id in ALWAYS_ON:
        return f"{rule.text_en} (always in force)"
    if rule.id == "S18":
        return f"{rule.text_en} (opt-in: `rules.robust_list: true`)"
    return rule.text_en


RULE_HEADER = ("id `key`", "中文", "name", "规则", "rule", "source")


def rules_markdown() -> str:
    """docs/RULES.md: the slate, schedule and soft rules, D01-D17 and the statutory minimums."""
    always = ", ".join(sorted(ALWAYS_ON))
    lines = [
        "# Rule catalogue · 规则目录",
        "",
        f"<!-- Generated from planner/rules.py and planner/legal.py by `{REGENERATE}`; do not edit by hand. -->",
        "",
        "Every rule the planner enforces, checks or explains, with its stable id, its Chinese term and",
        "where it comes from. Ids are the vocabulary of the whole product: solver constraints, checker",
        "results, explanations of infeasibility, the app's labels and every export use them. The",
        "scenario format that sets their parameters is in [SCENARIO.md](SCENARIO.md); the legal",
        "sources and how sure they are, in [LEGAL.md](LEGAL.md).",
        "",
        "A rule is **hard** (a plan that breaks it is not feasible) unless it is listed as **soft**",
        f"(a preference that shapes the objective). Each rule except {always} can be switched off in a scenario",
        '(`rules: {disabled: [S12]}`), which is how planners ask "what if we relaxed this?";',
        f"{always} (the seat structure) always holds and is never blamed in an explanation. S18 is opt-in",
        "(`rules.robust_list: true`). Default parameters (quotas, ages, ratios, weights) are scenario",
        "settings under `rules:`; none is hard-coded.",
        "",
        "Sources are clauses of the 2020 work plan of 诺恩吉雅社区 (section numbers as printed there,",
        "e.g. 三(二)5) unless a law or regulation is named.",
        "",
        "## Slate rules · 班子规则",
        "",
        *_table(RULE_HEADER, _rule_rows("hard")),
        "",
        "## Schedule rules · 日程规则",
        "",
        *_table(RULE_HEADER, _rule_rows("schedule")),
        "",
        "## Soft preferences · 优先条件",
        "",
        "Soft rules are terms of the objective (weights in `rules.weights`), never reasons for",
        "infeasibility.",
        "",
        *_table(RULE_HEADER, _rule_rows("soft")),
        "",
        "## Disqualifications D01-D17 · 不能确定为候选人的情形",
        "",
        "The 17 conditions of 三(二), in the order printed there; the Chinese text is verbatim. A",
        "scenario lists a person's codes in `disqualifications:`; anybody with one holds no post (S04).",
        "",
        *_table(
            ("code", "中文（原文）", "English"),
            [(code, zh, en) for code, (zh, en) in DISQUALIFICATIONS.items()],
        ),
        "",
        "## Statutory minimums · 法定最低天数",
        "",
        "Floors that scenario data may lengthen but never shorten: a smaller `duration` or `gap` on",
        "those stages is bad input, and the checker judges every plan against the floor whatever the",
        "data says.",
        "",
        *_table(
            ("rule", "days", "中文", "English", "source"),
            [(f.rule, f.days, f.what_zh, f.what_en, f.source) for f in FLOORS.values()],
        ),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    sys.stdout.buffer.write(rules_markdown().encode("utf-8"))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
