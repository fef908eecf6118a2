"""Headroom's domain and data layer.

Everything that computes or stores a figure lives here, so that the Streamlit pages, the CLI, the tests and the
benchmarks all get the same numbers from the same code. This package never imports streamlit (a test and a ruff
rule enforce it): pages read widgets, call into `finance`, and render what comes back.
"""
