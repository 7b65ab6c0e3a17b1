"""Shared helpers for the pages: the session's scenario, issues tables, cached solver calls.

The session holds one validated scenario (`common_scenario`). Pages never change it in
place: an edit builds new data, `parse_scenario` validates it, and only a valid result
replaces the session's scenario. Solver calls are cached on the scenario's canonical
JSON plus the options, so a widget that does not change either never re-solves.
The app never imports ortools itself: it calls the planner library and renders its typed results.
"""

from __future__ import annotations

import copy
import gc
import hashlib
import json
import logging
import os
import re
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
import yaml

import planner.schedule
import planner.slate
from app_pages.i18n import lang, pick, t
from planner.edits import scenario_data
from planner.issues import issue
from planner.plan import ScheduleResult, SlateResult
from planner.rules import RULES, rule_label
from planner.scenario import (
    BODY_NAMES,
    POST_NAMES,
    Community,
    Issue,
    Scenario,
    ScenarioError,
    Subdistrict,
    communities,
    load_scenario,
    load_scenario_text,
    parse_scenario,
)

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS_DIR = Path(os.environ.get("PLANNER_SCENARIOS_DIR", ROOT / "scenarios"))
DEFAULT_SCENARIO = "nuoenjiya.yaml"
SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")

SCENARIO_KEY = "common_scenario"  # the validated Community | Subdistrict
SOURCE_KEY = "common_source"  # where it came from (bundled path or upload name)
ORIGINAL_KEY = "common_original_sha"  # fingerprint when loaded, to tell "edited"
BUNDLED_KEY = "common_bundled"  # relative path of the bundled file, if any
COMMUNITY_KEY = "common_community"  # the chosen community id (sub-districts)
NOTICE_KEY = "common_notice"  # a one-shot success message shown after a rerun
WHATIF_KEY = "common_whatif"  # the Slates page's locks and excludes per community, for the Export page


# ---------------------------------------------------------------- the server's garbage collector

_FROZEN_MODULES = [0]  # len(sys.modules) when the long-lived objects were last frozen


def freeze_long_lived() -> None:
    """Called at the start of each run: when modules were imported since the last call, move every object
    alive now (the modules, mostly, just after Streamlit's full collection that ends each run) out of the
    cyclic garbage collector's reach (gc.freeze).

    Streamlit runs a full collection after every script run (runner.postScriptGC); over the modules of
    pandas, plotly, ortools and the like it took 0.25 s on this machine, holding the interpreter while the
    page waited for the run's last message. Frozen objects are still freed when no longer referenced; only
    a reference cycle among them would stay, and freezing happens once per batch of new imports.
    """
    if len(sys.modules) != _FROZEN_MODULES[0]:
        gc.freeze()
        _FROZEN_MODULES[0] = len(sys.modules)


# ---------------------------------------------------------------- the session's scenario


def bundled_files() -> list[str]:
    """The example scenario files: those directly in scenarios/ (file names), the default first.

    Sub-folders hold a sub-district's community files (reached through the sub-district) and test
    corpora such as scenarios/bad/; none of them is offered in the picker.
    """
    if not SCENARIOS_DIR.is_dir():
        return []
    files = sorted(
        p.name
        for p in SCENARIOS_DIR.iterdir()
        if p.suffix.lower() in SCENARIO_SUFFIXES and p.is_file() and not p.name.startswith((".", "_"))
    )
    if DEFAULT_SCENARIO in files:
        files.remove(DEFAULT_SCENARIO)
        files.insert(0, DEFAULT_SCENARIO)
    return files


_NAME_LINE = re.compile(
    r"""^name:[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^#\n]*?))[ \t]*(?:#.*)?$""", re.MULTILINE
)


@st.cache_data(show_spinner=False, max_entries=256)
def _scenario_name(path: str, mtime_ns: int) -> str:
    """The top-level `name` of a bundled file, read without building the scenario ("" when none).

    `mtime_ns` only keys the cache, so an edited file is read again.
    """
    try:
        with open(path, "rb") as handle:
            raw = handle.read(1024 * 1024)
        if path.lower().endswith(".json"):
            data = json.loads(raw.decode("utf-8"))
            return str(data.get("name") or "").strip() if isinstance(data, dict) else ""
        found = _NAME_LINE.search(raw.decode("utf-8", errors="replace"))
    except (OSError, ValueError):
        return ""
    return next((g for g in found.groups() if g), "").strip() if found else ""


def bundled_labels(files: list[str]) -> dict[str, str]:
    """The picker's label of each bundled file: the scenario's own name (诺恩吉雅社区), else the file name."""
    labels: dict[str, str] = {}
    for relpath in files:
        path = SCENARIOS_DIR / relpath
        try:
            mtime = path.stat().st_mtime_ns
        except OSError:
            mtime = 0
        labels[relpath] = _scenario_name(str(path), mtime) or relpath
    names = list(labels.values())
    return {f: (f"{label} ({f})" if names.count(label) > 1 else label) for f, label in labels.items()}


def set_scenario(
    scenario: Scenario,
    source: str,
    *,
    bundled: str | None = None,
    fresh: bool = True,
    files: Mapping[str, bytes] | None = None,
) -> None:
    """Make `scenario` the session's scenario; `fresh` marks a newly loaded file (not an edit).

    It is saved as a version in the workspace (with `files`, the bytes the user gave), see workspace_state.
    """
    st.session_state[SCENARIO_KEY] = scenario
    st.session_state[SOURCE_KEY] = source
    if fresh:
        st.session_state[ORIGINAL_KEY] = scenario.sha256()
        st.session_state[BUNDLED_KEY] = bundled
        ids = [c.id for c in communities(scenario)]
        if st.session_state.get(COMMUNITY_KEY) not in ids:
            st.session_state[COMMUNITY_KEY] = ids[0] if ids else None
    from app_pages.workspace_state import record_version  # it reads this module's session keys

    record_version(scenario, source, fresh=fresh, files=files)


def load_bundled(relpath: str) -> list[Issue]:
    """Load a bundled file into the session; returns the issues (empty when loaded)."""
    if relpath not in bundled_files():
        return [issue(relpath, "not a bundled example", "不是内置的示例场景")]
    try:
        scenario = load_scenario(SCENARIOS_DIR / relpath)
        original = (SCENARIOS_DIR / relpath).read_bytes()
    except ScenarioError as exc:
        return exc.issues
    set_scenario(scenario, relpath, bundled=relpath, files={relpath: original})
    return []


def parse_upload(name: str, content: bytes, files: Mapping[str, bytes] | None = None) -> Scenario:
    """Validate an uploaded YAML/JSON file in memory (never written to disk); raises ScenarioError.

    The planner's loader bounds it (size, UTF-8, nesting, aliases, tags). A sub-district's community files
    are looked up only in `files` (uploaded with it), never on the server's disk: no base directory is
    given, so without `files` file entries are refused.
    """
    if files is None:
        return load_scenario_text(content, source=name)
    return load_scenario_text(content, source=name, files=dict(files))


_COMMUNITY = re.compile(r"^reference_date:" "|" r'"reference_date"\s*:', re.MULTILINE)  # not in a profile
_SUBDISTRICT = re.compile(r"^kind:[ \t]*['\"]?subdistrict\b" "|" r'"kind"\s*:\s*"subdistrict"', re.MULTILINE)


def parse_uploads(uploads: list[tuple[str, bytes]]) -> tuple[str, Scenario]:
    """Validate one uploaded scenario, or a sub-district with the community files it names.

    Returns the main file's name and the scenario; raises ScenarioError for bad input.
    """
    if len(uploads) == 1:
        name, content = uploads[0]
        return name, parse_upload(name, content)
    names = [name for name, _ in uploads]
    together = ", ".join(names)
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ScenarioError(
            [
                issue(
                    together,
                    f"the file {twice[0]} is uploaded twice",
                    f"文件 {twice[0]} 上传了两次",
                    hint="upload each file once",
                    hint_zh="每个文件只上传一次",
                )
            ]
        )
    main = [
        (name, content)
        for name, content in uploads
        if _SUBDISTRICT.search(content[: 1024 * 1024].decode("utf-8", errors="replace"))
    ]
    if not main:  # a community with its own files (profile, template, calendar): the one with reference_date
        main = [
            (name, content)
            for name, content in uploads
            if _COMMUNITY.search(content[: 1024 * 1024].decode("utf-8", errors="replace"))
        ]
    if len(main) != 1:
        raise ScenarioError(
            [
                issue(
                    together,
                    f"several files need exactly one sub-district file among them ({len(main)} found)",
                    f"上传多个文件时，其中必须恰好有一个街道文件（找到 {len(main)} 个）",
                    hint="upload one community file (with the profile, template or calendar files it names), "
                    "or one sub-district file together with the community files it names",
                    hint_zh="上传一个社区文件（可连同它引用的规则配置、模板或日历文件），或一个街道文件连同它列出的社区文件",
                )
            ]
        )
    name, content = main[0]
    return name, parse_upload(name, content, {n: c for n, c in uploads if n != name})


def read_uploads(uploads: list[tuple[str, bytes]]) -> tuple[str, Scenario | None, list[Issue]]:
    """`parse_uploads` that never raises: (main name, scenario or None, issues).

    Bad input gives its issues; anything else (a file nested too deeply, too many aliases, a bug) gives
    one plain issue in both languages, and the details go to the server log, never to the page.
    """
    together = ", ".join(name for name, _ in uploads)
    try:
        name, scenario = parse_uploads(uploads)
        scenario.sha256()  # the session fingerprints it: a value that cannot be serialised fails here
    except ScenarioError as exc:
        return together, None, list(exc.issues)
    except RecursionError:
        return (
            together,
            None,
            [
                issue(
                    together,
                    "the file is nested too deeply to be a scenario",
                    "文件嵌套层次过深，不是有效的场景文件",
                    hint="a scenario nests a few levels only",
                    hint_zh="场景文件只有几层嵌套",
                )
            ],
        )
    except MemoryError:
        return (
            together,
            None,
            [
                issue(
                    together,
                    "the file expands to too much data to be a scenario",
                    "文件展开后数据量过大，不是有效的场景文件",
                    hint="remove repeated aliases (*name)",
                    hint_zh="删除重复引用的别名（*name）",
                )
            ],
        )
    except Exception:  # an upload must never show a traceback or stop the app
        logging.getLogger(__name__).exception("upload %s could not be read", together)
        return (
            together,
            None,
            [
                issue(
                    together,
                    "the file could not be read as a scenario",
                    "无法将此文件读取为场景",
                    hint="check that it is a community or sub-district scenario (YAML or JSON)",
                    hint_zh="请确认它是 YAML 或 JSON 格式的社区或街道场景文件",
                )
            ],
        )
    return name, scenario, []


# Widget values that survive a visit to another page (Streamlit drops the state of widgets not drawn).
PERSISTENT_PREFIXES = (
    "slates_top",
    "slates_allow_pending",
    "slates_locks_",
    "slates_excludes_",
    "slates_lock_",
    "schedule_pin_",
    "candidates_allow_pending",
)


def keep_widget_state() -> None:
    """Re-assign the listed widget keys so that they are kept while another page is shown."""
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.startswith(PERSISTENT_PREFIXES):
            st.session_state[key] = st.session_state[key]


def current_scenario() -> Scenario | None:
    """The session's scenario, loading the default bundled one on first use."""
    keep_widget_state()
    if SCENARIO_KEY not in st.session_state:
        st.session_state[SCENARIO_KEY] = None
        files = bundled_files()
        if files:
            load_bundled(files[0])
    return st.session_state.get(SCENARIO_KEY)


def require_scenario() -> Scenario:
    """The session's scenario, or a notice and the end of the page."""
    scenario = current_scenario()
    if scenario is None:
        st.info(t("no_scenario"))
        st.stop()
    edited = f" {t('edited')}" if is_edited() else ""
    st.sidebar.caption(
        f"{t('current_scenario')}: **{scenario.name or scenario.id}** "
        f"({st.session_state.get(SOURCE_KEY, '')}){edited}"
    )
    return scenario


def replace_scenario(data: dict[str, Any]) -> list[Issue]:
    """Validate edited data and, when valid, make it the session's scenario; returns the issues."""
    source = st.session_state.get(SOURCE_KEY, "<session>")
    try:
        scenario = parse_scenario(data, source=source)  # inline data: no file is read
    except ScenarioError as exc:
        return exc.issues
    set_scenario(scenario, source, fresh=False)
    return []


def replace_community(community_id: str, data: dict[str, Any]) -> list[Issue]:
    """Replace one community's data (the whole scenario for a community scenario); returns the issues."""
    scenario = require_scenario()
    if isinstance(scenario, Subdistrict):
        whole = scenario_data(scenario)
        whole["communities"] = [data if c.get("id") == community_id else c for c in whole["communities"]]
        return replace_scenario(whole)
    return replace_scenario(data)


def scenario_yaml(scenario: Scenario) -> str:
    """The scenario as a YAML file (Chinese kept readable)."""
    return yaml.safe_dump(scenario_data(scenario), allow_unicode=True, sort_keys=False)


def is_edited() -> bool:
    scenario = st.session_state.get(SCENARIO_KEY)
    return scenario is not None and scenario.sha256() != st.session_state.get(ORIGINAL_KEY)


def pick_community(prefix: str) -> Community:
    """The community a page works on: the scenario itself, or one chosen from a sub-district."""
    scenario = current_scenario()
    items = communities(scenario) if scenario is not None else []
    if not items:
        st.info(t("no_scenario"))
        st.stop()
    if len(items) == 1:
        return items[0]
    ids = [c.id for c in items]
    names = {c.id: f"{c.name or c.id} ({c.id})" for c in items}
    current = st.session_state.get(COMMUNITY_KEY)
    chosen = st.selectbox(
        t("community"),
        ids,
        index=ids.index(current) if current in ids else 0,
        format_func=names.get,
        key=f"{prefix}_community",
    )
    st.session_state[COMMUNITY_KEY] = chosen
    return items[ids.index(chosen)]


def notify(text: str) -> None:
    """Show `text` once on the next run (after st.rerun)."""
    st.session_state[NOTICE_KEY] = text


def show_notice() -> None:
    text = st.session_state.pop(NOTICE_KEY, None)
    if text:
        st.success(text)


# ---------------------------------------------------------------- rendering helpers


def issues_frame(issues: list[Issue]) -> pd.DataFrame:
    """Issues as a table in the page's language: file, YAML line, record (numbered from 1), field, problem, fix."""
    columns = [
        t("issue_file"),
        t("issue_line"),
        t("issue_record"),
        t("issue_field"),
        t("issue_message"),
        t("issue_hint"),
    ]
    rows = []
    for i in issues:
        record, message, hint = i.parts(lang())
        rows.append(
            dict(
                zip(
                    columns,
                    (i.file, str(i.line) if i.line else "", record, i.field, message, hint),
                    strict=False,
                )
            )
        )
    return pd.DataFrame(rows, columns=columns)


def show_issues(issues: list[Issue]) -> None:
    """Validation issues in place, as a table (never a traceback)."""
    st.error(t("issues_title", n=len(issues)))
    st.dataframe(issues_frame(issues), hide_index=True, width="stretch")


def show_failure(exc: Exception) -> None:
    """A failed solve or export shown in place (its issues when it has them), then the page stops."""
    issues = getattr(exc, "issues", None)
    if issues:
        show_issues(issues)
    else:
        st.error(t("failed", error=f"{type(exc).__name__}: {exc}"))
    st.stop()


def body_name(body: str) -> str:
    zh, en = BODY_NAMES.get(body, (body, body))
    return pick(zh, en)


def post_name(post: str) -> str:
    zh, en = POST_NAMES.get(post, (post, post))
    return pick(zh, en)


def rule_name(rule_id: str) -> str:
    """`S09 女性` / `S09 women`; pins (`pin:STAGE`) pass through."""
    return rule_label(rule_id, lang())


def rule_text(rule_id: str) -> str:
    rule = RULES.get(rule_id)
    return pick(rule.text_zh, rule.text_en) if rule else rule_id


_labels: OrderedDict[int, tuple[Community, dict[str, str]]] = OrderedDict()  # id(c) -> (c, its labels)
_labels_lock = threading.Lock()


def person_labels(c: Community) -> dict[str, str]:
    """The label of each person and other of `c` by id, made once per community object: the pages label
    thousands of options with it, and the app never changes a community in place (an edit makes a new one)."""
    with _labels_lock:
        hit = _labels.get(id(c))
        if hit is not None and hit[0] is c:
            return hit[1]
    labels = {o.id: f"{o.id} {o.name}".strip() for o in c.others}
    labels.update({p.id: p.display for p in c.people})
    with _labels_lock:
        _labels[id(c)] = (c, labels)  # holding c keeps its id from being reused
        while len(_labels) > 8:
            _labels.popitem(last=False)
    return labels


def person_label(c: Community, pid: str) -> str:
    return person_labels(c).get(pid, pid)


def mark(ok: bool) -> str:
    return "✓" if ok else "✗"


class Elapsed(float):
    """Seconds a call took; `cached` is True when no cached solver function ran (the cache served it)."""

    cached: bool = False


_RUNS = threading.local()  # how many times a cached solver function really ran, in this thread


def _ran() -> None:
    """Called inside each cached solver function: it ran, so its result did not come from the cache."""
    _RUNS.count = getattr(_RUNS, "count", 0) + 1


# ---------------------------------------------------------------- the Slates page's what-if settings


def remember_whatif(c: Community, locks: Mapping[str, str | None], excludes: list[str]) -> None:
    """Keep the Slates page's locks and excludes of `c`, so that the Export page solves what Slates shows."""
    st.session_state.setdefault(WHATIF_KEY, {})[c.id] = {"locks": dict(locks), "excludes": list(excludes)}


def slate_whatif(c: Community) -> dict[str, Any]:
    """The what-if settings the Slates page shows for `c`: top (K), allow_pending, locks and excludes.

    People no longer in the community (an edit removed them) are dropped.
    """
    saved = (st.session_state.get(WHATIF_KEY) or {}).get(c.id) or {}
    locks = {pid: where for pid, where in (saved.get("locks") or {}).items() if pid in c.person}
    excludes = [pid for pid in saved.get("excludes") or [] if pid in c.person and pid not in locks]
    return {
        "top": int(st.session_state.get("slates_top", 3)),
        "allow_pending": bool(st.session_state.get("slates_allow_pending", False)),
        "locks": locks,
        "excludes": excludes,
    }


def timed(fn: Callable[[], Any]) -> tuple[Any, Elapsed]:
    """`fn()` and the seconds it took, marked `cached` when no cached solver function ran during it."""
    before = getattr(_RUNS, "count", 0)
    start = time.perf_counter()
    value = fn()
    seconds = Elapsed(time.perf_counter() - start)
    seconds.cached = getattr(_RUNS, "count", 0) == before
    return value, seconds


def solved_caption(seconds: float) -> str:
    """ "Solved in 1.2 s", or "served from the cache" when `seconds` says the cache answered."""
    if getattr(seconds, "cached", False):
        return t("solved_cached", seconds=float(seconds))
    return t("solved_in", seconds=float(seconds))


# ---------------------------------------------------------------- cached solver calls


def _scenario_from_json(scenario_json: str) -> Scenario:
    return parse_scenario(json.loads(scenario_json), source="<session>")  # inline data: no file is read


SLATE_CACHE_ENTRIES = 64
_slate_cache: OrderedDict[str, SlateResult] = OrderedDict()  # key digest -> result, least recent first
_slate_cache_lock = threading.Lock()


def solve_slates_cached(
    community_json: str,
    top: int,
    locks: tuple[tuple[str, str | None], ...],
    excludes: tuple[str, ...],
    why_not: str | None,
    allow_pending: bool,
    progress: Callable[[int, int, str], None] | None = None,
) -> SlateResult:
    """`planner.slate.solve_slates(...)`, kept for every session of the server on the community's canonical
    JSON and the options (SLATE_CACHE_ENTRIES results, the least recently used dropped first); each call
    gets its own copy. `progress` (solve_slates' callback) is no part of the key. A plain cache rather
    than st.cache_data, which would record the progress bar's updates with the result and replay them."""
    key = hashlib.sha256(
        json.dumps([community_json, top, locks, excludes, why_not, allow_pending]).encode("utf-8")
    ).hexdigest()
    with _slate_cache_lock:
        if key in _slate_cache:
            _slate_cache.move_to_end(key)
            return copy.deepcopy(_slate_cache[key])
    _ran()
    community = _scenario_from_json(community_json)
    assert isinstance(community, Community)
    options = planner.slate.SlateOptions(
        top=top, locks=dict(locks), excludes=list(excludes), why_not=why_not, allow_pending=allow_pending
    )
    result = planner.slate.solve_slates(community, options, progress)  # looked up here: tests count solves
    with _slate_cache_lock:
        _slate_cache[key] = copy.deepcopy(result)
        while len(_slate_cache) > SLATE_CACHE_ENTRIES:
            _slate_cache.popitem(last=False)
    return result


def clear_slate_cache() -> None:
    """Forget every result solve_slates_cached kept."""
    with _slate_cache_lock:
        _slate_cache.clear()


@st.cache_data(show_spinner=False, max_entries=64)
def plan_schedule_cached(scenario_json: str, pins: tuple[tuple[str, str], ...]) -> ScheduleResult:
    """`planner.schedule.plan_schedule(...)`, cached on the scenario's canonical JSON and the pins."""
    _ran()
    scenario = _scenario_from_json(scenario_json)
    return planner.schedule.plan_schedule(scenario, {k: date.fromisoformat(v) for k, v in pins} or None)


STOP_KEY = "progress_stop"  # set by the stop button; checked between the parts of a long run


def _request_stop() -> None:
    st.session_state[STOP_KEY] = True


def stop_requested() -> bool:
    """Whether the stop button was pressed (the request is used up): a long run then stops between parts."""
    return bool(st.session_state.pop(STOP_KEY, False))


PROGRESS_AFTER = 1.0
"""Seconds after which a slate run still going shows how far it is and a stop button."""


class SlateProgress:
    """How far one slate run is: once it has run PROGRESS_AFTER seconds, a bar ("slates of 团结社区: 4 of 10
    found") and a stop button. `found` is solve_slates' callback, called after each slate; a click on the
    stop button takes effect there, between two slates, where the bar's update ends Streamlit's run (the
    next run then finds the stop request, see `slates`)."""

    def __init__(self, c: Community) -> None:
        self.name = c.name or c.id
        self.started = time.monotonic()
        self.box = st.empty()
        self.bar: Any = None

    def found(self, done: int, total: int, _community: str) -> None:
        if self.bar is None:
            if done >= total or time.monotonic() - self.started < PROGRESS_AFTER:
                return
            with self.box.container():
                self.bar = st.progress(0.0)
                st.button(t("progress_stop"), key="progress_stop_slates", on_click=_request_stop)
        self.bar.progress(
            done / total, text=t("progress_slates_found", name=self.name, done=done, total=total)
        )

    def close(self) -> None:
        self.box.empty()


def slates(
    c: Community,
    *,
    top: int = 3,
    locks: dict[str, str | None] | None = None,
    excludes: list[str] | None = None,
    why_not: str | None = None,
    allow_pending: bool = False,
) -> tuple[SlateResult, float]:
    """Solve (or fetch from the cache) with a spinner, and SlateProgress on a long run; returns the result
    and the seconds it took. A stop request left by the progress's button ends the page's run here."""
    if stop_requested():
        st.info(t("progress_stopped"))
        st.stop()
    progress = SlateProgress(c)
    try:
        with st.spinner(t("solving")):
            return timed(
                lambda: solve_slates_cached(
                    c.canonical_json(),
                    top,
                    tuple(sorted((locks or {}).items())),
                    tuple(sorted(excludes or [])),
                    why_not,
                    allow_pending,
                    progress.found,
                )
            )
    finally:
        progress.close()


def schedule(scenario: Scenario, pins: dict[str, str] | None = None) -> tuple[ScheduleResult, float]:
    with st.spinner(t("solving")):
        return timed(
            lambda: plan_schedule_cached(scenario.canonical_json(), tuple(sorted((pins or {}).items())))
        )


# ---------------------------------------------------------------- the plan the pages show (Export, saved plans)
# The Export page offers these files; the workspace saves this plan from the Export and Slates pages.

BUILT_KEY = "export_built"  # plan hash -> (audit, files): the files built for each plan of this session
BUILT_MAX = 8


def plan_options(scenario: Scenario, include_sensitive: bool) -> dict[str, Any]:
    """Every input of the export besides the scenario: the pages' what-if settings, the language, details."""
    from app_pages.replan_panel import export_inputs

    whatifs = {c.id: slate_whatif(c) for c in communities(scenario)}
    first = next(iter(whatifs.values()), {"top": 3, "allow_pending": False})
    return {
        "top": first["top"],
        "include_sensitive": include_sensitive,
        "allow_pending": first["allow_pending"],
        "lang": lang(),
        "pins": dict(sorted((st.session_state.get("schedule_last_pins") or {}).items())),
        "locks": {cid: {p: w or "team" for p, w in sorted(w["locks"].items())} for cid, w in whatifs.items()},
        "excludes": {cid: sorted(w["excludes"]) for cid, w in whatifs.items()},
        "rules_edited": is_edited(),
        **export_inputs(scenario),  # an adopted option and its events, or a second round (Slates page)
    }


def plan_key(scenario: Scenario, options: dict[str, Any]) -> str:
    text = json.dumps([scenario.sha256(), options], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_files(scenario: Scenario, options: dict[str, Any]) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Solve (from the pages' cache) and render the four files once; the export time is fixed now.

    With several communities a progress bar says which part is solving ("slates of 团结社区 (2 of 6)")
    and a stop button ends the run between parts (the page then says so and stops)."""
    from app_pages.replan_panel import export_result

    slate_results: dict[str, SlateResult] = {}
    comms = communities(scenario)
    total = len(comms) + 1
    bar = st.progress(0.0) if total > 2 else None
    if bar is not None:
        st.button(t("progress_stop"), key="progress_stop_button", on_click=_request_stop)
    for done, c in enumerate(comms):
        if stop_requested():
            if bar is not None:
                bar.empty()
            st.info(t("progress_stopped"))
            st.stop()
        if bar is not None:
            what = t("progress_slates_of", name=c.name or c.id)
            bar.progress(done / total, text=t("progress_part", what=what, done=done + 1, total=total))
        special = export_result(c, options)  # the Slates page's re-plan or second round
        if special is not None:
            slate_results[c.id] = special
            continue
        locks = {p: (None if w == "team" else w) for p, w in options["locks"].get(c.id, {}).items()}
        slate_results[c.id], _ = slates(
            c,
            top=options["top"],
            locks=locks,
            excludes=options["excludes"].get(c.id, []),
            allow_pending=options["allow_pending"],
        )
    if stop_requested():
        st.info(t("progress_stopped"))
        st.stop()
    if bar is not None:
        what = t("progress_schedule")
        bar.progress((total - 1) / total, text=t("progress_part", what=what, done=total, total=total))
    schedule_result, _ = schedule(scenario, options["pins"])
    if bar is not None:
        bar.empty()
    from planner import export  # the writers load only when a plan is built
    from planner.export.audit import export_time

    return export.plan_files(scenario, slate_results, schedule_result, options, exported_at=export_time())


def plan_files(scenario: Scenario, options: dict[str, Any]) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The files of this plan, built on the first call and served from the session afterwards."""
    built: dict[str, tuple[dict[str, Any], dict[str, bytes]]] = st.session_state.setdefault(BUILT_KEY, {})
    key = plan_key(scenario, options)
    if key not in built:
        built[key] = build_files(scenario, options)
        while len(built) > BUILT_MAX:
            built.pop(next(iter(built)))
    return built[key]
