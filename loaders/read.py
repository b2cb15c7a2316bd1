"""Files in: find documents under the given paths and decode them safely.

Every problem with one file becomes a `LoadFailure` naming the file and what
to do; the other files go on loading.
"""
from __future__ import annotations

import codecs
import errno
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from policygraph.errors import InputError

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(slots=True, frozen=True)
class LoadFailure:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(slots=True)
class RawDocument:
    path: Path
    doc_id: str
    text: str
    content_hash: str
    is_html: bool


def find_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path | LoadFailure]:
    """Expand folders (recursively, in sorted order) into document files."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            yield LoadFailure(str(raw), "a symbolic link that leads nowhere or loops: fix or remove the link"
                              if path.is_symlink() else "no such file or folder: check the path")
        elif path.is_dir():
            found = False
            for file in _walk(path):
                found = True
                yield file
            if not found:
                yield LoadFailure(str(raw), f"no documents in this folder: policygraph reads {', '.join(SUFFIXES)} files")
        elif path.suffix.lower() in SUFFIXES:
            yield path
        else:
            yield LoadFailure(str(raw), f"not a document type policygraph reads ({', '.join(SUFFIXES)}): rename or convert it")


def _walk(folder: Path) -> Iterator[Path]:
    # followlinks=False: a symlink loop cannot send the walk round forever.
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(SUFFIXES) and not name.startswith("."):
                yield Path(root) / name


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read and decode one file; raise InputError with a message for the user."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # A pipe or a device would block the load or never end (/dev/zero).
            raise InputError(f"{path}: not a regular file (a pipe, device or socket): copy its text into a file")
        if info.st_size > max_bytes:
            raise InputError(f"{path}: {_mb(info.st_size)} is over the size limit of {_mb(max_bytes)}: "
                             "raise it with --max-size or split the file")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # a file still growing stops at the limit too
        if len(data) > max_bytes:
            raise InputError(f"{path}: it grew past the size limit of {_mb(max_bytes)} while being read: "
                             "load it once it is complete, or raise --max-size")
    except FileNotFoundError as exc:
        raise InputError(f"{path}: the file vanished before it could be read: check the folder") from exc
    except PermissionError as exc:
        raise InputError(f"{path}: permission denied: make the file readable (chmod +r)") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a folder, not a file") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"{path}: a symbolic link that loops back on itself: fix or remove the link") from exc
        raise InputError(f"{path}: cannot read it ({exc.strerror or exc}): check the disk or the file") from exc
    text = decode(data, path)
    if not text.strip():
        raise InputError(f"{path}: the file is empty: nothing to load")
    return RawDocument(path=path, doc_id=path.stem, text=text, content_hash=hashlib.sha256(data).hexdigest(),
                       is_html=path.suffix.lower() in HTML_SUFFIXES)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"  # the unit of --max-size


def decode(data: bytes, path: Path) -> str:
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return _scrub(data.decode(encoding))
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}: the byte-order mark says {encoding} but the bytes are not: re-save it as UTF-8") from exc
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: looks like a binary file (NUL bytes), not text: convert it to UTF-8 text first")
    try:
        return _scrub(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (bad byte at offset {exc.start}): convert it, "
                         f"e.g. `iconv -f CP949 -t UTF-8 {path.name}`") from exc


# NULs and other C0 controls would poison the store and the HTML viewer.
_CONTROLS = {c: None for c in range(32) if chr(c) not in "\n\t\r"} | {0x7F: None}


def _scrub(text: str) -> str:
    return text.translate(_CONTROLS)


def read_files(paths: Iterable[str | os.PathLike], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument | LoadFailure]:
    for item in find_files(paths):
        if isinstance(item, LoadFailure):
            yield item
            continue
        try:
            yield read_file(item, max_bytes)
        except InputError as exc:
            yield LoadFailure(str(item), str(exc).split(": ", 1)[-1] if str(exc).startswith(str(item)) else str(exc))
