"""r57: analytical notebooks on Viet Nam's Resolution 57-NQ/TW targets.

The Python API (:mod:`analysis.api`: ``from analysis import rd_paths, sweep, load_data, report``, and
``feasibility``, ``rankings``, ``targets``: the other reports' figures without a kernel) loads on first use,
so ``import analysis`` stays cheap.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("r57")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

API = ("rd_paths", "sweep", "load_data", "report", "feasibility", "rankings", "targets")
__all__ = ["__version__", *API]


def __getattr__(name: str):
    """``analysis.rd_paths`` etc.: the API module is imported on first use (pandas, the engine, the runner)."""
    if name in API:
        from analysis import api

        return getattr(api, name)
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *API])
