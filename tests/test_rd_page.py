"""The rd_paths page's shaping and drawing (analysis.reports.rd_paths, "what the page shows"): known answers
worked by hand, and the same numbers in every language (both editions come from one execution)."""

from __future__ import annotations

import dataclasses

import matplotlib
import matplotlib.pyplot
import pandas as pd
import pytest

from analysis import i18n
from analysis.data.labels import LABELS
from analysis.models import nowcast
from analysis.reports import params, sensitivity
from analysis.reports import rd_paths as rp

matplotlib.use("Agg")  # the tests draw without a screen (never in a notebook or module)


@pytest.fixture(scope="module")
def page(rd_data):
    return rp.Page.build(params.validate("rd_paths", {}), rd_data)


def test_shape_frame_by_hand():
    # geometric 0.5 -> 2 over 2025-2029: 0.5, 0.7071, 1, 1.4142, 2; growth 4 ^ (1/4) - 1 = 41.42% every year
    years = list(range(2025, 2030))
    tab = rp.shape_frame({"geometric": rp.share_path(years, 0.5, 2.0, "geometric")})
    row = tab.loc["geometric"]
    assert row["share in the middle year, %"] == pytest.approx(1.0)
    assert row["average growth of the share, % a year"] == pytest.approx((4**0.25 - 1) * 100)
    assert row["steepest year's growth of the share, %"] == pytest.approx((4**0.25 - 1) * 100)
    assert row["largest one-year rise, pp"] == pytest.approx(2 - 2**0.5)


def test_basis_frame_by_hand():
    tab = rp.basis_frame(2.0, 25.4, 1_000_000.0, 2030)
    # 2% of official GDP is 2 x 1.254 = 2.508% of pre-revision GDP; 2% of pre-revision is 2 / 1.254 = 1.5949%
    assert tab.iloc[0].tolist() == pytest.approx([2.0, 2.508, 20_000.0])
    assert tab.iloc[1].tolist() == pytest.approx([2 / 1.254, 2.0, 20_000 / 1.254])
    assert tab.index.tolist() == ["official (revised) GDP", "pre-revision GDP"]  # the number is in its own column


def test_statements_are_rated_reading_by_reading():
    nc = pd.DataFrame({"low_pct": [0.3519], "high_pct": [0.4772]}, index=pd.Index([2025], name="year"))
    st = pd.DataFrame(
        {
            "indicator": ["rd_pct_gdp_statement"] * 2,
            "year": [2025, 2025],
            "value": [0.5, 0.4],
            "qualifier": ["", "at_most"],
            "source": ["a", "b"],
        }
    )
    out = nowcast.statements_check(st, nc, 25.4).set_index("source")
    # "about 0.5%": above 0.4772 as said; 0.5 / 1.254 = 0.3987 on revised GDP, inside the range
    assert out.loc["a", ["as_said_position", "revised_position"]].tolist() == ["above", "inside"]
    assert out.loc["a", ["as_said_consistent", "revised_consistent"]].tolist() == [False, True]
    # "below 0.4%": the range's bottom 0.3519 is under 0.4 (consistent); under 0.4 / 1.254 = 0.319 it is not
    assert out.loc["b", ["as_said_consistent", "revised_consistent"]].tolist() == [True, False]


def test_the_statements_text_says_what_the_table_says(page):
    checks = rp.statements(page)
    first = checks[checks["bound"] == "level"].iloc[0]
    text = rp.statements_text(page)
    # as said (0.5) above the range, not consistent; on revised GDP (0.40) inside it: the text says the same
    assert (first["as_said_position"], bool(first["as_said_consistent"])) == ("above", False)
    assert (first["revised_position"], bool(first["revised_consistent"])) == ("inside", True)
    assert "lies above the range" in text and "it lies inside the range" in text


def test_the_nowcast_table_gives_every_methods_value_and_the_surveys_judged_on(page, rd_data):
    spec = rp.nowcast_table(page)
    row = spec["df"].set_index("year").loc[2024]
    gdp = rd_data.gdp_table["gdp_vnd_bn"].dropna().to_dict()
    for m in nowcast.METHODS:  # one column per method, headed by its words, holding the model's value
        assert row[LABELS["nowcast_method"][m]] == nowcast.method_nowcast(m, page.ev.uis.loc[2013:], gdp, 2024)
    # flat share: the last survey's, 0.41456% in 2023; the trend 2017-23 (8.23% a year): 42,375 x 1.0823 /
    # 11,511,900 = 0.3984%; the central method is the flat share, worded on the page, a code in the English CSV
    assert row["flat share (last survey carried forward)"] == page.ev.uis.loc[2023] == 0.41456
    assert row["GERD trend, last three survey intervals"] == pytest.approx(0.3984, abs=1e-4)
    assert row["central method"] == "flat_share"
    assert spec["formats"]["central method"]("flat_share") == "flat share (last survey carried forward)"
    # judged on the surveys every method could nowcast: 2017-2023 (2015 from 2013 alone has no trend)
    assert "surveys every method could nowcast, 2017-2023; " in spec["note"] and "(0.063 pp)" in spec["note"]
    with i18n.language("vi"):
        vi = rp.nowcast_table(page)
    assert "2017-2023" in vi["note"] and vi["labels"]["central method"] == "phương pháp trung tâm"
    # results.json's record: the same frame, by code
    rec = rp.results(page, sensitivity.sensitivity_table(page.resolved, page.data))["nowcast"][0]
    assert (rec["year"], rec["method"], rec["backtest_from"], rec["backtest_to"]) == (2024, "flat_share", 2017, 2023)
    assert rec["gerd_trend_recent_pct"] == row["GERD trend, last three survey intervals"] and "inputs" not in rec


def test_the_rule_takes_each_years_own_budget(page):
    # the rule is a share of the year's own budget: floors 3% x 2,540,000 = 76,200 (2025) and 3% x 3,160,000 =
    # 94,800 (2026), not 74,854 and 82,111 on the path's 19.42%-of-GDP series; the 2026 plan is 3.006% of it
    rule = page.rule
    assert rule["floor, bn VND"].tolist() == pytest.approx([76_200, 94_800])
    assert rule.loc[2026, "planned, % of the year's own budget estimate"] == pytest.approx(95_000 / 3_160_000 * 100)
    assert "planned, % of budget" not in rule.columns
    # 95,000 / 3,160,000 = 3.006%, whose inputs' rounding (94,500 / 3,165,000 = 2.986%; 95,500 / 3,155,000 =
    # 3.027%) straddles 3%, as the tracker rates T06
    assert rule.loc[2026, "meets the floor"] == "within rounding"
    assert rule.loc[2025, "meets the floor"] == "not known"
    assert "3.47" not in rp.rule_text(page) and "3.01" in rp.rule_text(page)


def test_the_rule_sentence_takes_its_figures_from_the_budget_data(rd_data):
    # the sentence quotes the data's last top-up (2025: 25,000 added, here 20,000 of it allocated) and last plan
    # (2026: 95,000 of 3,160,000 = 3.01%), so an edit to the data shows in it
    budget = rd_data.budget.copy()
    budget.loc[budget["indicator"] == "stidx_allocated_vnd_bn", "value"] = 20_000.0
    page = rp.Page.build(params.validate("rd_paths", {}), dataclasses.replace(rd_data, budget=budget))
    with i18n.language("en"):
        text = rp.rule_text(page)
    assert text.startswith(
        "For 2025 only the top-up is known: 25,000 bn VND added from 2024's extra revenue, of which 20,000 bn had "
        "been allocated by December 2025;"
    )
    assert "For 2026 the plan of about 95,000 bn VND is 3.01% of the 2026 budget estimate" in text


def test_the_funding_range_is_carried_into_the_path(page):
    p = page.path
    # 2025 covers both readings: the published shares' low 20% and the whole S&T line as state R&D, 0.82% x
    # 2,495,132 = 20,460.1 bn of GERD 53,261 = 38.41% state, 61.59% non-budget (above the published 42.3%)
    gerd = p.loc[2025, "gerd_vnd_bn"]
    line = 0.82 / 100 * 0.19421 * 12_847_600
    assert p.loc[2025, "nonstate_share_low_pct"] == pytest.approx(20)
    assert p.loc[2025, "nonstate_share_high_pct"] == pytest.approx(100 - line / gerd * 100, rel=1e-4)
    assert p.loc[2025, "state_gerd_low_vnd_bn"] == pytest.approx(20_460, abs=1)
    assert p.loc[2025, "state_gerd_high_vnd_bn"] == pytest.approx(gerd * 0.80)
    # each end moves to its target-year share: 60%, and 61.59% for the end that starts above it (never falls)
    assert p.loc[2030, "nonstate_share_low_pct"] == pytest.approx(60)
    assert p.loc[2030, "nonstate_share_high_pct"] == pytest.approx(p.loc[2025, "nonstate_share_high_pct"])
    assert (p["state_gerd_low_vnd_bn"] <= p["state_gerd_vnd_bn"] + 1e-9).all()
    assert (p["state_gerd_vnd_bn"] <= p["state_gerd_high_vnd_bn"] + 1e-9).all()
    with i18n.language("en"):
        assert "(20,460 bn VND, 62% non-budget)" in rp.path_table(page)["note"]


def test_a_share_given_by_the_user_carries_no_range(rd_data):
    pg = rp.Page.build(params.validate("rd_paths", {"nonstate_share_base_pct": 40.0}), rd_data)
    assert "nonstate_share_low_pct" not in pg.path.columns
    assert "non-budget share, low, %" not in rp.path_table(pg)["df"].columns


def test_the_st_budget_line_uses_the_same_budget(page):
    # S&T 0.82% of the report's 2025 budget (19.421% x 12,847,600 = 2,495,132) over GERD 53,261: at most 38.4%
    central, most = rp.budget_line_reading(page.resolved)
    assert most == pytest.approx(0.82 * 0.19421 * 12_847_600 / 53_261.0, rel=1e-4)


def test_the_consistency_curve_for_the_comparison_page(page, tmp_path):
    from analysis.reports.render import _jsonable

    r = rp.results(page, sensitivity.sensitivity_table(page.resolved, page.data))
    at60 = next(c for c in r["consistency_curve"] if c["nonbudget_pct"] == 60)
    assert at60["pct_of_rd_part"] == pytest.approx(0.8 / (0.03 * 19.421) * 100, rel=1e-4)  # 137.3%
    assert _jsonable(r)["titles"]["vi"] != r["title"]


SPECS = [
    rp.history_chart,
    rp.nowcast_table,
    rp.backtest_table,
    rp.statements_table,
    rp.gap_table,
    rp.shapes_chart,
    rp.shape_table,
    rp.path_table,
    rp.gdp_assumptions_table,
    rp.gdp_chart,
    rp.readings_table,
    rp.split_chart,
    rp.rule_table,
    rp.budget_table,
    rp.envelope_chart,
    rp.consistency_table_spec,
    rp.consistency_chart,
    rp.basis_table,
]


@pytest.mark.parametrize("spec", SPECS, ids=lambda f: f.__name__)
def test_each_edition_shows_the_same_numbers(page, spec):
    """A table's numbers and a chart's drawn data do not depend on the language it is worded in."""
    out = {lang: i18n.each_language(lambda: spec(page))[lang] for lang in i18n.LANGS}
    en, vi = out[i18n.SOURCE_LANG], out["vi"]
    assert en["title"] and en["source"] and vi["title"] != en["title"]
    if "df" in en:
        pd.testing.assert_frame_equal(en["df"].select_dtypes("number"), vi["df"].select_dtypes("number"))
    else:
        lines = [[line.get_xydata().tolist() for ax in o["fig"].axes for line in ax.get_lines()] for o in (en, vi)]
        assert lines[0] == lines[1] and en["alt"] and vi["alt"] != en["alt"]
        for o in (en, vi):
            matplotlib.pyplot.close(o["fig"])


def test_a_scenario_with_its_own_split_is_described_by_it_not_by_the_default(rd_data):
    # rd-soe-funding: state-owned firms' own funds counted as state, the non-state sector 8.7% -> 60%; the page must
    # not say its path starts from the default 30% non-budget, and its budget test compares budget plus state-owned
    # firms with the envelope: an upper bound on budget-financed R&D, said so
    soe = rp.Page.build(
        params.validate(
            "rd_paths", {"nonstate_share_base_pct": 8.7, "nonstate_share_target_pct": 60.0, "soe_funds_as": "state"}
        ),
        rd_data,
    )
    text = rp.readings_text(soe)
    assert "the default path starts from the published shares" in text
    assert text.endswith("the non-state sector pays 8.7% in 2025 and 60.0% in 2030.")
    assert rp.budget_text(soe).endswith(rp.SOE_AS_STATE_CAVEAT)
    default = rp.Page.build(params.validate("rd_paths", {}), rd_data)
    assert "This scenario" not in rp.readings_text(default) and rp.SOE_AS_STATE_CAVEAT not in rp.budget_text(default)


def test_the_funding_readings_hold_one_number_per_cell(page):
    """Issue 26: each share of GERD is two numeric columns (low, high %), never "10% (at most 38%)" or "70-80%".
    Known answers from data/raw/vn_gerd_funding.csv: EY 2025 says state 70-80%, private 20-30%; the 2013
    survey gives 58 / 34 / 9 / 42 (one value: low = high). The budget bound: non-budget = 100 - state, ends swapped."""
    tab = rp.readings_table(page)["df"].set_index("reading")
    shares = [c for c in tab.columns if c.endswith(" %")]
    assert len(shares) == 8 and all(pd.api.types.is_float_dtype(tab[c]) for c in shares)
    ey = tab.loc["EY Vietnam 2025 (statement)"]
    assert (ey["state budget, low %"], ey["state budget, high %"]) == (70, 80)
    assert (ey["non-budget, low %"], ey["non-budget, high %"]) == (20, 30)
    assert ey[["state-owned enterprises' own funds, low %", "state-owned enterprises' own funds, high %"]].isna().all()
    survey = tab.loc["MOST R&D survey 2013"]
    assert [round(survey[f"{s}, low %"]) for s in rp.SHARES] == [58, 34, 9, 42]
    assert all(survey[f"{s}, low %"] == survey[f"{s}, high %"] for s in rp.SHARES)
    bound = tab.iloc[0]
    assert bound["non-budget, low %"] == pytest.approx(100 - bound["state budget, high %"])
    assert bound["non-budget, high %"] == pytest.approx(100 - bound["state budget, low %"])


def test_the_first_screen_answers_each_target_from_the_data(page, rd_data):
    facts = rp.screen_facts(page)
    # the feasibility report's count: 5-year windows from 2025, rise 2 - 0.41456 = 1.58544 pp; no economy of the
    # 101 that started below 1% rose that much, the largest rise 0.85 pp (Portugal 2004-2009)
    assert (facts["window_years"], facts["start_share_below_pct"]) == (5, 1.0)
    assert (facts["low_start_economies"], facts["low_start_economies_reaching"]) == (101, 0)
    assert facts["max_low_start_increase_pp"] == pytest.approx(0.85072)
    # the budget bound of 2025: S&T 0.82% x 2,495,132 = 20,460 bn of GERD 53,261 = 38.4% at most, so non-budget at
    # least 61.6%; central 25.66% of that, 9.9%, so at most 90.1%
    assert facts["nonbudget_share_budget_bound_low_pct"] == pytest.approx(
        100 - 0.82 * 2_495_132.4 / 53_261.01, abs=0.01
    )
    assert facts["nonbudget_share_budget_bound_high_pct"] == pytest.approx(90.14, abs=0.01)
    # the 2026 plan, 95,000 of the 3,160,000 bn budget estimate: 3.006%, 3% only within rounding (the tracker's T06)
    assert facts["budget_rule_year"] == 2026 and facts["budget_rule_rating"] == "within rounding"
    assert facts["budget_rule_plan_pct"] == pytest.approx(95_000 / 3_160_000 * 100)
    assert facts["gii_rank_gerd_business_financed"]["rank"] == 9 and facts["nonstate_share_base_default"]
    from_2023 = rp.Page.build(
        params.validate("rd_paths", {"base_year": 2023, "nonstate_share_base_pct": 30.0}), rd_data
    )
    assert (
        rp.screen_facts(from_2023)["window_years"] == 7
        and not rp.screen_facts(from_2023)["nonstate_share_base_default"]
    )


def test_a_year_without_an_allocation_is_not_rated_against_a_hypothetical_envelope(page, rd_data):
    # 2025: no allocation found (the rule table's 'not known'), so its 3% envelope of 74,854 bn is hypothetical
    from_2023 = rp.Page.build(params.validate("rd_paths", {"base_year": 2023}), rd_data)
    with i18n.language("en"):
        fits = rp.budget_table(page)["df"].set_index("year")["fits?"]
        # R&D takes the whole envelope by default: a year that fits says so (2026: 51,223 of 82,111 = 62%)
        assert fits[2025].startswith("not rated") and fits[2030].startswith("NO")
        assert fits[2026] == "yes, only if the whole envelope went to R&D"
        assert "fits the envelope?" in rp.budget_table(page)["labels"].values()
        assert "only if the whole envelope went to R&D" in rp.budget_text(page)
        part = rp.Page.build(params.validate("rd_paths", {"envelope_rd_share_pct": 80.0}), rd_data)
        assert "yes" in rp.budget_table(part)["df"]["fits?"].tolist()
        assert "No allocation was found for 2025:" in rp.budget_table(page)["note"]
        assert "so the row is not rated." in rp.budget_table(page)["note"]
        # from 2023 none of 2023-2025 has one: one note, in the plural
        assert "No allocation was found for 2023, 2024, 2025:" in rp.budget_table(from_2023)["note"]
        assert "so the rows are not rated." in rp.budget_table(from_2023)["note"]
        # and the rule table lists the same years 'not known', the unrated years read from it
        rule = rp.rule_table(from_2023)["df"].set_index("year")["meets the floor"]
        assert rule.loc[:2025].tolist() == ["not known"] * 3 and rule[2026] == "within rounding"
        assert from_2023.resolved.unrated_years == (2023, 2024, 2025)
        assert "no total allocation for 2023, 2024, 2025 and" in rp.rule_table(from_2023)["note"]
        assert "no total allocation for 2025 and" in rp.rule_table(page)["note"]
        path = {r["year"]: r for r in rp.results(page, sensitivity.sensitivity_table(page.resolved, page.data))["path"]}
    assert path[2025]["envelope_hypothetical"] and path[2025]["fits_envelope"] is None
    assert path[2026]["fits_envelope"] is True and not path[2026]["envelope_hypothetical"]


def test_the_ministrys_2019_ratio_is_explained_by_that_years_gdp(page):
    # both series divide the same 32,102 bn VND: 0.53% of pre-revision GDP against 0.41652% of official GDP, so
    # official GDP for 2019 is 0.53 / 0.41652 - 1 = 27.2% larger (not the 25.4% average uplift: 0.4165 x 1.254 = 0.522)
    with i18n.language("en"):
        text = rp.standing_text(page)
    assert "official GDP for 2019 is about 27% larger" in text and "about 25.4% on average" in text


def test_the_envelope_figures_count_only_the_rated_years(page, rd_data):
    """At budget spending of 8% of GDP state R&D exceeds the envelope in every year, 2025 too, but 2025 has no
    allocation found (a hypothetical envelope): it is not counted, and the sentence says one year was not rated."""
    low = rp.Page.build(params.validate("rd_paths", {"budget_exp_pct_gdp": 8.0}), rd_data)
    assert not low.path["fits_envelope"].any()
    assert low.summary["years_not_fitting"] == [2026, 2027, 2028, 2029, 2030]
    assert (low.summary["envelope_years_rated"], low.summary["envelope_years_not_rated"]) == (5, 1)
    assert low.summary["envelope_fits_all_years"] is False
    # 2024 to 2025: both years have budget data and no allocation found, so no year is rated and no verdict is given
    short = rp.Page.build(params.validate("rd_paths", {"base_year": 2024, "target_year": 2025}), rd_data)
    assert (short.summary["envelope_years_rated"], short.summary["envelope_fits_all_years"]) == (0, None)
    with i18n.language("en"):
        assert rp.budget_text(short) == "No year of this path is rated (2 years not rated: no allocation found)."
    assert (page.summary["years_not_fitting"], page.summary["envelope_years_not_rated"]) == ([2029, 2030], 1)
    with i18n.language("en"):
        assert rp.budget_text(page).startswith(
            "**Budget-financed R&D outgrows its part of the envelope (100%) in 2 of 5 rated years: 2029, 2030 "
            "(1 year not rated: no allocation found).** In 2030"
        )
    with i18n.language("vi"):
        assert "trong 5/5 năm được đánh giá: 2026, 2027, 2028, 2029, 2030 (1 năm không được đánh giá: không tìm " in (
            rp.budget_text(low)
        )
