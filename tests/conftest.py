"""Shared fixtures. Tests never touch the network and never write into the repository."""

from __future__ import annotations

import os
import tempfile

import pytest

from analysis.run.kernel import single_thread_blas

single_thread_blas()  # as `r57 run-all` does before numpy is imported: kernels run side by side
# font subsets are cut afresh in every test session (and its kernels), never read from the user's cache
os.environ["R57_FONT_CACHE"] = tempfile.mkdtemp(prefix="r57-font-cache-")

from analysis.reports import params  # noqa: E402 - after the BLAS setting above
from analysis.reports.rd_paths import RdData  # noqa: E402


@pytest.fixture(scope="session")
def rd_data() -> RdData:
    return RdData.load()


@pytest.fixture()
def rd_defaults() -> dict:
    return params.validate("rd_paths", {})
