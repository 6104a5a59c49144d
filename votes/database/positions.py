"""Positions as the sinks write them: the writer's packed ints (derive.OPTION_BITS) unpacked
into rows of columns with numpy. Imported by the sinks alone, which load after the reader
processes are forked: the readers do without numpy's memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import numpy as np

from votes.database.derive import OPTION_BITS, OPTION_MASK


def position_rows(rolls: Sequence[tuple[int, Sequence[int]]]) -> np.ndarray:
    """The positions of roll calls, each a roll call's key and its packed positions, as rows
    of (roll_call_key, voter_id, vote_option_id): one int64 array of shape (n, 3), in order."""
    counts = [len(packed) for _, packed in rolls]
    rows = np.empty((sum(counts), 3), np.int64)
    rows[:, 0] = np.repeat(np.fromiter((key for key, _ in rolls), np.int64, len(rolls)), counts)
    packed = np.fromiter(chain.from_iterable(p for _, p in rolls), np.int64, len(rows))
    rows[:, 1] = packed >> OPTION_BITS
    rows[:, 2] = packed & OPTION_MASK
    return rows
