"""Notices an embedded server that has stopped working in the middle of a statement.

FalkorDB can deadlock under write load: its threads wait on each other's locks for good
(FalkorDB issue 2129 shows one such cycle), the statement in flight never returns and
the command would hang until killed. A server that, for a whole window of HUNG_AFTER
seconds, neither answers nor works (it holds the statement but uses no CPU) is killed
here; the store starts another on the same files and sends the statement again when
that is safe (graph/falkordb_store.py).
"""
from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from policygraph.errors import UsageError
from policygraph.graph.server import IDLE_CPU

if TYPE_CHECKING:
    from policygraph.graph.server import EmbeddedServer

log = logging.getLogger("policygraph")

HUNG_AFTER = 60.0  # seconds; POLICYGRAPH_HUNG_AFTER sets another window
POLL_SECONDS = 1.0
GRACE_SECONDS = 5.0
PROBE_TIMEOUT = 5.0


def hung_after() -> float:
    value = os.environ.get("POLICYGRAPH_HUNG_AFTER", "")
    if not value:
        return HUNG_AFTER
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise UsageError(f"POLICYGRAPH_HUNG_AFTER={value!r} is not a number of seconds above 0: "
                         f"unset it for the default of {HUNG_AFTER:.0f}")
    return seconds


class StallWatch:
    """A thread that looks at the server while a statement of this store is in flight."""

    def __init__(self, server: "EmbeddedServer", after: float | None = None):
        self.server = server
        self.after = hung_after() if after is None else after
        self._sent: float | None = None  # when the statement in flight was sent
        self._killed = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @contextlib.contextmanager
    def statement(self) -> Iterator[None]:
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="policygraph-watchdog", daemon=True)
            self._thread.start()
        self._sent = time.monotonic()
        try:
            yield
        finally:
            self._sent = None

    def take_kill(self) -> bool:
        """Whether the server was killed as hung since the last call."""
        killed, self._killed = self._killed, False
        return killed

    def stop(self) -> None:
        self._stop.set()

    def _watch(self) -> None:
        watched = idle_from = cpu_from = None
        while not self._stop.wait(POLL_SECONDS):
            sent = self._sent
            # Most statements end within seconds: the server is looked at only when one does not.
            young = sent is None or time.monotonic() - sent < min(self.after, GRACE_SECONDS)
            cpu = None if young else self.server.cpu_seconds()
            # Nothing to judge: no statement out for long, no server here, or the reply is on its
            # way (the client may take long to read a big one).
            if cpu is None or self.server.statement_running(PROBE_TIMEOUT) is False:
                watched = None
                continue
            now = time.monotonic()
            if sent != watched or cpu - cpu_from > IDLE_CPU * (now - idle_from):
                watched, idle_from, cpu_from = sent, now, cpu
            elif now - idle_from >= self.after and self._sent == sent:
                log.warning("the embedded server at %s has done nothing for %.0f s in the middle of a statement "
                            "(a deadlock); stopping it", self.server.folder, now - idle_from)
                self._killed = True
                self.server.kill()
                watched = None
