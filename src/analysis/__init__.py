"""r57: analytical notebooks on Viet Nam's Resolution 57-NQ/TW targets.

Pure, tested functions live in this package; the notebooks in ``notebooks/``
only orchestrate, narrate and plot.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("r57")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
