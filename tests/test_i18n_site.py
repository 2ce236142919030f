"""The two-edition site (English at reports/, Vietnamese at reports/vi/), the shared fragments in
Vietnamese, the CSVs of the Vietnamese edition and the glossary."""

from __future__ import annotations

import base64
import dataclasses
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis import cli, i18n, paths
from analysis.reports import messages, render
from analysis.reports.numbers import write_csv
from analysis.run import batch, catalogue, site

GOOD = {
    "rank-vn": "notebook: ecosystem_rankings\ntitle: Viet Nam startups\ndescription: country\nparameters: {entity: VNM}\n",
    "rank-egov": (
        "notebook: ecosystem_rankings\ntitle: E-government\ndescription: egov\nparameters: {index_name: egdi}\n"
    ),
}


@pytest.fixture()
def site_dirs(tmp_path, monkeypatch):
    reports, scen = tmp_path / "reports", tmp_path / "scenarios"
    scen.mkdir()
    for name, text in GOOD.items():
        (scen / f"{name}.yaml").write_text(text)
    for var, attr, value in (("R57_REPORTS_DIR", "REPORTS_DIR", reports), ("R57_SCENARIOS_DIR", "SCENARIOS_DIR", scen)):
        monkeypatch.setenv(var, str(value))
        monkeypatch.setattr(paths, attr, value)
    return tmp_path


class _Links(HTMLParser):
    """The page's ``<html lang>``, its language-switch links (``hreflang``) and every local href."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = None
        self.switches: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        href = a.get("href")
        if href and tag in ("a", "link") and not href.startswith(("http", "data:", "#", "mailto:")):
            self.hrefs.append(href)
            if a.get("hreflang") and not href.endswith(".csv"):
                self.switches.append(href)


def _parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _pages(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*.html")
        if not any(part.startswith(".") for part in p.relative_to(root).parts) and p.name != "error.html"
    )


@pytest.mark.notebook
def test_run_all_builds_both_editions_linked_both_ways(site_dirs, capsys):
    """One execution per report publishes both editions (`r57 run-all`), linked both ways; unchanged, both are
    skipped (a failing one keeps both editions' last good report: test_failures)."""
    assert [[s.name for s in g] for g in batch.groups(batch.editions(catalogue.load_catalogue()[0]))] == [
        ["rank-egov", "vi/rank-egov"],
        ["rank-vn", "vi/rank-vn"],
    ]  # every report publishes both editions from one execution
    assert cli.main(["run-all", "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert "4 ok, 0 skipped, 0 failed" in out
    assert all(f"OK      {e}{name} (" in out for name in GOOD for e in ("", "vi/")), out
    reports = site_dirs / "reports"
    for folder in (reports, reports / "vi"):
        for page in ("index.html", "glossary.html", "compare-ecosystem_rankings.html"):
            assert (folder / page).is_file(), folder / page
        for name in GOOD:
            assert (folder / name / "report.html").is_file()
            assert json.loads((folder / name / "run.json").read_text())["last_status"] == "ok"
            lang = "vi" if folder.name == "vi" else "en"
            assert yaml.safe_load((folder / name / "params.yaml").read_text())["lang"] == lang
    for name in GOOD:  # one execution: the same results.json to the byte (its run time stamp included)
        assert (reports / name / "results.json").read_bytes() == (reports / "vi" / name / "results.json").read_bytes()

    pages = _pages(reports)
    assert len(pages) == 2 * (3 + len(GOOD))
    for page in pages:
        _assert_linked_both_ways(page, reports)

    vi_index = (reports / "vi" / "index.html").read_text(encoding="utf-8")
    assert "Theo dõi tiến độ thực hiện các mục tiêu của Nghị quyết số 57-NQ/TW" in vi_index
    assert 'href="glossary.html"' in vi_index and 'href="glossary.html"' in (reports / "index.html").read_text()
    assert re.search(r"\d{2}/\d{2}/\d{4}", vi_index)  # dates as Vietnamese write them
    vi_report = (reports / "vi" / "rank-vn" / "report.html").read_text(encoding="utf-8")
    assert "Tất cả báo cáo" in vi_report and "Bảng thuật ngữ" in vi_report and "Nguồn:" in vi_report
    vi_compare = (reports / "vi" / "compare-ecosystem_rankings.html").read_text(encoding="utf-8")
    assert "So sánh 2 kịch bản" in vi_compare and "Các chỉ số chính" in vi_compare

    # CSVs: the English ones as always (no BOM); the Vietnamese edition's one per table, with a BOM, the same
    # numbers and its words in Vietnamese, linked from its report with the edition's workbook
    for name in GOOD:
        en_tables = sorted((reports / name / "tables").glob("*.csv"))
        assert en_tables
        assert sorted((reports / "vi" / name / "tables").glob("*.csv")) == [
            reports / "vi" / name / "tables" / p.name for p in en_tables
        ]
        for csv in en_tables:
            en = csv.read_bytes()
            assert not en.startswith(b"\xef\xbb\xbf")
            vi = (reports / "vi" / name / "tables" / csv.name).read_bytes()
            assert vi.startswith(b"\xef\xbb\xbf")
            assert_same_numbers(en, vi[3:])
            assert f'href="tables/{csv.name}"' in (reports / "vi" / name / "report.html").read_text()
        assert (reports / "vi" / name / "tables" / "tables.xlsx").is_file()

    # nothing changed: both editions are skipped, by run-all's early check and by the batch itself
    assert cli.main(["run-all"]) == 0
    assert "0 ok, 4 skipped, 0 failed" in capsys.readouterr().out
    outcomes, _ = batch.run_all(jobs=2, log=lambda *_: None)
    assert {o.status for o in outcomes} == {"skipped"} and len(outcomes) == 4


def _assert_linked_both_ways(page: Path, reports: Path) -> None:
    links = _parse(page)
    vi = page.relative_to(reports).parts[0] == "vi"
    assert links.lang == ("vi" if vi else "en"), page
    # every local link resolves (reports, CSVs, the glossary, the other edition)
    for href in links.hrefs:
        assert (page.parent / href).resolve().exists(), f"{page}: {href}"
    # the language switch leads to the same page in the other language, and back
    assert links.switches, f"{page} has no language switch"
    for href in set(links.switches):
        other = (page.parent / href).resolve()
        assert other.relative_to(reports).parts[-1] == page.name
        assert ("vi" in other.relative_to(reports).parts[:1]) != vi
        back = {(other.parent / h).resolve() for h in _parse(other).switches}
        assert back == {page.resolve()}, f"{other} does not link back to {page}"


def assert_same_numbers(en: bytes, vi: bytes) -> None:
    """The Vietnamese edition's CSV holds the English one's values: the same rows and columns and the same
    numbers, written the same way; its headers and words are the reader's language."""
    import csv as csv_module
    import io

    en_rows = list(csv_module.reader(io.StringIO(en.decode("utf-8"))))
    vi_rows = list(csv_module.reader(io.StringIO(vi.decode("utf-8"))))
    assert len(en_rows) == len(vi_rows) and len(en_rows[0]) == len(vi_rows[0])
    for en_row, vi_row in zip(en_rows[1:], vi_rows[1:], strict=True):
        for a, b in zip(en_row, vi_row, strict=True):
            assert a == b or not re.fullmatch(r"-?[\d.]+", a), (a, b)  # numbers never change


def test_a_catalogue_edit_changes_only_the_vietnamese_fingerprints(monkeypatch):
    s = catalogue.load_scenario(paths.SCENARIOS_DIR / "rank-egov.yaml")
    en, vi = batch.editions([s])
    assert (en.name, vi.name, batch.edition_lang(vi)) == ("rank-egov", "vi/rank-egov", "vi")
    before = (batch.fingerprint(en, "code"), batch.fingerprint(vi, "code"))
    batch.catalogue_fingerprint.cache_clear()
    monkeypatch.setattr(i18n, "po_files_text", lambda lang: "msgid x\nmsgstr y (edited)\n")
    try:
        after = (batch.fingerprint(en, "code"), batch.fingerprint(vi, "code"))
    finally:
        batch.catalogue_fingerprint.cache_clear()
    assert after[0] == before[0] and after[1] != before[1]


def test_a_scenario_that_pins_its_language_is_published_in_that_edition_only(tmp_path):
    (tmp_path / "vi-only.yaml").write_text("notebook: rd_paths\ntitle: Chỉ tiếng Việt\nparameters: {lang: vi}\n")
    (tmp_path / "both.yaml").write_text("notebook: rd_paths\ntitle: Both\nparameters: {}\n")
    scenarios, refused = catalogue.load_catalogue(tmp_path)
    assert refused == []
    assert [s.name for s in batch.editions(scenarios)] == ["both", "vi/both", "vi/vi-only"]
    assert [s.name for s in batch.editions(scenarios, ("en",))] == ["both"]
    assert [s.name for s in site.edition_scenarios(scenarios, "en")] == ["both"]
    (tmp_path / "no-lang.yaml").write_text("notebook: rd_paths\ntitle: No language\nparameters: {lang: null}\n")
    scenarios, refused = catalogue.load_catalogue(tmp_path)  # lang: null is not "every edition": it is refused
    assert [(p.name, "'lang': must not be empty" in m) for p, m in refused] == [("no-lang.yaml", True)]
    assert [s.name for s in batch.editions(scenarios)] == ["both", "vi/both", "vi/vi-only"]
    # its report's switch leads to the other edition's index, which exists
    assert site.page_links("vi-only", "vi", other_exists=False)["switch"] == "../../index.html"
    assert site.page_links("both", "en")["switch"] == "../vi/both/report.html"
    assert site.page_links("both", "vi")["switch"] == "../../both/report.html"
    with pytest.raises(catalogue.ScenarioError, match="taken by a report or by the site"):
        (tmp_path / "vi.yaml").write_text("notebook: rd_paths\ntitle: x\nparameters: {}\n")
        catalogue.load_scenario(tmp_path / "vi.yaml")


def test_the_vietnamese_index_formats_numbers_and_dates_the_vietnamese_way(tmp_path):
    (tmp_path / "rd-x.yaml").write_text(
        "notebook: rd_paths\ntitle: 'R&D to 2% of GDP by 2030: baseline'\nparameters: {}\n"
    )
    scen = [catalogue.load_scenario(tmp_path / "rd-x.yaml")]
    rec = {
        "rd-x": {
            "last_status": "ok",
            "last_success_utc": "2026-11-23T09:05:00+00:00",
            "key_figures": {"gerd_target_usd_bn": 14.84, "gerd_nominal_cagr_pct": 1234.56, "base_year": 2025},
            "previous_key_figures": {"gerd_target_usd_bn": 12.3},
        }
    }
    en = site.render_index(scen, rec)
    vi = site.render_index(scen, rec, lang="vi")
    assert '<html lang="en">' in en and '<html lang="vi">' in vi
    assert "14.8" in en and "1,234.6" in en  # by fmt: thousands grouped, as every other number
    assert "14,8" in vi and "1.234,6" in vi and "14.8" not in vi
    assert "12,3" in vi  # the old value in the change mark's hover text
    assert ">2025<" in vi and "2.025" not in vi  # a year is never grouped
    # 09:05 UTC is 16:05 in Hanoi (UTC+7): the Vietnamese page shows Hanoi time, the English one UTC
    assert "2026-11-23 09:05:00 UTC" in en and "16:05 ngày 23/11/2026 (giờ Hà Nội)" in vi and "UTC" not in vi
    assert "R&amp;D to 2% of GDP by 2030: baseline" in en
    assert "Chi cho R&amp;D đạt 2% GDP vào năm 2030: kịch bản cơ sở" in vi  # the scenario's title translated
    assert 'href="vi/index.html" hreflang="vi" lang="vi"' in en and 'href="../index.html" hreflang="en"' in vi


def test_error_pages_are_in_their_editions_language_with_a_switch():
    page = site.render_error_page("R&D to 2% of GDP by 2030: baseline", "rd-baseline", "rd_paths", "boom", "vi")
    assert '<html lang="vi">' in page and "Không lập lại được báo cáo này" in page
    assert 'href="../../index.html" hreflang="en"' in page
    page = site.render_error_page("x", "rd-baseline", "rd_paths", "boom")
    assert '<html lang="en">' in page and 'href="../vi/index.html" hreflang="vi"' in page


def test_the_glossary_is_complete_and_rendered_in_both_languages():
    entries = messages.glossary()["terms"]
    assert len(entries) >= 20
    for e in entries:
        missing = [f for f in messages.GLOSSARY_FIELDS if not str(e.get(f) or "").strip()]
        assert not missing, f"{e.get('term_en')}: missing {missing}"
        assert (
            set(messages.GLOSSARY_FIELDS) <= set(e) <= set(messages.GLOSSARY_FIELDS + messages.GLOSSARY_CHECK_FIELDS)
        ), e
    terms = [e["term_en"] for e in entries]
    assert len(set(terms)) == len(terms)
    wanted = ("GERD", "R&D", "non-budget share", "nowcast", "percentage point", "backtest", "naive forecast", "GII")
    assert all(any(w in t for t in terms) for w in wanted)
    vi_terms = " ".join(e["term_vi"] for e in entries)
    assert "tổng chi quốc gia cho nghiên cứu và phát triển" in vi_terms and "Cục Thống kê (Bộ Tài chính)" in vi_terms
    for lang in ("en", "vi"):
        page = site.render_glossary(lang)
        assert f'<html lang="{lang}">' in page
        for e in entries:
            assert render.Markup.escape(e[f"term_{lang}"]) in page
            # the other language's name, without its parenthesis (its abbreviation or long name) where that
            # would repeat the term's
            assert render.Markup.escape(e[f"term_{'vi' if lang == 'en' else 'en'}"].split(" (")[0]) in page
        assert "(GII (" not in page
    vi = site.render_glossary("vi")
    assert "(GII) <span" in vi and ">(Global Innovation Index)</span>" in vi
    assert "Cục Thống kê (Bộ Tài chính) <span" in vi and ">(National Statistics Office)</span>" in vi


def test_the_shared_fragments_bypass_nothing_in_vietnamese(monkeypatch, tmp_path):
    """Render a table, a figure and the footer as a Vietnamese report does, with marks: every word a reader
    sees of them came through the catalogue (or is a name, file, checksum or number shown as it is)."""
    from matplotlib.figure import Figure

    monkeypatch.setenv("R57_I18N_MARK", "1")
    shown: list[str] = []
    monkeypatch.setattr(render, "_display_html", shown.append)
    _ = i18n.gettext
    with i18n.language("vi"):
        r = render.Report(results_path=str(tmp_path / "results.json"))
        df = pd.DataFrame({"share_pct": [0.41, 2.0]}, index=pd.Index([2023, 2030], name="year"))
        r.table(
            df, table_id="t", title=_("Title"), source=_("Source"), labels={"share_pct": _("Share"), "year": _("Year")}
        )
        fig = Figure()
        fig.add_subplot().plot([1, 2], [3, 4])
        r.figure(fig, chart_id="c", title=_("Title"), alt=_("Alt"), source=_("Source"))
        provenance = {
            "code_version": {"package": "0.1.0", "commit": "0123456789ab", "dirty": True},
            "run_at_utc": "2026-11-23T10:00:00+00:00",
            "data_manifest_version": "2026-11-23",
            "libraries": {"pandas": "2.2.3", "numpy": "2.1.0"},
            "data_versions": {"vn_gdp.csv": "0123456789abcdef"},
        }
        r.footer(
            {"target_year": 2030, "path_shape": "logistic", "lang": "vi"},
            provenance,
            {
                "vn_gdp.csv": "Viet Nam GDP (current and constant VND, current USD, real growth, per capita) and population"
            },
        )
        r.save({})
    assert len(shown) == 3
    for html in shown:
        # the SVG chart's own tick labels are matplotlib's; the fragment's words are what is checked here
        html = re.sub(r'src="data:image/svg\+xml;base64,[^"]*"', 'src=""', html)
        assert messages.bypassed(html) == [], html
    assert "Nguồn:" in shown[0] and "Tham số" in shown[2] and "23/11/2026" in shown[2]
    # the table links its CSV (the shown headers, a BOM) and the report's workbook
    assert 'href="tables/t.csv"' in shown[0] and 'href="tables/tables.xlsx"' in shown[0]
    assert (tmp_path / "tables" / "t.csv").read_bytes() == "\ufeffNăm,Share\n2023,0.4100\n2030,2.0000\n".encode()


def test_english_fragments_and_csvs_are_as_before(tmp_path):
    """The English edition's text and bytes do not change: the footer's time stamp, the CSV (no BOM, no
    translated copy)."""
    df = pd.DataFrame({"gdp_vnd_bn": [1.25, None], "name": ["Việt Nam", "x"]})
    write_csv(df, tmp_path / "a.csv", index=False)
    assert (tmp_path / "a.csv").read_bytes() == "gdp_vnd_bn,name\n1.2,Việt Nam\n,x\n".encode()
    r = render.Report(results_path=str(tmp_path / "r" / "results.json"))
    r.tables["t"] = df
    r.save({})
    assert sorted(p.name for p in (tmp_path / "r" / "tables").iterdir()) == ["t.csv", "tables.xlsx"]
    assert (tmp_path / "r" / "tables" / "t.csv").read_bytes() == (tmp_path / "a.csv").read_bytes()
    assert i18n.fmt.time("2026-11-23T10:00:00+00:00") == "2026-11-23T10:00:00+00:00"


def test_the_common_and_site_catalogues_are_complete():
    problems = [p for p in messages.check("vi") if p.area in ("common", "site")]
    assert problems == []


def test_scenario_titles_are_catalogue_texts():
    found = {m.id for m in messages.extract().by_area["site"]}
    for s in catalogue.load_catalogue()[0]:
        assert s.title in found and (not s.description or s.description in found)


def test_an_svg_chart_in_a_fragment_is_still_embedded(monkeypatch):
    from matplotlib.figure import Figure

    shown: list[str] = []
    monkeypatch.setattr(render, "_display_html", shown.append)
    fig = Figure()
    fig.add_subplot().plot([1, 2], [3, 4])
    render.Report().figure(fig, chart_id="c", title="T", alt="A", source="S")
    data = re.search(r'base64,([^"]+)"', shown[0]).group(1)
    assert base64.b64decode(data).startswith(b"<?xml")
    assert "Source: S" in shown[0]


def test_a_reports_language_switch_is_decided_by_its_scenario_as_loaded_not_by_its_file_now(tmp_path):
    # the pin was read three ways: an edition's copy had ``lang`` set, so the switch re-read the file, and
    # took every Vietnamese copy for pinned when the file could no longer be read (its switch then led to the
    # English index instead of the English report)
    (tmp_path / "vi-only.yaml").write_text("notebook: rd_paths\ntitle: Chỉ tiếng Việt\nparameters: {lang: vi}\n")
    (tmp_path / "both.yaml").write_text("notebook: rd_paths\ntitle: Both\nparameters: {}\n")
    runs = batch.editions(catalogue.load_catalogue(tmp_path)[0])
    for p in tmp_path.iterdir():
        p.unlink()  # removed while run-all runs
    switches = {s.name: (batch.edition_lang(s), batch._links(s)["switch"]) for s in runs}
    assert switches == {
        "both": ("en", "../vi/both/report.html"),
        "vi/both": ("vi", "../../both/report.html"),
        "vi/vi-only": ("vi", "../../index.html"),
    }


def test_dataclass_replace_keeps_the_scenario_file():
    s = catalogue.load_scenario(paths.SCENARIOS_DIR / "rd-baseline.yaml")
    [_, vi] = batch.editions([s])
    assert dataclasses.asdict(vi)["path"] == s.path and batch.edition_lang(vi) == "vi"


def test_every_text_the_vietnamese_site_pages_show_is_in_a_catalogue(monkeypatch, tmp_path):
    """Render the vi index, error, glossary and comparison pages and record each text looked up: none may be
    missing from the sources the catalogues are extracted from (an ``_()`` inside an f-string is not
    extracted), and those of the common and site areas must be translated."""
    from analysis.run import compare

    extraction = messages.extract()
    area_of = {m.key: area for area, m in extraction.all()}
    looked_up: list[tuple[str | None, str]] = []
    real = i18n._lookup

    def lookup(message, context=None):
        looked_up.append((context, message))
        return real(message, context)

    monkeypatch.setattr(i18n, "_lookup", lookup)
    scenarios = catalogue.load_catalogue()[0]
    path = [
        {"year": y, "share_pct": 0.4 + 0.2 * (y - 2025), "gerd_vnd_bn": 60000.0 * (y - 2024)} for y in range(2025, 2031)
    ]
    runs = [
        compare.Run(
            name,
            tmp_path / name,
            {
                "report": "rd_paths",
                "parameters": {"target_year": 2030 + i},
                "path": path,
                "gerd_target_usd_bn": 14.8 + i,
            },
            name,
        )
        for i, name in enumerate(("rd-a", "rd-b"))
    ]
    with i18n.language("vi"):
        site.render_index(scenarios, {}, [("bad-file", "scenarios/bad-file.yaml: not YAML")], lang="vi")
        site.render_error_page("R&D path on an S-curve", "rd-s-curve", "rd_paths", "boom", "vi")
        site.render_glossary("vi")
        compare.render(
            runs, tmp_path, {"switch": "../compare-rd_paths.html", "switch_lang": "en", "switch_label": "English"}
        )
    assert looked_up
    not_extracted = sorted({m for key in looked_up if key not in area_of for m in [key[1]]})
    # the reports' key-figure headers, titles and sections and the explorer's labels are marked with N_() in
    # their own modules by their own areas (a test of theirs covers them); every other text must be extracted
    from analysis.reports import registry
    from analysis.reports.rd_paths import FIGURES

    theirs = {k.header for k in registry.columns()} | {k.header for k in FIGURES.values()}
    theirs |= {text for spec in registry.reports() for text in (spec.title, spec.section)}
    assert [m for m in not_extracted if m not in theirs] == []
    with i18n.language("vi"):
        untranslated = sorted(
            {
                key[1]
                for key in set(looked_up)
                if area_of.get(key) in ("common", "site") and real(key[1], key[0]) is None
            }
        )
    assert untranslated == []


def test_the_what_changed_table_is_translated_on_the_vietnamese_index(tmp_path, monkeypatch):
    import json

    monkeypatch.setattr(paths, "REPORTS_DIR", tmp_path)
    (tmp_path / "history").mkdir()
    for date, value in (("2026-11-16", 14.2), ("2026-11-23", 14.84)):
        snap = {
            "date": date,
            "scenarios": {
                "rd-baseline": {
                    "title": "R&D to 2% of GDP by 2030: baseline",
                    "notebook": "rd_paths",
                    "last_status": "ok",
                    "key_figures": {"gerd_target_usd_bn": value},
                }
            },
        }
        (tmp_path / "history" / f"{date}.json").write_text(json.dumps(snap))
    vi = site.render_index([], {}, lang="vi")
    assert "Những thay đổi giữa lần chạy ngày 16/11/2026 và ngày 23/11/2026" in vi
    assert "Chi cho R&amp;D đạt 2% GDP vào năm 2030: kịch bản cơ sở" in vi
    assert ">14,2<" in vi and ">14,8<" in vi and ">0,6<" in vi
    en = site.render_index([], {})
    assert "What changed between the runs of 2026-11-16 and 2026-11-23" in en and "14.8" in en
    assert (
        "(giờ Hà Nội)" in vi and "UTC" not in vi and re.search(r"Generated \d{4}-\d\d-\d\dT[\d:]+\+00:00 \(UTC\)", en)
    )


def test_a_figure_heading_naming_the_resolutions_floors_has_them_written_in(tmp_path, monkeypatch):
    import json

    monkeypatch.setattr(paths, "REPORTS_DIR", tmp_path)
    (tmp_path / "history").mkdir()
    for date, value in (("2026-11-16", 120.0), ("2026-11-23", 137.3)):
        figures = {"consistency_envelope_pct_at_floor": value}
        record = {"title": "R&D", "notebook": "rd_paths", "last_status": "ok", "key_figures": figures}
        (tmp_path / "history" / f"{date}.json").write_text(json.dumps({"date": date, "scenarios": {"rd-x": record}}))
    en, vi = site.render_index([], {}), site.render_index([], {}, lang="vi")
    assert "At the 60% non-budget threshold (the Resolution asks for more), state R&amp;D in the target year" in en
    assert "ngưỡng 60% (Nghị quyết yêu cầu hơn 60%)" in vi and "toàn bộ mức bố trí 3%" in vi
    assert "resolution_" not in en + vi


def test_an_english_only_build_still_writes_both_indexes(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "REPORTS_DIR", tmp_path)
    assert site.write_indexes([], []) == tmp_path / "index.html"
    for page in ("index.html", "glossary.html", "vi/index.html", "vi/glossary.html"):
        assert (tmp_path / page).is_file(), page
    assert 'href="vi/index.html"' in (tmp_path / "index.html").read_text()
