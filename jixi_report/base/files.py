"""Write outputs so that a failed build leaves the previous files intact: all or none.

Every file is first written in full beside its target; only when all are written are they moved
into place, and if one of those moves fails the ones already moved are put back. A full disk, a
folder that cannot be written or a folder where a file should be is one clear message, never a
mixed set of old and new outputs. Temporary files a killed build left behind are swept up.
"""

from __future__ import annotations

import errno
import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import BuildError

_OURS = re.compile(r"\.(\d+)\.[^.]+\.tmp\Z")  # .plan.pdf.<pid>.<random>.tmp


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """One build at a time into `folder`: a second waits for the first (two builds of different
    data into one folder would otherwise mix one's text with the other's charts)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / ".lock", "a+b")
    except OSError as exc:
        raise BuildError(f"cannot write {folder}: {_reason(exc)}") from exc
    with handle:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; one build at a time is the user's
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_record(path: Path) -> Any:
    """A small JSON record a build keeps (a cache's keys, what was built), or None when it is
    missing or unreadable: a damaged record costs a rebuild, never the build."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def atomic_bytes(target: Path, data: bytes) -> None:
    write_all({target: data})


def write_all(outputs: dict[Path, bytes]) -> None:
    """Write every file beside its target, then move them all into place, or none."""
    temps: list[tuple[Path, Path]] = []
    try:
        for target, data in outputs.items():
            if target.is_dir():
                raise BuildError(f"cannot write {target}: a folder of that name is in the way")
            temps.append((_write_beside(target, data), target))
        _move_all(temps)
    finally:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)


def _write_beside(target: Path, data: bytes) -> Path:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        sweep(target.parent)
        prefix = f".{target.name}.{os.getpid()}."  # the pid tells a sweep whose file it is
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise BuildError(f"cannot write {target}: {_reason(exc)}") from exc
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's 0600 would hide outputs from colleagues
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BuildError(f"cannot write {target}: {_reason(exc)}") from exc
    return tmp


def _move_all(temps: list[tuple[Path, Path]]) -> None:
    """Move each file into place; on a failure, put back what was there before."""
    saved: list[tuple[Path, Path | None]] = []  # target, its previous version (None: new)
    try:
        for tmp, target in temps:
            previous = None
            if target.exists():
                previous = target.with_name(f".{target.name}.{os.getpid()}.previous.tmp")
                previous.unlink(missing_ok=True)
                os.replace(target, previous)
            saved.append((target, previous))
            os.replace(tmp, target)
    except OSError as exc:
        for target, previous in reversed(saved):
            if previous is not None:
                os.replace(previous, target)
            else:
                target.unlink(missing_ok=True)
        target = saved[-1][0] if saved else temps[0][1]
        if isinstance(exc, PermissionError) and os.name == "nt":  # Word or WPS holds it open
            raise BuildError(f"cannot replace {target}: close {target.name} and try again") from exc
        raise BuildError(f"cannot write {target}: {_reason(exc)}") from exc
    for _, previous in saved:
        if previous is not None:
            previous.unlink(missing_ok=True)


def sweep(folder: Path) -> None:
    """Remove temporary files that a killed build left in `folder` (its process is gone)."""
    try:
        for path in folder.glob(".*.tmp"):
            found = _OURS.search(path.name)
            if found and not _alive(int(found[1])):
                path.unlink(missing_ok=True)
    except OSError:
        pass  # a folder we cannot list or clean is reported when we write to it


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process: not ours to judge
    return True


def _reason(exc: OSError) -> str:
    """The cause in the user's terms."""
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "no permission to write there"
    return exc.strerror or str(exc)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
