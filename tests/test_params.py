"""Parameter validation: every kind of bad input is refused, naming the parameter and what is allowed."""

from __future__ import annotations

import pytest

from analysis.errors import ParameterError
from analysis.reports import params, registry
from analysis.reports.rd_paths import resolve


def test_defaults_validate_and_are_complete(rd_defaults):
    spec = params.notebook_spec("rd_paths")
    assert list(rd_defaults) == spec.names()
    assert rd_defaults["target_share_pct"] == 2.0 and rd_defaults["target_year"] == 2030


@pytest.mark.parametrize(
    "given, name, allowed_fragment",
    [
        ({"no_such_param": 1}, "no_such_param", "base_year"),
        ({"base_year": "2023"}, "base_year", "whole number from 2010 to 2025"),
        ({"base_year": 2023.5}, "base_year", "whole number"),
        ({"base_year": True}, "base_year", "whole number"),
        ({"base_year": 1999}, "base_year", "2010 to 2025"),
        ({"target_share_pct": -1}, "target_share_pct", "0.05 to 10"),
        ({"target_share_pct": float("nan")}, "target_share_pct", "number"),
        ({"target_share_pct": None}, "target_share_pct", "0.05 to 10"),
        ({"path_shape": "exponential"}, "path_shape", "'geometric'"),
        ({"gerd_series": "oecd"}, "gerd_series", "'uis', 'ministry'"),
        ({"use_observed_gdp": "yes"}, "use_observed_gdp", "true or false"),
        ({"nonstate_share_target_pct": 101}, "nonstate_share_target_pct", "0 to 100"),
        ({"real_gdp_growth_pct": {2027: 50}}, "real_gdp_growth_pct", "-10 to 20"),
        ({"real_gdp_growth_pct": {"next": 5}}, "real_gdp_growth_pct", "mapping"),
        ({"real_gdp_growth_pct": {}}, "real_gdp_growth_pct", "mapping"),
        ({"target_year": 2023}, "target_year", "2026 to 2060"),
        ({"target_year": 2020}, "target_year", "2026"),
        ({"base_year": 2015, "target_year": 2060}, "target_year", "2055"),
        ({"gdp_deflator_pct": {2040: 3.0}}, "gdp_deflator_pct", "2026 to 2030"),
        ({"science_budget_share_pct": {2024: 3.0}}, "science_budget_share_pct", "2025 to 2030"),
        ({"nowcast_level": "mid"}, "nowcast_level", "'central'"),
        ({"target_gdp_basis": "old"}, "target_gdp_basis", "'pre_revision'"),
        ({"envelope_rd_share_pct": 0}, "envelope_rd_share_pct", "0.1 to 100"),
        ({"base_share_pct": 9.0, "target_share_pct": 0.5}, "base_share_pct", "10 x target"),
    ],
)
def test_bad_input_is_refused_with_name_and_allowed(given, name, allowed_fragment):
    with pytest.raises(ParameterError) as err:
        params.validate("rd_paths", given)
    assert err.value.name == name
    assert f"parameter '{name}'" in str(err.value)
    assert allowed_fragment in str(err.value)


@pytest.mark.parametrize(
    "given, name, fragment",
    [
        # no UIS value for 2012, no nowcast for it and no base share given
        ({"base_year": 2012}, "base_year", "2011, 2013, 2015, 2017, 2019, 2021, 2023, 2024, 2025"),
        # the ministry series stops in 2019 and 2021 is before the nowcast years
        ({"gerd_series": "ministry", "base_year": 2021}, "base_year", "2011, 2013, 2015, 2017, 2019, 2024, 2025"),
        # growth given for a year that has official GDP while observed GDP is used
        ({"base_year": 2023, "real_gdp_growth_pct": {2025: 7.0}}, "real_gdp_growth_pct", "use_observed_gdp"),
        # mapping starts after the first projection year
        ({"real_gdp_growth_pct": {2028: 7.0}}, "real_gdp_growth_pct", "2026"),
    ],
)
def test_combinations_the_data_cannot_support_are_refused(given, name, fragment, rd_data):
    p = params.validate("rd_paths", given)
    with pytest.raises(ParameterError) as err:
        resolve(p, rd_data)
    assert err.value.name == name
    assert fragment in str(err.value)


def test_given_base_share_works_for_a_year_without_observation(rd_data):
    r = resolve(params.validate("rd_paths", {"base_year": 2025, "base_share_pct": 0.5}), rd_data)
    assert r.inputs.base_share_pct == 0.5
    assert r.inputs.base_gdp_vnd_bn == 12_847_600  # GSO 2025


def test_growth_mapping_is_accepted_and_carried_forward(rd_data):
    p = params.validate("rd_paths", {"real_gdp_growth_pct": {2026: 7.0, 2028: 9.0}})
    r = resolve(p, rd_data)
    # years 2025 (base, ignored), then 7, 7, 9, 9, 9
    assert r.inputs.real_growth_pct[1:] == (7.0, 7.0, 9.0, 9.0, 9.0)
    assert r.inputs.observed_years == ()  # the base year 2025 is the last year with official GDP


@pytest.mark.parametrize(
    "text, value",
    [
        ("2030", 2030),
        ("6.5", 6.5),
        ("null", None),
        ("true", True),
        ("{2026: 7, 2027: 8}", {2026: 7, 2027: 8}),
        ("logistic", "logistic"),
    ],
)
def test_cli_values_are_read_as_yaml(text, value):
    assert params.parse_cli_value(text) == value


def test_describe_lists_every_parameter_with_units_and_reasons():
    rows = params.describe("rd_paths")
    assert [r["name"] for r in rows] == params.notebook_spec("rd_paths").names()
    assert all(r["why_default"] and r["allowed"] for r in rows)


def test_unknown_report_is_named():
    with pytest.raises(ParameterError, match="unknown report 'nope'.*rd_paths"):
        params.validate("nope", {})


def test_params_file(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("target_year: 2035\npath_shape: logistic\n")
    assert params.load_params_file(str(f)) == {"target_year": 2035, "path_shape": "logistic"}
    f.write_text("- just\n- a list\n")
    with pytest.raises(ParameterError, match="mapping"):
        params.load_params_file(str(f))
    with pytest.raises(ParameterError, match="cannot read"):
        params.load_params_file(str(tmp_path / "missing.yaml"))


def test_feasibility_reuses_the_scenario_parameter_specs():
    rd = {p.name: p for p in params.notebook_spec("rd_paths").params}
    feas = registry.notebook_spec("rd_feasibility")  # through the registry: imported on demand
    shared = [p for p in feas.params if p.name in rd]
    # the same objects, not copies: one start (base_year 2025, the nowcast) for every R&D report
    assert len(shared) >= 10 and all(p is rd[p.name] for p in shared)
    assert feas.spec("base_year").default == 2025


@pytest.mark.parametrize(
    "given, name",
    [
        ({"n_simulations": 10}, "n_simulations"),
        ({"seed": -1}, "seed"),
        ({"structural_spec": "cubic"}, "structural_spec"),
        ({"window_years": 0}, "window_years"),
        ({"interval_pct": 100}, "interval_pct"),
    ],
)
def test_feasibility_bad_input(given, name):
    with pytest.raises(ParameterError) as err:
        registry.validate("rd_feasibility", given)
    assert err.value.name == name


def test_a_parameter_left_empty_is_filled_with_the_value_used(rd_data):
    """Every rd_paths parameter that may be left empty ('empty means ... from the data') is filled by ``resolve``
    with the value the model used, for the defaults and for every rd_paths scenario, so results.json, the API's
    frames and the explorer show it (a newcomer's new parameter stayed None: design.md "Extending r57" now says
    where to fill it)."""
    from analysis.run.catalogue import load_catalogue

    nullable = [p.name for p in registry.notebook_spec("rd_paths").params if p.nullable]
    assert len(nullable) >= 5
    settings = [{}] + [s.parameters for s in load_catalogue()[0] if s.notebook == "rd_paths"]
    for given in settings:
        used = resolve(params.validate("rd_paths", given), rd_data).params
        empty = [n for n in nullable if not isinstance(used[n], (int, float)) or isinstance(used[n], bool)]
        assert empty == [], given


@pytest.mark.parametrize(
    "fmt, value, en, vi",
    [
        (3, 0.41456, "0.415", "0,415"),
        (2, 0.41456, "0.41", "0,41"),  # r57's rounding rule: the float 0.41456 to 2 places
        (0, 1234567.8, "1,234,568", "1.234.568"),
        (None, 70.8685, "70.9", "70,9"),  # by size
        ("year", 2030, "2030", "2030"),  # never grouped
        ("yesno", False, "no", "không"),
        (1, None, "–", "–"),
        (1, float("nan"), "–", "–"),
    ],
)
def test_a_key_figure_is_worded_with_its_declared_decimals_in_both_languages(fmt, value, en, vi):
    from analysis import i18n

    figure = params.KeyFigure("x", "x", "", fmt)
    assert figure.text(value) == en
    with i18n.language("vi"):
        assert figure.text(value) == vi


def test_the_rd_start_and_the_non_budget_share_are_declared_as_fine_as_the_report_words_them():
    # the report starts from "0.415% of GDP" and says state R&D fits "only if 70.9% comes from outside the budget"
    figures = {k.name: k for k in params.notebook_spec("rd_paths").key_figures}
    assert figures["share_base_pct"].text(0.41456) == "0.415"
    assert figures["consistency_nonbudget_needed_pct"].text(70.8685) == "70.9"
