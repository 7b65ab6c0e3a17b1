"""日程 Schedule: a Gantt chart per community with windows and holidays, pinnable election days,
slack and the critical path; for a sub-district, the work-group capacity used per day.
"新周期 New cycle" sets up another 换届 cycle without YAML: a rule profile, the five phase dates of the
county's work plan (template generic), extra calendar days and the reference date, applied through
`planner.edits.apply_change` like any suggested change.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages.common import (
    COMMUNITY_KEY,
    SOURCE_KEY,
    notify,
    require_scenario,
    rule_name,
    schedule,
    set_scenario,
    show_failure,
    show_issues,
    show_notice,
    solved_caption,
)
from app_pages.i18n import lang, pick, stage_name, t
from planner.edits import Change, apply_change, own_rules
from planner.plan import ScheduleResult
from planner.profiles import bundled_profiles
from planner.scenario import Community, Scenario, ScenarioError, Stage, Subdistrict, communities

ALL = "__all__"

# The five phases of a county work plan (SCENARIO.md "Cycles: phase dates") and, for each, a template
# stage whose window is exactly that phase (the default dates of the pickers).
PHASE_STAGES = {
    "mobilise": "rectify",
    "party": "pc_election",
    "residents": "rc_election",
    "supporting": "sc_election",
    "follow_up": "training",
}


def day_ranges(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days merged into (first, last) ranges."""
    out: list[tuple[date, date]] = []
    for d in sorted(days):
        if out and d == out[-1][1] + timedelta(days=1):
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def holiday_blocks(c: Community, first: date, last: date) -> list[tuple[date, date, str]]:
    """Runs of official public holidays (planner.timeline.calendar `public_holiday`: 元旦, 春节, the
    calendar file's and the scenario's days off on a weekday) with their name; plain weekends are not
    marked."""
    cal = c.schedule.work_calendar()  # the official data, the calendar file and the scenario's own days
    named: dict[date, str] = {}
    d = first
    while d <= last:
        holiday = cal.public_holiday(d)
        if holiday is not None:
            named[d] = holiday.pick(lang())
        elif cal.is_rest_day(d, warn=False) and d.weekday() < 5:
            named[d] = t("holiday")  # a day off on a weekday (the scenario's own holidays)
        d += timedelta(days=1)
    runs = []
    for a, b in day_ranges(list(named)):
        days = [a + timedelta(days=i) for i in range((b - a).days + 1)]
        runs.append((a, b, " / ".join(dict.fromkeys(named[x] for x in days))))
    return runs


def makeup_days(c: Community, first: date, last: date) -> list[date]:
    """Make-up working days (调休上班): Saturdays and Sundays that the calendar makes working days."""
    cal = c.schedule.work_calendar()
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return [d for d in days if d.weekday() >= 5 and cal.is_workday(d, warn=False)]


Rows = list[tuple[Stage, date, date, int | None]]


def gantt(c: Community, rows: Rows, critical: set[str], before: Rows | None = None) -> go.Figure:
    """Planned stages (critical ones red) over their windows (grey), election days labelled with their
    date, public holidays and blackout days shaded, make-up working days marked; `before` (the plan
    without pins) shows as faint bars where a pin moved a stage."""
    labels = [f"{s.id} {stage_name(s.id, s.name)}" for s, *_ in rows]
    ms = 86_400_000
    fig = go.Figure()
    windows = [s.window for s, *_ in rows]
    fig.add_trace(
        go.Bar(
            y=labels,
            base=[w[0].isoformat() if w else None for w in windows],
            x=[((w[1] - w[0]).days + 1) * ms if w else 0 for w in windows],
            orientation="h",
            marker={"color": "rgba(150,150,150,0.22)"},
            name=t("window"),
            hoverinfo="skip",
        )
    )
    starts = [start for _, start, _, _ in rows]
    ends = [end for _, _, end, _ in rows]
    moved = {
        s.id: (b, e)
        for s, b, e, _ in before or []
        if any(r.id == s.id and (rb, re_) != (b, e) for r, rb, re_, _ in rows)
    }
    if moved:
        old = [moved.get(s.id) for s, *_ in rows]
        fig.add_trace(
            go.Bar(
                y=labels,
                base=[span[0].isoformat() if span else None for span in old],
                x=[((span[1] - span[0]).days + 1) * ms if span else 0 for span in old],
                orientation="h",
                marker={"color": "rgba(31,119,180,0.18)", "line": {"color": "#1f77b4", "width": 1}},
                name=t("unpinned_plan"),
                customdata=[[span[0].isoformat(), span[1].isoformat()] if span else ["", ""] for span in old],
                hovertemplate="%{y}<br>"
                + t("unpinned_plan")
                + ": %{customdata[0]} → %{customdata[1]}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Bar(
            y=labels,
            base=[d.isoformat() for d in starts],
            x=[((e - b).days + 1) * ms for b, e in zip(starts, ends, strict=False)],
            orientation="h",
            name=t("planned"),
            marker={"color": ["#d62728" if s.id in critical else "#1f77b4" for s, *_ in rows]},
            customdata=[
                [b.isoformat(), e.isoformat(), "" if slack is None else slack] for _, b, e, slack in rows
            ],
            hovertemplate="%{y}<br>%{customdata[0]} → %{customdata[1]}<br>"
            + t("slack")
            + ": %{customdata[2]}"
            "<extra></extra>",
        )
    )
    elections = [(f"{s.id} {stage_name(s.id, s.name)}", b, e) for s, b, e, _ in rows if s.election]
    if elections:  # a one-day election is a sliver: a marker at noon with its date beside it
        fig.add_trace(
            go.Scatter(
                y=[label for label, _, _ in elections],
                x=[f"{b.isoformat()}T12:00:00" for _, b, _ in elections],
                mode="markers+text",
                marker={"symbol": "diamond", "size": 11, "color": "#111"},
                text=[
                    b.isoformat() if b == e else f"{b.isoformat()}–{e.isoformat()}" for _, b, e in elections
                ],
                textposition="middle right",
                textfont={"size": 11},
                name=t("election_day"),
                hoverinfo="text",
            )
        )
    if starts:
        first = min([*starts, *(w[0] for w in windows if w)])
        last = max([*ends, *(w[1] for w in windows if w)])
        holiday = t("holiday") + pick("：", ": ")
        marks = [  # (first day, last day, colour, opacity, label, label position)
            *(
                (a, b, "#ff9800", 0.25, holiday + name, "top left")
                for a, b, name in holiday_blocks(c, first, last)
            ),
            *((d, d, "#9c27b0", 0.2, t("makeup_day"), "bottom right") for d in makeup_days(c, first, last)),
            *(
                (a, b, "#000", 0.25, t("blackout"), "bottom left")
                for a, b in day_ranges([d for d in c.schedule.blackout if first <= d <= last])
            ),
        ]
        for a, b, colour, opacity, label, position in marks:
            fig.add_vrect(
                x0=a.isoformat(),
                x1=(b + timedelta(days=1)).isoformat(),
                fillcolor=colour,
                opacity=opacity,
                line_width=0,
                annotation_text=label,
                annotation_position=position,
                annotation_font_size=10,
            )
    fig.update_layout(
        barmode="overlay",
        height=max(320, 26 * len(rows) + 110),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"type": "date"},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": 1.06},
    )
    return fig


def capacity_figure(scenario: Subdistrict, result: ScheduleResult) -> go.Figure:
    """Communities using the work group (work-group stages and election days) on each day."""
    used: Counter[date] = Counter()
    for c in scenario.communities:
        busy: set[date] = set()
        for s, d, end, _ in result.stages(c.id):
            if s.work_group or s.election:
                while d <= end:
                    busy.add(d)
                    d += timedelta(days=1)
        used.update(busy)
    days = sorted(used)
    fig = go.Figure()
    for full, name, colour in ((True, t("at_capacity"), "#d62728"), (False, t("below_capacity"), "#2ca02c")):
        shown = [d for d in days if (used[d] >= scenario.capacity) == full]
        fig.add_trace(
            go.Bar(
                x=[d.isoformat() for d in shown],
                y=[used[d] for d in shown],
                name=name,
                width=[0.8 * 86_400_000] * len(shown),  # one day each (plotly widens sparse date bars)
                marker={"color": [colour] * len(shown)},
                hovertemplate="%{x}: %{y}/" + str(scenario.capacity) + "<extra>" + name + "</extra>",
            )
        )
    fig.add_hline(y=scenario.capacity, line_dash="dash", annotation_text=t("capacity_limit"))
    fig.update_layout(
        height=300,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"type": "date"},
        yaxis={"title": t("communities_per_day"), "dtick": 1},
        barmode="overlay",
        legend={"orientation": "h", "y": 1.1},
    )
    return fig


def scope_key() -> str:
    return f"schedule_pin_scope_{lang()}"


def pin_key(scenario: Scenario, stage_id: str) -> str:
    return f"schedule_pin_{stage_id}_{scenario.sha256()[:8]}"


def apply_pin(scenario: Scenario, pin: str, day: date, label: str) -> None:
    """Button callback: set the pickers to the pin `pin` ("pin:STAGE" or "pin:COMMUNITY/STAGE") on `day`."""
    target = pin.removeprefix("pin:")
    community_id, _, stage_id = target.rpartition("/")
    st.session_state[f"schedule_pin_on_{stage_id}"] = True
    st.session_state[pin_key(scenario, stage_id)] = day
    if len(communities(scenario)) > 1:
        st.session_state[scope_key()] = community_id or ALL
        if community_id:
            st.session_state[COMMUNITY_KEY] = community_id
    notify(t("pin_applied", stage=label, day=day.isoformat()))


def pin_inputs(scenario: Scenario, planned: ScheduleResult | None) -> dict[str, str]:
    """Date pickers for the election days; returns pins as {"STAGE" or "COMMUNITY/STAGE": "YYYY-MM-DD"}."""
    items = communities(scenario)
    elections = [s for s in items[0].schedule.effective_stages() if s.election]
    scope = ALL
    if len(items) > 1:
        # The community in view by default: "every community" puts them all on one day (a trap).
        names = {c.id: f"{c.name or c.id} ({c.id})" for c in items}
        names[ALL] = t("pin_scope_all")
        key = scope_key()
        if st.session_state.get(key) not in names:
            in_view = st.session_state.get(COMMUNITY_KEY)
            st.session_state[key] = in_view if in_view in names else items[0].id
        scope = st.selectbox(t("pin_scope"), list(names), format_func=names.get, key=key)
        if scope == ALL:
            st.info(t("pin_scope_all_warning", n=len(items)))
        else:
            st.session_state[COMMUNITY_KEY] = scope  # the community in view follows the scope
    pins: dict[str, str] = {}
    columns = st.columns(max(1, len(elections)))
    for column, stage in zip(columns, elections, strict=False):
        with column:
            on = st.checkbox(
                t("pin_stage", stage=stage_name(stage.id, stage.name)), key=f"schedule_pin_on_{stage.id}"
            )
            default = stage.window[1] if stage.window else items[0].reference_date
            community_id = items[0].id if scope == ALL else scope
            planned_start = planned.plan.get(community_id, {}).get(stage.id) if planned is not None else None
            if planned_start is not None:
                default = planned_start[0]
            key = pin_key(scenario, stage.id)  # kept across pages, fresh per scenario
            st.session_state.setdefault(key, default)
            day = st.date_input(
                t("date"),
                key=key,
                disabled=not on,
                min_value=stage.window[0] if stage.window else None,
                max_value=stage.window[1] if stage.window else None,
                format="YYYY-MM-DD",
            )
            if on and day:
                pins[stage.id if scope == ALL else f"{scope}/{stage.id}"] = day.isoformat()
    return pins


def current_phases(c: Community) -> dict[str, tuple[date, date]]:
    """The community's phases (the seed's for template "2020"), else as its stage windows show them."""
    windows = {s.id: s.window for s in c.schedule.effective_stages()}
    shown = {phase: w for phase, sid in PHASE_STAGES.items() if (w := windows.get(sid)) is not None}
    return {**shown, **c.schedule.phase_dates()}


def parse_days(text: str) -> tuple[list[str], list[str]]:
    """Dates written one per line or separated by commas (YYYY-MM-DD): (days, the parts that are not dates)."""
    days: list[str] = []
    bad: list[str] = []
    for part in re.split(r"[\s,，、;；]+", text.strip()):
        if not part:
            continue
        try:
            day = date.fromisoformat(part).isoformat()
        except ValueError:
            bad.append(part)
            continue
        if day not in days:
            days.append(day)
    return days, bad


OWN_PROFILE = "<profile file>"  # the selectbox key of a county's own profile file (kept as it is)


def cycle_change(
    scenario: Scenario,
    phases: dict[str, tuple[date, date]],
    *,
    profile: str | None = None,
    reference_date: date | None = None,
    holidays: list[str] | None = None,
    workdays: list[str] | None = None,
) -> Change:
    """The change that moves every community to the new cycle: template generic on `phases`, the profile,
    the reference date and the extra days; the old cycle's pins and T06 deadlines outside it are dropped."""
    first = min(a for a, _ in phases.values())
    last = max(b for _, b in phases.values())
    change: Change = {}
    for c in communities(scenario):
        at = "" if isinstance(scenario, Community) else f"communities.{c.id}."
        if isinstance(c.schedule.template, str):  # a county's template file keeps its stages
            change[f"{at}schedule.template"] = "generic"
        change[f"{at}schedule.phases"] = {k: [a.isoformat(), b.isoformat()] for k, (a, b) in phases.items()}
        if c.schedule.pin:
            change[f"{at}schedule.pin"] = {
                k: d.isoformat() for k, d in c.schedule.pin.items() if first <= d <= last
            }
        if c.schedule.deadlines:
            change[f"{at}schedule.deadlines"] = {
                k: d.isoformat() for k, d in c.schedule.deadlines.items() if first <= d <= last
            }
        if holidays:
            change[f"{at}schedule.holidays"] = list(holidays)
        if workdays:
            change[f"{at}schedule.workdays"] = list(workdays)
        if profile and profile != OWN_PROFILE and profile != c.profile:
            change[f"{at}profile"] = profile
            change[f"{at}rules"] = own_rules(c)  # the new profile's defaults under the scenario's own rules
        if reference_date is not None:
            change[f"{at}reference_date"] = reference_date.isoformat()
    if isinstance(scenario, Subdistrict):
        day = scenario.concentrated_election_day
        if day is not None and not phases["residents"][0] <= day <= phases["residents"][1]:
            change["concentrated_election_day"] = None
    return change


def new_cycle_form(scenario: Scenario) -> None:
    """Profile, the five phase dates, extra days off and working days; "apply" re-plans the whole schedule."""
    st.caption(t("new_cycle_intro"))
    first = communities(scenario)[0]
    v = scenario.sha256()[:8]  # fresh widgets whenever the scenario changes
    profiles = bundled_profiles()
    if not isinstance(first.profile, str):  # a county's profile file: offered first, kept unless changed
        profiles = {OWN_PROFILE: first.profile, **profiles}
    current = (
        first.profile
        if isinstance(first.profile, str) and first.profile in profiles
        else next(iter(profiles))
    )
    labels = {
        name: f"{p.id if name == OWN_PROFILE else name} · {p.title.pick(lang())} ({p.period().pick(lang())})"
        for name, p in profiles.items()
    }
    profile = st.selectbox(
        t("cycle_profile"),
        list(profiles),
        index=list(profiles).index(current),
        format_func=labels.get,
        key=f"schedule_cycle_profile_{v}_{lang()}",  # the labels follow the language
        help=t("cycle_profile_help"),
    )
    reference = st.date_input(
        t("cycle_reference_date"),
        value=first.reference_date,
        key=f"schedule_cycle_reference_{v}",
        format="YYYY-MM-DD",
    )
    defaults = current_phases(first)
    chosen: dict[str, tuple[date, date]] = {}
    missing: list[str] = []
    columns = st.columns(len(PHASE_STAGES))
    for column, phase in zip(columns, PHASE_STAGES, strict=True):
        with column:
            value = st.date_input(
                t(f"phase_{phase}"),
                value=defaults.get(phase, (first.reference_date, first.reference_date)),
                key=f"schedule_cycle_{phase}_{v}",
                help=t("phase_help"),
                format="YYYY-MM-DD",
            )
        if isinstance(value, (tuple, list)) and len(value) == 2:
            chosen[phase] = (value[0], value[1])
        else:
            missing.append(phase)
    left, right = st.columns(2)
    with left:
        holidays_text = st.text_area(
            t("cycle_holidays"), key=f"schedule_cycle_holidays_{v}", help=t("cycle_days_help"), height=90
        )
    with right:
        workdays_text = st.text_area(
            t("cycle_workdays"), key=f"schedule_cycle_workdays_{v}", help=t("cycle_days_help"), height=90
        )
    if not st.button(t("cycle_apply"), key=f"schedule_cycle_apply_{v}", type="primary"):
        return
    holidays, bad_holidays = parse_days(holidays_text)
    workdays, bad_workdays = parse_days(workdays_text)
    problems = [t("cycle_need_range", phase=t(f"phase_{p}")) for p in missing]
    problems += [t("cycle_bad_date", text=x) for x in (*bad_holidays, *bad_workdays)]
    if problems:
        for problem in problems:
            st.error(problem)
        return
    change = cycle_change(
        scenario,
        chosen,
        profile=profile if profile != current else None,  # untouched: each community keeps its own
        reference_date=reference
        if isinstance(reference, date) and reference != first.reference_date
        else None,
        holidays=holidays,
        workdays=workdays,
    )
    source = st.session_state.get(SOURCE_KEY, "<session>")
    try:
        changed = apply_change(scenario, change, source=source)
    except ScenarioError as exc:
        show_issues(exc.issues)
        return
    set_scenario(changed, source, fresh=False)
    notify(t("cycle_applied"))
    st.rerun()


def show_explanation(scenario: Scenario, explanation: dict[str, Any] | None) -> None:
    """The conflict and its message; for each pin in it, its true earliest and latest feasible days (every
    other rule and pin in force) with a button applying each, as the Slates page applies suggestions."""
    if not explanation:
        return
    conflict = explanation.get("conflict") or []
    st.markdown(f"**{t('conflict')}**: " + "、".join(rule_name(r) for r in conflict))
    message = explanation.get(f"message_{lang()}") or explanation.get("message")
    if message:
        st.write(message)
    earliest = explanation.get("earliest") or {}
    latest = explanation.get("latest") or {}
    items = communities(scenario)
    for i, pin in enumerate(earliest):
        target = pin.removeprefix("pin:")
        community_id, _, stage_id = target.rpartition("/")
        c = next((x for x in items if x.id == community_id), items[0])
        stage = next((s for s in c.schedule.effective_stages() if s.id == stage_id), None)
        if stage is None:
            continue
        label = f"{community_id + '/' if community_id else ''}{stage_name(stage.id, stage.name)}"
        first = date.fromisoformat(earliest[pin])
        last = date.fromisoformat(latest.get(pin, earliest[pin]))
        st.markdown(t("pin_feasible", stage=label, earliest=first.isoformat(), latest=last.isoformat()))
        columns = st.columns(2)
        for column, (which, day) in zip(columns, (("earliest", first), ("latest", last)), strict=True):
            if stage.window and not stage.window[0] <= day <= stage.window[1]:
                continue  # the picker only takes days inside the window (T01 off here)
            with column:
                st.button(
                    t(f"pin_apply_{which}", day=day.isoformat()),
                    key=f"schedule_apply_{which}_{i}",
                    on_click=apply_pin,
                    args=(scenario, pin, day, label),
                    type="primary" if which == "earliest" else "secondary",
                )


def by_election_stage(c: Community, stage_id: str, name: str) -> str:
    """A stage's name; in English a by-election's stages say so (their Chinese names already do)."""
    shown = stage_name(stage_id, name)
    if c.by_election and lang() != "zh":
        return t("by_election_stage", name=shown)
    return shown


st.title(t("schedule_title"))
st.caption(t("schedule_intro"))
scenario = require_scenario()
show_notice()
with st.expander(t("new_cycle")):
    new_cycle_form(scenario)

unpinned: ScheduleResult | None
unpinned_seconds: float = 0.0
try:
    unpinned, unpinned_seconds = schedule(scenario, {})  # the pickers start at the planned dates
except Exception:  # noqa: BLE001 - shown below, when the pinned plan is asked for
    unpinned = None
with st.expander(t("pins"), expanded=True):
    pins = pin_inputs(scenario, unpinned)
st.session_state["schedule_last_pins"] = pins  # the Export page exports the schedule shown here

try:
    if pins or unpinned is None:
        result, seconds = schedule(scenario, pins)
    else:  # no pin: the plan is the unpinned one just solved (or served from the cache)
        result, seconds = unpinned, unpinned_seconds
except Exception as exc:  # noqa: BLE001 - a solver failure is shown, never a traceback
    show_failure(exc)

status = result.status
st.caption(f"{t('status')}: **{t('status_' + status)}** · " + solved_caption(seconds))
for warning in result.warnings:
    st.warning(warning.pick(lang()))
if status in ("infeasible", "unknown") or not result.plan:
    st.error(t("no_schedule"))
    show_explanation(scenario, result.explanation)
    st.stop()

items = communities(scenario)
if isinstance(scenario, Subdistrict):
    st.subheader(t("capacity_used"))
    st.plotly_chart(
        capacity_figure(scenario, result), key="schedule_capacity", config={"displayModeBar": False}
    )

tabs = st.tabs([c.name or c.id for c in items]) if len(items) > 1 else [st.container()]
for tab, c in zip(tabs, items, strict=False):
    rows = result.stages(c.id)
    critical_ids = result.critical_path(c.id)
    critical = set(critical_ids)
    with tab:
        if c.by_election:  # 补选: the by-election template's stages of the vacant bodies
            note = c.by_election_note()
            template = c.schedule.template
            label = template.label() if hasattr(template, "label") else str(template)
            st.info(t("by_election_schedule", template=label) + "  \n" + (note.pick(lang()) if note else ""))
        before = unpinned.stages(c.id) if pins and unpinned is not None and unpinned.plan else None
        st.plotly_chart(
            gantt(c, rows, critical, before), key=f"schedule_gantt_{c.id}", config={"displayModeBar": False}
        )
        names = {s.id: by_election_stage(c, s.id, s.name) for s in c.schedule.effective_stages()}
        st.markdown(
            f"**{t('critical_path')}**: " + (" → ".join(f"{names.get(s, s)}" for s in critical_ids) or "—")
        )
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("stage"): s.id,
                        t("name"): names.get(s.id, stage_name(s.id, s.name)),
                        t("start"): start.isoformat(),
                        t("end"): end.isoformat(),
                        t("slack"): slack,
                        t("critical"): "●" if s.id in critical else "",
                    }
                    for s, start, end, slack in rows
                ]
            ),
            hide_index=True,
            width="stretch",
            key=f"schedule_table_{c.id}",
            height=35 * (len(rows) + 1) + 3,
        )
