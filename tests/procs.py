"""Processes seen through /proc: which embedded servers still run on a data folder."""
from __future__ import annotations

import os
from pathlib import Path


def _cmdline(pid: str) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def state(pid: int | str) -> str:
    """The process's state letter (R, S, T for stopped, Z...), or ? once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "?"


def servers_on(folder: Path) -> list[int]:
    """Live (not zombie) redis-server processes whose socket is in `folder`."""
    socket = str(Path(folder).resolve() / "falkordb.sock")
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        title = " ".join(_cmdline(pid))  # redis-server retitles itself "redis-server unixsocket:PATH"
        if "redis-server" in title and socket in title and state(pid) != "Z":
            found.append(int(pid))
    return found
