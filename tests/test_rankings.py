"""Ranking models: pace and regional arithmetic by hand, trend recovery, refusal, claims."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import i18n, paths
from analysis.data import build_rankings
from analysis.data.schema import RANK_COLUMNS
from analysis.errors import DataError, ParameterError
from analysis.models import rankings as rk
from analysis.models import targets as tg
from analysis.reports import ecosystem_rankings as rs
from analysis.reports import editorial, params, registry


def _long(rows):
    """rows: (year, entity, country, rank, n, value_type)"""
    out = []
    for year, entity, country, rank, n, vt in rows:
        base = dict(
            index_name="test",
            year=year,
            entity=entity,
            entity_name=entity.title(),
            entity_type="country",
            country=country,
            unit="",
            qualifier="",
            source="s",
            source_detail="",
            note="",
        )
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
    long = _long(
        [
            (2020, "aaa", "VNM", 300, 1000, "reported"),
            (2022, "aaa", "VNM", 100, 1000, "reported"),
            (2020, "bbb", "THA", 50, 1000, "reported"),
            (2021, "bbb", "THA", 40, 1000, "reported"),
        ]
    )
    moves = rk.best_observed_pace(rk.all_rank_history(long))
    # aaa: 200 places over 2 years = 100 a year; bbb: 10 a year
    assert moves["entity"].tolist() == ["aaa", "bbb"]
    assert moves["places_per_year"].tolist() == [100.0, 10.0]
    assert moves["percentile_points_per_year"].iloc[0] == pytest.approx(10.0)


def test_regional_rank_by_hand():
    long = _long(
        [
            (2024, "SGP", "SGP", 3, 193, "reported"),
            (2024, "THA", "THA", 52, 193, "reported"),
            (2024, "VNM", "VNM", 71, 193, "reported"),
            (2024, "PHL", "PHL", 73, 193, "reported"),
            (2024, "USA", "USA", 10, 193, "reported"),  # not in the region
            (2024, "BRN", "BRN", np.nan, 193, "not_found"),
            (2022, "BRN", "BRN", 60, 193, "reported"),
            (2022, "VNM", "VNM", 86, 193, "reported"),
            (2022, "KHM", "KHM", 127, 193, "reported"),  # absent from the 2024 data altogether
        ]
    )
    st = rk.regional_standing(long, 2024, "VNM")
    assert st["regional_rank"] == 3  # SGP, THA ahead; USA is not Southeast Asian
    assert st["regional_unknown"] == 2  # BRN not found, KHM not in the 2024 data
    assert st["regional_unknown_ahead_last_time"] == 1  # BRN 60 < VNM 86 in 2022; KHM 127 behind
    assert st["regional_unknown_ahead"] == [("Brn", 2022)]  # named, with the edition it was last ranked in
    assert st["regional_rank_if_unknown_ahead"] == 4  # a bound: the position stays 3 (nothing carried forward)
    assert st["next_ahead"] == "Tha" and st["places_to_overtake"] == 71 - 52 + 1
    # BRN and KHM may be ahead in 2024: the position is not known, only its bounds (3rd, or 5th with both ahead)
    assert (st["regional_rank_latest"], st["regional_rank_best"], st["regional_rank_worst"]) == (None, 3, 5)
    assert st["regional_rank_stated"] is None


def test_a_regional_position_is_known_when_every_member_that_may_be_ahead_has_a_rank_or_the_source_states_it():
    rows = [
        (2024, "SGP", "SGP", 3, 193, "reported"),
        (2024, "VNM", "VNM", 71, 193, "reported"),
        (2024, "KHM", "KHM", np.nan, 193, "not_ranked"),  # not ranked that edition: not ahead
        (2024, "TLS", "TLS", np.nan, 193, "not_covered"),  # not covered by the index: not ahead
    ]
    st = rk.regional_standing(_long(rows), 2024, "VNM")
    assert (st["regional_rank_latest"], st["regional_rank_best"], st["regional_rank_worst"]) == (2, 2, 2)
    # THA has no 2024 rank: 2nd or 3rd, unless the source of Viet Nam's rank states the position
    long = _long([*rows, (2024, "THA", "THA", np.nan, 193, "not_found")])
    assert rk.regional_standing(long, 2024, "VNM")["regional_rank_latest"] is None
    # the position Viet Nam's source states (a rank_sea_stated row of the data, read from its note by the build)
    said = long[(long["entity"] == "VNM") & (long["indicator"] == "rank")].assign(
        indicator="rank_sea_stated", value_type="statement", source="the source of the rank"
    )
    for said_position, stated in [(3, 3), (2, 2), (5, None)]:  # 5th: outside the bounds (2nd to 3rd), not used
        st = rk.regional_standing(pd.concat([long, said.assign(value=said_position)]), 2024, "VNM")
        assert st["regional_rank_stated"] == st["regional_rank_latest"] == stated, said_position
        assert st["regional_rank_stated_source"] == (stated and "the source of the rank")
        assert (st["regional_rank_best"], st["regional_rank_worst"]) == ((stated, stated) if stated else (2, 3))


def test_a_position_stated_before_timor_leste_joined_asean_counts_ten_members():
    # Timor-Leste joined ASEAN on 26 Oct 2025: "3rd in ASEAN" of a 2025 edition is among 10; a Timor-Leste rank
    # ahead makes it 4th in Southeast Asia (the 11 the pages name); from the 2026 editions the two are one group
    for year, stated in [(2025, 4), (2026, None)]:  # 2026: "3rd" outside the bounds (4th, as ranked), not used
        rows = [(year, e, e, rank, 193, "reported") for e, rank in [("SGP", 3), ("MYS", 34), ("TLS", 40), ("VNM", 44)]]
        long = _long(rows)
        said = long[(long["entity"] == "VNM") & (long["indicator"] == "rank")]
        said = said.assign(indicator="rank_sea_stated", value_type="statement", value=3)
        st = rk.regional_standing(pd.concat([long, said]), year, "VNM")
        assert (st["regional_rank"], st["regional_rank_stated"], st["regional_rank_latest"]) == (4, stated, 4), year
    # Timor-Leste behind (EGDI 2022: 147th; Viet Nam 86th): ten and eleven give the same position
    long = _long([(2022, e, e, rank, 193, "reported") for e, rank in [("SGP", 12), ("VNM", 86), ("TLS", 147)]])
    said = long[(long["entity"] == "VNM") & (long["indicator"] == "rank")].assign(indicator="rank_sea_stated", value=2)
    assert rk.regional_standing(pd.concat([long, said]), 2022, "VNM")["regional_rank_stated"] == 2


def test_regional_history_by_hand_and_as_regional_standing_reads_each_edition():
    long = _long(
        [
            (2020, "SGP", "SGP", 8, 130, "reported"),
            (2020, "VNM", "VNM", 42, 130, "reported"),
            (2020, "THA", "THA", 44, 130, "derived_from_change"),
            (2021, "VNM", "VNM", 44, 132, "reported"),
            (2021, "THA", "THA", 43, 132, "reported"),
            (2021, "USA", "USA", 3, 132, "reported"),  # not in the region
            (2022, "SGP", "SGP", np.nan, 132, "not_found"),  # not carried forward: VNM 1st or 2nd, not known
            (2022, "VNM", "VNM", 48, 132, "reported"),
            (2023, "VNM", "VNM", np.nan, 132, "not_ranked"),  # no position that edition
            (2023, "THA", "THA", 41, 132, "reported"),
        ]
    )
    hist = rk.regional_history(long, "VNM")
    # 2021: SGP has no row (2nd or 3rd), 2022: SGP not found (1st or 2nd): only 2020's position is known
    assert hist.to_dict() == {2020: 2.0}
    for year in (2020, 2021, 2022, 2023):
        assert rk.regional_standing(long, year, "VNM").get("regional_rank_latest") == hist.get(year)
    assert [rk.regional_standing(long, y, "VNM")["regional_rank"] for y in (2021, 2022)] == [2, 1]  # the best cases


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
    assert rk.required_score_growth_pct(c, 100, 50, 2, 0.0) == pytest.approx((2**0.5 - 1) * 100)
    assert rk.required_score_growth_pct(c, 100, 50, 2, 10.0) == pytest.approx((2**0.5 * 1.1 - 1) * 100)


@settings(max_examples=40)
@given(
    st.lists(st.integers(1, 300), min_size=5, max_size=60, unique=True),
    st.lists(st.floats(0.5, 100.0), min_size=60, max_size=60),
    st.sampled_from(["log_log", "log_linear"]),
)
def test_the_score_curve_is_statsmodels_ols_fit_to_the_last_bit(ranks, scores, form):
    # the curve is fitted without importing statsmodels (0.5 s of each rankings kernel); its numbers are OLS's own
    from statsmodels.regression.linear_model import OLS
    from statsmodels.tools.tools import add_constant

    pts = pd.DataFrame({"year": 2024, "entity": [f"e{r}" for r in ranks], "rank": ranks, "score": scores[: len(ranks)]})
    c = rk.fit_score_curve(pts, form=form)
    x = np.log(pts["rank"]) if form == "log_log" else pts["rank"].astype(float)
    res = OLS(np.log(pts["score"]).to_numpy(), add_constant(x.to_numpy())).fit()
    np.testing.assert_array_equal([c.a, c.b, c.r2], [*res.params[:2], res.rsquared])  # exactly (NaN: all scores equal)


def test_field_drift_by_hand():
    pts = pd.DataFrame(
        {
            "year": [2020, 2022, 2020, 2022],
            "entity": ["a", "a", "b", "b"],
            "rank": [1, 1, 2, 2],
            "score": [100.0, 121.0, 50.0, 50.0],
        }
    )
    drift, _ = rk.field_drift_pct(pts)  # a: 10 % a year, b: 0 % -> median 5 %
    assert drift == pytest.approx(5.0)


def test_claims_check_on_the_real_data():
    c = rs.claims_check().set_index("claim")
    assert "2023 edition" in c.iloc[0]["what the data show"] and "out of date" in c.iloc[0]["verdict"]
    assert "up 130 from 896" in c.iloc[1]["what the data show"] and "denominator is wrong" in c.iloc[1]["verdict"]
    assert c.iloc[2]["verdict"].startswith("not supported")


def test_each_claim_rule_computes_the_figures_and_outcomes_it_declares():
    for c, f in zip(editorial.ranking_claims(), rs.claim_facts(), strict=True):
        rule = editorial.RANKING_RULES[c["check"]]
        assert set(f["fields"]) == rule["fields"] and f["outcome"] in rule["verdicts"]
    assert set(rs.CLAIM_CHECKS) == set(editorial.RANKING_RULES)


def _claim(check):
    return next(c for c in editorial.ranking_claims() if c["check"] == check)


@pytest.mark.parametrize(
    "claimed, editions, outcome",
    # StartupBlink countries, Viet Nam: 59 (2020), 59 (2021), 54 (2022), 58 (2023), 56 (2024), 55 of 118+ (2025)
    [
        (58, [2023], "out_of_date"),
        (59, [2020, 2021], "out_of_date"),
        (55, [2025], "supported"),
        (57, [], "not_supported"),
    ],
)
def test_rank_held_claim_by_hand(claimed, editions, outcome):
    c = {**_claim("rank_held"), "claimed": {"rank": claimed}}
    f = rs.CLAIM_CHECKS["rank_held"](c, rk.load_index(c["index"]))
    assert (f["fields"]["editions"], f["outcome"], f["found"]) == (editions, outcome, bool(editions))
    assert (f["fields"]["rank"], f["fields"]["latest_n"], f["fields"]["year"]) == (55, 118, 2025)


@pytest.mark.parametrize(
    "claimed, outcome",
    # Da Nang: 896 (2024, worked back) -> 766 (2025) of 1,400+ cities: rise 130; each claimed figure off by one fails
    [
        ({"rank": 766, "rise": 130, "field": 1000, "year": 2025}, "field_wrong"),
        ({"rank": 766, "rise": 130, "field": 1400, "year": 2025}, "check"),
        ({"rank": 766, "rise": 131, "field": 1000, "year": 2025}, "check"),
        ({"rank": 765, "rise": 130, "field": 1000, "year": 2025}, "check"),
    ],
)
def test_rise_claim_by_hand(claimed, outcome):
    c = {**_claim("rise"), "claimed": claimed}
    f = rs.CLAIM_CHECKS["rise"](c, rk.load_index(c["index"]))
    assert f["outcome"] == outcome
    assert (f["fields"]["rise"], f["fields"]["rank_before"], f["fields"]["n"], f["fields"]["plus"]) == (
        130,
        896,
        1400,
        "+",
    )


@pytest.mark.parametrize("top, outcome", [(20, "not_supported"), (147, "not_supported"), (148, "supported")])
def test_top_claim_by_hand(top, outcome):
    # Hanoi: StartupBlink best 148 (2025); Startup Genome band 91-100 in 2021 only
    c = {**_claim("top"), "claimed": {"top": top}}
    f = rs.CLAIM_CHECKS["top"](c, rk.load_index(c["index"]))
    assert f["outcome"] == outcome
    assert [f["fields"][k] for k in ("best", "best_year", "lo", "hi", "band_year")] == [148, 2025, 91, 100, 2021]


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda d: d["claims"][1]["claimed"].pop("rise"), "claims/1/claimed"),
        (lambda d: d["claims"][0]["verdicts"].pop("out_of_date"), "claims/0/verdicts"),
        (lambda d: d["claims"][2].update(check="rank_above"), "claims/2/check"),
        (lambda d: d["claims"][0].update(shown="{rank} of {field}"), "claims/0/shown: no figure named field"),
        (lambda d: d["claims"][2].pop("found_in"), "claims/2"),
        (lambda d: d["claims"][2].pop("shown_none"), "claims/2/shown_none: missing"),
        (
            lambda d: d["claims"][2]["claimed"].update(field=1000),
            "claims/2/claimed: rule top takes top, not field, top",
        ),
        (lambda d: d["claims"][1]["claimed"].update(rise="130"), "claims/1/claimed/rise"),
    ],
)
def test_malformed_ranking_claim_refused(tmp_path, change, field):
    doc = yaml.safe_load(editorial.RANKING_CLAIMS_PATH.read_text(encoding="utf-8"))
    change(doc)
    path = tmp_path / "rankings.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(DataError, match=f"{path}: {field}"):
        editorial.ranking_claims(path)


def test_targets_tracker_statuses():
    p = params.validate("ecosystem_rankings", {})
    t = rs.words(rs.run(p)).targets.set_index("target_id")  # the tracker's targets (r57_targets.csv)
    assert list(t.index) == ["T01a", "T01b", "T01c", "T01d", "T19"]
    imd = t[t["index"] == "imd_wdcr"]
    assert (imd["status"] == "not measurable").all() and imd["reason"].str.contains("not covered").all()
    egdi_world = t.loc["T01d"]
    assert egdi_world["latest"] == 71 and egdi_world["latest_edition"] == 2024
    assert set(t["status"]) <= {"on track", "needs acceleration", "off track", "not measurable"}
    # the pace rule, not a naive projection: -3.75 places a year in 2020-24 against -3.5 needed (on track), but
    # -0.94 over the long window (off track): the less favourable decides
    assert egdi_world["status"] == "off track" and egdi_world["pace_short"] == pytest.approx(-3.75)
    # Viet Nam 5th in Southeast Asia in 2024 (SG 3, TH 52, MY 57, ID 64, VN 71): Brunei's 2020 rank not carried;
    # the source states 5th, so no "6 if Brunei is ahead" beside it
    egdi_sea = t.loc["T01c"]
    assert egdi_sea["latest"] == 5 and "Brunei" not in egdi_sea["reason"] and "if" not in egdi_sea["reason"]


@pytest.mark.parametrize(
    "given, name",
    [
        ({"index_name": "fifa"}, "index_name"),
        ({"target_rank": 0}, "target_rank"),
        ({"projection_method": "linear"}, "projection_method"),
        ({"min_points": 6, "fit_last_editions": 5}, "min_points"),
    ],
)
def test_bad_ranking_parameters(given, name):
    with pytest.raises(ParameterError) as err:
        params.validate("ecosystem_rankings", given)
    assert err.value.name == name


def test_unknown_entity_lists_the_allowed_ones():
    from analysis.run.runner import preflight

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


# ----------------------------------------------------------------------------- issue 13: backtest and field size


from analysis.models import backtest as bt  # noqa: E402


def _pts(years, ranks, n):
    r = np.asarray(ranks, float)
    nn = np.broadcast_to(np.asarray(n, float), r.shape)
    return pd.DataFrame({"year": years, "rank": r, "n_ranked": nn, "percentile": r / nn * 100})


def test_entrants_below_improve_the_percentile_but_not_the_rank():
    # entity 10th of 100 in 2020-2022; in 2023 the field doubles with all 100 newcomers below it: still 10th, of 200.
    pts = _pts([2020, 2021, 2022, 2023], [10, 10, 10, 10], [100, 100, 100, 200])
    pairs = pd.DataFrame({"steps": [1] * 8, "year": [2020] * 8, "dlog_rank": np.zeros(8), "dlog_pct": np.zeros(8)})

    def one(method):
        f = bt.forecast(pts["year"], pts["rank"], [2025], method, ranks=bt.RankInputs.of(pts, pairs, 2))
        return float(f.center[0]), float(f.lo[0]), float(f.hi[0])

    assert one("drift_rank")[0] == pytest.approx(10.0)  # no trend in rank
    # percentile 10, 10, 10, 5: slope of log pct = sum((x - 2021.5)(y - ybar)) / 5 = -1.5 ln 2 / 5 = -0.3 ln 2 a year;
    # 2025: 5 % x 2^-0.6 = 3.2988 % of the latest field (200) = rank 6.60, a gain made only by newcomers
    assert one("drift_percentile")[0] == pytest.approx(200 * 0.05 * 2**-0.6, rel=1e-9)
    assert one("naive") == pytest.approx((10.0, 10.0, 10.0))
    with pytest.raises(bt.InsufficientDataError) as e:  # a rank method needs the index's past changes
        bt.forecast(pts["year"], pts["rank"], [2025], "naive", ranks=bt.RankInputs.of(pts, pairs.iloc[:0], 2))
    assert (e.value.code, e.value.facts) == ("too_few_changes", {"n": bt.MIN_POOL, "percentile": False})


def test_newcomers_effect_when_only_field_sizes_are_known():
    # 3rd of 5, then 5th of 7: 2 entrants; spread evenly, 5/7 x 2 = 1.43 of them are ahead
    e = bt.newcomer_effect(3, 5, 5, 7)
    assert e["published_change"] == 2 and e["newcomers_ahead_if_even"] == pytest.approx(2 * 5 / 7)
    assert e["common_change_if_even"] == pytest.approx(2 - 2 * 5 / 7)


def test_spread_uses_same_horizon_changes_or_scales_one_step_ones():
    pairs = pd.DataFrame(
        {
            "steps": [1] * 8 + [2] * 3,
            "year": [2020] * 11,
            "dlog_rank": [-0.2, -0.1, 0, 0, 0, 0.1, 0.1, 0.3, 9, 9, 9],
            "dlog_pct": np.nan,
        }
    )
    one = bt.spread(pairs, 1, None)
    assert len(one.changes) == 8 and one.same_horizon and rs.spread_words(one) == "8 past 1-edition changes"
    four = bt.spread(pairs, 4, None)  # no 4-step changes: the 8 one-step changes x sqrt(4) = x 2
    np.testing.assert_allclose(np.sort(four.changes), np.sort(one.changes) * 2)
    assert not four.same_horizon and not four.carries_probability
    assert rs.spread_words(four).endswith("(no 4-edition changes in the data)")
    two = bt.spread(pairs, 2, None)  # only 3 two-step changes (fewer than 8): one-step ones scaled by sqrt(2)
    assert rs.spread_words(two).endswith("(only 3 2-edition changes in the data)")
    assert bt.spread(pairs, 1, 2019) is None  # nothing published by 2019
    # 50 % interval: the 25th and 75th percentiles of the eight sorted changes -0.2 -0.1 0 0 0 0.1 0.1 0.3 with
    # linear interpolation: position 7 x 0.25 = 1.75 -> -0.1 + 0.75 x 0.1 = -0.025; position 5.25 -> 0.1
    lo, _, hi = one.quantiles(50)
    assert (lo, hi) == pytest.approx((-0.025, 0.1))


def test_backtest_by_hand_on_a_small_index():
    # three entities, five editions. a and c constant (10, 50): naive is exact; b: 40, 36, 32, 28, 24.
    # By 2023 there are 3 x 3 = 9 one-edition changes, enough (MIN_POOL = 8) for the spread.
    rows = [(y, "a", "AAA", 10, 100, "reported") for y in range(2020, 2025)]
    rows += [(y, "c", "CCC", 50, 100, "reported") for y in range(2020, 2025)]
    rows += [(y, "b", "BBB", 40 - 4 * k, 100, "reported") for k, y in enumerate(range(2020, 2025))]
    long = _long(rows)
    cases = bt.backtest_cases(long, rk.all_rank_history(long), min_points=4)
    # with 4 points needed before the origin, only edition 2024 at h = 1 can be forecast by every method: 3 cases each
    assert set(cases["edition"]) == {2024} and set(cases["horizon"]) == {1}
    naive = cases[cases["method"] == "naive"].set_index("entity")
    assert naive.loc["a", "abs_error"] == pytest.approx(0, abs=1e-9) and naive.loc["b", "forecast"] == pytest.approx(28)
    assert naive.loc["b", "abs_error"] == pytest.approx(4)
    s = bt.summarise(cases).set_index(["horizon", "method"])
    assert s.loc[("all", "naive"), "mae_places"] == pytest.approx(4 / 3)  # (0 + 4 + 0) / 3
    # drift in rank: b's log rank falls ln(40/28)/3-ish a year; a and c have no trend; b's 2024 forecast beats naive
    drift = cases[cases["method"] == "drift_rank"].set_index("entity")
    assert drift.loc["a", "abs_error"] == pytest.approx(0, abs=1e-9) and drift.loc["b", "abs_error"] < 4
    # too few cases to judge: the naive forecast is used and the reason says so
    assert bt.rank_choice(bt.summarise(cases)).method == "naive"


def test_choice_rules():
    def summary(mae_drift, cov_drift, cases=40):
        return pd.DataFrame(
            {
                "horizon": "all",
                "method": ["naive", "drift_rank", "drift_percentile", "ols_percentile"],
                "cases": cases,
                "mae_places": [5.0, mae_drift, 9.0, 1.0],
                "coverage_pct": [80, cov_drift, 80, 80],
            }
        )

    assert bt.rank_choice(summary(4.0, 75)).method == "drift_rank"
    short = bt.rank_choice(summary(4.0, 50))  # better error, but its interval covers far too little
    assert (short.method, short.code, [b.method for b in short.better], short.cases) == (
        "naive",
        "coverage_short",
        ["drift_rank"],
        40,
    )
    assert bt.rank_choice(summary(6.0, 80)).method == "naive"
    assert bt.rank_choice(summary(4.0, 75, cases=6)).method == "naive"  # too few cases
    # the retired unanchored method is never chosen, however small its error
    assert bt.rank_choice(summary(9.0, 80)).method == "naive"


def test_derived_points_are_marked_and_left_out_of_fits_by_default():
    long = _long(
        [(2019, "v", "VNM", 72, 100, "derived_from_change")]
        + [
            (y, "v", "VNM", r, 100, "reported")
            for y, r in zip(range(2020, 2026), [59, 59, 54, 58, 56, 55], strict=True)
        ]
    )
    h = rk.all_rank_history(long)
    assert (h.loc[h["year"] == 2019, "value_type"] == "derived_from_change").all()
    assert 2019 not in set(bt.usable(h)["year"]) and 2019 in set(bt.usable(h, include_derived=True)["year"])


def test_a_field_size_not_found_stays_missing():
    long = _long([(2019, "v", "VNM", 72, np.nan, "reported"), (2020, "v", "VNM", 59, 100, "reported")])
    s = rk.rank_series(long, "v")
    assert np.isnan(s.loc[2019, "n_ranked"]) and np.isnan(s.loc[2019, "percentile"])
    assert rk.all_rank_history(long)["n_ranked"].isna().sum() == 1


def test_the_fastest_climb_rests_on_the_ranks_the_fits_use():
    long = _long(
        [
            (2022, "aaa", "AAA", 900, 1000, "reported"),
            (2023, "aaa", "AAA", 880, 1000, "reported"),
            (2024, "aaa", "AAA", 896, 1000, "derived_from_change"),  # worked back from "rose 130 places to 766th"
            (2025, "aaa", "AAA", 766, 1000, "reported"),
            (2024, "bbb", "BBB", 300, 1000, "reported"),
            (2025, "bbb", "BBB", 260, 1000, "reported"),
        ]
    )
    moves, _excluded, facts = rk.fastest_moves(long)
    # published ranks only: aaa 880 (2023) to 766 (2025) = 57 a year; bbb 40 a year
    assert moves["places_per_year"].tolist() == [57.0, 40.0, 20.0] and not moves["derived"].any()
    assert (facts["best_observed_places_per_year"], facts["best_observed_derived"]) == (57.0, False)
    moves, _excluded, facts = rk.fastest_moves(long, include_derived=True)
    assert (facts["best_observed_places_per_year"], facts["best_observed_derived"]) == (130.0, True)
    assert facts["best_observed_period"] == "2024-2025"


def test_missing_component_is_left_out_of_the_fastest_moves():
    long = _long(
        [
            (2010, "z", "ZZZ", 193, 193, "reported"),
            (2012, "z", "ZZZ", 100, 193, "reported"),
            (2010, "y", "YYY", 80, 193, "reported"),
            (2012, "y", "YYY", 70, 193, "reported"),
        ]
    )
    score = long[long["indicator"] == "rank"].assign(indicator="score", value=[0.0, 0.5, 0.4, 0.45])
    long = pd.concat([long, score], ignore_index=True)
    excl = rk.missing_component(long)
    assert excl[["entity", "year"]].values.tolist() == [["z", 2010]]
    moves = rk.best_observed_pace(rk.all_rank_history(long), excl)
    assert moves["entity"].tolist() == ["y"]  # z's 93-place "climb" from a missing component is gone
    assert rk.best_observed_pace(rk.all_rank_history(long))["entity"].iloc[0] == "z"


def test_egdi_components_and_which_one_moves_the_rank():
    long = _long(
        [
            (2016, "VNM", "VNM", 89, 193, "reported"),
            (2018, "VNM", "VNM", 88, 193, "reported"),
            (2016, "THA", "THA", 77, 193, "reported"),
            (2018, "THA", "THA", 73, 193, "reported"),
        ]
    )
    components = {  # the data's rows osi, hci, tii
        ("VNM", 2016): (0.50, 0.60, 0.30),
        ("VNM", 2018): (0.80, 0.60, 0.30),
        ("THA", 2016): (0.60, 0.70, 0.40),
        ("THA", 2018): (0.70, 0.75, 0.40),
    }
    ranks = long[long["indicator"] == "rank"]
    rows = [
        r | {"indicator": name, "value": v, "value_type": "reported"}
        for r in ranks.to_dict(orient="records")
        for name, v in zip(("osi", "hci", "tii"), components[r["entity"], r["year"]], strict=True)
    ]
    c = rk.egdi_components(pd.concat([long, pd.DataFrame(rows)], ignore_index=True))
    assert len(c) == 12 and c.query("entity == 'VNM' and year == 2018 and component == 'OSI'")["value"].item() == 0.8
    d = rk.component_drivers(c, "VNM").set_index("component")
    # OSI: own +0.30, peer +0.10 -> (0.30 - 0.10) / 3 = +0.0667; HCI: (0 - 0.05) / 3 = -0.0167; TII: 0
    assert d.loc["OSI", "relative_contribution"] == pytest.approx(0.2 / 3)
    assert d.loc["HCI", "relative_contribution"] == pytest.approx(-0.05 / 3)
    assert d["drives"].tolist() == [True, False, False]


def test_the_figures_of_a_reference_note_become_rows_of_their_own_when_the_data_are_built():
    ref = pd.DataFrame(
        [
            ["UN E-Government Development Index (EGDI)", "2024", "Vietnam", "country", "Vietnam", "71", "0.6709", "193"]
            + ["s", "d", "reported", "OSI .7081 HCI .7267 TII .8780 EPI .6027; Very High group"],
            ["WIPO Global Innovation Index", "2025", "Vietnam", "country", "Vietnam", "44", "", "139"]
            + ["s", "d", "reported", "inputs 50th, outputs 37th; 3rd in ASEAN"],
        ],
        columns="index_name edition_year entity entity_type country rank score n_ranked source source_detail "
        "value_type note".split(),
    )
    rows = build_rankings.rank_rows(ref, {"Vietnam": "VNM"}).set_index(["index_name", "indicator"])["value"]
    assert rows["egdi"].drop(["rank", "score", "n_ranked"]).to_dict() == {"osi": 0.7081, "hci": 0.7267, "tii": 0.878}
    gii = rows["gii"].drop(["rank", "n_ranked"]).to_dict()
    assert gii == {"input_rank": 50.0, "output_rank": 37.0, "rank_sea_stated": 3.0}  # '3rd in ASEAN': its position


@pytest.mark.parametrize(
    ("note", "detail", "stated"),
    [
        ("up 1; 3rd in SEA; growth >17%", "", 3),  # a clause of its own
        ("3rd of 11 in SEA", "", 3),
        ("6th in SEA behind SG, MY, TH, BN, PH", "", 6),  # with the members ahead named
        ("", "https://example.org (up 2 from 58; 5th SEA; 12th APAC)", 5),  # in the source detail
        ("logistics: 61st global, 6th SEA", "", None),  # a sub-ranking's position, not the index's
        ("score not found; 6th in SEA (inferred: 2024 'up one to 5th')", "", None),  # the compiler's inference
        ("5th in APAC", "", None),
    ],
)
def test_the_build_writes_the_regional_position_a_source_states_and_refuses_an_inferred_or_sub_ranking_one(
    note, detail, stated
):
    ref = pd.DataFrame(
        [
            ["WIPO Global Innovation Index", "2015", "Vietnam", "country", "Vietnam", "52", "", "141"]
            + ["VGP 2015", detail, "reported", note]
        ],
        columns="index_name edition_year entity entity_type country rank score n_ranked source source_detail "
        "value_type note".split(),
    )
    rows = build_rankings.rank_rows(ref, {"Vietnam": "VNM"})
    said = rows[rows["indicator"] == "rank_sea_stated"][["value", "value_type", "source", "source_detail"]]
    assert said.values.tolist() == ([] if stated is None else [[stated, "statement", "VGP 2015", detail]])


def test_real_egdi_has_components_for_viet_nam_and_gii_pillars_are_not_in_the_data():
    c = rk.egdi_components(rk.load_index("egdi"))
    vn = c[c["entity"] == "VNM"]
    assert sorted(vn["year"].unique()) == [2010, 2012, 2014, 2016, 2018, 2024]  # 2020, 2022: not found
    assert vn.query("year == 2024 and component == 'TII'")["value"].item() == pytest.approx(0.878)
    sub = rk.subindex_ranks(rk.load_index("gii"), "VNM")
    assert sub.set_index("year").loc[2025].tolist() == [50.0, 37.0]


def test_score_needed_only_where_the_publisher_states_comparability():
    assert not any(i.score_comparable for i in rk.INDICES.values())
    assert "not comparable across editions" in rk.INDICES["startupblink_city"].score_comparability


def test_backtest_table_covers_every_index_and_naive_intervals_are_calibrated_where_data_are_rich():
    p = params.validate("ecosystem_rankings", {})
    t = rs.backtest_table(p)
    assert set(t["index"]) == set(rk.INDICES)
    allh = t[(t["horizon"] == "all") & (t["method"] == "naive")].set_index("index")
    for code in ("gii", "egdi"):  # 100+ cases each: the 80 % interval of the naive forecast covers 70-95 %
        assert allh.loc[code, "cases"] >= 100 and 70 <= allh.loc[code, "coverage_pct"] <= 95
    # the old unanchored trend line loses to the naive forecast where there are many cases
    old = t[(t["horizon"] == "all") & (t["method"] == "ols_percentile")].set_index("index")
    assert (old.loc[["gii", "egdi"], "mae_places"] > allh.loc[["gii", "egdi"], "mae_places"]).all()
    # one method used per index
    assert (t[t["horizon"] == "all"].groupby("index")["chosen"].sum() == 1).all()


def test_projection_is_anchored_to_the_latest_edition():
    p = params.validate("ecosystem_rankings", {"index_name": "egdi", "projection_method": "drift_rank"})
    long = rk.load_index("egdi")
    near = rk.project_entity(long, "egdi", "VNM", p, 2025, method="drift_rank")
    # half an edition ahead the drifted point is within a few places of the latest published rank (71 in 2024)
    assert abs(near["projected_rank"] - 71) < 3
    naive = rk.project_entity(long, "egdi", "VNM", p, 2030, target_rank=50, method="naive")
    assert naive["projected_rank"] == pytest.approx(71) and naive["backtest_coverage_pct"] is not None


def test_a_ranking_target_is_computed_once_per_settings_and_data_and_handed_out_as_a_copy(monkeypatch):
    p = params.validate("ecosystem_rankings", {})
    t = next(x for x in rk.ranking_targets() if x.index == "egdi" and x.scope == "world")
    first = rk.track_target(t, p)
    assert (first["latest"], first["status"]) == (71, "off track")  # EGDI 2024: 71st; too slow over the long window
    first.pop("status")  # a caller's change does not reach the cached row
    before = rk._track_target.cache_info()
    assert rk.track_target(t, p)["status"] == "off track"
    assert rk._track_target.cache_info().hits == before.hits + 1
    rk.track_target(t, p | {"interval_pct": 90.0})  # a setting the row reads: computed anew
    monkeypatch.setattr(rk, "data_version", lambda: ("other data",))  # new data: computed anew
    rk.track_target(t, p)
    assert rk._track_target.cache_info().misses == before.misses + 2


def test_a_ranking_projection_is_withheld_where_its_index_backtest_scored_fewer_than_min_backtest_pairs():
    p = params.validate("ecosystem_rankings", {})
    t = next(x for x in rk.ranking_targets() if x.index == "egdi" and x.scope == "world")
    # the EGDI backtest scored 246 forecasts, 14 of them 3 editions ahead (2024 -> 2030): projected (71, the latest
    # rank held) at 14 needed; at 15 too few were scored that far ahead (targets.unbacked); at 247 both reasons hold
    # (too few in all, so too few that far ahead): one code, worded with both
    assert rk.track_target(t, p | {"min_backtest_pairs": 14})["projected"] == pytest.approx(71)
    r = rk.track_target(t, p | {"min_backtest_pairs": 15})
    assert (r["projected"], r["interval_note"], r["status"]) == (None, "beyond_backtest_horizon", "off track")
    r = rk.track_target(t, p | {"min_backtest_pairs": 247})
    assert (r["projected"], r["projected_lo"], r["prob_reach_pct"], r["interval_note"]) == (
        None,
        None,
        None,
        "backtest_too_thin_beyond_horizon",
    )
    assert (r["backtest"]["backtest_cases"], r["status"]) == (246, "off track")  # the figures and status stay
    assert tg.MIN_BACKTEST_PAIRS == registry.validate("resolution_targets", {})["min_backtest_pairs"] == 5  # one rule


def test_the_rankings_report_withholds_a_projection_on_a_thin_backtest_and_says_why():
    # StartupBlink cities: the backtest scored 3 forecasts (docs/design.md), fewer than the tracker's 5, and none of
    # the 5 needed as far ahead as 2030 (5 editions after 2025): both reasons, so both are said (it said only "at
    # least 5 are needed", and readers took two more forecasts to be enough)
    scenario = yaml.safe_load((paths.SCENARIOS_DIR / "rank-hcmc.yaml").read_text())["parameters"]
    run = rs.run(params.validate("ecosystem_rankings", scenario))
    S = run.summary
    assert (S["projected_rank"], S["backtest_cases"]) == (None, 3)
    assert S["interval_note"] == "backtest_too_thin_beyond_horizon"
    assert run.fan.empty
    said = i18n.each_language(lambda: rs.words(run).summary["trajectory_refused"])
    assert said == {
        "en": "the backtest could check only 3 past forecasts against the published outcomes; at least 5 checked as "
        "far ahead as the target year are needed to show how reliable a projection that far ahead is, and that would "
        "need a longer run of data.",
        "vi": "kiểm định hồi cứu chỉ đối chiếu được 3 dự báo trong quá khứ với kết quả đã công bố; phải có ít nhất 5 "
        "dự báo như vậy, với tầm dự báo xa tới mốc năm mục tiêu, thì mới đánh giá được độ tin cậy của một dự phóng xa "
        "đến thế, và điều đó cần chuỗi số liệu dài hơn.",
    }
    # one channel: the withheld projection is its interval_note alone (no refusal code beside it), and the page's
    # reason is worded from it, so a different note gives a different reason
    assert run.codes["trajectory_refused"] is None
    beyond = dataclasses.replace(run, summary=S | {"interval_note": "beyond_backtest_horizon"})
    with i18n.language("en"):
        assert rs.words(beyond).summary["trajectory_refused"].startswith("the target year is further ahead than any")


def test_a_ranking_target_as_of_an_earlier_year_is_its_row_on_the_editions_up_to_that_year():
    p = params.validate("ecosystem_rankings", {})
    world, sea = (next(x for x in rk.ranking_targets() if (x.index, x.scope) == ("egdi", s)) for s in ("world", "sea"))
    # EGDI (every 2 years, all 193 UN members): Viet Nam 99th in 2014, 88th in 2018, 71st in 2024; 50 by 2030
    r = rk.track_target(world, p, as_of_year=2019)
    assert (r["as_of_year"], r["latest_edition"], r["latest"]) == (2019, 2018, 88)
    # the backtest keeps the latest rank (naive), but (2030 - 2018) / 2 = 6 editions ahead is beyond the 3 it
    # scored: no projection (the tracker's rule, targets.unbacked), not only no interval
    assert r["method"] == "naive" and r["projected"] is None and r["projected_lo"] is None
    assert r["interval_note"] == "beyond_backtest_horizon"
    every = rk.backtest_table(p, ("egdi",)).set_index(["horizon", "method"]).loc[("all", "naive")]
    assert r["backtest"]["backtest_cases"] == every["cases"] > 0  # the backtest of every edition, as printed
    # needed (50 - 88) / 12 a year; seen 2014-18 (88 - 99) / 4 = -2.75 a year, 87% of it: needs acceleration
    assert r["pace_needed"] == pytest.approx(-38 / 12) and r["pace_short"] == pytest.approx(-2.75)
    assert r["status"] == "needs acceleration"
    # Southeast Asia in 2018: Singapore 7, Malaysia 48, Brunei 59, Thailand 73, the Philippines 75 ahead of Viet
    # Nam's 88: 6th; held to 2030 it would be as far beyond the backtest: not shown either
    r = rk.track_target(sea, p, as_of_year=2019)
    assert (r["latest_edition"], r["latest"], r["projected"], r["method"]) == (2018, 6, None, "naive_last_value")
    assert r["interval_note"] == "beyond_backtest_horizon"
    # before Viet Nam's first edition (2010) nothing is measured; from the latest edition on, every edition counts
    assert rk.track_target(world, p, as_of_year=2009)["refusal"].code == "no_edition_up_to"
    assert rk.track_target(world, p, as_of_year=2030)["as_of_year"] is None


def test_a_target_year_not_after_the_latest_edition_is_a_parameter_error_naming_it():
    with pytest.raises(ParameterError, match=r"parameter 'target_year': 2025 is not after the latest edition \(2025\)"):
        rk.required_pace(766, 1400, 2025, 500, 2025)


def test_a_ranking_targets_status_at_or_after_its_target_year_is_the_trackers_rule_by_hand():
    t = tg.Target("T99", "", "", "gii_rank", 40.0, "rank", 2030, "top_n", "", "")
    # before the target year: needed (40 - 45) / 2 = -2.5 places a year; seen 2024-28 (45 - 60) / 4 = -3.75: on track
    v = rk.rank_verdicts(pd.Series([60.0, 50.0, 45.0], index=[2024, 2026, 2028]), t)
    assert (v["pace_needed"], v["pace_short"], v["status"]) == (-2.5, -3.75, "on track")
    assert v["why"] == [("verdicts", {"points": 3, "first": 2024, "year": 2028, "pace": -3.75})]
    # the latest edition is the target year's and 45 is not in the top 40: off track, no pace needed (no error)
    v = rk.rank_verdicts(pd.Series([60.0, 50.0, 45.0], index=[2026, 2028, 2030]), t)
    assert (v["status"], v["pace_needed"], v["why"]) == ("off track", None, [("latest_at_or_after_target_year", {})])
    # 38th in that edition meets it (top_n: at most 40), whatever the year
    v = rk.rank_verdicts(pd.Series([60.0, 38.0], index=[2028, 2031]), t)
    assert (v["status"], v["pace_needed"], v["why"]) == ("on track", 0.0, [("already_met", {})])


def test_a_changing_field_reads_the_pace_on_the_share_ranked_and_gives_it_in_places_by_hand():
    t = tg.Target("T99", "", "", "gii_rank", 30.0, "rank", 2030, "top_n", "", "")
    # 60th of 100 in 2020, 50th of 125 in 2025: 60% -> 40%, -4 percentile points a year; the top 30 of 125 is 24%,
    # needed (24 - 40) / 5 = -3.2 points a year; in places among the 125 of 2025: seen -4 x 1.25 = -5, needed
    # (30 - 50) / 5 = -4 (-3.2 x 1.25), ratio 1.25 on either scale: on track
    hist = pd.Series([60.0, 55.0, 50.0], index=[2020, 2022, 2025])
    v = rk.rank_verdicts(hist, t, field=pd.Series([100.0, 110.0, 125.0], index=[2020, 2022, 2025]))
    assert (v["pace_scale"], v["pace_field"], v["target_level_percentile"]) == ("places", 125.0, 24.0)
    assert v["pace_needed"] == pytest.approx(-4.0) and v["pace_short"] == pytest.approx(-5.0)
    assert (v["pace_ratio_short"], v["status"]) == (pytest.approx(1.25), "on track")
    assert v["why"][0][1]["pace"] == pytest.approx(-5.0)
    # the same field every edition: places as they are, no field named
    v = rk.rank_verdicts(hist, t, field=pd.Series(125.0, index=hist.index))
    assert v["pace_needed"] == pytest.approx(-4.0) and v["pace_short"] == pytest.approx(-2.0) and "pace_field" not in v


def test_a_ranking_status_rests_on_a_pace_of_three_editions_in_both_scopes_and_says_so(monkeypatch):
    p = params.validate(
        "ecosystem_rankings", {"projection_method": "drift_rank", "min_points": 8, "fit_last_editions": 8}
    )
    gii = next(x for x in rk.ranking_targets() if x.index == "gii")  # T19: top 30 by 2045
    # GII up to 2012: Viet Nam 51st (2011) and 76th (2012), one change: no pace status, and drift_rank refuses
    r = rk.track_target(gii, p, as_of_year=2012)
    assert (r["status"], r["refusal"].code) == ("not measurable", "too_few_editions")
    said = i18n.each_language(lambda: rs.target_words(gii, r)["reason"])
    assert said["en"].startswith("too few editions for a pace: 2 (2011-2012), at least 3 needed; VNM has 2 editions")
    assert said["vi"].startswith("quá ít kỳ xếp hạng để tính tốc độ: 2 (2011-2012), cần ít nhất 3; VNM có 2 kỳ")
    # up to 2016 (5 editions; fields 125 in 2011, 128 in 2016): seen (59/128 - 51/125) x 100 / 5 = 1.06 percentile
    # points a year, needed (30 - 59) / 128 x 100 / 29 = -0.781; in places among the 128 of 2016: seen 1.06 x 1.28
    # = 1.36, needed (30 - 59) / 29 = -1: moving away, off track, the pace, its editions and its field said
    r = rk.track_target(gii, p, as_of_year=2016)
    assert (r["status"], r["refusal"].code, r["pace_short"], r["pace_needed"]) == (
        "off track",
        "too_few_editions",
        pytest.approx(1.05875 * 1.28),
        pytest.approx(-1.0),
    )
    said = i18n.each_language(lambda: rs.target_words(gii, r)["reason"])
    assert said["en"].startswith(
        "pace seen 1.36 a year vs -1 needed: moving away from the target, in places a year (negative = climbing), "
        "over 5 editions (2011-2016); paces read on the share of economies ranked, whose number changes between "
        "editions, and given in places among the 128 ranked in 2016; VNM"
    )
    assert "qua 5 kỳ xếp hạng (2011-2016); tốc độ được tính theo tỷ lệ" in said["vi"] and "; VNM có 5 kỳ" in said["vi"]
    # Southeast Asia, its regional projection refused: the same pace rule, not 'not measurable'. Positions known
    # (every member ranked, or stated by the source): 6, 4, 5, 6, 6 in 2010-18, 6 in 2020 ('6th in SEA behind SG,
    # MY, TH, BN, PH'), 5 in 2024; 2022 ('3rd' among the members in the data) is not known: two editions in the
    # last 5 years are too few, so the long window's slope, 0.023 a year against (3 - 5) / 6 needed
    sea = next(x for x in rk.ranking_targets() if (x.index, x.scope) == ("egdi", "sea"))
    monkeypatch.setattr(rk, "regional_projection", lambda *args: None)
    monkeypatch.setattr(rk, "data_version", lambda: ("regional projection refused",))  # not the cached row
    r = rk.track_target(sea, params.validate("ecosystem_rankings", {}))
    assert (r["status"], r["latest"], r["refusal"].code) == ("off track", 5, "regional_not_projected")
    said = i18n.each_language(lambda: rs.target_words(sea, r)["reason"])
    assert said["en"] == (
        "pace seen 0.023 a year vs -0.333 needed: no climb (flat), in places a year (negative = "
        "climbing), over 7 editions (2010-2024); too few editions to project Viet Nam"
    )
    assert ", tính theo bậc/năm (số âm = tăng hạng), qua 7 kỳ" in said["vi"]
    assert said["vi"].endswith("qua 7 kỳ xếp hạng (2010-2024); chưa đủ số kỳ xếp hạng để dự phóng cho Việt Nam")
