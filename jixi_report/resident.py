"""A resident build process: the pipeline loaded once, every later build forked from it.

A build spends half a second before its first page is laid out (Python starts, WeasyPrint
and its fonts load) and a report another half in each worker importing matplotlib. An office
rebuilding a chapter dozens of times a day pays that each time. So a build run from the
command line, once WeasyPrint is warm and before it reads any content, forks a server that
stays behind on a Unix socket of the user's own (mode 0700). A later `jixi-report plan`,
`report` or `build` hands the server its arguments, working folder, environment and terminal
(stdin, stdout and stderr, passed as file descriptors), and the server forks a child, warm from
its first instruction, that runs the command as the command line would: the same lines on the
same terminal, the same exit code; Ctrl-C interrupts it as it would a local build.

Nothing of one build stays behind for the next: each runs in a fork of its own, and the server
never reads content, so a build through it writes the same bytes as one without it. The
socket is named by a digest of the code, the templates and the installed packages, so a
changed program or house style never reaches an old server; a font installed or removed since
the server started is noticed and the build runs afresh. A server ends after IDLE seconds
without a build. `JIXI_SERVER=0` builds in the calling process and starts no server.
Standard library only: the client's side must cost milliseconds.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import select
import signal
import socket
import struct
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .outputs import PACKAGE, TEMPLATES

IDLE = 900.0  # seconds a server waits for a build before it ends
SERVED = ("plan", "report", "build")  # the commands worth handing over: they lay out pages
_HEADER = struct.Struct("!I")  # the request's length, sent with the three descriptors
_STALE = 75  # the child's exit code for "this server is stale: build it yourself"


def enabled() -> bool:
    """A server can be used here: asked for (the default), Unix with descriptor passing."""
    return (
        os.environ.get("JIXI_SERVER", "1") != "0"
        and hasattr(os, "fork")
        and hasattr(socket, "send_fds")
        and hasattr(socket, "AF_UNIX")
    )


def _folder() -> Path | None:
    """The user's own folder for sockets, made 0700; None when it is not safely ours."""
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    folder = Path(base) / f"jixi-report-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None  # made by someone else, or open to others: not a place to take orders from
    return folder


def _digest() -> str:
    """What a server's loaded code is: the package, the templates, Python and its packages
    (a package installed or upgraded changes the folder's entries and so its time)."""
    digest = hashlib.sha256(sys.executable.encode() + b"\0" + sys.version.encode())
    purelib = Path(sysconfig.get_paths()["purelib"])
    try:
        digest.update(str(purelib.stat().st_mtime_ns).encode())
    except OSError:
        pass
    files = sorted(PACKAGE.rglob("*.py")) + sorted(p for p in TEMPLATES.rglob("*") if p.is_file())
    for path in files:
        digest.update(path.relative_to(PACKAGE.parent).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


def _install() -> str:
    """This installation (its Python and its package folder), apart from its code's state."""
    where = f"{sys.executable}\0{PACKAGE}".encode()
    return hashlib.sha256(where).hexdigest()[:8]


def _address() -> Path | None:
    """`<installation>-<code>.sock`: a server answers only for the code it has loaded."""
    folder = _folder()
    return folder / f"{_install()}-{_digest()}.sock" if folder is not None else None


# ---------------------------------------------------------------- the calling side


def hand_over(argv: list[str]) -> int | None:
    """Run the command in a server, if one is up for this code; its exit code, or None when
    there is none (or it could not take the build) and the caller must build itself."""
    address = _address()
    if address is None or not address.exists():
        return None
    request = {
        "argv": argv,
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "encoding": [sys.stdout.encoding, sys.stderr.encoding],
    }
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    try:
        with _send(address, request) as client:
            return _answer(client)
    except OSError:
        return None  # a server that went away: build here


def stop() -> bool:
    """End the server for this code, if one is up (tests, and a font folder replaced in
    place); True if there was one."""
    address = _address()
    if address is None or not address.exists():
        return False
    try:
        with _send(address, {"stop": True}) as client:
            return client.makefile("r", encoding="ascii").readline().strip() == "stopped"
    except OSError:
        return False


def _send(address: Path, request: dict) -> socket.socket:
    """Connect and send a request with this process's stdin, stdout and stderr."""
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect(str(address))
        data = json.dumps(request).encode("utf-8")
        socket.send_fds(client, [_HEADER.pack(len(data))], [0, 1, 2])
        client.sendall(data)
    except OSError:
        client.close()
        raise
    return client


def _answer(client: socket.socket) -> int | None:
    """Wait for the child's exit code; Ctrl-C here is passed on to the child."""
    reader = client.makefile("r", encoding="ascii")
    first = reader.readline().split()
    if len(first) != 2 or first[0] != "pid":
        return None
    child = int(first[1])
    while True:
        try:
            line = reader.readline().split()
            break
        except KeyboardInterrupt:
            try:
                os.kill(child, signal.SIGINT)  # the child reports the interruption itself
            except OSError:
                return 130
    if len(line) != 2 or line[0] != "exit":
        print("jixi-report: the build server ended without an answer", file=sys.stderr)
        return 70
    code = int(line[1])
    return None if code == _STALE else code


# ---------------------------------------------------------------- the server side


def start(command: Callable[[list[str]], int]) -> None:
    """Leave a server behind this process, in the state it is in now (WeasyPrint loaded,
    no content read), that runs `command` (the command line's main) for each build handed to
    it: fork twice, so the server belongs to no terminal and no one waits for it. A server
    already up for this code, or no safe folder: nothing is done."""
    address = _address()
    if address is None or _answers(address):
        return
    parent = os.getpid()
    first = os.fork()
    if first:
        os.waitpid(first, 0)
        return
    try:
        os.setsid()
        if os.fork():
            os._exit(0)
        _detach()
        _serve(address, parent, command)
    finally:
        os._exit(0)


def _answers(address: Path) -> bool:
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(str(address))
        return True
    except OSError:
        return False
    finally:
        probe.close()


def _detach() -> None:
    """The terminal's or the caller's pipes must not be held open by the server (a caller
    reading the build's output to its end would wait for the server to end)."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:  # Linux: `ps -o comm`, top and pgrep see what it is, not the command that left it
        import ctypes

        ctypes.CDLL(None).prctl(15, b"jixi-report-srv", 0, 0, 0)  # PR_SET_NAME
    except (OSError, AttributeError):
        pass


def _serve(address: Path, parent: int, command: Callable[[list[str]], int]) -> None:
    gc.enable()  # the build that left the server may have turned it off: each child decides
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(str(address))
    except OSError:
        if _answers(address):
            return  # another build started one meanwhile
        address.unlink(missing_ok=True)  # a server that died and left its socket
        listener.bind(str(address))
    listener.listen(16)
    signal.signal(signal.SIGTERM, _end)  # a stale server is told to end: its socket goes too
    _stop_older(address)
    fonts = _fonts_now()
    warmed, last = False, time.monotonic()
    try:
        while time.monotonic() - last < IDLE:
            _reap()
            if not warmed and not _alive(parent):  # its build is over: the cores are free
                _warm_more()
                warmed = True
            ready, _, _ = select.select([listener], [], [], 0.2)
            if ready:
                connection, _ = listener.accept()
                _fork_build(connection, listener, fonts, command)
                last = time.monotonic()
    finally:
        address.unlink(missing_ok=True)
        listener.close()


def _stop_older(address: Path) -> None:
    """End this installation's servers for code it no longer has (an edit, an upgrade):
    nothing would hand them a build again, and each holds a warm pipeline in memory."""
    for older in address.parent.glob(f"{_install()}-*.sock"):
        if older != address:
            try:
                with _send(older, {"stop": True}) as client:
                    client.makefile("r", encoding="ascii").readline()
            except OSError:
                older.unlink(missing_ok=True)  # one that died and left its socket


def _end(_signum: int, _frame: object) -> None:
    raise SystemExit(0)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def _reap() -> None:
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def _warm_more() -> None:
    """What a report's build loads after WeasyPrint: the rest of the pipeline, matplotlib
    and the charts' font, a chart drawn and a page in every face laid out (what each of a
    build's workers would otherwise load before its first chart and part). Done once the build
    that started the server has ended."""
    import concurrent.futures.process  # noqa: F401  (the build's workers)
    import multiprocessing.synchronize  # noqa: F401
    import xml.dom.minidom  # noqa: F401  (python-docx's templates)

    import pypdf  # noqa: F401  (the merge)

    from .build import document  # noqa: F401  (the pipeline)
    from .compose.charts import cache, draw, output  # noqa: F401
    from .compose.report import report_context  # noqa: F401
    from .writers import docx, html, pdf_cache, pdf_merge, pdf_parts  # noqa: F401
    from .writers.pdf import warm_every_face

    try:
        output.register_font()
        output.warm()
        warm_every_face()
    except Exception:  # the build will say what is wrong, in its own words
        pass
    gc.freeze()  # all of it out of the collector's passes in every build forked from here


def _fonts_now() -> str:
    from .writers.font_files import installed

    return installed()


def _fork_build(
    connection: socket.socket,
    listener: socket.socket,
    fonts: str,
    command: Callable[[list[str]], int],
) -> None:
    try:
        message, fds, _flags, _addr = socket.recv_fds(connection, _HEADER.size, 3)
        if len(message) != _HEADER.size or len(fds) != 3:
            raise OSError("a malformed request")
        (length,) = _HEADER.unpack(message)
        data = b""
        while len(data) < length:
            chunk = connection.recv(length - len(data))
            if not chunk:
                raise OSError("the request ended early")
            data += chunk
        request = json.loads(data.decode("utf-8"))
    except (OSError, ValueError):
        connection.close()
        return
    if request.get("stop"):
        for fd in fds:
            os.close(fd)
        connection.sendall(b"stopped\n")
        connection.close()
        raise SystemExit(0)
    child = os.fork()
    if child:
        for fd in fds:
            os.close(fd)
        connection.close()
        return
    code = 70
    try:
        listener.close()
        connection.sendall(f"pid {os.getpid()}\n".encode("ascii"))
        code = _run(request, fds, fonts, command)
    finally:
        try:
            connection.sendall(f"exit {code}\n".encode("ascii"))
        finally:
            os._exit(code)


def _run(request: dict, fds: list[int], fonts: str, command: Callable[[list[str]], int]) -> int:
    """In the forked child: become the caller's process (folder, environment, terminal) and
    run its command line."""
    for fd, target in zip(fds, (0, 1, 2), strict=True):
        os.dup2(fd, target)
        os.close(fd)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()
    out_encoding, err_encoding = request["encoding"]
    sys.stdout.reconfigure(encoding=out_encoding, line_buffering=True)
    sys.stderr.reconfigure(encoding=err_encoding, line_buffering=True)
    from .writers import font_files

    for cached in (font_files.installed, font_files._fontconfig_faces):
        cached.cache_clear()
    if font_files.installed() != fonts:  # a font installed or removed since the server began
        os.kill(os.getppid(), signal.SIGTERM)
        return _STALE
    from .build import ends_with_its_command

    ends_with_its_command(next(iter(request["argv"]), ""))  # this child ends with it
    try:
        return command(list(request["argv"]))
    except SystemExit as exc:  # argparse's usage errors
        return exc.code if isinstance(exc.code, int) else 2
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
