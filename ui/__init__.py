"""Streamlit glue shared by app.py and the pages: the cached store, the sidebar selection, and rendering helpers.

Kept out of `finance/` because it imports streamlit; kept out of `pages/` so each page stays a thin script.
"""
