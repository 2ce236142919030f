"""Reports: parameter specifications, the registry of reports, one module per report, rendering, provenance.

Imports ``analysis.models`` and below, never ``run``.
"""
