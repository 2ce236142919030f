"""Run: papermill runner, run-all, run records and locks, the catalogue, the site, kernels.

Imports ``analysis.reports`` and below.
"""
