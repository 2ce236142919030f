"""The scenario explorer's logic: controls from the specs, one scenario through the engine, the two-way map,
save-as-scenario validated like the command line, and the widgets wired to them."""

from __future__ import annotations

import math

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.errors import ParameterError
from analysis.models import path_core
from analysis.reports import params, registry
from analysis.reports.rd_paths import RdData, run
from analysis.run import explore
from analysis.run.catalogue import ScenarioError, load_scenario


@pytest.fixture(scope="module")
def ex() -> explore.Explorer:
    return explore.Explorer(RdData.load())


def test_every_parameter_has_a_control_built_from_its_spec(ex):
    spec = params.notebook_spec("rd_paths")
    ctrls = {c.name: c for c in explore.controls(filled=ex.filled())}
    # nothing hard-coded: the spec's list, in its order, but the report's language (the explorer's own
    # selector sets the language, and a saved scenario is published in both editions)
    scenario_params = [p for p in spec.params if p.name not in params.PRESENTATION_PARAMS]
    assert "lang" in spec.names() and list(ctrls) == [p.name for p in scenario_params]
    for p in scenario_params:
        c = ctrls[p.name]
        assert c.spec is p  # its range, choices and nullability are the spec's own
        if p.choices:
            assert c.widget == "dropdown"
        elif p.kind == "bool":
            assert c.widget == "checkbox"
        elif p.kind == "float_or_year_map":
            assert c.widget == "year_map" and explore.parse_year_map(p.name, c.value) == p.default
        elif p.lo is not None:
            assert c.widget == f"{p.kind}_slider"
            assert p.lo <= c.value <= p.hi
            if p.default is not None:  # the default sits on the slider's grid
                k = (p.default - p.lo) / c.step
                assert abs(k - round(k)) < 1e-6, p.name
    # a nullable parameter with an empty default starts at the value the data gives it
    assert spec.spec("base_share_pct").default is None
    assert (
        ctrls["base_share_pct"].value == pytest.approx(ex.filled()["base_share_pct"])
        and ctrls["base_share_pct"].value > 0
    )


def test_a_new_parameter_in_the_spec_gets_a_control():
    spec = params.notebook_spec("rd_paths")
    extra = params.ParamSpec(
        "funding_floor_pct", "float", 1.0, "% of GDP", "help", "why", lo=0.0, hi=5.0, nullable=True, null_means="none"
    )
    pick = params.ParamSpec("basis", "str", "a", "", "help", "why", choices=("a", "b"))
    object.__setattr__(spec, "params", (*spec.params, extra, pick))
    try:
        ctrls = {c.name: c for c in explore.controls()}
        assert ctrls["funding_floor_pct"].widget == "float_slider" and ctrls["funding_floor_pct"].spec is extra
        assert ctrls["funding_floor_pct"].step == pytest.approx(0.01)  # 5 / 400 -> 0.01, default 1.0 on the grid
        assert ctrls["basis"].widget == "dropdown" and ctrls["basis"].spec.choices == ("a", "b")
    finally:
        object.__setattr__(
            spec, "params", tuple(p for p in spec.params if p.name not in ("funding_floor_pct", "basis"))
        )


def test_slider_step_is_refined_until_the_default_is_on_the_grid():
    p = params.ParamSpec("x", "float", 0.41456, "", "", "", lo=0.01, hi=10.0)
    # span 9.99 / 400 = 0.025 -> 10**-2; 0.40456 / 0.01 is not whole, so down to 1e-5
    assert explore.slider_step(p, p.default) == pytest.approx(1e-5)
    assert explore.slider_step(params.ParamSpec("y", "int", 3, "", "", "", lo=0, hi=9), 3) == 1


def test_year_map_text_round_trips():
    assert explore.year_map_text({2028: 6.5, 2026: 8.0}) == "{2026: 8, 2028: 6.5}"
    assert explore.parse_year_map("g", "{2026: 8, 2028: 6.5}") == {2026: 8, 2028: 6.5}
    assert explore.parse_year_map("g", " 7.25 ") == 7.25
    with pytest.raises(ParameterError, match="'g': is empty"):
        explore.parse_year_map("g", "  ")


def test_default_scenario_matches_the_single_scenario_model(ex):
    c = ex.compute({})
    assert c.ok and c.error is None
    _, path, summary = run(params.validate("rd_paths", {}), ex.data)
    assert list(c.years) == list(path.index)
    np.testing.assert_allclose(c.paths["share_pct"], path["share_pct"].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(c.paths["gerd_vnd_bn"], path["gerd_vnd_bn"].to_numpy(), rtol=1e-12)
    assert c.figures["gerd_nominal_cagr_pct"] == pytest.approx(summary["gerd_nominal_cagr_pct"])
    # hand check: the geometric share's growth is (target / base) ** (1 / years) - 1
    base, target, years = c.resolved["base_share_pct"], 2.0, c.years[-1] - c.years[0]
    assert c.figures["share_cagr_pct"] == pytest.approx(((target / base) ** (1 / years) - 1) * 100)
    assert "State-funded R&D exceeds the budget envelope from" in " ".join(c.warnings)


def test_unreachable_settings_are_said_not_crashed(ex):
    c = ex.compute({"target_share_pct": 0.3})
    assert c.ok
    assert "not above the base-year share" in " ".join(c.warnings)
    assert c.figures["share_cagr_pct"] < 0
    html = explore.charts_html(c)
    assert html.count("<svg") == 3 and "<polyline" in html
    tiny = ex.compute({"science_budget_share_pct": 0.2})  # an envelope far too small: said, or refused with the reason
    assert ("never fits" in " ".join(tiny.warnings)) if tiny.ok else tiny.error.startswith("parameter '")
    c0 = ex.compute({"nonstate_share_base_pct": 0.0})  # non-state R&D grows from nothing: no annual rate
    assert any("not defined" in w for w in c0.warnings)
    assert ("Non-budget R&D must grow, % a year (current VND)", "not defined") in explore.figure_rows(c0)


def test_refused_settings_give_the_command_lines_message_and_charts_that_say_so(ex):
    c = ex.compute({"target_year": 2020})
    assert not c.ok
    assert c.error.startswith("parameter 'target_year': 2020 is not after base_year")
    assert "These settings are refused" in explore.status_html(c)
    charts = explore.charts_html(c)
    assert charts.count("<svg") == 3 and charts.count("No values to draw") == 3  # never a blank chart
    assert not ex.compute({"real_gdp_growth_pct": "fast"}).ok


def test_two_way_map_agrees_with_single_scenarios(ex):
    xs, ys, z = ex.two_way(
        {},
        "nonstate_share_target_pct",
        "science_budget_share_pct",
        "state_gerd_pct_envelope_target",
        xs=[40.0, 60.0, 80.0],
        ys=[2.0, 3.0],
    )
    assert z.shape == (2, 3)
    for j, y in enumerate(ys):
        for i, x in enumerate(xs):
            one = ex.compute({"nonstate_share_target_pct": x, "science_budget_share_pct": y})
            assert z[j, i] == pytest.approx(one.figures["state_gerd_pct_envelope_target"])
    # more non-state money, less state money: the state's share of the envelope falls along x; a bigger envelope, along y
    assert (np.diff(z, axis=1) < 0).all() and (np.diff(z, axis=0) < 0).all()


def test_two_way_map_over_context_parameters_marks_refused_cells(ex):
    xs, ys, z = ex.two_way(
        {}, "base_year", "target_year", "gerd_nominal_cagr_pct", xs=[2021, 2022, 2023], ys=[2022, 2030]
    )
    assert math.isnan(z[0, 1]) and math.isnan(z[0, 2])  # target 2022 is not after base 2022 / 2023
    assert z[1, 2] == pytest.approx(
        ex.compute({"base_year": 2023, "target_year": 2030}).figures["gerd_nominal_cagr_pct"]
    )
    html = explore.map_html(ex, {}, "base_year", "target_year", "gerd_nominal_cagr_pct", n=5)
    assert "not reachable / refused" in html and "<rect" in html
    with pytest.raises(ParameterError, match="cannot be a map axis"):
        ex.two_way({}, "path_shape", "target_year")


def test_save_as_scenario_writes_what_make_reports_accepts(tmp_path):
    values = {
        "target_year": 2035,
        "path_shape": "logistic",
        "real_gdp_growth_pct": {2026: 8, 2028: 7.5},
        "base_share_pct": None,
    }
    path = explore.save_scenario("rd-my-2035", "Reach 2% by 2035", values, "An S-curve.", directory=tmp_path)
    assert path == tmp_path / "rd-my-2035.yaml"
    doc = yaml.safe_load(path.read_text())
    # only what differs from the defaults is recorded, so a later default change reaches the rest
    assert doc["parameters"] == {
        "target_year": 2035,
        "path_shape": "logistic",
        "real_gdp_growth_pct": {2026: 8, 2028: 7.5},
    }
    s = load_scenario(path)
    assert s.notebook == "rd_paths" and s.title == "Reach 2% by 2035" and s.description == "An S-curve."
    assert params.validate("rd_paths", s.parameters)["target_year"] == 2035
    assert [p.name for p in tmp_path.iterdir()] == ["rd-my-2035.yaml"]  # no temporary file left


@pytest.mark.parametrize(
    "name, title, values, error, match",
    [
        ("My Scenario", "t", {}, ScenarioError, "lower-case letters"),
        ("../escape", "t", {}, ScenarioError, "lower-case letters"),
        ("ok-name", "  ", {}, ScenarioError, "a title is required"),
        ("ok-name", "t", {"target_year": 2020}, ParameterError, "parameter 'target_year': 2020 is not after base_year"),
        ("ok-name", "t", {"path_shape": "zigzag"}, ParameterError, "parameter 'path_shape': 'zigzag' is not allowed"),
        ("ok-name", "t", {"bogus": 1}, ParameterError, "parameter 'bogus': unknown parameter"),
    ],
)
def test_save_as_scenario_refuses_like_the_command_line_and_leaves_nothing(tmp_path, name, title, values, error, match):
    with pytest.raises(error, match=match):
        explore.save_scenario(name, title, values, directory=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_save_as_scenario_runs_the_data_check_of_r57_run(tmp_path):
    """Values that pass validate() but not the check against the data (preflight) are refused too."""
    spec = params.notebook_spec("rd_paths")
    original = spec.preflight

    def refuse(p):
        if p["target_year"] == 2031:
            raise ParameterError("target_year", "no data for this combination (test)")
        return original(p)

    object.__setattr__(spec, "preflight", refuse)
    try:
        with pytest.raises(ParameterError, match="no data for this combination"):
            explore.save_scenario("rd-x", "t", {"target_year": 2031}, directory=tmp_path)
        assert list(tmp_path.iterdir()) == []
    finally:
        object.__setattr__(spec, "preflight", original)


def test_save_as_scenario_message_equals_the_command_lines(tmp_path, capsys):
    from analysis import cli

    assert cli.main(["run", "rd_paths", "-p", "path_shape", "zigzag"]) == 2
    cli_message = capsys.readouterr().err.strip().removeprefix("r57: invalid parameter: ")
    with pytest.raises(ParameterError) as exc:
        explore.save_scenario("x", "t", {"path_shape": "zigzag"}, directory=tmp_path)
    assert str(exc.value) == cli_message


def test_save_as_scenario_keeps_an_existing_file_unless_asked(tmp_path):
    first = explore.save_scenario("rd-a", "First", {"target_year": 2031}, directory=tmp_path)
    before = first.read_bytes()
    with pytest.raises(ScenarioError, match="already exists"):
        explore.save_scenario("rd-a", "Second", {"target_year": 2032}, directory=tmp_path)
    assert first.read_bytes() == before
    with pytest.raises(ParameterError):  # a refused overwrite keeps the old file too
        explore.save_scenario("rd-a", "Second", {"target_year": 1999}, directory=tmp_path, overwrite=True)
    assert first.read_bytes() == before
    explore.save_scenario("rd-a", "Second", {"target_year": 2032}, directory=tmp_path, overwrite=True)
    assert yaml.safe_load(first.read_text())["parameters"] == {"target_year": 2032}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rd-a.yaml"]


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    target=st.floats(0.05, 10.0),
    ns0=st.floats(0.0, 100.0),
    ns1=st.floats(0.0, 100.0),
    env=st.floats(0.0, 30.0),
    shape=st.sampled_from(sorted(path_core.PATH_SHAPES)),
)
def test_any_valid_setting_gives_figures_or_a_reason_never_an_exception(ex, target, ns0, ns1, env, shape):
    c = ex.compute(
        {
            "target_share_pct": target,
            "nonstate_share_base_pct": ns0,
            "nonstate_share_target_pct": ns1,
            "science_budget_share_pct": env,
            "path_shape": shape,
        }
    )
    if not c.ok:  # a combination the report refuses: the reason names the parameter, and the charts say so
        assert c.error.startswith("parameter '") and explore.charts_html(c).count("No values to draw") == 3
        return
    assert c.paths["share_pct"][-1] == pytest.approx(target)
    # state + non-state = total, every year
    np.testing.assert_allclose(c.paths["state_gerd_vnd_bn"] + c.paths["nonstate_gerd_vnd_bn"], c.paths["gerd_vnd_bn"])
    assert explore.charts_html(c).count("<svg") == 3
    assert bool(c.paths["fits_envelope"][c.rated].all()) == c.figures["envelope_fits_all_years"]  # rated years


def test_the_widgets_follow_a_control_change(tmp_path, monkeypatch):
    pytest.importorskip("ipywidgets")
    from analysis import paths
    from analysis.run.explore_ui import ExplorerUI

    ui = ExplorerUI()
    assert set(ui.widgets) == set(params.notebook_spec("rd_paths").names()) - set(params.PRESENTATION_PARAMS)
    assert set(ui.null_boxes) == {p.name for p in params.notebook_spec("rd_paths").params if p.nullable}
    before = ui.figures.value
    ui.widgets["target_share_pct"].value = 1.5
    assert ui.figures.value != before and ui.last.figures["gerd_target_vnd_bn"] < ex_default_target(ui)
    ui.widgets["target_year"].value = 2024
    ui.widgets["real_gdp_growth_pct"].value = "{2026: 8}"
    assert "These settings are refused" in ui.status.value and "No values to draw" in ui.charts.value
    ui.widgets["target_year"].value = 2030
    assert "refused" not in ui.status.value
    ui.null_boxes["base_share_pct"].value = False
    ui.widgets["base_share_pct"].value = 0.5
    assert ui.last.resolved["base_share_pct"] == 0.5
    monkeypatch.setattr(paths, "SCENARIOS_DIR", tmp_path)
    ui.save_name.value, ui.save_title.value = "Bad Name", "t"
    ui.save()
    assert "Not saved" in ui.save_message.value and list(tmp_path.iterdir()) == []
    ui.save_name.value = "rd-from-ui"
    ui.save()
    assert "Saved" in ui.save_message.value
    assert load_scenario(tmp_path / "rd-from-ui.yaml").parameters["base_share_pct"] == 0.5


def ex_default_target(ui) -> float:
    return ui.ex.compute({}).figures["gerd_target_vnd_bn"]


def test_the_explorer_notebook_is_clean_and_not_a_report():
    import nbformat

    from analysis import paths

    nb = nbformat.read(paths.NOTEBOOKS_DIR / "00_explore.ipynb", as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "r57"  # the project's kernel, for Voila and JupyterLab
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    assert "ExplorerUI" in "".join(c.source for c in code) and len("".join(c.source for c in code).splitlines()) <= 5
    assert "00_explore.ipynb" not in {params.notebook_spec(n).notebook for n in registry.names()}


@given(lo=st.floats(-1e9, 1e9), span=st.floats(0.0, 1e9))
def test_chart_ticks_cover_any_range_with_at_least_two_distinct_values(lo, span):
    from analysis.reports.svgchart import nice_ticks

    ticks = nice_ticks(lo, lo + span)
    assert len(ticks) >= 2 and ticks[-1] > ticks[0]
    tol = 1e-6 * max(1.0, span, abs(lo))  # covered up to a negligible part of the range (not a visible pixel)
    assert ticks[0] <= lo + tol and ticks[-1] >= lo + span - tol


def test_a_chart_of_tiny_or_flat_values_draws():
    from analysis.reports.svgchart import line_chart

    for values in ([1e-13, 2e-13, 1.5e-13], [5.0, 5.0, 5.0], [0.0, 0.0, 0.0]):
        svg = line_chart([2023, 2024, 2025], [("s", values)], title="t", y_label="u")
        assert "<polyline" in svg


def test_a_chart_with_nothing_finite_says_so_even_with_an_undefined_reference_line():
    from analysis.reports.svgchart import line_chart

    nan = float("nan")
    svg = line_chart([2023, 2024], [("s", [nan, nan])], title="t", y_label="u", hline=(nan, "target"))
    assert "No values to draw" in svg and "<polyline" not in svg


def test_the_context_is_resolved_once_per_settings_and_never_shared_mutably(ex, monkeypatch):
    calls = []
    real = explore.resolve

    def counting(p, data):
        calls.append(p["target_year"])
        return real(p, data)

    monkeypatch.setattr(explore, "resolve", counting)
    ex._contexts.clear()
    p = params.validate("rd_paths", {"target_year": 2033})
    a = ex.context(p)[1]
    a["target_share_pct"] = -1.0  # a caller changing its copy
    b = ex.context(p)[1]
    assert calls == [2033] and b["target_share_pct"] != -1.0
    ex.context(params.validate("rd_paths", {"target_year": 2034}))
    assert calls == [2033, 2034]
    c = ex.compute({"target_year": 2033})
    assert calls == [2033, 2034] and c.ok  # the scenario reuses the settings' context
