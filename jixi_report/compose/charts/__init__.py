"""The report's charts: what each shows (`specs`), drawn (`draw`, `output`) only when that
changed (`cache`).

matplotlib reads MPLCONFIGDIR when it is first imported, so it is set here, before any module
of this package can import it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path


def _config_dir() -> str:
    """A lasting place for matplotlib's font cache (rebuilding it costs 0.3 s a run); a
    temporary one when the user cache cannot be written, so a read-only home still builds."""
    lasting = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "jixi-report"
    try:
        (lasting / "matplotlib").mkdir(parents=True, exist_ok=True)
        return str(lasting / "matplotlib")
    except OSError:
        temporary = tempfile.mkdtemp(prefix="jixi-report-mpl-")
        atexit.register(shutil.rmtree, temporary, ignore_errors=True)
        return temporary


if not os.environ.get("MPLCONFIGDIR"):
    os.environ["MPLCONFIGDIR"] = _config_dir()
