#!/usr/bin/env bash
# Run Headroom: sets up .venv on first use, then serves the app on http://localhost:8501.
# With no official files and no network it starts on the illustrative demo data. Official returns placed in
# $HEADROOM_OFFICIAL_DIR (default data/official/) are imported at start. Extra arguments go to streamlit.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/streamlit ]; then
  python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements.txt
fi
exec .venv/bin/streamlit run app.py "$@"
