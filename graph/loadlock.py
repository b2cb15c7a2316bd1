"""One load at a time per embedded store: a lock file held for the whole load.

Two loaders on one data folder would otherwise read the same document states
and undo each other's half-written documents. The second one waits (and says
so) until the first finishes; the kernel drops the lock when its holder dies,
even by SIGKILL, so a crashed load never blocks the next one. Neo4j stores are
shared by many machines and have no folder to lock: they are not covered.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from policygraph.errors import StoreError
from policygraph.graph.store import Store

LOCKFILE = "load.lock"


@contextlib.contextmanager
def exclusive_load(store: Store, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    if store.backend != "falkordb":
        yield
        return
    folder = Path(store.location)
    try:
        fd = os.open(folder / LOCKFILE, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise StoreError(f"cannot create the load lock in {folder}: {exc.strerror}; "
                         "check the folder's permissions or choose another with --store") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise
            if on_wait is not None:
                on_wait(f"waiting for another load on {folder} to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
