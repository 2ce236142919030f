"""`r57 data refresh` against recorded World Bank API responses; nothing here touches the network."""

from __future__ import annotations

import hashlib
import re
import shutil
import urllib.error
from pathlib import Path

import pytest
import yaml

from analysis import datasets, paths
from analysis.manifest import read_manifest
from analysis.refresh import REFRESHED_FILES, RefreshError, refresh

FIXTURES = Path(__file__).parent / "fixtures" / "wdi_api"


def recorded(url: str) -> bytes:
    m = re.search(r"indicator/([A-Z0-9.]+)\?.*page=(\d+)", url)
    assert m, url
    return (FIXTURES / f"{m.group(1)}_page{m.group(2)}.json").read_bytes()


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def data_copy(tmp_path) -> Path:
    dst = tmp_path / "data" / "raw"
    shutil.copytree(paths.RAW_DATA_DIR, dst)
    return dst


def test_refresh_writes_tidy_files_updates_the_manifest_and_keeps_the_old_vintage(data_copy, tmp_path):
    archive = tmp_path / "data" / "archive"
    old_manifest = read_manifest(data_copy / "manifest.yaml")
    out = refresh(recorded, data_copy, archive, log=lambda *_: None)
    assert set(out) == set(REFRESHED_FILES) and all(v.startswith("updated") for v in out.values())
    # new vintage: valid, smaller (the recordings hold four entities), manifest says where it came from
    assert datasets.verify_all(data_copy) == []
    new = read_manifest(data_copy / "manifest.yaml")
    assert new.version != old_manifest.version
    e = new.entry("wdi_gerd_pct_gdp.csv")
    assert e["edition"] == "WDI API, Last Updated Date 2026-07-13" and e["built_by"] == "analysis.refresh"
    gerd = datasets.load("wdi_gerd_pct_gdp", data_copy)
    assert set(gerd["entity"]) == {"VNM", "KOR", "THA", "WLD"}  # no ISO3-less aggregate, no empty cell
    assert gerd[(gerd.entity == "VNM") & (gerd.year == 2023)]["value"].iloc[0] == pytest.approx(0.41456)
    assert len(gerd[gerd.entity == "VNM"]) == 5  # both pages were read: 2015, 2017, 2019, 2021, 2023
    # files not refreshed are untouched
    assert new.entry("vn_gdp.csv")["sha256"] == old_manifest.entry("vn_gdp.csv")["sha256"]
    # the previous vintage is kept whole and still loads: reports can be regenerated on it
    kept = archive / old_manifest.version
    assert (kept / "manifest.yaml").exists() and yaml.safe_load((kept / "ARCHIVED.yaml").read_text())["files_replaced"]
    assert datasets.verify_all(kept) == []
    assert len(datasets.load("wdi_gerd_pct_gdp", kept)["entity"].unique()) > 100


def test_second_refresh_with_the_same_answers_changes_nothing(data_copy, tmp_path):
    archive = tmp_path / "archive"
    refresh(recorded, data_copy, archive, log=lambda *_: None)
    before = tree_digest(data_copy)
    out = refresh(recorded, data_copy, archive, log=lambda *_: None)
    assert all(v.startswith("unchanged") for v in out.values())
    assert tree_digest(data_copy) == before and len(list(archive.iterdir())) == 1


def test_without_network_it_fails_clearly_and_changes_nothing(data_copy, tmp_path):
    def offline(url: str) -> bytes:
        raise urllib.error.URLError("[Errno -2] Name or service not known")

    before = tree_digest(data_copy)
    with pytest.raises(RefreshError, match="cannot reach the World Bank API.*nothing was changed"):
        refresh(offline, data_copy, tmp_path / "archive", log=lambda *_: None)
    assert tree_digest(data_copy) == before and not (tmp_path / "archive").exists()


def test_an_api_error_midway_changes_nothing(data_copy, tmp_path):
    def flaky(url: str) -> bytes:
        if "NY.GDP.PCAP.CD" in url:
            return b'[{"message":[{"id":"120","key":"Invalid value","value":"The provided parameter value is not valid"}]}]'
        return recorded(url)

    before = tree_digest(data_copy)
    with pytest.raises(RefreshError, match="NY.GDP.PCAP.CD.*Invalid value"):
        refresh(flaky, data_copy, tmp_path / "archive", log=lambda *_: None)
    assert tree_digest(data_copy) == before


def test_cli_reports_no_network(monkeypatch, capsys):
    from analysis import cli, refresh as refresh_module

    def offline(url: str, timeout_s: float = 30.0) -> bytes:
        raise urllib.error.URLError("no route")

    monkeypatch.setattr(refresh_module, "http_fetch", offline)
    monkeypatch.setattr(refresh_module.refresh, "__defaults__", (offline, None, None, print))
    before = tree_digest(paths.RAW_DATA_DIR)
    assert cli.main(["data", "refresh"]) == 1
    assert "cannot reach the World Bank API" in capsys.readouterr().err
    assert tree_digest(paths.RAW_DATA_DIR) == before
