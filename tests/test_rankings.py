"""Ranking models: pace and regional arithmetic by hand, trend recovery, refusal, claims."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import params
from analysis import rankings as rk
from analysis import rankings_scenario as rs
from analysis.errors import ParameterError
from analysis.schema import RANK_COLUMNS


def _long(rows):
    """rows: (year, entity, country, rank, n, value_type)"""
    out = []
    for year, entity, country, rank, n, vt in rows:
        base = dict(index_name="test", year=year, entity=entity, entity_name=entity.title(), entity_type="country",
                    country=country, unit="", qualifier="", source="s", source_detail="", note="")
        out.append({**base, "indicator": "rank", "value": rank, "value_type": vt})
        out.append({**base, "indicator": "n_ranked", "value": n, "value_type": "reported"})
    return pd.DataFrame(out, columns=RANK_COLUMNS)


def test_required_pace_by_hand():
    # 766th of 1,400 in 2025 to 500th of 1,400 in 2030: 266 places / 5 = 53.2 a year;
    # percentile 54.714 % -> 35.714 %: 19.0 points / 5 = 3.8 a year
    p = rk.required_pace(766, 1400, 2025, 500, 2030)
    assert p["required_places_per_year"] == pytest.approx(53.2)
    assert p["required_percentile_points_per_year"] == pytest.approx(3.8)
    # a growing field: 55 of 118 -> 50 of 130 over 5 years: (46.61 - 38.46) / 5 = 1.63 points a year
    q = rk.required_pace(55, 118, 2025, 50, 2030, future_n=130)
    assert q["required_percentile_points_per_year"] == pytest.approx((55 / 118 - 50 / 130) * 100 / 5)


def test_best_observed_pace_by_hand():
    long = _long([(2020, "aaa", "VNM", 300, 1000, "reported"), (2022, "aaa", "VNM", 100, 1000, "reported"),
                  (2020, "bbb", "THA", 50, 1000, "reported"), (2021, "bbb", "THA", 40, 1000, "reported")])
    moves = rk.best_observed_pace(rk.all_rank_history(long))
    # aaa: 200 places over 2 years = 100 a year; bbb: 10 a year
    assert moves["entity"].tolist() == ["aaa", "bbb"]
    assert moves["places_per_year"].tolist() == [100.0, 10.0]
    assert moves["percentile_points_per_year"].iloc[0] == pytest.approx(10.0)


def test_regional_rank_by_hand():
    long = _long([
        (2024, "SGP", "SGP", 3, 193, "reported"), (2024, "THA", "THA", 52, 193, "reported"),
        (2024, "VNM", "VNM", 71, 193, "reported"), (2024, "PHL", "PHL", 73, 193, "reported"),
        (2024, "USA", "USA", 10, 193, "reported"),  # not in the region
        (2024, "BRN", "BRN", np.nan, 193, "not_found"), (2022, "BRN", "BRN", 60, 193, "reported"),
        (2022, "VNM", "VNM", 86, 193, "reported"),
        (2022, "KHM", "KHM", 127, 193, "reported"),  # absent from the 2024 data altogether
    ])
    st = rk.regional_standing(long, 2024, "VNM")
    assert st["regional_rank"] == 3  # SGP, THA ahead; USA is not Southeast Asian
    assert st["regional_unknown"] == 2  # BRN not found, KHM not in the 2024 data
    assert st["regional_unknown_ahead_last_time"] == 1  # BRN 60 < VNM 86 in 2022; KHM 127 behind
    assert st["regional_rank_likely"] == 4
    assert st["next_ahead"] == "Tha" and st["places_to_overtake"] == 71 - 52 + 1


def test_trend_fit_recovers_a_known_slope():
    # percentile falls 6 % a year exactly: log pct = log(50) + log(0.94) t
    years = np.arange(2015, 2025)
    ranks = 50 * 0.94 ** (years - 2015)
    long = _long([(int(y), "x", "VNM", float(r), 100, "reported") for y, r in zip(years, ranks, strict=True)])
    fit = rk.fit_trajectory(rk.rank_series(long, "x"), "log_percentile", 4, "x")
    assert fit.slope_per_year == pytest.approx(-0.06, abs=1e-9)
    pr = rk.project(fit, 2030, 100, 80, target_rank=20)
    assert pr["projected_rank"] == pytest.approx(50 * 0.94 ** 15, rel=1e-6)


def test_trend_fit_recovers_slope_with_noise_and_gives_a_sensible_probability():
    rng = np.random.default_rng(0)
    years = np.arange(2010, 2026)
    ranks = 80 * np.exp(-0.04 * (years - 2010) + rng.normal(0, 0.05, len(years)))
    long = _long([(int(y), "x", "VNM", float(r), 130, "reported") for y, r in zip(years, ranks, strict=True)])
    fit = rk.fit_trajectory(rk.rank_series(long, "x"), "log_rank", 4, "x")
    assert np.log1p(fit.slope_per_year) == pytest.approx(-0.04, abs=0.01)
    pr = rk.project(fit, 2030, 130, 80, target_rank=30)
    assert pr["projected_rank_lo"] < pr["projected_rank"] < pr["projected_rank_hi"]
    # the target is close to the central projection: probability near one half
    central = rk.project(fit, 2030, 130, 80, target_rank=pr["projected_rank"])
    assert central["prob_reach_target_pct"] == pytest.approx(50, abs=1)


def test_too_few_points_are_refused_not_extrapolated():
    long = _long([(2024, "dn", "VNM", 896, 1000, "derived_from_change"), (2025, "dn", "VNM", 766, 1400, "reported"),
                  (2023, "dn", "VNM", np.nan, 1000, "not_ranked")])
    with pytest.raises(rk.InsufficientDataError, match=r"has 2 edition\(s\).*2024, 2025.*at least 4.*Not extrapolating"):
        rk.fit_trajectory(rk.rank_series(long, "dn"), min_points=4, entity="Da Nang")


def test_bands_and_missing_values_are_never_fitted():
    long = _long([(2021, "h", "VNM", 91, 100, "band"), (2022, "h", "VNM", np.nan, 100, "not_ranked")])
    assert rk.rank_series(long, "h").empty


def test_score_curve_by_hand_and_required_growth():
    # score = 1000 / rank exactly (log-log with slope -1)
    pts = pd.DataFrame({"year": 2022, "entity": list("abcdef"), "rank": [1, 2, 5, 10, 50, 100]})
    pts["score"] = 1000 / pts["rank"]
    c = rk.fit_score_curve(pts, form="log_log")
    assert c.b == pytest.approx(-1.0) and np.exp(c.a) == pytest.approx(1000)
    # from rank 100 to 50 in 2 years with no drift: the score must double, sqrt(2) - 1 = 41.4 % a year;
    # with the field drifting 10 % a year: 1.41421 * 1.1 - 1 = 55.6 %
    assert rk.required_score_growth_pct(c, 100, 50, 2, 0.0) == pytest.approx((2 ** 0.5 - 1) * 100)
    assert rk.required_score_growth_pct(c, 100, 50, 2, 10.0) == pytest.approx((2 ** 0.5 * 1.1 - 1) * 100)


def test_field_drift_by_hand():
    pts = pd.DataFrame({"year": [2020, 2022, 2020, 2022], "entity": ["a", "a", "b", "b"], "rank": [1, 1, 2, 2],
                        "score": [100.0, 121.0, 50.0, 50.0]})
    drift, _ = rk.field_drift_pct(pts)  # a: 10 % a year, b: 0 % -> median 5 %
    assert drift == pytest.approx(5.0)


def test_claims_check_on_the_real_data():
    c = rs.claims_check().set_index("claim")
    assert "2023 edition" in c.iloc[0]["what the data show"] and "out of date" in c.iloc[0]["verdict"]
    assert "up 130 from 896" in c.iloc[1]["what the data show"] and "denominator is wrong" in c.iloc[1]["verdict"]
    assert c.iloc[2]["verdict"].startswith("not supported")


def test_targets_tracker_statuses():
    p = params.validate("ecosystem_rankings", {})
    t = rs.targets_tracker(p).set_index("target")
    imd = t[t["index"].str.contains("IMD")]
    assert (imd["status"] == "not measurable").all() and imd["reason"].str.contains("not covered").all()
    egdi_world = t.loc["E-government: top 50 in the world by 2030"]
    assert egdi_world["latest"] == 71 and egdi_world["latest_edition"] == 2024
    assert set(t["status"]) <= {"on track", "off track", "not measurable"}


@pytest.mark.parametrize("given, name", [({"index_name": "fifa"}, "index_name"), ({"target_rank": 0}, "target_rank"),
                                          ({"rank_scale": "linear"}, "rank_scale")])
def test_bad_ranking_parameters(given, name):
    with pytest.raises(ParameterError) as err:
        params.validate("ecosystem_rankings", given)
    assert err.value.name == name


def test_unknown_entity_lists_the_allowed_ones():
    from analysis.runner import preflight

    with pytest.raises(ParameterError, match="entity.*'Atlantis' is not in this index.*VNM"):
        preflight("ecosystem_rankings", {"entity": "Atlantis"})
    # names are accepted as well as codes
    preflight("ecosystem_rankings", {"index_name": "startupblink_city", "entity": "Da Nang"})


@pytest.mark.parametrize("code", sorted(rk.INDICES))
def test_stacked_history_equals_entity_by_entity(code):
    long = rk.load_index(code)
    fast = rk.all_rank_history(long)
    slow = []
    for entity in sorted(long["entity"].unique()):
        s = rk.rank_series(long, entity)
        if len(s):
            slow.append(s.reset_index().assign(entity=entity))
    slow = pd.concat(slow, ignore_index=True).sort_values(["entity", "year"]).reset_index(drop=True)
    fast = fast.sort_values(["entity", "year"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(fast.drop(columns="entity_name"), slow, check_dtype=False)
