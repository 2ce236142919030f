"""The index answers first: its verdict panel, read from a small fake site of results.json files (known
answers worked by hand), what it says when a scenario is missing or failed, the status colours' contrast,
and the page in a real headless Chromium at desktop and phone width."""

from __future__ import annotations

import base64
import itertools
import json
import re
from html import unescape
from pathlib import Path

import pytest

from analysis import paths
from analysis.models.targets import MIN_BACKTEST_PAIRS
from analysis.reports import registry
from analysis.run import site
from analysis.run.catalogue import Scenario
from browser_page import CHROMIUM, Page

TRACKER = {  # counts by status worked by hand: 2 + 1 + 8 + 6 + 2 + 4 = 23
    "targets_total": 23,
    "targets_on_track": 2,
    "targets_needs_acceleration": 1,
    "targets_off_track": 8,
    "targets_off_track_windows_disagree": 3,
    "targets_not_measurable": 6,
    "targets_without_period_data": 2,
    "targets_without_data": 4,
}
RD = {  # the 2030 state part: 4.119% of budget expenditure is 4.119 / 3 = 137.3% of the 3% envelope
    "base_year": 2025,
    "target_year": 2030,
    "share_target_pct": 2.0,
    "share_base_pct": 0.4406743463604614,
    "start_status": "estimate",  # projected from the 2023 survey on the whole record's GERD trend
    "last_observation_year": 2023,
    "nowcast": [{"year": 2025, "method": "gerd_trend_all"}],
    "share_base_low_pct": 0.3519,
    "share_base_high_pct": 0.47722,
    "gerd_nominal_cagr_pct": 48.446265977595985,
    "gerd_target_usd_bn": 14.788578066622952,  # 408,118 bn VND in 2030, 7.66 times 2025's
    "gerd_target_vnd_bn": 408118.39006404905,
    "gerd_multiple": 7.6626107122825315,
    "science_budget_share_target_pct": 3.0,
    "consistency_budget_pct_at_floor": 4.119252355697442,
    "consistency_envelope_pct_at_floor": 137.3084118565814,
    "consistency_nonbudget_needed_pct": 70.8685,
    "envelope_rd_share_pct": 100.0,  # the scenario lets R&D use the whole envelope
    "whole_envelope": True,
    # over budget spending's range, 22.42% or 18.24% of GDP: 0.8 / (0.03 x 22.42) = 119%, 0.8 / (0.03 x 18.24) = 146%
    "budget_exp_pct_gdp_low": 18.24,
    "budget_exp_pct_gdp_high": 22.42,
    "consistency_envelope_pct_at_floor_at_budget_high": 0.8 / (0.03 * 22.42) * 100,
    "consistency_envelope_pct_at_floor_at_budget_low": 0.8 / (0.03 * 18.24) * 100,
    "parameters": {"budget_exp_pct_gdp": 19.421},  # the model's: 137% there
}
# (chance of reaching the target rank %, latest rank, target rank, whose target): within: 0 of the 2 Resolution
# targets, 1 of the 2 the scenarios assume (rank-hcmc, 100 of the top 100); a chance of 50% or more: 1 of the 2
# Resolution targets (rank-egov), 1 of the 1 assumed target with a chance (rank-hcmc; rank-hanoi gives none)
RANKS = {
    "rank-gii": (12.0, 44, 30, "resolution"),
    "rank-egov": (64.0, 71, 50, "resolution"),
    "rank-hcmc": (50.0, 100, 100, "assumption"),
    "rank-hanoi": (None, 148, 100, "assumption"),
}


def scenario(name: str, notebook: str) -> Scenario:
    return Scenario(name, Path(f"scenarios/{name}.yaml"), notebook, f"Scenario {name}", "")


SCENARIOS = [
    scenario("targets", "resolution_targets"),
    scenario("rd-baseline", "rd_paths"),
    *(scenario(name, "ecosystem_rankings") for name in RANKS),
]


@pytest.fixture()
def reports(tmp_path, monkeypatch):
    folder = tmp_path / "reports"
    folder.mkdir()
    monkeypatch.setattr(paths, "REPORTS_DIR", folder)
    return folder


def put(reports: Path, name: str, results: dict | None, status: str = "ok", lang: str = "en") -> dict:
    """One scenario's folder as run-all leaves it: results.json, report.html, run.json; its run record."""
    folder = site.edition_dir(lang, reports) / name
    folder.mkdir(parents=True, exist_ok=True)
    if results is not None:
        (folder / "results.json").write_text(json.dumps(results), encoding="utf-8")
        (folder / "report.html").write_text("<html></html>", encoding="utf-8")
    record = {"last_status": status, "last_success_utc": "2026-11-23T09:05:00+00:00"}
    if results is not None and status == "ok":  # the index's tables show the figures run-all recorded
        record["key_figures"] = {k: v for k, v in results.items() if k != "parameters"}
    (folder / "run.json").write_text(json.dumps(record), encoding="utf-8")
    return record


def full_site(reports: Path, lang: str = "en") -> dict[str, dict]:
    records = {
        "targets": put(reports, "targets", TRACKER, lang=lang),
        "rd-baseline": put(reports, "rd-baseline", RD, lang=lang),
    }
    for name, (chance, latest, target, source) in RANKS.items():
        results = {"prob_reach_target_pct": chance, "latest_rank": latest, "parameters": {"target_rank": target}}
        records[name] = put(reports, name, results | {"target_source": source}, lang=lang)
    return records


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html))).strip()


def panel(html: str) -> str:
    return html[html.index('<section class="verdict"') : html.index("</section>")]


def test_one_page_reads_each_results_file_once(reports, monkeypatch):
    """The verdict's lines (each after its _state check) and the tables' backtest column share the page's reader."""
    records, read = full_site(reports), []
    monkeypatch.setattr(
        site, "read_json", lambda path, real=site.read_json: read.append(path.parent.name) or real(path)
    )
    site.render_index(SCENARIOS, records)
    assert sorted(read) == sorted(["targets", "rd-baseline", *RANKS])


def test_the_panel_says_each_headline_with_its_numbers_and_links(reports):
    records = full_site(reports)
    with site.i18n.language("en"):
        v = site.verdict(SCENARIOS, records)
    tracker, rd, ranks = v["lines"]
    assert text_of(tracker["text"]) == "23 targets of Resolution 57 are tracked."
    assert [(c["label"], c["count"]) for c in tracker["counts"]] == [
        ("On track", "2"),
        ("Need acceleration", "1"),
        ("Off track", "8 (3 with windows disagreeing)"),
        ("Not measurable", "6"),
        ("No observation for the target period", "2"),
        ("No data in this project's sources", "4"),
    ]
    assert [c["icon"] for c in tracker["counts"]] == ["\u2713", "\u25b2", "\u2717", "?", "\u2013", "\u2013"]
    styles = ["on-track", "accelerate", "off-track", "unmeasurable", "no-data", "no-data"]
    assert [c["style"] for c in tracker["counts"]] == styles
    assert 'href="targets/report.html"' in tracker["link"]
    # the answer and its one condition, on the rd-baseline report's own figures (the report keeps the detail)
    assert text_of(rd["text"]) == (
        "Reaching 2% of GDP by 2030 needs R&D spending to grow 48.4% a year (nominal VND); at 60% non-budget (the "
        "Resolution asks for more), the state's part would need 119%-146% of the whole 3% envelope for S&T, "
        "innovation and digital transformation, with budget spending at 22.4% or 18.2% of GDP (137% at the model's "
        "19.4%)."
    )
    assert 'href="rd-baseline/report.html"' in rd["link"]
    # rank-hcmc is at its target rank (100 of top 100); rank-hanoi gives no chance: each count split the same way
    assert text_of(ranks["text"]) == (
        "Within their target rank in the latest edition: 0 of 2 Resolution targets; 1 of 2 illustrative targets. "
        "With a chance of 50% or more of reaching it by the target year, of those with a chance computed: "
        "1 of 2 Resolution targets; 1 of 1 illustrative target."
    )
    assert 'href="#ecosystem_rankings"' in ranks["link"]
    assert (
        text_of(v["run"])
        == "Run: 6 of 6 scenarios ran without error. Latest update 2026-11-23 09:05:00 UTC. Run details"
    )

    page = site.render_index(SCENARIOS, records)
    assert page.index('<section class="verdict"') < page.index('<p class="lead">') < page.index("<table")
    assert 'id="ecosystem_rankings"' in page and 'id="run"' in page  # the links' targets
    # the operators' columns are no longer the first columns: status and time are in the run details
    first_table = page[page.index("<table") : page.index("</table>")]
    assert "Status" not in first_table and "Last updated" not in first_table
    details = page[page.index('<details class="run"') :]
    assert '<span class="ok">ok</span>' in details and "2026-11-23 09:05:00 UTC" in details


def test_the_vietnamese_panel_writes_numbers_the_vietnamese_way(reports):
    records = full_site(reports, "vi")
    vi = text_of(panel(site.render_index(SCENARIOS, records, lang="vi")))
    assert "Những điểm chính" in vi
    assert "48,4" in vi and "22,4" in vi and "48.4" not in vi
    for word, count in (("Đúng tiến độ", 2), ("Cần đẩy nhanh tiến độ", 1), ("Chậm tiến độ", 8)):
        assert f"{word}: {count}" in vi


def test_the_vietnamese_panel_counts_rankings_in_words_not_a_bold_number_before_a_slash(reports):
    """ "<strong>0</strong>/6" read "0 /6" wherever the bold run is taken apart (text extraction, a screen reader)."""
    records = full_site(reports, "vi")
    page = panel(site.render_index(SCENARIOS, records, lang="vi"))
    assert "</strong>/" not in page
    assert "<strong>0</strong> trong số 2 mục tiêu của Nghị quyết" in page
    assert "<strong>1</strong> trong số 2 mục tiêu giả định của kịch bản (không thuộc Nghị quyết)" in page
    assert (
        "có tính xác suất: <strong>1</strong> trong số 2 mục tiêu của Nghị quyết; <strong>1</strong> trong số 1" in page
    )


def test_one_target_is_singular(reports):
    records = {"targets": put(reports, "targets", TRACKER | {"targets_total": 1})}
    with site.i18n.language("en"):
        line = site.verdict(SCENARIOS[:1], records)["lines"][0]
    assert text_of(line["text"]) == "1 target of Resolution 57 is tracked."


def test_rankings_that_withhold_every_chance_are_still_results(reports):
    """Every ranking report ran but none gives a chance (its backtest cannot carry one): the line says what the
    reports do show, not that no ranking has run (the index said that of a full build)."""
    records = {}
    for name, (_chance, latest, target, _source) in RANKS.items():  # no target_source: not the Resolution's
        results = {"prob_reach_target_pct": None, "latest_rank": latest, "parameters": {"target_rank": target}}
        records[name] = put(reports, name, results)
    with site.i18n.language("en"):
        line = site.verdict([s for s in SCENARIOS if s.name in RANKS], records)["lines"][2]
    assert text_of(line["text"]) == (
        "Within their target rank in the latest edition: 1 of 4 illustrative targets. No report gives a "
        "chance of reaching the target rank; each says why its backtest cannot carry one."
    )
    assert 'href="#ecosystem_rankings"' in line["link"]


def test_missing_and_failed_scenarios_are_said_and_the_page_still_renders(reports):
    records = {
        "targets": put(reports, "targets", TRACKER, status="failed"),  # failed, its last good report kept
        "rank-gii": put(reports, "rank-gii", None, status="failed"),
        "rank-egov": put(reports, "rank-egov", None, status="failed"),
    }
    scenarios = [s for s in SCENARIOS if s.name in records] + [scenario("rd-other", "rd_paths")]  # no rd-baseline
    page = site.render_index(scenarios, records)
    lines = re.findall(r"<li><strong>.*?</li>\n", panel(page), re.S)
    assert [text_of(li) for li in lines] == [
        "The tracker: The latest run of targets failed (what failed). The last good report is kept.",
        "R&D spending: No results yet: the scenario rd-baseline has not run.",
        "Rankings: 2 ranking scenarios failed to run.",
    ]
    assert 'href="targets.failed/error.html"' in lines[0] and 'href="targets/report.html"' in lines[0]
    assert "Run: 0 of 4 scenarios ran without error." in text_of(panel(page))
    # nothing at all: every line says so
    empty = text_of(panel(site.render_index([], {})))
    assert "No results yet: the scenario targets has not run." in empty
    assert "No results yet: no ranking scenario has run." in empty


# a ranking's results as the model writes them: the naive method's backtest on the EGDI scored 246 forecasts over
# every horizon, 14 of them three editions ahead (the target's horizon), of which 12 (85.7%) fell in the 80% interval
EGOV = {
    "index_name": "egdi",
    "projection_method": "naive",
    "horizon_editions": 3,
    "backtest_cases": 246,
    "backtest_coverage_pct": 86.6,
    "projected_rank": 71.0,
    "projected_rank_lo": 60.0,
    "projected_rank_hi": 84.0,
    "interval_note": None,
    "interval_coverage_at_horizon_pct": 100 * 12 / 14,
    "parameters": {"interval_pct": 80.0},
    "backtest": [
        {"index": "egdi", "method": "drift_rank", "horizon": "3", "cases": 99},
        {"index": "egdi", "method": "naive", "horizon": "3", "cases": 14},
        {"index": "egdi", "method": "naive", "horizon": "all", "cases": 246},
    ],
}


def test_the_backtest_column_shows_coverage_only_beside_the_reports_own_interval_at_the_target_horizon():
    # 9 of the 14 (64.3%): more than 10 points short of 80%, so the report gives no interval, nor does the index
    below = EGOV | {"projected_rank_lo": None, "projected_rank_hi": None, "interval_note": "coverage_below_nominal"}
    below |= {"interval_coverage_at_horizon_pct": 100 * 9 / 14}
    beyond = below | {"interval_note": "beyond_backtest_horizon", "projected_rank": None}  # withheld, as the tracker
    thin_cases = MIN_BACKTEST_PAIRS - 1  # the model's threshold: fewer scored forecasts withhold a projection
    thin = EGOV | {"backtest_cases": thin_cases, "interval_note": "backtest_too_thin", "projected_rank": None}
    with site.i18n.language("en"):
        assert site.coverage_cell(EGOV) == ("86 (14 cases)", None)  # not the 86.6 over every horizon, by chance
        assert site.coverage_cell(EGOV | {"interval_coverage_at_horizon_pct": 50.0}) == ("50 (14 cases)", None)
        assert site.coverage_cell(below) == (
            "\u2013",
            "the projection has no interval: at this horizon the backtest's 80% intervals held the outcome more than "
            "10 points less often than 80% (64% at the target horizon, over 14 cases).",
        )
        assert site.coverage_cell(beyond) == (
            "\u2013",
            "the target year is further ahead than any past forecast the backtest could check against the published "
            "outcomes, so nothing shows how reliable a projection that far ahead is; that would need a longer run of "
            "data.",
        )
        assert site.coverage_cell(thin) == (
            "\u2013",
            f"the backtest could check only {thin_cases} past forecasts against the published outcomes; at least "
            f"{MIN_BACKTEST_PAIRS} are needed to show how reliable a projection is.",
        )
    with site.i18n.language("vi"):
        assert site.coverage_cell(EGOV) == ("86 (14 trường hợp)", None)


def test_the_projected_rank_cell_labels_the_latest_rank_held_and_leaves_a_withheld_one_empty():
    said = site.i18n.each_language(lambda: site.rs.projected_rank_text(EGOV))  # the naive method: no change forecast
    assert said == {
        "en": "71 (latest rank held, not a forecast of change)",
        "vi": "71 (giữ nguyên thứ hạng gần nhất, không phải dự báo thay đổi)",
    }
    assert site.rs.projected_rank_text(EGOV | {"projection_method": "drift_rank", "projected_rank": 64.6}) == "65"
    assert site.rs.projected_rank_text(EGOV | {"projected_rank": None}) == "\u2013"  # withheld by the model


def test_the_index_gives_the_reason_beside_a_backtest_cell_it_leaves_empty(reports):
    ranking = [scenario("rank-egov", "ecosystem_rankings"), scenario("rank-gii", "ecosystem_rankings")]
    records = {
        "rank-egov": put(reports, "rank-egov", EGOV),
        "rank-gii": put(reports, "rank-gii", EGOV | {"projected_rank_lo": None, "interval_note": "no_interval"}),
    }
    page = site.render_index(ranking, records)
    table = page[page.index('id="ecosystem_rankings"') : page.index("</table>", page.index('id="ecosystem_rankings"'))]
    rows = re.findall(r'<tr><th scope="row".*?</tr>', table, re.S)
    # the figures these results hold: the projected rank, then the backtest's column
    assert [text_of(re.findall(r'<td class="num">(.*?)</td>', row)[1]) for row in rows] == ["86 (14 cases)", "\u2013"]
    # the naive method forecasts no change: its figure is labelled as the latest rank held, not as a projection
    held = "71 (latest rank held, not a forecast of change)"
    assert [text_of(re.findall(r'<td class="num">(.*?)</td>', row)[0]) for row in rows] == [held, held]
    notes = text_of(page[page.index('<p class="reason">') : page.index("</ul>", page.index('<p class="reason">'))])
    assert notes == (
        "Where the column \u201cBacktest: share of outcomes inside the interval, %\u201d shows \u2013: "
        "Scenario rank-gii: the projection has no interval: the method gives no interval."
    )  # a coverage is quoted only where it is the reason (coverage_below_nominal): this method has no interval


def test_the_ranking_chance_the_panel_reads_is_declared_by_its_report():
    declared = {spec.name: {k.name for k in spec.key_figures} for spec in registry.reports()}
    assert site.RANKING_CHANCE in declared[site.RANKINGS_REPORT]


def contrast(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours."""

    def luminance(colour: str) -> float:
        rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_status_colours_have_aa_contrast_and_an_icon():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)  # the scale's ends
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # WCAG's classic just-failing grey
    for name, (fg, bg, icon) in site.STATUS_STYLES.items():
        assert contrast(fg, bg) >= 4.5, name
        assert contrast(fg, "#f4f8fc") >= 4.5, name  # the panel's background, where a chip's own is white
        assert icon.strip(), name
        assert f".st-{name}{{color:{fg};background:{bg}}}" in site.CSS


# ----------------------------------------------------------------------------- in a real browser


class Tab(Page):
    """One headless Chromium tab (:class:`browser_page.Page`: started and reached without a timed wait) that
    opens a page at a given size."""

    def __init__(self, tmp: Path):
        super().__init__("about:blank", tmp)
        self.call("Page.enable")

    def open(self, url: str, width: int, height: int) -> None:
        """Open ``url`` at ``width`` x ``height`` (:meth:`browser_page.Page.open`)."""
        self.call(
            "Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=width < 600
        )
        super().open(url)


MEASURE = """(() => { const r = document.querySelector('section.verdict').getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, vw: innerWidth, vh: innerHeight,
          scroll: document.documentElement.scrollWidth}; })()"""


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (`apt-get install chromium`; .ci/run does it)")
def test_the_panel_is_in_the_first_screen_at_desktop_and_phone_width(reports, tmp_path):
    records = full_site(reports)
    scenarios = SCENARIOS + [scenario(f"rd-{i}", "rd_paths") for i in range(6)]  # a full index below the panel
    for s in scenarios[len(SCENARIOS) :]:
        records[s.name] = put(reports, s.name, RD | {"max_gerd_growth_pct": 61.2, "gerd_target_usd_bn": 14.84})
    for s in scenarios:  # the Vietnamese edition from the same results
        put(reports, s.name, json.loads((reports / s.name / "results.json").read_text(encoding="utf-8")), lang="vi")
    tab = Tab(tmp_path)
    try:
        for lang, (width, height) in itertools.product(("en", "vi"), ((1280, 800), (390, 844))):
            tab.open(site.write_index(scenarios, lang=lang).as_uri(), width, height)
            box = tab.js(MEASURE)
            assert box["vw"] == width and box["vh"] == height
            assert 0 <= box["top"] < box["bottom"] <= height, (lang, width, box)  # the whole panel, without scrolling
            assert 0 <= box["left"] and box["right"] <= width, (lang, width, box)
            assert box["scroll"] <= width, (lang, width, box)  # no horizontal scrolling of the page
            shot = base64.b64decode(tab.call("Page.captureScreenshot", format="png")["data"])
            (tmp_path / f"index-{lang}-{width}.png").write_bytes(shot)
            assert shot.startswith(b"\x89PNG") and len(shot) > 10_000
        # at phone width the wide tables scroll inside their own box, their first column fixed
        wrap = tab.js("""(() => { const w = document.querySelector('h2#rd_paths + .tablewrap');
            const th = w.querySelector('tbody th[scope=row]');
            return {scroll: w.scrollWidth, client: w.clientWidth, sticky: getComputedStyle(th).position}; })()""")
        assert wrap["scroll"] > wrap["client"] and wrap["sticky"] == "sticky", wrap
    finally:
        tab.close()


def test_a_refused_file_is_named_from_the_project_not_from_this_machine(reports, monkeypatch, tmp_path):
    """The index is shared: a refusal names the file as scenarios/x.yaml, never the machine's own folders."""
    root = tmp_path / "home" / "economist" / "r57"
    monkeypatch.setattr(paths, "PROJECT_ROOT", root)
    monkeypatch.setattr(paths, "SCENARIOS_DIR", root / "scenarios")
    reason = f"{root}/scenarios/bad.yaml: must be a mapping; see {root}/docs/design.md"
    page = text_of(site.render_index([], {}, [("bad", reason)]))
    assert "scenarios/bad.yaml: must be a mapping; see ./docs/design.md" in page
    assert "economist" not in page
