"""班子方案 Slates: rule parameters, locks and excludes, K slates side by side with their rule checks,
"why not" for a person, and for an infeasible scenario the minimal conflict with changes to apply.

Rule parameters are the session scenario's rules (applied through `parse_scenario`); locks,
excludes, K and "allow pending" are solver options. Results are cached on both.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_pages.common import (
    SCENARIO_KEY,
    body_name,
    mark,
    notify,
    person_label,
    pick_community,
    post_name,
    remember_whatif,
    replace_community,
    require_scenario,
    rule_name,
    rule_text,
    scenario_data,
    show_issues,
    show_notice,
    slates,
    solved_caption,
)
from app_pages.i18n import lang, pick, t
from app_pages.replan_panel import (
    adopt_button,
    adopted,
    base_section,
    replanned,
    second_round_panel,
    show_changes,
)
from app_pages.workspace_state import save_plan_box
from planner.edits import apply_change
from planner.eligibility import EDUCATION_NAMES, screen
from planner.plan import Slate
from planner.profiles import profile_of, profile_summary, profile_warnings
from planner.rules import ALWAYS_ON, RULES, SLATE_RULES
from planner.scenario import BODIES, EDUCATION_LEVELS, POSTS, Community, ScenarioError

TEAM = "__team__"


def message(d: dict[str, Any]) -> str:
    """An explanation's message in the session's language, line breaks kept (whole when given in one text)."""
    text = d.get(f"message_{lang()}") or d.get("message") or ""
    return str(text).replace("\n", "  \n")


# ---------------------------------------------------------------- changing the scenario's rules


def apply_suggestion(c: Community, change: dict[str, Any], text: str) -> None:
    """Button callback: apply a suggestion to the session's scenario (issues are kept to show them)."""
    try:
        changed = apply_change(c, change)
    except ScenarioError as exc:
        st.session_state["slates_issues"] = (c.sha256(), list(exc.issues))
        return
    issues = replace_community(c.id, scenario_data(changed))
    st.session_state["slates_issues"] = (c.sha256(), issues)
    if not issues:
        notify(t("suggestion_applied", text=text))


# ---------------------------------------------------------------- rule parameters


QUOTA_KEYS = {
    "min_women": "min_women",
    "min_young": "min_young",
    "young_max_age": "young_age",
    "secretary_max_age": "sec_age",
    "secretary_min_party_years": "sec_years",
    "secretary_min_education": "sec_edu",
    "rc_party_share_min": "rc_share",
    "differential_ratio": "ratio",
    "recusal_supervisory": "recusal_sc",
}
WEIGHT_RULES = (("support", "P01"), ("preferred_source", "P02"), ("continuity", "P03"))


def apply_rules(c: Community, v: str) -> None:
    """The form's submit callback: validate the form's values and replace the community's rules.

    A callback runs before the page, so the run that follows shows the new rules and slates at once
    (no second run through st.rerun)."""
    state = st.session_state
    data = scenario_data(c)
    rules = data.setdefault("rules", {})
    seats = {b: int(state[f"slates_seats_{b}_{v}"]) for b in BODIES}
    weights = {key: int(state[f"slates_w_{key}_{v}"]) for key, _ in WEIGHT_RULES}
    on = {rid: bool(state[f"slates_on_{rid}_{v}"]) for rid in SLATE_RULES}
    rules["seats"] = {**rules.get("seats", {}), **seats}
    rules["weights"] = {**rules.get("weights", {}), **weights}
    rules.update({field: state[f"slates_{key}_{v}"] for field, key in QUOTA_KEYS.items()})
    others = [rid for rid in rules.get("disabled", []) if rid not in SLATE_RULES]
    rules["disabled"] = others + [
        rid for rid in SLATE_RULES if rid not in ALWAYS_ON and rid != "S18" and not on[rid]
    ]
    rules["robust_list"] = on["S18"]
    issues = replace_community(c.id, data)
    state["slates_issues"] = (c.sha256(), issues)
    if not issues:
        notify(t("rules_applied"))


def rule_parameters_form(c: Community) -> None:
    """A form over the community's rules; "Apply rules" validates and replaces them (apply_rules)."""
    r = c.rules
    v = f"{c.sha256()[:10]}_{lang()}"  # fresh widgets whenever the scenario (or the language) changes
    q = {field: f"slates_{key}_{v}" for field, key in QUOTA_KEYS.items()}
    with st.form(f"slates_rules_form_{v}"):
        st.markdown(f"**{t('seats')}**")
        cols = st.columns(3)
        for i, body in enumerate(BODIES):
            cols[i].number_input(
                body_name(body),
                min_value=1,
                max_value=15,
                step=1,
                value=getattr(r.seats, body),
                key=f"slates_seats_{body}_{v}",
            )
        st.markdown(f"**{t('rules_on')}**")
        cols = st.columns(3)
        for i, rid in enumerate(SLATE_RULES):
            cols[i % 3].checkbox(
                rule_name(rid),
                value=r.on(rid),
                key=f"slates_on_{rid}_{v}",
                disabled=rid in ALWAYS_ON,
                help=rule_text(rid),
            )
        st.markdown(f"**{t('quotas')}**")
        cols = st.columns(3)
        cols[0].number_input(
            pick("S09 女性最少人数", "S09 minimum women"),
            min_value=0,
            max_value=15,
            value=r.min_women,
            key=q["min_women"],
        )
        cols[1].number_input(
            pick("S08 年轻干部最少人数", "S08 minimum young members"),
            min_value=0,
            max_value=15,
            value=r.min_young,
            key=q["min_young"],
        )
        cols[2].number_input(
            pick("年轻干部年龄上限", "Young: at most (age)"),
            min_value=18,
            max_value=60,
            value=r.young_max_age,
            key=q["young_max_age"],
        )
        cols[0].number_input(
            pick("书记年龄上限", "Secretary: at most (age)"),
            min_value=18,
            max_value=80,
            value=r.secretary_max_age,
            key=q["secretary_max_age"],
        )
        cols[1].number_input(
            pick("书记党龄（年）", "Secretary: Party years"),
            min_value=0,
            max_value=40,
            value=r.secretary_min_party_years,
            key=q["secretary_min_party_years"],
        )
        cols[2].selectbox(
            pick("书记学历下限", "Secretary: education at least"),
            EDUCATION_LEVELS,
            index=EDUCATION_LEVELS.index(r.secretary_min_education),
            key=q["secretary_min_education"],
            format_func={e: pick(*EDUCATION_NAMES[e]) for e in EDUCATION_LEVELS}.__getitem__,
        )
        cols[0].number_input(
            pick("居委会党员比例高于", "RC Party share above"),
            min_value=0.0,
            max_value=0.99,
            step=0.05,
            value=float(r.rc_party_share_min),
            key=q["rc_party_share_min"],
        )
        cols[1].number_input(
            pick("差额比例", "Differential ratio"),
            min_value=0.0,
            max_value=1.0,
            step=0.05,
            value=float(r.differential_ratio),
            key=q["differential_ratio"],
        )
        cols[2].checkbox(
            pick("监委会也回避近亲属", "Recusal includes supervisory"),
            value=r.recusal_supervisory,
            key=q["recusal_supervisory"],
        )
        st.markdown(f"**{t('weights')}**")
        cols = st.columns(3)
        for i, (key, rid) in enumerate(WEIGHT_RULES):
            cols[i].number_input(
                rule_name(rid),
                min_value=0,
                max_value=100,
                step=1,
                value=getattr(r.weights, key),
                key=f"slates_w_{key}_{v}",
            )
        st.form_submit_button(t("apply_rules"), type="primary", on_click=apply_rules, args=(c, v))


# ---------------------------------------------------------------- solver options


def solver_options(c: Community) -> tuple[int, dict[str, str | None], list[str], bool]:
    ids = [p.id for p in c.people]
    label = {pid: person_label(c, pid) for pid in ids}
    cols = st.columns([1, 1.3, 2, 2])
    st.session_state.setdefault("slates_top", 3)
    top = int(cols[0].number_input(t("top_k"), min_value=1, max_value=6, step=1, key="slates_top"))
    allow_pending = cols[1].toggle(
        t("allow_pending"), key="slates_allow_pending", help=t("allow_pending_help")
    )
    locked = cols[2].multiselect(
        t("locks"), ids, format_func=label.get, key=f"slates_locks_{c.id}", placeholder=t("choose")
    )
    excluded = cols[3].multiselect(
        t("excludes"),
        [i for i in ids if i not in locked],
        format_func=label.get,
        key=f"slates_excludes_{c.id}",
        placeholder=t("choose"),
    )
    places = [TEAM, *BODIES, *(f"{b}.{p}" for b in BODIES for p in POSTS[b])]

    def place_name(value: str) -> str:
        if value == TEAM:
            return t("lock_team")
        body, _, post = value.partition(".")
        return body_name(body) + (f" · {post_name(post)}" if post else "")

    place_names = {place: place_name(place) for place in places}  # labels fixed now, not when formatted
    locks: dict[str, str | None] = {}
    if locked:
        lock_cols = st.columns(min(4, len(locked)))
        for i, pid in enumerate(locked):
            where = lock_cols[i % len(lock_cols)].selectbox(
                t("lock_where", person=label[pid]),
                places,
                format_func=place_names.__getitem__,
                key=f"slates_lock_{c.id}_{pid}_{lang()}",
            )
            locks[pid] = None if where == TEAM else where
    return top, locks, excluded, allow_pending


# ---------------------------------------------------------------- showing slates


def posts_frame(c: Community, slate: Slate) -> pd.DataFrame:
    sitting = c.sitting()  # a by-election: who keeps their post, who fills a vacancy
    rows = [
        {
            t("col_body"): t(f"short_{body}"),
            t("col_post"): post_name(post),
            t("col_person"): person_label(c, pid),
            **(
                {t("col_seat"): t("seat_sitting") if body in sitting.get(pid, {}) else t("seat_new")}
                if c.by_election
                else {}
            ),
        }
        for body in BODIES
        for post, pid in slate.holders(body)
    ]
    return pd.DataFrame(rows)


def by_election_notice(c: Community) -> None:
    """A by-election says so: the vacant posts, the sitting members, what the objective counts."""
    if not c.by_election:
        return
    posts = pick("、", ", ").join(pick(zh, en) for zh, en in c.vacancy_labels())
    people = pick("、", ", ").join(person_label(c, pid) for pid in c.sitting())
    st.info(
        "  \n".join(
            [
                t("by_election_banner"),
                t("by_election_vacancies", posts=posts),
                t("by_election_sitting", people=people or "—"),
                t("by_election_objective"),
            ]
        )
    )


def checks_frame(slate: Slate) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("col_rule"): rule_name(ch.rule),
                t("col_ok"): "–" if ch.disabled else mark(ch.ok),
                t("col_detail"): t("rule_off") if ch.disabled else ch.text(lang()),
            }
            for ch in slate.checks
        ]
    )


KEY_POSTS = (
    ("party_committee", "secretary", ("书记", "Secretary")),
    ("residents_committee", "director", ("主任", "Director")),
)
CARDS_PER_ROW = 3


def highlighted(c: Community, pid: str | None, differs: bool) -> str:
    """A person's label, highlighted when the options do not all agree on them."""
    if pid is None:
        return "—"
    label = person_label(c, pid).replace("[", "(").replace("]", ")")
    return f":orange-background[**{label}**]" if differs else label


def holder(slate: Slate, body: str, post: str) -> str | None:
    return next((pid for p, pid in slate.holders(body) if p == post), None)


def show_card(c: Community, slate: Slate, best: int | None, found: list[Slate]) -> None:
    """One option as a compact card: objective, 书记 and 主任, the team (who differs highlighted), checks."""
    with st.container(border=True):
        st.subheader(t("slate_n", rank=slate.rank))
        delta = None if best is None or slate.objective is None else slate.objective - best
        st.metric(t("objective"), slate.objective, delta=delta if delta else None)
        lines = []
        for body, post, names in KEY_POSTS:
            pid = holder(slate, body, post)
            differs = len(found) > 1 and any(holder(o, body, post) != pid for o in found)
            lines.append(f"**{pick(*names)}**: {highlighted(c, pid, differs)}")
        st.markdown("  \n".join(lines))
        team = slate.team()
        everywhere = set.intersection(*(o.team() for o in found))
        order = {p.id: i for i, p in enumerate(c.people)}
        st.caption(
            pick("两委班子", "Team")
            + f" ({len(team)}): "
            + pick("、", ", ").join(
                highlighted(c, p, p not in everywhere)
                for p in sorted(team, key=lambda p: order.get(p, len(order)))
            )
        )
        failed = [ch.rule for ch in slate.checks if not ch.disabled and not ch.ok]
        if failed:
            st.markdown(
                f":red[{t('checks_failed', n=len(failed), rules='、'.join(rule_name(r) for r in failed))}]"
            )
        else:
            st.markdown(f":green[{t('checks_all_ok')}]")
        adopt_button(c, slate)


def show_details(c: Community, found: list[Slate]) -> None:
    """Each option's posts, candidate lists and rule checklist, full width, one tab per option."""
    with st.expander(t("slate_details")):
        for tab, slate in zip(st.tabs([t("slate_n", rank=s.rank) for s in found]), found, strict=True):
            with tab:
                posts = posts_frame(c, slate)
                st.dataframe(posts, hide_index=True, width="stretch", height=35 * (len(posts) + 1) + 3)
                st.markdown(f"**{t('candidate_lists')}**")
                for body, pids in slate.candidate_lists.items():
                    st.markdown(
                        f"- **{body_name(body)}** ({len(pids)}): "
                        + pick("、", ", ").join(person_label(c, p) for p in pids)
                    )
                st.markdown(f"**{t('checks')}**")
                st.dataframe(
                    checks_frame(slate),
                    hide_index=True,
                    width="stretch",
                    height=35 * (len(slate.checks) + 1) + 3,
                    column_config={t("col_detail"): st.column_config.TextColumn(width="large")},
                )


def show_slates(c: Community, found: list[Slate]) -> None:
    """The options as comparable cards, at most three a row, and their details on demand."""
    best = found[0].objective
    if len(found) > 1:
        st.caption(t("differs_legend"))
    for start in range(0, len(found), CARDS_PER_ROW):
        row = found[start : start + CARDS_PER_ROW]
        for column, slate in zip(st.columns(min(len(found), CARDS_PER_ROW)), row, strict=False):
            with column:
                show_card(c, slate, best, found)
    show_details(c, found)


def suggestions_of(explanation: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(text, change) pairs: the library's suggestions, else "switch off" each rule of the conflict."""
    out = [
        (str(s.get(lang()) or s["change"]), s["change"])
        for s in explanation.get("suggestions") or []
        if s.get("change")
    ]
    if not out:
        for rid in explanation.get("conflict") or []:
            if rid.startswith("S") and rid not in ALWAYS_ON:
                out.append((t("suggest_disable", rule=rule_name(rid)), {"rules.disabled": [rid]}))
    return out


def show_conflict(c: Community, explanation: dict[str, Any] | None) -> None:
    st.error(t("no_slate"))
    if not explanation:
        return
    conflict = explanation.get("conflict") or []
    if conflict:
        st.markdown(f"**{t('conflict')}** — {t('conflict_intro')}")
        for rid in conflict:
            st.markdown(f"- **{rule_name(rid)}**: {rule_text(rid)}")
    text = message(explanation)
    if text:
        st.info(text)
    suggestions = suggestions_of(explanation)
    if suggestions:
        st.markdown(f"**{t('suggestions')}**")
        for i, (text, change) in enumerate(suggestions):
            left, right = st.columns([5, 1])
            left.markdown(f"- {text}")
            right.button(
                t("apply"), key=f"slates_apply_{i}", on_click=apply_suggestion, args=(c, change, text)
            )


def why_not_section(
    c: Community, top: int, locks: dict[str, str | None], excludes: list[str], allow_pending: bool
) -> None:
    st.subheader(t("why_not"))
    ids = ["", *(p.id for p in c.people)]
    pid = st.selectbox(
        t("why_not_person"),
        ids,
        key=f"slates_why_not_{c.id}",
        format_func=lambda i: person_label(c, i) if i else "—",
    )
    if not pid:
        return
    who = person_label(c, pid)
    s = screen(c, allow_pending=allow_pending).get(pid)
    qualification = [r for r in s.reasons() if r.rule != "S15"] if s is not None else []
    if qualification:
        st.markdown(t("why_not_reasons"))
        for r in qualification:
            code = f" {r.code}" if r.code != r.rule else ""
            st.markdown(f"- **{r.rule}{code}** {pick(r.zh, r.en)}")
    not_standing = [b for b in BODIES if not c.person[pid].stands(b)]
    if not_standing:  # S15 is the person's own choice, not a qualification problem
        st.markdown(
            t("why_not_not_standing", bodies=pick("、", ", ").join(body_name(b) for b in not_standing))
        )
    result, _ = slates(c, top=1, locks=locks, excludes=excludes, why_not=pid, allow_pending=allow_pending)
    answer = result.why_not or {}
    text = message(answer)
    if answer.get("excluded"):  # excluded by the user's what-if: say so, and what including them would change
        st.warning(text)
        if answer.get("slate"):
            with st.expander(t("why_not_best"), expanded=True):
                posts = posts_frame(c, Slate.from_json(answer["slate"]))
                st.dataframe(posts, hide_index=True, width="stretch", height=35 * (len(posts) + 1) + 3)
    elif answer.get("in_best"):
        st.success(text or t("why_not_in", person=who, posts=""))
    elif answer.get("possible"):
        best = Slate.from_json(answer["slate"]) if answer.get("slate") else None
        st.info(
            text
            or t(
                "why_not_cost",
                person=who,
                objective=best.objective if best else None,
                cost=answer.get("cost"),
            )
        )
        if best is not None:
            with st.expander(t("why_not_best"), expanded=True):
                posts = posts_frame(c, best)
                st.dataframe(posts, hide_index=True, width="stretch", height=35 * (len(posts) + 1) + 3)
    elif answer.get("possible") is False:
        st.warning(t("why_not_impossible", person=who))
        explanation = answer.get("explanation") or {}
        conflict = explanation.get("conflict") or []
        if conflict:
            st.markdown(f"**{t('conflict')}**: " + pick("、", ", ").join(rule_name(r) for r in conflict))
        if message(explanation):
            st.write(message(explanation))
    elif text:
        st.info(text)


def profile_section(c: Community) -> None:
    """The rule profile in force (`profile:`) and its legal citations, in a small expander."""
    profile = profile_of(c)
    for warning in profile_warnings(c):
        st.warning(warning.pick(lang()))
    with st.expander(profile_summary(c).pick(lang())):
        lines = [
            f"- **{rule_name(key) if key in RULES else key}**: {text.pick(lang())}"
            for key, text in profile.citation_lines()
        ]
        st.markdown("\n".join(lines))


# ---------------------------------------------------------------- the page

st.title(t("slates_title"))
st.caption(t("slates_intro"))
require_scenario()
show_notice()
community = pick_community("slates")
by_election_notice(community)

with st.expander(t("rule_params")):
    rule_parameters_form(community)
profile_section(community)
issues_for, rule_issues = st.session_state.get("slates_issues") or ("", [])
if rule_issues and issues_for == community.sha256():  # issues of a change to this very scenario
    show_issues(rule_issues)

top, locks, excludes, allow_pending = solver_options(community)
remember_whatif(community, locks, excludes)  # the Export page exports exactly these
base = adopted(community)  # an adopted option: what-ifs re-plan from it with the least change
try:
    if base is not None:
        events = base_section(community, *base)
        result, seconds = replanned(community, *base, events, locks, excludes, allow_pending)
    else:
        result, seconds = slates(
            community, top=top, locks=locks, excludes=excludes, allow_pending=allow_pending
        )
except Exception as exc:  # noqa: BLE001 - bad locks and the like are shown, never a traceback
    st.error(t("failed", error=f"{type(exc).__name__}: {exc}"))
    st.stop()

st.caption(f"{t('status')}: **{t('status_' + result.status)}** · " + solved_caption(seconds))
for warning in result.warnings:
    st.warning(warning.pick(lang()))
found = result.slates
if found:
    if len(found) < top:
        st.info(t("fewer_slates", n=len(found)))
    show_slates(community, found)
else:
    show_conflict(community, result.explanation)
if base is not None:
    show_changes(result)
second_round_panel(community, excludes, allow_pending)

save_plan_box(st.session_state[SCENARIO_KEY], page="slates")  # what the Export page would export

st.divider()
why_not_section(community, top, locks, excludes, allow_pending)
