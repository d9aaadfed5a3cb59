#!/bin/sh
# Create .venv with the project and its test tools installed (only called when pyproject changed).
set -eu
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "jixi-report needs Python 3.11 or newer as '$PYTHON'; install it or run make PYTHON=/path/to/python3.11." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv || {
    echo "Could not create a virtual environment: install the venv module (Debian: apt-get install python3-venv)." >&2
    exit 1
  }
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
