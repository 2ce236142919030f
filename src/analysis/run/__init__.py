"""Run: papermill runner, run-all, run records and locks, the catalogue, the site, kernels, sweeps.

Imports ``analysis.reports`` and below.
"""
