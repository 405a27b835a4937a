"""Where a wave too big for one stack is cut into parts: at boundaries that stay put.

Packing greedily in name order (fill a part, start the next) moves every later application
to another part when one application grows or shrinks, or when one is added: a re-plan after
a single override would re-preview the whole wave, and a deployed wave would see its
resources deleted from one stack and created in another. So, as content-defined chunking
does for backups (rsync, restic), the names choose the cuts: a part ends after the
application, among those that would leave it between MIN_FILL and all of its budget, whose
name has the lowest stable hash. A change to one application moves at most the cut of its
own part (the same name usually stays the lowest in the window), and the parts after the
next unchanged cut are the parts they were.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

#: a part is cut once it holds at least this share of its budget
MIN_FILL = 0.6


def name_rank(name: str) -> int:
    """A stable hash of the name (the same on every run and machine): the lowest in the
    window is where the part ends."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "big")


def pack_parts(items: Sequence[tuple[str, int]], budget: int) -> list[list[int]]:
    """The parts (indices into `items`, in order) of (name, size) items given in name order,
    each part's sizes summing to at most `budget` unless one item alone is bigger (the
    caller refuses those). Always at least one part, possibly empty."""
    parts: list[list[int]] = []
    start, count = 0, len(items)
    while start < count:
        used, end, best = 0, start, None  # best: (rank, index) of the lowest name in the window
        while end < count and (end == start or used + items[end][1] <= budget):
            used += items[end][1]
            if used >= MIN_FILL * budget:
                candidate = (name_rank(items[end][0]), end)
                best = candidate if best is None else min(best, candidate)
            end += 1
        cut = end if end == count or best is None else best[1] + 1
        parts.append(list(range(start, cut)))
        start = cut
    return parts or [[]]
