"""Progress on the terminal: a tqdm bar on stderr, shown only on a TTY and only for runs over 2 s.

Standard output stays clean (JSON and reports go there); with stderr redirected or not a terminal
nothing is drawn. The bar says what it does: "社区 community 37/100 (c37)", "班子方案 slate 4/10".
Ctrl-C is handled by the caller (planner.interrupt, exit 130); the bar closes on the way out.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

DELAY = 2.0
"""Seconds before a bar appears: quicker runs show nothing."""


class Progress:
    """`with Progress("日程 schedule", "街道 sub-district") as bar: bar.update(done, total, name)`."""

    def __init__(self, what: str, unit: str = "", *, enabled: bool | None = None, stream: Any = None) -> None:
        self.what, self.unit = what, unit
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.bar: Any = None

    def __enter__(self) -> Progress:
        if self.enabled:
            from tqdm import tqdm

            self.bar = tqdm(
                desc=self.what,
                unit=f" {self.unit}" if self.unit else "it",
                delay=DELAY,
                file=self.stream,
                leave=False,
            )
        return self

    def update(self, done: int, total: int, name: str = "") -> None:
        """`done` of `total` parts finished (total 0: unknown), the last one `name`."""
        if self.bar is None:
            return
        if total and self.bar.total != total:
            self.bar.total = total
        self.bar.n = done
        if name:
            self.bar.set_postfix_str(f"{self.unit} {name}".strip(), refresh=False)
        self.bar.refresh()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.bar is not None:
            self.bar.close()
