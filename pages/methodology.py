"""Methodology: every figure and RAG rule of the committee pages in plain words, with its source, and the files
behind the figures (name, sha256, release note, when loaded). The view is `finance.committee.methodology_view`'s;
this page only draws it."""

from __future__ import annotations

import streamlit as st

from finance.committee import methodology_view
from ui.cache import view
from ui.context import current_authority
from ui.render import downloads, show_error, show_table
from ui.shell import require_shell

require_shell()
code = current_authority()
page = view(methodology_view, code)

st.title("Methodology")
st.markdown(
    "How every figure on the committee pages is worked out, and the rule that rates each overview card red, amber "
    "or green. The thresholds are Headroom's stated conventions — there are no statutory limits — chosen to flag "
    "what finance officers and auditors commonly treat as warning signs. A status is always written as a word and "
    "a symbol (✖ Red, ▲ Amber, ✔ Green), never shown by colour alone."
)

st.header("RAG rules")
rules = page.rules
show_table(rules, key="me_rules")
downloads(rules, "rag-rules", key="me_rules_dl")

st.header("Definitions")
definitions = page.definitions
show_table(definitions, key="me_defs")
downloads(definitions, "definitions", key="me_defs_dl")

st.header("Official returns: like for like")
st.markdown(
    "Figures from the government's returns — outturn (RS) or, where no outturn is held, the budget estimate "
    "(RA) — follow these rules on every page, table, chart, download and pack section."
)
rules_official = page.official_rules
show_table(rules_official, key="me_official_rules")

st.header("Resilience indicators")
st.caption("CIPFA-style indicators on the Resilience profile page: each stands alone, no composite score.")
indicators = page.indicators
show_table(indicators, key="me_indicators")
downloads(indicators, "resilience-indicators", key="me_indicators_dl")

st.header("Where the data came from")
if code is None:
    st.info("Choose an authority in the sidebar to see the files behind its figures.")
    st.stop()
if page.refusal is not None or page.files is None or page.uploads is None:
    if page.refusal is not None:
        show_error(page.refusal)
    st.stop()
files, uploads = page.files, page.uploads
st.subheader("Official returns (or the illustrative dataset)")
show_table(files, key="me_files")
downloads(files, f"sources-{code}", key="me_files_dl")
st.subheader("Monthly monitoring uploads")
if uploads.empty:
    st.info("No monitoring uploaded yet — upload on the Upload monitoring page.")
else:
    show_table(uploads, key="me_uploads")
    downloads(uploads, f"monitoring-uploads-{code}", key="me_uploads_dl")
st.markdown(page.attribution_md)
