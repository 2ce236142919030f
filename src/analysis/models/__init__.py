"""Models: pure computations on pandas/numpy objects (paths, R&D model, engine, simulations, rankings).

Imports ``analysis.data`` and below, never ``reports`` or ``run``.
"""
