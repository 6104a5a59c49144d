"""A one-line progress display for long imports and fetches: how many done, rate, time left
(terminals only)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

INTERVAL = 0.2  # seconds between redraws


class Progress:
    """Redraws one line on a terminal; on anything else it stays silent."""

    def __init__(
        self, stream: TextIO | None = None, label: str = "Importing", unit: str = "votes"
    ) -> None:
        """`unit`: what is counted ("votes", "files")."""
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty()
        self.label, self.unit = label, unit
        self.start = self.last = time.monotonic()
        self.drawn = False

    def update(self, votes: int, done: float) -> None:
        """Votes (or other units) done so far, and the fraction of the work done (0..1)."""
        now = time.monotonic()
        if self.enabled and now - self.last >= INTERVAL:
            self.last = now
            self._draw(votes, done, now - self.start)

    def finish(self, votes: int) -> None:
        """Draw the final figures and end the line."""
        if self.enabled:
            self._draw(votes, 1.0, time.monotonic() - self.start)
            self.stream.write("\n")
            self.stream.flush()

    def abandon(self) -> None:
        """End the line, if one was drawn, so that an error message starts on its own."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self, votes: int, done: float, elapsed: float) -> None:
        rate = votes / elapsed if elapsed > 0 else 0.0
        left = elapsed * (1 - done) / done if done > 0 else None
        width = 24
        bar = "#" * int(width * done) + "-" * (width - int(width * done))
        eta = _clock(left) if left is not None else "--:--"
        self.stream.write(
            f"\r{self.label} [{bar}] {done:4.0%}  {votes:,} {self.unit}  "
            f"{rate:,.0f} {self.unit}/s  {eta} left "
        )
        self.stream.flush()
        self.drawn = True


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds + 0.5), 60)
    return f"{minutes:d}:{secs:02d}"
