"""The explorer for people (issue 26 item 7): controls labelled in words in both languages with the parameter
name only as a hint, grouped as an economist reads a scenario, and the settings shareable as a link that is
checked exactly like ``r57 run -p`` values."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from analysis import i18n
from analysis.errors import ParameterError
from analysis.reports import params
from analysis.reports.rd_paths import RdData
from analysis.run import explore

W = pytest.importorskip("ipywidgets")

from analysis.run.explore_ui import ExplorerUI  # noqa: E402

SPEC = params.notebook_spec("rd_paths")
SCENARIO_PARAMS = [p for p in SPEC.params if p.name not in params.PRESENTATION_PARAMS]


@pytest.fixture(scope="module")
def ex() -> explore.Explorer:
    return explore.Explorer(RdData.load())


# ----------------------------------------------------------------------------- labels and groups


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_no_control_is_labelled_with_a_parameter_name_and_every_name_is_kept_as_the_hint(ex, lang):
    ui = ExplorerUI(ex, lang=lang)
    names = [p.name for p in SPEC.params]
    for c in ui.controls:
        w = ui.widgets[c.name]
        assert w.description and not any(n in w.description for n in names), (c.name, w.description)
        assert "_" not in w.description, w.description
        assert w.tooltip.startswith(c.name + ":")  # the name the command line and scenario files use
        assert f"<code>{c.name}</code>" in ui.helps[c.name].value
        if c.widget == "dropdown":  # words shown, the codes kept as the values
            assert [v for _label, v in w.options] == list(c.spec.choices)
            assert all(label != code and "_" not in label for label, code in w.options), w.options
    # the map's axes are named in words too
    assert all(label != name and "_" not in label for label, name in ui.map_x.options)


def test_the_vietnamese_labels_are_translations_not_the_english_text(ex):
    en, vi = ExplorerUI(ex, lang="en"), ExplorerUI(ex, lang="vi")
    for c in en.controls:
        assert en.widgets[c.name].description != vi.widgets[c.name].description, c.name
    assert vi.widgets["path_shape"].options == (
        ("đường thẳng", "linear"),
        ("tốc độ tăng đều", "geometric"),
        ("đường cong chữ S", "logistic"),
        ("tăng dồn về cuối kỳ", "back_loaded"),
    )
    assert en.widgets["path_shape"].options == (
        ("straight line", "linear"),
        ("steady growth rate", "geometric"),
        ("S-curve", "logistic"),
        ("late rise", "back_loaded"),
    )
    assert en.widgets["target_share_pct"].description == "R&D target, share of GDP"
    assert vi.widgets["target_share_pct"].description == "Mục tiêu chi R&D, tỷ lệ so với GDP"


def test_every_parameter_is_in_exactly_one_declared_group_in_the_economists_order(ex):
    keys = [k for k, _title in explore.GROUPS]
    assert all(p.group in keys and p.label for p in SCENARIO_PARAMS), [p.name for p in SCENARIO_PARAMS]
    groups = explore.grouped(explore.controls(filled=ex.filled()))
    assert [k for k, _t, _cs in groups] == keys  # every group used, in GROUPS' order, no "other" group
    shown = [c.name for _k, _t, cs in groups for c in cs]
    assert sorted(shown) == sorted(p.name for p in SCENARIO_PARAMS) and len(shown) == len(set(shown))
    target = {c.name for k, _t, cs in groups if k == "target" for c in cs}
    assert {"target_share_pct", "target_year"} <= target
    # on the page: each group's heading, then its controls, before the next group's heading
    ui = ExplorerUI(ex)
    left = ui.root.children[-1].children[0].children
    order = []
    for w in left:
        for key, heading in ui.group_headings.items():
            if w is heading:
                order.append(("heading", key))
        for name, help_box in ui.helps.items():
            if isinstance(w, W.VBox) and help_box in w.children:
                order.append(("control", name))
    expected = [item for k, _t, cs in groups for item in [("heading", k)] + [("control", c.name) for c in cs]]
    assert order == expected


def test_a_control_whose_spec_names_no_known_group_is_shown_under_other_settings():
    c = explore.Control(params.ParamSpec("x", "float", 1, "", "", "", group=""), "number", 1)
    assert explore.grouped([c]) == [("other", "Other settings", [c])]


# ----------------------------------------------------------------------------- the link


def test_a_link_writes_only_what_differs_from_the_defaults_as_the_command_line_does():
    values = dict(params.validate("rd_paths", {}))
    assert explore.settings_query(values) == ""
    values.update(target_share_pct=2.5, path_shape="linear", real_gdp_growth_pct={2026: 8.0, 2028: 6.5})
    values["use_observed_gdp"] = False
    assert explore.settings_query(values, "vi") == (
        "?target_share_pct=2.5&path_shape=linear&real_gdp_growth_pct=%7B2026:%208,%202028:%206.5%7D"
        "&use_observed_gdp=false&lang=vi"
    )


def test_a_link_is_read_like_command_line_values():
    got = explore.settings_from_query(
        "?target_share_pct=2.5&path_shape=linear&real_gdp_growth_pct=%7B2026:%208%7D&base_share_pct=null"
        "&use_observed_gdp=false&lang=vi&token=secret"
    )
    assert got.values == {
        "target_share_pct": 2.5,
        "path_shape": "linear",
        "real_gdp_growth_pct": {2026: 8.0},
        "base_share_pct": None,
        "use_observed_gdp": False,
    }
    assert got.lang == "vi" and got.refused == []  # the access token is not a setting


def test_a_bad_link_parameter_is_refused_with_the_reason_and_the_others_are_kept():
    got = explore.settings_from_query(
        "base_year=1800&target_share_pct=2.5&colour=red&path_shape=spiral&lang=fr&nonstate_share_target_pct=70"
    )
    assert got.values == {"target_share_pct": 2.5, "nonstate_share_target_pct": 70}
    assert got.lang is None
    assert got.refused == [  # in the link's order
        "parameter 'base_year': 1800 is out of range (allowed: a whole number from 2010 to 2025)",
        "parameter 'colour': unknown parameter for rd_paths (allowed: " + ", ".join(SPEC.names()) + ")",
        "parameter 'path_shape': 'spiral' is not allowed (allowed: one of 'linear', 'geometric', 'logistic', "
        "'back_loaded')",
        "parameter 'lang': 'fr' is not a language of the reports (allowed: en, vi)",
    ]
    # the same words as r57 run -p gives for the same value
    with pytest.raises(ParameterError) as cli:
        params.validate("rd_paths", {"base_year": params.parse_cli_value("1800")})
    assert str(cli.value) in got.refused


def test_a_combination_the_command_line_refuses_drops_the_parameter_it_names():
    got = explore.settings_from_query("base_year=2020&target_year=2015&target_share_pct=3")
    assert got.values == {"base_year": 2020, "target_share_pct": 3}
    assert got.refused == [
        "parameter 'target_year': 2015 is not after base_year 2020 (allowed: a year from 2021 to 2060)"
    ]


def test_a_link_with_too_many_fields_is_refused_whole():
    got = explore.settings_from_query("&".join(f"a{i}=1" for i in range(explore.MAX_LINK_FIELDS + 1)))
    assert got.values == {} and len(got.refused) == 1 and "more than 100" in got.refused[0]


def _value(p: params.ParamSpec) -> st.SearchStrategy:
    if p.choices:
        return st.sampled_from(p.choices)
    if p.kind == "bool":
        return st.booleans()
    if p.kind == "int":
        return st.integers(int(p.lo), int(p.hi))
    number = st.floats(p.lo, p.hi, allow_nan=False, allow_infinity=False)
    if p.kind == "float_or_year_map":
        number = number | st.dictionaries(st.integers(2026, 2030), number, min_size=1, max_size=5)
    return (st.none() | number) if p.nullable else number


SETTINGS = st.fixed_dictionaries({}, optional={p.name: _value(p) for p in SCENARIO_PARAMS})


@settings(max_examples=80)
@given(values=SETTINGS, lang=st.sampled_from(i18n.LANGS))
def test_settings_survive_the_link_round_trip(values, lang):
    try:
        checked = params.validate("rd_paths", values)
    except ParameterError:
        assume(False)
    query = explore.settings_query(checked, lang)
    back = explore.settings_from_query(query)
    assert back.refused == []
    assert params.validate("rd_paths", back.values) == checked
    assert back.lang == (None if lang == "en" else lang)


def test_the_page_starts_from_its_link_and_says_what_it_refused(ex):
    ui = ExplorerUI(ex, query="target_share_pct=2.5&path_shape=logistic&base_share_pct=0.5&base_year=1800&lang=vi")
    assert ui.lang == "vi"
    assert ui.widgets["target_share_pct"].value == 2.5 and ui.widgets["path_shape"].value == "logistic"
    assert ui.null_boxes["base_share_pct"].value is False and ui.widgets["base_share_pct"].value == 0.5
    assert ui.last.ok and ui.last.params["target_share_pct"] == 2.5 and ui.last.resolved["base_share_pct"] == 0.5
    assert "base_year" in ui.link_refused.value and "2010 to 2025" in ui.link_refused.value
    assert "Không lấy từ đường liên kết" in ui.link_refused.value
    assert ui.link_text() == "?base_share_pct=0.5&target_share_pct=2.5&path_shape=logistic&lang=vi"  # spec order
    ui.widgets["target_share_pct"].value = 3.0  # the link follows the controls
    assert "&target_share_pct=3&" in ui.link_text()
    before = ui.link_text()
    ui.widgets["target_year"].value = 2024  # refused: the link keeps the last settings accepted
    assert not ui.last.ok and ui.link_text() == before and "target_year" not in before
    ui.language.value = "en"
    assert ui.link_text() == "?base_share_pct=0.5&target_share_pct=3&path_shape=logistic"


def test_a_link_value_off_the_sliders_grid_is_kept_and_shown_as_given(ex):
    ui = ExplorerUI(ex, query="target_share_pct=2.537&nonstate_share_target_pct=61.23")
    w = ui.widgets["target_share_pct"]
    assert w.step == 0.001 and w.readout_format == ".3f" and w.value == 2.537  # default step 0.01
    assert ui.widgets["nonstate_share_target_pct"].readout_format == ".2f"
    assert ui.link_text() == "?target_share_pct=2.537&nonstate_share_target_pct=61.23"


def test_the_link_is_the_pages_address_under_voila(ex, monkeypatch):
    monkeypatch.setenv("VOILA_REQUEST_URL", "http://127.0.0.1:8866/?token=abc&target_share_pct=2.5")
    monkeypatch.setenv("QUERY_STRING", "token=abc&target_share_pct=2.5")
    ui = ExplorerUI(ex)
    assert ui.widgets["target_share_pct"].value == 2.5 and ui.from_link.refused == []
    assert ui.link_text() == "http://127.0.0.1:8866/?target_share_pct=2.5"  # never the access token
    assert 'value="http://127.0.0.1:8866/?target_share_pct=2.5"' in ui.link.value
