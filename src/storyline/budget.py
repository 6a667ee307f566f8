"""Time budgets: no single article may hold up a stage.

Article text is untrusted.  The patterns and loops that read it are written to run in linear time
(docs/audit-patterns.md), and this is the net under them: a stage runs its work on one article
inside ``time_budget(seconds)``; when the article takes longer, ``OverBudget`` is raised, the stage
records the article as a problem, skips it and goes on with the others.

Budgets are CPU seconds, not wall-clock ones: an article is left out for what it costs, never
because the machine was busy with other work (a score or a test must not depend on the load).
On the main thread of a POSIX process a CPU-time timer signal (SIGPROF) interrupts the work when the
budget runs out (Python code stops at once; a C call such as one regular-expression match stops when
it returns).  Elsewhere (a Dask worker thread, Windows) the thread's CPU time is checked when the
work ends.
"""
from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["OverBudget", "time_budget"]


class OverBudget(Exception):
    """The work on one item took longer than its budget."""

    def __init__(self, budget: float, spent: float | None = None):
        self.budget = budget
        self.spent = spent if spent is not None else budget
        super().__init__(f"took more than its time budget of {budget:g} s")


def _can_interrupt() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise ``OverBudget`` in the block once it has run ``seconds`` (0 or less: no budget).

    Budgets nest: an outer budget keeps running while an inner one is active, and fires as soon
    as the inner block ends if it ran out meanwhile.
    """
    if not seconds or seconds <= 0:
        yield
        return
    interrupt = _can_interrupt()
    clock = time.process_time if interrupt else time.thread_time  # what the timer counts, or this thread
    start = clock()
    if interrupt:
        def expire(_signum, _frame):
            raise OverBudget(seconds, clock() - start)

        outer_handler = signal.signal(signal.SIGPROF, expire)
        outer_left, _ = signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        if interrupt:
            try:
                signal.setitimer(signal.ITIMER_PROF, 0)
            finally:  # even when the timer fired on the way out
                signal.signal(signal.SIGPROF, outer_handler)
                if outer_left > 0:  # an enclosing budget: give it back what is left of it
                    signal.setitimer(signal.ITIMER_PROF, max(outer_left - (clock() - start), 1e-4))
    spent = clock() - start
    if spent > seconds:
        raise OverBudget(seconds, spent)
