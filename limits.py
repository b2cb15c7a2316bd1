"""A time limit on the extraction of one document, so no input can stall a load.

Extraction is pure Python, so a timer signal interrupts it wherever it is.
The limit is EXTRACT_TIMEOUT seconds (POLICYGRAPH_EXTRACT_TIMEOUT overrides
it; 0 turns it off). It needs the main thread of its process, as in the CLI
and in the extraction workers; elsewhere documents run without a limit.
"""
from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator

EXTRACT_TIMEOUT = 120.0
TIMEOUT_ENV = "POLICYGRAPH_EXTRACT_TIMEOUT"


class Overtime(BaseException):
    """Raised into the extraction when its time is up. A BaseException, so that no
    `except Exception` inside the extractor can swallow it."""


def extract_timeout() -> float:
    value = os.environ.get(TIMEOUT_ENV, "").strip()
    try:
        return float(value) if value else EXTRACT_TIMEOUT
    except ValueError:
        return EXTRACT_TIMEOUT


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise Overtime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
