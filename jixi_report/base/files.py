"""Write outputs so that a failed build leaves the previous files intact."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import BuildError


def atomic_bytes(target: Path, data: bytes) -> None:
    write_all({target: data})


def write_all(outputs: dict[Path, bytes]) -> None:
    """Write every file beside its target first, then move them all into place."""
    temps: list[tuple[Path, Path]] = []
    try:
        for target, data in outputs.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            temps.append((Path(tmp), target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's 0600 would hide outputs from colleagues
        for tmp, target in temps:
            _replace(tmp, target)
    finally:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _replace(tmp: Path, target: Path) -> None:
    try:
        os.replace(tmp, target)
    except PermissionError as exc:  # Windows: Word or WPS holds the file open
        raise BuildError(f"cannot replace {target}: close {target.name} and try again") from exc
