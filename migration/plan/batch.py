"""Running the planning engines over very large estates.

On a 100,000-server estate Python's cyclic garbage collector spends about as long as the
engines themselves, walking objects that are never part of a cycle (frozen models, tuples,
floats). The inventory lives for the whole run, so freeze it once it is loaded; planning
allocates results that also live to the end, so collection can pause while it runs. Neither
changes any result.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def freeze_loaded() -> None:
    """Move everything alive now (the loaded inventory) out of the collector's sight."""
    gc.collect()
    gc.freeze()


@contextmanager
def paused_collection() -> Iterator[None]:
    """Pause cyclic garbage collection for a block of planning; restores the previous state."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
