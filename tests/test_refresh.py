"""`r57 data refresh` against recorded World Bank API responses; nothing here touches the network."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
import urllib.error
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis import paths
from analysis.data import datasets
from analysis.data.manifest import REFRESHED_BY, SOURCE_FIELDS, read_manifest
from analysis.data.refresh import (
    PANELS,
    VN_ROWS,
    RefreshError,
    derived_gerd_vnd,
    http_fetch,
    live_sources,
    next_version,
    parse_api_pages,
    parse_countries,
    recorded_fetch,
    recorded_name,
    refresh,
)
from analysis.data.review import build_reviewed
from analysis.data.wdi import WDI_AGGREGATE_CODES, aggregate_codes
from analysis.errors import DataError

FIXTURES = Path(__file__).parent / "fixtures" / "wdi_api"
recorded = recorded_fetch(FIXTURES)
quiet = dict(log=lambda *_: None)


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture()
def data_copy(tmp_path) -> Path:
    dst = tmp_path / "data" / "raw"
    shutil.copytree(paths.RAW_DATA_DIR, dst)
    return dst


def successors(version: str, kind: str, since: date) -> set[str]:
    """The version a ``kind`` of data state after ``version`` gets when made between ``since`` and now (past
    midnight: today's): by :func:`next_version`, whose rule the known answers below hold."""
    return {next_version(version, day.isoformat(), kind) for day in (since, date.today())}


def test_every_request_has_a_recording_in_the_apis_layout():
    for f in FIXTURES.glob("*.json"):
        doc = json.loads(f.read_text())
        assert isinstance(doc, list) and len(doc) == 2 and {"page", "pages", "total"} <= set(doc[0]), f.name
        assert doc[0]["total"] >= len(doc[1]) > 0
    # every refreshed dataset has its recordings (the name scheme is the request's path)
    for code in PANELS.values():
        assert (FIXTURES / f"country_all_indicator_{code}_page1.json").exists()
    for specs in VN_ROWS.values():
        for s in specs:
            assert (FIXTURES / f"country_VNM_indicator_{s.code}_page1.json").exists()
    assert (
        recorded_name("https://api.worldbank.org/v2/country?format=json&per_page=1000&page=3") == "country_page3.json"
    )


def test_refresh_writes_every_refreshed_dataset_updates_the_manifest_and_keeps_the_old_vintage(data_copy, tmp_path):
    archive = tmp_path / "data" / "archive"
    old_manifest = read_manifest(data_copy / "manifest.yaml")
    old_gdp = datasets.load("vn_gdp", data_copy)
    out = refresh(recorded, data_copy, **quiet)
    assert set(PANELS) | set(VN_ROWS) <= set(out)
    assert all(out[f].startswith("updated") for f in list(PANELS) + list(VN_ROWS))
    assert datasets.verify_all(data_copy) == []
    new = read_manifest(data_copy / "manifest.yaml")
    assert new.version != old_manifest.version
    e = new.entry("wdi_gerd_pct_gdp.csv")
    assert e["edition"] == "WDI API, Last Updated Date 2026-07-13" and e["built_by"] == "analysis.data.refresh"
    # panels: the recordings hold five entities; empty cells dropped; both pages read
    gerd = datasets.load("wdi_gerd_pct_gdp", data_copy)
    assert set(gerd["entity"]) == {"VNM", "KOR", "THA", "EAS", "WLD"}
    assert gerd[(gerd.entity == "VNM") & (gerd.year == 2023)]["value"].iloc[0] == pytest.approx(0.41456)
    assert sorted(gerd[gerd.entity == "VNM"]["year"]) == [2015, 2017, 2019, 2021, 2023]  # 2016 etc. are null
    # the R&D report's series: World Bank rows replaced (GDP in VND scaled to billions), compiled rows kept
    gdp = datasets.load("vn_gdp", data_copy)
    wb = gdp[(gdp.indicator == "gdp_vnd_bn") & (gdp.source == "World Bank WDI NY.GDP.MKTP.CN")]
    assert wb["source_detail"].eq("WDI API v2, Last Updated Date 2026-07-13").all()
    assert wb.set_index("year").loc[2002, "value"] == pytest.approx(535762)  # recorded 5.35762e14 VND
    gso_old = old_gdp[old_gdp.source.str.startswith("General Statistics")]
    gso_new = gdp[gdp.source.str.startswith("General Statistics")]
    pd.testing.assert_frame_equal(gso_old.reset_index(drop=True), gso_new.reset_index(drop=True))
    assert len(gdp) == len(old_gdp)
    rd = datasets.load("vn_gerd", data_copy)
    derived = rd[rd.value_type == "derived"].set_index("year")
    assert derived.loc[2002, "value"] == 1033  # 0.19273 / 100 x 535,762 = 1,032.6
    assert rd[rd.indicator == "gerd_pct_gdp_ministry"].shape[0] == 5  # ministry rows untouched
    # aggregates from the API's country list, recorded in the manifest and read back
    assert e["aggregates"] == ["EAS", "WLD"] and aggregate_codes(data_copy) == {"EAS", "WLD"}
    # files not refreshed are untouched
    assert new.entry("rank_gii.csv")["sha256"] == old_manifest.entry("rank_gii.csv")["sha256"]
    # the previous vintage is kept whole and still loads: reports can be regenerated on it
    kept = archive / old_manifest.version
    assert yaml.safe_load((kept / "ARCHIVED.yaml").read_text())["files_replaced"]
    assert datasets.verify_all(kept) == []
    assert len(datasets.load("wdi_gerd_pct_gdp", kept)["entity"].unique()) > 100


def test_second_refresh_with_the_same_answers_changes_nothing(data_copy, tmp_path):
    refresh(recorded, data_copy, **quiet)
    before = tree_digest(data_copy)
    out = refresh(recorded, data_copy, **quiet)
    assert all(v.startswith("unchanged") for v in out.values())
    assert tree_digest(data_copy) == before and len(list((tmp_path / "data" / "archive").iterdir())) == 1


def test_archives_never_overwrite_each_other(data_copy, tmp_path):
    refresh(recorded, data_copy, **quiet)
    first = read_manifest(data_copy / "manifest.yaml").version

    def newer(url: str) -> bytes:  # the same answers, one value revised
        body = recorded(url)
        if "country_all_indicator_NY.GDP.PCAP.CD" in recorded_name(url):
            doc = json.loads(body)
            doc[1][0]["value"] = (doc[1][0]["value"] or 0) + 1.0
            body = json.dumps(doc).encode()
        return body

    refresh(newer, data_copy, **quiet)
    second = read_manifest(data_copy / "manifest.yaml").version
    archive = tmp_path / "data" / "archive"
    assert second != first and len(list(archive.iterdir())) == 2  # the copy's first version and the first refresh's
    assert read_manifest(archive / first / "manifest.yaml").version == first


def test_without_network_it_fails_clearly_and_changes_nothing(data_copy, tmp_path):
    def offline(url: str) -> bytes:
        raise urllib.error.URLError("[Errno -2] Name or service not known")

    before = tree_digest(data_copy)
    with pytest.raises(RefreshError, match="cannot reach the World Bank API.*nothing was changed"):
        refresh(offline, data_copy, **quiet)
    assert tree_digest(data_copy) == before and not (tmp_path / "data" / "archive").exists()


def test_an_api_error_midway_changes_nothing(data_copy):
    def flaky(url: str) -> bytes:
        if "country/VNM/indicator/SP.POP.TOTL" in url:
            return b'[{"message":[{"id":"120","key":"Invalid value","value":"The provided parameter value is not valid"}]}]'
        return recorded(url)

    before = tree_digest(data_copy)
    with pytest.raises(RefreshError, match="SP.POP.TOTL.*Invalid value"):
        refresh(flaky, data_copy, **quiet)
    assert tree_digest(data_copy) == before


def test_aggregates_come_from_the_country_list_and_fill_missing_iso3_codes():
    countries = json.loads((FIXTURES / "country_page1.json").read_text())
    eco = parse_countries([countries])
    assert eco.aggregates == {"EAS", "WLD"} and eco.iso3_of_iso2["VN"] == "VNM"
    assert eco.aggregates <= WDI_AGGREGATE_CODES  # the recorded copy of the full list agrees
    page = [
        {"page": 1, "pages": 1, "lastupdated": "2026-07-13"},  # synthetic: the API leaves some ISO3 codes empty
        [
            {"country": {"id": "1W", "value": "World"}, "countryiso3code": "", "date": "2020", "value": 2.6},
            {"country": {"id": "ZZ", "value": "Unknown"}, "countryiso3code": "", "date": "2020", "value": 9.9},
        ],
    ]
    df, edition = parse_api_pages([page], "GB.XPD.RSDV.GD.ZS", eco)
    assert df["entity"].tolist() == ["WLD"] and edition == "2026-07-13"


def test_without_a_refresh_the_recorded_aggregate_list_is_used(tmp_path):
    assert aggregate_codes() == WDI_AGGREGATE_CODES and len(WDI_AGGREGATE_CODES) == 49
    assert aggregate_codes(tmp_path) == WDI_AGGREGATE_CODES  # no manifest at all


def test_derived_gerd_in_vnd_by_hand():
    gerd = pd.DataFrame({"year": [2002, 2011, 2024], "value": [0.19273, 0.14955, 0.5]})
    gdp = pd.DataFrame({"year": [2002, 2011], "value": [535762.0, 3539881.0]})
    out = derived_gerd_vnd(gerd, gdp, "A", "B")
    # 0.19273/100 x 535,762 = 1,032.58 -> 1,033; 0.14955/100 x 3,539,881 = 5,293.89 -> 5,294; 2024: no GDP
    assert out["value"].tolist() == [1033.0, 5294.0] and out["value_type"].eq("derived").all()


class _Resp(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_http_fetch_retries_with_exponential_backoff_then_succeeds():
    calls, waits = [], []

    def opener(req, timeout):
        calls.append(req.full_url)
        if len(calls) < 3:
            raise urllib.error.URLError("temporary failure in name resolution")
        return _Resp(b"[]")

    said = []
    assert (
        http_fetch("https://api.worldbank.org/v2/x", opener=opener, sleep=waits.append, backoff_s=1.0, warn=said.append)
        == b"[]"
    )
    assert len(calls) == 3 and waits == [1.0, 2.0]
    assert said[1] == "World Bank API: <urlopen error temporary failure in name resolution>; retry 2 of 4 in 2 s"


def test_http_fetch_retries_5xx_and_429_but_not_400_and_gives_up_after_the_last_try():
    waits = []

    def server_error(req, timeout):
        raise urllib.error.HTTPError(req.full_url, 503, "Service Unavailable", {}, None)

    with pytest.raises(urllib.error.HTTPError):
        http_fetch(
            "https://api.worldbank.org/v2/x",
            retries=3,
            backoff_s=0.5,
            opener=server_error,
            sleep=waits.append,
            warn=lambda _: None,
        )
    assert waits == [0.5, 1.0, 2.0]

    waits.clear()

    def bad_request(req, timeout):
        raise urllib.error.HTTPError(req.full_url, 400, "Bad Request", {}, None)

    with pytest.raises(urllib.error.HTTPError):
        http_fetch("https://api.worldbank.org/v2/x", opener=bad_request, sleep=waits.append)
    assert waits == []

    def too_many(req, timeout):
        raise urllib.error.HTTPError(req.full_url, 429, "Too Many Requests", {"Retry-After": "7"}, None)

    with pytest.raises(urllib.error.HTTPError):
        http_fetch(
            "https://api.worldbank.org/v2/x", retries=1, opener=too_many, sleep=waits.append, warn=lambda _: None
        )
    assert waits == [7.0]


def test_every_dataset_says_whether_it_has_a_live_source():
    rows = dict(live_sources())
    assert set(rows) == {d.file for d in datasets.DATASETS.values()}
    for f in list(PANELS) + list(VN_ROWS):
        assert rows[f].startswith("World Bank API")
    assert rows["rank_gii.csv"] == "none: compiled from WIPO (rebuild with r57 data build)"
    assert all(v.startswith(("World Bank API", "none: compiled from ")) for v in rows.values())


def test_cli_refresh_prints_the_source_table_and_reports_no_network(monkeypatch, capsys):
    from analysis import cli
    from analysis.data import refresh as refresh_module

    def offline(url: str, timeout_s: float = 30.0) -> bytes:
        raise urllib.error.URLError("no route")

    monkeypatch.delenv("R57_WDI_RECORDED", raising=False)
    monkeypatch.setattr(refresh_module, "http_fetch", offline)
    before = tree_digest(paths.RAW_DATA_DIR)
    assert cli.main(["data", "refresh"]) == 1
    out = capsys.readouterr()
    assert "cannot reach the World Bank API" in out.err
    assert "rank_gii.csv" in out.out and "none: compiled from WIPO" in out.out
    assert tree_digest(paths.RAW_DATA_DIR) == before


def test_cli_refresh_from_recordings_through_the_environment(monkeypatch, capsys, data_copy):
    from analysis import cli

    monkeypatch.setenv("R57_WDI_RECORDED", str(FIXTURES))
    assert cli.main(["data", "refresh", "--data-dir", str(data_copy)]) == 0
    out = capsys.readouterr().out
    assert f"{data_copy}/vn_gdp.csv: updated to the 2026-07-13 edition" in out
    assert f"{data_copy}/manifest.yaml: 2 aggregate codes recorded" in out


def test_data_build_without_the_reference_folder_says_what_to_do(tmp_path, capsys):
    from analysis import cli

    assert cli.main(["data", "build", "--reference", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert "reference folder" in err and "missing" in err and "--reference PATH" in err and "Traceback" not in err


def test_relative_data_folders_are_made_absolute_for_the_kernels(monkeypatch, tmp_path):
    """`R57_RAW_DATA_DIR=data/archive/... r57 run` (docs/scheduling.md): kernels run in notebooks/,
    so a relative folder must be resolved against where r57 was started before they inherit it."""
    from analysis import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("R57_RAW_DATA_DIR", "data/archive/2026-11-22.1")
    monkeypatch.setenv("R57_REPORTS_DIR", str(tmp_path / "r"))
    cli._absolute_path_variables()
    import os

    assert os.environ["R57_RAW_DATA_DIR"] == str(tmp_path / "data" / "archive" / "2026-11-22.1")
    assert os.environ["R57_REPORTS_DIR"] == str(tmp_path / "r")


def _entries(data_dir: Path) -> dict[str, dict]:
    return read_manifest(data_dir / "manifest.yaml").entries


def test_a_build_after_a_refresh_keeps_the_refreshed_files_and_says_why(data_copy, capsys):
    """docs/adding-an-edition.md's `r57 data build --accept` after a refresh: it used to put every World Bank file
    back to the compilation's (vn_gdp.csv: 208 rows), undoing the refresh."""
    from analysis import cli

    refresh(recorded, data_copy, **quiet)
    before, entries = tree_digest(data_copy), _entries(data_copy)
    for args in ([], ["--accept"]):
        assert cli.main(["data", "build", "--data-dir", str(data_copy), *args]) == 0
        out = capsys.readouterr().out
        assert "kept vn_gdp.csv: refreshed from the World Bank API on " in out
        assert "`r57 data build --from-compilation vn_gdp` goes back to the compilation" in out
        assert "kept wdi_gerd_pct_gdp.csv" in out and "but for the 12 refreshed file(s) kept above" in out
        assert tree_digest(data_copy) == before and _entries(data_copy) == entries
    assert datasets.verify_all(data_copy) == []


def test_from_compilation_goes_back_archiving_the_refreshed_vintage(data_copy, tmp_path, capsys):
    from analysis import cli

    refresh(recorded, data_copy, **quiet)
    refreshed = tree_digest(data_copy)
    version = read_manifest(data_copy / "manifest.yaml").version
    assert cli.main(["data", "build", "--data-dir", str(data_copy), "--from-compilation", "vn_gdp"]) == 1
    assert "vn_gdp.csv:\n" in capsys.readouterr().out and tree_digest(data_copy) == refreshed  # shown, not written
    assert cli.main(["data", "build", "--data-dir", str(data_copy), "--from-compilation", "vn_gdp", "--accept"]) == 0
    out = capsys.readouterr().out
    assert "wrote 1 file(s)" in out and str(paths.REFERENCE_DIR) not in out  # no input re-signed, none named
    now = tree_digest(data_copy)
    assert now["vn_gdp.csv"] == tree_digest(paths.RAW_DATA_DIR)["vn_gdp.csv"]  # the compilation's file again
    assert _entries(data_copy)["vn_gdp.csv"]["built_by"] == "analysis.data.build_raw"
    assert {f for f in now if now[f] != refreshed[f]} == {"vn_gdp.csv", "manifest.yaml"}  # the others are kept
    kept = tmp_path / "data" / "archive" / version  # the refreshed vintage, archived whole
    assert yaml.safe_load((kept / "ARCHIVED.yaml").read_text())["files_replaced"] == ["vn_gdp.csv"]
    assert tree_digest(kept) | {"ARCHIVED.yaml": ""} == refreshed | {"ARCHIVED.yaml": ""}
    assert datasets.verify_all(data_copy) == [] and datasets.verify_all(kept) == []
    # only a dataset a refresh wrote can be named
    assert cli.main(["data", "build", "--data-dir", str(data_copy), "--from-compilation", "rank_gii"]) == 2
    err = capsys.readouterr().err
    assert "--from-compilation rank_gii: not a dataset `r57 data refresh` wrote" in err and "vn_gerd" in err


def test_a_dry_builds_hint_repeats_the_options_given_and_following_it_works(data_copy, capsys):
    """The hint said `r57 data build --accept` without --from-compilation: following it failed on a checksum."""
    from analysis import cli

    refresh(recorded, data_copy, **quiet)
    given = ["--data-dir", str(data_copy), "--reference", str(paths.REFERENCE_DIR), "--from-compilation", "vn_gdp"]
    assert cli.main(["data", "build", *given]) == 1
    hint = re.search(r"run `(r57 data build [^`]*)`", capsys.readouterr().err).group(1)
    assert shlex.split(hint) == ["r57", "data", "build", *given, "--accept"]
    assert cli.main(shlex.split(hint)[1:]) == 0
    assert datasets.verify_all(data_copy) == []


def test_refresh_only_one_dataset_leaves_every_other_file_as_it_was(data_copy, capsys, monkeypatch):
    from analysis import cli

    before, entries = tree_digest(data_copy), _entries(data_copy)
    monkeypatch.setenv("R57_WDI_RECORDED", str(FIXTURES))
    assert cli.main(["data", "refresh", "--data-dir", str(data_copy), "--only", "vn_ger*"]) == 0
    assert f"{data_copy}/vn_gerd.csv: updated" in capsys.readouterr().out
    now = tree_digest(data_copy)
    assert {f for f in now if now[f] != before.get(f)} == {"vn_gerd.csv", "manifest.yaml"}
    new = _entries(data_copy)
    assert new["vn_gerd.csv"]["built_by"] == "analysis.data.refresh"
    assert {f: e for f, e in new.items() if f != "vn_gerd.csv"} == {
        f: e for f, e in entries.items() if f != "vn_gerd.csv"
    }
    assert datasets.verify_all(data_copy) == []


@pytest.mark.parametrize("pattern", ["rank_gii", "vn_gpd"])
def test_refresh_only_a_dataset_without_a_live_source_is_refused_naming_those_with_one(data_copy, capsys, pattern):
    from analysis import cli

    before = tree_digest(data_copy)
    assert cli.main(["data", "refresh", "--data-dir", str(data_copy), "--only", pattern]) == 2
    err = capsys.readouterr().err
    assert f"--only {pattern!r} matches no dataset with a live source" in err and "vn_gdp, vn_gerd" in err
    assert tree_digest(data_copy) == before


def test_data_build_honours_data_dir_and_refuses_a_folder_it_did_not_write(data_copy, tmp_path, capsys):
    from analysis import cli

    gii = data_copy / "rank_gii.csv"
    gii.write_bytes(gii.read_bytes()[:-300])  # a damaged copy: the build of the copy names it
    real = tree_digest(paths.RAW_DATA_DIR)
    assert cli.main(["data", "build", "--data-dir", str(data_copy)]) == 1
    out = capsys.readouterr()
    assert "rank_gii.csv:\n" in out.out and f"change 1 file(s) of {data_copy} (rank_gii.csv)" in out.err
    assert cli.main(["data", "build", "--data-dir", str(data_copy), "--accept"]) == 0
    assert datasets.verify_all(data_copy) == [] and tree_digest(paths.RAW_DATA_DIR) == real
    # a folder with files but no manifest is not one r57 wrote: refused, untouched
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    assert cli.main(["data", "build", "--data-dir", str(other), "--accept"]) == 2
    assert f"--data-dir {other} holds files but no manifest.yaml" in capsys.readouterr().err
    assert [p.name for p in other.iterdir()] == ["notes.txt"]


def test_a_data_option_given_to_another_action_is_refused(capsys):
    from analysis import cli

    assert cli.main(["data", "verify", "--only", "vn_gdp"]) == 2
    assert "--only is an option of `r57 data refresh` only" in capsys.readouterr().err
    assert cli.main(["data", "refresh", "--accept"]) == 2
    assert "--accept is an option of `r57 data build` only" in capsys.readouterr().err


def test_a_build_keeps_the_aggregates_a_refresh_recorded_with_an_unchanged_panel(data_copy, capsys):
    """A refresh whose answer is the compilation's file still records the API's aggregate list with the panel."""
    from analysis import cli
    from analysis.data.manifest import write_manifest

    manifest = read_manifest(data_copy / "manifest.yaml")
    entries = dict(manifest.entries)
    entries["wdi_gerd_pct_gdp.csv"] |= {"aggregates": ["EAS", "WLD"], "notes": "as a refresh writes it"}
    write_manifest(list(entries.values()), manifest.version, data_copy / "manifest.yaml")
    before = tree_digest(data_copy)
    assert cli.main(["data", "build", "--data-dir", str(data_copy), "--accept"]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert tree_digest(data_copy) == before and aggregate_codes(data_copy) == {"EAS", "WLD"}


def test_the_offline_recipe_of_docs_scheduling_runs_as_written(tmp_path):
    """The shell block of docs/scheduling.md that refreshes a copy from the recordings, run on a copy under
    tmp_path (without the suite's R57_MAX_COVERAGE_DROP: the recipe must set what it needs)."""
    import os
    import re
    import subprocess

    doc = (paths.PROJECT_ROOT / "docs" / "scheduling.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```sh\n(.*?)```", doc, re.S) if "R57_WDI_RECORDED=tests/fixtures" in b)
    unset = ("R57_MAX_COVERAGE_DROP", "R57_WDI_RECORDED", "R57_WDI_RECORD_TO", "R57_RAW_DATA_DIR", "R57_REFERENCE_DIR")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block.replace("/tmp/r57-try", str(tmp_path))],
        cwd=paths.PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "vn_gdp.csv: updated to the 2026-07-13 edition" in done.stdout
    assert "but for the 12 refreshed file(s) kept above; nothing changed" in done.stdout
    assert set(datasets.load("wdi_gerd_pct_gdp", tmp_path / "raw")["entity"]) == {"VNM", "KOR", "THA", "EAS", "WLD"}
    assert (tmp_path / "archive" / read_manifest().version / "ARCHIVED.yaml").is_file()  # the vintage it replaced


def test_a_refresh_never_carries_a_damaged_file_forward(data_copy):
    """vn_gdp.csv's compiled rows are kept from the current file: a file that no longer matches its manifest
    (edited by hand, damaged) is refused, not signed into the new vintage."""
    from analysis.errors import ChecksumError

    gdp = data_copy / "vn_gdp.csv"
    gdp.write_bytes(gdp.read_bytes().replace(b"General Statistics", b"General Statistix", 1))
    before = tree_digest(data_copy)
    with pytest.raises(ChecksumError, match=f"checksum mismatch for {gdp}"):
        refresh(recorded, data_copy, **quiet)
    assert tree_digest(data_copy) == before


def test_a_refresh_never_archives_a_damaged_file_it_does_not_fetch(data_copy, tmp_path):
    """The archive is a vintage to run again: a compiled file that no longer matches the manifest (rank_gii.csv,
    not fetched by `--only vn_gerd`) used to be copied into it under the manifest's other checksum."""
    from analysis.errors import ChecksumError

    gii = data_copy / "rank_gii.csv"
    gii.write_bytes(gii.read_bytes()[:-300])
    before = tree_digest(data_copy)
    with pytest.raises(ChecksumError, match=f"checksum mismatch for {gii}"):
        refresh(recorded, data_copy, only=["vn_gerd"], **quiet)
    assert tree_digest(data_copy) == before and not (tmp_path / "data" / "archive").exists()


def test_refresh_only_one_panel_records_the_api_aggregate_list_with_every_panel(data_copy):
    before = tree_digest(data_copy)
    out = refresh(recorded, data_copy, only=["wdi_journal_*"], **quiet)
    assert set(out) == {"wdi_journal_articles.csv", "manifest.yaml"}
    now = tree_digest(data_copy)
    assert {f for f in now if now[f] != before.get(f)} == {"wdi_journal_articles.csv", "manifest.yaml"}
    assert all(e.get("aggregates") == ["EAS", "WLD"] for f, e in _entries(data_copy).items() if f in PANELS)
    assert aggregate_codes(data_copy) == {"EAS", "WLD"} and datasets.verify_all(data_copy) == []


@pytest.mark.parametrize("args", [[], ["--accept"], ["--from-compilation", "vn_gerd", "--accept"]])
def test_a_build_never_keeps_or_archives_a_damaged_refreshed_file(data_copy, tmp_path, capsys, args):
    """A refreshed vn_gdp.csv edited by hand: the build used to keep it under its entry's old checksum ("nothing
    changed"), and --from-compilation archived it as the refreshed vintage. Both stop, naming both checksums and
    the ways out (the advice was git or `r57 data build`, which restore or rebuild no refreshed file)."""
    from analysis import cli
    from analysis.data.manifest import sha256_of

    start = read_manifest(data_copy / "manifest.yaml").version
    refresh(recorded, data_copy, **quiet)
    gdp = data_copy / "vn_gdp.csv"
    signed = _entries(data_copy)["vn_gdp.csv"]["sha256"]
    gdp.write_bytes(gdp.read_bytes().replace(b"General Statistics", b"General Statistix", 1))
    before = tree_digest(data_copy)
    assert cli.main(["data", "build", "--data-dir", str(data_copy), *args]) == 1
    out = capsys.readouterr()
    assert f"checksum mismatch for {gdp}: manifest says sha256 {signed}, file has {sha256_of(gdp)}" in out.err
    assert (
        "restore it from a copy or the archive (data/archive), or `r57 data build --from-compilation vn_gdp" in out.err
    )
    assert "nothing changed" not in out.out
    assert tree_digest(data_copy) == before
    assert [p.name for p in (tmp_path / "data" / "archive").iterdir()] == [start]  # the refresh's only


def test_a_build_that_writes_into_a_refreshed_vintage_archives_it_under_a_new_version(data_copy, tmp_path, capsys):
    """After a refresh, an edited wording.yaml rebuilds r57_targets.csv: the manifest used to keep the refresh's
    version for the new data state, and the replaced file was not archived."""
    from analysis import cli

    refresh(recorded, data_copy, **quiet)
    refreshed, version = tree_digest(data_copy), read_manifest(data_copy / "manifest.yaml").version
    targets = data_copy / "r57_targets.csv"
    targets.write_bytes(targets.read_bytes().replace(b"VNM,Viet Nam", b"VNM,Viet Nam ", 1))  # damaged: rebuilt
    targets_entry = _entries(data_copy)["r57_targets.csv"]
    damaged = tree_digest(data_copy)
    for accept in (False, True):  # the vintage would be archived: refused as --accept would be, before the diff
        with pytest.raises(DataError, match=f"checksum mismatch for {targets}"):
            build_reviewed(paths.REFERENCE_DIR, accept, quiet["log"], data_copy)
    assert tree_digest(data_copy) == damaged
    targets.write_bytes((paths.RAW_DATA_DIR / "r57_targets.csv").read_bytes())
    reference = tmp_path / "external"
    shutil.copytree(paths.REFERENCE_DIR, reference)
    wording = reference / "targets" / "wording.yaml"
    wording.write_text(wording.read_text(encoding="utf-8").replace("nhóm 3", "nhóm ba", 1), encoding="utf-8")
    since = date.today()
    assert cli.main(["data", "build", "--data-dir", str(data_copy), "--reference", str(reference), "--accept"]) == 0
    out = capsys.readouterr().out
    now = read_manifest(data_copy / "manifest.yaml")
    assert now.version in successors(version, "refresh", since)  # a new version, counted on from the refresh's
    assert f"archived manifest version {version} in {tmp_path / 'data' / 'archive' / version}" in out
    kept = tmp_path / "data" / "archive" / version
    assert yaml.safe_load((kept / "ARCHIVED.yaml").read_text()) | {"archived_on": ""} == {
        "archived_on": "",
        "replaced_by_manifest_version": now.version,
        "files_replaced": ["r57_targets.csv"],
    }
    assert tree_digest(kept) | {"ARCHIVED.yaml": ""} == refreshed | {"ARCHIVED.yaml": ""}
    changed = {f for f, sha in tree_digest(data_copy).items() if sha != refreshed[f]}
    assert changed == {"r57_targets.csv", "manifest.yaml"} and targets_entry != now.entries["r57_targets.csv"]
    assert datasets.verify_all(data_copy, reference) == [] and datasets.verify_all(kept) == []


@pytest.mark.parametrize("damage", [b"files: [\n", b"version: 1\nfiles:\n- just a line\n"])
def test_a_build_stops_at_an_unreadable_manifest_before_it_writes_anything(data_copy, tmp_path, capsys, damage):
    """One bad line in a refreshed vintage's manifest.yaml made `--accept` take every file as new: the 12
    refreshed files were replaced by the compilation's, nothing archived, exit 0."""
    from analysis import cli
    from analysis.data.manifest import sha256_of

    refresh(recorded, data_copy, **quiet)
    manifest = data_copy / "manifest.yaml"
    manifest.write_bytes(manifest.read_bytes() + damage)
    before = tree_digest(tmp_path / "data")
    assert cli.main(["data", "build", "--data-dir", str(data_copy), "--accept"]) == 1
    err = capsys.readouterr().err
    assert f"{manifest} (sha256 {sha256_of(manifest)}) cannot be read" in err and "nothing was built" in err
    assert tree_digest(tmp_path / "data") == before


def test_going_back_to_the_compilation_from_edited_inputs_gets_a_version_of_its_own(data_copy, tmp_path, capsys):
    """Every refreshed file back to the compilation, with gii.csv edited: data/raw was labelled the compilation's
    version, the same as the archived compilation, though rank_gii.csv differed between them. The edited
    compilation is signed under that new version too: one name, one state."""
    from analysis import cli
    from analysis.data.refresh import select_files

    start = read_manifest(data_copy / "manifest.yaml").version
    refresh(recorded, data_copy, **quiet)
    refreshed = read_manifest(data_copy / "manifest.yaml").version
    reference = tmp_path / "external"
    shutil.copytree(paths.REFERENCE_DIR, reference)
    gii = reference / "rankings" / "gii.csv"
    gii.write_text(gii.read_text(encoding="utf-8").replace(",Vietnam,51,", ",Vietnam,50,", 1), encoding="utf-8")
    back = [arg for f in select_files() for arg in ("--from-compilation", f.removesuffix(".csv"))]
    run = ["data", "build", "--data-dir", str(data_copy), "--reference", str(reference), *back, "--accept"]
    since = date.today()
    assert cli.main(run) == 0
    capsys.readouterr()
    now = read_manifest(data_copy / "manifest.yaml").version
    compiled = read_manifest(paths.REFERENCE_DIR / "manifest.yaml", SOURCE_FIELDS).version
    assert now not in (compiled, start, refreshed) and now in successors(refreshed, "build", since)
    assert read_manifest(reference / "manifest.yaml", SOURCE_FIELDS).version == now
    compiled = tmp_path / "data" / "archive" / start  # what the refresh archived
    assert tree_digest(compiled)["rank_gii.csv"] != tree_digest(data_copy)["rank_gii.csv"]
    assert datasets.verify_all(data_copy, reference) == []


def test_an_edited_compilation_under_kept_refreshed_files_gets_a_version_of_its_own(data_copy, tmp_path):
    """gii.csv edited while data/raw keeps refreshed files: data/raw (compiled files and refreshed ones) goes on
    as a refresh, and the compilation, whose files changed, is signed under the next build version: two states,
    two names, neither one used before."""

    refresh(recorded, data_copy, **quiet)
    refreshed = read_manifest(data_copy / "manifest.yaml").version
    reference = tmp_path / "external"
    shutil.copytree(paths.REFERENCE_DIR, reference)
    signed = read_manifest(reference / "manifest.yaml", SOURCE_FIELDS).version
    gii = reference / "rankings" / "gii.csv"
    gii.write_text(gii.read_text(encoding="utf-8").replace(",Vietnam,51,", ",Vietnam,50,", 1), encoding="utf-8")
    since = date.today()
    changed, files, inputs, kept, _ = build_reviewed(reference, accept=True, raw=data_copy, **quiet)
    assert changed and files == ["rank_gii.csv"] and inputs == ["rankings/gii.csv"] and kept
    now = read_manifest(data_copy / "manifest.yaml").version
    compiled = read_manifest(reference / "manifest.yaml", SOURCE_FIELDS).version
    assert now in successors(refreshed, "refresh", since) and compiled in successors(now, "build", since)
    assert len({signed, refreshed, now, compiled}) == 4


def test_from_compilation_replaces_a_damaged_refreshed_file_archiving_the_rest_of_its_vintage(
    data_copy, tmp_path, capsys
):
    """A damaged refreshed vn_gdp.csv had no way out: git restores the compilation's copy (which fails its
    checksum too), and refresh, build and --from-compilation vn_gdp all refused. The last now replaces it, and the
    archive holds the rest of the vintage, listing vn_gdp.csv as not archived rather than copying it as sound."""
    from analysis import cli
    from analysis.data.manifest import sha256_of

    refresh(recorded, data_copy, **quiet)
    refreshed, version = tree_digest(data_copy), read_manifest(data_copy / "manifest.yaml").version
    gdp = data_copy / "vn_gdp.csv"
    gdp.write_bytes(gdp.read_bytes().replace(b"General Statistics", b"General Statistix", 1))
    damaged = sha256_of(gdp)
    with pytest.raises(DataError, match=r"restore it from a copy or the archive .* --from-compilation vn_gdp --accept"):
        datasets.load("vn_gdp", data_copy, fresh=True)  # the loader's advice, as the build's
    assert cli.main(["data", "build", "--data-dir", str(data_copy), "--from-compilation", "vn_gdp", "--accept"]) == 0
    capsys.readouterr()
    kept = tmp_path / "data" / "archive" / version
    assert yaml.safe_load((kept / "ARCHIVED.yaml").read_text())["files_not_archived"] == [
        {
            "file": "vn_gdp.csv",
            "reason": "fails its checksum",
            "manifest_sha256": refreshed["vn_gdp.csv"],
            "file_sha256": damaged,
        }
    ]
    assert tree_digest(kept) | {"ARCHIVED.yaml": ""} == {
        f: sha for f, sha in refreshed.items() if f != "vn_gdp.csv"
    } | {"ARCHIVED.yaml": ""}
    assert tree_digest(data_copy)["vn_gdp.csv"] == tree_digest(paths.RAW_DATA_DIR)["vn_gdp.csv"]
    assert datasets.verify_all(data_copy) == []


@pytest.mark.parametrize(
    ("current", "kind", "expected"),
    [
        ("2026-11-22.1", "build", "2026-12-06.build"),
        ("2026-12-05.refresh-4", "refresh", "2026-12-06.refresh"),
        ("2026-12-06.build", "refresh", "2026-12-06.refresh-2"),
        ("2026-12-06.refresh-2", "build", "2026-12-06.build-3"),
    ],
)
def test_next_version_counts_on_within_a_day_whatever_the_kind(current, kind, expected):
    assert next_version(current, "2026-12-06", kind) == expected


@pytest.mark.parametrize("refreshed", [False, True])
def test_a_build_that_changes_only_manifest_fields_gets_a_new_version_and_a_rerun_keeps_it(
    data_copy, tmp_path, capsys, monkeypatch, refreshed
):
    """A corrected URL in datasets.yaml re-signed the manifest under its old version, so two manifests (old URL,
    new URL) carried one version; in a refreshed vintage the manifest it replaced was not archived either."""
    from analysis import cli

    reference = tmp_path / "external"  # a copy: the compilation is re-signed when it takes data/raw's new version
    shutil.copytree(paths.REFERENCE_DIR, reference)
    build = ["data", "build", "--data-dir", str(data_copy), "--reference", str(reference), "--accept"]
    assert cli.main(build) == 0  # the entries name the copy's input files from here on
    if refreshed:
        refresh(recorded, data_copy, **quiet)
    capsys.readouterr()
    old = read_manifest(data_copy / "manifest.yaml")
    signed = read_manifest(reference / "manifest.yaml", SOURCE_FIELDS).version
    before = tree_digest(data_copy)
    monkeypatch.setitem(datasets.DATASETS["rank_gii"].meta, "url", ["https://www.wipo.int/corrected"])
    since = date.today()
    assert cli.main(build) == 0
    out = capsys.readouterr().out
    now = read_manifest(data_copy / "manifest.yaml")
    assert now.version in successors(old.version, "refresh" if refreshed else "build", since)
    assert now.version != old.version
    compiled = read_manifest(reference / "manifest.yaml", SOURCE_FIELDS).version
    assert compiled == (signed if refreshed else now.version)  # kept refreshed files: the compilation's stays
    assert f"rank_gii.csv: manifest url changed (datasets.yaml)\nmanifest version {old.version} -> {now.version}" in out
    assert now.entry("rank_gii.csv")["url"] == ["https://www.wipo.int/corrected"]
    assert {k: e for k, e in now.entries.items() if k != "rank_gii.csv"} == {
        k: e for k, e in old.entries.items() if k != "rank_gii.csv"
    }
    after = tree_digest(data_copy)
    assert {f for f in after if after[f] != before[f]} == {"manifest.yaml"}
    archive = tmp_path / "data" / "archive"
    if refreshed:  # the vintage whose manifest was replaced, kept whole under its version
        assert tree_digest(archive / old.version) | {"ARCHIVED.yaml": ""} == before | {"ARCHIVED.yaml": ""}
        assert yaml.safe_load((archive / old.version / "ARCHIVED.yaml").read_text())["files_replaced"] == []
    else:
        assert not archive.exists()
    # nothing changed since: the build is a no-op and the version stays
    assert cli.main(build) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert tree_digest(data_copy) == after and read_manifest(data_copy / "manifest.yaml").version == now.version


@pytest.mark.parametrize("bad", [True, "2.554", [2.554], {"v": 1}])
def test_a_value_that_is_not_a_json_number_is_refused_naming_dataset_indicator_year_and_value(data_copy, bad):
    def hostile(url: str) -> bytes:
        body = recorded(url)
        if "country/VNM/indicator/NY.GDP.MKTP.KD.ZG" not in url:
            return body
        doc = json.loads(body)
        next(r for r in doc[1] if r["date"] == "2021")["value"] = bad  # Viet Nam's real growth 2021 is 2.554
        return json.dumps(doc).encode()

    before = tree_digest(data_copy)
    with pytest.raises(RefreshError) as err:
        refresh(hostile, data_copy, only=["vn_gdp"], **quiet)
    message = str(err.value)
    assert "vn_gdp.csv" in message and "NY.GDP.MKTP.KD.ZG" in message and "gdp_real_growth_pct" in message
    assert "2021" in message and repr(bad)[:8] in message and "not a number" in message
    assert tree_digest(data_copy) == before


# a refresh of vn_gdp that stops at its first download (it has read the manifest) until a line comes on stdin
_PAUSED_REFRESH = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from analysis.data.refresh import recorded_fetch, refresh

    recorded, paused = recorded_fetch(sys.argv[2]), []

    def fetch(url):
        if not paused:
            paused.append(url)
            print("inside", flush=True)  # the manifest is read: wait for the test's go
            sys.stdin.readline()
        return recorded(url)

    refresh(fetch, Path(sys.argv[1]), log=lambda *_: None, only=["vn_gdp"])
    """
)


def test_two_refreshes_at_once_take_turns_and_both_are_kept(data_copy):
    """Two `r57 data refresh` at once both exited 0 and the manifest lost one run's entries: every report then
    refused the data. The second now waits for the first, saying so."""
    env = os.environ | {"R57_WDI_RECORDED": str(FIXTURES), "R57_MAX_COVERAGE_DROP": "1"}
    first = subprocess.Popen(
        [sys.executable, "-c", _PAUSED_REFRESH, str(data_copy), str(FIXTURES)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert first.stdout.readline() == "inside\n"  # it has read the manifest and is downloading
    refresh_cli = [sys.executable, "-m", "analysis", "data", "refresh", "--data-dir", str(data_copy)]
    second = subprocess.Popen(
        [*refresh_cli, "--only", "wdi_journal_*"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env
    )
    told = next((line for line in second.stderr if "waiting" in line), "")  # "" once it ended without waiting
    first.communicate("go\n", timeout=600)
    rest = second.communicate(timeout=600)[1]
    assert first.returncode == 0 and second.returncode == 0, rest
    assert told.startswith("r57: waiting for ") and "another r57 process is refreshing or building" in told
    entries = _entries(data_copy)
    assert entries["vn_gdp.csv"]["built_by"] == entries["wdi_journal_articles.csv"]["built_by"] == REFRESHED_BY
    assert datasets.verify_all(data_copy) == []


def test_a_checksum_error_on_a_file_a_refresh_replaced_never_advises_git_checkout(data_copy):
    """A refresh whose manifest entry was lost (two refreshes at once, before the lock): the advice was `git
    checkout -- <file>`, which discards the refreshed file."""
    signed = (data_copy / "manifest.yaml").read_bytes()
    refresh(recorded, data_copy, only=["vn_gdp"], **quiet)
    (data_copy / "manifest.yaml").write_bytes(signed)  # the refreshed file, the manifest entry of before
    with pytest.raises(DataError) as err:
        datasets.load("vn_gdp", data_copy)
    archived = data_copy.parent / "archive" / read_manifest(data_copy / "manifest.yaml").version
    message = str(err.value)
    assert "git checkout" not in message and "not restore it from git" in message and "checksum mismatch" in message
    assert f"{archived} records that `r57 data refresh` replaced it" in message
    assert "`r57 data refresh --only vn_gdp`" in message
