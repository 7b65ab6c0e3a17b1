"""Scenario edits: a suggested change of an explanation applied to a scenario (docs/INTERFACES.md).

A change maps dotted keys into the scenario's data to values: `{"rules.disabled": ["S09"]}` (a list
value adds to the list already there, without duplicates), `{"people.p07.waivers": ["age"]}` (a
record of a list is addressed by its id), `{"rules.min_women": 0}` (any other value sets the key).
The result is validated by `parse_scenario` like any scenario: a bad edit raises ScenarioError and
the scenario given is never changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from planner.issues import issue
from planner.scenario import Community, Scenario, ScenarioError, parse_scenario
from planner.vocab import RELATIONS, chinese_name, code_of

Change = dict[str, Any]


def _bad(path: str, message: str, message_zh: str) -> ScenarioError:
    return ScenarioError(
        [
            issue(
                "<change>",
                message,
                message_zh,
                field=path,
                hint="use a dotted key such as rules.disabled or people.p07.waivers",
                hint_zh="请使用 rules.disabled、people.p07.waivers 这样的点分路径",
            )
        ]
    )


def _step(node: Any, part: str, path: str) -> Any:
    """The child `part` of a mapping, or the record with id `part` of a list."""
    if isinstance(node, dict):
        return node.setdefault(part, {})
    if isinstance(node, list):
        found = next((x for x in node if isinstance(x, dict) and x.get("id") == part), None)
        if found is None:
            raise _bad(path, f"no record with id '{part}' for {path}", f"{path} 中没有编号为 {part} 的记录")
        return found
    raise _bad(path, f"{path} does not lead into the scenario's data", f"{path} 不是场景数据中的路径")


def set_key(data: dict[str, Any], path: str, value: Any) -> None:
    """Apply one dotted key to plain scenario data in place (a list value extends the list there)."""
    parts = path.split(".")
    if not path or any(not p for p in parts):
        raise _bad(path, f"'{path}' is not a dotted key", f"“{path}”不是点分路径")
    node: Any = data
    for part in parts[:-1]:
        node = _step(node, part, path)
    if not isinstance(node, dict):
        raise _bad(path, f"{path} does not name a field", f"{path} 不是字段")
    last = parts[-1]
    current = node.get(last)
    if isinstance(value, list) and isinstance(current, list):
        node[last] = current + [v for v in value if v not in current]
    else:
        node[last] = value


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data (dates as text), ready to edit and validate again."""
    data = scenario.model_dump(mode="json", exclude_none=True)
    data["kind"] = scenario.kind
    return data


def apply_change(scenario: Scenario, change: Change, *, source: str = "<change>") -> Scenario:
    """The scenario with `change` applied, validated again; raises ScenarioError for a bad edit."""
    if not isinstance(change, dict) or not change:
        raise _bad(
            "", "a change is a non-empty mapping of dotted keys to values", "修改应为非空的点分路径映射"
        )
    data = scenario_data(scenario)
    for path, value in change.items():
        set_key(data, str(path), value)
    return parse_scenario(data, source=source)


# ---------------------------------------------------------------- editing a community in the app
#
# Each function below returns a new scenario with one community's relatives, others, settings or calendar
# days changed, validated again by `parse_scenario` exactly as a loaded file (the whole sub-district for a
# community of one). A bad edit raises ScenarioError with bilingual issues; the scenario given is never
# changed, so the caller keeps it on error.

RELATION_LABELS: dict[str, tuple[str, str]] = {
    code: (chinese_name("relation", code), code) for code in RELATIONS
}
"""The relations of `relatives` ("a is the … of b", 甲是乙的…): 配偶 spouse, 父母 parent, 子女 child, 兄弟姐妹
sibling, 祖父母 grandparent, 孙子女 grandchild (the roster's names, planner.vocab)."""

SETTINGS = (
    "name",
    "subdistrict",
    "reference_date",
    "multi_ethnic",
    "previous_term",
    "profile",
    "joint_review_departments",
)
"""The community settings `set_settings` changes (seats, quotas and rules are the Slates page's)."""
DAY_KINDS = ("holidays", "workdays")  # extra days off, make-up working days (schedule.holidays / .workdays)


def _refused(source: str, message: str, message_zh: str, **where: Any) -> ScenarioError:
    return ScenarioError([issue(source, message, message_zh, **where)])


def _known_settings(
    settings: Mapping[str, Any], known: Iterable[str], what: str, what_zh: str, source: str
) -> None:
    """Refuse the first key of `settings` that is not one of `known` (naming the keys there are)."""
    known = list(known)
    unknown = [k for k in settings if k not in known]
    if unknown:
        raise _refused(
            source,
            f"'{unknown[0]}' is not {what}",
            f"“{unknown[0]}”不是{what_zh}",
            field=unknown[0],
            hint="use one of " + ", ".join(known),
            hint_zh="可用：" + "、".join(known),
        )


def edit_community(
    scenario: Scenario, community_id: str | None, edit: Callable[[dict[str, Any]], None], *, source: str
) -> Scenario:
    """`scenario` with `edit` applied in place to the plain data of one community, validated again.

    `community_id` None (or the scenario's id) names a community scenario itself; for a sub-district it
    names one of its communities.
    """
    data = scenario_data(scenario)
    if isinstance(scenario, Community):
        if community_id not in (None, scenario.id):
            raise _refused(
                source,
                f"no community '{community_id}' in this scenario",
                f"本场景中没有社区“{community_id}”",
                field="id",
            )
        target = data
    else:
        found = [c for c in data.get("communities", []) if c.get("id") == community_id]
        if not found:
            raise _refused(
                source,
                f"no community '{community_id}' in this sub-district",
                f"本街道中没有社区“{community_id}”",
                field="communities",
            )
        target = found[0]
    edit(target)
    return parse_scenario(data, source=source)


def community_of(scenario: Scenario, community_id: str | None) -> Community:
    """The community `community_id` of `scenario` (the scenario itself for a community scenario)."""
    if isinstance(scenario, Community):
        return scenario
    return next(c for c in scenario.communities if c.id == community_id)


def relation_key(a: str, b: str, relation: str) -> tuple[str, str, str]:
    """One relation read one way: "b is the child of a" is "a is the parent of b"; spouses and siblings
    unordered. Two relations with one key say the same thing (a duplicate)."""
    if relation in ("child", "grandchild"):
        a, b, relation = b, a, relation.replace("child", "parent")
    if relation in ("spouse", "sibling"):
        a, b = sorted((a, b))
    return relation, a, b


def _relation_text(a: str, b: str, relation: str) -> tuple[str, str]:
    zh, en = RELATION_LABELS.get(relation, (relation, relation))
    return f"{a} 是 {b} 的{zh}", f"{a} is the {en} of {b}"


def add_relative(
    scenario: Scenario,
    community_id: str | None,
    a: str,
    b: str,
    relation: str,
    *,
    source: str = "<edit>",
) -> Scenario:
    """`scenario` with "a is the `relation` of b" added to the community's relatives.

    Refused (ScenarioError): a relation already listed (either way round), and everything the scenario's
    validation refuses (an unknown person, oneself, a parent under 14 years older, two spouses, ...).
    """
    relation = code_of("relation", relation)  # 配偶 is spouse, as in a file
    c = community_of(scenario, community_id)
    key = relation_key(a, b, relation)
    for i, rel in enumerate(c.relatives):
        if relation_key(rel.a, rel.b, rel.relation) == key:
            zh, en = _relation_text(rel.a, rel.b, rel.relation)
            raise _refused(
                source,
                f"this relation is already listed (relative #{i + 1}: {en})",
                f"该关系已登记（第{i + 1}条亲属关系：{zh}）",
                record=f"relative #{len(c.relatives) + 1}",
                record_zh=f"第{len(c.relatives) + 1}条亲属关系",
                field="relation",
                hint="each relation is listed once",
                hint_zh="每种关系只登记一次",
            )

    def edit(data: dict[str, Any]) -> None:
        data.setdefault("relatives", []).append({"a": a, "b": b, "relation": relation})

    return edit_community(scenario, community_id, edit, source=source)


def remove_relative(
    scenario: Scenario, community_id: str | None, index: int, *, source: str = "<edit>"
) -> Scenario:
    """`scenario` without the community's relative number `index` (from 0, as listed)."""
    c = community_of(scenario, community_id)
    if not 0 <= index < len(c.relatives):
        raise _refused(
            source,
            f"there is no relative #{index + 1}",
            f"没有第{index + 1}条亲属关系",
            field="relatives",
        )

    def edit(data: dict[str, Any]) -> None:
        del data["relatives"][index]

    return edit_community(scenario, community_id, edit, source=source)


def _other_index(c: Community, other_id: str, source: str) -> int:
    for i, o in enumerate(c.others):
        if o.id == other_id:
            return i
    raise _refused(
        source,
        f"'{other_id}' is not one of the others",
        f"“{other_id}”不在其他人中",
        field="others",
        hint="choose one of the listed others",
        hint_zh="请选择已登记的其他人",
    )


def add_other(
    scenario: Scenario, community_id: str | None, other_id: str, name: str = "", *, source: str = "<edit>"
) -> Scenario:
    """`scenario` with somebody who is not a candidate (`others`) added; the id must be new."""

    def edit(data: dict[str, Any]) -> None:
        data.setdefault("others", []).append({"id": other_id, "name": name})

    return edit_community(scenario, community_id, edit, source=source)


def rename_other(
    scenario: Scenario, community_id: str | None, other_id: str, name: str, *, source: str = "<edit>"
) -> Scenario:
    """`scenario` with the other `other_id` given a new name (the id, used by relations, stays)."""
    index = _other_index(community_of(scenario, community_id), other_id, source)

    def edit(data: dict[str, Any]) -> None:
        data["others"][index]["name"] = name

    return edit_community(scenario, community_id, edit, source=source)


def relations_of(c: Community, pid: str) -> list[int]:
    """The indices (from 0) of the relatives that name `pid`."""
    return [i for i, rel in enumerate(c.relatives) if pid in (rel.a, rel.b)]


def remove_other(
    scenario: Scenario,
    community_id: str | None,
    other_id: str,
    *,
    with_relations: bool = False,
    source: str = "<edit>",
) -> Scenario:
    """`scenario` without the other `other_id`.

    An other that relations name is refused (the issue lists them) unless `with_relations`, which removes
    those relations too.
    """
    c = community_of(scenario, community_id)
    index = _other_index(c, other_id, source)
    used = relations_of(c, other_id)
    if used and not with_relations:
        listed = [_relation_text(c.relatives[i].a, c.relatives[i].b, c.relatives[i].relation) for i in used]
        raise _refused(
            source,
            f"{other_id} is named by {len(used)} relation(s): "
            + "; ".join(f"#{i + 1} {en}" for i, (_, en) in zip(used, listed, strict=True)),
            f"{other_id} 出现在 {len(used)} 条亲属关系中："
            + "；".join(f"第{i + 1}条 {zh}" for i, (zh, _) in zip(used, listed, strict=True)),
            record=f"other {other_id}",
            record_zh=f"其他人 {other_id}",
            field="relatives",
            hint="remove those relations first, or remove the other together with its relations",
            hint_zh="请先删除这些亲属关系，或连同其亲属关系一并删除",
        )

    def edit(data: dict[str, Any]) -> None:
        del data["others"][index]
        data["relatives"] = [r for i, r in enumerate(data.get("relatives", [])) if i not in used]

    return edit_community(scenario, community_id, edit, source=source)


def own_rules(c: Community) -> dict[str, Any]:
    """The community's rules that differ from its profile's (what the scenario itself sets), per key."""
    from planner.profiles import profile_of  # the bundled profiles are read on first use

    base = profile_of(c).rules.model_dump(mode="json")
    own: dict[str, Any] = {}
    for key, value in c.rules.model_dump(mode="json").items():
        below = base.get(key)
        if isinstance(value, dict) and isinstance(below, dict):
            changed = {k: v for k, v in value.items() if below.get(k) != v}
            if changed:
                own[key] = changed
        elif value != below:
            own[key] = value
    return own


def set_settings(
    scenario: Scenario, community_id: str | None, settings: dict[str, Any], *, source: str = "<edit>"
) -> Scenario:
    """`scenario` with the community's settings (keys of SETTINGS) changed.

    `reference_date` a date (or YYYY-MM-DD); `previous_term` {college_share, rc_party_share}, None for
    "not known"; `profile` a bundled profile's name: the new profile's defaults apply under the rules the
    scenario itself sets (its own overrides are kept); `joint_review_departments` a list of the 资格联审
    departments, None for the profile's.
    """
    _known_settings(settings, SETTINGS, "a community setting", "社区设置", source)
    c = community_of(scenario, community_id)
    new_profile = settings.get("profile")
    rules = own_rules(c) if "profile" in settings and new_profile != c.profile else None

    def edit(data: dict[str, Any]) -> None:
        for key, value in settings.items():
            if isinstance(value, date):
                value = value.isoformat()
            if key == "previous_term":
                value = {k: v for k, v in dict(value or {}).items() if v is not None}
            if key == "joint_review_departments":
                for person in data.get("people", []):
                    if person.get("joint_reviews"):
                        person.pop("joint_review", None)  # derived from the replies: derived again
                if value is None:
                    data.pop(key, None)  # the profile's departments
                    continue
            data[key] = value
        if rules is not None:
            data["rules"] = rules

    return edit_community(scenario, community_id, edit, source=source)


def _day_text(day: date | str) -> str:
    return day.isoformat() if isinstance(day, date) else str(day)


def set_calendar_day(
    scenario: Scenario,
    community_id: str | None,
    day: date | str,
    kind: str | None,
    *,
    source: str = "<edit>",
) -> Scenario:
    """`scenario` with `day` an extra day off (`kind` "holidays"), a make-up working day ("workdays") or
    neither (None: removed) in the community's `schedule`; a day is in one list at most."""
    if kind is not None and kind not in DAY_KINDS:
        raise _refused(
            source,
            f"'{kind}' is not holidays or workdays",
            f"“{kind}”不是 holidays 或 workdays",
            field="schedule",
        )
    text = _day_text(day)
    schedule = community_of(scenario, community_id).schedule
    listed = {k: [d.isoformat() for d in getattr(schedule, k)] for k in DAY_KINDS}
    if kind is not None and text in listed[kind]:
        zh = "法定节假日（放假）" if kind == "holidays" else "调休上班日"
        en = "an extra day off" if kind == "holidays" else "a make-up working day"
        raise _refused(
            source,
            f"{text} is already listed as {en}",
            f"{text} 已登记为{zh}",
            record="schedule",
            record_zh="schedule",
            field=kind,
        )
    if kind is None and not any(text in days for days in listed.values()):
        raise _refused(
            source,
            f"{text} is not an extra day off or make-up working day",
            f"{text} 不在补充的放假日或调休上班日中",
            record="schedule",
            record_zh="schedule",
            field="holidays",
        )

    def edit(data: dict[str, Any]) -> None:
        sched = data.setdefault("schedule", {})
        for k in DAY_KINDS:
            days = [d for d in sched.get(k, []) if d != text]
            if k == kind:
                days = sorted([*days, text])
            sched[k] = days

    return edit_community(scenario, community_id, edit, source=source)


SUBDISTRICT_SETTINGS = ("name", "capacity", "concentrated_election_day")
"""A sub-district's own settings (`set_subdistrict_settings`); its communities are edited one by one."""


def set_subdistrict_settings(
    scenario: Scenario, settings: dict[str, Any], *, source: str = "<edit>"
) -> Scenario:
    """The sub-district with its name, work-group capacity (T07) or concentrated election day (集中选举日,
    a date, None for none) changed, validated again."""
    if isinstance(scenario, Community):
        raise _refused(source, "this scenario is a community, not a sub-district", "本场景是社区，不是街道")
    _known_settings(settings, SUBDISTRICT_SETTINGS, "a sub-district setting", "街道设置", source)
    data = scenario_data(scenario)
    for key, value in settings.items():
        data[key] = value.isoformat() if isinstance(value, date) else value
    return parse_scenario(data, source=source)
