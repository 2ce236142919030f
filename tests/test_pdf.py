"""PDF output: a report and a comparison page printed by headless Chromium, opened with pypdf."""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import pytest

from analysis import cli
from analysis.run import ownership, pdf
from waiting import processes_mentioning, wait_exit, wait_until

pypdf = pytest.importorskip("pypdf")
needs_chromium = pytest.mark.skipif(
    pdf.chromium() is None, reason="chromium is not installed (`apt-get install chromium`; .ci/run does it)"
)


def pages_text(path) -> list[str]:
    """Each page's text, ligatures ('ﬀ') unfolded and runs of white space as one space."""
    return [
        re.sub(r"\s+", " ", unicodedata.normalize("NFKC", p.extract_text())) for p in pypdf.PdfReader(str(path)).pages
    ]


def image_xobjects(path) -> int:
    """Raster images in the PDF (charts printed as vectors add none)."""
    n = 0
    for page in pypdf.PdfReader(str(path)).pages:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        for ref in xobjects.values():
            obj = ref.get_object()
            n += obj.get("/Subtype") == "/Image"
            inner = (obj.get("/Resources") or {}).get("/XObject") or {}
            n += sum(r.get_object().get("/Subtype") == "/Image" for r in inner.values())
    return n


def test_print_css_numbers_pages_and_escapes_the_title():
    css = pdf.print_css('A "quoted" <title>')
    assert 'counter(page) " of " counter(pages)' in css
    assert "<title>" not in css and "&quot;" not in css  # CSS escapes inside <style>, not HTML entities
    assert 'content:"A \\"quoted\\" \\3C title\\3E "' in css


def test_a_missing_browser_is_a_clear_error(tmp_path, monkeypatch):
    page = tmp_path / "p.html"
    page.write_text("<html><head><title>t</title></head><body>x</body></html>")
    monkeypatch.setenv("R57_CHROMIUM", str(tmp_path / "no-such-chromium"))
    with pytest.raises(pdf.PdfError, match="cannot start Chromium"):
        pdf.html_to_pdf(page)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.html"]  # no print copy or partial PDF left


@needs_chromium
def test_a_small_page_prints_with_numbered_pages(tmp_path):
    page = tmp_path / "p.html"
    rows = "".join(f"<p>Paragraph {i}</p>" for i in range(150))  # about three A4 pages
    page.write_text(
        f"<html><head><title>Numbered</title></head><body>{rows}"
        '<svg width="200" height="100"><line x1="0" y1="0" x2="200" y2="100" stroke="black"/></svg></body></html>'
    )
    out = pdf.html_to_pdf(page)
    text = pages_text(out)
    assert len(text) >= 2
    for i, t in enumerate(text, 1):
        assert f"Page {i} of {len(text)}" in t and "Numbered" in t
    assert "Paragraph 0" in text[0] and "Paragraph 149" in text[-1]
    assert image_xobjects(out) == 0  # the SVG stays a vector
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.html", "p.pdf"]


@pytest.mark.notebook
@needs_chromium
def test_r57_run_pdf_has_the_reports_pages(tmp_path, capsys, report_build):
    out = tmp_path / "run"
    assert cli.main(["run", "rd_paths", "-p", "target_year", "2035", "--output-dir", str(out), "--pdf"]) == 0
    assert "PDF written to" in capsys.readouterr().out
    text = pages_text(out / "report.pdf")
    whole = "\n".join(text)
    assert len(text) >= 4
    for i, t in enumerate(text, 1):
        assert f"Page {i} of {len(text)}" in t
    # the report's sections, in order, and its provenance footer on the last pages
    html = (out / "report.html").read_text()
    headings = [re.sub(r"<[^>]+>|&[a-z]+;|¶", "", h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)]
    assert len(headings) >= 4
    positions = [whole.find(h[:25]) for h in headings if h]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), headings
    assert "About this report" in whole and "sha256" in whole
    assert image_xobjects(out / "report.pdf") == 0  # every chart is a vector
    assert ownership.foreign_file(out) is None  # the PDF is recorded: the next run may replace the folder
    # compare it with the session's build of the defaults, as PDF too
    other = report_build("rd_paths")["en"].run_dir
    assert cli.main(["compare", str(out), str(other), "--output-dir", str(tmp_path / "cmp"), "--pdf"]) == 0
    ctext = pages_text(tmp_path / "cmp" / "compare.pdf")
    assert "2 scenarios side by side" in ctext[0] and "Page 1 of" in ctext[0]
    assert "Parameters that differ" in "\n".join(ctext)
    html = (tmp_path / "cmp" / "compare.html").read_text()
    assert 'href="../run/report.pdf"' in html  # the comparison links each report's PDF beside it


@needs_chromium
def test_site_step_prints_every_report_and_comparison_once(tmp_path, monkeypatch):
    import json

    from analysis import paths
    from analysis.run import compare

    reports, scen = tmp_path / "reports", tmp_path / "scenarios"
    scen.mkdir()
    for name, target in (("rd-a", 2030), ("rd-b", 2032)):
        (reports / name).mkdir(parents=True)
        (reports / name / "report.html").write_text(
            f"<html><head><title>{name}</title></head><body>{name}</body></html>"
        )
        (reports / name / "results.json").write_text(
            json.dumps(
                {
                    "report": "rd_paths",
                    "parameters": {"target_year": target},
                    "gerd_nominal_cagr_pct": 30.0 + target - 2030,
                    "path": [{"year": 2023, "share_pct": 0.4}, {"year": target, "share_pct": 2.0}],
                }
            )
        )
        (scen / f"{name}.yaml").write_text(
            f"notebook: rd_paths\ntitle: {name}\nparameters: {{target_year: {target}}}\n"
        )
    monkeypatch.setattr(paths, "SCENARIOS_DIR", scen)
    monkeypatch.setattr(paths, "REPORTS_DIR", reports)
    done = compare.publish_site_extras(pdf=True, jobs=2, log=lambda *_: None)
    assert sorted(p.relative_to(reports).as_posix() for p in done["pdfs"]) == [
        "compare-rd_paths.pdf",
        "rd-a/report.pdf",
        "rd-b/report.pdf",
    ]
    for p in done["pdfs"]:
        assert "Page 1 of" in pages_text(p)[0]
    again = compare.publish_site_extras(pdf=True, log=lambda *_: None)
    assert again["pdfs"] == [
        reports / "compare-rd_paths.pdf"
    ]  # the reports' PDFs are up to date; the page was rewritten


def font_names(path) -> set[str]:
    """The base names of every font the PDF uses (page text and charts), without the subset prefix."""
    names: set[str] = set()

    def walk(resources, seen) -> None:
        resources = resources.get_object() if resources is not None else {}
        for ref in (resources.get("/Font") or {}).values():
            names.add(str(ref.get_object().get("/BaseFont", "")).split("+")[-1].lstrip("/"))
        for ref in (resources.get("/XObject") or {}).values():
            obj = ref.get_object()
            if id(obj) not in seen and obj.get("/Resources") is not None:
                seen.add(id(obj))
                walk(obj["/Resources"], seen)

    for page in pypdf.PdfReader(str(path)).pages:
        walk(page.get("/Resources"), set())
    return names


@needs_chromium
def test_a_vietnamese_page_prints_with_the_embedded_font_and_its_diacritics(tmp_path):
    import vi_sample

    page = vi_sample.build(tmp_path / "vi")
    out = pdf.html_to_pdf(page)
    whole = "\n".join(pages_text(out))
    # the text keeps its diacritics (precomposed, as typed), in the page, the table and the footer
    for words in ("nghiên cứu và phát triển", "Nghị quyết 57-NQ/TW", "Khu vực ngoài nhà nước", "0,41%", "Page 1 of"):
        assert words in whole, words
    assert vi_sample.TITLE[:20] in whole  # the title in the page margin
    # every font in the PDF, the chart's included, is the embedded subset of DejaVu Sans (named R57 Sans
    # inside the font, so the machine's own DejaVu Sans would show as DejaVuSans here): no character was
    # drawn with a font of the machine
    names = font_names(out)
    assert names and all(n.startswith(("R57Sans", "R57Mono")) for n in names), names
    assert {"R57Sans-Regular", "R57Sans-Bold"} <= names


@needs_chromium
@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc to list Chromium's processes")
def test_a_print_that_times_out_leaves_no_chromium_process(tmp_path, monkeypatch):
    # a page whose script never ends: Chromium never prints it; its profile folder (under tmp_path) is
    # on the command line of the browser and every child it starts (zygotes, renderer, network service)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    page = tmp_path / "loop.html"
    page.write_text("<html><head><title>loop</title></head><body>x<script>for(;;){}</script></body></html>")
    with pytest.raises(pdf.PdfError, match=r"Chromium took more than 4 s to print .*loop\.html"):
        pdf.html_to_pdf(page, timeout_s=4)
    assert processes_mentioning(str(tmp_path)) == []  # gone when html_to_pdf returns
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loop.html"]  # no print copy, partial PDF or profile


def test_a_full_disk_while_printing_names_the_path_and_the_remedy(tmp_path, monkeypatch):
    page = tmp_path / "p.html"
    page.write_text("<html><head><title>t</title></head><body>x</body></html>")
    monkeypatch.setenv("R57_CHROMIUM", "/bin/true")  # never reached: the print copy cannot be written

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))

    monkeypatch.setattr(Path, "write_text", full)
    with pytest.raises(pdf.PdfError) as err:
        pdf.html_to_pdf(page)
    message = str(err.value)
    assert "No space left on device" in message and str(tmp_path) in message and "free some space" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.html"]


PRINT_FOREVER = """
import signal, sys, tempfile
# Ctrl-C as in a terminal, even when the suite itself was started in the background (a non-interactive
# shell starts background jobs with SIGINT ignored, and Python then installs no KeyboardInterrupt handler)
signal.signal(signal.SIGINT, signal.default_int_handler)
tempfile.tempdir = sys.argv[2]
from analysis.run import pdf
pdf.html_to_pdf(sys.argv[1], timeout_s=600)
"""


@needs_chromium
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGKILL])
def test_chromium_dies_with_the_process_printing(tmp_path, signum):
    """Ctrl-C unwinds the print (its group is killed on the way out); kill -9 leaves no clean-up code to
    run, so the kernel kills the browser (parent-death signal), and its children leave with it."""
    page = tmp_path / "loop.html"
    page.write_text("<html><head><title>loop</title></head><body>x<script>for(;;){}</script></body></html>")
    proc = subprocess.Popen([sys.executable, "-c", PRINT_FOREVER, str(page), str(tmp_path)])
    try:
        browser = f"{tmp_path}/r57-chromium-"
        # the printer imports r57, then starts Chromium (no event tells when: looked at while waiting on its exit)
        wait_until(lambda: processes_mentioning(browser), 120, "Chromium to start", proc)
        proc.send_signal(signum)
        proc.wait(timeout=60)
        # the death signal and SIGKILL take effect asynchronously; the printer is gone, so watch the browser's own
        # processes: each one's exit, with a deadline
        wait_exit(processes_mentioning(browser), 10)
        left = processes_mentioning(browser)
        assert left == [], f"Chromium processes left running: {left}"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
