"""Shared fixtures. Tests never touch the network and never write into the repository."""

from __future__ import annotations

import os
import tempfile

import pytest

from analysis.run.kernel_fork import single_thread_blas

single_thread_blas()  # as `r57 run-all` does before numpy is imported: the kernel tests fork
# font subsets are cut afresh in every test session (and its kernels), never read from the user's cache
os.environ["R57_FONT_CACHE"] = tempfile.mkdtemp(prefix="r57-font-cache-")
# the recorded World Bank answers (tests/fixtures/wdi_api) cover 5 economies, not the ~200 of data/raw:
# a refresh from them would be refused as a coverage drop; tests of that refusal set the share themselves
os.environ["R57_MAX_COVERAGE_DROP"] = "1"

from analysis.reports import params  # noqa: E402 - after the BLAS setting above
from analysis.reports.rd_paths import RdData  # noqa: E402


@pytest.fixture(scope="session")
def rd_data() -> RdData:
    return RdData.load()


@pytest.fixture()
def rd_defaults() -> dict:
    return params.validate("rd_paths", {})
