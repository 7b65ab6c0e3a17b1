"""`export_all`: write plan.json, plan.xlsx, schedule.ics and the printed documents of solved results together.

The printed documents (planner.export.documents: plan.docx, the 讨论稿, and the documents of the procedure)
are all written unless the options' `documents` names some of them.

Nothing here solves: the caller (`planner export`, planner.cli.export_plan) creates the `Staging`
first, then solves, then commits the files.
The output folder holds either the complete old set or the complete new set, never a mix:
1. before anything is solved, the folder is checked (no file the user put there, no earlier
   set unless `force`) and a temporary folder `.{name}.planner-tmp-XXXX` is created beside it,
   in the same parent (so a parent where nothing can be written fails at once);
2. the files are built in memory and written into the temporary folder;
3. it is swapped in: one rename when the output folder does not exist, else an atomic exchange
   (Linux renameat2 RENAME_EXCHANGE; elsewhere the old folder is renamed aside, then the new one
   renamed in), and only then are the old set's files removed.
Any error or Ctrl-C before the swap removes the temporary folder and leaves the old set as it was.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
import signal
import stat
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from planner.export.audit import build_audit
from planner.export.common import PlanData, SlateResults, make_plan_data
from planner.export.documents import DOCUMENT_FILES, files_of, select
from planner.export.documents import WRITERS as DOCUMENT_WRITERS
from planner.export.ics import calendar_bytes
from planner.export.json_out import json_bytes
from planner.export.xlsx import workbook_bytes
from planner.plan import ScheduleResult
from planner.scenario import Scenario

PLAN_FILES = ("plan.json", "plan.xlsx", "schedule.ics")  # always written
FILE_NAMES = ("plan.json", "plan.xlsx", "plan.docx", "schedule.ics") + tuple(
    f for f in DOCUMENT_FILES if f != "plan.docx"
)
"""Every file of a full export, in order: the plan files and the printed documents."""
WRITERS: dict[str, Callable[[PlanData], bytes]] = {
    "plan.json": json_bytes,
    "plan.xlsx": workbook_bytes,
    "schedule.ics": calendar_bytes,
    **DOCUMENT_WRITERS,
}


TMP_MARK = ".planner-tmp-"
OLD_MARK = ".planner-old-"


class ExportError(FileExistsError):
    """An export that would overwrite a file (without force), or could not be written (exit 2)."""


def chosen_files(documents: Iterable[str] | None = None) -> list[str]:
    """The files of an export: the plan files and the chosen documents' (None: every document), in order.
    An unknown document name raises planner.export.documents.UnknownDocument."""
    wanted = {*PLAN_FILES, *files_of(select(documents))}
    return [name for name in FILE_NAMES if name in wanted]


def render_all(data: PlanData, documents: Iterable[str] | None = None) -> dict[str, bytes]:
    """Every file's bytes, keyed by file name (the documents chosen by name; None: all)."""
    return {name: WRITERS[name](data) for name in chosen_files(documents)}


def file_bytes(
    name: str,
    scenario: Scenario,
    slates: SlateResults,
    schedule: ScheduleResult | None,
    audit: dict[str, Any],
    *,
    include_sensitive: bool = False,
    allow_pending: bool | None = None,
) -> bytes:
    """One file's bytes (`name` of FILE_NAMES) from already solved results."""
    data = make_plan_data(
        scenario, slates, schedule, audit, include_sensitive=include_sensitive, allow_pending=allow_pending
    )
    return WRITERS[name](data)


def all_bytes(
    scenario: Scenario,
    slates: SlateResults,
    schedule: ScheduleResult | None,
    audit: dict[str, Any],
    *,
    include_sensitive: bool = False,
    allow_pending: bool | None = None,
    documents: Iterable[str] | None = None,
) -> dict[str, bytes]:
    """The files' bytes from already solved results (for the app's download buttons)."""
    data = make_plan_data(
        scenario, slates, schedule, audit, include_sensitive=include_sensitive, allow_pending=allow_pending
    )
    return render_all(data, documents)


def plan_files(
    scenario: Scenario,
    slates: SlateResults,
    schedule: ScheduleResult | None,
    options: Mapping[str, Any],
    *,
    exported_at: str | None = None,
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The audit record and the files of solved results (`options`: top, include_sensitive, allow_pending,
    seed, workers, time_limit, lang (of the 讨论稿), documents (names; absent: all), the app's what-ifs)."""
    audit = build_audit(scenario, slates, schedule, options, exported_at=exported_at)
    return audit, all_bytes(
        scenario,
        slates,
        schedule,
        audit,
        include_sensitive=bool(options.get("include_sensitive")),
        allow_pending=bool(options.get("allow_pending")),
        documents=options.get("documents"),
    )


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 with RENAME_EXCHANGE); False when the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without renameat2 (glibc < 2.28, musl < 1.2.4)
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):  # kernel or file system cannot
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextmanager
def _sigint_deferred() -> Iterator[None]:
    """Hold Ctrl-C back while the sets are swapped (raised afterwards), so no half-done swap is left."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    except ValueError:  # not the main interpreter
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler if previous is None else previous)
    if caught:
        raise KeyboardInterrupt


def _make_beside(folder: Path, mark: str) -> Path:
    """A new empty folder `.{name}{mark}XXXX` in folder's parent (mode from the umask, like any new folder)."""
    for _ in range(100):
        path = folder.parent / f".{folder.name}{mark}{secrets.token_hex(4)}"
        try:
            os.mkdir(path)
            return path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder.parent))


def _is_set_file(folder: Path, name: str, names: Iterable[str]) -> bool:
    """Whether an entry of the output folder is a file of an earlier export (a regular file, not a link)."""
    if name not in names:
        return False
    try:
        return stat.S_ISREG(os.lstat(folder / name).st_mode)
    except OSError:
        return False


class Staging:
    """The temporary folder of one export, beside the output folder; `commit` swaps it in, `discard` drops it."""

    def __init__(self, out_dir: Path | str, names: Iterable[str] = FILE_NAMES, *, force: bool = False):
        """Check the output folder and create the temporary folder, before anything is solved.

        Raises ExportError (nothing created) when `out_dir` is a file, holds anything but an earlier
        export set, holds an earlier set and `force` is false, or when nothing can be written there."""
        self.given = Path(out_dir)
        self.out = Path(os.path.realpath(self.given))  # a link to a folder: the folder itself is swapped
        self.names = tuple(dict.fromkeys([*FILE_NAMES, *names]))
        self.created: list[Path] = []  # parent folders made for the export, outermost first
        self.folder: Path | None = None
        shown = str(self.given)
        if os.path.lexists(self.out) and not self.out.is_dir():
            raise ExportError(
                f"{shown} 是文件而不是文件夹 / {shown} is a file, not a folder; give a folder for --out"
            )
        self.replace = self.out.is_dir()
        if self.replace:
            self._check_existing(shown, force)
        try:
            missing = []
            parent = self.out.parent
            while not os.path.lexists(parent):
                missing.append(parent)
                parent = parent.parent
            for path in reversed(missing):
                os.mkdir(path)
                self.created.append(path)
            self.folder = _make_beside(self.out, TMP_MARK)
        except OSError as exc:
            self.discard()
            where = self.out.parent
            raise ExportError(
                f"无法在 {where} 中写入，导出未进行 / cannot write in {where}, nothing exported: "
                f"{exc.strerror or exc}"
            ) from None

    def _check_existing(self, shown: str, force: bool) -> None:
        try:
            entries = sorted(os.listdir(self.out))
        except OSError as exc:
            raise ExportError(f"无法读取 {shown} / cannot read {shown}: {exc.strerror or exc}") from None
        foreign = [e for e in entries if not _is_set_file(self.out, e, self.names)]
        if foreign:
            listed = ", ".join(foreign[:5]) + (f" … (+{len(foreign) - 5})" if len(foreign) > 5 else "")
            raise ExportError(
                f"{shown} 中有不属于导出结果的文件（{listed}），为免删除或覆盖，导出未进行；请换一个空文件夹 / "
                f"{shown} holds files that are not an export ({listed}); nothing is deleted or "
                "overwritten: choose an empty or new folder for --out"
            )
        existing = [self.given / e for e in entries]
        if existing and not force:
            raise ExportError(
                f"{existing[0]} 已存在，覆盖请加 --force / {existing[0]} already exists; use --force "
                f"to overwrite ({', '.join(str(p) for p in existing)})"
            )
        if os.path.ismount(self.out):
            raise ExportError(
                f"{shown} 是挂载点，无法整体替换；请用其中的子文件夹 / {shown} is a mount point and "
                "cannot be swapped as a whole: use a folder inside it for --out"
            )
        if existing and not os.access(self.out, os.W_OK | os.X_OK):
            raise ExportError(
                f"{shown} 不可写，旧文件无法替换 / {shown} is not writable: the old files cannot be replaced"
            )

    def discard(self) -> None:
        """Remove the temporary folder and any parent folder made for it (the output folder is untouched)."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
        for path in reversed(self.created):
            try:
                os.rmdir(path)
            except OSError:
                break
        self.created = []

    def commit(self, files: dict[str, bytes]) -> list[Path]:
        """Write `files` into the temporary folder, then swap it in for the output folder as a whole."""
        assert self.folder is not None, "a staging folder is committed once"
        try:
            for name, content in files.items():
                path = self.folder / name
                path.write_bytes(content)
                fd = os.open(path, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            if self.replace:
                os.chmod(self.folder, stat.S_IMODE(os.stat(self.out).st_mode))
            with _sigint_deferred():
                self._swap()
        except OSError as exc:
            raise ExportError(
                f"无法写入导出文件，{self.given} 未改动 / cannot write the export, {self.given} is "
                f"unchanged: {exc.strerror or exc}"
            ) from None
        finally:
            self.discard()
        return [self.given / name for name in files]

    def _swap(self) -> None:
        assert self.folder is not None
        new = self.folder
        if not self.replace:
            os.rename(new, self.out)  # fails if someone made the folder meanwhile and put files in it
            self.folder, self.created = None, []
            return
        if _exchange(new, self.out):
            old = new  # the temporary name now holds the old set
        else:
            old = _make_beside(self.out, OLD_MARK)
            try:
                os.rename(self.out, old)  # replaces the empty folder just made
            except BaseException:
                os.rmdir(old)
                raise
            try:
                os.rename(new, self.out)
            except BaseException:
                os.rename(old, self.out)
                raise
        self.folder, self.created = None, []
        _remove_set(old, self.names)


def _remove_set(old: Path, names: Iterable[str]) -> None:
    """Delete the files of the old set, then its folder; anything else found there is left in place."""
    for name in names:
        if _is_set_file(old, name, names):
            with suppress(OSError):
                os.unlink(old / name)
    with suppress(OSError):  # something not of ours appeared meanwhile: never delete it
        os.rmdir(old)


def write_files(files: dict[str, bytes], out_dir: Path | str, *, force: bool = False) -> list[Path]:
    """Write files into out_dir atomically as a set: out_dir ends up holding all of them, or is unchanged."""
    return Staging(out_dir, files, force=force).commit(files)


def export_all(
    scenario: Scenario,
    out_dir: Path | str,
    slates: SlateResults,
    schedule: ScheduleResult | None,
    options: Mapping[str, Any] | None = None,
    *,
    force: bool = False,
) -> list[Path]:
    """Write the plan files and the printed documents of solved results into out_dir as one set (see the
    module docstring). Raises ExportError (a FileExistsError) when out_dir is a file, holds files of the
    user's, holds an earlier set and `force` is false, or cannot be written."""
    staging = Staging(out_dir, FILE_NAMES, force=force)
    try:
        _, files = plan_files(scenario, slates, schedule, options or {})
    except BaseException:  # an error or Ctrl-C while rendering: nothing is left behind
        staging.discard()
        raise
    return staging.commit(files)
