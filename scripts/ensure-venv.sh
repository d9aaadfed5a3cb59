#!/bin/sh
# Create .venv with the project and its test tools installed (only called when pyproject changed).
#
# The interpreter: $PYTHON when given (make PYTHON=/path/to/python3.11), else the operating
# system's own python3 when it is 3.11 or newer and can make a virtual environment, else the
# python3 found first on PATH. A distribution builds its Python with profile-guided and link-time
# optimisation into one executable; a plain build from source (pyenv's, by default) runs Python
# code about a quarter slower, and a cold report build 9 % slower (measured, make bench).
# A .venv made from another interpreter than the one chosen is made anew.
set -eu
new_enough() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
if [ -z "${PYTHON:-}" ]; then
  for candidate in /usr/bin/python3 python3; do
    if new_enough "$candidate" && "$candidate" -c 'import ensurepip, venv' 2>/dev/null; then
      PYTHON=$candidate
      break
    fi
  done
  PYTHON=${PYTHON:-python3}
fi
if ! new_enough "$PYTHON"; then
  echo "jixi-report needs Python 3.11 or newer as '$PYTHON'; install it or run make PYTHON=/path/to/python3.11." >&2
  exit 1
fi
base() { "$1" -c 'import os, sys; print(os.path.realpath(getattr(sys, "_base_executable", sys.executable)))' 2>/dev/null || true; }
if [ -x .venv/bin/python ] && [ "$(base .venv/bin/python)" != "$(base "$PYTHON")" ]; then
  echo "Making .venv anew with $PYTHON"
  rm -rf .venv
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv || {
    echo "Could not create a virtual environment: install the venv module (Debian: apt-get install python3-venv)." >&2
    exit 1
  }
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
