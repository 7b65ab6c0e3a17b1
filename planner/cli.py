"""The `planner` command (SCENARIO.md, "Command line").

Exit status: 0 done (feasible), 1 no feasible plan (the explanation is printed),
2 bad input (a message naming the file, the record and the field; never a traceback).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from planner.plan import ScheduleResult, SlateResult
from planner.scenario import (
    BODIES,
    POSTS,
    Community,
    County,
    Scenario,
    ScenarioError,
    Subdistrict,
    communities,
    load_any,
    parse_date,
)

EXIT_OK, EXIT_INFEASIBLE, EXIT_BAD_INPUT, EXIT_BUG = 0, 1, 2, 3


class BadInput(Exception):
    """A bad command-line value; printed as it is, exit status 2."""


class UsageError(Exception):
    """A command line argparse rejects (unknown option, missing or malformed value); exit status 2."""

    def __init__(self, parser: argparse.ArgumentParser, message: str):
        super().__init__(message)
        self.parser = parser


class Parser(argparse.ArgumentParser):
    """argparse, but errors are raised (so that `main` can also print them as JSON) instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(self, message)


# ---------------------------------------------------------------- option values

MAX_TIME_LIMIT = 86400.0  # one day
MAX_WORKERS = 64
MAX_TOP = 50
MAX_SEED = 2**31 - 1  # CP-SAT's random_seed is a 32-bit integer


def time_limit_value(text: str) -> float:
    """--time-limit: seconds, a finite number > 0 (nan, inf, 0 and negatives are refused)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= MAX_TIME_LIMIT):
        raise argparse.ArgumentTypeError(
            f"时间限制须为大于0且不超过{MAX_TIME_LIMIT:g}的秒数 / the time limit must be a number of seconds "
            f"above 0 and at most {MAX_TIME_LIMIT:g} (got {text!r})"
        )
    return value


def int_value(option: str, low: int, high: int, what_zh: str, what_en: str) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high` (argparse names `option` in its message)."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{what_zh}须为{low}到{high}之间的整数 / {what_en} must be a whole number from {low} to {high} "
                f"(got {text!r})"
            )
        return value

    parse.__name__ = option.lstrip("-")
    return parse


def folder_value(text: str) -> str:
    """--out: a folder name, not empty and not only spaces."""
    if not text.strip():
        raise argparse.ArgumentTypeError(
            f"输出文件夹不能为空 / the output folder must not be empty (got {text!r})"
        )
    return text


class _DocumentsHelp(str):
    """The --documents help, naming the documents only when help is printed: argparse expands a help text
    with `help % params`, and importing the document writers (python-docx, openpyxl) costs every other
    command about 0.2 s."""

    def __mod__(self, params: Any) -> str:
        from planner.export.documents import DOCUMENTS

        return f"{self} (default all): " + ", ".join(DOCUMENTS)


def documents_value(text: str) -> list[str]:
    """--documents: document names separated by commas (planner.export.documents.DOCUMENTS)."""
    from planner.export.documents import UnknownDocument, select

    try:
        return select(text.split(","))
    except UnknownDocument as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _status_code(statuses: list[str]) -> int:
    return EXIT_OK if statuses and all(s in ("optimal", "feasible") for s in statuses) else EXIT_INFEASIBLE


# ---------------------------------------------------------------- option parsing


def parse_lock(text: str, community: Community) -> tuple[str, str | None]:
    """`ID`, `ID=BODY` or `ID=BODY.POST` -> (ID, None | BODY | BODY.POST)."""
    pid, _, where = text.partition("=")
    if pid not in community.person:
        raise BadInput(f"--lock {text}: '{pid}' is not a person of {community.id}")
    if not where:
        return pid, None
    body, _, post = where.partition(".")
    if body not in BODIES:
        raise BadInput(f"--lock {text}: '{body}' is not a body; use {', '.join(BODIES)}")
    if post and post not in POSTS[body]:
        raise BadInput(f"--lock {text}: '{post}' is not a post of {body}; use {', '.join(POSTS[body])}")
    return pid, where


def parse_pin(text: str) -> tuple[str, date]:
    """`STAGE=YYYY-MM-DD` (or `COMMUNITY/STAGE=YYYY-MM-DD`)."""
    stage, sep, day = text.partition("=")
    if not sep or not stage:
        raise BadInput(f"--pin {text}: write STAGE=YYYY-MM-DD, e.g. --pin rc_election=YYYY-MM-DD")
    try:
        return stage, parse_date(day)
    except ValueError:
        raise BadInput(f"--pin {text}: '{day}' is not a date; write YYYY-MM-DD") from None


def _check_known_person(pid: str, community: Community, option: str) -> None:
    if pid not in community.person:
        raise BadInput(f"{option} {pid}: '{pid}' is not a person of {community.id}")


# ---------------------------------------------------------------- commands


def Progress(args: argparse.Namespace, what: str, unit: str) -> Any:  # noqa: N802 - used as a class
    """The terminal progress bar of a command (stderr, a TTY, runs over 2 s; planner.progress)."""
    from planner.progress import Progress as Bar

    return Bar(what, unit)


def load_scenario(path: str) -> Scenario | County:
    """A community, sub-district or county file (the commands that refuse a county say so)."""
    return load_any(path)


def all_communities(scenario: Scenario | County) -> list[Community]:
    return scenario.communities() if isinstance(scenario, County) else communities(scenario)


def cmd_check(args: argparse.Namespace, scenario: Scenario | County) -> int:
    from planner.report import check_report, subdistrict_report

    print(f"✓ {args.scenario}: 场景有效 valid scenario\n")
    if isinstance(scenario, County):
        for sub in scenario.subdistricts:
            print(subdistrict_report(sub, allow_pending=args.allow_pending, lang=args.lang))
    elif isinstance(scenario, Subdistrict):
        print(subdistrict_report(scenario, allow_pending=args.allow_pending, lang=args.lang))
    else:
        print(check_report(scenario, allow_pending=args.allow_pending, lang=args.lang))
    return EXIT_OK


def _issues_text(exc: ScenarioError) -> str:
    """Every issue of a bad input file, in Chinese then English."""
    return "\n".join(f"{i.text('zh')}\n  {i.text('en')}" for i in exc.issues)


def read_replan(
    scenario: Scenario, base: str | None, event_texts: list[str]
) -> tuple[dict[str, Any], list[Any]]:
    """`--base PLAN.json` and `--event ID=EVENT` checked against the scenario (BadInput naming file and record)."""
    from planner.slate.replan import parse_event, read_bases

    try:
        events = [parse_event(text) for text in event_texts]
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    people = {pid for c in communities(scenario) for pid in c.person}
    for ev in events:
        if ev.person not in people:
            raise BadInput(
                f"--event {ev.person}={ev.kind}: '{ev.person}' 不是{scenario.id}的人员 / "
                f"is not a person of {scenario.id}"
            )
    bases: dict[str, Any] = {}
    if base:
        try:
            bases = read_bases(base, scenario)
        except ScenarioError as exc:
            raise BadInput(f"--base {base}：基础方案有误 / bad base plan:\n{_issues_text(exc)}") from None
    return bases, events


def read_second_round(scenario: Scenario, path: str | None, base: str | None) -> Any:
    """`--second-round ELECTED.yaml` validated against the scenario (BadInput naming the file and record)."""
    from planner.check.second_round import read_elected

    if not path:
        return None
    if base:
        raise BadInput("--second-round 与 --base 不能同时使用 / --second-round and --base cannot be combined")
    try:
        return read_elected(path, scenario)
    except ScenarioError as exc:
        raise BadInput(
            f"--second-round {path}：第一轮结果有误 / bad round-one result:\n{_issues_text(exc)}"
        ) from None


def solve_community(
    c: Community,
    options: Any,
    base: Any,
    events: list[Any],
    source: str,
    elected: Any = None,
    progress: Any = None,
) -> tuple[Community, SlateResult]:
    """One community's slates: a second round, re-planned from its base, solved with the events applied,
    or solved."""
    from planner.slate import solve_slates
    from planner.slate.replan import apply_events, replan

    mine = [ev for ev in events if ev.person in c.person]
    if elected is not None and elected.community == c.id:
        from planner.slate.second_round import second_round

        if mine:
            c, excluded, _ = apply_events(c, mine, None)
            options.excludes = list(dict.fromkeys([*options.excludes, *excluded]))
        return c, second_round(c, elected, options)
    if base is not None:
        return c, replan(c, base, options, mine, source=source)
    if mine:
        changed, excluded, _ = apply_events(c, mine, None)
        options.excludes = list(dict.fromkeys([*options.excludes, *excluded]))
        return changed, solve_slates(changed, options)
    return c, solve_slates(c, options, progress)


def _slate_one(job: tuple[Community, Any, Any, list[Any], str, Any]) -> tuple[Community, SlateResult]:
    """One community's slates (a process-pool worker: module level, picklable arguments)."""
    return solve_community(*job)


def cmd_slate(args: argparse.Namespace, scenario: Scenario | County) -> int:
    from planner.schedule.county import run_parts
    from planner.slate import SlateOptions, format_slates

    if isinstance(scenario, County) and (args.base or args.event or args.second_round):
        raise BadInput(
            "--base/--event/--second-round 请对各街道文件分别使用 / --base, --event and --second-round work "
            "on one sub-district file at a time"
        )
    if isinstance(scenario, County):
        bases, events, elected = {}, [], None
    else:
        bases, events = read_replan(scenario, args.base, args.event)
        elected = read_second_round(scenario, args.second_round, args.base)
    jobs = []
    for c in all_communities(scenario):
        locks = dict(parse_lock(text, c) for text in args.lock)
        for pid in args.exclude:
            _check_known_person(pid, c, "--exclude")
        if args.why_not:
            _check_known_person(args.why_not, c, "--why-not")
        options = SlateOptions(
            top=args.top,
            locks=locks,
            excludes=list(args.exclude),
            why_not=args.why_not,
            allow_pending=args.allow_pending,
            time_limit=args.time_limit,
            seed=args.seed,
            workers=args.workers,
        )
        jobs.append((c.id, (c, options, bases.get(c.id), events, str(args.base or ""), elected)))
    if len(jobs) == 1:  # one community: the bar counts its slates ("slate 4/10")
        with Progress(args, "班子方案 slates", "方案 slate") as bar:
            results = {jobs[0][0]: solve_community(*jobs[0][1], progress=bar.update)}
    else:  # several: in a process pool, the bar counts communities ("community 37/100")
        with Progress(args, "班子方案 slates", "社区 community") as bar:
            results = run_parts(_slate_one, jobs, processes=args.processes, progress=bar.update)
    statuses = [r.status for _, r in results.values()]
    if args.json:
        if isinstance(scenario, Community):
            _print_json(results[scenario.id][1].to_json())
        else:
            _print_json(
                {
                    "scenario": scenario.id,
                    "status": _worst(statuses),
                    "communities": {cid: r.to_json() for cid, (_, r) in results.items()},
                }
            )
    else:
        for c, result in results.values():
            print(format_slates(result, c, lang=args.lang))
            for warning in result.warnings:
                print(f"⚠ 注意 warning: {warning.both()}")
    return _status_code(statuses)


def _worst(statuses: list[str]) -> str:
    for status in ("infeasible", "unknown", "feasible"):
        if status in statuses:
            return status
    return "optimal"


def cmd_schedule(args: argparse.Namespace, scenario: Scenario | County) -> int:
    from planner.schedule import format_schedule, plan_schedule
    from planner.schedule.county import plan_county

    pins = dict(parse_pin(text) for text in args.pin)
    known = {f"{c.id}/{s.id}" for c in all_communities(scenario) for s in c.schedule.effective_stages()}
    for key in pins:
        if key not in known and not any(k.endswith("/" + key) for k in known):
            raise BadInput(f"--pin {key}: no stage '{key}' in {args.scenario}")
    if isinstance(scenario, County):
        with Progress(args, "日程 schedule", "街道 sub-district") as bar:
            county = plan_county(
                scenario,
                pins,
                time_limit=args.time_limit,
                seed=args.seed,
                workers=args.workers,
                processes=args.processes,
                progress=bar.update,
            )
        if args.json:
            _print_json(county.to_json())
        else:
            print(f"{scenario.id}  status: {county.status}")
            if county.explanation:
                where = county.explanation.get("subdistrict")
                print(f"✗ {where}: {' + '.join(county.explanation['conflict'])}")
                print(county.explanation["message"])
            for sub_result in county.results.values():
                print()
                print(format_schedule(sub_result, lang=args.lang))
        return _status_code([county.status])
    with Progress(args, "日程 schedule", "") as bar:
        bar.update(0, 0, scenario.id)
        result = plan_schedule(
            scenario, pins, time_limit=args.time_limit, seed=args.seed, workers=args.workers
        )
    if args.json:
        _print_json(result.to_json())
    else:
        print(format_schedule(result, lang=args.lang))
    return _status_code([result.status])


def cmd_verify(args: argparse.Namespace, scenario: Scenario) -> int:
    _no_county(args, scenario)
    from planner.check import PlanError, format_verify, load_plan, verify_plan

    path = Path(args.plan)
    try:
        plan = load_plan(path)  # at most 10 MB, nesting at most 40 deep
    except PlanError as exc:
        raise BadInput(str(exc)) from None
    try:
        report = verify_plan(scenario, plan, allow_pending=args.allow_pending)
    except PlanError as exc:
        raise BadInput(f"{path}: {exc}") from None
    if args.json:
        _print_json(report.to_json())
    else:
        print(format_verify(report, lang=args.lang))
    return EXIT_OK if report.ok else EXIT_INFEASIBLE


def solve_all(
    scenario: Scenario,
    *,
    top: int = 3,
    allow_pending: bool = False,
    seed: int = 0,
    workers: int = 2,
    time_limit: float = 30.0,
    bases: dict[str, Any] | None = None,
    events: list[Any] | None = None,
    base_source: str = "",
    elected: Any = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> tuple[dict[str, SlateResult], ScheduleResult]:
    """The slate results per community and the schedule result of a scenario (what `planner export` writes);
    with `bases` (planner.slate.replan.read_bases) and `events` each community is re-planned from its base.
    `progress(done, total, name)` after each community and the schedule, of the export's parts: these and
    the files written last (export_plan)."""
    from planner.schedule import plan_schedule
    from planner.slate import SlateOptions

    slates = {}
    comms = communities(scenario)
    parts = len(comms) + 2
    for done, c in enumerate(comms, start=1):
        options = SlateOptions(
            top=top, allow_pending=allow_pending, time_limit=time_limit, seed=seed, workers=workers
        )
        base = (bases or {}).get(c.id)
        slates[c.id] = solve_community(c, options, base, list(events or []), base_source, elected)[1]
        if progress is not None:
            progress(done, parts, c.id)
    schedule = plan_schedule(scenario, time_limit=time_limit, seed=seed, workers=workers)
    if progress is not None:
        progress(parts - 1, parts, "日程 schedule")
    return slates, schedule


def export_plan(
    scenario: Scenario,
    out_dir: Path | str,
    *,
    top: int = 3,
    include_sensitive: bool = False,
    force: bool = False,
    allow_pending: bool = False,
    seed: int = 0,
    workers: int = 2,
    time_limit: float = 30.0,
    lang: str = "zh",
    documents: list[str] | None = None,
    bases: dict[str, Any] | None = None,
    events: list[Any] | None = None,
    base_source: str = "",
    elected: Any = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> tuple[list[Path], list[str]]:
    """Check the output folder, solve, then write the files as one set (planner.export.files): the plan
    files and the printed documents named in `documents` (None: all; planner.export.documents).
    `progress(done, total, name)`: after each community, the schedule and the files (solve_all).

    Raises ExportError before anything is solved when the folder cannot take the export. Returns the
    paths written and the statuses of the slate and schedule solves."""
    from planner.export import FILE_NAMES, Staging, plan_files

    staging = Staging(out_dir, FILE_NAMES, force=force)
    try:
        slates, schedule = solve_all(
            scenario,
            top=top,
            allow_pending=allow_pending,
            seed=seed,
            workers=workers,
            time_limit=time_limit,
            bases=bases,
            events=events,
            base_source=base_source,
            elected=elected,
            progress=progress,
        )
        options = {
            "top": top,
            "include_sensitive": include_sensitive,
            "allow_pending": allow_pending,
            "seed": seed,
            "workers": workers,
            "time_limit": time_limit,
            "lang": lang,
        }
        if documents is not None:
            options["documents"] = list(documents)
        _, files = plan_files(scenario, slates, schedule, options)
        if progress is not None:
            progress(len(slates) + 2, len(slates) + 2, "文件 files")
    except BaseException:  # an error or Ctrl-C while solving or rendering: nothing is left behind
        staging.discard()
        raise
    return staging.commit(files), [r.status for r in slates.values()] + [schedule.status]


def _no_county(args: argparse.Namespace, scenario: Scenario | County) -> None:
    if isinstance(scenario, County):
        raise BadInput(
            f"{args.scenario}: 旗县文件可用于 check、slate、schedule；请对各街道文件分别 {args.command} / "
            f"a county file works with check, slate and schedule; run {args.command} on each sub-district file"
        )


def cmd_export(args: argparse.Namespace, scenario: Scenario) -> int:
    from planner.export import ExportError

    _no_county(args, scenario)
    bases, events = read_replan(scenario, args.base, args.event)
    elected = read_second_round(scenario, args.second_round, args.base)
    try:
        with Progress(args, "导出 export", "") as bar:
            paths, statuses = export_plan(
                scenario,
                Path(args.out),
                top=args.top,
                include_sensitive=args.include_sensitive,
                force=args.force,
                allow_pending=args.allow_pending,
                seed=args.seed,
                workers=args.workers,
                time_limit=args.time_limit,
                lang=args.lang,
                documents=args.documents,
                bases=bases,
                events=events,
                base_source=str(args.base or ""),
                elected=elected,
                progress=bar.update,
            )
    except ExportError as exc:
        raise BadInput(str(exc)) from None
    for path in paths:
        print(f"✓ {path}")
    code = _status_code(statuses)
    if code != EXIT_OK:
        print("✗ 部分方案不可行，文件中载明原因 some plans are infeasible; the files give the explanation")
    return code


def write_new_file(path: Path, content: bytes, *, force: bool = False) -> Path:
    """Write a file atomically (a temporary file beside it, then renamed); an existing file is replaced only
    with `force`. Raises BadInput."""
    path = Path(path)
    if path.is_dir():
        raise BadInput(f"{path}: 是文件夹 is a folder; give a file name such as roster.xlsx")
    if path.exists() and not force:
        raise BadInput(f"{path}: 文件已存在 the file exists; give another name, or --force to replace it")
    if not path.parent.is_dir():
        raise BadInput(f"{path.parent}: 文件夹不存在 no such folder")
    tmp = path.with_name(f".{path.name}.planner-tmp-{os.getpid()}")
    try:
        tmp.write_bytes(content)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BadInput(f"{path}: 无法写入 cannot write: {exc.strerror}") from None
    return path


def _roster_out(text: str) -> str:
    if not text.strip() or not text.lower().endswith(".xlsx"):
        raise argparse.ArgumentTypeError(
            f"花名册文件名应以 .xlsx 结尾 / the roster file name ends in .xlsx (got {text!r})"
        )
    return text


def cmd_template(args: argparse.Namespace) -> int:
    """`planner template --out roster.xlsx`: the blank roster."""
    from planner.scenario import blank_roster, profile_names

    if args.profile not in profile_names():
        raise BadInput(
            f"--profile {args.profile}: 未知规则配置 unknown profile; use {', '.join(profile_names())}"
        )
    path = write_new_file(Path(args.out), blank_roster(args.profile), force=args.force)
    print(f"✓ {path}: 空白花名册 blank roster")
    return EXIT_OK


def cmd_roster(args: argparse.Namespace, scenario: Scenario) -> int:
    """`planner roster SCENARIO --out roster.xlsx`: the scenario as an Excel roster."""
    from planner.scenario import roster_of

    _no_county(args, scenario)
    path = write_new_file(Path(args.out), roster_of(scenario), force=args.force)
    print(f"✓ {path}: 花名册 roster of {scenario.id}")
    return EXIT_OK


def cmd_app(args: argparse.Namespace) -> int:
    """Start the Streamlit app (bound to localhost, usage statistics off) on the chosen workspace."""
    from planner.workspace import ENV, Workspace

    app = Path(__file__).resolve().parent.parent / "app.py"
    workspace = Workspace(args.workspace)  # a bad location is refused here (exit 2), not in the browser
    workspace.close()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.address",
        "localhost",
        "--browser.gatherUsageStats",
        "false",
        "--server.port",
        str(args.port),
    ]
    return subprocess.call(command, cwd=app.parent, env={**os.environ, ENV: workspace.url})


def workspace_command(args: argparse.Namespace) -> int:
    """`planner app` and `planner workspace ...`: a bad workspace, id or version is bad input (exit 2)."""
    from planner.workspace import WorkspaceError
    from planner.workspace.cli import cmd_workspace

    try:
        return cmd_app(args) if args.command == "app" else cmd_workspace(args)
    except WorkspaceError as exc:
        raise BadInput(exc.text.both()) from None


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="planner",
        description="两委 Planner: slates and schedules for community "
        "两委 elections / 社区“两委”换届班子与日程规划",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def scenario_command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument(
            "scenario", help="scenario file (YAML or JSON), or an Excel roster (.xlsx, or .csv of 人员)"
        )
        p.add_argument(
            "--lang", choices=["zh", "en"], default="zh", help="language of the report (default zh)"
        )
        p.add_argument(
            "--allow-pending",
            action="store_true",
            help="what-if: pending joint reviews count as passed (marked 'subject to review')",
        )
        return p

    def solver_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--time-limit",
            type=time_limit_value,
            default=30.0,
            help=f"solver time limit in seconds, above 0 and at most {MAX_TIME_LIMIT:g} (default 30)",
        )
        p.add_argument(
            "--seed",
            type=int_value("--seed", 0, MAX_SEED, "随机种子", "random seed"),
            default=0,
            help=f"solver random seed, 0 to {MAX_SEED} (default 0)",
        )
        p.add_argument(
            "--workers",
            type=int_value("--workers", 1, MAX_WORKERS, "线程数", "solver threads"),
            default=2,
            help=f"solver threads, 1 to {MAX_WORKERS} (default 2)",
        )

    def processes_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--processes",
            type=int_value("--processes", 1, MAX_WORKERS, "进程数", "processes"),
            default=None,
            help="processes for the communities (slate) or sub-districts (county schedule) of a file; "
            "default: one per core. The output does not depend on it",
        )

    def replan_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--base",
            metavar="PLAN.json",
            help="re-plan with the least change from this adopted plan (`planner slate --json` or plan.json)",
        )
        p.add_argument(
            "--event",
            action="append",
            default=[],
            metavar="ID=EVENT",
            help="what happened to a person: failed_review, withdrew or not_elected (repeatable)",
        )

    top_value = int_value("--top", 1, MAX_TOP, "方案数", "number of options")

    scenario_command("check", "validate; eligibility and relatives report / 校验、资格与亲属关系")

    p = scenario_command("slate", "propose slates / 班子方案")
    p.add_argument(
        "--top",
        type=top_value,
        default=1,
        help=f"number of options with distinct teams, 1 to {MAX_TOP} (default 1)",
    )
    p.add_argument("--lock", action="append", default=[], metavar="ID[=BODY.POST]", help="keep a person in")
    p.add_argument("--exclude", action="append", default=[], metavar="ID", help="leave a person out")
    p.add_argument("--why-not", metavar="ID", help="explain why a person is in no slate, or what it costs")
    replan_options(p)
    p.add_argument(
        "--second-round",
        metavar="ELECTED.yaml",
        help="另行选举: the candidate lists for the seats round one left unfilled (SCENARIO.md)",
    )
    p.add_argument("--json", action="store_true", help="print JSON (SCENARIO.md)")
    solver_options(p)
    processes_option(p)

    p = scenario_command("schedule", "schedule the stages / 日程安排")
    p.add_argument(
        "--pin", action="append", default=[], metavar="STAGE=DATE", help="what-if: fix a stage's start"
    )
    p.add_argument("--json", action="store_true", help="print JSON (SCENARIO.md)")
    solver_options(p)
    processes_option(p)

    p = scenario_command("verify", "re-check a saved plan / 复核方案")
    p.add_argument("plan", help="PLAN.json (from `planner slate --json` or `planner export`)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = scenario_command("export", "write JSON, Excel, Word and iCalendar files / 导出")
    p.add_argument("--out", required=True, type=folder_value, help="output folder")
    p.add_argument(
        "--documents",
        type=documents_value,
        default=None,
        metavar="NAME,...",
        help=_DocumentsHelp("printed documents to write"),
    )
    p.add_argument("--top", type=top_value, default=3, help=f"number of options, 1 to {MAX_TOP} (default 3)")
    p.add_argument("--include-sensitive", action="store_true", help="include disqualification details")
    p.add_argument("--force", action="store_true", help="overwrite existing files")
    replan_options(p)
    p.add_argument("--second-round", metavar="ELECTED.yaml", help="另行选举: export the second round")
    solver_options(p)

    p = sub.add_parser("template", help="write a blank Excel roster / 生成空白花名册")
    p.add_argument("--out", required=True, type=_roster_out, help="the roster file to write (.xlsx)")
    p.add_argument(
        "--profile",
        default="naiman-2020",
        help="rule profile whose 联审 departments get columns (default naiman-2020)",
    )
    p.add_argument("--force", action="store_true", help="replace an existing file")

    p = scenario_command("roster", "write the scenario as an Excel roster / 导出花名册")
    p.add_argument("--out", required=True, type=_roster_out, help="the roster file to write (.xlsx)")
    p.add_argument("--force", action="store_true", help="replace an existing file")

    p = sub.add_parser("app", help="start the Streamlit app / 启动界面")
    p.add_argument(
        "--port",
        type=int_value("--port", 1, 65535, "端口", "port"),
        default=8501,
        help="port of the app on localhost, 1 to 65535 (default 8501)",
    )
    workspace_option(p)

    p = sub.add_parser("workspace", help="saved scenario versions and plans / 工作区（版本与方案）")
    actions = p.add_subparsers(dest="action", required=True)
    q = actions.add_parser("save", help="save a scenario as a new version / 保存场景版本")
    q.add_argument("scenario", help="scenario file (YAML or JSON)")
    q.add_argument("--note", default="", help="what this version is for / 版本说明")
    q.add_argument("--json", action="store_true", help="print JSON")
    workspace_option(q)
    q = actions.add_parser("list", help="scenarios, versions and plans / 列出场景与方案")
    q.add_argument("--json", action="store_true", help="print JSON")
    workspace_option(q)
    q = actions.add_parser("show", help="one version (ID[@VERSION]) or plan (plan:N) / 查看版本或方案")
    q.add_argument("ref", metavar="ID[@VERSION]|plan:N")
    q.add_argument("--json", action="store_true", help="print JSON (with the scenario or the plan)")
    q.add_argument(
        "--files", metavar="DIR", help="write the version's original files into DIR (never overwrites)"
    )
    workspace_option(q)
    q = actions.add_parser("diff", help="compare two versions or two plans / 比较两个版本或方案")
    q.add_argument("old", metavar="ID@V1|plan:N")
    q.add_argument("new", metavar="ID@V2|plan:M")
    q.add_argument("--json", action="store_true", help="print JSON")
    workspace_option(q)
    return parser


def workspace_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--workspace",
        metavar="PATH",
        default=None,
        help="workspace file or database URL (default: $PLANNER_WORKSPACE, else "
        "~/.local/share/lianwei-planner/workspace.db) / 工作区文件或数据库地址",
    )


COMMANDS = {
    "check": cmd_check,
    "slate": cmd_slate,
    "schedule": cmd_schedule,
    "verify": cmd_verify,
    "export": cmd_export,
    "roster": cmd_roster,
}


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        exc.parser.print_usage(sys.stderr)
        print(f"✗ 命令行有误 bad command line: {exc}", file=sys.stderr)
        if "--json" in argv:
            _print_json({"status": "invalid", "errors": [{"message": str(exc)}]})
        return EXIT_BAD_INPUT
    try:
        if args.command in ("app", "workspace"):
            return workspace_command(args)
        if args.command == "template":
            return cmd_template(args)
        scenario = load_scenario(args.scenario)
        return COMMANDS[args.command](args, scenario)
    except ScenarioError as exc:
        print(
            f"✗ 场景文件有误 bad scenario {getattr(args, 'scenario', '')} ({len(exc.issues)} issue(s)):",
            file=sys.stderr,
        )
        for issue in exc.issues:  # each in Chinese, then in English
            print(f"  - {issue.text('zh')}\n    {issue.text('en')}", file=sys.stderr)
        if getattr(args, "json", False):  # with --json, JSON is printed whatever the exit status
            _print_json({"status": "invalid", "errors": [i.model_dump() for i in exc.issues]})
        return EXIT_BAD_INPUT
    except BadInput as exc:
        print(f"✗ 输入有误 bad input: {exc}", file=sys.stderr)
        if getattr(args, "json", False):
            _print_json({"status": "invalid", "errors": [{"message": str(exc)}]})
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:  # exports leave nothing partial behind (planner.export.files)
        print("\n✗ 已中断 interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:  # a bug: say so plainly; PLANNER_DEBUG=1 shows the traceback
        if os.environ.get("PLANNER_DEBUG"):
            raise
        print(
            f"✗ 内部错误 internal error (a bug, please report it): {type(exc).__name__}: {exc}",
            file=sys.stderr,
        )
        return EXIT_BUG


if __name__ == "__main__":
    raise SystemExit(main())
