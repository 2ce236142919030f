"""Shared fixtures. Tests never touch the network and never write into the repository."""

from __future__ import annotations

import pytest

from analysis import params
from analysis.rd_scenario import RdData


@pytest.fixture(scope="session")
def rd_data() -> RdData:
    return RdData.load()


@pytest.fixture()
def rd_defaults() -> dict:
    return params.validate("rd_paths", {})
