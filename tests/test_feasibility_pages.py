"""The feasibility report's table shaping (worked by hand) and its sections shown in both languages from one
computation, outside a kernel."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import i18n
from analysis.reports import params
from analysis.reports import rd_feasibility as fs
from analysis.reports.render import Report, both


def test_peer_rows_round_crossing_years_and_keep_the_shown_columns():
    table = pd.DataFrame(
        {
            "entity": ["AAA", "BBB"],
            "entity_name": ["A-land", "B-land"],
            "group": ["named peer", "fast climber"],
            "crossing_year": [2002.04, None],
            "how": ["interpolated", "no_data"],
            "share_after_5y_pct": [0.8, None],
            "share_after_10y_pct": [None, None],
            "gdp_pc_usd_at_crossing": [1000.0, None],
            "income_crossing_year": [2004.96, float("nan")],
            "share_at_income_crossing_pct": [0.6, None],
        }
    )
    rows = fs.peer_rows(table)
    assert list(rows.columns) == ["entity_name", "group", "crossing_year", "status", *list(table.columns)[5:]]
    assert rows["status"].tolist() == ["interpolated", "no data"]  # the code as the CSV's English words
    assert rows["crossing_year"].tolist()[0] == 2002.0 and rows["income_crossing_year"].tolist()[0] == 2005.0
    assert rows["crossing_year"].isna().tolist() == [False, True]


def test_how_a_peer_was_aligned_in_words_in_both_languages_and_in_results():
    table = pd.DataFrame(
        {
            "entity": ["CHN", "XYZ", "THA"],
            "entity_name": ["China", "Xyz", "Thailand"],
            "crossing_year": [None, None, 2012.3],
            "how": ["already_above", "never_reached", "interpolated"],
            "first_year": [1996, 2000, 1996],
            "last_year": [2023, 2021, 2023],
            "first_value": [0.5612, 0.1, 0.1],
            "last_value": [2.4, 0.3049, 1.2],
            "group": ["named peer", "fast climber", "named peer"],
        }
    )
    rows = table.to_dict("records")
    words = i18n.each_language(lambda: [fs.how_text(r, 0.41456) for r in rows])
    assert words["en"] == [
        "first observation (1996) already 0.56%",
        "never reached 0.41% (latest 0.30% in 2021)",
        "interpolated",
    ]
    assert words["vi"][:2] == [
        "lần quan sát đầu tiên (1996) đã ở mức 0,56%",
        "chưa bao giờ đạt 0,41% (gần nhất 0,30% năm 2021)",
    ]
    with i18n.language("vi"):  # results.json is English in every edition, with the columns it always had
        rec = fs.peer_records(table, 0.41456)
    assert rec["how"].tolist() == words["en"] and list(rec.columns) == [*table.columns[:6], "group", "status"]
    assert rec["status"].tolist()[:2] == ["already above the level at its first observation", "never reached the level"]


def test_fallback_rows_keep_the_largest_falls_and_every_named_peer_once():
    falls = pd.DataFrame({"entity": ["A", "B", "C", "D"], "drop_pp": [0.9, 0.7, 0.5, 0.3]})  # largest first
    # the two largest (A, B) and the named C and B (B once), largest fall first; D is neither
    assert fs.fallback_rows(falls, ["C", "B"], largest=2)["entity"].tolist() == ["A", "B", "C"]
    assert fs.fallback_rows(falls, [], largest=2)["entity"].tolist() == ["A", "B"]


def test_sweep_rows_by_hand():
    grid = pd.DataFrame(
        {
            "real_gdp_growth_pct": [5.0, 5.0, 8.0, 8.0],
            "path_shape": ["linear", "geometric", "linear", "geometric"],
            "path shape": ["linear", "geometric", "linear", "geometric"],
            "gerd_nominal_cagr_pct": [40.0, 40.0, 44.0, 44.0],
            "max_gerd_growth_pct": [70.0, 41.0, 75.0, 45.0],
        }
    )
    table = fs.sweep_rows(grid, "geometric")
    assert list(table.columns) == ["average growth, % a year", "geometric", "linear"]
    assert table.index.name == "real GDP growth, %" and table.index.tolist() == [5.0, 8.0]
    assert table.loc[8.0].tolist() == [44.0, 45.0, 75.0]


@pytest.fixture(scope="module")
def page_outputs():
    """Every section shown through render.both, as the notebook shows it: the display bundles and the report."""
    import IPython.display

    from analysis import sweep
    from analysis.models.path_core import PATH_SHAPES

    f = fs.run(params.validate("rd_feasibility", {"n_simulations": 500}))
    report = Report("")
    pg = fs.Page(f, report)
    grid = sweep(
        grid={"real_gdp_growth_pct": [5.0, 8.0], "path_shape": list(PATH_SHAPES)},
        **{k: f.params[k] for k in fs.SHARED_NAMES if k not in ("real_gdp_growth_pct", "path_shape")},
    )
    bundles = []
    mp = pytest.MonkeyPatch()
    mp.setattr(IPython.display, "display", lambda obj, raw=False: bundles.append(obj))
    try:
        for show in (
            fs.show_windows,
            fs.show_peers,
            fs.show_fallbacks,
            fs.show_growth_sources,
            fs.show_structural,
            fs.show_uncertainty,
            fs.show_exceed,
            fs.show_conclusion,
        ):
            both(lambda show=show: show(pg))
        both(lambda: fs.show_sweep(pg, grid))
    finally:
        mp.undo()
    return bundles, report


def test_every_section_is_shown_in_both_languages(page_outputs):
    bundles, report = page_outputs
    assert bundles and all(len(b) == 2 and any("vi" in m for m in b) for b in bundles)
    assert {t["id"] for t in report.table_meta} == {
        "window_counts",
        "analogues",
        "peers",
        "fallbacks",
        "vintage_gaps",
        "decomposition",
        "spending_per_researcher",
        "structural_diagnostics",
        "reached_target_by_income",
        "growth_model",
        "growth_model_aic",
        "simulation_quantiles",
        "growth_band_record",
        "growth_band_sensitivity",
        "sweep",
    }
    assert {c["id"] for c in report.charts} == {
        "windows_scatter",
        "windows_histogram",
        "peer_paths",
        "decomposition",
        "researchers",
        "structural",
        "fan_charts",
        "exceed_probability",
        "sweep",
    }
    # the required rise, worked by hand: 2% - 0.41456% (the 2025 start) = 1.58544 points in 5 years,
    # 1.59 in English and 1,59 in Vietnamese, from the same computation
    callout = next(b for b in bundles if any("r57-callout" in v for v in b.values()))
    en, vi = (callout[i18n.edition_mime("markdown", lang)] for lang in ("en", "vi"))
    assert "1.59 percentage points of GDP in 5 years" in en
    assert "1,59 điểm phần trăm GDP trong 5 năm" in vi


def test_growth_model_rows_hold_one_value_per_cell():
    from analysis.models.growth_sim import GrowthModel

    history = pd.Series([6.0, 7.0, 6.5], index=[2023, 2024, 2025])
    model = GrowthModel(2, 6.4, (0.3, -0.1), 1.2, history, {0: 10.0, 1: 9.5, 2: 9.0}, 0.4, None)
    row = fs.growth_model_rows(model).iloc[0].to_dict()
    assert row == {
        "model": "AR(2)",
        "first year": 2023,
        "last year": 2025,
        "observations": 3,
        "mean growth, %": 6.4,
        "AR coefficient, lag 1": 0.3,
        "AR coefficient, lag 2": -0.1,
        "shock s.d., pp": 1.2,
        "AIC": 9.0,  # the chosen order's
        "Ljung-Box p-value": 0.4,
    }
    summary = model.summary_row()  # results.json: numbers, not text
    assert summary["sample"] == [2023, 2025] and summary["AR coefficients"] == [0.3, -0.1]


def test_quantile_rows_put_quantity_year_unit_and_bounds_in_columns_of_their_own():
    from types import SimpleNamespace

    keys = ("gdp_target_vnd_bn", "gerd_target_vnd_bn", "gerd_target_usd_bn")
    summary = {"interval_pct": 90.0} | {
        f"{k}_p{q}": float(i * 10 + q) for i, k in enumerate(keys) for q in (10, 50, 90)
    }
    path = pd.DataFrame({"gdp_vnd_bn": [1.0, 100.0], "gerd_vnd_bn": [1.0, 2.0], "gerd_usd_bn": [1.0, 0.08]})
    f = SimpleNamespace(summary=summary, path=path, inputs=SimpleNamespace(target_year=2030))
    rows = fs.quantile_rows(f)
    # a 90% interval is bounded by the 5th and 95th percentiles (the summary's p10/p90 keys hold its bounds)
    assert list(rows.columns) == ["quantity", "year", "unit", "p5", "median", "p95", "R&D spending paths report's plan"]
    assert rows.values.tolist() == [
        ["GDP", 2030, "bn VND", 10.0, 50.0, 90.0, 100.0],
        ["R&D needed", 2030, "bn VND", 20.0, 60.0, 100.0, 2.0],
        ["R&D needed", 2030, "bn USD", 30.0, 70.0, 110.0, 0.08],
    ]


def test_the_envelope_probabilities_say_what_they_rest_on_and_no_section_names_a_notebook(page_outputs):
    """The envelope moves with the year before's simulated GDP (feasibility.envelope_draws), so the probabilities
    rest on one year's surprise, not on the growth band whose record follows; readers are pointed to the R&D
    spending paths report, not to 'notebook 01'."""
    bundles, report = page_outputs
    shown = " ".join(str(v) for b in bundles for v in b.values()) + str(report.table_meta) + str(report.charts)
    assert "These probabilities rest mainly on one year's surprise: the envelope moves with the simulated GDP" in shown
    assert "Các xác suất trên chủ yếu phụ thuộc vào biến động bất ngờ của một năm" in shown
    assert "rest on the growth model's band" not in shown
    assert "notebook 01" not in shown
    assert "the R&D spending paths report's budget plan" in shown


def test_no_notebook_text_names_another_notebook_or_a_method_code():
    """Readers see report and method names, not 'notebook 01' or a method's code such as ``ols_percentile`` (the
    labels table gives its words)."""
    import re

    import jupytext

    from analysis import paths
    from analysis.data.labels import LABELS

    codes = [c for c in LABELS["method"] if "_" in c]
    for path in sorted(paths.NOTEBOOKS_DIR.glob("*.py")):
        text = "\n".join(c.source for c in jupytext.read(path).cells if c.cell_type == "markdown")
        assert not re.search(r"notebook \d", text, re.IGNORECASE), path.name
        assert not [c for c in codes if c in text], path.name
