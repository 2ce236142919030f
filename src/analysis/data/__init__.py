"""Data: schemas, the manifest, validated loaders, observed series, WDI client, refresh, the builders of data/raw.

Imports only ``analysis.paths`` and ``analysis.errors`` from the package.
"""
