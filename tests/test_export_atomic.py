"""Exports as one set (planner/export/files.py): the output folder holds the whole old set or the whole new one.

The solvers are stubbed with the hand-made results of tests/test_export.py, except in the Ctrl-C test,
which runs `python -m planner.cli export` on a generated 200-person community and interrupts it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import generated_community as _generated_community
from helpers import make_community, schedule_result, slate_result

import planner.cli
import planner.export.files as export_files
from planner.cli import export_plan, main
from planner.export import FILE_NAMES, ExportError, write_files
from planner.plan import ScheduleResult, SlateResult

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def stub_solvers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """export_plan with hand-made results in place of the solvers; the list counts the solves."""
    calls: list[int] = []

    def solve_all(scenario: Any, **kw: Any) -> tuple[dict[str, SlateResult], ScheduleResult]:
        calls.append(1)
        return {"test": SlateResult.from_json(slate_result())}, ScheduleResult.from_json(
            schedule_result(), scenario
        )

    monkeypatch.setattr(planner.cli, "solve_all", solve_all)
    return calls


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "scenario.json"
    path.write_text(
        json.dumps(make_community().model_dump(mode="json"), ensure_ascii=False), encoding="utf-8"
    )
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def leftovers(parent: Path) -> list[str]:
    """Temporary or set-aside folders of an export left in `parent`."""
    return [p.name for p in parent.iterdir() if ".planner-" in p.name]


def test_export_creates_the_folder_with_one_rename(tmp_path: Path, stub_solvers: list[int]) -> None:
    out = tmp_path / "a" / "b" / "out"
    paths, _ = export_plan(make_community(), out)
    assert [p.name for p in paths] == list(FILE_NAMES) and all(p.parent == out for p in paths)
    assert sorted(p.name for p in out.iterdir()) == sorted(FILE_NAMES)
    assert leftovers(out.parent) == []
    assert out.stat().st_mode & 0o777 == 0o777 & ~_umask()  # a folder like any other, not the temp's 0700


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_forced_export_replaces_the_whole_set(tmp_path: Path, stub_solvers: list[int]) -> None:
    out = tmp_path / "out"
    export_plan(make_community(), out)
    (out / "plan.json").write_bytes(b"old")
    out.chmod(0o750)
    export_plan(make_community(), out, force=True)
    assert (out / "plan.json").read_bytes() != b"old"
    assert sorted(p.name for p in out.iterdir()) == sorted(FILE_NAMES)
    assert out.stat().st_mode & 0o777 == 0o750  # the folder's mode is kept
    assert leftovers(tmp_path) == []


def test_old_set_intact_when_a_writer_raises_midway(
    tmp_path: Path, stub_solvers: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    export_plan(make_community(), out)
    before = snapshot(out)

    def broken(data: Any) -> bytes:
        raise RuntimeError("writer failed")

    monkeypatch.setitem(export_files.WRITERS, "plan.docx", broken)
    with pytest.raises(RuntimeError):
        export_plan(make_community(), out, force=True)
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


def test_old_set_intact_when_the_disk_fails_midway(
    tmp_path: Path, stub_solvers: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    export_plan(make_community(), out)
    before = snapshot(out)
    real = Path.write_bytes

    def failing(self: Path, content: bytes) -> int:
        if self.name == "plan.docx":  # the third of four files
            raise OSError(28, "No space left on device")
        return real(self, content)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(ExportError, match="No space left"):
        export_plan(make_community(), out, force=True)
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


def test_keyboard_interrupt_while_writing_leaves_nothing(
    tmp_path: Path,
    stub_solvers: list[int],
    scenario_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real = Path.write_bytes

    def interrupted(self: Path, content: bytes) -> int:
        if self.name == "plan.xlsx":
            raise KeyboardInterrupt
        return real(self, content)

    monkeypatch.setattr(Path, "write_bytes", interrupted)
    out = tmp_path / "new" / "out"
    assert main(["export", str(scenario_file), "--out", str(out)]) == 130
    assert "已中断 interrupted" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()  # not even the parent made for it
    # and over an existing set: the old set stays as it was
    monkeypatch.setattr(Path, "write_bytes", real)
    old = tmp_path / "old"
    export_plan(make_community(), old)
    before = snapshot(old)
    monkeypatch.setattr(Path, "write_bytes", interrupted)
    assert main(["export", str(scenario_file), "--out", str(old), "--force"]) == 130
    assert snapshot(old) == before
    assert leftovers(tmp_path) == []


def test_keyboard_interrupt_while_solving_leaves_nothing(
    tmp_path: Path, scenario_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def solve_all(scenario: Any, **kw: Any) -> Any:
        assert leftovers(tmp_path)  # the temporary folder exists while solving: writability checked first
        raise KeyboardInterrupt

    monkeypatch.setattr(planner.cli, "solve_all", solve_all)
    assert main(["export", str(scenario_file), "--out", str(tmp_path / "out")]) == 130
    assert "已中断 interrupted" in capsys.readouterr().err
    assert not (tmp_path / "out").exists() and leftovers(tmp_path) == []


def test_user_files_in_the_folder_are_refused_before_solving(
    tmp_path: Path, stub_solvers: list[int], scenario_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    export_plan(make_community(), out)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "drafts").mkdir()
    stub_solvers.clear()
    before = snapshot(out)
    assert main(["export", str(scenario_file), "--out", str(out), "--force"]) == 2
    err = capsys.readouterr().err
    assert "notes.txt" in err and "drafts" in err and "not an export" in err and "不属于导出结果" in err
    assert stub_solvers == []  # refused before anything was solved
    assert snapshot(out) == before and (out / "drafts").is_dir()
    assert leftovers(tmp_path) == []


def test_a_folder_named_like_an_export_file_is_not_deleted(tmp_path: Path, stub_solvers: list[int]) -> None:
    out = tmp_path / "out"
    (out / "plan.json").mkdir(parents=True)
    with pytest.raises(ExportError, match="plan.json"):
        export_plan(make_community(), out, force=True)
    assert (out / "plan.json").is_dir() and stub_solvers == []


def test_existing_set_without_force_is_refused(
    tmp_path: Path, stub_solvers: list[int], scenario_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    export_plan(make_community(), out)
    before = snapshot(out)
    stub_solvers.clear()
    assert main(["export", str(scenario_file), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--force" in err and "Traceback" not in err
    assert stub_solvers == [] and snapshot(out) == before and leftovers(tmp_path) == []


def test_out_that_is_a_file_is_refused(
    tmp_path: Path, stub_solvers: list[int], scenario_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.txt"
    target.write_text("mine", encoding="utf-8")
    assert main(["export", str(scenario_file), "--out", str(target), "--force"]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "mine" and stub_solvers == [] and leftovers(tmp_path) == []


def test_unwritable_parent_is_refused_before_solving(
    tmp_path: Path, stub_solvers: list[int], scenario_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    assert main(["export", str(scenario_file), "--out", str(tmp_path / "afile" / "out")]) == 2
    err = capsys.readouterr().err
    assert "cannot write" in err and "无法" in err and "Traceback" not in err
    assert stub_solvers == [] and leftovers(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_parent_is_refused_before_solving(
    tmp_path: Path, stub_solvers: list[int], scenario_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        assert main(["export", str(scenario_file), "--out", str(parent / "out")]) == 2
        assert "cannot write" in capsys.readouterr().err
        assert stub_solvers == [] and list(parent.iterdir()) == []
    finally:
        parent.chmod(0o755)


def test_swap_without_renameat2_renames_aside(
    tmp_path: Path, stub_solvers: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    export_plan(make_community(), out)
    (out / "plan.json").write_bytes(b"old")
    monkeypatch.setattr(export_files, "_exchange", lambda a, b: False)
    export_plan(make_community(), out, force=True)
    assert (out / "plan.json").read_bytes() != b"old" and leftovers(tmp_path) == []
    # the new folder cannot be renamed in: the old one is put back
    (out / "plan.json").write_bytes(b"old")
    before = snapshot(out)
    real = os.rename

    def rename(src: Any, dst: Any) -> None:
        if export_files.TMP_MARK in str(src):
            raise OSError(5, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(export_files.os, "rename", rename)
    with pytest.raises(ExportError, match="Input/output error"):
        export_plan(make_community(), out, force=True)
    monkeypatch.setattr(export_files.os, "rename", real)
    assert snapshot(out) == before and leftovers(tmp_path) == []


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x").write_text("a", encoding="utf-8")
    if not export_files._exchange(tmp_path / "a", tmp_path / "b"):
        pytest.skip("no renameat2 RENAME_EXCHANGE here (the rename-aside fallback is tested above)")
    assert (tmp_path / "b" / "x").read_text(encoding="utf-8") == "a" and not list((tmp_path / "a").iterdir())


def test_write_files_into_an_empty_existing_folder(tmp_path: Path) -> None:
    paths = write_files({"plan.json": b"{}"}, tmp_path / ".", force=False)
    assert [p.name for p in paths] == ["plan.json"] and (tmp_path / "plan.json").read_bytes() == b"{}"
    assert leftovers(tmp_path.parent) == []


# ---------------------------------------------------------------- Ctrl-C in a real process


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX")
def test_ctrl_c_during_export_exits_130_and_leaves_nothing(tmp_path: Path) -> None:
    scenario = tmp_path / "c200.json"
    scenario.write_text(json.dumps(_generated_community(200), ensure_ascii=False), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    out = work / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PLANNER_DEBUG", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "planner.cli",
            "export",
            str(scenario),
            "--out",
            str(out),
            "--top",
            "50",
            "--time-limit",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Signal once the export is under way: its folder beside --out exists (made before solving), so the
    # signal never lands while Python is still starting up, however loaded the machine is.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None and not any(work.glob("*planner-tmp*")):
        time.sleep(0.05)
    time.sleep(0.3)
    if process.poll() is not None:
        process.communicate()
        pytest.skip("the export finished before the signal could be sent")
    process.send_signal(signal.SIGINT)
    sent = time.monotonic()
    try:
        _, err = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("the export did not stop within 10 s of Ctrl-C")
    took = time.monotonic() - sent
    if process.returncode == 0 and took < 0.3:
        pytest.skip("the export finished before the signal arrived")
    assert process.returncode == 130, f"exit {process.returncode} {took:.1f} s after Ctrl-C: {err[-2000:]}"
    assert took < 5
    assert "已中断 interrupted" in err and "Traceback" not in err
    assert list(work.iterdir()) == []  # no output folder, no temporary folder
