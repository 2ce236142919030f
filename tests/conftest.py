"""Shared fixtures. Tests never touch the network and never write into the repository."""

from __future__ import annotations

import pytest

from analysis.run.kernel_fork import single_thread_blas

single_thread_blas()  # as `r57 run-all` does before numpy is imported: the kernel tests fork

from analysis.reports import params  # noqa: E402 - after the BLAS setting above
from analysis.reports.rd_paths import RdData  # noqa: E402


@pytest.fixture(scope="session")
def rd_data() -> RdData:
    return RdData.load()


@pytest.fixture()
def rd_defaults() -> dict:
    return params.validate("rd_paths", {})
