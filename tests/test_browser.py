"""The site in a real headless browser (Debian's chromium), opened from file:// after a zip round trip."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from analysis import paths
from analysis.run import batch
from analysis.run.pdf import BROWSER_FLAGS

pytestmark = pytest.mark.notebook

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = list(BROWSER_FLAGS)


def browse(url: str, tmp: Path, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, url], capture_output=True, text=True, timeout=120
    )


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (`apt-get install chromium`; .ci/run does it)")
def test_index_and_report_render_offline_from_a_zip(tmp_path, monkeypatch):
    reports, scen = tmp_path / "reports", tmp_path / "scenarios"
    scen.mkdir()
    (scen / "rd-baseline.yaml").write_text("notebook: rd_paths\ntitle: Baseline R&D path\nparameters: {}\n")
    for var, attr, value in (("R57_REPORTS_DIR", "REPORTS_DIR", reports), ("R57_SCENARIOS_DIR", "SCENARIOS_DIR", scen)):
        monkeypatch.setenv(var, str(value))
        monkeypatch.setattr(paths, attr, value)
    outcomes, index = batch.run_all(jobs=1, log=lambda *_: None)
    assert [o.status for o in outcomes] == ["ok", "ok"]  # the English and the Vietnamese edition

    # zip the site and open the extract: everything must resolve relative to it
    archive = tmp_path / "site.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in reports.rglob("*"):
            if p.is_file() and ".locks" not in p.parts:
                z.write(p, p.relative_to(reports))
    extract = tmp_path / "extract"
    zipfile.ZipFile(archive).extractall(extract)

    index_dom = browse((extract / "index.html").as_uri(), tmp_path, "--dump-dom").stdout
    assert "Baseline R&amp;D path" in index_dom or "Baseline R&D path" in index_dom
    assert len(re.findall(r"<tr>", index_dom)) >= 2  # header + one scenario
    for href in re.findall(r"href=\"([^\"]+)\"", index_dom):
        assert not href.startswith(("http:", "https:", "//", "/")), href
        if href.startswith("#"):  # a link inside the page (the verdict panel's): its target is there
            assert f'id="{href[1:]}"' in index_dom, href
            continue
        assert (extract / href).exists(), href

    report_dom = browse((extract / "rd-baseline" / "report.html").as_uri(), tmp_path, "--dump-dom").stdout
    imgs = re.findall(r"<img[^>]*>", report_dom)
    assert len(imgs) == 7 and all(
        "data:image/svg+xml;base64," in i and "alt=" in i for i in imgs
    )  # 7 charts: the tornado and the consistency chart (issue 22) among them
    assert report_dom.count("<table") >= 4 and "About this report" in report_dom
    for href in re.findall(r"href=\"(tables/[^\"]+)\"", report_dom):
        assert (extract / "rd-baseline" / href).exists(), href

    shot = tmp_path / "report.png"
    browse(
        (extract / "rd-baseline" / "report.html").as_uri(), tmp_path, "--window-size=1200,4000", f"--screenshot={shot}"
    )
    assert shot.exists() and shot.stat().st_size > 100_000  # a page of charts, not a blank one
