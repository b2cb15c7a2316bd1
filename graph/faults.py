"""Test-only fault injection: a load or an import that dies abruptly after N writes.

The crash-safety tests set POLICYGRAPH_FAULT_AFTER_WRITES=N to stop a load at
an exact point: right after its N-th write statement the process SIGKILLs
itself, or, with POLICYGRAPH_FAULT_TARGET=server, SIGKILLs the embedded
server and carries on until the next write fails; with server-stop it
SIGSTOPs the server, which then holds the next write as a deadlocked one
does (graph/watchdog.py). Unset (as always outside the tests), it costs one
comparison per write.
"""
from __future__ import annotations

import os
import signal
from collections.abc import Callable

FAULT_ENV = "POLICYGRAPH_FAULT_AFTER_WRITES"
TARGET_ENV = "POLICYGRAPH_FAULT_TARGET"
_fired = False


class WriteFault:
    def __init__(self, server_pid: Callable[[], int | None] = lambda: None) -> None:
        value = os.environ.get(FAULT_ENV, "").strip()
        self.left = int(value) if value.isdigit() and not _fired else None
        self.server_pid = server_pid

    @classmethod
    def for_store(cls, store: object) -> "WriteFault":
        """The fault of a writer to `store`; it may target the store's embedded server, if it has one."""
        server = getattr(store, "server", None)
        return cls(server.server_pid if server is not None else lambda: None)

    def tick(self) -> None:
        """Count one write; once the count is used up, kill without any clean-up."""
        if self.left is None:
            return
        self.left -= 1
        if self.left > 0:
            return
        global _fired
        self.left, _fired = None, True  # one fault per process, whatever writers it makes
        target = os.environ.get(TARGET_ENV)
        victim = self.server_pid() if target in ("server", "server-stop") else os.getpid()
        if victim:
            os.kill(victim, signal.SIGSTOP if target == "server-stop" else signal.SIGKILL)
