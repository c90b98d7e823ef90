"""Run a real Neo4j 5.26 Community server locally without Docker.

Machines for this project have Java 17 and Maven but no Docker engine and no
Neo4j distribution. This module fetches the Neo4j Community jars from Maven
Central (``stakegraph/neo4j/pom.xml``) into a cache and starts
``stakegraph/neo4j/Neo4jLauncher.java`` (embedded DBMS + Bolt connector) as a
detached background process.

Layout under the cache root (``$STAKEGRAPH_NEO4J_HOME`` or
``~/.cache/stakegraph/neo4j``)::

    <root>/<version>/lib/*.jar          jars (reused once <root>/<version>/.jars-complete exists)
    <root>/run/neo4j-<port>.json        pidfile: pid, port, uri, data_dir, log_path, ...
    <root>/run/neo4j-<port>.log         the server's stdout/stderr (user log)
    <root>/data/port-<port>/            default DBMS home (data/ and logs/debug.log inside)

The server listens on 127.0.0.1 only and has authentication DISABLED
(``dbms.security.auth_enabled=false``); any credentials are accepted. It is a
local development/test server, never expose it.

Environment:
    STAKEGRAPH_NEO4J_HOME       cache root (see above)
    STAKEGRAPH_NEO4J_JAVA_OPTS  extra JVM options (heap), default ``-Xms128m -Xmx768m``
    JAVA_HOME                   used to find ``java`` (else ``java`` on PATH)
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from neo4j import GraphDatabase

__all__ = [
    "DEFAULT_PORT",
    "NEO4J_VERSION",
    "LocalNeo4j",
    "Neo4jLaunchError",
    "cache_root",
    "fetch_jars",
    "free_port",
    "lib_dir",
    "start",
    "status",
    "stop",
]

NEO4J_VERSION = "5.26.30"
DEFAULT_PORT = 7687
READY_MARKER = "STAKEGRAPH_NEO4J_READY"
DEFAULT_JAVA_OPTS = "-Xms128m -Xmx768m"
# Always passed (what the neo4j server start script adds): lets the page cache and
# Netty use their fast paths instead of "fallback mode" on Java 17+.
_FIXED_JAVA_OPTS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-XX:-OmitStackTraceInFastThrow",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
    "-Djava.awt.headless=true",
)

_RESOURCE_DIR = Path(__file__).resolve().parent / "neo4j"
POM_PATH = _RESOURCE_DIR / "pom.xml"
LAUNCHER_PATH = _RESOURCE_DIR / "Neo4jLauncher.java"

_MAVEN_TIMEOUT_S = 1800.0
_LOG_TAIL_LINES = 40

# Popen objects of servers started by *this* Python process, so that we can reap
# them (a dead-but-unreaped child is a zombie and would still look "alive").
_children: dict[int, subprocess.Popen[bytes]] = {}


class Neo4jLaunchError(RuntimeError):
    """Fetching the jars, starting or stopping the local Neo4j server failed."""


@dataclass(frozen=True)
class LocalNeo4j:
    """A running local Neo4j server."""

    uri: str
    port: int
    pid: int
    data_dir: Path
    log_path: Path


# --------------------------------------------------------------------------- paths


def cache_root() -> Path:
    """Root of the jar cache, pidfiles and default data dirs."""
    env = os.environ.get("STAKEGRAPH_NEO4J_HOME")
    root = Path(env) if env else Path.home() / ".cache" / "stakegraph" / "neo4j"
    return root.expanduser().resolve()


def lib_dir() -> Path:
    """Directory the Neo4j jars are (to be) copied to."""
    return cache_root() / NEO4J_VERSION / "lib"


def _marker_path() -> Path:
    return cache_root() / NEO4J_VERSION / ".jars-complete"


def _run_dir() -> Path:
    d = cache_root() / "run"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _pidfile(port: int) -> Path:
    return _run_dir() / f"neo4j-{port}.json"


def _default_log_path(port: int) -> Path:
    return _run_dir() / f"neo4j-{port}.log"


def _default_data_dir(port: int) -> Path:
    return cache_root() / "data" / f"port-{port}"


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Exclusive advisory lock (serialises concurrent fetches/starts)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _tail(path: Path | None, lines: int = _LOG_TAIL_LINES) -> str:
    if path is None:
        return ""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def _text_tail(text: str, lines: int = _LOG_TAIL_LINES) -> str:
    return "\n".join(text.splitlines()[-lines:])


# --------------------------------------------------------------------------- jars


def _jars_present() -> bool:
    lib = lib_dir()
    return _marker_path().is_file() and (lib / f"neo4j-{NEO4J_VERSION}.jar").is_file()


def fetch_jars() -> Path:
    """Copy the Neo4j jars from Maven Central into :func:`lib_dir` (once).

    Returns the lib directory. Reuses it when the completion marker exists.
    Raises :class:`Neo4jLaunchError` (with the tail of Maven's output) on failure.
    """
    if _jars_present():
        return lib_dir()
    version_dir = cache_root() / NEO4J_VERSION
    version_dir.mkdir(parents=True, exist_ok=True)
    with _file_lock(version_dir / ".fetch.lock"):
        if _jars_present():  # someone else fetched while we waited
            return lib_dir()
        mvn = shutil.which("mvn")
        if mvn is None:
            raise Neo4jLaunchError(
                "Maven ('mvn') is not on PATH; it is needed once to fetch the Neo4j "
                "jars from Maven Central (apt-get install maven)"
            )
        # Work on a copy of the pom so nothing is written next to the installed package.
        pom = version_dir / "pom.xml"
        shutil.copyfile(POM_PATH, pom)
        tmp = version_dir / f"lib.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        cmd = [
            mvn,
            "-q",
            "-B",
            "-f",
            str(pom),
            "dependency:copy-dependencies",
            "-DincludeScope=runtime",
            f"-DoutputDirectory={tmp}",
            f"-Dneo4j.version={NEO4J_VERSION}",
        ]
        try:
            proc = subprocess.run(
                cmd,
                cwd=version_dir,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                timeout=_MAVEN_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            out = exc.output if isinstance(exc.output, str) else ""
            raise Neo4jLaunchError(
                f"Maven did not finish within {_MAVEN_TIMEOUT_S:.0f}s fetching Neo4j "
                f"{NEO4J_VERSION}:\n{_text_tail(out)}"
            ) from exc
        if proc.returncode != 0 or not (tmp / f"neo4j-{NEO4J_VERSION}.jar").is_file():
            shutil.rmtree(tmp, ignore_errors=True)
            raise Neo4jLaunchError(
                f"Maven failed (exit {proc.returncode}) fetching Neo4j {NEO4J_VERSION} jars.\n"
                f"command: {shlex.join(cmd)}\n{_text_tail(proc.stdout)}"
            )
        lib = lib_dir()
        shutil.rmtree(lib, ignore_errors=True)
        os.replace(tmp, lib)
        jars = sorted(p.name for p in lib.glob("*.jar"))
        _marker_path().write_text("\n".join(jars) + "\n", encoding="utf-8")
        return lib


# --------------------------------------------------------------------------- processes


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_in_use(port: int) -> bool:
    """Whether something listens on 127.0.0.1:port (TIME_WAIT leftovers don't count,
    as the JVM binds with SO_REUSEADDR too)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError as exc:
            return exc.errno == errno.EADDRINUSE
        return False


def _pid_alive(pid: int) -> bool:
    child = _children.get(pid)
    if child is not None:
        if child.poll() is None:
            return True
        _children.pop(pid, None)
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A child of ours that died but was not reaped is a zombie: reap it / treat as dead.
    with contextlib.suppress(ChildProcessError, OSError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return False
    except (OSError, IndexError):
        pass
    return True


def _is_our_server(pid: int) -> bool:
    """Alive and (where /proc exists) really a Neo4jLauncher JVM (guards against pid reuse)."""
    if not _pid_alive(pid):
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    if not cmdline.parent.exists():
        return True  # no procfs (e.g. macOS): trust the pidfile
    try:
        return b"Neo4jLauncher" in cmdline.read_bytes()
    except OSError:
        return False


def _bolt_answers(uri: str, timeout: float = 3.0) -> bool:
    try:
        with GraphDatabase.driver(
            uri,
            auth=("neo4j", "neo4j"),
            connection_timeout=timeout,
            max_connection_lifetime=30,
        ) as driver:
            driver.verify_connectivity()
        return True
    except Exception:
        return False


def _read_pidfile(port: int) -> dict[str, Any] | None:
    path = _pidfile(port)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        path.unlink(missing_ok=True)  # unreadable / half-written: treat as stale
        return None
    if not isinstance(data, dict) or not isinstance(data.get("pid"), int):
        path.unlink(missing_ok=True)
        return None
    return data


def _write_pidfile(port: int, info: dict[str, Any]) -> None:
    path = _pidfile(port)
    tmp = path.with_suffix(f".json.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _from_record(data: dict[str, Any]) -> LocalNeo4j:
    return LocalNeo4j(
        uri=str(data["uri"]),
        port=int(data["port"]),
        pid=int(data["pid"]),
        data_dir=Path(data["data_dir"]),
        log_path=Path(data["log_path"]),
    )


def _java_executable() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if candidate.is_file():
            return str(candidate)
    java = shutil.which("java")
    if java is None:
        raise Neo4jLaunchError("no 'java' found (set JAVA_HOME or put a JDK 17+ on PATH)")
    return java


def status(port: int = DEFAULT_PORT) -> LocalNeo4j | None:
    """The server recorded for ``port`` if its process is alive and Bolt answers.

    A pidfile whose process is gone is removed. A live process whose Bolt port
    does not answer (still starting, or hung) gives ``None`` but keeps its pidfile.
    """
    data = _read_pidfile(port)
    if data is None:
        return None
    if not _is_our_server(int(data["pid"])):
        _pidfile(port).unlink(missing_ok=True)
        return None
    if not _bolt_answers(str(data["uri"])):
        return None
    return _from_record(data)


def _terminate(pid: int, timeout: float) -> None:
    """SIGTERM, wait up to ``timeout``, then SIGKILL the process group."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return
        time.sleep(0.1)
    # last resort; the server was started with start_new_session=True so pid == pgid
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _pid_alive(pid):
        time.sleep(0.1)


def stop(port: int = DEFAULT_PORT, timeout: float = 60) -> bool:
    """Stop the server recorded for ``port``.

    Sends SIGTERM (the launcher then shuts the DBMS down cleanly), waits up to
    ``timeout`` seconds, SIGKILLs as a last resort, and removes the pidfile.
    Returns True if a running server was stopped, False if none was running.
    """
    data = _read_pidfile(port)
    if data is None:
        return False
    pid = int(data["pid"])
    running = _is_our_server(pid)
    if running:
        _terminate(pid, timeout)
        if _pid_alive(pid):
            raise Neo4jLaunchError(f"Neo4j (pid {pid}) on port {port} did not exit")
    _children.pop(pid, None)
    _pidfile(port).unlink(missing_ok=True)
    return running


def start(
    port: int = DEFAULT_PORT,
    data_dir: Path | None = None,
    timeout: float = 180,
) -> LocalNeo4j:
    """Start (or reuse) a local Neo4j server with Bolt on ``127.0.0.1:port``.

    ``data_dir`` is the DBMS home (store in ``data_dir/data``, debug log in
    ``data_dir/logs``); default ``<cache root>/data/port-<port>``. If a server
    recorded for ``port`` is already up it is returned unchanged (raises if it
    uses a different ``data_dir`` than the one asked for). Otherwise ``java`` is
    spawned detached and this waits until Bolt answers, raising
    :class:`Neo4jLaunchError` with the log tail if the process dies or
    ``timeout`` seconds pass (the process is then killed).
    """
    requested = data_dir.expanduser().resolve() if data_dir is not None else None
    with _file_lock(_run_dir() / f"neo4j-{port}.lock"):
        existing = _read_pidfile(port)
        if existing is not None:
            if _is_our_server(int(existing["pid"])):
                server = _from_record(existing)
                if requested is not None and server.data_dir.resolve() != requested:
                    raise Neo4jLaunchError(
                        f"a local Neo4j (pid {server.pid}) already runs on port {port} "
                        f"with data dir {server.data_dir}, not {requested}; stop it first"
                    )
                deadline = time.monotonic() + timeout
                while time.monotonic() < deadline:
                    if _bolt_answers(server.uri):
                        return server
                    if not _is_our_server(server.pid):
                        break
                    time.sleep(0.5)
                else:
                    raise Neo4jLaunchError(
                        f"local Neo4j (pid {server.pid}) on port {port} is running but Bolt "
                        f"does not answer; log tail ({server.log_path}):\n{_tail(server.log_path)}"
                    )
            _pidfile(port).unlink(missing_ok=True)

        if _port_in_use(port):
            raise Neo4jLaunchError(f"port {port} on 127.0.0.1 is already in use by another process")

        lib = fetch_jars()
        java = _java_executable()
        home = requested or _default_data_dir(port)
        home.mkdir(parents=True, exist_ok=True)
        log_path = _default_log_path(port)
        uri = f"bolt://127.0.0.1:{port}"
        java_opts = shlex.split(os.environ.get("STAKEGRAPH_NEO4J_JAVA_OPTS", DEFAULT_JAVA_OPTS))
        cmd = [
            java,
            *_FIXED_JAVA_OPTS,
            *java_opts,
            "-cp",
            f"{lib}{os.sep}*",
            str(LAUNCHER_PATH),
            "--home",
            str(home),
            "--bolt-port",
            str(port),
        ]
        with open(log_path, "wb") as log:
            log.write(f"# stakegraph: {shlex.join(cmd)}\n".encode())
            log.flush()
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=home,
                start_new_session=True,
                close_fds=True,
            )
        _children[proc.pid] = proc
        server = LocalNeo4j(uri=uri, port=port, pid=proc.pid, data_dir=home, log_path=log_path)
        record = {
            **{k: str(v) if isinstance(v, Path) else v for k, v in asdict(server).items()},
            "version": NEO4J_VERSION,
            "started_at": time.time(),
        }
        _write_pidfile(port, record)

        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                _children.pop(proc.pid, None)
                _pidfile(port).unlink(missing_ok=True)
                raise Neo4jLaunchError(
                    f"Neo4j exited with code {proc.returncode} during startup; "
                    f"log tail ({log_path}):\n{_tail(log_path)}"
                )
            if _log_has_ready(log_path) and _bolt_answers(uri):
                return server
            if time.monotonic() >= deadline:
                _terminate(proc.pid, 15)
                _children.pop(proc.pid, None)
                _pidfile(port).unlink(missing_ok=True)
                raise Neo4jLaunchError(
                    f"Neo4j did not answer on {uri} within {timeout:.0f}s (killed it); "
                    f"log tail ({log_path}):\n{_tail(log_path)}"
                )
            time.sleep(0.25)


def _log_has_ready(log_path: Path) -> bool:
    try:
        with open(log_path, "rb") as fh:
            return READY_MARKER.encode() in fh.read()
    except OSError:
        return False
