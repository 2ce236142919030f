"""Issue 12, items 7-9: windows that tolerate biennial surveys, coverage jumps, counts by economy,
the income benchmark list, the decomposition of required growth, and peers aligned at a level."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import ParameterError
from analysis.models import decomposition as dc
from analysis.models import feasibility as fz
from analysis.models import growth_sim as gs
from analysis.models import peers
from analysis.reports import params, rd_feasibility  # noqa: F401 - importing it registers the report


def _panel(rows):
    return pd.DataFrame(rows, columns=["entity", "entity_name", "year", "value"])


# BIE surveys every other year; ANN has an exact 5-year pair.
#   BIE: 2001 1.0, 2003 1.2, 2005 1.4, 2007 2.0, 2009 2.4
#   ANN: 2000 0.5, 2005 0.9, 2006 1.0
BIENNIAL = _panel(
    [
        ("BIE", "Biennia", 2001, 1.0),
        ("BIE", "Biennia", 2003, 1.2),
        ("BIE", "Biennia", 2005, 1.4),
        ("BIE", "Biennia", 2007, 2.0),
        ("BIE", "Biennia", 2009, 2.4),
        ("ANN", "Annualia", 2000, 0.5),
        ("ANN", "Annualia", 2005, 0.9),
        ("ANN", "Annualia", 2006, 1.0),
    ]
)


def _windows5():
    return fz.window_rises_tolerant(BIENNIAL, 5)


def test_biennial_windows_by_hand():
    w = _windows5()
    got = {
        (r.entity, r.start_year): (r.end_year, r.span_years, r.end_kind, round(r.end_pct, 10), round(r.rise_pp, 10))
        for r in w.itertuples()
    }
    # 5-year windows, by hand:
    #   BIE 2001 -> 2006 not surveyed; 2005 (1.4) and 2007 (2.0) are: interpolated end 1.7, rise 0.7
    #   BIE 2003 -> 2008: 2007 (2.0) and 2009 (2.4): interpolated 2.2, rise 1.0
    #   BIE 2005 -> 2010: only 2009 (2.4) is within a year: nearest, a 4-year window, rise 1.0
    #   BIE 2007 -> 2012 and BIE 2009 -> 2014: nothing within a year: no window
    #   ANN 2000 -> 2005 observed: exact, rise 0.4; ANN 2005 -> 2010 and 2006 -> 2011: nothing
    assert got == {
        ("BIE", 2001): (2006, 5, "interpolated", 1.7, 0.7),
        ("BIE", 2003): (2008, 5, "interpolated", 2.2, 1.0),
        ("BIE", 2005): (2009, 4, "nearest", 2.4, 1.0),
        ("ANN", 2000): (2005, 5, "exact", 0.9, 0.4),
    }
    # the growth of the share uses the window's own span: (2.4 / 1.4)^(1/4) - 1 = 14.43 %
    near = w[w.end_kind == "nearest"].iloc[0]
    assert near["share_cagr_pct"] == pytest.approx(((2.4 / 1.4) ** 0.25 - 1) * 100)


def test_nearest_prefers_the_longer_neighbour_only_when_alone():
    p = _panel([("X", "X", 2000, 1.0), ("X", "X", 2004, 2.0)])
    # 3 years: 2003 missing, 2002 missing, 2004 present -> nearest, 4-year window
    w = fz.window_rises_tolerant(p, 3)
    assert w[["start_year", "end_year", "span_years", "end_kind"]].values.tolist() == [[2000, 2004, 4, "nearest"]]


def test_coverage_jumps_and_flags_by_hand():
    # BIE steps, annualised: 2001-03 (1.2/1.0)^(1/2) - 1 = 9.5 %; 2003-05 (1.4/1.2)^(1/2) - 1 = 8.0 %;
    # 2005-07 (2.0/1.4)^(1/2) - 1 = 19.5 %; 2007-09 (2.4/2.0)^(1/2) - 1 = 9.5 %. ANN 2005-06: 11.1 %;
    # ANN 2000-05 is five years apart: never a jump (too far apart to tell).
    j = fz.coverage_jumps(BIENNIAL, 15.0)
    assert j[["entity", "from_year", "to_year"]].values.tolist() == [["BIE", 2005, 2007]]
    assert j["change_pct_per_year"].iloc[0] == pytest.approx(((2.0 / 1.4) ** 0.5 - 1) * 100)
    assert fz.coverage_jumps(BIENNIAL, 25.0).empty
    # a fall as steep in log terms is flagged too: 2.0 -> 1.4 in two years
    down = _panel([("D", "D", 2000, 2.0), ("D", "D", 2002, 1.4)])
    assert len(fz.coverage_jumps(down, 15.0)) == 1
    w = _windows5()
    flags = fz.flag_windows(w, j)
    # every BIE window (2001-2006 uses 2007; 2003-2008; 2005-2009) contains the 2005-2007 step; ANN's does not
    assert dict(zip(w["entity"] + w["start_year"].astype(str), flags, strict=True)) == {
        "ANN2000": False,
        "BIE2001": True,
        "BIE2003": True,
        "BIE2005": True,
    }


def test_counts_by_economy_by_hand():
    w = _windows5()
    w["coverage_jump"] = fz.flag_windows(w, fz.coverage_jumps(BIENNIAL, 15.0))
    # rises: ANN 0.4 (start 0.5), BIE 0.7 (1.0), 1.0 (1.2), 1.0 (1.4); required 0.9, low start below 1.5
    c = fz.placement_by_economy(w, 0.9, 1.5)
    assert (c["windows"], c["economies"], c["windows_reaching"], c["economies_reaching"]) == (4, 2, 2, 1)
    assert (c["low_start_windows"], c["low_start_economies"], c["low_start_economies_reaching"]) == (4, 2, 1)
    assert c["economies_reaching_names"] == ["Biennia"]
    clean = fz.placement_by_economy(w, 0.9, 1.5, exclude_flagged=True)  # only ANN is left
    assert (clean["windows"], clean["economies"], clean["economies_reaching"]) == (1, 1, 0)
    exact = fz.placement_by_economy(w, 0.9, 1.5, kinds=("exact",))
    assert (exact["windows"], exact["economies_reaching"]) == (1, 0)
    table = fz.window_count_table(w, 0.9, 1.5)
    assert table["end points"].tolist() == ["exact", "interpolated", "nearest", "all", "all, no coverage jump"]
    assert table["windows"].tolist() == [1, 2, 1, 4, 1]
    assert table["economies_reaching"].tolist() == [0, 1, 1, 1, 0]


@settings(max_examples=60)
@given(
    obs=st.dictionaries(st.integers(2000, 2020), st.floats(0.01, 5.0), min_size=1, max_size=21),
    window=st.integers(1, 9),
)
def test_tolerant_windows_extend_the_exact_ones(obs, window):
    p = _panel([("Z", "Z", y, v) for y, v in sorted(obs.items())])
    tol = fz.window_rises_tolerant(p, window)
    # an exact window ends on an observation exactly ``window`` years on, and every such pair is one
    exact = tol[tol["end_kind"] == "exact"]
    assert (exact["end_year"] - exact["start_year"] == window).all() and exact["end_year"].isin(list(obs)).all()
    assert len(exact) == sum(y + window in obs for y in obs)
    # every end point is within one year of the window; starts are observed; one window per start at most
    assert ((tol["end_year"] - tol["start_year"] - window).abs() <= 1).all()
    assert (tol["span_years"] == tol["end_year"] - tol["start_year"]).all()
    assert tol["start_year"].isin(list(obs)).all() and not tol["start_year"].duplicated().any()
    for r in tol[tol["end_kind"] == "interpolated"].itertuples():
        assert r.end_pct == pytest.approx((obs[r.end_year - 1] + obs[r.end_year + 1]) / 2)
        assert r.end_year not in obs


def test_reached_share_at_income_lists_first_years():
    panel = pd.DataFrame(
        {
            "entity": ["A", "A", "B", "C"],
            "entity_name": ["A", "A", "B", "C"],
            "year": [2000, 2005, 2010, 2010],
            "gerd_pct_gdp": [2.1, 2.5, 1.9, 2.0],
            "gdp_pc_usd": [6000.0, 9000.0, 5000.0, 12000.0],
        }
    )
    r = fz.reached_share_at_income(panel, 2.0, 7000.0)
    # A first reached 2 % in 2000 at USD 6,000 (<= 7,000); C in 2010 at 12,000; B never
    assert r[["entity", "year", "at_or_below_income"]].values.tolist() == [["A", 2000, True], ["C", 2010, False]]


# ----------------------------------------------------------------------------- decomposition


def test_decomposition_by_hand():
    # Over 2 years: real GDP x1.21 (10 %/yr), prices x1.1025 (5 %/yr), intensity x4 (100 %/yr):
    # GERD grows 1.1 x 1.05 x 2 - 1 = 131 % a year; log points ln 1.1 + ln 1.05 + ln 2 = 0.837248.
    # Population x1.0201 (1 %/yr) and researchers per person x1.44 (20 %/yr) leave real spending per
    # researcher growing 1.1 x 2 / (1.01 x 1.2) - 1 = 81.5182 % a year.
    d = dc.decompose(2, 1.21, 1.1025, 4.0, 1.0201, 1.44).set_index(["decomposition", "component"])
    xi, rs = "gdp_x_intensity", "researchers_x_spending"
    total = d.loc[(xi, dc.TOTAL)]
    assert total["pct_per_year"] == pytest.approx(131.0)
    assert total["log_points_per_year"] == pytest.approx(math.log(1.1) + math.log(1.05) + math.log(2))
    assert d.loc[(xi, "intensity"), "pct_per_year"] == pytest.approx(100.0)
    assert d.loc[(rs, "researcher_density"), "pct_per_year"] == pytest.approx(20.0)
    assert d.loc[(rs, "real_spending_per_researcher"), "pct_per_year"] == pytest.approx((2.2 / 1.212 - 1) * 100)
    assert d.loc[(xi, "intensity"), "share_of_total_pct"] == pytest.approx(
        math.log(2) / (math.log(1.1) + math.log(1.05) + math.log(2)) * 100
    )
    for dec in (xi, rs):
        parts = d.loc[dec].drop(dc.TOTAL)
        assert parts["log_points_per_year"].sum() == pytest.approx(
            d.loc[(dec, dc.TOTAL), "log_points_per_year"], abs=1e-12
        )
        assert parts["share_of_total_pct"].sum() == pytest.approx(100.0)


@settings(max_examples=100)
@given(st.integers(1, 40), *(st.floats(0.05, 20.0) for _ in range(5)))
def test_decomposition_adds_up_exactly(years, g, pr, s, pop, dens):
    d = dc.decompose(years, g, pr, s, pop, dens)
    for _, part in d.groupby("decomposition"):
        total = part[part["component"] == dc.TOTAL]["log_points_per_year"].iloc[0]
        assert part[part["component"] != dc.TOTAL]["log_points_per_year"].sum() == pytest.approx(total, abs=1e-9)
        assert total == pytest.approx(math.log(g * pr * s) / years, abs=1e-9)


def test_density_path_by_hand():
    obs = pd.Series({2013: 100.0, 2015: 121.0})
    # trend: ln(121/100)/2 = ln 1.1 a year; base 2017 estimates 2016: 110 x 1.21 = 133.1, 2017: 146.41.
    # Target 177.1561 (= 146.41 x 1.21) by 2019: required 10 % a year; 2020 holds the target.
    p = dc.density_path(obs, 2017, 2020, 177.1561, 2019, 10).set_index("year")
    assert p["status"].to_dict() == {
        2013: "observed",
        2015: "observed",
        2016: "estimate",
        2017: "estimate",
        2018: "required",
        2019: "required",
        2020: "required",
    }
    np.testing.assert_allclose(p["value"].loc[2016:2020].to_numpy(), [133.1, 146.41, 161.051, 177.1561, 177.1561])
    # a base year between surveys is a log-linear interpolation: sqrt(100 x 121) = 110
    q = dc.density_path(obs, 2014, 2016, 121.0, 2016, 10).set_index("year")
    assert q.loc[2014, "status"] == "estimate" and q.loc[2014, "value"] == pytest.approx(110.0)
    assert q.loc[2016, "value"] == pytest.approx(121.0)
    with pytest.raises(ParameterError, match="base_year"):
        dc.density_path(obs, 2010, 2016, 121.0, 2016, 10)
    with pytest.raises(ParameterError, match="researchers_trend_years"):
        dc.density_path(pd.Series({2015: 1.0}), 2017, 2020, 2.0, 2020, 10)


# ----------------------------------------------------------------------------- peers

PEERS = _panel(
    [("UP", "Up", y, v) for y, v in zip(range(2000, 2011, 2), [0.2, 0.4, 0.8, 1.0, 1.2, 1.6], strict=True)]
    + [("HI", "High", 2000, 1.0), ("HI", "High", 2005, 1.5)]
    + [("NEAR", "Near", 2001, 0.52), ("NEAR", "Near", 2008, 0.9)]
    + [("LOW", "Low", 2000, 0.1), ("LOW", "Low", 2010, 0.3)]
)


def test_crossing_year_by_hand():
    # 0.6 lies between 0.4 (2002) and 0.8 (2004): 2002 + (0.6 - 0.4) / (0.8 - 0.4) x 2 = 2003.0
    assert peers.crossing_year(np.array([2000, 2002, 2004]), np.array([0.2, 0.4, 0.8]), 0.6) == (2003.0, "interpolated")
    assert peers.crossing_year(np.array([2001]), np.array([0.52]), 0.5)[1] == "observed_start"  # within 10 %
    assert peers.crossing_year(np.array([2000]), np.array([1.0]), 0.5) == (None, "already_above")
    assert peers.crossing_year(np.array([2000, 2010]), np.array([0.1, 0.3]), 0.5) == (None, "never_reached")
    assert peers.crossing_year(np.array([]), np.array([]), 0.5) == (None, "no_data")


def test_align_by_hand():
    paths, table = peers.align(PEERS, ["UP", "HI", "NEAR", "LOW"], 0.6)
    t = table.set_index("entity")
    assert t.loc["UP", "crossing_year"] == pytest.approx(2003.0)
    # the default horizons, a 5-year window and twice it: 5 years after 2003 is 2008, observed 1.2; 10 years
    # after is 2013, beyond the data: missing, not filled
    assert t.loc["UP", "share_after_5y_pct"] == pytest.approx(1.2)
    assert t.loc["UP", "share_after_10y_pct"] is None or pd.isna(t.loc["UP", "share_after_10y_pct"])
    # 6 years after 2003 is 2009, between 1.2 (2008) and 1.6 (2010): 1.2 + (1.6 - 1.2) / 2 = 1.4
    assert peers.align(PEERS, ["UP"], 0.6, horizons=(6,))[1].loc[0, "share_after_6y_pct"] == pytest.approx(1.4)
    assert pd.isna(t.loc["HI", "crossing_year"]) and pd.isna(t.loc["LOW", "crossing_year"])
    # how each was aligned, a code, with the first and last observation the report words it from
    assert t["how"].to_dict() == {
        "UP": "interpolated",
        "HI": "already_above",
        "NEAR": "interpolated",
        "LOW": "never_reached",
    }
    assert t.loc["HI", ["first_year", "first_value", "last_year", "last_value"]].tolist() == [2000, 1.0, 2005, 1.5]
    assert t.loc["LOW", ["first_year", "first_value", "last_year", "last_value"]].tolist() == [2000, 0.1, 2010, 0.3]
    up = paths[paths["entity"] == "UP"]
    # from the observation before the crossing (2002, at -1.0 years) to the last
    assert up["years_from_level"].tolist() == pytest.approx([-1.0, 1.0, 3.0, 5.0, 7.0])
    # NEAR starts at 0.52, below 0.6 and not within 10 % of it (0.54-0.66), and reaches 0.9 in 2008:
    # it crosses at 2001 + (0.6 - 0.52) / (0.9 - 0.52) x 7 = 2002.4737
    assert t.loc["NEAR", "crossing_year"] == pytest.approx(2001 + 0.08 / 0.38 * 7)
    assert set(paths["entity"]) == {"UP", "NEAR"}


def test_fastest_from_level_and_peer_list():
    f = peers.fastest_from_level(PEERS, 0.5, 5, exclude={"LOW"})
    # UP crosses 0.5 at 2002 + (0.5 - 0.4) / (0.8 - 0.4) x 2 = 2002.5; five years later, 2007.5, lies
    # between 2006 (1.0) and 2008 (1.2): 1.0 + (1.2 - 1.0) x 0.75 = 1.15;
    # NEAR starts at 0.52 (within 10 %) in 2001 and has 0.52 + 0.38 x 5/7 = 0.79143 in 2006
    assert f["entity"].tolist() == ["UP", "NEAR"]
    assert f["share_after_pct"].tolist() == pytest.approx([1.15, 0.52 + 0.38 * 5 / 7])
    assert peers.peer_list(["HI", "ZZZ"], f, 1, {"HI", "UP", "NEAR"}) == ["HI", "UP"]
    assert peers.peer_list(["UP"], f, 1, {"UP", "NEAR"}) == ["UP", "NEAR"]


# ----------------------------------------------------------------------------- prices in the simulation


def test_rate_paths_are_seeded_and_centred():
    a = gs.simulate_rate_paths(np.array([3.0, 3.0, 4.0]), 1.5, 0.0, 40_000, seed=5, stream=1)
    b = gs.simulate_rate_paths(np.array([3.0, 3.0, 4.0]), 1.5, 0.0, 40_000, seed=5, stream=1)
    c = gs.simulate_rate_paths(np.array([3.0, 3.0, 4.0]), 1.5, 0.0, 40_000, seed=5, stream=2)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    np.testing.assert_allclose(a.mean(0), [3.0, 3.0, 4.0], atol=4 * 1.5 / 200)
    np.testing.assert_allclose(a.std(0), 1.5, rtol=0.03)
    # AR(1) deviations: the variance after t years is sd^2 (1 + rho^2 + ... + rho^(2(t-1)))
    r = gs.simulate_rate_paths(np.zeros(3), 1.0, 0.5, 40_000, seed=5, stream=1)
    np.testing.assert_allclose(r.var(0), [1.0, 1.25, 1.3125], rtol=0.04)
    assert np.array_equal(gs.simulate_rate_paths(np.array([2.0, 1.0]), 0.0, 0.3, 3, 1, 1), np.tile([2.0, 1.0], (3, 1)))


def test_price_uncertainty_widens_the_gerd_band(rd_data):
    from analysis.data.observed import gdp_table
    from analysis.reports.rd_paths import resolve

    rd = resolve(params.validate("rd_paths", {}), rd_data)
    m = gs.fit_growth_model(gdp_table(rd_data.gdp)["real_growth_pct"].loc[2000:], order=1)
    g1, real_only = gs.simulate_gdp(rd.inputs, m, 5000, seed=3)
    g2, both = gs.simulate_gdp(rd.inputs, m, 5000, seed=3, deflator_sd_pp=1.7, depreciation_sd_pp=1.0)
    assert np.array_equal(g1, g2)  # the growth draws do not change when prices vary
    assert (real_only["deflator_pct"] == np.asarray(rd.inputs.deflator_pct)).all()
    assert both["gdp_vnd_bn"][:, -1].std() > real_only["gdp_vnd_bn"][:, -1].std()
    # official years are not simulated
    fixed = 1 + len(rd.inputs.observed_years)
    assert np.array_equal(both["gdp_vnd_bn"][:, :fixed], real_only["gdp_vnd_bn"][:, :fixed])


def test_peer_codes_are_checked_before_a_kernel():
    with pytest.raises(ParameterError, match="peer_economies"):
        params.validate("rd_feasibility", {"peer_economies": "CHN,korea"})
    with pytest.raises(ParameterError, match="peer_economies"):
        params.validate("rd_feasibility", {"peer_economies": "VNM"})
    assert params.validate("rd_feasibility", {"peer_economies": "CHN, THA"})["peer_economies"] == "CHN, THA"


def test_researcher_target_year_must_follow_the_base_year():
    with pytest.raises(ParameterError, match="researchers_target_year"):
        params.validate("rd_feasibility", {"base_year": 2023, "researchers_target_year": 2023})


def test_paths_from_a_given_start_by_hand():
    p = peers.paths_from(PEERS, {"HI": 2002.5, "UP": None, "LOW": float("nan")})
    # HI's observations 2000 and 2005 sit 2.5 years before and after 2002.5; UP and LOW have no start
    assert p["entity"].unique().tolist() == ["HI"] and p["years_from_start"].tolist() == [-2.5, 2.5]
    assert peers.paths_from(PEERS, {}).empty
