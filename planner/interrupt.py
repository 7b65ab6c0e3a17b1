"""Ctrl-C during a CP-SAT solve: stop the search and raise KeyboardInterrupt, as anywhere else.

CP-SAT replaces the SIGINT handler while it solves and then returns its best answer as if a time
limit had been reached, so a Ctrl-C would silently produce a partial plan. `solve` switches that off
(`catch_sigint_signal`), lets Python's own handler note the signal, and has a watcher thread woken
through `signal.set_wakeup_fd` stop the search; the interpreter then raises KeyboardInterrupt as soon
as `solve` returns. Outside the main thread (the Streamlit app) signals never arrive, so it just solves.
"""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

from ortools.sat.python import cp_model


def solve(solver: cp_model.CpSolver, model: cp_model.CpModel, callback: Any = None) -> Any:
    """`solver.solve(model)`, interruptible by Ctrl-C (KeyboardInterrupt is raised after the search stops)."""
    solver.parameters.catch_sigint_signal = False
    if threading.current_thread() is not threading.main_thread():
        return solver.solve(model, callback)
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    try:
        previous = signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    except ValueError:  # not the main interpreter
        os.close(read_end)
        os.close(write_end)
        return solver.solve(model, callback)
    done = threading.Event()

    def watch() -> None:
        os.read(read_end, 1)
        if not done.is_set():
            solver.stop_search()

    watcher = threading.Thread(target=watch, daemon=True, name="planner-sigint")
    watcher.start()
    try:
        return solver.solve(model, callback)
    finally:
        done.set()
        signal.set_wakeup_fd(previous)
        os.write(write_end, b"\0")
        watcher.join()
        os.close(read_end)
        os.close(write_end)
