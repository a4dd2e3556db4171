"""Holding the cycle collector back while a computation holds a whole event in memory."""

import gc
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused():
    """Hold Python's cycle collector back for the length of a computation over a whole event.

    An award run or a fairness report holds every card, line and result of the event at once
    (millions of small objects at 100 times the demo event), none of which form cycles; the
    collector would walk them again each time a few hundred more are made: a quarter of the
    run's time at that scale. Reference counting still frees everything on the way; the
    collector resumes afterwards (unless it was off already).
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
