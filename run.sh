#!/usr/bin/env bash
# Run Headroom: sets up .venv on first use, then serves the app on http://localhost:8501.
# With no official files and no network it starts on the illustrative demo data. Official returns placed in
# $HEADROOM_OFFICIAL_DIR (default data/official/) are imported at start; HEADROOM_DEFAULT_AUTHORITY (an ONS code)
# is the council a visit opens on (README). Extra arguments go to streamlit.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/streamlit ]; then
  python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements.txt
fi
# FORWARDED_ALLOW_IPS empty: uvicorn (under Streamlit) then never replaces a connection's address with one named in
# its X-Forwarded-For header, so a trusted proxy's header is honoured only from the proxy's own address
# (finance/auth.py refuses proxy sign-in on a server started otherwise).
FORWARDED_ALLOW_IPS= exec .venv/bin/streamlit run app.py "$@"
