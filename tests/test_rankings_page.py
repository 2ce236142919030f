"""The rankings page's shaping and drawing functions (analysis.reports.ecosystem_rankings), on the real data: one
value per cell, ranks and counts without decimals, Vietnamese numbers as the production page writes them."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis import i18n
from analysis.models import rankings as rk
from analysis.reports import ecosystem_rankings as rs
from analysis.reports import params


def _run(**given):
    return rs.words(rs.run(params.validate("ecosystem_rankings", given)))


@pytest.fixture(scope="module")
def hanoi():
    # scenarios/rank-hanoi.yaml
    return _run(index_name="startupblink_city", entity="hanoi", target_rank=100)


@pytest.fixture(scope="module")
def egov_vi():
    with i18n.language("vi"):
        return _run(index_name="egdi")


def test_fastest_moves_one_value_per_cell(hanoi):
    t = rs.moves_table(hanoi)
    assert list(t.columns) == [n for n, _f in rs.MOVE_COLUMNS.values()] and len(t) == 10
    # published ranks only, as the fits: Ho Chi Minh City 179th in 2021 to 111th in 2022 of 1,000 cities
    first = t.iloc[0].to_dict()
    assert first["entity"] == "Ho Chi Minh City" and (first["from"], first["to"]) == (2021, 2022)
    assert (first["rank before"], first["rank after"], first["places a year"]) == (179, 111, 68)
    assert first["percentile points a year"] == pytest.approx(6.8) and set(t["uses a derived rank"]) == {""}
    # with include_derived, Da Nang: 896th in 2024 (worked back from "rose 130 places") to 766th in 2025: 130 places
    # in one year; of 1,000 then 1,400 cities: 89.6% -> 54.714...%, 34.89 percentile points
    t = rs.moves_table(_run(index_name="startupblink_city", entity="hanoi", target_rank=100, include_derived=True))
    first = t.iloc[0].to_dict()
    assert first["entity"] == "Da Nang" and (first["from"], first["to"]) == (2024, 2025)
    assert (first["rank before"], first["rank after"], first["places a year"]) == (896, 766, 130)
    assert first["percentile points a year"] == pytest.approx(89.6 - 766 / 1400 * 100)
    assert first["uses a derived rank"] == "yes" and set(t["uses a derived rank"]) <= {"yes", ""}


def test_regional_table_keeps_last_known_rank_and_edition_apart(hanoi):
    t = rs.regional_frame(hanoi).set_index("entity")
    # ranked in 2025: Singapore City 12, Ho Chi Minh City 110, Hanoi 148, Da Nang 766 -> positions 1-4
    ranked = t.dropna(subset=["regional rank"])
    assert ranked["regional rank"].to_dict() == {"Singapore City": 1, "Ho Chi Minh City": 2, "Hanoi": 3, "Da Nang": 4}
    # Jakarta is not in the 2025 data: its last known rank, 29, and that rank's edition, 2023, in two cells
    assert t.loc["Jakarta", "last known rank"] == 29 and t.loc["Jakarta", "last known edition"] == 2023
    assert pd.isna(t.loc["Hanoi", "last known rank"])


@pytest.fixture(scope="module")
def egov_2026():
    # the EGDI one edition ahead (2026), within the editions its backtest scored (the startup ranks' default, 2030,
    # lies beyond them: withheld, as the tracker withholds it)
    return _run(index_name="egdi", target_rank=50, target_year=2026)


def test_trend_band_starts_at_the_latest_rank_without_spread(egov_2026, hanoi):
    band = rs.trend_band(egov_2026)
    # naive: 71 in 2024 holds to 2026; the band opens only after the latest edition
    assert band["year"].tolist() == [2024, 2026]
    assert band["projected_rank"].tolist() == pytest.approx([71] * 2)
    assert band.iloc[0][["projected_rank_lo", "projected_rank_hi"]].tolist() == [71, 71]
    assert (band["projected_rank_lo"].iloc[1:] < 71).all() and (band["projected_rank_hi"].iloc[1:] >= 71).all()
    assert rs.trend_band(hanoi).empty  # StartupBlink cities' backtest scored 3 forecasts: no projection
    assert rs.trend_band(_run()).empty  # StartupBlink countries in 2030: beyond the editions its backtest scored


def test_trend_figure_draws_ranks_projection_and_target(egov_2026, hanoi):
    fig = rs.trend_figure(rs.page(egov_2026))
    left, right = fig.get_axes()
    assert left.yaxis_inverted() and right.yaxis_inverted()  # rank 1 at the top
    labels = [t.get_text() for t in left.get_legend().get_texts()]
    assert "target rank 50" in labels and any(x.startswith("projection (") for x in labels)
    # the target line at 50 and the projection from 2024 to 2026
    ys = [line.get_ydata() for line in left.get_lines()]
    assert any(list(y) == [50, 50] for y in ys)
    labels = [t.get_text() for t in rs.trend_figure(rs.page(hanoi)).get_axes()[0].get_legend().get_texts()]
    assert "target rank 100" in labels and not any(x.startswith("projection (") for x in labels)  # withheld: not drawn


def test_the_trend_chart_title_promises_a_projection_only_where_one_is_drawn(egov_2026, monkeypatch):
    from analysis.reports import render

    monkeypatch.setattr(render, "_display_html", lambda html: None)
    monkeypatch.setattr(rs, "md", lambda text: None)
    # scenarios/rank-hcmc.yaml: the StartupBlink cities' backtest scored 3 forecasts (5 needed): none drawn
    hcmc = _run(index_name="startupblink_city", entity="ho-chi-minh-city", target_rank=100)
    titles = []
    for w in (hcmc, egov_2026):
        report = render.Report()
        rs.show_standing(w, report)
        titles += [c["title"] for c in report.charts]
    assert titles == [
        "Ho Chi Minh City in the StartupBlink Global Startup Ecosystem Index (cities): rank by edition",
        "Viet Nam in the UN E-Government Development Index: rank by edition and projection to 2026",
    ]


def test_a_stated_regional_position_is_the_one_statement_of_it(hanoi):
    # EGDI 2024: Viet Nam 5th among the ranked (Brunei unranked in the data since 2020); the source states 5th
    egov = _run(index_name="egdi")
    s = egov.summary
    assert (s["regional_rank"], s["regional_rank_stated"], s["regional_unknown_ahead"]) == (5, 5, [("Brunei", 2020)])
    assert s["regional_rank_worst"] == s["regional_rank_if_unknown_ahead"] == 5  # results.json: no 6 beside it
    text = rs.regional_text(rs.page(egov))
    assert "Brunei" not in text and "puts it **5** in Southeast Asia" in text
    # without a stated position the bound stands: Hanoi 3rd of the ranked cities, 7th if the four cities unranked
    # in the latest edition that were ahead when last ranked still are
    h = hanoi.summary
    assert (h["regional_rank_stated"], h["regional_rank_if_unknown_ahead"]) == (None, 7)
    assert rs.unranked_ahead_text(h).startswith("position 3; 7 if Bangkok (unranked in the data since 2023), ")


def test_interval_notes_state_the_thresholds_in_force(monkeypatch):
    from analysis.models import rankings as rk
    from analysis.models import targets as tg

    def notes():
        return [rs.interval_note_words(c, "80%") for c in ("coverage_below_nominal", "too_few_points", "no_interval")]

    monkeypatch.delenv("R57_I18N_MARK", raising=False)
    assert notes() == [
        "at this horizon the backtest's 80% intervals held the outcome more than 10 points less often than 80%",
        "fewer than 5 observations for a projection more than 5 years ahead",
        "the method gives no interval",  # beside a projected value: the projection stands, its interval does not
    ]
    monkeypatch.setattr(rk, "MAX_COVERAGE_SHORTFALL", 12.0)
    monkeypatch.setattr(tg, "MIN_POINTS_LONG_HORIZON", 6)
    monkeypatch.setattr(tg, "LONG_HORIZON_YEARS", 8)
    with i18n.language("vi"):
        vi = notes()
    assert (
        vi[0].endswith("thấp hơn mức 80% quá 12 điểm phần trăm")
        and vi[1] == "có ít hơn 6 số liệu cho một dự phóng xa hơn 8 năm"
    )
    assert notes()[:2] == [
        "at this horizon the backtest's 80% intervals held the outcome more than 12 points less often than 80%",
        "fewer than 6 observations for a projection more than 8 years ahead",
    ]


def test_vietnamese_numbers_have_no_english_decimal_point(egov_vi, monkeypatch):
    monkeypatch.delenv("R57_I18N_MARK", raising=False)  # production output, not the marking mode
    with i18n.language("vi"):
        w = rs.page(egov_vi)
        text = rs.pace_text(w) + " " + rs.standing_text(w) + " " + rs.regional_text(w)
    # (71 - 50) / (2030 - 2024) = 3.5 places a year; 71/193 = 36.8% -> the top 37%
    assert "3,5 bậc mỗi năm" in text and "Việt Nam đứng thứ 71/193" in text and "37%" in text
    assert not re.search(r"\d\.\d", text), text  # 3.5 or 9.4 would be an English decimal point
    assert not re.search(r"\d,0\b", text)  # and no rank or count with a decimal ("766,0")


def test_drivers_table_one_value_per_cell():
    egov = _run(index_name="egdi")
    d = rs.drivers_frame(egov)
    assert list(d.columns)[3] == "Viet Nam: change"  # the CSV's column names stay English
    last = d[d["to"] == d["to"].max()]
    # the component that moved the rank most is marked once per pair of editions
    assert (last["moved the rank most"] == "yes").sum() == 1
    assert set(d["moved the rank most"]) <= {"yes", ""}


def test_why_a_method_was_chosen_names_the_methods_in_words(monkeypatch):
    """Issue 25 item 3: the backtest's reason names methods by their labels, never by code (drift_rank)."""
    from analysis.models.backtest import Backtest, Choice

    monkeypatch.delenv("R57_I18N_MARK", raising=False)
    tests = (
        Backtest("naive", 104, 5.1, 78.0),
        Backtest("drift_rank", 104, 5.5, 70.0),
        Backtest("drift_percentile", 104, 5.3, 75.0),
    )
    c = Choice("naive", "none_better", tests, 10)
    assert rs.choice_words(c, 80) == (
        "No trend method had a lower backtest error than the naive forecast (mean absolute error, places: naive 5.1; "
        "drift in rank 5.5, drift in percentile 5.3), over 104 cases; so the latest rank is assumed to hold"
    )
    with i18n.language("vi"):
        vi = rs.choice_words(c, 80)
    assert "xu hướng thay đổi thứ hạng 5,5" in vi and "drift" not in vi
    short = Choice(
        "naive", "coverage_short", (Backtest("naive", 246, 9.4, 70.0), Backtest("drift_rank", 246, 8.0, 55.0)), 10
    )
    assert rs.choice_words(short, 80).startswith("Drift in rank had a lower backtest error than the naive forecast")


def test_an_index_backtested_on_too_few_cases_keeps_the_naive_forecast_and_says_so(hanoi):
    # StartupBlink cities: 3 backtest cases, fewer than the 10 on which a method may be judged against naive
    c = rk.index_backtest("startupblink_city", hanoi.params).choice
    assert (c.method, c.code, c.cases) == ("naive", "too_few_cases", 3)
    assert rs.choice_words(c, 80) == (
        "Only 3 backtest cases (fewer than 10): no method has shown it beats the naive forecast, so the latest rank "
        "is assumed to hold"
    )


def test_the_target_says_whose_it_is_and_each_target_row_its_pace_unit(hanoi, egov_vi):
    # scenarios/rank-egov.yaml: the top 50 by 2030 on the EGDI is the Resolution's T01d; Hanoi's top 100 is not
    assert (egov_vi.summary["target_source"], egov_vi.summary["resolution_target_id"]) == ("resolution", "T01d")
    assert (hanoi.summary["target_source"], hanoi.summary["resolution_target_id"]) == ("assumption", None)
    with i18n.language("en"):
        said = rs.target_text(rs.page(hanoi))
    assert said.startswith("The target, the top 100 by 2030, is this scenario's illustrative assumption")
    # GII (T19): its field grew, so its paces are read on the share ranked and given in places among the latest
    # field, like the EGDI world rank's (one conversion, in rankings.rank_verdicts)
    units = dict(zip(hanoi.targets["target_id"], hanoi.targets["pace_unit"], strict=True))
    assert units["T19"].startswith("places a year") and units["T01d"].startswith("places a year")
    assert pd.isna(units["T01a"])  # not measurable: no pace


def test_a_scenario_names_the_resolution_target_it_tracks_and_takes_its_rank_and_year_from_the_data(
    tmp_path, monkeypatch
):
    from analysis import paths
    from analysis.run.catalogue import ScenarioError, load_scenario

    # scenarios/rank-gii.yaml names T19 (the top 30 by 2045 on the GII) and restates none of it
    expected = {"index_name": "gii", "target_rank": 30, "target_year": 2045, "entity": "VNM"}
    assert load_scenario(paths.SCENARIOS_DIR / "rank-gii.yaml").parameters == expected
    assert params.load_params_file(str(paths.SCENARIOS_DIR / "rank-gii.yaml"), "ecosystem_rankings") == expected

    def scenario(text: str) -> Path:
        (path := tmp_path / "s.yaml").write_text(f"notebook: {text}\ntitle: t\n", encoding="utf-8")
        return path

    # an edit of the target data moves the scenario with it: still the Resolution's own, never a stale copy
    real = rk.ranking_targets()
    t19 = next(t for t in real if t.target.target_id == "T19")
    edited = dataclasses.replace(t19, target=dataclasses.replace(t19.target, value=25.0, year=2040))
    monkeypatch.setattr(rk, "ranking_targets", lambda: [edited if t is t19 else t for t in real])
    given = load_scenario(scenario("ecosystem_rankings\nresolution_target: T19")).parameters
    assert (given["target_rank"], given["target_year"]) == (25, 2040)
    monkeypatch.undo()
    # a rank of its own overrides the target's: the run then calls it an illustrative assumption
    given = load_scenario(scenario("ecosystem_rankings\nresolution_target: T19\nparameters: {target_rank: 20}"))
    assert (given.parameters["target_rank"], given.parameters["target_year"]) == (20, 2045)
    run = _run(**given.parameters)
    assert (run.summary["target_source"], run.summary["resolution_target_id"]) == ("assumption", None)
    with i18n.language("en"):
        assert rs.target_text(rs.page(run)).startswith(
            "The target, the top 20 by 2045, is this scenario's illustrative"
        )
    # the schema checks the code: a world-rank target of the rankings report, named with the allowed ones
    with pytest.raises(ScenarioError, match=r"'T05', not a world-rank target .*\(allowed: T01b, T01d, T19\)"):
        load_scenario(scenario("ecosystem_rankings\nresolution_target: T05"))
    with pytest.raises(ScenarioError, match="rd_paths tracks no Resolution target"):
        load_scenario(scenario("rd_paths\nresolution_target: T19"))
