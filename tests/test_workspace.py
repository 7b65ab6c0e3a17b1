"""The workspace (planner.workspace): a real SQLite file (and PostgreSQL when .ci/run could start one),
the Alembic migrations, versions and plans, the command line, and two writers at once."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from helpers import SCENARIOS, community, crowd, person
from sqlalchemy import create_engine, inspect, text

from planner.cli import main
from planner.edits import apply_change
from planner.scenario import load_scenario
from planner.workspace import Base, Workspace, WorkspaceError, default_location, parse_ref
from planner.workspace import _head as head_revision

PG_ENV = "PLANNER_TEST_POSTGRES_URL"


def _clean_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh workspace location: a SQLite file, or the PostgreSQL database .ci/run started."""
    if request.param == "sqlite":
        return str(tmp_path / "data" / "workspace.db")
    url = os.environ.get(PG_ENV, "")
    if not url:
        pytest.skip(
            f"PostgreSQL tests need {PG_ENV}: .ci/run sets it when Debian's postgresql package is installed "
            "and a cluster starts (.ci/postgres)"
        )
    try:
        _clean_postgres(url)
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server is a skip, not a failure
        pytest.skip(f"PostgreSQL at {PG_ENV} cannot be reached: {type(exc).__name__}: {exc}")
    return url


@pytest.fixture
def ws(location: str) -> Any:
    workspace = Workspace(location)
    yield workspace
    workspace.close()


def nuoenjiya() -> Any:
    return load_scenario(SCENARIOS / "nuoenjiya.yaml")


# ---------------------------------------------------------------- schema and migrations


def test_the_models_match_the_migrations(ws: Workspace) -> None:
    """Opening upgrades to head, and autogenerate finds nothing between the models and that schema."""
    with ws.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == head_revision()
        assert compare_metadata(context, Base.metadata) == []
        tables = set(inspect(connection).get_table_names())
    assert {"scenarios", "scenario_versions", "version_files", "plans", "app_state"} <= tables


def test_opening_twice_keeps_the_data_and_the_schema(location: str) -> None:
    first = Workspace(location)
    first.save_version(nuoenjiya(), note="v1")
    first.close()
    again = Workspace(location)
    assert [v.note for v in again.versions("nuoenjiya")] == ["v1"]
    again.close()


def test_a_workspace_of_a_newer_planner_is_refused_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    location = tmp_path / "w.db"
    Workspace(location).close()
    engine = create_engine(f"sqlite:///{location}")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(WorkspaceError) as caught:
        Workspace(location)
    assert "9999" in caught.value.text.en and "newer planner" in caught.value.text.en
    code, _, err = run(capsys, "workspace", "list", "--workspace", str(location))
    assert code == 2 and "更新版本" in err


def test_an_empty_database_is_brought_to_the_newest_schema(tmp_path: Path) -> None:
    """A database with no tables (a new county server's) gets every migration on first open."""
    location = tmp_path / "empty.db"
    create_engine(f"sqlite:///{location}").connect().close()
    ws = Workspace(location)
    with ws.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head_revision()
    ws.close()


def test_the_default_file_is_in_the_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PLANNER_WORKSPACE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_location() == str(tmp_path / "lianwei-planner" / "workspace.db")
    monkeypatch.delenv("XDG_DATA_HOME")
    assert default_location() == str(Path.home() / ".local" / "share" / "lianwei-planner" / "workspace.db")


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "w.db")
    with ws.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    ws.close()


def test_a_folder_is_not_a_workspace(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError) as caught:
        Workspace(tmp_path)
    assert "文件夹" in caught.value.text.zh and "folder" in caught.value.text.en


# ---------------------------------------------------------------- versions


def test_versions_keep_content_files_notes_and_changes(ws: Workspace) -> None:
    original = (SCENARIOS / "nuoenjiya.yaml").read_bytes()
    base = nuoenjiya()
    v1 = ws.save_version(base, note="初稿", source="nuoenjiya.yaml", files={"nuoenjiya.yaml": original})
    assert (v1.number, v1.created, v1.summary.en) == (1, True, f"first version: {len(base.people)} people")
    edited = apply_change(base, {"reference_date": "2020-12-11"})
    v2 = ws.save_version(edited, note="改基准日期")
    assert v2.number == 2
    assert v2.summary.zh == "设置修改 1 项（基准日期）"
    assert v2.changes["communities"][0]["settings"] == [
        {"field": "reference_date", "old": "2020-12-10", "new": "2020-12-11"}
    ]
    again = ws.save_version(edited, note="same again")
    assert (again.number, again.created) == (2, False)  # equal to the newest: nothing stored
    assert [v.number for v in ws.versions("nuoenjiya")] == [1, 2]

    stored = ws.version("nuoenjiya", 1)
    assert stored.files == (("nuoenjiya.yaml", original),)  # the user's bytes, exactly
    assert stored.scenario().sha256() == base.sha256()
    assert ws.version("nuoenjiya").number == 2  # no number: the newest
    assert ws.version("nuoenjiya").scenario().sha256() == edited.sha256()
    info = ws.scenarios()
    assert [(s.key, s.versions, s.latest, s.plans) for s in info] == [("nuoenjiya", 2, 2, 0)]


def test_unknown_scenarios_versions_and_plans_are_named(ws: Workspace) -> None:
    ws.save_version(nuoenjiya())
    with pytest.raises(WorkspaceError) as caught:
        ws.version("nope")
    assert "nope" in caught.value.text.zh and "nuoenjiya" in caught.value.text.en
    with pytest.raises(WorkspaceError) as caught:
        ws.version("nuoenjiya", 5)
    assert caught.value.text.en == "scenario 'nuoenjiya' has no version 5 (it has versions 1 to 1)"
    with pytest.raises(WorkspaceError):
        ws.plan(3)
    with pytest.raises(WorkspaceError):
        ws.save_plan("nuoenjiya", 1, slates={}, schedule={}, status="approved")


def test_refs() -> None:
    assert parse_ref("nuoenjiya") == parse_ref("nuoenjiya").__class__(key="nuoenjiya")
    assert parse_ref("nuoenjiya@3").version == 3
    assert parse_ref("plan:2").plan == 2
    for bad in ("nuoenjiya@", "nuoenjiya@0", "x@y", "plan:", "plan:-1", "@2"):
        with pytest.raises(WorkspaceError):
            parse_ref(bad)


# ---------------------------------------------------------------- plans

SLATE_A = {
    "rank": 1,
    "objective": 10,
    "posts": {
        "party_committee": {"secretary": "p01", "deputy_secretary": "p02", "member": ["p03", "p04"]},
        "residents_committee": {"director": "p01", "member": ["p05", "p06"]},
    },
}
SLATE_B = {
    "rank": 1,
    "objective": 11,
    "posts": {
        "party_committee": {"secretary": "p01", "deputy_secretary": "p03", "member": ["p02", "p04"]},
        "residents_committee": {"director": "p01", "member": ["p05", "p07"]},
    },
}


def schedule_of(stages: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {
        "status": "optimal",
        "communities": {
            "test": {"stages": [{"id": i, "name": i, "start": a, "end": b} for i, a, b in stages]}
        },
    }


def test_plans_keep_settings_status_and_notes_and_compare(ws: Workspace) -> None:
    c = community(crowd(8), id="test")
    ws.save_version(c)
    settings = {
        "top": 3,
        "locks": {"test": {"p01": "team"}},
        "excludes": {"test": ["p08"]},
        "allow_pending": True,
    }
    first = ws.save_plan(
        "test",
        1,
        slates={"test": {"status": "optimal", "slates": [SLATE_A]}},
        schedule=schedule_of(
            [("pc_election", "2021-01-09", "2021-01-09"), ("rc_election", "2021-01-23", "2021-01-23")]
        ),
        audit={"scenario": {"sha256": c.sha256()}},
        settings=settings,
        notes="第一稿",
    )
    second = ws.save_plan(
        "test",
        1,
        slates={"test": {"status": "optimal", "slates": [SLATE_B]}},
        schedule=schedule_of(
            [("pc_election", "2021-01-12", "2021-01-12"), ("rc_election", "2021-01-23", "2021-01-23")]
        ),
        status="discussion",
    )
    assert (first.id, first.status, first.settings, first.notes) == (1, "draft", settings, "第一稿")
    assert second.status_text().zh == "讨论稿"
    final = ws.update_plan(second.id, status="final", notes="党委会通过")
    assert (final.status, final.notes) == ("final", "党委会通过")
    assert [(p.id, p.status, p.key, p.version) for p in ws.plans("test")] == [
        (1, "draft", "test", 1),
        (2, "final", "test", 1),
    ]
    assert ws.plan(1).audit == {"scenario": {"sha256": c.sha256()}}
    assert ws.scenarios()[0].plans == 2

    diff = ws.diff_plans(1, 2)
    only = diff.communities[0]
    assert (only.joined, only.left) == (("p07",), ("p06",))
    assert {p.post: (p.old, p.new) for p in only.posts} == {
        "party_committee.deputy_secretary": (("p02",), ("p03",)),
        "party_committee.member": (("p03", "p04"), ("p02", "p04")),
        "residents_committee.member": (("p05", "p06"), ("p05", "p07")),
    }
    assert [(s.stage, s.days) for s in only.stages] == [("pc_election", 3)]
    assert "推迟 3 天" in only.stages[0].text().zh and "+3 days" in only.stages[0].text().en
    assert diff.summary().en == "1 joined and 1 left the team; 3 post(s) changed; 1 stage(s) moved"


# ---------------------------------------------------------------- the app's state


def test_the_app_state_is_kept(ws: Workspace) -> None:
    assert ws.state() is None
    ws.set_state({"lang": "en", "scenario": "nuoenjiya", "version": 2})
    ws.set_state({"lang": "zh", "scenario": "nuoenjiya", "version": 3})
    assert ws.state() == {"lang": "zh", "scenario": "nuoenjiya", "version": 3}


# ---------------------------------------------------------------- two writers at once


@pytest.mark.parametrize("shared", [False, True], ids=["own-engines", "one-engine"])
def test_two_sessions_saving_at_once_lose_nothing(location: str, shared: bool) -> None:
    """Two sessions on one database save 12 versions each at once: all 24 are there, numbered 1..24
    without a gap or a repeat, and each keeps its own content. Each session has its own Workspace (as two
    app servers), or both share one (as the sessions of one app server do, st.cache_resource)."""
    one = Workspace(location)  # the schema exists before the race
    base = community(crowd(6), id="race")
    each = 12
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        ws = one if shared else Workspace(location)
        try:
            start.wait()
            for i in range(each):
                ws.save_version(apply_change(base, {"name": f"{name}-{i}"}), note=f"{name}-{i}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            if not shared:
                ws.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    versions = one.versions("race")
    one.close()
    assert [v.number for v in versions] == list(range(1, 2 * each + 1))
    assert sorted(v.note for v in versions) == sorted(f"{n}-{i}" for n in "ab" for i in range(each))
    for v in versions:
        assert json.loads(v.canonical_json)["name"] == v.note
    for n in "ab":  # each session's saves in its own order
        mine = [v.number for v in versions if v.note.startswith(n)]
        assert mine == sorted(mine)


def save_many(location: str, name: str, count: int, start: Any) -> None:
    """One process's saves."""
    ws = Workspace(location)
    base = community(crowd(6), id="race")
    start.wait()
    for i in range(count):
        ws.save_version(apply_change(base, {"name": f"{name}-{i}"}), note=f"{name}-{i}")
    ws.close()


def test_two_processes_saving_at_once_lose_nothing(location: str) -> None:
    """As two app servers on one workspace: two processes save 8 versions each at once."""
    import multiprocessing

    Workspace(location).close()
    context = multiprocessing.get_context("fork")  # spawn would import the test modules again (seconds)
    start = context.Barrier(2)
    workers = [context.Process(target=save_many, args=(location, n, 8, start)) for n in ("x", "y")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    ws = Workspace(location)
    versions = ws.versions("race")
    ws.close()
    assert [v.number for v in versions] == list(range(1, 17))
    assert sorted(v.note for v in versions) == sorted(f"{n}-{i}" for n in "xy" for i in range(8))


# ---------------------------------------------------------------- the command line (in process)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_save_list_show_diff(location: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    w = ("--workspace", location)
    source = SCENARIOS / "nuoenjiya.yaml"
    code, out, _ = run(capsys, "workspace", "save", str(source), "--note", "初稿", *w)
    assert code == 0 and "nuoenjiya@1" in out
    edited = tmp_path / "nuoenjiya.yaml"
    data = source.read_text(encoding="utf-8").replace(
        "reference_date: 2020-12-10", "reference_date: 2021-01-05"
    )
    edited.write_text(data, encoding="utf-8")
    code, out, _ = run(capsys, "workspace", "save", str(edited), "--note", "改日期", "--json", *w)
    saved = json.loads(out)
    assert (code, saved["ref"], saved["created"], saved["note"]) == (0, "nuoenjiya@2", True, "改日期")
    code, out, _ = run(capsys, "workspace", "save", str(edited), *w)
    assert code == 0 and "unchanged" in out

    code, out, _ = run(capsys, "workspace", "list", *w)
    assert code == 0 and "@1" in out and "@2" in out and "初稿" in out and "改日期" in out
    code, out, _ = run(capsys, "workspace", "list", "--json", *w)
    listing = json.loads(out)
    assert [(s["id"], s["versions"]) for s in listing["scenarios"]] == [("nuoenjiya", 2)]
    assert [h["note"] for h in listing["scenarios"][0]["history"]] == ["初稿", "改日期"]

    code, out, _ = run(capsys, "workspace", "show", "nuoenjiya@1", *w)
    assert code == 0 and "初稿" in out and "nuoenjiya.yaml" in out
    code, out, _ = run(capsys, "workspace", "show", "nuoenjiya", "--json", *w)
    shown = json.loads(out)
    assert shown["version"] == 2 and shown["scenario"]["reference_date"] == "2021-01-05"

    code, out, _ = run(capsys, "workspace", "diff", "nuoenjiya@1", "nuoenjiya@2", *w)
    assert code == 0 and "2020-12-10 → 2021-01-05" in out and "基准日期" in out and "reference_date" in out
    code, out, _ = run(capsys, "workspace", "diff", "nuoenjiya@1", "nuoenjiya@2", "--json", *w)
    assert json.loads(out)["communities"][0]["settings"][0]["new"] == "2021-01-05"


def test_cli_keeps_a_subdistricts_files_and_gives_them_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A sub-district is saved with the community files it names, byte for byte, and written back."""
    location = str(tmp_path / "w.db")
    assert (
        run(capsys, "workspace", "save", str(SCENARIOS / "daqintala.yaml"), "--workspace", location)[0] == 0
    )
    stored = dict(Workspace(location).version("daqintala").files)
    assert set(stored) == {
        "daqintala.yaml",
        "nuoenjiya.yaml",
        *(f"daqintala/{n}.yaml" for n in ("chaoyang", "tuanjie", "heping", "xinhua")),
    }
    for name, content in stored.items():
        assert content == (SCENARIOS / name).read_bytes()
    out_dir = tmp_path / "back"
    code, out, _ = run(
        capsys, "workspace", "show", "daqintala@1", "--files", str(out_dir), "--workspace", location
    )
    assert code == 0 and "daqintala/chaoyang.yaml" in out
    assert (
        load_scenario(out_dir / "daqintala.yaml").sha256()
        == load_scenario(SCENARIOS / "daqintala.yaml").sha256()
    )
    code, _, err = run(
        capsys, "workspace", "show", "daqintala@1", "--files", str(out_dir), "--workspace", location
    )
    assert code == 2 and "never overwritten" in err and "不会覆盖" in err


def test_cli_plans_show_and_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    location = str(tmp_path / "w.db")
    ws = Workspace(location)
    ws.save_version(community(crowd(8), id="test"))
    ws.save_plan("test", 1, slates={"test": {"status": "optimal", "slates": [SLATE_A]}}, schedule=None)
    ws.save_plan(
        "test", 1, slates={"test": {"status": "optimal", "slates": [SLATE_B]}}, schedule=None, notes="备选"
    )
    ws.close()
    code, out, _ = run(capsys, "workspace", "show", "plan:2", "--workspace", location)
    assert code == 0 and "备选" in out and "p07" in out
    code, out, _ = run(capsys, "workspace", "diff", "plan:1", "plan:2", "--workspace", location)
    assert code == 0 and "p07" in out and "离开班子" in out and "left the team" in out
    code, out, _ = run(capsys, "workspace", "list", "--workspace", location)
    assert "plan:2" in out and "草稿 / draft" in out


@pytest.mark.parametrize(
    ("argv", "zh", "en"),
    [
        (["show", "nope"], "没有场景", "no scenario 'nope'"),
        (["show", "nuoenjiya@7"], "没有第 7 版", "has no version 7"),
        (["show", "nuoenjiya@x"], "版本号应为正整数", "a version is a whole number"),
        (["diff", "nuoenjiya@1", "nuoenjiya@9"], "没有第 9 版", "has no version 9"),
        (["diff", "nuoenjiya@1", "plan:1"], "不能混合", "not one of each"),
        (["show", "plan:4"], "没有方案", "no plan plan:4"),
    ],
)
def test_cli_bad_ids_exit_2_in_both_languages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], zh: str, en: str
) -> None:
    location = str(tmp_path / "w.db")
    assert (
        run(capsys, "workspace", "save", str(SCENARIOS / "nuoenjiya.yaml"), "--workspace", location)[0] == 0
    )
    code, out, err = run(capsys, "workspace", *argv, "--workspace", location)
    assert code == 2
    assert zh in err and en in err and "Traceback" not in err


def test_cli_bad_scenario_and_bad_workspace_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: community\nid: x\n", encoding="utf-8")
    code, _, err = run(capsys, "workspace", "save", str(bad), "--workspace", str(tmp_path / "w.db"))
    assert code == 2 and "reference_date" in err
    code, _, err = run(capsys, "workspace", "list", "--workspace", str(tmp_path))
    assert code == 2 and "folder" in err and "文件夹" in err


def test_cli_default_workspace_is_the_env_file(
    private_workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --workspace the command line uses $PLANNER_WORKSPACE (conftest: a file of this test)."""
    assert run(capsys, "workspace", "save", str(SCENARIOS / "nuoenjiya.yaml"))[0] == 0
    assert private_workspace.is_file()
    assert [v.number for v in Workspace(private_workspace).versions("nuoenjiya")] == [1]


def test_people_and_relatives_diff_through_the_workspace(ws: Workspace) -> None:
    people = crowd(4)
    ws.save_version(community(people, id="fam", relatives=[{"a": "p01", "b": "p02", "relation": "spouse"}]))
    changed = [p | ({"support": 90} if p["id"] == "p03" else {}) for p in people if p["id"] != "p04"]
    changed.append(person("p05", name="新人"))
    v2 = ws.save_version(
        community(changed, id="fam", relatives=[{"a": "p01", "b": "p03", "relation": "sibling"}])
    )
    assert (
        v2.summary.zh
        == "新增 1 人（p05 新人）；移除 1 人（p04 人p04）；修改 1 人（p03 人p03）；亲属关系 +1 −1"
    )


def test_planner_app_hands_the_workspace_to_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`planner app --workspace PATH` opens (creates) it, then starts Streamlit with $PLANNER_WORKSPACE set."""
    import subprocess

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(
        subprocess, "call", lambda command, **kw: calls.append({"command": command, **kw}) or 0
    )
    location = tmp_path / "county" / "w.db"
    assert main(["app", "--workspace", str(location)]) == 0
    assert calls[0]["env"]["PLANNER_WORKSPACE"] == f"sqlite:///{location.resolve()}"
    assert "streamlit" in calls[0]["command"] and location.is_file()
    code, _, err = run(capsys, "app", "--workspace", str(tmp_path))  # a folder: refused before starting
    assert code == 2 and len(calls) == 1 and "folder" in err


def test_a_plain_postgresql_url_uses_the_installed_driver() -> None:
    from planner.workspace import workspace_url

    assert workspace_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert workspace_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert workspace_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_a_versions_note_changes_and_its_content_does_not(ws: Workspace) -> None:
    base = nuoenjiya()
    ws.save_version(base, note="old")
    assert ws.set_note("nuoenjiya", 1, "  给街道看的版本 ").note == "给街道看的版本"
    assert ws.version("nuoenjiya", 1).sha256 == base.sha256()
    with pytest.raises(WorkspaceError):
        ws.set_note("nuoenjiya", 2, "x")
