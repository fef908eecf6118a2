"""The audit committee's view (issue 5): overview cards with RAG rules and a plain-English summary, and the
in-year monitoring, income collection, DSG, reserves nowcast and methodology pages' contents.

Each page's content is built by one function here (`overview.build`, `monitoring_view.build`, …) so the pages stay
thin scripts and every figure is computed once; the RAG thresholds live only in `finance.committee.rag`.
"""
