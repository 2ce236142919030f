"""Data layer: checksums, schemas, key published values, and reproducible builds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.data import datasets, observed
from analysis.data.build_raw import parse_value
from analysis.data.build_targets import TARGET_COLUMNS
from analysis.data.manifest import REQUIRED_FIELDS, read_manifest, sha256_of
from analysis.data.schema import RANK_COLUMNS, RAW_COLUMNS, first_valued, valued
from analysis.data.wdi import WDI_AGGREGATE_CODES, parse_bulk_csv
from analysis.errors import ChecksumError, DataError
from analysis.models import targets as tg
from analysis.reports import params


@pytest.fixture()
def data_copy(tmp_path) -> Path:
    dst = tmp_path / "raw"
    shutil.copytree(paths.RAW_DATA_DIR, dst)
    return dst


def test_every_dataset_verifies():
    assert datasets.verify_all() == []


def test_manifest_entries_carry_full_provenance():
    m = read_manifest()
    assert set(m.entries) == {d.file for d in datasets.DATASETS.values()}
    for name, e in m.entries.items():
        for f in REQUIRED_FIELDS:
            assert e[f] not in (None, "", []), f"{name}: {f} empty"
        assert len(e["sha256"]) == 64
        assert e["sha256"] == sha256_of(paths.RAW_DATA_DIR / name)
        assert e["bytes"] == (paths.RAW_DATA_DIR / name).stat().st_size
        assert e["built_from"], name


def test_each_dataset_is_described_once_and_the_manifest_repeats_it():
    """datasets.yaml is the one description: the manifest's provenance fields are written from it by the build."""
    m = read_manifest()
    for name, spec in datasets.DATASETS.items():
        e = m.entry(spec.file)
        for field in datasets.MANIFEST_FIELDS:
            assert e[field] == spec.meta[field], (name, field)
        assert e["notes"] == spec.meta.get("notes", ""), name
        assert [b["path"] for b in e["built_from"]] == [f"data/external/{i}" for i in spec.meta["inputs"]], name
        assert set(e["indicators"]) <= set(spec.schema.indicators), name


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["vn_gdp"].pop("title"), r"vn_gdp: 'title' is a required property"),
        (
            lambda d: d["vn_gdp"].update(layout="wide"),
            r"vn_gdp/layout: 'wide' is not one of \['tidy', 'rank', 'targets'\]",
        ),
        (lambda d: d["vn_gdp"].update(retrieved="22 Nov 2026"), r"vn_gdp/retrieved: '22 Nov 2026' does not match"),
        (lambda d: d["vn_gdp"]["indicators"]["population"].pop("max"), r"vn_gdp/indicators/population: 'max' is a"),
        (lambda d: d["vn_gdp"].update(licnce="x"), r"vn_gdp: Additional properties are not allowed \('licnce'"),
    ],
)
def test_dataset_metadata_that_breaks_its_schema_is_refused_naming_entry_and_field(tmp_path, change, message):
    import yaml

    doc = yaml.safe_load(datasets.METADATA_PATH.read_text(encoding="utf-8"))
    change(doc)
    bad = tmp_path / "datasets.yaml"
    bad.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(DataError, match=message):
        datasets.read_metadata(bad)
    assert set(datasets.read_metadata()) == set(datasets.DATASETS)  # the committed file reads as loaded


def test_corrupt_file_is_named_with_both_checksums(data_copy):
    target = data_copy / "vn_gdp.csv"
    expected = read_manifest(data_copy / "manifest.yaml").entry("vn_gdp.csv")["sha256"]
    target.write_text(target.read_text().replace("11511900", "11511901"))
    with pytest.raises(ChecksumError) as err:
        datasets.load("vn_gdp", data_copy)
    msg = str(err.value)
    assert str(target) in msg and expected in msg and sha256_of(target) in msg
    problems = dict(datasets.verify_all(data_copy))
    assert "vn_gdp.csv" in problems and "checksum mismatch" in problems["vn_gdp.csv"]


def test_missing_and_unlisted_files_are_reported(data_copy):
    (data_copy / "vn_gerd.csv").unlink()
    (data_copy / "stray.csv").write_text("x\n")
    problems = dict(datasets.verify_all(data_copy))
    assert "missing" in problems["vn_gerd.csv"]
    assert "without a manifest entry" in problems["stray.csv"]


def test_schema_violation_is_caught_even_with_a_matching_checksum(data_copy):
    # Edit the file *and* the manifest checksum: the schema check still refuses an impossible value.
    import yaml

    target = data_copy / "vn_gerd.csv"
    df = pd.read_csv(target, dtype=str, keep_default_na=False)
    df.loc[df.index[0], "value"] = "55"  # 55 % of GDP on R&D
    df.to_csv(target, index=False)
    man = yaml.safe_load((data_copy / "manifest.yaml").read_text())
    for e in man["files"]:
        if e["file"] == "vn_gerd.csv":
            e["sha256"] = sha256_of(target)
    (data_copy / "manifest.yaml").write_text(yaml.safe_dump(man))
    datasets.clear_cache()
    with pytest.raises(DataError, match=r"outside \[0.0, 5.0\]"):
        datasets.load("vn_gerd", data_copy)


def _set_targets(raw: Path, values: dict[str, str], sign: bool = True) -> None:
    """Write ``values`` ({target_id: value}) into the copy ``raw`` of data/raw (its manifest too when ``sign``)."""
    import yaml

    path = raw / "r57_targets.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    for target_id, value in values.items():
        df.loc[df["target_id"] == target_id, "value"] = value
    df.to_csv(path, index=False)
    if sign:
        man = yaml.safe_load((raw / "manifest.yaml").read_text())
        next(e for e in man["files"] if e["file"] == "r57_targets.csv")["sha256"] = sha256_of(path)
        (raw / "manifest.yaml").write_text(yaml.safe_dump(man))


def test_the_resolution_thresholds_are_read_from_the_targets_data():
    def threshold(target_id: str) -> tuple[str, float, str, int]:
        t = tg.target(target_id)
        return t.target_id, t.value, t.comparator, t.year

    assert threshold("T05") == ("T05", 60.0, "more_than", 2030)
    assert threshold("T06") == ("T06", 3.0, "at_least", 2030)
    assert threshold("T04") == ("T04", 2.0, "at_least", 2030)
    with pytest.raises(DataError, match="'T99' is not in r57_targets.csv; known: T01a, T01b, "):
        tg.target("T99")


def test_the_rd_defaults_that_are_the_resolutions_targets_agree_with_the_targets_data():
    """The notebook's parameters cell holds them as literals (papermill injects into literals; the spec is built
    at import, when no data file is read): this ties them to r57_targets."""
    defaults, t04 = params.validate("rd_paths", {}), tg.target("T04")
    assert (defaults["target_share_pct"], defaults["target_year"]) == (t04.value, t04.year)
    assert defaults["science_budget_share_pct"] == tg.target("T06").value


def test_a_changed_threshold_in_the_targets_data_moves_the_rd_scenario(data_copy, monkeypatch):
    from analysis.reports import rd_paths

    _set_targets(data_copy, {"T05": "65", "T06": "4"})
    monkeypatch.setattr(paths, "RAW_DATA_DIR", data_copy)
    assert rd_paths.resolution_floors() == {"resolution_nonstate_pct": 65.0, "resolution_budget_pct": 4.0}
    pg = rd_paths.Page.build(params.validate("rd_paths", {}), rd_paths.RdData.load())
    assert pg.resolved.nonstate_target_tied and pg.inp.nonstate_share_target_pct == 65.0
    # state R&D at the floor, % of budget expenditure: GERD x (1 - 0.65) over budget expenditure (% of GDP)
    expected = pg.inp.target_share_pct * 0.35 / pg.inp.budget_exp_pct_gdp * 100
    assert pg.summary["consistency_budget_pct_at_floor"] == pytest.approx(expected)
    assert set(pg.rule["floor_pct"]) == {4.0}
    assert rd_paths.consistency_text(pg).startswith(
        "**At the 65% non-budget threshold"
    )  # the page's words follow the data


def test_a_corrupt_targets_file_is_reported_by_path_and_checksum_when_a_threshold_is_used(data_copy):
    _set_targets(data_copy, {"T05": "61"}, sign=False)
    with pytest.raises(ChecksumError, match=r"r57_targets\.csv.*sha256"):
        tg.target("T05", data_copy)


def test_all_files_have_their_schema_columns():
    for name, spec in datasets.DATASETS.items():
        df = datasets.load(name)
        assert list(df.columns) == list(spec.schema.columns)
        assert spec.schema.columns in (tuple(RAW_COLUMNS), tuple(RANK_COLUMNS), tuple(TARGET_COLUMNS))
        assert df["year"].dtype == "Int64" and df["value"].dtype == float


# ----------------------------------------------------------------------------- published values


def test_key_published_values(rd_data):
    uis = observed.gerd_share_series(rd_data.gerd, "uis")
    assert uis.loc[2023] == 0.41456 and uis.loc[2021] == 0.42494 and uis.loc[2011] == 0.14955
    most = observed.gerd_share_series(rd_data.gerd, "ministry")
    assert most.loc[2019] == 0.53 and most.loc[2017] == 0.52
    gdp = observed.gdp_table(rd_data.gdp)
    assert gdp.loc[2024, "gdp_vnd_bn"] == 11_511_900 and gdp.loc[2024, "gdp_vnd_bn_source"] == "GSO"
    assert gdp.loc[2025, "gdp_vnd_bn"] == 12_847_600
    assert gdp.loc[2023, "gdp_vnd_bn_source"] == "World Bank WDI"
    assert gdp.loc[2025, "real_growth_pct"] == 8.02
    assert gdp.loc[2023, "gdp_usd_bn"] == pytest.approx(429.717, abs=1e-3)


def test_ministry_gerd_totals_equal_uis_share_times_wdi_gdp(rd_data):
    # The reference's key finding: the two ratios differ only in the GDP denominator.
    uis = observed.gerd_share_series(rd_data.gerd, "uis")
    gdp = observed.gdp_table(rd_data.gdp)["gdp_vnd_bn"]
    totals = observed.gerd_vnd_series(rd_data.gerd)
    for year in (2011, 2013, 2015, 2017, 2019):
        assert totals.loc[year, "value_type"] == "reported"
        assert uis.loc[year] / 100 * gdp.loc[year] == pytest.approx(totals.loc[year, "gerd_vnd_bn"], rel=1e-3)


def test_missing_values_stay_missing_with_a_reason():
    funding = datasets.load("vn_gerd_funding")
    row = funding[funding["indicator"] == "uis_gerd_by_source_of_funds"]
    assert len(row) == 1 and row["value"].isna().all() and row["value_type"].iloc[0] == "not_found"
    budget = datasets.load("vn_state_budget")
    seed = budget[budget["indicator"] == "st_budget_vnd_bn"]
    assert seed["value"].isna().all() and seed["value_type"].iloc[0] == "not_verified"


def test_budget_share_of_gdp_2025_by_hand(rd_data):
    b = observed.budget_exp_pct_gdp(rd_data.budget, observed.gdp_table(rd_data.gdp)).dropna(subset=["pct_gdp"])
    assert b.index.max() == 2025
    assert b.loc[2025, "pct_gdp"] == pytest.approx(2_540_000 / 12_847_600 * 100)  # 19.770 %


def test_gdp_drivers_skip_the_2010_series_break(rd_data):
    d = observed.gdp_drivers(observed.gdp_table(rd_data.gdp))
    assert pd.isna(d.loc[2010, "nominal_growth_pct"])
    # 2024: nominal 11,511,900 / 10,221,814.7 = +12.621 %; real 7.091 % -> deflator 5.164 %
    assert d.loc[2024, "nominal_growth_pct"] == pytest.approx(12.621, abs=1e-3)
    assert d.loc[2024, "deflator_pct"] == pytest.approx((1.12621 / 1.07091 - 1) * 100, abs=2e-3)


def test_driver_means_average_each_window_by_hand():
    # nominal GDP +10 % a year; real growth 5 % to 2023, then 10 %; the VND loses 2 % a year to 2023, then 4 %
    years = range(2014, 2026)
    fx = [100.0]
    for y in years[1:]:
        fx.append(fx[-1] * (1.02 if y <= 2023 else 1.04))
    tab = pd.DataFrame(
        {"gdp_vnd_bn": [1.1**k for k in range(12)], "vnd_per_usd": fx, "real_growth_pct": [5.0] * 10 + [10.0] * 2},
        index=pd.Index(years, name="year"),
    )
    means = observed.driver_means(tab)
    assert list(means.index) == [(2015, 2023), (2024, 2025)]
    assert means["nominal_growth_pct"].tolist() == pytest.approx([10.0, 10.0])
    assert means["real_growth_pct"].tolist() == pytest.approx([5.0, 10.0])
    assert means["deflator_pct"].tolist() == pytest.approx([100 / 21, 0.0], abs=1e-12)  # 1.10 / 1.05 = 22 / 21
    assert means["vnd_depreciation_pct"].tolist() == pytest.approx([2.0, 4.0])


def test_the_trackers_latest_data_year_is_the_datas():
    # kept by hand (the as_of_year default and limit, declared at import); a data refresh must move it
    from analysis.reports import editorial
    from analysis.reports.resolution_targets import LATEST_DATA_YEAR

    frames = [datasets.load(name) for name in editorial.SERIES_DATASETS]
    assert LATEST_DATA_YEAR == max(int(f.loc[f["value"].notna(), "year"].max()) for f in frames)


def test_wdi_panels_agree_with_the_vietnam_extract(rd_data):
    panel = datasets.load("wdi_gerd_pct_gdp")
    vn = panel[panel["entity"] == "VNM"].set_index("year")["value"]
    uis = observed.gerd_share_series(rd_data.gerd, "uis")
    for year, value in uis.items():
        assert vn.loc[year] == pytest.approx(value, abs=5e-6)
    assert {"KOR", "CHN", "THA", "WLD"} <= set(panel["entity"])
    assert panel["entity"].isin(WDI_AGGREGATE_CODES).any()
    assert len(WDI_AGGREGATE_CODES) == 49


def test_gdp_per_capita_panel_has_vietnam_2025():
    pc = datasets.load("wdi_gdp_per_capita_usd")
    assert pc[(pc["entity"] == "VNM") & (pc["year"] == 2025)]["value"].iloc[0] == pytest.approx(5065.99, abs=0.01)


# ----------------------------------------------------------------------------- parsing and building


@pytest.mark.parametrize(
    "raw, expected",
    [
        ('2070000 (approx; "VND2.07 quadrillion")', [(2070000.0, "approx", None)]),
        ('>2100000 ("more than")', [(2100000.0, "at_least", None)]),
        (">=3", [(3.0, "at_least", None)]),
        ("~3160000", [(3160000.0, "approx", None)]),
        ("70-80", [(70.0, "range_low", None), (80.0, "range_high", None)]),
        ("0.41456", [(0.41456, "", None)]),
    ],
)
def test_parse_value(raw, expected):
    assert parse_value(raw) == expected


@pytest.mark.parametrize(
    "raw, kind", [("not found", "not_found"), ("not verified", "not_verified"), (None, "not_found")]
)
def test_parse_value_missing(raw, kind):
    ((value, qualifier, missing),) = parse_value(raw)
    assert pd.isna(value) and missing == kind


def test_parse_value_rejects_text_without_a_number():
    with pytest.raises(DataError, match="cannot read a number"):
        parse_value("about half")


WDI_SAMPLE = """\ufeff"Data Source","World Development Indicators",

"Last Updated Date","2026-07-13",

"Country Name","Country Code","Indicator Name","Indicator Code","2021","2022","2023",
"Viet Nam","VNM","Research and development expenditure (% of GDP)","GB.XPD.RSDV.GD.ZS","0.42494","","0.41456",
"World","WLD","Research and development expenditure (% of GDP)","GB.XPD.RSDV.GD.ZS","2.6","2.61","",
"""


def test_wdi_bulk_csv_parses_to_tidy_rows():
    bulk = parse_bulk_csv(WDI_SAMPLE)
    assert bulk.code == "GB.XPD.RSDV.GD.ZS" and bulk.last_updated == "2026-07-13"
    d = bulk.data
    assert list(d.columns) == RAW_COLUMNS
    assert len(d) == 4  # empty cells dropped
    assert d[(d.entity == "VNM") & (d.year == 2023)]["value"].iloc[0] == 0.41456
    assert (d["indicator"] == "gerd_pct_gdp").all()


def test_wdi_bulk_csv_rejects_other_layouts():
    with pytest.raises(DataError, match="not a WDI bulk CSV"):
        parse_bulk_csv("a,b\n1,2\n")


def test_build_reproduces_the_committed_snapshots(data_copy):
    """Every file and the manifest are rebuilt byte for byte, but a file `r57 data refresh` wrote (the scheduled job
    commits them), which `r57 data build` keeps: run on the committed data, the build finds nothing to change."""
    from analysis.data.review import build_reviewed

    shown: list[str] = []
    assert build_reviewed(paths.REFERENCE_DIR, raw=data_copy, log=shown.append)[:3] == (False, [], []), shown


def test_data_verify_command_exit_codes(data_copy, capsys):
    from analysis import cli

    assert cli.main(["data", "verify"]) == 0
    assert f"all {len(datasets.DATASETS)} datasets" in capsys.readouterr().out
    (data_copy / "vn_gerd.csv").write_text("tampered\n")
    assert cli.main(["data", "verify", "--data-dir", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert "vn_gerd.csv" in err and "checksum mismatch" in err


def test_ranking_value_types_are_kept():
    cities = datasets.load("rank_startupblink_cities")
    rank = cities[cities["indicator"] == "rank"].set_index(["entity", "year"])
    assert rank.loc[("da-nang", 2025), "value"] == 766 and rank.loc[("da-nang", 2025), "value_type"] == "reported"
    assert (
        rank.loc[("da-nang", 2024), "value"] == 896
        and rank.loc[("da-nang", 2024), "value_type"] == "derived_from_change"
    )
    assert rank.loc[("da-nang", 2023), "value_type"] == "not_ranked" and pd.isna(rank.loc[("da-nang", 2023), "value"])
    assert rank.loc[("hanoi", 2023), "value_type"] == "not_found"
    n = cities[(cities["indicator"] == "n_ranked") & (cities["entity"] == "da-nang") & (cities["year"] == 2025)].iloc[0]
    assert n["value"] == 1400 and n["qualifier"] == "at_least"
    imd = datasets.load("rank_imd_wdcr")
    vn = imd[(imd["entity"] == "VNM") & (imd["indicator"] == "rank")]
    assert len(vn) == 9 and (vn["value_type"] == "not_covered").all() and vn["value"].isna().all()
    gser = datasets.load("rank_startup_genome")
    band = gser[(gser["entity"] == "hanoi") & (gser["year"] == 2021) & (gser["indicator"] == "rank")]
    assert sorted(band["value"]) == [91, 100] and set(band["qualifier"]) == {"range_low", "range_high"}
    countries = datasets.load("rank_startupblink_countries")
    vn58 = countries[(countries["entity"] == "VNM") & (countries["year"] == 2023) & (countries["indicator"] == "rank")]
    assert vn58["value"].iloc[0] == 58


def test_each_egdi_figure_is_stored_in_one_file_only():
    """The UN DESA survey data (all members, 2010-2018, with components) and the Southeast Asian file (the later
    editions) share no (entity, indicator, edition); the 2024 components are the conference e-book's."""
    keys = ["entity", "indicator", "year"]
    full, sea = (datasets.load(name) for name in ("rank_un_egdi_full", "rank_un_egdi"))
    assert full[keys].merge(sea[keys]).empty
    assert set(full["year"]) == {2010, 2012, 2014, 2016, 2018} and set(sea["year"]) == {2020, 2022, 2024}
    osi = sea[sea["indicator"] == "osi"].set_index("entity")
    assert set(osi["year"]) == {2024} and osi.loc["VNM", "value"] == 0.7081
    assert osi["source"].str.startswith("HOU ISC proceedings (table citing UN E-Government Survey 2024)").all()
    assert set(osi["source_detail"]) <= set(datasets.DATASETS["rank_un_egdi"].meta["url"])  # the file names it


def test_checking_a_yaml_file_does_not_build_the_iri_parsers(tmp_path):
    """jsonschema would import rfc3987_syntax (~1 s of CPU building parsers) for "iri" formats no r57 schema uses;
    read_yaml_checked keeps it out, and still refuses a document that breaks its schema."""
    doc = tmp_path / "a.yaml"
    doc.write_text("n: one\n")
    code = (
        "import sys\n"
        "from analysis.data.schema import read_yaml_checked\n"
        "from analysis.errors import DataError\n"
        f"schema = {{'type': 'object', 'properties': {{'n': {{'type': 'integer'}}}}}}\n"
        "try:\n"
        f"    read_yaml_checked({str(doc)!r}, schema, 'the test file')\n"
        "except DataError as exc:\n"
        "    print(exc)\n"
        "print(sys.modules.get('rfc3987_syntax', 'absent'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == [f"the test file {doc}: n: 'one' is not of type 'integer'", "None"]


def _tidy(changes: dict[tuple[str, int], object]) -> pd.DataFrame:
    """Three valid rows of R&D in % of GDP with ``changes`` ((column, row) -> value) made."""
    rows = [
        {c: "" for c in RAW_COLUMNS} | {"entity": e, "indicator": "rd_pct_gdp", "year": y, "value": v}
        for e, y, v in (("VNM", 2020, 0.5), ("THA", 2020, 1.1), ("VNM", 2021, 0.4))
    ]
    df = pd.DataFrame(rows).assign(unit="% of GDP", value_type="reported", source="WDI")
    for (col, row), value in changes.items():
        df.loc[row, col] = value
    return df


@pytest.mark.parametrize(
    ("changes", "message", "rows"),
    [
        ({}, None, 0),
        ({("value_type", 1): "guess"}, "value_type not one of", 1),
        ({("qualifier", 0): "about"}, "qualifier not one of", 1),
        ({("value", 2): None}, "missing value without a value_type", 1),
        ({("value_type", 2): "not_found"}, "a value given although value_type says it is missing", 1),
        ({("source", 0): ""}, "empty entity, indicator or source", 1),
        ({("year", 0): None}, "missing year", 1),
        ({("year", 1): 1900, ("year", 2): 2051}, "year outside 1960-2050", 2),
        ({("indicator", 1): "gdp"}, "indicator not one of ['rd_pct_gdp']", 1),
        ({("unit", 1): "share"}, "unit of 'rd_pct_gdp' does not contain '%'", 1),
        ({("value", 0): 7.5}, "value of 'rd_pct_gdp' outside [0.0, 5.0]", 1),
        (
            {("year", 2): 2020, ("entity", 2): "THA"},
            "duplicate ['entity', 'indicator', 'year', 'source', 'qualifier']",
            2,
        ),
    ],
)
def test_each_tidy_rule_names_itself_and_counts_the_rows_breaking_it(changes, message, rows):
    from analysis.data.schema import DatasetSchema, IndicatorRule, validate_tidy

    schema = DatasetSchema("t", {"rd_pct_gdp": IndicatorRule("%", 0.0, 5.0)})
    df = _tidy(changes)
    if message is None:
        assert len(validate_tidy(df, schema, "t.csv")) == 3
        return
    with pytest.raises(DataError) as err:
        validate_tidy(df, schema, "t.csv")
    assert str(err.value).startswith(f"t.csv: {message}")
    assert f" in {rows} row(s), for example:\n" in str(err.value)


def test_a_text_column_read_all_empty_is_empty_text_without_a_pandas_warning():
    """read_csv types a column with no value (rank_un_egdi_full.csv's qualifier and note) as float64; filling it
    with "" warned (Pandas4Warning: a future pandas raises), 22 times a suite run."""
    import warnings

    from analysis.data.schema import DatasetSchema, IndicatorRule, validate_tidy

    schema = DatasetSchema("t", {"rd_pct_gdp": IndicatorRule("%", 0.0, 5.0)})
    df = _tidy({}).assign(qualifier=float("nan"), source_detail=float("nan"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = validate_tidy(df, schema, "t.csv")
    assert out["qualifier"].tolist() == out["source_detail"].tolist() == ["", "", ""]


# the wording sources as 23f78ae's file named them (our notes' codes, since replaced by the sources' names), in order
OLD_SOURCE_NAMES = {
    r"\(commit 928e4c9, 2025-01-12\)(?=; hdll|$)": "(commit 928e4c9, 2025-01-12), WORDING.md S1",
    r"\(commit 928e4c9, 2025-01-12\); VNA text$": "(commit 928e4c9, 2025-01-12), WORDING.md S1; VNA text (S3)",
    r"index for 2045 \(transcription, github\.com/thetrungdtt/VNMasterplan NQCP03\)": "index for 2045 (WORDING.md S6)",
    r"\(transcription, github\.com/thetrungdtt/VNMasterplan NQCP03\)": "(transcription, WORDING.md S6)",
    r"^confirmed \(the transcription and": "confirmed (S1 and",
    r"^transcription only(?=$|:|,)": "transcription only (S1)",
    r"punctuation from the transcription only": "punctuation from S1 only",
    r"^the transcription and the official": "transcription (S1) and the official",
}
WORDING_SOURCES = ["text_provenance", "wording_status", "government_docs"]


def _vintage_23f78ae(raw: Path, rename: dict[str, str] | None = None) -> Path:
    """The copy ``raw`` of data/raw turned into the vintage of commit 23f78ae (before 0531700): r57_targets.csv
    without its unit_kind column and with its sources as it named them, byte for byte that commit's file, signed
    in the manifest."""
    import yaml

    path = raw / "r57_targets.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns="unit_kind").replace(rename or {})
    df[WORDING_SOURCES] = df[WORDING_SOURCES].replace(OLD_SOURCE_NAMES, regex=True)
    df.to_csv(path, index=False)
    if not rename:
        assert sha256_of(path) == "3ec33a1491518e25657f8def241ed92f18214cb8b60d7ce222083f3a57325d46"  # 23f78ae's
    man = yaml.safe_load((raw / "manifest.yaml").read_text())
    next(e for e in man["files"] if e["file"] == "r57_targets.csv")["sha256"] = sha256_of(path)
    (raw / "manifest.yaml").write_text(yaml.safe_dump(man, allow_unicode=True))
    return path


def test_a_vintage_archived_before_unit_kind_runs_with_it_filled_from_the_compiled_targets(data_copy, monkeypatch):
    """`R57_RAW_DATA_DIR=<an archive> r57 run rd_paths --check` (docs/scheduling.md) failed with "missing columns
    ['unit_kind']" for every vintage archived before 0531700; the run's provenance now says what was filled in,
    of that folder only and of the datasets the run read (it was one process-wide record, never cleared)."""
    from analysis.reports import provenance

    _vintage_23f78ae(data_copy)
    kinds = datasets.load("r57_targets", data_copy).set_index("target_id")["unit_kind"]
    assert (kinds["T04"], kinds["T09"], kinds["T10"], kinds["T02"]) == ("share", "growth", "growth", "level")
    old, now = datasets.load("r57_targets", data_copy), datasets.load("r57_targets")
    assert old.drop(columns=WORDING_SOURCES).equals(now.drop(columns=WORDING_SOURCES))  # 23f78ae: the column, names
    note = f"unit_kind taken from {paths.REFERENCE_DIR / 'targets'} by target_id (archived without it)"
    assert datasets.filled_so_far(data_copy) == {"r57_targets.csv": note}
    assert datasets.filled_so_far() == {}  # the current data, loaded in the same process: nothing filled
    assert "data_filled" not in provenance.provenance_record("rd_paths", ["r57_targets"])
    monkeypatch.setattr(paths, "MANIFEST_PATH", data_copy / "manifest.yaml")
    assert provenance.provenance_record("rd_paths", ["r57_targets"])["data_filled"] == {"r57_targets.csv": note}
    assert "data_filled" not in provenance.provenance_record("rd_paths", ["vn_gerd"])  # a run that read no targets
    shutil.copy(paths.RAW_DATA_DIR / "r57_targets.csv", data_copy / "r57_targets.csv")  # current data, same folder
    _set_targets(data_copy, {})
    datasets.load("r57_targets", data_copy)
    assert datasets.filled_so_far(data_copy) == {}
    assert "data_filled" not in provenance.provenance_record("rd_paths", ["r57_targets"])
    env = {**os.environ, "R57_RAW_DATA_DIR": str(data_copy)}
    run = [sys.executable, "-m", "analysis.cli", "run", "rd_paths", "--check"]
    done = subprocess.run(run, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert datasets.verify_all(data_copy) == []


def test_an_old_vintage_with_a_target_the_compiled_targets_lack_is_refused_naming_it(data_copy):
    path = _vintage_23f78ae(data_copy, {"T26": "T99"})
    with pytest.raises(DataError, match=rf"{path}: no unit_kind column .* target\(s\) T99 are not in"):
        datasets.load("r57_targets", data_copy)


DEEP_YAML = "a: " + "[" * 50_000 + "1" + "]" * 50_000 + "\n"  # libyaml's composer recursed on it until a crash


def _hostile_manifest(folder: Path, kind: str) -> None:
    (folder / "manifest.yaml").unlink()
    if kind == "deep":
        (folder / "manifest.yaml").write_text(DEEP_YAML, encoding="utf-8")
    else:
        os.mkfifo(folder / "manifest.yaml")  # reading it waited forever for a writer


@pytest.mark.parametrize("kind", ["deep", "fifo"])
@pytest.mark.parametrize(
    "command, folder",
    [
        (["run", "rd_paths", "--output-dir", "{tmp}/out"], "raw"),
        (["data", "verify", "--data-dir", "{tmp}/raw"], "raw"),
        (["data", "build", "--reference", "{tmp}/external", "--data-dir", "{tmp}/new"], "external"),
    ],
    ids=["run", "verify", "build"],
)
def test_a_hostile_manifest_is_refused_naming_it_and_the_problem(tmp_path, command, folder, kind):
    for name, source in (("raw", paths.RAW_DATA_DIR), ("external", paths.REFERENCE_DIR)):
        shutil.copytree(source, tmp_path / name)
    _hostile_manifest(tmp_path / folder, kind)
    env = os.environ | {"R57_RAW_DATA_DIR": str(tmp_path / "raw")}
    args = [sys.executable, "-m", "analysis", *(a.format(tmp=tmp_path) for a in command)]
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300, check=False)
    problem = "nested deeper than 20 levels" if kind == "deep" else "is a FIFO, not a regular file"
    assert done.returncode == 1 and problem in done.stderr and f"{folder}/manifest.yaml" in done.stderr, done.stderr


def test_a_manifest_with_anchors_or_a_repeated_key_is_refused(data_copy):
    text = (data_copy / "manifest.yaml").read_text(encoding="utf-8")
    for bad, problem in ((text.replace("files:", "files: &all", 1), "anchors"), (text + "version: x\n", "twice")):
        (data_copy / "manifest.yaml").write_text(bad, encoding="utf-8")
        with pytest.raises(
            DataError, match=f"data manifest {data_copy / 'manifest.yaml'} is not valid YAML: .*{problem}"
        ):
            read_manifest(data_copy / "manifest.yaml")


def test_valued_keeps_the_rows_of_one_indicator_with_a_value():
    df = pd.DataFrame(
        {
            "indicator": ["a", "a", "b", "a", "a"],
            "entity": ["VNM", "VNM", "VNM", "THA", "VNM"],
            "year": [2020, 2021, 2020, 2020, 2022],
            "value": [1.0, None, 3.0, 4.0, 5.0],
        },
        index=[10, 11, 12, 13, 14],
    )
    assert list(valued(df, "a").index) == [10, 13, 14]  # the missing value and the other indicator left out
    assert list(valued(df, "a", entity="VNM").index) == [10, 14]
    assert valued(df, "a", entity="VNM", year=2021).empty
    assert first_valued(df, "a", entity="THA")["value"] == 4.0
    assert first_valued(df, "b", year=2021) is None
