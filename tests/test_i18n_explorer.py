"""The live explorer in Vietnamese: every text the page shows comes through the catalogue (R57_I18N_MARK=1
bypass check on the widgets and the SVG charts), numbers are written the Vietnamese way, and switching the
language redraws everything while keeping every setting."""

from __future__ import annotations

import io
import re

import pytest

from analysis import i18n
from analysis.reports import messages, params
from analysis.reports.rd_paths import RdData
from analysis.run import explore

W = pytest.importorskip("ipywidgets")

from analysis.run.explore_ui import ExplorerUI, start_language  # noqa: E402

# Texts the explorer shows that belong to the rd_paths area, not to explorer.po: each control's
# `_(spec.help)`, `_(spec.unit)` (also in map axis labels) and the 'use default' tooltip's `_(spec.null_means)`
# for every parameter of rd_paths.RD_PARAMS. The rd_paths engineer marks them with N_() in
# src/analysis/reports/rd_paths.py; until their rd_paths.po is merged they are shown in English, so the
# "shown in English" check below ignores them (they are still required to go through `_()`: the bypass
# check covers them).
RD_PATHS_TEXTS = {
    text for p in params.notebook_spec("rd_paths").params for text in (p.help, p.unit, p.null_means) if text
}
MARKED = re.compile(
    re.escape(i18n.MARK_OPEN) + r"([^" + i18n.MARK_OPEN + i18n.MARK_CLOSE + r"]*)" + re.escape(i18n.MARK_CLOSE)
)


@pytest.fixture(scope="module")
def ex() -> explore.Explorer:
    return explore.Explorer(RdData.load())


def _walk(w):
    yield w
    for child in getattr(w, "children", ()):
        yield from _walk(child)


def page_html(ui: ExplorerUI) -> str:
    """Everything the page shows as one HTML text: the HTML widgets (status, figures, SVG charts, map,
    headings, help) and each widget's description, tooltip, placeholder and option labels."""
    parts = []
    for w in _walk(ui.root):
        if isinstance(w, W.HTML):
            parts.append(w.value)
        for attr in ("description", "tooltip", "placeholder"):
            text = getattr(w, attr, None)
            if text:
                parts.append(f"<p>{text}</p>")
        parts += [f"<p>{t}</p>" for t in getattr(w, "tooltips", None) or ()]
        if isinstance(w, (W.Dropdown, W.ToggleButtons)):
            parts += [f"<p>{label}</p>" for label in w._options_labels]
    return "\n".join(parts)


def explorer_msgids() -> set[str]:
    from babel.messages.pofile import read_po

    with messages.po_path("vi", "explorer").open("rb") as fh:
        return {m.id for m in read_po(io.BytesIO(fh.read())) if m.id and isinstance(m.id, str)}


def test_the_explorer_catalogue_is_complete():
    problems = [p for p in messages.check("vi") if p.area == "explorer"]
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.parametrize(
    "settings",
    [
        {},  # the defaults: a warning (the envelope stops fitting), the quick map
        {"target_share_pct": 0.3},  # a target below the base share: the 'cannot be reached' notes
        {"science_budget_share_pct": "{2026: 3, 2028: 5}"},  # the envelope fits: the 'follow the settings' line
    ],
)
def test_every_visible_text_of_the_vietnamese_explorer_comes_through_the_catalogue(ex, monkeypatch, settings):
    monkeypatch.setenv("R57_I18N_MARK", "1")
    ui = ExplorerUI(ex, lang="vi")
    for name, value in settings.items():
        ui.widgets[name].value = value
    ui.save_name.value, ui.save_title.value = "Bad Name", "t"
    ui.save()  # a refusal of the explorer's own (the name rule)
    html = page_html(ui)
    assert html.count("<svg") == 4 and "r57-figures" in html  # three charts and the map were checked
    assert messages.bypassed(html) == []
    # and nothing of the explorer's own is shown in English: a marked text equal to an explorer msgid would be an
    # untranslated one (the rd_paths texts the explorer shows are that area's, see RD_PATHS_TEXTS)
    english = explorer_msgids() - RD_PATHS_TEXTS
    shown = set(MARKED.findall(html))
    assert shown & english == set()
    assert "Nguồn:" in html and "Chi cho R&amp;D, % GDP" in html and "Năm" in html  # chart texts in Vietnamese


def test_a_refused_setting_says_so_in_vietnamese(ex, monkeypatch):
    monkeypatch.setenv("R57_I18N_MARK", "1")
    ui = ExplorerUI(ex, lang="vi")
    ui.widgets["target_year"].value = 2024
    ui.widgets["real_gdp_growth_pct"].value = "{2026: 8}"
    assert "Các thiết lập này không được chấp nhận" in ui.status.value
    assert ui.charts.value.count("Không có giá trị để vẽ") == 3 and "Không có bản đồ" in ui.map.value
    # the refusal's reason is the command line's message (params.validate, the common area): everything else marked
    charts = ui.charts.value + ui.figures.value + ui.map.value
    assert messages.bypassed(charts) == []


def test_a_language_switch_keeps_every_setting_and_redraws_in_the_other_language(ex):
    ui = ExplorerUI(ex)
    assert ui.lang == "en" and "Key figures" in ui.headings["figures"].value
    ui.widgets["target_share_pct"].value = 2.5
    ui.widgets["path_shape"].value = "linear"
    ui.widgets["real_gdp_growth_pct"].value = "{2026: 8, 2028: 6.5}"
    ui.null_boxes["nonstate_share_target_pct"].value = False
    ui.widgets["nonstate_share_target_pct"].value = 70.0
    ui.map_metric.value = "gerd_nominal_cagr_pct"
    ui.map_y.value = "target_share_pct"
    before = ui.values()
    figures = dict(ui.last.figures)
    map_before = (ui.map_x.value, ui.map_y.value, ui.map_metric.value)
    ui.language.value = "vi"  # as a reader clicks 'Tiếng Việt'
    assert ui.values() == before and ui.last.figures == figures
    assert (ui.map_x.value, ui.map_y.value, ui.map_metric.value) == map_before
    assert "Các chỉ số chính" in ui.headings["figures"].value  # the site's "Key figures" (site.po)
    assert "lộ trình tuyến tính" in ui.charts.value  # the path shape in words (the one label table), not its code
    assert explore.figure_label("gerd_nominal_cagr_pct") not in ui.map.value  # the map was redrawn, not kept
    with i18n.language("vi"):
        assert explore.figure_label("gerd_nominal_cagr_pct") in ui.map.value.replace("&amp;", "&")
    ui.language.value = "en"
    assert ui.values() == before and "Key figures" in ui.headings["figures"].value
    assert "R&amp;D spending by who pays" in ui.charts.value
    assert len(ui.switch_timings) == 2
    assert i18n.current() == "en"  # the explorer's language is its own: the kernel's is left as it was


def test_a_vietnamese_readout_writes_numbers_the_vietnamese_way(ex):
    ui = ExplorerUI(ex, lang="vi")
    v = ui.last.figures["gerd_target_vnd_bn"]
    # by hand: round to whole billions, thousands separated by dots (no decimals): e.g. 408117.6 -> "408.118"
    expected = f"{round(v):,}".replace(",", ".")
    assert (
        f'<tr data-key="gerd_target_vnd_bn"><th>Chi cho R&amp;D trong năm mục tiêu, tỷ đồng</th><td class="num">{expected}</td>'
        in (ui.figures.value)
    )
    with i18n.language("vi"):
        assert explore.figure_text("gerd_target_vnd_bn", 408117.6) == "408.118"
        assert explore.figure_text("gerd_target_usd_bn", 16.237) == "16,2"  # 1 decimal, as rd_paths declares it
        assert explore.figure_text("share_cagr_pct", 12.34) == "12,3"
        assert explore.figure_text("first_year_not_fitting", 2031) == "2031"  # a year is never grouped
        assert explore.figure_text("envelope_fits_all_years", False) == "không"  # as every page says it
    # English is what it was: Python's "{:,.0f}" / "{:.1f}" formats
    assert explore.figure_text("gerd_target_vnd_bn", 408117.6) == "408,118"
    assert explore.figure_text("share_cagr_pct", 12.34) == "12.3"


def test_svg_tick_labels_follow_the_language():
    from analysis.reports.svgchart import heat_map, line_chart, tick_text

    assert (tick_text(1234.5), tick_text(2.5), tick_text(12.5)) == ("1,234", "2.5", "12.5")
    with i18n.language("vi"):
        assert (tick_text(1234.5), tick_text(2.5), tick_text(12.5)) == ("1.234", "2,5", "12,5")
        svg = line_chart([2025, 2030], [("s", [0.5, 2.5])], title="t", y_label="u", source="x", source_label="Nguồn:")
        assert ">2,5<" in svg and ">2030<" in svg and "Nguồn: x" in svg and "Source" not in svg
        heat = heat_map([0.5, 1.5], [1, 2], [[1, 2], [3, 4]], title="t", x_label="a", y_label="b", z_label="z")
        assert ">0,5<" in heat and "a 1,5, b 2: 4" in heat


def test_the_explorer_starts_in_the_language_asked_for(ex, monkeypatch):
    monkeypatch.delenv("R57_LANG", raising=False)
    assert start_language() == "en" and start_language("vi") == "vi"
    monkeypatch.setenv("R57_LANG", "vi")
    assert start_language() == "vi"
    ui = ExplorerUI(ex)
    assert ui.lang == "vi" and ui.language.value == "vi" and "Thiết lập" in ui.headings["settings"].value
    monkeypatch.setenv("R57_LANG", "fr")
    with pytest.raises(i18n.LanguageError, match="allowed: en, vi"):
        start_language()
    from analysis import paths

    make = (paths.PROJECT_ROOT / "Makefile").read_text()
    rule = make[make.index("\nexplore:") :].split("\n\n")[0]
    assert "R57_LANG=$(EXPLORE_LANG)" in rule  # make explore R57_LANG=vi (or LANG=vi) reaches the kernel


def test_slider_readouts_write_the_vietnamese_decimal_comma(ex):
    ui = ExplorerUI(ex, lang="vi")
    slider = ui.widgets["target_share_pct"]
    assert not slider.readout and ui.readouts["target_share_pct"].layout.display is None
    slider.value = 2.35
    # the slider's step is 0.01 (hi 10 - lo 0.05 over 400 steps: 0.025 -> 0.01), so two decimals: "2,35"
    assert ">2,35<" in ui.readouts["target_share_pct"].value
    ui.language.value = "en"  # English keeps ipywidgets' own editable readout
    assert slider.readout and ui.readouts["target_share_pct"].layout.display == "none"
    assert slider.value == 2.35
